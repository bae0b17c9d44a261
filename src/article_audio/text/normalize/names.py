"""Passes on names and written shorthand: ampersands, abbreviations, titles,
places and street types, number signs, and Roman numerals after names."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Final

from article_audio.text.normalize.addresses import clause_follows, ends_sentence
from article_audio.text.normalize.context import (
    apart,
    at_end,
    final_period,
    is_capitalized,
    word_after,
    word_before,
)
from article_audio.text.normalize.data import (
    ABBREVIATIONS,
    AFTER_NAMES,
    HONORIFICS,
    HONORIFICS_WITHOUT_PERIOD,
    PLACE_HEADS,
    PLACE_PREFIXES,
    REGNAL_NAMES,
    ROMAN_CARDINAL_CUES,
    STREET_TYPES,
    alternation,
)
from article_audio.text.normalize.number_words import integer_words, ordinal, spell_letters

# --- Ampersands, abbreviations, titles and places ----------------------------

_AMPERSAND = re.compile(r"&(?:amp;)?")
_LETTERS_AMPERSAND = re.compile(r"\b(?P<a>[A-Z]{1,3})&(?:amp;)?(?P<b>[A-Z]{1,3})\b")


def expand_ampersands(text: str) -> str:
    """Read "&" as "and": "AT&T" -> "A.T and T", "R&D" -> "R and D", "Johnson & Johnson"."""
    text = _LETTERS_AMPERSAND.sub(
        lambda m: f"{spell_letters(m.group('a'))} and {spell_letters(m.group('b'))}", text
    )
    return _AMPERSAND.sub(" and ", text)


_ABBREVIATION = re.compile(rf"(?<![\w.])(?:{alternation(ABBREVIATIONS)})(?!\w)")


def expand_abbreviations(text: str) -> str:
    """Expand common written abbreviations ("e.g." -> "for example", "vs." -> "versus")."""
    return _ABBREVIATION.sub(lambda m: ABBREVIATIONS[m.group(0)] + final_period(text, m), text)


_PLACE_PREFIX = re.compile(
    rf"\b(?P<abbr>{alternation(PLACE_PREFIXES)})(?P<dot>\.)?(?P<gap>\s+|-)(?=[A-Z])"
)
_STREET_TYPE = re.compile(rf"(?<=\S )(?P<abbr>{alternation(STREET_TYPES)})\.?(?![\w-])")
_ORDINAL_WORD = re.compile(r"\d+(?:st|nd|rd|th)|\d+", re.IGNORECASE)


def _names_a_street(text: str, start: int) -> bool:
    """Whether the word before ``start`` may name a street: "Elm", "Sussex", "5th", "24"."""
    before = word_before(text, start)
    return is_capitalized(before) or _ORDINAL_WORD.fullmatch(before) is not None


def _ends_sentence(text: str, start: int, end: int) -> bool:
    """Whether "St."/"Dr." between ``start`` and ``end`` ends a sentence after a street name:
    a sentence starts after it ("Elm St. It was"), or a clause ("Main St. Police said") when
    the street name is no place's first word ("Port St. Lucie grew") and not the first word
    of the sentence ("Visiting St. Louis was fun")."""
    if ends_sentence(text, end):
        return True
    before = word_before(text, start)
    first = text[:start].split()[:1] == [before]
    return not first and before not in PLACE_HEADS and clause_follows(text, end)


def _street_type(text: str, match: re.Match[str]) -> str:
    """Read a street type after a street name ("Sussex Dr." -> "Sussex Drive")."""
    abbr = match.group("abbr")
    after = word_after(text, match.end())
    if not _names_a_street(text, match.start()):
        return match.group(0)
    if abbr in ("St", "Dr") and is_capitalized(after):
        if not (match.group(0).endswith(".") and _ends_sentence(text, match.start(), match.end())):
            return match.group(0)  # "St. Lucie", "Dr. Smith": a saint or a doctor
        return STREET_TYPES[abbr] + "."
    return STREET_TYPES[abbr] + final_period(text, match)


def _place_prefix(text: str, match: re.Match[str]) -> str:
    """Read St./Mt./Ft. before a name, unless it is a street type ending a sentence."""
    abbr = match.group("abbr")
    if (
        abbr in STREET_TYPES
        and match.group("dot")
        and _names_a_street(text, match.start())
        and _ends_sentence(text, match.start(), match.end("dot"))
    ):
        return match.group(0)  # "Elm St. It was": Street, read by the street-type pass
    return PLACE_PREFIXES[abbr] + (" " if match.group("gap") != "-" else "-")


def expand_place_abbreviations(text: str) -> str:
    """Read St./Mt./Ft. before a name and street types after one.

    "St. Louis" -> "Saint Louis", "St-Jean" -> "Saint-Jean", "Main St." -> "Main Street",
    "24 Sussex Dr." -> "24 Sussex Drive", "Mt. Everest" -> "Mount Everest".
    """
    text = _PLACE_PREFIX.sub(lambda m: _place_prefix(text, m), text)
    return _STREET_TYPE.sub(lambda m: _street_type(text, m), text)


_HONORIFIC = re.compile(rf"\b(?P<abbr>{alternation(HONORIFICS)})\.(?=(?:\s+|-)[A-Z])")
_HONORIFIC_BARE = re.compile(
    rf"\b(?P<abbr>{alternation(HONORIFICS_WITHOUT_PERIOD)})(?=\s+[A-Z][a-z])"
)
_AFTER_NAME = re.compile(rf"(?<=\w)(?P<sep>,?\s+)(?P<abbr>{alternation(AFTER_NAMES)})\.?(?!\w)")


def _after_name(text: str, match: re.Match[str]) -> str:
    """Read "Jr."/"Inc." after a capitalized name; anything else is left alone."""
    if not is_capitalized(word_before(text, match.start())):
        return match.group(0)
    return match.group("sep") + AFTER_NAMES[match.group("abbr")] + final_period(text, match)


def expand_honorifics(text: str) -> str:
    """Read titles before names and suffixes after them.

    "Dr. Smith" -> "Doctor Smith", "Lt.-Gen. Smith" -> "Lieutenant-General Smith",
    "Mr Smith" -> "Mister Smith", "Ms. Ng" -> "Miz Ng", "King Jr." -> "King Junior".
    """
    text = _HONORIFIC.sub(lambda m: HONORIFICS[m.group("abbr")], text)
    text = _HONORIFIC_BARE.sub(lambda m: HONORIFICS[m.group("abbr")], text)
    return _AFTER_NAME.sub(lambda m: _after_name(text, m), text)


_NUMBER_SIGN = re.compile(r"(?<!\w)(?:(?P<abbr>Nos?)\.\s?|#\s?)(?=\d)")


def expand_number_sign(text: str) -> str:
    """Read "No. 1" and "#1" as "number one" ("Nos." as "numbers")."""

    def spoken(match: re.Match[str]) -> str:
        """The word for one sign, capitalized at the start of the sentence."""
        word = "numbers" if match.group("abbr") == "Nos" else "number"
        return (word.capitalize() if match.start() == 0 else word) + " "

    return _NUMBER_SIGN.sub(apart(spoken), text)


# ---------------------------------------------------------------------------------------------
# Passes: Roman numerals
# ---------------------------------------------------------------------------------------------

# --- Roman numerals ------------------------------------------------------------------------

_ROMAN_CANDIDATE = re.compile(
    r"\b(?P<prev>[A-Z]\w*\.?)(?P<gap> )(?P<numeral>[IVXLC]+)(?P<poss>['’]s)?(?!\w|\.\w)"
)
_ROMAN_VALID = re.compile(r"(C{0,3})(XC|XL|L?X{0,3})(IX|IV|V?I{0,3})")
_ROMAN_VALUES: Final[Mapping[str, int]] = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}


def roman_value(numeral: str) -> int | None:
    """The value of a well-formed Roman numeral up to 399, else None."""
    if not numeral or _ROMAN_VALID.fullmatch(numeral) is None:
        return None
    total = 0
    for index, ch in enumerate(numeral):
        value = _ROMAN_VALUES[ch]
        following = numeral[index + 1 : index + 2]
        total += -value if following and _ROMAN_VALUES[following] > value else value
    return total


def _regnal_reading(prev: str, numeral: str, text: str, end: int) -> bool:
    """Whether a numeral after a capitalized word is a regnal number ("Charles III")."""
    if len(numeral) > 1:
        return set(numeral) <= set("IVX")
    if prev not in REGNAL_NAMES:
        return False
    # "Elizabeth I was crowned" would misread the pronoun; a lone I needs a clause end.
    return numeral != "I" or at_end(text, end) or text[end : end + 1] in ",;:.!?'’"


def _roman(text: str, match: re.Match[str]) -> str:
    """Read one Roman numeral candidate, or leave it."""
    prev = match.group("prev").rstrip(".")
    numeral = match.group("numeral")
    value = roman_value(numeral)
    lead = match.group("prev") + match.group("gap")
    poss = match.group("poss") or ""
    if value is None:
        return match.group(0)
    if prev.title() in ROMAN_CARDINAL_CUES and (len(numeral) > 1 or numeral in "IVX"):
        return lead + integer_words(str(value)).title() + poss
    if _regnal_reading(prev, numeral, text, match.end("numeral")):
        return lead + "the " + ordinal(value).title() + poss
    return match.group(0)


def expand_roman_numerals(text: str) -> str:
    """Read Roman numerals after names and numbered things.

    "Charles III" -> "Charles the Third", "World War II" -> "World War Two",
    "Super Bowl LVIII" -> "Super Bowl Fifty-Eight"; "IV" on its own stays for the acronyms.
    """
    return _ROMAN_CANDIDATE.sub(lambda m: _roman(text, m), text)
