"""The engine protocol: every speech engine is an object with ``synthesize`` and ``close``."""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from article_audio.audio.segment import AudioSegment
from article_audio.voices import PhonemeMode

__all__ = ["Engine", "PhonemeMode"]


@runtime_checkable
class Engine(Protocol):
    """A loaded voice. ``synthesize`` turns one sentence into mono 16-bit audio.

    Implementations raise :class:`article_audio.errors.EngineError` (never a third-party
    error) and may return audio at any sample rate; the assembler resamples.
    """

    name: str
    phoneme_mode: PhonemeMode

    def synthesize(self, text: str) -> AudioSegment: ...

    def close(self) -> None: ...
