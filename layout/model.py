"""The page model: a small tree of typed, immutable objects with one export (``Page.to_dict``).

Page → articles (ordered block ids, joins, text) and blocks → lines. Every output format
(JSON, PAGE XML, ALTO, hOCR, Markdown) is written from this tree, never from engine
internals. Coordinates: absolute scan pixels, x right, y down, boxes ``(x0, y0, x1, y1)``.
Ids are small integers (lines, blocks, figures, separators) or short strings (articles).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .roles import check_role

Point = tuple[float, float]
Box = tuple[float, float, float, float]

SCHEMA = "broadsheet.page/1"


def _r(v: float) -> float | int:
    """Round a coordinate for output: integers stay integers, others keep one decimal."""
    f = round(float(v), 1)
    return int(f) if f.is_integer() else f


def box_out(b: Box) -> list:
    return [_r(v) for v in b]


def poly_out(p: tuple[Point, ...] | None) -> list | None:
    return None if p is None else [[_r(x), _r(y)] for x, y in p]


def box_polygon(b: Box) -> tuple[Point, ...]:
    x0, y0, x1, y1 = b
    return ((x0, y0), (x1, y0), (x1, y1), (x0, y1))


@dataclass(frozen=True)
class Line:
    """A text line. ``block``/``article``/``order`` are filled by layout and reflow."""

    id: int
    bbox: Box
    text: str
    confidence: float = 1.0
    polygon: tuple[Point, ...] | None = None
    chars: tuple[Box, ...] | None = None
    block: int | None = None
    article: str | None = None
    order: int | None = None

    @staticmethod
    def read(id: int, bbox: Box, text: str, confidence: float = 1.0,
             polygon: tuple[Point, ...] | None = None) -> Line:
        """``Line(id, bbox, text, confidence, polygon)`` built the way `placed` builds its copy
        (fields set in one dict update, not nine ``object.__setattr__`` calls): the input
        reader makes one per input line, 0.12 s of a 100k-line read through ``__init__``."""
        new = object.__new__(Line)
        new.__dict__.update(id=id, bbox=bbox, text=text, confidence=confidence, polygon=polygon, chars=None,
                            block=None, article=None, order=None)
        return new

    def placed(self, block: int | None, article: str | None, order: int | None) -> Line:
        """This line with its block, article and reading place set, as ``dataclasses.replace``
        would make it. Built the way ``copy.copy`` builds a copy (a new instance, its fields
        copied in): the frozen class's generated ``__init__`` sets nine fields through
        ``object.__setattr__``, three times the cost, at 100k lines a tenth of a second."""
        new = object.__new__(Line)
        fields = new.__dict__
        fields.update(self.__dict__)
        fields["block"], fields["article"], fields["order"] = block, article, order
        return new

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id, "bbox": box_out(self.bbox), "text": self.text,
            "confidence": round(float(self.confidence), 4), "block": self.block,
            "article": self.article, "order": self.order,
        }


@dataclass(frozen=True)
class Block:
    """Lines of one column and one type size, read together; ``role`` from ``roles.py``."""

    id: int
    role: str
    bbox: Box
    lines: tuple[int, ...]
    polygon: tuple[Point, ...] | None = None
    article: str | None = None

    def __post_init__(self) -> None:
        check_role(self.role)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id, "role": self.role, "bbox": box_out(self.bbox),
            "polygon": poly_out(self.polygon or box_polygon(self.bbox)),
            "lines": list(self.lines), "article": self.article,
        }


@dataclass(frozen=True)
class Separator:
    """A printed rule. ``orientation`` is "h" or "v"; ``style`` single/double/dashed/frame."""

    id: int
    bbox: Box
    orientation: str
    style: str = "single"

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "bbox": box_out(self.bbox), "orientation": self.orientation,
                "style": self.style}


@dataclass(frozen=True)
class Figure:
    """A photo, drawing or other large non-text region."""

    id: int
    bbox: Box
    kind: str = "photo"
    article: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "bbox": box_out(self.bbox), "kind": self.kind,
                "article": self.article}


@dataclass(frozen=True)
class Paragraph:
    text: str
    role: str = "body"  # "body" or "subhead"

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "role": self.role}


@dataclass(frozen=True)
class Join:
    """A continuation: the text of block ``src`` goes on in block ``dst``."""

    src: int
    dst: int
    score: float

    def to_dict(self) -> dict[str, Any]:
        return {"from": self.src, "to": self.dst, "score": round(float(self.score), 4)}


@dataclass(frozen=True)
class Article:
    id: str
    blocks: tuple[int, ...]
    bbox: Box
    kicker: str | None = None
    title: str | None = None
    subtitle: str | None = None
    byline: str | None = None
    paragraphs: tuple[Paragraph, ...] = ()
    captions: tuple[str, ...] = ()
    joins: tuple[Join, ...] = ()

    @property
    def text(self) -> str:
        """Everything a reader sees, in order: headline group, body, captions."""
        parts = [self.kicker, self.title, self.subtitle, self.byline]
        parts += [p.text for p in self.paragraphs] + list(self.captions)
        return "\n".join(p for p in parts if p)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id, "kicker": self.kicker, "title": self.title,
            "subtitle": self.subtitle, "byline": self.byline,
            "paragraphs": [p.to_dict() for p in self.paragraphs],
            "captions": list(self.captions), "blocks": list(self.blocks),
            "joins": [j.to_dict() for j in self.joins], "bbox": box_out(self.bbox),
        }


@dataclass(frozen=True)
class Page:
    """A laid-out, reflowed page.

    ``orders`` maps an order's name to a permutation of line ids (``orders["reading"]``
    is the page reading order; ``Line.order`` is each line's place in it).
    ``meta`` records what was done: engine, version, settings, deskew angle, timings.
    """

    width: int
    height: int
    lines: tuple[Line, ...]
    blocks: tuple[Block, ...] = ()
    articles: tuple[Article, ...] = ()
    figures: tuple[Figure, ...] = ()
    separators: tuple[Separator, ...] = ()
    source: str | None = None
    orders: dict[str, np.ndarray] = field(default_factory=dict)
    meta: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema": SCHEMA, "source": self.source,
            "width": int(self.width), "height": int(self.height),
            "articles": [a.to_dict() for a in self.articles],
            "blocks": [b.to_dict() for b in self.blocks],
            "lines": [ln.to_dict() for ln in self.lines],
            "figures": [f.to_dict() for f in self.figures],
            "separators": [s.to_dict() for s in self.separators],
            "meta": self.meta,
        }

    def line_boxes(self) -> np.ndarray:
        """(N, 4) float array of line boxes, row i = line id i."""
        return boxes_array([ln.bbox for ln in self.lines])


def with_fields(obj: Any, **changes: Any) -> Any:
    """``dataclasses.replace(obj, **changes)`` for a frozen page-model object, built the way
    `Line.placed` builds its copy (a new instance, its fields copied in, then the changes):
    ``replace`` goes through the generated ``__init__``, one ``object.__setattr__`` per field,
    ≈ 3× the cost. Only for changes that need no check (ids, numbers, article names): a
    ``__post_init__`` (`Block`'s role check) is not run again. `reflow.renumbered` moves
    every block and article of a section solved in a worker this way."""
    new = object.__new__(type(obj))
    fields = new.__dict__
    fields.update(obj.__dict__)
    fields.update(changes)
    return new


def boxes_array(boxes) -> np.ndarray:
    """Any sequence of (x0, y0, x1, y1) → (N, 4) float64 array (empty-safe)."""
    a = np.asarray(list(boxes), dtype=np.float64)
    return a.reshape(-1, 4)
