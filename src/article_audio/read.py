"""Read stage: bytes from a file or stdin become a decoded :class:`Source` with a known format."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from .errors import InputError

Format = Literal["text", "markdown"]

_SUFFIX_FORMATS: dict[str, Format] = {
    ".txt": "text",
    ".text": "text",
    ".md": "markdown",
    ".markdown": "markdown",
}

#: Refuse inputs larger than this many bytes before decoding them.
MAX_INPUT_BYTES = 20 * 1024 * 1024


@dataclass(frozen=True)
class Source:
    """Decoded input text, its format and a display name (the path, or ``<stdin>``)."""

    text: str
    format: Format
    name: str


def detect_format(name: str, fmt: str | None = None) -> Format:
    """The format named by ``fmt`` if given, else the one implied by the file suffix."""
    if fmt is not None:
        if fmt not in ("text", "markdown"):
            raise InputError(f"unknown input format {fmt!r} (expected text or markdown)")
        return fmt  # type: ignore[return-value]
    return _SUFFIX_FORMATS.get(Path(name).suffix.lower(), "text")


def decode(data: bytes, name: str) -> str:
    """UTF-8 text from ``data`` (a BOM is tolerated); a clear error for binary or other bytes."""
    if b"\x00" in data[:8192]:
        raise InputError(f"{name}: not a text file (binary data)")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{name}: not valid UTF-8 text (byte {exc.start}); save the article as UTF-8"
        ) from exc
    return text.replace("\r\n", "\n").replace("\r", "\n")


def read_source(path: str | Path, fmt: str | None = None) -> Source:
    """Read ``path`` (or ``-`` for stdin) into a :class:`Source`."""
    name = str(path)
    if name == "-":
        data = sys.stdin.buffer.read(MAX_INPUT_BYTES + 1)
        name = "<stdin>"
    else:
        file = Path(path)
        if not file.exists():
            raise InputError(f"{name}: no such file")
        if file.is_dir():
            raise InputError(f"{name}: is a directory, not an article file")
        try:
            with file.open("rb") as handle:
                data = handle.read(MAX_INPUT_BYTES + 1)
        except OSError as exc:
            raise InputError(f"{name}: cannot read ({exc.strerror})") from exc
    if len(data) > MAX_INPUT_BYTES:
        raise InputError(f"{name}: larger than {MAX_INPUT_BYTES // (1024 * 1024)} MB")
    text = decode(data, name)
    if not text.strip():
        raise InputError(f"{name}: the input is empty")
    return Source(
        text=text, format=detect_format(name if name != "<stdin>" else "", fmt), name=name
    )
