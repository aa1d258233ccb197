"""Line boxes tightened to their ink (rows; for CJK lines also the sides, to their glyphs).

Text detectors grow each line's outline by a fixed ratio (DB's "unclip"), and on a degraded
scan one line's outline can swallow faint show-through or a neighbour's descenders: the box of
"“我们要求招商小组" came out 48 px high among 33 px body lines, and "个。" 57 px — tall enough
to pass for headline type, which split the line out of its paragraph and made it a title.
Layout reads type size and spacing from these boxes, so every box is cut down to the rows that
hold the line's own ink (dark enough not to be show-through), with a small even margin.
"""
from __future__ import annotations

import re
from dataclasses import replace

import numpy as np

from .charclass import has_cjk, is_cjk
from .split import longest_runs
from .types import OcrLine

MARGIN = 0.08  # kept above and below the ink band, as a share of its height
FLOOR = 0.8  # of the page's typical tightened height: the least a box is cut to
MIN_MASS = 0.15  # an ink run counts when it holds this share of the line's heaviest run
RULE = 0.9  # a row inked over this share of the box's width is a rule, not the line's ink
COLUMN_RULE = 0.7  # a vertical ink run this share of a Latin box's height, at its side, is a rule
SIDE_RULE = 0.15  # ... within this share of the box's height of its left or right edge
EDGE_RULE = 0.75  # ... and, in the box's top or bottom quarter, one unbroken ink run this wide
SIZE_STEP = 1.3  # Latin x-heights this far apart are two type sizes (a headline, its byline)
SIDE = 0.1  # kept beside the first and last glyph boxes, as a share of the line's height


def ink_threshold(gray: np.ndarray) -> float:
    """Gray level halfway between paper and ink, from the page's own histogram (show-through
    and JPEG haze stay on the paper side)."""
    sample = gray[:: max(1, gray.shape[0] // 600), :: max(1, gray.shape[1] // 600)]
    paper = float(np.percentile(sample, 60))
    ink = float(np.percentile(sample, 1))
    return (paper + ink) / 2.0


def ink_rows(profile: np.ndarray, *, cut_at_edges: bool = False) -> tuple[int, int] | None:
    """(first, last + 1) rows of the ink band in a row profile (ink pixels per row), or None.

    Runs of inked rows are found; runs much lighter than the heaviest (a neighbour's
    descenders at the box edge, specks) are dropped; the band spans the rest.
    ``cut_at_edges``: a run cut off by the window's first or last row, white between it and
    the heaviest run, is dropped too, however heavy — a neighbouring line's glyphs that the
    outline reached into (set solid, a Han line's own ink stands inside the detector's margin).
    """
    on = profile > max(1.0, 0.02 * float(profile.max(initial=0)))
    if not on.any():
        return None
    edges = np.diff(np.concatenate([[0], on.astype(np.int8), [0]]))
    starts = np.nonzero(edges == 1)[0]
    ends = np.nonzero(edges == -1)[0]
    mass = np.array([profile[s:e].sum() for s, e in zip(starts, ends)])
    keep = mass >= MIN_MASS * mass.max()
    if cut_at_edges:
        cut = (starts == 0) | (ends == len(profile))
        cut[int(np.argmax(mass))] = False
        keep &= ~cut
    return int(starts[keep][0]), int(ends[keep][-1])


def _shared_rows_split(boxes: np.ndarray, dark: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per line, the rows its ink band may use: (N,) top and bottom limits.

    Where the boxes of two lines of one column overlap vertically (an outline that swallowed
    the bottom of the line above), the shared rows are split at their lightest row — the
    white between the two lines — so neither line takes the other's ink for its own.
    """
    n = len(boxes)
    lo = np.full(n, -np.inf)
    hi = np.full(n, np.inf)
    if n < 2:
        return lo, hi
    x0, y0, x1, y1 = boxes.T
    w = x1 - x0
    ox = np.minimum(x1[:, None], x1[None, :]) - np.maximum(x0[:, None], x0[None, :])
    cy = (y0 + y1) / 2
    # [a, b]: a above b, in one column, their boxes sharing rows
    pair = (ox > 0.5 * np.minimum(w[:, None], w[None, :])) & (cy[:, None] < cy[None, :]) & (y1[:, None] > y0[None, :])
    H, W = dark.shape
    for a, b in zip(*np.nonzero(pair)):
        r0, r1 = int(max(0, np.floor(y0[b]))), int(min(H, np.ceil(y1[a])))
        c0 = int(max(0, np.floor(max(x0[a], x0[b]))))
        c1 = int(min(W, np.ceil(min(x1[a], x1[b]))))
        if r1 - r0 < 2 or c1 - c0 < 2 or not (y0[a] < r0 and y1[b] > r1):
            continue  # one box inside the other's rows: not a neighbour's edge
        prof = dark[r0:r1, c0:c1].sum(axis=1)
        light = np.nonzero(prof == prof.min())[0]
        cut = r0 + float(light[len(light) // 2])
        hi[a] = min(hi[a], cut + 1)
        lo[b] = max(lo[b], cut)
    return lo, hi


def _edge_rule_rows(win: np.ndarray) -> np.ndarray:
    """Rows in the outer quarters of a line's box (rows × columns of ink) that hold one unbroken
    run of ink over ``EDGE_RULE`` of its width: a rule the outline reached that starts or ends
    a little inside the box ("Région" under a rule that begins 18 px right of the kicker's
    box: 89 % of the row inked, under ``RULE``). A glyph's stroke is never that long; a rule's
    run need not cover the box, since the detector's outline runs past the rule's ends."""
    n, w = win.shape
    out = np.zeros(n, bool)
    q = n // 4
    if q < 1 or w < 4:
        return out
    rows = np.r_[0:q, n - q : n]
    out[rows] = longest_runs(win[rows]) >= EDGE_RULE * w
    return out


def _edge_rule_columns(win: np.ndarray) -> np.ndarray:
    """Columns at a Latin line box's left or right edge (its outer ``SIDE_RULE``·h) holding one
    unbroken vertical run of ink over ``COLUMN_RULE`` of the box's height: a column rule the
    outline reached ("Région" beside the rule of the story below: 2 px inked on every row
    from the glyphs' top to the box's foot, enough for the ink band to run on to the foot). A
    Latin glyph's stem spans at most its ascender to descender, about 0.65 of the box."""
    n, w = win.shape
    out = np.zeros(w, bool)
    e = int(np.ceil(SIDE_RULE * n))
    if n < 4 or w < 2 * e + 2:
        return out
    cols = np.r_[0:e, w - e : w]
    out[cols] = longest_runs(win[:, cols].T) >= COLUMN_RULE * n
    return out


def _inner_columns(win: np.ndarray) -> np.ndarray:
    """A Han line's window (rows × columns of ink) without its outer ``SIDE_RULE``·h columns
    on each side, unless nothing is inked inside them: a dashed column rule beside the first
    glyph ("9 个 项 目 与 赣", a spread last line over a rule, 2 px on and off down the
    gutter, dashes of 16 px and gaps of 14) bridged the glyphs' band to the box's foot, and the
    line kept its 53 px box among 32 px lines — a title, a story of its own. Its runs are too
    short for :func:`_edge_rule_columns`, and a glyph's stroke there spans rows the rest of
    the line inks anyway (the strip holds the glyph-span pad and at most a sliver of the
    first and last glyph)."""
    n, w = win.shape
    e = int(np.ceil(SIDE_RULE * n))
    if w < 2 * e + 2:
        return win
    inner = win[:, e : w - e]
    return inner if inner.any() else win


def tighten_boxes(lines: list[OcrLine], image: np.ndarray) -> list[OcrLine]:
    """Each line's polygon and character boxes cut down vertically around its ink band, and
    the polygon at the sides to its glyphs.

    A box is not cut below the page's typical tightened height (the median over its lines)
    unless it was that small already: a Latin line without ascenders or descenders ("neuve")
    keeps the height of its neighbours, while a box grown past its ink loses the excess.
    A Latin line directly under a line of larger type keeps no margin above its ink
    (:func:`_under_larger_type`). Boxes only shrink; a line with no ink found is left as it is.
    """
    if not lines:
        return list(lines)
    gray = image if image.ndim == 2 else image.mean(axis=2)
    dark = gray < ink_threshold(gray)
    H, W = dark.shape
    boxes = np.array([ln.bbox for ln in lines], dtype=float)
    lo, hi = _shared_rows_split(boxes, dark)
    bands = np.full((len(lines), 2), np.nan)
    xh = np.full(len(lines), np.nan)
    for k, (x0, y0, x1, y1) in enumerate(boxes):
        c0, c1 = max(0, int(np.floor(x0))), min(W, int(np.ceil(x1)))
        r0, r1 = max(0, int(np.floor(max(y0, lo[k])))), min(H, int(np.ceil(min(y1, hi[k]))))
        if c1 - c0 < 2 or r1 - r0 < 4:
            continue
        span = _glyph_span(lines[k])
        if span is not None:
            c0, c1 = max(c0, int(np.floor(span[0]))), min(c1, int(np.ceil(span[1])))
            if c1 - c0 < 2:
                continue
        win = dark[r0:r1, c0:c1]
        win = win[:, ~_edge_rule_columns(win)]
        if span is not None:
            win = _inner_columns(win)
        profile = win.sum(axis=1).astype(float)
        # a rule the outline swallowed (a section's double rule over its kicker) is inked
        # right across; type never is
        profile[profile >= RULE * (c1 - c0)] = 0.0
        profile[_edge_rule_rows(win)] = 0.0
        band = ink_rows(profile, cut_at_edges=span is not None)
        if band is not None:
            bands[k] = (r0 + band[0], r0 + band[1])
            xh[k] = _x_height(profile[band[0]:band[1]])
    found = ~np.isnan(bands[:, 0])
    if not found.any():
        return list(lines)
    need = (bands[:, 1] - bands[:, 0]) * (1 + 2 * MARGIN)
    typical = float(np.median(need[found]))
    top = _under_larger_type(lines, boxes, bands, xh)
    out = []
    for k, ln in enumerate(lines):
        x0, y0, x1, y1 = boxes[k]
        if not found[k]:
            out.append(ln)
            continue
        h = max(need[k], min(y1 - y0, FLOOR * typical))
        mid = (bands[k, 0] + bands[k, 1]) / 2.0
        ny0 = max(y0, mid - h / 2, top[k])
        ny1 = min(y1, mid + h / 2)
        if ny1 - ny0 >= 0.97 * (y1 - y0):
            out.append(ln)
            continue
        poly = tuple((px, min(max(py, ny0), ny1)) for px, py in ln.polygon)
        chars = None if ln.chars is None else tuple(
            (cx0, min(max(cy0, ny0), ny1), cx1, max(min(cy1, ny1), ny0)) for cx0, cy0, cx1, cy1 in ln.chars)
        out.append(replace(ln, polygon=poly, chars=chars))
    return _apart([_to_glyphs(ln) for ln in out])


def _x_height(profile: np.ndarray) -> float:
    """Rows of a line's ink band inked at least half as heavily as its heaviest row: the
    x-height band of Latin type (ascenders and descenders are thin), whatever letters the
    line holds."""
    core = np.flatnonzero(profile >= 0.5 * profile.max(initial=0))
    return float(core[-1] - core[0] + 1) if len(core) else np.nan


def _under_larger_type(lines: list[OcrLine], boxes: np.ndarray, bands: np.ndarray,
                       xh: np.ndarray) -> np.ndarray:
    """(N,) the least top per line (-inf: no limit): a Latin line set directly under a line of
    larger type (a byline under its headline) keeps no margin above its ink.

    The margin narrows the white under the headline by 8 % of the small line's height and
    makes its box look a size larger, while a headline's last line with no descender
    ("foule") looks a size smaller: "Par Nicolas Overney, Charmey" (29 px of ink) 35 px
    under "foule" (40 px) came out 30 px under it in a 33 px box, was chained into the
    headline's block, and the story lost its heading. GT boxes are the ink. Lines of one
    size (x-heights within ``SIZE_STEP``) keep their margins, and so does the larger line:
    cut to its ink a headline over its story's first line reads a size smaller.
    """
    n = len(lines)
    top = np.full(n, -np.inf)
    latin = np.array([_latin_text(ln.text) for ln in lines]) & np.isfinite(xh)
    k = np.flatnonzero(latin)
    if len(k) < 2:
        return top
    b, band, x = boxes[k], bands[k], xh[k]
    w = b[:, 2] - b[:, 0]
    ox = np.minimum(b[:, None, 2], b[None, :, 2]) - np.maximum(b[:, None, 0], b[None, :, 0])
    hb = band[:, 1] - band[:, 0]
    gap = band[None, :, 0] - band[:, None, 1]            # [a, c]: c's ink below a's
    # [a, c]: c under a in one column, within 1.5 of c's lines, of a smaller type
    pair = ((ox > 0.5 * np.minimum(w[:, None], w[None, :])) & (gap > 0) & (gap < 1.5 * hb[None, :])
            & (x[:, None] >= SIZE_STEP * x[None, :]))
    c = np.nonzero(pair)[1]
    np.maximum.at(top, k[c], band[c, 0])
    return top


def _latin_text(text: str) -> bool:
    """Latin script: some letter, no CJK character."""
    return not has_cjk(text) and _LETTER.search(text) is not None


_LETTER = re.compile(r"[A-Za-z\u00c0-\u024f]")


def _to_glyphs(line: OcrLine) -> OcrLine:
    """The box cut at the sides to its first and last glyph boxes (+ ``SIDE``·h): the
    detector's outline grows a big headline by a quarter of its height on each side, so two
    headlines set side by side 40 px apart came out overlapping and read as one title with
    its subtitle. CJK lines only: the boxes the recogniser gives Latin letters are too coarse
    (measured: de-sample end to end 0.77 -> 0.71 with them). Boxes only shrink."""
    span = _glyph_span(line)
    if span is None:
        return line
    x0, _, x1, _ = line.bbox
    nx0, nx1 = max(x0, span[0]), min(x1, span[1])
    if nx1 - nx0 < 1 or (nx0 - x0) + (x1 - nx1) < 0.5:
        return line
    return _clamp_x(line, nx0, nx1)


def _glyph_span(line: OcrLine) -> tuple[float, float] | None:
    """A CJK line's first glyph's left and last glyph's right edge, ± ``SIDE``·h (None: a Latin
    line, or no glyph boxes). Ink outside it is not the line's: a column rule the outline
    reached between the box's edge and the first glyph ("态。" boxed from 11 px left of a rule
    that runs down the gutter, 21 px before "态") carried the ink band over the box's whole
    43 px, and the column's short last line read as larger type, a block of its own."""
    solid = _glyphs(line)
    if not solid or not _cjk_glyphs(line, solid):
        return None
    pad = SIDE * (line.bbox[3] - line.bbox[1])
    return min(c[0] for c in solid) - pad, max(c[2] for c in solid) + pad


def _glyphs(line: OcrLine) -> list:
    """The line's non-space glyph boxes (none when the engine gave no box per character)."""
    if not line.chars or len(line.chars) != len(line.text):
        return []
    return [c for c, ch in zip(line.chars, line.text) if not ch.isspace()]


def _cjk_glyphs(line: OcrLine, solid: list) -> bool:
    """Are most of the line's glyphs CJK characters?"""
    return sum(map(is_cjk, line.text)) > 0.5 * len(solid)


def _clamp_x(line: OcrLine, x0: float, x1: float) -> OcrLine:
    """The line with its outline's x clipped to ``[x0, x1]``."""
    return replace(line, polygon=tuple((min(max(px, x0), x1), py) for px, py in line.polygon))


def _latin_glyphs(line: OcrLine) -> list | None:
    """The non-space glyph boxes of a Latin line (None: no boxes, or a CJK line)."""
    solid = _glyphs(line)
    return solid if solid and not _cjk_glyphs(line, solid) else None


def _apart(lines: list[OcrLine]) -> list[OcrLine]:
    """Latin lines on one row whose boxes touch or overlap (two headlines set side by side, the
    detector's outline grown over the gutter between them: "Galway oyster growers count the
    cost" to x 1500, "Cardiff opens its first protected" from x 1491) are cut at their facing
    sides to their glyphs (+ ``SIDE``·h). Other sides keep the outline: the recogniser's boxes
    for Latin letters are coarse, and a line's extent along its column matters to layout only
    where it meets a neighbour. Boxes only shrink."""
    n = len(lines)
    if n < 2:
        return lines
    b = np.array([ln.bbox for ln in lines], float)
    h = b[:, 3] - b[:, 1]
    oy = np.minimum(b[:, None, 3], b[None, :, 3]) - np.maximum(b[:, None, 1], b[None, :, 1])
    row = oy >= 0.5 * np.minimum(h[:, None], h[None, :])
    # [i, j]: j starts right of i's start and i's box reaches to within SIDE·h of j's
    touch = row & (b[:, None, 0] < b[None, :, 0]) & (b[:, None, 2] > b[None, :, 0] - SIDE * np.minimum(h[:, None], h[None, :]))
    np.fill_diagonal(touch, False)
    if not touch.any():
        return lines
    glyphs = [_latin_glyphs(ln) for ln in lines]
    latin = np.array([g is not None for g in glyphs])
    touch &= latin[:, None] & latin[None, :]
    nx0, nx1 = b[:, 0].copy(), b[:, 2].copy()
    for i, j in zip(*np.nonzero(touch)):
        nx1[i] = min(nx1[i], max(c[2] for c in glyphs[i]) + SIDE * h[i])
        nx0[j] = max(nx0[j], min(c[0] for c in glyphs[j]) - SIDE * h[j])
    out = list(lines)
    for k in np.flatnonzero((nx0 > b[:, 0]) | (nx1 < b[:, 2])):
        if nx1[k] - nx0[k] < 1:
            continue
        out[k] = _clamp_x(lines[k], nx0[k], nx1[k])
    return out
