"""Line splitting at column gaps and rules; duplicated glyphs; headline quote repair."""
from __future__ import annotations

import numpy as np

from broadsheet.ocr import OcrLine
from broadsheet.ocr.split import fix_quote_marks, split_lines, trim_overlaps


def make_line(text: str, *, x0: float = 0, pitch: float = 40, width: float = 36, gaps: dict | None = None,
              y0: float = 100, h: float = 40) -> OcrLine:
    """A line whose i-th char box starts at x0 + i·pitch (+ extra gap after the indices in ``gaps``)."""
    gaps = gaps or {}
    boxes, x = [], x0
    for i, _ch in enumerate(text):
        boxes.append((x, y0, x + width, y0 + h))
        x += pitch + gaps.get(i, 0)
    poly = ((boxes[0][0], y0), (boxes[-1][2], y0), (boxes[-1][2], y0 + h), (boxes[0][0], y0 + h))
    return OcrLine(poly, text, 0.95, tuple(boxes))


def test_16px_gutter_splits_line():
    line = make_line("今年广东肇庆北京经开区", gaps={5: 16})  # gap 4 px normally, 20 px at the gutter
    out = split_lines([line])
    assert [l.text for l in out] == ["今年广东肇庆", "北京经开区"]
    assert out[0].bbox[2] < out[1].bbox[0]
    assert len(out[1].chars) == 5 and out[1].chars[0] == line.chars[6]


def test_normal_spacing_does_not_split():
    line = make_line("今年广东肇庆高新区改变往年")
    assert split_lines([line]) == [line]


def test_slightly_uneven_spacing_does_not_split():
    line = make_line("今年广东肇庆高新区改变往年", gaps={3: 5, 7: 6})
    assert split_lines([line]) == [line]


def test_latin_word_spaces_do_not_split_but_gutter_does():
    text = "the quick fox jumps over"
    gaps = {}
    line = make_line(text, pitch=18, width=16, h=30)
    assert [l.text for l in split_lines([line])] == [text]
    # a wide gutter after "fox" (index 12 is the space after it)
    line = make_line("the quick fox jumps over", pitch=18, width=16, h=30, gaps={12: 30})
    assert [l.text for l in split_lines([line])] == ["the quick fox", "jumps over"]
    del gaps


def test_vertical_rule_splits_even_without_a_wide_gap():
    line = make_line("今年广东肇庆北京经开区")
    rule = np.array([[238, 0, 240, 1000]])  # between char 5 (x 200..236) and char 6 (x 240..)
    out = split_lines([line], rules=rule)
    assert [l.text for l in out] == ["今年广东肇庆", "北京经开区"]


def test_rule_outside_line_height_is_ignored():
    line = make_line("今年广东肇庆北京经开区")
    rule = np.array([[238, 500, 240, 900]])
    assert split_lines([line], rules=rule) == [line]


def test_comma_gap_is_not_a_gutter_when_text_continues_above_and_below():
    """With the image, a wide gap whose band is inked in neighbouring lines is not cut."""
    img = np.full((400, 600), 255, np.uint8)
    for y0 in (60, 110, 160):  # three lines of solid 'glyphs' 36 px wide, 4 px apart
        for i in range(12):
            img[y0 + 5 : y0 + 35, 10 + i * 40 : 10 + i * 40 + 34] = 0
    line = make_line("今年广东肇庆北京经开区", x0=10, y0=110, gaps={5: 16})
    img[115:145, 10 + 6 * 40 : 600] = 255  # blank what follows in the middle line...
    for i, b in enumerate(line.chars):  # ...and redraw it at its shifted positions
        x = int(b[0])
        img[115:145, x : x + 34] = 0
    assert [l.text for l in split_lines([line], image=img)] == [line.text]
    # a real gutter: clear from top to bottom
    img2 = img.copy()
    g0 = int(line.chars[5][2]) + 1
    img2[:, g0 : g0 + 18] = 255
    assert [l.text for l in split_lines([line], image=img2)] == ["今年广东肇庆", "北京经开区"]


def test_lines_without_char_boxes_pass_through():
    line = OcrLine(((0, 0), (100, 0), (100, 30), (0, 30)), "abc", 0.9, None)
    assert split_lines([line]) == [line]


def test_split_keeps_order_of_other_lines():
    a, b = make_line("第一行文字"), make_line("今年广东肇庆北京经开区", gaps={5: 20}, y0=200)
    out = split_lines([a, b, a])
    assert [l.text for l in out] == ["第一行文字", "今年广东肇庆", "北京经开区", "第一行文字"]


def test_overlapping_headline_boxes_lose_the_duplicated_glyph():
    left = make_line("招大引强交出", pitch=150, width=140, h=160, y0=90)
    right = make_line("出硬核答卷", x0=5 * 150, pitch=150, width=140, h=160, y0=95)
    out = trim_overlaps([left, right])
    assert [l.text for l in out] == ["招大引强交出", "硬核答卷"]
    assert out[1].bbox[0] >= left.bbox[2] - 1


def test_quotes_read_as_66_99_in_headline_become_curly_quotes():
    body = [make_line("正文第一行", y0=y) for y in (400, 450, 500)]
    head = make_line("交出66硬核99答卷", pitch=150, width=140, h=160, y0=50)
    out = fix_quote_marks([head, *body])
    assert out[0].text == "交出“硬核”答卷"
    assert len(out[0].chars) == len(out[0].text)
    assert out[1:] == body


def test_numbers_in_headlines_and_body_are_kept():
    body = [make_line("增长了99%以上", y0=y) for y in (400, 450, 500)]
    head = make_line("2099年开放66个项目", pitch=150, width=140, h=160, y0=50)
    out = fix_quote_marks([head, *body])
    assert out[0].text == "2099年开放66个项目"
    assert out[1].text == "增长了99%以上"


def test_quote_fix_checks_ink_position_when_image_given():
    body = [make_line("正文第一行", y0=y) for y in (400, 450, 500)]
    head = make_line("交出66硬核", pitch=150, width=140, h=160, y0=50)
    img = np.full((600, 1200), 255, np.uint8)
    img[70:110, 300:580] = 0  # ink only high up in the "66" boxes → quote
    assert fix_quote_marks([head, *body], image=img)[0].text == "交出“硬核"
    img[60:200, 300:580] = 0  # ink fills the line height → real digits
    assert fix_quote_marks([head, *body], image=img)[0].text == "交出66硬核"


def test_stray_66_before_a_headline_becomes_its_opening_quote():
    from broadsheet.ocr.split import fix_quote_marks
    from broadsheet.ocr.types import OcrLine

    def box(x0, y0, x1, y1):
        return ((x0, y0), (x1, y0), (x1, y1), (x0, y1))

    body = [OcrLine(box(0, 300 + 40 * k, 600, 330 + 40 * k), "正文文字正文文字", 0.99) for k in range(5)]
    title = OcrLine(box(180, 100, 700, 200), "一企一策”", 0.98)
    stray = OcrLine(box(120, 110, 175, 160), "66", 0.6)
    out = fix_quote_marks(body + [title, stray])
    texts = [l.text for l in out]
    assert "66" not in texts and "“一企一策”" in texts
    fixed = next(l for l in out if l.text == "“一企一策”")
    assert fixed.bbox[0] == 120


def test_a_real_number_beside_body_text_is_left_alone():
    from broadsheet.ocr.split import fix_quote_marks
    from broadsheet.ocr.types import OcrLine

    def box(x0, y0, x1, y1):
        return ((x0, y0), (x1, y0), (x1, y1), (x0, y1))

    body = [OcrLine(box(60, 40 * k, 600, 30 + 40 * k), "正文文字正文文字", 0.99) for k in range(5)]
    page_no = OcrLine(box(0, 0, 30, 30), "9", 0.9)
    out = fix_quote_marks(body + [page_no])
    assert "9" in [l.text for l in out]


# ------------------------------------------------------------- Latin gutters followed down the page

def _phrase(draw, font, words: list[str], y: int, *, left: float | None = None, right: float | None = None,
            gaps: list[float] | None = None) -> list[tuple]:
    """Draw ``words`` on one row, ink starting at ``left`` or ending at ``right``, with normal
    word spaces or the given ``gaps`` (ink to ink); returns each word's ink box."""
    widths = [font.getbbox(w)[2] - font.getbbox(w)[0] for w in words]
    gaps = gaps or [font.getlength(" ") + 2] * (len(words) - 1)
    total = sum(widths) + sum(gaps)
    x = left if left is not None else right - total
    boxes = []
    for k, (w, wd) in enumerate(zip(words, widths)):
        draw.text((x - font.getbbox(w)[0], y), w, font=font, fill=0)
        boxes.append((float(x), float(y + 5), float(x + wd), float(y + 29)))
        x += wd + (gaps[k] if k < len(gaps) else 0)
    return boxes


def _words_line(words: list[str], boxes: list[tuple]) -> OcrLine:
    """An OcrLine over the given words (one box per letter, spaces span the gaps), as the
    recogniser reports a line the detector ran across a gutter."""
    text, chars = "", []
    for k, (w, b) in enumerate(zip(words, boxes)):
        if k:
            text += " "
            chars.append((chars[-1][2], b[1], b[0], b[3]))
        step = (b[2] - b[0]) / len(w)
        chars.extend((b[0] + i * step, b[1], b[0] + (i + 1) * step, b[3]) for i in range(len(w)))
        text += w
    y0, y1 = chars[0][1] - 4, chars[0][3] + 4
    x0, x1 = chars[0][0], chars[-1][2]
    return OcrLine(((x0, y0), (x1, y0), (x1, y1), (x0, y1)), text, 0.9, tuple(chars))


def _row_line(boxes: list[tuple]) -> OcrLine:
    """A neighbouring line: only its box matters here."""
    x0, y0, x1, y1 = boxes[0][0], boxes[0][1] - 4, boxes[-1][2], boxes[0][3] + 4
    return OcrLine(((x0, y0), (x1, y0), (x1, y1), (x0, y1)), "x", 0.9, None)


def _canvas():
    from PIL import Image, ImageDraw, ImageFont

    from .conftest import LATIN_FONT

    img = Image.new("L", (1000, 700), 255)
    return img, ImageDraw.Draw(img), ImageFont.truetype(LATIN_FONT, 26)


LEFT_TEXT = ["a new bridge over the", "end.", "city council said on", "work will begin in the",
             "spring and last three", "traffic will use a", "temporary crossing"]
RIGHT_TEXT = ["river opens in May", "and the mayor spoke", "of a project for the", "whole town, which",
              "has waited for years", "while cyclists get", "two new lanes too"]


def _column_pair(draw, font, left_end, right_start):
    """LEFT_TEXT set flush right to ``left_end`` (its second row a paragraph's last word, "end.")
    beside RIGHT_TEXT from ``right_start``: per row (left words, their boxes, right words, theirs)."""
    rows = []
    for k, (lt, rt) in enumerate(zip(LEFT_TEXT, RIGHT_TEXT)):
        y = 60 + 40 * k
        lb = _phrase(draw, font, lt.split(), y, right=left_end) if k != 1 else _phrase(draw, font, ["end."], y, left=60)
        rows.append((lt.split(), lb, rt.split(), _phrase(draw, font, rt.split(), y, left=right_start)))
    return rows


def test_gutter_under_a_rule_is_followed_down_the_columns():
    """A column's first line, straight under a rule that crosses the gutter, with a paragraph
    end just below it on the left: the fixed 2.5·h window finds too few lines beside the gap,
    but the clear band runs on down, between column edges that line up on both sides."""
    img, draw, font = _canvas()
    draw.rectangle([40, 44, 960, 50], fill=0)  # a rule across both columns, above the first line
    left_end, right_start = 480, 512  # a 32 px gutter
    rows = _column_pair(draw, font, left_end, right_start)
    page = np.asarray(img)
    first = _words_line(rows[0][0] + rows[0][2], rows[0][1] + rows[0][3])
    others = [ln for lw, lb, rw, rb in rows[1:] for ln in (_row_line(lb), _row_line(rb))]
    out = split_lines([first, *others], image=page)
    assert [l.text for l in out if l.chars] == [LEFT_TEXT[0], RIGHT_TEXT[0]]
    assert out[0].bbox[2] <= left_end + 1 and out[1].bbox[0] >= right_start - 1
    # the same line without the columns beside it is not cut (nothing shows a gutter)
    img, draw, font = _canvas()
    lb = _phrase(draw, font, rows[0][0], 60, right=left_end)
    rb = _phrase(draw, font, rows[0][2], 60, left=right_start)
    alone = _words_line(rows[0][0] + rows[0][2], lb + rb)
    assert [l.text for l in split_lines([alone], image=np.asarray(img))] == [alone.text]


_RIVER_TEXTS = ["the council said that", "work on the bridge will", "begin in spring while",
                "traffic uses a crossing", "built to the north of it"]


def _river_page(spans):
    """Five lines of one column; the second word gap of line k ends at ``spans[k][0]`` and the
    next word starts at ``spans[k][1]``. Returns the page and (words, word boxes) per line."""
    img, draw, font = _canvas()
    rows = []
    for k, t in enumerate(_RIVER_TEXTS):
        words = t.split()
        y = 60 + 40 * k
        if k < len(spans):
            a, b = spans[k]
            rows.append((words, _phrase(draw, font, words[:2], y, right=a) + _phrase(draw, font, words[2:], y, left=b)))
        else:
            rows.append((words, _phrase(draw, font, words, y, left=60)))
    return np.asarray(img), rows


def test_a_river_of_word_spaces_is_not_a_gutter():
    """Lines of one column whose word spaces overlap in a clear band as wide as a narrow gutter:
    the words beside it end and start at different x, so the line stays whole."""
    # the second word gap of lines 0-2 lies over x 300..316, each a little wider on one side
    page, rows = _river_page([(294, 318), (300, 322), (290, 316)])
    line = _words_line(*rows[1])  # the band is clear one line above and one below
    others = [_row_line(b) for i, (_w, b) in enumerate(rows) if i != 1]
    assert [l.text for l in split_lines([line, *others], image=page) if l.chars] == [line.text]
    # the same three lines with their words aligned at the band's edges do look like columns
    img, draw, font = _canvas()
    rows = []
    for k, t in enumerate(_RIVER_TEXTS):
        words = t.split()
        y = 60 + 40 * k
        rows.append((words, _phrase(draw, font, words[:2], y, right=300) + _phrase(draw, font, words[2:], y, left=316)))
    line = _words_line(*rows[1])
    others = [_row_line(b) for i, (_w, b) in enumerate(rows) if i != 1]
    assert len([l for l in split_lines([line, *others], image=np.asarray(img)) if l.chars]) == 2


def test_narrow_cjk_gutter_splits_where_char_boxes_spread_into_it():
    """Seed-plain layouts set CJK columns 0.45 line heights apart (20 px at 46 px type); the
    recogniser's character boxes reach into the gutter, so their gap (12 px) is hardly wider than
    full-width punctuation's, yet the paper between the columns is clear on every line."""
    h, pitch, glyph = 46, 43, 40
    img = np.full((400, 700), 255, np.uint8)
    left = [10 + i * pitch for i in range(6)]              # column A ends at 10 + 5·43 + 40 = 265
    right = [285 + i * pitch for i in range(6)]            # a 20 px clear gutter, column B
    for y0 in (40, 100, 160):
        for x in left + right:
            img[y0 + 4 : y0 + h - 4, x : x + glyph] = 0
    boxes = [(x, 100, x + glyph, 100 + h) for x in left + right]
    boxes[5] = (boxes[5][0], 100, boxes[5][2] + 4, 100 + h)   # spread 4 px into the gutter
    boxes[6] = (boxes[6][0] - 4, 100, boxes[6][2], 100 + h)
    text = "企业集中签约以此为标杆推进"
    poly = ((boxes[0][0], 100), (boxes[-1][2], 100), (boxes[-1][2], 100 + h), (boxes[0][0], 100 + h))
    line = OcrLine(poly, text[:12], 0.95, tuple(boxes))
    assert boxes[6][0] - boxes[5][2] == 12
    assert [l.text for l in split_lines([line], image=img)] == ["企业集中签约", "以此为标杆推"]
    # the same 12 px gap with ink running through it above and below is a comma's gap, not a gutter
    for y0 in (40, 160):
        img[y0 + 4 : y0 + h - 4, 270:280] = 0
    assert [l.text for l in split_lines([line], image=img)] == [line.text]


def _two_columns_with_rule(dashed: bool):
    """Three CJK lines in two columns 20 px apart with a 2 px (dashed) rule down the gutter."""
    h, pitch, glyph = 46, 43, 40
    img = np.full((400, 700), 255, np.uint8)
    left = [10 + i * pitch for i in range(6)]              # column A ends at 265
    right = [285 + i * pitch for i in range(6)]
    for y0 in (40, 100, 160):
        for x in left + right:
            img[y0 + 4 : y0 + h - 4, x : x + glyph] = 0
    img[20:230, 274:276] = 0                               # the rule, x 274..275
    if dashed:
        for y in range(20, 230, 25):
            img[y + 15 : y + 25, 274:276] = 255
    return img, left, right, h


def test_letter_read_into_a_hairline_gutter_is_dropped_and_the_line_cut():
    """The recogniser reads a gutter's hairline rule as "i" and leaves no gap between the boxes
    ("等9i订单"), or as a roman one or a double bar ("孵化加ⅰ式", "形成全生‖期"): the glyph
    holds only the rule's ink, so it goes, and the gutter is cut."""
    for dashed, mark in ((False, "i"), (True, "i"), (False, "ⅰ"), (True, "‖"), (False, "∥")):
        img, left, right, h = _two_columns_with_rule(dashed)
        boxes = [(x, 100, x + 40, 100 + h) for x in left] + [(265, 100, 285, 100 + h)]
        boxes += [(x, 100, x + 40, 100 + h) for x in right]
        text = f"企业集中签约{mark}以此为标杆推"
        poly = ((10, 100), (boxes[-1][2], 100), (boxes[-1][2], 100 + h), (10, 100 + h))
        line = OcrLine(poly, text, 0.95, tuple(boxes))
        assert [l.text for l in split_lines([line], image=img)] == ["企业集中签约", "以此为标杆推"], dashed


def test_a_mark_read_on_a_dashed_rule_after_a_one_glyph_piece_is_dropped():
    """A spread last line's piece of one glyph with a dashed gutter rule read after it ("会！",
    then joined "们不会！" — the stitcher took the "！" for a sentence's end) is CJK by its
    glyph: the bar or mark read on a rule does not count against it. A real "！" (a stroke and
    a dot, no rule through the rows around) stays; a mixed line's letters still count."""
    img, left, right, h = _two_columns_with_rule(True)
    boxes = [(left[5], 100, left[5] + 40, 100 + h), (265, 100, 285, 100 + h)]
    line = OcrLine(((left[5], 100), (285, 100), (285, 100 + h), (left[5], 100 + h)), "约！", 0.95, tuple(boxes))
    assert [l.text for l in split_lines([line], image=img)] == ["约"]
    mixed = OcrLine(line.polygon, "A！", 0.95, tuple(boxes))
    assert [l.text for l in split_lines([mixed], image=img)] == ["A！"]
    img[20:230, 272:278] = 255
    img[104:130, 273:277] = 0                              # a real "！": its stroke ...
    img[134:140, 273:277] = 0                              # ... and its dot
    assert [l.text for l in split_lines([line], image=img)] == ["约！"]


def test_a_real_digit_in_cjk_text_is_kept():
    img, left, right, h = _two_columns_with_rule(False)
    img[20:230, 274:276] = 255
    img[104:142, 268:272] = 0                              # a "1" between the columns' glyphs
    boxes = [(x, 100, x + 40, 100 + h) for x in left] + [(265, 100, 275, 100 + h)]
    boxes += [(x, 100, x + 40, 100 + h) for x in right]
    text = "企业集中签约1以此为标杆推"
    poly = ((10, 100), (boxes[-1][2], 100), (boxes[-1][2], 100 + h), (10, 100 + h))
    line = OcrLine(poly, text, 0.95, tuple(boxes))
    assert "".join(l.text for l in split_lines([line], image=img)) == text


def test_cjk_gutter_is_cut_when_a_headline_crosses_it_just_below():
    """A headline running across both columns right under the line inks the gutter in the lower
    window; the column lines above still show the clear gutter, so the line is cut."""
    img, left, right, h = _two_columns_with_rule(False)
    img[20:230, 274:276] = 255
    img[160:230] = 255
    img[150:200, 10:600:30] = 0                            # a big headline's strokes, every 30 px
    img[150:200, 268:283:5] = 0
    boxes = [(x, 100, x + 40, 100 + h) for x in left + right]
    text = "企业集中签约以此为标杆推"
    poly = ((10, 100), (boxes[-1][2], 100), (boxes[-1][2], 100 + h), (10, 100 + h))
    line = OcrLine(poly, text, 0.95, tuple(boxes))
    assert [l.text for l in split_lines([line], image=img)] == ["企业集中签约", "以此为标杆推"]
    img[20:100] = 255                                      # nothing above: no line confirms it
    assert [l.text for l in split_lines([line], image=img)] == [text]


def test_a_white_patch_beside_a_short_last_line_is_no_cjk_gutter():
    """A column's last line "其中，在空间|上，提供了" under a paragraph's short last line: the
    wider letter space in it is clear of ink over the line above (which ended early) and the
    blank paper below, yet the line two above runs through it — a gutter runs on down the
    column. The real gutter to column B in the same line is cut."""
    h, pitch, glyph = 46, 43, 40
    img = np.full((400, 700), 255, np.uint8)
    full_a = [10 + i * pitch for i in range(6)]
    last_a = [10, 53, 96, 139, 190, 233]                   # an 11 px letter space after the 4th
    col_b = [295 + i * pitch for i in range(6)]            # a 22 px gutter after column A
    for y0, xs in ((40, full_a + col_b), (100, full_a[:2] + col_b), (160, last_a + col_b)):
        for x in xs:
            img[y0 + 4 : y0 + h - 4, x : x + glyph] = 0
    boxes = [(x, 160, x + glyph, 160 + h) for x in last_a + col_b]
    text = "其中在空间上以此为标杆推"
    poly = ((10, 160), (boxes[-1][2], 160), (boxes[-1][2], 160 + h), (10, 160 + h))
    line = OcrLine(poly, text, 0.95, tuple(boxes))
    assert [l.text for l in split_lines([line], image=img)] == ["其中在空间上", "以此为标杆推"]


def _cjk_glyphs(img, xs, y0, h=30, w=27):
    """Solid CJK-sized glyph blocks at ``xs`` on the row at ``y0``; their boxes."""
    for x in xs:
        img[y0 + 3 : y0 + h - 3, x : x + w] = 0
    return [(float(x), float(y0), float(x + w), float(y0 + h)) for x in xs]


def _cjk_line(boxes, text):
    x0, y0, x1, y1 = boxes[0][0], boxes[0][1], boxes[-1][2], boxes[-1][3]
    return OcrLine(((x0, y0), (x1, y0), (x1, y1), (x0, y1)), text, 0.95, tuple(boxes))


_COL_A = [10 + 29 * i for i in range(8)]                   # ends at 240
_COL_B = [260 + 29 * i for i in range(8)]                  # a 20 px gutter


def _gutter_row_boxed_across(left_x1, right_x0, text):
    """A row of two columns (`_COL_A` | `_COL_B`, a 20 px gutter) at y 145 whose glyph boxes on
    either side of the gutter the recogniser drew out to ``left_x1`` and from ``right_x0``.
    Returns the line, the page with two columns' lines above and below it, and the page
    whose lines above and below run on through the gap (no gutter there)."""
    img = np.full((320, 560), 255, np.uint8)
    for y in (75, 110, 180, 215):
        _cjk_glyphs(img, _COL_A + _COL_B, y)
    boxes = _cjk_glyphs(img, _COL_A + _COL_B, 145)
    boxes[7] = (boxes[7][0], 145.0, left_x1, 175.0)
    boxes[8] = (right_x0, 145.0, boxes[8][2], 175.0)
    running = np.full((320, 560), 255, np.uint8)
    for y in (75, 110, 180, 215):
        _cjk_glyphs(running, [10 + 29 * i for i in range(17)], y)
    _cjk_glyphs(running, _COL_A + _COL_B, 145)
    return _cjk_line(boxes, text), img, running


def test_a_cjk_gutter_beside_a_paragraph_end_runs_on_above_a_kicker():
    """"…安川电机和韩" | "人核心零部件…" over a kicker crossing the gutter, under a paragraph's
    short last line ("人金哲说。"): no line near it has text on both sides of the gutter, and
    the window below is inked; two lines up both columns are full, and the band runs on to
    them. Past blank paper (the white between two strips) the band is not followed."""
    img = np.full((320, 560), 255, np.uint8)
    for y in (40, 75):
        _cjk_glyphs(img, _COL_A + _COL_B, y)
    _cjk_glyphs(img, _COL_A[:3] + _COL_B, 110)              # a short last line
    line = _cjk_line(_cjk_glyphs(img, _COL_A + _COL_B, 145), "安川电机和韩安川人核心零部件为支")
    for x in range(10, 500, 6):                            # the kicker right below
        img[188:222, x : x + 4] = 0
    assert [l.text for l in split_lines([line], image=img)] == ["安川电机和韩安川", "人核心零部件为支"]
    img[110:140] = 255                                     # no line right above
    assert [l.text for l in split_lines([line], image=img)] == [line.text]


def test_a_letter_space_under_a_subhead_is_no_gutter():
    """"“政务服务事项100%网" | "上可": a column's line under a short subhead, with a
    wider letter space; the band above is clear and the subhead's text lies beside it, but no
    line has text on both sides of it (two columns would), and the line below runs through."""
    img = np.full((320, 560), 255, np.uint8)
    xs = _COL_A + [252, 281]                              # a 12 px letter space
    _cjk_glyphs(img, _COL_A[2:], 75)                       # the subhead, ending at the space
    line = _cjk_line(_cjk_glyphs(img, xs, 145), "政务服务事项百网上可")
    _cjk_glyphs(img, [10 + 29 * i for i in range(10)], 180)
    assert [l.text for l in split_lines([line], image=img)] == [line.text]


def test_a_dashed_rule_over_a_column_top_does_not_hide_the_gutter():
    """"…赢得经济发" | "持。": a line under a dashed rule, its gutter clear below beside the left
    column's lines; the rule's dashes ink part of the gap, and are no text running through it."""
    img = np.full((320, 560), 255, np.uint8)
    for x in range(0, 540, 30):                            # 19 px dashes, 3 px thick
        img[120:123, x : x + 19] = 0
    line = _cjk_line(_cjk_glyphs(img, _COL_A + _COL_B[:2], 145), "重点项目复工开工持。")
    for y in (180, 215):
        _cjk_glyphs(img, _COL_A, y)
    assert [l.text for l in split_lines([line], image=img)] == ["重点项目复工开工", "持。"]


def test_digit_boxes_spread_over_a_gutter_are_cut_where_the_ink_shows_it():
    """"进行100" | "3月底": the recogniser spaces digits' boxes on the CJK grid, so they cover
    the gutter (4 px apart over 20 px of paper); the line's own ink shows the gap."""
    img = np.full((320, 560), 255, np.uint8)
    for y in (75, 110, 180, 215):
        _cjk_glyphs(img, _COL_A + _COL_B, y)
    boxes = _cjk_glyphs(img, _COL_A + _COL_B, 145)
    boxes[7] = (boxes[7][0], 145.0, 248.0, 175.0)          # the last "0" reaches 8 px into the gutter
    boxes[8] = (252.0, 145.0, boxes[8][2], 175.0)
    line = _cjk_line(boxes, "我们同时进行百百3月底已有全球机")
    assert [l.text for l in split_lines([line], image=img)] == ["我们同时进行百百", "3月底已有全球机"]
    # an even letter space on a type grid is no such gap
    img2 = np.full((320, 560), 255, np.uint8)
    grid = [10 + 35 * i for i in range(14)]
    for y in (75, 110, 145, 180, 215):
        _cjk_glyphs(img2, grid, y, w=22)
    tight = [(x - 6.0, 145.0, x + 28.0, 175.0) for x in grid]
    line = _cjk_line(tight, "我们同时进行百百月底已有全球")
    assert [l.text for l in split_lines([line], image=img2)] == [line.text]


def test_a_gutter_the_boxes_show_only_in_part_is_cut_where_the_ink_shows_it():
    """"…营收1000" | "区建立了…": the "0" box reaches 16 px into the 20 px gutter and the "区"
    box starts 10 px past it, so their 14 px gap holds only 6 px of the band; the line's own
    paper shows the whole gutter, and the lines above and below confirm it."""
    line, img, img2 = _gutter_row_boxed_across(256.0, 270.0, "预计将实现营收百区建立了重点企业")
    assert [l.text for l in split_lines([line], image=img)] == ["预计将实现营收百", "区建立了重点企业"]
    # the same boxes over a column whose lines run on through the gap: no gutter
    assert [l.text for l in split_lines([line], image=img2)] == [line.text]


def test_a_comma_half_cell_below_a_letter_space_is_no_gutter():
    """"新区就已按" | "下招商…": a letter space over the line below's "键，" — the comma's blank
    half-cell leaves a gutter's width of paper under it, and the glyph before the comma lies
    0.6 line heights from it. A column's line beside a gutter has its text right at it."""
    img = np.full((320, 560), 255, np.uint8)
    xs = [10 + 29 * i for i in range(5)] + [10 + 29 * i + 8 for i in range(5, 10)]
    _cjk_glyphs(img, [10 + 29 * i for i in range(12)], 110)     # the line above runs through
    line = _cjk_line(_cjk_glyphs(img, xs, 145), "新区就已按下招商引资")
    _cjk_glyphs(img, [10 + 29 * i for i in range(4)], 180)      # "…键" ends at 124 ...
    img[200:206, 140:146] = 0                                   # ... "，" ...
    _cjk_glyphs(img, [163 + 29 * i for i in range(5)], 180)     # ... "以微信…" right after the space
    _cjk_glyphs(img, [10 + 29 * i for i in range(12)], 215)     # and the next line runs through
    assert [l.text for l in split_lines([line], image=img)] == [line.text]
    # the same space over a gutter, the text beside it right at it, is cut
    img[180:215, 100:160] = 255
    _cjk_glyphs(img, [126], 180)
    assert len(split_lines([line], image=img)) == 2


def test_a_line_read_across_columns_set_on_other_baselines_keeps_its_type_size():
    """The detector ran one box over two columns whose baselines differ by most of a line: the
    box is twice the type's height, and measured by it a narrow gutter (20 px, the boxes 8 px
    apart) looked too narrow to test. The glyphs' advance gives the type size."""
    img = np.full((400, 560), 255, np.uint8)
    for y in (40, 80, 200, 240):
        _cjk_glyphs(img, _COL_A, y)
        _cjk_glyphs(img, _COL_B, y + 30)
    a = _cjk_glyphs(img, _COL_A, 120)
    b = _cjk_glyphs(img, _COL_B, 150)
    boxes = [(x0, 120.0, x1 + (6 if i == 7 else 0), 180.0) for i, (x0, _y0, x1, _y1) in enumerate(a)]
    boxes += [(x0 - (6 if i == 0 else 0), 120.0, x1, 180.0) for i, (x0, _y0, x1, _y1) in enumerate(b)]
    line = _cjk_line(boxes, "今年广东肇庆高新北京经开区发力新")
    assert boxes[8][0] - boxes[7][2] == 8
    assert [l.text for l in split_lines([line], image=img)] == ["今年广东肇庆高新", "北京经开区发力新"]


def test_a_river_over_three_lines_is_no_gutter():
    """In justified text a river of word spaces can run clear over the line and the two above
    it, which is what the fixed 2.5·h window asked of a Latin gutter (two confirming lines on one
    side): the words beside it end and start at different x, so the line stays whole."""
    page, rows = _river_page([(292, 320), (298, 322), (290, 318)])  # lines 0-2: x 298..318
    line = _words_line(*rows[2])
    others = [_row_line(b) for i, (_w, b) in enumerate(rows) if i != 2]
    assert [l.text for l in split_lines([line, *others], image=page) if l.chars] == [line.text]


def test_two_headlines_side_by_side_are_cut_at_the_short_rule_between_them():
    """Two stories' headlines set side by side, read as one line, with a column rule between
    them that starts just above the headlines and stops just below (at the byline): too short
    for the 2.5·h window, but inked all through the line and half a height around it."""
    from PIL import ImageFont

    from .conftest import LATIN_FONT

    img, draw, _font = _canvas()
    big = ImageFont.truetype(LATIN_FONT, 60)
    y = 200
    left = _phrase(draw, big, ["attire", "la", "foule"], y, right=470)
    right = _phrase(draw, big, ["La", "Médiathèque"], y, left=530)
    draw.rectangle([499, y - 50, 501, y + 126], fill=0)  # the rule: 2 px wide, 0.6·h past the line
    words = ["attire", "la", "foule", "La", "Médiathèque"]
    line = _words_line(words, left + right)
    line = OcrLine(((line.bbox[0], y - 4), (line.bbox[2], y - 4), (line.bbox[2], y + 76), (line.bbox[0], y + 76)),
                   line.text, 0.9, tuple((c[0], y - 4, c[2], y + 76) for c in line.chars))
    out = split_lines([line], image=np.asarray(img))
    assert [l.text for l in out] == ["attire la foule", "La Médiathèque"]
    # without the rule the two are one line: nothing else on the page shows a gutter there
    img, draw, _font = _canvas()
    _phrase(draw, big, ["attire", "la", "foule"], y, right=470)
    _phrase(draw, big, ["La", "Médiathèque"], y, left=530)
    assert [l.text for l in split_lines([line], image=np.asarray(img))] == [line.text]


def test_a_headline_over_two_columns_is_not_cut_over_their_gutter():
    """A headline runs across its story's columns; where one of its word spaces lies over
    their gutter, the clear band runs on down between aligned column edges. The line is twice
    the body's height, a headline, so only a rule would cut it."""
    from PIL import ImageFont

    from .conftest import LATIN_FONT

    img, draw, font = _canvas()
    big = ImageFont.truetype(LATIN_FONT, 52)
    left_end, right_start = 480, 512
    head = _phrase(draw, big, ["Library", "finds", "lost"], 40, right=left_end - 4) + \
        _phrase(draw, big, ["letters"], 40, left=right_start + 4)
    rows = []
    for k, (lt, rt) in enumerate(zip(LEFT_TEXT[2:], RIGHT_TEXT[2:])):
        y = 130 + 40 * k
        rows.append((_phrase(draw, font, lt.split(), y, right=left_end), _phrase(draw, font, rt.split(), y, left=right_start)))
    line = _words_line(["Library", "finds", "lost", "letters"], head)
    line = OcrLine(((line.bbox[0], 36), (line.bbox[2], 36), (line.bbox[2], 104), (line.bbox[0], 104)),
                   line.text, 0.9, tuple((c[0], 36, c[2], 104) for c in line.chars))
    others = [ln for lb, rb in rows for ln in (_row_line(lb), _row_line(rb))]
    out = split_lines([line, *others], image=np.asarray(img))
    assert [l.text for l in out if l.chars] == ["Library finds lost letters"]


def _comma(img, x, y0, h=30):
    """A full-width "，"/"、": a little ink low in the left half of its cell at ``x``; its box
    as the recogniser draws it (narrower than a glyph, centred on the ink)."""
    img[y0 + 19 : y0 + 26, x + 2 : x + 8] = 0
    return (float(x - 3), float(y0), float(x + 14), float(y0 + h))


def test_a_comma_cell_over_a_column_foot_line_is_no_gutter():
    """"化、|落地有成效。据不完全", a column's last line: the line above has its "，" in the
    same cell of the type grid, so the paper after "、" is clear over the short window, and that
    line (text on both sides of the blank half-cell) confirmed it. Two lines up the column runs
    through, and under the line there is only paper: a gutter would run on."""
    img = np.full((320, 560), 255, np.uint8)
    _cjk_glyphs(img, _COL_A, 75)                              # the column runs through
    _cjk_glyphs(img, [_COL_A[0]] + _COL_A[2:], 110)           # "X，Y…"
    _comma(img, _COL_A[1], 110)
    boxes = _cjk_glyphs(img, [_COL_A[0]], 145) + [_comma(img, _COL_A[1], 145)] \
        + _cjk_glyphs(img, _COL_A[2:], 145)
    line = _cjk_line(boxes, "化、落地有成效。")
    assert [l.text for l in split_lines([line], image=img)] == [line.text]
    # a real gutter after a comma: the column's line ends in "，" and column B runs on beside
    img2 = np.full((320, 560), 255, np.uint8)
    for y in (40, 75, 110, 180, 215):
        _cjk_glyphs(img2, _COL_A + _COL_B, y)
    boxes = _cjk_glyphs(img2, _COL_A[:7], 145) + [_comma(img2, _COL_A[7], 145)] + _cjk_glyphs(img2, _COL_B, 145)
    line = _cjk_line(boxes, "我们同时进行了，以此为标杆推动招")
    assert [l.text for l in split_lines([line], image=img2)] == ["我们同时进行了，", "以此为标杆推动招"]


_STRIP_LEFT = [["the last two lines", "of a story end"], ["here, under its", "headline and"]]
_STRIP_RIGHT = [["another story goes", "on beside them"], ["in its own short", "column tail"]]


def _strip_page(grid_above: bool, short_px: int = 0, grid_merged: bool = False):
    """A strip of two lines, each run by the detector across a 32 px gutter (left column ending
    at x 480, right one starting at 512), under a headline that crosses the gutter; above it,
    optionally, six lines of two columns on the same grid (``grid_merged``: each row read in
    one box across the gutter too). ``short_px``: the strip's second left line's ink ends that
    much short of 480."""
    img, draw, font = _canvas()
    others = []
    if grid_above:
        for k, (lt, rt) in enumerate(zip(LEFT_TEXT[:6], RIGHT_TEXT[:6])):
            y = 40 + 40 * k
            lb = _phrase(draw, font, lt.split(), y, right=480)
            rb = _phrase(draw, font, rt.split(), y, left=512)
            others += ([_words_line(lt.split() + rt.split(), lb + rb)] if grid_merged
                       else [_row_line(lb), _row_line(rb)])
    # a headline over the strip, inked over the gutter and the strip's word spaces: their bands end at it
    others.append(_row_line(_phrase(draw, font, ["Headline-across-both-columns-of-the-strip"], 320, left=40)))
    merged = []
    for k, (lt, rt) in enumerate(zip(_STRIP_LEFT, _STRIP_RIGHT)):
        y = 380 + 40 * k
        lw, rw = " ".join(lt).split(), " ".join(rt).split()
        merged.append(_words_line(lw + rw, _phrase(draw, font, lw, y, right=480 - short_px * k)
                                  + _phrase(draw, font, rw, y, left=512)))
    return np.asarray(img), merged, others


def test_a_two_line_strip_is_cut_where_the_page_grid_has_its_gutter():
    """Two lines beside a gutter are too few edges to tell it from a river of word spaces; the
    page's other columns, set on the same grid, end and start at the same x on its two sides."""
    page, merged, others = _strip_page(grid_above=True)
    out = [l.text for l in split_lines([*merged, *others], image=page) if l.chars]
    assert out == [" ".join(_STRIP_LEFT[0]), " ".join(_STRIP_RIGHT[0]),
                   " ".join(_STRIP_LEFT[1]), " ".join(_STRIP_RIGHT[1])]
    # with no columns on that grid elsewhere on the page, nothing shows the gap is a gutter
    page, merged, others = _strip_page(grid_above=False)
    assert [l.text for l in split_lines([*merged, *others], image=page) if l.chars] == [l.text for l in merged]


def test_a_strip_is_cut_on_a_grid_whose_rows_the_detector_ran_across_the_gutter_too():
    """de 114, en 120: the page's other columns on the strip's grid were read in boxes across
    their gutter as well, so no line box began or ended at the column edges and the grid test
    found none. Those rows are cut (their band runs down six lines a side); the grid is asked
    again of the cut lines' boxes."""
    page, merged, others = _strip_page(grid_above=True, grid_merged=True)
    out = [l.text for l in split_lines([*merged, *others], image=page) if l.chars]
    assert out[:4] == [" ".join(_STRIP_LEFT[0]), " ".join(_STRIP_RIGHT[0]),
                       " ".join(_STRIP_LEFT[1]), " ".join(_STRIP_RIGHT[1])]
    assert out[4:] == [t for lt, rt in zip(LEFT_TEXT[:6], RIGHT_TEXT[:6]) for t in (lt, rt)]
    # the rows above cut, the strip still needs its own grid: under a one-column text above
    # (rows of one line, each its own box from 40 to 940, no edges at the gutter) it stays whole
    img, draw, font = _canvas()
    wide = [_row_line(_phrase(draw, font, (lt + " " + rt).split(), 40 + 40 * k, left=40))
            for k, (lt, rt) in enumerate(zip(LEFT_TEXT[:6], RIGHT_TEXT[:6]))]
    strip_img, merged, _others = _strip_page(grid_above=False)
    canvas = np.minimum(np.asarray(img), strip_img)
    head = _others[-1]
    assert [l.text for l in split_lines([*merged, *wide, head], image=canvas) if l.chars] == [l.text for l in merged]


def _one_line_beside_two(grid_above: bool):
    """A column's only line under a short subhead (its ink ends far from the gutter), read
    across a 32 px gutter (left column ending at x 480, right one starting at 512) with the
    first of two lines of the next column; a headline crosses the gutter above, and above
    that, optionally, six lines of two columns on the same grid."""
    img, draw, font = _canvas()
    others = []
    if grid_above:
        for k, (lt, rt) in enumerate(zip(LEFT_TEXT[:6], RIGHT_TEXT[:6])):
            y = 40 + 40 * k
            others += [_row_line(_phrase(draw, font, lt.split(), y, right=480)),
                       _row_line(_phrase(draw, font, rt.split(), y, left=512))]
    others.append(_row_line(_phrase(draw, font, ["Headline-across-both-columns-of-the-strip"], 300, left=40)))
    others.append(_row_line(_phrase(draw, font, ["A", "subhead"], 360, left=60)))
    lw, rw = "the only line of its".split(), "another story goes".split()
    merged = _words_line(lw + rw, _phrase(draw, font, lw, 400, right=480) + _phrase(draw, font, rw, 400, left=512))
    others.append(_row_line(_phrase(draw, font, "on beside it here".split(), 440, left=512)))
    return np.asarray(img), merged, others


def test_one_line_beside_a_column_is_cut_where_the_page_grid_has_its_gutter():
    """fr 131: "La médiathèque lance un appel aux béné-" | "ger les erreurs…", a column's one
    line under its subhead beside the next column's lines: one edge on the left (the line
    itself) was too few to ask the page's grid at all; with two on the other side it is asked,
    and the grid (three lines a side elsewhere on the page) decides as before."""
    page, merged, others = _one_line_beside_two(grid_above=True)
    out = [l.text for l in split_lines([merged, *others], image=page) if l.chars]
    assert out == ["the only line of its", "another story goes"]
    page, merged, others = _one_line_beside_two(grid_above=False)
    assert [l.text for l in split_lines([merged, *others], image=page) if l.chars] == [merged.text]


def test_a_gutter_after_a_comma_is_cut_over_a_kicker_crossing_it():
    """"…领域展、" | "联姻延伸…": a column's last row, read in one box across the gutter, right
    over the next story's kicker, which inks the window below. Beside the "、" only both sides
    clear used to cut (a half-cell lines up over the lines around), and the kicker hides one;
    but the mark's half-cell and the gutter leave more paper in the line than any half-cell, so
    the side above, clear between full column lines, cuts it as any other gap."""
    img = np.full((320, 560), 255, np.uint8)
    for y in (40, 75, 110):
        _cjk_glyphs(img, _COL_A + _COL_B, y)
    boxes = _cjk_glyphs(img, _COL_A[:7], 145) + [_comma(img, _COL_A[7], 145)] + _cjk_glyphs(img, _COL_B, 145)
    line = _cjk_line(boxes, "统领域智轨列车、联姻延伸产业链济")
    for x in range(10, 500, 6):                            # the kicker right below
        img[188:222, x : x + 4] = 0
    assert [l.text for l in split_lines([line], image=img)] == ["统领域智轨列车、", "联姻延伸产业链济"]


def test_a_gutter_after_a_hyphen_is_cut_where_the_boxes_spread_into_it():
    """A column's first line read across the gutter with no space between the columns' words
    ("Rettungseinsät-" | "zusätzliche"): the recogniser's boxes run 5 px into the 32 px gutter
    from the left and 18 px from the right, leaving 9 px — under the box test's ``typical +
    0.3·h`` — but room for the clear band; followed down, it runs between column edges that
    line up on both sides, so the line is cut there."""
    img, draw, font = _canvas()
    left_end, right_start = 480, 512
    rows = _column_pair(draw, font, left_end, right_start)
    page = np.asarray(img)
    lw, lb, rw, rb = rows[0]
    lb = lb[:-1] + [(lb[-1][0], lb[-1][1], left_end + 5.0, lb[-1][3])]
    rb = [(right_start - 18.0, rb[0][1], rb[0][2], rb[0][3])] + rb[1:]
    line = _words_line(lw + rw, lb + rb)
    k = len(" ".join(lw))  # the space the helper put between the columns: the recogniser read none
    line = OcrLine(line.polygon, line.text[:k] + line.text[k + 1:], 0.9, line.chars[:k] + line.chars[k + 1:])
    assert line.chars[k][0] - line.chars[k - 1][2] == 9.0
    others = [ln for _lw, b1, _rw, b2 in rows[1:] for ln in (_row_line(b1), _row_line(b2))]
    out = [l.text for l in split_lines([line, *others], image=page) if l.chars]
    assert out == [LEFT_TEXT[0], RIGHT_TEXT[0]]


def test_grid_edges_count_the_paper_from_each_line_own_end():
    """Lines of another story that end at the grid's x, 8 px (``need``) of paper after them and
    then their next column on a narrower gutter: they end there, though the band's edge ``b``
    lies 3 px past their last ink (so ``b + need`` reaches into that next column). Starts are
    counted the same way, from each line's first ink."""
    from broadsheet.ocr.split import _edge_count

    ink = np.zeros((200, 120), bool)
    boxes = []
    for y in (20, 60, 100):
        ink[y + 8:y + 22, 20:50] = True   # a column line ending at x 49
        ink[y + 8:y + 22, 58:100] = True  # the next column, 8 px of paper after it
        boxes += [(20.0, float(y), 50.0, y + 30.0), (58.0, float(y), 100.0, y + 30.0)]
    boxes = np.array(boxes)
    assert _edge_count(ink, boxes, 47, 52, 160, 190, 8, 15.0, start=False) == 3
    assert _edge_count(ink, boxes, 55, 60, 160, 190, 8, 15.0, start=True) == 3
    # 7 px of paper is too little
    ink[:, 57] = ink[:, 58]
    assert _edge_count(ink, boxes, 47, 52, 160, 190, 8, 15.0, start=False) == 0


def _columns_with_tall_row(font_px: int):
    """Two columns (LEFT_TEXT flush right to x 480, RIGHT_TEXT from 512) whose first row, set in
    ``font_px`` type, the detector ran into one box over both columns, twice the body's height
    (their baselines differ); the other rows are read as lines of their own, with glyph boxes."""
    from PIL import ImageFont

    from .conftest import LATIN_FONT

    img, draw, font = _canvas()
    first = ImageFont.truetype(LATIN_FONT, font_px)
    lw, rw = LEFT_TEXT[0].split(), RIGHT_TEXT[0].split()
    merged = _words_line(lw + rw, _phrase(draw, first, lw, 60, right=480) + _phrase(draw, first, rw, 60, left=512))
    y0, y1 = merged.bbox[1] - 16, merged.bbox[3] + 16  # 64 px: twice the 32 px body boxes
    merged = OcrLine(((merged.bbox[0], y0), (merged.bbox[2], y0), (merged.bbox[2], y1), (merged.bbox[0], y1)),
                     merged.text, 0.9, tuple((c[0], y0, c[2], y1) for c in merged.chars))
    others = []
    for k, (lt, rt) in enumerate(zip(LEFT_TEXT[2:], RIGHT_TEXT[2:])):
        y = 140 + 40 * k
        others += [_words_line(lt.split(), _phrase(draw, font, lt.split(), y, right=480)),
                   _words_line(rt.split(), _phrase(draw, font, rt.split(), y, left=512))]
    return np.asarray(img), merged, others


def test_body_type_in_a_box_twice_its_height_is_cut_at_the_gutter():
    """A row of body text read in one box over columns whose baselines differ (fr 106: one box
    70 px tall over six columns of 35 px lines) was taken for a headline by its box and never
    cut at a followed band; its glyphs' advance is the body's, so the band decides."""
    page, merged, others = _columns_with_tall_row(26)
    out = [l.text for l in split_lines([merged, *others], image=page)]
    assert out[:2] == [LEFT_TEXT[0], RIGHT_TEXT[0]]


def test_a_headline_in_a_tall_box_over_columns_stays_whole_among_body_lines():
    """The same row in headline type (twice the body's advance) stays one line: a headline runs
    across its story's columns, and only a rule cuts it."""
    page, merged, others = _columns_with_tall_row(52)
    out = [l.text for l in split_lines([merged, *others], image=page)]
    assert out[0] == merged.text


def test_a_strip_whose_lines_end_a_few_pixels_apart_is_cut_on_the_page_grid():
    """en 106: two lines of a column's tail under a headline; "months." ends 3 px before
    "Fahy" in ink (the full stop), so the two did not line up at 0.05·h and the page's grid was
    never asked. At the looser alignment it is, and decides as before."""
    img, merged, others = _strip_page(grid_above=True, short_px=3)
    out = [l.text for l in split_lines([*merged, *others], image=img) if l.chars]
    assert out == [" ".join(_STRIP_LEFT[0]), " ".join(_STRIP_RIGHT[0]),
                   " ".join(_STRIP_LEFT[1]), " ".join(_STRIP_RIGHT[1])]
    img, merged, others = _strip_page(grid_above=False, short_px=3)
    assert [l.text for l in split_lines([*merged, *others], image=img) if l.chars] == [l.text for l in merged]


def _headline_page(head_xs, quote_ink=None):
    """A two-column Chinese page (body glyphs 27 px on a 28 px advance, a 20 px gutter at
    402–422) under a headline row of 50 px glyphs at ``head_xs`` (y 60–116), a kicker above it
    and bylines below, short of the middle of either column; ``quote_ink``: the x range of an
    opening quote's ink, high in its cell."""
    img = np.full((420, 850), 255, np.uint8)
    body = []
    for y in (200, 235, 270, 305, 340):
        body.append(_cjk_line(_cjk_glyphs(img, [10 + 28 * i for i in range(14)], y), "经开区项目签约落地投产达效增长"[:14]))
        body.append(_cjk_line(_cjk_glyphs(img, [422 + 28 * i for i in range(14)], y), "高新区企业稳步回升态势明显向好"[:14]))
    _cjk_glyphs(img, [20 + 28 * i for i in range(11)], 20)   # the kicker, ending at 327
    _cjk_glyphs(img, [20 + 28 * i for i in range(5)], 140)   # a byline under each half
    _cjk_glyphs(img, [440 + 28 * i for i in range(5)], 140)
    head = [(float(x), 60.0, float(x + 50), 116.0) for x in head_xs]
    for x in head_xs:
        img[64:112, x + 3 : x + 47] = 0
    if quote_ink is not None:
        img[64:112, quote_ink[0] - 3 : quote_ink[0] + 47] = 255
        img[64:80, quote_ink[0] : quote_ink[1]] = 0
    return img, head, body


def test_a_quote_mark_half_cell_in_a_cjk_headline_is_no_gutter():
    """"招大引强交出|“硬核”答卷": the opening quote's blank half-cell leaves 36 px of paper in
    50 px headline type, clear over the kicker that ends beside it and the blank under the short
    byline; the band runs into column A's lines, not on down a gutter: the headline stays whole."""
    xs = [20 + 52 * i for i in range(6)] + [354 + 52 * i for i in range(6)]
    img, head, body = _headline_page(xs, quote_ink=(366, 380))
    head[6] = (354.0, 60.0, 396.0, 116.0)                  # the quote's box, as the recogniser draws it
    text = "招大引强交出“硬核”答卷"
    line = _cjk_line(head, text)
    out = split_lines([line, *body], image=img)
    assert [l.text for l in out if l.bbox[1] < 120] == [text]


def test_two_cjk_headlines_side_by_side_are_cut_over_the_gutter_between_their_columns():
    """Two stories' headlines on one baseline, each over its own column: the paper between them
    runs on down the gutter between the columns below, to lines with text on both sides."""
    xs = [20 + 52 * i for i in range(7)] + [440 + 52 * i for i in range(6)]
    img, head, body = _headline_page(xs)
    line = _cjk_line(head, "招大引强交出来硬核答卷出炉")
    out = split_lines([line, *body], image=img)
    assert [l.text for l in out if l.bbox[1] < 120] == ["招大引强交出来", "硬核答卷出炉"]


def _widest_run_of_slice(mask: np.ndarray, a: int, b: int) -> tuple[int, int, int]:
    """The slice-by-slice reference for widest_runs (what split did before, one gap at a time)."""
    if b <= a:
        return (0, 0, 0)
    part = np.concatenate([[0], mask[a:b].astype(np.int8), [0]])
    d = np.diff(part)
    starts, ends = np.flatnonzero(d == 1), np.flatnonzero(d == -1)
    if not len(starts):
        return (0, 0, 0)
    best = int(np.argmax(ends - starts))
    return (int(ends[best] - starts[best]), a + int(starts[best]), a + int(ends[best]))


def test_widest_runs_match_slice_by_slice_search_on_random_masks():
    from broadsheet.ocr.split import widest_runs

    rng = np.random.default_rng(7)
    for trial in range(300):
        n = int(rng.integers(0, 80))
        mask = rng.random(n) < rng.uniform(0.1, 0.9)
        # slices that run past either end, are empty or reversed, as glyph centres can give
        a = rng.integers(0, n + 6, 25)
        b = a + rng.integers(-6, 40, 25)
        got = widest_runs(mask, a, b)
        want = np.array([_widest_run_of_slice(mask, int(x), int(y)) for x, y in zip(a, b)]).reshape(-1, 3)
        assert np.array_equal(got, want), trial


def test_widest_runs_take_the_leftmost_of_equal_runs_and_zeros_where_none():
    from broadsheet.ocr.split import widest_runs

    mask = np.array([0, 1, 1, 0, 1, 1, 0, 0, 1], bool)
    got = widest_runs(mask, np.array([0, 3, 6, 5]), np.array([9, 9, 8, 5]))
    assert got.tolist() == [[2, 1, 3], [2, 4, 6], [0, 0, 0], [0, 0, 0]]
    assert widest_runs(np.zeros(5, bool), np.array([0]), np.array([5])).tolist() == [[0, 0, 0]]


def test_longest_runs_per_row_match_a_row_by_row_search():
    from broadsheet.ocr.split import longest_runs

    rng = np.random.default_rng(11)
    for trial in range(100):
        mask = rng.random((int(rng.integers(0, 9)), int(rng.integers(0, 40)))) < rng.uniform(0.05, 0.95)
        want = [max([len(r) for r in "".join("1" if v else "0" for v in row).split("0")] + [0]) for row in mask]
        assert longest_runs(mask).tolist() == want, trial
    assert longest_runs(np.array([[1, 1, 0, 1, 1, 1], [0, 0, 0, 0, 0, 0]], bool)).tolist() == [3, 0]


_RAGGED_ENDS = [462, 450, 478, 474, 440, 466, 430, 458]  # row 3 is read across the gutter


def _ragged_page(starts: list[int], left_rows: list[int] | None = None):
    """Eight rows: a column set ragged right (its ink ending at ``_RAGGED_ENDS``, rows
    ``left_rows`` only: default all) beside the next column's lines starting at ``starts``;
    row 3 read by the detector in one box across the gutter, the others in their own boxes."""
    img, draw, font = _canvas()
    merged, others = None, []
    for k in range(8):
        y = 60 + 40 * k
        lt, rt = LEFT_TEXT[k % 7].split(), RIGHT_TEXT[k % 7].split()
        lb = _phrase(draw, font, lt, y, right=_RAGGED_ENDS[k]) if left_rows is None or k in left_rows else []
        rb = _phrase(draw, font, rt, y, left=starts[k])
        if k == 3:
            merged = _words_line(lt + rt, lb + rb)
        else:
            others += [_row_line(b) for b in (lb, rb) if b]
    return np.asarray(img), merged, others


def test_a_ragged_right_column_is_cut_where_the_next_column_starts():
    """bench-de: a column set ragged right ends its lines anywhere, so only two lines end at
    the band and neither the two-sided count nor the page's grid finds the gutter; eight lines
    starting at one x on the band's right, each with a line of the left column beside it, do."""
    page, merged, others = _ragged_page([512] * 8)
    out = [l.text for l in split_lines([merged, *others], image=page) if l.chars]
    assert out == [LEFT_TEXT[3], RIGHT_TEXT[3]]


def test_aligned_starts_beside_blank_paper_are_no_gutter():
    """The same starts with nothing on the band's left but the line's own first words (a label
    hung out before a column): no column ends there, so the line stays whole."""
    page, merged, others = _ragged_page([512] * 8, left_rows=[3])
    assert [l.text for l in split_lines([merged, *others], image=page) if l.chars] == [merged.text]


def test_a_river_with_four_aligned_starts_is_no_gutter():
    """A river of word spaces beside which the next words start at one x on four lines (equal
    short words before it: "dès", "sur", "que" on fr 131) and anywhere on the others: under
    ``ragged_starts``, the line stays whole."""
    page, merged, others = _ragged_page([512, 512, 512, 512, 520, 527, 534, 541])
    assert [l.text for l in split_lines([merged, *others], image=page) if l.chars] == [merged.text]


def test_a_gutter_the_boxes_hide_whole_is_cut_where_the_ink_shows_it():
    """"“四梁八柱”，发力" | "引，构建…": the recogniser's boxes for "力" and "引" run 4 px
    apart over a 20 px gutter — under the band's width, so the box gap alone never made the gap
    a candidate; the line's own paper there is 0.69 of an advance (its letter spaces 2 px)."""
    line, img, img2 = _gutter_row_boxed_across(248.0, 252.0, "四梁八柱发力引构建信创产业生园区")
    assert [l.text for l in split_lines([line], image=img)] == ["四梁八柱发力引构", "建信创产业生园区"]
    # the same boxes over a column whose lines run on through the gap: no gutter
    assert [l.text for l in split_lines([line], image=img2)] == [line.text]


def test_a_letter_spaced_line_is_no_candidate_at_its_widest_letter_space():
    """"等9个项目与赣" spread over its column (49 px advance in 29 px type) leaves over half an
    advance of paper at every glyph, its boxes touching: its widest space ("目|与", 0.65) is
    no gutter; one well over the line's usual paper is."""
    from broadsheet.ocr.split import SplitConfig, _ink_gaps
    img = np.full((200, 600), 255, np.uint8)
    xs = [10 + 49 * i for i in range(7)]
    xs[5] += 10                                            # one space a little wider: 32 px
    _cjk_glyphs(img, xs, 50)
    ink = img < 128
    sb = np.array([(x - 11.0, 50.0, x + 38.0, 80.0) for x in xs])   # boxes on the grid, touching
    sb[5, 0] = sb[4, 2]
    widen = np.ones(6, bool)
    _, seen = _ink_gaps(ink, sb, "等九个项目与赣", 50, 80, 30, SplitConfig(), widen=widen, pitch=49.0)
    assert not seen.any()
    # a solid line with one gutter's paper between two glyphs whose boxes touch
    img = np.full((200, 600), 255, np.uint8)
    xs = [10 + 29 * i for i in range(8)] + [260 + 29 * i for i in range(8)]
    _cjk_glyphs(img, xs, 50)
    sb = np.array([(x - 1.0, 50.0, x + 28.0, 80.0) for x in xs])
    sb[7, 2], sb[8, 0] = 248.0, 252.0
    _, seen = _ink_gaps(img < 128, sb, "四梁八柱发力引构建信创产业生园区", 50, 80, 30, SplitConfig(),
                        widen=np.ones(15, bool), pitch=29.0)
    assert seen.tolist() == [k == 7 for k in range(15)]


def _quote_ink(img, x, y0):
    """An opening "‘" the recogniser left out: 5 × 6 px of ink high in the cell right of ``x``
    (it hugs the glyph after it), no box of its own."""
    img[y0 + 4 : y0 + 10, x : x + 5] = 0


def test_a_quote_mark_the_recogniser_dropped_is_no_gutter():
    """"与我区" | "联姻’，延伸产业" read from "与我区‘联姻’，…", a column's first line under
    blank paper: the paper left of the unread "‘" is clear above, and the letter-spaced line
    below has a space under it (text on both sides), so the band was taken for a gutter. The
    "‘" is ink between the two glyphs: the gap is a mark's half-cell, and it must run on —
    two lines down the column runs through it."""
    img = np.full((320, 560), 255, np.uint8)
    boxes = _cjk_glyphs(img, _COL_A[:3], 145) + _cjk_glyphs(img, _COL_A[4:], 145)
    _quote_ink(img, _COL_A[3] + 20, 145)
    line = _cjk_line(boxes, "与我区联姻延伸")
    _cjk_glyphs(img, [10, 45, 80, 128, 163, 198], 180)     # letter-spaced: paper at 107–128
    _cjk_glyphs(img, _COL_A, 215)
    assert [l.text for l in split_lines([line], image=img)] == [line.text]
    # without the mark's ink the same paper is cut, as before (a gutter beside a short line)
    img[149:155, _COL_A[3] + 20 : _COL_A[3] + 25] = 255
    assert len(split_lines([line], image=img)) == 2


def test_a_gutter_before_a_dropped_quote_mark_is_still_cut():
    """A row read across a 20 px gutter whose right column's line starts with an unread "‘":
    the paper between the last glyph of the left column and the mark is the gutter and the
    mark's blank half-cell, over 1.25 advances: a gutter as before."""
    img = np.full((320, 560), 255, np.uint8)
    for y in (40, 75, 110, 180, 215):
        _cjk_glyphs(img, _COL_A + _COL_B, y)
    boxes = _cjk_glyphs(img, _COL_A, 145) + _cjk_glyphs(img, _COL_B[1:], 145)
    _quote_ink(img, _COL_B[0] + 22, 145)
    line = _cjk_line(boxes, "四梁八柱发力引构联姻延伸产业链")
    assert [l.text for l in split_lines([line], image=img)] == ["四梁八柱发力引构", "联姻延伸产业链"]


def _narrow_pair_page(shift: int):
    """A column line whose glyphs 4 and 5 ("十" | "二") leave most of their cells blank (a thin
    stroke at each centre), the lines above and below with a space right there (text on both
    sides of it), full lines two rows off. ``shift``: the line's glyphs from the fifth on (and
    the other lines' right parts) moved on by that many pixels."""
    img = np.full((320, 620), 255, np.uint8)
    xs = [10 + 29 * i for i in range(12)]
    right = [x + shift for x in xs[5:]]
    for y in (40, 215):
        _cjk_glyphs(img, xs[:5] + right, y)
    for y in (75, 180):                                   # a space over / under "十|二"
        _cjk_glyphs(img, xs[:5] + right[1:], y)
    boxes = _cjk_glyphs(img, xs[:4], 145)
    for x in (xs[4], right[0]):                           # thin strokes: the cell's white beside them
        img[148:172, x + 12 : x + 15] = 0
        boxes.append((float(x), 145.0, float(x + 27), 175.0))
    boxes += _cjk_glyphs(img, right[1:], 145)
    return _cjk_line(boxes, "渔排能抗十二级台鱼的成了"), img


def test_two_ideographs_one_advance_apart_are_not_cut():
    """"“新渔排能抗十" | "二级台": the white beside "十" and "二" (0.8 of an advance) lines up
    with spaces in the lines above and below, but the two glyphs sit one advance apart, in
    neighbouring cells of one grid: no gutter fits between them. Pushed on by a gutter's width
    (1.45 advances) the same gap is cut."""
    line, img = _narrow_pair_page(0)
    assert [l.text for l in split_lines([line], image=img)] == [line.text]
    line, img = _narrow_pair_page(13)
    assert [l.text for l in split_lines([line], image=img)] == ["渔排能抗十", "二级台鱼的成了"]


# --------------------------------------------------------------------------- phantom glyphs at a Latin line's edge

def _latin_ink(line: OcrLine, blank: set[int], shape=(300, 800)) -> np.ndarray:
    """Ink for every non-space glyph box of ``line`` except the indices in ``blank``."""
    ink = np.zeros(shape, bool)
    for i, (ch, (x0, y0, x1, y1)) in enumerate(zip(line.text, line.chars)):
        if not ch.isspace() and i not in blank:
            ink[int(y0) + 8:int(y1) - 8, int(x0) + 2:int(x1) - 2] = True
    return ink


def test_a_letter_read_in_the_padding_past_a_latin_lines_crop_is_dropped():
    # "…nuisances ene": the box ended in the gutter and the recogniser read an "e" past its
    # edge; its box is cut to nothing at the line's end, on paper
    line = make_line("les nuisances en", pitch=18, width=16, h=30)
    end = line.chars[-1][2] + 20
    chars = (*line.chars, (end, 100.0, end, 130.0))
    poly = ((0.0, 100.0), (end, 100.0), (end, 130.0), (0.0, 130.0))
    phantom = OcrLine(poly, "les nuisances ene", 0.95, chars)
    ink = _latin_ink(line, set())
    out = split_lines([phantom], ink=ink)
    assert [l.text for l in out] == ["les nuisances en"]
    assert out[0].bbox[2] == line.chars[-1][2]
    # ... but not where the page shows ink at that edge (a glyph the box clipped)
    ink[108:122, int(end) - 1:int(end) + 2] = True
    assert [l.text for l in split_lines([phantom], ink=ink)] == ["les nuisances ene"]


def test_latin_end_glyphs_with_part_of_their_box_stay():
    # a full stop's box is rough, and may hold none of its ink: it keeps part of its width
    line = make_line("les nuisances en.", pitch=18, width=16, h=30)
    ink = _latin_ink(line, {16})
    assert [l.text for l in split_lines([line], ink=ink)] == ["les nuisances en."]


def test_a_bar_read_for_a_column_rule_goes_and_the_line_is_cut_there():
    # "aura lieu le dernier samedi | Arrivée il y a une dizaine": the rule is the bar's ink
    text = "le samedi | Arrivée il"
    line = make_line(text, pitch=18, width=16, h=30)
    ink = _latin_ink(line, {text.index("|")})
    bar = line.chars[text.index("|")]
    x = int((bar[0] + bar[2]) / 2)
    ink[100:300, x:x + 2] = True                     # the rule runs on down the column
    out = split_lines([line], ink=ink)
    assert [l.text for l in out] == ["le samedi", "Arrivée il"]


def test_a_bar_with_no_rule_under_it_stays():
    text = "le samedi | Arrivée il"
    line = make_line(text, pitch=18, width=16, h=30)
    ink = _latin_ink(line, set())                    # a bar glyph the height of the line only
    assert [l.text for l in split_lines([line], ink=ink)] == [text]


def _one_row_strip(grid_rows: int, right_start: int = 512):
    """A story's last row under a rule: "…Versuch betei-" ending at the gutter (x 480) and
    "ligt." at ``right_start``, read in one box; nothing else beside the band below or above
    the rule. Above the rule, another story's line across the gutter (it closes the band), and
    above that ``grid_rows`` rows of two columns on the page's grid (left column ending at 480,
    right one starting at 512)."""
    img, draw, font = _canvas()
    others = []
    for k in range(grid_rows):
        lt, rt = LEFT_TEXT[k % len(LEFT_TEXT)], RIGHT_TEXT[k % len(RIGHT_TEXT)]
        y = 20 + 36 * k
        others += [_row_line(_phrase(draw, font, lt.split(), y, right=480)),
                   _row_line(_phrase(draw, font, rt.split(), y, left=512))]
    # another story's line across the gutter closes the band above, then a rule over the strip
    others.append(_row_line(_phrase(draw, font, ["Another-story-set-across-both-columns-here"], 342, left=40)))
    draw.rectangle([40, 384, 960, 388], fill=0)
    lw, rw = "a bigger trial of its".split(), ["kind."]
    row = _words_line(lw + rw, _phrase(draw, font, lw, 420, right=480) + _phrase(draw, font, rw, 420, left=right_start))
    return np.asarray(img), row, others


def test_a_lone_row_under_a_rule_is_cut_where_many_lines_of_the_page_grid_have_their_gutter():
    """de 154: "einem grösseren Versuch betei-" | "ligt.", a story's one row under a rule, with
    no line beside the band but itself: the page's grid was never asked. It is now, for more
    of its lines (``grid_lone_lines``) than when columns stand beside the band."""
    page, row, others = _one_row_strip(grid_rows=9)
    assert [l.text for l in split_lines([row, *others], image=page) if l.chars] == ["a bigger trial of its", "kind."]
    # a grid of four lines a side, enough beside two columns, is too few for a lone row
    page, row, others = _one_row_strip(grid_rows=4)
    assert [l.text for l in split_lines([row, *others], image=page) if l.chars] == [row.text]
    # a wide word space that is not the grid's gutter: "kind." starts 14 px past the column edge
    page, row, others = _one_row_strip(grid_rows=9, right_start=526)
    assert [l.text for l in split_lines([row, *others], image=page) if l.chars] == [row.text]



def _stretched_row_page(stretch: float):
    """Two columns (`_COL_A` | `_COL_B`, a 20 px gutter) with their lines above and below, and a
    row at y 145 across both whose ink sits on the grid but whose left boxes the recogniser
    drew differently: two digits squeezed into 15 px steps, then five ideographs ``stretch``
    cells apart up to the gutter (the gutter's width spread over them); the right part's boxes
    on the grid, three ideograph pairs among its digits."""
    img = np.full((320, 560), 255, np.uint8)
    for y in (75, 110, 180, 215):
        _cjk_glyphs(img, _COL_A + _COL_B, y)
    _cjk_glyphs(img, _COL_A + _COL_B, 145)
    step = 29 * stretch
    right_end = 240 - 27                                    # the last left box ends at the gutter
    lefts = [right_end - step * (4 - i) for i in range(5)]
    digits = [lefts[0] - 15 * (2 - i) for i in range(2)]
    boxes = [(x, 145.0, x + 14.0, 175.0) for x in digits]
    boxes += [(x, 145.0, x + 27.0, 175.0) for x in lefts]
    boxes += [(float(x), 145.0, float(x + 27), 175.0) for x in _COL_B]
    return _cjk_line(boxes, "20都会持续增强企业4中国50"), img


def test_a_gutter_spread_over_the_boxes_before_it_is_still_cut():
    """"2025年都会持续增" | "强企业，40家中国500强": the recogniser spread the gutter's width
    over the five ideographs' boxes before it (1.5 cells apart), so the line's median step is a
    stretched cell and "增" | "强" sits about one of those apart; the right part's cells (29 px)
    show the gutter."""
    line, img = _stretched_row_page(1.5)
    assert [l.text for l in split_lines([line], image=img)] == ["20都会持续增", "强企业4中国50"]
    # the same row read as one line under the line's median cell alone: not cut
    from broadsheet.ocr.split import SplitConfig
    cfg = SplitConfig(grid_stretch_rel=100.0)
    assert [l.text for l in split_lines([line], image=img, config=cfg)] == [line.text]


def test_grid_cells_take_the_smaller_side_only_when_one_side_is_stretched():
    from broadsheet.ocr.split import SplitConfig, _grid_cells
    cfg = SplitConfig()
    # five stretched steps (41) | five true ones (27): at the gap between them the true cell
    starts = np.cumsum([0.0, 41, 41, 41, 41, 41, 41, 27, 27, 27, 27, 27])
    pairs = np.ones(len(starts) - 1, bool)
    cells = _grid_cells(starts, pairs, 41.0, cfg)
    assert cells[5] == 27.0 and cells[6] == 27.0
    # boxes jittering by a tenth on both sides ("新华社发 张天明摄"): the line's pitch everywhere
    starts = np.cumsum([0.0, 26, 26, 22, 30, 26, 22, 26, 26])
    cells = _grid_cells(starts, np.ones(len(starts) - 1, bool), 26.0, cfg)
    assert np.all(cells == 26.0)
    # a side of under three ideograph pairs tells nothing (digits are no pairs)
    starts = np.cumsum([0.0, 41, 41, 41, 41, 27, 27])
    pairs = np.array([True, True, True, True, False, True])
    cells = _grid_cells(starts, pairs, 41.0, cfg)
    assert np.all(cells == 41.0)


def _rule_page(rows: range, edge_fill: float = 0.0) -> np.ndarray:
    """An ink mask 200 × 600 with a horizontal band inked across it over ``rows``, and the row
    under it inked over ``edge_fill`` of its width (a scan's blurred edge)."""
    ink = np.zeros((200, 600), bool)
    ink[rows.start : rows.stop, :] = True
    ink[rows.stop, : int(600 * edge_fill)] = True
    return ink


def test_a_scan_blurred_rule_across_a_gap_does_not_close_its_band():
    """A caption's first row under a photo, its gutters' band run down to a dashed rule that the
    scan blurred to 5 rows and a partly inked row (0.73, 1.0 ×3, 0.67 on seed 333's 33301003):
    more than the 4.8 px hairline of 40 px type. The blurred rows are the rule's and leave the
    band open; a thick bar and a text line's rows are no rule."""
    from broadsheet.ocr.split import _across_rules
    rows = _across_rules(_rule_page(range(100, 104), edge_fill=0.4), 60, 160, 290, 310, 40.0)
    assert rows[40:45].all() and not rows[:40].any() and not rows[45:].any()
    assert _across_rules(_rule_page(range(100, 105), edge_fill=0.7), 60, 160, 290, 310, 40.0)[40:46].all()
    # a bar 8 rows thick, and a text line's 30 rows half inked, are not rules
    assert not _across_rules(_rule_page(range(100, 108)), 60, 160, 290, 310, 40.0).any()
    text = np.zeros((200, 600), bool)
    text[90:120, ::2] = True
    assert not _across_rules(text, 60, 160, 290, 310, 40.0).any()


def _columns_with_blurred_rule(h: int = 46, stroke_above: bool = False):
    """Three CJK lines in two columns 20 px apart (x 265–285) with a 4 px dashed rule down the
    gutter that a scan blurred: a partly inked column either side of its core (about 0.2 of the
    rows), as on seed 240's 24000723."""
    pitch, glyph = 43, 40
    img = np.full((400, 700), 255, np.uint8)
    left = [25 + i * pitch for i in range(6)]              # column A ends at 25 + 5·43 + 40 = 280
    left = [x - 15 for x in left]                          # ... moved to end at 265
    right = [285 + i * pitch for i in range(6)]
    for y0 in (40, 100, 160):
        for x in left + right:
            img[y0 + 4 : y0 + h - 4, x : x + glyph] = 0
    for y in range(20, 230, 25):                           # dashes 15 px long, 10 px apart
        img[y : y + 15, 273:277] = 0
        img[y : y + 15 : 3, 272] = 0                       # the blur: every third row of a dash
        img[y + 1 : y + 15 : 3, 277] = 0
    boxes = [(x, 100, x + glyph, 100 + h) for x in left + right]
    text = "企业集中签约以此为标杆推"
    poly = ((boxes[0][0], 100), (boxes[-1][2], 100), (boxes[-1][2], 100 + h), (boxes[0][0], 100 + h))
    return img, OcrLine(poly, text, 0.95, tuple(boxes))


def test_a_gutter_down_a_scan_blurred_dashed_rule_is_cut():
    """A 20 px gutter with a 4 px dashed rule down it leaves 7 px of paper on each side of the
    rule: under the 11 px band a 46 px line needs, so the rule must count as gutter. The scan
    blurs the rule into a column at 0.2 of the rows either side, neither paper nor rule; the
    rule's run now takes one column of blur each side (23 rows of seed 240's 24000723 were read
    across such gutters)."""
    from broadsheet.ocr.split import _hairline
    img, line = _columns_with_blurred_rule()
    assert [l.text for l in split_lines([line], image=img)] == ["企业集中签约", "以此为标杆推"]
    fill = np.array([0, 0, 0.2, 0.6, 0.6, 0.6, 0.6, 0.2, 0, 0])
    clear = fill == 0
    assert _hairline(fill, clear, 46.0).tolist() == [False] * 2 + [True] * 6 + [False] * 2
    # a core under RULE_FILL is no rule; nor is a run wider than a hairline and its blur
    # (9 columns at 46 px type: a glyph's stroke group), one at the window's edge, or two runs
    assert not _hairline(np.where(fill > 0.5, 0.25, fill), clear, 46.0).any()
    wide = np.array([0, 0.2] + [0.6] * 7 + [0.2, 0])
    assert not _hairline(wide, wide == 0, 46.0).any()
    edge = fill[2:]
    assert not _hairline(edge, edge == 0, 46.0).any()
    two = np.array([0, 0.5, 0.5, 0, 0, 0.5, 0.5, 0])
    assert not _hairline(two, two == 0, 46.0).any()
    # a glyph's strokes in the lines above and below fade over two columns (seed 240's
    # 24000726: "产以来，国内外订单较多" | "。为确保" was cut there): no rule
    fade = np.array([0, 0, 0.06, 0.31, 0.33, 0.24, 0.02, 0, 0])
    assert not _hairline(fade, fade == 0, 39.0).any()


def test_a_gap_as_wide_as_a_gutter_under_text_running_on_is_not_cut():
    """The same 20 px gap in the line, but the lines above and below run on across it (a word
    gap of one line, not a gutter): their ink fills the columns — and where it is narrow, a
    glyph's 10 px of strokes with a dense middle is wider than a rule and its blur — so the
    line stays whole."""
    img, line = _columns_with_blurred_rule()
    img[:, 266:285] = 255
    for y0 in (40, 160):
        img[y0 + 4 : y0 + 42, 266:285] = 0                   # text across the gap above and below
    assert [l.text for l in split_lines([line], image=img)] == [line.text]
    img, line = _columns_with_blurred_rule()
    img[:, 266:285] = 255
    for y0 in (40, 160):
        img[y0 + 4 : y0 + 42, 274:278] = 0                   # a stroke down each line's glyph ...
        img[y0 + 20 : y0 + 24, 270:282] = 0                  # ... and its cross stroke
    assert [l.text for l in split_lines([line], image=img)] == [line.text]
