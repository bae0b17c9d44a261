"""Extract stage for HTML pages: a saved or fetched page becomes an :class:`Article`.

trafilatura finds the article on the page (and its title, authors, date and site name); this
module only turns its result into our model. trafilatura's XML keeps the page's structure:
``<head rend="h2">`` headings start sections, ``<p>``, list items, quotes and table rows become
paragraphs, ``<lb/>`` line breaks before a capital start a new paragraph. Figures, images and
captions are never taken, nor are comments; what trafilatura leaves of page debris (a promo
line, "Read more") goes through the same data-driven debris rules as a plain-text scrape.

trafilatura sometimes drops article text; what it left out is put back from the page's own
visible text (see :mod:`article_audio.text.recover`).

Parsing is safe on hostile pages: the page is parsed by lxml's HTML parser (which has no
entities of its own to resolve, and is told not to touch the network) before trafilatura sees
it, and trafilatura is handed the parsed tree, never a string it could take for a URL.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from lxml import etree
from lxml.html import HtmlElement, HTMLParser, document_fromstring

from article_audio.errors import InputError
from article_audio.text.article import Article
from article_audio.text.clean import clean_page
from article_audio.text.debris import PARAGRAPHS, DebrisRules, article_units, load_debris
from article_audio.text.debris_model import filter_article
from article_audio.text.headers import (
    byline_people,
    head_of_blocks,
    is_person,
    make_sections,
    name_before_role,
    stem_title,
)
from article_audio.text.language import refuse_foreign
from article_audio.text.lines import GOOD_WORDS, Block, compact, one_line, word_count
from article_audio.text.read import Source
from article_audio.text.recover import page_text, recover_paragraphs
from article_audio.text.sitename import site_keys, strip_site_name

if TYPE_CHECKING:
    import trafilatura

#: trafilatura's precision-leaning mode: on the benchmark corpus it scores best without losing
#: recall (balanced and recall modes keep more page debris and no more article text).
FAVOR_PRECISION = True
#: An extraction with fewer words than this, and under LITTLE_SHARE of the words of the body
#: the page's own text gives, is implausibly little: trafilatura's recall mode is tried.
FEW_WORDS = 150
LITTLE_SHARE = 0.4
#: A table cell holding this many paragraphs of prose is page layout, not data.
LAYOUT_PARAGRAPHS = 3
#: Headings of these levels start a section (a chapter); deeper ones are read as paragraphs.
SECTION_LEVELS = (1, 2, 3)
#: A letter or digit: blocks without one ("___", "•") are not read.
_LETTER = re.compile(r"[^\W_]")
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
class PageMetadata:
    """What trafilatura found about the page, cleaned for speaking."""

    title: str | None
    authors: tuple[str, ...]
    site: str | None
    date: str | None
    url: str | None
    owners: frozenset[str] = frozenset()


# --- Entry point ------------------------------------------------------------------------------


def extract_article(source: Source, debris: DebrisRules | None = None) -> Article:
    """The article on the HTML page in ``source``: metadata, sections and paragraphs.

    Raises :class:`InputError` "no article text found" when the page has no article, and
    names the language when the article (or, without one, the page) is mostly in a language
    other than English.
    """
    rules = debris if debris is not None else load_debris()
    tree = parse_html(source.text)
    drop_cards(tree)
    page = page_text(tree)
    document = _extract(tree, source.name)
    if document is None or document.body is None:
        raise _no_article(source, page)
    meta = page_metadata(document, "\n".join(tree.itertext()))
    blocks = recover_paragraphs(apply_debris(article_blocks(document.body), rules), page, rules)
    if _implausibly_little(blocks, page, rules):
        blocks = _recall_pass(source, page, rules, blocks)
    blocks = _drop_headline(blocks, meta.title)
    head = head_of_blocks(blocks, meta.owners)  # a byline, dates, "From …" printed in the article
    sections = make_sections([block for n, block in enumerate(blocks) if n not in head.used])
    if not sections:
        raise _no_article(source, page)
    refuse_foreign(source.name, "\n".join(block.text for block in blocks))
    authors = meta.authors or head.authors
    article = Article(
        title=meta.title or stem_title(source.name),
        sections=sections,
        byline=_byline(authors, meta.site or head.publication),
        authors=authors,
        publication=meta.site or head.publication,
        published=meta.date or head.published,
        source=source.name,
        extra={"url": meta.url} if meta.url else {},
    )
    return filter_article(article, page.split("\n"), rules.model)


def _no_article(source: Source, page: str) -> InputError:
    """The error for a page without an article, unless its text is in another language."""
    refuse_foreign(source.name, page)
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


def _words(blocks: Sequence[Block]) -> int:
    return sum(word_count(block.text) for block in blocks)


def _implausibly_little(blocks: Sequence[Block], page: str, rules: DebrisRules) -> bool:
    """True when the extracted ``blocks`` are a small part of the body the page's own text
    gives (a reprint notice kept, the story lost): fewer than :data:`FEW_WORDS` words and
    under :data:`LITTLE_SHARE` of that body's."""
    words = _words(blocks)
    if words >= FEW_WORDS:
        return False
    try:
        scraped = clean_page(Source(page, "text", "<page>"), rules).paragraphs
    except InputError:
        return False
    return words < LITTLE_SHARE * sum(word_count(text) for text in scraped)


def _recall_pass(source: Source, page: str, rules: DebrisRules, blocks: list[Block]) -> list[Block]:
    """The blocks of trafilatura's recall-oriented extraction of ``source`` when it finds
    more than ``blocks`` (the precise extraction), else ``blocks``."""
    tree = parse_html(source.text)
    drop_cards(tree)
    document = _extract(tree, source.name, precision=False)
    if document is None or document.body is None:
        return blocks
    fuller = recover_paragraphs(apply_debris(article_blocks(document.body), rules), page, rules)
    return fuller if _words(fuller) > _words(blocks) else blocks


def _extract(
    tree: HtmlElement, name: str, precision: bool = FAVOR_PRECISION
) -> trafilatura.settings.Document | None:
    """trafilatura's document for ``tree`` (``name`` is the URL when it is one). trafilatura
    (about 24 MB and 0.1 s to import) is imported here, so text and Markdown input never load
    it."""
    import trafilatura

    url = name if re.match(r"https?://", name) else None
    try:
        result = trafilatura.bare_extraction(
            tree,
            url=url,
            favor_precision=precision,
            favor_recall=not precision,
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


def page_metadata(document: trafilatura.settings.Document, page: str = "") -> PageMetadata:
    """Title (without the site's name), person authors, site name, date and URL; ``page`` is
    the page's text (its copyright line names the site's owner)."""
    site = one_line(document.sitename) or None
    title = one_line(document.title)
    sites = [name for name in (site, document.hostname) if name]
    owners = frozenset(site_keys(sites, page))
    return PageMetadata(
        title=strip_site_name(title, sites, page) or None,
        authors=clean_authors(document.author or "", site, owners),
        owners=owners,
        site=site,
        date=one_line(document.date) or None,
        url=document.url or None,
    )


def clean_authors(
    raw: str, site: str | None = None, owners: Collection[str] = ()
) -> tuple[str, ...]:
    """People's names from trafilatura's ``"A; B"`` author string.

    Roles, agencies, dates and the site's own name are cut from each name ("Tom Gillespie
    News reporter" → "Tom Gillespie"); what is not a name of two or more capitalized words
    ("Reuters", "NJ Advance Media", "The Water Coolest") is left out, as is an organisation
    (see :func:`~article_audio.text.headers.is_person`; ``owners``: the site's compacted
    names, unless the owner is the only name); a piece that is a whole byline ("By A, B and
    C, The Paper") gives its people; repeats are dropped.
    """
    names: list[str] = []
    for piece in raw.split(";"):
        listed = byline_people(piece, owners) if re.search(r",|\sand\s|&", piece) else None
        for name in listed or [_person_name(piece, compact(site or ""))]:
            if (
                name
                and is_person(name, owners)
                and not any(_same_person(name, other) for other in names)
            ):
                names.append(name)
    if not names and owners:
        return clean_authors(raw, site)  # the owner is the only author: a person's own site
    return tuple(names)


def _person_name(piece: str, site: str) -> str | None:
    name = _name_words(piece, site)
    before_role = name_before_role(one_line(piece))  # "Priya Raman Environment reporter"
    if name and before_role and name.startswith(f"{before_role} "):
        return before_role
    return name


def _name_words(piece: str, site: str) -> str | None:
    words = one_line(re.sub(r"(?i)^\s*by\s+", "", piece)).split()
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
        text = one_line(block.text)
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
    elif tag == "row" and not _is_layout(child):
        cells = [one_line(_inline_text(cell)) for cell in child if cell.tag == "cell"]
        yield Block(0, ", ".join(cell for cell in cells if cell))
    else:
        yield from _walk(child)


def _is_layout(row: etree._Element) -> bool:
    """A table row used for page layout: a cell holds :data:`LAYOUT_PARAGRAPHS` or more
    paragraphs of prose. Its cells are read as blocks (each paragraph once), not joined into
    one line of data."""
    return any(
        sum(
            isinstance(inner.tag, str)
            and inner.tag in _BLOCK_TAGS
            and word_count(_inline_text(inner)) >= GOOD_WORDS
            for inner in cell
        )
        >= LAYOUT_PARAGRAPHS
        for cell in row
    )


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
    lines = [one_line(line) for line in text.split("\n")]
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
    wanted = compact(title or "")
    seen_text = False
    for block in blocks:
        headline = block.level == 1 and not seen_text
        if block.level and (headline or compact(block.text) == wanted):
            continue
        seen_text = seen_text or block.level == 0
        kept.append(block)
    return kept


# --- Debris -------------------------------------------------------------------------------------


def apply_debris(blocks: Sequence[Block], rules: DebrisRules) -> list[Block]:
    """``blocks`` less those the debris rules drop; an end marker ends the article.

    The blocks go through the debris engine as paragraphs
    (:data:`~article_audio.text.debris.PARAGRAPHS`): an end marker ("Related stories",
    "About the author") ends the article unless it goes on after it; then only the marker
    and the link titles right after it are dropped, an inline "Don't miss" box.
    """
    units = article_units([block.text for block in blocks], rules, PARAGRAPHS)
    return [
        Block(blocks[unit.index].level, unit.text) for unit in units if _LETTER.search(unit.text)
    ]
