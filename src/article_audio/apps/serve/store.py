"""The Listen service's job store: one SQLite database (stdlib ``sqlite3``, write-ahead log) in
the data folder.

A job is one article, known by the publisher's id: what was asked for (the request, kept whole,
so a restarted service can render it again), a hash of that request, where it stands
(``queued``, ``rendering``, ``done``, ``failed``), its progress, and what the finished audio is
(title, length, chapters). The store is also the queue: pending jobs (queued, or rendering
when the process stopped) are taken in the order they were accepted, so a ``kill -9`` loses no
accepted job. Every change is one short transaction, committed before the caller goes on.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from article_audio.errors import InputError

Status = Literal["queued", "rendering", "done", "failed"]
#: What :meth:`JobStore.submit` did with a request.
Outcome = Literal["created", "updated", "unchanged"]
PENDING: tuple[Status, ...] = ("queued", "rendering")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS jobs (
    id TEXT PRIMARY KEY,
    seq INTEGER NOT NULL,
    status TEXT NOT NULL,
    request TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    done INTEGER NOT NULL DEFAULT 0,
    total INTEGER NOT NULL DEFAULT 0,
    result TEXT,
    error TEXT,
    updated REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS jobs_pending ON jobs (status, seq);
"""


class QueueFull(InputError):
    """The queue holds as many pending jobs as it may (the service answers 429)."""


@dataclass(frozen=True)
class Job:
    """One article's row."""

    id: str
    status: Status
    request: dict[str, Any]
    content_hash: str
    done: int = 0
    total: int = 0
    result: dict[str, Any] | None = None
    error: str | None = None
    updated: float = 0.0


class JobStore:
    """The jobs table of the database at ``path`` (created if missing). Safe to share between
    the web server's threads and the render worker: one connection, one lock."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        try:
            self._db = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.executescript(_SCHEMA)
        except sqlite3.Error as exc:
            raise InputError(f"{path}: cannot open the job store ({exc})") from exc

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def _one(self, sql: str, *args: object) -> tuple[Any, ...] | None:
        with self._lock:
            row: tuple[Any, ...] | None = self._db.execute(sql, args).fetchone()
        return row

    def _run(self, sql: str, *args: object) -> int:
        with self._lock:
            return self._db.execute(sql, args).rowcount

    def get(self, job_id: str) -> Job | None:
        row = self._one(
            "SELECT id, status, request, content_hash, done, total, result, error, updated "
            "FROM jobs WHERE id = ?",
            job_id,
        )
        if row is None:
            return None
        return Job(
            id=row[0],
            status=row[1],
            request=json.loads(row[2]),
            content_hash=row[3],
            done=row[4],
            total=row[5],
            result=json.loads(row[6]) if row[6] else None,
            error=row[7],
            updated=row[8],
        )

    def pending(self) -> int:
        """Jobs waiting or being rendered."""
        row = self._one("SELECT COUNT(*) FROM jobs WHERE status IN ('queued', 'rendering')")
        return int(row[0]) if row else 0

    def submit(
        self,
        job_id: str,
        request: dict[str, Any],
        content_hash: str,
        limit: int,
        refetch: bool = False,
    ) -> Outcome:
        """Accept ``request`` for ``job_id``: a new job, or new content for a known one (queued
        again, behind the others); the same content as last time changes nothing (a failed job
        is tried again; with ``refetch``, a URL whose page may have changed, a finished job is
        queued again too). :class:`QueueFull` when ``limit`` jobs are already pending."""
        now = time.time()
        body = json.dumps(request, ensure_ascii=False)
        with self._lock, self._db:
            self._db.execute("BEGIN IMMEDIATE")
            row = self._db.execute(
                "SELECT status, content_hash FROM jobs WHERE id = ?", (job_id,)
            ).fetchone()
            same = row is not None and row[1] == content_hash
            if same and (row[0] in PENDING or (row[0] == "done" and not refetch)):
                return "unchanged"
            waiting = self._db.execute(
                "SELECT COUNT(*) FROM jobs WHERE status IN ('queued', 'rendering')"
            ).fetchone()[0]
            if waiting >= limit and (row is None or row[0] not in PENDING):
                raise QueueFull(f"the queue is full ({limit} articles waiting); try again later")
            seq = self._db.execute("SELECT COALESCE(MAX(seq), 0) + 1 FROM jobs").fetchone()[0]
            self._db.execute(
                "INSERT INTO jobs (id, seq, status, request, content_hash, updated) "
                "VALUES (?, ?, 'queued', ?, ?, ?) ON CONFLICT (id) DO UPDATE SET "
                "seq = excluded.seq, status = 'queued', request = excluded.request, "
                "content_hash = excluded.content_hash, done = 0, total = 0, error = NULL, "
                "updated = excluded.updated",
                (job_id, seq, body, content_hash, now),
            )
        return "created" if row is None else "updated"

    def interrupted(self) -> list[str]:
        """The jobs a stopped process left rendering, queued again (call once at start-up,
        before any render) in their places."""
        with self._lock:
            rows = self._db.execute("SELECT id FROM jobs WHERE status = 'rendering'").fetchall()
            self._db.execute("UPDATE jobs SET status = 'queued' WHERE status = 'rendering'")
        return [row[0] for row in rows]

    def next_pending(self) -> Job | None:
        """The job to render next: the earliest accepted of those queued or interrupted."""
        row = self._one(
            "SELECT id FROM jobs WHERE status IN ('queued', 'rendering') ORDER BY seq LIMIT 1"
        )
        return self.get(row[0]) if row else None

    def start(self, job_id: str, content_hash: str) -> bool:
        """Mark the job rendering (False if its content changed since it was read)."""
        return bool(
            self._run(
                "UPDATE jobs SET status = 'rendering', done = 0, updated = ? "
                "WHERE id = ? AND content_hash = ?",
                time.time(),
                job_id,
                content_hash,
            )
        )

    def progress(self, job_id: str, done: int, total: int) -> None:
        self._run("UPDATE jobs SET done = ?, total = ? WHERE id = ?", done, total, job_id)

    def finish(self, job_id: str, content_hash: str, result: dict[str, Any]) -> None:
        """Mark the job done with ``result``, unless new content came in meanwhile (then it
        stays queued, for the next render)."""
        self._run(
            "UPDATE jobs SET status = 'done', result = ?, error = NULL, done = total, "
            "updated = ? WHERE id = ? AND content_hash = ?",
            json.dumps(result, ensure_ascii=False),
            time.time(),
            job_id,
            content_hash,
        )

    def fail(self, job_id: str, content_hash: str, error: str) -> None:
        """Mark the job failed with its one-line ``error`` (unless new content came in)."""
        self._run(
            "UPDATE jobs SET status = 'failed', error = ?, updated = ? "
            "WHERE id = ? AND content_hash = ?",
            error,
            time.time(),
            job_id,
            content_hash,
        )
