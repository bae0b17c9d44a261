"""Saved graph optimizations (engines/onnx_runtime.session_of), on a small real ONNX model."""

from __future__ import annotations

import platform
import re
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from article_audio.engines.onnx_runtime import (
    SAVED_LEVEL,
    hardware_tag,
    saved_optimized,
    session_of,
)
from article_audio.util import package_version

onnxruntime = pytest.importorskip("onnxruntime")


def _conv_model(path: Path) -> None:
    """A 2-D convolution, bias and ReLU (onnxruntime's layout optimizations rewrite it into
    NCHWc blocks on x86; its weights big enough to be kept as external data)."""
    import onnx
    from onnx import TensorProto, helper, numpy_helper

    rng = np.random.default_rng(7)
    weight = rng.standard_normal((16, 8, 3, 3)).astype(np.float32)
    bias = rng.standard_normal(16).astype(np.float32)
    graph = helper.make_graph(
        [
            helper.make_node("Conv", ["x", "w", "b"], ["y"], pads=[1, 1, 1, 1]),
            helper.make_node("Relu", ["y"], ["z"]),
        ],
        "conv",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 8, 12, 12])],
        [helper.make_tensor_value_info("z", TensorProto.FLOAT, [1, 16, 12, 12])],
        [numpy_helper.from_array(weight, "w"), numpy_helper.from_array(bias, "b")],
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    onnx.save(model, str(path))


def _options() -> Any:
    options = onnxruntime.SessionOptions()
    options.log_severity_level = 4
    options.intra_op_num_threads = 1
    return options


def _run(session: Any) -> Any:
    feed = np.random.default_rng(3).standard_normal((1, 8, 12, 12)).astype(np.float32)
    return session.run(None, {"x": feed})[0]


def test_a_model_file_is_optimized_once_and_its_copy_loaded_after(tmp_path: Path) -> None:
    model = tmp_path / "conv.onnx"
    _conv_model(model)
    saved, data = saved_optimized(model)
    version = package_version("onnxruntime")
    assert saved.name == f"conv-onnxruntime{version}-{SAVED_LEVEL}-{hardware_tag()}.onnx"
    assert data.name == saved.name + ".data"
    assert re.fullmatch(r"[0-9a-f]{12}", hardware_tag())
    assert not saved.exists()

    first = _run(session_of(onnxruntime, str(model), _options))
    assert saved.is_file() and data.is_file()
    assert data.stat().st_size >= 16 * 8 * 3 * 3 * 4  # the weights, outside the model
    if platform.machine() in ("x86_64", "AMD64"):  # the layout optimizations are in it
        import onnx

        domains = {
            node.domain for node in onnx.load(str(saved), load_external_data=False).graph.node
        }
        assert "com.microsoft.nchwc" in domains
    made = saved.stat().st_ino
    second = _run(session_of(onnxruntime, str(model), _options))
    assert saved.stat().st_ino == made  # loaded, not made again
    plain = onnxruntime.InferenceSession(str(model), _options(), providers=["CPUExecutionProvider"])
    assert np.array_equal(first, second)
    assert np.array_equal(second, _run(plain))
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        ["conv.onnx", saved.name, data.name]
    )


def test_a_broken_saved_copy_is_made_again(tmp_path: Path) -> None:
    model = tmp_path / "conv.onnx"
    _conv_model(model)
    expected = _run(session_of(onnxruntime, str(model), _options))
    data = saved_optimized(model)[1]
    data.write_bytes(b"cut short")
    assert np.array_equal(_run(session_of(onnxruntime, str(model), _options)), expected)
    assert data.stat().st_size > len(b"cut short")
    assert np.array_equal(_run(session_of(onnxruntime, str(model), _options)), expected)


def test_model_bytes_are_optimized_in_the_session_and_nothing_is_saved(tmp_path: Path) -> None:
    model = tmp_path / "conv.onnx"
    _conv_model(model)
    session = session_of(onnxruntime, model.read_bytes(), _options)
    assert session.get_outputs()[0].name == "z"
    assert [p.name for p in tmp_path.iterdir()] == ["conv.onnx"]
