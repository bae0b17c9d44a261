"""Passes on the figures left once dates, times and money are read: ordinals, fractions,
ranges and scores, and every remaining number."""

from __future__ import annotations

import re
import unicodedata
from fractions import Fraction

from article_audio.text.normalize.context import apart
from article_audio.text.normalize.data import (
    HYPHENATED_FRACTIONS,
    PAIRED_FRACTIONS,
    SCALES,
)
from article_audio.text.normalize.number_words import (
    NUM,
    SIGNED_NUM,
    bounded_int,
    cardinal,
    integer_words,
    ordinal,
    ordinal_words,
    year_suffix_words,
    year_words,
)

# --- Ordinals, fractions, ranges, plain numbers --------------------------------------------

_ORDINAL = re.compile(
    r"(?<![\w.,/])(?P<n>\d{1,3}(?:,\d{3})+|\d+)(?P<suffix>st|nd|rd|th)\b", re.IGNORECASE
)


def expand_ordinals(text: str) -> str:
    """Read ordinals: "1st" -> "first", "22nd" -> "twenty-second", "100th" -> "one hundredth"."""
    return _ORDINAL.sub(apart(lambda m: ordinal_words(m.group("n"))), text)


_VULGAR_FRACTION = re.compile(r"(?<![\w.])(?:(?P<whole>\d+)\s?)?(?P<fraction>[½⅓⅔¼¾⅕⅖⅗⅘⅙⅚⅐⅛⅜⅝⅞⅑⅒])")
_SLASH_FRACTION = re.compile(
    r"(?<![\w./])(?:(?P<whole>\d{1,3})\s)?(?P<num>\d+)/(?P<den>\d+)(?i:st|nd|rd|th)?"
    r"(?![\w/]|\.\d)"
)


def fraction_words(numerator: int, denominator: int, *, mixed: bool = False) -> str:
    """Say a fraction: "three quarters", "one half", "two thirds"; "a half" after a whole."""
    plural = numerator != 1
    if denominator == 2:
        name = "halves" if plural else "half"
    elif denominator == 4:
        name = "quarters" if plural else "quarter"
    else:
        name = ordinal(denominator) + ("s" if plural else "")
    count = "a" if mixed and not plural else integer_words(str(numerator))
    return f"{count} {name}"


def _vulgar_fraction(match: re.Match[str]) -> str:
    """Read "½", "2½" ("two and a half")."""
    value = Fraction(unicodedata.numeric(match.group("fraction"))).limit_denominator(16)
    whole = match.group("whole")
    if whole:
        spoken = fraction_words(value.numerator, value.denominator, mixed=True)
        return f"{integer_words(whole)} and {spoken}"
    return fraction_words(value.numerator, value.denominator)


def _slash_pair(numerator: str, denominator: str) -> str:
    """Read "a/b" without a whole part."""
    written = f"{numerator}/{denominator}"
    top, bottom = bounded_int(numerator), bounded_int(denominator)
    if written in PAIRED_FRACTIONS:
        return f"{integer_words(numerator)} {integer_words(denominator)}"
    if written in HYPHENATED_FRACTIONS:
        return f"{integer_words(numerator)}-{integer_words(denominator)}"
    if len(numerator) == 4 and 1000 <= top <= 2099 and len(denominator) in (2, 4):
        end = year_suffix_words(denominator) if len(denominator) == 2 else year_words(bottom)
        return f"{year_words(top)} to {end}"  # the 2022/23 season
    if top > 0 and 1 < bottom <= 16 and bottom != 10:
        return fraction_words(top, bottom)  # "two thirds", "twenty-two thirds"
    return f"{integer_words(numerator)} {'out of' if top <= bottom else 'over'} " + (
        integer_words(denominator)
    )


def slash_fraction_words(whole: str | None, top: str, bottom: str) -> str:
    """Read "1/2", "1 1/2", "24/7", "8/10", "2022/23", "1/4th"; a whole number before a
    fraction makes a mixed number ("3 5/2" -> "three and five halves")."""
    if whole and 0 < bounded_int(top) < bounded_int(bottom) <= 16:
        spoken = fraction_words(int(top), int(bottom), mixed=True)
    else:
        spoken = _slash_pair(top, bottom)
    return f"{integer_words(whole)} and {spoken}" if whole else spoken


def expand_fractions(text: str) -> str:
    """Read fractions: "1/2" and "½" -> "one half", "3/4" -> "three quarters",
    "2½" -> "two and a half", "24/7" -> "twenty-four seven", "8/10" -> "eight out of ten"."""
    text = _VULGAR_FRACTION.sub(apart(_vulgar_fraction), text)
    return _SLASH_FRACTION.sub(
        apart(lambda m: slash_fraction_words(m.group("whole"), m.group("num"), m.group("den"))),
        text,
    )


_RANGE = re.compile(
    rf"(?<![\w.,/:+-])(?P<a>{NUM})(?:[-–]|\s[-–]\s)(?P<b>{NUM})(?!\w|[.,/:]\d|[-–]\d)"
)


def _is_year_number(written: str) -> bool:
    """Four plain digits between 1000 and 2099."""
    return len(written) == 4 and written.isdecimal() and 1000 <= int(written) <= 2099


def _range(match: re.Match[str]) -> str:
    """Read "2022-2023", "2022-23" as years and anything else as "a to b"."""
    low, high = match.group("a"), match.group("b")
    if _is_year_number(low) and _is_year_number(high):
        return f"{year_words(int(low))} to {year_words(int(high))}"
    if _is_year_number(low) and len(high) == 2 and high.isdecimal():
        return f"{year_words(int(low))} to {year_suffix_words(high)}"
    return f"{cardinal(low)} to {cardinal(high)}"


def expand_ranges(text: str) -> str:
    """Read number ranges and scores with "to": "2022-2023" -> "twenty twenty-two to twenty
    twenty-three", "9-5" -> "nine to five". "35-nation" is no range and is left alone."""
    return _RANGE.sub(apart(_range), text)


_SCALED_NUMBER = re.compile(rf"(?<![\w.])(?P<a>{SIGNED_NUM})\s?(?P<scale>bn|mn|tn|trn)\b")
_LETTER_HYPHEN_DIGIT = re.compile(r"(?<=[^\W\d_])-(?=\d)")
_LETTER_DIGIT = re.compile(r"(?<=[^\W\d_])(?=\d)|(?<=\d)(?=[^\W\d_])")
_DOTTED_NUMBER = re.compile(r"(?<![\w.])\d+(?:\.\d+){2,}")
_NUMBER = re.compile(rf"(?P<sign>(?<![\w)\].,%-])[-+])?(?<![\w.,])(?P<body>{NUM}|\.\d+)")


def _number(match: re.Match[str]) -> str:
    """Read one plain number, with its sign."""
    return cardinal((match.group("sign") or "") + match.group("body"))


def expand_numbers(text: str) -> str:
    """Read every remaining number as a count.

    "2,026" -> "two thousand twenty-six", "4.5" -> "four point five", "-3" -> "minus three",
    "4.5bn" -> "four point five billion", "G7" -> "G seven", "F-35" -> "F thirty-five",
    "35-nation" -> "thirty-five-nation", "1.2.3" -> "one point two point three".
    """
    text = _SCALED_NUMBER.sub(
        apart(lambda m: f"{cardinal(m.group('a'))} {SCALES[m.group('scale')]}"), text
    )
    text = _LETTER_HYPHEN_DIGIT.sub(" ", text)
    text = _LETTER_DIGIT.sub(" ", text)
    text = _DOTTED_NUMBER.sub(
        apart(lambda m: " point ".join(integer_words(part) for part in m.group(0).split("."))),
        text,
    )
    return _NUMBER.sub(apart(_number), text)
