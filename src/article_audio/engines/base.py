"""The engine protocol: every speech engine is an object with ``synthesize`` and ``close``.

Word times are an optional extension: an engine whose voice knows when each word is spoken
(Piper and Kokoro, from their phoneme durations) also has ``synthesize_timed``
(:class:`TimedEngine`), returning the audio with a
:class:`~article_audio.engines.timing.WordTime` per word of the text.
:func:`synthesize_timed` calls it where it exists and otherwise estimates the times from the
audio (flagged :attr:`~article_audio.engines.timing.TimedAudio.estimated`), so every engine
can be asked for word times and ``synthesize`` alone stays a complete engine.

An engine with its own durations (per phoneme or per word, in samples of the audio it returns)
turns them into word times with
:func:`~article_audio.engines.timing.word_times_from_phonemes` or builds the
:class:`~article_audio.engines.timing.WordTime` records itself, one per word of
:func:`~article_audio.engines.timing.spoken_words`.
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from article_audio.audio.segment import AudioSegment
from article_audio.engines.timing import TimedAudio, estimate_word_times
from article_audio.voices import PhonemeMode

__all__ = ["Engine", "PhonemeMode", "TimedAudio", "TimedEngine", "synthesize_timed"]


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


@runtime_checkable
class TimedEngine(Engine, Protocol):
    """An engine that says when each word is heard: ``synthesize_timed(text)`` returns what
    ``synthesize(text)`` would, with one word time per word of ``text``
    (:func:`~article_audio.engines.timing.spoken_words`), in samples of that audio."""

    def synthesize_timed(self, text: str) -> TimedAudio: ...


def synthesize_timed(engine: Engine, text: str) -> TimedAudio:
    """``text`` spoken by ``engine`` with its words' times: the engine's own where it has them
    (:class:`TimedEngine`), else estimated from the audio (flagged as estimated)."""
    if isinstance(engine, TimedEngine):
        return engine.synthesize_timed(text)
    audio = engine.synthesize(text)
    return TimedAudio(audio, estimate_word_times(text, audio), estimated=True)
