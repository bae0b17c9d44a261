"""Assemble stage: sentence audio becomes one narration with pauses, chapters and timed cues.

Sentence audio is trimmed of the engine's own leading and trailing silence so that pauses are
exactly the profile's: a sentence pause inside a paragraph, a longer one between paragraphs and
a longer one still between chapters. Each chapter starts in the middle of the pause before its
first word; chapters cover the whole file with no gaps. Times are integer milliseconds computed
from exact sample positions.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .audio import SAMPLE_RATE, SAMPLE_WIDTH, AudioSegment, detect_leading_silence
from .script import NarrationScript
from .synthesize import SpokenSentence
from .voices import VoiceProfile

#: Silence before the first word and after the last one.
LEAD_IN_MS = 300
TAIL_MS = 800
#: Level below which the engine's edges count as silence, and what is kept of them.
TRIM_THRESHOLD_DBFS = -45.0
TRIM_KEEP_MS = 20
#: Peak level of the assembled narration (the loudness stage refines this).
PEAK_DBFS = -1.5


@dataclass(frozen=True)
class Cue:
    """When one sentence is heard."""

    text: str
    start_ms: int
    end_ms: int


@dataclass(frozen=True)
class ChapterMark:
    title: str
    start_ms: int
    end_ms: int


@dataclass(frozen=True)
class Narration:
    audio: AudioSegment
    chapters: tuple[ChapterMark, ...]
    cues: tuple[Cue, ...]

    @property
    def duration_ms(self) -> int:
        return len(self.audio)


def trim(audio: AudioSegment) -> AudioSegment:
    """``audio`` without the engine's leading and trailing silence (a little is kept)."""
    start = detect_leading_silence(audio, silence_threshold=TRIM_THRESHOLD_DBFS)
    end = detect_leading_silence(audio.reverse(), silence_threshold=TRIM_THRESHOLD_DBFS)
    start = max(0, start - TRIM_KEEP_MS)
    stop = len(audio) - max(0, end - TRIM_KEEP_MS)
    return audio[start:stop] if stop > start else audio


def _ms_to_samples(ms: int) -> int:
    return ms * SAMPLE_RATE // 1000


def _samples_to_ms(samples: int) -> int:
    return samples * 1000 // SAMPLE_RATE


class _Tape:
    """Raw PCM appended piece by piece; joined once at the end (no quadratic concatenation)."""

    def __init__(self) -> None:
        self.pieces: list[bytes] = []
        self.samples = 0

    def silence(self, ms: int) -> None:
        count = _ms_to_samples(ms)
        self.pieces.append(b"\x00" * (count * SAMPLE_WIDTH))
        self.samples += count

    def audio(self, segment: AudioSegment) -> None:
        data = segment.raw_data
        self.pieces.append(data)
        self.samples += len(data) // SAMPLE_WIDTH

    def segment(self) -> AudioSegment:
        return AudioSegment(
            data=b"".join(self.pieces),
            sample_width=SAMPLE_WIDTH,
            frame_rate=SAMPLE_RATE,
            channels=1,
        )


def assemble(
    script: NarrationScript,
    spoken: Sequence[Sequence[Sequence[SpokenSentence]]],
    profile: VoiceProfile,
) -> Narration:
    """One narration from the nested sentence audio of :func:`synthesize_script`."""
    tape = _Tape()
    starts: list[int] = []
    cues: list[Cue] = []
    tape.silence(LEAD_IN_MS)
    for index, chapter in enumerate(spoken):
        if index == 0:
            starts.append(0)
        else:
            starts.append(tape.samples + _ms_to_samples(profile.chapter_pause_ms) // 2)
            tape.silence(profile.chapter_pause_ms)
        for p_index, paragraph in enumerate(chapter):
            if p_index:
                tape.silence(profile.paragraph_pause_ms)
            for s_index, item in enumerate(paragraph):
                if s_index:
                    tape.silence(profile.sentence_pause_ms)
                begin = tape.samples
                tape.audio(trim(item.audio))
                cues.append(
                    Cue(item.sentence.text, _samples_to_ms(begin), _samples_to_ms(tape.samples))
                )
    tape.silence(TAIL_MS)
    audio = _level(tape.segment())
    return Narration(audio, _chapter_marks(script, starts, len(audio)), tuple(cues))


def _chapter_marks(
    script: NarrationScript, starts: Sequence[int], duration_ms: int
) -> tuple[ChapterMark, ...]:
    starts_ms = [_samples_to_ms(s) for s in starts]
    ends_ms = [*starts_ms[1:], duration_ms]
    return tuple(
        ChapterMark(chapter.title, start, end)
        for chapter, start, end in zip(script.chapters, starts_ms, ends_ms, strict=True)
    )


def _level(audio: AudioSegment) -> AudioSegment:
    """Peak-normalize to :data:`PEAK_DBFS` (silence is left alone)."""
    peak = audio.max_dBFS
    if peak == float("-inf"):
        return audio
    return audio.apply_gain(PEAK_DBFS - peak)
