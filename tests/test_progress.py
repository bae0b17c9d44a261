"""Progress display: a bar on a terminal, nothing on a pipe or with --quiet."""

from __future__ import annotations

import fcntl
import io
import os
import pty
import re
import struct
import subprocess
import termios
from pathlib import Path

from article_audio.apps.progress import (
    BarDisplay,
    SilentDisplay,
    audio_minutes,
    display_for,
    showing,
)
from article_audio.audio.jobs import Progress

from .conftest import EXAMPLE
from .test_cli import CLI, run


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_terminal_gets_a_bar_anything_else_nothing() -> None:
    assert isinstance(display_for(Terminal()), BarDisplay)
    assert isinstance(display_for(Terminal(), quiet=True), SilentDisplay)
    assert isinstance(display_for(io.StringIO()), SilentDisplay)
    closed = io.StringIO()
    closed.close()
    assert isinstance(display_for(closed), SilentDisplay)


def test_silent_display_asks_the_render_for_no_reports() -> None:
    with showing(SilentDisplay(), "paris.txt") as callback:
        assert callback is None


def test_bar_shows_sentences_audio_minutes_and_time_left_then_clears() -> None:
    stream = Terminal()
    display = BarDisplay(stream, interval_s=0)
    with showing(display, "[1/2] paris.txt") as callback:
        assert callback is not None
        callback(Progress(done=3, total=10, audio_ms=0))
        callback(Progress(done=7, total=10, audio_ms=93_000))
        callback(Progress(done=10, total=10, audio_ms=180_000))
    frames = list(dict.fromkeys(f.strip() for f in stream.getvalue().split("\r") if f.strip()))
    assert len(frames) == 3
    assert frames[0].startswith("[1/2] paris.txt:  30%|")
    assert frames[0].endswith("| 3/10 sentences, 0.0 min audio [00:00<?]")
    assert "| 7/10 sentences, 1.6 min audio [00:00<00:00]" in frames[1]
    assert "| 10/10 sentences, 3.0 min audio [00:00<00:00]" in frames[2]
    assert stream.getvalue().endswith("\r")  # the bar is wiped, the result line stands alone
    assert display._bar is None


def test_audio_minutes() -> None:
    assert audio_minutes(0) == "0.0 min audio"
    assert audio_minutes(192_000) == "3.2 min audio"


def test_render_on_a_pipe_prints_no_progress(tmp_path: Path, fake_voice: Path) -> None:
    out = tmp_path / "paris.mp3"
    args = ["render", str(EXAMPLE), "-o", str(out), "--voice", str(fake_voice), "--jobs", "1"]
    result = run(*args, "--cache-dir", str(tmp_path / "cache"))
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert result.stdout.startswith(f"{out}\t")
    assert len(result.stdout.splitlines()) == 1
    quiet = run(*args, "--no-cache", "-q")
    assert (quiet.returncode, quiet.stdout, quiet.stderr) == (0, "", "")


def test_render_on_a_terminal_shows_the_bar(tmp_path: Path, fake_voice: Path) -> None:
    out = tmp_path / "paris.mp3"
    args = ["render", str(EXAMPLE), "-o", str(out), "--voice", str(fake_voice), "--no-cache"]
    controller, terminal = pty.openpty()
    # 30 rows, 100 columns: tqdm draws nothing on a terminal that reports no width.
    fcntl.ioctl(terminal, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
    try:
        done = subprocess.run(
            [CLI, *args, "--jobs", "1"], stdout=subprocess.PIPE, stderr=terminal, timeout=300
        )
        os.close(terminal)
        shown = _read_all(controller)
    finally:
        os.close(controller)
    assert done.returncode == 0, shown
    assert done.stdout.decode().startswith(f"{out}\t")
    frame = r"\rcbc-coalition-paris\.txt: +\d+%\|[^|]*\| \d+/\d+ sentences, \d+\.\d min audio \["
    assert re.search(frame + r"\d\d:\d\d<", shown), shown
    assert shown.endswith(" \r")  # wiped before the result line


def _read_all(fd: int) -> str:
    chunks = []
    while True:
        try:
            chunk = os.read(fd, 65536)
        except OSError:  # EIO: the other side is closed and everything has been read
            break
        if not chunk:
            break
        chunks.append(chunk)
    return b"".join(chunks).decode("utf-8", "replace")
