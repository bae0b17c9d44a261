"""Loudness: BS.1770 measurement checked against ffmpeg, true peak, the limiter, levelling."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

from article_audio.audio.loudness import (
    SENTENCE_MAX_GAIN_DB,
    LoudnessMeter,
    Measurement,
    TruePeakMeter,
    integrated_loudness,
    limiter_gain,
    master_sentence,
    pcm_to_float,
    to_pcm,
    true_peak,
)
from article_audio.audio.segment import SAMPLE_RATE

from .conftest import ebur128

RATE = SAMPLE_RATE


def sine(freq: float, seconds: float, amplitude: float, phase: float = 0.0) -> np.ndarray:
    t = np.arange(int(seconds * RATE)) / RATE
    return amplitude * np.sin(2 * np.pi * freq * t + phase)


def speechlike(seconds: float, seed: int = 1) -> np.ndarray:
    """Noise bursts with gaps and sharp transients: a high peak-to-loudness ratio like speech."""
    rng = np.random.default_rng(seed)
    signal = rng.normal(0, 0.05, int(seconds * RATE))
    envelope = (np.sin(2 * np.pi * 3 * np.arange(len(signal)) / RATE) > -0.2).astype(float)
    signal *= envelope
    signal[:: RATE // 7] = 0.9  # clicks
    return signal


def ffmpeg_ebur128(samples: np.ndarray, tmp_path: Path) -> tuple[float, float]:
    """ffmpeg's ebur128 integrated loudness and true peak of ``samples``."""
    raw = tmp_path / "x.f32"
    raw.write_bytes(samples.astype("<f4").tobytes())
    return ebur128("-f", "f32le", "-ar", str(RATE), "-ac", "1", "-i", str(raw))


def test_a_full_scale_1khz_sine_reads_minus_3_lufs() -> None:
    # BS.1770: a 0 dBFS 997 Hz sine in one channel measures -3.01 LKFS (the K-weighting
    # filters, specified at 48 kHz and redesigned for 22.05 kHz, are 0.06 dB off there).
    assert integrated_loudness(sine(997, 5, 1.0)) == pytest.approx(-3.01, abs=0.1)


def test_measurement_agrees_with_ffmpeg_ebur128(tmp_path: Path) -> None:
    signal = speechlike(12)
    integrated, peak = ffmpeg_ebur128(signal, tmp_path)
    assert integrated_loudness(signal) == pytest.approx(integrated, abs=0.15)
    assert true_peak(signal) == pytest.approx(peak, abs=0.15)


def test_silence_has_no_loudness() -> None:
    assert integrated_loudness(np.zeros(RATE)) == -math.inf
    assert true_peak(np.zeros(0)) == -math.inf


def test_true_peak_finds_a_peak_between_samples() -> None:
    # A quarter-rate sine sampled 45 degrees off its crests: samples reach 0.707, the wave 1.0.
    signal = sine(RATE / 4, 1, 1.0, phase=np.pi / 4)
    assert 20 * math.log10(np.abs(signal).max()) == pytest.approx(-3.01, abs=0.01)
    assert true_peak(signal) == pytest.approx(0.0, abs=0.15)  # the interpolator's ripple


def test_the_limiter_gain_never_exceeds_what_is_required() -> None:
    rng = np.random.default_rng(7)
    required = np.minimum(1.0, rng.uniform(0.2, 1.6, 20_000))
    curve = limiter_gain(required, 101)
    assert np.all(curve <= required + 1e-12)
    assert curve.max() <= 1.0


def test_the_stream_meter_equals_a_whole_signal_measurement() -> None:
    signal = speechlike(15)
    meter = LoudnessMeter()
    position = 0
    for size in [1, 700, 40_000, 3, 90_000, 20_000] * 10:
        meter.add(signal[position : position + size])
        position += size
    meter.add(signal[position:])
    measured = meter.measurement()
    assert measured.integrated_lufs == pytest.approx(integrated_loudness(signal), abs=0.02)
    assert measured.true_peak_dbtp == pytest.approx(true_peak(signal), abs=0.05)


def test_the_stream_meter_counts_silence_like_any_audio() -> None:
    first, second = speechlike(4, seed=2), speechlike(5, seed=3)
    meter = LoudnessMeter()
    meter.add(first)
    meter.add_silence(RATE)
    meter.add(second)
    whole = np.concatenate([first, np.zeros(RATE), second])
    assert meter.measurement().integrated_lufs == pytest.approx(
        integrated_loudness(whole), abs=0.02
    )
    assert meter.samples == len(whole)


def test_the_meter_of_nothing_or_silence_reads_minus_infinity() -> None:
    meter = LoudnessMeter()
    assert meter.measurement().integrated_lufs == -math.inf
    meter.add_silence(5 * RATE)
    assert meter.measurement() == Measurement(-math.inf, -math.inf)


@pytest.mark.parametrize("target", [-16.0, -18.0, -23.0])
def test_a_sentence_is_mastered_to_the_target_under_the_ceiling(target: float) -> None:
    mastered = master_sentence(speechlike(6), target, -1.5)  # about -25 LUFS before
    assert integrated_loudness(mastered) == pytest.approx(target, abs=0.06)
    assert true_peak(mastered) <= -1.5 + 0.05


def test_quiet_and_loud_sentences_come_out_equally_loud() -> None:
    quiet = master_sentence(sine(300, 1, 0.05), -20.0, -1.0)
    loud = master_sentence(sine(300, 1, 0.5), -20.0, -1.0)
    assert integrated_loudness(quiet) == pytest.approx(integrated_loudness(loud), abs=0.06)


def test_a_sentence_gain_is_limited() -> None:
    whisper = sine(300, 1, 0.001)  # about -63 LUFS: raised only SENTENCE_MAX_GAIN_DB
    raised = integrated_loudness(master_sentence(whisper, -16.0, -1.0))
    assert raised == pytest.approx(integrated_loudness(whisper) + SENTENCE_MAX_GAIN_DB, abs=0.05)


def test_mastering_leaves_silence_and_length_alone() -> None:
    silent = np.zeros(RATE)
    assert np.array_equal(master_sentence(silent, -16, -1), silent)
    assert len(master_sentence(speechlike(3), -16, -1)) == 3 * RATE


def test_pcm_round_trip_is_exact_and_clips() -> None:
    pcm = to_pcm(np.array([0.0, 0.5, -1.0, 1.5]))
    assert pcm_to_float(pcm).tolist() == [0.0, 0.5, -1.0, 32767 / 32768]


@pytest.mark.parametrize("rate", [22050, 48000])
def test_loudness_agrees_with_ffmpeg_ebur128_to_a_few_hundredths(tmp_path: Path, rate: int) -> None:
    # BS.1770's K-weighting designed at the rate, as ffmpeg does (pyloudnorm's approximation
    # of the shelf read 0.09 LU off at 22.05 kHz)
    rng = np.random.default_rng(5)
    signal = rng.normal(0, 0.05, 10 * rate) * (np.arange(10 * rate) % rate < 0.7 * rate)
    raw = tmp_path / "x.f32"
    raw.write_bytes(signal.astype("<f4").tobytes())
    integrated, _ = ebur128("-f", "f32le", "-ar", str(rate), "-ac", "1", "-i", str(raw))
    assert integrated_loudness(signal, rate) == pytest.approx(integrated, abs=0.06)
    meter = LoudnessMeter(rate)
    meter.add(signal)
    assert meter.measurement().integrated_lufs == pytest.approx(integrated, abs=0.06)


def test_the_true_peak_of_a_stream_in_any_pieces_is_that_of_the_whole() -> None:
    # pieces cut mid-speech: each piece's edge is measured once the samples after it are known
    signal = speechlike(6, seed=4)
    whole = true_peak(signal)
    rng = np.random.default_rng(9)
    meter = TruePeakMeter()
    position = 0
    while position < len(signal):
        size = int(rng.integers(1, 5000))
        meter.add(signal[position : position + size])
        position += size
    assert meter.dbtp() == whole
    assert true_peak(signal[:3]) == true_peak(signal[:3])  # shorter than the filter's reach


def test_the_true_peak_meter_tells_where_a_stream_passes_a_level() -> None:
    quiet = sine(300, 2, 0.1)
    hot = quiet.copy()
    hot[30_000:30_050] = sine(5000, 1, 0.95)[:50]  # a burst near -0.4 dBFS, 1.36 s in
    meter = TruePeakMeter(level_dbtp=-3.0)
    for start in range(0, len(hot), 7000):
        meter.add(hot[start : start + 7000])
    over = meter.over()
    assert over and all(first <= 30_050 and last >= 30_000 for first, last, _ in over)
    assert max(dbtp for _, _, dbtp in over) == pytest.approx(meter.dbtp())
    calm = TruePeakMeter(level_dbtp=-3.0)
    calm.add(quiet)
    assert calm.over() == []
