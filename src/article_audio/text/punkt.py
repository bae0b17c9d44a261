"""Punkt's sentence boundaries (Kiss and Strunk, 2006), applied from fixed parameters.

Our Punkt model is not trained: its abbreviation types and frequent sentence starters are the
shipped lists (:mod:`article_audio.text.sentence_words`), and it has no collocations and no
orthographic statistics. This module applies such a model and gives the boundaries that nltk's
``PunktSentenceTokenizer`` (3.10) gives with the same parameters (tests/test_punkt.py compares
the two on the corpus, the test suites' texts and generated text), without importing nltk,
which imports most of itself and scipy (about 100 MB and a second).

How a boundary is found, for every ``.``, ``?`` or ``!`` followed by punctuation or by
whitespace and a token:

1. The *context* is the word before the mark (back to the last whitespace), the mark and what
   follows it (one punctuation character, or the whitespace and the next token).
2. The context is cut into Punkt's word tokens (punctuation other than periods split off), and
   each token annotated on its own: a lone ``.`` ``?`` ``!`` is a break; two or more periods
   an ellipsis; any other token ending in a period an abbreviation if its word (or the part
   after its last hyphen) is a listed abbreviation, else a break.
3. Each token ending in a period is then revised given the token after it: an abbreviation or
   ellipsis before a capitalized listed sentence starter becomes a break; an initial ("J.")
   or a number ("12.") is no break before a lower-case word or punctuation, and an initial
   none before a capitalized word.
4. The mark is a boundary when some token of the context that is a break has a token after it.

Sentences run from one boundary to the next token; closing quotes and brackets that open the
next sentence (before whitespace) move back onto the one they close.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import pairwise

__all__ = ["Punkt"]

#: What ends a sentence for Punkt.
_ENDS = (".", "?", "!")
#: Characters that never belong to a word: closing and opening brackets and quotes, some
#: symbols, and the sentence marks other than the period.
_NOT_WORD = r"""[)";}\]*:@'({\[‘’“”«»?!]"""
#: Punctuation of more than one character: dashes, runs of periods, spaced dots (". . .").
_MULTI = r"(?:-{2,}|\.{2,}|(?:\.\s){2,}\.)"
#: Characters a word token may start with.
_WORD_START = r"""[^("`{\[:;&#*@)}\]\-,]"""
#: One of Punkt's word tokens: multi-character punctuation, a word (up to whitespace, a
#: character that is not part of a word, multi-character punctuation, or a comma that ends
#: the word), or any other single character.
_WORD = re.compile(
    rf"{_MULTI}"
    rf"|(?={_WORD_START})\S+?(?=\s|$|{_NOT_WORD}|{_MULTI}|,(?=$|\s|{_NOT_WORD}|{_MULTI}))"
    r"|\S"
)
#: A mark that may end a sentence, with what follows it: punctuation, or space and a token.
_MARK = re.compile(rf"[.?!](?=(?P<after>{_NOT_WORD}|\s+(?P<next>\S+)))")
#: Closing quotes and brackets at the start of a sentence that belong to the one before.
_CLOSING = re.compile(r"""["')\]}‘’“”«»]+?(?:\s+|(?=--)|$)""", re.MULTILINE)
_NUMBER = re.compile(r"-?[.,]?\d[\d,.-]*\.?")
_INITIAL = re.compile(r"[^\W\d]\.")
#: What Punkt reads as a number's type.
_NUMBER_TYPE = "##number##"
#: Tokens that never start a sentence.
_PUNCTUATION = frozenset(";:,.!?")
#: The whitespace Punkt looks back for to find the word before a mark (ASCII only).
_ASCII_SPACE = " \t\n\r\x0b\x0c"


@dataclass
class _Token:
    """A word token of a context and its annotations."""

    text: str
    kind: str  # the lower-cased token, or _NUMBER_TYPE for a number
    brk: bool = False
    abbr: bool = False
    ellipsis: bool = False

    @property
    def kind_without_period(self) -> str:
        return self.kind[:-1] if len(self.kind) > 1 and self.kind.endswith(".") else self.kind


@dataclass(frozen=True)
class Punkt:
    """A Punkt model: its abbreviation types and its frequent sentence starters (lower case,
    abbreviations without their final period)."""

    abbreviations: frozenset[str]
    starters: frozenset[str]

    def spans(self, text: str) -> list[tuple[int, int]]:
        """The (start, end) offsets of the sentences of ``text``."""
        raw = list(self._raw_spans(text))
        spans: list[tuple[int, int]] = []
        shift = 0
        for index, (start, end) in enumerate(raw):
            start += shift
            shift = 0
            if index + 1 < len(raw):
                following = raw[index + 1][0]
                moved = _CLOSING.match(text[following : raw[index + 1][1]])
                if moved is not None:
                    end = following + len(moved.group().rstrip())
                    shift = moved.end()
            if start < end:
                spans.append((start, end))
        return spans

    def _raw_spans(self, text: str) -> Iterator[tuple[int, int]]:
        """Sentences before closing quotes are moved back."""
        start = 0
        for mark, context in _contexts(text):
            if self._has_break(context):
                yield start, mark.end()
                start = mark.start("next") if mark.group("next") else mark.end()
        yield start, len(text.rstrip())

    def _has_break(self, context: str) -> bool:
        """Whether a token of ``context`` that ends a sentence has a token after it."""
        tokens = [
            self._first_pass(word) for line in context.split("\n") for word in _WORD.findall(line)
        ]
        for token, following in pairwise(tokens):
            self._second_pass(token, following)
            if token.brk:
                return True
        return False

    def _first_pass(self, word: str) -> _Token:
        """A token annotated on its own: break, ellipsis or abbreviation."""
        kind = _NUMBER_TYPE if _NUMBER.fullmatch(word.lower()) else word.lower()
        token = _Token(word, kind)
        if word in _ENDS:
            token.brk = True
        elif len(word) >= 2 and not word.strip("."):
            token.ellipsis = True
        elif word.endswith(".") and not word.endswith(".."):
            stem = word[:-1].lower()
            if stem in self.abbreviations or stem.split("-")[-1] in self.abbreviations:
                token.abbr = True
            else:
                token.brk = True
        return token

    def _second_pass(self, token: _Token, following: _Token) -> None:
        """Revise a token ending in a period given the token after it (annotated on its own)."""
        if not token.text.endswith("."):
            return
        initial = _INITIAL.fullmatch(token.text) is not None
        after = following.kind_without_period if following.brk else following.kind
        capital = following.text[0].isupper()
        if (token.abbr or token.ellipsis) and not initial and capital and after in self.starters:
            token.brk = True
            return
        if not initial and token.kind_without_period != _NUMBER_TYPE:
            return
        # an initial or a number: no sentence before lower case or punctuation (Punkt's
        # orthographic heuristic, with no statistics), nor an initial before a capital
        if following.text in _PUNCTUATION or following.text[0].islower() or (initial and capital):
            token.brk, token.abbr = False, True


def _contexts(text: str) -> Iterator[tuple[re.Match[str], str]]:
    """Every mark that may end a sentence, with its context: the word before it, the mark, and
    what follows. Of marks in one word ("Hey!!!", "?!") only the last is kept."""
    held: tuple[re.Match[str], int] | None = None
    for mark in _MARK.finditer(text):
        if held is None:
            word_start = _word_start(text, 0, mark.start(), 0)
        else:
            word_start = _word_start(text, held[0].start(), mark.start(), held[1])
            if held[0].start() <= word_start:
                yield held[0], _context(text, held[1], held[0])
        held = (mark, word_start)
    if held is not None:
        yield held[0], _context(text, held[1], held[0])


def _word_start(text: str, low: int, high: int, fallback: int) -> int:
    """Where the word before ``high`` starts: after the last ASCII whitespace in
    ``text[low:high]`` that is not its first character, else ``fallback``."""
    for index in range(high - 1, low, -1):
        if text[index] in _ASCII_SPACE:
            return index + 1
    return fallback


def _context(text: str, word_start: int, mark: re.Match[str]) -> str:
    return text[word_start : mark.end()] + mark.group("after")
