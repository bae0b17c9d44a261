"""Kokoro throughput: where a ``--jobs 2`` render of a Kokoro voice loses against raw Kokoro.

    python benchmarks/kokoro_jobs.py [--article FILE] [--voice heart] [--sentences N]
                                     [--pairs 3] [--memory FILE]

(1) The schedule, without the model (cheap, and the same on any machine): the article's model
    runs (tokens, as the engine cuts them) given to two workers in script order, each run
    taking time in proportion to its tokens, while runs in flight together may hold at most
    ``IN_FLIGHT_TOKENS`` (the engine's memory bound; a run alone always goes). Printed per
    budget: the share of the work run alone (one core idle unless the session's thread pool
    lends it to the lone run) and the wall against an unbounded budget.
(2) ``--pairs N``: raw Kokoro (the plain model in a default onnxruntime session, one thread per
    core, on the very runs our engine gives the model: ``speed.py``'s child) and our render
    with ``--jobs 2`` from a cache holding only the voice's model file, in turn ``N`` times,
    each in a fresh interpreter; the median of the pairs' wall ratios (issue 18's target:
    <= 0.90) and the load average at each run. ``--sentences N``: the article's first ``N``
    sentences only (a stretch of it, written to a file of its own).
(3) ``--memory FILE``: a ``--jobs 2`` render of ``FILE`` from a cache holding the model file,
    in a fresh interpreter: its peak RSS (the render process with its synthesis threads).

Ratios within one run, medians of alternating pairs: these machines are shared and noisy.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import speed

from article_audio.apps.render import make_script
from article_audio.config import ScriptOptions

#: Budgets compared in (1): the engine's, and the window (510: one run's most).
BUDGETS = (300, 400, 451, 510)


def run_tokens(article: Path, voice: str) -> list[int]:
    """Tokens of each model run of ``article``'s narration, in script order."""
    from article_audio.engines.kokoro.engine import is_british, model_runs
    from article_audio.engines.kokoro.phonemes import Phonemizer, token_ids
    from article_audio.voices import load_profile

    phonemize = Phonemizer(british=is_british(load_profile(voice)))
    spoken = [s.spoken for s in make_script(article, ScriptOptions(voice=voice)).sentences]
    return [len(token_ids(run)) for text in spoken for run in model_runs(phonemize(text))]


def schedule(tokens: list[int], budget: int | None, workers: int = 2) -> tuple[float, float]:
    """``tokens``' runs on ``workers`` workers taking them in order, each running as long as
    its tokens, runs in flight together holding at most ``budget`` tokens (None: no bound;
    a run alone always goes): the wall and the share of it with one run in flight."""
    pending = list(tokens)
    running: list[float] = []  # work left of each run in flight
    held: list[int] = []  # tokens of the runs in flight, alongside
    wall = alone = 0.0
    while pending or running:
        while len(running) < workers and pending:
            if running and budget is not None and sum(held) + pending[0] > budget:
                break
            held.append(pending[0])
            running.append(float(pending.pop(0)))
        step = min(running)
        wall += step
        alone += step if len(running) == 1 else 0.0
        left = [(work - step, size) for work, size in zip(running, held, strict=True)]
        running = [work for work, _ in left if work > 1e-9]
        held = [size for work, size in left if work > 1e-9]
    return wall, alone / wall if wall else 0.0


def schedule_rows(tokens: list[int]) -> list[str]:
    ordered = sorted(tokens)
    rows = [
        f"{len(tokens)} model runs, {sum(tokens)} tokens; median {ordered[len(ordered) // 2]},"
        f" 90th percentile {ordered[9 * len(ordered) // 10]}, longest {ordered[-1]}"
    ]
    free, _ = schedule(tokens, None)
    for budget in (*BUDGETS, None):
        wall, alone = schedule(tokens, budget)
        name = "no bound" if budget is None else f"budget {budget}"
        share = f"{100 * alone:5.1f}%"
        rows.append(f"  {name:<11} run alone {share} of the wall, wall x{wall / free:.3f}")
    return rows


def stretch(article: Path, voice: str, sentences: int, target: Path) -> Path:
    """The article's first ``sentences`` sentences, a paragraph each, as a file of its own."""
    script = make_script(article, ScriptOptions(voice=voice))
    texts = [sentence.text for sentence in script.sentences[:sentences]]
    target.write_text("\n\n".join(texts) + "\n", encoding="utf-8")
    return target


def load() -> str:
    return f"{os.getloadavg()[0]:.1f}"


def pairs(article: Path, voice: str, count: int, folder: Path) -> list[str]:
    """(2): raw Kokoro and the ``--jobs 2`` render in turn, ``count`` times."""
    runs = speed.kokoro_runs(article, ScriptOptions(voice=voice), folder)
    speed.child("models", str(folder / "seed"), voice)
    lines, ratios = [], []
    for index in range(count):
        before = load()
        raw = speed.child("raw-kokoro", str(runs), voice)
        between = load()
        cache = speed.seeded_cache(folder, f"pair-{index}")
        done = speed.render_in_subprocess(article, folder / "out.mp3", cache, voice, 2)
        if "error" in raw or "error" in done:
            lines.append(f"pair {index + 1}: FAILED {raw.get('error') or done.get('error')}")
            continue
        ratios.append(done["wall"] / raw["wall"])
        lines.append(
            f"pair {index + 1}: raw {raw['wall']:.1f} s (load {before}), render {done['wall']:.1f}"
            f" s (load {between}), ratio {ratios[-1]:.3f}; {done['stages']};"
            f" peak RSS {done['rss_self']:.0f} MB"
        )
    if ratios:
        lines.append(
            f"render --jobs 2 / raw Kokoro, median of {len(ratios)}: "
            f"{statistics.median(ratios):.3f} (target <= {speed.RAW_RATIO})"
        )
    return lines


def memory(source: Path, voice: str, folder: Path) -> str:
    """(3): the peak RSS of a ``--jobs 2`` render of ``source`` with a warm model cache."""
    speed.child("models", str(folder / "seed"), voice)
    cache = speed.seeded_cache(folder, "memory")
    done: dict[str, Any] = speed.render_in_subprocess(source, folder / "m.mp3", cache, voice, 2)
    if "error" in done:
        return f"memory: FAILED {done['error']}"
    return (
        f"{source.name}: {done['words']} words, --jobs 2, peak RSS {done['rss_self']:.0f} MB,"
        f" wall {done['wall']:.1f} s"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--article", default=str(speed.EXAMPLE))
    parser.add_argument("--voice", default="heart")
    parser.add_argument("--sentences", type=int, default=0, help="the first N only (0: all)")
    parser.add_argument("--pairs", type=int, default=0, help="raw/render pairs to run")
    parser.add_argument("--memory", help="a file to render for its peak RSS")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="article-audio-kokoro-jobs-") as name:
        folder = Path(name)
        article = Path(args.article)
        if args.sentences:
            article = stretch(article, args.voice, args.sentences, folder / article.name)
        print(f"(1) schedule of {article.name}, two workers:")
        for row in schedule_rows(run_tokens(article, args.voice)):
            print(row)
        if args.pairs:
            print(f"(2) raw Kokoro and render --jobs 2 in turn ({args.voice}):")
            for line in pairs(article, args.voice, args.pairs, folder):
                print(f"  {line}")
        if args.memory:
            print(f"(3) {memory(Path(args.memory), args.voice, folder)}")


if __name__ == "__main__":
    main()
