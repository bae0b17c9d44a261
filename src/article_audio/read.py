"""Read stage: bytes from a file or stdin become a decoded :class:`Source` with a known format.

Text and Markdown must be UTF-8. HTML is decoded the way a browser would: a byte-order mark,
else the charset the server declared, else the page's own ``<meta charset>``, else detection.
"""

from __future__ import annotations

import codecs
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from charset_normalizer import from_bytes

from .errors import InputError

Format = Literal["text", "markdown", "html"]
FORMATS: tuple[Format, ...] = ("text", "markdown", "html")

_SUFFIX_FORMATS: dict[str, Format] = {
    ".txt": "text",
    ".text": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
}
#: Text that starts like this (after whitespace and a BOM) is an HTML page.
_HTML_START = re.compile(rb"\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html[\s>])", re.I | re.S)
#: Where a page declares its charset: ``<meta charset=…>`` or ``http-equiv`` content-type.
_META_CHARSET = re.compile(rb"<meta\b[^>]*?charset\s*=\s*[\"']?\s*([A-Za-z0-9_.:-]+)", re.I)
_XML_ENCODING = re.compile(rb"<\?xml\b[^>]*?encoding\s*=\s*[\"']([A-Za-z0-9_.:-]+)", re.I)
#: Bytes searched for a ``<meta>`` charset (the HTML standard says 1024; real pages go further).
META_SCAN_BYTES = 16 * 1024
_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
#: The last code point of the Latin Extended-B block.
_LAST_LATIN = 0x24F
#: Labels browsers treat as windows-1252 (the HTML standard's encoding table).
_WINDOWS_1252 = {"iso-8859-1", "iso8859-1", "latin-1", "latin1", "l1", "ascii", "us-ascii"}

#: Refuse inputs larger than this many bytes before decoding them.
MAX_INPUT_BYTES = 20 * 1024 * 1024


@dataclass(frozen=True)
class Source:
    """Decoded input text, its format and a display name (the path, or ``<stdin>``)."""

    text: str
    format: Format
    name: str


def detect_format(name: str, fmt: str | None = None, data: bytes = b"") -> Format:
    """The format named by ``fmt`` if given, else the one implied by the file suffix.

    Without either (stdin, or an unknown suffix), ``data`` that starts like an HTML page is
    HTML; anything else is text.
    """
    if fmt is not None:
        for named in FORMATS:
            if fmt == named:
                return named
        raise InputError(f"unknown input format {fmt!r} (expected {', '.join(FORMATS)})")
    known = _SUFFIX_FORMATS.get(Path(name).suffix.lower())
    if known is not None:
        return known
    return "html" if _HTML_START.match(data.removeprefix(codecs.BOM_UTF8)[:4096]) else "text"


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


def decode_html(data: bytes, name: str, declared: str | None = None) -> str:
    """An HTML page's text from ``data``.

    A byte-order mark wins; then valid UTF-8 is UTF-8 (whatever the page claims); then the
    charset ``declared`` by the server, the page's ``<meta>`` or XML declaration, and finally
    charset detection. Undecodable bytes become U+FFFD rather than an error: pages that
    declare one charset and contain a few bytes of another are common.
    """
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return data.decode(codec, errors="replace")
    if b"\x00" in data[:8192]:
        raise InputError(f"{name}: not an HTML page (binary data)")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    head = data[:META_SCAN_BYTES]
    found = _META_CHARSET.search(head) or _XML_ENCODING.search(head)
    for charset in (declared, found.group(1).decode("ascii") if found else None):
        named = _codec(charset)
        if named is not None:
            return data.decode(named, errors="replace")
    return _detect(data)


def _detect(data: bytes) -> str:
    """Undeclared, not UTF-8: a detected non-Latin charset, else windows-1252.

    Detection cannot tell the Latin code pages apart reliably (French comes back as
    Central European), so, like a browser in an English locale, windows-1252 is the default
    unless the detected charset gives mostly non-Latin letters (Cyrillic, Greek, CJK…).
    """
    guess = from_bytes(data).best()
    if guess is not None:
        text = str(guess)
        accented = [char for char in text if char.isalpha() and ord(char) > 0x7F]
        if accented and sum(ord(char) > _LAST_LATIN for char in accented) > len(accented) / 2:
            return text
    return data.decode("cp1252", errors="replace")


def _codec(label: str | None) -> str | None:
    """The Python codec for a charset label, or None if there is no such (usable) codec."""
    if not label:
        return None
    label = label.strip().lower()
    if label in _WINDOWS_1252:
        return "cp1252"
    try:
        info = codecs.lookup(label)
    except LookupError:
        return None
    return None if info.name.startswith("utf-16") else info.name


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
    source_format = detect_format(name if name != "<stdin>" else "", fmt, data)
    text = decode_html(data, name) if source_format == "html" else decode(data, name)
    if not text.strip():
        raise InputError(f"{name}: the input is empty")
    return Source(text=text, format=source_format, name=name)
