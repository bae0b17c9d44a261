"""Passes on money, percentages and units of measure."""

from __future__ import annotations

import re

from article_audio.text.normalize.context import apart
from article_audio.text.normalize.data import CURRENCIES, PER_PERIODS, SCALES, UNITS, alternation
from article_audio.text.normalize.figures import slash_fraction_words
from article_audio.text.normalize.number_words import (
    NUM,
    RANGE_SEP,
    SIGNED_NUM,
    bounded_int,
    cardinal,
    integer_words,
)

_CURRENCY_PREFIX = alternation(CURRENCIES)
_AMOUNT = rf"(?:{NUM}|\.\d+)"
_MONEY = re.compile(
    rf"(?<![\w$])(?P<minus>-)?(?P<cur>{_CURRENCY_PREFIX})\s?(?P<a>{_AMOUNT})"
    rf"(?:{RANGE_SEP}(?:{_CURRENCY_PREFIX})?\s?(?P<b>{_AMOUNT}))?"
    rf"(?:\s?(?P<scale>{alternation(SCALES)})(?!\w))?"
    rf"(?:\s?/\s?(?P<per>{alternation(PER_PERIODS)})(?![\w/]))?"
)
_CENTS = re.compile(rf"(?<![\w.])(?P<a>{NUM})\s?¢")


def money_words(amount: str, names: tuple[str, ...]) -> str:
    """Say an amount in one currency: "3.50" -> "three dollars and fifty cents"; zeros
    past the cents are not said ("20.500" -> "twenty dollars and fifty cents")."""
    unit, units, minor, minors = names
    whole, _, decimals = amount.partition(".")
    if len(decimals) > 2:
        decimals = decimals[:2] + decimals[2:].rstrip("0")
        amount = f"{whole}.{decimals}" if decimals else whole
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
    """Read one money match: sign, currency, amount or range, scale, "per" period."""
    names = CURRENCIES[match.group("cur")]
    low, high, scale = match.group("a"), match.group("b"), match.group("scale")
    sign = "minus " if match.group("minus") else ""
    per = f" per {PER_PERIODS[match.group('per')]}" if match.group("per") else ""
    if scale:
        amounts = cardinal(low) + (f" to {cardinal(high)}" if high else "")
        return f"{sign}{amounts} {SCALES[scale]} {names[1]}{per}"
    if high:
        # "$50.00-$100.00", "$3.50-4.50": with cents, each end is money; "$5-$10": "five
        # to ten dollars"
        first = money_words(low, names) if "." in low else cardinal(low)
        return f"{sign}{first} to {money_words(high, names)}{per}"
    return sign + money_words(low, names) + per


def expand_currencies(text: str) -> str:
    """Read money in news style.

    "$4.5 billion" -> "four point five billion dollars", "$3.50" -> "three dollars and fifty
    cents", "C$1.2 billion" -> "one point two billion Canadian dollars", "A$1.9bn" -> "one
    point nine billion Australian dollars", "£20" -> "twenty pounds", "50¢" -> "fifty cents",
    "$20/mo" -> "twenty dollars per month", "$.01" -> "one cent".
    """
    text = _MONEY.sub(apart(_money), text)
    return _CENTS.sub(
        apart(lambda m: cardinal(m.group("a")) + (" cent" if m.group("a") == "1" else " cents")),
        text,
    )


_PERCENT = re.compile(rf"(?<![\w.])(?P<a>{SIGNED_NUM})(?:\s?%?{RANGE_SEP}(?P<b>{SIGNED_NUM}))?\s?%")


def expand_percentages(text: str) -> str:
    """Read percentages: "12%" -> "twelve percent", "10-12%" -> "ten to twelve percent"."""

    def spoken(match: re.Match[str]) -> str:
        """One percentage or range of percentages."""
        high = match.group("b")
        return cardinal(match.group("a")) + (f" to {cardinal(high)}" if high else "") + " percent"

    return _PERCENT.sub(apart(spoken), text)


_UNIT = re.compile(
    rf"(?<![\w./])(?:(?P<whole>\d{{1,3}}\s)?(?P<num>\d+)/(?P<den>\d+)"
    rf"|(?P<a>{SIGNED_NUM})(?:{RANGE_SEP}(?P<b>{SIGNED_NUM}))?)"
    rf"(?P<scale>\s(?:thousand|million|billion|trillion))?"
    rf"(?P<sep>\s?/|\s?|-)(?P<unit>{alternation(UNITS)})"
    rf"(?:/(?P<per>{alternation([*UNITS, *PER_PERIODS])}))?(?![\w°/²³])"
)


def _per(written: str | None) -> str:
    """What follows a unit's slash: "/kg" -> " per kilogram", "/s" -> " per second"."""
    if not written:
        return ""
    return f" per {UNITS[written][0] if written in UNITS else PER_PERIODS[written]}"


def _fraction_of_unit(match: re.Match[str], singular: str, plural: str) -> str:
    """A fraction of a unit: "4 1/2 lbs" -> "four and a half pounds", "3/4 mi" -> "three
    quarters of a mile"."""
    whole, top, bottom = match.group("whole"), match.group("num"), match.group("den")
    amount = slash_fraction_words(whole.strip() if whole else None, top, bottom)
    if match.group("sep") == "-":
        return f"{amount}-{singular}"
    if whole or not 0 < bounded_int(top) < bounded_int(bottom):
        return f"{amount} {plural}"
    article = "an" if singular[0] in "aeio" or singular.startswith("hour") else "a"
    return f"{amount} of {article} {singular}"


def _unit(match: re.Match[str]) -> str:
    """Read one measurement with plural agreement; "5-km race" keeps its hyphen, "12/kg" is
    "twelve per kilogram", "12 kg/kg" "twelve kilograms per kilogram"."""
    singular, plural = UNITS[match.group("unit")]
    per = _per(match.group("per"))
    if match.group("den"):
        return _fraction_of_unit(match, singular, plural) + per
    low, high = match.group("a"), match.group("b")
    amounts = cardinal(low) + (f" to {cardinal(high)}" if high else "")
    amounts += match.group("scale") or ""  # "100 million kg"
    if match.group("sep") == "-":
        return f"{amounts}-{singular}{per}"
    if match.group("sep").endswith("/"):
        return f"{amounts} per {singular}{per}"
    one = high is None and low.lstrip("+-") == "1" and not match.group("scale")
    return f"{amounts} {singular if one else plural}{per}"


def expand_units(text: str) -> str:
    """Read measurements: "5 km" -> "five kilometers", "-5°C" -> "minus five degrees Celsius",
    "1 lb" -> "one pound", "a 5-km race" -> "a five-kilometer race", "4 1/2 lbs" -> "four
    and a half pounds"."""
    return _UNIT.sub(apart(_unit), text)
