"""Extraction benchmark: precision, recall and F1 of the article text we speak against ground
truth, in-sample and on sites left out of the debris model's fit.

    python benchmarks/extraction.py CORPUS [--scrapes DIR] [--worst N] [--debris N] [--baselines]

CORPUS is the corpus folder holding the datasets (or one dataset folder), each laid out as
``html/<id>.html``, ``ground-truth.json`` and ``manifest.tsv`` (id, domain):

* ``scrapinghub-article-extraction-benchmark``: the 60 pages the debris rules and the debris
  model are fitted on, with ``reference-outputs/html-text.json`` (each page's whole visible
  text, a "text scrape");
* any other dataset (Readability's test pages, WCXB): pages from sites nothing was fitted on,
  an unseen-sites check.

Three kinds of input are scored: the whole-page text scrapes (``html-text``), Chromium
``document.body.innerText`` scrapes of the HTML (made by ``benchmarks/innertext.py`` and cached
in ``--scrapes DIR``; the kind is left out without it) and the saved HTML page. For each, two
figures: in-sample (the shipped model, fitted on all 60 pages) and leave-one-site-out (each of
the 60 pages cleaned with a model fitted on the other 59 sites; see
``benchmarks/train_debris.py``). The rules file was written looking at the 60 pages, so only the
other datasets are truly unseen.

``--debris N`` lists, for each row, the N units read that cost the most precision (not article
text by the ground truth; leave-one-site-out on the 60 pages), with where they sit: before the
ground truth's first unit (``head``: standfirsts, lead captions, teasers), among its units
(``inside``: captions, link titles) or after its last (``tail``: bios, promotions, related
headlines), and the precision lost at each place.

The metric is the Scrapinghub benchmark's own (its ``evaluate.py``): tokens are ``\\w+`` matches;
per page the multisets of 4-gram shingles of truth and prediction give tp, fp and fn; precision
and recall are averaged over pages and F1 is computed from the two averages. What is scored is
the body we read after the spoken intro (headings and paragraphs; not the title and byline,
which no ground truth has).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from article_audio.errors import InputError
from article_audio.text.article import Article
from article_audio.text.clean import clean
from article_audio.text.debris import DebrisRules, load_debris
from article_audio.text.debris_model import DebrisModel, article_texts
from article_audio.text.extract import extract_article
from article_audio.text.read import Source

sys.path.insert(0, str(Path(__file__).resolve().parent))
import innertext
import train_debris

_TOKEN = re.compile(r"\w+")
SHINGLE = 4
#: The dataset the rules and the model are fitted on.
FITTED = "scrapinghub-article-extraction-benchmark"
KINDS = ("text", "innertext", "html")
#: innerText scrapes shorter than this (characters) are left out (see :func:`load_dataset`).
MIN_SCRAPE = 300


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
    """A system's scores over a set of pages: mean precision and recall, F1 of the means."""

    name: str
    pages: tuple[PageScore, ...]
    seconds: float = 0.0

    def mean(self, attribute: str) -> float:
        values = [getattr(p, attribute) for p in self.pages if getattr(p, attribute) is not None]
        return sum(values) / len(values) if values else 0.0

    @property
    def f1(self) -> float:
        p, r = self.mean("precision"), self.mean("recall")
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Dataset:
    """One dataset of the corpus: truth, domains, HTML paths and scrapes by page id."""

    name: str
    truth: dict[str, str]
    domains: dict[str, str]
    html: dict[str, Path]
    scrapes: dict[str, dict[str, str]] = field(default_factory=dict)  # kind -> page -> text


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


def spoken(kind: str, text: str, page: str, rules: DebrisRules) -> Article | None:
    """The article article-audio reads for ``text`` (a scrape, or the page's HTML)."""
    source = Source(text, "html" if kind == "html" else "text", f"{page}.{kind}")
    try:
        return extract_article(source, rules) if kind == "html" else clean(source, rules)
    except InputError:
        return None


def ours(kind: str, text: str, page: str, rules: DebrisRules) -> str:
    """The body article-audio speaks for ``text`` (a scrape, or the page's HTML)."""
    article = spoken(kind, text, page, rules)
    return "" if article is None else article_body(article)


def score(name: str, truth: Mapping[str, str], predict: Callable[[str], str]) -> Score:
    """``predict``'s scores over every page in ``truth``."""
    started = time.perf_counter()
    predictions = {page: predict(page) for page in truth}
    seconds = time.perf_counter() - started
    return Score(name, tuple(page_score(p, truth[p], predictions[p]) for p in truth), seconds)


# --- Loading ----------------------------------------------------------------------------------


def load_dataset(folder: Path, scrapes: Path | None) -> Dataset:
    """The dataset in ``folder``, with its html-text and cached innerText scrapes."""
    entries = json.loads((folder / "ground-truth.json").read_text(encoding="utf-8"))
    truth = {page: entry.get("articleBody") or "" for page, entry in entries.items()}
    domains: dict[str, str] = {}
    manifest = folder / "manifest.tsv"
    if manifest.exists():
        for line in manifest.read_text(encoding="utf-8").splitlines()[1:]:
            fields = line.split("\t")
            domains[fields[0]] = fields[1]
    data = Dataset(
        folder.name, truth, domains, {page: folder / "html" / f"{page}.html" for page in truth}
    )
    reference = folder / "reference-outputs" / "html-text.json"
    if reference.exists():
        raw = json.loads(reference.read_text(encoding="utf-8"))
        raw = raw.get("output", raw)
        data.scrapes["text"] = {p: (raw.get(p) or {}).get("articleBody") or "" for p in truth}
    if scrapes is not None:
        innertext.scrape_all(folder, scrapes, "/usr/bin/chromium")
        texts = {p: scrapes / folder.name / f"{p}.txt" for p in truth}
        read = {p: path.read_text(encoding="utf-8") for p, path in texts.items() if path.exists()}
        # A page whose scripts must run before it shows its text (an "anti-flicker" style
        # hiding the body) scrapes empty offline: nothing there to clean, so it is not scored.
        data.scrapes["innertext"] = {p: text for p, text in read.items() if len(text) >= MIN_SCRAPE}
    return data


def inputs(data: Dataset, kind: str) -> dict[str, str] | None:
    """The input text of each page for ``kind`` (None: the dataset has no such input)."""
    if kind == "html":
        return {
            p: path.read_text(encoding="utf-8", errors="replace") for p, path in data.html.items()
        }
    return data.scrapes.get(kind)


# --- Report -----------------------------------------------------------------------------------


def print_header() -> None:
    print(
        f"{'pages':<24} {'input':<10} {'system':<26} {'F1':>6} {'P':>6} {'R':>6}"
        f" | {'LOSO F1':>7} {'P':>6} {'R':>6} {'s':>6}"
    )


def print_row(pages: str, kind: str, name: str, item: Score, loso: Score | None = None) -> None:
    seen = f"{item.f1:6.3f} {item.mean('precision'):6.3f} {item.mean('recall'):6.3f}"
    unseen = (
        f"{loso.f1:7.3f} {loso.mean('precision'):6.3f} {loso.mean('recall'):6.3f}"
        if loso is not None
        else f"{'':>7} {'':>6} {'':>6}"
    )
    print(f"{pages:<24} {kind:<10} {name:<26} {seen} | {unseen} {item.seconds:6.1f}", flush=True)


def print_worst(title: str, item: Score, domains: Mapping[str, str], count: int) -> None:
    """The ``count`` pages where ``item`` scores lowest."""
    if count <= 0:
        return
    print(f"\nworst pages, {title}:")
    for page in sorted(item.pages, key=lambda p: p.f1)[:count]:
        p = "  -  " if page.precision is None else f"{page.precision:.3f}"
        r = "  -  " if page.recall is None else f"{page.recall:.3f}"
        print(f"  F1 {page.f1:.3f}  P {p}  R {r}  {domains.get(page.page, '')}  {page.page[:12]}")


def print_debris(title: str, debris: list[tuple[float, str, str, str]], count: int) -> None:
    """The ``count`` false positives that cost the most precision, by where they are."""
    if count <= 0:
        return
    shares = {where: sum(d[0] for d in debris if d[1] == where) for where in WHERE}
    print(f"\nspoken, not in the ground truth, {title} (precision lost by place: ", end="")
    print(", ".join(f"{where} {share:.4f}" for where, share in shares.items()) + "):")
    for share, where, domain, text in sorted(debris, reverse=True)[:count]:
        print(f"  {share:.4f} {where:<6} {domain[:22]:<22} {text[:100]!r}")


#: Where a false positive is: before the first unit of the ground truth, between its units,
#: after its last.
WHERE = ("head", "inside", "tail")


def false_positives(
    kind: str,
    data: Dataset,
    texts: Mapping[str, str],
    rules: DebrisRules,
    models: Mapping[str, DebrisModel],
) -> list[tuple[float, str, str, str]]:
    """Each unit we read that is not article text by the ground truth (see
    ``train_debris.labels_for``): its share of the page's words over the pages, where it is,
    the page's domain and the unit."""
    found: list[tuple[float, str, str, str]] = []
    for page, text in texts.items():
        article = spoken(kind, text, page, replace(rules, model=models.get(page, rules.model)))
        if article is None:
            continue
        units, _ = article_texts(article)
        labels = train_debris.labels_for(units, data.truth[page])
        words = [len(_TOKEN.findall(unit)) for unit in units]
        body = [index for index, label in enumerate(labels) if label]
        if not body or not sum(words):
            continue
        for index, (unit, label) in enumerate(zip(units, labels, strict=True)):
            if not label:
                where = WHERE[0] if index < body[0] else WHERE[2] if index > body[-1] else WHERE[1]
                share = words[index] / sum(words) / len(texts)
                found.append((share, where, data.domains.get(page, ""), unit))
    return found


def run(args: argparse.Namespace) -> None:
    folders = innertext.datasets(args.corpus)
    if not folders:
        raise SystemExit(f"{args.corpus}: no dataset (a folder with ground-truth.json)")
    rules = load_debris()
    loaded = [load_dataset(folder, args.scrapes) for folder in folders]
    fitted = [data for data in loaded if data.name == FITTED]
    models = train_debris.loso_models(fitted[0], rules) if fitted and rules.model else {}
    print_header()
    worst: list[tuple[str, Score, dict[str, str]]] = []
    debris: list[tuple[str, list[tuple[float, str, str, str]]]] = []
    for data in loaded:
        name = data.name[:18]
        for kind in KINDS:
            texts = inputs(data, kind)
            if texts is None:
                continue
            truth = {p: data.truth[p] for p in texts}
            item = score("article-audio", truth, _runner(kind, texts, rules, {}))
            loso = score("loso", truth, _runner(kind, texts, rules, models))
            loso = loso if models and data.name == FITTED else None
            print_row(f"{name} ({len(texts)})", kind, "article-audio", item, loso)
            worst.append((f"{data.name[:18]}, {kind}", loso or item, data.domains))
            if args.debris:
                found = false_positives(kind, data, texts, rules, models)
                debris.append((f"{data.name[:18]}, {kind}", found))
            if args.baselines:
                print_row(f"{name} ({len(texts)})", kind, *_baseline(kind, truth, texts))
    for title, item, domains in worst:
        print_worst(title, item, domains, args.worst)
    for title, found in debris:
        print_debris(title, found, args.debris)


def _runner(
    kind: str, texts: Mapping[str, str], rules: DebrisRules, models: Mapping[str, DebrisModel]
) -> Callable[[str], str]:
    """Our body for a page of ``texts``; with ``models``, each page's leave-one-site-out
    model (pages without one, from unfitted datasets, are left out by the caller)."""

    def run(page: str) -> str:
        return ours(kind, texts[page], page, replace(rules, model=models.get(page, rules.model)))

    return run


def _baseline(kind: str, truth: Mapping[str, str], texts: Mapping[str, str]) -> tuple[str, Score]:
    """trafilatura's defaults for the HTML, the uncleaned scrape for a scrape."""
    if kind != "html":
        return "scrape uncleaned", score("raw", truth, lambda p: texts[p])
    import trafilatura

    return "trafilatura defaults", score(
        "trafilatura", truth, lambda p: trafilatura.extract(texts[p]) or ""
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path, help="the corpus folder (or one dataset folder)")
    parser.add_argument(
        "--scrapes", type=Path, help="cache folder of innerText scrapes (made when missing)"
    )
    parser.add_argument("--worst", type=int, default=0, help="worst pages listed per row")
    parser.add_argument(
        "--debris", type=int, default=0, help="costliest units read but not in the truth, per row"
    )
    parser.add_argument(
        "--baselines", action="store_true", help="also trafilatura alone and uncleaned scrapes"
    )
    run(parser.parse_args())


if __name__ == "__main__":
    main()
