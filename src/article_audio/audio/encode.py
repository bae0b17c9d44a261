"""Encode stage: the narration, mastered sentence by sentence, becomes an MP3, M4B, Ogg Opus or
WAV file through ffmpeg, then gets its tags and chapters (:mod:`.tags`; M4B and Ogg Opus by an
ffmpeg remux that copies the audio).

* **Formats.** The format is named by the output's suffix or asked for (:func:`audio_format_for`;
  a name and a format that disagree, or a suffix naming no format, are refused before any work).
  Mono 16-bit PCM is piped to ffmpeg: MP3 through LAME; AAC-LC (ffmpeg's native ``aac``
  encoder) in an MP4 audiobook container; Opus (libopus, at its native 48 kHz) in Ogg; or
  16-bit PCM in WAV.
* **Loudness.** Every sentence is mastered (:mod:`.loudness`) to a target set so that the
  narration, after the encoder's known effect on loudness (:data:`ENCODER_GAIN_DB`), is heard
  at the loudness asked for, under a true-peak ceiling lowered by the encoder's usual overshoot
  (:data:`ENCODER_HEADROOM_DB`). Then the file itself is checked: it is decoded by our ffmpeg
  and measured (:func:`measure_encoded`). A file that misses the loudness or passes the
  ceiling is made again from the cached sentences (no synthesis), with the loudness error
  taken out and every sentence where the decoded file passed the ceiling made quieter by its
  excess, at most :data:`MAX_PASSES` times; a file that still misses is an error, so no file
  that breaks the promise is written or cached.
* **Timing.** Every format decodes sample-exact to the assembled narration, which is what keeps
  chapter and cue times right: LAME primes the stream with 1105 samples (576 of encoder delay and
  529 of decoder delay), and ffmpeg records them in the LAME/Info header of the first frame;
  players that read it (ffmpeg and so Chromium, Firefox, Apple's AVFoundation, ExoPlayer) skip
  them. A player that ignores it plays 1105 samples (50 ms at 22050 Hz) late. The AAC encoder's
  1024 priming samples are covered by the MP4 edit list in the same way, Opus's by the pre-skip
  of its Ogg header.
* **Atomicity.** The caller encodes into a temporary file beside the destination and renames it
  into place (:func:`article_audio.util.atomic_path`), so a failure leaves no half-made file.
"""

from __future__ import annotations

import bisect
import contextlib
import hashlib
import math
import os
import subprocess
import tempfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from article_audio.audio import loudness
from article_audio.audio.assemble import ChapterMark
from article_audio.audio.loudness import Measurement, Over
from article_audio.audio.segment import SAMPLE_RATE, ffmpeg_error, use_ffmpeg
from article_audio.audio.tags import (
    Cover,
    Tags,
    ffmetadata,
    load_cover,
    mp4_metadata,
    opus_metadata,
    write_id3_tags,
)
from article_audio.audio.tap import (
    FORMAT_NAMES,
    LAME,
    TAPS,
    StreamTap,
    measure_encoded,
    tee_output,
)
from article_audio.config import (
    AUDIO_FORMATS,
    BITRATES_KBPS,
    DEFAULT_BITRATE_KBPS,
    DEFAULT_LOUDNESS_LUFS,
    LOUDNESS_RANGE_LUFS,
    TRUE_PEAK_CEILING_DBTP,
    RenderOptions,
)
from article_audio.errors import ExportError, InputError

#: Master, encode and measure at most this many times (a second time only when the first
#: file missed, with what its measurement taught).
MAX_PASSES = 4
#: A file heard this close to its loudness target (LU) is kept (the promise is 0.5; our meter
#: and ffmpeg's ebur128 agree to 0.02 LU on the example's files in every format).
ACCEPT_LU = 0.45
#: A file is kept when its true peak is at least this far under the ceiling (dB): ffmpeg's
#: ebur128 (which resamples to 192 kHz) reads peaks up to about 0.05 dB above our 4x meter's.
PEAK_MARGIN_DB = 0.1
#: A narration whose loudness moved less than this (LU) when it was raised is as loud as its
#: sentences can be made (the fake voice's quiet tones, a very quiet system voice).
STUCK_LU = 0.1
#: A sentence where a file passed the ceiling less the margin is made quieter by its excess
#: and this much more the next time (dB): the encoder's overshoot is not proportional.
TRIM_MARGIN_DB = 0.3
#: Sentences are mastered this much louder than the narration's target: a narration of
#: sentences all at one loudness measures quieter than they do, because gating blocks that
#: straddle a pause count too (measured on the example article with Piper: about 0.1 LU).
NARRATION_OFFSET_LU = 0.1
#: What each encoder does to loudness (dB), measured, so that the first pass usually hits the
#: target: LAME through ffmpeg scales its input by about 0.95 (-0.45 dB at 16, 22.05 and
#: 44.1 kHz and 32 to 96 kbps, with Debian's ffmpeg 5.1 and imageio-ffmpeg's 7.x); ffmpeg's AAC
#: encoder and PCM keep it; libopus keeps it from 64 kbps up (-0.3 dB at 32 and 48 kbps, on the
#: example article with Piper, by ffmpeg's ebur128).
ENCODER_GAIN_DB = {"mp3": -0.45, "m4b": 0.0, "wav": 0.0, "opus": 0.0}
#: The limiter's ceiling sits this far below the ceiling less :data:`PEAK_MARGIN_DB` (dB), for
#: the encoder's overshoot, so that the first file usually keeps the promise (measured on the
#: example at -16 LUFS: LAME 3.100 in Debian's ffmpeg 5.1 adds none at 64 and 128 kbps, LAME 4.1
#: in imageio-ffmpeg's 9.0 adds up to 0.5 dB, both more at 32 kbps and louder targets, where the
#: file's measurement trims the sentences that passed; +0.2 to +0.85 dB for 64 kbps AAC; +0.4 to
#: +1.1 dB for Opus from 32 to 128 kbps). WAV is PCM: ffmpeg's meter (which resamples to
#: 192 kHz, not 4x) reads its peaks up to 0.05 dB higher than ours.
ENCODER_HEADROOM_DB = {"mp3": 0.6, "m4b": 0.9, "wav": 0.1, "opus": 1.4}
#: File suffixes that name one audio format (a mismatch with the format asked for is refused,
#: and so is a suffix that names none).
SUFFIX_FORMATS = {
    ".mp3": "mp3",
    ".m4b": "m4b",
    ".m4a": "m4b",
    ".mp4": "m4b",
    ".opus": "opus",
    ".ogg": "opus",
    ".wav": "wav",
}
#: What ffmpeg is told to write, per audio format (``+bitexact``: no encoder version in the
#: Ogg and WAV headers, so the same audio makes the same bytes; no ID3 tag in the MP3, whose
#: tag :func:`~article_audio.audio.tags.write_id3_tags` puts in front).
_ENCODERS = {
    "mp3": [*LAME, "-id3v2_version", "0", "-f", "mp3"],
    "m4b": ["-c:a", "aac", "-brand", "M4B ", "-movflags", "+faststart", "-f", "ipod"],
    "opus": ["-c:a", "libopus", "-ar", "48000", "-fflags", "+bitexact", "-f", "ogg"],
    "wav": ["-c:a", "pcm_s16le", "-fflags", "+bitexact", "-f", "wav"],
}
#: The container options of a remux that adds tags and chapters (the audio is copied).
_REMUXES = {
    "m4b": _ENCODERS["m4b"][2:],
    # Vorbis comments are the audio stream's metadata in Ogg
    "opus": ["-map_metadata:s:a", "1", "-fflags", "+bitexact", "-f", "ogg"],
}
#: Formats whose size is set by a bitrate (WAV is uncompressed 16-bit PCM).
_COMPRESSED = ("mp3", "m4b", "opus")
#: What a live copy (:class:`Encoder`'s ``live``) is told besides its format's encoder: every
#: packet written out at once, and for MP3 plain frames (no ID3 tag, and no Xing header, whose
#: counts would only be filled in when the file is finished).
_LIVE = {
    "mp3": ["-write_xing", "0", "-id3v2_version", "0"],
    "opus": [],
    "wav": [],
}

#: The piped PCM's format is given, so ffmpeg need not read ahead to learn it: without these it
#: waited for about 2 s of audio before it wrote anything, which a live copy's listener waited
#: for too (the bytes it writes are the same).
_NO_PROBING = ("-probesize", "32", "-analyzeduration", "0")


@dataclass(frozen=True)
class AudioSettings:
    """How the audio file is made: container, bitrate, loudness and cover."""

    audio_format: str = "mp3"
    bitrate_kbps: int = DEFAULT_BITRATE_KBPS
    loudness_lufs: float = DEFAULT_LOUDNESS_LUFS
    true_peak_dbtp: float = TRUE_PEAK_CEILING_DBTP
    cover: Cover | None = None


def check_settings(settings: AudioSettings) -> None:
    """Refuse settings that cannot be honoured (before any work is done)."""
    if settings.audio_format not in AUDIO_FORMATS:
        raise InputError(
            f"unknown audio format {settings.audio_format!r} (expected {', '.join(AUDIO_FORMATS)})"
        )
    if settings.bitrate_kbps not in BITRATES_KBPS:
        raise InputError(f"unsupported bitrate {settings.bitrate_kbps} kbps")
    low, high = LOUDNESS_RANGE_LUFS
    if not low <= settings.loudness_lufs <= high:
        raise InputError(
            f"loudness {settings.loudness_lufs:g} LUFS is out of range ({low:g} to {high:g})"
        )
    if settings.cover is not None and settings.audio_format == "wav":
        raise InputError("a WAV file cannot carry cover art (use mp3, m4b or opus)")


def audio_format_for(destination: Path | None, asked: str | None = None) -> str:
    """The audio format to write at ``destination``: ``asked``, else the one its suffix names,
    else MP3. :class:`InputError` for a suffix that names no audio format (``out.flac``), an
    unknown format, or a name that says another format than the one asked for."""
    named = None
    suffix = destination.suffix.lower() if destination is not None else ""
    if suffix:
        named = SUFFIX_FORMATS.get(suffix)
        if named is None:
            raise InputError(
                f"{destination}: {suffix} is not an audio file suffix article-audio writes "
                f"(expected {', '.join(SUFFIX_FORMATS)})"
            )
    if asked is None:
        return named or "mp3"
    if asked not in AUDIO_FORMATS:
        raise InputError(f"unknown audio format {asked!r} (expected {', '.join(AUDIO_FORMATS)})")
    if named is not None and named != asked:
        raise InputError(f"{destination}: the name says {named} but the audio format is {asked}")
    return asked


def audio_settings(options: RenderOptions, destination: Path) -> AudioSettings:
    """The checked :class:`AudioSettings` of ``options`` for ``destination``, its cover read.

    Call it before synthesis: a bad cover, format, bitrate or loudness, a name whose suffix
    names no audio format, or a ``.mp3`` name for M4B audio (and the like), is an
    :class:`InputError` before any work is done.
    """
    settings = AudioSettings(
        audio_format=audio_format_for(destination, options.audio_format),
        bitrate_kbps=options.bitrate_kbps,
        loudness_lufs=options.loudness_lufs,
        cover=load_cover(options.cover) if options.cover else None,
    )
    check_settings(settings)
    return settings


def run_ffmpeg(args: Sequence[str], what: str, stdin: bytes | None = None) -> bytes:
    """Run our ffmpeg with ``args``; its stdout, or :class:`ExportError` naming ``what``."""
    command = [use_ffmpeg(), "-hide_banner", "-loglevel", "error", "-y", *args]
    try:
        done = subprocess.run(command, input=stdin, capture_output=True, check=False)
    except OSError as exc:
        raise ExportError(f"{what} failed: cannot run ffmpeg ({exc.strerror})") from exc
    if done.returncode != 0:
        error = ffmpeg_error(done.stderr.decode("utf-8", "replace"), f"exit code {done.returncode}")
        raise ExportError(f"{what} failed: {error}")
    return done.stdout


def encoder_arguments(settings: AudioSettings) -> list[str]:
    """ffmpeg's output options for ``settings``: bitrate, one channel, codec and container."""
    bitrate = ["-b:a", f"{settings.bitrate_kbps}k"] if settings.audio_format in _COMPRESSED else []
    return [*bitrate, "-ac", "1", *_ENCODERS[settings.audio_format]]


class Encoder:
    """An ffmpeg process encoding mono 16-bit PCM that is fed to it piece by piece.

    Use it as a context manager: leaving the block normally waits for the file to be finished
    (:meth:`close`); leaving it with an exception stops ffmpeg.

    ``live``: a second file the same audio is encoded into as it arrives, each packet written
    out at once, for a listener to read while the narration is still being made (the Listen
    service streams it); MP3, Opus and WAV only (an MP4 needs its end before its start).

    ``measure``: a true-peak level (dBTP) to measure the file against as it is made, for the
    formats that allow it (:data:`~article_audio.audio.tap.TAPS`): the encoded stream is
    decoded and measured on the way (:attr:`heard`, once closed), exactly as
    :func:`measure_encoded` would measure the finished file, but beside the encoding instead of
    after it.
    """

    def __init__(
        self,
        path: Path,
        settings: AudioSettings,
        rate: int = SAMPLE_RATE,
        live: Path | None = None,
        measure: float | None = None,
    ) -> None:
        self.what = f"{FORMAT_NAMES[settings.audio_format]} encoding"
        tap = TAPS.get(settings.audio_format) if measure is not None else None
        if tap is None:
            output = [*encoder_arguments(settings), str(path)]
        else:
            file_options, stream_options, codec, _ = tap
            outputs = f"[{file_options}:onfail=abort]{tee_output(path)}"
            outputs += f"|[{stream_options}:onfail=abort]pipe\\:1"
            bitrate = ["-b:a", f"{settings.bitrate_kbps}k"]
            output = ["-map", "0:a", *bitrate, "-ac", "1", *codec, "-f", "tee", outputs]
        command = [
            use_ffmpeg(),
            *("-hide_banner", "-loglevel", "error", "-y"),
            *_NO_PROBING,
            *("-f", "s16le", "-ar", str(rate), "-ac", "1", "-i", "pipe:0"),
            *output,
        ]
        if live is not None:
            if settings.audio_format not in _LIVE:
                raise InputError(f"a live copy cannot be {FORMAT_NAMES[settings.audio_format]}")
            extra = ["-flush_packets", "1", *_LIVE[settings.audio_format]]
            command += [*encoder_arguments(settings), *extra, str(live)]
        self._errors = tempfile.TemporaryFile()  # noqa: SIM115 (closed in close/abort)
        self._written = 0
        #: The file's measurement and where it passed ``measure``, once closed (None: not
        #: measured on the way; :func:`measure_encoded` measures the file).
        self.heard: tuple[Measurement, list[Over]] | None = None
        self._tap: StreamTap | None = None
        stdout = subprocess.PIPE if tap is not None else None
        try:
            self._process = subprocess.Popen(
                command, stdin=subprocess.PIPE, stdout=stdout, stderr=self._errors
            )
        except OSError as exc:
            self._errors.close()
            raise ExportError(f"{self.what} failed: cannot run ffmpeg ({exc.strerror})") from exc
        if tap is not None and measure is not None:
            assert self._process.stdout is not None
            try:
                what = f"measuring the {FORMAT_NAMES[settings.audio_format]} file"
                self._tap = StreamTap(
                    self._process.stdout, settings.audio_format, tap[3], measure, what
                )
                self._process.stdout = None  # the decoder's now
            except ExportError:
                self.abort()
                raise

    def write(self, pcm: bytes) -> None:
        """Encode the next piece of 16-bit PCM."""
        stdin = self._process.stdin
        assert stdin is not None
        try:
            stdin.write(pcm)
            stdin.flush()  # nothing held back: a live copy's listener waits for none of it
        except (BrokenPipeError, OSError) as exc:
            self._process.wait()
            raise ExportError(f"{self.what} failed: {self._error('ffmpeg stopped')}") from exc
        self._written += len(pcm) // 2

    def close(self) -> None:
        """Finish the file; :class:`ExportError` if ffmpeg failed."""
        stdin = self._process.stdin
        assert stdin is not None
        with contextlib.suppress(BrokenPipeError, OSError):
            stdin.close()
        code = self._process.wait()
        message = self._error(f"exit code {code}")
        self._errors.close()
        if code != 0:
            if self._tap is not None:
                self._tap.stop()
            raise ExportError(f"{self.what} failed: {message}")
        if self._tap is not None:
            self.heard = self._tap.result(self._written)

    def abort(self) -> None:
        """Stop ffmpeg (the caller removes the half-written file)."""
        self._process.kill()
        with contextlib.suppress(OSError):
            self._process.communicate()
        if self._tap is not None:
            self._tap.stop()
        self._errors.close()

    def _error(self, fallback: str) -> str:
        self._errors.seek(0)
        return ffmpeg_error(self._errors.read().decode("utf-8", "replace"), fallback)

    def __enter__(self) -> Encoder:
        return self

    def __exit__(self, kind: object, value: object, traceback: object) -> None:
        if kind is None:
            self.close()
        else:
            self.abort()


#: A piece of narration: a sentence's samples (floats), or a number of samples of silence.
Piece = loudness.Samples | int


@dataclass(frozen=True)
class _Aim:
    """How one pass masters the sentences: their loudness, the limiter's ceiling, and a gain
    (dB, at most 0) for each sentence, by index, that the last file showed too hot."""

    target_lufs: float
    ceiling_dbtp: float
    trims_db: dict[int, float] = field(default_factory=dict)


#: How a pass masters a sentence: given its index in the narration, its trimmed samples, the
#: pass's target (LUFS) and limiter ceiling (dBTP) and the sentence's trim (dB, 0 or less), its
#: mastered 16-bit PCM. :func:`~article_audio.audio.loudness.master_pcm` by default; the
#: producer's looks in the cache first (:mod:`article_audio.audio.produce`).
Master = Callable[[int, loudness.Samples, float, float, float], bytes]


def _master(
    index: int, samples: loudness.Samples, target: float, ceiling: float, trim: float
) -> bytes:
    return loudness.master_pcm(samples, target, ceiling, trim)


def _encode_pass(
    pieces: Iterable[Piece],
    path: Path,
    settings: AudioSettings,
    aim: _Aim,
    live: Path | None = None,
    master: Master = _master,
    level: float = math.inf,
) -> tuple[list[tuple[int, int]], tuple[Measurement, list[Over]]]:
    """Master every sentence as ``aim`` says (with ``master``) and encode the stream to
    ``path`` (and ``live``, see :class:`Encoder`); returns where each sentence lies in the
    stream (first sample, sample after the last), and the file's measurement as a player
    decodes it, with where it passed ``level`` (dBTP; see :func:`measure_encoded`)."""
    spans: list[tuple[int, int]] = []
    position = 0
    with Encoder(path, settings, live=live, measure=level) as encoder:
        for piece in pieces:
            if isinstance(piece, int):
                encoder.write(bytes(piece * 2))
                position += piece
                continue
            index = len(spans)
            trim = aim.trims_db.get(index, 0.0)
            encoder.write(master(index, piece, aim.target_lufs, aim.ceiling_dbtp, trim))
            spans.append((position, position + len(piece)))
            position += len(piece)
    heard = encoder.heard or measure_encoded(path, settings.audio_format, level)
    return spans, heard


def _meets(heard: Measurement, settings: AudioSettings) -> bool:
    """Whether a file measured ``heard`` keeps the promise of ``settings`` (silence does)."""
    if heard.true_peak_dbtp > settings.true_peak_dbtp - PEAK_MARGIN_DB:
        return False
    loud = heard.integrated_lufs
    return not math.isfinite(loud) or abs(loud - settings.loudness_lufs) <= ACCEPT_LU


def _next_aim(
    aim: _Aim,
    settings: AudioSettings,
    heard: Measurement,
    over: list[Over],
    spans: list[tuple[int, int]],
) -> _Aim:
    """The next pass's aim: the loudness error taken out of the target, and every sentence
    where the decoded file passed the ceiling less the margin (``over``) trimmed by its excess
    and the margin again."""
    goal = settings.true_peak_dbtp - PEAK_MARGIN_DB
    target = aim.target_lufs
    error = settings.loudness_lufs - heard.integrated_lufs
    if math.isfinite(error) and abs(error) > ACCEPT_LU:
        target += error
    trims = dict(aim.trims_db)
    starts = [start for start, _ in spans]
    for first, last, dbtp in over:
        # the sentences this stretch touches (it may straddle a pause; a pause is silence)
        index = max(0, bisect.bisect_right(starts, first) - 1)
        while index < len(spans) and spans[index][0] < last:
            if spans[index][1] > first:
                cut = goal - dbtp - TRIM_MARGIN_DB
                trims[index] = min(trims.get(index, 0.0), aim.trims_db.get(index, 0.0) + cut)
            index += 1
    return _Aim(target, aim.ceiling_dbtp, trims)


def encode_narration(
    pieces: Callable[[], Iterable[Piece]],
    path: Path,
    settings: AudioSettings,
    live: Path | None = None,
    master: Master = _master,
) -> Measurement:
    """Master and encode the narration ``pieces()`` yields to ``path``, and check the file.
    The first encoding is also written to ``live`` as it is made (see :class:`Encoder`).
    Sentences are mastered by ``master`` (:data:`Master`; a cached mastered sentence is the
    same PCM, so the checks below hold whichever way it was made).

    Every encoding is decoded and measured (:func:`measure_encoded`). When the file misses the
    loudness target by more than :data:`ACCEPT_LU`, or its true peak passes the ceiling less
    :data:`PEAK_MARGIN_DB`, ``pieces()`` is called again (the sentences come from the cache:
    nothing is synthesized again) and the narration is mastered and encoded once more: the
    loudness error taken out of the sentences' target, and each sentence where the decoded
    file passed the ceiling made quieter by its excess, at most :data:`MAX_PASSES` times.

    The ceiling is kept or the render fails (:class:`ExportError`): no file passes it. The
    loudness is reached unless the narration cannot be raised enough (sentences are raised at
    most :data:`~article_audio.audio.loudness.SENTENCE_MAX_GAIN_DB`): a narration that stays
    as quiet after a correction is kept as it is. Returns the file's measurement.
    """
    check_settings(settings)
    goal = settings.true_peak_dbtp - PEAK_MARGIN_DB
    aim = _Aim(
        settings.loudness_lufs - ENCODER_GAIN_DB[settings.audio_format] + NARRATION_OFFSET_LU,
        goal - ENCODER_HEADROOM_DB[settings.audio_format],
    )
    before = -math.inf
    for attempt in range(MAX_PASSES):
        first = live if attempt == 0 else None
        spans, (heard, over) = _encode_pass(pieces(), path, settings, aim, first, master, goal)
        quiet = settings.loudness_lufs - heard.integrated_lufs > ACCEPT_LU
        stuck = quiet and heard.integrated_lufs < before + STUCK_LU
        if _meets(heard, settings) or (heard.true_peak_dbtp <= goal and stuck):
            return heard
        before = heard.integrated_lufs if quiet else -math.inf
        aim = _next_aim(aim, settings, heard, over, spans)
    if heard.true_peak_dbtp <= goal:
        return heard
    raise ExportError(
        f"{FORMAT_NAMES[settings.audio_format]} encoding could not keep the true peak under "
        f"{settings.true_peak_dbtp:g} dBTP at {settings.loudness_lufs:g} LUFS in {MAX_PASSES} "
        f"tries (it measured {heard.true_peak_dbtp:.1f} dBTP): try a higher bitrate or a "
        "quieter --loudness"
    )


def encoder_identity() -> str:
    """What identifies our ffmpeg and its encoders: a hash of its ``-version`` report (version,
    build configuration and library versions) and of the options we give each encoder (LAME's
    speed setting among them). A finished render is reused only from the same encoder so set:
    another one makes other bytes, and its file is checked anew."""
    options = repr((sorted(_ENCODERS.items()), sorted(TAPS.items()))).encode()
    return hashlib.sha256(_identity_of(use_ffmpeg()).encode() + options).hexdigest()


@lru_cache(maxsize=4)
def _identity_of(ffmpeg: str) -> str:
    # an ffmpeg that cannot say its version is known by its path: encoding then tells what
    # is wrong with it, in the words of the encoding's own error
    try:
        done = subprocess.run([ffmpeg, "-version"], capture_output=True, check=False)
    except OSError:
        return hashlib.sha256(f"unreadable {ffmpeg}".encode()).hexdigest()
    return hashlib.sha256(done.stdout + str(done.returncode).encode()).hexdigest()


def remux_with_metadata(
    path: Path,
    audio_format: str,
    values: Sequence[tuple[str, str]],
    chapters: Sequence[ChapterMark],
    cover: Cover | None = None,
) -> None:
    """Rewrite the M4B or Ogg Opus file at ``path`` with the global metadata ``values``, the
    ``chapters`` and the ``cover`` (as an attached picture): the audio is copied, not
    re-encoded, and the file is replaced only once the remux is complete."""
    with tempfile.TemporaryDirectory(prefix="article-audio-", dir=path.parent) as folder:
        meta = Path(folder) / "metadata.ffmeta"
        meta.write_text(ffmetadata(chapters, values), encoding="utf-8")
        inputs = ["-i", str(path), "-i", str(meta)]
        picture: list[str] = []
        if cover is not None:
            image = Path(folder) / ("cover.png" if cover.mime == "image/png" else "cover.jpg")
            image.write_bytes(cover.data)
            inputs += ["-i", str(image)]
            picture = ["-map", "2:v", "-disposition:v:0", "attached_pic"]
        remuxed = Path(folder) / f"tagged.{audio_format}"
        # chapter titles are chapter metadata: "-map_metadata -1" would blank them
        run_ffmpeg(
            [
                *inputs,
                *("-map", "0:a", *picture, "-map_metadata", "1"),
                *("-map_chapters", "1" if chapters else "-1"),
                *("-c", "copy", *_REMUXES[audio_format], str(remuxed)),
            ],
            f"writing the {FORMAT_NAMES[audio_format]} tags and chapters",
        )
        os.replace(remuxed, path)


def finish_audio(
    path: Path, settings: AudioSettings, tags: Tags, chapters: Sequence[ChapterMark]
) -> None:
    """Tag the encoded file at ``path`` and give it its chapters and cover (a WAV file has
    none: its sidecars carry them)."""
    if settings.audio_format == "m4b":
        remux_with_metadata(path, "m4b", mp4_metadata(tags), chapters, settings.cover)
    elif settings.audio_format == "opus":
        # Ogg has no attached pictures, and the chapters are comments too (opus_metadata)
        remux_with_metadata(path, "opus", opus_metadata(tags, chapters, settings.cover), ())
    elif settings.audio_format == "mp3":
        write_id3_tags(path, tags, chapters, settings.cover)
