"""Fit the debris model (``src/article_audio/text/data/debris_model.json``) on the corpus.

    python benchmarks/train_debris.py CORPUS --scrapes DIR [--write]

The model scores the units of the article candidate each input gives with the model off
(whole-page text scrapes, Chromium innerText scrapes, saved HTML pages of the 60-page
Scrapinghub sample). A unit is labelled article text when most of its word 4-grams are in the
page's ground truth (a unit of fewer than four words: when its words occur in a row there).
The fit is a logistic regression with an L2 penalty, solved by Newton's method in numpy —
deterministic, no pickle: the coefficients are written as JSON. Units are weighted by the
square root of their words, so long paragraphs count more, as they do for the listener.

The two thresholds (drop below ``threshold``; between two kept units, below ``between``) are
chosen on leave-one-site-out chances (each page's units scored by a model fitted on the other
59 sites) as the pair that drops the most debris words while dropping at most
:data:`MAX_BODY_LOSS` of body words. ``--write`` stores the model fitted on all 60 pages.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from article_audio.errors import InputError
from article_audio.text.article import Article
from article_audio.text.clean import clean
from article_audio.text.debris import DebrisRules, load_debris
from article_audio.text.debris_model import (
    FEATURES,
    Context,
    DebrisModel,
    article_texts,
    page_lines,
    smooth,
    unit_features,
)
from article_audio.text.extract import drop_cards, extract_article, parse_html
from article_audio.text.read import Source
from article_audio.text.recover import page_text

_TOKEN = re.compile(r"\w+")
#: The largest share of body words the thresholds may drop (leave-one-site-out).
MAX_BODY_LOSS = 0.002
L2 = 1.0
#: Thresholds tried. Short body sentences ("He smiled.", a one-line last paragraph) score
#: 0.3-0.6, rarer in the corpus's candidates than on a listener's page: the grid stops well
#: below them.
THRESHOLDS = (0.02, 0.03, 0.05, 0.08)
BETWEEN = (0.005, 0.01, 0.02, 0.03, 0.05, 0.08, 0.1)
MODEL_FILE = (
    Path(__file__).resolve().parents[1]
    / "src"
    / "article_audio"
    / "text"
    / "data"
    / "debris_model.json"
)


@dataclass(frozen=True)
class Page:
    """One input's article candidate as feature rows, with labels and weights."""

    page: str
    kind: str
    rows: np.ndarray
    labels: np.ndarray
    words: np.ndarray


def candidate(
    kind: str, text: str, name: str, rules: DebrisRules
) -> tuple[Article | None, list[str]]:
    """The article the pipeline gives with the model off, and the page's lines."""
    off = replace(rules, model=None)
    if kind == "html":
        tree = parse_html(text)
        drop_cards(tree)
        lines = page_text(tree).split("\n")
        source = Source(text, "html", name)
    else:
        lines = page_lines(text)
        source = Source(text, "text", name)
    try:
        return (extract_article(source, off) if kind == "html" else clean(source, off)), lines
    except InputError:
        return None, lines


def labels_for(texts: list[str], truth: str) -> list[bool]:
    """Whether each unit is article text by the ground truth ``truth``."""
    tokens = _TOKEN.findall(truth)
    grams = {
        n: {tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1)} for n in (1, 2, 3, 4)
    }
    labels = []
    for text in texts:
        words = _TOKEN.findall(text)
        if not words:
            labels.append(False)
        elif len(words) < 4:
            labels.append(tuple(words) in grams[len(words)])
        else:
            found = [tuple(words[i : i + 4]) in grams[4] for i in range(len(words) - 3)]
            labels.append(sum(found) >= 0.5 * len(found))
    return labels


def page_rows(kind: str, page: str, text: str, truth: str, rules: DebrisRules) -> Page | None:
    article, lines = candidate(kind, text, f"{page}.{kind}", rules)
    if article is None:
        return None
    texts, headings = article_texts(article)
    rows = unit_features(texts, Context(article.title, tuple(lines), headings))
    words = [len(_TOKEN.findall(t)) for t in texts]
    return Page(
        page, kind, np.array(rows, dtype=float), np.array(labels_for(texts, truth)), np.array(words)
    )


def collect(data: object, rules: DebrisRules) -> list[Page]:
    """Feature rows of every page and input kind of the dataset ``data`` (see extraction.py)."""
    pages: list[Page] = []
    for kind in ("text", "innertext", "html"):
        texts = _inputs(data, kind)
        for page in sorted(texts or {}):
            found = page_rows(kind, page, texts[page], data.truth[page], rules)  # type: ignore[attr-defined]
            if found is not None and len(found.rows):
                pages.append(found)
    return pages


def _inputs(data: object, kind: str) -> dict[str, str] | None:
    if kind == "html":
        return {
            p: path.read_text(encoding="utf-8", errors="replace") for p, path in data.html.items()
        }  # type: ignore[attr-defined]
    return data.scrapes.get(kind)  # type: ignore[attr-defined]


def fit(pages: list[Page], threshold: float = 0.2, between: float = 0.05) -> DebrisModel:
    """The L2 logistic regression of body labels on features, by Newton's method."""
    x = np.vstack([p.rows for p in pages])
    y = np.concatenate([p.labels for p in pages]).astype(float)
    w = np.sqrt(np.concatenate([p.words for p in pages]).astype(float) + 1.0)
    means = x.mean(axis=0)
    scales = x.std(axis=0)
    scales[scales == 0] = 1.0
    z = np.hstack([np.ones((len(x), 1)), (x - means) / scales])
    beta = np.zeros(z.shape[1])
    penalty = np.full(z.shape[1], L2)
    penalty[0] = 0.0
    for _ in range(50):
        p = 1.0 / (1.0 + np.exp(-np.clip(z @ beta, -30, 30)))
        gradient = z.T @ (w * (p - y)) + penalty * beta
        hessian = (z * (w * p * (1 - p))[:, None]).T @ z + np.diag(penalty)
        step = np.linalg.solve(hessian, gradient)
        beta -= step
        if np.abs(step).max() < 1e-8:
            break
    return DebrisModel(
        weights=tuple(round(float(b), 6) for b in beta[1:]),
        bias=round(float(beta[0]), 6),
        means=tuple(round(float(m), 6) for m in means),
        scales=tuple(round(float(s), 6) for s in scales),
        threshold=threshold,
        between=between,
    )


def loso_chances(pages: list[Page]) -> dict[str, np.ndarray]:
    """Each page's unit chances by a model fitted on the other sites (one page per site)."""
    names = sorted({p.page for p in pages})
    chances: dict[str, np.ndarray] = {}
    for name in names:
        model = fit([p for p in pages if p.page != name])
        for item in pages:
            if item.page == name:
                chances[f"{item.kind}:{name}"] = np.array(model.body_chances(item.rows.tolist()))
    return chances


def choose_thresholds(pages: list[Page], chances: dict[str, np.ndarray]) -> tuple[float, float]:
    """The (threshold, between) pair dropping the most debris words within the body-loss cap."""
    best = (0.0, 0.0, 0.0)
    body_words = sum(float((p.words * p.labels).sum()) for p in pages)
    for threshold in THRESHOLDS:
        for between in (b for b in BETWEEN if b <= threshold):
            lost = gained = 0.0
            for item in pages:
                keep = np.array(
                    smooth(chances[f"{item.kind}:{item.page}"].tolist(), threshold, between)
                )
                lost += float((item.words * item.labels * ~keep).sum())
                gained += float((item.words * ~item.labels * ~keep).sum())
            if lost <= MAX_BODY_LOSS * body_words and gained > best[0]:
                best = (gained, threshold, between)
    return best[1], best[2]


def loso_models(data: object, rules: DebrisRules) -> dict[str, DebrisModel]:
    """For each page of ``data``, the model fitted on the other pages' sites, with the shipped
    model's thresholds."""
    pages = collect(data, rules)
    shipped = rules.model
    assert shipped is not None
    return {
        name: fit([p for p in pages if p.page != name], shipped.threshold, shipped.between)
        for name in sorted({p.page for p in pages})
    }


def main() -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import extraction

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--scrapes", type=Path)
    parser.add_argument("--write", action="store_true", help="store the model fitted on all pages")
    args = parser.parse_args()
    folder = args.corpus
    if not (folder / "ground-truth.json").exists():
        folder = folder / extraction.FITTED
    data = extraction.load_dataset(folder, args.scrapes)
    pages = collect(data, load_debris())
    chances = loso_chances(pages)
    threshold, between = choose_thresholds(pages, chances)
    model = fit(pages, threshold, between)
    units = sum(len(p.rows) for p in pages)
    body = sum(int(p.labels.sum()) for p in pages)
    print(
        f"{len(pages)} inputs, {units} units ({body} body); "
        f"threshold {threshold}, between {between}"
    )
    for name, weight in sorted(zip(FEATURES, model.weights, strict=True), key=lambda x: -abs(x[1])):
        print(f"  {name:<20} {weight:+.3f}")
    if args.write:
        MODEL_FILE.write_text(json.dumps(model.to_json(), indent=1) + "\n", encoding="utf-8")
        print(f"written {MODEL_FILE}")


if __name__ == "__main__":
    main()
