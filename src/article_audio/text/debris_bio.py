"""The author's bio at the end of an article ("Meg James is a corporate media reporter…", "Irene
is an experienced writer…"): found by the byline's names, not by a site's words.

A bio follows the body: among the article's last few units, one that opens with an author's
name and a verb of a bio ("is", "covers", "writes", "lives"…), or is only the name (the heading
of an author box), starts the tail that is not read.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from article_audio.text.lines import word_count

#: The bio is among this many units at the end of the article.
BIO_LOOKBACK = 4
#: A bio paragraph has at most this many words.
BIO_MAX_WORDS = 150
#: What follows the name in a bio's first sentence.
_BIO_VERB = (
    r"(?:[’']s\s+\w+|,\s+(?:a|an|the)|\s+(?:is|was|has|had|covers|writes|reports|joined|lives|leads"
    r"|holds|serves|teaches|founded|spent|worked|previously|currently|also))\b"
)


def _name_patterns(authors: Sequence[str]) -> list[re.Pattern[str]]:
    """For each author: the full name, or the first or last name (then up to two more
    capitalised words: a byline can be glued to the job title, "Meg JamesStaff"), then a bio's
    verb; and the full name alone."""
    patterns = []
    for author in authors:
        words = author.split()
        if not words:
            continue
        names = {re.escape(author), re.escape(words[0]), re.escape(words[-1])}
        alternatives = "|".join(sorted(names, key=len, reverse=True))
        patterns.append(
            re.compile(rf"(?:Dr\.?\s+)?(?:{alternatives})(?:\s+[A-Z][\w'’.-]+){{0,2}}{_BIO_VERB}")
        )
        patterns.append(re.compile(rf"{re.escape(author)}\W*"))
    return patterns


def bio_start(texts: Sequence[str], authors: Sequence[str]) -> int:
    """Index of the first unit of the author's bio at the end of ``texts`` (``len(texts)`` if
    there is none). Something of the article must come before it."""
    patterns = _name_patterns(authors)
    if not patterns:
        return len(texts)
    for index in range(max(1, len(texts) - BIO_LOOKBACK), len(texts)):
        text = texts[index]
        if word_count(text) > BIO_MAX_WORDS:
            continue
        if any(pattern.match(text) for pattern in patterns[0::2]) or any(
            pattern.fullmatch(text) for pattern in patterns[1::2]
        ):
            return index
    return len(texts)
