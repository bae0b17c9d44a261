"""The site's name in a page's title: "Storm hits coast | Metro Tribune", "Storm hits coast -
BBC News" and "Metro Tribune: Storm hits coast" are all the headline "Storm hits coast".

A separator-delimited segment of the title is the site's name when it matches what the page
says the site is called (its name, its host) or the owner named in its copyright line, or,
after the headline, when it is a short brand (a few capitalised words, a domain). A headline
with a colon ("Ukraine: what we know") is cut only on such evidence.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from article_audio.text.lines import HEADLINE_WORDS, compact, word_count

__all__ = ["copyright_owners", "site_keys", "strip_site_name"]

#: Separators between a title and the site's name: " | ", " - ", " — ", " · ", " • ".
_TITLE_SEPARATOR = re.compile(r"\s+[|–—·•-]{1,2}\s+")
#: A site's name is at most this many words.
SITE_WORDS = 5
#: A trailing title segment of capitalised words is a brand without other evidence up to this
#: many words ("BBC News", "The Harbour Gazette").
BRAND_WORDS = 3
#: Lines that name the page's owner: a copyright notice.
_COPYRIGHT = re.compile(r"(?i)©|\(c\)|\bcopyright\b|\ball rights reserved\b")


def strip_site_name(title: str, sites: Sequence[str] = (), page: str = "") -> str:
    """``title`` without the site's name printed before or after it.

    "Storm hits coast | Metro Tribune" and "Storm hits coast - BBC News" lose a trailing
    segment that is a short brand (a few capitalised words or a domain), one of ``sites``
    (the site's name, host) or a short line of ``page`` of its own (a logo's text). "Metro
    Tribune: Storm hits coast" loses a leading segment only with evidence that it is the
    site's name: one of ``sites``, or named in a copyright line of ``page``, and a capital
    after the colon ("Ukraine: what we know" stays whole).
    """
    known = site_keys(sites, page)
    shown = known | {
        compact(line) for line in page.split("\n") if 0 < word_count(line) <= SITE_WORDS
    }
    whole = _TITLE_SEPARATOR.split(title)
    pieces = list(whole)
    while len(pieces) > 1 and _is_site_segment(pieces[-1], pieces[:-1], shown, suffix=True):
        pieces.pop()
    while len(pieces) > 1 and _is_site_segment(pieces[0], pieces[1:], known, suffix=False):
        pieces.pop(0)
    if len(pieces) < len(whole) and word_count(" ".join(pieces)) >= HEADLINE_WORDS[0]:
        title = _rejoin(title, pieces)
    prefix = re.fullmatch(r"([^:]{2,60}):\s+(\S.*)", title)
    if (
        prefix
        and prefix[2][:1].isupper()
        and word_count(prefix[2]) >= HEADLINE_WORDS[0]
        and compact(prefix[1]) in known
    ):
        return prefix[2]
    return title


def _rejoin(title: str, pieces: Sequence[str]) -> str:
    """The stretch of ``title`` from the first to the last of ``pieces``."""
    start = title.index(pieces[0])
    end = title.index(pieces[-1], start) + len(pieces[-1])
    return title[start:end]


def site_keys(sites: Sequence[str], page: str) -> set[str]:
    """Compacted names the site goes by: ``sites`` (a host without "www." and its domain's
    first label too) and the owners named in ``page``'s copyright lines."""
    keys: set[str] = set()
    for site in sites:
        host = re.sub(r"(?i)^(?:https?://)?(?:www\.)?", "", site).split("/")[0]
        keys.update({compact(site), compact(host), compact(host.split(".")[0])})
    for line in page.split("\n"):
        if _COPYRIGHT.search(line) and word_count(line) <= 20:
            keys.update(compact(owner) for owner in copyright_owners(line))
    keys.discard("")
    return keys


def copyright_owners(line: str) -> list[str]:
    """The names in a copyright line: "© 2026 Condé Nast. All rights reserved." → Condé Nast."""
    rest = _COPYRIGHT.sub(" ", line)
    rest = re.sub(r"\b(?:19|20)\d\d\b(?:\s*[-–]\s*(?:19|20)\d\d)?", " ", rest)
    return [
        part.strip(" .,;")
        for part in re.split(r"[.,;|]\s|\s[-–—]\s", rest)
        if part.strip(" .,;") and word_count(part) <= SITE_WORDS
    ]


def _is_site_segment(segment: str, rest: Sequence[str], known: set[str], suffix: bool) -> bool:
    """A separator-delimited title segment that is the site's name (see
    :func:`strip_site_name`); ``rest`` are the other segments. Without evidence, a trailing
    brand has at most :data:`BRAND_WORDS` words, fewer than the rest of the title."""
    key = compact(segment)
    if key in known or any(key == f"www{name}" for name in known):
        return True
    if not suffix:
        return False
    if re.fullmatch(r"(?i)(?:www\.)?[\w-]+(?:\.[a-z]{2,})+", segment.strip()):
        return True  # a domain: "metrotribune.example", "Space.com"
    words = segment.split()
    if not segment[-1:].isalnum():
        return False  # "STOLEN!!!" is the headline's
    if not 0 < len(words) <= min(BRAND_WORDS, word_count(" ".join(rest)) - 1):
        return False
    return (
        all(
            word[:1].isupper() or word[:1].isdigit() or word.casefold() in _BRAND_SMALL
            for word in words
        )
        and words[0][:1].isupper()
    )


#: Small words a brand's name may hold ("The Times of India", "News & Observer").
_BRAND_SMALL = frozenset({"of", "the", "and", "&", "for", "on", "de", "la"})
