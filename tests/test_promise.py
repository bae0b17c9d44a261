"""The loudness promise on the example, as a listener gets it: rendered with Piper and the
ffmpeg this session uses (CI runs this file with Debian's ffmpeg and again with imageio-ffmpeg's,
through ARTICLE_AUDIO_FFMPEG), each file decoded and measured by that ffmpeg's ebur128 filter."""

from __future__ import annotations

from pathlib import Path

import pytest

from article_audio.apps.render import render
from article_audio.config import RenderOptions, ScriptOptions

from .conftest import EXAMPLE, ebur128

pytestmark = pytest.mark.slow


@pytest.mark.parametrize(
    ("name", "bitrate_kbps"), [("paris.mp3", 64), ("paris.mp3", 128), ("paris.m4b", 64)]
)
def test_the_example_is_at_minus_16_lufs_under_minus_1_dbtp(
    tmp_path: Path, name: str, bitrate_kbps: int
) -> None:
    # the first render synthesizes the sentences (the session's cache keeps them for the rest)
    options = RenderOptions(
        ScriptOptions(voice="joe"), audio_format=name.split(".")[1], bitrate_kbps=bitrate_kbps
    )
    result = render(EXAMPLE, tmp_path / name, options)
    integrated, peak = ebur128("-i", str(result.path))
    assert integrated == pytest.approx(-16.0, abs=0.5)
    assert peak <= -1.0
    # what the render measured on its decoded file is what ffmpeg reads
    assert result.loudness is not None
    assert result.loudness.integrated_lufs == pytest.approx(integrated, abs=0.1)
    assert result.loudness.true_peak_dbtp == pytest.approx(peak, abs=0.1)
