"""The word tables of normalization, read once at import from ``data/normalize.toml`` and
``data/acronyms.toml`` and checked for shape."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from importlib import resources
from typing import Any, Final

from article_audio.util import tomllib


def _load_data(name: str) -> dict[str, Any]:
    """Read one TOML file shipped in ``article_audio/text/data``."""
    resource = resources.files("article_audio.text").joinpath("data").joinpath(name)
    return tomllib.loads(resource.read_text(encoding="utf-8"))


def _strings(value: Any) -> tuple[str, ...]:
    """Check that a TOML value is an array of strings."""
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise TypeError(f"expected an array of strings, got {value!r}")
    return tuple(value)


def _string_map(value: Any) -> Mapping[str, str]:
    """Check that a TOML value is a table of strings."""
    if not isinstance(value, dict) or not all(isinstance(item, str) for item in value.values()):
        raise TypeError(f"expected a table of strings, got {value!r}")
    return dict(value)


def _tuple_map(value: Any, size: int) -> Mapping[str, tuple[str, ...]]:
    """Check that a TOML value is a table of string arrays of one length."""
    if not isinstance(value, dict):
        raise TypeError(f"expected a table, got {value!r}")
    table = {key: _strings(item) for key, item in value.items()}
    if any(len(item) != size for item in table.values()):
        raise ValueError(f"every entry needs {size} strings")
    return table


def alternation(words: Iterable[str]) -> str:
    """A regex alternation of literal words, longest first so prefixes never win."""
    return "|".join(re.escape(word) for word in sorted(set(words), key=lambda w: (-len(w), w)))


_DATA: Final[Mapping[str, Any]] = _load_data("normalize.toml")
_ACRONYM_DATA: Final[Mapping[str, Any]] = _load_data("acronyms.toml")

MONTHS: Final = _string_map(_DATA["months"])
MONTH_NAMES: Final = tuple(dict.fromkeys(MONTHS.values()))
WEEKDAYS: Final = _string_map(_DATA["weekdays"])
TIME_ZONES: Final = _string_map(_DATA["time_zones"])
CURRENCIES: Final = _tuple_map(_DATA["currencies"], 4)
SCALES: Final = _string_map(_DATA["scales"])
PER_PERIODS: Final = _string_map(_DATA["per_periods"])
UNITS: Final = _tuple_map(_DATA["units"], 2)
HONORIFICS: Final = _string_map(_DATA["honorifics"])
HONORIFICS_WITHOUT_PERIOD: Final = _strings(_DATA["honorific_rules"]["without_period"])
AFTER_NAMES: Final = _string_map(_DATA["after_names"])
PLACE_PREFIXES: Final = _string_map(_DATA["place_prefixes"])
PLACE_HEADS: Final = frozenset(_strings(_DATA["place_heads"]["words"]))
STREET_TYPES: Final = _string_map(_DATA["street_types"])
COMPASS_POINTS: Final = _string_map(_DATA["addresses"]["compass_points"])
STATES: Final = _string_map(_DATA["addresses"]["states"])
STATES_NEEDING_ZIP: Final = frozenset(_strings(_DATA["addresses"]["states_needing_zip"]))
ABBREVIATIONS: Final = _string_map(_DATA["abbreviations"])
ROMAN_CARDINAL_CUES: Final = frozenset(_strings(_DATA["roman"]["cardinal_cues"]))
REGNAL_NAMES: Final = frozenset(_strings(_DATA["roman"]["regnal_names"]))
YEAR_STRONG_CUES: Final = frozenset(_strings(_DATA["years"]["strong_cues"]))
YEAR_WEAK_CUES: Final = frozenset(_strings(_DATA["years"]["weak_cues"]))
YEAR_FOLLOWERS: Final = frozenset(_strings(_DATA["years"]["followers"]))
YEAR_COUNTED_NOUNS: Final = frozenset(_strings(_DATA["years"]["counted_nouns"]))
PAIRED_FRACTIONS: Final = frozenset(_strings(_DATA["fractions"]["paired"]))
HYPHENATED_FRACTIONS: Final = frozenset(_strings(_DATA["fractions"]["hyphenated"]))
PHONE_CUES: Final = _strings(_DATA["phones"]["cues"])
SPELLED_NUMBERS: Final = _strings(_DATA["phones"]["spelled"])
WEB_TLDS: Final = _strings(_DATA["web"]["tlds"])
WEB_WORDS: Final = _string_map(_DATA["web"]["words"])
SYMBOLS: Final = _string_map(_DATA["symbols"])

LETTER_ACRONYMS: Final = frozenset(_strings(_ACRONYM_DATA["letters"]))
WORD_ACRONYMS: Final = frozenset(_strings(_ACRONYM_DATA["words"]))
COMMON_CAPS_WORDS: Final = frozenset(_strings(_ACRONYM_DATA["common_words"]))
SPOKEN_ACRONYMS: Final = _string_map(_ACRONYM_DATA["spoken"])
ONSETS: Final = frozenset(_strings(_ACRONYM_DATA["onsets"]))
CODAS: Final = frozenset(_strings(_ACRONYM_DATA["codas"]))
