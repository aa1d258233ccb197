"""The Python API; the command line is a thin shell over these functions.

    >>> from broadsheet.api import read_page, read_lines
    >>> page = read_page("scan.png")            # OCR → layout → reflow
    >>> page = read_lines("lines.json")          # given lines: layout → reflow
    >>> [a.title for a in page.articles]
"""
from __future__ import annotations

import contextlib
import gc
import json
import logging
import math
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np

from broadsheet.errors import InputError
from broadsheet.layout.analyze import LayoutConfig, analyze
from broadsheet.layout.geometry import box_from_polygon
from broadsheet.layout.model import Line, Page
from broadsheet.reflow import ReflowConfig, reflow
from broadsheet.sections import SECTION_LINES, analyze_sections, check_workers, sections

from ._version import __version__

log = logging.getLogger("broadsheet")


def _load_lines_doc(doc_or_path: Any) -> tuple[dict, str]:
    """A lines document from a dict, a JSON file or a PAGE XML file; (doc, name for errors)."""
    if isinstance(doc_or_path, dict):
        return doc_or_path, "<lines>"
    path = Path(doc_or_path)
    if not path.exists():
        raise InputError(path, "no such file")
    if path.suffix.lower() == ".xml":
        from broadsheet.pagexml import pagexml_to_lines_doc
        return pagexml_to_lines_doc(path), str(path)
    try:
        return json.loads(path.read_text(encoding="utf-8")), str(path)
    except UnicodeDecodeError:
        raise InputError(path, "not UTF-8 text (expected a lines JSON file)") from None
    except json.JSONDecodeError as e:
        raise InputError(path, f"not valid JSON ({e.msg} at line {e.lineno} column {e.colno})") from None


def _number(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)


_PLAIN = frozenset({int, float})  # matched by type(), so bool (an int subclass) is not one
_isfinite = math.isfinite


def _box4(box: Any) -> tuple[float, float, float, float] | None:
    """Four finite numbers as floats, or None. A list of plain ints/floats (what JSON gives)
    is checked inline; anything else (NumPy scalars, bools, tuples) gets `_number` per value."""
    if type(box) is list and len(box) == 4:
        x0, y0, x1, y1 = box
        if (type(x0) in _PLAIN and type(y0) in _PLAIN and type(x1) in _PLAIN and type(y1) in _PLAIN
                and _isfinite(x0) and _isfinite(y0) and _isfinite(x1) and _isfinite(y1)):
            return float(x0), float(y0), float(x1), float(y1)
    if not (isinstance(box, (list, tuple)) and len(box) == 4 and all(_number(v) for v in box)):
        return None
    x0, y0, x1, y1 = box
    return float(x0), float(y0), float(x1), float(y1)


def lines_from_doc(doc: Any, name: str = "<lines>") -> tuple[tuple[Line, ...], int, int]:
    """Validate a lines document and turn it into page-model lines (id = input index)."""
    if not isinstance(doc, dict):
        raise InputError(name, "expected a JSON object with 'width', 'height' and 'lines'")
    try:
        width, height = int(float(doc["width"])), int(float(doc["height"]))
    except (KeyError, TypeError, ValueError):
        raise InputError(name, "'width' and 'height' must be positive numbers") from None
    if width <= 0 or height <= 0:
        raise InputError(name, "'width' and 'height' must be positive numbers")
    raw = doc.get("lines")
    if not isinstance(raw, list):
        raise InputError(name, "'lines' must be a list")
    out = []
    for i, item in enumerate(raw):
        if not isinstance(item, dict):
            raise InputError(name, f"line {i}: expected an object with 'box' or 'polygon' and 'text'")
        text = item.get("text", "")
        if not isinstance(text, str):
            raise InputError(name, f"line {i}: 'text' must be a string")
        poly = item.get("polygon")
        box = item["box"] if "box" in item else item.get("bbox")
        if box is not None:
            bbox = _box4(box)
            if bbox is None:
                raise InputError(name, f"line {i}: 'box' must be 4 numbers [x0, y0, x1, y1]")
            if bbox[2] < bbox[0] or bbox[3] < bbox[1]:
                raise InputError(name, f"line {i}: 'box' has x1 < x0 or y1 < y0")
        elif poly is not None:
            if not (isinstance(poly, list) and len(poly) >= 2 and all(
                    isinstance(p, (list, tuple)) and len(p) == 2 and all(_number(v) for v in p) for p in poly)):
                raise InputError(name, f"line {i}: 'polygon' must be a list of [x, y] points")
            bbox = box_from_polygon(poly)
        else:
            raise InputError(name, f"line {i}: needs a 'box' or a 'polygon'")
        conf = item.get("confidence", 1.0)
        if not (type(conf) is float and _isfinite(conf)):
            conf = float(conf) if _number(conf) else 1.0
        polygon = tuple((float(x), float(y)) for x, y in poly) if poly else None
        out.append(Line.read(i, bbox, text.strip("\n"), conf, polygon))
    return tuple(out), width, height


def _image_array(image: Any, *, max_pixels: int | None = None) -> np.ndarray | None:
    if image is None:
        return None
    if isinstance(image, np.ndarray):
        return image
    from broadsheet.ocr import load_pages
    kw = {} if max_pixels is None else {"max_pixels": max_pixels}
    return load_pages(image, **kw)[0].image


def analyze_lines(lines: tuple[Line, ...], width: int, height: int, *, image: np.ndarray | None = None,
                  source: str | None = None, meta: dict | None = None,
                  layout_config: LayoutConfig | None = None,
                  reflow_config: ReflowConfig | None = None,
                  workers: int | None = None, section_lines: int = SECTION_LINES) -> Page:
    """Layout + reflow of known lines (the part of the pipeline after OCR).

    An input of more than ``section_lines`` lines is read in independent sections
    (`broadsheet.sections`), by ``workers`` processes (None: the usable cores,
    `sections.default_workers`; 1: all in this process). The page is the same for any ``workers``."""
    n_workers = check_workers(workers)
    with _gc_paused():
        boxes = np.array([ln.bbox for ln in lines], dtype=np.float64).reshape(-1, 4)
        parts = sections(boxes, section_lines)
        if len(parts) > 1:
            return analyze_sections(lines, boxes, parts, width, height, image=image, source=source, meta=meta,
                                    layout_config=layout_config, reflow_config=reflow_config,
                                    workers=n_workers)
        t0 = time.perf_counter()
        lay = analyze(lines, width, height, image=image, config=layout_config)
        t1 = time.perf_counter()
        page = reflow(lay, config=reflow_config, source=source, meta=meta)
        log.debug("%s: layout %.3f s, reflow %.3f s", source or "<lines>", t1 - t0, time.perf_counter() - t1)
        return page


@contextlib.contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while one page is read, then restore it.

    Layout and reflow make a few objects per line and next to no reference cycles, yet the
    collector's passes over everything alive (input, lines, blocks) took about 15 % of a
    100k-line run. Reference counting still frees memory as usual meanwhile.

    Re-enabled as it is, the collector's next allocation would make one young pass over
    every object made meanwhile (the page: ~0.14 s of CPU after a 100k-line read); they are
    moved to the oldest generation instead (`gc.freeze` then `gc.unfreeze`: two list splices,
    the young count reset), where a full collection still sees them. Skipped when the caller
    froze objects itself: `gc.unfreeze` would thaw those too.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            if gc.get_freeze_count() == 0:
                gc.freeze()
                gc.unfreeze()
            gc.enable()


def read_lines(doc_or_path: Any, *, image: Any = None, max_pixels: int | None = None,
               layout_config: LayoutConfig | None = None,
               reflow_config: ReflowConfig | None = None, workers: int | None = None) -> Page:
    """Lay out and reflow given text lines (``--lines``): a dict, a JSON file or PAGE XML.

    ``image`` (a path or an array) lets the layout see rules and photos. Output line ids are
    the input indices. ``workers``: processes for a giant input's sections (see `analyze_lines`).
    """
    doc, name = _load_lines_doc(doc_or_path)
    # one pause for parsing and analysis: re-enabling the collector in between would let it
    # make a full pass over the 100k fresh Line objects at the next allocation
    with _gc_paused():
        lines, width, height = lines_from_doc(doc, name)
        arr = _image_array(image, max_pixels=max_pixels)
        if arr is not None and (arr.shape[1], arr.shape[0]) != (width, height):
            raise InputError(str(image), f"image is {arr.shape[1]}×{arr.shape[0]} px but the lines are for "
                                         f"a {width}×{height} page")
        meta = {"broadsheet": __version__, "input": "lines", "engine": None}
        src = None if isinstance(doc_or_path, dict) else str(doc_or_path)
        return analyze_lines(lines, width, height, image=arr, source=src, meta=meta,
                             layout_config=layout_config, reflow_config=reflow_config, workers=workers)


def _ocr_lines(result) -> tuple[Line, ...]:
    """OCR lines → page-model lines, ids in the engine's order."""
    out = []
    for i, ol in enumerate(result.lines):
        out.append(Line(id=i, bbox=tuple(float(v) for v in ol.bbox), text=ol.text,
                        confidence=float(ol.confidence),
                        polygon=tuple((float(x), float(y)) for x, y in ol.polygon),
                        chars=ol.chars))
    return tuple(out)


class PageReader:
    """``path -> list[Page]`` with the OCR engine built once per process and reused.

    Picklable (the engine is created lazily in each worker), so batch runs can ship it to
    worker processes.
    """

    def __init__(self, *, engine: str = "rapidocr", lang: str | None = None, dpi: int = 300,
                 max_pixels: int | None = None, threads: int = 0, rec_precision: str | None = None,
                 det_precision: str | None = None,
                 layout_config: LayoutConfig | None = None, reflow_config: ReflowConfig | None = None):
        self.engine_name = engine
        self.lang = lang
        self.dpi = dpi
        self.max_pixels = max_pixels
        self.threads = threads
        self.rec_precision = rec_precision
        self.det_precision = det_precision
        self.layout_config = layout_config
        self.reflow_config = reflow_config
        self._engine = None

    def __getstate__(self):
        state = dict(self.__dict__)
        state["_engine"] = None
        return state

    def _config(self):
        from broadsheet.ocr import OcrConfig
        kw = {"threads": self.threads}
        if self.rec_precision:  # None: OcrConfig's default
            kw["rec_precision"] = self.rec_precision
        if self.det_precision:
            kw["det_precision"] = self.det_precision
        if self.lang:
            kw["lang"] = self.lang
        return OcrConfig(**kw)

    def engine(self):
        if self._engine is None:
            from broadsheet.ocr import get_engine
            cfg = self._config()
            self._engine = get_engine(self.engine_name, **cfg.engine_settings(self.engine_name))
        return self._engine

    def __call__(self, path) -> list[Page]:
        from broadsheet.ocr import DEFAULT_MAX_PIXELS, load_pages, run_ocr
        images = load_pages(path, dpi=self.dpi, max_pixels=self.max_pixels or DEFAULT_MAX_PIXELS)
        pages = []
        for img in images:
            t0 = time.perf_counter()
            res = run_ocr(img.image, engine=self.engine(), config=self._config())
            log.debug("%s: OCR %.3f s", path, time.perf_counter() - t0)
            lines = _ocr_lines(res)
            if not lines:
                where = f" (page {img.index + 1})" if len(images) > 1 else ""
                raise InputError(path, f"empty page{where}: no text found")
            meta = {"broadsheet": __version__, "input": "image", "page_index": img.index,
                    "engine": res.engine, "engine_version": res.engine_version,
                    "ocr_settings": res.settings, "deskew_angle": round(res.deskew_angle, 4)}
            page = analyze_lines(lines, res.width, res.height, image=res.image, source=str(path),
                                 meta=meta, layout_config=self.layout_config,
                                 reflow_config=self.reflow_config)
            pages.append(page)
        return pages


def read_pages(path, *, engine: str = "rapidocr", lang: str | None = None, dpi: int = 300,
               max_pixels: int | None = None, layout_config: LayoutConfig | None = None,
               reflow_config: ReflowConfig | None = None) -> list[Page]:
    """OCR → layout → reflow for every page of an image file (multi-page TIFF and PDF too)."""
    return PageReader(engine=engine, lang=lang, dpi=dpi, max_pixels=max_pixels,
                      layout_config=layout_config, reflow_config=reflow_config)(path)


def read_page(path, *, engine: str = "rapidocr", page: int = 0, **kw) -> Page:
    """The ``page``-th page of an image file, read end to end (see ``read_pages``)."""
    pages = read_pages(path, engine=engine, **kw)
    if not 0 <= page < len(pages):
        raise InputError(path, f"has {len(pages)} page(s); page {page + 1} asked for")
    return pages[page]
