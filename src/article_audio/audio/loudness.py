"""Loudness: every sentence mastered on its own, the narration measured as it streams.

The narration is never held in memory whole (a long feature is hours of audio), so loudness is
worked out sentence by sentence, which the pauses between sentences make exact:

1. **Sentence mastering** (:func:`master_sentence`). Piper normalizes every sentence to a
   full-scale peak, so sentences with one sharp consonant come out quieter than their
   neighbours (on the example article they spread from -25.5 to -18.1 LUFS). Each sentence is
   brought to one loudness (ITU-R BS.1770-4, measured with pyloudnorm), at most
   :data:`SENTENCE_MAX_GAIN_DB` either way, under a true-peak limiter: speech has a high
   peak-to-loudness ratio (about 21 LU for Piper), so -16 LUFS under -1 dBTP needs about 6 dB of
   peak limiting. The limiter is offline and zero-latency: its gain curve is the minimum of the
   required gain over a window, smoothed with a triangular kernel no wider than that window, so
   it never exceeds the required gain and moves no sample in time. Limiting lowers the loudness
   a little, so the gain is found by a secant search. A limiter window (10 ms) is far shorter
   than the shortest pause (hundreds of ms), so limiting sentence by sentence is the same as
   limiting the whole narration.
2. **Measuring the stream** (:class:`LoudnessMeter`). What is sent to the encoder is measured
   as it goes: K-weighting filters that keep their state from one piece to the next, energy
   summed per 100 ms, and the BS.1770 gating (400 ms blocks, 75 % overlap, -70 LUFS absolute
   and -10 LU relative gates) applied at the end, on a few numbers per second of audio.

A narration of sentences all at one loudness measures a little quieter than they do (blocks
that straddle a pause count too), and encoders move loudness and peaks (LAME through ffmpeg
scales by about 0.95, -0.45 dB); the encode stage aims the sentences to take both into account
and, when the measured stream still misses the target, masters and encodes once more with the
error corrected (:mod:`article_audio.audio.encode`).

pyloudnorm and scipy (a second to import) are imported when first used, so commands that
never master audio (``script``, a render copied from the cache) start fast.

pyloudnorm agrees with ffmpeg's BS.1770 meters (``ebur128``, ``loudnorm``) to 0.01 LU on our
audio, and the 4x oversampled true peak with ffmpeg's 192 kHz one to 0.01 dB.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from article_audio.audio.segment import SAMPLE_RATE, AudioSegment

__all__ = [
    "LoudnessMeter",
    "Measurement",
    "integrated_loudness",
    "limiter_gain",
    "master_sentence",
    "to_float",
    "true_peak",
]

Samples = NDArray[np.float64]

#: The most a sentence is raised or lowered to reach the sentence loudness (dB).
SENTENCE_MAX_GAIN_DB = 12.0
#: True peak is measured on the signal oversampled this many times, as BS.1770-4 specifies
#: (on our speech, 8x and ffmpeg's 192 kHz resampling read the same peaks to 0.01 dB).
OVERSAMPLING = 4
#: Half the width of the limiter's gain window: gain changes ramp over about twice this.
LIMITER_WINDOW_MS = 10
#: A sentence's gain search stops this close to its target (LU), or after this many steps.
SEARCH_TOLERANCE_LU = 0.05
SEARCH_STEPS = 6
#: BS.1770: 400 ms gating blocks overlapping by 75 %, so a new block every 100 ms.
_BLOCK_S = 0.4
_STEPS_PER_BLOCK = 4
_ABSOLUTE_GATE_LUFS = -70.0
_RELATIVE_GATE_LU = -10.0
_FULL_SCALE = 32768.0


@dataclass(frozen=True)
class Measurement:
    """Integrated loudness (LUFS, ITU-R BS.1770-4) and true peak (dBTP) of some audio."""

    integrated_lufs: float
    true_peak_dbtp: float


def to_float(audio: AudioSegment) -> Samples:
    """Mono 16-bit ``audio`` as floats in [-1, 1)."""
    pcm = np.frombuffer(audio.raw_data, dtype="<i2")
    return pcm.astype(np.float64) / _FULL_SCALE


def to_pcm(samples: Samples) -> bytes:
    """Floats as mono 16-bit little-endian PCM (rounded, clipped to the 16-bit range)."""
    pcm = np.clip(np.rint(samples * _FULL_SCALE), -_FULL_SCALE, _FULL_SCALE - 1).astype("<i2")
    return pcm.tobytes()


def pcm_to_float(pcm: bytes) -> Samples:
    """Mono 16-bit little-endian PCM as floats in [-1, 1)."""
    return np.frombuffer(pcm, dtype="<i2").astype(np.float64) / _FULL_SCALE


def integrated_loudness(samples: Samples, rate: int = SAMPLE_RATE) -> float:
    """BS.1770-4 gated integrated loudness in LUFS (``-inf`` for silence or no samples).

    Audio shorter than one 400 ms block is measured as a single block of its own length.
    """
    if len(samples) < 2:
        return float("-inf")
    import pyloudnorm

    block = min(_BLOCK_S, len(samples) / rate)
    with warnings.catch_warnings(), np.errstate(divide="ignore", invalid="ignore"):
        warnings.simplefilter("ignore", RuntimeWarning)  # log10(0) on silent blocks
        value = float(pyloudnorm.Meter(rate, block_size=block).integrated_loudness(samples))
    return value if math.isfinite(value) else float("-inf")


def _peak_envelope(samples: Samples) -> Samples:
    """For each sample, the highest magnitude of the oversampled signal in its period."""
    from scipy.signal import resample_poly

    upsampled = np.abs(resample_poly(samples, OVERSAMPLING, 1))
    # the maximum of each sample's OVERSAMPLING values, as elementwise maxima of strided views
    # (numpy reduces a short last axis, ``reshape(-1, 4).max(axis=1)``, much more slowly)
    envelope: Samples = np.maximum(upsampled[0::OVERSAMPLING], np.abs(samples))
    for phase in range(1, OVERSAMPLING):
        np.maximum(envelope, upsampled[phase::OVERSAMPLING], out=envelope)
    return envelope


def _linear_peak(samples: Samples) -> float:
    """The highest magnitude of ``samples`` and of the signal oversampled 4 times."""
    if len(samples) == 0:
        return 0.0
    from scipy.signal import resample_poly

    peak = float(np.abs(resample_poly(samples, OVERSAMPLING, 1)).max())
    return max(peak, float(np.abs(samples).max()))


def true_peak(samples: Samples) -> float:
    """True peak in dBTP: the highest magnitude of the signal oversampled 4 times."""
    peak = _linear_peak(samples)
    return 20 * math.log10(peak) if peak > 0 else float("-inf")


def _db(value: float) -> float:
    return 20 * math.log10(value) if value > 0 else float("-inf")


def _moving_average(values: Samples, width: int) -> Samples:
    """Centred moving average over ``width`` (odd) samples; the edges repeat the end values."""
    half = width // 2
    padded = np.concatenate([np.full(half, values[0]), values, np.full(half, values[-1])])
    sums = np.cumsum(np.concatenate([[0.0], padded]))
    averaged: Samples = (sums[width:] - sums[:-width]) / width
    return averaged


def limiter_gain(required: Samples, window: int) -> Samples:
    """A smooth gain curve that is nowhere above ``required`` (per-sample gains ≤ 1).

    The minimum over ``2 * window - 1`` samples, then two moving averages of ``window``
    samples (a triangular kernel ``2 * window - 1`` wide): each averaged value is a minimum over
    a window that contains the sample, so the result never exceeds the required gain.
    """
    from scipy.ndimage import minimum_filter1d

    window |= 1
    held = minimum_filter1d(required, size=2 * window - 1, mode="nearest")
    return _moving_average(_moving_average(held, window), window)


def _limited(samples: Samples, envelope: Samples, gain_db: float, ceiling_dbtp: float) -> Samples:
    """``samples`` raised by ``gain_db``, their true peaks (``envelope``) held under the ceiling."""
    gain = 10 ** (gain_db / 20)
    ceiling = 10 ** (ceiling_dbtp / 20)
    required = np.minimum(1.0, ceiling / np.maximum(gain * envelope, 1e-12))
    if required.min() >= 1.0:
        return samples * gain
    window = max(1, SAMPLE_RATE * LIMITER_WINDOW_MS // 1000)
    limited: Samples = samples * (gain * limiter_gain(required, window))
    return limited


def master_sentence(samples: Samples, target_lufs: float, ceiling_dbtp: float) -> Samples:
    """One sentence at ``target_lufs`` (within :data:`SENTENCE_MAX_GAIN_DB`), its true peak at
    most ``ceiling_dbtp``. Silence is returned as it is; the length never changes."""
    loudness = integrated_loudness(samples)
    if not math.isfinite(loudness):
        return samples
    envelope = _peak_envelope(samples)
    low, high = loudness - SENTENCE_MAX_GAIN_DB, loudness + SENTENCE_MAX_GAIN_DB
    aim = min(high, max(low, target_lufs))
    gain = aim - loudness
    result = _limited(samples, envelope, gain, ceiling_dbtp)
    level = integrated_loudness(result)
    previous: tuple[float, float] | None = None
    for _ in range(SEARCH_STEPS):
        if abs(level - aim) <= SEARCH_TOLERANCE_LU:
            break
        slope = 1.0
        if previous is not None and gain != previous[0]:
            # limiting flattens the curve, never inverts it
            slope = min(1.0, max(0.2, (level - previous[1]) / (gain - previous[0])))
        previous = (gain, level)
        gain += (aim - level) / slope
        result = _limited(samples, envelope, gain, ceiling_dbtp)
        level = integrated_loudness(result)
    return result


class LoudnessMeter:
    """BS.1770-4 integrated loudness and true peak of audio that arrives piece by piece.

    Feed it every piece in order (:meth:`add`, :meth:`add_silence`); the K-weighting filters keep
    their state across pieces, so the result is that of the whole stream.
    """

    def __init__(self, rate: int = SAMPLE_RATE) -> None:
        self.rate = rate
        self.step = round(rate * _BLOCK_S / _STEPS_PER_BLOCK)
        import pyloudnorm

        # pyloudnorm's K-weighting (a high shelf and a high pass, redesigned for ``rate``)
        meter = pyloudnorm.Meter(rate)
        self._filters = [(f.b, f.a) for f in meter._filters.values()]
        self._states = [np.zeros(max(len(a), len(b)) - 1) for b, a in self._filters]
        self._pending: Samples = np.zeros(0)
        self._energies: list[Samples] = []
        self._peak = 0.0
        self.samples = 0

    def add(self, samples: Samples, peak: float | None = None) -> None:
        """Measure the next piece. ``peak``: its true peak (linear), if already known."""
        if not len(samples):
            return
        from scipy.signal import lfilter

        weighted = samples
        for index, (b, a) in enumerate(self._filters):
            weighted, self._states[index] = lfilter(b, a, weighted, zi=self._states[index])
        buffer = np.concatenate([self._pending, weighted])
        whole = len(buffer) // self.step * self.step
        self._energies.append(np.square(buffer[:whole]).reshape(-1, self.step).sum(axis=1))
        self._pending = buffer[whole:]
        if peak is None:
            peak = _linear_peak(samples)
        self._peak = max(self._peak, peak)
        self.samples += len(samples)

    def add_silence(self, count: int) -> None:
        """Measure ``count`` samples of digital silence."""
        if count > 0:
            self.add(np.zeros(count), peak=0.0)

    def measurement(self) -> Measurement:
        """Integrated loudness (gated) and true peak of everything added so far."""
        steps = np.concatenate([np.zeros(0), *self._energies])
        peak = 20 * math.log10(self._peak) if self._peak > 0 else float("-inf")
        if len(steps) < _STEPS_PER_BLOCK:
            return Measurement(float("-inf"), peak)
        kernel = np.ones(_STEPS_PER_BLOCK)
        blocks = np.convolve(steps, kernel, mode="valid") / (self.step * _STEPS_PER_BLOCK)
        return Measurement(_gated_loudness(blocks), peak)


def _loudness_of(mean_square: Samples | float) -> Samples:
    with np.errstate(divide="ignore"):
        result: Samples = -0.691 + 10 * np.log10(mean_square)
    return result


def _gated_loudness(blocks: Samples) -> float:
    """BS.1770-4 gating of 400 ms block mean squares: absolute, then relative gate."""
    loud = _loudness_of(blocks)
    kept = blocks[loud > _ABSOLUTE_GATE_LUFS]
    if not len(kept):
        return float("-inf")
    threshold = float(_loudness_of(kept.mean())) + _RELATIVE_GATE_LU
    gated = blocks[(loud > _ABSOLUTE_GATE_LUFS) & (loud > threshold)]
    return float(_loudness_of(gated.mean()))
