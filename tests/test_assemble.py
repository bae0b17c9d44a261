"""Assembly on synthetic tones: exact pauses, cue positions and contiguous chapters, in the layout
and in the audio a render streams into the encoder (a WAV file: lossless, so exact)."""

from __future__ import annotations

from dataclasses import replace
from itertools import pairwise
from pathlib import Path

import pytest

from article_audio.audio.assemble import (
    LEAD_IN_MS,
    TAIL_MS,
    layout,
    ms_to_samples,
    pauses,
    samples_to_ms,
    trim,
)
from article_audio.audio.encode import AudioSettings
from article_audio.audio.segment import SAMPLE_RATE, AudioSegment
from article_audio.script import NarrationScript

from .conftest import decoded
from .tones import PROFILE, produce_tones, script_of, tone


def script_and_audio() -> tuple[NarrationScript, list[AudioSegment]]:
    shape = [[["intro"]], [["a1", "a2"], ["b1"]], [["c1"]]]
    script = script_of([f"chapter {i}" for i in range(len(shape))], shape)
    return script, [tone(1000, padding_ms=200) for _ in script.sentences]


#: Samples of a trimmed 1000 ms tone: 20 ms kept each side, give or take one 10 ms window.
TRIMMED = int(trim(tone(1000, padding_ms=200)).frame_count())


def test_trim_removes_engine_silence_but_keeps_a_little() -> None:
    assert abs(samples_to_ms(TRIMMED) - 1040) <= 10


def test_pauses_cues_and_chapters_are_exact() -> None:
    script, _ = script_and_audio()
    narration = layout(script, PROFILE, [TRIMMED] * 5)
    starts = [c.start_ms for c in narration.cues]
    expected = [ms_to_samples(LEAD_IN_MS)]  # in samples
    for pause in (1400, 300, 700, 1400):
        expected.append(expected[-1] + TRIMMED + ms_to_samples(pause))
    assert starts == [samples_to_ms(s) for s in expected]
    assert [c.text for c in narration.cues] == ["intro", "a1", "a2", "b1", "c1"]
    total = expected[-1] + TRIMMED + ms_to_samples(TAIL_MS)
    assert narration.duration_ms == samples_to_ms(total)


def test_chapters_start_mid_pause_and_cover_the_file() -> None:
    script, _ = script_and_audio()
    narration = layout(script, PROFILE, [TRIMMED] * 5)
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


def test_the_rendered_audio_is_where_the_layout_says(tmp_path: Path) -> None:
    script, sentences = script_and_audio()
    wav = AudioSettings(audio_format="wav")
    made = produce_tones(script, sentences, tmp_path / "out.wav", tmp_path / "cache", wav)
    expected = layout(script, PROFILE, [TRIMMED] * 5)  # trimmed as trim() trims
    assert (made.layout.chapters, made.layout.duration_ms) == (
        expected.chapters,
        expected.duration_ms,
    )
    assert [replace(cue, words=()) for cue in made.layout.cues] == list(expected.cues)
    for cue in made.layout.cues:  # each word (estimated: the tones have no voice) in its cue
        assert [word.text for word in cue.words] == [cue.text]
        assert cue.start_ms <= cue.words[0].start_ms < cue.words[0].end_ms <= cue.end_ms
    assert made.layout.words_estimated
    samples = decoded(tmp_path / "out.wav")
    assert samples_to_ms(len(samples)) == made.layout.duration_ms
    previous_end = 0
    for cue in made.layout.cues:
        start, end = ms_to_samples(cue.start_ms), ms_to_samples(cue.end_ms)
        assert not samples[previous_end:start].any()  # the pause: digital silence
        assert samples[start : start + ms_to_samples(2 * 20)].any()  # 20 ms kept before sound
        assert samples[end - ms_to_samples(60) : end].any()
        previous_end = ms_to_samples(cue.end_ms + 1)
    assert not samples[previous_end:].any()  # the tail
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
