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
from dataclasses import dataclass, replace
from html.parser import HTMLParser
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import pytest

from article_audio.audio.assemble import ChapterMark, Cue, Word
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
#: Word times of the sample's first cue, "The leaders met in Paris on Monday." (300-1300 ms).
FIRST_WORDS = tuple(
    Word(text, start, end)
    for text, start, end in [
        ("The", 300, 420),
        ("leaders", 420, 700),
        ("met", 700, 850),
        ("in", 850, 900),
        ("Paris", 900, 1100),
        ("on", 1100, 1180),
        ("Monday.", 1180, 1300),
    ]
)


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


def narration(page: str) -> dict[str, Any]:
    """The block's data: the JSON in the page's ``application/json`` script."""
    (data,) = [e.text for e in parse(page).find(tag="script") if e.attrs.get("type")]
    document: dict[str, Any] = json.loads(data)
    return document


def code(page: str) -> str:
    """The page's one running script (the block)."""
    (script,) = [e.text for e in parse(page).find(tag="script") if not e.attrs.get("type")]
    return script


def test_hostile_text_is_escaped_everywhere() -> None:
    page = render_sample()
    # the block's script and its JSON data block, nothing else
    assert page.count("<script") == 2 and page.count("</script>") == 2
    assert "window.pwned" not in code(page)
    assert "&lt;/script&gt;&lt;script&gt;window.pwned = 1&lt;/script&gt;" in page
    assert "&lt;img src=x onerror=&quot;window.pwned = 1&quot;&gt;" in page
    assert "Tom &amp; Jerry said &quot;hi&quot;" in page
    assert "Jo O&#x27;Hara &amp; &lt;i&gt;Sam&lt;/i&gt;" in page
    assert "What&#x27;s &quot;next&quot; &lt;/button&gt;&lt;button&gt;" in page
    assert "<title>Leaders &lt;meet&gt; in &quot;Paris&quot; &amp; agree &lt;/title&gt;" in page
    assert "<b>" not in page and "<i>" not in page and "<img" not in page
    data = page.split('id="narration">')[1].split("</script>")[0]
    assert "<" not in data and ">" not in data and "&" not in data  # nothing can close it


def test_parsed_text_is_the_original_text() -> None:
    page = render_sample()
    doc = parse(page)
    assert doc.by_id("title").text == SAMPLE.title
    assert doc.find("byline")[0].text == SAMPLE.byline
    paragraphs = " ".join(e.text for e in doc.find(tag="p") if e.attrs.get("class") != "byline")
    for cue in SAMPLE.cues:
        assert cue.text in paragraphs
    assert [e.text for e in doc.find(tag="h2")] == [c.title for c in SAMPLE.chapters]
    data = narration(page)
    assert data["title"] == SAMPLE.title
    assert [c["text"] for c in data["cues"]] == [cue.text for cue in SAMPLE.cues]
    assert [c["title"] for c in data["chapters"]] == [c.title for c in SAMPLE.chapters]


def _block(page: str) -> Element:
    (block,) = parse(page).find(tag="article-audio-listen")
    return block


def test_file_names_are_url_escaped_and_relative() -> None:
    def audio_src(name: str) -> str:
        return _block(render_sample(audio_filename=name)).attrs["audio"]

    assert audio_src('my "news" #1 & <more>.mp3') == "my%20%22news%22%20%231%20%26%20%3Cmore%3E.mp3"
    assert audio_src("media/a b.mp3") == "media/a%20b.mp3"
    assert audio_src("javascript:alert(1).mp3") == "javascript%3Aalert%281%29.mp3"  # no scheme


@pytest.mark.parametrize("name", ["", "/var/www/paris.mp3", "//evil.example/a.mp3", "\\\\h\\a"])
def test_absolute_or_empty_file_names_are_refused(name: str) -> None:
    with pytest.raises(ValueError, match="relative file name"):
        render_sample(audio_filename=name)
    with pytest.raises(ValueError, match="relative file name"):
        render_sample(cover_filename=name or "/c.jpg")


# --- Structure ------------------------------------------------------------------------------------
# The page was an <audio controls> element, a chapter list of buttons and a transcript of
# button-like sentence spans; it is now the Listen block (its own play, skip, speed, chapter menu
# and progress, tested in the browser below and in test_embed.py) over plain paragraphs, with
# the cues' and chapters' times in the block's JSON data.


def test_the_cues_and_chapters_carry_their_times_in_the_data() -> None:
    data = narration(render_sample())
    assert data["duration_ms"] == SAMPLE.duration_ms
    assert data["cues"] == [
        {"text": c.text, "start_ms": c.start_ms, "end_ms": c.end_ms, "words": []}
        for c in SAMPLE.cues
    ]
    timed = replace(SAMPLE.cues[0], words=FIRST_WORDS)
    data = narration(render_sample(cues=[timed, *SAMPLE.cues[1:]]))
    assert data["cues"][0]["words"][4] == {"text": "Paris", "start_ms": 900, "end_ms": 1100}
    assert [(c["start_ms"], c["end_ms"]) for c in data["chapters"]] == [(0, 3050), (3050, 6500)]


def test_the_block_plays_the_audio_and_reads_along_in_the_page() -> None:
    page = render_sample(language="fr-CA")
    doc = parse(page)
    assert doc.find(tag="html")[0].attrs["lang"] == "fr-CA"
    block = _block(page)
    assert block.attrs == {
        "audio": "paris.mp3",
        "narration": "narration",
        "for": "#page",
        "follow": "",
    }
    assert doc.by_id("page").tag == "main"
    links = [e.attrs["href"] for e in doc.find(tag="a")]
    assert links == ["paris.mp3", "paris.vtt"]
    assert [
        e.attrs["href"] for e in parse(render_sample(transcript_vtt_filename=None)).find(tag="a")
    ] == ["paris.mp3"]


def test_the_headline_is_shown_once_with_the_cover_when_there_is_one() -> None:
    title = "Coalition partners meet in Paris"
    cues = [Cue(f"{title}.", 300, 2000), Cue("They met on Monday.", 2600, 4000)]
    chapters = [ChapterMark(title, 0, 2300), ChapterMark("The talks", 2300, 4500)]
    page = render_player(title=title, audio_filename="a.mp3", chapters=chapters, cues=cues)
    body = page.split("<body>")[1].split('<script type="application/json"')[0]
    assert body.count(title) == 1  # the heading, not again as a chapter or a sentence
    assert [e.text for e in parse(page).find(tag="h2")] == ["The talks"]
    assert not parse(page).find(tag="img")
    covered = render_player(
        title=title, audio_filename="a.mp3", chapters=chapters, cues=cues, cover_filename="a.jpg"
    )
    (cover,) = parse(covered).find(tag="img")
    assert cover.attrs == {"class": "cover", "src": "a.jpg", "alt": ""}


def test_transcript_is_a_labelled_region_grouped_by_chapter_and_paragraph() -> None:
    doc = parse(render_sample())
    region = doc.by_id("transcript")
    assert region.attrs["aria-label"] == "Transcript"
    first, second = render_sample().split('id="transcript-chapter-1"')
    second = second.split("<footer>")[0]
    assert "Paris on Monday" in first and "Paris on Monday" not in second
    assert "The last one ends it." in second and "The last one ends it." not in first


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
    body = page.split('id="transcript"')[1].split("</section>")[0]
    texts = re.findall(r"<p>(.*?)</p>", body)
    assert texts == ["Intro.", "One. Two.", "Three. Four. Five. Six."]


def test_no_chapters_and_no_cues() -> None:
    page = render_player(title="T", audio_filename="a.mp3", chapters=[], cues=[])
    doc = parse(page)
    assert not doc.find(tag="h2")
    assert "No transcript" in doc.by_id("transcript").text
    assert narration(page) == {"title": "T", "duration_ms": 0, "chapters": [], "cues": []}


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
    # the block's highlight takes the page's colours
    assert "--article-audio-highlight: var(--mark-bg)" in css


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
    assert sorted(set(links)) == ["paris.mp3", "paris.vtt"]
    assert not doc.find(tag="link") and not doc.find(tag="img") and not doc.find(tag="iframe")
    (meta,) = [e for e in doc.find(tag="meta") if e.attrs.get("http-equiv")]
    policy = dict(part.strip().split(" ", 1) for part in meta.attrs["content"].split(";"))
    assert policy["default-src"] == "'none'"
    assert policy["media-src"] == "'self'"
    assert policy["img-src"] == "'self'"  # the cover, beside the page

    def digest(text: str) -> str:
        return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"

    assert policy["script-src"] == digest(code(page))
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
    timed = replace(SAMPLE.cues[0], words=FIRST_WORDS)
    words_page = render_sample(cues=[timed, *SAMPLE.cues[1:]])
    (folder / "words.html").write_text(words_page, encoding="utf-8")
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
    """A fresh page at ``url`` with the block's audio metadata loaded; CSP violations, script
    errors and dialogs are collected in ``problems``."""
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
        page.wait_for_function(
            """() => document.querySelector("article-audio-listen")?.shadowRoot
                     ?.querySelector("audio")?.readyState >= 1"""
        )
        yield Opened(page, problems)
    finally:
        context.close()


#: The block's audio element, from page scripts.
AUDIO = 'document.querySelector("article-audio-listen").shadowRoot.querySelector("audio")'
SHADOW = 'document.querySelector("article-audio-listen").shadowRoot'


@pytest.fixture
def opened(browser: Browser, page_url: str) -> Iterator[Opened]:
    with _open(browser, page_url) as result:
        yield result


def seek_to(page: Page, seconds: float) -> None:
    """Sets the audio's position the way its own slider does, and waits until it has landed."""
    page.evaluate(
        f"""(t) => new Promise((resolve) => {{
            const audio = {AUDIO};
            audio.addEventListener("seeked", resolve, {{ once: true }});
            audio.currentTime = t;
        }})""",
        seconds,
    )


def lit(page: Page) -> str | None:
    """The text the block highlights as the sentence being read (None: none)."""
    text: str | None = page.evaluate(
        """() => { const h = CSS.highlights.get("article-audio-sentence");
                   return h ? [...h.keys()][0].toString() : null; }"""
    )
    return text


def lit_word(page: Page) -> str | None:
    """The text the block highlights as the word being read (None: none)."""
    text: str | None = page.evaluate(
        """() => { const h = CSS.highlights.get("article-audio-word");
                   return h && h.size ? [...h.keys()][0].toString() : null; }"""
    )
    return text


def chapter(page: Page) -> str:
    value: str = page.evaluate(f"() => {SHADOW}.querySelector('.chapters').value")
    return value


def position(page: Page) -> float:
    seconds: float = page.evaluate(f"() => {AUDIO}.currentTime")
    return seconds


def settle(page: Page) -> None:
    page.wait_for_function(f"() => !{AUDIO}.seeking")


@pytest.mark.browser
def test_seeking_highlights_the_sentence_being_spoken(opened: Opened) -> None:
    page = opened.page
    assert page.evaluate(f"() => {AUDIO}.duration") == pytest.approx(
        SAMPLE.duration_ms / 1000, abs=0.1
    )
    label = page.evaluate(f"() => {SHADOW}.querySelector('.label').textContent")
    assert label == "Listen to this article \u00b7 1 min"
    assert lit(page) is None  # the lead-in: no sentence yet
    for cue in SAMPLE.cues:
        seek_to(page, (cue.start_ms + cue.end_ms) / 2000)
        expected = "0" if cue.start_ms < SAMPLE.chapters[1].start_ms else "1"
        assert chapter(page) == expected
        assert lit(page) == cue.text
    seek_to(page, 4.7)  # the pause after cue 2 keeps it lit
    assert lit(page) == SAMPLE.cues[2].text
    in_transcript = page.evaluate(
        """() => document.getElementById("transcript").contains(
                 [...CSS.highlights.get("article-audio-sentence").keys()][0].startContainer)"""
    )
    assert in_transcript
    assert opened.problems == []


@pytest.mark.browser
def test_the_word_being_read_is_highlighted_inside_its_sentence(
    browser: Browser, site: Path
) -> None:
    with _open(browser, (site / "words.html").as_uri()) as opened:
        page = opened.page
        for word in FIRST_WORDS:
            seek_to(page, (word.start_ms + word.end_ms) / 2000)
            assert lit(page) == SAMPLE.cues[0].text
            assert lit_word(page) == word.text
        seek_to(page, (SAMPLE.cues[1].start_ms + SAMPLE.cues[1].end_ms) / 2000)
        assert lit_word(page) is None  # a cue without word times lights its sentence only
        assert opened.problems == []


@pytest.mark.browser
def test_the_chapter_menu_seeks_to_a_chapter(opened: Opened) -> None:
    page = opened.page
    page.select_option("article-audio-listen >> .chapters", "1")
    settle(page)
    assert position(page) == pytest.approx(SAMPLE.chapters[1].start_ms / 1000, abs=0.05)
    page.select_option("article-audio-listen >> .chapters", "0")
    settle(page)
    assert position(page) == pytest.approx(0, abs=0.05)
    assert page.evaluate(f"() => {AUDIO}.paused")  # seeking never plays
    assert opened.problems == []


@pytest.mark.browser
def test_the_keyboard_plays_pauses_and_skips(opened: Opened) -> None:
    page = opened.page
    page.evaluate(f"() => {{ {AUDIO}.muted = true; }}")
    page.keyboard.press("Tab")  # the block's play button is the page's first Tab stop
    assert page.evaluate(f"() => {SHADOW}.activeElement.className") == "play"
    page.keyboard.press("Enter")
    page.wait_for_function(f"() => !{AUDIO}.paused")
    # the button follows the audio's "play" event, a task after play() starts it
    page.wait_for_function(f"() => {SHADOW}.querySelector('.play').ariaLabel === 'Pause'")
    page.keyboard.press("k")
    page.wait_for_function(f"() => {AUDIO}.paused")
    seek_to(page, 1.0)
    page.keyboard.press("l")  # forward 15 s: the end of this short narration
    settle(page)
    assert position(page) == pytest.approx(SAMPLE.duration_ms / 1000, abs=0.1)
    page.keyboard.press("j")  # back 15 s
    settle(page)
    assert position(page) == pytest.approx(0, abs=0.05)
    page.keyboard.press("Tab")
    assert page.evaluate(f"() => {SHADOW}.activeElement.ariaLabel") == "Back 15 seconds"
    outline = page.evaluate(f"() => getComputedStyle({SHADOW}.activeElement).outlineStyle")
    assert outline == "solid"  # a visible focus ring
    assert opened.problems == []


@pytest.mark.browser
def test_hostile_text_stays_text_in_the_browser(opened: Opened) -> None:
    page = opened.page
    assert page.evaluate("() => window.pwned") is None
    assert page.title() == SAMPLE.title + " — read-along"
    assert page.locator("#title").text_content() == SAMPLE.title
    seek_to(page, (SAMPLE.cues[1].start_ms + 100) / 1000)
    assert lit(page) == SAMPLE.cues[1].text
    assert page.evaluate("() => document.querySelectorAll('img, b, i').length") == 0
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
            f"() => getComputedStyle({SHADOW}.querySelector('.back')).transitionDuration"
        )
        assert (transition == "0s") == (motion == "reduce")
        assert opened.problems == []


@pytest.mark.browser
def test_follows_the_narration_only_when_asked(browser: Browser, site: Path) -> None:
    with _open(browser, (site / "long.html").as_uri(), reduced_motion="reduce") as opened:
        page = opened.page
        page.set_viewport_size({"width": 800, "height": 500})
        assert page.evaluate("() => window.scrollY") == 0
        # Muted playback needs no gesture; the page ticks "Follow the text" for the reader.
        page.evaluate(f"async () => {{ const a = {AUDIO}; a.muted = true; await a.play(); }}")
        seek_to(page, 5.0)
        page.wait_for_function("() => window.scrollY > 0")
        assert (lit(page) or "").startswith("50. The sentence goes on")
        # The reader unticks it: the page no longer scrolls by itself.
        page.click("article-audio-listen >> .follow")
        page.evaluate("() => window.scrollTo(0, 0)")
        seek_to(page, 3.0)
        page.wait_for_function("() => CSS.highlights.get('article-audio-sentence') !== undefined")
        assert page.evaluate("() => window.scrollY") == 0
        page.evaluate(f"() => {AUDIO}.pause()")
        assert opened.problems == []
