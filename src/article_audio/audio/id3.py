"""ID3v2.3 tags as bytes: the title, byline, date, comment, cover and chapters of an MP3.

Written to the ID3v2.3 specification and its chapter addendum (``CHAP`` and ``CTOC`` frames):

* a 10-byte header (``ID3``, version 3.0, no flags, the size of the rest as a syncsafe integer),
  then frames of a 4-character id, a 4-byte big-endian size, two flag bytes and the content,
  then zero padding (room for a tag editor to edit in place);
* text in UTF-16 with a byte-order mark (encoding 1: v2.3 has no UTF-8);
* the date as ``TYER`` (year) and ``TDAT`` (day and month, ``DDMM``): v2.3 has no ``TDRC``;
* one ``CHAP`` per chapter, in time order, ids ``chp0``, ``chp1``..., times in milliseconds,
  byte offsets "unused", the title as a ``TIT2`` sub-frame; and one top-level, ordered ``CTOC``
  (id ``toc``, titled "Chapters") listing them: podcast apps such as Overcast list chapters only
  when a CTOC is present, and players that ignore it list the CHAP frames in file order.

ffmpeg's MP3 muxer writes CHAP and CTOC too, but with ids ``ch0``..., a comment as
``TXXX:comment`` rather than ``COMM``, no title on the CTOC and its own name in ``TSSE``; the tag
is small enough to write exactly as the files have always had it.
"""

from __future__ import annotations

import re
import struct
from collections.abc import Sequence

from article_audio.audio.assemble import ChapterMark
from article_audio.errors import ExportError

#: The ID3 major version written: v2.3 is what podcast apps and players read most widely.
VERSION = 3
#: Byte offsets are not used for chapters (times are); ID3 spells "unused" like this.
NO_OFFSET = 0xFFFFFFFF
#: APIC picture type of a front cover.
FRONT_COVER = 3
#: CTOC flags: a top-level table (0x02) whose entries are ordered (0x01).
TOP_LEVEL_ORDERED = 0x03
#: Zero bytes after the frames, so that a tag editor can change a frame without moving audio.
PADDING = 1024
#: The largest tag the header's 28-bit syncsafe size can state.
MAX_TAG_BYTES = (1 << 28) - 1
#: Text encoding 1: UTF-16 with a byte-order mark.
_UTF16 = 1


def _utf16(text: str) -> bytes:
    return text.encode("utf-16")  # with its byte-order mark


def _frame(frame_id: str, content: bytes) -> bytes:
    return frame_id.encode("ascii") + struct.pack(">IH", len(content), 0) + content


def text_frame(frame_id: str, text: str) -> bytes:
    """A text frame (``TIT2``, ``TPE1``...) holding ``text``."""
    return _frame(frame_id, bytes([_UTF16]) + _utf16(text))


def comment_frame(text: str, language: str = "eng") -> bytes:
    """A ``COMM`` frame with an empty description."""
    head = bytes([_UTF16]) + language.encode("ascii") + _utf16("") + b"\0\0"
    return _frame("COMM", head + _utf16(text))


def picture_frame(data: bytes, mime: str, description: str = "Cover") -> bytes:
    """An ``APIC`` front cover."""
    head = bytes([_UTF16]) + mime.encode("latin-1") + b"\0" + bytes([FRONT_COVER])
    return _frame("APIC", head + _utf16(description) + b"\0\0" + data)


def date_frames(date: str) -> list[bytes]:
    """``TYER`` and, for a full ``YYYY-MM-DD`` date, ``TDAT`` (``DDMM``); none for a date that
    does not start with a year."""
    match = re.match(r"(\d{4})(?:-(\d{2})-(\d{2}))?", date)
    if not match:
        return []
    year, month, day = match.groups()
    frames = [text_frame("TYER", year)]
    if month and day:
        frames.append(text_frame("TDAT", f"{day}{month}"))
    return frames


def _element_id(name: str) -> bytes:
    return name.encode("latin-1") + b"\0"


def chapter_frames(chapters: Sequence[ChapterMark]) -> list[bytes]:
    """One ``CHAP`` per chapter, in the order given, and the top-level ordered ``CTOC``."""
    if len(chapters) > 255:
        raise ExportError(f"an MP3 holds at most 255 chapters in its table, not {len(chapters)}")
    ids = [f"chp{index}" for index in range(len(chapters))]
    frames = []
    for element_id, chapter in zip(ids, chapters, strict=True):
        times = struct.pack(">IIII", chapter.start_ms, chapter.end_ms, NO_OFFSET, NO_OFFSET)
        title = text_frame("TIT2", " ".join(chapter.title.split()))
        frames.append(_frame("CHAP", _element_id(element_id) + times + title))
    entries = b"".join(_element_id(element_id) for element_id in ids)
    head = _element_id("toc") + bytes([TOP_LEVEL_ORDERED, len(ids)])
    frames.append(_frame("CTOC", head + entries + text_frame("TIT2", "Chapters")))
    return frames


def _syncsafe(size: int) -> bytes:
    return bytes((size >> shift) & 0x7F for shift in (21, 14, 7, 0))


def tag(frames: Sequence[bytes], padding: int = PADDING) -> bytes:
    """The complete ID3v2.3 tag holding ``frames``."""
    size = sum(len(frame) for frame in frames) + padding
    if size > MAX_TAG_BYTES:
        raise ExportError(f"the ID3 tag would take {size} bytes; it can hold {MAX_TAG_BYTES}")
    header = b"ID3" + bytes([VERSION, 0, 0]) + _syncsafe(size)
    return header + b"".join(frames) + bytes(padding)


def tag_size(head: bytes) -> int:
    """How many bytes the ID3v2 tag that ``head`` (a file's first 10 bytes) starts takes,
    header and footer included; 0 when it starts none."""
    if len(head) < 10 or head[:3] != b"ID3" or any(b & 0x80 for b in head[6:10]):
        return 0
    size = sum(b << shift for b, shift in zip(head[6:10], (21, 14, 7, 0), strict=True))
    footer = 10 if head[3] == 4 and head[5] & 0x10 else 0
    return 10 + size + footer
