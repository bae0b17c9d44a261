"""The sentence cache: synthesized audio stored content-addressed, on disk.

A sentence's key is a hash of everything that changes its sound: the exact spoken string and the
voice's identity (engine, engine and model versions, voice, rate, noise seed, ...; see
:func:`article_audio.engines.voice_identity`). Re-rendering an unchanged article therefore
synthesizes nothing, and editing one sentence (or one lexicon entry) re-synthesizes only the
sentences whose spoken string changed. An interrupted render resumes from what was cached.

Entries are written to a temporary file and renamed, so a reader sees a whole entry or none. Each
entry carries a SHA-256 of its samples; an entry that fails the check is deleted and made again,
never played.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import struct
import tempfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from article_audio.audio.segment import AudioSegment

#: Bump when the meaning of a key or the audio an engine wrapper produces changes.
CACHE_FORMAT = 1
_MAGIC = b"AACACHE1"
#: magic, SHA-256 of the samples, sample rate, sample width, channels, sample bytes.
_HEADER = struct.Struct(">8s32sIBBQ")
_SUFFIX = ".pcm"
#: Whole renders (audio file + metadata JSON) live in this sub-folder.
_RENDERS = "renders"
#: Narration scripts (JSON, see :func:`article_audio.apps.render.make_script`) live in this one.
_SCRIPTS = "scripts"


@dataclass(frozen=True)
class CacheInfo:
    path: Path
    entries: int
    bytes: int


def sentence_key(spoken: str, identity: Mapping[str, str]) -> str:
    """The cache key (hex SHA-256) of ``spoken`` said by the voice ``identity`` describes."""
    payload = json.dumps(
        {"format": CACHE_FORMAT, "spoken": spoken, "voice": dict(identity)},
        sort_keys=True,
        ensure_ascii=False,
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def encode_entry(audio: AudioSegment) -> bytes:
    """An entry's bytes: a checked header followed by the raw samples."""
    data: bytes = audio.raw_data
    header = _HEADER.pack(
        _MAGIC,
        hashlib.sha256(data).digest(),
        audio.frame_rate,
        audio.sample_width,
        audio.channels,
        len(data),
    )
    return header + data


def decode_entry(blob: bytes) -> AudioSegment | None:
    """The audio in an entry, or None if the entry is damaged in any way."""
    if len(blob) < _HEADER.size:
        return None
    magic, digest, rate, width, channels, length = _HEADER.unpack_from(blob)
    data = blob[_HEADER.size :]
    if magic != _MAGIC or length != len(data) or hashlib.sha256(data).digest() != digest:
        return None
    if rate <= 0 or width not in (1, 2, 4) or channels < 1 or length % (width * channels):
        return None
    return AudioSegment(data=data, sample_width=width, frame_rate=rate, channels=channels)


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
        path = self.path(key)
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

    def put(self, key: str, audio: AudioSegment) -> None:
        """Store ``audio`` under ``key`` atomically. A full or read-only disk only costs the
        cache entry, never the render."""
        path = self.path(key)
        with contextlib.suppress(OSError):
            path.parent.mkdir(parents=True, exist_ok=True)
            write_file(path, encode_entry(audio))

    def entries(self) -> Iterator[Path]:
        """Every sentence entry, every whole-render audio file and every narration script."""
        if self.root.is_dir():
            yield from self.root.glob(f"??/*{_SUFFIX}")
            yield from self.root.glob(f"{_SCRIPTS}/??/[!.]*.json")
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
        with contextlib.suppress(OSError):
            path.parent.mkdir(parents=True, exist_ok=True)
            write_file(path, json.dumps(data, ensure_ascii=False).encode("utf-8"))

    def put_render(self, key: str, source: Path, meta: Mapping[str, Any]) -> None:
        """Keep a copy of the finished file ``source`` and its metadata under ``key``. Like
        :meth:`put`, a full or read-only disk only costs the cache entry."""
        audio = self._render_path(key, source.suffix)
        try:
            audio.parent.mkdir(parents=True, exist_ok=True)
            document = {**meta, "sha256": file_sha256(source)}
            copy_file(source, audio)
            write_file(audio.with_suffix(".json"), json.dumps(document).encode("utf-8"))
        except OSError:
            _remove_render(audio)

    def info(self) -> CacheInfo:
        sizes = [p.stat().st_size for p in self.entries()]
        return CacheInfo(self.root, len(sizes), sum(sizes))

    def prune(self, max_bytes: int) -> int:
        """Remove least recently used entries until the cache holds at most ``max_bytes``;
        returns how many were removed. Stray temporary files are removed too."""
        for pattern in ("??/.*.part", f"{_RENDERS}/??/.*.part", f"{_SCRIPTS}/??/.*.part"):
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


def _canonical(body: Any) -> bytes:
    return json.dumps(body, sort_keys=True, ensure_ascii=False).encode("utf-8")


@contextlib.contextmanager
def _replacing(path: Path) -> Iterator[Path]:
    """A temporary path beside ``path``, renamed onto it when the block ends without error;
    on an error it is removed (nothing left behind) and the error goes on."""
    handle, name = tempfile.mkstemp(prefix=".", suffix=".part", dir=path.parent)
    os.close(handle)
    temporary = Path(name)
    try:
        yield temporary
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def write_file(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` under a temporary name and rename it (OSError on failure,
    with nothing left behind): a reader sees a whole file or none."""
    with _replacing(path) as temporary:
        temporary.write_bytes(data)


#: Bytes read at a time when a file is hashed: a long render's MP3 (50 MB and more) is never
#: held in memory whole.
READ_CHUNK = 1 << 20


def file_sha256(path: Path) -> str:
    """The SHA-256 of the file at ``path``, read a chunk at a time (OSError if unreadable)."""
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while chunk := stream.read(READ_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def copy_file(source: Path, path: Path) -> None:
    """Copy ``source`` to ``path`` like :func:`write_file`, without reading it into memory."""
    with _replacing(path) as temporary:
        shutil.copyfile(source, temporary)


def _remove_render(audio: Path) -> None:
    """Remove a render's audio file and its metadata."""
    for path in (audio.with_suffix(".json"), audio):
        with contextlib.suppress(OSError):
            path.unlink()
