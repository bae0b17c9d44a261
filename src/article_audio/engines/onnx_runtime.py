"""What every engine that runs its model in onnxruntime does alike (Piper, Kokoro)."""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
import platform
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from article_audio.util import copy_atomically, package_version

__all__ = [
    "ARENA_BYTES",
    "SAVED_LEVEL",
    "before_onnxruntime_loads",
    "hardware_tag",
    "saved_optimized",
    "session_of",
    "session_options",
    "use_one_arena",
]

#: onnxruntime's switch for its telemetry, read from the environment when it is loaded.
_ORT_TELEMETRY_SWITCH = "ORT_DISABLE_TELEMETRY"
#: The address space of the one arena region :func:`use_one_arena` reserves: 1 GiB, or half
#: the machine's memory if that is less. Reserved, not used: only the pages tensors touch
#: count in memory.
ARENA_BYTES = 1 << 30


def before_onnxruntime_loads() -> None:
    """Turn onnxruntime's telemetry off (unless the user set the switch) before it is loaded.

    Loading onnxruntime otherwise writes a device id and an event database under the user's
    cache folder (``~/.cache/Microsoft/DeveloperTools/.onnxruntime``) whatever ``--cache-dir``
    says, and this tool writes nothing outside its cache and its output. onnxruntime reads the
    switch only from the process environment, when it is loaded, so it is set there, once,
    here (a child process that rewrites a model inherits it); the one environment variable
    article-audio sets."""
    os.environ.setdefault(_ORT_TELEMETRY_SWITCH, "1")


def session_options(onnxruntime: Any, threads: int) -> Any:
    """The options every engine's sessions start from: ``threads`` threads, failures raised
    as errors and not also logged, and no memory plan kept per input shape (every sentence
    length is a new shape: on a long article the plans grew a worker by 300 MB)."""
    options = onnxruntime.SessionOptions()
    options.log_severity_level = 4
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = threads
    options.enable_mem_pattern = False
    return options


def _arena_bytes() -> int:
    try:
        memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (AttributeError, ValueError, OSError):
        return ARENA_BYTES
    return max(64 << 20, min(ARENA_BYTES, memory // 2))


def use_one_arena(onnxruntime: Any, options: Any) -> None:
    """Have the sessions made with ``options`` take their tensors from one CPU arena of the
    process, whose first region is :data:`ARENA_BYTES` of address space reserved at once.

    onnxruntime's own arena starts at 1 MB and adds regions as runs need them, each twice the
    last; a freed block never joins one in another region, so runs of varying length (every
    sentence is one) leave holes no later tensor fits, and the arena grows past what any run
    holds at once: one run of Kokoro's 451 tokens took 719 MB of it, 453 MB of tensors. In one
    region that is big enough, freed blocks join again and the same run takes 558 MB. The
    samples are the same (only where tensors live changes). onnxruntime keeps it for the
    process; if it cannot be registered, the session keeps an arena of its own."""
    info = onnxruntime.OrtMemoryInfo(
        "Cpu", onnxruntime.OrtAllocatorType.ORT_ARENA_ALLOCATOR, 0, onnxruntime.OrtMemType.DEFAULT
    )
    config = onnxruntime.OrtArenaCfg(
        {"arena_extend_strategy": 0, "initial_chunk_size_bytes": _arena_bytes()}
    )
    try:
        onnxruntime.create_and_register_allocator(info, config)  # again: the same arena
    except Exception:  # onnxruntime raises bare errors: the session keeps its own arena
        return
    options.add_session_config_entry("session.use_env_allocators", "1")


#: The graph optimizations a model file's saved copy has had (:func:`session_of`): all of
#: onnxruntime's, its layout ones (NCHWc blocks sized for this CPU's vector width) included.
#: onnxruntime's documentation: a model saved with layout optimizations runs only on hardware
#: compatible with the machine that saved it, so the copy's name holds :func:`hardware_tag`.
SAVED_LEVEL = "all"
#: External initializers at least this large are kept in the saved copy's data file, which
#: onnxruntime maps into memory instead of copying them out of the model's protobuf.
_EXTERNAL_BYTES = 1024


@functools.cache
def hardware_tag() -> str:
    """Twelve hex digits naming this machine's architecture and CPU features (the ``flags``
    or ``Features`` line of ``/proc/cpuinfo``; the processor's name where there is none)."""
    features = platform.processor()
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            name, _, value = line.partition(":")
            if name.strip() in ("flags", "Features"):
                features = " ".join(sorted(value.split()))
                break
    return hashlib.sha256(f"{platform.machine()}|{features}".encode()).hexdigest()[:12]


def saved_optimized(model: Path) -> tuple[Path, Path]:
    """Where :func:`session_of` keeps ``model``'s optimized copy and its data file: beside
    it, named for onnxruntime's version, :data:`SAVED_LEVEL` and :func:`hardware_tag` (the
    model's own name holds its hash)."""
    version = package_version("onnxruntime")
    name = f"{model.stem}-onnxruntime{version}-{SAVED_LEVEL}-{hardware_tag()}.onnx"
    return model.with_name(name), model.with_name(f"{name}.data")


def session_of(onnxruntime: Any, model: str | bytes, options: Callable[[], Any]) -> Any:
    """A CPU session of ``model`` (a file, or the bytes of one) with the options
    ``options()`` makes (a new object each call).

    A file's graph optimizations are made once and saved beside it (:func:`saved_optimized`);
    later sessions load that copy with optimization off: joe's voice then loads in
    about half the time, Kokoro's in about a third, with the same samples. A copy that
    cannot be saved or loaded only costs the time: the session optimizes the model itself."""
    providers = ["CPUExecutionProvider"]
    if isinstance(model, bytes):
        return onnxruntime.InferenceSession(model, options(), providers=providers)
    saved, data = saved_optimized(Path(model))
    if saved.is_file() and data.is_file():
        loading = options()
        loading.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_DISABLE_ALL
        with contextlib.suppress(Exception):  # onnxruntime raises bare errors: optimized here
            session = onnxruntime.InferenceSession(str(saved), loading, providers=providers)
            for path in (saved, data):  # recently used: pruned from the cache last
                with contextlib.suppress(OSError):
                    os.utime(path)
            return session
    with tempfile.TemporaryDirectory(prefix="article-audio-optimized-") as folder:
        made = Path(folder) / saved.name
        saving = options()
        saving.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_ENABLE_ALL
        saving.optimized_model_filepath = str(made)
        external = "session.optimized_model_external_initializers_file_name"
        saving.add_session_config_entry(external, data.name)
        threshold = "session.optimized_model_external_initializers_min_size_in_bytes"
        saving.add_session_config_entry(threshold, str(_EXTERNAL_BYTES))
        session = onnxruntime.InferenceSession(model, saving, providers=providers)
        # the data first, as the model names it; two processes saving at once write the same
        # data (two saves of joe's model differed only in generated node names)
        with contextlib.suppress(OSError):
            copy_atomically(made.with_name(data.name), data)
            copy_atomically(made, saved)
    return session
