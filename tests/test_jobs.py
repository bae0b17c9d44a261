"""Synthesis through executors and the cache: nothing made twice, parallel equals serial."""

from __future__ import annotations

from pathlib import Path

import pytest

from article_audio.cache import SentenceCache
from article_audio.jobs import Progress, local_executor, synthesize_to_cache
from article_audio.script import NarrationScript, Paragraph, ScriptChapter, Sentence
from article_audio.voices import load_profile, load_profile_file


def script_of(*texts: str) -> NarrationScript:
    sentences = tuple(Sentence(t, t) for t in texts)
    return NarrationScript("T", None, (ScriptChapter("T", (Paragraph(sentences),)),), "v")


TEXTS = (
    "One sentence here.",
    "Another, rather longer sentence here.",
    "One sentence here.",
    "End.",
)


def test_only_missing_sentences_are_synthesized(tmp_path: Path, fake_voice: Path) -> None:
    profile = load_profile_file(fake_voice)
    cache = SentenceCache(tmp_path / "cache")
    seen: list[Progress] = []
    with local_executor(profile, 1) as executor:
        first = synthesize_to_cache(script_of(*TEXTS), profile, cache, executor, seen.append)
        assert (first.unique, first.cached, first.synthesized) == (3, 0, 3)
        assert first.keys[0] == first.keys[2]
        assert seen[0].done == 0 and seen[-1].done == seen[-1].total == 4
        again = synthesize_to_cache(script_of(*TEXTS), profile, cache, executor)
        assert (again.cached, again.synthesized, again.audio_ms) == (3, 0, 0)
        edited = synthesize_to_cache(
            script_of("One sentence here.", "Another, rather shorter sentence here.", "End."),
            profile,
            cache,
            executor,
        )
        assert (edited.cached, edited.synthesized) == (2, 1)


@pytest.mark.slow
def test_two_worker_processes_make_the_same_audio_as_one(tmp_path: Path) -> None:
    profile = load_profile("joe")
    texts = [f"Sentence number {word} of the parallel test." for word in ("one", "two", "three")]
    audio = []
    for jobs in (1, 2):
        cache = SentenceCache(tmp_path / f"jobs{jobs}")
        with local_executor(profile, jobs) as executor:
            report = synthesize_to_cache(script_of(*texts), profile, cache, executor)
        assert report.synthesized == 3
        audio.append([cache.get(k).raw_data for k in report.keys])  # type: ignore[union-attr]
    assert audio[0] == audio[1]
