"""Loading evaluation pages: generator folders, and NZZ / NewsEye from PAGE XML and JSON alike."""
import json

import numpy as np
import pytest

from broadsheet.errors import InputError
from broadsheet.eval.datasets import load_generator_page, load_real_page, realdata_root, resolve_sets, repo_root


def test_generator_page_fields(gt_page_dir):
    p = load_generator_page(gt_page_dir)
    assert p.name == "tiny" and p.kind == "generator" and (p.width, p.height) == (400, 120)
    assert [p.lines[i].text for i in p.gt_order()] == [
        "大标题", "第一栏第一行", "第一栏第二行与赣", "州经开区签约", "乙文第一行", "乙文第二行", "乙文第三行"]
    assert p.regions == ("0", "1", "2", "3")
    assert [a.id for a in p.articles] == ["a", "b"]
    assert p.articles[0].text.replace("\n", "").startswith("大标题第一栏")
    assert [(j.kind, j.text) for j in p.joins] == [("join", "与赣州经开"), ("must_read", "第二行与赣州经开区")]
    assert p.lines_doc()["lines"][0]["text"] == p.lines[0].text       # line i is GT line i
    assert p.image is None                                             # page.png not written


def test_generator_page_line_count_mismatch_is_an_input_error(gt_page_dir):
    doc = json.loads((gt_page_dir / "lines.json").read_text(encoding="utf-8"))
    doc["lines"].pop()
    (gt_page_dir / "lines.json").write_text(json.dumps(doc), encoding="utf-8")
    with pytest.raises(InputError, match="lines.json"):
        load_generator_page(gt_page_dir)


def test_scan_boxes_apply_the_affine_transform(gt_page_dir):
    gt = json.loads((gt_page_dir / "gt.json").read_text(encoding="utf-8"))
    gt["scan_transform"] = [[1, 0, 5], [0, 2, -1]]
    (gt_page_dir / "gt.json").write_text(json.dumps(gt), encoding="utf-8")
    p = load_generator_page(gt_page_dir)
    assert np.allclose(p.scan_boxes() - p.boxes() * [1, 2, 1, 2], [5, -1, 5, -1])


def test_resolve_sets_for_folder_of_pages_and_single_page(gt_page_dir):
    [s] = resolve_sets(str(gt_page_dir.parent))
    assert [n for n, _ in s.pages] == ["tiny"]
    [s1] = resolve_sets(str(gt_page_dir))
    assert s1.pages[0][1]().name == "tiny"
    with pytest.raises(InputError):
        resolve_sets("no-such-set")


@pytest.mark.skipif(not (repo_root() / "fixtures" / "pages").is_dir(), reason="no checked-in pages yet")
def test_checked_in_fixture_pages_load():
    [s] = resolve_sets("fixtures")
    for _, load in s.pages:
        p = load()
        assert sorted(ln.order for ln in p.lines) == list(range(len(p.lines)))


REAL = realdata_root()
needs_real = pytest.mark.skipif(not (REAL / "nzz" / "pagexml").is_dir(), reason="../shared/realdata absent")


@needs_real
@pytest.mark.parametrize("kind,name", [("nzz", "nzz_18520329_0_0_a1_p1_1"),
                                       ("newseye", "bnf_18840315_1-0001"),
                                       ("newseye", "0033_nzz_18120804_0_0_a1_p1_1")])
def test_real_page_from_pagexml_equals_page_from_json(kind, name):
    gt = REAL / kind / "gt" / f"{name}.json"
    a = load_real_page(gt, kind=kind, prefer_xml=True)
    b = load_real_page(gt, kind=kind, prefer_xml=False)
    assert a.source.endswith(".xml") and b.source.endswith(".json")
    assert a.lines == b.lines and a.regions == b.regions
    assert a.articles == b.articles and a.joins == b.joins


@needs_real
def test_real_page_is_shuffled_and_gt_order_restores_xml_order():
    from broadsheet.pagexml import read_pagexml
    name = "nzz_18400424_0_0_a1_p1_1"
    p = load_real_page(REAL / "nzz" / "gt" / f"{name}.json", kind="nzz")
    xml_ids = [ln.id for ln in read_pagexml(REAL / "nzz" / "pagexml" / f"{name}.xml").lines()]
    assert [ln.id for ln in p.lines] != xml_ids
    assert [p.lines[i].id for i in p.gt_order()] == xml_ids
    assert p.image is not None and p.image.endswith(".png")


@needs_real
def test_newseye_articles_and_derived_joins():
    p = load_real_page(REAL / "newseye" / "gt" / "bnf_18840315_1-0001.json", kind="newseye")
    assert len(p.articles) == 10
    assert all(j.kind == "derived" and len(j.text) > 4 for j in p.joins)
    assert sum(ln.article is not None for ln in p.lines) == 534


def test_string_width_and_height_are_accepted(tmp_path):
    d = {"width": "300", "height": "200.0", "region_order": ["r1"],
         "regions": [{"id": "r1", "ro_index": 0, "polygon": [[0, 0], [100, 0], [100, 20], [0, 20]],
                      "lines": [{"id": "l1", "polygon": [[0, 0], [100, 0], [100, 20], [0, 20]],
                                 "text": "x", "article_id": "a1", "line_ro": 0}]}]}
    (tmp_path / "gt").mkdir()
    (tmp_path / "gt" / "p.json").write_text(json.dumps(d), encoding="utf-8")
    p = load_real_page(tmp_path / "gt" / "p.json", kind="newseye")
    assert (p.width, p.height) == (300, 200) and p.lines[0].article == "a1"
