"""The Listen service: an HTTP API that narrates articles on request and streams the audio
while it is made, with the embeddable player block (``/embed.js``).

:func:`serve` runs it: the runtime context opened over the data folder, the voice loaded once
into the synthesis workers, the job store's pending jobs resumed, and uvicorn serving the app
(:mod:`.app`) until it is stopped. Only this package imports the web framework.
"""

from __future__ import annotations

from pathlib import Path

from article_audio.apps.serve.service import Service, ServiceOptions, running
from article_audio.audio.jobs import local_executor
from article_audio.config import default_jobs
from article_audio.context import open_runtime
from article_audio.errors import InputError
from article_audio.voices import load_profile

__all__ = ["ServiceOptions", "read_token", "serve"]

#: Seconds an idle connection is kept open: a player asks for ranges of the same file now and
#: then, and a client that reuses a connection the server has just closed sees an error.
KEEP_ALIVE_S = 30


def read_token(path: str | Path | None) -> str | None:
    """The bearer token in the file at ``path`` (its first line), or None without a file."""
    if path is None:
        return None
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot read the token file ({exc})") from exc
    token = lines[0].strip() if lines else ""
    if not token:
        raise InputError(f"{path}: the token file is empty")
    return token


def serve(
    options: ServiceOptions,
    host: str = "127.0.0.1",
    port: int = 8080,
    token: str | None = None,
) -> None:
    """Run the Listen service on ``host``:``port`` until interrupted."""
    import uvicorn

    from article_audio.apps.serve.app import build_app

    try:
        options.data_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(f"{options.data_dir}: cannot create the data folder ({exc})") from exc
    profile = load_profile(options.voice)
    with (
        open_runtime(options.cache_root) as runtime,
        local_executor(profile, options.jobs or default_jobs(), runtime.model_dir) as executor,
        running(Service(options, runtime, executor)) as service,
    ):
        config = uvicorn.Config(
            build_app(service, token),
            host=host,
            port=port,
            log_level="warning",
            timeout_keep_alive=KEEP_ALIVE_S,
        )
        uvicorn.Server(config).run()
