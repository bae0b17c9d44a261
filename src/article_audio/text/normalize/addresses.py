"""The street-address pass: a house number before a street read in pairs, as people say it
("1428 Elm St." -> "fourteen twenty-eight Elm Street"), a compass letter before the street
name ("E" -> "East"), the street type in any case ("hwy", "Expy"), and a state code after a
city read as the state, with its ZIP code digit by digit ("Santa Clara, CA 95051" ->
"Santa Clara, California nine five zero five one")."""

from __future__ import annotations

import re

from article_audio.text.normalize.context import apart, at_end, word_after
from article_audio.text.normalize.data import (
    COMPASS_POINTS,
    STATES,
    STATES_NEEDING_ZIP,
    STREET_TYPES,
    alternation,
)
from article_audio.text.normalize.number_words import paired_number_words, spell_digits
from article_audio.text.sentence_words import lexicon

_STREET_NAME_WORD = r"(?:[A-Z][\w'’-]*|\d+(?:st|nd|rd|th))"
_ADDRESS = re.compile(
    rf"(?<![\w.,$/:-])(?P<number>[1-9]\d{{0,4}})\s+"
    rf"(?:(?P<compass>{alternation(COMPASS_POINTS)})\.?\s+)?"
    rf"(?P<name>(?:{_STREET_NAME_WORD}\s+){{1,3}})"
    rf"(?P<type>(?i:{alternation(STREET_TYPES)}))(?P<dot>\.)?(?![\w-])"
)
_STATE = re.compile(
    rf"(?<=[^\W\d_]),\s+(?P<state>{alternation(STATES)})"
    r"(?P<zip>,?\s+\d{5}(?:-\d{4})?(?![\w-]|\.\d))?(?=[,.;]|\s|$)"
)


def ends_sentence(text: str, end: int) -> bool:
    """Whether the period just before ``end`` surely ends a sentence: the next word starts
    one ("Elm St. It was") or a number follows ("Elm St. 4 doors")."""
    after = word_after(text, end)
    return after[:1].isdigit() or after.replace("’", "'").lower() in lexicon().starters


def clause_follows(text: str, end: int) -> bool:
    """Whether a capitalized word then a lower-case one follow ``end`` ("St. Police said"):
    after a street name, a new sentence rather than a saint's name."""
    words = text[end : end + 80].split()
    return len(words) > 1 and words[0][:1].isupper() and words[1][:1].islower()


def _street_type(written: str) -> str:
    """The street type for an abbreviation in any case ("hwy" -> "Highway")."""
    by_case = {abbr.casefold(): word for abbr, word in STREET_TYPES.items()}
    return by_case[written.casefold()]


def _address(text: str, match: re.Match[str]) -> str:
    """Read one house number, compass point, street name and street type."""
    spoken = paired_number_words(match.group("number"))
    if match.group("compass"):
        spoken += " " + COMPASS_POINTS[match.group("compass")]
    spoken += " " + match.group("name") + _street_type(match.group("type"))
    if match.group("dot") and (at_end(text, match.end()) or ends_sentence(text, match.end())):
        spoken += "."
    return spoken


def _state(match: re.Match[str]) -> str:
    """Read a state code after a city, and the ZIP code after it."""
    code, zip_code = match.group("state"), match.group("zip")
    if code in STATES_NEEDING_ZIP and not zip_code:
        return match.group(0)  # "Fine, OK" is no state
    spoken = ", " + STATES[code]
    if zip_code:
        gap = ", " if zip_code.startswith(",") else " "
        spoken += gap + ", ".join(spell_digits(part) for part in zip_code.strip(", ").split("-"))
    return spoken


def expand_addresses(text: str) -> str:
    """Read street addresses: "2788 San Tomas Expy, Santa Clara, CA 95051" -> "twenty-seven
    eighty-eight San Tomas Expressway, Santa Clara, California nine five zero five one",
    "1211 E Arques Ave" -> "twelve eleven East Arques Avenue"."""
    text = _ADDRESS.sub(apart(lambda m: _address(text, m)), text)
    return _STATE.sub(_state, text)
