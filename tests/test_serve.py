"""The Listen service through real HTTP: ``article-audio serve`` in a subprocess (uvicorn on a
free localhost port), driven by httpx; audio read back with ffprobe. The fast tests use the
silent fake voice; the slow ones Piper's joe, for a render long enough to stream and to kill."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from article_audio.apps.serve.requests import ArticleRequest
from article_audio.apps.serve.store import JobStore, QueueFull
from tests.conftest import ffprobe

ROOT = Path(__file__).resolve().parents[1]
TOKEN = "s3cret-token"
ARTICLE = (
    "Council approves the new bridge\n\n"
    "The city council approved the new bridge on Monday. Work starts in the spring.\n\n"
    "The mayor said the vote was a good day for the river towns. Residents agreed."
)
#: A wait long enough for a loaded 2-core machine, short enough to fail a hung test.
TIMEOUT_S = 90


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


class Server:
    """``article-audio serve`` in a subprocess, on a free localhost port."""

    def __init__(self, data_dir: Path, *args: str) -> None:
        self.data_dir = data_dir
        self.args = args
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> Server:
        env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
        command = [sys.executable, "-m", "article_audio", "serve", "--port", str(self.port)]
        command += ["--data-dir", str(self.data_dir), *self.args]
        self.log = (self.data_dir.parent / f"serve-{self.port}.log").open("wb")
        self.process = subprocess.Popen(command, env=env, stdout=self.log, stderr=self.log)
        deadline = time.monotonic() + TIMEOUT_S
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail(f"the service exited: {self._log_text()}")
            try:
                if httpx.get(f"{self.base}/healthz", timeout=1).status_code == 200:
                    return self
            except httpx.TransportError:
                pass
            time.sleep(0.2)
        pytest.fail(f"the service did not start: {self._log_text()}")

    def _log_text(self) -> str:
        self.log.flush()
        return Path(self.log.name).read_text(errors="replace")[-2000:]

    def kill(self) -> None:
        """kill -9: no clean-up of any kind."""
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()


def wait_for(client: httpx.Client, article_id: str, *statuses: str) -> dict[str, Any]:
    deadline = time.monotonic() + TIMEOUT_S
    while time.monotonic() < deadline:
        document: dict[str, Any] = client.get(f"/v1/articles/{article_id}").json()
        if document["status"] in statuses:
            return document
        time.sleep(0.1)
    pytest.fail(f"{article_id} never reached {statuses}: {document}")


@pytest.fixture(scope="module")
def fake_profile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("voice") / "silent.toml"
    path.write_text(
        'engine = "fake"\nvoice = "silent"\nwords_per_minute = 170\n'
        "sentence_pause_ms = 300\nparagraph_pause_ms = 700\nchapter_pause_ms = 1400\n",
        encoding="utf-8",
    )
    return path


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, fake_profile: Path) -> Iterator[Server]:
    folder = tmp_path_factory.mktemp("serve")
    token = folder / "token"
    token.write_text(TOKEN + "\n", encoding="utf-8")
    running = Server(
        folder / "data", "--voice", str(fake_profile), "--token-file", str(token), "--jobs", "1"
    ).start()
    yield running
    running.stop()


@pytest.fixture
def client(server: Server) -> Iterator[httpx.Client]:
    headers = {"Authorization": f"Bearer {TOKEN}"}
    with httpx.Client(base_url=server.base, headers=headers, timeout=TIMEOUT_S) as made:
        yield made


def post(client: httpx.Client, **body: Any) -> httpx.Response:
    return client.post("/v1/articles", json=body)


# --- the store, directly ------------------------------------------------------------------------


def test_store_queue_order_no_op_update_and_limit(tmp_path: Path) -> None:
    store = JobStore(tmp_path / "jobs.sqlite3")
    one = ArticleRequest("text", "One.", "joe")
    two = ArticleRequest("text", "Two.", "joe")
    assert store.submit("a", one.to_dict(), one.content_hash, limit=2) == "created"
    assert store.submit("b", two.to_dict(), two.content_hash, limit=2) == "created"
    assert store.submit("a", one.to_dict(), one.content_hash, limit=2) == "unchanged"
    with pytest.raises(QueueFull, match="queue is full"):
        store.submit("c", two.to_dict(), two.content_hash, limit=2)
    first = store.next_pending()
    assert first is not None and first.id == "a"
    assert store.start("a", one.content_hash)
    # a process stopped mid-render: the job is queued again, in its place
    assert JobStore(tmp_path / "jobs.sqlite3").interrupted() == ["a"]
    store.finish("a", one.content_hash, {"title": "One"})
    assert store.submit("a", one.to_dict(), one.content_hash, limit=2) == "unchanged"
    assert store.submit("a", two.to_dict(), two.content_hash, limit=2) == "updated"
    done = store.get("a")
    assert done is not None and done.status == "queued" and done.result == {"title": "One"}
    store.finish("a", one.content_hash, {"title": "stale"})  # new content came in: ignored
    assert store.get("a").status == "queued"  # type: ignore[union-attr]


# --- through HTTP, with the fake voice ----------------------------------------------------------


def test_health_openapi_and_json_errors(server: Server, client: httpx.Client) -> None:
    health = client.get("/healthz").json()
    assert health["status"] == "ok"
    spec = client.get("/openapi.json").json()
    assert spec["openapi"].startswith("3.")
    assert {"/v1/articles", "/v1/articles/{id}", "/v1/audio/speech"} <= set(spec["paths"])
    for response, status in [
        (client.get("/v1/articles/nope"), 404),
        (client.get("/nowhere"), 404),
        (client.post("/v1/articles", content=b"{not json"), 400),
        (post(client, text="a", html="<p>b</p>"), 400),
        (post(client, text="   "), 400),
        (post(client, text="Hello.", id="../etc"), 400),
        (post(client, url="file:///etc/passwd"), 400),
        (post(client, text="Hello.", voice="nobody"), 400),
        (post(client, text="Hello.", lexicon=[{"grapheme": "x", "colour": "red"}]), 400),
        (client.post("/v1/articles", content=b"x" * (20 * 1024 * 1024 + 1)), 413),
    ]:
        assert response.status_code == status, response.text
        error = response.json()["error"]
        assert isinstance(error, str) and error and "\n" not in error


def test_writes_need_the_token_reads_do_not(server: Server) -> None:
    with httpx.Client(base_url=server.base, timeout=TIMEOUT_S) as anonymous:
        assert anonymous.post("/v1/articles", json={"text": ARTICLE}).status_code == 401
        wrong = {"Authorization": "Bearer wrong"}
        response = anonymous.post("/v1/articles", json={"text": ARTICLE}, headers=wrong)
        assert response.status_code == 401 and "token" in response.json()["error"]
        speech = anonymous.post("/v1/audio/speech", json={"input": "Hi.", "voice": "alloy"})
        assert speech.status_code == 401
        assert anonymous.get("/healthz").status_code == 200


def test_article_renders_and_its_files_are_served(server: Server, client: httpx.Client) -> None:
    created = post(client, id="bridge", text=ARTICLE)
    assert created.status_code == 201, created.text
    body = created.json()
    assert body["id"] == "bridge" and body["status"] in ("queued", "rendering", "done")
    assert body["audio_url"] == "/v1/articles/bridge/audio.mp3"
    assert body["player_url"] == "/player/bridge"
    done = wait_for(client, "bridge", "done", "failed")
    assert done["status"] == "done", done
    assert done["title"] == "Council approves the new bridge"
    assert done["duration_ms"] > 5000 and done["chapters"][0]["start_ms"] == 0

    vtt = client.get("/v1/articles/bridge/audio.vtt")
    assert vtt.text.startswith("WEBVTT") and "approved the new bridge" in vtt.text
    assert client.get("/v1/articles/bridge/audio.srt").text.startswith("1\n")
    segments = client.get(done["transcript_url"]).json()["segments"]
    assert segments[1]["body"] == "The city council approved the new bridge on Monday."
    assert client.get(done["chapters_url"]).json()["chapters"][0]["startTime"] == 0
    words = client.get(done["words_url"]).json()["segments"]
    assert [w["body"] for w in words[:3]] == ["Council", "approves", "the"]
    assert client.get("/v1/articles/bridge/audio.exe").status_code == 404
    player = client.get("/player/bridge")
    assert player.status_code == 200 and "Council approves the new bridge" in player.text


def test_finished_audio_has_ranges_validators_and_cors(
    server: Server, client: httpx.Client, tmp_path: Path
) -> None:
    post(client, id="ranges", text=ARTICLE)
    done = wait_for(client, "ranges", "done")
    url = done["audio_url"]
    whole = client.get(url, headers={"Origin": "https://news.example"})
    assert whole.status_code == 200
    assert whole.headers["content-type"] == "audio/mpeg"
    assert whole.headers["access-control-allow-origin"] == "*"
    assert whole.headers["accept-ranges"] == "bytes"
    assert "max-age" in whole.headers["cache-control"]
    assert whole.headers["etag"] and whole.headers["last-modified"]
    size = len(whole.content)
    half = size // 2
    first = client.get(url, headers={"Range": f"bytes=0-{half - 1}"})
    rest = client.get(url, headers={"Range": f"bytes={half}-"})
    assert (first.status_code, rest.status_code) == (206, 206)
    assert first.headers["content-range"] == f"bytes 0-{half - 1}/{size}"
    assert first.content + rest.content == whole.content
    joined = tmp_path / "joined.mp3"
    joined.write_bytes(first.content + rest.content)
    probed = ffprobe(joined)
    assert probed["streams"][0]["codec_name"] == "mp3"
    assert float(probed["format"]["duration"]) == pytest.approx(done["duration_s"], abs=0.1)
    cached = client.get(url, headers={"If-None-Match": whole.headers["etag"]})
    assert cached.status_code == 304 and not cached.content


def test_same_content_is_a_no_op_and_new_content_re_renders(
    server: Server, client: httpx.Client
) -> None:
    post(client, id="story", text=ARTICLE)
    first = wait_for(client, "story", "done")
    etag = client.get(first["audio_url"]).headers["etag"]
    again = post(client, id="story", text=ARTICLE)
    assert again.status_code == 200 and again.json()["status"] == "done"
    assert client.get(first["audio_url"]).headers["etag"] == etag
    changed = post(client, id="story", text=ARTICLE + " The bridge opens in 2028.")
    assert changed.status_code == 202
    second = wait_for(client, "story", "done")
    assert second["duration_ms"] > first["duration_ms"]
    assert client.get(first["audio_url"]).headers["etag"] != etag


def test_failed_article_says_why_in_one_line(server: Server, client: httpx.Client) -> None:
    post(client, id="debris", text="Listen to this article\n\nAdvertisement")
    failed = wait_for(client, "debris", "failed", "done")
    assert failed["status"] == "failed"
    assert "no article text" in failed["error"] and "\n" not in failed["error"]


def test_speech_endpoint_with_the_openai_client(server: Server, tmp_path: Path) -> None:
    openai = pytest.importorskip("openai")
    speaker = openai.OpenAI(base_url=f"{server.base}/v1", api_key=TOKEN, max_retries=0)
    for response_format in ("mp3", "wav"):
        out = tmp_path / f"speech.{response_format}"
        with speaker.audio.speech.with_streaming_response.create(
            model="tts-1",
            voice="alloy",
            input="The bridge opens in the spring. Residents are pleased.",
            response_format=response_format,
            speed=1.25,
        ) as streamed:
            streamed.stream_to_file(out)
        probed = ffprobe(out)
        codec = probed["streams"][0]["codec_name"]
        assert codec == ("mp3" if response_format == "mp3" else "pcm_s16le")
        assert float(probed["format"]["duration"]) > 1.0
    with pytest.raises(openai.BadRequestError):
        speaker.audio.speech.create(model="tts-1", voice="alloy", input="Hi.", speed=9)
    assert not any((server.data_dir / "speech").iterdir())  # nothing left behind


# --- with Piper's joe: streaming while rendering, and kill -9 -----------------------------------


def _unique_article(sentences: int) -> str:
    """A text never rendered before (its sentences are not in any cache)."""
    word = uuid.uuid4().hex[:6]
    body = " ".join(
        f"Sentence {n} of the report from the {word} valley describes the long dry summer."
        for n in range(1, sentences + 1)
    )
    return f"Report from the valley\n\n{body}"


@pytest.mark.slow
def test_audio_streams_while_rendering_and_a_killed_job_completes(
    tmp_path: Path, _private_cache: Path
) -> None:
    args = ("--voice", "joe", "--jobs", "2", "--cache-dir", str(_private_cache))
    first = Server(tmp_path / "data", *args).start()
    try:
        with httpx.Client(base_url=first.base, timeout=TIMEOUT_S) as client:
            posted = time.perf_counter()
            post(client, id="live", text=_unique_article(6))
            received = bytearray()
            with client.stream("GET", "/v1/articles/live/audio.mp3") as stream:
                assert "content-length" not in stream.headers  # made as it is sent
                assert stream.headers["cache-control"] == "no-store"
                for chunk in stream.iter_bytes():
                    if not received:
                        first_byte_s = time.perf_counter() - posted
                        still = client.get("/v1/articles/live").json()["status"]
                    received += chunk
            assert still in ("queued", "rendering")  # the first bytes came before the end
            done = wait_for(client, "live", "done")
            streamed = tmp_path / "streamed.mp3"
            streamed.write_bytes(bytes(received))
            duration = float(ffprobe(streamed)["format"]["duration"])
            assert duration == pytest.approx(done["duration_s"], abs=0.2)
            print(f"first audio byte {first_byte_s:.2f} s after the POST")

            post(client, id="killed", text=_unique_article(12))
            wait_for(client, "killed", "rendering")
            first.kill()
    finally:
        first.stop()
    second = Server(tmp_path / "data", *args).start()
    try:
        with httpx.Client(base_url=second.base, timeout=TIMEOUT_S) as client:
            done = wait_for(client, "killed", "done", "failed")
            assert done["status"] == "done", done
            assert done["sentences"] == 13
            audio = tmp_path / "killed.mp3"
            audio.write_bytes(client.get(done["audio_url"]).content)
            duration = float(ffprobe(audio)["format"]["duration"])
            assert duration == pytest.approx(done["duration_s"], abs=0.1)
            assert not (tmp_path / "data" / "articles" / "killed" / "live.mp3").exists()
    finally:
        second.stop()


def test_status_document_is_json_serialisable() -> None:
    from article_audio.apps.serve.app import status_document
    from article_audio.apps.serve.store import Job

    job = Job("a", "rendering", {}, "h", done=2, total=5)
    assert json.loads(json.dumps(status_document(job)))["progress"] == {"done": 2, "total": 5}


def test_the_warm_up_loads_what_a_first_article_needs(monkeypatch: pytest.MonkeyPatch) -> None:
    """The start-up texts take the paths a first article takes before its first audio: Punkt
    for a boundary the rules leave open, and the HTML extraction for a page."""
    from article_audio.apps.render import make_script
    from article_audio.apps.serve.service import WARM_UP_HTML, WARM_UP_TEXT
    from article_audio.config import ScriptOptions
    from article_audio.text import sentences
    from article_audio.text.read import Source

    asked: list[str] = []
    punkt_ends = sentences._punkt_ends

    def spy(segment: str) -> set[int]:
        asked.append(segment)
        return punkt_ends(segment)

    monkeypatch.setattr(sentences, "_punkt_ends", spy)
    options = ScriptOptions(voice="joe")
    make_script(Source(WARM_UP_TEXT, "text", ""), options)
    assert asked, "the warm-up text never needs Punkt"
    page = make_script(Source(WARM_UP_HTML, "html", ""), options)
    assert "Those talks go on in Paris." in [s.text for s in page.sentences]
