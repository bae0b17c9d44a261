"""article-audio: turn a news article into a narrated, chaptered MP3, offline.

The public API is small: the text stages as functions (:func:`split_sentences`,
:func:`normalize`), the narration script as data (:func:`make_script`), and :func:`render`.
Everything else is internal.
"""

from article_audio.apps.render import RenderResult, make_script, render
from article_audio.config import RenderOptions, ScriptOptions
from article_audio.errors import ArticleAudioError
from article_audio.script import NarrationScript, Paragraph, ScriptChapter, Sentence
from article_audio.text.normalize import normalize
from article_audio.text.sentences import split_sentences

__all__ = [
    "ArticleAudioError",
    "NarrationScript",
    "Paragraph",
    "RenderOptions",
    "RenderResult",
    "ScriptChapter",
    "ScriptOptions",
    "Sentence",
    "make_script",
    "normalize",
    "render",
    "split_sentences",
]
