"""Structure stage: an article's sections become the chapters the listener can jump between.

Headed articles get one chapter per heading. Articles without headings get chapters of whole
paragraphs, about :data:`~article_audio.config.CHAPTER_TARGET_S` seconds of estimated speech
each (between the minimum and maximum where paragraph sizes allow), titled by their key
phrase (:mod:`article_audio.text.titles`). The spoken intro is added later, by the narration
stage.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from itertools import accumulate, pairwise

from article_audio.config import CHAPTER_MAX_S, CHAPTER_MIN_S, CHAPTER_TARGET_S
from article_audio.text.article import Article
from article_audio.text.titles import chapter_titles

_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class ChapterPlan:
    """A chapter's title and paragraphs. ``heading`` is true when the title is the article's own
    heading (read aloud), false when it is the key phrase of its paragraphs (not read)."""

    title: str
    paragraphs: tuple[str, ...]
    heading: bool = False


def estimate_seconds(text: str, words_per_minute: int) -> float:
    """Seconds of speech for ``text`` at ``words_per_minute``."""
    return len(_WORD.findall(text)) * 60.0 / words_per_minute


def plan_chapters(article: Article, words_per_minute: int) -> tuple[ChapterPlan, ...]:
    """Body chapters for ``article`` (the intro is not included)."""
    taken = [article.title, *(s.heading for s in article.sections if s.heading)]
    plans: list[ChapterPlan] = []
    for section in article.sections:
        if not section.paragraphs:
            continue
        if section.heading:
            plans.append(ChapterPlan(section.heading, section.paragraphs, heading=True))
        else:
            groups = group_paragraphs(section.paragraphs, words_per_minute, taken=taken)
            taken.extend(plan.title for plan in groups)
            plans.extend(groups)
    return tuple(plans)


def group_paragraphs(
    paragraphs: Sequence[str],
    words_per_minute: int,
    target_s: float = CHAPTER_TARGET_S,
    min_s: float = CHAPTER_MIN_S,
    max_s: float = CHAPTER_MAX_S,
    taken: Collection[str] = (),
) -> list[ChapterPlan]:
    """Whole paragraphs grouped into chapters of roughly equal, bounded length, each titled by
    its key phrase, distinct from each other and from the titles in ``taken``."""
    seconds = [estimate_seconds(p, words_per_minute) for p in paragraphs]
    total = sum(seconds)
    count = max(1, round(total / target_s))
    while count > 1 and total / count < min_s:
        count -= 1
    while total / count > max_s and count < len(paragraphs):
        count += 1
    groups = [tuple(paragraphs[start:end]) for start, end in _split_evenly(seconds, count)]
    titles = chapter_titles(groups, taken)
    return [ChapterPlan(title, group) for title, group in zip(titles, groups, strict=True)]


def _split_evenly(seconds: Sequence[float], count: int) -> list[tuple[int, int]]:
    """Cut ``seconds`` into at most ``count`` contiguous runs, each cut at the paragraph
    boundary nearest to an equal share of the total."""
    cumulative = list(accumulate(seconds))
    total = cumulative[-1] if cumulative else 0.0
    bounds = [0]
    for k in range(1, count):
        goal = total * k / count
        candidates = range(bounds[-1] + 1, len(seconds))
        if not candidates:
            break
        bounds.append(min(candidates, key=lambda i: abs(cumulative[i - 1] - goal)))
    bounds.append(len(seconds))
    return [(a, b) for a, b in pairwise(bounds) if b > a]
