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


class GlyphEngine(InkEngine):
    """Reads the ink of a crop as one line, leaving out ink columns that run its full height
    (a column rule) — and, with ``min_side``, reads nothing from a crop smaller than that (the
    recogniser's detector, which finds a lone short line only with some page around it)."""

    def __init__(self, text="入。”", min_side=0):
        super().__init__()
        self.text, self.min_side = text, min_side

    def recognize(self, image):
        self.calls.append(image.shape)
        if min(image.shape[:2]) < self.min_side:
            return []
        ink = image < 128
        ink[:, ink.all(axis=0)] = False
        if not ink.any():
            return []
        ys, xs = np.flatnonzero(ink.any(axis=1)), np.flatnonzero(ink.any(axis=0))
        return [_line(xs.min(), ys.min(), xs.max() + 1, ys.max() + 1, self.text)]


def _last_line_page(*, rule: bool, mark: bool, glyph_w: int = 20):
    """Two read rows, then a paragraph's last line: one narrow glyph ("入") at x 22, with a
    closing quote speck after it; a column rule down the page 12 px left of it."""
    img = _page()
    img[120:150] = 255
    img[128:156, 22 : 22 + glyph_w] = 0           # a glyph narrower than a line is tall ...
    img[132:141, 26 : 18 + glyph_w] = 255
    img[144:152, 26 : 18 + glyph_w] = 255
    if mark:
        img[128:133, 70:76] = 0                   # ... and its "”", 28 px on: a speck of its own
    if rule:
        img[20:390, 8:10] = 0                     # a column rule 12 px left of the glyph
    return img, [_line(18, 38, 528, 72, "上行"), _line(18, 78, 528, 112, "中行")]


def test_a_short_last_line_beside_a_column_rule_is_read_again():
    """"入。”" 0.6 em right of a column rule: the band's closing bridged the glyph into the rule,
    one component as tall as the page, and the line was dropped with the rule."""
    img, lines = _last_line_page(rule=True, mark=False, glyph_w=30)
    found = recover_missed(img, lines, GlyphEngine())
    assert [l.text for l in found] == ["入。”"] and found[0].bbox[0] == 22


def test_a_one_glyph_last_line_is_wide_enough_with_its_closing_mark():
    """One glyph of 20 px (under ``min_width`` × 34 px) and its "”": wide enough together."""
    img, lines = _last_line_page(rule=False, mark=True)
    found = recover_missed(img, lines, GlyphEngine())
    assert [l.text for l in found] == ["入。”"] and found[0].bbox[2] == 76


def test_a_narrow_sliver_and_a_rule_alone_are_not_read_again():
    img, lines = _last_line_page(rule=False, mark=False)      # the glyph without its mark
    eng = GlyphEngine()
    assert recover_missed(img, lines, eng) == [] and eng.calls == []
    img, lines = _last_line_page(rule=True, mark=False)
    img[120:160, 12:100] = 255                    # the rule alone, no glyph beside it
    eng = GlyphEngine()
    assert recover_missed(img, lines, eng) == [] and eng.calls == []


def test_a_band_the_first_read_finds_nothing_in_is_read_again_with_a_wider_margin():
    img, lines = _last_line_page(rule=False, mark=True)
    eng = GlyphEngine(min_side=60)                # the tight crop is 28 + 2 × 12 px tall
    found = recover_missed(img, lines, eng)
    assert [l.text for l in found] == ["入。”"] and len(eng.calls) == 2
    assert eng.calls[1][0] > eng.calls[0][0]
    eng = GlyphEngine()                           # found at once: no second read
    recover_missed(img, lines, eng)
    assert len(eng.calls) == 1
    eng = GlyphEngine(min_side=1000)              # nothing either time: nothing added
    assert recover_missed(img, lines, eng) == [] and len(eng.calls) == 2


def test_a_last_line_of_one_ideograph_is_read_again():
    """"人。" with its full stop too faint to be ink: one glyph of 0.7 line heights (the median
    box's, detector padding and all) is a band; a sliver of 0.59 is not (above)."""
    img, lines = _last_line_page(rule=False, mark=False, glyph_w=24)
    found = recover_missed(img, lines, GlyphEngine(text="人。"))
    assert [l.text for l in found] == ["人。"] and found[0].bbox[::2] == (22, 46)


def test_an_opening_quote_read_past_the_bands_ink_is_dropped():
    """The wide crop's read of "入。”" adds a "“" where there is no ink: no line ends in an
    opening mark, and the stitcher ran the paragraph on into the next story after it. A closing
    mark there, or an opening one over the band's ink, is kept."""
    img, lines = _last_line_page(rule=False, mark=True)

    class Phantom(GlyphEngine):
        """Reads the ink as all of ``text`` but its last mark, which it puts ``gap`` px past it."""

        def __init__(self, text, gap):
            super().__init__(text=text)
            self.gap = gap

        def recognize(self, image):
            (ln,) = super().recognize(image)
            x0, y0, x1, y1 = ln.bbox
            xs = np.linspace(x0, x1, len(self.text)).tolist()
            chars = [*((a, y0, b, y1) for a, b in zip(xs, xs[1:])),
                     (x1 + self.gap, y0, x1 + self.gap + 10, y1)]
            return [OcrLine(_line(x0, y0, x1 + self.gap + 10, y1, "").polygon, self.text, 0.95,
                            tuple(chars))]

    found = recover_missed(img, lines, Phantom("入。”“", 2))
    assert [l.text for l in found] == ["入。”"] and found[0].bbox[2] == 76
    assert len(found[0].chars) == 3
    assert [l.text for l in recover_missed(img, lines, Phantom("入。”」", 2))] == ["入。”」"]
    assert [l.text for l in recover_missed(img, lines, Phantom("入。“", -10))] == ["入。“"]
