"""Export stage: the narration becomes an MP3 with ID3v2 tags and chapters.

Chapters are ID3v2 CHAP frames plus one top-level, ordered CTOC (podcast apps such as Overcast
list chapters only when a CTOC is present). The file is encoded and tagged under a temporary
name in the destination folder and renamed into place, so a reader never sees half a file.
"""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from mutagen.id3 import CHAP, COMM, CTOC, ID3, TALB, TDRC, TIT2, TPE1, TSSE, CTOCFlags

from .assemble import ChapterMark, Narration
from .audio import use_ffmpeg
from .errors import ExportError

#: ID3v2.3 is what podcast apps and players read most widely.
ID3_VERSION = 3
#: Byte offsets are not used for chapters (times are); ID3 spells "unused" like this.
NO_OFFSET = 0xFFFFFFFF


@dataclass(frozen=True)
class Tags:
    title: str
    artist: str | None = None
    album: str | None = None
    date: str | None = None
    comment: str | None = None


@contextlib.contextmanager
def atomic_path(destination: Path) -> Iterator[Path]:
    """A temporary path beside ``destination`` that is renamed onto it if the block succeeds
    and removed if it fails."""
    folder = destination.parent
    try:
        handle, name = tempfile.mkstemp(prefix=f".{destination.stem}.", suffix=".part", dir=folder)
    except OSError as exc:
        raise ExportError(f"cannot write in {folder}: {exc.strerror}") from exc
    os.close(handle)
    temporary = Path(name)
    try:
        yield temporary
        os.replace(temporary, destination)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def encode_mp3(narration: Narration, path: Path, bitrate_kbps: int) -> None:
    """Encode mono MP3 at ``bitrate_kbps`` to ``path`` (overwritten)."""
    use_ffmpeg()
    try:
        handle = narration.audio.export(
            str(path), format="mp3", bitrate=f"{bitrate_kbps}k", parameters=["-ac", "1"]
        )
        handle.close()
    except Exception as exc:  # pydub raises CouldntEncodeError, OSError, ...
        message = str(exc).strip().splitlines()[-1] if str(exc).strip() else type(exc).__name__
        raise ExportError(f"MP3 encoding failed: {message}") from exc


def chapter_frames(chapters: tuple[ChapterMark, ...]) -> list[CHAP | CTOC]:
    """CHAP frames for ``chapters`` and the top-level ordered CTOC that lists them."""
    frames: list[CHAP | CTOC] = []
    ids = [f"chp{index}" for index in range(len(chapters))]
    for element_id, chapter in zip(ids, chapters, strict=True):
        frames.append(
            CHAP(
                element_id=element_id,
                start_time=chapter.start_ms,
                end_time=chapter.end_ms,
                start_offset=NO_OFFSET,
                end_offset=NO_OFFSET,
                sub_frames=[TIT2(encoding=3, text=[chapter.title])],
            )
        )
    frames.append(
        CTOC(
            element_id="toc",
            flags=CTOCFlags.TOP_LEVEL | CTOCFlags.ORDERED,
            child_element_ids=ids,
            sub_frames=[TIT2(encoding=3, text=["Chapters"])],
        )
    )
    return frames


def write_tags(path: Path, tags: Tags, chapters: tuple[ChapterMark, ...]) -> None:
    """Write ID3v2 tags and chapter frames to the MP3 at ``path``."""
    id3 = ID3()
    id3.add(TIT2(encoding=3, text=[tags.title]))
    if tags.artist:
        id3.add(TPE1(encoding=3, text=[tags.artist]))
    if tags.album:
        id3.add(TALB(encoding=3, text=[tags.album]))
    if tags.date:
        id3.add(TDRC(encoding=3, text=[tags.date]))
    if tags.comment:
        id3.add(COMM(encoding=3, lang="eng", desc="", text=[tags.comment]))
    id3.add(TSSE(encoding=3, text=["article-audio"]))
    for frame in chapter_frames(chapters):
        id3.add(frame)
    try:
        id3.save(str(path), v2_version=ID3_VERSION)
        order_chapter_frames(path)
    except Exception as exc:  # mutagen raises MutagenError, OSError
        raise ExportError(f"writing ID3 tags failed: {exc}") from exc


def _chapter_start(frame: bytes) -> int:
    """Start time (ms) of a raw CHAP frame: it follows the null-terminated element id."""
    data = frame[10:]
    end = data.index(b"\x00")
    return int.from_bytes(data[end + 1 : end + 5], "big")


def order_chapter_frames(path: Path) -> None:
    """Put the CHAP frames of the ID3v2.3 tag at the start of ``path`` in chronological order.

    mutagen writes frames sorted by size; players that ignore the CTOC (and ffprobe) list
    chapters in file order. The tag keeps its size, so it is rewritten in place.
    """
    with path.open("r+b") as handle:
        header = handle.read(10)
        if header[:3] != b"ID3" or header[3] != ID3_VERSION or header[5] & 0x40:
            return  # not a plain v2.3 tag without extended header: leave it alone
        size = sum((b & 0x7F) << (7 * (3 - i)) for i, b in enumerate(header[6:10]))  # syncsafe
        body = handle.read(size)
        frames, position = [], 0
        while position + 10 <= len(body) and body[position] != 0:
            length = int.from_bytes(body[position + 4 : position + 8], "big")
            frames.append(body[position : position + 10 + length])
            position += 10 + length
        chapters = iter(sorted((f for f in frames if f[:4] == b"CHAP"), key=_chapter_start))
        ordered = [next(chapters) if f[:4] == b"CHAP" else f for f in frames]
        handle.seek(10)
        handle.write(b"".join(ordered))


def export_mp3(narration: Narration, destination: Path, tags: Tags, bitrate_kbps: int) -> Path:
    """Encode, tag and atomically place the MP3 at ``destination``."""
    with atomic_path(destination) as temporary:
        encode_mp3(narration, temporary, bitrate_kbps)
        write_tags(temporary, tags, narration.chapters)
    return destination


_DATE_FORMATS = ("%b %d, %Y", "%B %d, %Y", "%d %B %Y", "%d %b %Y", "%Y-%m-%d", "%b. %d, %Y")


def iso_date(text: str | None) -> str | None:
    """``YYYY-MM-DD`` (or ``YYYY``) from a date as printed on a news page, if one is found."""
    if not text:
        return None
    iso = re.search(r"\b\d{4}-\d{2}-\d{2}(?!\d)", text)
    if iso:
        return iso.group(0)
    match = re.search(r"[A-Z][a-z]{2,8}\.? \d{1,2}, \d{4}|\d{1,2} [A-Z][a-z]{2,8} \d{4}", text)
    if match:
        candidate = match.group(0).replace("Sept", "Sep")
        for fmt in _DATE_FORMATS:
            with contextlib.suppress(ValueError):
                return datetime.strptime(candidate, fmt).date().isoformat()
    year = re.search(r"\b(19|20)\d{2}\b", text)
    return year.group(0) if year else None
