"""The tags and chapters as written, byte for byte and read back by mutagen: the ffmetadata
document ffmpeg remuxes M4B and Ogg Opus files with, the Vorbis comments, and the ID3v2.3 tag
put in front of an MP3's audio."""

from __future__ import annotations

import base64
import io
from pathlib import Path

from mutagen.flac import Picture
from mutagen.id3 import ID3, CTOCFlags

from article_audio.audio import id3
from article_audio.audio.assemble import ChapterMark
from article_audio.audio.tags import (
    Cover,
    Tags,
    ffmetadata,
    id3_tag,
    mp4_metadata,
    opus_metadata,
    write_id3_tags,
)

TAGS = Tags("A title", "Jane Doe", "The Paper", "2026-01-05", "made in a test")
CHAPTERS = (
    ChapterMark("Intro", 0, 1500),
    ChapterMark("Middle – ünïcode", 1500, 61_234),
    ChapterMark("End; #1 = a\\b\nnext", 61_234, 3_725_001),
)
COVER = Cover(b"\x89PNG\r\n\x1a\n-not-really", "image/png", 32, 24)


def test_the_ffmetadata_document_holds_the_values_then_the_chapters() -> None:
    values = [("title", "A = B; #2"), ("media_type", "2")]
    assert ffmetadata(CHAPTERS, values) == (
        ";FFMETADATA1\n"
        "title=A \\= B\\; \\#2\n"
        "media_type=2\n"
        "[CHAPTER]\nTIMEBASE=1/1000\nSTART=0\nEND=1500\ntitle=Intro\n"
        "[CHAPTER]\nTIMEBASE=1/1000\nSTART=1500\nEND=61234\ntitle=Middle – ünïcode\n"
        "[CHAPTER]\nTIMEBASE=1/1000\nSTART=61234\nEND=3725001\n"
        "title=End\\; \\#1 \\= a\\\\b next\n"
    )
    assert ffmetadata(()) == ";FFMETADATA1\n"


def test_mp4_metadata_names_the_atoms_as_ffmpeg_does() -> None:
    assert mp4_metadata(TAGS) == [
        ("title", "A title"),
        ("artist", "Jane Doe"),
        ("album", "The Paper"),
        ("date", "2026-01-05"),
        ("comment", "made in a test"),
        ("media_type", "2"),
    ]
    assert mp4_metadata(Tags("Only a title")) == [("title", "Only a title"), ("media_type", "2")]


def test_opus_comments_state_chapter_starts_to_the_millisecond() -> None:
    comments = opus_metadata(TAGS, CHAPTERS, COVER)
    assert comments[:-1] == [
        ("TITLE", "A title"),
        ("ARTIST", "Jane Doe"),
        ("ALBUM", "The Paper"),
        ("DATE", "2026-01-05"),
        ("COMMENT", "made in a test"),
        ("ENCODER", "article-audio"),
        ("CHAPTER000", "00:00:00.000"),
        ("CHAPTER000NAME", "Intro"),
        ("CHAPTER001", "00:00:01.500"),
        ("CHAPTER001NAME", "Middle – ünïcode"),
        ("CHAPTER002", "00:01:01.234"),
        ("CHAPTER002NAME", "End; #1 = a\\b\nnext"),
    ]
    key, block = comments[-1]
    picture = Picture(base64.b64decode(block))
    assert key == "METADATA_BLOCK_PICTURE"
    assert (picture.type, picture.mime, picture.desc, picture.data) == (
        3,
        "image/png",
        "Cover",
        COVER.data,
    )
    assert (picture.width, picture.height) == (32, 24)


def test_an_id3_text_frame_byte_for_byte() -> None:
    # id, size 5 (not syncsafe in v2.3), no flags; UTF-16 (1) with its byte-order mark
    assert id3.text_frame("TIT2", "é") == b"TIT2\x00\x00\x00\x05\x00\x00\x01\xff\xfe\xe9\x00"


def test_the_id3_tag_reads_back_in_mutagen_as_the_files_always_had_it() -> None:
    data = id3_tag(TAGS, CHAPTERS, COVER)
    size = len(data) - 10
    assert data[:6] == b"ID3\x03\x00\x00"
    assert data[6:10] == bytes((size >> s) & 0x7F for s in (21, 14, 7, 0))  # syncsafe
    assert data.endswith(bytes(id3.PADDING))
    tag = ID3(io.BytesIO(data))
    assert tag.version[:2] == (2, 3)
    assert (str(tag["TIT2"]), str(tag["TPE1"]), str(tag["TALB"])) == (
        "A title",
        "Jane Doe",
        "The Paper",
    )
    assert str(tag["TDRC"]) == "2026-01-05"
    assert tag.getall("COMM")[0].text == ["made in a test"]
    assert str(tag["TSSE"]) == "article-audio"
    (picture,) = tag.getall("APIC")
    assert (picture.mime, picture.type, picture.desc, picture.data) == (
        "image/png",
        3,
        "Cover",
        COVER.data,
    )
    (toc,) = tag.getall("CTOC")
    assert toc.element_id == "toc"
    assert toc.flags == CTOCFlags.TOP_LEVEL | CTOCFlags.ORDERED
    assert toc.child_element_ids == ["chp0", "chp1", "chp2"]
    assert str(toc.sub_frames["TIT2"]) == "Chapters"
    chaps = tag.getall("CHAP")
    assert [(c.element_id, c.start_time, c.end_time) for c in chaps] == [
        ("chp0", 0, 1500),
        ("chp1", 1500, 61_234),
        ("chp2", 61_234, 3_725_001),
    ]
    assert [str(c.sub_frames["TIT2"]) for c in chaps] == [
        "Intro",
        "Middle – ünïcode",
        "End; #1 = a\\b next",
    ]
    assert {(c.start_offset, c.end_offset) for c in chaps} == {(id3.NO_OFFSET, id3.NO_OFFSET)}


def test_the_chap_frames_are_in_time_order_in_the_file() -> None:
    data = id3_tag(TAGS, CHAPTERS)
    found = [data.index(f"chp{i}\x00".encode()) for i in range(3)]
    assert found == sorted(found) and found[0] < data.index(b"CTOC")


def test_a_date_without_a_day_is_a_year_and_a_tag_needs_only_a_title() -> None:
    tag = ID3(io.BytesIO(id3_tag(Tags("T", date="2024"), ())))
    assert str(tag["TDRC"]) == "2024"
    assert sorted(tag.keys()) == ["CTOC:toc", "TDRC", "TIT2", "TSSE"]
    assert tag.getall("CTOC")[0].child_element_ids == []


def test_writing_the_tag_replaces_any_tag_and_keeps_the_audio_bytes(tmp_path: Path) -> None:
    audio = b"\xff\xfb\x90\x64" + bytes(range(256)) * 8  # stands for MPEG frames
    path = tmp_path / "out.mp3"
    path.write_bytes(audio)
    write_id3_tags(path, TAGS, CHAPTERS)
    first = id3_tag(TAGS, CHAPTERS)
    assert path.read_bytes() == first + audio
    write_id3_tags(path, Tags("Another"), CHAPTERS[:1], COVER)
    assert path.read_bytes() == id3_tag(Tags("Another"), CHAPTERS[:1], COVER) + audio
    assert [p.name for p in tmp_path.iterdir()] == ["out.mp3"]


def test_tag_size_reads_v23_and_v24_headers() -> None:
    assert id3.tag_size(b"ID3\x03\x00\x00\x00\x00\x02\x01") == 10 + 257
    assert id3.tag_size(b"ID3\x04\x00\x10\x00\x00\x00\x05") == 10 + 5 + 10  # with a footer
    assert id3.tag_size(b"\xff\xfb\x90\x64" + bytes(6)) == 0
    assert id3.tag_size(b"ID3\x03\x00\x00\x80\x00\x00\x00") == 0  # not syncsafe: not a tag
