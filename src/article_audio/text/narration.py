"""Narration stage: a cleaned article becomes the :class:`NarrationScript`.

Here the text stages meet: chapters are planned, paragraphs split into sentences, sentences
over :data:`~article_audio.config.MAX_SENTENCE_CHARS` cut at clause boundaries, and each
sentence normalized for speech and passed through the pronunciation lexicon to give the exact
string the engine will receive.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import replace

from article_audio.clauses import first_utterance, split_long_sentence
from article_audio.config import MAX_SENTENCE_CHARS
from article_audio.script import NarrationScript, Paragraph, ScriptChapter, Sentence
from article_audio.text.article import Article
from article_audio.text.lexicon import Lexicon
from article_audio.text.normalize import normalize
from article_audio.text.sentences import split_sentences
from article_audio.text.structure import ChapterPlan, plan_chapters
from article_audio.voices import PhonemeMode, VoiceProfile


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


def cut_first_sentence(
    script: NarrationScript, max_chars: int, lexicon: Lexicon, mode: PhonemeMode
) -> NarrationScript:
    """``script`` with its first sentence cut by :func:`first_utterance` (measured on the
    spoken string), its rest a sentence :attr:`~article_audio.script.Sentence.joined` to the
    head: the narration's first utterance is made quickly, and the rest follows it after a
    phrase's pause (a live listener hears the head while the rest is made)."""
    if not script.chapters or not script.chapters[0].paragraphs:
        return script
    chapter, *chapters = script.chapters
    first, *paragraphs = chapter.paragraphs
    sentence, *sentences = first.sentences
    pieces = first_utterance(
        sentence.text, max_chars, lambda piece: len(speak(piece, lexicon, mode))
    )
    if len(pieces) == 1:
        return script
    head, rest = pieces
    cut = (
        Sentence(text=head, spoken=speak(head, lexicon, mode)),
        Sentence(text=rest, spoken=speak(rest, lexicon, mode), joined=True),
    )
    chapter = replace(chapter, paragraphs=(Paragraph((*cut, *sentences)), *paragraphs))
    return replace(script, chapters=(chapter, *chapters))


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
    first_utterance_chars: int | None = None,
) -> NarrationScript:
    """The narration script for ``article`` spoken by ``profile``'s voice, whose engine takes
    lexicon pronunciations as ``phoneme_mode`` says
    (:func:`article_audio.engines.phoneme_mode`). With ``first_utterance_chars`` (a voice slow
    to synthesize: :func:`article_audio.engines.first_utterance_chars`), the first sentence is
    cut so that its head is heard sooner (:func:`cut_first_sentence`)."""
    mode = phoneme_mode

    def paragraphs(texts: Iterable[str]) -> tuple[Paragraph, ...]:
        made = (_paragraph(t, lexicon, mode, max_sentence_chars) for t in texts)
        return tuple(p for p in made if p is not None)

    intro = ScriptChapter(article.title, paragraphs(intro_sentences(article)))
    body = [
        ScriptChapter(plan.title, paragraphs(_spoken_texts(plan)))
        for plan in plan_chapters(article, profile.words_per_minute)
    ]
    script = NarrationScript(
        title=article.title,
        byline=article.byline,
        chapters=(intro, *(c for c in body if c.paragraphs)),
        voice=profile.name,
        authors=article.authors,
        publication=article.publication,
        published=article.published,
        source=article.source,
    )
    if first_utterance_chars is None:
        return script
    return cut_first_sentence(script, first_utterance_chars, lexicon, mode)
