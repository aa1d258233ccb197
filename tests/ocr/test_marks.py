"""Half-width marks in Han text made full width."""
from broadsheet.ocr import OcrConfig, run_ocr
from broadsheet.ocr.marks import full_width_marks
from broadsheet.ocr.types import OcrLine
import numpy as np

from .conftest import FixedEngine


def _line(text: str) -> OcrLine:
    return OcrLine(((0.0, 0.0), (100.0, 0.0), (100.0, 20.0), (0.0, 20.0)), text, 0.9,
                   tuple((float(i), 0.0, float(i + 1), 20.0) for i in range(len(text))))


def _read_with_marks(line: OcrLine, img: np.ndarray) -> tuple[str, str]:
    """The text `run_ocr` gives for an engine that reads ``line``, with the marks step on and
    off (every other step after the engine off)."""
    cfg = dict(deskew=False, recover=False, split=False, merge=False, fix_quotes=False, tighten=False, spaces=False)
    return tuple(run_ocr(img, engine=FixedEngine([line]), config=OcrConfig(**cfg, marks=m)).lines[0].text
                 for m in (True, False))


def test_half_width_marks_between_han_text_become_full_width():
    lines = [_line("云南普洱:"), _line("他笑着说:“这就是"), _line("一笔账:发射前后,他的"), _line("好吗?")]
    out = full_width_marks(lines)
    assert [ln.text for ln in out] == ["云南普洱：", "他笑着说：“这就是", "一笔账：发射前后，他的", "好吗？"]
    assert all(len(o.chars) == len(o.text) and o.chars == i.chars for o, i in zip(out, lines))


def test_marks_beside_latin_or_digits_stay():
    lines = [_line("CEO:张三"), _line("时间10:30"), _line("Basel, Zürich"), _line("营收1000,")]
    assert all(o is i for o, i in zip(full_width_marks(lines), lines))


def test_run_ocr_full_width_switch():
    img = np.full((40, 120), 255, np.uint8)
    assert _read_with_marks(_line("海南文昌:"), img) == ("海南文昌：", "海南文昌:")


# --------------------------------------------------------------------------- marks past the box

from broadsheet.ocr.marks import line_end_marks  # noqa: E402

ADV = 30   # a glyph's advance, px; glyph rows 10..40


def _page(text: str, marks: dict[str, tuple[int, int, int, int]], width: int = 600):
    """A Han line of ``text`` whose detector box ends at its last glyph, and its ink: a block per
    glyph ("。" a small one low in its cell), plus ``marks``: name -> (x0, y0, x1, y1) of ink
    past the box."""
    ink = np.zeros((60, width), bool)
    boxes = []
    for i, ch in enumerate(text):
        x = 20 + i * ADV
        boxes.append((float(x), 10.0, float(x + ADV), 40.0))
        if ch == "。":
            ink[32:38, x + 3:x + 9] = True
        else:
            ink[12:38, x + 3:x + ADV - 3] = True
    for x0, y0, x1, y1 in marks.values():
        ink[y0:y1, x0:x1] = True
    x1 = 20 + len(text) * ADV
    line = OcrLine(((20.0, 8.0), (float(x1), 8.0), (float(x1), 42.0), (20.0, 42.0)), text, 0.9, tuple(boxes))
    return line, ink


def test_a_closing_quote_and_a_dash_left_outside_the_box_come_back():
    x = 20 + 5 * ADV                                    # right after the fifth cell
    quote, ink = _page("做云计算。", {"”": (x + 4, 12, x + 12, 22)})
    out, = line_end_marks([quote], ink)
    assert out.text == "做云计算。”" and len(out.chars) == len(out.text)
    assert out.bbox[2] >= x + 12                         # the box grows over the mark
    x = 20 + 6 * ADV
    dash, ink2 = _page("世界提前开园", {"——": (x + 2, 23, x + 2 + 2 * ADV, 27)})
    assert line_end_marks([dash], ink2)[0].text == "世界提前开园——"
    part, ink3 = _page("世界提前开园", {"——": (x + 2, 23, x + 2 + 2 * ADV, 27)})
    part = OcrLine(part.polygon, "世界提前开园-", 0.9, part.chars + ((float(x), 10.0, float(x + 12), 40.0),))
    assert line_end_marks([part], ink3)[0].text == "世界提前开园——"     # a dash read in part


def test_ink_past_the_box_that_is_no_lost_mark_is_left_alone():
    x = 20 + 5 * ADV
    # a speck of the line above in the box's top rows, the next column's glyph, another line's mark
    speck, ink = _page("做云计算。", {"speck": (x + 4, 0, x + 6, 3)})
    assert line_end_marks([speck], ink)[0] is speck
    glyph, ink2 = _page("做云计算。", {"glyph": (x + 6, 12, x + 30, 38)})
    assert line_end_marks([glyph], ink2)[0] is glyph
    quote, ink3 = _page("做云计算。", {"”": (x + 4, 12, x + 12, 22)})
    other = OcrLine(((x + 2.0, 8.0), (x + 60.0, 8.0), (x + 60.0, 42.0), (x + 2.0, 42.0)), "”我们", 0.9, None)
    assert line_end_marks([quote, other], ink3)[0] is quote
    # a Han "一" read at the end stays a Han "一"
    x = 20 + 5 * ADV
    one, ink4 = _page("统一", {})
    ink4[23:27, 20 + ADV + 3:20 + 2 * ADV - 3] = True
    ink4[12:38, 20 + ADV + 3:20 + 2 * ADV - 3] = False
    ink4[23:27, 20 + ADV + 3:20 + 2 * ADV - 3] = True
    assert line_end_marks([one], ink4)[0] is one



from broadsheet.ocr.marks import mid_line_quotes  # noqa: E402


def _joined(quote: tuple[int, int, int, int] | None, gap: int = 2 * ADV):
    """"有成效。" and "赣州经开" joined into one line over a gap of ``gap`` px between the "。"'s cell
    and the next glyph's (the detector boxed the two apart and left the "”" out of both), with
    ink ``quote`` in the gap."""
    line, ink = _page("有成效。", {})
    x = 20 + 4 * ADV + gap
    boxes = list(line.chars)
    wide = np.zeros((60, 600), bool)
    wide[:, :ink.shape[1]] = ink[:, :600]
    for i in range(4):
        boxes.append((float(x + i * ADV), 10.0, float(x + (i + 1) * ADV), 40.0))
        wide[12:38, x + i * ADV + 3:x + (i + 1) * ADV - 3] = True
    if quote is not None:
        x0, y0, x1, y1 = quote
        wide[y0:y1, x0:x1] = True
    x1 = x + 4 * ADV
    joined = OcrLine(((20.0, 8.0), (float(x1), 8.0), (float(x1), 42.0), (20.0, 42.0)), "有成效。赣州经开", 0.9, tuple(boxes))
    return joined, wide


def test_a_closing_quote_lost_between_two_joined_pieces_comes_back():
    x = 20 + 4 * ADV
    line, ink = _joined((x + 4, 12, x + 12, 22))
    out, = mid_line_quotes([line], ink)
    assert out.text == "有成效。”赣州经开" and len(out.chars) == len(out.text)
    assert out.chars[4][0] >= x and out.chars[4][2] <= x + 2 * ADV      # the quote's box, in the gap
    assert out.bbox == line.bbox
    assert line_end_marks([line], ink)[0] is line                        # the line's end sees nothing


def test_no_mid_line_quote_without_the_mark_or_its_room():
    x = 20 + 4 * ADV
    bare, ink = _joined(None)                                            # no ink in the gap
    assert mid_line_quotes([bare], ink)[0] is bare
    low, ink2 = _joined((x + 4, 30, x + 12, 38))                         # a low mark: no closing quote
    assert mid_line_quotes([low], ink2)[0] is low
    bar, ink3 = _joined((x + 2, 23, x + 2 * ADV - 4, 27))                # a dash is not put back here
    assert mid_line_quotes([bar], ink3)[0] is bar
    tight, ink4 = _joined((x + 4, 12, x + 12, 22), gap=10)              # the next glyph's cell over it
    assert mid_line_quotes([tight], ink4)[0] is tight
    quoted = OcrLine(bare.polygon, "有成效。”州经开", 0.9, bare.chars)        # the quote is read already
    assert mid_line_quotes([quoted], _joined((x + 4, 12, x + 12, 22))[1])[0] is quoted


def test_run_ocr_puts_back_a_mid_line_quote_with_marks_on_only():
    x = 20 + 4 * ADV
    line, ink = _joined((x + 4, 12, x + 12, 22))
    img = np.where(ink, 0, 255).astype(np.uint8)

    assert _read_with_marks(line, img) == ("有成效。”赣州经开", "有成效。赣州经开")


from broadsheet.ocr.marks import quotes_read_as_commas  # noqa: E402


def test_a_high_comma_after_a_sentence_end_is_the_closing_quote():
    line, ink = _page("做云计算。，", {})
    x = 20 + 5 * ADV
    ink[12:38, x:x + ADV] = False
    ink[12:22, x + 4:x + 12] = True                         # the quote's ink, high in the last cell
    out, = quotes_read_as_commas([line], ink)
    assert out.text == "做云计算。”" and out.chars == line.chars
    ascii_, ink2 = _page("做云计算。'", {})
    ink2[12:38, x:x + ADV] = False
    ink2[12:22, x + 4:x + 12] = True
    assert quotes_read_as_commas([ascii_], ink2)[0].text == "做云计算。”"


def test_a_low_comma_or_a_comma_after_a_glyph_stays():
    x = 20 + 5 * ADV
    low, ink = _page("做云计算。，", {})
    ink[12:38, x:x + ADV] = False
    ink[30:38, x + 4:x + 10] = True                         # a comma's ink, low
    assert quotes_read_as_commas([low], ink)[0] is low
    after, ink2 = _page("做云计算算，", {})                   # a comma after a Han glyph
    ink2[12:38, x:x + ADV] = False
    ink2[12:22, x + 4:x + 12] = True
    assert quotes_read_as_commas([after], ink2)[0] is after
    latin, ink4 = _page("abcd…,", {})                        # Latin text may set "…,"
    ink4[12:38, x:x + ADV] = False
    ink4[12:22, x + 4:x + 12] = True
    assert quotes_read_as_commas([latin], ink4)[0] is latin
    empty, ink3 = _page("做云计算。，", {})                   # no ink in the cell at all
    ink3[:, x:x + ADV] = False
    assert quotes_read_as_commas([empty], ink3)[0] is empty


# --------------------------------------------------------------------------- a dash read "一"

from broadsheet.ocr.marks import dashes_read_as_one  # noqa: E402


def _with_bar(text: str, i: int, y0: int, y1: int, x0: int = 2, x1: int = ADV - 2):
    """``_page(text)`` with cell ``i`` inked as one horizontal bar, rows ``y0:y1`` (the glyph
    rows are 12..38, their middle 25), columns ``x0:x1`` of the cell."""
    line, ink = _page(text, {})
    x = 20 + i * ADV
    ink[12:38, x + 3:x + ADV - 3] = False
    ink[y0:y1, x + x0:x + x1] = True
    return line, ink


def test_a_one_below_the_glyphs_middle_is_a_dash():
    # "项目招商一要素": the bar's middle at 0.62 of the glyph rows; the text keeps its length
    line, ink = _with_bar("项目招商一要素", 4, 27, 30)
    out, = dashes_read_as_one([line], ink)
    assert out.text == "项目招商—要素" and out.chars == line.chars
    # at the line's end too ("构建“项目招商一")
    end, ink2 = _with_bar("项目招商一", 4, 27, 30)
    assert dashes_read_as_one([end], ink2)[0].text == "项目招商—"


def test_a_han_one_on_the_glyphs_middle_stays():
    # "统一规划": the ideograph's bar on the middle (0.50), one advance wide
    line, ink = _with_bar("统一规划", 1, 23, 27)
    assert dashes_read_as_one([line], ink)[0] is line
    # a low bar that is no dash: a thick one, two advances wide (a rule under the cell's
    # neighbour too), or down at the baseline (an underline)
    thick, ink2 = _with_bar("统一规划", 1, 24, 34)
    assert dashes_read_as_one([thick], ink2)[0] is thick
    wide, ink3 = _with_bar("统一规划", 1, 27, 30, -ADV, ADV + 10)
    assert dashes_read_as_one([wide], ink3)[0] is wide
    under, ink4 = _with_bar("统一规划", 1, 35, 38)
    assert dashes_read_as_one([under], ink4)[0] is under


def test_run_ocr_reads_the_dash_with_marks_on_only():
    line, ink = _with_bar("项目招商一要素", 4, 27, 30)
    img = np.where(ink, 0, 255).astype(np.uint8)

    assert _read_with_marks(line, img) == ("项目招商—要素", "项目招商一要素")


# --------------------------------------------------------------------------- an opening quote before the box

from broadsheet.ocr.marks import line_start_quotes  # noqa: E402


def _start_page(text: str, marks: dict[str, tuple[int, int, int, int]], x_first: int = 80):
    """A Han line of ``text`` whose detector box starts at its first glyph (x ``x_first``), and
    its ink, plus ``marks``: name -> (x0, y0, x1, y1) of ink."""
    ink = np.zeros((60, 400), bool)
    boxes = []
    for i in range(len(text)):
        x = x_first + i * ADV
        boxes.append((float(x), 10.0, float(x + ADV), 40.0))
        ink[12:38, x + 3:x + ADV - 3] = True
    for x0, y0, x1, y1 in marks.values():
        ink[y0:y1, x0:x1] = True
    x1 = x_first + len(text) * ADV
    line = OcrLine(((float(x_first), 8.0), (float(x1), 8.0), (float(x1), 42.0), (float(x_first), 42.0)),
                   text, 0.9, tuple(boxes))
    return line, ink


def test_an_opening_quote_left_before_the_box_comes_back():
    # 24000721's scan: "“我们不会" read "我们不会", the "“" small and high just left of the box
    line, ink = _start_page("我们不会", {"“": (80 - 14, 12, 80 - 5, 22)})
    out, = line_start_quotes([line], ink)
    assert out.text == "“我们不会" and len(out.chars) == len(out.text)
    assert out.bbox[0] <= 80 - 14                       # the box grows over the mark
    # through run_ocr's marks step (on, off)
    assert _read_with_marks(line, np.where(ink, 0, 255).astype(np.uint8)) == (
        "“我们不会", "我们不会")


def test_ink_before_the_box_that_is_no_lost_opening_quote_is_left_alone():
    # a glyph's own stroke inside the detector's box (宁's 宀 hook, a paper column from the rest)
    hook, ink = _start_page("宁高新区", {})
    ink[12:38, 80 + 3:80 + ADV - 3] = False
    ink[14:24, 80 + 1:80 + 7] = True                   # the hook, inside the box
    ink[18:38, 80 + 10:80 + ADV - 3] = True
    assert line_start_quotes([hook], ink)[0] is hook
    # the previous column's last glyph across a gutter: tall, not a quote
    glyph, ink2 = _start_page("我们不会", {"glyph": (80 - 28, 12, 80 - 6, 38)})
    assert line_start_quotes([glyph], ink2)[0] is glyph
    # a low mark (a comma or full stop) is no opening quote
    low, ink3 = _start_page("我们不会", {"，": (80 - 12, 30, 80 - 5, 38)})
    assert line_start_quotes([low], ink3)[0] is low
    # another line's box covers the ink; a line that already opens with the quote
    quote, ink4 = _start_page("我们不会", {"“": (80 - 14, 12, 80 - 5, 22)})
    other = OcrLine(((20.0, 8.0), (78.0, 8.0), (78.0, 42.0), (20.0, 42.0)), "说：", 0.9, None)
    assert line_start_quotes([quote, other], ink4)[0] is quote
    opened = OcrLine(quote.polygon, "“们不会", 0.9, quote.chars)
    assert line_start_quotes([opened], ink4)[0] is opened


def test_a_single_opening_quote_comes_back_single_and_a_frame_edge_is_no_quote():
    # 24000720's scan: "‘面对面’" read "面对面’" — the mark a quarter advance wide at most
    single, ink = _start_page("面对面", {"‘": (80 - 9, 12, 80 - 5, 22)})
    assert line_start_quotes([single], ink)[0].text == "‘面对面"
    # 22000661's scan: a frame's double rule ending in the line's top rows, left of its box
    rule, ink2 = _start_page("基础配套", {"rule": (80 - 14, 0, 80 - 11, 22), "rule2": (80 - 8, 0, 80 - 5, 22)})
    assert line_start_quotes([rule], ink2)[0] is rule
