"""Word times against an independent recogniser: PocketSphinx's forced alignment.

Renders an article (default: the example) to MP3 with its word times, decodes the MP3 with
ffmpeg (as a player would: the encoder delay honoured), and has PocketSphinx (CMU, BSD licence;
``pip install pocketsphinx``, its US English model ships in the wheel) align each sentence's
spoken words to the audio. Every written word said as one spoken word that PocketSphinx's
dictionary knows is compared: the onset our words JSON gives against the onset PocketSphinx
finds. Sentences with a word outside its dictionary or an inline IPA block are left out (the
alignment needs every word).

    python benchmarks/word_timing.py [ARTICLE] [--voice heart|joe|...]

prints the words compared, and the median, 95th percentile and largest |onset difference|.
The issue's bar: median <= 50 ms, 95th percentile <= 150 ms.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests.word_onsets import EXAMPLE, compare, decode_16k

from article_audio.apps.render import render
from article_audio.config import DEFAULT_VOICE, RenderOptions, ScriptOptions


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("article", nargs="?", default=str(EXAMPLE))
    parser.add_argument("--voice", default=DEFAULT_VOICE, help=f"default: {DEFAULT_VOICE}")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        options = RenderOptions(ScriptOptions(voice=args.voice))
        result = render(args.article, Path(folder) / "article.mp3", options)
        samples = decode_16k(result.path)
    compared, skipped = compare(result, samples)
    if not compared:
        print("no word could be compared", file=sys.stderr)
        return 1
    errors = np.abs(np.array([c.ours_ms - c.theirs_ms for c in compared]))
    signed = np.array([c.ours_ms - c.theirs_ms for c in compared])
    print(f"voice\t{args.voice} ({'estimated' if result.words_estimated else 'its own'} times)")
    print(f"sentences aligned\t{len(result.cues) - skipped} of {len(result.cues)}")
    print(f"words compared\t{len(compared)}")
    print(f"median |onset difference|\t{np.median(errors):.0f} ms")
    print(f"95th percentile\t{np.percentile(errors, 95):.0f} ms")
    print(f"largest\t{errors.max():.0f} ms")
    print(f"median signed (ours - PocketSphinx)\t{np.median(signed):+.0f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
