"""A site's own feed (``feed --from URL``): its items are the articles to narrate.

RSS 2.0, RSS 1.0 and Atom are read with feedparser; JSON Feed (1.0 and 1.1, which the
feedparser release we depend on does not read) by :func:`json_feed_items`. Each item becomes a
:class:`SourceItem`: the page to fetch (its link, made absolute), its title and date, and the
key the state file knows it by (the item's id, else its link), which stays the same when a
headline edit changes the page's URL. The feed is fetched conditionally: a :class:`Snapshot`
of the last answer (validators and items) is kept in the state file, and a *not modified*
answer reuses its items.
"""

from __future__ import annotations

import calendar
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any
from urllib.parse import urljoin, urlsplit

import feedparser
import httpx

from article_audio.apps.feed.names import utc, xml_safe
from article_audio.errors import InputError
from article_audio.text.fetch import FEED, Validators, check_url, download


@dataclass(frozen=True)
class FeedSource:
    """What ``--from`` asks for: the feed's URL, at most ``max_items`` of its items (the
    newest), none dated before ``since``."""

    url: str
    max_items: int | None = None
    since: datetime | None = None


@dataclass(frozen=True)
class SourceItem:
    """One item of the site's feed. ``key`` is how the state file knows it."""

    key: str
    link: str
    title: str
    published: datetime | None = None

    def __str__(self) -> str:
        """The page's URL: how the command line names the article."""
        return self.link or self.key

    def to_json(self) -> dict[str, Any]:
        published = self.published.isoformat() if self.published else None
        return {"key": self.key, "link": self.link, "title": self.title, "published": published}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> SourceItem:
        published = data["published"]
        texts = (data["key"], data["link"], data["title"])
        if not all(isinstance(text, str) for text in texts):
            raise TypeError("key, link and title must be strings")
        moment = utc(datetime.fromisoformat(published)) if published is not None else None
        return cls(data["key"], data["link"], data["title"], moment)


@dataclass(frozen=True)
class Snapshot:
    """The site's feed as last fetched: the validators to send next time, and its items."""

    validators: Validators
    items: tuple[SourceItem, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "etag": self.validators.etag,
            "last_modified": self.validators.last_modified,
            "items": [item.to_json() for item in self.items],
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Snapshot:
        etag, modified = data["etag"], data["last_modified"]
        if not all(isinstance(value, str | None) for value in (etag, modified)):
            raise TypeError("etag and last_modified must be strings or null")
        if not isinstance(data["items"], list):
            raise TypeError("items must be a list")
        return cls(Validators(etag, modified), tuple(map(SourceItem.from_json, data["items"])))


def check_source(source: FeedSource) -> FeedSource:
    """``source`` if its URL can be fetched (an :class:`InputError` if not)."""
    check_url(source.url)
    return source


def poll(client: httpx.Client, url: str, previous: Snapshot | None) -> Snapshot:
    """The feed at ``url`` now, asked conditionally if it was fetched before; an unchanged
    feed gives ``previous``'s items. An :class:`InputError` if it cannot be read."""
    validators = previous.validators if previous is not None else None
    fetched = download(client, url, FEED, validators=validators)
    if fetched.data is None and previous is not None:
        return Snapshot(fetched.validators, previous.items)
    items = parse_items(fetched.data or b"", fetched.final_url, url)
    return Snapshot(fetched.validators, items)


def parse_items(data: bytes, base_url: str, name: str | None = None) -> tuple[SourceItem, ...]:
    """The items of a feed document, in its order, each key once; links are made absolute
    against ``base_url``. An :class:`InputError` (naming ``name``) if it is not a feed."""
    name = name or base_url
    if data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{"):
        return _unique(json_feed_items(data, base_url, name))
    parsed = feedparser.parse(data, sanitize_html=False, resolve_relative_uris=False)
    if not parsed.get("version"):
        problem = parsed.get("bozo_exception")
        detail = f" ({str(problem).splitlines()[0]})" if problem and str(problem).strip() else ""
        raise InputError(f"{name}: not an RSS, Atom or JSON feed{detail}")
    return _unique(_item(entry, base_url) for entry in parsed.entries)


def _item(entry: Any, base_url: str) -> SourceItem:
    link = _absolute(entry.get("link"), base_url)
    stamp = entry.get("published_parsed") or entry.get("updated_parsed")
    published = datetime.fromtimestamp(calendar.timegm(stamp), timezone.utc) if stamp else None
    key = str(entry.get("id") or "").strip() or link
    return SourceItem(key, link, xml_safe(str(entry.get("title") or "")).strip(), published)


def json_feed_items(data: bytes, base_url: str, name: str) -> list[SourceItem]:
    """The items of a JSON Feed (https://jsonfeed.org/version/1.1) document."""
    try:
        document = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise InputError(f"{name}: not a JSON feed (not valid JSON)") from exc
    version = document.get("version") if isinstance(document, dict) else None
    items = document.get("items") if isinstance(document, dict) else None
    if not str(version).startswith("https://jsonfeed.org/version/") or not isinstance(items, list):
        raise InputError(f"{name}: not a JSON feed (no JSON Feed version or items)")
    found = []
    for entry in items:
        if not isinstance(entry, dict):
            continue
        link = _absolute(entry.get("url") or entry.get("external_url"), base_url)
        key = str(entry.get("id") or "").strip() or link
        title = xml_safe(str(entry.get("title") or "")).strip()
        found.append(SourceItem(key, link, title, _iso_moment(entry.get("date_published"))))
    return found


def _absolute(link: object, base_url: str) -> str:
    """``link`` made absolute, if it is an http(s) URL then; else ``""``."""
    if not isinstance(link, str) or not link.strip():
        return ""
    joined = urljoin(base_url, link.strip())
    return joined if urlsplit(joined).scheme in ("http", "https") else ""


def _iso_moment(value: object) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        return utc(datetime.fromisoformat(value.strip().replace("Z", "+00:00")))
    except ValueError:
        return None


def _unique(items: Iterable[SourceItem]) -> tuple[SourceItem, ...]:
    """``items`` without those whose key was seen before, or that have neither key nor link."""
    seen: set[str] = set()
    kept = []
    for item in items:
        if item.key and item.key not in seen:
            seen.add(item.key)
            kept.append(item)
    return tuple(kept)


def select(items: Sequence[SourceItem], source: FeedSource) -> tuple[SourceItem, ...]:
    """The items ``source`` asks for: none dated before ``since`` (undated ones are kept),
    the newest first when every item is dated (else in the feed's order, which is newest first
    by custom), at most ``max_items``."""
    kept = [
        item
        for item in items
        if source.since is None or item.published is None or item.published >= source.since
    ]
    dated = [(item.published, item) for item in kept if item.published is not None]
    if len(dated) == len(kept):
        dated.sort(key=lambda pair: pair[0], reverse=True)  # stable: ties keep the feed's order
        kept = [item for _, item in dated]
    return tuple(kept[: source.max_items] if source.max_items is not None else kept)
