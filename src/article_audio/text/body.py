"""The body of a scraped page: among the units left by the debris rules, the densest run of
article-like lines, with the quoted posts and credits that belong to it and its lead, less
the menus and link lists inside it. Removing debris must never remove a body sentence, so
every heuristic errs on keeping.
"""

from __future__ import annotations

from collections.abc import Sequence

from article_audio.text.debris_model import is_promotional
from article_audio.text.headers import HEAD_LINES
from article_audio.text.lines import (
    LIST_MAX_ITEMS,
    PHRASE_PENALTY,
    QUOTE_LINES,
    Unit,
    densest_span,
    is_attached,
    is_attribution,
    is_phrase,
    is_sentence,
    unit_score,
)

#: The densest span must hold this share of the article-like words, or the article's lists and
#: sub-headings are taken for furniture (see :func:`_body_span`).
PLAUSIBLE_SHARE = 0.5
#: A line ending in ":" with at least this many words introduces a list (of at most
#: :data:`~article_audio.text.lines.LIST_MAX_ITEMS` short lines, which belong to the body).
LIST_LEAD_WORDS = 3
#: This many consecutive short non-sentence lines inside the body are a menu or link list.
MENU_RUN = 4
#: This many attributions ("— Name (@handle) date") or source credits ("[ Wired ]") right
#: after the body belong to it.
ATTACHED_TAIL = 2
#: A list between two body paragraphs has items of at most this many words…
LIST_ITEM_WORDS = 10
#: …and this many on average (the headlines of a list of links are longer).
LIST_MEAN_WORDS = 5
#: Article-like words above the headline, as a share of those below its byline, up to which
#: they are not read (see :func:`_body_below`).
ABOVE_SHARE = 0.25
#: …and at most this many article-like units.
ABOVE_UNITS = 2
#: A caption (a line right above a photo credit) has at most this many words.
CAPTION_MAX_WORDS = 60


def _mark_lists(units: Sequence[Unit]) -> None:
    """Flag short lines right after a lead-in ending in ":" as list items of the body."""
    for index, unit in enumerate(units):
        if not unit.text.endswith(":") or unit.words < LIST_LEAD_WORDS or unit.end is not None:
            continue
        for after in units[index + 1 : index + 1 + LIST_MAX_ITEMS]:
            if not _is_short(after) or after.end is not None:
                break
            after.listed = True


def _is_short(unit: Unit) -> bool:
    return not unit.good and not is_sentence(unit.text)


def _mark_quotes(units: Sequence[Unit]) -> None:
    """Flag attribution lines and the short lines of the quoted post right above each one."""
    for index, unit in enumerate(units):
        if unit.end is not None or not is_attribution(unit.text):
            continue
        unit.quoted = True
        for above in reversed(units[max(0, index - QUOTE_LINES) : index]):
            if not _is_short(above) or above.end is not None:
                break
            above.quoted = True


def _is_menu_like(unit: Unit, broad: bool) -> bool:
    """A line that can be an item of a menu or a list of links (``broad``: the body is an
    article broken up by lists, whose items worded like phrases are not a menu)."""
    if broad and is_phrase(unit.text):
        return False
    return _is_short(unit) and not unit.listed and not unit.quoted


def _drop_menus(units: Sequence[Unit], broad: bool) -> list[Unit]:
    """``units`` without runs of :data:`MENU_RUN` or more menu-like lines, unless the run is a
    list of short items between two body paragraphs (see :func:`_is_inner_list`)."""
    kept: list[Unit] = []
    run: list[Unit] = []
    for unit in [*units, None]:
        if unit is not None and _is_menu_like(unit, broad):
            run.append(unit)
            continue
        before = kept[-1] if kept else None
        if len(run) < MENU_RUN or _is_inner_list(before, run, unit):
            kept.extend(run)
        run = []
        if unit is not None:
            kept.append(unit)
    return kept


def _is_inner_list(before: Unit | None, run: Sequence[Unit], after: Unit | None) -> bool:
    """A list, not a menu, a list of links or a widget: short items (at most
    :data:`LIST_ITEM_WORDS` words, :data:`LIST_MEAN_WORDS` on average; a link list's headlines
    are longer), none repeated and none promotional ("Visit website", "$115 at Amazon",
    "Free trial": a product box, see :func:`is_promotional`), between two body paragraphs."""
    if before is None or after is None or not (before.good and after.good):
        return False
    words = [unit.words for unit in run]
    if max(words) > LIST_ITEM_WORDS or sum(words) > LIST_MEAN_WORDS * len(words):
        return False
    texts = [unit.text.casefold() for unit in run]
    return len(set(texts)) == len(texts) and not any(is_promotional(unit.text) for unit in run)


def _attach_tail(units: Sequence[Unit], stop: int) -> int:
    """``stop`` moved past the quoted posts and the credit lines right after the body."""
    while stop < len(units) and units[stop].quoted:
        stop += 1
    end = stop
    while end < len(units) and end - stop < ATTACHED_TAIL and is_attached(units[end].text):
        end += 1
    return end


def _lead_start(kept: Sequence[tuple[int, Unit]], start: int, used: set[int]) -> int:
    """Where the body begins among ``kept`` lines, given its densest span starts at ``start``.

    Lines between the byline/date block and that span join the body from the first sentence
    among them (a lead, a standfirst), so sub-headings and short lines that follow it are
    kept too (less any menu); there must be only a few such lines, or they are page debris.
    """
    if not used:
        return start
    between = [index for index in range(start) if kept[index][0] > max(used)]
    if len(between) > 2 * HEAD_LINES:
        return start
    for index in between:
        unit = kept[index][1]
        if is_sentence(unit.text) and unit.words >= 3 and not _is_caption(unit):
            return index
    return start


def _is_caption(unit: Unit) -> bool:
    """A line right above a photo credit, of a caption's length."""
    return unit.credited and unit.words <= CAPTION_MAX_WORDS


def _past_captions(units: Sequence[Unit], start: int, stop: int) -> int:
    """``start`` moved past the captions (and their leftover credit lines) the body's span
    begins with: the lead photo's, above the first paragraph."""
    while start < stop - 1 and (
        _is_caption(units[start])
        or (start > 0 and _is_caption(units[start - 1]) and not units[start].good)
    ):
        start += 1
    return start


def _body_span(units: Sequence[Unit]) -> tuple[int, int, bool]:
    """The densest span of ``units``; when it holds less than :data:`PLAUSIBLE_SHARE` of the
    article-like words, the article is broken up by its own lists and sub-headings (a guide, a
    review, a listicle): the span found with a milder penalty for them is taken (flag: True)."""
    start, stop = densest_span([unit_score(unit) for unit in units])
    total = sum(unit.words for unit in units if unit.good)
    if sum(unit.words for unit in units[start:stop] if unit.good) >= PLAUSIBLE_SHARE * total:
        return start, stop, False
    return (*densest_span([unit_score(unit, PHRASE_PENALTY) for unit in units]), True)


def _body_below(units: Sequence[Unit], top: int, bottom: int) -> bool:
    """True if the body is below the headline, byline and dates (at ``top`` to ``bottom``):
    what is above them (teasers, a market-data notice; not a deck right above the headline,
    see :func:`_is_deck`) is then not read. Not when there are more than :data:`ABOVE_UNITS`
    article-like units above them, or more than :data:`ABOVE_SHARE` of the article-like words
    below them: the headline found is then not the article's own (a sub-heading, a page's
    name)."""
    above = [unit.words for unit in units[:top] if unit.good]
    below = sum(unit.words for unit in units[bottom + 1 :] if unit.good)
    return len(above) <= ABOVE_UNITS and sum(above) <= ABOVE_SHARE * below


def _is_deck(unit: Unit, above: int) -> bool:
    """A deck printed right above the headline (``above`` units above it): read, as the
    article's own summary (unlike a teaser further up)."""
    return above == 1 and unit.good


def body_paragraphs(units: Sequence[Unit], used: set[int]) -> list[str]:
    """The body paragraphs among ``units`` (``used``: title and meta lines to leave out).

    The body is the densest span of article-like lines with the attributions right after it,
    extended back to a lead between the byline/date block and that span, less the menus
    inside it.
    """
    heading = {units[index].text.casefold() for index in used}
    top, bottom = min(used, default=0), max(used, default=0)
    below = bool(used) and _body_below(units, top, bottom)
    kept = [
        (position, unit)
        for position, unit in enumerate(units)
        if position not in used
        and not top < position < bottom  # a standfirst between the headline and its byline
        and not (below and position < top and not _is_deck(unit, top - position))
        and unit.end is None
        and not unit.boxed
        and unit.text.casefold() not in heading
    ]
    rest = [unit for _, unit in kept]
    _mark_lists(rest)
    _mark_quotes(rest)
    start, stop, broad = _body_span(rest)
    stop = _attach_tail(rest, stop)
    start = _lead_start(kept, _past_captions(rest, start, stop), used)
    return [unit.text for unit in _drop_menus(rest[start:stop], broad)]
