"""Pronunciation lexicon: names and words the speech engines would otherwise get wrong.

An :class:`Entry` maps a written word or phrase (``"Kyiv"``, ``"Xi Jinping"``) to how it is
said: ``ipa`` for engines that take phonemes (Piper, inline ``[[ ipa ]]``) and ``respelling``,
plain letters that an engine without phoneme input (espeak-ng through pyttsx3, SAPI) reads
correctly. :meth:`Lexicon.apply` rewrites a sentence for one of the two modes.

Lexicons are files, chosen by suffix:

* ``.toml`` -- our own format::

      [[entry]]
      grapheme = "Zelenskyy"          # or: graphemes = ["Zelenskyy", "Zelensky"]
      ipa = "zɛlˈɛnski"               # optional
      respelling = "zelensky"         # optional; at least one of ipa / respelling
      case_sensitive = true           # optional, default true

      [words]                         # compact form, one line per entry
      "Kyiv" = { ipa = "kˈiːv", respelling = "keev" }

* ``.pls`` / ``.xml`` -- W3C Pronunciation Lexicon Specification 1.0 (what Amazon Polly,
  Azure and ElevenLabs accept): ``<lexeme>`` with one or more ``<grapheme>``, ``<phoneme>``
  (alphabet ``ipa`` or ``x-sampa``) and ``<alias>`` (the respelling). Parsed with defusedxml;
  any DTD or entity declaration is refused.

Matching is whole-word (never inside a longer word), longest phrase first, case-sensitive
unless an entry says otherwise, and takes the possessive ``'s`` along. When several lexicons
are loaded, later entries win.
"""

from __future__ import annotations

import re
import sys
import unicodedata
import warnings
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any
from xml.etree.ElementTree import Element, TreeBuilder

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser, ParseError

from article_audio.errors import LexiconError
from article_audio.voices import voices_dir

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

if TYPE_CHECKING:
    from article_audio.engines.base import PhonemeMode

__all__ = [
    "DEFAULT_LEXICON",
    "Entry",
    "Lexicon",
    "LexiconWarning",
    "default_lexicon_path",
    "load_lexicon",
    "load_lexicons",
    "normalize_ipa",
    "possessive_ipa",
    "read_entries",
    "unsupported_symbols",
    "xsampa_to_ipa",
]

#: File name of the shipped news lexicon, in the ``voices/`` folder.
DEFAULT_LEXICON = "en-news.lexicon.toml"

PLS_NAMESPACE = "http://www.w3.org/2005/01/pronunciation-lexicon"

# ---------------------------------------------------------------------------------------------
# IPA
# ---------------------------------------------------------------------------------------------

#: IPA letters outside the ranges below (Latin-1, Greek and a few arrows/bars).
_IPA_EXTRA = frozenset("æçðøħŋœβθχεǀǁǂǃ↓↑↗↘‖|ⱱꜛꜜ‿ʼ")
#: Unicode blocks of IPA symbols: IPA Extensions, Spacing Modifier Letters, Combining
#: Diacritical Marks, Phonetic Extensions (+ Supplement), Combining Diacritical Marks Supplement.
_IPA_RANGES = ((0x0250, 0x02FF), (0x0300, 0x036F), (0x1D00, 0x1DFF))
#: Equivalent spellings rewritten on load, so one sound has one symbol: the IPA's own
#: "opentail" g, affricates as two letters (espeak-ng style), no tie bars or syllable dots.
_IPA_REWRITES = {
    "g": "ɡ",
    "ʧ": "tʃ",
    "ʤ": "dʒ",
    "ʦ": "ts",
    "ʣ": "dz",
    "ʨ": "tɕ",
    "ʥ": "dʑ",
    "\u0361": "",
    "\u035c": "",
    ".": "",
}
#: Likely slips in IPA strings, with what to write instead.
_IPA_HINTS = {
    "'": "use ˈ (U+02C8) for primary stress",
    ",": "use ˌ (U+02CC) for secondary stress",
    ":": "use ː (U+02D0) for length",
    "[": "square brackets are not allowed inside IPA",
    "]": "square brackets are not allowed inside IPA",
}
_SIBILANTS = frozenset("szʃʒɕʑʂʐ")
_VOICELESS = frozenset("ptkfθxçhʔqcχħɸʍ")


def _is_ipa_char(char: str) -> bool:
    if char == " " or "a" <= char <= "z" or char in _IPA_EXTRA:
        return True
    code = ord(char)
    return any(low <= code <= high for low, high in _IPA_RANGES)


def normalize_ipa(ipa: str) -> str:
    """``ipa`` in the form the engines get: NFD, one spelling per symbol, single spaces.

    One enclosing pair of ``/.../`` or ``[...]`` is dropped, ``g`` becomes ``ɡ``, ligature
    affricates (``ʧ``) become two letters (``tʃ``), tie bars and syllable dots are removed.
    Raises :class:`ValueError` naming any character that is not IPA.
    """
    text = " ".join(ipa.split())
    if len(text) >= 2 and (text[0], text[-1]) in (("/", "/"), ("[", "]")):
        text = text[1:-1].strip()
    text = unicodedata.normalize("NFD", text)
    text = "".join(_IPA_REWRITES.get(char, char) for char in text)
    text = " ".join(text.split())
    if not text:
        raise ValueError("ipa is empty")
    bad = sorted({char for char in text if not _is_ipa_char(char)})
    if bad:
        raise ValueError(f"ipa {ipa!r} has characters that are not IPA: {_describe(bad)}")
    return text


def _describe(chars: Iterable[str]) -> str:
    parts = []
    for char in chars:
        part = f"{char!r} (U+{ord(char):04X})"
        hint = _IPA_HINTS.get(char) or ("IPA letters are lowercase" if char.isupper() else "")
        parts.append(f"{part}: {hint}" if hint else part)
    return ", ".join(parts)


def unsupported_symbols(ipa: str, inventory: Collection[str]) -> set[str]:
    """The characters of ``ipa`` that are not in a voice's phoneme ``inventory``.

    ``inventory`` is the voice's symbol set, e.g. the keys of a Piper voice's
    ``phoneme_id_map``. Multi-character symbols in it are matched longest first; anything else
    is checked one (NFD) character at a time, which is how Piper reads ``[[ ... ]]`` blocks.
    """
    symbols = set(inventory)
    longest = max((len(s) for s in symbols), default=1)
    text = unicodedata.normalize("NFD", ipa)
    missing: set[str] = set()
    i = 0
    while i < len(text):
        for size in range(min(longest, len(text) - i), 0, -1):
            if text[i : i + size] in symbols:
                i += size
                break
        else:
            missing.add(text[i])
            i += 1
    return missing


def possessive_ipa(ipa: str) -> str:
    """``ipa`` with the possessive ending: ``ɪz`` after a sibilant, ``s`` after another
    voiceless sound, ``z`` after a voiced one (``kˈiːv`` → ``kˈiːvz``)."""
    for char in reversed(ipa):
        if unicodedata.category(char) in ("Mn", "Lm", "Sk") or char in "ˈˌːˑ ":
            continue
        if char in _SIBILANTS:
            return ipa + "ɪz"
        return ipa + ("s" if char in _VOICELESS else "z")
    return ipa


# X-SAMPA → IPA, for PLS files with alphabet="x-sampa". Matched longest first.
_XSAMPA = {
    "a": "a", "b": "b", "c": "c", "d": "d", "e": "e", "f": "f", "g": "ɡ", "h": "h",
    "i": "i", "j": "j", "k": "k", "l": "l", "m": "m", "n": "n", "o": "o", "p": "p",
    "q": "q", "r": "r", "s": "s", "t": "t", "u": "u", "v": "v", "w": "w", "x": "x",
    "y": "y", "z": "z", "A": "ɑ", "B": "β", "C": "ç", "D": "ð", "E": "ɛ", "F": "ɱ",
    "G": "ɣ", "H": "ɥ", "I": "ɪ", "J": "ɲ", "K": "ɬ", "L": "ʎ", "M": "ɯ", "N": "ŋ",
    "O": "ɔ", "P": "ʋ", "Q": "ɒ", "R": "ʁ", "S": "ʃ", "T": "θ", "U": "ʊ", "V": "ʌ",
    "W": "ʍ", "X": "χ", "Y": "ʏ", "Z": "ʒ", "@": "ə", "{": "æ", "}": "ʉ", "1": "ɨ",
    "2": "ø", "3": "ɜ", "4": "ɾ", "5": "ɫ", "6": "ɐ", "7": "ɤ", "8": "ɵ", "9": "œ",
    "&": "ɶ", "?": "ʔ", '"': "ˈ", "%": "ˌ", ":": "ː", "`": "˞", "~": "\u0303",
    "=": "\u0329", "^": "ꜛ", "!": "ꜜ", "|": "|", ".": ".", "-": "", " ": " ",
    "@`": "ɚ", "@\\": "ɘ", "3`": "ɝ", "3\\": "ɞ", "I\\": "ᵻ", "U\\": "ᵿ", "B\\": "ʙ",
    "G\\": "ɢ", "H\\": "ʜ", "J\\": "ɟ", "K\\": "ɮ", "L\\": "ʟ", "M\\": "ɰ", "N\\": "ɴ",
    "O\\": "ʘ", "R\\": "ʀ", "X\\": "ħ", "?\\": "ʕ", "<\\": "ʢ", ">\\": "ʡ", "h\\": "ɦ",
    "j\\": "ʝ", "l\\": "ɺ", "p\\": "ɸ", "r\\": "ɹ", "s\\": "ɕ", "v\\": "ʋ", "x\\": "ɧ",
    "z\\": "ʑ", "!\\": "ǃ", "|\\": "ǀ", "=\\": "ǂ", "||": "‖", "|\\|\\": "ǁ", ":\\": "ˑ",
    "r\\`": "ɻ", "d`": "ɖ", "l`": "ɭ", "n`": "ɳ", "r`": "ɽ", "s`": "ʂ", "t`": "ʈ",
    "z`": "ʐ", "b_<": "ɓ", "d_<": "ɗ", "g_<": "ɠ", "J\\_<": "ʄ", "G\\_<": "ʛ",
    "_h": "ʰ", "_j": "ʲ", "_w": "ʷ", "_G": "ˠ", "_?\\": "ˤ", "_n": "ⁿ", "_l": "ˡ",
    "_>": "ʼ", "_~": "\u0303", "_0": "\u0325", "_=": "\u0329", "_^": "\u032f",
    "_t": "\u0324", "_a": "\u033a", "_d": "\u032a", "_+": "\u031f", "_-": "\u0320",
    '_"': "\u0308", "_v": "\u032c", "_c": "\u031c", "_o": "\u031e", "_r": "\u031d",
    "_k": "\u0330", "_N": "\u033c", "_X": "\u0306", "_x": "\u033d", "_A": "\u0318",
    "_q": "\u0319", "_}": "\u031a", "_": "",
}  # fmt: skip
_XSAMPA_LONGEST = max(len(k) for k in _XSAMPA)


def xsampa_to_ipa(xsampa: str) -> str:
    """X-SAMPA converted to IPA; raises :class:`ValueError` on an unknown symbol."""
    out: list[str] = []
    i = 0
    while i < len(xsampa):
        for size in range(min(_XSAMPA_LONGEST, len(xsampa) - i), 0, -1):
            symbol = _XSAMPA.get(xsampa[i : i + size])
            if symbol is not None:
                out.append(symbol)
                i += size
                break
        else:
            raise ValueError(f"x-sampa {xsampa!r}: unknown symbol {xsampa[i]!r} at {i + 1}")
    return "".join(out)


# ---------------------------------------------------------------------------------------------
# Entries and the lexicon
# ---------------------------------------------------------------------------------------------


def _canonical(text: str) -> str:
    """The key a written form is matched by: NFC, single spaces, straight apostrophes."""
    return " ".join(unicodedata.normalize("NFC", text).replace("’", "'").split())


@dataclass(frozen=True)
class Entry:
    """One written form and how to say it.

    ``ipa`` is stored normalized (see :func:`normalize_ipa`); at least one of ``ipa`` and
    ``respelling`` is required. Matching is case-sensitive by default: lexicon entries are
    mostly names, and "Nice", "Reading" or "Xi" must not change "nice", "reading" or "XI".
    Construction raises :class:`ValueError` on a bad entry.
    """

    grapheme: str
    ipa: str | None = None
    respelling: str | None = None
    case_sensitive: bool = True
    #: Where the entry was read (``file:line``), for messages; not part of its identity.
    origin: str | None = field(default=None, compare=False)

    def __post_init__(self) -> None:
        grapheme = " ".join(unicodedata.normalize("NFC", self.grapheme).split())
        if not re.search(r"\w", grapheme):
            raise ValueError(f"grapheme {self.grapheme!r} has no letters")
        object.__setattr__(self, "grapheme", grapheme)
        if self.ipa is not None:
            object.__setattr__(self, "ipa", normalize_ipa(self.ipa))
        if self.respelling is not None:
            object.__setattr__(self, "respelling", _check_respelling(self.respelling))
        if self.ipa is None and self.respelling is None:
            raise ValueError(f"{grapheme!r} needs an ipa or a respelling")

    @property
    def key(self) -> str:
        """What this entry is matched by (case-folded when it is not case-sensitive)."""
        key = _canonical(self.grapheme)
        return key if self.case_sensitive else key.casefold()


def _check_respelling(respelling: str) -> str:
    text = " ".join(respelling.split())
    if not text:
        raise ValueError("respelling is empty")
    if "[" in text or "]" in text:
        raise ValueError(f"respelling {respelling!r}: square brackets are not allowed")
    if any(unicodedata.category(c).startswith("C") for c in text):
        raise ValueError(f"respelling {respelling!r} has control characters")
    return text


#: Punctuation Piper keeps as phonemes; after a ``[[ ]]`` block it must go inside the block,
#: else Piper hands it to espeak-ng alone, which drops it (or reads "!" as "exclamation").
#: It may follow closing brackets or quotes: ``"Kyiv".`` becomes ``[[ kˈiːv. ]] "``.
_TRAILING = r"""(?P<close>[)\]}"”’»]*)(?P<punct>[,.;:!?]*)"""
_ADJACENT_BLOCKS = re.compile(r" \]\][ \t]+\[\[ ")


class LexiconWarning(UserWarning):
    """A lexicon entry the voice cannot say as written (its IPA is not used)."""


class Lexicon:
    """An immutable set of entries with one compiled matcher. Later entries win.

    A later case-insensitive entry replaces every earlier entry with the same letters in any
    case; a later case-sensitive entry replaces an earlier one spelled exactly the same and
    takes precedence over a case-insensitive one for its exact spelling.
    """

    __slots__ = ("_entries", "_exact", "_folded", "_pattern")

    def __init__(self, entries: Iterable[Entry] = ()) -> None:
        merged = _later_wins(entries)
        self._entries = tuple(merged.values())
        self._exact = {k: e for (cs, k), e in merged.items() if cs}
        self._folded = {k: e for (cs, k), e in merged.items() if not cs}
        self._pattern = _compile(self._entries)

    @classmethod
    def merge(cls, *lexicons: Lexicon) -> Lexicon:
        """One lexicon from several; entries of later lexicons win."""
        return cls(entry for lexicon in lexicons for entry in lexicon.entries)

    @property
    def entries(self) -> tuple[Entry, ...]:
        """The effective entries (overridden ones removed), oldest definition first."""
        return self._entries

    def __len__(self) -> int:
        return len(self._entries)

    def __iter__(self) -> Iterator[Entry]:
        return iter(self._entries)

    def __contains__(self, word: object) -> bool:
        return isinstance(word, str) and self.lookup(word) is not None

    def __repr__(self) -> str:
        return f"<Lexicon of {len(self)} entries>"

    def lookup(self, word: str) -> Entry | None:
        """The entry for the written ``word`` or phrase (exactly as matched in text), if any."""
        key = _canonical(word)
        return self._exact.get(key) or self._folded.get(key.casefold())

    def restrict_ipa(self, inventory: Collection[str]) -> Lexicon:
        """A copy without the IPA of entries that use symbols outside ``inventory``.

        Those entries then fall back to their respelling (or the word as written) in "ipa"
        mode; see :func:`unsupported_symbols` to report which ones.
        """
        kept = [
            _without_ipa(e) if e.ipa and unsupported_symbols(e.ipa, inventory) else e
            for e in self._entries
        ]
        return Lexicon(e for e in kept if e is not None)

    def for_voice(self, inventory: Collection[str] | None, voice: str) -> Lexicon:
        """The lexicon as ``voice`` can say it, with a :class:`LexiconWarning` for each entry
        whose IPA uses symbols outside the voice's phoneme ``inventory``: those entries fall
        back to their respelling (or the word as written). ``None``: no restriction."""
        if inventory is None:
            return self
        for entry in self._entries:
            missing = unsupported_symbols(entry.ipa, inventory) if entry.ipa else set()
            if missing:
                warnings.warn(_unsayable(entry, missing, voice), LexiconWarning, stacklevel=2)
        return self.restrict_ipa(inventory)

    def apply(self, text: str, mode: PhonemeMode) -> str:
        """``text`` with every lexicon word replaced by how ``mode`` says it.

        "ipa": a Piper phoneme block ``[[ ipa ]]`` (a possessive ``'s`` inside it, as /z/, /s/
        or /ɪz/); punctuation right after the word moves into the block and the block is kept
        apart from neighbouring characters by a space, because Piper drops both otherwise.
        Adjacent blocks are joined. An entry without IPA gives its respelling. "respelling":
        the respelling (plus ``'s``); an entry without one leaves the word as written.
        Decomposed (NFD) text is composed (NFC) first so accented names match.
        """
        if mode not in ("ipa", "respelling"):
            raise ValueError(f"unknown phoneme mode {mode!r}")
        if self._pattern is None:
            return text
        if not unicodedata.is_normalized("NFC", text):
            text = unicodedata.normalize("NFC", text)
        result = self._pattern.sub(lambda m: self._replace(m, mode), text)
        return _ADJACENT_BLOCKS.sub(" ", result) if mode == "ipa" else result

    def _replace(self, match: re.Match[str], mode: PhonemeMode) -> str:
        word, possessive, close, punctuation = match.group("word", "pos", "close", "punct")
        entry = self.lookup(word)
        if entry is None:  # pragma: no cover - the pattern only matches known words
            return match.group(0)
        if mode == "ipa" and entry.ipa is not None:
            ipa = possessive_ipa(entry.ipa) if possessive else entry.ipa
            text = match.string
            before = " " if match.start() > 0 and not text[match.start() - 1].isspace() else ""
            after = " " if match.end() < len(text) and not text[match.end()].isspace() else ""
            return f"{before}[[ {ipa}{punctuation} ]]{' ' + close if close else ''}{after}"
        if entry.respelling is not None:
            return f"{entry.respelling}{possessive or ''}{close}{punctuation}"
        return match.group(0)


def _unsayable(entry: Entry, missing: Collection[str], voice: str) -> str:
    symbols = ", ".join(f"{symbol!r} (U+{ord(symbol):04X})" for symbol in sorted(missing))
    where = f"{entry.origin}: " if entry.origin else ""
    fallback = (
        f"using the respelling {entry.respelling!r}"
        if entry.respelling
        else "reading it as written"
    )
    return (
        f"{where}{entry.grapheme!r}: the {voice} voice cannot say {symbols} in IPA "
        f"{entry.ipa!r}; {fallback}"
    )


def _later_wins(entries: Iterable[Entry]) -> dict[tuple[bool, str], Entry]:
    """Entries keyed by (case-sensitive, key); each replaces the earlier ones it overlaps."""
    merged: dict[tuple[bool, str], Entry] = {}
    by_fold: dict[str, set[tuple[bool, str]]] = {}
    for entry in entries:
        key = (entry.case_sensitive, entry.key)
        folded = entry.key.casefold()
        if not entry.case_sensitive:
            for old in by_fold.pop(folded, set()):
                del merged[old]
        merged.pop(key, None)
        merged[key] = entry
        by_fold.setdefault(folded, set()).add(key)
    return merged


def _without_ipa(entry: Entry) -> Entry | None:
    if entry.respelling is None:
        return None
    return replace(entry, ipa=None)


def _grapheme_pattern(entry: Entry) -> str:
    """A regex for ``entry``'s written form: any whitespace between words, either apostrophe."""
    words = [re.escape(w).replace("'", "['’]") for w in _canonical(entry.grapheme).split(" ")]
    pattern = r"\s+".join(words)
    return pattern if entry.case_sensitive else f"(?i:{pattern})"


def _compile(entries: Sequence[Entry]) -> re.Pattern[str] | None:
    """One alternation of every entry, longest first, matching whole words only."""
    if not entries:
        return None
    ordered = sorted(entries, key=lambda e: (-len(e.key), e.key))
    alternatives = "|".join(dict.fromkeys(_grapheme_pattern(e) for e in ordered))
    return re.compile(rf"(?<!\w)(?P<word>{alternatives})(?P<pos>['’][sS])?(?!\w){_TRAILING}")


# ---------------------------------------------------------------------------------------------
# Loading
# ---------------------------------------------------------------------------------------------


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
        return _toml_entries(data, str(path))
    return _pls_entries(data, str(path))


# --- TOML ------------------------------------------------------------------------------------

_TOP_KEYS = {"entry", "words", "description", "language"}
_ENTRY_KEYS = ("grapheme", "graphemes", "ipa", "respelling", "case_sensitive")
_WORD_KEYS = ("ipa", "respelling", "case_sensitive")
_TOML_POSITION = re.compile(r"\s*\(at line (\d+), column (\d+)\)$")
_ENTRY_HEADER = re.compile(r"""^\s*\[\[\s*(?:entry|"entry"|'entry')\s*\]\]""")
_TABLE_HEADER = re.compile(r"^\s*\[")

#: Finds the line of a key in the table being read (``None``: the table's own line).
_LineOf = Callable[[str | None], int | None]


def _toml_entries(data: bytes, source: str) -> list[Entry]:
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
    respelling = _checked(table, "respelling", _check_respelling, name, source, line_of)
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


# --- PLS -------------------------------------------------------------------------------------

_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


class _LineTarget:
    """An ElementTree target that remembers the line each element starts on."""

    def __init__(self) -> None:
        self.builder = TreeBuilder()
        self.lines: dict[int, int] = {}
        self.expat: Any = None

    def start(self, tag: str, attrib: dict[str, str]) -> Element:
        element = self.builder.start(tag, attrib)
        self.lines[id(element)] = int(self.expat.CurrentLineNumber)
        return element

    def end(self, tag: str) -> Element:
        return self.builder.end(tag)

    def data(self, data: str) -> None:
        self.builder.data(data)

    def close(self) -> Element:
        return self.builder.close()


def _parse_xml(data: bytes, source: str) -> tuple[Element, dict[int, int]]:
    """The root element and element lines; DTDs and entities are refused, never resolved."""
    target = _LineTarget()
    parser = DefusedXMLParser(
        target=target, forbid_dtd=True, forbid_entities=True, forbid_external=True
    )
    target.expat = parser.parser
    try:
        parser.feed(data)
        root: Element = parser.close()
    except ParseError as exc:
        line = exc.position[0] if exc.position else None
        message = re.sub(r": line \d+, column \d+$", "", str(exc))
        raise LexiconError(f"malformed XML: {message}", source, line) from exc
    except DefusedXmlException as exc:
        raise LexiconError(
            "refused: the lexicon declares a DTD or entities, which are not allowed (unsafe XML)",
            source,
            int(parser.parser.CurrentLineNumber),
        ) from exc
    return root, target.lines


def _local(tag: str) -> tuple[str, str]:
    """(namespace, local name) of an ElementTree tag."""
    if tag.startswith("{"):
        namespace, _, name = tag[1:].partition("}")
        return namespace, name
    return "", tag


def _pls_entries(data: bytes, source: str) -> list[Entry]:
    root, lines = _parse_xml(data, source)
    namespace, name = _local(root.tag)
    if name != "lexicon" or namespace not in ("", PLS_NAMESPACE):
        message = f"not a PLS lexicon: the root element is <{name}>, expected <lexicon>"
        raise LexiconError(message, source, lines.get(id(root)))
    version = root.get("version", "1.0")
    if version != "1.0":
        raise LexiconError(f"unsupported PLS version {version!r}", source, lines.get(id(root)))
    alphabet = root.get("alphabet", "ipa")
    entries: list[Entry] = []
    for lexeme in _children(root, "lexeme"):
        entries += _lexeme_entries(lexeme, alphabet, source, lines)
    return entries


def _children(element: Element, name: str) -> list[Element]:
    return [child for child in element if _local(child.tag)[1] == name]


def _preferred(elements: list[Element]) -> Element | None:
    """The element marked ``prefer="true"``, else the first (PLS 1.0, section 4.6)."""
    marked = [e for e in elements if e.get("prefer", "false").strip() == "true"]
    chosen = marked or elements
    return chosen[0] if chosen else None


def _lexeme_entries(
    lexeme: Element, alphabet: str, source: str, lines: Mapping[int, int]
) -> list[Entry]:
    line = lines.get(id(lexeme))
    graphemes = [_text(g) for g in _children(lexeme, "grapheme")]
    if not any(graphemes):
        raise LexiconError("<lexeme> without a <grapheme>", source, line)
    phoneme = _preferred(_children(lexeme, "phoneme"))
    alias = _preferred(_children(lexeme, "alias"))
    if phoneme is None and alias is None:
        raise LexiconError(f"<lexeme> {graphemes[0]!r} has no <phoneme> or <alias>", source, line)
    ipa = None
    if phoneme is not None:
        line = lines.get(id(phoneme), line)
        ipa = _pls_ipa(_text(phoneme), phoneme.get("alphabet", alphabet), source, line)
    respelling = _text(alias) if alias is not None else None
    origin = f"{source}:{line}" if line is not None else source
    try:
        return [Entry(g, ipa, respelling, origin=origin) for g in graphemes if g]
    except ValueError as exc:
        raise LexiconError(f"<lexeme> {graphemes[0]!r}: {exc}", source, line) from exc


def _text(element: Element) -> str:
    return " ".join("".join(element.itertext()).split())


def _pls_ipa(text: str, alphabet: str, source: str, line: int | None) -> str:
    kind = alphabet.strip().lower()
    if kind == "ipa":
        return text
    if kind == "x-sampa":
        try:
            return xsampa_to_ipa(text)
        except ValueError as exc:
            raise LexiconError(str(exc), source, line) from exc
    message = f"phoneme alphabet {alphabet!r} is not supported (use ipa or x-sampa)"
    raise LexiconError(message, source, line)
