"""The article as text: what the read and clean stages produce and later stages consume."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Section:
    """A run of paragraphs under one heading (``heading`` is None before the first heading)."""

    heading: str | None
    paragraphs: tuple[str, ...]


@dataclass(frozen=True)
class Article:
    """A cleaned article: metadata plus body sections, each paragraph one string.

    ``byline`` is the byline as printed ("Murray Brewster · CBC News"); ``authors`` and
    ``publication`` are its parts when they could be told apart. Dates are kept as printed.
    """

    title: str
    sections: tuple[Section, ...]
    byline: str | None = None
    authors: tuple[str, ...] = ()
    publication: str | None = None
    published: str | None = None
    updated: str | None = None
    source: str | None = None
    extra: dict[str, str] = field(default_factory=dict, compare=False, hash=False)

    @property
    def paragraphs(self) -> tuple[str, ...]:
        return tuple(p for s in self.sections for p in s.paragraphs)

    @property
    def word_count(self) -> int:
        """Whitespace-separated words in the body (headings and paragraphs)."""
        headings = (s.heading for s in self.sections if s.heading)
        return sum(len(text.split()) for text in (*headings, *self.paragraphs))
