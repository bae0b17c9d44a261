"""Our Punkt applier gives nltk's Punkt boundaries (nltk, a test dependency, is the reference).

The model is the one sentence splitting uses (the shipped abbreviations and sentence starters);
both tokenizers read the same texts: every sentence test's input, both Golden Rules sets, the
corpus's ground-truth articles when the corpus is present, and generated text built from the
tokens Punkt treats specially.
"""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from article_audio.text import sentences
from article_audio.text.punkt import Punkt
from tests.test_coverage import CORPUS
from tests.test_sentences import CASES, EXAMPLE
from tests.text_suites import GOLDEN_RULES, golden_rule_cases


@lru_cache(maxsize=1)
def _reference() -> Any:
    from nltk.tokenize.punkt import PunktParameters, PunktSentenceTokenizer

    model = sentences._punkt()
    params = PunktParameters()
    params.abbrev_types = set(model.abbreviations)
    params.sent_starters = set(model.starters)
    return PunktSentenceTokenizer(params)


def _same(text: str) -> None:
    assert sentences._punkt().spans(text) == list(_reference().span_tokenize(text)), text


def _suite_texts() -> list[str]:
    texts = [case.values[0] for case in CASES]
    for name in GOLDEN_RULES:
        texts += [case["text"] for case in golden_rule_cases(name)]
    return texts


def _corpus_texts() -> list[str]:
    truth = CORPUS / "ground-truth.json"
    if not truth.is_file():
        return []
    bodies = json.loads(truth.read_text(encoding="utf-8"))
    texts = []
    for _, entry in sorted(bodies.items()):
        body = str(entry.get("articleBody", ""))
        texts += [body, *(line for line in body.splitlines() if line.strip())]
    return texts


def test_suite_texts() -> None:
    for text in _suite_texts():
        _same(text)
        for line in text.splitlines():
            _same(line)


@pytest.mark.skipif(not _corpus_texts(), reason=f"the benchmark corpus is not at {CORPUS}")
def test_corpus_texts() -> None:
    for text in _corpus_texts():
        _same(text)


def test_example_article() -> None:
    _same(EXAMPLE.read_text(encoding="utf-8"))


#: Tokens and separators Punkt reads specially: abbreviations (listed, hyphenated, dotted),
#: initials, numbers and ordinals, ellipses (run together or spaced), the three marks alone
#: and in runs, quotes and brackets of both kinds, dashes, symbols that are not words, upper-
#: and lower-case words (listed sentence starters and not), letters outside ASCII.
_TOKENS = [
    "Mr.", "U.S.", "J.", "A.", "a.", "É.", "etc.", "e.g.", "i.e.", "Inc.", "co-Ltd.", "Sen.",
    "a.m.", "No.", "St.", "12.", "3.5", "-4.", ".5", "1,200.", "iv.", "1.", "...", "..", ". . .",
    "…", ".", "?", "!", "?!", "Hey!!!", "what?!", "word.", "Word.", "élan.", "The", "the", "He",
    "But", "And", "x", "Y", "Dr", '"', "'", "(", ")", "[", "]", "{", "}", "«", "»", "“", "”",
    "‘", "’", "--", "-", "—", ",", ";", ":", "*", "@", "#", "&", "`", '"Quote."', "(Aside.)",
]  # fmt: skip
_SPACES = ["", " ", " ", " ", "  ", "\n", "\n\n", "\t", "\xa0", " \n "]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(_TOKENS), st.sampled_from(_SPACES)), max_size=14))
def test_generated_texts(parts: list[tuple[str, str]]) -> None:
    _same("".join(token + space for token, space in parts))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("He left. She stayed.", [(0, 8), (9, 20)]),
        ("Mr. Smith left. The end.", [(0, 15), (16, 24)]),  # a title, then a starter
        ("It is in the U.S. The talks began.", [(0, 17), (18, 34)]),  # abbreviation, starter
        ("It is in the U.S. Senate now.", [(0, 29)]),  # no starter: no break
        ("J. K. Rowling wrote it.", [(0, 23)]),  # initials before capitals
        ("Chapter 12. and more.", [(0, 21)]),  # a number before lower case
        ('"Go." He went.', [(0, 5), (6, 14)]),  # the closing quote moves back
        ("Wait!!! Then go.", [(0, 7), (8, 16)]),  # a run of marks: one boundary
        ("", []),
    ],
)
def test_known_boundaries(text: str, expected: list[tuple[int, int]]) -> None:
    assert sentences._punkt().spans(text) == expected
    _same(text)


def test_model_is_frozen() -> None:
    model = Punkt(abbreviations=frozenset({"mr"}), starters=frozenset({"the"}))
    assert model.spans("Mr. Smith left. The end.") == [(0, 15), (16, 24)]
    with pytest.raises(AttributeError):
        model.starters = frozenset()  # type: ignore[misc]
