"""Faults through the real CLI: a render killed mid-way resumes from the cache and makes the same
file; a full disk, a missing or failing ffmpeg give one clean error and no file."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from article_audio.store.cache import SentenceCache

from .conftest import EXAMPLE, decoded

CLI = str(Path(sys.executable).parent / "article-audio")
SHORT = "Fault headline\n\nThe first sentence is here. The second one follows.\n"


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [CLI, *args], capture_output=True, text=True, env={**os.environ, **(env or {})}
    )


def entries(cache: Path) -> list[Path]:
    return sorted(cache.glob("??/*.pcm"))


def one_line_error(done: subprocess.CompletedProcess[str], code: int, words: str) -> None:
    assert done.returncode == code, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and words in lines[0], done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.slow
def test_a_render_killed_mid_way_resumes_and_makes_the_same_file(tmp_path: Path) -> None:
    cache, out = tmp_path / "cache", tmp_path / "paris.mp3"
    args = [str(EXAMPLE), "-o", str(out), "--jobs", "1", "--cache-dir", str(cache), "-q"]
    args += ["--voice", "joe"]
    process = subprocess.Popen([CLI, "render", *args], start_new_session=True)
    deadline = time.monotonic() + 300
    while len(entries(cache)) < 8 and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    made = len(entries(cache))
    assert 8 <= made < 30, made  # killed mid-way: some sentences made, not all
    assert not out.exists()
    store = SentenceCache(cache)
    assert all(store.get(path.stem) is not None for path in entries(cache))  # intact
    again = run("render", *args)
    assert again.returncode == 0, again.stderr
    assert len(entries(cache)) > made
    assert not [p.name for p in tmp_path.glob(".paris.*.part")]  # the killed run's leftover
    fresh = tmp_path / "fresh.mp3"
    clean = run("render", str(EXAMPLE), "-o", str(fresh), "--no-cache", "-q", "--voice", "joe")
    assert clean.returncode == 0, clean.stderr
    assert np.array_equal(decoded(out), decoded(fresh))


def test_a_full_disk_is_a_clean_error_and_leaves_no_file(tmp_path: Path, fake_voice: Path) -> None:
    (tmp_path / "a.txt").write_text(SHORT * 30, encoding="utf-8")
    out = tmp_path / "a.mp3"
    # the file size limit makes every write past 64 KiB fail, as a full disk does
    command = (
        f"ulimit -f 64; exec {CLI} render {tmp_path / 'a.txt'} -o {out} "
        f"--voice {fake_voice} --no-cache --bitrate 192"
    )
    done = subprocess.run(["bash", "-c", command], capture_output=True, text=True)
    one_line_error(done, 1, "encoding failed")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt", "silent.toml"]


def test_a_missing_ffmpeg_is_a_clean_error_before_any_work(
    tmp_path: Path, fake_voice: Path
) -> None:
    (tmp_path / "a.txt").write_text(SHORT, encoding="utf-8")
    done = run(
        "render", str(tmp_path / "a.txt"), "--voice", str(fake_voice),
        env={"ARTICLE_AUDIO_FFMPEG": str(tmp_path / "no-ffmpeg")},
    )  # fmt: skip
    one_line_error(done, 1, "no-ffmpeg: no such program")
    assert not list(tmp_path.glob("*.mp3"))


def test_a_failing_ffmpeg_is_a_clean_error_and_leaves_no_file(
    tmp_path: Path, fake_voice: Path
) -> None:
    broken = tmp_path / "ffmpeg"
    broken.write_text("#!/bin/sh\necho 'Encoder exploded' >&2\nexit 1\n", encoding="utf-8")
    broken.chmod(0o755)
    (tmp_path / "a.txt").write_text(SHORT, encoding="utf-8")
    done = run(
        "render", str(tmp_path / "a.txt"), "-o", str(tmp_path / "a.mp3"), "--voice",
        str(fake_voice), "--no-cache", env={"ARTICLE_AUDIO_FFMPEG": str(broken)},
    )  # fmt: skip
    one_line_error(done, 1, "MP3 encoding failed: Encoder exploded")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt", "ffmpeg", "silent.toml"]
