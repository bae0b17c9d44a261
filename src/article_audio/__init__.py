"""article-audio: turn a news article into a narrated, chaptered MP3, offline.

The public API is small: the text stages as functions (:func:`split_sentences`,
:func:`normalize`), the narration script as data (:func:`make_script`), and :func:`render`.
Everything else is internal.
"""

from .config import RenderOptions, ScriptOptions
from .errors import ArticleAudioError
from .normalize import normalize
from .pipeline import RenderResult, make_script, render
from .script import NarrationScript, Paragraph, ScriptChapter, Sentence
from .sentences import split_sentences

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
