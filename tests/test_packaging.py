"""A non-editable install must carry the voices, lexicons and data files inside the package."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

import article_audio

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_wheel_ships_voices_lexicons_and_data(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(tmp_path), str(ROOT)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    (wheel,) = tmp_path.glob("article_audio-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    shipped = {f"article_audio/voices/{p.name}" for p in (ROOT / "voices").iterdir()}
    assert shipped <= names
    assert {
        "article_audio/voices/joe.toml",
        "article_audio/voices/system.toml",
        "article_audio/voices/en-news.lexicon.toml",
        "article_audio/text/data/debris.toml",
        "article_audio/text/data/abbreviations.txt",
        "article_audio/outputs/player.css",
        "article_audio/outputs/embed.js",
        "article_audio/apps/serve/openapi.json",
        "article_audio/py.typed",
        "article_audio/voices/heart.toml",
        "article_audio/engines/kokoro/data/af_heart.bin",
        "article_audio/engines/kokoro/data/bm_george.bin",
        "article_audio/engines/kokoro/data/vocab.json",
        "article_audio/engines/kokoro/data/NOTICE",
    } <= names


def test_public_api_is_small_and_importable() -> None:
    assert len(article_audio.__all__) <= 30
    assert article_audio.split_sentences("He met Sen. Smith in the U.S. The talks ended.") == [
        "He met Sen. Smith in the U.S.",
        "The talks ended.",
    ]
    assert "twenty twenty-six" in article_audio.normalize("in 2026")
