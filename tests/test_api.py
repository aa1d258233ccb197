"""The Python API: sections for giant inputs, PAGE XML lines in, errors that name the file."""
import numpy as np
import pytest

from broadsheet.api import lines_from_doc, read_lines, sections
from broadsheet.errors import InputError


def test_ordinary_page_is_one_section():
    boxes = np.array([[0, k * 40, 100, k * 40 + 30] for k in range(300)], float)
    assert len(sections(boxes)) == 1


def test_giant_input_is_cut_where_white_space_crosses_the_page():
    rows = []
    for page in range(5):
        rows += [[0, page * 10000 + k * 40, 100, page * 10000 + k * 40 + 30] for k in range(100)]
    parts = sections(np.array(rows, float), limit=150)
    assert len(parts) >= 3
    assert sorted(np.concatenate(parts).tolist()) == list(range(500))
    assert all(len(p) <= 200 for p in parts)


def test_sectioned_page_keeps_every_line_and_unique_ids():
    lines = []
    for page in range(3):
        for k in range(60):
            lines.append({"box": [0, page * 5000 + k * 45, 600, page * 5000 + k * 45 + 30],
                          "text": f"第{page}页第{k}行的正文，内容连续下去"})
    from broadsheet import api
    doc = {"width": 700, "height": 15000, "lines": lines}
    page = api.analyze_lines(*lines_from_doc(doc), section_lines=100, workers=1)
    assert page.meta["sections"] == 3
    assert sorted(ln.id for ln in page.lines) == list(range(180))
    assert sorted(ln.order for ln in page.lines) == list(range(180))
    ids = [b.id for b in page.blocks]
    assert len(ids) == len(set(ids))


def test_collector_restored_without_a_young_pass_over_the_page():
    """The objects a read made are handed to the oldest generation, not scanned by a young
    collection on the way out; a caller's frozen objects stay frozen, a paused collector paused."""
    import gc
    doc = {"width": 700, "height": 9000,
           "lines": [{"box": [0, k * 45, 600, k * 45 + 30], "text": f"第{k}行的正文，内容连续下去"} for k in range(200)]}
    seen = []
    cb = lambda phase, info: seen.append((phase, info["generation"]))  # noqa: E731
    was = gc.isenabled()
    gc.enable()
    gc.callbacks.append(cb)
    try:
        gc.collect()
        seen.clear()
        page = read_lines(doc, workers=1)
        assert len(page.lines) == 200 and gc.isenabled()
        assert seen == []  # > 700 new objects: re-enabled as they were, a collection would run here
        assert gc.get_freeze_count() == 0
        gc.freeze()
        frozen = gc.get_freeze_count()
        read_lines(doc, workers=1)
        assert gc.get_freeze_count() == frozen
        gc.unfreeze()
        gc.disable()
        read_lines(doc, workers=1)
        assert not gc.isenabled()
    finally:
        gc.callbacks.remove(cb)
        gc.unfreeze()
        (gc.enable if was else gc.disable)()


def test_pagexml_lines_input(tmp_path):
    xml = tmp_path / "p.xml"
    xml.write_text("""<?xml version="1.0" encoding="UTF-8"?>
<PcGts xmlns="http://schema.primaresearch.org/PAGE/gts/pagecontent/2019-07-15">
 <Page imageFilename="p.png" imageWidth="1000" imageHeight="800">
  <TextRegion id="r1"><Coords points="10,10 500,10 500,200 10,200"/>
   <TextLine id="l1"><Coords points="10,10 500,10 500,40 10,40"/><TextEquiv><Unicode>Erste Zeile des Textes.</Unicode></TextEquiv></TextLine>
   <TextLine id="l2"><Coords points="10,50 500,50 500,80 10,80"/><TextEquiv><Unicode>Zweite Zeile folgt hier.</Unicode></TextEquiv></TextLine>
  </TextRegion>
 </Page>
</PcGts>""", encoding="utf-8")
    page = read_lines(xml)
    assert [ln.text for ln in page.lines] == ["Erste Zeile des Textes.", "Zweite Zeile folgt hier."]


def test_image_of_the_wrong_size_is_refused(tmp_path):
    from PIL import Image
    img = tmp_path / "small.png"
    Image.new("L", (50, 50), 255).save(img)
    doc = {"width": 1000, "height": 800, "lines": [{"box": [0, 0, 10, 10], "text": "x"}]}
    with pytest.raises(InputError, match="small.png"):
        read_lines(doc, image=img)


def test_read_line_equals_the_constructed_one():
    from broadsheet.layout.model import Line
    poly = ((1.0, 2.0), (3.0, 4.0))
    assert Line.read(3, (1.0, 2.0, 3.0, 4.0), "abc", 0.9, poly) == Line(id=3, bbox=(1.0, 2.0, 3.0, 4.0), text="abc",
                                                                         confidence=0.9, polygon=poly)
    made = Line.read(0, (0.0, 0.0, 1.0, 1.0), "x")
    assert made == Line(id=0, bbox=(0.0, 0.0, 1.0, 1.0), text="x")
    assert made.__dict__ == Line(id=0, bbox=(0.0, 0.0, 1.0, 1.0), text="x").__dict__  # same fields, same order


def test_placed_line_equals_dataclasses_replace():
    import dataclasses

    from broadsheet.layout.model import Line
    ln = Line(id=3, bbox=(1.0, 2.0, 3.0, 4.0), text="abc", confidence=0.9, polygon=((1.0, 2.0), (3.0, 4.0)))
    placed = ln.placed(7, "a2", 11)
    assert placed == dataclasses.replace(ln, block=7, article="a2", order=11)
    assert ln.block is None  # the original is untouched


def test_with_fields_equals_dataclasses_replace():
    import dataclasses

    from broadsheet.layout.model import Article, Block, Join, Paragraph, with_fields
    b = Block(id=4, role="body", bbox=(1.0, 2.0, 3.0, 4.0), lines=(5, 6), polygon=None, article="a1")
    a = Article(id="a1", blocks=(4, 9), bbox=(0.0, 0.0, 9.0, 9.0), title="T", paragraphs=(Paragraph("x"),),
                joins=(Join(4, 9, 0.5),))
    for obj, changes in ((b, {"id": 14, "article": "a3"}), (b, {"article": None}),
                         (a, {"id": "a3", "blocks": (14, 19), "joins": (Join(14, 19, 0.5),)})):
        got, want = with_fields(obj, **changes), dataclasses.replace(obj, **changes)
        assert got == want and type(got) is type(want)
        assert list(vars(got)) == list(vars(want))  # the same fields in the same order
        assert got.to_dict() == want.to_dict()
    assert b.id == 4 and a.id == "a1"  # the originals are untouched


@pytest.mark.parametrize("lines", [
    [],                                                           # a blank page
    [{"box": [10, 10, 300, 40], "text": "一行"}],                   # one line
    [{"box": [10, 10, 600, 80], "text": "大标题一"}, {"box": [10, 200, 600, 270], "text": "大标题二"}],  # headlines alone
    [{"box": [10, 10, 600, 80], "text": ""}],                       # a line with no text
])
def test_sparse_pages_give_a_whole_page_json(lines):
    import json
    page = read_lines({"width": 1000, "height": 1000, "lines": lines})
    d = json.loads(json.dumps(page.to_dict()))
    assert d["schema"] == "broadsheet.page/1"
    assert sorted(ln["id"] for ln in d["lines"]) == list(range(len(lines)))
