"""Batch rendering: safe distinct names, one failure reported while the rest render, a shared
local pool, and a real Dask LocalCluster whose audio matches a local render's."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from article_audio.apps.batch import BatchOutcome, output_names, render_batch
from article_audio.apps.render import render
from article_audio.audio import jobs
from article_audio.audio.jobs import local_executor
from article_audio.config import RenderOptions, ScriptOptions
from article_audio.errors import InputError
from article_audio.voices import load_profile_file

from .conftest import EXAMPLE
from .test_cli import run
from .test_outputs import decoded

distributed = pytest.importorskip("distributed")


def options_for(voice: Path, cache: Path | None, jobs: int | None = None) -> RenderOptions:
    return RenderOptions(
        script=ScriptOptions(voice=str(voice)),
        jobs=jobs,
        cache_dir=None if cache is None else str(cache),
        use_cache=cache is not None,
    )


def test_output_names_are_safe_and_distinct() -> None:
    inputs = [
        "a/Story.txt",
        "b/story.md",
        "../../etc/passwd",
        "Été à Montréal!.txt",
        "con.txt",
        "x/.hidden.txt",
        "story-2.txt",
        "/tmp/...txt",
    ]
    assert output_names(inputs, "mp3") == [
        "story.mp3",
        "story-2.mp3",
        "passwd.mp3",
        "ete-a-montreal.mp3",
        "con-article.mp3",
        "hidden.mp3",
        "story-2-2.mp3",
        "article-5ec1f7e7.mp3",
    ]
    assert output_names(["a/x.txt", "b/x.txt"], "m4b") == ["x.m4b", "x-2.m4b"]


def test_cli_batch_reports_the_broken_article_and_renders_the_rest(
    tmp_path: Path, fake_voice: Path
) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    first = str(shutil.copy(EXAMPLE, tmp_path / "a" / "paris.txt"))
    second = str(shutil.copy(EXAMPLE, tmp_path / "b" / "Paris.txt"))
    broken = tmp_path / "empty.txt"
    broken.write_text("", encoding="utf-8")
    out = tmp_path / "out"
    result = run(
        "batch",
        first,
        str(broken),
        second,
        "--out-dir",
        str(out),
        "--voice",
        str(fake_voice),
        "--jobs",
        "2",
        "--cache-dir",
        str(tmp_path / "cache"),
        "--chapters-json",
    )
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"article-audio: error: {broken}: the input is empty",
        "article-audio: error: 1 of 3 articles failed",
    ]
    lines = [line.split("\t") for line in result.stdout.splitlines()]
    assert [line[:2] for line in lines] == [
        [first, str(out / "paris.mp3")],
        [second, str(out / "paris-2.mp3")],
    ]
    sentences = int(lines[0][4].split()[0])
    assert lines[0][4] == f"{sentences} synthesized, 0 cached"  # the second copy reuses them all
    assert lines[1][4] == f"0 synthesized, {sentences} cached"
    assert sorted(p.name for p in out.iterdir()) == [
        "paris-2.chapters.json",
        "paris-2.mp3",
        "paris.chapters.json",
        "paris.mp3",
    ]


def test_cli_batch_usage_errors(tmp_path: Path) -> None:
    out = tmp_path / "out"
    both = run(
        "batch",
        str(EXAMPLE),
        "--out-dir",
        str(out),
        "--jobs",
        "2",
        "--scheduler",
        "tcp://127.0.0.1:8786",
    )
    assert both.returncode == 2
    assert "--jobs sets local workers: not with --scheduler" in both.stderr
    unknown = run("batch", str(EXAMPLE), "--out-dir", str(out), "--voice", "nobody")
    assert unknown.returncode == 2
    assert unknown.stdout == ""
    assert unknown.stderr.startswith("article-audio: error: ")
    assert len(unknown.stderr.splitlines()) == 1
    no_inputs = run("batch", "--out-dir", str(out))
    assert no_inputs.returncode == 2
    assert "Missing argument 'INPUT...'" in no_inputs.stderr
    assert not out.exists()


def test_batch_shares_one_pool_and_the_cache(tmp_path: Path, fake_voice: Path) -> None:
    profile = load_profile_file(fake_voice)
    options = options_for(fake_voice, tmp_path / "cache")
    seen: list[BatchOutcome] = []
    with local_executor(profile, 2) as pool:
        report = render_batch(
            [EXAMPLE, tmp_path / "missing.txt", EXAMPLE], tmp_path / "out", options, pool
        )
        again = render_batch([EXAMPLE], tmp_path / "out", options, pool, on_outcome=seen.append)
    assert [o.output.name for o in report.outcomes] == [
        "cbc-coalition-paris.mp3",
        "missing.mp3",
        "cbc-coalition-paris-2.mp3",
    ]
    assert [o.ok for o in report.outcomes] == [True, False, True]
    assert report.failed[0].error == "no such file"
    first, _, copy = (o.result for o in report.outcomes)
    assert first is not None and copy is not None
    assert (first.synthesized > 0, first.cached, first.reused) == (True, 0, False)
    assert (copy.synthesized, copy.cached, copy.reused) == (0, 0, True)  # the same file again
    assert copy.path.read_bytes() == first.path.read_bytes()
    assert seen == list(again.outcomes)
    assert again.outcomes[0].result is not None and again.outcomes[0].result.reused
    assert not (tmp_path / "out" / "missing.mp3").exists()


def test_batch_refuses_an_unusable_out_dir(tmp_path: Path, fake_voice: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    with pytest.raises(InputError, match="cannot create the output folder"):
        render_batch([EXAMPLE], blocker / "out", options_for(fake_voice, None, jobs=1))


# --------------------------------------------------------------------------- Dask


@pytest.fixture(scope="module")
def cluster() -> Iterator[Any]:
    """A real Dask cluster on this machine: two worker processes, one thread each."""
    with distributed.LocalCluster(
        n_workers=2,
        processes=True,
        threads_per_worker=1,
        dashboard_address=None,
        host="127.0.0.1",
    ) as local:
        yield local


def test_dask_cluster_renders_the_same_audio_as_a_local_render(
    tmp_path: Path, fake_voice: Path, cluster: Any
) -> None:
    local = render(EXAMPLE, tmp_path / "local.mp3", options_for(fake_voice, None, jobs=1))
    options = options_for(fake_voice, tmp_path / "cache")
    report = render_batch([EXAMPLE], tmp_path / "out", options, cluster.scheduler_address)
    assert report.failed == ()
    remote = report.outcomes[0].result
    assert remote is not None
    assert remote.path == tmp_path / "out" / "cbc-coalition-paris.mp3"
    assert (remote.synthesized, remote.cached) == (local.synthesized, 0)
    assert remote.cues == local.cues
    assert remote.chapters == local.chapters
    assert np.array_equal(decoded(remote.path), decoded(local.path))
    with distributed.Client(cluster.scheduler_address) as client:
        loaded = client.run(lambda: [profile.path for profile in jobs._ENGINES])
    assert len(loaded) == 2
    for profiles in loaded.values():  # each worker loaded this voice once, and kept it
        assert profiles.count(str(fake_voice)) == 1


def test_cli_batch_on_a_dask_scheduler(tmp_path: Path, fake_voice: Path, cluster: Any) -> None:
    out = tmp_path / "out"
    args = ["batch", str(EXAMPLE), "--out-dir", str(out), "--voice", str(fake_voice)]
    result = run(*args, "--scheduler", cluster.scheduler_address, "--no-cache", "-q")
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")
    assert [p.name for p in out.iterdir()] == ["cbc-coalition-paris.mp3"]
