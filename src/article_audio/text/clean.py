"""Clean stage: a decoded :class:`~article_audio.text.read.Source` becomes an :class:`Article`.

Two readers share one set of page-debris rules (``data/debris.toml`` plus user files) and the
one debris engine of :mod:`article_audio.text.debris`:

* ``text`` — a scraped page (browser "select all", a text dump of the HTML). Hard-wrapped
  paragraphs are joined back (:mod:`~article_audio.text.wrapping`), debris lines are dropped,
  the title, byline and dates are found around the top of the article
  (:mod:`~article_audio.text.headers`), and the body is the densest run of long,
  sentence-like lines (:mod:`~article_audio.text.body`).
* ``markdown`` — see :mod:`article_audio.text.markdown`.

An article in a language other than English is refused (:mod:`~article_audio.text.language`).
"""

from __future__ import annotations

from article_audio.errors import InputError
from article_audio.text.article import Article, Section
from article_audio.text.body import body_paragraphs
from article_audio.text.debris import (
    PAGE_LINES,
    DebrisRules,
    end_cut,
    load_debris,
    mark_boxes,
    only_debris,
    scan,
)
from article_audio.text.debris_model import filter_article, page_lines
from article_audio.text.headers import find_head, make_article
from article_audio.text.language import refuse_foreign
from article_audio.text.lines import normalize
from article_audio.text.markdown import clean_markdown
from article_audio.text.read import Source
from article_audio.text.wrapping import unwrap

__all__ = ["DebrisRules", "clean", "clean_page", "load_debris"]


def clean(source: Source, debris: DebrisRules | None = None) -> Article:
    """The article in ``source``: title, byline, dates and body sections, debris removed.

    ``source.format`` picks the reader ("text": a scraped page; "markdown"). Raises
    :class:`InputError` when nothing speakable is left, or when the article is mostly in a
    language other than English.
    """
    rules = debris if debris is not None else load_debris()
    read = clean_markdown if source.format == "markdown" else clean_page
    try:
        article = read(source, rules)
    except InputError:
        refuse_foreign(source.name, source.text)  # no article found: is it in another language?
        raise
    article = filter_article(article, page_lines(source.text), rules.model)
    refuse_foreign(source.name, "\n".join(article.paragraphs))
    return article


def clean_page(source: Source, rules: DebrisRules) -> Article:
    """The article in the scraped page ``source`` (format "text"), whatever its language."""
    units = scan(unwrap([normalize(line) for line in source.text.split("\n")]), rules)
    head, fallback = find_head(units, source.text)
    anchor = min(head.used, default=0)
    units = units[: end_cut(units, anchor, PAGE_LINES)]
    mark_boxes(units, anchor, head.used)
    paragraphs = body_paragraphs(units, head.used)
    title = head.title
    if not paragraphs and fallback and title is not None and len(units) == 1:
        paragraphs, title = [title], None
    if not paragraphs:
        raise only_debris(source.name)
    return make_article(source, title, (Section(None, tuple(paragraphs)),), head)
