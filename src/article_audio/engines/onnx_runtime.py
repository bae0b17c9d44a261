"""What every engine that runs its model in onnxruntime does alike (Piper, Kokoro)."""

from __future__ import annotations

import os
from typing import Any

__all__ = ["ARENA_BYTES", "before_onnxruntime_loads", "use_one_arena"]

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
