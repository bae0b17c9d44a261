"""Title, byline and date found by the page's structure, in text scrapes, Markdown and HTML.

The headline is the heading-shaped line the body follows, near the byline and date; never a
byline, a section label or a reporter's job title; the site's name is not left in it. A byline
keeps people's names only: organisations among them are dropped, an organisation alone is the
publication, and a "From <address>" line is no byline at all. The articles are written for
these tests.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from article_audio.apps.render import make_script
from article_audio.config import ScriptOptions
from article_audio.script import NarrationScript
from article_audio.text.read import Source
from article_audio.text.sitename import strip_site_name

BODY = [
    "Waves higher than the harbour wall swept over the promenade on Tuesday night, flooding "
    "shops and cafes along the front and leaving boats stranded on the road.",
    "The coastguard said three people were taken to hospital with minor injuries after their "
    "car was caught by the water near the old lighthouse.",
    "Council workers spent Wednesday morning clearing sand and seaweed from the streets, and "
    "the mayor said repairs to the sea wall would begin within the month.",
    "Forecasters expect calmer weather by the weekend, although another band of wind and rain "
    "is due to reach the coast early next week.",
]
HEADLINE = "Storm hits coast as sea wall gives way"


def script(source: Source, voice: Path) -> NarrationScript:
    return make_script(source, ScriptOptions(voice=str(voice)))


def intro(made: NarrationScript) -> list[str]:
    return [sentence.text for sentence in made.chapters[0].sentences]


def spoken(made: NarrationScript) -> str:
    return " ".join(sentence.text for sentence in made.sentences)


def text_page(*lines: str) -> Source:
    return Source("\n".join(lines) + "\n", "text", "page.txt")


def markdown_page(body: str) -> Source:
    return Source(textwrap.dedent(body).lstrip("\n"), "markdown", "story.md")


def html_page(head: str, body: str) -> Source:
    text = f"<!DOCTYPE html><html><head>{head}</head><body>{body}</body></html>"
    return Source(text, "html", "story.html")


def html_article(title: str, header: str, footer: str = "", meta: str = "") -> Source:
    paragraphs = "".join(f"<p>{paragraph}</p>" for paragraph in BODY)
    return html_page(
        f"<title>{title}</title>{meta}",
        f"<nav><a href='/'>Home</a> <a href='/news'>News</a></nav><article><h1>{HEADLINE}</h1>"
        f"{header}{paragraphs}</article><footer>{footer}</footer>",
    )


# --- The site's name is not left in the title -------------------------------------------------


@pytest.mark.parametrize(
    ("title", "sites", "page", "expected"),
    [
        (f"{HEADLINE} | Metro Tribune", (), "", HEADLINE),
        (f"{HEADLINE} - BBC News", (), "", HEADLINE),
        (f"{HEADLINE} — The Harbour Gazette", (), "", HEADLINE),
        (f"Metro Tribune: {HEADLINE}", (), "© 2026 Metro Tribune. All rights reserved.", HEADLINE),
        (f"Metro Tribune: {HEADLINE}", ("Metro Tribune",), "", HEADLINE),
        (f"{HEADLINE} | Local | metrotribune.example", ("metrotribune.example",), "", HEADLINE),
        (
            "Ukraine: what we know about the talks",
            (),
            "Ukraine\nWorld",
            "Ukraine: what we know about the talks",
        ),
        ("Ukraine: What we know so far", (), "", "Ukraine: What we know so far"),
        (
            "Storm hits coast - and the worst is yet to come",
            (),
            "",
            "Storm hits coast - and the worst is yet to come",
        ),
    ],
)
def test_the_sites_name_is_cut_from_a_title(
    title: str, sites: tuple[str, ...], page: str, expected: str
) -> None:
    assert strip_site_name(title, sites, page) == expected


def test_text_scrape_title_line_loses_the_site_name(fake_voice: Path) -> None:
    made = script(
        text_page(f"{HEADLINE} | Metro Tribune", "Home", "News", "Sport", *BODY), fake_voice
    )
    assert intro(made) == [f"{HEADLINE}."]


def test_text_scrape_site_prefix_recurring_on_the_page_is_cut(fake_voice: Path) -> None:
    made = script(
        text_page(f"Metro Tribune: {HEADLINE}", "Home", "News", *BODY, "© 2026 Metro Tribune"),
        fake_voice,
    )
    assert intro(made)[0] == f"{HEADLINE}."


def test_html_title_loses_a_site_name_given_as_og_site_name(fake_voice: Path) -> None:
    source = html_article(
        f"Metro Tribune: {HEADLINE}",
        "",
        meta='<meta property="og:site_name" content="Metro Tribune">'
        f'<meta property="og:title" content="Metro Tribune: {HEADLINE}">',
    )
    assert script(source, fake_voice).title == HEADLINE


def test_html_title_loses_a_short_brand_suffix(fake_voice: Path) -> None:
    source = html_article(f"{HEADLINE} - BBC News", "")
    assert script(source, fake_voice).title == HEADLINE


# --- The headline is never a byline, a section label or a job title ---------------------------


def test_reporter_and_job_title_are_not_the_title(fake_voice: Path) -> None:
    made = script(
        text_page(
            "Environment",
            "Climate crisis",
            HEADLINE,
            "Residents say they were given no warning before the water came in.",
            "Priya Raman Environment reporter",
            "Tue 4 Mar 2025 06.00 GMT",
            *BODY,
        ),
        fake_voice,
    )
    assert intro(made) == [f"{HEADLINE}.", "By Priya Raman."]
    assert "Environment reporter" not in spoken(made)


def test_section_label_above_the_headline_is_not_the_title(fake_voice: Path) -> None:
    made = script(
        text_page(
            "World | Europe", "Weather news", HEADLINE, "By Jo Smith", "March 4, 2025", *BODY
        ),
        fake_voice,
    )
    assert intro(made) == [f"{HEADLINE}.", "By Jo Smith."]


# --- Bylines ----------------------------------------------------------------------------------

CONDE = "By Condé Nast and Louise Matsakis"
SCIENCE_X = "By Science X"
HOSTED = "By Lisa Mascaro, Mary Clare Jalonick and Farnoush Amiri, The Associated Press, Hosted."
FROM_URL = "From https://www.hawaiinewsnow.com"
COPYRIGHT = "© 2026 Condé Nast. All rights reserved."
THREE = "By Lisa Mascaro, Mary Clare Jalonick and Farnoush Amiri, The Associated Press."
#: (byline line, page footer, the spoken credit it gives), for text scrapes and Markdown alike.
BYLINE_CASES = [
    (CONDE, COPYRIGHT, ["By Louise Matsakis."]),
    (SCIENCE_X, "", ["From Science X."]),
    (HOSTED, "", [THREE]),
    (FROM_URL, "", []),
]


@pytest.mark.parametrize(("byline", "footer", "credit"), BYLINE_CASES)
def test_bylines_in_a_text_scrape(
    byline: str, footer: str, credit: list[str], fake_voice: Path
) -> None:
    made = script(
        text_page("Home", "News", HEADLINE, byline, "March 4, 2025", *BODY, footer), fake_voice
    )
    assert intro(made) == [f"{HEADLINE}.", *credit]
    body = " ".join(s.text for c in made.chapters[1:] for s in c.sentences)
    assert byline.split()[-1].rstrip(".") not in body
    assert body.startswith("Waves higher")


@pytest.mark.parametrize(("byline", "footer", "credit"), BYLINE_CASES)
def test_bylines_in_markdown(byline: str, footer: str, credit: list[str], fake_voice: Path) -> None:
    paragraphs = "\n\n".join(BODY)
    source = markdown_page(
        f"# {HEADLINE}\n\n{byline}\n\nMarch 4, 2025\n\n{paragraphs}\n\n{footer}\n"
    )
    made = script(source, fake_voice)
    assert intro(made) == [f"{HEADLINE}.", *credit]
    body = " ".join(s.text for c in made.chapters[1:] for s in c.sentences)
    assert byline.split()[-1].rstrip(".") not in body


@pytest.mark.parametrize(
    ("author", "footer", "credit"),
    [
        ("Condé Nast; Louise Matsakis", COPYRIGHT, ["By Louise Matsakis."]),
        ("Science X", "", []),
        (
            "Lisa Mascaro; Mary Clare Jalonick; Farnoush Amiri",
            "",
            ["By Lisa Mascaro, Mary Clare Jalonick and Farnoush Amiri."],
        ),
    ],
)
def test_author_metadata_in_html(
    author: str, footer: str, credit: list[str], fake_voice: Path
) -> None:
    source = html_article(HEADLINE, "", footer, f'<meta name="author" content="{author}">')
    made = script(source, fake_voice)
    assert intro(made) == [f"{HEADLINE}.", *credit]


@pytest.mark.parametrize(
    ("line", "credit"), [(CONDE, ["By Louise Matsakis."]), (FROM_URL, []), (HOSTED, [THREE])]
)
def test_byline_printed_in_an_html_article(line: str, credit: list[str], fake_voice: Path) -> None:
    source = html_article(HEADLINE, f"<p>{line}</p>", COPYRIGHT)
    made = script(source, fake_voice)
    assert intro(made) == [f"{HEADLINE}.", *credit]
    assert spoken(made).count("Matsakis") <= 1
    assert "hawaiinewsnow" not in spoken(made)
    assert "Hosted" not in spoken(made)


@pytest.mark.parametrize(
    ("author", "credit"),
    [
        (HOSTED, ["By Lisa Mascaro, Mary Clare Jalonick and Farnoush Amiri."]),
        (CONDE, ["By Louise Matsakis."]),
        (FROM_URL, []),
    ],
)
def test_author_metadata_worded_as_a_byline(
    author: str, credit: list[str], fake_voice: Path
) -> None:
    source = html_article(HEADLINE, "", COPYRIGHT, f'<meta name="author" content="{author}">')
    made = script(source, fake_voice)
    assert intro(made) == [f"{HEADLINE}.", *credit]
    assert "hawaiinewsnow" not in spoken(made)


def test_a_site_name_printed_as_a_line_of_the_page_is_cut_after_the_title() -> None:
    title = f"{HEADLINE} | The Metro Tribune Online Edition"
    assert strip_site_name(title, (), "The Metro Tribune Online Edition\nHome") == HEADLINE
    assert strip_site_name(title, (), "") == title


@pytest.mark.parametrize("label", ["Home › World › Europe", "News | Climate Crisis | Oceans"])
def test_a_breadcrumb_is_not_the_title(label: str, fake_voice: Path) -> None:
    made = script(text_page(label, HEADLINE, *BODY), fake_voice)
    assert intro(made) == [f"{HEADLINE}."]


@pytest.mark.parametrize(
    "lines",
    [
        ["UK Weather › Storms", HEADLINE],
        [HEADLINE, "Jo Smith", "Senior weather correspondent", "March 4, 2025"],
        ["Weather", HEADLINE, "Jo Smith, Weather Correspondent", "March 4, 2025"],
    ],
)
def test_labels_and_job_titles_are_neither_title_nor_body(
    lines: list[str], fake_voice: Path
) -> None:
    made = script(text_page(*lines, *BODY), fake_voice)
    credit = ["By Jo Smith."] if "Jo Smith" in " ".join(lines) else []
    assert intro(made) == [f"{HEADLINE}.", *credit]
    body = " ".join(s.text for c in made.chapters[1:] for s in c.sentences)
    assert body.startswith("Waves higher") and "orrespondent" not in body


def test_the_sites_name_is_not_taken_for_the_title(fake_voice: Path) -> None:
    page = text_page(
        "Metro Tribune Daily Edition", "Home", HEADLINE, *BODY, "© 2026 Metro Tribune Daily Edition"
    )
    assert intro(script(page, fake_voice)) == [f"{HEADLINE}."]


def test_a_bloggers_own_name_in_the_copyright_line_stays_the_byline(fake_voice: Path) -> None:
    footer = "© 2026 Dana Okafor. All rights reserved."
    made = script(text_page(HEADLINE, "By Dana Okafor", "March 4, 2025", *BODY, footer), fake_voice)
    assert intro(made) == [f"{HEADLINE}.", "By Dana Okafor."]
    source = html_article(HEADLINE, "", footer, '<meta name="author" content="Dana Okafor">')
    assert intro(script(source, fake_voice)) == [f"{HEADLINE}.", "By Dana Okafor."]


def test_a_shouted_end_of_a_headline_is_not_a_brand() -> None:
    assert strip_site_name("Pearl dress worth $150K -- STOLEN!!!") == (
        "Pearl dress worth $150K -- STOLEN!!!"
    )


def test_author_metadata_with_a_job_title_is_the_reporters_name(fake_voice: Path) -> None:
    meta = '<meta name="author" content="Priya Raman Environment reporter">'
    made = script(html_article(HEADLINE, "", "", meta), fake_voice)
    assert intro(made) == [f"{HEADLINE}.", "By Priya Raman."]
