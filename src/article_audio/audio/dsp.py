"""The signal processing loudness needs, in numpy: IIR filter sections (the K-weighting), 4x
oversampling and a running minimum; and a rational resampler (an engine's rate to the
narration's).

scipy.signal and scipy.ndimage do all three, but importing them costs a render about 80 MB
and half a second. These give scipy's results: ``lfilter`` section after section to 1e-11 of
full scale, ``firwin`` with a Kaiser window, ``upfirdn`` and ``resample_poly`` to rounding,
``minimum_filter1d`` with ``mode="nearest"`` exactly, :func:`resampled` ``resample_poly``
at any rational ratio to rounding (tests/test_dsp.py compares them).

The IIR filter is the one that needs a method: its recursion runs sample by sample, which
numpy cannot vectorise (a recursion over blocks of samples, vectorised across blocks, ran
five times slower than ``lfilter``). It is applied in the frequency domain instead: the
filter's response is evaluated from its coefficients at an FFT's bins, the input taken in
chunks, each chunk's response computed whole (the chunk and the tail of its impulse
response, which falls below double precision within about 15,000 samples at 48 kHz) and its
tail added to what follows. Mastering a sentence this way takes about 1.7 times scipy's
time.
"""

from __future__ import annotations

import math
from functools import lru_cache
from typing import Any

import numpy as np
from numpy.typing import NDArray

__all__ = [
    "Cascade",
    "kaiser_lowpass",
    "oversampled_phases",
    "resampled",
    "running_minimum",
    "upsampled",
]

Samples = NDArray[np.float64]
#: Sections of a filter: ``(b, a)`` coefficient triples, ``a[0]`` being 1.
Sections = tuple[tuple[tuple[float, float, float], tuple[float, float, float]], ...]
#: The longest FFT a cascade is applied with (a chunk of input and its response's tail).
_LONGEST_FFT = 1 << 16
#: The impulse response is taken to end where it has fallen this far below its start; what
#: follows is below double precision's rounding of the output.
_TAIL_LEVEL = 1e-20


class Cascade:
    """Second-order IIR sections in series, applied to a stream that arrives in pieces of any
    size: the output of pieces fed in order is that of the whole signal (from a zero state).

    Applied by FFT, chunk by chunk, with the tail of each chunk's response carried into the
    next; the frequency response is evaluated from the coefficients, so the result is the
    filter's own (scipy's ``lfilter``, section after section, to its rounding).
    """

    def __init__(self, sections: Sections) -> None:
        self._sections = sections
        self._reach = _tail_length(sections)
        self._tail: Samples = np.zeros(0)

    def __call__(self, samples: Samples) -> Samples:
        """Filter the next piece."""
        # an FFT a power of two long, holding the piece and its response's tail, up to the
        # longest, which takes the piece in chunks
        longest = max(_LONGEST_FFT, _power_of_two(4 * self._reach))
        length = min(longest, _power_of_two(len(samples) + self._reach))
        chunk = length - self._reach
        response = _frequency_response(self._sections, length)
        pieces = []
        for start in range(0, len(samples), chunk):
            piece = samples[start : start + chunk]
            spectrum = np.fft.rfft(piece, length)
            spectrum *= response
            # the piece's response, and what earlier pieces' responses left from its start
            full = _added(np.fft.irfft(spectrum, length), self._tail)
            pieces.append(full[: len(piece)])
            self._tail = full[len(piece) :]
        return np.concatenate(pieces) if pieces else np.zeros(0)


def _added(first: Samples, second: Samples) -> Samples:
    """Two signals from the same start added, the shorter padded with zeros."""
    if len(first) < len(second):
        first, second = second, first
    total = first.copy()
    total[: len(second)] += second
    return total


def _power_of_two(count: int) -> int:
    return 1 << max(0, count - 1).bit_length()


@lru_cache(maxsize=8)
def _tail_length(sections: Sections) -> int:
    """How long the impulse response of ``sections`` lasts before it falls below
    :data:`_TAIL_LEVEL`, bounded with the largest pole radius of any section (a cascade's
    response is at most a cubic in n times that radius to the n, for two double poles)."""
    radius = max(float(np.abs(np.roots(a)).max()) for _, a in sections)
    if radius >= 1.0:
        raise ValueError("the filter is not stable")
    count = 1
    while (count + 1) ** 3 * radius**count > _TAIL_LEVEL:
        count += 1
    return count


@lru_cache(maxsize=16)
def _frequency_response(sections: Sections, length: int) -> NDArray[np.complex128]:
    """The cascade's frequency response at the bins of a real FFT of ``length``.

    Each polynomial is evaluated about z = 1, in powers of w = e^(-iω) - 1 with its
    coefficients summed exactly, so poles and zeros near DC (the K-weighting's high pass) keep
    their precision."""
    angle = 2 * np.pi * np.arange(length // 2 + 1) / length
    w = -2 * np.sin(angle / 2) ** 2 - 1j * np.sin(angle)
    response = np.ones(len(angle), dtype=np.complex128)
    for b, a in sections:
        response *= _about_one(b, w) / _about_one(a, w)
    return response


def _about_one(coefficients: tuple[float, float, float], w: NDArray[np.complex128]) -> Any:
    """``c0 + c1 z + c2 z**2`` at z = 1 + w, as ``(c0 + c1 + c2) + (c1 + 2 c2) w + c2 w**2``."""
    c0, c1, c2 = coefficients
    return math.fsum((c0, c1, c2)) + math.fsum((c1, 2 * c2)) * w + c2 * w * w


def kaiser_lowpass(taps: int, cutoff: float, beta: float) -> Samples:
    """A windowed-sinc low-pass filter of ``taps`` (odd) taps, ``cutoff`` a fraction of the
    Nyquist frequency, under a Kaiser window of ``beta``, scaled to unit gain at DC."""
    centre = (taps - 1) / 2
    offsets = np.arange(taps) - centre
    sinc = cutoff * np.sinc(cutoff * offsets)
    kernel: Samples = sinc * np.kaiser(taps, beta)
    kernel /= kernel.sum()
    return kernel


def upsampled(samples: Samples, kernel: Samples, factor: int) -> Samples:
    """``samples`` with ``factor - 1`` zeros after each, convolved with ``kernel`` (all of the
    full convolution but the zeros' tail: scipy's ``upfirdn(kernel, samples, factor)``)."""
    length = (len(samples) - 1) * factor + len(kernel)
    result = np.empty(length)
    for phase in range(factor):
        result[phase::factor] = np.convolve(samples, kernel[phase::factor])[
            : len(range(phase, length, factor))
        ]
    return result


def oversampled_phases(samples: Samples, kernel: Samples, factor: int) -> list[Samples]:
    """``samples`` resampled ``factor`` times (scipy's ``resample_poly(samples, factor, 1)``
    with ``kernel`` its filter, an odd length of ``2 * 10 * factor + 1`` taps), given as its
    ``factor`` phases: phase p holds the resampled values at ``factor * n + p``."""
    half = (len(kernel) - 1) // 2
    if half % factor:
        raise ValueError("the kernel's half length must be a whole number of input samples")
    lead = half // factor
    count = len(samples)
    phases = []
    for phase in range(factor):
        full = np.convolve(samples, kernel[phase::factor])
        phases.append(full[lead : lead + count])
    return phases


def running_minimum(values: Samples, size: int) -> Samples:
    """The minimum of each ``size`` (odd) values centred on each value; beyond the ends the
    end values repeat (scipy's ``minimum_filter1d(values, size, mode="nearest")``).

    Van Herk and Gil-Werman's method: minima accumulated forwards and backwards within blocks
    of ``size``, so each window is the minimum of two of them, whatever its size.
    """
    if size % 2 == 0:
        raise ValueError("the window size must be odd")
    half = size // 2
    count = len(values)
    blocks = -(-(count + 2 * half) // size)
    padded = np.empty(blocks * size)
    padded[:half] = values[0]
    padded[half : half + count] = values
    padded[half + count :] = values[-1]
    rows = padded.reshape(blocks, size)
    forwards = np.minimum.accumulate(rows, axis=1).reshape(-1)
    backwards = np.minimum.accumulate(rows[:, ::-1], axis=1)[:, ::-1].reshape(-1)
    result: Samples = np.minimum(backwards[:count], forwards[size - 1 : size - 1 + count])
    return result


def resampled(samples: Samples, up: int, down: int) -> Samples:
    """``samples`` at ``up / down`` times their rate: scipy's ``resample_poly(samples, up,
    down)`` with its default filter (a Kaiser-windowed sinc, beta 5, cut at the lower of the
    two Nyquist frequencies, ``20 * max(up, down) + 1`` taps), to rounding.

    Polyphase: output ``k`` is the filter phase ``k * down % up`` against the input samples
    up to ``k * down // up``. Outputs ``up`` apart use the same phase on input windows
    ``down`` apart, so each of the ``up`` phases is one matrix-vector product.
    """
    common = math.gcd(up, down)
    up, down = up // common, down // common
    if up == down:
        return np.array(samples, dtype=np.float64)
    half = 10 * max(up, down)
    lead = down - half % down  # zeros before the filter, so outputs fall on its centre
    kernel = np.concatenate([np.zeros(lead), kaiser_lowpass(2 * half + 1, 1 / max(up, down), 5.0)])
    reach = -(-len(kernel) // up)  # the input samples one output meets
    phases = np.zeros((up, reach))
    for offset in range(reach):
        taps = kernel[offset * up : (offset + 1) * up] * up
        phases[: len(taps), reach - 1 - offset] = taps  # oldest input first
    count = len(samples) * up // down + bool(len(samples) * up % down)
    first = (half + lead) // down
    padded = np.concatenate([np.zeros(reach), np.asarray(samples, dtype=np.float64)])
    padded = np.concatenate([padded, np.zeros(reach + (first + count) * down // up)])
    windows = np.lib.stride_tricks.sliding_window_view(padded, reach)
    result = np.empty(count)
    for index in range(min(up, count)):
        position = (first + index) * down
        rows = windows[position // up + 1 :: down][: len(range(index, count, up))]
        result[index::up] = rows @ phases[position % up]
    return result
