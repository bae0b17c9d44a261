"""Sidecars beside the audio: names sharing its stem, refusals before work, atomic writes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from article_audio.audio.assemble import ChapterMark, Cue, Layout
from article_audio.config import SidecarOptions
from article_audio.errors import ExportError, InputError
from article_audio.outputs.sidecars import check_sidecars, sidecar_paths, write_sidecars

NARRATION = Layout(
    (ChapterMark("Introduction", 0, 1200), ChapterMark("The talks", 1200, 3000)),
    (Cue("Allies met.", 400, 1000), Cue("They agreed.", 1500, 2600)),
    3000,
)


def test_every_sidecar_shares_the_audio_stem(tmp_path: Path) -> None:
    paths = sidecar_paths(tmp_path / "paris.mp3", SidecarOptions.everything())
    assert {kind: path.name for kind, path in paths.items()} == {
        "vtt": "paris.vtt",
        "srt": "paris.srt",
        "json": "paris.transcript.json",
        "words": "paris.words.json",
        "chapters": "paris.chapters.json",
        "html": "paris.html",
    }


def test_nothing_is_asked_for_by_default(tmp_path: Path) -> None:
    assert sidecar_paths(tmp_path / "paris.mp3", SidecarOptions()) == {}


def test_write_sidecars_writes_what_was_asked_and_returns_the_paths(tmp_path: Path) -> None:
    options = SidecarOptions(transcripts=("srt",), chapters_json=True)
    written = write_sidecars(tmp_path / "paris.mp3", NARRATION, options, title="Paris")
    assert [path.name for path in written] == ["paris.srt", "paris.chapters.json"]
    assert sorted(path.name for path in tmp_path.iterdir()) == ["paris.chapters.json", "paris.srt"]
    assert (
        (tmp_path / "paris.srt")
        .read_text(encoding="utf-8")
        .startswith("1\n00:00:00,400 --> 00:00:01,000\nAllies met.\n")
    )
    chapters = json.loads((tmp_path / "paris.chapters.json").read_text(encoding="utf-8"))
    assert [c["startTime"] for c in chapters["chapters"]] == [0.0, 1.2]


def test_the_player_page_links_the_audio_and_the_vtt(tmp_path: Path) -> None:
    options = SidecarOptions(transcripts=("vtt",), html=True)
    write_sidecars(tmp_path / "paris.mp3", NARRATION, options, title="Paris", language="en-US")
    page = (tmp_path / "paris.html").read_text(encoding="utf-8")
    assert 'audio="paris.mp3"' in page  # the Listen block plays it
    assert "paris.vtt" in page
    assert 'lang="en-US"' in page


def test_unknown_transcript_format_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="unknown transcript format 'txt'"):
        check_sidecars(tmp_path / "a.mp3", SidecarOptions(transcripts=("txt",)))


def test_a_sidecar_may_not_overwrite_the_audio(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="overwritten by a sidecar"):
        check_sidecars(tmp_path / "paris.html", SidecarOptions(html=True))


def test_a_failed_write_leaves_no_file(tmp_path: Path) -> None:
    (tmp_path / "paris.vtt").mkdir()  # the rename onto a folder fails
    with pytest.raises(ExportError, match=r"paris\.vtt: cannot write"):
        write_sidecars(
            tmp_path / "paris.mp3", NARRATION, SidecarOptions(transcripts=("vtt",)), title="P"
        )
    assert sorted(path.name for path in tmp_path.iterdir()) == ["paris.vtt"]
    assert (tmp_path / "paris.vtt").is_dir()


def test_sidecars_are_readable_by_others_like_any_new_file(tmp_path: Path) -> None:
    write_sidecars(tmp_path / "p.mp3", NARRATION, SidecarOptions(chapters_json=True), title="P")
    assert (tmp_path / "p.chapters.json").stat().st_mode & 0o044 == 0o044
