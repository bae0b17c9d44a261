"""The platform's own voices through pyttsx3: espeak-ng on Linux, SAPI5 on Windows,
NSSpeechSynthesizer on macOS.

pyttsx3 keeps one engine per driver per process (espeak-ng cannot even be initialized twice),
so every :class:`Pyttsx3Engine` shares one pyttsx3 engine, created on first use and kept for the
life of the process; each of ours sets its own voice and rate before every utterance.

pyttsx3 2.99's espeak driver has races that lose audio or settings; they are handled here:

* ``runAndWait()`` begins by calling espeak's ``Cancel()`` whenever espeak-ng's command thread is
  busy. A rate change just queued in espeak is then silently dropped, and the utterance itself
  may be cancelled (pyttsx3 then reports ``finished-utterance`` with ``completed=False``, before
  any file is written). We wait until espeak-ng is idle before starting an utterance, and make
  again any utterance reported as not completed.
* On a new pyttsx3 engine the first ``runAndWait()`` returns before the audio is written; the
  shared engine is therefore run once, empty, when created, and we always wait for the
  ``finished-utterance`` notification ourselves.
* The espeak driver prints "Audio saved to ..." on stdout; that is swallowed.

Audio is checked against the text's expected length; audio that looks cut short is made again
clause by clause (then half by half), and an :class:`EngineError` names the sentence if even
that fails.

The platform voices say nothing about when each word is spoken: word times for them are
estimated within the audio's measured bounds (:func:`article_audio.engines.synthesize_timed`)
and flagged as estimates.
"""

from __future__ import annotations

import atexit
import contextlib
import functools
import io
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import wave
import weakref
from pathlib import Path
from typing import TYPE_CHECKING, Any

from article_audio.audio.segment import AudioSegment
from article_audio.engines import excerpt, expected_duration_ms
from article_audio.errors import EngineError, VoiceError
from article_audio.util import package_version
from article_audio.voices import PhonemeMode

if TYPE_CHECKING:
    from article_audio.voices import VoiceProfile

#: pyttsx3's default speaking rate (words per minute) on every driver; profile.rate scales it.
DEFAULT_WPM = 200
#: Audio shorter than this share of the expected duration counts as truncated.
TRUNCATED_SHARE = 0.4
#: Texts expected to be shorter than this are only checked for being empty (short words vary).
CHECK_MIN_MS = 1000.0
#: How long to wait for an utterance beyond three times its expected length.
FINISH_TIMEOUT_S = 30.0
#: How long to wait for espeak-ng to become idle before starting an utterance.
SETTLE_TIMEOUT_S = 5.0
#: Utterances reported as cancelled are made again up to this many times in all.
ATTEMPTS = 3

#: Where a sentence may be cut when the engine loses audio: after , ; : or at a dash.
_CLAUSE_BREAK = re.compile(r"(?<=[,;:])\s+|\s*[—–]\s*|\s+-\s+")
_HAS_WORD = re.compile(r"\w")
#: What a platform driver could take as markup instead of words: SAPI5 parses XML (and so
#: SSML), NSSpeechSynthesizer runs ``[[ embedded commands ]]``; and control characters.
_MARKUP = re.compile(r"[<>\x00-\x1f\x7f-\x9f]|\[{2,}|\]{2,}")
#: Zero-width and bidi-control characters: nothing to say, and they may hide words.
_INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]")
#: One utterance at a time: the pyttsx3 engine (and espeak-ng's voice and rate) is global.
_SPEAKING = threading.Lock()


def plain_text(text: str) -> str:
    """``text`` as words only, whatever the platform driver: angle brackets and control
    characters become spaces, ``[[`` and ``]]`` single brackets, and zero-width and bidi
    characters go.

    The narration script never has these (normalization reads or removes them); this keeps
    the engine safe for text that did not go through it.
    """
    text = _INVISIBLE.sub("", text)
    return _MARKUP.sub(lambda m: m.group(0)[0] if m.group(0)[0] in "[]" else " ", text)


def _driver_problem(exc: BaseException) -> str:
    message = " ".join(str(exc).split()) or type(exc).__name__
    if sys.platform.startswith("linux"):
        if "installed" in message or "espeak" in message.lower():
            return "pyttsx3 installed but no espeak-ng library found: apt-get install espeak-ng"
        return f"pyttsx3 could not start espeak-ng: {message}"
    return f"pyttsx3 could not start its speech driver: {message}"


@functools.lru_cache(maxsize=1)
def shared_pyttsx3() -> Any:
    """The process's one pyttsx3 engine (created on first call, kept for the process)."""
    try:
        import pyttsx3
    except ImportError as exc:
        raise VoiceError("the pyttsx3 engine is not installed: pip install pyttsx3") from exc
    try:
        with contextlib.redirect_stdout(io.StringIO()):
            tts = pyttsx3.init()
            # A new engine's first run ends early; running it once, empty, leaves its command
            # queue idle so that later commands run as soon as they are issued.
            tts.runAndWait()
    except Exception as exc:
        raise VoiceError(_driver_problem(exc)) from exc
    # Let go of it before interpreter shutdown, while pyttsx3's finalizer can still run cleanly.
    atexit.register(shared_pyttsx3.cache_clear)
    return tts


def settle() -> None:
    """Wait until espeak-ng has no command running (when pyttsx3 drives espeak-ng).

    ``runAndWait()`` cancels whatever espeak-ng is doing when it starts; starting only when
    espeak-ng is idle keeps a just-made rate change, and the utterance itself, from being lost.
    """
    if "pyttsx3.drivers.espeak" not in sys.modules:
        return
    from pyttsx3.drivers import _espeak

    deadline = time.monotonic() + SETTLE_TIMEOUT_S
    while _espeak.IsPlaying() and time.monotonic() < deadline:
        time.sleep(0.001)


def _norm(value: object) -> str:
    return str(value or "").strip().lower().replace("_", "-")


def _voice_matchers(key: str) -> tuple[Any, ...]:
    def last_part(voice: Any) -> str:
        return re.split(r"[/\\]", _norm(voice.id))[-1]

    return (
        lambda voice: _norm(voice.id) == key or last_part(voice) == key,
        lambda voice: key in {_norm(language) for language in voice.languages or ()},
        lambda voice: _norm(voice.name) == key,
        lambda voice: key in _norm(voice.id) or key in _norm(voice.name),
    )


def find_voice(voices: list[Any], wanted: str) -> Any | None:
    """The voice best matching ``wanted``: by id, then language, then name, then substring."""
    key = _norm(wanted)
    for matches in _voice_matchers(key):
        for voice in voices:
            if matches(voice):
                return voice
    return None


def _pick_voice(tts: Any, wanted: str) -> Any:
    try:
        voices = list(tts.getProperty("voices"))
    except Exception as exc:
        raise VoiceError(f"pyttsx3 could not list its voices: {exc}") from exc
    voice = find_voice(voices, wanted)
    if voice is None:
        prefix = _norm(wanted)[:2]
        similar = [str(v.id) for v in voices if prefix and prefix in _norm(v.id)][:6]
        hint = f" (similar: {', '.join(similar)})" if similar else ""
        raise VoiceError(f"no voice matching {wanted!r} among {len(voices)} pyttsx3 voices{hint}")
    return voice


def split_for_retry(text: str) -> list[str]:
    """``text`` in smaller pieces: at clause breaks, else in two halves between words.

    Returns an empty list when ``text`` is a single word.
    """
    clauses = [piece for piece in _CLAUSE_BREAK.split(text.strip()) if _HAS_WORD.search(piece)]
    if len(clauses) > 1:
        return clauses
    tokens = text.split()
    spoken = [index for index, token in enumerate(tokens) if _HAS_WORD.search(token)]
    if len(spoken) < 2:
        return []
    middle = spoken[len(spoken) // 2]
    return [" ".join(tokens[:middle]), " ".join(tokens[middle:])]


def _to_mono16(segment: AudioSegment) -> AudioSegment:
    if segment.channels != 1:
        segment = segment.set_channels(1)
    if segment.sample_width != 2:
        segment = segment.set_sample_width(2)
    return segment


def read_audio(path: Path) -> AudioSegment:
    """The audio pyttsx3 wrote to ``path``; a missing file is empty audio.

    WAV is read with the ``wave`` module; anything else (NSSpeechSynthesizer writes AIFF
    whatever the name) is first converted to WAV by ffmpeg.
    """
    if not path.exists():
        return AudioSegment.silent(duration=0, frame_rate=22050)
    try:
        return _read_wav(path)
    except (wave.Error, EOFError):
        return _read_wav(_converted_to_wav(path))


def _read_wav(path: Path) -> AudioSegment:
    with wave.open(str(path), "rb") as handle:
        params = handle.getparams()
        data = handle.readframes(params.nframes)
    return _to_mono16(
        AudioSegment(
            data=data,
            sample_width=params.sampwidth,
            frame_rate=params.framerate,
            channels=params.nchannels,
        )
    )


def _converted_to_wav(path: Path) -> Path:
    """``path`` (any format ffmpeg reads) converted to 16-bit WAV beside it."""
    from article_audio.audio.segment import ffmpeg_path

    converted = path.with_name(f"{path.stem}.converted.wav")
    command = [ffmpeg_path(), "-v", "error", "-y", "-i", str(path), "-c:a", "pcm_s16le"]
    try:
        subprocess.run([*command, str(converted)], check=True, capture_output=True)
    except (OSError, subprocess.CalledProcessError) as exc:
        raise EngineError(f"cannot read the audio pyttsx3 wrote: {exc}") from exc
    return converted


def identity(profile: VoiceProfile) -> dict[str, str]:
    """What decides this voice's sound besides the profile: pyttsx3's version and the platform
    (and with it the speech driver: espeak-ng, SAPI5 or NSSpeechSynthesizer)."""
    return {
        "pyttsx3": package_version("pyttsx3"),
        "platform": sys.platform,
        "base_wpm": str(DEFAULT_WPM),
    }


class Pyttsx3Engine:
    """A platform voice chosen by ``profile.voice`` (matched against id, language or name)."""

    name = "pyttsx3"
    phoneme_mode: PhonemeMode = "respelling"

    def __init__(self, profile: VoiceProfile) -> None:
        self._tts = shared_pyttsx3()
        self._profile = profile
        voice = _pick_voice(self._tts, profile.voice)
        self.voice_id = str(voice.id)
        self.rate_wpm = round(DEFAULT_WPM * profile.rate)
        self.description = f"ready (pyttsx3 voice {self.voice_id}, {voice.name})"
        self._finished = threading.Event()
        self._completed = False
        self._utterances = 0
        self._token = self._tts.connect("finished-utterance", self._on_finished)
        self._folder = Path(tempfile.mkdtemp(prefix="article-audio-pyttsx3-"))
        self._cleanup = weakref.finalize(self, shutil.rmtree, self._folder, True)
        self._closed = False

    def synthesize(self, text: str) -> AudioSegment:
        """Audio for ``text``, re-made in pieces if the engine cuts it short."""
        if self._closed:
            raise EngineError("the pyttsx3 engine is closed")
        text = plain_text(text)
        if not text.strip():
            raise EngineError("nothing to synthesize: the text is empty")
        return self._speak_checked(text, text)

    def close(self) -> None:
        """Stop listening to the shared pyttsx3 engine and delete the temporary folder.

        The shared engine itself stays alive for the next :class:`Pyttsx3Engine`. Safe to call
        more than once.
        """
        if self._closed:
            return
        self._closed = True
        self._tts.disconnect(self._token)
        self._cleanup()

    def _on_finished(self, completed: object = True, **_: object) -> None:
        self._completed = bool(completed)
        self._finished.set()

    def _lost_audio(self, audio: AudioSegment, text: str) -> bool:
        if len(audio) == 0:
            return True
        expected = expected_duration_ms(text, self._profile)
        return expected >= CHECK_MIN_MS and len(audio) < expected * TRUNCATED_SHARE

    def _speak_checked(self, text: str, sentence: str) -> AudioSegment:
        audio = self._speak(text)
        if not self._lost_audio(audio, text):
            return audio
        pieces = split_for_retry(text)
        if not pieces:
            expected = expected_duration_ms(text, self._profile)
            raise EngineError(
                f"pyttsx3 returned {len(audio)} ms of audio for {excerpt(text)} "
                f"(expected about {expected:.0f} ms) in {excerpt(sentence)}"
            )
        parts = [self._speak_checked(piece, sentence) for piece in pieces]
        return functools.reduce(lambda joined, part: joined + part, parts)

    def _speak(self, text: str) -> AudioSegment:
        """One utterance, made again if pyttsx3 reports it cancelled."""
        timeout = FINISH_TIMEOUT_S + 3 * expected_duration_ms(text, self._profile) / 1000
        with _SPEAKING, contextlib.redirect_stdout(io.StringIO()):
            for _ in range(ATTEMPTS):
                path = self._next_path()
                try:
                    if self._run(text, path, timeout):
                        return read_audio(path)
                finally:
                    path.unlink(missing_ok=True)
        raise EngineError(f"pyttsx3 cancelled {excerpt(text)} {ATTEMPTS} times")

    def _next_path(self) -> Path:
        # A fresh name per attempt: a cancelled utterance can never be read as a later one.
        self._utterances += 1
        return self._folder / f"utterance-{self._utterances}.wav"

    def _run(self, text: str, path: Path, timeout: float) -> bool:
        """Save ``text`` to ``path``; whether pyttsx3 reported it completed."""
        settle()
        self._finished.clear()
        self._completed = False
        try:
            self._tts.setProperty("voice", self.voice_id)
            self._tts.setProperty("rate", self.rate_wpm)
            settle()
            self._tts.save_to_file(text, str(path))
            self._tts.runAndWait()
        except Exception as exc:
            raise EngineError(f"pyttsx3 failed on {excerpt(text)}: {exc}") from exc
        if not self._finished.wait(timeout):
            raise EngineError(f"pyttsx3 did not finish {excerpt(text)} in {timeout:.0f} s")
        return self._completed
