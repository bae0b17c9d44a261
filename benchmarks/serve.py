"""The Listen service under a stopwatch: time to the first audio byte, time to done, and
requests per second for status and for cached audio under a bounded local load.

    python benchmarks/serve.py [ARTICLE] [--voice joe] [--runs 3] [--jobs N]
                               [--concurrency 200] [--requests 2000] [--first-only]

Each run starts ``article-audio serve`` afresh on a free localhost port with an empty data
folder (so nothing is cached: a first render), POSTs the article and at once GETs its audio,
timing the first byte of the stream, its first speech (the stream past the lead-in's silence),
how long a listener playing from the first speech then waits for audio not yet made (stalls,
over the next 12 s of audio: the rest of a title cut for its first utterance must come before
its head is over) and the moment its status says ``done`` (``--first-only``: all but the
last, then the next run).
Then it POSTs the same article again (a no-op) and the article with one sentence changed (a
re-render of that sentence, the rest from the cache). The last run also sends ``--requests``
status GETs and as many ``Range`` GETs of random 64 kB of the finished MP3, ``--concurrency``
at a time, and prints the requests per second. Medians over the runs; the machine's load
average is printed with them, since a busy machine slows the first render.
"""

from __future__ import annotations

import argparse
import asyncio
import math
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from article_audio.audio.assemble import LEAD_IN_MS
from article_audio.config import DEFAULT_BITRATE_KBPS

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "cbc-coalition-paris.txt"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def start(data_dir: Path, voice: str, jobs: int | None) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    command = [sys.executable, "-m", "article_audio", "serve", "--port", str(port)]
    command += ["--data-dir", str(data_dir), "--voice", voice]
    if jobs:
        command += ["--jobs", str(jobs)]
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    for _ in range(600):
        try:
            if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                return process, base
        except httpx.TransportError:
            time.sleep(0.2)
    process.kill()
    raise SystemExit("the service did not start")


def wait_done(client: httpx.Client, article_id: str) -> None:
    while (status := client.get(f"/v1/articles/{article_id}").json()["status"]) != "done":
        if status == "failed":
            raise SystemExit(f"{article_id} failed")
        time.sleep(0.05)


#: Bytes a second of the live MP3, at the service's constant bitrate.
BYTES_PER_S = DEFAULT_BITRATE_KBPS * 1000 / 8
#: Bytes of the live MP3 before its first speech: the lead-in's silence and 0.1 s more (the
#: encoder's delay and one frame).
SPEECH_AFTER_BYTES = round((LEAD_IN_MS / 1000 + 0.1) * BYTES_PER_S)
#: Seconds of audio a listener is followed for, from its first speech, for stalls.
FOLLOWED_S = 12.0


def first_render(client: httpx.Client, text: str, wait: bool = True) -> tuple[float, ...]:
    """Seconds from the POST to the first audio byte, to the first speech (the stream past
    :data:`SPEECH_AFTER_BYTES`), and to ``done`` (NaN without ``wait``); and how long a
    listener who starts playing at the first speech waits, in all, for audio not yet there
    over the next :data:`FOLLOWED_S` seconds of audio (its stalls)."""
    posted = time.perf_counter()
    client.post("/v1/articles", json={"id": "bench", "text": text}).raise_for_status()
    first = speech = float("nan")
    received, stalled = 0, 0.0
    with client.stream("GET", "/v1/articles/bench/audio.mp3") as stream:
        for chunk in stream.iter_raw():
            now = time.perf_counter() - posted
            if not received:
                first = now
            if received > SPEECH_AFTER_BYTES:  # playing since the first speech, less stalls
                heard = received / BYTES_PER_S - (LEAD_IN_MS / 1000 + 0.1)
                stalled = max(stalled, now - speech - heard)
            received += len(chunk)
            if received > SPEECH_AFTER_BYTES and math.isnan(speech):
                speech = now
            if received / BYTES_PER_S > FOLLOWED_S + LEAD_IN_MS / 1000 + 0.1:
                break
    if not wait:
        return first, speech, float("nan"), stalled
    wait_done(client, "bench")
    return first, speech, time.perf_counter() - posted, stalled


def updates(client: httpx.Client, text: str) -> tuple[float, float]:
    """Seconds for the same content again (a no-op) and for one sentence changed."""
    started = time.perf_counter()
    same = client.post("/v1/articles", json={"id": "bench", "text": text})
    assert same.status_code == 200, same.text
    no_op = time.perf_counter() - started
    changed = text.replace("will meet on Tuesday", "will meet on Wednesday", 1)
    assert changed != text, "the article has no sentence this benchmark knows how to change"
    started = time.perf_counter()
    client.post("/v1/articles", json={"id": "bench", "text": changed}).raise_for_status()
    wait_done(client, "bench")
    return no_op, time.perf_counter() - started


async def load(base: str, path: str, total: int, concurrency: int, ranged: bool) -> float:
    """Requests per second for ``total`` GETs of ``path``, ``concurrency`` at a time."""
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=60) as client:
        size = int((await client.head(path)).headers.get("content-length", 0)) if ranged else 0
        gate = asyncio.Semaphore(concurrency)

        async def one() -> None:
            headers = {}
            if ranged:
                start = random.randrange(0, max(1, size - 65536))
                headers["Range"] = f"bytes={start}-{start + 65535}"
            async with gate:
                response = await client.get(path, headers=headers)
                assert response.status_code == (206 if ranged else 200), response.status_code

        started = time.perf_counter()
        await asyncio.gather(*(one() for _ in range(total)))
        return total / (time.perf_counter() - started)


def one_run(args: argparse.Namespace, text: str, last: bool) -> dict[str, float]:
    """One fresh service: its first render's times, then (unless ``--first-only``) the
    updates and, on the ``last`` run, the request rates."""
    with tempfile.TemporaryDirectory(prefix="article-audio-bench-") as folder:
        process, base = start(Path(folder) / "data", args.voice, args.jobs)
        try:
            with httpx.Client(base_url=base, timeout=600) as client:
                first, speech, done, stalled = first_render(client, text, wait=not args.first_only)
                figures = {"first": first, "speech": speech, "done": done, "stalled": stalled}
                if not args.first_only:
                    figures["no_op"], figures["rerender"] = updates(client, text)
                if last and not args.first_only:
                    n, c = args.requests, args.concurrency
                    status = asyncio.run(load(base, "/v1/articles/bench", n, c, False))
                    ranged = asyncio.run(load(base, "/v1/articles/bench/audio.mp3", n, c, True))
                    print(
                        f"status GETs: {status:.0f}/s; 64 kB Range GETs: {ranged:.0f}/s "
                        f"({n} requests, {c} at a time)"
                    )
                return figures
        finally:
            process.terminate()
            process.wait(timeout=30)


def line(figures: dict[str, float]) -> str:
    text = f"first audio byte {figures['first']:.2f} s, first speech {figures['speech']:.2f} s"
    text += f", stalled {figures['stalled']:.2f} s in the next {FOLLOWED_S:.0f} s"
    if "no_op" in figures:
        text += (
            f", done {figures['done']:.1f} s, same again {figures['no_op'] * 1000:.0f} ms, "
            f"one sentence changed {figures['rerender']:.1f} s"
        )
    return text


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("article", nargs="?", type=Path, default=EXAMPLE)
    parser.add_argument("--voice", default="joe")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=None)
    parser.add_argument("--concurrency", type=int, default=200)
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument(
        "--first-only", action="store_true", help="only the first audio byte and speech"
    )
    args = parser.parse_args()
    text = args.article.read_text(encoding="utf-8")
    runs = []
    for run in range(args.runs):
        runs.append(one_run(args, text, run == args.runs - 1))
        load_now = os.getloadavg()[0]
        print(f"run {run + 1}: {line(runs[-1])} (load average {load_now:.1f})", flush=True)
    median = {key: statistics.median(r[key] for r in runs) for key in runs[0]}
    print(f"median of {args.runs}: {line(median)}")


if __name__ == "__main__":
    main()
