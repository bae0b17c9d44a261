"""Building a feed: every article that is new or changed since the last run is rendered
(``DIR/<slug>.mp3`` plus its sidecars), then ``DIR/feed.xml`` is written.

The articles are the files of a folder, the pages a site's feed links to (``--from``), or
both. A file is unchanged when its bytes are; a page when its cleaned text is (its ads,
menus and scripts may change), and it is fetched conditionally, so an unchanged page is
usually not even sent again. An article whose episode is unchanged, with the same render
settings and all its files present, is not rendered again.

Guids never change once given: a file's episode gets a random one (``urn:uuid:``) when first
rendered, a page's a UUIDv5 of the channel's guid and the feed item's id (the same even if the
state file is lost). Slugs are kept too (a slug made by an older version keeps its old form).
A file's episode leaves the feed when the file leaves the folder, and gets its guid and slug
back when it returns; a page's episode stays in the feed when the item leaves the site's feed
(feeds carry only their newest items), as long as its MP3 is there.
"""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

import httpx

from article_audio.apps.feed.channel import Channel
from article_audio.apps.feed.names import (
    ARTICLE_SUFFIXES,
    SIDECAR_SUFFIXES,
    now,
    published_at,
    xml_safe,
)
from article_audio.apps.feed.rss import write_feed
from article_audio.apps.feed.source import FeedSource, Snapshot, SourceItem, check_source, poll
from article_audio.apps.feed.source import select as select_items
from article_audio.apps.feed.state import (
    Episode,
    FeedState,
    article_fingerprint,
    feed_render_options,
    file_fingerprint,
    newest_first,
    read_feed_state,
    settings_fingerprint,
    write_state,
)
from article_audio.apps.loop import (
    Renderer,
    error_text,
    prepare_out_dir,
    render_each,
    unique_slug,
)
from article_audio.apps.progress import Display, SilentDisplay
from article_audio.apps.render import RenderResult, load_article
from article_audio.audio.jobs import local_executor
from article_audio.config import RenderOptions, default_jobs
from article_audio.errors import InputError
from article_audio.script import NarrationScript
from article_audio.text.fetch import PAGE, Validators, download, fetch_client, page_source
from article_audio.text.read import Source
from article_audio.util import slugify
from article_audio.voices import load_profile

#: Episode descriptions are cut at about this many characters (Apple allows 4000).
SUMMARY_CHARS = 600

Status = Literal["rendered", "unchanged", "failed"]


@dataclass(frozen=True)
class ArticleOutcome:
    """What happened to one article (a file's name, or a page's URL). ``episode`` is the one
    in the feed for it (for a failed article: the episode from an earlier run, if any, which
    stays in the feed); ``result`` is the render's, for a rendered article."""

    article: str
    status: Status
    episode: Episode | None
    error: str | None = None
    result: RenderResult | None = field(default=None, compare=False, repr=False)


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
    def unchanged(self) -> tuple[str, ...]:
        return self._named("unchanged")

    #: The name this had before the lines said "unchanged".
    skipped = unchanged

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
    articles_dir: str | Path | None,
    channel: Channel,
    out_dir: str | Path,
    options: RenderOptions | None = None,
    progress: FeedProgress | None = None,
    *,
    source: FeedSource | None = None,
    display: Display | None = None,
) -> FeedReport:
    """Render the new and changed articles of ``articles_dir`` and of the site's feed
    ``source`` into ``out_dir`` and write ``out_dir/feed.xml``. One article failing does not
    stop the others (see :attr:`FeedReport.failed`), nor does the site's feed failing when it
    was read before; a first poll that fails is an :class:`InputError`, before anything is
    written. ``progress`` is called once per article, when it is done; ``display`` shows each
    render's progress. Everything given is checked before anything is created."""
    if articles_dir is None and source is None:
        raise InputError("nothing to build from: give an articles folder, --from URL, or both")
    articles = find_articles(articles_dir) if articles_dir is not None else []
    render_options = feed_render_options(options or RenderOptions())
    settings = settings_fingerprint(render_options)
    profile = load_profile(render_options.script.voice)
    state = read_feed_state(out_dir)
    with fetch_client() as client:
        snapshot, poll_failure = _poll(client, check_source(source) if source else None, state)
        target = prepare_out_dir(out_dir, articles_dir)
        jobs = render_options.jobs or default_jobs()
        with local_executor(profile, jobs) as pool:
            renderer = Renderer(render_options, pool, display or SilentDisplay())
            run = _FeedRun(renderer, target, settings, state, client, channel)
            items = select_items(snapshot.items, source) if snapshot and source else ()
            if snapshot and source:
                run.remember(source.url, snapshot)
            outcomes = _run(run, [*articles, *items], poll_failure, progress)
    episodes = _feed_episodes(outcomes, state, target)
    feed = write_feed(channel, episodes, target)
    return FeedReport(feed=feed, episodes=newest_first(episodes), outcomes=outcomes)


def _poll(
    client: httpx.Client, source: FeedSource | None, state: FeedState
) -> tuple[Snapshot | None, ArticleOutcome | None]:
    """The site's feed now; if it cannot be read: raised the first time, else an outcome."""
    if source is None:
        return None, None
    previous = state.sources.get(source.url)
    try:
        return poll(client, source.url, previous), None
    except InputError as exc:
        if previous is None:
            raise
        return None, ArticleOutcome(source.url, "failed", None, error_text(exc, source.url))


def _run(
    run: _FeedRun,
    articles: Sequence[Path | SourceItem],
    poll_failure: ArticleOutcome | None,
    progress: FeedProgress | None,
) -> tuple[ArticleOutcome, ...]:
    def done(outcome: ArticleOutcome) -> None:
        run.record(outcome)
        if progress is not None:
            progress(outcome)

    if poll_failure is not None:
        done(poll_failure)
    outcomes = render_each(articles, run.episode, run.failed, done)
    return (poll_failure, *outcomes) if poll_failure is not None else outcomes


def _feed_episodes(
    outcomes: Sequence[ArticleOutcome], state: FeedState, target: Path
) -> list[Episode]:
    """This run's episodes, and the remembered episodes of pages not polled this time."""
    episodes = {o.episode.article: o.episode for o in outcomes if o.episode is not None}
    for key, remembered in state.episodes.items():
        if remembered.from_page and key not in episodes:
            kept = _still_present(remembered, target)
            if kept is not None:
                episodes[key] = kept
    return list(episodes.values())


@dataclass(frozen=True)
class _FeedRun:
    """One build's render of its articles into ``target``; ``state`` is the state file's
    contents, updated (and written) as each article is done."""

    render: Renderer
    target: Path
    settings: str
    state: FeedState
    client: httpx.Client
    channel: Channel

    def episode(self, _index: int, article: Path | SourceItem) -> ArticleOutcome:
        """Render ``article`` unless its episode is current."""
        if isinstance(article, SourceItem):
            return self._page_episode(article)
        previous = self.state.episodes.get(article.name)
        digest = file_fingerprint(article, "article")
        if previous is not None and previous.article_sha256 == digest and self._current(previous):
            return ArticleOutcome(article.name, "unchanged", previous)
        slug = previous.slug if previous else self._new_slug(article.stem)
        made = _Made(article.name, slug, digest, previous)
        result = self.render(article, self.target / f"{slug}.mp3", self._label(article))
        guid = previous.guid if previous else f"urn:uuid:{uuid.uuid4()}"
        episode = made.episode(result, guid, self.target, self.settings)
        return ArticleOutcome(article.name, "rendered", episode, result=result)

    def _page_episode(self, item: SourceItem) -> ArticleOutcome:
        """Fetch the page (conditionally when its episode is current) and render it if its
        text changed."""
        if not item.link:
            raise InputError(f"{item}: the feed item has no http(s) link")
        previous = self.state.episodes.get(item.key)
        current = previous is not None and self._current(previous)
        asked = previous.validators if previous is not None and current else None
        fetched = download(self.client, item.link, PAGE, validators=asked)
        found = _Fetched(item.link, fetched.validators)
        if previous is not None and fetched.not_modified:
            return ArticleOutcome(item.link, "unchanged", found.onto(previous))
        page = page_source(fetched)
        digest = self._text_fingerprint(page)
        if previous is not None and current and previous.article_sha256 == digest:
            return ArticleOutcome(item.link, "unchanged", found.onto(previous))
        slug = previous.slug if previous else self._new_slug(item.title or _url_stem(item.link))
        made = _Made(item.key, slug, digest, previous, item.published, found)
        result = self.render(page, self.target / f"{slug}.mp3", self._label(item))
        guid = previous.guid if previous else page_guid(self.channel, item.key)
        episode = made.episode(result, guid, self.target, self.settings)
        return ArticleOutcome(item.link, "rendered", episode, result=result)

    def failed(self, _index: int, article: Path | SourceItem, error: str) -> ArticleOutcome:
        """A failed article keeps its earlier episode in the feed, if its MP3 is still there."""
        if isinstance(article, SourceItem):
            kept = _still_present(self.state.episodes.get(article.key), self.target)
            return ArticleOutcome(str(article), "failed", kept, error)
        kept = _still_present(self.state.episodes.get(article.name), self.target)
        return ArticleOutcome(article.name, "failed", kept, error)

    def record(self, outcome: ArticleOutcome) -> None:
        """Remember a rendered episode, or an unchanged one's new validators."""
        episode = outcome.episode
        if outcome.status == "failed" or episode is None:
            return
        if self.state.episodes.get(episode.article) != episode:
            self.state.episodes[episode.article] = episode
            write_state(self.target, self.state.episodes, self.state.sources)

    def remember(self, url: str, snapshot: Snapshot) -> None:
        """Remember the site's feed as just polled (its items, for a *not modified* answer)."""
        if self.state.sources.get(url) != snapshot:
            self.state.sources[url] = snapshot
            write_state(self.target, self.state.episodes, self.state.sources)

    def _current(self, episode: Episode) -> bool:
        """Whether ``episode`` was rendered with these settings and all its files are here."""
        same = episode.settings_sha256 == self.settings
        return same and all((self.target / name).is_file() for name in episode.files)

    def _text_fingerprint(self, page: Source) -> str:
        script = self.render.options.script
        return article_fingerprint(
            load_article(page, script.input_format, script.debris, script.max_words)
        )

    def _new_slug(self, name: str) -> str:
        return unique_slug(slugify(name), (e.slug for e in self.state.episodes.values()))

    @staticmethod
    def _label(article: Path | SourceItem) -> str:
        return article.name if isinstance(article, Path) else (article.title or str(article))


def page_guid(channel: Channel, key: str) -> str:
    """A page episode's guid: a UUIDv5 of the channel's guid and the feed item's id."""
    return f"urn:uuid:{uuid.uuid5(channel.guid, key)}"


@dataclass(frozen=True)
class _Fetched:
    """A fetched page's URL and the validators to send next time it is fetched."""

    link: str
    validators: Validators

    def onto(self, episode: Episode) -> Episode:
        """``episode`` with this page's URL and validators."""
        etag, modified = self.validators.etag, self.validators.last_modified
        return dataclasses.replace(episode, link=self.link, etag=etag, last_modified=modified)


def _url_stem(link: str) -> str:
    """The last segment of a URL's path, without its suffix: a name for an untitled page."""
    segments = [segment for segment in urlsplit(link).path.split("/") if segment]
    return Path(segments[-1]).stem if segments else urlsplit(link).hostname or "article"


@dataclass(frozen=True)
class _Made:
    """What an episode is made of besides its render: which article, its slug and
    fingerprint, its earlier episode, the date its feed item gives, and a page's fields."""

    article: str
    slug: str
    digest: str
    previous: Episode | None
    dated: datetime | None = None
    page: _Fetched | None = None
    started: datetime = field(default_factory=now)

    def episode(self, result: RenderResult, guid: str, target: Path, settings: str) -> Episode:
        """The episode ``result`` made in ``target``: a new one, or ``previous`` with its
        slug, guid and first render date kept."""
        script, previous = result.script, self.previous
        published = self.dated or published_at(script.published)
        published = published or (previous.published if previous else self.started)
        episode = Episode(
            article=self.article,
            slug=self.slug,
            guid=guid,
            title=xml_safe(script.title),
            summary=summary_of(script),
            author=xml_safe(", ".join(script.authors) or script.byline or "") or None,
            published=published,
            first_rendered=previous.first_rendered if previous else self.started,
            rendered=self.started,
            article_sha256=self.digest,
            settings_sha256=settings,
            sidecars=_sidecar_names(result, self.slug, target),
            length=(target / f"{self.slug}.mp3").stat().st_size,
            duration_ms=result.duration_ms,
            persons=tuple(xml_safe(name) for name in script.authors if name.strip()),
        )
        return self.page.onto(episode) if self.page is not None else episode


def _still_present(episode: Episode | None, target: Path) -> Episode | None:
    """An earlier episode with only the files still in ``target``; None without its MP3."""
    if episode is None or not (target / episode.audio).is_file():
        return None
    present = tuple(name for name in episode.sidecars if (target / name).is_file())
    return dataclasses.replace(episode, sidecars=present)


def _sidecar_names(result: RenderResult, slug: str, target: Path) -> tuple[str, ...]:
    """The sidecars the render wrote (of those a feed announces)."""
    allowed = {slug + suffix for suffix in SIDECAR_SUFFIXES}
    return tuple(sorted(Path(p).name for p in result.sidecars if Path(p).name in allowed))


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
    return xml_safe(summary or script.title)
