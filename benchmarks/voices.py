"""Voice benchmark: every voice on the same sentences, and the default voice's speed and memory.

    python benchmarks/voices.py [--article FILE] [--sentences 8] [--voices joe,heart,...]
                                [--pairs 3] [--long-words 0]

Needs the ``bench`` extra (``pip install -e .[bench]``): PocketSphinx and speechmos.

(1) Per voice, in a fresh interpreter of its own: the article's first ``--sentences`` body
    sentences, each synthesized by the engine as a render would give it (its ``spoken``
    string), one after another on one thread. Printed: load time (engine made, model read),
    real-time factor (synthesis seconds / audio seconds), the process's peak RSS, the word
    error rate of PocketSphinx (its US English model, 16 kHz, one decode a sentence) against
    the words the narration says (numbers spelled out, as the normalizer writes them), and
    DNSMOS overall / P.808 (speechmos, on the sentences joined with 0.35 s pauses at 16 kHz).
    A recognizer's error rate measures intelligibility to that recognizer, not to people: it
    ranks voices, its absolute figure says little.
(2) ``--pairs``: raw Kokoro (hibari-tts's G2P and one onnxruntime session on one thread,
    on the narration script's spoken strings, cut at 510 tokens by the engine's rule, one
    process, model load included) and our render of the whole article with ``--jobs 2`` and
    no cache (``speed.py``'s render child), in turn; the median of the pairs' wall ratios.
(3) ``--long-words N``: a render of an N-word input with ``--jobs 2``: its peak RSS; with
    ``--longest K`` only its K sentences with the most phonemes (they decide the peak).
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import speed

from article_audio.apps.render import make_script
from article_audio.config import DEFAULT_VOICE, ScriptOptions
from article_audio.text.narration import words_said

VOICES = ("joe", "heart", "michael", "emma", "george")
MEASURE_RATE = 16_000
PAUSE_S = 0.35


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child(*args: str, script: str = __file__) -> dict[str, Any]:
    """``script``'s ``--child`` mode (this script's by default) in a fresh interpreter; its
    last line is JSON."""
    done = subprocess.run(
        [sys.executable, script, "--child", *args], capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        lines = done.stderr.strip().splitlines() or ["no output"]
        return {"error": lines[-1]}
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def chosen_sentences(article: Path, voice: str, count: int) -> list[tuple[str, str]]:
    """The first ``count`` body sentences (after the title and credit): (spoken, said)."""
    script = make_script(article, ScriptOptions(voice=voice))
    body = [s for chapter in script.chapters[1:] for s in chapter.sentences]
    return [(s.spoken, words_said(s)) for s in body[:count]]


# --------------------------------------------------------------------------- (1) per voice


def child_voice(article: str, voice: str, count: str, folder: str) -> dict[str, Any]:
    """Child: load ``voice``, synthesize the sentences, keep them as 16 kHz float arrays."""
    import numpy as np

    from article_audio.engines import create_engine
    from article_audio.voices import load_profile

    sentences = chosen_sentences(Path(article), voice, int(count))
    profile = load_profile(voice)
    started = time.perf_counter()
    engine = create_engine(profile, Path(folder) / "models")
    loaded = time.perf_counter()
    clips = [engine.synthesize(spoken) for spoken, _ in sentences]
    synthesis = time.perf_counter() - loaded
    audio_s = sum(len(clip) for clip in clips) / 1000
    arrays = [
        np.array(clip.set_frame_rate(MEASURE_RATE).get_array_of_samples()) / 32768.0
        for clip in clips
    ]
    np.savez(Path(folder) / f"{voice}.npz", *arrays)
    return {
        "load": loaded - started,
        "rtf": synthesis / audio_s,
        "audio": audio_s,
        "rss": peak_mb(),
        "said": [said for _, said in sentences],
    }


def words(text: str) -> list[str]:
    return "".join(c.lower() if c.isalnum() or c == "'" else " " for c in text).split()


def edit_distance(reference: list[str], hypothesis: list[str]) -> int:
    row = list(range(len(hypothesis) + 1))
    for i, word in enumerate(reference, start=1):
        previous, row[0] = row[0], i
        for j, heard in enumerate(hypothesis, start=1):
            previous, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, previous + (word != heard))
    return row[-1]


def word_error_rate(arrays: list[Any], said: list[str]) -> float:
    import numpy as np
    from pocketsphinx import Decoder

    decoder = Decoder(samprate=MEASURE_RATE, loglevel="FATAL")
    errors = total = 0
    for audio, text in zip(arrays, said, strict=True):
        pcm = (np.clip(audio, -1, 1) * 32767).astype("<i2").tobytes()
        decoder.start_utt()
        decoder.process_raw(pcm, full_utt=True)
        decoder.end_utt()
        heard = decoder.hyp().hypstr if decoder.hyp() else ""
        reference = words(text)
        errors += edit_distance(reference, words(heard))
        total += len(reference)
    return errors / total


def dnsmos(arrays: list[Any]) -> tuple[float, float]:
    import numpy as np

    from article_audio.engines.onnx_runtime import before_onnxruntime_loads

    before_onnxruntime_loads()  # speechmos runs onnxruntime too
    from speechmos import dnsmos as model

    pause = np.zeros(int(PAUSE_S * MEASURE_RATE))
    joined = np.concatenate([part for audio in arrays for part in (audio, pause)])
    scores = model.run(np.clip(joined, -1, 1).astype(np.float32), sr=MEASURE_RATE)
    return float(scores["ovrl_mos"]), float(scores["p808_mos"])


def voice_rows(args: argparse.Namespace, folder: Path) -> list[str]:
    import numpy as np

    lines = [
        f"{'voice':<9} {'load s':>7} {'RTF':>6} {'audio s':>8} {'peak MB':>8} "
        f"{'WER %':>6} {'DNSMOS ovr':>10} {'P.808':>6}"
    ]
    for voice in args.voices.split(","):
        done = child("voice", args.article, voice, str(args.sentences), str(folder))
        if "error" in done:
            lines.append(f"{voice:<9} FAILED: {done['error']}")
            continue
        stored = np.load(folder / f"{voice}.npz")
        arrays = [stored[f"arr_{i}"] for i in range(len(stored.files))]
        wer = word_error_rate(arrays, done["said"])
        overall, p808 = dnsmos(arrays)
        lines.append(
            f"{voice:<9} {done['load']:7.2f} {done['rtf']:6.3f} {done['audio']:8.1f} "
            f"{done['rss']:8.0f} {100 * wer:6.1f} {overall:10.2f} {p808:6.2f}"
        )
    return lines


# --------------------------------------------------------------------------- (2) raw Kokoro


def child_raw(spoken_file: str, voice: str) -> dict[str, Any]:
    """Child: Kokoro as its own pieces run it: G2P, one session, one thread, in order."""
    import numpy as np
    import onnxruntime

    from article_audio.clauses import split_long_sentence
    from article_audio.engines.kokoro.engine import is_british, voice_file
    from article_audio.engines.kokoro.model import model_bytes
    from article_audio.engines.kokoro.phonemes import Phonemizer, token_ids
    from article_audio.voices import load_profile

    texts = json.loads(Path(spoken_file).read_text(encoding="utf-8"))
    profile = load_profile(voice)
    started = time.perf_counter()
    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = options.inter_op_num_threads = 1
    session = onnxruntime.InferenceSession(model_bytes(), options)
    styles = np.fromfile(voice_file(profile), dtype="<f4").reshape(510, 1, 256)
    phonemize = Phonemizer(british=is_british(profile))
    loaded = time.perf_counter()
    samples = 0
    for text in texts:
        for run in split_long_sentence(phonemize(text), 510):
            ids = token_ids(run)
            feed = {
                "tokens": np.array([[0, *ids, 0]], dtype=np.int64),
                "style": styles[min(len(ids), 509)],
                "speed": np.array([1.0], dtype=np.float32),
            }
            samples += int(session.run(None, feed)[0].size)
    wall = time.perf_counter() - started
    return {"wall": wall, "load": loaded - started, "audio": samples / 24e3}


def speed_pairs(args: argparse.Namespace, folder: Path) -> list[str]:
    article = Path(args.article)
    spoken = [s.spoken for s in make_script(article, ScriptOptions(voice=args.voice)).sentences]
    spoken_file = folder / "spoken.json"
    spoken_file.write_text(json.dumps(spoken), encoding="utf-8")
    raws, renders = [], []
    for _ in range(args.pairs):
        raws.append(child("raw", str(spoken_file), args.voice))
        renders.append(speed.render_in_subprocess(article, folder / "r.mp3", None, args.voice, 2))
    failed = [done["error"] for done in raws + renders if "error" in done]
    if failed:
        return [f"speed pairs FAILED: {failed[0]}"]
    ratios = [r["wall"] / raw["wall"] for raw, r in zip(raws, renders, strict=True)]
    return [
        f"raw Kokoro ({args.voice}), one thread: walls "
        + ", ".join(f"{raw['wall']:.1f}" for raw in raws)
        + f" s (load {raws[0]['load']:.1f} s, audio {raws[0]['audio']:.1f} s)",
        "render --jobs 2 --no-cache: walls "
        + ", ".join(f"{r['wall']:.1f}" for r in renders)
        + f" s, peak RSS {max(r['rss_self'] for r in renders):.0f} MB",
        f"  pairs' ratios {', '.join(f'{x:.3f}' for x in ratios)}; "
        f"median {statistics.median(ratios):.3f} (target <= 1.0)",
    ]


def longest_of(source: Path, voice: str, count: int, target: Path) -> Path:
    """An article of the ``count`` sentences of ``source`` with the longest spoken strings,
    one paragraph each: a run's working memory grows with its phonemes, so these decide the
    peak of a render of ``source`` in a fraction of its time."""
    script = make_script(source, ScriptOptions(voice=voice))
    longest = sorted(script.sentences, key=lambda s: len(s.spoken), reverse=True)[:count]
    paragraphs = [s.text for s in longest]
    target.write_text("\n\n".join(["The longest sentences", *paragraphs]) + "\n", "utf-8")
    return target


def long_rows(args: argparse.Namespace, folder: Path) -> list[str]:
    source, built = speed.long_input(
        Path(speed.CORPUS), Path(args.article), args.long_words, folder / "long.txt"
    )
    if args.longest:
        source = longest_of(source, args.voice, args.longest, folder / "longest.txt")
        built += f", only its {args.longest} longest sentences"
    done = speed.render_in_subprocess(source, folder / "long.mp3", folder / "cache", args.voice, 2)
    if "error" in done:
        return [f"long input FAILED: {done['error']}"]
    return [
        f"{args.long_words}-word input ({built}), --jobs 2, {args.voice}: wall "
        f"{done['wall']:.0f} s, audio {done['audio']:.0f} s, peak RSS {done['rss_self']:.0f} MB "
        "(target < 1000)"
    ]


CHILDREN = {"voice": child_voice, "raw": child_raw}


def main() -> None:
    if len(sys.argv) > 2 and sys.argv[1] == "--child":
        print(json.dumps(CHILDREN[sys.argv[2]](*sys.argv[3:])))
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--article", default=str(speed.EXAMPLE))
    parser.add_argument("--sentences", type=int, default=8)
    parser.add_argument("--voices", default=",".join(VOICES))
    parser.add_argument("--voice", default=DEFAULT_VOICE, help="for the speed and memory runs")
    parser.add_argument("--pairs", type=int, default=3, help="raw/render pairs (0: none)")
    parser.add_argument("--long-words", type=int, default=0, help="a long input (0: none)")
    parser.add_argument(
        "--longest", type=int, default=0, help="render only the long input's N longest sentences"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="article-audio-voices-") as name:
        folder = Path(name)
        lines = voice_rows(args, folder) if args.voices else []
        if args.pairs:
            lines += speed_pairs(args, folder)
        if args.long_words:
            lines += long_rows(args, folder)
    print("\n".join(lines))


if __name__ == "__main__":
    main()
