"""One of each small helper the stages share: the TOML reader, the package version, a file's
hash, a file written atomically, and a file name made from a title."""

from __future__ import annotations

import contextlib
import glob
import hashlib
import os
import re
import shutil
import sys
import tempfile
import threading
import unicodedata
from collections.abc import Iterator
from importlib import metadata
from pathlib import Path

from article_audio.errors import ExportError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

__all__ = [
    "atomic_path",
    "copy_atomically",
    "file_sha256",
    "package_version",
    "slugify",
    "tomllib",
    "write_atomically",
]

#: Bytes read at a time when a file is hashed: a long render's MP3 (50 MB and more) is never
#: held in memory whole.
READ_CHUNK = 1 << 20
#: Longest file name :func:`slugify` makes (before any suffix).
MAX_SLUG_CHARS = 60
#: Serialises the set-and-restore reading of the umask where /proc cannot tell it.
_UMASK_LOCK = threading.Lock()
#: Names Windows refuses for files, whatever the extension.
_RESERVED = frozenset(
    {"con", "prn", "aux", "nul"} | {f"{p}{n}" for p in ("com", "lpt") for n in range(1, 10)}
)


def package_version(distribution: str = "article-audio") -> str:
    """The installed version of ``distribution`` (article-audio itself by default);
    ``"unknown"`` when it is not installed (a bare checkout)."""
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return "unknown"


def file_sha256(path: Path) -> str:
    """The SHA-256 of the file at ``path``, read a chunk at a time (OSError if unreadable)."""
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while chunk := stream.read(READ_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def slugify(text: str, max_chars: int = MAX_SLUG_CHARS) -> str:
    """A safe, stable file name from a title or a file stem: lowercase ASCII letters, digits
    and hyphens ("Été à Montréal" → ``ete-a-montreal``), cut at a word to at most
    ``max_chars``, never empty or a reserved device name."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    if len(slug) > max_chars:
        cut = slug[: max_chars + 1]
        slug = cut.rsplit("-", 1)[0] if "-" in cut else slug[:max_chars]
    if not slug:
        return "article-" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:8]
    return f"{slug}-article" if slug in _RESERVED else slug


@contextlib.contextmanager
def atomic_path(destination: Path) -> Iterator[Path]:
    """A temporary path beside ``destination`` that is renamed onto it if the block succeeds
    and removed if it fails, so a reader sees a whole file or none.

    The temporary name carries the process id (``.paris.1234.x8f2.part``), so the leftovers of
    a process that was killed (``kill -9``, a power cut) are recognised and removed by the next
    write to the same destination. The file gets a new file's usual mode. A temporary file that
    cannot be made or renamed is an :class:`ExportError`."""
    folder = destination.parent
    _remove_leftovers(destination)
    try:
        handle, name = tempfile.mkstemp(
            prefix=f".{destination.stem}.{os.getpid()}.", suffix=".part", dir=folder
        )
    except OSError as exc:
        raise ExportError(f"cannot write in {folder}: {exc.strerror}") from exc
    os.close(handle)
    temporary = Path(name)
    try:
        yield temporary
        _place(temporary, destination)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def write_atomically(path: Path, data: bytes, *, durable: bool = True) -> None:
    """``data`` at ``path``, written under a temporary name (flushed to disk when ``durable``),
    then renamed; :class:`ExportError` if it cannot be written (nothing is left behind)."""
    with atomic_path(path) as temporary:
        try:
            with temporary.open("wb") as stream:
                stream.write(data)
                if durable:
                    stream.flush()
                    os.fsync(stream.fileno())
        except OSError as exc:
            raise ExportError(f"{path}: cannot write ({exc.strerror})") from exc


def copy_atomically(source: Path, path: Path) -> None:
    """Copy ``source`` to ``path`` like :func:`write_atomically`, without reading it into
    memory (OSError if ``source`` cannot be read)."""
    with atomic_path(path) as temporary:
        shutil.copyfile(source, temporary)


def _new_file_mode() -> int:
    """The mode a file created now would get: ``0o666`` less the process's umask.

    The umask is read from ``/proc/self/status`` where there is one: setting it to read it
    back (the only portable way) changes it for every thread of the process for a moment, and
    synthesis threads write cache entries at the same time. Elsewhere it is read that way under
    a lock."""
    with contextlib.suppress(OSError, ValueError):
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return 0o666 & ~int(line.split()[1], 8)
    with _UMASK_LOCK:
        mask = os.umask(0o022)
        os.umask(mask)
    return 0o666 & ~mask


def _place(temporary: Path, destination: Path) -> None:
    """Give ``temporary`` a new file's usual mode (mkstemp makes it 0600) and rename it onto
    ``destination``."""
    try:
        os.chmod(temporary, _new_file_mode())
        os.replace(temporary, destination)
    except OSError as exc:
        raise ExportError(f"{destination}: cannot write ({exc.strerror})") from exc


def _remove_leftovers(destination: Path) -> None:
    """Remove temporary files for ``destination`` left by processes that no longer run."""
    prefix = f".{destination.stem}."
    with contextlib.suppress(OSError):
        for path in destination.parent.glob(f"{glob.escape(prefix)}*.part"):
            pid = path.name[len(prefix) :].split(".", 1)[0]
            if pid.isdigit() and not _running(int(pid)):
                path.unlink(missing_ok=True)


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # exists, owned by someone else
    return True
