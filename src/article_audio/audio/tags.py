"""Tags: the title, byline, chapters and cover written into each audio container.

* **MP3**: ID3v2.3 with CHAP frames plus one top-level, ordered CTOC (podcast apps such as
  Overcast list chapters only when a CTOC is present) and an APIC cover.
* **M4B**: chapters as ffmpeg writes them from an ffmetadata file (:func:`ffmetadata`: a
  QuickTime chapter track and a Nero ``chpl`` atom), and the iTunes-style atoms (``©nam``,
  ``©ART``, ``©alb``, ``©day``, ``©cmt``, ``covr``) written by mutagen, with ``stik`` = audiobook.
* **Ogg Opus**: Vorbis comments (``TITLE``, ``ARTIST``, ``ALBUM``, ``DATE``, ``COMMENT``), the
  chapters as ``CHAPTERxxx``/``CHAPTERxxxNAME`` comments (the Ogg chapter convention, which
  ffmpeg reads as chapters) and the cover as a ``METADATA_BLOCK_PICTURE``.
* **WAV** carries none of them: its sidecars do.

Everything here edits a file that is already encoded; the encoder is :mod:`.encode`.
"""

from __future__ import annotations

import base64
import contextlib
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from mutagen.flac import Picture
from mutagen.id3 import APIC, CHAP, COMM, CTOC, ID3, TALB, TDRC, TIT2, TPE1, TSSE, CTOCFlags
from mutagen.mp4 import MP4, MP4Cover
from mutagen.oggopus import OggOpus

from article_audio.audio.assemble import ChapterMark
from article_audio.errors import ExportError, InputError

#: ID3v2.3 is what podcast apps and players read most widely.
ID3_VERSION = 3
#: Byte offsets are not used for chapters (times are); ID3 spells "unused" like this.
NO_OFFSET = 0xFFFFFFFF
#: Cover images accepted: Pillow format name → MIME type.
COVER_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png"}
#: ID3 APIC (and FLAC picture) type for a front cover.
FRONT_COVER = 3
#: MP4 ``stik`` media kind for audiobooks.
STIK_AUDIOBOOK = 2
#: What the files say made them (ID3 ``TSSE``, MP4 ``©too``, Vorbis ``ENCODER``).
ENCODED_BY = "article-audio"


@dataclass(frozen=True)
class Tags:
    title: str
    artist: str | None = None
    album: str | None = None
    date: str | None = None
    comment: str | None = None


@dataclass(frozen=True)
class Cover:
    """A cover image, checked to be a complete JPEG or PNG."""

    data: bytes
    mime: str
    width: int
    height: int


def _named(tags: Tags, names: tuple[str, str, str, str]) -> list[tuple[str, str]]:
    """The artist, album, date and comment that are set, under a container's ``names`` for
    them (in that order)."""
    values = (tags.artist, tags.album, tags.date, tags.comment)
    return [(name, value) for name, value in zip(names, values, strict=True) if value]


def load_cover(path: str | Path) -> Cover:
    """Read and check a cover image: a complete JPEG or PNG, told by its content, not its name.

    Raises :class:`InputError` for a missing, empty, non-image, other-format or corrupt file.
    """
    from PIL import Image, UnidentifiedImageError

    name = str(path)
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise InputError(f"{name}: cannot read the cover image ({exc.strerror})") from exc
    if not data:
        raise InputError(f"{name}: the cover image is empty")
    kind = ""
    try:
        with Image.open(io.BytesIO(data)) as image:
            kind = image.format or ""
            image.verify()  # structure and checksums
        with Image.open(io.BytesIO(data)) as image:
            image.load()  # every pixel decodes
            width, height = image.size
    except UnidentifiedImageError as exc:
        raise InputError(f"{name}: not an image (a cover must be JPEG or PNG)") from exc
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:
        raise InputError(f"{name}: corrupt {kind or 'image'} file ({exc})") from exc
    if kind not in COVER_TYPES:
        raise InputError(f"{name}: a {kind} image; a cover must be JPEG or PNG")
    return Cover(data, COVER_TYPES[kind], width, height)


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


def _escape_ffmetadata(text: str) -> str:
    """A value for an ffmetadata file: ``= ; # \\`` and line breaks escaped with a backslash."""
    text = " ".join(text.split())
    return re.sub(r"([=;#\\])", r"\\\1", text)


def ffmetadata(chapters: Sequence[ChapterMark]) -> str:
    """An ffmetadata document with one ``[CHAPTER]`` per chapter (times in milliseconds)."""
    lines = [";FFMETADATA1"]
    for chapter in chapters:
        lines += [
            "[CHAPTER]",
            "TIMEBASE=1/1000",
            f"START={chapter.start_ms}",
            f"END={chapter.end_ms}",
            f"title={_escape_ffmetadata(chapter.title)}",
        ]
    return "\n".join(lines) + "\n"


def chapter_frames(chapters: Sequence[ChapterMark]) -> list[CHAP | CTOC]:
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


def write_id3_tags(
    path: Path, tags: Tags, chapters: Sequence[ChapterMark], cover: Cover | None = None
) -> None:
    """Write ID3v2.3 tags, chapter frames and the cover to the MP3 at ``path``."""
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
    id3.add(TSSE(encoding=3, text=[ENCODED_BY]))
    if cover is not None:
        id3.add(APIC(encoding=3, mime=cover.mime, type=FRONT_COVER, desc="Cover", data=cover.data))
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


def write_mp4_tags(path: Path, tags: Tags, cover: Cover | None = None) -> None:
    """Write the iTunes-style metadata atoms (and ``covr``) of the M4B at ``path``."""
    values: dict[str, list[object]] = {"\xa9nam": [tags.title], "\xa9too": [ENCODED_BY]}
    for key, text in _named(tags, ("\xa9ART", "\xa9alb", "\xa9day", "\xa9cmt")):
        values[key] = [text]
    values["stik"] = [STIK_AUDIOBOOK]
    if cover is not None:
        kind = MP4Cover.FORMAT_PNG if cover.mime == "image/png" else MP4Cover.FORMAT_JPEG
        values["covr"] = [MP4Cover(cover.data, imageformat=kind)]
    try:
        mp4 = MP4(str(path))
        for key, value in values.items():
            mp4[key] = value  # creates the tag atoms if there are none
        mp4.save()
    except Exception as exc:  # mutagen raises MutagenError, OSError
        raise ExportError(f"writing MP4 tags failed: {exc}") from exc


def _comment_clock(ms: int) -> str:
    """A chapter start as the Ogg chapter convention writes it: ``HH:MM:SS.mmm``."""
    seconds, millis = divmod(max(0, ms), 1000)
    minutes, seconds = divmod(seconds, 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours:02d}:{minutes:02d}:{seconds:02d}.{millis:03d}"


def _picture_block(cover: Cover) -> str:
    """The cover as a ``METADATA_BLOCK_PICTURE`` value: a base64 FLAC picture block."""
    picture = Picture()
    picture.type = FRONT_COVER
    picture.mime = cover.mime
    picture.desc = "Cover"
    picture.width, picture.height = cover.width, cover.height
    picture.data = cover.data
    return base64.b64encode(picture.write()).decode("ascii")


def vorbis_comments(
    tags: Tags, chapters: Sequence[ChapterMark], cover: Cover | None = None
) -> list[tuple[str, str]]:
    """The Vorbis comments of an Ogg file, in order: tags, chapters, cover."""
    comments = [("TITLE", tags.title), *_named(tags, ("ARTIST", "ALBUM", "DATE", "COMMENT"))]
    comments.append(("ENCODER", ENCODED_BY))
    for index, chapter in enumerate(chapters):
        comments.append((f"CHAPTER{index:03d}", _comment_clock(chapter.start_ms)))
        comments.append((f"CHAPTER{index:03d}NAME", " ".join(chapter.title.split())))
    if cover is not None:
        comments.append(("METADATA_BLOCK_PICTURE", _picture_block(cover)))
    return comments


def write_opus_tags(
    path: Path, tags: Tags, chapters: Sequence[ChapterMark], cover: Cover | None = None
) -> None:
    """Replace the Vorbis comments of the Ogg Opus file at ``path`` with ours."""
    try:
        opus = OggOpus(str(path))
        for key in list(opus.keys()):  # ffmpeg's own (the encoder's name)
            del opus[key]
        for key, value in vorbis_comments(tags, chapters, cover):
            opus[key] = [value]  # creates the comment header's list if there is none
        opus.save()
    except Exception as exc:  # mutagen raises MutagenError, OSError
        raise ExportError(f"writing Ogg Opus tags failed: {exc}") from exc
