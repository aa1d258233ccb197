"""Subnormal weights flushed before the fp32 detector's session loads them (ocr/denormals.py):
only subnormals change, the output stays bit-identical, a model without any is loaded from its
path, and the engine's detector runs the flushed real model with the same probability map."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from broadsheet.ocr import denormals as dn

FIXTURE_PAGES = Path(__file__).resolve().parents[2] / "fixtures" / "pages"


def _conv_model(path: Path, sub_share: float) -> Path:
    """x (1, 16, H, W) → 1 × 1 Conv 16 → 8 with bias → GELU-ish Relu; ``sub_share`` of the
    weights (and one bias value) replaced by subnormals of both signs."""
    onnx = pytest.importorskip("onnx")
    from onnx import TensorProto, helper, numpy_helper

    rng = np.random.default_rng(1)
    w = rng.normal(0, 0.3, (8, 16, 1, 1)).astype(np.float32)
    sub = rng.random(w.shape) < sub_share
    w[sub] = (rng.choice([-1, 1], int(sub.sum())) * rng.integers(1, 2 ** 23, int(sub.sum()))
              * np.float32(2.0 ** -149)).astype(np.float32)
    b = rng.normal(0, 0.1, 8).astype(np.float32)
    if sub_share:
        b[3] = np.float32(1e-40)
    graph = helper.make_graph(
        [helper.make_node("Conv", ["x", "w", "b"], ["c"], name="reduce"), helper.make_node("Relu", ["c"], ["y"])],
        "sub", [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 16, "H", "W"])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 8, "H", "W"])],
        initializer=[numpy_helper.from_array(w, "w"), numpy_helper.from_array(b, "b")])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 11)])
    model.ir_version = 7
    onnx.save(model, str(path))
    return path


def _weights(model) -> dict[str, np.ndarray]:
    from onnx import numpy_helper

    return {i.name: numpy_helper.to_array(i) for i in model.graph.initializer}


def test_only_subnormal_values_are_flushed(tmp_path):
    onnx = pytest.importorskip("onnx")
    before = _weights(onnx.load(str(_conv_model(tmp_path / "m.onnx", 0.5))))
    model = onnx.load(str(tmp_path / "m.onnx"))
    n = dn.flush_denormals(model)
    after = _weights(model)
    sub = {k: (v != 0) & (np.abs(v) < dn.TINY) for k, v in before.items()}
    assert n == sum(int(s.sum()) for s in sub.values()) and n > 20
    for k in before:
        assert np.all(after[k][sub[k]] == 0) and not np.signbit(after[k][sub[k]]).any()
        assert after[k][~sub[k]].tobytes() == before[k][~sub[k]].tobytes()  # the rest bit for bit
    assert not any(((v != 0) & (np.abs(v) < dn.TINY)).any() for v in after.values())
    assert dn.flush_denormals(model) == 0  # nothing left the second time


def test_flushed_model_keeps_the_output_bits(tmp_path):
    ort = pytest.importorskip("onnxruntime")
    path = _conv_model(tmp_path / "m.onnx", 0.5)
    data = dn.flushed_model(path)
    assert isinstance(data, bytes)
    x = np.random.default_rng(2).normal(0, 3, (1, 16, 20, 30)).astype(np.float32)
    old = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"]).run(None, {"x": x})[0]
    new = ort.InferenceSession(data, providers=["CPUExecutionProvider"]).run(None, {"x": x})[0]
    assert new.tobytes() == old.tobytes()


def test_a_model_without_subnormals_is_loaded_from_its_path(tmp_path, monkeypatch):
    import sys

    path = _conv_model(tmp_path / "m.onnx", 0.0)
    assert dn.flushed_model(path) == path
    sub = _conv_model(tmp_path / "s.onnx", 0.5)
    monkeypatch.setitem(sys.modules, "onnx", None)  # without onnx: the model as it is, only slower
    assert dn.flushed_model(sub) == sub


@pytest.mark.slow
def test_the_engines_fp32_detector_runs_the_flushed_model_with_the_same_map():
    """The wheel's detector has subnormal weights (which made two convolutions ≈ 25 × slower);
    the engine's session loads them flushed and finds the same probability map and boxes on the
    de-sample scan as the model loaded from its file."""
    pytest.importorskip("onnx")
    from broadsheet.ocr import get_engine, load_image_array
    from broadsheet.ocr.engines.rapid import DET_MODEL, _model_dir, _session, det_input

    import onnx

    path = _model_dir() / DET_MODEL
    assert dn.flush_denormals(onnx.load(str(path))) > 100_000
    eng = get_engine("rapidocr", threads=1)
    assert eng.settings()["det_precision"] == "fp32"
    image = load_image_array(FIXTURE_PAGES / "de-sample" / "scan.jpg")
    x = det_input(image, eng.settings()["det_long_side"])
    name = eng._det.get_inputs()[0].name
    flushed = eng._det.run(None, {name: x})[0]
    plain_session = _session(path, 1)
    plain = plain_session.run(None, {name: x})[0]
    assert flushed.tobytes() == plain.tobytes()
    boxes = eng.detect(image)
    eng._det = plain_session
    assert np.array_equal(eng.detect(image), boxes) and len(boxes) > 100


def test_the_fp32_detector_session_is_given_the_flushed_model(monkeypatch):
    """The engine asks :func:`denormals.flushed_model` for the fp32 detector (and only for it)."""
    from broadsheet.ocr import get_engine
    from broadsheet.ocr.engines.rapid import DET_MODEL

    asked = []

    def spy(path):
        asked.append(Path(path).name)
        return Path(path)

    monkeypatch.setattr(dn, "flushed_model", spy)
    get_engine("rapidocr", threads=1)
    assert asked == [DET_MODEL]


def test_paddle_model_folder_holds_the_flushed_detector_and_replaces_an_old_link(tmp_path):
    """The paddleocr engine's detector folder gets the model the rapidocr engine loads (subnormals
    flushed, a file), also where an earlier version left a link to the wheel's model; the
    recogniser stays a link to the wheel's file."""
    pytest.importorskip("onnx")
    pytest.importorskip("rapidocr")
    from broadsheet.ocr.engines import paddle
    from broadsheet.ocr.engines.rapid import DET_MODEL, _model_dir

    wheel = _model_dir() / DET_MODEL
    flushed = dn.flushed_model(wheel)
    assert isinstance(flushed, bytes)
    old = tmp_path / "models" / paddle.DET_NAME / "inference.onnx"
    old.parent.mkdir(parents=True)
    old.symlink_to(wheel)  # a folder prepared before the detector was flushed
    det_dir, rec_dir = paddle.prepare_model_dirs(tmp_path / "models")
    target = det_dir / "inference.onnx"
    assert not target.is_symlink() and target.read_bytes() == flushed
    assert wheel.read_bytes() != flushed  # the wheel's file is untouched
    assert (rec_dir / "inference.onnx").is_symlink()
    mtime = target.stat().st_mtime_ns
    paddle.prepare_model_dirs(tmp_path / "models")  # up to date: not written again
    assert target.stat().st_mtime_ns == mtime
