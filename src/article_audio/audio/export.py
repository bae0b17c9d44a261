"""Export stage: the narration becomes a mastered, tagged, chaptered MP3 or M4B audiobook.

* **Mastering and encoding.** The narration is mastered (:mod:`.loudness`) and piped
  to ffmpeg as 16-bit PCM: MP3 through LAME, or AAC-LC (ffmpeg's native ``aac`` encoder) in an
  MP4 audiobook container. The encoded file is then decoded and measured; if the encoder moved
  its loudness or peaks out of bounds, the narration is mastered again with a corrected target
  and ceiling and encoded again (at most :data:`MAX_PASSES` times).
* **Timing.** Both formats decode sample-exact to the assembled narration, which is what keeps
  chapter and cue times right: LAME primes the stream with 1105 samples (576 of encoder delay and
  529 of decoder delay), and ffmpeg records them in the LAME/Info header of the first frame;
  players that read it (ffmpeg and so Chromium, Firefox, Apple's AVFoundation, ExoPlayer) skip
  them. A player that ignores it plays 1105 samples (50 ms at 22050 Hz) late. The AAC encoder's
  1024 priming samples are covered by the MP4 edit list in the same way.
* **Tags.** MP3: ID3v2.3 with CHAP frames plus one top-level, ordered CTOC (podcast apps such as
  Overcast list chapters only when a CTOC is present) and an APIC cover. M4B: chapters as ffmpeg
  writes them from an ffmetadata file (a QuickTime chapter track and a Nero ``chpl`` atom), and
  the iTunes-style atoms (``©nam``, ``©ART``, ``©alb``, ``©day``, ``©cmt``, ``covr``) written by
  mutagen, with ``stik`` = audiobook.
* **Atomicity.** Everything happens under a temporary name in the destination folder, renamed
  into place at the end, so a reader never sees half a file and a failure leaves none.
"""

from __future__ import annotations

import contextlib
import glob
import io
import math
import os
import re
import subprocess
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from mutagen.id3 import APIC, CHAP, COMM, CTOC, ID3, TALB, TDRC, TIT2, TPE1, TSSE, CTOCFlags
from mutagen.mp4 import MP4, MP4Cover

from article_audio.audio import loudness
from article_audio.audio.assemble import ChapterMark, Narration, ms_to_samples
from article_audio.audio.loudness import Measurement
from article_audio.audio.segment import SAMPLE_RATE, use_ffmpeg
from article_audio.config import (
    AUDIO_FORMATS,
    BITRATES_KBPS,
    DEFAULT_BITRATE_KBPS,
    DEFAULT_LOUDNESS_LUFS,
    TRUE_PEAK_CEILING_DBTP,
    RenderOptions,
)
from article_audio.errors import ExportError, InputError

#: ID3v2.3 is what podcast apps and players read most widely.
ID3_VERSION = 3
#: Byte offsets are not used for chapters (times are); ID3 spells "unused" like this.
NO_OFFSET = 0xFFFFFFFF
#: Loudness targets accepted (LUFS): from quiet archives to loud streaming speech.
LOUDNESS_RANGE_LUFS = (-36.0, -9.0)
#: Master and encode at most this many times (a second pass only when the first missed).
MAX_PASSES = 2
#: A narration heard this close to its loudness target (LU) needs no second pass.
ACCEPT_LU = 0.5
#: Sentences are mastered this much louder than the narration's target: a narration of
#: sentences all at one loudness measures quieter than they do, because gating blocks that
#: straddle a pause count too (measured on the example article with Piper: about 0.1 LU).
NARRATION_OFFSET_LU = 0.1
#: What each encoder does to loudness (dB), measured, so that the first pass usually hits the
#: target: LAME through ffmpeg scales its input by about 0.95 (-0.45 dB at 16, 22.05 and
#: 44.1 kHz and 32 to 96 kbps, with Debian's ffmpeg 5.1 and imageio-ffmpeg's 7.x); ffmpeg's AAC
#: encoder keeps it. Any other encoder is caught and corrected by the measurement.
ENCODER_GAIN_DB = {"mp3": -0.45, "m4b": 0.0}
#: The first pass's true-peak ceiling sits this far below the target (dB), for the encoder's
#: overshoot (measured on speech: none at 64 kbps MP3, about +0.7 dB at 48 kbps and +1.2 dB at
#: 32 kbps; +0.2 to +0.85 dB for 64 kbps AAC). Later passes lower it by what they measure.
ENCODER_HEADROOM_DB = {"mp3": 0.5, "m4b": 1.0}
#: Cover images accepted: Pillow format name → MIME type.
COVER_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png"}
#: ID3 APIC picture type for a front cover.
FRONT_COVER = 3
#: MP4 ``stik`` media kind for audiobooks.
STIK_AUDIOBOOK = 2
#: File suffixes that name one audio format (a mismatch with the format asked for is refused).
SUFFIX_FORMATS = {".mp3": "mp3", ".m4b": "m4b", ".m4a": "m4b", ".mp4": "m4b"}
#: What ffmpeg is told to write, per audio format.
_ENCODERS = {
    "mp3": ["-c:a", "libmp3lame", "-f", "mp3"],
    "m4b": ["-c:a", "aac", "-brand", "M4B ", "-movflags", "+faststart", "-f", "ipod"],
}


@dataclass(frozen=True)
class Tags:
    title: str
    artist: str | None = None
    album: str | None = None
    date: str | None = None
    comment: str | None = None


@dataclass(frozen=True)
class Cover:
    """A cover image, checked to be a complete JPEG or PNG."""

    data: bytes
    mime: str
    width: int
    height: int


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


def audio_settings(options: RenderOptions, destination: Path) -> AudioSettings:
    """The checked :class:`AudioSettings` of ``options`` for ``destination``, its cover read.

    Call it before synthesis: a bad cover, format, bitrate or loudness, or a ``.mp3`` name for
    M4B audio (and the other way round), is an :class:`InputError` before any work is done.
    """
    named = SUFFIX_FORMATS.get(destination.suffix.lower())
    if named is not None and named != options.audio_format:
        raise InputError(
            f"{destination}: the name says {named} but the audio format is {options.audio_format}"
        )
    settings = AudioSettings(
        audio_format=options.audio_format,
        bitrate_kbps=options.bitrate_kbps,
        loudness_lufs=options.loudness_lufs,
        cover=load_cover(options.cover) if options.cover else None,
    )
    check_settings(settings)
    return settings


def load_cover(path: str | Path) -> Cover:
    """Read and check a cover image: a complete JPEG or PNG, told by its content, not its name.

    Raises :class:`InputError` for a missing, empty, non-image, other-format or corrupt file.
    """
    from PIL import Image, UnidentifiedImageError

    name = str(path)
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise InputError(f"{name}: cannot read the cover image ({exc.strerror})") from exc
    if not data:
        raise InputError(f"{name}: the cover image is empty")
    kind = ""
    try:
        with Image.open(io.BytesIO(data)) as image:
            kind = image.format or ""
            image.verify()  # structure and checksums
        with Image.open(io.BytesIO(data)) as image:
            image.load()  # every pixel decodes
            width, height = image.size
    except UnidentifiedImageError as exc:
        raise InputError(f"{name}: not an image (a cover must be JPEG or PNG)") from exc
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:
        raise InputError(f"{name}: corrupt {kind or 'image'} file ({exc})") from exc
    if kind not in COVER_TYPES:
        raise InputError(f"{name}: a {kind} image; a cover must be JPEG or PNG")
    return Cover(data, COVER_TYPES[kind], width, height)


def _new_file_mode() -> int:
    """The mode a file created now would get: ``0o666`` less the process's umask."""
    mask = os.umask(0o022)
    os.umask(mask)
    return 0o666 & ~mask


def _place(temporary: Path, destination: Path) -> None:
    """Give ``temporary`` a new file's usual mode (mkstemp makes it 0600) and rename it onto
    ``destination``."""
    try:
        os.chmod(temporary, _new_file_mode())
        os.replace(temporary, destination)
    except OSError as exc:
        raise ExportError(f"{destination}: cannot write ({exc.strerror})") from exc


@contextlib.contextmanager
def atomic_path(destination: Path) -> Iterator[Path]:
    """A temporary path beside ``destination`` that is renamed onto it if the block succeeds
    and removed if it fails.

    The temporary name carries the process id (``.paris.1234.x8f2.part``), so the leftovers of
    a process that was killed (``kill -9``, a power cut) are recognised and removed by the next
    write to the same destination."""
    folder = destination.parent
    _remove_leftovers(destination)
    try:
        handle, name = tempfile.mkstemp(
            prefix=f".{destination.stem}.{os.getpid()}.", suffix=".part", dir=folder
        )
    except OSError as exc:
        raise ExportError(f"cannot write in {folder}: {exc.strerror}") from exc
    os.close(handle)
    temporary = Path(name)
    try:
        yield temporary
        _place(temporary, destination)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def write_atomically(path: Path, data: bytes) -> None:
    """``data`` at ``path``, written and flushed to disk under a temporary name, then renamed;
    :class:`ExportError` if it cannot be written (nothing is left behind)."""
    with atomic_path(path) as temporary:
        try:
            with temporary.open("wb") as stream:
                stream.write(data)
                stream.flush()
                os.fsync(stream.fileno())
        except OSError as exc:
            raise ExportError(f"{path}: cannot write ({exc.strerror})") from exc


def _remove_leftovers(destination: Path) -> None:
    """Remove temporary files for ``destination`` left by processes that no longer run."""
    prefix = f".{destination.stem}."
    with contextlib.suppress(OSError):
        for path in destination.parent.glob(f"{glob.escape(prefix)}*.part"):
            pid = path.name[len(prefix) :].split(".", 1)[0]
            if pid.isdigit() and not _running(int(pid)):
                path.unlink(missing_ok=True)


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # exists, owned by someone else
    return True


def _last_line(text: str, fallback: str) -> str:
    lines = [line for line in text.strip().splitlines() if line.strip()]
    return lines[-1].strip() if lines else fallback


def run_ffmpeg(args: Sequence[str], what: str, stdin: bytes | None = None) -> bytes:
    """Run our ffmpeg with ``args``; its stdout, or :class:`ExportError` naming ``what``."""
    command = [use_ffmpeg(), "-hide_banner", "-loglevel", "error", "-y", *args]
    try:
        done = subprocess.run(command, input=stdin, capture_output=True, check=False)
    except OSError as exc:
        raise ExportError(f"{what} failed: cannot run ffmpeg ({exc.strerror})") from exc
    if done.returncode != 0:
        error = _last_line(done.stderr.decode("utf-8", "replace"), f"exit code {done.returncode}")
        raise ExportError(f"{what} failed: {error}")
    return done.stdout


def _escape_ffmetadata(text: str) -> str:
    """A value for an ffmetadata file: ``= ; # \\`` and line breaks escaped with a backslash."""
    text = " ".join(text.split())
    return re.sub(r"([=;#\\])", r"\\\1", text)


def ffmetadata(chapters: Sequence[ChapterMark]) -> str:
    """An ffmetadata document with one ``[CHAPTER]`` per chapter (times in milliseconds)."""
    lines = [";FFMETADATA1"]
    for chapter in chapters:
        lines += [
            "[CHAPTER]",
            "TIMEBASE=1/1000",
            f"START={chapter.start_ms}",
            f"END={chapter.end_ms}",
            f"title={_escape_ffmetadata(chapter.title)}",
        ]
    return "\n".join(lines) + "\n"


def chapter_frames(chapters: Sequence[ChapterMark]) -> list[CHAP | CTOC]:
    """CHAP frames for ``chapters`` and the top-level ordered CTOC that lists them."""
    frames: list[CHAP | CTOC] = []
    ids = [f"chp{index}" for index in range(len(chapters))]
    for element_id, chapter in zip(ids, chapters, strict=True):
        frames.append(
            CHAP(
                element_id=element_id,
                start_time=chapter.start_ms,
                end_time=chapter.end_ms,
                start_offset=NO_OFFSET,
                end_offset=NO_OFFSET,
                sub_frames=[TIT2(encoding=3, text=[chapter.title])],
            )
        )
    frames.append(
        CTOC(
            element_id="toc",
            flags=CTOCFlags.TOP_LEVEL | CTOCFlags.ORDERED,
            child_element_ids=ids,
            sub_frames=[TIT2(encoding=3, text=["Chapters"])],
        )
    )
    return frames


def write_tags(
    path: Path, tags: Tags, chapters: Sequence[ChapterMark], cover: Cover | None = None
) -> None:
    """Write ID3v2.3 tags, chapter frames and the cover to the MP3 at ``path``."""
    id3 = ID3()
    id3.add(TIT2(encoding=3, text=[tags.title]))
    if tags.artist:
        id3.add(TPE1(encoding=3, text=[tags.artist]))
    if tags.album:
        id3.add(TALB(encoding=3, text=[tags.album]))
    if tags.date:
        id3.add(TDRC(encoding=3, text=[tags.date]))
    if tags.comment:
        id3.add(COMM(encoding=3, lang="eng", desc="", text=[tags.comment]))
    id3.add(TSSE(encoding=3, text=["article-audio"]))
    if cover is not None:
        id3.add(APIC(encoding=3, mime=cover.mime, type=FRONT_COVER, desc="Cover", data=cover.data))
    for frame in chapter_frames(chapters):
        id3.add(frame)
    try:
        id3.save(str(path), v2_version=ID3_VERSION)
        order_chapter_frames(path)
    except Exception as exc:  # mutagen raises MutagenError, OSError
        raise ExportError(f"writing ID3 tags failed: {exc}") from exc


def write_mp4_tags(path: Path, tags: Tags, cover: Cover | None = None) -> None:
    """Write the iTunes-style metadata atoms (and ``covr``) of the M4B at ``path``."""
    values: dict[str, list[object]] = {"\xa9nam": [tags.title], "\xa9too": ["article-audio"]}
    for key, text in (
        ("\xa9ART", tags.artist),
        ("\xa9alb", tags.album),
        ("\xa9day", tags.date),
        ("\xa9cmt", tags.comment),
    ):
        if text:
            values[key] = [text]
    values["stik"] = [STIK_AUDIOBOOK]
    if cover is not None:
        kind = MP4Cover.FORMAT_PNG if cover.mime == "image/png" else MP4Cover.FORMAT_JPEG
        values["covr"] = [MP4Cover(cover.data, imageformat=kind)]
    try:
        mp4 = MP4(str(path))
        for key, value in values.items():
            mp4[key] = value  # creates the tag atoms if there are none
        mp4.save()
    except Exception as exc:  # mutagen raises MutagenError, OSError
        raise ExportError(f"writing MP4 tags failed: {exc}") from exc


def _chapter_start(frame: bytes) -> int:
    """Start time (ms) of a raw CHAP frame: it follows the null-terminated element id."""
    data = frame[10:]
    end = data.index(b"\x00")
    return int.from_bytes(data[end + 1 : end + 5], "big")


def order_chapter_frames(path: Path) -> None:
    """Put the CHAP frames of the ID3v2.3 tag at the start of ``path`` in chronological order.

    mutagen writes frames sorted by size; players that ignore the CTOC (and ffprobe) list
    chapters in file order. The tag keeps its size, so it is rewritten in place.
    """
    with path.open("r+b") as handle:
        header = handle.read(10)
        if header[:3] != b"ID3" or header[3] != ID3_VERSION or header[5] & 0x40:
            return  # not a plain v2.3 tag without extended header: leave it alone
        size = sum((b & 0x7F) << (7 * (3 - i)) for i, b in enumerate(header[6:10]))  # syncsafe
        body = handle.read(size)
        frames, position = [], 0
        while position + 10 <= len(body) and body[position] != 0:
            length = int.from_bytes(body[position + 4 : position + 8], "big")
            frames.append(body[position : position + 10 + length])
            position += 10 + length
        chapters = iter(sorted((f for f in frames if f[:4] == b"CHAP"), key=_chapter_start))
        ordered = [next(chapters) if f[:4] == b"CHAP" else f for f in frames]
        handle.seek(10)
        handle.write(b"".join(ordered))


class Encoder:
    """An ffmpeg process encoding mono 16-bit PCM that is fed to it piece by piece.

    Use it as a context manager: leaving the block normally waits for the file to be finished
    (:meth:`close`); leaving it with an exception stops ffmpeg.
    """

    def __init__(self, path: Path, settings: AudioSettings, rate: int = SAMPLE_RATE) -> None:
        self.what = f"{settings.audio_format.upper()} encoding"
        command = [
            use_ffmpeg(),
            *("-hide_banner", "-loglevel", "error", "-y"),
            *("-f", "s16le", "-ar", str(rate), "-ac", "1", "-i", "pipe:0"),
            *("-b:a", f"{settings.bitrate_kbps}k", "-ac", "1"),
            *_ENCODERS[settings.audio_format],
            str(path),
        ]
        self._errors = tempfile.TemporaryFile()  # noqa: SIM115 (closed in close/abort)
        try:
            self._process = subprocess.Popen(command, stdin=subprocess.PIPE, stderr=self._errors)
        except OSError as exc:
            self._errors.close()
            raise ExportError(f"{self.what} failed: cannot run ffmpeg ({exc.strerror})") from exc

    def write(self, pcm: bytes) -> None:
        """Encode the next piece of 16-bit PCM."""
        stdin = self._process.stdin
        assert stdin is not None
        try:
            stdin.write(pcm)
        except (BrokenPipeError, OSError) as exc:
            self._process.wait()
            raise ExportError(f"{self.what} failed: {self._error('ffmpeg stopped')}") from exc

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
            raise ExportError(f"{self.what} failed: {message}")

    def abort(self) -> None:
        """Stop ffmpeg (the caller removes the half-written file)."""
        self._process.kill()
        with contextlib.suppress(OSError):
            self._process.communicate()
        self._errors.close()

    def _error(self, fallback: str) -> str:
        self._errors.seek(0)
        return _last_line(self._errors.read().decode("utf-8", "replace"), fallback)

    def __enter__(self) -> Encoder:
        return self

    def __exit__(self, kind: object, value: object, traceback: object) -> None:
        if kind is None:
            self.close()
        else:
            self.abort()


#: A piece of narration: a sentence's samples (floats), or a number of samples of silence.
Piece = loudness.Samples | int


def _encode_pass(
    pieces: Iterable[Piece], path: Path, settings: AudioSettings, target: float, ceiling: float
) -> Measurement:
    """Master every sentence to ``target`` under ``ceiling``, encode the stream to ``path``
    and return its measurement (before the encoder)."""
    meter = loudness.LoudnessMeter()
    with Encoder(path, settings) as encoder:
        for piece in pieces:
            if isinstance(piece, int):
                meter.add_silence(piece)
                encoder.write(bytes(piece * 2))
                continue
            pcm = loudness.to_pcm(loudness.master_sentence(piece, target, ceiling))
            meter.add(loudness.pcm_to_float(pcm))
            encoder.write(pcm)
    return meter.measurement()


def encode_narration(
    pieces: Callable[[], Iterable[Piece]], path: Path, settings: AudioSettings
) -> Measurement:
    """Master and encode the narration ``pieces()`` yields, to ``path``.

    The stream is measured as it is encoded; when the result, corrected by the encoder's known
    gain, misses the loudness target by more than :data:`ACCEPT_LU`, ``pieces()`` is called
    again and the narration mastered and encoded once more with the error taken out. Returns the
    narration's loudness as a player will measure it and its true peak before the encoder.
    """
    check_settings(settings)
    encoder_gain = ENCODER_GAIN_DB[settings.audio_format]
    target = settings.loudness_lufs - encoder_gain + NARRATION_OFFSET_LU
    ceiling = settings.true_peak_dbtp - ENCODER_HEADROOM_DB[settings.audio_format]
    measured = Measurement(float("-inf"), float("-inf"))
    for _ in range(MAX_PASSES):
        measured = _encode_pass(pieces(), path, settings, target, ceiling)
        heard = measured.integrated_lufs + encoder_gain
        if not math.isfinite(heard) or abs(heard - settings.loudness_lufs) <= ACCEPT_LU:
            break
        target += settings.loudness_lufs - heard
    return Measurement(measured.integrated_lufs + encoder_gain, measured.true_peak_dbtp)


def add_m4b_chapters(path: Path, chapters: Sequence[ChapterMark]) -> None:
    """Rewrite the M4B at ``path`` with ``chapters`` (the audio is copied, not re-encoded)."""
    if not chapters:
        return
    with tempfile.TemporaryDirectory(prefix="article-audio-", dir=path.parent) as folder:
        meta = Path(folder) / "chapters.ffmeta"
        meta.write_text(ffmetadata(chapters), encoding="utf-8")
        remuxed = Path(folder) / "chaptered.m4b"
        # chapter titles are chapter metadata: "-map_metadata -1" would blank them
        run_ffmpeg(
            [
                *("-i", str(path), "-i", str(meta), "-map", "0:a"),
                *("-map_metadata", "1", "-map_chapters", "1", "-c", "copy"),
                *_ENCODERS["m4b"][2:],
                str(remuxed),
            ],
            "adding M4B chapters",
        )
        os.replace(remuxed, path)


def finish_audio(
    path: Path, settings: AudioSettings, tags: Tags, chapters: Sequence[ChapterMark]
) -> None:
    """Tag the encoded file at ``path`` and give it its chapters and cover."""
    if settings.audio_format == "m4b":
        add_m4b_chapters(path, chapters)
        write_mp4_tags(path, tags, settings.cover)
    else:
        write_tags(path, tags, chapters, settings.cover)


def narration_pieces(narration: Narration) -> Iterator[Piece]:
    """An in-memory narration as pieces: the silence between cues, and each cue's samples."""
    samples = loudness.to_float(narration.audio)
    position = 0
    for cue in narration.cues:
        start, end = ms_to_samples(cue.start_ms), ms_to_samples(cue.end_ms)
        yield start - position
        yield samples[start:end]
        position = end
    yield len(samples) - position


def export_audio(
    narration: Narration, destination: Path, tags: Tags, settings: AudioSettings = AudioSettings()
) -> Measurement:
    """Master, encode, tag and atomically place an in-memory narration at ``destination``."""
    check_settings(settings)
    with atomic_path(destination) as temporary:
        measured = encode_narration(lambda: narration_pieces(narration), temporary, settings)
        finish_audio(temporary, settings, tags, narration.chapters)
    return measured


def export_mp3(
    narration: Narration, destination: Path, tags: Tags, bitrate_kbps: int = DEFAULT_BITRATE_KBPS
) -> Path:
    """Master, encode, tag and atomically place an MP3 at ``destination`` (default loudness)."""
    export_audio(narration, destination, tags, AudioSettings(bitrate_kbps=bitrate_kbps))
    return destination


_DATE_FORMATS = ("%b %d, %Y", "%B %d, %Y", "%d %B %Y", "%d %b %Y", "%Y-%m-%d", "%b. %d, %Y")


def iso_date(text: str | None) -> str | None:
    """``YYYY-MM-DD`` (or ``YYYY``) from a date as printed on a news page, if one is found."""
    if not text:
        return None
    iso = re.search(r"\b\d{4}-\d{2}-\d{2}(?!\d)", text)
    if iso:
        return iso.group(0)
    match = re.search(r"[A-Z][a-z]{2,8}\.? \d{1,2}, \d{4}|\d{1,2} [A-Z][a-z]{2,8} \d{4}", text)
    if match:
        candidate = match.group(0).replace("Sept", "Sep")
        for fmt in _DATE_FORMATS:
            with contextlib.suppress(ValueError):
                return datetime.strptime(candidate, fmt).date().isoformat()
    year = re.search(r"\b(19|20)\d{2}\b", text)
    return year.group(0) if year else None
