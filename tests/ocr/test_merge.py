"""Joining the pieces of a line the detector cut at wide letter or word spaces."""
import numpy as np

from broadsheet.ocr import OcrLine, join_row_pieces

H = 30  # px line height


def _box(x0, y0, x1, text):
    return OcrLine(((x0, y0), (x1, y0), (x1, y0 + H), (x0, y0 + H)), text, 0.99)


def _ink(img, x0, y0, x1):
    img[y0 + 4:y0 + H - 4, x0:x1] = 20  # text: dark strokes with 1 px of paper between them
    img[y0 + 4:y0 + H - 4, x0 + 2:x1:3] = 240


def _ink_lines(img, lines):
    """Each line's text drawn over its box (from its top, ``H`` px of strokes)."""
    for ln in lines:
        x0, y0, x1, _ = map(int, ln.bbox)
        _ink(img, x0, y0, x1)


def test_a_letter_spaced_cjk_line_is_one_line_again():
    # a column's last line "州　经　开　区" spread over the full width, under a full line
    img = np.full((200, 600), 240, np.uint8)
    full = _box(50, 40, 410, "见面招商卓有成效。赣")
    _ink(img, 50, 40, 410)
    pieces = [_box(50 + 107 * k, 80, 80 + 107 * k, c) for k, c in enumerate("州经开区")]
    for p in pieces:
        _ink(img, int(p.bbox[0]), 80, int(p.bbox[2]))
    out = join_row_pieces([full] + pieces, img)
    assert [ln.text for ln in out] == ["见面招商卓有成效。赣", "州经开区"]
    assert out[1].bbox == (50, 80, 401, 80 + H)


def test_latin_words_split_at_wide_spaces_get_a_space_and_keep_char_boxes():
    img = np.full((200, 600), 240, np.uint8)
    above = _box(40, 40, 440, "unterstützt die Pläne. Sie hofft,")
    _ink(img, 40, 40, 440)
    words = [(40, 100, "Die"), (140, 240, "Stadt"), (280, 330, "St."), (370, 440, "Gallen")]
    pieces = []
    for x0, x1, t in words:
        step = (x1 - x0) / len(t)
        chars = tuple((x0 + step * k, 80.0, x0 + step * (k + 1), 80.0 + H) for k in range(len(t)))
        pieces.append(OcrLine(((x0, 80), (x1, 80), (x1, 80 + H), (x0, 80 + H)), t, 0.99, chars))
        _ink(img, x0, 80, x1)
    out = join_row_pieces([above] + pieces, img)
    assert out[1].text == "Die Stadt St. Gallen"
    assert len(out[1].chars) == len(out[1].text)


def _two_columns(img, y0, rows, xs):
    """``rows`` lines of body text in two 180 px columns starting at ``xs``, inked into img."""
    lines = []
    for row in range(rows):
        y = y0 + 40 * row
        for x0 in xs:
            lines.append(_box(x0, y, x0 + 180, "正文正文正文"))
            _ink(img, x0, y, x0 + 180)
    return lines


def test_lines_facing_each_other_across_a_gutter_stay_apart():
    # two columns, each line 180 px wide, a 40 px white gutter: no line runs across it
    img = np.full((300, 600), 240, np.uint8)
    lines = _two_columns(img, 40, 4, (40, 260))
    out = join_row_pieces(lines, img)
    assert len(out) == len(lines)


def test_a_headline_over_both_columns_does_not_bridge_the_gutter():
    img = np.full((300, 600), 240, np.uint8)
    head = OcrLine(((40, 5), (480, 5), (480, 65), (40, 65)), "标题横跨两栏", 0.99)  # twice body size
    img[9:61, 40:480] = 20
    lines = [head] + _two_columns(img, 75, 3, (40, 300))
    out = join_row_pieces(lines, img)
    assert len(out) == len(lines)


def _tall(x0, y0, x1, text, hh=90):
    return OcrLine(((x0, y0), (x1, y0), (x1, y0 + hh), (x0, y0 + hh)), text, 0.99)


def test_a_headline_cut_at_its_quote_mark_is_one_line_again():
    """Big type: the detector ends "招大引强交出" before the quote's little ink; nothing of text
    size bridges a headline, the quote next to the 17 px letter space decides. Two headlines
    side by side 40 px apart, or a gap without a quote, stay apart."""
    img = np.full((600, 1600), 240, np.uint8)
    body = [_box(50, 200 + 40 * k, 1500, "正文" * 10) for k in range(3)]
    for ln in body:
        _ink(img, 50, int(ln.bbox[1]), 1500)
    left, right = _tall(100, 60, 596, "招大引强交出"), _tall(613, 60, 1060, "“硬核”答卷")
    out = join_row_pieces([left, right, *body], img)
    assert out[0].text == "招大引强交出“硬核”答卷" and len(out) == 4
    other = _tall(1100, 60, 1500, "定制服务")
    out = join_row_pieces([_tall(100, 60, 1060, "招大引强交出“硬核”"), other, *body], img)
    assert len(out) == 5                           # 40 px: a gap between two headlines
    out = join_row_pieces([left, _tall(613, 60, 1060, "硬核答卷"), *body], img)
    assert len(out) == 5                           # no quote at the cut


def test_three_characters_spread_over_a_column_are_one_line():
    # "们　　　不　　　会": a column's last line before a break, its gaps 4.5 em wide
    img = np.full((300, 600), 240, np.uint8)
    column = [_box(50, 40 * k, 410, "降低了企业成本，提振了企业") for k in range(1, 5)]
    for k in range(1, 5):
        _ink(img, 50, 40 * k, 410)
    pieces = [_box(50 + 165 * k, 200, 80 + 165 * k, c) for k, c in enumerate("们不会")]
    for p in pieces:
        _ink(img, int(p.bbox[0]), 200, int(p.bbox[2]))
    out = join_row_pieces(column + pieces, img)
    assert [ln.text for ln in out][-1] == "们不会" and len(out) == 5
    # a line read across two columns (twice the usual width) bridges no such gap
    img[120:190] = 240
    wide = [*column[:2], _box(50, 160, 410 + 360, "降低了企业成本，提振了企业" * 2)]
    _ink(img, 50, 160, 410 + 190)
    out = join_row_pieces(wide + pieces, img)
    assert len(out) == 6


def test_a_byline_label_takes_the_names_the_detector_cut_off():
    # "本报记者" | "张建军 通讯员 方斌": alone between headline and story, nothing bridges the gap
    img = np.full((200, 600), 240, np.uint8)
    label, names = _box(50, 40, 170, "本报记者"), _box(182, 40, 480, "张建军通讯员方斌")
    _ink(img, 50, 40, 170)
    _ink(img, 182, 40, 480)
    out = join_row_pieces([label, names, _box(50, 120, 480, "正文")], img)
    assert [ln.text for ln in out] == ["本报记者张建军通讯员方斌", "正文"]
    # any other short piece stays apart at the same gap (it may face another column's line)
    out = join_row_pieces([_box(50, 40, 170, "机器人"), names, _box(50, 120, 480, "正文")], img)
    assert len(out) == 3


def _glyphs(img, xs, y0, h=30, w=27):
    """Solid CJK-sized glyph blocks at ``xs`` on the row at ``y0``; their boxes."""
    for x in xs:
        img[y0 + 3 : y0 + h - 3, x : x + w] = 20
    return [(float(x), float(y0), float(x + w), float(y0 + h)) for x in xs]


def _piece(boxes, text):
    x0, y0, x1, y1 = boxes[0][0], boxes[0][1], boxes[-1][2], boxes[-1][3]
    return OcrLine(((x0, y0), (x1, y0), (x1, y1), (x0, y1)), text, 0.99, tuple(boxes))


def test_pieces_the_splitter_cut_at_a_gutter_stay_apart_over_a_kicker():
    """"…机械股份" | "墨森一扫…": the last row of two columns 20 px apart, over a kicker that
    runs across both. The kicker is near text size and spans both pieces, and its strokes ink the
    gutter below, so over both sides together the gap looked bridged and inked through; the
    column lines above show the clear gutter, which is where the splitter cut."""
    img = np.full((300, 600), 240, np.uint8)
    col_a = [10 + 29 * i for i in range(8)]                # ends at 240
    col_b = [260 + 29 * i for i in range(8)]               # a 20 px gutter
    lines = []
    for y in (40, 75):
        lines += [_piece(_glyphs(img, col_a, y), "正文正文正文正文"), _piece(_glyphs(img, col_b, y), "正文正文正文正文")]
    left, right = _piece(_glyphs(img, col_a, 110), "机械股份机械股份"), _piece(_glyphs(img, col_b, 110), "墨森一扫墨森一扫")
    for x in range(10, 500, 6):                            # the kicker's strokes, 40 px type
        img[153:187, x : x + 4] = 20
    kicker = OcrLine(((10, 150), (500, 150), (500, 190), (10, 190)), "广东肇庆高新区构建闭环", 0.99)
    out = join_row_pieces([*lines, left, right, kicker], img)
    assert [ln.text for ln in out] == [ln.text for ln in [*lines, left, right, kicker]]
    # the same row with no gutter above (ink right through it) is one line again
    img[40:105, 240:260] = 20
    out = join_row_pieces([*lines, left, right, kicker], img)
    assert "机械股份机械股份墨森一扫墨森一扫" in [ln.text for ln in out]


def test_a_byline_cut_at_a_word_space_over_a_gutter_is_one_line():
    """A byline's word space may line up with the gutter of the columns under it, and the
    splitter cuts it there: "本报记者张建军" | "通讯员方斌吴君" (its next label and names), or
    "本报记者王金虎通讯员" | "绪言" (a label's names). A piece that does not open a byline
    takes no label after it."""
    img = np.full((200, 600), 240, np.uint8)
    body = _box(50, 120, 480, "正文")
    for left, right in (("本报记者张建军", "通讯员方斌吴君"), ("本报记者王金虎通讯员", "绪言")):
        a, b = _box(50, 40, 250, left), _box(262, 40, 480, right)
        _ink(img, 50, 40, 250)
        _ink(img, 262, 40, 480)
        assert [ln.text for ln in join_row_pieces([a, b, body], img)] == [left + right, "正文"]
    out = join_row_pieces([_box(50, 40, 250, "机器人小镇"), _box(262, 40, 480, "通讯员方斌吴君"), body], img)
    assert len(out) == 3


def test_a_byline_takes_its_last_name_cut_off_at_a_word_space():
    """"本报记者 张建军 通讯员 方斌" | "吴君" 11 px apart (seed-plain 800024): the name left alone
    became a block that the stitcher chained into another story. A long piece (a column's line
    beside the byline) is no name and stays apart."""
    img = np.full((200, 600), 240, np.uint8)
    body = _box(50, 120, 480, "正文")
    a, b = _box(50, 40, 400, "本报记者张建军通讯员方斌"), _box(411, 40, 470, "吴君")
    _ink(img, 50, 40, 400)
    _ink(img, 411, 40, 470)
    assert [ln.text for ln in join_row_pieces([a, b, body], img)] == ["本报记者张建军通讯员方斌吴君", "正文"]
    c = _box(411, 40, 590, "莱尼电气系统有限公司")
    assert len(join_row_pieces([a, c, body], img)) == 3


def test_headline_pieces_whose_boxes_overlap_past_the_quote_are_one_line():
    """"招大引强交出" | "“硬核”答卷" at 108 px: the left box runs on 61 px over the quote's
    little ink into the right one."""
    img = np.full((600, 1600), 240, np.uint8)
    body = [_box(50, 250 + 40 * k, 1500, "正文" * 10) for k in range(3)]
    for ln in body:
        _ink(img, 50, int(ln.bbox[1]), 1500)
    left, right = _tall(100, 60, 661, "招大引强交出", hh=108), _tall(600, 60, 1200, "“硬核”答卷", hh=108)
    out = join_row_pieces([left, right, *body], img)
    assert out[0].text == "招大引强交出“硬核”答卷" and len(out) == 4


def _latin_piece(x0, x1, y0, t):
    step = (x1 - x0) / len(t)
    chars = tuple((x0 + step * k, float(y0), x0 + step * (k + 1), float(y0 + H)) for k in range(len(t)))
    return OcrLine(((x0, y0), (x1, y0), (x1, y0 + H), (x0, y0 + H)), t, 0.99, chars)


def test_latin_pieces_a_word_space_apart_are_one_line():
    """The detector cut a justified line at a word space whose padded boxes leave only 6 px
    (0.2·h) between them ("Für die Berufsfischer" | "am"); the line above runs the length of
    both and inks the gap, so they are one line, as a wider space would be."""
    img = np.full((200, 600), 240, np.uint8)
    above = _box(40, 40, 440, "schlechteste Jahr seit Beginn")
    _ink(img, 40, 40, 440)
    left, right = _latin_piece(40, 374, 80, "Für die Berufsfischer"), _latin_piece(380, 440, 80, "am")
    for p in (left, right):
        _ink(img, int(p.bbox[0]), 80, int(p.bbox[2]))
    out = join_row_pieces([above, left, right], img)
    assert [ln.text for ln in out] == ["schlechteste Jahr seit Beginn", "Für die Berufsfischer am"]


def test_two_latin_words_spread_over_a_column_are_one_line():
    """A justified line of two words ("Restauratorinnen," ... "wie") leaves about 4·h between
    them; lines of the same column above and below bridge it, so it is one line."""
    img = np.full((240, 600), 240, np.uint8)
    column = [_box(40, y, 560, t) for y, t in ((0, "Das Schaulager ist von"), (40, "Mittwoch bis Sonntag geöffnet."),
                                               (120, "empfindliche Federn und"), (160, "Textilien vor Licht"))]
    left, right = _latin_piece(40, 330, 80, "Restauratorinnen,"), _latin_piece(450, 560, 80, "wie")
    _ink_lines(img, [*column, left, right])
    out = join_row_pieces([*column[:2], left, right, *column[2:]], img)
    assert [ln.text for ln in out][2] == "Restauratorinnen, wie"
    assert len(out) == 5


def test_latin_lines_facing_each_other_across_a_narrow_gutter_stay_apart():
    """Latin pieces may be joined across any word space now, but not across a gutter: no line
    of text size runs the length of both, and the paper between the columns is clear."""
    img = np.full((300, 600), 240, np.uint8)
    lines = []
    for row in range(4):
        y = 40 + 40 * row
        for x0, x1 in ((40, 290), (300, 560)):  # a 10 px gutter (0.33·h)
            lines.append(_latin_piece(x0, x1, y, "words of one column"))
            _ink(img, x0, y, x1)
    out = join_row_pieces(lines, img)
    assert len(out) == len(lines)


def _headline_page():
    img = np.full((800, 1600), 240, np.uint8)
    body = [_box(50, 250 + 40 * k, 1500, "正文" * 10) for k in range(12)]
    for ln in body:
        _ink(img, 50, int(ln.bbox[1]), 1500)
    return img, body


def test_a_headline_in_pieces_at_a_stray_quote_and_an_overlap_is_one_line():
    """"引资" | "66" | "一产" | "一链”" | "“一企一策”": the opening quote read as a scrap of its own
    joins "一产" before the pieces are joined, so the quote join sees it; "一产" and "一链”",
    whose boxes overlap, are one line at a junction without a quote."""
    img, body = _headline_page()
    pieces = [_tall(100, 60, 330, "引资", hh=110), _tall(350, 62, 412, "66", hh=52),
              _tall(395, 66, 608, "一产", hh=100), _tall(590, 60, 857, "一链”", hh=110),
              _tall(890, 60, 1440, "“一企一策”", hh=110)]
    for p in pieces:
        x0, y0, x1, y1 = map(int, p.bbox)
        img[y0 + 5:y1 - 5, x0 + 5:x1 - 5:4] = 20        # the glyphs' strokes
    out = join_row_pieces([*pieces, *body], img)
    assert out[0].text == "引资“一产一链”“一企一策”" and len(out) == 13


def test_two_headlines_whose_boxes_overlap_across_a_gutter_stay_apart():
    """The outline grows a headline's box past its ink: "…答卷" | "定制服务…" side by side
    overlap by 20 px with 40 px of paper between their glyphs."""
    img, body = _headline_page()
    left, right = _tall(100, 60, 700, "招大引强交出答卷", hh=110), _tall(680, 60, 1200, "定制服务", hh=110)
    img[65:165, 105:690:4] = 20
    img[65:165, 730:1195:4] = 20
    assert len(join_row_pieces([left, right, *body], img)) == 14
    img[65:165, 690:730:4] = 20                        # set solid: one line
    assert join_row_pieces([left, right, *body], img)[0].text == "招大引强交出答卷定制服务"


def test_a_headline_cut_at_a_quote_mark_nobody_read_is_one_line_with_it():
    """"引资" | "一产一链”" 70 px apart at 90 px type: the gap holds the “'s ink, high in the
    row, and the joined line gets it back; a glyph's stroke at half height there ("一"), or
    white, keeps the pieces apart."""
    img, body = _headline_page()
    left, right = _tall(100, 60, 280, "引资"), _tall(350, 60, 720, "一产一链”")
    for x0, x1 in ((100, 280), (350, 720)):
        img[65:145, x0:x1:4] = 20                      # the glyphs' strokes, full height
    out = join_row_pieces([left, right, *body], img)
    assert len(out) == 14                               # white gap: two headlines
    quoted = img.copy()
    quoted[70:86, 305:312] = 20                        # “ : two little strokes, high
    quoted[70:86, 322:329] = 20
    out = join_row_pieces([left, right, *body], quoted)
    assert out[0].text == "引资“一产一链”" and len(out) == 13
    stroke = img.copy()
    stroke[100:106, 300:335] = 20                      # "一" at half height
    assert len(join_row_pieces([left, right, *body], stroke)) == 14


def test_a_headline_cut_where_its_quote_meets_a_lost_one_is_one_line_with_it():
    """"引资“一产一链”" | "一企一策”" 100 px apart at 100 px type: past the 0.8·h of a lost
    mark alone (the ” read and its blank half-cell, then the “ nobody read). The gap holds the
    “'s strokes, high, at its right end; the read ”'s strokes spill 8 px past the left box, and
    the foot of the line above lies in the top of the boxes. The joined line gets the “ back;
    a white gap, or a ” where the “ belongs, keeps the pieces apart."""
    img, body = _headline_page()
    left, right = _tall(100, 60, 520, "引资“一产一链”", hh=100), _tall(620, 60, 900, "一企一策”", hh=100)
    img[68:150, 105:470:4] = 20                         # the glyphs' strokes, full height
    img[68:150, 625:895:4] = 20
    img[70:92, 480:486] = 20                            # the read ”, its second stroke past the box
    img[70:92, 494:528] = 20
    img[60:63, 100:900:5] = 20                          # the foot of the line above
    out = join_row_pieces([left, right, *body], img)
    assert len(out) == 14                               # no lost mark: two headlines
    closing = img.copy()
    closing[70:92, 540:548] = 20                        # a ” by the left piece: not the pair's mark
    assert len(join_row_pieces([left, right, *body], closing)) == 14
    quoted = img.copy()
    quoted[70:92, 592:599] = 20                         # the lost “, by the glyph it opens
    quoted[70:92, 606:613] = 20
    out = join_row_pieces([left, right, *body], quoted)
    assert out[0].text == "引资“一产一链”“一企一策”" and len(out) == 13


def test_latin_pieces_over_a_river_of_word_spaces_are_one_line():
    """A justified line cut at a wide word space ("Unterführung" ... "liegt,"), where the word
    spaces of the lines just above and below line up into a river running clear through the
    gap: the column's lines bridge it and the lines two rows away ink it, so it is one line (a
    gutter runs clear through every line)."""
    img = np.full((400, 600), 240, np.uint8)
    column = [_box(40, 40 * k, 560, "seit dreissig Jahren in der") for k in (1, 2, 4, 5)]
    left, right = _latin_piece(40, 260, 120, "Unterführung"), _latin_piece(360, 560, 120, "liegt,")
    _ink_lines(img, [*column, left, right])
    for y in (80, 160):  # the word spaces over and under the gap, 20 px clear (0.67·h)
        img[y:y + H, 300:320] = 240
    out = join_row_pieces([*column[:2], left, right, *column[2:]], img)
    assert [ln.text for ln in out][2] == "Unterführung liegt,"
    assert len(out) == 5


def test_cjk_pieces_a_letter_space_apart_that_the_column_runs_across_are_one_line():
    """"的投资" | "直到2025年都会持续增": a justified line's letter space of 0.27·h, cut by the
    splitter over a comma's blank half-cell; the column's lines above and below run on across
    the junction, which a gutter's never do."""
    img = np.full((300, 600), 240, np.uint8)
    col = [10 + 29 * i for i in range(14)]                 # one column, 10 … 413
    above = _piece(_glyphs(img, col, 40), "放缓在中国的投资集团对济宁工")
    below = _piece(_glyphs(img, col, 120), "据了解作为济宁市外资企业的窗")
    left = _piece(_glyphs(img, [10 + 30 * i for i in range(3)], 80), "的投资")   # ends at 97
    right = _piece(_glyphs(img, [105 + 30 * i for i in range(10)], 80), "直到二〇二五年都会持")
    out = join_row_pieces([above, left, right, below], img)
    assert [ln.text for ln in out] == [above.text, "的投资直到二〇二五年都会持", below.text]
    # the same pieces under lines the detector ran across a gutter there (a wide gap between
    # their glyphs over the junction) stay apart
    cut = [x for x in col if not 90 <= x <= 105]
    img2 = np.full((300, 600), 240, np.uint8)
    above2, below2 = _piece(_glyphs(img2, cut, 40), "放缓在中国的投资集团对济宁"), _piece(_glyphs(img2, cut, 120), "据了解作为济宁市外资企业的")
    out = join_row_pieces([above2, left, right, below2], img2)
    assert len(out) == 4


def test_cjk_lines_facing_each_other_across_a_narrow_gutter_stay_apart():
    """Two columns 10 px (0.33·h) apart: the lines above and below stop at the gutter too."""
    img = np.full((300, 600), 240, np.uint8)
    col_a = [10 + 29 * i for i in range(8)]                # ends at 240
    col_b = [250 + 29 * i for i in range(8)]
    lines = []
    for y in (40, 80, 120):
        lines += [_piece(_glyphs(img, col_a, y), "正文正文正文正文"), _piece(_glyphs(img, col_b, y), "墨森一扫墨森一扫")]
    out = join_row_pieces(lines, img)
    assert [ln.text for ln in out] == [ln.text for ln in lines]


def test_latin_pieces_whose_boxes_overlap_across_a_gutter_stay_apart():
    """A line the detector read across a 15 px gutter and nobody cut runs the length of both
    columns; on the row below, the left piece's box runs on 22 px past the gutter into the
    next column's first letters ("…in der Aare" | "informieren…", boxes 12 px over each other).
    The paper between the pieces' own glyphs is the gap, and the lines above and below leave it
    clear: the pieces stay apart."""
    img = np.full((300, 600), 240, np.uint8)
    across = _latin_piece(40, 560, 40, "Rettungseinsät-zusätzliche Ausstiegsleitern")
    _ink(img, 40, 40, 290)
    _ink(img, 305, 40, 560)
    left, right = _latin_piece(40, 312, 80, "Bern das Schwimmen in der Aare"), _latin_piece(300, 560, 80, "informieren neue")
    _ink(img, 40, 80, 290)
    _ink(img, 305, 80, 560)
    below = []
    for y in (120, 160):
        below += [_latin_piece(40, 290, y, "words of one column"), _latin_piece(305, 560, y, "words of the next")]
        _ink(img, 40, y, 290)
        _ink(img, 305, y, 560)
    out = join_row_pieces([across, left, right, *below], img)
    assert [ln.text for ln in out][1:3] == ["Bern das Schwimmen in der Aare", "informieren neue"]
    assert len(out) == 7


def _indent_page(left_of_indent: bool):
    """A column (10 … 413) whose row at y=40 is a paragraph's first line indented two cells (or,
    with ``left_of_indent``, a line ending at the indent beside it: two columns), the pieces
    "线，" | "“手把手…" 10 px (0.33·h) apart at y=80, right under its start, and column lines
    from y=120 on set solid across the junction."""
    img = np.full((300, 600), 240, np.uint8)
    col = [10 + 29 * i for i in range(14)]
    lines = [_piece(_glyphs(img, col[2:], 40), "以此为契机北京经开区正在")]
    if left_of_indent:
        lines.append(_piece(_glyphs(img, col[:2], 40), "正文"))
    left = _piece(_glyphs(img, [10, 39], 80), "线，")                          # ends at 66
    right = _piece(_glyphs(img, [76 + 29 * i for i in range(10)], 80), "“手把手”指导点对点服")
    below = [_piece(_glyphs(img, col, y), "点服务帮助企业协调解决各类事") for y in (120, 160, 200)]
    return img, [*lines, left, right, *below]


def test_cjk_pieces_under_a_paragraphs_indent_are_one_line():
    """"线，" | "“手把手”指导、“点对": the two marks' blank half-cells leave a 0.43·h gap two cells
    into the column, right under the next paragraph's indented first line, which starts there
    with paper before it — an indent, not a gutter's edge; the line below runs across."""
    img, lines = _indent_page(False)
    out = join_row_pieces(lines, img)
    assert "线，“手把手”指导点对点服" in [ln.text for ln in out]


def test_cjk_pieces_under_a_line_starting_beside_another_stay_apart():
    """The same pieces where the line above starts at the junction beside a line that ends there
    (two columns on that row): a gutter's edge, and the pieces stay apart."""
    img, lines = _indent_page(True)
    out = join_row_pieces(lines, img)
    assert "线，" in [ln.text for ln in out]


def test_cjk_pieces_beside_a_letter_spaced_line_are_one_line():
    """"资金178.92亿元。" | "“不": the line below is a title letter-spaced over its column
    ("州" … "开" | "区"), whose single-glyph pieces end and start at the junction; they are no
    gutter's edges, and the line above runs across."""
    img = np.full((500, 600), 240, np.uint8)
    col = [10 + 29 * i for i in range(14)]
    above = _piece(_glyphs(img, col, 40), "亩确保一批见效快效益好的项目")
    left = _piece(_glyphs(img, [10 + 29 * i for i in range(7)], 80), "资金一七八亿元")  # ends at 211
    right = _piece(_glyphs(img, [221, 250], 80), "“不")
    spread = [_piece(_glyphs(img, [x], 120), t) for x, t in ((10, "州"), (100, "经"), (184, "开"), (221, "区"))]
    rest = [_piece(_glyphs(img, col, y), "项目落地见效政策兑现到位企业") for y in range(160, 450, 40)]
    out = join_row_pieces([above, left, right, *spread, *rest], img)
    assert "资金一七八亿元“不" in [ln.text for ln in out]


def _caption_over_columns(rule: bool):
    """A caption (or, with ``rule``, a story's last column line under a rule) running over two
    columns, then paper, then a row of two columns: a column's first line and the next column's
    short last line, 20 px of gutter apart ("Le Conseil communal de" | "2032.")."""
    img = np.full((300, 700), 240, np.uint8)
    over = _box(40, 20, 600, "La station Croisettes, terminus actuel de la ligne m2.")
    _ink(img, 40, 20, 600)
    if rule:
        img[62:66, 40:600] = 20
    left, right = _latin_piece(40, 300, 80, "Le Conseil communal de"), _latin_piece(320, 390, 80, "2032.")
    below = [_latin_piece(40, 300, 120, "Lausanne a approuvé"), _latin_piece(320, 600, 120, "Le municipal des")]
    _ink_lines(img, [left, right, *below])
    return img, [over, left, right, *below]


def test_a_caption_beyond_blank_paper_does_not_bridge_a_gutter():
    """The caption runs the length of both pieces and inks the gap's column above them, but it
    is another block: blank paper (or a rule) lies between it and the pieces' row."""
    for rule in (False, True):
        img, lines = _caption_over_columns(rule)
        out = join_row_pieces(lines, img)
        assert [ln.text for ln in out][1:3] == ["Le Conseil communal de", "2032."], rule


def test_pieces_bridged_by_the_next_line_of_their_column_still_join():
    """The same test leaves a column's line and its bridge a leading apart alone."""
    img = np.full((240, 600), 240, np.uint8)
    above = _box(40, 50, 440, "schlechteste Jahr seit Beginn")
    _ink(img, 40, 50, 440)
    left, right = _latin_piece(40, 300, 80, "Für die Berufsfischer"), _latin_piece(340, 440, 80, "am")
    _ink_lines(img, [left, right])
    out = join_row_pieces([above, left, right], img)
    assert [ln.text for ln in out] == ["schlechteste Jahr seit Beginn", "Für die Berufsfischer am"]


def _byline_over_gutter(byline_y: int):
    """A byline (a short line, 200–420) centred over a story's two columns (40–300, 320–580)
    at ``byline_y``, over the columns' first row: "Noch nie haben so" | "viele" in column one,
    the detector's pieces, and "liothek" starting column two 10 px of box gap later; below,
    two rows of both columns with the gutter clear between them."""
    img = np.full((260, 640), 240, np.uint8)
    byline = _box(200, byline_y, 420, "Von Martina Eugster")
    row = [_latin_piece(40, 225, 80, "Noch nie haben so"), _latin_piece(240, 300, 80, "viele"),
           _latin_piece(310, 380, 80, "liothek")]
    below = [_latin_piece(x0, x1, y, t) for y in (120, 160)
             for x0, x1, t in ((40, 300, "Menschen den barocken Saal"), (320, 580, "fenster mit einer begrenzten"))]
    _ink_lines(img, [byline, *row, *below])
    return img, [byline, *row, *below]


def test_a_byline_beyond_blank_paper_does_not_bridge_the_gutter_under_it():
    """de 154: "Noch nie haben so viele" | "liothek prüft deshalb Zeit-" was joined across
    the gutter: the story's byline, centred over its two columns, runs the length of "viele"
    and "liothek" and inks the gap's columns above them. A short line is a column's line to
    the joiner, but one parted from the row by blank paper belongs to another block."""
    img, lines = _byline_over_gutter(20)   # 30 px (1·h) of paper under the byline
    out = [ln.text for ln in join_row_pieces(lines, img)]
    assert out[1:3] == ["Noch nie haben so viele", "liothek"]


def test_a_short_line_a_leading_above_still_bridges_pieces():
    """The same short line right above the row (2 px of paper) is a line of the pieces' own
    block and bridges their gap as before; so does one beyond paper when no two lines face
    each other across the gap on the row's other side (a subhead over its paragraph's line,
    "Visitors can look" | "closer")."""
    img, lines = _byline_over_gutter(48)
    out = [ln.text for ln in join_row_pieces(lines, img)]
    assert out[1] == "Noch nie haben so viele liothek"
    img = np.full((220, 640), 240, np.uint8)
    head = [_latin_piece(40, 300, 40, "Visitors can look"), _latin_piece(310, 380, 40, "closer")]
    para = [_box(40, y, 400, "A new gallery allows visitors to") for y in (100, 140)]
    _ink_lines(img, [*head, *para])
    assert [ln.text for ln in join_row_pieces([*head, *para], img)][0] == "Visitors can look closer"


def _column_foot(far_gap: int):
    """A column's foot (40–560, lines 32 px apart): a full line, a paragraph's short last line
    ("Betrag."), the next paragraph's indented first line, then two rows the detector cut at
    wide word spaces ("fliesst ins" | "Netz der", "Gemeinde." | "Im Winter,"). ``far_gap``
    px of extra paper under the full line. Six more full lines far below set the page's usual
    line width to the column's."""
    img = np.full((700, 600), 240, np.uint8)
    full = _box(40, 0, 560, "Käsermeister Ruedi Stalder")
    top = 32 + far_gap
    rows = [_latin_piece(40, 140, top, "Betrag."), _latin_piece(80, 560, top + 32, "Überschüssiger Strom"),
            _latin_piece(40, 250, top + 64, "fliesst ins"), _latin_piece(380, 560, top + 64, "Netz der"),
            _latin_piece(40, 200, top + 96, "Gemeinde."), _latin_piece(330, 560, top + 96, "Im Winter,")]
    filler = [_box(40, y, 560, "words of one column") for y in range(420, 640, 32)]
    lines = [full, *rows, *filler]
    _ink_lines(img, lines)
    return img, lines


def test_latin_pieces_at_a_column_foot_are_bridged_by_a_line_further_up():
    """de 19000574: the rows next to "fliesst ins" | "Netz der" are a short last line, an
    indented first line and pieces themselves, so no line of the column runs the length of
    both within ``reach``; the column's full line three rows up does, with the rows between
    set a leading apart. Both rows are one line each again (the second once the first is)."""
    img, lines = _column_foot(0)
    out = [ln.text for ln in join_row_pieces(lines, img)]
    assert "fliesst ins Netz der" in out and "Gemeinde. Im Winter," in out


def test_a_line_further_up_beyond_blank_paper_bridges_nothing():
    """The same full line with a blank line's paper under it belongs to another block (a
    caption, a story above): the pieces stay apart."""
    img, lines = _column_foot(20)
    out = [ln.text for ln in join_row_pieces(lines, img)]
    assert "fliesst ins" in out and "Netz der" in out


def _short_word_row(hr: int):
    """A justified row: "aus" boxed ``hr`` px tall (x-height letters only) beside "Romanshorn
    fährt" at 30 px, under a line of the column that runs the length of both."""
    img = np.full((200, 600), 240, np.uint8)
    above = _box(40, 40, 560, "als sechshundert Tonnen. Heute")
    y = 80 + (H - hr) // 2
    left = OcrLine(((40, y), (110, y), (110, y + hr), (40, y + hr)), "aus", 0.99)
    right = _latin_piece(150, 560, 80, "Romanshorn fährt")
    _ink(img, 40, 40, 560)
    img[y + 4:y + hr - 4, 40:110] = 20
    _ink(img, 150, 80, 560)
    return img, [above, left, right]


def test_a_short_latin_word_boxed_smaller_joins_its_row():
    """de 19000571: the detector boxes a word of x-height letters smaller ("aus" 35 px beside
    "Romanshorn" 47 px, 0.26 apart): still one row of body type."""
    img, lines = _short_word_row(22)
    out = [ln.text for ln in join_row_pieces(lines, img)]
    assert out[1] == "aus Romanshorn fährt"


def test_a_latin_piece_of_another_size_stays_apart():
    """A piece a third smaller (a kicker's or a credit's type beside body) does not."""
    img, lines = _short_word_row(19)
    out = [ln.text for ln in join_row_pieces(lines, img)]
    assert out[1:] == ["aus", "Romanshorn fährt"]


def test_latin_pieces_whose_boxes_overlap_by_most_of_a_height_are_one_line():
    """de 19000570: the outline ran "beherrsche," on 23 px (half its 46 px height) into the
    box of "habe heute beste"; the paper between their glyphs is a word space, bridged by the
    column's line above."""
    img = np.full((200, 600), 240, np.uint8)
    above = _box(40, 40, 560, "Fachkraft. Wer das Handwerk")
    left, right = _latin_piece(40, 240, 80, "beherrsche,"), _latin_piece(220, 560, 80, "habe heute beste")
    _ink(img, 40, 40, 560)
    _ink(img, 40, 80, 200)
    _ink(img, 235, 80, 560)
    out = [ln.text for ln in join_row_pieces([above, left, right], img)]
    assert out == ["Fachkraft. Wer das Handwerk", "beherrsche, habe heute beste"]


def _padded_word_row(pad: int):
    """Column two's row "das" | "Museum zudem" (320–580) beside column one's line (40–300,
    ending with ink at its right edge), under and over lines of column two. The outline
    pads "das"'s box ``pad`` px left of its first letter, into the 20 px gutter."""
    img = np.full((240, 640), 240, np.uint8)
    col2 = [_latin_piece(320, 580, y, "sen aus der Region bietet") for y in (40, 120)]
    left = _latin_piece(320, 380, 80, "das")
    left = OcrLine(((320 - pad, 80), (380, 80), (380, 80 + H), (320 - pad, 80 + H)), "das", 0.99, left.chars)
    right = _latin_piece(430, 580, 80, "Museum zudem")
    col1 = [_latin_piece(40, 300, y, "words of column one") for y in (40, 80, 120)]
    _ink_lines(img, [*col1, *col2, right])
    _ink(img, 320, 80, 380)
    return img, [*col1, *col2, left, right]


def test_a_word_boxed_into_the_gutter_is_measured_by_its_letters():
    """de 15000452: "das" was boxed from 32 px left of its column's lines, so none of them ran
    the length of "das" | "Museum zudem" and the row stayed in two blocks. Its first letter's
    box starts at the column's edge: the lines above and below bridge the pieces."""
    img, lines = _padded_word_row(34)
    out = [ln.text for ln in join_row_pieces(lines, img)]
    assert "das Museum zudem" in out


def test_a_piece_reaching_past_the_column_by_its_letters_is_not_bridged():
    """A piece whose letters do start 34 px left of the column's lines (its own box, letter by
    letter) is no piece of their column."""
    img, lines = _padded_word_row(34)
    k = next(n for n, ln in enumerate(lines) if ln.text == "das")
    lines[k] = _latin_piece(286, 380, 80, "das")
    out = [ln.text for ln in join_row_pieces(lines, img)]
    assert "das" in out and "Museum zudem" in out


def _tall_box_row(ink_rows: int, pad: int = 8):
    """A justified row "jekt" | "geprüft:" | "Mit" under a line of the column that runs the
    length of all three. "geprüft:"'s box is padded ``pad`` px of paper above and below
    (taller by more than ``size_tol_latin``), with the line above's descenders in its top;
    its letters (ascenders and descenders) ink ``ink_rows`` rows about the row's middle. The
    other pieces ink as their letters reach: "jekt" 22 rows, "Mit" (no descender) 17."""
    img = np.full((200, 600), 240, np.uint8)
    above = _box(40, 30, 560, "Das vorliegende Pro-")
    _ink(img, 40, 30, 560)
    img[62:64, 40:560:7] = 20  # the line above's descenders, reaching into the padded box
    left, mid, right = _latin_piece(40, 130, 80, "jekt"), _latin_piece(200, 380, 80, "geprüft:"), _latin_piece(470, 560, 80, "Mit")
    mid = OcrLine(((200, 80 - pad), (380, 80 - pad), (380, 80 + H + pad), (200, 80 + H + pad)), mid.text, 0.99, mid.chars)
    img[84:106, 40:130] = 20
    y0 = 84 + (22 - ink_rows) // 2
    img[y0:y0 + ink_rows, 200:380] = 20
    img[84:101, 470:560] = 20
    img[:, 42:560:3] = 240  # letter spaces
    return img, [above, left, mid, right]


def test_a_word_boxed_taller_than_its_row_is_measured_by_its_letters_ink():
    """s11 de 1100035: the detector boxed "geprüft:" 62 px tall in a 44 px row of body type
    (0.29 taller than "jekt", 0.37 than "Mit"); its letters' ink is as tall as theirs, once
    "Mit"'s missing descender is allowed for, so the row is one line."""
    img, lines = _tall_box_row(22)
    out = [ln.text for ln in join_row_pieces(lines, img)]
    assert out == ["Das vorliegende Pro-", "jekt geprüft: Mit"]


def test_a_tall_box_over_smaller_letters_stays_apart():
    """The same box over letters a third smaller (a credit's type) is another size."""
    img, lines = _tall_box_row(14)
    out = [ln.text for ln in join_row_pieces(lines, img)]
    assert "geprüft:" in out and "jekt" in out and "Mit" in out


def test_letters_reach_and_ink_type_height():
    """A word's type height is its ink's run over the share of the type its letters reach;
    paper in the box stops the run, and an accented capital's reach is not known."""
    from broadsheet.ocr.merge import _ink_type_height, _letters_reach
    assert _letters_reach("aus") == 0.56 and _letters_reach("Mit") == 0.78
    assert _letters_reach("geprüft:") == 1.0 and _letters_reach("gar") == 0.75
    assert np.isnan(_letters_reach("Über")) and np.isnan(_letters_reach("中文"))
    assert np.isnan(_letters_reach(" ")) and np.isnan(_letters_reach(""))
    # the shared table (`broadsheet.ink_reach`): i's dot and é's accent rise, j also falls,
    # « » stay in the x-height
    assert _letters_reach("ein") == _letters_reach("été") == 0.78 and _letters_reach("je") == 1.0
    assert _letters_reach("«so»") == 0.56
    img, lines = _tall_box_row(22)
    ink = img < 128
    assert _ink_type_height(lines[2], ink) == 22.0
    assert abs(_ink_type_height(lines[3], ink) - 17 / 0.78) < 1e-9


def _column_top_row(river_lines: int):
    """A column's first row cut at a wide word space ("verarbeitet täglich" | "rund 6000"),
    paper above it, five lines of the column below; the word spaces of the first
    ``river_lines`` of them line up under the gap, 20 px clear (0.67·h)."""
    img = np.full((400, 600), 240, np.uint8)
    column = [_box(40, 160 + 40 * k, 560, "aus der Umgebung. Die Energie-") for k in range(5)]
    left, right = _latin_piece(40, 260, 120, "verarbeitet täglich"), _latin_piece(360, 560, 120, "rund 6000")
    _ink_lines(img, [left, right, *column])
    for ln in column[:river_lines]:
        img[int(ln.bbox[1]):int(ln.bbox[1]) + H, 300:320] = 240
    return img, [left, right, *column]


def test_a_column_top_row_over_a_river_is_one_line():
    """de 19000573: paper over the row, and the two lines within reach below carry a river of
    word spaces through its gap; the lines further down cross it (a gutter would run on),
    so it is one line."""
    img, lines = _column_top_row(2)
    out = [ln.text for ln in join_row_pieces(lines, img)]
    assert out[0] == "verarbeitet täglich rund 6000" and len(out) == 6


def test_a_column_top_row_over_a_band_clear_all_the_way_down_stays_apart():
    """The same band clear through every line below, as far as is looked: a gutter."""
    img, lines = _column_top_row(5)
    out = [ln.text for ln in join_row_pieces(lines, img)]
    assert out[:2] == ["verarbeitet täglich", "rund 6000"]


def _column_piece(rows):
    """A page of two columns of whole lines (x 560–1020, 1040–1500) beside a four-row column
    piece (x 40–500) whose rows are cut in two at ``rows`` [(left end, right start), ...]."""
    img = np.full((320, 1540), 240, np.uint8)
    whole = [_box(x, 40 * k, x + 460, "informieren neue Tafeln über") for x in (560, 1040) for k in range(1, 7)]
    words = (("sicherer machen.", "Beim"), ("Eichholz und beim", "Marzili"), ("werden", "zusätzliche"),
             ("Ausstiegsleitern", "montiert,"))
    pieces = []
    for k, ((a, c), (l, r)) in enumerate(zip(rows, words)):
        pieces += [_latin_piece(40, a, 40 * (k + 1), l), _latin_piece(c, 500, 40 * (k + 1), r)]
    _ink_lines(img, [*whole, *pieces])
    return img, [*whole, *pieces]


def test_a_column_piece_of_justified_rows_each_cut_at_its_own_word_space_is_whole_again():
    """de-26000784's scan: a four-row column piece set justified, every row cut at its own wide
    word space ("sicherer machen." | "Beim" over "werden" | "zusätzliche"), with no whole line
    of its column to bridge any of them. The rows' gaps lie apart (a gutter's would share its
    white), so each row is one line; the column beside keeps its gutter."""
    img, lines = _column_piece([(300, 360), (280, 330), (150, 260), (200, 235)])
    out = join_row_pieces(lines, img)
    assert [ln.text for ln in out][12:] == ["sicherer machen. Beim", "Eichholz und beim Marzili",
                                            "werden zusätzliche", "Ausstiegsleitern montiert,"]


def test_two_narrow_columns_cut_at_one_gutter_stay_apart():
    """The same rows cut at gaps that share their white all the way down (a 20 px gutter
    between two narrow columns) are two columns, not justified lines."""
    img, lines = _column_piece([(250, 270)] * 4)
    assert len(join_row_pieces(lines, img)) == len(lines)


def _three_row_block(img, right_xs):
    """A column's three rows between paper above and below, each cut by the detector where
    their white lines up ("。|“", "。|”", a spread last line's letter space): 9-cell left pieces
    from x 10, the right pieces' glyphs at ``right_xs`` (one list per row)."""
    col = [10 + 29 * i for i in range(9)]                  # ends at 271
    rows = []
    for y, (lt, rt), xs in zip((100, 140), (("资金一七八亿元元。", "“不"), ("见面招商卓有成效。", "”赣")), right_xs):
        rows += [_piece(_glyphs(img, col, y), lt), _piece(_glyphs(img, xs, y), rt)]
    spread = _piece(_glyphs(img, [10, 120, 230], 180), "州经开")
    return rows, spread


def test_a_short_block_cut_where_no_column_fits_is_one_line_per_row():
    """seed-rand-26000780's scan: a three-row block under paper, its rows cut at one x 2–3
    cells from its right edge. Across a gutter the far side's rows are a column's lines; two
    rows there under three cells, ending at the same edge, would make a column too narrow for
    text: the pairs are lines, and the spread last row joins beside them."""
    img = np.full((320, 500), 240, np.uint8)
    rows, spread = _three_row_block(img, ([300, 329], [300, 329]))
    last = _piece(_glyphs(img, [329], 180), "区")
    out = join_row_pieces([*rows, spread, last], img)
    assert [ln.text for ln in out] == ["资金一七八亿元元。“不", "见面招商卓有成效。”赣", "州经开区"]


def test_a_real_columns_short_lines_beside_a_gutter_stay_apart():
    """Across a 20 px gutter the next column's short last lines ("区。", then "镇。" one cell
    shorter, a one-line paragraph) end at different x, and a column's full line beside one
    short line shows the column: none of these pairs is one line."""
    img = np.full((320, 500), 240, np.uint8)
    rows, _spread = _three_row_block(img, ([291, 320], [291]))
    out = join_row_pieces(rows, img)
    assert [ln.text for ln in out] == [ln.text for ln in rows]
    img2 = np.full((320, 500), 240, np.uint8)
    rows2, _spread = _three_row_block(img2, ([291, 320], [291 + 29 * i for i in range(9)]))
    out = join_row_pieces(rows2, img2)
    assert [ln.text for ln in out] == [ln.text for ln in rows2]


def test_a_narrow_piece_with_more_of_its_row_beyond_it_is_no_row_end():
    """seed-rand-26000781: "放缓在中国的投资。集团对济宁" | "制，" | "安排50名干部…" on two rows —
    the next column's lines cut by the detector after their commas. The narrow middle pieces
    end no row: the gutter before them stays."""
    img = np.full((320, 600), 240, np.uint8)
    col = [10 + 29 * i for i in range(9)]                  # ends at 271
    lines = []
    for y, t in ((100, "制，"), (140, "线，")):
        lines += [_piece(_glyphs(img, col, y), "放缓在中国的投资。"), _piece(_glyphs(img, [291, 320], y), t),
                  _piece(_glyphs(img, [360 + 29 * i for i in range(6)], y), "安排五十名干")]
    out = join_row_pieces(lines, img)
    assert not any(ln.text.startswith(("放缓在中国的投资。制", "放缓在中国的投资。线")) for ln in out)


def _cjk_caption_over_columns(paper: int):
    """seed-rand-19000576's scan: a caption over two columns ("图为…生产线。"), ``paper`` px of
    paper under it, then a paragraph's first line and the next column's short last line
    ("今年，广东肇庆高新区改变往年" | "显著。", 27 px of gutter apart)."""
    img = np.full((300, 700), 240, np.uint8)
    over = _piece(_glyphs(img, [10 + 29 * i for i in range(20)], 40), "图为广东肇庆高新区奥迪威传感科技公司生")
    y = 40 + 30 + paper
    left = _piece(_glyphs(img, [68 + 29 * i for i in range(10)], y), "今年广东肇庆高新区改")   # ends at 356
    right = _piece(_glyphs(img, [383, 412, 441], y), "显著。")
    below = _piece(_glyphs(img, [10 + 29 * i for i in range(12)], y + 36), "以举办大型活动为主的招商")
    return img, [over, left, right, below]


def test_a_cjk_caption_beyond_blank_paper_does_not_bridge_a_gutter():
    img, lines = _cjk_caption_over_columns(paper=27)
    out = join_row_pieces(lines, img)
    assert [ln.text for ln in out][1:3] == ["今年广东肇庆高新区改", "显著。"]
    # the same wide line a leading above (a line read across the gutter, left uncut) still bridges
    img, lines = _cjk_caption_over_columns(paper=4)
    out = join_row_pieces(lines, img)
    assert "今年广东肇庆高新区改显著。" in [ln.text for ln in out]


def _strokes(img, x0, x1, y0=75, y1=140):
    img[y0:y1, x0:x1:4] = 20                            # a glyph run's strokes, full height


def _high_mark(img, x0, y0=75):
    img[y0:y0 + 20, x0:x0 + 11] = 20                    # a quote mark: two little strokes, high
    img[y0:y0 + 20, x0 + 14:x0 + 25] = 20


def test_a_read_quote_a_half_cell_from_the_glyph_before_joins_by_the_type_not_the_box():
    """"引资" | "“一产一链”": boxes padded to 92 px around 65 px type stand 33 px apart (0.36 of
    the box, past the 0.35 a letter space gets), the glyphs 44 px (0.68 of the type): the “'s
    blank half-cell. A whole type height of paper is another headline's gutter."""
    img, body = _headline_page()
    left, right = _tall(100, 60, 245, "引资", hh=92), _tall(278, 60, 700, "“一产一链”", hh=92)
    _strokes(img, 110, 232)
    _high_mark(img, 276)
    _strokes(img, 305, 690)
    out = join_row_pieces([left, right, *body], img)
    assert out[0].text == "引资“一产一链”" and len(out) == 13
    apart = img.copy()
    apart[:, 200:232] = 240                             # 65 px of paper: a gutter
    assert len(join_row_pieces([left, right, *body], apart)) == 14


def test_a_closing_and_an_opening_quote_join_by_the_paper_between_them():
    """"引资“一产一链”" | "“一企一策”": 90 px of box gap at 111 px boxes (0.81, past the 0.8 of
    two half-cells by the box), 78 px of paper at 72 px type (1.08); at 1.5 × the type the
    marks belong to two headlines."""
    img, body = _headline_page()
    left, right = _tall(100, 60, 700, "引资“一产一链”", hh=111), _tall(790, 60, 1200, "“一企一策”", hh=111)
    _strokes(img, 110, 660, 80, 152)
    _high_mark(img, 662, 80)                            # the ”: 662–687
    _high_mark(img, 765 + 1, 80)                        # the “: 766–791, 78 px of paper
    _strokes(img, 800, 1190, 80, 152)
    out = join_row_pieces([left, right, *body], img)
    assert out[0].text == "引资“一产一链”“一企一策”" and len(out) == 13
    far = np.full_like(img, 240)
    far[250:] = img[250:]
    _strokes(far, 110, 660, 80, 152)
    _high_mark(far, 662, 80)
    _high_mark(far, 796, 80)                            # 108 px of paper: 1.5 × the type
    _strokes(far, 830, 1190, 80, 152)
    right_far = _tall(820, 60, 1200, "“一企一策”", hh=111)
    assert len(join_row_pieces([left, right_far, *body], far)) == 14


def test_a_headline_cut_where_a_lost_quote_and_a_lost_glyph_meet_a_read_one_is_one_line():
    """"“一产一链”" | "企一策”": the detector lost "“一" — the “ high in the gap, the "一" a
    stroke at half height beside it — and the first character box of "企一策”" starts inside
    企. The right piece closes a quote it never opened, so the mark found is its “ when the
    two marks' blank half-cells lie before it; a ” right after the left piece's glyph is not."""
    img, body = _headline_page()
    left = OcrLine(((100, 60), (520, 60), (520, 152), (100, 152)), "“一产一链”", 0.99,
                   tuple((100 + 84 * k, 60, 184 + 84 * k, 152) for k in range(5)))
    right = OcrLine(((659, 60), (900, 60), (900, 152), (659, 152)), "企一策”", 0.99,
                    ((682, 60, 744, 152), (744, 60, 810, 152), (810, 60, 870, 152), (870, 60, 900, 152)))
    _strokes(img, 110, 470)
    _high_mark(img, 473)                                # the read ”: 473–498
    _strokes(img, 675, 890)                             # 企一策 from 675
    lost = img.copy()
    _high_mark(lost, 579)                               # the lost “: 80 px of paper before it
    lost[101:111, 608:670] = 20                         # the lost 一, at half height
    out = join_row_pieces([left, right, *body], lost)
    assert out[0].text == "“一产一链”“企一策”" and len(out) == 13
    assert len(join_row_pieces([left, right, *body], img)) == 14          # no mark: apart
    closing = img.copy()
    _high_mark(closing, 505)                            # a ” 6 px after the read one
    closing[101:111, 608:670] = 20
    assert len(join_row_pieces([left, right, *body], closing)) == 14


def _margin_word_row(column_end: int):
    """A column's first row cut off its last short word ("an, in denen Neuzuzüger" | "das",
    x 500–560, 2·h), paper above, five lines of the column below (x 40–``column_end``) whose
    word spaces line up under the gap all the way down, 25 px clear."""
    img = np.full((400, 700), 240, np.uint8)
    column = [_box(40, 160 + 40 * k, column_end, "Flussschwimmen lernen. Die") for k in range(5)]
    left, right = _latin_piece(40, 470, 120, "an, in denen Neuzuzüger"), _latin_piece(500, 560, 120, "das")
    _ink_lines(img, [left, right, *column])
    for ln in column:
        img[int(ln.bbox[1]):int(ln.bbox[1]) + H, 472:497] = 240
    return img, [left, right, *column]


def test_a_short_word_at_the_columns_margin_over_a_river_is_one_line():
    """de-28000843's scan: the word cut off ends where the column's lines end, so a gutter at
    its gap would leave a column one word wide; the clear band under it is a river of the
    justified lines' word spaces before their short last words, and the row is one line."""
    img, lines = _margin_word_row(560)
    out = [ln.text for ln in join_row_pieces(lines, img)]
    assert out[0] == "an, in denen Neuzuzüger das" and len(out) == 6


def test_a_short_piece_short_of_the_columns_margin_over_a_clear_band_stays_apart():
    """The same row under lines running on past the short piece (its own column's lines would
    end where it ends): the band clear all the way down may be a gutter, so it stays apart."""
    img, lines = _margin_word_row(660)
    out = [ln.text for ln in join_row_pieces(lines, img)]
    assert out[:2] == ["an, in denen Neuzuzüger", "das"]
