"""The debris model: page furniture recognised by what it is, not by one site's words.

Each unit of an article candidate (a scraped line, an extracted paragraph) is scored on
features in the spirit of jusText and boilerpipe — its length, stopword density, sentence
shape and final punctuation, capitalisation, imperative calls to action, link-like text and
handles, prices and subscription words, credits, repetition on the page, its place relative to
the densest run of body text, and how much of its vocabulary it shares with the title and the
body around it. A logistic regression (weights in ``data/debris_model.json``, fitted by
``benchmarks/train_debris.py`` on the Scrapinghub sample, leave-one-site-out) turns them into
the chance the unit belongs to the article; the decision is smoothed between neighbours: a unit
between two body units is kept unless it is clearly not body.

Recall is the promise: the thresholds are set so that body text is kept when in doubt.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from importlib import resources

from article_audio.text.article import Article, Section
from article_audio.text.debris_bio import bio_start
from article_audio.text.lines import (
    WORD,
    compact,
    densest_span,
    is_good,
    is_sentence,
    normalize,
    word_count,
)

_STOPWORDS = frozenset(
    [
        "a",
        "about",
        "above",
        "after",
        "again",
        "against",
        "all",
        "am",
        "an",
        "and",
        "any",
        "are",
        "as",
        "at",
        "be",
        "because",
        "been",
        "before",
        "being",
        "below",
        "between",
        "both",
        "but",
        "by",
        "can",
        "could",
        "did",
        "do",
        "does",
        "doing",
        "down",
        "during",
        "each",
        "few",
        "for",
        "from",
        "further",
        "had",
        "has",
        "have",
        "having",
        "he",
        "her",
        "here",
        "hers",
        "herself",
        "him",
        "himself",
        "his",
        "how",
        "i",
        "if",
        "in",
        "into",
        "is",
        "it",
        "its",
        "itself",
        "just",
        "me",
        "more",
        "most",
        "my",
        "myself",
        "no",
        "nor",
        "not",
        "now",
        "of",
        "off",
        "on",
        "once",
        "only",
        "or",
        "other",
        "our",
        "ours",
        "ourselves",
        "out",
        "over",
        "own",
        "same",
        "she",
        "should",
        "so",
        "some",
        "such",
        "than",
        "that",
        "the",
        "their",
        "theirs",
        "them",
        "themselves",
        "then",
        "there",
        "these",
        "they",
        "this",
        "those",
        "through",
        "to",
        "too",
        "under",
        "until",
        "up",
        "very",
        "was",
        "we",
        "were",
        "what",
        "when",
        "where",
        "which",
        "while",
        "who",
        "whom",
        "why",
        "will",
        "with",
        "would",
        "you",
        "your",
        "yours",
        "yourself",
        "said",
        "says",
        "also",
        "would",
        "could",
        "may",
        "might",
        "must",
        "one",
        "two",
        "new",
    ]
)
#: Verbs that open a call to action ("Sign up…", "Follow us…", "Click here…").
_CALLS = frozenset(
    [
        "sign",
        "subscribe",
        "follow",
        "click",
        "tap",
        "read",
        "watch",
        "listen",
        "share",
        "download",
        "join",
        "get",
        "log",
        "register",
        "see",
        "view",
        "continue",
        "scroll",
        "learn",
        "discover",
        "explore",
        "find",
        "try",
        "shop",
        "buy",
        "order",
        "visit",
        "check",
        "download",
        "install",
        "enable",
        "contact",
        "email",
        "send",
        "tell",
        "support",
        "donate",
        "become",
        "start",
        "save",
        "claim",
        "browse",
        "play",
        "skip",
        "accept",
        "manage",
        "like",
        "comment",
        "submit",
        "enter",
    ]
)
#: Words of subscription, advertising, social and site furniture.
_PROMO = re.compile(
    r"(?i)\b(subscri\w*|newsletters?|sign(?:ed)? up|log ?in|sign in|inbox|e-?mail address"
    r"|advertis\w*|sponsor\w*|cookies?|privacy|terms of (?:use|service)|copyright|rights reserved"
    r"|unsubscribe|premium|free trial|membership|paywall|podcasts?|download|app store|google play"
    r"|facebook|twitter|instagram|linkedin|youtube|tiktok|whatsapp|pinterest|reddit|telegram"
    r"|follow (?:us|me|him|her)|share (?:this|on)|comments?|related|recommended|trending"
    r"|most (?:read|popular|viewed)|read (?:more|next)|click here|tap here|listen live|watch live"
    r"|stream\w*|notifications?|alerts?|deals?|coupons?|discount|offer)\b"
)
_PRICE = re.compile(
    r"[$£€¥]\s?\d|\b\d+(?:\.\d\d)?\s?(?:USD|EUR|GBP)\b|(?i:\bper (?:month|year|week)\b)"
)
_CREDIT = re.compile(
    r"(?i)\b(photo(?:graph)?s?|image|picture|credit|getty|shutterstock|istock|ap photo|afp"
    r"|reuters|epa|alamy|courtesy|illustration|file photo|caption)\b"
)
_LINKISH = re.compile(
    r"(?i)https?://|www\.|\.(?:com|org|net|co\.uk|io)\b|(?<!\w)[@#]\w+|\S+@\S+\.\w+"
)
_QUOTES = re.compile(r"[\"“”]")
_SENTENCE_BREAK = re.compile(r"[.!?][\"'”’)]*\s+[\"'“‘(]?[A-Z]")
_FINAL = re.compile(r"[.!?][\"'”’»)\]]*$")
_YOU = frozenset({"you", "your", "yours", "you're", "you'll", "we", "our", "us"})
_STARTS_WITH_PAREN = re.compile(r"^[(\[]")
_ENDS_WITH_PAREN = re.compile(r"[)\]]\.?$")

FEATURES = (
    "words",
    "final_stop",
    "final_colon",
    "no_final",
    "stopwords",
    "capitalised",
    "upper",
    "digits",
    "mean_word_length",
    "sentences",
    "quotes",
    "link_like",
    "call_to_action",
    "promo",
    "price",
    "credit",
    "parenthesised",
    "you_we",
    "repeated",
    "position",
    "in_densest",
    "distance_to_body",
    "body_vocabulary",
    "title_vocabulary",
    "heading",
    "previous_good",
    "next_good",
    "good",
)


@dataclass(frozen=True)
class Context:
    """What a unit is scored against: the article title, the page's texts (for repetition) and
    which units are headings."""

    title: str = ""
    page: tuple[str, ...] = ()
    headings: frozenset[int] = frozenset()


@dataclass(frozen=True)
class DebrisModel:
    """A logistic regression over :data:`FEATURES` (standardised by ``means`` and ``scales``)
    giving the chance a unit is article text; a unit is dropped below ``threshold``, or below
    ``between`` when the units on both sides of it are kept."""

    weights: tuple[float, ...]
    bias: float
    means: tuple[float, ...]
    scales: tuple[float, ...]
    threshold: float = 0.2
    between: float = 0.05

    def body_chances(self, rows: Sequence[Sequence[float]]) -> list[float]:
        """The chance each feature row is article text."""
        chances = []
        for row in rows:
            z = self.bias + sum(
                w * (x - m) / s
                for w, x, m, s in zip(self.weights, row, self.means, self.scales, strict=True)
            )
            chances.append(1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z)))))
        return chances

    def keeps(self, texts: Sequence[str], context: Context) -> list[bool]:
        """Which of ``texts`` (one article candidate, in order) are kept as article text."""
        rows = unit_features(texts, context)
        kept = smooth(self.body_chances(rows), self.threshold, self.between)
        return [
            keep or index in context.headings or not _furniture_signal(row)
            for index, (keep, row) in enumerate(zip(kept, rows, strict=True))
        ]

    def to_json(self) -> dict[str, object]:
        return {
            "features": list(FEATURES),
            "weights": list(self.weights),
            "bias": self.bias,
            "means": list(self.means),
            "scales": list(self.scales),
            "threshold": self.threshold,
            "between": self.between,
        }


#: Features of which one at least must show for the model to drop a unit: a plain run of
#: sentences (a paragraph of an unusual kind, a quoted post, code) is never dropped by it.
_SIGNALS = ("no_final", "link_like", "call_to_action", "promo", "price", "credit", "repeated")
_SIGNAL_AT = tuple(FEATURES.index(name) for name in _SIGNALS)


def _furniture_signal(row: Sequence[float]) -> bool:
    """True if ``row`` shows something of page furniture (see :data:`_SIGNALS`)."""
    return any(row[index] > 0 for index in _SIGNAL_AT)


def smooth(chances: Sequence[float], threshold: float, between: float) -> list[bool]:
    """Keep decisions from body chances: below ``threshold`` a unit is dropped, unless both its
    neighbours are kept on their own, when it must fall below ``between``."""
    alone = [chance >= threshold for chance in chances]
    kept = []
    for index, chance in enumerate(chances):
        inside = 0 < index < len(chances) - 1 and alone[index - 1] and alone[index + 1]
        kept.append(chance >= (between if inside else threshold))
    return kept


def model_from_json(data: Mapping[str, object]) -> DebrisModel:
    """The model stored as ``data`` (see :meth:`DebrisModel.to_json`)."""
    names = tuple(str(name) for name in _list(data["features"]))
    if names != FEATURES:
        raise ValueError(f"debris model features {names} are not {FEATURES}")
    return DebrisModel(
        weights=tuple(float(v) for v in _list(data["weights"])),
        bias=float(_number(data["bias"])),
        means=tuple(float(v) for v in _list(data["means"])),
        scales=tuple(float(v) for v in _list(data["scales"])),
        threshold=float(_number(data["threshold"])),
        between=float(_number(data["between"])),
    )


def _list(value: object) -> list[float | str]:
    if not isinstance(value, list):
        raise ValueError("debris model: expected a list")
    return value


def _number(value: object) -> float:
    if not isinstance(value, (int, float)):
        raise ValueError("debris model: expected a number")
    return float(value)


@lru_cache(maxsize=1)
def default_model() -> DebrisModel:
    """The shipped model, ``data/debris_model.json``."""
    resource = resources.files("article_audio.text").joinpath("data", "debris_model.json")
    return model_from_json(json.loads(resource.read_text(encoding="utf-8")))


# --- Features -----------------------------------------------------------------------------------


def _content_words(text: str) -> list[str]:
    return [
        w for w in (w.casefold() for w in WORD.findall(text)) if w not in _STOPWORDS and len(w) > 2
    ]


def unit_features(texts: Sequence[str], context: Context) -> list[list[float]]:
    """One row of :data:`FEATURES` for each of ``texts`` (an article candidate, in order)."""
    good = [is_good(text) for text in texts]
    start, stop = densest_span(
        [float(word_count(t)) if g else -4.0 for t, g in zip(texts, good, strict=True)]
    )
    counts = Counter(compact(text) for text in context.page or texts)
    vocabulary: Counter[str] = Counter()
    words_of = [_content_words(text) for text in texts]
    for index in range(start, stop):
        vocabulary.update(set(words_of[index]))
    title = set(_content_words(context.title))
    good_at = [index for index, flag in enumerate(good) if flag]
    rows = []
    for index, text in enumerate(texts):
        own = set(words_of[index])
        inside = start <= index < stop
        shared = sum(1 for w in own if vocabulary[w] - (1 if inside else 0) > 0)
        distance = min((abs(index - other) for other in good_at), default=10)
        rows.append(
            [
                *_shape(text),
                math.log1p(max(0, counts[compact(text)] - 1)),
                index / max(1, len(texts) - 1),
                float(inside),
                min(distance, 10) / 10,
                shared / len(own) if own else 0.0,
                len(own & title) / len(own) if own else 0.0,
                float(index in context.headings),
                float(index > 0 and good[index - 1]),
                float(index + 1 < len(texts) and good[index + 1]),
                float(good[index]),
            ]
        )
    return rows


def _shape(text: str) -> list[float]:
    """The features of ``text`` on its own: length, punctuation, case, words it uses."""
    words = WORD.findall(text)
    count = max(1, len(words))
    lowered = [w.casefold() for w in words]
    letters = [w for w in words if w[0].isalpha()]
    first = lowered[0] if lowered else ""
    return [
        math.log1p(len(words)),
        float(bool(_FINAL.search(text))),
        float(text.rstrip().endswith(":")),
        float(not is_sentence(text)),
        sum(w in _STOPWORDS for w in lowered) / count,
        sum(w[0].isupper() for w in letters) / max(1, len(letters)),
        sum(len(w) > 1 and w.isupper() for w in letters) / max(1, len(letters)),
        sum(w.isdigit() for w in words) / count,
        sum(len(w) for w in words) / count,
        math.log1p(len(_SENTENCE_BREAK.findall(text))),
        float(bool(_QUOTES.search(text))),
        float(bool(_LINKISH.search(text))),
        float(first in _CALLS),
        min(3, len(_PROMO.findall(text))) / 3,
        float(bool(_PRICE.search(text))),
        min(2, len(_CREDIT.findall(text))) / 2,
        float(bool(_STARTS_WITH_PAREN.search(text) or _ENDS_WITH_PAREN.search(text))),
        sum(w in _YOU for w in lowered) / count,
    ]


def is_promotional(text: str) -> bool:
    """A call to action ("Visit website", "Get a quote"), a price ("$115 at Amazon"), link-like
    text or promotion words ("Free trial"): what a widget's items say, not a list's."""
    words = WORD.findall(text)
    return bool(
        (words and words[0].casefold() in _CALLS)
        or _PRICE.search(text)
        or _LINKISH.search(text)
        or _PROMO.search(text)
        or re.search(r"(?i)\bfree\b", text)
    )


# --- Applying it ----------------------------------------------------------------------------


def page_lines(text: str) -> list[str]:
    """The non-blank lines of a page's text, normalized (what repetition is counted over)."""
    return [line for line in (normalize(raw) for raw in text.split("\n")) if line]


def article_texts(article: Article) -> tuple[list[str], frozenset[int]]:
    """The units of ``article`` in reading order (headings and paragraphs) and which are
    headings."""
    texts: list[str] = []
    headings: set[int] = set()
    for section in article.sections:
        if section.heading:
            headings.add(len(texts))
            texts.append(section.heading)
        texts.extend(section.paragraphs)
    return texts, frozenset(headings)


def filter_article(article: Article, page: Sequence[str], model: DebrisModel | None) -> Article:
    """``article`` less the units ``model`` finds are not article text (``page``: the texts of
    the whole page, for repetition) and less the author's bio at its end (see
    :mod:`~article_audio.text.debris_bio`). An article they would empty is left whole."""
    texts, headings = article_texts(article)
    if model is None:
        keep = [True] * len(texts)
    else:
        keep = model.keeps(texts, Context(article.title, tuple(page), headings))
    bio = bio_start(texts, article.authors)
    keep = [flag and index < bio for index, flag in enumerate(keep)]
    if not any(flag for index, flag in enumerate(keep) if index not in headings):
        return article
    sections: list[Section] = []
    index = 0
    for section in article.sections:
        heading = section.heading
        if heading:
            heading = heading if keep[index] else None
            index += 1
        paragraphs = tuple(p for offset, p in enumerate(section.paragraphs) if keep[index + offset])
        index += len(section.paragraphs)
        if paragraphs:
            sections.append(Section(heading, paragraphs))
    return replace(article, sections=tuple(sections))
