"""Synthesis through executors and the cache: nothing made twice, parallel equals serial."""

from __future__ import annotations

import platform
import sys
import threading
from concurrent.futures import Executor, ProcessPoolExecutor, ThreadPoolExecutor
from pathlib import Path

import pytest

from article_audio.audio import jobs
from article_audio.audio.jobs import (
    Progress,
    ProgressCallback,
    SentenceStream,
    load_in_background,
    local_executor,
)
from article_audio.script import NarrationScript, Paragraph, ScriptChapter, Sentence
from article_audio.store.cache import SentenceCache
from article_audio.voices import VoiceProfile, load_profile, load_profile_file


def script_of(*texts: str) -> NarrationScript:
    sentences = tuple(Sentence(t, t) for t in texts)
    return NarrationScript("T", None, (ScriptChapter("T", (Paragraph(sentences),)),), "v")


TEXTS = (
    "One sentence here.",
    "Another, rather longer sentence here.",
    "One sentence here.",
    "End.",
)


def streamed(
    texts: tuple[str, ...] | list[str],
    profile: VoiceProfile,
    cache: SentenceCache,
    executor: Executor,
    progress: ProgressCallback | None = None,
) -> tuple[SentenceStream, list[bytes]]:
    """Every sentence's audio, through a :class:`SentenceStream`, and the stream."""
    stream = SentenceStream(script_of(*texts), profile, cache, executor, progress)
    return stream, [timed.audio.raw_data for timed in stream]


def test_only_missing_sentences_are_synthesized(tmp_path: Path, fake_voice: Path) -> None:
    profile = load_profile_file(fake_voice)
    cache = SentenceCache(tmp_path / "cache")
    seen: list[Progress] = []
    with local_executor(profile, 1) as executor:
        first, audio = streamed(TEXTS, profile, cache, executor, seen.append)
        assert (first.cached, first.synthesized, len(audio)) == (0, 3, 4)
        assert first.keys[0] == first.keys[2] and audio[0] == audio[2]
        assert [p.done for p in seen] == [1, 2, 3, 4] and seen[-1].total == 4
        assert seen[-1].audio_ms == sum(round(len(a) / 2 / 22.05) for a in audio)  # ms, 16-bit
        again, replayed = streamed(TEXTS, profile, cache, executor)
        assert (again.cached, again.synthesized, replayed) == (3, 0, audio)
        edited, _ = streamed(
            ("One sentence here.", "Another, rather shorter sentence here.", "End."),
            profile,
            cache,
            executor,
        )
        assert (edited.cached, edited.synthesized) == (2, 1)


class _CountingPool(ThreadPoolExecutor):
    """A one-thread pool that counts what it is given."""

    def __init__(self) -> None:
        super().__init__(max_workers=1)
        self.submitted = 0

    def submit(self, fn, /, *args, **kwargs):  # type: ignore[no-untyped-def, override]
        self.submitted += 1
        return super().submit(fn, *args, **kwargs)


def test_a_started_stream_hands_out_work_before_it_is_read_and_can_take_it_back(
    tmp_path: Path, fake_voice: Path
) -> None:
    profile = load_profile_file(fake_voice)
    cache = SentenceCache(tmp_path / "cache")
    gate = threading.Event()
    with _CountingPool() as pool:
        pool.submit(gate.wait)  # the one worker is busy: what the stream hands out waits
        stream = SentenceStream(script_of(*TEXTS), profile, cache, pool)
        stream.start()
        assert pool.submitted == 1 + 3  # every distinct missing sentence, none read yet
        stream.cancel()
        gate.set()
    assert not any(cache.contains(key) for key in stream.keys)  # none was made


def _made_by(voice: str, jobs: int, folder: Path) -> tuple[Executor, list[bytes]]:
    profile = load_profile(voice)
    texts = [f"Sentence number {word} of the parallel test." for word in ("one", "two", "three")]
    cache = SentenceCache(folder / f"{voice}-jobs{jobs}")
    with local_executor(profile, jobs) as executor:
        stream, audio = streamed(texts, profile, cache, executor)
    assert stream.synthesized == 3
    return executor, audio


@pytest.mark.slow
def test_two_piper_threads_make_the_same_audio_as_one(tmp_path: Path) -> None:
    """Piper's workers are threads sharing one loaded voice: bit for bit the same audio."""
    _, one = _made_by("joe", 1, tmp_path)
    workers, two = _made_by("joe", 2, tmp_path)
    assert isinstance(workers, ThreadPoolExecutor)
    assert two == one


@pytest.mark.slow
def test_system_voices_get_worker_processes(tmp_path: Path) -> None:
    """pyttsx3 drives one espeak-ng per process, so its workers are processes. espeak-ng
    carries a little state from one utterance to the next (after the engine tests, a sentence
    came out about 11 ms, 0.5 %, longer in their process than in a fresh one), so the audio is
    compared by length, to 2 % (a wrong voice or rate is off by far more)."""
    _, one = _made_by("system", 1, tmp_path)
    workers, two = _made_by("system", 2, tmp_path)
    assert isinstance(workers, ProcessPoolExecutor)
    assert [len(a) for a in two] == pytest.approx([len(a) for a in one], rel=0.02)


def test_a_shared_voice_loads_on_a_thread_of_its_own(fake_voice: Path) -> None:
    profile = load_profile_file(fake_voice)
    jobs.close_engines()
    loading = load_in_background(profile)
    assert loading is not None
    loading.join(timeout=30)
    assert list(jobs._ENGINES) == [profile]  # loaded once, for the synthesis threads to use
    assert jobs.engine_for(profile) is jobs._ENGINES[profile]
    jobs.close_engines()


def test_a_voice_in_worker_processes_is_not_loaded_here() -> None:
    jobs.close_engines()
    assert load_in_background(load_profile("system")) is None
    assert jobs._ENGINES == {}


def test_a_long_stream_hands_free_memory_back_as_it_goes(
    tmp_path: Path, fake_voice: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    trims: list[str] = []
    monkeypatch.setattr(
        jobs, "_return_free_memory", lambda: trims.append(threading.current_thread().name)
    )
    profile = load_profile_file(fake_voice)
    texts = [f"Sentence {n} of a long article." for n in range(2 * jobs.TRIM_EVERY + 1)]
    with local_executor(profile, 2) as executor:
        _, audio = streamed(texts, profile, SentenceCache(tmp_path / "c"), executor)
        assert len(audio) == len(texts)
    by_reader = [name for name in trims if name == threading.main_thread().name]
    assert len(by_reader) == 2  # after every TRIM_EVERY sentences read
    assert len(trims) - len(by_reader) == len(texts)  # before each sentence synthesized
    if sys.platform.startswith("linux") and platform.libc_ver()[0] == "glibc":
        assert jobs._libc_function("malloc_trim") is not None  # glibc: the real call is made
