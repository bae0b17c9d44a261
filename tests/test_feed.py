"""The podcast feed: episodes rendered with the fast fake voice, the feed read back with
feedparser (and an XML parser for the Podcasting 2.0 tags feedparser folds together), every
field checked against the files in the output folder."""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
import subprocess
import sys
import uuid
from collections.abc import Callable
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import Element

import feedparser
import pytest
from defusedxml import ElementTree

from article_audio import RenderOptions, RenderResult, ScriptOptions
from article_audio.apps.feed import (
    FEED_NAME,
    PODCAST_NS,
    SIDECAR_SUFFIXES,
    STATE_NAME,
    Channel,
    build_feed,
    feed_xml,
    load_channel,
    published_at,
    read_state,
)
from article_audio.apps.loop import unique_slug
from article_audio.errors import InputError
from article_audio.util import slugify

from .conftest import DATA, ROOT, ffprobe

FEED_DATA = DATA / "feed"
CLI = str(Path(sys.executable).parent / "article-audio")
EXAMPLE_SCRIPT = ROOT / "examples" / "podcast_feed.py"
ITUNES_NS = "http://www.itunes.com/dtds/podcast-1.0.dtd"
#: The pipeline writes sidecars once ``RenderResult.sidecars`` exists (issue 4, in progress).
SIDECARS_READY = "sidecars" in {f.name for f in dataclasses.fields(RenderResult)}
MONTREAL = "Été à Montréal!.txt"
MONTREAL_TEXT = (
    'Été à Montréal: the <festival> & its "fans" ]]> return\x0b\n\n'
    "The summer festival returned to Montréal on Saturday. Crowds filled the streets.\n\n"
    "Organizers said attendance doubled. Vendors sold out by noon.\n"
)


@pytest.fixture
def articles(tmp_path: Path) -> Path:
    """Three tiny articles: dated text, undated Markdown, and a hostile non-ASCII name/title."""
    folder = tmp_path / "articles"
    shutil.copytree(FEED_DATA / "articles", folder)
    (folder / MONTREAL).write_text(MONTREAL_TEXT, encoding="utf-8")
    (folder / "notes.pdf").write_bytes(b"%PDF not an article")
    return folder


@pytest.fixture
def channel() -> Channel:
    return load_channel(FEED_DATA / "channel.toml")


@pytest.fixture
def options(fake_voice: Path) -> RenderOptions:
    return RenderOptions(script=ScriptOptions(voice=str(fake_voice)))


@pytest.fixture
def out_dir(tmp_path: Path) -> Path:
    return tmp_path / "site"


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([CLI, *args], capture_output=True, text=True, timeout=300)


def items_xml(path: Path) -> dict[str, Element]:
    """The feed's ``<item>`` elements by guid, parsed as XML."""
    root = ElementTree.fromstring(path.read_bytes())
    return {item.findtext("guid"): item for item in root.iter("item")}


def mtimes(folder: Path) -> dict[str, int]:
    return {p.name: p.stat().st_mtime_ns for p in folder.iterdir()}


def seconds(duration: str) -> int:
    """itunes:duration as seconds (it may be ``SS``, ``MM:SS`` or ``HH:MM:SS``)."""
    total = 0
    for part in duration.split(":"):
        total = total * 60 + int(part)
    return total


# --------------------------------------------------------------------------- the feed itself


def test_feed_has_every_required_field_matching_the_files(
    articles: Path, channel: Channel, options: RenderOptions, out_dir: Path
) -> None:
    started = datetime.now(timezone.utc).replace(microsecond=0)
    report = build_feed(articles, channel, out_dir, options)
    assert report.rendered == ("budget.md", "paris-talks.txt", MONTREAL)
    assert not report.failed and not report.skipped

    parsed = feedparser.parse(report.feed.read_bytes())
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "rss20"
    check_channel(parsed.feed, report.feed)

    assert len(parsed.entries) == 3
    state = read_state(out_dir)
    by_guid = {episode.guid: episode for episode in state.values()}
    raw_items = items_xml(report.feed)
    for entry in parsed.entries:
        episode = by_guid[entry.id]
        check_item(entry, raw_items[entry.id], out_dir, episode.audio)
        assert entry.title == episode.title
    titles = {state[name].title for name in state}
    assert "Coalition partners meet in Paris" in titles
    assert any('<festival> & its "fans" ]]> return' in title for title in titles)

    published = {by_guid[e.id].article: parsedate_to_datetime(e.published) for e in parsed.entries}
    assert published["paris-talks.txt"] == datetime(2026, 1, 5, 9, 0, tzinfo=timezone.utc)
    assert started <= published["budget.md"] <= datetime.now(timezone.utc)  # first render
    assert [by_guid[e.id].article for e in parsed.entries][-1] == "paris-talks.txt"  # oldest


def check_channel(feed: Any, path: Path) -> None:
    assert feed.title == "Example News, Read Aloud"
    assert feed.subtitle == "Today's stories from Example News, narrated."  # <description>
    assert feed.link == "https://news.example.com/podcast/"
    assert feed.language == "en-ca"
    assert feed.image.href == "https://news.example.com/podcast/show-art.jpg"
    assert feed.author == "Example News"
    assert [t.term for t in feed.tags] == ["News", "Daily News"]
    root = ElementTree.fromstring(path.read_bytes())
    channel = root.find("channel")
    assert channel is not None
    category = channel.find(f"{{{ITUNES_NS}}}category")
    assert category is not None and category.get("text") == "News"
    assert [c.get("text") for c in category] == ["Daily News"]
    # Apple's current specification: true or false (feedgen writes only the older yes/no)
    assert channel.findtext(f"{{{ITUNES_NS}}}explicit") == "false"
    # Podcasting 2.0: the guid is a UUIDv5 of the feed URL without its scheme
    assert channel.findtext(f"{{{PODCAST_NS}}}guid") == str(
        uuid.uuid5(
            uuid.UUID("ead4c236-bf58-58c6-a2c6-a6b28d128cb6"), "news.example.com/podcast/feed.xml"
        )
    )
    assert channel.findtext(f"{{{PODCAST_NS}}}medium") == "podcast"
    image = channel.find(f"{{{ITUNES_NS}}}image")
    assert image is not None and image.get("href") == feed.image.href
    self_link = channel.find("{http://www.w3.org/2005/Atom}link")
    assert (
        self_link is not None
        and self_link.get("href") == "https://news.example.com/podcast/feed.xml"
    )


def check_item(entry: Any, raw: Element, out_dir: Path, audio: str) -> None:
    """title, enclosure, guid, pubDate, itunes:duration and podcast:* tags vs the files."""
    assert entry.title
    (enclosure,) = entry.enclosures
    assert enclosure.href == f"https://news.example.com/podcast/{audio}"
    mp3 = out_dir / audio
    assert int(enclosure.length) == os.path.getsize(mp3)
    assert enclosure.type == "audio/mpeg"
    guid = raw.find("guid")
    assert guid is not None and guid.get("isPermaLink") == "false"
    assert entry.id.startswith("urn:uuid:") and not entry.guidislink
    assert entry.published_parsed is not None
    assert entry.published.endswith("+0000")
    probed = float(ffprobe(mp3, "-show_format")["format"]["duration"])
    assert abs(seconds(entry.itunes_duration) - probed) <= 1.0
    assert entry.summary
    check_podcast_tags(raw, out_dir, mp3.stem, expected=SIDECARS_READY)


def check_podcast_tags(raw: Element, out_dir: Path, slug: str, *, expected: bool) -> None:
    """Every transcript and the chapters announced, pointing at files in ``out_dir``; or,
    when the sidecars are not ``expected`` (not written), no podcast: tags at all."""
    transcripts = raw.findall(f"{{{PODCAST_NS}}}transcript")
    chapters = raw.findall(f"{{{PODCAST_NS}}}chapters")
    if not expected:
        assert not transcripts and not chapters
        return
    base = "https://news.example.com/podcast/"
    assert {(t.get("url"), t.get("type")) for t in transcripts} == {
        (f"{base}{slug}.vtt", "text/vtt"),
        (f"{base}{slug}.srt", "application/x-subrip"),
        (f"{base}{slug}.transcript.json", "application/json"),
        (f"{base}{slug}.html", "text/html"),  # the read-along page
    }
    assert [(c.get("url"), c.get("type")) for c in chapters] == [
        (f"{base}{slug}.chapters.json", "application/json+chapters")
    ]
    for tag in (*transcripts, *chapters):
        assert (out_dir / str(tag.get("url")).removeprefix(base)).is_file()


@pytest.mark.skipif(not SIDECARS_READY, reason="RenderResult.sidecars is not in the pipeline yet")
def test_every_sidecar_is_rendered_and_announced(
    articles: Path, channel: Channel, options: RenderOptions, out_dir: Path
) -> None:
    report = build_feed(articles, channel, out_dir, options)
    for episode in report.episodes:
        assert set(episode.sidecars) == {episode.slug + s for s in SIDECAR_SUFFIXES}
        assert all((out_dir / name).is_file() for name in episode.files)
    for item in items_xml(report.feed).values():
        assert item.find("link") is None  # an article file has no source page to link


def test_podcast_namespace_tags_come_from_the_feedgen_extension(
    articles: Path, channel: Channel, options: RenderOptions, out_dir: Path
) -> None:
    """Independent of the pipeline: episodes whose sidecars exist get every podcast: tag."""
    report = build_feed(articles, channel, out_dir, options)
    episodes = []
    for episode in report.episodes:
        names = tuple(episode.slug + suffix for suffix in SIDECAR_SUFFIXES)
        for name in names:
            (out_dir / name).touch()
        episodes.append(dataclasses.replace(episode, sidecars=names))
    document = feed_xml(channel, episodes, out_dir)
    assert b'xmlns:podcast="https://podcastindex.org/namespace/1.0"' in document
    root = ElementTree.fromstring(document)
    for item in root.iter("item"):
        enclosure = item.find("enclosure")
        assert enclosure is not None
        slug = str(enclosure.get("url")).rsplit("/", 1)[1].removesuffix(".mp3")
        check_podcast_tags(item, out_dir, slug, expected=True)
        transcript = item.find(f"{{{PODCAST_NS}}}transcript")
        assert transcript is not None and transcript.get("language") == "en-ca"


def test_explicit_owner_and_link_options(tmp_path: Path) -> None:
    text = (FEED_DATA / "channel.toml").read_text(encoding="utf-8")
    text = text.replace("explicit = false", "explicit = true")
    text += 'owner_email = "podcast@news.example.com"\nlink = "https://news.example.com/"\n'
    path = tmp_path / "channel.toml"
    path.write_text(text, encoding="utf-8")
    channel = load_channel(path)
    document = feed_xml(channel, [], tmp_path)
    parsed = feedparser.parse(document)
    # feedparser 6 reads only the older yes/clean; Apple's specification says true/false
    assert b"<itunes:explicit>true</itunes:explicit>" in document
    assert parsed.feed.publisher_detail.email == "podcast@news.example.com"
    assert parsed.feed.link == "https://news.example.com/"


# --------------------------------------------------------------------------- incremental builds


def test_second_run_renders_nothing_and_keeps_everything(
    articles: Path, channel: Channel, options: RenderOptions, out_dir: Path
) -> None:
    first = build_feed(articles, channel, out_dir, options)
    before = mtimes(out_dir)
    second = build_feed(articles, channel, out_dir, options)
    assert second.rendered == () and not second.failed
    assert second.skipped == ("budget.md", "paris-talks.txt", MONTREAL)
    assert mtimes(out_dir) == before  # no episode, sidecar, state or feed rewritten
    assert [e.guid for e in second.episodes] == [e.guid for e in first.episodes]


def test_editing_one_article_rerenders_exactly_that_one(
    articles: Path, channel: Channel, options: RenderOptions, out_dir: Path
) -> None:
    first = build_feed(articles, channel, out_dir, options)
    before = mtimes(out_dir)
    budget = articles / "budget.md"
    budget.write_text(
        budget.read_text(encoding="utf-8") + "\nThe vote is now set for Thursday evening.\n",
        encoding="utf-8",
    )
    second = build_feed(articles, channel, out_dir, options)
    assert second.rendered == ("budget.md",)
    assert second.skipped == ("paris-talks.txt", MONTREAL)
    after = mtimes(out_dir)
    assert after["budget.mp3"] != before["budget.mp3"]
    assert after["paris-talks.mp3"] == before["paris-talks.mp3"]
    guids = {e.article: e.guid for e in first.episodes}
    assert {e.article: e.guid for e in second.episodes} == guids
    entry = next(e for e in feedparser.parse(second.feed.read_bytes()).entries
                 if e.id == guids["budget.md"])  # fmt: skip
    assert int(entry.enclosures[0].length) == os.path.getsize(out_dir / "budget.mp3")
    before_edit = {e.article: e for e in first.episodes}["budget.md"]
    assert read_state(out_dir)["budget.md"].first_rendered == before_edit.first_rendered


def test_changed_settings_rerender_every_episode_with_the_same_guids(
    articles: Path, channel: Channel, options: RenderOptions, out_dir: Path, tmp_path: Path
) -> None:
    first = build_feed(articles, channel, out_dir, options)
    lexicon = tmp_path / "names.lexicon.toml"
    lexicon.write_text('[words]\n"Ottawa" = { respelling = "ottawah" }\n', encoding="utf-8")
    relexed = dataclasses.replace(
        options, script=dataclasses.replace(options.script, lexicons=(str(lexicon),))
    )
    second = build_feed(articles, channel, out_dir, relexed)
    assert len(second.rendered) == 3
    assert build_feed(articles, channel, out_dir, relexed).rendered == ()
    lexicon.write_text('[words]\n"Ottawa" = { respelling = "otowa" }\n', encoding="utf-8")
    assert len(build_feed(articles, channel, out_dir, relexed).rendered) == 3  # its contents
    assert {e.guid for e in first.episodes} == {e.guid for e in second.episodes}


def test_a_deleted_episode_file_is_rendered_again(
    articles: Path, channel: Channel, options: RenderOptions, out_dir: Path
) -> None:
    first = build_feed(articles, channel, out_dir, options)
    (out_dir / "paris-talks.mp3").unlink()
    second = build_feed(articles, channel, out_dir, options)
    assert second.rendered == ("paris-talks.txt",)
    assert (out_dir / "paris-talks.mp3").is_file()
    assert {e.guid for e in first.episodes} == {e.guid for e in second.episodes}


def test_a_broken_edit_keeps_the_previous_episode_in_the_feed(
    articles: Path, channel: Channel, options: RenderOptions, out_dir: Path
) -> None:
    first = build_feed(articles, channel, out_dir, options)
    (articles / "budget.md").write_bytes(b"\xff\xfe not UTF-8")
    second = build_feed(articles, channel, out_dir, options)
    (failure,) = second.failed
    assert failure.article == "budget.md" and failure.error is not None
    assert "UTF-8" in failure.error and str(articles) not in failure.error
    assert {e.guid for e in second.episodes} == {e.guid for e in first.episodes}


def test_an_article_that_leaves_and_returns_keeps_its_guid(
    articles: Path, channel: Channel, options: RenderOptions, out_dir: Path, tmp_path: Path
) -> None:
    first = {e.article: e.guid for e in build_feed(articles, channel, out_dir, options).episodes}
    shutil.move(articles / "budget.md", tmp_path / "budget.md")
    gone = build_feed(articles, channel, out_dir, options)
    assert "budget.md" not in {e.article for e in gone.episodes}
    assert len(feedparser.parse(gone.feed.read_bytes()).entries) == 2
    shutil.move(tmp_path / "budget.md", articles / "budget.md")
    back = build_feed(articles, channel, out_dir, options)
    assert back.skipped == ("budget.md", "paris-talks.txt", MONTREAL)
    assert {e.article: e.guid for e in back.episodes} == first


# --------------------------------------------------------------------------- the command line


def test_cli_reports_a_broken_article_and_builds_the_others(
    articles: Path, fake_voice: Path, out_dir: Path
) -> None:
    (articles / "broken.txt").write_text("   \n\n", encoding="utf-8")
    config = str(FEED_DATA / "channel.toml")
    args = ("feed", str(articles), "--config", config, "--out-dir", str(out_dir))
    result = run_cli(*args, "--voice", str(fake_voice))
    assert result.returncode == 1, result.stderr
    assert result.stderr.splitlines() == ["article-audio: error: broken.txt: the input is empty"]
    lines = result.stdout.splitlines()
    assert [line.split("\t")[:3] for line in lines[:3]] == [
        ["rendered", "budget.md", "budget.mp3"],
        ["rendered", "paris-talks.txt", "paris-talks.mp3"],
        ["rendered", MONTREAL, "ete-a-montreal.mp3"],
    ]
    assert lines[3] == f"{out_dir / FEED_NAME}\t3 episodes\t3 rendered, 0 unchanged, 1 failed"
    assert len(feedparser.parse((out_dir / FEED_NAME).read_bytes()).entries) == 3

    (articles / "broken.txt").unlink()
    again = run_cli(*args, "--voice", str(fake_voice))
    assert again.returncode == 0, again.stderr
    assert again.stdout.splitlines()[-1].endswith("0 rendered, 3 unchanged, 0 failed")


def test_cli_bad_channel_config_is_one_line_and_exit_2(
    articles: Path, tmp_path: Path, out_dir: Path
) -> None:
    config = tmp_path / "channel.toml"
    text = (FEED_DATA / "channel.toml").read_text(encoding="utf-8")
    config.write_text(text.replace("https://news.example.com/podcast/", "ftp://x"), "utf-8")
    result = run_cli("feed", str(articles), "--config", str(config), "--out-dir", str(out_dir))
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        f"article-audio: error: {config}:5: base_url must be an http:// or https:// URL, "
        "not 'ftp://x'"
    ]
    assert not out_dir.exists()


def test_example_script_builds_the_feed(articles: Path, fake_voice: Path, out_dir: Path) -> None:
    config = str(ROOT / "examples" / "channel.toml")
    args = [str(articles), "--config", config, "--out-dir", str(out_dir)]
    result = subprocess.run(
        [sys.executable, str(EXAMPLE_SCRIPT), *args, "--voice", str(fake_voice)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert "3 episode(s)" in result.stdout
    parsed = feedparser.parse((out_dir / FEED_NAME).read_bytes())
    assert not parsed.bozo and len(parsed.entries) == 3
    assert load_channel(config).title == parsed.feed.title


# --------------------------------------------------------------------------- channel.toml


#: (text replaced in the good channel.toml, its replacement, the error's start after the folder)
BAD_CHANNELS = [
    ("author = ", "# author = ", "channel.toml: missing key 'author'"),
    (
        "explicit = false",
        'explicit = "no"',
        "channel.toml:8: explicit must be true or false, not a",
    ),
    ("title = ", "title = 3 #", "channel.toml:1: title must be a string, not an integer"),
    ("base_url = ", 'colour = "red"\nbase_url = ', "channel.toml:5: unknown key 'colour'"),
    ('base_url = "https://', 'base_url = "', "channel.toml:5: base_url must be an http:// or"),
    ("show-art.jpg", "show-art.gif", "channel.toml:4: image must be a URL ending in .jpg or .png"),
    ("Daily News", "Dialy News", "channel.toml:7: unknown News subcategory 'Dialy News'; did you"),
    ("News >", "Newz >", "channel.toml:7: unknown Apple Podcasts category 'Newz'"),
    ("en-CA", "English", "channel.toml:6: language must be a code like en or en-ca"),
    ('title = "', 'title = "\n', "channel.toml:1: not valid TOML"),
    ('description = "', 'description = "  "\n#', "channel.toml:3: description is empty"),
    ('description = "', 'description = " ', None),  # surrounding space is trimmed, not an error
]


@pytest.mark.parametrize(("old", "new", "message"), BAD_CHANNELS)
def test_channel_config_errors_name_file_and_line(
    tmp_path: Path, old: str, new: str, message: str | None
) -> None:
    text = (FEED_DATA / "channel.toml").read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "channel.toml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    if message is None:
        load_channel(path)
        return
    with pytest.raises(InputError) as caught:
        load_channel(path)
    assert str(caught.value).startswith(f"{tmp_path}/{message}")
    assert "\n" not in str(caught.value)


def test_channel_values_are_normalized(channel: Channel) -> None:
    assert channel.base_url == "https://news.example.com/podcast/"
    assert (channel.category, channel.subcategory) == ("News", "Daily News")
    assert channel.url("a b.mp3") == "https://news.example.com/podcast/a%20b.mp3"
    assert load_channel(ROOT / "examples" / "channel.toml").base_url.endswith("/")


def test_missing_channel_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        load_channel(tmp_path / "nope.toml")


# --------------------------------------------------------------------------- names, dates, state


@pytest.mark.parametrize(
    ("stem", "slug"),
    [
        ("paris-talks", "paris-talks"),
        ("Été à Montréal!", "ete-a-montreal"),
        ("../../etc/passwd", "etc-passwd"),
        ("..", "article-"),
        ("CON", "con-article"),
        ("lpt1", "lpt1-article"),
        ("日本語", "article-"),
        ("A" * 100, "a" * 60),
        ("  --Hello__World--  ", "hello-world"),
    ],
)
def test_slugs_are_safe_file_names(stem: str, slug: str) -> None:
    made = slugify(stem)
    assert made.startswith(slug) if slug.endswith("-") else made == slug
    assert made == slugify(stem)  # stable
    assert made.isascii() and "/" not in made and not made.startswith(".")


def test_colliding_slugs_are_numbered_and_kept(
    articles: Path, channel: Channel, options: RenderOptions, out_dir: Path
) -> None:
    assert unique_slug("a", ["a", "a-2"]) == "a-3"
    (articles / "budget.txt").write_text(
        "Budget, the text version\n\nIt says the same thing in plain text. Really.\n", "utf-8"
    )
    first = build_feed(articles, channel, out_dir, options)
    slugs = {e.article: e.slug for e in first.episodes}
    assert (slugs["budget.md"], slugs["budget.txt"]) == ("budget", "budget-2")
    (articles / "budget.md").unlink()
    second = build_feed(articles, channel, out_dir, options)
    assert {e.article: e.slug for e in second.episodes}["budget.txt"] == "budget-2"


LONG_STEM = "Coalition partners meet in Paris to discuss giving Ukraine peace plan military backing"
#: The slug an earlier version made of LONG_STEM (cut at 60 characters, mid-word)...
OLD_SLUG = "coalition-partners-meet-in-paris-to-discuss-giving-ukraine-p"
#: ...and the one made now (cut at a word).
NEW_SLUG = "coalition-partners-meet-in-paris-to-discuss-giving-ukraine"


def test_slugs_of_an_existing_feed_stay_as_they_were_made(
    articles: Path, channel: Channel, options: RenderOptions, out_dir: Path
) -> None:
    """Slugs are cut at a word now; an episode whose slug was cut mid-word by an earlier
    version keeps that slug (its URLs) and its guid, skipped or rendered again."""
    article = articles / f"{LONG_STEM}.txt"
    shutil.copy(articles / "paris-talks.txt", article)
    first = build_feed(articles, channel, out_dir, options)
    episode = {e.article: e for e in first.episodes}[article.name]
    assert episode.slug == NEW_SLUG
    # as an earlier version left the folder: the same episode under the mid-word slug
    state_path = out_dir / STATE_NAME
    document = json.loads(state_path.read_text(encoding="utf-8"))
    entry = document["episodes"][article.name]
    for name in episode.files:
        (out_dir / name).rename(out_dir / name.replace(NEW_SLUG, OLD_SLUG, 1))
    entry["slug"] = OLD_SLUG
    entry["sidecars"] = [name.replace(NEW_SLUG, OLD_SLUG, 1) for name in entry["sidecars"]]
    state_path.write_text(json.dumps(document), encoding="utf-8")

    again = build_feed(articles, channel, out_dir, options)
    assert again.rendered == () and article.name in again.skipped
    kept = {e.article: e for e in again.episodes}[article.name]
    assert (kept.slug, kept.guid) == (OLD_SLUG, episode.guid)
    article.write_text(article.read_text(encoding="utf-8") + "\nOne more line.\n", "utf-8")
    edited = build_feed(articles, channel, out_dir, options)
    assert edited.rendered == (article.name,)
    redone = {e.article: e for e in edited.episodes}[article.name]
    assert (redone.slug, redone.guid) == (OLD_SLUG, episode.guid)
    assert (out_dir / f"{OLD_SLUG}.mp3").is_file() and not (out_dir / f"{NEW_SLUG}.mp3").exists()
    enclosures = [e.enclosures[0].href for e in feedparser.parse(edited.feed.read_bytes()).entries]
    assert f"https://news.example.com/podcast/{OLD_SLUG}.mp3" in enclosures


@pytest.mark.parametrize(
    ("printed", "expected"),
    [
        ("Jan 05, 2026 4:00 AM EST", "2026-01-05T09:00:00+00:00"),
        ("January 5, 2026 11:30 p.m. PST", "2026-01-06T07:30:00+00:00"),
        ("2026-01-05T09:15:00Z", "2026-01-05T09:15:00+00:00"),
        ("2026-01-05 09:15:00+0100", "2026-01-05T08:15:00+00:00"),
        ("5 January 2026", "2026-01-05T12:00:00+00:00"),
        ("Jan 05, 2026 4:00 AM", "2026-01-05T12:00:00+00:00"),  # no zone: the day, at noon UTC
        ("Jan 05, 2026 4:00 AM XYZ", "2026-01-05T12:00:00+00:00"),
        ("2026", None),
        ("1 hour ago", None),
        ("", None),
        (None, None),
    ],
)
def test_published_dates(printed: str | None, expected: str | None) -> None:
    moment = published_at(printed)
    assert (moment.isoformat() if moment else None) == expected


def test_state_file_is_json_with_the_episode_metadata(
    articles: Path, channel: Channel, options: RenderOptions, out_dir: Path
) -> None:
    build_feed(articles, channel, out_dir, options)
    document = json.loads((out_dir / STATE_NAME).read_text(encoding="utf-8"))
    assert document["version"] == 1
    paris = document["episodes"]["paris-talks.txt"]
    assert paris["slug"] == "paris-talks"
    assert paris["length"] == os.path.getsize(out_dir / "paris-talks.mp3")
    assert paris["published"] == "2026-01-05T09:00:00+00:00"
    assert len(paris["article_sha256"]) == len(paris["settings_sha256"]) == 64
    assert not list(out_dir.glob("*.part"))
    umask = os.umask(0)
    os.umask(umask)
    for name in (FEED_NAME, STATE_NAME):  # readable by a web server, as the umask allows
        assert (out_dir / name).stat().st_mode & 0o777 == 0o666 & ~umask


def _set(entry: str, key: str, value: Any) -> Callable[[dict[str, Any]], None]:
    def damage(document: dict[str, Any]) -> None:
        document["episodes"][entry][key] = value

    return damage


def _same_slug(document: dict[str, Any]) -> None:
    document["episodes"]["budget.md"]["slug"] = document["episodes"]["paris-talks.txt"]["slug"]


DAMAGES: list[Callable[[dict[str, Any]], None]] = [
    lambda document: document.update(version=9),
    lambda document: document.pop("episodes"),
    _set("paris-talks.txt", "slug", "../../escape"),
    _set("paris-talks.txt", "sidecars", ["../paris-talks.vtt"]),
    _set("paris-talks.txt", "sidecars", "paris-talks.vtt"),
    _set("paris-talks.txt", "length", -1),
    _set("paris-talks.txt", "published", "yesterday"),
    _set("paris-talks.txt", "published", "2026-01-05T09:00:00"),  # no time zone
    _set("paris-talks.txt", "article", "budget.md"),
    _set("paris-talks.txt", "settings_sha256", "x"),
    lambda document: document["episodes"]["paris-talks.txt"].pop("guid"),
    _same_slug,
]


@pytest.mark.parametrize("damage", DAMAGES)
def test_a_damaged_state_file_is_refused(
    articles: Path,
    channel: Channel,
    options: RenderOptions,
    out_dir: Path,
    damage: Callable[[dict[str, Any]], None],
) -> None:
    build_feed(articles, channel, out_dir, options)
    state = out_dir / STATE_NAME
    document = json.loads(state.read_text(encoding="utf-8"))
    damage(document)
    state.write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(InputError, match=r"\.article-audio-feed\.json: .*delete it"):
        build_feed(articles, channel, out_dir, options)


def test_a_state_file_that_is_not_json_is_refused(
    articles: Path, channel: Channel, options: RenderOptions, out_dir: Path
) -> None:
    out_dir.mkdir()
    (out_dir / STATE_NAME).write_text("{not json", encoding="utf-8")
    with pytest.raises(InputError, match="not valid JSON"):
        build_feed(articles, channel, out_dir, options)


def test_a_lost_episode_whose_render_fails_leaves_the_feed(
    articles: Path, channel: Channel, options: RenderOptions, out_dir: Path
) -> None:
    build_feed(articles, channel, out_dir, options)
    (out_dir / "budget.mp3").unlink()
    (articles / "budget.md").write_text("", encoding="utf-8")
    report = build_feed(articles, channel, out_dir, options)
    assert [o.article for o in report.failed] == ["budget.md"]
    assert "budget.md" not in {e.article for e in report.episodes}
    assert len(feedparser.parse(report.feed.read_bytes()).entries) == 2


def test_out_dir_must_differ_from_the_articles_folder(
    articles: Path, channel: Channel, options: RenderOptions
) -> None:
    with pytest.raises(InputError, match="must not be the articles folder"):
        build_feed(articles, channel, articles, options)
    site = articles.parent / "site"
    with pytest.raises(InputError, match="no such folder"):
        build_feed(articles / "missing", channel, site, options)
    with pytest.raises(InputError, match="lexicon"):
        missing = dataclasses.replace(options.script, lexicons=("missing.lexicon.toml",))
        build_feed(articles, channel, site, dataclasses.replace(options, script=missing))
    assert not site.exists()  # nothing is created before the inputs are known to be good
