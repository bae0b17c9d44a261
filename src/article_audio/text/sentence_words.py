"""The word lists of sentence splitting, read once from ``abbreviations.txt`` and
``sentences_words.txt`` in ``article_audio/text/data`` (see those files for what each
``[section]`` means)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

__all__ = ["Lexicon", "lexicon", "read_sections"]


@dataclass(frozen=True)
class Lexicon:
    """The word lists of ``abbreviations.txt`` and ``sentences_words.txt``, lower case."""

    never_final: frozenset[str]
    general: frozenset[str]
    final: frozenset[str]
    exclamation: frozenset[str]
    comma: frozenset[str]
    number: frozenset[str]
    starters: frozenset[str]
    speech_verbs: frozenset[str]
    wrap_words: frozenset[str]
    time_followers: frozenset[str]
    continuers: frozenset[str]
    letter_labels: frozenset[str]
    openers: frozenset[str]

    def is_listed(self, key: str) -> bool:
        """Whether ``key`` (lower case, no final period) is in any abbreviation list."""
        lists = (self.never_final, self.general, self.final, self.comma, self.number)
        return any(key in s for s in lists)


def read_sections(name: str) -> dict[str, frozenset[str]]:
    """The ``[section]`` word lists of the data file ``name``, lower case, final period dropped."""
    text = (resources.files("article_audio.text") / "data" / name).read_text(encoding="utf-8")
    sections: dict[str, set[str]] = {}
    current: set[str] | None = None
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        if line.startswith("[") and line.endswith("]"):
            current = sections.setdefault(line[1:-1].strip(), set())
        elif current is None:
            raise ValueError(f"{name}:{number}: entry before the first [section]")
        else:
            current.add(line.lower().removesuffix("."))
    return {key: frozenset(words) for key, words in sections.items()}


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    """The shipped word lists, read once."""
    abbreviations = read_sections("abbreviations.txt")
    words = read_sections("sentences_words.txt")
    return Lexicon(
        never_final=abbreviations["title"] | abbreviations["nonfinal"],
        general=abbreviations["general"],
        final=abbreviations["final"],
        exclamation=frozenset(w.removesuffix("!") for w in abbreviations["exclamation"]),
        comma=abbreviations["comma"],
        number=abbreviations["number"],
        starters=frozenset(w.replace("’", "'") for w in words["starters"]),
        speech_verbs=words["speech_verbs"],
        wrap_words=frozenset(w.replace("’", "'") for w in words["wrap_words"]),
        time_followers=words["time_followers"],
        continuers=words["continuers"] | words["time_followers"],
        letter_labels=words["letter_labels"],
        openers=words["openers"],
    )
