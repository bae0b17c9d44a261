"""Clean stage: a decoded :class:`~article_audio.text.read.Source` becomes an :class:`Article`.

Two readers share one set of page-debris rules (``data/debris.toml`` plus user files):

* ``text`` — a scraped page (browser "select all", a text dump of the HTML). Hard-wrapped
  paragraphs are joined back, debris lines are dropped by the data-driven rules, the title,
  byline and dates are found around the top of the article, and the body is the densest run
  of long, sentence-like lines; runs of short non-sentence lines (menus, link lists) are left
  out. Removing debris must never remove a body sentence, so every heuristic errs on keeping.
* ``markdown`` — headings become sections, front matter gives title/author/date, inline
  syntax is reduced to the words a listener should hear.

The code only interprets the debris data; what counts as debris lives in the TOML files.
"""

from __future__ import annotations

import html
import re
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from article_audio.errors import InputError
from article_audio.text.article import Article, Section
from article_audio.text.read import Source

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

# --- Tunables -------------------------------------------------------------------------------

#: A line with at least this many words that ends like a sentence is article-like ("good").
GOOD_WORDS = 8
#: A line this long counts as article-like even without final punctuation.
LONG_WORDS = 25
#: Score charged for each short non-sentence line inside a candidate body.
SHORT_PENALTY = 12.0
#: A line ending in ":" with at least this many words introduces a list…
LIST_LEAD_WORDS = 3
#: …of at most this many short lines, which belong to the body.
LIST_MAX_ITEMS = 12
#: This many consecutive short non-sentence lines inside the body are a menu or link list.
MENU_RUN = 4
#: Short lines right above an attribution ("— Name (@handle) date") that are the quoted post.
QUOTE_LINES = 3
#: An attribution ("— Name (@handle) date") or source credit ("[ Wired ]") has at most this
#: many words…
ATTACHED_MAX_WORDS = 25
#: …and this many of them right after the body belong to it.
ATTACHED_TAIL = 2
#: An end marker only ends the body once this many article-like words came before it.
END_MIN_WORDS_BEFORE = 20
#: An end marker line has at most this many words.
END_MAX_WORDS = 8
#: Consecutive article-like lines right after an end marker that mean the article goes on.
END_BODY_RUN = 3
#: Lines after an end marker searched for that run.
END_LOOKAHEAD = 12
#: A soft end marker is ignored if an article-like line is among this many lines after it.
END_SOFT_LOOKAHEAD = 2
#: A long line without final punctuation is a menu, not text, when this share of its words
#: are capitalized.
TITLE_CASE_SHARE = 0.6
#: A headline has this many words (inclusive).
HEADLINE_WORDS = (3, 30)
#: A line is the page title's headline if this share of its words are in the title…
TITLE_MATCH = 0.75
#: …and it has this share of the title's words.
TITLE_COVER = 0.5
#: Lines before the estimated start of the body searched for the byline/date block.
HEAD_SEARCH = 50
#: Lines after the title searched for the byline and dates.
HEAD_LINES = 8
#: Longest line of a hard-wrapped text; longer lines mean one paragraph per line.
MAX_WRAP_WIDTH = 100
#: Shortest wrap width considered (shorter lines say nothing about wrapping).
MIN_WRAP_WIDTH = 40
#: A wrapped line at least this fraction of the wrap width continues on the next line.
WRAP_FRACTION = 0.6
#: Share of such wide lines that must run on into the next line for the text to be wrapped.
WRAP_CONTINUED = 0.3

DEBRIS_KINDS = ("line", "prefix", "end", "block")
_EXTRA_KEYS = {"block": ("follow", "max_lines"), "end": ("hard",)}
_DEFAULT_BLOCK_LINES = 3

_WORD = re.compile(r"\w+")
_SPACE = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_INVISIBLE = re.compile(r"[\u200b-\u200d\u2060\ufeff\u00ad]")
_SENTENCE_END = re.compile(r"[.!?…:;][\"'”’»)\]]*(?:\[\d+\])*$")
_FINAL_STOP = re.compile(r"[.!][\"'”’»)\]]*$")
_SENTENCE_STOP = re.compile(r"[.!?…][\"'”’»)\]]*$")
_BULLET = re.compile(r"([-*+•]|\d{1,3}[.)])\s")
#: An attribution line: a dash, then a name ("— Arvind Kejriwal (@ArvindKejriwal) Nov 1, 2019").
_ATTRIBUTION = re.compile(r"[—―–]\s*[^\W\d_]")
#: A source credit at the end of a line: "[ Wired ]", "… It’s Complicated [ Bloomberg ]".
_CITATION = re.compile(r"\[\s*[^\W\d_][^\[\]]{0,40}\]$")

# --- Debris rules -----------------------------------------------------------------------------


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

    def extended(self, other: DebrisRules) -> DebrisRules:
        """These rules followed by ``other``'s."""
        return DebrisRules(
            line=self.line + other.line,
            prefix=self.prefix + other.prefix,
            end=self.end + other.end,
            block=self.block + other.block,
        )

    def drops_line(self, text: str) -> bool:
        """True if a ``[[line]]`` rule matches the whole of ``text``."""
        return any(rule.pattern.fullmatch(text) for rule in self.line)

    def end_rule(self, text: str) -> DebrisRule | None:
        """The ``[[end]]`` rule fully matching ``text`` if it is a short line, else None."""
        if _word_count(text) > END_MAX_WORDS:
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
    return _parse_debris(resource.read_text(encoding="utf-8"), "data/debris.toml")


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
    return DebrisRules(**parsed)


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


# --- Entry point ----------------------------------------------------------------------------


def clean(source: Source, debris: DebrisRules | None = None) -> Article:
    """The article in ``source``: title, byline, dates and body sections, debris removed.

    ``source.format`` picks the reader ("text": a scraped page; "markdown"). Raises
    :class:`InputError` when nothing speakable is left.
    """
    rules = debris if debris is not None else load_debris()
    if source.format == "markdown":
        return _clean_markdown(source, rules)
    return _clean_text(source, rules)


def _no_text(source: Source) -> InputError:
    return InputError(f"{source.name}: no article text found (only page debris)")


# --- Line features ----------------------------------------------------------------------------


def _word_count(text: str) -> int:
    return len(_WORD.findall(text))


def _is_sentence(text: str) -> bool:
    return bool(_SENTENCE_END.search(text))


def _is_good(text: str) -> bool:
    """Article-like: a sentence of some length, or a long run of words."""
    words: list[str] = _WORD.findall(text)
    if len(words) >= GOOD_WORDS and _is_sentence(text):
        return True
    if len(words) < LONG_WORDS:
        return False
    capitalized = sum(word[0].isupper() for word in words)
    return capitalized < TITLE_CASE_SHARE * len(words)


def _is_headline(text: str) -> bool:
    low, high = HEADLINE_WORDS
    return low <= _word_count(text) <= high and not _FINAL_STOP.search(text) and len(text) <= 250


def _normalize(line: str) -> str:
    return _SPACE.sub(" ", _INVISIBLE.sub("", line)).strip()


# --- Hard-wrapped text ------------------------------------------------------------------------


def _wrap_width(lines: Sequence[str]) -> int | None:
    """The wrap column if ``lines`` are hard-wrapped paragraphs, else None."""
    lengths = [len(line) for line in lines if len(line) >= MIN_WRAP_WIDTH]
    if not lengths or sum(n > MAX_WRAP_WIDTH for n in lengths) > len(lengths) / 10:
        return None
    width = max(n for n in lengths if n <= MAX_WRAP_WIDTH)
    wide = [i for i, line in enumerate(lines[:-1]) if len(line) >= WRAP_FRACTION * width]
    continued = sum(1 for i in wide if lines[i + 1] and not _is_sentence(lines[i]))
    return width if continued >= max(2, len(wide) * WRAP_CONTINUED) else None


def _unwrap(lines: list[str]) -> list[str]:
    """Hard-wrapped paragraphs joined back into one line each; other text unchanged."""
    width = _wrap_width(lines)
    if width is None:
        return lines
    out: list[str] = []
    previous = ""
    for line in lines:
        joins = bool(out and out[-1] and line and len(previous) >= WRAP_FRACTION * width)
        if joins and not _BULLET.match(line):
            out[-1] = _join_wrapped(out[-1], line)
        else:
            out.append(line)
        previous = line
    return out


def _join_wrapped(head: str, tail: str) -> str:
    if re.search(r"[^\W\d_]-$", head) and tail[:1].islower():
        return head + tail
    return f"{head} {tail}"


# --- Debris on lines --------------------------------------------------------------------------


@dataclass
class _Item:
    """A non-blank line that survived the debris rules.

    ``index`` is its position among the input lines, ``end`` the ``[[end]]`` rule it matches
    (if any), ``good`` whether it is article-like, ``listed`` whether it is an item of a list
    introduced by a line ending in ":", ``quoted`` whether it is a quoted post's line or its
    attribution ("— Name (@handle) date"), ``boxed`` whether it is a link of an inline
    "DON'T MISS" box.
    """

    text: str
    index: int = 0
    end: DebrisRule | None = None
    good: bool = field(init=False)
    words: int = field(init=False)
    listed: bool = field(init=False, default=False)
    quoted: bool = field(init=False, default=False)
    boxed: bool = field(init=False, default=False)

    def __post_init__(self) -> None:
        self.words = _word_count(self.text)
        self.good = _is_good(self.text)


def _debris_items(lines: Sequence[str], rules: DebrisRules) -> list[_Item]:
    """Non-blank lines minus ``[[line]]`` and ``[[block]]`` debris; end markers flagged."""
    items: list[_Item] = []
    dropped: dict[str, bool] = {}  # pages repeat their menus; match each text once
    skip = 0
    for index, raw in enumerate(lines):
        if skip:
            skip -= 1
            continue
        text = rules.cut_prefix(raw) if raw else raw
        if not text:
            continue
        end = rules.end_rule(text)
        if end is not None:
            items.append(_Item(text, index, end))
            continue
        skip = _block_length(text, lines, index, rules)
        if skip < 0:
            skip = 0
            if text not in dropped:
                dropped[text] = rules.drops_line(text)
            if not dropped[text]:
                items.append(_Item(text, index))
    return items


def _block_length(text: str, lines: Sequence[str], index: int, rules: DebrisRules) -> int:
    """How many lines after ``index`` a ``[[block]]`` rule starting at ``text`` drops.

    -1 if no ``[[block]]`` rule matches ``text``.
    """
    for rule in rules.block:
        if rule.pattern.fullmatch(text):
            count = 0
            while count < rule.max_lines and index + count + 1 < len(lines):
                after = lines[index + count + 1]
                if not after or rule.follow is None or not rule.follow.fullmatch(after):
                    break
                count += 1
            return count
    return -1


def _end_cut(
    items: Sequence[_Item],
    start: int,
    begin_run: int = END_BODY_RUN,
    begin_words: int = END_MIN_WORDS_BEFORE,
) -> int:
    """Index of the end marker that ends the body (``len(items)`` if none does).

    A marker counts once the body has begun (a run of ``begin_run`` article-like lines, with
    ``begin_words`` words in all) and no such run follows; a soft one (not
    ``hard = true``) also needs no article-like line right after it.
    """
    words = run = 0
    begun = False
    for index in range(start, len(items)):
        item = items[index]
        if item.end is not None and begun:
            soft_ok = item.end.hard or not any(
                other.good for other in items[index + 1 : index + 1 + END_SOFT_LOOKAHEAD]
            )
            if soft_ok and not _body_follows(items, index):
                return index
        if item.good and item.end is None:
            words, run = words + item.words, run + 1
        else:
            run = 0
        begun = begun or (run >= begin_run and words >= begin_words)
    return len(items)


def _body_follows(items: Sequence[_Item], index: int) -> bool:
    run = 0
    for item in items[index + 1 : index + 1 + END_LOOKAHEAD]:
        run = run + 1 if item.good and item.end is None else 0
        if run >= END_BODY_RUN:
            return True
    return False


# --- Title, byline and dates -----------------------------------------------------------------

_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_WEEKDAY = r"(?:mon|tues?|wed(?:nes)?|thu(?:rs)?|fri|sat(?:ur)?|sun)(?:day)?\.?,?"
_DATE = re.compile(
    rf"(?i)\b(?:(?:{_WEEKDAY} )?{_MONTH} \d{{1,2}}(?:st|nd|rd|th)?,? \d{{4}}"
    rf"|(?:{_WEEKDAY} )?\d{{1,2}}(?:st|nd|rd|th)? {_MONTH},? \d{{4}}"
    r"|\d{4}-\d\d-\d\d|\d{1,2}/\d{1,2}/\d{2,4}"
    r"|(?:\d+|an?|one) (?:second|sec|minute|min|hour|hr|day|week|month|year)s? ago"
    r"|\d{1,2}:\d\d(?: ?[ap]\.?m\.?)?)"
)
_DATE_LABEL = re.compile(
    r"(?i)\b(last updated|last modified|updated|modified|first published|published|posted"
    r"|date)\b(?: on| at)?\s*:?"
)
_DATE_FILLER = re.compile(
    rf"\b(?:(?i:{_MONTH}|mon(?:day)?|tue(?:s(?:day)?)?|wed(?:nesday)?|thu(?:rs(?:day)?)?"
    r"|fri(?:day)?|sat(?:urday)?|sun(?:day)?|[ap]\.?m\.?|on|at)|[A-Z]{2,4}|\d+(?:st|nd|rd|th)?)\b"
)
_PUBLISHED_LABELS = ("first published", "published", "posted", "date")
_BY = re.compile(r"(?i)by:?\s+(.+)")
_BYLINE_SEPARATORS = re.compile(r"\s*[·|•]\s*|\s+[—–-]\s+")
_NAME_SEPARATORS = re.compile(r"\s*,\s*|\s+and\s+|\s*&\s*")
_NAME_WORD = r"(?:[A-Z][\w'’.-]*|de|da|di|du|dos|van|von|der|den|del|la|le|bin|al|el)"
_NOT_A_NAME = (
    r"(?!(?:The|A|An|In|On|At|For|From|This|That|These|Those|It|We|He|She|They|Our|His|Her"
    r"|Its|Their|Photo|Image|Video|Updated|Published|Posted)\b)"
)
_NAME = re.compile(rf"{_NOT_A_NAME}{_NAME_WORD}(?: {_NAME_WORD}){{1,4}}")
_HANDLE = re.compile(r"@\w+")
_BY_ALONE = re.compile(r"(?i)by:?")
_ORGISH = re.compile(
    r"\b(?:[A-Z]{2,}\w*|News|Press|Times|Post|Journal|Agency|Business|Media|Network|Magazine"
    r"|Herald|Tribune|Daily|Weekly|Radio|TV|Wire|Bureau|Online|Digital|Associated|Reuters"
    r"|Staff|Group|Service|Report|Review|Today|Sport|Sports)\b"
)
_ROLE = re.compile(
    r"(?i)\b(?:writer|reporter|editor|correspondent|columnist|contributor|producer|analyst"
    r"|staff|special to|senior|chief|freelance|photographer)\b"
)
_SEPARATOR_CHARS = " ·|•-–—,;:/"


@dataclass
class _Head:
    """What was found around the title; ``used`` are the item indexes it consumed."""

    title: str | None = None
    byline: str | None = None
    authors: tuple[str, ...] = ()
    publication: str | None = None
    published: str | None = None
    updated: str | None = None
    used: set[int] = field(default_factory=set)

    def add_dates(self, published: str | None, updated: str | None) -> None:
        """Keep the first published and updated dates seen."""
        self.published = self.published or published
        self.updated = self.updated or updated


@dataclass(frozen=True)
class _Byline:
    """A parsed byline: the text as printed (without a trailing date) and its parts."""

    text: str
    authors: tuple[str, ...]
    publication: str | None
    published: str | None = None
    updated: str | None = None


def _is_date_line(text: str) -> bool:
    """A short line that is only a date, a time or ``Label: date`` parts."""
    if _word_count(text) > 20 or not _DATE.search(text):
        return False
    rest = _DATE_FILLER.sub(" ", _DATE_LABEL.sub(" ", _DATE.sub(" ", text)))
    return len(re.findall(r"[^\W\d_]{2,}", rest)) <= 1


def _parse_dates(text: str) -> tuple[str | None, str | None]:
    """(published, updated) as printed in a date line."""
    published: str | None = None
    updated: str | None = None
    parts = _DATE_LABEL.split(text)
    segments = [(None, parts[0]), *zip(parts[1::2], parts[2::2], strict=False)]
    for label, raw in segments:
        value = _trim_date(raw)
        if not value:
            continue
        if label is None or label.lower() in _PUBLISHED_LABELS:
            published = published or value
        else:
            updated = updated or value
    return published, updated


def _trim_date(text: str) -> str:
    """``text`` without leading/trailing " / "-separated pieces that hold no date or time."""
    pieces = re.split(r"(\s+[/|·•]\s+)", text.strip(_SEPARATOR_CHARS))
    while pieces and not _DATE.search(pieces[-1]):
        pieces = pieces[:-2]
    while pieces and not _DATE.search(pieces[0]):
        pieces = pieces[2:]
    return "".join(pieces).strip(_SEPARATOR_CHARS)


def _is_name(text: str) -> bool:
    probe = text.title() if text.isupper() else text
    return bool(_NAME.fullmatch(probe)) and not _ORGISH.search(probe) and not _ROLE.search(probe)


def _split_date(text: str) -> tuple[str, str | None]:
    """The byline part of ``text`` and its date, if any.

    "Jo Smith Updated Nov 13, 2019" and "Nov 13, 2019 by Jo Smith" give "Jo Smith" / "by Jo
    Smith" and the date.
    """
    leading = re.fullmatch(r"(?i)(.+?)\s+(by\s+.+)", text)
    if leading and _is_date_line(leading[1]):
        return leading[2], leading[1]
    for separator in _BYLINE_SEPARATORS.finditer(text):
        part = _BYLINE_SEPARATORS.split(text[separator.end() :], maxsplit=1)[0]
        if _is_date_line(part):
            return _trim_name(text[: separator.start()]), part
    for pattern in (_DATE_LABEL, _DATE):
        found = pattern.search(text)
        if found and found.start() > 0 and _is_date_line(text[found.start() :]):
            return _trim_name(text[: found.start()]), text[found.start() :]
    return text, None


def _trim_name(text: str) -> str:
    return re.sub(r"(?i)\s+(?:on|at)$", "", text.strip(_SEPARATOR_CHARS)).strip(_SEPARATOR_CHARS)


def _parse_byline(text: str, bare: bool = False) -> _Byline | None:
    """The byline in ``text``: "By A and B, Paper", "A · Paper", "A - Nov 19, 2019".

    Without "By" the line needs a separator, a date or ``bare`` (a name just under the title).
    """
    printed = text.strip(_SEPARATOR_CHARS)
    if _word_count(printed) > 20 or _FINAL_STOP.search(printed.rstrip(")")):
        return None
    printed, date = _split_date(printed)
    explicit = _BY.fullmatch(printed)
    parts = [p for p in _BYLINE_SEPARATORS.split(explicit[1] if explicit else printed) if p]
    if not parts or not (explicit or bare or date or 1 < len(parts) <= 3):
        return None
    names = _byline_names(parts[0], bool(explicit))
    if names is None:
        return None
    authors, publication = names
    for part in parts[1:]:
        if publication is None and not _ROLE.search(part) and ":" not in part:
            publication = part
    published, updated = _parse_dates(date) if date else (None, None)
    return _Byline(printed, authors, publication, published, updated)


def _byline_names(text: str, explicit: bool) -> tuple[tuple[str, ...], str | None] | None:
    """(authors, publication) from "A, B and C, Paper"; None if it does not start with names."""
    text = _HANDLE.sub("", text).strip()
    pieces = [piece for piece in _NAME_SEPARATORS.split(text) if piece]
    authors: list[str] = []
    while pieces and _is_name(pieces[0]):
        authors.append(pieces.pop(0))
    if not authors and pieces and explicit:
        split = _name_then_org(pieces[0])
        if split is not None:
            authors, pieces[0] = [split[0]], split[1]
    rest = [piece for piece in pieces if not _ROLE.search(piece)]
    if not authors:
        if explicit and len(rest) == 1 and _ORGISH.search(rest[0]):
            return (), rest[0]
        return None
    if len(rest) > 1 and not explicit:
        return None
    publication = rest[0] if rest and _word_count(rest[0]) <= 6 else None
    return tuple(authors), publication


def _name_then_org(text: str) -> tuple[str, str] | None:
    """("Jo Smith", "FOXBusiness") from "Jo Smith FOXBusiness" (a name run into a paper)."""
    words = text.split()
    for count in range(min(4, len(words) - 1), 1, -1):
        name, rest = " ".join(words[:count]), " ".join(words[count:])
        if _is_name(name) and _ORGISH.search(rest):
            return name, rest
    return None


def _is_meta(text: str) -> bool:
    return bool(_BY_ALONE.fullmatch(text)) or _is_date_line(text) or _parse_byline(text) is not None


def _title_words(text: str) -> list[str]:
    return [word.casefold() for word in _WORD.findall(text)]


def _page_title_index(items: Sequence[_Item]) -> int | None:
    """Index of the headline that repeats the page title printed as the first line, if any.

    Scrapes of a whole page start with the HTML title ("Headline - Site"); the article's own
    headline is the later line sharing most of its words (not always all of them).
    """
    if len(items) < 2:
        return None
    wanted = set(_title_words(_strip_site_name(items[0].text)))
    best, best_index = 0.0, None
    for index, item in enumerate(items[1:], start=1):
        words = _title_words(item.text)
        if not HEADLINE_WORDS[0] <= len(words) <= HEADLINE_WORDS[1] or item.end is not None:
            continue
        shared = sum(word in wanted for word in words)
        ratio, coverage = shared / len(words), shared / max(1, len(wanted))
        if ratio >= TITLE_MATCH and coverage >= TITLE_COVER and ratio + coverage > best:
            best, best_index = ratio + coverage, index
    return best_index


def _anchored_title_index(items: Sequence[_Item]) -> int | None:
    """Index of the headline at the byline/date block nearest the start of the body.

    The body start is estimated from the densest run of article-like lines; of the blocks
    around it, the last one before it wins (earlier ones are often sidebars), else the first
    one after it (an article whose standfirst comes before its headline).
    """
    metas = {
        index
        for index, item in enumerate(items)
        if not item.good and item.end is None and _is_meta(item.text)
    }
    if not metas:
        return None
    start, _ = _densest_span(
        [0.0 if index in metas else _item_score(item) for index, item in enumerate(items)]
    )
    near = [
        index
        for index in sorted(metas)
        if start - HEAD_SEARCH <= index <= start + HEAD_LINES
        and any(other.good for other in items[index + 1 : index + 1 + HEAD_LINES])
    ]
    ordered = [i for i in reversed(near) if i <= start] + [i for i in near if i > start]
    for index in ordered:
        found = _headline_at(items, index)
        if found is not None:
            return found
    return None


def _headline_at(items: Sequence[_Item], index: int) -> int | None:
    """The headline above the byline/date line at ``index`` (or just below a date line).

    Going up, other byline/date lines and end markers are skipped, and one article-like line
    (a photo caption or a standfirst) and two other lines are passed over.
    """
    dated = _is_date_line(items[index].text)
    passes = {True: 1, False: 2}  # article-like, other
    for back in range(index - 1, max(-1, index - HEAD_LINES), -1):
        item = items[back]
        bare_name = dated and back == index - 1 and _parse_byline(item.text, bare=True) is not None
        if item.end is not None or bare_name or _is_meta(item.text):
            continue
        if _is_headline(item.text):
            return back
        passes[item.good] -= 1
        if passes[item.good] < 0:
            break
    if not dated:
        return None
    for ahead in range(index + 1, min(len(items), index + 3)):
        leads_in = any(other.good for other in items[ahead + 1 : ahead + 3])
        if _is_headline(items[ahead].text) and not items[ahead].good and leads_in:
            return ahead
    return None


def _first_short_index(items: Sequence[_Item]) -> int | None:
    for index, item in enumerate(items):
        if item.good:
            return None
        if item.end is None and _is_headline(item.text):
            return index
    return None


def _find_head(items: Sequence[_Item]) -> tuple[_Head, bool]:
    """Title, byline and dates at the top of the article; flag: title is a mere fallback."""
    head = _Head()
    index = _page_title_index(items)
    if index is None:
        index = _anchored_title_index(items)
    fallback = index is None
    if index is None:
        index = _first_short_index(items)
    if index is None:
        return head, True
    head.title = _strip_site_name(items[index].text) if fallback else items[index].text
    head.used.add(index)
    _collect_meta(items, index, head)
    return head, fallback


def _strip_site_name(title: str) -> str:
    match = re.fullmatch(r"(.{12,}?)\s+[-|–—:]{1,2}\s+[^-|–—]{2,40}", title)
    if match and _word_count(title) - _word_count(match.group(1)) <= 4:
        return match.group(1)
    return title


def _collect_meta(items: Sequence[_Item], title: int, head: _Head) -> None:
    """Byline and dates from the lines around the title at ``title``.

    Below the title the search passes one article-like line (a standfirst) and stops at the
    next; dates just above the title count when there are none below it. A bare name ("Jo
    Smith", no "By") right under the title only counts as a byline next to a date line.
    """
    above = [index for index in range(max(0, title - 2), title) if _is_date_line(items[index].text)]
    below = [
        index
        for index in range(title + 1, min(len(items), title + 1 + HEAD_LINES))
        if items[index].end is None
    ]
    passed = False
    for offset, index in enumerate(below):
        item = items[index]
        if item.good:
            if passed:
                break
            passed = True
        elif not _take_dates(item.text, index, head) and head.byline is None:
            following = below[offset + 1] if offset + 1 < len(below) else None
            if _BY_ALONE.fullmatch(item.text) and following is not None:
                # "By" on a line of its own, the names on the next.
                if _take_byline(f"{item.text} {items[following].text}", following, head):
                    head.used.add(index)
                continue
            next_text = "" if following is None else items[following].text
            dated = bool(above or head.published or head.updated) or _is_date_line(next_text)
            _take_byline(item.text, index, head, bare=offset < 3 and not passed and dated)
    if head.published is None and head.updated is None:
        for index in above:
            _take_dates(items[index].text, index, head)


def _take_dates(text: str, index: int, head: _Head) -> bool:
    """Record the dates if ``text`` is a date line; True if it was."""
    if not _is_date_line(text):
        return False
    published, updated = _parse_dates(text)
    if published is None and updated is None:
        return False
    head.add_dates(published, updated)
    head.used.add(index)
    return True


def _take_byline(text: str, index: int, head: _Head, bare: bool = False) -> bool:
    """Record the byline if ``text`` is one; True if it was."""
    byline = _parse_byline(text, bare=bare)
    if byline is None:
        return False
    head.byline, head.authors, head.publication = byline.text, byline.authors, byline.publication
    head.add_dates(byline.published, byline.updated)
    head.used.add(index)
    return True


# --- Body of a scraped page ---------------------------------------------------------------------


def _mark_lists(items: Sequence[_Item]) -> None:
    """Flag short lines right after a lead-in ending in ":" as list items of the body."""
    for index, item in enumerate(items):
        if not item.text.endswith(":") or item.words < LIST_LEAD_WORDS or item.end is not None:
            continue
        for after in items[index + 1 : index + 1 + LIST_MAX_ITEMS]:
            if not _is_short(after) or after.end is not None:
                break
            after.listed = True


def _item_score(item: _Item) -> float:
    if item.listed:
        return 0.0
    if item.good:
        return float(item.words)
    if item.words and _SENTENCE_STOP.search(item.text):
        return 1.0  # a short sentence ("He died.")
    if _is_sentence(item.text) and item.words >= 3:
        return 1.0  # a lead-in ending in ":" or ";"
    return -SHORT_PENALTY


def _densest_span(scores: Sequence[float]) -> tuple[int, int]:
    """The contiguous span with the highest total score (maximum subarray)."""
    best, best_span = 0.0, (0, 0)
    start, total = 0, 0.0
    for index, score in enumerate(scores):
        if total <= 0:
            start, total = index, 0.0
        total += score
        if total > best:
            best, best_span = total, (start, index + 1)
    return best_span


def _is_short(item: _Item) -> bool:
    return not item.good and not _is_sentence(item.text)


def _is_attribution(text: str) -> bool:
    """A dash, then a name: "— Arvind Kejriwal (@ArvindKejriwal) November 1, 2019"."""
    return _word_count(text) <= ATTACHED_MAX_WORDS and bool(_ATTRIBUTION.match(text))


def is_attached(text: str) -> bool:
    """An attribution or a source credit that belongs to the paragraph above it.

    "— Jo Smith (@jo) November 18, 2019" under a quoted post, "[ Wired ]" or "Headline of
    the source [ Bloomberg ]" under an excerpt.
    """
    return _is_attribution(text) or (
        _word_count(text) <= ATTACHED_MAX_WORDS and bool(_CITATION.search(text))
    )


def _mark_quotes(items: Sequence[_Item]) -> None:
    """Flag attribution lines and the short lines of the quoted post right above each one."""
    for index, item in enumerate(items):
        if item.end is not None or not _is_attribution(item.text):
            continue
        item.quoted = True
        for above in reversed(items[max(0, index - QUOTE_LINES) : index]):
            if not _is_short(above) or above.end is not None:
                break
            above.quoted = True


def _is_menu_like(item: _Item) -> bool:
    """A line that can be an item of a menu or a list of links."""
    return _is_short(item) and not item.listed and not item.quoted


def _drop_menus(items: Sequence[_Item]) -> list[_Item]:
    """``items`` without runs of :data:`MENU_RUN` or more menu-like lines."""
    kept: list[_Item] = []
    run: list[_Item] = []
    for item in [*items, None]:
        if item is not None and _is_menu_like(item):
            run.append(item)
            continue
        if len(run) < MENU_RUN:
            kept.extend(run)
        run = []
        if item is not None:
            kept.append(item)
    return kept


def _attach_tail(items: Sequence[_Item], stop: int) -> int:
    """``stop`` moved past the quoted posts and the credit lines right after the body."""
    while stop < len(items) and items[stop].quoted:
        stop += 1
    end = stop
    while end < len(items) and end - stop < ATTACHED_TAIL and is_attached(items[end].text):
        end += 1
    return end


def _lead_start(kept: Sequence[tuple[int, _Item]], start: int, used: set[int]) -> int:
    """Where the body begins among ``kept`` lines, given its densest span starts at ``start``.

    Lines between the byline/date block and that span join the body from the first sentence
    among them (a lead, a standfirst), so sub-headings and short lines that follow it are
    kept too (less any menu); there must be only a few such lines, or they are page debris.
    """
    if not used:
        return start
    between = [index for index in range(start) if kept[index][0] > max(used)]
    if len(between) > 2 * HEAD_LINES:
        return start
    for index in between:
        item = kept[index][1]
        if _is_sentence(item.text) and item.words >= 3:
            return index
    return start


def _mark_boxes(items: Sequence[_Item], anchor: int, used: set[int]) -> None:
    """Flag the link titles after each end marker from ``anchor`` on that does not end the body.

    After an inline "DON'T MISS" or "More:" the lines up to the next sentence (at most
    :data:`LIST_MAX_ITEMS`) are the box's links; ``used`` (title and meta) lines are kept.
    """
    for index in range(anchor + 1, len(items)):
        if items[index].end is None:
            continue
        for after in range(index + 1, min(len(items), index + 1 + LIST_MAX_ITEMS)):
            item = items[after]
            if item.end is not None or _is_sentence(item.text) or after in used:
                break
            item.boxed = True


def _body(items: Sequence[_Item], used: set[int]) -> list[str]:
    """The body paragraphs among ``items`` (``used``: title and meta lines to leave out).

    The body is the densest span of article-like lines with the attributions right after it,
    extended back to a lead between the byline/date block and that span, less the menus
    inside it.
    """
    heading = {items[index].text.casefold() for index in used}
    kept = [
        (position, item)
        for position, item in enumerate(items)
        if position not in used
        and item.end is None
        and not item.boxed
        and item.text.casefold() not in heading
    ]
    rest = [item for _, item in kept]
    _mark_lists(rest)
    _mark_quotes(rest)
    start, stop = _densest_span([_item_score(item) for item in rest])
    stop = _attach_tail(rest, stop)
    start = _lead_start(kept, start, used)
    return [item.text for item in _drop_menus(rest[start:stop])]


def _clean_text(source: Source, rules: DebrisRules) -> Article:
    lines = _unwrap([_normalize(line) for line in source.text.split("\n")])
    items = _debris_items(lines, rules)
    head, fallback = _find_head(items)
    anchor = min(head.used, default=0)
    items = items[: _end_cut(items, anchor)]
    _mark_boxes(items, anchor, head.used)
    paragraphs = _body(items, head.used)
    title = head.title
    if not paragraphs and fallback and title is not None and len(items) == 1:
        paragraphs, title = [title], None
    if not paragraphs:
        raise _no_text(source)
    return _article(source, title, (Section(None, tuple(paragraphs)),), head)


def _article(
    source: Source,
    title: str | None,
    sections: tuple[Section, ...],
    head: _Head,
    extra: dict[str, str] | None = None,
) -> Article:
    return Article(
        title=title or _stem_title(source.name),
        sections=sections,
        byline=head.byline,
        authors=head.authors,
        publication=head.publication,
        published=head.published,
        updated=head.updated,
        source=source.name,
        extra=dict(extra or {}),
    )


def _stem_title(name: str) -> str:
    stem = "" if name.startswith("<") else Path(name).stem
    words = re.sub(r"[-_]+", " ", stem).strip()
    return words or "Untitled article"


# --- Markdown ---------------------------------------------------------------------------------

_FRONT_MATTER = re.compile(r"---[ \t]*\n(.*?)\n(?:---|\.\.\.)[ \t]*(?:\n|$)", re.DOTALL)
_COMMENT = re.compile(r"<!--.*?(?:-->|\Z)", re.DOTALL)
_FENCE = re.compile(r" {0,3}(`{3,}|~{3,})")
_ATX = re.compile(r" {0,3}(#{1,6})(?:\s+(.*?))?(?:\s+#+)?\s*")
_SETEXT = re.compile(r" {0,3}(=+|-+)\s*")
_RULE = re.compile(r" {0,3}([-*_])(?:\s*\1){2,}\s*")
_LIST_ITEM = re.compile(r"\s*(?:[-*+•]|\d{1,9}[.)])\s+(?:\[[ xX]\]\s+)?(.*)")
_QUOTE = re.compile(r"\s*(?:>\s?)+")
_REF_DEF = re.compile(r" {0,3}\[[^\]]+\]:\s*\S+.*")
_TABLE_RULE = re.compile(r"\s*\|?\s*:?-{2,}:?\s*(?:\|\s*:?-{2,}:?\s*)*\|?\s*")
_TARGET = r"\((?:[^()\s]|\([^()\s]*\))*(?:\s+(?:\"[^\"]*\"|'[^']*'|\([^)]*\)))?\)"
_INLINE: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(rf"!\[[^\]]*\](?:{_TARGET}|\[[^\]]*\])"), ""),
    (re.compile(r"\[\^[^\]]+\]"), ""),
    (re.compile(rf"\[([^\]]+)\](?:{_TARGET}|\[[^\]]*\])"), r"\1"),
    (re.compile(r"<(?:https?|mailto|ftp):[^>\s]+>"), ""),
    (re.compile(r"</?[A-Za-z][^>]*>"), ""),
    (re.compile(r"(`+)(.+?)\1"), r"\2"),
    (re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1"), r"\2"),
    (re.compile(r"(?<![\w*])\*(?=\S)(.+?)(?<=\S)\*(?![\w*])"), r"\1"),
    (re.compile(r"(?<!\w)_(?=\S)(.+?)(?<=\S)_(?!\w)"), r"\1"),
    (re.compile(r"~~(?=\S)(.+?)(?<=\S)~~"), r"\1"),
)
_ESCAPED = re.compile(r"\\([\\`*_{}\[\]()#+\-.!>~|<])")
_FRONT_KEYS = {
    "title": "title",
    "author": "authors",
    "authors": "authors",
    "date": "published",
    "published": "published",
    "updated": "updated",
    "lastmod": "updated",
    "modified": "updated",
    "publication": "publication",
    "publisher": "publication",
    "byline": "byline",
}


@dataclass(frozen=True)
class _Block:
    """A Markdown block: a heading (``level`` ≥ 1) or a paragraph (``level`` 0)."""

    level: int
    text: str


def _front_matter(text: str) -> tuple[dict[str, str | list[str]], str]:
    """YAML-ish front matter (``key: value`` and simple lists) and the rest of ``text``."""
    match = _FRONT_MATTER.match(text)
    if not match:
        return {}, text
    values: dict[str, str | list[str]] = {}
    key: str | None = None
    for line in match.group(1).split("\n"):
        item = re.fullmatch(r"\s+-\s+(.*)", line)
        if item and key is not None:
            current = values.get(key)
            values[key] = [*(current if isinstance(current, list) else []), _unquote(item[1])]
            continue
        pair = re.fullmatch(r"([A-Za-z_][\w-]*)\s*:\s*(.*)", line)
        if pair:
            key = pair[1].lower()
            values[key] = _front_value(pair[2].strip())
    return values, text[match.end() :]


def _front_value(raw: str) -> str | list[str]:
    if raw.startswith("[") and raw.endswith("]"):
        return [_unquote(part) for part in raw[1:-1].split(",") if part.strip()]
    return _unquote(raw)


def _unquote(raw: str) -> str:
    raw = raw.strip()
    if len(raw) >= 2 and raw[0] == raw[-1] and raw[0] in "\"'":
        return raw[1:-1]
    return raw


class _MarkdownBlocks:
    """Splits a Markdown body into heading and paragraph blocks, one line at a time."""

    def __init__(self) -> None:
        self.blocks: list[_Block] = []
        self.paragraph: list[str] = []
        self.fence: str | None = None

    def flush(self, level: int = 0) -> None:
        """End the current paragraph (as a heading of ``level`` if ``level`` ≥ 1)."""
        if self.paragraph:
            self.blocks.append(_Block(level, " ".join(self.paragraph)))
            self.paragraph.clear()

    def feed(self, line: str) -> None:
        """Take one more line of the body."""
        opener = _FENCE.match(line)
        if self.fence is not None:
            mark = opener.group(1) if opener else ""
            if mark[:1] == self.fence[:1] and len(mark) >= len(self.fence):
                self.fence = None
            return
        if opener:
            self.flush()
            self.fence = opener.group(1)
            return
        setext = _SETEXT.fullmatch(line)
        if setext and len(self.paragraph) == 1:
            self.flush(1 if setext.group(1)[0] == "=" else 2)
        elif not line.strip() or _RULE.fullmatch(line) or _REF_DEF.fullmatch(line):
            self.flush()
        elif not (_TABLE_RULE.fullmatch(line) and "-" in line and "|" in line):
            self._content(line)

    def _content(self, line: str) -> None:
        atx = _ATX.fullmatch(line)
        if atx:
            self.flush()
            if atx.group(2):
                self.blocks.append(_Block(len(atx.group(1)), atx.group(2)))
            return
        quote = _QUOTE.match(line)
        content = (line[quote.end() :] if quote else line).strip()
        item = _LIST_ITEM.fullmatch(content)
        if item:
            self.flush()
            content = item.group(1).strip()
        elif len(content) > 1 and content.startswith("|") and content.endswith("|"):
            self.flush()
            content = ", ".join(cell.strip() for cell in content[1:-1].split("|"))
        if content:
            self.paragraph.append(content)
        else:
            self.flush()


def _markdown_blocks(text: str) -> list[_Block]:
    """Headings and paragraphs of a Markdown body (code, comments and rules dropped)."""
    parser = _MarkdownBlocks()
    for line in _COMMENT.sub("", text).split("\n"):
        parser.feed(line)
    parser.flush()
    return parser.blocks


def _inline(text: str) -> str:
    """Markdown inline syntax reduced to the words (link text kept; URLs, images dropped)."""
    escapes: list[str] = []

    def hide(match: re.Match[str]) -> str:
        escapes.append(match.group(1))
        return f"\ue000{len(escapes) - 1}\ue001"

    text = _ESCAPED.sub(hide, text)
    for pattern, replacement in _INLINE:
        text = pattern.sub(replacement, text)
    text = re.sub(r"\ue000(\d+)\ue001", lambda m: escapes[int(m.group(1))], text)
    text = re.sub(r"(?: {2,}|\\)$", "", html.unescape(text))
    return _normalize(text)


def _markdown_debris(blocks: list[_Block], rules: DebrisRules) -> list[_Block]:
    """Debris rules applied to paragraphs and headings; an end marker ends the article.

    A Markdown file has no page around it, so one paragraph is enough for the body to have
    begun.
    """
    items = _debris_items([block.text for block in blocks], rules)
    items = items[: _end_cut(items, 0, begin_run=1, begin_words=1)]
    return [_Block(blocks[item.index].level, item.text) for item in items if item.end is None]


def _markdown_title(
    blocks: list[_Block], front: dict[str, str | list[str]]
) -> tuple[str | None, list[_Block]]:
    """The title (front matter, else the first H1, else a first short line) and the rest."""
    title = front.get("title")
    if isinstance(title, str) and title:
        title = _inline(title)
        if blocks and blocks[0].level == 1 and blocks[0].text.casefold() == title.casefold():
            blocks = blocks[1:]
        return title, blocks
    for index, block in enumerate(blocks):
        if block.level == 1:
            return block.text, blocks[:index] + blocks[index + 1 :]
    if blocks and blocks[0].level == 0 and _is_headline(blocks[0].text) and len(blocks) > 1:
        return blocks[0].text, blocks[1:]
    return None, blocks


def _markdown_head(front: dict[str, str | list[str]], blocks: list[_Block]) -> _Head:
    """Byline and dates from short lines at the top of the body, then from front matter."""
    head = _Head()
    for index, block in enumerate(blocks[:HEAD_LINES]):
        if block.level or _is_good(block.text):
            break
        if _is_date_line(block.text):
            head.add_dates(*_parse_dates(block.text))
            head.used.add(index)
        elif head.byline is None:
            _take_byline(block.text, index, head, bare=False)
    _apply_front(front, head)
    return head


def _apply_front(front: dict[str, str | list[str]], head: _Head) -> None:
    for key, value in front.items():
        target = _FRONT_KEYS.get(key)
        if target is None or not value:
            continue
        if target == "authors":
            names = value if isinstance(value, list) else _NAME_SEPARATORS.split(value)
            head.authors = tuple(name.strip() for name in names if name.strip())
        elif isinstance(value, str) and target != "title":
            setattr(head, target, value)
    if head.authors and not front.get("byline"):
        head.byline = " and ".join(head.authors) + (
            f" · {head.publication}" if head.publication else ""
        )


def _sections(blocks: Iterable[_Block]) -> tuple[Section, ...]:
    sections: list[Section] = []
    heading: str | None = None
    paragraphs: list[str] = []
    for block in [*blocks, _Block(1, "")]:
        if block.level == 0:
            paragraphs.append(block.text)
            continue
        if paragraphs:
            sections.append(Section(heading, tuple(paragraphs)))
        heading, paragraphs = block.text or None, []
    return tuple(sections)


def _clean_markdown(source: Source, rules: DebrisRules) -> Article:
    front, body = _front_matter(source.text)
    blocks = [
        _Block(block.level, text)
        for block in _markdown_blocks(body)
        if (text := _inline(block.text)) and _WORD.search(text)
    ]
    blocks = _markdown_debris(blocks, rules)
    title, blocks = _markdown_title(blocks, front)
    head = _markdown_head(front, blocks)
    blocks = [block for index, block in enumerate(blocks) if index not in head.used]
    sections = _sections(blocks)
    if not sections:
        raise _no_text(source)
    extra = {k: v for k, v in front.items() if isinstance(v, str) and k not in _FRONT_KEYS}
    return _article(source, title, sections, head, extra)
