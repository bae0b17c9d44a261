"""The acronyms pass: all-caps and dotted letters read as letters or as words, and initials."""

from __future__ import annotations

import re
from typing import Final

from article_audio.text.normalize.context import at_end, word_after, word_before
from article_audio.text.normalize.data import (
    CODAS,
    COMMON_CAPS_WORDS,
    LETTER_ACRONYMS,
    ONSETS,
    SPOKEN_ACRONYMS,
    WORD_ACRONYMS,
    alternation,
)
from article_audio.text.normalize.number_words import spell_letters

_SPOKEN_TOKEN = re.compile(rf"(?<![\w.&])(?:{alternation(SPOKEN_ACRONYMS)})(?![\w&])")
_DOTTED_LETTERS = re.compile(
    r"(?<![\w.])(?P<letters>(?:[A-Za-z]\.)+[A-Za-z])(?P<dot>\.)?(?P<suffix>['’]s|(?<=\.)s)?(?!\w)"
)
_INITIAL = re.compile(r"(?<![\w.])(?P<letter>[B-Z])\.(?=\s+[A-Z])")
_CAPS_TOKEN = re.compile(r"(?<![\w.&'’])(?P<token>[A-Z]{2,})(?P<suffix>s|['’]s)?(?![\w&])")
_VOWELS: Final = frozenset("AEIOU")
_LETTER_RUNS = re.compile(r"[AEIOU]+|[^AEIOU]+")


def pronounceable(word: str, *, min_length: int = 4) -> bool:
    """Guess whether an all-caps token can be read as a word (NATO) or needs letters (NDP).

    It needs a vowel, a speakable start ("STR" yes, "NS" no), no run of three vowels, no run
    of four consonants inside, and no three consonants at the end but a known coda ("TCH").
    """
    letters = word.upper()
    if len(letters) < min_length or ("Q" in letters and "QU" not in letters):
        return False
    letters = letters[0] + letters[1:].replace("Y", "I")  # a Y after the start is a vowel
    runs = _LETTER_RUNS.findall(letters)
    if not any(run[0] in _VOWELS for run in runs):
        return False
    if runs[0][0] not in _VOWELS and len(runs[0]) > 1 and runs[0] not in ONSETS:
        return False
    if runs[-1][0] not in _VOWELS and len(runs[-1]) > 2 and runs[-1] not in CODAS:
        return False
    return all(len(run) < (3 if run[0] in _VOWELS else 4) for run in runs)


def _shouted_word(token: str) -> bool:
    """True for an all-caps word that reads as a word (a shouted headline's "ABOUT")."""
    if len(token) < 2 or not token.isalpha() or not token.isupper() or token in LETTER_ACRONYMS:
        return False
    return token in WORD_ACRONYMS or token in COMMON_CAPS_WORDS or pronounceable(token)


def _read_as_letters(token: str, shouting: bool) -> bool:
    """Whether an all-caps token is spelled out; see ``data/acronyms.toml``."""
    if shouting and token in COMMON_CAPS_WORDS:
        return False
    if token in LETTER_ACRONYMS:
        return True
    if token in WORD_ACRONYMS or token in COMMON_CAPS_WORDS:
        return False
    return not pronounceable(token, min_length=3 if shouting else 4)


def _caps_token(text: str, match: re.Match[str]) -> str:
    """Spell an all-caps token or leave it as a word, keeping plural and possessive."""
    token, suffix = match.group("token"), match.group("suffix") or ""
    shouting = _shouted_word(word_before(text, match.start())) or _shouted_word(
        word_after(text, match.end())
    )
    if not _read_as_letters(token, shouting):
        return match.group(0)
    return spell_letters(token) + ("." + suffix if suffix == "s" else suffix)


def _dotted_letters(text: str, match: re.Match[str]) -> str:
    """Rewrite "U.S." as "U.S"; the final dot stays only where it ends the sentence."""
    suffix = match.group("suffix") or ""
    letters = match.group("letters")
    if letters.endswith(".s") and letters[:-2].isupper() and not suffix:
        letters, suffix = letters[:-2], "s"  # our own plural: "M.P.s"
    spoken = spell_letters(letters)
    if suffix == "s":
        return spoken + ".s"
    if match.group("dot") and not suffix and at_end(text, match.end()):
        return spoken + "."
    return spoken + suffix


def expand_acronyms(text: str) -> str:
    """Read acronyms as letters or as words.

    "CBC" -> "C.B.C", "U.S." -> "U.S", "MPs" -> "M.P.s", "NATO" and "COVID" stay words,
    "George W. Bush" -> "George W Bush"; a shouted headline ("ABOUT THE AUTHOR") stays words.
    """
    text = _SPOKEN_TOKEN.sub(lambda m: SPOKEN_ACRONYMS[m.group(0)], text)
    text = _DOTTED_LETTERS.sub(lambda m: _dotted_letters(text, m), text)
    text = _INITIAL.sub(r"\g<letter>", text)
    return _CAPS_TOKEN.sub(lambda m: _caps_token(text, m), text)
