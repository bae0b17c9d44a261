"""Read-along player: one self-contained, accessible HTML page for a narration.

:func:`render_player` turns the assembled chapters and sentence cues into an HTML5 document that
plays the MP3 beside it and highlights the sentence being spoken. The page has no external
resources (no fonts, no CDN: its CSS and JavaScript, the package data files ``player.css`` and
``player.js``, are inlined), so it works from ``file://`` as well as from a web server, and a
Content-Security-Policy that allows only its own inline style and script (by hash) and media from
its own origin.

Everything shown comes from scraped articles and is untrusted: every text and attribute is escaped
with :func:`html.escape`, file names are URL-escaped, and the script reads its data from ``data-``
attributes, never from markup it builds itself.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import html
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from importlib import resources
from urllib.parse import quote

from article_audio.audio.assemble import ChapterMark, Cue

__all__ = ["render_player"]

#: A pause this many times the usual pause between two sentences starts a new paragraph...
PARAGRAPH_GAP_FACTOR = 1.5
#: ...if it is also at least this much longer.
PARAGRAPH_GAP_MIN_EXTRA_MS = 150
#: The page's stylesheet and script: package data files beside this module, inlined.
STYLE_FILE = "player.css"
SCRIPT_FILE = "player.js"


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
    """Only the page's own style and script run (allowed by hash); media (audio, captions)
    comes from its own origin."""
    return "; ".join(
        [
            "default-src 'none'",
            "media-src 'self'",
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


def _seconds(ms: int) -> str:
    """Milliseconds as seconds for a ``data-`` attribute (``"12.345"``)."""
    return f"{max(0, ms) / 1000:.3f}"


def _clock(ms: int) -> str:
    """Milliseconds as a clock time people read: ``"4:05"`` or ``"1:02:03"``."""
    total = max(0, ms) // 1000
    hours, rest = divmod(total, 3600)
    minutes, seconds = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{seconds:02d}" if hours else f"{minutes}:{seconds:02d}"


def _duration(ms: int) -> str:
    """Milliseconds as an ISO 8601 duration for ``<time datetime>`` (``"PT65.5S"``)."""
    return f"PT{max(0, ms) / 1000:g}S"


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


def _header(title: str, byline: str | None) -> str:
    """The article's title and byline."""
    by = f'<p class="byline">{_esc(byline)}</p>\n' if byline else ""
    return f'<header>\n<h1 id="title">{_esc(title)}</h1>\n{by}</header>\n'


def _player(audio_src: str, vtt_src: str | None, language: str) -> str:
    """The sticky audio player, its optional captions track and the follow-along switch."""
    track = (
        f'<track kind="captions" src="{_esc(vtt_src)}" srclang="{_esc(language)}" '
        'label="Transcript">\n'
        if vtt_src
        else ""
    )
    return (
        '<section class="player" aria-label="Audio player">\n'
        f'<audio id="audio" controls preload="metadata" src="{_esc(audio_src)}" '
        'aria-labelledby="title">\n'
        f"{track}"
        "<p>Your browser cannot play this audio. "
        f'<a href="{_esc(audio_src)}">Download it</a>.</p>\n'
        "</audio>\n"
        '<label class="follow"><input type="checkbox" id="follow" checked> '
        "Scroll to follow the narration</label>\n"
        "</section>\n"
    )


def _chapter_nav(chapters: Sequence[ChapterMark]) -> str:
    """The chapter list: one button per chapter that seeks to its start."""
    if not chapters:
        return ""
    items = "".join(
        f'<li><button type="button" class="chapter" id="chapter-{index}" '
        f'data-start="{_seconds(mark.start_ms)}" data-end="{_seconds(mark.end_ms)}">'
        f'<span class="chapter-title">{_esc(mark.title)}</span> '
        f'<time class="chapter-time" datetime="{_duration(mark.start_ms)}">'
        f"{_clock(mark.start_ms)}</time></button></li>\n"
        for index, mark in enumerate(chapters)
    )
    return (
        '<nav class="chapter-nav" aria-labelledby="chapters-heading">\n'
        '<h2 id="chapters-heading">Chapters</h2>\n'
        f'<ol class="chapters">\n{items}</ol>\n</nav>\n'
    )


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


def _cue_span(index: int, cue: Cue) -> str:
    """One sentence: a focusable, button-like span carrying its times in seconds."""
    return (
        f'<span class="cue" id="cue-{index}" role="button" tabindex="{0 if index == 0 else -1}" '
        f'data-start="{_seconds(cue.start_ms)}" data-end="{_seconds(cue.end_ms)}">'
        f"{_esc(cue.text)}</span>"
    )


def _paragraphs(indexed: Iterable[tuple[int, Cue]], breaks: set[int]) -> str:
    """Sentences as ``<p>`` elements, a new one at each paragraph break."""
    paragraphs: list[list[str]] = []
    for index, cue in indexed:
        if not paragraphs or index in breaks:
            paragraphs.append([])
        paragraphs[-1].append(_cue_span(index, cue))
    return "".join("<p>" + " ".join(spans) + "</p>\n" for spans in paragraphs)


def _transcript(chapters: Sequence[ChapterMark], cues: Sequence[Cue]) -> str:
    """The transcript region: sentences grouped by chapter (with headings) and paragraph."""
    starts = [mark.start_ms for mark in chapters]
    groups: dict[int, list[tuple[int, Cue]]] = {}
    for index, cue in enumerate(cues):
        groups.setdefault(_chapter_of(starts, cue), []).append((index, cue))
    breaks = _paragraph_breaks(cues)
    body = []
    for chapter, members in groups.items():
        if chapter < 0:
            body.append(f'<div class="preamble">\n{_paragraphs(members, breaks)}</div>\n')
            continue
        heading = f"transcript-chapter-{chapter}"
        body.append(  # a div, not a section: one landmark per chapter would be noise
            '<div class="transcript-chapter">\n'
            f'<h3 id="{heading}">{_esc(chapters[chapter].title)}</h3>\n'
            f"{_paragraphs(members, breaks)}</div>\n"
        )
    if not cues:
        body.append("<p>No transcript is available for this narration.</p>\n")
    return (
        '<section class="transcript" id="transcript" role="region" '
        'aria-labelledby="transcript-heading" aria-describedby="transcript-hint">\n'
        '<h2 id="transcript-heading">Transcript</h2>\n'
        '<p class="hint" id="transcript-hint">Select a sentence to jump to it. '
        "In the transcript, arrow keys move between sentences; Enter or Space jumps.</p>\n"
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
) -> str:
    """A self-contained, accessible read-along HTML page for a narration.

    ``audio_filename`` (and ``transcript_vtt_filename``) are paths relative to the page, normally
    the bare names of the sidecars beside it (``"paris.mp3"``, ``"paris.vtt"``). ``cues`` are one
    per sentence; ``chapters`` and ``cues`` are shown in time order. ``language`` is the BCP 47 tag
    of the text (the voice profile's ``language``). Write the result as UTF-8.

    Raises :class:`ValueError` if a file name is empty or absolute.
    """
    audio_src = _url(audio_filename)
    vtt_src = _url(transcript_vtt_filename) if transcript_vtt_filename else None
    ordered_chapters = sorted(chapters, key=lambda mark: mark.start_ms)
    ordered_cues = sorted(cues, key=lambda cue: cue.start_ms)
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{_esc(language)}">\n'
        f"{_head(title)}"
        "<body>\n"
        '<a class="skip-link" href="#transcript">Skip to the transcript</a>\n'
        f"{_header(title, byline)}"
        "<main>\n"
        f"{_player(audio_src, vtt_src, language)}"
        f"{_chapter_nav(ordered_chapters)}"
        f"{_transcript(ordered_chapters, ordered_cues)}"
        "</main>\n"
        f"{_footer(audio_src, vtt_src)}"
        f"<script>{_asset(SCRIPT_FILE)}</script>\n"
        "</body>\n"
        "</html>\n"
    )
