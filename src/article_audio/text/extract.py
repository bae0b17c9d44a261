"""Extract stage for HTML pages: a saved or fetched page becomes an :class:`Article`.

trafilatura finds the article on the page (and its title, authors, date and site name); this
module only turns its result into our model. trafilatura's XML keeps the page's structure:
``<head rend="h2">`` headings start sections, ``<p>``, list items, quotes and table rows become
paragraphs, ``<lb/>`` line breaks before a capital start a new paragraph. Figures, images and
captions are never taken, nor are comments; what trafilatura leaves of page debris (a promo
line, "Read more") goes through the same data-driven debris rules as a plain-text scrape.

trafilatura sometimes drops article text: the rest of an article split over several
containers, an embedded post, a paragraph cut short at an inline element. So the page's own
visible text also goes through the plain-text clean stage, and the body paragraphs found there
that trafilatura's blocks lack are put back in their place (see :func:`recover_paragraphs`).

Parsing is safe on hostile pages: the page is parsed by lxml's HTML parser (which has no
entities of its own to resolve, and is told not to touch the network) before trafilatura sees
it, and trafilatura is handed the parsed tree, never a string it could take for a URL.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from itertools import takewhile
from typing import TYPE_CHECKING, NamedTuple

from lxml import etree
from lxml.html import HtmlElement, HTMLParser, document_fromstring

from article_audio.errors import InputError
from article_audio.text.article import Article, Section
from article_audio.text.clean import QUOTE_LINES, DebrisRules, clean, is_attached, load_debris
from article_audio.text.read import Source

if TYPE_CHECKING:
    import trafilatura

#: trafilatura's precision-leaning mode: on the benchmark corpus it scores best without losing
#: recall (balanced and recall modes keep more page debris and no more article text).
FAVOR_PRECISION = True
#: Headings of these levels start a section (a chapter); deeper ones are read as paragraphs.
SECTION_LEVELS = (1, 2, 3)
#: An end marker ("Related stories") only ends the body once this many words came before it.
END_MIN_WORDS_BEFORE = 20
#: A soft end marker is ignored when an article-like paragraph is among this many after it…
END_SOFT_LOOKAHEAD = 2
#: …and any marker when this many article-like paragraphs in a row…
END_BODY_RUN = 3
#: …are among this many blocks after it.
END_LOOKAHEAD = 12
#: A paragraph with this many words that ends like a sentence is article-like.
ARTICLE_WORDS = 8

_WORD = re.compile(r"\w+")
#: A letter or digit: blocks without one ("___", "•") are not read.
_LETTER = re.compile(r"[^\W_]")
_SPACE = re.compile(r"[ \t\n\r\f\v\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_INVISIBLE = re.compile(r"[\u200b-\u200d\u2060\ufeff\u00ad]")
_SENTENCE_END = re.compile(r"[.!?…:;][\"'”’»)\]]*$")
#: A line after ``<lb/>`` that starts like this starts a new paragraph.
_NEW_LINE_START = re.compile(r"[\"'“‘(\[—–-]?[A-Z0-9]")
#: A DOCTYPE with an internal subset: lxml ignores its entities but leaves "]>" as text.
_DOCTYPE_SUBSET = re.compile(r"\A\s*(?:<\?xml[^>]*>\s*)?<!DOCTYPE[^>\[]*\[.*?\]\s*>", re.S | re.I)
#: Tags of trafilatura's output that hold paragraphs rather than inline text.
_BLOCK_TAGS = frozenset({"p", "head", "list", "item", "quote", "table", "row", "cell", "div"})
_SKIPPED_TAGS = frozenset({"graphic", "figure", "note"})

#: Author fragments that are not part of a person's name (roles, agencies, dates, "com").
_NOT_NAME_WORDS = frozenset(
    re.findall(
        r"\w+",
        """the a an by and staff editorial editors news press associated reuters ap afp upi wire
        wires bureau service services media network group writer reporter correspondent editor
        contributor columnist producer published updated posted sport sports business digital
        international online magazine com co uk monday tuesday wednesday thursday friday
        saturday sunday january february march april may june july august september october
        november december""",
    )
)
_NAME_PARTICLES = frozenset(re.findall(r"\w+", "de da di du dos van von der den del la le al el"))


@dataclass(frozen=True)
class Block:
    """A heading (``level`` 1–6) or a paragraph (``level`` 0) of the extracted article."""

    level: int
    text: str


@dataclass(frozen=True)
class PageMetadata:
    """What trafilatura found about the page, cleaned for speaking."""

    title: str | None
    authors: tuple[str, ...]
    site: str | None
    date: str | None
    url: str | None


# --- Entry point ------------------------------------------------------------------------------


def extract_article(source: Source, debris: DebrisRules | None = None) -> Article:
    """The article on the HTML page in ``source``: metadata, sections and paragraphs.

    Raises :class:`InputError` "no article text found" when the page has no article.
    """
    rules = debris if debris is not None else load_debris()
    tree = parse_html(source.text)
    drop_cards(tree)
    page = page_text(tree)
    document = _extract(tree, source.name)
    if document is None or document.body is None:
        raise _no_article(source)
    meta = page_metadata(document)
    blocks = recover_paragraphs(apply_debris(article_blocks(document.body), rules), page, rules)
    sections = make_sections(_drop_headline(blocks, meta.title))
    if not sections:
        raise _no_article(source)
    return Article(
        title=meta.title or _stem_title(source.name),
        sections=sections,
        byline=_byline(meta.authors, meta.site),
        authors=meta.authors,
        publication=meta.site,
        published=meta.date,
        source=source.name,
        extra={"url": meta.url} if meta.url else {},
    )


def _no_article(source: Source) -> InputError:
    return InputError(f"{source.name}: no article text found")


def parse_html(text: str) -> HtmlElement:
    """``text`` parsed by lxml's HTML parser with nothing fetched and no entities defined.

    An empty or unparsable page gives an empty ``<html>`` document.
    """
    parser = HTMLParser(
        encoding="utf-8",
        no_network=True,
        remove_comments=True,
        remove_pis=True,
        huge_tree=False,
        collect_ids=False,
    )
    data = _DOCTYPE_SUBSET.sub("", text, count=1).encode("utf-8", "surrogatepass")
    try:
        return document_fromstring(data, parser=parser)
    except (etree.ParserError, ValueError):
        return document_fromstring(b"<html></html>", parser=parser)


#: An element inside a paragraph holding a picture and links: a hover card, not prose. The
#: innermost one is dropped, so the linked name the card belongs to stays.
_CARDS = etree.XPath(
    "//p//*[self::span or self::div][.//img][count(.//a) >= 2]"
    "[not(.//*[self::span or self::div][.//img][count(.//a) >= 2])]"
)


def drop_cards(tree: HtmlElement) -> None:
    """Remove hover cards from the paragraphs of ``tree``.

    "Gov. <a>Kristi Noem</a><span><img> <a>Kristi Lynn Noem</a> <a>Other story</a>…</span>
    (R) said" is read "Gov. Kristi Noem (R) said".
    """
    found = _CARDS(tree)
    for card in found if isinstance(found, list) else ():
        if isinstance(card, HtmlElement):
            card.drop_tree()


def _extract(tree: HtmlElement, name: str) -> trafilatura.settings.Document | None:
    """trafilatura's document for ``tree`` (``name`` is the URL when it is one). trafilatura
    (about 24 MB and 0.1 s to import) is imported here, so text and Markdown input never load
    it."""
    import trafilatura

    url = name if re.match(r"https?://", name) else None
    try:
        result = trafilatura.bare_extraction(
            tree,
            url=url,
            favor_precision=FAVOR_PRECISION,
            include_comments=False,
            include_tables=True,
            include_images=False,
            include_links=False,
            include_formatting=True,
            with_metadata=True,
        )
    except (ValueError, TypeError, etree.LxmlError) as exc:  # pragma: no cover - defensive
        raise InputError(f"{name}: cannot read the page ({exc})") from exc
    if result is None or isinstance(result, dict):
        return None
    return result


# --- Metadata -----------------------------------------------------------------------------------


def page_metadata(document: trafilatura.settings.Document) -> PageMetadata:
    """Title (without a " - Site" suffix), person authors, site name, date and URL."""
    site = _text(document.sitename) or None
    title = _text(document.title)
    return PageMetadata(
        title=_strip_site(title, site, document.hostname) or None,
        authors=clean_authors(document.author or "", site),
        site=site,
        date=_text(document.date) or None,
        url=document.url or None,
    )


def _strip_site(title: str, site: str | None, hostname: str | None) -> str:
    """``title`` without a trailing " - Site" or " | Site" naming the site."""
    found = re.fullmatch(r"(.{10,}?)\s+[-–—|:·•]\s+([^-–—|]{2,60})", title)
    if not found:
        return title
    names = {_compact(name) for name in (site, hostname, (hostname or "").split(".")[0]) if name}
    suffix = _compact(found.group(2))
    if suffix and any(suffix == name or suffix == _compact(f"www{name}") for name in names):
        return found.group(1)
    return title


def clean_authors(raw: str, site: str | None = None) -> tuple[str, ...]:
    """People's names from trafilatura's ``"A; B"`` author string.

    Roles, agencies, dates and the site's own name are cut from each name ("Tom Gillespie
    News reporter" → "Tom Gillespie"); what is not a name of two or more capitalized words
    ("Reuters", "NJ Advance Media", "The Water Coolest") is left out; repeats are dropped.
    """
    names: list[str] = []
    for piece in raw.split(";"):
        name = _person_name(piece, _compact(site or ""))
        if name and not any(_same_person(name, other) for other in names):
            names.append(name)
    return tuple(names)


def _person_name(piece: str, site: str) -> str | None:
    words = _text(re.sub(r"(?i)^\s*by\s+", "", piece)).split()
    shouted = 0
    while shouted < len(words) and words[shouted].isupper():
        shouted += 1
    if shouted >= 2:  # "ERIC TUCKER Associated Press": a name in capitals
        words[:shouted] = [word.title() for word in words[:shouted]]
    kept: list[str] = []
    for word in words:
        bare = word.strip(".,").casefold()
        is_site = len(kept) >= 2 and len(bare) >= 4 and bare in site
        if bare in _NOT_NAME_WORDS or is_site or not _name_word(word):
            break
        kept.append(word)
    return " ".join(kept) if len(kept) >= 2 else None


def _name_word(word: str) -> bool:
    """A word that can be part of a person's name: capitalized, not an acronym, no digits."""
    if word.casefold() in _NAME_PARTICLES:
        return True
    letters = re.sub(r"[^\w]", "", word)
    if not letters or any(char.isdigit() for char in letters) or not word[0].isupper():
        return False
    return len(letters) == 1 or not letters.isupper()


def _same_person(one: str, other: str) -> bool:
    a, b = one.split(), other.split()
    return a[0] == b[0] and a[-1] == b[-1]


def _byline(authors: Sequence[str], site: str | None) -> str | None:
    """The byline "By A and B, Site" (or "By A") when there are authors."""
    if not authors:
        return None
    names = authors[0] if len(authors) == 1 else f"{', '.join(authors[:-1])} and {authors[-1]}"
    return f"By {names}, {site}" if site and site not in names else f"By {names}"


# --- Body ---------------------------------------------------------------------------------------


def article_blocks(body: etree._Element) -> list[Block]:
    """Headings and paragraphs of trafilatura's XML ``body``, in order, whitespace tidied."""
    blocks: list[Block] = []
    for block in _walk(body):
        text = _text(block.text)
        if not _LETTER.search(text):
            continue
        level = block.level if block.level in SECTION_LEVELS else 0
        blocks.append(Block(level, text))
    return blocks


def _walk(element: etree._Element) -> Iterator[Block]:
    """Blocks of ``element``: its own inline text, and each block child's, in order."""
    pending: list[str] = [element.text or ""]
    for child in element:
        tag = child.tag if isinstance(child.tag, str) else ""
        if tag in _BLOCK_TAGS:
            yield from _paragraphs("".join(pending))
            yield from _child_blocks(child, tag)
            pending = [child.tail or ""]
        else:
            pending.extend((_inline_text(child), child.tail or ""))
    yield from _paragraphs("".join(pending))


def _child_blocks(child: etree._Element, tag: str) -> Iterator[Block]:
    if tag == "head":
        rend = str(child.get("rend") or "h2")
        level = int(rend[1]) if re.fullmatch(r"h[1-6]", rend) else 2
        yield Block(level, _inline_text(child).replace("\n", " "))
    elif tag == "row":
        cells = [_text(_inline_text(cell)) for cell in child if cell.tag == "cell"]
        yield Block(0, ", ".join(cell for cell in cells if cell))
    else:
        yield from _walk(child)


def _inline_text(node: etree._Element) -> str:
    """The text of an inline element; ``<lb/>`` becomes a newline; images are skipped."""
    if node.tag == "lb":
        return "\n"
    if node.tag in _SKIPPED_TAGS:
        return ""
    parts = [node.text or ""]
    for child in node:
        parts.extend((_inline_text(child), child.tail or ""))
    return "".join(parts)


def _paragraphs(text: str) -> Iterator[Block]:
    """Paragraphs of ``text``: a line break before a capital starts a new one."""
    lines = [_text(line) for line in text.split("\n")]
    current = ""
    for line in lines:
        if not line:
            continue
        if current and _NEW_LINE_START.match(line):
            yield Block(0, current)
            current = line
        else:
            current = f"{current} {line}" if current else line
    if current:
        yield Block(0, current)


def _drop_headline(blocks: list[Block], title: str | None) -> list[Block]:
    """``blocks`` without headings that repeat the title or come before any paragraph as h1."""
    kept: list[Block] = []
    wanted = _compact(title or "")
    seen_text = False
    for block in blocks:
        headline = block.level == 1 and not seen_text
        if block.level and (headline or _compact(block.text) == wanted):
            continue
        seen_text = seen_text or block.level == 0
        kept.append(block)
    return kept


def make_sections(blocks: Sequence[Block]) -> tuple[Section, ...]:
    """Sections: a heading opens one.

    A heading right before another one ("Score: 4 out of 5" above "Where to buy") is read as
    a paragraph; one with nothing after it at the end is dropped.
    """
    sections: list[Section] = []
    heading: str | None = None
    paragraphs: list[str] = []
    ends = [*blocks, Block(1, "")]
    for block, after in zip(ends, [*ends[1:], Block(0, "")], strict=True):
        if block.level == 0 or (after.level and after.text):
            paragraphs.append(block.text)
            continue
        if paragraphs:
            sections.append(Section(heading, tuple(paragraphs)))
        heading, paragraphs = block.text or None, []
    return tuple(sections)


# --- Debris -------------------------------------------------------------------------------------


def apply_debris(blocks: Sequence[Block], rules: DebrisRules) -> list[Block]:
    """``blocks`` less those the debris rules drop; an end marker ends the article.

    ``[[line]]`` rules drop a whole block, ``[[prefix]]`` rules cut its start, ``[[block]]``
    rules drop a block and the blocks after it that match ``follow``. An ``[[end]]`` marker
    ("Related stories", "About the author") ends the article once some of it has been seen,
    unless the article goes on after it: then only the marker and the link titles right after
    it (blocks that are not sentences) are dropped, an inline "Don't miss" box.
    """
    kept: list[Block] = []
    words = skip = 0
    in_box = False
    for index, block in enumerate(blocks):
        if skip:
            skip -= 1
            continue
        text = rules.cut_prefix(block.text)
        if not _LETTER.search(text):
            continue
        if in_box and not _SENTENCE_END.search(text):
            continue
        in_box = False
        end = rules.end_rule(text)
        if end is not None and words >= END_MIN_WORDS_BEFORE:
            if not _article_follows(blocks, index, end.hard):
                break
            in_box = True
            continue
        skip = _block_skip(text, blocks, index, rules)
        if skip >= 0 or rules.drops_line(text):
            skip = max(skip, 0)
            continue
        skip = 0
        kept.append(Block(block.level, text))
        words += len(_WORD.findall(text)) if block.level == 0 else 0
    return kept


def _article_follows(blocks: Sequence[Block], index: int, hard: bool) -> bool:
    """True if the article goes on after the end marker at ``index``.

    It does when a run of :data:`END_BODY_RUN` article-like paragraphs follows within
    :data:`END_LOOKAHEAD` blocks, or (for a soft marker) when an article-like paragraph comes
    right after it.
    """
    following = blocks[index + 1 : index + 1 + END_LOOKAHEAD]
    if not hard and any(_article_like(b.text) for b in following[:END_SOFT_LOOKAHEAD]):
        return True
    run = 0
    for block in following:
        run = run + 1 if _article_like(block.text) else 0
        if run >= END_BODY_RUN:
            return True
    return False


def _block_skip(text: str, blocks: Sequence[Block], index: int, rules: DebrisRules) -> int:
    """How many blocks after ``index`` a ``[[block]]`` rule matching ``text`` drops (-1: none)."""
    for rule in rules.block:
        if rule.pattern.fullmatch(text):
            count = 0
            for after in blocks[index + 1 : index + 1 + rule.max_lines]:
                if rule.follow is None or not rule.follow.fullmatch(after.text):
                    break
                count += 1
            return count
    return -1


def _article_like(text: str) -> bool:
    return len(_WORD.findall(text)) >= ARTICLE_WORDS and bool(_SENTENCE_END.search(text))


# --- What trafilatura left out ---------------------------------------------------------------

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
    parts = [_text(tree.findtext(".//title")), "\n"]
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
    lines = (_text(line) for line in "".join(parts).split("\n"))
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
        scraped = clean(Source(page, "text", "<page>"), rules).paragraphs
    except InputError:
        return list(blocks)
    stream = _compact(page)
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
    gained = len(_compact(text)) - sum(len(_compact(placed[index].block.text)) for index in inside)
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
        key = _compact(text if isinstance(text, str) else text.text)
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


# --- Helpers ------------------------------------------------------------------------------------


def _text(value: str | None) -> str:
    """``value`` with invisible characters removed and whitespace runs collapsed."""
    return _SPACE.sub(" ", _INVISIBLE.sub("", value or "")).strip()


def _compact(text: str) -> str:
    """Letters and digits only, case-folded: for comparing names and titles."""
    return re.sub(r"[\W_]+", "", text).casefold()


def _stem_title(name: str) -> str:
    stem = re.sub(r"\.[A-Za-z]{2,5}$", "", re.split(r"[/\\]", name.rstrip("/"))[-1])
    words = re.sub(r"[-_]+", " ", stem).strip()
    return words if words and not name.startswith("<") else "Untitled article"
