"""What the passes read around a match: the words beside it, the end of the sentence, and
the spacing that keeps spoken words apart from letters written right beside them."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

_END_OF_TEXT = re.compile(r"[\s\"'”’»)\]]*\Z")
_WORD_PUNCT = ".,;:!?\"'“”‘’()[]«»"


def at_end(text: str, pos: int) -> bool:
    """True when nothing but closing quotes, brackets and spaces follows ``pos``."""
    return _END_OF_TEXT.match(text, pos) is not None


def final_period(text: str, match: re.Match[str]) -> str:
    """The sentence period to keep when an abbreviation's dot also ends the sentence."""
    return "." if match.group(0).endswith(".") and at_end(text, match.end()) else ""


def word_before(text: str, pos: int) -> str:
    """The whitespace-separated word just before ``pos``, stripped of punctuation."""
    words = text[max(0, pos - 60) : pos].split()
    return words[-1].strip(_WORD_PUNCT) if words else ""


def word_after(text: str, pos: int) -> str:
    """The whitespace-separated word just after ``pos``, stripped of punctuation."""
    words = text[pos : pos + 60].split()
    return words[0].strip(_WORD_PUNCT) if words else ""


def is_capitalized(word: str) -> bool:
    """True for a word starting with a capital letter ("Sussex", "NATO")."""
    return bool(word) and word[0].isupper()


def wordish(char: str) -> bool:
    """True for a letter, digit or combining mark: what a word is written with."""
    return char.isalnum() or unicodedata.category(char[:1] or " ").startswith("M")


def apart(replace: Callable[[re.Match[str]], str]) -> Callable[[re.Match[str]], str]:
    """``replace`` with a space added where the words it gives would run into a letter or
    digit written right beside the match ("¼A" -> "one quarter A")."""

    def spaced(match: re.Match[str]) -> str:
        spoken, text = replace(match), match.string
        if spoken == match.group(0):  # left as written
            return spoken
        glued_before = wordish(text[match.start() - 1 : match.start()]) and wordish(spoken[:1])
        glued_after = wordish(text[match.end() : match.end() + 1]) and wordish(spoken[-1:])
        return f"{' ' if glued_before else ''}{spoken}{' ' if glued_after else ''}"

    return spaced
