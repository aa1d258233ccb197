"""A PAGE XML reader: regions, lines, reading order and article ids as plain dataclasses.

PAGE (PRImA's Page Analysis and Ground-truth Elements) is the format of most newspaper ground
truth (NZZ, NewsEye, Transkribus exports). Any ``.../PAGE/gts/pagecontent/<date>`` namespace is
accepted (2009 … 2019); the version is read from the root element, never assumed.

What is read, and from where:

- page size and image name: ``Page/@imageWidth``, ``@imageHeight``, ``@imageFilename``;
- regions: every ``TextRegion`` (nested ones too) with ``@id``, ``@type``, ``Coords``;
- region reading order: ``ReadingOrder`` (``OrderedGroup``/``UnorderedGroup`` with
  ``RegionRefIndexed``/``RegionRef``, nested groups flattened depth first); failing that, the
  ``custom="readingOrder {index:n;}"`` attribute; failing that, document order;
- lines: ``TextLine`` with ``Coords``, ``Baseline``, the line's own ``TextEquiv/Unicode``
  (or its words' text joined by spaces) and ``custom`` attributes, where Transkribus/NewsEye
  put the article id: ``custom="readingOrder {index:3;} structure {id:a1; type:article;}"``.

Coordinates are absolute image pixels, x right, y down, as in the rest of Broadsheet.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from pathlib import Path

from lxml import etree

from .errors import InputError

Point = tuple[float, float]
Box = tuple[float, float, float, float]

PAGE_NS_PREFIX = "http://schema.primaresearch.org/PAGE/gts/pagecontent/"

_CUSTOM_GROUP = re.compile(r"([A-Za-z_][\w-]*)\s*\{([^}]*)\}")
_POINT_SPLIT = re.compile(r"[\s,]+")


def parse_custom(attr: str | None) -> dict[str, dict[str, str]]:
    """Parse a PAGE ``custom`` attribute into ``{group: {key: value}}``.

    >>> parse_custom("readingOrder {index:3;} structure {id:a1; type:article;}")
    {'readingOrder': {'index': '3'}, 'structure': {'id': 'a1', 'type': 'article'}}
    """
    out: dict[str, dict[str, str]] = {}
    if not attr:
        return out
    for name, body in _CUSTOM_GROUP.findall(attr):
        kv: dict[str, str] = {}
        for item in body.split(";"):
            if ":" in item:
                k, v = item.split(":", 1)
                kv[k.strip()] = v.strip()
        out.setdefault(name, {}).update(kv)
    return out


def _box(points: tuple[Point, ...]) -> Box:
    if not points:
        return (0.0, 0.0, 0.0, 0.0)
    xs = [p[0] for p in points]
    ys = [p[1] for p in points]
    return (min(xs), min(ys), max(xs), max(ys))


@dataclass(frozen=True)
class PageLine:
    """A ``TextLine``. ``index`` is its custom ``readingOrder`` index inside its region, if any."""

    id: str
    polygon: tuple[Point, ...]
    baseline: tuple[Point, ...] | None
    text: str
    index: int | None = None
    article_id: str | None = None
    custom: dict[str, dict[str, str]] = field(default_factory=dict)

    @property
    def box(self) -> Box:
        return _box(self.polygon)


@dataclass(frozen=True)
class PageRegion:
    """A ``TextRegion`` with its lines in reading order.

    ``order`` is the region's place in the page reading order (0..n-1 over text regions
    that have one; None when the page gives no order for it).
    """

    id: str
    type: str | None
    polygon: tuple[Point, ...]
    lines: tuple[PageLine, ...]
    order: int | None = None
    structure_type: str | None = None
    custom: dict[str, dict[str, str]] = field(default_factory=dict)

    @property
    def box(self) -> Box:
        return _box(self.polygon)


@dataclass(frozen=True)
class PageXml:
    """One PAGE XML file. ``regions`` are in reading order (unordered ones last, by document order)."""

    path: str
    namespace: str
    width: int
    height: int
    image_filename: str | None
    regions: tuple[PageRegion, ...]

    @property
    def version(self) -> str:
        """The schema date, e.g. ``"2013-07-15"`` or ``"2019-07-15"``."""
        return self.namespace.rstrip("/").rsplit("/", 1)[-1]

    def lines(self) -> list[PageLine]:
        """All text lines in page reading order: region order, then line order in the region."""
        return [ln for r in self.regions for ln in r.lines]

    def articles(self) -> dict[str, list[str]]:
        """Article id → line ids in reading order (lines without an article id are left out)."""
        out: dict[str, list[str]] = {}
        for ln in self.lines():
            if ln.article_id is not None:
                out.setdefault(ln.article_id, []).append(ln.id)
        return out


def _points(elem, ns: str, path: str) -> tuple[Point, ...]:
    """Points of a ``Coords``/``Baseline`` element: the ``points`` attribute or ``Point`` children."""
    if elem is None:
        return ()
    pts = elem.get("points")
    if pts is not None:
        nums = [t for t in _POINT_SPLIT.split(pts.strip()) if t]
        if len(nums) % 2:
            raise InputError(path, f"odd number of coordinates in points={pts[:60]!r}")
        try:
            vals = [float(v) for v in nums]
        except ValueError:
            raise InputError(path, f"non-numeric coordinates in points={pts[:60]!r}") from None
        return tuple(zip(vals[0::2], vals[1::2]))
    out = []
    for p in elem.findall(f"{{{ns}}}Point"):
        try:
            out.append((float(p.get("x")), float(p.get("y"))))
        except (TypeError, ValueError):
            raise InputError(path, "Point without numeric x/y") from None
    return tuple(out)


def _text_equiv(elem, ns: str) -> str | None:
    """The element's own TextEquiv text (lowest ``index`` first), or None when it has none."""
    tes = elem.findall(f"{{{ns}}}TextEquiv")
    if not tes:
        return None
    tes.sort(key=lambda t: _int_or_none(t.get("index")) or 0)
    u = tes[0].find(f"{{{ns}}}Unicode")
    return (u.text or "") if u is not None else ""


def _int_or_none(v: str | None) -> int | None:
    try:
        return int(v) if v is not None else None
    except ValueError:
        return None


def _read_line(el, ns: str, path: str) -> PageLine:
    custom = parse_custom(el.get("custom"))
    text = _text_equiv(el, ns)
    if text is None:
        words = [_text_equiv(w, ns) or "" for w in el.findall(f"{{{ns}}}Word")]
        text = " ".join(w for w in words if w)
    base = el.find(f"{{{ns}}}Baseline")
    struct = custom.get("structure", {})
    article = struct.get("id") if struct.get("type", "article") == "article" else None
    return PageLine(
        id=el.get("id", ""),
        polygon=_points(el.find(f"{{{ns}}}Coords"), ns, path),
        baseline=_points(base, ns, path) if base is not None else None,
        text=text,
        index=_int_or_none(custom.get("readingOrder", {}).get("index")),
        article_id=article,
        custom=custom,
    )


def _flatten_order(group, ns: str) -> list[str]:
    """Region ids of a reading-order group, depth first; indexed children sorted by ``index``."""
    kids = [k for k in group if isinstance(k.tag, str)]
    if any(k.get("index") is not None for k in kids):
        kids.sort(key=lambda k: _int_or_none(k.get("index")) or 0)
    out: list[str] = []
    for k in kids:
        tag = etree.QName(k).localname
        ref = k.get("regionRef")
        if ref:
            out.append(ref)
        if tag.endswith("Group") or tag.endswith("GroupIndexed"):
            out.extend(_flatten_order(k, ns))
    return out


def read_pagexml(path: str | Path) -> PageXml:
    """Read a PAGE XML file; raise ``InputError`` naming the file when it is not valid PAGE."""
    path = Path(path)
    try:
        root = etree.parse(str(path), etree.XMLParser(resolve_entities=False, huge_tree=True)).getroot()
    except OSError as e:
        raise InputError(path, f"cannot read ({e.strerror or e})") from None
    except etree.XMLSyntaxError as e:
        raise InputError(path, f"malformed XML ({e.msg})") from None
    q = etree.QName(root)
    ns = q.namespace or ""
    if q.localname != "PcGts" or not ns.startswith(PAGE_NS_PREFIX):
        raise InputError(path, f"not PAGE XML (root element {root.tag!r})")
    page = root.find(f"{{{ns}}}Page")
    if page is None:
        raise InputError(path, "PAGE XML without a Page element")
    try:
        width = int(float(page.get("imageWidth", "")))
        height = int(float(page.get("imageHeight", "")))
    except ValueError:
        raise InputError(path, "Page element without numeric imageWidth/imageHeight") from None

    ro = page.find(f"{{{ns}}}ReadingOrder")
    ordered: list[str] = []
    if ro is not None:
        for g in ro:
            if isinstance(g.tag, str):
                ordered.extend(_flatten_order(g, ns))
    rank = {}
    for rid in ordered:
        rank.setdefault(rid, len(rank))

    raw = []
    for doc_i, el in enumerate(page.iter(f"{{{ns}}}TextRegion")):
        custom = parse_custom(el.get("custom"))
        lines = [_read_line(t, ns, str(path)) for t in el.findall(f"{{{ns}}}TextLine")]
        doc_pos = {id(ln): i for i, ln in enumerate(lines)}
        lines.sort(key=lambda ln: (ln.index is None, ln.index if ln.index is not None else 0,
                                   doc_pos[id(ln)]))
        rid = el.get("id", f"region{doc_i}")
        custom_idx = _int_or_none(custom.get("readingOrder", {}).get("index"))
        key = rank.get(rid) if rank else custom_idx
        raw.append((key, doc_i, PageRegion(
            id=rid, type=el.get("type"), polygon=_points(el.find(f"{{{ns}}}Coords"), ns, str(path)),
            lines=tuple(lines), structure_type=custom.get("structure", {}).get("type"),
            custom=custom)))
    raw.sort(key=lambda t: (t[0] is None, t[0] if t[0] is not None else 0, t[1]))
    n_ordered = sum(1 for t in raw if t[0] is not None)
    regions = tuple(
        replace(r, order=i if i < n_ordered else None)
        for i, (_, _, r) in enumerate(raw))
    return PageXml(path=str(path), namespace=ns, width=width, height=height,
                   image_filename=page.get("imageFilename"), regions=regions)


def pagexml_to_lines_doc(path: str | Path) -> dict:
    """PAGE XML → the ``--lines`` input ``{"width", "height", "lines": [{"box", "polygon", "text"}]}``.

    Lines come in page reading order; lines with fewer than three polygon points fall back
    to the box of their baseline, and lines with no geometry at all are left out.
    """
    px = read_pagexml(path)
    lines = []
    for ln in px.lines():
        poly = ln.polygon if len(ln.polygon) >= 3 else ()
        box = _box(poly) if poly else (_box(ln.baseline) if ln.baseline else None)
        if box is None:
            continue
        item = {"box": [float(v) for v in box], "text": ln.text}
        if poly:
            item["polygon"] = [[float(x), float(y)] for x, y in poly]
        lines.append(item)
    return {"width": px.width, "height": px.height, "lines": lines}
