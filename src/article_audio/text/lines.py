"""Features of a unit of text (a scraped line or a paragraph) that the clean and extract stages
share: its words, whether it reads like a sentence, like article text or like a headline, and
the span of units that reads most like an article.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from article_audio.text.debris import DebrisRule

#: A unit with at least this many words that ends like a sentence is article-like ("good").
GOOD_WORDS = 8
#: A unit this long counts as article-like even without final punctuation.
LONG_WORDS = 25
#: A long unit without final punctuation is a menu, not text, when this share of its words
#: are capitalized.
TITLE_CASE_SHARE = 0.6
#: A headline has this many words (inclusive).
HEADLINE_WORDS = (3, 30)
#: Score charged for each short non-sentence unit inside a candidate body.
SHORT_PENALTY = 12.0
#: Score charged for a short unit worded like a sub-heading or a list item (see
#: :func:`is_phrase`): an article's lists and sub-headings do not split its body.
PHRASE_PENALTY = 3.0
#: A phrase has at least this many words.
PHRASE_WORDS = 3
#: An attribution ("— Name (@handle) date") or source credit ("[ Wired ]") has at most this
#: many words.
ATTACHED_MAX_WORDS = 25
#: Short units right above an attribution ("— Name (@handle) date") that are the quoted post.
QUOTE_LINES = 3
#: A list after a lead-in ending in ":", or the links of an inline "DON'T MISS" box, have at
#: most this many items.
LIST_MAX_ITEMS = 12
#: A photo credit line has at most this many words.
CREDIT_MAX_WORDS = 12

WORD = re.compile(r"\w+")
_SPACE = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_INVISIBLE = re.compile(r"[\u200b-\u200d\u2060\ufeff\u00ad]")
_BREAKS = re.compile(r"[\n\r\f\v]")
_SENTENCE_END = re.compile(r"[.!?…:;][\"'”’»)\]]*(?:\[\d+\])*$")
#: Ends with a full stop or an exclamation mark (a headline does not).
FINAL_STOP = re.compile(r"[.!][\"'”’»)\]]*$")
_SENTENCE_STOP = re.compile(r"[.!?…][\"'”’»)\]]*$")
#: An attribution line: a dash, then a name ("— Arvind Kejriwal (@ArvindKejriwal) Nov 1, 2019").
_ATTRIBUTION = re.compile(r"[—―–]\s*[^\W\d_]")
#: A source credit at the end of a line: "[ Wired ]", "… It’s Complicated [ Bloomberg ]".
_CITATION = re.compile(r"\[\s*[^\W\d_][^\[\]]{0,40}\]$")


_CAPITALISED = r"(?:[A-Z][\w'’.]*|&)"
_AGENCY = rf"{_CAPITALISED}(?: {_CAPITALISED}){{0,4}}"
#: The shapes of a photo credit on a line of its own: a credit label ("Photo: …", "Credit…");
#: photographer/agency, a name of two or more capitalised words on the left ("Doug Mills/The
#: New York Times", "(Reed Saxon / Associated Press)"; not "Pick-Up/Drop-Off Catering"); a
#: copyright sign; a credit word in parentheses ("(Getty Images)", "(Courtesy photo)").
_CREDIT_SHAPES = (
    re.compile(
        r"(?i)\(?(?:photo(?:graph)?|image|picture|pic|credit|illustration)s?\s*(?::|\.\.\.|…).*"
    ),
    re.compile(rf"\(?{_CAPITALISED}(?: {_CAPITALISED}){{1,3}} ?/ ?{_AGENCY}\)?"),
    re.compile(r".*©.*"),
    re.compile(r"(?i)\([^()]*\b(?:photo|image|getty|courtesy|file|handout|pool)\b[^()]*\)"),
)


def word_count(text: str) -> int:
    """The number of words (``\\w+`` runs) in ``text``."""
    return len(WORD.findall(text))


def is_sentence(text: str) -> bool:
    """Ends like a sentence (or a lead-in ending in ":" or ";"), footnote marks allowed."""
    return bool(_SENTENCE_END.search(text))


def is_good(text: str) -> bool:
    """Article-like: a sentence of some length, or a long run of words."""
    words: list[str] = WORD.findall(text)
    if len(words) >= GOOD_WORDS and is_sentence(text):
        return True
    if len(words) < LONG_WORDS:
        return False
    capitalized = sum(word[0].isupper() for word in words)
    return capitalized < TITLE_CASE_SHARE * len(words)


def is_headline(text: str) -> bool:
    """A run of a headline's length that does not end like a sentence."""
    low, high = HEADLINE_WORDS
    return low <= word_count(text) <= high and not FINAL_STOP.search(text) and len(text) <= 250


def normalize(line: str) -> str:
    """``line`` without invisible characters, its runs of spaces made one space, trimmed."""
    return _SPACE.sub(" ", _INVISIBLE.sub("", line)).strip()


def one_line(value: str | None) -> str:
    """Text of a page element normalized like a line (:func:`normalize`), its line breaks
    read as spaces."""
    return normalize(_BREAKS.sub(" ", value or ""))


def compact(text: str) -> str:
    """Letters and digits only, case-folded: for comparing names, titles and paragraphs."""
    return re.sub(r"[\W_]+", "", text).casefold()


def is_credit(text: str) -> bool:
    """A photo credit on a line of its own (see :data:`_CREDIT_SHAPES`): short, no sentence."""
    if not 0 < word_count(text) <= CREDIT_MAX_WORDS:
        return False
    label, *shapes = _CREDIT_SHAPES
    if label.fullmatch(text):
        return True
    return not FINAL_STOP.search(text) and any(shape.fullmatch(text) for shape in shapes)


def is_attribution(text: str) -> bool:
    """A dash, then a name: "— Arvind Kejriwal (@ArvindKejriwal) November 1, 2019"."""
    return word_count(text) <= ATTACHED_MAX_WORDS and bool(_ATTRIBUTION.match(text))


def is_attached(text: str) -> bool:
    """An attribution or a source credit that belongs to the paragraph above it.

    "— Jo Smith (@jo) November 18, 2019" under a quoted post, "[ Wired ]" or "Headline of
    the source [ Bloomberg ]" under an excerpt.
    """
    return is_attribution(text) or (
        word_count(text) <= ATTACHED_MAX_WORDS and bool(_CITATION.search(text))
    )


@dataclass(frozen=True)
class Block:
    """A heading (``level`` 1–6) or a paragraph (``level`` 0) of an article."""

    level: int
    text: str


@dataclass
class Unit:
    """A unit of text (a scraped line, a paragraph) that survived the debris rules.

    ``index`` is its position among the units given to the debris engine, ``end`` the
    ``[[end]]`` rule it matches (if any), ``good`` whether it is article-like, ``listed``
    whether it is an item of a list introduced by a unit ending in ":", ``quoted`` whether it
    is a quoted post's line or its attribution ("— Name (@handle) date"), ``boxed`` whether it
    is a link of an inline "DON'T MISS" box, ``credited`` whether a photo credit line comes
    right after it on the page (it is then a caption, when it is not amid the body).
    """

    text: str
    index: int = 0
    end: DebrisRule | None = None
    good: bool = field(init=False)
    words: int = field(init=False)
    listed: bool = field(init=False, default=False)
    quoted: bool = field(init=False, default=False)
    boxed: bool = field(init=False, default=False)
    credited: bool = field(init=False, default=False)

    def __post_init__(self) -> None:
        self.words = word_count(self.text)
        self.good = is_good(self.text)


_NUMBERED = re.compile(r"^(?:\d{1,2}[.)]|[•·*–-])\s")


def is_phrase(text: str) -> bool:
    """Worded like a sub-heading or a list item, not a menu entry or a link title: at least
    :data:`PHRASE_WORDS` words, most of them in lower case, or numbered ("3. Wantable")."""
    words: list[str] = WORD.findall(text)
    if _NUMBERED.match(text):
        return True
    letters = [word for word in words if word[0].isalpha()]
    if len(words) < PHRASE_WORDS or not letters:
        return False
    return sum(word[0].isupper() for word in letters) < TITLE_CASE_SHARE * len(letters)


def unit_score(unit: Unit, phrase_penalty: float = SHORT_PENALTY) -> float:
    """How much ``unit`` counts for its span being the article's body (see
    :func:`densest_span`): its words if it is article-like, a point for a short sentence, a
    penalty for a short line that is not one (``phrase_penalty`` for one worded like a
    sub-heading or a list item)."""
    if unit.listed:
        return 0.0
    if unit.good:
        return float(unit.words)
    if unit.words and _SENTENCE_STOP.search(unit.text):
        return 1.0  # a short sentence ("He died.")
    if is_sentence(unit.text) and unit.words >= 3:
        return 1.0  # a lead-in ending in ":" or ";"
    if is_phrase(unit.text):
        return -phrase_penalty
    return -SHORT_PENALTY


def densest_span(scores: Sequence[float]) -> tuple[int, int]:
    """The contiguous span with the highest total score (maximum subarray)."""
    best, best_span = 0.0, (0, 0)
    start, total = 0, 0.0
    for index, score in enumerate(scores):
        if total <= 0:
            start, total = index, 0.0
        total += score
        if total > best:
            best, best_span = total, (start, index + 1)
    return best_span
