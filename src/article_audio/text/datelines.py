"""Date lines at the head of an article: "Updated 9:15 AM", "Published March 3, 2025 |
Updated 2 hours ago", "Tue 4 Mar 2025 06.00 GMT": whether a line is only dates, and the
published and updated dates it gives, as printed."""

from __future__ import annotations

import re

from article_audio.text.lines import word_count

__all__ = ["DATE", "DATE_LABEL", "SEPARATOR_CHARS", "is_date_line", "parse_dates"]

#: Characters trimmed from the ends of a byline or date piece.
SEPARATOR_CHARS = " ·|•-–—,;:/"
_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_WEEKDAY = r"(?:mon|tues?|wed(?:nes)?|thu(?:rs)?|fri|sat(?:ur)?|sun)(?:day)?\.?,?"
DATE = re.compile(
    rf"(?i)\b(?:(?:{_WEEKDAY} )?{_MONTH} \d{{1,2}}(?:st|nd|rd|th)?,? \d{{4}}"
    rf"|(?:{_WEEKDAY} )?\d{{1,2}}(?:st|nd|rd|th)? {_MONTH},? \d{{4}}"
    r"|\d{4}-\d\d-\d\d|\d{1,2}/\d{1,2}/\d{2,4}"
    r"|(?:\d+|an?|one) (?:second|sec|minute|min|hour|hr|day|week|month|year)s? ago"
    r"|\d{1,2}:\d\d(?: ?[ap]\.?m\.?)?)"
)
DATE_LABEL = re.compile(
    r"(?i)\b(last updated|last modified|updated|modified|first published|published|posted"
    r"|date)\b(?: on| at)?\s*:?"
)
_DATE_FILLER = re.compile(
    rf"\b(?:(?i:{_MONTH}|mon(?:day)?|tue(?:s(?:day)?)?|wed(?:nesday)?|thu(?:rs(?:day)?)?"
    r"|fri(?:day)?|sat(?:urday)?|sun(?:day)?|[ap]\.?m\.?|on|at)|[A-Z]{2,4}|\d+(?:st|nd|rd|th)?)\b"
)
_PUBLISHED_LABELS = ("first published", "published", "posted", "date")


def is_date_line(text: str) -> bool:
    """A short line that is only a date, a time or ``Label: date`` parts."""
    if word_count(text) > 20 or not DATE.search(text):
        return False
    rest = _DATE_FILLER.sub(" ", DATE_LABEL.sub(" ", DATE.sub(" ", text)))
    return len(re.findall(r"[^\W\d_]{2,}", rest)) <= 1


def parse_dates(text: str) -> tuple[str | None, str | None]:
    """(published, updated) as printed in a date line."""
    published: str | None = None
    updated: str | None = None
    parts = DATE_LABEL.split(text)
    segments = [(None, parts[0]), *zip(parts[1::2], parts[2::2], strict=False)]
    for label, raw in segments:
        value = _trim_date(raw)
        if not value:
            continue
        if label is None or label.lower() in _PUBLISHED_LABELS:
            published = published or value
        else:
            updated = updated or value
    return published, updated


def _trim_date(text: str) -> str:
    """``text`` without leading/trailing " / "-separated pieces that hold no date or time."""
    pieces = re.split(r"(\s+[/|·•]\s+)", text.strip(SEPARATOR_CHARS))
    while pieces and not DATE.search(pieces[-1]):
        pieces = pieces[:-2]
    while pieces and not DATE.search(pieces[0]):
        pieces = pieces[2:]
    return "".join(pieces).strip(SEPARATOR_CHARS)
