"""HTML pages become articles: trafilatura's extraction, our metadata, sections and debris rules.

The saved pages in tests/data/html are real news pages from the Scrapinghub benchmark (see its
README). Hostile-page tests check that parsing resolves no entity and fetches nothing.
"""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from article_audio.apps.render import make_script
from article_audio.cli import main
from article_audio.config import ScriptOptions
from article_audio.errors import InputError
from article_audio.text.article import Article, Section
from article_audio.text.debris import load_debris
from article_audio.text.extract import (
    Block,
    apply_debris,
    clean_authors,
    extract_article,
    make_sections,
    parse_html,
)
from article_audio.text.read import Source, read_source
from article_audio.text.recover import page_text

PAGES = Path(__file__).resolve().parent / "data" / "html"
CLI = str(Path(sys.executable).parent / "article-audio")


def page(name: str) -> Article:
    return extract_article(read_source(PAGES / f"{name}.html"))


def spoken_text(article: Article) -> str:
    return " ".join(article.paragraphs)


def html_source(body: str, head: str = "<title>A test page</title>") -> Source:
    """A page with ``body`` in an <article>, in the shape news sites use."""
    text = f"<!DOCTYPE html><html><head>{head}</head><body><article>{body}</article></body></html>"
    return Source(text=text, format="html", name="test.html")


PARAGRAPHS = "".join(
    f"<p>Paragraph {n} of the story says something about the council vote on the new budget, "
    f"and the mayor's office answered every question the reporters asked on Tuesday.</p>"
    for n in range(1, 7)
)


# --- The corpus pages ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "title", "authors", "site", "date"),
    [
        (
            "sciencealert-europa-plumes",
            "NASA Just Confirmed There Are Water Plumes Above The Surface of Jupiter's Moon Europa",
            ("Victor Tangermann",),
            "ScienceAlert",
            "2019-11-18",
        ),
        (
            "aljazeera-moon-shot",
            "NASA’s commercial moon shot: Musk's and Bezos's firms to bid",
            ("Laura Winter",),
            "Al Jazeera",
            "2019-11-19",
        ),
        (
            "ap-sondland-ukraine",
            "Unpredictable Sondland faces questions about Trump, Ukraine",
            ("Lisa Mascaro", "Mary Clare Jalonick", "Eric Tucker"),
            "Hosted",  # the page's own og:site_name
            "2019-11-20",
        ),
        (
            "express-hong-kong",
            "Hong Kong chaos: China deploys troops and warns SURRENDER is only option",
            ("Laura Mowat",),
            "Express.co.uk",
            "2019-11-19",
        ),
        (
            "vox-delhi-air",
            "The law that’s helping fuel Delhi’s deadly air pollution",
            ("Umair Irfan",),
            "Vox",
            "2019-11-08",
        ),
    ],
)
def test_corpus_page_metadata(
    name: str, title: str, authors: tuple[str, ...], site: str, date: str
) -> None:
    article = page(name)
    assert article.title == title
    assert article.authors == authors
    assert article.publication == site
    assert article.published == date
    assert article.byline is not None and article.byline.startswith(f"By {authors[0]}")
    assert article.byline.endswith(f", {site}")
    assert article.source == str(PAGES / f"{name}.html")


def test_h3_headings_become_sections() -> None:
    article = page("vox-delhi-air")
    assert [s.heading for s in article.sections] == [
        None,
        "Why Delhi’s air pollution gets so bad this time of year",
        "Delhi’s air wasn’t always so bad. A water conservation law helped fuel the rise in "
        "pollution.",
        "Delhi officials are responding to the air pollution, but they are reluctant to take "
        "aggressive action",
        "Air pollution can be solved. Some cities have made great progress.",
    ]
    assert all(len(s.paragraphs) >= 5 for s in article.sections)
    assert article.sections[1].paragraphs[0].startswith("Joshua Apte, a professor")


@pytest.mark.parametrize(
    ("name", "first", "last", "debris"),
    [
        (
            "sciencealert-europa-plumes",
            "A team led by researchers out of NASA's Goddard Space Flight Center",
            "Read the original article.",
            ["Artist's impression of the plumes", "FUTURISM", "All rights reserved", "Privacy"],
        ),
        (
            "aljazeera-moon-shot",
            "Washington, DC, United States: Getting to the Moon",
            "adds to the mix.”",
            [
                "This illustration of SpaceX's concept",  # a photo caption
                "SOURCE: Al Jazeera News",
                "China completes landing test",  # a related link
                "More:",
                "ABOUT THE AUTHOR",
            ],
        ),
        (
            "ap-sondland-ukraine",
            "WASHINGTON (AP) — Ambassador Gordon Sondland",
            "by money paid to his son.”",
            [
                "contributed to this report",  # the wire credit
                "Patrick Semansky",  # a photo credit
                "'Tarzan' actor",  # a related link
                "___",
            ],
        ),
        (
            "express-hong-kong",
            "This comes after police said the demonstrators inside the Polytechnic University",
            "meaningful political dialogue”.",
            [
                "SEE MORE",
                "DON'T MISS",
                "China furious at Macron",  # the inline "Don't miss" links
                "[REACTION]",
                "(Image: GETTY",  # captions
                "Carol Vorderman",  # a related link
            ],
        ),
        (
            "vox-delhi-air",
            "Another cloud of choking smoke and dust",
            "political will and a bit of imagination.”",
            [
                "Sanjeev Verma/Hindustan Times/Getty Images",  # a photo credit
                "remains “unhealthy” this week",  # a caption
                "Share this story",
                "Next Up In",
                "Sign up for the newsletter",
                "We use cookies",
            ],
        ),
        (
            # The article goes on in a second container after an ad: read from the page text.
            "wired-neo-banks",
            "The latest wave of tech-based financial startups",
            "When it comes to the actual sickness, you’re still on your own.",
            ["Subscribe to WIRED", "Advertisement", "Our present financial ruin"],  # a promo, a dek
        ),
        (
            # Embedded tweets trafilatura drops are read, with their attributions.
            "nj-meth-slogan",
            "Remember New Jersey’s epic quest to find a state slogan?",
            "— Cooper Lund (@cooperlund) November 18, 2019",
            ["Have a tip?", "Disclaimer", "Registration on or use of this site"],
        ),
    ],
)
def test_body_starts_and_ends_like_the_article_and_speaks_no_debris(
    name: str, first: str, last: str, debris: list[str]
) -> None:
    article = page(name)
    text = spoken_text(article)
    assert article.paragraphs[0].startswith(first), article.paragraphs[0][:80]
    assert article.paragraphs[-1].endswith(last), article.paragraphs[-1][-80:]
    for snippet in debris:
        assert snippet not in text, snippet
    assert article.title not in article.paragraphs


def test_a_paragraph_trafilatura_cuts_short_is_read_whole() -> None:
    paragraphs = page("macrumors-scissor-keyboard").paragraphs
    assert paragraphs[0].startswith("Following the 16-inch MacBook Pro, Apple plans")
    assert paragraphs[0].endswith(
        "DigiTimes. A preview of the report was shared with paying subscribers."
    )
    assert (
        "The report claims the display size will remain 13.3 inches, although given the source "
        "is DigiTimes, we would not completely rule out hopes of a larger 14-inch display."
    ) in paragraphs[2]  # not cut in two before "DigiTimes"
    assert sum("A preview of the report" in paragraph for paragraph in paragraphs) == 1


def test_embedded_tweet_lines_become_separate_paragraphs() -> None:
    paragraphs = page("vox-delhi-air").paragraphs
    tweet = "Delhi has turned into a gas chamber due to smoke from crop burning in neighbouring"
    assert f"{tweet} states" in paragraphs
    assert any(p.startswith("It is very imp that we protect ourselves") for p in paragraphs)


# --- Structure, metadata and debris on small pages ----------------------------------------


def test_headings_lists_tables_and_line_breaks() -> None:
    source = html_source(
        "<h1>The headline of the story</h1>"
        + PARAGRAPHS
        + "<h2>What the council decided</h2>"
        + PARAGRAPHS
        + "<ul><li>The first item of the list names the parks budget.</li>"
        "<li>The second item names the roads budget.</li></ul>"
        "<table><tr><td>Parks</td><td>$4.5 million</td></tr>"
        "<tr><td>Roads</td><td>$12 million</td></tr></table>"
        "<p>A poem has lines<br>That start with capitals<br>and lines that go on.</p>"
        "<h4>A minor heading read aloud</h4>" + PARAGRAPHS,
        head="<title>The headline of the story - The Gazette</title>"
        '<meta property="og:site_name" content="The Gazette">',
    )
    article = extract_article(source)
    assert article.title == "The headline of the story"
    assert article.publication == "The Gazette"
    assert [s.heading for s in article.sections] == [None, "What the council decided"]
    paragraphs = article.sections[1].paragraphs
    assert "The first item of the list names the parks budget." in paragraphs
    assert "Parks, $4.5 million" in paragraphs
    assert "A poem has lines" in paragraphs
    assert "That start with capitals and lines that go on." in paragraphs
    assert "A minor heading read aloud" in paragraphs
    assert "The headline of the story" not in article.paragraphs


def test_debris_rules_apply_to_extracted_paragraphs(tmp_path: Path) -> None:
    source = html_source(
        PARAGRAPHS[: len(PARAGRAPHS) // 2]
        + "<p>Read more: The mayor's other budget fights</p>"
        + "<p>Reporting by Jane Smith; Editing by John Doe</p>"
        + "<p>Sponsored by the Friends of the Library Foundation</p>"
        + PARAGRAPHS[len(PARAGRAPHS) // 2 :]
        + "<p>Related stories</p><p>Another story about roads</p><p>And one about parks</p>"
    )
    text = spoken_text(extract_article(source))
    assert "Read more" not in text
    assert "Reporting by" not in text
    assert "Another story about roads" not in text  # after the "Related stories" end marker
    assert "Paragraph 6 of the story" in text
    assert "Sponsored by the Friends" in text  # not a shipped rule…
    rules = tmp_path / "mine.toml"
    rules.write_text(
        "[[line]]\npattern = '(?i)sponsored by .{1,80}'\nreason = \"sponsor credit\"\n",
        encoding="utf-8",
    )
    text = spoken_text(extract_article(source, load_debris([rules])))
    assert "Sponsored by the Friends" not in text  # …but the user's
    assert "Paragraph 6 of the story" in text


def test_inline_related_box_is_dropped_but_the_story_goes_on() -> None:
    source = html_source(
        PARAGRAPHS
        + "<p>DON'T MISS</p><p>A linked headline about something else</p>"
        + "<p>Another linked headline [VIDEO]</p>"
        + PARAGRAPHS.replace("Paragraph", "Later paragraph")
    )
    text = spoken_text(extract_article(source))
    assert "DON'T MISS" not in text
    assert "linked headline" not in text
    assert "Later paragraph 6" in text


def test_an_end_marker_before_the_article_is_not_read() -> None:
    # Paragraphs go through the same debris engine as scraped lines: a marker that cannot end
    # the article yet ("Related stories" above its first paragraph) is dropped, never read.
    story = [
        Block(0, f"Paragraph {n} of the story tells what the council decided.") for n in (1, 2)
    ]
    blocks = apply_debris([Block(0, "Related stories"), *story], load_debris())
    assert blocks == story


def test_a_page_in_another_language_is_refused_naming_it() -> None:
    path = PAGES.parent / "language" / "japanese.html"
    with pytest.raises(InputError) as caught:
        extract_article(read_source(path))
    assert str(caught.value) == (
        f"{path}: the article seems to be in Japanese; the voice speaks English"
    )


def test_an_english_page_quoting_other_languages_is_read() -> None:
    article = extract_article(read_source(PAGES.parent / "language" / "english-with-quotes.html"))
    assert len(article.paragraphs) == 4
    assert "夜の美術館" in article.paragraphs[0]


def test_a_hover_card_inside_a_sentence_is_not_read() -> None:
    card = (
        '<span><img src="noem.jpg" alt=""><a href="/people/noem">Kristi Lynn Noem</a>'
        '<a href="/news/1">Governor doubles down on slogan</a> <a href="/people/noem">MORE</a>'
        "</span>"
    )
    source = html_source(
        f'<p>South Dakota Gov. <span><a href="/people/noem">Kristi Noem</a>{card}</span> (R) '
        "is defending the state's launch of an anti-drug campaign, her office said on Monday "
        "in a statement to reporters.</p>" + PARAGRAPHS
    )
    paragraphs = extract_article(source).paragraphs
    assert paragraphs[0].startswith("South Dakota Gov. Kristi Noem (R) is defending the state's")
    assert "doubles down" not in spoken_text(extract_article(source))


def test_a_heading_right_before_another_is_read_as_a_paragraph() -> None:
    blocks = [
        Block(0, "The review ends here."),
        Block(2, "Score 4.5 out of 5"),
        Block(2, "Where to buy"),
        Block(0, "Resellers offer discounts."),
        Block(2, "Tell us what you think"),
    ]
    assert make_sections(blocks) == (
        Section(None, ("The review ends here.", "Score 4.5 out of 5")),
        Section("Where to buy", ("Resellers offer discounts.",)),
    )


def test_page_text_is_the_visible_text_a_line_per_block() -> None:
    tree = parse_html(
        "<html><head><title>Budget vote</title><script>var x = 1;</script></head><body>"
        "<nav><a href='/'>Home</a></nav><h1>Budget vote</h1>"
        "<p>The council <a href='/x'>voted</a> on <em>Tuesday</em>.<br>A second line.</p>"
        "<figure><img src='a.jpg'><figcaption>The council chamber</figcaption></figure>"
        "<div class='image-caption'>Councillors at the vote</div>"
        "<div style='display: none'>Hidden text</div><p hidden>Also hidden</p>"
        "<ul><li>One</li><li>Two</li></ul><footer>© 2025 Gazette</footer></body></html>"
    )
    assert page_text(tree).split("\n") == [
        "Budget vote",
        "Budget vote",
        "The council voted on Tuesday.",
        "A second line.",
        "One",
        "Two",
    ]


@pytest.mark.parametrize(
    ("raw", "site", "expected"),
    [
        ("Tom Krisher; Ap Auto Writer", "Connecticut Post", ("Tom Krisher",)),
        ("Victor Tangermann; Futurism", "ScienceAlert", ("Victor Tangermann",)),
        ("Jill Disis; CNN Business", "CNN", ("Jill Disis",)),
        ("Amy Kuperinsky; NJ Advance Media", "Nj", ("Amy Kuperinsky",)),
        ("Finian Cunningham Sputnik International", "SputnikInt", ("Finian Cunningham",)),
        ("Mike Wuerthele; Malcolm Owen Monday; November", "AppleInsider", None),
        ("Tom Gillespie News reporter", "Sky News", ("Tom Gillespie",)),
        ("Troy Smith; Troy L Smith; Cleveland com", "Cleveland", ("Troy Smith",)),
        ("Detroit News wire services Published", "The Detroit News", ()),
        ("The Russian; Syrian defense ministries", None, ()),
        ("Reuters", "VentureBeat", ()),
        ("Jane Post", "The Washington Post", ("Jane Post",)),
        ("Ludwig van Beethoven", None, ("Ludwig van Beethoven",)),
    ],
)
def test_author_names_are_cleaned(
    raw: str, site: str | None, expected: tuple[str, ...] | None
) -> None:
    if expected is None:
        expected = ("Mike Wuerthele", "Malcolm Owen")
    assert clean_authors(raw, site) == expected


def test_byline_and_intro_for_a_page_without_authors() -> None:
    source = html_source(
        PARAGRAPHS,
        head='<title>Budget vote</title><meta property="og:site_name" content="Gazette">',
    )
    article = extract_article(source)
    assert article.authors == ()
    assert article.byline is None
    assert article.publication == "Gazette"


@pytest.mark.parametrize(
    "text",
    [
        "<html><head><title>Nothing here</title></head><body><nav>Home</nav></body></html>",
        "<html><body><p>Share</p><p>Read more</p></body></html>",
        "<html></html>",
        "<html><body><script>var story = 'a long story in a script';</script></body></html>",
    ],
)
def test_a_page_without_an_article_is_a_clear_error(text: str) -> None:
    with pytest.raises(InputError, match="no article text found"):
        extract_article(Source(text=text, format="html", name="empty.html"))


# --- Hostile pages ---------------------------------------------------------------------------


@pytest.fixture
def listener() -> Iterator[socket.socket]:
    """A TCP socket on 127.0.0.1 that records whether anything connects to it."""
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    server.setblocking(False)
    yield server
    server.close()


def test_hostile_page_resolves_no_entity_and_fetches_nothing(
    tmp_path: Path, listener: socket.socket
) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOPSECRETVALUE", encoding="utf-8")
    port = listener.getsockname()[1]
    remote = f"http://127.0.0.1:{port}"
    laughs = "".join(f'<!ENTITY l{n} "{f"&l{n - 1};" * 10}">' for n in range(1, 9))
    text = textwrap.dedent(
        f"""\
        <?xml version="1.0"?>
        <!DOCTYPE html [
          <!ENTITY xxe SYSTEM "file://{secret}">
          <!ENTITY remote SYSTEM "{remote}/entity">
          <!ENTITY l0 "ha">{laughs}
        ]>
        <html><head><title>Hostile</title>
        <link rel="stylesheet" href="{remote}/style.css">
        <meta http-equiv="refresh" content="0; url={remote}/refresh">
        <script src="{remote}/script.js"></script></head>
        <body><article><img src="{remote}/image.png"><iframe src="{remote}/frame"></iframe>
        <p>Secret: &xxe; remote: &remote; laughs: &l8; and the story goes on with a sentence.</p>
        {PARAGRAPHS}
        </article></body></html>
        """
    )
    article = extract_article(Source(text=text, format="html", name="hostile.html"))
    body = spoken_text(article)
    assert "TOPSECRETVALUE" not in body
    assert "hahaha" not in body
    assert "Paragraph 6 of the story" in body
    with pytest.raises(BlockingIOError):
        listener.accept()  # nobody connected


def test_a_page_named_like_a_url_is_not_fetched(listener: socket.socket) -> None:
    port = listener.getsockname()[1]
    source = Source(
        text=f"http://127.0.0.1:{port}/article", format="html", name="<stdin>"
    )  # htmldate would download a string that looks like a URL
    assert extract_article(source).paragraphs == (f"http://127.0.0.1:{port}/article",)
    with pytest.raises(BlockingIOError):
        listener.accept()


# --- Through the pipeline and the CLI ----------------------------------------------------------


def test_make_script_reads_html_files(fake_voice: Path) -> None:
    script = make_script(PAGES / "aljazeera-moon-shot.html", ScriptOptions(voice=str(fake_voice)))
    intro = [s.text for s in script.chapters[0].sentences]
    assert intro == [
        "NASA’s commercial moon shot: Musk's and Bezos's firms to bid.",
        "By Laura Winter, Al Jazeera.",
    ]
    assert len(script.chapters) >= 2


def test_cli_script_json_for_an_html_file(fake_voice: Path) -> None:
    result = CliRunner().invoke(
        main, ["script", str(PAGES / "vox-delhi-air.html"), "--json", "--voice", str(fake_voice)]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["title"] == "The law that’s helping fuel Delhi’s deadly air pollution"
    assert data["byline"] == "By Umair Irfan, Vox"
    assert data["publication"] == "Vox"
    assert data["published"] == "2019-11-08"
    titles = [c["title"] for c in data["chapters"]]
    assert "Why Delhi’s air pollution gets so bad this time of year" in titles


def test_cli_script_reads_html_from_stdin(fake_voice: Path) -> None:
    html = (PAGES / "sciencealert-europa-plumes.html").read_bytes()
    for extra in (["--format", "html"], []):  # stdin that starts like a page is sniffed as HTML
        result = CliRunner().invoke(
            main, ["script", "-", "--json", "--voice", str(fake_voice), *extra], input=html
        )
        assert result.exit_code == 0, result.output
        data = json.loads(result.stdout)
        assert data["title"].startswith("NASA Just Confirmed There Are Water Plumes")
        assert data["publication"] == "ScienceAlert"


def test_cli_debris_file_removes_a_user_pattern(tmp_path: Path, fake_voice: Path) -> None:
    page_file = PAGES / "aljazeera-moon-shot.html"
    base = ["script", str(page_file), "--json", "--voice", str(fake_voice)]
    target = "Bezos’s Blue Origin"

    def written(*extra: str) -> str:
        result = CliRunner().invoke(main, [*base, *extra])
        assert result.exit_code == 0, result.output
        chapters = json.loads(result.stdout)["chapters"]
        return " ".join(s["text"] for c in chapters for s in c["sentences"])

    assert target in written()
    rules = tmp_path / "debris.toml"
    rules.write_text(
        "[[line]]\npattern = '.*Bezos’s Blue Origin.*'\nreason = \"test\"\n", encoding="utf-8"
    )
    assert target not in written("--debris", str(rules))
    bad = tmp_path / "bad.toml"
    bad.write_text("[[line]]\npattern = '('\n", encoding="utf-8")
    result = CliRunner().invoke(main, [*base, "--debris", str(bad)])
    assert result.exit_code == 2
    assert "bad.toml" in result.stderr


def test_debris_option_reaches_the_text_cleaner(tmp_path: Path, fake_voice: Path) -> None:
    from .conftest import EXAMPLE

    line = "Trump has separately said"
    options = ScriptOptions(voice=str(fake_voice))
    assert line in " ".join(s.text for s in make_script(EXAMPLE, options).sentences)
    rules = tmp_path / "mine.toml"
    rules.write_text(f"[[line]]\npattern = '{line}.*'\nreason = \"test\"\n", encoding="utf-8")
    options = ScriptOptions(voice=str(fake_voice), debris=(str(rules),))
    assert line not in " ".join(s.text for s in make_script(EXAMPLE, options).sentences)


def test_cli_input_and_url_are_exclusive() -> None:
    neither = CliRunner().invoke(main, ["script"])
    assert neither.exit_code == 2
    assert "no input" in neither.stderr
    both = CliRunner().invoke(main, ["script", "x.html", "--url", "http://127.0.0.1:9/"])
    assert both.exit_code == 2
    assert "not both" in both.stderr


def test_cli_renders_an_html_page(tmp_path: Path, fake_voice: Path) -> None:
    out = tmp_path / "plumes.mp3"
    result = subprocess.run(
        [
            CLI,
            "render",
            str(PAGES / "sciencealert-europa-plumes.html"),
            "-o",
            str(out),
            "--voice",
            str(fake_voice),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    path, _duration, chapters = result.stdout.strip().split("\t")
    assert path == str(out)
    assert out.stat().st_size > 1000
    assert int(chapters.split()[0]) >= 2
