"""One record per speech engine: everything the rest of the package asks about an engine.

An engine is chosen by the name a voice profile gives (``engine = "piper"``); its record says
how to load it, what its voice's identity is (the sentence cache's key), which inline IPA
symbols it can say, how it takes lexicon pronunciations and whether one loaded voice may serve
several threads. Each engine's module is imported only when its record is first used, so
importing article_audio never loads onnxruntime or initializes espeak-ng.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any

from article_audio.engines.base import Engine
from article_audio.errors import VoiceError
from article_audio.voices import PhonemeMode, VoiceProfile

__all__ = ["ENGINES", "EngineRecord", "engine_record"]


def _lazy(module: str, name: str) -> Callable[..., Any]:
    """``module.name``, imported when first called."""

    def call(*args: Any) -> Any:
        return getattr(importlib.import_module(f"article_audio.engines.{module}"), name)(*args)

    call.__qualname__ = f"{module}.{name}"
    return call


def _loader(module: str, name: str, *, keeps_models: bool) -> Callable[..., Engine]:
    """The engine class ``module.name`` as a factory of ``(profile, model_dir)``; an engine
    that keeps no model files is given the profile only."""
    engine_class = _lazy(module, name)

    def load(profile: VoiceProfile, model_dir: Path | None) -> Engine:
        made: Engine = engine_class(profile, model_dir) if keeps_models else engine_class(profile)
        return made

    return load


@dataclass(frozen=True)
class EngineRecord:
    """One speech engine.

    ``factory(profile, model_dir)`` loads the voice; ``model_dir`` is the folder where the
    engine may keep files it makes from a voice (Piper's rewritten model), handed down from the
    runtime context (None: keep nothing, make them in memory). ``identity(profile)`` is what
    decides the voice's sound besides the profile, computed without loading the engine.
    ``inventory(profile)`` is the set of symbols the voice can say in inline ``[[ ... ]]``
    IPA (None for engines that take no IPA or have no fixed set). ``phoneme_mode`` is how the
    engine takes lexicon pronunciations; ``shares_threads`` whether one loaded voice may
    synthesize on several threads at once. ``first_utterance_chars``: for a voice slow to
    synthesize, the characters of spoken text a narration's first utterance keeps so that it
    is heard soon (its first sentence is cut at a phrase boundary within them, see
    :func:`article_audio.clauses.first_utterance`); None: the first sentence stays whole.
    """

    name: str
    factory: Callable[[VoiceProfile, Path | None], Engine]
    identity: Callable[[VoiceProfile], dict[str, str]]
    inventory: Callable[[VoiceProfile], frozenset[str]] | None
    phoneme_mode: PhonemeMode
    shares_threads: bool
    first_utterance_chars: int | None = None


def _record(
    name: str,
    module: str,
    engine_class: str,
    phoneme_mode: PhonemeMode,
    *,
    shares_threads: bool,
    keeps_models: bool = False,
    has_inventory: bool = False,
    first_utterance_chars: int | None = None,
) -> EngineRecord:
    """The record of the engine ``engine_class`` in ``module`` (under ``engines/``), whose
    module also has ``identity(profile)`` and, ``has_inventory``, ``phoneme_inventory(profile)``."""
    return EngineRecord(
        name=name,
        factory=_loader(module, engine_class, keeps_models=keeps_models),
        identity=_lazy(module, "identity"),
        inventory=_lazy(module, "phoneme_inventory") if has_inventory else None,
        phoneme_mode=phoneme_mode,
        shares_threads=shares_threads,
        first_utterance_chars=first_utterance_chars,
    )


#: Characters of spoken text in the first utterance of a Kokoro narration (see
#: :attr:`EngineRecord.first_utterance_chars`).
KOKORO_FIRST_UTTERANCE_CHARS = 26

#: Every engine a profile may name. Kokoro's and Piper's models run in onnxruntime with the
#: GIL released (one session, its weights loaded once, serves every thread) and take inline
#: IPA (Kokoro converts it to its own phonemes); pyttsx3
#: drives one platform voice and one event loop, so it gets worker processes, and takes
#: respellings; the fake (for tests) is a pure function of its text. Kokoro on one thread
#: takes about 38 ms per phoneme token (about one token per character of spoken text), so a
#: first utterance of at most :data:`KOKORO_FIRST_UTTERANCE_CHARS` is made in about a second;
#: Piper makes a whole title in a tenth of that.
ENGINES: Mapping[str, EngineRecord] = MappingProxyType(
    {
        record.name: record
        for record in (
            _record(
                "kokoro",
                "kokoro.engine",
                "KokoroEngine",
                "ipa",
                shares_threads=True,
                keeps_models=True,
                has_inventory=True,
                first_utterance_chars=KOKORO_FIRST_UTTERANCE_CHARS,
            ),
            _record(
                "piper",
                "piper.engine",
                "PiperEngine",
                "ipa",
                shares_threads=True,
                keeps_models=True,
                has_inventory=True,
            ),
            _record("pyttsx3", "pyttsx3", "Pyttsx3Engine", "respelling", shares_threads=False),
            _record("fake", "fake", "FakeEngine", "ipa", shares_threads=True),
        )
    }
)


def engine_record(profile: VoiceProfile) -> EngineRecord:
    """The record of the engine ``profile`` names; a :class:`VoiceError` for an unknown one."""
    record = ENGINES.get(profile.engine)
    if record is None:
        where = f" ({profile.path})" if profile.path else ""
        raise VoiceError(
            f"voice {profile.name!r}{where}: unknown engine {profile.engine!r} "
            f"(one of {', '.join(ENGINES)})"
        )
    return record
