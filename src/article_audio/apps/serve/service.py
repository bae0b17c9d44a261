"""The Listen service's work: accepting articles, rendering them one at a time, and telling
where each stands. The web app (:mod:`.app`) is a thin shell over :class:`Service`.

Layout of the data folder::

    DATA_DIR/jobs.sqlite3            the job store (the queue too)
    DATA_DIR/cache/                  the sentence cache and the voice's model files (or --cache-dir)
    DATA_DIR/articles/ID/audio.mp3   the finished audio, and its sidecars beside it
    DATA_DIR/articles/ID/live.mp3    while ID renders for the first time: the audio as it is made

One worker thread renders the pending jobs in the order they were accepted, through the
library's :func:`~article_audio.apps.render.render`, its sentences synthesized by the service's
workers (the voice loaded once, at start-up). New content for an article re-renders it, and the
sentence cache makes that cost only the sentences that changed.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Iterator
from concurrent.futures import Executor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from article_audio.apps.render import RenderResult, make_script, render
from article_audio.apps.serve.requests import ArticleRequest, made_id, parse_article, text_hash
from article_audio.apps.serve.store import PENDING, Job, JobStore, Outcome
from article_audio.audio.encode import encoder_identity
from article_audio.audio.jobs import Progress, synthesize_entry, warm_up
from article_audio.audio.loudness import master_sentence, pcm_to_float
from article_audio.config import (
    DEFAULT_BITRATE_KBPS,
    DEFAULT_LOUDNESS_LUFS,
    DEFAULT_VOICE,
    MAX_WORDS,
    TRANSCRIPT_FORMATS,
    RenderOptions,
    ScriptOptions,
    SidecarOptions,
)
from article_audio.context import Runtime
from article_audio.errors import ArticleAudioError, InputError
from article_audio.store.cache import decode_entry
from article_audio.text.fetch import fetch_page
from article_audio.text.read import Source
from article_audio.voices import list_profiles, load_profile

__all__ = ["FILES", "NotFound", "Service", "ServiceOptions"]

LOG = logging.getLogger("article_audio.serve")
#: The finished audio's name in an article's folder; the sidecars share its stem.
AUDIO_NAME = "audio.mp3"
#: The growing copy of a first render, streamed while it is made.
LIVE_NAME = "live.mp3"
#: The files of an article the service serves, and their media types.
FILES = {
    "audio.mp3": "audio/mpeg",
    "audio.vtt": "text/vtt; charset=utf-8",
    "audio.srt": "application/x-subrip; charset=utf-8",
    "audio.transcript.json": "application/json",
    "audio.chapters.json": "application/json",
    "audio.words.json": "application/json",
}
#: Made into a script and its last sentence said and mastered once at start-up, so the first
#: article finds everything loaded: sentence splitting (the abbreviations, and Punkt for the
#: boundaries the rules leave open, such as "economy. Those"), the voice and the ONNX
#: runtime's first run, the loudness filters. Without Punkt loaded here (then nltk's) the
#: first article's script took 1-2 s longer, all of it before its first audio.
WARM_UP_TEXT = (
    "The service is ready\n\nMr. Smith met Dr. Jones in Washington, D.C., on Jan. 5 at "
    "4:00 p.m. They talked for 2.5 hours about the U.S. economy. Those talks go on in Paris."
    "\n\nThe service is ready."
)
#: The same as a page, made into a script too: the HTML extraction loads its parsers (about
#: 2 s more for the first page otherwise).
WARM_UP_HTML = (
    "<html><head><title>The service is ready</title></head><body><article>"
    + "".join(f"<p>{paragraph}</p>" for paragraph in WARM_UP_TEXT.split("\n\n")[1:])
    + "</article></body></html>"
)


class NotFound(InputError):
    """No such article, or no such file of it (the service answers 404)."""


@dataclass(frozen=True)
class ServiceOptions:
    """How the service runs: its data folder, voice, workers and limits."""

    data_dir: Path
    voice: str = DEFAULT_VOICE
    #: Synthesis workers shared by every render (``--jobs``); None: the cores.
    jobs: int | None = None
    #: Articles waiting or rendering at most; more are refused with 429.
    max_queue: int = 100
    bitrate_kbps: int = DEFAULT_BITRATE_KBPS
    max_words: int = MAX_WORDS
    #: The sentence cache (``--cache-dir``); None: ``cache`` in the data folder.
    cache_dir: Path | None = None

    @property
    def cache_root(self) -> Path:
        return self.cache_dir or self.data_dir / "cache"


class Service:
    """Accepts articles into the store and renders them on one worker thread."""

    def __init__(self, options: ServiceOptions, runtime: Runtime, executor: Executor) -> None:
        self.options = options
        self.runtime = runtime
        self.executor = executor
        self.store = JobStore(options.data_dir / "jobs.sqlite3")
        self.voice = options.voice
        self.voices = tuple(sorted({p.name for p in list_profiles()} | {options.voice}))
        self._wake = threading.Condition()
        self._stopping = False
        self._thread: threading.Thread | None = None

    # --- life cycle -------------------------------------------------------------------------

    def start(self) -> None:
        """Load the voice and what a render needs, resume interrupted jobs, start the worker."""
        self.warm_up()
        for job_id in self.store.interrupted():
            (self.folder(job_id) / LIVE_NAME).unlink(missing_ok=True)
        self._thread = threading.Thread(
            target=self._work, name="article-audio-serve-worker", daemon=True
        )
        self._thread.start()

    def warm_up(self) -> None:
        """Load now what the first render would otherwise wait for (see
        :data:`WARM_UP_TEXT`)."""
        profile = load_profile(self.voice)
        warm_up(profile, self.runtime.model_dir)
        options = ScriptOptions(voice=self.voice)
        make_script(Source(WARM_UP_HTML, "html", ""), options)
        script = make_script(Source(WARM_UP_TEXT, "text", ""), options)
        last = script.sentences[-1]
        entry = self.executor.submit(
            synthesize_entry, profile, last.text, last.spoken, self.runtime.model_dir
        ).result()
        timed = decode_entry(entry)
        if timed is not None:
            master_sentence(pcm_to_float(timed.audio.raw_data), DEFAULT_LOUDNESS_LUFS, -2.0)
        encoder_identity()

    def stop(self) -> None:
        with self._wake:
            self._stopping = True
            self._wake.notify_all()
        if self._thread is not None:
            self._thread.join(timeout=60)
        self.store.close()

    # --- requests ---------------------------------------------------------------------------

    def submit(self, body: bytes) -> tuple[Job, Outcome]:
        """Accept an article (see :func:`~.requests.parse_article`) and wake the worker."""
        given, request = parse_article(body, self.voices, self.voice)
        job_id = given or made_id(request)
        # a URL's page may have changed: it is fetched again, and rendered only if it did
        refetch = request.kind == "url"
        outcome = self.store.submit(
            job_id, request.to_dict(), request.content_hash, self.options.max_queue, refetch
        )
        with self._wake:
            self._wake.notify_all()
        return self.job(job_id), outcome

    def job(self, job_id: str) -> Job:
        job = self.store.get(job_id)
        if job is None:
            raise NotFound(f"no article {job_id!r}")
        return job

    def folder(self, job_id: str) -> Path:
        return self.options.data_dir / "articles" / job_id

    def file(self, job_id: str, name: str) -> Path:
        """The finished file ``name`` of the article (404 if there is none yet)."""
        self.job(job_id)
        path = self.folder(job_id) / name
        if name not in FILES or not path.is_file():
            raise NotFound(f"article {job_id!r} has no {name}")
        return path

    def live_file(self, job_id: str) -> Path:
        return self.folder(job_id) / LIVE_NAME

    def pending(self, job_id: str) -> bool:
        """Whether the article is still waiting or being rendered."""
        job = self.store.get(job_id)
        return job is not None and job.status in PENDING

    def rendering(self, job_id: str) -> bool:
        job = self.store.get(job_id)
        return job is not None and job.status == "rendering"

    # --- the worker -------------------------------------------------------------------------

    def _work(self) -> None:
        while True:
            with self._wake:
                if self._stopping:
                    return
                job = self.store.next_pending()
                if job is None:
                    self._wake.wait(timeout=5)
                    continue
            self._render(job)

    def _render(self, job: Job) -> None:
        folder = self.folder(job.id)
        folder.mkdir(parents=True, exist_ok=True)
        live = folder / LIVE_NAME
        live.unlink(missing_ok=True)  # before the job is marked rendering: never a stale one
        if not self.store.start(job.id, job.content_hash):
            return
        request = ArticleRequest.from_dict(job.request)
        try:
            source = self._source(request)
            made_from = text_hash(f"{request.voice}\0{request.lexicon}\0{source.format}\0")
            made_from = text_hash(made_from + source.text)
            previous = job.result or {}
            if previous.get("made_from") == made_from and (folder / AUDIO_NAME).is_file():
                self.store.finish(job.id, job.content_hash, previous)  # the page is unchanged
                return
            result = render(
                source,
                folder / AUDIO_NAME,
                self._options(request, folder),
                progress=self._progress(job.id),
                executor=self.executor,
                runtime=self.runtime,
                live=live,
            )
            self.store.finish(job.id, job.content_hash, summary(result, made_from))
        except ArticleAudioError as exc:
            self.store.fail(job.id, job.content_hash, one_line(str(exc)))
        except Exception as exc:  # a bug must not stop the worker: the job fails, logged
            LOG.exception("rendering %s failed", job.id)
            self.store.fail(job.id, job.content_hash, f"internal error ({type(exc).__name__})")
        finally:
            live.unlink(missing_ok=True)

    def _source(self, request: ArticleRequest) -> Source:
        if request.kind == "url":
            return fetch_page(request.content)
        return Source(request.content, request.kind, "")  # type: ignore[arg-type]

    def _options(self, request: ArticleRequest, folder: Path) -> RenderOptions:
        lexicons: tuple[str, ...] = ()
        if request.lexicon:
            path = folder / "lexicon.toml"
            path.write_text(request.lexicon, encoding="utf-8")
            lexicons = (str(path),)
        return RenderOptions(
            script=ScriptOptions(
                voice=request.voice,
                lexicons=lexicons,
                max_words=self.options.max_words,
                quick_start=True,  # heard while it is made: a slow voice's title is cut
            ),
            bitrate_kbps=self.options.bitrate_kbps,
            sidecars=SidecarOptions(transcripts=TRANSCRIPT_FORMATS, chapters_json=True),
            jobs=self.options.jobs,
        )

    def _progress(self, job_id: str) -> Any:
        def tell(progress: Progress) -> None:
            self.store.progress(job_id, progress.done, progress.total)

        return tell


def one_line(message: str) -> str:
    """An error message on one line (a text article has no name: no leading ``": "``)."""
    return " ".join(message.split()).removeprefix(": ")


def summary(result: RenderResult, made_from: str) -> dict[str, Any]:
    """What the status of a finished article tells: title, length, chapters."""
    return {
        "title": result.script.title,
        "byline": result.script.byline,
        "duration_ms": result.duration_ms,
        "sentences": len(result.cues),
        "chapters": [
            {"title": c.title, "start_ms": c.start_ms, "end_ms": c.end_ms} for c in result.chapters
        ],
        "made_from": made_from,
    }


@contextlib.contextmanager
def running(service: Service) -> Iterator[Service]:
    """The service started, and stopped when the block ends."""
    service.start()
    try:
        yield service
    finally:
        service.stop()
