"""Reference reading orders every engine number is compared with: row-major and recursive XY-cut.

Both take an (N, 4) array of line boxes and return a permutation of line indices.

- Row-major: what a naive extractor does — lines sorted top to bottom into rows (a line joins
  the current row while its vertical centre is within ``tol`` line heights of the row's first
  line), each row read left to right.
- Recursive XY-cut (Nagy & Seth 1984; the baseline of XY-Cut++): project the line boxes onto
  the y axis and the x axis, cut the region at every empty gap wider than a threshold along
  one axis, recurse into the pieces with the other axis preferred, and stop when neither axis
  has such a gap; leaves are read row-major. Horizontal cuts (rows) are tried first at the
  top, so a page is read band by band and, inside a band, column by column.

Baseline "articles" (for the article metrics): each XY-cut leaf is one article; row-major
has one article holding the whole page.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class XYCutConfig:
    """Gap thresholds in units of the median line height of the page.

    ``min_gap_y``: a horizontal cut needs an empty band at least this tall (above normal
    leading, so a column is not sliced into rows that align across the page).
    ``min_gap_x``: a vertical cut needs an empty gutter at least this wide.
    """

    min_gap_y: float = 0.0
    min_gap_x: float = 0.0
    row_tol: float = 0.5
    widest_only: bool = True


def _as_boxes(boxes) -> np.ndarray:
    return np.asarray(boxes, dtype=np.float64).reshape(-1, 4)


def _line_height(b: np.ndarray) -> float:
    h = b[:, 3] - b[:, 1]
    h = h[h > 0]
    return float(np.median(h)) if h.size else 1.0


def row_major_order(boxes, *, tol: float = 0.5, line_height: float | None = None) -> np.ndarray:
    """Lines grouped into rows by vertical centre (sorted sweep), rows top to bottom, x inside a row."""
    b = _as_boxes(boxes)
    n = len(b)
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    h = line_height if line_height is not None else _line_height(b)
    cy = (b[:, 1] + b[:, 3]) / 2
    by_y = np.argsort(cy, kind="stable")
    # one pass over the lines sorted by centre: a new row starts where a line's centre is
    # more than tol·h below the first line of the current row
    row = np.zeros(n, dtype=np.int64)
    start_y = cy[by_y[0]]
    r = 0
    for k, i in enumerate(by_y):
        if cy[i] - start_y > tol * h:
            r += 1
            start_y = cy[i]
        row[k] = r
    return by_y[np.lexsort((b[by_y, 0], row))]


def _gaps(lo: np.ndarray, hi: np.ndarray, min_gap: float, widest_only: bool) -> np.ndarray:
    """Cut positions along one axis: midpoints of empty intervals between intervals [lo, hi].

    Vectorised projection profile: sort by start, running maximum of ends; a gap opens where
    the next start exceeds every end so far by more than ``min_gap``.
    """
    if lo.size < 2:
        return np.zeros(0)
    o = np.argsort(lo, kind="stable")
    s, e = lo[o], np.maximum.accumulate(hi[o])
    gap = s[1:] - e[:-1]
    k = np.flatnonzero(gap > min_gap)
    if widest_only and k.size:
        k = k[[np.argmax(gap[k])]]
    return (s[1:][k] + e[:-1][k]) / 2


def _cut(b: np.ndarray, idx: np.ndarray, axis: int, min_gap: float,
         widest_only: bool) -> list[np.ndarray] | None:
    """Split ``idx`` along ``axis`` (1 = y, rows; 0 = x, columns) at its widest gap (or at
    every gap); None if the projection has no gap."""
    lo, hi = b[idx, axis], b[idx, axis + 2]
    cuts = _gaps(lo, hi, min_gap, widest_only)
    if cuts.size == 0:
        return None
    part = np.searchsorted(cuts, (lo + hi) / 2)
    return [idx[part == k] for k in range(cuts.size + 1) if np.any(part == k)]


def xy_cut_leaves(boxes, config: XYCutConfig = XYCutConfig()) -> list[np.ndarray]:
    """Recursive XY-cut: the leaves (arrays of line indices) in reading order, each read row-major."""
    b = _as_boxes(boxes)
    if len(b) == 0:
        return []
    h = _line_height(b)
    gap = {1: config.min_gap_y * h, 0: config.min_gap_x * h}
    leaves: list[np.ndarray] = []
    stack: list[tuple[np.ndarray, int]] = [(np.arange(len(b)), 1)]
    while stack:
        idx, axis = stack.pop()
        parts = _cut(b, idx, axis, gap[axis], config.widest_only) if idx.size > 1 else None
        nxt = 1 - axis
        if parts is None and idx.size > 1:
            parts = _cut(b, idx, nxt, gap[nxt], config.widest_only)
            nxt = axis
        if parts is None:
            sub = row_major_order(b[idx], tol=config.row_tol, line_height=h)
            leaves.append(idx[sub])
            continue
        for p in reversed(parts):
            stack.append((p, nxt))
    return leaves


def xy_cut_order(boxes, config: XYCutConfig = XYCutConfig()) -> np.ndarray:
    """Permutation of line indices from recursive XY-cut (see module docstring)."""
    leaves = xy_cut_leaves(boxes, config)
    return np.concatenate(leaves) if leaves else np.zeros(0, dtype=np.int64)
