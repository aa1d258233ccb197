import numpy as np

from broadsheet.reflow.order import bands, precedence, reading_order


def test_columns_are_read_down_then_across():
    boxes = np.array([[0, 0, 95, 100], [105, 0, 200, 100]], float)
    assert reading_order(boxes).tolist() == [0, 1]


def test_spanning_headline_separates_column_bands():
    # story 1: headline over two columns; story 2: headline over both columns below
    boxes = np.array([[0, 0, 200, 20], [0, 30, 95, 100], [105, 30, 200, 100],
                      [0, 110, 200, 130], [0, 140, 95, 200], [105, 140, 200, 200]], float)
    assert reading_order(boxes).tolist() == [0, 1, 2, 3, 4, 5]


def test_box_across_two_of_three_columns_does_not_interleave_stories():
    # left column runs full height; a box spans columns 2-3 in the middle
    boxes = np.array([[0, 0, 95, 300],        # 0 column 1
                      [105, 0, 200, 100],     # 1 column 2 top
                      [210, 0, 300, 100],     # 2 column 3 top
                      [105, 110, 300, 190],   # 3 spanning box
                      [105, 200, 200, 300],   # 4 column 2 bottom
                      [210, 200, 300, 300]], float)  # 5 column 3 bottom
    order = reading_order(boxes).tolist()
    assert order.index(1) < order.index(2) < order.index(3) < order.index(4) < order.index(5)
    assert order[0] == 0


def test_bands_split_where_nothing_crosses():
    boxes = np.array([[0, 0, 10, 10], [0, 5, 10, 20], [0, 30, 10, 40]], float)
    assert [b.tolist() for b in bands(boxes)] == [[0, 1], [2]]


def test_precedence_is_irreflexive():
    rng = np.random.default_rng(0)
    xy = rng.uniform(0, 1000, (50, 2))
    boxes = np.concatenate([xy, xy + rng.uniform(10, 200, (50, 2))], axis=1)
    before = precedence(boxes)
    assert not before.diagonal().any()
    order = reading_order(boxes)
    assert sorted(order.tolist()) == list(range(50))


def test_aligned_gaps_across_columns_become_a_channel():
    from broadsheet.reflow.order import whitespace_channels
    # two columns, each with a gap at y 300..340: a story set in two strips
    boxes = np.array([[0, 0, 100, 300], [0, 340, 100, 600], [120, 0, 220, 300], [120, 340, 220, 600]], float)
    chans = whitespace_channels(boxes, em=20.0)
    assert len(chans) == 1
    x0, y0, x1, y1 = chans[0]
    assert x0 <= 0 and x1 >= 220 and 300 < y0 < 340
    # with the channel as a rule, the strips are read one after the other
    order = reading_order(np.concatenate([boxes, chans])).tolist()
    assert order.index(2) < order.index(1)


def test_gaps_that_do_not_line_up_are_not_channels():
    from broadsheet.reflow.order import whitespace_channels
    boxes = np.array([[0, 0, 100, 300], [0, 340, 100, 600], [120, 0, 220, 450], [120, 490, 220, 600]], float)
    assert len(whitespace_channels(boxes, em=20.0)) == 0


def test_topological_order_breaks_cycles_at_the_topmost_box():
    from broadsheet.reflow.order import topological
    boxes = np.array([[0, 20, 10, 30], [0, 0, 10, 10], [0, 40, 10, 50]], float)
    before = np.zeros((3, 3), bool)
    before[0, 1] = before[1, 0] = True  # a cycle between boxes 0 and 1
    before[1, 2] = True
    assert topological(before, boxes).tolist() == [1, 0, 2]


def test_a_cycle_is_broken_at_a_weak_left_of_relation_not_inside_a_column():
    from broadsheet.reflow.order import topological
    # 2 above 0 in one column (strong), 1 above 2 in another (strong), and 0 "left of" 1
    # (weak, reaching far down the page): the walk gives up 0 → 1, not a column's order
    boxes = np.array([[0, 0, 10, 5], [20, 10, 30, 15], [0, 20, 10, 25]], float)
    before = np.zeros((3, 3), bool)
    strong = np.zeros((3, 3), bool)
    before[0, 1] = True
    before[1, 2] = strong[1, 2] = True
    before[2, 0] = strong[2, 0] = True
    assert topological(before, boxes, strong).tolist() == [1, 2, 0]
    assert topological(before, boxes).tolist() == [0, 1, 2]  # without the strong relation: topmost


def test_a_tall_gap_beside_does_not_hide_a_strip_edge():
    # a story's strip ends at 600 in three columns (gaps 600-624); the fourth column's block
    # ended higher (gap 485-622) and links on to a fifth column whose gap sits at 543-570:
    # the five gaps share no band, but the first four do — that run is a channel
    from broadsheet.reflow.order import whitespace_channels
    em = 29.0
    up = [[0, 0, 360, 600], [400, 0, 760, 600], [800, 0, 1160, 600], [1200, 0, 1560, 485],
          [1600, 0, 1960, 543]]
    down = [[0, 624, 360, 900], [400, 623, 760, 900], [800, 622, 1160, 900], [1200, 622, 1560, 900],
            [1600, 570, 1960, 900]]
    ch = whitespace_channels(np.array(up + down, float), em, max_gap=5.0)  # as collect_units asks
    assert any(c[0] <= 0 and c[2] >= 1560 and 600 <= (c[1] + c[3]) / 2 <= 622 for c in ch)


def test_a_feuilleton_under_the_line_is_cut_off_in_the_column_where_it_opens_with_its_heading():
    # three columns of the main part end near y 600; below, the Feuilleton runs on in columns
    # 2-3 and opens with a tall heading in column 1, its text 6 em further down: the gap under
    # column 1 ends at the heading, and the channel runs through all three columns
    from broadsheet.reflow.order import whitespace_channels
    em = 20.0
    boxes = np.array([[0, 0, 100, 600], [120, 0, 220, 598], [240, 0, 340, 590],   # 0-2 main part
                      [10, 640, 90, 700],                                          # 3 heading
                      [0, 720, 100, 900], [120, 625, 220, 900], [240, 620, 340, 900]], float)
    text = np.array([True, True, True, False, True, True, True])
    ch = whitespace_channels(boxes, em, max_gap=5.0, text=text)
    assert len(ch) == 1 and ch[0][0] <= 0 and ch[0][2] >= 340 and 598 <= ch[0][1] <= 620
    order = reading_order(np.concatenate([boxes, ch])).tolist()
    assert order.index(2) < order.index(3) < order.index(4) < order.index(5)
    # without the heading as the gap's lower side, column 1 has no gap and its Feuilleton is
    # read before the main part's second column
    keep = [0, 1, 2, 4, 5, 6]
    ch_text_only = whitespace_channels(boxes[keep], em, max_gap=5.0)
    assert len(ch_text_only) == 1 and ch_text_only[0][0] >= 100


def test_gaps_that_end_at_headings_alone_make_no_channel():
    # two columns whose stories end near y 600 and whose next stories open with tall headings
    # (their text 8 em further down): each column is read story by story, no strip edge
    from broadsheet.reflow.order import whitespace_channels
    boxes = np.array([[0, 0, 100, 600], [120, 0, 220, 590],
                      [10, 640, 90, 760], [130, 630, 210, 750],
                      [0, 780, 100, 900], [120, 770, 220, 900]], float)
    text = np.array([True, True, False, False, True, True])
    assert len(whitespace_channels(boxes, 20.0, max_gap=5.0, text=text)) == 0


_WORDS = ("die Regierung hat in ihrer gestrigen Sitzung beschlossen dass die neue Strasse nach "
          "dem Plan des Kantons gebaut werden soll und die Gemeinden sich an den Kosten "
          "beteiligen").split()


def _column(x0, y0, n, k0):
    """``n`` lines of German running text, 400 px wide at a 40 px pitch from (x0, y0), their
    words taken from ``_WORDS`` from word ``k0`` on."""
    return [{"box": [x0, y0 + i * 40, x0 + 400, y0 + i * 40 + 30],
             "text": " ".join(_WORDS[(k0 + i * 3 + j) % len(_WORDS)] for j in range(6))} for i in range(n)]


def test_page_order_reads_the_columns_above_the_line_before_the_feuilleton_under_it():
    # four columns; the main part of columns 1-3 ends at y 590, column 4 runs on through (no
    # band cut across the page). Under the line, columns 2-3 run on with the Feuilleton's text
    # and column 1 opens with its heading, whose text starts 9 em lower. The Feuilleton is
    # read after the main part of columns 2 and 3, not between columns 1 and 2.
    from broadsheet.api import read_lines
    lines = _column(0, 0, 15, 0) + _column(440, 0, 15, 5) + _column(880, 0, 15, 9)        # ids 0-44
    lines += [{"box": [120, 640, 280, 690], "text": "Feuilleton."}]            # id 45
    lines += _column(0, 860, 8, 2) + _column(440, 625, 14, 7) + _column(880, 622, 14, 11)  # ids 46-81
    lines += _column(1320, 0, 30, 4)
    page = read_lines({"width": 1750, "height": 1200, "lines": lines}).to_dict()
    order = {ln["id"]: ln["order"] for ln in page["lines"]}
    assert order[14] < order[15] and order[29] < order[30] < order[44]  # main part, column by column
    assert order[44] < order[45] < order[46]                              # then the Feuilleton


def _stepped_gaps(col4_gap):
    """Three columns whose strip edge shares the band y 300-320 (column 3's gap opens higher,
    at 280), and a fourth column with its gap at ``col4_gap``."""
    from broadsheet.reflow.order import column_gaps
    a, b = col4_gap
    boxes = np.array([[0, 0, 100, 300], [120, 0, 220, 300], [240, 0, 340, 280], [360, 0, 460, a],
                      [0, 320, 100, 600], [120, 320, 220, 600], [240, 320, 340, 600], [360, b, 460, 600]],
                     float)
    return boxes, column_gaps(boxes, 25.0, max_gap=5.0)


def test_a_strip_edge_set_a_hair_lower_in_one_column_gets_a_step_across_it():
    # column 4's gap (279-299) misses the band 300-320 by a pixel and lies within column 3's
    # (280-320): with steps, a second box at the step's height spans all four columns
    from broadsheet.reflow.order import channels_from_gaps
    boxes, g = _stepped_gaps((279, 299))
    straight = channels_from_gaps(g, ink=boxes)
    assert len(straight) == 1 and straight[0][2] == 340  # the channel stops at column 3
    stepped = channels_from_gaps(g, ink=boxes, steps=True)
    assert len(stepped) == 2 and stepped[:1].tolist() == straight.tolist()
    x0, y0, x1, y1 = stepped[1]
    assert x0 <= 0 and x1 >= 460 and 280 < y0 < y1 < 299
    # the step box parts column 1's text under the edge from column 4's above it
    order = reading_order(np.concatenate([boxes, stepped])).tolist()
    assert order.index(3) < order.index(4)
    assert reading_order(np.concatenate([boxes, straight])).tolist().index(4) < \
        reading_order(np.concatenate([boxes, straight])).tolist().index(3)


def test_no_step_for_a_gap_far_off_the_band_or_into_ink():
    from broadsheet.reflow.order import channels_from_gaps
    # column 4's gap 240-290: 10 px above the band (0.4 em) — another story's end, no step
    boxes, g = _stepped_gaps((240, 290))
    assert len(channels_from_gaps(g, ink=boxes, steps=True)) == 1
    # column 4's gap 200-299 misses the band by a pixel but is far taller than column 3's
    # (280-320): a story ending beside the strip edge, no step
    boxes, g = _stepped_gaps((200, 299))
    assert len(channels_from_gaps(g, ink=boxes, steps=True)) == 1
    # column 4's gap a hair off and inside column 3's, but column 3's (230-320) is a tall
    # space, not a thin white line: no step
    from broadsheet.reflow.order import column_gaps
    tall, _ = _stepped_gaps((279, 299))
    tall[2, 3] = 230
    assert len(channels_from_gaps(column_gaps(tall, 25.0, max_gap=5.0), ink=tall, steps=True)) == 1
    # a hair off, but a line in column 4's gap where the step would run: no step
    boxes, g = _stepped_gaps((279, 299))
    ink = np.concatenate([boxes, [[380, 285, 440, 292]]])
    assert len(channels_from_gaps(g, ink=ink, steps=True)) == 1


def test_page_order_steps_across_a_column_whose_text_under_the_line_starts_a_hair_higher():
    # as the Feuilleton page below the line, but column 4 does not run on through: its main
    # part ends at y 565 and its Feuilleton text starts at 589, while columns 1-3 share the
    # band 590-622 (column 3 ends at 570). Column 4's main part is read before the Feuilleton.
    from broadsheet.api import read_lines
    lines = (_column(0, 0, 15, 0) + _column(440, 0, 15, 5) + _column(880, 20, 14, 9)
             + _column(1320, 15, 14, 4))                                        # 0-57
    lines += [{"box": [120, 640, 280, 690], "text": "Feuilleton."}]                                # 58
    lines += (_column(0, 860, 8, 2) + _column(440, 625, 14, 7) + _column(880, 622, 14, 11)
              + _column(1320, 589, 14, 6))
    page = read_lines({"width": 1750, "height": 1200, "lines": lines}).to_dict()
    order = {ln["id"]: ln["order"] for ln in page["lines"]}
    assert order[43] < order[44] < order[57] < order[58] < order[59]


def test_a_channel_widened_into_ink_keeps_its_text_gaps():
    # a strip edge at y 300-340 under two text columns; beside them a third column's text stops
    # at 290 over a kicker (ink at 320-330) across the band: the channel keeps to the two text
    # columns instead of being dropped for crossing the kicker
    from broadsheet.reflow.order import whitespace_channels
    boxes = np.array([[0, 0, 100, 300], [120, 0, 220, 300], [240, 0, 340, 290],
                      [0, 340, 100, 600], [120, 340, 220, 600],
                      [240, 360, 500, 390]], float)  # 5: a title (heading) under column 3
    ink = np.array([[240, 320, 500, 330], [240, 360, 500, 390]], float)
    text = np.array([True, True, True, True, True, False])
    ch = whitespace_channels(boxes, 20.0, ink=ink, max_gap=5.0, text=text)
    assert len(ch) == 1 and ch[0][0] <= 0 and 220 <= ch[0][2] < 240


def test_reading_order_again_orders_only_the_bands_whose_boxes_changed():
    from broadsheet.reflow.order import reading_order_again
    rng = np.random.default_rng(3)
    xy = rng.uniform(0, 1000, (60, 2))
    boxes = np.concatenate([xy, xy + rng.uniform(10, 120, (60, 2))], axis=1)
    old = reading_order(boxes)
    wider = boxes.copy()
    wider[::7, 2] += 150  # x only: the bands stay
    assert reading_order_again(wider, boxes, old).tolist() == reading_order(wider).tolist()
    lower = boxes.copy()
    lower[5, 3] += 40     # y changed: ordered from scratch
    assert reading_order_again(lower, boxes, old).tolist() == reading_order(lower).tolist()


def test_successors_lists_each_row_ascending_also_empty_rows():
    from broadsheet.reflow.order import _successors
    rel = np.zeros((5, 5), bool)
    rel[0, [4, 1]] = rel[3, [0, 2, 3]] = True
    assert _successors(rel) == [[1, 4], [], [], [0, 2, 3], []]
    assert _successors(np.zeros((0, 0), bool)) == []


def _masthead_page():
    """Nameplate over a subtitle between two ears; the left ear's price table ends 5 px below
    the top of column 2, so no clean cut parts the head from the three columns."""
    words = ("die Regierung hat in ihrer gestrigen Sitzung beschlossen dass die neue Strasse nach "
             "dem Plan des Kantons gebaut werden soll").split()

    def col(x0, y0, n, k0):
        return [{"box": [x0, y0 + i * 40, x0 + 400, y0 + i * 40 + 30],
                 "text": " ".join(words[(k0 + i * 3 + j) % len(words)] for j in range(6))} for i in range(n)]

    head = [{"box": [100, 0, 1200, 80], "text": "Neue Zürcher Zeitung"},                 # 0
            {"box": [500, 100, 800, 125], "text": "und schweizerisches Handelsblatt"},    # 1
            {"box": [0, 100, 380, 125], "text": "Abonnementspreise 3 Monate 6 Monate"},  # 2-4
            {"box": [0, 140, 380, 165], "text": "Zürich abgeholt Fr. 3.50 Fr. 7.—"},
            {"box": [0, 180, 380, 210], "text": "Ausland Bestellung Fr. 9.— Fr. 18.—"},
            {"box": [900, 100, 1280, 125], "text": "Insertionspreise: die Zeile 25 Rp."},  # 5-6
            {"box": [900, 140, 1280, 165], "text": "Reklamen Fr. 1.— per Zeile"}]
    lines = head + [{"box": [60, 300, 340, 330], "text": "Eidgenössische Versicherung"}]  # 7
    lines += col(0, 345, 12, 0) + col(440, 205, 16, 4) + col(880, 200, 16, 8)          # 8-51
    return {"width": 1300, "height": 1000, "lines": lines}


def test_a_masthead_is_read_whole_before_columns_whose_tops_reach_up_beside_its_ears():
    from broadsheet.api import read_lines
    page = read_lines(_masthead_page()).to_dict()
    order = {ln["id"]: ln["order"] for ln in page["lines"]}
    assert max(order[i] for i in range(7)) < min(order[i] for i in range(7, 52))
    assert order[7] < order[8] < order[19] < order[20] < order[35] < order[36]  # then column by column


def test_head_cut_needs_a_nameplate_and_two_column_tops_and_parts_no_column_from_its_first_line():
    from broadsheet.reflow.order import head_cut
    boxes = np.array([[100, 0, 1200, 80], [0, 100, 380, 210], [440, 205, 840, 845],
                      [880, 200, 1280, 840], [0, 300, 400, 800]], float)
    text = np.array([False, False, True, True, True])
    rows = np.array([1, 3, 16, 16, 12])
    y = head_cut(boxes, text, rows, 30.0)
    assert y is not None and 200 < y < 210
    assert head_cut(boxes[1:], text[1:], rows[1:], 30.0) is None          # no nameplate above
    assert head_cut(boxes, text, np.array([1, 3, 5, 5, 12]), 30.0) is None  # ear-sized blocks: no columns
    first = np.concatenate([boxes, [[440, 170, 840, 207]]])               # column 2's first line
    assert head_cut(first, np.append(text, False), np.append(rows, 1), 30.0) is None


def test_a_grid_nameplate_reads_row_by_row():
    # "Nr. 55." over "Zürcher" left, "1780." over "Zeitung" right: the title reads across
    from broadsheet.api import read_lines
    head = [([150, 100, 450, 190], "Nr. 55."), ([60, 240, 520, 360], "Zürcher"),
            ([1350, 105, 1620, 185], "1780."), ([1260, 245, 1740, 355], "Zeitung"),
            ([140, 420, 440, 480], "Mittwoch,"), ([1330, 425, 1760, 478], "den 19. Heumonat.")]
    body = [([x0, 560 + i * 40, x0 + 800, 590 + i * 40], "und so geht der Text der Spalte weiter fort")
            for x0 in (0, 960) for i in range(10)]
    page = read_lines({"width": 1800, "height": 1000,
                       "lines": [{"box": b, "text": t} for b, t in head + body]}).to_dict()
    order = sorted(range(6), key=lambda i: page["lines"][i]["order"])
    assert order == [0, 2, 1, 3, 4, 5]


def _random_boxes(rng, shape, grid: bool):
    """Boxes of ``shape`` (..., 4): on a coarse grid (exact ties, shared edges) or scattered."""
    if grid:
        xy = rng.integers(0, 6, shape[:-1] + (2,)) * 50.0
        wh = rng.integers(1, 4, shape[:-1] + (2,)) * 50.0
    else:
        xy = rng.uniform(0, 400, shape[:-1] + (2,))
        wh = rng.uniform(5, 200, shape[:-1] + (2,))
    return np.concatenate([xy, xy + wh], axis=-1)


def test_precedences_of_a_stack_of_bands_are_each_bands_own():
    # bands stacked on the same coordinates: a box of one band lying "between" a pair of
    # another would block it if the batch mixed them
    from broadsheet.reflow.order import precedences
    rng = np.random.default_rng(7)
    for n in (2, 3, 5, 9):
        for grid in (True, False):
            stack = _random_boxes(rng, (40, n, 4), grid)
            before, rule1 = precedences(stack)
            for g in range(len(stack)):
                b1, r1 = precedence(stack[g], parts=True)
                assert np.array_equal(before[g], b1) and np.array_equal(rule1[g], r1)
    # a box spanning both columns between a (left, higher) and b (right, lower) blocks "a left
    # of b" in its own band; stacked with a band that holds it at the same place, it does not
    a, b = [0, 0, 100, 20], [120, 60, 220, 80]
    spanning = [0, 30, 220, 40]
    own = np.array([a, b, [500, 0, 600, 10]], float)
    other = np.array([[500, 0, 600, 10], [600, 0, 700, 10], spanning], float)
    assert not precedence(np.array([a, b, spanning], float))[0, 1]
    assert precedence(own)[0, 1]
    assert precedences(np.stack([own, other]))[0][0, 0, 1]


def test_reading_order_of_many_bands_is_each_bands_order_alone():
    # bands of every size (many of one size, ordered together) and one above _BATCH_MAX
    from broadsheet.reflow.order import _BATCH_MAX, _order_band, bands, reading_order_again
    rng = np.random.default_rng(11)
    rows, y = [], 0.0
    for k in range(120):
        n = int(rng.choice([1, 2, 2, 3, 3, 4, 6, 8, _BATCH_MAX + 3]))
        b = _random_boxes(rng, (n, 4), grid=bool(k % 2))
        b[:, [1, 3]] = b[:, [1, 3]] * 0.3 + y  # one band: rows overlap, nothing crosses the gap below
        rows.append(b)
        y = b[:, 3].max() + 40
    boxes = np.concatenate(rows)
    want = np.concatenate([band if len(band) == 1 else band[_order_band(boxes[band])] for band in bands(boxes)])
    assert reading_order(boxes).tolist() == want.tolist()
    wider = boxes.copy()
    wider[::5, 2] += 90
    assert reading_order_again(wider, boxes, want).tolist() == reading_order(wider).tolist()
