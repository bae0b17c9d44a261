"""Where a long sentence may be cut: the one rule for every text that must fit a limit.

Narration cuts written sentences longer than
:data:`~article_audio.config.MAX_SENTENCE_CHARS` characters with it
(:mod:`article_audio.text.narration`); the Kokoro engine cuts a sentence's phoneme string
longer than its model's window with it (:mod:`article_audio.engines.kokoro`), whose
punctuation and spaces are the sentence's own. It imports nothing of ours but the config.
"""

from __future__ import annotations

import re
import unicodedata

from article_audio.config import MAX_SENTENCE_CHARS

__all__ = ["split_long_sentence"]

#: Clause boundaries, strongest first: a long sentence is cut at the last one that fits.
#: Text written without spaces (Chinese, Japanese) is cut after its own punctuation.
_CLAUSE_BREAKS = (
    re.compile(r"(?<=[;:])\s+"),
    re.compile(r"\s+(?=[—–]\s)|(?<=\s[—–])\s+"),
    re.compile(r"(?<=,)\s+"),
    re.compile(r"(?<=[。．，、；：！？）」』])"),
)
#: Where a phrase may end when no clause break fits: before a conjunction or relative word.
_PHRASE_BREAKS = re.compile(
    r"\s+(?=(?:and|but|or|nor|so|yet|because|although|though|while|whereas|which|who|whom"
    r"|whose|where|when|after|before|until|unless|since|if)\s)"
)
#: The last resort: any space.
_WORD_BREAK = re.compile(r"\s+")


def split_long_sentence(sentence: str, max_chars: int = MAX_SENTENCE_CHARS) -> list[str]:
    """``sentence`` cut into pieces of at most ``max_chars``; a sentence that fits is one
    piece, whatever its clauses.

    A longer one is cut at the strongest clause boundary that fits (``; :``, then dashes, then
    commas, then CJK punctuation), preferring one that leaves the head at least a quarter of
    ``max_chars``; while any clause boundary fits, no phrase is cut. Only without one is it
    cut before a conjunction or relative word ("and", "which"), then between any two words.
    A "word" longer than ``max_chars`` (a pasted blob) is cut every ``max_chars`` characters,
    so that no engine call gets more than ``max_chars`` characters of text."""
    pieces: list[str] = []
    while len(sentence) > max_chars:
        cut = _cut(sentence, max_chars)
        head, sentence = sentence[:cut].rstrip(), sentence[cut:].lstrip()
        pieces.append(head)
    return [*pieces, sentence] if sentence else pieces


def _cut(sentence: str, max_chars: int) -> int:
    """Where to cut a sentence longer than ``max_chars`` (see :func:`split_long_sentence`)."""
    for shortest in (max_chars // 4, 1):
        for pattern in _CLAUSE_BREAKS:
            cut = _last_break(pattern, sentence, max_chars, shortest)
            if cut is not None:
                return cut
    for pattern in (_PHRASE_BREAKS, _WORD_BREAK):
        cut = _last_break(pattern, sentence, max_chars, max_chars // 4)
        if cut is not None:
            return cut
    return _hard_cut(sentence, max_chars)


def _hard_cut(text: str, max_chars: int) -> int:
    """Where to cut ``text`` that has no break: at ``max_chars``, moved back so that no
    combining mark is cut from its letter."""
    cut = max_chars
    while cut > 1 and unicodedata.combining(text[cut]):
        cut -= 1
    return cut


def _last_break(pattern: re.Pattern[str], text: str, max_chars: int, shortest: int) -> int | None:
    """End of the last ``pattern`` match whose head fits in ``max_chars`` and is at least
    ``shortest`` characters long."""
    best = None
    for match in pattern.finditer(text):
        if match.start() > max_chars:
            break
        if match.start() >= shortest:
            best = match.end()
    return best
