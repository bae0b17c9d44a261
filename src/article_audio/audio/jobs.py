"""Running synthesis: on threads of this process, on a local process pool, or on a Dask cluster.

The unit of work is one sentence: :func:`synthesize_entry` runs in any process, keeps one loaded
engine per voice profile for that process's lifetime (so a worker loads the voice once however
many sentences or articles it is given) and returns a cache entry — checked sample bytes, see
:mod:`article_audio.store.cache` — which travels between processes and machines as plain bytes.
:class:`SentenceStream` hands the sentences a script still needs to an executor, stores what
comes back in the sentence cache as it arrives (so an interrupted render resumes from there) and
yields every sentence's audio in script order. Audio that is already cached is never made again.
"""

from __future__ import annotations

import atexit
import contextlib
import ctypes
import ctypes.util
import functools
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import (
    Executor,
    Future,
    ProcessPoolExecutor,
    ThreadPoolExecutor,
)
from contextlib import contextmanager
from dataclasses import dataclass
from multiprocessing import get_context
from pathlib import Path

from article_audio.audio.synthesize import synthesize_sentence
from article_audio.engines import Engine, TimedAudio, create_engine, shares_threads
from article_audio.errors import ArticleAudioError, EngineError
from article_audio.script import NarrationScript, Sentence
from article_audio.store.cache import SentenceCache, decode_entry, encode_entry
from article_audio.store.keys import sentence_keys
from article_audio.voices import VoiceProfile

#: This process's loaded voices: the one piece of process-wide state here, and by necessity.
#: A worker process (a spawned pool's, a Dask worker) is handed plain, picklable tasks
#: (:func:`synthesize_entry`) and must find its voice loaded between them, so each process
#: keeps its own, loaded once and closed at exit; only :func:`engine_for` and
#: :func:`close_engines` touch it.
_ENGINES: dict[VoiceProfile, Engine] = {}
_LOCK = threading.Lock()


def engine_for(profile: VoiceProfile, model_dir: Path | None = None) -> Engine:
    """This process's engine for ``profile``, loaded on first use with ``model_dir`` (the
    runtime context's model folder, see :func:`~article_audio.engines.create_engine`)."""
    with _LOCK:
        engine = _ENGINES.get(profile)
        if engine is None:
            engine = _ENGINES[profile] = create_engine(profile, model_dir)
        return engine


def close_engines() -> None:
    """Close every engine this process loaded."""
    with _LOCK:
        engines = list(_ENGINES.values())
        _ENGINES.clear()
    for engine in engines:
        engine.close()


atexit.register(close_engines)


def warm_up(profile: VoiceProfile, model_dir: Path | None = None) -> None:
    """Process-pool initializer: load the voice before the first task arrives. A voice that
    cannot load is reported by the first task, with its own message (an initializer that
    raises would only break the pool)."""
    with contextlib.suppress(ArticleAudioError):
        engine_for(profile, model_dir)


def load_in_background(
    profile: VoiceProfile, model_dir: Path | None = None
) -> threading.Thread | None:
    """Start loading ``profile``'s voice on a thread of its own (returned), for the local
    synthesis threads to find loaded (:func:`engine_for`). Only for engines whose voice those
    threads share (:func:`~article_audio.engines.shares_threads`); None for the others.

    A render calls this before it builds the narration script, so the two overlap on two
    cores; a failure to load is left for the first sentence to report."""
    if not shares_threads(profile):
        return None
    loading = threading.Thread(
        target=warm_up, args=(profile, model_dir), name="article-audio-voice-load", daemon=True
    )
    loading.start()
    return loading


def synthesize_entry(
    profile: VoiceProfile, text: str, spoken: str, model_dir: Path | None = None
) -> bytes:
    """Synthesize one sentence (checked, retried once) and return it as a cache entry.

    Memory malloc holds free is handed back first (:func:`_return_free_memory`): a long
    sentence's run sets a render's peak, and what the sentences before it left free in
    malloc's heaps (their buffers, the main thread's mastering) would otherwise count beside
    it (the 451-token sentence after a 352-token one peaked at 992,904 and 994,384 kB instead
    of 1,002,212 and 1,011,104 kB)."""
    engine = engine_for(profile, model_dir)
    _return_free_memory()
    spoken_sentence = synthesize_sentence(engine, Sentence(text=text, spoken=spoken), profile)
    return encode_entry(spoken_sentence.timed)


@dataclass(frozen=True)
class Progress:
    """Sentences done so far (cached ones count as done at once) and audio made."""

    done: int
    total: int
    audio_ms: int


ProgressCallback = Callable[[Progress], None]


class InlineExecutor(Executor):
    """Runs each task at once, in this process: ``--jobs 1`` without a pool."""

    def submit(self, fn, /, *args, **kwargs):  # type: ignore[no-untyped-def]
        future: Future[object] = Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except BaseException as exc:  # handed to the caller through the future
            future.set_exception(exc)
        return future


#: The most malloc arenas glibc keeps (see :func:`cap_malloc_arenas`).
MALLOC_ARENAS = 2


@functools.cache
def cap_malloc_arenas() -> None:
    """Cap glibc's malloc arenas at :data:`MALLOC_ARENAS` before synthesis threads start;
    called once, at the edge, by :func:`article_audio.context.open_runtime`.

    glibc gives each new thread that meets contention an arena of its own (up to 8 per core),
    and memory freed in an arena stays there for that arena's next allocations: over a long
    article, the sentence buffers passed between synthesis threads and the main thread left
    each arena holding its own high-water mark (a 20,000-word render peaked at 523 MB, 476 MB
    with two arenas, at the same speed). This is glibc's documented ``M_ARENA_MAX`` (the
    ``MALLOC_ARENA_MAX`` variable), process-wide; a no-op on other C libraries and systems.
    """
    mallopt = _libc_function("mallopt")
    if mallopt is not None:
        m_arena_max = -8
        mallopt(m_arena_max, MALLOC_ARENAS)


#: Sentences assembled between two :func:`_return_free_memory` calls.
TRIM_EVERY = 16


def _return_free_memory() -> None:
    """Hand memory malloc holds free back to the system (glibc's ``malloc_trim``).

    Sentence audio passes between the synthesis threads and the main thread in buffers of a
    few hundred kB; freed, they leave holes in malloc's heaps that later, differently sized
    buffers cannot always reuse, so a long render's memory crept up by tens of MB. A no-op on
    other C libraries and systems."""
    trim = _libc_function("malloc_trim")
    if trim is not None:
        trim(0)


@functools.cache
def _libc_function(name: str) -> Callable[..., int] | None:
    """glibc's function ``name`` (Linux only), or None where there is no such function."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        function: Callable[..., int] = getattr(libc, name)
    except (OSError, AttributeError):
        return None
    return function


@contextmanager
def local_executor(
    profile: VoiceProfile, jobs: int, model_dir: Path | None = None
) -> Iterator[Executor]:
    """``jobs`` synthesis workers on this machine, each taking one sentence at a time.

    For an engine whose loaded voice serves several threads at once (Piper: onnxruntime runs
    the model with the GIL released), the workers are threads sharing one voice in this
    process: no process start-up, the model's weights in memory once, and assembly and encoding
    run on the main thread meanwhile (so even ``jobs == 1`` is a worker thread). Other engines
    get this process for ``jobs == 1`` and otherwise a pool of ``jobs`` worker processes, each
    loading the voice once; they are spawned (not forked) so they start clean everywhere.
    ``model_dir``: the runtime context's model folder, for the workers' engines.
    """
    if shares_threads(profile):
        pool: Executor = ThreadPoolExecutor(
            max_workers=max(1, jobs),
            thread_name_prefix="article-audio-synthesis",
            initializer=warm_up,
            initargs=(profile, model_dir),
        )
    elif jobs <= 1:
        yield InlineExecutor()
        return
    else:
        pool = ProcessPoolExecutor(
            max_workers=jobs,
            mp_context=get_context("spawn"),
            initializer=warm_up,
            initargs=(profile, model_dir),
        )
    try:
        yield pool
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


#: Sentences handed to the executor ahead of the one being assembled: enough to keep every
#: worker busy, few enough that finished audio waiting its turn stays small in memory.
LOOKAHEAD = 16


class SentenceStream:
    """A script's sentence audio with its word times, in script order, from the cache or made
    by an executor.

    Missing sentences are handed to ``executor`` (at most :data:`LOOKAHEAD` at a time ahead of
    the reader); each one is stored in the cache the moment it is finished, whatever order it
    finishes in, so an interrupted render resumes from everything that was made. Iterating
    yields each sentence's audio as soon as it and all before it are ready, so assembly and
    encoding run while later sentences are still being synthesized.
    """

    def __init__(
        self,
        script: NarrationScript,
        profile: VoiceProfile,
        cache: SentenceCache,
        executor: Executor,
        progress: ProgressCallback | None = None,
        keys: tuple[str, ...] | None = None,
        model_dir: Path | None = None,
    ) -> None:
        self.sentences = script.sentences
        #: One cache key per sentence (:func:`sentence_keys`; pass them if already made).
        self.keys = keys if keys is not None else sentence_keys(script, profile)
        self._sentence = dict(zip(reversed(self.keys), reversed(self.sentences), strict=True))
        self.profile = profile
        self.model_dir = model_dir
        self.cache = cache
        self.executor = executor
        self.progress = progress
        self.missing = [k for k in dict.fromkeys(self.keys) if not cache.contains(k)]
        self.synthesized = 0
        self.finished_at: float | None = None
        self._futures: dict[str, Future[bytes]] = {}
        self._queue = list(reversed(self.missing))
        self._remaining = Counter(self.keys)
        self._held: dict[str, TimedAudio] = {}
        #: A quick start's head and rest (a first sentence cut, its rest joined to it): each
        #: made alone, in turn, with every core.
        quick = len(self.sentences) > 1 and self.sentences[1].joined
        self._alone = frozenset(self.keys[:2]) if quick else frozenset()

    @property
    def cached(self) -> int:
        """Distinct sentences found in the cache when the render started."""
        return len(set(self.keys)) - len(self.missing)

    def start(self) -> None:
        """Hand the first sentences to the executor now, before the reader is ready for them
        (iterating starts them too): they are made while the reader sets itself up."""
        self._top_up()

    def cancel(self) -> None:
        """Take back the sentences handed out and not yet begun (the render stopped)."""
        for future in self._futures.values():
            future.cancel()

    def __iter__(self) -> Iterator[TimedAudio]:
        audio_ms = 0
        try:
            for index, key in enumerate(self.keys):
                self._top_up()
                audio = self._audio(index, key)
                self._top_up()  # what waited for it (a quick start's rest) starts now
                audio_ms += len(audio.audio)
                if self.progress is not None:
                    self.progress(Progress(index + 1, len(self.keys), audio_ms))
                if index % TRIM_EVERY == TRIM_EVERY - 1:
                    _return_free_memory()
                yield audio
        finally:
            self.cancel()
        self.finished_at = time.perf_counter()

    def _top_up(self) -> None:
        """Hand sentences to the executor until :data:`LOOKAHEAD` are on their way; but while
        a quick start's head or rest is being made, nothing else: the head is what a live
        listener waits for, and the rest must be ready before the head has been heard (each
        alone has every core; what follows is handed out as soon as it is read)."""
        while self._queue and len(self._futures) < LOOKAHEAD:
            if not self._alone.isdisjoint(self._futures):
                return
            key = self._queue.pop()
            sentence = self._sentence[key]  # its first occurrence
            future = self.executor.submit(
                synthesize_entry, self.profile, sentence.text, sentence.spoken, self.model_dir
            )
            future.add_done_callback(self._store(key))
            self._futures[key] = future

    def _store(self, key: str) -> Callable[[Future[bytes]], None]:
        def store(future: Future[bytes]) -> None:
            if future.cancelled() or future.exception() is not None:
                return
            audio = decode_entry(future.result())
            if audio is not None:
                self.cache.put(key, audio)

        return store

    def _audio(self, index: int, key: str) -> TimedAudio:
        self._remaining[key] -= 1
        held = self._held.pop(key, None) if not self._remaining[key] else self._held.get(key)
        if held is not None:
            return held
        future = self._futures.pop(key, None)
        if future is None:
            audio = self.cache.get_timed(key)
            if audio is not None:
                return audio
            # evicted or damaged since the render started: make it again, now
            self._queue.append(key)
            self._top_up()
            future = self._futures.pop(key)
        audio = decode_entry(future.result())
        if audio is None:
            raise EngineError(f"a worker returned damaged audio for {self.sentences[index].text!r}")
        if not self.cache.contains(key):  # its worker may still be storing it: never missing
            self.cache.put(key, audio)  # once the stream has yielded it (writes are atomic)
        self.synthesized += 1
        if self._remaining[key]:
            self._held[key] = audio  # said again later (a repeated sentence)
        return audio
