"""One error tree for everything the library raises on purpose.

The CLI catches :class:`ArticleAudioError` once, prints its message on one line and exits with
``exit_code``: 2 for problems with what the user gave us (input, options, lexicons, voices),
1 for failures while doing the work (engine, export). Third-party errors are wrapped where
they enter the library with ``raise ... from exc`` so ``--debug`` can still show the cause.
"""

from __future__ import annotations


class ArticleAudioError(Exception):
    """Base class of every error article-audio raises on purpose."""

    exit_code = 1


class InputError(ArticleAudioError):
    """The article, an option or a file the user named cannot be used."""

    exit_code = 2


class LexiconError(InputError):
    """A pronunciation lexicon is malformed; the message names the file and line."""

    def __init__(self, message: str, path: str | None = None, line: int | None = None) -> None:
        where = ""
        if path is not None:
            where = f"{path}:{line}: " if line is not None else f"{path}: "
        super().__init__(f"{where}{message}")
        self.path = path
        self.line = line


class VoiceError(InputError):
    """A voice profile is unknown, malformed, or its engine is not installed."""


class EngineError(ArticleAudioError):
    """A speech engine failed, or produced no (or too little) audio for a sentence."""


class ExportError(ArticleAudioError):
    """Encoding or writing the output failed."""
