"""Where a long sentence may be cut: the one rule for every text that must fit a limit.

Narration cuts written sentences longer than
:data:`~article_audio.config.MAX_SENTENCE_CHARS` characters with it
(:mod:`article_audio.text.narration`); the Kokoro engine cuts a sentence's phoneme string
longer than its model's window with it (:mod:`article_audio.engines.kokoro`), whose
punctuation and spaces are the sentence's own. Narration also cuts a slow voice's first
sentence (the title) with it, so that its first words are heard sooner
(:func:`first_utterance`); that cut is made only at a phrase boundary. It imports nothing of
ours but the config.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

from article_audio.config import MAX_SENTENCE_CHARS

__all__ = ["first_utterance", "split_long_sentence"]

#: Clause boundaries, strongest first: a long sentence is cut at the last one that fits.
#: Text written without spaces (Chinese, Japanese) is cut after its own punctuation.
_CLAUSE_BREAKS = (
    re.compile(r"(?<=[;:])\s+"),
    re.compile(r"\s+(?=[—–]\s)|(?<=\s[—–])\s+"),
    re.compile(r"(?<=,)\s+"),
    re.compile(r"(?<=[。．，、；：！？）」』])"),
)
#: Where a phrase may end when no clause break fits: before a conjunction or relative word
#: (in any case: a headline may be written in title case).
_PHRASE_BREAKS = re.compile(
    r"\s+(?=(?:and|but|or|nor|so|yet|because|although|though|while|whereas|which|who|whom"
    r"|whose|where|when|after|before|until|unless|since|if)\s)",
    re.IGNORECASE,
)
#: Words after which "to" or a preposition belongs to them, not to a phrase of its own ("due
#: to", "according to", "up to", "in order to", "able to", "have to", "is in"), and function
#: words a phrase never ends with ("the", "and", "of", "to").
_BOUND_BEFORE = (
    "according|due|next|close|prior|thanks|owing|order|able|unable|going|want|wants|wanted"
    "|have|has|had|used|ought|up|down|out|off|back|away|as|than|from|of|by|to|in|on|at|for"
    "|with|into|the|a|an|and|or|but|nor|not|no|is|are|was|were|be|been|its|his|her|their|our"
    "|my|your|this|that|these|those|how|what|where|whether|who|which|when|why|one|such|well"
    "|many|much|far|soon|long|same|just|so"
)
#: Where a phrase may begin when there is neither a clause break nor a conjunction (a
#: headline's "… meet in Paris | to discuss …"): before "to", "as" or a preposition that opens
#: a phrase, after a word (not a number: "from 5 to 10") that does not take it (see
#: :data:`_BOUND_BEFORE`: "due to", "such as", "as well as"). Not before "of" or "by", which
#: bind to the word before them ("the Bank of England", "step by step").
_OPENING_BREAKS = re.compile(
    "".join(rf"(?<!\b{word})" for word in _BOUND_BEFORE.split("|"))
    + r"(?<=[^\W\d_])\s+(?=(?:to|as|in|on|at|for|with|from|into|onto|over|across|against|amid"
    r"|among|between|during|through|toward|towards|without|within|despite|under|about)\s)",
    re.IGNORECASE,
)
#: The last resort: any space.
_WORD_BREAK = re.compile(r"\s+")


def split_long_sentence(sentence: str, max_chars: int = MAX_SENTENCE_CHARS) -> list[str]:
    """``sentence`` cut into pieces of at most ``max_chars``; a sentence that fits is one
    piece, whatever its clauses.

    A longer one is cut at the strongest clause boundary that fits (``; :``, then dashes, then
    commas, then CJK punctuation), preferring one that leaves the head at least a quarter of
    ``max_chars``; while any clause boundary fits, no phrase is cut. Only without one is it
    cut before a conjunction or relative word ("and", "which"), then before a phrase's opening
    "to" or preposition (:data:`_OPENING_BREAKS`), then between any two words.
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
    for pattern in (_PHRASE_BREAKS, _OPENING_BREAKS, _WORD_BREAK):
        cut = _last_break(pattern, sentence, max_chars, max_chars // 4)
        if cut is not None:
            return cut
    return _hard_cut(sentence, max_chars)


def first_utterance(
    sentence: str, max_chars: int, measure: Callable[[str], int] = len
) -> list[str]:
    """``sentence`` as the first thing a listener hears: whole when it measures at most
    ``max_chars``, else cut once so that its head is short, and the rest follows.

    The head ends at the strongest boundary that leaves it at most ``max_chars`` and at least
    a quarter of that (a clause break, then a conjunction, then a phrase's opening "to", "as"
    or preposition, as :func:`split_long_sentence` ranks them; of one strength, the last that
    fits), and either side keeps two words or more. When none fits, the window widens to half
    the sentence. Never between two words of one phrase: a sentence with no such boundary in
    reach stays whole. ``measure``: how long a piece is (its characters; narration measures
    the spoken string the engine gets)."""
    size = measure(sentence)
    if size <= max_chars:
        return [sentence]
    for window in dict.fromkeys((max_chars, max(max_chars, size // 2))):
        for pattern in (*_CLAUSE_BREAKS, _PHRASE_BREAKS, _OPENING_BREAKS):
            pieces = _last_phrase_break(pattern, sentence, window, max_chars // 4, measure)
            if pieces is not None:
                return pieces
    return [sentence]


def _last_phrase_break(
    pattern: re.Pattern[str],
    sentence: str,
    window: int,
    shortest: int,
    measure: Callable[[str], int],
) -> list[str] | None:
    """``sentence`` cut at the last ``pattern`` match whose head measures from ``shortest``
    to ``window``, with two words or more each side (None: there is no such match)."""
    best = None
    for match in pattern.finditer(sentence):
        head, rest = sentence[: match.start()].rstrip(), sentence[match.end() :].lstrip()
        size = measure(head)
        if size > window:
            break
        if size >= shortest and min(_words(head), _words(rest)) >= 2:
            best = [head, rest]
    return best


def _words(text: str) -> int:
    return len(re.findall(r"[^\W_]+(?:['’][^\W_]+)*", text))


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
