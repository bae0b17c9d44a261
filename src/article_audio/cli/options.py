"""The command line's shared options and parsing: click decorators that gather flags into
the library's option dataclasses, and the error handler every command wears."""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from datetime import datetime, timezone
from functools import wraps
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar

import click

from article_audio.apps import console
from article_audio.config import (
    AUDIO_FORMATS,
    BITRATES_KBPS,
    DEFAULT_BITRATE_KBPS,
    DEFAULT_LOUDNESS_LUFS,
    DEFAULT_VOICE,
    INPUT_FORMATS,
    LOUDNESS_RANGE_LUFS,
    MAX_WORDS,
    TRANSCRIPT_FORMATS,
    RenderOptions,
    ScriptOptions,
    SidecarOptions,
)
from article_audio.errors import ArticleAudioError, InputError

if TYPE_CHECKING:
    from article_audio.text.read import Source

F = TypeVar("F", bound=Callable[..., Any])


def fail(message: str, code: int) -> NoReturn:
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
            fail(str(exc), exc.exit_code)
        except KeyboardInterrupt:
            fail("interrupted", 130)
        except click.ClickException:
            raise
        except Exception as exc:
            if isinstance(exc, BrokenPipeError) and console.stdout_reader_gone():
                console.leave_quietly()
            if debug:
                raise
            fail(f"unexpected {type(exc).__name__}: {exc} (run with --debug for details)", 1)

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
        from article_audio.text.fetch import fetch_page  # httpx: loaded only for --url

        return fetch_page(url)
    if input_path is None:
        raise InputError("no input: give INPUT (a file, or - for stdin) or --url URL")
    return input_path


#: Audio formats ``--format`` still takes, deprecated: ``--audio-format`` names them now.
LEGACY_AUDIO_FORMATS = ("mp3", "m4b")
#: The read-along book: ``--format epub``, ``--audio-format epub`` or ``-o NAME.epub``.
BOOK_FORMAT = "epub"
formats_options = [
    click.option(
        "--format",
        "formats",
        multiple=True,
        type=click.Choice((*INPUT_FORMATS, *LEGACY_AUDIO_FORMATS, BOOK_FORMAT)),
        metavar="[" + "|".join((*INPUT_FORMATS, BOOK_FORMAT)) + "]",
        help="Input format (default: from the file suffix; for stdin, html if it starts like a "
        "page, else text); epub: write an EPUB 3 read-along book instead of audio alone.",
    ),
    click.option(
        "--audio-format",
        type=click.Choice((*AUDIO_FORMATS, BOOK_FORMAT)),
        default=None,
        help="Audio format: mp3, m4b (AAC audiobook), wav (16-bit PCM), opus (Ogg Opus) or epub "
        "(an EPUB 3 book with the text and word-level Media Overlays). "
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
    legacy = [f for f in formats if f in LEGACY_AUDIO_FORMATS]
    book = _book_format(BOOK_FORMAT in formats, audio_format, output)
    if book is not None:
        if len(inputs) > 1 or legacy:
            raise click.UsageError("--format names one input format, or epub")
        return (inputs[0] if inputs else None), book
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
    from article_audio.audio.encode import audio_format_for  # numpy: loaded for a render only

    destination = Path(output) if output is not None else None
    return (inputs[0] if inputs else None), audio_format_for(destination, audio_format)


def _book_format(asked: bool, audio_format: str | None, output: str | None) -> str | None:
    """``"epub"`` when an EPUB is asked for (``--format epub``, ``--audio-format epub`` or an
    ``.epub`` output) and nothing says otherwise; None when no EPUB is asked for."""
    suffix = Path(output).suffix.lower() if output is not None else ""
    if not (asked or audio_format == BOOK_FORMAT or suffix == ".epub"):
        return None
    if audio_format not in (None, BOOK_FORMAT):
        raise click.UsageError(f"an EPUB is asked for, but --audio-format is {audio_format}")
    if suffix not in ("", ".epub"):
        raise InputError(f"{output}: the name says {suffix[1:]} but an EPUB is asked for")
    return BOOK_FORMAT


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
        help="Write a timed transcript beside the audio: a comma list of vtt (WebVTT), srt "
        "(both caption-sized), json (Podcasting 2.0, a segment per sentence), words (.words.json, "
        "a segment per word); just --transcript writes vtt.",
    ),
    click.option(
        "--chapters-json", is_flag=True, help="Write Podcasting 2.0 chapters (.chapters.json)."
    ),
    click.option("--html", is_flag=True, help="Write the read-along HTML player (.html)."),
    click.option(
        "--all-sidecars",
        is_flag=True,
        help="Write every sidecar: .vtt, .srt, .transcript.json, .words.json, .chapters.json "
        "and .html.",
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


#: The audio, sidecar and worker flags ``render``, ``batch`` and ``feed`` share, as their
#: ``options``.
with_output_flags = gathered("options", render_options, *audio_flags, *sidecar_flags, *worker_flags)


def count_option(name: str, metavar: str, help: str) -> Callable[[F], F]:
    """An optional whole number of at least 1 (``--max-items N``)."""
    return click.option(name, type=click.IntRange(min=1), default=None, metavar=metavar, help=help)


def parse_since(
    _context: click.Context, _parameter: click.Parameter, value: str | None
) -> datetime | None:
    """``--since`` as a UTC time: a day (``2026-01-05``, from midnight UTC) or an ISO date and
    time (``2026-01-05T09:00``, UTC unless it names an offset)."""
    if value is None:
        return None
    try:
        moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        raise click.BadParameter(
            f"{value!r} is not a date like 2026-01-05 or 2026-01-05T09:00"
        ) from None
    return moment.replace(tzinfo=moment.tzinfo or timezone.utc).astimezone(timezone.utc)


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


def size_option(_context: click.Context, _parameter: click.Parameter, value: str) -> int:
    return parse_size(value)
