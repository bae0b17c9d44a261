"""Building a feed: every article of a folder that is new or changed since the last run is
rendered (``DIR/<slug>.mp3`` plus all sidecars), then ``DIR/feed.xml`` is written.

An article whose fingerprints match its episode's in the state file and whose files are all
present is not rendered again. Guids are assigned once, when an article is first rendered, and
never change; slugs too (a slug made by an older version keeps its old form). Entries are kept
when an article leaves the folder, so a returning article gets its old guid and slug back.
"""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from article_audio.apps.feed.channel import Channel
from article_audio.apps.feed.names import (
    ARTICLE_SUFFIXES,
    SIDECAR_SUFFIXES,
    now,
    published_at,
    xml_safe,
)
from article_audio.apps.feed.rss import write_feed
from article_audio.apps.feed.state import (
    Episode,
    feed_render_options,
    file_fingerprint,
    newest_first,
    read_state,
    settings_fingerprint,
    write_state,
)
from article_audio.apps.loop import Renderer, prepare_out_dir, render_each, unique_slug
from article_audio.apps.render import RenderResult
from article_audio.config import RenderOptions
from article_audio.errors import InputError
from article_audio.script import NarrationScript
from article_audio.util import slugify

#: Episode descriptions are cut at about this many characters (Apple allows 4000).
SUMMARY_CHARS = 600


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
    target = prepare_out_dir(out_dir, articles_dir)
    run = _FeedRun(Renderer(render_options), target, settings, read_state(target))

    def done(outcome: ArticleOutcome) -> None:
        run.record(outcome)
        if progress is not None:
            progress(outcome)

    outcomes = render_each(articles, run.episode, run.failed, done)
    episodes = [o.episode for o in outcomes if o.episode is not None]
    feed = write_feed(channel, episodes, target)
    return FeedReport(feed=feed, episodes=newest_first(episodes), outcomes=outcomes)


@dataclass(frozen=True)
class _FeedRun:
    """One build's render of its articles into ``target``; ``state`` is the state file's
    episodes, updated (and written) as each article is rendered."""

    render: Renderer
    target: Path
    settings: str
    state: dict[str, Episode]

    def episode(self, _index: int, article: Path) -> ArticleOutcome:
        """Render ``article`` unless its episode is current."""
        previous = self.state.get(article.name)
        digest = file_fingerprint(article, "article")
        if previous is not None and _is_current(previous, digest, self.settings, self.target):
            return ArticleOutcome(article.name, "skipped", previous)
        return ArticleOutcome(article.name, "rendered", self._render(article, digest, previous))

    def failed(self, _index: int, article: Path, error: str) -> ArticleOutcome:
        """A failed article keeps its earlier episode in the feed, if its MP3 is still there."""
        kept = _still_present(self.state.get(article.name), self.target)
        return ArticleOutcome(article.name, "failed", kept, error)

    def record(self, outcome: ArticleOutcome) -> None:
        """Remember a newly rendered episode in the state file."""
        if outcome.status == "rendered" and outcome.episode is not None:
            self.state[outcome.article] = outcome.episode
            write_state(self.target, self.state)

    def _render(self, article: Path, digest: str, previous: Episode | None) -> Episode:
        """Render ``article``: a new episode, or ``previous`` with its slug, guid and first
        render date kept."""
        taken = [e.slug for name, e in self.state.items() if name != article.name]
        slug = previous.slug if previous else unique_slug(slugify(article.stem), taken)
        started = now()
        result = self.render(article, self.target / f"{slug}.mp3")
        script = result.script
        published = published_at(script.published) or (previous.published if previous else started)
        return Episode(
            article=article.name,
            slug=slug,
            guid=previous.guid if previous else f"urn:uuid:{uuid.uuid4()}",
            title=xml_safe(script.title),
            summary=summary_of(script),
            author=xml_safe(", ".join(script.authors) or script.byline or "") or None,
            published=published,
            first_rendered=previous.first_rendered if previous else started,
            rendered=started,
            article_sha256=digest,
            settings_sha256=self.settings,
            sidecars=_sidecar_names(result, slug, self.target),
            length=(self.target / f"{slug}.mp3").stat().st_size,
            duration_ms=result.duration_ms,
        )


def _is_current(episode: Episode, digest: str, settings: str, target: Path) -> bool:
    same = episode.article_sha256 == digest and episode.settings_sha256 == settings
    return same and all((target / name).is_file() for name in episode.files)


def _still_present(episode: Episode | None, target: Path) -> Episode | None:
    """An earlier episode with only the files still in ``target``; None without its MP3."""
    if episode is None or not (target / episode.audio).is_file():
        return None
    present = tuple(name for name in episode.sidecars if (target / name).is_file())
    return dataclasses.replace(episode, sidecars=present)


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
    return xml_safe(summary or script.title)
