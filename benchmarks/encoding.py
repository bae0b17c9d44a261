"""Encoding benchmark: LAME's speed setting (ffmpeg's ``-compression_level``, LAME's ``-q``)
against what it costs the listener, on the example's narration.

    python benchmarks/encoding.py [--article FILE] [--voice joe] [--levels 2,3,5,7]
                                  [--repeat 5] [--cache DIR] [--no-wer]

Needs the ``bench`` extra for the word error rate (``pip install -e .[bench]``: PocketSphinx).

The article is rendered once to WAV (``--cache``: a sentence cache to render from, so a second
run synthesizes nothing): that is the narration as the encoder is given it, mastered. Then, per
LAME quality level, the narration is encoded as a render encodes it (64 kbps mono at 22050 Hz)
with that ``-compression_level`` (``default``: none given, LAME's own default, 3), and printed:

* encoding CPU seconds (ffmpeg's user + system time, median of ``--repeat`` runs taken in turn
  with the other levels, so a busy moment of a shared machine falls on every level alike), and
  the same relative to the level ffmpeg uses when none is given (LAME's own default);
* what the listener loses, the file decoded by our ffmpeg (sample-aligned: the LAME header's
  delay and padding taken off) against the narration: signal-to-noise ratio over the file
  and segmental SNR (mean over 20 ms frames louder than -50 dBFS, each clamped to -10..35
  dB), the log-spectral distance (dB, RMS over those frames of 512-point spectra), and
  PocketSphinx's word error rate (its US English model, one decode per sentence at 16 kHz)
  against the words the narration says, beside the narration's own (``-`` row): a recognizer
  that hears the encoded files no worse than the narration is evidence, not proof, that
  people do not either.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from voices import edit_distance, words

from article_audio.apps.render import RenderResult, render
from article_audio.audio.segment import SAMPLE_RATE, use_ffmpeg
from article_audio.config import DEFAULT_BITRATE_KBPS, RenderOptions, ScriptOptions
from article_audio.text.narration import words_said

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "cbc-coalition-paris.txt"
ASR_RATE = 16_000
FRAME = 441  # 20 ms at 22050 Hz
ACTIVE_DBFS = -50.0
#: Spectral bins within this many dB of their frame's loudest count in the "loud" LSD.
LOUD_BINS_DB = 40.0


def narration(article: Path, voice: str, cache: Path, folder: Path) -> tuple[Path, RenderResult]:
    """The article rendered to WAV: the mastered narration, and the render's cues."""
    options = RenderOptions(
        script=ScriptOptions(voice=voice), audio_format="wav", jobs=2, cache_dir=str(cache)
    )
    wav = folder / "narration.wav"
    return wav, render(article, wav, options)


def ffmpeg(*args: str) -> bytes:
    command = [use_ffmpeg(), "-hide_banner", "-loglevel", "error", "-y", *args]
    return subprocess.run(command, capture_output=True, check=True).stdout


def encode(pcm: Path, level: int | None, target: Path) -> tuple[float, float]:
    """Encode the raw 16-bit narration at ``pcm`` at LAME quality ``level`` (None: ffmpeg's
    default); its CPU seconds (user + system) and wall seconds."""
    quality = [] if level is None else ["-compression_level", str(level)]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    ffmpeg(
        *("-f", "s16le", "-ar", str(SAMPLE_RATE), "-ac", "1", "-i", str(pcm)),
        *("-b:a", f"{DEFAULT_BITRATE_KBPS}k", "-ac", "1", "-c:a", "libmp3lame", *quality),
        *("-f", "mp3", str(target)),
    )
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime, wall


def decoded(path: Path, rate: int = SAMPLE_RATE) -> np.ndarray[Any, np.dtype[np.float64]]:
    raw = ffmpeg("-i", str(path), "-ac", "1", "-ar", str(rate), "-f", "f32le", "pipe:1")
    return np.frombuffer(raw, dtype="<f4").astype(np.float64)


def distances(source: np.ndarray[Any, Any], heard: np.ndarray[Any, Any]) -> dict[str, float]:
    """SNR, segmental SNR and log-spectral distance of ``heard`` against ``source``."""
    if len(heard) != len(source):
        raise SystemExit(f"decoded {len(heard)} samples for {len(source)}: not sample-aligned")
    noise = heard - source
    snr = 10 * np.log10(np.sum(source**2) / np.sum(noise**2))
    count = len(source) // FRAME
    frames = source[: count * FRAME].reshape(count, FRAME)
    errors = noise[: count * FRAME].reshape(count, FRAME)
    power = np.mean(frames**2, axis=1)
    active = power > 10 ** (ACTIVE_DBFS / 10)
    with np.errstate(divide="ignore"):
        segments = 10 * np.log10(power[active] / np.maximum(np.mean(errors[active] ** 2, 1), 1e-20))
    window = np.hanning(512)
    starts = [i * FRAME for i in np.flatnonzero(active) if i * FRAME + 512 <= len(source)]
    spectra = [np.abs(np.fft.rfft(window * source[s : s + 512])) for s in starts]
    heard_spectra = [np.abs(np.fft.rfft(window * heard[s : s + 512])) for s in starts]
    floor = 1e-6
    lsd, loud = [], []
    for a, b in zip(spectra, heard_spectra, strict=True):
        difference = 20 * np.log10(np.maximum(a, floor)) - 20 * np.log10(np.maximum(b, floor))
        lsd.append(np.sqrt(np.mean(difference**2)))
        near = a > a.max() * 10 ** (-LOUD_BINS_DB / 20)  # what is audible beside the peak
        loud.append(np.sqrt(np.mean(difference[near] ** 2)))
    return {
        "snr": float(snr),
        "segsnr": float(np.mean(np.clip(segments, -10, 35))),
        "lsd": float(np.mean(lsd)),
        "lsd_loud": float(np.mean(loud)),
    }


def mos(audio: np.ndarray[Any, Any]) -> float:
    """DNSMOS P.808 (speechmos) of ``audio`` at 16 kHz."""
    from article_audio.engines.onnx_runtime import before_onnxruntime_loads

    before_onnxruntime_loads()
    from speechmos import dnsmos

    return float(dnsmos.run(np.clip(audio, -1, 1).astype(np.float32), sr=ASR_RATE)["p808_mos"])


def word_error_rate(audio: np.ndarray[Any, Any], result: RenderResult) -> float:
    """PocketSphinx on each sentence of ``audio`` (16 kHz) against the words it says."""
    from pocketsphinx import Decoder

    decoder = Decoder(samprate=ASR_RATE, loglevel="FATAL")
    errors = total = 0
    for cue, sentence in zip(result.cues, result.script.sentences, strict=True):
        first, last = cue.start_ms * ASR_RATE // 1000, cue.end_ms * ASR_RATE // 1000
        pcm = (np.clip(audio[first:last], -1, 1) * 32767).astype("<i2").tobytes()
        decoder.start_utt()
        decoder.process_raw(pcm, full_utt=True)
        decoder.end_utt()
        heard = decoder.hyp().hypstr if decoder.hyp() else ""
        reference = words(words_said(sentence))
        errors += edit_distance(reference, words(heard))
        total += len(reference)
    return errors / total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--article", default=str(EXAMPLE))
    parser.add_argument("--voice", default="joe")
    parser.add_argument("--levels", default="2,3,5,7")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--cache", help="a sentence cache to render from (kept)")
    parser.add_argument("--no-wer", action="store_true", help="skip PocketSphinx")
    args = parser.parse_args()
    levels: list[int | None] = [None, *(int(x) for x in args.levels.split(","))]
    with tempfile.TemporaryDirectory(prefix="article-audio-encoding-") as name:
        folder = Path(name)
        cache = Path(args.cache) if args.cache else folder / "cache"
        wav, result = narration(Path(args.article), args.voice, cache, folder)
        pcm = folder / "narration.pcm"
        pcm.write_bytes(ffmpeg("-i", str(wav), "-f", "s16le", "pipe:1"))
        source = np.frombuffer(pcm.read_bytes(), dtype="<i2").astype(np.float64) / 32768
        costs: dict[int | None, list[float]] = {level: [] for level in levels}
        for _ in range(args.repeat):
            for level in levels:
                costs[level].append(encode(pcm, level, folder / f"q{level}.mp3")[0])
        at_16k = decoded(wav, ASR_RATE)
        reference = None if args.no_wer else word_error_rate(at_16k, result)
        default = statistics.median(costs[None])
        print(f"{len(source) / SAMPLE_RATE:.1f} s of narration, {len(result.cues)} sentences")
        print(
            f"{'level':>7} {'CPU s':>7} {'vs default':>10} {'bytes':>9} {'SNR dB':>7} "
            f"{'segSNR':>7} {'LSD dB':>7} {'LSD40':>6} {'P.808':>6} {'WER %':>6}"
        )
        wer = "" if reference is None else f"{100 * reference:6.1f}"
        print(
            f"{'-':>7} {'':>7} {'':>10} {'':>9} {'':>7} {'':>7} {'':>7} {'':>6} "
            f"{mos(at_16k):6.2f} {wer:>6}"
        )
        for level in levels:
            path = folder / f"q{level}.mp3"
            cpu = statistics.median(costs[level])
            figures = distances(source, decoded(path))
            heard = decoded(path, ASR_RATE)
            wer = "" if args.no_wer else f"{100 * word_error_rate(heard, result):6.1f}"
            name = "default" if level is None else f"q{level}"
            print(
                f"{name:>7} {cpu:7.3f} {cpu / default:10.2f} {path.stat().st_size:9d} "
                f"{figures['snr']:7.2f} {figures['segsnr']:7.2f} {figures['lsd']:7.2f} "
                f"{figures['lsd_loud']:6.2f} {mos(heard):6.2f} {wer:>6}"
            )


if __name__ == "__main__":
    sys.exit(main())
