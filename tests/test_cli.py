"""The real CLI, end to end: real engines, real encoding, read back with ffprobe and mutagen."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import wave
from itertools import pairwise
from pathlib import Path

import pytest
from mutagen.id3 import ID3

from .conftest import EXAMPLE, ffprobe

CLI = str(Path(sys.executable).parent / "article-audio")
WORD = re.compile(r"\w+")


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([CLI, *args], capture_output=True, text=True, env=env, timeout=600)


def body_lines() -> list[str]:
    """The example's body paragraphs, as a human reader would pick them out."""
    lines = EXAMPLE.read_text(encoding="utf-8").splitlines()
    first = next(i for i, line in enumerate(lines) if line.startswith("The coalition of countries"))
    last = next(i for i, line in enumerate(lines) if line.startswith("ABOUT THE AUTHOR"))
    return [line for line in lines[first:last] if line.strip() and not line.startswith("WATCH |")]


def check_chapters(path: Path, minimum: int) -> list[dict[str, str]]:
    info = ffprobe(path)
    chapters: list[dict[str, str]] = info["chapters"]
    assert len(chapters) >= minimum
    assert all(c["tags"]["title"].strip() for c in chapters)
    assert float(chapters[0]["start_time"]) == 0.0
    for before, after in pairwise(chapters):
        assert before["end_time"] == after["start_time"]
    duration = float(info["format"]["duration"])
    assert abs(float(chapters[-1]["end_time"]) - duration) < 0.15
    return chapters


@pytest.mark.slow
def test_render_example_with_the_piper_voice(tmp_path: Path) -> None:
    out = tmp_path / "paris.mp3"
    result = run("render", str(EXAMPLE), "-o", str(out), "--voice", "joe")
    assert result.returncode == 0, result.stderr
    path, duration, chapters = result.stdout.strip().split("\t")
    assert path == str(out)
    assert re.fullmatch(r"\d+:\d\d\.\d", duration)
    chapter_list = check_chapters(out, 4)
    assert chapters == f"{len(chapter_list)} chapters"
    assert chapter_list[0]["tags"]["title"].startswith("Coalition partners meet in Paris")
    info = ffprobe(out)
    assert info["streams"][0]["channels"] == 1
    assert int(info["streams"][0]["bit_rate"]) == 64000
    words = sum(len(WORD.findall(line)) for line in body_lines())
    seconds = float(info["format"]["duration"])
    assert words / 250 * 60 < seconds < words / 110 * 60  # a human pace, nothing lost
    tags = ID3(out)
    assert str(tags["TIT2"]).startswith("Coalition partners meet in Paris")
    assert str(tags["TPE1"]) == "Murray Brewster"
    assert str(tags["TALB"]) == "CBC News"
    assert str(tags["TDRC"]) == "2026-01-05"
    assert len(tags.getall("CTOC")) == 1


@pytest.mark.slow
def test_render_example_with_the_system_voice_untruncated(tmp_path: Path) -> None:
    out = tmp_path / "paris-system.mp3"
    result = run("render", str(EXAMPLE), "-o", str(out), "--voice", "system", "--bitrate", "48")
    assert result.returncode == 0, result.stderr
    check_chapters(out, 4)
    words = sum(len(WORD.findall(line)) for line in body_lines())
    seconds = float(ffprobe(out)["format"]["duration"])
    assert seconds > words / 260 * 60  # espeak-ng reads ~175 wpm; truncation would cut this


def test_render_without_ffmpeg_on_path_uses_the_bundled_one(
    tmp_path: Path, fake_voice: Path
) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ARTICLE_AUDIO")}
    env["PATH"] = str(Path(sys.executable).parent)  # no system ffmpeg, no espeak-ng
    out = tmp_path / "fake.mp3"
    result = run("render", str(EXAMPLE), "-o", str(out), "--voice", str(fake_voice), env=env)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""  # no warning about the missing system ffmpeg
    check_chapters(out, 4)


def script_json(*extra: str) -> dict:  # type: ignore[type-arg]
    result = run("script", str(EXAMPLE), "--json", *extra)
    assert result.returncode == 0, result.stderr
    data: dict = json.loads(result.stdout)  # type: ignore[type-arg]
    return data


def test_script_json_speaks_every_body_sentence_and_no_debris() -> None:
    data = script_json()
    assert set(data) >= {"title", "byline", "chapters"}
    assert data["byline"] == "Murray Brewster · CBC News"
    sentences = [s for c in data["chapters"] for s in c["sentences"]]
    assert all(set(s) >= {"text", "spoken"} for s in sentences)
    written = " ".join(s["text"] for s in sentences)
    for line in body_lines():
        assert " ".join(line.split()) in " ".join(written.split()), line[:60]
    for debris in (
        "Orgo-Life",
        "Adpathway",
        "Listen to this article",
        "Estimated 4 minutes",
        "audio version",
        "WATCH",
        "ABOUT THE AUTHOR",
        "senior defence writer",
        "1 day ago",
        "English (US)",
        "French (CA)",
    ):
        assert debris not in written, debris
    assert written.startswith("Coalition partners meet in Paris")
    assert "Prime Minister Mark Carney is headed to Paris" in written


def test_zelenskyy_reaches_the_engine_as_the_lexicon_says() -> None:
    from article_audio.text.lexicon import load_lexicons
    from article_audio.voices import voices_dir

    entry = load_lexicons([voices_dir() / "en-news.lexicon.toml"]).lookup("Zelenskyy")
    assert entry is not None and entry.ipa
    sentences = [s for c in script_json()["chapters"] for s in c["sentences"]]
    told = next(s for s in sentences if s["text"].startswith("Zelenskyy told reporters"))
    assert told["spoken"].startswith(f"[[ {entry.ipa} ]] told reporters")
    system = [s for c in script_json("--voice", "system")["chapters"] for s in c["sentences"]]
    told = next(s for s in system if s["text"].startswith("Zelenskyy told reporters"))
    assert told["spoken"].startswith(f"{entry.respelling} told reporters")


def test_script_text_output_lists_chapters() -> None:
    result = run("script", str(EXAMPLE))
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("## Coalition partners meet in Paris")
    assert result.stdout.count("## ") >= 4


def test_voices_lists_both_profiles_as_working() -> None:
    result = run("voices")
    assert result.returncode == 0, result.stderr
    rows = {line.split("\t")[0]: line.split("\t") for line in result.stdout.splitlines()}
    assert rows["joe"][1:3] == ["piper", "ok"]
    assert rows["system"][1:3] == ["pyttsx3", "ok"]


@pytest.mark.slow
def test_say_writes_a_wav(tmp_path: Path) -> None:
    out = tmp_path / "zelenskyy.wav"
    result = run("say", "Zelenskyy", "-o", str(out))
    assert result.returncode == 0, result.stderr
    with wave.open(str(out)) as handle:
        assert handle.getnchannels() == 1
        assert 0.3 < handle.getnframes() / handle.getframerate() < 3.0


def test_a_closed_stdout_pipe_ends_the_command_quietly() -> None:
    """``article-audio script page.html | head -3``: the reader goes before the script is
    printed; the command stops without a message, as a Unix filter does (status 141)."""
    with subprocess.Popen(
        [CLI, "script", str(EXAMPLE)], stdout=subprocess.PIPE, stderr=subprocess.PIPE
    ) as process:
        assert process.stdout is not None and process.stderr is not None
        process.stdout.close()  # before the command has printed anything
        stderr = process.stderr.read()
        status = process.wait(timeout=300)
    assert stderr == b""
    assert status == 141


def test_a_broken_pipe_elsewhere_is_still_an_error(monkeypatch: pytest.MonkeyPatch) -> None:
    """Only a closed stdout is quiet: a BrokenPipeError from anything else is reported."""
    from click.testing import CliRunner

    from article_audio.apps import render as pipeline
    from article_audio.cli import main

    def broken(*_: object, **__: object) -> None:
        raise BrokenPipeError(32, "Broken pipe")

    monkeypatch.setattr(pipeline, "make_script", broken)
    result = CliRunner().invoke(main, ["script", str(EXAMPLE)])
    assert result.exit_code == 1
    assert "unexpected BrokenPipeError" in result.output


def test_batch_help_names_only_its_own_options() -> None:
    result = run("batch", "--help")
    assert result.returncode == 0, result.stderr
    assert not re.search(r"(?<![\w-])-o\b", result.stdout), result.stdout
    assert "--out-dir" in result.stdout
