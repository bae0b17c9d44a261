"""Page debris: the rules of ``data/debris.toml`` (plus user files) and the one engine that
applies them to a sequence of text units — the lines of a scraped page, the paragraphs of a
Markdown file or of an extracted HTML article.

The engine drops ``[[line]]`` and ``[[block]]`` debris, cuts ``[[prefix]]`` debris, flags
``[[end]]`` markers, finds the marker that ends the article (:func:`end_cut`) and the link
titles of inline boxes after the others (:func:`mark_boxes`). What counts as debris lives in
the TOML files; the code only interprets it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from article_audio.errors import InputError
from article_audio.text.debris_model import DebrisModel, default_model
from article_audio.text.lines import LIST_MAX_ITEMS, Unit, is_credit, is_sentence, word_count
from article_audio.util import tomllib

#: An end marker only ends the body once this many article-like words came before it.
END_MIN_WORDS_BEFORE = 20
#: An end marker has at most this many words.
END_MAX_WORDS = 8
#: Consecutive article-like units right after an end marker that mean the article goes on.
END_BODY_RUN = 3
#: Units after an end marker searched for that run.
END_LOOKAHEAD = 12
#: A soft end marker is ignored if an article-like unit is among this many units after it.
END_SOFT_LOOKAHEAD = 2

DEBRIS_KINDS = ("line", "prefix", "end", "block", "inline")
_EXTRA_KEYS = {"block": ("follow", "max_lines"), "end": ("hard",)}
_DEFAULT_BLOCK_LINES = 3
#: Where a line of several pieces of furniture is cut into them: a separator between words
#: ("Advertisement · Scroll to continue", "Subscribe for $1 · Log in"), or a sentence end
#: ("Follow Jo on Twitter @jo. Follow us on Facebook.").
_PIECES = re.compile(r"\s+[·•|]\s+|(?<=[.!?])\s+(?=[A-Z\"“‘'(])")


@dataclass(frozen=True)
class Begin:
    """When an article's body has begun, so that an end marker can end it: after a run of
    ``run`` article-like units with ``words`` words in all."""

    run: int
    words: int


#: A scraped page has menus and teasers above the article: its body begins with a run of
#: article-like lines.
PAGE_LINES = Begin(END_BODY_RUN, END_MIN_WORDS_BEFORE)
#: Paragraphs (a Markdown file, an extracted HTML article) have no page around them: one
#: article-like paragraph begins the body.
PARAGRAPHS = Begin(1, 1)

# --- Rules --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DebrisRule:
    """One debris pattern: what it matches, why, and where it was defined."""

    kind: str
    pattern: re.Pattern[str]
    reason: str
    origin: str
    follow: re.Pattern[str] | None = None
    max_lines: int = 0
    hard: bool = False


@dataclass(frozen=True)
class DebrisRules:
    """Debris patterns by kind (see ``data/debris.toml`` for what each kind means)."""

    line: tuple[DebrisRule, ...] = ()
    prefix: tuple[DebrisRule, ...] = ()
    end: tuple[DebrisRule, ...] = ()
    block: tuple[DebrisRule, ...] = ()
    inline: tuple[DebrisRule, ...] = ()
    #: The debris model that scores what no rule matched (None: rules only).
    model: DebrisModel | None = None

    def extended(self, other: DebrisRules) -> DebrisRules:
        """These rules followed by ``other``'s."""
        return DebrisRules(
            line=self.line + other.line,
            prefix=self.prefix + other.prefix,
            end=self.end + other.end,
            block=self.block + other.block,
            inline=self.inline + other.inline,
            model=self.model,
        )

    def drops_line(self, text: str) -> bool:
        """True if a ``[[line]]`` rule matches the whole of ``text``, or each of its pieces
        when it is several pieces of furniture in a row (see :data:`_PIECES`)."""
        if self._matches_line(text):
            return True
        pieces = [piece for piece in _PIECES.split(text) if piece]
        return len(pieces) > 1 and all(self._matches_line(piece) for piece in pieces)

    def _matches_line(self, text: str) -> bool:
        return any(rule.pattern.fullmatch(text) for rule in self.line)

    def cut_inline(self, text: str) -> str:
        """``text`` without what ``[[inline]]`` rules match inside it (instrument codes)."""
        for rule in self.inline:
            text = rule.pattern.sub("", text)
        return text

    def end_rule(self, text: str) -> DebrisRule | None:
        """The ``[[end]]`` rule fully matching ``text`` if it is a short line, else None."""
        if word_count(text) > END_MAX_WORDS:
            return None
        return next((rule for rule in self.end if rule.pattern.fullmatch(text)), None)

    def cut_prefix(self, text: str) -> str:
        """``text`` without the glued debris a ``[[prefix]]`` rule finds at its start."""
        for rule in self.prefix:
            match = rule.pattern.match(text)
            if match and match.end() > 0:
                return text[match.end() :].strip()
        return text


def load_debris(paths: Sequence[Path] = ()) -> DebrisRules:
    """The shipped debris rules plus those in ``paths`` (later files add patterns).

    Raises :class:`InputError` naming the file (and line, when TOML reports one) for a file
    that is missing, not TOML, or not shaped like ``data/debris.toml``.
    """
    rules = _default_rules()
    for path in paths:
        rules = rules.extended(_load_debris_file(Path(path)))
    return rules


@lru_cache(maxsize=1)
def _default_rules() -> DebrisRules:
    resource = resources.files("article_audio.text").joinpath("data", "debris.toml")
    rules = _parse_debris(resource.read_text(encoding="utf-8"), "data/debris.toml")
    return replace(rules, model=default_model())


def _load_debris_file(path: Path) -> DebrisRules:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise InputError(f"{path}: no such debris file") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot read debris file ({exc})") from exc
    return _parse_debris(text, str(path))


def _parse_debris(text: str, origin: str) -> DebrisRules:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        found = re.search(r"at line (\d+)", str(exc))
        where = f"{origin}:{found.group(1)}" if found else origin
        raise InputError(f"{where}: malformed debris file ({exc})") from exc
    unknown = sorted(set(data) - set(DEBRIS_KINDS))
    if unknown:
        raise InputError(
            f"{origin}: unknown debris section [{unknown[0]}] (expected one of "
            f"{', '.join(DEBRIS_KINDS)})"
        )
    parsed: dict[str, tuple[DebrisRule, ...]] = {}
    for kind in DEBRIS_KINDS:
        entries = data.get(kind, [])
        if not isinstance(entries, list):
            raise InputError(f"{origin}: [{kind}] must be an array of tables ([[{kind}]])")
        parsed[kind] = tuple(
            _parse_entry(kind, entry, f"{origin}: [[{kind}]] entry {number}", origin)
            for number, entry in enumerate(entries, start=1)
        )
    return DebrisRules(
        line=parsed["line"],
        prefix=parsed["prefix"],
        end=parsed["end"],
        block=parsed["block"],
        inline=parsed["inline"],
    )


def _parse_entry(kind: str, entry: Any, where: str, origin: str) -> DebrisRule:
    if not isinstance(entry, dict):
        raise InputError(f"{where}: must be a table")
    allowed = {"pattern", "reason", *_EXTRA_KEYS.get(kind, ())}
    extra = sorted(set(entry) - allowed)
    if extra:
        raise InputError(f"{where}: unknown key {extra[0]!r}")
    reason = entry.get("reason", "")
    if not isinstance(reason, str):
        raise InputError(f"{where}: reason must be a string")
    max_lines = entry.get("max_lines", _DEFAULT_BLOCK_LINES if kind == "block" else 0)
    if not isinstance(max_lines, int) or isinstance(max_lines, bool) or max_lines < 0:
        raise InputError(f"{where}: max_lines must be a whole number ≥ 0")
    follow = entry.get("follow")
    hard = entry.get("hard", False)
    if not isinstance(hard, bool):
        raise InputError(f"{where}: hard must be true or false")
    return DebrisRule(
        kind=kind,
        pattern=_compile(entry.get("pattern"), where, "pattern"),
        reason=reason,
        origin=origin,
        follow=None if follow is None else _compile(follow, where, "follow"),
        max_lines=max_lines,
        hard=hard,
    )


def _compile(value: object, where: str, key: str) -> re.Pattern[str]:
    if not isinstance(value, str) or not value:
        raise InputError(f"{where}: {key} must be a non-empty string")
    try:
        return re.compile(value)
    except re.error as exc:
        raise InputError(f"{where}: bad {key} {value!r} ({exc})") from exc


# --- Engine -------------------------------------------------------------------------------------


def scan(texts: Sequence[str], rules: DebrisRules) -> list[Unit]:
    """The non-blank ``texts`` less ``[[line]]`` and ``[[block]]`` debris and ``[[prefix]]``
    cuts, as units (``index``: the position in ``texts``); end markers are flagged, not
    dropped."""
    units: list[Unit] = []
    dropped: dict[str, bool] = {}  # pages repeat their menus; match each text once
    skip = 0
    for index, raw in enumerate(texts):
        if skip:
            skip -= 1
            continue
        text = rules.cut_inline(rules.cut_prefix(raw)) if raw else raw
        if not text:
            continue
        end = rules.end_rule(text)
        if end is not None:
            units.append(Unit(text, index, end))
            continue
        skip = _block_length(text, texts, index, rules)
        if skip < 0:
            skip = 0
            if text not in dropped:
                dropped[text] = rules.drops_line(text)
            if not dropped[text]:
                units.append(Unit(text, index))
    for unit in units:
        following = (texts[at] for at in range(unit.index + 1, len(texts)) if texts[at])
        unit.credited = is_credit(next(following, ""))
    return units


def _block_length(text: str, texts: Sequence[str], index: int, rules: DebrisRules) -> int:
    """How many texts after ``index`` a ``[[block]]`` rule starting at ``text`` drops.

    -1 if no ``[[block]]`` rule matches ``text``.
    """
    for rule in rules.block:
        if rule.pattern.fullmatch(text):
            count = 0
            while count < rule.max_lines and index + count + 1 < len(texts):
                after = texts[index + count + 1]
                if not after or rule.follow is None or not rule.follow.fullmatch(after):
                    break
                count += 1
            return count
    return -1


def end_cut(units: Sequence[Unit], start: int, begin: Begin) -> int:
    """Index of the end marker from ``start`` on that ends the body (``len(units)`` if none
    does).

    A marker counts once the body has ``begin``-ed and no run of :data:`END_BODY_RUN`
    article-like units follows it; a soft one (not ``hard = true``) also needs no
    article-like unit right after it.
    """
    words = run = 0
    begun = False
    for index in range(start, len(units)):
        unit = units[index]
        if unit.end is not None and begun:
            soft_ok = unit.end.hard or not any(
                other.good for other in units[index + 1 : index + 1 + END_SOFT_LOOKAHEAD]
            )
            if soft_ok and not _body_follows(units, index):
                return index
        if unit.good and unit.end is None:
            words, run = words + unit.words, run + 1
        else:
            run = 0
        begun = begun or (run >= begin.run and words >= begin.words)
    return len(units)


def _body_follows(units: Sequence[Unit], index: int) -> bool:
    run = 0
    for unit in units[index + 1 : index + 1 + END_LOOKAHEAD]:
        run = run + 1 if unit.good and unit.end is None else 0
        if run >= END_BODY_RUN:
            return True
    return False


def mark_boxes(units: Sequence[Unit], anchor: int, used: set[int]) -> None:
    """Flag the link titles after each end marker from ``anchor`` on that does not end the body.

    After an inline "DON'T MISS" or "More:" the units up to the next sentence (at most
    :data:`LIST_MAX_ITEMS`) are the box's links; ``used`` (title and meta) units are kept.
    """
    for index in range(anchor + 1, len(units)):
        if units[index].end is None:
            continue
        for after in range(index + 1, min(len(units), index + 1 + LIST_MAX_ITEMS)):
            unit = units[after]
            if unit.end is not None or is_sentence(unit.text) or after in used:
                break
            unit.boxed = True


def article_units(texts: Sequence[str], rules: DebrisRules, begin: Begin) -> list[Unit]:
    """The units of ``texts`` (paragraphs, not a page) left once the debris rules are applied:
    debris dropped, the article ended at its end marker, other markers and the links of their
    boxes dropped."""
    units = scan(texts, rules)
    units = units[: end_cut(units, 0, begin)]
    mark_boxes(units, 0, set())
    return [unit for unit in units if unit.end is None and not unit.boxed]


def only_debris(name: str) -> InputError:
    """The error for an input in which the debris rules leave no article text."""
    return InputError(f"{name}: no article text found (only page debris)")
