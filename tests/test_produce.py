"""Rendering through the cache and the workers: nothing made twice, an unchanged article copied,
an edit re-synthesizing only what changed, parallel equal to serial, a damaged entry re-made."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from article_audio.apps.render import default_output, make_script, render
from article_audio.audio import jobs, produce
from article_audio.audio.jobs import Progress
from article_audio.config import RenderOptions, ScriptOptions
from article_audio.errors import InputError
from article_audio.store.cache import SentenceCache
from article_audio.store.keys import sentence_keys
from article_audio.voices import VoiceProfile, load_profile, load_profile_file

from .conftest import decoded

ARTICLE = """Cache test headline

By Jane Roe, The Daily Test

The council met on Tuesday to discuss the budget. Members argued for an hour.

The mayor said the plan would pass. Critics disagreed loudly.
"""


@pytest.fixture
def article(tmp_path: Path) -> Path:
    path = tmp_path / "article.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    return path


def options(voice: Path | str, cache: Path, **extra: object) -> RenderOptions:
    return RenderOptions(ScriptOptions(voice=str(voice)), cache_dir=str(cache), **extra)  # type: ignore[arg-type]


def test_an_unchanged_article_is_copied_from_the_cache(
    article: Path, fake_voice: Path, tmp_path: Path
) -> None:
    opts = options(fake_voice, tmp_path / "cache", jobs=1)
    first = render(article, tmp_path / "a.mp3", opts)
    assert (first.synthesized, first.cached, first.reused) == (6, 0, False)
    second = render(article, tmp_path / "b.mp3", opts)
    assert (second.synthesized, second.reused) == (0, True)
    assert (tmp_path / "b.mp3").read_bytes() == (tmp_path / "a.mp3").read_bytes()
    assert (second.cues, second.chapters, second.duration_ms) == (
        first.cues,
        first.chapters,
        first.duration_ms,
    )
    # the copied render keeps its word times (the fake voice's are estimates, and say so)
    assert all(cue.words for cue in second.cues) and second.words_estimated
    assert "engine load" not in second.timings and "synthesize" not in second.timings


def test_a_reused_render_loads_no_engine(
    article: Path, fake_voice: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    opts = options(fake_voice, tmp_path / "cache", jobs=1)
    render(article, tmp_path / "a.mp3", opts)

    def refuse(*_: object) -> None:
        raise AssertionError("an engine was loaded")

    monkeypatch.setattr(jobs, "create_engine", refuse)
    assert render(article, tmp_path / "b.mp3", opts).reused


def test_a_one_sentence_edit_synthesizes_one_sentence(
    article: Path, fake_voice: Path, tmp_path: Path
) -> None:
    opts = options(fake_voice, tmp_path / "cache", jobs=1)
    render(article, tmp_path / "a.mp3", opts)
    article.write_text(ARTICLE.replace("for an hour", "for two hours"), encoding="utf-8")
    edited = render(article, tmp_path / "b.mp3", opts)
    assert (edited.synthesized, edited.cached, edited.reused) == (1, 5, False)


def test_an_edit_aligns_the_words_of_the_new_sentence_only(
    article: Path, fake_voice: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # where each sentence's written words are heard is kept in the cache: an edit aligns the
    # edited sentence's words, reads the others' back, and places every word as a render
    # with nothing cached does
    opts = options(fake_voice, tmp_path / "cache", jobs=1)
    render(article, tmp_path / "a.mp3", opts)
    article.write_text(ARTICLE.replace("for an hour", "for two hours"), encoding="utf-8")
    aligned: list[str] = []

    def sentence_times(sentence: Any, *args: Any) -> Any:
        aligned.append(sentence.text)
        return real(sentence, *args)

    real = produce.sentence_times
    monkeypatch.setattr(produce, "sentence_times", sentence_times)
    edited = render(article, tmp_path / "b.mp3", opts)
    assert aligned == ["Members argued for two hours."]
    fresh = render(article, tmp_path / "c.mp3", options(fake_voice, tmp_path / "c", jobs=1))
    assert edited.cues == fresh.cues and all(cue.words for cue in edited.cues)


def test_changing_the_loudness_re_encodes_but_synthesizes_nothing(
    article: Path, fake_voice: Path, tmp_path: Path
) -> None:
    first = render(article, tmp_path / "a.mp3", options(fake_voice, tmp_path / "cache", jobs=1))
    quieter = options(fake_voice, tmp_path / "cache", jobs=1, loudness_lufs=-20.0)
    again = render(article, tmp_path / "b.mp3", quieter)
    assert (again.synthesized, again.cached, again.reused) == (0, 6, False)
    assert again.cues == first.cues  # the sentence cache kept every word's time


def _mastered(cache: Path) -> dict[str, int]:
    """The mastered sentences in ``cache``: each entry's name and inode (a write makes a new
    file and renames it into place, so an entry mastered again has a new inode)."""
    return {path.name: path.stat().st_ino for path in (cache / "mastered").rglob("*.pcm")}


def test_a_second_produce_masters_nothing_again_and_makes_the_same_bytes(
    article: Path, fake_voice: Path, tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    opts = options(fake_voice, cache, jobs=1)
    render(article, tmp_path / "a.mp3", opts)
    mastered = _mastered(cache)
    assert len(mastered) >= 6  # every sentence, for every pass the encoding took
    shutil.rmtree(cache / "renders")  # so the file is produced again, not copied
    again = render(article, tmp_path / "b.mp3", opts)
    assert (again.synthesized, again.reused) == (0, False)
    assert _mastered(cache) == mastered  # every sentence read back, none mastered again
    assert (tmp_path / "b.mp3").read_bytes() == (tmp_path / "a.mp3").read_bytes()
    # and a render with nothing cached (every sentence synthesized and mastered) is the same
    uncached = render(article, tmp_path / "c.mp3", options(fake_voice, cache, use_cache=False))
    assert uncached.synthesized == 6
    assert (tmp_path / "c.mp3").read_bytes() == (tmp_path / "a.mp3").read_bytes()
    assert (uncached.cues, uncached.chapters) == (again.cues, again.chapters)


def test_another_loudness_masters_every_sentence_again(
    article: Path, fake_voice: Path, tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    render(article, tmp_path / "a.mp3", options(fake_voice, cache, jobs=1))
    before = _mastered(cache)
    render(article, tmp_path / "b.mp3", options(fake_voice, cache, jobs=1, loudness_lufs=-20.0))
    after = _mastered(cache)
    assert before.items() <= after.items()  # the first loudness's entries are left alone
    assert len(after) >= len(before) + 6  # and every sentence is mastered anew


def test_no_cache_reads_and_writes_no_cache(
    article: Path, fake_voice: Path, tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    opts = options(fake_voice, cache, jobs=1)
    render(article, tmp_path / "a.mp3", opts)
    entries = sorted(cache.rglob("*"))
    uncached = render(article, tmp_path / "b.mp3", options(fake_voice, cache, use_cache=False))
    assert (uncached.synthesized, uncached.reused) == (6, False)
    assert sorted(cache.rglob("*")) == entries
    assert np.array_equal(decoded(tmp_path / "a.mp3"), decoded(tmp_path / "b.mp3"))


def test_a_damaged_sentence_entry_is_made_again_never_played(
    article: Path, fake_voice: Path, tmp_path: Path
) -> None:
    cache = SentenceCache(tmp_path / "cache")
    opts = options(fake_voice, cache.root, jobs=1)
    render(article, tmp_path / "a.mp3", opts)
    profile = load_profile_file(fake_voice)
    key = sentence_keys(make_script(article, opts.script), profile)[3]
    entry = cache.path(key)
    entry.write_bytes(entry.read_bytes()[:-100] + bytes(100))  # damaged samples
    for render_file in (cache.root / "renders").rglob("*.mp3"):
        render_file.write_bytes(b"damaged")  # the whole render too
    again = render(article, tmp_path / "b.mp3", opts)
    assert (again.synthesized, again.reused) == (1, False)
    assert np.array_equal(decoded(tmp_path / "a.mp3"), decoded(tmp_path / "b.mp3"))


def test_progress_counts_every_sentence_once(
    article: Path, fake_voice: Path, tmp_path: Path
) -> None:
    seen: list[Progress] = []
    render(article, tmp_path / "a.mp3", options(fake_voice, tmp_path / "c", jobs=1), seen.append)
    assert [p.done for p in seen] == list(range(1, 7))
    assert {p.total for p in seen} == {6}
    assert seen[-1].audio_ms > seen[0].audio_ms > 0


@pytest.mark.slow
def test_two_workers_make_the_same_file_as_one(article: Path, tmp_path: Path) -> None:
    """The real Piper voice on one synthesis thread and on two sharing it: the same audio
    (that another process's session makes the same audio: tests/test_engines.py)."""
    one = render(article, tmp_path / "one.mp3", options("joe", tmp_path / "c1", jobs=1))
    two = render(article, tmp_path / "two.mp3", options("joe", tmp_path / "c2", jobs=2))
    assert one.synthesized == two.synthesized == 6
    assert np.array_equal(decoded(one.path), decoded(two.path))
    assert one.cues == two.cues


def test_the_voice_loads_while_a_new_script_is_built(
    article: Path, fake_voice: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import article_audio.apps.render as pipeline

    events: list[str] = []
    build = pipeline.build_script

    def building(*args: Any, **kwargs: Any) -> Any:
        events.append("build")
        return build(*args, **kwargs)

    def loading(profile: VoiceProfile, model_dir: Path) -> None:
        events.append(f"load {profile.name}")
        assert model_dir == tmp_path / "cache" / "voices"  # the runtime's model folder

    monkeypatch.setattr(pipeline, "load_in_background", loading)
    monkeypatch.setattr(pipeline, "build_script", building)
    opts = options(fake_voice, tmp_path / "cache", jobs=1)
    render(article, tmp_path / "a.mp3", opts)
    assert events == [f"load {load_profile_file(fake_voice).name}", "build"]
    render(article, tmp_path / "b.mp3", opts)  # the script is read back: nothing to load
    assert len(events) == 2
    profile = load_profile_file(fake_voice)
    with jobs.local_executor(profile, 1) as executor:  # a batch's workers load their own voice
        render(article, tmp_path / "c.mp3", options(fake_voice, tmp_path / "other"), None, executor)
    assert events[2:] == ["build"]


def test_a_shared_executor_is_used_and_left_running(
    article: Path, fake_voice: Path, tmp_path: Path
) -> None:
    profile = load_profile_file(fake_voice)
    with jobs.local_executor(profile, 1) as executor:
        first = render(
            article, tmp_path / "a.mp3", options(fake_voice, tmp_path / "c"), None, executor
        )
        assert first.synthesized == 6
        future = executor.submit(sum, [1, 2])
        assert future.result() == 3
    assert load_profile("joe").engine == "piper"


def test_an_unchanged_article_script_is_read_back_not_rebuilt(
    article: Path, fake_voice: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import article_audio.apps.render as pipeline

    cache = SentenceCache(tmp_path / "c")
    first = make_script(article, ScriptOptions(voice=str(fake_voice)), cache=cache)
    assert first == make_script(article, ScriptOptions(voice=str(fake_voice)))

    def no_build(*args: object, **kwargs: object) -> None:
        raise AssertionError("the script was built again")

    monkeypatch.setattr(pipeline, "build_script", no_build)
    again = make_script(article, ScriptOptions(voice=str(fake_voice)), cache=cache)
    assert again == first  # read back, source included
    with pytest.raises(AssertionError, match="built again"):  # another sentence limit
        make_script(
            article, ScriptOptions(voice=str(fake_voice), max_sentence_chars=80), cache=cache
        )
    article.write_text(article.read_text(encoding="utf-8") + "\nOne more line.\n", encoding="utf-8")
    with pytest.raises(AssertionError, match="built again"):  # another text
        make_script(article, ScriptOptions(voice=str(fake_voice)), cache=cache)


def test_the_example_script_survives_its_json_shape(example: Path) -> None:
    from article_audio.script import NarrationScript

    script = make_script(example)
    assert len(script.chapters) > 1 and len(script.sentences) > 30
    assert NarrationScript.from_dict(script.to_dict(), source=script.source) == script


def test_render_makes_a_missing_output_folder_but_refuses_a_file_as_one(
    article: Path, fake_voice: Path, tmp_path: Path
) -> None:
    made = render(article, tmp_path / "new" / "deeper" / "a.mp3", options(fake_voice, tmp_path))
    assert made.path.is_file()
    (tmp_path / "file").write_text("not a folder", encoding="utf-8")
    with pytest.raises(InputError, match=r"a\.mp3: folder .*file is not a folder$"):
        render(article, tmp_path / "file" / "a.mp3", options(fake_voice, tmp_path))
    with pytest.raises(InputError, match=r"cannot create the folder .*file/sub \("):
        render(article, tmp_path / "file" / "sub" / "a.mp3", options(fake_voice, tmp_path))


def test_names_made_from_titles_keep_accented_letters_and_whole_words() -> None:
    assert default_output("-", "Été à Montréal") == Path("ete-a-montreal.mp3")
    title = "Zelenskyy says allies are giving Ukraine powerful new weapons to hold the line"
    made = default_output("-", title).stem  # at most 60 characters, cut between words
    assert made == "zelenskyy-says-allies-are-giving-ukraine-powerful-new"
    assert default_output("notes/a.txt", title) == Path("a.mp3")  # a file keeps its own name
