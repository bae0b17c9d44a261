"""EPUB 3 read-along books: the container, the text, word-level Media Overlays; epubcheck."""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree

from article_audio.apps.render import render
from article_audio.audio.assemble import ChapterMark, Cue, Word
from article_audio.cli import main
from article_audio.config import RenderOptions, ScriptOptions, SidecarOptions
from article_audio.errors import InputError
from article_audio.outputs.epub import ACTIVE_CLASS, clock, write_epub
from article_audio.script import NarrationScript, Paragraph, ScriptChapter, Sentence

ARTICLE = """Allies meet in Paris

By Jane Roe, The Daily Test

Leaders of about 2,400 groups met in Paris on Tuesday. They talked for hours.

Critics said the plan would cost $5 million & more.
"""
NS = {
    "x": "http://www.w3.org/1999/xhtml",
    "s": "http://www.w3.org/ns/SMIL",
    "opf": "http://www.idpf.org/2007/opf",
}


def seconds(value: str) -> float:
    hours, minutes, rest = value.split(":")
    return int(hours) * 3600 + int(minutes) * 60 + float(rest)


def small_book(tmp_path: Path) -> Path:
    script = NarrationScript(
        "Talks <&> more",
        "By Jane Roe",
        (
            ScriptChapter("Intro", (Paragraph((Sentence("Allies met.", "Allies met."),)),)),
            ScriptChapter(
                "Costs", (Paragraph((Sentence("It cost $5.", "It cost five dollars."),)),)
            ),
        ),
        "joe",
    )
    cues = (
        Cue("Allies met.", 300, 1200, (Word("Allies", 300, 700), Word("met.", 750, 1200))),
        Cue("It cost $5.", 2000, 3000),  # no word times: the sentence is one clip
    )
    chapters = (ChapterMark("Intro", 0, 1600), ChapterMark("Costs", 1600, 3800))
    audio = tmp_path / "a.mp3"
    audio.write_bytes(b"\xff\xfb" + bytes(400))
    return write_epub(tmp_path / "talks.epub", audio, script, chapters, cues, language="en-US")


def test_the_container_starts_with_an_uncompressed_mimetype(tmp_path: Path) -> None:
    with zipfile.ZipFile(small_book(tmp_path)) as book:
        first = book.infolist()[0]
        assert (first.filename, first.compress_type) == ("mimetype", zipfile.ZIP_STORED)
        assert book.read("mimetype") == b"application/epub+zip"
        assert "EPUB/audio/narration.mp3" in book.namelist()
        for name in book.namelist():  # every document is well-formed XML
            if name.endswith((".xhtml", ".smil", ".opf", ".xml")):
                etree.fromstring(book.read(name))


def test_every_word_is_a_clip_and_the_clips_cover_each_chapter(tmp_path: Path) -> None:
    with zipfile.ZipFile(small_book(tmp_path)) as book:
        smil = etree.fromstring(book.read("EPUB/chapter-1.smil"))
        text = etree.fromstring(book.read("EPUB/chapter-1.xhtml"))
        package = etree.fromstring(book.read("EPUB/package.opf"))
        second = etree.fromstring(book.read("EPUB/chapter-2.smil"))
    pars = smil.findall(".//s:par", NS)
    targets = [p.find("s:text", NS).get("src").split("#")[1] for p in pars]
    assert targets == ["w0-0", "w0-1"]
    words = {span.get("id"): span.text for span in text.iter(f"{{{NS['x']}}}span")}
    assert [words[t] for t in targets] == ["Allies", "met."]
    clips = [
        (p.find("s:audio", NS).get("clipBegin"), p.find("s:audio", NS).get("clipEnd")) for p in pars
    ]
    assert clips == [("0:00:00.000", "0:00:00.750"), ("0:00:00.750", "0:00:01.600")]
    sentence = second.findall(".//s:par/s:text", NS)
    assert [t.get("src") for t in sentence] == ["chapter-2.xhtml#s1"]
    durations = {
        meta.get("refines"): meta.text
        for meta in package.iterfind(".//opf:meta[@property='media:duration']", NS)
    }
    assert durations == {"#smil-1": "0:00:01.600", "#smil-2": "0:00:02.200", None: "0:00:03.800"}
    active = package.find(".//opf:meta[@property='media:active-class']", NS)
    assert active is not None and active.text == ACTIVE_CLASS


def test_clock_values() -> None:
    assert clock(3_723_004) == "1:02:03.004" and seconds(clock(61_500)) == 61.5


def test_the_read_along_page_is_refused_for_a_book(tmp_path: Path, fake_voice: Path) -> None:
    source = tmp_path / "a.txt"
    source.write_text(ARTICLE, encoding="utf-8")
    options = RenderOptions(
        ScriptOptions(voice=str(fake_voice)), sidecars=SidecarOptions(html=True)
    )
    with pytest.raises(InputError, match="EPUB"):
        render(source, tmp_path / "a.epub", options)
    result = CliRunner().invoke(
        main, ["render", str(source), "-o", str(tmp_path / "a.epub"), "--audio-format", "mp3"]
    )
    assert result.exit_code == 2 and "EPUB" in result.output
    assert not list(tmp_path.glob("a.epub*"))


def epubcheck() -> list[str]:
    """The command that runs epubcheck (Debian's package), or skip."""
    jar = Path("/usr/share/java/epubcheck.jar")
    if shutil.which("java") and jar.is_file():
        return ["java", "-jar", str(jar)]
    if shutil.which("epubcheck"):
        return ["epubcheck"]
    pytest.fail("epubcheck is required for the tests (apt-get install epubcheck)")


@pytest.mark.slow
def test_epubcheck_finds_no_error_in_a_rendered_book(tmp_path: Path, fake_voice: Path) -> None:
    source = tmp_path / "talks.txt"
    source.write_text(ARTICLE, encoding="utf-8")
    result = CliRunner().invoke(
        main,
        ["render", str(source), "--voice", str(fake_voice), "--format", "epub", "-o",
         str(tmp_path / "talks.epub"), "--transcript", "words"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert (tmp_path / "talks.words.json").is_file()
    checked = subprocess.run(
        [*epubcheck(), str(tmp_path / "talks.epub")], capture_output=True, text=True, check=False
    )
    report = checked.stdout + checked.stderr
    assert checked.returncode == 0, report
    assert re.search(r"0 fatals / 0 errors", report), report
