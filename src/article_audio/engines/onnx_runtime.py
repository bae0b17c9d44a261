"""What every engine that runs its model in onnxruntime does alike (Piper, Kokoro)."""

from __future__ import annotations

import os

__all__ = ["before_onnxruntime_loads"]

#: onnxruntime's switch for its telemetry, read from the environment when it is loaded.
_ORT_TELEMETRY_SWITCH = "ORT_DISABLE_TELEMETRY"


def before_onnxruntime_loads() -> None:
    """Turn onnxruntime's telemetry off (unless the user set the switch) before it is loaded.

    Loading onnxruntime otherwise writes a device id and an event database under the user's
    cache folder (``~/.cache/Microsoft/DeveloperTools/.onnxruntime``) whatever ``--cache-dir``
    says, and this tool writes nothing outside its cache and its output. onnxruntime reads the
    switch only from the process environment, when it is loaded, so it is set there, once,
    here (a child process that rewrites a model inherits it); the one environment variable
    article-audio sets."""
    os.environ.setdefault(_ORT_TELEMETRY_SWITCH, "1")
