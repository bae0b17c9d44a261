"""Read-along player: the Listen block (``embed.js``) on a page of its own.

:func:`render_player` makes one self-contained, accessible HTML page for a narration: the
headline once (with the cover art when there is one) and the byline, the Listen block
(``<article-audio-listen>``: play and pause, back and forward 15 s, speed, chapters, progress)
playing the audio beside the page, and the transcript as the page's own paragraphs, in which
the block highlights the sentence being read. The page has no external resources: the block's
script and the page's stylesheet (package data files) are inlined, and a
Content-Security-Policy allows only them (by hash), media and images from the page's own
origin, and no other script or connection, so it works from ``file://`` as from a web server.

Everything shown comes from scraped articles and is untrusted: every text and attribute is escaped
with :func:`html.escape`, file names are URL-escaped, and the block reads the chapters and cues
from a JSON data block (``<script type="application/json">``, never run) in which ``<``, ``>``
and ``&`` are escaped, so no text can close it.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import html
import json
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import asdict
from importlib import resources
from urllib.parse import quote

from article_audio.audio.assemble import ChapterMark, Cue

__all__ = ["render_player"]

#: A pause this many times the usual pause between two sentences starts a new paragraph...
PARAGRAPH_GAP_FACTOR = 1.5
#: ...if it is also at least this much longer.
PARAGRAPH_GAP_MIN_EXTRA_MS = 150
#: The page's stylesheet and the block's script: package data files beside this module, inlined.
STYLE_FILE = "player.css"
SCRIPT_FILE = "embed.js"


def _csp_hash(source: str) -> str:
    """The CSP source expression (``'sha256-…'``) that allows exactly this inline block."""
    digest = hashlib.sha256(source.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


@functools.cache
def _asset(name: str) -> str:
    """A package data file of the player, as the inline block it becomes: the page puts a line
    break before it, so the text hashed for the CSP is exactly the text between the tags."""
    text = resources.files(__package__ or __name__).joinpath(name).read_text(encoding="utf-8")
    return "\n" + text


@functools.cache
def _csp() -> str:
    """Only the page's own style and script run (allowed by hash); media (audio, captions) and
    the cover come from its own origin."""
    return "; ".join(
        [
            "default-src 'none'",
            "media-src 'self'",
            "img-src 'self'",
            f"style-src {_csp_hash(_asset(STYLE_FILE))}",
            f"script-src {_csp_hash(_asset(SCRIPT_FILE))}",
            "base-uri 'none'",
            "form-action 'none'",
        ]
    )


def _esc(text: str) -> str:
    """``text`` escaped for HTML text and double-quoted attribute values."""
    return html.escape(text, quote=True)


def _url(filename: str) -> str:
    """A relative URL for a file beside the page: each path segment percent-encoded.

    Raises :class:`ValueError` for an empty or absolute path: the page only ever points at files
    next to it (or below it), so it can be moved or served anywhere with them.
    """
    if not filename or filename.startswith(("/", "\\")):
        raise ValueError(f"expected a relative file name for the player page, got {filename!r}")
    return "/".join(quote(segment, safe="") for segment in filename.split("/"))


def _head(title: str) -> str:
    """The document's ``<head>``: charset, CSP, viewport, colour schemes, title and style."""
    return (
        "<head>\n"
        '<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{_esc(_csp())}">\n'
        '<meta name="referrer" content="no-referrer">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="color-scheme" content="light dark">\n'
        f"<title>{_esc(title)} — read-along</title>\n"
        f"<style>{_asset(STYLE_FILE)}</style>\n"
        "</head>\n"
    )


def _header(title: str, byline: str | None, cover_src: str | None) -> str:
    """The headline (the one place it is shown), the cover art and the byline."""
    cover = f'<img class="cover" src="{_esc(cover_src)}" alt="">\n' if cover_src else ""
    by = f'<p class="byline">{_esc(byline)}</p>\n' if byline else ""
    return f'<header>\n{cover}<h1 id="title">{_esc(title)}</h1>\n{by}</header>\n'


def _block(audio_src: str) -> str:
    """The Listen block, reading its chapters and cues from the ``narration`` data block and
    highlighting in the page (headline and transcript)."""
    return (
        f'<article-audio-listen audio="{_esc(audio_src)}" narration="narration" for="#page" '
        "follow></article-audio-listen>\n"
    )


def _data(title: str, chapters: Sequence[ChapterMark], cues: Sequence[Cue], ms: int) -> str:
    """The narration for the block, as JSON that no text in it can close or break out of."""
    document = {
        "title": title,
        "duration_ms": ms,
        "chapters": [asdict(mark) for mark in chapters],
        "cues": [asdict(cue) for cue in cues],
    }
    text = json.dumps(document, ensure_ascii=False)
    text = text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
    return f'<script type="application/json" id="narration">{text}</script>\n'


def _paragraph_breaks(cues: Sequence[Cue]) -> set[int]:
    """Indexes of the cues that start a paragraph, judged by the pause before them.

    The assembler leaves exact pauses: a short one between sentences and a longer one between
    paragraphs. A pause clearly longer than the usual short one (the lower quartile, so that an
    odd short gap does not count) starts a paragraph; with a single pause length throughout, the
    text stays in one paragraph per chapter.
    """
    gaps = [cues[i].start_ms - cues[i - 1].end_ms for i in range(1, len(cues))]
    if not gaps:
        return set()
    usual = sorted(gaps)[len(gaps) // 4]
    threshold = max(usual * PARAGRAPH_GAP_FACTOR, usual + PARAGRAPH_GAP_MIN_EXTRA_MS)
    return {i + 1 for i, gap in enumerate(gaps) if gap >= threshold}


def _chapter_of(chapter_starts: Sequence[int], cue: Cue) -> int:
    """Index of the chapter a cue starts in; -1 for a cue before the first chapter."""
    return bisect_right(chapter_starts, cue.start_ms) - 1


def _paragraphs(indexed: Iterable[tuple[int, Cue]], breaks: set[int]) -> str:
    """Sentences as plain ``<p>`` elements, a new one at each paragraph break."""
    paragraphs: list[list[str]] = []
    for index, cue in indexed:
        if not paragraphs or index in breaks:
            paragraphs.append([])
        paragraphs[-1].append(_esc(cue.text))
    return "".join("<p>" + " ".join(texts) + "</p>\n" for texts in paragraphs)


def _said_title(title: str, cue: Cue) -> bool:
    """Whether ``cue`` is the spoken headline (shown once, as the page's heading)."""
    return cue.text.strip().rstrip(".?!:") == title.strip().rstrip(".?!:")


def _transcript(title: str, chapters: Sequence[ChapterMark], cues: Sequence[Cue]) -> str:
    """The transcript: sentences grouped by chapter (a heading each, but the headline's) and
    paragraph; the spoken headline is the page's heading, not repeated here."""
    starts = [mark.start_ms for mark in chapters]
    groups: dict[int, list[tuple[int, Cue]]] = {}
    for index, cue in enumerate(cues):
        if not _said_title(title, cue):
            groups.setdefault(_chapter_of(starts, cue), []).append((index, cue))
    breaks = _paragraph_breaks(cues)
    body = []
    for chapter, members in groups.items():
        heading = ""
        if chapter >= 0 and not _said_title(title, Cue(chapters[chapter].title, 0, 0)):
            heading = (
                f'<h2 id="transcript-chapter-{chapter}">{_esc(chapters[chapter].title)}</h2>\n'
            )
        body.append(
            f'<div class="transcript-chapter">\n{heading}{_paragraphs(members, breaks)}</div>\n'
        )
    if not cues:
        body.append("<p>No transcript is available for this narration.</p>\n")
    return (
        '<section class="transcript" id="transcript" aria-label="Transcript">\n'
        + "".join(body)
        + "</section>\n"
    )


def _footer(audio_src: str, vtt_src: str | None) -> str:
    """Links to the files the page plays, for download or other players."""
    links = [f'<a href="{_esc(audio_src)}">audio</a>']
    if vtt_src:
        links.append(f'<a href="{_esc(vtt_src)}">transcript (WebVTT)</a>')
    return f"<footer>\n<p>Files: {', '.join(links)}.</p>\n</footer>\n"


def render_player(
    *,
    title: str,
    audio_filename: str,
    chapters: Sequence[ChapterMark],
    cues: Sequence[Cue],
    byline: str | None = None,
    transcript_vtt_filename: str | None = None,
    language: str = "en",
    cover_filename: str | None = None,
) -> str:
    """A self-contained, accessible read-along HTML page for a narration: the Listen block on
    a page of its own.

    ``audio_filename`` (``transcript_vtt_filename``, ``cover_filename``) are paths relative to
    the page, normally the bare names of the files beside it (``"paris.mp3"``). ``cues`` are one
    per sentence; ``chapters`` and ``cues`` are shown in time order. ``language`` is the BCP 47
    tag of the text (the voice profile's ``language``). Write the result as UTF-8.

    Raises :class:`ValueError` if a file name is empty or absolute.
    """
    audio_src = _url(audio_filename)
    vtt_src = _url(transcript_vtt_filename) if transcript_vtt_filename else None
    cover_src = _url(cover_filename) if cover_filename else None
    ordered_chapters = sorted(chapters, key=lambda mark: mark.start_ms)
    ordered_cues = sorted(cues, key=lambda cue: cue.start_ms)
    duration = max([c.end_ms for c in ordered_chapters] + [c.end_ms for c in ordered_cues] + [0])
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{_esc(language)}">\n'
        f"{_head(title)}"
        "<body>\n"
        '<main id="page">\n'
        f"{_header(title, byline, cover_src)}"
        f"{_block(audio_src)}"
        f"{_transcript(title, ordered_chapters, ordered_cues)}"
        "</main>\n"
        f"{_footer(audio_src, vtt_src)}"
        f"{_data(title, ordered_chapters, ordered_cues, duration)}"
        f"<script>{_asset(SCRIPT_FILE)}</script>\n"
        "</body>\n"
        "</html>\n"
    )
