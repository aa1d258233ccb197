"""PAGE XML reader: a tiny hand-written 2019 file, the 2013 namespace, errors, and real NZZ/NewsEye files."""
import json

import pytest

from broadsheet.errors import InputError
from broadsheet.eval.datasets import realdata_root
from broadsheet.pagexml import parse_custom, pagexml_to_lines_doc, read_pagexml

NS19 = "http://schema.primaresearch.org/PAGE/gts/pagecontent/2019-07-15"
NS13 = "http://schema.primaresearch.org/PAGE/gts/pagecontent/2013-07-15"

TINY = """<?xml version="1.0" encoding="UTF-8"?>
<PcGts xmlns="{ns}">
  <Page imageFilename="p.png" imageWidth="{w}" imageHeight="200">
    <ReadingOrder>
      <OrderedGroup id="g0">
        <RegionRefIndexed index="1" regionRef="left"/>
        <RegionRefIndexed index="0" regionRef="head"/>
        <OrderedGroupIndexed id="g1" index="2">
          <RegionRefIndexed index="0" regionRef="right"/>
        </OrderedGroupIndexed>
      </OrderedGroup>
    </ReadingOrder>
    <TextRegion id="left" type="paragraph" custom="readingOrder {{index:1;}} structure {{type:article;}}">
      <Coords points="0,50 90,50 90,190 0,190"/>
      <TextLine id="l2" custom="readingOrder {{index:1;}} structure {{id:a1; type:article;}}">
        <Coords points="0,80 90,80 90,100 0,100"/>
        <TextEquiv><Unicode>second</Unicode></TextEquiv>
      </TextLine>
      <TextLine id="l1" custom="readingOrder {{index:0;}} structure {{id:a1; type:article;}}">
        <Coords points="0,50 90,50 90,70 0,70"/>
        <Baseline points="0,68 90,68"/>
        <Word id="w1"><Coords points="0,50 40,50 40,70 0,70"/><TextEquiv><Unicode>wrong</Unicode></TextEquiv></Word>
        <TextEquiv><Unicode>first</Unicode></TextEquiv>
      </TextLine>
    </TextRegion>
    <TextRegion id="head" type="heading">
      <Coords points="0,0 200,0 200,40 0,40"/>
      <TextLine id="h1"><Coords points="0,0 200,0 200,40 0,40"/>
        <Word id="w2"><Coords points="0,0 90,0 90,40 0,40"/><TextEquiv><Unicode>Big</Unicode></TextEquiv></Word>
        <Word id="w3"><Coords points="100,0 200,0 200,40 100,40"/><TextEquiv><Unicode>News</Unicode></TextEquiv></Word>
      </TextLine>
    </TextRegion>
    <TextRegion id="right"><Coords points="110,50 200,50 200,190 110,190"/>
      <TextLine id="r1" custom="structure {{id:a2; type:article;}}">
        <Coords><Point x="110" y="50"/><Point x="200" y="50"/><Point x="200" y="70"/><Point x="110" y="70"/></Coords>
        <TextEquiv><Unicode>other</Unicode></TextEquiv>
      </TextLine>
    </TextRegion>
  </Page>
</PcGts>
"""


def _write(tmp_path, ns=NS19, w="200", name="p.xml"):
    p = tmp_path / name
    p.write_text(TINY.format(ns=ns, w=w), encoding="utf-8")
    return p


def test_parse_custom_reads_groups_and_keys():
    assert parse_custom("readingOrder {index:3;} structure {id:a1; type:article;}") == {
        "readingOrder": {"index": "3"}, "structure": {"id": "a1", "type": "article"}}
    assert parse_custom(None) == {}


def test_tiny_2019_page_regions_follow_reading_order_and_lines_their_index(tmp_path):
    px = read_pagexml(_write(tmp_path))
    assert px.version == "2019-07-15"
    assert (px.width, px.height, px.image_filename) == (200, 200, "p.png")
    assert [r.id for r in px.regions] == ["head", "left", "right"]
    assert [r.order for r in px.regions] == [0, 1, 2]
    assert [ln.id for ln in px.lines()] == ["h1", "l1", "l2", "r1"]
    assert px.regions[1].type == "paragraph" and px.regions[1].structure_type == "article"


def test_tiny_page_text_baseline_points_and_articles(tmp_path):
    px = read_pagexml(_write(tmp_path))
    by_id = {ln.id: ln for ln in px.lines()}
    assert by_id["l1"].text == "first"              # the line's own TextEquiv, not its words'
    assert by_id["h1"].text == "Big News"           # no line TextEquiv: words joined
    assert by_id["l1"].baseline == ((0.0, 68.0), (90.0, 68.0))
    assert by_id["r1"].box == (110.0, 50.0, 200.0, 70.0)   # <Point> children (old style)
    assert px.articles() == {"a1": ["l1", "l2"], "a2": ["r1"]}
    assert by_id["h1"].article_id is None


def test_2013_namespace_is_detected(tmp_path):
    assert read_pagexml(_write(tmp_path, ns=NS13)).version == "2013-07-15"


def test_lines_doc_from_pagexml(tmp_path):
    doc = pagexml_to_lines_doc(_write(tmp_path))
    assert doc["width"] == 200 and len(doc["lines"]) == 4
    assert doc["lines"][1] == {"box": [0.0, 50.0, 90.0, 70.0], "text": "first",
                               "polygon": [[0.0, 50.0], [90.0, 50.0], [90.0, 70.0], [0.0, 70.0]]}


def test_malformed_xml_names_the_file(tmp_path):
    p = tmp_path / "bad.xml"
    p.write_text("<PcGts><Page>", encoding="utf-8")
    with pytest.raises(InputError, match="bad.xml: malformed XML"):
        read_pagexml(p)


def test_not_page_xml_and_bad_size_are_input_errors(tmp_path):
    p = tmp_path / "other.xml"
    p.write_text("<alto/>", encoding="utf-8")
    with pytest.raises(InputError, match="not PAGE XML"):
        read_pagexml(p)
    with pytest.raises(InputError, match="imageWidth"):
        read_pagexml(_write(tmp_path, w="wide"))
    with pytest.raises(InputError, match="cannot read"):
        read_pagexml(tmp_path / "missing.xml")


REAL = realdata_root()
needs_real = pytest.mark.skipif(not (REAL / "nzz" / "pagexml").is_dir(), reason="../shared/realdata absent")


def _json_lines(path):
    d = json.load(open(path, encoding="utf-8"))
    regs = sorted(d["regions"], key=lambda r: r["ro_index"])
    return d, [(ln["id"], ln["text"] or "", ln["article_id"]) for r in regs
               for ln in sorted(r["lines"], key=lambda ln: ln["line_ro"])]


@needs_real
@pytest.mark.parametrize("rel", ["nzz/{}/nzz_18400424_0_0_a1_p1_1", "newseye/{}/bnf_18840315_1-0002"])
def test_real_pagexml_agrees_with_json_flattening(rel):
    px = read_pagexml(REAL / (rel.format("pagexml") + ".xml"))
    d, jl = _json_lines(REAL / (rel.format("gt") + ".json"))
    assert (px.width, px.height) == (int(d["width"]), int(d["height"]))
    assert [r.id for r in px.regions] == d["region_order"]
    assert [(ln.id, ln.text, ln.article_id) for ln in px.lines()] == jl
    assert {k: v for k, v in px.articles().items()} == {k: v for k, v in d["articles"].items()}
