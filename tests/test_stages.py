"""Decoding pieces with each decoder stage cropped to the context it needs (engines/stages.py)."""

from __future__ import annotations

import dataclasses
from typing import Any

import numpy as np
import pytest

from article_audio.engines.piper.model import _DecodedInPieces, decode_in_pieces
from article_audio.engines.piper.onnx.stages import (
    CROP_INPUT,
    PLAN_KEY,
    StagePlan,
    crop_between_stages,
    reach_after,
    stage_plan,
)

#: A plan like the bundled voice's: three upsamplings (8, 8, 4).
JOE_LIKE = StagePlan(rates=(1, 8, 64), keeps=(9, 9, 14), hop=256, reach=11.08)


def _tiny_decoder(extra: list[Any] | None = None, last: str = "f") -> bytes:
    """A two-stage decoder, 3 latent channels to one audio channel, 4 samples a frame.

    conv (k3) → leaky relu → upsample ×2 (k4) → x + conv (k5) → leaky relu → upsample ×2 (k4)
    → dilated conv (k3, dilation 2) → tanh. ``extra`` nodes go before the tanh, which takes
    ``last``.
    """
    from onnx import TensorProto, helper, numpy_helper

    rng = np.random.default_rng(11)

    def weight(name: str, *shape: int) -> Any:
        return numpy_helper.from_array(rng.standard_normal(shape).astype(np.float32) / 3, name)

    nodes = [
        helper.make_node("Conv", ["x", "w0"], ["a"], kernel_shape=[3], pads=[1, 1]),
        helper.make_node("LeakyRelu", ["a"], ["a1"], alpha=0.1),
        helper.make_node(
            "ConvTranspose", ["a1", "u1"], ["b"], kernel_shape=[4], strides=[2], pads=[1, 1]
        ),
        helper.make_node("Conv", ["b", "w1"], ["c"], kernel_shape=[5], pads=[2, 2]),
        helper.make_node("Add", ["b", "c"], ["d"]),
        helper.make_node("LeakyRelu", ["d"], ["d1"], alpha=0.1),
        helper.make_node(
            "ConvTranspose", ["d1", "u2"], ["e"], kernel_shape=[4], strides=[2], pads=[1, 1]
        ),
        helper.make_node("Conv", ["e", "w2"], ["f"], kernel_shape=[3], pads=[2, 2], dilations=[2]),
        *(extra or []),
        helper.make_node("Tanh", [last], ["y"]),
    ]
    graph = helper.make_graph(
        nodes,
        "tiny-decoder",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 3, None])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, None)],
        [
            weight("w0", 4, 3, 3),
            weight("u1", 4, 4, 4),
            weight("w1", 4, 4, 5),
            weight("u2", 4, 2, 4),
            weight("w2", 1, 2, 3),
            weight("skip", 3, 1, 8),
        ],
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    return bytes(model.SerializeToString())


def _graph(model: bytes) -> Any:
    import onnx

    return onnx.load_from_string(model).graph


def test_reach_is_worked_out_node_by_node() -> None:
    graph = _graph(_tiny_decoder())
    # conv 1; upsampling 1 * 2 + 2 = 4; residual conv +2 = 6; upsampling 6 * 2 + 2 = 14;
    # dilated conv +2 = 16 output samples, 4 output samples a latent frame
    assert reach_after(graph, "x") == (16.0, 4)
    assert reach_after(graph, "a1") == (12.0, 4)  # from the first upsampling's input
    assert reach_after(graph, "d1") == (4.0, 2)  # from the second's
    assert stage_plan(graph) == StagePlan(rates=(1, 2), keeps=(3, 2), hop=4, reach=4.0)


def test_an_operator_of_unknown_reach_leaves_the_model_as_it_is() -> None:
    from onnx import helper

    model = _tiny_decoder([helper.make_node("Pad", ["f", "pads"], ["f2"])])
    assert stage_plan(_graph(model)) is None
    assert crop_between_stages(model) == model


def test_a_path_around_an_upsampling_is_not_cropped() -> None:
    """A skip connection from the latent straight to the output (upsampled 4x at once) joins
    what the first stage's crop would shorten: no plan, the model left as it is."""
    from onnx import helper

    skip = [
        helper.make_node(
            "ConvTranspose", ["x", "skip"], ["s"], kernel_shape=[8], strides=[4], pads=[2, 2]
        ),
        helper.make_node("Add", ["f", "s"], ["g"]),
    ]
    model = _tiny_decoder(skip, last="g")
    assert reach_after(_graph(model), "x") is not None  # the whole decoder's reach is known
    assert stage_plan(_graph(model)) is None
    assert crop_between_stages(model) == model


def test_the_cropped_model_takes_the_crops_and_carries_its_plan() -> None:
    import onnx

    proto = onnx.load_from_string(crop_between_stages(_tiny_decoder()))
    assert [i.name for i in proto.graph.input] == ["x", CROP_INPUT]
    kinds = [n.op_type for n in proto.graph.node]
    assert kinds.count("Slice") == 2 * 3  # start, end and the slice itself, per stage
    metadata = {entry.key: entry.value for entry in proto.metadata_props}
    assert StagePlan.from_metadata(metadata) == stage_plan(_graph(_tiny_decoder()))
    assert StagePlan.from_metadata({}) is None
    assert PLAN_KEY in metadata


def test_crops_keep_at_each_stage_what_the_stages_after_it_reach() -> None:
    # 256 frames, 16 of context each side: 7 frames are cut before the first upsampling (9
    # kept), 63 of its 72 samples before the second, 58 of 72 before the third; 14 samples
    # at 64 a frame are left, 56 at the output's 256
    assert JOE_LIKE.crops(256, 16, 16) == ([7, 249, 63, 1873, 58, 14422], 56, 56)
    assert JOE_LIKE.crops(100, 0, 0) == ([0, 100, 0, 800, 0, 6400], 0, 0)
    # less context than a stage keeps: nothing cut there
    assert JOE_LIKE.crops(40, 5, 0) == ([0, 40, 31, 320, 58, 2312], 56, 0)


def _decoder(model: bytes) -> _DecodedInPieces:
    import onnxruntime

    session = onnxruntime.InferenceSession(model, providers=["CPUExecutionProvider"])
    return _DecodedInPieces(encoder=None, decoder=session)


@pytest.mark.parametrize("frames", [61, 10])
def test_cropped_pieces_sound_as_the_whole_decode(frames: int) -> None:
    decoder = _decoder(crop_between_stages(_tiny_decoder()))
    assert decoder.plan is not None
    latent = np.random.default_rng(12).standard_normal((1, 3, frames)).astype(np.float32)
    whole = decoder._decode(latent)
    assert whole.shape == (1, 1, frames * 4)
    pieces = decode_in_pieces(decoder._decode, latent, frames=8, context=4)
    assert pieces.shape == whole.shape
    np.testing.assert_allclose(pieces, whole, rtol=0, atol=1e-6)


def test_cropping_closer_than_the_reach_changes_the_sound() -> None:
    """The test above can fail: keep one sample less at each stage and pieces differ."""
    decoder = _decoder(crop_between_stages(_tiny_decoder()))
    assert decoder.plan is not None
    latent = np.random.default_rng(12).standard_normal((1, 3, 61)).astype(np.float32)
    whole = decoder._decode(latent)
    decoder.plan = dataclasses.replace(decoder.plan, keeps=(2, 1))
    pieces = decode_in_pieces(decoder._decode, latent, frames=8, context=4)
    assert float(np.abs(pieces - whole).max()) > 1e-3


def test_an_uncropped_decoder_is_decoded_whole_and_trimmed() -> None:
    decoder = _decoder(_tiny_decoder())
    assert decoder.plan is None
    latent = np.random.default_rng(12).standard_normal((1, 3, 61)).astype(np.float32)
    whole = decoder._decode(latent)
    pieces = decode_in_pieces(decoder._decode, latent, frames=8, context=4)
    np.testing.assert_allclose(pieces, whole, rtol=0, atol=1e-6)
