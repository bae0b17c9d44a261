"""Shared fixtures: the example article, a silent fake voice, and helpers to read MP3s back."""

from __future__ import annotations

import json
import math
import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pytest

from article_audio.audio.segment import use_ffmpeg

if TYPE_CHECKING:
    from article_audio.engines.kokoro.engine import KokoroEngine
    from article_audio.engines.piper.engine import PiperEngine

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "cbc-coalition-paris.txt"
DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture(scope="session", autouse=True)
def _private_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Every test (and every CLI it runs) caches in a folder of this test session, never in
    the user's cache; tests that count cache hits use a folder of their own."""
    folder = tmp_path_factory.mktemp("cache")
    before = os.environ.get("ARTICLE_AUDIO_CACHE_DIR")
    os.environ["ARTICLE_AUDIO_CACHE_DIR"] = str(folder)
    yield folder
    if before is None:
        os.environ.pop("ARTICLE_AUDIO_CACHE_DIR", None)
    else:
        os.environ["ARTICLE_AUDIO_CACHE_DIR"] = before


@pytest.fixture
def example() -> Path:
    return EXAMPLE


@pytest.fixture
def fake_voice(tmp_path: Path) -> Path:
    """A voice profile file for the silent fake engine (fast pipeline tests)."""
    path = tmp_path / "silent.toml"
    path.write_text(
        'engine = "fake"\nvoice = "silent"\nwords_per_minute = 170\n'
        "sentence_pause_ms = 300\nparagraph_pause_ms = 700\nchapter_pause_ms = 1400\n",
        encoding="utf-8",
    )
    return path


def ffprobe(path: Path, *entries: str) -> dict[str, Any]:
    """ffprobe's JSON for ``path`` (``-show_format -show_streams -show_chapters`` by default)."""
    exe = shutil.which("ffprobe")
    if exe is None:
        pytest.fail("ffprobe is required for the tests (apt-get install ffmpeg)")
    flags = list(entries) or ["-show_format", "-show_streams", "-show_chapters"]
    out = subprocess.run(
        [exe, "-v", "error", "-print_format", "json", *flags, str(path)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    result: dict[str, Any] = json.loads(out)
    return result


def decoded(path: Path) -> np.ndarray:
    """``path`` decoded by ffmpeg: mono 16-bit samples."""
    raw = subprocess.run(
        [use_ffmpeg(), "-v", "error", "-i", str(path), "-f", "s16le", "-ac", "1", "-"],
        capture_output=True,
        check=True,
    ).stdout
    return np.frombuffer(raw, dtype="<i2")


#: ffmpeg's output options for measuring: the ebur128 filter, writing nothing.
#: ffmpeg's ebur128 filter, its figures also written into each frame's metadata and printed:
#: the summary rounds to 0.1 dB, the metadata keeps three decimals (the true peak as a linear
#: amplitude), so a comparison within 0.1 dB is not decided by the summary's rounding.
_EBUR128_TO_NOWHERE = (
    "-af",
    "ebur128=peak=true:metadata=1,ametadata=mode=print",
    "-f",
    "null",
    "-",
)


def ebur128(*source: str) -> tuple[float, float]:
    """Integrated loudness (LUFS) and true peak (dBTP) by ffmpeg's ebur128 filter; ``source``
    is ffmpeg's input: its options, then ``-i`` and the path."""
    out = subprocess.run(
        [use_ffmpeg(), "-hide_banner", "-nostats", *source, *_EBUR128_TO_NOWHERE],
        capture_output=True,
        text=True,
        check=True,
    ).stderr
    integrated = re.findall(r"lavfi\.r128\.I=(-?[\d.]+)", out)
    peaks = re.findall(r"lavfi\.r128\.true_peak=([\d.]+)", out)
    assert integrated and peaks, out[-2000:]
    peak = max(float(value) for value in peaks)
    return float(integrated[-1]), 20 * math.log10(peak) if peak > 0 else -math.inf


@pytest.fixture(scope="module")
def joe() -> Iterator[PiperEngine]:
    """Piper's joe voice, loaded once per test module."""
    from article_audio.engines import create_engine
    from article_audio.engines.piper.engine import PiperEngine
    from article_audio.voices import load_profile

    engine = create_engine(load_profile("joe"))
    assert isinstance(engine, PiperEngine)
    yield engine
    engine.close()


@pytest.fixture(scope="module")
def heart(_private_cache: Path) -> Iterator[KokoroEngine]:
    """The default voice (Kokoro's heart), loaded once per test module; its rewritten model
    kept in this test session's cache, where renders find it too."""
    from article_audio.config import DEFAULT_VOICE
    from article_audio.engines import create_engine
    from article_audio.engines.kokoro.engine import KokoroEngine
    from article_audio.store.cache import MODELS
    from article_audio.voices import load_profile

    engine = create_engine(load_profile(DEFAULT_VOICE), _private_cache / MODELS)
    assert isinstance(engine, KokoroEngine)
    yield engine
    engine.close()
