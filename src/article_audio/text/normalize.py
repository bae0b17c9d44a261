"""Normalization for speech: one written sentence in, the words a newsreader would say out.

``normalize("Posted: Jan 05, 2026 4:00 AM EST")`` returns
``"Posted: January fifth, twenty twenty-six, four A.M Eastern"``: plain text that any speech
engine reads right, with no digits and no symbol an engine would spell out or skip.

The work is a pipeline of small, ordered rewrite passes (:data:`PASSES`), each a plain
``str -> str`` function. Order matters: specific patterns (dates, times, money) run before
general ones (bare numbers), and acronyms run after numbers so that "G7" and "F-35" are split
first. Number words come from num2words; word lists (months, units, currencies, honorifics,
acronyms) live in ``data/normalize.toml`` and ``data/acronyms.toml``.

Reading decisions, checked against espeak-ng (the phonemizer of the default Piper voice):

* Letters are written dotted without a final dot ("C.B.C", "U.S", "A.M"). Spaced letters
  ("C B C") make espeak read a lone "A" as the article "uh" ("C I A rejects", "A M");
  a final dot before a capitalized word ("U.S. President") ends the sentence for espeak.
  A dotted group keeps its final period only where it also ends the sentence.
* Times are read in the 12-hour clock with letters: "four A.M Eastern", "ten thirty P.M".
* Ordinary words and names are never respelled, so the lexicon stage still finds them.
"""

from __future__ import annotations

import logging
import re
import sys
import unicodedata
from collections.abc import Callable, Iterable
from fractions import Fraction
from importlib import resources
from typing import Any, Final

from num2words import num2words

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10 only
    import tomli as tomllib

__all__ = ["PASSES", "normalize"]

_LOG = logging.getLogger(__name__)

Rewrite = Callable[[str], str]


# ---------------------------------------------------------------------------------------------
# Data, loaded once at import
# ---------------------------------------------------------------------------------------------


def _load_data(name: str) -> dict[str, Any]:
    """Read one TOML file shipped in ``article_audio/data``."""
    resource = resources.files("article_audio.text").joinpath("data").joinpath(name)
    return tomllib.loads(resource.read_text(encoding="utf-8"))


def _strings(value: Any) -> tuple[str, ...]:
    """Check that a TOML value is an array of strings."""
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise TypeError(f"expected an array of strings, got {value!r}")
    return tuple(value)


def _string_map(value: Any) -> dict[str, str]:
    """Check that a TOML value is a table of strings."""
    if not isinstance(value, dict) or not all(isinstance(item, str) for item in value.values()):
        raise TypeError(f"expected a table of strings, got {value!r}")
    return dict(value)


def _tuple_map(value: Any, size: int) -> dict[str, tuple[str, ...]]:
    """Check that a TOML value is a table of string arrays of one length."""
    if not isinstance(value, dict):
        raise TypeError(f"expected a table, got {value!r}")
    table = {key: _strings(item) for key, item in value.items()}
    if any(len(item) != size for item in table.values()):
        raise ValueError(f"every entry needs {size} strings")
    return table


def _alternation(words: Iterable[str]) -> str:
    """A regex alternation of literal words, longest first so prefixes never win."""
    return "|".join(re.escape(word) for word in sorted(set(words), key=lambda w: (-len(w), w)))


_DATA: Final = _load_data("normalize.toml")
_ACRONYM_DATA: Final = _load_data("acronyms.toml")

MONTHS: Final = _string_map(_DATA["months"])
MONTH_NAMES: Final = tuple(dict.fromkeys(MONTHS.values()))
WEEKDAYS: Final = _string_map(_DATA["weekdays"])
TIME_ZONES: Final = _string_map(_DATA["time_zones"])
CURRENCIES: Final = _tuple_map(_DATA["currencies"], 4)
SCALES: Final = _string_map(_DATA["scales"])
UNITS: Final = _tuple_map(_DATA["units"], 2)
HONORIFICS: Final = _string_map(_DATA["honorifics"])
HONORIFICS_WITHOUT_PERIOD: Final = _strings(_DATA["honorific_rules"]["without_period"])
AFTER_NAMES: Final = _string_map(_DATA["after_names"])
PLACE_PREFIXES: Final = _string_map(_DATA["place_prefixes"])
STREET_TYPES: Final = _string_map(_DATA["street_types"])
ABBREVIATIONS: Final = _string_map(_DATA["abbreviations"])
ROMAN_CARDINAL_CUES: Final = frozenset(_strings(_DATA["roman"]["cardinal_cues"]))
REGNAL_NAMES: Final = frozenset(_strings(_DATA["roman"]["regnal_names"]))
YEAR_STRONG_CUES: Final = frozenset(_strings(_DATA["years"]["strong_cues"]))
YEAR_WEAK_CUES: Final = frozenset(_strings(_DATA["years"]["weak_cues"]))
YEAR_FOLLOWERS: Final = frozenset(_strings(_DATA["years"]["followers"]))
YEAR_COUNTED_NOUNS: Final = frozenset(_strings(_DATA["years"]["counted_nouns"]))
PAIRED_FRACTIONS: Final = frozenset(_strings(_DATA["fractions"]["paired"]))
HYPHENATED_FRACTIONS: Final = frozenset(_strings(_DATA["fractions"]["hyphenated"]))
PHONE_CUES: Final = _strings(_DATA["phones"]["cues"])
SYMBOLS: Final = _string_map(_DATA["symbols"])

LETTER_ACRONYMS: Final = frozenset(_strings(_ACRONYM_DATA["letters"]))
WORD_ACRONYMS: Final = frozenset(_strings(_ACRONYM_DATA["words"]))
COMMON_CAPS_WORDS: Final = frozenset(_strings(_ACRONYM_DATA["common_words"]))
SPOKEN_ACRONYMS: Final = _string_map(_ACRONYM_DATA["spoken"])


# ---------------------------------------------------------------------------------------------
# Number words (num2words, in en-US news style)
# ---------------------------------------------------------------------------------------------

_N2W_AND = re.compile(r"\band\b")
_MAX_SPOKEN_DIGITS = 15  # longer integers are read digit by digit
_NUM = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"  # 2,026 / 4.5 / 12
_SIGNED_NUM = rf"[-+]?{_NUM}"
_RANGE_SEP = r"(?:\s?[-–]\s?|\s+to\s+)"


def _n2w(value: int, to: str = "cardinal") -> str:
    """num2words without the British "and" and without commas ("two thousand twenty-six")."""
    words = str(num2words(value, lang="en", to=to))
    words = _N2W_AND.sub(" ", words.replace(",", " ")).replace("oh-", "oh ")
    return " ".join(words.split())


DIGIT_WORDS: Final = tuple(_n2w(digit) for digit in range(10))


def spell_digits(digits: str) -> str:
    """Read digits one by one: "0199" -> "zero one nine nine" (non-digits are skipped)."""
    return " ".join(DIGIT_WORDS[int(ch)] for ch in digits if ch.isdecimal())


def integer_words(digits: str) -> str:
    """Read an unsigned integer ("2,026" -> "two thousand twenty-six").

    Integers with a leading zero ("007") or too long for a sensible reading are read digit
    by digit.
    """
    digits = digits.replace(",", "")
    if not digits.isdecimal():
        return spell_digits(digits)
    if len(digits) > _MAX_SPOKEN_DIGITS or (len(digits) > 1 and digits[0] == "0"):
        return spell_digits(digits)
    return _n2w(int(digits))


def cardinal(number: str) -> str:
    """Read a number with sign, separators and decimals: "-4.5" -> "minus four point five"."""
    words: list[str] = []
    if number[:1] in ("-", "+"):
        words.append("minus" if number[0] == "-" else "plus")
        number = number[1:]
    whole, _, decimals = number.partition(".")
    if whole:
        words.append(integer_words(whole))
    if decimals:
        words += ["point", spell_digits(decimals)]
    return " ".join(word for word in words if word)


def ordinal(value: int) -> str:
    """Read an ordinal (22 -> "twenty-second")."""
    if value >= 10**_MAX_SPOKEN_DIGITS:
        return spell_digits(str(value))
    return _n2w(value, "ordinal")


def ordinal_words(digits: str) -> str:
    """Read a written ordinal number ("2,000" -> "two thousandth"); huge ones digit by digit."""
    digits = digits.replace(",", "")
    if len(digits) > _MAX_SPOKEN_DIGITS or not digits.isdecimal():
        return spell_digits(digits)
    return ordinal(int(digits))


def bounded_int(digits: str) -> int:
    """The value of a digit string for comparisons; anything over 18 digits counts as 10**18.

    (Python refuses to convert very long digit strings, and no rule here needs their value.)
    """
    digits = digits.replace(",", "")
    return int(digits) if digits.isdecimal() and len(digits) <= 18 else 10**18


def year_words(value: int) -> str:
    """Read a year the way people say it ("twenty twenty-six", "two thousand nine")."""
    if 1000 <= value <= 9999:
        return _n2w(value, "year")
    return integer_words(str(value))


def year_suffix_words(digits: str) -> str:
    """Read the two-digit end of a year range ("23" -> "twenty-three", "05" -> "oh five")."""
    if digits == "00":
        return "hundred"
    if digits.startswith("0"):
        return "oh " + DIGIT_WORDS[int(digits[1])]
    return integer_words(digits)


def pluralize_number(words: str) -> str:
    """Make number words plural for decades ("nineteen ninety" -> "nineteen nineties")."""
    if words.endswith("y"):
        return words[:-1] + "ies"
    if words.endswith("x"):
        return words + "es"
    return words + "s"


def spell_letters(letters: str) -> str:
    """Write letters to be read one by one: "cbc" -> "C.B.C" (see the module docstring)."""
    return ".".join(ch.upper() for ch in letters if ch.isalpha())


# ---------------------------------------------------------------------------------------------
# Context helpers
# ---------------------------------------------------------------------------------------------

_END_OF_TEXT = re.compile(r"[\s\"'”’»)\]]*\Z")
_WORD_PUNCT = ".,;:!?\"'“”‘’()[]«»"


def _at_end(text: str, pos: int) -> bool:
    """True when nothing but closing quotes, brackets and spaces follows ``pos``."""
    return _END_OF_TEXT.match(text, pos) is not None


def _final_period(text: str, match: re.Match[str]) -> str:
    """The sentence period to keep when an abbreviation's dot also ends the sentence."""
    return "." if match.group(0).endswith(".") and _at_end(text, match.end()) else ""


def _word_before(text: str, pos: int) -> str:
    """The whitespace-separated word just before ``pos``, stripped of punctuation."""
    words = text[max(0, pos - 60) : pos].split()
    return words[-1].strip(_WORD_PUNCT) if words else ""


def _word_after(text: str, pos: int) -> str:
    """The whitespace-separated word just after ``pos``, stripped of punctuation."""
    words = text[pos : pos + 60].split()
    return words[0].strip(_WORD_PUNCT) if words else ""


def _is_capitalized(word: str) -> bool:
    """True for a word starting with a capital letter ("Sussex", "NATO")."""
    return bool(word) and word[0].isupper()


def _wordish(char: str) -> bool:
    """True for a letter, digit or combining mark: what a word is written with."""
    return char.isalnum() or unicodedata.category(char[:1] or " ").startswith("M")


def _apart(replace: Callable[[re.Match[str]], str]) -> Callable[[re.Match[str]], str]:
    """``replace`` with a space added where the words it gives would run into a letter or
    digit written right beside the match ("¼A" -> "one quarter A")."""

    def spaced(match: re.Match[str]) -> str:
        spoken, text = replace(match), match.string
        if spoken == match.group(0):  # left as written
            return spoken
        glued_before = _wordish(text[match.start() - 1 : match.start()]) and _wordish(spoken[:1])
        glued_after = _wordish(text[match.end() : match.end() + 1]) and _wordish(spoken[-1:])
        return f"{' ' if glued_before else ''}{spoken}{' ' if glued_after else ''}"

    return spaced


# ---------------------------------------------------------------------------------------------
# Passes: characters
# ---------------------------------------------------------------------------------------------

_WHITESPACE_CONTROLS: Final = frozenset("\t\n\r\v\f\x1c\x1d\x1e\x1f\x85\u2028\u2029")
_INVISIBLE_CATEGORIES: Final = frozenset({"Cc", "Cf", "Co", "Cs", "Cn"})


def _is_variation_selector(ch: str) -> bool:
    """True for emoji and CJK variation selectors."""
    return "\ufe00" <= ch <= "\ufe0f" or "\U000e0100" <= ch <= "\U000e01ef"


def remove_invisible(text: str) -> str:
    """Remove what an engine must never see.

    Control characters, zero-width and bidi-override characters, soft hyphens, variation
    selectors, private-use, surrogate and unassigned code points go; so do combining marks
    with no letter or digit to sit on (they would join the next word to a rewritten one); line
    breaks and tabs become spaces.
    """
    if text.isascii() and text.isprintable():
        return text
    kept: list[str] = []
    for ch in text:
        category = unicodedata.category(ch)
        if ch in _WHITESPACE_CONTROLS:
            kept.append(" ")
        elif category.startswith("M") and not (kept and _wordish(kept[-1])):
            continue
        elif category not in _INVISIBLE_CATEGORIES and not _is_variation_selector(ch):
            kept.append(ch)
    return "".join(kept)


_CHARACTER_MAP: Final = {
    "\u2212": "-",  # minus sign
    "\u2010": "-",  # hyphen
    "\u2011": "-",  # non-breaking hyphen
    "\u2044": "/",  # fraction slash
    "\u2215": "/",  # division slash
    "\u00b4": "'",  # acute accent, typed for an apostrophe ("don´t")
}


def _unify_character(ch: str, previous: str) -> str:
    """One character of :func:`unify_characters`."""
    mapped = _CHARACTER_MAP.get(ch)
    if mapped is not None:
        return mapped
    if ch.isspace():
        return " "
    if "\uff01" <= ch <= "\uff5e":  # full-width ASCII forms
        return chr(ord(ch) - 0xFEE0)
    if ch.isdecimal():
        return str(unicodedata.decimal(ch))
    digit = unicodedata.digit(ch, -1)
    if digit >= 0:  # superscript, subscript, circled digits: "km²" -> "km2"
        return (" " if previous[-1:].isdigit() else "") + str(digit)
    return ch


def unify_characters(text: str) -> str:
    """Bring look-alike characters to one form.

    Letters and their accents are composed (NFC: "e" + U+0301 becomes "é", one word
    character), every space becomes " ", digits of any script and super/subscript digits
    become ASCII digits, minus and hyphen variants become "-", fraction slashes "/", and
    full-width forms their ASCII twins.
    """
    if text.isascii():
        return text
    text = unicodedata.normalize("NFC", text)
    out: list[str] = []
    previous = ""
    for ch in text:
        previous = ch if ch.isascii() else _unify_character(ch, previous)
        out.append(previous)
    return "".join(out)


_WHITESPACE_RUN = re.compile(r"\s+")


def collapse_whitespace(text: str) -> str:
    """Collapse every run of whitespace to one space and trim the ends."""
    return _WHITESPACE_RUN.sub(" ", text).strip()


_OPEN_RUN = re.compile(r"\[{2,}")
_CLOSE_RUN = re.compile(r"\]{2,}")


def neutralize_phoneme_markup(text: str) -> str:
    """Turn "[[" and "]]" into single brackets: Piper reads ``[[ ... ]]`` as raw phonemes."""
    return _CLOSE_RUN.sub("]", _OPEN_RUN.sub("[", text))


# ---------------------------------------------------------------------------------------------
# Passes: web addresses, ampersands, abbreviations, titles and places
# ---------------------------------------------------------------------------------------------

_EMAIL = re.compile(r"(?<![\w.+-])([A-Za-z0-9._+-]+)@([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)")
_TLDS = "com|org|net|gov|edu|int|ca|uk|io|co|news|info|us|eu|fr|de|au|ru|ua|cn|jp|in"
_URL = re.compile(
    rf"(?:\bhttps?://)?(?<![\w.@/-])(?:www\.)?((?:[A-Za-z0-9-]{{2,}}\.)+(?:{_TLDS}))\b"
    r"(/[^\s]*[^\s.,;:!?)\"'”’])?/?",
    re.IGNORECASE,
)
_HANDLE = re.compile(r"(?<![\w@])@([A-Za-z0-9_]{1,30})\b")
_HASHTAG = re.compile(r"(?<![\w#&])#([A-Za-z]\w*)")
_PATH_SEPARATORS = re.compile(r"[/.?=&_#%+-]+")


def _speak_path(path: str) -> str:
    """A URL path read aloud: "/news/world" -> "slash news slash world"."""
    words: list[str] = []
    for part in path.strip("/").split("/"):
        words.append(" ".join(_PATH_SEPARATORS.split(part)).strip())
    return " ".join("slash " + word for word in words if word)


def _speak_url(match: re.Match[str]) -> str:
    """Domain labels joined by "dot", then the path; scheme and "www." are not read."""
    spoken = " dot ".join(match.group(1).split("."))
    if match.group(2):
        spoken += " " + _speak_path(match.group(2))
    return spoken.strip()


def _speak_email(match: re.Match[str]) -> str:
    """An e-mail address read aloud: "john.doe@cbc.ca" -> "john dot doe at cbc dot ca"."""
    return (
        " dot ".join(match.group(1).split(".")) + " at " + " dot ".join(match.group(2).split("."))
    )


def expand_web_addresses(text: str) -> str:
    """Read e-mail addresses, web addresses, @handles and #hashtags."""
    text = _EMAIL.sub(_speak_email, text)
    text = _URL.sub(_speak_url, text)
    text = _HANDLE.sub(r"at \1", text)
    return _HASHTAG.sub(r"hashtag \1", text)


_AMPERSAND = re.compile(r"&(?:amp;)?")
_LETTERS_AMPERSAND = re.compile(r"\b(?P<a>[A-Z]{1,3})&(?:amp;)?(?P<b>[A-Z]{1,3})\b")


def expand_ampersands(text: str) -> str:
    """Read "&" as "and": "AT&T" -> "A.T and T", "R&D" -> "R and D", "Johnson & Johnson"."""
    text = _LETTERS_AMPERSAND.sub(
        lambda m: f"{spell_letters(m.group('a'))} and {spell_letters(m.group('b'))}", text
    )
    return _AMPERSAND.sub(" and ", text)


_ABBREVIATION = re.compile(rf"(?<![\w.])(?:{_alternation(ABBREVIATIONS)})(?!\w)")


def expand_abbreviations(text: str) -> str:
    """Expand common written abbreviations ("e.g." -> "for example", "vs." -> "versus")."""
    return _ABBREVIATION.sub(lambda m: ABBREVIATIONS[m.group(0)] + _final_period(text, m), text)


_PLACE_PREFIX = re.compile(
    rf"\b(?P<abbr>{_alternation(PLACE_PREFIXES)})(?P<dot>\.)?(?P<gap>\s+|-)(?=[A-Z])"
)
_STREET_TYPE = re.compile(rf"(?<=\S )(?P<abbr>{_alternation(STREET_TYPES)})\.?(?![\w-])")
_ORDINAL_WORD = re.compile(r"\d+(?:st|nd|rd|th)|\d+", re.IGNORECASE)


def _street_type(text: str, match: re.Match[str]) -> str:
    """Read a street type after a street name ("Sussex Dr." -> "Sussex Drive")."""
    abbr = match.group("abbr")
    before = _word_before(text, match.start())
    after = _word_after(text, match.end())
    names_a_street = _is_capitalized(before) or _ORDINAL_WORD.fullmatch(before) is not None
    if not names_a_street or (abbr in ("St", "Dr") and _is_capitalized(after)):
        return match.group(0)
    return STREET_TYPES[abbr] + _final_period(text, match)


def expand_place_abbreviations(text: str) -> str:
    """Read St./Mt./Ft. before a name and street types after one.

    "St. Louis" -> "Saint Louis", "St-Jean" -> "Saint-Jean", "Main St." -> "Main Street",
    "24 Sussex Dr." -> "24 Sussex Drive", "Mt. Everest" -> "Mount Everest".
    """
    text = _PLACE_PREFIX.sub(
        lambda m: PLACE_PREFIXES[m.group("abbr")] + (" " if m.group("gap") != "-" else "-"),
        text,
    )
    return _STREET_TYPE.sub(lambda m: _street_type(text, m), text)


_HONORIFIC = re.compile(rf"\b(?P<abbr>{_alternation(HONORIFICS)})\.(?=(?:\s+|-)[A-Z])")
_HONORIFIC_BARE = re.compile(
    rf"\b(?P<abbr>{_alternation(HONORIFICS_WITHOUT_PERIOD)})(?=\s+[A-Z][a-z])"
)
_AFTER_NAME = re.compile(rf"(?<=\w)(?P<sep>,?\s+)(?P<abbr>{_alternation(AFTER_NAMES)})\.?(?!\w)")


def _after_name(text: str, match: re.Match[str]) -> str:
    """Read "Jr."/"Inc." after a capitalized name; anything else is left alone."""
    if not _is_capitalized(_word_before(text, match.start())):
        return match.group(0)
    return match.group("sep") + AFTER_NAMES[match.group("abbr")] + _final_period(text, match)


def expand_honorifics(text: str) -> str:
    """Read titles before names and suffixes after them.

    "Dr. Smith" -> "Doctor Smith", "Lt.-Gen. Smith" -> "Lieutenant-General Smith",
    "Mr Smith" -> "Mister Smith", "Ms. Ng" -> "Miz Ng", "King Jr." -> "King Junior".
    """
    text = _HONORIFIC.sub(lambda m: HONORIFICS[m.group("abbr")], text)
    text = _HONORIFIC_BARE.sub(lambda m: HONORIFICS[m.group("abbr")], text)
    return _AFTER_NAME.sub(lambda m: _after_name(text, m), text)


_NUMBER_SIGN = re.compile(r"(?<!\w)(?:(?P<abbr>Nos?)\.\s?|#\s?)(?=\d)")


def expand_number_sign(text: str) -> str:
    """Read "No. 1" and "#1" as "number one" ("Nos." as "numbers")."""

    def spoken(match: re.Match[str]) -> str:
        """The word for one sign, capitalized at the start of the sentence."""
        word = "numbers" if match.group("abbr") == "Nos" else "number"
        return (word.capitalize() if match.start() == 0 else word) + " "

    return _NUMBER_SIGN.sub(_apart(spoken), text)


# ---------------------------------------------------------------------------------------------
# Passes: Roman numerals
# ---------------------------------------------------------------------------------------------

_ROMAN_CANDIDATE = re.compile(
    r"\b(?P<prev>[A-Z]\w*\.?)(?P<gap> )(?P<numeral>[IVXLC]+)(?P<poss>['’]s)?(?!\w|\.\w)"
)
_ROMAN_VALID = re.compile(r"(C{0,3})(XC|XL|L?X{0,3})(IX|IV|V?I{0,3})")
_ROMAN_VALUES: Final = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}


def roman_value(numeral: str) -> int | None:
    """The value of a well-formed Roman numeral up to 399, else None."""
    if not numeral or _ROMAN_VALID.fullmatch(numeral) is None:
        return None
    total = 0
    for index, ch in enumerate(numeral):
        value = _ROMAN_VALUES[ch]
        following = numeral[index + 1 : index + 2]
        total += -value if following and _ROMAN_VALUES[following] > value else value
    return total


def _regnal_reading(prev: str, numeral: str, text: str, end: int) -> bool:
    """Whether a numeral after a capitalized word is a regnal number ("Charles III")."""
    if len(numeral) > 1:
        return set(numeral) <= set("IVX")
    if prev not in REGNAL_NAMES:
        return False
    # "Elizabeth I was crowned" would misread the pronoun; a lone I needs a clause end.
    return numeral != "I" or _at_end(text, end) or text[end : end + 1] in ",;:.!?'’"


def _roman(text: str, match: re.Match[str]) -> str:
    """Read one Roman numeral candidate, or leave it."""
    prev = match.group("prev").rstrip(".")
    numeral = match.group("numeral")
    value = roman_value(numeral)
    lead = match.group("prev") + match.group("gap")
    poss = match.group("poss") or ""
    if value is None:
        return match.group(0)
    if prev.title() in ROMAN_CARDINAL_CUES and (len(numeral) > 1 or numeral in "IVX"):
        return lead + integer_words(str(value)).title() + poss
    if _regnal_reading(prev, numeral, text, match.end("numeral")):
        return lead + "the " + ordinal(value).title() + poss
    return match.group(0)


def expand_roman_numerals(text: str) -> str:
    """Read Roman numerals after names and numbered things.

    "Charles III" -> "Charles the Third", "World War II" -> "World War Two",
    "Super Bowl LVIII" -> "Super Bowl Fifty-Eight"; "IV" on its own stays for the acronyms.
    """
    return _ROMAN_CANDIDATE.sub(lambda m: _roman(text, m), text)


# ---------------------------------------------------------------------------------------------
# Passes: phone numbers, dates, times
# ---------------------------------------------------------------------------------------------

_PHONE_NANP = re.compile(
    r"(?<![\w+.-])(?P<prefix>\+?1[-.\s])?(?:\((?P<area>\d{3})\)\s?|(?P<area2>\d{3})[-.])"
    r"(?P<exchange>\d{3})[-.](?P<line>\d{4})(?![\w-]|\.\d)"
)
_PHONE_INTERNATIONAL = re.compile(
    r"(?<![\w+])\+(?P<groups>\d{1,3}(?:[\s.-]\d{1,4}){2,5})(?![\w-]|\.\d)"
)
_PHONE_LOCAL = re.compile(
    rf"\b(?P<cue>{_alternation(PHONE_CUES)})(?P<gap>:?\s+)(?P<exchange>\d{{3}})-(?P<line>\d{{4}})"
    r"(?![\w-]|\.\d)",
    re.IGNORECASE,
)
_DIGIT_GROUPS = re.compile(r"\d+")


def _phone_groups(groups: Iterable[str]) -> str:
    """Digit groups read digit by digit, with a pause between groups."""
    return ", ".join(spell_digits(group) for group in groups if group)


def _nanp_phone(match: re.Match[str]) -> str:
    """Read a North American number ("1-800-555-0199")."""
    prefix = match.group("prefix") or ""
    spoken = ("plus " if prefix.startswith("+") else "") + ("one, " if prefix else "")
    area = match.group("area") or match.group("area2")
    return spoken + _phone_groups([area, match.group("exchange"), match.group("line")])


def expand_phone_numbers(text: str) -> str:
    """Read phone numbers digit by digit ("555-0199" after "call" -> "five five five, ...")."""
    text = _PHONE_NANP.sub(_apart(_nanp_phone), text)
    text = _PHONE_INTERNATIONAL.sub(
        _apart(lambda m: "plus " + _phone_groups(_DIGIT_GROUPS.findall(m.group("groups")))), text
    )
    return _PHONE_LOCAL.sub(
        _apart(
            lambda m: (
                m.group("cue")
                + m.group("gap")
                + _phone_groups([m.group("exchange"), m.group("line")])
            )
        ),
        text,
    )


_MONTH = rf"(?P<month>{_alternation(MONTHS)})\b\.?"
_WEEKDAY = rf"(?:(?P<weekday>{_alternation(WEEKDAYS)})\b\.?,?\s+)?"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_DAY2 = r"(?:\s?[-–]\s?(?P<day2>[0-3]?\d)(?:st|nd|rd|th)?)?"
_DATE_YEAR = r"(?:,?\s+(?P<year>\d{4})(?!\w|[.,:]\d))?"
_DATE_MDY = re.compile(rf"(?<![\w.]){_WEEKDAY}{_MONTH}\s+{_DAY}{_DAY2}(?![\w:]|[.,]\d){_DATE_YEAR}")
_DATE_DMY = re.compile(
    rf"(?<![\w.,]){_WEEKDAY}(?P<the>[Tt]he\s+)?{_DAY}{_DAY2}\s+(?:of\s+)?{_MONTH}(?!\w){_DATE_YEAR}"
)
_DATE_MY = re.compile(rf"(?<![\w.]){_MONTH},?\s+(?P<year>\d{{4}})(?!\w|[.,:]\d)")
_DATE_ISO = re.compile(r"(?<![\w.-])(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})(?![\w-]|\.\d)")
_DATE_SLASH = re.compile(
    r"(?<![\w./])(?P<first>\d{1,2})/(?P<second>\d{1,2})/(?P<year>\d{4}|\d{2})(?![\w/]|\.\d)"
)
_TIME_AHEAD = re.compile(r"\s+\d{1,2}(?:[:.]\d{2}|\s?[AaPp]\.?[Mm]\b)")


def _date_words(
    month: int, day: int, year: int | None, *, day_first: bool, day2: int | None = None
) -> str | None:
    """Say a date: "January fifth, twenty twenty-six" or "the fifth of January, ...".

    Returns None when the numbers are not a real calendar date.
    """
    if not 1 <= month <= 12 or not 1 <= day <= 31 or (day2 is not None and not day < day2 <= 31):
        return None
    days = ordinal(day) + (" to " + ordinal(day2) if day2 is not None else "")
    name = MONTH_NAMES[month - 1]
    spoken = f"the {days} of {name}" if day_first else f"{name} {days}"
    if year is not None:
        spoken += ", " + year_words(year)
    return spoken


def _date_match(text: str, match: re.Match[str], *, day_first: bool) -> str:
    """Read a month-name date match (both orders), with its weekday and year."""
    groups = match.groupdict()
    month = MONTH_NAMES.index(MONTHS[groups["month"]]) + 1
    year = int(groups["year"]) if groups["year"] else None
    day2 = int(groups["day2"]) if groups["day2"] else None
    spoken = _date_words(month, int(groups["day"]), year, day_first=day_first, day2=day2)
    if spoken is None:
        return match.group(0)
    if groups.get("the"):
        spoken = groups["the"].rstrip() + spoken[3:]  # keep "The" capitalized
    if groups["weekday"]:
        spoken = WEEKDAYS[groups["weekday"]] + ", " + spoken
    if year is not None and _TIME_AHEAD.match(text, match.end()):
        spoken += ","
    return spoken


def _numeric_date(text: str, match: re.Match[str]) -> str:
    """Read ISO (2026-01-05) and slash (1/5/2026, 15/01/2026) dates."""
    groups = match.groupdict()
    year = int(groups["year"])
    if year < 100:
        year += 2000
    if "first" in groups:
        first, second = int(groups["first"]), int(groups["second"])
        day_first = first > 12
        month, day = (second, first) if day_first else (first, second)
    else:
        month, day, day_first = int(groups["month"]), int(groups["day"]), False
    spoken = _date_words(month, day, year, day_first=day_first)
    if spoken is None:
        return match.group(0)
    return spoken + ("," if _TIME_AHEAD.match(text, match.end()) else "")


def _month_year(match: re.Match[str]) -> str:
    """Read "January 2026" -> "January twenty twenty-six"."""
    year = int(match.group("year"))
    if not 1000 <= year <= 2099:
        return match.group(0)
    return MONTHS[match.group("month")] + " " + year_words(year)


def expand_dates(text: str) -> str:
    """Read dates in news formats.

    "Jan 05, 2026" and "Jan. 5, 2026" -> "January fifth, twenty twenty-six";
    "5 January 2026" -> "the fifth of January, twenty twenty-six";
    "Sat 14 Nov 2026" -> "Saturday, the fourteenth of November, twenty twenty-six";
    "2026-01-05" -> "January fifth, twenty twenty-six"; "January 2026". A comma is added
    between a dated year and a clock time that follows it.
    """
    text = _DATE_ISO.sub(_apart(lambda m: _numeric_date(text, m)), text)
    text = _DATE_SLASH.sub(_apart(lambda m: _numeric_date(text, m)), text)
    text = _DATE_MDY.sub(_apart(lambda m: _date_match(text, m, day_first=False)), text)
    text = _DATE_DMY.sub(_apart(lambda m: _date_match(text, m, day_first=True)), text)
    return _DATE_MY.sub(_apart(_month_year), text)


def _time_core(prefix: str) -> str:
    """Regex for one clock time; group names start with ``prefix``."""
    return (
        rf"(?P<{prefix}h>[0-2]?\d)(?!\d)(?:(?P<{prefix}sep>[:.])(?P<{prefix}m>[0-5]\d)(?!\d))?"
        rf"(?:\s?(?P<{prefix}ampm>[AaPp]\.?[Mm]\b\.?))?"
    )


_TIME = re.compile(
    rf"(?<![\w.:$€£,/-]){_time_core('a')}(?:\s?(?:[-–]|to\b)\s?{_time_core('b')})?"
    rf"(?:\s(?P<noon>noon|midnight)\b)?(?:\s+(?P<zone>{_alternation(TIME_ZONES)})\b)?"
)


def _minute_words(minute: int) -> str:
    """Minutes after the hour: "" for :00, "oh five" for :05, "thirty" for :30."""
    if minute == 0:
        return ""
    return ("oh " if minute < 10 else "") + integer_words(str(minute))


def _clock_words(hour: int, minute: int, ampm: str | None, twenty_four: bool) -> str | None:
    """Say one clock time in the 12-hour clock, or None if it is not a time."""
    if ampm is not None:
        if not 1 <= hour <= 12:
            return None
        suffix = spell_letters(ampm)
    elif twenty_four:
        if hour > 23:
            return None
        if minute == 0 and hour in (0, 12):
            return "midnight" if hour == 0 else "noon"
        suffix = "A.M" if hour < 12 else "P.M"
        hour = hour % 12 or 12
    elif hour > 12:
        return None
    else:
        suffix = "" if minute else "o'clock"
    return " ".join(w for w in (integer_words(str(hour)), _minute_words(minute), suffix) if w)


def _clock(groups: dict[str, str | None], prefix: str, fallback_ampm: str | None) -> str | None:
    """Say the clock time captured under ``prefix`` in a :data:`_TIME` match."""
    hour_text = groups[prefix + "h"] or ""
    minute_text = groups[prefix + "m"]
    ampm = groups[prefix + "ampm"] or fallback_ampm
    if minute_text is None and ampm is None:
        return None
    twenty_four = hour_text.startswith("0") or int(hour_text) > 12 or int(hour_text) == 0
    return _clock_words(int(hour_text), int(minute_text or 0), ampm, twenty_four)


def _spoken_times(groups: dict[str, str | None]) -> str | None:
    """Say the time or time range of a :data:`_TIME` match, or None if it is no time."""
    if groups["bh"] is None:
        if groups["noon"] and groups["ah"] == "12" and groups["am"] in (None, "00"):
            return groups["noon"]  # "12 noon", "12:00 midnight"
        return _clock(groups, "a", None)
    shared_suffix = groups["aampm"] is None and groups["bampm"] is not None
    first = _clock(groups, "a", groups["bampm"] if shared_suffix else None)
    second = _clock(groups, "b", None)
    if first is None or second is None:
        return None
    if shared_suffix:
        first = first.rsplit(" ", 1)[0]  # "nine to eleven A.M", not "nine A.M to eleven A.M"
    return f"{first} to {second}"


def _time(text: str, match: re.Match[str]) -> str:
    """Read one time or time range with its noon/midnight word and zone."""
    groups = match.groupdict()
    if groups["asep"] == "." and not (groups["aampm"] or groups["zone"]):
        return match.group(0)  # 4.30 is a decimal unless a clock word follows
    spoken = _spoken_times(groups)
    if spoken is None and groups["bh"] is not None:
        # "rose 5 to 10:30": no range of times, but its end may still be a time
        return text[match.start() : match.start("bh")] + expand_times(
            text[match.start("bh") : match.end()]
        )
    if spoken is None:
        return match.group(0)
    if groups["noon"] and spoken != groups["noon"]:
        spoken += " " + groups["noon"]
    if groups["zone"]:
        spoken += " " + TIME_ZONES[groups["zone"]]
    return spoken + _final_period(text, match)


def expand_times(text: str) -> str:
    """Read clock times in the 12-hour clock with letters and zones.

    "4:00 AM EST" -> "four A.M Eastern", "10:30 p.m. ET" -> "ten thirty P.M Eastern",
    "07.00 AEDT" -> "seven A.M Australian Eastern Daylight Time", "16:05" -> "four oh five
    P.M", "9 a.m.-5 p.m." -> "nine A.M to five P.M", "12 noon" -> "noon".
    """
    return _TIME.sub(_apart(lambda m: _time(text, m)), text)


# ---------------------------------------------------------------------------------------------
# Passes: money, percentages, units
# ---------------------------------------------------------------------------------------------

_CURRENCY_PREFIX = _alternation(CURRENCIES)
_MONEY = re.compile(
    rf"(?<![\w$])(?P<minus>-)?(?P<cur>{_CURRENCY_PREFIX})\s?(?P<a>{_NUM})"
    rf"(?:{_RANGE_SEP}(?:{_CURRENCY_PREFIX})?\s?(?P<b>{_NUM}))?"
    rf"(?:\s?(?P<scale>{_alternation(SCALES)})(?!\w))?"
)
_CENTS = re.compile(rf"(?<![\w.])(?P<a>{_NUM})\s?¢")


def money_words(amount: str, names: tuple[str, ...]) -> str:
    """Say an amount in one currency: "3.50" -> "three dollars and fifty cents"."""
    unit, units, minor, minors = names
    whole, _, decimals = amount.partition(".")
    digits = whole.replace(",", "")
    if decimals and (len(decimals) > 2 or not minor):
        return f"{cardinal(amount)} {units}"
    minor_value = int(decimals.ljust(2, "0")) if decimals else 0
    parts: list[str] = []
    if digits.strip("0") or not minor_value:
        parts.append(f"{integer_words(whole)} {unit if digits == '1' else units}")
    if minor_value:
        parts.append(f"{integer_words(str(minor_value))} {minor if minor_value == 1 else minors}")
    return " and ".join(parts)


def _money(match: re.Match[str]) -> str:
    """Read one money match: sign, currency, amount or range, scale."""
    names = CURRENCIES[match.group("cur")]
    low, high, scale = match.group("a"), match.group("b"), match.group("scale")
    sign = "minus " if match.group("minus") else ""
    if scale:
        amounts = cardinal(low) + (f" to {cardinal(high)}" if high else "")
        return f"{sign}{amounts} {SCALES[scale]} {names[1]}"
    if high:
        return f"{sign}{cardinal(low)} to {money_words(high, names)}"
    return sign + money_words(low, names)


def expand_currencies(text: str) -> str:
    """Read money in news style.

    "$4.5 billion" -> "four point five billion dollars", "$3.50" -> "three dollars and fifty
    cents", "C$1.2 billion" -> "one point two billion Canadian dollars", "A$1.9bn" -> "one
    point nine billion Australian dollars", "£20" -> "twenty pounds", "50¢" -> "fifty cents".
    """
    text = _MONEY.sub(_apart(_money), text)
    return _CENTS.sub(
        _apart(lambda m: cardinal(m.group("a")) + (" cent" if m.group("a") == "1" else " cents")),
        text,
    )


_PERCENT = re.compile(
    rf"(?<![\w.])(?P<a>{_SIGNED_NUM})(?:\s?%?{_RANGE_SEP}(?P<b>{_SIGNED_NUM}))?\s?%"
)


def expand_percentages(text: str) -> str:
    """Read percentages: "12%" -> "twelve percent", "10-12%" -> "ten to twelve percent"."""

    def spoken(match: re.Match[str]) -> str:
        """One percentage or range of percentages."""
        high = match.group("b")
        return cardinal(match.group("a")) + (f" to {cardinal(high)}" if high else "") + " percent"

    return _PERCENT.sub(_apart(spoken), text)


_UNIT = re.compile(
    rf"(?<![\w.])(?P<a>{_SIGNED_NUM})(?:{_RANGE_SEP}(?P<b>{_SIGNED_NUM}))?"
    rf"(?P<sep>\s?|-)(?P<unit>{_alternation(UNITS)})(?![\w°/²³])"
)


def _unit(match: re.Match[str]) -> str:
    """Read one measurement with plural agreement; "5-km race" keeps its hyphen."""
    low, high = match.group("a"), match.group("b")
    singular, plural = UNITS[match.group("unit")]
    amounts = cardinal(low) + (f" to {cardinal(high)}" if high else "")
    if match.group("sep") == "-":
        return f"{amounts}-{singular}"
    one = high is None and low.lstrip("+-") == "1"
    return f"{amounts} {singular if one else plural}"


def expand_units(text: str) -> str:
    """Read measurements: "5 km" -> "five kilometers", "-5°C" -> "minus five degrees Celsius",
    "1 lb" -> "one pound", "a 5-km race" -> "a five-kilometer race"."""
    return _UNIT.sub(_apart(_unit), text)


# ---------------------------------------------------------------------------------------------
# Passes: decades, ordinals, fractions, ranges, years, plain numbers
# ---------------------------------------------------------------------------------------------

_DECADE_FULL = re.compile(r"(?<![\w'’.,])(?P<year>[1-9]\d\d0)['’]?s\b")
_DECADE_SHORT = re.compile(r"(?<![\w'’.,$])(?P<apos>['’])?(?P<decade>\d0)['’]?s\b")
_HUNDREDS = re.compile(r"(?<![\w'’.,$])100['’]?s\b")


def _full_decade(match: re.Match[str]) -> str:
    """Read "1990s" -> "nineteen nineties"; "1000s" of things -> "thousands"."""
    year = int(match.group("year"))
    return "thousands" if year == 1000 else pluralize_number(year_words(year))


def _short_decade(match: re.Match[str]) -> str:
    """Read "'90s" / "the 90s" -> "nineties"; "'00s" -> "two thousands"."""
    decade = match.group("decade")
    if decade == "00":
        return "two thousands" if match.group("apos") else match.group(0)
    return pluralize_number(integer_words(decade))


def expand_decades(text: str) -> str:
    """Read decades: "1990s" -> "nineteen nineties", "2000s" -> "two thousands",
    "'90s" -> "nineties", "in their 20s" -> "in their twenties"; "100s" -> "hundreds"."""
    text = _DECADE_FULL.sub(_apart(_full_decade), text)
    text = _HUNDREDS.sub("hundreds", text)
    return _DECADE_SHORT.sub(_apart(_short_decade), text)


_ORDINAL = re.compile(
    r"(?<![\w.,])(?P<n>\d{1,3}(?:,\d{3})+|\d+)(?P<suffix>st|nd|rd|th)\b", re.IGNORECASE
)


def expand_ordinals(text: str) -> str:
    """Read ordinals: "1st" -> "first", "22nd" -> "twenty-second", "100th" -> "one hundredth"."""
    return _ORDINAL.sub(_apart(lambda m: ordinal_words(m.group("n"))), text)


_VULGAR_FRACTION = re.compile(r"(?<![\w.])(?:(?P<whole>\d+)\s?)?(?P<fraction>[½⅓⅔¼¾⅕⅖⅗⅘⅙⅚⅐⅛⅜⅝⅞⅑⅒])")
_SLASH_FRACTION = re.compile(
    r"(?<![\w./])(?:(?P<whole>\d{1,3})\s)?(?P<num>\d+)/(?P<den>\d+)(?![\w/]|\.\d)"
)


def fraction_words(numerator: int, denominator: int, *, mixed: bool = False) -> str:
    """Say a fraction: "three quarters", "one half", "two thirds"; "a half" after a whole."""
    plural = numerator != 1
    if denominator == 2:
        name = "halves" if plural else "half"
    elif denominator == 4:
        name = "quarters" if plural else "quarter"
    else:
        name = ordinal(denominator) + ("s" if plural else "")
    count = "a" if mixed and not plural else integer_words(str(numerator))
    return f"{count} {name}"


def _vulgar_fraction(match: re.Match[str]) -> str:
    """Read "½", "2½" ("two and a half")."""
    value = Fraction(unicodedata.numeric(match.group("fraction"))).limit_denominator(16)
    whole = match.group("whole")
    if whole:
        spoken = fraction_words(value.numerator, value.denominator, mixed=True)
        return f"{integer_words(whole)} and {spoken}"
    return fraction_words(value.numerator, value.denominator)


def _slash_pair(numerator: str, denominator: str) -> str:
    """Read "a/b" without a whole part."""
    written = f"{numerator}/{denominator}"
    top, bottom = bounded_int(numerator), bounded_int(denominator)
    if written in PAIRED_FRACTIONS:
        return f"{integer_words(numerator)} {integer_words(denominator)}"
    if written in HYPHENATED_FRACTIONS:
        return f"{integer_words(numerator)}-{integer_words(denominator)}"
    if len(numerator) == 4 and 1000 <= top <= 2099 and len(denominator) in (2, 4):
        end = year_suffix_words(denominator) if len(denominator) == 2 else year_words(bottom)
        return f"{year_words(top)} to {end}"  # the 2022/23 season
    if 0 < top < bottom <= 16 and bottom != 10:
        return fraction_words(top, bottom)
    return f"{integer_words(numerator)} {'out of' if top <= bottom else 'over'} " + (
        integer_words(denominator)
    )


def _slash_fraction(match: re.Match[str]) -> str:
    """Read "1/2", "1 1/2", "24/7", "8/10", "2022/23"."""
    whole, top, bottom = match.group("whole"), match.group("num"), match.group("den")
    if whole and 0 < bounded_int(top) < bounded_int(bottom) <= 16:
        spoken = fraction_words(int(top), int(bottom), mixed=True)
        return f"{integer_words(whole)} and {spoken}"
    spoken = _slash_pair(top, bottom)
    return f"{integer_words(whole)} {spoken}" if whole else spoken


def expand_fractions(text: str) -> str:
    """Read fractions: "1/2" and "½" -> "one half", "3/4" -> "three quarters",
    "2½" -> "two and a half", "24/7" -> "twenty-four seven", "8/10" -> "eight out of ten"."""
    text = _VULGAR_FRACTION.sub(_apart(_vulgar_fraction), text)
    return _SLASH_FRACTION.sub(_apart(_slash_fraction), text)


_RANGE = re.compile(
    rf"(?<![\w.,/:+-])(?P<a>{_NUM})(?:[-–]|\s[-–]\s)(?P<b>{_NUM})(?!\w|[.,/:]\d|[-–]\d)"
)


def _is_year_number(written: str) -> bool:
    """Four plain digits between 1000 and 2099."""
    return len(written) == 4 and written.isdecimal() and 1000 <= int(written) <= 2099


def _range(match: re.Match[str]) -> str:
    """Read "2022-2023", "2022-23" as years and anything else as "a to b"."""
    low, high = match.group("a"), match.group("b")
    if _is_year_number(low) and _is_year_number(high):
        return f"{year_words(int(low))} to {year_words(int(high))}"
    if _is_year_number(low) and len(high) == 2 and high.isdecimal():
        return f"{year_words(int(low))} to {year_suffix_words(high)}"
    return f"{cardinal(low)} to {cardinal(high)}"


def expand_ranges(text: str) -> str:
    """Read number ranges and scores with "to": "2022-2023" -> "twenty twenty-two to twenty
    twenty-three", "9-5" -> "nine to five". "35-nation" is no range and is left alone."""
    return _RANGE.sub(_apart(_range), text)


_YEAR = re.compile(r"(?<![\w.,$€£¥/:+])(?P<year>\d{4})(?!\w|[.,:/]\d|%)")
_SHORT_YEAR = re.compile(r"(?<![\w'’])['’](?P<yy>\d{2})(?![\w'’%]|[.,]\d)")


def _counted_noun(word: str) -> bool:
    """Whether the word after a number shows it is a count: a plural ("troops", "people")."""
    if not word or not word[0].islower() or word in YEAR_FOLLOWERS:
        return False
    plural = len(word) > 2 and word.endswith("s") and not word.endswith(("ss", "'s", "’s"))
    return plural or word in YEAR_COUNTED_NOUNS


def _looks_like_year(text: str, start: int, end: int) -> bool:
    """Decide whether a four-digit number is a year from the words around it.

    A strong cue before it ("in", "since", "summer") makes it a year; a weak cue ("by",
    "and", "the") does unless a counted noun follows ("to 2500 people"); with no cue, numbers
    from 1900 to 2099 are years unless a counted noun follows ("2026 people", but "the 2024
    win").
    """
    if start > 0 and text[start - 1] == "-" and (start < 2 or not text[start - 2].isalpha()):
        return False  # a negative number or the end of a range, not "mid-2026"
    before = _word_before(text, start).rstrip("-").lower()
    counted = _counted_noun(_word_after(text, end))
    if before in YEAR_STRONG_CUES:
        return True
    if before in YEAR_WEAK_CUES:
        return not counted
    return 1900 <= int(text[start:end]) <= 2099 and not counted


def expand_years(text: str) -> str:
    """Read four-digit numbers that are years as years ("in 2026" -> "in twenty twenty-six",
    "back in 2022 and 2023", "since 1990") and "'26" as "twenty-six"; counts are left for
    :func:`expand_numbers` ("2026 people")."""

    def spoken(match: re.Match[str]) -> str:
        """Year words for a year, the number untouched otherwise."""
        year = int(match.group("year"))
        if 1000 <= year <= 2099 and _looks_like_year(text, match.start(), match.end()):
            return year_words(year)
        return match.group(0)

    text = _YEAR.sub(_apart(spoken), text)
    return _SHORT_YEAR.sub(_apart(lambda m: year_suffix_words(m.group("yy"))), text)


_SCALED_NUMBER = re.compile(rf"(?<![\w.])(?P<a>{_SIGNED_NUM})\s?(?P<scale>bn|mn|tn|trn)\b")
_LETTER_HYPHEN_DIGIT = re.compile(r"(?<=[^\W\d_])-(?=\d)")
_LETTER_DIGIT = re.compile(r"(?<=[^\W\d_])(?=\d)|(?<=\d)(?=[^\W\d_])")
_DOTTED_NUMBER = re.compile(r"(?<![\w.])\d+(?:\.\d+){2,}")
_NUMBER = re.compile(rf"(?P<sign>(?<![\w)\].,%-])[-+])?(?<![\w.,])(?P<body>{_NUM}|\.\d+)")


def _number(match: re.Match[str]) -> str:
    """Read one plain number, with its sign."""
    return cardinal((match.group("sign") or "") + match.group("body"))


def expand_numbers(text: str) -> str:
    """Read every remaining number as a count.

    "2,026" -> "two thousand twenty-six", "4.5" -> "four point five", "-3" -> "minus three",
    "4.5bn" -> "four point five billion", "G7" -> "G seven", "F-35" -> "F thirty-five",
    "35-nation" -> "thirty-five-nation", "1.2.3" -> "one point two point three".
    """
    text = _SCALED_NUMBER.sub(
        _apart(lambda m: f"{cardinal(m.group('a'))} {SCALES[m.group('scale')]}"), text
    )
    text = _LETTER_HYPHEN_DIGIT.sub(" ", text)
    text = _LETTER_DIGIT.sub(" ", text)
    text = _DOTTED_NUMBER.sub(
        _apart(lambda m: " point ".join(integer_words(part) for part in m.group(0).split("."))),
        text,
    )
    return _NUMBER.sub(_apart(_number), text)


# ---------------------------------------------------------------------------------------------
# Passes: acronyms and initials
# ---------------------------------------------------------------------------------------------

_SPOKEN_TOKEN = re.compile(rf"(?<![\w.&])(?:{_alternation(SPOKEN_ACRONYMS)})(?![\w&])")
_DOTTED_LETTERS = re.compile(
    r"(?<![\w.])(?P<letters>(?:[A-Za-z]\.)+[A-Za-z])(?P<dot>\.)?(?P<suffix>['’]s|(?<=\.)s)?(?!\w)"
)
_INITIAL = re.compile(r"(?<![\w.])(?P<letter>[B-Z])\.(?=\s+[A-Z])")
_CAPS_TOKEN = re.compile(r"(?<![\w.&'’])(?P<token>[A-Z]{2,})(?P<suffix>s|['’]s)?(?![\w&])")
_VOWELS: Final = frozenset("AEIOU")
_ONSETS: Final = frozenset(_strings(_ACRONYM_DATA["onsets"]))
_CODAS: Final = frozenset(_strings(_ACRONYM_DATA["codas"]))
_LETTER_RUNS = re.compile(r"[AEIOU]+|[^AEIOU]+")


def pronounceable(word: str, *, min_length: int = 4) -> bool:
    """Guess whether an all-caps token can be read as a word (NATO) or needs letters (NDP).

    It needs a vowel, a speakable start ("STR" yes, "NS" no), no run of three vowels, no run
    of four consonants inside, and no three consonants at the end but a known coda ("TCH").
    """
    letters = word.upper()
    if len(letters) < min_length or ("Q" in letters and "QU" not in letters):
        return False
    letters = letters[0] + letters[1:].replace("Y", "I")  # a Y after the start is a vowel
    runs = _LETTER_RUNS.findall(letters)
    if not any(run[0] in _VOWELS for run in runs):
        return False
    if runs[0][0] not in _VOWELS and len(runs[0]) > 1 and runs[0] not in _ONSETS:
        return False
    if runs[-1][0] not in _VOWELS and len(runs[-1]) > 2 and runs[-1] not in _CODAS:
        return False
    return all(len(run) < (3 if run[0] in _VOWELS else 4) for run in runs)


def _shouted_word(token: str) -> bool:
    """True for an all-caps word that reads as a word (a shouted headline's "ABOUT")."""
    if len(token) < 2 or not token.isalpha() or not token.isupper() or token in LETTER_ACRONYMS:
        return False
    return token in WORD_ACRONYMS or token in COMMON_CAPS_WORDS or pronounceable(token)


def _read_as_letters(token: str, shouting: bool) -> bool:
    """Whether an all-caps token is spelled out; see ``data/acronyms.toml``."""
    if shouting and token in COMMON_CAPS_WORDS:
        return False
    if token in LETTER_ACRONYMS:
        return True
    if token in WORD_ACRONYMS or token in COMMON_CAPS_WORDS:
        return False
    return not pronounceable(token, min_length=3 if shouting else 4)


def _caps_token(text: str, match: re.Match[str]) -> str:
    """Spell an all-caps token or leave it as a word, keeping plural and possessive."""
    token, suffix = match.group("token"), match.group("suffix") or ""
    shouting = _shouted_word(_word_before(text, match.start())) or _shouted_word(
        _word_after(text, match.end())
    )
    if not _read_as_letters(token, shouting):
        return match.group(0)
    return spell_letters(token) + ("." + suffix if suffix == "s" else suffix)


def _dotted_letters(text: str, match: re.Match[str]) -> str:
    """Rewrite "U.S." as "U.S"; the final dot stays only where it ends the sentence."""
    suffix = match.group("suffix") or ""
    letters = match.group("letters")
    if letters.endswith(".s") and letters[:-2].isupper() and not suffix:
        letters, suffix = letters[:-2], "s"  # our own plural: "M.P.s"
    spoken = spell_letters(letters)
    if suffix == "s":
        return spoken + ".s"
    if match.group("dot") and not suffix and _at_end(text, match.end()):
        return spoken + "."
    return spoken + suffix


def expand_acronyms(text: str) -> str:
    """Read acronyms as letters or as words.

    "CBC" -> "C.B.C", "U.S." -> "U.S", "MPs" -> "M.P.s", "NATO" and "COVID" stay words,
    "George W. Bush" -> "George W Bush"; a shouted headline ("ABOUT THE AUTHOR") stays words.
    """
    text = _SPOKEN_TOKEN.sub(lambda m: SPOKEN_ACRONYMS[m.group(0)], text)
    text = _DOTTED_LETTERS.sub(lambda m: _dotted_letters(text, m), text)
    text = _INITIAL.sub(r"\g<letter>", text)
    return _CAPS_TOKEN.sub(lambda m: _caps_token(text, m), text)


# ---------------------------------------------------------------------------------------------
# Passes: symbols and final tidying
# ---------------------------------------------------------------------------------------------

_WORD_EN_DASH = re.compile(r"(?<=[^\W\d_])–(?=[^\W\d_])")
_SPACED_HYPHEN = re.compile(r"(?:^|\s)[-–]+(?=\s|$)")
_SYMBOL = re.compile(rf"(?:{_alternation(SYMBOLS)})")
_DROPPED_CATEGORIES: Final = frozenset({"So", "Sk", "Sm"})


def _drop_other_symbols(text: str) -> str:
    """Remove symbols with no spoken form (emoji, arrows, dingbats); each leaves a space, so
    that the words around it stay apart ("love♥you")."""
    if text.isascii():
        return text
    return "".join(" " if unicodedata.category(ch) in _DROPPED_CATEGORIES else ch for ch in text)


_SILENT_SYMBOLS: Final = "".join(symbol for symbol, spoken in SYMBOLS.items() if not spoken)


def _symbol(match: re.Match[str]) -> str:
    """A symbol's spoken form, spaced from what is around it ("%®A" -> " percent A"); a symbol
    that is dropped between two words (maybe with other dropped symbols) leaves a space:
    "0*©A" -> "0 A"."""
    spoken, text = SYMBOLS[match.group(0)], match.string
    if spoken:
        return f" {spoken.strip()} "
    before = text[: match.start()].rstrip(_SILENT_SYMBOLS)[-1:]
    after = text[match.end() :].lstrip(_SILENT_SYMBOLS)[:1]
    return " " if _wordish(before) and _wordish(after) else ""


def expand_symbols(text: str) -> str:
    """Read or drop the symbols left over.

    "&" -> "and", "%" -> "percent", "+" -> "plus", "#" -> "number", "@" -> "at"; "·", "|",
    "•", "—" and a spaced "-" or "–" become a comma pause; "–" between words a hyphen;
    "®", "™", "©" and emoji are dropped.
    """
    text = _WORD_EN_DASH.sub("-", text)
    text = _SPACED_HYPHEN.sub(", ", text)
    text = text.replace("–", ", ")
    text = _SYMBOL.sub(_symbol, text)
    return _drop_other_symbols(text)


_ANY_DIGITS = re.compile(r"\d+")


def spell_leftover_digits(text: str) -> str:
    """Safety net: read any digit still left one by one, so no digit reaches the engine."""
    return _ANY_DIGITS.sub(lambda m: f" {spell_digits(m.group(0))} ", text)


_SPACE_BEFORE_PUNCTUATION = re.compile(r"\s+(?=[,.;:!?)\]}])")
_SPACE_AFTER_OPENING = re.compile(r"(?<=[(\[{])\s+")
_COMMA_RUN = re.compile(r",(?:\s*,)+")
_COMMA_BEFORE_STOP = re.compile(r",\s*(?=[.;:!?])")
_STOP_BEFORE_COMMA = re.compile(r"(?<=[;:!?]),")


def tidy(text: str) -> str:
    """Collapse spaces, drop stray or doubled commas, and neutralize "[["/"]]" once more."""
    text = collapse_whitespace(text)
    text = _SPACE_BEFORE_PUNCTUATION.sub("", text)
    text = _SPACE_AFTER_OPENING.sub("", text)
    text = _COMMA_RUN.sub(",", text)
    text = _COMMA_BEFORE_STOP.sub("", text)
    text = _STOP_BEFORE_COMMA.sub("", text)
    text = text.strip(" ,;")
    return neutralize_phoneme_markup(text)


# ---------------------------------------------------------------------------------------------
# The pipeline
# ---------------------------------------------------------------------------------------------

PASSES: Final[tuple[tuple[str, Rewrite], ...]] = (
    ("remove_invisible", remove_invisible),
    ("unify_characters", unify_characters),
    ("collapse_whitespace", collapse_whitespace),
    ("neutralize_phoneme_markup", neutralize_phoneme_markup),
    ("expand_web_addresses", expand_web_addresses),
    ("expand_ampersands", expand_ampersands),
    ("expand_abbreviations", expand_abbreviations),
    ("expand_place_abbreviations", expand_place_abbreviations),
    ("expand_honorifics", expand_honorifics),
    ("expand_number_sign", expand_number_sign),
    ("expand_roman_numerals", expand_roman_numerals),
    ("expand_phone_numbers", expand_phone_numbers),
    ("expand_dates", expand_dates),
    ("expand_times", expand_times),
    ("expand_currencies", expand_currencies),
    ("expand_percentages", expand_percentages),
    ("expand_units", expand_units),
    ("expand_decades", expand_decades),
    ("expand_ordinals", expand_ordinals),
    ("expand_fractions", expand_fractions),
    ("expand_ranges", expand_ranges),
    ("expand_years", expand_years),
    ("expand_numbers", expand_numbers),
    ("expand_acronyms", expand_acronyms),
    ("expand_symbols", expand_symbols),
    ("spell_leftover_digits", spell_leftover_digits),
    ("tidy", tidy),
)
"""The rewrite passes of :func:`normalize`, in the order they run."""


def normalize(text: str) -> str:
    """Turn one written sentence into the words a careful newsreader would say.

    Deterministic and total: it never raises. Should a pass fail on some odd input, the
    failure is logged and the text goes on unchanged by that pass, and the last two passes
    (which cannot fail) still guarantee no digit and no phoneme markup reach the engine.
    """
    for name, rewrite in PASSES:
        try:
            text = rewrite(text)
        except Exception:
            _LOG.warning("normalize: pass %s failed on %r", name, text, exc_info=True)
    return text
