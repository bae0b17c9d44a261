"""Number words in en-US news style (num2words without the British "and"), and the regex
pieces for written numbers that the passes share."""

from __future__ import annotations

import re
from typing import Final

from num2words import num2words

_N2W_AND = re.compile(r"\band\b")
_MAX_SPOKEN_DIGITS = 15  # longer integers are read digit by digit
_MAX_GROUPED_DIGITS = 21  # up to the quintillions when written with separators
#: A written number, maybe with thousands separators and decimals ("2,026", "4.5", "12").
NUM = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
#: A written number with an optional sign.
SIGNED_NUM = rf"[-+]?{NUM}"
#: What stands between the two ends of a range: a dash or "to".
RANGE_SEP = r"(?:\s?[-–]\s?|\s+to\s+)"


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

    Integers with a leading zero ("007") or too long for a sensible reading (over 15 digits,
    or 21 when written with separators) are read digit by digit.
    """
    limit = _MAX_GROUPED_DIGITS if "," in digits else _MAX_SPOKEN_DIGITS
    digits = digits.replace(",", "")
    if not digits.isdecimal():
        return spell_digits(digits)
    if len(digits) > limit or (len(digits) > 1 and digits[0] == "0"):
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


def paired_number_words(digits: str) -> str:
    """Read a house number or code name in pairs, as people say them: "1428" -> "fourteen
    twenty-eight", "708" -> "seven oh eight", "401" -> "four oh one", "1200" -> "twelve
    hundred", "12345" -> "one twenty-three forty-five"; one or two digits as a number."""
    if not digits.isdecimal() or not 3 <= len(digits) <= 5 or digits[0] == "0":
        return integer_words(digits)
    if digits.endswith("000") or (len(digits) == 5 and digits[1] == "0"):
        return integer_words(digits)  # "two thousand", "ten thousand five"
    words = [DIGIT_WORDS[int(digits[0])]] if len(digits) % 2 else []
    rest = digits[len(digits) % 2 :]
    if len(rest) == 4:
        words.append(integer_words(rest[:2]))
    tail = rest[-2:]
    words.append("hundred" if tail == "00" else year_suffix_words(tail))
    return " ".join(words)


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
    """Write letters to be read one by one: "cbc" -> "C.B.C" (see the package docstring)."""
    return ".".join(ch.upper() for ch in letters if ch.isalpha())
