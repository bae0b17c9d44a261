from article_audio.text.article import Article, Section
from article_audio.text.structure import (
    estimate_seconds,
    group_paragraphs,
    opening_words,
    plan_chapters,
)


def words(n: int) -> str:
    return " ".join(["word"] * n)


def test_estimate_seconds_counts_words_at_the_given_pace() -> None:
    assert estimate_seconds(words(170), 170) == 60.0


def test_opening_words_keeps_whole_words_and_marks_the_cut() -> None:
    assert opening_words(
        "The coalition of countries supporting Ukraine, including Canada, face"
    ) == ("The coalition of countries supporting Ukraine, including…")
    assert opening_words("Short paragraph.") == "Short paragraph"


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
        ("Lead paragraph here", ("Lead paragraph here.",), False),
        ("Background", ("One.", "Two."), True),
        ("What next", ("Three.",), True),
    ]
