"""The ``article-audio`` commands: each parses its options, calls one library function and
formats the result."""

from __future__ import annotations

import json
import sys
import warnings
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

import click

from article_audio.apps import console
from article_audio.cli.options import (
    DEFAULT_CACHE_MAX_SIZE,
    article_input,
    cache_dir_option,
    count_option,
    fail,
    format_size,
    formats_option,
    handle_errors,
    input_format_option,
    lexicon_option,
    out_dir_option,
    parse_since,
    quiet_option,
    size_option,
    split_formats,
    url_option,
    voice_option,
    with_output_flags,
    with_script_flags,
)
from article_audio.config import (
    DEFAULT_VOICE,
    RenderOptions,
    ScriptOptions,
    default_data_dir,
    read_environment,
)
from article_audio.errors import InputError

if TYPE_CHECKING:
    from article_audio.apps.batch import BatchOutcome
    from article_audio.apps.feed import ArticleOutcome, FeedReport
    from article_audio.store.cache import SentenceCache

# Each command imports the library it calls when it runs: ``--help`` and a mistyped option
# load no pipeline, no numerics and no HTTP client.


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
    from article_audio.apps import render as pipeline
    from article_audio.apps.progress import display_for, showing

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
    from article_audio.apps.render import make_script

    options = replace(script, input_format=input_format)
    narration = make_script(article_input(input_path, url), options)
    if as_json:
        click.echo(json.dumps(narration.to_dict(), ensure_ascii=False, indent=2))
        return
    for line in console.script_lines(narration):
        click.echo(line)


@main.command()
@handle_errors
def voices() -> None:
    """List the voice profiles, whether each works on this machine, and what each is:
    language, gender, licence and speed measured here (tab-separated)."""
    from article_audio.apps.render import voice_report

    for profile, ready, reason in voice_report():
        mark = "ok" if ready else "unavailable"
        about = (profile.language, profile.gender, profile.licence, profile.measured_speed)
        note = f"{reason} (default)" if profile.name == DEFAULT_VOICE else reason
        fields = [profile.name, profile.engine, mark, *(value or "-" for value in about), note]
        click.echo("\t".join(fields))


@main.command()
@click.argument("text")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False), help="WAV path.")
@voice_option
@lexicon_option
@handle_errors
def say(text: str, output: str, voice: str, lexicons: tuple[str, ...]) -> None:
    """Speak TEXT to a WAV file, to check a pronunciation."""
    from article_audio.apps.render import say as say_text

    click.echo(say_text(text, output, voice, lexicons))


@main.command()
@click.argument("articles_dir", required=False, type=click.Path(file_okay=False))
@click.option(
    "--from",
    "from_url",
    metavar="URL",
    default=None,
    help="Also narrate the article pages of the site's feed at URL (RSS, Atom or JSON Feed); "
    "each page is fetched as --url fetches it.",
)
@count_option("--max-items", "N", "Take only the N newest items of --from's feed.")
@click.option(
    "--since",
    metavar="DATE",
    default=None,
    callback=parse_since,
    help="Leave out --from's items dated before DATE (2026-01-05, or 2026-01-05T09:00; UTC).",
)
@count_option(
    "--every", "MINUTES", "Build again every MINUTES minutes until stopped (Ctrl-C, SIGTERM)."
)
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
@with_script_flags
@with_output_flags
@quiet_option
@handle_errors
def feed(
    articles_dir: str | None,
    from_url: str | None,
    max_items: int | None,
    since: datetime | None,
    every: int | None,
    config_path: str,
    out_dir: str,
    script: ScriptOptions,
    options: RenderOptions,
    quiet: bool,
) -> None:
    """Render the new and changed articles of ARTICLES_DIR and of the site's feed at --from,
    and write OUT_DIR/feed.xml.

    Prints one line per article, tab-separated: rendered or unchanged, the article, its MP3
    and length (and for a rendered one its chapters and the sentences synthesized and
    cached); then the feed's path and counts. A failing article is one line on stderr and the
    others are still in the feed; the exit code is then 1. Every sidecar is written unless
    sidecar options choose some.
    """
    from article_audio.apps.feed import FeedSource, build_feed, load_channel, poll_every
    from article_audio.apps.progress import display_for

    if from_url is None and (max_items is not None or since is not None):
        raise InputError("--max-items and --since choose items of a site's feed: give --from URL")
    if articles_dir is None and from_url is None:
        raise InputError("nothing to build from: give ARTICLES_DIR, --from URL, or both")
    channel = load_channel(config_path)
    source = FeedSource(from_url, max_items, since) if from_url is not None else None
    options = replace(options, script=script)
    display = display_for(quiet=quiet)

    def build() -> FeedReport:
        report = build_feed(
            articles_dir,
            channel,
            out_dir,
            options,
            progress=lambda outcome: _feed_progress(outcome, quiet),
            source=source,
            display=display,
        )
        if not quiet:
            click.echo(console.feed_summary(report))
        return report

    if every is None:
        if build().failed:
            sys.exit(1)
        return
    poll_every(every * 60, build, on_error=lambda exc: _failed("this run", str(exc)))


def _feed_progress(outcome: ArticleOutcome, quiet: bool) -> None:
    if outcome.status == "failed":
        _failed(outcome.article, outcome.error)
    elif not quiet and (line := console.feed_line(outcome)) is not None:
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
    from article_audio.apps.batch import render_batch
    from article_audio.apps.progress import display_for

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
        fail(f"{failed} of {total} article{'' if total == 1 else 's'} failed", 1)


def _batch_line(outcome: BatchOutcome, quiet: bool) -> None:
    if outcome.error is not None:
        _failed(outcome.source, outcome.error)
    elif not quiet and (line := console.batch_line(outcome)) is not None:
        click.echo(line)


#: ``cache prune`` keeps at most this much (about an hour and a half of speech at 22 kHz, kept
#: as synthesized and as mastered).
@main.group()
def cache() -> None:
    """Inspect or shrink the sentence cache (synthesized audio, reused across renders)."""


@cache.command("info")
@cache_dir_option
@handle_errors
def cache_info(cache_dir: str | None) -> None:
    """Print the cache's folder, its entries and their size, tab-separated."""
    info = _cache(cache_dir).info()
    click.echo(f"{info.path}\t{info.entries} entries\t{format_size(info.bytes)}")


@cache.command("prune")
@cache_dir_option
@click.option(
    "--max-size",
    default=DEFAULT_CACHE_MAX_SIZE,
    show_default=True,
    metavar="SIZE",
    callback=size_option,
    help="Remove the least recently used entries until the cache holds at most SIZE "
    "(500MB, 2GB, 1.5GiB; 0 empties it).",
)
@handle_errors
def cache_prune(cache_dir: str | None, max_size: int) -> None:
    """Shrink the cache to --max-size; print the entries removed, then what is left."""
    store = _cache(cache_dir)
    removed = store.prune(max_size)
    info = store.info()
    click.echo(f"{info.path}\t{removed} removed\t{info.entries} entries\t{format_size(info.bytes)}")


def _cache(cache_dir: str | None) -> SentenceCache:
    """The sentence cache in ``--cache-dir``, else where the environment puts it."""
    from article_audio.context import cache_root
    from article_audio.store.cache import SentenceCache

    return SentenceCache(cache_root(cache_dir, read_environment()))


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=click.IntRange(0, 65535), default=8080, show_default=True)
@click.option(
    "--data-dir",
    type=click.Path(file_okay=False),
    default=None,
    help="Folder for the job store, the sentence cache and the audio (default: the user data "
    "folder, e.g. ~/.local/share/article-audio on Linux).",
)
@click.option(
    "--cache-dir",
    type=click.Path(file_okay=False),
    default=None,
    help="Sentence cache folder (default: cache/ in the data folder).",
)
@count_option("--jobs", "N", "Sentences synthesized at once (default: the cores).")
@count_option("--max-queue", "N", "Articles waiting at most; more get 429 (default: 100).")
@click.option(
    "--token-file",
    type=click.Path(dir_okay=False),
    default=None,
    help="File holding the bearer token that writes (POST) need.",
)
@voice_option
@handle_errors
def serve(
    host: str,
    port: int,
    data_dir: str | None,
    cache_dir: str | None,
    jobs: int | None,
    max_queue: int | None,
    token_file: str | None,
    voice: str,
) -> None:
    """Run the Listen service: an HTTP API that narrates articles and streams their audio,
    with the embeddable player at /embed.js (see the README's "The Listen service")."""
    from article_audio.apps.serve import ServiceOptions, read_token
    from article_audio.apps.serve import serve as run_service

    options = ServiceOptions(
        data_dir=Path(data_dir) if data_dir else default_data_dir(),
        voice=voice,
        jobs=jobs,
        max_queue=max_queue or ServiceOptions.max_queue,
        cache_dir=Path(cache_dir) if cache_dir else None,
    )
    token = read_token(token_file)
    click.echo(f"article-audio: listening on http://{host}:{port} (data: {options.data_dir})")
    run_service(options, host, port, token)
