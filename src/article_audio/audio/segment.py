"""Audio plumbing shared by the audio stages: the pydub import, ffmpeg discovery, formats.

Audio values are pydub ``AudioSegment`` objects, treated as immutable (every operation makes a
new one). Times are integer milliseconds throughout the public API.
"""

from __future__ import annotations

import os
import shutil
import warnings
from functools import lru_cache

from article_audio.config import Environment, read_environment
from article_audio.errors import ExportError

with warnings.catch_warnings():
    # pydub warns at import time when ffmpeg is not on PATH; we find one ourselves below.
    warnings.simplefilter("ignore", RuntimeWarning)
    from pydub import AudioSegment
    from pydub.silence import detect_leading_silence

__all__ = [
    "SAMPLE_RATE",
    "AudioSegment",
    "detect_leading_silence",
    "ffmpeg_error",
    "ffmpeg_path",
    "silence",
    "to_house_format",
]

#: Sample rate of the assembled narration (Piper medium voices speak at 22050 Hz).
SAMPLE_RATE = 22050
SAMPLE_WIDTH = 2


@lru_cache(maxsize=4)
def ffmpeg_path(environment: Environment | None = None) -> str:
    """The ffmpeg to use: ``environment``'s ``ARTICLE_AUDIO_FFMPEG``, else the system one, else
    imageio-ffmpeg's. The runtime context (:mod:`article_audio.context`) passes the
    environment it read; without one, the process environment is read (once)."""
    configured = (environment or _process_environment()).ffmpeg
    if configured:
        if not (shutil.which(configured) or os.access(configured, os.X_OK)):
            raise ExportError(f"ARTICLE_AUDIO_FFMPEG={configured}: no such program")
        return configured
    system = shutil.which("ffmpeg")
    if system:
        return system
    try:
        import imageio_ffmpeg

        bundled: str = imageio_ffmpeg.get_ffmpeg_exe()
    except (ImportError, RuntimeError) as exc:
        raise ExportError("no ffmpeg found: install ffmpeg or the imageio-ffmpeg package") from exc
    return bundled


@lru_cache(maxsize=1)
def _process_environment() -> Environment:
    return read_environment()


def use_ffmpeg() -> str:
    """The path of our ffmpeg (:func:`ffmpeg_path`). pydub's own converter setting is never
    used: we run ffmpeg ourselves."""
    return ffmpeg_path()


def ffmpeg_error(stderr: str, fallback: str) -> str:
    """What went wrong, from what ffmpeg wrote to stderr: its last non-blank line, else
    ``fallback``."""
    lines = [line for line in stderr.strip().splitlines() if line.strip()]
    return lines[-1].strip() if lines else fallback


def silence(duration_ms: int) -> AudioSegment:
    """Silence in the house format."""
    return AudioSegment.silent(duration=duration_ms, frame_rate=SAMPLE_RATE)


def to_house_format(segment: AudioSegment) -> AudioSegment:
    """Mono, 16-bit, :data:`SAMPLE_RATE` Hz."""
    if segment.channels != 1:
        segment = segment.set_channels(1)
    if segment.sample_width != SAMPLE_WIDTH:
        segment = segment.set_sample_width(SAMPLE_WIDTH)
    if segment.frame_rate != SAMPLE_RATE:
        segment = segment.set_frame_rate(SAMPLE_RATE)
    return segment
