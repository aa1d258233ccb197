"""Skew estimation: straight pages stay straight, small rotations are found and undone."""
from __future__ import annotations

import pytest

from broadsheet.ocr.deskew import deskew, estimate_skew, rotate

from .conftest import text_page


def test_straight_page_is_left_alone():
    page = text_page()
    out, angle = deskew(page)
    assert angle == 0.0
    assert out is page
    assert abs(estimate_skew(page)) <= 0.1


@pytest.mark.parametrize("angle", [2.5, -2.5, 4.0, -0.7])
def test_rotated_page_skew_is_recovered_within_0_2_degrees(angle):
    page = rotate(text_page(), angle)
    assert estimate_skew(page) == pytest.approx(angle, abs=0.2)
    _, applied = deskew(page)
    assert applied == pytest.approx(-angle, abs=0.2)


def test_photo_and_rules_do_not_fool_the_estimate():
    page = rotate(text_page(photo=True), 2.5)
    assert estimate_skew(page) == pytest.approx(2.5, abs=0.2)
    assert abs(estimate_skew(text_page(photo=True))) <= 0.1


def test_deskewed_page_measures_straight():
    page = rotate(text_page(), -3.0)
    fixed, _ = deskew(page)
    assert abs(estimate_skew(fixed)) <= 0.15
    assert fixed.shape == page.shape


def test_blank_page_gives_zero():
    import numpy as np

    assert estimate_skew(np.full((500, 400), 255, np.uint8)) == 0.0
