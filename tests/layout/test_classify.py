"""Block roles on small hand-made pages: one test per role, through the whole pipeline."""
from __future__ import annotations

import pytest

from broadsheet.api import read_lines
from broadsheet.layout.classify import type_sizes
from broadsheet.layout import roles as R

import numpy as np

BODY = 30  # px, CJK body type: a character is one em wide


def _line(x, y, text, size=BODY):
    return {"box": [x, y, x + size * len(text), y + size], "text": text}


def _para(x, y, rows, size=BODY, pitch=45, indent=True):
    out = []
    for k, t in enumerate(rows):
        dx = 2 * size if (k == 0 and indent) else 0
        out.append(_line(x + dx, y + k * pitch, t, size))
    return out


ROWS = ["江西赣州经开区日前举行集中签约仪式", "中车生一伦等九个项目落户园区，总投", "资逾一百亿元，涉及高端装备制造。",
        "这些项目将带动当地就业和产业升级。"]


def _page():
    lines = [_line(100, 20, "经济日报 2020年5月12日 星期二 第7版", 24)]
    # story A: kicker, title, subtitle, byline, body with a subhead, a jump line
    lines += [_line(100, 120, "江西赣州经开区：", 36)]
    lines += [_line(100, 170, "招大引强交出硬核答卷", 80)]
    lines += [_line(100, 270, "集中签约项目总投资逾百亿元", 44)]
    lines += [_line(100, 340, "本报记者 刘兴", BODY)]
    lines += _para(100, 400, ROWS[:2] + ["资逾一百亿元，涉及高端装备制造。"])
    lines += [_line(190, 545, "定制个性化招商方案", BODY)]
    lines += _para(100, 600, ROWS[1:] + ["更多项目正在洽谈之中，下半年将陆续"], indent=True)
    lines += [_line(100, 790, "（下转第3版）", BODY)]
    # story B, then a photo (white space here) with its caption and, apart, its credit
    lines += [_line(1000, 120, "机器人小镇活力十足", 80)]
    lines += _para(1000, 240, ROWS)
    lines += [_line(1000, 700, "图为工人在生产线上忙碌。", BODY)]
    lines += [_line(1400, 800, "郭立杰摄", 24)]
    lines += [_line(100, 1000, "本版编辑 张三 美编 李四", 24)]
    return read_lines({"width": 1800, "height": 1100, "lines": lines})


@pytest.fixture(scope="module")
def roles():
    page = _page()
    out = {}
    for b in page.blocks:
        out[page.lines[b.lines[0]].text] = b.role
    return out


@pytest.mark.parametrize("first_line, role", [
    ("经济日报 2020年5月12日 星期二 第7版", R.PAGE_HEADER),
    ("江西赣州经开区：", R.KICKER),
    ("招大引强交出硬核答卷", R.TITLE),
    ("集中签约项目总投资逾百亿元", R.SUBTITLE),
    ("本报记者 刘兴", R.BYLINE),
    ("定制个性化招商方案", R.SUBHEAD),
    ("（下转第3版）", R.JUMP),
    ("机器人小镇活力十足", R.TITLE),
    ("图为工人在生产线上忙碌。", R.CAPTION),
    ("郭立杰摄", R.CREDIT),
    ("本版编辑 张三 美编 李四", R.FOOTER),
])
def test_role(roles, first_line, role):
    assert roles[first_line] == role


def test_body_paragraphs_are_body(roles):
    assert roles[ROWS[0]] == R.BODY


def test_a_caption_that_ends_with_its_credit_is_a_caption():
    lines = _para(100, 100, ROWS) + [_line(100, 400, "图为工人在生产线上忙碌。郭立杰摄", BODY)]
    page = read_lines({"width": 1200, "height": 600, "lines": lines})
    role = {page.lines[b.lines[0]].text: b.role for b in page.blocks}
    assert role["图为工人在生产线上忙碌。郭立杰摄"] == R.CAPTION


def test_a_tall_scrap_ending_a_sentence_is_not_a_headline():
    # OCR pieces like "个。" can come out with a tall box; they are never title or subtitle
    lines = [_line(100, 20, "招大引强交出硬核答卷", 80)] + _para(100, 140, ROWS)
    lines += [{"box": [100, 330, 160, 380], "text": "个。"}]
    page = read_lines({"width": 1200, "height": 600, "lines": lines})
    role = {page.lines[b.lines[0]].text: b.role for b in page.blocks}
    assert role["个。"] not in (R.TITLE, R.SUBTITLE, R.KICKER)


def test_type_size_comes_from_the_advance_not_the_box_height():
    boxes = np.array([[0, 0, 300, 30], [0, 40, 300, 90], [0, 100, 60, 150]], float)
    ts = type_sizes(boxes, ["正文正文正文正文正文", "正文正文正文正文正文", "个。"])
    assert ts[0] == pytest.approx(30) and ts[1] == pytest.approx(30)  # a tall box, body type
    assert ts[2] == pytest.approx(50)  # too few characters: the height is all there is


def test_quoted_scraps_cut_out_of_a_column_are_not_a_headline():
    # "“取消" over "“推进": pieces of a list of quoted items, in slightly large boxes
    lines = [_line(100, 20, "招大引强交出硬核答卷", 80)] + _para(100, 140, ROWS)
    lines += [{"box": [100, 420, 208, 456], "text": "“取消"}, {"box": [100, 466, 208, 502], "text": "“推进"}]
    page = read_lines({"width": 1200, "height": 700, "lines": lines})
    role = {page.lines[b.lines[0]].text: b.role for b in page.blocks}
    assert role["“取消"] not in (R.TITLE, R.SUBTITLE, R.KICKER, R.SECTION)


def test_cjk_box_drawn_tall_keeps_the_advance_as_type_size():
    # "续增长。”": five cells 26 px apart in a box the detector drew 52 px tall
    boxes = np.array([[0, 0, 130, 52], [0, 0, 130, 100], [0, 0, 104, 52], [0, 0, 130, 52]], float)
    ts = type_sizes(boxes, ["续增长。”", "续增长。”", "增长。”", "abcdefghij"])
    assert ts[0] == pytest.approx(26)
    assert ts[1] == pytest.approx(100)  # beyond three lines tall: maybe vertical, keep the height
    assert ts[2] == pytest.approx(26)  # half marks, still full cells
    assert ts[3] == pytest.approx(52)  # Latin: an advance this narrow says nothing of the type


def test_a_column_line_boxed_tall_at_the_body_advance_is_body_not_a_title():
    # a paragraph's short last line, boxed twice the body's height by the detector, set at the
    # body's advance flush with the column, the next paragraph indented under it
    rows = ["放缓在中国的投资。集团对济宁工厂的", "投资直到二〇二五年都会持续稳定地持"]
    lines = [_line(100, 20, "招大引强交出硬核答卷", 80)] + _para(100, 140, ROWS)
    lines += _para(100, 320, rows, indent=False)
    lines += [{"box": [100, 400, 100 + 5 * BODY, 400 + 62], "text": "续增长。”"}]
    lines += _para(100, 470, ROWS)
    page = read_lines({"width": 1200, "height": 800, "lines": lines})
    role = {page.lines[i].text: b.role for b in page.blocks for i in b.lines}
    assert role["续增长。”"] == R.BODY


def test_a_one_line_title_in_body_width_but_larger_type_stays_a_title():
    # the negative: a column-wide one-line title at 1.7 x the body's advance, its box drawn tall too
    lines = _para(100, 20, ROWS)
    lines += [{"box": [100, 230, 100 + 9 * 50, 230 + 110], "text": "机器人小镇活力十足"}]
    lines += _para(100, 360, ROWS)
    page = read_lines({"width": 1200, "height": 700, "lines": lines})
    role = {page.lines[i].text: b.role for b in page.blocks for i in b.lines}
    assert role["机器人小镇活力十足"] == R.TITLE


def test_letter_spaced_cjk_line_keeps_body_type_size():
    # "州　经　开　区" spread across a 350 px column: 87 px advance, 32 px glyphs
    boxes = np.array([[0, 0, 350, 32]], float)
    assert type_sizes(boxes, ["州经开区"])[0] == pytest.approx(32)


def test_a_speck_read_as_text_is_in_no_article():
    # a smudge between columns that the recogniser read as ",9": kept on the page, role other
    lines = [_line(100, 20, "招大引强交出硬核答卷", 80)] + _para(100, 140, ROWS)
    lines += [{"box": [700, 300, 715, 315], "text": ",9"}]
    page = read_lines({"width": 1200, "height": 600, "lines": lines})
    speck = next(b for b in page.blocks if page.lines[b.lines[0]].text == ",9")
    assert speck.role == R.OTHER and speck.article is None
    assert len(page.articles) == 1


def test_a_section_label_over_a_headline_opens_no_article():
    # "社会民生" in large type heads a band; the nearest thing under it is a story's headline.
    # Taken for a title, it would open an article with whatever text no headline claims
    # (here a note at the top right).
    lines = [_line(100, 20, "社会民生", 50)]
    lines += [_line(100, 200, "机器人小镇活力十足", 80)] + _para(100, 320, ROWS)
    lines += _para(1100, 40, ["另据了解，园区明年将新建两座厂房。", "项目预计年底前全部开工建设。"])
    page = read_lines({"width": 1700, "height": 900, "lines": lines})
    role = {page.lines[b.lines[0]].text: b.role for b in page.blocks}
    assert role["社会民生"] == R.SECTION
    assert "社会民生" not in [a.title for a in page.articles]


def test_a_label_over_a_column_continued_from_elsewhere_opens_no_article():
    # "促进高质量发展" labels a band; under it a story's column runs on from another column
    # (its first line flush, no paragraph indent), which no headline opens on a Han page
    # (the story's second column stops at "总投"; it goes on under the label: "资逾一百亿元…")
    lines = [_line(100, 20, "招大引强交出硬核答卷", 80)] + _para(100, 140, ROWS)
    lines += _para(700, 140, ROWS[:2], indent=False)
    lines += [_line(130, 400, "促进高质量发展", 45)] + _para(100, 500, ROWS[2:] + ROWS[1:], indent=False)
    page = read_lines({"width": 1400, "height": 1200, "lines": lines})
    role = {page.lines[b.lines[0]].text: b.role for b in page.blocks}
    assert role["促进高质量发展"] == R.SECTION
    assert [a.title for a in page.articles] == ["招大引强交出硬核答卷"]


def test_a_lone_title_over_a_story_that_opens_indented_stays_a_title():
    lines = [_line(100, 20, "招大引强交出硬核答卷", 80)] + _para(100, 140, ROWS)
    lines += [_line(130, 400, "促进高质量发展", 45)] + _para(100, 500, ROWS + ROWS[1:])
    page = read_lines({"width": 1400, "height": 1200, "lines": lines})
    assert [a.title for a in page.articles] == ["招大引强交出硬核答卷", "促进高质量发展"]


def test_a_short_title_over_its_own_text_stays_a_title():
    lines = [_line(100, 20, "社会民生", 80)] + _para(100, 140, ROWS)
    page = read_lines({"width": 1400, "height": 600, "lines": lines})
    assert [a.title for a in page.articles] == ["社会民生"]


def _roles(lines, w=1800, h=1200):
    page = read_lines({"width": w, "height": h, "lines": lines})
    return {page.lines[b.lines[0]].text: b.role for b in page.blocks}, page


def test_a_folio_far_above_the_text_is_a_page_header_not_a_title():
    # "产经  11" in large type at the top right; the column under it starts well below
    lines = [_line(1300, 20, "产经11", 42)] + [_line(100, 150, "机器人小镇活力十足", 80)]
    lines += _para(100, 260, ROWS) + _para(1200, 200, ROWS)
    role, page = _roles(lines, 1800, 2000)
    assert role["产经11"] == R.PAGE_HEADER
    assert [a.title for a in page.articles] == ["机器人小镇活力十足"]


def test_a_line_beside_the_top_of_running_text_is_no_folio():
    # "州经开区签约。" ends a word from the page before at the top of the right column; the
    # left column's text starts at the same height: it is a column's first line, not a folio
    lines = _para(100, 20, ROWS + ROWS, indent=False) + [_line(1200, 20, "州经开区签约。")]
    lines += [_line(1200, 130, "机器人小镇活力十足", 80)] + _para(1200, 240, ROWS)
    role, _ = _roles(lines, 1800, 2000)
    assert role["州经开区签约。"] == R.BODY


def _column_head_page(first):
    # a story's title at the top left, its text well below; at the top of the right column a
    # one-line block ``first`` over a subhead and the column's running text
    lines = [_line(100, 30, "机器人小镇活力十足", 80)] + _para(100, 200, ROWS)
    lines += [_line(1200, 30, first), _line(1290, 100, "老师傅带出新学徒")] + _para(1200, 160, ROWS)
    return _roles(lines, 1800, 2000)[0]


def test_a_han_sentences_end_at_a_columns_head_is_no_folio():
    # "…成了展示空间。" closes a paragraph begun in the column before: a Han folio line ends on
    # no stop (zh-26000781 lost the line and then its story's next column)
    assert _column_head_page("十多座老瓷厂成了展示空间。")["十多座老瓷厂成了展示空间。"] == R.BODY


def test_a_han_folio_line_over_a_column_stays_a_folio():
    # the same place, no sentence closed: a folio line ("综合新闻") ...
    assert _column_head_page("综合新闻")["综合新闻"] == R.PAGE_HEADER
    # ... and a stop set off the column's left edge stands over no column
    lines = [_line(100, 30, "机器人小镇活力十足", 80)] + _para(100, 200, ROWS)
    lines += [_line(1500, 30, "本版文章均为原创。")] + _para(1200, 160, ROWS)
    assert _roles(lines, 1800, 2000)[0]["本版文章均为原创。"] == R.PAGE_HEADER


def test_a_photo_story_title_in_the_row_of_the_top_headlines_is_no_folio():
    # a photo story at the top of the page: its title stands in the row of the other stories'
    # headlines, its text far below under the photo (not seen from lines alone)
    lines = [_line(100, 20, "河北香河经济技术开发区：", BODY), _line(100, 70, "机器人小镇活力十足", 56),
             _line(100, 150, "本报记者 陈发明", BODY)] + _para(100, 230, ROWS)
    lines += [_line(1000, 40, "加班加点赶订单", 52)] + _para(1000, 1200, ROWS[:2])
    lines += [_line(1300, 1150, "郭立杰摄", 24)]
    role, page = _roles(lines, 1800, 3000)
    assert role["加班加点赶订单"] == R.TITLE
    assert "加班加点赶订单" in [a.title for a in page.articles]


def test_a_headline_at_the_top_with_its_byline_under_it_is_no_folio():
    lines = [_line(100, 20, "机器人小镇活力十足", 80), _line(100, 110, "本报记者 陈发明", BODY)]
    lines += _para(100, 260, ROWS)
    role, page = _roles(lines, 1800, 2000)
    assert role["机器人小镇活力十足"] == R.TITLE


def _kicker_page(kicker: str):
    """One line in body type set flush over a short title, its byline and a column of text."""
    lines = [_line(100, 200, kicker, BODY)]
    lines += [_line(100, 250, "引资一产一链", 80), _line(100, 355, "本报记者 张建军", BODY)]
    lines += _para(100, 420, ROWS)
    return _roles(lines, 1800, 2000)


def test_a_long_kicker_over_a_short_title_is_a_kicker():
    # one line, wider than every title on the page, set flush with the title under it
    # (set in body type, as on the seed page: only its place makes it a kicker)
    role, page = _kicker_page("广东肇庆高新区构建项目招商要素保障建设投产闭环")
    assert role["广东肇庆高新区构建项目招商要素保障建设投产闭环"] == R.KICKER
    assert [a.kicker for a in page.articles] == ["广东肇庆高新区构建项目招商要素保障建设投产闭环"]


def test_a_kicker_whose_dash_was_read_as_a_hyphen_is_a_kicker():
    # OCR reads the kicker's closing "——" as "-": after a Han character that is a dash, no
    # word running on; a Latin line ending in a hyphen stays out
    role, page = _kicker_page("广东肇庆高新区构建项目招商要素保障建设投产闭环-")
    assert role["广东肇庆高新区构建项目招商要素保障建设投产闭环-"] == R.KICKER
    from broadsheet.layout.classify import _hyphenated
    assert _hyphenated("Die Verhand-") and not _hyphenated("闭环-") and not _hyphenated("闭环——")


def test_a_kicker_in_two_lines_is_a_kicker_and_a_column_piece_is_not():
    # a kicker broken in two lines (its second line the shorter), over a title: not body
    kick = [_line(1000, 200, "广东肇庆高新区构建“项目招商—", BODY), _line(1000, 241, "要素保障—建设投产”闭环——", BODY)]
    lines = kick + [_line(1000, 300, "引资一产一链", 80), _line(1000, 405, "本报记者 张建军", BODY)]
    lines += _para(1000, 470, ROWS)
    # two lines of one column's width over a title are a piece of running text
    lines += [_line(100, 200, ROWS[1][:12]), _line(100, 245, ROWS[2][:12])]
    lines += [_line(100, 300, "机器人小镇活力十足", 80)] + _para(100, 400, ROWS)
    role, page = _roles(lines, 1800, 2000)
    assert role["广东肇庆高新区构建“项目招商—"] == R.KICKER
    assert role[ROWS[1][:12]] == R.BODY


def test_a_kicker_centred_in_three_lines_is_a_kicker_and_a_column_piece_is_not():
    # a kicker set centred in a narrow column, three lines of different widths on one axis
    # (its first two of one width), over a centred title: a kicker, not body
    kick = [_line(1015, 200, "内蒙古乌兰察", BODY), _line(1015, 241, "布借“风”借", BODY),
            _line(1060, 282, "凉——", BODY)]
    lines = kick + [_line(1000, 340, "数据中心", 52), _line(1000, 415, "本报记者 包海燕", BODY)]
    lines += _para(1000, 480, [r[:7] for r in ROWS])
    # three lines of one column's running text over a title, flush left, the last shorter:
    # a piece of the column, body
    piece = [_line(100, 200, ROWS[1][:12]), _line(100, 241, ROWS[2][:12]), _line(100, 282, ROWS[3][:6])]
    lines += piece + [_line(100, 340, "机器人小镇活力十足", 80)] + _para(100, 440, ROWS)
    role, page = _roles(lines, 1800, 2000)
    assert role["内蒙古乌兰察"] == R.KICKER
    assert "内蒙古乌兰察布借“风”借凉——" in [a.kicker for a in page.articles]
    assert role[ROWS[1][:12]] == R.BODY
    from broadsheet.layout.classify import _set_centred
    boxes = np.array([l["box"] for l in kick + piece], float)
    # three lines of one width on one axis (a justified piece's full lines) are not set centred
    full = np.array([[100, 0, 460, 30], [100, 41, 460, 71], [100, 82, 460, 112]], float)
    assert _set_centred([np.arange(3), np.arange(3, 6)], boxes, BODY).tolist() == [True, False]
    assert not _set_centred([np.arange(3)], full, BODY)[0]


def test_a_short_block_on_top_of_a_photo_credit_is_a_caption():
    # lines only: the photo is not seen, but the credit under the caption is
    lines = [_line(100, 20, "机器人小镇活力十足", 80)] + _para(100, 140, ROWS)
    lines += [_line(100, 700, "图片上工人正在生产线上忙碌。", BODY), _line(250, 740, "Bild: Lukas Felder", 20)]
    role, _ = _roles(lines)
    assert role["图片上工人正在生产线上忙碌。"] == R.CAPTION
    assert role["Bild: Lukas Felder"] in (R.CREDIT, R.CAPTION)


@pytest.mark.parametrize("text, role", [
    ("Photograph: Daniel Crossley", R.CREDIT),
    ("Le Gérant : J. MALABOUCHE.", R.FOOTER),
    ("Imprimerie du Matin, 6, boulevard Poissonnière", R.FOOTER),
])
def test_latin_credit_and_imprint_patterns(text, role):
    lines = [_line(100, 20, "TITLE OF THE STORY", 60)]
    lines += [{"box": [100, 120 + 45 * k, 900, 150 + 45 * k], "text": t}
              for k, t in enumerate(["The harbour wall was rebuilt over the", "winter and reopened last week to all.",
                                     "Fishermen say the new quay is safer."])]
    lines += [{"box": [500, 400, 500 + 14 * len(text), 425], "text": text}]
    role_of, _ = _roles(lines)
    assert role_of[text] == role


def test_a_lone_lower_case_letter_is_a_speck():
    lines = [_line(100, 20, "招大引强交出硬核答卷", 80)] + _para(100, 140, ROWS)
    lines += [{"box": [1500, 900, 1513, 928], "text": "t"}]
    role, page = _roles(lines)
    assert role["t"] == R.OTHER


def _latin_rows(x, y, rows, h=24, cw=12, pitch=34):
    return [{"box": [x, y + k * pitch, x + cw * len(t), y + k * pitch + h], "text": t}
            for k, t in enumerate(rows)]


def test_a_wire_line_in_brackets_heads_a_dispatch_inside_its_story():
    # "(PAR FIL SPÉCIAL)" in capitals over each dispatch: not a headline opening a new story
    lines = _latin_rows(100, 20, ["LES PERTES D'OSMAN-DIGMA"], h=40, cw=22)
    lines += _latin_rows(100, 90, ["Le général Graham a passé la nuit sur", "le champ de bataille avec ses troupes."])
    # set apart by space above and below, so each is a block of its own
    lines += _latin_rows(150, 180, ["(PAR FIL SPÉCIAL)"], h=26, cw=15)
    lines += _latin_rows(100, 250, ["LONDRES, 15 mars. Le correspondant du", "Times confirme les pertes de l'ennemi."])
    lines += _latin_rows(150, 360, ["(L»AR FIL SPÉCIAL)"], h=26, cw=15)  # as the OCR read it
    lines += _latin_rows(100, 430, ["LONDRES, 14 mars. Les blessés ont été", "ramenés à Souakim dans la soirée."])
    role, page = _roles(lines, 900, 700)
    assert role["(PAR FIL SPÉCIAL)"] == R.SUBHEAD
    assert role["(L»AR FIL SPÉCIAL)"] == R.SUBHEAD
    assert [a.title for a in page.articles] == ["LES PERTES D'OSMAN-DIGMA"]
    text = "\n".join(p.text for p in page.articles[0].paragraphs)
    assert text.index("LONDRES, 15 mars") < text.index("LONDRES, 14 mars")


def _dispatch_page(titles):
    """Three stories side by side; the first has a lower-case heading set apart mid-story."""
    lines = []
    for n, title in enumerate(titles):
        x = 60 + n * 620
        lines += _latin_rows(x, 20, [title], h=40, cw=22)
        lines += _latin_rows(x, 90, ["Le général Graham a passé la nuit sur", "le champ de bataille avec ses troupes."])
        if n == 0:  # in the run of the column, centred, after a closed sentence
            lines += _latin_rows(x + 102, 158, ["Condoléances Royales."])
            lines += _latin_rows(x, 192, ["  LONDRES, 15 mars. La reine a envoyé", "ses condoléances aux familles."])
    return lines


def test_a_lower_case_heading_is_a_subhead_where_the_paper_sets_headlines_in_capitals():
    # NewsEye's Le Matin: every headline in capitals; "Condoléances Royales." heads a
    # dispatch inside LES PERTES D'OSMAN-DIGMA and opens no story of its own
    lines = _dispatch_page(["LES PERTES D'OSMAN-DIGMA", "LA SANTÉ DE BISMARCK", "LE PARLEMENT"])
    role, page = _roles(lines, 1900, 400)
    assert role["Condoléances Royales."] == R.SUBHEAD
    assert len(page.articles) == 3
    first = next(a for a in page.articles if a.title == "LES PERTES D'OSMAN-DIGMA")
    assert "LONDRES, 15 mars" in "\n".join(p.text for p in first.paragraphs)


def test_a_lower_case_heading_opens_a_story_where_headlines_are_in_lower_case():
    lines = _dispatch_page(["Les pertes d'Osman-Digma", "La santé de Bismarck", "Le Parlement"])
    role, page = _roles(lines, 1900, 400)
    assert role["Condoléances Royales."] == R.TITLE


def test_a_lead_paragraph_set_large_is_no_headline():
    # an editorial's lead in larger type, 12 lines, its short last line cut off as a block of
    # its own ("lamment commencées."), then the next story's headline and text
    lead = ["EN AVANT ! tel doit être le mot", "d'ordre de nos soldats au Tonkin"] * 6
    lead[-1] = "et des opérations si bril-"
    lines = _latin_rows(100, 20, lead, h=30, cw=16, pitch=40)
    lines += _latin_rows(130, 20 + 12 * 40 + 2, ["lamment commencées."], h=30, cw=16)
    lines += _latin_rows(100, 600, ["A TRAVERS PARIS"], h=48, cw=28)
    lines += _latin_rows(100, 680, ["Le préfet de police a quitté Paris", "ce soir à minuit pour Lyon."])
    role, page = _roles(lines)
    assert role["EN AVANT ! tel doit être le mot"] == R.BODY
    assert [a.title for a in page.articles if a.title] == ["A TRAVERS PARIS"]


def test_a_large_line_running_on_the_paragraph_above_is_body():
    # block 0: a lead paragraph in large type; block 1 its last line, cut off ("lamment
    # commencées." under "…si bril-"); block 2 a headline in capitals further down
    from broadsheet.layout.classify import _paragraph_tails
    bb = np.array([[100, 20, 600, 500], [130, 502, 440, 532], [100, 600, 520, 648]], float)
    roles = [R.BODY, R.TITLE, R.TITLE]
    out = _paragraph_tails(list(roles), bb, np.array([12, 1, 1]),
                           ["EN AVANT !…si bril-", "lamment commencées.", "A TRAVERS PARIS"],
                           np.array([1.25, 1.25, 1.9]), 24.0)
    assert out == [R.BODY, R.BODY, R.TITLE]


def test_em_counts_add_each_line_left_to_right_bit_for_bit():
    from broadsheet.layout.patterns import char_em as _char_em, em_counts as _em_counts

    texts = ["  州经开区签约。 ", "", " ", "Ab 12 “Zürich”", "x" * 300, "本 报 评 论 员", "\ud800a",
             "Verkehrs-", "3月份以来，济宁高新区"]
    ems, han = _em_counts(texts)
    for t, e, h in zip(texts, ems, han):
        t = t.strip()
        want = 0.0
        for c in t:
            want += _char_em(c)  # the plain loop: the vectorised sum must round the same way
        assert e == want
        assert h == (sum("\u3400" <= c <= "\u9fff" for c in t) / len(t) if t else 0.0)


def _under_photo(blocks_x):
    """Roles of blocks of two lines each set right under a 3-column photo at the given x."""
    from broadsheet.api import lines_from_doc
    from broadsheet.layout.analyze import analyze
    from broadsheet.layout.model import Figure
    lines = [_line(100, 40, "草原上崛起数据中心集群", 70)]
    for x in blocks_x:
        lines += _para(x, 730, ["从北京出发乘高铁不到两个小时", "就能到达这座草原上的城市。"], indent=False)
    lines += _para(100, 900, ROWS) + _para(600, 900, ROWS) + _para(1100, 900, ROWS)
    ls, w, h = lines_from_doc({"width": 1600, "height": 1200, "lines": lines})
    lay = analyze(ls, w, h, separators=(), figures=(Figure(id=0, bbox=(100, 140, 1520, 700)),))
    return [lay.roles[k] for k in range(len(lay.blocks))
            if lay.boxes[lay.blocks[k][0], 1] == 730]


def test_columns_that_open_under_a_photo_are_body_not_captions():
    assert _under_photo([100, 600, 1100]) == [R.BODY] * 3


def test_one_short_block_under_a_photo_is_its_caption():
    assert _under_photo([100]) == [R.CAPTION]


def _latin_story(x, y, rows):
    return [{"box": [x, y + 42 * k, x + 545, y + 42 * k + 31], "text": t} for k, t in enumerate(rows)]


STORY = ["The harbour wall was rebuilt over the", "winter and reopened last week to all.",
         "Fishermen say the new quay is safer.", "The council paid for most of the work."]


def _over_two_columns(headline, lines):
    """A headline across the page, ``lines``, and a story's two columns under them (y 1000)."""
    return ([{"box": [75, 100, 1500, 160], "text": headline}, *lines]
            + _latin_story(75, 1000, STORY) + _latin_story(650, 1000, STORY[1:] + STORY[:1]))


def test_a_line_with_its_credit_on_the_next_line_at_the_right_edge_is_a_caption():
    # lines only (en seed 41): the caption at the photo's left edge, its credit a line lower at
    # the right edge, nothing between the two; the photo itself is not seen
    lines = _over_two_columns("Whitby harbour reopens", [
        {"box": [75, 900, 523, 925], "text": "The rebuilt harbour wall at Whitby."},
        {"box": [2615, 938, 2924, 960], "text": "Photograph: Daniel Crossley"}])
    role, _ = _roles(lines, 3000, 2000)
    assert role["The rebuilt harbour wall at Whitby."] == R.CAPTION


def test_a_caption_reaching_past_its_credits_left_end_is_a_caption():
    # lines only (en 150): a caption wider than the column ("…off Eday." ends 34 px right of
    # where "Photograph: Ingrid Sclater" starts) — the credit still starts in the caption's right
    # half and ends beyond it; read as body, the caption opened its headline's story
    lines = _over_two_columns("Orkney tidal turbine breaks its own record", [
        {"box": [75, 900, 752, 925], "text": "The turbine being towed out to its mooring off Eday."},
        {"box": [718, 938, 1005, 960], "text": "Photograph: Ingrid Sclater"}])
    role, _ = _roles(lines, 3000, 2000)
    assert role["The turbine being towed out to its mooring off Eday."] == R.CAPTION


def test_a_column_foot_over_a_credit_reaching_past_it_is_no_caption():
    # the same credit under a column's last three lines: a caption is a line or two, the foot of
    # a column set over another photo's credit stays body
    foot = ["the company that operates it. The tur-", "bine, which looks like a small yellow",
            "submarine, generated enough power."]
    lines = _over_two_columns("Orkney tidal turbine breaks its own record", [
        *({"box": [75, 822 + 39 * k, 752, 847 + 39 * k], "text": t} for k, t in enumerate(foot)),
        {"box": [718, 938, 1005, 960], "text": "Photograph: Ingrid Sclater"}])
    role, _ = _roles(lines, 3000, 2000)
    assert role[foot[0]] == R.BODY


def test_a_line_with_a_column_between_it_and_the_credit_is_no_caption():
    # the same two lines with a column of text standing on them in between: a row of columns
    # (the credit belongs to something else), not a photo's caption and credit
    lines = _over_two_columns("Whitby harbour reopens", [
        {"box": [75, 900, 523, 925], "text": "The rebuilt harbour wall at Whitby."},
        {"box": [2615, 938, 2924, 960], "text": "Photograph: Daniel Crossley"}])
    lines += _latin_story(1200, 790, ["Work on the lifeboat station starts", "next spring, once the funds are in.",
                                      "It will cost two million pounds.", "The town has raised half of it."])
    role, _ = _roles(lines, 3000, 2000)
    assert role["The rebuilt harbour wall at Whitby."] == R.BODY


def test_a_latin_block_of_two_lines_opening_in_lower_case_is_running_text():
    # the last two lines of a column cut off under a photo-less gap, set justified in a narrow
    # measure: "das Museum zudem" is stretched to 449 px, so by advance the block reads 1.4 em —
    # but a block of two lines that opens in lower case continues a sentence (de seed 11)
    lines = [{"box": [75, 500, 1500, 560], "text": "Ein Basler Museum öffnet sein Depot"}]
    lines += _latin_story(75, 700, STORY + STORY)
    lines += [{"box": [1996, 3974, 2445, 3998], "text": "das Museum zudem"},
              {"box": [1995, 4016, 2444, 4047], "text": "Workshops an, in denen die"}]
    role, page = _roles(lines, 3000, 4600)
    assert role["das Museum zudem"] == R.BODY
    assert [a.title for a in page.articles if a.title] == ["Ein Basler Museum öffnet sein Depot"]


COL_A = ["Der Stadtrat hat am Dienstag beschlossen,", "die Sanierung des Bahnhofs um zwei Jahre",
         "vorzuziehen. Die Arbeiten beginnen im", "Frühling und dauern bis in den Herbst."]
COL_B = ["Die Dorfkäserei produziert seit diesem", "Sommer ihren Strom mit einer grossen",
         "Anlage auf dem Dach der Scheune. Der", "Betrieb verarbeitet jeden Tag Milch."]


def _banner_page(label_x=75, beside=False):
    """Two stories across the top; a section label at the left of an otherwise empty row
    (or, with ``beside``, with a column of text in its row); under it a column continued
    from the first story and a third story with its headline."""
    lines = [{"box": [75, 100, 1000, 160], "text": "Winterthur zieht die Sanierung vor"}]
    lines += _latin_story(75, 200, COL_A)
    lines += [{"box": [700, 100, 1500, 160], "text": "Eine Käserei setzt auf Solarstrom"}]
    lines += _latin_story(700, 200, COL_B)
    lines += [{"box": [label_x, 500, label_x + 250, 546], "text": "Wirtschaft"}]
    if beside:
        lines += _latin_story(700, 480, COL_B[:2])
    lines += _latin_story(75, 620, ["zeigte sich erleichtert über den neuen", "Zeitplan der Bauarbeiten im Quartier."])
    lines += [{"box": [700, 600, 1500, 660], "text": "Junge Uhrmacher finden Lehrstellen"}]
    lines += _latin_story(700, 700, COL_B[1:] + COL_A[:1])
    return _roles(lines, 1400, 1000)


def test_a_latin_label_alone_in_its_row_is_a_section_label():
    # "Wirtschaft" (s41 de-4100126): a banner's label at the left of a row that holds nothing
    # else; read as a title it opened an article with the column continued under it
    role, page = _banner_page()
    assert role["Wirtschaft"] == R.SECTION
    assert "Wirtschaft" not in [a.title for a in page.articles]


def test_a_short_latin_title_with_text_in_its_row_stays_a_title():
    role, page = _banner_page(beside=True)
    assert role["Wirtschaft"] == R.TITLE


def test_a_capitals_title_alone_in_its_row_stays_a_title_where_headlines_are_in_capitals():
    # NewsEye 18840315 p. 4: "MARCHÉ DES CHANGES" alone in its row heads a listing
    lines = []
    for n, title in enumerate(["LES PERTES D'OSMAN-DIGMA", "LA SANTÉ DE BISMARCK", "LE PARLEMENT"]):
        lines += _latin_rows(60 + n * 620, 20, [title], h=40, cw=22)
        lines += _latin_rows(60 + n * 620, 90, ["Le général Graham a passé la nuit sur",
                                                 "le champ de bataille avec ses troupes."])
    lines += _latin_rows(60, 220, ["MARCHÉ DES CHANGES"], h=40, cw=22)
    lines += _latin_rows(60, 290, ["Le change sur Londres reste ferme ce", "matin, à vingt-cinq francs vingt."])
    role, page = _roles(lines, 1900, 450)
    assert role["MARCHÉ DES CHANGES"] == R.TITLE


def test_a_column_top_stretched_by_justification_is_no_headline():
    # a column nine characters wide: the next line may not open with "效。”", so two lines of
    # seven characters are set across the full measure (1.29 em per character by advance);
    # the block's narrowest line gives its type size — justification never shrinks a line
    lines = [_line(100, 100, "招大引强交出硬核答卷", 70)]
    lines += _para(100, 220, ["江西赣州经开区日前举", "行集中签约仪式，中车", "生一伦等九个项目落户", "园区，总投资逾一百亿"], indent=True)
    w = 9 * BODY
    lines += [{"box": [420, 220, 420 + w, 220 + BODY], "text": "元，累计签约资金达"},
              {"box": [420, 265, 420 + w, 265 + BODY], "text": "见面招商卓有成"},
              {"box": [420, 310, 420 + w, 310 + BODY], "text": "效。”赣州经开"}]
    lines += _para(100, 500, ROWS) + _para(700, 220, ROWS)
    role, _ = _roles(lines, 1400, 900)
    assert role["元，累计签约资金达"] == R.BODY


def test_a_latin_byline_whose_word_space_ocr_dropped_is_still_a_byline():
    # a degraded scan's OCR often drops the space after "Von"; no word begins Von/By/Par + a
    # capital, but all-caps words do begin BY/PAR ("BYRON", "PARIS"), so those keep the space
    from broadsheet.layout import patterns as P
    for t in ("VonSamuel Rüfenacht", "ByJane Smith", "ParCaroline Jaccard", "Von Samuel Rüfenacht"):
        assert P.matches(P.BYLINE, t), t
    for t in ("BYRON BAY", "PARIS", "Paris reçoit", "Vonder", "Byzanz"):
        assert not P.matches(P.BYLINE, t), t


def test_a_bold_line_cut_out_of_a_latin_column_is_a_subhead_not_a_title():
    from broadsheet.layout.blocks import BOLD_HEAD, SET_APART
    from broadsheet.layout.classify import classify
    texts = ["Der Anfang war schwer und", "am Ende kamen sie alle.", "Kurse für Zugezogene",
             "Die Stadt bietet ab Herbst", "neue Kurse an und lädt", "alle dazu ein."]
    boxes = np.array([[100, 100 + 42 * k, 550, 132 + 42 * k] for k in range(6)], float)
    boxes[2, 2] = 500
    blocks = [np.array([0, 1]), np.array([2]), np.array([3, 4, 5])]
    none = np.zeros((0, 4))
    roles = classify(blocks, boxes, texts, 1200, 900, none, none, [0, BOLD_HEAD, 0])[0]
    assert roles[1] == R.SUBHEAD
    # cut out by its place alone, a Latin line opens a story
    assert classify(blocks, boxes, texts, 1200, 900, none, none, [0, SET_APART, 0])[0][1] == R.TITLE


def test_the_line_left_under_a_bold_subhead_at_a_columns_foot_is_running_text():
    # de seed 77 page 234 end to end: "Kurse für Zugezogene" cut out by its face leaves
    # "Ab nächstem Juni bietet die" alone at the column's foot, justified across the column
    # (1.12 em by its advance): without the cut a body line, with it a headline that opened a
    # story of its own. A piece of running text a bold cut parted stays body
    from broadsheet.layout.blocks import BOLD_HEAD
    from broadsheet.layout.classify import classify
    texts = ["Der Anfang war schwer und", "am Ende kamen sie alle zur", "Eröffnung der Anlage.",
             "Kurse für Zugezogene", "Ab nächstem Juni bietet die"]
    boxes = np.array([[100, 100 + 42 * k, 550, 132 + 42 * k] for k in range(5)], float)
    boxes[2, 2], boxes[3, 2] = 380, 420
    boxes[4] = [100, 290, 660, 322]   # set wide by justification
    blocks = [np.array([0, 1, 2]), np.array([3]), np.array([4])]
    none = np.zeros((0, 4))
    hint = [0, BOLD_HEAD, 0]
    assert classify(blocks, boxes, texts, 1200, 900, none, none, hint)[0][2] != R.BODY
    roles = classify(blocks, boxes, texts, 1200, 900, none, none, hint, running=np.array([True, False, True]))[0]
    assert roles == [R.BODY, R.SUBHEAD, R.BODY]


def _high_columns_page(top_rows, top_width=545, top_y=45):
    """Columns that start inside the folio band (the top 6 % of the page), as on NewsEye's
    1884 pages: the right column opens with ``top_rows`` and then a headline over its own
    story; the left one with a headline lower down (none in the row of ``top_rows``)."""
    lines = [{"box": [75, 150, 620, 210], "text": "Harbour wall reopens"}]
    lines += _latin_story(75, 230, STORY)
    lines += [{"box": [700, top_y + 42 * k, 700 + top_width, top_y + 42 * k + 31], "text": t}
              for k, t in enumerate(top_rows)]
    lines += [{"box": [700, 170, 1245, 230], "text": "Market hall to close"}]
    lines += _latin_story(700, 250, STORY[1:] + STORY[:1])
    return _roles(lines, 1400, 3000)


def test_a_column_head_running_a_sentence_on_in_the_folio_band_is_no_folio():
    # the right column's first two lines end the sentence of the story at the foot of the
    # column before; the columns start high, inside the band where folio lines live
    role, page = _high_columns_page(["after the storms of the past winter, and", "the harbour master is pleased."])
    assert role["after the storms of the past winter, and"] == R.BODY
    # ... while a short line in lower case above the headlines' row, not set to the column's
    # measure, stays a folio
    role, _ = _high_columns_page(["le numéro 15 centimes"], top_width=260, top_y=5)
    assert role["le numéro 15 centimes"] == R.PAGE_HEADER


def _set_apart_column(line, *, above_end="。", gaps=(40, 40), indent_below=True, x=100, only_apart=False):
    """A Han column 9 em wide (30 px type, 15 px leading): a paragraph, one line on its own,
    a paragraph; blocks as given. Returns the one line's role."""
    from broadsheet.layout.classify import classify, han_subheads_apart
    texts = ["江西赣州经开区日前举", "行集中签约仪式，中车", "生一伦等项目落户园区" + above_end, line,
             "这些项目将带动当", "地就业和产业升级，更", "多项目正在洽谈之中。"]
    ys = [100, 145, 190]
    ys.append(ys[-1] + 30 + gaps[0])
    ys += [ys[-1] + 30 + gaps[1] + 45 * k for k in range(3)]
    boxes = np.array([[100, y, 100 + 30 * min(len(t), 9), y + 30] for t, y in zip(texts, ys)], float)
    boxes[:, 2] = 370
    boxes[3, 0], boxes[3, 2] = x, x + 30 * len(line)
    if indent_below:
        boxes[4, 0] = 160
    blocks = [np.array([0, 1, 2]), np.array([3]), np.array([4, 5, 6])]
    none = np.zeros((0, 4))
    roles = [R.BODY] * 3 if only_apart else classify(blocks, boxes, texts, 1200, 900, none, none, [0, 0, 0])[0]
    apart = han_subheads_apart(blocks, boxes, texts, roles, type_sizes(boxes, texts))
    return R.SUBHEAD if 1 in apart else roles[1]


def test_a_bare_han_line_set_apart_between_paragraphs_is_a_subhead_however_wide():
    # seed random 2: "定制个性化招商方案", nine characters filling (or centred in) a column
    # 9–9.7 em wide, after a closed sentence and over an indented paragraph — 20 of the
    # page's 60 subheads were read as body, leaving `_lone_subheads` no margin to see
    assert _set_apart_column("定制个性化招商方案") == R.SUBHEAD
    assert _set_apart_column("定制个性化招商方", x=115) == R.SUBHEAD
    # ... and at a column's head, over its paragraph
    assert _set_apart_column("定制个性化招商方案", gaps=(300, 40)) == R.SUBHEAD


def test_a_han_line_at_the_columns_leading_or_in_a_sentence_is_no_subhead():
    # a line carried over between two pieces of a column sits at the body's leading
    assert _set_apart_column("定制个性化招商方案", gaps=(15, 15)) == R.BODY
    # the sentence above runs on into it
    assert _set_apart_column("定制个性化招商方案", above_end="的") == R.BODY
    # the text under it goes on flush: no paragraph starts there
    assert _set_apart_column("定制个性化招商方案", indent_below=False) == R.BODY
    # a paragraph's short last line ends on its mark; a pause inside is a sentence's
    assert _set_apart_column("招商方案有效益。") == R.BODY
    assert _set_apart_column("定制方案，招商引资") == R.BODY
    # a paragraph's lone first line, indented two em and out to the column's right edge, is
    # not taken by this rule (`_lone_subheads` judges it by its indent)
    assert _set_apart_column("早在今年二月高", x=160, only_apart=True) == R.BODY
    assert _set_apart_column("定制个性化招商方案", only_apart=True) == R.SUBHEAD


def test_a_han_line_opening_a_new_frames_column_under_open_text_is_a_subhead():
    # seed random 3 page 300018: "强化项目落地保障" heads its paragraph at the top of the story's
    # next frame, right under the foot of its earlier frame ("…车零部件、生物医", 1.9 em over
    # it; 1.1 em under it): no closed sentence above, yet the white over it is the frame's
    assert _set_apart_column("强化项目落地保障", above_end="的", gaps=(60, 35)) == R.SUBHEAD


def test_open_text_above_at_the_subheads_own_spacing_still_keeps_a_han_line_body():
    # white above only a little wider than below: the sentence above runs into the line
    assert _set_apart_column("强化项目落地保障", above_end="的", gaps=(45, 35)) == R.BODY
    # ... and a frame's foot above over a flush line (no paragraph under it) says nothing
    assert _set_apart_column("强化项目落地保障", above_end="的", gaps=(60, 35), indent_below=False) == R.BODY


def _column_foot_line(line, *, x0=160, x1=370):
    """A Han column 9 em wide (30 px type, 15 px leading): a paragraph, then one line of its
    own at the column's foot (``x0``..``x1``), set at the body's leading. Returns its role."""
    from broadsheet.layout.classify import classify
    texts = ["江西赣州经开区日前举", "行集中签约仪式，中车", "生一伦等项目落户园区。", line]
    ys = [100, 145, 190, 235]
    boxes = np.array([[100, y, 370, y + 30] for y in ys], float)
    boxes[3, 0], boxes[3, 2] = x0, x1
    blocks = [np.array([0, 1, 2]), np.array([3])]
    none = np.zeros((0, 4))
    return classify(blocks, boxes, texts, 1200, 900, none, none, [0, 0])[0][1]


def test_a_paragraphs_lone_first_line_at_a_columns_foot_is_no_subhead():
    # seed random 130 page 396: "今年3月，小鹏汽车收购了广东", a paragraph's first line at the
    # foot of a column, indented two em and out to the column's right edge, its text going
    # on in the next column — read as a subhead, it closed its sentence and the stitcher
    # sent the paragraph's rest to another story (ArtSim 0.816)
    assert _column_foot_line("今年三月，小鹏汽车") == R.BODY


def test_a_short_indented_line_at_a_columns_foot_is_still_a_subhead():
    # short of the column's right edge, an unterminated indented line stays a subhead
    assert _column_foot_line("强化项目落地", x1=340) == R.SUBHEAD


def _narrow_latin_column(line, *, x1=520, x0=100):
    """A Latin column 15 em wide (30 px lines, 42 px pitch), justified to x 550: a paragraph, one
    line of its own (``x0``..``x1``) set apart, a paragraph; blocks as given. Returns its role."""
    from broadsheet.layout.classify import classify
    texts = ["Plus de deux cent mille pages", "de journaux anciens sont main-", "tenant en ligne.", line,
             "La médiathèque lance un appel", "aux habitants pour relire les", "textes les plus abîmés."]
    ys = [100, 142, 184, 250, 316, 358, 400]
    boxes = np.array([[100, y, 550, y + 30] for y in ys], float)
    boxes[2, 2], boxes[6, 2] = 330, 420
    boxes[3, 0], boxes[3, 2] = x0, x1
    blocks = [np.array([0, 1, 2]), np.array([3]), np.array([4, 5, 6])]
    none = np.zeros((0, 4))
    return classify(blocks, boxes, texts, 1200, 900, none, none, [0, 0, 0])[0][1]


def test_a_latin_subhead_filling_most_of_a_narrow_column_is_a_subhead():
    # fr 150 page 450: "Un appel aux bénévoles", 0.93 of a column 15 em wide, over its
    # paragraph — past `_lone_subheads`' 0.8 width bound it kept the role body
    assert _narrow_latin_column("Un appel aux bénévoles lancé") == R.SUBHEAD
    assert _narrow_latin_column("Un appel aux bénévoles lancé", x1=530) == R.SUBHEAD
    # ... as a short one always was
    assert _narrow_latin_column("Un appel aux bénévoles", x1=440) == R.SUBHEAD


def test_a_latin_line_out_to_the_columns_edge_or_running_on_is_no_subhead():
    # a paragraph's first line cut off on its own reaches the justified edge
    assert _narrow_latin_column("Les bénévoles peuvent dès lundi", x1=549) == R.BODY
    # a line running a sentence on opens in lower case, however short of the edge
    assert _narrow_latin_column("ment sous l'œil des bénévoles") == R.BODY
    # a one-line paragraph, a paragraph's short last line: closed by their mark
    assert _narrow_latin_column("Les bénévoles sont attendus.") == R.BODY
    assert _narrow_latin_column("a-t-il confié.", x1=330) == R.BODY
    # indented, out short of the edge: a paragraph's first line is judged as before (no
    # subhead unless clearly short)
    assert _narrow_latin_column("Les bénévoles peuvent dès", x0=160) == R.BODY
    # a byline keeps its role
    assert _narrow_latin_column("Par Sophie Chappuis", x1=400) == R.BYLINE


def _latin_column_foot(line, *, x1=430, x0=100, above_end="devant les élus.", gap=38, under=False, flush=True):
    """A Latin column 15 em wide (33 px lines, 42 px pitch), justified to x 550, and one line of
    its own (``x0``..``x1``) at its foot, ``gap`` px under the paragraph's last line (which ends
    on ``above_end``); nothing under it in the column (``under``: another paragraph 2 em under
    it). Returns the line's role."""
    from broadsheet.layout.classify import classify
    texts = ["Olivier Mermoud, a rappelé que", "près de huit mille habitants", "s'installeront dans",
             "le quartier, a-t-il averti", above_end, line]
    ys = [100, 142, 184, 226, 268]
    boxes = [[100, y, 550, y + 33] for y in ys]
    boxes[-1][2] = 440
    top = ys[-1] + 33 + gap
    boxes.append([x0, top, x1, top + 26])
    blocks = [np.arange(5), np.array([5])]
    if under:
        texts += ["Le tunnel sera creusé à une pro-", "fondeur de vingt-cinq mètres."]
        boxes += [[100, top + 90, 550, top + 123], [100, top + 132, 400, top + 165]]
        blocks.append(np.array([6, 7]))
    none = np.zeros((0, 4))
    return classify(blocks, np.array(boxes, float), texts, 1200, 1200, none, none, [0] * len(blocks),
                    flush_subheads=flush)[0][1]


def test_a_latin_subhead_at_a_columns_foot_is_a_subhead():
    # fr 260 page 781: "Des travaux sous la ville" at the foot of its column, its paragraph
    # "Le tunnel sera creusé…" at the head of the next one: with no paragraph under it,
    # `_lone_subheads` left it body, and its paragraph went to the story before
    assert _latin_column_foot("Des travaux sous la ville") == R.SUBHEAD
    # ... read without the bold face as well (`analyze`'s second reading)
    assert _latin_column_foot("Des travaux sous la ville", flush=False) == R.SUBHEAD
    # (with its paragraph under it, it was one already)
    assert _latin_column_foot("Des travaux sous la ville", under=True) == R.SUBHEAD


def test_a_line_at_a_columns_foot_that_runs_on_or_ends_its_text_is_no_subhead():
    # a paragraph's first line at the foot reaches the justified edge
    assert _latin_column_foot("Le tunnel sera creusé à une", x1=550) == R.BODY
    # ... and is set with no white over it
    assert _latin_column_foot("Le tunnel sera creusé", gap=9) == R.BODY
    # under a sentence left open, a short line goes on with it
    assert _latin_column_foot("Des travaux sous la ville", above_end="a-t-il averti devant les") == R.BODY
    # lower case runs a sentence on; a closing mark ends one
    assert _latin_column_foot("des travaux sous la ville") == R.BODY
    assert _latin_column_foot("Des travaux sous la ville.") == R.BODY
    # indented, out to the edge: a paragraph's first line
    assert _latin_column_foot("Des travaux sous la ville et", x0=160, x1=548) == R.BODY


def _han_columns_with(block_line: dict):
    """Three Han columns of body type (nine characters, 30 px) and one extra one-line block."""
    texts, boxes, blocks = [], [], []
    rows = ["款，为企业提供低成本", "担保贷款服务。截至目", "前，已经组织锦盛辉煌", "欧迪斯、嘉丹婷等企业"]
    for c in range(3):
        first = len(texts)
        for k, t in enumerate(rows):
            texts.append(t)
            boxes.append([100 + c * 330, 100 + 40 * k, 100 + c * 330 + 9 * BODY, 100 + 40 * k + BODY])
        blocks.append(np.arange(first, len(texts)))
    texts.append(block_line["text"])
    boxes.append(block_line["box"])
    blocks.append(np.array([len(texts) - 1]))
    from broadsheet.layout.classify import classify
    none = np.zeros((0, 4))
    roles = classify(blocks, np.array(boxes, float), texts, 1200, 900, none, none, [0] * len(blocks))[0]
    return roles[-1]


def test_a_han_line_at_body_height_stretched_by_justification_is_body():
    # seed 190 page 572: "“政务服务事项", a paragraph's indented first line alone at a
    # column's foot, spread to the column's right edge because its next character may not open
    # a line (7 characters over 8.4 cells, 1.2 em by advance): it read as a title and opened an
    # article of its own with the 17 lines after it
    x1 = 430 + 9 * BODY - 270
    line = {"box": [x1 - 252, 300, x1, 300 + BODY], "text": "“政务服务事项"}
    assert _han_columns_with(line) == R.BODY


def test_a_han_line_taller_than_body_type_or_wide_beyond_stretching_keeps_its_headline_size():
    # the same seven characters in a taller type: a headline
    line = {"box": [100, 300, 100 + 7 * 40, 340], "text": "“政务服务事项"}
    assert _han_columns_with(line) == R.TITLE
    # thirty characters at the body's height set 1.15 em apart: more cells beyond its
    # characters (4.5) than justification spreads — larger type, not a stretched line
    text = "广东肇庆高新区构建项目招商要素保障建设投产闭环推动招商引资提质"
    line = {"box": [100, 300, 100 + int(len(text) * 1.15 * BODY), 300 + BODY], "text": text}
    assert _han_columns_with(line) != R.BODY


def _label_over_strip(label, label_x=130, strip_y=500, over_second=None, size=45):
    """A story of two columns on top; under it a label and a strip of two columns, each opening
    indented, the first under ``label``; ``over_second``: a line set over the strip's second column."""
    lines = [_line(100, 20, "招大引强交出硬核答卷", 80)] + _para(100, 140, ROWS) + _para(700, 140, ROWS, indent=False)
    lines += [_line(label_x, 400, label, size)]
    if over_second:
        lines += [_line(760, 400, over_second, 45)]
    lines += _para(100, strip_y, ROWS) + _para(700, strip_y, ROWS)
    page = read_lines({"width": 1400, "height": 1400, "lines": lines})
    role = {page.lines[b.lines[0]].text: b.role for b in page.blocks}
    return role, page


def test_a_label_over_the_first_column_of_a_strip_open_above_opens_no_article():
    # seed 190 page 572: "促进高质量发展" over "研发部经理田岭说。", a story's columns continued
    # from elsewhere, each opening indented (a new paragraph), the columns beside it open above:
    # read as a title it opened an article of its own with 56 lines of that story
    role, page = _label_over_strip("促进高质量发展")
    assert role["促进高质量发展"] == R.SECTION
    assert [a.title for a in page.articles] == ["招大引强交出硬核答卷"]


def test_a_title_over_its_story_or_beside_a_headed_column_or_far_above_stays_a_title():
    # the strip's next column has another story's headline over it: a story set beside it
    role, _ = _label_over_strip("促进高质量发展", over_second="搭建信创产业")
    assert role["促进高质量发展"] == R.TITLE
    # a headline reaching a quarter or more into the next column heads both
    role, _ = _label_over_strip("定制服务破解发展难题项目落地见成效", label_x=100)
    assert role["定制服务破解发展难题项目落地见成效"] == R.TITLE
    # a headline in a headline's size (2.3 em), even short of the next column's first quarter
    role, _ = _label_over_strip("促进高质量发展", size=70)
    assert role["促进高质量发展"] == R.TITLE
    # a photo story's title stands a photo's height above its text
    role, _ = _label_over_strip("加班加点赶订单", strip_y=800)
    assert role["加班加点赶订单"] == R.TITLE


def _label_beside_a_kicker_row(label_size=45, kicker_x=400):
    """A lone label at the left; a row of another story's kicker and title starting just to
    its right and lower down; that story's text far under the label (11 em)."""
    lines = [_line(100, 20, "社会民生", label_size)]
    lines += [_line(kicker_x, 120, "新疆阿克苏苹果搭上电商快车", 36), _line(kicker_x, 180, "果园直连全国餐桌", 60)]
    lines += _para(100, 400, ROWS) + _para(700, 400, ROWS)
    page = read_lines({"width": 1400, "height": 1000, "lines": lines})
    return {page.lines[b.lines[0]].text: b.role for b in page.blocks}


def test_a_label_beside_a_lower_headline_row_opens_no_article():
    # zh-1100038: "社会民生" over a row of kickers, the first story's text 11 em down; read as
    # a title it took that story's first column from its own headline
    assert _label_beside_a_kicker_row()["社会民生"] == R.SECTION


def test_a_headline_sized_or_lone_title_far_over_its_text_stays_a_title():
    # in a headline's size (2.3 em) it heads its story
    assert _label_beside_a_kicker_row(label_size=70)["社会民生"] == R.TITLE
    # no other headline between it and the text: a photo story's title, its photo unseen
    lines = [_line(100, 20, "社会民生", 45)] + _para(100, 400, ROWS) + _para(700, 400, ROWS)
    page = read_lines({"width": 1400, "height": 1000, "lines": lines})
    assert [a.title for a in page.articles] == ["社会民生"]


@pytest.mark.parametrize("name", ["seed-strips", "de-sample"])
def test_roles_from_shared_page_measures_are_the_roles_measured_alone(name):
    """`analyze` measures a page once (`page_measures`) for `classify` and `han_subheads_apart`:
    the same roles as each measuring alone, and the measures are left as they were (they are
    shared by every reading of the roles)."""
    import json
    from pathlib import Path
    from broadsheet.api import lines_from_doc
    from broadsheet.layout.analyze import analyze
    from broadsheet.layout.classify import classify, han_subheads_apart, page_measures
    doc = json.loads((Path(__file__).resolve().parents[2] / "fixtures" / "pages" / name / "lines.json").read_text(
        encoding="utf-8"))
    lay = analyze(*lines_from_doc(doc))
    blocks, boxes, texts = list(lay.blocks), lay.boxes, list(lay.texts)
    sizes = lay.line_sizes
    none = np.zeros((0, 4))
    sub = [0] * len(blocks)
    m = page_measures(blocks, boxes, texts, sizes)
    kept = (m.cw.copy(), m.block_boxes.copy(), m.heights.copy(), m.n_lines.copy(), list(m.block_texts))
    alone = classify(blocks, boxes, texts, lay.width, lay.height, none, none, sub, sizes=sizes)
    shared = classify(blocks, boxes, texts, lay.width, lay.height, none, none, sub, sizes=sizes, measures=m)
    assert shared == alone
    assert han_subheads_apart(blocks, boxes, texts, alone[0], sizes, measures=m) == \
        han_subheads_apart(blocks, boxes, texts, alone[0], sizes)
    for a, b in zip(kept, (m.cw, m.block_boxes, m.heights, m.n_lines, m.block_texts)):
        assert np.array_equal(a, b)
    assert m.cjk == (name == "seed-strips")
    # the measures are read, not measured again: another page's em moves the roles
    other = page_measures(blocks, boxes * 0.6, texts, sizes * 0.6)
    assert classify(blocks, boxes, texts, lay.width, lay.height, none, none, sub, sizes=sizes,
                    measures=other) != alone


def _lone_han_line_under_a_column(line, *, x=None, gap=90):
    """Two Han columns 15 em wide (30 px type, 15 px leading): a paragraph in each, and one
    line on its own under the left one, ``gap`` px down, nothing under it. Returns its role."""
    from broadsheet.layout.classify import classify
    col = ["清晨六点，宁德市蕉城区三都澳海面", "上雾气还未散尽，渔民吴阿福已经驾", "着小船来到自家的渔排。他打开手机",
           "屏幕上实时显示着网箱里的水温。"]
    col2 = ["“新渔排能抗十二级台风，鱼的成活", "率高了，肉质也更紧实。”吴阿福说，", "他家的大黄鱼今年每公斤比往年多卖",
            "了八元，收入翻了一番还多一些。"]
    texts = col + col2 + [line]
    boxes = [[100, 100 + 45 * k, 550, 130 + 45 * k] for k in range(4)]
    boxes += [[600, 100 + 45 * k, 1050, 130 + 45 * k] for k in range(4)]
    w = 30 * len(line)
    x0 = 100 + (450 - w) / 2 if x is None else x
    boxes.append([x0, 265 + gap, x0 + w, 295 + gap])
    blocks = [np.arange(4), np.arange(4, 8), np.array([8])]
    none = np.zeros((0, 4))
    return classify(blocks, np.array(boxes, float), texts, 1200, 900, none, none, [0, 0, 0])[0][2]


def test_a_han_line_centred_in_its_column_with_no_running_text_near_is_a_subhead():
    # zh 26000780: "鱼价高了 海水清了" alone under a rule at a frame's head, its paragraph at
    # the next column's head, a section label under it: no running text within 2.5 em of it
    assert _lone_han_line_under_a_column("鱼价高了 海水清了") == R.SUBHEAD
    assert _lone_han_line_under_a_column("鱼价高了海水清了") == R.SUBHEAD


def test_a_lone_han_line_flush_marked_or_at_the_leading_is_no_centred_subhead():
    # flush with the column's left edge: a paragraph's first or last line
    assert _lone_han_line_under_a_column("鱼价高了 海水清了", x=100) == R.BODY
    # a mark in it: a sentence's piece
    assert _lone_han_line_under_a_column("鱼价高了，海水清了") == R.BODY
    # off the column's middle by two em: no column of the grid centres it
    assert _lone_han_line_under_a_column("鱼价高了 海水清了", x=160) == R.BODY
