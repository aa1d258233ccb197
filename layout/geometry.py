"""Array-first box geometry. Boxes are (N, 4) arrays of (x0, y0, x1, y1); results broadcast.

Every relation between two sets of boxes comes back as an (N, M) array, so callers compose
masks instead of looping over pairs.
"""
from __future__ import annotations

import numpy as np


def widths(b: np.ndarray) -> np.ndarray:
    return b[:, 2] - b[:, 0]


def heights(b: np.ndarray) -> np.ndarray:
    return b[:, 3] - b[:, 1]


def centers(b: np.ndarray) -> np.ndarray:
    """(N, 2) box centres."""
    return np.stack([(b[:, 0] + b[:, 2]) / 2, (b[:, 1] + b[:, 3]) / 2], axis=1)


def overlap_x(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """(N, M) length of the horizontal overlap (≤ 0 where the boxes do not overlap in x)."""
    return np.minimum(a[:, None, 2], b[None, :, 2]) - np.maximum(a[:, None, 0], b[None, :, 0])


def overlap_y(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """(N, M) length of the vertical overlap (≤ 0 where the boxes do not overlap in y)."""
    return np.minimum(a[:, None, 3], b[None, :, 3]) - np.maximum(a[:, None, 1], b[None, :, 1])


def gap_y(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """(N, M) vertical distance from the bottom of a to the top of b (negative: b starts above)."""
    return b[None, :, 1] - a[:, None, 3]


def intersection_area(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return np.clip(overlap_x(a, b), 0, None) * np.clip(overlap_y(a, b), 0, None)


def iou(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    inter = intersection_area(a, b)
    area_a = (widths(a) * heights(a))[:, None]
    area_b = (widths(b) * heights(b))[None, :]
    return inter / np.maximum(area_a + area_b - inter, 1e-9)


def union_box(b: np.ndarray) -> tuple[float, float, float, float]:
    """The smallest box around all rows of b."""
    return (float(b[:, 0].min()), float(b[:, 1].min()), float(b[:, 2].max()), float(b[:, 3].max()))


def box_from_polygon(points) -> tuple[float, float, float, float]:
    p = np.asarray(points, dtype=np.float64).reshape(-1, 2)
    return (float(p[:, 0].min()), float(p[:, 1].min()), float(p[:, 0].max()), float(p[:, 1].max()))


def group_medians(values: np.ndarray, groups) -> np.ndarray:
    """Median of ``values[g]`` for each index array g in ``groups``, in one sort.

    values: (N,); groups: sequence of G non-empty int arrays. Returns (G,).
    """
    sizes = np.array([len(g) for g in groups], dtype=np.int64)
    if len(sizes) == 0:
        return np.zeros(0)
    idx = np.concatenate(groups)
    gid = np.repeat(np.arange(len(sizes)), sizes)
    v = np.asarray(values, dtype=np.float64)[idx]
    v = v[np.lexsort((v, gid))]
    start = np.cumsum(sizes) - sizes
    return (v[start + (sizes - 1) // 2] + v[start + sizes // 2]) / 2


def group_mins(values: np.ndarray, groups) -> np.ndarray:
    """(G,) the least of ``values[g]`` for each non-empty index array g, in one pass."""
    sizes = np.array([len(g) for g in groups], dtype=np.int64)
    if len(sizes) == 0:
        return np.zeros(0)
    v = np.asarray(values, dtype=np.float64)[np.concatenate(groups)]
    return np.minimum.reduceat(v, np.cumsum(sizes) - sizes)


def group_boxes(boxes: np.ndarray, groups) -> np.ndarray:
    """(G, 4) the box around ``boxes[g]`` for each non-empty index array g, in one pass."""
    sizes = np.array([len(g) for g in groups], dtype=np.int64)
    if len(sizes) == 0:
        return np.zeros((0, 4))
    b = np.asarray(boxes, dtype=np.float64)[np.concatenate(groups)]
    start = np.cumsum(sizes) - sizes
    return np.stack([np.minimum.reduceat(b[:, 0], start), np.minimum.reduceat(b[:, 1], start),
                     np.maximum.reduceat(b[:, 2], start), np.maximum.reduceat(b[:, 3], start)], axis=1)
