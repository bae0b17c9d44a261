"""Narration stage: a cleaned article becomes the :class:`NarrationScript`.

Here the text stages meet: chapters are planned, paragraphs split into sentences, sentences
over :data:`~article_audio.config.MAX_SENTENCE_CHARS` cut at clause boundaries, and each
sentence normalized for speech and passed through the pronunciation lexicon to give the exact
string the engine will receive.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from article_audio.config import MAX_SENTENCE_CHARS
from article_audio.script import NarrationScript, Paragraph, ScriptChapter, Sentence
from article_audio.text.article import Article
from article_audio.text.lexicon import Lexicon
from article_audio.text.normalize import normalize
from article_audio.text.sentences import split_sentences
from article_audio.text.structure import ChapterPlan, plan_chapters
from article_audio.voices import PhonemeMode, VoiceProfile

#: Clause boundaries, strongest first: a long sentence is cut at the last one that fits.
#: Text written without spaces (Chinese, Japanese) is cut after its own punctuation.
_CLAUSE_BREAKS = (
    re.compile(r"(?<=[;:])\s+"),
    re.compile(r"\s+(?=[—–]\s)|(?<=\s[—–])\s+"),
    re.compile(r"(?<=,)\s+"),
    re.compile(r"(?<=[。．，、；：！？）」』])"),
)
#: Where a phrase may end when no clause break fits: before a conjunction or relative word.
_PHRASE_BREAKS = re.compile(
    r"\s+(?=(?:and|but|or|nor|so|yet|because|although|though|while|whereas|which|who|whom"
    r"|whose|where|when|after|before|until|unless|since|if)\s)"
)
#: The last resort: any space.
_WORD_BREAK = re.compile(r"\s+")


def intro_sentences(article: Article) -> list[str]:
    """The spoken intro: "<title>." then "By <authors>, <publication>." when known."""
    title = article.title.strip()
    sentences = [title if title[-1:] in ".?!" else f"{title}."]
    credit = _credit(article)
    if credit:
        sentences.append(credit)
    return sentences


def _credit(article: Article) -> str | None:
    names = _join_names(article.authors)
    publication = article.publication
    if names and publication and publication not in names:
        return f"By {names}, {publication}."
    if names:
        return f"By {names}."
    if publication:
        return f"From {publication}."
    if article.byline:
        byline = article.byline.strip().rstrip(".")
        return byline + "." if byline.lower().startswith("by ") else f"By {byline}."
    return None


def _join_names(names: Iterable[str]) -> str:
    items = [n.strip() for n in names if n.strip()]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def split_long_sentence(sentence: str, max_chars: int = MAX_SENTENCE_CHARS) -> list[str]:
    """``sentence`` cut into pieces of at most ``max_chars``; a sentence that fits is one
    piece, whatever its clauses.

    A longer one is cut at the strongest clause boundary that fits (``; :``, then dashes, then
    commas, then CJK punctuation), preferring one that leaves the head at least a quarter of
    ``max_chars``; while any clause boundary fits, no phrase is cut. Only without one is it
    cut before a conjunction or relative word ("and", "which"), then between any two words.
    A "word" longer than ``max_chars`` (a pasted blob) is cut every ``max_chars`` characters,
    so that no engine call gets more than ``max_chars`` characters of text."""
    pieces: list[str] = []
    while len(sentence) > max_chars:
        cut = _cut(sentence, max_chars)
        head, sentence = sentence[:cut].rstrip(), sentence[cut:].lstrip()
        pieces.append(head)
    return [*pieces, sentence] if sentence else pieces


def _cut(sentence: str, max_chars: int) -> int:
    """Where to cut a sentence longer than ``max_chars`` (see :func:`split_long_sentence`)."""
    for shortest in (max_chars // 4, 1):
        for pattern in _CLAUSE_BREAKS:
            cut = _last_break(pattern, sentence, max_chars, shortest)
            if cut is not None:
                return cut
    for pattern in (_PHRASE_BREAKS, _WORD_BREAK):
        cut = _last_break(pattern, sentence, max_chars, max_chars // 4)
        if cut is not None:
            return cut
    return _hard_cut(sentence, max_chars)


def _hard_cut(text: str, max_chars: int) -> int:
    """Where to cut ``text`` that has no break: at ``max_chars``, moved back so that no
    combining mark is cut from its letter."""
    cut = max_chars
    while cut > 1 and unicodedata.combining(text[cut]):
        cut -= 1
    return cut


def _last_break(pattern: re.Pattern[str], text: str, max_chars: int, shortest: int) -> int | None:
    """End of the last ``pattern`` match whose head fits in ``max_chars`` and is at least
    ``shortest`` characters long."""
    best = None
    for match in pattern.finditer(text):
        if match.start() > max_chars:
            break
        if match.start() >= shortest:
            best = match.end()
    return best


def speak(text: str, lexicon: Lexicon, mode: PhonemeMode) -> str:
    """The exact string handed to the engine for the written ``text``."""
    return lexicon.apply(normalize(text), mode)


def words_said(sentence: Sentence) -> str:
    """What ``sentence`` says, in words, for people to read: its ``spoken`` string, or, where
    the lexicon gave the engine raw ``[[ ipa ]]`` blocks, the normalized text those blocks
    were made from (the written word where a pronunciation stands)."""
    if "[[" not in sentence.spoken:
        return sentence.spoken
    return normalize(sentence.text)


def _paragraph(text: str, lexicon: Lexicon, mode: PhonemeMode, max_chars: int) -> Paragraph | None:
    sentences = [
        Sentence(text=piece, spoken=speak(piece, lexicon, mode))
        for sentence in split_sentences(text)
        for piece in split_long_sentence(sentence, max_chars)
    ]
    kept = tuple(s for s in sentences if _SPEAKABLE.search(s.spoken))
    return Paragraph(kept) if kept else None


#: A sentence is spoken only if its spoken string has a letter or digit: a lone "…" or "—"
#: (a pause in print) gives an engine nothing to say, and silence is an error there.
_SPEAKABLE = re.compile(r"[^\W_]")


def _spoken_texts(plan: ChapterPlan) -> tuple[str, ...]:
    """A chapter's paragraphs, led by its heading when the article has one: a listener hears
    the sub-heads a reader sees."""
    if not plan.heading:
        return plan.paragraphs
    title = plan.title.strip()
    return (title if title[-1:] in ".?!:" else f"{title}.", *plan.paragraphs)


def build_script(
    article: Article,
    profile: VoiceProfile,
    lexicon: Lexicon,
    max_sentence_chars: int = MAX_SENTENCE_CHARS,
    *,
    phoneme_mode: PhonemeMode,
) -> NarrationScript:
    """The narration script for ``article`` spoken by ``profile``'s voice, whose engine takes
    lexicon pronunciations as ``phoneme_mode`` says
    (:func:`article_audio.engines.phoneme_mode`)."""
    mode = phoneme_mode

    def paragraphs(texts: Iterable[str]) -> tuple[Paragraph, ...]:
        made = (_paragraph(t, lexicon, mode, max_sentence_chars) for t in texts)
        return tuple(p for p in made if p is not None)

    intro = ScriptChapter(article.title, paragraphs(intro_sentences(article)))
    body = [
        ScriptChapter(plan.title, paragraphs(_spoken_texts(plan)))
        for plan in plan_chapters(article, profile.words_per_minute)
    ]
    return NarrationScript(
        title=article.title,
        byline=article.byline,
        chapters=(intro, *(c for c in body if c.paragraphs)),
        voice=profile.name,
        authors=article.authors,
        publication=article.publication,
        published=article.published,
        source=article.source,
    )
