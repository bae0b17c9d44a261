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

import importlib as _importlib
import typing as _typing

if _typing.TYPE_CHECKING:
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

#: Where each public name lives. Importing ``article_audio`` loads none of these modules: a name
#: is imported when it is first used (PEP 562), so ``article-audio --help`` and a cached render
#: pay only for what they touch.
_LOCATIONS = {
    "ArticleAudioError": "errors",
    "ArticleOutcome": "apps.feed",
    "BatchOutcome": "apps.batch",
    "BatchReport": "apps.batch",
    "Channel": "apps.feed",
    "EngineError": "errors",
    "ExportError": "errors",
    "FeedReport": "apps.feed",
    "FeedSource": "apps.feed",
    "InputError": "errors",
    "LexiconError": "errors",
    "NarrationScript": "script",
    "Paragraph": "script",
    "Progress": "audio.jobs",
    "RenderOptions": "config",
    "RenderResult": "apps.render",
    "ScriptChapter": "script",
    "ScriptOptions": "config",
    "Sentence": "script",
    "SidecarOptions": "config",
    "VoiceError": "errors",
    "build_feed": "apps.feed",
    "display_for": "apps.progress",
    "load_channel": "apps.feed",
    "make_script": "apps.render",
    "normalize": "text.normalize",
    "render": "apps.render",
    "render_batch": "apps.batch",
    "render_player": "outputs.player",
    "split_sentences": "text.sentences",
}


def __getattr__(name: str) -> _typing.Any:
    if name == "__version__":
        from article_audio.util import package_version

        value: _typing.Any = package_version()
    elif name in _LOCATIONS:
        value = getattr(_importlib.import_module(f"article_audio.{_LOCATIONS[name]}"), name)
    else:
        raise AttributeError(f"module 'article_audio' has no attribute {name!r}")
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__, "__version__"})


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
