"""Assembly on synthetic tones: exact pauses, cue positions and contiguous chapters."""

from __future__ import annotations

from itertools import pairwise

from pydub.generators import Sine

from article_audio.assemble import LEAD_IN_MS, TAIL_MS, assemble, trim
from article_audio.audio import SAMPLE_RATE, AudioSegment
from article_audio.script import NarrationScript, Paragraph, ScriptChapter, Sentence
from article_audio.synthesize import SpokenSentence
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


def test_trim_removes_engine_silence_but_keeps_a_little() -> None:
    assert abs(len(trim(tone(1000, padding_ms=200))) - 1040) <= 2


def test_pauses_cues_and_chapters_are_exact() -> None:
    script, spoken = script_and_audio()
    narration = assemble(script, spoken, PROFILE)
    starts = [c.start_ms for c in narration.cues]
    # each trimmed sentence lasts 1040 ms (1000 ms of tone, 20 ms kept each side)
    expected = [LEAD_IN_MS]
    for pause in (1400, 300, 700, 1400):
        expected.append(expected[-1] + 1040 + pause)
    assert all(abs(a - b) <= 2 for a, b in zip(starts, expected, strict=True)), (starts, expected)
    assert [c.text for c in narration.cues] == ["intro", "a1", "a2", "b1", "c1"]
    total = expected[-1] + 1040 + TAIL_MS
    assert abs(narration.duration_ms - total) <= 3


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
    assert abs((cues[1].start_ms - marks[1].start_ms) - 700) <= 2


def test_level_is_peak_normalized() -> None:
    script, spoken = script_and_audio()
    assert abs(assemble(script, spoken, PROFILE).audio.max_dBFS - (-1.5)) < 0.1
