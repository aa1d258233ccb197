import numpy as np

from broadsheet.layout.blocks import BOLD_APART, BOLD_HEAD, BlockConfig, group_blocks


def column(x0, y0, n, width=300, h=30, pitch=45, texts=None):
    boxes = [[x0, y0 + k * pitch, x0 + width, y0 + k * pitch + h] for k in range(n)]
    return boxes, texts or ["这是一行正文文字，内容连续" for _ in range(n)]


def _blocks(boxes, texts):
    """group_blocks on a page without obstacles, blocks as lists of line indices."""
    blocks, _ = group_blocks(np.array(boxes, float), texts, np.zeros((0, 4)))
    return [list(x) for x in blocks]


def test_two_columns_become_two_blocks():
    b1, t1 = column(0, 0, 6)
    b2, t2 = column(330, 0, 6)
    boxes = np.array(b1 + b2, float)
    blocks, _ = group_blocks(boxes, t1 + t2, np.zeros((0, 4)))
    assert sorted(map(list, blocks)) == [list(range(6)), list(range(6, 12))]


def test_rule_between_lines_splits_the_column():
    b, t = column(0, 0, 6, pitch=50)
    rule = np.array([[0, 3 * 50 - 12, 300, 3 * 50 - 10]], float)
    blocks, _ = group_blocks(np.array(b, float), t, rule)
    assert [list(x) for x in blocks] == [[0, 1, 2], [3, 4, 5]]


def test_type_size_change_splits_headline_from_body():
    head = [[0, 0, 300, 70]]
    body, t = column(0, 90, 4)
    blocks, _ = group_blocks(np.array(head + body, float), ["大标题"] + t, np.zeros((0, 4)))
    assert [list(x) for x in blocks] == [[0], [1, 2, 3, 4]]


def test_centred_unterminated_line_between_paragraphs_is_a_subhead():
    boxes = np.array([[0, 0, 300, 30], [0, 45, 200, 75], [90, 90, 210, 120],
                      [60, 135, 300, 165], [0, 180, 300, 210]], float)
    texts = ["第一段正文继续写下去", "第一段结束了。", "小标题", "第二段开头缩进", "第二段继续"]
    blocks, sub = group_blocks(boxes, texts, np.zeros((0, 4)))
    assert [list(x) for x in blocks] == [[0, 1], [2], [3, 4]]
    assert sub == [False, True, False]


def test_large_gap_splits_stacked_blocks():
    top, t = column(0, 0, 4)
    low, t2 = column(0, 4 * 45 + 120, 4)
    blocks, _ = group_blocks(np.array(top + low, float), t + t2, np.zeros((0, 4)))
    assert [list(x) for x in blocks] == [[0, 1, 2, 3], [4, 5, 6, 7]]


def test_a_short_first_line_that_stops_on_a_comma_is_no_subhead():
    # "十一月的阿克苏，" set short and indented at a paragraph start, after a closed line
    boxes = np.array([[0, 0, 300, 30], [0, 45, 200, 75], [60, 90, 270, 120],
                      [0, 135, 300, 165], [0, 180, 300, 210]], float)
    texts = ["第一段正文继续写下去", "第一段结束了。", "十一月的阿克苏，", "红旗坡农场的苹果园里", "果香四溢。"]
    blocks, sub = group_blocks(boxes, texts, np.zeros((0, 4)))
    assert not any(sub)
    assert any(2 in list(x) and 3 in list(x) for x in blocks)


def test_a_line_set_apart_by_space_between_paragraphs_is_a_subhead():
    # "从试验田走向大田": 85 % of the column wide (not "short"), but with twice the usual
    # space above and below, after a closed line and before an indented one
    boxes = np.array([[0, 0, 300, 30], [0, 40, 300, 70], [0, 80, 50, 110],
                      [20, 136, 275, 166], [60, 192, 300, 222]], float)
    texts = ["肥改土等措施，逐步把", "“白碱滩”变成了良", "田。", "从试验田走向大田", "今年，城阳区与周"]
    blocks, sub = group_blocks(boxes, texts, np.zeros((0, 4)))
    assert [list(x) for x in blocks] == [[0, 1, 2], [3], [4]]
    assert sub == [False, True, False]


def test_a_short_last_line_and_the_next_indented_line_stay_one_block():
    # "十足。" (2.4 em) ends a paragraph, the next one opens indented by 2.6 em at the foot
    # of the column: no overlap between the two lines, but they are one column of text
    b, t = column(0, 0, 4)
    boxes = np.array(b + [[0, 180, 72, 210], [78, 225, 300, 255]], float)
    texts = t + ["十足。", "“我们可以同时"]
    blocks, sub = group_blocks(boxes, texts, np.zeros((0, 4)))
    assert [list(x) for x in blocks] == [[0, 1, 2, 3, 4, 5]]
    assert sub == [False]


def test_a_line_beside_a_short_last_line_does_not_join_across_columns():
    b1, t1 = column(0, 0, 4)
    b2, t2 = column(330, 225, 3)
    boxes = np.array(b1 + [[0, 180, 72, 210]] + b2, float)
    blocks, _ = group_blocks(boxes, t1 + ["十足。"] + t2, np.zeros((0, 4)))
    assert sorted(map(list, blocks)) == [[0, 1, 2, 3, 4], [5, 6, 7]]


def test_a_kicker_over_a_title_of_about_its_width_is_not_one_block():
    # 36 px kicker over a 54 px title, widths within 10 %: not two lines of one column
    boxes = np.array([[115, 237, 642, 273], [113, 299, 612, 353]], float)
    blocks, _ = group_blocks(boxes, ["山东青岛城阳区试验田喜获丰收", "盐碱地上长出海水稻"], np.zeros((0, 4)))
    assert [list(x) for x in blocks] == [[0], [1]]


def test_a_han_kicker_over_a_title_of_another_advance_is_not_one_block():
    # 38 px kicker (36 px a character) over a 49 px title (54 px a character), set flush left
    # 25 px apart: one type by the box test (0.78), two by their advances (seed-rand-24000721:
    # read as one body block, the story lost its headline and its columns went to another)
    boxes = np.array([[2590, 3114, 2881, 3152], [2590, 3177, 3188, 3226]], float)
    blocks, _ = group_blocks(boxes, ["江西赣州经开区：", "招大引强交出“硬核”答卷"], np.zeros((0, 4)))
    assert [list(x) for x in blocks] == [[0], [1]]


def test_a_han_line_stretched_by_justification_stays_in_its_column():
    # "见面招商卓有成" set across a nine-character measure (43 px a character on 32 px glyphs)
    # over a line at its own advance: the stretch is no bigger type
    boxes = np.array([[0, 0, 288, 32], [0, 44, 300, 76], [0, 88, 288, 120]], float)
    texts = ["今年以来，高新区招商", "见面招商卓有成", "效，新签约项目十二个"]
    blocks, _ = group_blocks(boxes, texts, np.zeros((0, 4)))
    assert [list(x) for x in blocks] == [[0, 1, 2]]


def test_han_lines_of_one_advance_in_boxes_of_different_heights_stay_one_block():
    # a column's short last line boxed taller than its glyphs (OCR) is still its column's type,
    # and so is one boxed to its ink, the line-end "。" cut off: of the column's height
    boxes = np.array([[0, 0, 320, 32], [0, 44, 320, 76], [0, 86, 128, 128]], float)
    texts = ["今年以来，高新区招商引", "资工作不停，主动出击，", "续增长。”"]
    assert _blocks(boxes, texts) == [[0, 1, 2]]
    boxes = np.array([[0, 0, 320, 32], [0, 44, 320, 76], [0, 88, 75, 120]], float)
    texts = ["今年以来，高新区招商引", "资工作不停，主动出击，", "十足。"]
    blocks, _ = group_blocks(boxes, texts, np.zeros((0, 4)))
    assert [list(x) for x in blocks] == [[0, 1, 2]]


def test_an_unterminated_line_opening_a_column_over_an_indented_paragraph_is_a_subhead():
    boxes = np.array([[0, 0, 240, 30], [60, 55, 300, 85], [0, 95, 300, 125], [0, 135, 300, 165]], float)
    texts = ["从试验田走向大田", "今年，城阳区与周", "边三个县市签订了推广", "协议，计划三年内扩大"]
    blocks, sub = group_blocks(boxes, texts, np.zeros((0, 4)))
    assert [list(x) for x in blocks] == [[0], [1, 2, 3]]
    assert sub == [True, False]


def test_a_centred_headline_first_line_over_a_low_box_is_no_subhead():
    # "quagga" has no ascenders: its box starts low and the gap above it looks wide; the
    # lines under "Les moules" are a headline's, centred, not a paragraph running out to the
    # column's right edge (fr-15000453: the title broke, its story was stitched to another)
    boxes = np.array([[190, 336, 506, 376], [245, 412, 452, 450], [146, 464, 550, 504],
                      [254, 525, 443, 567]], float)
    texts = ["Les moules", "quagga", "envahissent le", "Léman"]
    blocks, sub = group_blocks(boxes, texts, np.zeros((0, 4)))
    assert [list(x) for x in blocks] == [[0, 1, 2, 3]]
    assert sub == [False]


def test_a_subhead_opening_a_column_over_a_justified_latin_paragraph_stays():
    # the negative case: the same first line over an indented paragraph that runs out
    boxes = np.array([[146, 336, 450, 376], [190, 412, 550, 450], [146, 464, 550, 504],
                      [146, 516, 550, 556]], float)
    texts = ["Des travaux sous la ville", "Le tunnel sera creusé à", "une profondeur de vingt",
             "mètres afin de limiter"]
    blocks, sub = group_blocks(boxes, texts, np.zeros((0, 4)))
    assert [list(x) for x in blocks] == [[0], [1, 2, 3]]
    assert sub == [True, False]


_RESSE_BOXES = [[1036, 1909, 1484, 1940], [1036, 1949, 1484, 1982], [1036, 1991, 1484, 2024],
                [1036, 2042, 1128, 2059], [1075, 2077, 1484, 2108], [1035, 2119, 1484, 2150]]
_RESSE_TEXTS = ["l'avenir. Les parcelles les", "plus exposées souffrent de", "plus en plus de la séche-",
                "resse.", "L'Interprofession de la", "vigne et du vin du Valais"]


def test_a_last_line_of_x_height_letters_stays_in_its_paragraph():
    # "resse." (17 px, no ascender or descender) 18 px under a 33 px line: more white than
    # its box is tall, less than its type is (fr-13000393: the frame fell into three blocks
    # and the stitcher read them out of order)
    blocks, _ = group_blocks(np.array(_RESSE_BOXES, float), _RESSE_TEXTS, np.zeros((0, 4)))
    assert [list(x) for x in blocks] == [[0, 1, 2, 3, 4, 5]]


def test_a_line_of_x_height_letters_a_type_height_below_stays_apart():
    # the negative case: the same line 40 px under the column is more than a line's white
    boxes = np.array(_RESSE_BOXES, float)
    boxes[3:, [1, 3]] += 22
    blocks, _ = group_blocks(boxes, _RESSE_TEXTS, np.zeros((0, 4)))
    assert [0, 1, 2] in [list(x) for x in blocks]
    assert not any(3 in x and 2 in x for x in blocks)


def _ink_page(lower, lower_box, rise_h=26):
    """fr-1100034's column end: a body line with ascenders and descenders (33 px) over
    ``lower`` and a title, beside a column (the page's evidence that its boxes follow the
    ink: lines with ascenders alone 26 px, with both 33)."""
    texts = ["pourront profiter des nou-", "les autorités attendent la"] * 5
    boxes, y = [], 0
    for t in texts:
        h = 33 if "p" in t else rise_h
        boxes.append([1000, y, 1545, y + h])
        y += h + 10
    boxes += [[0, 1523, 543, 1556], lower_box, [0, 1657, 278, 1699], [0, 1721, 394, 1763]]
    texts += ["Le tunnel sera creusé à une pro-", lower, "Une école", "neuchâteloise"]
    return np.array(boxes, float), texts


def test_a_kicker_under_a_column_end_is_a_bigger_type_by_its_letters():
    # "Éducation" rises but does not fall: its 37 px box is a 47 px type beside the column's
    # 33 (fr-1100034: the line ended the story's column and opened the next story's head)
    boxes, texts = _ink_page("Éducation", [0, 1589, 194, 1626])
    assert not any(10 in b and 11 in b for b in _blocks(boxes, texts))


def test_a_short_last_line_of_the_column_type_stays_in_its_block():
    # negative: a paragraph's last word with ascenders alone ("habitants.", 26 px, its box
    # as short as its letters make it) runs on under the column's line
    boxes, texts = _ink_page("habitants.", [0, 1566, 160, 1592])
    assert any(10 in b and 11 in b for b in _blocks(boxes, texts))


def test_letters_say_nothing_where_the_page_boxes_do_not_follow_them():
    # negative: boxes drawn to the type's height whatever the letters (PAGE XML regions):
    # the box test decides, as before
    boxes, texts = _ink_page("Éducation", [0, 1589, 194, 1626], rise_h=33)
    assert any(10 in b and 11 in b for b in _blocks(boxes, texts))


def test_without_text_a_full_line_under_a_wide_line_does_not_end_a_paragraph():
    # geometry-only input: a line as wide as the page chained in above a column must not make
    # every full column line "stop short" (each then read as a paragraph end, and a line over
    # an indent as a subhead: NewsEye 0034 came apart into one-line blocks)
    wide = [[0, 0, 960, 30]]
    b, _ = column(0, 45, 6)
    b[3][0] = 40  # a paragraph indent
    boxes = np.array(wide + b, float)
    blocks, sub = group_blocks(boxes, [""] * len(boxes), np.zeros((0, 4)))
    assert not any(sub)
    assert any({1, 2, 3, 4, 5, 6} <= set(map(int, x)) for x in blocks)


def _strips(n_cols=3, rows=(4, 4), strip_gap=22, pitch=40, h=32, width=300, gutter=30):
    """CJK columns on one grid, set as strips: rows[0] lines, a taller gap, rows[1] lines."""
    boxes, texts = [], []
    for c in range(n_cols):
        x0 = c * (width + gutter)
        y = 0
        for s, n in enumerate(rows):
            for k in range(n):
                boxes.append([x0, y, x0 + width, y + h])
                texts.append("这是一行正文文字内容连续")
                y += pitch
            y += strip_gap - (pitch - h)  # the next strip opens this far below the last line
    return np.array(boxes, float), texts


def test_a_strip_edge_across_the_columns_splits_each_column():
    # line gaps of 8 px, a 22 px gap where the strip ends — under the usual jump threshold,
    # but white across all three columns: each column is two blocks, one per strip
    boxes, texts = _strips()
    blocks, _ = group_blocks(boxes, texts, np.zeros((0, 4)))
    assert sorted(len(b) for b in blocks) == [4] * 6


def test_the_same_gap_in_one_column_only_does_not_split_it():
    boxes, texts = _strips(n_cols=1)
    beside, more = _strips(n_cols=1, rows=(9,), strip_gap=0)  # a neighbour set straight through
    beside[:, [0, 2]] += 330
    blocks, _ = group_blocks(np.concatenate([boxes, beside]), texts + more, np.zeros((0, 4)))
    assert sorted(len(b) for b in blocks) == [8, 9]


def test_a_strip_edge_splits_a_storys_first_column_beside_another_storys_text():
    # seed-150 page 15000456: 济宁's first column stands one gutter from 肇庆's column, set
    # straight through; that column reaches into the band on the left, but nothing stands
    # between the first column and its own next column, which stops above the band
    boxes, texts = _strips()
    boxes[:, [0, 2]] += 330
    beside, more = _strips(n_cols=1, rows=(9,), strip_gap=0)  # another story, on the left
    blocks, _ = group_blocks(np.concatenate([boxes, beside]), texts + more, np.zeros((0, 4)))
    assert sorted(len(b) for b in blocks) == [4] * 6 + [9]


def test_a_column_set_through_between_keeps_the_gap_in_one_piece():
    # the same gap, but the column set straight through stands between it and the column
    # that stops: no strip edge (the farther column's white is not this column's)
    boxes, texts = _strips(n_cols=1)
    through, more = _strips(n_cols=1, rows=(9,), strip_gap=0)
    through[:, [0, 2]] += 330
    far, far_t = _strips(n_cols=1)
    far[:, [0, 2]] += 660
    blocks, _ = group_blocks(np.concatenate([boxes, through, far]), texts + more + far_t, np.zeros((0, 4)))
    assert sorted(len(b) for b in blocks) == [8, 8, 9]


def test_a_photo_credit_line_over_a_caption_column_is_a_block_of_its_own():
    # OCR boxes (seed-plain 800032): the credit "郭立杰摄(中经视觉)" 26 px above the caption's
    # column, whose lines are 9 px apart and 30 px tall, chained into the caption's first line
    boxes = np.array([[1925, 1395, 2138, 1424], [1762, 1450, 2138, 1481], [1759, 1490, 1942, 1522]], float)
    texts = ["郭立杰摄(中经视觉)", "点赶订单。图为工人在装配微", "型挖掘机产品。"]
    blocks, _ = group_blocks(boxes, texts, np.zeros((0, 4)))
    assert [list(x) for x in blocks] == [[0], [1, 2]]


def test_a_caption_line_that_ends_with_its_credit_stays_in_the_caption():
    boxes = np.array([[0, 0, 300, 30], [0, 40, 220, 70]], float)
    texts = ["图为工人在装配微型挖掘机", "产品。郭立杰摄(中经视觉)"]
    blocks, _ = group_blocks(boxes, texts, np.zeros((0, 4)))
    assert [list(x) for x in blocks] == [[0, 1]]


def test_a_latin_line_without_ascenders_or_descenders_stays_in_its_column():
    # OCR boxes of a justified French column: "concurrence avec les" has a box two thirds as
    # tall as the lines around it (23 px against 35), yet the same advance per character
    texts = ["d'entre elles forment leurs", "propres apprentis, mais la", "concurrence avec les",
             "grands groupes installés à", "Bienne et à la vallée de"]
    boxes = [[555, 3643, 1010, 3671], [563, 3685, 1012, 3720], [558, 3733, 1011, 3756],
             [563, 3769, 1011, 3804], [557, 3809, 1006, 3839]]
    assert _blocks(boxes, texts) == [[0, 1, 2, 3, 4]]



def test_a_latin_headline_keeps_its_last_line_without_ascenders():
    # "neuve" has neither ascender nor descender: its box is 37 px under a 65 px headline line
    # of the same type (fr seed 41); the byline under it is another type and stays apart
    texts = ["Les thermes d'Yverdon font peau", "neuve", "Par Caroline Jaccard"]
    boxes = [[78, 296, 1310, 361], [77, 395, 294, 432], [78, 473, 372, 502]]
    assert _blocks(boxes, texts) == [[0, 1], [2]]


def test_a_centred_headline_keeps_its_short_last_word():
    # "vor" centred under "Winterthur zieht die Sanierung des Bahnhofs" (de seed 11)
    texts = ["Winterthur zieht die Sanierung des Bahnhofs", "vor"]
    boxes = [[164, 1646, 1873, 1713], [960, 1746, 1080, 1783]]
    assert _blocks(boxes, texts) == [[0, 1]]


def test_a_byline_under_a_headline_line_of_larger_type_is_not_its_last_line():
    # "Von Andri Casutt, Pontresina" (26 px, capitals, no descender) flush under "Länge"
    # (43 px): allowing for the letters' reach it is still 0.77 of the headline's type
    texts = ["Morteratschgletscher", "verliert weiter an", "Länge", "Von Andri Casutt, Pontresina"]
    boxes = [[2381, 2108, 2903, 2150], [2378, 2162, 2796, 2195], [2381, 2215, 2524, 2258],
             [2379, 2282, 2805, 2308]]
    assert _blocks(boxes, texts) == [[0, 1, 2], [3]]


def test_a_short_last_line_without_ascenders_and_the_next_indented_paragraph_stay_one_block():
    # "ments." (22 px among 31–33 px lines) ends a paragraph; "Armailli depuis trente ans,"
    # opens the next one indented (fr seed 11): one column, one block
    texts = ["redescendues des pâturages", "d'altitude sous les applaudisse-", "ments.",
             "Armailli depuis trente ans,", "Bernard Jaquet conduisait le"]
    boxes = [[76, 2830, 620, 2863], [76, 2874, 620, 2905], [76, 2918, 181, 2940],
             [113, 2958, 618, 2989], [77, 3000, 620, 3031]]
    assert _blocks(boxes, texts) == [[0, 1, 2, 3, 4]]


_UEBER_TEXTS = ["Jahren stark gestiegen, sagt er.", "Mit der Anlage spare die Genos-",
                "senschaft jährlich einen fünfstel-", "ligen Betrag.", "Überschüssiger Strom fliesst",
                "ins Netz der Gemeinde. Im"]
_UEBER_BOXES = [[648, 1064, 1194, 1095], [652, 1106, 1196, 1137], [653, 1147, 1196, 1179],
                [652, 1190, 859, 1221], [690, 1226, 1197, 1263], [652, 1274, 1197, 1298]]


def test_an_accented_capital_reaches_over_the_type_and_its_line_keeps_the_next():
    # "Überschüssiger Strom fliesst" (37 px: the Ü's dots over the capitals, the g's tail)
    # opens a paragraph indented over "ins Netz der Gemeinde. Im" (24 px, ascenders only):
    # one type once the letters are read, both run to the column's right edge (de-19000570:
    # the last line fell out as a one-line subhead and the stitcher read the column wrong)
    assert _blocks(_UEBER_BOXES, _UEBER_TEXTS) == [[0, 1, 2, 3, 4, 5]]


def test_an_accented_capital_over_a_line_ending_short_of_the_edge_stays_apart():
    # the negative case: the same lines, the lower one a short line that stops before the
    # right edge and is not set flush under the indented line: nothing says one type
    boxes = [list(b) for b in _UEBER_BOXES]
    boxes[5][2] = 900
    assert _blocks(boxes, _UEBER_TEXTS)[-1] == [5]


def test_an_accented_capital_with_a_descender_reaches_past_the_type():
    from broadsheet.layout.blocks import _ink_reach
    reach = _ink_reach(["Überschüssiger Strom", "Über den", "Éducation", "Ça va", "über", "Lyon",
                        "neuve", "jeune", "«sous»", "ß", "中文", "", "  "])
    assert reach[0] > 1.0 and reach[5] == 1.0
    # without a descender: an ascender's reach; a cedilla under a capital falls
    assert reach[1] == reach[2] == reach[4] == 0.78 and reach[3] == 1.0
    # the shared table (`broadsheet.ink_reach`): j rises and falls, « » stay in the x-height,
    # Fraktur's ß rises and falls, another script keeps its box, and so does a line without ink
    assert reach[6] == reach[8] == 0.56 and reach[7] == reach[9] == 1.0
    assert reach[10] == reach[11] == reach[12] == 1.0


def test_a_full_line_over_a_smaller_indented_line_is_not_linked_by_letters_alone():
    # a full line of a listing over a smaller line set in under it (NewsEye): the reach of
    # the letters may not link across the indent what the heights keep apart
    texts = ["Cirque Fernando, 8.30. — Représentation éques", "tre et Pantomimes."]
    boxes = np.array([[212, 659, 827, 689], [236, 688, 456, 709]], float)
    b0 = [[212, 659 - 40 * k, 827, 689 - 40 * k] for k in (2, 1)]
    blocks, _ = group_blocks(np.array(b0 + boxes.tolist(), float),
                             ["Opéra-Comique, 7.45. — MANON.", "Odéon, 8. LE ROMAN ; SEVERO"] + texts,
                             np.zeros((0, 4)))
    assert [list(x) for x in blocks] == [[0, 1, 2], [3]]


def test_a_one_glyph_scrap_beside_a_column_line_joins_that_lines_block():
    # the recogniser cut "经开区" in two: "经" at the column's left edge, "开区" further right on
    # the same row; the scrap is that line's start, not a body block of its own
    b1, t1 = column(0, 0, 3)
    boxes = np.array(b1 + [[0, 135, 24, 165], [180, 135, 300, 165]] + column(0, 180, 2)[0], float)
    texts = t1 + ["经", "开区"] + ["这是一行正文文字，内容连续"] * 2
    blocks, _ = group_blocks(boxes, texts, np.zeros((0, 4)))
    assert [list(x) for x in blocks] == [[0, 1, 2, 3, 4, 5, 6]]


def test_a_short_scrap_at_a_lines_end_goes_after_it_and_not_across_columns():
    b1, t1 = column(0, 0, 4)
    b1[1][2] = 250                                            # OCR cut the second line short ...
    b2, t2 = column(330, 0, 4)
    boxes = np.array(b1 + b2 + [[260, 45, 298, 75]], float)   # ... and left "击，" beside it
    blocks, _ = group_blocks(boxes, t1 + t2 + ["击，"], np.zeros((0, 4)))
    assert sorted(map(list, blocks)) == [[0, 1, 8, 2, 3], [4, 5, 6, 7]]


def test_a_two_letter_line_on_a_latin_page_is_not_a_scrap():
    # the same geometry as the "经" scrap, in Latin text: "of" stays a line of its own
    lat = ["the council met on Monday to discuss"] * 5
    b1, t1 = column(0, 0, 3, texts=lat[:3])
    boxes = np.array(b1 + [[0, 135, 24, 165], [180, 135, 300, 165]] + column(0, 180, 2)[0], float)
    texts = t1 + ["of", "the budget"] + lat[3:]
    blocks, _ = group_blocks(boxes, texts, np.zeros((0, 4)))
    assert [3] in [list(x) for x in blocks]


def test_a_box_run_past_the_column_edge_does_not_make_an_indented_first_line_a_subhead():
    # seed random 300020 end to end: one line's box runs 28 px past the column's edge; measured
    # against that width the indented first line of a paragraph ("莱尼是一家德国独", after
    # "…的研发。") was short and "centred", a subhead cut out of its column
    boxes, texts = column(0, 0, 8, width=300, h=33, pitch=49)
    boxes[1][2] = 180
    boxes[2][0] = 60
    boxes[4][2] = 328
    texts = list(texts)
    texts[1] = "划着新产品的研发。"
    texts[2] = "莱尼是一家德国独"
    blocks, sub = group_blocks(np.array(boxes, float), texts, np.zeros((0, 4)))
    assert [list(x) for x in blocks] == [list(range(8))]
    assert sub == [False]


def test_a_line_read_across_the_gutter_does_not_make_the_column_lines_subheads():
    # seed random 100005 end to end: the column's last line read together with the line left
    # of it across the gutter (x 0 to 750 under a column from x 450); every line of the column
    # was short against that width and its unterminated first line a subhead
    boxes, texts = column(450, 0, 6, width=300, h=29, pitch=40)
    boxes[5][0] = 0
    texts = ["方公里的低成本、定制化空间；在政", "策上，给予园区房租补贴、个税奖", "励、解决子女教育问题等服务支持；",
             "在资金上，筹划成立100亿元产业基", "金，支持产业发展，同时开放场景示", "义。经开区从空间布局、政策保障、400余家"]
    blocks, sub = group_blocks(np.array(boxes, float), texts, np.zeros((0, 4)))
    assert [list(x) for x in blocks] == [list(range(6))]
    assert not any(sub)



def test_a_centred_subhead_over_a_short_paragraph_measures_against_the_widest_line():
    # zh 8700267 end to end: a three-line chain, a centred subhead over two lines of its
    # paragraph; its outermost line is the measure, not a box error to leave out
    boxes = np.array([[45, 0, 309, 36], [65, 61, 361, 94], [0, 101, 359, 134]], float)
    texts = ["小标题在这里写着", "正文第一行开头缩进", "正文第二行继续写下去。"]
    blocks, sub = group_blocks(boxes, texts, np.zeros((0, 4)))
    assert [list(x) for x in blocks] == [[0], [1, 2]]
    assert sub == [True, False]


def _type_image(lines, shape=(600, 3000)):
    """A gray page with one stand-in line of type per ``(box, x_height)``: the x-height band
    inked densely (every other column) down to 6 px over the box's foot, ascenders thinly
    (every tenth column) from 2 px under the box's top."""
    img = np.full(shape, 255, np.uint8)
    for (x0, y0, x1, y1), xh in lines:
        base = y1 - 6
        img[y0 + 2:base - xh, x0:x1:10] = 0
        img[base - xh:base, x0:x1:2] = 0
    return img


def _blocks_img(boxes, texts, img):
    blocks, _ = group_blocks(np.array(boxes, float), texts, np.zeros((0, 4)), gray=img)
    return [list(x) for x in blocks]


def test_a_kicker_in_smaller_type_over_its_title_is_a_block_of_its_own():
    # de seed 41: italic "Kultur" over the bold title; OCR boxes cut to the ink plus a margin
    # are 34 and 46 px (0.74: one type by the boxes), their x-heights 20 and 26 px
    texts = ["Kultur", "Ein Basler Museum öffnet sein Depot"]
    boxes = [[64, 229, 210, 263], [66, 291, 1153, 337]]
    img = _type_image([(boxes[0], 20), (boxes[1], 26)])
    assert _blocks(boxes, texts) == [[0, 1]]          # the boxes alone
    assert _blocks_img(boxes, texts, img) == [[0], [1]]


def test_a_headline_line_cut_to_its_x_height_stays_with_the_line_above():
    # fr seed 41: "numérise ses journaux anciens" came out 32 px under a 58 px title line;
    # both measure a 26 px x-height, flush left
    texts = ["La Médiathèque Valais", "numérise ses journaux anciens"]
    boxes = [[1987, 72, 2648, 130], [1989, 152, 2881, 184]]
    img = _type_image([(boxes[0], 26), (boxes[1], 26)])
    assert _blocks(boxes, texts) == [[0], [1]]
    assert _blocks_img(boxes, texts, img) == [[0, 1]]


def test_lines_of_one_column_stay_one_block_whatever_their_words_x_heights():
    # "Die" measures its capital's height: too few lowercase letters to measure an x-height
    texts = ["Die", "Stiftsbibliothek"]
    boxes = [[100, 100, 260, 150], [60, 160, 600, 207]]
    img = _type_image([(boxes[0], 36), (boxes[1], 26)])
    assert _blocks_img(boxes, texts, img) == [[0, 1]]


def test_a_dashed_rule_in_a_kickers_box_is_not_its_x_height():
    from broadsheet.layout.blocks import latin_faces
    # the box took in the dashed rule 10 px over the letters (fr seed 41)
    box = [64, 211, 279, 265]
    img = _type_image([([64, 223, 279, 265], 20)])
    for x in range(64, 279, 25):              # dashes over 60 % of the width, 2 px thick
        img[211:213, x:x + 15] = 0
    assert latin_faces(img, np.array([box], float), ["Éducation"])[0][0] == 20


def test_a_centred_headlines_short_first_line_is_no_subhead():
    # de seed 41: "Junge / Uhrmacher / finden wieder / Lehrstellen" centred, its kicker a
    # block of its own by its x-height: the first line is short and centred, but no column
    # text follows it
    texts = ["Junge", "Uhrmacher", "finden wieder", "Lehrstellen"]
    boxes = [[823, 996, 1018, 1052], [754, 1058, 1098, 1104], [723, 1122, 1125, 1168],
             [752, 1186, 1088, 1232]]
    img = _type_image([(b, 26) for b in boxes], shape=(1300, 1200))
    assert _blocks_img(boxes, texts, img) == [[0, 1, 2, 3]]


def _face_image(lines, shape=(900, 1200)):
    """A gray page with one stand-in line of type per ``(box, x_height, stem)``: stems ``stem``
    px thick every 9 px across the x-height band (down to 6 px over the box's foot), thin
    ascenders every 18 px over it. A regular face: stem 3; its bold: stem 5."""
    img = np.full(shape, 255, np.uint8)
    for (x0, y0, x1, y1), xh, stem in lines:
        base = y1 - 6
        img[y0 + 2:base - xh, x0:x1:18] = 0
        for s in range(stem):
            img[base - xh:base, x0 + s:x1:9] = 0
    return img


_BOLD = BlockConfig(bold_subheads=True)

# a column of 450 px, body lines 32 px high on a 42 px pitch (de seed 41)
_COL = [[100, 100 + 42 * k, 550, 132 + 42 * k] for k in range(8)]


def test_a_latin_bold_line_weighs_more_than_the_regular_ones():
    from broadsheet.layout.blocks import latin_faces
    boxes = np.array(_COL[:2], float)
    img = _face_image([(boxes[0].astype(int), 17, 3), (boxes[1].astype(int), 17, 5)])
    xh, weight = latin_faces(img, boxes, ["Kinder seien", "Kurse für Zugezogene"])
    assert list(xh) == [17, 17]
    assert weight[1] >= 1.5 * weight[0]


def _bold_line_in_column():
    """A column of six body lines whose third, "Kurse für Zugezogene", is set bold at the body's
    size after a closed line (de seed 41): boxes, texts, and the page image."""
    texts = ["Der Anfang war schwer und", "am Ende kamen sie alle.", "Kurse für Zugezogene",
             "Die Stadt bietet ab Herbst", "neue Kurse an und lädt", "alle dazu ein."]
    boxes = [list(b) for b in _COL[:6]]
    boxes[2][2] = 500
    boxes[5][2] = 400
    return boxes, texts, _face_image([(b, 17, 5 if k == 2 else 3) for k, b in enumerate(boxes)])


def test_a_bold_line_at_body_size_in_a_column_is_a_subhead_of_its_own():
    # de seed 41: "Kurse für Zugezogene", bold, flush left and nearly as wide as the column,
    # after a closed line; neither short nor centred nor over an indent
    boxes, texts, img = _bold_line_in_column()
    assert _blocks(boxes, texts) == [[0, 1, 2, 3, 4, 5]]     # without the image: one paragraph
    blocks, sub = group_blocks(np.array(boxes, float), texts, np.zeros((0, 4)), _BOLD, gray=img)
    assert [list(x) for x in blocks] == [[0, 1], [2], [3, 4, 5]]
    assert sub == [0, BOLD_HEAD, 0]
    # on by default (session 7); switched off, the bold face is measured and read into nothing
    blocks, sub = group_blocks(np.array(boxes, float), texts, np.zeros((0, 4)), gray=img)
    assert [list(x) for x in blocks] == [[0, 1], [2], [3, 4, 5]]
    blocks, sub = group_blocks(np.array(boxes, float), texts, np.zeros((0, 4)), BlockConfig(bold_subheads=False), gray=img)
    assert [list(x) for x in blocks] == [[0, 1, 2, 3, 4, 5]]


def test_a_bold_cut_says_which_blocks_were_one_without_the_face():
    # en seed 99 page 300: "Tourists return to the pier" cut out of the middle of Whitby's
    # column; without its face the text over it, it and its paragraph were one block, which
    # the stitcher must see again (`reflow.articles.ride_subheads`)
    from broadsheet.layout.blocks import group_blocks_runs
    boxes, texts, img = _bold_line_in_column()
    blocks, sub, runs = group_blocks_runs(np.array(boxes, float), texts, np.zeros((0, 4)), _BOLD, gray=img)
    assert [list(x) for x in blocks] == [[0, 1], [2], [3, 4, 5]] and sub == [0, BOLD_HEAD, 0]
    assert runs == [(0, 1), (1, 2)]
    # opening its chain, the subhead ran on into its paragraph only
    texts = ["Kurse für Zugezogene", "Ab Juni bietet die", "Stadt zudem neue Kurse", "für alle an."]
    boxes = [[100, 100, 510, 132], [100, 142, 400, 174], [100, 184, 550, 216], [100, 226, 350, 258]]
    img = _face_image([(b, 17, 5 if k == 0 else 3) for k, b in enumerate(boxes)])
    assert group_blocks_runs(np.array(boxes, float), texts, np.zeros((0, 4)), _BOLD, gray=img)[2] == [(0, 1)]
    # no bold cuts (the switch off, or set apart by space too): nothing to join
    off = BlockConfig(bold_subheads=False)
    assert group_blocks_runs(np.array(boxes, float), texts, np.zeros((0, 4)), off, gray=img)[2] == []


def test_a_bold_paragraph_is_no_subhead():
    # a lead set bold over the body: its lines are bold together, none of them a heading
    texts = ["Der Anfang war schwer und", "am Ende kamen sie alle.", "Die Stadt bietet ab Herbst",
             "neue Kurse an und lädt", "alle dazu ein und", "feiert mit ihnen."]
    boxes = [list(b) for b in _COL[:6]]
    boxes[1][2] = 450
    boxes[5][2] = 400
    img = _face_image([(b, 17, 5 if k in (2, 3, 4) else 3) for k, b in enumerate(boxes)])
    blocks, sub = group_blocks(np.array(boxes, float), texts, np.zeros((0, 4)), _BOLD, gray=img)
    assert BOLD_HEAD not in sub


def _spaced_off_subhead():
    """fr seed 41: "Un appel aux bénévoles" 33 px over its paragraph's first line, its box 28 px
    high, between two pieces of its column (texts, boxes)."""
    texts = ["Le projet avance bien et", "la ville en est ravie.", "Un appel aux bénévoles",
             "La médiathèque lance un", "appel aux bénévoles de", "la région entière."]
    boxes = [list(b) for b in _COL[:2]] + [[100, 210, 530, 238]] + \
        [[100, 271 + 42 * k, 550, 303 + 42 * k] for k in range(3)]
    return texts, boxes


def test_a_bold_line_spaced_off_its_column_is_a_subhead():
    # fr seed 41: "Un appel aux bénévoles" 33 px over its paragraph's first line, its box 28 px
    # high: no link either side, a block of its own over the column
    texts, boxes = _spaced_off_subhead()
    img = _face_image([(b, 17, 5 if k == 2 else 3) for k, b in enumerate(boxes)])
    blocks, sub = group_blocks(np.array(boxes, float), texts, np.zeros((0, 4)), _BOLD, gray=img)
    assert [list(x) for x in blocks] == [[0, 1], [2], [3, 4, 5]]
    assert sub == [0, BOLD_APART, 0]   # a block of its own without its face
    img = _face_image([(b, 17, 3) for b in boxes])   # set regular: a short body line
    assert group_blocks(np.array(boxes, float), texts, np.zeros((0, 4)), _BOLD, gray=img)[1][1] == 0


def test_a_bold_subhead_filling_a_narrow_column_reads_as_body_for_the_stitcher():
    # en s41 4100127 end to end: "Concerns about parking", bold and spaced off, fills most of
    # its column; read as a subhead by `classify._lone_subheads`' flush rule without its face
    # too, it left `Layout.bold_apart`, and the stitcher gave its story's second part to the
    # story above. It keeps the role subhead, the stitcher reads it as body as before
    from broadsheet.layout.analyze import analyze
    from broadsheet.layout.model import Line
    texts, boxes = _spaced_off_subhead()
    img = _face_image([(b, 17, 5 if k == 2 else 3) for k, b in enumerate(boxes)])
    lines = tuple(Line(id=i, bbox=tuple(float(v) for v in b), text=t)
                  for i, (b, t) in enumerate(zip(boxes, texts)))
    lay = analyze(lines, 1200, 900, image=img, separators=(), figures=())
    k = next(n for n, b in enumerate(lay.blocks) if list(b) == [2])
    assert lay.roles[k] == "subhead"
    assert lay.bold_apart == frozenset({k})
    # a regular face: no bold cut, nothing set apart (the line runs on in its column)
    img = _face_image([(b, 17, 3) for b in boxes])
    assert analyze(lines, 1200, 900, image=img, separators=(), figures=()).bold_apart == frozenset()


def test_a_bold_line_opening_a_column_is_a_subhead_over_a_short_line():
    # de seed 41 end to end: "Kurse für Zugezogene" heads its column over a line OCR cut short
    # (1511–2201 in a column out to 2346): a chain's first line needs no full line under it
    # to be a bold subhead, its x-height is the body's
    texts = ["Kurse für Zugezogene", "Ab Juni bietet die", "Stadt zudem neue Kurse", "für alle an."]
    boxes = [[100, 100, 510, 132], [100, 142, 400, 174], [100, 184, 550, 216], [100, 226, 350, 258]]
    img = _face_image([(b, 17, 5 if k == 0 else 3) for k, b in enumerate(boxes)])
    blocks, sub = group_blocks(np.array(boxes, float), texts, np.zeros((0, 4)), _BOLD, gray=img)
    assert [list(x) for x in blocks] == [[0], [1, 2, 3]]
    assert sub == [BOLD_HEAD, 0]


def _grid_nameplate(dx=1200):
    """A nameplate set as a grid: "Nr. 55." over "Zürcher" on the left, "1780." over
    "Zeitung" far to the right, then weekday and date; two body columns below."""
    boxes = [[150, 100, 450, 190], [60, 240, 520, 360],             # Nr. 55. / Zürcher
             [150 + dx, 105, 420 + dx, 185], [60 + dx, 245, 540 + dx, 355],  # 1780. / Zeitung
             [140, 420, 440, 480], [130 + dx, 425, 560 + dx, 478]]  # Mittwoch, / den 19. Heumonat.
    texts = ["Nr. 55.", "Zürcher", "1780.", "Zeitung", "Mittwoch,", "den 19. Heumonat."]
    return boxes, texts


def test_a_grid_nameplate_is_cut_into_its_rows():
    boxes, texts = _grid_nameplate()
    blocks = _blocks(boxes, texts)
    assert [0] in blocks and [1] in blocks and [2] in blocks and [3] in blocks


def test_two_line_headings_side_by_side_in_neighbouring_columns_stay_whole():
    # the same two stacked lines, but the partner is one gutter away (two headlines of two
    # columns), not further than either is wide: no grid, each heading one block
    boxes, texts = _grid_nameplate(dx=560)
    blocks = _blocks(boxes, texts)
    assert [0, 1] in blocks and [2, 3] in blocks


def test_two_line_blocks_whose_gap_another_column_crosses_are_not_cut():
    # far apart as in the grid, but a column of text between them crosses the white band
    boxes, texts = _grid_nameplate()
    b, t = column(700, 60, 9, width=300, pitch=40, texts=["und weiter im Text der Spalte"] * 9)
    blocks = _blocks(boxes + b, texts + t)
    assert [0, 1] in blocks and [2, 3] in blocks

def test_layout_block_texts_are_each_blocks_lines_run_together():
    """`Layout.block_texts` (no glue) and `block_words` (a space) hold each block's lines in
    block order, as the reflow's content comparisons read them."""
    from broadsheet.layout.analyze import analyze
    from broadsheet.layout.model import Line
    lines = tuple(Line(id=i, bbox=(0.0, 40.0 * i, 600.0, 40.0 * i + 30), text=t)
                  for i, t in enumerate(["Erste Zeile des", "Textes und die", "zweite Zeile."]))
    lay = analyze(lines, 700, 400)
    assert lay.block_texts == tuple("".join(lay.texts[i] for i in b) for b in lay.blocks)
    assert lay.block_words == tuple(" ".join(lay.texts[i] for i in b) for b in lay.blocks)
    assert "Erste Zeile desTextes und die" in "".join(lay.block_texts)
    assert "Erste Zeile des Textes und die" in " ".join(lay.block_words)


# de-11300339 (from lines): a story's first frame ends "…Klos-" and its second frame is set on
# right under it in the same column, 20 px lower than the column's 42-px pitch
_FRAMES = [([797, 484, 1483, 509], "Ende November wurden über 160000"),
           ([797, 526, 1485, 558], "Eintritte gezählt. Besonders gefragt sind"),
           ([796, 568, 1484, 600], "die Führungen zum berühmten Klos-"),
           ([797, 630, 1294, 662], "700 Bände in hoher Auflösung."),
           ([835, 672, 1484, 697], "Die Stadt St. Gallen unterstützt die"),
           ([797, 714, 1485, 746], "Pläne. Sie hofft, dass Besucher künftig"),
           ([796, 756, 1484, 788], "länger in der Altstadt bleiben und neben"),
           ([796, 799, 1485, 823], "der Bibliothek auch das Textilmuseum"),
           ([796, 841, 1278, 865], "und die Kathedrale besuchen.")]


def test_a_latin_column_splits_where_its_line_pitch_jumps_between_two_frames():
    boxes, texts = zip(*_FRAMES)
    assert _blocks(list(boxes), list(texts)) == [[0, 1, 2], [3, 4, 5, 6, 7, 8]]


def test_a_latin_column_at_an_even_pitch_stays_one_block_whatever_its_gaps():
    # the same lines with the second frame moved up to the column's pitch: the white between
    # the boxes still swings from 10 to 25 px with ascenders and descenders
    boxes = [list(b) for b, _ in _FRAMES]
    for b in boxes[3:]:
        b[1] -= 20
        b[3] -= 20
    assert _blocks(boxes, [t for _, t in _FRAMES]) == [list(range(9))]


def test_a_pitch_jump_before_a_columns_last_line_does_not_split_it():
    # a line set apart at the column's foot ("Tourists return to the pier") is a subhead over
    # the next column: the subhead tests and the bold face place it, not the pitch
    boxes = [[1228, 1315, 1772, 1346], [1228, 1357, 1772, 1381], [1227, 1399, 1773, 1430],
             [1228, 1441, 1572, 1472], [1227, 1503, 1698, 1535]]
    texts = ["the harbour was quiet and", "he would sit in the cab of his van", "watching the boats bang against",
             "the quay, he recalled.", "Tourists return to the pier"]
    assert _blocks(boxes, texts) == [[0, 1, 2, 3, 4]]


def test_the_pitch_jump_is_not_read_on_han_pages():
    # Han boxes fill the em: their gaps are the spacing test's (`gap_jump`), not this one.
    # A pitch of 56 px in a column set at 42 (14 px more than the usual white: less than
    # the gap test's jump) splits a Latin column, not a Han one
    b, t = column(0, 0, 4, h=30, pitch=42)
    low, t2 = column(0, 3 * 42 + 56, 4, h=30, pitch=42)
    assert _blocks(b + low, t + t2) == [list(range(8))]
    latin = ["a line of running Latin text here"] * 8
    assert _blocks(b + low, latin) == [[0, 1, 2, 3], [4, 5, 6, 7]]


def test_without_the_pitch_jump_the_two_frames_are_one_block():
    boxes, texts = zip(*_FRAMES)
    blocks, _ = group_blocks(np.array(boxes, float), list(texts), np.zeros((0, 4)),
                             BlockConfig(pitch_jump=0.0))
    assert [list(x) for x in blocks] == [list(range(9))]


def test_a_pitch_jump_over_a_bold_subhead_keeps_the_bold_cut_and_its_runs():
    # en-4100131 end to end: a bold subhead with a little more white over it than the column's
    # pitch; the jump is the subhead's own space, so it stays a `BOLD_HEAD` whose text above
    # and paragraph below run on through it (the stitcher rides it), not a block set apart
    from broadsheet.layout.blocks import group_blocks_runs
    boxes, texts, _ = _bold_line_in_column()
    boxes = [list(b) for b in boxes]
    for b in boxes[2:]:   # 14 px more: a pitch of 56 in a column at 42, a gap the gap test passes
        b[1] += 14
        b[3] += 14
    img = _face_image([(b, 17, 5 if k == 2 else 3) for k, b in enumerate(boxes)])
    blocks, sub, runs = group_blocks_runs(np.array(boxes, float), texts, np.zeros((0, 4)), _BOLD, gray=img)
    assert [list(x) for x in blocks] == [[0, 1], [2], [3, 4, 5]] and sub == [0, BOLD_HEAD, 0]
    assert runs == [(0, 1), (1, 2)]
    # without the image the jump alone splits the column there
    assert _blocks(boxes, texts) == [[0, 1], [2, 3, 4, 5]]


# de-28000842 end to end: the detector's boxes of one column on the scan, two frames stacked
# (the second opens "Der Eintritt…" 63 px under the first's last line, on a 42-px pitch); the
# box over the jump is 36 px, the one under it 28 px
_SCAN_FRAMES = [([1228, 483, 1527, 518], "Papua-Neuguinea."),
                ([1272, 525, 1772, 552], "Kuratorin Delphine Oberholzer"),
                ([1228, 566, 1780, 598], "betont, dass die Ausstellung"),
                ([1227, 609, 1779, 636], "auch die Herkunft der Sammlung"),
                ([1214, 650, 1779, 686], "thematisiert. Bei jedem Objekt"),
                ([1273, 713, 1771, 740], "Der Eintritt ins Schaulager ist"),
                ([1224, 755, 1775, 782], "im Museumsticket inbegriffen."),
                ([1227, 797, 1771, 824], "Für Schulklassen aus der Region"),
                ([1219, 839, 1779, 866], "bietet das Museum zudem")]


def test_a_pitch_jump_between_scan_boxes_of_unequal_height_splits_when_both_lines_rise():
    boxes, texts = zip(*_SCAN_FRAMES)
    assert _blocks(list(boxes), list(texts)) == [[0, 1, 2, 3, 4], [5, 6, 7, 8]]


def test_a_pitch_jump_over_a_line_without_ascenders_keeps_the_box_test():
    # the same jump where the lower line's letters stay in the x-height ("wenn man an rauen
    # ozeanen"): its box's top is not the ascender line, the pitch over it says nothing, and
    # boxes of unequal height (28 under 36 px) keep the column whole as before
    boxes = [list(b) for b, _ in _SCAN_FRAMES]
    texts = [t for _, t in _SCAN_FRAMES]
    texts[5] = "wenn man an rauen ozeanen wo"
    assert _blocks(boxes, texts) == [list(range(9))]
