"""PAGE XML (PRImA 2019-07-15 schema) out: what OCR-D, Transkribus and eScriptorium read.

Encoding of Broadsheet's structure:

- each block → ``TextRegion`` (id ``r<block>``) with the nearest PAGE ``@type`` and the exact
  Broadsheet role in ``@custom="readingOrder {index:N;} structure {type:ROLE;}"``; its lines →
  ``TextLine`` (id ``l<line>``) with ``Coords``, an estimated ``Baseline`` and ``TextEquiv``
  (``@conf`` = line confidence); the region's own ``TextEquiv`` is its lines joined by newlines.
  A region that another continues into gets ``@continuation="true"``.
- figures → ``ImageRegion`` (``f<id>``); rules → ``SeparatorRegion`` (``s<id>``).
- ``ReadingOrder``: one ``OrderedGroup`` for the page holding, in export order, an
  ``OrderedGroupIndexed @type="article"`` per article (``@caption`` = title, ``@custom`` =
  ``article {id:…;}``) with its regions as ``RegionRefIndexed`` in article order, then the
  article's figures; blocks outside articles are referenced directly.
- each join → ``Relations/Relation`` (``@type`` ``join`` when the text breaks mid-sentence, else
  ``link``; ``@custom="join {score:0.93;}"``) from the source region to the region it continues in.
"""
from __future__ import annotations

from lxml import etree

from broadsheet.layout import roles as R
from broadsheet.layout.model import Line, Page

from ._common import (
    block_confidence, block_text, blocks_by_id, continued_blocks, is_vertical, join_kind,
    lines_by_id, orphan_lines, points, polygon_of, reading_units, software_version, timestamp,
)

NS = "http://schema.primaresearch.org/PAGE/gts/pagecontent/2019-07-15"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
SCHEMA_LOCATION = f"{NS} {NS}/pagecontent.xsd"

#: Broadsheet role → PAGE TextRegion @type (the exact role also goes into @custom).
PAGE_TYPES = {
    R.PAGE_HEADER: "header", R.SECTION: "heading", R.KICKER: "heading", R.TITLE: "heading",
    R.SUBTITLE: "heading", R.BYLINE: "credit", R.SUBHEAD: "heading", R.BODY: "paragraph",
    R.CAPTION: "caption", R.CREDIT: "credit", R.JUMP: "other", R.FOOTER: "footer",
    R.ADVERTISEMENT: "other", R.OTHER: "other",
}


def _el(parent, tag: str, **attrs) -> etree._Element:
    return etree.SubElement(parent, f"{{{NS}}}{tag}", {k: str(v) for k, v in attrs.items() if v is not None})


def _conf(c: float) -> str:
    return f"{min(max(float(c), 0.0), 1.0):.4f}".rstrip("0").rstrip(".") or "0"


def _text_equiv(parent, text: str, conf: float | None) -> None:
    te = _el(parent, "TextEquiv", conf=None if conf is None else _conf(conf))
    _el(te, "Unicode").text = text


def _baseline(line: Line) -> str:
    """A straight baseline estimate: 20 % above the bottom (horizontal) or the centre (vertical)."""
    x0, y0, x1, y1 = line.bbox
    if is_vertical(line):
        xc = (x0 + x1) / 2
        return points(((xc, y0), (xc, y1)))
    yb = y1 - 0.2 * (y1 - y0)
    return points(((x0, yb), (x1, yb)))


def _text_line(region, line: Line) -> None:
    tl = _el(region, "TextLine", id=f"l{line.id}", custom=f"readingOrder {{index:{line.order};}}" if line.order is not None else None)
    _el(tl, "Coords", points=points(polygon_of(line.bbox, line.polygon)))
    _el(tl, "Baseline", points=_baseline(line))
    _text_equiv(tl, line.text, line.confidence)


def render_page_xml(page: Page, *, image_filename: str | None = None) -> bytes:
    """PAGE XML for ``page``; ``image_filename`` defaults to ``page.source`` (or ``"page.png"``)."""
    blocks, lines = blocks_by_id(page), lines_by_id(page)
    units = reading_units(page)
    continued = continued_blocks(page)
    root = etree.Element(f"{{{NS}}}PcGts", nsmap={None: NS, "xsi": XSI})
    root.set(f"{{{XSI}}}schemaLocation", SCHEMA_LOCATION)
    md = _el(root, "Metadata")
    _el(md, "Creator").text = f"Broadsheet {software_version()}"
    _el(md, "Created").text = timestamp(page)
    _el(md, "LastChange").text = timestamp(page)
    pg = _el(root, "Page", imageFilename=image_filename or page.source or "page.png",
             imageWidth=int(page.width), imageHeight=int(page.height))

    # Reading order: articles as ordered groups, lone blocks as direct references.
    order_index: dict[int, int] = {}
    ro = _el(pg, "ReadingOrder")
    top = _el(ro, "OrderedGroup", id="ro_page", caption="page reading order")
    for k, unit in enumerate(units):
        if unit.article is None:
            for b in unit.blocks:
                order_index[b] = len(order_index)
                _el(top, "RegionRefIndexed", index=k, regionRef=f"r{b}")
            continue
        art = unit.article
        figs = [f for f in page.figures if f.article == art.id]
        if not unit.blocks and not figs:
            continue
        g = _el(top, "OrderedGroupIndexed", id=f"ro_article_{_xml_id(art.id)}", index=k,
                caption=art.title or None, type="article", custom=f"article {{id:{art.id};}}")
        i = 0
        for b in unit.blocks:
            order_index[b] = len(order_index)
            _el(g, "RegionRefIndexed", index=i, regionRef=f"r{b}")
            i += 1
        for f in figs:
            _el(g, "RegionRefIndexed", index=i, regionRef=f"f{f.id}")
            i += 1
    orphans = orphan_lines(page)
    for n, ln in enumerate(orphans):
        _el(top, "RegionRefIndexed", index=len(units) + n, regionRef=f"rl{ln.id}")
    if len(top) == 0:  # the schema needs at least one member
        pg.remove(ro)

    joins = [(a, j) for a in page.articles for j in a.joins if j.src in blocks and j.dst in blocks]
    if joins:
        rel = _el(pg, "Relations")
        for n, (a, j) in enumerate(joins):
            r = _el(rel, "Relation", id=f"join{n}", type=join_kind(block_text(blocks[j.src], lines)),
                    custom=f"join {{score:{round(float(j.score), 4)};article:{a.id};}}")
            _el(r, "SourceRegionRef", regionRef=f"r{j.src}")
            _el(r, "TargetRegionRef", regionRef=f"r{j.dst}")

    for unit in units:
        for b in unit.blocks:
            blk = blocks[b]
            custom = f"readingOrder {{index:{order_index[b]};}} structure {{type:{blk.role};}}"
            if blk.article is not None:
                custom += f" article {{id:{blk.article};}}"
            reg = _el(pg, "TextRegion", id=f"r{b}", custom=custom,
                      continuation="true" if b in continued else None, type=PAGE_TYPES[blk.role])
            _el(reg, "Coords", points=points(polygon_of(blk.bbox, blk.polygon)))
            for i in blk.lines:
                if i in lines:
                    _text_line(reg, lines[i])
            _text_equiv(reg, block_text(blk, lines), block_confidence(blk, lines))
    for ln in orphans:
        reg = _el(pg, "TextRegion", id=f"rl{ln.id}", type="other", custom="structure {type:other;}")
        _el(reg, "Coords", points=points(polygon_of(ln.bbox, ln.polygon)))
        _text_line(reg, ln)
        _text_equiv(reg, ln.text, ln.confidence)
    for f in page.figures:
        reg = _el(pg, "ImageRegion", id=f"f{f.id}",
                  custom=f"structure {{type:{f.kind};}}" + (f" article {{id:{f.article};}}" if f.article else ""))
        _el(reg, "Coords", points=points(polygon_of(f.bbox, None)))
    for s in page.separators:
        reg = _el(pg, "SeparatorRegion", id=f"s{s.id}",
                  custom=f"structure {{type:rule;orientation:{s.orientation};style:{s.style};}}")
        _el(reg, "Coords", points=points(polygon_of(s.bbox, None)))
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _xml_id(s: str) -> str:
    """Make an article id usable inside an XML ID (NCName characters only)."""
    return "".join(c if c.isalnum() or c in "-_." else "_" for c in str(s))
