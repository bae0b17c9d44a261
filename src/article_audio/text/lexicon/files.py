"""Lexicon files: the shipped news lexicon, and lexicons read from files in order, the
format chosen by suffix (``.toml``, or ``.pls`` / ``.xml`` for W3C PLS)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Final

from article_audio.errors import LexiconError
from article_audio.text.lexicon.entries import Entry, Lexicon
from article_audio.text.lexicon.pls_reader import pls_entries
from article_audio.text.lexicon.toml_reader import toml_entries
from article_audio.voices import voices_dir

#: File name of the shipped news lexicon, in the ``voices/`` folder.
DEFAULT_LEXICON: Final = "en-news.lexicon.toml"


def default_lexicon_path() -> Path:
    """The shipped news lexicon."""
    return voices_dir() / DEFAULT_LEXICON


def load_lexicons(paths: Sequence[Path | str], include_default: bool = True) -> Lexicon:
    """One lexicon from files read in order (later entries win).

    With ``include_default`` the shipped lexicon comes first, unless ``paths`` already name it.
    """
    files = [Path(p) for p in paths]
    if include_default:
        default = default_lexicon_path()
        if not any(_same_file(p, default) for p in files):
            files.insert(0, default)
    return Lexicon(entry for path in files for entry in read_entries(path))


def load_lexicon(path: Path | str) -> Lexicon:
    """The lexicon in one file."""
    return Lexicon(read_entries(path))


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve()
    except OSError:  # pragma: no cover - resolve() only fails on odd file systems
        return False


def read_entries(path: Path | str) -> list[Entry]:
    """The entries of a lexicon file, in file order; the format is chosen by suffix."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".toml", ".pls", ".xml"):
        kind = suffix or "(no suffix)"
        message = f"unknown lexicon format {kind!r}: use .toml, or .pls / .xml (W3C PLS)"
        raise LexiconError(message, str(path))
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise LexiconError(f"cannot read ({exc.strerror or exc})", str(path)) from exc
    if suffix == ".toml":
        return toml_entries(data, str(path))
    return pls_entries(data, str(path))
