"""Chapter titles of articles without headings, over a corpus's ground-truth texts.

    python benchmarks/chapter_titles.py CORPUS [--sample N] [--wpm 170]

CORPUS is a folder with ``ground-truth.json`` (``{"<id>": {"articleBody": ..., "title": ...}}``)
or a folder of such folders (``shared/corpus``: Scrapinghub, Mozilla Readability, WCXB). Each
body, paragraphs split at blank lines, is planned as one section without headings, the way a
text scrape without heading markup is; sub-headings kept in a body (WCXB keeps them) are
paragraphs here, which makes the test harder, not easier.

Every chapter title is checked against the rules: at most 60 characters, no ellipsis, no
dateline, no quotation marks, no function word at either end, distinct within its article
(and from the article's title), and the same on a second run. The script prints the titles of
``--sample`` articles, every violation, and the counts; it exits 1 if any rule is broken.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from article_audio.text.article import Article, Section
from article_audio.text.structure import ChapterPlan, plan_chapters
from article_audio.text.titles import MAX_TITLE_CHARS, STOPWORDS

#: A wire dateline at a paragraph's start ("HALIFAX, Nova Scotia, Nov 3 (Reuters) - "): a title
#: taken from one is a dateline (checked independently of the titling module's own pattern).
_DATELINE = re.compile(r"^(?:[A-Z][A-Z.' ]{2,}\b|\([A-Za-z .]+\))([^.!?]{0,60}?)\s[-—–]{1,2}\s")
#: ...and a title shaped like one: a place in capitals then a comma, or a wire in brackets.
_DATELINE_SHAPE = re.compile(r"^[A-Z]{3,}[A-Z ]*,|\((?:Reuters|AP|AFP|UPI)\)")
#: Quotation marks, but not apostrophes inside words ("Ukraine’s").
_QUOTES = re.compile(r"[\"“”«»]|(?<!\w)['‘’]|['‘’](?!\w)")
_EDGE_WORD = re.compile(r"^(\S+)|(\S+)$")


@dataclass(frozen=True)
class Page:
    """One ground-truth article: where it came from, its title and its paragraphs."""

    name: str
    title: str
    paragraphs: tuple[str, ...]


def load(corpus: Path) -> list[Page]:
    """The articles of ``corpus`` (one benchmark folder, or a folder of them), by name."""
    folders = [corpus] if (corpus / "ground-truth.json").exists() else sorted(corpus.iterdir())
    pages = []
    for folder in folders:
        truth_file = folder / "ground-truth.json"
        if not truth_file.exists():
            continue
        truth = json.loads(truth_file.read_text(encoding="utf-8"))
        for page_id, entry in sorted(truth.items()):
            body = entry.get("articleBody") or ""
            split = re.split(r"\n\s*\n", body) if "\n\n" in body else body.splitlines()
            paragraphs = tuple(p.strip() for p in split if p.strip())
            if paragraphs:
                name = f"{folder.name}/{page_id}"
                pages.append(Page(name, (entry.get("title") or "").strip(), paragraphs))
    return pages


def plan(page: Page, wpm: int) -> tuple[ChapterPlan, ...]:
    """The chapters of ``page`` as one section without headings."""
    return plan_chapters(Article(page.title, (Section(None, page.paragraphs),)), wpm)


def datelines(paragraphs: tuple[str, ...]) -> list[str]:
    """The datelines that open ``paragraphs``, dash excluded."""
    return [m.group().rstrip(" -—–") for p in paragraphs if (m := _DATELINE.match(p))]


def violations(title: str, lines: Sequence[str] = (), body: str = "") -> list[str]:
    """The rules ``title`` breaks on its own (distinctness is checked per article). A title
    found in one of the article's datelines (``lines``) and nowhere in its ``body`` (the text
    without its datelines) is a dateline."""
    broken = []
    if not title.strip():
        broken.append("empty")
    if len(title) > MAX_TITLE_CHARS:
        broken.append(f"longer than {MAX_TITLE_CHARS} characters")
    if "…" in title or "..." in title:
        broken.append("ellipsis")
    folded = title.casefold()
    from_dateline = any(folded in d.casefold() for d in lines) and folded not in body.casefold()
    if _DATELINE_SHAPE.search(title) or from_dateline:
        broken.append("dateline")
    if not re.search(r"[^\W\d_]{2}|(?:[A-Za-z]\.){2}", title):
        broken.append("no word of two letters")
    if _QUOTES.search(title):
        broken.append("quotation mark")
    for match in _EDGE_WORD.finditer(title):
        if match.group().lower().strip(".,;:") in STOPWORDS:
            broken.append(f"starts or ends with {match.group()!r}")
    return broken


def check(pages: list[Page], wpm: int) -> tuple[list[str], int, int]:
    """Every violation over ``pages``, the number of chapters and of fallback ("Part N") titles."""
    problems: list[str] = []
    chapters = fallbacks = 0
    for page in pages:
        plans = plan(page, wpm)
        titles = [p.title for p in plans]
        chapters += len(titles)
        fallbacks += sum(1 for t in titles if re.fullmatch(r"Part \d+", t))
        lines = datelines(page.paragraphs)
        body = "\n".join(_DATELINE.sub("", p) for p in page.paragraphs)
        for title in titles:
            broken = violations(title, lines, body)
            problems.extend(f"{page.name}: {title!r}: {rule}" for rule in broken)
        seen = [page.title.casefold(), *(t.casefold() for t in titles)]
        if len(set(seen)) < len(seen):
            problems.append(f"{page.name}: titles not distinct: {titles}")
        if [p.title for p in plan(page, wpm)] != titles:
            problems.append(f"{page.name}: titles differ between two runs")
    return problems, chapters, fallbacks


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path, help="a folder with ground-truth.json, or of such")
    parser.add_argument("--sample", type=int, default=12, help="articles whose titles to print")
    parser.add_argument("--wpm", type=int, default=170, help="speaking rate for chapter timing")
    args = parser.parse_args(argv)
    pages = load(args.corpus)
    if not pages:
        parser.error(f"{args.corpus}: no ground-truth.json with articles found")
    step = max(1, len(pages) // max(1, args.sample))
    for page in pages[::step][: args.sample]:
        print(f"{page.name}  ({page.title[:70]})")
        for chapter in plan(page, args.wpm):
            print(f"    {chapter.title}")
    started = time.perf_counter()
    problems, chapters, fallbacks = check(pages, args.wpm)
    seconds = time.perf_counter() - started
    print()
    for problem in problems:
        print("VIOLATION", problem)
    print(
        f"{len(pages)} articles, {chapters} chapters, {fallbacks} 'Part N' fallbacks, "
        f"{len(problems)} violations; {seconds:.1f} s for two plans of each"
    )
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
