"""The int8 recogniser's output layer read from its uint8 logits (ocr/outlayer.py)."""
from __future__ import annotations

import numpy as np
import pytest

onnx = pytest.importorskip("onnx")
ort = pytest.importorskip("onnxruntime")

from onnx import TensorProto, helper, numpy_helper  # noqa: E402

from broadsheet.ocr.outlayer import NEAR, best_classes, split_output_layer  # noqa: E402

SCALE, ZERO = 0.43, 173


def _model(bias: np.ndarray, *, softmax: bool = True, dequantize: bool = True):
    """x (N, T, C) float → QuantizeLinear → DequantizeLinear → Add(bias) → Softmax: the int8
    recogniser's last layer on its own (the x → uint8 step stands in for the QLinearMatMul)."""
    c = len(bias)
    inits = [numpy_helper.from_array(np.array(SCALE, np.float32), "s"),
             numpy_helper.from_array(np.array(ZERO, np.uint8), "z"),
             numpy_helper.from_array(bias.astype(np.float32), "b")]
    nodes = [helper.make_node("QuantizeLinear", ["x", "s", "z"], ["q"], name="Q")]
    if dequantize:
        nodes.append(helper.make_node("DequantizeLinear", ["q", "s", "z"], ["d"], name="DQ"))
        nodes.append(helper.make_node("Add", ["d", "b"], ["l"], name="bias"))
    else:
        nodes.append(helper.make_node("Add", ["x", "b"], ["l"], name="bias"))
    out = "p" if softmax else "l"
    if softmax:
        nodes.append(helper.make_node("Softmax", ["l"], ["p"], name="soft", axis=-1))
    graph = helper.make_graph(nodes, "g", [helper.make_tensor_value_info("x", TensorProto.FLOAT, [None, None, c])],
                              [helper.make_tensor_value_info(out, TensorProto.FLOAT, [None, None, c])], inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    model.ir_version = 8
    return model


def _run(model_bytes, x):
    sess = ort.InferenceSession(model_bytes, providers=["CPUExecutionProvider"])
    return sess.run(None, {sess.get_inputs()[0].name: x})[0]


def _inputs(rng, c, n=3, t=50):
    """Logits like a CTC recogniser's: one class well above the rest in most columns, close
    runners-up (one level below, same level) in some."""
    x = rng.normal(-20, 6, (n, t, c)).astype(np.float32)
    cols = rng.integers(0, c, (n, t))
    np.put_along_axis(x, cols[..., None], rng.normal(10, 3, (n, t, 1)).astype(np.float32), axis=2)
    other = (cols + 1 + rng.integers(0, c - 1, (n, t))) % c
    close = np.take_along_axis(x, cols[..., None], 2)[..., 0] - rng.choice([0.0, 0.2, 0.43], (n, t))
    close = np.where(rng.random((n, t)) < 0.4, close, -30.0).astype(np.float32)
    np.put_along_axis(x, other[..., None], close[..., None], axis=2)
    return x


def test_body_and_tail_give_the_whole_models_argmax_and_probabilities():
    rng = np.random.default_rng(3)
    bias = rng.uniform(-0.12, 0.65, 300).astype(np.float32)
    model = _model(bias)
    layer = split_output_layer(model)
    assert layer is not None
    x = _inputs(rng, len(bias))
    probs = _run(model.SerializeToString(), x)
    q = _run(layer.body, x)
    assert q.dtype == np.uint8 and q.shape == probs.shape
    best, near = best_classes(q.copy(), layer.levels, layer.bias)
    unsure = near.sum()
    best[near] = probs[near].argmax(axis=1)  # as the engine does: those rows' own softmax decides
    assert np.array_equal(best, probs.argmax(axis=2))
    # the tail run on some rows alone gives the very probabilities of the whole model
    rows = q[best != 0][:40]
    alone = _run(layer.tail, rows[None])[0]
    assert np.array_equal(alone, probs[best != 0][:40])
    assert unsure < best.size  # most columns are decided on the uint8 logits


def test_ties_and_near_ties_are_flagged_for_the_softmax_to_decide():
    bias = np.array([0.0, 0.2, 0.2, 0.2 + NEAR / 10, 0.5], np.float32)
    levels = ((np.arange(256) - ZERO).astype(np.float32) * np.float32(SCALE)).astype(np.float32)
    q = np.full((4, 5), 100, np.uint8)
    q[0] = [100, 180, 180, 170, 100]   # 1 and 2: the same level, the same bias: a tie
    q[1] = [100, 180, 100, 180, 100]   # 1 and 3: the same level, biases NEAR / 10 apart
    q[2] = [100, 100, 100, 100, 180]   # one class alone at the top level
    q[3] = [100, 181, 100, 100, 180]   # a class one level below, but its bias does not lift it over
    best, near = best_classes(q.copy(), levels, bias)
    assert near.tolist() == [True, True, False, False]
    assert best[2] == 4 and best[3] == 1
    assert best[0] == 1  # the lower class at an exact tie, as argmax does


def test_the_uint8_logits_are_left_as_they_were():
    bias = np.linspace(0, 0.5, 7).astype(np.float32)
    levels = np.arange(256, dtype=np.float32) * np.float32(SCALE)
    q = np.random.default_rng(0).integers(0, 256, (2, 9, 7)).astype(np.uint8)
    before = q.copy()
    best_classes(q, levels, bias)
    assert np.array_equal(q, before)


def test_no_split_when_a_class_two_levels_down_could_win():
    # biases spread over more than two levels: the uint8 argmax would no longer hold
    assert split_output_layer(_model(np.array([0.0, 0.9, 0.1], np.float32))) is None
    assert split_output_layer(_model(np.array([0.0, 0.8, 0.1], np.float32))) is not None


def test_no_split_for_a_model_of_another_shape():
    bias = np.array([0.0, 0.3, 0.1], np.float32)
    assert split_output_layer(_model(bias, softmax=False)) is None     # ends in the Add
    assert split_output_layer(_model(bias, dequantize=False)) is None  # float logits (the fp32 model)
