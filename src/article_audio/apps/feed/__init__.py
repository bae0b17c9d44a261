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

The modules: :mod:`~.channel` (``channel.toml``), :mod:`~.state` (the episodes and the state
file), :mod:`~.names` (file names, XML-safe text, publication dates), :mod:`~.rss` (the
feed document) and :mod:`~.build` (the run over the articles folder).
"""

from article_audio.apps.feed.build import (
    ArticleOutcome,
    FeedProgress,
    FeedReport,
    build_feed,
    find_articles,
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
from article_audio.apps.feed.state import (
    Episode,
    feed_render_options,
    read_state,
    settings_fingerprint,
    write_state,
)

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
    "PodcastIndexExtension",
    "build_feed",
    "feed_render_options",
    "feed_xml",
    "find_articles",
    "load_channel",
    "published_at",
    "read_state",
    "settings_fingerprint",
    "summary_of",
    "write_feed",
    "write_state",
]
