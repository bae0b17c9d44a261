"""Decoding a piece of latent frames with no more context than each decoder stage needs.

A long sentence's latent frames are decoded in pieces, each with context frames on either side
(:func:`..engine.decode_in_pieces`): the decoder's convolutions reach across
a piece's edge, so a piece's own samples need its neighbours' frames. But the reach is not the
same at every stage. A HiFi-GAN decoder upsamples in stages (``ConvTranspose``), each followed by
convolutions at its new rate; the context a stage's input needs is only what the stages after it
reach, which is far less than the whole decoder's reach from the latent. Most of the work is in
the last stages, at the highest sample rates: carrying the whole context through them, about a
tenth of the decoder's work on the example article went into context that was thrown away.

:func:`crop_between_stages` gives the decoder an input, :data:`CROP_INPUT`, and a ``Slice`` in
front of every upsampling: the caller says where each stage's input begins and ends. The
:class:`StagePlan` stored in the model's metadata computes those bounds for a piece (keeping at
each stage the reach of what follows, from :func:`reach_after`, which walks the graph) and says
how many samples of context are left on the audio. The result is that of decoding the piece
with its whole context, to float rounding.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

from article_audio.engines.piper.onnx.rewrites import node_attributes

#: The decoder input that holds, per upsampling stage, where its input starts and ends.
CROP_INPUT = "article_audio_crop"
#: The model metadata key holding the :class:`StagePlan`.
PLAN_KEY = "article_audio_stage_plan"
#: Operators that work sample by sample along time (any number of inputs; the squeezes of
#: other axes, as :func:`.rewrites.planar_convolutions` makes, too).
_POINTWISE = frozenset(
    {"Add", "Sub", "Mul", "Div", "LeakyRelu", "Relu", "Tanh", "Identity", "Unsqueeze", "Squeeze"}
)


@dataclass(frozen=True)
class StagePlan:
    """Where a cropping decoder's stages begin: ``rates[k]`` samples a latent frame at the input
    of upsampling ``k``, of which ``keeps[k]`` on either side of a piece are all the stages
    from there on reach; ``hop`` samples a frame at the output. ``reach``: the whole decoder's
    reach from the latent, in frames."""

    rates: tuple[int, ...]
    keeps: tuple[int, ...]
    hop: int
    reach: float

    def crops(self, frames: int, left: int, right: int) -> tuple[list[int], int, int]:
        """For a piece of ``frames`` latent frames whose first ``left`` and last ``right`` are
        context: the :data:`CROP_INPUT` values (each stage's input start and end), and the
        samples of context still at the start and end of the decoder's output."""
        bounds: list[int] = []
        scale = 1
        for rate, keep in zip(self.rates, self.keeps, strict=True):
            factor = rate // scale
            frames, left, right, scale = frames * factor, left * factor, right * factor, rate
            cut_left, cut_right = max(0, left - keep), max(0, right - keep)
            bounds += [cut_left, frames - cut_right]
            frames, left, right = frames - cut_left - cut_right, left - cut_left, right - cut_right
        factor = self.hop // scale
        return bounds, left * factor, right * factor

    def to_metadata(self) -> str:
        return json.dumps(
            {"rates": self.rates, "keeps": self.keeps, "hop": self.hop, "reach": self.reach}
        )

    @classmethod
    def from_metadata(cls, metadata: Mapping[str, str]) -> StagePlan | None:
        """The plan stored in a model's metadata; None if it has none."""
        text = metadata.get(PLAN_KEY)
        if text is None:
            return None
        data = json.loads(text)
        return cls(tuple(data["rates"]), tuple(data["keeps"]), data["hop"], data["reach"])


def _conv_reach(node: Any) -> int | None:
    """How far a stride-1, length-keeping convolution's output sample reaches into its input,
    in samples; None for any other convolution."""
    attributes = node_attributes(node)
    kernel = attributes.get("kernel_shape", [])
    dilation = attributes.get("dilations", [1])[-1]
    pads = attributes.get("pads", [0, 0])
    if len(kernel) != 1 or attributes.get("strides", [1]) != [1] or "auto_pad" in attributes:
        return None
    span = dilation * (kernel[0] - 1)
    if pads[0] + pads[1] != span:  # the output is not as long as the input
        return None
    return int(max(pads[0], span - pads[0]))


def _upsampling_reach(node: Any) -> tuple[int, int] | None:
    """A ``ConvTranspose`` whose output is exactly ``stride`` times as long as its input: its
    stride, and how far an output sample is from the input samples it is made of, in output
    samples; None for any other."""
    attributes = node_attributes(node)
    kernel = attributes.get("kernel_shape", [])
    stride = attributes.get("strides", [1])
    pads = attributes.get("pads", [0, 0])
    dilation = attributes.get("dilations", [1])[-1]
    if len(kernel) != 1 or "auto_pad" in attributes or attributes.get("output_padding"):
        return None
    span = dilation * (kernel[0] - 1)
    if span + 1 - stride[0] != pads[0] + pads[1]:  # not exactly stride times as long
        return None
    return int(stride[0]), int(max(pads[0], span - pads[0]))


def _dependents(graph: Any, source: str) -> set[str]:
    """Every tensor of ``graph`` computed from ``source``, and ``source``."""
    found = {source}
    for node in graph.node:
        if any(name in found for name in node.input):
            found.update(node.output)
    return found


def reach_after(
    graph: Any, source: str, signal: set[str] | None = None
) -> tuple[float, int] | None:
    """How far the graph's output samples reach into tensor ``source``, in output samples,
    and how many output samples one ``source`` sample makes; None when the graph has an
    operator whose reach is not known, the output does not depend on ``source``, or a node
    combines what depends on ``source`` with other ``signal`` (tensors computed from the
    graph's input) that bypasses it, as a skip connection would.

    Walks the nodes in order, keeping for every tensor that depends on ``source`` its
    reach in its own samples: a convolution adds its half-width, an upsampling by ``s``
    multiplies by ``s`` and adds its half-width, a pointwise operator takes its inputs' widest.
    """
    reach: dict[str, tuple[float, int]] = {source: (0.0, 1)}
    for node in graph.node:
        found = [reach[name] for name in node.input if name in reach]
        if not found:
            continue
        if signal is not None and any(n in signal and n not in reach for n in node.input):
            return None
        if len({rate for _, rate in found}) != 1:
            return None
        widest, rate = max(r for r, _ in found), found[0][1]
        if node.op_type == "Conv":
            width = _conv_reach(node)
            if width is None:
                return None
            widest += width
        elif node.op_type == "ConvTranspose":
            upsampling = _upsampling_reach(node)
            if upsampling is None:
                return None
            stride, width = upsampling
            widest, rate = widest * stride + width, rate * stride
        elif node.op_type not in _POINTWISE:
            return None
        for name in node.output:
            reach[name] = (widest, rate)
    outputs = [o.name for o in graph.output]
    return reach.get(outputs[0]) if len(outputs) == 1 else None


def stage_plan(graph: Any) -> StagePlan | None:
    """The plan for a decoder ``graph`` of one input and one output, cropped before each
    upsampling; None when its reach cannot be worked out."""
    constants = {initializer.name for initializer in graph.initializer}
    inputs = [i.name for i in graph.input if i.name not in constants]
    if len(inputs) != 1:
        return None
    whole = reach_after(graph, inputs[0])
    upsamplings = [node for node in graph.node if node.op_type == "ConvTranspose"]
    if whole is None or not upsamplings:
        return None
    signal = _dependents(graph, inputs[0])
    rates, keeps = [], []
    for node in upsamplings:
        after = reach_after(graph, node.input[0], signal)
        if after is None:
            return None
        width, per_sample = after
        if whole[1] % per_sample:
            return None
        rates.append(whole[1] // per_sample)
        keeps.append(math.ceil(width / per_sample))
    steps = [*rates, whole[1]]
    if any(later <= earlier or later % earlier for earlier, later in pairwise(steps)):
        return None  # not one chain of upsamplings
    return StagePlan(tuple(rates), tuple(keeps), whole[1], whole[0] / whole[1])


def crop_between_stages(model: bytes) -> bytes:
    """``model`` (a decoder: latent in, audio out) with a ``Slice`` before every upsampling,
    bounded by :data:`CROP_INPUT`, and its :class:`StagePlan` in the metadata; ``model``
    itself when its reach cannot be worked out."""
    import numpy as np
    import onnx
    from onnx import TensorProto, helper, numpy_helper

    proto = onnx.load_from_string(model)
    graph = proto.graph
    plan = stage_plan(graph)
    if plan is None:
        return model
    time_axis = "article_audio_time_axis"
    graph.initializer.append(numpy_helper.from_array(np.array([-1], dtype=np.int64), time_axis))
    stages = len(plan.rates)
    graph.input.append(helper.make_tensor_value_info(CROP_INPUT, TensorProto.INT64, [2 * stages]))
    nodes = []
    stage = 0
    for node in graph.node:
        if node.op_type == "ConvTranspose":
            nodes += _crop_nodes(node, stage, graph, time_axis)
            stage += 1
        nodes.append(node)
    del graph.node[:]
    graph.node.extend(nodes)
    proto.metadata_props.append(onnx.StringStringEntryProto(key=PLAN_KEY, value=plan.to_metadata()))
    data: bytes = proto.SerializeToString()
    return data


def _crop_nodes(node: Any, stage: int, graph: Any, time_axis: str) -> list[Any]:
    """Nodes that slice ``node``'s input to the bounds :data:`CROP_INPUT` gives ``stage``;
    ``node`` is rewired to the slice."""
    import numpy as np
    from onnx import helper, numpy_helper

    tag = f"article_audio_stage_{stage}"
    nodes = []
    for bound, position in (("start", 2 * stage), ("end", 2 * stage + 1)):
        at, to = f"{tag}_crop_{bound}_at", f"{tag}_crop_{bound}_to"
        graph.initializer.extend(
            [
                numpy_helper.from_array(np.array([position], dtype=np.int64), at),
                numpy_helper.from_array(np.array([position + 1], dtype=np.int64), to),
            ]
        )
        nodes.append(helper.make_node("Slice", [CROP_INPUT, at, to], [f"{tag}_{bound}"]))
    sliced = f"{tag}_input"
    nodes.append(
        helper.make_node(
            "Slice", [node.input[0], f"{tag}_start", f"{tag}_end", time_axis], [sliced]
        )
    )
    node.input[0] = sliced
    return nodes
