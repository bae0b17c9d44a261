"""The ``article-audio`` command: a thin shell over the library.

Each command parses its options (:mod:`~.options`), calls one library function and formats the
result (:mod:`~.commands`); every :class:`~article_audio.errors.ArticleAudioError` becomes a
one-line message and an exit code (2 for bad input or usage, 1 for failures). ``--debug``
shows tracebacks instead. Only this package imports click.
"""

from article_audio.cli.commands import main

__all__ = ["main"]
