"""EPUB read-along books (``-o NAME.epub``, ``--audio-format epub``): a render packed with its text.

The narration is rendered as an MP3 (through the same cache: an unchanged article is copied, not
made again) into a temporary folder beside the book, then packed with the article's text and
word-level Media Overlays by :func:`article_audio.outputs.epub.write_epub`. Sidecars share the
book's stem (``paris.epub`` → ``paris.vtt``); the read-along page is refused, since it needs an
audio file beside it and the book is its own read-along.
"""

from __future__ import annotations

import tempfile
from concurrent.futures import Executor
from dataclasses import replace
from pathlib import Path

from article_audio.apps import render as pipeline
from article_audio.audio.jobs import ProgressCallback
from article_audio.config import RenderOptions, SidecarOptions
from article_audio.context import Runtime
from article_audio.errors import InputError
from article_audio.outputs.epub import write_epub
from article_audio.outputs.sidecars import check_sidecars, write_sidecars
from article_audio.text.read import Source
from article_audio.voices import load_profile

BOOK_SUFFIX = ".epub"


def render_book(
    path: str | Path | Source,
    output: str | Path | None,
    options: RenderOptions,
    progress: ProgressCallback | None = None,
    executor: Executor | None = None,
    *,
    runtime: Runtime | None = None,
) -> pipeline.RenderResult:
    """Render the article at ``path`` to a read-along EPUB (see the module's docstring)."""
    if options.sidecars.html:
        raise InputError("--html: an EPUB is its own read-along; write the page beside an MP3")
    destination = Path(output) if output is not None else None
    if destination is not None:
        pipeline.check_output(destination)
        check_sidecars(destination, options.sidecars)
    folder = destination.parent if destination is not None else Path(".")
    audio_options = replace(options, audio_format="mp3", sidecars=SidecarOptions())
    with tempfile.TemporaryDirectory(prefix=".article-audio-book-", dir=folder) as temporary:
        audio = Path(temporary) / "narration.mp3"
        made = pipeline.render(path, audio, audio_options, progress, executor, runtime=runtime)
        if destination is None:
            destination = pipeline.default_output(path, made.script.title)
            destination = destination.with_suffix(BOOK_SUFFIX)
        language = load_profile(options.script.voice).language
        write_epub(destination, audio, made.script, made.chapters, made.cues, language=language)
    sidecars = write_sidecars(
        destination,
        made,
        options.sidecars,
        title=made.script.title,
        byline=made.script.byline,
        language=language,
    )
    return replace(made, path=destination, sidecars=sidecars)
