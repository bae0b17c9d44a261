"""The numpy signal processing of audio/dsp.py gives scipy's results (scipy is the reference).

The K-weighting cascade equals ``lfilter`` section after section to 1e-11 of full scale (both
round differently: the high pass's poles sit near 1), whole or fed in pieces of any size; the
oversampling filter equals ``firwin``; the upsampling ``upfirdn`` and ``resample_poly``
to rounding, as does the rational resampler at any ratio; the running minimum
``minimum_filter1d`` exactly. Mastering and the stream meter
then import no scipy.
"""

from __future__ import annotations

import subprocess
import sys
from itertools import pairwise

import numpy as np
import pytest
from scipy.ndimage import minimum_filter1d
from scipy.signal import firwin, lfilter, resample_poly, upfirdn

from article_audio.audio import dsp
from article_audio.audio.loudness import _k_sections, k_weighting

RATES = (8000, 22050, 24000, 44100, 48000)
#: Signals of unit scale: white noise (every frequency at once) and a low hum with a step
#: (the high pass's slowest part), at lengths around the FFT's chunk and block sizes.
LENGTHS = (1, 2, 3, 64, 1000, 65_535, 65_536, 70_001, 200_003)


def _signal(length: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    t = np.arange(length)
    hum = 0.5 * np.sin(2 * np.pi * t / 400.0) + (t > length // 2)
    return 0.5 * rng.standard_normal(length) + hum


def _lfilter_k(samples: np.ndarray, rate: int) -> np.ndarray:
    for b, a in k_weighting(rate):
        samples = lfilter(b, a, samples)
    return samples


@pytest.mark.parametrize("rate", RATES)
@pytest.mark.parametrize("length", LENGTHS)
def test_k_weighting_equals_lfilter(rate: int, length: int) -> None:
    samples = _signal(length, length)
    got = dsp.Cascade(_k_sections(rate))(samples)
    assert got.shape == samples.shape
    np.testing.assert_allclose(got, _lfilter_k(samples, rate), rtol=0, atol=1e-11)


@pytest.mark.parametrize("rate", (22050, 48000))
@pytest.mark.parametrize(
    "cuts",
    [
        (0, 1, 3, 100, 4097, 30_000, 150_000, 300_000),
        (0, 200_000, 200_001, 200_005, 210_000, 210_002, 300_000),  # long, then tiny pieces
        (0, 299_999, 300_000),
    ],
)
def test_k_weighting_in_pieces_equals_the_whole(rate: int, cuts: tuple[int, ...]) -> None:
    samples = _signal(cuts[-1], 7)
    cascade = dsp.Cascade(_k_sections(rate))
    got = np.concatenate([cascade(samples[a:b]) for a, b in pairwise(cuts)])
    np.testing.assert_allclose(got, _lfilter_k(samples, rate), rtol=0, atol=1e-11)


def test_empty_pieces() -> None:
    cascade = dsp.Cascade(_k_sections(22050))
    assert cascade(np.zeros(0)).shape == (0,)
    samples = _signal(5000, 3)
    got = np.concatenate([cascade(samples[:10]), cascade(np.zeros(0)), cascade(samples[10:])])
    np.testing.assert_allclose(got, _lfilter_k(samples, 22050), rtol=0, atol=1e-11)


def test_unstable_filter_is_refused() -> None:
    with pytest.raises(ValueError, match="not stable"):
        dsp.Cascade((((1.0, 0.0, 0.0), (1.0, -2.0, 1.0)),))


@pytest.mark.parametrize(
    ("taps", "cutoff", "beta"), [(81, 0.25, 5.0), (41, 0.5, 5.0), (61, 0.1, 8.6)]
)
def test_kaiser_lowpass_equals_firwin(taps: int, cutoff: float, beta: float) -> None:
    expected = firwin(taps, cutoff, window=("kaiser", beta))
    np.testing.assert_allclose(dsp.kaiser_lowpass(taps, cutoff, beta), expected, rtol=0, atol=1e-15)


@pytest.mark.parametrize("length", (1, 2, 10, 21, 1001, 44_100))
def test_upsampling_equals_upfirdn_and_resample_poly(length: int) -> None:
    samples = _signal(length, 11)
    kernel = firwin(81, 0.25, window=("kaiser", 5.0)) * 4
    full = upfirdn(kernel, samples, 4)
    np.testing.assert_allclose(dsp.upsampled(samples, kernel, 4), full, rtol=0, atol=1e-13)
    resampled = resample_poly(samples, 4, 1)
    for phase, values in enumerate(dsp.oversampled_phases(samples, kernel, 4)):
        np.testing.assert_allclose(values, resampled[phase::4], rtol=0, atol=1e-13)


@pytest.mark.parametrize("length", (1, 2, 7, 160, 1001, 48_007))
@pytest.mark.parametrize(("up", "down"), ((147, 160), (160, 147), (1, 2), (3, 1), (441, 480)))
def test_rational_resampling_equals_resample_poly(length: int, up: int, down: int) -> None:
    # (147, 160): Kokoro's 24 kHz to the narration's 22,050 Hz.
    samples = _signal(length, length + up)
    expected = resample_poly(samples, up, down)
    result = dsp.resampled(samples, up, down)
    assert result.shape == expected.shape
    np.testing.assert_allclose(result, expected, rtol=0, atol=1e-12)


def test_resampling_at_the_same_rate_is_a_copy() -> None:
    samples = _signal(100, 3)
    result = dsp.resampled(samples, 5, 5)
    assert result is not samples and np.array_equal(result, samples)


def test_oversampling_needs_a_whole_reach() -> None:
    with pytest.raises(ValueError, match="whole number"):
        dsp.oversampled_phases(np.zeros(10), np.ones(7), 4)


@pytest.mark.parametrize("length", (1, 2, 5, 220, 221, 441, 1000, 44_101))
@pytest.mark.parametrize("size", (1, 3, 441, 883))
def test_running_minimum_equals_minimum_filter1d(length: int, size: int) -> None:
    values = np.random.default_rng(length + size).random(length)
    values[::7] = 1.0  # ties
    expected = minimum_filter1d(values, size=size, mode="nearest")
    assert np.array_equal(dsp.running_minimum(values, size), expected)


def test_running_minimum_needs_an_odd_size() -> None:
    with pytest.raises(ValueError, match="odd"):
        dsp.running_minimum(np.zeros(4), 4)


def test_mastering_and_metering_import_no_scipy() -> None:
    code = (
        "import sys\n"
        "import numpy as np\n"
        "from article_audio.audio import loudness\n"
        "samples = np.sin(np.arange(44100) / 7.0) * 0.5\n"
        "loudness.master_sentence(samples, -16.0, -1.0)\n"
        "meter = loudness.LoudnessMeter()\n"
        "meter.add(samples)\n"
        "meter.measurement()\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'scipy'))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
