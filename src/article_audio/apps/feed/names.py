"""The feed's names and dates: the files it writes and announces, text made safe for XML,
publication dates as news pages print them, and the one way its files are replaced."""

from __future__ import annotations

import contextlib
import re
from datetime import datetime, timedelta, timezone
from pathlib import Path

from article_audio.audio.tags import iso_date
from article_audio.util import write_atomically

FEED_NAME = "feed.xml"
STATE_NAME = ".article-audio-feed.json"
#: Article files picked up from the articles folder (not recursive).
ARTICLE_SUFFIXES = (".txt", ".md", ".html")
#: Sidecar file-name endings (after the slug) and the MIME types the feed announces them with.
TRANSCRIPT_TYPES = {
    ".vtt": "text/vtt",
    ".srt": "application/x-subrip",
    ".transcript.json": "application/json",
}
CHAPTERS_SUFFIX, CHAPTERS_TYPE = ".chapters.json", "application/json+chapters"
HTML_SUFFIX = ".html"
#: The words JSON (a transcript segment per word) is kept with its episode, not announced: the
#: sentence transcript is the feed's application/json one.
WORDS_SUFFIX = ".words.json"
SIDECAR_SUFFIXES = (*TRANSCRIPT_TYPES, WORDS_SUFFIX, CHAPTERS_SUFFIX, HTML_SUFFIX)

#: Characters XML 1.0 cannot carry, even escaped.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_safe(text: str) -> str:
    """``text`` without the characters XML cannot carry (article text is untrusted)."""
    return _NOT_XML.sub("", text)


def write_if_changed(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` atomically, unless it already holds exactly that."""
    with contextlib.suppress(OSError):
        if path.read_bytes() == data:
            return
    write_atomically(path, data)


#: UTC offsets (minutes) of zone abbreviations news sites print after a time.
_ZONES = {
    "UTC": 0, "GMT": 0, "Z": 0, "EST": -300, "EDT": -240, "CST": -360, "CDT": -300,
    "MST": -420, "MDT": -360, "PST": -480, "PDT": -420, "AKST": -540, "AKDT": -480,
    "HST": -600, "AST": -240, "ADT": -180, "NST": -210, "NDT": -150, "BST": 60,
    "CET": 60, "CEST": 120, "EET": 120, "EEST": 180,
}  # fmt: skip
_ISO_STAMP = re.compile(
    r"\b(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2})?)(?:\.\d+)?\s*(Z|[+-]\d{2}:?\d{2})"
)
_CLOCK = re.compile(r"\b(\d{1,2}):(\d{2})\s*(?:([AaPp])\.?\s*[Mm]\.?)?\s*([A-Z]{1,4})?\b(?![:\d])")


def published_at(text: str | None) -> datetime | None:
    """The UTC time of a publication date as printed on a news page, if it names a day.

    ``2026-01-05T09:00:00Z`` and ``Jan 05, 2026 4:00 AM EST`` give that moment; a day whose
    time or time zone is missing or unknown gives noon UTC, which is the same calendar day
    from UTC-11 to UTC+11.
    """
    if not text:
        return None
    stamp = _ISO_STAMP.search(text)
    if stamp:
        offset = stamp.group(3).replace("Z", "+00:00")
        offset = offset if ":" in offset else f"{offset[:3]}:{offset[3:]}"
        with contextlib.suppress(ValueError):
            return utc(datetime.fromisoformat(f"{stamp.group(1)}T{stamp.group(2)}{offset}"))
    day = iso_date(text)
    if day is None or len(day) != len("2026-01-05"):
        return None
    noon = datetime.strptime(day, "%Y-%m-%d").replace(hour=12, tzinfo=timezone.utc)
    return _clock_time(text, noon) or noon


def _clock_time(text: str, day: datetime) -> datetime | None:
    """``day`` at the time printed in ``text``, if the time names a zone we know."""
    for found in _CLOCK.finditer(text):
        hour, minute, meridiem, zone = found.groups()
        if zone not in _ZONES:
            continue
        hours = int(hour)
        if meridiem:
            hours = hours % 12 + (12 if meridiem.lower() == "p" else 0)
        if hours > 23 or int(minute) > 59:
            continue
        local = day.replace(hour=hours, minute=int(minute), tzinfo=None)
        return utc(local.replace(tzinfo=timezone(timedelta(minutes=_ZONES[zone]))))
    return None


def utc(moment: datetime) -> datetime:
    """``moment`` in UTC; a ``ValueError`` if it has no time zone."""
    if moment.tzinfo is None:
        raise ValueError(f"{moment.isoformat()} has no time zone")
    return moment.astimezone(timezone.utc)


def now() -> datetime:
    """The time now, in UTC, to the second."""
    return datetime.now(timezone.utc).replace(microsecond=0)
