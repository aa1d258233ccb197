"""The German opening quote „ the recogniser dropped, put back from the ink."""
import numpy as np

from broadsheet.ocr.lowquote import low_opening_quotes
from broadsheet.ocr.types import OcrLine

from .conftest import FixedEngine

PITCH = 16          # a glyph's advance, px
XT, XB = 20, 34     # the x-height band: rows 20..34 (baseline 34); ascenders from row 12
TALL = set("JAhdkltf")


def _line(text: str, marks: list[tuple[int, int, int, int]] = (), x0: int = 40):
    """A Latin line of ``text`` (a space is one advance) and its ink, plus ``marks``: boxes
    (x0, y0, x1, y1) of extra ink. Returns (line, ink)."""
    ink = np.zeros((60, 40 + x0 + PITCH * len(text)), bool)
    boxes = []
    for i, ch in enumerate(text):
        x = x0 + i * PITCH
        boxes.append((float(x), 10.0, float(x + PITCH), 44.0))
        if ch.isspace():
            continue
        if ch in "“\"":
            ink[12:18, x + 3:x + 6] = ink[12:18, x + 8:x + 11] = True
        elif ch == ",":
            ink[31:38, x + 2:x + 5] = True
        else:
            ink[(12 if ch in TALL else XT):XB + 1, x + 2:x + PITCH - 2] = True
    for mx0, my0, mx1, my1 in marks:
        ink[my0:my1, mx0:mx1] = True
    b = boxes
    line = OcrLine(((b[0][0], 10.0), (b[-1][2], 10.0), (b[-1][2], 44.0), (b[0][0], 44.0)), text, 0.9, tuple(b))
    return line, ink


def _low_quote_in_space(k: int, x0: int = 40) -> list[tuple[int, int, int, int]]:
    """The two strokes of „ in the space at index ``k``, close to the next glyph."""
    x = x0 + k * PITCH
    return [(x + 5, 32, x + 8, 39), (x + 10, 32, x + 13, 39)]


def test_a_dropped_low_quote_before_a_word_is_put_back():
    text = "einem Jahrhundert“,"
    line, ink = _line(text, _low_quote_in_space(5))
    out = low_opening_quotes([line], ink)[0]
    assert out.text == "einem „Jahrhundert“,"
    assert len(out.chars) == len(out.text)
    # the mark's box is its ink
    assert out.chars[6][0] == 40 + 5 * PITCH + 5 and out.chars[6][2] == 40 + 5 * PITCH + 13


def test_a_straight_closer_becomes_the_german_one_with_its_opening_mark():
    line, ink = _line("einem Jahrhundert\",", _low_quote_in_space(5))
    assert low_opening_quotes([line], ink)[0].text == "einem „Jahrhundert“,"


def test_a_low_quote_at_the_start_of_a_line_left_of_its_box():
    line, ink = _line("Jahrhundert“ am", x0=60)
    ink[32:39, 45:48] = ink[32:39, 50:53] = True
    out = low_opening_quotes([line], ink)[0]
    assert out.text == "„Jahrhundert“ am"
    assert out.bbox[0] == 45


def test_no_ink_no_mark():
    line, ink = _line("einem Jahrhundert“,")
    assert low_opening_quotes([line], ink)[0] is line


def test_ink_high_or_at_mid_height_is_no_low_quote():
    x = 40 + 5 * PITCH
    for mark in ([(x + 5, 12, x + 8, 18), (x + 10, 12, x + 13, 18)],   # an English “ (high)
                 [(x + 4, 26, x + 13, 29)]):                          # a hyphen
        line, ink = _line("einem Jahrhundert“,", mark)
        assert low_opening_quotes([line], ink)[0] is line


def test_without_an_unopened_closer_nothing_is_looked_for():
    # no closer at all, or one its own „ (read) opens: the low ink is left alone
    for text, k in (("einem Jahrhundert,", 5), ("ein „altes“ Haus", 3)):
        line, ink = _line(text, _low_quote_in_space(k))
        assert low_opening_quotes([line], ink)[0] is line


def test_a_low_quote_whose_word_space_was_dropped_too_is_put_back_after_the_spaces():
    """bench-de scan: "einemJahrhundertprojekt“," — the recogniser dropped the „ and the word
    space it stands in. The mark is looked for before a word, so it is put back after the
    spaces step has found that word's start (5 of the 8 „ missing on that page)."""
    from broadsheet.ocr import OcrConfig, run_ocr

    spaced, ink = _line("einem  Jahrhundert“,", _low_quote_in_space(6))
    keep = [i for i, c in enumerate(spaced.text) if not c.isspace()]
    line = OcrLine(spaced.polygon, "".join(spaced.text[i] for i in keep), 0.9, tuple(spaced.chars[i] for i in keep))
    image = np.where(ink, 0, 255).astype(np.uint8)
    cfg = dict(deskew=False, recover=False, split=False, merge=False, fix_quotes=False, tighten=False)
    assert run_ocr(image, engine=FixedEngine([line]), config=OcrConfig(**cfg)).lines[0].text == "einem „Jahrhundert“,"
    # with no mark's ink in the space, the space alone comes back
    _spaced, bare = _line("einem  Jahrhundert“,")
    image = np.where(bare, 0, 255).astype(np.uint8)
    assert run_ocr(image, engine=FixedEngine([line]), config=OcrConfig(**cfg)).lines[0].text == "einem Jahrhundert“,"


def test_a_low_quote_blurred_into_the_next_capital_is_cut_from_it():
    # the scan blurs the two strokes together and into the "J"'s hook: one blob whose first
    # columns stay low for almost an x-height before the stem rises
    x = 40 + 5 * PITCH
    blur, hook = (x + 8, 37, x + 10, 39), (x + 13, 34, x + 18, 37)
    line, ink = _line("einem Jahrhundert“,", [*_low_quote_in_space(5), blur, hook])
    out = low_opening_quotes([line], ink)[0]
    assert out.text == "einem „Jahrhundert“,"
    assert out.chars[6][0] == x + 5 and out.chars[6][2] < x + 16     # the mark, not the glyph


def test_a_capitals_own_hook_or_foot_is_no_quote():
    # the "J"'s hook alone (a third of an x-height low before its stem): nothing put back
    x = 40 + 5 * PITCH
    line, ink = _line("einem Jahrhundert“,", [(x + 12, 34, x + 18, 37)])
    assert low_opening_quotes([line], ink)[0] is line
