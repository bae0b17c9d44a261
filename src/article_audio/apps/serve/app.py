"""The Listen service's HTTP shell (Starlette): parse the request, call :class:`.Service`,
format the answer. Errors are JSON ``{"error": "one line"}`` with a 4xx status; writes need the
bearer token when the service has one (compared in constant time); every GET may come from any
origin (CORS), so the block can be embedded anywhere.
"""

from __future__ import annotations

import functools
import hmac
import json
from collections.abc import Awaitable, Callable
from importlib import resources
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response, StreamingResponse
from starlette.routing import Route

from article_audio.apps.serve.requests import SPEECH_FORMATS, parse_speech
from article_audio.apps.serve.service import AUDIO_NAME, FILES, NotFound, Service
from article_audio.apps.serve.speech import start_speech
from article_audio.apps.serve.store import Job, QueueFull
from article_audio.apps.serve.streaming import growing
from article_audio.audio.assemble import ChapterMark, Cue
from article_audio.errors import ArticleAudioError, InputError
from article_audio.outputs.player import render_player
from article_audio.text.read import MAX_INPUT_BYTES
from article_audio.util import package_version

#: How long a finished file may be reused without asking again (seconds): it changes only when
#: its article is posted again with new content, and then its ETag changes.
CACHE_SECONDS = 300
_STATUS_CODES = {"created": 201, "updated": 202, "unchanged": 200}
Handler = Callable[[Request], Awaitable[Response]]


def _error(status: int, message: str) -> JSONResponse:
    return JSONResponse({"error": " ".join(message.split())}, status_code=status)


def _answer(handler: Handler) -> Handler:
    """Our errors as JSON: not found 404, a full queue 429, other bad input 400, failures 500."""

    @functools.wraps(handler)
    async def wrapper(request: Request) -> Response:
        try:
            return await handler(request)
        except NotFound as exc:
            return _error(404, str(exc))
        except QueueFull as exc:
            return _error(429, str(exc))
        except InputError as exc:
            return _error(400, str(exc))
        except ArticleAudioError as exc:
            return _error(500, str(exc))

    return wrapper


async def _body(request: Request) -> bytes:
    """The request body, refused past the article limit (413) without reading it all."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_INPUT_BYTES:
        raise HTTPException(413, "the body is larger than the article limit")
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_INPUT_BYTES:
            raise HTTPException(413, "the body is larger than the article limit")
        chunks.append(chunk)
    return b"".join(chunks)


def _authorize(request: Request, token: str | None) -> None:
    if token is None:
        return
    given = request.headers.get("authorization", "")
    scheme, _, value = given.partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(value.encode(), token.encode()):
        raise HTTPException(401, "a valid bearer token is needed to write")


def status_document(job: Job) -> dict[str, Any]:
    """What ``GET /v1/articles/{id}`` answers (URLs relative to the server)."""
    base = f"/v1/articles/{job.id}"
    document: dict[str, Any] = {
        "id": job.id,
        "status": job.status,
        "audio_url": f"{base}/audio.mp3",
        "player_url": f"/player/{job.id}",
        "transcript_url": f"{base}/audio.transcript.json",
        "vtt_url": f"{base}/audio.vtt",
        "chapters_url": f"{base}/audio.chapters.json",
        "words_url": f"{base}/audio.words.json",
    }
    if job.status == "rendering":
        document["progress"] = {"done": job.done, "total": job.total}
    if job.status == "failed":
        document["error"] = job.error
    if job.result is not None:
        result = {k: v for k, v in job.result.items() if k != "made_from"}
        document.update(result)
        document["duration_s"] = round(result["duration_ms"] / 1000, 3)
    return document


def build_app(service: Service, token: str | None = None) -> Starlette:
    """The web app over ``service``; ``token``: the bearer token writes need (None: none)."""

    @_answer
    async def health(request: Request) -> Response:
        pending = await run_in_threadpool(service.store.pending)
        body = {"status": "ok", "version": package_version(), "voice": service.voice}
        return JSONResponse({**body, "pending": pending})

    @_answer
    async def openapi(request: Request) -> Response:
        text = resources.files(__package__ or "").joinpath("openapi.json").read_bytes()
        return Response(text, media_type="application/json")

    @_answer
    async def embed_js(request: Request) -> Response:
        text = resources.files("article_audio.outputs").joinpath("embed.js").read_bytes()
        headers = {"Cache-Control": f"public, max-age={CACHE_SECONDS}"}
        return Response(text, media_type="text/javascript; charset=utf-8", headers=headers)

    @_answer
    async def post_article(request: Request) -> Response:
        _authorize(request, token)
        body = await _body(request)
        job, outcome = await run_in_threadpool(service.submit, body)
        return JSONResponse(status_document(job), status_code=_STATUS_CODES[outcome])

    @_answer
    async def get_article(request: Request) -> Response:
        job = await run_in_threadpool(service.job, request.path_params["id"])
        return JSONResponse(status_document(job))

    @_answer
    async def article_file(request: Request) -> Response:
        job_id, name = request.path_params["id"], request.path_params["name"]
        if name not in FILES:
            raise NotFound(f"article {job_id!r} has no {name}")
        job = await run_in_threadpool(service.job, job_id)
        finished = service.folder(job_id) / AUDIO_NAME
        if name == AUDIO_NAME and not finished.is_file() and job.status in ("queued", "rendering"):
            stream = growing(
                service.live_file(job_id),
                lambda: service.rendering(job_id),
                lambda: service.pending(job_id),
                finished,
            )
            headers = {"Cache-Control": "no-store"}
            return StreamingResponse(stream, media_type=FILES[name], headers=headers)
        return _finished(request, service.file(job_id, name), FILES[name])

    @_answer
    async def player(request: Request) -> Response:
        job = await run_in_threadpool(service.job, request.path_params["id"])
        page = await run_in_threadpool(_player_page, service, job)
        return Response(page, media_type="text/html; charset=utf-8")

    @_answer
    async def speech(request: Request) -> Response:
        _authorize(request, token)
        asked = parse_speech(await _body(request), service.voices, service.voice)
        job = await run_in_threadpool(start_speech, service, asked)

        async def stream() -> Any:
            try:
                async for chunk in growing(job.live, job.writing, job.pending, job.output):
                    yield chunk
            finally:
                job.release()

        media = SPEECH_FORMATS[asked.response_format]
        return StreamingResponse(stream(), media_type=media, headers={"Cache-Control": "no-store"})

    async def http_error(request: Request, exc: Exception) -> Response:
        if isinstance(exc, HTTPException):
            return _error(exc.status_code, exc.detail)
        return _error(500, f"internal error ({type(exc).__name__})")

    routes = [
        Route("/healthz", health),
        Route("/openapi.json", openapi),
        Route("/embed.js", embed_js),
        Route("/v1/articles", post_article, methods=["POST"]),
        Route("/v1/articles/{id}", get_article),
        Route("/v1/articles/{id}/{name}", article_file),
        Route("/player/{id}", player),
        Route("/v1/audio/speech", speech, methods=["POST"]),
    ]
    cors = Middleware(
        CORSMiddleware,
        allow_origins=["*"],
        allow_methods=["GET", "HEAD"],
        allow_headers=["Range"],
        expose_headers=["Content-Range", "Content-Length", "Accept-Ranges", "ETag"],
    )
    return Starlette(
        routes=routes,
        middleware=[cors],
        exception_handlers={HTTPException: http_error, Exception: http_error},
    )


def _finished(request: Request, path: Path, media_type: str) -> Response:
    """A finished file with byte ranges, ETag, Last-Modified and Cache-Control (304 when the
    client's copy is current)."""
    headers = {"Cache-Control": f"public, max-age={CACHE_SECONDS}, must-revalidate"}
    try:
        stat = path.stat()
    except FileNotFoundError as exc:  # replaced by a new render this instant
        raise NotFound(f"{path.name} is being replaced; ask again") from exc
    response = FileResponse(path, media_type=media_type, headers=headers, stat_result=stat)
    if request.headers.get("if-none-match") == response.headers["etag"]:
        return Response(status_code=304, headers={**headers, "ETag": response.headers["etag"]})
    return response


def _player_page(service: Service, job: Job) -> str:
    """The stand-alone player page of a finished article."""
    if job.result is None:
        raise NotFound(f"article {job.id!r} is not rendered yet")
    cues_file = service.file(job.id, "audio.transcript.json")
    segments = json.loads(cues_file.read_text(encoding="utf-8"))["segments"]
    cues = [
        Cue(s["body"], round(s["startTime"] * 1000), round(s["endTime"] * 1000)) for s in segments
    ]
    chapters = [ChapterMark(**c) for c in job.result["chapters"]]
    return render_player(
        title=job.result["title"],
        byline=job.result.get("byline"),
        audio_filename=f"../v1/articles/{job.id}/audio.mp3",
        chapters=chapters,
        cues=cues,
        transcript_vtt_filename=f"../v1/articles/{job.id}/audio.vtt",
    )
