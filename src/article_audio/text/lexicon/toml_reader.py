"""The TOML lexicon reader: ``[[entry]]`` tables and the compact ``[words]`` table, with
errors that name the file and the line."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Final

from article_audio.errors import LexiconError
from article_audio.text.lexicon.entries import Entry, check_respelling
from article_audio.text.lexicon.ipa import normalize_ipa
from article_audio.util import tomllib

_TOP_KEYS: Final = frozenset({"entry", "words", "description", "language"})
_ENTRY_KEYS = ("grapheme", "graphemes", "ipa", "respelling", "case_sensitive")
_WORD_KEYS = ("ipa", "respelling", "case_sensitive")
_TOML_POSITION = re.compile(r"\s*\(at line (\d+), column (\d+)\)$")
_ENTRY_HEADER = re.compile(r"""^\s*\[\[\s*(?:entry|"entry"|'entry')\s*\]\]""")
_TABLE_HEADER = re.compile(r"^\s*\[")

#: Finds the line of a key in the table being read (``None``: the table's own line).
_LineOf = Callable[[str | None], int | None]


def toml_entries(data: bytes, source: str) -> list[Entry]:
    """The entries of a TOML lexicon (the bytes of the file ``source``), in file order."""
    text = _decode(data, source)
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message, line = _toml_error(exc, text)
        raise LexiconError(f"invalid TOML: {message}", source, line) from exc
    lines = text.splitlines()
    unknown = sorted(set(document) - _TOP_KEYS)
    if unknown:
        key = unknown[0]
        line = _find_line(lines, rf"^\s*(\[\s*)?{re.escape(key)}\b", 0, len(lines))
        raise LexiconError(f"unknown key {key!r} (expected entry or words)", source, line)
    return _entry_tables(document.get("entry", []), lines, source) + _word_table(
        document.get("words", {}), lines, source
    )


def _decode(data: bytes, source: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise LexiconError("not UTF-8 text", source, line) from exc


def _toml_error(exc: tomllib.TOMLDecodeError, text: str) -> tuple[str, int | None]:
    """tomllib's message without its position, and the line it names."""
    message = str(exc).splitlines()[0]
    found = _TOML_POSITION.search(message)
    if found:
        return f"{message[: found.start()]} (column {found.group(2)})", int(found.group(1))
    if message.endswith("(at end of document)"):
        return message.removesuffix(" (at end of document)"), max(1, len(text.splitlines()))
    line = getattr(exc, "lineno", None)
    return message, line if isinstance(line, int) else None


def _find_line(lines: Sequence[str], pattern: str, start: int, stop: int) -> int | None:
    """1-based number of the first line in ``lines[start:stop]`` matching ``pattern``."""
    regex = re.compile(pattern)
    for number in range(start, min(stop, len(lines))):
        if regex.search(lines[number]):
            return number + 1
    return None


def _entry_tables(tables: Any, lines: Sequence[str], source: str) -> list[Entry]:
    """``[[entry]]`` tables; an error points at the offending key, else the entry's header."""
    if not isinstance(tables, list):
        raise LexiconError("'entry' must be an array of tables ([[entry]])", source)
    headers = [n for n, line in enumerate(lines) if _ENTRY_HEADER.match(line)]
    if len(headers) != len(tables):  # written as an inline array: no headers to point at
        headers = []
    entries: list[Entry] = []
    for index, table in enumerate(tables):
        start = headers[index] if headers else None
        stop = headers[index + 1] if index + 1 < len(headers) else _next_table(lines, start)

        def line_of(key: str | None, start: int | None = start, stop: int = stop) -> int | None:
            if start is None:
                return None
            if key is None:
                return start + 1
            return _find_line(lines, rf"^\s*{re.escape(key)}\s*=", start, stop) or start + 1

        entries += _table_entries(table, f"entry {index + 1}", _ENTRY_KEYS, line_of, source)
    return entries


def _next_table(lines: Sequence[str], start: int | None) -> int:
    if start is None:
        return len(lines)
    following = _find_line(lines, _TABLE_HEADER.pattern, start + 1, len(lines))
    return following - 1 if following else len(lines)


def _word_table(words: Any, lines: Sequence[str], source: str) -> list[Entry]:
    """The compact ``[words]`` table: ``"Kyiv" = { ipa = "kˈiːv", respelling = "keev" }``."""
    header = _find_line(lines, r"^\s*\[\s*words\s*\]", 0, len(lines))
    if not isinstance(words, dict):
        raise LexiconError("'words' must be a table ([words])", source, header)
    entries: list[Entry] = []
    for grapheme, table in words.items():
        found = _word_line(lines, grapheme, header)

        def line_of(key: str | None, found: int | None = found) -> int | None:
            return found

        name = f'words."{grapheme}"'
        if not isinstance(table, dict):
            message = f'{name}: must be an inline table {{ ipa = "...", respelling = "..." }}'
            raise LexiconError(message, source, found)
        spec = {"grapheme": grapheme, **table}
        entries += _table_entries(spec, name, _WORD_KEYS, line_of, source)
    return entries


def _word_line(lines: Sequence[str], grapheme: str, header: int | None) -> int | None:
    """The line of ``grapheme``'s key under ``[words]`` (else the header's line)."""
    if header is None:
        return None
    quoted = re.escape(grapheme)
    key = rf"""^\s*(?:"{quoted}"|'{quoted}'|{quoted})\s*="""
    return _find_line(lines, key, header, len(lines)) or header


def _table_entries(
    table: Any, name: str, allowed: Sequence[str], line_of: _LineOf, source: str
) -> list[Entry]:
    """The entries one TOML table describes (several when it lists ``graphemes``)."""
    if not isinstance(table, dict):
        raise LexiconError(f"{name}: must be a table", source, line_of(None))
    unknown = sorted(set(table) - set(allowed) - {"grapheme"})
    if unknown:
        expected = ", ".join(k for k in allowed)
        message = f"{name}: unknown key {unknown[0]!r} (expected {expected})"
        raise LexiconError(message, source, line_of(unknown[0]))
    graphemes = _graphemes(table, name, source, line_of)
    name = f"{name} ({graphemes[0]!r})"
    ipa = _checked(table, "ipa", normalize_ipa, name, source, line_of)
    respelling = _checked(table, "respelling", check_respelling, name, source, line_of)
    if ipa is None and respelling is None:
        raise LexiconError(f"{name}: needs ipa or respelling (or both)", source, line_of(None))
    case_sensitive = table.get("case_sensitive", True)
    if not isinstance(case_sensitive, bool):
        message = f"{name}: case_sensitive must be true or false"
        raise LexiconError(message, source, line_of("case_sensitive"))
    line = line_of(None)
    origin = f"{source}:{line}" if line is not None else source
    try:
        return [Entry(g, ipa, respelling, case_sensitive, origin) for g in graphemes]
    except ValueError as exc:
        key = "grapheme" if "grapheme" in table else "graphemes"
        raise LexiconError(f"{name}: {exc}", source, line_of(key)) from exc


def _checked(
    table: Mapping[str, Any],
    key: str,
    check: Callable[[str], str],
    name: str,
    source: str,
    line_of: _LineOf,
) -> str | None:
    """``table[key]`` (a string) passed through ``check``; ``None`` when absent."""
    if key not in table:
        return None
    value = table[key]
    if not isinstance(value, str):
        raise LexiconError(f"{name}: {key} must be a string", source, line_of(key))
    try:
        return check(value)
    except ValueError as exc:
        raise LexiconError(f"{name}: {exc}", source, line_of(key)) from exc


def _graphemes(table: Mapping[str, Any], name: str, source: str, line_of: _LineOf) -> list[str]:
    if "grapheme" in table and "graphemes" in table:
        raise LexiconError(f"{name}: give grapheme or graphemes, not both", source, line_of(None))
    value = table.get("grapheme", table.get("graphemes"))
    if value is None:
        raise LexiconError(f"{name}: missing 'grapheme'", source, line_of(None))
    values = [value] if isinstance(value, str) else value
    if not isinstance(values, list) or not values or not all(isinstance(v, str) for v in values):
        key = "grapheme" if "grapheme" in table else "graphemes"
        message = f"{name}: {key} must be a string (graphemes: a list of strings)"
        raise LexiconError(message, source, line_of(key))
    return values
