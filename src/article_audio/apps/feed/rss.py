"""The RSS 2.0 document, with iTunes tags and the Podcasting 2.0 ones.

It is built with feedgen: its ``podcast`` extension for the iTunes tags and
:class:`PodcastIndexExtension` for ``podcast:chapters`` and ``podcast:transcript``. Every value
goes through lxml, which escapes it; characters XML cannot carry at all are dropped before
(:func:`~article_audio.apps.feed.names.xml_safe`).
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
