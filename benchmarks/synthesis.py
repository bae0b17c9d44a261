"""Synthesis benchmark: a voice's load and first run, with and without its saved optimizations.

    python benchmarks/synthesis.py [--article FILE] [--voices joe,heart] [--pairs 5]

Each figure comes from a fresh interpreter of its own (as a render's process), loading the voice
from a model folder made once, first (the rewritten model and its saved optimized copy: the
cache after a first render), then synthesizing one sentence of the article (its second body
sentence's ``spoken`` string) three times. Printed per voice, medians over ``--pairs``
alternating pairs:

(1) the voice's load (``create_engine``) with the graph optimized at load time, as before
    (``online``: the rewritten model, onnxruntime's optimizations made in the session), and
    loaded from the saved optimized copy with optimization off (``saved``), the ratio
    saved / online within each pair, whether the two sessions' audio is sample-identical,
    and the processes' peak RSS (online / saved);
(2) the first run's premium: the sentence's first synthesis in a fresh session less its
    second, and the same sentence after a tiny warm-up run (one word, as a background load
    could make while the script is built) less its second; and what the warm-up itself took.
    (Tried in renders: a one-word edit with joe read 0.94 and 0.99 of the time without it,
    with heart 1.12: a script is built in about 0.2 s, so the first sentence arrives as the
    voice finishes loading and the warm-up only shares the cores with it. Not adopted.)

The machine is shared and noisy: compare within a pair, read the medians.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import voices
from voices import chosen_sentences

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "cbc-coalition-paris.txt"
#: A tiny warm-up run: one word.
WARM_UP = "Yes."


def child(*args: str) -> dict[str, Any]:
    """This script's ``--child`` mode in a fresh interpreter; its last line is JSON."""
    return voices.child(*args, script=__file__)


def online_sessions() -> None:
    """Make the engines optimize their graphs in every session, as before saved copies."""
    from article_audio.engines.kokoro import model as kokoro
    from article_audio.engines.piper import model as piper

    def plain(onnxruntime: Any, model: str | bytes, options: Any) -> Any:
        return onnxruntime.InferenceSession(model, options(), providers=["CPUExecutionProvider"])

    piper.session_of = plain  # type: ignore[assignment]
    kokoro.session_of = plain  # type: ignore[assignment]


def child_load(voice: str, folder: str, mode: str, warm: str, sentence: str) -> dict[str, Any]:
    """Child: load ``voice`` (``mode`` online or saved), warm it up or not, synthesize
    ``sentence`` three times."""
    from article_audio.engines import create_engine
    from article_audio.voices import load_profile

    if mode == "online":
        online_sessions()
    started = time.perf_counter()
    engine = create_engine(load_profile(voice), Path(folder))
    loaded = time.perf_counter()
    warm_up = 0.0
    if warm == "warm":
        engine.synthesize(WARM_UP)
        warm_up = time.perf_counter() - loaded
    runs, digest = [], hashlib.sha256()
    for _ in range(3):
        begun = time.perf_counter()
        audio = engine.synthesize(sentence).raw_data
        runs.append(time.perf_counter() - begun)
        digest.update(audio)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {
        "load": loaded - started,
        "warm": warm_up,
        "runs": runs,
        "audio": digest.hexdigest(),
        "rss": rss,
    }


def child_models(voice: str, folder: str) -> dict[str, Any]:
    """Child: load ``voice`` once into ``folder``, which makes its model files there."""
    from article_audio.engines import create_engine
    from article_audio.voices import load_profile

    started = time.perf_counter()
    create_engine(load_profile(voice), Path(folder)).close()
    return {"wall": time.perf_counter() - started}


def voice_lines(voice: str, sentence: str, folder: Path, pairs: int) -> list[str]:
    made = child("models", voice, str(folder))
    if "error" in made:
        return [f"{voice}: FAILED: {made['error']}"]
    found: dict[str, list[dict[str, Any]]] = {"online": [], "saved": [], "warm": []}
    for pair in range(pairs):
        order = ["online", "saved"] if pair % 2 == 0 else ["saved", "online"]
        for mode in order:
            found[mode].append(child("load", voice, str(folder), mode, "cold", sentence))
        found["warm"].append(child("load", voice, str(folder), "saved", "warm", sentence))
    failed = [run["error"] for runs in found.values() for run in runs if "error" in run]
    if failed:
        return [f"{voice}: FAILED: {failed[0]}"]
    online, saved, warm = found["online"], found["saved"], found["warm"]
    ratios = [s["load"] / o["load"] for o, s in zip(online, saved, strict=True)]
    same = len({run["audio"] for runs in found.values() for run in runs}) == 1

    def median(runs: list[dict[str, Any]], figure: Any) -> float:
        return statistics.median(figure(run) for run in runs)

    ratio = statistics.median(ratios)
    return [
        f"{voice}: model files made in {made['wall']:.2f} s; sentence {len(sentence)} characters",
        f"  (1) load online {median(online, lambda r: r['load']):.3f} s, saved "
        f"{median(saved, lambda r: r['load']):.3f} s: saved / online {ratio:.2f}"
        f" (pairs {', '.join(f'{r:.2f}' for r in ratios)}); audio identical: {same}; peak RSS "
        f"{median(online, lambda r: r['rss']):.0f} / {median(saved, lambda r: r['rss']):.0f} MB",
        f"  (2) cold: first run {median(saved, lambda r: r['runs'][0]):.3f} s, second "
        f"{median(saved, lambda r: r['runs'][1]):.3f} s, premium "
        f"{median(saved, lambda r: r['runs'][0] - r['runs'][1]):+.3f} s (online sessions "
        f"{median(online, lambda r: r['runs'][0] - r['runs'][1]):+.3f} s)",
        f"      after a warm-up run ({median(warm, lambda r: r['warm']):.3f} s): first "
        f"{median(warm, lambda r: r['runs'][0]):.3f} s, premium "
        f"{median(warm, lambda r: r['runs'][0] - r['runs'][1]):+.3f} s",
    ]


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        modes = {"load": child_load, "models": child_models}
        print(json.dumps(modes[sys.argv[2]](*sys.argv[3:])))
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--article", default=str(EXAMPLE))
    parser.add_argument("--voices", default="joe,heart")
    parser.add_argument("--pairs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="article-audio-synthesis-") as temporary:
        for voice in args.voices.split(","):
            spoken, _ = chosen_sentences(Path(args.article), voice, 2)[1]
            folder = Path(temporary) / voice
            for line in voice_lines(voice, spoken, folder, args.pairs):
                print(line, flush=True)


if __name__ == "__main__":
    main()
