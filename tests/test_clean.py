"""Clean stage: scraped pages and Markdown become articles; page debris is left out."""

from __future__ import annotations

import re
import textwrap
from collections import Counter
from pathlib import Path

import pytest

from article_audio.errors import InputError
from article_audio.text.article import Article, Section
from article_audio.text.clean import DebrisRules, clean, load_debris
from article_audio.text.read import Source, read_source

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "cbc-coalition-paris.txt"
CORPUS = Path(__file__).resolve().parent / "data" / "clean"

#: The opening words of every paragraph of the example, in order (the deck first).
EXAMPLE_OPENINGS = [
    "Prime Minister Mark Carney is headed to Paris",
    "The coalition of countries supporting Ukraine",
    "Prime Minister Mark Carney will attend the gathering",
    "The leaders will meet on Tuesday",
    "That comes on the heels of a meeting",
    "Canada’s former NATO ambassador",
    "Zelenskyy told reporters afterward",
    '"During these meetings',
    "Zelenskyy has repeatedly underlined",
    '"Russia has not shown a genuine willingness',
    "Matthew Schmidt, an associate professor",
    "\"I think the 'coalition of the willing'",
    "\"It's really going to offer Zelenskyy",
    "The fact that the Ukrainian government",
    "Concrete security guarantees from Europe and Canada",
    "Trump has separately said",
    "Zelenskyy, however, is pushing for a longer timeframe.",
    "Schmidt said he’s skeptical",
    "“We've seen the Trump administration vacillate",
    "A lot of time and effort",
    "While the Kremlin has signaled",
    "Russia has also demanded",
]

EXAMPLE_DEBRIS = [
    "Orgo-Life",
    "PROTECT YOURSELF",
    "Adpathway",
    "Advertising by",
    "Listen to this article",
    "Estimated 4 minutes",
    "audio version",
    "Mispronunciations",
    "WATCH |",
    "year-end addresses",
    "ABOUT THE AUTHOR",
    "senior defence writer",
    "1 day ago",
    "English (US)",
    "French (CA)",
]


def text(body: str, name: str = "page.txt") -> Article:
    return clean(Source(body, "text", name))


def text_with(page: str, rules: DebrisRules) -> Article:
    return clean(Source(page, "text", "page.txt"), rules)


def markdown(body: str, name: str = "story.md") -> Article:
    return clean(Source(textwrap.dedent(body).lstrip("\n"), "markdown", name))


def all_text(article: Article) -> str:
    fields = [article.title, article.byline or "", article.published or "", article.updated or ""]
    return "\n".join([*fields, *(s.heading or "" for s in article.sections), *article.paragraphs])


# --- The example page -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def cbc() -> Article:
    return clean(read_source(EXAMPLE))


def test_example_metadata(cbc: Article) -> None:
    assert cbc.title == (
        "Coalition partners meet in Paris to discuss giving Ukraine peace plan military backing"
    )
    assert cbc.byline == "Murray Brewster · CBC News"
    assert cbc.authors == ("Murray Brewster",)
    assert cbc.publication == "CBC News"
    assert cbc.published == "Jan 05, 2026 4:00 AM EST"
    assert cbc.updated == "1 hour ago"
    assert cbc.source == str(EXAMPLE)


def test_example_keeps_every_body_paragraph_verbatim_and_in_order(cbc: Article) -> None:
    paragraphs = cbc.paragraphs
    assert len(paragraphs) == len(EXAMPLE_OPENINGS)
    for paragraph, opening in zip(paragraphs, EXAMPLE_OPENINGS, strict=True):
        assert paragraph.startswith(opening)
    source_lines = {line.strip() for line in EXAMPLE.read_text(encoding="utf-8").splitlines()}
    assert all(paragraph in source_lines for paragraph in paragraphs[1:])


def test_example_deck_is_cut_from_the_ad_glued_to_it(cbc: Article) -> None:
    assert cbc.paragraphs[0] == (
        'Prime Minister Mark Carney is headed to Paris where he will meet with "coalition of the '
        'willing" partners to talk about specific security guarantees for Ukraine should there '
        "be a ceasefire and peace settlement with Russia."
    )


def test_example_has_no_page_debris(cbc: Article) -> None:
    everything = all_text(cbc)
    for debris in EXAMPLE_DEBRIS:
        assert debris not in everything, debris
    assert "6" not in cbc.paragraphs
    assert all(paragraph.strip() for paragraph in cbc.paragraphs)


def test_example_is_one_section_without_heading(cbc: Article) -> None:
    assert [section.heading for section in cbc.sections] == [None]


# --- Scraped text in general ----------------------------------------------------------------

WRAPPED = """\
Harbour Town Wakes Up After the Storm

By Jane Roe and John Doe | Harbour Gazette
Published: March 3, 2025 | Updated: 2 hours ago

The storm that battered the coast on Monday night left the harbour of
the small town in ruins, with boats piled against the pier and nets
strewn across the road. Residents spent the morning clearing the well-
known promenade.

Local officials said the damage would take weeks to repair, and that the
fishing fleet would not sail again before the end of the month. "We have
never seen anything like this," one fisherman said.

Advertisement

Insurance assessors are expected on Wednesday.
"""


def test_hard_wrapped_paragraphs_are_joined() -> None:
    article = text(WRAPPED)
    assert article.title == "Harbour Town Wakes Up After the Storm"
    assert article.paragraphs == (
        "The storm that battered the coast on Monday night left the harbour of the small town in "
        "ruins, with boats piled against the pier and nets strewn across the road. Residents "
        "spent the morning clearing the well-known promenade.",
        "Local officials said the damage would take weeks to repair, and that the fishing fleet "
        'would not sail again before the end of the month. "We have never seen anything like '
        'this," one fisherman said.',
        "Insurance assessors are expected on Wednesday.",
    )


def test_byline_with_several_authors_and_labelled_dates() -> None:
    article = text(WRAPPED)
    assert article.byline == "By Jane Roe and John Doe | Harbour Gazette"
    assert article.authors == ("Jane Roe", "John Doe")
    assert article.publication == "Harbour Gazette"
    assert article.published == "March 3, 2025"
    assert article.updated == "2 hours ago"


def test_one_paragraph_per_line_stays_one_paragraph_per_line() -> None:
    lines = [
        "The council met on Tuesday to discuss the new harbour wall and its cost.",
        "Members agreed that the wall must be finished before the winter storms arrive.",
        "A final vote on the budget is expected at the next meeting in two weeks.",
    ]
    article = text("\n".join(lines) + "\n")
    assert article.paragraphs == tuple(lines)
    assert article.title == "page"


def test_a_short_last_sentence_is_kept() -> None:
    page = "\n".join(["Museum reopens after renovation", *BODY, "He smiled."])
    assert text(page).paragraphs == (*BODY, "He smiled.")


def test_by_on_a_line_of_its_own() -> None:
    page = "\n".join(["Museum reopens after renovation", "By", "Jane Roe", "May 2, 2025", *BODY])
    article = text(page)
    assert (article.byline, article.authors, article.published) == (
        "By Jane Roe",
        ("Jane Roe",),
        "May 2, 2025",
    )
    assert article.paragraphs == tuple(BODY)


def test_page_title_line_finds_the_headline() -> None:
    page = "\n".join(
        [
            "Museum reopens after renovation - Town Post",
            "Home",
            "News",
            "Museum reopens after renovation",
            "Updated 9:15 AM",
            *BODY,
        ]
    )
    article = text(page)
    assert article.title == "Museum reopens after renovation"
    assert article.updated == "9:15 AM"
    assert article.paragraphs == tuple(BODY)


def test_title_falls_back_to_the_file_stem() -> None:
    article = text(
        "It rained all day in the valley, and the river rose by a metre.\n", "x/rainy-day.txt"
    )
    assert article.title == "rainy day"
    assert article.paragraphs == (
        "It rained all day in the valley, and the river rose by a metre.",
    )


@pytest.mark.parametrize(
    ("name", "title"),
    [
        ("notes/report.2019", "report.2019"),  # a dot and digits are no extension
        ("Dr. Who returns", "Dr. Who returns"),
        ("C:\\Users\\jo\\storm_warning.txt", "storm warning"),
        ("<stdin>", "Untitled article"),
        ("x/.txt", "Untitled article"),
    ],
)
def test_the_file_stem_title_keeps_dots_that_are_no_extension(name: str, title: str) -> None:
    # One stem title for text, Markdown and HTML input (the text path used to cut at any dot).
    article = text("It rained all day in the valley, and the river rose by a metre.\n", name)
    assert article.title == title


def test_only_debris_is_an_input_error() -> None:
    page = "Advertisement\nShare\nFacebook\nTwitter\n1 day ago\n6\n\nEnglish (US) ·\nRead more\n"
    with pytest.raises(
        InputError, match=r"^junk\.txt: no article text found \(only page debris\)$"
    ):
        text(page, "junk.txt")


LANGUAGE_PAGES = Path(__file__).resolve().parent / "data" / "language"


@pytest.mark.parametrize(
    ("name", "language"),
    [("japanese.txt", "Japanese"), ("russian.txt", "Russian"), ("french.txt", "French")],
)
def test_an_article_in_another_language_is_refused_naming_it(name: str, language: str) -> None:
    # Japanese was refused as "only page debris"; Russian and French were read as English.
    with pytest.raises(InputError) as caught:
        clean(read_source(LANGUAGE_PAGES / name))
    assert str(caught.value) == (
        f"{LANGUAGE_PAGES / name}: the article seems to be in {language}; the voice speaks English"
    )


def test_a_markdown_article_in_spanish_is_refused() -> None:
    body = """
        # Un puente nuevo en Sevilla

        Los primeros coches cruzaron el martes por la mañana el nuevo puente sobre el río,
        después de casi tres años de obras y un presupuesto más alto de lo previsto.

        Según el ayuntamiento, la obra reducirá en unos veinte minutos el tiempo de viaje de
        los vecinos de los barrios del sur.
        """
    with pytest.raises(InputError, match=r"^story\.md: the article seems to be in Spanish; "):
        markdown(body)


def test_an_english_article_quoting_other_languages_is_kept_whole() -> None:
    article = clean(read_source(LANGUAGE_PAGES / "english-with-quotes.txt"))
    assert article.title == "Tokyo, Paris and Moscow open their doors to night walkers"
    assert len(article.paragraphs) == 4
    assert "夜の美術館" in article.paragraphs[0]
    assert "« la nuit est à vous »" in article.paragraphs[1]


def test_a_few_foreign_words_alone_are_still_only_debris() -> None:
    with pytest.raises(InputError, match=r"no article text found \(only page debris\)$"):
        text("ニュース\n天気\nスポーツ\n")


def test_empty_markdown_is_an_input_error() -> None:
    with pytest.raises(InputError, match="no article text found"):
        markdown("<!-- nothing -->\n\n```\ncode only\n```\n")


BODY = [
    "The museum reopened on Saturday after a two-year renovation of its east wing.",
    "Visitors queued from early morning to see the restored murals and the new galleries.",
    "Staff said the related work on the west wing would begin in the spring of next year.",
    "The director thanked the donors who paid for most of the renovation work.",
]


def test_end_marker_ends_the_body_but_a_sentence_mentioning_it_does_not() -> None:
    teasers = [
        "Zoo closes for winter",
        "Lions move house",
        "The zoo will close its gates on Monday while the new enclosures are finished.",
        "The lions will move to a temporary home in the north of the park until March.",
    ]
    page = "\n".join(["Museum reopens after renovation", *BODY, "Related stories", *teasers])
    article = text(page)
    assert article.paragraphs == tuple(BODY)
    assert "related work" in article.paragraphs[2]
    without_marker = text(page.replace("Related stories\n", ""))
    assert without_marker.paragraphs[-1] == teasers[-1]


def test_end_marker_before_the_body_does_not_cut_it() -> None:
    page = "\n".join(["Museum reopens after renovation", "Comments", *BODY])
    assert text(page).paragraphs == tuple(BODY)


def test_author_bio_after_about_the_author_is_dropped() -> None:
    bio = "Jane Roe is a culture reporter who has covered museums for more than ten years."
    page = "\n".join(
        ["Museum reopens after renovation", "By Jane Roe", *BODY, "About the author", bio]
    )
    article = text(page)
    assert article.paragraphs == tuple(BODY)
    assert article.authors == ("Jane Roe",)


def test_menus_around_the_body_are_dropped() -> None:
    menu = ["Home", "News", "Sport", "Weather", "Culture", "Travel"]
    footer = [
        "About us",
        "Contact",
        "Careers",
        "Terms of Use",
        "Privacy Policy",
        "© 2025 Town Post",
    ]
    page = "\n".join([*menu, "", "Museum reopens after renovation", "", *BODY, "", *footer])
    article = text(page)
    assert article.title == "Museum reopens after renovation"
    assert article.paragraphs == tuple(BODY)


def test_a_short_list_introduced_by_a_colon_stays_in_the_body() -> None:
    items = ["Opening hours extended", "Free entry on Sundays", "New café in the courtyard"]
    page = "\n".join(
        ["Museum reopens after renovation", *BODY[:2], "The changes include:", *items, *BODY[2:]]
    )
    assert text(page).paragraphs == (*BODY[:2], "The changes include:", *items, *BODY[2:])


QUOTED_POST = [
    "The museum is open again and it looks wonderful",
    "Go and see the murals",
    "Thank you to everyone who made it happen pic.twitter.com/AbCdEf123",
    "— Jo Smith (@josmith) November 18, 2019",
]


def test_a_quoted_post_in_the_body_is_kept() -> None:
    # Four short lines in a row would be a menu, but they end in an attribution.
    page = "\n".join(["Museum reopens after renovation", *BODY[:2], *QUOTED_POST, *BODY[2:]])
    assert text(page).paragraphs == (*BODY[:2], *QUOTED_POST, *BODY[2:])


@pytest.mark.parametrize(
    "credits",
    [
        QUOTED_POST[2:],  # a quoted post that ends the article
        ["Why the museum took two years to renovate [ The Town Post ]"],  # an excerpt's source
    ],
)
def test_attributions_right_after_the_body_are_kept(credits: list[str]) -> None:
    footer = ["Get the newsletter", "Terms of Use", "Privacy Policy", "© 2025 Town Post"]
    page = "\n".join(["Museum reopens after renovation", *BODY, *credits, *footer])
    assert text(page).paragraphs == (*BODY, *credits)


def test_a_lead_and_the_headings_after_it_are_kept() -> None:
    lead = "Below, we look at what changed in each of the museum's wings."
    page = "\n".join(
        [
            "Museum reopens after renovation",
            "By Jane Roe",
            "Shares",
            lead,
            "East wing",  # a sub-heading before the densest run of article-like lines
            *BODY,
        ]
    )
    assert text(page).paragraphs == (lead, "East wing", *BODY)


@pytest.mark.parametrize("marker", ["DON'T MISS", "More:", "Related"])
def test_the_links_of_an_inline_box_are_dropped_and_the_story_goes_on(marker: str) -> None:
    links = ["Zoo closes for winter [VIDEO]", "Lions move house", "Parks budget cut"]
    page = "\n".join(["Museum reopens after renovation", *BODY[:2], marker, *links, *BODY[2:]])
    assert text(page).paragraphs == tuple(BODY)


# --- Markdown -------------------------------------------------------------------------------


def test_markdown_headings_become_sections() -> None:
    article = markdown(
        """
        # The Quiet Harbour

        Boats came back at **dawn**, said [the harbour master](https://example.com/hm).
        It was a *long* night.

        ## What happened

        - The storm broke the pier.
        - Two boats _sank_.

        What comes next
        ---------------

        Repairs start on Monday.

        ### Costs

        Nobody knows yet.
        """
    )
    assert article.title == "The Quiet Harbour"
    assert article.sections == (
        Section(None, ("Boats came back at dawn, said the harbour master. It was a long night.",)),
        Section("What happened", ("The storm broke the pier.", "Two boats sank.")),
        Section("What comes next", ("Repairs start on Monday.",)),
        Section("Costs", ("Nobody knows yet.",)),
    )


def test_markdown_front_matter_gives_title_authors_and_dates() -> None:
    article = markdown(
        """
        ---
        title: "The Quiet Harbour"
        author: [Jane Roe, John Doe]
        date: 2026-01-05
        updated: 2026-01-06
        publication: Harbour Gazette
        tags: storms
        ---

        # The Quiet Harbour

        The boats came back at dawn.
        """
    )
    assert article.title == "The Quiet Harbour"
    assert article.authors == ("Jane Roe", "John Doe")
    assert article.byline == "Jane Roe and John Doe · Harbour Gazette"
    assert article.publication == "Harbour Gazette"
    assert article.published == "2026-01-05"
    assert article.updated == "2026-01-06"
    assert article.extra == {"tags": "storms"}
    assert article.sections == (Section(None, ("The boats came back at dawn.",)),)


def test_markdown_drops_code_comments_images_and_urls() -> None:
    article = markdown(
        """
        # Title

        ![A boat at sea](boat.jpg "boat")

        Read the [full report][1] or visit <https://example.com>.
        <!-- editor: check the figures
        before publishing -->

        ```python
        print("not spoken")
        ```

        An escaped \\*star\\* and `inline code` stay as words.

        [1]: https://example.com/report
        """
    )
    assert article.paragraphs == (
        "Read the full report or visit .",
        "An escaped *star* and inline code stay as words.",
    )
    assert "example.com" not in all_text(article)
    assert "not spoken" not in all_text(article)


def test_markdown_byline_line_and_debris_rules() -> None:
    article = markdown(
        """
        # Harbour news

        By Jane Roe · Harbour Gazette

        Advertisement

        The boats came back at dawn after a long night at sea, and the crews were tired.

        ## Related stories

        - [Another story](https://example.com/another)
        """
    )
    assert article.authors == ("Jane Roe",)
    assert article.publication == "Harbour Gazette"
    assert article.paragraphs == (
        "The boats came back at dawn after a long night at sea, and the crews were tired.",
    )


def test_markdown_links_with_parentheses_and_titles() -> None:
    article = markdown(
        """
        # Title

        See [Foo (bar)](https://en.wikipedia.org/wiki/Foo_(bar) "Foo") and [this](<x>).
        """
    )
    assert article.paragraphs == ("See Foo (bar) and this.",)


def test_markdown_without_title_uses_the_file_stem() -> None:
    article = markdown("The boats came back at dawn.\n", "notes/harbour_report.md")
    assert article.title == "harbour report"


# --- Debris files ---------------------------------------------------------------------------


def test_default_rules_are_loaded_once() -> None:
    rules = load_debris()
    assert isinstance(rules, DebrisRules)
    assert load_debris() is rules
    assert rules.line and rules.prefix and rules.end and rules.block


def test_user_debris_file_adds_a_pattern(tmp_path: Path) -> None:
    page = "\n".join(
        ["Museum reopens after renovation", *BODY[:2], "Brought to you by Acme Soap", *BODY[2:]]
    )
    assert "Brought to you by Acme Soap" in text(page).paragraphs
    extra = tmp_path / "mine.toml"
    extra.write_text(
        "[[line]]\npattern = '(?i)brought to you by .{1,40}'\nreason = \"sponsor line\"\n",
        encoding="utf-8",
    )
    rules = load_debris([extra])
    assert len(rules.line) == len(load_debris().line) + 1
    assert text_with(page, rules).paragraphs == tuple(BODY)


def test_malformed_debris_file_names_the_file_and_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('[[line]]\npattern = "unclosed\n', encoding="utf-8")
    with pytest.raises(InputError, match=rf"^{re.escape(str(bad))}:2: malformed debris file"):
        load_debris([bad])


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("[[lines]]\npattern = 'x'\n", "unknown debris section [lines]"),
        (
            "[[line]]\nreason = 'no pattern'\n",
            "[[line]] entry 1: pattern must be a non-empty string",
        ),
        ("[[line]]\npattern = '(unclosed'\n", "[[line]] entry 1: bad pattern"),
        ("[[end]]\npattern = 'x'\nhard = 'yes'\n", "[[end]] entry 1: hard must be true or false"),
        ("[[line]]\npattern = 'x'\ncolour = 'red'\n", "[[line]] entry 1: unknown key 'colour'"),
    ],
)
def test_debris_file_errors_name_the_file(tmp_path: Path, content: str, message: str) -> None:
    bad = tmp_path / "rules.toml"
    bad.write_text(content, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_debris([bad])
    assert str(caught.value).startswith(f"{bad}: ")
    assert message in str(caught.value)


def test_missing_debris_file_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such debris file"):
        load_debris([tmp_path / "absent.toml"])


# --- Real scraped pages (Scrapinghub article-extraction-benchmark) -----------------------------


def shingles(value: str) -> Counter[tuple[str, ...]]:
    tokens = re.findall(r"\w+", value)
    return Counter(tuple(tokens[i : i + 4]) for i in range(max(1, len(tokens) - 3)))


def squash(value: str) -> str:
    return re.sub(r"\s+", " ", value).strip()


#: Per page: a line of the page that is menu, share panel or footer and must be gone.
CORPUS_DEBRIS = {
    "usatoday-meth-campaign": [
        "Welcome to USA TODAY NETWORK’S EUROPEAN UNION EXPERIENCE",
        "Terms of Service Privacy Notice",
        "© Copyright Gannett 2018",
    ],
    "bbc-taylor-swift-amas": [
        "Share this with Facebook",
        "Close share panel",
        "Image copyright Getty Images",
        "Wave of Israeli strikes hit Iran's forces in Syria",
        "Copyright © 2019 BBC.",
    ],
    "reuters-oil-stocks": [
        "Discover Thomson Reuters",
        "5 Min Read",
        "Reporting by Rodrigo Campos",
        "narrow-browser-and-phone",
        "© 2019 Reuters. All Rights Reserved.",
    ],
    "cnn-asian-markets": [
        "JUST WATCHED",
        "China censors a lot, from Winnie the Pooh to the NBA",
        "Chat with us in Facebook Messenger.",
        "Most stock quote data provided by BATS.",
        "Modern Slavery Act Statement",
    ],
}


@pytest.mark.parametrize("name", sorted(CORPUS_DEBRIS))
def test_scraped_page_keeps_every_truth_sentence(name: str) -> None:
    article = clean(read_source(CORPUS / f"{name}.page.txt"))
    spoken = "\n".join(article.paragraphs)
    rules = load_debris()  # instrument codes ("US10YT=RR") are cut inside sentences
    truth = "\n".join(
        rules.cut_inline(line)
        for line in (CORPUS / f"{name}.truth.txt").read_text(encoding="utf-8").split("\n")
    )
    wanted, got = shingles(truth), shingles(spoken)
    assert sum((wanted & got).values()) / sum(wanted.values()) >= 0.95
    for paragraph in truth.split("\n"):
        if re.search(r"[.!?][\"'”’)]*$", paragraph.strip()):
            assert squash(paragraph) in squash(spoken), paragraph


@pytest.mark.parametrize("name", sorted(CORPUS_DEBRIS))
def test_scraped_page_drops_menus_and_footers(name: str) -> None:
    article = clean(read_source(CORPUS / f"{name}.page.txt"))
    everything = all_text(article)
    for debris in CORPUS_DEBRIS[name]:
        assert debris not in everything, debris


def test_scraped_page_metadata() -> None:
    article = clean(read_source(CORPUS / "cnn-asian-markets.page.txt"))
    assert article.title == "Investors don't seem to know what to make of the US-China trade war"
    assert article.byline == "By Jill Disis, CNN Business"
    assert article.authors == ("Jill Disis",)
    assert article.publication == "CNN Business"
    assert article.updated == "0339 GMT (1139 HKT) November 19, 2019"
    reuters = clean(read_source(CORPUS / "reuters-oil-stocks.page.txt"))
    assert reuters.title == "Oversupply angst drags oil lower, stocks drift near highs"
    assert reuters.authors == ("Rodrigo Campos",)
    assert reuters.published == "November 19, 2019 / 12:21 AM"
    assert reuters.updated == "14 hours ago"
