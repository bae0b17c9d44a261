"""Passes on characters: what an engine must never see, look-alike characters made one,
whitespace, phoneme markup, the symbols left over at the end, and the final tidying."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from typing import Final

from article_audio.text.normalize.context import wordish
from article_audio.text.normalize.data import SYMBOLS, alternation
from article_audio.text.normalize.number_words import spell_digits

_WHITESPACE_CONTROLS: Final = frozenset("\t\n\r\v\f\x1c\x1d\x1e\x1f\x85\u2028\u2029")
_INVISIBLE_CATEGORIES: Final = frozenset({"Cc", "Cf", "Co", "Cs", "Cn"})


def _is_variation_selector(ch: str) -> bool:
    """True for emoji and CJK variation selectors."""
    return "\ufe00" <= ch <= "\ufe0f" or "\U000e0100" <= ch <= "\U000e01ef"


def remove_invisible(text: str) -> str:
    """Remove what an engine must never see.

    Control characters, zero-width and bidi-override characters, soft hyphens, variation
    selectors, private-use, surrogate and unassigned code points go; so do combining marks
    with no letter or digit to sit on (they would join the next word to a rewritten one); line
    breaks and tabs become spaces.
    """
    if text.isascii() and text.isprintable():
        return text
    kept: list[str] = []
    for ch in text:
        category = unicodedata.category(ch)
        if ch in _WHITESPACE_CONTROLS:
            kept.append(" ")
        elif category.startswith("M") and not (kept and wordish(kept[-1])):
            continue
        elif category not in _INVISIBLE_CATEGORIES and not _is_variation_selector(ch):
            kept.append(ch)
    return "".join(kept)


_CHARACTER_MAP: Final[Mapping[str, str]] = {
    "\u2212": "-",  # minus sign
    "\u2010": "-",  # hyphen
    "\u2011": "-",  # non-breaking hyphen
    "\u2044": "/",  # fraction slash
    "\u2215": "/",  # division slash
    "\u00b4": "'",  # acute accent, typed for an apostrophe ("don´t")
}


def _unify_character(ch: str, previous: str) -> str:
    """One character of :func:`unify_characters`."""
    mapped = _CHARACTER_MAP.get(ch)
    if mapped is not None:
        return mapped
    if ch.isspace():
        return " "
    if "\uff01" <= ch <= "\uff5e":  # full-width ASCII forms
        return chr(ord(ch) - 0xFEE0)
    if ch.isdecimal():
        return str(unicodedata.decimal(ch))
    digit = unicodedata.digit(ch, -1)
    if digit >= 0:  # superscript, subscript, circled digits: "km²" -> "km2"
        return (" " if previous[-1:].isdigit() else "") + str(digit)
    return ch


def unify_characters(text: str) -> str:
    """Bring look-alike characters to one form.

    Letters and their accents are composed (NFC: "e" + U+0301 becomes "é", one word
    character), every space becomes " ", digits of any script and super/subscript digits
    become ASCII digits, minus and hyphen variants become "-", fraction slashes "/", and
    full-width forms their ASCII twins.
    """
    if text.isascii():
        return text
    text = unicodedata.normalize("NFC", text)
    out: list[str] = []
    previous = ""
    for ch in text:
        previous = ch if ch.isascii() else _unify_character(ch, previous)
        out.append(previous)
    return "".join(out)


_WHITESPACE_RUN = re.compile(r"\s+")


def collapse_whitespace(text: str) -> str:
    """Collapse every run of whitespace to one space and trim the ends."""
    return _WHITESPACE_RUN.sub(" ", text).strip()


_OPEN_RUN = re.compile(r"\[{2,}")
_CLOSE_RUN = re.compile(r"\]{2,}")


def neutralize_phoneme_markup(text: str) -> str:
    """Turn "[[" and "]]" into single brackets: Piper reads ``[[ ... ]]`` as raw phonemes."""
    return _CLOSE_RUN.sub("]", _OPEN_RUN.sub("[", text))


# --- Symbols left over, leftover digits, final tidying -------------------------------------

_WORD_EN_DASH = re.compile(r"(?<=[^\W\d_])–(?=[^\W\d_])")
#: A slash between lower-case words ("upgrade/update") is said; between names, as in a photo
#: credit ("Thomas Coex/AFP"), it is a pause.
_WORD_SLASH = re.compile(r"(?<![\w/])[a-z]+(?:\s?/\s?[a-z]+)+(?![\w/])")
_SLASH = re.compile(r"\s?/\s?")
_SPACED_HYPHEN = re.compile(r"(?:^|\s)[-–]+(?=\s|$)")
_SYMBOL = re.compile(rf"(?:{alternation(SYMBOLS)})")
_DROPPED_CATEGORIES: Final = frozenset({"So", "Sk", "Sm"})


def _drop_other_symbols(text: str) -> str:
    """Remove symbols with no spoken form (emoji, arrows, dingbats); each leaves a space, so
    that the words around it stay apart ("love♥you")."""
    if text.isascii():
        return text
    return "".join(" " if unicodedata.category(ch) in _DROPPED_CATEGORIES else ch for ch in text)


_SILENT_SYMBOLS: Final = "".join(symbol for symbol, spoken in SYMBOLS.items() if not spoken)


def _symbol(match: re.Match[str]) -> str:
    """A symbol's spoken form, spaced from what is around it ("%®A" -> " percent A"); a symbol
    that is dropped between two words (maybe with other dropped symbols) leaves a space:
    "0*©A" -> "0 A"."""
    spoken, text = SYMBOLS[match.group(0)], match.string
    if spoken:
        return f" {spoken.strip()} "
    before = text[: match.start()].rstrip(_SILENT_SYMBOLS)[-1:]
    after = text[match.end() :].lstrip(_SILENT_SYMBOLS)[:1]
    return " " if wordish(before) and wordish(after) else ""


def expand_symbols(text: str) -> str:
    """Read or drop the symbols left over.

    "&" -> "and", "%" -> "percent", "+" -> "plus", "#" -> "number", "@" -> "at"; "·", "|",
    "•", "—" and a spaced "-" or "–" become a comma pause; "–" between words a hyphen; "/"
    between lower-case words is "slash" ("upgrade/update");
    "®", "™", "©" and emoji are dropped.
    """
    text = _WORD_EN_DASH.sub("-", text)
    text = _WORD_SLASH.sub(lambda m: _SLASH.sub(" slash ", m.group(0)), text)
    text = _SPACED_HYPHEN.sub(", ", text)
    text = text.replace("–", ", ")
    text = _SYMBOL.sub(_symbol, text)
    return _drop_other_symbols(text)


_ANY_DIGITS = re.compile(r"\d+")


def spell_leftover_digits(text: str) -> str:
    """Safety net: read any digit still left one by one, so no digit reaches the engine."""
    return _ANY_DIGITS.sub(lambda m: f" {spell_digits(m.group(0))} ", text)


_SPACE_BEFORE_PUNCTUATION = re.compile(r"\s+(?=[,.;:!?)\]}])")
_SPACE_AFTER_OPENING = re.compile(r"(?<=[(\[{])\s+")
_COMMA_RUN = re.compile(r",(?:\s*,)+")
_COMMA_BEFORE_STOP = re.compile(r",\s*(?=[.;:!?])")
_STOP_BEFORE_COMMA = re.compile(r"(?<=[;:!?]),")


def tidy(text: str) -> str:
    """Collapse spaces, drop stray or doubled commas, and neutralize "[["/"]]" once more."""
    text = collapse_whitespace(text)
    text = _SPACE_BEFORE_PUNCTUATION.sub("", text)
    text = _SPACE_AFTER_OPENING.sub("", text)
    text = _COMMA_RUN.sub(",", text)
    text = _COMMA_BEFORE_STOP.sub("", text)
    text = _STOP_BEFORE_COMMA.sub("", text)
    text = text.strip(" ,;")
    return neutralize_phoneme_markup(text)
