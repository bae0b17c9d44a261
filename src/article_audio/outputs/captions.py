"""Caption-sized cues: each sentence cut into captions of at most two lines of 42 characters.

A sentence cue of 200 characters is too long for a caption display (the Podcast Index asks for
SRT cues of two short lines; broadcasters use 2 × 37-42). :func:`captions` cuts every sentence at
the places a reader pauses and times each caption by its words:

* the cut points are chosen together, for the whole sentence (a shortest path over its words):
  after a full stop, question or exclamation mark is best, then after a comma, semicolon, colon
  or dash, then before a conjunction or preposition, and anywhere else only when nothing better
  fits; very short captions and many captions cost extra;
* a caption's two lines are broken the same way, as evenly as the break allows;
* a caption is shown from its first word's start (the sentence's start, for the first) until
  the next caption starts (the sentence's end, for the last), so a sentence is always captioned;
* a word longer than a line (a pasted link) is cut into line-long pieces, its time shared out.

A cue without word times (a render made before they existed) gets times in proportion to the
characters of its words.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from article_audio.audio.assemble import Cue, Word

__all__ = ["CAPTION_LINES", "CAPTION_LINE_CHARS", "Caption", "caption_lines", "captions"]

CAPTION_LINES = 2
CAPTION_LINE_CHARS = 42
#: What a cut costs after each kind of word (see the module's docstring).
_AFTER_STOP, _AFTER_CLAUSE, _BEFORE_LINK, _ANYWHERE = 0.0, 1.0, 3.0, 8.0
#: A line break inside a caption matters less than a cut between captions (read as one).
_LINE_BREAK_WEIGHT = 0.5
#: Every caption costs this much (fewer, fuller captions), and a short one this much more.
_PER_CAPTION = 2.0
_SHORT_CHARS, _SHORT_COST = 16, 4.0
_CLAUSE_ENDS = (",", ";", ":", "—", "–", ")")
_STOPS = (".", "!", "?", "…")
_TRAILING_QUOTES = "\"'”’»)]"
#: Words a phrase starts with: a cut before them reads naturally.
_LINK_WORDS = (
    "and but or nor so yet because although though while whereas which who whom whose that "
    "when where if unless until as than of in on at to for with from by about after before "
    "into over under between against during without through amid since like"
)
_LINKS = frozenset(_LINK_WORDS.split())


@dataclass(frozen=True)
class Caption:
    """One caption: its lines and when it is shown."""

    lines: tuple[str, ...]
    start_ms: int
    end_ms: int


def _cut_cost(before: str, after: str | None) -> float:
    """What cutting between the words ``before`` and ``after`` (None: the end) costs."""
    if after is None:
        return 0.0
    bare = before.rstrip(_TRAILING_QUOTES)
    if bare.endswith(_STOPS):
        return _AFTER_STOP
    if bare.endswith(_CLAUSE_ENDS) or after in ("—", "–") or after.startswith(("—", "(")):
        return _AFTER_CLAUSE
    if after.lower().strip("\"'“‘(") in _LINKS:
        return _BEFORE_LINK
    return _ANYWHERE


def _width(words: Sequence[str]) -> int:
    return sum(len(word) for word in words) + max(0, len(words) - 1)


def caption_lines(words: Sequence[str]) -> tuple[float, tuple[str, ...]] | None:
    """``words`` as at most :data:`CAPTION_LINES` lines of :data:`CAPTION_LINE_CHARS`
    characters, broken where it reads best, and what that break costs; None if they do not
    fit."""
    if _width(words) <= CAPTION_LINE_CHARS:
        return 0.0, (" ".join(words),)
    best: tuple[float, tuple[str, ...]] | None = None
    for cut in range(1, len(words)):
        top, bottom = words[:cut], words[cut:]
        if max(_width(top), _width(bottom)) > CAPTION_LINE_CHARS:
            continue
        cost = _LINE_BREAK_WEIGHT * _cut_cost(top[-1], bottom[0])
        cost += abs(_width(top) - _width(bottom)) / 20
        if best is None or cost < best[0]:
            best = (cost, (" ".join(top), " ".join(bottom)))
    return best


def _pieces(word: Word) -> list[Word]:
    """``word`` cut into pieces of at most a line, its time shared out by characters."""
    text = " ".join(word.text.split())
    if len(text) <= CAPTION_LINE_CHARS:
        return [Word(text, word.start_ms, word.end_ms)]
    parts = [text[i : i + CAPTION_LINE_CHARS] for i in range(0, len(text), CAPTION_LINE_CHARS)]
    span = word.end_ms - word.start_ms
    return [
        Word(
            part,
            word.start_ms + span * index * CAPTION_LINE_CHARS // len(text),
            word.start_ms + span * min(len(text), (index + 1) * CAPTION_LINE_CHARS) // len(text),
        )
        for index, part in enumerate(parts)
    ]


def _estimated_words(cue: Cue) -> tuple[Word, ...]:
    """Words of a cue without word times, timed in proportion to their characters."""
    texts = cue.text.split()
    total = sum(len(t) + 1 for t in texts) or 1
    span = cue.end_ms - cue.start_ms
    words: list[Word] = []
    done = 0
    for text in texts:
        start = cue.start_ms + span * done // total
        done += len(text) + 1
        words.append(Word(text, start, cue.start_ms + span * done // total))
    return tuple(words)


def _cuts(texts: Sequence[str]) -> list[int]:
    """Where to cut a sentence of ``texts`` (words of at most a line): the index after each
    caption's last word, the cheapest way (see the module's docstring)."""
    count = len(texts)
    best: list[tuple[float, int]] = [(0.0, 0)] + [(float("inf"), 0)] * count
    for end in range(1, count + 1):
        for start in range(end - 1, -1, -1):
            if _width(texts[start:end]) > CAPTION_LINES * CAPTION_LINE_CHARS + 1:
                break
            fitted = caption_lines(texts[start:end])
            if fitted is None:
                continue
            cost = best[start][0] + fitted[0] + _PER_CAPTION
            cost += _cut_cost(texts[end - 1], texts[end] if end < count else None)
            if _width(texts[start:end]) < _SHORT_CHARS and count > end - start:
                cost += _SHORT_COST
            if cost < best[end][0]:
                best[end] = (cost, start)
    cuts: list[int] = []
    end = count
    while end:
        cuts.insert(0, end)
        end = best[end][1]
    return cuts


def _cue_captions(cue: Cue) -> Iterator[Caption]:
    words = [piece for word in (cue.words or _estimated_words(cue)) for piece in _pieces(word)]
    words = [word for word in words if word.text]
    if not words:
        return
    texts = [word.text for word in words]
    cuts = _cuts(texts)
    starts = [0, *cuts[:-1]]
    shown = [cue.start_ms]
    for start in starts[1:]:  # never before the caption before it, never after the sentence
        shown.append(min(cue.end_ms, max(shown[-1], words[start].start_ms)))
    shown.append(max(shown[-1], cue.end_ms))
    for index, (start, end) in enumerate(zip(starts, cuts, strict=True)):
        fitted = caption_lines(texts[start:end])  # _cuts chose only captions that fit
        lines = fitted[1] if fitted else (" ".join(texts[start:end]),)
        yield Caption(lines, shown[index], shown[index + 1])


def captions(cues: Sequence[Cue]) -> list[Caption]:
    """Every sentence cue as caption-sized cues, in order (see the module's docstring)."""
    return [caption for cue in cues for caption in _cue_captions(cue)]
