"""Read stage: bytes from a file or stdin become a decoded :class:`Source` with a known format.

Text and Markdown are UTF-8 (a byte-order mark is honoured); other bytes are decoded by the
charset detected for them (windows-1252 for Latin text), and refused when none fits. HTML is
decoded the way a browser would: a byte-order mark, else the charset the server declared, else
the page's own ``<meta charset>``, else detection.

Input is read in chunks: a text longer than ``max_words`` words is refused as soon as the limit
is passed, before it is decoded or cleaned, and any input above :data:`MAX_INPUT_BYTES`.
"""

from __future__ import annotations

import codecs
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Literal

from charset_normalizer import from_bytes

from article_audio.config import MAX_WORDS
from article_audio.errors import InputError

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
#: Input is read (and its words counted) this many bytes at a time.
READ_CHUNK_BYTES = 1024 * 1024
_HIGH_BYTES = bytes(range(0x80, 0x100))
#: C1 control characters: a decoding that gives them is a wrong guess (real text has none).
_C1_CONTROLS = re.compile("[\x80-\x9f]")
_NOT_ASCII_LETTERS = bytes(b for b in range(0x100) if not chr(b).isalpha() or b >= 0x80)


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
    """Text from ``data``: UTF-8 (a UTF-8 byte-order mark is dropped), else the detected
    charset (see :func:`detected_text`).

    Binary data, UTF-16 (a UTF-16 byte-order mark), and bytes no charset decodes into plain
    text are a clear :class:`InputError`.
    """
    text = _decode_text(data, name)
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _decode_text(data: bytes, name: str) -> str:
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise InputError(f"{name}: UTF-16 text is not supported; save the article as UTF-8")
    if b"\x00" in data[:8192]:
        raise InputError(f"{name}: not a text file (binary data)")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        text = detected_text(data)
        if text is None:
            raise InputError(
                f"{name}: not valid UTF-8 text (byte {exc.start}) and no other charset fits; "
                "save the article as UTF-8"
            ) from exc
        return text


def detected_text(data: bytes) -> str | None:
    """Text that is not UTF-8 decoded by its charset, or None when no charset gives plain text.

    Text whose letters are mostly ASCII is in a Latin script, and Latin code pages cannot be
    told apart reliably (French is detected as Central European), so, like a browser in an
    English locale, it is windows-1252 (None if windows-1252 cannot decode it). Other text
    is decoded by the charset detected for it (Cyrillic, Greek, CJK…). A decoding with C1
    control characters is a wrong guess, so None.
    """
    ascii_letters = len(data.translate(None, _NOT_ASCII_LETTERS))
    high_bytes = len(data) - len(data.translate(None, _HIGH_BYTES))
    if ascii_letters >= high_bytes:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            return None
    else:
        guess = from_bytes(data).best()
        if guess is None:
            return None
        text = str(guess)
    if _C1_CONTROLS.search(text):
        return None
    return text


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

    Detection cannot tell the Latin code pages apart reliably (French comes back as Central
    European), so, like a browser in an English locale, windows-1252 is the default unless the
    detected charset gives mostly non-Latin letters (Cyrillic, Greek, CJK…).
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


def read_source(path: str | Path, fmt: str | None = None, max_words: int = MAX_WORDS) -> Source:
    """Read ``path`` (or ``-`` for stdin) into a :class:`Source`.

    Text and Markdown with more than ``max_words`` words are refused while reading; HTML is
    checked after extraction (see :func:`check_word_limit`), since its markup is not words.
    """
    name = str(path)
    if name == "-":
        name = "<stdin>"
        source_format, data = _read_stream(sys.stdin.buffer, name, "", fmt, max_words)
    else:
        file = Path(path)
        if not file.exists():
            raise InputError(f"{name}: no such file")
        if file.is_dir():
            raise InputError(f"{name}: is a directory, not an article file")
        try:
            with file.open("rb") as handle:
                source_format, data = _read_stream(handle, name, name, fmt, max_words)
        except OSError as exc:
            raise InputError(f"{name}: cannot read ({exc.strerror})") from exc
    text = decode_html(data, name) if source_format == "html" else decode(data, name)
    if not text.strip():
        raise InputError(f"{name}: the input is empty")
    return Source(text=text, format=source_format, name=name)


def _read_stream(
    stream: BinaryIO, name: str, suffix_name: str, fmt: str | None, max_words: int
) -> tuple[Format, bytes]:
    """The format and bytes of ``stream``, read in chunks; refused as soon as it is too large
    or (text and Markdown) has more than ``max_words`` words."""
    chunks = [stream.read(READ_CHUNK_BYTES)]
    source_format = detect_format(suffix_name, fmt, chunks[0])
    size, words, in_word = 0, 0, False
    while chunks[-1]:
        chunk = chunks[-1]
        size += len(chunk)
        if size > MAX_INPUT_BYTES:
            raise InputError(f"{name}: larger than {MAX_INPUT_BYTES // (1024 * 1024)} MB")
        if source_format != "html":
            words += len(chunk.split()) - (in_word and not chunk[:1].isspace())
            in_word = not chunk[-1:].isspace()
            check_word_limit(words, name, max_words)
        chunks.append(stream.read(READ_CHUNK_BYTES))
    return source_format, b"".join(chunks)


def check_word_limit(words: int, name: str, max_words: int = MAX_WORDS) -> None:
    """Refuse an article of more than ``max_words`` words (whitespace-separated)."""
    if words > max_words:
        raise InputError(
            f"{name}: too long: more than {max_words:,} words (raise the limit with --max-words)"
        )
