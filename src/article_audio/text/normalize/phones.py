"""Passes on numbers that are read digit by digit or in pairs, not as quantities: phone
numbers (with extensions and vanity words), IP addresses, social security numbers, the last
digits of a card or account, emergency numbers, and code names such as "401(k)"."""

from __future__ import annotations

import re
from collections.abc import Iterable

from article_audio.text.normalize.context import apart, word_after
from article_audio.text.normalize.data import PHONE_CUES, SPELLED_NUMBERS, alternation
from article_audio.text.normalize.dates import counted_noun
from article_audio.text.normalize.number_words import (
    DIGIT_WORDS,
    paired_number_words,
    spell_digits,
)

# --- Phone numbers -------------------------------------------------------------------------

_EXTENSION = (
    r"(?:-(?P<ext>\d{1,4})(?![\w-]|\.\d)"
    r"|,?\s(?P<extword>ext\.?|x|extension)\s?(?P<ext2>\d{1,5})\b)?"
)
_PHONE_NANP = re.compile(
    r"(?<![\w+.-])(?P<prefix>\+?1(?:[-.\s]|(?=\()))?"
    r"(?:\((?P<area>\d{3})\)[-\s.]?|(?P<area2>\d{3})[-.])"
    r"(?P<exchange>\d{3})[-.](?P<line>\d{4})(?![\w]|\.\d)" + _EXTENSION
)
_PHONE_VANITY = re.compile(
    r"(?<![\w+.-])(?P<prefix>\+?1-)?(?P<area>8\d\d)-"
    r"(?P<rest>(?=[A-Z0-9-]*[A-Z])[A-Z0-9]+(?:-[A-Z0-9]+)+|[A-Z]{3,}[A-Z0-9]*)(?![\w-])"
)
_PHONE_INTERNATIONAL = re.compile(
    r"(?<![\w+])\+(?P<groups>\d{1,3}(?:[\s.-]\d{1,4}){2,5})(?![\w-]|\.\d)"
)
_PHONE_LOCAL = re.compile(
    rf"\b(?P<cue>{alternation(PHONE_CUES)})(?P<gap>:?\s+)(?P<exchange>\d{{3}})-(?P<line>\d{{4}})"
    r"(?![\w-]|\.\d)",
    re.IGNORECASE,
)
_DIGIT_GROUPS = re.compile(r"\d+")


def _phone_groups(groups: Iterable[str]) -> str:
    """Digit groups read digit by digit, with a pause between groups."""
    return ", ".join(spell_digits(group) for group in groups if group)


def _prefix_words(prefix: str) -> str:
    """The country code before a North American number: "+1 " -> "plus one, "."""
    return ("plus " if prefix.startswith("+") else "") + ("one, " if prefix else "")


def _area_words(area: str, prefix: str) -> str:
    """An area code; the toll-free "1-800" is said "one, eight hundred"."""
    return "eight hundred" if area == "800" and prefix else spell_digits(area)


def _nanp_phone(match: re.Match[str]) -> str:
    """Read a North American number ("1-800-555-0199", "(123)-123-5678 ext. 12")."""
    prefix = match.group("prefix") or ""
    area = match.group("area") or match.group("area2")
    spoken = _prefix_words(prefix) + _area_words(area, prefix) + ", "
    spoken += _phone_groups([match.group("exchange"), match.group("line"), match.group("ext")])
    if match.group("ext2"):
        spoken += ", extension " + spell_digits(match.group("ext2"))
    return spoken


def _vanity_phone(match: re.Match[str]) -> str:
    """Read a number spelled with words: "1-800-GO-U-HAUL" -> "one, eight hundred, GO U HAUL"."""
    prefix = match.group("prefix") or ""
    parts = match.group("rest").split("-")
    rest = " ".join(spell_digits(part) if part.isdecimal() else part for part in parts)
    return f"{_prefix_words(prefix)}{_area_words(match.group('area'), prefix)}, {rest}"


def expand_phone_numbers(text: str) -> str:
    """Read phone numbers digit by digit ("555-0199" after "call" -> "five five five, ...")."""
    text = _PHONE_NANP.sub(apart(_nanp_phone), text)
    text = _PHONE_VANITY.sub(apart(_vanity_phone), text)
    text = _PHONE_INTERNATIONAL.sub(
        apart(lambda m: "plus " + _phone_groups(_DIGIT_GROUPS.findall(m.group("groups")))), text
    )
    return _PHONE_LOCAL.sub(
        apart(
            lambda m: (
                m.group("cue")
                + m.group("gap")
                + _phone_groups([m.group("exchange"), m.group("line")])
            )
        ),
        text,
    )


# --- Other numbers read digit by digit -------------------------------------------------------

_IP_ADDRESS = re.compile(r"(?<![\w.])\d{1,3}(?:\.\d{1,3}){3}(?!\w|\.\d)")
_SOCIAL_SECURITY = re.compile(r"(?<![\w.-])(\d{3})-(\d{2})-(\d{4})(?![\w-]|\.\d)")
_CARD_ENDING = re.compile(
    r"\b(?P<cue>(?:card|account)(?:\s+number)?\s+(?:ending|ends)\s+(?:in|with)\s+)"
    r"(?P<digits>\d{2,6})\b",
    re.IGNORECASE,
)
_SPELLED_NUMBER = re.compile(
    rf"(?<![\w.,/$-])(?:{alternation(SPELLED_NUMBERS)})(?![\w/%]|[.,]\d|-\d)"
)
_CODE_NAME = re.compile(
    r"(?<![\w.])(?P<number>[1-9]\d{2})\((?P<letter>[a-z])\)(?:\((?P<sub>\d{1,2})\))?"
)


def _code_name(match: re.Match[str]) -> str:
    """Read a tax-code name: "401(k)" -> "four oh one K", "501(c)(3)" -> "five oh one C three"."""
    spoken = f"{paired_number_words(match.group('number'))} {match.group('letter').upper()}"
    sub = match.group("sub")
    return spoken + (f" {' '.join(DIGIT_WORDS[int(d)] for d in sub)}" if sub else "")


def expand_digit_codes(text: str) -> str:
    """Read the numbers that are codes rather than quantities.

    "123.123.0.40" -> "one two three dot one two three dot zero dot four zero" (an IP
    address), "111-11-1111" -> "one one one, one one, one one one one", "card ending in 8876"
    -> "card ending in eight eight seven six", "the 911 call" -> "the nine one one call",
    "a 401(k) plan" -> "a four oh one K plan".
    """
    text = _CODE_NAME.sub(apart(_code_name), text)
    text = _IP_ADDRESS.sub(
        apart(lambda m: " dot ".join(spell_digits(part) for part in m.group(0).split("."))),
        text,
    )
    text = _SOCIAL_SECURITY.sub(apart(lambda m: _phone_groups(m.groups())), text)
    text = _CARD_ENDING.sub(apart(lambda m: m.group("cue") + spell_digits(m.group("digits"))), text)
    return _SPELLED_NUMBER.sub(apart(lambda m: _spelled_number(text, m)), text)


def _spelled_number(text: str, match: re.Match[str]) -> str:
    """Read "911" digit by digit, unless a counted noun shows it is a count ("911 people")."""
    if counted_noun(word_after(text, match.end())):
        return match.group(0)
    return spell_digits(match.group(0))
