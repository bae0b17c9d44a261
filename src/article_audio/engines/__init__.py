"""Speech engines: Piper (neural, the default), the platform's voices via pyttsx3, and a fake.

Each engine lives in its own module and is imported only when a profile asks for it, so that
importing article_audio never loads onnxruntime or initializes espeak-ng.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING

from article_audio.engines.base import Engine, PhonemeMode
from article_audio.errors import EngineError, VoiceError

if TYPE_CHECKING:
    from article_audio.voices import VoiceProfile

__all__ = [
    "Engine",
    "PhonemeMode",
    "create_engine",
    "engine_status",
    "excerpt",
    "expected_duration_ms",
    "phoneme_inventory",
    "shares_threads",
    "voice_identity",
]

_WORD = re.compile(r"\w+")
_PHONEME_BLOCK = re.compile(r"\[\[.*?\]\]")


def _create_piper(profile: VoiceProfile) -> Engine:
    from article_audio.engines.piper.engine import PiperEngine

    return PiperEngine(profile)


def _create_pyttsx3(profile: VoiceProfile) -> Engine:
    from article_audio.engines.pyttsx3 import Pyttsx3Engine

    return Pyttsx3Engine(profile)


def _create_fake(profile: VoiceProfile) -> Engine:
    from article_audio.engines.fake import FakeEngine

    return FakeEngine(profile)


_FACTORIES: dict[str, Callable[[VoiceProfile], Engine]] = {
    "piper": _create_piper,
    "pyttsx3": _create_pyttsx3,
    "fake": _create_fake,
}


#: Engines whose one loaded voice may synthesize on several threads at once. Piper's model runs
#: in onnxruntime with the GIL released (one session, its weights loaded once, serves every
#: thread); pyttsx3 drives one platform voice and one event loop, so it gets worker processes.
_THREAD_SAFE = frozenset({"piper", "fake"})


def shares_threads(profile: VoiceProfile) -> bool:
    """Whether ``profile``'s engine, loaded once, may synthesize on several threads at once."""
    return profile.engine in _THREAD_SAFE


def create_engine(profile: VoiceProfile) -> Engine:
    """Load the engine and voice that ``profile`` names.

    Raises :class:`VoiceError` with a one-line, actionable message when the engine's package is
    missing or the voice cannot be used on this machine. Nothing is ever downloaded.
    """
    factory = _FACTORIES.get(profile.engine)
    if factory is None:
        known = ", ".join(_FACTORIES)
        raise VoiceError(
            f"voice {profile.name!r}: unknown engine {profile.engine!r} (one of {known})"
        )
    return factory(profile)


def voice_identity(profile: VoiceProfile) -> dict[str, str]:
    """Everything about ``profile``'s voice that changes how a string sounds: the sentence
    cache's key. Computed without loading the engine, so a fully cached render loads none."""
    identity = {
        "engine": profile.engine,
        "voice": profile.voice,
        "language": profile.language,
        "rate": repr(float(profile.rate)),
    }
    if profile.engine == "piper":
        from article_audio.engines.piper.engine import identity as engine_identity
    elif profile.engine == "pyttsx3":
        from article_audio.engines.pyttsx3 import identity as engine_identity
    else:
        from article_audio.engines.fake import identity as engine_identity
    identity.update(engine_identity(profile))
    return identity


def phoneme_inventory(profile: VoiceProfile) -> frozenset[str] | None:
    """The symbols ``profile``'s voice can say in inline ``[[ ... ]]`` IPA, read without loading
    the engine; None when the engine takes no IPA, has no fixed set, or its voice cannot be
    found (then loading the engine reports the problem)."""
    if profile.engine != "piper":
        return None
    from article_audio.engines.piper.engine import phoneme_inventory as piper_inventory

    try:
        return piper_inventory(profile)
    except VoiceError:
        return None


def engine_status(profile: VoiceProfile) -> tuple[bool, str]:
    """Whether ``profile`` works on this machine, and a short reason.

    The engine is really loaded (and closed again), so a broken model or a missing system
    library is caught here rather than halfway through a render.
    """
    try:
        engine = create_engine(profile)
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
