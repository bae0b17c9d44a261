"""What a feed remembers between runs: its episodes, in the state file.

For each article (a file by its name, a page of the site's feed by the feed item's id) the
state file holds its episode's guid, slug, dates, files, byte length, duration and two SHA-256
fingerprints: one of the article (a file's bytes, :func:`file_fingerprint`; a page's cleaned
text, :func:`article_fingerprint`, so a page whose ads change is not rendered again) and one
of the render settings (:func:`settings_fingerprint`). A page's episode also keeps the page's
URL, the byline's authors and the validators its server gave (``ETag``, ``Last-Modified``),
and the site's feed is remembered too (:class:`~article_audio.apps.feed.source.Snapshot`), so
the next poll asks for both conditionally.
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
from article_audio.apps.feed.source import Snapshot
from article_audio.config import RenderOptions, SidecarOptions
from article_audio.errors import InputError
from article_audio.text.article import Article
from article_audio.text.fetch import Validators
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
    #: The article page's URL, for an article of the site's feed (None: a file).
    link: str | None = None
    #: The byline's authors, each a ``podcast:person``.
    persons: tuple[str, ...] = ()
    #: The page's ``ETag`` and ``Last-Modified``, sent back when it is fetched again.
    etag: str | None = None
    last_modified: str | None = None

    @property
    def from_page(self) -> bool:
        """Whether the article is a page of the site's feed (not a file of the folder)."""
        return self.link is not None

    @property
    def validators(self) -> Validators:
        return Validators(self.etag, self.last_modified)

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
        data["persons"] = list(self.persons)
        return data

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Episode:
        """Raises ``ValueError``, ``KeyError`` or ``TypeError`` for anything malformed (the
        fields added for pages may be missing: a state file written before them)."""
        values = {}
        for field in dataclasses.fields(cls):
            later = field.name in _LATER_FIELDS
            values[field.name] = data.get(field.name, field.default) if later else data[field.name]
        for key in ("published", "first_rendered", "rendered"):
            values[key] = utc(datetime.fromisoformat(values[key]))
        values["sidecars"] = tuple(values["sidecars"])
        values["persons"] = tuple(values["persons"])
        episode = cls(**values)
        _check_episode(episode)
        return episode


#: Fields added after the first state files were written; they may be missing.
_LATER_FIELDS = frozenset({"link", "persons", "etag", "last_modified"})
_SLUG = re.compile(r"[a-z0-9](?:[a-z0-9-]*[a-z0-9])?")
_HEX64 = re.compile(r"[0-9a-f]{64}")


def _check_episode(episode: Episode) -> None:
    """Refuse state entries that could point outside the output folder or are mistyped."""
    texts = (episode.article, episode.guid, episode.title, episode.summary)
    if not all(isinstance(value, str) for value in texts):
        raise TypeError("text fields must be strings")
    optional = (episode.author, episode.link, episode.etag, episode.last_modified)
    if not all(isinstance(value, str | None) for value in optional):
        raise TypeError("author, link, etag and last_modified must be strings or null")
    if not all(isinstance(person, str) for person in episode.persons):
        raise TypeError("persons must be strings")
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


@dataclass
class FeedState:
    """Everything the state file holds: the episodes by article (a file's name, a page's feed
    item id) and the site feeds polled, by URL."""

    episodes: dict[str, Episode] = dataclasses.field(default_factory=dict)
    sources: dict[str, Snapshot] = dataclasses.field(default_factory=dict)


def read_state(out_dir: str | Path) -> dict[str, Episode]:
    """Episodes remembered in ``out_dir``'s state file, by article (empty if none)."""
    return read_feed_state(out_dir).episodes


def read_feed_state(out_dir: str | Path) -> FeedState:
    """What ``out_dir``'s state file remembers (nothing if there is none yet)."""
    path = Path(out_dir) / STATE_NAME
    try:
        document = json.loads(path.read_bytes())
    except (FileNotFoundError, NotADirectoryError):
        return FeedState()
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror})") from exc
    except ValueError as exc:
        raise _state_error(path, "not valid JSON") from exc
    if not isinstance(document, dict) or document.get("version") != STATE_VERSION:
        raise _state_error(path, f"not a version {STATE_VERSION} feed state")
    episodes = document.get("episodes")
    sources = document.get("sources", {})
    if not isinstance(episodes, dict) or not isinstance(sources, dict):
        raise _state_error(path, "no episodes table")
    state = FeedState()
    for name, entry in episodes.items():
        try:
            state.episodes[name] = Episode.from_json(entry)
        except (KeyError, TypeError, ValueError) as exc:
            raise _state_error(path, f"entry {name!r} is malformed ({exc})") from exc
        if state.episodes[name].article != name:
            raise _state_error(path, f"entry {name!r} names another article")
    if len({episode.slug for episode in state.episodes.values()}) != len(state.episodes):
        raise _state_error(path, "two entries share a slug")
    for url, entry in sources.items():
        try:
            state.sources[url] = Snapshot.from_json(entry)
        except (KeyError, TypeError, ValueError) as exc:
            raise _state_error(path, f"feed {url!r} is malformed ({exc})") from exc
    return state


def _state_error(path: Path, problem: str) -> InputError:
    return InputError(
        f"{path}: {problem}; repair it or delete it to render every episode again "
        "(deleting it gives the folder's episodes new guids, so podcast apps list them again)"
    )


def write_state(
    out_dir: str | Path,
    state: Mapping[str, Episode],
    sources: Mapping[str, Snapshot] | None = None,
) -> Path:
    """Write the state file atomically (sorted, indented: it is meant to be diffable)."""
    path = Path(out_dir) / STATE_NAME
    document: dict[str, Any] = {
        "version": STATE_VERSION,
        "generator": f"article-audio {package_version()}",
        "episodes": {name: state[name].to_json() for name in sorted(state)},
    }
    if sources:
        document["sources"] = {url: sources[url].to_json() for url in sorted(sources)}
    text = json.dumps(document, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    write_if_changed(path, text.encode("utf-8"))
    return path


def article_fingerprint(article: Article) -> str:
    """SHA-256 of what a cleaned article says: title, byline, authors, publication, published
    date and the text of its sections; not its URL, its *updated* date or anything else of
    the page it came from (ads, menus, scripts are gone by now)."""
    spoken = {
        "title": article.title,
        "byline": article.byline,
        "authors": list(article.authors),
        "publication": article.publication,
        "published": article.published,
        "sections": [[section.heading, list(section.paragraphs)] for section in article.sections],
    }
    encoded = json.dumps(spoken, ensure_ascii=False, sort_keys=True).encode("utf-8")
    return hashlib.sha256(encoded).hexdigest()


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
    """``options`` as the feed renders them: MP3, with the sidecars they ask for, or every
    sidecar if they ask for none."""
    sidecars = options.sidecars if options.sidecars != SidecarOptions() else None
    return dataclasses.replace(
        options, audio_format="mp3", sidecars=sidecars or SidecarOptions.everything()
    )


def newest_first(episodes: Iterable[Episode]) -> tuple[Episode, ...]:
    """``episodes`` as the feed lists them: the newest first."""
    return tuple(sorted(episodes, key=lambda e: (e.published, e.slug), reverse=True))
