"""The RSS 2.0 document, with iTunes tags and the Podcasting 2.0 ones.

It is built with feedgen: its ``podcast`` extension for most iTunes tags, and
:class:`PodcastIndexExtension` for the channel's ``itunes:explicit`` (``true``/``false``, as
Apple's current specification has it: feedgen only writes the older ``yes``/``no``),
``podcast:guid`` and ``podcast:medium``, and each episode's ``podcast:person``,
``podcast:transcript`` and ``podcast:chapters``. Every value goes through lxml, which escapes
it; characters XML cannot carry at all are dropped before
(:func:`~article_audio.apps.feed.names.xml_safe`).

An episode's ``<link>`` is its source article: the page's URL for an article of the site's
feed. An article file has no page we know of, so its episode has no ``<link>`` (RSS does not
require one); its read-along page, which used to be the link, is announced as a
``text/html`` transcript, which is what it is: the article's text, timed to the audio.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from feedgen.ext.base import BaseEntryExtension, BaseExtension
from feedgen.feed import FeedGenerator
from feedgen.util import xml_elem

from article_audio.apps.feed.channel import Channel
from article_audio.apps.feed.names import (
    CHAPTERS_SUFFIX,
    CHAPTERS_TYPE,
    FEED_NAME,
    HTML_SUFFIX,
    TRANSCRIPT_TYPES,
    write_if_changed,
)
from article_audio.apps.feed.state import Episode, newest_first
from article_audio.errors import ExportError
from article_audio.util import package_version

PODCAST_NS = "https://podcastindex.org/namespace/1.0"
ITUNES_NS = "http://www.itunes.com/dtds/podcast-1.0.dtd"
#: The read-along page, announced as a transcript after the timed formats.
HTML_TRANSCRIPT_TYPE = "text/html"


class PodcastIndexExtension(BaseExtension):
    """feedgen channel extension: declares ``xmlns:podcast``; writes ``itunes:explicit``,
    ``podcast:guid`` and ``podcast:medium``."""

    def __init__(self) -> None:
        self._explicit: bool | None = None
        self._guid: str | None = None
        self._medium: str | None = None

    def explicit(self, value: bool) -> None:
        """``<itunes:explicit>true</itunes:explicit>`` or ``false``."""
        self._explicit = value

    def guid(self, value: str) -> None:
        """The channel's ``<podcast:guid>`` (see :attr:`Channel.guid`)."""
        self._guid = value

    def medium(self, value: str) -> None:
        """``<podcast:medium>``: ``podcast`` for a show of spoken episodes."""
        self._medium = value

    def extend_ns(self) -> dict[str, str]:
        return {"podcast": PODCAST_NS}

    def extend_rss(self, rss_feed: Any) -> Any:
        channel = rss_feed[0]
        if self._explicit is not None:
            xml_elem(f"{{{ITUNES_NS}}}explicit", channel).text = str(self._explicit).lower()
        if self._guid is not None:
            xml_elem(f"{{{PODCAST_NS}}}guid", channel).text = self._guid
        if self._medium is not None:
            xml_elem(f"{{{PODCAST_NS}}}medium", channel).text = self._medium
        return rss_feed


class PodcastIndexEntryExtension(BaseEntryExtension):
    """feedgen item extension: ``<podcast:person>``, ``<podcast:transcript>`` and
    ``<podcast:chapters>``."""

    def __init__(self) -> None:
        self._chapters: tuple[str, str] | None = None
        self._transcripts: list[dict[str, str]] = []
        self._persons: list[str] = []

    def person(self, name: str) -> None:
        """One of the article's authors: ``<podcast:person group="writing" role="author">``."""
        self._persons.append(name)

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
        for name in self._persons:
            xml_elem(f"{{{PODCAST_NS}}}person", entry, group="writing", role="author").text = name
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
    write_if_changed(path, feed_xml(channel, episodes, target))
    return path


def feed_xml(channel: Channel, episodes: Iterable[Episode], out_dir: str | Path) -> bytes:
    """The RSS 2.0 document. Enclosure lengths are the MP3s' sizes in ``out_dir`` now."""
    ordered = newest_first(episodes)
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
    itunes.itunes_type("episodic")
    if channel.owner_email:
        itunes.itunes_owner(name=channel.author, email=channel.owner_email)
    generator.podcastindex.explicit(channel.explicit)
    generator.podcastindex.guid(str(channel.guid))
    generator.podcastindex.medium("podcast")
    return generator


def _add_item(generator: Any, channel: Channel, episode: Episode, out_dir: Path) -> None:
    entry = generator.add_entry(order="append")
    entry.title(episode.title)
    entry.guid(episode.guid, permalink=False)
    length = _file_size(out_dir / episode.audio)
    entry.enclosure(channel.url(episode.audio), str(length), "audio/mpeg")
    if episode.link:
        entry.link(href=episode.link)
    entry.pubDate(episode.published)
    entry.description(episode.summary)
    entry.podcast.itunes_duration(str(max(1, round(episode.duration_ms / 1000))))
    entry.podcast.itunes_summary(episode.summary)
    if episode.author:
        entry.podcast.itunes_author(episode.author)
    for person in episode.persons:
        entry.podcastindex.person(person)
    transcripts = {**TRANSCRIPT_TYPES, HTML_SUFFIX: HTML_TRANSCRIPT_TYPE}
    for suffix, kind in transcripts.items():
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
