"""Assemble stage: sentence audio becomes one narration with pauses, chapters and timed cues.

Sentence audio is trimmed of the engine's own leading and trailing silence so that pauses are
exactly the profile's: a sentence pause inside a paragraph, a longer one between paragraphs and
a longer one still between chapters. Each chapter starts in the middle of the pause before its
first word; chapters cover the whole file with no gaps.

The layout depends only on the script and the length of each trimmed sentence, so it is worked
out without holding any audio (:func:`pauses`, :func:`layout`): the render
(:func:`article_audio.audio.produce.produce`) streams sentences from the cache straight into the
encoder, and long narrations never sit in memory whole.
Positions are counted in samples; times are integer milliseconds computed from them (a cue
starts at the first sample of its trimmed sentence, which keeps :data:`TRIM_KEEP_MS` before the
first sound). Loudness is set as the narration is encoded (:mod:`article_audio.audio.encode`).
Word times are placed the same way: a word's sample positions in its sentence's audio, less
what trimming removed, plus the sentence's position (:func:`layout`), then milliseconds.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from article_audio.audio.segment import SAMPLE_RATE, SAMPLE_WIDTH, AudioSegment
from article_audio.audio.words import SentenceTimes
from article_audio.script import NarrationScript
from article_audio.voices import VoiceProfile

#: Silence before the first word and after the last one.
LEAD_IN_MS = 300
TAIL_MS = 800
#: Level below which the engine's edges count as silence (RMS of 10 ms windows), and what is
#: kept of them.
TRIM_THRESHOLD_DBFS = -45.0
TRIM_WINDOW_MS = 10
TRIM_KEEP_MS = 20
#: The pause before a sentence joined to the one before it, as a share of the sentence pause.
JOINED_PAUSE_SHARE = 0.5


@dataclass(frozen=True)
class Word:
    """When one written word of a sentence is heard (a token of
    :func:`article_audio.audio.words.written_tokens`, punctuation included)."""

    text: str
    start_ms: int
    end_ms: int


@dataclass(frozen=True)
class Cue:
    """When one sentence is heard, and each of its written words (empty when not known)."""

    text: str
    start_ms: int
    end_ms: int
    words: tuple[Word, ...] = ()

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Cue:
        """The cue :func:`dataclasses.asdict` made ``data`` of."""
        words = tuple(Word(**word) for word in data.get("words", ()))
        return cls(data["text"], int(data["start_ms"]), int(data["end_ms"]), words)


@dataclass(frozen=True)
class ChapterMark:
    title: str
    start_ms: int
    end_ms: int


@dataclass(frozen=True)
class Layout:
    """Where everything is in the narration: chapters, one cue per sentence, total length."""

    chapters: tuple[ChapterMark, ...]
    cues: tuple[Cue, ...]
    duration_ms: int
    #: The word times are estimates (the voice gave none for some sentence).
    words_estimated: bool = False


def ms_to_samples(ms: int) -> int:
    return ms * SAMPLE_RATE // 1000


def samples_to_ms(samples: int) -> int:
    return samples * 1000 // SAMPLE_RATE


def _silent_lead(samples: NDArray[np.float64]) -> int | None:
    """Samples before the first 10 ms window louder than the threshold (None: all silent)."""
    window = ms_to_samples(TRIM_WINDOW_MS)
    count = len(samples) // window
    rms = np.sqrt(np.square(samples[: count * window]).reshape(count, window).mean(axis=1))
    loud = np.flatnonzero(rms > 10 ** (TRIM_THRESHOLD_DBFS / 20))
    return int(loud[0]) * window if loud.size else None


def trim_bounds(pcm: bytes) -> tuple[int, int]:
    """First and last-plus-one sample of 16-bit mono ``pcm`` worth keeping: the engine's
    leading and trailing silence removed, :data:`TRIM_KEEP_MS` of it kept each side."""
    samples = np.frombuffer(pcm, dtype="<i2").astype(np.float64) / 32768.0
    lead = _silent_lead(samples)
    trail = _silent_lead(samples[::-1])
    if lead is None or trail is None:
        return 0, len(samples)
    keep = ms_to_samples(TRIM_KEEP_MS)
    return max(0, lead - keep), len(samples) - max(0, trail - keep)


def trim(audio: AudioSegment) -> AudioSegment:
    """``audio`` (mono, 16-bit) without the engine's leading and trailing silence."""
    start, stop = trim_bounds(audio.raw_data)
    data = audio.raw_data[start * SAMPLE_WIDTH : stop * SAMPLE_WIDTH]
    return AudioSegment(
        data=data, sample_width=SAMPLE_WIDTH, frame_rate=audio.frame_rate, channels=1
    )


def pauses(script: NarrationScript, profile: VoiceProfile) -> tuple[int, ...]:
    """The silence (samples) before each sentence of ``script``, in order: the lead-in, then a
    chapter, paragraph or sentence pause, or a phrase's before a sentence joined to the one
    before it (:data:`JOINED_PAUSE_SHARE` of the sentence pause)."""
    gaps: list[int] = []
    for c_index, chapter in enumerate(script.chapters):
        for p_index, paragraph in enumerate(chapter.paragraphs):
            for s_index, sentence in enumerate(paragraph.sentences):
                if not gaps:
                    ms = LEAD_IN_MS
                elif p_index == 0 and s_index == 0 and c_index:
                    ms = profile.chapter_pause_ms
                elif s_index == 0:
                    ms = profile.paragraph_pause_ms
                elif sentence.joined:
                    ms = round(profile.sentence_pause_ms * JOINED_PAUSE_SHARE)
                else:
                    ms = profile.sentence_pause_ms
                gaps.append(ms_to_samples(ms))
    return tuple(gaps)


def tail() -> int:
    """Silence after the last sentence (samples)."""
    return ms_to_samples(TAIL_MS)


def layout(
    script: NarrationScript,
    profile: VoiceProfile,
    lengths: Sequence[int],
    timings: Sequence[SentenceTimes] | None = None,
) -> Layout:
    """Chapters and cues of ``script`` whose trimmed sentences are ``lengths`` samples long;
    with ``timings`` (one per sentence, samples of its trimmed audio), each cue's words too."""
    sentences = script.sentences
    if len(lengths) != len(sentences) or (timings is not None and len(timings) != len(lengths)):
        raise ValueError(f"{len(lengths)} sentence lengths for {len(sentences)} sentences")
    times = list(timings) if timings is not None else [SentenceTimes((), False)] * len(lengths)
    position = 0
    cues: list[Cue] = []
    starts: list[int] = []
    gaps = pauses(script, profile)
    firsts = _chapter_firsts(script)
    placed = zip(sentences, gaps, lengths, times, strict=True)
    for index, (sentence, gap, length, timing) in enumerate(placed):
        if index in firsts:
            starts.append(0 if not starts else position + gap // 2)
        position += gap
        words = tuple(
            Word(text, samples_to_ms(position + start), samples_to_ms(position + end))
            for text, start, end in timing.words
        )
        start_ms, end_ms = samples_to_ms(position), samples_to_ms(position + length)
        cues.append(Cue(sentence.text, start_ms, end_ms, words))
        position += length
    total = samples_to_ms(position + tail())
    estimated = any(timing.estimated for timing in times)
    return Layout(_chapter_marks(script, starts, total), tuple(cues), total, estimated)


def _chapter_firsts(script: NarrationScript) -> set[int]:
    """Index (in script order) of each chapter's first sentence."""
    firsts: set[int] = set()
    index = 0
    for chapter in script.chapters:
        firsts.add(index)
        index += len(chapter.sentences)
    return firsts


def _chapter_marks(
    script: NarrationScript, starts: Sequence[int], duration_ms: int
) -> tuple[ChapterMark, ...]:
    starts_ms = [samples_to_ms(s) for s in starts]
    ends_ms = [*starts_ms[1:], duration_ms]
    return tuple(
        ChapterMark(chapter.title, start, end)
        for chapter, start, end in zip(script.chapters, starts_ms, ends_ms, strict=True)
    )
