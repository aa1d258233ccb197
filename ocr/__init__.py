"""Pixels to recognised text lines: load pages, straighten them, OCR them, split merged lines.

Public surface::

    from broadsheet.ocr import load_pages, run_ocr, OcrConfig
    page = load_pages("page.jp2")[0]
    result = run_ocr(page.image)                  # OcrResult: lines + engine, version, settings, deskew
    result = run_ocr(page.image, engine="tesseract", config=OcrConfig(lang="deu"))

Coordinates in the result are absolute pixels of the *deskewed* image (same size as the input,
rotated about its centre by ``result.deskew_angle`` degrees, counter-clockwise positive); that
image is ``result.image``, so layout analysis sees the same pixels as the OCR did.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np

from .deskew import deskew, estimate_skew, rotate, rotation_matrix
from .engines import DEFAULT_ENGINE, ENGINES, Engine, available_engines, get_engine
from .image import DEFAULT_MAX_PIXELS, PageImage, load_image_array, load_pages
from .lowquote import LowQuoteConfig, low_opening_quotes
from .marks import DashConfig, EndMarkConfig, dashes_read_as_one, full_width_marks, line_end_marks, line_start_quotes, mid_line_quotes, quotes_read_as_commas
from .merge import MergeConfig, join_row_pieces
from .recover import RecoverConfig, recover_missed
from .spaces import SpaceConfig, restore_spaces
from .stray import drop_stray_han
from .split import SplitConfig, fix_quote_marks, ink_mask, split_lines, trim_overlaps
from .tighten import tighten_boxes
from .types import OcrLine, OcrResult

__all__ = [
    "DEFAULT_ENGINE", "DEFAULT_MAX_PIXELS", "ENGINES", "Engine", "OcrConfig", "OcrLine", "OcrResult",
    "DashConfig", "EndMarkConfig", "LowQuoteConfig", "MergeConfig", "PageImage", "full_width_marks", "line_end_marks", "line_start_quotes", "mid_line_quotes", "quotes_read_as_commas", "RecoverConfig", "SpaceConfig", "SplitConfig", "available_engines", "deskew", "estimate_skew", "fix_quote_marks",
    "dashes_read_as_one", "drop_stray_han", "get_engine", "join_row_pieces", "load_image_array", "load_pages", "low_opening_quotes", "recover_missed", "restore_spaces", "rotate", "rotation_matrix", "run_ocr", "split_lines",
    "tighten_boxes", "trim_overlaps",
]


@dataclass(frozen=True, kw_only=True)
class OcrConfig:
    """Settings of the OCR stage; a misspelt option fails when the config is built.

    ``det_long_side``: detector input long side (rapidocr/paddleocr), px.
    ``threads``: inference threads (0 = one per core).
    ``deskew``: estimate and correct skew up to ``max_skew`` degrees.
    ``recover``: read again, at full resolution, text-line-sized ink that no detected line
    covers (rows the detector ran together on a tightly set page; see :mod:`broadsheet.ocr.recover`);
    ``stray_han``: on a Latin page, drop a lone Han glyph the recogniser read in the paper
    beside a word ("华im"; see :mod:`broadsheet.ocr.stray`);
    ``split``: cut lines at column gaps / rules and drop glyphs read twice by overlapping boxes;
    ``merge``: join the pieces of a line the detector cut at wide letter or word spaces
    (see :mod:`broadsheet.ocr.merge`);
    ``fix_quotes``: headline 66/99 → “ ”.
    ``marks``: half-width : , ; ? ! in Han text → ： ， ； ？ ！, and a closing quote or dash the
    detector left outside a Han line's box put back, a closing quote lost mid-line after "。" or
    read there as a high "，" put back, and a dash the recogniser read as the Han
    "一" made "—" from its ink (see :mod:`broadsheet.ocr.marks`); and a
    German opening „ the recogniser dropped before a word, read from the ink (see
    :mod:`broadsheet.ocr.lowquote`).
    ``tighten``: cut each line box down around its ink (see :mod:`broadsheet.ocr.tighten`).
    ``spaces``: put back word spaces the recogniser dropped in Latin lines, where the ink shows
    a gap (see :mod:`broadsheet.ocr.spaces`).
    ``lang``: tesseract language(s), e.g. ``"deu"``, ``"deu+frk"``, ``"chi_sim"``.
    ``rec_precision``: rapidocr recogniser, ``"int8"`` (default: derived from the wheel's model
    once and cached, see :mod:`broadsheet.ocr.quantize`; fp32 with one warning if it cannot be
    built) or ``"fp32"`` (the wheel's model).
    ``det_precision``: rapidocr text detector, ``"fp32"`` (default: the wheel's model) or
    ``"int8"`` (opt-in: derived and cached like the int8 recogniser; ≈ 0.35 × the detector's
    CPU time, slightly different boxes; fp32 with one warning if it cannot be built).
    """

    det_long_side: int = 2000
    threads: int = 0
    box_thresh: float = 0.5
    unclip_ratio: float = 1.6
    deskew: bool = True
    max_skew: float = 5.0
    recover: bool = True
    stray_han: bool = True
    split: bool = True
    merge: bool = True
    fix_quotes: bool = True
    marks: bool = True
    tighten: bool = True
    spaces: bool = True
    lang: str = "eng"
    rec_precision: str = "int8"
    det_precision: str = "fp32"

    def engine_settings(self, engine: str) -> dict:
        """The subset of this config that the named engine's constructor takes."""
        if engine in ("rapidocr", "paddleocr"):
            settings = {"det_long_side": self.det_long_side, "threads": self.threads,
                        "box_thresh": self.box_thresh, "unclip_ratio": self.unclip_ratio}
            if engine == "rapidocr":
                settings["rec_precision"] = self.rec_precision
                settings["det_precision"] = self.det_precision
            return settings
        if engine == "tesseract":
            return {"lang": self.lang, "threads": self.threads}
        return {}


def run_ocr(
    image: np.ndarray,
    *,
    engine: str | Engine = DEFAULT_ENGINE,
    config: OcrConfig | None = None,
    rules: np.ndarray | None = None,
) -> OcrResult:
    """Deskew → recognise → read missed rows again → drop Han glyphs read beside Latin words → split merged lines → join split ones →
    fix headline quotes, half-width marks, lost end and mid-line quotes and dashes read "一" in Han text →
    tighten boxes →
    restore dropped word spaces → put back a dropped German „, and record what was done.

    ``image``: uint8 (H, W) gray or (H, W, 3) RGB. ``engine``: a name (built with the config's
    settings) or a ready engine object (reuse one across pages: model loading is the slow part).
    ``rules``: optional (K, 4) boxes of vertical rules in deskewed coordinates; lines are cut there.
    """
    cfg = config or OcrConfig()
    eng = get_engine(engine, **cfg.engine_settings(engine)) if isinstance(engine, str) else engine
    angle = 0.0
    if cfg.deskew:
        image, angle = deskew(image, max_angle=cfg.max_skew)
    lines = eng.recognize(image)
    # one Otsu mask for every step below that asks where the ink is
    ink = (ink_mask(image) if cfg.recover or cfg.split or cfg.merge or cfg.fix_quotes or cfg.marks or cfg.spaces
           else None)
    if cfg.recover:
        lines = [*lines, *recover_missed(image, lines, eng, ink=ink)]
    if cfg.stray_han:
        lines = drop_stray_han(lines)
    if cfg.split:
        lines = split_lines(trim_overlaps(lines), image=image, rules=rules, ink=ink)
    if cfg.merge:
        lines = join_row_pieces(lines, image, ink=ink)
    if cfg.fix_quotes:
        lines = fix_quote_marks(lines, image=image, ink=ink)
    if cfg.marks:
        lines = line_start_quotes(line_end_marks(full_width_marks(lines), ink), ink)
        lines = dashes_read_as_one(quotes_read_as_commas(mid_line_quotes(lines, ink), ink), ink)
    if cfg.tighten:
        lines = tighten_boxes(list(lines), image)
    if cfg.spaces:
        lines = restore_spaces(lines, image=image, ink=ink)
    if cfg.marks:
        # after the word spaces: the recogniser often drops the space with the „ that stands
        # in it ("einemJahrhundertprojekt“"), and the mark is looked for before a word
        lines = low_opening_quotes(lines, ink)
    engine_settings = eng.settings() if hasattr(eng, "settings") else {}
    settings = {**asdict(cfg), "engine": engine_settings}
    return OcrResult(
        width=int(image.shape[1]),
        height=int(image.shape[0]),
        lines=tuple(lines),
        engine=eng.name,
        engine_version=eng.version(),
        settings=settings,
        deskew_angle=float(angle),
        image=image,
    )
