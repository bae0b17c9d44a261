"""Narrations of synthetic tones rendered through the path real renders take: the sentences are
put in a sentence cache, and :func:`~article_audio.audio.produce.produce` streams them from it
into the encoder (trimmed, laid out, mastered, encoded, tagged)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from pydub.generators import Sine

from article_audio.audio.encode import AudioSettings
from article_audio.audio.jobs import InlineExecutor, sentence_keys
from article_audio.audio.produce import Production, produce
from article_audio.audio.segment import SAMPLE_RATE, AudioSegment
from article_audio.audio.tags import Tags
from article_audio.script import NarrationScript, Paragraph, ScriptChapter, Sentence
from article_audio.store.cache import SentenceCache
from article_audio.voices import VoiceProfile

PROFILE = VoiceProfile(
    name="t",
    engine="fake",
    voice="x",
    sentence_pause_ms=300,
    paragraph_pause_ms=700,
    chapter_pause_ms=1400,
)
TAGS = Tags("A title", "Jane Doe", "The Paper", "2026-01-05", "made in a test")
DEFAULT_SETTINGS = AudioSettings()


def tone(ms: int, padding_ms: int = 0, freq: int = 440, volume: float = -6) -> AudioSegment:
    """A sine ``ms`` long between two silences ``padding_ms`` long (mono, 16-bit)."""
    quiet = AudioSegment.silent(duration=padding_ms, frame_rate=SAMPLE_RATE)
    sound = Sine(freq).to_audio_segment(duration=ms, volume=volume).set_frame_rate(SAMPLE_RATE)
    return (quiet + sound + quiet).set_channels(1).set_sample_width(2)


def script_of(titles: Sequence[str], shape: Sequence[Sequence[Sequence[str]]]) -> NarrationScript:
    """A script whose chapters are titled ``titles`` and hold ``shape``'s paragraphs of
    sentences (each sentence's text is also what is spoken)."""
    chapters = tuple(
        ScriptChapter(title, tuple(Paragraph(tuple(Sentence(t, t) for t in p)) for p in chapter))
        for title, chapter in zip(titles, shape, strict=True)
    )
    return NarrationScript("Title", None, chapters, "t")


def produce_tones(
    script: NarrationScript,
    sentences: Sequence[AudioSegment],
    destination: Path,
    cache_dir: Path,
    settings: AudioSettings = DEFAULT_SETTINGS,
    tags: Tags = TAGS,
) -> Production:
    """Render ``script`` to ``destination`` with ``sentences`` as its sentences' audio."""
    cache = SentenceCache(cache_dir)
    keys = sentence_keys(script, PROFILE)
    for key, audio in zip(keys, sentences, strict=True):
        cache.put(key, audio)
    return produce(script, PROFILE, destination, settings, tags, cache, InlineExecutor(), keys=keys)
