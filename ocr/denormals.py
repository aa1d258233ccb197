"""Denormal weights flushed to zero before a model is handed to onnxruntime.

Why: the wheel's fp32 DB text detector (``PP-OCRv6_det_small.onnx``) holds 255 958 subnormal
float32 weights (|w| < 2⁻¹²⁶ ≈ 1.2e-38), nearly all in the two 1 × 1 convolutions of 768 → 384
channels (``conv2d_161.w_0``: 24 %, ``conv2d_165.w_0``: 63 % of their weights). x86 multiplies a
subnormal operand through a microcode assist, tens of times slower than a normal one, so those
two convolutions took 54 % of its time, while their 384 → 768 twins, the same arithmetic, took
≤ 2 % (docs/ocr.md, "Speed work, part 5"). A subnormal weight's product with any activation the model produces is below
fp32's resolution of the sums it joins, so the probability map is the same without them:
bit-identical on all 31 pages measured, at ≈ 0.44 × the detector's CPU time. onnxruntime's own
``session.set_denormal_as_zero`` measured 0.985 × (one thread), and would set CPU flags rather
than change data.
"""
from __future__ import annotations

import os
from pathlib import Path

import numpy as np

#: The smallest normal float32; nonzero weights below it in magnitude are subnormal.
TINY = np.finfo(np.float32).tiny


def flush_denormals(model) -> int:
    """Set every subnormal float32 initializer value of ``model`` (an ``onnx.ModelProto``,
    changed in place) to +0.0 and return how many there were. Other tensors and values are left
    bit for bit as they were."""
    from onnx import numpy_helper

    count = 0
    for init in model.graph.initializer:
        a = numpy_helper.to_array(init)
        if a.dtype != np.float32:
            continue
        sub = (a != 0) & (np.abs(a) < TINY)
        n = int(sub.sum())
        if n:
            init.CopyFrom(numpy_helper.from_array(np.where(sub, np.float32(0), a).astype(np.float32), init.name))
            count += n
    return count


def flushed_model(path: str | os.PathLike) -> bytes | Path:
    """What a session loads for the fp32 model at ``path``: the model with its subnormal weights
    flushed (:func:`flush_denormals`) as bytes, or ``path`` itself when there are none or
    ``onnx`` is not installed (the model then runs as it is, only slower)."""
    try:
        import onnx
    except ImportError:
        return Path(path)
    model = onnx.load(str(path))
    if flush_denormals(model) == 0:
        return Path(path)
    return model.SerializeToString()
