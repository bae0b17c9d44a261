"""The runtime context: what a run takes from the machine, resolved once at the edge and
passed down.

The command line (or a library caller's first :func:`~article_audio.apps.render.render`)
opens one :class:`Runtime`: the environment is read there, once; the cache root is chosen
there (``--cache-dir``, else ``$ARTICLE_AUDIO_CACHE_DIR``, else the user cache folder; with
``--no-cache`` a temporary folder removed when the runtime closes); and the engines get their
model folder from it, under the cache root, so nothing is written anywhere else.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from article_audio.audio.jobs import cap_malloc_arenas
from article_audio.audio.segment import ffmpeg_path
from article_audio.config import Environment, default_cache_dir, read_environment
from article_audio.store.cache import MODELS

__all__ = ["Runtime", "cache_root", "open_runtime"]


@dataclass(frozen=True)
class Runtime:
    """The environment read once, and the cache root every store of this run lives under."""

    environment: Environment
    cache_root: Path
    #: False (``--no-cache``): ``cache_root`` is a temporary folder, and nothing is reused.
    use_cache: bool = True

    @property
    def model_dir(self) -> Path:
        """Where engines keep the files they make from a voice (Piper's rewritten model)."""
        return self.cache_root / MODELS

    def ffmpeg(self) -> str:
        """The ffmpeg this run uses (an :class:`~article_audio.errors.ExportError` if none)."""
        return ffmpeg_path(self.environment)


def cache_root(cache_dir: str | Path | None, environment: Environment) -> Path:
    """The cache folder: ``cache_dir`` (``--cache-dir``), else the environment's default."""
    return Path(cache_dir) if cache_dir else default_cache_dir(environment)


@contextmanager
def open_runtime(
    cache_dir: str | Path | None = None,
    use_cache: bool = True,
    environ: Mapping[str, str] | None = None,
) -> Iterator[Runtime]:
    """The runtime of one run (a render, a batch): the environment (``environ``, default the
    process's) read now, and the cache root; with ``use_cache=False`` a temporary cache root,
    removed when the block ends.

    Opening a runtime also caps glibc's malloc arenas (:func:`~article_audio.audio.jobs.
    cap_malloc_arenas`): the one process-wide setting article-audio makes. glibc offers it
    only for the whole process, and without it a long render's synthesis threads leave each
    arena holding its own high-water mark; it is made here, at the edge, once.
    """
    environment = read_environment(environ)
    cap_malloc_arenas()
    if use_cache:
        yield Runtime(environment, cache_root(cache_dir, environment))
        return
    with tempfile.TemporaryDirectory(prefix="article-audio-cache-") as folder:
        yield Runtime(environment, Path(folder), use_cache=False)
