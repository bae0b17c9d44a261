"""The first utterance: a slow voice's first sentence (the title) is cut at a phrase boundary so
that its head is heard soon, the rest joined to it after a phrase's pause; short titles, titles
with no phrase boundary in reach and fast voices keep the title whole.

The headlines are written for these tests, in shapes the example does not have."""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Callable
from concurrent.futures import Executor, Future
from pathlib import Path

import numpy as np
import pytest

from article_audio.apps.render import (
    RenderResult,
    load_article,
    make_script,
    profile_lexicon,
    render_script,
)
from article_audio.audio.assemble import JOINED_PAUSE_SHARE, ms_to_samples, pauses
from article_audio.audio.jobs import SentenceStream
from article_audio.clauses import first_utterance, split_long_sentence
from article_audio.config import RenderOptions, ScriptOptions
from article_audio.context import open_runtime
from article_audio.engines import first_utterance_chars, phoneme_mode
from article_audio.script import NarrationScript
from article_audio.store.cache import SentenceCache
from article_audio.text.narration import build_script
from article_audio.text.read import Source
from article_audio.voices import load_profile, load_profile_file

from .conftest import decoded
from .test_first_audio import LOUD, TEN_MS, HeldAfterFirst, _loud_span, copy_when_steady

WINDOW = 26


@pytest.mark.parametrize(
    ("headline", "pieces"),
    [
        # an infinitive, a preposition, a conjunction, a colon, title case
        (
            "City council votes to widen bike lanes across downtown before next spring",
            ["City council votes", "to widen bike lanes across downtown before next spring"],
        ),
        (
            "Thousands without power after overnight storm",
            ["Thousands without power", "after overnight storm"],
        ),
        (
            "Storm Bert: trains cancelled, roads closed and homes flooded across Wales",
            ["Storm Bert:", "trains cancelled, roads closed and homes flooded across Wales"],
        ),
        (
            "Markets Rally After Central Bank Signals Pause In Rate Hikes",
            ["Markets Rally", "After Central Bank Signals Pause In Rate Hikes"],
        ),
        # no boundary within the window: it widens to half the headline
        (
            "Heat wave grips southern Europe as wildfires drive thousands from their homes",
            ["Heat wave grips southern Europe", "as wildfires drive thousands from their homes"],
        ),
        # the comma comes too late; the preposition before it is in reach
        (
            "What the new chip export rules mean for buyers, sellers and everyone in between",
            ["What the new chip export rules mean", "for buyers, sellers and everyone in between"],
        ),
        # before the phrase, not inside it ("from 5 to 7", "such as")
        (
            "Mortgage rates climb from 5 to 7 percent within a year",
            ["Mortgage rates climb", "from 5 to 7 percent within a year"],
        ),
        (
            "Shoppers flock to outlet malls such as Bicester Village",
            ["Shoppers flock", "to outlet malls such as Bicester Village"],
        ),
    ],
)
def test_a_long_headline_is_cut_at_a_phrase_boundary(headline: str, pieces: list[str]) -> None:
    assert first_utterance(headline, WINDOW) == pieces


@pytest.mark.parametrize(
    "headline",
    [
        "Rates held",
        "Fed holds rates steady again",  # short: whole
        # no phrase boundary in reach: whole, never cut between two words of a phrase
        "Record-breaking Antarctic sea-ice loss alarms climate scientists worldwide",
        "Government unveils sweeping overhaul of national rail franchising rules",
        # "to" and "as" that belong to the word before are no boundaries
        "Airline shares slump due to weak demand across Asia",
        "Prices up as much as 9 percent in a year for renters",
        # a single word either side is no phrase
        "Unprecedented: parliament dissolved",
    ],
)
def test_a_headline_without_a_phrase_boundary_in_reach_stays_whole(headline: str) -> None:
    assert first_utterance(headline, WINDOW) == [headline]


def test_the_cut_is_measured_on_what_the_engine_is_given() -> None:
    headline = "UK and EU agree deal on fishing rights"
    assert first_utterance(headline, 50) == [headline]  # 38 characters written: no cut
    spoken = {"UK": "United Kingdom", "EU": "European Union"}

    def measure(piece: str) -> int:
        return len(" ".join(spoken.get(word, word) for word in piece.split()))

    assert first_utterance(headline, 50, measure) == [
        "UK and EU agree deal",
        "on fishing rights",
    ]


def test_a_long_sentence_without_clauses_is_cut_before_a_phrase_not_between_any_words() -> None:
    words = " ".join(["word"] * 20)
    sentence = f"{words} across {words}."
    assert split_long_sentence(sentence, 150) == [words, f"across {words}."]


def _script(
    headline: str,
    voice: str | Path,
    window: int | None = None,
    body: str = "The story follows. It goes on.",
) -> NarrationScript:
    """``headline`` and ``body`` made into a script for ``voice``, its first utterance cut to
    ``window`` characters (by default the voice's own window)."""
    profile = load_profile(voice) if isinstance(voice, str) else load_profile_file(voice)
    article = load_article(Source(f"{headline}\n\n{body}\n", "text", ""))
    return build_script(
        article,
        profile,
        profile_lexicon(profile),
        phoneme_mode=phoneme_mode(profile),
        first_utterance_chars=window if window is not None else first_utterance_chars(profile),
    )


def test_heard_while_made_the_default_voice_cuts_the_title_and_joe_keeps_it_whole() -> None:
    headline = "Coalition partners meet in Paris to discuss giving Ukraine peace plan backing"
    source = Source(f"{headline}\n\nThe story follows.\n", "text", "")
    heart = make_script(source, ScriptOptions(quick_start=True))
    first, rest = heart.sentences[:2]
    assert (first.text, first.joined) == ("Coalition partners meet", False)
    assert rest.text.startswith("in Paris") and rest.joined
    assert len(first.spoken) <= (first_utterance_chars(load_profile("heart")) or 0)
    assert not any(s.joined for s in heart.sentences[2:])
    joe = make_script(source, ScriptOptions(voice="joe", quick_start=True))
    assert joe.sentences[0].text == f"{headline}." and not any(s.joined for s in joe.sentences)
    joe = _script(headline, "joe")
    assert joe.sentences[0].text == f"{headline}." and not any(s.joined for s in joe.sentences)
    # the script's JSON keeps the join, and only where there is one
    assert NarrationScript.from_dict(heart.to_dict(), source=heart.source) == heart
    said = heart.to_dict()["chapters"][0]["sentences"]
    assert [item.get("joined") for item in said] == [None, True]


def test_a_joined_sentence_follows_after_a_phrase_pause() -> None:
    heart = load_profile("heart")
    script = _script("Thousands without power after overnight storm", "heart")
    gaps = pauses(script, heart)
    assert gaps[1] == ms_to_samples(round(heart.sentence_pause_ms * JOINED_PAUSE_SHARE))
    assert gaps[1] < ms_to_samples(heart.sentence_pause_ms)


def _cut_voice(fake_voice: Path, tmp_path: Path) -> NarrationScript:
    """A fake-voice script of a long title, cut as a slow voice's would be."""
    text = "Coalition partners meet in Paris to discuss giving Ukraine peace plan backing"
    return _script(text, fake_voice, WINDOW, "The first body sentence is here.")


def test_the_head_streams_before_the_rest_of_the_title_is_made(
    fake_voice: Path, tmp_path: Path
) -> None:
    script = _cut_voice(fake_voice, tmp_path)
    assert script.sentences[1].joined
    live, snapshot = tmp_path / "live.mp3", tmp_path / "snapshot.mp3"
    executor = HeldAfterFirst()
    options = RenderOptions(ScriptOptions(voice=str(fake_voice)), use_cache=False)
    done: list[RenderResult] = []

    def go() -> None:
        with open_runtime(tmp_path / "cache") as runtime:
            done.append(
                render_script(
                    script,
                    tmp_path / "out.mp3",
                    options,
                    executor=executor,
                    runtime=runtime,
                    live=live,
                )
            )

    rendering = threading.Thread(target=go)
    rendering.start()
    try:  # the head is made, the rest of the title waits: the listener has the head whole
        copy_when_steady(live, snapshot)
    finally:
        executor.release.set()
        rendering.join(timeout=60)
        executor.shutdown()
    assert done, "the render did not finish"
    head, rest = done[0].cues[:2]
    assert head.text == "Coalition partners meet" and rest.text.startswith("in Paris")
    # the pause between them is the joined one, shorter than a sentence pause
    assert 0 < rest.start_ms - head.end_ms < 300
    heard = decoded(snapshot)
    first, last = _loud_span(heard)
    assert (last - first) * 1000 / 22050 >= head.end_ms - head.start_ms - 60
    assert not np.any(np.abs(heard[last + TEN_MS :].astype(np.int32)) > LOUD)


def test_the_speech_endpoint_cuts_its_first_sentence_as_a_title_is() -> None:
    from article_audio.apps.serve.speech import first_utterance as speech_first

    text = "Officials in Geneva warned on Monday that talks could collapse. Nobody disagreed."
    for voice, cut in (("heart", True), ("joe", False)):
        made = make_script(Source(text, "text", ""), ScriptOptions(voice=voice))
        untitled = dataclasses.replace(made, chapters=made.chapters[1:])
        sentences = speech_first(untitled, voice).sentences
        assert " ".join(s.text for s in sentences).startswith(text.split(". ")[0])
        assert [s.joined for s in sentences][:2] == ([False, True] if cut else [False, False])
        if cut:
            assert sentences[0].text == "Officials in Geneva warned"


def test_a_file_made_to_be_heard_later_reads_the_title_whole() -> None:
    headline = "Coalition partners meet in Paris to discuss giving Ukraine peace plan backing"
    source = Source(f"{headline}\n\nThe story follows.\n", "text", "")
    whole = make_script(source)  # the default voice, a render's default options
    assert whole.sentences[0].text == f"{headline}."
    assert not any(s.joined for s in whole.sentences)


def test_the_service_renders_for_a_listener_who_hears_it_while_it_is_made(tmp_path: Path) -> None:
    from types import SimpleNamespace

    from article_audio.apps.serve.requests import ArticleRequest
    from article_audio.apps.serve.service import Service

    service = SimpleNamespace(options=SimpleNamespace(max_words=100, bitrate_kbps=64, jobs=None))
    request = ArticleRequest("text", "Title\n\nBody.", "heart")
    options = Service._options(service, request, tmp_path)  # type: ignore[arg-type]
    assert options.script.quick_start and options.script.voice == "heart"


class Recording(Executor):
    """Runs nothing until released; records what it was handed, in order."""

    def __init__(self) -> None:
        self.handed: list[str] = []
        self.futures: list[tuple[Future[bytes], Callable[..., bytes], tuple[object, ...]]] = []

    def submit(self, fn, /, *args, **kwargs):  # type: ignore[no-untyped-def]
        future: Future[bytes] = Future()
        self.handed.append(args[1])  # synthesize_entry(profile, text, spoken, model_dir)
        self.futures.append((future, fn, args))
        return future

    def run_all(self) -> None:
        for future, fn, args in self.futures:
            if not future.done():
                future.set_result(fn(*args))


def test_a_quick_starts_head_and_rest_are_each_made_alone(fake_voice: Path, tmp_path: Path) -> None:
    script = _cut_voice(fake_voice, tmp_path)
    profile = load_profile_file(fake_voice)
    executor = Recording()
    stream = SentenceStream(script, profile, SentenceCache(tmp_path / "c1"), executor)
    stream.start()
    assert executor.handed == ["Coalition partners meet"]  # nothing beside the head
    executor.run_all()
    sentences = iter(stream)
    next(sentences)  # the head read: the rest is handed out, alone too
    assert executor.handed[1:] == [script.sentences[1].text]
    executor.run_all()
    next(sentences)  # the rest read: what follows is handed out
    assert executor.handed[2:4] == [s.text for s in script.sentences[2:4]]
    executor.run_all()
    assert len(list(sentences)) == len(script.sentences) - 2
    # the same two sentences without the join: no quick start, both handed out at once
    rest = dataclasses.replace(script.sentences[1], joined=False)
    chapter = script.chapters[0]
    paragraph = dataclasses.replace(chapter.paragraphs[0], sentences=(script.sentences[0], rest))
    plain = dataclasses.replace(
        script, chapters=(dataclasses.replace(chapter, paragraphs=(paragraph,)),)
    )
    executor = Recording()
    SentenceStream(plain, profile, SentenceCache(tmp_path / "c2"), executor).start()
    assert len(executor.handed) == 2
