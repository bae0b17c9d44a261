"""Passes on dates, clock times, decades and years."""

from __future__ import annotations

import re

from article_audio.text.normalize.context import apart, final_period, word_after, word_before
from article_audio.text.normalize.data import (
    MONTH_NAMES,
    MONTHS,
    TIME_ZONES,
    WEEKDAYS,
    YEAR_COUNTED_NOUNS,
    YEAR_FOLLOWERS,
    YEAR_STRONG_CUES,
    YEAR_WEAK_CUES,
    alternation,
)
from article_audio.text.normalize.number_words import (
    integer_words,
    ordinal,
    pluralize_number,
    spell_letters,
    year_suffix_words,
    year_words,
)

# --- Dates ---------------------------------------------------------------------------------

_MONTH = rf"(?P<month>(?i:{alternation(MONTHS)}))\b\.?"
#: Month names in any case ("JAN", "july") -> the month.
_MONTHS_ANY_CASE = {written.casefold(): month for written, month in MONTHS.items()}
#: Lower-case month names that are also common words: a date only with a year or a day first.
_MONTH_WORDS = frozenset({"may", "march", "mar"})
_WEEKDAY = rf"(?:(?P<weekday>{alternation(WEEKDAYS)})\b\.?,?\s+)?"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_DAY2 = r"(?:\s?[-–]\s?(?P<day2>[0-3]?\d)(?:st|nd|rd|th)?)?"
_DATE_YEAR = r"(?:,?\s+(?P<year>\d{4})(?!\w|[.,:]\d))?"
_DATE_MDY = re.compile(
    rf"(?<![\w.]){_WEEKDAY}{_MONTH}(?:\s+|-){_DAY}{_DAY2}(?![\w:]|[.,]\d)"
    rf"(?:-(?P<year_after_dash>\d{{4}})(?!\w)|{_DATE_YEAR})"
)
_DATE_DMY = re.compile(
    rf"(?<![\w.,]){_WEEKDAY}(?P<the>[Tt]he\s+)?{_DAY}{_DAY2}\s+(?:of\s+)?{_MONTH}(?!\w){_DATE_YEAR}"
)
_DATE_YMD = re.compile(
    r"(?<![\w./])(?P<year>\d{4})/(?P<month>\d{1,2})/(?P<day>\d{1,2})(?![\w/]|\.\d)"
)
_DATE_MY = re.compile(rf"(?<![\w.]){_MONTH},?\s+(?P<year>\d{{4}})(?!\w|[.,:]\d)")
_DATE_ISO = re.compile(r"(?<![\w.-])(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})(?![\w-]|\.\d)")
_DATE_SLASH = re.compile(
    r"(?<![\w./-])(?P<first>\d{1,2})(?:/(?P<second>\d{1,2})/(?P<year>\d{4}|\d{2})"
    r"|(?P<sep>[.-])(?P<second2>\d{2})(?P=sep)(?P<year2>\d{4}))(?![\w/]|[.-]\d)"
)
#: Two-digit years up to this one are read in the 2000s, later ones in the 1900s.
_CENTURY_PIVOT = 30
_TIME_AHEAD = re.compile(r"\s+\d{1,2}(?:[:.]\d{2}|\s?[AaPp]\.?[Mm]\b)")


def _date_words(
    month: int, day: int, year: int | None, *, day_first: bool, day2: int | None = None
) -> str | None:
    """Say a date: "January fifth, twenty twenty-six" or "the fifth of January, ...".

    Returns None when the numbers are not a real calendar date.
    """
    if not 1 <= month <= 12 or not 1 <= day <= 31 or (day2 is not None and not day < day2 <= 31):
        return None
    days = ordinal(day) + (" to " + ordinal(day2) if day2 is not None else "")
    name = MONTH_NAMES[month - 1]
    spoken = f"the {days} of {name}" if day_first else f"{name} {days}"
    if year is not None:
        spoken += ", " + year_words(year)
    return spoken


def _date_match(text: str, match: re.Match[str], *, day_first: bool) -> str:
    """Read a month-name date match (both orders), with its weekday and year."""
    groups = match.groupdict()
    written = groups["month"]
    month = MONTH_NAMES.index(_MONTHS_ANY_CASE[written.casefold()]) + 1
    year_text = groups["year"] or groups.get("year_after_dash")
    year = int(year_text) if year_text else None
    if written.islower() and written in _MONTH_WORDS and year is None and not day_first:
        return match.group(0)  # "they march 5 miles", "we may 2 times"
    day2 = int(groups["day2"]) if groups["day2"] else None
    spoken = _date_words(month, int(groups["day"]), year, day_first=day_first, day2=day2)
    if spoken is None:
        return match.group(0)
    if groups.get("the"):
        spoken = groups["the"].rstrip() + spoken[3:]  # keep "The" capitalized
    if groups["weekday"]:
        spoken = WEEKDAYS[groups["weekday"]] + ", " + spoken
    if year is not None and _TIME_AHEAD.match(text, match.end()):
        spoken += ","
    return spoken


def _numeric_date(text: str, match: re.Match[str]) -> str:
    """Read ISO (2026-01-05) and slash (1/5/2026, 15/01/2026) dates."""
    groups = match.groupdict()
    year = int(groups["year"] or groups.get("year2") or 0)
    if year < 100:
        year += 2000 if year <= _CENTURY_PIVOT else 1900
    if "first" in groups:
        first, second = int(groups["first"]), int(groups["second"] or groups["second2"])
        day_first = first > 12
        month, day = (second, first) if day_first else (first, second)
    else:
        month, day, day_first = int(groups["month"]), int(groups["day"]), False
    spoken = _date_words(month, day, year, day_first=day_first)
    if spoken is None:
        return match.group(0)
    return spoken + ("," if _TIME_AHEAD.match(text, match.end()) else "")


def _month_year(match: re.Match[str]) -> str:
    """Read "January 2026" -> "January twenty twenty-six"."""
    year = int(match.group("year"))
    if not 1000 <= year <= 2099:
        return match.group(0)
    return _MONTHS_ANY_CASE[match.group("month").casefold()] + " " + year_words(year)


def expand_dates(text: str) -> str:
    """Read dates in news formats.

    "Jan 05, 2026" and "Jan. 5, 2026" -> "January fifth, twenty twenty-six";
    "5 January 2026" -> "the fifth of January, twenty twenty-six";
    "Sat 14 Nov 2026" -> "Saturday, the fourteenth of November, twenty twenty-six";
    "2026-01-05" -> "January fifth, twenty twenty-six"; "January 2026". A comma is added
    between a dated year and a clock time that follows it.
    """
    text = _DATE_ISO.sub(apart(lambda m: _numeric_date(text, m)), text)
    text = _DATE_SLASH.sub(apart(lambda m: _numeric_date(text, m)), text)
    text = _DATE_YMD.sub(apart(lambda m: _numeric_date(text, m)), text)
    text = _DATE_MDY.sub(apart(lambda m: _date_match(text, m, day_first=False)), text)
    text = _DATE_DMY.sub(apart(lambda m: _date_match(text, m, day_first=True)), text)
    return _DATE_MY.sub(apart(_month_year), text)


_QUARTER = re.compile(
    r"(?<![\w.])(?:(?P<n>[1-4])Q['’]?(?P<y>\d{2}|\d{4})|Q(?P<n2>[1-4])(?:\s(?P<y2>\d{4})"
    r"|\s?['’](?P<y3>\d{2}))?)(?!\w|[.,]\d)"
)


def _quarter(text: str, match: re.Match[str]) -> str:
    """Read "2Q22", "Q2 2022" -> "the second quarter of twenty twenty-two", "Q3" -> "the
    third quarter" ("the" unsaid when already written: "the Q3 results")."""
    number = int(match.group("n") or match.group("n2"))
    year = match.group("y") or match.group("y2") or match.group("y3")
    article = "" if word_before(text, match.start()).lower() == "the" else "the "
    spoken = f"{article}{ordinal(number)} quarter"
    if year:
        spoken += " of " + (year_words(int(year)) if len(year) == 4 else year_suffix_words(year))
    return spoken


def expand_quarters(text: str) -> str:
    """Read business quarters: "2Q22", "Q2 2022", "Q2 '22", "Q3"."""
    return _QUARTER.sub(apart(lambda m: _quarter(text, m)), text)


# --- Clock times ---------------------------------------------------------------------------


def _time_core(prefix: str) -> str:
    """Regex for one clock time; group names start with ``prefix``."""
    return (
        rf"(?P<{prefix}h>[0-2]?\d)(?!\d)(?:(?P<{prefix}sep>[:.])(?P<{prefix}m>[0-5]\d)(?!\d))?"
        rf"(?:\s?(?P<{prefix}ampm>[AaPp]\.?[Mm]\b\.?))?"
    )


def _zone_pattern() -> str:
    """A time zone after a clock time: as listed ("EST"), dotted in any case ("e.s.t"), or
    in lower case when three letters or more ("est"; "et" may be French)."""
    dotted = (r"\.".join(zone) + r"\.?" for zone in TIME_ZONES if zone.isalpha())
    lower = (zone.lower() for zone in TIME_ZONES if len(zone) > 2 and zone.isupper())
    return rf"(?P<zone>{alternation(TIME_ZONES)}|{alternation(lower)}|(?i:{'|'.join(dotted)}))"


#: A zone right after a time; glued to a dotted "p.m." ("p.m.est") as well.
_ZONE = rf"(?:(?:\s+|(?<=\.)){_zone_pattern()}(?!\w|\.\w))?"
_TIME = re.compile(
    rf"(?<![\w.:$€£,/-]){_time_core('a')}(?:\s?(?:[-–]|to\b)\s?{_time_core('b')})?"
    rf"(?:\s(?P<noon>noon|midnight)\b)?{_ZONE}"
)
_TIME_WITH_SECONDS = re.compile(
    r"(?<![\w.:$€£,/-])(?P<h>\d{1,2}):(?P<m>[0-5]\d):(?P<s>[0-5]\d)(?![\d:]|\.\d)"
    rf"(?:\s?(?P<ampm>[AaPp]\.?[Mm]\b\.?))?(?P<offset>(?=[+-]\d\d\b|Z\b))?{_ZONE}"
)


def _zone_words(written: str) -> str:
    """The spoken name of a zone as written after a time ("e.s.t" -> "Eastern")."""
    return TIME_ZONES[written.replace(".", "").upper()]


def _minute_words(minute: int) -> str:
    """Minutes after the hour: "" for :00, "oh five" for :05, "thirty" for :30."""
    if minute == 0:
        return ""
    return ("oh " if minute < 10 else "") + integer_words(str(minute))


def _clock_words(hour: int, minute: int, ampm: str | None, twenty_four: bool) -> str | None:
    """Say one clock time in the 12-hour clock, or None if it is not a time."""
    if ampm is not None:
        if not 1 <= hour <= 12:
            return None
        suffix = spell_letters(ampm)
    elif twenty_four:
        if hour > 23:
            return None
        if minute == 0 and hour in (0, 12):
            return "midnight" if hour == 0 else "noon"
        suffix = "A.M" if hour < 12 else "P.M"
        hour = hour % 12 or 12
    elif hour > 12:
        return None
    else:
        suffix = "" if minute else "o'clock"
    return " ".join(w for w in (integer_words(str(hour)), _minute_words(minute), suffix) if w)


def _clock(groups: dict[str, str | None], prefix: str, fallback_ampm: str | None) -> str | None:
    """Say the clock time captured under ``prefix`` in a :data:`_TIME` match."""
    hour_text = groups[prefix + "h"] or ""
    minute_text = groups[prefix + "m"]
    ampm = groups[prefix + "ampm"] or fallback_ampm
    if minute_text is None and ampm is None:
        return None
    twenty_four = hour_text.startswith("0") or int(hour_text) > 12 or int(hour_text) == 0
    return _clock_words(int(hour_text), int(minute_text or 0), ampm, twenty_four)


def _spoken_times(groups: dict[str, str | None]) -> str | None:
    """Say the time or time range of a :data:`_TIME` match, or None if it is no time."""
    if groups["bh"] is None:
        if groups["noon"] and groups["ah"] == "12" and groups["am"] in (None, "00"):
            return groups["noon"]  # "12 noon", "12:00 midnight"
        return _clock(groups, "a", None)
    shared_suffix = groups["aampm"] is None and groups["bampm"] is not None
    first = _clock(groups, "a", groups["bampm"] if shared_suffix else None)
    second = _clock(groups, "b", None)
    if first is None or second is None:
        return None
    if shared_suffix:
        first = first.rsplit(" ", 1)[0]  # "nine to eleven A.M", not "nine A.M to eleven A.M"
    return f"{first} to {second}"


def _time(text: str, match: re.Match[str]) -> str:
    """Read one time or time range with its noon/midnight word and zone."""
    groups = match.groupdict()
    if groups["asep"] == "." and not (groups["aampm"] or groups["zone"]):
        return match.group(0)  # 4.30 is a decimal unless a clock word follows
    spoken = _spoken_times(groups)
    if spoken is None and groups["bh"] is not None:
        # "rose 5 to 10:30": no range of times, but its end may still be a time
        return text[match.start() : match.start("bh")] + expand_times(
            text[match.start("bh") : match.end()]
        )
    if spoken is None:
        return match.group(0)
    if groups["noon"] and spoken != groups["noon"]:
        spoken += " " + groups["noon"]
    if groups["zone"]:
        spoken += " " + _zone_words(groups["zone"])
    return spoken + final_period(text, match)


def _counted(value: int, unit: str) -> str:
    """ "one hour", "thirty seconds"."""
    return f"{integer_words(str(value))} {unit}{'' if value == 1 else 's'}"


def _time_with_seconds(text: str, match: re.Match[str]) -> str:
    """Read "h:mm:ss": a clock time when a.m./p.m., a zone or a UTC offset follows ("ten
    fifteen and thirty seconds P.M", "18:00:00+00"), else a duration ("one hour one minute
    and one second"); zero parts unsaid."""
    hour, minute, second = (int(match.group(name)) for name in ("h", "m", "s"))
    ampm = match.group("ampm")
    if ampm or match.group("offset") is not None or match.group("zone"):
        clock = _clock_words(hour, minute, ampm, twenty_four=not ampm)
        if clock is None:
            return match.group(0)
        seconds = f" and {_counted(second, 'second')}" if second else ""
        suffix = clock.rsplit(" ", 1)[-1] if clock.endswith((".M", "noon", "midnight")) else ""
        spoken = clock.removesuffix(suffix).rstrip() + seconds + (" " + suffix if suffix else "")
    else:
        parts = [_counted(hour, "hour"), _counted(minute, "minute"), _counted(second, "second")]
        parts = [part for part, value in zip(parts, (hour, minute, second), strict=True) if value]
        parts = parts or [_counted(0, "second")]
        spoken = " ".join(parts[:-1]) + (" and " if len(parts) > 1 else "") + parts[-1]
    if match.group("zone"):
        spoken += " " + _zone_words(match.group("zone"))
    return spoken + final_period(text, match)


def expand_times(text: str) -> str:
    """Read clock times in the 12-hour clock with letters and zones.

    "4:00 AM EST" -> "four A.M Eastern", "10:30 p.m. ET" -> "ten thirty P.M Eastern",
    "07.00 AEDT" -> "seven A.M Australian Eastern Daylight Time", "16:05" -> "four oh five
    P.M", "9 a.m.-5 p.m." -> "nine A.M to five P.M", "12 noon" -> "noon"; with seconds,
    "1:01:01" -> "one hour one minute and one second" (a duration, as race times are).
    """
    text = _TIME_WITH_SECONDS.sub(apart(lambda m: _time_with_seconds(text, m)), text)
    return _TIME.sub(apart(lambda m: _time(text, m)), text)


# --- Decades and years ----------------------------------------------------------------------

_DECADE_FULL = re.compile(r"(?<![\w'’.,])(?P<year>[1-9]\d\d0)['’]?s\b")
_DECADE_SHORT = re.compile(r"(?<![\w'’.,$])(?P<apos>['’])?(?P<decade>\d0)['’]?s\b")
_HUNDREDS = re.compile(r"(?<![\w'’.,$])100['’]?s\b")


def _full_decade(match: re.Match[str]) -> str:
    """Read "1990s" -> "nineteen nineties"; "1000s" of things -> "thousands"."""
    year = int(match.group("year"))
    return "thousands" if year == 1000 else pluralize_number(year_words(year))


def _short_decade(match: re.Match[str]) -> str:
    """Read "'90s" / "the 90s" -> "nineties"; "'00s" -> "two thousands"."""
    decade = match.group("decade")
    if decade == "00":
        return "two thousands" if match.group("apos") else match.group(0)
    return pluralize_number(integer_words(decade))


def expand_decades(text: str) -> str:
    """Read decades: "1990s" -> "nineteen nineties", "2000s" -> "two thousands",
    "'90s" -> "nineties", "in their 20s" -> "in their twenties"; "100s" -> "hundreds"."""
    text = _DECADE_FULL.sub(apart(_full_decade), text)
    text = _HUNDREDS.sub("hundreds", text)
    return _DECADE_SHORT.sub(apart(_short_decade), text)


_YEAR = re.compile(r"(?<![\w.,$€£¥/:+])(?P<year>\d{4})(?!\w|[.,:/]\d|%)")
_SHORT_YEAR = re.compile(r"(?<![\w'’])['’](?P<yy>\d{2})(?![\w'’%]|[.,]\d)")


def counted_noun(word: str) -> bool:
    """Whether the word after a number shows it is a count: a plural ("troops", "people")."""
    if not word or not word[0].islower() or word in YEAR_FOLLOWERS:
        return False
    plural = len(word) > 2 and word.endswith("s") and not word.endswith(("ss", "'s", "’s"))
    return plural or word in YEAR_COUNTED_NOUNS


def _looks_like_year(text: str, start: int, end: int) -> bool:
    """Decide whether a four-digit number is a year from the words around it.

    A strong cue before it ("in", "since", "summer") makes it a year; a weak cue ("by",
    "and", "the") does unless a counted noun follows ("to 2500 people"); with no cue, numbers
    from 1900 to 2099 are years unless a counted noun follows ("2026 people", but "the 2024
    win").
    """
    if start > 0 and text[start - 1] == "-" and (start < 2 or not text[start - 2].isalpha()):
        return False  # a negative number or the end of a range, not "mid-2026"
    before = word_before(text, start).rstrip("-").lower()
    counted = counted_noun(word_after(text, end))
    if before in YEAR_STRONG_CUES:
        return True
    if before in YEAR_WEAK_CUES:
        return not counted
    return 1900 <= int(text[start:end]) <= 2099 and not counted


def expand_years(text: str) -> str:
    """Read four-digit numbers that are years as years ("in 2026" -> "in twenty twenty-six",
    "back in 2022 and 2023", "since 1990") and "'26" as "twenty-six"; counts are left for
    :func:`~article_audio.text.normalize.figures.expand_numbers` ("2026 people")."""

    def spoken(match: re.Match[str]) -> str:
        """Year words for a year, the number untouched otherwise."""
        year = int(match.group("year"))
        if 1000 <= year <= 2099 and _looks_like_year(text, match.start(), match.end()):
            return year_words(year)
        return match.group(0)

    text = _YEAR.sub(apart(spoken), text)
    return _SHORT_YEAR.sub(apart(lambda m: year_suffix_words(m.group("yy"))), text)
