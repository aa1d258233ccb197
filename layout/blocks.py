"""Text lines → blocks: lines of one column and one type size, read together.

A line is linked to the line directly below it when both pick each other as their nearest
vertical neighbour, they overlap in x, have similar height and nothing (rule, photo)
separates them. Chains of links are blocks. Blocks are then split where the spacing jumps
or where a line is a subhead (short, centred or unterminated between paragraphs).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from .pairs import pairs_below
from .patterns import JUMP, SENTENCE_END



@dataclass(frozen=True, kw_only=True)
class BlockConfig:
    """Thresholds in units of the line height (em)."""

    max_gap: float = 1.0          # largest white gap between two lines of one block
    min_height_ratio: float = 0.72  # smaller/larger line height allowed inside a block
    min_overlap: float = 0.5      # x-overlap as a fraction of the narrower line
    gap_jump: float = 2.2         # split where a gap exceeds this × the block's median gap


def _between_mask(upper: np.ndarray, lower: np.ndarray, obstacles: np.ndarray) -> np.ndarray:
    """(P,) bool: an obstacle box lies in the vertical gap between paired boxes and spans them."""
    if len(obstacles) == 0 or len(upper) == 0:
        return np.zeros(len(upper), bool)
    x0 = np.maximum(upper[:, 0], lower[:, 0])[:, None]
    x1 = np.minimum(upper[:, 2], lower[:, 2])[:, None]
    ox = np.minimum(x1, obstacles[None, :, 2]) - np.maximum(x0, obstacles[None, :, 0])
    cy = (obstacles[None, :, 1] + obstacles[None, :, 3]) / 2
    inside = (cy >= upper[:, 3:4] - 2) & (cy <= lower[:, 1:2] + 2)
    return ((ox > 0.3 * (x1 - x0)) & inside).any(axis=1)


def link_lines(boxes: np.ndarray, obstacles: np.ndarray, cfg: BlockConfig) -> np.ndarray:
    """(N,) int: the line directly below each line in the same block, or -1."""
    n = len(boxes)
    nxt = np.full(n, -1)
    if n < 2:
        return nxt
    h = boxes[:, 3] - boxes[:, 1]
    w = boxes[:, 2] - boxes[:, 0]
    i, j = pairs_below(boxes, cfg.max_gap * h + 1)
    below = boxes[j, 1] > boxes[i, 1] + 0.5 * h[i]
    i, j = i[below], j[below]
    gap = boxes[j, 1] - boxes[i, 3]
    ox = np.minimum(boxes[i, 2], boxes[j, 2]) - np.maximum(boxes[i, 0], boxes[j, 0])
    hr = np.minimum(h[i], h[j]) / np.maximum(np.maximum(h[i], h[j]), 1e-9)
    # two full-width lines of one column are one text even when the detector drew one taller
    same_measure = np.minimum(w[i], w[j]) >= 0.9 * np.maximum(w[i], w[j])
    ok = (
        (gap > -0.4 * np.minimum(h[i], h[j]))
        & (gap <= cfg.max_gap * np.minimum(h[i], h[j]))
        & (ox >= cfg.min_overlap * np.minimum(w[i], w[j]))
        & ((hr >= cfg.min_height_ratio) | (same_measure & (hr >= 0.66)))
    )
    i, j, gap, ox = i[ok], j[ok], gap[ok], ox[ok]
    sep = _between_mask(boxes[i], boxes[j], obstacles)
    i, j, gap, ox = i[~sep], j[~sep], gap[~sep], ox[~sep]
    if len(i) == 0:
        return nxt
    # best partner each way: smallest gap, then largest overlap
    cost = gap - 1e-3 * ox
    down = _argbest(i, j, cost, n)
    up = _argbest(j, i, cost, n)
    has = down >= 0
    mutual = has.copy()
    mutual[has] = up[down[has]] == np.arange(n)[has]
    nxt[mutual] = down[mutual]
    return nxt


def _argbest(src: np.ndarray, dst: np.ndarray, cost: np.ndarray, n: int) -> np.ndarray:
    """For each src id, the dst with the smallest cost (ties: smallest dst), else -1."""
    best = np.full(n, -1)
    order = np.lexsort((dst, cost, src))
    s = src[order]
    first = np.ones(len(s), bool)
    first[1:] = s[1:] != s[:-1]
    best[s[first]] = dst[order][first]
    return best


def chains(nxt: np.ndarray, boxes: np.ndarray) -> list[np.ndarray]:
    """Connected chains of linked lines, each sorted top to bottom; ordered by (top, left)."""
    n = len(nxt)
    if n == 0:
        return []
    src = np.nonzero(nxt >= 0)[0]
    g = coo_matrix((np.ones(len(src)), (src, nxt[src])), shape=(n, n))
    k, labels = connected_components(g, directed=False)
    order = np.lexsort((boxes[:, 0], boxes[:, 1]))
    groups: dict[int, list[int]] = {}
    for idx in order:
        groups.setdefault(int(labels[idx]), []).append(int(idx))
    out = [np.array(v) for v in groups.values()]
    out.sort(key=lambda a: (boxes[a[0], 1], boxes[a[0], 0]))
    return out


def split_block(idx: np.ndarray, boxes: np.ndarray, texts: list[str],
                cfg: BlockConfig) -> list[tuple[np.ndarray, bool]]:
    """Split one chain where spacing jumps or at subhead lines (own one-line blocks).

    Returns (line indices, is_subhead) per piece.
    """
    if len(idx) < 2:
        return [(idx, False)]
    b = boxes[idx]
    h = np.median(b[:, 3] - b[:, 1])
    gaps = b[1:, 1] - b[:-1, 3]
    med = max(float(np.median(gaps)), 0.15 * h)
    cut = gaps > max(cfg.gap_jump * med, med + 0.5 * h)
    # subhead lines: short, unterminated, after a closed line, centred or followed by an indent
    x0, x1 = b[:, 0].min(), b[:, 2].max()
    left = b[:, 0] - x0
    right = x1 - b[:, 2]
    width = x1 - x0
    t = [texts[k].strip() for k in idx]
    ends_closed = np.array([bool(s) and s[-1] in SENTENCE_END for s in t])
    short = (b[:, 2] - b[:, 0]) < 0.75 * width
    centred = (left > 0.8 * h) & (np.abs(left - right) < 1.5 * h)
    indent_next = np.zeros(len(idx), bool)
    indent_next[:-1] = left[1:] > 0.8 * h
    # with no text (geometry-only input) a line ends a paragraph when it stops short
    ends_short = right > 1.5 * h
    has_text = np.array([bool(s) for s in t])
    prev_closed = np.ones(len(idx), bool)
    prev_closed[1:] = np.where(has_text[:-1], ends_closed[:-1], ends_short[:-1])
    # a heading set in the middle of the column ("P o l e n.") may end with a full stop
    heading = short & prev_closed & (left > 2.0 * h) & (np.abs(left - right) < 1.0 * h)
    sub = short & ~ends_closed & prev_closed & (centred | indent_next) & (width > 4 * h)
    sub |= heading & (width > 4 * h)
    sub[-1] &= centred[-1]
    # a jump line ("下转第3版", "Fortsetzung auf Seite 5") set under the text is its own block
    jump = np.array([bool(s) and len(s) <= 30 and bool(JUMP.search(s)) for s in t])
    cut_before = np.zeros(len(idx), bool)
    cut_before[1:] = cut | jump[1:] | jump[:-1]
    cut_before |= sub
    cut_before[1:] |= sub[:-1]
    cut_before[0] = False
    starts = np.nonzero(cut_before)[0]
    flags = sub[np.concatenate([[0], starts])]
    return [(p, bool(f) and len(p) == 1) for p, f in zip(np.split(idx, starts), flags) if len(p)]


def group_blocks(boxes: np.ndarray, texts: list[str], obstacles: np.ndarray,
                 cfg: BlockConfig | None = None) -> tuple[list[np.ndarray], list[bool]]:
    """Lines → blocks (arrays of line indices, top to bottom), ordered by top then left.

    Also returns, per block, whether it is a one-line subhead cut out of running text.
    """
    cfg = cfg or BlockConfig()
    nxt = link_lines(boxes, obstacles, cfg)
    out: list[tuple[np.ndarray, bool]] = []
    for c in chains(nxt, boxes):
        out.extend(split_block(c, boxes, texts, cfg))
    out.sort(key=lambda a: (boxes[a[0][0], 1], boxes[a[0][0], 0]))
    return [p for p, _ in out], [f for _, f in out]
