"""The sentence cache: synthesized audio stored content-addressed, on disk.

A sentence's key is a hash of everything that changes its sound: the exact spoken string and the
voice's identity (engine, engine and model versions, voice, rate, noise seed, ...; see
:mod:`article_audio.store.keys`). Re-rendering an unchanged article therefore
synthesizes nothing, and editing one sentence (or one lexicon entry) re-synthesizes only the
sentences whose spoken string changed. An interrupted render resumes from what was cached.

Entries are written to a temporary file and renamed, so a reader sees a whole entry or none. Each
entry carries a SHA-256 of its samples and word times; an entry that fails the check is deleted
and made again, never played.

A sentence is kept with its words' times (:class:`~article_audio.engines.timing.TimedAudio`),
so a render from the cache has word times too. Entries of the first format (audio alone) are
never read: :data:`article_audio.store.keys.CACHE_FORMAT` 2 keys every sentence anew.

A sentence mastered for an encoding pass is kept too (:meth:`SentenceCache.get_mastered`, in
its own folder, in the same checked format, under
:func:`article_audio.store.keys.mastered_key`), so a re-render masters only the sentences
that changed.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import struct
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from article_audio.audio.segment import AudioSegment
from article_audio.engines.timing import TimedAudio, WordTime
from article_audio.errors import ExportError
from article_audio.util import copy_atomically, file_sha256, write_atomically

_MAGIC = b"AACACHE2"
#: magic, SHA-256 of the samples and word times, sample rate, sample width, channels, sample
#: bytes, words, whether their times are estimated; then the samples, then the words.
_HEADER = struct.Struct(">8s32sIBBQI?")
#: One word: its character span in the spoken string, its first and last-plus-one sample.
_WORD = struct.Struct(">IIQQ")
_SUFFIX = ".pcm"
#: Mastered sentences (16-bit mono PCM, same entry format) live in this sub-folder.
_MASTERED = "mastered"
#: Whole renders (audio file + metadata JSON) live in this sub-folder.
_RENDERS = "renders"
#: Narration scripts (JSON, see :func:`article_audio.apps.render.make_script`) live in this one.
_SCRIPTS = "scripts"
#: Files engines make from a voice and keep (Piper's rewritten model) live in this one: the
#: runtime context hands it to the engines as their model folder.
MODELS = "voices"
#: What a cache write that fails may raise: a disk error, or the atomic writer's own
#: :class:`ExportError` (a temporary file that cannot be made or renamed).
_WRITE_ERRORS = (OSError, ExportError)


@dataclass(frozen=True)
class CacheInfo:
    path: Path
    entries: int
    bytes: int


def encode_entry(entry: AudioSegment | TimedAudio) -> bytes:
    """An entry's bytes: a checked header, the raw samples and the words' times (audio given
    alone is kept with no word times)."""
    timed = entry if isinstance(entry, TimedAudio) else TimedAudio(entry, (), estimated=True)
    audio = timed.audio
    data: bytes = audio.raw_data
    words = b"".join(_WORD.pack(w.start_char, w.end_char, w.start, w.end) for w in timed.words)
    header = _HEADER.pack(
        _MAGIC,
        hashlib.sha256(data + words).digest(),
        audio.frame_rate,
        audio.sample_width,
        audio.channels,
        len(data),
        len(timed.words),
        timed.estimated,
    )
    return header + data + words


def decode_entry(blob: bytes) -> TimedAudio | None:
    """The audio and word times in an entry, or None if the entry is damaged in any way."""
    if len(blob) < _HEADER.size:
        return None
    magic, digest, rate, width, channels, length, count, estimated = _HEADER.unpack_from(blob)
    body = blob[_HEADER.size :]
    if magic != _MAGIC or length + count * _WORD.size != len(body):
        return None
    if hashlib.sha256(body).digest() != digest:
        return None
    if rate <= 0 or width not in (1, 2, 4) or channels < 1 or length % (width * channels):
        return None
    words = tuple(
        WordTime(*_WORD.unpack_from(body, length + index * _WORD.size)) for index in range(count)
    )
    audio = AudioSegment(data=body[:length], sample_width=width, frame_rate=rate, channels=channels)
    return TimedAudio(audio, words, bool(estimated))


class SentenceCache:
    """Sentence audio under ``root``, one file per key (``root/ab/abcdef….pcm``)."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def path(self, key: str) -> Path:
        return self.root / key[:2] / f"{key}{_SUFFIX}"

    def contains(self, key: str) -> bool:
        """Whether an entry exists for ``key`` (checked only when it is read)."""
        return self.path(key).is_file()

    def get(self, key: str) -> AudioSegment | None:
        """The cached audio for ``key``; a damaged entry is removed and counts as a miss."""
        entry = self.get_timed(key)
        return None if entry is None else entry.audio

    def get_timed(self, key: str) -> TimedAudio | None:
        """The cached audio for ``key`` with its words' times; a damaged entry is removed and
        counts as a miss."""
        return _read_entry(self.path(key))

    def put(self, key: str, audio: AudioSegment | TimedAudio) -> None:
        """Store ``audio`` (with its word times, if given) under ``key`` atomically. A full or
        read-only disk only costs the cache entry, never the render."""
        _write_entry(self.path(key), audio)

    def _mastered_path(self, key: str) -> Path:
        return self.root / _MASTERED / key[:2] / f"{key}{_SUFFIX}"

    def get_mastered(self, key: str, rate: int) -> bytes | None:
        """The mastered sentence under ``key``: mono 16-bit PCM at ``rate`` Hz, or None. A
        damaged entry (or one of another shape) is removed and counts as a miss."""
        path = self._mastered_path(key)
        entry = _read_entry(path)
        if entry is None:
            return None
        audio = entry.audio
        if (audio.frame_rate, audio.sample_width, audio.channels) != (rate, 2, 1):
            path.unlink(missing_ok=True)
            return None
        pcm: bytes = audio.raw_data
        return pcm

    def put_mastered(self, key: str, pcm: bytes, rate: int) -> None:
        """Keep the mastered sentence ``pcm`` (mono 16-bit at ``rate`` Hz) under ``key``; like
        :meth:`put`, a full or read-only disk only costs the entry."""
        audio = AudioSegment(data=pcm, sample_width=2, frame_rate=rate, channels=1)
        _write_entry(self._mastered_path(key), audio)

    @property
    def models(self) -> Path:
        """The folder engines keep the files they make from a voice in (the runtime
        context's model folder): counted and pruned with the rest of the cache."""
        return self.root / MODELS

    def entries(self) -> Iterator[Path]:
        """Every sentence entry, every whole-render audio file, every narration script and
        every model file an engine made."""
        if self.root.is_dir():
            yield from self.root.glob(f"??/*{_SUFFIX}")
            yield from self.root.glob(f"{_MASTERED}/??/*{_SUFFIX}")
            yield from self.root.glob(f"{_SCRIPTS}/??/[!.]*.json")
            yield from (path for path in self.models.glob("[!.]*") if path.is_file())
            yield from (
                path
                for path in self.root.glob(f"{_RENDERS}/??/*")
                if path.suffix != ".json" and not path.name.startswith(".")
            )

    def _render_path(self, key: str, suffix: str) -> Path:
        return self.root / _RENDERS / key[:2] / f"{key}{suffix}"

    def get_render(self, key: str, suffix: str) -> tuple[Path, dict[str, Any]] | None:
        """A whole render stored under ``key``: its audio file (``suffix``: ``.mp3``…) and its
        metadata, or None. A damaged render (checksum mismatch) is removed and counts as a miss."""
        audio = self._render_path(key, suffix)
        try:
            meta = json.loads(audio.with_suffix(".json").read_text(encoding="utf-8"))
            digest = file_sha256(audio)
        except (OSError, ValueError):
            return None
        if not isinstance(meta, dict) or meta.get("sha256") != digest:
            _remove_render(audio)
            return None
        with contextlib.suppress(OSError):
            os.utime(audio)
        return audio, meta

    def _document_path(self, key: str) -> Path:
        return self.root / _SCRIPTS / key[:2] / f"{key}.json"

    def get_document(self, key: str) -> dict[str, Any] | None:
        """The JSON document stored under ``key`` (a narration script), or None; a damaged one
        (checksum mismatch, not JSON) is removed and counts as a miss."""
        path = self._document_path(key)
        try:
            stored = json.loads(path.read_text(encoding="utf-8"))
            body = stored["body"]
            intact = stored["sha256"] == hashlib.sha256(_canonical(body)).hexdigest()
        except (OSError, ValueError, KeyError, TypeError):
            intact, body = False, None
        if not intact or not isinstance(body, dict):
            with contextlib.suppress(OSError):
                path.unlink()
            return None
        with contextlib.suppress(OSError):
            os.utime(path)
        return body

    def put_document(self, key: str, body: Mapping[str, Any]) -> None:
        """Keep the JSON document ``body`` under ``key``; a full or read-only disk only costs
        the cache entry."""
        path = self._document_path(key)
        data = {"sha256": hashlib.sha256(_canonical(body)).hexdigest(), "body": body}
        with contextlib.suppress(*_WRITE_ERRORS):
            path.parent.mkdir(parents=True, exist_ok=True)
            payload = json.dumps(data, ensure_ascii=False).encode("utf-8")
            write_atomically(path, payload, durable=False)

    def put_render(self, key: str, source: Path, meta: Mapping[str, Any]) -> None:
        """Keep a copy of the finished file ``source`` and its metadata under ``key``. Like
        :meth:`put`, a full or read-only disk only costs the cache entry."""
        audio = self._render_path(key, source.suffix)
        try:
            audio.parent.mkdir(parents=True, exist_ok=True)
            document = {**meta, "sha256": file_sha256(source)}
            copy_atomically(source, audio)
            payload = json.dumps(document).encode("utf-8")
            write_atomically(audio.with_suffix(".json"), payload, durable=False)
        except _WRITE_ERRORS:
            _remove_render(audio)

    def info(self) -> CacheInfo:
        sizes = [p.stat().st_size for p in self.entries()]
        return CacheInfo(self.root, len(sizes), sum(sizes))

    def prune(self, max_bytes: int) -> int:
        """Remove least recently used entries until the cache holds at most ``max_bytes``;
        returns how many were removed. Stray temporary files are removed too."""
        strays = ("??/", f"{_MASTERED}/??/", f"{_RENDERS}/??/", f"{_SCRIPTS}/??/", f"{MODELS}/")
        for pattern in (f"{folder}.*.part" for folder in strays):
            for stray in self.root.glob(pattern) if self.root.is_dir() else ():
                stray.unlink(missing_ok=True)
        files = sorted(
            ((p.stat().st_mtime, p.stat().st_size, p) for p in self.entries()),
            key=lambda item: item[0],
        )
        total = sum(size for _, size, _ in files)
        removed = 0
        for _, size, path in files:
            if total <= max_bytes:
                break
            if path.parent.parent.name == _RENDERS:
                _remove_render(path)
            else:
                path.unlink(missing_ok=True)
            total -= size
            removed += 1
        return removed


def _read_entry(path: Path) -> TimedAudio | None:
    """The entry at ``path``; a damaged one is removed and counts as a miss."""
    try:
        blob = path.read_bytes()
    except OSError:
        return None
    audio = decode_entry(blob)
    if audio is None:
        path.unlink(missing_ok=True)
        return None
    with contextlib.suppress(OSError):
        os.utime(path)  # recently used: pruned last
    return audio


def _write_entry(path: Path, audio: AudioSegment | TimedAudio) -> None:
    """``audio`` at ``path``, atomically; a full or read-only disk only costs the entry."""
    with contextlib.suppress(*_WRITE_ERRORS):
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(path, encode_entry(audio), durable=False)


def _canonical(body: Any) -> bytes:
    return json.dumps(body, sort_keys=True, ensure_ascii=False).encode("utf-8")


def _remove_render(audio: Path) -> None:
    """Remove a render's audio file and its metadata."""
    for path in (audio.with_suffix(".json"), audio):
        with contextlib.suppress(OSError):
            path.unlink()
