"""Synthesis stage: every sentence of the script becomes audio, with guards against silent loss.

A sentence that yields no audio, only silence, or audio far too short for its words is retried
once and then reported as an :class:`EngineError` naming the sentence: a gap in the narration is
never acceptable.
"""

from __future__ import annotations

from dataclasses import dataclass

from article_audio.audio.segment import AudioSegment, to_house_format
from article_audio.engines import (
    Engine,
    TimedAudio,
    excerpt,
    expected_duration_ms,
    synthesize_timed,
)
from article_audio.errors import EngineError
from article_audio.script import Sentence
from article_audio.voices import VoiceProfile

#: Audio quieter than this (dBFS, peak) counts as silence.
SILENCE_DBFS = -50.0
#: Audio shorter than this share of the expected duration counts as truncated.
MIN_DURATION_SHARE = 0.3
#: Tries per sentence before giving up.
ATTEMPTS = 2


@dataclass(frozen=True)
class SpokenSentence:
    """A sentence of the script and its audio (house format) with its spoken words' times."""

    sentence: Sentence
    timed: TimedAudio

    @property
    def audio(self) -> AudioSegment:
        return self.timed.audio


def check_audio(audio: AudioSegment, spoken: str, profile: VoiceProfile) -> str | None:
    """Why ``audio`` is not acceptable for ``spoken``, or None if it is."""
    if len(audio) == 0:
        return "the engine returned no audio"
    if audio.max_dBFS < SILENCE_DBFS:
        return "the engine returned only silence"
    expected = expected_duration_ms(spoken, profile)
    if len(audio) < expected * MIN_DURATION_SHARE:
        return (
            f"the engine returned {len(audio)} ms of audio where about {expected:.0f} ms "
            "was expected (truncated?)"
        )
    return None


def synthesize_sentence(
    engine: Engine, sentence: Sentence, profile: VoiceProfile
) -> SpokenSentence:
    """Audio for one sentence with its words' times (the engine's, else estimated), retried
    once if the engine fails or loses audio."""
    problem = "no attempt made"
    for _ in range(ATTEMPTS):
        try:
            timed = synthesize_timed(engine, sentence.spoken)
        except EngineError as exc:
            problem = str(exc)
            continue
        problem = check_audio(timed.audio, sentence.spoken, profile) or ""
        if not problem:
            return SpokenSentence(sentence, timed.resampled(to_house_format(timed.audio)))
    raise EngineError(f"could not synthesize {excerpt(sentence.text)}: {problem}")
