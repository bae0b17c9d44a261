"""Timed text beside the audio: transcripts (WebVTT, SRT, Podcasting 2.0 JSON) and chapters JSON.

Every function is pure: cues and chapter marks in, a document (``str``) out. One cue per
sentence, its times the sample positions of the sentence in the assembled narration, which is
also where a player's clock puts it (see :mod:`article_audio.audio.encode` on the encoder delay).

* WebVTT (W3C): ``HH:MM:SS.mmm`` timestamps; ``&``, ``<`` and ``>`` escaped in cue text.
* SubRip: numbered cues, ``HH:MM:SS,mmm`` timestamps, text as is.
* Podcasting 2.0 transcript JSON: ``{"version": "1.0.0", "segments": [{"startTime",
  "endTime", "body"}]}``, times in seconds.
* Podcasting 2.0 chapters JSON: ``{"version": "1.2.0", "chapters": [{"startTime",
  "endTime", "title"}]}``, times in seconds.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from article_audio.audio.assemble import ChapterMark, Cue

__all__ = [
    "chapters_json",
    "srt",
    "srt_timestamp",
    "transcript_json",
    "vtt_timestamp",
    "webvtt",
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
    """A WebVTT document with one cue per sentence."""
    blocks = [
        f"{vtt_timestamp(cue.start_ms)} --> {vtt_timestamp(cue.end_ms)}\n{_vtt_text(cue.text)}\n"
        for cue in cues
    ]
    return "\n".join(["WEBVTT\n", *blocks])


def srt(cues: Sequence[Cue]) -> str:
    """A SubRip document with one numbered cue per sentence."""
    return "\n".join(
        f"{number}\n{srt_timestamp(cue.start_ms)} --> {srt_timestamp(cue.end_ms)}\n"
        f"{_one_line(cue.text)}\n"
        for number, cue in enumerate(cues, start=1)
    )


def _seconds(ms: int) -> float:
    return round(ms / 1000, 3)


def _dump(document: dict[str, Any]) -> str:
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def transcript_json(cues: Sequence[Cue]) -> str:
    """The Podcasting 2.0 JSON transcript: one segment per sentence, times in seconds."""
    segments = [
        {
            "startTime": _seconds(cue.start_ms),
            "endTime": _seconds(cue.end_ms),
            "body": _one_line(cue.text),
        }
        for cue in cues
    ]
    return _dump({"version": TRANSCRIPT_JSON_VERSION, "segments": segments})


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
