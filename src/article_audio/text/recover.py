"""Paragraph recovery for HTML pages: what trafilatura left out of the article is put back.

trafilatura sometimes drops article text: the rest of an article split over several
containers, an embedded post, a paragraph cut short at an inline element. So the page's own
visible text (:func:`page_text`) also goes through the plain-text clean stage, and the body
paragraphs found there that trafilatura's blocks lack are put back in their place (see
:func:`recover_paragraphs`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from itertools import takewhile
from typing import NamedTuple

from lxml import etree
from lxml.html import HtmlElement

from article_audio.errors import InputError
from article_audio.text.clean import clean_page
from article_audio.text.debris import DebrisRules
from article_audio.text.lines import (
    GOOD_WORDS,
    QUOTE_LINES,
    Block,
    compact,
    is_attached,
    is_sentence,
    one_line,
    word_count,
)
from article_audio.text.read import Source

#: Elements whose content is not part of a page's visible text (or never of its article).
_UNSEEN_TAGS = frozenset(
    re.findall(
        r"\w+",
        """head script style noscript template svg math iframe object embed canvas select
        option textarea button figure figcaption nav footer aside dialog""",
    )
)
#: Elements that start a new line of the page text (the others run on inline).
_LINE_TAGS = frozenset(
    re.findall(
        r"\w+",
        """address article aside blockquote br caption dd details div dl dt fieldset
        figcaption figure footer form h1 h2 h3 h4 h5 h6 header hr legend li main nav ol p pre
        section summary table td th title tr ul""",
    )
)
_HIDDEN_STYLE = re.compile(r"(?i)display\s*:\s*none|visibility\s*:\s*hidden")
#: Elements with this in a class or id name are captions, as trafilatura also assumes.
_CAPTION = re.compile(r"(?i)caption")
#: Letters and digits compared at each end of a paragraph to find it in the page text.
LOCATE_KEY = 40
#: A page-text paragraph replaces the blocks it contains when it has this many more letters.
FULLER_BY = 8
#: Article-like page-text paragraphs right after the blocks that mean the article goes on.
CONTINUED_RUN = 2


def page_text(tree: HtmlElement) -> str:
    """The page's visible text the way a text scrape has it: the title, then a line per block.

    Scripts, form controls, figures and captions, navigation, footers, asides and hidden
    elements are left out.
    """
    parts = [one_line(tree.findtext(".//title")), "\n"]
    walk = etree.iterwalk(tree, events=("start", "end"))
    for event, element in walk:
        tag = element.tag if isinstance(element.tag, str) else ""
        if event == "start":
            if _unseen(element, tag):
                walk.skip_subtree()
                continue
            parts.extend(("\n" if tag in _LINE_TAGS else "", element.text or ""))
        elif element is not tree:
            parts.extend(("\n" if tag in _LINE_TAGS else "", element.tail or ""))
    lines = (one_line(line) for line in "".join(parts).split("\n"))
    return "\n".join(line for line in lines if line)


def _unseen(element: etree._Element, tag: str) -> bool:
    """True for an element whose text is no part of the article text a scrape would show."""
    return (
        not tag
        or tag in _UNSEEN_TAGS
        or element.get("hidden") is not None
        or element.get("aria-hidden") == "true"
        or bool(_HIDDEN_STYLE.search(element.get("style") or ""))
        or bool(_CAPTION.search(f"{element.get('class', '')} {element.get('id', '')}"))
    )


class _Placed(NamedTuple):
    """A block and where it starts in the page text (``order`` keeps trafilatura's order)."""

    place: int
    order: int
    block: Block


class _Extra(NamedTuple):
    """A body paragraph of the page text that no block holds: its number among the page
    text's body paragraphs, where it starts in the page text, and its text."""

    number: int
    place: int
    text: str


def recover_paragraphs(blocks: Sequence[Block], page: str, rules: DebrisRules) -> list[Block]:
    """``blocks`` completed with the body paragraphs of ``page`` (its text) they lack.

    The page text goes through the plain-text clean stage. Its body paragraphs that no block
    holds are put in their place among the blocks when they lie among the paragraphs the
    blocks hold (an embedded post, a lead or a sub-heading trafilatura dropped) or go on
    with the article right after them (an article split over several containers). A
    paragraph that holds blocks and more (one trafilatura cut short) takes their place.
    """
    try:
        scraped = clean_page(Source(page, "text", "<page>"), rules).paragraphs
    except InputError:
        return list(blocks)
    stream = compact(page)
    placed: list[_Placed] = []
    place = -1
    for order, (block, span) in enumerate(zip(blocks, _locate(blocks, stream), strict=True)):
        place = span[0] if span is not None else place
        placed.append(_Placed(place, order, block))
    extras: list[_Extra] = []
    held: list[int] = []
    for number, (text, span) in enumerate(zip(scraped, _locate(scraped, stream), strict=True)):
        merged = None if span is None else _merge(placed, text, span)
        if merged is not None:
            placed = merged
            held.append(number)
        elif span is not None:
            extras.append(_Extra(number, span[0], text))
    placed.extend(_Placed(extra.place, -1, Block(0, extra.text)) for extra in _wanted(extras, held))
    return [entry.block for entry in sorted(placed, key=lambda entry: entry[:2])]


def _wanted(extras: Sequence[_Extra], held: Sequence[int]) -> list[_Extra]:
    """The ``extras`` to add, given the numbers of the page-text paragraphs the blocks hold.

    Those among the held ones are added, and those right after them that go on with the
    article. Those before them are not: what trafilatura leaves out there is a standfirst,
    a caption or a teaser far more often than the article's text.
    """
    if not held:
        return []
    low, high = min(held), max(held)
    after = sorted(extra for extra in extras if extra.number > high)
    return [extra for extra in extras if low < extra.number < high] + _continuation(after, high)


def _continuation(after: Sequence[_Extra], high: int) -> list[_Extra]:
    """Of the page-text paragraphs ``after`` the blocks (the last held one numbered ``high``),
    those that go on with the article: a run of article-like ones, or a quoted post ending
    in its attribution ("— Name (@handle) date")."""
    run: list[_Extra] = []
    for extra in after:
        if extra.number != high + 1 + len(run):
            break
        run.append(extra)
    article = list(takewhile(lambda extra: _article_like(extra.text), run))
    if len(article) >= CONTINUED_RUN:
        return article
    for count, extra in enumerate(run[: QUOTE_LINES + 1], start=1):
        if is_attached(extra.text):
            return run[:count]
    return []


def _merge(placed: Sequence[_Placed], text: str, span: tuple[int, int]) -> list[_Placed] | None:
    """``placed`` with the page-text paragraph ``text`` at ``span`` taking the place of the
    blocks that start in it if it is fuller than they are or joins them (trafilatura cut a
    paragraph short, or in two); None if no block starts in it."""
    inside = [index for index, entry in enumerate(placed) if span[0] <= entry.place < span[1]]
    if not inside:
        return None
    gained = len(compact(text)) - sum(len(compact(placed[index].block.text)) for index in inside)
    whole = gained >= FULLER_BY or (len(inside) > 1 and gained >= 0)
    if not whole or any(placed[index].block.level for index in inside):
        return list(placed)
    first = placed[inside[0]]
    kept = [entry for index, entry in enumerate(placed) if index not in inside]
    return [*kept, first._replace(block=Block(0, text))]


def _locate(texts: Sequence[str | Block], stream: str) -> list[tuple[int, int] | None]:
    """Where each of ``texts`` lies in ``stream`` (letters and digits).

    Each is searched after the one before it, then (if not found there: trafilatura may have
    put a sidebar first) from the start.
    """
    spans: list[tuple[int, int] | None] = []
    cursor = 0
    for text in texts:
        key = compact(text if isinstance(text, str) else text.text)
        span = _find(key, stream, cursor) or _find(key, stream, 0)
        spans.append(span)
        if span is not None and span[0] >= cursor:
            cursor = span[0] + 1
    return spans


def _find(key: str, stream: str, cursor: int) -> tuple[int, int] | None:
    """The span of ``key`` in ``stream`` from ``cursor``; its two ends suffice."""
    if not key:
        return None
    found = stream.find(key, cursor)
    if found >= 0:
        return found, found + len(key)
    head, tail = key[:LOCATE_KEY], key[-LOCATE_KEY:]
    start = stream.find(head, cursor)
    if start < 0:
        return None
    end = stream.find(tail, start)
    if end < 0 or end + len(tail) - start > 2 * len(key):
        return start, start + len(key)
    return start, end + len(tail)


def _article_like(text: str) -> bool:
    """A sentence of some length (unlike :func:`~article_audio.text.lines.is_good`, a long
    run of words without a full stop, an author's bio cut short, does not count)."""
    return word_count(text) >= GOOD_WORDS and is_sentence(text)
