"""A second look at ink that no detected line covers: lines the detector missed.

The detector works on a down-scaled page (a long side of 2000 px: 0.4 × a 4800 px broadsheet).
Where a paper sets its body tight — 8–10 px of leading, 20 px gutters — the rows run together at
that scale, the detector draws one box over two rows, and the recogniser reads one of them: the
other row is lost without a trace (seed-plain page 500016: 30 of 425 lines). Such a row is still
on the page as ink outside every line box, in a band the size of a text line. Each band is cut
out with a margin and read again at full resolution; what the second read finds inside the band,
and not already covered by a line, is added.

Big headlines get lost the same way (one tall box over a few of their glyphs, read as nothing).
Only bands of text-line size are looked at — the height of the page's median line, give or
take, or up to six times that for a band much wider than tall (a headline line) — so photos,
rules and the slivers of glyphs poking out of a box are left alone.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .merge import MergeConfig, merge_pieces
from .split import ink_mask
from .types import OcrLine


@dataclass(frozen=True, kw_only=True)
class RecoverConfig:
    """Thresholds of :func:`recover_missed`, relative to the median line height ``h``.

    A band of uncovered ink counts when its height is within ``min_height``–``max_height`` ×h
    (or, a headline line, up to ``max_head`` ×h and ``head_aspect`` times as wide as it is tall),
    its width with its marks at least ``min_width`` ×h and its ink fills ``min_fill``–``max_fill`` of its box
(type leaves paper between its strokes, a photo does not);
    glyphs closer than ``join`` ×h are one band. It is read again with ``margin`` ×h around it,
    and when nothing is kept from that, with ``wide_margin`` ×h (the recogniser's detector finds
    a lone "入。”" only with some of the page around it);
    a line found there is kept when ``keep_inside`` of its box lies in the band and at most
    ``max_covered`` of it under lines already read, with confidence ``min_confidence``.
    Specks no taller than ``mark_height`` ×h beside a band on its row (an ellipsis's dots)
    are read with it.
    """

    min_height: float = 0.55
    max_height: float = 1.6
    max_head: float = 6.0
    head_aspect: float = 1.2
    min_width: float = 0.6
    min_fill: float = 0.08
    max_fill: float = 0.6
    join: float = 0.6
    margin: float = 0.35
    wide_margin: float = 0.7
    keep_inside: float = 0.5
    max_covered: float = 0.3
    min_confidence: float = 0.8
    mark_height: float = 0.2


def recover_missed(image: np.ndarray, lines: list[OcrLine] | tuple[OcrLine, ...], engine,
                   config: RecoverConfig | None = None, ink: np.ndarray | None = None) -> list[OcrLine]:
    """Lines found in text-sized bands of ink outside every line of ``lines`` (not including
    ``lines`` themselves), read by ``engine`` from crops of ``image``. ``ink``: the image's
    :func:`~broadsheet.ocr.split.ink_mask`, when the caller has it already (not changed)."""
    import cv2

    cfg = config or RecoverConfig()
    if not lines:
        return []
    boxes = np.array([ln.bbox for ln in lines], float)
    h = float(np.median(boxes[:, 3] - boxes[:, 1]))
    if h < 4:
        return []
    rest = ink_mask(image) if ink is None else ink.copy()
    b = np.round(boxes).astype(int)
    for x0, y0, x1, y1 in b:
        rest[max(0, y0) : max(0, y1), max(0, x0) : max(0, x1)] = False
    rest &= ~_rules(rest, cfg.max_head * h)
    join = max(1, int(round(cfg.join * h)))
    closed = cv2.morphologyEx(rest.astype(np.uint8), cv2.MORPH_CLOSE, np.ones((1, join), np.uint8))
    n, labels, stats, _c = cv2.connectedComponentsWithStats(closed, connectivity=8)
    del closed
    if n <= 1:
        return []
    x, y, w, hh = (stats[1:, k] for k in range(4))
    area = np.bincount(labels[rest], minlength=n)[1:]      # the ink itself, not the closed band
    del labels
    body = hh <= cfg.max_height * h
    head = (hh <= cfg.max_head * h) & (w >= cfg.head_aspect * hh)
    keep = ((hh >= cfg.min_height * h) & (body | head)
            & (area >= cfg.min_fill * w * hh) & (area <= cfg.max_fill * w * hh))
    allb = np.stack([x, y, x + w, y + hh], axis=1).astype(float)
    bands = _with_marks(allb[keep], allb[~keep & (hh <= cfg.mark_height * h) & (w <= 2 * h)], h)
    # wide enough with its marks: a paragraph's last line of one ideograph and its "。”"
    bands = bands[bands[:, 2] - bands[:, 0] >= cfg.min_width * h]
    found: list[OcrLine] = []
    covered = boxes
    for band in bands:
        read: list[OcrLine] = []
        for margin in (cfg.margin, cfg.wide_margin):
            read = _read_band(image, band, margin * h, engine, covered, cfg)
            if read:
                break
        covered = np.vstack([covered, *(np.array(ln.bbox, float)[None] for ln in read)])
        found.extend(join_row(read))
    return join_row(found, after_pause=True)


def _read_band(image: np.ndarray, band: np.ndarray, m: float, engine, covered: np.ndarray,
               cfg: RecoverConfig) -> list[OcrLine]:
    """The lines read in ``band`` cut out with ``m`` px around it that lie in the band and not
    under ``covered`` (nor under each other)."""
    H, W = image.shape[:2]
    cx0, cy0 = int(max(0, band[0] - m)), int(max(0, band[1] - m))
    cx1, cy1 = int(min(W, band[2] + m)), int(min(H, band[3] + m))
    crop = np.ascontiguousarray(image[cy0:cy1, cx0:cx1])
    read: list[OcrLine] = []
    for line in engine.recognize(crop):
        if line.confidence < cfg.min_confidence or not line.text.strip():
            continue
        moved = _drop_outer_opening(_shift(line, cx0, cy0), band)
        lb = np.array(moved.bbox, float)
        area_l = max((lb[2] - lb[0]) * (lb[3] - lb[1]), 1.0)
        # the detector's outline grows a short line by a large share of its size ("镇。"
        # in a box twice its ink's area): half of the smaller of the two must be shared
        area_b = (band[2] - band[0]) * (band[3] - band[1])
        if _inter(lb[None], band[None])[0] < cfg.keep_inside * min(area_l, area_b):
            continue
        if _inter(lb[None], covered).max(initial=0.0) > cfg.max_covered * area_l:
            continue
        read.append(moved)
        covered = np.vstack([covered, lb[None]])
    return read


def _drop_outer_opening(line: OcrLine, band: np.ndarray) -> OcrLine:
    """``line`` without a trailing opening quote or bracket read beyond the band's ink: no line
    ends in one (a Chinese line never does), and a wide crop's read of "入。”" past its ink
    adds a "“" made of nothing (its stitching then runs the paragraph on)."""
    t = line.text
    if line.chars is None or len(line.chars) != len(t) or len(t) < 2:
        return line
    if t[-1] not in _OPENING or line.chars[-1][0] < band[2]:
        return line
    chars = line.chars[:-1]
    x1 = max(c[2] for c in chars)
    (lx0, ly0, _lx1, ly1) = line.bbox
    polygon = ((lx0, ly0), (x1, ly0), (x1, ly1), (lx0, ly1))
    return OcrLine(polygon, t[:-1], line.confidence, chars)


_OPENING = "“‘「『（《〈【"


def _rules(ink: np.ndarray, tallest: float) -> np.ndarray:
    """The ink of vertical runs taller than ``tallest`` px: column rules, never a band's glyphs.
    The band's closing would bridge a short last line beside a column rule ("入。”" 0.6 em off
    it) into one component as tall as the rule, and the line would be dropped with it."""
    import cv2

    k = int(np.ceil(tallest)) + 1
    if k >= ink.shape[0]:
        return np.zeros_like(ink)
    return cv2.morphologyEx(ink.astype(np.uint8), cv2.MORPH_OPEN, np.ones((k, 1), np.uint8)).astype(bool)


def _with_marks(bands: np.ndarray, specks: np.ndarray, h: float) -> np.ndarray:
    """Bands widened to the specks beside them on their row, under one line height away: the dots
    of an ellipsis stand apart from the glyphs' ink ("取”" + "……"), and a story's last line read
    without them no longer ends its sentence. (Only specks of a few pixels: a headline's "一" is
    a glyph of its own band.)"""
    if not len(bands) or not len(specks):
        return bands
    out = bands.copy()
    yc = (specks[:, 1] + specks[:, 3]) / 2
    for k, (x0, y0, x1, y1) in enumerate(bands):
        row = (yc > y0) & (yc < y1)
        right = row & (specks[:, 0] >= x1) & (specks[:, 0] - x1 < h)
        left = row & (specks[:, 2] <= x0) & (x0 - specks[:, 2] < h)
        if right.any():
            out[k, 2] = max(x1, float(specks[right, 2].max()))
        if left.any():
            out[k, 0] = min(x0, float(specks[left, 0].min()))
    return out


def join_row(lines: list[OcrLine], *, after_pause: bool = False) -> list[OcrLine]:
    """Recovered pieces on one row under half a line height apart as one line, left to right
    (in the order of each run's first piece).

    A band is one run of ink (glyphs closer than ``join`` × h), yet the recogniser's own
    detector may cut a letter-spaced line in it at a wide letter space ("50名干部" | "深入企业一
    线，", 0.3 em apart); the joiner leaves gaps that narrow alone (the detector bridges them
    on the page). Wider gaps — a gutter the band's closing bridged — are the joiner's to judge.
    ``after_pause``: pieces read from different bands, joined only after a full-width pause
    mark on one row: its blank half-cell parts the ink of "加快关键核心技术突破，" and "推动"
    into two bands, while two bands a gutter apart hold no such mark at the cut.
    """
    if len(lines) < 2:
        return lines
    runs: list[list[OcrLine]] = []
    for ln in sorted(lines, key=lambda ln: ln.bbox[0]):
        b = ln.bbox
        for run in runs if after_pause else runs[-1:]:
            a = run[-1].bbox
            hh = min(a[3] - a[1], b[3] - b[1])
            if not (min(a[3], b[3]) - max(a[1], b[1]) >= 0.5 * hh
                    and -0.25 * hh <= b[0] - a[2] < MergeConfig.min_gap * hh):
                continue
            if after_pause and not (run[-1].text.rstrip()[-1:] in _PAUSE
                                    and abs((a[1] + a[3]) - (b[1] + b[3])) < 0.5 * hh):
                continue
            run.append(ln)
            break
        else:
            runs.append([ln])
    return [run[0] if len(run) == 1 else merge_pieces(run) for run in runs]


_PAUSE = "，、；：。"


def _inter(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Intersection area of each box of ``a`` (1, 4) with the boxes ``b`` (K, 4): shape (K,)."""
    ix = np.clip(np.minimum(a[:, 2], b[:, 2]) - np.maximum(a[:, 0], b[:, 0]), 0, None)
    iy = np.clip(np.minimum(a[:, 3], b[:, 3]) - np.maximum(a[:, 1], b[:, 1]), 0, None)
    return ix * iy


def _shift(line: OcrLine, dx: float, dy: float) -> OcrLine:
    polygon = tuple((px + dx, py + dy) for px, py in line.polygon)
    chars = None
    if line.chars is not None:
        chars = tuple((c[0] + dx, c[1] + dy, c[2] + dx, c[3] + dy) for c in line.chars)
    return OcrLine(polygon, line.text, line.confidence, chars)
