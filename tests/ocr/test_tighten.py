"""Line boxes cut down to their ink."""
import numpy as np

from broadsheet.ocr import OcrLine, tighten_boxes
from broadsheet.ocr.tighten import ink_rows


def _page(bands, shape=(200, 400), show_through=None, x_height=None):
    img = np.full(shape, 235, np.uint8)
    for y0, y1 in bands:
        img[y0:y1, 20:380:3] = 30  # text: dark vertical strokes
        if x_height is not None and y1 - y0 > x_height:
            # Latin type: only a few letters reach up to the ascender line
            img[y0:y1 - x_height, 20:380:3] = 235
            img[y0:y1 - x_height, 20:380:15] = 30
    if show_through is not None:
        y0, y1 = show_through
        img[y0:y1, 20:380:2] = 200  # faint mirror-image ink from the other side
    return img


def _line(y0, y1, text="正文正文正文", chars=True):
    poly = ((20.0, float(y0)), (380.0, float(y0)), (380.0, float(y1)), (20.0, float(y1)))
    ch = tuple((20.0 + 60 * k, float(y0), 80.0 + 60 * k, float(y1)) for k in range(len(text))) if chars else None
    return OcrLine(poly, text, 0.99, ch)


def test_inflated_box_is_cut_to_its_ink_and_show_through_is_ignored():
    img = _page([(20, 48), (60, 88), (100, 128)], show_through=(90, 99))
    lines = [_line(17, 51), _line(57, 91), _line(86, 134)]  # the last one swallowed show-through
    out = tighten_boxes(lines, img)
    h = [ln.bbox[3] - ln.bbox[1] for ln in out]
    assert max(h) - min(h) < 3
    y0, y1 = out[2].bbox[1], out[2].bbox[3]
    assert 97 <= y0 <= 100 and 128 <= y1 <= 131
    assert all(c[1] >= y0 and c[3] <= y1 for c in out[2].chars)
    assert out[2].text == lines[2].text


def test_a_short_ink_band_keeps_most_of_the_typical_height():
    # x-height-only Latin line ("neuve") among lines with ascenders: not cut to half height
    img = _page([(20, 48), (60, 88), (108, 122), (140, 168)], x_height=14)
    lines = [_line(16, 52, "Lyon"), _line(56, 92, "Bern"), _line(98, 132, "neuve"), _line(136, 172, "Jura")]
    out = tighten_boxes(lines, img)
    h = [ln.bbox[3] - ln.bbox[1] for ln in out]
    assert h[2] >= 0.75 * np.median(h)


def test_boxes_only_shrink_and_blank_lines_stay():
    img = _page([(20, 48)])
    lines = [_line(22, 46), _line(150, 180)]  # already tight; no ink at all
    out = tighten_boxes(lines, img)
    assert out[1] == lines[1]
    assert out[0].bbox[1] >= 22 and out[0].bbox[3] <= 46


def test_ink_rows_drops_a_neighbours_descenders_at_the_edge():
    profile = np.array([3, 2, 0, 0, 40, 60, 55, 50, 45, 0, 0], float)
    assert ink_rows(profile) == (4, 9)
    assert ink_rows(np.zeros(8)) is None


def test_a_box_that_swallowed_the_line_above_gives_those_rows_back():
    # line 2's outline starts inside line 1's ink (rows 40-48): the shared rows are split at
    # the white between the lines, so line 2 keeps its own band and body height
    img = _page([(20, 48), (52, 80), (92, 120)])
    lines = [_line(16, 50), _line(40, 90), _line(88, 124)]
    out = tighten_boxes(lines, img)
    y0, y1 = out[1].bbox[1], out[1].bbox[3]
    assert 48 <= y0 <= 52 and 80 <= y1 <= 84
    assert out[0].bbox[3] >= 48  # line 1 keeps its ink


def _two_headlines_page() -> np.ndarray:
    """Two headlines' ink side by side: x 30..300 and 340..640, rows 40..120."""
    img = np.full((200, 700), 235, np.uint8)
    img[40:120, 30:300:4] = 30
    img[40:120, 340:640:4] = 30
    return img


def _head(x0, x1, gx0, gx1, text):
    """A headline with outline x0..x1 and even glyph boxes over gx0..gx1."""
    poly = ((x0, 20.0), (x1, 20.0), (x1, 140.0), (x0, 140.0))
    step = (gx1 - gx0) / len(text)
    chars = tuple((gx0 + k * step, 20.0, gx0 + (k + 1) * step, 140.0) for k in range(len(text)))
    return OcrLine(poly, text, 0.99, chars)


def test_headline_boxes_grown_into_each_other_are_cut_to_their_glyphs():
    """Two CJK headlines side by side 40 px apart: the detector's outlines overlap by 17 px,
    the glyph boxes do not; a Latin line keeps its box (its glyph boxes are too coarse)."""
    img = _two_headlines_page()
    left, right = tighten_boxes([_head(5, 330, 30, 300, "招大引强"), _head(313, 665, 340, 640, "定制服务")], img)
    assert left.bbox[2] < right.bbox[0]
    assert 300 <= left.bbox[2] <= 310 and 330 <= right.bbox[0] <= 340
    (latin,) = tighten_boxes([_head(5, 330, 30, 300, "Kopf")], img)
    assert (latin.bbox[0], latin.bbox[2]) == (5, 330)


def test_a_rule_inside_the_box_is_not_the_lines_ink():
    img = _page([(60, 88)])
    img[44:50, 20:380] = 30                        # a section's rule the outline swallowed
    (out,) = tighten_boxes([_line(40, 92)], img)
    assert out.bbox[1] >= 55 and out.bbox[3] <= 93


def test_latin_headlines_grown_into_each_other_are_cut_apart_at_their_facing_sides():
    """Two Latin headlines side by side ("…count the cost" | "Cardiff opens…"): the detector's
    outlines overlap across the gutter, so layout read them as one title and its subtitle.
    Their facing sides are cut to the glyphs; the outer sides keep the outline."""
    img = _two_headlines_page()
    left, right = tighten_boxes([_head(5, 330, 30, 300, "the cost"), _head(313, 665, 340, 640, "Cardiff")], img)
    assert left.bbox[2] < right.bbox[0]
    assert 300 <= left.bbox[2] <= 310 and 330 <= right.bbox[0] <= 340
    assert left.bbox[0] == 5 and right.bbox[2] == 665


def test_a_byline_under_its_headline_keeps_no_margin_above_its_ink():
    """"Par Nicolas Overney, Charmey" (29 px of ink) 35 px under the headline's last line
    "foule" (40 px): with the usual 8 % margin its box rose to 30 px under the headline and
    stood a size larger, and layout chained it into the headline. A Latin line under larger
    type is cut to its ink at the top; its bottom, the headline and lines of one size keep
    their margins."""
    img = np.full((300, 500), 235, np.uint8)
    for y0, y1, xh, x1 in ((20, 60, 26, 300), (95, 124, 15, 460), (145, 174, 15, 460)):
        img[y1 - xh:y1, 20:x1:3] = 30  # headline, byline, a body line of the byline's size:
        img[y0:y1 - xh, 20:x1:15] = 30  # dense x-height, a few ascenders
    head = _line_at(20, 300, 17, 63, "foule")
    byline = _line_at(20, 460, 92, 127, "Par Nicolas Overney, Charmey")
    body = _line_at(20, 460, 142, 177, "Plus de quinze mille visiteurs")
    h, b, t = tighten_boxes([head, byline, body], img)
    assert b.bbox[1] == 95                      # no margin above the byline's ink
    assert b.bbox[3] > 124 and t.bbox[1] < 145  # its bottom and the body line keep theirs
    assert h.bbox[3] > 60                       # the headline keeps its margin
    # CJK lines are left as they were
    cjk = tighten_boxes([_line_at(20, 300, 17, 63, "招大引强"), _line_at(20, 460, 92, 127, "本报记者张建军")], img)
    assert cjk[1].bbox[1] < 95


def _line_at(x0, x1, y0, y1, text):
    poly = ((float(x0), float(y0)), (float(x1), float(y0)), (float(x1), float(y1)), (float(x0), float(y1)))
    step = (x1 - x0) / len(text)
    return OcrLine(poly, text, 0.99, tuple((x0 + k * step, float(y0), x0 + (k + 1) * step, float(y1)) for k in range(len(text))))



def test_a_rule_that_starts_inside_the_box_is_not_the_lines_ink():
    """A kicker's box reaching up over a rule that begins 40 px right of the box's left edge:
    the row is inked over 89 % of the box, under the 90 % a rule across the box needs, but in
    one unbroken run at the box's top. It is not the line's ink."""
    img = _page([(60, 88)], x_height=14)
    img[41:44, 60:380] = 30     # a horizontal rule over the kicker, from x 60 on
    (out,) = tighten_boxes([_line_at(20, 380, 40, 100, "Région")], img)
    assert out.bbox[1] >= 55


def test_a_column_rule_at_the_box_side_is_not_the_lines_ink():
    """A Latin kicker's box reaching over the column rule of the story below, which runs from
    beside the kicker's glyphs down past its box: 2 px inked on each row, enough for the ink band
    to run on to the box's foot in light type. A glyph's stem is never that long."""
    img = np.full((200, 400), 235, np.uint8)
    img[60:88, 30:380:15] = 30  # light type: a stroke every 15 px
    img[50:140, 20:22] = 30     # the column rule
    (out,) = tighten_boxes([_line_at(20, 380, 40, 100, "Région")], img)
    assert out.bbox[3] <= 93


def _han_short_line(x0, gx0, gx1, y0, y1, text="态。"):
    """A Han line whose outline starts at x0, its glyph boxes spanning gx0..gx1."""
    poly = ((float(x0), float(y0)), (float(gx1), float(y0)), (float(gx1), float(y1)), (float(x0), float(y1)))
    step = (gx1 - gx0) / len(text)
    chars = tuple((gx0 + k * step, float(y0), gx0 + (k + 1) * step, float(y1)) for k in range(len(text)))
    return OcrLine(poly, text, 0.99, chars)


def test_a_column_rule_between_a_han_boxs_edge_and_its_first_glyph_is_not_its_ink():
    """A column's short last line "态。" boxed from 11 px left of the gutter's rule, its first
    glyph 10 px right of the rule: the rule runs the whole box down, and the ink band with it
    (43 px box, 26 px glyphs) — the line read as larger type, a block of its own."""
    img = np.full((200, 400), 235, np.uint8)
    img[60:86, 70:110:3] = 30   # the glyphs, 26 px
    img[0:200, 60:62] = 30      # the column rule, down the whole page
    (out,) = tighten_boxes([_han_short_line(50, 70, 110, 50, 93)], img)
    assert out.bbox[3] - out.bbox[1] <= 32
    # without the rule the same box is cut the same way
    img[:, 60:62] = 235
    (bare,) = tighten_boxes([_han_short_line(50, 70, 110, 50, 93)], img)
    assert out.bbox == bare.bbox


def test_a_han_glyph_stroke_at_the_box_edge_keeps_the_band():
    """Leaving a rule at a Han box's side out of the profile never cuts the line's own ink: a
    first glyph's long stem at the box's edge ("1", "|") still has its ink band."""
    img = np.full((200, 400), 235, np.uint8)
    img[60:86, 52:54] = 30      # a stem right at the box's edge, as long as the type
    img[60:86, 70:110:3] = 30
    (out,) = tighten_boxes([_han_short_line(50, 52, 110, 50, 93, "1态。")], img)
    assert out.bbox[1] <= 60 and out.bbox[3] >= 86


def test_a_neighbours_glyph_tops_cut_off_at_a_han_boxs_foot_are_not_its_ink():
    """A paragraph's short last line "长。”" whose outline runs 14 px into the next line, where
    an indented first line's glyphs stand under its last mark: the tops of those glyphs, cut off
    by the box's foot, are heavy enough to pass for ink of its own (27 % of its band's) and
    made it 42 px tall among 28 px lines — a block of its own, and the stitcher swapped two
    stories' parts on the page."""
    img = np.full((200, 400), 235, np.uint8)
    img[60:84, 70:130:3] = 30   # the line's glyphs, 24 px
    img[96:120, 90:200:3] = 30  # the next line's glyphs, under its end
    (out,) = tighten_boxes([_han_short_line(50, 70, 130, 45, 103, "长。”")], img)
    assert out.bbox[3] <= 88 and out.bbox[1] >= 55
    # the same line's box not reaching the next line is cut the same way
    (alone,) = tighten_boxes([_han_short_line(50, 70, 130, 45, 92, "长。”")], img)
    assert out.bbox == alone.bbox


def test_a_latin_line_keeps_a_separate_run_at_its_boxs_edge():
    """Only Han lines drop a run cut off at the box's edge: a Latin line's accents or a
    descender may stand apart from its x-height band, and its glyph boxes are too coarse to
    tell where its own ink stops."""
    img = np.full((200, 400), 235, np.uint8)
    img[60:84, 70:130:3] = 30
    img[96:120, 90:200:3] = 30
    (out,) = tighten_boxes([_han_short_line(50, 70, 130, 45, 103, "lang")], img)
    assert out.bbox[3] >= 100


def test_ink_rows_cut_at_edges_keeps_the_heaviest_run():
    profile = np.array([5, 5, 0, 0, 9, 9, 9, 0, 0, 6, 6], float)
    assert ink_rows(profile) == (0, 11)
    assert ink_rows(profile, cut_at_edges=True) == (4, 7)
    assert ink_rows(np.array([9, 9, 0, 2, 2], float), cut_at_edges=True) == (0, 2)


def _dashed_rule_beside_spread_line(rule: bool) -> np.ndarray:
    img = np.full((200, 400), 235, np.uint8)
    img[60:86, 60:110:3] = 30       # the glyphs, 26 px
    if rule:
        for y in range(26, 200, 30):
            img[y:y + 20, 52:54] = 30  # a dashed column rule: 20 px on, 10 off, beside "9"
    return img


def test_a_dashed_column_rule_beside_a_han_lines_first_glyph_is_not_its_ink():
    """"9 个 项 目 与 赣" over a rule, boxed 53 px high from 2 px left of the gutter's dashed
    rule: a dash ran from the glyphs' band to the box's foot, too short a run for a column
    rule, and the line kept its 53 px box — a title, a story of its own."""
    box = dict(x0=50, gx0=58, gx1=110, y0=50, y1=103, text="9个项")
    (out,) = tighten_boxes([_han_short_line(**box)], _dashed_rule_beside_spread_line(True))
    assert out.bbox[3] - out.bbox[1] <= 33 and out.bbox[3] <= 90
    # the same box without the rule is cut the same way
    (bare,) = tighten_boxes([_han_short_line(**box)], _dashed_rule_beside_spread_line(False))
    assert out.bbox == bare.bbox


def test_a_latin_line_keeps_its_side_columns():
    """Only Han lines leave their side strips out: a Latin box's glyph boxes are too coarse to
    say where its letters start, so the same dashed rule there still carries the band down."""
    box = dict(x0=50, gx0=58, gx1=110, y0=50, y1=103, text="Tag")
    (out,) = tighten_boxes([_han_short_line(**box)], _dashed_rule_beside_spread_line(True))
    assert out.bbox[3] >= 100


def test_inner_columns_keep_a_window_inked_only_at_its_sides():
    from broadsheet.ocr.tighten import _inner_columns
    win = np.zeros((40, 60), bool)
    win[5:30, 1:3] = True
    assert _inner_columns(win).shape == (40, 60)   # nothing inside: the sides are the line
    win[10:20, 30] = True
    assert _inner_columns(win).shape == (40, 48)   # 6 columns (0.15 of 40 rows) off each side
