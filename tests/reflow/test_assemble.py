"""Page assembly: the page's reading order follows the rebuilt articles."""
import json
import re
from pathlib import Path

import numpy as np

from broadsheet.api import ReflowConfig, read_lines
from broadsheet.reflow.assemble import article_sequence
from broadsheet.reflow.export import _common
from .conftest import cjk_column as _column, cjk_headline as _headline


def test_an_article_is_read_whole_where_it_opens():
    # geometric order 0..5: header 0, story A = 1, 2 and its tail 4, story B = 3 (between A's
    # parts), footer 5. A is read whole at its opening, B after it, furniture in place.
    seq, opens = article_sequence(np.arange(6), [[1, 2, 4], [3]])
    assert seq == [0, 1, 2, 4, 3, 5]
    assert opens.tolist() == [1, 3]


def test_an_article_keeps_its_own_block_order_and_opens_at_its_first_place():
    # the article's own order (headline 4 over its text 2, then a caption 0) is kept; it
    # opens where its first block stands in the page order (0), before the furniture at 1, 3
    place = np.array([0, 1, 2, 3, 4])
    seq, opens = article_sequence(place, [[4, 2, 0]])
    assert seq == [4, 2, 0, 1, 3]
    assert opens.tolist() == [0]
    assert article_sequence(place, [])[0] == [0, 1, 2, 3, 4]




ARTICLES = ReflowConfig(page_order="articles")


def _stitched_page(config=ARTICLES):
    # story A stops mid-word ("…与赣"); its tail ("州经开区签约…") sits under story B at the right
    a = _headline(0, 0, "赣州经开区招商") + _column(0, 100, ["江西赣州经开区日前举行集中签约仪式，",
                                                          "中车生一伦等9个项目与赣"])
    b = _headline(700, 0, "济宁高新区服务") + _column(700, 100, ["山东济宁高新区企业特派员主动协调。",
                                                           "济宁高新区园区发展服务中心说。"])
    tail = _column(700, 400, ["州经开区签约。这些项目涉及高端装备", "制造等多个领域。"], indent_first=False)
    lines = a + b + tail
    return read_lines({"width": 1400, "height": 600, "lines": lines}, reflow_config=config), len(a), len(b)


def test_a_stitched_tail_is_read_right_after_its_head():
    page, n_a, n_b = _stitched_page()
    order = {ln.id: ln.order for ln in page.lines}
    a_ids = list(range(n_a))
    b_ids = list(range(n_a, n_a + n_b))
    tail_ids = list(range(n_a + n_b, len(page.lines)))
    assert sorted(order.values()) == list(range(len(page.lines)))
    # story A (headline, column, tail under B) first, then story B
    assert [order[i] for i in a_ids + tail_ids] == list(range(n_a + len(tail_ids)))
    assert min(order[i] for i in b_ids) == n_a + len(tail_ids)
    assert page.orders["reading"].tolist() == sorted(order, key=order.get)
    # block ids follow the page order, and each article's blocks read in a row
    firsts = [min(order[i] for i in b.lines) for b in page.blocks]
    assert firsts == sorted(firsts) and [b.id for b in page.blocks] == sorted(b.id for b in page.blocks)
    for art in page.articles:
        assert list(art.blocks) == list(range(art.blocks[0], art.blocks[0] + len(art.blocks)))


def test_the_exporters_read_the_page_in_its_line_order():
    page, *_ = _stitched_page()
    by_id = {b.id: b for b in page.blocks}
    lines = {ln.id: ln for ln in page.lines}
    units = [b for u in _common.reading_units(page) for b in u.blocks]
    assert [lines[i].order for b in units for i in by_id[b].lines] == list(range(len(page.lines)))
    from broadsheet.reflow.export.pagexml import render_page_xml
    xml = render_page_xml(page).decode()
    line_idx = [int(m) for m in re.findall(r'TextLine id="l\d+" custom="readingOrder \{index:(\d+);', xml)]
    assert line_idx == list(range(len(page.lines)))


def test_the_default_page_order_stays_geometric():
    # by default the tail under story B is read where it stands, after B's column
    page, n_a, n_b = _stitched_page(None)
    order = {ln.id: ln.order for ln in page.lines}
    tail_ids = list(range(n_a + n_b, len(page.lines)))
    assert min(order[i] for i in tail_ids) > max(order[i] for i in range(n_a, n_a + n_b))
    # the articles themselves do not depend on the page order (block ids do: they follow it)
    other = _stitched_page()[0]
    assert [(a.title, a.paragraphs) for a in page.articles] == [(a.title, a.paragraphs) for a in other.articles]


def test_an_unknown_page_order_is_refused():
    import pytest
    with pytest.raises(ValueError):
        ReflowConfig(page_order="columns")


def test_a_photo_credit_keeps_the_space_between_its_label_and_the_name():
    # the sample page's credit "本报记者 古丽娜尔摄": names are spaced as in a byline, the
    # caption above it is running text and joins without spaces
    doc = json.loads((Path(__file__).parents[2] / "fixtures/pages/sample/lines.json").read_text(encoding="utf-8"))
    captions = [c for art in read_lines(doc).articles for c in art.captions]
    assert "本报记者 古丽娜尔摄" in captions
    assert "图为阿克苏红旗坡农场的果农在采摘苹果。" in captions


def _photo_story_page(text_top):
    # story A: headline, an unseen photo (x 0-1000), its credit flush right at the photo's
    # foot, A's text in two columns from ``text_top`` (the second stops short of the credit);
    # story B's column beside, running past the credit's rows
    a = (_headline(0, 0, "加班加点赶订单")
         + [{"box": [800, 510, 1000, 536], "text": "郭立杰摄(中经视觉)"}]
         + _column(0, text_top, ["湖南省新田县工业园区湖南德", "力重工有限公司自2月20日复", "工复产以来，国内外订单较多。"])
         + _column(400, text_top, ["为确保产品如期交付，企业", "在抓好疫情防控和安全生产", "的同时开足马力。"], indent_first=False))
    b = _headline(1060, 0, "济宁高新区服务") + _column(1060, 100, [
        "山东济宁高新区企业特派员主动协调", "解决各类事务，为企业复工复产提供",
        "有力支持。研发部经理田岭说，公司", "订单已经恢复到往年同期的水平，生",
        "产线满负荷运转。济宁高新区园区发", "展服务中心副主任张允说，特派员制",
        "度实现了高新区企业全覆盖。3月份", "以来，济宁高新区规模以上工业企业",
        "产值逐步提升，经济运行稳中向好。", "一季度全区新签约项目二十个。",
        "其中超过十亿元的项目有三个。", "这些项目涉及高端装备制造等领域。", "全年目标已完成过半。"])
    page = read_lines({"width": 1500, "height": 900, "lines": a + b})
    return {c: art.title for art in page.articles for c in art.captions}


def test_a_photo_credit_goes_to_the_text_set_right_under_it_without_the_image():
    # the credit's nearest text is B's column beside it; A's text starts a line under the
    # credit (its last column short of the credit's x): the credit is A's
    assert _photo_story_page(570) == {"郭立杰摄(中经视觉)": "加班加点赶订单"}


def test_a_photo_credit_with_no_text_right_under_it_keeps_the_nearest_text():
    # A's text starts 5 em under the credit: nothing stands right under it, the nearest wins
    assert _photo_story_page(690) == {"郭立杰摄(中经视觉)": "济宁高新区服务"}
