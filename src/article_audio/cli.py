"""The ``article-audio`` command: a thin shell over :mod:`article_audio.pipeline`.

It parses options, calls one library function, formats the result, and turns every
:class:`ArticleAudioError` into a one-line message and an exit code (2 for bad input or
usage, 1 for failures). ``--debug`` shows tracebacks instead.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

import click

from . import pipeline
from .config import (
    AUDIO_FORMATS,
    BITRATES_KBPS,
    DEFAULT_BITRATE_KBPS,
    DEFAULT_VOICE,
    INPUT_FORMATS,
    RenderOptions,
    ScriptOptions,
)
from .errors import ArticleAudioError, InputError
from .feed import ArticleOutcome, build_feed, load_channel
from .fetch import fetch_page
from .read import Source

F = TypeVar("F", bound=Callable[..., Any])


def _fail(message: str, code: int) -> None:
    click.echo(f"article-audio: error: {message}", err=True)
    sys.exit(code)


def handle_errors(command: F) -> F:
    """Run ``command``; report our errors (and unexpected ones) on one line unless --debug."""

    @wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        debug = bool(click.get_current_context().find_root().params.get("debug"))
        try:
            return command(*args, **kwargs)
        except ArticleAudioError as exc:
            if debug:
                raise
            _fail(str(exc), exc.exit_code)
        except KeyboardInterrupt:
            _fail("interrupted", 130)
        except click.ClickException:
            raise
        except Exception as exc:
            if debug:
                raise
            _fail(f"unexpected {type(exc).__name__}: {exc} (run with --debug for details)", 1)

    return wrapper  # type: ignore[return-value]


voice_option = click.option(
    "--voice", default=DEFAULT_VOICE, show_default=True, help="Voice profile name or .toml path."
)
lexicon_option = click.option(
    "--lexicon",
    "lexicons",
    multiple=True,
    type=click.Path(dir_okay=False),
    help="Pronunciation lexicon (.toml or W3C .pls); repeatable, later entries win.",
)
input_format_option = click.option(
    "--format",
    "input_format",
    type=click.Choice(INPUT_FORMATS),
    default=None,
    help="Input format (default: from the file suffix; for stdin, html if it starts like a "
    "page, else text).",
)
debris_option = click.option(
    "--debris",
    "debris",
    multiple=True,
    type=click.Path(dir_okay=False),
    help="Extra page-debris rules (TOML, shaped like the shipped data/debris.toml); repeatable.",
)
url_option = click.option(
    "--url",
    metavar="URL",
    default=None,
    help="Fetch the article page at URL (http or https) instead of reading INPUT.",
)


def article_input(input_path: str | None, url: str | None) -> str | Source:
    """INPUT, or the page fetched from ``--url``: exactly one of them must be given."""
    if input_path is not None and url is not None:
        raise InputError("give either INPUT or --url, not both")
    if url is not None:
        return fetch_page(url)
    if input_path is None:
        raise InputError("no input: give INPUT (a file, or - for stdin) or --url URL")
    return input_path


formats_option = click.option(
    "--format",
    "formats",
    multiple=True,
    type=click.Choice(INPUT_FORMATS + AUDIO_FORMATS),
    help="Input format (text, markdown, html; default: from the suffix) and/or audio format "
    "(mp3, m4b; default: from the -o suffix, else mp3). Repeat to give both.",
)


def split_formats(formats: tuple[str, ...], output: str | None) -> tuple[str | None, str]:
    """``--format`` values sorted into (input format, audio format)."""
    inputs = [f for f in formats if f in INPUT_FORMATS]
    audio = [f for f in formats if f in AUDIO_FORMATS]
    if len(inputs) > 1 or len(audio) > 1:
        raise click.UsageError("--format names at most one input and one audio format")
    input_format = inputs[0] if inputs else None
    if audio:
        return input_format, audio[0]
    suffix = output.rsplit(".", 1)[-1].lower() if output and "." in output else ""
    return input_format, suffix if suffix in AUDIO_FORMATS else "mp3"


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--debug", is_flag=True, help="Show full tracebacks on errors.")
@click.version_option(package_name="article-audio")
def main(debug: bool) -> None:
    """Turn a news article into a narrated, chaptered MP3, offline."""


@main.command()
@click.argument("input_path", metavar="INPUT", required=False)
@url_option
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Output MP3 path.")
@voice_option
@lexicon_option
@debris_option
@formats_option
@click.option(
    "--bitrate",
    type=click.Choice([str(b) for b in BITRATES_KBPS]),
    default=str(DEFAULT_BITRATE_KBPS),
    show_default=True,
    help="MP3 bitrate in kbps (mono).",
)
@click.option("-q", "--quiet", is_flag=True, help="Print nothing but errors.")
@handle_errors
def render(
    input_path: str | None,
    url: str | None,
    output: str | None,
    voice: str,
    lexicons: tuple[str, ...],
    debris: tuple[str, ...],
    formats: tuple[str, ...],
    bitrate: str,
    quiet: bool,
) -> None:
    """Render INPUT (.txt, .md, .html, or - for stdin) or the page at --url to an MP3."""
    input_format, audio_format = split_formats(formats, output)
    options = RenderOptions(
        script=ScriptOptions(
            voice=voice, lexicons=lexicons, input_format=input_format, debris=debris
        ),
        bitrate_kbps=int(bitrate),
        audio_format=audio_format,
    )
    source = article_input(input_path, url)
    result = pipeline.render(source, output, options, progress=None if quiet else _progress)
    if not quiet:
        click.echo("\r\033[K" if sys.stderr.isatty() else "", nl=False, err=True)
        seconds = result.duration_ms / 1000
        click.echo(
            f"{result.path}\t{int(seconds // 60)}:{seconds % 60:04.1f}\t"
            f"{len(result.chapters)} chapters"
        )


def _progress(done: int, total: int) -> None:
    if sys.stderr.isatty():
        click.echo(f"\rsynthesizing sentence {done}/{total}", nl=False, err=True)


@main.command()
@click.argument("input_path", metavar="INPUT", required=False)
@url_option
@voice_option
@lexicon_option
@debris_option
@input_format_option
@click.option("--json", "as_json", is_flag=True, help="Print the script as JSON.")
@handle_errors
def script(
    input_path: str | None,
    url: str | None,
    voice: str,
    lexicons: tuple[str, ...],
    debris: tuple[str, ...],
    input_format: str | None,
    as_json: bool,
) -> None:
    """Show what would be spoken for INPUT (or the page at --url), without synthesizing."""
    options = ScriptOptions(
        voice=voice, lexicons=lexicons, input_format=input_format, debris=debris
    )
    narration = pipeline.make_script(article_input(input_path, url), options)
    if as_json:
        click.echo(json.dumps(narration.to_dict(), ensure_ascii=False, indent=2))
        return
    for chapter in narration.chapters:
        click.echo(f"## {chapter.title}")
        for paragraph in chapter.paragraphs:
            for sentence in paragraph.sentences:
                click.echo(sentence.spoken)
            click.echo()


@main.command()
@handle_errors
def voices() -> None:
    """List the voice profiles and whether each works on this machine."""
    for profile, ready, reason in pipeline.voice_report():
        mark = "ok" if ready else "unavailable"
        click.echo(f"{profile.name}\t{profile.engine}\t{mark}\t{reason}")


@main.command()
@click.argument("text")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False), help="WAV path.")
@voice_option
@lexicon_option
@handle_errors
def say(text: str, output: str, voice: str, lexicons: tuple[str, ...]) -> None:
    """Speak TEXT to a WAV file, to check a pronunciation."""
    click.echo(pipeline.say(text, output, voice, lexicons))


@main.command()
@click.argument("articles_dir", type=click.Path(file_okay=False))
@click.option(
    "--config",
    "config_path",
    required=True,
    type=click.Path(dir_okay=False),
    help="Channel config: title, author, description, image, base_url, language, category, "
    "explicit.",
)
@click.option(
    "--out-dir",
    required=True,
    type=click.Path(file_okay=False),
    help="Folder for the episodes and feed.xml, as published at base_url (created if missing).",
)
@voice_option
@lexicon_option
@handle_errors
def feed(
    articles_dir: str, config_path: str, out_dir: str, voice: str, lexicons: tuple[str, ...]
) -> None:
    """Render the new and changed articles of ARTICLES_DIR and write OUT_DIR/feed.xml.

    Prints one line per article (errors on stderr), then the feed's path and counts. Exits
    with 1 if any article failed; the others are still in the feed.
    """
    channel = load_channel(config_path)
    options = RenderOptions(script=ScriptOptions(voice=voice, lexicons=lexicons))
    report = build_feed(articles_dir, channel, out_dir, options, progress=_feed_progress)
    episodes = len(report.episodes)
    click.echo(
        f"{report.feed}\t{episodes} episode{'' if episodes == 1 else 's'}\t"
        f"{len(report.rendered)} rendered, {len(report.skipped)} unchanged, "
        f"{len(report.failed)} failed"
    )
    if report.failed:
        sys.exit(1)


def _feed_progress(outcome: ArticleOutcome) -> None:
    if outcome.status == "failed":
        click.echo(f"article-audio: error: {outcome.article}: {outcome.error}", err=True)
    elif outcome.episode is not None:
        seconds = outcome.episode.duration_ms / 1000
        click.echo(
            f"{outcome.status}\t{outcome.article}\t{outcome.episode.audio}\t"
            f"{int(seconds // 60)}:{seconds % 60:04.1f}"
        )
