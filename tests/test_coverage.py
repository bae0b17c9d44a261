"""No body sentence is dropped: the narration script covers the ground truth, sentence by sentence.

The criterion is exact: every sentence of the ground truth (split by our own sentence splitter)
must appear in the script, in order — its letters and digits, case-folded, as one unbroken run
of the script's letters and digits (chapter titles and sentence texts, in order). Punctuation
and spacing may differ ("expand ed" in a ground truth, curly quotes), words may not. Codes
the debris rules cut inside a sentence (``[[inline]]``: "US10YT=RR", "(.MIWD00000PUS)") are
not words a listener should hear: they are cut from the ground truth's lines too.

Pages come from tests/data/html (see its README), always, and from the whole benchmark corpus
at ../shared/corpus when it is there (a clone of the repository alone does not have it). Each
page is checked through its saved HTML and through its whole-page text scrape; the example
article through its scrape. What a path is known not to speak is listed exactly, with why, in
:data:`HTML_GAPS` and :data:`TEXT_GAPS`: a fix or a new loss fails the test.
"""

from __future__ import annotations

import json
import re
from bisect import bisect_left
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pytest

from article_audio.apps.render import make_script
from article_audio.config import ScriptOptions
from article_audio.script import NarrationScript
from article_audio.text.debris import load_debris
from article_audio.text.read import Source
from article_audio.text.sentences import split_sentences

from .conftest import EXAMPLE

PAGES = Path(__file__).resolve().parent / "data" / "html"
NAMES = sorted(path.name.removesuffix(".truth.txt") for path in PAGES.glob("*.truth.txt"))
#: Each page's benchmark id, from the README's "  <name>  id <sha256>" lines.
PAGE_IDS = dict(
    re.findall(r"(?m)^ +(\S+) +id ([0-9a-f]{64})$", (PAGES / "README.txt").read_text("utf-8"))
)
CORPUS = (
    Path(__file__).resolve().parents[2]
    / "shared"
    / "corpus"
    / "scrapinghub-article-extraction-benchmark"
)
_NOT_ALNUM = re.compile(r"[\W_]+")


@dataclass(frozen=True)
class Gap:
    """Ground-truth sentences a path does not speak, in order, and why."""

    reason: str
    sentences: tuple[str, ...]


_TIMELINE = Gap(
    "a 'Story Timeline' box of links to related stories",
    (
        "Story Timeline",
        "2020 VW ID.3 official as Volkswagen bets on electric",
        "As VW ID.3 production begins, Volkswagen bets it all on an electric future",
    ),
)
_WIRES = Gap("a wire credit, debris like 'Reporting by …'", ("With Post wires",))
_GRAPHICS = Gap(
    "links to interactive graphics ('… - here'), nothing to hear",
    (
        "(Graphic: Global assets in 2019 - here)",
        "(Graphic: Global currencies vs. dollar - here)",
        "(Graphic: Emerging markets in 2019 - here)",
    ),
)
_PROMO_CREDIT = Gap("the photo credit of a magazine promo", ("(Image credit: All About Space)",))
_VIDEO_TITLE = "Fox News Flash top entertainment headlines for Nov. 19"

#: Ground-truth sentences the HTML path does not speak, by page id (first 12 characters).
HTML_GAPS: dict[str, Gap] = {
    "06ee193de4bd": _TIMELINE,  # www.slashgear.com
    "2f42ef1d3ea0": Gap(  # www.wired.com
        "a pull quote: the ground truth has this body sentence twice",
        (
            "No one bothered mentioning that the sick state of the nation’s finances isn’t "
            "technology’s problem to solve.",
        ),
    ),
    "360c732d1fdb": Gap("a photo credit", ("Main image credit: Getty",)),  # www.cityam.com
    "3d8f3404cf97": Gap("a photo caption", ("“Wild Rose”",)),  # www.indiewire.com
    "432362af0be4": _WIRES,  # nypost.com
    "4a44ab3e4c41": Gap(  # www.rt.com
        "the standfirst above the body: trafilatura leaves it out, and what it leaves out "
        "before the body is not put back (elsewhere it is a dek, a caption or a teaser)",
        (
            "Three people have died during protests in Bolivia against the self-declared "
            "“interim” government that ousted Evo Morales, after violent clashes erupted "
            "between the socialist leader’s supporters and security forces.",
        ),
    ),
    "51d066b0602c": Gap(  # www.nbcdfw.com
        "the caption of an embedded video",
        (
            "A video showing the dramatic moment a kidnapped 8-year-old Fort Worth girl was "
            "rescued by police was released on Monday.",
            "NBC 5 has edited the video to exclude graphic content and protect the identity of "
            "the victim.",
            "(Published Monday, Nov. 18, 2019)",
        ),
    ),
    "57d46c9d751e": _GRAPHICS,  # www.reuters.com
    "686bb170effe": _PROMO_CREDIT,  # www.space.com
    "785affa2c34e": Gap(  # www.theverge.com
        "a pull quote (an aside rewording a body sentence)",
        ("This will be Hawley’s second film",),
    ),
    "7dfc3e359d7c": Gap(  # www.foxnews.com
        "the title and blurb of a video box above the article",
        (
            _VIDEO_TITLE,
            "Fox News Flash top entertainment and celebrity headlines for Nov. 19 are here.",
            "Check out what's clicking today in entertainment.",
        ),
    ),
}

#: Ground-truth sentences the plain-text path does not speak, by page id (first 12 characters).
TEXT_GAPS: dict[str, Gap] = {
    "06ee193de4bd": _TIMELINE,  # www.slashgear.com
    "156770d676ce": Gap(  # thehill.com
        "the scrape glues a hover card's links into the sentence ('Kristi NoemKristi Lynn "
        "NoemSouth Dakota governor doubles down …')",
        (
            "South Dakota Gov. Kristi Noem (R) is defending the state’s launch of an anti-drug "
            "campaign with the slogan “Meth, we’re on it.”",
        ),
    ),
    "30b771a40a4e": Gap(  # www.morebikes.co.uk
        "a review's spec line (tester, price, phone) between the byline and the body",
        (
            "Tested by: John Milbank RRP: 49.95 Euro (£40) More info: www.earbooks.net/en | "
            "+49 (0)40 890 85-433",
        ),
    ),
    "360c732d1fdb": Gap("a photo credit", ("Main image credit: Getty",)),  # www.cityam.com
    "3c5bf8db4272": Gap(  # www.livescience.com
        "a syndication note after a list of related links",
        ("Originally published on Live Science.",),
    ),
    "432362af0be4": _WIRES,  # nypost.com
    "57d46c9d751e": _GRAPHICS,  # www.reuters.com
    "686bb170effe": _PROMO_CREDIT,  # www.space.com
    "7dfc3e359d7c": Gap("the title of a video box above the article", (_VIDEO_TITLE,)),
}


# --- The criterion ------------------------------------------------------------------------------


def letters(text: str) -> str:
    return _NOT_ALNUM.sub("", text).casefold()


def truth_sentences(text: str) -> list[str]:
    """The ground truth's sentences (each line, less its inline codes, split by our splitter)
    that have letters."""
    rules = load_debris()
    return [
        sentence
        for line in text.splitlines()
        if line.strip()
        for sentence in split_sentences(rules.cut_inline(line))
        if letters(sentence)
    ]


def script_stream(script: NarrationScript) -> str:
    """The letters and digits of ``script``: chapter titles and sentence texts, in order."""
    return letters(
        " ".join(
            part
            for chapter in script.chapters
            for part in (chapter.title, *(s.text for s in chapter.sentences))
        )
    )


def missing_sentences(truth: list[str], script: NarrationScript) -> list[str]:
    """The ``truth`` sentences left over by the best in-order match of them in ``script``.

    Sentences are matched as non-overlapping runs of the script's letters, in order; of all
    such matchings the one covering the most letters is taken (earlier sentences first on a
    tie), so a short sentence ("Meth.") found far ahead cannot hide the ones in between.
    """
    stream = script_stream(script)
    keys = [letters(sentence) for sentence in truth]
    found = [_occurrences(key, stream) for key in keys]
    best = _best_from(keys, found)
    missing: list[str] = []
    position = 0
    for index, sentence in enumerate(truth):
        end = _match(keys[index], found[index], position)
        later = best[index + 1]
        if end is not None and len(keys[index]) + later[end] >= later[position]:
            position = end
        else:
            missing.append(sentence)
    return missing


def _occurrences(key: str, stream: str) -> list[int]:
    """Every start of ``key`` in ``stream`` (overlapping ones too), ascending."""
    found: list[int] = []
    start = stream.find(key)
    while start >= 0:
        found.append(start)
        start = stream.find(key, start + 1)
    return found


def _match(key: str, starts: list[int], position: int) -> int | None:
    """Where the first match of ``key`` (found at ``starts``) from ``position`` on ends."""
    index = bisect_left(starts, position)
    return starts[index] + len(key) if index < len(starts) else None


def _best_from(keys: list[str], found: list[list[int]]) -> list[dict[int, int]]:
    """``best[i][p]``: the most letters of ``keys[i:]`` matched in order from position ``p``
    (the start, or where a match ends) on."""
    ends = {
        0,
        *(start + len(key) for key, starts in zip(keys, found, strict=True) for start in starts),
    }
    best = [dict.fromkeys(ends, 0)]
    for key, starts in zip(reversed(keys), reversed(found), strict=True):
        later = best[0]
        row: dict[int, int] = {}
        for position in ends:
            end = _match(key, starts, position)
            row[position] = max(later[position], -1 if end is None else len(key) + later[end])
        best.insert(0, row)
    return best


def _expected(gaps: dict[str, Gap], page: str) -> list[str]:
    """The sentences ``gaps`` lists for the page with id ``page``, in order."""
    gap = gaps.get(page[:12])
    return list(gap.sentences) if gap else []


def script_for(path: Path | Source, fake_voice: Path) -> NarrationScript:
    return make_script(path, ScriptOptions(voice=str(fake_voice)))


def test_the_criterion_fails_when_a_sentence_is_dropped(fake_voice: Path) -> None:
    name = "sciencealert-europa-plumes"
    truth = truth_sentences((PAGES / f"{name}.truth.txt").read_text(encoding="utf-8"))
    script = script_for(PAGES / f"{name}.html", fake_voice)
    dropped = truth[3]
    assert missing_sentences([*truth, "A sentence the page never had."], script) == [
        "A sentence the page never had."
    ]
    assert missing_sentences([truth[5], dropped], script) == [dropped]  # out of order
    # A short sentence out of order, found far ahead, does not hide the ones it skips.
    assert missing_sentences([truth[13], truth[3], truth[4]], script) == [truth[13]]


# --- The pages in the repository ----------------------------------------------------------------


def test_there_are_pages_in_the_repository() -> None:
    assert len(NAMES) == 8
    assert set(PAGE_IDS) == set(NAMES)


@pytest.mark.parametrize("name", NAMES)
def test_html_path_drops_only_known_sentences(name: str, fake_voice: Path) -> None:
    truth = truth_sentences((PAGES / f"{name}.truth.txt").read_text(encoding="utf-8"))
    assert len(truth) >= 10
    missing = missing_sentences(truth, script_for(PAGES / f"{name}.html", fake_voice))
    assert missing == _expected(HTML_GAPS, PAGE_IDS[name])


@pytest.mark.parametrize("name", NAMES)
def test_text_scrape_path_drops_only_known_sentences(name: str, fake_voice: Path) -> None:
    truth = truth_sentences((PAGES / f"{name}.truth.txt").read_text(encoding="utf-8"))
    missing = missing_sentences(truth, script_for(PAGES / f"{name}.page.txt", fake_voice))
    assert missing == _expected(TEXT_GAPS, PAGE_IDS[name])


def test_example_article_drops_no_body_sentence(fake_voice: Path) -> None:
    lines = EXAMPLE.read_text(encoding="utf-8").splitlines()
    first = next(i for i, line in enumerate(lines) if line.startswith("The coalition of countries"))
    last = next(i for i, line in enumerate(lines) if line.startswith("ABOUT THE AUTHOR"))
    body = [line for line in lines[first:last] if line.strip() and not line.startswith("WATCH |")]
    truth = truth_sentences("\n".join(body))
    assert len(truth) >= 25
    assert missing_sentences(truth, script_for(EXAMPLE, fake_voice)) == []


# --- The whole corpus ---------------------------------------------------------------------------


def _corpus_pages() -> list[tuple[str, str]]:
    """(page id, domain) of each corpus page, from its manifest; none without the corpus."""
    manifest = CORPUS / "manifest.tsv"
    if not manifest.exists():
        return []
    rows = [line.split("\t") for line in manifest.read_text(encoding="utf-8").splitlines()[1:]]
    return [(row[0], row[1]) for row in rows if row and row[0]]


CORPUS_PAGES = _corpus_pages()
_ABSENT = pytest.mark.skip(reason=f"the benchmark corpus is not at {CORPUS}")
_PARAMS = [pytest.param(page, id=f"{domain}-{page[:8]}") for page, domain in CORPUS_PAGES] or [
    pytest.param("", id="no-corpus", marks=_ABSENT)
]


@lru_cache(maxsize=1)
def _corpus_texts() -> tuple[dict[str, str], dict[str, str]]:
    """(ground truth, whole-page text scrape) by page id."""
    truth = json.loads((CORPUS / "ground-truth.json").read_text(encoding="utf-8"))
    scrapes = json.loads(
        (CORPUS / "reference-outputs" / "html-text.json").read_text(encoding="utf-8")
    )
    scrapes = scrapes.get("output", scrapes)
    return (
        {page: entry["articleBody"] for page, entry in truth.items()},
        {page: (scrapes.get(page) or {}).get("articleBody") or "" for page in truth},
    )


@pytest.mark.skipif(not CORPUS_PAGES, reason=f"the benchmark corpus is not at {CORPUS}")
def test_the_gap_lists_name_corpus_pages_with_reasons() -> None:
    ids = {page[:12] for page, _ in CORPUS_PAGES}
    assert len(CORPUS_PAGES) == 60
    for gaps in (HTML_GAPS, TEXT_GAPS):
        assert set(gaps) <= ids
        assert all(gap.reason and gap.sentences for gap in gaps.values())


@pytest.mark.parametrize("page", _PARAMS)
def test_corpus_html_path_drops_only_known_sentences(page: str, fake_voice: Path) -> None:
    truth = truth_sentences(_corpus_texts()[0][page])
    script = script_for(CORPUS / "html" / f"{page}.html", fake_voice)
    assert missing_sentences(truth, script) == _expected(HTML_GAPS, page)


@pytest.mark.parametrize("page", _PARAMS)
def test_corpus_text_scrape_path_drops_only_known_sentences(page: str, fake_voice: Path) -> None:
    truth_texts, scrapes = _corpus_texts()
    script = script_for(Source(scrapes[page], "text", f"{page}.txt"), fake_voice)
    missing = missing_sentences(truth_sentences(truth_texts[page]), script)
    assert missing == _expected(TEXT_GAPS, page)
