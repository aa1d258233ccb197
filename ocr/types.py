"""What an OCR engine returns: recognised text lines in absolute scan pixels.

Coordinates everywhere in Broadsheet: absolute pixels of the (deskewed) page image,
x to the right, y down, boxes as ``(x0, y0, x1, y1)``.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

Point = tuple[float, float]
Box = tuple[float, float, float, float]


@dataclass(frozen=True)
class OcrLine:
    """One recognised text line.

    ``polygon`` is the detector's outline (at least 3 points); ``chars`` holds one box per
    character of ``text`` when the engine reports them (used to split lines at column gaps).
    """

    polygon: tuple[Point, ...]
    text: str
    confidence: float
    chars: tuple[Box, ...] | None = None

    @property
    def bbox(self) -> Box:
        xs = [p[0] for p in self.polygon]
        ys = [p[1] for p in self.polygon]
        return (min(xs), min(ys), max(xs), max(ys))


@dataclass(frozen=True)
class OcrResult:
    """An engine's output for one page image, plus what was done to get it."""

    width: int
    height: int
    lines: tuple[OcrLine, ...]
    engine: str
    engine_version: str = ""
    settings: dict = field(default_factory=dict)
    deskew_angle: float = 0.0
    #: The (deskewed) page image the coordinates refer to, for layout analysis; not serialised.
    image: Any = field(default=None, repr=False, compare=False)
