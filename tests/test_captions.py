"""Word-timed outputs: written words aligned to spoken ones, caption-sized cues, words JSON."""

from __future__ import annotations

import json
import re
from itertools import pairwise

from hypothesis import given, settings
from hypothesis import strategies as st

from article_audio.audio.assemble import Cue, Word
from article_audio.audio.segment import silence
from article_audio.audio.words import align, sentence_times, written_tokens
from article_audio.engines.fake import tone
from article_audio.engines.timing import TimedAudio, WordTime, spoken_words
from article_audio.outputs.captions import CAPTION_LINE_CHARS, CAPTION_LINES, captions
from article_audio.outputs.transcript import srt, webvtt, words_json
from article_audio.script import Sentence


def owners(text: str, spoken: str) -> list[tuple[str, str]]:
    """Each spoken word with the written token it was aligned to."""
    tokens = written_tokens(text)
    words = [spoken[s:e] for s, e in spoken_words(spoken)]
    return [(word, tokens[i]) for word, i in zip(words, align(tokens, words), strict=True)]


def test_written_tokens_keep_lone_punctuation_with_a_word() -> None:
    assert written_tokens("— Allies met — in Paris .") == ["— Allies", "met —", "in", "Paris ."]


def test_a_number_read_as_several_words_is_one_written_token() -> None:
    pairs = owners("About 2,400 people came.", "About two thousand four hundred people came.")
    assert pairs == [
        ("About", "About"),
        ("two", "2,400"),
        ("thousand", "2,400"),
        ("four", "2,400"),
        ("hundred", "2,400"),
        ("people", "people"),
        ("came", "came."),
    ]


def test_abbreviations_money_and_ipa_blocks_align_by_position() -> None:
    pairs = owners(
        "Dr. Smith paid $5 in Kyiv, e.g. today.",
        "Doctor Smith paid five dollars in [[ kˈiːjɪv, ]] for example today.",
    )
    assert [token for _, token in pairs] == [
        "Dr.",
        "Smith",
        "paid",
        "$5",
        "$5",
        "in",
        "Kyiv,",
        "e.g.",
        "e.g.",
        "today.",
    ]


def test_sentence_times_place_written_words_in_the_trimmed_audio() -> None:
    sentence = Sentence("It cost $5.", "It cost five dollars.")
    audio = silence(1000)
    words = (
        WordTime(0, 2, 100, 200),
        WordTime(3, 7, 250, 400),
        WordTime(8, 12, 420, 500),
        WordTime(13, 20, 510, 700),
    )
    times = sentence_times(sentence, TimedAudio(audio, words, estimated=False), 50, 650)
    # trimming kept samples 50 to 650: times move back by 50 and stay inside the 600 kept
    assert times.words == (("It", 50, 150), ("cost", 200, 350), ("$5.", 370, 600))
    assert not times.estimated


def word_cue(text: str, start: int = 1000, per_word: int = 300) -> Cue:
    tokens = text.split()
    words = tuple(
        Word(t, start + i * per_word, start + (i + 1) * per_word - 50) for i, t in enumerate(tokens)
    )
    return Cue(text, start, start + len(tokens) * per_word, words)


LONG = (
    "Leaders of the coalition of the willing met in Paris on Tuesday to discuss what military "
    "backing they could give Ukraine should there be a ceasefire, as officials from more than "
    "thirty countries weighed security guarantees; the talks, which lasted six hours, ended late."
)


def assert_caption_sized(lines: list[str]) -> None:
    assert 1 <= len(lines) <= CAPTION_LINES
    assert all(0 < len(line) <= CAPTION_LINE_CHARS for line in lines), lines


def test_a_long_sentence_becomes_captions_of_two_short_lines_cut_at_phrases() -> None:
    cue = word_cue(LONG)
    made = captions([cue])
    assert len(made) > 2
    for caption in made:
        assert_caption_sized(list(caption.lines))
    assert " ".join(" ".join(c.lines) for c in made) == LONG  # nothing lost or changed
    # the captions follow each other without gaps, from the sentence's start to its end
    assert made[0].start_ms == cue.start_ms and made[-1].end_ms == cue.end_ms
    assert all(a.end_ms == b.start_ms for a, b in pairwise(made))
    # cut after the comma and the semicolon, where the reader pauses
    ends = [c.lines[-1] for c in made]
    assert any(line.endswith("ceasefire,") for line in ends)
    assert any(line.endswith("guarantees;") for line in ends)
    # each caption starts when its first word is heard
    counts = [len(" ".join(c.lines).split()) for c in made]
    firsts = [sum(counts[:index]) for index in range(len(made))]
    assert [c.start_ms for c in made[1:]] == [cue.words[i].start_ms for i in firsts[1:]]


def test_a_word_longer_than_a_line_is_cut_into_pieces() -> None:
    link = "https://example.com/" + "a" * 90
    made = captions([word_cue(f"See {link} now.")])
    for caption in made:
        assert_caption_sized(list(caption.lines))
    assert "".join("".join(c.lines) for c in made).replace(" ", "") == f"See{link}now."


def test_a_cue_without_word_times_is_still_captioned_by_its_characters() -> None:
    made = captions([Cue(LONG, 0, 12_000)])
    assert made[0].start_ms == 0 and made[-1].end_ms == 12_000
    assert all(a.start_ms < b.start_ms for a, b in pairwise(made))


def caption_blocks(document: str) -> list[list[str]]:
    """The text lines of every cue of a VTT or SRT document."""
    blocks = re.split(r"\n\n", document.strip())
    return [
        [line for line in block.splitlines()[1:] if "-->" not in line]
        for block in blocks
        if "-->" in block
    ]


def test_vtt_and_srt_cues_are_caption_sized_exactly() -> None:
    cues = [word_cue(LONG), word_cue("Short one.", 40_000)]
    for document in (webvtt(cues), srt(cues)):
        blocks = caption_blocks(document)
        assert len(blocks) == len(captions(cues))
        for lines in blocks:
            assert_caption_sized(lines)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.text(st.characters(codec="utf-8", exclude_categories=["Cc", "Cs", "Z"]), min_size=1),
        min_size=1,
        max_size=40,
    )
)
def test_any_sentence_fits_the_caption_limits(tokens: list[str]) -> None:
    text = " ".join(tokens)
    for caption in captions([word_cue(text)]):
        assert_caption_sized(list(caption.lines))
        assert caption.start_ms <= caption.end_ms


def test_words_json_is_a_podcasting_transcript_of_single_words() -> None:
    cues = [word_cue("Allies met.", 400), word_cue("They agreed.", 2000)]
    document = json.loads(words_json(cues))
    assert document["version"] == "1.0.0" and document["wordTiming"] == "voice"
    assert document["segments"][:2] == [
        {"startTime": 0.4, "endTime": 0.65, "body": "Allies"},
        {"startTime": 0.7, "endTime": 0.95, "body": "met."},
    ]
    assert [s["body"] for s in document["segments"]] == ["Allies", "met.", "They", "agreed."]
    assert json.loads(words_json(cues, estimated=True))["wordTiming"] == "estimated"


def test_estimated_word_times_of_a_fake_voice_stay_in_its_sentence() -> None:
    sentence = Sentence("Allies met in Paris.", "Allies met in Paris.")
    audio = silence(200) + tone(1200) + silence(300)
    times = sentence_times(sentence, TimedAudio(audio, (), estimated=True), 0, len(audio) * 22)
    assert [w[0] for w in times.words] == ["Allies", "met", "in", "Paris."]
    assert times.estimated
