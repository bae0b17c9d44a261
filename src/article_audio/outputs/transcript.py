"""Timed text beside the audio: transcripts (WebVTT, SRT, Podcasting 2.0 JSON) and chapters JSON.

Every function is pure: cues and chapter marks in, a document (``str``) out. Times are the sample
positions of sentences and words in the assembled narration, which is also where a player's
clock puts them (see :mod:`article_audio.audio.encode` on the encoder delay).

* WebVTT (W3C) and SubRip captions are caption-sized (:func:`captions`): at most
  :data:`CAPTION_LINES` lines of :data:`CAPTION_LINE_CHARS` characters, a sentence broken where
  a reader pauses (after a stop, a comma or a dash, else before a conjunction or preposition),
  each caption shown from its first word's start until the next caption (the sentence's end).
  WebVTT: ``HH:MM:SS.mmm`` timestamps, ``&``, ``<`` and ``>`` escaped; SubRip: numbered cues,
  ``HH:MM:SS,mmm`` timestamps, text as is.
* Podcasting 2.0 transcript JSON: ``{"version": "1.0.0", "segments": [{"startTime",
  "endTime", "body"}]}``, times in seconds: one segment per sentence (:func:`transcript_json`),
  or per word (:func:`words_json`, with ``"wordTiming": "voice"`` or ``"estimated"``).
* Podcasting 2.0 chapters JSON: ``{"version": "1.2.0", "chapters": [{"startTime",
  "endTime", "title"}]}``, times in seconds.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from article_audio.audio.assemble import ChapterMark, Cue, Word
from article_audio.outputs.captions import CAPTION_LINE_CHARS, CAPTION_LINES, Caption, captions

__all__ = [
    "CAPTION_LINES",
    "CAPTION_LINE_CHARS",
    "Caption",
    "captions",
    "chapters_json",
    "srt",
    "srt_timestamp",
    "transcript_json",
    "vtt_timestamp",
    "webvtt",
    "words_json",
]

TRANSCRIPT_JSON_VERSION = "1.0.0"
CHAPTERS_JSON_VERSION = "1.2.0"


def _clock(ms: int) -> tuple[int, int, int, int]:
    if ms < 0:
        raise ValueError(f"negative time: {ms} ms")
    seconds, millis = divmod(ms, 1000)
    minutes, seconds = divmod(seconds, 60)
    hours, minutes = divmod(minutes, 60)
    return hours, minutes, seconds, millis


def vtt_timestamp(ms: int) -> str:
    """``3723004`` → ``01:02:03.004`` (WebVTT; hours always written)."""
    hours, minutes, seconds, millis = _clock(ms)
    return f"{hours:02d}:{minutes:02d}:{seconds:02d}.{millis:03d}"


def srt_timestamp(ms: int) -> str:
    """``3723004`` → ``01:02:03,004`` (SubRip)."""
    hours, minutes, seconds, millis = _clock(ms)
    return f"{hours:02d}:{minutes:02d}:{seconds:02d},{millis:03d}"


def _one_line(text: str) -> str:
    """Cue text on one line: a blank line would end the cue early."""
    return " ".join(text.split())


def _vtt_text(text: str) -> str:
    return _one_line(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def webvtt(cues: Sequence[Cue]) -> str:
    """A WebVTT document of caption-sized cues (:func:`captions`)."""
    blocks = [
        f"{vtt_timestamp(c.start_ms)} --> {vtt_timestamp(c.end_ms)}\n"
        + "".join(f"{_vtt_text(line)}\n" for line in c.lines)
        for c in captions(cues)
    ]
    return "\n".join(["WEBVTT\n", *blocks])


def srt(cues: Sequence[Cue]) -> str:
    """A SubRip document of numbered, caption-sized cues (:func:`captions`)."""
    return "\n".join(
        f"{number}\n{srt_timestamp(c.start_ms)} --> {srt_timestamp(c.end_ms)}\n"
        + "".join(f"{_one_line(line)}\n" for line in c.lines)
        for number, c in enumerate(captions(cues), start=1)
    )


def _seconds(ms: int) -> float:
    return round(ms / 1000, 3)


def _dump(document: dict[str, Any]) -> str:
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def transcript_json(cues: Sequence[Cue]) -> str:
    """The Podcasting 2.0 JSON transcript: one segment per sentence, times in seconds."""
    return _dump({"version": TRANSCRIPT_JSON_VERSION, "segments": [_segment(c) for c in cues]})


def _segment(item: Cue | Word) -> dict[str, Any]:
    return {
        "startTime": _seconds(item.start_ms),
        "endTime": _seconds(item.end_ms),
        "body": _one_line(item.text),
    }


def words_json(cues: Sequence[Cue], estimated: bool = False) -> str:
    """The Podcasting 2.0 JSON transcript with one segment per written word, times in
    seconds; ``wordTiming`` says whether the times are the voice's own or estimated."""
    segments = [_segment(word) for cue in cues for word in cue.words]
    return _dump(
        {
            "version": TRANSCRIPT_JSON_VERSION,
            "wordTiming": "estimated" if estimated else "voice",
            "segments": segments,
        }
    )


def chapters_json(chapters: Sequence[ChapterMark], title: str | None = None) -> str:
    """The Podcasting 2.0 JSON chapters (with the episode ``title`` if given)."""
    document: dict[str, Any] = {"version": CHAPTERS_JSON_VERSION}
    if title:
        document["title"] = title
    document["chapters"] = [
        {
            "startTime": _seconds(chapter.start_ms),
            "endTime": _seconds(chapter.end_ms),
            "title": _one_line(chapter.title),
        }
        for chapter in chapters
    ]
    return _dump(document)
