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
