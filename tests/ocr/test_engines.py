"""Engine interface: lookup by name, late import, install hints, and run_ocr's record of what ran."""
from __future__ import annotations

import dataclasses
import shutil
import socket

import numpy as np
import pytest

from broadsheet.errors import EngineUnavailable
from broadsheet.ocr import OcrConfig, OcrLine, available_engines, get_engine, run_ocr
from broadsheet.ocr.engines import ENGINES, Engine

from .conftest import text_page


class FakeEngine:
    """Returns one line per call with per-char boxes; a gutter between 'AB' and 'CD'."""

    name = "fake"

    def __init__(self):
        self.calls = 0

    def version(self) -> str:
        return "fake 1.0"

    def settings(self) -> dict:
        return {"knob": 7}

    def recognize(self, image: np.ndarray) -> list[OcrLine]:
        self.calls += 1
        chars = ((0, 0, 30, 40), (32, 0, 62, 40), (130, 0, 160, 40), (162, 0, 192, 40))
        poly = ((0.0, 0.0), (192.0, 0.0), (192.0, 40.0), (0.0, 40.0))
        return [OcrLine(poly, "ABCD", 0.9, chars)]


def test_fake_engine_satisfies_the_protocol():
    assert isinstance(FakeEngine(), Engine)


def test_run_ocr_records_engine_version_settings_and_deskew():
    eng = FakeEngine()
    res = run_ocr(np.full((60, 200), 255, np.uint8), engine=eng)
    assert eng.calls == 1
    assert res.engine == "fake" and res.engine_version == "fake 1.0"
    assert res.settings["engine"] == {"knob": 7}
    assert res.settings["deskew"] is True and res.deskew_angle == 0.0
    assert (res.width, res.height) == (200, 60)


def _two_column_page() -> np.ndarray:
    """Ink for two more text lines below the fake line, left and right of a gutter at x 62..130."""
    page = np.full((200, 200), 255, np.uint8)
    for y in (50, 100):
        page[y : y + 30, 0:62] = 0
        page[y : y + 30, 130:192] = 0
    return page


def test_run_ocr_splits_at_a_gutter_the_page_confirms():
    res = run_ocr(_two_column_page(), engine=FakeEngine())
    assert [l.text for l in res.lines] == ["AB", "CD"]
    res = run_ocr(_two_column_page(), engine=FakeEngine(), config=OcrConfig(split=False))
    assert [l.text for l in res.lines] == ["ABCD"]


def test_run_ocr_does_not_split_an_isolated_line_at_a_wide_gap():
    res = run_ocr(np.full((60, 200), 255, np.uint8), engine=FakeEngine())
    assert [l.text for l in res.lines] == ["ABCD"]


def test_run_ocr_reports_the_deskew_it_applied():
    from broadsheet.ocr import rotate

    page = rotate(text_page(), 2.0)
    res = run_ocr(page, engine=FakeEngine())
    assert res.deskew_angle == pytest.approx(-2.0, abs=0.2)
    assert res.image.shape == page.shape and res.image is not page


def test_ocr_config_is_keyword_only_and_rejects_unknown_options():
    with pytest.raises(TypeError):
        OcrConfig(2400)  # type: ignore[misc]
    with pytest.raises(TypeError):
        OcrConfig(det_longside=2400)  # type: ignore[call-arg]
    with pytest.raises(dataclasses.FrozenInstanceError):
        OcrConfig().deskew = False  # type: ignore[misc]


def test_unknown_engine_name_lists_the_choices():
    with pytest.raises(EngineUnavailable) as info:
        get_engine("nonesuch")
    for name in ENGINES:
        assert name in str(info.value)


def test_available_engines_reports_every_engine():
    status = available_engines()
    assert set(status) == set(ENGINES)
    assert status["rapidocr"] == "ok"


def test_missing_paddleocr_gives_install_hint():
    try:
        import paddleocr  # noqa: F401
    except ImportError:
        with pytest.raises(EngineUnavailable, match=r"pip install 'broadsheet\[paddle\]'"):
            get_engine("paddleocr")
    else:
        pytest.skip("paddleocr is installed here")


def test_rapidocr_models_ship_in_the_wheel():
    from broadsheet.ocr.engines.rapid import DET_MODEL, REC_MODEL, _model_dir

    assert (_model_dir() / DET_MODEL).is_file() and (_model_dir() / REC_MODEL).is_file()


@pytest.fixture
def no_network(monkeypatch):
    """Any socket connection attempt fails: proves an engine runs offline."""

    def deny(*_a, **_k):
        raise OSError("network access attempted during an offline test")

    monkeypatch.setattr(socket.socket, "connect", deny)
    monkeypatch.setattr(socket, "create_connection", deny)


@pytest.mark.slow
def test_rapidocr_reads_small_page_offline_and_splits_gutter(small_zh, no_network):
    res = run_ocr(small_zh, engine="rapidocr")
    texts = [l.text for l in res.lines]
    joined = "\n".join(texts)
    assert "赣州经开区交出“硬核”答卷" in joined
    assert "今年，广东肇庆高新区改变" in texts  # left column line, cut at the 16 px gutter
    assert "北京经开区是首都高精尖产" in texts  # right column line
    assert any("Economic Daily" in t for t in texts)
    assert not any("改变北京" in t for t in texts)
    assert res.engine == "rapidocr" and "PP-OCRv6" in res.engine_version
    assert res.settings["engine"]["det_long_side"] == 2000
    for l in res.lines:
        assert l.chars is None or len(l.chars) == len(l.text)


@pytest.mark.slow
def test_paddleocr_runs_offline_on_bundled_weights(small_zh, no_network, tmp_path):
    pytest.importorskip(
        "paddleocr",
        reason="paddleocr not installed (extra 'paddle': it pins numpy<2.4 and opencv-contrib, so it is kept out of the default environment)",
    )
    eng = get_engine("paddleocr", model_root=str(tmp_path / "models"))
    texts = [l.text for l in run_ocr(small_zh, engine=eng).lines]
    assert "北京经开区是首都高精尖产" in texts
    assert (tmp_path / "models" / "PP-OCRv6_small_rec" / "inference.yml").is_file()


@pytest.mark.skipif(shutil.which("tesseract") is None, reason="tesseract binary not installed")
def test_tesseract_reads_latin_text():
    from PIL import Image, ImageDraw, ImageFont

    from .conftest import LATIN_FONT

    img = Image.new("L", (900, 120), 255)
    ImageDraw.Draw(img).text((20, 30), "Die Brücke über den Rhein", font=ImageFont.truetype(LATIN_FONT, 44), fill=0)
    try:
        eng = get_engine("tesseract", lang="deu")
    except EngineUnavailable as exc:
        pytest.skip(str(exc))
    res = run_ocr(np.asarray(img), engine=eng, config=OcrConfig(deskew=False))
    text = " ".join(l.text for l in res.lines)
    assert "Brücke" in text and "Rhein" in text
    assert all(len(l.chars) == len(l.text) for l in res.lines)
    assert res.engine_version.startswith("tesseract")


@pytest.mark.skipif(shutil.which("tesseract") is None, reason="tesseract binary not installed")
def test_tesseract_missing_language_names_the_package():
    with pytest.raises(EngineUnavailable, match="tesseract-ocr-"):
        get_engine("tesseract", lang="xyz_nonexistent")


def test_tesseract_tsv_parsing_joins_words_into_lines():
    from broadsheet.ocr.engines.tesseract import parse_tsv

    header = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext"
    rows = [
        "5\t1\t1\t1\t1\t1\t10\t5\t40\t20\t96\tDie",
        "5\t1\t1\t1\t1\t2\t60\t5\t80\t20\t90\tBrücke",
        "5\t1\t1\t1\t2\t1\t10\t40\t30\t20\t80\t中国",
        "5\t1\t1\t1\t2\t2\t40\t40\t30\t20\t80\t经济",
    ]
    lines = parse_tsv("\n".join([header, *rows]))
    assert [l.text for l in lines] == ["Die Brücke", "中国经济"]
    assert len(lines[0].chars) == len("Die Brücke")
    assert lines[0].bbox == (10.0, 5.0, 140.0, 25.0)
    assert lines[0].confidence == pytest.approx(0.93)


@pytest.mark.slow
def test_rapidocr_output_does_not_depend_on_the_number_of_workers(small_zh):
    one = get_engine("rapidocr", threads=1).recognize(small_zh)
    two = get_engine("rapidocr", threads=2).recognize(small_zh)
    assert [(l.text, l.polygon, l.chars, l.confidence) for l in one] == [
        (l.text, l.polygon, l.chars, l.confidence) for l in two]
    bare = get_engine("rapidocr", char_boxes=False).recognize(small_zh)
    assert [l.text for l in bare] == [l.text for l in one] and all(l.chars is None for l in bare)


def test_rapid_char_boxes_follow_the_ctc_columns():
    from broadsheet.ocr.engines.rapid import _char_boxes

    # "ab cd": 8 px per column, a gap of 9 columns before "cd"; crop 200 × 40 placed at x+100, y+10
    to_page = np.array([[1.0, 0.0, 100.0], [0.0, 1.0, 10.0], [0.0, 0.0, 1.0]])
    cols = np.array([2, 4, 8, 17, 19])
    boxes = _char_boxes("ab cd", cols, 8.0, 200, 40, to_page)
    assert len(boxes) == 5
    a, b, space, c, d = boxes
    assert a[1] == 10 and a[3] == 50  # the full crop height
    assert b[0] - a[2] < 1 and d[0] - c[2] < 1  # neighbours in a word touch
    assert c[0] - b[2] > 40  # the column gap shows between the boxes
    assert space[0] == pytest.approx(b[2]) and space[2] == pytest.approx(c[0])
    assert _char_boxes("abc", cols, 8.0, 200, 40, to_page) is None  # text and columns disagree


def test_rapid_squeeze_keeps_lines_wider_than_a_column_at_full_width():
    from broadsheet.ocr.engines.rapid import RapidOcrEngine

    eng = RapidOcrEngine.__new__(RapidOcrEngine)  # only the settings are needed
    # ten full column lines (446 px), two short paragraph ends, two lines merged across a gutter
    crops = [np.zeros((40, w), np.uint8) for w in [446] * 10 + [120, 300, 916, 700]]
    eng._settings = {"rec_squeeze": 1.0, "rec_squeeze_lines": "column"}
    assert (eng._squeeze(crops) == 1.0).all()  # the default reads every line as it is
    eng._settings = {"rec_squeeze": 0.7, "rec_squeeze_lines": "column"}
    assert eng._squeeze(crops).tolist() == [0.7] * 12 + [1.0, 1.0]
    eng._settings = {"rec_squeeze": 0.7, "rec_squeeze_lines": "all"}
    assert (eng._squeeze(crops) == 0.7).all()
    assert len(eng._squeeze([])) == 0


def test_rapid_call_groups_cut_wide_batches_into_groups_of_two_or_more():
    from broadsheet.ocr.engines.rapid import call_groups

    assert call_groups(6, 320, 2400) == [(0, 6)]  # narrow lines: one call, as before
    assert call_groups(6, 3000, 0) == [(0, 6)]  # 0: never cut
    for n in range(1, 13):
        for width in (320, 600, 1000, 3000, 9000):
            groups = call_groups(n, width, 2400)
            assert groups[0][0] == 0 and groups[-1][1] == n
            assert all(a[1] == b[0] for a, b in zip(groups, groups[1:]))
            sizes = [hi - lo for lo, hi in groups]
            # a line runs alone only when its batch is one line (one-line calls differ in the last bits)
            assert n == 1 or min(sizes) >= 2
            # within the budget, or pairs when even two lines exceed it
            assert max(sizes) * width <= 2400 or max(sizes) <= 3 or len(groups) == 1
    assert call_groups(6, 3000, 2400) == [(0, 2), (2, 4), (4, 6)]


class _RecordingSession:
    """Stands in for an onnxruntime session: records input shapes and run options, returns
    one-hot CTC outputs (character 1 in every 8th column)."""

    def __init__(self):
        self.shapes, self.options = [], []

    def get_inputs(self):
        return [type("I", (), {"name": "x"})()]

    def run(self, _out, feed, options=None):
        x = feed["x"]
        self.shapes.append(x.shape)
        self.options.append(options)
        probs = np.zeros((x.shape[0], x.shape[3] // 8, 3), np.float32)
        probs[:, :, 0] = 1
        probs[:, ::8, 0], probs[:, ::8, 1] = 0, 1
        return [probs]


def _fake_rapid(call_cols: int):
    from broadsheet.ocr.engines.rapid import RapidOcrEngine

    eng = RapidOcrEngine.__new__(RapidOcrEngine)
    eng._settings = {"rec_squeeze": 1.0, "rec_squeeze_lines": "column", "rec_batch": 6}
    eng._call_cols, eng._workers = call_cols, 1
    eng._rec = _RecordingSession()
    eng._out = eng._tail = None  # a whole model: probabilities out
    eng._charset = np.array(["", "a", " "], dtype=object)
    return eng


def test_rapid_wide_batches_keep_their_padded_width_in_smaller_calls():
    # six lines merged across a gutter (40 × 2500 px → 3000 input columns): one call of six
    # would take ~0.6 GB of recogniser memory; pairs padded to the same width read the same
    crops = [np.full((40, 2500 - k), 255, np.uint8) for k in range(6)] + [np.full((40, 200), 255, np.uint8)] * 6
    whole, cut = _fake_rapid(0), _fake_rapid(2400)
    a, b = whole._read_all(crops), cut._read_all(crops)
    assert [(t, s, c.tolist(), st) for t, s, c, st in a] == [(t, s, c.tolist(), st) for t, s, c, st in b]
    wide = [s for s in cut._rec.shapes if s[3] > 320]
    assert {s[3] for s in wide} == {3000} and [s[0] for s in wide] == [2, 2, 2]
    assert [s[0] for s in whole._rec.shapes if s[3] > 320] == [6]


def test_rapid_hands_arena_memory_back_after_detection_and_recognition():
    eng = _fake_rapid(2400)
    crops = [np.full((40, 300), 255, np.uint8)] * 8
    eng._read_all(crops)
    last = eng._rec.options[-1]
    assert last is not None and last.get_run_config_entry("memory.enable_memory_arena_shrinkage") == "cpu:0"
    assert eng._rec.shapes[-1][0] == 1  # a minimal extra run, not one of the page's lines
    eng._rec.options.clear()
    eng._read_all(crops[:3])  # one band of a few lines (recover): no extra run
    assert all(o is None for o in eng._rec.options)
    eng._det, eng._db = _RecordingSession(), lambda pred, shape: ([], [])
    eng._settings["det_long_side"] = 2000
    assert len(eng.detect(np.full((640, 480), 255, np.uint8))) == 0
    assert eng._det.options[-1].get_run_config_entry("memory.enable_memory_arena_shrinkage") == "cpu:0"


@pytest.mark.slow
def test_rapidocr_output_does_not_depend_on_the_recogniser_call_size(small_zh):
    whole = get_engine("rapidocr", rec_call_cols=0).recognize(small_zh)
    cut = get_engine("rapidocr", rec_call_cols=400).recognize(small_zh)  # every batch in pairs or threes
    assert [(l.text, l.polygon, l.chars, l.confidence) for l in whole] == [
        (l.text, l.polygon, l.chars, l.confidence) for l in cut]


@pytest.mark.slow
def test_rapidocr_reads_the_same_from_the_uint8_logits_as_from_the_whole_model(small_zh):
    from broadsheet.ocr.engines.rapid import REC_MODEL, _model_dir, _session
    from broadsheet.ocr.quantize import ensure_int8, session_model

    split = get_engine("rapidocr")
    assert split._out is not None  # the int8 recogniser's output layer is read from its uint8 logits
    whole = get_engine("rapidocr")
    whole._rec, whole._out, whole._tail = _session(session_model(ensure_int8(_model_dir() / REC_MODEL)), 1), None, None
    a, b = split.recognize(small_zh), whole.recognize(small_zh)
    assert len(a) > 5
    assert [(l.text, l.polygon, l.chars, l.confidence) for l in a] == [
        (l.text, l.polygon, l.chars, l.confidence) for l in b]
