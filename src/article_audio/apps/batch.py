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
from article_audio.apps.feed import slugify, unique_slug
from article_audio.apps.progress import Display, SilentDisplay, showing
from article_audio.apps.render import RenderResult
from article_audio.audio.jobs import local_executor, warm_up
from article_audio.config import RenderOptions, default_jobs
from article_audio.errors import ArticleAudioError, EngineError, InputError
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
    display = progress or SilentDisplay()
    names = output_names(inputs, options.audio_format)
    outcomes = []
    with _workers(profile, options, executor) as shared:
        target = _prepare_out_dir(out_dir)
        for index, (source, name) in enumerate(zip(inputs, names, strict=True), start=1):
            label = f"[{index}/{len(inputs)}] {Path(source).name}"
            outcome = _render_one(Path(source), target / name, options, shared, display, label)
            outcomes.append(outcome)
            if on_outcome is not None:
                on_outcome(outcome)
    return BatchReport(tuple(outcomes))


def _render_one(
    source: Path,
    output: Path,
    options: RenderOptions,
    executor: Executor,
    display: Display,
    label: str,
) -> BatchOutcome:
    try:
        with showing(display, label) as callback:
            result = pipeline.render(source, output, options, progress=callback, executor=executor)
    except Exception as exc:  # one article must not stop the others (KeyboardInterrupt does)
        return BatchOutcome(source, output, error=_error_text(exc, source))
    return BatchOutcome(source, result.path, result)


def _error_text(exc: Exception, source: Path) -> str:
    """The reason, without a leading ``<source>: `` (the report names the file); errors that
    are not ours are named by their type, as the command line does."""
    message = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    message = message.removeprefix(f"{source}: ")
    if not isinstance(exc, ArticleAudioError):
        message = f"unexpected {type(exc).__name__}: {message}".rstrip(": ")
    return message


def _prepare_out_dir(out_dir: str | Path) -> Path:
    target = Path(out_dir)
    try:
        target.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(f"{target}: cannot create the output folder ({exc.strerror})") from exc
    return target


@contextmanager
def _workers(
    profile: VoiceProfile, options: RenderOptions, executor: Executor | str | None
) -> Iterator[Executor]:
    """The executor every article of the batch shares; pools made here are shut down here."""
    if isinstance(executor, Executor):
        yield executor
    elif isinstance(executor, str):
        with dask_executor(executor, profile) as remote:
            yield remote
    else:
        with local_executor(profile, options.jobs or default_jobs()) as pool:
            yield pool


@contextmanager
def dask_executor(address: str, profile: VoiceProfile | None = None) -> Iterator[Executor]:
    """An executor on the Dask cluster whose scheduler is at ``address``. With ``profile``,
    every worker loads that voice up front (and keeps it: see :func:`~article_audio.audio.jobs.
    engine_for`), so a worker that cannot is an error before any article is rendered."""
    client = _connect(address)
    try:
        if profile is not None:
            _warm_workers(client, profile, address)
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


def _warm_workers(client: Any, profile: VoiceProfile, address: str) -> None:
    """Wait for a worker, then have every worker load the voice (workers that join later load
    it with their first sentence)."""
    try:
        client.wait_for_workers(1, timeout=SCHEDULER_TIMEOUT_S)
    except Exception as exc:
        raise EngineError(
            f"the Dask cluster at {address} has no workers (waited {SCHEDULER_TIMEOUT_S} s)"
        ) from exc
    try:
        client.run(warm_up, profile)
    except Exception as exc:
        raise EngineError(
            f"a Dask worker of {address} cannot load the voice {profile.name!r}: {_first_line(exc)}"
        ) from exc


def _first_line(exc: BaseException) -> str:
    lines = str(exc).strip().splitlines()
    return lines[0] if lines else type(exc).__name__
