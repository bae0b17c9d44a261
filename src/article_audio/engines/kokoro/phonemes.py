"""Kokoro's phonemes: the spoken string (with the lexicon's ``[[ ipa ]]`` blocks) as the
model's token ids.

Kokoro-82M was trained on misaki's English phonemes: one character per token, diphthongs
and affricates as one letter (``A`` for eɪ, ``I`` aɪ, ``O`` oʊ, ``Q`` əʊ, ``W`` aʊ, ``Y`` ɔɪ,
``ʧ`` tʃ, ``ʤ`` dʒ), American without length marks (``i`` for iː, ``ɜɹ`` for ɜː, ``əɹ``
for ɚ, ``T`` for the flap ɾ), British with them (and ``a`` for æ). Text between the blocks
goes through hibari-tts's grapheme-to-phoneme converter (a port of misaki's English one,
without spaCy or espeak-ng: :func:`g2p`), which writes that alphabet; the blocks' IPA, written
espeak-ng style as the lexicon is (``mɑːkɹˈoʊn``), is converted to it by
:func:`ipa_to_kokoro` (``mɑkɹˈOn`` for an American voice), so a name is said as the lexicon
says whatever the G2P would have guessed.
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
import threading
import unicodedata
from collections.abc import Callable, Mapping
from importlib import resources
from types import MappingProxyType
from typing import Any, Final

from article_audio.errors import VoiceError

__all__ = [
    "G2P_PACKAGE",
    "IPA_INVENTORY",
    "Phonemizer",
    "conversion_digest",
    "ipa_to_kokoro",
    "token_ids",
    "vocabulary",
]

#: The distribution whose converter turns English text into Kokoro's phonemes.
G2P_PACKAGE = "hibari-tts"

#: Espeak-style IPA → Kokoro, for both accents; matched longest first.
_COMMON: Final[Mapping[str, str]] = {
    "eɪ": "A", "aɪ": "I", "ɔɪ": "Y", "aʊ": "W", "tʃ": "ʧ", "dʒ": "ʤ",
    "r": "ɹ", "ɻ": "ɹ", "ʁ": "ɹ", "ʀ": "ɹ", "x": "k", "c\u0327": "h", "ɫ": "l", "ɬ": "l",
    "ɐ": "ə", "e": "ɛ", "ɝ": "ɜɹ", "ʔ": "t", "ɡ": "ɡ", "ʲ": "j",
}  # fmt: skip
#: American voices: misaki's American phonemes have no length marks.
_AMERICAN: Final[Mapping[str, str]] = {
    **_COMMON,
    "oʊ": "O", "əʊ": "O", "ɜː": "ɜɹ", "ɚ": "əɹ", "iː": "i", "uː": "u", "ɑː": "ɑ", "ɔː": "ɔ",
    "ɒ": "ɑ", "a": "ɑ", "o": "O", "ɾ": "T", "ː": "", "ˑ": "",
}  # fmt: skip
#: British voices: misaki's British phonemes keep length, and write æ as a.
_BRITISH: Final[Mapping[str, str]] = {
    **_COMMON,
    "oʊ": "Q", "əʊ": "Q", "ɚ": "ə", "ɝ": "ɜː", "æ": "a", "a": "a", "o": "ɔ", "ɾ": "t", "ᵻ": "ɪ",
}  # fmt: skip
#: Symbols taken as they are (both accents; in Kokoro's vocabulary).
_KEPT = frozenset("bdfhijklmnpstuvwzæðŋɑɔəɛɜɪʊʌʃʒθᵻᵊɹɡˈˌː ,.;:!?")
#: Marks dropped: syllabic, non-syllabic, dental, nasal (espeak writes them; Kokoro's
#: English voices were not trained on them).
_DROPPED = frozenset("\u0329\u032f\u032a\u0303\u0325\u0361\u035c")
_LONGEST = 2
#: Every symbol (or pair) :func:`ipa_to_kokoro` reads: a lexicon entry using another one is
#: said by its respelling instead (the registry's inventory for Kokoro voices).
IPA_INVENTORY: Final[frozenset[str]] = frozenset({*_AMERICAN, *_BRITISH, *_KEPT, *_DROPPED} - {""})


def ipa_to_kokoro(ipa: str, *, british: bool = False) -> str:
    """``ipa`` (espeak-ng style, as in the lexicon) in Kokoro's phonemes for an American or
    a ``british`` voice; a :class:`ValueError` names a symbol outside :data:`IPA_INVENTORY`."""
    table = _BRITISH if british else _AMERICAN
    text = unicodedata.normalize("NFD", " ".join(ipa.split()))
    out: list[str] = []
    i = 0
    while i < len(text):
        pair = text[i : i + _LONGEST]
        if len(pair) == _LONGEST and pair in table:
            out.append(table[pair])
            i += _LONGEST
            continue
        char = text[i]
        if char in table:
            out.append(table[char])
        elif char in _KEPT:
            out.append(char)
        elif char not in _DROPPED:
            raise ValueError(f"ipa {ipa!r}: Kokoro has no phoneme for {char!r}")
        i += 1
    return unicodedata.normalize("NFC", "".join(out))


def conversion_digest() -> str:
    """A digest of :func:`ipa_to_kokoro`'s tables and of how text is prepared for the G2P:
    part of a voice's identity."""
    tables = (sorted(_AMERICAN.items()), sorted(_BRITISH.items()), sorted(_KEPT), sorted(_DROPPED))
    rules = (tables, TEXT_RULES_VERSION, _CAPS_WORD.pattern)
    return hashlib.sha256(repr(rules).encode()).hexdigest()[:16]


@functools.lru_cache(maxsize=1)
def vocabulary() -> Mapping[str, int]:
    """Kokoro's phoneme vocabulary (symbol → token id), shipped as package data."""
    source = resources.files("article_audio.engines.kokoro") / "data" / "vocab.json"
    try:
        table = json.loads(source.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise VoiceError(f"kokoro's phoneme vocabulary is unreadable: {exc}") from exc
    return MappingProxyType({str(k): int(v) for k, v in table.items()})


def token_ids(phonemes: str) -> list[int]:
    """The token ids of ``phonemes`` (symbols outside the vocabulary are not spoken)."""
    table = vocabulary()
    return [table[char] for char in phonemes if char in table]


#: An inline phoneme block of the spoken string; its IPA, and punctuation the lexicon moved
#: inside it (``[[ kˈiːv, ]]``).
_BLOCK = re.compile(r"\[\[\s*(?P<ipa>.*?)(?P<punct>[,.;:!?]*)\s*\]\]")
#: An all-caps word of the spoken string: two or more capitals, not part of dotted letters
#: ("F.B.I") or a longer word. Normalization has already spelled out the acronyms read as
#: letters, so what is left in capitals is meant as a word ("NASA", a speaker's "ROSIE CURTS:",
#: a shouted "GREAT"); hibari spells out capitals it has no entry for, so they reach it
#: capitalised ("Rosie").
_CAPS_WORD = re.compile(r"(?<![\w.])[A-Z]{2,}(?=s?(?!\w)(?!\.\w))")
#: Bump when how the text between blocks is prepared for the G2P changes (part of the identity).
TEXT_RULES_VERSION = 1


class Phonemizer:
    """Spoken strings to Kokoro's phonemes for one accent. hibari's converter is loaded on
    first use (about 140 MB of lexicons) and used by one thread at a time."""

    def __init__(self, *, british: bool) -> None:
        self.british = british
        self._lock = threading.Lock()
        self._g2p: Callable[..., Any] | None = None

    def __call__(self, spoken: str) -> str:
        """The phonemes of ``spoken``: its ``[[ ipa ]]`` blocks converted
        (:func:`ipa_to_kokoro`), the text between them through the G2P; one space where
        the text had any."""
        parts: list[str] = []
        position = 0
        for block in _BLOCK.finditer(spoken):
            parts.append(self._text(spoken[position : block.start()]))
            ipa = ipa_to_kokoro(block.group("ipa"), british=self.british)
            parts.append(ipa + block.group("punct"))
            position = block.end()
        parts.append(self._text(spoken[position:]))
        return " ".join(part for part in parts if part.strip())

    def _text(self, text: str) -> str:
        if not text.strip():
            return ""
        text = _CAPS_WORD.sub(lambda word: word.group(0).capitalize(), text)
        with self._lock:
            if self._g2p is None:
                self._g2p = _load_g2p(self.british)
            return str(self._g2p(text)).strip()


def _load_g2p(british: bool) -> Callable[..., Any]:
    try:
        from hibari.g2p import G2P
    except ImportError as exc:
        raise VoiceError(
            f"kokoro's English phonemizer is missing: pip install {G2P_PACKAGE}"
        ) from exc
    converter: Callable[..., Any] = G2P(british=british)
    return converter
