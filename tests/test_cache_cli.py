"""The cache commands (info, prune with sizes) and render's --jobs, --cache-dir, --no-cache."""

from __future__ import annotations

import os
from pathlib import Path

import click
import numpy as np
import pytest

from article_audio.cli.options import format_size, parse_size
from article_audio.engines.fake import tone
from article_audio.store.cache import SentenceCache

from .conftest import EXAMPLE
from .test_cli import run
from .test_outputs import decoded

#: An entry is a 54-byte header and the samples: 22050 Hz, 16-bit mono, 44100 bytes a second.
ENTRY_BYTES = {1: 44_154, 2: 88_254, 3: 132_354}


def fill(root: Path) -> SentenceCache:
    """Three entries of 1, 2 and 3 seconds; the 3-second one least recently used."""
    cache = SentenceCache(root)
    for seconds, age in ((1, 100), (2, 200), (3, 300)):
        key = f"{seconds:02d}" + "0" * 62
        cache.put(key, tone(seconds * 1000))
        stamp = 1_700_000_000 - age
        os.utime(cache.path(key), (stamp, stamp))
    return cache


def test_sizes() -> None:
    assert parse_size("500MB") == 500_000_000
    assert parse_size("2GB") == 2_000_000_000
    assert parse_size("1.5GiB") == 1_610_612_736
    assert parse_size(" 10 kb ") == 10_000
    assert parse_size("12B") == 12
    assert parse_size("0") == 0
    for bad in ("", "MB", "-1MB", "5 parsecs", "1e9"):
        with pytest.raises(click.BadParameter):
            parse_size(bad)
    assert format_size(0) == "0 B"
    assert format_size(999) == "999 B"
    assert format_size(264_762) == "264.8 KB"
    assert format_size(2_000_000_000) == "2.0 GB"


def test_cache_info_and_prune(tmp_path: Path) -> None:
    root = tmp_path / "cache"
    fill(root)
    total = sum(ENTRY_BYTES.values())
    assert total == 264_762
    info = run("cache", "info", "--cache-dir", str(root))
    assert (info.returncode, info.stderr) == (0, "")
    assert info.stdout == f"{root}\t3 entries\t264.8 KB\n"
    pruned = run("cache", "prune", "--cache-dir", str(root), "--max-size", "200KB")
    assert pruned.stdout == f"{root}\t1 removed\t2 entries\t132.4 KB\n"
    assert not SentenceCache(root).path("03" + "0" * 62).exists()  # least recently used
    emptied = run("cache", "prune", "--cache-dir", str(root), "--max-size", "0")
    assert emptied.stdout == f"{root}\t2 removed\t0 entries\t0 B\n"


def test_cache_commands_default_to_the_environment_folder(tmp_path: Path) -> None:
    root = tmp_path / "from-env"
    fill(root)
    env = {**os.environ, "ARTICLE_AUDIO_CACHE_DIR": str(root)}
    assert run("cache", "info", env=env).stdout == f"{root}\t3 entries\t264.8 KB\n"
    pruned = run("cache", "prune", env=env)  # 500MB by default: nothing to remove
    assert pruned.stdout == f"{root}\t0 removed\t3 entries\t264.8 KB\n"
    missing = tmp_path / "never-made"
    info = run("cache", "info", "--cache-dir", str(missing))
    assert info.stdout == f"{missing}\t0 entries\t0 B\n"
    assert not missing.exists()


def test_cache_prune_usage(tmp_path: Path) -> None:
    bad = run("cache", "prune", "--cache-dir", str(tmp_path), "--max-size", "lots")
    assert bad.returncode == 2
    assert "'lots' is not a size like 500MB, 2GB or 1.5GiB" in bad.stderr
    shown = run("cache", "prune", "--help").stdout
    assert "[default: 500MB]" in shown


def test_render_jobs_cache_dir_and_no_cache(tmp_path: Path, fake_voice: Path) -> None:
    voice = ["--voice", str(fake_voice)]
    cache = tmp_path / "cache"
    one = tmp_path / "one.mp3"
    two = tmp_path / "two.mp3"
    unused = tmp_path / "unused-cache"
    serial = run("render", str(EXAMPLE), "-o", str(one), *voice, "--jobs", "1", "--no-cache")
    assert serial.returncode == 0, serial.stderr
    assert not cache.exists()
    parallel = run(
        "render", str(EXAMPLE), "-o", str(two), *voice, "--jobs", "2", "--cache-dir", str(cache)
    )
    assert parallel.returncode == 0, parallel.stderr
    assert np.array_equal(decoded(one), decoded(two))
    entries = len(list(SentenceCache(cache).entries()))
    assert entries > 0
    again = run(
        "render", str(EXAMPLE), "-o", str(one), *voice, "--no-cache", "--cache-dir", str(unused)
    )
    assert again.returncode == 0, again.stderr
    assert not unused.exists()
    assert len(list(SentenceCache(cache).entries())) == entries
    zero = run("render", str(EXAMPLE), "-o", str(one), *voice, "--jobs", "0")
    assert zero.returncode == 2
    assert "--jobs" in zero.stderr


def _files(folder: Path) -> list[Path]:
    return sorted(path for path in folder.rglob("*") if path.is_file())


@pytest.mark.parametrize("voice", ["fake", pytest.param("joe", marks=pytest.mark.slow)])
def test_a_render_writes_only_its_cache_and_output_which_cache_info_counts_and_prune_empties(
    tmp_path: Path, fake_voice: Path, voice: str
) -> None:
    """With HOME (and the temporary folder) pointing at empty folders, ``render --cache-dir D``
    writes nothing but D and the output (Piper's rewritten model included: it lives in D);
    ``cache info`` reports what D holds and ``cache prune --max-size 0`` empties it."""
    home, temporary, cache, out = (tmp_path / name for name in ("home", "tmp", "D", "out"))
    home.mkdir()
    temporary.mkdir()
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("ARTICLE_AUDIO_CACHE_DIR", "XDG_CACHE_HOME")
    }
    env.update(HOME=str(home), TMPDIR=str(temporary))
    chosen = ["--voice", str(fake_voice)] if voice == "fake" else ["--voice", voice]
    output = out / "paris.mp3"  # its folder is made
    done = run(
        "render",
        str(EXAMPLE),
        "-o",
        str(output),
        "--all-sidecars",
        "--cache-dir",
        str(cache),
        *chosen,
        env=env,
    )
    assert done.returncode == 0, done.stderr
    assert output.is_file()
    assert (_files(home), _files(temporary)) == ([], [])
    if voice == "joe":
        assert list((cache / "voices").glob("*.onnx"))  # the model store, under the cache root
    held = sum(path.stat().st_size for path in _files(cache))
    info = run("cache", "info", "--cache-dir", str(cache), env=env)
    reported = parse_size(info.stdout.rstrip("\n").split("\t")[-1])
    assert abs(reported - held) <= held / 10, (info.stdout, held)
    emptied = run("cache", "prune", "--max-size", "0", "--cache-dir", str(cache), env=env)
    assert emptied.returncode == 0, emptied.stderr
    assert _files(cache) == []
    again = run("render", str(EXAMPLE), "-o", str(output), "--no-cache", *chosen, env=env)
    assert again.returncode == 0, again.stderr
    assert (_files(home), _files(temporary), _files(cache)) == ([], [], [])
