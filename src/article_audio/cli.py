"""The ``article-audio`` command: a thin shell over :mod:`article_audio.apps.render`.

It parses options, calls one library function, formats the result, and turns every
:class:`ArticleAudioError` into a one-line message and an exit code (2 for bad input or
usage, 1 for failures). ``--debug`` shows tracebacks instead.
"""

from __future__ import annotations

import json
import re
import sys
import warnings
from collections.abc import Callable
from dataclasses import replace
from functools import wraps
from pathlib import Path
from typing import Any, NoReturn, TypeVar

import click

from article_audio.apps import console
from article_audio.apps import render as pipeline
from article_audio.apps.batch import BatchOutcome, render_batch
from article_audio.apps.feed import ArticleOutcome, build_feed, load_channel
from article_audio.apps.progress import display_for, showing
from article_audio.audio.encode import LOUDNESS_RANGE_LUFS, audio_format_for
from article_audio.config import (
    AUDIO_FORMATS,
    BITRATES_KBPS,
    DEFAULT_BITRATE_KBPS,
    DEFAULT_LOUDNESS_LUFS,
    DEFAULT_VOICE,
    INPUT_FORMATS,
    MAX_WORDS,
    TRANSCRIPT_FORMATS,
    RenderOptions,
    ScriptOptions,
    SidecarOptions,
    read_environment,
)
from article_audio.context import cache_root
from article_audio.errors import ArticleAudioError, InputError
from article_audio.store.cache import SentenceCache
from article_audio.text.fetch import fetch_page
from article_audio.text.read import Source

F = TypeVar("F", bound=Callable[..., Any])


def _fail(message: str, code: int) -> NoReturn:
    click.echo(f"article-audio: error: {message}", err=True)
    sys.exit(code)


def handle_errors(command: F) -> F:
    """Run ``command``; report our errors (and unexpected ones) on one line unless --debug.
    A reader of stdout that has gone (``| head``) ends the command quietly."""

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
            if isinstance(exc, BrokenPipeError) and console.stdout_reader_gone():
                console.leave_quietly()
            if debug:
                raise
            _fail(f"unexpected {type(exc).__name__}: {exc} (run with --debug for details)", 1)

    return wrapper  # type: ignore[return-value]


voice_option = click.option(
    "--voice", default=DEFAULT_VOICE, show_default=True, help="Voice profile name or .toml path."
)


def files_option(name: str, dest: str, help: str) -> Callable[[F], F]:
    """A repeatable option naming files (``--lexicon A --lexicon B``), as a tuple."""
    return click.option(name, dest, multiple=True, type=click.Path(dir_okay=False), help=help)


lexicon_option = files_option(
    "--lexicon",
    "lexicons",
    "Pronunciation lexicon (.toml or W3C .pls); repeatable, later entries win.",
)
input_format_option = click.option(
    "--format",
    "input_format",
    type=click.Choice(INPUT_FORMATS),
    default=None,
    help="Input format (default: from the file suffix; for stdin, html if it starts like a "
    "page, else text).",
)
debris_option = files_option(
    "--debris",
    "debris",
    "Extra page-debris rules (TOML, shaped like the shipped data/debris.toml); repeatable.",
)
max_words_option = click.option(
    "--max-words",
    type=click.IntRange(min=1),
    default=MAX_WORDS,
    show_default=True,
    help="Refuse articles longer than this many words (checked before any heavy work).",
)
url_option = click.option(
    "--url",
    metavar="URL",
    default=None,
    help="Fetch the article page at URL (http or https) instead of reading INPUT.",
)


def gathered(
    name: str, make: Callable[..., object], *flags: Callable[[Any], Any]
) -> Callable[[F], F]:
    """``flags`` as one decorator (in --help in the order given); their values reach the
    command as one argument, ``name``: ``make(**values)``."""

    def decorate(command: F) -> F:
        names: list[str] = []

        @wraps(command)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            values = {key: kwargs.pop(key) for key in names}
            return command(*args, **kwargs, **{name: make(**values)})

        decorated: Any = wrapper
        decorated.__click_params__ = list(getattr(command, "__click_params__", []))
        known = len(decorated.__click_params__)
        for flag in reversed(flags):
            decorated = flag(decorated)
        names.extend(param.name for param in decorated.__click_params__[known:])
        return decorated  # type: ignore[no-any-return]

    return decorate


#: --voice, --lexicon, --debris and --max-words as the command's ``script`` (the input format
#: is the command's to set).
with_script_flags = gathered(
    "script", ScriptOptions, voice_option, lexicon_option, debris_option, max_words_option
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


#: Audio formats ``--format`` still takes, deprecated: ``--audio-format`` names them now.
LEGACY_AUDIO_FORMATS = ("mp3", "m4b")
formats_options = [
    click.option(
        "--format",
        "formats",
        multiple=True,
        type=click.Choice(INPUT_FORMATS + LEGACY_AUDIO_FORMATS),
        metavar="[" + "|".join(INPUT_FORMATS) + "]",
        help="Input format (default: from the file suffix; for stdin, html if it starts like a "
        "page, else text).",
    ),
    click.option(
        "--audio-format",
        type=click.Choice(AUDIO_FORMATS),
        default=None,
        help="Audio format: mp3, m4b (AAC audiobook), wav (16-bit PCM) or opus (Ogg Opus). "
        "Default: the one the output file's suffix names, else mp3.",
    ),
]


def formats_option(command: F) -> F:
    """``--format`` (the input's) and ``--audio-format`` (the output's)."""
    for option in reversed(formats_options):
        command = option(command)
    return command


def split_formats(
    formats: tuple[str, ...], audio_format: str | None, output: str | None
) -> tuple[str | None, str]:
    """(input format, audio format) from ``--format``, ``--audio-format`` and the ``-o`` name.

    A name whose suffix names no audio format, or another one than ``--audio-format``, is
    refused here, before any work. ``--format mp3|m4b`` still names the audio format, with a
    deprecation warning."""
    inputs = [f for f in formats if f in INPUT_FORMATS]
    legacy = [f for f in formats if f not in INPUT_FORMATS]
    if len(inputs) > 1 or len(legacy) > 1:
        raise click.UsageError("--format names one input format")
    if legacy:
        click.echo(
            f"article-audio: warning: --format {legacy[0]} is deprecated; "
            f"use --audio-format {legacy[0]}",
            err=True,
        )
        if audio_format not in (None, legacy[0]):
            raise click.UsageError(
                f"--format {legacy[0]} and --audio-format {audio_format} disagree"
            )
        audio_format = legacy[0]
    destination = Path(output) if output is not None else None
    return (inputs[0] if inputs else None), audio_format_for(destination, audio_format)


def parse_transcripts(
    _context: click.Context, _parameter: click.Parameter, value: str | None
) -> tuple[str, ...]:
    """``--transcript`` as a tuple of formats: ``"vtt,srt"`` → ``("vtt", "srt")``."""
    if value is None:
        return ()
    names = [name.strip().lower() for name in value.split(",") if name.strip()]
    for name in names:
        if name not in TRANSCRIPT_FORMATS:
            hint = " (put INPUT first, or write --transcript=vtt)" if "." in name else ""
            raise click.BadParameter(
                f"unknown format {name!r}; expected a comma list of "
                f"{', '.join(TRANSCRIPT_FORMATS)}{hint}"
            )
    return tuple(dict.fromkeys(names)) or ("vtt",)


sidecar_flags = [
    click.option(
        "--transcript",
        "transcripts",
        is_flag=False,
        flag_value="vtt",
        default=None,
        metavar="[FORMATS]",
        callback=parse_transcripts,
        help="Write a timed transcript beside the audio: a comma list of vtt (WebVTT), srt, "
        "json (Podcasting 2.0); just --transcript writes vtt.",
    ),
    click.option(
        "--chapters-json", is_flag=True, help="Write Podcasting 2.0 chapters (.chapters.json)."
    ),
    click.option("--html", is_flag=True, help="Write the read-along HTML player (.html)."),
    click.option(
        "--all-sidecars",
        is_flag=True,
        help="Write every sidecar: .vtt, .srt, .transcript.json, .chapters.json and .html.",
    ),
]


audio_flags = [
    click.option(
        "--bitrate",
        type=click.Choice([str(b) for b in BITRATES_KBPS]),
        default=str(DEFAULT_BITRATE_KBPS),
        show_default=True,
        help="Audio bitrate in kbps (mono MP3, AAC or Opus; WAV is uncompressed).",
    ),
    click.option(
        "--loudness",
        type=click.FloatRange(*LOUDNESS_RANGE_LUFS),
        default=DEFAULT_LOUDNESS_LUFS,
        show_default=True,
        metavar="LUFS",
        help="Integrated loudness (ITU-R BS.1770), true peak at most -1 dBTP. -16 is the podcast "
        "norm; AES TD1008 recommends -18 for speech.",
    ),
    click.option(
        "--cover",
        type=click.Path(dir_okay=False),
        metavar="IMAGE",
        help="Cover art to embed (JPEG or PNG).",
    ),
]
cache_dir_option = click.option(
    "--cache-dir",
    type=click.Path(file_okay=False),
    default=None,
    help="Sentence cache folder (default: $ARTICLE_AUDIO_CACHE_DIR, else the user cache "
    "folder, e.g. ~/.cache/article-audio on Linux).",
)
worker_flags = [
    click.option(
        "--jobs",
        type=click.IntRange(min=1),
        default=None,
        metavar="N",
        help="Sentences synthesized at once (default: the cores this process may use): "
        "threads sharing one loaded voice for Piper, worker processes for system voices.",
    ),
    cache_dir_option,
    click.option("--no-cache", is_flag=True, help="Neither read nor write the sentence cache."),
]
quiet_option = click.option(
    "-q", "--quiet", is_flag=True, help="Print nothing but errors (no progress bar)."
)


def out_dir_option(help: str) -> Callable[[F], F]:
    """The required ``--out-dir`` of the commands that render many articles."""
    return click.option("--out-dir", required=True, type=click.Path(file_okay=False), help=help)


def render_options(
    *,
    bitrate: str,
    loudness: float,
    cover: str | None,
    transcripts: tuple[str, ...],
    chapters_json: bool,
    html: bool,
    all_sidecars: bool,
    jobs: int | None,
    cache_dir: str | None,
    no_cache: bool,
) -> RenderOptions:
    """The :class:`RenderOptions` the audio, sidecar and worker flags ask for (its script
    and audio format are the command's to set); ``--all-sidecars`` adds every sidecar."""
    sidecars = SidecarOptions(transcripts=transcripts, chapters_json=chapters_json, html=html)
    return RenderOptions(
        bitrate_kbps=int(bitrate),
        loudness_lufs=loudness,
        cover=cover,
        sidecars=SidecarOptions.everything() if all_sidecars else sidecars,
        jobs=jobs,
        cache_dir=cache_dir,
        use_cache=not no_cache,
    )


#: The audio, sidecar and worker flags ``render`` and ``batch`` share, as their ``options``.
with_output_flags = gathered("options", render_options, *audio_flags, *sidecar_flags, *worker_flags)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--debug", is_flag=True, help="Show full tracebacks on errors.")
@click.version_option(package_name="article-audio")
def main(debug: bool) -> None:
    """Turn a news article into a narrated, chaptered MP3, offline."""
    warnings.showwarning = _show_warning


def _show_warning(message: Warning | str, *_: object, **__: object) -> None:
    """Print a warning (e.g. a lexicon IPA the voice cannot say) as one line on stderr."""
    click.echo(f"article-audio: warning: {message}", err=True)


@main.command()
@click.argument("input_path", metavar="INPUT", required=False)
@url_option
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False),
    help="Output path: .mp3, .m4b (or .m4a), .opus (or .ogg) or .wav; the suffix names the "
    "audio format.",
)
@with_script_flags
@formats_option
@with_output_flags
@quiet_option
@handle_errors
def render(
    input_path: str | None,
    url: str | None,
    output: str | None,
    script: ScriptOptions,
    formats: tuple[str, ...],
    audio_format: str | None,
    options: RenderOptions,
    quiet: bool,
) -> None:
    """Render INPUT (.txt, .md, .html, or - for stdin) or the page at --url to an MP3, M4B,
    Ogg Opus or WAV file, and the sidecars asked for beside it. Prints the audio's path, length
    and chapter count, then each sidecar's path on its own line. Shows a progress bar on a
    terminal."""
    input_format, audio_format = split_formats(formats, audio_format, output)
    script = replace(script, input_format=input_format)
    options = replace(options, script=script, audio_format=audio_format)
    source = article_input(input_path, url)
    label = Path(input_path).name if input_path not in (None, "-") else "article"
    with showing(display_for(quiet=quiet), label) as progress:
        result = pipeline.render(source, output, options, progress=progress)
    if not quiet:
        click.echo(console.render_line(result))
        for sidecar in result.sidecars:
            click.echo(sidecar)


@main.command()
@click.argument("input_path", metavar="INPUT", required=False)
@url_option
@with_script_flags
@input_format_option
@click.option("--json", "as_json", is_flag=True, help="Print the script as JSON.")
@handle_errors
def script(
    input_path: str | None,
    url: str | None,
    script: ScriptOptions,
    input_format: str | None,
    as_json: bool,
) -> None:
    """Show what would be spoken for INPUT (or the page at --url), without synthesizing."""
    options = replace(script, input_format=input_format)
    narration = pipeline.make_script(article_input(input_path, url), options)
    if as_json:
        click.echo(json.dumps(narration.to_dict(), ensure_ascii=False, indent=2))
        return
    for line in console.script_lines(narration):
        click.echo(line)


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
@out_dir_option(
    "Folder for the episodes and feed.xml, as published at base_url (created if missing)."
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
    click.echo(console.feed_summary(report))
    if report.failed:
        sys.exit(1)


def _feed_progress(outcome: ArticleOutcome) -> None:
    if outcome.status == "failed":
        _failed(outcome.article, outcome.error)
    elif (line := console.feed_line(outcome)) is not None:
        click.echo(line)


def _failed(article: object, error: str | None) -> None:
    """One article of a batch or feed failed: one line on stderr, and the others go on."""
    click.echo(f"article-audio: error: {article}: {error}", err=True)


@main.command()
@click.argument("inputs", metavar="INPUT...", nargs=-1, required=True)
@out_dir_option(
    "Folder for the audio and sidecars (created if missing). Names come from the input file "
    "names: lowercase, safe, numbered when two would clash (story.mp3, story-2.mp3)."
)
@with_script_flags
@formats_option
@with_output_flags
@click.option(
    "--scheduler",
    metavar="ADDRESS",
    default=None,
    help="Synthesize on the Dask distributed cluster at ADDRESS (tcp://HOST:8786) instead of "
    "local workers; needs the dask extra.",
)
@quiet_option
@handle_errors
def batch(
    inputs: tuple[str, ...],
    out_dir: str,
    script: ScriptOptions,
    formats: tuple[str, ...],
    audio_format: str | None,
    options: RenderOptions,
    scheduler: str | None,
    quiet: bool,
) -> None:
    """Render every INPUT into --out-dir, sharing the sentence cache and one set of workers.

    Prints one line per article, tab-separated: INPUT, audio path, length, chapters, and the
    sentences synthesized and cached (or "unchanged, reused"). A failing article is one line
    on stderr and the others still render; the exit code is then 1.
    """
    if scheduler is not None and options.jobs is not None:
        raise click.UsageError("--jobs sets local workers: not with --scheduler")
    input_format, audio_format = split_formats(formats, audio_format, None)
    script = replace(script, input_format=input_format)
    options = replace(options, script=script, audio_format=audio_format)
    report = render_batch(
        inputs,
        out_dir,
        options,
        executor=scheduler,
        progress=display_for(quiet=quiet),
        on_outcome=lambda outcome: _batch_line(outcome, quiet),
    )
    if report.failed:
        failed, total = len(report.failed), len(report.outcomes)
        _fail(f"{failed} of {total} article{'' if total == 1 else 's'} failed", 1)


def _batch_line(outcome: BatchOutcome, quiet: bool) -> None:
    if outcome.error is not None:
        _failed(outcome.source, outcome.error)
    elif not quiet and (line := console.batch_line(outcome)) is not None:
        click.echo(line)


#: ``cache prune`` keeps at most this much (about three hours of speech at 22 kHz).
DEFAULT_CACHE_MAX_SIZE = "500MB"
_SIZE_UNITS = {
    "": 1,
    "B": 1,
    "KB": 10**3,
    "MB": 10**6,
    "GB": 10**9,
    "TB": 10**12,
    "KIB": 2**10,
    "MIB": 2**20,
    "GIB": 2**30,
    "TIB": 2**40,
}
_SIZE = re.compile(r"\s*(\d+(?:\.\d+)?)\s*([A-Za-z]*)\s*")


def parse_size(text: str) -> int:
    """Bytes in a size such as ``500MB``, ``2GB``, ``1.5 GiB`` or ``1000000`` (bytes); KB, MB,
    GB and TB are powers of 1000, KiB, MiB, GiB and TiB powers of 1024."""
    match = _SIZE.fullmatch(text)
    unit = match.group(2).upper() if match else ""
    if match is None or unit not in _SIZE_UNITS:
        raise click.BadParameter(f"{text!r} is not a size like 500MB, 2GB or 1.5GiB")
    return int(float(match.group(1)) * _SIZE_UNITS[unit])


def format_size(size: int) -> str:
    """``123456789`` → ``123.5 MB`` (powers of 1000, as :func:`parse_size` reads them)."""
    for unit in ("TB", "GB", "MB", "KB"):
        if size >= _SIZE_UNITS[unit]:
            return f"{size / _SIZE_UNITS[unit]:.1f} {unit}"
    return f"{size} B"


def _size_option(_context: click.Context, _parameter: click.Parameter, value: str) -> int:
    return parse_size(value)


@main.group()
def cache() -> None:
    """Inspect or shrink the sentence cache (synthesized audio, reused across renders)."""


@cache.command("info")
@cache_dir_option
@handle_errors
def cache_info(cache_dir: str | None) -> None:
    """Print the cache's folder, its entries and their size, tab-separated."""
    info = SentenceCache(cache_root(cache_dir, read_environment())).info()
    click.echo(f"{info.path}\t{info.entries} entries\t{format_size(info.bytes)}")


@cache.command("prune")
@cache_dir_option
@click.option(
    "--max-size",
    default=DEFAULT_CACHE_MAX_SIZE,
    show_default=True,
    metavar="SIZE",
    callback=_size_option,
    help="Remove the least recently used entries until the cache holds at most SIZE "
    "(500MB, 2GB, 1.5GiB; 0 empties it).",
)
@handle_errors
def cache_prune(cache_dir: str | None, max_size: int) -> None:
    """Shrink the cache to --max-size; print the entries removed, then what is left."""
    store = SentenceCache(cache_root(cache_dir, read_environment()))
    removed = store.prune(max_size)
    info = store.info()
    click.echo(f"{info.path}\t{removed} removed\t{info.entries} entries\t{format_size(info.bytes)}")
