"""Read-along player: one self-contained, accessible HTML page for a narration.

:func:`render_player` turns the assembled chapters and sentence cues into an HTML5 document that
plays the MP3 beside it and highlights the sentence being spoken. The page has no external
resources (inline CSS and JavaScript, no fonts, no CDN), so it works from ``file://`` as well as
from a web server, and a Content-Security-Policy that allows only its own inline style and script
(by hash) and media from its own origin.

Everything shown comes from scraped articles and is untrusted: every text and attribute is escaped
with :func:`html.escape`, file names are URL-escaped, and the script reads its data from ``data-``
attributes, never from markup it builds itself.
"""

from __future__ import annotations

import base64
import hashlib
import html
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from urllib.parse import quote

from article_audio.audio.assemble import ChapterMark, Cue

__all__ = ["render_player"]

#: A pause this many times the usual pause between two sentences starts a new paragraph...
PARAGRAPH_GAP_FACTOR = 1.5
#: ...if it is also at least this much longer.
PARAGRAPH_GAP_MIN_EXTRA_MS = 150

_CSS = """
:root {
  color-scheme: light dark;
  --bg: #ffffff; --fg: #1b1b1b; --muted: #4d4d4d; --rule: #d0d0d0;
  --panel: #f4f4f4; --accent: #0b57d0; --focus: #0b57d0;
  --mark-bg: #ffe27a; --mark-fg: #1b1b1b; --mark-line: #8a6d00; --hover: #eef3fd;
}
@media (prefers-color-scheme: dark) {
  :root {
    --bg: #121212; --fg: #ececec; --muted: #b8b8b8; --rule: #3a3a3a;
    --panel: #1e1e1e; --accent: #8ab4f8; --focus: #8ab4f8;
    --mark-bg: #5a4700; --mark-fg: #ffffff; --mark-line: #ffd54f; --hover: #22324a;
  }
}
* { box-sizing: border-box; }
html { scroll-padding-top: 7rem; }
body {
  margin: 0; background: var(--bg); color: var(--fg);
  font: 1.125rem/1.6 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
  overflow-wrap: break-word;
}
.skip-link { position: absolute; left: 0.5rem; top: -10rem; padding: 0.5rem 1rem;
  background: var(--bg); color: var(--accent); border: 2px solid var(--focus); z-index: 10; }
.skip-link:focus { top: 0.5rem; }
header, main, footer { max-width: 44rem; margin: 0 auto; padding: 0 1rem; }
h1 { font-size: 1.75rem; line-height: 1.25; margin: 1.5rem 0 0.25rem; }
h2 { font-size: 1.2rem; margin: 1.5rem 0 0.5rem; }
h3 { font-size: 1.05rem; margin: 1.5rem 0 0.25rem; color: var(--muted); }
.byline { margin: 0 0 0.5rem; color: var(--muted); }
.player { position: sticky; top: 0; z-index: 5; background: var(--bg);
  padding: 0.75rem 0; border-bottom: 1px solid var(--rule); }
.player audio { display: block; width: 100%; }
.follow { display: inline-flex; align-items: center; gap: 0.4rem; margin-top: 0.4rem;
  font-size: 0.95rem; color: var(--muted); cursor: pointer; }
.follow input { width: 1.1rem; height: 1.1rem; margin: 0; accent-color: var(--accent); }
.chapters { list-style: none; margin: 0; padding: 0; }
.chapters li { margin: 0.15rem 0; }
.chapter { display: flex; width: 100%; gap: 1rem; justify-content: space-between;
  align-items: baseline; padding: 0.45rem 0.75rem; font: inherit; text-align: left;
  color: var(--fg); background: var(--panel); border: 1px solid var(--rule);
  border-radius: 0.4rem; cursor: pointer; }
.chapter:hover { background: var(--hover); }
.chapter-time { color: var(--muted); font-variant-numeric: tabular-nums; white-space: nowrap; }
.chapter[aria-current="true"] { border-color: var(--mark-line); font-weight: 600;
  box-shadow: inset 0.3rem 0 0 var(--mark-line); }
.hint { font-size: 0.95rem; color: var(--muted); margin: 0 0 0.5rem; }
.transcript p { margin: 0 0 1rem; }
.cue { cursor: pointer; border-radius: 0.2rem; padding: 0.05rem 0.05rem;
  -webkit-box-decoration-break: clone; box-decoration-break: clone; scroll-margin: 8rem 0 4rem; }
.cue:hover { background: var(--hover); }
.cue.is-current { background: var(--mark-bg); color: var(--mark-fg);
  text-decoration: underline 2px var(--mark-line); text-underline-offset: 0.2em; }
:focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; }
.cue:focus-visible { outline-offset: 1px; }
footer { margin-top: 2rem; padding-bottom: 2rem; font-size: 0.95rem; color: var(--muted); }
footer a { color: var(--accent); }
@media (prefers-reduced-motion: no-preference) {
  html { scroll-behavior: smooth; }
  .cue, .chapter { transition: background-color 0.15s ease-in-out; }
}
@media (forced-colors: active) {
  .cue.is-current { forced-color-adjust: none; background: Mark; color: MarkText; }
  .chapter[aria-current="true"] { outline: 2px solid Highlight; }
}
"""

_JS = r"""
"use strict";
(() => {
  const audio = document.getElementById("audio");
  const transcript = document.getElementById("transcript");
  const follow = document.getElementById("follow");
  if (!(audio instanceof HTMLMediaElement)) return;
  const cues = Array.from(document.querySelectorAll(".cue"));
  const chapters = Array.from(document.querySelectorAll(".chapter"));
  const startOf = (el) => Number.parseFloat(el.dataset.start || "0") || 0;
  const endOf = (el) => Number.parseFloat(el.dataset.end || "0") || 0;
  const cueStarts = cues.map(startOf);
  const cueEnds = cues.map(endOf);
  const chapterStarts = chapters.map(startOf);
  const reducedMotion = window.matchMedia("(prefers-reduced-motion: reduce)");
  const EPSILON = 0.01; // seconds: a seek to a start may land a hair before it
  const IDLE_MS = 4000; // no auto-scroll this long after the reader scrolls, clicks or types
  let currentCue = -1;
  let currentChapter = -1;
  let tabStop = cues.length ? 0 : -1;
  let lastInteraction = -Infinity;
  let frame = 0;

  /** Index of the last start at or before `time` (binary search), or -1. */
  function indexAt(starts, time) {
    let lo = 0;
    let hi = starts.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (starts[mid] <= time + EPSILON) { found = mid; lo = mid + 1; } else { hi = mid - 1; }
    }
    return found;
  }

  /** The sentence to highlight at `time`: the one being spoken, or in a pause the one just
   *  spoken, unless a chapter has begun since (a chapter starts in the pause before it). */
  function cueAt(time, chapter) {
    const index = indexAt(cueStarts, time);
    if (index < 0 || time < cueEnds[index] || chapter < 0) return index;
    return chapterStarts[chapter] > cueStarts[index] ? -1 : index;
  }

  /** Moves the "current" mark (class and aria-current) from one item of `items` to another. */
  function mark(items, from, to) {
    if (from === to) return;
    if (from >= 0) {
      items[from].classList.remove("is-current");
      items[from].removeAttribute("aria-current");
    }
    if (to >= 0) {
      items[to].classList.add("is-current");
      items[to].setAttribute("aria-current", "true");
    }
  }

  /** Makes sentence `index` the transcript's single Tab stop (roving tabindex). */
  function setTabStop(index) {
    if (index < 0 || index === tabStop) return;
    if (tabStop >= 0) cues[tabStop].tabIndex = -1;
    cues[index].tabIndex = 0;
    tabStop = index;
  }

  const focusInTranscript = () =>
    transcript !== null && transcript.contains(document.activeElement);

  /** Brings the highlighted sentence into view, unless the reader is busy or opted out. */
  function reveal(el) {
    if (follow instanceof HTMLInputElement && !follow.checked) return;
    if (audio.paused || performance.now() - lastInteraction < IDLE_MS) return;
    const box = el.getBoundingClientRect();
    const player = document.querySelector(".player");
    const top = player ? player.getBoundingClientRect().bottom : 0;
    if (box.top >= top + 16 && box.bottom <= window.innerHeight - 48) return;
    el.scrollIntoView({ block: "center", behavior: reducedMotion.matches ? "auto" : "smooth" });
  }

  /** Highlights the sentence and chapter at `time` (default: the audio's position). */
  function sync(time) {
    const t = time === undefined ? audio.currentTime : time;
    const chapter = indexAt(chapterStarts, t);
    const cue = cueAt(t, chapter);
    mark(chapters, currentChapter, chapter);
    currentChapter = chapter;
    if (cue === currentCue) return;
    mark(cues, currentCue, cue);
    currentCue = cue;
    if (cue < 0) return;
    if (!focusInTranscript()) setTabStop(cue);
    reveal(cues[cue]);
  }

  /** Jumps to `time` (seconds); playing goes on playing, paused stays paused. */
  function seek(time) {
    audio.currentTime = time;
    sync(time);
  }

  function tick() {
    sync();
    frame = audio.paused ? 0 : window.requestAnimationFrame(tick);
  }

  audio.addEventListener("timeupdate", () => sync());
  audio.addEventListener("seeking", () => sync());
  audio.addEventListener("seeked", () => sync());
  audio.addEventListener("play", () => {
    if (!frame) frame = window.requestAnimationFrame(tick);
  });

  for (const type of ["pointerdown", "wheel", "touchstart", "keydown"]) {
    window.addEventListener(type, () => { lastInteraction = performance.now(); },
      { capture: true, passive: true });
  }

  for (const button of chapters) {
    button.addEventListener("click", () => seek(startOf(button)));
  }

  if (transcript !== null) {
    transcript.addEventListener("click", (event) => {
      const el = event.target instanceof Element ? event.target.closest(".cue") : null;
      if (el === null) return;
      const selection = window.getSelection();
      if (selection !== null && !selection.isCollapsed) return; // the reader is selecting text
      setTabStop(cues.indexOf(el));
      seek(startOf(el));
    });
    transcript.addEventListener("keydown", (event) => {
      const el = event.target instanceof Element ? event.target.closest(".cue") : null;
      if (el === null || event.altKey || event.ctrlKey || event.metaKey) return;
      const index = cues.indexOf(el);
      let next = -1;
      switch (event.key) {
        case "Enter":
        case " ":
          event.preventDefault();
          seek(startOf(el));
          return;
        case "ArrowDown": case "ArrowRight": next = Math.min(index + 1, cues.length - 1); break;
        case "ArrowUp": case "ArrowLeft": next = Math.max(index - 1, 0); break;
        case "Home": next = 0; break;
        case "End": next = cues.length - 1; break;
        default: return;
      }
      event.preventDefault();
      setTabStop(next);
      cues[next].focus();
    });
  }

  sync();
})();
"""


def _csp_hash(source: str) -> str:
    """The CSP source expression (``'sha256-…'``) that allows exactly this inline block."""
    digest = hashlib.sha256(source.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


#: Only the page's own style and script run; media (audio, captions) comes from its own origin.
_CSP = "; ".join(
    [
        "default-src 'none'",
        "media-src 'self'",
        f"style-src {_csp_hash(_CSS)}",
        f"script-src {_csp_hash(_JS)}",
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
        f'<meta http-equiv="Content-Security-Policy" content="{_esc(_CSP)}">\n'
        '<meta name="referrer" content="no-referrer">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="color-scheme" content="light dark">\n'
        f"<title>{_esc(title)} — read-along</title>\n"
        f"<style>{_CSS}</style>\n"
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
        f"<script>{_JS}</script>\n"
        "</body>\n"
        "</html>\n"
    )
