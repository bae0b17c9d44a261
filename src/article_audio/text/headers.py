"""The head of a scraped article: its title, byline (authors, publication) and dates, found
among the units around the top of the body; and the :class:`Article` made of them."""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field

from article_audio.text.article import Article, Section
from article_audio.text.datelines import (
    DATE,
    DATE_LABEL,
    SEPARATOR_CHARS,
    is_date_line,
    parse_dates,
)
from article_audio.text.lines import (
    FINAL_STOP,
    HEADLINE_WORDS,
    WORD,
    Block,
    Unit,
    compact,
    densest_span,
    is_good,
    is_headline,
    unit_score,
    word_count,
)
from article_audio.text.read import Source
from article_audio.text.sitename import site_keys, strip_site_name

#: A line is the page title's headline if this share of its words are in the title…
TITLE_MATCH = 0.75
#: …and it has this share of the title's words.
TITLE_COVER = 0.5
#: Lines before the estimated start of the body searched for the byline/date block.
HEAD_SEARCH = 50
#: Lines after the title searched for the byline and dates.
HEAD_LINES = 8

# --- Bylines: "By A, B and C, Paper", names, organisations and job titles ----------------------

_BY = re.compile(r"(?i)by:?\s+(.+)")
_BYLINE_SEPARATORS = re.compile(r"\s*[·|•]\s*|\s+[—–-]\s+")
NAME_SEPARATORS = re.compile(r"\s*,\s*|\s+and\s+|\s*&\s*")
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
#: A section label or breadcrumb has at most this many words, all capitalised, split by these.
LABEL_WORDS = 6
_LABEL_SEPARATOR = re.compile(r"[|›»>/•·]|\s[-–—]\s")
#: A piece of a web address: not part of a person's name ("Www Hawaiinewsnow Com").
_WEB_WORD = re.compile(r"(?i)\b(?:https?|www|com|org|net)\b|\w\.[a-z]{2,}\b")
#: A line that is only where the copy came from: "From https://…", "Source: www.…".
_SOURCE_LINE = re.compile(
    r"(?i)(?:(?:from|source|via|originally published (?:at|on|by))\s*:?\s*)?"
    r"(?:https?://|www\.)\S+"
)


@dataclass
class Head:
    """What was found around the title; ``used`` are the item indexes it consumed; ``owners``
    the site's compacted names (see :func:`site_keys`), never a person's."""

    title: str | None = None
    byline: str | None = None
    authors: tuple[str, ...] = ()
    publication: str | None = None
    published: str | None = None
    updated: str | None = None
    used: set[int] = field(default_factory=set)
    owners: frozenset[str] = frozenset()

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


def _is_name(text: str, owners: Collection[str] = ()) -> bool:
    """A person's name: capitalised words, not an organisation (:func:`is_person`) nor a role."""
    probe = text.title() if text.isupper() else text
    return (
        bool(_NAME.fullmatch(probe))
        and not _ORGISH.search(probe)
        and not _ROLE.search(probe)
        and is_person(probe, owners)
    )


def is_person(name: str, owners: Collection[str] = ()) -> bool:
    """Whether ``name``, taken for a person's, may be one: not one of the site's ``owners``
    (compacted names: its name, host, the owner in its copyright line: "Condé Nast"), and not
    ending in a lone letter ("Science X": people's names end in a surname), nor holding a web
    address."""
    words = name.split()
    return (
        bool(words)
        and compact(name) not in owners
        and len(words[-1].strip(".")) > 1
        and not _WEB_WORD.search(name)
    )


def _is_org(text: str, owners: Collection[str]) -> bool:
    """An organisation in a byline: the site's owner, a name ending in a lone letter ("Science
    X"), or worded like one ("The Associated Press", "Reuters")."""
    if not text[:1].isupper():
        return False
    return bool(_ORGISH.search(text)) or not is_person(text, owners)


def _split_date(text: str) -> tuple[str, str | None]:
    """The byline part of ``text`` and its date, if any.

    "Jo Smith Updated Nov 13, 2019" and "Nov 13, 2019 by Jo Smith" give "Jo Smith" / "by Jo
    Smith" and the date.
    """
    leading = re.fullmatch(r"(?i)(.+?)\s+(by\s+.+)", text)
    if leading and is_date_line(leading[1]):
        return leading[2], leading[1]
    for separator in _BYLINE_SEPARATORS.finditer(text):
        part = _BYLINE_SEPARATORS.split(text[separator.end() :], maxsplit=1)[0]
        if is_date_line(part):
            return _trim_name(text[: separator.start()]), part
    for pattern in (DATE_LABEL, DATE):
        found = pattern.search(text)
        if found and found.start() > 0 and is_date_line(text[found.start() :]):
            return _trim_name(text[: found.start()]), text[found.start() :]
    return text, None


def _trim_name(text: str) -> str:
    return re.sub(r"(?i)\s+(?:on|at)$", "", text.strip(SEPARATOR_CHARS)).strip(SEPARATOR_CHARS)


def _parse_byline(text: str, bare: bool = False, owners: Collection[str] = ()) -> _Byline | None:
    """The byline in ``text``: "By A and B, Paper", "A · Paper", "A - Nov 19, 2019".

    Without "By" the line needs a separator, a date or ``bare`` (a name just under the title).
    Organisations among the names are dropped (``owners``: the site's compacted names), an
    organisation alone is the publication, and a one-word piece after it ("Hosted.") is page
    furniture.
    """
    printed = text.strip(SEPARATOR_CHARS)
    if word_count(printed) > 20:
        return None
    printed, date = _split_date(printed)  # "… at 5:30 p.m." ends in a stop, a byline does not
    if _BY.fullmatch(printed) and FINAL_STOP.search(printed):
        printed = printed.rstrip(".!")  # "By A, B and C, The Paper, Hosted."
    if FINAL_STOP.search(printed.rstrip(")")):
        return None
    explicit = _BY.fullmatch(printed)
    parts = [p for p in _BYLINE_SEPARATORS.split(explicit[1] if explicit else printed) if p]
    if not parts or not (
        explicit or bare or date or 1 < len(parts) <= 3 or name_before_role(parts[0])
    ):
        return None
    names = _byline_names(parts[0], bool(explicit), owners)
    if names is None:
        return None
    authors, publication, whole = names
    for part in parts[1:]:
        if publication is None and not _ROLE.search(part) and ":" not in part:
            publication = part
    if not whole:
        printed = _credit(authors, publication)
    published, updated = parse_dates(date) if date else (None, None)
    return _Byline(printed, authors, publication, published, updated)


def _credit(authors: Sequence[str], publication: str | None) -> str:
    """ "By A, B and C, Paper" (or "By Paper" without authors)."""
    names = (
        ", ".join(authors[:-1]) + " and " + authors[-1] if len(authors) > 1 else "".join(authors)
    )
    return "By " + ", ".join(part for part in (names, publication) if part)


def _byline_names(
    text: str, explicit: bool, owners: Collection[str] = ()
) -> tuple[tuple[str, ...], str | None, bool] | None:
    """(authors, publication, whole) from "A, B and C, Paper"; None if it does not start with
    names. Organisations before or among the names are dropped ("Condé Nast and Jo Smith"),
    and pieces after the publication; ``whole``: nothing was dropped."""
    text = _HANDLE.sub("", text).strip()
    pieces = [piece for piece in NAME_SEPARATORS.split(text) if piece]
    count = len(pieces)
    authors: list[str] = []
    while pieces and (_is_name(pieces[0], owners) or _org_before_name(pieces, owners)):
        name = pieces.pop(0)
        if _is_name(name, owners):
            authors.append(name)
    if not authors and pieces and explicit:
        split = _name_then_org(pieces[0])
        if split is not None:
            authors, pieces[0] = [split[0]], split[1]
    if not authors and len(pieces) == 1:
        role = name_before_role(pieces[0])
        if role is not None:
            return (role,), None, True
    rest = [piece for piece in pieces if not _ROLE.search(piece)]
    if not authors:
        if explicit and len(rest) == 1 and _is_org(rest[0], owners):
            return (), rest[0], True
        return None
    if len(rest) > 1 and not (explicit and all(word_count(piece) == 1 for piece in rest[1:])):
        return None
    publication = rest[0] if rest and word_count(rest[0]) <= 6 else None
    return tuple(authors), publication, len(authors) + bool(publication) == count


def byline_people(text: str, owners: Collection[str] = ()) -> tuple[str, ...] | None:
    """The people of an author string worded as a byline ("By A, B and C, The Paper, Hosted."),
    organisations left out (``owners``: the site's compacted names); None if it is not one."""
    bare = re.sub(r"(?i)^\s*by:?\s+", "", text.strip())
    parsed = _parse_byline(f"By {bare}", owners=owners)
    return parsed.authors if parsed is not None else None


def _org_before_name(pieces: Sequence[str], owners: Collection[str]) -> bool:
    """``pieces`` start with an organisation followed by a person's name."""
    return len(pieces) > 1 and _is_org(pieces[0], owners) and _is_name(pieces[1], owners)


def _name_then_org(text: str) -> tuple[str, str] | None:
    """("Jo Smith", "FOXBusiness") from "Jo Smith FOXBusiness" (a name run into a paper)."""
    words = text.split()
    for count in range(min(4, len(words) - 1), 1, -1):
        name, rest = " ".join(words[:count]), " ".join(words[count:])
        if _is_name(name) and _ORGISH.search(rest):
            return name, rest
    return None


def name_before_role(text: str) -> str | None:
    """ "Jo Smith" from "Jo Smith Environment reporter" (a name run into a job title)."""
    words = text.split()
    for count in range(2, min(4, len(words) - 1) + 1):  # "Environment reporter" is a job title
        name, rest = " ".join(words[:count]), " ".join(words[count:])
        if word_count(rest) <= 4 and _ROLE.search(rest) and _is_name(name):
            return name
    return None


def _is_meta(text: str) -> bool:
    return (
        bool(_BY_ALONE.fullmatch(text) or _SOURCE_LINE.fullmatch(text))
        or is_date_line(text)
        or _parse_byline(text) is not None
    )


def _title_words(text: str) -> list[str]:
    return [word.casefold() for word in WORD.findall(text)]


def _page_title_index(items: Sequence[Unit]) -> int | None:
    """Index of the headline that repeats the page title printed as the first line, if any.

    Scrapes of a whole page start with the HTML title ("Headline - Site"); the article's own
    headline is the later line sharing most of its words (not always all of them).
    """
    if len(items) < 2:
        return None
    wanted = set(_title_words(strip_site_name(items[0].text)))
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


def _anchored_title_index(items: Sequence[Unit]) -> int | None:
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
    start, _ = densest_span(
        [0.0 if index in metas else unit_score(item) for index, item in enumerate(items)]
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


def _headline_at(items: Sequence[Unit], index: int) -> int | None:
    """The headline above the byline/date line at ``index`` (or just below a date line).

    Going up, other byline/date lines and end markers are skipped, and one article-like line
    (a photo caption or a standfirst) and two other lines are passed over.
    """
    dated = is_date_line(items[index].text)
    passes = {True: 1, False: 2}  # article-like, other
    for back in range(index - 1, max(-1, index - HEAD_LINES), -1):
        item = items[back]
        bare_name = dated and back == index - 1 and _parse_byline(item.text, bare=True) is not None
        if item.end is not None or bare_name or _is_meta(item.text):
            continue
        if _is_title_line(item.text):
            return back
        passes[item.good] -= 1
        if passes[item.good] < 0:
            break
    if not dated:
        return None
    for ahead in range(index + 1, min(len(items), index + 3)):
        leads_in = any(other.good for other in items[ahead + 1 : ahead + 3])
        if _is_title_line(items[ahead].text) and not items[ahead].good and leads_in:
            return ahead
    return None


def _is_role_line(text: str) -> bool:
    """A job title on a line of its own: "Senior weather correspondent", "Staff writer, The
    Paper" (its first piece ends in a role word)."""
    first = re.split(r"\s*[,·|•]\s*|\s+[—–-]\s+", text.strip(), maxsplit=1)[0]
    words = first.split()
    return (
        0 < len(words) <= LABEL_WORDS
        and word_count(text) <= 2 * LABEL_WORDS
        and not FINAL_STOP.search(text)
        and bool(_ROLE.fullmatch(words[-1]))
    )


def _is_title_line(text: str) -> bool:
    """Heading-shaped, and not a section label, a breadcrumb ("Home › World › Europe", "News |
    Climate Crisis": a few capitalised words split by separators) or a job title."""
    if not is_headline(text) or _is_role_line(text):
        return False
    words = WORD.findall(text)
    label = len(words) <= LABEL_WORDS and all(word[:1].isupper() for word in words)
    return not (label and _LABEL_SEPARATOR.search(text))


def _first_short_index(items: Sequence[Unit], owners: Collection[str]) -> int | None:
    """The first heading-shaped line before any article-like one that is not the site's name
    (``owners``: its compacted names, as in its copyright line)."""
    for index, item in enumerate(items):
        if item.good:
            return None
        if (
            item.end is None
            and _is_title_line(item.text)
            and compact(strip_site_name(item.text)) not in owners
        ):
            return index
    return None


def find_head(items: Sequence[Unit], page: str = "") -> tuple[Head, bool]:
    """Title, byline and dates at the top of the article; flag: title is a mere fallback.
    ``page`` is the whole page's text (its copyright line names the site's owner)."""
    head = Head(owners=frozenset(site_keys((), page)))
    index = _page_title_index(items)
    if index is None:
        index = _anchored_title_index(items)
    fallback = index is None
    if index is None:
        index = _first_short_index(items, head.owners)
    if index is None:
        return head, True
    title = items[index].text
    head.title = strip_site_name(title, (), page) if fallback else title
    head.used.add(index)
    _collect_meta(items, index, head)
    return head, fallback


def _collect_meta(items: Sequence[Unit], title: int, head: Head) -> None:
    """Byline and dates from the lines around the title at ``title``.

    Below the title the search passes one article-like line (a standfirst) and stops at the
    next; dates just above the title count when there are none below it. A bare name ("Jo
    Smith", no "By") right under the title only counts as a byline next to a date line; a job
    title on a line of its own ("Senior weather correspondent") is passed over and not read.
    """
    above = [index for index in range(max(0, title - 2), title) if is_date_line(items[index].text)]
    near = range(title + 1, min(len(items), title + 1 + HEAD_LINES))
    first_good = next((index for index in near if items[index].good), len(items))
    roles = {index for index in near if index < first_good and _is_role_line(items[index].text)}
    head.used.update(roles)
    below = [index for index in near if items[index].end is None and index not in roles]
    passed = False
    for offset, index in enumerate(below):
        item = items[index]
        if item.good and not (
            _BY.match(item.text) and _parse_byline(item.text, owners=head.owners)
        ):
            if passed:
                break
            passed = True
        elif not _take_dates(item.text, index, head) and head.byline is None:
            following = below[offset + 1] if offset + 1 < len(below) else None
            if _BY_ALONE.fullmatch(item.text) and following is not None:
                # "By" on a line of its own, the names on the next.
                if take_byline(f"{item.text} {items[following].text}", following, head):
                    head.used.add(index)
                continue
            next_text = "" if following is None else items[following].text
            dated = bool(above or head.published or head.updated) or is_date_line(next_text)
            take_byline(item.text, index, head, bare=offset < 3 and not passed and dated)
    if head.published is None and head.updated is None:
        for index in above:
            _take_dates(items[index].text, index, head)
    for index in range(title - 1, max(-1, title - HEAD_LINES), -1):
        if head.byline is not None or items[index].good:
            break
        take_byline(items[index].text, index, head)  # a byline printed above the headline


def _take_dates(text: str, index: int, head: Head) -> bool:
    """Record the dates if ``text`` is a date line; True if it was."""
    if not is_date_line(text):
        return False
    published, updated = parse_dates(text)
    if published is None and updated is None:
        return False
    head.add_dates(published, updated)
    head.used.add(index)
    return True


def head_of_blocks(blocks: Sequence[Block], owners: Collection[str] = ()) -> Head:
    """Byline, dates and source lines ("From https://…") among the paragraphs at the top of an
    article's ``blocks`` (a Markdown file's, a page's extracted article), up to the first
    heading or article-like paragraph, never the last block (a page of one line is read);
    ``owners``: the site's compacted names."""
    head = Head(owners=frozenset(owners))
    for index, block in enumerate(blocks[: min(HEAD_LINES, len(blocks) - 1)]):
        if block.level:
            break
        if _take_dates(block.text, index, head):
            continue
        taken = head.byline is None and take_byline(block.text, index, head)
        if is_good(block.text) and not taken:
            break
    return head


def take_byline(text: str, index: int, head: Head, bare: bool = False) -> bool:
    """Record the byline if ``text`` is one; True if it was. The site's owner is left out of
    it unless it is the only name (a blogger's copyright on their own site)."""
    if _SOURCE_LINE.fullmatch(text):
        head.used.add(index)  # "From https://…": where the copy came from, not a byline
        return False
    byline = _parse_byline(text, bare=bare, owners=head.owners)
    if byline is not None and not byline.authors and head.owners:
        byline = _parse_byline(text, bare=bare)  # the owner alone: a person's own site
    if byline is None:
        return False
    head.byline, head.authors, head.publication = byline.text, byline.authors, byline.publication
    head.add_dates(byline.published, byline.updated)
    head.used.add(index)
    return True


# --- The article --------------------------------------------------------------------------------


def make_article(
    source: Source,
    title: str | None,
    sections: tuple[Section, ...],
    head: Head,
    extra: dict[str, str] | None = None,
) -> Article:
    """The article of ``source`` with ``head``'s byline and dates (``title`` falls back to a
    title made of the file name)."""
    return Article(
        title=title or stem_title(source.name),
        sections=sections,
        byline=head.byline,
        authors=head.authors,
        publication=head.publication,
        published=head.published,
        updated=head.updated,
        source=source.name,
        extra=dict(extra or {}),
    )


def stem_title(name: str) -> str:
    """A title made of the file name or URL ``name`` when the article has none.

    The last part of the path, less an extension of letters, with hyphens and underscores
    read as spaces: "news/paris-talks.txt" → "paris talks", but "Dr. Who" and "report.2019"
    stay whole; names like ``<stdin>`` give "Untitled article".
    """
    stem = re.sub(r"\.[A-Za-z]{2,5}$", "", re.split(r"[/\\]", name.rstrip("/"))[-1])
    words = re.sub(r"[-_]+", " ", stem).strip()
    return words if words and not name.startswith("<") else "Untitled article"


def make_sections(blocks: Sequence[Block], *, stacked_as_text: bool = True) -> tuple[Section, ...]:
    """Sections of ``blocks``: a heading opens one; one with nothing after it is dropped.

    A heading right before another one ("Score: 4 out of 5" above "Where to buy") is read as
    a paragraph when ``stacked_as_text`` (a page's extracted article), else dropped (a
    Markdown file's outline).
    """
    sections: list[Section] = []
    heading: str | None = None
    paragraphs: list[str] = []
    ends = [*blocks, Block(1, "")]
    for block, after in zip(ends, [*ends[1:], Block(0, "")], strict=True):
        if block.level == 0 or (stacked_as_text and after.level and after.text):
            paragraphs.append(block.text)
            continue
        if paragraphs:
            sections.append(Section(heading, tuple(paragraphs)))
        heading, paragraphs = block.text or None, []
    return tuple(sections)
