"""The pipeline: the rewrite passes in the order they run, and :func:`normalize`."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Final

from article_audio.text.normalize.acronyms import expand_acronyms
from article_audio.text.normalize.addresses import expand_addresses
from article_audio.text.normalize.characters import (
    collapse_whitespace,
    expand_symbols,
    neutralize_phoneme_markup,
    remove_invisible,
    spell_leftover_digits,
    tidy,
    unify_characters,
)
from article_audio.text.normalize.dates import (
    expand_dates,
    expand_decades,
    expand_quarters,
    expand_times,
    expand_years,
)
from article_audio.text.normalize.figures import (
    expand_fractions,
    expand_numbers,
    expand_ordinals,
    expand_ranges,
)
from article_audio.text.normalize.measures import (
    expand_currencies,
    expand_percentages,
    expand_units,
)
from article_audio.text.normalize.names import (
    expand_abbreviations,
    expand_ampersands,
    expand_honorifics,
    expand_number_sign,
    expand_place_abbreviations,
    expand_roman_numerals,
)
from article_audio.text.normalize.phones import expand_digit_codes, expand_phone_numbers
from article_audio.text.normalize.web import expand_web_addresses

_LOG = logging.getLogger(__package__)

Rewrite = Callable[[str], str]


PASSES: Final[tuple[tuple[str, Rewrite], ...]] = (
    ("remove_invisible", remove_invisible),
    ("unify_characters", unify_characters),
    ("collapse_whitespace", collapse_whitespace),
    ("neutralize_phoneme_markup", neutralize_phoneme_markup),
    ("expand_web_addresses", expand_web_addresses),
    ("expand_ampersands", expand_ampersands),
    ("expand_abbreviations", expand_abbreviations),
    ("expand_addresses", expand_addresses),
    ("expand_place_abbreviations", expand_place_abbreviations),
    ("expand_honorifics", expand_honorifics),
    ("expand_number_sign", expand_number_sign),
    ("expand_roman_numerals", expand_roman_numerals),
    ("expand_phone_numbers", expand_phone_numbers),
    ("expand_digit_codes", expand_digit_codes),
    ("expand_dates", expand_dates),
    ("expand_times", expand_times),
    ("expand_quarters", expand_quarters),
    ("expand_currencies", expand_currencies),
    ("expand_percentages", expand_percentages),
    ("expand_units", expand_units),
    ("expand_decades", expand_decades),
    ("expand_ordinals", expand_ordinals),
    ("expand_fractions", expand_fractions),
    ("expand_ranges", expand_ranges),
    ("expand_years", expand_years),
    ("expand_numbers", expand_numbers),
    ("expand_acronyms", expand_acronyms),
    ("expand_symbols", expand_symbols),
    ("spell_leftover_digits", spell_leftover_digits),
    ("tidy", tidy),
)
"""The rewrite passes of :func:`normalize`, in the order they run."""


def normalize(text: str) -> str:
    """Turn one written sentence into the words a careful newsreader would say.

    Deterministic and total: it never raises. Should a pass fail on some odd input, the
    failure is logged and the text goes on unchanged by that pass, and the last two passes
    (which cannot fail) still guarantee no digit and no phoneme markup reach the engine.
    """
    for name, rewrite in PASSES:
        try:
            text = rewrite(text)
        except Exception:
            _LOG.warning("normalize: pass %s failed on %r", name, text, exc_info=True)
    return text
