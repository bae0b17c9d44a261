"""The narration script: the seam between text and audio.

Everything before it works on text, everything after it on audio. A script is chapters of
paragraphs of sentences; each sentence carries its written ``text`` and the exact ``spoken``
string handed to the speech engine (normalized, lexicon applied).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Sentence:
    """One utterance: its written ``text`` and the ``spoken`` string. ``joined``: it goes on
    from the sentence before it (a first sentence cut so that its head is heard sooner), so
    the pause before it is a phrase's, not a sentence's."""

    text: str
    spoken: str
    joined: bool = False


@dataclass(frozen=True)
class Paragraph:
    sentences: tuple[Sentence, ...]


@dataclass(frozen=True)
class ScriptChapter:
    title: str
    paragraphs: tuple[Paragraph, ...]

    @property
    def sentences(self) -> tuple[Sentence, ...]:
        return tuple(s for p in self.paragraphs for s in p.sentences)


@dataclass(frozen=True)
class NarrationScript:
    """What will be said, in order, plus the metadata the export stage tags the file with."""

    title: str
    byline: str | None
    chapters: tuple[ScriptChapter, ...]
    voice: str
    authors: tuple[str, ...] = ()
    publication: str | None = None
    published: str | None = None
    source: str | None = None

    @property
    def sentences(self) -> tuple[Sentence, ...]:
        return tuple(s for c in self.chapters for s in c.sentences)

    @classmethod
    def from_dict(cls, data: dict[str, Any], source: str | None = None) -> NarrationScript:
        """The script :meth:`to_dict` describes (``source`` is not part of that shape)."""
        chapters = []
        for chapter in data["chapters"]:
            paragraphs: dict[int, list[Sentence]] = {}
            for item in chapter["sentences"]:
                joined = bool(item.get("joined", False))
                sentence = Sentence(text=item["text"], spoken=item["spoken"], joined=joined)
                paragraphs.setdefault(item["paragraph"], []).append(sentence)
            chapters.append(
                ScriptChapter(
                    title=chapter["title"],
                    paragraphs=tuple(Paragraph(tuple(s)) for s in paragraphs.values()),
                )
            )
        return cls(
            title=data["title"],
            byline=data["byline"],
            chapters=tuple(chapters),
            voice=data["voice"],
            authors=tuple(data["authors"]),
            publication=data["publication"],
            published=data["published"],
            source=source,
        )

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape printed by ``article-audio script --json``."""
        return {
            "title": self.title,
            "byline": self.byline,
            "voice": self.voice,
            "authors": list(self.authors),
            "publication": self.publication,
            "published": self.published,
            "chapters": [
                {
                    "title": chapter.title,
                    "sentences": [
                        {"text": s.text, "spoken": s.spoken, "paragraph": index}
                        | ({"joined": True} if s.joined else {})
                        for index, paragraph in enumerate(chapter.paragraphs)
                        for s in paragraph.sentences
                    ],
                }
                for chapter in self.chapters
            ],
        }
