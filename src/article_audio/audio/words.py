"""Written words in time: a sentence's spoken word times carried over to its written text.

A sentence of the narration script has its written ``text`` and the ``spoken`` string the engine
said; the engine timed the spoken words (:mod:`article_audio.engines.timing`). The written
words are the text's whitespace-separated tokens, punctuation standing alone ("—") kept with
the word before it (:func:`written_tokens`). :func:`align` gives every spoken word the written
token it came from: a monotonic alignment that prefers a spoken word equal to its token once
both are lowercased and stripped of punctuation ("Paris," and "Paris"), lets a token with
digits or symbols be read as several words ("2,400" as "two thousand four hundred", "$5" as
"five dollars"), and lets an abbreviation or a lexicon respelling stand for one word ("Dr." as
"Doctor", "Kyiv" as an IPA block). A written token is heard from its first spoken word's start
to its last one's end; a token nothing was said for ("&" dropped by normalization) is an empty
time where it stands.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher

from article_audio.engines.timing import (
    TimedAudio,
    WordTime,
    estimate_word_times,
    spoken_words,
)
from article_audio.script import Sentence

__all__ = ["SentenceTimes", "align", "plain", "sentence_times", "written_tokens"]

#: How many spoken words one written token may stand for: a token with digits or symbols
#: (numbers, dates, money, addresses), and any other (an abbreviation, a hyphenated word).
MAX_READ_AS = 16
MAX_WORD_PARTS = 4
_TOKEN = re.compile(r"\S+")
#: A token said as written is a reward: the alignment keeps as many of them as it can.
_SAME = -1.0


@dataclass(frozen=True)
class SentenceTimes:
    """Each written token of a sentence and where it is heard: samples from the start of the
    sentence's trimmed audio. ``estimated``: the spoken times were estimates."""

    words: tuple[tuple[str, int, int], ...]
    estimated: bool


def written_tokens(text: str) -> list[str]:
    """The written words of ``text``: whitespace-separated tokens, a token with no letter or
    digit joined to the one before it (to the next, at the start)."""
    tokens: list[str] = []
    loose = ""
    for token in _TOKEN.findall(text):
        if any(char.isalnum() for char in token):
            tokens.append(loose + token)
            loose = ""
        elif tokens:
            tokens[-1] += " " + token
        else:
            loose += token + " "
    if loose and tokens:
        tokens[-1] += " " + loose.strip()
    elif loose:
        tokens.append(loose.strip())
    return tokens


def plain(text: str) -> str:
    """Lowercase letters and digits only."""
    return "".join(char for char in text.lower() if char.isalnum())


def _cost(written: str, plain: str, run: Sequence[str | None]) -> float:
    """How unlikely it is that the written token (``plain``: its :func:`plain` form) was said
    as the spoken words ``run`` (None: an inline IPA block, which says nothing of its letters)."""
    if not run:
        return 0.3 if not plain else 3.0
    if any(word is None for word in run):
        return 0.6 if len(run) == 1 else 4.0 + len(run)
    said = "".join(word or "" for word in run)
    if said == plain:
        return _SAME
    reads_as_words = any(not char.isalpha() for char in plain) or any(
        not (char.isalnum() or char in "'’.,;:!?\"“”()-") for char in written
    )
    if reads_as_words:
        return 1.0 + 0.1 * len(run)
    if len(run) == 1:
        return 0.5 + (1.0 - SequenceMatcher(None, plain, said).ratio())
    return 2.0 + len(run) - 1


def align(written: Sequence[str], spoken: Sequence[str]) -> list[int]:
    """For every spoken word (``[[ ... ]]`` for an IPA block), the index of the written token
    it was said for: the cheapest monotonic alignment (see the module's docstring)."""
    plains = [plain(token) for token in written]
    said: list[str | None] = [None if w.startswith("[[") else plain(w) for w in spoken]
    m, n = len(written), len(spoken)
    if not n:
        return []
    if not m:
        return [0] * n
    inf = float("inf")
    best = [[inf] * (n + 1) for _ in range(m + 1)]
    back = [[0] * (n + 1) for _ in range(m + 1)]
    best[0][0] = 0.0
    for i in range(m):
        limit = MAX_READ_AS if any(not c.isalpha() for c in plains[i]) else MAX_WORD_PARTS
        for j in range(n + 1):
            if best[i][j] == inf:
                continue
            for k in range(min(limit, n - j) + 1):
                cost = best[i][j] + _cost(written[i], plains[i], said[j : j + k])
                if cost < best[i + 1][j + k]:
                    best[i + 1][j + k], back[i + 1][j + k] = cost, k
    if best[m][n] == inf:  # more spoken words than the tokens can take: share them out
        return [min(m - 1, index * m // n) for index in range(n)]
    owners: list[int] = []
    j = n
    for i in range(m, 0, -1):
        k = back[i][j]
        owners[:0] = [i - 1] * k
        j -= k
    return owners


def sentence_times(sentence: Sentence, timed: TimedAudio, first: int, stop: int) -> SentenceTimes:
    """Where each written token of ``sentence`` is heard in its trimmed audio: ``timed`` is
    the untrimmed audio and its spoken word times (house rate), ``first`` and ``stop`` the
    samples trimming kept."""
    tokens = written_tokens(sentence.text)
    words = _spoken_times(sentence.spoken, timed)
    owners = align(tokens, [sentence.spoken[w.start_char : w.end_char] for w in words])
    spans: list[tuple[int, int] | None] = [None] * len(tokens)
    length = stop - first
    for owner, word in zip(owners, words, strict=True):
        start = min(max(word.start - first, 0), length)
        end = min(max(word.end - first, start), length)
        found = spans[owner]
        spans[owner] = (start if found is None else found[0], end)
    placed: list[tuple[str, int, int]] = []
    for token, span in zip(tokens, spans, strict=True):
        if span is None:
            at = placed[-1][2] if placed else next((s[0] for s in spans if s), 0)
            span = (at, at)
        placed.append((token, *span))
    return SentenceTimes(tuple(placed), timed.estimated)


def _spoken_times(spoken: str, timed: TimedAudio) -> tuple[WordTime, ...]:
    """``timed``'s word times, or estimates when it has none (a cache entry made without)."""
    if timed.words or not spoken_words(spoken):
        return timed.words
    return estimate_word_times(spoken, timed.audio)
