"""The encoded stream measured as it is made: ffmpeg's tee muxer writes the encoding once to
the file and once to a pipe, and :class:`StreamTap` decodes that pipe with a second ffmpeg and
meters it on a thread of its own, so the file's loudness and true peak are known when the
encoding ends, without decoding the finished file again (:mod:`.encode` uses it). A file not
measured on the way (M4B, WAV) is decoded and measured once written (:func:`measure_encoded`).
Both read the stream as a player decodes it; the MP3 encoder's settings (:data:`LAME`) are
here because the tap encodes with them too.
"""

from __future__ import annotations

import contextlib
import math
import subprocess
import tempfile
import threading
from pathlib import Path
from typing import IO

import numpy as np

from article_audio.audio import loudness
from article_audio.audio.loudness import Measurement, Over
from article_audio.audio.segment import SAMPLE_RATE, ffmpeg_error, use_ffmpeg
from article_audio.errors import ExportError

__all__ = [
    "DECODED_CHUNK_S",
    "DECODED_RATES",
    "FORMAT_NAMES",
    "LAME",
    "LAME_QUALITY",
    "TAPS",
    "StreamTap",
    "measure_encoded",
    "measured",
    "tee_output",
]

#: The rate a format decodes at, when not the narration's (Opus always decodes at 48 kHz).
DECODED_RATES = {"opus": 48000}
#: Seconds of decoded audio measured at a time.
DECODED_CHUNK_S = 4
#: LAME's speed setting (its ``-q``, ffmpeg's ``-compression_level``: 0 slowest to 9 fastest).
#: Without one ffmpeg leaves LAME at its own default, 3. At 7 LAME still models the ear (to
#: choose short blocks) but spends no search on shaping its quantization noise: on the
#: example's 259 s narration (64 kbps, 22050 Hz) it encodes in 0.54 of the CPU time of 3
#: (0.45 s for 0.83 s), the bytes as many (CBR). What it costs the listener, by
#: ``benchmarks/encoding.py``, is in the README (Speed).
LAME_QUALITY = 7
#: The MP3 encoder and its options, wherever a render encodes MP3 (file, tap, live copy).
LAME = ("-c:a", "libmp3lame", "-compression_level", str(LAME_QUALITY))
#: Formats whose encoded stream, piped out as it is made (the tee muxer: encoded once, written
#: twice), decodes to the file's own samples: the file's and the stream's muxer options, the
#: codec's options, and the decoded samples to skip first (LAME's 576 + 529 priming samples,
#: which only the file's LAME header tells a player to skip; an Ogg stream carries its pre-skip
#: in its own header). The file is measured from that stream while it is made
#: (:class:`StreamTap`), not decoded again once it is written.
TAPS: dict[str, tuple[str, str, tuple[str, ...], int]] = {
    "mp3": (
        "f=mp3:id3v2_version=0",
        "f=mp3:id3v2_version=0:write_xing=0",
        LAME,
        1105,
    ),
    "opus": (
        "f=ogg:fflags=+bitexact",
        "f=ogg:fflags=+bitexact",
        ("-c:a", "libopus", "-ar", "48000", "-fflags", "+bitexact"),
        0,
    ),
}
#: How each format is named in messages.
FORMAT_NAMES = {"mp3": "MP3", "m4b": "M4B", "opus": "Ogg Opus", "wav": "WAV"}
#: Characters the tee muxer's list of outputs gives a meaning to (escaped in a file's name).
_TEE_SPECIAL = "\\|[]:='"


def tee_output(path: Path) -> str:
    """``path`` as one output of ffmpeg's tee muxer: a plain file, its special characters
    escaped."""
    name = "".join("\\" + char if char in _TEE_SPECIAL else char for char in str(path))
    return "file\\:" + name


class StreamTap:
    """The encoded stream an :class:`~article_audio.audio.encode.Encoder` pipes out, decoded
    by a second ffmpeg as it comes and measured on a thread of its own: the file's measurement,
    as :func:`measure_encoded` would make it (the same samples, in
    the same pieces), ready as soon as the encoding ends.

    The decoded stream starts with ``skip`` samples a player skips (see :data:`TAPS`) and,
    for MP3, ends with LAME's padding: the samples measured are those after ``skip`` and, for
    MP3, only as many as were encoded (:meth:`result`)."""

    #: Decoded samples held back until the encoding's length is known (more than LAME's
    #: padding, which is under two frames).
    HOLD = 4096

    def __init__(
        self, encoded: IO[bytes], audio_format: str, skip: int, level: float, what: str
    ) -> None:
        self.rate = DECODED_RATES.get(audio_format, SAMPLE_RATE)
        self.trim_end = audio_format == "mp3"
        self.what = what
        command = [
            *(use_ffmpeg(), "-hide_banner", "-loglevel", "error"),
            *("-f", "mp3" if audio_format == "mp3" else "ogg", "-i", "pipe:0"),
            *("-ac", "1", "-ar", str(self.rate), "-c:a", "pcm_f32le", "-f", "f32le", "pipe:1"),
        ]
        self._errors = tempfile.TemporaryFile()  # noqa: SIM115 (closed in result/stop)
        try:
            self._process = subprocess.Popen(
                command, stdin=encoded, stdout=subprocess.PIPE, stderr=self._errors
            )
        except OSError as exc:
            self._errors.close()
            raise ExportError(f"{self.what} failed: cannot run ffmpeg ({exc.strerror})") from exc
        encoded.close()  # the decoder holds it now
        self.meter = loudness.LoudnessMeter(self.rate, level)
        self._skip = skip
        self._piece = self.rate * DECODED_CHUNK_S
        self._held = np.zeros(0)
        self._failure: BaseException | None = None
        self._thread = threading.Thread(target=self._measure, name="article-audio-measure")
        self._thread.start()

    def _measure(self) -> None:
        stdout = self._process.stdout
        assert stdout is not None
        try:
            while chunk := stdout.read(self.rate * DECODED_CHUNK_S * 4):
                samples = np.frombuffer(chunk, dtype="<f4").astype(np.float64)
                if self._skip:
                    cut = min(self._skip, len(samples))
                    samples, self._skip = samples[cut:], self._skip - cut
                self._held = np.concatenate([self._held, samples])
                hold = self.HOLD if self.trim_end else 0
                while len(self._held) >= self._piece + hold:
                    self.meter.add(self._held[: self._piece])
                    self._held = self._held[self._piece :]
        except BaseException as exc:  # handed to the encoding's thread by result()
            self._failure = exc
            with contextlib.suppress(OSError):
                stdout.read()  # keep the pipes flowing: the encoder must not block

    def result(self, encoded: int) -> tuple[Measurement, list[Over]]:
        """The measurement once the decoder has read everything; ``encoded``: the samples
        the encoder was given (at the narration's rate)."""
        self._thread.join()
        code = self._process.wait()
        self._errors.seek(0)
        message = ffmpeg_error(self._errors.read().decode("utf-8", "replace"), "ffmpeg stopped")
        self._errors.close()
        if self._failure is not None:
            raise ExportError(f"{self.what} failed: {self._failure}") from self._failure
        if code != 0:
            raise ExportError(f"{self.what} failed: {message}")
        rest = self._held
        if self.trim_end:
            rest = rest[: max(0, round(encoded * self.rate / SAMPLE_RATE) - self.meter.samples)]
        for start in range(0, len(rest), self._piece):
            self.meter.add(rest[start : start + self._piece])
        return measured(self.meter, self.rate)

    def stop(self) -> None:
        """Stop the decoder (the encoding failed)."""
        self._process.kill()
        self._thread.join()
        self._process.wait()
        self._errors.close()


def measured(meter: loudness.LoudnessMeter, rate: int) -> tuple[Measurement, list[Over]]:
    """``meter``'s measurement, and where it passed its level in samples of the narration."""
    scale = SAMPLE_RATE / rate
    over = [(int(a * scale), math.ceil(b * scale), dbtp) for a, b, dbtp in meter.peaks.over()]
    return meter.measurement(), over


def measure_encoded(
    path: Path, audio_format: str, level_dbtp: float = math.inf
) -> tuple[Measurement, list[Over]]:
    """Decode the file at ``path`` with our ffmpeg, as a player would, and measure it as it
    streams (:class:`~article_audio.audio.loudness.LoudnessMeter`): its loudness and true peak,
    and where its true peak passes ``level_dbtp`` (in samples at the narration's rate)."""
    rate = DECODED_RATES.get(audio_format, SAMPLE_RATE)
    what = f"measuring the {FORMAT_NAMES[audio_format]} file"
    command = [
        *(use_ffmpeg(), "-hide_banner", "-loglevel", "error", "-i", str(path)),
        *("-ac", "1", "-ar", str(rate), "-c:a", "pcm_f32le", "-f", "f32le", "pipe:1"),
    ]
    meter = loudness.LoudnessMeter(rate, level_dbtp)
    with tempfile.TemporaryFile() as errors:
        try:
            process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=errors)
        except OSError as exc:
            raise ExportError(f"{what} failed: cannot run ffmpeg ({exc.strerror})") from exc
        with process:
            assert process.stdout is not None
            while chunk := process.stdout.read(rate * DECODED_CHUNK_S * 4):
                meter.add(np.frombuffer(chunk, dtype="<f4").astype(np.float64))
        if process.returncode != 0:
            errors.seek(0)
            message = errors.read().decode("utf-8", "replace")
            raise ExportError(f"{what} failed: {ffmpeg_error(message, 'ffmpeg stopped')}")
    return measured(meter, rate)
