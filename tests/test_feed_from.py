"""``feed --from URL``: a site's RSS, Atom or JSON feed in, a podcast out, against a real HTTP
server this module starts on 127.0.0.1 serving feeds and article pages written here.

Episodes are rendered with the fast fake voice; the podcast feed is read back with feedparser
and an XML parser. The server records every request, so the tests see the conditional GETs.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timezone
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import Element

import feedparser
import pytest
from defusedxml import ElementTree

from article_audio import RenderOptions, ScriptOptions
from article_audio.apps.feed import (
    FEED_NAME,
    PODCAST_NS,
    STATE_NAME,
    Channel,
    FeedReport,
    FeedSource,
    SourceItem,
    build_feed,
    load_channel,
    page_guid,
    parse_items,
    poll_every,
    read_feed_state,
)
from article_audio.apps.feed.source import select
from article_audio.errors import ArticleAudioError, InputError

from .conftest import DATA, ffprobe

CHANNEL_TOML = DATA / "feed" / "channel.toml"
CLI = str(Path(sys.executable).parent / "article-audio")
ITUNES_NS = "http://www.itunes.com/dtds/podcast-1.0.dtd"
BASE = "https://news.example.com/podcast/"

# --------------------------------------------------------------------------- the site


#: The site's articles: path → (title, byline, validator the server gives, paragraphs).
ARTICLES: dict[str, tuple[str, str, str, list[str]]] = {
    "/news/harbour-bridge": (
        "Harbour bridge reopens after repairs",
        "Mara Quill",
        "etag",
        [
            "The old harbour bridge in Port Wren reopened to traffic on Monday morning after "
            "eighteen months of repairs, city officials said.",
            "Engineers replaced every one of the rusted deck plates and rebuilt both approach "
            "ramps, according to the city's public works office.",
            "Commuters who had been taking a forty-minute detour around the bay lined up before "
            "dawn to be among the first to cross again.",
        ],
    ),
    "/news/library-hours": (
        "Library adds Sunday hours this winter",
        "Tomas Ferro",
        "last-modified",
        [
            "The central library on Alder Street will open on Sundays from noon to five starting "
            "next month, the library board decided on Thursday.",
            "Board members said the change answers years of requests from students and from "
            "parents who work during the week.",
            "Two part-time librarians will be hired to cover the extra hours, paid for by a "
            "bequest left to the library last spring.",
        ],
    ),
    "/news/school-garden": (
        "Pupils plant a garden on the school roof",
        "Ines Varga",
        "both",
        [
            "Pupils at Northgate Primary spent the last week of term hauling soil up to the "
            "school roof to plant beans, lettuce and sunflowers.",
            "Their teacher said the garden began as a science lesson about seeds and grew into "
            "a project the whole school wanted to join.",
            "The first harvest is expected in early summer, and the pupils plan to sell it to "
            "parents at the school gate.",
        ],
    ),
}
GUIDS = {
    "/news/harbour-bridge": "gazette-1001",
    "/news/library-hours": "gazette-1002",
    "/news/school-garden": "gazette-1003",
}
DATES = {
    "/news/harbour-bridge": datetime(2026, 1, 5, 9, 0, tzinfo=timezone.utc),
    "/news/library-hours": datetime(2026, 1, 6, 14, 30, tzinfo=timezone.utc),
    "/news/school-garden": datetime(2026, 1, 7, 8, 15, tzinfo=timezone.utc),
}


AD = "Buy the new Zephyr phone today and save forty dollars!"


def article_page(path: str, ad: str = AD, added: str | None = None) -> bytes:
    """The HTML page of an article, with navigation, an advertisement and a footer; ``added``
    is a paragraph added at the end (an edit)."""
    title, author, _, paragraphs = ARTICLES[path]
    body = "".join(f"<p>{text}</p>" for text in [*paragraphs, *([added] if added else [])])
    published = DATES[path].isoformat()
    return f"""<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>{title} | Port Wren Gazette</title><meta name="author" content="{author}">
<meta property="article:published_time" content="{published}"></head>
<body><header><nav><a href="/">Home</a> <a href="/local">Local</a> <a href="/sports">Sports</a>
</nav></header><aside class="advertisement"><p>{ad}</p></aside>
<main><article><h1>{title}</h1><p class="byline">By {author}</p>{body}</article></main>
<footer><p>Copyright 2026 Port Wren Gazette. All rights reserved.</p></footer></body></html>
""".encode()


def rss_feed(base: str, paths: list[str]) -> bytes:
    items = "".join(
        f"<item><title>{ARTICLES[p][0]}</title><link>{base}{p}</link>"
        f'<guid isPermaLink="false">{GUIDS[p]}</guid>'
        f"<pubDate>{format_datetime(DATES[p], usegmt=True)}</pubDate>"
        f"<description>{ARTICLES[p][3][0]}</description></item>"
        for p in paths
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
        f"<title>Port Wren Gazette</title><link>{base}/</link>"
        f"<description>Local news</description>{items}</channel></rss>"
    ).encode()


def atom_feed(paths: list[str]) -> bytes:
    """An Atom feed whose links are relative (resolved against the feed's URL)."""
    entries = "".join(
        f'<entry><title>{ARTICLES[p][0]}</title><link href="..{p}"/>'
        f"<id>tag:gazette.example,2026:{GUIDS[p]}</id>"
        f"<updated>{DATES[p].isoformat()}</updated></entry>"
        for p in paths
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
        "<title>Port Wren Gazette</title><id>tag:gazette.example,2026:feed</id>"
        f"<updated>2026-01-07T08:15:00Z</updated>{entries}</feed>"
    ).encode()


def json_feed(base: str, paths: list[str]) -> bytes:
    items = [
        {"id": GUIDS[p], "url": f"{base}{p}", "title": ARTICLES[p][0],
         "date_published": DATES[p].isoformat()}
        for p in paths
    ]  # fmt: skip
    document = {"version": "https://jsonfeed.org/version/1.1", "title": "Gazette", "items": items}
    return json.dumps(document).encode()


@dataclass
class Resource:
    body: bytes
    content_type: str
    validator: str = "etag"  # "etag", "last-modified", "both" or "none"
    version: int = 1

    @property
    def etag(self) -> str:
        return '"' + hashlib.sha256(self.body).hexdigest()[:16] + '"'

    @property
    def last_modified(self) -> str:
        moment = datetime(2026, 1, 8, tzinfo=timezone.utc).timestamp() + 60 * self.version
        return format_datetime(datetime.fromtimestamp(moment, timezone.utc), usegmt=True)


@dataclass
class Site:
    """What the server serves, and every request it saw (path, headers)."""

    base: str = ""
    resources: dict[str, Resource] = field(default_factory=dict)
    requests: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    gates: dict[str, threading.Event] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def put(self, path: str, body: bytes, content_type: str, validator: str = "etag") -> None:
        with self.lock:
            old = self.resources.get(path)
            version = old.version + 1 if old else 1
            self.resources[path] = Resource(body, content_type, validator, version)

    def put_page(self, path: str, **changes: Any) -> None:
        self.put(path, article_page(path, **changes), "text/html; charset=utf-8", ARTICLES[path][2])

    def seen(self, path: str) -> list[dict[str, str]]:
        """The headers of every request for ``path``, in order."""
        with self.lock:
            return [headers for asked, headers in self.requests if asked == path]

    def answer(self, handler: BaseHTTPRequestHandler) -> None:
        with self.lock:
            self.requests.append((handler.path, {k.lower(): v for k, v in handler.headers.items()}))
            gate = self.gates.get(handler.path)
        if gate is not None:
            gate.wait(60)
        with self.lock:
            resource = self.resources.get(handler.path)
        if resource is None:
            handler.send_response(404)
            handler.send_header("Content-Type", "text/html")
            handler.send_header("Content-Length", "0")
            handler.end_headers()
            return
        self._send(handler, resource)

    @staticmethod
    def _send(handler: BaseHTTPRequestHandler, resource: Resource) -> None:
        headers = {}
        if resource.validator in ("etag", "both"):
            headers["ETag"] = resource.etag
        if resource.validator in ("last-modified", "both"):
            headers["Last-Modified"] = resource.last_modified
        asked_tag = handler.headers.get("If-None-Match")
        asked_time = handler.headers.get("If-Modified-Since")
        fresh = (asked_tag is not None and asked_tag == headers.get("ETag")) or (
            asked_tag is None and asked_time is not None
            and asked_time == headers.get("Last-Modified")
        )  # fmt: skip
        handler.send_response(304 if fresh else 200)
        for key, value in headers.items():
            handler.send_header(key, value)
        body = b"" if fresh else resource.body
        if not fresh:
            handler.send_header("Content-Type", resource.content_type)
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)


@pytest.fixture
def site() -> Iterator[Site]:
    """A site on 127.0.0.1: an RSS feed of three article pages (plus Atom and JSON feeds)."""
    served = Site()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            served.answer(self)

        def log_message(self, format: str, *args: object) -> None:
            """Quiet."""

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    served.base = f"http://127.0.0.1:{httpd.server_address[1]}"
    paths = list(ARTICLES)
    for path in paths:
        served.put_page(path)
    served.put("/rss.xml", rss_feed(served.base, paths), "application/rss+xml")
    served.put("/feeds/atom.xml", atom_feed(paths), "application/atom+xml", "last-modified")
    served.put("/feed.json", json_feed(served.base, paths), "application/feed+json")
    served.put("/home", b"<html><body><p>Welcome</p></body></html>", "text/html")
    yield served
    for gate in served.gates.values():
        gate.set()
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def channel() -> Channel:
    return load_channel(CHANNEL_TOML)


@pytest.fixture
def options(fake_voice: Path) -> RenderOptions:
    return RenderOptions(script=ScriptOptions(voice=str(fake_voice)), jobs=1)


@pytest.fixture
def out_dir(tmp_path: Path) -> Path:
    return tmp_path / "site"


def build(
    site: Site, channel: Channel, out_dir: Path, options: RenderOptions, **kw: Any
) -> FeedReport:
    feed_path = kw.pop("feed", "/rss.xml")
    source = FeedSource(site.base + feed_path, **kw)
    return build_feed(None, channel, out_dir, options, source=source)


def items_by_guid(path: Path) -> dict[str, Element]:
    root = ElementTree.fromstring(path.read_bytes())
    return {str(item.findtext("guid")): item for item in root.iter("item")}


def mtimes(folder: Path) -> dict[str, int]:
    return {p.name: p.stat().st_mtime_ns for p in folder.iterdir()}


def run_cli(*args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    return subprocess.run([CLI, *args], capture_output=True, text=True, timeout=timeout)


def cli_args(site: Site, out_dir: Path, fake_voice: Path, *extra: str) -> list[str]:
    return [
        "feed", "--from", f"{site.base}/rss.xml", "--config", str(CHANNEL_TOML),
        "--out-dir", str(out_dir), "--voice", str(fake_voice), "--jobs", "1", *extra,
    ]  # fmt: skip


# --------------------------------------------------------------------------- the podcast


def test_an_rss_feed_becomes_a_podcast_apple_and_podcasting_2_accept(
    site: Site, channel: Channel, options: RenderOptions, out_dir: Path
) -> None:
    report = build(site, channel, out_dir, options)
    links = [f"{site.base}{path}" for path in ARTICLES]
    assert sorted(report.rendered) == sorted(links) and not report.failed

    document = report.feed.read_bytes()
    parsed = feedparser.parse(document)
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "rss20" and len(parsed.entries) == 3
    root = ElementTree.fromstring(document)
    rss_channel = root.find("channel")
    assert rss_channel is not None
    # Apple's required channel tags
    for tag in ("title", "description", "language", f"{{{ITUNES_NS}}}author"):
        assert (rss_channel.findtext(tag) or "").strip(), tag
    image = rss_channel.find(f"{{{ITUNES_NS}}}image")
    assert image is not None and str(image.get("href")).endswith(".jpg")
    category = rss_channel.find(f"{{{ITUNES_NS}}}category")
    assert category is not None and category.get("text") == "News"
    assert rss_channel.findtext(f"{{{ITUNES_NS}}}explicit") in ("true", "false")
    expected_guid = uuid.uuid5(
        uuid.UUID("ead4c236-bf58-58c6-a2c6-a6b28d128cb6"), "news.example.com/podcast/feed.xml"
    )
    assert rss_channel.findtext(f"{{{PODCAST_NS}}}guid") == str(expected_guid) == str(channel.guid)
    assert rss_channel.findtext(f"{{{PODCAST_NS}}}medium") == "podcast"

    state = read_feed_state(out_dir)
    by_path = {path: state.episodes[GUIDS[path]] for path in ARTICLES}
    items = items_by_guid(report.feed)
    for path, episode in by_path.items():
        item = items[episode.guid]
        assert (
            episode.guid
            == page_guid(channel, GUIDS[path])
            == f"urn:uuid:{uuid.uuid5(expected_guid, GUIDS[path])}"
        )
        assert item.findtext("title") == ARTICLES[path][0]
        assert item.findtext("link") == f"{site.base}{path}"  # the source article
        enclosure = item.find("enclosure")
        assert enclosure is not None and enclosure.get("type") == "audio/mpeg"
        assert enclosure.get("url") == f"{BASE}{episode.audio}"
        assert int(str(enclosure.get("length"))) == (out_dir / episode.audio).stat().st_size
        guid = item.find("guid")
        assert guid is not None and guid.get("isPermaLink") == "false"
        assert (item.findtext(f"{{{ITUNES_NS}}}duration") or "").isdigit()
        persons = item.findall(f"{{{PODCAST_NS}}}person")
        assert [(p.text, p.get("group"), p.get("role")) for p in persons] == [
            (ARTICLES[path][1], "writing", "author")
        ]
        assert episode.published == DATES[path]  # the feed item's date
    slugs = {episode.slug for episode in by_path.values()}
    assert slugs == {
        "harbour-bridge-reopens-after-repairs",
        "library-adds-sunday-hours-this-winter",
        "pupils-plant-a-garden-on-the-school-roof",
    }
    for headers in site.seen("/news/harbour-bridge"):
        assert headers["user-agent"].startswith("article-audio/")


def test_a_rerun_renders_nothing_and_asks_conditionally(
    site: Site, channel: Channel, options: RenderOptions, out_dir: Path
) -> None:
    first = build(site, channel, out_dir, options)
    before = mtimes(out_dir)
    asked = len(site.requests)
    second = build(site, channel, out_dir, options)
    assert second.rendered == () and not second.failed
    assert len(second.unchanged) == 3
    assert mtimes(out_dir) == before  # nothing rewritten: episodes, sidecars, state, feed
    assert [e.guid for e in second.episodes] == [e.guid for e in first.episodes]
    # every request of the re-run was conditional, with what the server gave the first time
    again = site.requests[asked:]
    assert len(again) == 4  # the feed and three pages, one request each
    (bridge,) = site.seen("/news/harbour-bridge")[1:]
    assert bridge.get("if-none-match") == site.resources["/news/harbour-bridge"].etag
    (library,) = site.seen("/news/library-hours")[1:]
    assert library.get("if-modified-since") == site.resources["/news/library-hours"].last_modified
    (garden,) = site.seen("/news/school-garden")[1:]
    assert "if-none-match" in garden and "if-modified-since" in garden
    (rss,) = site.seen("/rss.xml")[1:]
    assert rss.get("if-none-match") == site.resources["/rss.xml"].etag


def test_an_edited_page_is_rendered_again_alone_with_its_guid(
    site: Site, channel: Channel, options: RenderOptions, out_dir: Path
) -> None:
    first = build(site, channel, out_dir, options)
    guids = {e.article: e.guid for e in first.episodes}
    before = mtimes(out_dir)
    correction = "A correction: the library will also open on public holidays."
    site.put_page("/news/library-hours", added=correction)
    second = build(site, channel, out_dir, options)
    assert second.rendered == (f"{site.base}/news/library-hours",)
    assert len(second.unchanged) == 2
    assert {e.article: e.guid for e in second.episodes} == guids
    episode = read_feed_state(out_dir).episodes[GUIDS["/news/library-hours"]]
    after = mtimes(out_dir)
    assert after[episode.audio] != before[episode.audio]
    changed = {name for name in after if after[name] != before.get(name)}
    assert changed <= {*episode.files, FEED_NAME, STATE_NAME}
    item = items_by_guid(second.feed)[episode.guid]
    enclosure = item.find("enclosure")
    assert enclosure is not None
    assert int(str(enclosure.get("length"))) == (out_dir / episode.audio).stat().st_size
    assert (
        episode.first_rendered
        == {e.article: e for e in first.episodes}[episode.article].first_rendered
    )


def test_a_page_whose_ads_change_but_not_its_text_is_not_rendered_again(
    site: Site, channel: Channel, options: RenderOptions, out_dir: Path
) -> None:
    build(site, channel, out_dir, options)
    old_tag = site.resources["/news/harbour-bridge"].etag
    site.put_page(
        "/news/harbour-bridge", ad="Summer sale at Wren Furniture: every sofa half price!"
    )
    new_tag = site.resources["/news/harbour-bridge"].etag
    assert new_tag != old_tag
    second = build(site, channel, out_dir, options)
    assert second.rendered == () and len(second.unchanged) == 3
    assert site.seen("/news/harbour-bridge")[-1].get("if-none-match") == old_tag  # sent, refused
    # the new validator is remembered: the next poll gets "not modified"
    assert read_feed_state(out_dir).episodes[GUIDS["/news/harbour-bridge"]].etag == new_tag
    build(site, channel, out_dir, options)
    assert site.seen("/news/harbour-bridge")[-1].get("if-none-match") == new_tag


def test_atom_and_json_feeds_with_max_items_and_since(
    site: Site, channel: Channel, options: RenderOptions, out_dir: Path, tmp_path: Path
) -> None:
    atom = build(site, channel, out_dir, options, feed="/feeds/atom.xml", max_items=2)
    # the two newest, their relative links resolved against the feed's URL
    assert atom.rendered == (f"{site.base}/news/school-garden", f"{site.base}/news/library-hours")
    since = datetime(2026, 1, 6, tzinfo=timezone.utc)
    other = tmp_path / "other"
    json_report = build(site, channel, other, options, feed="/feed.json", since=since)
    assert set(json_report.rendered) == {
        f"{site.base}/news/school-garden",
        f"{site.base}/news/library-hours",
    }
    assert len(feedparser.parse(json_report.feed.read_bytes()).entries) == 2


def test_parse_items_and_select() -> None:
    rss = rss_feed("https://gazette.example", list(ARTICLES))
    items = parse_items(rss, "https://gazette.example/rss.xml")
    assert [item.key for item in items] == list(GUIDS.values())
    assert items[0].link == "https://gazette.example/news/harbour-bridge"
    assert items[0].published == DATES["/news/harbour-bridge"]
    newest = select(items, FeedSource("x", max_items=1))
    assert [item.key for item in newest] == ["gazette-1003"]
    undated = (SourceItem("a", "https://x/a", "A"), *items)
    assert select(undated, FeedSource("x", max_items=2))[0].key == "a"  # the feed's order
    with pytest.raises(InputError, match="not an RSS, Atom or JSON feed"):
        parse_items(b"<html><body><p>Hi</p></body></html>", "https://gazette.example/")
    with pytest.raises(InputError, match="not a JSON feed"):
        parse_items(b'{"items": []}', "https://gazette.example/")


def test_channel_guid_follows_the_namespace_example(tmp_path: Path) -> None:
    """The namespace's own example: ``podnews.net/rss`` → 9b024349-ccf0-5f69-a609-6b82873eab3c."""
    text = CHANNEL_TOML.read_text(encoding="utf-8")
    path = tmp_path / "channel.toml"
    path.write_text(
        text.replace("https://news.example.com/podcast/", "https://podnews.net/"), "utf-8"
    )
    channel = dataclasses.replace(load_channel(path))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(type(channel), "feed_url", property(lambda self: "https://podnews.net/rss/"))
        assert str(channel.guid) == "9b024349-ccf0-5f69-a609-6b82873eab3c"


# --------------------------------------------------------------------------- failures


def test_a_failing_item_is_one_line_on_stderr_and_the_rest_build(
    site: Site, out_dir: Path, fake_voice: Path
) -> None:
    del site.resources["/news/library-hours"]
    result = run_cli(*cli_args(site, out_dir, fake_voice))
    assert result.returncode == 1, result.stderr
    assert result.stderr.splitlines() == [
        f"article-audio: error: {site.base}/news/library-hours: HTTP error 404 Not Found"
    ]
    lines = result.stdout.splitlines()
    assert [line.split("\t")[:2] for line in lines[:2]] == [
        ["rendered", f"{site.base}/news/school-garden"],
        ["rendered", f"{site.base}/news/harbour-bridge"],
    ]
    assert lines[0].split("\t")[4:] == ["2 chapters", lines[0].split("\t")[5]]
    assert lines[0].split("\t")[5].endswith("cached")
    assert lines[-1] == f"{out_dir / FEED_NAME}\t2 episodes\t2 rendered, 0 unchanged, 1 failed"
    parsed = feedparser.parse((out_dir / FEED_NAME).read_bytes())
    assert not parsed.bozo and len(parsed.entries) == 2

    site.put_page("/news/library-hours")
    again = run_cli(*cli_args(site, out_dir, fake_voice))
    assert again.returncode == 0, again.stderr
    assert again.stdout.splitlines()[-1].endswith("\t3 episodes\t1 rendered, 2 unchanged, 0 failed")
    assert [line.split("\t")[0] for line in again.stdout.splitlines()[:3]] == [
        "unchanged",
        "rendered",
        "unchanged",
    ]


def test_a_later_poll_that_fails_keeps_the_podcast(
    site: Site, channel: Channel, options: RenderOptions, out_dir: Path
) -> None:
    first = build(site, channel, out_dir, options)
    del site.resources["/rss.xml"]
    report = build(site, channel, out_dir, options)
    (failure,) = report.failed
    assert failure.article == f"{site.base}/rss.xml" and failure.error == "HTTP error 404 Not Found"
    assert {e.guid for e in report.episodes} == {e.guid for e in first.episodes}
    assert len(feedparser.parse(report.feed.read_bytes()).entries) == 3


def test_a_first_poll_that_fails_is_one_line_exit_2_and_writes_nothing(
    site: Site, out_dir: Path, fake_voice: Path
) -> None:
    args = cli_args(site, out_dir, fake_voice)
    args[args.index("--from") + 1] = f"{site.base}/home"
    result = run_cli(*args)
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        f"article-audio: error: {site.base}/home: not an RSS, Atom or JSON feed "
        "(content type text/html)"
    ]
    assert not out_dir.exists()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (["--from", "ftp://example.com/rss"], "only http:// and https:// URLs can be fetched"),
        (["--since", "last week"], "is not a date like 2026-01-05"),
        (["--max-items", "0"], "0 is not in the range x>=1"),
    ],
)
def test_bad_options_are_exit_2(
    site: Site, out_dir: Path, fake_voice: Path, change: list[str], message: str
) -> None:
    args = cli_args(site, out_dir, fake_voice)
    if change[0] in args:
        args[args.index(change[0]) + 1] = change[1]
    else:
        args += change
    result = run_cli(*args)
    assert result.returncode == 2 and message in result.stderr, result.stderr
    assert "Traceback" not in result.stderr and not out_dir.exists()


def test_nothing_to_build_from_is_one_line(out_dir: Path) -> None:
    result = run_cli("feed", "--config", str(CHANNEL_TOML), "--out-dir", str(out_dir))
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        "article-audio: error: nothing to build from: give ARTICLES_DIR, --from URL, or both"
    ]
    result = run_cli(
        "feed",
        "--config",
        str(CHANNEL_TOML),
        "--out-dir",
        str(out_dir),
        "--since",
        "2026-01-01",
        str(out_dir),
    )
    assert result.returncode == 2 and "give --from URL" in result.stderr


def test_kill_9_mid_build_then_a_rerun_leaves_no_partial_file_and_keeps_every_guid(
    site: Site, out_dir: Path, fake_voice: Path
) -> None:
    assert run_cli(*cli_args(site, out_dir, fake_voice)).returncode == 0
    published = set(items_by_guid(out_dir / FEED_NAME))
    for path, (title, *_) in ARTICLES.items():
        site.put_page(path, added=f"This story about {title.lower()} was updated at noon.")
    site.gates["/news/harbour-bridge"] = threading.Event()  # the last page waits
    process = subprocess.Popen(
        [CLI, *cli_args(site, out_dir, fake_voice)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 120
    try:
        while time.monotonic() < deadline and process.poll() is None:
            partial = any(name.endswith(".part") for name in os.listdir(out_dir))
            if partial or len(site.seen("/news/harbour-bridge")) > 1:
                break
            time.sleep(0.002)
        os.kill(process.pid, signal.SIGKILL)
    finally:
        assert process.wait(30) == -signal.SIGKILL
    site.gates["/news/harbour-bridge"].set()
    for mp3 in out_dir.glob("*.mp3"):  # what is visible is whole
        assert float(ffprobe(mp3, "-show_format")["format"]["duration"]) > 1

    again = run_cli(*cli_args(site, out_dir, fake_voice))
    assert again.returncode == 0, again.stderr
    assert not [p.name for p in out_dir.iterdir() if p.name.endswith(".part")]
    assert set(items_by_guid(out_dir / FEED_NAME)) == published
    state = read_feed_state(out_dir)
    assert {e.guid for e in state.episodes.values()} == published
    for episode in state.episodes.values():
        assert episode.length == (out_dir / episode.audio).stat().st_size
        assert all((out_dir / name).is_file() for name in episode.files)
    assert (
        run_cli(*cli_args(site, out_dir, fake_voice))
        .stdout.splitlines()[-1]
        .endswith("0 rendered, 3 unchanged, 0 failed")
    )


# --------------------------------------------------------------------------- --every


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT])
def test_every_polls_until_a_signal_ends_it_cleanly(
    site: Site, out_dir: Path, fake_voice: Path, stop: signal.Signals
) -> None:
    process = subprocess.Popen(
        [CLI, *cli_args(site, out_dir, fake_voice, "--every", "60")],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        lines = []
        while not lines or " episodes\t" not in lines[-1]:  # the first build's summary
            line = process.stdout.readline()
            assert line, process.stderr.read() if process.stderr else ""
            lines.append(line)
        time.sleep(1)  # now waiting for the next poll (a signal during a build interrupts it)
        process.send_signal(stop)
        assert process.wait(20) == 0
    finally:
        if process.poll() is None:
            process.kill()
    assert lines[-1].rstrip("\n").endswith("3 rendered, 0 unchanged, 0 failed")
    assert process.stderr is not None and process.stderr.read() == ""
    assert not [p.name for p in out_dir.iterdir() if p.name.endswith(".part")]


def test_poll_every_reports_later_failures_and_raises_the_first() -> None:
    runs: list[int] = []
    errors: list[str] = []

    def build() -> None:
        runs.append(len(runs))
        if len(runs) == 2:
            raise InputError("the state file is damaged")

    def sleep(seconds: float) -> None:
        assert 0 <= seconds <= 5
        if len(runs) == 3:
            os.kill(os.getpid(), signal.SIGTERM)  # "systemctl stop" while waiting
            time.sleep(1)  # the handler ends the wait

    before = signal.getsignal(signal.SIGTERM)
    assert poll_every(5, build, lambda exc: errors.append(str(exc)), sleep=sleep) == 3
    assert errors == ["the state file is damaged"]
    assert signal.getsignal(signal.SIGTERM) == before

    def broken() -> None:
        raise InputError("first")

    with pytest.raises(ArticleAudioError, match="first"):
        poll_every(5, broken, lambda exc: None, sleep=sleep)


# --------------------------------------------------------------------------- the real voice


@pytest.mark.slow
def test_one_page_with_a_real_voice(site: Site, channel: Channel, out_dir: Path) -> None:
    options = RenderOptions(ScriptOptions(voice="joe"), jobs=1)
    report = build(site, channel, out_dir, options, max_items=1)
    (episode,) = report.episodes
    probed = float(ffprobe(out_dir / episode.audio, "-show_format")["format"]["duration"])
    assert probed > 10 and abs(probed - episode.duration_ms / 1000) < 1
    assert (
        feedparser.parse(report.feed.read_bytes()).entries[0].link
        == f"{site.base}/news/school-garden"
    )
