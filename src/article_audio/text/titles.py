"""Chapter titles for articles without headings: the key phrase of each chapter.

A chapter made of whole paragraphs is titled by the phrase that best says what it is about,
the way a person would label it in a podcast app ("Security guarantees", "Harbour levy"),
never by its first words and an ellipsis. Candidates are whole phrases of the text: runs of
content words between punctuation and function words, joined at most through one short
connector ("coalition of the willing", "Europe and Canada"), names kept whole ("Prime Minister
Mark Carney", never "Minister Mark"), and a phrase always followed by the same word is taken
for a piece of a longer one ("hot summer" of "hot summer afternoon") -- so a title is never
cut mid-phrase. A paragraph's wire dateline ("HALIFAX, Nova Scotia, Nov 3 (Reuters) -") is
dropped before, and a title never holds a quotation mark. Each candidate is scored on how often
its words come back in the chapter, how much more they belong to this chapter than to the
article's others (tf-idf over the chapters), how often the whole phrase recurs, how early it
first comes, and whether it is the narrator's words or a quotation's.

Written here rather than taken from a keyword library: YAKE (the usual choice) is under the
AGPL (its wheel's LICENSE), which the project's MIT default install can't carry, and the other
key-phrase libraries need spaCy models or transformer weights. Standard library only: no data
loaded, nothing downloaded, deterministic (ties go to the earlier phrase, then the
alphabetical one), about 10 ms for a 700-word article.

Titles are in sentence case: names and acronyms stay as printed ("NATO", "iPhone", "U.S."),
only the first letter is raised. Title Case would need rules for small words and would blur
names into common words ("Security Guarantees For Ukraine"); sentence case is how most English
news sites write headlines, and it reads well in a podcast app's chapter list, where titles
are short lines beside time stamps. See :func:`chapter_titles`.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Collection, Iterator, Sequence
from typing import NamedTuple

__all__ = ["MAX_TITLE_CHARS", "chapter_titles", "strip_dateline"]

#: A title is at most this many characters.
MAX_TITLE_CHARS = 60
#: A candidate phrase has at most this many content words and this many words in all.
MAX_CONTENT_WORDS = 4
MAX_PHRASE_WORDS = 6

#: Words that end a phrase: function words, pronouns, auxiliaries, reporting and common verbs,
#: vague nouns, days and months. A title neither starts nor ends with one.
STOPWORDS = frozenset(
    """
    a about above across after afterward afterwards again against ago ahead all almost alone
    along already also although always am among amid an and another any anyone anything anyway
    are around as at away back be became because become becomes been before being below
    beside besides between beyond both but by can cannot could did do does doing done down
    during each either else enough etc even ever every everyone everything few first for
    former from further had has have having he her here hers herself him himself his how
    however i if in including indeed inside instead into is it its itself just last later
    latter least less let like likely many may maybe me meanwhile might mine more most mostly
    much must my myself near nearly neither never next no nobody none nor not nothing now of
    off often on once one only onto or other others otherwise our ours ourselves out over own
    past per perhaps quite rather really same second several shall she should since so some
    somebody someone something sometimes still such than that the their theirs them themselves
    then there therefore these they third this those though through throughout thus to
    together too toward towards under unless until up upon us very via was we well were what
    whatever when whenever where whether which while who whom whose why will with within
    without would yet you your yours yourself yourselves
    ain't aren't can't couldn't didn't doesn't don't hadn't hasn't haven't he'd he'll he's
    i'd i'll i'm i've isn't it'd it'll it's let's she'd she'll she's shouldn't that's
    there's they'd they'll they're they've wasn't we'd we'll we're we've weren't what's
    who's won't wouldn't you'd you'll you're you've
    said says say saying told tell tells telling added adds asked asks according noted
    explained wrote writes stated announced reported reports claimed argued insisted
    went go goes going gone get gets got getting make makes made making take takes took
    taken come comes came coming see sees saw seen know knows knew known think thinks thought
    want wants wanted use used using give gives gave given find found look looks looked seem
    seems seemed feel felt try tried keep kept put puts begin began begun show shows showed
    shown need needs needed believe believes believed happen happened happens
    mr mrs ms dr yes ok okay
    thing things way ways lot lots kind sort bit part parts time times day days week weeks
    month months year years today yesterday tomorrow tonight percent people
    monday tuesday wednesday thursday friday saturday sunday
    january february march april june july august september october november december
    jan feb mar apr jun jul aug sep sept oct nov dec
    """.split()  # noqa: SIM905 (a block of words reads better than 400 quoted strings)
)

#: Function words a phrase may keep between its content words ("security guarantees for
#: Ukraine", "coalition of the willing"), at most :data:`MAX_CONNECTOR` in a row, once.
CONNECTORS = frozenset(
    {"of", "for", "on", "in", "and", "to", "with", "from", "against", "over", "the", "a", "an"}
)
MAX_CONNECTOR = 2
_ARTICLES = frozenset({"the", "a", "an"})

#: A word: initialisms with their dots ("U.S."), else letters and digits joined by
#: apostrophes, hyphens, dots, slashes or ampersands ("Ukraine's", "long-sought", "ID.3").
_WORD = re.compile(r"(?:[A-Za-z]\.){2,}|\w+(?:[’'\-/&.]\w+)*")
_LETTERS = re.compile(r"[^\W\d_]{2}")
_INITIALISM = re.compile(r"^(?:[a-z]\.){2,}$")
_QUOTE = re.compile(r"[\"“”«»]")
_SENTENCE_END = re.compile(r"[.!?…]")
_POSSESSIVE = re.compile(r"[’']s$", re.IGNORECASE)
_WEB = re.compile(r"@|https?|www\.|\.(?:com|org|net|co\.uk)\b", re.IGNORECASE)

#: A wire dateline opening a paragraph: "HALIFAX, Nova Scotia, Nov 3 (Reuters) - ",
#: "MADRID — ", "(Reuters) — ", "WASHINGTON (AP) — ".
_DATELINE = re.compile(
    r"^\s*(?:[A-Z][A-Z.'’\-]{2,}(?:\s+[A-Z][A-Z.'’\-]+)*|\([A-Z][\w .&-]{1,30}\))"
    r"[^.!?\"“—–\n]{0,60}?\s*[—–-]{1,2}\s+"
)


def strip_dateline(paragraph: str) -> str:
    """``paragraph`` without a wire dateline at its start."""
    return _DATELINE.sub("", paragraph, count=1)


class _Token(NamedTuple):
    text: str
    key: str  # lower case, possessive dropped
    stop: bool  # a function word (or a web address)
    content: bool  # a word that can carry a title (see _is_content)
    capital: bool  # starts with a capital letter
    sentence: int  # index of the sentence within the chapter
    initial: bool  # first word of its sentence
    quoted: bool  # inside a quotation


class _Phrase(NamedTuple):
    key: tuple[str, ...]
    surface: str
    sentence: int
    quoted: bool
    initial: bool
    follower: str | None  # the content word right after it, if any


def _token(word: str, sentence: int, initial: bool, quoted: bool) -> _Token:
    key = _POSSESSIVE.sub("", word.lower().replace("’", "'"))
    stop = key in STOPWORDS or bool(_WEB.search(word))
    content = not stop and bool(_LETTERS.search(key) or _INITIALISM.match(key))
    return _Token(word, key, stop, content, word[:1].isupper(), sentence, initial, quoted)


def _runs(paragraphs: Sequence[str]) -> Iterator[list[_Token]]:
    """Runs of words between punctuation marks, tagged, over the chapter's paragraphs.
    Content words are those that can carry a title: not function words, nor numbers, codes or
    single letters ("7.5", "H1"); initialisms count ("U.S.")."""
    sentence = 0
    for paragraph in paragraphs:
        text = strip_dateline(paragraph)
        quoted, initial, last = False, True, 0
        run: list[_Token] = []
        for match in _WORD.finditer(text):
            gap, last = text[last : match.start()], match.end()
            if gap.strip():
                if run:
                    yield run
                run = []
                quoted ^= len(_QUOTE.findall(gap)) % 2 == 1
                if _SENTENCE_END.search(gap):
                    sentence, initial = sentence + 1, True
            run.append(_token(match.group(), sentence, initial, quoted))
            initial = False
        if run:
            yield run
        sentence += 1


def _can_end(token: _Token) -> bool:
    """A phrase ends on a content word that isn't possessive ("Ukraine's"), an adverb in
    "-ly" or a lower-case past form in "-ed" ("policy changed")."""
    if not token.content or _POSSESSIVE.search(token.text):
        return False
    return token.capital or not token.key.endswith(("ly", "ed"))


def _phrases(run: Sequence[_Token]) -> Iterator[_Phrase]:
    """Every candidate phrase of one run of words: it starts and ends on content words, has at
    most :data:`MAX_CONTENT_WORDS` of them and one run of connectors inside, of at most
    :data:`MAX_CONNECTOR` words, neither opening on an article ("guarantees the willing") nor
    a bare "to" (an infinitive: "Ukraine to forego"); names stay whole."""
    for start, first in enumerate(run):
        if not first.content or first.key.endswith("ly") or _inside_name(run, start):
            continue
        content, connectors, closed = 0, list[str](), False
        for end in range(start, min(len(run), start + MAX_PHRASE_WORDS)):
            token = run[end]
            if token.stop:
                if token.key not in CONNECTORS or closed:
                    break
                if not connectors and token.key in _ARTICLES:
                    break
                connectors.append(token.key)
                if len(connectors) > MAX_CONNECTOR:
                    break
                continue
            closed = closed or bool(connectors)
            if closed and connectors == ["to"]:
                break
            content += token.content
            if content > MAX_CONTENT_WORDS:
                break
            if _can_end(token) and _name_ends(run, start, end):
                yield _phrase(run, start, end)


def _named(token: _Token) -> bool:
    """A capitalised content word that isn't capitalised only for opening its sentence."""
    return token.content and token.capital and not token.initial


def _inside_name(run: Sequence[_Token], start: int) -> bool:
    """Whether a phrase starting at ``run[start]`` would start inside a name ("Minister Mark
    Carney" of "Prime Minister Mark Carney")."""
    before = run[start - 1] if start > 0 else None
    return run[start].capital and before is not None and before.content and before.capital


def _name_ends(run: Sequence[_Token], start: int, end: int) -> bool:
    """Whether ``run[start : end + 1]`` doesn't end inside a name ("Prime Minister Mark") and
    isn't a lower-case word put before a name, most often a verb and its object ("allow
    Ukraine", "told Reuters")."""
    after = run[end + 1] if end + 1 < len(run) else None
    if _named(run[end]) and after is not None and _named(after):
        return False
    tail = run[start + 1 : end + 1]
    return not (not run[start].capital and tail and all(_named(t) for t in tail))


def _follower(token: _Token) -> str | None:
    """The word after a phrase that may make it a piece of a longer one: a content word, but
    not a lower-case one in "-ed", most often a verb ("heavy rain flooded")."""
    if not token.content or (not token.capital and token.key.endswith("ed")):
        return None
    return token.key


def _phrase(run: Sequence[_Token], start: int, end: int) -> _Phrase:
    tokens = run[start : end + 1]
    return _Phrase(
        key=tuple(t.key for t in tokens),
        surface=" ".join(t.text for t in tokens),
        sentence=tokens[0].sentence,
        quoted=tokens[0].quoted,
        initial=tokens[0].initial,
        follower=_follower(run[end + 1]) if end + 1 < len(run) else None,
    )


#: A phrase of k content words weighs its words' mean weight times this (a longer phrase says
#: more, up to a point).
_LENGTH_GAIN = (0.0, 0.5, 1.5, 1.7, 1.8)
#: A single lower-case word ("war") is a weaker title still than a single name.
_BARE_WORD = 0.5
#: A phrase opening on a lower-case "-ing" word is most often a verb's ("offering aid").
_GERUND = 0.6
#: Phrases first met inside a quotation weigh this much less, by the share of such uses.
_QUOTED = 0.4


class _Candidate(NamedTuple):
    uses: tuple[_Phrase, ...]
    content: frozenset[str]
    score: float
    sentence: int


def chapter_titles(chapters: Sequence[Sequence[str]], taken: Collection[str] = ()) -> list[str]:
    """One title per chapter (each a sequence of paragraphs), distinct from each other and
    from ``taken`` (the article's title, its headings): the chapter's best key phrase whose
    words neither hold nor are held by an earlier chapter's title's ("Sea wall" then not "Sea
    wall rises"), "Part N" when a chapter has no phrase at all."""
    tokens = [list(_runs(paragraphs)) for paragraphs in chapters]
    counts = [Counter(t.key for run in runs for t in run if t.content) for runs in tokens]
    df = Counter(key for tf in counts for key in tf)
    used = {title.casefold() for title in taken}
    used_content: list[frozenset[str]] = []
    titles: list[str] = []
    for index, (runs, tf) in enumerate(zip(tokens, counts, strict=True)):
        weights = {k: n * (1.0 + math.log(len(chapters) / df[k])) for k, n in tf.items()}
        title = _fallback(index, used)
        for candidate in _ranked([p for run in runs for p in _phrases(run)], weights):
            shown = _display(candidate.uses)
            if shown.casefold() in used or any(
                candidate.content <= other or other <= candidate.content for other in used_content
            ):
                continue  # the same words as an earlier title, or fewer, or more
            if len(shown) <= MAX_TITLE_CHARS:
                title = shown
                used_content.append(candidate.content)
                break
        used.add(title.casefold())
        titles.append(title)
    return titles


def _fallback(index: int, used: Collection[str]) -> str:
    number = index + 1
    while f"part {number}" in used:
        number += 1
    return f"Part {number}"


def _ranked(phrases: Sequence[_Phrase], weights: dict[str, float]) -> list[_Candidate]:
    """The chapter's candidate phrases, best first (ties: earlier, then alphabetical)."""
    by_key: dict[tuple[str, ...], list[_Phrase]] = {}
    for phrase in phrases:
        by_key.setdefault(phrase.key, []).append(phrase)
    candidates = []
    for key, uses in by_key.items():
        followers = {u.follower for u in uses}
        if None not in followers and len(followers) < 2:
            continue  # always followed by the same word: a piece ("on a hot" of "on a hot day")
        content = [k for k in key if k in weights]
        mean = sum(weights[k] for k in content) / len(content)
        score = mean * _LENGTH_GAIN[len(content)] * (1.0 + math.log(len(uses)))
        first = min(u.sentence for u in uses)
        score *= 1.0 + 0.5 / (1 + first)
        score *= 1.0 - _QUOTED * sum(u.quoted for u in uses) / len(uses)
        if len(key) == 1 and all(u.initial or u.surface.islower() for u in uses):
            score *= _BARE_WORD
        if uses[0].surface[:1].islower() and key[0].endswith("ing"):
            score *= _GERUND
        candidates.append(_Candidate(tuple(uses), frozenset(content), score, first))
    candidates.sort(key=lambda c: (-c.score, c.sentence, c.uses[0].key))
    return candidates


def _display(uses: Sequence[_Phrase]) -> str:
    """The phrase as most often printed away from a sentence's start, in sentence case (a
    phrase shouted in capitals gets a capital only at its start: "Nova Scotia", not "MP3 SP")."""
    inner = [u.surface for u in uses if not u.initial] or [u.surface for u in uses]
    surface = min(Counter(inner).items(), key=lambda item: (-item[1], item[0]))[0]
    shouted = surface.isupper() and any(len(w) > 5 and w.isalpha() for w in surface.split())
    text = surface.capitalize() if shouted else surface
    return text[:1].upper() + text[1:]
