"""Normalization against NVIDIA NeMo's English text-normalization cases (Apache-2.0, copied as
data into tests/data/nemo_en_tn/ with their source and licence), with the newsreader's
conventions of tests/data/nemo_en_tn/conventions.toml.

The rate test asserts the "Done when" figures of issue 15: at least 95 % of the cases that are
not set aside pass, and no category below 85 %; it prints the figures per category.
"""

from __future__ import annotations

import re

import pytest

from article_audio.text.normalize import normalize
from tests.text_suites import (
    NEMO,
    NEMO_CATEGORIES,
    canonical,
    conventions,
    nemo_cases,
    nemo_rates,
)

TARGET = 0.95
CATEGORY_TARGET = 0.85


def test_table_is_whole() -> None:
    """Every category's file is there, with NeMo's licence beside it, and every case a
    convention sets aside exists in the table."""
    assert "Apache License" in (NEMO / "LICENSE").read_text(encoding="utf-8")
    written = {f"{case.category}: {case.written}" for case in nemo_cases()}
    for rule in conventions():
        assert len(rule["reason"]) > 30, rule["name"]
        assert set(rule.get("cases", [])) <= written, rule["name"]
        if "pattern" in rule:
            re.compile(rule["pattern"])
    assert len(written) > 300
    assert {case.category for case in nemo_cases()} == set(NEMO_CATEGORIES)


def test_nemo_rates(capsys: pytest.CaptureFixture[str]) -> None:
    figures = nemo_rates(normalize)
    passed = sum(p for p, _ in figures.values())
    counted = sum(c for _, c in figures.values())
    with capsys.disabled():
        print(f"\nNeMo table: {passed}/{counted} ({passed / counted:.1%}) of the counted cases")
        for category, (p, c) in figures.items():
            print(f"  {category:<11} {p:>3}/{c:<3} {p / c:.0%}")
    assert passed >= TARGET * counted
    for category, (p, c) in figures.items():
        assert p >= CATEGORY_TARGET * c, category


def test_canonical_ignores_only_what_is_not_said() -> None:
    assert canonical("four A.M, twenty-one") == canonical("four AM twenty one")
    assert canonical("one dollar") != canonical("one dollars")
