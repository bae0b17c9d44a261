"""IPA as the engines get it: checked and normalized, measured against a voice's phoneme
inventory, given a possessive ending, and converted from X-SAMPA."""

from __future__ import annotations

import unicodedata
from collections.abc import Collection, Iterable, Mapping
from typing import Final

#: IPA letters outside the ranges below (Latin-1, Greek and a few arrows/bars).
_IPA_EXTRA = frozenset("æçðøħŋœβθχεǀǁǂǃ↓↑↗↘‖|ⱱꜛꜜ‿ʼ")
#: Unicode blocks of IPA symbols: IPA Extensions, Spacing Modifier Letters, Combining
#: Diacritical Marks, Phonetic Extensions (+ Supplement), Combining Diacritical Marks Supplement.
_IPA_RANGES = ((0x0250, 0x02FF), (0x0300, 0x036F), (0x1D00, 0x1DFF))
#: Equivalent spellings rewritten on load, so one sound has one symbol: the IPA's own
#: "opentail" g, affricates as two letters (espeak-ng style), no tie bars or syllable dots.
_IPA_REWRITES: Final[Mapping[str, str]] = {
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
_IPA_HINTS: Final[Mapping[str, str]] = {
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
_XSAMPA: Final[Mapping[str, str]] = {
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
