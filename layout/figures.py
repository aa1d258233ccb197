"""Photos and drawings from the page image: large regions of ink that is not text and not rules.

Why this works without a model: at a reduced scale a photo is a solid field of grey (continuous
tone, or halftone dots averaged into grey), while text is small dark shapes each surrounded by
paper, set in rows. So: find character-like shapes (small components ringed by paper) and the
OCR line boxes when given, mask them and the rules out, and keep what is left only where it is
dense over an area of several text lines. Line drawings, which are not dense, come in as large
connected strokes that are neither text nor rules.

Coordinates are absolute scan pixels, x right, y down, boxes ``(x0, y0, x1, y1)``.
"""
from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from .image_regions import (
    as_gray, fill_boxes, paper_background, scale_for, sort_boxes, text_height, to_work_boxes,
    downscale_area,
)
from .model import Figure, Separator


@dataclass(frozen=True, kw_only=True)
class FigureConfig:
    """Settings for photo/drawing detection; sizes relative to the page or the text height."""

    max_side: int = 1200            # work copy's long side (area-pooled)
    paper: float = 0.85             # normalised grey above this is paper
    ink: float = 0.6                # … below this is ink (for character shapes)
    char_max_em: float = 1.8        # a character-like component is at most this tall (× text height)
    char_paper_ring: float = 0.55   # … and at least this much of its rim is paper
    density: float = 0.5            # non-text, non-paper fraction that makes a photo region
    min_area_frac: float = 0.004    # of the page area
    min_side_em: float = 3.0        # both sides at least this many text heights
    drawing_min_em: float = 5.0     # a connected non-text stroke this big (both sides) is a drawing
    drawing_paper: float = 0.6      # a figure whose box is at least this much paper is a drawing
    junk_box_dark: float = 0.55     # an OCR "line" this dark on average lies on a photo: not text
    default_em_frac: float = 0.008  # text height when none is given or found (of the short side)


def _char_mask(ink: np.ndarray, paper: np.ndarray, em: float, cfg: FigureConfig) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Character-like components (small, ringed by paper). Returns (text pixels, labels, is_text per label)."""
    n, labels, st, _ = cv2.connectedComponentsWithStats(ink.astype(np.uint8), connectivity=8)
    if n <= 1:
        z = np.zeros_like(ink, bool)
        return z, labels, np.zeros(n, bool)
    # rim of each component, one pixel out (past the grey anti-aliasing halo of the strokes):
    # dilate the label image and read paper where it grew
    grown = cv2.dilate(labels.astype(np.float32), np.ones((5, 5), np.uint8)).astype(np.int64)
    halo = cv2.dilate(ink.astype(np.uint8), np.ones((3, 3), np.uint8)) > 0
    rim = (grown > 0) & ~halo
    lab_rim = grown[rim]
    tot = np.bincount(lab_rim, minlength=n).astype(np.float64)
    pap = np.bincount(lab_rim, weights=paper[rim].astype(np.float64), minlength=n)
    ring = pap / np.maximum(tot, 1)
    h = st[:, 3]
    is_text = (h <= cfg.char_max_em * em) & (ring >= cfg.char_paper_ring)
    is_text[0] = False
    return is_text[labels], labels, is_text


def detect_figures(gray: np.ndarray, *, text_boxes: np.ndarray | None = None,
                   separators: tuple[Separator, ...] = (), config: FigureConfig | None = None) -> tuple[Figure, ...]:
    """Find photos and drawings in a page image.

    gray: H×W (or colour) page array. text_boxes: optional (N, 4) OCR line boxes (masked out
    unless a box is almost solid dark — OCR noise on a photo). separators: rules to mask out.
    Returns Figures (kind "photo" or "drawing"), ids ordered top then left, integer bboxes.
    """
    cfg = config or FigureConfig()
    g = as_gray(gray)
    H, W = g.shape
    f = scale_for(g.shape, cfg.max_side)
    small = downscale_area(g, f)
    norm = np.minimum(small.astype(np.float32) / paper_background(small), 1.0)
    h, w = norm.shape
    paper = norm >= cfg.paper
    ink = norm < cfg.ink

    em_px = text_height(text_boxes)
    tb = to_work_boxes(text_boxes, f)
    em = em_px / f if em_px else None
    if em is None:
        em = _estimate_em(ink, paper, cfg) or cfg.default_em_frac * min(H, W) / f
    em = max(em, 2.0)

    text = np.zeros((h, w), bool)
    if len(tb):
        dark = _box_darkness(norm, tb)
        fill_boxes(text, tb[dark < cfg.junk_box_dark], True)
    chars, labels, is_text = _char_mask(ink, paper, em, cfg)
    # letters are a line apart at most: grow them into their line
    kx, ky = max(3, int(round(em * 0.6)) | 1), max(3, int(round(em * 0.3)) | 1)
    text |= cv2.dilate(chars.astype(np.uint8), np.ones((ky, kx), np.uint8)) > 0

    rules = np.zeros((h, w), bool)
    if separators:
        sb = to_work_boxes(np.array([s.bbox for s in separators], float), f)
        fill_boxes(rules, sb, True, pad=2.0)

    # dark areas connected to the image edge are scanner background or page edges, not print
    border = _touching_border(~paper)
    evidence = ~paper & ~text & ~rules & ~border
    win = max(3, int(round(em)) | 1)
    dens = cv2.blur(evidence.astype(np.float32), (win, win))
    region = dens >= cfg.density
    # close small holes, but not the gutter between two photos set side by side
    k = max(3, int(round(0.5 * em)) | 1)
    region = cv2.morphologyEx(region.astype(np.uint8), cv2.MORPH_CLOSE, np.ones((k, k), np.uint8))
    k2 = max(3, int(round(1.5 * em)) | 1)
    region = cv2.morphologyEx(region, cv2.MORPH_OPEN, np.ones((k2, k2), np.uint8)) > 0

    # line drawings: big connected strokes that are neither characters nor rules
    n = len(is_text)
    if n > 1:
        st = _stats(labels, n)
        big = (~is_text) & (st[:, 2] >= cfg.drawing_min_em * em) & (st[:, 3] >= cfg.drawing_min_em * em)
        big[0] = False
        if big.any():
            strokes = big[labels] & ~rules & ~border
            kd = max(3, int(round(0.5 * em)) | 1)  # join broken strokes, not neighbouring photos
            region |= cv2.morphologyEx(strokes.astype(np.uint8), cv2.MORPH_CLOSE,
                                       np.ones((kd, kd), np.uint8)) > 0

    nl, lab, st2, _ = cv2.connectedComponentsWithStats(region.astype(np.uint8), connectivity=8)
    min_area = cfg.min_area_frac * H * W / (f * f)
    min_side = cfg.min_side_em * em
    boxes, kinds = [], []
    for i in range(1, nl):
        x, y, bw, bh, area = st2[i]
        if area < min_area or bw < min_side or bh < min_side:
            continue
        sub = lab[y:y + bh, x:x + bw] == i
        ev = sub & ~paper[y:y + bh, x:x + bw] & ~rules[y:y + bh, x:x + bw]
        ys, xs = np.nonzero(ev)
        if len(ys) == 0:
            continue
        bx = np.array([x + xs.min(), y + ys.min(), x + xs.max() + 1, y + ys.max() + 1], float)
        # a photo fills its box with tone; a drawing is strokes on paper
        bi = bx.astype(np.int64)
        paper_frac = float(paper[bi[1]:bi[3], bi[0]:bi[2]].mean())
        kinds.append("drawing" if paper_frac >= cfg.drawing_paper else "photo")
        boxes.append(bx * f)
    if not boxes:
        return ()
    b = np.array(boxes)
    b[:, [0, 2]] = np.clip(b[:, [0, 2]], 0, W)
    b[:, [1, 3]] = np.clip(b[:, [1, 3]], 0, H)
    b = np.round(b).astype(np.int64)
    order = sort_boxes(b.astype(np.float64))
    return tuple(Figure(id=i, bbox=tuple(int(v) for v in b[k]), kind=kinds[k]) for i, k in enumerate(order))


def _touching_border(mask: np.ndarray) -> np.ndarray:
    """Pixels of ``mask`` components that touch the image edge."""
    n, labels = cv2.connectedComponents(mask.astype(np.uint8), connectivity=8)
    if n <= 1:
        return np.zeros_like(mask, bool)
    edge = np.unique(np.concatenate([labels[0], labels[-1], labels[:, 0], labels[:, -1]]))
    hit = np.zeros(n, bool)
    hit[edge] = True
    hit[0] = False
    return hit[labels]


def _stats(labels: np.ndarray, n: int) -> np.ndarray:
    """(n, 4) x, y, w, h of each label (label 0 included) without a second labelling pass."""
    ys, xs = np.nonzero(labels)
    lab = labels[ys, xs]
    out = np.zeros((n, 4), np.int64)
    if len(lab) == 0:
        return out
    x0 = np.full(n, np.iinfo(np.int64).max)
    y0 = np.full(n, np.iinfo(np.int64).max)
    x1 = np.full(n, -1)
    y1 = np.full(n, -1)
    np.minimum.at(x0, lab, xs)
    np.minimum.at(y0, lab, ys)
    np.maximum.at(x1, lab, xs)
    np.maximum.at(y1, lab, ys)
    ok = x1 >= 0
    out[ok, 0], out[ok, 1] = x0[ok], y0[ok]
    out[ok, 2], out[ok, 3] = x1[ok] - x0[ok] + 1, y1[ok] - y0[ok] + 1
    return out


def _box_darkness(norm: np.ndarray, boxes: np.ndarray) -> np.ndarray:
    """Mean darkness (1 − normalised grey) inside each work-pixel box, via an integral image."""
    ii = cv2.integral(1.0 - norm.astype(np.float64))
    h, w = norm.shape
    b = np.round(boxes).astype(np.int64)
    x0, x1 = np.clip(b[:, 0], 0, w), np.clip(b[:, 2], 0, w)
    y0, y1 = np.clip(b[:, 1], 0, h), np.clip(b[:, 3], 0, h)
    s = ii[y1, x1] - ii[y0, x1] - ii[y1, x0] + ii[y0, x0]
    area = np.maximum((x1 - x0) * (y1 - y0), 1)
    return s / area


def _estimate_em(ink: np.ndarray, paper: np.ndarray, cfg: FigureConfig) -> float | None:
    """Median height of small components ringed by paper (characters), in work pixels."""
    n, labels, st, _ = cv2.connectedComponentsWithStats(ink.astype(np.uint8), connectivity=8)
    if n <= 10:
        return None
    h, w = st[1:, 3], st[1:, 2]
    small = (h >= 3) & (h <= max(ink.shape) * 0.03) & (w <= 6 * h)
    if small.sum() < 10:
        return None
    return float(np.median(h[small])) * 1.3


__all__ = ["FigureConfig", "detect_figures"]
