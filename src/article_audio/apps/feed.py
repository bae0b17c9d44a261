"""Podcast feed: a folder of articles becomes episodes and an RSS 2.0 feed with iTunes tags.

:func:`load_channel` reads the show's ``channel.toml``; :func:`build_feed` renders every article
of a folder that is new or changed since the last run (``DIR/<slug>.mp3`` plus all sidecars)
and writes ``DIR/feed.xml``; :func:`write_feed` writes the feed alone.

What was rendered is remembered in ``DIR/.article-audio-feed.json`` (the *state file*): for
each article (by file name) its episode's guid, slug, dates, files, byte length, duration and
two SHA-256 fingerprints, one of the article's bytes and one of the render settings (voice,
lexicon and cover contents, bitrate, loudness, package version...). An article whose
fingerprints match and whose files are all present is not rendered again. Guids are assigned
once, when an article is first rendered, and never change; entries are kept when an article
leaves the folder, so a returning article gets its old guid and slug back.

The feed is built with feedgen: its ``podcast`` extension for the iTunes tags and
:class:`PodcastIndexExtension` for the Podcasting 2.0 ``podcast:chapters`` and
``podcast:transcript`` tags. Every value goes through lxml, which escapes it; characters XML
cannot carry at all are dropped first (article text is untrusted).
"""

from __future__ import annotations

import contextlib
import dataclasses
import difflib
import hashlib
import json
import re
import sys
import unicodedata
import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from importlib import metadata
from pathlib import Path
from typing import Any, Literal
from urllib.parse import quote, urlsplit

from feedgen.ext.base import BaseEntryExtension, BaseExtension
from feedgen.feed import FeedGenerator
from feedgen.util import xml_elem

from article_audio.apps.render import RenderResult, render
from article_audio.audio.export import iso_date, write_atomically
from article_audio.config import RenderOptions, SidecarOptions
from article_audio.errors import ArticleAudioError, ExportError, InputError
from article_audio.script import NarrationScript

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

FEED_NAME = "feed.xml"
STATE_NAME = ".article-audio-feed.json"
STATE_VERSION = 1
#: Article files picked up from the articles folder (not recursive).
ARTICLE_SUFFIXES = (".txt", ".md", ".html")
PODCAST_NS = "https://podcastindex.org/namespace/1.0"
#: Sidecar file-name endings (after the slug) and the MIME types the feed announces them with.
TRANSCRIPT_TYPES = {
    ".vtt": "text/vtt",
    ".srt": "application/x-subrip",
    ".transcript.json": "application/json",
}
CHAPTERS_SUFFIX, CHAPTERS_TYPE = ".chapters.json", "application/json+chapters"
HTML_SUFFIX = ".html"
SIDECAR_SUFFIXES = (*TRANSCRIPT_TYPES, CHAPTERS_SUFFIX, HTML_SUFFIX)
#: Apple Podcasts' limit for descriptions; episode summaries are cut well below it.
MAX_DESCRIPTION_CHARS = 4000
SUMMARY_CHARS = 600
MAX_SLUG_CHARS = 60

#: Apple Podcasts categories and subcategories (podcasters.apple.com, 2019 list).
APPLE_CATEGORIES: dict[str, tuple[str, ...]] = {
    "Arts": ("Books", "Design", "Fashion & Beauty", "Food", "Performing Arts", "Visual Arts"),
    "Business": (
        "Careers", "Entrepreneurship", "Investing", "Management", "Marketing", "Non-Profit",
    ),
    "Comedy": ("Comedy Interviews", "Improv", "Stand-Up"),
    "Education": ("Courses", "How To", "Language Learning", "Self-Improvement"),
    "Fiction": ("Comedy Fiction", "Drama", "Science Fiction"),
    "Government": (),
    "Health & Fitness": (
        "Alternative Health", "Fitness", "Medicine", "Mental Health", "Nutrition", "Sexuality",
    ),
    "History": (),
    "Kids & Family": ("Education for Kids", "Parenting", "Pets & Animals", "Stories for Kids"),
    "Leisure": (
        "Animation & Manga", "Automotive", "Aviation", "Crafts", "Games", "Hobbies",
        "Home & Garden", "Video Games",
    ),
    "Music": ("Music Commentary", "Music History", "Music Interviews"),
    "News": (
        "Business News", "Daily News", "Entertainment News", "News Commentary", "Politics",
        "Sports News", "Tech News",
    ),
    "Religion & Spirituality": (
        "Buddhism", "Christianity", "Hinduism", "Islam", "Judaism", "Religion", "Spirituality",
    ),
    "Science": (
        "Astronomy", "Chemistry", "Earth Sciences", "Life Sciences", "Mathematics",
        "Natural Sciences", "Nature", "Physics", "Social Sciences",
    ),
    "Society & Culture": (
        "Documentary", "Personal Journals", "Philosophy", "Places & Travel", "Relationships",
    ),
    "Sports": (
        "Baseball", "Basketball", "Cricket", "Fantasy Sports", "Football", "Golf", "Hockey",
        "Rugby", "Running", "Soccer", "Swimming", "Tennis", "Volleyball", "Wilderness",
        "Wrestling",
    ),
    "Technology": (),
    "True Crime": (),
    "TV & Film": ("After Shows", "Film History", "Film Interviews", "Film Reviews", "TV Reviews"),
}  # fmt: skip


# --------------------------------------------------------------------------- channel config


@dataclass(frozen=True)
class Channel:
    """The show, from ``channel.toml``. ``base_url`` always ends with ``/``."""

    title: str
    author: str
    description: str
    image: str
    base_url: str
    language: str
    category: str
    subcategory: str | None
    explicit: bool
    link: str
    owner_email: str | None = None

    @property
    def feed_url(self) -> str:
        """Where ``feed.xml`` is published."""
        return self.url(FEED_NAME)

    def url(self, name: str) -> str:
        """The public URL of the file ``name`` in the published folder."""
        return self.base_url + quote(name)


#: channel.toml keys and their TOML types; ``link`` defaults to ``base_url``.
_REQUIRED_KEYS: dict[str, type] = {
    "title": str,
    "author": str,
    "description": str,
    "image": str,
    "base_url": str,
    "language": str,
    "category": str,
    "explicit": bool,
}
_OPTIONAL_KEYS: dict[str, type] = {"link": str, "owner_email": str}
_LANGUAGE = re.compile(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_TOML_TYPES = {
    str: "a string", bool: "a boolean", int: "an integer", float: "a number",
    list: "an array", dict: "a table",
}  # fmt: skip
_TOML_POSITION = re.compile(r"\(at line (\d+), column \d+\)")


class _ConfigProblem(Exception):
    """A channel.toml problem found while checking one key; becomes an :class:`InputError`."""

    def __init__(self, message: str, key: str | None = None) -> None:
        super().__init__(message)
        self.key = key


def load_channel(path: str | Path) -> Channel:
    """Read and validate a ``channel.toml``; errors name the file and, if known, the line."""
    source = Path(path)
    text = _read_config(source)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        found = _TOML_POSITION.search(str(exc))
        line = int(found.group(1)) if found else None
        message = _TOML_POSITION.sub("", str(exc).splitlines()[0]).strip()
        raise _config_error(source, f"not valid TOML: {message}", line) from exc
    try:
        return _channel_from(data)
    except _ConfigProblem as exc:
        line = _key_line(text, exc.key) if exc.key else None
        raise _config_error(source, str(exc), line) from None


def _read_config(source: Path) -> str:
    try:
        return source.read_bytes().decode("utf-8-sig")
    except FileNotFoundError as exc:
        raise InputError(f"{source}: no such file") from exc
    except IsADirectoryError as exc:
        raise InputError(f"{source}: is a directory, not a channel config") from exc
    except OSError as exc:
        raise InputError(f"{source}: cannot read ({exc.strerror})") from exc
    except UnicodeDecodeError as exc:
        raise InputError(f"{source}: not UTF-8 text") from exc


def _config_error(source: Path, message: str, line: int | None) -> InputError:
    where = f"{source}:{line}" if line else str(source)
    return InputError(f"{where}: {message}")


def _key_line(text: str, key: str) -> int | None:
    """1-based line of ``key = ...`` in ``text`` (bare or quoted key)."""
    pattern = re.compile(rf"^\s*(['\"]?){re.escape(key)}\1\s*=")
    for number, line in enumerate(text.splitlines(), start=1):
        if pattern.match(line):
            return number
    return None


def _channel_from(data: Mapping[str, Any]) -> Channel:
    _check_keys(data)
    text = {key: _text(data, key) for key in _REQUIRED_KEYS if key != "explicit"}
    base_url = _http_url(text["base_url"], "base_url").rstrip("/") + "/"
    category, subcategory = _category(text["category"])
    return Channel(
        title=text["title"],
        author=text["author"],
        description=_description(text["description"]),
        image=_image_url(text["image"]),
        base_url=base_url,
        language=_language(text["language"]),
        category=category,
        subcategory=subcategory,
        explicit=bool(data["explicit"]),
        link=_http_url(_text(data, "link"), "link") if "link" in data else base_url,
        owner_email=_email(_text(data, "owner_email")) if "owner_email" in data else None,
    )


def _check_keys(data: Mapping[str, Any]) -> None:
    known = {**_REQUIRED_KEYS, **_OPTIONAL_KEYS}
    for key in data:
        if key not in known:
            expected = ", ".join(known)
            raise _ConfigProblem(f"unknown key {key!r} (expected {expected})", key)
    for key in _REQUIRED_KEYS:
        if key not in data:
            raise _ConfigProblem(f"missing key {key!r}")
    for key, kind in known.items():
        if key in data and not isinstance(data[key], kind):
            wanted = "true or false" if kind is bool else "a string"
            found = _TOML_TYPES.get(type(data[key]), "date or time")
            raise _ConfigProblem(f"{key} must be {wanted}, not {found}", key)


def _text(data: Mapping[str, Any], key: str) -> str:
    value = _xml_safe(str(data[key])).strip()
    if not value:
        raise _ConfigProblem(f"{key} is empty", key)
    return value


def _http_url(value: str, key: str) -> str:
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc or " " in value:
        raise _ConfigProblem(f"{key} must be an http:// or https:// URL, not {value!r}", key)
    if key == "base_url" and (parts.query or parts.fragment):
        raise _ConfigProblem(f"base_url must not have a query or fragment: {value!r}", key)
    return value


def _image_url(value: str) -> str:
    # feedgen silently drops an itunes:image that does not end like this (Apple's rule too).
    if not value.endswith((".jpg", ".png")):
        raise _ConfigProblem(f"image must be a URL ending in .jpg or .png, not {value!r}", "image")
    return _http_url(value, "image")


def _description(value: str) -> str:
    if len(value) > MAX_DESCRIPTION_CHARS:
        message = f"description is longer than Apple's limit of {MAX_DESCRIPTION_CHARS} characters"
        raise _ConfigProblem(message, "description")
    return value


def _language(value: str) -> str:
    if not _LANGUAGE.fullmatch(value):
        raise _ConfigProblem(f"language must be a code like en or en-ca, not {value!r}", "language")
    return value.lower()


def _email(value: str) -> str:
    if not _EMAIL.fullmatch(value):
        raise _ConfigProblem(f"owner_email is not an e-mail address: {value!r}", "owner_email")
    return value


def _category(value: str) -> tuple[str, str | None]:
    """``"News > Daily News"`` → Apple's spelling of (category, subcategory)."""
    parent, _, child = (part.strip() for part in value.partition(">"))
    category = _match(parent, list(APPLE_CATEGORIES), "Apple Podcasts category")
    if not child:
        return category, None
    return category, _match(child, list(APPLE_CATEGORIES[category]), f"{category} subcategory")


def _match(value: str, choices: Sequence[str], what: str) -> str:
    by_key = {choice.casefold(): choice for choice in choices}
    if value.casefold() in by_key:
        return by_key[value.casefold()]
    close = difflib.get_close_matches(value, choices, n=1)
    hint = f"; did you mean {close[0]!r}?" if close else f" (one of: {', '.join(choices)})"
    if not choices:
        hint = " (it has no subcategories)"
    raise _ConfigProblem(f"unknown {what} {value!r}{hint}", "category")


# --------------------------------------------------------------------------- episodes and state


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
            values[key] = _utc(datetime.fromisoformat(values[key]))
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
    _write_if_changed(path, text.encode("utf-8"))
    return path


# --------------------------------------------------------------------------- fingerprints


def package_version() -> str:
    """The installed article-audio version (part of every settings fingerprint)."""
    try:
        return metadata.version("article-audio")
    except metadata.PackageNotFoundError:  # pragma: no cover - running from a bare checkout
        return "unknown"


def file_sha256(path: Path, what: str = "file") -> str:
    """SHA-256 of a file's bytes; an :class:`InputError` naming ``what`` if it cannot be read."""
    digest = hashlib.sha256()
    try:
        with path.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 16), b""):
                digest.update(block)
    except OSError as exc:
        raise InputError(f"{what} {path}: cannot read ({exc.strerror})") from exc
    return digest.hexdigest()


def settings_fingerprint(options: RenderOptions) -> str:
    """SHA-256 of everything besides the article that decides what an episode sounds like:
    every render option, the contents of the files they name and the package version."""
    voice = Path(options.script.voice)
    is_file = voice.suffix == ".toml" and voice.is_file()
    debris: tuple[str, ...] = getattr(options.script, "debris", ())
    settings = {
        "package": package_version(),
        "options": dataclasses.asdict(options),
        "voice_file": file_sha256(voice, "voice profile") if is_file else None,
        "lexicons": [file_sha256(Path(p), "lexicon") for p in options.script.lexicons],
        "debris": [file_sha256(Path(p), "debris file") for p in debris],
        "cover": file_sha256(Path(options.cover), "cover") if options.cover else None,
    }
    encoded = json.dumps(settings, sort_keys=True, default=str).encode("utf-8")
    return hashlib.sha256(encoded).hexdigest()


def feed_render_options(options: RenderOptions) -> RenderOptions:
    """``options`` as the feed renders them: MP3 with every sidecar."""
    return dataclasses.replace(options, audio_format="mp3", sidecars=SidecarOptions.everything())


# --------------------------------------------------------------------------- names and dates

#: Names Windows refuses for files, whatever the extension.
_RESERVED = frozenset(
    {"con", "prn", "aux", "nul"} | {f"{p}{n}" for p in ("com", "lpt") for n in range(1, 10)}
)


def slugify(stem: str) -> str:
    """A safe, stable file name from an article's file stem: lowercase ASCII letters, digits
    and hyphens, at most 60 characters, never empty or a reserved device name."""
    ascii_text = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    slug = slug[:MAX_SLUG_CHARS].rstrip("-")
    if not slug:
        return "article-" + hashlib.sha256(stem.encode("utf-8")).hexdigest()[:8]
    return f"{slug}-article" if slug in _RESERVED else slug


def unique_slug(slug: str, taken: Iterable[str]) -> str:
    """``slug``, or ``slug-2``, ``slug-3``... whichever is not ``taken``."""
    used = set(taken)
    candidate, number = slug, 1
    while candidate in used:
        number += 1
        candidate = f"{slug}-{number}"
    return candidate


#: UTC offsets (minutes) of zone abbreviations news sites print after a time.
_ZONES = {
    "UTC": 0, "GMT": 0, "Z": 0, "EST": -300, "EDT": -240, "CST": -360, "CDT": -300,
    "MST": -420, "MDT": -360, "PST": -480, "PDT": -420, "AKST": -540, "AKDT": -480,
    "HST": -600, "AST": -240, "ADT": -180, "NST": -210, "NDT": -150, "BST": 60,
    "CET": 60, "CEST": 120, "EET": 120, "EEST": 180,
}  # fmt: skip
_ISO_STAMP = re.compile(
    r"\b(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2})?)(?:\.\d+)?\s*(Z|[+-]\d{2}:?\d{2})"
)
_CLOCK = re.compile(r"\b(\d{1,2}):(\d{2})\s*(?:([AaPp])\.?\s*[Mm]\.?)?\s*([A-Z]{1,4})?\b(?![:\d])")


def published_at(text: str | None) -> datetime | None:
    """The UTC time of a publication date as printed on a news page, if it names a day.

    ``2026-01-05T09:00:00Z`` and ``Jan 05, 2026 4:00 AM EST`` give that moment; a day whose
    time or time zone is missing or unknown gives noon UTC, which is the same calendar day
    from UTC-11 to UTC+11.
    """
    if not text:
        return None
    stamp = _ISO_STAMP.search(text)
    if stamp:
        offset = stamp.group(3).replace("Z", "+00:00")
        offset = offset if ":" in offset else f"{offset[:3]}:{offset[3:]}"
        with contextlib.suppress(ValueError):
            return _utc(datetime.fromisoformat(f"{stamp.group(1)}T{stamp.group(2)}{offset}"))
    day = iso_date(text)
    if day is None or len(day) != len("2026-01-05"):
        return None
    noon = datetime.strptime(day, "%Y-%m-%d").replace(hour=12, tzinfo=timezone.utc)
    return _clock_time(text, noon) or noon


def _clock_time(text: str, day: datetime) -> datetime | None:
    """``day`` at the time printed in ``text``, if the time names a zone we know."""
    for found in _CLOCK.finditer(text):
        hour, minute, meridiem, zone = found.groups()
        if zone not in _ZONES:
            continue
        hours = int(hour)
        if meridiem:
            hours = hours % 12 + (12 if meridiem.lower() == "p" else 0)
        if hours > 23 or int(minute) > 59:
            continue
        local = day.replace(hour=hours, minute=int(minute), tzinfo=None)
        return _utc(local.replace(tzinfo=timezone(timedelta(minutes=_ZONES[zone]))))
    return None


def _utc(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        raise ValueError(f"{moment.isoformat()} has no time zone")
    return moment.astimezone(timezone.utc)


def _now() -> datetime:
    return datetime.now(timezone.utc).replace(microsecond=0)


# --------------------------------------------------------------------------- building


@dataclass(frozen=True)
class ArticleOutcome:
    """What happened to one article. ``episode`` is the one in the feed for it (for a failed
    article: the episode from an earlier run, if any, which stays in the feed)."""

    article: str
    status: Literal["rendered", "skipped", "failed"]
    episode: Episode | None
    error: str | None = None


FeedProgress = Callable[[ArticleOutcome], None]


@dataclass(frozen=True)
class FeedReport:
    """What :func:`build_feed` did. ``episodes`` are those in the feed, newest first."""

    feed: Path
    episodes: tuple[Episode, ...]
    outcomes: tuple[ArticleOutcome, ...]

    def _named(self, status: str) -> tuple[str, ...]:
        return tuple(o.article for o in self.outcomes if o.status == status)

    @property
    def rendered(self) -> tuple[str, ...]:
        return self._named("rendered")

    @property
    def skipped(self) -> tuple[str, ...]:
        return self._named("skipped")

    @property
    def failed(self) -> tuple[ArticleOutcome, ...]:
        return tuple(o for o in self.outcomes if o.status == "failed")


def find_articles(articles_dir: str | Path) -> list[Path]:
    """The article files (``*.txt``, ``*.md``, ``*.html``) directly in ``articles_dir``, sorted."""
    folder = Path(articles_dir)
    if not folder.is_dir():
        raise InputError(f"{folder}: no such folder")
    try:
        entries = list(folder.iterdir())
    except OSError as exc:
        raise InputError(f"{folder}: cannot list ({exc.strerror})") from exc
    return sorted(
        p
        for p in entries
        if p.suffix.lower() in ARTICLE_SUFFIXES and not p.name.startswith(".") and p.is_file()
    )


def build_feed(
    articles_dir: str | Path,
    channel: Channel,
    out_dir: str | Path,
    options: RenderOptions | None = None,
    progress: FeedProgress | None = None,
) -> FeedReport:
    """Render the new and changed articles of ``articles_dir`` into ``out_dir`` and write
    ``out_dir/feed.xml``. One article failing does not stop the others; see
    :attr:`FeedReport.failed`. ``progress`` is called once per article, when it is done."""
    articles = find_articles(articles_dir)
    render_options = feed_render_options(options or RenderOptions())
    settings = settings_fingerprint(render_options)
    target = _prepare_out_dir(articles_dir, out_dir)
    state = read_state(target)
    outcomes = []
    for article in articles:
        outcome = _build_episode(article, target, render_options, settings, state)
        outcomes.append(outcome)
        if progress is not None:
            progress(outcome)
    episodes = [o.episode for o in outcomes if o.episode is not None]
    feed = write_feed(channel, episodes, target)
    return FeedReport(feed=feed, episodes=_newest_first(episodes), outcomes=tuple(outcomes))


def _prepare_out_dir(articles_dir: str | Path, out_dir: str | Path) -> Path:
    target = Path(out_dir)
    if Path(articles_dir).resolve() == target.resolve():
        raise InputError(f"{target}: the output folder must not be the articles folder")
    try:
        target.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(f"{target}: cannot create the output folder ({exc.strerror})") from exc
    return target


def _build_episode(
    article: Path, target: Path, options: RenderOptions, settings: str, state: dict[str, Episode]
) -> ArticleOutcome:
    """Render ``article`` unless its episode is current; record a new episode in ``state``."""
    previous = state.get(article.name)
    try:
        digest = file_sha256(article, "article")
        if previous is not None and _is_current(previous, digest, settings, target):
            return ArticleOutcome(article.name, "skipped", previous)
        taken = [e.slug for name, e in state.items() if name != article.name]
        episode = _render_episode(article, target, options, (digest, settings), previous, taken)
    except Exception as exc:  # one article must not stop the others (KeyboardInterrupt does)
        kept = _still_present(previous, target)
        return ArticleOutcome(article.name, "failed", kept, _error_text(exc, article))
    state[article.name] = episode
    write_state(target, state)
    return ArticleOutcome(article.name, "rendered", episode)


def _is_current(episode: Episode, digest: str, settings: str, target: Path) -> bool:
    same = episode.article_sha256 == digest and episode.settings_sha256 == settings
    return same and all((target / name).is_file() for name in episode.files)


def _still_present(episode: Episode | None, target: Path) -> Episode | None:
    """An earlier episode with only the files still in ``target``; None without its MP3."""
    if episode is None or not (target / episode.audio).is_file():
        return None
    present = tuple(name for name in episode.sidecars if (target / name).is_file())
    return dataclasses.replace(episode, sidecars=present)


def _error_text(exc: Exception, article: Path) -> str:
    """The error message without a leading ``<article path>: `` (the report names it);
    errors that are not ours are named by their type, as the command line does."""
    message = str(exc).removeprefix(f"{article}: ")
    if not isinstance(exc, ArticleAudioError):
        message = f"unexpected {type(exc).__name__}: {message}"
    return message


def _render_episode(
    article: Path,
    target: Path,
    options: RenderOptions,
    fingerprints: tuple[str, str],
    previous: Episode | None,
    taken: Iterable[str],
) -> Episode:
    slug = previous.slug if previous else unique_slug(slugify(article.stem), taken)
    now = _now()
    result = render(article, target / f"{slug}.mp3", options)
    script = result.script
    first_rendered = previous.first_rendered if previous else now
    published = published_at(script.published) or (previous.published if previous else now)
    return Episode(
        article=article.name,
        slug=slug,
        guid=previous.guid if previous else f"urn:uuid:{uuid.uuid4()}",
        title=_xml_safe(script.title),
        summary=summary_of(script),
        author=_xml_safe(", ".join(script.authors) or script.byline or "") or None,
        published=published,
        first_rendered=first_rendered,
        rendered=now,
        article_sha256=fingerprints[0],
        settings_sha256=fingerprints[1],
        sidecars=_sidecar_names(result, slug, target),
        length=(target / f"{slug}.mp3").stat().st_size,
        duration_ms=result.duration_ms,
    )


def _sidecar_names(result: RenderResult, slug: str, target: Path) -> tuple[str, ...]:
    """The sidecars the render wrote. ``RenderResult.sidecars`` lists them; a pipeline
    without that field is asked through the files it would have written."""
    listed: Sequence[Path] | None = getattr(result, "sidecars", None)
    if listed is None:
        candidates = [target / (slug + suffix) for suffix in SIDECAR_SUFFIXES]
        listed = [path for path in candidates if path.is_file()]
    allowed = {slug + suffix for suffix in SIDECAR_SUFFIXES}
    return tuple(sorted(Path(p).name for p in listed if Path(p).name in allowed))


def summary_of(script: NarrationScript) -> str:
    """The episode description: the article's opening paragraph (whole sentences, about
    600 characters at most), without characters XML cannot carry. The script's first
    chapter is the spoken intro (title and byline), so the body starts after it."""
    body = script.chapters[1:] or script.chapters
    paragraphs = (p for chapter in body for p in chapter.paragraphs)
    first = next(paragraphs, None)
    summary = ""
    for sentence in first.sentences if first else ():
        if summary and len(summary) + len(sentence.text) > SUMMARY_CHARS:
            break
        summary = f"{summary} {sentence.text}".strip()
    if len(summary) > SUMMARY_CHARS:
        summary = summary[:SUMMARY_CHARS].rsplit(" ", 1)[0] + "…"
    return _xml_safe(summary or script.title)


def _newest_first(episodes: Iterable[Episode]) -> tuple[Episode, ...]:
    return tuple(sorted(episodes, key=lambda e: (e.published, e.slug), reverse=True))


# --------------------------------------------------------------------------- the feed


class PodcastIndexExtension(BaseExtension):
    """feedgen extension for the Podcasting 2.0 namespace: declares ``xmlns:podcast``."""

    def extend_ns(self) -> dict[str, str]:
        return {"podcast": PODCAST_NS}


class PodcastIndexEntryExtension(BaseEntryExtension):
    """feedgen item extension: ``<podcast:chapters>`` and ``<podcast:transcript>``."""

    def __init__(self) -> None:
        self._chapters: tuple[str, str] | None = None
        self._transcripts: list[dict[str, str]] = []

    def chapters(self, url: str, type: str = CHAPTERS_TYPE) -> None:
        """Link the episode's chapters file (Podcasting 2.0 JSON chapters)."""
        self._chapters = (url, type)

    def transcript(self, url: str, type: str, language: str | None = None) -> None:
        """Link one transcript file; call once per format."""
        attributes = {"url": url, "type": type}
        if language:
            attributes["language"] = language
        self._transcripts.append(attributes)

    def extend_ns(self) -> dict[str, str]:
        return {"podcast": PODCAST_NS}

    def extend_rss(self, entry: Any) -> Any:
        for attributes in self._transcripts:
            xml_elem(f"{{{PODCAST_NS}}}transcript", entry, **attributes)
        if self._chapters is not None:
            url, kind = self._chapters
            xml_elem(f"{{{PODCAST_NS}}}chapters", entry, url=url, type=kind)
        return entry


def write_feed(channel: Channel, episodes: Iterable[Episode], out_dir: str | Path) -> Path:
    """Write ``out_dir/feed.xml`` for ``episodes`` atomically; an unchanged feed is left alone
    (its build date is the newest render, so the same episodes give the same bytes)."""
    target = Path(out_dir)
    path = target / FEED_NAME
    _write_if_changed(path, feed_xml(channel, episodes, target))
    return path


def feed_xml(channel: Channel, episodes: Iterable[Episode], out_dir: str | Path) -> bytes:
    """The RSS 2.0 document. Enclosure lengths are the MP3s' sizes in ``out_dir`` now."""
    ordered = _newest_first(episodes)
    generator = _channel_generator(channel, ordered)
    for episode in ordered:
        _add_item(generator, channel, episode, Path(out_dir))
    data: bytes = generator.rss_str(pretty=True, encoding="UTF-8", xml_declaration=True)
    return data


def _channel_generator(channel: Channel, episodes: Sequence[Episode]) -> Any:
    generator = FeedGenerator()
    generator.load_extension("podcast")
    generator.register_extension("podcastindex", PodcastIndexExtension, PodcastIndexEntryExtension)
    generator.title(channel.title)
    generator.description(channel.description)
    generator.link(href=channel.feed_url, rel="self", type="application/rss+xml")
    generator.link(href=channel.link, rel="alternate")  # the last link is RSS's <link>
    generator.language(channel.language)
    generator.image(url=channel.image, title=channel.title, link=channel.link)
    generator.generator("article-audio", version=package_version())
    if episodes:
        generator.lastBuildDate(max(e.rendered for e in episodes))
    itunes = generator.podcast
    itunes.itunes_author(channel.author)
    itunes.itunes_image(channel.image)
    category = {"cat": channel.category}
    if channel.subcategory:
        category["sub"] = channel.subcategory
    itunes.itunes_category(category)
    itunes.itunes_explicit("yes" if channel.explicit else "no")
    itunes.itunes_type("episodic")
    if channel.owner_email:
        itunes.itunes_owner(name=channel.author, email=channel.owner_email)
    return generator


def _add_item(generator: Any, channel: Channel, episode: Episode, out_dir: Path) -> None:
    entry = generator.add_entry(order="append")
    entry.title(episode.title)
    entry.guid(episode.guid, permalink=False)
    length = _file_size(out_dir / episode.audio)
    entry.enclosure(channel.url(episode.audio), str(length), "audio/mpeg")
    page = episode.sidecar(HTML_SUFFIX)
    if page:
        entry.link(href=channel.url(page))
    entry.pubDate(episode.published)
    entry.description(episode.summary)
    entry.podcast.itunes_duration(str(max(1, round(episode.duration_ms / 1000))))
    entry.podcast.itunes_summary(episode.summary)
    if episode.author:
        entry.podcast.itunes_author(episode.author)
    for suffix, kind in TRANSCRIPT_TYPES.items():
        name = episode.sidecar(suffix)
        if name:
            entry.podcastindex.transcript(channel.url(name), kind, channel.language)
    chapters = episode.sidecar(CHAPTERS_SUFFIX)
    if chapters:
        entry.podcastindex.chapters(channel.url(chapters))


def _file_size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError as exc:
        raise ExportError(f"{path}: episode file is missing ({exc.strerror})") from exc


# --------------------------------------------------------------------------- files

#: Characters XML 1.0 cannot carry, even escaped.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _xml_safe(text: str) -> str:
    return _NOT_XML.sub("", text)


def _write_if_changed(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` atomically, unless it already holds exactly that."""
    with contextlib.suppress(OSError):
        if path.read_bytes() == data:
            return
    write_atomically(path, data)
