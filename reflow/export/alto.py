"""ALTO v4 out, plus the METS sidecar that carries articles (ALTO itself has no article level).

ALTO: ``Layout/Page/PrintSpace`` holds one ``TextBlock`` per block in the export order (articles'
blocks in article order, page furniture where it falls in the page reading order), each with
``TAGREFS`` to a ``StructureTag`` for its role (``TAG_role_<role>``) and one for its article
(``TAG_article_<id>``, ``TYPE="article"``). ``TextLine``/``String`` carry text and ``WC``
(confidence); ``String`` is one word for space-separated scripts and one run of characters for
CJK (which has no spaces), with ``SP`` between words. Figures → ``Illustration``, rules →
``GraphicalElement``. Coordinates are integer pixels (``MeasurementUnit`` pixel).

METS: a ``fileSec`` pointing at the ALTO file (and the scan when known), a physical structMap
for the page and a logical structMap where each article is ``mets:div TYPE="ARTICLE"`` whose
``mets:fptr/mets:seq`` lists ``mets:area FILEID=<alto> BEGIN=<TextBlock ID> BETYPE="IDREF"`` in
reading order — the encoding newspaper digitisation programmes (e.g. ENMAP-style METS/ALTO) use.
"""
from __future__ import annotations

from lxml import etree

from broadsheet.layout.model import Box, Page

from ._common import (
    blocks_by_id, ibox, lines_by_id, orphan_lines, reading_units, software_version, timestamp,
    Token, tokens,
)

NS = "http://www.loc.gov/standards/alto/ns-v4#"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
XLINK = "http://www.w3.org/1999/xlink"
SCHEMA_LOCATION = f"{NS} http://www.loc.gov/standards/alto/v4/alto-4-2.xsd"
METS = "http://www.loc.gov/METS/"
METS_LOCATION = f"{METS} http://www.loc.gov/standards/mets/mets.xsd"


def _el(parent, tag: str, ns: str = NS, **attrs) -> etree._Element:
    return etree.SubElement(parent, f"{{{ns}}}{tag}", {k: str(v) for k, v in attrs.items() if v is not None})


def _pos(b: Box) -> dict[str, int]:
    x0, y0, x1, y1 = ibox(b)
    return {"HPOS": x0, "VPOS": y0, "WIDTH": x1 - x0, "HEIGHT": y1 - y0}


def _wc(c: float) -> str:
    return f"{min(max(float(c), 0.0), 1.0):.3f}".rstrip("0").rstrip(".") or "0"


def _tag_id(prefix: str, name: str) -> str:
    return f"TAG_{prefix}_" + "".join(c if c.isalnum() or c in "-_." else "_" for c in str(name))


def block_id(b: int) -> str:
    """ALTO ``TextBlock/@ID`` of block ``b`` (the METS ``area/@BEGIN``)."""
    return f"TB{b}"


def render_alto(page: Page, *, image_filename: str | None = None) -> bytes:
    """ALTO v4 XML for ``page`` (see module docstring)."""
    blocks, lines = blocks_by_id(page), lines_by_id(page)
    units = reading_units(page)
    root = etree.Element(f"{{{NS}}}alto", nsmap={None: NS, "xsi": XSI, "xlink": XLINK})
    root.set(f"{{{XSI}}}schemaLocation", SCHEMA_LOCATION)
    desc = _el(root, "Description")
    _el(desc, "MeasurementUnit").text = "pixel"
    sii = _el(desc, "sourceImageInformation")
    _el(sii, "fileName").text = image_filename or page.source or "page.png"
    proc = _el(desc, "Processing", ID="PROC1")
    _el(proc, "processingDateTime").text = timestamp(page)
    sw = _el(proc, "processingSoftware")
    _el(sw, "softwareName").text = "Broadsheet"
    _el(sw, "softwareVersion").text = software_version()

    roles = sorted({b.role for b in page.blocks} | ({"other"} if orphan_lines(page) else set()))
    arts = [a.id for a in page.articles]
    if roles or arts:
        tags = _el(root, "Tags")
        for r in roles:
            _el(tags, "StructureTag", ID=_tag_id("role", r), TYPE="role", LABEL=r)
        for a in page.articles:
            _el(tags, "StructureTag", ID=_tag_id("article", a.id), TYPE="article", LABEL=a.id,
                DESCRIPTION=a.title or None)

    layout = _el(root, "Layout")
    pg = _el(layout, "Page", ID="PAGE1", PHYSICAL_IMG_NR=1, WIDTH=int(page.width), HEIGHT=int(page.height),
             PROCESSING="PROC1")
    ps = _el(pg, "PrintSpace", HPOS=0, VPOS=0, WIDTH=int(page.width), HEIGHT=int(page.height))

    def text_block(bid: str, bbox: Box, tagrefs: str, line_list) -> None:
        tb = _el(ps, "TextBlock", ID=bid, **_pos(bbox), TAGREFS=tagrefs)
        for ln in line_list:
            # A line without text keeps its geometry: one empty String (ALTO needs one per line).
            toks = tokens(ln) or [Token("", ln.bbox, ln.confidence)]
            tl = _el(tb, "TextLine", ID=f"TL{ln.id}", **_pos(ln.bbox))
            for k, t in enumerate(toks):
                if k:
                    _el(tl, "SP")
                _el(tl, "String", ID=f"S{ln.id}_{k}", CONTENT=t.text, **_pos(t.bbox), WC=_wc(t.confidence))
        if len(tb) == 0:  # a block without lines: keep its place and box
            ps.remove(tb)
            _el(ps, "ComposedBlock", ID=bid, **_pos(bbox), TAGREFS=tagrefs, TYPE="empty")

    for unit in units:
        for b in unit.blocks:
            blk = blocks[b]
            refs = _tag_id("role", blk.role)
            if blk.article is not None and blk.article in arts:
                refs += " " + _tag_id("article", blk.article)
            text_block(block_id(b), blk.bbox, refs, [lines[i] for i in blk.lines if i in lines])
    for ln in orphan_lines(page):
        text_block(f"TBL{ln.id}", ln.bbox, _tag_id("role", "other"), [ln])
    for f in page.figures:
        refs = _tag_id("article", f.article) if f.article in arts else None
        _el(ps, "Illustration", ID=f"IL{f.id}", **_pos(f.bbox), TYPE=f.kind, TAGREFS=refs)
    for s in page.separators:
        _el(ps, "GraphicalElement", ID=f"GE{s.id}", **_pos(s.bbox))
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def render_mets(page: Page, *, alto_href: str = "page.alto.xml", image_href: str | None = None) -> bytes:
    """METS sidecar mapping each article to its ALTO TextBlocks in reading order."""
    blocks = blocks_by_id(page)
    m = etree.Element(f"{{{METS}}}mets", nsmap={"mets": METS, "xlink": XLINK, "xsi": XSI})
    m.set(f"{{{XSI}}}schemaLocation", METS_LOCATION)
    hdr = _el(m, "metsHdr", METS, CREATEDATE=timestamp(page))
    agent = _el(hdr, "agent", METS, ROLE="CREATOR", TYPE="OTHER", OTHERTYPE="SOFTWARE")
    _el(agent, "name", METS).text = f"Broadsheet {software_version()}"
    fsec = _el(m, "fileSec", METS)
    image_href = image_href if image_href is not None else page.source
    if image_href:
        grp = _el(fsec, "fileGrp", METS, USE="IMAGE")
        f = _el(grp, "file", METS, ID="IMG1")
        _el(f, "FLocat", METS, LOCTYPE="URL", **{f"{{{XLINK}}}href": image_href})
    grp = _el(fsec, "fileGrp", METS, USE="ALTO")
    f = _el(grp, "file", METS, ID="ALTO1", MIMETYPE="text/xml")
    _el(f, "FLocat", METS, LOCTYPE="URL", **{f"{{{XLINK}}}href": alto_href})

    phys = _el(m, "structMap", METS, TYPE="PHYSICAL")
    seq = _el(phys, "div", METS, ID="PHYS0", TYPE="physSequence")
    pdiv = _el(seq, "div", METS, ID="PHYS1", TYPE="page", ORDER=1)
    if image_href:
        _el(pdiv, "fptr", METS, FILEID="IMG1")
    _el(pdiv, "fptr", METS, FILEID="ALTO1")

    log = _el(m, "structMap", METS, TYPE="LOGICAL")
    top = _el(log, "div", METS, ID="LOG0", TYPE="PAGE", LABEL=page.source or None)
    order = 0
    for unit in reading_units(page):
        a = unit.article
        bl = [b for b in unit.blocks if b in blocks]
        if a is None or not bl:
            continue
        order += 1
        div = _el(top, "div", METS, ID=f"LOG_{_tag_id('a', a.id)[6:]}", TYPE="ARTICLE", ORDER=order,
                  LABEL=a.title or a.id)
        fseq = _el(_el(div, "fptr", METS), "seq", METS)
        for b in bl:
            _el(fseq, "area", METS, FILEID="ALTO1", BEGIN=block_id(b), BETYPE="IDREF")
    if len(top) == 0:  # a page without articles still has one logical unit
        _el(top, "fptr", METS, FILEID="ALTO1")
    return etree.tostring(m, xml_declaration=True, encoding="UTF-8", pretty_print=True)
