"""Kokoro-82M: offline neural voices, from PyPI and package data, with nothing downloaded.

A profile's ``voice`` names a style vector shipped with article-audio (``af_heart``,
``am_michael``, ``bf_emma``, ``bm_george``; see ``data/NOTICE``) or the path of another
Kokoro v1.0 voice file (float32, 510 × 1 × 256; a relative path is taken from the profile
file's folder). A profile whose ``language`` is ``en-GB`` gets British phonemes.

A sentence becomes phonemes (:mod:`.phonemes`), then token ids: the model reads at most
:data:`MAX_RUN_TOKENS` of them at once. A sentence with more is cut by the rule narration cuts
long sentences by (:func:`article_audio.clauses.split_long_sentence`: the strongest clause
boundary that fits), applied to its phonemes, whose punctuation and spaces are the text's; the
runs are joined where the cut was, without the silence the model pads every run with (but for
the last :data:`JOIN_PAD_FRAMES` of the pad before a run, where its first sound begins), so
the clause's own pause is heard and nothing more. One session serves every thread
(onnxruntime releases the GIL) with a pool of :data:`SESSION_THREADS` threads, so a run alone
has both cores and two runs at once share them; runs whose tokens together pass
:data:`IN_FLIGHT_TOKENS` do not overlap, which bounds memory (a run's working memory grows
with its length, about 1.25 MB a token). The 24 kHz audio is resampled to the narration's
22,050 Hz here, by a polyphase filter.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from article_audio.audio.segment import SAMPLE_RATE, AudioSegment
from article_audio.clauses import split_long_sentence
from article_audio.engines import excerpt
from article_audio.engines.kokoro.model import (
    DURATIONS_OUTPUT,
    MODEL_SHA256,
    REWRITE,
    SAMPLES_PER_FRAME,
    model_source,
    session,
)
from article_audio.engines.kokoro.phonemes import (
    G2P_PACKAGE,
    IPA_INVENTORY,
    Phonemizer,
    conversion_digest,
    token_ids,
)
from article_audio.engines.timing import TimedAudio, word_times_from_phonemes
from article_audio.errors import EngineError, VoiceError
from article_audio.util import file_sha256, package_version
from article_audio.voices import PhonemeMode

if TYPE_CHECKING:
    from article_audio.voices import VoiceProfile

#: The model's window: token ids one run takes (512 positions, two of them the pads).
MAX_RUN_TOKENS = 510
#: Tokens of the runs in flight at once, over all threads: a run's working memory grows with
#: its tokens (about 1.25 MB each), so runs that would pass this together wait for each other
#: (a run alone always goes). Two runs at once take about 1.46 MB a token (one alone 1.27: the
#: arena's free space splits), so at 350 they stay below what the longest sentences' runs
#: (451 tokens in the 20,000-word input) take alone, which sets the peak; at 300, runs went one
#: at a time for 74 % of the example's synthesis, at 350 for 63 % (benchmarks/kokoro_jobs.py).
IN_FLIGHT_TOKENS = 350
#: The model speaks at 24 kHz.
MODEL_RATE = 24_000
#: The session's onnxruntime threads, shared by the runs in flight: a run alone (a long one
#: waiting out the others, the last one) takes both cores; threads that wait sleep (a spinning
#: one would take a core the other run needs). The samples are those of one thread.
SESSION_THREADS = 2
#: The voice style vectors shipped as package data.
SHIPPED_VOICES = ("af_heart", "am_michael", "bf_emma", "bm_george")
#: Kokoro is heard about one duration frame (25 ms) before the frames its predictor gives a
#: phoneme (the alignments it learned lag the sound): word times are moved this many frames
#: earlier. Measured: speech starts 40-90 ms before the
#: leading pad's frames end; against PocketSphinx, word onsets from the frames came a median
#: 36 ms late, on the example and on an unseen article alike (joe's: 8 ms).
SOUND_LEAD_FRAMES = 1
#: Frames of a run's leading pad kept where it is joined to the run before: the run's first
#: sound begins there (20-60 ms before the pad's frames end, measured), not at its frames.
JOIN_PAD_FRAMES = 3
#: Where the cached word times come from: part of the identity, since entries keep them.
WORD_TIMES = f"durations-lead{SOUND_LEAD_FRAMES}"
#: A style vector per input length: 510 rows of 256 float32.
_STYLE_ROWS, _STYLE_WIDTH = 510, 256


def voice_file(profile: VoiceProfile) -> Path:
    """The style-vector file ``profile.voice`` names."""
    voice = profile.voice
    if voice in SHIPPED_VOICES:
        return Path(str(resources.files("article_audio.engines.kokoro") / "data" / f"{voice}.bin"))
    if voice.endswith(".bin") or "/" in voice or "\\" in voice:
        path = Path(voice).expanduser()
        if not path.is_absolute() and profile.path:
            path = Path(profile.path).parent / path
        if not path.is_file():
            raise VoiceError(f"kokoro voice file not found: {path}")
        return path
    raise VoiceError(
        f"unknown kokoro voice {voice!r}: use one of {', '.join(SHIPPED_VOICES)} or the path "
        "of a Kokoro v1.0 voice .bin file; voices are never downloaded"
    )


def is_british(profile: VoiceProfile) -> bool:
    return profile.language.lower().startswith("en-gb")


def phoneme_inventory(profile: VoiceProfile) -> frozenset[str]:
    """The IPA symbols a lexicon entry may use for a Kokoro voice (they are converted to
    Kokoro's phonemes; see :mod:`.phonemes`)."""
    return IPA_INVENTORY


@functools.lru_cache(maxsize=16)
def _digest(path: Path, size: int, mtime_ns: int) -> str:
    return file_sha256(path)


def identity(profile: VoiceProfile) -> dict[str, str]:
    """What decides this voice's sound besides the profile: the model and its rewrite, the
    style vector, the G2P and the IPA conversion, onnxruntime, threads, window and output."""
    path = voice_file(profile)
    stat = path.stat()
    return {
        "model": f"{MODEL_SHA256[:16]}:{REWRITE}",
        "voice-vector": _digest(path, stat.st_size, stat.st_mtime_ns),
        "g2p": f"{G2P_PACKAGE}=={package_version(G2P_PACKAGE)}",
        "ipa-map": conversion_digest(),
        "onnxruntime": package_version("onnxruntime"),
        "threads": str(SESSION_THREADS),
        "window": f"{MAX_RUN_TOKENS}:joined-keeping-{JOIN_PAD_FRAMES}",
        "output": f"{SAMPLE_RATE}:polyphase",
        "word-times": WORD_TIMES,
    }


def _styles(path: Path) -> Any:
    import numpy as np

    try:
        data = np.fromfile(path, dtype="<f4")
    except (OSError, ValueError) as exc:
        raise VoiceError(f"cannot read kokoro voice {path}: {exc}") from exc
    if data.size != _STYLE_ROWS * _STYLE_WIDTH:
        raise VoiceError(
            f"kokoro voice {path.name}: {data.size * 4} bytes, expected "
            f"{_STYLE_ROWS * _STYLE_WIDTH * 4} (510 × 1 × 256 float32)"
        )
    return data.reshape(_STYLE_ROWS, 1, _STYLE_WIDTH)


def model_runs(phonemes: str, window: int = MAX_RUN_TOKENS) -> list[str]:
    """``phonemes`` (symbols outside the vocabulary left out) as model runs of at most
    ``window`` tokens: whole when they fit, else cut at the strongest clause boundary that
    fits, by narration's rule (:func:`split_long_sentence`)."""
    known = "".join(char for char in phonemes if token_ids(char))
    return [run for run in split_long_sentence(known, window) if run.strip()]


class _TokenBudget:
    """Runs whose tokens together pass ``limit`` wait for each other (one run alone always
    goes): a run's working memory grows with its tokens."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._in_flight = 0
        self._changed = threading.Condition()

    @contextmanager
    def hold(self, tokens: int) -> Iterator[None]:
        with self._changed:
            self._changed.wait_for(
                lambda: self._in_flight + tokens <= self.limit or not self._in_flight
            )
            self._in_flight += tokens
        try:
            yield
        finally:
            with self._changed:
                self._in_flight -= tokens
                self._changed.notify_all()


class KokoroEngine:
    """One Kokoro voice; :meth:`synthesize` returns mono 16-bit audio at 22,050 Hz.

    ``rate`` from the profile is the model's ``speed``. ``model_dir``: the runtime context's
    model folder, where the rewritten model is kept (None: made in memory on every load).
    """

    name = "kokoro"
    phoneme_mode: PhonemeMode = "ipa"

    def __init__(self, profile: VoiceProfile, model_dir: Path | None = None) -> None:
        self._styles = _styles(voice_file(profile))
        self._session: Any = session(model_source(model_dir), SESSION_THREADS)
        self._phonemize = Phonemizer(british=is_british(profile))
        self._speed = float(profile.rate)
        #: Token ids one run takes at most (the model's window).
        self.window = MAX_RUN_TOKENS
        self._budget = _TokenBudget(IN_FLIGHT_TOKENS)
        self.sample_rate = SAMPLE_RATE
        self.phoneme_inventory = IPA_INVENTORY
        self.description = f"ready (kokoro-82M v1.0 int8, {profile.voice}, {MODEL_RATE} Hz)"

    def phonemes(self, text: str) -> str:
        """The phonemes Kokoro will speak for ``text`` (the spoken string)."""
        try:
            return self._phonemize(text)
        except ValueError as exc:
            raise EngineError(f"kokoro could not phonemize {excerpt(text)}: {exc}") from exc

    def runs(self, text: str) -> list[str]:
        """``text``'s phonemes as the model runs take them (:func:`model_runs`)."""
        return model_runs(self.phonemes(text), self.window)

    def synthesize(self, text: str) -> AudioSegment:
        """Audio for ``text``: its runs joined where they were cut."""
        audio, _ = self._timed(text)
        return audio

    def synthesize_timed(self, text: str) -> TimedAudio:
        """What :meth:`synthesize` returns, with every word's time from the duration
        predictor's frames (:meth:`_phoneme_durations`): each word phonemized alone, as the
        sentence is (a ``[[ ... ]]`` block converted to Kokoro's phonemes, one word), and
        matched against the phonemes the runs spoke
        (:func:`~article_audio.engines.timing.word_times_from_phonemes`), then moved
        :data:`SOUND_LEAD_FRAMES` earlier."""
        audio, durations = self._timed(text)
        symbols = [symbol for symbol, _ in durations]
        samples = [count for _, count in durations]
        words = word_times_from_phonemes(
            text, symbols, samples, self.phonemes, blocks_phonemized=True
        )
        lead = SOUND_LEAD_FRAMES * SAMPLES_PER_FRAME * SAMPLE_RATE // MODEL_RATE
        return TimedAudio(audio, tuple(word.earlier(lead) for word in words), estimated=False)

    def _phoneme_durations(self, text: str) -> list[tuple[str, int]]:
        """How long each phoneme of ``text`` is heard, in samples of :meth:`synthesize`'s
        audio: one ``(symbol, samples)`` pair per model token in order over all runs, the
        silence the model pads the sentence with as ``""`` (first and last, and the end of a
        run's pad kept at a join: :data:`JOIN_PAD_FRAMES`); the samples add up to the audio's
        length. (For word timing; the same run as :meth:`synthesize`.)"""
        _, durations = self._timed(text)
        return durations

    def _timed(self, text: str) -> tuple[AudioSegment, list[tuple[str, int]]]:
        if not text.strip():
            raise EngineError("nothing to synthesize: the text is empty")
        runs = self.runs(text)
        if not runs:
            raise EngineError(f"kokoro has no phonemes for {excerpt(text)}")
        pieces, frames = [], []
        for index, run in enumerate(runs):
            audio, durations = self._run(run)
            first, last = index == 0, index == len(runs) - 1
            symbols = ["", *run, ""]
            start = 0 if first else max(0, int(durations[0]) - JOIN_PAD_FRAMES)
            stop = len(durations) if last else len(durations) - 1
            kept = [(symbols[i], int(durations[i])) for i in range(0 if first else 1, stop)]
            if not first:  # the end of its pad, where its first sound begins
                kept.insert(0, ("", int(durations[0]) - start))
            begin = start * SAMPLES_PER_FRAME
            pieces.append(audio[begin : begin + sum(f for _, f in kept) * SAMPLES_PER_FRAME])
            frames += kept
        return _output(pieces, frames)

    def _run(self, phonemes: str) -> tuple[Any, Any]:
        """One model run: the 24 kHz audio and the frames of each token (pads included)."""
        import numpy as np

        session = self._loaded()
        ids = token_ids(phonemes)
        feed = {
            "tokens": np.array([[0, *ids, 0]], dtype=np.int64),
            "style": self._styles[min(len(ids), _STYLE_ROWS - 1)],
            "speed": np.array([self._speed], dtype=np.float32),
        }
        try:
            with self._budget.hold(len(ids)):
                outputs = session.run(["audio", DURATIONS_OUTPUT], feed)
                # copied out of onnxruntime's arena, whose memory the arrays it returns keep:
                # held while the next run takes its tensors, they split the arena's free space
                audio, durations = (np.array(output).reshape(-1) for output in outputs)
                del outputs
        except Exception as exc:
            raise EngineError(f"kokoro failed on {excerpt(phonemes)}: {exc}") from exc
        return audio, durations

    def close(self) -> None:
        """Release the ONNX session. Safe to call more than once."""
        self._session = None

    def _loaded(self) -> Any:
        if self._session is None:
            raise EngineError("the kokoro engine is closed")
        return self._session


def _output(
    pieces: list[Any], frames: list[tuple[str, int]]
) -> tuple[AudioSegment, list[tuple[str, int]]]:
    """The joined 24 kHz pieces as 16-bit audio at the narration's rate, and each token's
    frames as samples of it (boundaries mapped and rounded, so they add up exactly)."""
    import numpy as np

    from article_audio.audio.dsp import resampled

    whole = np.concatenate(pieces).astype(np.float64)
    up, down = _ratio(SAMPLE_RATE, MODEL_RATE)
    audio = resampled(whole, up, down)
    pcm = np.clip(np.round(audio * 32767.0), -32768, 32767).astype("<i2")
    ends = np.cumsum([count * SAMPLES_PER_FRAME for _, count in frames]) * up // down
    ends[-1] = len(pcm)
    starts = np.concatenate([[0], ends[:-1]])
    samples = [(symbol, int(e - s)) for (symbol, _), s, e in zip(frames, starts, ends, strict=True)]
    segment = AudioSegment(data=pcm.tobytes(), sample_width=2, frame_rate=SAMPLE_RATE, channels=1)
    return segment, samples


def _ratio(target: int, source: int) -> tuple[int, int]:
    import math

    common = math.gcd(target, source)
    return target // common, source // common
