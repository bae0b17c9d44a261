"""Voice profiles: ``voices/*.toml`` files naming an engine, a voice and its pacing."""

from __future__ import annotations

from dataclasses import dataclass, fields
from importlib import resources
from pathlib import Path
from typing import Any, Literal

from article_audio.errors import VoiceError
from article_audio.util import tomllib

#: How an engine wants lexicon pronunciations: inline IPA (``[[ ... ]]``) or a plain respelling
#: (each engine's is in :mod:`article_audio.engines.registry`).
PhonemeMode = Literal["ipa", "respelling"]


@dataclass(frozen=True)
class VoiceProfile:
    """How one voice speaks. Times are milliseconds.

    ``rate`` scales the voice's natural speed (1.0 = as trained, 1.2 = 20% faster).
    ``words_per_minute`` is the voice's typical pace at that rate; it is used to plan chapters
    before any audio exists and to catch audio that is far too short for its text.
    """

    name: str
    engine: str
    voice: str
    description: str = ""
    language: str = "en-US"
    rate: float = 1.0
    words_per_minute: int = 165
    sentence_pause_ms: int = 350
    paragraph_pause_ms: int = 800
    chapter_pause_ms: int = 1500
    lexicons: tuple[str, ...] = ("en-news.lexicon.toml",)
    #: For people choosing a voice (``article-audio voices``); none changes how it sounds.
    gender: str = ""
    licence: str = ""
    #: Its speed as measured here (``benchmarks/voices.py``), in words.
    measured_speed: str = ""
    path: str | None = None


def voices_dir() -> Path:
    """The folder of shipped profiles and lexicons.

    In an installed wheel it is ``article_audio/voices``; in an editable checkout, the
    repository's top-level ``voices/``.
    """
    packaged = Path(str(resources.files("article_audio"))) / "voices"
    if packaged.is_dir():
        return packaged
    checkout = Path(__file__).resolve().parents[2] / "voices"
    if checkout.is_dir():
        return checkout
    raise VoiceError("the shipped voices folder is missing; reinstall article-audio")


def _profile_from_dict(data: dict[str, Any], name: str, path: Path) -> VoiceProfile:
    known = {f.name for f in fields(VoiceProfile)} - {"name", "path"}
    unknown = sorted(set(data) - known)
    if unknown:
        raise VoiceError(f"{path}: unknown key(s) {', '.join(unknown)}")
    for key in ("engine", "voice"):
        if not isinstance(data.get(key), str) or not data[key]:
            raise VoiceError(f"{path}: missing {key!r}")
    values = dict(data)
    if "lexicons" in values:
        values["lexicons"] = tuple(values["lexicons"])
    try:
        profile = VoiceProfile(name=name, path=str(path), **values)
    except TypeError as exc:
        raise VoiceError(f"{path}: {exc}") from exc
    if not 0.25 <= profile.rate <= 4.0:
        raise VoiceError(f"{path}: rate must be between 0.25 and 4.0")
    return profile


def load_profile_file(path: Path) -> VoiceProfile:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise VoiceError(f"{path}: cannot read ({exc.strerror})") from exc
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise VoiceError(f"{path}: not valid TOML ({exc})") from exc
    return _profile_from_dict(data, path.stem, path)


def list_profiles() -> list[VoiceProfile]:
    """Every shipped profile, sorted by name."""
    return [load_profile_file(p) for p in sorted(voices_dir().glob("*.toml")) if _is_profile(p)]


def _is_profile(path: Path) -> bool:
    return not path.name.endswith(".lexicon.toml")


def load_profile(name: str) -> VoiceProfile:
    """A shipped profile by name (``joe``), or a profile file by path."""
    candidate = Path(name)
    if candidate.suffix == ".toml" and candidate.is_file():
        return load_profile_file(candidate)
    path = voices_dir() / f"{name}.toml"
    if not _is_profile(path) or not path.is_file():
        names = ", ".join(p.name for p in list_profiles())
        raise VoiceError(f"unknown voice {name!r} (available: {names})")
    return load_profile_file(path)
