"""Extraction benchmark: word-level precision, recall and F1 of article text against ground truth.

    python benchmarks/extraction.py CORPUS_DIR [--worst N]

CORPUS_DIR is a copy of the Scrapinghub article-extraction-benchmark laid out as
``html/<id>.html``, ``ground-truth.json`` and ``reference-outputs/html-text.json`` (the
page's whole visible text). Four systems are scored on the same pages:

* ours, HTML: the body article-audio would speak for the saved page (headings and
  paragraphs; the spoken intro of title and byline is not part of it),
* trafilatura's defaults run raw (``trafilatura.extract(html)``),
* ours, plain text: the clean stage on the page's html-text scrape,
* the html-text scrape uncleaned.

The metric is the benchmark's own (its ``evaluate.py``): tokens are ``\\w+`` matches; per page
the multisets of 4-gram shingles of truth and prediction give tp, fp and fn; precision and
recall are averaged over pages and F1 is computed from the two averages.
"""

from __future__ import annotations

import argparse
import json
import re
import time
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

import trafilatura

from article_audio.errors import InputError
from article_audio.text.article import Article
from article_audio.text.clean import clean
from article_audio.text.extract import extract_article
from article_audio.text.read import Source, read_source

_TOKEN = re.compile(r"\w+")
SHINGLE = 4


@dataclass(frozen=True)
class PageScore:
    """One page's precision and recall (``None``: undefined, left out of the mean)."""

    page: str
    precision: float | None
    recall: float | None

    @property
    def f1(self) -> float:
        p, r = self.precision or 0.0, self.recall or 0.0
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass(frozen=True)
class Score:
    """A system's scores over the corpus: mean precision and recall, F1 of the means."""

    name: str
    pages: tuple[PageScore, ...]
    seconds: float

    def mean(self, attribute: str) -> float:
        values = [getattr(p, attribute) for p in self.pages if getattr(p, attribute) is not None]
        return sum(values) / len(values) if values else 0.0

    @property
    def f1(self) -> float:
        p, r = self.mean("precision"), self.mean("recall")
        return 2 * p * r / (p + r) if p + r else 0.0


def shingles(text: str) -> Counter[tuple[str, ...]]:
    """The multiset of 4-gram shingles of ``text``'s ``\\w+`` tokens (one short one if fewer)."""
    tokens = _TOKEN.findall(text or "")
    return Counter(
        tuple(tokens[i : i + SHINGLE]) for i in range(max(1, len(tokens) - SHINGLE + 1)) if tokens
    )


def page_score(page: str, truth: str, prediction: str) -> PageScore:
    """Precision and recall of ``prediction`` against ``truth`` (the benchmark's rules)."""
    true, pred = shingles(truth), shingles(prediction)
    tp = sum((true & pred).values())
    fp = sum((pred - true).values())
    fn = sum((true - pred).values())
    if fp == fn == 0:
        return PageScore(page, 1.0, 1.0)
    precision = tp / (tp + fp) if tp + fp else None
    recall = tp / (tp + fn) if tp + fn else None
    return PageScore(page, precision, recall)


def article_body(article: Article) -> str:
    """What is read of ``article`` after the intro: section headings and paragraphs."""
    parts: list[str] = []
    for section in article.sections:
        if section.heading:
            parts.append(section.heading)
        parts.extend(section.paragraphs)
    return "\n\n".join(parts)


def ours_html(path: Path) -> str:
    """The body article-audio extracts from the saved page at ``path``."""
    try:
        return article_body(extract_article(read_source(path, "html")))
    except InputError:
        return ""


def trafilatura_raw(path: Path) -> str:
    """trafilatura's own text for the page, with its default options."""
    return trafilatura.extract(path.read_text(encoding="utf-8")) or ""


def ours_text(scrape: str, page: str) -> str:
    """The body the plain-text clean stage keeps of a whole-page text scrape."""
    try:
        return article_body(clean(Source(scrape, "text", page)))
    except InputError:
        return ""


def score(
    name: str, truth: Mapping[str, str], predict: Callable[[str], str]
) -> tuple[Score, dict[str, str]]:
    """``predict``'s scores over every page in ``truth``, and its predictions."""
    started = time.perf_counter()
    predictions = {page: predict(page) for page in truth}
    seconds = time.perf_counter() - started
    pages = tuple(page_score(page, truth[page], predictions[page]) for page in truth)
    return Score(name, pages, seconds), predictions


def load(corpus: Path) -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    """(ground truth, html-text scrapes, domains) by page id."""
    truth = json.loads((corpus / "ground-truth.json").read_text(encoding="utf-8"))
    scrapes = json.loads(
        (corpus / "reference-outputs" / "html-text.json").read_text(encoding="utf-8")
    )
    scrapes = scrapes.get("output", scrapes)
    domains: dict[str, str] = {}
    manifest = corpus / "manifest.tsv"
    if manifest.exists():
        for line in manifest.read_text(encoding="utf-8").splitlines()[1:]:
            fields = line.split("\t")
            domains[fields[0]] = fields[1]
    bodies = {page: entry.get("articleBody") or "" for page, entry in truth.items()}
    texts = {page: (scrapes.get(page) or {}).get("articleBody") or "" for page in truth}
    return bodies, texts, domains


def print_table(scores: list[Score]) -> None:
    """The systems side by side."""
    print(f"{'system':<34} {'F1':>6} {'P':>6} {'R':>6} {'seconds':>8}")
    for item in scores:
        print(
            f"{item.name:<34} {item.f1:6.3f} {item.mean('precision'):6.3f} "
            f"{item.mean('recall'):6.3f} {item.seconds:8.1f}"
        )


def print_worst(item: Score, domains: Mapping[str, str], count: int) -> None:
    """The ``count`` pages where ``item`` scores lowest."""
    print(f"\nworst pages, {item.name}:")
    for page in sorted(item.pages, key=lambda p: p.f1)[:count]:
        p = "  -  " if page.precision is None else f"{page.precision:.3f}"
        r = "  -  " if page.recall is None else f"{page.recall:.3f}"
        print(f"  F1 {page.f1:.3f}  P {p}  R {r}  {domains.get(page.page, '')}  {page.page[:12]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path, help="the benchmark folder (html/, ground-truth.json)")
    parser.add_argument("--worst", type=int, default=5, help="worst pages listed per system")
    args = parser.parse_args()
    corpus: Path = args.corpus
    if not (corpus / "ground-truth.json").exists():
        parser.error(f"{corpus}: no ground-truth.json (expected the benchmark's folder)")
    truth, scrapes, domains = load(corpus)
    html = {page: corpus / "html" / f"{page}.html" for page in truth}
    runs = [
        score("article-audio, HTML page", truth, lambda page: ours_html(html[page])),
        score("trafilatura defaults, HTML page", truth, lambda page: trafilatura_raw(html[page])),
        score("article-audio, text scrape", truth, lambda page: ours_text(scrapes[page], page)),
        score("text scrape uncleaned", truth, lambda page: scrapes[page]),
    ]
    print(f"{len(truth)} pages, {corpus}\n")
    print_table([item for item, _ in runs])
    for item, _ in (runs[0], runs[2]):
        print_worst(item, domains, args.worst)


if __name__ == "__main__":
    main()
