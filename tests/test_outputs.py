"""Podcast-ready outputs of a real render: loudness by ffmpeg's ebur128, transcript cues against
the decoded MP3, sidecars, M4B audiobooks, Ogg Opus and WAV files and cover art read back with
ffprobe and mutagen; the audio format named by the output's suffix, through the real CLI."""

from __future__ import annotations

import html
import io
import json
import re
import subprocess
import sys
from collections.abc import Iterator
from itertools import pairwise
from pathlib import Path

import click
import numpy as np
import pytest
from mutagen.id3 import ID3
from mutagen.mp4 import MP4
from PIL import Image

from article_audio.apps.render import RenderResult, render
from article_audio.audio.segment import use_ffmpeg
from article_audio.cli.options import split_formats
from article_audio.config import RenderOptions, ScriptOptions, SidecarOptions
from article_audio.errors import InputError

from .conftest import EXAMPLE, ebur128, ffprobe

RATE = 22050
#: Decoded samples quieter than this (about -60 dBFS) count as the silence between sentences.
SILENCE = 0.001


@pytest.fixture(scope="module")
def example_render(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RenderResult]:
    """The example article rendered once with Piper's joe and every sidecar."""
    folder = tmp_path_factory.mktemp("paris")
    options = RenderOptions(ScriptOptions(voice="joe"), sidecars=SidecarOptions.everything())
    yield render(EXAMPLE, folder / "paris.mp3", options)


def decoded(path: Path) -> np.ndarray:
    raw = subprocess.run(
        [
            use_ffmpeg(),
            "-v",
            "error",
            "-i",
            str(path),
            "-ac",
            "1",
            "-ar",
            str(RATE),
            "-f",
            "f32le",
            "-",
        ],
        capture_output=True,
        check=True,
    ).stdout
    return np.frombuffer(raw, dtype="<f4")


def vtt_starts(path: Path) -> list[int]:
    """Cue start times (ms) read back from a WebVTT file."""
    starts = []
    for match in re.finditer(r"^(\d\d):(\d\d):(\d\d)\.(\d\d\d) --> ", path.read_text(), re.M):
        h, m, s, ms = (int(g) for g in match.groups())
        starts.append(((h * 60 + m) * 60 + s) * 1000 + ms)
    return starts


def onset_ms(samples: np.ndarray, after_ms: int, before_ms: int) -> int:
    """The first sound after a silence, searched between two times."""
    window = np.abs(samples[after_ms * RATE // 1000 : before_ms * RATE // 1000])
    loud = np.flatnonzero(window > SILENCE)
    assert loud.size, f"no sound between {after_ms} and {before_ms} ms"
    return after_ms + int(loud[0] * 1000 // RATE)


def test_the_mp3_is_at_podcast_loudness(example_render: RenderResult) -> None:
    integrated, peak = ebur128("-i", str(example_render.path))
    assert -17.0 <= integrated <= -15.0, integrated
    assert peak <= -1.0, peak
    assert example_render.loudness is not None
    assert example_render.loudness.integrated_lufs == pytest.approx(integrated, abs=0.15)


@pytest.mark.parametrize(("audio_format", "codec"), [("opus", "opus"), ("wav", "pcm_s16le")])
def test_opus_and_wav_are_at_podcast_loudness_with_the_chapters(
    example_render: RenderResult, tmp_path: Path, audio_format: str, codec: str
) -> None:
    """The example again (its sentences from the cache), as Ogg Opus and as WAV."""
    options = RenderOptions(ScriptOptions(voice="joe"), audio_format=audio_format)
    result = render(EXAMPLE, tmp_path / f"paris.{audio_format}", options)
    assert result.synthesized == 0 and result.cues == example_render.cues
    integrated, peak = ebur128("-i", str(result.path))
    assert -17.0 <= integrated <= -15.0, integrated
    assert peak <= -1.0, peak
    assert result.loudness is not None
    assert result.loudness.integrated_lufs == pytest.approx(integrated, abs=0.15)
    probed = ffprobe(result.path)
    assert [s["codec_name"] for s in probed["streams"]] == [codec]
    titles = [c["tags"]["title"] for c in probed["chapters"]]
    assert titles == ([m.title for m in result.chapters] if audio_format == "opus" else [])


def test_every_cue_starts_within_50_ms_of_its_sentence(example_render: RenderResult) -> None:
    samples = decoded(example_render.path)
    # the VTT's captions are caption-sized: every sentence starts one
    starts = [cue.start_ms for cue in example_render.cues]
    captions = vtt_starts(example_render.path.with_suffix(".vtt"))
    assert set(starts) <= set(captions) and len(captions) > len(starts) > 20
    ends = [0] + [cue.end_ms for cue in example_render.cues]
    for start, previous_end in zip(starts, ends, strict=False):
        # search from just after the previous sentence (pauses are at least 250 ms)
        heard = onset_ms(samples, previous_end + 100, start + 1000)
        assert abs(heard - start) <= 50, (start, heard)


def test_sidecars_sit_beside_the_mp3(example_render: RenderResult) -> None:
    folder = example_render.path.parent
    assert sorted(path.name for path in folder.iterdir()) == [
        "paris.chapters.json",
        "paris.html",
        "paris.mp3",
        "paris.srt",
        "paris.transcript.json",
        "paris.vtt",
        "paris.words.json",
    ]
    assert [path.name for path in example_render.sidecars] == [
        "paris.vtt",
        "paris.srt",
        "paris.transcript.json",
        "paris.words.json",
        "paris.chapters.json",
        "paris.html",
    ]


def test_chapters_json_matches_the_id3_chapters(example_render: RenderResult) -> None:
    document = json.loads(example_render.path.with_suffix(".chapters.json").read_text())
    probed = ffprobe(example_render.path)["chapters"]
    assert [c["title"] for c in document["chapters"]] == [c["tags"]["title"] for c in probed]
    for ours, theirs in zip(document["chapters"], probed, strict=True):
        assert ours["startTime"] == pytest.approx(float(theirs["start_time"]), abs=0.001)


def test_transcript_json_segments_are_the_cues(example_render: RenderResult) -> None:
    path = example_render.path.with_name("paris.transcript.json")
    segments = json.loads(path.read_text())["segments"]
    assert [s["body"] for s in segments] == [cue.text for cue in example_render.cues]
    assert [round(s["startTime"] * 1000) for s in segments] == [
        cue.start_ms for cue in example_render.cues
    ]


def cover(kind: str) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 64), (200, 30, 30)).save(buffer, format=kind)
    return buffer.getvalue()


def test_mp3_cover_art_is_an_apic_frame(tmp_path: Path, fake_voice: Path) -> None:
    (tmp_path / "cover.png").write_bytes(cover("PNG"))
    options = RenderOptions(ScriptOptions(voice=str(fake_voice)), cover=str(tmp_path / "cover.png"))
    result = render(EXAMPLE, tmp_path / "out.mp3", options)
    pictures = ID3(result.path).getall("APIC")
    assert [(p.mime, p.type, p.data) for p in pictures] == [
        ("image/png", 3, (tmp_path / "cover.png").read_bytes())
    ]


def test_m4b_is_an_aac_audiobook_with_chapters_and_cover(tmp_path: Path, fake_voice: Path) -> None:
    (tmp_path / "cover.jpg").write_bytes(cover("JPEG"))
    options = RenderOptions(
        ScriptOptions(voice=str(fake_voice)), audio_format="m4b", cover=str(tmp_path / "cover.jpg")
    )
    result = render(EXAMPLE, tmp_path / "paris.m4b", options)
    probed = ffprobe(result.path)
    audio = [s for s in probed["streams"] if s["codec_type"] == "audio"]
    assert [(s["codec_name"], s["channels"]) for s in audio] == [("aac", 1)]
    assert [c["tags"]["title"] for c in probed["chapters"]] == [m.title for m in result.chapters]
    starts = [round(float(c["start_time"]) * 1000) for c in probed["chapters"]]
    assert starts == [m.start_ms for m in result.chapters]
    assert float(probed["format"]["duration"]) == pytest.approx(result.duration_ms / 1000, abs=0.05)
    tags = MP4(result.path).tags
    assert tags is not None
    assert tags["\xa9nam"] == [result.script.title]
    assert tags["stik"] == [2]
    assert bytes(tags["covr"][0]) == (tmp_path / "cover.jpg").read_bytes()


CLI = str(Path(sys.executable).parent / "article-audio")


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([CLI, *args], capture_output=True, text=True, timeout=600)


@pytest.mark.parametrize(
    ("name", "container", "codec"), [("out.wav", "wav", "pcm_s16le"), ("out.ogg", "ogg", "opus")]
)
def test_the_output_suffix_names_the_format_written(
    tmp_path: Path, fake_voice: Path, name: str, container: str, codec: str
) -> None:
    out = tmp_path / name
    done = run_cli("render", str(EXAMPLE), "-o", str(out), "--voice", str(fake_voice), "-q")
    assert done.returncode == 0, done.stderr
    probed = ffprobe(out)
    assert probed["format"]["format_name"] == container
    assert [s["codec_name"] for s in probed["streams"]] == [codec]


def test_a_suffix_naming_no_audio_format_is_refused_before_any_work(tmp_path: Path) -> None:
    out = tmp_path / "out.flac"
    done = run_cli("render", str(tmp_path / "missing.txt"), "-o", str(out))
    assert done.returncode == 2
    assert done.stderr.splitlines() == [
        f"article-audio: error: {out}: .flac is not an audio file suffix article-audio writes "
        "(expected .mp3, .m4b, .m4a, .mp4, .opus, .ogg, .wav)"
    ]  # the input (missing) was not even read
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("formats", "audio_format", "output", "expected"),
    [
        ((), None, None, (None, "mp3")),
        ((), None, "out.wav", (None, "wav")),
        ((), None, "dir.v2/out.OGG", (None, "opus")),
        ((), None, "out", (None, "mp3")),
        (("html",), "opus", "out.opus", ("html", "opus")),
        (("markdown",), "m4b", None, ("markdown", "m4b")),
    ],
)
def test_input_and_audio_formats_are_apart(
    formats: tuple[str, ...],
    audio_format: str | None,
    output: str | None,
    expected: tuple[str | None, str],
) -> None:
    assert split_formats(formats, audio_format, output) == expected


def test_the_audio_format_must_agree_with_the_name() -> None:
    with pytest.raises(InputError, match="the name says mp3 but the audio format is opus"):
        split_formats((), "opus", "out.mp3")


def test_format_m4b_still_names_the_audio_format_with_a_warning(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert split_formats(("html", "m4b"), None, None) == ("html", "m4b")
    assert "--format m4b is deprecated; use --audio-format m4b" in capsys.readouterr().err
    with pytest.raises(click.UsageError, match="disagree"):
        split_formats(("m4b",), "wav", None)


def caption_lines(path: Path) -> list[list[str]]:
    """The text lines of every cue of a VTT or SRT file."""
    blocks = path.read_text(encoding="utf-8").strip().split("\n\n")
    return [
        [line for line in block.splitlines()[1:] if "-->" not in line]
        for block in blocks
        if "-->" in block
    ]


@pytest.mark.parametrize("suffix", [".vtt", ".srt"])
def test_captions_are_two_lines_of_42_characters_at_most(
    example_render: RenderResult, suffix: str
) -> None:
    blocks = caption_lines(example_render.path.with_suffix(suffix))
    assert len(blocks) > len(example_render.cues)
    for lines in blocks:
        shown = [html.unescape(line) for line in lines] if suffix == ".vtt" else lines
        assert 1 <= len(shown) <= 2 and all(0 < len(line) <= 42 for line in shown), lines
    words = " ".join(" ".join(lines) for lines in blocks).split()
    if suffix == ".srt":  # every word of every sentence, in order
        assert words == " ".join(cue.text for cue in example_render.cues).split()


def test_words_json_times_every_written_word_inside_its_sentence(
    example_render: RenderResult,
) -> None:
    document = json.loads(example_render.path.with_name("paris.words.json").read_text())
    assert document["wordTiming"] == "voice" and not example_render.words_estimated
    bodies = [segment["body"] for segment in document["segments"]]
    assert " ".join(bodies).split() == " ".join(c.text for c in example_render.cues).split()
    for cue in example_render.cues:
        assert cue.words and cue.start_ms <= cue.words[0].start_ms
        assert all(a.end_ms <= b.start_ms for a, b in pairwise(cue.words))
        assert cue.words[-1].end_ms <= cue.end_ms
