"""Rows the detector missed are read again from the ink no line covers."""
from __future__ import annotations

import numpy as np

from broadsheet.ocr import OcrLine, recover_missed


def _line(x0, y0, x1, y1, text, conf=0.95):
    return OcrLine(((x0, y0), (x1, y0), (x1, y1), (x0, y1)), text, conf, None)


class InkEngine:
    """Reads every crop as one line around its ink (what a detector at full size would do)."""

    def __init__(self):
        self.calls = []

    def recognize(self, image):
        self.calls.append(image.shape)
        ink = image < 128
        rows = np.concatenate([[0], ink.any(axis=1).astype(np.int8), [0]])
        d = np.diff(rows)
        out = []
        for y0, y1 in zip(np.flatnonzero(d == 1), np.flatnonzero(d == -1)):   # one line per row run
            xs = np.flatnonzero(ink[y0:y1].any(axis=0))
            out.append(_line(xs.min(), y0, xs.max() + 1, y1, "补读"))
        return out


def _page():
    img = np.full((400, 600), 255, np.uint8)
    for y0 in (40, 80, 120):                      # three rows of 30 px glyphs, 10 px leading
        for x in range(20, 500, 34):                # a glyph: a frame and a bar, half ink
            img[y0 : y0 + 30, x : x + 30] = 0
            img[y0 + 4 : y0 + 13, x + 4 : x + 26] = 255
            img[y0 + 17 : y0 + 26, x + 4 : x + 26] = 255
    return img


def test_a_row_outside_every_line_box_is_read_again_in_page_coordinates():
    img = _page()
    lines = [_line(18, 38, 528, 72, "上行"), _line(18, 118, 528, 152, "下行")]  # row 80..110 lost
    eng = InkEngine()
    found = recover_missed(img, lines, eng)
    assert [l.text for l in found] == ["补读"]
    x0, y0, x1, y1 = found[0].bbox
    assert (x0, y0, y1) == (20, 80, 110) and x1 == 526
    assert len(eng.calls) == 1 and eng.calls[0][0] < 60      # a crop, not the page


def test_covered_text_photos_and_slivers_are_not_read_again():
    img = _page()
    img[200:380, 100:400] = 0                     # a photo: far taller than a line
    img[300:360, 420:590] = 0                     # a small one, as wide as a headline
    img[160:163, 20:500] = 0                      # a rule
    lines = [_line(18, 38, 528, 72, "上行"), _line(18, 84, 528, 112, "中行"),  # glyph tops stick out
             _line(18, 118, 528, 152, "下行")]
    eng = InkEngine()
    assert recover_missed(img, lines, eng) == [] and eng.calls == []


def test_a_second_read_over_text_already_read_or_unsure_is_dropped():
    img = _page()
    lines = [_line(18, 38, 528, 72, "上行"), _line(18, 118, 528, 152, "下行")]

    class Wide(InkEngine):
        def recognize(self, image):
            return [_line(0, 0, image.shape[1], image.shape[0], "重读")]   # spills over the margin

    class Unsure(InkEngine):
        def recognize(self, image):
            return [_line(2, 2, image.shape[1] - 2, image.shape[0] - 2, "？", conf=0.3)]

    assert recover_missed(img, lines, Unsure()) == []
    found = recover_missed(img, lines, Wide())
    assert [l.text for l in found] == ["重读"]    # the crop is mostly the band: kept
    assert recover_missed(img, [*lines, *found], Wide()) == []   # nothing left uncovered


def test_pieces_read_from_one_band_are_one_line():
    # the recogniser's own detector cut a letter-spaced line at a 0.3 em letter space
    from broadsheet.ocr.recover import join_row

    def piece(x0, x1, text, y0=100):
        step = (x1 - x0) / len(text)
        chars = tuple((x0 + step * k, y0, x0 + step * (k + 1), y0 + 30) for k in range(len(text)))
        return OcrLine(((x0, y0), (x1, y0), (x1, y0 + 30), (x0, y0 + 30)), text, 0.95, chars)

    out = join_row([piece(370, 580, "深入企业一线，"), piece(226, 361, "50名干部")])
    assert [ln.text for ln in out] == ["50名干部深入企业一线，"]
    assert out[0].bbox == (226, 100, 580, 130) and len(out[0].chars) == len(out[0].text)
    # a piece on another row (a headline's second line) stays a line of its own
    assert len(join_row([piece(226, 361, "招大引强"), piece(226, 400, "交出答卷", y0=150)])) == 2


def test_a_short_last_line_is_read_again_though_its_box_dwarfs_its_ink():
    """"镇。": a paragraph's last line of one glyph and a full stop, narrower than one and a half
    line heights; the recogniser's outline around it (the whole crop here) is three times its
    ink's area, yet it is the band's line."""
    img = _page()
    img[120:150] = 255
    img[120:150, 20:50] = 0                       # one glyph ...
    img[124:133, 24:46] = 255
    img[142:148, 54:60] = 0                       # ... and a full stop
    lines = [_line(18, 38, 528, 72, "上行"), _line(18, 78, 528, 112, "中行")]

    class Wide(InkEngine):
        def recognize(self, image):
            return [_line(0, 0, image.shape[1], image.shape[0], "镇。")]

    assert [l.text for l in recover_missed(img, lines, Wide())] == ["镇。"]


def test_pieces_of_one_row_read_from_two_bands_after_a_comma_are_one_line():
    """The blank half-cell after "，" parts one row's ink into two bands ("加快关键核心技术突破，"
    | "推动", 13 px apart); two bands a gutter apart hold no pause mark at the cut."""
    from broadsheet.ocr.recover import join_row

    def piece(x0, x1, text, y0=100):
        step = (x1 - x0) / len(text)
        chars = tuple((x0 + step * k, y0, x0 + step * (k + 1), y0 + 33) for k in range(len(text)))
        return OcrLine(((x0, y0), (x1, y0), (x1, y0 + 33), (x0, y0 + 33)), text, 0.95, chars)

    a, b = piece(1698, 2002, "加快关键核心技术突破，"), piece(2015, 2082, "推动")
    assert [ln.text for ln in join_row([b, a], after_pause=True)] == ["加快关键核心技术突破，推动"]
    assert len(join_row([piece(1698, 2002, "加快关键核心技术突破"), b], after_pause=True)) == 2
    assert len(join_row([a, piece(2015, 2082, "推动", y0=120)], after_pause=True)) == 2


def test_an_ellipsis_beside_a_short_last_line_is_read_with_it():
    """"取”……": the dots stand apart from the glyphs' ink, a band of their own too low to be a
    line; read without them the story's last line no longer ends its sentence."""
    img = _page()
    img[120:150] = 255
    img[120:150, 20:50] = 0                       # one glyph ...
    img[124:133, 24:46] = 255
    img[137:146, 24:46] = 255
    img[134:137, 80:83] = 0                       # ... and, 30 px on, the dots
    img[134:137, 90:93] = 0
    lines = [_line(18, 38, 528, 72, "上行"), _line(18, 78, 528, 112, "中行")]
    eng = InkEngine()
    found = recover_missed(img, lines, eng)
    assert len(found) == 1 and found[0].bbox[2] == 93
