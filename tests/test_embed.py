"""The Listen block (``embed.js``) on a publisher's article page, in Debian's headless Chromium.

The page is served from one localhost origin under a strict Content-Security-Policy (no inline
script or style); the block and the narration come from the Listen service on another (the fake
voice, so the audio is a quiet tone as long as the words). The block must show its label and
minutes, play, highlight the sentence being read inside the page's own paragraph without
changing the page's markup, work from the keyboard, and ask nothing of any other origin.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Any

import httpx
import pytest

from tests.test_player import browser  # noqa: F401 (the fixture: Debian's Chromium)
from tests.test_serve import ARTICLE, TOKEN, Server, wait_for

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src {service}; \
connect-src {service}; media-src {service}; style-src 'self'">
<title>Council approves the new bridge</title>
<script src="{service}/embed.js" defer></script>
</head><body>
<h1>Council approves the new bridge</h1>
<article-audio-listen src="{service}/v1/articles/bridge" for="#article-body"></article-audio-listen>
<div id="article-body">
<p>The city <em>council</em> approved the new bridge on Monday. Work starts in the spring.</p>
<p>The mayor said the vote was a good day for the river towns. Residents agreed.</p>
</div>
</body></html>
"""


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    folder = tmp_path_factory.mktemp("embed")
    voice = folder / "silent.toml"
    voice.write_text(
        'engine = "fake"\nvoice = "silent"\nwords_per_minute = 170\n'
        "sentence_pause_ms = 300\nparagraph_pause_ms = 700\nchapter_pause_ms = 1400\n",
        encoding="utf-8",
    )
    token = folder / "token"
    token.write_text(TOKEN, encoding="utf-8")
    running = Server(folder / "data", "--voice", str(voice), "--token-file", str(token)).start()
    headers = {"Authorization": f"Bearer {TOKEN}"}
    with httpx.Client(base_url=running.base, headers=headers, timeout=60) as client:
        client.post("/v1/articles", json={"id": "bridge", "text": ARTICLE})
        wait_for(client, "bridge", "done")
    yield running
    running.stop()


@pytest.fixture(scope="module")
def article_url(tmp_path_factory: pytest.TempPathFactory, service: Server) -> Iterator[str]:
    """The publisher's page, on an origin of its own."""
    site = tmp_path_factory.mktemp("site")
    (site / "story.html").write_text(PAGE.format(service=service.base), encoding="utf-8")
    handler = functools.partial(_Quiet, directory=str(site))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/story.html"
    server.shutdown()
    server.server_close()


def shadow(page: Page, selector: str, script: str) -> Any:
    """Evaluate ``script`` (a function of the element) on ``selector`` in the block's shadow."""
    return page.evaluate(
        f"""() => {{ const el = document.querySelector("article-audio-listen")
                      .shadowRoot.querySelector({selector!r}); return ({script})(el); }}"""
    )


def highlighted(page: Page) -> str | None:
    text: str | None = page.evaluate(
        """() => { const h = CSS.highlights.get("article-audio-sentence");
                   if (!h) return null;
                   const [range] = h.keys();
                   const body = document.getElementById("article-body");
                   return body.contains(range.startContainer) ? range.toString() : "outside"; }"""
    )
    return text


def position(page: Page) -> float:
    seconds: float = shadow(page, "audio", "(a) => a.currentTime")
    return seconds


@pytest.mark.browser
def test_the_block_on_a_publishers_page(
    browser: Browser,  # noqa: F811
    article_url: str,
    service: Server,
) -> None:
    context = browser.new_context()
    page = context.new_page()
    page.set_default_timeout(10_000)
    problems: list[str] = []
    requests: list[str] = []
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    page.on("console", lambda msg: problems.append(msg.text) if msg.type == "error" else None)
    page.on("request", lambda request: requests.append(request.url))
    page.goto(article_url)
    markup = page.inner_html("#article-body")

    # "Listen to this article · N min", once the narration is loaded
    page.wait_for_function(
        """() => document.querySelector("article-audio-listen")?.shadowRoot
                 ?.querySelector(".minutes")?.textContent.includes("min")"""
    )
    label = shadow(page, ".label", "(el) => el.textContent")
    assert label == "Listen to this article \u00b7 1 min"
    assert shadow(page, ".block", "(el) => el.getAttribute('aria-label')") == (
        "Listen to this article: Council approves the new bridge"
    )
    assert shadow(page, ".play", "(el) => el.getAttribute('aria-label')") == "Play"

    # play advances time, and the sentence being read is lit in the page's own paragraph
    shadow(page, "audio", "(a) => { a.muted = true; }")
    page.click("article-audio-listen >> .play")
    page.wait_for_function(
        """() => document.querySelector("article-audio-listen").shadowRoot
                 .querySelector("audio").currentTime > 0.5"""
    )
    assert shadow(page, ".play", "(el) => el.getAttribute('aria-label')") == "Pause"
    segments = httpx.get(f"{service.base}/v1/articles/bridge/audio.transcript.json").json()
    second = segments["segments"][1]
    shadow(page, "audio", f"(a) => {{ a.currentTime = {second['startTime'] + 0.2}; }}")
    page.wait_for_function(
        """(text) => { const h = CSS.highlights.get("article-audio-sentence");
                       return h && [...h.keys()][0].toString() === text; }""",
        arg=second["body"],
    )
    assert highlighted(page) == "The city council approved the new bridge on Monday."
    fourth = segments["segments"][3]
    shadow(page, "audio", f"(a) => {{ a.currentTime = {fourth['startTime'] + 0.2}; }}")
    page.wait_for_function(
        """(text) => [...CSS.highlights.get("article-audio-sentence").keys()][0].toString()
                     === text""",
        arg=fourth["body"],
    )
    assert page.inner_html("#article-body") == markup  # the page's markup is untouched

    # the keyboard: Tab reaches the controls; Enter pauses, k plays, j goes back 15 s
    page.click("h1")
    page.keyboard.press("Tab")
    assert shadow(page, ".play", "(el) => el.matches(':focus')")
    page.keyboard.press("Enter")
    page.wait_for_function(
        """() => document.querySelector("article-audio-listen").shadowRoot
                 .querySelector("audio").paused"""
    )
    page.keyboard.press("k")
    page.wait_for_function(
        """() => !document.querySelector("article-audio-listen").shadowRoot
                 .querySelector("audio").paused"""
    )
    page.keyboard.press("j")
    assert position(page) < fourth["startTime"]
    page.keyboard.press("Tab")
    assert shadow(page, ".back", "(el) => el.matches(':focus')")
    speed = page.evaluate(
        """() => { const root = document.querySelector("article-audio-listen").shadowRoot;
                   const select = root.querySelector(".speed");
                   select.value = "1.5"; select.dispatchEvent(new Event("change"));
                   return root.querySelector("audio").playbackRate; }"""
    )
    assert speed == 1.5

    origins = {url.split("/", 3)[2] for url in requests}
    assert origins <= {article_url.split("/", 3)[2], service.base.split("/", 3)[2]}
    assert problems == []
    context.close()


@pytest.mark.browser
def test_the_block_reads_along_dark_and_reduced(
    browser: Browser,  # noqa: F811
    article_url: str,
) -> None:
    context = browser.new_context(color_scheme="dark", reduced_motion="reduce")
    page = context.new_page()
    page.goto(article_url)
    page.wait_for_function(
        """() => document.querySelector("article-audio-listen")?.shadowRoot
                 ?.querySelector(".minutes")?.textContent.includes("min")"""
    )
    background = shadow(page, ".block", "(el) => getComputedStyle(el).backgroundColor")
    assert background == "rgb(30, 30, 30)"
    transition = shadow(page, "button", "(el) => getComputedStyle(el).transitionDuration")
    assert transition == "0s"
    context.close()
