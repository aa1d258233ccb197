"""The int8 recogniser's 18,710-class output layer read from its uint8 logits.

The int8 recogniser ends in QuantizeLinear (uint8 logits) → DequantizeLinear → Add (bias) →
Softmax over 18,710 classes per output column. Those three fp32 passes are ≈ 12 % of its
onnxruntime time, and the float32 probabilities they write (75 kB per column) are read once more
by the argmax. Per column only two things are used: the best class, and — for the columns that
become characters (≈ 1/6 to 1/3 of them) — its probability. So the engine's session stops at the
uint8 logits (:func:`split_output_layer`), the best class is found on them (:func:`best_classes`),
and only the character columns go through the layer's own three nodes, in a second small session
built from those very nodes: the same kernels on the same rows, so the same probabilities.

Why the best class on the uint8 logits is softmax's: a logit is ``level[q] + bias[c]`` with
levels 0.43 apart and biases within 0.77, so a class two levels below a column's highest level
can never win (checked for all 256 levels when the layer is split). A column whose highest level
holds one class, with no class one level below, has that class as its unique best logit, ≥ 0.09
above the rest; other columns are decided on their exact float logits (the DequantizeLinear and
Add are exact IEEE operations, reproduced here), and where the best two logits lie within
``NEAR`` of each other — where the softmax's approximate exp could order them otherwise — on the
softmax row itself. Everywhere else softmax keeps the order of the logits, so the argmax is the
same, ties going to the lower class in both.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

#: Best two logits closer than this are left to the softmax row itself (the exp of onnxruntime's
#: softmax is accurate to a few units in the last place, ≈ 1e-7 relative, far below this).
NEAR = 1e-4


@dataclass(frozen=True)
class OutputLayer:
    """A recogniser split before its output layer's DequantizeLinear → Add → Softmax.

    ``body``: the model up to the uint8 logits (its output); ``tail``: a model of the layer's three
    nodes, uint8 logits in, probabilities out; ``levels``: the float value of each uint8 level
    (256,); ``bias``: the per-class bias (C,)."""

    body: bytes
    tail: bytes
    levels: np.ndarray
    bias: np.ndarray


def split_output_layer(model) -> OutputLayer | None:
    """Split the recogniser ``model`` (an ``onnx`` ModelProto) before its output layer, or None
    when it does not end in uint8 → DequantizeLinear → Add(bias) → Softmax(last axis) with scalar
    scale and zero point (the fp32 model, another recipe), or when a class two levels below the
    highest could win (then :func:`best_classes` would not hold)."""
    from onnx import helper, numpy_helper, TensorProto

    g = model.graph
    if len(g.output) != 1:
        return None
    made = {o: n for n in g.node for o in n.output}
    init = {i.name: i for i in g.initializer}
    soft = made.get(g.output[0].name)
    add = made.get(soft.input[0]) if soft is not None and soft.op_type == "Softmax" else None
    if add is None or add.op_type != "Add" or len(add.input) != 2:
        return None
    dq_in = [i for i in add.input if i in made]
    bias_in = [i for i in add.input if i in init]
    if len(dq_in) != 1 or len(bias_in) != 1:
        return None
    dq = made[dq_in[0]]
    axis = next((a.i for a in soft.attribute if a.name == "axis"), -1)
    if dq.op_type != "DequantizeLinear" or len(dq.input) != 3 or axis != -1 or dq.attribute:
        return None
    scale, zero = (numpy_helper.to_array(init[n]) if n in init else None for n in dq.input[1:])
    bias = numpy_helper.to_array(init[bias_in[0]])
    if scale is None or zero is None or scale.size != 1 or zero.size != 1 or zero.dtype != np.uint8 \
            or bias.ndim != 1 or bias.dtype != np.float32 or scale.dtype != np.float32:
        return None
    levels = (np.arange(256, dtype=np.int32) - np.int32(zero.reshape(()))).astype(np.float32) * scale.reshape(())
    levels = levels.astype(np.float32)
    # rounding is monotone, so each level's lowest / highest logit is its level plus the lowest /
    # highest bias: two levels down must stay below every logit of the level above
    low = (levels + bias.min()).astype(np.float32)
    high = (levels + bias.max()).astype(np.float32)
    if not np.all(high[:-2] < low[2:]):
        return None
    tail_nodes = [dq, add, soft]
    body = type(model)()
    body.CopyFrom(model)
    keep = [n for n in body.graph.node if n.name not in {dq.name, add.name, soft.name}]
    del body.graph.node[:]
    body.graph.node.extend(keep)
    del body.graph.output[:]
    body.graph.output.append(helper.make_tensor_value_info(dq.input[0], TensorProto.UINT8, None))
    used = {i for n in keep for i in n.input}
    kept_inits = [i for i in body.graph.initializer if i.name in used]
    del body.graph.initializer[:]
    body.graph.initializer.extend(kept_inits)
    tail_graph = helper.make_graph(
        tail_nodes, "output_layer",
        [helper.make_tensor_value_info(dq.input[0], TensorProto.UINT8, [None, None, bias.size])],
        [helper.make_tensor_value_info(soft.output[0], TensorProto.FLOAT, [None, None, bias.size])],
        [init[n] for n in (*dq.input[1:], bias_in[0])])
    tail = helper.make_model(tail_graph, opset_imports=[o for o in model.opset_import if o.domain in ("", "ai.onnx")])
    tail.ir_version = model.ir_version
    return OutputLayer(body.SerializeToString(), tail.SerializeToString(), levels, bias)


def logits(q: np.ndarray, levels: np.ndarray, bias: np.ndarray) -> np.ndarray:
    """The float logits of uint8 logit rows ``q`` (..., C): DequantizeLinear then the bias Add,
    each one float32 operation as onnxruntime does it."""
    return levels[q] + bias


def best_classes(q: np.ndarray, levels: np.ndarray, bias: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per row of uint8 logits ``q`` (..., C): the class of the highest float logit (the lowest
    class at a tie), and a mask of the rows whose best two logits lie within ``NEAR`` of each other
    (the caller takes those rows' best class from their softmax). Assumes, as
    :func:`split_output_layer` checked, that two levels below a row's highest level never win."""
    shape = q.shape[:-1]
    flat = q.reshape(-1, q.shape[-1])
    best = flat.argmax(axis=1)
    rows = np.arange(len(flat))
    top = flat[rows, best].copy()
    flat[rows, best] = 0  # the runner-up level (q is ours: the session's fresh output)
    second = flat.max(axis=1)
    flat[rows, best] = top
    near = np.zeros(len(flat), bool)
    open_ = np.flatnonzero(second.astype(np.int16) >= top.astype(np.int16) - 1)
    if len(open_):
        exact = logits(flat[open_], levels, bias)
        b = exact.argmax(axis=1)
        best[open_] = b
        first = exact[np.arange(len(open_)), b].copy()
        exact[np.arange(len(open_)), b] = -np.inf
        near[open_] = first - exact.max(axis=1) < NEAR
    return best.reshape(shape), near.reshape(shape)
