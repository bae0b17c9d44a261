"""Podcast feed: a folder of articles, a site's own feed, or both become episodes and an
RSS 2.0 feed with Apple's and the Podcasting 2.0 tags.

:func:`load_channel` reads the show's ``channel.toml``; :func:`build_feed` renders every article
of a folder, and every page a site's RSS, Atom or JSON feed links to (:class:`FeedSource`),
that is new or changed since the last run (``DIR/<slug>.mp3`` plus its sidecars) and writes
``DIR/feed.xml``; :func:`write_feed` writes the feed alone; :func:`poll_every` runs a build
every few minutes until stopped.

What was rendered is remembered in ``DIR/.article-audio-feed.json`` (the *state file*): for
each article (a file by its name, a page by its feed item's id) its episode's guid, slug,
dates, files, byte length, duration and two SHA-256 fingerprints, one of the article (a
file's bytes, a page's cleaned text) and one of the render settings (voice, lexicon and cover
contents, bitrate, loudness, package version...), and for a page the validators its server
gave. An article whose fingerprints match and whose files are all present is not rendered
again. Guids are assigned once, when an article is first rendered, and never change.

The modules: :mod:`~.channel` (``channel.toml``), :mod:`~.source` (the site's feed),
:mod:`~.state` (the episodes and the state file), :mod:`~.names` (file names, XML-safe text,
publication dates), :mod:`~.rss` (the feed document), :mod:`~.build` (one run over the
articles) and :mod:`~.watch` (runs every few minutes).
"""

from article_audio.apps.feed.build import (
    ArticleOutcome,
    FeedProgress,
    FeedReport,
    build_feed,
    find_articles,
    page_guid,
    summary_of,
)
from article_audio.apps.feed.channel import APPLE_CATEGORIES, Channel, load_channel
from article_audio.apps.feed.names import (
    ARTICLE_SUFFIXES,
    FEED_NAME,
    SIDECAR_SUFFIXES,
    STATE_NAME,
    published_at,
)
from article_audio.apps.feed.rss import PODCAST_NS, PodcastIndexExtension, feed_xml, write_feed
from article_audio.apps.feed.source import FeedSource, Snapshot, SourceItem, parse_items
from article_audio.apps.feed.state import (
    Episode,
    FeedState,
    article_fingerprint,
    feed_render_options,
    read_feed_state,
    read_state,
    settings_fingerprint,
    write_state,
)
from article_audio.apps.feed.watch import poll_every

__all__ = [
    "APPLE_CATEGORIES",
    "ARTICLE_SUFFIXES",
    "FEED_NAME",
    "PODCAST_NS",
    "SIDECAR_SUFFIXES",
    "STATE_NAME",
    "ArticleOutcome",
    "Channel",
    "Episode",
    "FeedProgress",
    "FeedReport",
    "FeedSource",
    "FeedState",
    "PodcastIndexExtension",
    "Snapshot",
    "SourceItem",
    "article_fingerprint",
    "build_feed",
    "feed_render_options",
    "feed_xml",
    "find_articles",
    "load_channel",
    "page_guid",
    "parse_items",
    "poll_every",
    "published_at",
    "read_feed_state",
    "read_state",
    "settings_fingerprint",
    "summary_of",
    "write_feed",
    "write_state",
]
