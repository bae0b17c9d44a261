"""Export: a real MP3 through ffmpeg, read back with ffprobe and mutagen."""

from __future__ import annotations

from pathlib import Path

import pytest
from mutagen.id3 import ID3, CTOCFlags
from mutagen.mp3 import MP3

from article_audio.audio import segment as audio
from article_audio.audio.assemble import ChapterMark, Narration
from article_audio.audio.export import Tags, export_mp3, iso_date
from article_audio.audio.segment import SAMPLE_RATE
from article_audio.errors import ExportError

from .conftest import ffprobe


def narration() -> Narration:
    from pydub.generators import Sine

    audio = Sine(330).to_audio_segment(duration=6000, volume=-10).set_frame_rate(SAMPLE_RATE)
    audio = audio.set_channels(1).set_sample_width(2)
    chapters = (
        ChapterMark("Intro", 0, 2000),
        ChapterMark("Middle – ünïcode", 2000, 4500),
        ChapterMark("End", 4500, 6000),
    )
    return Narration(audio, chapters, ())


TAGS = Tags("A title", "Jane Doe", "The Paper", "2026-01-05", "made in a test")


def test_mp3_is_mono_at_the_bitrate_with_tags_and_chapters(tmp_path: Path) -> None:
    out = export_mp3(narration(), tmp_path / "out.mp3", TAGS, 48)
    info = ffprobe(out)
    stream = info["streams"][0]
    assert stream["codec_name"] == "mp3"
    assert stream["channels"] == 1
    assert int(stream["bit_rate"]) == 48000
    assert [c["tags"]["title"] for c in info["chapters"]] == ["Intro", "Middle – ünïcode", "End"]
    assert [(c["start_time"], c["end_time"]) for c in info["chapters"]] == [
        ("0.000000", "2.000000"),
        ("2.000000", "4.500000"),
        ("4.500000", "6.000000"),
    ]
    assert info["format"]["tags"]["title"] == "A title"
    assert info["format"]["tags"]["artist"] == "Jane Doe"
    assert abs(float(info["format"]["duration"]) - 6.0) < 0.1


def test_id3_has_a_top_level_ordered_ctoc(tmp_path: Path) -> None:
    out = export_mp3(narration(), tmp_path / "out.mp3", TAGS, 64)
    id3 = ID3(out)
    assert id3.version[:2] == (2, 3)
    toc = id3.getall("CTOC")
    assert len(toc) == 1
    assert toc[0].flags == CTOCFlags.TOP_LEVEL | CTOCFlags.ORDERED
    assert toc[0].child_element_ids == ["chp0", "chp1", "chp2"]
    chaps = sorted(id3.getall("CHAP"), key=lambda f: f.start_time)
    assert [(c.start_time, c.end_time) for c in chaps] == [(0, 2000), (2000, 4500), (4500, 6000)]
    assert str(id3["TALB"]) == "The Paper"
    assert str(id3["TDRC"]) == "2026-01-05"
    assert id3.getall("COMM")[0].text == ["made in a test"]
    assert MP3(out).info.channels == 1


def test_failed_encoding_leaves_no_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(audio, "ffmpeg_path", lambda: "/bin/false")  # an "ffmpeg" that fails
    out = tmp_path / "out.mp3"
    with pytest.raises(ExportError, match="MP3 encoding failed"):
        export_mp3(narration(), out, TAGS, 64)
    assert list(tmp_path.iterdir()) == []


def test_an_existing_file_survives_a_failed_export(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out.mp3"
    out.write_bytes(b"previous episode")
    monkeypatch.setattr(audio, "ffmpeg_path", lambda: "/bin/false")
    with pytest.raises(ExportError):
        export_mp3(narration(), out, TAGS, 64)
    assert out.read_bytes() == b"previous episode"
    assert [p.name for p in tmp_path.iterdir()] == ["out.mp3"]


@pytest.mark.parametrize(
    ("printed", "iso"),
    [
        ("Jan 05, 2026 4:00 AM EST", "2026-01-05"),
        ("Posted: Sept. 3, 2025", "2025-09-03"),
        ("5 January 2026", "2026-01-05"),
        ("2026-11-24T10:00:00Z", "2026-11-24"),
        ("Updated in 2024", "2024"),
        ("1 hour ago", None),
        (None, None),
    ],
)
def test_iso_date(printed: str | None, iso: str | None) -> None:
    assert iso_date(printed) == iso
