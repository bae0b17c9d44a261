"""Read-along player: the page's markup and escaping, then the page itself in headless Chromium.

The browser tests need Debian's ``chromium`` (``apt-get install chromium``; CI installs it) and
Playwright from the test extras; no browser is downloaded. They fail when either is missing, so a
broken setup is never mistaken for a pass; set ``ARTICLE_AUDIO_SKIP_BROWSER=1`` to skip them.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import json
import math
import os
import re
import shutil
import struct
import subprocess
import threading
import wave
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from html.parser import HTMLParser
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import pytest

from article_audio.audio.assemble import ChapterMark, Cue
from article_audio.audio.segment import ffmpeg_path
from article_audio.outputs.player import render_player

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

Motion = Literal["reduce", "no-preference"]
FIXTURE = Path(__file__).resolve().parent / "data" / "player" / "narration.json"


@dataclass(frozen=True)
class Sample:
    """The fixture narration: hostile titles and sentences, 2 chapters, 4 cues."""

    title: str
    byline: str
    duration_ms: int
    chapters: tuple[ChapterMark, ...]
    cues: tuple[Cue, ...]


def load_sample() -> Sample:
    data = json.loads(FIXTURE.read_text(encoding="utf-8"))
    return Sample(
        title=data["title"],
        byline=data["byline"],
        duration_ms=data["duration_ms"],
        chapters=tuple(ChapterMark(**item) for item in data["chapters"]),
        cues=tuple(Cue(**item) for item in data["cues"]),
    )


SAMPLE = load_sample()


def render_sample(**overrides: Any) -> str:
    args: dict[str, Any] = {
        "title": SAMPLE.title,
        "byline": SAMPLE.byline,
        "audio_filename": "paris.mp3",
        "chapters": SAMPLE.chapters,
        "cues": SAMPLE.cues,
        "transcript_vtt_filename": "paris.vtt",
    }
    args.update(overrides)
    return render_player(**args)


@dataclass
class Element:
    tag: str
    attrs: dict[str, str]
    text: str = ""


class Document(HTMLParser):
    """The elements of a page, each with all the text inside it, and its scripts and styles."""

    VOID = frozenset({"meta", "link", "input", "br", "img", "source", "track", "hr", "wbr"})

    def __init__(self, page: str) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[Element] = []
        self.scripts: list[str] = []
        self.styles: list[str] = []
        self._open: list[Element] = []
        self.feed(page)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, {name: value or "" for name, value in attrs})
        self.elements.append(element)
        if tag not in self.VOID:
            self._open.append(element)

    def handle_endtag(self, tag: str) -> None:
        while self._open:
            element = self._open.pop()
            if element.tag == "script":
                self.scripts.append(element.text)
            if element.tag == "style":
                self.styles.append(element.text)
            if element.tag == tag:
                break

    def handle_data(self, data: str) -> None:
        for element in self._open:
            element.text += data

    def find(self, css_class: str | None = None, tag: str | None = None) -> list[Element]:
        return [
            e
            for e in self.elements
            if (tag is None or e.tag == tag)
            and (css_class is None or css_class in e.attrs.get("class", "").split())
        ]

    def by_id(self, element_id: str) -> Element:
        (element,) = [e for e in self.elements if e.attrs.get("id") == element_id]
        return element


def parse(page: str) -> Document:
    return Document(page)


# --- Escaping -------------------------------------------------------------------------------------


def test_hostile_text_is_escaped_everywhere() -> None:
    page = render_sample()
    assert page.count("<script") == 1  # only the page's own script
    assert "window.pwned" not in parse(page).scripts[0]
    assert "&lt;/script&gt;&lt;script&gt;window.pwned = 1&lt;/script&gt;" in page
    assert "&lt;img src=x onerror=&quot;window.pwned = 1&quot;&gt;" in page
    assert "Tom &amp; Jerry said &quot;hi&quot;" in page
    assert "Jo O&#x27;Hara &amp; &lt;i&gt;Sam&lt;/i&gt;" in page
    assert "What&#x27;s &quot;next&quot; &lt;/button&gt;&lt;button&gt;" in page
    assert "<title>Leaders &lt;meet&gt; in &quot;Paris&quot; &amp; agree &lt;/title&gt;" in page
    assert "<b>" not in page and "<i>" not in page and "<img" not in page


def test_parsed_text_is_the_original_text() -> None:
    doc = parse(render_sample())
    assert doc.by_id("title").text == SAMPLE.title
    assert doc.find("byline")[0].text == SAMPLE.byline
    assert [e.text for e in doc.find("cue")] == [cue.text for cue in SAMPLE.cues]
    assert [e.text for e in doc.find("chapter-title")] == [c.title for c in SAMPLE.chapters]


def test_file_names_are_url_escaped_and_relative() -> None:
    def audio_src(name: str) -> str:
        return parse(render_sample(audio_filename=name)).find(tag="audio")[0].attrs["src"]

    assert audio_src('my "news" #1 & <more>.mp3') == "my%20%22news%22%20%231%20%26%20%3Cmore%3E.mp3"
    assert audio_src("media/a b.mp3") == "media/a%20b.mp3"
    assert audio_src("javascript:alert(1).mp3") == "javascript%3Aalert%281%29.mp3"  # no scheme


@pytest.mark.parametrize("name", ["", "/var/www/paris.mp3", "//evil.example/a.mp3", "\\\\h\\a"])
def test_absolute_or_empty_file_names_are_refused(name: str) -> None:
    with pytest.raises(ValueError, match="relative file name"):
        render_sample(audio_filename=name)


# --- Structure ------------------------------------------------------------------------------------


def test_one_button_like_span_per_cue_with_its_times() -> None:
    doc = parse(render_sample())
    spans = doc.find("cue")
    assert len(spans) == len(SAMPLE.cues)
    for index, (span, cue) in enumerate(zip(spans, SAMPLE.cues, strict=True)):
        assert span.tag == "span"
        assert span.attrs["id"] == f"cue-{index}"
        assert span.attrs["role"] == "button"
        assert float(span.attrs["data-start"]) == cue.start_ms / 1000
        assert float(span.attrs["data-end"]) == cue.end_ms / 1000
    # Roving tabindex: the transcript is one Tab stop; arrow keys move inside it.
    assert [span.attrs["tabindex"] for span in spans] == ["0", "-1", "-1", "-1"]


def test_chapter_buttons_seek_targets_and_labels() -> None:
    doc = parse(render_sample())
    buttons = doc.find("chapter")
    assert [b.tag for b in buttons] == ["button", "button"]
    assert all(b.attrs["type"] == "button" for b in buttons)
    assert [b.attrs["data-start"] for b in buttons] == ["0.000", "3.050"]
    assert [e.text for e in doc.find("chapter-time")] == ["0:00", "0:03"]
    nav = doc.find(tag="nav")[0]
    assert doc.by_id(nav.attrs["aria-labelledby"]).text == "Chapters"
    assert not any("aria-current" in e.attrs for e in doc.elements)  # set by the script


def test_audio_element_captions_track_and_language() -> None:
    doc = parse(render_sample(language="fr-CA"))
    assert doc.find(tag="html")[0].attrs["lang"] == "fr-CA"
    (audio,) = doc.find(tag="audio")
    assert audio.attrs["src"] == "paris.mp3"
    assert audio.attrs["preload"] == "metadata"
    assert "controls" in audio.attrs
    assert doc.by_id(audio.attrs["aria-labelledby"]).text == SAMPLE.title
    (track,) = doc.find(tag="track")
    assert track.attrs == {
        "kind": "captions",
        "src": "paris.vtt",
        "srclang": "fr-CA",
        "label": "Transcript",
    }
    assert not parse(render_sample(transcript_vtt_filename=None)).find(tag="track")


def test_transcript_is_a_labelled_region_grouped_by_chapter_and_paragraph() -> None:
    doc = parse(render_sample())
    region = doc.by_id("transcript")
    assert region.attrs["role"] == "region"
    assert doc.by_id(region.attrs["aria-labelledby"]).text == "Transcript"
    assert "arrow keys" in doc.by_id(region.attrs["aria-describedby"]).text
    headings = [e.text for e in doc.find(tag="h3")]
    assert headings == [c.title for c in SAMPLE.chapters]
    landmarks = [e.attrs.get("aria-label") or e.attrs["id"] for e in doc.find(tag="section")]
    assert landmarks == ["Audio player", "transcript"]  # no landmark per chapter
    first, second = render_sample().split('id="transcript-chapter-1"')
    assert first.count('class="cue"') == 2 and second.count('class="cue"') == 2


def test_long_pauses_start_paragraphs_and_early_cues_need_no_chapter() -> None:
    cues = [
        Cue("Intro.", 100, 900),  # before the first chapter
        Cue("One.", 1650, 2000),  # chapter pause
        Cue("Two.", 2350, 3000),  # sentence pause: same paragraph
        Cue("Three.", 3800, 4500),  # paragraph pause
        Cue("Four.", 4850, 5500),
        Cue("Five.", 5510, 5600),  # an odd short gap changes nothing
        Cue("Six.", 5950, 6500),
    ]
    page = render_player(
        title="T", audio_filename="a.mp3", chapters=[ChapterMark("C", 1275, 7000)], cues=cues
    )
    body = page.split('id="transcript-heading"')[1]
    texts = re.findall(r"<p>(<span.*?)</p>", body)
    words = [re.findall(r">([A-Z][a-z]+\.)<", text) for text in texts]
    assert words == [["Intro."], ["One.", "Two."], ["Three.", "Four.", "Five.", "Six."]]
    assert '<div class="preamble">' in page


def test_no_chapters_and_no_cues() -> None:
    doc = parse(render_player(title="T", audio_filename="a.mp3", chapters=[], cues=[]))
    assert not doc.find(tag="nav") and not doc.find("cue")
    assert "No transcript" in doc.by_id("transcript").text


def test_reduced_motion_dark_mode_and_focus_styles() -> None:
    (css,) = parse(render_sample()).styles
    motion = css.split("@media (prefers-reduced-motion: no-preference)")[1].split("@media")[0]
    assert "scroll-behavior: smooth" in motion and "transition" in motion
    assert "scroll-behavior" not in css.replace(motion, "")  # smooth only on request
    assert "transition" not in css.replace(motion, "")
    assert "@media (prefers-color-scheme: dark)" in css
    assert "color-scheme: light dark" in css
    assert ":focus-visible { outline: 3px solid" in css
    assert "@media (forced-colors: active)" in css


def _luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _contrast(a: str, b: str) -> float:
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_colours_meet_wcag_aa_contrast(scheme: str) -> None:
    (css,) = parse(render_sample()).styles
    blocks = re.findall(r":root \{(.*?)\}", css, flags=re.DOTALL)
    colours = dict(
        re.findall(r"--([a-z-]+): (#[0-9a-f]{6})", blocks[0 if scheme == "light" else 1])
    )
    for fg, bg in [
        ("fg", "bg"),
        ("muted", "bg"),
        ("fg", "panel"),
        ("muted", "panel"),
        ("accent", "bg"),
        ("mark-fg", "mark-bg"),
        ("fg", "hover"),
    ]:
        assert _contrast(colours[fg], colours[bg]) >= 4.5, (scheme, fg, bg)
    for ui, bg in [("focus", "bg"), ("focus", "mark-bg"), ("mark-line", "panel")]:
        assert _contrast(colours[ui], colours[bg]) >= 3, (scheme, ui, bg)  # non-text contrast


def test_self_contained_with_a_strict_content_security_policy() -> None:
    page = render_sample()
    assert "http://" not in page and "https://" not in page
    doc = parse(page)
    links = []
    for element in doc.elements:
        assert not [name for name in element.attrs if name.startswith("on")], element
        assert "style" not in element.attrs, element  # would need 'unsafe-inline'
        links += [element.attrs[name] for name in ("src", "href") if name in element.attrs]
    assert sorted(set(links)) == ["#transcript", "paris.mp3", "paris.vtt"]
    assert not doc.find(tag="link") and not doc.find(tag="img") and not doc.find(tag="iframe")
    (meta,) = [e for e in doc.find(tag="meta") if e.attrs.get("http-equiv")]
    policy = dict(part.strip().split(" ", 1) for part in meta.attrs["content"].split(";"))
    assert policy["default-src"] == "'none'"
    assert policy["media-src"] == "'self'"

    def digest(text: str) -> str:
        return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"

    assert policy["script-src"] == digest(doc.scripts[0])
    assert policy["style-src"] == digest(doc.styles[0])


# --- In headless Chromium -------------------------------------------------------------------------

CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _chromium() -> str:
    """Debian's Chromium (or ``$ARTICLE_AUDIO_CHROMIUM``); a clear failure when it is missing."""
    path = os.environ.get("ARTICLE_AUDIO_CHROMIUM") or shutil.which("chromium")
    if path is None:
        pytest.fail("the player tests need Chromium: apt-get install chromium")
    return path


def _tone_mp3(path: Path, sample: Sample) -> None:
    """An MP3 with a different tone under each cue and silence between them."""
    rate = 22050
    frames = bytearray()
    for i in range(sample.duration_ms * rate // 1000):
        ms = i * 1000 // rate
        value = 0
        for k, cue in enumerate(sample.cues):
            if cue.start_ms <= ms < cue.end_ms:
                value = int(8000 * math.sin(2 * math.pi * (330 + 110 * k) * i / rate))
        frames += struct.pack("<h", value)
    wav = path.with_suffix(".wav")
    with wave.open(str(wav), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(bytes(frames))
    subprocess.run(
        [ffmpeg_path(), "-y", "-v", "error", "-i", str(wav), "-b:a", "64k", str(path)], check=True
    )
    wav.unlink()


class _RangeHandler(SimpleHTTPRequestHandler):
    """Static files with byte ranges, as real web servers serve them (media seeking needs them)."""

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        match = re.fullmatch(r"bytes=(\d+)-(\d*)", self.headers.get("Range", ""))
        path = Path(self.translate_path(self.path))
        if match is None or not path.is_file():
            super().do_GET()
            return
        data = path.read_bytes()
        start, end = int(match[1]), min(int(match[2] or len(data) - 1), len(data) - 1)
        if start > end:
            self.send_error(416)
            return
        self.send_response(206)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Accept-Ranges", "bytes")
        self.send_header("Content-Range", f"bytes {start}-{end}/{len(data)}")
        self.send_header("Content-Length", str(end - start + 1))
        self.end_headers()
        self.wfile.write(data[start : end + 1])


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``paris.html`` with ``paris.mp3`` and ``paris.vtt`` beside it."""
    folder = tmp_path_factory.mktemp("site")
    _tone_mp3(folder / "paris.mp3", SAMPLE)
    (folder / "paris.vtt").write_text(
        "WEBVTT\n\n00:00.300 --> 00:01.300\nThe leaders met in Paris on Monday.\n",
        encoding="utf-8",
    )
    (folder / "paris.html").write_text(render_sample(), encoding="utf-8")
    # A page taller than the window: 60 long sentences over the same audio.
    words = "The sentence goes on and on so that the transcript is much taller than the window."
    long_cues = [Cue(f"{i}. {words}", i * 100, i * 100 + 90) for i in range(60)]
    long_page = render_sample(chapters=SAMPLE.chapters[:1], cues=long_cues)
    (folder / "long.html").write_text(long_page, encoding="utf-8")
    return folder


@pytest.fixture(scope="module", params=["file", "http"])
def page_url(request: pytest.FixtureRequest, site: Path) -> Iterator[str]:
    """The page opened from disk, and served over HTTP from 127.0.0.1."""
    if request.param == "file":
        yield (site / "paris.html").as_uri()
        return
    handler = functools.partial(_RangeHandler, directory=str(site))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/paris.html"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if os.environ.get("ARTICLE_AUDIO_SKIP_BROWSER") == "1":
        pytest.skip("ARTICLE_AUDIO_SKIP_BROWSER=1")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail("the player tests need Playwright: pip install -e '.[test]'")
    executable = _chromium()
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            launched.close()


@dataclass
class Opened:
    page: Page
    problems: list[str]


@contextmanager
def _open(browser: Browser, url: str, reduced_motion: Motion = "no-preference") -> Iterator[Opened]:
    """A fresh page at ``url`` with its audio's metadata loaded; CSP violations, script errors
    and dialogs are collected in ``problems``."""
    context = browser.new_context(reduced_motion=reduced_motion)
    try:
        page = context.new_page()
        page.set_default_timeout(5000)
        problems: list[str] = []
        page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
        page.on("dialog", lambda dialog: problems.append(f"dialog: {dialog.message}"))
        page.on(
            "console",
            lambda msg: (
                problems.append(msg.text) if "Content Security Policy" in msg.text else None
            ),
        )
        page.goto(url)
        page.evaluate(
            """() => new Promise((resolve) => {
                const audio = document.getElementById("audio");
                if (audio.readyState >= 1) resolve();
                else audio.addEventListener("loadedmetadata", resolve, { once: true });
            })"""
        )
        yield Opened(page, problems)
    finally:
        context.close()


@pytest.fixture
def opened(browser: Browser, page_url: str) -> Iterator[Opened]:
    with _open(browser, page_url) as result:
        yield result


def seek_to(page: Page, seconds: float) -> None:
    """Sets the audio's position the way its own slider does, and waits until it has landed."""
    page.evaluate(
        """(t) => new Promise((resolve) => {
            const audio = document.getElementById("audio");
            audio.addEventListener("seeked", resolve, { once: true });
            audio.currentTime = t;
        })""",
        seconds,
    )


def current(page: Page) -> list[str]:
    """The ids of the elements marked ``aria-current="true"`` (chapter first, then sentence)."""
    ids: list[str] = page.evaluate(
        """() => Array.from(document.querySelectorAll('[aria-current="true"]'), (e) => e.id)"""
    )
    return ids


def position(page: Page) -> float:
    seconds: float = page.evaluate("() => document.getElementById('audio').currentTime")
    return seconds


def settle(page: Page) -> None:
    page.wait_for_function("() => !document.getElementById('audio').seeking")


@pytest.mark.browser
def test_seeking_highlights_the_sentence_being_spoken(opened: Opened) -> None:
    page = opened.page
    assert page.evaluate("() => document.getElementById('audio').duration") == pytest.approx(
        SAMPLE.duration_ms / 1000, abs=0.1
    )
    assert current(page) == ["chapter-0"]  # the lead-in: no sentence yet
    for index, cue in enumerate(SAMPLE.cues):
        seek_to(page, (cue.start_ms + cue.end_ms) / 2000)
        chapter = "chapter-0" if cue.start_ms < SAMPLE.chapters[1].start_ms else "chapter-1"
        assert current(page) == [chapter, f"cue-{index}"]
        assert page.locator(f"#cue-{index}").get_attribute("class") == "cue is-current"
    seek_to(page, 4.7)  # the pause after cue 2 keeps it lit
    assert current(page) == ["chapter-1", "cue-2"]
    seek_to(page, 0.1)
    assert current(page) == ["chapter-0"]
    # The same through the timeupdate event alone.
    page.evaluate(
        """() => { const a = document.getElementById("audio");
                   Object.defineProperty(a, "currentTime", { value: 2.0, configurable: true });
                   a.dispatchEvent(new Event("timeupdate")); delete a.currentTime; }"""
    )
    assert current(page) == ["chapter-0", "cue-1"]
    assert opened.problems == []


@pytest.mark.browser
def test_clicking_a_sentence_seeks_to_it(opened: Opened) -> None:
    page = opened.page
    for index in (3, 1):
        page.click(f"#cue-{index}")
        settle(page)
        assert position(page) == pytest.approx(SAMPLE.cues[index].start_ms / 1000, abs=0.05)
        assert current(page)[-1] == f"cue-{index}"
        assert current(page).count(f"cue-{index}") == 1 and len(current(page)) == 2
    assert page.evaluate("() => document.getElementById('audio').paused")  # seeking never plays
    assert opened.problems == []


@pytest.mark.browser
def test_keyboard_moves_between_sentences_and_enter_or_space_seeks(opened: Opened) -> None:
    page = opened.page
    page.focus("#chapter-1")
    page.keyboard.press("Tab")  # the transcript is the next Tab stop
    assert page.evaluate("() => document.activeElement.id") == "cue-0"
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowDown")
    assert page.evaluate("() => document.activeElement.id") == "cue-2"
    assert page.locator("#cue-2").get_attribute("tabindex") == "0"
    assert page.locator("#cue-0").get_attribute("tabindex") == "-1"
    outline = page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle")
    assert outline == "solid"  # a visible focus ring
    page.keyboard.press("Enter")
    settle(page)
    assert position(page) == pytest.approx(SAMPLE.cues[2].start_ms / 1000, abs=0.05)
    assert current(page) == ["chapter-1", "cue-2"]
    page.keyboard.press("ArrowLeft")
    page.evaluate(
        """() => window.addEventListener("keydown", (e) => {
            window.spacePrevented = e.defaultPrevented;
        }, { once: true })"""
    )
    page.keyboard.press(" ")
    settle(page)
    assert position(page) == pytest.approx(SAMPLE.cues[1].start_ms / 1000, abs=0.05)
    assert current(page) == ["chapter-0", "cue-1"]
    assert page.evaluate("() => window.spacePrevented") is True  # Space does not scroll
    page.keyboard.press("End")
    assert page.evaluate("() => document.activeElement.id") == "cue-3"
    page.keyboard.press("Home")
    assert page.evaluate("() => document.activeElement.id") == "cue-0"
    assert opened.problems == []


@pytest.mark.browser
def test_clicking_a_chapter_seeks_to_its_start(opened: Opened) -> None:
    page = opened.page
    page.click("#chapter-1")
    settle(page)
    assert position(page) == pytest.approx(SAMPLE.chapters[1].start_ms / 1000, abs=0.05)
    # The chapter starts in the pause before its first sentence: nothing is spoken yet.
    assert current(page) == ["chapter-1"]
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Enter")  # chapter 0's button, from the keyboard
    settle(page)
    assert position(page) == pytest.approx(0, abs=0.05)
    assert current(page) == ["chapter-0"]
    assert page.locator("#chapter-0").get_attribute("aria-current") == "true"
    assert page.locator("#chapter-1").get_attribute("aria-current") is None
    assert opened.problems == []


@pytest.mark.browser
def test_hostile_text_stays_text_in_the_browser(opened: Opened) -> None:
    page = opened.page
    assert page.evaluate("() => window.pwned") is None
    assert page.title() == SAMPLE.title + " — read-along"
    assert page.locator("#cue-1").text_content() == SAMPLE.cues[1].text
    assert page.locator("#cue-2").text_content() == SAMPLE.cues[2].text
    assert page.evaluate("() => document.querySelectorAll('script, img, b, i').length") == 1
    assert opened.problems == []


@pytest.mark.browser
@pytest.mark.parametrize(("motion", "behavior"), [("reduce", "auto"), ("no-preference", "smooth")])
def test_reduced_motion_is_respected(
    browser: Browser, site: Path, motion: Motion, behavior: str
) -> None:
    with _open(browser, (site / "paris.html").as_uri(), reduced_motion=motion) as opened:
        page = opened.page
        assert page.evaluate("() => getComputedStyle(document.documentElement).scrollBehavior") == (
            behavior
        )
        transition = page.evaluate(
            "() => getComputedStyle(document.getElementById('cue-0')).transitionDuration"
        )
        assert (transition == "0s") == (motion == "reduce")
        page.click("#cue-2")
        settle(page)
        assert current(page) == ["chapter-1", "cue-2"]
        assert opened.problems == []


@pytest.mark.browser
def test_follows_the_narration_unless_the_reader_is_busy(browser: Browser, site: Path) -> None:
    with _open(browser, (site / "long.html").as_uri(), reduced_motion="reduce") as opened:
        page = opened.page
        page.set_viewport_size({"width": 800, "height": 500})
        in_view = """(id) => { const box = document.getElementById(id).getBoundingClientRect();
                              return box.top >= 0 && box.bottom <= window.innerHeight; }"""
        assert page.evaluate("() => window.scrollY") == 0
        # Muted playback needs no gesture; no input event has come from the reader yet.
        page.evaluate(
            """async () => { const a = document.getElementById("audio");
                             a.muted = true; a.currentTime = 5.0; await a.play(); }"""
        )
        page.wait_for_function(in_view, arg="cue-50")
        assert page.evaluate("() => window.scrollY") > 0
        # The reader presses a key: for a while the page no longer scrolls by itself.
        page.keyboard.press("Shift")
        seek_to(page, 0.0)
        page.wait_for_function("() => document.getElementById('cue-0').ariaCurrent === 'true'")
        assert not page.evaluate(in_view, "cue-0")
        page.evaluate("() => document.getElementById('audio').pause()")
        assert opened.problems == []
