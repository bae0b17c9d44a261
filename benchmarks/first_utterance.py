"""The first utterance at its cut: how headlines are cut, and what the cut does to the audio.

    python benchmarks/first_utterance.py [--voice heart] [--only-cuts]

Needs the ``bench`` extra (PocketSphinx, librosa). For each headline below (the example's and
new ones written in other shapes: an infinitive, a late comma, a colon, title case, short
ones, ones with no phrase boundary in reach), prints how the narration cuts it for the voice
(:func:`article_audio.clauses.first_utterance` within the engine's first-utterance window).
Each headline that is cut is then rendered twice as a title-only narration to WAV, through the
library (:func:`~article_audio.apps.render.render_script`: trimmed, mastered, assembled): as
the narration cuts it, and whole. Printed per headline, cut against whole:

* PocketSphinx's word errors on the title against its words (US English model, 16 kHz);
* the pause at the join: the longest run of quiet 10 ms windows (below -45 dBFS, the
  assembler's trim threshold) from the head's last word to the rest's first word, and in the
  whole title between the same two words (the voice's own pause there);
* pitch (median F0 by librosa's pYIN, Hz) and energy (RMS, dBFS) over the 200 ms before the
  cut and the 200 ms after it, and at the same words of the whole title.
"""

from __future__ import annotations

import argparse
import dataclasses
import math
import sys
import tempfile
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from voices import MEASURE_RATE, edit_distance, words

from article_audio.apps.render import load_article, profile_lexicon, render_script
from article_audio.audio.assemble import TRIM_THRESHOLD_DBFS, Cue
from article_audio.clauses import first_utterance
from article_audio.config import RenderOptions, ScriptOptions
from article_audio.context import open_runtime
from article_audio.engines import first_utterance_chars, phoneme_mode
from article_audio.script import NarrationScript
from article_audio.text.narration import build_script, speak
from article_audio.text.read import Source
from article_audio.voices import load_profile

#: The example's title, then headlines written for this benchmark in other shapes.
HEADLINES = (
    "Coalition partners meet in Paris to discuss giving Ukraine peace plan military backing",
    "City council votes to widen bike lanes across downtown before next spring",
    "Heat wave grips southern Europe as wildfires drive thousands from their homes",
    "What the new chip export rules mean for buyers, sellers and everyone in between",
    "Storm Bert: trains cancelled, roads closed and homes flooded across Wales",
    "Markets Rally After Central Bank Signals Pause In Rate Hikes",
    "Inside the race to build a cheaper battery",
    "Thousands without power after overnight storm",
    "Record-breaking Antarctic sea-ice loss alarms climate scientists worldwide",
    "Government unveils sweeping overhaul of national rail franchising rules",
    "Rates held",
    "Fed holds rates steady again",
)
#: Seconds of audio either side of the cut for pitch and energy.
SIDE_S = 0.2
#: Audio is read in windows of this many seconds for quiet runs.
WINDOW_S = 0.01


def scripts(title: str, voice: str) -> tuple[NarrationScript, NarrationScript]:
    """A title-only narration as the voice cuts it, and with the title whole."""
    profile = load_profile(voice)
    article = load_article(Source(f"{title}\n\nThe story follows.\n", "text", ""))
    lexicon = profile_lexicon(profile)
    made = [
        build_script(
            article,
            profile,
            lexicon,
            phoneme_mode=phoneme_mode(profile),
            first_utterance_chars=window,
        )
        for window in (first_utterance_chars(profile), None)
    ]
    # the title alone: its chapter's first paragraph
    return tuple(  # type: ignore[return-value]
        dataclasses.replace(
            script,
            chapters=(
                dataclasses.replace(
                    script.chapters[0], paragraphs=script.chapters[0].paragraphs[:1]
                ),
            ),
        )
        for script in made
    )


def render_wav(script: NarrationScript, voice: str, path: Path, runtime: Any) -> tuple[Any, ...]:
    options = RenderOptions(ScriptOptions(voice=voice), audio_format="wav")
    result = render_script(script, path, options, runtime=runtime)
    import soundfile

    samples, rate = soundfile.read(path, dtype="float64")
    return samples, rate, result.cues


def quiet_run(samples: Any, rate: int, start_s: float, end_s: float) -> tuple[float, float]:
    """Where the longest run of quiet 10 ms windows between ``start_s`` and ``end_s`` begins
    and ends (seconds; the same point twice, the words' boundary, when nothing is quiet)."""
    window = round(WINDOW_S * rate)
    first = round(start_s * rate)
    part = samples[first : round(end_s * rate)]
    count = len(part) // window
    rms = np.sqrt(np.square(part[: count * window]).reshape(count, window).mean(axis=1))
    best, where, run = 0, None, 0
    for index, loud in enumerate(rms > 10 ** (TRIM_THRESHOLD_DBFS / 20)):
        run = 0 if loud else run + 1
        if run > best:
            best, where = run, index + 1
    if where is None:
        return end_s, end_s
    return (first + (where - best) * window) / rate, (first + where * window) / rate


def pitch_energy(samples: Any, rate: int, start_s: float, end_s: float) -> tuple[float, float]:
    import librosa

    part = samples[max(0, round(start_s * rate)) : round(end_s * rate)]
    f0, voiced, _ = librosa.pyin(
        part, fmin=80, fmax=400, sr=rate, frame_length=1024, hop_length=128, center=True
    )
    pitch = float(np.nanmedian(f0[voiced])) if np.any(voiced) else math.nan
    energy = 20 * math.log10(max(1e-9, float(np.sqrt(np.mean(np.square(part))))))
    return pitch, energy


def word_errors(samples: Any, rate: int, start_s: float, end_s: float, said: str) -> str:
    from pocketsphinx import Decoder

    from article_audio.audio.dsp import resampled

    part = samples[round(start_s * rate) : round(end_s * rate)]
    part = resampled(part, MEASURE_RATE // 1000, rate // 1000) if rate != MEASURE_RATE else part
    decoder = Decoder(samprate=MEASURE_RATE, loglevel="FATAL")
    decoder.start_utt()
    decoder.process_raw((np.clip(part, -1, 1) * 32767).astype("<i2").tobytes(), full_utt=True)
    decoder.end_utt()
    heard = decoder.hyp().hypstr if decoder.hyp() else ""
    reference = words(said)
    return f"{edit_distance(reference, words(heard))}/{len(reference)}"


def spoken_words(cue: Cue) -> list[Any]:
    return [word for word in cue.words if any(c.isalnum() for c in word.text)]


def compare(title: str, voice: str, folder: Path, runtime: Any) -> str:
    cut, whole = scripts(title, voice)
    said = " ".join(s.spoken for s in whole.sentences)
    a, rate, cues = render_wav(cut, voice, folder / "cut.wav", runtime)
    b, rate_b, cues_b = render_wav(whole, voice, folder / "whole.wav", runtime)
    head, rest = spoken_words(cues[0]), spoken_words(cues[1])
    same = spoken_words(cues_b[0])
    before, after = same[len(head) - 1], same[len(head)]
    quiet = quiet_run(a, rate, head[-1].start_ms / 1000, rest[0].end_ms / 1000)
    own = quiet_run(b, rate_b, before.start_ms / 1000, after.start_ms / 1000)
    sides = []
    for samples, sample_rate, (stop, start) in ((a, rate, quiet), (b, rate_b, own)):
        sides.append(pitch_energy(samples, sample_rate, stop - SIDE_S, stop))
        sides.append(pitch_energy(samples, sample_rate, start, start + SIDE_S))
    errors = [
        word_errors(a, rate, cues[0].start_ms / 1000 - 0.1, cues[1].end_ms / 1000, said),
        word_errors(b, rate_b, cues_b[0].start_ms / 1000 - 0.1, cues_b[0].end_ms / 1000, said),
    ]
    ms = [round((end - begin) * 1000) for begin, end in (quiet, own)]
    return (
        f"  word errors cut {errors[0]}, whole {errors[1]}; pause at the join {ms[0]} ms "
        f"(whole: {ms[1]} ms between the same words)\n"
        f"  before the cut: F0 {sides[0][0]:.0f} Hz, {sides[0][1]:.1f} dBFS "
        f"(whole {sides[2][0]:.0f} Hz, {sides[2][1]:.1f} dBFS); after: F0 {sides[1][0]:.0f} Hz, "
        f"{sides[1][1]:.1f} dBFS (whole {sides[3][0]:.0f} Hz, {sides[3][1]:.1f} dBFS)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--voice", default="heart")
    parser.add_argument("--only-cuts", action="store_true", help="print the cuts, render none")
    args = parser.parse_args()
    profile = load_profile(args.voice)
    window = first_utterance_chars(profile)
    lexicon = profile_lexicon(profile)
    mode = phoneme_mode(profile)
    print(f"{args.voice}: first utterance window {window} characters of spoken text")
    if window is None:
        return
    with tempfile.TemporaryDirectory() as name, open_runtime(Path(name) / "cache") as runtime:
        for title in HEADLINES:
            pieces = first_utterance(title, window, lambda p: len(speak(p, lexicon, mode)))
            print(" | ".join(pieces), flush=True)
            if len(pieces) > 1 and not args.only_cuts:
                print(compare(title, args.voice, Path(name), runtime), flush=True)


if __name__ == "__main__":
    main()
