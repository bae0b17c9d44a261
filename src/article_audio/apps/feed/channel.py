"""The show, from ``channel.toml``: :func:`load_channel` reads and checks it; every error
names the file and, when it can, the line."""

from __future__ import annotations

import difflib
import re
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

from article_audio.apps.feed.names import FEED_NAME, xml_safe
from article_audio.errors import InputError
from article_audio.util import tomllib

#: Apple Podcasts' limit for descriptions; episode summaries are cut well below it.
MAX_DESCRIPTION_CHARS = 4000

#: The namespace of channel guids (podcastindex.org namespace, ``<podcast:guid>``).
PODCAST_GUID_NAMESPACE = uuid.UUID("ead4c236-bf58-58c6-a2c6-a6b28d128cb6")

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

    @property
    def guid(self) -> uuid.UUID:
        """The channel's ``podcast:guid``: a UUIDv5 of the feed's URL without its scheme
        (``https://``) and trailing slashes, as the Podcasting 2.0 namespace specifies."""
        parts = urlsplit(self.feed_url)
        bare = self.feed_url[len(parts.scheme) + len("://") :].rstrip("/")
        return uuid.uuid5(PODCAST_GUID_NAMESPACE, bare)


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
    value = xml_safe(str(data[key])).strip()
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
