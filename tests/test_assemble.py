"""Assembly on synthetic tones: exact pauses, cue positions and contiguous chapters."""

from __future__ import annotations

from itertools import pairwise

import pytest
from pydub.generators import Sine

from article_audio.audio.assemble import (
    LEAD_IN_MS,
    TAIL_MS,
    assemble,
    layout,
    ms_to_samples,
    pauses,
    samples_to_ms,
    trim,
)
from article_audio.audio.segment import SAMPLE_RATE, AudioSegment
from article_audio.audio.synthesize import SpokenSentence
from article_audio.script import NarrationScript, Paragraph, ScriptChapter, Sentence
from article_audio.voices import VoiceProfile

PROFILE = VoiceProfile(
    name="t",
    engine="fake",
    voice="x",
    sentence_pause_ms=300,
    paragraph_pause_ms=700,
    chapter_pause_ms=1400,
)


def tone(ms: int, padding_ms: int = 0) -> AudioSegment:
    quiet = AudioSegment.silent(duration=padding_ms, frame_rate=SAMPLE_RATE)
    sound = Sine(440).to_audio_segment(duration=ms, volume=-6).set_frame_rate(SAMPLE_RATE)
    return (quiet + sound + quiet).set_channels(1).set_sample_width(2)


def script_and_audio() -> tuple[NarrationScript, list[list[list[SpokenSentence]]]]:
    shape = [[["intro"]], [["a1", "a2"], ["b1"]], [["c1"]]]
    chapters = tuple(
        ScriptChapter(
            f"chapter {i}",
            tuple(Paragraph(tuple(Sentence(t, t) for t in para)) for para in chapter),
        )
        for i, chapter in enumerate(shape)
    )
    script = NarrationScript("Title", None, chapters, "t")
    spoken = [
        [[SpokenSentence(s, tone(1000, padding_ms=200)) for s in p.sentences] for p in c.paragraphs]
        for c in chapters
    ]
    return script, spoken


#: Samples of a trimmed 1000 ms tone: 20 ms kept each side, give or take one 10 ms window.
TRIMMED = int(trim(tone(1000, padding_ms=200)).frame_count())


def test_trim_removes_engine_silence_but_keeps_a_little() -> None:
    assert abs(samples_to_ms(TRIMMED) - 1040) <= 10


def test_pauses_cues_and_chapters_are_exact() -> None:
    script, spoken = script_and_audio()
    narration = assemble(script, spoken, PROFILE)
    starts = [c.start_ms for c in narration.cues]
    expected = [ms_to_samples(LEAD_IN_MS)]  # in samples
    for pause in (1400, 300, 700, 1400):
        expected.append(expected[-1] + TRIMMED + ms_to_samples(pause))
    assert starts == [samples_to_ms(s) for s in expected]
    assert [c.text for c in narration.cues] == ["intro", "a1", "a2", "b1", "c1"]
    total = expected[-1] + TRIMMED + ms_to_samples(TAIL_MS)
    assert narration.duration_ms == samples_to_ms(total)


def test_chapters_start_mid_pause_and_cover_the_file() -> None:
    script, spoken = script_and_audio()
    narration = assemble(script, spoken, PROFILE)
    marks = narration.chapters
    assert [m.title for m in marks] == ["chapter 0", "chapter 1", "chapter 2"]
    assert marks[0].start_ms == 0
    assert marks[-1].end_ms == narration.duration_ms
    for before, after in pairwise(marks):
        assert before.end_ms == after.start_ms
    cues = narration.cues
    # chapter 1 starts halfway through the 1400 ms pause before "a1"
    assert cues[0].end_ms < marks[1].start_ms < cues[1].start_ms
    assert abs((cues[1].start_ms - marks[1].start_ms) - 700) <= 1


def test_layout_needs_no_audio_and_matches_the_assembly() -> None:
    script, spoken = script_and_audio()
    narration = assemble(script, spoken, PROFILE)
    placed = layout(script, PROFILE, [TRIMMED] * 5)
    assert placed.cues == narration.cues
    assert placed.chapters == narration.chapters
    assert placed.duration_ms == narration.duration_ms
    whole_ms = layout(script, PROFILE, [ms_to_samples(1000)] * 5)
    assert [c.start_ms for c in whole_ms.cues] == [300, 2700, 4000, 5700, 8100]
    assert whole_ms.duration_ms == 300 + 5 * 1000 + 1400 + 300 + 700 + 1400 + TAIL_MS


def test_pauses_are_lead_in_chapter_paragraph_and_sentence_pauses() -> None:
    script, _ = script_and_audio()
    assert [samples_to_ms(gap) for gap in pauses(script, PROFILE)] == [300, 1400, 300, 700, 1400]


def test_layout_refuses_lengths_that_do_not_fit_the_script() -> None:
    script, _ = script_and_audio()
    with pytest.raises(ValueError, match="4 sentence lengths for 5 sentences"):
        layout(script, PROFILE, [1, 2, 3, 4])


def test_trim_keeps_silent_audio_whole() -> None:
    silent = AudioSegment.silent(duration=500, frame_rate=SAMPLE_RATE)
    assert len(trim(silent)) == 500
