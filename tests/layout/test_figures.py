"""Photo and drawing detection on synthetic pages: photos found with IoU ≥ 0.8, with or without
OCR line boxes; dense body text (Latin and CJK) never called a photo; degraded scans still work."""
from __future__ import annotations

import importlib.util
from pathlib import Path

import cv2
import numpy as np
import pytest

from broadsheet.layout.figures import FigureConfig, detect_figures
from broadsheet.layout.geometry import iou
from broadsheet.layout.separators import detect_separators

# the synthetic newspaper page is drawn by the separator tests' builder
_spec = importlib.util.spec_from_file_location("_synthetic_page", Path(__file__).with_name("test_separators.py"))
_synth = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_synth)


@pytest.fixture(scope="module")
def page():
    return _synth.synthetic_page()


def _assert_photos(found, truth, min_iou=0.8):
    fb = np.array([f.bbox for f in found], float).reshape(-1, 4)
    tb = np.array(truth, float).reshape(-1, 4)
    assert len(fb) == len(tb), f"found {found}, expected boxes {truth}"
    m = iou(fb, tb)
    assert (m.max(axis=0) >= min_iou).all(), f"IoU {m.max(axis=0)} for {found} vs {truth}"


@pytest.mark.parametrize("use_text", [True, False])
def test_photos_found_and_text_blocks_are_not_photos(page, use_text):
    img, _, boxes, photos = page
    seps = detect_separators(img, text_boxes=boxes if use_text else None)
    found = detect_figures(img, text_boxes=boxes if use_text else None, separators=seps)
    _assert_photos(found, photos)
    assert all(f.kind == "photo" for f in found)


def test_works_without_separators(page):
    img, _, boxes, photos = page
    _assert_photos(detect_figures(img, text_boxes=boxes), photos)


@pytest.mark.parametrize("angle", [1.0, -1.5])
def test_degraded_scan_still_gives_photos(page, angle):
    img, _, boxes, photos = page
    scan, M = _synth.degrade(img, angle=angle)
    found = detect_figures(scan, separators=detect_separators(scan))
    _assert_photos(found, [_synth.warp_box(p, M) for p in photos])


def test_ids_sorted_and_integer_bboxes_deterministic(page):
    img, _, boxes, _ = page
    a = detect_figures(img, text_boxes=boxes)
    assert a == detect_figures(img, text_boxes=boxes)
    assert [f.id for f in a] == list(range(len(a)))
    keys = [(f.bbox[1], f.bbox[0]) for f in a]
    assert keys == sorted(keys)
    assert all(isinstance(v, int) for f in a for v in f.bbox)


def test_ocr_junk_lines_on_a_photo_do_not_cut_it(page):
    img, _, boxes, photos = page
    x0, y0, x1, y1 = photos[0]
    junk = np.array([[x0 + 20, y, x1 - 20, y + 40] for y in range(y0 + 30, y1 - 40, 90)], float)
    found = detect_figures(img, text_boxes=np.concatenate([boxes, junk]))
    _assert_photos(found, photos)


def test_line_drawing_is_a_drawing():
    img = np.full((2000, 1600), 255, np.uint8)
    rng = np.random.default_rng(1)
    _synth._text_block(img, 100, 100, 1500, 700, rng)
    cv2.rectangle(img, (300, 900), (1200, 1700), 0, 3)            # a drawn frame of a chart…
    pts = np.array([[300, 1600], [500, 1300], [700, 1450], [900, 1050], [1200, 1150]], np.int32)
    cv2.polylines(img, [pts], False, 0, 4)                        # …its curve
    cv2.circle(img, (750, 1300), 200, 0, 3)
    for x in range(350, 1200, 100):
        cv2.line(img, (x, 1700), (x, 1680), 0, 3)
    found = detect_figures(img)
    assert len(found) == 1
    assert found[0].kind == "drawing"
    assert iou(np.array([found[0].bbox], float), np.array([[300, 900, 1203, 1703]], float))[0, 0] >= 0.8


def test_dense_cjk_text_without_line_boxes_is_not_a_photo():
    from PIL import Image, ImageDraw
    try:
        from broadsheet.fixtures.fonts import load
        font = load("cjk_serif", 34)
        big = load("cjk_sans_bold", 110)
    except Exception:  # no CJK font on this machine
        pytest.skip("no CJK font")
    im = Image.new("L", (1800, 2400), 255)
    d = ImageDraw.Draw(im)
    text = "江西赣州经开区招大引强交出硬核答卷等个项目与赣州经开区签约我们不会放缓在中国的投资" * 3
    d.text((100, 80), "招大引强交出一份硬核答卷", font=big, fill=0)
    for row in range(50):
        d.text((100, 300 + row * 42), text[row % 7: row % 7 + 46], font=font, fill=0)
    img = np.array(im)
    assert detect_figures(img) == ()


@pytest.mark.skipif(not _synth.GT_PAGES, reason="no fixture pages with ground truth")
@pytest.mark.parametrize("image", ["page.png", "scan.jpg"])
def test_fixture_pages_photos_found(image):
    """The generated newspaper pages' photos, with the OCR line boxes given: IoU ≥ 0.8 each."""
    import json
    import os
    for gt_path in _synth.GT_PAGES:
        gt = json.load(open(gt_path))
        path = os.path.join(os.path.dirname(gt_path), image)
        if not os.path.exists(path):
            continue
        M = gt.get("scan_transform") if image == "scan.jpg" else None
        img = cv2.imread(path, cv2.IMREAD_GRAYSCALE)
        lines = np.array([_synth._warp_gt(ln["box"], M) for ln in gt["lines"]], float)
        found = detect_figures(img, text_boxes=lines, separators=detect_separators(img, text_boxes=lines))
        _assert_photos(found, [_synth._warp_gt(f["bbox"], M) for f in gt.get("figures", [])])


def test_blank_and_tiny_pages():
    assert detect_figures(np.full((900, 700), 240, np.uint8)) == ()
    with pytest.raises(ValueError):
        detect_figures(np.zeros((2, 2), np.uint8))


def test_config_is_keyword_only_and_frozen():
    with pytest.raises(TypeError):
        FigureConfig(1200)  # type: ignore[misc]
    with pytest.raises(Exception):
        FigureConfig().density = 0.1  # type: ignore[misc]
