"""Loudness: every sentence mastered on its own, the narration measured as it streams.

The narration is never held in memory whole (a long feature is hours of audio), so loudness is
worked out sentence by sentence, which the pauses between sentences make exact:

1. **Sentence mastering** (:func:`master_sentence`). Piper normalizes every sentence to a
   full-scale peak, so sentences with one sharp consonant come out quieter than their
   neighbours (on the example article they spread from -25.5 to -18.1 LUFS). Each sentence is
   brought to one loudness (ITU-R BS.1770-4, :func:`integrated_loudness`), at most
   :data:`SENTENCE_MAX_GAIN_DB` either way, under a true-peak limiter: speech has a high
   peak-to-loudness ratio (about 21 LU for Piper), so -16 LUFS under -1 dBTP needs about 6 dB of
   peak limiting. The limiter is offline and zero-latency: its gain curve is the minimum of the
   required gain over a window, smoothed with a triangular kernel no wider than that window, so
   it never exceeds the required gain and moves no sample in time. Limiting lowers the loudness
   a little, so the gain is found by a secant search. A limiter window (10 ms) is far shorter
   than the shortest pause (hundreds of ms), so limiting sentence by sentence is the same as
   limiting the whole narration.
2. **Measuring a stream** (:class:`LoudnessMeter`). The encoded file, decoded, is measured as
   it streams: K-weighting filters (:func:`k_weighting`) that keep their state from one piece
   to the next, energy summed per 100 ms, and the BS.1770 gating (400 ms blocks, 75 % overlap,
   -70 LUFS absolute and -10 LU relative gates) applied at the end, on a few numbers per
   second of audio; the true peak (:class:`TruePeakMeter`) is exact across pieces and
   oversamples only the stretches that could pass the peak found so far (or a level asked
   for, to find where a file passes the ceiling).

A narration of sentences all at one loudness measures a little quieter than they do (blocks
that straddle a pause count too), and encoders move loudness and peaks (LAME through ffmpeg
scales by about 0.95, -0.45 dB); the encode stage aims the sentences to take both into account
and checks the file it made (:mod:`article_audio.audio.encode`).

The filters are numpy's (:mod:`article_audio.audio.dsp`, scipy's results to rounding), so
mastering imports no scipy (about 80 MB and half a second).

On the example's files (MP3, M4B, Ogg Opus at 48 kHz, WAV) this meter agrees with ffmpeg's
``ebur128`` to 0.02 LU, and its 4x oversampled true peak with ffmpeg's 192 kHz one to 0.05 dB.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from numpy.typing import NDArray

from article_audio.audio.dsp import (
    Cascade,
    Sections,
    kaiser_lowpass,
    oversampled_phases,
    running_minimum,
    upsampled,
)
from article_audio.audio.segment import SAMPLE_RATE, AudioSegment

__all__ = [
    "MASTERING_VERSION",
    "LoudnessMeter",
    "Measurement",
    "TruePeakMeter",
    "integrated_loudness",
    "k_weighting",
    "limiter_gain",
    "master_pcm",
    "master_sentence",
    "mastering_parameters",
    "to_float",
    "true_peak",
]

Samples = NDArray[np.float64]

#: Bump when the same sentence, target and ceiling would be mastered into other samples (the
#: search, the limiter or the rounding changed): mastered sentences are cached under it
#: (:func:`article_audio.store.keys.mastered_key`).
MASTERING_VERSION = 2
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
#: K-weighting's analog filters (BS.1770): the high shelf's centre, gain, Q and the exponent
#: that sets its mid-band gain; the high pass's corner and Q.
_SHELF_HZ = 1681.974450955533
_SHELF_GAIN_DB = 3.999843853973347
_SHELF_Q = 0.7071752369554196
_SHELF_BAND_EXPONENT = 0.4996667741545416
_HIGH_PASS_HZ = 38.13547087602444
_HIGH_PASS_Q = 0.5003270373238773
#: The interpolation filter's half length (oversampled samples), and how far it reaches in
#: input samples (ten, with a margin).
_FILTER_HALF = 10 * OVERSAMPLING
_REACH = 16
#: The true-peak meter skips, or oversamples, this many samples at a time.
_PEAK_BLOCK = 1024


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
    weighted = Cascade(_k_sections(rate))(samples)
    step = round(rate * _BLOCK_S / _STEPS_PER_BLOCK)
    if len(samples) < step * _STEPS_PER_BLOCK:
        return _gated_loudness(np.array([np.mean(np.square(weighted))]))
    whole = len(weighted) // step * step
    return _gated_loudness(_block_means(_step_energies(weighted[:whole], step), step))


def _step_energies(weighted: Samples, step: int) -> Samples:
    """The energy of every ``step`` samples of K-weighted audio (a whole number of steps)."""
    energies: Samples = np.square(weighted).reshape(-1, step).sum(axis=1)
    return energies


def _block_means(energies: Samples, step: int) -> Samples:
    """The mean squares of the 400 ms gating blocks, one starting at every step."""
    sums: Samples = np.convolve(energies, np.ones(_STEPS_PER_BLOCK), mode="valid")
    return sums / (step * _STEPS_PER_BLOCK)


def _peak_envelope(samples: Samples) -> Samples:
    """For each sample, the highest magnitude of the oversampled signal in its period."""
    envelope: Samples = np.abs(samples)
    for phase in oversampled_phases(samples, _oversampling_filter(), OVERSAMPLING):
        np.maximum(envelope, np.abs(phase), out=envelope)
    return envelope


@lru_cache(maxsize=1)
def _oversampling_filter() -> Samples:
    """The interpolation filter of the true-peak meter and the limiter's envelope: scipy's
    ``resample_poly`` default for 4x (a Kaiser-windowed sinc, beta 5, reaching ten input
    samples either side)."""
    return kaiser_lowpass(2 * _FILTER_HALF + 1, 1 / OVERSAMPLING, 5.0) * OVERSAMPLING


@lru_cache(maxsize=1)
def _filter_gain() -> float:
    """The most the interpolation can exceed its input: no oversampled value is above this times
    the largest input magnitude within its reach (the largest L1 norm of the filter's phases)."""
    taps = _oversampling_filter()
    return max(float(np.abs(taps[phase::OVERSAMPLING]).sum()) for phase in range(OVERSAMPLING))


def _span_peak(buffer: Samples, start: int, stop: int) -> float:
    """The true peak (linear) of ``buffer[start:stop]``, read with up to :data:`_REACH` samples
    of ``buffer`` either side as context (beyond ``buffer`` there is silence)."""
    low, high = max(0, start - _REACH), min(len(buffer), stop + _REACH)
    values = upsampled(buffer[low:high], _oversampling_filter(), OVERSAMPLING)
    first = (start - low) * OVERSAMPLING + _FILTER_HALF
    last = (stop - low) * OVERSAMPLING + _FILTER_HALF
    return max(float(np.abs(values[first:last]).max()), float(np.abs(buffer[start:stop]).max()))


#: Where a stream's true peak passed a level: the first and last-but-one sample and the true
#: peak (dBTP) of a stretch of at most :data:`_PEAK_BLOCK` samples.
Over = tuple[int, int, float]
#: A span's true peak (linear), and its stretches over a level.
_Peaks = tuple[float, list[Over]]


def _interior_peaks(buffer: Samples, start: int, stop: int, known: float, level: float) -> _Peaks:
    """The larger of ``known`` and the true peak (linear) of ``buffer[start:stop]``, and the
    blocks of the span whose true peak passes ``level`` (linear).

    The span is cut into blocks, taken loudest first; a block whose samples and neighbours,
    times :func:`_filter_gain`, can pass neither the peak found so far nor ``level`` is not
    oversampled at all, so the result is exact and a quiet block costs one maximum."""
    starts = np.arange(start, stop, _PEAK_BLOCK)
    highest = np.maximum.reduceat(np.abs(buffer[start:stop]), starts - start)
    # the filter reaches less than a block: a block and its neighbours hold all its context
    padded = np.concatenate([[0.0], highest, [0.0]])
    bounds = np.maximum(np.maximum(padded[:-2], padded[1:-1]), padded[2:]) * _filter_gain()
    peak, over = known, []
    for index in np.argsort(-bounds, kind="stable"):
        if bounds[index] <= min(peak, level):
            break
        first = int(starts[index])
        last = min(stop, first + _PEAK_BLOCK)
        value = _span_peak(buffer, first, last)
        peak = max(peak, value)
        if value > level:
            over.append((first, last, _db(value)))
    return peak, over


class TruePeakMeter:
    """The true peak (BS.1770-4, 4x oversampled) of a stream that arrives in pieces of any size.

    It equals the true peak of the whole stream: the last :data:`_REACH` samples of a piece are
    measured with the next piece, once the samples that follow them are known. Given a level
    (dBTP), it also finds where the stream passes it (:meth:`over`).
    """

    def __init__(self, level_dbtp: float = math.inf) -> None:
        self._level = 10 ** (level_dbtp / 20) if math.isfinite(level_dbtp) else math.inf
        self._held: Samples = np.zeros(0)  # measured context, then samples not yet measured
        self._start = 0  # the stream position of ``_held[0]``
        self._measured = 0  # how many leading samples of ``_held`` are measured already
        self._peak = 0.0
        self._over: list[Over] = []

    def add(self, samples: Samples) -> None:
        """Measure the next piece."""
        buffer = np.concatenate([self._held, samples])
        stop = max(self._measured, len(buffer) - _REACH)
        if stop > self._measured:
            self._peak, over = _interior_peaks(
                buffer, self._measured, stop, self._peak, self._level
            )
            self._over += self._placed(over)
        keep = max(0, stop - _REACH)
        self._held = buffer[keep:]
        self._start += keep
        self._measured = stop - keep

    def _with_end(self) -> _Peaks:
        """The peak and the blocks over the level, the stream taken to end here."""
        if len(self._held) == self._measured:
            return self._peak, list(self._over)
        peak, over = _interior_peaks(
            self._held, self._measured, len(self._held), self._peak, self._level
        )
        return peak, self._over + self._placed(over)

    def _placed(self, over: list[Over]) -> list[Over]:
        return [(self._start + first, self._start + last, dbtp) for first, last, dbtp in over]

    def dbtp(self) -> float:
        """The true peak so far in dBTP (``-inf`` for silence)."""
        return _db(self._with_end()[0])

    def over(self) -> list[Over]:
        """Where the stream passed the level, in stream order (sample positions)."""
        return sorted(self._with_end()[1])


def true_peak(samples: Samples) -> float:
    """True peak in dBTP: the highest magnitude of the signal oversampled 4 times."""
    meter = TruePeakMeter()
    meter.add(samples)
    return meter.dbtp()


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
    window |= 1
    held = running_minimum(required, 2 * window - 1)
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


def master_pcm(samples: Samples, target_lufs: float, ceiling_dbtp: float, trim_db: float) -> bytes:
    """One sentence mastered (:func:`master_sentence`), then lowered by ``trim_db`` (0 or less:
    a later pass's cut where the encoded file was too hot), as 16-bit PCM."""
    mastered = master_sentence(samples, target_lufs, ceiling_dbtp)
    return to_pcm(mastered * 10 ** (trim_db / 20) if trim_db else mastered)


def mastering_parameters() -> dict[str, float]:
    """The settings of this module that decide a mastered sentence's samples, besides its
    target and ceiling (a cached sentence is keyed on them)."""
    return {
        "version": MASTERING_VERSION,
        "max_gain_db": SENTENCE_MAX_GAIN_DB,
        "oversampling": OVERSAMPLING,
        "limiter_window_ms": LIMITER_WINDOW_MS,
        "tolerance_lu": SEARCH_TOLERANCE_LU,
        "steps": SEARCH_STEPS,
    }


@lru_cache(maxsize=4)
def k_weighting(rate: int) -> list[tuple[Samples, Samples]]:
    """BS.1770's K-weighting at ``rate``: a high shelf and a high pass, as ``(b, a)`` pairs.

    Both are designed from the analog filters BS.1770 specifies at 48 kHz (a +4 dB shelf near
    1.68 kHz, a second-order high pass near 38 Hz, as libebur128 and ffmpeg's ``ebur128`` derive
    them), so the meter reads what ffmpeg's does at any rate: on the example's files, to 0.01 LU
    at 22.05 and 48 kHz (pyloudnorm's approximation of the shelf reads 0.09 LU quieter at
    22.05 kHz).
    """
    shelf_k = math.tan(math.pi * _SHELF_HZ / rate)
    high = 10 ** (_SHELF_GAIN_DB / 20)
    band = high**_SHELF_BAND_EXPONENT
    scale = 1 + shelf_k / _SHELF_Q + shelf_k**2
    shelf = (
        np.array(
            [
                high + band * shelf_k / _SHELF_Q + shelf_k**2,
                2 * (shelf_k**2 - high),
                high - band * shelf_k / _SHELF_Q + shelf_k**2,
            ]
        )
        / scale,
        np.array([scale, 2 * (shelf_k**2 - 1), 1 - shelf_k / _SHELF_Q + shelf_k**2]) / scale,
    )
    pass_k = math.tan(math.pi * _HIGH_PASS_HZ / rate)
    scale = 1 + pass_k / _HIGH_PASS_Q + pass_k**2
    high_pass = (
        np.array([1.0, -2.0, 1.0]),
        np.array([scale, 2 * (pass_k**2 - 1), 1 - pass_k / _HIGH_PASS_Q + pass_k**2]) / scale,
    )
    return [shelf, high_pass]


@lru_cache(maxsize=4)
def _k_sections(rate: int) -> Sections:
    """:func:`k_weighting` as filter sections."""
    return tuple(
        (
            (float(b[0]), float(b[1]), float(b[2])),
            (float(a[0]), float(a[1]), float(a[2])),
        )
        for b, a in k_weighting(rate)
    )


class LoudnessMeter:
    """BS.1770-4 integrated loudness and true peak of audio that arrives piece by piece.

    Feed it every piece in order (:meth:`add`, :meth:`add_silence`); the K-weighting filters keep
    their state across pieces, so the result is that of the whole stream. ``level_dbtp``: find
    where the stream's true peak passes this level too (``peaks.over()``).
    """

    def __init__(self, rate: int = SAMPLE_RATE, level_dbtp: float = math.inf) -> None:
        self.rate = rate
        self.step = round(rate * _BLOCK_S / _STEPS_PER_BLOCK)
        self._weighting = Cascade(_k_sections(rate))
        self._pending: Samples = np.zeros(0)
        self._energies: list[Samples] = []
        self.peaks = TruePeakMeter(level_dbtp)
        self.samples = 0

    def add(self, samples: Samples) -> None:
        """Measure the next piece."""
        if not len(samples):
            return
        weighted = self._weighting(samples)
        buffer = np.concatenate([self._pending, weighted])
        whole = len(buffer) // self.step * self.step
        self._energies.append(_step_energies(buffer[:whole], self.step))
        self._pending = buffer[whole:]
        self.peaks.add(samples)
        self.samples += len(samples)

    def add_silence(self, count: int) -> None:
        """Measure ``count`` samples of digital silence."""
        if count > 0:
            self.add(np.zeros(count))

    def measurement(self) -> Measurement:
        """Integrated loudness (gated) and true peak of everything added so far."""
        steps = np.concatenate([np.zeros(0), *self._energies])
        peak = self.peaks.dbtp()
        if len(steps) < _STEPS_PER_BLOCK:
            return Measurement(float("-inf"), peak)
        return Measurement(_gated_loudness(_block_means(steps, self.step)), peak)


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
