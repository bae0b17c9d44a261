import os
import subprocess
import sys

from article_audio.text.article import Article, Section
from article_audio.text.structure import (
    estimate_seconds,
    group_paragraphs,
    plan_chapters,
)
from article_audio.text.titles import MAX_TITLE_CHARS, chapter_titles, strip_dateline


def words(n: int) -> str:
    return " ".join(["word"] * n)


def test_estimate_seconds_counts_words_at_the_given_pace() -> None:
    assert estimate_seconds(words(170), 170) == 60.0


def test_paragraphs_group_into_bounded_chapters() -> None:
    paragraphs = [words(60)] * 12  # 720 words, about 254 s at 170 wpm
    chapters = group_paragraphs(paragraphs, 170)
    assert [len(c.paragraphs) for c in chapters] == [4, 4, 4]
    for chapter in chapters:
        seconds = sum(estimate_seconds(p, 170) for p in chapter.paragraphs)
        assert 45 <= seconds <= 120


def test_a_short_article_is_one_chapter() -> None:
    assert [len(c.paragraphs) for c in group_paragraphs([words(30), words(40)], 170)] == [2]


def test_one_huge_paragraph_stays_whole() -> None:
    chapters = group_paragraphs([words(1000)], 170)
    assert len(chapters) == 1


def test_headings_become_chapters_and_the_lead_is_grouped() -> None:
    article = Article(
        title="T",
        sections=(
            Section(None, ("Lead paragraph here.",)),
            Section("Background", ("One.", "Two.")),
            Section("What next", ("Three.",)),
            Section("Empty", ()),
        ),
    )
    plans = plan_chapters(article, 170)
    assert [(p.title, p.paragraphs, p.heading) for p in plans] == [
        ("Lead paragraph", ("Lead paragraph here.",), False),
        ("Background", ("One.", "Two."), True),
        ("What next", ("Three.",), True),
    ]


# A wire story without headings, written for these tests: a dateline, a quote-led middle and
# a topic that comes back in every part.
FLOOD = (
    "HALIFAX, Nova Scotia, Nov 3 (Reuters) - Engineers in Halifax began building a new sea wall "
    "along the harbour on Monday, after two winters of storm surges flooded the waterfront. "
    "The sea wall will run for two kilometres and rise four metres above the high-tide mark.",
    "City council approved the sea wall in June. Mayor Andrea Cole said the harbour district "
    "had flooded five times since 2022, and that shops along the waterfront had lost weeks of "
    "trade each time the water came in.",
    "The federal government will pay half of the cost of the sea wall, and the province a "
    "quarter, leaving the city to raise the rest through a harbour levy on waterfront property.",
    '"We cannot keep pumping out basements every spring," said Lena Marsh, who runs a bakery '
    'on the waterfront. "The levy is steep, but the floods cost us more." Other owners say the '
    "harbour levy falls hardest on small shops that rent rather than own.",
    "Business groups asked council to phase the harbour levy in over five years. Council will "
    "vote on the levy schedule in December, and a public hearing on the harbour levy is set "
    "for November 20.",
    "Climate scientists at Dalhousie University expect storm surges on the Atlantic coast to "
    "grow stronger as sea levels rise. Their models show the harbour could see a one-metre rise "
    "in sea levels by the end of the century.",
    "The scientists say a sea wall buys time but is not enough on its own. They urge the city to "
    "restore salt marshes east of the harbour, which soak up storm surges before they reach "
    "homes, and to stop new building on the lowest ground.",
)


def test_untitled_chapters_get_key_phrases_not_opening_words() -> None:
    chapters = group_paragraphs(FLOOD, 70)  # a slow pace: three chapters of a short story
    assert [len(c.paragraphs) for c in chapters] == [2, 3, 2]
    assert [c.title for c in chapters] == ["Sea wall", "Harbour levy", "Sea levels"]


def test_titles_keep_the_rules() -> None:
    titles = [c.title for c in group_paragraphs(FLOOD, 70)]
    for title in titles:
        assert len(title) <= MAX_TITLE_CHARS
        assert not title.endswith(("…", "..."))
        assert "HALIFAX" not in title and "Reuters" not in title
        assert not title.startswith(('"', "“"))
        assert title[0].isupper()
    assert len(set(titles)) == len(titles)


def test_a_wire_dateline_is_not_a_title_source() -> None:
    assert strip_dateline(FLOOD[0]).startswith("Engineers in Halifax began")
    assert strip_dateline("MADRID — Rafael Nadal won.") == "Rafael Nadal won."
    assert strip_dateline("(Reuters) — The attorney general is investigating.") == (
        "The attorney general is investigating."
    )
    assert strip_dateline("WASHINGTON (AP) — Congress voted.") == "Congress voted."
    assert (
        strip_dateline("The NATO summit - a first - ends.") == "The NATO summit - a first - ends."
    )
    # The dateline's words alone never make the title.
    dated = "HALIFAX, Nova Scotia, Nov 3 (Reuters) - Heavy rain flooded the harbour."
    assert chapter_titles([[dated]]) == ["Heavy rain"]


def test_names_stay_whole_and_quotes_are_not_titles() -> None:
    chapter = [
        '"During these meetings, there will also be meetings," the president said.',
        "Prime Minister Mark Carney will attend. Prime Minister Mark Carney leaves on Monday.",
    ]
    assert chapter_titles([chapter]) == ["Prime Minister Mark Carney"]


def test_phrases_end_where_the_phrase_ends() -> None:
    # "hot summer" is cut mid-phrase; "-ly" and "-ed" words and possessives don't end a title.
    chapter = ["Bored children on a hot summer afternoon wait. A hot summer afternoon passes."]
    assert chapter_titles([chapter]) == ["Hot summer afternoon"]


def test_titles_are_distinct_within_an_article() -> None:
    first = ["The sea wall rises. The sea wall holds."]
    second = ["The sea wall cracks in winter storms. Winter storms test the sea wall."]
    # Not "Sea wall" twice, nor "Sea wall cracks" after "Sea wall".
    assert chapter_titles([first, second]) == ["Sea wall", "Winter storms"]
    # ... and distinct from the article's own title and headings.
    assert chapter_titles([second], taken=["Sea wall"]) == ["Winter storms"]


def test_a_chapter_without_words_is_numbered() -> None:
    numbers = ["2022: 14.5, 2023: 16.1."]
    levy = ["The harbour levy passed.", "The harbour levy is due in May."]
    assert chapter_titles([numbers, levy]) == ["Part 1", "Harbour levy"]


def test_shouted_phrases_are_put_in_sentence_case() -> None:
    assert chapter_titles([["BREAKING STORMS HIT. BREAKING STORMS HIT."]]) == [
        "Breaking storms hit"
    ]


def test_titles_do_not_depend_on_hash_seeds() -> None:
    code = (
        "from tests.test_structure import FLOOD;"
        "from article_audio.text.structure import group_paragraphs;"
        "print([c.title for c in group_paragraphs(FLOOD, 70)])"
    )
    runs = {
        subprocess.run(
            [sys.executable, "-c", code],
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in ("1", "2", "3")
    }
    assert len(runs) == 1
