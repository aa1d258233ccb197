"""The int8 detector (opt-in ``det_precision="int8"``): deterministic build on a tiny DB-shaped
model (GELU fused, first and last convolution kept fp32), its own cache key, the fallback to the
fp32 detector, the engine/config/CLI setting, and one slow build of the real model that reads a
small page."""
from __future__ import annotations

import logging
import sys
from pathlib import Path

import numpy as np
import pytest

from broadsheet.ocr import OcrConfig, get_engine
from broadsheet.ocr import quantize as q

FIXTURE_PAGES = Path(__file__).resolve().parents[2] / "fixtures" / "pages"


@pytest.fixture
def tiny_det(tmp_path) -> Path:
    """A detector-shaped model, opset 11 like the real one: x (N, 3, H, W) → Conv → Relu → Conv →
    erf GELU → Conv → Sigmoid (N, 1, H, W)."""
    onnx = pytest.importorskip("onnx")
    from onnx import TensorProto, helper, numpy_helper

    rng = np.random.default_rng(0)
    init = [
        numpy_helper.from_array(rng.normal(0, 0.3, (8, 3, 3, 3)).astype(np.float32), "w0"),
        numpy_helper.from_array(rng.normal(0, 0.2, (8, 8, 3, 3)).astype(np.float32), "w1"),
        numpy_helper.from_array(rng.normal(0, 0.3, (1, 8, 1, 1)).astype(np.float32), "w2"),
        numpy_helper.from_array(np.array(2 ** 0.5, np.float32), "sqrt2"),
        numpy_helper.from_array(np.array(1.0, np.float32), "one"),
        numpy_helper.from_array(np.array(0.5, np.float32), "half"),
    ]
    nodes = [
        helper.make_node("Conv", ["x", "w0"], ["c0"], pads=[1, 1, 1, 1], name="first"),
        helper.make_node("Relu", ["c0"], ["r0"]),
        helper.make_node("Conv", ["r0", "w1"], ["c1"], pads=[1, 1, 1, 1], name="middle"),
        helper.make_node("Div", ["c1", "sqrt2"], ["d"]),
        helper.make_node("Erf", ["d"], ["e"]),
        helper.make_node("Add", ["e", "one"], ["a"]),
        helper.make_node("Mul", ["c1", "a"], ["m"]),
        helper.make_node("Mul", ["m", "half"], ["g"]),
        helper.make_node("Conv", ["g", "w2"], ["c2"], name="head"),
        helper.make_node("Sigmoid", ["c2"], ["y"]),
    ]
    graph = helper.make_graph(
        nodes, "tiny_det",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["N", 3, "H", "W"])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, ["N", 1, "H", "W"])],
        initializer=init)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 11)])
    model.ir_version = 7
    path = tmp_path / "tiny_det.onnx"
    onnx.save(model, str(path))
    return path


@pytest.fixture
def det_calib() -> list[np.ndarray]:
    rng = np.random.default_rng(1)
    return [rng.uniform(-1, 1, (1, 3, 64, 96)).astype(np.float32) for _ in range(2)]


def test_fuse_gelu_turns_the_erf_pattern_into_one_node(tiny_det):
    onnx = pytest.importorskip("onnx")
    model = onnx.load(str(tiny_det))
    assert q.fuse_gelu(model) == 1
    ops = [n.op_type for n in model.graph.node]
    assert "Gelu" in ops and not {"Erf", "Div"} & set(ops)
    assert q.fuse_gelu(model) == 0  # nothing left to fuse


def test_session_model_fuses_the_quantised_gelus_and_keeps_the_output(tiny_det, det_calib, tmp_path):
    """The recogniser's recipe 2 quantises with its GELUs as five ops; the engine's session loads
    them fused (:func:`quantize.session_model`): one Gelu node each, the same output bits."""
    import onnx
    import onnxruntime as ort

    path = tmp_path / "int8.onnx"  # recipe-2 style: every Conv int8, the erf chain left as it is
    path.write_bytes(q._quantize_bytes(tiny_det, det_calib, ["Conv"], recipe="2", calibration="test"))
    assert "Erf" in {n.op_type for n in onnx.load(str(path)).graph.node}
    fused = q.session_model(path)
    ops = [n.op_type for n in onnx.load_from_string(fused).graph.node]
    assert ops.count("Gelu") == 1 and not {"Erf", "Div"} & set(ops)
    plain = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    sess = ort.InferenceSession(fused, providers=["CPUExecutionProvider"])
    for x in det_calib:
        assert np.array_equal(sess.run(None, {"x": x})[0], plain.run(None, {"x": x})[0])


def test_session_model_without_onnx_is_the_cached_file(monkeypatch, tmp_path):
    path = tmp_path / "int8.onnx"
    path.write_bytes(b"not read")
    monkeypatch.setitem(sys.modules, "onnx", None)
    assert q.session_model(path) == path


def test_det_build_is_deterministic_keeps_the_ends_fp32_and_stays_close(tiny_det, det_calib, tmp_path):
    import onnx
    import onnxruntime as ort

    a = q.build_det_int8_bytes(tiny_det, det_calib)
    assert a == q.build_det_int8_bytes(tiny_det, det_calib)  # same bytes on rebuild
    path = tmp_path / "det8.onnx"
    path.write_bytes(a)
    model = onnx.load(str(path))
    quantised = {n.name for n in model.graph.node if n.op_type == "Conv"
                 and any(i.endswith("_DequantizeLinear_Output") for i in n.input[1:2])}
    assert quantised == {"middle"}  # first (page pixels) and last (the head) stay fp32
    assert "Gelu" in {n.op_type for n in model.graph.node}
    meta = {p.key: p.value for p in model.metadata_props}
    assert meta["broadsheet_int8_recipe"] == f"detector {q.DET_RECIPE_VERSION}"
    assert meta["broadsheet_int8_fp32_nodes"] == "first,head"
    sess = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    ref = ort.InferenceSession(str(tiny_det), providers=["CPUExecutionProvider"])
    x = det_calib[0]
    assert np.abs(sess.run(None, {"x": x})[0] - ref.run(None, {"x": x})[0]).max() < 0.05


def test_detector_has_its_own_cache_key_and_builds_once(monkeypatch, tiny_det, det_calib, tmp_path):
    cache = tmp_path / "cache"
    det = q.ensure_int8(tiny_det, cache, calibration=det_calib, detector=True)
    assert det == q.int8_path(tiny_det, cache, recipe=q.DET_RECIPE_VERSION)
    assert det != q.int8_path(tiny_det, cache)  # not the recogniser recipe's file

    def no_rebuild(*a, **k):
        raise AssertionError("built again")

    monkeypatch.setattr(q, "build_det_int8_bytes", no_rebuild)
    assert q.ensure_int8(tiny_det, cache, calibration=det_calib, detector=True) == det


def test_det_calibration_pages_are_generated_and_deterministic():
    a = q.det_calibration_pages()
    assert len(a) == len(q.DET_CALIB_PAGES) and all(p.dtype == np.uint8 and p.ndim == 2 for p in a)
    b = q.det_calibration_pages()
    assert all(np.array_equal(x, y) for x, y in zip(a, b))


def test_engine_rejects_an_unknown_det_precision():
    with pytest.raises(ValueError, match="det_precision"):
        get_engine("rapidocr", det_precision="int4")


def test_ocr_config_and_cli_pass_the_det_precision():
    from broadsheet.cli import _parser

    assert OcrConfig().engine_settings("rapidocr")["det_precision"] == "fp32"  # opt-in
    assert OcrConfig(det_precision="int8").engine_settings("rapidocr")["det_precision"] == "int8"
    assert "det_precision" not in OcrConfig().engine_settings("tesseract")
    assert _parser().parse_args(["read", "p.png", "--det-precision", "int8"]).det_precision == "int8"
    eng = get_engine("rapidocr", rec_precision="fp32")
    assert eng.settings()["det_precision"] == "fp32" and eng.settings()["det_model"] == "PP-OCRv6_det_small.onnx"


def test_without_onnx_the_int8_detector_falls_back_to_fp32_with_one_warning(monkeypatch, tmp_path, caplog):
    from broadsheet.ocr.engines import rapid

    monkeypatch.setattr(rapid, "_FALLBACK_LOGGED", set())
    monkeypatch.setitem(sys.modules, "onnx", None)  # import onnx now raises ImportError
    with caplog.at_level(logging.WARNING, logger="broadsheet.ocr"):
        engines = [get_engine("rapidocr", rec_precision="fp32", det_precision="int8",
                              int8_cache=str(tmp_path)) for _ in range(2)]
    assert all(e.settings()["det_precision"] == "fp32" for e in engines)
    assert all(e.settings()["det_model"] == "PP-OCRv6_det_small.onnx" for e in engines)
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1 and "int8 detector" in warnings[0] and "--det-precision fp32" in warnings[0]


@pytest.mark.slow
def test_int8_detector_builds_from_the_wheel_and_reads_the_sample_page(tmp_path):
    """Builds the real int8 detector into an empty cache (calibrated on one generated page, to keep
    the test short) and reads the sample fixture with it."""
    pytest.importorskip("onnx")
    from broadsheet.ocr import load_image_array, run_ocr
    from broadsheet.ocr.engines.rapid import DET_MODEL, _model_dir, det_input

    page = q.det_calibration_pages()[0]
    q.ensure_int8(_model_dir() / DET_MODEL, tmp_path, calibration=[det_input(page, 2000)], detector=True)
    eng = get_engine("rapidocr", rec_precision="fp32", det_precision="int8", int8_cache=str(tmp_path))
    assert eng.settings()["det_precision"] == "int8" and ".int8-" in eng.settings()["det_model"]
    res = run_ocr(load_image_array(FIXTURE_PAGES / "sample" / "page.png"), engine=eng)
    text = "".join("".join(l.text.split()) for l in res.lines)
    for known in ("图为阿克苏红旗坡农场的果农在采摘苹果。", "主题打造了航天科普", "百多个耐盐碱品种中筛",
                  "从各地赶来的观众。"):
        assert known in text
    assert res.settings["engine"]["det_precision"] == "int8"
