"""Every text/XML format written from one hand-made page, checked against schemas and readers."""
from __future__ import annotations

import importlib.util
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from lxml import etree

from broadsheet.reflow.export import FORMATS, get_format, mets_path_for, parse_formats, render, write
from export_fakes import make_page

PAGE_NS = {"pc": "http://schema.primaresearch.org/PAGE/gts/pagecontent/2019-07-15"}
ALTO_NS = {"a": "http://www.loc.gov/standards/alto/ns-v4#"}
METS_NS = {"mets": "http://www.loc.gov/METS/", "xlink": "http://www.w3.org/1999/xlink"}


@pytest.fixture(autouse=True)
def _fixed_clock(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1590969600")


@pytest.fixture
def page():
    return make_page()


def _schema_dir() -> Path | None:
    """The official PAGE 2019 and METS schemas as shipped by OCR-D's ``ocrd`` package."""
    spec = importlib.util.find_spec("ocrd_validators")
    if spec is None or not spec.submodule_search_locations:
        return None
    d = Path(list(spec.submodule_search_locations)[0])
    return d if (d / "page.xsd").exists() else None


def _xsd(name: str):
    xmlschema = pytest.importorskip("xmlschema", reason="xmlschema is in the test extra")
    d = _schema_dir()
    if d is None:
        pytest.skip("PAGE/METS schemas not found: pip install 'ocrd>=3' (ships ocrd_validators/*.xsd)")
    return xmlschema.XMLSchema(str(d / name))


# --------------------------------------------------------------------------- registry


def test_unknown_format_lists_the_choices(page):
    with pytest.raises(ValueError, match="json.*alto.*html"):
        render(page, "docx")


def test_parse_formats_accepts_aliases_and_drops_duplicates():
    assert parse_formats("json, overlay,md,json") == ("json", "png", "md")
    assert get_format("PAGE").extension == ".page.xml"
    assert set(FORMATS) >= {"json", "md", "txt", "page", "alto", "mets", "hocr", "png", "html"}


# --------------------------------------------------------------------------- JSON / md / txt


def test_json_round_trips_to_page_dict_and_is_byte_identical(page):
    a, b = render(page, "json"), render(make_page(), "json")
    assert a == b
    assert json.loads(a) == json.loads(json.dumps(page.to_dict()))
    assert list(json.loads(a)) == list(page.to_dict())  # field order of to_dict kept
    assert "赣州" in a  # UTF-8, not \u escapes


def test_markdown_has_articles_in_order_with_subheads_and_captions(page):
    md = render(page, "md")
    assert md.index("# 江西赣州经开区") < md.index("# Die Zeitung von morgen")
    assert "### Neue Pläne" in md
    assert "> 图为赣州经开区一景。" in md
    assert "经济日报" not in md  # page furniture outside articles is left out
    assert "等9个项目与赣州经开区签约" in md


def test_text_has_articles_in_order_and_no_markup(page):
    txt = render(page, "txt")
    assert txt.index("营造良好营商环境") < txt.index("江西赣州") < txt.index("Die Zeitung") < txt.index("Von Anna Muster")
    assert "#" not in txt and "经济日报" not in txt


def test_write_to_text_and_binary_streams(page):
    s, b = io.StringIO(), io.BytesIO()
    write(page, "md", s)
    write(page, "page", b)
    assert s.getvalue() == render(page, "md")
    assert b.getvalue() == render(page, "page")


# --------------------------------------------------------------------------- PAGE XML


def test_page_xml_validates_against_the_2019_schema(page):
    _xsd("page.xsd").validate(etree.fromstring(render(page, "page")))


def test_page_xml_reading_order_lists_article_groups_in_order(page):
    doc = etree.fromstring(render(page, "page"))
    top = doc.find(".//pc:ReadingOrder/pc:OrderedGroup", PAGE_NS)
    groups = top.findall("pc:OrderedGroupIndexed", PAGE_NS)
    assert [g.get("type") for g in groups] == ["article", "article"]
    assert [g.get("custom") for g in groups] == ["article {id:a1;}", "article {id:a2;}"]
    refs = [r.get("regionRef") for r in groups[0].findall("pc:RegionRefIndexed", PAGE_NS)]
    assert refs == ["r1", "r2", "r3", "r4", "r5", "f0"]
    indexes = [int(e.get("index")) for e in top]
    assert indexes == sorted(indexes) and top[0].get("regionRef") == "r0"  # page header first


def test_page_xml_regions_carry_roles_continuation_and_join_relation(page):
    doc = etree.fromstring(render(page, "page"))
    r = {e.get("id"): e for e in doc.iterfind(".//pc:TextRegion", PAGE_NS)}
    assert r["r2"].get("type") == "heading" and "structure {type:title;}" in r["r2"].get("custom")
    assert r["r5"].get("type") == "caption"
    assert r["r4"].get("continuation") == "true" and r["r3"].get("continuation") is None
    rel = doc.find(".//pc:Relations/pc:Relation", PAGE_NS)
    assert rel.get("type") == "join" and "score:0.93" in rel.get("custom")
    assert rel.find("pc:SourceRegionRef", PAGE_NS).get("regionRef") == "r3"
    assert rel.find("pc:TargetRegionRef", PAGE_NS).get("regionRef") == "r4"
    lines = doc.findall(".//pc:TextLine", PAGE_NS)
    assert len(lines) == len(page.lines)
    assert lines[2].find("pc:TextEquiv/pc:Unicode", PAGE_NS).text == "江西赣州经开区：招大引强交出“硬核”答卷"
    assert len(doc.findall(".//pc:ImageRegion", PAGE_NS)) == 1
    assert len(doc.findall(".//pc:SeparatorRegion", PAGE_NS)) == 1


# --------------------------------------------------------------------------- ALTO + METS


def test_alto_reads_back_with_alto_tools(page, tmp_path):
    alto_tools = pytest.importorskip("alto_tools.alto_tools", reason="pip install alto-tools")
    path = tmp_path / "p.alto.xml"
    write(page, "alto", path)
    with path.open("rb") as fh:
        _, xml, ns = alto_tools.alto_parse(fh)
    assert ns == "http://www.loc.gov/standards/alto/ns-v4#"
    out = subprocess.run(
        [sys.executable, "-c", "import sys; from alto_tools.alto_tools import alto_parse, alto_text;"
         "f=open(sys.argv[1],'rb'); _,x,n=alto_parse(f); alto_text(x,n)", str(path)],
        capture_output=True, text=True, check=True).stdout
    read_lines = [ln.strip() for ln in out.strip().split("\n")]
    expected = [page.lines[i].text for b in (0, 1, 2, 3, 4, 5, 6, 7) for i in page.blocks[b].lines]
    assert read_lines == expected
    assert 90 <= alto_tools.alto_confidence(path, xml, ns) <= 96


def test_alto_blocks_follow_reading_order_and_carry_role_and_article_tags(page):
    doc = etree.fromstring(render(page, "alto"))
    tbs = doc.findall(".//a:PrintSpace/a:TextBlock", ALTO_NS)
    assert [t.get("ID") for t in tbs] == [f"TB{i}" for i in range(8)]
    assert tbs[2].get("TAGREFS").split() == ["TAG_role_title", "TAG_article_a1"]
    tags = {t.get("ID"): t for t in doc.iterfind(".//a:Tags/a:StructureTag", ALTO_NS)}
    assert all(ref in tags for t in tbs for ref in t.get("TAGREFS").split())
    latin = [s.get("CONTENT") for s in tbs[7].iterfind(".//a:String", ALTO_NS)]
    assert latin[:3] == ["Der", "Verlag", "kündigte"]
    cjk = [s.get("CONTENT") for s in tbs[3].iterfind(".//a:String", ALTO_NS)]
    assert cjk == ["今年以来，赣州经开区共有", "等9个项目与赣"]  # one String per CJK run
    assert len(doc.findall(".//a:Illustration", ALTO_NS)) == 1
    assert len(doc.findall(".//a:GraphicalElement", ALTO_NS)) == 1


def test_mets_maps_each_article_to_its_alto_blocks_in_order(page, tmp_path):
    write(page, "alto", tmp_path / "p.alto.xml")
    mets_file = mets_path_for(tmp_path / "p.alto.xml")
    assert mets_file.name == "p.mets.xml" and mets_file.exists()
    doc = etree.parse(str(mets_file))
    href = doc.find(".//mets:fileGrp[@USE='ALTO']/mets:file/mets:FLocat", METS_NS).get(f"{{{METS_NS['xlink']}}}href")
    assert href == "p.alto.xml"
    arts = doc.findall(".//mets:structMap[@TYPE='LOGICAL']//mets:div[@TYPE='ARTICLE']", METS_NS)
    got = [[a.get("BEGIN") for a in d.iterfind("mets:fptr/mets:seq/mets:area", METS_NS)] for d in arts]
    assert got == [["TB1", "TB2", "TB3", "TB4", "TB5"], ["TB6", "TB7"]]
    alto_ids = {e.get("ID") for e in etree.parse(str(tmp_path / "p.alto.xml")).iter()}
    assert all(b in alto_ids for g in got for b in g)


def test_mets_validates_against_the_mets_schema(page):
    _xsd("mets.xsd").validate(etree.fromstring(render(page, "mets", alto_href="p.alto.xml")))


# --------------------------------------------------------------------------- hOCR


def test_hocr_parses_as_xhtml_with_one_ocr_line_per_line(page):
    doc = etree.fromstring(render(page, "hocr").encode("utf-8"))
    ns = {"h": "http://www.w3.org/1999/xhtml"}
    lines = doc.findall(".//h:span[@class='ocr_line']", ns)
    assert len(lines) == len(page.lines)
    assert [ln.get("id") for ln in lines] == [f"line_{i}" for i in range(len(page.lines))]
    assert all("bbox " in ln.get("title") and "x_wconf" in ln.get("title") for ln in lines)
    words = lines[9].findall("h:span[@class='ocrx_word']", ns)
    assert [w.text for w in words][:2] == ["Der", "Verlag"]
    careas = doc.findall(".//h:div[@class='ocr_carea']", ns)
    assert len(careas) == len(page.blocks) and "x_article a1" in careas[1].get("title")


def test_hocr_passes_hocr_check(page, tmp_path, capsys):
    check = pytest.importorskip("hocr_tools_lib.tools.hocr_check", reason="pip install hocr-tools-lib")
    path = tmp_path / "p.hocr"
    write(page, "hocr", path)
    check.Checker(str(path)).check()
    err = capsys.readouterr().err
    assert "ok 1" in err and "not ok" not in err


def test_hocr_lines_reads_the_text_back(page, tmp_path):
    hocr_lines = pytest.importorskip("hocr_tools_lib.tools.hocr_lines", reason="pip install hocr-tools-lib")
    path = tmp_path / "p.hocr"
    write(page, "hocr", path)
    got = list(hocr_lines.lines(str(path)))
    assert got == [ln.text for ln in page.lines]  # export order = line order on this page


def test_lines_without_text_or_block_keep_their_geometry_everywhere():
    from dataclasses import replace

    from broadsheet.layout.model import Line

    page = make_page()
    stray = Line(len(page.lines), (700, 600, 900, 630), "", confidence=0.5)  # no text, no block
    page = replace(page, lines=page.lines + (stray,))
    alto = etree.fromstring(render(page, "alto"))
    assert len(alto.findall(".//a:TextLine", ALTO_NS)) == len(page.lines)
    assert alto.find(".//a:TextBlock[@ID='TBL11']/a:TextLine/a:String", ALTO_NS).get("CONTENT") == ""
    pagexml = etree.fromstring(render(page, "page"))
    assert pagexml.find(".//pc:TextRegion[@id='rl11']/pc:TextLine", PAGE_NS) is not None
    hocr = etree.fromstring(render(page, "hocr").encode())
    assert len(hocr.findall(".//{http://www.w3.org/1999/xhtml}span[@class='ocr_line']")) == len(page.lines)
    if _schema_dir() is not None:
        _xsd("page.xsd").validate(pagexml)


@pytest.mark.parametrize("fmt", ["json", "md", "txt", "page", "alto", "mets", "hocr", "png", "html"])
def test_an_empty_page_renders_in_every_format(fmt):
    from broadsheet.layout.model import Page

    out = render(Page(100, 80, ()), fmt)
    assert len(out) > 0
    if fmt in ("page", "mets") and _schema_dir() is not None:
        _xsd(f"{fmt}.xsd").validate(etree.fromstring(out))


def test_page_xml_reads_back_with_broadsheets_own_page_reader(page, tmp_path):
    from broadsheet.pagexml import pagexml_to_lines_doc, read_pagexml

    path = tmp_path / "p.page.xml"
    write(page, "page", path)
    px = read_pagexml(path)
    assert [r.id for r in px.regions] == [f"r{b.id}" for b in page.blocks]
    assert [r.structure_type for r in px.regions] == [b.role for b in page.blocks]
    doc = pagexml_to_lines_doc(path)
    assert [ln["text"] for ln in doc["lines"]] == [ln.text for ln in page.lines]
    assert (doc["width"], doc["height"]) == (page.width, page.height)
