"""The live copy a listener streams: its lead-in and its first sentence come out whole while
the second sentence is still being made (the Listen service's first audio)."""

from __future__ import annotations

import shutil
import threading
import time
from concurrent.futures import Executor, Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np

from article_audio.apps.render import RenderResult, render
from article_audio.config import RenderOptions, ScriptOptions

from .conftest import decoded

ARTICLE = "Headline of the test\n\nThe first body sentence is here. And a second one follows it.\n"
#: The fake voice's tone peaks near 520; MP3 leaves silence near 0.
LOUD = 200
#: Samples of 10 ms at the narration's rate.
TEN_MS = 220


class HeldAfterFirst(Executor):
    """Runs the first task at once and holds every later one until :attr:`release` is set."""

    def __init__(self) -> None:
        self.release = threading.Event()
        self.started: list[int] = []
        self._pool = ThreadPoolExecutor(max_workers=2)

    def submit(self, fn, /, *args, **kwargs):  # type: ignore[no-untyped-def]
        index = len(self.started)
        self.started.append(index)

        def run() -> Any:
            if index:
                self.release.wait(timeout=60)
            return fn(*args, **kwargs)

        future: Future[Any] = self._pool.submit(run)
        return future

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        self.release.set()
        self._pool.shutdown(wait=wait, cancel_futures=cancel_futures)


def _loud_span(samples: np.ndarray) -> tuple[int, int]:
    loud = np.flatnonzero(np.abs(samples.astype(np.int32)) > LOUD)
    return (int(loud[0]), int(loud[-1])) if loud.size else (0, -1)


def copy_when_steady(live: Path, snapshot: Path) -> None:
    """Copy ``live`` to ``snapshot`` once it has stopped growing (at most 30 s from now)."""
    time.sleep(0.5)
    deadline, size = time.monotonic() + 30, -1
    while time.monotonic() < deadline:
        now = live.stat().st_size if live.exists() else 0
        if now and now == size:
            break
        size = now
        time.sleep(0.5)
    shutil.copyfile(live, snapshot)


def test_the_lead_in_and_first_sentence_stream_before_the_second_is_made(
    fake_voice: Path, tmp_path: Path
) -> None:
    article = tmp_path / "article.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    live, snapshot = tmp_path / "live.mp3", tmp_path / "snapshot.mp3"
    executor = HeldAfterFirst()
    options = RenderOptions(ScriptOptions(voice=str(fake_voice)), use_cache=False)
    done: list[RenderResult] = []

    def go() -> None:
        done.append(render(article, tmp_path / "out.mp3", options, executor=executor, live=live))

    rendering = threading.Thread(target=go)
    rendering.start()
    try:
        # the first sentence is made; the rest wait: what the listener has by now is all it gets
        copy_when_steady(live, snapshot)
    finally:
        executor.release.set()
        rendering.join(timeout=60)
        executor.shutdown()
    assert done, "the render did not finish"
    title = done[0].cues[0]
    heard = decoded(snapshot)
    first, last = _loud_span(heard)
    assert last > first, "the live copy held no audio of the first sentence"
    # the whole first sentence, to within a frame, and the start of the pause after it
    said_ms = (last - first) * 1000 / 22050
    assert said_ms >= title.end_ms - title.start_ms - 60
    assert len(heard) - last >= 10 * TEN_MS
    assert not np.any(np.abs(heard[last + TEN_MS :].astype(np.int32)) > LOUD)
