"""Entries and the lexicon: one written form and how to say it, and an immutable set of
entries with one compiled matcher that rewrites a sentence for a phoneme mode."""

from __future__ import annotations

import re
import unicodedata
import warnings
from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from article_audio.text.lexicon.ipa import normalize_ipa, possessive_ipa, unsupported_symbols

if TYPE_CHECKING:
    from article_audio.voices import PhonemeMode


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
            object.__setattr__(self, "respelling", check_respelling(self.respelling))
        if self.ipa is None and self.respelling is None:
            raise ValueError(f"{grapheme!r} needs an ipa or a respelling")

    @property
    def key(self) -> str:
        """What this entry is matched by (case-folded when it is not case-sensitive)."""
        key = _canonical(self.grapheme)
        return key if self.case_sensitive else key.casefold()


def check_respelling(respelling: str) -> str:
    """``respelling`` with single spaces; :class:`ValueError` if it is empty or has brackets or
    control characters."""
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
