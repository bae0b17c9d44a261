"""Encoding and tagging through the path renders take (tones streamed from the sentence cache by
``produce``): real MP3, M4B, Ogg Opus and WAV files from ffmpeg, read back with ffprobe, ffmpeg's
ebur128 meter and mutagen."""

from __future__ import annotations

import base64
import io
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from mutagen.flac import Picture
from mutagen.id3 import ID3, CTOCFlags
from mutagen.mp3 import MP3
from mutagen.oggopus import OggOpus
from PIL import Image

from article_audio.audio import encode, tap
from article_audio.audio import segment as audio
from article_audio.audio.encode import AudioSettings, audio_format_for, check_settings
from article_audio.audio.loudness import Measurement, Over
from article_audio.audio.produce import Production
from article_audio.audio.segment import SAMPLE_RATE, AudioSegment
from article_audio.audio.tags import Cover, iso_date
from article_audio.errors import ExportError, InputError

from .conftest import decoded, ebur128, ffprobe
from .tones import DEFAULT_SETTINGS, produce_tones, script_of, tone

TITLES = ("Intro", "Middle – ünïcode", "End")


def three_chapters(
    out: Path, cache: Path, settings: AudioSettings = DEFAULT_SETTINGS
) -> Production:
    """Four one-second tones in three chapters, rendered to ``out``."""
    script = script_of(TITLES, [[["one"]], [["two", "three"]], [["four"]]])
    sentences = [tone(1000, padding_ms=100, freq=330 + 50 * i, volume=-10) for i in range(4)]
    return produce_tones(script, sentences, out, cache, settings)


def clock(ms: int) -> str:
    """A time as ffprobe prints it."""
    return f"{ms / 1000:.6f}"


def test_mp3_is_mono_at_the_bitrate_with_tags_and_chapters(tmp_path: Path) -> None:
    out = tmp_path / "out.mp3"
    made = three_chapters(out, tmp_path / "cache", AudioSettings(bitrate_kbps=48))
    info = ffprobe(out)
    stream = info["streams"][0]
    assert stream["codec_name"] == "mp3"
    assert stream["channels"] == 1
    assert int(stream["bit_rate"]) == 48000
    assert [c["tags"]["title"] for c in info["chapters"]] == list(TITLES)
    assert [(c["start_time"], c["end_time"]) for c in info["chapters"]] == [
        (clock(mark.start_ms), clock(mark.end_ms)) for mark in made.layout.chapters
    ]
    assert made.layout.chapters[0].start_ms == 0 < made.layout.chapters[1].start_ms
    assert info["format"]["tags"]["title"] == "A title"
    assert info["format"]["tags"]["artist"] == "Jane Doe"
    assert abs(float(info["format"]["duration"]) - made.layout.duration_ms / 1000) < 0.1


def test_id3_has_a_top_level_ordered_ctoc(tmp_path: Path) -> None:
    out = tmp_path / "out.mp3"
    made = three_chapters(out, tmp_path / "cache")
    id3 = ID3(out)
    assert id3.version[:2] == (2, 3)
    toc = id3.getall("CTOC")
    assert len(toc) == 1
    assert toc[0].flags == CTOCFlags.TOP_LEVEL | CTOCFlags.ORDERED
    assert toc[0].child_element_ids == ["chp0", "chp1", "chp2"]
    chaps = sorted(id3.getall("CHAP"), key=lambda f: f.start_time)
    assert [(c.start_time, c.end_time) for c in chaps] == [
        (mark.start_ms, mark.end_ms) for mark in made.layout.chapters
    ]
    assert str(id3["TALB"]) == "The Paper"
    assert str(id3["TDRC"]) == "2026-01-05"
    assert id3.getall("COMM")[0].text == ["made in a test"]
    assert MP3(out).info.channels == 1


def png_cover() -> Cover:
    buffer = io.BytesIO()
    Image.new("RGB", (32, 24), (20, 120, 200)).save(buffer, format="PNG")
    return Cover(buffer.getvalue(), "image/png", 32, 24)


def test_ogg_opus_has_vorbis_comments_chapters_and_cover(tmp_path: Path) -> None:
    out = tmp_path / "out.opus"
    cover = png_cover()
    made = three_chapters(out, tmp_path / "cache", AudioSettings(audio_format="opus", cover=cover))
    info = ffprobe(out)
    assert info["format"]["format_name"] == "ogg"
    stream = info["streams"][0]
    assert (stream["codec_name"], stream["channels"]) == ("opus", 1)
    tags = {key.lower(): value for key, value in stream["tags"].items()}
    assert (tags["title"], tags["artist"], tags["album"]) == ("A title", "Jane Doe", "The Paper")
    assert (tags["date"], tags["comment"]) == ("2026-01-05", "made in a test")
    # ffmpeg reads the CHAPTERxxx comments as chapters
    assert [c["tags"]["title"] for c in info["chapters"]] == list(TITLES)
    assert [c["start_time"] for c in info["chapters"]] == [
        clock(mark.start_ms) for mark in made.layout.chapters
    ]
    comments = OggOpus(out).tags
    assert comments is not None
    (block,) = comments["metadata_block_picture"]
    picture = Picture(base64.b64decode(block))
    assert (picture.type, picture.mime, picture.data) == (3, "image/png", cover.data)
    assert (picture.width, picture.height) == (32, 24)
    # decoded at Opus's 48 kHz, the file is exactly as long as the narration (pre-skip applied)
    expected = made.layout.duration_ms * 48
    assert abs(len(decoded(out)) - expected) <= 48


def test_wav_is_16_bit_pcm_at_the_narration_rate(tmp_path: Path) -> None:
    out = tmp_path / "out.wav"
    made = three_chapters(out, tmp_path / "cache", AudioSettings(audio_format="wav"))
    info = ffprobe(out)
    assert info["format"]["format_name"] == "wav"
    stream = info["streams"][0]
    assert (stream["codec_name"], stream["sample_rate"], stream["channels"]) == (
        "pcm_s16le",
        str(SAMPLE_RATE),
        1,
    )
    assert info["chapters"] == []
    assert len(decoded(out)) * 1000 // SAMPLE_RATE == made.layout.duration_ms


@pytest.mark.parametrize("audio_format", ["mp3", "m4b", "opus", "wav"])
def test_every_format_is_heard_at_the_loudness_asked_for(tmp_path: Path, audio_format: str) -> None:
    out = tmp_path / f"out.{audio_format}"
    settings = AudioSettings(audio_format=audio_format, loudness_lufs=-18.0)
    made = three_chapters(out, tmp_path / "cache", settings)
    integrated, peak = ebur128("-i", str(out))
    assert integrated == pytest.approx(-18.0, abs=0.5)
    assert made.loudness.integrated_lufs == pytest.approx(integrated, abs=0.3)
    assert peak <= -1.0


def clicks(seed: int) -> AudioSegment:
    """Two seconds of noise bursts with sharp clicks: peaky like speech, unlike a tone."""
    rng = np.random.default_rng(seed)
    samples = rng.normal(0, 0.05, 2 * SAMPLE_RATE)
    samples[:: SAMPLE_RATE // 5] = 0.9
    pcm = (samples * 32767).clip(-32768, 32767).astype("<i2").tobytes()
    return AudioSegment(data=pcm, sample_width=2, frame_rate=SAMPLE_RATE, channels=1)


def test_a_file_over_the_ceiling_is_made_again_quieter_where_it_passed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the limiter let through +0.4 dBTP: the first file passes the ceiling, is measured, and
    # the sentences where it passed are trimmed in the next (from the cache, nothing synthesized)
    monkeypatch.setitem(encode.ENCODER_HEADROOM_DB, "mp3", -1.5)
    measured: list[Measurement] = []

    def encode_pass(*args: Any, **kwargs: Any) -> tuple[Any, tuple[Measurement, list[Over]]]:
        spans, found = real_pass(*args, **kwargs)
        measured.append(found[0])
        return spans, found

    real_pass = encode._encode_pass
    monkeypatch.setattr(encode, "_encode_pass", encode_pass)
    out = tmp_path / "out.mp3"
    script = script_of(TITLES, [[["one"]], [["two", "three"]], [["four"]]])
    made = produce_tones(script, [clicks(seed) for seed in range(4)], out, tmp_path / "cache")
    assert len(measured) >= 2 and measured[0].true_peak_dbtp > -1.0
    integrated, peak = ebur128("-i", str(out))
    assert peak <= -1.0
    assert integrated == pytest.approx(-16.0, abs=0.5)
    assert made.loudness == measured[-1]


def test_a_file_that_breaks_the_promise_is_an_error_and_no_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(encode.ENCODER_HEADROOM_DB, "mp3", -1.6)
    monkeypatch.setattr(encode, "MAX_PASSES", 1)
    folder = tmp_path / "out"
    folder.mkdir()
    script = script_of(TITLES, [[["one"]], [["two", "three"]], [["four"]]])
    with pytest.raises(ExportError, match=r"MP3 encoding could not keep the true peak under -1"):
        produce_tones(script, [clicks(seed) for seed in range(4)], folder / "out.mp3", tmp_path)
    assert list(folder.iterdir()) == []


@pytest.mark.parametrize("audio_format", ["mp3", "opus"])
def test_a_file_measured_as_it_is_encoded_measures_as_the_finished_file(
    tmp_path: Path, audio_format: str
) -> None:
    # the encoded stream is decoded and measured beside the encoding (ffmpeg's tee muxer): the
    # same measurement and the same stretches over the level as decoding the file afterwards,
    # and the same bytes as a plain encode; a folder name the tee muxer would misread is safe
    folder = tmp_path / "a:b|c[d]='e"
    folder.mkdir()
    rng = np.random.default_rng(7)
    pcm = (rng.standard_normal(SAMPLE_RATE * 9) * 6000).clip(-32768, 32767).astype("<i2")
    settings = AudioSettings(audio_format=audio_format)
    tapped, plain = folder / f"tapped.{audio_format}", folder / f"plain.{audio_format}"
    with encode.Encoder(tapped, settings, measure=-6.0) as measuring:
        for start in range(0, len(pcm), 5000):
            measuring.write(pcm[start : start + 5000].tobytes())
    with encode.Encoder(plain, settings) as encoder:
        encoder.write(pcm.tobytes())
    assert encoder.heard is None
    heard, over = encode.measure_encoded(tapped, audio_format, -6.0)
    assert over and tapped.read_bytes() == plain.read_bytes()
    assert measuring.heard == (heard, over)


def test_mp3_is_encoded_at_lames_speed_setting(tmp_path: Path) -> None:
    """The file (through the tee that measures it) and the live copy are LAME at quality 7:
    the bytes ffmpeg makes with ``-compression_level 7``, not those of its default (3)."""
    rng = np.random.default_rng(3)
    pcm = (rng.standard_normal(SAMPLE_RATE * 3) * 4000).clip(-32768, 32767).astype("<i2")
    path, live = tmp_path / "made.mp3", tmp_path / "live.mp3"
    with encode.Encoder(path, DEFAULT_SETTINGS, live=live, measure=-1.0) as encoder:
        encoder.write(pcm.tobytes())
    made: dict[str, bytes] = {}
    for name, quality in (("q7", ["-compression_level", "7"]), ("default", [])):
        made[name] = encode.run_ffmpeg(
            [
                *("-f", "s16le", "-ar", str(SAMPLE_RATE), "-ac", "1", "-i", "pipe:0"),
                *("-b:a", "64k", "-ac", "1", "-c:a", "libmp3lame", *quality),
                *("-id3v2_version", "0", "-f", "mp3", "pipe:1"),
            ],
            "reference encoding",
            pcm.tobytes(),
        )
    assert tap.LAME_QUALITY == 7
    assert made["q7"] != made["default"]
    # a file piped out has no Xing header (ffmpeg fills it in on a seekable file only)
    assert path.read_bytes().endswith(made["q7"]) and live.read_bytes() == made["q7"]
    stream = ffprobe(path)["streams"][0]
    assert (stream["codec_name"], stream["channels"], stream["bit_rate"]) == ("mp3", 1, "64000")


def test_the_encoder_is_known_by_its_version_report_and_options(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    identity = encode.encoder_identity()
    assert len(identity) == 64 and identity == encode.encoder_identity()
    # another LAME setting is another encoder: a render kept from the old one is not reused
    changed = [*encode.LAME[:-1], "3", "-id3v2_version", "0", "-f", "mp3"]
    monkeypatch.setitem(encode._ENCODERS, "mp3", changed)
    assert encode.encoder_identity() != identity


def test_failed_encoding_leaves_no_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(audio, "ffmpeg_path", lambda: "/bin/false")  # an "ffmpeg" that fails
    folder = tmp_path / "out"
    folder.mkdir()
    with pytest.raises(ExportError, match="MP3 encoding failed"):
        three_chapters(folder / "out.mp3", tmp_path / "cache")
    assert list(folder.iterdir()) == []


def test_an_existing_file_survives_a_failed_export(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    out = folder / "out.mp3"
    out.write_bytes(b"previous episode")
    monkeypatch.setattr(audio, "ffmpeg_path", lambda: "/bin/false")
    with pytest.raises(ExportError):
        three_chapters(out, tmp_path / "cache")
    assert out.read_bytes() == b"previous episode"
    assert [p.name for p in folder.iterdir()] == ["out.mp3"]


@pytest.mark.parametrize(
    ("name", "asked", "written"),
    [
        ("out.mp3", None, "mp3"),
        ("out.m4a", None, "m4b"),
        ("out.WAV", None, "wav"),
        ("out.ogg", None, "opus"),
        ("out.opus", None, "opus"),
        ("out", None, "mp3"),
        ("out", "opus", "opus"),
        ("out.wav", "wav", "wav"),
    ],
)
def test_the_suffix_names_the_audio_format(name: str, asked: str | None, written: str) -> None:
    assert audio_format_for(Path(name), asked) == written


def test_a_suffix_naming_no_audio_format_is_refused() -> None:
    with pytest.raises(InputError, match=r"out\.flac: \.flac is not an audio file suffix"):
        audio_format_for(Path("out.flac"))
    with pytest.raises(InputError, match="the name says mp3 but the audio format is wav"):
        audio_format_for(Path("out.mp3"), "wav")
    with pytest.raises(InputError, match="unknown audio format 'flac'"):
        audio_format_for(None, "flac")


def test_a_wav_file_takes_no_cover() -> None:
    with pytest.raises(InputError, match="a WAV file cannot carry cover art"):
        check_settings(AudioSettings(audio_format="wav", cover=png_cover()))


@pytest.mark.parametrize(
    ("printed", "iso"),
    [
        ("Jan 05, 2026 4:00 AM EST", "2026-01-05"),
        ("Posted: Sept. 3, 2025", "2025-09-03"),
        ("5 January 2026", "2026-01-05"),
        ("2026-11-24T10:00:00Z", "2026-11-24"),
        ("Updated in 2024", "2024"),
        ("1 hour ago", None),
        (None, None),
    ],
)
def test_iso_date(printed: str | None, iso: str | None) -> None:
    assert iso_date(printed) == iso
