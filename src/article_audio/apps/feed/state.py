"""What a feed remembers between runs: its episodes, in the state file.

For each article (by file name) the state file holds its episode's guid, slug, dates, files,
byte length, duration and two SHA-256 fingerprints, one of the article's bytes
(:func:`file_fingerprint`) and one of the render settings (:func:`settings_fingerprint`).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from article_audio.apps.feed.names import SIDECAR_SUFFIXES, STATE_NAME, utc, write_if_changed
from article_audio.config import RenderOptions, SidecarOptions
from article_audio.errors import InputError
from article_audio.util import MAX_SLUG_CHARS, file_sha256, package_version

STATE_VERSION = 1


@dataclass(frozen=True)
class Episode:
    """One article's episode, as remembered in the state file. Times are UTC."""

    article: str
    slug: str
    guid: str
    title: str
    summary: str
    author: str | None
    published: datetime
    first_rendered: datetime
    rendered: datetime
    article_sha256: str
    settings_sha256: str
    sidecars: tuple[str, ...]
    length: int
    duration_ms: int

    @property
    def audio(self) -> str:
        """The MP3's file name."""
        return f"{self.slug}.mp3"

    @property
    def files(self) -> tuple[str, ...]:
        """Every file of the episode: the MP3, then its sidecars."""
        return (self.audio, *self.sidecars)

    def sidecar(self, suffix: str) -> str | None:
        """The sidecar named ``<slug><suffix>`` if it was written."""
        name = self.slug + suffix
        return name if name in self.sidecars else None

    def to_json(self) -> dict[str, Any]:
        data = dataclasses.asdict(self)
        for key in ("published", "first_rendered", "rendered"):
            data[key] = data[key].isoformat()
        data["sidecars"] = list(self.sidecars)
        return data

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Episode:
        """Raises ``ValueError``, ``KeyError`` or ``TypeError`` for anything malformed."""
        values = {field.name: data[field.name] for field in dataclasses.fields(cls)}
        for key in ("published", "first_rendered", "rendered"):
            values[key] = utc(datetime.fromisoformat(values[key]))
        values["sidecars"] = tuple(values["sidecars"])
        episode = cls(**values)
        _check_episode(episode)
        return episode


_SLUG = re.compile(r"[a-z0-9](?:[a-z0-9-]*[a-z0-9])?")
_HEX64 = re.compile(r"[0-9a-f]{64}")


def _check_episode(episode: Episode) -> None:
    """Refuse state entries that could point outside the output folder or are mistyped."""
    texts = (episode.article, episode.guid, episode.title, episode.summary)
    if not all(isinstance(value, str) for value in texts):
        raise TypeError("text fields must be strings")
    if not isinstance(episode.author, str | None):
        raise TypeError("author must be a string or null")
    if not _SLUG.fullmatch(episode.slug) or len(episode.slug) > MAX_SLUG_CHARS + 8:
        raise ValueError(f"bad slug {episode.slug!r}")
    if any(name not in {episode.slug + s for s in SIDECAR_SUFFIXES} for name in episode.sidecars):
        raise ValueError(f"bad sidecar names for {episode.slug!r}")
    fingerprints = (episode.article_sha256, episode.settings_sha256)
    if not all(isinstance(f, str) and _HEX64.fullmatch(f) for f in fingerprints):
        raise ValueError("bad fingerprint")
    numbers = (episode.length, episode.duration_ms)
    if not all(type(n) is int and n >= 0 for n in numbers) or not episode.guid:
        raise ValueError("bad length, duration or guid")


def read_state(out_dir: str | Path) -> dict[str, Episode]:
    """Episodes remembered in ``out_dir``'s state file, by article file name (empty if none)."""
    path = Path(out_dir) / STATE_NAME
    try:
        document = json.loads(path.read_bytes())
    except FileNotFoundError:
        return {}
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror})") from exc
    except ValueError as exc:
        raise _state_error(path, "not valid JSON") from exc
    if not isinstance(document, dict) or document.get("version") != STATE_VERSION:
        raise _state_error(path, f"not a version {STATE_VERSION} feed state")
    episodes = document.get("episodes")
    if not isinstance(episodes, dict):
        raise _state_error(path, "no episodes table")
    state: dict[str, Episode] = {}
    for name, entry in episodes.items():
        try:
            state[name] = Episode.from_json(entry)
        except (KeyError, TypeError, ValueError) as exc:
            raise _state_error(path, f"entry {name!r} is malformed ({exc})") from exc
        if state[name].article != name:
            raise _state_error(path, f"entry {name!r} names another article")
    if len({episode.slug for episode in state.values()}) != len(state):
        raise _state_error(path, "two entries share a slug")
    return state


def _state_error(path: Path, problem: str) -> InputError:
    return InputError(
        f"{path}: {problem}; repair it or delete it to render every episode again "
        "(deleting it gives every episode a new guid, so podcast apps list them again)"
    )


def write_state(out_dir: str | Path, state: Mapping[str, Episode]) -> Path:
    """Write the state file atomically (sorted, indented: it is meant to be diffable)."""
    path = Path(out_dir) / STATE_NAME
    document = {
        "version": STATE_VERSION,
        "generator": f"article-audio {package_version()}",
        "episodes": {name: state[name].to_json() for name in sorted(state)},
    }
    text = json.dumps(document, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    write_if_changed(path, text.encode("utf-8"))
    return path


def file_fingerprint(path: Path, what: str = "file") -> str:
    """SHA-256 of a file's bytes; an :class:`InputError` naming ``what`` if it cannot be read."""
    try:
        return file_sha256(path)
    except OSError as exc:
        raise InputError(f"{what} {path}: cannot read ({exc.strerror})") from exc


def settings_fingerprint(options: RenderOptions) -> str:
    """SHA-256 of everything besides the article that decides what an episode sounds like:
    every render option, the contents of the files they name and the package version."""
    voice = Path(options.script.voice)
    is_file = voice.suffix == ".toml" and voice.is_file()
    debris: tuple[str, ...] = getattr(options.script, "debris", ())
    settings = {
        "package": package_version(),
        "options": dataclasses.asdict(options),
        "voice_file": file_fingerprint(voice, "voice profile") if is_file else None,
        "lexicons": [file_fingerprint(Path(p), "lexicon") for p in options.script.lexicons],
        "debris": [file_fingerprint(Path(p), "debris file") for p in debris],
        "cover": file_fingerprint(Path(options.cover), "cover") if options.cover else None,
    }
    encoded = json.dumps(settings, sort_keys=True, default=str).encode("utf-8")
    return hashlib.sha256(encoded).hexdigest()


def feed_render_options(options: RenderOptions) -> RenderOptions:
    """``options`` as the feed renders them: MP3 with every sidecar."""
    return dataclasses.replace(options, audio_format="mp3", sidecars=SidecarOptions.everything())


def newest_first(episodes: Iterable[Episode]) -> tuple[Episode, ...]:
    """``episodes`` as the feed lists them: the newest first."""
    return tuple(sorted(episodes, key=lambda e: (e.published, e.slug), reverse=True))
