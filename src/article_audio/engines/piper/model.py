"""Piper's model as article-audio runs it: rewritten once per voice, kept, and loaded.

Piper's graph draws random noise (``RandomNormalLike``) on every run from a generator seeded
once per session, so the same sentence sounds slightly different each time and depends on what
was synthesized before it. :func:`deterministic_model` replaces each noise source with a slice of
a fixed table drawn once from :data:`NOISE_SEED`: every sentence then gets the noise a fresh,
seeded run would give it, so its audio is a function of its text and settings alone. That is what
makes the sentence cache, parallel workers and resumed renders reproduce a render exactly.

The model is also split in two (:func:`split_model`): the encoder, which turns phonemes into
latent frames, and the decoder, which turns those into audio and whose working memory grows
with the sentence (about 16 MB a second of speech). A long sentence's latent frames are decoded
in overlapping pieces (:func:`decode_in_pieces`), which gives the samples of decoding them
whole (to float rounding), so memory stays bounded however long the sentence and however many
run at once. Each of the decoder's upsampling stages is given only the context the stages after
it reach (:mod:`.onnx.stages`), which took a tenth off the decoder's time.

The rewritten model also hands out its duration predictor's output (:func:`with_durations`: the
audio frames of every phoneme id, the ``Ceil`` that VITS takes before it expands the phonemes
into frames), from which the engine takes word times.
"""

from __future__ import annotations

import contextlib
import functools
import math
import os
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from article_audio.engines.onnx_runtime import before_onnxruntime_loads as _before_onnxruntime_loads
from article_audio.engines.onnx_runtime import session_of, session_options
from article_audio.engines.piper.onnx.rewrites import planar_convolutions, polyphase_upsampling
from article_audio.engines.piper.onnx.stages import CROP_INPUT, StagePlan, crop_between_stages
from article_audio.util import file_sha256, package_version, write_atomically

#: Seed and size of the fixed noise table (see :func:`deterministic_model`). The table covers
#: up to 192 channels and 8192 frames (about 95 s of audio per sentence at 22050 Hz): room for
#: a model run of :data:`MAX_RUN_PHONEMES` phonemes at the voice's own speed. A table twice
#: as long (room for 1,638) adds about 11 MB to every loaded voice, for the 0.14 % of
#: 200-450-character news sentences over 800 phonemes.
NOISE_SEED = 0
NOISE_CHANNELS = 192
NOISE_FRAMES = 8192


def deterministic_model(model: Path, seed: int = NOISE_SEED) -> bytes:
    """The ONNX model at ``model`` with its random noise sources made deterministic.

    Each ``RandomNormalLike`` node becomes ``Slice(table, 0, Shape(input))`` over a constant
    table of standard-normal noise drawn from ``seed``: same shape and distribution as before,
    the same values on every run.
    """
    import numpy as np
    import onnx
    from onnx import helper, numpy_helper

    proto = onnx.load(str(model))
    graph = proto.graph
    rng = np.random.default_rng(seed)
    for index, node in enumerate(list(graph.node)):
        if node.op_type != "RandomNormalLike":
            continue
        tag = f"article_audio_noise_{index}"
        table = rng.standard_normal((1, NOISE_CHANNELS, NOISE_FRAMES)).astype(np.float32)
        graph.initializer.extend(
            [
                numpy_helper.from_array(table, f"{tag}_table"),
                numpy_helper.from_array(np.zeros(3, dtype=np.int64), f"{tag}_starts"),
            ]
        )
        position = list(graph.node).index(node)
        graph.node.remove(node)
        graph.node.insert(
            position,
            helper.make_node(
                "Slice", [f"{tag}_table", f"{tag}_starts", f"{tag}_shape"], list(node.output)
            ),
        )
        graph.node.insert(position, helper.make_node("Shape", [node.input[0]], [f"{tag}_shape"]))
    data: bytes = proto.SerializeToString()
    return data


#: onnxruntime threads per model run. One: parallelism comes from running several sentences at
#: once (synthesis threads sharing the session, or Dask workers), which beats one run spread
#: over every core, and onnxruntime's sums come out bit-identical only at one thread count, so
#: a sentence sounds the same whichever process made it (the cache depends on that).
SESSION_THREADS = 1


def _model_sources(model: Path, folder: Path | None) -> list[str | bytes]:
    """The deterministic model for onnxruntime, split into encoder and decoder
    (:func:`split_model`; whole when it cannot be split): files kept in ``folder`` (the
    runtime context's model folder, under the cache root), made once, by a child process (the
    rewrite briefly takes about 480 MB, which a render should not carry); the bytes themselves
    without a folder, or when it is not writable."""
    found = None if folder is None else _model_files(model, folder)
    if folder is not None and found is None:
        command = "import sys; "
        command += "from article_audio.engines.piper.model import write_model_files as w; "
        command += "w(sys.argv[1], sys.argv[2])"
        with contextlib.suppress(OSError, subprocess.SubprocessError):
            subprocess.run(
                [sys.executable, "-c", command, str(model), str(folder)],
                check=True,
                capture_output=True,
            )
        found = _model_files(model, folder)
    if found is None:  # no folder, no child process, or an unwritable folder: made here
        return list(split_model(deterministic_model(model)))
    for path in found:  # recently used: pruned from the cache last
        with contextlib.suppress(OSError):
            os.utime(path)
    return [str(path) for path in found]


def _model_names(model: Path) -> tuple[str, list[str], list[str]]:
    """The name earlier versions kept the whole model under, and the split and whole names."""
    stat = model.stat()
    digest = file_digest(model, stat.st_size, stat.st_mtime_ns)
    legacy = f"{digest[:32]}-{NOISE_SEED}-{NOISE_CHANNELS}x{NOISE_FRAMES}"
    # saved by onnxruntime (:func:`optimized_offline`), for the version that saved them
    stem = f"{legacy}-{GRAPH_REWRITES}-{MODEL_OUTPUTS}-onnxruntime{package_version('onnxruntime')}"
    split = [f"{stem}-encoder.onnx", f"{stem}-decoder.onnx"]
    return f"{legacy}.onnx", split, [f"{stem}-whole.onnx"]


def _model_files(model: Path, folder: Path) -> list[Path] | None:
    """The files :func:`write_model_files` made for ``model`` in ``folder``, if it has."""
    _, split, whole = _model_names(model)
    for names in (split, whole):
        if all((folder / name).is_file() for name in names):
            return [folder / name for name in names]
    return None


def write_model_files(model: str | Path, folder: str | Path) -> None:
    """Rewrite ``model`` (:func:`deterministic_model`, :func:`split_model`) into ``folder``
    (OSError or :class:`~article_audio.errors.ExportError` if it cannot be written), remove
    what earlier versions made of it (the whole model, splits with other rewrites, their
    optimized copies), and save the new files' optimized copies beside them
    (:func:`.onnx_runtime.session_of`), so a render's process need not make them."""
    model, folder = Path(model), Path(folder)
    legacy, split, whole = _model_names(model)
    parts = split_model(deterministic_model(model))
    folder.mkdir(parents=True, exist_ok=True)
    made = split if len(parts) == 2 else whole
    for name, data in zip(made, parts, strict=True):
        write_atomically(folder / name, optimized_offline(data), durable=False)
    digest = legacy.split("-", 1)[0]
    for earlier in folder.glob(f"{digest}-*"):
        if earlier.name not in made:
            earlier.unlink(missing_ok=True)
    _sessions([str(folder / name) for name in made])


def optimized_offline(model: bytes) -> bytes:
    """``model`` as onnxruntime saves it after the graph optimizations that suit any CPU
    (level "extended"; the layout ones for this CPU are still made at load time). Loading it
    skips them: joe's encoder loads in about 0.2 s instead of 0.5, with the same samples."""
    _before_onnxruntime_loads()
    import onnxruntime

    with tempfile.TemporaryDirectory(prefix="article-audio-model-") as folder:
        path = Path(folder) / "optimized.onnx"
        options = onnxruntime.SessionOptions()
        options.log_severity_level = 4
        options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_ENABLE_EXTENDED
        options.optimized_model_filepath = str(path)
        onnxruntime.InferenceSession(model, options, providers=["CPUExecutionProvider"])
        return path.read_bytes()


#: How the model is rewritten (:func:`deterministic_model`, :func:`split_model`, then the
#: decoder cropped between stages, its upsamplings polyphase and its convolutions planar): part
#: of the voice's identity, since it changes samples (by float rounding).
GRAPH_REWRITES = "split-cropped-polyphase-planar"
#: What the rewritten model hands out besides the audio (:func:`with_durations`): part of its
#: files' names (not of the voice's identity: the samples are the same).
MODEL_OUTPUTS = "durations"
#: Piper's exports feed the decoder (HiFi-GAN) the latent frames through this node.
_DECODER_ENTRY = "/dec/conv_pre/Conv"


def split_model(model: bytes) -> tuple[bytes, ...]:
    """``model`` as an encoder (text to latent frames) and a decoder (latent frames to audio)
    whose only input is the latent, so the decoder can be run on pieces of it
    (:class:`_DecodedInPieces`); ``(model,)`` when the graph has no such decoder (another
    export, a multi-speaker model whose decoder also takes the speaker)."""
    import onnx
    from onnx.utils import Extractor

    proto = onnx.load_from_string(model)
    entry = next((n for n in proto.graph.node if n.name == _DECODER_ENTRY), None)
    durations = _durations_tensor(proto.graph)
    if entry is None:
        return (with_durations(model),)
    initializers = {i.name for i in proto.graph.initializer}
    inputs = [i.name for i in proto.graph.input if i.name not in initializers]
    outputs = [o.name for o in proto.graph.output]
    latent = entry.input[0]
    try:
        extractor = Extractor(proto)
        encoder = extractor.extract_model(inputs, [latent, *([durations] if durations else [])])
        decoder = extractor.extract_model([latent], outputs)
    except Exception:  # the decoder needs more than the latent
        return (with_durations(model),)
    if [i.name for i in decoder.graph.input if i.name not in initializers] != [latent]:
        return (with_durations(model),)
    cropped = crop_between_stages(decoder.SerializeToString())
    return encoder.SerializeToString(), planar_convolutions(polyphase_upsampling(cropped))


#: A decoder run's working memory grows with its latent frames (about 0.19 MB a frame, 86
#: frames a second of speech at 22050 Hz): runs longer than this and its context are decoded
#: in pieces of this many frames, with :data:`DECODE_CONTEXT` on either side (256 frames, about
#: 50 MB, a run), whatever the sentence. Smaller pieces save memory and cost time, since every
#: piece decodes some context too: rendering the example article with ``--jobs 2``, runs of 192,
#: 256 and 320 frames peaked at about 405, 430 and 465 MB and took 14.2, 12.9 and 12.4 s (before
#: the decoder was cropped between stages, which made context cheap).
DECODE_FRAMES = 224
#: Latent frames given on either side of a piece and cut from its audio: at least the decoder's
#: reach (the decoder's own, from :class:`.onnx.stages.StagePlan`, is used when
#: larger). joe's decoder reaches 11.1 frames each way, worked out from its graph; in fact, with
#: 8 frames pieces of the example's sentences were off by up to 2.3e-3, with 12 or more by
#: float rounding (under 5e-7, a 60th of a 16-bit step). A cropping decoder carries this context
#: through its first convolution only (see :mod:`article_audio.engines.piper.onnx.stages`).
DECODE_CONTEXT = 16


def _durations_tensor(graph: Any) -> str | None:
    """The tensor holding the audio frames of every phoneme id: the output of the graph's one
    ``Ceil`` (VITS rounds its predicted durations up before expanding phonemes into frames);
    None when there is not exactly one."""
    found = [name for node in graph.node if node.op_type == "Ceil" for name in node.output]
    return found[0] if len(found) == 1 else None


def with_durations(model: bytes) -> bytes:
    """``model`` with its phoneme durations (:func:`_durations_tensor`) as a second output,
    after the audio; ``model`` itself when it has none to give or gives them already."""
    import onnx

    proto = onnx.load_from_string(model)
    durations = _durations_tensor(proto.graph)
    if durations is None or any(o.name == durations for o in proto.graph.output):
        return model
    proto.graph.output.append(onnx.ValueInfoProto(name=durations))
    data: bytes = proto.SerializeToString()
    return data


def decode_in_pieces(
    decode: Callable[[Any, int, int], Any],
    latent: Any,
    frames: int = DECODE_FRAMES,
    context: int = DECODE_CONTEXT,
) -> Any:
    """The audio of ``latent`` (``[1, channels, n]``), decoded in pieces of ``frames`` frames
    with ``context`` frames of overlap on each side. ``decode(part, left, right)`` returns the
    audio of ``part`` without that of its first ``left`` and last ``right`` frames (context)."""
    import numpy as np

    total = int(latent.shape[-1])
    if total <= frames + 2 * context:
        return decode(latent, 0, 0)
    pieces = []
    for start in range(0, total, frames):
        stop = min(total, start + frames)
        low, high = max(0, start - context), min(total, stop + context)
        part = np.ascontiguousarray(latent[..., low:high])
        pieces.append(decode(part, start - low, high - stop))
    return np.concatenate(pieces, axis=-1)


def without_context(audio: Any, frames: int, left: int, right: int) -> Any:
    """``audio`` of ``frames`` latent frames without that of the first ``left`` and the last
    ``right`` frames."""
    hop = audio.shape[-1] // frames
    return audio[..., left * hop : (frames - right) * hop]


class _DecodedInPieces:
    """The encoder and decoder sessions of a split model, run as the whole model's session:
    Piper calls ``run(None, inputs)`` and gets the audio, the decoder run in pieces
    (:func:`decode_in_pieces`). A decoder cropped between stages
    (:func:`.onnx.stages.crop_between_stages`) is given each piece's crops."""

    def __init__(self, encoder: Any, decoder: Any) -> None:
        self.encoder = encoder
        self.decoder = decoder
        self.latent = decoder.get_inputs()[0].name
        self.plan = StagePlan.from_metadata(decoder.get_modelmeta().custom_metadata_map)
        reach = 0 if self.plan is None else math.ceil(self.plan.reach)
        self.context = max(DECODE_CONTEXT, reach)

    def run(self, output_names: Any, inputs: dict[str, Any]) -> list[Any]:
        latent, *durations = self.encoder.run(None, inputs)
        return [decode_in_pieces(self._decode, latent, DECODE_FRAMES, self.context), *durations]

    def _decode(self, latent: Any, left: int = 0, right: int = 0) -> Any:
        import numpy as np

        frames = int(latent.shape[-1])
        if self.plan is None:
            audio = self.decoder.run(None, {self.latent: latent})[0]
            return without_context(audio, frames, left, right)
        crops, cut_left, cut_right = self.plan.crops(frames, left, right)
        feed = {self.latent: latent, CROP_INPUT: np.array(crops, dtype=np.int64)}
        audio = self.decoder.run(None, feed)[0]
        return audio[..., cut_left : audio.shape[-1] - cut_right]


@functools.lru_cache(maxsize=16)
def file_digest(path: Path, size: int, mtime_ns: int) -> str:
    """The file's SHA-256, cached while its size and modification time stay the same."""
    return file_sha256(path)


def _sessions(sources: list[str | bytes]) -> list[Any]:
    """onnxruntime sessions of ``sources`` on :data:`SESSION_THREADS` threads, a file's graph
    optimizations saved beside it (:func:`.onnx_runtime.session_of`)."""
    _before_onnxruntime_loads()
    import onnxruntime

    options = functools.partial(session_options, onnxruntime, SESSION_THREADS)
    return [session_of(onnxruntime, source, options) for source in sources]


def voice_session(model: Path, model_dir: Path | None = None) -> Any:
    """A session of ``model`` rewritten (:func:`_model_sources`; :func:`_sessions`), run as
    Piper runs the whole model's session (the split model's parts as
    :class:`_DecodedInPieces`)."""
    sessions = _sessions(_model_sources(model, model_dir))
    return sessions[0] if len(sessions) == 1 else _DecodedInPieces(*sessions)
