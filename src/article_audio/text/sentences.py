"""Split stage: a paragraph of news text becomes a list of sentences.

Punkt's sentence boundaries are at the core (:mod:`article_audio.text.punkt`, the boundaries
nltk's Punkt tokenizer gives, without nltk), from data shipped in ``article_audio/data``:
the curated abbreviations of ``abbreviations.txt`` are Punkt's abbreviation types and the
common sentence starters of ``sentences_words.txt`` its sentence starters.

Around Punkt sit the rules for what it gets wrong in news text. Text is first cut into
*segments*: a blank line always ends a sentence, and a single newline either ends one (list
items, bullets, headings, lists of headlines, one-paragraph-a-line text) or is a hard wrap and
becomes a space (see :func:`_is_line_break`).
Inside a segment every whitespace-delimited token that ends in ``.``, ``?``, ``!`` or ``…``
(then maybe closing quotes or brackets) is a candidate boundary; the rules in
:func:`_decide` settle titles, initials, abbreviations, ellipses, quotes with attribution and
numbered lists, and leave the rest (ordinary words, numbers, ``?`` and ``!``) to Punkt.

Only boundaries are decided: the words of the output, joined, are exactly the words of the
input, so ``" ".join(split_sentences(t)).split() == t.split()`` always holds.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise

from article_audio.text.punkt import Punkt
from article_audio.text.sentence_words import lexicon as _lexicon

__all__ = ["split_sentences"]

#: Opening quotes and brackets that may precede a word.
_OPENERS = "\"'“‘«([{¿¡"
#: Closing quotes and brackets that may follow the end of a sentence and stay with it.
_CLOSERS = "\"'”’»)]}"
_QUOTES = "\"'”’»"
_OPENING_QUOTES = "\"'“‘«"
_DASHES = "—–-"
#: A token that ends in terminal punctuation, then maybe closing quotes or brackets.
_TERMINAL = re.compile(
    rf"(?P<body>.*?)(?P<term>[.?!…]+)(?P<close>[\s{re.escape(_CLOSERS)}]*)", re.S
)
#: The characters a token that _TERMINAL matches can end with.
_TERMINAL_LAST = ".?!…" + _CLOSERS
_TOKEN = re.compile(r"\S+")
#: One- or two-letter parts joined by periods: "U.S", "Y.M.C.A", "Ph.D", "W.Va".
_DOTTED = re.compile(r"(?:[^\W\d_]{1,2}\.)+[^\W\d_]{1,2}")
#: What may stand before a numbered-list item's period: "1", "12", "a", "iv".
_LIST_NUMBER = re.compile(r"\d{1,3}|[^\W\d_]|[ivxIVX]{1,4}")
#: A number: "12", "-3.5", "1,200", "+4".
_NUMBER = re.compile(r"[-+−]?\d[\d,.]*")
#: "I", "I'm", "I'll", ... (an ellipsis before them is usually a hesitation, not an end).
_PRONOUN_I = re.compile(r"I(?:['’][a-z]{1,2})?\W*")
#: A token numbering an inline list item, maybe after a bullet (also a token): "2.)" "⁃9.".
_MARKER = re.compile(
    r"(?P<bullet>[•▪◦‣⁃])?(?P<open>\()?(?P<label>\d{1,3}|[a-z])(?P<style>\.\)|[.)])"
)
_BULLETS = frozenset("•▪◦‣⁃")
#: A line that is a list item: a bullet, or "1." / "1)" / "(a)" / "a)" then a space.
_LIST_ITEM = re.compile(r"(?:[-*•·▪◦‣►→]|\(?\d{1,3}[.)]|\(?[a-z][.)]|\([A-Za-z]\))\s")
#: A dateline on a line of its own, with its agency: "WASHINGTON (AP)", "OTTAWA (CP)".
_DATELINE = re.compile(r"[A-Z][A-Z.,'’ -]*\([A-Za-z ]{1,20}\)")
#: Characters that, ending a line, say the sentence goes on on the next line.
_CONTINUATION_ENDS = ",;:&/|+(·" + _DASHES
#: Longest line a hard-wrapped paragraph has; a longer one means one paragraph a line.
_WRAP_LIMIT = 100
#: Longest line of a paragraph read as a column of lower-case items ("features\ncontact us").
_ITEM_WIDTH = 40
#: Longest unlisted word read as an abbreviation before a lower-case word ("The med. staff").
_SHORT_WORD = 5
#: Most words an opening phrase ("At 5 a.m.", "In the U.S.") has; it is never a sentence.
_OPENING_PHRASE_WORDS = 5
#: Most words a clause after a closing quote may have to be that quote's attribution.
_ATTRIBUTION_WORDS = 10
#: Most words after the speech verb in an attribution ("told reporters on Tuesday").
_ATTRIBUTION_TAIL = 3
#: Characters after a candidate that the look-ahead rules read (attribution, "Ottawa time").
_WINDOW = 600


def split_sentences(text: str) -> list[str]:
    """The sentences of ``text``, in order, each stripped and none empty.

    ``text`` is one paragraph or several separated by blank lines. Single newlines are hard
    wraps (joined with a space) unless they end a list item, bullet or heading-like line. Only
    boundaries are decided: no word is dropped or changed.
    """
    sentences: list[str] = []
    for paragraph in _paragraphs(text):
        for segment in _segments(paragraph):
            sentences.extend(_split_segment(segment))
    return sentences


# ---------------------------------------------------------------------------------------------
# Shipped data and the Punkt tokenizer built from it


@lru_cache(maxsize=1)
def _punkt() -> Punkt:
    """The Punkt model of the shipped lists: their abbreviations and sentence starters."""
    lexicon = _lexicon()
    return Punkt(
        abbreviations=frozenset(lexicon.never_final | lexicon.general | lexicon.final),
        starters=frozenset(lexicon.starters),
    )


def _punkt_ends(segment: str) -> set[int]:
    """Offsets in ``segment`` where Punkt ends a sentence (closing quotes realigned)."""
    return {end for _, end in _punkt().spans(segment)}


# ---------------------------------------------------------------------------------------------
# Paragraphs and segments: blank lines, hard wraps, list items and headings


def _paragraphs(text: str) -> Iterator[list[str]]:
    """The paragraphs of ``text`` (split at blank lines), each as its stripped lines."""
    lines: list[str] = []
    for raw in text.splitlines():
        line = raw.strip()
        if line:
            lines.append(line)
        elif lines:
            yield lines
            lines = []
    if lines:
        yield lines


def _segments(lines: Sequence[str]) -> Iterator[str]:
    """Join ``lines`` into segments: a newline is a hard break or becomes a space.

    A paragraph whose last line has no final punctuation is taken for a list (of headlines,
    links, items), not for wrapped prose; if all its lines are short and start in lower case
    ("features\ncontact manager"), each line is an item.
    """
    width = max(len(line) for line in lines)
    listy = _TERMINAL.fullmatch(lines[-1].split()[-1]) is None
    if listy and width <= _ITEM_WIDTH and all(_is_lower_item(line) for line in lines):
        yield from lines
        return
    current = [lines[0]]
    for prev, line in pairwise(lines):
        if _is_line_break(prev, line, width, listy):
            yield " ".join(current)
            current = []
        current.append(line)
    yield " ".join(current)


def _is_lower_item(line: str) -> bool:
    """Whether ``line`` may be a lower-case item: it starts in lower case and looks complete."""
    return line[0].islower() and line[-1] not in _CONTINUATION_ENDS and not _wraps(line)


def _is_line_break(prev: str, line: str, width: int, listy: bool) -> bool:
    """Whether the newline between ``prev`` and ``line`` ends a sentence (else it is a wrap).

    ``width`` is the paragraph's longest line; ``listy`` says the paragraph looks like a list.
    """
    if _LIST_ITEM.match(line):
        return True
    word = line.lstrip(_OPENERS)
    if not word or not (word[0].isupper() or word[0].isdigit()):
        return False
    if listy and prev.endswith(":"):
        return True
    if _continues(prev):
        return False
    if width > _WRAP_LIMIT or listy:
        return True  # one paragraph a line, or a list: not hard-wrapped prose
    if _TERMINAL.fullmatch(prev.split()[-1]):
        return False  # joined; Punkt and the rules decide
    if _wraps(prev):
        return False
    if _LIST_ITEM.match(prev) or _is_caps_heading(prev):
        return True
    if _has_inner_sentence_end(prev):
        return False  # prose, not a heading: "... 1,000 members. Defence Minister"
    first = line.split()[0]
    return len(prev) + 1 + len(first) <= width


def _continues(line: str) -> bool:
    """Whether ``line`` visibly goes on: a comma or dash, a title or initial, a dateline."""
    if line[-1] in _CONTINUATION_ENDS or _DATELINE.fullmatch(line):
        return True
    match = _TERMINAL.fullmatch(line.split()[-1])
    if match is None or match["term"] != "." or match["close"]:
        return False
    core = _core(match["body"])
    return core.lower() in _lexicon().never_final or _is_initial(core)


def _wraps(line: str) -> bool:
    """Whether ``line`` ends in a word that a sentence never ends with ("and", "the")."""
    return _normal(line.split()[-1]) in _lexicon().wrap_words


def _has_inner_sentence_end(line: str) -> bool:
    """Whether a word inside ``line`` ends in sentence punctuation (not an abbreviation)."""
    for token in line.split()[:-1]:
        match = _TERMINAL.fullmatch(token)
        if match is not None and (
            match["term"] != "." or not _is_known_abbreviation(_core(match["body"]))
        ):
            return True
    return False


def _is_caps_heading(line: str) -> bool:
    """Whether ``line`` is an all-capitals heading of two or more words ("ABOUT THE AUTHOR")."""
    return len(line.split()) >= 2 and line.isupper()


# ---------------------------------------------------------------------------------------------
# Candidate boundaries inside a segment


@dataclass(frozen=True)
class _Candidate:
    """A token ending in terminal punctuation, with what is around it.

    ``core`` is the word before the punctuation without quotes or brackets ("Sen", "U.S",
    "paused"); ``term`` the terminal punctuation ("." "?!" "..."); ``close`` the closing quotes
    or brackets after it; ``prev`` the token before and ``nxt`` the token after. ``quoted``
    says whether the sentence it would end opens with a quotation mark; ``before`` holds the
    tokens of that sentence before this one.
    """

    core: str
    term: str
    close: str
    prev: str
    nxt: str
    segment: str
    next_start: int
    quoted: bool
    before: Sequence[str]

    @property
    def opens(self) -> bool:
        """Whether only an opening phrase precedes: "At 5 a.m.", "In the U.S." (no sentence)."""
        words = [*self.before, self.core]
        return (
            len(words) <= _OPENING_PHRASE_WORDS
            and _normal(words[0]) in _lexicon().openers
            and not any(w.endswith(",") for w in self.before)
        )

    @property
    def is_ellipsis(self) -> bool:
        """Whether the punctuation is an ellipsis ("...", "…", or the last dot of ". . .")."""
        return "…" in self.term or ".." in self.term or (not self.core and self.term == ".")

    @property
    def is_question(self) -> bool:
        """Whether the punctuation holds a question or exclamation mark."""
        return "?" in self.term or "!" in self.term

    @property
    def closes_quote(self) -> bool:
        """Whether a closing quotation mark follows the punctuation."""
        return any(c in _QUOTES for c in self.close)


def _split_segment(segment: str) -> list[str]:
    """The sentences of one segment (text without newlines)."""
    spans = _token_spans(segment)
    tokens = [segment[start:end] for start, end in spans]
    items, markers = _inline_list(tokens)
    ends = [spans[i - 1][1] for i in items]
    punkt_ends: set[int] | None = None
    first = 0  # the index of the current sentence's first token
    for i, (start, end) in enumerate(spans[:-1]):
        if i in items:
            first = i
        if segment[end - 1] not in _TERMINAL_LAST or i in markers:
            continue
        match = _TERMINAL.fullmatch(segment, start, end)
        if match is None:
            continue
        candidate = _Candidate(
            core=_core(match["body"]),
            term=match["term"],
            close=match["close"],
            prev=segment[spans[i - 1][0] : spans[i - 1][1]] if i else "",
            nxt=segment[spans[i + 1][0] : spans[i + 1][1]],
            segment=segment,
            next_start=spans[i + 1][0],
            quoted=tokens[first][0] in _OPENING_QUOTES,
            before=tokens[first:i],
        )
        decision = _decide(candidate)
        if decision is None:
            if punkt_ends is None:
                punkt_ends = _punkt_ends(segment)
            decision = any(e in punkt_ends for e in range(match.start("term") + 1, end + 1))
        if decision:
            ends.append(end)
            first = i + 1
    return _cut(segment, sorted(set(ends)))


def _inline_list(tokens: Sequence[str]) -> tuple[set[int], set[int]]:
    """The items of lists written in running text: "1. The first item 2. The second item".

    A run of markers of one kind counting up by one ("1." "2." "3.", "a)" "b)", "• 9." "• 10."),
    the first at the start of the text, after a colon or after a sentence, is a list. Returns
    the indexes of the tokens where an item after the first begins (a bullet before its
    marker included) and the indexes of every marker of the run, which never end a sentence.
    """
    found: dict[int, tuple[str, int]] = {}
    for i, token in enumerate(tokens):
        match = _MARKER.fullmatch(token)
        if match is not None:
            label = match["label"]
            kind = f"{match['open'] or ''}{label.isdigit()}{match['style']}"
            found[i] = (kind, int(label) if label.isdigit() else ord(label) - ord("a") + 1)
    items: set[int] = set()
    markers: set[int] = set()
    for i, (kind, value) in found.items():
        if i in markers or not _opens_list(tokens, i):
            continue
        run = [i]
        for j, (other, number) in found.items():
            if j > run[-1] and other == kind and number == value + len(run):
                run.append(j)
        run = [j for j in run if j == i or _starts_item(tokens, j)]
        if len(run) > 1:
            markers.update(run)
            items.update(j - 1 if tokens[j - 1] in _BULLETS else j for j in run[1:])
    return items, markers


def _starts_item(tokens: Sequence[str], j: int) -> bool:
    """Whether the marker at ``j`` starts an item of its own: a capital follows, and no comma
    or conjunction comes before ("..., and (2) there was" stays one sentence)."""
    start = j - 1 if tokens[j - 1] in _BULLETS else j
    before, after = tokens[start - 1], tokens[j + 1 : j + 2]
    return (
        bool(after)
        and after[0][:1].isupper()
        and before[-1] not in ",;"
        and _normal(before) not in _lexicon().wrap_words
    )


def _opens_list(tokens: Sequence[str], i: int) -> bool:
    """Whether the marker at ``i`` may begin a list: at the start, after a colon or a sentence."""
    start = i - 1 if i and tokens[i - 1] in _BULLETS else i
    return start == 0 or tokens[start - 1][-1] in ":.?!"


def _token_spans(segment: str) -> list[tuple[int, int]]:
    """(start, end) of the whitespace-delimited tokens of ``segment``.

    A token of closing quotes or brackets only (the French "Non. »") is part of the token
    before it, so the boundary falls after it.
    """
    spans: list[tuple[int, int]] = []
    for token in _TOKEN.finditer(segment):
        if spans and not token.group().strip(_CLOSERS):
            spans[-1] = (spans[-1][0], token.end())
        else:
            spans.append(token.span())
    return spans


def _cut(segment: str, ends: Sequence[int]) -> list[str]:
    """``segment`` cut at the offsets ``ends``, each piece stripped, empty pieces dropped."""
    pieces: list[str] = []
    start = 0
    for end in [*ends, len(segment)]:
        piece = segment[start:end].strip()
        if piece:
            pieces.append(piece)
        start = end
    return pieces


def _core(body: str) -> str:
    """The word in ``body`` without surrounding quotes and brackets."""
    return body.lstrip(_OPENERS).rstrip(_CLOSERS)


def _is_initial(core: str) -> bool:
    """Whether ``core`` is a single letter, as in "J. K. Rowling" or "Plan B"."""
    return len(core) == 1 and core.isalpha()


def _normal(word: str) -> str:
    """``word`` for list look-ups: lower case, straight apostrophes, no surrounding punctuation."""
    return word.strip(_OPENERS + _CLOSERS + ".,;:?!").replace("’", "'").lower()


# ---------------------------------------------------------------------------------------------
# The rules: True splits, False joins, None leaves the decision to Punkt


def _decide(c: _Candidate) -> bool | None:
    """Whether the candidate ends a sentence, or None to let Punkt decide."""
    word = c.nxt.lstrip(_OPENERS)
    if not word:
        return None
    first = word[0]
    opening = c.term == "." and not any(ch.isalnum() for token in c.before for ch in token)
    bracketed = c.close.startswith((")", "]")) and c.prev[-1:] not in (".", "?", "!")
    if c.is_ellipsis and not c.core and (opening or bracketed):
        return False  # words left out: ". . . The practice" opening, "stairways [...]" inside
    if first == "." and c.term == "." and c.core and not c.close:
        return _before_spaced_ellipsis(c)
    if first in _DASHES or first in ".,;:":
        return False  # "the U.S. — and Canada", the dots of ". . ."
    if first.islower():
        return _before_lowercase(c)
    if first.isupper() and c.quoted and c.closes_quote and _is_attribution(c):
        return False
    if c.is_ellipsis:
        return first.isupper() and not _PRONOUN_I.fullmatch(word)
    if c.term == "!" and c.core.lower() in _lexicon().exclamation:
        return _normal(word) in _lexicon().starters  # "Yahoo! Research", "Jeopardy! The"
    if c.is_question:
        return None
    return _after_period(c, word)


def _before_spaced_ellipsis(c: _Candidate) -> bool:
    """A period then ". . ." then a capital: the sentence ends at the period, and the ellipsis
    marks words left out at the start of the next ("compounds. . . . The practice")."""
    following = c.segment[c.next_start : c.next_start + _WINDOW].split(maxsplit=4)
    return following[:3] == [".", ".", "."] and following[3:4] != [] and following[3][0].isupper()


def _before_lowercase(c: _Candidate) -> bool | None:
    """A lower-case word follows: an attribution, a trailing-off or an abbreviation."""
    if c.is_question or c.is_ellipsis or c.close.strip():
        return False
    if c.core.lower() in _lexicon().never_final or _is_initial(c.core) or _is_abbreviation(c):
        return False
    word = c.nxt.lstrip(_OPENERS).rstrip(_CLOSERS + ".,;:!?")
    if c.core.isalpha() and len(c.core) <= _SHORT_WORD and word.isalpha() and word.islower():
        return False  # a short unlisted abbreviation: "The med. staff", "5th st. near"
    return None


def _after_period(c: _Candidate, word: str) -> bool | None:
    """A single period, followed by a capital, a digit or a symbol."""
    lexicon = _lexicon()
    key = c.core.lower()
    if key in lexicon.never_final or key.rsplit("-", 1)[-1] in lexicon.never_final:
        return False
    if word[0].isdigit():
        if key in lexicon.number or _is_initial(c.core) or _is_abbreviation(c):
            return False
        return None
    if _is_list_number(c):
        return False
    if not word[0].isupper():
        return False if _is_initial(c.core) or _is_abbreviation(c) else None
    if (key in ("a.m", "p.m") or _is_initial(c.core) or _is_abbreviation(c)) and c.opens:
        return False  # "At 5 a.m. Mr. Smith went", "In the U.S. Millions of people"
    if key in ("a.m", "p.m"):
        return not _continues_time(c, word)
    if c.core in ("C", "F") and _is_number(c.prev):
        return True  # a temperature ("it was -3.5 C. Schools closed"), not an initial
    if _is_initial(c.core):
        return _after_initial(c, word)
    if _is_abbreviation(c):
        if _is_final(c):
            return not _continues_name(c, word)
        return _normal(word) in lexicon.starters
    return None


def _after_initial(c: _Candidate, word: str) -> bool:
    """A single letter and a period, then a capitalized word: "J. K.", "Plan B. The"."""
    lexicon = _lexicon()
    key = _normal(word)
    if word.endswith(".") and _is_initial(_core(word[:-1])):
        return False  # a run of initials: "J. K. Rowling", "by A. A. Milne"
    if _normal(c.prev) in lexicon.letter_labels:
        return not _continues_name(c, word)  # "Plan B. Construction", "World War I. The"
    if c.prev[:1].islower() or c.prev.endswith(","):
        return key in lexicon.starters  # not a middle initial: "you and I. Did", "of A. A"
    return key in lexicon.starters and key not in ("a", "i")  # "Albert I. Jones"


def _is_final(c: _Candidate) -> bool:
    """Whether the abbreviation often ends a sentence ("etc.", "Inc.", "U.S.")."""
    return c.core.lower() in _lexicon().final


def _continues_name(c: _Candidate, word: str) -> bool:
    """Whether the capitalized ``word`` goes on the name the abbreviation is part of.

    "U.S. Senate", "Inc. CEO", "U.S. Sen. Warren", "Corp. Chief Executive", "U.S. Centers for
    Disease Control" go on; "U.S. Millions attended", "etc. Donations poured" do not.
    """
    lexicon = _lexicon()
    key = _normal(word)
    if key in lexicon.starters:
        return False
    if c.nxt.startswith("("):
        return True  # an aside: "Marebella Fish Co. (Instructor: Anna Villano)"
    bare = word.strip(_OPENERS + _CLOSERS + ".,;:")
    if (
        key in lexicon.continuers
        or key in lexicon.never_final
        or (len(bare) > 1 and bare.isupper())
    ):
        return True
    following = c.segment[c.next_start : c.next_start + _WINDOW].split(maxsplit=3)[1:3]
    if not following or word[-1] in ",;:":
        return False
    if following[0][:1].isupper():
        return _normal(following[0]) not in lexicon.starters
    return _normal(following[0]) in ("of", "for", "and", "&") and following[-1][:1].isupper()


def _continues_time(c: _Candidate, word: str) -> bool:
    """Whether ``word`` goes on a time: "4 p.m. Tuesday", "9 a.m. EST", "5 p.m. Ottawa time"."""
    if _normal(word) in _lexicon().time_followers:
        return True
    following = c.segment[c.next_start : c.next_start + _WINDOW].split(maxsplit=2)
    return len(following) > 1 and _normal(following[1]) == "time"


def _is_number(token: str) -> bool:
    """Whether ``token`` is a number such as "12", "-3.5" or "1,200"."""
    return _NUMBER.fullmatch(token) is not None


def _is_abbreviation(c: _Candidate) -> bool:
    """Whether the word before the period is an abbreviation that may also end a sentence."""
    lexicon = _lexicon()
    key = c.core.lower()
    if any(k in lexicon.general or k in lexicon.final for k in (key, key.rsplit("-", 1)[-1])):
        return True
    if key in lexicon.comma:
        return c.prev.endswith(",")
    return _DOTTED.fullmatch(c.core) is not None


def _is_known_abbreviation(core: str) -> bool:
    """Whether ``core`` (no final period) is a listed or dotted abbreviation or an initial."""
    return (
        _lexicon().is_listed(core.lower())
        or _is_initial(core)
        or _DOTTED.fullmatch(core) is not None
    )


def _is_list_number(c: _Candidate) -> bool:
    """Whether the token numbers a list item.

    That is "1." (or "12.", "a.", "iv.") starting the segment, a first item ("1.", "a.", "i.")
    after a colon ("Steps: 1. Register"), or a number after a sentence ("... online. 2. Pay").
    """
    if not _LIST_NUMBER.fullmatch(c.core):
        return False
    if not c.prev:
        return True
    if c.prev.endswith(":"):
        return c.core.lower() in ("1", "a", "i")
    if not c.core.isdigit():
        return False
    match = _TERMINAL.fullmatch(c.prev)
    return match is not None and not _is_known_abbreviation(_core(match["body"]))


def _is_attribution(c: _Candidate) -> bool:
    """Whether the words after a closing quote attribute it: '"Why?" Smith asked.'.

    The clause up to the next comma or sentence punctuation must be short and hold a speech
    verb with at most a few words after it ("Prime Minister Mark Carney told reporters.").
    """
    words: list[str] = []
    window = c.segment[c.next_start : c.next_start + _WINDOW]
    for token in window.split(maxsplit=_ATTRIBUTION_WORDS)[:_ATTRIBUTION_WORDS]:
        words.append(_normal(token))
        stripped = token.rstrip(_CLOSERS)
        if stripped and stripped[-1] in ",;:?!…":
            break
        if stripped.endswith(".") and not _is_known_abbreviation(_core(stripped[:-1])):
            break
    else:
        return False
    verbs = [i for i, w in enumerate(words) if w in _lexicon().speech_verbs]
    return bool(verbs) and len(words) - verbs[0] - 1 <= _ATTRIBUTION_TAIL
