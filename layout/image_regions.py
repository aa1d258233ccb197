"""Shared pixel plumbing for rule and photo detection: grey conversion, downscaling,
paper-background normalisation and ink masks.

Everything works on a reduced copy of the page (``Work``) and maps back with its ``scale``,
so a 3000×4600 scan costs about as much as a 1500×2300 one. Coordinates stay absolute scan
pixels, x right, y down, boxes ``(x0, y0, x1, y1)``.
"""
from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np


@dataclass(frozen=True)
class Work:
    """A reduced, background-normalised copy of the page.

    ``norm`` is float32 in [0, 1] (1 = paper), ``ink`` a bool mask of dark pixels,
    ``scale`` the original pixels per work pixel (an integer ≥ 1).
    """

    norm: np.ndarray
    ink: np.ndarray
    tone: np.ndarray  # area-pooled normalised grey (midtones and letter gaps survive), float32
    scale: int
    shape: tuple[int, int]  # original (height, width)


def as_gray(image: np.ndarray) -> np.ndarray:
    """Any uint8/uint16/float page array (H×W, H×W×3, H×W×4) → uint8 H×W."""
    a = np.asarray(image)
    if a.ndim == 3:
        if a.shape[2] == 1:
            a = a[:, :, 0]
        elif a.shape[2] == 4:
            a = cv2.cvtColor(np.ascontiguousarray(a), cv2.COLOR_RGBA2GRAY)
        elif a.shape[2] == 3:
            a = cv2.cvtColor(np.ascontiguousarray(a), cv2.COLOR_RGB2GRAY)
        else:
            raise ValueError(f"page image has {a.shape[2]} channels; expected 1, 3 or 4")
    if a.ndim != 2 or a.shape[0] < 8 or a.shape[1] < 8:
        raise ValueError(f"page image must be a 2-D array of at least 8×8 pixels, got shape {a.shape}")
    if a.dtype == np.uint8:
        return a
    if a.dtype == np.uint16:
        return (a >> 8).astype(np.uint8)
    if a.dtype == bool:
        return np.where(a, 255, 0).astype(np.uint8)
    f = a.astype(np.float32)
    if f.max() <= 1.0:
        f = f * 255.0
    return np.clip(f, 0, 255).astype(np.uint8)


def scale_for(shape: tuple[int, int], max_side: int) -> int:
    """Integer reduction factor so the long side is about ``max_side`` (never enlarges)."""
    return max(1, int(round(max(shape) / float(max_side))))


def downscale_min(gray: np.ndarray, f: int) -> np.ndarray:
    """Reduce by ``f`` keeping the darkest pixel of each f×f cell.

    Min-pooling keeps a 1-px rule at full contrast, where area averaging would fade it.
    """
    if f == 1:
        return gray
    er = cv2.erode(gray, np.ones((f, f), np.uint8), anchor=(0, 0), borderType=cv2.BORDER_REPLICATE)
    return np.ascontiguousarray(er[::f, ::f])


def downscale_area(gray: np.ndarray, f: int) -> np.ndarray:
    """Reduce by ``f`` averaging (keeps midtones: photos stay grey, text becomes strokes+paper)."""
    if f == 1:
        return gray
    h, w = gray.shape
    return cv2.resize(gray, (max(1, w // f), max(1, h // f)), interpolation=cv2.INTER_AREA)


def paper_background(gray: np.ndarray, *, cell: int = 24) -> np.ndarray:
    """Estimate the paper brightness everywhere (uneven light, yellowed paper), float32.

    The brightest pixel per cell (max-pool) then a small max filter ignores text; cells much
    darker than the paper around them (inside large photos or banners) are filled in from their
    surroundings so a photo is not 'normalised away', while smooth shading is followed.
    """
    h, w = gray.shape
    sh, sw = max(2, h // cell), max(2, w // cell)
    small = cv2.resize(cv2.dilate(gray, np.ones((3, 3), np.uint8)), (sw, sh), interpolation=cv2.INTER_AREA)
    small = cv2.dilate(small, np.ones((5, 5), np.uint8))
    # darker than the brightest paper within about a quarter page: a photo or banner, not
    # shading (light falls off slowly across a page, objects have edges)
    k = max(3, (min(sh, sw) // 4) | 1)
    ref = cv2.dilate(small, np.ones((k, k), np.uint8))
    bad = small.astype(np.float32) < 0.75 * ref.astype(np.float32)
    if bad.any() and not bad.all():
        small = cv2.inpaint(small, bad.astype(np.uint8), 3, cv2.INPAINT_TELEA)
    small = cv2.GaussianBlur(small, (0, 0), 1.5)
    bg = cv2.resize(small, (w, h), interpolation=cv2.INTER_LINEAR).astype(np.float32)
    return np.maximum(bg, 32.0)


def normalise(gray: np.ndarray) -> np.ndarray:
    """Grey / paper background, clipped to [0, 1] (1 = paper)."""
    bg = paper_background(gray)
    return np.minimum(gray.astype(np.float32) / bg, 1.0)


def prepare(gray: np.ndarray, *, max_side: int, ink_threshold: float, pool: str = "min") -> Work:
    """Reduce (min- or area-pooling), normalise against the paper and threshold ink."""
    g = as_gray(gray)
    f = scale_for(g.shape, max_side)
    area = downscale_area(g, f)
    small = downscale_min(g, f) if pool == "min" else area
    bg = paper_background(small)
    norm = np.minimum(small.astype(np.float32) / bg, 1.0)
    if small is area:
        tone = norm
    else:
        a = area[: bg.shape[0], : bg.shape[1]]
        tone = np.ones_like(norm)
        tone[: a.shape[0], : a.shape[1]] = np.minimum(a.astype(np.float32) / bg[: a.shape[0], : a.shape[1]], 1.0)
    return Work(norm=norm, ink=norm < ink_threshold, tone=tone, scale=f,
                shape=(int(g.shape[0]), int(g.shape[1])))


def text_height(text_boxes: np.ndarray | None) -> float | None:
    """Median text line height (short side of each line box: works for vertical CJK lines)."""
    if text_boxes is None:
        return None
    b = np.asarray(text_boxes, dtype=np.float64).reshape(-1, 4)
    if len(b) == 0:
        return None
    s = np.minimum(b[:, 2] - b[:, 0], b[:, 3] - b[:, 1])
    s = s[s > 0]
    return float(np.median(s)) if len(s) else None


def estimate_text_height(ink: np.ndarray) -> float | None:
    """Median height of character-sized connected components (work pixels), or None.

    Used when no OCR line boxes are given; dust, rules and photo blobs are left out by size.
    """
    n, _, stats, _ = cv2.connectedComponentsWithStats(ink.astype(np.uint8), connectivity=8)
    if n <= 1:
        return None
    st = stats[1:]
    w, h, a = st[:, 2], st[:, 3], st[:, 4]
    big = max(ink.shape) * 0.05
    keep = (h >= 4) & (h <= big) & (w <= big) & (w <= 4 * h) & (h <= 4 * w) & (a >= 6)
    if keep.sum() < 10:
        return None
    return float(np.median(h[keep]))


def to_work_boxes(boxes: np.ndarray | None, f: int) -> np.ndarray:
    """(N, 4) original-pixel boxes → work pixels (empty-safe)."""
    if boxes is None:
        return np.zeros((0, 4))
    return np.asarray(boxes, dtype=np.float64).reshape(-1, 4) / float(f)


def fill_boxes(mask: np.ndarray, boxes: np.ndarray, value, *, pad: float = 0.0) -> None:
    """Set ``mask`` inside each work-pixel box (in place). Few boxes: a loop of slice writes."""
    h, w = mask.shape
    if len(boxes) == 0:
        return
    b = np.round(boxes + np.array([-pad, -pad, pad, pad])).astype(np.int64)
    b[:, [0, 2]] = np.clip(b[:, [0, 2]], 0, w)
    b[:, [1, 3]] = np.clip(b[:, [1, 3]], 0, h)
    for x0, y0, x1, y1 in b:
        if x1 > x0 and y1 > y0:
            mask[y0:y1, x0:x1] = value


def sort_boxes(boxes: np.ndarray) -> np.ndarray:
    """Indices ordering boxes by top then left (deterministic ids)."""
    if len(boxes) == 0:
        return np.zeros(0, dtype=np.int64)
    return np.lexsort((boxes[:, 2], boxes[:, 0], boxes[:, 1]))


__all__ = [
    "Work", "as_gray", "downscale_area", "downscale_min", "estimate_text_height", "fill_boxes",
    "normalise", "paper_background", "prepare", "scale_for", "sort_boxes", "text_height",
    "to_work_boxes",
]
