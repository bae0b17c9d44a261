"""One render loop for the apps that render many articles in a row (batch and feed).

:func:`render_each` goes through the articles in order; an article that fails is recorded with
:func:`error_text` (one line) and the others still render; Ctrl-C stops the loop. Each
article is rendered by a :class:`Renderer`: the same options, workers and progress display
for all of them. :func:`prepare_out_dir` makes the folder they are written to, and
:func:`unique_slug` numbers the names that would clash in it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Executor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from article_audio.apps import render as pipeline
from article_audio.apps.progress import Display, SilentDisplay, showing
from article_audio.apps.render import RenderResult
from article_audio.config import RenderOptions
from article_audio.context import Runtime
from article_audio.errors import ArticleAudioError, InputError
from article_audio.text.read import Source

Outcome = TypeVar("Outcome")
Item = TypeVar("Item")


@dataclass(frozen=True)
class Renderer:
    """Renders one article after another with the same options, on the same workers
    (``executor``; None: each render starts its own), the same progress display and the same
    runtime context (``runtime``; None: each render opens its own)."""

    options: RenderOptions
    executor: Executor | None = None
    display: Display = field(default_factory=SilentDisplay)
    runtime: Runtime | None = None

    def __call__(self, source: Path | Source, output: Path, label: str = "") -> RenderResult:
        """Render ``source`` to ``output``, its progress shown under ``label``."""
        with showing(self.display, label) as callback:
            return pipeline.render(
                source,
                output,
                self.options,
                progress=callback,
                executor=self.executor,
                runtime=self.runtime,
            )


def render_each(
    sources: Sequence[Item],
    render_one: Callable[[int, Item], Outcome],
    failed: Callable[[int, Item, str], Outcome],
    on_outcome: Callable[[Outcome], None] | None = None,
) -> tuple[Outcome, ...]:
    """Every source's outcome, in order: ``render_one(index, source)``, or, if that raises,
    ``failed(index, source, error_text(...))``. ``on_outcome`` is called once per source, when
    it is done (outside the article's failure handling: an error there stops the loop)."""
    outcomes = []
    for index, source in enumerate(sources):
        try:
            outcome = render_one(index, source)
        except Exception as exc:  # one article must not stop the others (KeyboardInterrupt does)
            outcome = failed(index, source, error_text(exc, source))
        outcomes.append(outcome)
        if on_outcome is not None:
            on_outcome(outcome)
    return tuple(outcomes)


def error_text(exc: Exception, source: object) -> str:
    """Why ``source`` failed, on one line, without a leading ``<source>: `` (the report names
    the article); errors that are not ours are named by their type, as the command line does."""
    message = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    message = message.removeprefix(f"{source}: ")
    if not isinstance(exc, ArticleAudioError):
        message = f"unexpected {type(exc).__name__}: {message}".rstrip(": ")
    return message


def prepare_out_dir(out_dir: str | Path, inputs_dir: str | Path | None = None) -> Path:
    """``out_dir``, created if missing (an :class:`InputError` if it cannot be); it must not
    be ``inputs_dir``, the folder the articles are read from."""
    target = Path(out_dir)
    if inputs_dir is not None and Path(inputs_dir).resolve() == target.resolve():
        raise InputError(f"{target}: the output folder must not be the articles folder")
    try:
        target.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(f"{target}: cannot create the output folder ({exc.strerror})") from exc
    return target


def unique_slug(slug: str, taken: Iterable[str]) -> str:
    """``slug``, or ``slug-2``, ``slug-3``... whichever is not ``taken``."""
    used = set(taken)
    candidate, number = slug, 1
    while candidate in used:
        number += 1
        candidate = f"{slug}-{number}"
    return candidate
