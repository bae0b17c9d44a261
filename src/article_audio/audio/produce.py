"""Production: a narration script becomes a finished audio file, streamed sentence by sentence.

Sentences come in script order from the cache or from the synthesis workers
(:class:`~article_audio.audio.jobs.SentenceStream`); each is trimmed, mastered and piped into the
encoder as soon as it and all before it are ready, so encoding runs while later sentences are
still being synthesized and the narration is never held in memory whole. The layout (chapters,
cues) follows from the trimmed lengths; tags and chapters are written when the audio is done.

Where each sentence's written words are heard is kept in the cache too (a document under
:func:`article_audio.store.keys.times_key`): aligning the written words with the spoken ones
is done once per sentence, not again on every render of an edited article.

Each sentence, once mastered for an encoding pass, is kept in the cache too, under a key made of
its audio's key and everything the mastering takes (:func:`article_audio.store.keys.mastered_key`):
a re-render after an edit masters only the new sentences. The file made from them is decoded
and checked as always (:func:`~article_audio.audio.encode.encode_narration`).

A finished file is also kept in the cache under a key made of everything that decides its
bytes (:func:`article_audio.store.keys.render_key`): rendering an unchanged article again
copies it, with no engine loaded and nothing encoded.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Iterable, Iterator
from concurrent.futures import Executor
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from article_audio.audio.assemble import ChapterMark, Cue, Layout, layout, pauses, tail, trim_bounds
from article_audio.audio.encode import AudioSettings, Piece, encode_narration, finish_audio
from article_audio.audio.jobs import ProgressCallback, SentenceStream
from article_audio.audio.loudness import Measurement, Samples, master_pcm, pcm_to_float
from article_audio.audio.segment import SAMPLE_RATE, SAMPLE_WIDTH
from article_audio.audio.tags import Tags
from article_audio.audio.words import SentenceTimes, sentence_times
from article_audio.engines import TimedAudio
from article_audio.errors import ExportError
from article_audio.script import NarrationScript
from article_audio.store.cache import SentenceCache
from article_audio.store.keys import mastered_key, times_key
from article_audio.util import atomic_path
from article_audio.voices import VoiceProfile


@dataclass(frozen=True)
class Production:
    """What :func:`produce` (or :func:`reuse`) made."""

    layout: Layout
    loudness: Measurement
    synthesized: int = 0
    cached: int = 0
    reused: bool = False
    #: Wall seconds: until the last sentence was ready, and after it (finishing the file).
    timings: dict[str, float] | None = None


def _layout_document(production: Production) -> dict[str, Any]:
    return {
        "chapters": [asdict(c) for c in production.layout.chapters],
        "cues": [asdict(c) for c in production.layout.cues],
        "duration_ms": production.layout.duration_ms,
        "words_estimated": production.layout.words_estimated,
        "loudness": asdict(production.loudness),
    }


def _production_from(document: dict[str, Any]) -> Production:
    placed = Layout(
        tuple(ChapterMark(**c) for c in document["chapters"]),
        tuple(Cue.from_dict(c) for c in document["cues"]),
        int(document["duration_ms"]),
        bool(document["words_estimated"]),
    )
    return Production(placed, Measurement(**document["loudness"]), reused=True)


def reuse(key: str, cache: SentenceCache, destination: Path) -> Production | None:
    """Copy the finished file stored under ``key`` to ``destination``, if there is one."""
    found = cache.get_render(key, destination.suffix.lower())
    if found is None:
        return None
    stored, document = found
    try:
        production = _production_from(document)
    except (KeyError, TypeError, ValueError):
        return None
    with atomic_path(destination) as temporary:
        try:
            shutil.copyfile(stored, temporary)
        except OSError as exc:
            raise ExportError(f"{destination}: cannot write ({exc.strerror})") from exc
    return production


class _Pieces:
    """The narration as pieces for the encoder: the pause before each sentence, the trimmed
    sentence, and the tail. The first pass takes sentences from the stream (and records their
    lengths); a second pass, if loudness needs one, reads them back from the cache."""

    def __init__(self, script: NarrationScript, profile: VoiceProfile, stream: SentenceStream):
        self.gaps = pauses(script, profile)
        self.stream = stream
        self.lengths: list[int] = []
        #: Where each sentence's written words are heard in its trimmed audio (first pass).
        self.timings: list[SentenceTimes] = []
        self.passes = 0

    def __call__(self) -> Iterable[Piece]:
        self.passes += 1
        if self.passes == 1:
            return self._pieces(self._timed(iter(self.stream)))
        return self._pieces(self._from_cache())

    def _timed(self, stream: Iterator[TimedAudio]) -> Iterator[bytes]:
        """The stream's sentence audio; each sentence's word times recorded on the way."""
        cache = self.stream.cache
        for sentence, key, timed in zip(
            self.stream.sentences, self.stream.keys, stream, strict=True
        ):
            pcm: bytes = timed.audio.raw_data
            document = times_key(key, sentence.text)
            times = _times_from(cache.get_document(document))
            if times is None:
                times = sentence_times(sentence, timed, *trim_bounds(pcm))
                cache.put_document(document, {"words": times.words, "estimated": times.estimated})
            self.timings.append(times)
            yield pcm

    def _from_cache(self) -> Iterator[bytes]:
        for key in self.stream.keys:
            audio = self.stream.cache.get(key)
            if audio is None:
                raise ExportError("a sentence left the cache during the render; render again")
            yield audio.raw_data

    def _pieces(self, sentences: Iterable[bytes]) -> Iterator[Piece]:
        """The pause before each sentence is given before its sentence is waited for: the
        encoder has it (and so the end of the sentence before) while the sentence is made, so
        a live copy's listener hears the lead-in and each sentence whole without waiting."""
        record = not self.lengths
        made = iter(sentences)
        for gap in self.gaps:
            yield gap
            pcm = next(made, None)
            if pcm is None:
                raise ExportError("fewer sentences than the script has: render again")
            start, stop = trim_bounds(pcm)
            if record:
                self.lengths.append(stop - start)
            yield pcm_to_float(pcm[start * SAMPLE_WIDTH : stop * SAMPLE_WIDTH])
        if next(made, None) is not None:
            raise ExportError("more sentences than the script has: render again")
        yield tail()


def _times_from(document: dict[str, Any] | None) -> SentenceTimes | None:
    """The word times a cached document holds (None: none, or not as this code writes them)."""
    if document is None:
        return None
    try:
        words = tuple((str(t), int(a), int(b)) for t, a, b in document["words"])
        return SentenceTimes(words, bool(document["estimated"]))
    except (KeyError, TypeError, ValueError):
        return None


@dataclass(frozen=True)
class _CachedMastering:
    """Masters the narration's sentences (a :data:`~article_audio.audio.encode.Master`) through
    the cache: a sentence mastered before with the same audio, target, ceiling and trim is read
    back, any other is mastered and kept."""

    cache: SentenceCache
    #: The cache key of each sentence's audio, in narration order.
    keys: tuple[str, ...]

    def __call__(
        self, index: int, samples: Samples, target: float, ceiling: float, trim: float
    ) -> bytes:
        key = mastered_key(self.keys[index], target, ceiling, trim, SAMPLE_RATE)
        found = self.cache.get_mastered(key, SAMPLE_RATE)
        if found is not None and len(found) == len(samples) * SAMPLE_WIDTH:
            return found
        pcm = master_pcm(samples, target, ceiling, trim)
        self.cache.put_mastered(key, pcm, SAMPLE_RATE)
        return pcm


def produce(
    script: NarrationScript,
    profile: VoiceProfile,
    destination: Path,
    settings: AudioSettings,
    tags: Tags,
    cache: SentenceCache,
    executor: Executor,
    progress: ProgressCallback | None = None,
    keys: tuple[str, ...] | None = None,
    model_dir: Path | None = None,
    live: Path | None = None,
) -> Production:
    """Synthesize what the cache lacks, and stream the narration into ``destination``
    (atomically: a failure leaves no file). Every sentence made is cached as it is made.
    ``keys``: the sentences' cache keys, if the caller has them already; ``model_dir``: the
    runtime context's model folder, for the workers' engines; ``live``: a file the narration
    is also encoded into as it is made, for streaming (see
    :class:`~article_audio.audio.encode.Encoder`)."""
    started = time.perf_counter()
    stream = SentenceStream(script, profile, cache, executor, progress, keys, model_dir)
    pieces = _Pieces(script, profile, stream)
    stream.start()  # synthesis begins while the encoder and loudness meter start up
    try:
        with atomic_path(destination) as temporary:
            mastering = _CachedMastering(cache, stream.keys)
            measured = encode_narration(pieces, temporary, settings, live, mastering)
            placed = layout(script, profile, pieces.lengths, pieces.timings)
            finish_audio(temporary, settings, tags, placed.chapters)
    finally:
        stream.cancel()
    ended = time.perf_counter()
    ready = stream.finished_at or ended
    return Production(
        placed,
        measured,
        synthesized=stream.synthesized,
        cached=stream.cached,
        timings={"synthesize": ready - started, "finish": ended - ready},
    )


def keep(key: str, cache: SentenceCache, destination: Path, production: Production) -> None:
    """Store the finished file in the cache so an unchanged render can reuse it."""
    cache.put_render(key, destination, _layout_document(production))
