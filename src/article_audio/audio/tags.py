"""Tags: the title, byline, chapters and cover written into each audio container.

* **MP3**: an ID3v2.3 tag (:mod:`.id3`) with CHAP frames plus one top-level, ordered CTOC
  (podcast apps such as Overcast list chapters only when a CTOC is present) and an APIC cover,
  put in front of the audio frames ffmpeg encoded (which are copied byte for byte).
* **M4B**: ffmpeg remuxes the file (``-c copy``) with an ffmetadata document
  (:func:`ffmetadata`): chapters as a QuickTime chapter track and a Nero ``chpl`` atom, and the
  iTunes-style atoms (``©nam``, ``©ART``, ``©alb``, ``©day``, ``©cmt``, ``stik`` = audiobook)
  from :func:`mp4_metadata`; the cover as an attached picture, which ffmpeg writes as ``covr``.
* **Ogg Opus**: ffmpeg remuxes the file with Vorbis comments (:func:`opus_metadata`:
  ``TITLE``, ``ARTIST``, ``ALBUM``, ``DATE``, the comment, which ffmpeg names ``DESCRIPTION``,
  ``ENCODER``), the chapters as ``CHAPTERxxx``/``CHAPTERxxxNAME`` comments (the Ogg chapter
  convention, which ffmpeg reads as chapters) and the cover as a ``METADATA_BLOCK_PICTURE``.
* **WAV** carries none of them: its sidecars do.

Everything here describes or edits a file that is already encoded; the encoder, which runs the
remuxes, is :mod:`.encode`.
"""

from __future__ import annotations

import base64
import contextlib
import io
import os
import re
import shutil
import struct
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from article_audio.audio import id3
from article_audio.audio.assemble import ChapterMark
from article_audio.errors import ExportError, InputError

#: Cover images accepted: Pillow format name → MIME type.
COVER_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png"}
#: FLAC picture (and ID3 APIC) type for a front cover.
FRONT_COVER = id3.FRONT_COVER
#: MP4 ``stik`` media kind for audiobooks (ffmpeg's ``media_type``).
STIK_AUDIOBOOK = 2
#: What the files say made them (ID3 ``TSSE``, Vorbis ``ENCODER``; ffmpeg writes its own name
#: in MP4's ``©too``).
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


def ffmetadata(chapters: Sequence[ChapterMark], values: Sequence[tuple[str, str]] = ()) -> str:
    """An ffmetadata document: the global ``values`` (key, value), then one ``[CHAPTER]`` per
    chapter (times in milliseconds)."""
    lines = [";FFMETADATA1"]
    lines += [f"{key}={_escape_ffmetadata(value)}" for key, value in values]
    for chapter in chapters:
        lines += [
            "[CHAPTER]",
            "TIMEBASE=1/1000",
            f"START={chapter.start_ms}",
            f"END={chapter.end_ms}",
            f"title={_escape_ffmetadata(chapter.title)}",
        ]
    return "\n".join(lines) + "\n"


def mp4_metadata(tags: Tags) -> list[tuple[str, str]]:
    """The global metadata ffmpeg writes as an M4B's iTunes-style atoms, in ffmpeg's names."""
    named = _named(tags, ("artist", "album", "date", "comment"))
    return [("title", tags.title), *named, ("media_type", str(STIK_AUDIOBOOK))]


def picture_block(cover: Cover) -> str:
    """The cover as a ``METADATA_BLOCK_PICTURE`` value: a base64 FLAC picture block (type,
    MIME type, description, width, height, colour depth and palette size unstated, data)."""
    mime, description = cover.mime.encode("ascii"), b"Cover"
    block = b"".join(
        [
            struct.pack(">II", FRONT_COVER, len(mime)),
            mime,
            struct.pack(">I", len(description)),
            description,
            struct.pack(">IIIII", cover.width, cover.height, 0, 0, len(cover.data)),
            cover.data,
        ]
    )
    return base64.b64encode(block).decode("ascii")


def _comment_clock(ms: int) -> str:
    """A chapter start as the Ogg chapter convention writes it: ``HH:MM:SS.mmm``."""
    seconds, millis = divmod(max(0, ms), 1000)
    minutes, seconds = divmod(seconds, 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours:02d}:{minutes:02d}:{seconds:02d}.{millis:03d}"


def opus_metadata(
    tags: Tags, chapters: Sequence[ChapterMark], cover: Cover | None = None
) -> list[tuple[str, str]]:
    """The Vorbis comments of an Ogg Opus file, in order: tags, chapters, cover.

    The chapters are written here, not left to ffmpeg: its Ogg muxer rounds each start to the
    nearest second before adding the milliseconds (1.5 s comes out as ``00:00:02.500``; ffmpeg
    5.1 and 9.0)."""
    named = _named(tags, ("ARTIST", "ALBUM", "DATE", "COMMENT"))
    comments = [("TITLE", tags.title), *named, ("ENCODER", ENCODED_BY)]
    for index, chapter in enumerate(chapters):
        comments.append((f"CHAPTER{index:03d}", _comment_clock(chapter.start_ms)))
        comments.append((f"CHAPTER{index:03d}NAME", chapter.title))
    if cover is not None:
        comments.append(("METADATA_BLOCK_PICTURE", picture_block(cover)))
    return comments


def id3_tag(tags: Tags, chapters: Sequence[ChapterMark], cover: Cover | None = None) -> bytes:
    """The MP3's ID3v2.3 tag: title, artist, album, date, comment, encoder, cover, chapters."""
    frames = [id3.text_frame("TIT2", tags.title)]
    if tags.artist:
        frames.append(id3.text_frame("TPE1", tags.artist))
    if tags.album:
        frames.append(id3.text_frame("TALB", tags.album))
    if tags.date:
        frames += id3.date_frames(tags.date)
    if tags.comment:
        frames.append(id3.comment_frame(tags.comment))
    frames.append(id3.text_frame("TSSE", ENCODED_BY))
    if cover is not None:
        frames.append(id3.picture_frame(cover.data, cover.mime))
    return id3.tag([*frames, *id3.chapter_frames(chapters)])


def write_id3_tags(
    path: Path, tags: Tags, chapters: Sequence[ChapterMark], cover: Cover | None = None
) -> None:
    """Put the ID3v2.3 tag (:func:`id3_tag`) in front of the MP3 at ``path``, in place of any
    ID3v2 tag it starts with; the audio frames are copied unchanged."""
    head = id3_tag(tags, chapters, cover)
    try:
        with tempfile.TemporaryDirectory(prefix="article-audio-", dir=path.parent) as folder:
            tagged = Path(folder) / "tagged.mp3"
            with path.open("rb") as audio, tagged.open("wb") as out:
                out.write(head)
                audio.seek(id3.tag_size(audio.read(10)))
                shutil.copyfileobj(audio, out)
            os.replace(tagged, path)
    except OSError as exc:
        raise ExportError(f"writing ID3 tags failed: {exc}") from exc
