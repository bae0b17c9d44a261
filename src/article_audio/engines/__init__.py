"""Speech engines: Piper (neural, the default), the platform's voices via pyttsx3, and a fake.

Each engine lives in its own module, described by one record in :mod:`.registry`, and is
imported only when a profile asks for it, so that importing article_audio never loads
onnxruntime or initializes espeak-ng.
"""

from __future__ import annotations

import re
from pathlib import Path

from article_audio.engines.base import Engine, TimedEngine, synthesize_timed
from article_audio.engines.registry import engine_record
from article_audio.engines.timing import TimedAudio, WordTime
from article_audio.errors import EngineError, VoiceError
from article_audio.voices import PhonemeMode, VoiceProfile

__all__ = [
    "Engine",
    "PhonemeMode",
    "TimedAudio",
    "TimedEngine",
    "WordTime",
    "create_engine",
    "engine_status",
    "excerpt",
    "expected_duration_ms",
    "first_utterance_chars",
    "phoneme_inventory",
    "phoneme_mode",
    "shares_threads",
    "synthesize_timed",
    "voice_identity",
]

_WORD = re.compile(r"\w+")
_PHONEME_BLOCK = re.compile(r"\[\[.*?\]\]")


def shares_threads(profile: VoiceProfile) -> bool:
    """Whether ``profile``'s engine, loaded once, may synthesize on several threads at once."""
    return engine_record(profile).shares_threads


def create_engine(profile: VoiceProfile, model_dir: Path | None = None) -> Engine:
    """Load the engine and voice that ``profile`` names. ``model_dir``: where the engine may
    keep the files it makes from a voice (the runtime context's model folder); None keeps
    nothing on disk.

    Raises :class:`VoiceError` with a one-line, actionable message when the engine's package is
    missing or the voice cannot be used on this machine. Nothing is ever downloaded.
    """
    return engine_record(profile).factory(profile, model_dir)


def voice_identity(profile: VoiceProfile) -> dict[str, str]:
    """Everything about ``profile``'s voice that changes how a string sounds: the sentence
    cache's key. Computed without loading the engine, so a fully cached render loads none."""
    identity = {
        "engine": profile.engine,
        "voice": profile.voice,
        "language": profile.language,
        "rate": repr(float(profile.rate)),
    }
    identity.update(engine_record(profile).identity(profile))
    return identity


def phoneme_inventory(profile: VoiceProfile) -> frozenset[str] | None:
    """The symbols ``profile``'s voice can say in inline ``[[ ... ]]`` IPA, read without loading
    the engine; None when the engine takes no IPA, has no fixed set, or its voice cannot be
    found (then loading the engine reports the problem)."""
    inventory = engine_record(profile).inventory
    if inventory is None:
        return None
    try:
        return inventory(profile)
    except VoiceError:
        return None


def first_utterance_chars(profile: VoiceProfile) -> int | None:
    """Characters of spoken text the narration's first utterance keeps for ``profile``'s
    voice, or None: the first sentence stays whole (see
    :attr:`~article_audio.engines.registry.EngineRecord.first_utterance_chars`)."""
    return engine_record(profile).first_utterance_chars


def phoneme_mode(profile: VoiceProfile) -> PhonemeMode:
    """How ``profile``'s engine takes lexicon pronunciations (inline IPA or a respelling)."""
    return engine_record(profile).phoneme_mode


def engine_status(profile: VoiceProfile, model_dir: Path | None = None) -> tuple[bool, str]:
    """Whether ``profile`` works on this machine, and a short reason.

    The engine is really loaded (and closed again; ``model_dir`` as for :func:`create_engine`),
    so a broken model or a missing system library is caught here rather than halfway through a
    render.
    """
    try:
        engine = create_engine(profile, model_dir)
    except (VoiceError, EngineError) as exc:
        return False, str(exc)
    try:
        return True, str(getattr(engine, "description", "ready"))
    finally:
        engine.close()


def expected_duration_ms(text: str, profile: VoiceProfile) -> float:
    """How long ``text`` should take at the profile's pace; an inline ``[[ ... ]]`` phoneme
    block counts as one word."""
    words = len(_WORD.findall(_PHONEME_BLOCK.sub(" w ", text)))
    return words * 60_000 / (profile.words_per_minute * profile.rate)


def excerpt(text: str, limit: int = 60) -> str:
    """``text`` quoted for an error message, shortened to about ``limit`` characters."""
    text = " ".join(text.split())
    return repr(text if len(text) <= limit else text[: limit - 1] + "…")
