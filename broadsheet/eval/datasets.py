"""Evaluation pages: generator folders (``broadsheet.gt/1``), NZZ and NewsEye, as one ``EvalPage``.

Every loader gives the same thing: GT lines in a deterministic *shuffled* order (so no engine
can read the answer off the input order), each with its GT reading-order position, article
id and region; the GT regions in reading order; GT article texts and the strings that must
read contiguously; image paths; and the ``--lines`` document to feed the engine, whose line i
is GT line i.

Real data lives outside the repository (``<repo>/../shared/realdata``, or ``$BROADSHEET_REALDATA``)
and is read as it is: PAGE XML through :mod:`broadsheet.pagexml` when the XML is there, the
JSON flattening otherwise.
"""
from __future__ import annotations

import json
import os
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import numpy as np

from ..errors import InputError
from ..pagexml import read_pagexml

Box = tuple[float, float, float, float]
Point = tuple[float, float]

SCHEMA_GT = "broadsheet.gt/1"


@dataclass(frozen=True)
class EvalLine:
    """A GT line: ``order`` is its place in the GT reading order (0..N-1)."""

    box: Box
    text: str
    order: int
    article: str | None = None
    region: str | None = None
    polygon: tuple[Point, ...] | None = None
    id: str | None = None


@dataclass(frozen=True)
class GtArticle:
    """A GT article: ``text`` is the scoring text (headline group, paragraphs, captions)."""

    id: str
    text: str


@dataclass(frozen=True)
class GtJoin:
    """A string that must read contiguously in the output article matched to ``article``.

    ``kind``: "join" (generator join, left + right), "must_read" (generator), or "derived"
    (NewsEye: the seam where an article's lines pass from one GT region to another).
    """

    article: str
    text: str
    kind: str


@dataclass(frozen=True)
class EvalPage:
    name: str
    kind: str                      # "generator" | "nzz" | "newseye"
    source: str                    # the GT file read
    width: int
    height: int
    lines: tuple[EvalLine, ...]
    regions: tuple[str, ...]       # GT regions (blocks) in reading order
    articles: tuple[GtArticle, ...] = ()
    joins: tuple[GtJoin, ...] = ()
    image: str | None = None       # clean image in GT coordinates
    scan: str | None = None        # degraded scan (generator) — GT boxes map by scan_transform
    scan_transform: tuple[tuple[float, ...], ...] | None = None
    lang: str | None = None
    lines_input: dict | None = None  # the generator's lines.json, when given

    def lines_doc(self) -> dict:
        """The ``--lines`` input for the engine; line i is GT line i."""
        if self.lines_input is not None:
            return self.lines_input
        out = []
        for ln in self.lines:
            item: dict = {"box": [float(v) for v in ln.box], "text": ln.text}
            if ln.polygon is not None and len(ln.polygon) >= 3:
                item["polygon"] = [[float(x), float(y)] for x, y in ln.polygon]
            out.append(item)
        return {"width": self.width, "height": self.height, "lines": out}

    def boxes(self) -> np.ndarray:
        return np.asarray([ln.box for ln in self.lines], dtype=np.float64).reshape(-1, 4)

    def gt_order(self) -> np.ndarray:
        """GT line indices in GT reading order."""
        return np.argsort(np.asarray([ln.order for ln in self.lines], dtype=np.int64), kind="stable")

    def line_articles(self) -> np.ndarray:
        """(N,) object array: GT article id per line (None for furniture / unlabelled)."""
        return np.array([ln.article for ln in self.lines] + [None], dtype=object)[:-1]

    def scan_boxes(self) -> np.ndarray:
        """GT boxes mapped into scan coordinates (bounding box of the 4 mapped corners)."""
        b = self.boxes()
        if self.scan_transform is None or b.size == 0:
            return b
        A = np.asarray(self.scan_transform, dtype=np.float64)
        xs = b[:, [0, 2, 2, 0]]
        ys = b[:, [1, 1, 3, 3]]
        mx = A[0, 0] * xs + A[0, 1] * ys + A[0, 2]
        my = A[1, 0] * xs + A[1, 1] * ys + A[1, 2]
        return np.stack([mx.min(1), my.min(1), mx.max(1), my.max(1)], axis=1)


# --------------------------------------------------------------------------- helpers

def realdata_root() -> Path:
    """``$BROADSHEET_REALDATA`` or ``<repo>/../shared/realdata`` (may not exist)."""
    env = os.environ.get("BROADSHEET_REALDATA")
    if env:
        return Path(env)
    return Path(__file__).resolve().parents[2].parent / "shared" / "realdata"


def repo_root() -> Path:
    return Path(__file__).resolve().parents[2]


def _load_json(path: Path) -> dict:
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except OSError as e:
        raise InputError(path, f"cannot read ({e.strerror or e})") from None
    except json.JSONDecodeError as e:
        raise InputError(path, f"malformed JSON ({e.msg} at line {e.lineno})") from None


def _num(v, path: Path, what: str) -> int:
    try:
        return int(float(v))
    except (TypeError, ValueError):
        raise InputError(path, f"{what} is not a number: {v!r}") from None


def _poly_box(poly) -> Box:
    p = np.asarray(poly, dtype=np.float64).reshape(-1, 2)
    return (float(p[:, 0].min()), float(p[:, 1].min()), float(p[:, 0].max()), float(p[:, 1].max()))


def shuffle_permutation(name: str, n: int) -> np.ndarray:
    """A deterministic permutation of n items seeded by the page name (same on every machine)."""
    rng = np.random.default_rng(zlib.crc32(name.encode("utf-8")))
    return rng.permutation(n)


# --------------------------------------------------------------------------- generator pages

def article_text(a: dict) -> str:
    """Scoring text of an article dict (GT or page JSON): kicker, title, subtitle, byline,
    paragraphs, captions, one per line."""
    parts = [a.get("kicker"), a.get("title"), a.get("subtitle"), a.get("byline")]
    parts += [p.get("text") if isinstance(p, dict) else p for p in a.get("paragraphs") or []]
    parts += list(a.get("captions") or [])
    return "\n".join(p for p in parts if p)


def _join_text(j: dict) -> str:
    """``left + right`` of a GT join without the ellipses that mark the cut-off context."""
    left = (j.get("left") or "").lstrip("…").removeprefix("...")
    right = (j.get("right") or "").rstrip("…").removesuffix("...")
    return left + right


def load_generator_page(folder: str | Path) -> EvalPage:
    """A generator folder (``gt.json`` + ``lines.json`` + ``page.png`` / ``scan.jpg``)."""
    folder = Path(folder)
    gt_path = folder / "gt.json"
    gt = _load_json(gt_path)
    if gt.get("schema") not in (None, SCHEMA_GT):
        raise InputError(gt_path, f"unknown schema {gt.get('schema')!r} (expected {SCHEMA_GT})")
    gl = gt.get("lines")
    if not isinstance(gl, list):
        raise InputError(gt_path, "no 'lines' list")
    lines_path = folder / "lines.json"
    lines_input = _load_json(lines_path) if lines_path.exists() else None
    if lines_input is not None and len(lines_input.get("lines", [])) != len(gl):
        raise InputError(lines_path, f"{len(lines_input.get('lines', []))} lines, gt.json has {len(gl)}")
    by_id = sorted(gl, key=lambda d: d["id"])
    if [d["id"] for d in by_id] != list(range(len(by_id))):
        raise InputError(gt_path, "line ids are not 0..N-1")
    lines = []
    for d in by_id:
        box = d.get("box") or _poly_box(d["polygon"])
        lines.append(EvalLine(
            box=tuple(float(v) for v in box), text=d.get("text") or "", order=int(d["order"]),
            article=d.get("article"), region=None if d.get("block") is None else str(d["block"]),
            id=str(d["id"])))
    first = {}
    for ln in lines:
        if ln.region is not None:
            first[ln.region] = min(first.get(ln.region, ln.order), ln.order)
    regions = tuple(sorted(first, key=lambda r: (first[r], r)))
    articles = tuple(GtArticle(str(a["id"]), article_text(a)) for a in gt.get("articles") or [])
    joins = [GtJoin(str(j["article"]), _join_text(j), "join")
             for j in gt.get("joins") or [] if j.get("article") is not None]
    joins += [GtJoin(str(a["id"]), s, "must_read") for a in gt.get("articles") or []
              for s in a.get("must_read") or []]

    def existing(key: str, default: str) -> str | None:
        name = gt.get(key, default)
        p = folder / name if name else None
        return str(p) if p is not None and p.exists() else None

    st = gt.get("scan_transform")
    return EvalPage(
        name=str(gt.get("name") or folder.name), kind="generator", source=str(gt_path),
        width=_num(gt.get("width"), gt_path, "width"), height=_num(gt.get("height"), gt_path, "height"),
        lines=tuple(lines), regions=regions, articles=articles, joins=tuple(joins),
        image=existing("image", "page.png"), scan=existing("scan", "scan.jpg"),
        scan_transform=tuple(tuple(float(v) for v in row) for row in st) if st else None,
        lang=gt.get("lang"), lines_input=lines_input)


# --------------------------------------------------------------------------- real pages

@dataclass(frozen=True)
class _RawLine:
    id: str
    polygon: tuple[Point, ...]
    text: str
    article: str | None
    region: str


def _raw_from_json(path: Path) -> tuple[int, int, list[str], list[_RawLine]]:
    """The JSON flattening: regions by ``ro_index``, lines by ``line_ro``."""
    d = _load_json(path)
    regs = d.get("regions")
    if not isinstance(regs, list):
        raise InputError(path, "no 'regions' list")
    regs = sorted(regs, key=lambda r: (r.get("ro_index") is None, r.get("ro_index") or 0))
    lines = []
    for r in regs:
        rl = sorted(r.get("lines") or [], key=lambda ln: (ln.get("line_ro") is None, ln.get("line_ro") or 0))
        for ln in rl:
            lines.append(_RawLine(str(ln["id"]), tuple(map(tuple, ln.get("polygon") or [])),
                                  ln.get("text") or "", ln.get("article_id"), str(r["id"])))
    return (_num(d.get("width"), path, "width"), _num(d.get("height"), path, "height"),
            [str(r["id"]) for r in regs], lines)


def _raw_from_xml(path: Path) -> tuple[int, int, list[str], list[_RawLine]]:
    px = read_pagexml(path)
    lines = [_RawLine(ln.id, ln.polygon, ln.text, ln.article_id, r.id)
             for r in px.regions for ln in r.lines]
    return px.width, px.height, [r.id for r in px.regions], lines


def _real_page(name: str, kind: str, source: Path, raw, image: Path | None) -> EvalPage:
    width, height, regions, raw_lines = raw
    raw_lines = [r for r in raw_lines if len(r.polygon) >= 2]
    perm = shuffle_permutation(name, len(raw_lines))
    lines = tuple(EvalLine(box=_poly_box(raw_lines[k].polygon), text=raw_lines[k].text, order=int(k),
                           article=raw_lines[k].article, region=raw_lines[k].region,
                           polygon=raw_lines[k].polygon, id=raw_lines[k].id) for k in perm)
    # GT articles: their lines' text in reading order; seams between regions must read through
    texts: dict[str, list[str]] = {}
    joins = []
    prev: dict[str, _RawLine] = {}
    for r in raw_lines:
        if r.article is None:
            continue
        texts.setdefault(r.article, []).append(r.text)
        p = prev.get(r.article)
        if p is not None and p.region != r.region and p.text.strip() and r.text.strip():
            left, right = "".join(p.text.split()), "".join(r.text.split())
            joins.append(GtJoin(r.article, left[-12:] + right[:12], "derived"))
        prev[r.article] = r
    articles = tuple(GtArticle(a, "\n".join(t)) for a, t in texts.items())
    used = [g for g in regions if any(r.region == g for r in raw_lines)]
    return EvalPage(name=name, kind=kind, source=str(source), width=width, height=height, lines=lines,
                    regions=tuple(used), articles=articles, joins=tuple(joins),
                    image=str(image) if image is not None and image.exists() else None)


def load_real_page(gt_json: str | Path, *, kind: str, prefer_xml: bool = True) -> EvalPage:
    """An NZZ or NewsEye page from ``<set>/gt/<name>.json``; PAGE XML from ``<set>/pagexml`` when there."""
    gt_json = Path(gt_json)
    base = gt_json.parent.parent
    name = gt_json.stem
    xml = base / "pagexml" / f"{name}.xml"
    if prefer_xml and xml.exists():
        raw, source = _raw_from_xml(xml), xml
    else:
        raw, source = _raw_from_json(gt_json), gt_json
    return _real_page(name, kind, source, raw, base / "img" / f"{name}.png")


# --------------------------------------------------------------------------- sets

PageLoader = Callable[[], EvalPage]


@dataclass(frozen=True)
class EvalSet:
    """A named list of pages, loaded lazily so one broken page does not stop the set."""

    name: str
    pages: tuple[tuple[str, PageLoader], ...]


def _generator_set(name: str, folder: Path) -> EvalSet:
    if not folder.is_dir():
        raise InputError(folder, "no such folder")
    dirs = sorted(p for p in folder.iterdir() if (p / "gt.json").exists())
    return EvalSet(name, tuple((d.name, (lambda d=d: load_generator_page(d))) for d in dirs))


def _real_set(kind: str, root: Path) -> EvalSet:
    gt_dir = root / kind / "gt"
    if not gt_dir.is_dir():
        raise InputError(gt_dir, "real data not found (set BROADSHEET_REALDATA)")
    files = sorted(gt_dir.glob("*.json"))
    return EvalSet(kind, tuple((f.stem, (lambda f=f: load_real_page(f, kind=kind))) for f in files))


def resolve_sets(spec: str) -> list[EvalSet]:
    """``fixtures`` | ``nzz`` | ``newseye`` | ``realdata`` | a page folder | a folder of page folders."""
    if spec == "fixtures":
        return [_generator_set("fixtures", repo_root() / "fixtures" / "pages")]
    if spec in ("nzz", "newseye"):
        return [_real_set(spec, realdata_root())]
    if spec == "realdata":
        return [_real_set("nzz", realdata_root()), _real_set("newseye", realdata_root())]
    p = Path(spec)
    if (p / "gt.json").exists():
        return [EvalSet(p.name, ((p.name, lambda: load_generator_page(p)),))]
    if p.is_dir():
        s = _generator_set(p.name, p)
        if not s.pages:
            raise InputError(p, "no page folders with gt.json inside")
        return [s]
    raise InputError(p, "not a set name (fixtures, nzz, newseye, realdata) nor a page folder")
