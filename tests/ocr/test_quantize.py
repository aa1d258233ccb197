"""The int8 recogniser: cache location and key, atomic and deterministic builds (on a tiny ONNX
model made here), the engine setting, and one slow end-to-end build of the real model."""
from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from broadsheet.errors import EngineUnavailable
from broadsheet.ocr import OcrConfig, get_engine
from broadsheet.ocr import quantize as q

FIXTURE_PAGES = Path(__file__).resolve().parents[2] / "fixtures" / "pages"


@pytest.fixture
def tiny_model(tmp_path) -> Path:
    """A recogniser-shaped model, opset 11 like the real one: x (N, 3, 48, W) → Conv → mean over
    height → (N, W, 4) → MatMul → Softmax (N, W, 5); with a "character" metadata entry."""
    onnx = pytest.importorskip("onnx")
    from onnx import TensorProto, helper, numpy_helper

    rng = np.random.default_rng(0)
    w = numpy_helper.from_array(rng.normal(0, 0.3, (4, 3, 3, 3)).astype(np.float32), "w")
    b = numpy_helper.from_array(np.zeros(4, np.float32), "b")
    m = numpy_helper.from_array(rng.normal(0, 0.5, (4, 5)).astype(np.float32), "m")
    nodes = [
        helper.make_node("Conv", ["x", "w", "b"], ["c"], pads=[1, 1, 1, 1]),
        helper.make_node("Relu", ["c"], ["r"]),
        helper.make_node("ReduceMean", ["r"], ["p"], axes=[2], keepdims=0),
        helper.make_node("Transpose", ["p"], ["t"], perm=[0, 2, 1]),
        helper.make_node("MatMul", ["t", "m"], ["l"]),
        helper.make_node("Softmax", ["l"], ["y"], axis=2),
    ]
    graph = helper.make_graph(
        nodes, "tiny",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["N", 3, 48, "W"])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, ["N", "W", 5])],
        initializer=[w, b, m])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 11)])
    model.ir_version = 7
    model.metadata_props.add(key="character", value="a\nb\nc")
    path = tmp_path / "tiny_rec.onnx"
    onnx.save(model, str(path))
    return path


@pytest.fixture
def calib() -> list[np.ndarray]:
    rng = np.random.default_rng(1)
    return [rng.uniform(-1, 1, (2, 3, 48, 64)).astype(np.float32) for _ in range(3)]


# ----------------------------------------------------------------------------- cache location / key


def test_cache_root_honours_broadsheet_cache_then_xdg_then_home(monkeypatch, tmp_path):
    monkeypatch.setenv("BROADSHEET_CACHE", str(tmp_path / "bc"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert q.cache_root() == tmp_path / "bc" / "broadsheet"
    monkeypatch.delenv("BROADSHEET_CACHE")
    assert q.cache_root() == tmp_path / "xdg" / "broadsheet"
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert q.cache_root() == tmp_path / "home" / ".cache" / "broadsheet"


def test_cache_key_depends_on_source_onnxruntime_and_recipe():
    k = q.cache_key("ab" * 32, "1.32.0", 1)
    assert len(k) == 16 and k == q.cache_key("ab" * 32, "1.32.0", 1)
    assert k != q.cache_key("cd" * 32, "1.32.0", 1)
    assert k != q.cache_key("ab" * 32, "1.33.0", 1)
    assert k != q.cache_key("ab" * 32, "1.32.0", 2)


def test_int8_path_names_the_source_and_its_hash(monkeypatch, tmp_path):
    src = tmp_path / "rec.onnx"
    src.write_bytes(b"model one")
    monkeypatch.setenv("BROADSHEET_CACHE", str(tmp_path / "bc"))
    p1 = q.int8_path(src)
    assert p1.parent == tmp_path / "bc" / "broadsheet" / "models"
    assert p1.name == f"rec.int8-{q.cache_key(q.file_sha256(src))}.onnx"
    src.write_bytes(b"model two")  # a new source model gets a new file
    assert q.int8_path(src) != p1
    assert q.int8_path(src, tmp_path / "elsewhere").parent == tmp_path / "elsewhere"


# ----------------------------------------------------------------------------- atomic writes


def test_write_atomic_keeps_the_old_file_when_the_write_fails(monkeypatch, tmp_path):
    target = tmp_path / "m" / "model.onnx"
    q.write_atomic(target, b"old complete model")
    assert target.read_bytes() == b"old complete model"

    def crash(_fd):
        raise OSError("disk full")

    monkeypatch.setattr(os, "fsync", crash)
    with pytest.raises(OSError, match="disk full"):
        q.write_atomic(target, b"new model, half written")
    assert target.read_bytes() == b"old complete model"
    assert sorted(p.name for p in target.parent.iterdir()) == ["model.onnx"]  # no temp file left


def test_a_failed_build_leaves_no_model_behind(monkeypatch, tiny_model, tmp_path):
    def crash(*_a, **_k):
        raise KeyboardInterrupt

    monkeypatch.setattr(q, "build_int8_bytes", crash)
    with pytest.raises(KeyboardInterrupt):
        q.ensure_int8(tiny_model, tmp_path / "cache")
    cache = tmp_path / "cache"
    target = q.int8_path(tiny_model, cache)
    assert [p.name for p in cache.iterdir()] == [f".{target.name}.lock"]  # no model, no temp file


# ----------------------------------------------------------------------------- building


def test_build_is_deterministic_runs_and_keeps_metadata(tiny_model, calib, tmp_path):
    import onnxruntime as ort

    a = q.build_int8_bytes(tiny_model, calib)
    b = q.build_int8_bytes(tiny_model, calib)
    assert a == b  # same bytes on rebuild
    path = tmp_path / "int8.onnx"
    path.write_bytes(a)
    sess = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    ops = {n.op_type for n in __import__("onnx").load(str(path)).graph.node}
    assert {"QuantizeLinear", "DequantizeLinear"} <= ops
    meta = sess.get_modelmeta().custom_metadata_map
    assert meta["character"] == "a\nb\nc"
    assert meta["broadsheet_int8_recipe"] == str(q.RECIPE_VERSION)
    assert q.file_sha256(tiny_model) in meta["broadsheet_int8_source"]
    # close to the fp32 model on the calibration data
    ref = ort.InferenceSession(str(tiny_model), providers=["CPUExecutionProvider"])
    x = calib[0]
    assert np.abs(sess.run(None, {"x": x})[0] - ref.run(None, {"x": x})[0]).max() < 0.05


def test_ensure_int8_builds_once_then_reuses_the_cached_file(monkeypatch, tiny_model, calib, tmp_path):
    path = q.ensure_int8(tiny_model, tmp_path / "cache", calibration=calib)
    assert path.is_file() and path.parent == tmp_path / "cache"
    first = path.read_bytes()

    def no_rebuild(*_a, **_k):
        raise AssertionError("rebuilt a cached model")

    monkeypatch.setattr(q, "build_int8_bytes", no_rebuild)
    assert q.ensure_int8(tiny_model, tmp_path / "cache", calibration=calib) == path
    assert path.read_bytes() == first


def test_missing_onnx_names_the_package_unless_the_model_is_cached(monkeypatch, tiny_model, calib, tmp_path):
    cached = q.ensure_int8(tiny_model, tmp_path / "cache", calibration=calib)
    monkeypatch.setitem(sys.modules, "onnx", None)  # import onnx now raises ImportError
    assert q.ensure_int8(tiny_model, tmp_path / "cache") == cached  # a built model needs no onnx
    with pytest.raises(EngineUnavailable, match=r"'onnx' package"):
        q.ensure_int8(tiny_model, tmp_path / "empty")


def test_build_command_prints_the_model(tiny_model, tmp_path, capsys):
    from broadsheet.cli import main

    assert main(["models", "build-int8", "--source", str(tiny_model), "--cache-dir", str(tmp_path)]) == 0
    out = json.loads(capsys.readouterr().out)
    assert Path(out["model"]).is_file() and Path(out["model"]).parent == tmp_path
    assert out["sha256"] == q.file_sha256(out["model"])
    assert main(["models", "nonsense"]) == 2



# ----------------------------------------------------------------------------- concurrent builds

_BUILD_SCRIPT = """
import logging, sys
import numpy as np
from broadsheet.ocr import quantize as q
logging.basicConfig(level=logging.INFO, format="%(message)s")
rng = np.random.default_rng(1)
calib = [rng.uniform(-1, 1, (2, 3, 48, 64)).astype(np.float32) for _ in range(3)]
print(q.ensure_int8(sys.argv[1], sys.argv[2], calibration=calib))
"""


def _builder(tiny_model: Path, cache: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", _BUILD_SCRIPT, str(tiny_model), str(cache)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_a_second_process_waits_for_the_running_build_and_uses_its_file(tiny_model, calib, tmp_path):
    cache = tmp_path / "cache"
    target = q.int8_path(tiny_model, cache)
    with q._build_lock(target):  # this test process is "the first builder"
        proc = _builder(tiny_model, cache)
        time.sleep(1.5)
        assert proc.poll() is None and not target.exists()  # waiting on the lock, not building
        q.write_atomic(target, q.build_int8_bytes(tiny_model, calib))
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err
    assert out.strip() == str(target) and "building" not in err  # found the file, did not rebuild


def test_two_processes_on_an_empty_cache_build_once(tiny_model, tmp_path):
    cache = tmp_path / "cache"
    procs = [_builder(tiny_model, cache) for _ in range(2)]
    results = [p.communicate(timeout=180) for p in procs]
    assert all(p.returncode == 0 for p in procs), [e for _, e in results]
    target = q.int8_path(tiny_model, cache)
    assert {o.strip() for o, _ in results} == {str(target)}
    assert sum(e.count("building the int8 recogniser") for _, e in results) == 1
    assert sorted(p.name for p in cache.iterdir()) == sorted([target.name, f".{target.name}.lock"])


# ----------------------------------------------------------------------------- calibration data


def test_calibration_lines_are_deterministic_and_not_from_benchmark_pages():
    used = set()
    for gt in FIXTURE_PAGES.glob("*/gt.json"):
        used |= {a["id"] for a in json.loads(gt.read_text(encoding="utf-8"))["articles"]}
    calib = {a for ids in q.CALIB_ARTICLES.values() for a in ids}
    assert used and not calib & used
    a, b = q.calibration_lines(), q.calibration_lines()
    assert len(a) == sum(n for *_x, n in q.CALIB_PLAN) == 60
    assert all(x.dtype == np.uint8 and np.array_equal(x, y) for x, y in zip(a, b))
    batches = q.calibration_batches()
    assert sum(len(x) for x in batches) == 60 and all(x.shape[1:3] == (3, 48) for x in batches)


# ----------------------------------------------------------------------------- engine setting


def test_engine_rejects_an_unknown_precision():
    with pytest.raises(ValueError, match="rec_precision"):
        get_engine("rapidocr", rec_precision="int4")


def test_ocr_config_passes_the_precision_to_rapidocr_only():
    assert OcrConfig().engine_settings("rapidocr")["rec_precision"] == "int8"  # the default
    assert OcrConfig(rec_precision="fp32").engine_settings("rapidocr")["rec_precision"] == "fp32"
    assert "rec_precision" not in OcrConfig().engine_settings("tesseract")


def test_fp32_stays_available():
    eng = get_engine("rapidocr", rec_precision="fp32")
    assert eng.settings()["rec_precision"] == "fp32"
    assert eng.settings()["rec_model"] == "PP-OCRv6_rec_small.onnx" and "int8" not in eng.version()


@pytest.fixture
def fresh_fallback_log(monkeypatch):
    from broadsheet.ocr.engines import rapid

    monkeypatch.setattr(rapid, "_FALLBACK_LOGGED", set())


def test_without_onnx_or_cached_model_the_default_engine_runs_fp32_and_says_so_once(
        monkeypatch, tmp_path, caplog, fresh_fallback_log):
    monkeypatch.setitem(sys.modules, "onnx", None)
    with caplog.at_level(logging.WARNING, logger="broadsheet.ocr"):
        engines = [get_engine("rapidocr", int8_cache=str(tmp_path)) for _ in range(2)]
    assert all(e.settings()["rec_precision"] == "fp32" for e in engines)
    assert all(e.settings()["rec_model"] == "PP-OCRv6_rec_small.onnx" for e in engines)
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1 and "'onnx' package" in warnings[0] and "fp32" in warnings[0]


def test_an_unwritable_cache_falls_back_to_fp32_with_one_warning(monkeypatch, tmp_path, caplog,
                                                                 fresh_fallback_log):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder would go")
    monkeypatch.setenv("BROADSHEET_CACHE", str(blocker))  # mkdir fails, as in a read-only cache
    with caplog.at_level(logging.WARNING, logger="broadsheet.ocr"):
        eng = get_engine("rapidocr")
    assert eng.settings()["rec_precision"] == "fp32" and "int8" not in eng.version()
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1 and "not-a-folder" in warnings[0] and "BROADSHEET_CACHE" in warnings[0]


@pytest.mark.slow
def test_int8_recogniser_builds_from_the_wheel_and_reads_the_sample_page(tmp_path, monkeypatch):
    """Builds the real int8 model (10-50 s) into an empty cache and reads the sample fixture."""
    pytest.importorskip("onnx")
    from broadsheet.ocr import load_image_array, run_ocr

    monkeypatch.setenv("BROADSHEET_CACHE", str(tmp_path))
    eng = get_engine("rapidocr")  # the default engine builds it on first use
    models = list((tmp_path / "broadsheet" / "models").glob("PP-OCRv6_rec_small.int8-*.onnx"))
    assert len(models) == 1 and eng.settings()["rec_model"] == models[0].name
    assert "int8" in eng.version()
    res = run_ocr(load_image_array(FIXTURE_PAGES / "sample" / "page.png"), engine=eng)
    text = "".join("".join(l.text.split()) for l in res.lines)
    for known in ("图为阿克苏红旗坡农场的果农在采摘苹果。", "主题打造了航天科普", "百多个耐盐碱品种中筛",
                  "从各地赶来的观众。"):
        assert known in text
    assert res.settings["engine"]["rec_precision"] == "int8"


@pytest.mark.slow
def test_every_gelu_of_the_real_int8_recogniser_fuses_to_the_same_uint8_outputs():
    """Why :func:`quantize.session_model` keeps recipe 2's output: each GELU of the cached model reads
    a DequantizeLinear of uint8 (256 possible values) and feeds only a QuantizeLinear, so checking
    all 256 inputs of every GELU, chain against fused node, covers every input the model can see."""
    onnx = pytest.importorskip("onnx")
    import onnxruntime as ort
    from onnx import TensorProto, helper

    from broadsheet.ocr.engines.rapid import REC_MODEL, _model_dir

    model = onnx.load(str(q.ensure_int8(_model_dir() / REC_MODEL)))
    graph = model.graph
    producer = {o: n for n in graph.node for o in n.output}
    consumers: dict[str, list] = {}
    for n in graph.node:
        for i in n.input:
            consumers.setdefault(i, []).append(n)
    inits = {i.name: i for i in graph.initializer}

    def run(nodes, used):
        g = helper.make_graph(nodes, "gelu", [helper.make_tensor_value_info("q", TensorProto.UINT8, [1, 263])],
                              [helper.make_tensor_value_info("y", TensorProto.UINT8, [1, 263])],
                              initializer=[inits[i] for i in used if i in inits])
        m = helper.make_model(g, opset_imports=[helper.make_opsetid("", 13), helper.make_opsetid("com.microsoft", 1)])
        m.ir_version = 8
        x = np.concatenate([np.arange(256), np.arange(7)]).astype(np.uint8)[None]  # the vector loop and its tail
        return ort.InferenceSession(m.SerializeToString(), providers=["CPUExecutionProvider"]).run(None, {"q": x})[0]

    checked = 0
    for erf in [n for n in graph.node if n.op_type == "Erf"]:
        div = producer[erf.input[0]]
        dq = producer[div.input[0]]
        add = consumers[erf.output[0]][0]
        mul = consumers[add.output[0]][0]
        half = consumers[mul.output[0]][0]
        (quant,) = consumers[half.output[0]]
        assert dq.op_type == "DequantizeLinear" and quant.op_type == "QuantizeLinear"
        chain = [dq, div, erf, add, mul, half]
        rename = {dq.input[0]: "q", half.output[0]: "g"}
        head = [helper.make_node(n.op_type, [rename.get(i, i) for i in n.input], [rename.get(o, o) for o in n.output])
                for n in chain]
        fused = [head[0], helper.make_node("Gelu", [dq.output[0]], ["g"], domain="com.microsoft")]
        tail = [helper.make_node("QuantizeLinear", ["g", *quant.input[1:]], ["y"])]
        used = {i for n in [*chain, quant] for i in n.input}
        assert np.array_equal(run(head + tail, used), run(fused + tail, used))
        checked += 1
    assert checked == 13
