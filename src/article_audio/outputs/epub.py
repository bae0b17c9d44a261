"""EPUB 3 read-along books: the article as XHTML, its narration, and SMIL Media Overlays.

``write_epub`` packs what a render made into one ``.epub`` that reading systems with Media
Overlays (Apple Books, Thorium, Readest) play while highlighting the word being spoken:

* one XHTML document per chapter: its title, then its paragraphs, each sentence a ``span``
  and each written word a ``span`` with an id (``w12-3``: sentence 12, word 3);
* the narration (MP3) under ``audio/``;
* one SMIL overlay per chapter, a ``par`` per word (per sentence where a cue has no word
  times), whose clips follow each other without gaps from the chapter's start to its end, so
  the pauses play too and the whole narration is heard;
* the package document with every overlay's ``media:duration``, their total, and
  ``media:active-class`` (the CSS class a reading system gives the word being spoken);
* the navigation document (the chapters).

Times are the layout's (milliseconds from sample positions of the assembled audio), written as
SMIL clock values. The archive is written to a temporary name and renamed (no half-written
book); its ``mimetype`` entry comes first and uncompressed, as the OCF container requires.
"""

from __future__ import annotations

import hashlib
import uuid
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from article_audio.audio.assemble import ChapterMark, Cue
from article_audio.script import NarrationScript
from article_audio.util import atomic_path

__all__ = ["ACTIVE_CLASS", "write_epub"]

#: The class a reading system gives the element being read aloud (styled in the book's CSS).
ACTIVE_CLASS = "-epub-media-overlay-active"
_CSS = f"""body {{ font-family: serif; line-height: 1.5; margin: 1em; }}
h1 {{ font-size: 1.4em; }}
.{ACTIVE_CLASS} {{ background-color: #ffe27a; color: #000; border-radius: 0.15em; }}
"""
_CONTAINER = """<?xml version="1.0" encoding="UTF-8"?>
<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
  <rootfiles>
    <rootfile full-path="EPUB/package.opf" media-type="application/oebps-package+xml"/>
  </rootfiles>
</container>
"""


@dataclass(frozen=True)
class _Clip:
    """A piece of text read aloud: the id of its element, and when."""

    fragment: str
    start_ms: int
    end_ms: int


def clock(ms: int) -> str:
    """A SMIL full clock value: ``3723004`` → ``1:02:03.004``."""
    seconds, millis = divmod(ms, 1000)
    minutes, seconds = divmod(seconds, 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{seconds:02d}.{millis:03d}"


def _xhtml(title: str, language: str, body: str) -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE html>\n'
        '<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops" '
        f"xml:lang={quoteattr(language)} lang={quoteattr(language)}>\n"
        f'<head><meta charset="UTF-8"/><title>{escape(title)}</title>'
        '<link rel="stylesheet" type="text/css" href="style.css"/></head>\n'
        f"<body>\n{body}</body>\n</html>\n"
    )


def _sentence(number: int, cue: Cue, clips: list[_Clip]) -> str:
    """A sentence as XHTML, its words (or itself, without word times) added to ``clips``."""
    if not cue.words:
        clips.append(_Clip(f"s{number}", cue.start_ms, cue.end_ms))
        return f'<span id="s{number}">{escape(" ".join(cue.text.split()))}</span>'
    words = []
    for index, word in enumerate(cue.words):
        fragment = f"w{number}-{index}"
        clips.append(_Clip(fragment, word.start_ms, word.end_ms))
        words.append(f'<span id="{fragment}">{escape(" ".join(word.text.split()))}</span>')
    return f'<span id="s{number}">{" ".join(words)}</span>'


def _overlay(document: str, audio: str, clips: Sequence[_Clip], chapter: ChapterMark) -> str:
    """The SMIL overlay of one chapter: clips laid end to end, from the chapter's start to its
    end (each lasts until the next begins); a clip that would last no time is left out."""
    starts = [chapter.start_ms] + [clip.start_ms for clip in clips[1:]]
    ends = [*starts[1:], chapter.end_ms]
    pars = []
    for clip, start, end in zip(clips, starts, ends, strict=True):
        if end <= start:
            continue
        pars.append(
            f'<par id="par-{clip.fragment}"><text src="{document}#{clip.fragment}"/>'
            f'<audio src="{audio}" clipBegin="{clock(start)}" clipEnd="{clock(end)}"/></par>'
        )
    body = "\n".join(pars)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<smil xmlns="http://www.w3.org/ns/SMIL" xmlns:epub="http://www.idpf.org/2007/ops" '
        'version="3.0">\n<body>\n'
        f'<seq id="seq-1" epub:textref="{document}#chapter" epub:type="chapter">\n{body}\n</seq>\n'
        "</body>\n</smil>\n"
    )


def _chapter_documents(
    script: NarrationScript,
    cues: Sequence[Cue],
    marks: Sequence[ChapterMark],
    language: str,
    audio: str,
) -> list[tuple[str, str, int]]:
    """Each chapter's XHTML document, its SMIL overlay, and how long the overlay lasts."""
    if len(cues) != len(script.sentences) or len(marks) != len(script.chapters):
        raise ValueError("the layout does not fit the narration script")
    made: list[tuple[str, str, int]] = []
    number = 0
    for index, (chapter, mark) in enumerate(zip(script.chapters, marks, strict=True), start=1):
        clips: list[_Clip] = []
        paragraphs = []
        for paragraph in chapter.paragraphs:
            spans = []
            for _ in paragraph.sentences:
                spans.append(_sentence(number, cues[number], clips))
                number += 1
            paragraphs.append(f"<p>{' '.join(spans)}</p>\n")
        body = f'<section id="chapter" epub:type="chapter">\n<h1>{escape(chapter.title)}</h1>\n'
        body += "".join(paragraphs) + "</section>\n"
        document = f"chapter-{index}.xhtml"
        overlay = _overlay(document, audio, clips, mark) if clips else None
        made.append(
            (
                _xhtml(chapter.title, language, body),
                overlay or "",
                mark.end_ms - mark.start_ms if overlay else 0,
            )
        )
    return made


def _nav(script: NarrationScript, language: str) -> str:
    entries = "".join(
        f'<li><a href="chapter-{n}.xhtml">{escape(chapter.title)}</a></li>\n'
        for n, chapter in enumerate(script.chapters, start=1)
    )
    body = f'<nav epub:type="toc" id="toc">\n<h1>Contents</h1>\n<ol>\n{entries}</ol>\n</nav>\n'
    return _xhtml(script.title, language, body)


def write_epub(
    destination: Path,
    audio: Path,
    script: NarrationScript,
    chapters: Sequence[ChapterMark],
    cues: Sequence[Cue],
    *,
    language: str = "en",
    modified: datetime | None = None,
) -> Path:
    """Write the read-along EPUB of ``script`` narrated in ``audio`` (an MP3) to
    ``destination``, atomically; ``chapters`` and ``cues`` are the layout of that audio."""
    audio_name = "narration.mp3"
    documents = _chapter_documents(script, cues, chapters, language, f"audio/{audio_name}")
    durations = [duration for _, _, duration in documents]
    digest = hashlib.sha256(audio.read_bytes()).hexdigest()
    identifier = f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, f'article-audio:{digest}')}"
    when = modified or datetime.now(timezone.utc)
    package = _package(script, language, durations, audio_name, identifier, when)
    with (
        atomic_path(destination) as temporary,
        zipfile.ZipFile(temporary, "w", zipfile.ZIP_DEFLATED) as book,
    ):
        book.writestr(zipfile.ZipInfo("mimetype"), "application/epub+zip", zipfile.ZIP_STORED)
        book.writestr("META-INF/container.xml", _CONTAINER)
        book.writestr("EPUB/package.opf", package)
        book.writestr("EPUB/nav.xhtml", _nav(script, language))
        book.writestr("EPUB/style.css", _CSS)
        for n, (xhtml, smil, _) in enumerate(documents, start=1):
            book.writestr(f"EPUB/chapter-{n}.xhtml", xhtml)
            book.writestr(f"EPUB/chapter-{n}.smil", smil)
        book.write(audio, f"EPUB/audio/{audio_name}", zipfile.ZIP_STORED)
    return destination


def _package(
    script: NarrationScript,
    language: str,
    durations: Sequence[int],
    audio_name: str,
    identifier: str,
    modified: datetime,
) -> str:
    count = len(durations)
    metas = "".join(
        f'<meta property="media:duration" refines="#smil-{n}">{clock(ms)}</meta>\n'
        for n, ms in enumerate(durations, start=1)
    )
    creators = script.authors or ((script.byline,) if script.byline else ())
    creator = "".join(f"<dc:creator>{escape(name)}</dc:creator>\n" for name in creators)
    publisher = f"<dc:publisher>{escape(script.publication or '')}</dc:publisher>\n"
    items = "".join(
        f'<item id="chapter-{n}" href="chapter-{n}.xhtml" media-type="application/xhtml+xml" '
        f'media-overlay="smil-{n}"/>\n'
        f'<item id="smil-{n}" href="chapter-{n}.smil" media-type="application/smil+xml"/>\n'
        for n in range(1, count + 1)
    )
    spine = "".join(f'<itemref idref="chapter-{n}"/>\n' for n in range(1, count + 1))
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<package xmlns="http://www.idpf.org/2007/opf" version="3.0" '
        f'unique-identifier="uid" xml:lang={quoteattr(language)}>\n'
        '<metadata xmlns:dc="http://purl.org/dc/elements/1.1/">\n'
        f'<dc:identifier id="uid">{identifier}</dc:identifier>\n'
        f"<dc:title>{escape(script.title)}</dc:title>\n"
        f"<dc:language>{escape(language)}</dc:language>\n{creator}"
        f"{publisher if script.publication else ''}"
        f'<meta property="dcterms:modified">{modified:%Y-%m-%dT%H:%M:%SZ}</meta>\n'
        f'<meta property="media:duration">{clock(sum(durations))}</meta>\n{metas}'
        f'<meta property="media:active-class">{ACTIVE_CLASS}</meta>\n'
        f'<meta property="media:narrator">article-audio ({escape(script.voice)} voice)</meta>\n'
        "</metadata>\n<manifest>\n"
        '<item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/>\n'
        '<item id="css" href="style.css" media-type="text/css"/>\n'
        f'<item id="audio" href="audio/{audio_name}" media-type="audio/mpeg"/>\n{items}'
        f"</manifest>\n<spine>\n{spine}</spine>\n</package>\n"
    )
