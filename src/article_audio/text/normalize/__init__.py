"""Normalization for speech: one written sentence in, the words a newsreader would say out.

``normalize("Posted: Jan 05, 2026 4:00 AM EST")`` returns
``"Posted: January fifth, twenty twenty-six, four A.M Eastern"``: plain text that any speech
engine reads right, with no digits and no symbol an engine would spell out or skip.

The work is a pipeline of small, ordered rewrite passes (:data:`PASSES`), each a plain
``str -> str`` function. Order matters: specific patterns (dates, times, money) run before
general ones (bare numbers), and acronyms run after numbers so that "G7" and "F-35" are split
first. Number words come from num2words; word lists (months, units, currencies, honorifics,
acronyms) live in ``data/normalize.toml`` and ``data/acronyms.toml``.

The package, by concern: :mod:`.data` (the word tables), :mod:`.number_words`,
:mod:`.context` (what passes read around a match), and the passes in :mod:`.characters`,
:mod:`.web`, :mod:`.addresses`, :mod:`.names`, :mod:`.phones`, :mod:`.dates`, :mod:`.measures`,
:mod:`.figures` and :mod:`.acronyms`;
:mod:`.pipeline` runs them in order.

Reading decisions, checked against espeak-ng (the phonemizer of the default Piper voice):

* Letters are written dotted without a final dot ("C.B.C", "U.S", "A.M"). Spaced letters
  ("C B C") make espeak read a lone "A" as the article "uh" ("C I A rejects", "A M");
  a final dot before a capitalized word ("U.S. President") ends the sentence for espeak.
  A dotted group keeps its final period only where it also ends the sentence.
* Times are read in the 12-hour clock with letters: "four A.M Eastern", "ten thirty P.M".
* Ordinary words and names are never respelled, so the lexicon stage still finds them.
"""

from __future__ import annotations

from article_audio.text.normalize.data import (
    ABBREVIATIONS,
    AFTER_NAMES,
    CURRENCIES,
    HONORIFICS,
    LETTER_ACRONYMS,
    MONTHS,
    PLACE_PREFIXES,
    SCALES,
    SPOKEN_ACRONYMS,
    STREET_TYPES,
    TIME_ZONES,
    UNITS,
    WEEKDAYS,
    WORD_ACRONYMS,
)
from article_audio.text.normalize.names import roman_value
from article_audio.text.normalize.number_words import cardinal, ordinal
from article_audio.text.normalize.pipeline import PASSES, normalize

__all__ = [
    "ABBREVIATIONS",
    "AFTER_NAMES",
    "CURRENCIES",
    "HONORIFICS",
    "LETTER_ACRONYMS",
    "MONTHS",
    "PASSES",
    "PLACE_PREFIXES",
    "SCALES",
    "SPOKEN_ACRONYMS",
    "STREET_TYPES",
    "TIME_ZONES",
    "UNITS",
    "WEEKDAYS",
    "WORD_ACRONYMS",
    "cardinal",
    "normalize",
    "ordinal",
    "roman_value",
]
