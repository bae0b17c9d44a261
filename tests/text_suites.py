"""Scoring of the public test suites the text stages are measured against (issue 15).

* Sentence boundaries: the English Golden Rules of pragmatic_segmenter and pySBD
  (``data/golden_rules_*.json``), exact match of the sentence list.
* Normalization: NVIDIA NeMo's English text-normalization cases (``data/nemo_en_tn/``), with
  the newsreader's conventions of ``data/nemo_en_tn/conventions.toml``.

Used by the tests (which assert the targets) and by ``benchmarks/text_suites.py`` (which
prints the figures).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from article_audio.util import tomllib

DATA = Path(__file__).resolve().parent / "data"
GOLDEN_RULES = {
    "pragmatic_segmenter": DATA / "golden_rules_pragmatic_segmenter.json",
    "pysbd": DATA / "golden_rules_pysbd.json",
}
NEMO = DATA / "nemo_en_tn"
NEMO_CATEGORIES = (
    "cardinal", "date", "money", "time", "measure", "decimal", "ordinal",
    "telephone", "electronic", "fraction", "roman", "address", "word", "whitelist",
)  # fmt: skip

_IGNORED = re.compile(r"[.,!?;:]")
_DOTTED = re.compile(r"(?<=[^\W\d_])\.(?=[^\W\d_])")
_WORD_HYPHEN = re.compile(r"(?<=[^\W\d_])-(?=[^\W\d_])")


def golden_rule_cases(name: str) -> list[dict[str, Any]]:
    """The cases of one Golden Rules set, as stored."""
    document = json.loads(GOLDEN_RULES[name].read_text(encoding="utf-8"))
    cases: list[dict[str, Any]] = document["cases"]
    return cases


def golden_rule_rates(split: Callable[[str], list[str]]) -> dict[str, tuple[int, int]]:
    """(exact, in scope) for each Golden Rules set."""
    figures: dict[str, tuple[int, int]] = {}
    for name in GOLDEN_RULES:
        scoped = [case for case in golden_rule_cases(name) if "out_of_scope" not in case]
        exact = sum(split(case["text"]) == case["expected"] for case in scoped)
        figures[name] = (exact, len(scoped))
    return figures


@dataclass(frozen=True)
class NemoCase:
    """One NeMo line: its category, the written input, the expected reading (rewritten by
    the conventions that apply) and the convention that sets it aside, if any."""

    category: str
    written: str
    expected: str
    set_aside: str | None
    rewritten_by: tuple[str, ...]


def canonical(text: str) -> str:
    """``text`` compared as a voice would say it: no case, no punctuation that is not a
    word, hyphens between words as spaces, single spaces."""
    text = _DOTTED.sub("", text.lower())  # "A.M" is said as "AM"
    text = _WORD_HYPHEN.sub(" ", _IGNORED.sub(" ", text))
    return " ".join(text.split())


def conventions() -> list[dict[str, Any]]:
    """The newsreader's conventions, as stored."""
    document = tomllib.loads((NEMO / "conventions.toml").read_text(encoding="utf-8"))
    listed: list[dict[str, Any]] = document["convention"]
    return listed


def nemo_cases() -> Iterator[NemoCase]:
    """Every case of the NeMo table, in file order."""
    rules = conventions()
    aside = {case: rule["name"] for rule in rules for case in rule.get("cases", [])}
    rewrites = [(rule["name"], re.compile(rule["pattern"]), rule["replacement"])
                for rule in rules if "pattern" in rule]  # fmt: skip
    for category in NEMO_CATEGORIES:
        text = (NEMO / f"test_cases_{category}.txt").read_text(encoding="utf-8")
        for line in text.splitlines():
            if "~" not in line:
                continue
            written, expected = line.split("~", 1)
            applied = []
            for name, pattern, replacement in rewrites:
                expected, count = pattern.subn(replacement, expected)
                if count:
                    applied.append(name)
            key = f"{category}: {written}"
            yield NemoCase(category, written, expected, aside.get(key), tuple(applied))


def nemo_rates(normalize: Callable[[str], str]) -> dict[str, tuple[int, int]]:
    """(passed, counted) per category: cases set aside by a convention do not count."""
    figures = {category: (0, 0) for category in NEMO_CATEGORIES}
    for case in nemo_cases():
        if case.set_aside is not None:
            continue
        passed, counted = figures[case.category]
        ok = canonical(normalize(case.written)) == canonical(case.expected)
        figures[case.category] = (passed + ok, counted + 1)
    return figures
