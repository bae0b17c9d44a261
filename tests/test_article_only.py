"""Only the article is heard (issue 14): the debris model, a paragraph spoken once, the recall
pass when precise extraction finds implausibly little. The pages are written for these tests in
the styles of real news pages; short debris phrases are quoted, the articles are our own."""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

import pytest

from article_audio.text import extract as extract_module
from article_audio.text.clean import clean
from article_audio.text.debris import load_debris
from article_audio.text.debris_model import (
    FEATURES,
    Context,
    default_model,
    model_from_json,
    smooth,
    unit_features,
)
from article_audio.text.extract import extract_article
from article_audio.text.read import Source

STORY = (
    "The county board voted on Tuesday to close the old ferry landing at the end of the "
    "season, ending a crossing that has run since the war.",
    "Residents of the island said they had not been asked, and several of them spoke against "
    "the plan at a meeting that lasted well past midnight.",
    "The ferry operator said the landing needed repairs the county could not pay for, and that "
    "a new bridge would open within three years.",
    "Engineers who inspected the pier in the spring found rotten pilings under the ramp and "
    "rust in the steel frame that carries the cars.",
    "The board will take up the question of a temporary landing at its next meeting, which is "
    "open to the public and will be held in the library.",
)


def _count(text: str, spoken: tuple[str, ...]) -> int:
    return sum(paragraph.count(text) for paragraph in spoken)


# --- The model ----------------------------------------------------------------------------------


def test_the_model_ships_as_json_with_the_features_the_code_computes() -> None:
    resource = resources.files("article_audio.text").joinpath("data", "debris_model.json")
    data = json.loads(resource.read_text(encoding="utf-8"))
    assert tuple(data["features"]) == FEATURES
    model = model_from_json(data)
    assert model == default_model()
    assert len(model.weights) == len(FEATURES) == len(model.means) == len(model.scales)
    assert load_debris().model == model


def test_the_model_refuses_a_file_with_other_features() -> None:
    data: dict[str, Any] = default_model().to_json()
    data["features"] = ["words"]
    with pytest.raises(ValueError, match="features"):
        model_from_json(data)


def test_furniture_scores_below_body_text_whatever_its_words() -> None:
    texts = [
        *STORY[:3],
        "Sign up for the Island Briefing, free every weekday morning.",
        "Follow us on Instagram @islandcourier",
        "Photo by Ada Brook / Island Courier",
        *STORY[3:],
    ]
    chances = default_model().body_chances(unit_features(texts, Context("Ferry landing to close")))
    body = [chances[i] for i in (0, 1, 2, 6, 7)]
    furniture = chances[3:6]
    assert max(furniture) < min(body)


def test_smoothing_keeps_a_doubtful_unit_between_two_kept_ones() -> None:
    assert smooth([0.9, 0.06, 0.9], threshold=0.08, between=0.05) == [True, True, True]
    assert smooth([0.9, 0.04, 0.9], threshold=0.08, between=0.05) == [True, False, True]
    assert smooth([0.9, 0.06], threshold=0.08, between=0.05) == [True, False]


def test_short_body_sentences_at_the_end_are_kept() -> None:
    page = "\n\n".join(("Ferry landing to close", *STORY, "He shrugged.", "It was late."))
    article = clean(Source(page, "text", "ferry.txt"))
    assert article.paragraphs[-2:] == ("He shrugged.", "It was late.")


def test_follow_lines_and_credits_inside_a_scrape_are_silent() -> None:
    page = "\n\n".join(
        (
            "Ferry landing to close",
            "By Ada Brook",
            *STORY[:3],
            "Follow us on Instagram @islandcourier",
            *STORY[3:],
            "Follow Ada Brook on Twitter @adabrook",
        )
    )
    spoken = clean(Source(page, "text", "ferry.txt")).paragraphs
    assert spoken == STORY


# --- A paragraph is spoken once -----------------------------------------------------------------


def _table_page() -> Source:
    cells = "".join(f"<p>{paragraph}</p>" for paragraph in STORY)
    html = (
        "<!DOCTYPE html><html><head><title>Ferry landing to close</title></head><body>"
        '<table width="100%"><tr><td><a href="/">Home</a></td><td>'
        f"<h1>Ferry landing to close</h1>{cells}</td></tr></table></body></html>"
    )
    return Source(html, "html", "ferry.html")


def test_a_table_layout_page_is_read_paragraph_by_paragraph_and_once() -> None:
    spoken = extract_article(_table_page()).paragraphs
    for paragraph in STORY:
        assert _count(paragraph, spoken) == 1
    assert all(len(paragraph) < 200 for paragraph in spoken)


def test_a_data_table_row_is_still_one_line() -> None:
    html = (
        "<!DOCTYPE html><html><head><title>Ferry fares</title></head><body><article>"
        + "".join(f"<p>{paragraph}</p>" for paragraph in STORY)
        + "<table><tr><td>Car</td><td>$12</td></tr><tr><td>Bicycle</td><td>$3</td></tr></table>"
        "</article></body></html>"
    )
    spoken = extract_article(Source(html, "html", "fares.html")).paragraphs
    assert "Car, $12" in spoken


# --- The recall pass ----------------------------------------------------------------------------

NOTICE = (
    "This copy is for your personal, non-commercial use only. Distribution and use of this "
    "material are governed by our Subscriber Agreement and by copyright law."
)


def test_when_the_precise_pass_keeps_only_a_notice_the_recall_pass_takes_over(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    html = (
        "<!DOCTYPE html><html><head><title>Ferry landing to close</title></head><body>"
        f"<div class='notice'><p>{NOTICE}</p></div><div class='story'>"
        + "".join(f"<p>{paragraph}</p>" for paragraph in STORY * 2)
        + "</div></body></html>"
    )
    real = extract_module._extract

    def precise_loses_the_story(tree: Any, name: str, precision: bool = True) -> Any:
        if precision:
            for div in tree.xpath("//div[@class='story']"):
                div.drop_tree()
        return real(tree, name, precision)

    monkeypatch.setattr(extract_module, "_extract", precise_loses_the_story)
    monkeypatch.setattr(extract_module, "recover_paragraphs", lambda blocks, page, rules: blocks)
    spoken = extract_article(Source(html, "html", "ferry.html")).paragraphs
    assert all(_count(paragraph, spoken) >= 1 for paragraph in STORY)
