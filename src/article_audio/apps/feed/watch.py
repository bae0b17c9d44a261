"""Building a feed every few minutes (``feed --every MINUTES``) until stopped.

:func:`poll_every` runs a build, waits, and runs it again, a build starting every
``interval_s`` seconds (or at once when the last one took longer). SIGINT (Ctrl-C) or SIGTERM
(``kill``, ``systemctl stop``) while it waits ends it cleanly: nothing is being written, and
it returns. During a build they interrupt it as Ctrl-C interrupts any render: the file being
written is removed (every file is written under a temporary name and renamed when whole),
and the episodes already rendered are in the state file for the next run.

A build that fails as a whole (a damaged state file, an unwritable folder) ends it if it is
the first one; later ones are reported through ``on_error`` and the next build is tried at
its time, as cron would.
"""

from __future__ import annotations

import signal
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from types import FrameType

from article_audio.errors import ArticleAudioError

#: The signals that stop the loop.
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


class _StopWaiting(BaseException):
    """A stop signal arrived while waiting between builds (not an error)."""


@dataclass
class _Phase:
    """Whether the loop is waiting between builds (a stop signal then just ends it)."""

    waiting: bool = False

    def on_signal(self, _signum: int, _frame: FrameType | None) -> None:
        if self.waiting:
            raise _StopWaiting
        raise KeyboardInterrupt


def poll_every(
    interval_s: float,
    build: Callable[[], object],
    on_error: Callable[[ArticleAudioError], None] | None = None,
    *,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.monotonic,
) -> int:
    """Run ``build`` every ``interval_s`` seconds until SIGINT or SIGTERM arrives between
    builds; return how many builds ran. Must be called from the main thread (signals)."""
    phase = _Phase()
    runs = 0
    with _handling(phase.on_signal):
        try:
            while True:
                started = clock()
                _one_build(build, on_error, first=runs == 0)
                runs += 1
                phase.waiting = True
                sleep(max(0.0, started + interval_s - clock()))
                phase.waiting = False
        except _StopWaiting:
            return runs


def _one_build(
    build: Callable[[], object], on_error: Callable[[ArticleAudioError], None] | None, first: bool
) -> None:
    try:
        build()
    except ArticleAudioError as exc:
        if first or on_error is None:
            raise
        on_error(exc)


@contextmanager
def _handling(handler: Callable[[int, FrameType | None], None]) -> Iterator[None]:
    """``handler`` for the stop signals in this block; the earlier handlers afterwards."""
    earlier = {number: signal.getsignal(number) for number in STOP_SIGNALS}
    for number in STOP_SIGNALS:
        signal.signal(number, handler)
    try:
        yield
    finally:
        for number, previous in earlier.items():
            signal.signal(number, previous)
