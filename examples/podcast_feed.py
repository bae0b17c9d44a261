"""Publish a folder of articles as a podcast: one narrated episode per article, and a feed.

A newsroom drops its articles (``.txt``, ``.md`` or ``.html``) into a folder and runs this
script after each publishing round, or from cron. Only new and changed articles are
rendered; every episode keeps its guid, so podcast apps never list an episode twice.
Upload (or serve) the output folder at the channel's ``base_url``::

    python examples/podcast_feed.py articles/ --config examples/channel.toml --out-dir site/
    rsync -a site/ web:/var/www/podcast/       # feed: https://news.example.com/podcast/feed.xml

    # from cron, every 15 minutes; flock keeps two runs off the same folder:
    */15 * * * *  cd /srv/news && flock -n .feed.lock python podcast_feed.py articles ...

Options: ``--voice NAME`` (a profile name or .toml path; default joe), ``--lexicon FILE``
(repeatable: the newsroom's own names). It exits with 1 if any article failed (the others
are still published) and 2 for bad input such as a broken channel config.

It uses only the public API: :mod:`article_audio` for the render options and
:mod:`article_audio.apps.feed` for the channel, the episodes and the feed; ``article-audio feed``
is the same thing as a command.
"""

from __future__ import annotations

import argparse
import sys

from article_audio import (
    ArticleAudioError,
    ArticleOutcome,
    RenderOptions,
    ScriptOptions,
    build_feed,
    load_channel,
)


def main(argv: list[str] | None = None) -> int:
    """Build the feed; return the exit status."""
    args = parse_args(argv)
    try:
        channel = load_channel(args.config)
        options = RenderOptions(
            script=ScriptOptions(voice=args.voice, lexicons=tuple(args.lexicon))
        )
        report = build_feed(args.articles_dir, channel, args.out_dir, options, progress=show)
    except ArticleAudioError as exc:
        print(f"podcast_feed: error: {exc}", file=sys.stderr)
        return exc.exit_code
    print(
        f"{report.feed}: {len(report.episodes)} episode(s) ({len(report.rendered)} rendered, "
        f"{len(report.skipped)} unchanged, {len(report.failed)} failed); "
        f"subscribe at {channel.feed_url}"
    )
    return 1 if report.failed else 0


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("articles_dir", help="folder of .txt, .md and .html articles")
    parser.add_argument("--config", required=True, help="the channel's channel.toml")
    parser.add_argument("--out-dir", required=True, help="folder published at base_url")
    parser.add_argument("--voice", default=ScriptOptions.voice, help="voice profile name or path")
    parser.add_argument("--lexicon", action="append", default=[], help="extra lexicon file")
    return parser.parse_args(argv)


def show(outcome: ArticleOutcome) -> None:
    """One line per article, as it is done."""
    if outcome.status == "failed":
        print(f"  failed    {outcome.article}: {outcome.error}", file=sys.stderr)
    elif outcome.episode is not None:
        minutes, seconds = divmod(round(outcome.episode.duration_ms / 1000), 60)
        print(
            f"  {outcome.status:<9} {outcome.article} -> {outcome.episode.audio} "
            f"({minutes}:{seconds:02d})"
        )


if __name__ == "__main__":
    sys.exit(main())
