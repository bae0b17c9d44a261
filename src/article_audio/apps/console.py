"""What the command line prints on stdout: one tab-separated line per render, batch article
and feed article, then the feed's counts (easy to read, easy to ``cut``); the narration
script in words; and how it leaves when stdout's reader has gone
(``article-audio script page.html | head -3``).

The lines are made here and echoed by :mod:`article_audio.cli`, the one module that speaks
click; their format is part of the command line's contract (the tests read it back).
"""

from __future__ import annotations

import contextlib
import os
import select
import sys
from collections.abc import Iterator
from typing import TYPE_CHECKING, NoReturn

if TYPE_CHECKING:
    from article_audio.apps.batch import BatchOutcome
    from article_audio.apps.feed import ArticleOutcome, FeedReport
    from article_audio.apps.render import RenderResult
    from article_audio.script import NarrationScript

#: The exit status when stdout's reader has gone: what a shell reports for a program that
#: SIGPIPE ends (128 + 13), as ``cat`` or ``grep`` would.
BROKEN_PIPE_EXIT = 141


def length(duration_ms: int) -> str:
    """``258600`` → ``4:18.6``."""
    seconds = duration_ms / 1000
    return f"{int(seconds // 60)}:{seconds % 60:04.1f}"


def render_line(result: RenderResult) -> str:
    """The audio's path, length and chapter count."""
    return f"{result.path}\t{length(result.duration_ms)}\t{len(result.chapters)} chapters"


def made_words(result: RenderResult) -> str:
    """What a render did: ``12 synthesized, 3 cached``, or ``unchanged, reused`` when the
    whole file was an identical earlier render."""
    if result.reused:
        return "unchanged, reused"
    return f"{result.synthesized} synthesized, {result.cached} cached"


def batch_line(outcome: BatchOutcome) -> str | None:
    """The input, then :func:`render_line`, then the sentences synthesized and cached (None
    for a failed article)."""
    result = outcome.result
    if result is None:
        return None
    return f"{outcome.source}\t{render_line(result)}\t{made_words(result)}"


def feed_line(outcome: ArticleOutcome) -> str | None:
    """``rendered`` or ``unchanged`` (the summary's words), the article (a file's name, a
    page's URL), the episode's MP3 and length; for a rendered one also its chapters and
    sentences as batch prints them. None for a failed article without an earlier episode."""
    episode = outcome.episode
    if episode is None:
        return None
    line = f"{outcome.status}\t{outcome.article}\t{episode.audio}\t{length(episode.duration_ms)}"
    if outcome.result is not None:
        line += f"\t{len(outcome.result.chapters)} chapters\t{made_words(outcome.result)}"
    return line


def feed_summary(report: FeedReport) -> str:
    """The feed's path, its episodes and what this run did."""
    episodes = len(report.episodes)
    return (
        f"{report.feed}\t{episodes} episode{'' if episodes == 1 else 's'}\t"
        f"{len(report.rendered)} rendered, {len(report.unchanged)} unchanged, "
        f"{len(report.failed)} failed"
    )


def script_lines(narration: NarrationScript) -> Iterator[str]:
    """``article-audio script``'s plain output: "## <chapter title>", then each sentence as
    it is said, in words (:func:`~article_audio.text.narration.words_said`: no raw IPA), and
    a blank line after each paragraph. ``--json`` keeps the engine's ``spoken`` strings."""
    from article_audio.text.narration import words_said

    for chapter in narration.chapters:
        yield f"## {chapter.title}"
        for paragraph in chapter.paragraphs:
            yield from (words_said(sentence) for sentence in paragraph.sentences)
            yield ""


def stdout_reader_gone() -> bool:
    """Whether stdout is a pipe whose reading end is closed (the usual source of a
    BrokenPipeError; one from elsewhere is an error to report)."""
    try:
        descriptor = sys.stdout.fileno()
    except (AttributeError, OSError, ValueError):  # not a real file (tests, a closed stream)
        return False
    if not hasattr(select, "poll"):  # pragma: no cover - Windows: assume it was stdout
        return True
    poller = select.poll()
    poller.register(descriptor, select.POLLOUT)
    return any(events & select.POLLERR for _, events in poller.poll(0))


def leave_quietly() -> NoReturn:
    """Exit as a Unix filter does when its reader has gone: no message, status 141. stdout
    goes to the null device first, so the interpreter's last flush has nowhere to fail."""
    with contextlib.suppress(OSError, ValueError):
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, sys.stdout.fileno())
        os.close(null)
    sys.exit(BROKEN_PIPE_EXIT)
