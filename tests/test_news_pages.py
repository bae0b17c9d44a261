"""Only the article is heard, on pages in the styles of real news sites (issue 14, "Why").

Each page is written for these tests: the debris phrases are short quotes of what such pages
carry, the articles are our own. Each case is checked as a text scrape, as Markdown and as HTML
where the page style has that form.
"""

from __future__ import annotations

import pytest

from article_audio.text.article import Article
from article_audio.text.clean import clean
from article_audio.text.extract import extract_article
from article_audio.text.lines import is_credit
from article_audio.text.read import Source

RIVER = (
    "Salmon have been seen spawning in the upper reaches of three moorland streams for the "
    "first time in more than a hundred years, after a decade-long project removed the stone "
    "weirs that blocked their way.",
    "Surveyors from the regional rivers trust counted more than forty nests, known as redds, "
    "in gravel beds above the sites of two former woollen mills last autumn.",
    "“We always hoped they would come back, but nobody expected it to happen so quickly,” said "
    "the trust’s director, who has walked the streams every winter since the work began.",
    "The weirs were built to drive waterwheels in the early industrial era and were left in "
    "place long after the mills closed, turning the streams into a series of still ponds.",
    "Removing them cost a little over two million pounds, most of it raised from a lottery "
    "fund and from the water company that draws from the river further downstream.",
    "The surveyors will return in November to count the nests again and to tag a number of "
    "young fish, so that their journey to the sea can be followed.",
)
NEWSLETTER = (
    "Sign up to Morning Mail",
    "Free daily newsletter",
    "Our morning briefing breaks down the key national and international stories of the day "
    "and why they matter",
    "Privacy Notice: Newsletters may contain info about charities, online ads, and content "
    "funded by outside parties. For more information see our Privacy Policy.",
    "after newsletter promotion",
)
GRAIN = (
    "SAO PAULO, March 4 (Reuters) - Grain exporters in the south of the country are preparing "
    "for a slower shipping season as river levels on a key inland waterway fall to their "
    "lowest in two decades, traders and port officials said on Tuesday.",
    "Barges that normally carry soybeans and corn to the coast are running at less than half "
    "of their usual load, and some operators have suspended trips altogether.",
    '"We are loading what we can, but every week without rain costs us another few thousand '
    'tonnes," said the manager of one river terminal.',
    "The shipping agency said the waterway carried about a fifth of the region's grain exports "
    "last year, and that trucks could replace only part of that volume.",
    "Weather forecasters expect the dry spell to last at least until the end of the month.",
)
BUSES = (
    "The city council voted 7-2 on Tuesday night to paint dedicated bus lanes along the length "
    "of Harbor Avenue, a change transit advocates have sought for more than a decade.",
    "Buses on the avenue now crawl through the evening rush at an average of six miles an "
    "hour, according to the transit agency, which expects the new lanes to cut the trip by a "
    "quarter.",
    "Shop owners along the route had asked the council to delay the vote, saying the loss of "
    "curbside parking would hurt their business during the busy summer months.",
    "The council added a provision that keeps loading zones open in the early morning, and the "
    "work is expected to begin in May.",
)
RING = (
    "Astronomers watching a distant star flicker as a small icy world passed in front of it "
    "have found a thin ring around the dwarf planet, far outside the distance at which theory "
    "says a ring should survive.",
    "The ring showed up as two brief dips in the star's light, one on each side of the main "
    "shadow, recorded by a dozen small telescopes spread across two continents.",
    '"Rings are supposed to clump into moons that far out, so this one is a puzzle," said the '
    "study's lead author.",
    "The team plans to observe the next such event in the autumn, when the dwarf planet will "
    "pass in front of a brighter star.",
)
STAGE = (
    "A group of design students has built the main stage for a summer festival almost "
    "entirely from wooden pallets that would otherwise have been thrown away.",
    "The stage took six weeks to put together in a borrowed warehouse and used more than eight "
    "hundred pallets collected from local builders' yards.",
    '"We wanted to show that a big structure does not have to cost the earth," one of the '
    "students said.",
    "Organisers said the stage would be taken apart after the festival and the wood given to a "
    "community garden.",
)
MARKETS = (
    "LONDON, March 4 (Reuters) - World stocks edged higher on Tuesday as government bond "
    "yields eased from recent highs, giving investors some relief after a week of selling.",
    "MSCI's broadest index of global shares (.MIWD00000PUS) rose 0.3%, while the yield on the "
    "benchmark 10-year Treasury note US10YT=RR slipped to its lowest in a fortnight.",
    "Europe's STOXX 600 index (.STOXX) gained 0.4%, led by banks, and the euro was flat "
    "against the dollar at $1.0850 EUR=EBS.",
    "Oil prices fell, with Brent crude futures LCOc1 down 0.6% at $72.40 a barrel, and shares "
    "of the carmaker (VOWG_p.DE) rose 2%.",
)
CODES = (".MIWD00000PUS", "US10YT", "EUR=", "LCOc1", "VOWG", ".STOXX)")


def _text(page: str) -> Article:
    return clean(Source(page, "text", "page.txt"))


def _markdown(page: str) -> Article:
    return clean(Source(page, "markdown", "page.md"))


def _html(body: str, title: str) -> Article:
    html = (
        f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{title}</title>'
        f"</head><body><header><nav><a href='/'>Home</a> <a href='/news'>News</a></nav></header>"
        f"<main><article><h1>{title}</h1>{body}</article></main>"
        "<footer><p>© 2025 The Example Group. All rights reserved.</p></footer></body></html>"
    )
    return extract_article(Source(html, "html", "page.html"))


def _spoken(article: Article) -> str:
    parts = [
        p for s in article.sections for p in ((s.heading,) if s.heading else ()) + s.paragraphs
    ]
    return "\n".join(parts)


def _paragraphs(texts: tuple[str, ...]) -> str:
    return "".join(f"<p>{text}</p>" for text in texts)


def _assert_only(article: Article, story: tuple[str, ...], silent: tuple[str, ...]) -> None:
    spoken = _spoken(article)
    for paragraph in story:
        assert paragraph in spoken
    for phrase in silent:
        assert phrase.casefold() not in spoken.casefold(), phrase


# --- A Guardian-style scrape: newsletter block, reporter line -----------------------------------

GUARDIAN_TOP = (
    "Skip to main content",
    "Print subscriptions",
    "Sign in",
    "World",
    "Environment",
    "Rivers",
    "Priya Raman Environment reporter",
    "Tue 4 Mar 2025 06.00 GMT",
    "Share",
    "Salmon return to upland streams after weirs are taken down",
    "Fish have been seen spawning above the old mill sites for the first time in a century",
)
SILENT_NEWSLETTER = ("Morning Mail", "Free daily newsletter", "briefing", "Privacy", "promotion")


def test_a_guardian_style_scrape_is_read_without_its_newsletter_block() -> None:
    page = "\n".join(
        (*GUARDIAN_TOP, *RIVER[:3], *NEWSLETTER, *RIVER[3:], "Explore more on these topics")
    )
    article = _text(page)
    _assert_only(article, RIVER, SILENT_NEWSLETTER)
    assert article.title == "Salmon return to upland streams after weirs are taken down"
    assert "Priya Raman" in (article.byline or "")
    assert "reporter" not in _spoken(article)


def test_a_newsletter_block_is_silent_in_markdown_and_html() -> None:
    title = "Salmon return to upland streams after weirs are taken down"
    markdown = "\n\n".join((f"# {title}", *RIVER[:3], *NEWSLETTER, *RIVER[3:]))
    _assert_only(_markdown(markdown), RIVER, SILENT_NEWSLETTER)
    body = _paragraphs(RIVER[:3]) + _paragraphs(NEWSLETTER) + _paragraphs(RIVER[3:])
    _assert_only(_html(body, title), RIVER, SILENT_NEWSLETTER)


# --- A wire-service scrape: "Advertisement · Scroll to continue" --------------------------------

AD = "Advertisement · Scroll to continue"


def test_a_wire_story_is_read_without_its_ad_labels() -> None:
    title = "Grain exporters brace for slower season as river levels fall"
    lines = (
        "World",
        "Markets",
        title,
        "By Tomas Rivera and Ana Lopes",
        "March 4, 2025 6:12 AM UTC",
    )
    page = "\n".join((*lines, *GRAIN[:2], AD, *GRAIN[2:4], AD, GRAIN[4]))
    _assert_only(_text(page), GRAIN, ("Advertisement", "Scroll"))
    _assert_only(_markdown("\n\n".join((f"# {title}", *GRAIN[:2], AD, *GRAIN[2:]))), GRAIN, (AD,))
    body = _paragraphs(GRAIN[:2]) + f"<div>{AD}</div>" + _paragraphs(GRAIN[2:])
    _assert_only(_html(body, title), GRAIN, ("Advertisement", "Scroll"))


# --- A metro paper in Markdown: subscription bar, caption and credit ----------------------------

CAPTION = (
    "A city bus moves along Harbor Avenue near the ferry terminal on Monday. "
    "(Photo by Lee Carter/Metro Tribune)"
)


def test_a_metro_paper_in_markdown_has_no_subscription_chapter_and_no_caption() -> None:
    page = "\n\n".join(
        (
            "[Skip to content](#main)",
            "Subscribe for $1 · Log in",
            "# City council approves new bus lanes on Harbor Avenue",
            "By **Dana Whitfield** | Metro Tribune\nMarch 4, 2025 at 5:30 p.m.",
            "![A bus on Harbor Avenue](https://example.com/bus.jpg)",
            CAPTION,
            *BUSES,
            "Subscribe for $1 · Log in",
        )
    )
    article = _markdown(page)
    _assert_only(article, BUSES, ("Subscribe", "Log in", "Photo by", "moves along", "Whitfield"))
    assert len(article.sections) == 1
    assert article.authors == ("Dana Whitfield",)
    assert article.title == "City council approves new bus lanes on Harbor Avenue"


def test_a_caption_with_its_credit_is_silent_in_a_scrape() -> None:
    title = "City council approves new bus lanes on Harbor Avenue"
    page = "\n".join((title, "By Dana Whitfield", "Subscribe for $1 · Log in", CAPTION, *BUSES))
    _assert_only(_text(page), BUSES, ("Subscribe", "Photo by", "moves along"))


# --- Space.com-style HTML: follow lines and related headlines -----------------------------------

RELATED = (
    "Icy moon may hide an ocean under its crust",
    "The strangest objects in the outer solar system",
    "New dwarf planet found beyond Neptune",
    "Watch a star blink out behind an asteroid tonight",
)
FOLLOW = "Follow Jordan Hale on Twitter @jordanhale. Follow us on Twitter @Spacedotcom or Facebook."


def test_a_space_style_page_ends_with_its_story() -> None:
    items = "".join(f'<li><a href="/r{i}">{text}</a></li>' for i, text in enumerate(RELATED))
    body = (
        '<p class="byline">By <a href="/author/jh">Jordan Hale</a> published March 04, 2025</p>'
        f"{_paragraphs(RING)}<p>{FOLLOW}</p><h3>Related stories:</h3><ul>{items}</ul>"
    )
    article = _html(body, "A faint ring around a distant dwarf planet surprises astronomers")
    _assert_only(article, RING, ("Follow", "Twitter", "Related", *RELATED))
    assert _spoken(article).rstrip().endswith(RING[-1])


def test_follow_lines_are_silent_in_a_scrape() -> None:
    page = "\n".join(
        ("A faint ring around a distant dwarf planet", "By Jordan Hale", *RING, FOLLOW)
    )
    _assert_only(_text(page), RING, ("Follow", "Twitter"))


# --- BBC-style HTML: a listen-live promotion ----------------------------------------------------

LISTEN = "Listen to Newsbeat live at 12:45 and 17:45 weekdays - or listen back here."


def test_a_listen_live_promotion_is_silent() -> None:
    byline = '<div class="byline"><span>By Sam Okafor</span><span>Newsbeat reporter</span></div>'
    body = f"{byline}{_paragraphs(STAGE)}<p>{LISTEN}</p>"
    title = "Students build a festival stage from recycled pallets"
    _assert_only(_html(body, title), STAGE, ("Listen", "Newsbeat"))
    _assert_only(_text("\n".join((title, "By Sam Okafor", *STAGE, LISTEN))), STAGE, ("Newsbeat",))


# --- Reuters: instrument codes ------------------------------------------------------------------


def _markets_story(article: Article) -> None:
    spoken = _spoken(article)
    for code in CODES:
        assert code not in spoken, code
    assert (
        "MSCI's broadest index of global shares rose 0.3%, while the yield on the benchmark "
        "10-year Treasury note slipped" in spoken
    )
    assert "against the dollar at $1.0850." in spoken
    assert "Brent crude futures down 0.6%" in spoken


@pytest.mark.parametrize("kind", ["text", "markdown", "html"])
def test_ticker_and_instrument_codes_are_not_read(kind: str) -> None:
    title = "Global stocks edge higher as bond yields ease"
    if kind == "html":
        _markets_story(_html(_paragraphs(MARKETS), title))
    elif kind == "markdown":
        _markets_story(_markdown("\n\n".join((f"# {title}", *MARKETS))))
    else:
        _markets_story(_text("\n".join((title, "By Clara Jensen", *MARKETS))))


def test_codes_are_only_cut_where_they_are_codes() -> None:
    story = (
        "The U.S. and U.K. agreed on Tuesday (after talks in Geneva) that E=mc2 jokes are out.",
        "Shares of Acme Corp. rose 4% in New York, and the F-35 program won a contract.",
        "Her score was 2,000 points (S.F. Chronicle ranking), a record for the city this year.",
    )
    article = _text("\n".join(("Agreement reached on several small things", *story)))
    assert _spoken(article).split("\n") == list(story)


# --- A guide broken up by its own lists and sub-headings ----------------------------------------

GUIDE = (
    "Choosing a lock for a city bike is mostly a question of how long the bike will be left "
    "alone, where it will be left, and how much weight you are willing to carry every day.",
    "Check the shackle thickness",
    "Compare the weight of each lock",
    "Look for a key you can replace",
    "Read the small print of the warranty",
    "A thick shackle takes longer to cut, and thieves in a hurry tend to move on to an easier "
    "bike rather than spend several minutes working at a lock in the open street.",
    "What to do with the wheels",
    "Use a second cable for the front wheel",
    "Fit locking skewers on both wheels",
    "Take the saddle with you at night",
    "Quick-release wheels are easy to take, so a second cable or locking skewers are worth the "
    "small cost, especially for a bike that stays outside overnight near a station.",
    "Where to leave the bike overnight",
    "Pick a stand in a busy street",
    "Stay where the lighting is good",
    "Choose a stand watched by a camera",
    "A bike stand in a busy, well-lit place is safer than a quiet side street, and a stand "
    "watched by a camera is better still, even if it means a longer walk home at night.",
)


def test_a_guide_keeps_its_lists_and_sub_headings() -> None:
    menu = ("Home", "Reviews", "Guides", "Deals", "About us")
    page = "\n".join(("How to choose a bike lock", "By Noor Haddad", *GUIDE, *menu))
    spoken = _spoken(_text(page)).split("\n")
    assert spoken == list(GUIDE)


# --- A magazine scrape: standfirst under the headline, lead photo with caption and credit -------

ORCHARD = (
    "The last commercial cider orchard in the valley has been sold to a cooperative of "
    "twelve families, who plan to replant the oldest rows with varieties grown there a "
    "century ago.",
    "The orchard's previous owners had looked for a buyer for three years, and several offers "
    "from developers were turned down because they would have cleared the trees for housing.",
    "“We did not want to be the people who ended it,” said the former owner, who will stay on "
    "for a season to show the new growers how the old press works.",
    "The cooperative raised the money through a share offer that sold out in nine days, most "
    "of it to people living within a few miles of the orchard.",
)
STANDFIRST = "Twelve families have pooled their savings to keep the valley's cider trees standing."
LEAD_CAPTION = "Volunteers gather windfall apples between the old rows on Saturday morning."


@pytest.mark.parametrize(
    "credit", ["(Marta Ruiz / Valley Courier)", "Marta Ruiz/Valley Courier", "Photo: Marta Ruiz"]
)
def test_a_standfirst_and_the_lead_photo_caption_are_not_read(credit: str) -> None:
    page = "\n".join(
        (
            "Home",
            "Food & Drink",
            "Families buy the valley's last cider orchard",
            STANDFIRST,
            "By Hannah Weir",
            "June 2, 2025",
            "Share",
            LEAD_CAPTION,
            credit,
            *ORCHARD,
            "More from Food & Drink",
        )
    )
    article = _text(page)
    _assert_only(article, ORCHARD, (STANDFIRST, LEAD_CAPTION, "Marta Ruiz"))
    assert article.title == "Families buy the valley's last cider orchard"
    assert article.authors == ("Hannah Weir",)


@pytest.mark.parametrize(
    ("line", "credit"),
    [
        ("(Reed Saxon / Associated Press)", True),
        ("Doug Mills/The New York Times", True),
        ("Credit...", True),
        ("(Image: © TNG Collaboration)", True),
        ("(Getty Images)", True),
        ("Pick-Up/Drop-Off Service", False),  # sub-headings with a slash
        ("Downtown/Film Row", False),
        ("[ Engadget ]", False),  # a source citation under an excerpt
        ("(Published Monday, Nov. 18, 2019)", False),
    ],
)
def test_photo_credit_lines_are_told_by_their_shape(line: str, credit: bool) -> None:
    assert is_credit(line) is credit


def test_a_lead_above_a_sub_heading_with_a_slash_is_read() -> None:
    page = "\n".join(
        (
            "Families buy the valley's last cider orchard",
            "By Hannah Weir",
            ORCHARD[0],
            "Pick-Up/Drop-Off Points",
            *ORCHARD[1:],
        )
    )
    _assert_only(_text(page), ORCHARD, ())


def test_a_paragraph_above_a_credit_amid_the_body_is_read() -> None:
    """Only the lead photo's caption is left out: inside the body, a line above a credit may
    be a paragraph whose photo has no caption."""
    page = "\n".join(
        (
            "Families buy the valley's last cider orchard",
            "By Hannah Weir",
            *ORCHARD[:2],
            "Marta Ruiz/Valley Courier",
            *ORCHARD[2:],
        )
    )
    _assert_only(_text(page), ORCHARD, ())


# --- A trade-journal page: the author's bio after the story -------------------------------------

KILNS = (
    "Brick makers in the river towns are switching their kilns from coal to electricity, "
    "helped by a grant scheme that covers half the cost of the new equipment.",
    "The first electric kiln was lit in March, and its owners say the bricks come out more "
    "evenly coloured than before, with fewer rejected at the end of each firing.",
    "Several smaller yards have asked for a second round of grants, saying they cannot raise "
    "their half of the cost before the scheme closes in the autumn.",
)
BIO = (
    "Tomas Brandt is a senior reporter covering manufacturing and energy. He previously wrote "
    "for a regional business weekly and lives by the coast with two very loud dogs."
)


def test_the_authors_bio_after_the_story_is_not_read() -> None:
    title = "Brick makers switch their kilns to electricity"
    page = "\n".join((title, "By Tomas Brandt", "May 12, 2025", *KILNS, "Tomas Brandt", BIO))
    _assert_only(_text(page), KILNS, ("senior reporter", "loud dogs"))
    body = (
        '<p class="byline">By <a href="/people/tb">Tomas Brandt</a> May 12, 2025</p>'
        f"{_paragraphs(KILNS)}<div class='author'><p>{BIO}</p></div>"
    )
    _assert_only(_html(body, title), KILNS, ("senior reporter", "loud dogs"))


def test_a_closing_paragraph_about_someone_else_is_read() -> None:
    """Only the byline's names start a bio: a last paragraph about a person in the story is
    the article's."""
    closing = "Anna Brandt is a third-generation brick maker and hopes to add a second kiln."
    page = "\n".join(
        ("Brick makers switch their kilns to electricity", "By Tomas Brandt", *KILNS, closing)
    )
    _assert_only(_text(page), (*KILNS, closing), ())


# --- A recipe column: a list of short items between two paragraphs -----------------------------

SOUP = (
    "Autumn squash soup is the first thing I make when the evenings draw in, and it needs "
    "almost nothing you will not already have in the cupboard.",
    "Roast the squash whole until a knife slides in easily, then scoop out the flesh and "
    "simmer it with the onions and stock for a quarter of an hour before blending.",
    "A spoonful of yoghurt and a handful of toasted seeds on top make it a meal, and it keeps "
    "well in the fridge for three or four days.",
)
SOUP_LIST = ("One butternut squash", "Two onions", "A litre of stock", "Salt and pepper")


def test_a_list_between_two_paragraphs_is_read_and_a_menu_is_not() -> None:
    menu = ("Home", "Recipes", "Columns", "Shop", "Contact")
    page = "\n".join(
        ("A soup for the first cold evening", "By Ines Moreau", SOUP[0], *SOUP_LIST, *SOUP[1:])
    )
    spoken = _spoken(_text("\n".join((page, *menu)))).split("\n")
    assert spoken == [SOUP[0], *SOUP_LIST, *SOUP[1:]]


# --- A business site: a market-data notice and a teaser above the headline ----------------------

NOTICE = (
    "Quotes delayed at least 15 minutes. Market data provided by an outside vendor, which is "
    "not responsible for any errors in it."
)
TEASER = "Why the cheapest loaf in the shop costs more than it did last spring."
KILNS_MORE = (
    "The grant scheme was set up two years ago to cut the fuel bills of small manufacturers, "
    "and brick yards were among the first to apply because their kilns burn day and night.",
    "An electric kiln costs about three times as much as a coal one to buy, but the yards say "
    "the savings on fuel and on repairs should cover the difference within eight years.",
    "The first yard to switch has already taken on two apprentices, and plans to open its "
    "doors to school groups once the second kiln is running next spring.",
)


def test_what_is_above_the_headline_is_not_read() -> None:
    page = "\n".join(
        (
            "Markets",
            NOTICE,
            "Most read",
            TEASER,
            "Business",
            "Brick makers switch their kilns to electricity",
            "By Tomas Brandt",
            *KILNS,
            *KILNS_MORE,
        )
    )
    article = _text(page)
    _assert_only(article, (*KILNS, *KILNS_MORE), ("Quotes delayed", "cheapest loaf", "Most read"))
    assert article.title == "Brick makers switch their kilns to electricity"


def test_an_article_above_a_headline_found_below_it_is_read() -> None:
    """A headline found below most of the text is not the article's own: the text above it is
    read."""
    page = "\n".join(
        (*KILNS, "More from the business desk", "Brick makers switch their kilns to electricity")
    )
    _assert_only(_text(page), KILNS, ())


def test_a_product_box_between_two_paragraphs_is_not_read() -> None:
    box = ("Stockpot, 8 quarts", "$39 at Amazon", "Visit website", "Free delivery")
    page = "\n".join(
        ("A soup for the first cold evening", "By Ines Moreau", SOUP[0], *box, *SOUP[1:])
    )
    _assert_only(_text(page), SOUP, ("Amazon", "Visit website", "Free delivery", "Stockpot"))
