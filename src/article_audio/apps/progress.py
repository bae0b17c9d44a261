"""Showing a render's progress: a tqdm bar on a terminal, nothing anywhere else.

A render reports :class:`~article_audio.audio.jobs.Progress` (sentences done, counting cached ones,
out of the script's sentences, and the milliseconds of audio made so far). A display turns that
into one line on a terminal, rewritten in place::

    [2/5] paris.txt:  41%|████▏     | 49/120 sentences, 3.2 min audio [00:21<00:30]

The estimate of the time left counts only sentences synthesized here: sentences that came from
the cache are done from the start. When the stream is not a terminal (a log file, a pipe, cron)
nothing is shown at all, so logs hold only the results and the errors; ``quiet`` shows nothing
either way. The command line chooses a display with :func:`display_for`; the library never
writes to a stream on its own.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, Protocol, TextIO

from article_audio.audio.jobs import Progress, ProgressCallback

#: The bar: label, share, sentences, audio minutes (tqdm puts ", " before the postfix),
#: elapsed and estimated time left.
BAR_FORMAT = (
    "{desc}: {percentage:3.0f}%|{bar}| {n_fmt}/{total_fmt} sentences{postfix} "
    "[{elapsed}<{remaining}]"
)
#: Seconds between redraws at most, so a fast (cached) render does not flood the terminal.
REDRAW_INTERVAL_S = 0.2


class Display(Protocol):
    """Where a render's progress goes: one render at a time, each opened with :meth:`begin`."""

    def begin(self, label: str) -> None: ...

    def update(self, progress: Progress) -> None: ...

    def end(self) -> None: ...


class SilentDisplay:
    """Shows nothing (``--quiet``, or the stream is not a terminal)."""

    def begin(self, label: str) -> None:
        """Nothing to show."""

    def update(self, progress: Progress) -> None:
        """Nothing to show."""

    def end(self) -> None:
        """Nothing to show."""


class BarDisplay:
    """A tqdm bar per render on ``stream``, removed when the render ends so the result line
    printed next stands alone."""

    def __init__(self, stream: TextIO, interval_s: float = REDRAW_INTERVAL_S) -> None:
        self.stream = stream
        self.interval_s = interval_s
        self.label = ""
        self._bar: Any = None  # a tqdm bar, made on the first report

    def begin(self, label: str) -> None:
        self.end()
        self.label = label

    def update(self, progress: Progress) -> None:
        from tqdm import tqdm

        if self._bar is None:
            # Started at what the cache already had: tqdm's rate, and so the estimate of the
            # time left, then counts only the sentences synthesized while we watch.
            self._bar = tqdm(
                total=progress.total,
                initial=progress.done,
                desc=self.label,
                file=self.stream,
                bar_format=BAR_FORMAT,
                mininterval=self.interval_s,
                postfix=audio_minutes(progress.audio_ms),
                dynamic_ncols=True,
                leave=False,
            )
        self._bar.set_postfix_str(audio_minutes(progress.audio_ms), refresh=False)
        self._bar.update(progress.done - self._bar.n)

    def end(self) -> None:
        bar, self._bar = self._bar, None
        if bar is not None:
            bar.close()


def audio_minutes(audio_ms: int) -> str:
    """``192000`` → ``"3.2 min audio"``."""
    return f"{audio_ms / 60000:.1f} min audio"


def display_for(stream: TextIO | None = None, quiet: bool = False) -> Display:
    """A bar on ``stream`` (default: stderr) if it is a terminal and not ``quiet``, else a
    display that shows nothing."""
    stream = sys.stderr if stream is None else stream
    if quiet or not _is_terminal(stream):
        return SilentDisplay()
    return BarDisplay(stream)


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):  # closed or not a real stream
        return False


@contextmanager
def showing(display: Display, label: str) -> Iterator[ProgressCallback | None]:
    """The progress callback to hand one render (None when ``display`` shows nothing, so the
    render need not report), ending the display's bar however the render ends."""
    if isinstance(display, SilentDisplay):
        yield None
        return
    display.begin(label)
    try:
        yield display.update
    finally:
        display.end()
