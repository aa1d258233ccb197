"""The German opening quote „ that the recogniser drops, read from the ink.

The PP-OCR recogniser reads the closing “ of German „…“ but not the low opening mark: its two
small strokes sit on the baseline in the word space, and the line comes back as "einem
Jahrhundertprojekt“," (17 of the 18 edits left on the synthetic bench-de page). A closing “
(or a straight " read for it) with no opening mark before it in its line asks for the opening
one; it is put back before the nearest word to its left whose word space holds the mark's ink:
a small mark of paper-separated strokes, neither glyph beside it touching it, lying in the
lower half of the line's x-height band down to the baseline or a little below — where a hyphen
or dash (mid-height), an apostrophe or English “ (high) and a speck off the baseline do not
lie. Nothing is guessed from the words: no ink, no mark.

Coordinates: absolute page pixels, boxes ``(x0, y0, x1, y1)``.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np

from .charclass import has_cjk
from .types import OcrLine

OPEN_LOW = "„"
#: closing marks a dropped „ leaves alone in its line: the German closing quote and the
#: straight quote the recogniser reads for it on scans (made “ when its „ is found)
CLOSERS = "“\""


@dataclass(frozen=True, kw_only=True)
class LowQuoteConfig:
    """Shares of the line's x-height ``xh`` (its dense ink rows, :func:`_x_band`).

    ``top``: the mark's ink starts no higher than this share down the x-band; ``base``: and
    ends no higher than this share above the baseline, ``below``: nor lower than this share
    under it; ``min_width`` / ``max_width``: its ink spans this many x-heights across;
    ``min_tall``: and this many down (a speck is no mark); ``lead``: at a line's start the mark
    is looked for up to this many x-heights left of the box; ``fused``: where the mark's
    strokes touch the word's first glyph (one blob), the blob's leading columns that stay low
    must span at least this many x-heights (a "J"'s own hook or an "A"'s foot spans at most 0.33
    on the bench-de scan, the mark and the hook 1.0); ``hook``: and this much of their right end
    is left to the glyph."""

    top: float = 0.5
    base: float = 0.2
    below: float = 0.7
    min_width: float = 0.25
    max_width: float = 1.3
    min_tall: float = 0.3
    lead: float = 1.5
    fused: float = 0.6
    hook: float = 0.3


def low_opening_quotes(lines: Sequence[OcrLine], ink: np.ndarray,
                       config: LowQuoteConfig | None = None) -> list[OcrLine]:
    """``lines`` with a dropped „ put back where the ink shows it (see the module doc); lines
    with nothing to change come back as the same objects."""
    cfg = config or LowQuoteConfig()
    return [_restore(ln, ink, cfg) for ln in lines]


def _unopened_closer(text: str) -> int | None:
    """Index of the first closing mark in ``text`` with no „ open before it, else None."""
    open_ = False
    for i, c in enumerate(text):
        if c == OPEN_LOW:
            open_ = True
        elif c in CLOSERS:
            if not open_:
                return i
            open_ = False
    return None


def _x_band(ink: np.ndarray, x0: int, y0: int, x1: int, y1: int) -> tuple[int, int] | None:
    """The rows (top, baseline) where the line's ink is dense: rows inked over at least 40 %
    of the densest row's count — the x-height band of Latin text."""
    rows = ink[y0:y1, x0:x1].sum(axis=1)
    if rows.max(initial=0) == 0:
        return None
    dense = np.flatnonzero(rows >= 0.4 * rows.max())
    return y0 + int(dense[0]), y0 + int(dense[-1])


def _restore(line: OcrLine, ink: np.ndarray, cfg: LowQuoteConfig) -> OcrLine:
    text = line.text
    if not line.chars or len(line.chars) != len(text) or has_cjk(text):
        return line
    q = _unopened_closer(text)
    if q is None:
        return line
    H, W = ink.shape
    lx0, ly0, lx1, ly1 = line.bbox
    y0, y1 = int(max(0, np.floor(ly0))), int(min(H, np.ceil(ly1)))
    band = _x_band(ink, int(max(0, lx0)), y0, int(min(W, np.ceil(lx1))), y1)
    if band is None:
        return line
    xt, xb = band
    xh = float(xb - xt + 1)
    if xh < 4:
        return line
    boxes = np.asarray(line.chars, float)
    solid = [i for i in range(q) if not text[i].isspace()]
    # word starts left of the closer, nearest first: a glyph after a space, or the line's first
    starts = [i for k, i in enumerate(solid) if k == 0 or text[i - 1].isspace()]
    for s in reversed(starts):
        if not text[s].isalnum():
            continue
        prev = max((i for i in solid if i < s), default=None)
        if prev is None:
            g0 = int(max(0, np.floor(lx0 - cfg.lead * xh)))
        else:
            g0 = int(np.floor((boxes[prev, 0] + boxes[prev, 2]) / 2))
        g1 = int(min(W, np.ceil(boxes[s, 2] + 0.5 * xh)))
        mark = _mark_ink(ink, g0, g1, y0, y1, xt, xb, xh, cfg)
        if mark is None:
            continue
        return _insert(line, s, prev, mark, q)
    return line


def _mark_ink(ink: np.ndarray, g0: int, g1: int, y0: int, y1: int, xt: int, xb: int, xh: float,
              cfg: LowQuoteConfig) -> tuple[float, float, float, float] | None:
    """The box of a low opening quote's ink between columns ``g0`` (the middle of the glyph
    before, or a reach of paper before a line's first glyph) and ``g1`` (past the word's first
    glyph), or None. Glyph ink reaches an end of the window or the x-band's top half; the
    mark is what is left, lying between the previous glyph and the word, all of it within the
    mark's place and size."""
    import cv2

    if g1 - g0 < 3 or y1 - y0 < 3:
        return None
    win = np.ascontiguousarray(ink[y0:y1, g0:g1], dtype=np.uint8)
    n, lab, stats, _c = cv2.connectedComponentsWithStats(win, connectivity=8)
    if n <= 1:
        return None
    keep = np.flatnonzero(stats[:, 4] >= 3)
    keep = keep[keep > 0]                                    # specks of noise are no strokes
    st = stats[keep]
    left, right, top_row = st[:, 0], st[:, 0] + st[:, 2], y0 + st[:, 1]
    # the glyphs' ink: what reaches either end of the window, or up into the x-band's top half
    glyph = (left == 0) | (right >= win.shape[1]) | (top_row < xt + cfg.top * xh)
    low = ~glyph
    if not low.any():
        later = np.flatnonzero(glyph & (left > 0))
        if len(later) == 0:
            return None
        first = int(keep[later[np.argmin(left[later])]])
        return _fused_mark(lab == first, g0, y0, xt, xb, xh, cfg)
    if low.sum() > 4:
        return None
    # ... and the mark stands between the previous glyph and the word's first one
    prev_end = right[glyph & (left == 0)].max(initial=0)
    later = glyph & (left > 0)
    if not later.any():
        return None
    word_start = left[later].min()
    if left[low].min() < prev_end or right[low].max() > word_start:
        return None
    st = st[low]
    s, e = int(st[:, 0].min()), int((st[:, 0] + st[:, 2]).max())
    top = y0 + int(st[:, 1].min())
    bottom = y0 + int((st[:, 1] + st[:, 3]).max()) - 1
    width, tall = e - s, bottom - top + 1
    if not (cfg.min_width * xh <= width <= cfg.max_width * xh and tall >= cfg.min_tall * xh):
        return None
    if top < xt + cfg.top * xh or bottom < xb - cfg.base * xh or bottom > xb + cfg.below * xh:
        return None
    return float(g0 + s), float(top), float(g0 + e), float(bottom + 1)


def _fused_mark(blob: np.ndarray, g0: int, y0: int, xt: int, xb: int, xh: float,
                cfg: LowQuoteConfig) -> tuple[float, float, float, float] | None:
    """The low opening quote blurred into the word's first glyph (``blob``: that glyph's ink
    in the window, a (rows, cols) mask): the blob's leading columns whose ink all lies in the
    lower half of the x-band and below, when they span ``fused`` x-heights — more than a
    glyph's own foot or hook. Their right ``hook`` is left to the glyph; the rest must be the
    mark's place and size as a separate mark's would."""
    cols = np.flatnonzero(blob.any(axis=0))
    tops = np.argmax(blob[:, cols], axis=0) + y0
    high = np.flatnonzero(tops < xt + cfg.top * xh)
    run = int(high[0]) if len(high) else len(cols)
    if run == len(cols) or run < cfg.fused * xh:
        return None
    s, e = int(cols[0]), int(cols[0]) + int(round(run - cfg.hook * xh))
    part = blob[:, s:e]
    rows = np.flatnonzero(part.any(axis=1))
    if len(rows) == 0:
        return None
    top, bottom = y0 + int(rows[0]), y0 + int(rows[-1])
    if not (cfg.min_width * xh <= e - s <= cfg.max_width * xh and bottom - top + 1 >= cfg.min_tall * xh):
        return None
    if top < xt + cfg.top * xh or bottom < xb - cfg.base * xh or bottom > xb + cfg.below * xh:
        return None
    return float(g0 + s), float(top), float(g0 + e), float(bottom + 1)


def _insert(line: OcrLine, s: int, prev: int | None, mark: tuple[float, float, float, float],
            q: int) -> OcrLine:
    """``line`` with „ (box ``mark``) before character ``s``, a space before it when the
    previous glyph touches it in the text, and the closer at ``q`` made “."""
    text, chars = line.text, list(line.chars)
    mx0, _my0, mx1, _my1 = mark
    _lx0, ly0, _lx1, ly1 = line.bbox
    qbox = (mx0, ly0, mx1, ly1)
    ins_text, ins_chars = OPEN_LOW, [qbox]
    if prev is not None and prev == s - 1:
        ins_text = " " + OPEN_LOW
        ins_chars = [(chars[prev][2], ly0, mx0, ly1), qbox]
    elif prev is not None:
        # the space before the word now ends where the mark begins
        sp = chars[s - 1]
        chars[s - 1] = (sp[0], sp[1], min(sp[2], mx0), sp[3])
    closer = "“" if text[q] == "\"" else text[q]
    text = text[:q] + closer + text[q + 1:]
    text = text[:s] + ins_text + text[s:]
    chars = chars[:s] + ins_chars + chars[s:]
    polygon = line.polygon
    if mx0 < _lx0:
        polygon = ((mx0, ly0), (_lx1, ly0), (_lx1, ly1), (mx0, ly1))
    return OcrLine(polygon, text, line.confidence, tuple(chars))
