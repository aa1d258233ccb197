"""Candidate pairs by sorted sweep: which boxes lie just below which, without an N×N matrix.

For N boxes the dense relation is N² (10¹⁰ for a 100k-line run); newspaper relations are
local, so we sweep boxes sorted by top edge and keep only pairs within a vertical window.
"""
from __future__ import annotations

import numpy as np


def pairs_below(boxes: np.ndarray, reach: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Index pairs (i, j), i != j, where box j's top lies in [top_i, bottom_i + reach_i].

    boxes: (N, 4); reach: (N,) extra distance below each box. Returns two int arrays.
    """
    n = len(boxes)
    if n == 0:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    order = np.argsort(boxes[:, 1], kind="stable")
    tops = boxes[order, 1]
    lo = np.searchsorted(tops, boxes[:, 1], side="left")
    hi = np.searchsorted(tops, boxes[:, 3] + reach, side="right")
    counts = np.maximum(hi - lo, 0)
    i = np.repeat(np.arange(n), counts)
    starts = np.repeat(lo, counts)
    offs = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
    j = order[starts + offs]
    keep = i != j
    return i[keep], j[keep]
