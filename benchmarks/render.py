"""Render benchmark: audio seconds, wall seconds, real-time factor, per-stage time, peak memory.

    python benchmarks/render.py [ARTICLE] [--voice joe] [--repeat N]

Defaults to the example article. Figures come from one process on this machine; the machines
we run on are small and noisy, so compare ratios within one run rather than across runs.
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path

from article_audio.apps.render import render
from article_audio.config import RenderOptions, ScriptOptions

ROOT = Path(__file__).resolve().parents[1]


def peak_rss_mb() -> float:
    """Peak resident set size of this process so far, in MB (Linux reports KB, macOS bytes)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "article", nargs="?", default=str(ROOT / "examples/cbc-coalition-paris.txt")
    )
    parser.add_argument("--voice", default="joe")
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()
    options = RenderOptions(script=ScriptOptions(voice=args.voice))
    with tempfile.TemporaryDirectory() as folder:
        for run in range(1, args.repeat + 1):
            started = time.perf_counter()
            result = render(args.article, Path(folder) / "out.mp3", options)
            wall = time.perf_counter() - started
            audio = result.duration_ms / 1000
            print(f"run {run}: {args.article} voice={args.voice}")
            print(f"  sentences        {len(result.cues)}")
            print(f"  audio seconds    {audio:8.2f}")
            print(f"  wall seconds     {wall:8.2f}")
            print(f"  real-time factor {wall / audio:8.4f}  (wall / audio; lower is faster)")
            for stage, seconds in result.timings.items():
                print(f"  stage {stage:<14} {seconds:8.3f} s  {100 * seconds / wall:5.1f}%")
            print(f"  peak RSS         {peak_rss_mb():8.1f} MB")


if __name__ == "__main__":
    main()
