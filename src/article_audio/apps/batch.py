"""Rendering many articles with one set of workers and one sentence cache.

:func:`render_batch` renders each input to ``out_dir`` in turn, every article's sentences spread
over the same workers: local ones (``options.jobs`` synthesis threads sharing one loaded Piper
voice, or worker processes for engines that cannot share one; see
:func:`article_audio.audio.jobs.local_executor`), an executor the caller already has, or a Dask
distributed cluster named by its scheduler address (``tcp://host:8786``), whose workers keep
their voice loaded between sentences, articles and batches (see
:func:`article_audio.audio.jobs.engine_for`). Sentences come back to this process and go into the
sentence cache here, so the workers need no shared disk.

An article that fails is reported (:attr:`BatchReport.failed`, one line each) and the others
still render. Output names come from the input file names, made safe (lowercase ASCII letters,
digits and hyphens: no folders, no dots, no device names) and numbered when two inputs would
share one (``story.mp3``, ``story-2.mp3``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Executor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from article_audio.apps import render as pipeline
from article_audio.apps.loop import Renderer, prepare_out_dir, render_each, unique_slug
from article_audio.apps.progress import Display, SilentDisplay
from article_audio.apps.render import RenderResult
from article_audio.audio.jobs import local_executor, warm_up
from article_audio.config import RenderOptions, default_jobs
from article_audio.context import open_runtime
from article_audio.errors import EngineError, InputError
from article_audio.util import slugify
from article_audio.voices import VoiceProfile, load_profile

#: Seconds to wait for a Dask scheduler to answer before giving up.
SCHEDULER_TIMEOUT_S = 20


@dataclass(frozen=True)
class BatchOutcome:
    """One input: where its audio went and what was made, or why it failed."""

    source: Path
    output: Path
    result: RenderResult | None = None
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


@dataclass(frozen=True)
class BatchReport:
    """Every input's outcome, in the order given."""

    outcomes: tuple[BatchOutcome, ...]

    @property
    def rendered(self) -> tuple[BatchOutcome, ...]:
        return tuple(o for o in self.outcomes if o.ok)

    @property
    def failed(self) -> tuple[BatchOutcome, ...]:
        return tuple(o for o in self.outcomes if not o.ok)


OutcomeCallback = Callable[[BatchOutcome], None]


def output_names(inputs: Sequence[str | Path], suffix: str) -> list[str]:
    """A safe, distinct file name per input: ``Été à Montréal!.txt`` → ``ete-a-montreal.mp3``;
    ``a/story.txt`` and ``b/story.md`` → ``story.mp3`` and ``story-2.mp3``."""
    taken: list[str] = []
    for name in inputs:
        taken.append(unique_slug(slugify(Path(name).stem), taken))
    return [f"{slug}.{suffix}" for slug in taken]


def render_batch(
    inputs: Sequence[str | Path],
    out_dir: str | Path,
    options: RenderOptions = pipeline.DEFAULT_RENDER_OPTIONS,
    executor: Executor | str | None = None,
    progress: Display | None = None,
    on_outcome: OutcomeCallback | None = None,
) -> BatchReport:
    """Render every input into ``out_dir`` (created if missing) and report each outcome.

    ``executor``: None for ``options.jobs`` local workers (default: the cores),
    an :class:`~concurrent.futures.Executor` to share (left running), or the address of a Dask
    scheduler (``tcp://host:8786``; needs the ``dask`` extra). ``progress`` shows each
    article's sentences; ``on_outcome`` is called once per input, when it is done.
    Errors that concern the whole batch (unknown voice, unusable ``out_dir``, unreachable
    scheduler) are raised before any article is rendered.
    """
    profile = load_profile(options.script.voice)
    sources = [Path(source) for source in inputs]
    names = output_names(sources, options.audio_format)
    with (
        open_runtime(options.cache_dir, options.use_cache) as runtime,
        _workers(profile, options, executor, runtime.model_dir) as shared,
    ):
        target = prepare_out_dir(out_dir)
        renderer = Renderer(options, shared, progress or SilentDisplay(), runtime)

        def render_one(index: int, source: Path) -> BatchOutcome:
            label = f"[{index + 1}/{len(sources)}] {source.name}"
            result = renderer(source, target / names[index], label)
            return BatchOutcome(source, result.path, result)

        def failed(index: int, source: Path, error: str) -> BatchOutcome:
            return BatchOutcome(source, target / names[index], error=error)

        outcomes = render_each(sources, render_one, failed, on_outcome)
    return BatchReport(outcomes)


@contextmanager
def _workers(
    profile: VoiceProfile,
    options: RenderOptions,
    executor: Executor | str | None,
    model_dir: Path,
) -> Iterator[Executor]:
    """The executor every article of the batch shares; pools made here are shut down here.
    ``model_dir``: the runtime context's model folder, for the workers' engines."""
    if isinstance(executor, Executor):
        yield executor
    elif isinstance(executor, str):
        with dask_executor(executor, profile, model_dir) as remote:
            yield remote
    else:
        with local_executor(profile, options.jobs or default_jobs(), model_dir) as pool:
            yield pool


@contextmanager
def dask_executor(
    address: str, profile: VoiceProfile | None = None, model_dir: Path | None = None
) -> Iterator[Executor]:
    """An executor on the Dask cluster whose scheduler is at ``address``. With ``profile``,
    every worker loads that voice up front (and keeps it: see :func:`~article_audio.audio.jobs.
    engine_for`), so a worker that cannot is an error before any article is rendered."""
    client = _connect(address)
    try:
        if profile is not None:
            _warm_workers(client, profile, address, model_dir)
        yield client.get_executor(pure=False)
    finally:
        client.close()


def _connect(address: str) -> Any:
    try:
        from distributed import Client
    except ImportError as exc:
        raise InputError(
            "--scheduler needs Dask distributed: pip install 'article-audio[dask]'"
        ) from exc
    try:
        return Client(  # type: ignore[no-untyped-call]
            address, timeout=SCHEDULER_TIMEOUT_S, set_as_default=False
        )
    except Exception as exc:
        raise InputError(
            f"cannot connect to the Dask scheduler at {address}: {_first_line(exc)}"
        ) from exc


def _warm_workers(client: Any, profile: VoiceProfile, address: str, model_dir: Path | None) -> None:
    """Wait for a worker, then have every worker load the voice (workers that join later load
    it with their first sentence)."""
    try:
        client.wait_for_workers(1, timeout=SCHEDULER_TIMEOUT_S)
    except Exception as exc:
        raise EngineError(
            f"the Dask cluster at {address} has no workers (waited {SCHEDULER_TIMEOUT_S} s)"
        ) from exc
    try:
        client.run(warm_up, profile, model_dir)
    except Exception as exc:
        raise EngineError(
            f"a Dask worker of {address} cannot load the voice {profile.name!r}: {_first_line(exc)}"
        ) from exc


def _first_line(exc: BaseException) -> str:
    lines = str(exc).strip().splitlines()
    return lines[0] if lines else type(exc).__name__
