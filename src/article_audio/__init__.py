"""article-audio: turn a news article into a narrated, chaptered MP3, offline.

The public API is what ``__all__`` names, and nothing else:

- the text stages as functions (:func:`split_sentences`, :func:`normalize`) and the narration
  script as data (:func:`make_script`, :class:`NarrationScript`);
- the jobs a user asks for: :func:`render` one article, :func:`render_batch` many,
  :func:`build_feed` a podcast (:func:`load_channel` reads its ``channel.toml``; a
  :class:`FeedSource` names a site's feed to narrate), with their
  options and results;
- progress (:class:`Progress`, :func:`display_for`), the read-along page
  (:func:`render_player`), and the error tree under :class:`ArticleAudioError`.

Everything else (the modules under ``text``, ``audio``, ``engines``, ``outputs``, ``store`` and
``apps``) is internal and may change between versions.
"""

from article_audio.apps.batch import BatchOutcome, BatchReport, render_batch
from article_audio.apps.feed import (
    ArticleOutcome,
    Channel,
    FeedReport,
    FeedSource,
    build_feed,
    load_channel,
)
from article_audio.apps.progress import display_for
from article_audio.apps.render import RenderResult, make_script, render
from article_audio.audio.jobs import Progress
from article_audio.config import RenderOptions, ScriptOptions, SidecarOptions
from article_audio.errors import (
    ArticleAudioError,
    EngineError,
    ExportError,
    InputError,
    LexiconError,
    VoiceError,
)
from article_audio.outputs.player import render_player
from article_audio.script import NarrationScript, Paragraph, ScriptChapter, Sentence
from article_audio.text.normalize import normalize
from article_audio.text.sentences import split_sentences
from article_audio.util import package_version as _package_version

__version__ = _package_version()

__all__ = [
    "ArticleAudioError",
    "ArticleOutcome",
    "BatchOutcome",
    "BatchReport",
    "Channel",
    "EngineError",
    "ExportError",
    "FeedReport",
    "FeedSource",
    "InputError",
    "LexiconError",
    "NarrationScript",
    "Paragraph",
    "Progress",
    "RenderOptions",
    "RenderResult",
    "ScriptChapter",
    "ScriptOptions",
    "Sentence",
    "SidecarOptions",
    "VoiceError",
    "build_feed",
    "display_for",
    "load_channel",
    "make_script",
    "normalize",
    "render",
    "render_batch",
    "render_player",
    "split_sentences",
]
