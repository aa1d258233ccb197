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

from broadsheet.ink_reach import INK, INK_REACH, ink_kind

from .geometry import group_medians
from .pairs import pairs_below
from .patterns import CREDIT, JUMP, SENTENCE_END, SENTENCE_END_OR_PAUSE, em_counts, mostly_cjk, per_char


SET_APART = 1  # a one-line subhead by its place in the column (`split_chains`)
BOLD_HEAD = 2  # ... by its bold face at the body's size alone (without it, a line of its paragraph)
BOLD_APART = 3  # ... bold at the body's size and set apart by space too (a block without its face)


@dataclass(frozen=True, kw_only=True)
class BlockConfig:
    """Thresholds in units of the line height (em)."""

    max_gap: float = 1.0          # largest white gap between two lines of one block
    min_height_ratio: float = 0.72  # smaller/larger line height allowed inside a block
    min_overlap: float = 0.5      # x-overlap as a fraction of the narrower line
    gap_jump: float = 2.2         # split where a gap exceeds this × the block's median gap
    strip_jump: float = 1.8       # ... or this, where the gap lines up with white across columns
    pitch_jump: float = 0.4       # Latin: split where the line pitch exceeds the block's median by this (frames)
    same_size_ratio: float = 0.75  # type sizes by advance this close: one type, whatever the boxes
    han_size_ratio: float = 0.8   # Han lines each set at its own advance, advances further apart: two types ...
    han_height_ratio: float = 0.9  # ... where their boxes' heights differ by this much as well, the same way
    ink_ratio: float = 0.85       # line heights this close once their letters' reach is allowed for
    ink_apart: float = 0.72       # ... this far apart: two type sizes, on a page whose boxes follow the ink
    scrap_glyphs: int = 2         # a one-line piece this short beside a column line is its lost end
    scrap_row: float = 0.6        # ... when it overlaps the line's row by this much of the lower height
    xh_ratio: float = 0.85        # Latin x-heights (from the image) further apart: two type sizes ...
    xh_box_ratio: float = 0.95    # ... where the boxes' heights differ by this much as well
    xh_same: float = 0.96         # Latin x-heights this close: one type size, whatever the boxes
    bold_ratio: float = 1.3       # Latin stroke weight this many times the body's: a bold line ...
    bold_xh: tuple[float, float] = (0.8, 1.1)  # ... at the body's x-height, times these (a subhead shrunk to fit)
    # bold lines at the body's size cut out as subheads (the stitcher reads the column as it
    # was without the bold face: `reflow.articles.ride_subheads`; docs/ocr.md "Latin end to
    # end, bold subheads")
    bold_subheads: bool = True


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


def link_lines(boxes: np.ndarray, obstacles: np.ndarray, cfg: BlockConfig,
               type_size: np.ndarray | None = None, ink: np.ndarray | None = None,
               xh: np.ndarray | None = None, han_size: np.ndarray | None = None) -> np.ndarray:
    """(N,) int: the line directly below each line in the same block, or -1.

    ``type_size``: per line its type size by advance where measured (`_latin_sizes`), else NaN.
    ``han_size``: per Han line its advance where the line is set at it (`_han_sizes`), else NaN.
    ``ink``: per Latin line the share of its type's full height its letters reach (`_ink_reach`).
    ``xh``: per Latin line its x-height in px measured on the page image (`latin_faces`),
    else NaN.
    """
    n = len(boxes)
    nxt = np.full(n, -1)
    if n < 2:
        return nxt
    h = boxes[:, 3] - boxes[:, 1]
    w = boxes[:, 2] - boxes[:, 0]
    # a line's type height: its box's, or more where its letters do not reach the type's full
    # height (`_ink_reach`); the gap test below may use it for such a line
    ht = h if ink is None else np.maximum(h, h / np.maximum(ink, 1e-9))
    i, j = pairs_below(boxes, cfg.max_gap * ht + 1)
    below = boxes[j, 1] > boxes[i, 1] + 0.5 * h[i]
    i, j = i[below], j[below]
    gap = boxes[j, 1] - boxes[i, 3]
    hmin = np.minimum(h[i], h[j])
    hr = hmin / np.maximum(np.maximum(h[i], h[j]), 1e-9)
    near = (gap > -0.4 * hmin) & (gap <= cfg.max_gap * hmin)
    ox = np.minimum(boxes[i, 2], boxes[j, 2]) - np.maximum(boxes[i, 0], boxes[j, 0])
    # two full-width lines of one column are one text even when the detector drew one taller
    # (both edges aligned, as justified lines are: a kicker over a title of about its width
    # is not one, "山东青岛城阳区试验田喜获丰收" over "盐碱地上长出海水稻")
    same_measure = ((np.minimum(w[i], w[j]) >= 0.9 * np.maximum(w[i], w[j]))
                    & (np.abs(boxes[i, 0] - boxes[j, 0]) < 0.5 * hmin)
                    & (np.abs(boxes[i, 2] - boxes[j, 2]) < 0.5 * hmin))
    same_type = (hr >= cfg.min_height_ratio) | (same_measure & (hr >= 0.66))
    two_han = np.zeros(len(i), bool)
    if han_size is not None:
        # a Han kicker over a title of a size not much bigger ("江西赣州经开区：", 38 px boxes,
        # 36 px advance, over "招大引强交出“硬核”答卷", 49 px, 54 px): one type by the box test
        # (0.78), two by their advances (0.67). Justification only stretches a line past its
        # height (`_han_sizes` leaves it out), so two lines each at its own advance that differ
        # this much, the smaller advance in the lower box too, are two sizes (lines of one
        # height say one type: a box cut to the ink of a line-end "。" shortens the advance)
        ai, aj = han_size[i], han_size[j]
        ar = np.minimum(ai, aj) / np.maximum(np.maximum(ai, aj), 1e-9)
        agree = (ai < aj) == (h[i] < h[j])
        two_han = np.isfinite(ar) & (ar < cfg.han_size_ratio) & (hr < cfg.han_height_ratio) & agree
        same_type &= ~two_han
    # set flush left or centred one over the other (a headline's lines)
    hmax = np.maximum(h[i], h[j])
    aligned = ((np.abs(boxes[i, 0] - boxes[j, 0]) < 0.5 * hmax)
               | (np.abs(boxes[i, 0] + boxes[i, 2] - boxes[j, 0] - boxes[j, 2]) < hmax))
    if type_size is not None:
        # a Latin line with neither ascenders nor descenders ("concurrence avec les") has a
        # box two thirds as tall as its column's; a tight OCR box a few px shorter still fails
        # the test above. Lines of one column measure with their advance as one type.
        si, sj = type_size[i], type_size[j]
        sr = np.minimum(si, sj) / np.maximum(np.maximum(si, sj), 1e-9)
        same_type |= same_measure & (hr >= 0.5) & np.isfinite(sr) & (sr >= cfg.same_size_ratio)
    same_ink = np.zeros(len(i), bool)
    if ink is not None:
        # a headline's last line "neuve" (or "vor", "recrutent") has no ascender or descender:
        # its box is 0.55 of the line above it, though both are one type. Set flush left or
        # centred under it, it is that line's type when its letters explain the difference
        ri, rj = h[i] / ink[i], h[j] / ink[j]
        kr = np.minimum(ri, rj) / np.maximum(np.maximum(ri, rj), 1e-9)
        same_ink = (np.minimum(ink[i], ink[j]) < 1.0) & (kr >= cfg.ink_ratio)
        # or a paragraph's indented first line over the next line of its justified column
        # ("Überschüssiger Strom fliesst", 37 px with its Ü and g, over "ins Netz der
        # Gemeinde. Im", 24 px): both run to one right edge, and neither is short
        justified = ((np.abs(boxes[i, 2] - boxes[j, 2]) < 0.5 * hmin)
                     & (np.minimum(w[i], w[j]) >= 0.85 * np.maximum(w[i], w[j])))
        same_type |= (aligned | justified) & same_ink
        if _boxes_follow_ink(h, ink):
            # and the other way: a column's last line, with ascenders and descenders (33 px),
            # over a kicker of capitals and ascenders alone ("Éducation", 37 px): one type by
            # their boxes, 33 and 47 px types by their letters — the column's end over the next
            # story's head (fr-1100034; lines of one block measure 0.73 apart at most). Only
            # for a short lower line whose box is the taller though its letters reach less:
            # on real scans (NewsEye) boxes of full lines follow their letters too loosely
            head_below = ((ink[j] < ink[i]) & (h[j] > h[i]) & (w[j] < 0.5 * w[i]))
            same_type &= ~((kr < cfg.ink_apart) & (hr >= cfg.min_height_ratio) & head_below)
    if xh is not None:
        # a kicker over its title ("Kultur" in italics over "Ein Basler Museum öffnet sein
        # Depot" in bold): OCR boxes, cut to the ink plus a margin, come out 0.74 of the
        # title's height, one type by the box test, while the type-metric boxes of the ground
        # truth are 0.59. Their x-heights are 20 and 26 px; the lines of one title or one
        # column measure within 4 % of each other (s41 de/fr/en, end to end)
        xr = np.minimum(xh[i], xh[j]) / np.maximum(np.maximum(xh[i], xh[j]), 1e-9)
        two_sizes = np.isfinite(xr) & (xr < cfg.xh_ratio) & (hr < cfg.xh_box_ratio)
        same_type &= ~two_sizes
        same_ink &= ~two_sizes
        # and the other way: a headline's second line whose box the tightening cut to its
        # x-height band ("numérise ses journaux anciens", 32 px under "La Médiathèque
        # Valais", 58 px) measures the same x-height, set flush or centred under it
        one_size = np.isfinite(xr) & (xr >= cfg.xh_same) & (hr >= 0.5) & aligned
        same_type |= one_size
        same_ink |= one_size
    if ink is not None:
        # the white under a line, for a pair of one type only by its letters' reach, is
        # measured in that type's height, not the small box's: a paragraph's last line of
        # x-height letters ("resse.", 17 px under lines of 33) sits 18 px below the line it
        # ends. Not for boxes of one height by the box test (a kicker over its title)
        tmin = np.minimum(np.minimum(ht[i], ht[j]), hmax)
        near |= ((gap > -0.4 * hmin) & (gap <= cfg.max_gap * tmin) & same_ink
                 & (hr < cfg.min_height_ratio))
    ok = near & (ox >= cfg.min_overlap * np.minimum(w[i], w[j])) & same_type
    li, lj, lgap, lox = i[ok], j[ok], gap[ok], ox[ok]
    sep = _between_mask(boxes[li], boxes[lj], obstacles)
    li, lj, lgap, lox = li[~sep], lj[~sep], lgap[~sep], lox[~sep]
    if len(li) == 0:
        return nxt
    # best partner each way: smallest gap, then largest overlap
    nxt = _mutual_best(li, lj, lgap - 1e-3 * lox, n)
    # the same candidate pairs, at similar height, for the links across a paragraph indent
    # (a paragraph's short last line "ments." is as much the column's type as the lines above)
    same = near & ((hr >= cfg.min_height_ratio) | same_ink) & ~two_han
    if xh is not None:
        same &= ~two_sizes
    return _link_across_indent(boxes, nxt, h, i[same], j[same], gap[same], cfg, obstacles,
                               short_only=~(hr >= cfg.min_height_ratio)[same])


def _boxes_follow_ink(h: np.ndarray, ink: np.ndarray, min_lines: int = 5) -> bool:
    """Whether the page's line boxes are cut to their letters' ink: its lines that rise but do
    not fall (`_ink_reach` 0.78) are clearly shorter than those that do both (generated pages
    0.79 of them). Boxes drawn to the type's full height do not show it, and their letters'
    reach says nothing about their type. NewsEye's PAGE XML boxes pass (0.78–0.86) but follow
    the letters loosely line by line: the test that uses this is narrow (`link_lines`)."""
    rise, both = h[ink == INK_REACH[1]], h[ink == 1.0]
    if len(rise) < min_lines or len(both) < min_lines:
        return False
    return bool(np.median(rise) < 0.9 * np.median(both))


def _mutual_best(i: np.ndarray, j: np.ndarray, cost: np.ndarray, n: int) -> np.ndarray:
    """(N,) the partner below each line where the two pick each other, else -1."""
    nxt = np.full(n, -1)
    if len(i) == 0:
        return nxt
    down = _argbest(i, j, cost, n)
    up = _argbest(j, i, cost, n)
    has = down >= 0
    mutual = has.copy()
    mutual[has] = up[down[has]] == np.arange(n)[has]
    nxt[mutual] = down[mutual]
    return nxt


def _link_across_indent(boxes: np.ndarray, nxt: np.ndarray, h: np.ndarray, i: np.ndarray, j: np.ndarray,
                        gap: np.ndarray, cfg: BlockConfig, obstacles: np.ndarray,
                        short_only: np.ndarray | None = None) -> np.ndarray:
    """Link a paragraph's short last line to the indented first line of the next one.

    "十足。" (2.4 em) over "　　“我们可以同时" (indent 2.6 em) do not overlap at all, so the
    line test leaves the new paragraph a block of its own — at the foot of a column a one-line
    block that looks like a subhead. Between the end of one chain and the start of another
    (candidate pairs ``i`` over ``j`` close enough and of similar height), measure the overlap
    on the chains' whole widths (the column) instead. ``short_only`` (per candidate pair): the
    pair is of one type only by its letters' reach (`_ink_reach`), so the upper line must be
    such a short last line (under 0.6 of its column), not a full line over a smaller one.
    """
    n = len(boxes)
    has_pred = np.zeros(n, bool)
    has_pred[nxt[nxt >= 0]] = True
    lab = chain_labels(nxt)
    keep = (nxt[i] < 0) & ~has_pred[j] & (lab[i] != lab[j])
    if not keep.any():
        return nxt
    i, j, gap = i[keep], j[keep], gap[keep]
    short_only = np.zeros(len(i), bool) if short_only is None else short_only[keep]
    x0 = np.full(lab.max() + 1, np.inf)
    x1 = np.full(lab.max() + 1, -np.inf)
    np.minimum.at(x0, lab, boxes[:, 0])
    np.maximum.at(x1, lab, boxes[:, 2])
    ci, cj = lab[i], lab[j]
    ox = np.minimum(x1[ci], x1[cj]) - np.maximum(x0[ci], x0[cj])
    wi, wj = x1[ci] - x0[ci], x1[cj] - x0[cj]
    # the upper chain is a column of text (two lines or more) and the lower line lies inside it
    ok = ((ox >= cfg.min_overlap * np.minimum(wi, wj))
          & (boxes[j, 0] >= x0[ci] - 0.5 * h[i]) & (boxes[j, 2] <= x1[ci] + 0.5 * h[i])
          & (wi >= 3 * h[i]) & (np.bincount(lab)[ci] >= 2)
          & (~short_only | (boxes[i, 2] - boxes[i, 0] < 0.6 * wi)))
    i, j, gap, ox, ci = i[ok], j[ok], gap[ok], ox[ok], ci[ok]
    sep = _between_mask(np.column_stack([x0[ci], boxes[i, 1], x1[ci], boxes[i, 3]]), boxes[j], obstacles)
    i, j, gap, ox = i[~sep], j[~sep], gap[~sep], ox[~sep]
    extra = _mutual_best(i, j, gap - 1e-3 * ox, n)
    out = nxt.copy()
    add = extra >= 0
    out[add] = extra[add]
    return out


def _argbest(src: np.ndarray, dst: np.ndarray, cost: np.ndarray, n: int) -> np.ndarray:
    """For each src id, the dst with the smallest cost (ties: smallest dst), else -1."""
    best = np.full(n, -1)
    order = np.lexsort((dst, cost, src))
    s = src[order]
    first = np.ones(len(s), bool)
    first[1:] = s[1:] != s[:-1]
    best[s[first]] = dst[order][first]
    return best


def chain_labels(nxt: np.ndarray) -> np.ndarray:
    """(N,) the chain (connected component of links) of each line."""
    n = len(nxt)
    src = np.nonzero(nxt >= 0)[0]
    g = coo_matrix((np.ones(len(src)), (src, nxt[src])), shape=(n, n))
    return connected_components(g, directed=False)[1]


def chains(nxt: np.ndarray, boxes: np.ndarray) -> list[np.ndarray]:
    """Connected chains of linked lines, each sorted top to bottom; ordered by (top, left)."""
    n = len(nxt)
    if n == 0:
        return []
    labels = chain_labels(nxt)
    k = int(labels.max()) + 1
    order = np.lexsort((boxes[:, 0], boxes[:, 1]))
    lab = labels[order]
    # chains in order of their first (top, left) line, lines inside a chain in that order too
    first = np.full(k, n)
    np.minimum.at(first, lab, np.arange(n))
    rank = np.empty(k, np.int64)
    rank[np.argsort(first, kind="stable")] = np.arange(k)
    seq = order[np.argsort(rank[lab], kind="stable")]
    return np.split(seq, np.cumsum(np.bincount(rank[lab], minlength=k))[:-1])


def _white_across(boxes: np.ndarray, y0: np.ndarray, y1: np.ndarray, x0: np.ndarray,
                  x1: np.ndarray) -> np.ndarray:
    """(K,) bool: the band y0[k]..y1[k] beside the column x0[k]..x1[k] is white in another
    column of text too — a neighbouring column's lines stop just above the band and no line
    reaches into it between the two columns.

    Columns set on one baseline grid have their ordinary line gaps at the same heights, so a
    band counts only where it is clearly taller than those gaps (the caller's jump test).
    Lines are short in height: the lines near a band start at most two tallest lines above
    it, found by a sorted sweep, not a K × N matrix.
    """
    K = len(y0)
    out = np.zeros(K, bool)
    if K == 0 or len(boxes) == 0:
        return out
    order = np.argsort(boxes[:, 1], kind="stable")
    top = boxes[order, 1]
    tall = float((boxes[:, 3] - boxes[:, 1]).max())
    lo = np.searchsorted(top, y0 - 2.0 * tall, side="left")
    hi = np.searchsorted(top, y1, side="left")
    cnt = hi - lo
    k = np.repeat(np.arange(K), cnt)
    j = order[np.repeat(lo - np.cumsum(cnt) + cnt, cnt) + np.arange(cnt.sum())]
    bj = boxes[j]
    w = (x1 - x0)[k]
    left = bj[:, 2] <= x0[k] + 1
    right = (bj[:, 0] >= x1[k] - 1) & ~left
    side = left | right
    # how far out from the column a line stands (0 for lines over the column itself)
    dist = np.maximum(np.maximum(x0[k] - bj[:, 2], bj[:, 0] - x1[k]), 0.0)
    intrudes = side & (bj[:, 3] > y0[k]) & (bj[:, 1] < y1[k])
    # walls per side: a column running on through the band to the left stands between
    # nothing and a neighbour that stops on the right (a story's first column beside
    # another story's text, as far out as its own next column)
    wall = np.full((2, K), np.inf)
    s = right.astype(np.int64)
    np.minimum.at(wall, (s[intrudes], k[intrudes]), dist[intrudes])
    # a neighbour's line that ends just above the band, nearer than any line reaching into it
    # on its side
    stops = (side & (bj[:, 3] <= y0[k] + 1) & (bj[:, 3] >= y0[k] - 0.5 * tall) & (dist < wall[s, k])
             & (dist < 2.0 * w))
    out[k[stops]] = True
    return out


def split_chains(chain_list: list[np.ndarray], boxes: np.ndarray, texts: list[str],
                 cfg: BlockConfig, solid: bool = False,
                 heads_apart: bool = False, bold: np.ndarray | None = None
                 ) -> tuple[list[np.ndarray], np.ndarray, np.ndarray]:
    """Split chains where spacing jumps or at subhead lines (own one-line blocks), all chains
    in one pass over the concatenated lines (a per-chain loop costs ~0.1 ms a chain).

    Returns the pieces in chain order, per piece whether it is a one-line subhead:
    `SET_APART` by its place in the column, `BOLD_HEAD` by its face alone, `BOLD_APART` by
    both, 0 otherwise — and per piece whether it runs on from the piece before it in its
    chain but for a bold subhead's cut (without the bold face, the two were one piece).
    ``solid``: the page is set in Han type (ink boxes are the em), so strip edges are seen.
    ``heads_apart``: Latin x-heights kept kickers apart from their titles (`link_lines`), so
    a chain may open with a headline's first line.
    ``bold``: per page line, whether it is set bold at the body's size (`bold_lines`).
    """
    if not chain_list:
        return [], np.zeros(0, np.int8), np.zeros(0, bool)
    idx = np.concatenate(chain_list)
    sizes = np.array([len(c) for c in chain_list])
    n = len(idx)
    cid = np.repeat(np.arange(len(sizes)), sizes)
    head = np.cumsum(sizes) - sizes           # position of each chain's first line
    first = np.zeros(n, bool)
    first[head] = True
    last = np.zeros(n, bool)
    last[head + sizes - 1] = True
    b = boxes[idx]
    hc = group_medians(b[:, 3] - b[:, 1], [np.arange(o, o + s) for s, o in zip(sizes, head)])
    h = hc[cid]
    # gaps inside chains (position p: gap between line p-1 and line p)
    gap = np.zeros(n)
    gap[1:] = b[1:, 1] - b[:-1, 3]
    multi = sizes >= 2
    gap_groups = [np.arange(o + 1, o + s) for s, o in zip(sizes[multi], head[multi])]
    med_c = np.zeros(len(sizes))
    if gap_groups:
        med_c[multi] = np.maximum(group_medians(gap, gap_groups), 0.15 * hc[multi])
    med = med_c[cid]
    cut = ~first & (gap > np.maximum(cfg.gap_jump * med, med + 0.5 * h))
    pitch_cut = np.zeros(n, bool)
    if not solid and cfg.pitch_jump > 0:
        t_idx = [texts[k] for k in idx.tolist()]
        rises = (_ink_reach(t_idx) >= INK_REACH[1]) & np.array([bool(s.strip()) for s in t_idx], dtype=bool)
        pitch_cut = _pitch_jumps(b, cid, head, sizes, h, first, cfg.pitch_jump, rises) & ~cut
        cut |= pitch_cut
    # a smaller jump that lines up with white across the neighbouring columns is a strip's
    # edge: a story set in strips is read strip by strip, so its columns end there. Only
    # where type is set solid (Han glyphs fill the em): Latin ink boxes swing with ascenders
    # and descenders, and a line with neither leaves such a gap in every column on the grid
    x0, x1 = _chain_edges(b, cid, head, sizes, hc, solid)
    x0, x1 = x0[cid], x1[cid]
    maybe = np.nonzero(~first & ~cut & (gap > np.maximum(cfg.strip_jump * med, med + 0.35 * h)))[0]
    if len(maybe) and solid:
        top, bot = b[maybe - 1, 3], b[maybe, 1]
        core = 0.2 * (bot - top)
        cut[maybe] = _white_across(boxes, top + core, bot - core, x0[maybe], x1[maybe])
    # subhead lines: short, unterminated, after a closed line, centred or followed by an indent
    left = b[:, 0] - x0
    right = x1 - b[:, 2]
    width = x1 - x0
    t = [texts[k].strip() for k in idx.tolist()]  # plain ints: NumPy scalars are slow indices
    ends_closed = np.array([bool(s) and s[-1] in SENTENCE_END for s in t], dtype=bool)
    # a heading never stops on a comma: "十一月的阿克苏，" is a short first line of a paragraph
    ends_pause = np.array([bool(s) and s[-1] in SENTENCE_END_OR_PAUSE for s in t], dtype=bool)
    short = (b[:, 2] - b[:, 0]) < 0.75 * width
    centred = (left > 0.8 * h) & (np.abs(left - right) < 1.5 * h)
    indent_next = np.zeros(n, bool)
    indent_next[:-1] = left[1:] > 0.8 * h[:-1]
    indent_next &= ~last
    # with no text (geometry-only input) a line ends a paragraph when it stops short of the
    # lines beside it in the chain — not of the chain's widest line, which may be a headline
    # across the page chained in above the column (NewsEye 0034: every full line "ended short")
    x1_above = np.where(first, -np.inf, np.roll(b[:, 2], 1))
    x1_below = np.where(last, -np.inf, np.roll(b[:, 2], -1))
    ends_short = np.maximum(x1_above, x1_below) - b[:, 2] > 1.5 * h
    has_text = np.array([bool(s) for s in t], dtype=bool)
    prev_closed = np.ones(n, bool)
    prev_closed[1:] = np.where(has_text[:-1], ends_closed[:-1], ends_short[:-1])
    prev_closed |= first
    if heads_apart:
        # a Latin chain's first line stands over running text when the line below is a line
        # of the column, out to its right edge; a centred headline's short first line
        # ("Junge" over "Uhrmacher / finden wieder / Lehrstellen", its kicker a block of its
        # own) is set over more short lines
        text_below = np.zeros(n, bool)
        text_below[:-1] = ((np.abs(x1[:-1] - b[1:, 2]) < 0.25 * h[:-1])
                           & ((b[1:, 2] - b[1:, 0]) >= 0.75 * width[:-1]) & ~last[:-1])
        prev_closed[first] = text_below[first]
    # a heading set in the middle of the column ("P o l e n.") may end with a full stop
    heading = short & prev_closed & (left > 2.0 * h) & (np.abs(left - right) < 1.0 * h)
    sub = short & ~ends_pause & prev_closed & (centred | indent_next) & (width > 4 * h)
    # set apart: clearly more space above and below than between the column's lines, less than
    # a full line wide, after a closed line and before an indented one ("从试验田走向大田")
    gap_below = np.zeros(n)
    gap_below[:-1] = gap[1:]
    inner = np.where(first, np.inf, gap)  # the chain's tightest spacing, which subheads do not widen
    tight = np.minimum.reduceat(inner, head)[cid]
    wide = np.maximum(0.6 * h, 1.8 * np.maximum(tight, 0.0))
    roomy = (gap > wide) & (gap_below > wide) & ~first & ~last
    sub |= roomy & ~ends_pause & prev_closed & indent_next & ((b[:, 2] - b[:, 0]) < 0.92 * width) & (width > 4 * h)
    # ... and at the top of a column, where the space above is not seen: an unterminated line
    # set apart from an indented paragraph below it ("从试验田走向大田" opening a column). The
    # paragraph's first line runs out to the column's right edge; a centred headline's next
    # line does not ("Les moules" over "quagga" / "envahissent le" / "Léman": the box of
    # "quagga", without ascenders, starts low and widens the gap above it)
    runs_out = np.zeros(n, bool)
    runs_out[:-1] = np.abs(x1[:-1] - b[1:, 2]) < 0.5 * h[:-1]
    sub |= first & (gap_below > wide) & ~ends_pause & indent_next & runs_out & (width > 4 * h)
    sub |= heading & (width > 4 * h)
    sub &= ~last | centred
    sub &= (sizes >= 2)[cid]  # a lone line stays as it is
    # a bold line at the body's size between regular lines of a column, after a closed one or
    # opening the column (its x-height is the body's: no headline's first line):
    # a subhead set flush left over its paragraph, as wide as the column or nearly
    # ("Ein Vlies gegen die Schmelze"), which no test of place sees. Not a line of a bold
    # paragraph (a lead): its neighbours in the column are bold too
    bold_sub = np.zeros(n, bool)
    place = sub.copy()
    if bold is not None:
        bl = bold[idx]
        bold_prev = np.zeros(n, bool)
        bold_prev[1:] = bl[:-1]
        bold_next = np.zeros(n, bool)
        bold_next[:-1] = bl[1:]
        bold_sub = (bl & ~(bold_prev & ~first) & ~(bold_next & ~last) & ~last & (prev_closed | first)
                    & ~ends_pause & (sizes >= 2)[cid])
        sub |= bold_sub
    # a jump line ("下转第3版", "Fortsetzung auf Seite 5") set under the text is its own block
    jump = np.array([bool(s) and len(s) <= 30 and bool(JUMP.search(s)) for s in t], dtype=bool)
    # ... and so is a photo credit that is a line of its own ("郭立杰摄(中经视觉)" right over a
    # caption's columns: OCR boxes, a little taller than the type, leave less than a line's
    # white between them and chain it in). Not a caption line that ends with its credit
    # ("…挖掘机产品。郭立杰摄"): that one holds a sentence.
    # (the credit pattern, rarely matched, is asked before the line's marks are scanned)
    jump |= np.array([bool(s) and len(s) <= 30 and bool(CREDIT.search(s))
                      and not any(c in "。.!?！？" for c in s[:-1]) for s in t], dtype=bool)
    cut_before = cut | sub | jump
    cut_before[1:] |= (sub[:-1] | jump[:-1]) & ~last[:-1]
    cut_before[first] = False
    starts = np.nonzero(cut_before | first)[0]
    pieces = np.split(idx, starts[1:])
    one = np.diff(np.append(starts, n)) == 1
    # a bold subhead that is a piece of its own without its face too (by a spacing jump or
    # its place): `BOLD_APART`
    bold_apart = np.zeros(n, bool)
    # where a piece starts without the bold cuts (a chain's start, a spacing jump, a subhead
    # by its place, a jump line)
    start0 = cut_before | first
    if bold_sub.any():
        # a pitch jump at a bold subhead's edge is the subhead's own space: its place and its
        # run on (`BOLD_HEAD`) stay as the bold face set them (en-4100131 end to end)
        at_bold = bold_sub.copy()
        at_bold[1:] |= bold_sub[:-1]
        cut0 = (cut & ~(pitch_cut & at_bold)) | place | jump
        cut0[1:] |= (place[:-1] | jump[:-1]) & ~last[:-1]
        start0 = cut0 | first
        bold_apart = bold_sub & start0 & (np.append(start0[1:], True) | last)
    flags = np.where(sub[starts] & one, np.where(bold_apart[starts], BOLD_APART,
                                                  np.where(bold_sub[starts], BOLD_HEAD, SET_APART)), 0).astype(np.int8)
    return pieces, flags, ~start0[starts]


def _pitch_jumps(b: np.ndarray, cid: np.ndarray, head: np.ndarray, sizes: np.ndarray, h: np.ndarray,
                 first: np.ndarray, jump: float, rises: np.ndarray | None = None) -> np.ndarray:
    """(n,) where a Latin column's line pitch (top to top) jumps: more than ``jump`` line
    heights over the chain's median pitch, between two lines of one box height or two whose
    letters both reach the ascender line (``rises``: their tops are that line). Latin ink
    boxes swing with ascenders and descenders, so the white between lines varies by a third of
    a line; their tops (capitals, ascenders: every line of running text has some) keep the
    pitch. Half a line of extra white in a column set at an even pitch is where one frame of
    text ends and another begins below it (a story's second frame set on under its first, or
    another story's: de-11300339 "…Klos-" over "700 Bände…"), or a subhead set apart by
    space over a flush paragraph, not a paragraph break. Chains of four lines or more (a
    median of three pitches); not before a chain's last line (a lone line set apart at a
    column's foot is a subhead over the next column: the subhead tests and the bold face place
    it, and en-11300341 with the image lost its two such subheads' places when cut here)."""
    n = len(b)
    last = np.zeros(n, bool)
    last[head + sizes - 1] = True
    pitch = np.full(n, np.nan)
    pitch[1:] = b[1:, 1] - b[:-1, 1]
    pitch[first] = np.nan
    big = sizes >= 4
    out = np.zeros(n, bool)
    if not big.any():
        return out
    groups = [np.arange(o + 1, o + s) for s, o in zip(sizes[big], head[big])]
    med = np.full(len(sizes), np.nan)
    med[big] = group_medians(pitch, groups)
    m = med[cid]
    hgt = b[:, 3] - b[:, 1]
    same = np.ones(n, bool)
    same[1:] = np.minimum(hgt[1:], hgt[:-1]) >= 0.8 * np.maximum(hgt[1:], hgt[:-1])
    if rises is not None:
        # two lines whose letters both rise to the ascender line (`_ink_reach`) have their
        # tops there whatever their boxes' feet: on a scan the detector's boxes of one column
        # jitter by a quarter of a line ("thematisiert. Bei jedem Objekt", 36 px, over "Der
        # Eintritt ins Schaulager ist", 28 px; de-28000842), and the pitch still holds
        same[1:] |= rises[1:] & rises[:-1]
    with np.errstate(invalid="ignore"):
        out = ~first & ~last & same & (pitch > m + jump * h) & (pitch > 1.3 * m)
    return out & ~np.isnan(m)


def _chain_edges(b: np.ndarray, cid: np.ndarray, head: np.ndarray, sizes: np.ndarray, hc: np.ndarray,
                 solid: bool) -> tuple[np.ndarray, np.ndarray]:
    """Per chain, its column's left and right edges: the outermost line edges, except on a Han
    page (``solid``), where in a chain of five lines or more a single line sticking out over
    half a line height past all the others is not the column's measure but a box error — one
    line the detector read across the gutter ("义。经开区…政策保障、400余家，…" from x 1011 over
    a column at 1454), or a box run past the column's edge (x 429 over lines ending at 401–404).
    Measured against such a width, every full line of the column looked short, and the indented
    first line of a paragraph after a closed one "centred": a subhead. In a chain of three or
    four lines the lines' own widths differ by design (a centred subhead over the two lines of
    its paragraph, x 198–462 over 218–514 and 153–512): the outermost line is the measure."""
    x0 = np.minimum.reduceat(b[:, 0], head)
    x1 = np.maximum.reduceat(b[:, 2], head)
    if not solid:
        return x0, x1
    many = sizes >= 5
    if not many.any():
        return x0, x1
    # the second outermost edge of each chain: lines sorted by edge within their chain
    by_left = np.lexsort((b[:, 0], cid))
    by_right = np.lexsort((-b[:, 2], cid))
    second = np.minimum(head + 1, len(b) - 1)
    x0_2, x1_2 = b[by_left[second], 0], b[by_right[second], 2]
    out = 0.5 * hc
    x0 = np.where(many & (x0_2 - x0 > out), x0_2, x0)
    x1 = np.where(many & (x1 - x1_2 > out), x1_2, x1)
    return x0, x1


def _latin_sizes(boxes: np.ndarray, texts: list[str], min_ems: float = 8.0) -> np.ndarray:
    """(N,) type size by advance per character of Latin lines with at least ``min_ems`` ems
    of text, NaN elsewhere (Han lines: their boxes are the em already; short lines: too few
    characters to average out capitals and justified spaces — a line stretched by
    justification only fails to link on its advance, as it did before)."""
    ems, han = em_counts(texts)
    w = boxes[:, 2] - boxes[:, 0]
    return np.where((ems >= min_ems) & (han < 0.2), w / np.maximum(ems, 1e-9), np.nan)


def _han_sizes(boxes: np.ndarray, texts: list[str], min_chars: int = 6,
               spread: tuple[float, float] = (0.8, 1.25)) -> np.ndarray:
    """(N,) advance per character of Han lines of at least ``min_chars`` characters whose
    advance is within ``spread`` of their box height (a Han glyph is square: such a line is set
    at its type's own advance), NaN elsewhere — a line stretched by justification ("见面招商卓有成"
    across nine cells), letter-spaced, or boxed taller than its glyphs says nothing, nor does a
    paragraph's short last line: its box cut to the ink of the "。" it ends on ("允说。") makes
    its advance up to a quarter short."""
    ems, han = em_counts(texts)
    h = boxes[:, 3] - boxes[:, 1]
    adv = (boxes[:, 2] - boxes[:, 0]) / np.maximum(ems, 1e-9)
    own = (adv >= spread[0] * h) & (adv <= spread[1] * h)
    return np.where((ems >= min_chars) & (han >= 0.6) & own, adv, np.nan)


def _ink_reach(texts: list[str]) -> np.ndarray:
    """(N,) how much of its type's full height each Latin line's letters reach (`INK_REACH`):
    0.56 for "neuve", 1.0 for "Lyon" and for a line without text, 1.12 for "Übergang". Each distinct character is
    classified once per page (`patterns.per_char`), and each
    line's classes are OR-ed in one `reduceat`."""
    cp, lens, kinds = per_char(texts, ink_kind, np.int8)
    out = np.ones(len(texts))
    if len(cp) == 0:
        return out
    has = lens > 0
    acc = np.bitwise_or.reduceat(kinds, (np.cumsum(lens) - lens)[has])
    ink = (acc & INK) > 0  # a line of spaces alone has no ink to measure
    reach = INK_REACH[(acc & 7).astype(np.int64)]
    out[np.nonzero(has)[0][ink]] = reach[ink]
    return out


def latin_faces(gray: np.ndarray, boxes: np.ndarray, texts: list[str],
                min_lower: int = 3) -> tuple[np.ndarray, np.ndarray]:
    """(x-heights, stroke weights), each (N,), of the Latin lines, from the page image; NaN for
    other lines.

    The x-height is the run of the box's rows inked at least half as heavily as its heaviest
    row: ascenders, descenders and capitals are thin beside the x-height band, whatever the
    letters. A line needs ``min_lower`` lowercase letters (a line in capitals measures its cap
    height) and no Han glyph. Ink is darker than halfway between paper and ink (show-through
    stays paper); a row inked across the box is a rule, not type, and only the heaviest run
    of inked rows counts (a dashed rule over a kicker is a run of its own).

    The stroke weight is the mean run of ink along the rows of the x-height band (the ink over
    the number of runs: mostly stems, which a bold face sets about half as thick again), over
    the x-height: 0.24 for the body's regular serif, 0.38–0.40 for its bold (seed-41 pages).
    """
    n = len(boxes)
    out = np.full(n, np.nan)
    weight = np.full(n, np.nan)
    if n == 0:
        return out, weight
    H, W = gray.shape[:2]
    step = max(1, H // 600), max(1, W // 600)
    sample = gray[::step[0], ::step[1]]
    ink, paper = np.percentile(sample, [1, 60])
    thr = (float(paper) + float(ink)) / 2.0
    lower = np.array([sum(c.islower() for c in t) >= min_lower and not any("\u3400" <= c <= "\u9fff" for c in t)
                      for t in texts], bool)
    b = np.round(boxes).astype(np.int64)
    b[:, [0, 2]] = np.clip(b[:, [0, 2]], 0, W)
    b[:, [1, 3]] = np.clip(b[:, [1, 3]], 0, H)
    for k in np.flatnonzero(lower & (b[:, 2] - b[:, 0] >= 2) & (b[:, 3] - b[:, 1] >= 4)).tolist():
        x0, y0, x1, y1 = b[k].tolist()
        inked = gray[y0:y1, x0:x1] < thr
        prof = np.count_nonzero(inked, axis=1)
        prof[prof >= 0.9 * (x1 - x0)] = 0
        # the heaviest run of inked rows: a dashed rule the box took in over a kicker
        # ("Éducation") is a run of its own, apart from the letters
        edges = np.diff(np.concatenate([[0], (prof > 0).astype(np.int8), [0]]))
        starts, ends = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)
        if len(starts) == 0:
            continue
        mass = np.add.reduceat(prof, starts)
        r = int(np.argmax(mass))
        run = prof[starts[r]:ends[r]]
        core = np.flatnonzero(run >= 0.5 * run.max())
        out[k] = float(core[-1] - core[0] + 1)
        band = inked[starts[r] + core[0]:starts[r] + core[-1] + 1]
        runs = np.count_nonzero(band[:, 1:] & ~band[:, :-1]) + np.count_nonzero(band[:, 0])
        weight[k] = float(np.count_nonzero(band)) / max(runs, 1) / out[k]
    return out, weight


def bold_lines(xh: np.ndarray, weight: np.ndarray, cfg: BlockConfig) -> np.ndarray:
    """(N,) bool: Latin lines at the body's x-height set in a heavier face than the body.

    The body is the page's most common type: its x-height the median of the measured lines',
    its stroke weight the median of the lines within 10 % of that x-height. A line whose
    x-height is within ``cfg.bold_xh`` times the body's (a subhead too long for the column is
    set up to 15 % smaller: 14 px against 17) and whose weight is ``cfg.bold_ratio`` times the
    body's or more is bold (a subhead: 0.38 against 0.24). Lines without a measure are not bold.
    """
    out = np.zeros(len(xh), bool)
    ok = np.isfinite(xh) & np.isfinite(weight)
    if ok.sum() < 3:
        return out
    body_xh = float(np.median(xh[ok]))
    x = np.where(ok, xh, 0.0)
    ref = ok & (np.abs(x - body_xh) <= 0.1 * body_xh)
    body_w = float(np.median(weight[ref]))
    lo, hi = cfg.bold_xh
    near = ok & (x >= lo * body_xh) & (x <= hi * body_xh)
    out[near] = weight[near] >= cfg.bold_ratio * body_w
    return out


def bold_over_text(pieces: list[np.ndarray], flags: np.ndarray, boxes: np.ndarray, texts: list[str],
                   bold: np.ndarray) -> np.ndarray:
    """Flag as `BOLD_APART` each bold line (`bold_lines`) that is a block of its own, stops on no
    pause, and stands right over a block of two lines or more in regular type in its column:
    a subhead set off by space above and below, more than a line's height either side, which
    no chain holds (`link_lines`: "Un appel aux bénévoles" 33 px over its paragraph's first
    line, its box 38 px high)."""
    sizes = np.array([len(p) for p in pieces])
    first = np.array([int(p[0]) for p in pieces])
    lone = np.flatnonzero((sizes == 1) & bold[first] & (np.asarray(flags) == 0))
    lone = lone[[not (t := texts[first[k]].strip()) or t[-1] not in SENTENCE_END_OR_PAUSE for k in lone.tolist()]] \
        if len(lone) else lone
    hosts = np.flatnonzero((sizes >= 2) & ~bold[first])
    if not len(lone) or not len(hosts):
        return flags
    s, f = boxes[first[lone]], boxes[first[hosts]]
    h = (s[:, 3] - s[:, 1])[:, None]
    ov = np.minimum(s[:, None, 2], f[None, :, 2]) - np.maximum(s[:, None, 0], f[None, :, 0])
    narrow = np.minimum((s[:, 2] - s[:, 0])[:, None], (f[:, 2] - f[:, 0])[None, :])
    gap = f[None, :, 1] - s[:, None, 3]
    over = (ov >= 0.5 * narrow) & (gap > -0.3 * h) & (gap < 2.5 * h)
    out = np.array(flags, copy=True)
    out[lone[over.any(axis=1)]] = BOLD_APART
    return out


def split_grid_rows(pieces: list[np.ndarray], flags: np.ndarray, runs: np.ndarray, boxes: np.ndarray,
                    *, max_lines: int = 2, row_overlap: float = 0.5, centre_tol: float = 0.1
                    ) -> tuple[list[np.ndarray], np.ndarray, np.ndarray]:
    """Cut a short block between two lines where the page is read row by row: the white band
    between them crosses the whole page, and each of the two lines has a partner far beside
    it in its row (further away than either is wide).

    A nameplate set as a grid ("Nr. 55." over "Zürcher" on the left, "1780." over "Zeitung"
    on the right) links its stacked lines into one block per side, which hides the clean
    cuts between the rows; the title then reads "Nr. 55. Zürcher 1780. Zeitung". Columns of
    a body never qualify: a band between two lines of one column is crossed by the lines of
    the next column, and the nearest line in a row must be a cell of its own (a line of a
    short block); the two lines must be centred on each other and of different widths (two
    lines flush left are one heading's or caption's). ``max_lines``: only blocks this short
    (headings, mastheads) are cut.
    Returns pieces, flags and runs as `split_chains` does (new pieces: 0 / False).
    """
    short = [k for k, p in enumerate(pieces) if 2 <= len(p) <= max_lines]
    if not short or len(boxes) < 4:
        return pieces, flags, runs
    a = np.concatenate([pieces[k][:-1] for k in short])
    b = np.concatenate([pieces[k][1:] for k in short])
    piece = np.concatenate([np.full(len(pieces[k]) - 1, k) for k in short])
    # the page's clean cuts (white from edge to edge), one sweep over lines sorted by top:
    # a cut lies between the lowest bottom so far and the next top; the link is cut-free
    # unless one of these white bands lies between a's bottom and b's top
    order = np.argsort(boxes[:, 1], kind="stable")
    reach = np.maximum.accumulate(boxes[order, 3])[:-1]
    nxt_top = boxes[order[1:], 1]
    white = nxt_top > reach
    lo, hi = reach[white], nxt_top[white]  # disjoint, ascending
    k = np.searchsorted(hi, boxes[a, 3], side="right")  # first band ending below a's bottom
    clean = k < len(lo)
    clean[clean] = lo[k[clean]] < boxes[b[clean], 1]
    if not clean.any():
        return pieces, flags, runs
    a, b, piece = a[clean], b[clean], piece[clean]

    # the cells of a grid are centred, each line of its own width; lines set flush left are
    # a heading's or a caption's run-on lines
    wmax = np.maximum(boxes[a, 2] - boxes[a, 0], boxes[b, 2] - boxes[b, 0])
    centred = np.abs((boxes[a, 0] + boxes[a, 2]) - (boxes[b, 0] + boxes[b, 2])) / 2 <= centre_tol * wmax
    centred &= np.abs(boxes[a, 0] - boxes[b, 0]) >= centre_tol * wmax
    if not centred.any():
        return pieces, flags, runs
    a, b, piece = a[centred], b[centred], piece[centred]
    lens = np.array([len(p) for p in pieces])
    size = np.zeros(len(boxes), np.int64)  # lines in each line's piece
    size[np.concatenate(pieces)] = np.repeat(lens, lens)
    h = boxes[:, 3] - boxes[:, 1]
    w = boxes[:, 2] - boxes[:, 0]
    tops = boxes[order, 1]

    def far_cell(q: np.ndarray) -> np.ndarray:
        """(Q, 2) bool: the next line in q's row to its left / right is further away than
        either is wide (the row holds nothing between them) and is itself a short block's
        line, a cell of the grid (a line of a column there is a story beside a heading).
        The row's lines are read from a window of the lines sorted by top (no Q × N array)."""
        lo_k = np.searchsorted(tops, boxes[q, 1] - h.max(), side="left")
        hi_k = np.searchsorted(tops, boxes[q, 3], side="right")
        cnt = hi_k - lo_k
        qi = np.repeat(np.arange(len(q)), cnt)
        j = order[np.repeat(lo_k, cnt) + np.arange(cnt.sum()) - np.repeat(np.cumsum(cnt) - cnt, cnt)]
        qq = q[qi]
        oy = np.minimum(boxes[qq, 3], boxes[j, 3]) - np.maximum(boxes[qq, 1], boxes[j, 1])
        row = oy >= row_overlap * np.minimum(h[qq], h[j])
        room = np.maximum(w[qq], w[j])
        out = []
        for gap in (boxes[qq, 0] - boxes[j, 2], boxes[j, 0] - boxes[qq, 2]):
            ok = row & (gap > 0)
            g = np.full(len(q), np.inf)
            np.minimum.at(g, qi[ok], gap[ok])
            nearest = ok & (gap == g[qi])
            far = np.zeros(len(q), bool)
            far[qi[nearest]] = (gap[nearest] > room[nearest]) & (size[j[nearest]] <= max_lines)
            out.append(far)
        return np.stack(out, axis=1)

    cut = (far_cell(a) & far_cell(b)).any(axis=1)
    if not cut.any():
        return pieces, flags, runs
    cut_after = {}
    for k, line in zip(piece[cut].tolist(), a[cut].tolist()):
        cut_after.setdefault(k, set()).add(line)
    out, out_flags, out_runs = [], [], []
    for k, p in enumerate(pieces):
        if k not in cut_after:
            out.append(p)
            out_flags.append(flags[k])
            out_runs.append(runs[k])
            continue
        start = 0
        for i in range(len(p) - 1):
            if int(p[i]) in cut_after[k]:
                out.append(p[start:i + 1])
                out_flags.append(flags[k] if start == 0 else 0)
                out_runs.append(runs[k] if start == 0 else False)
                start = i + 1
        out.append(p[start:])
        out_flags.append(flags[k] if start == 0 else 0)
        out_runs.append(runs[k] if start == 0 else False)
    return out, np.asarray(out_flags, dtype=np.asarray(flags).dtype), np.asarray(out_runs, bool)


def _glyphs(s: str) -> int:
    """Letters, digits and Han glyphs in ``s`` (punctuation does not count)."""
    return sum(c.isalnum() for c in s)


def absorb_scraps(pieces: list[np.ndarray], flags: np.ndarray, boxes: np.ndarray, texts: list[str],
                  cfg: BlockConfig) -> tuple[list[np.ndarray], np.ndarray]:
    """A one-line piece of at most ``cfg.scrap_glyphs`` glyphs ("经", "击，", "2月") that sits on
    the row of a line of a block of two or more lines, inside that block's column, is that
    line's lost start or end (the recogniser cut the line in two): it joins the block, right
    before or after the line it shares the row with. Left alone it is a body block of its own
    that the stitcher can route a story through. Used on Han pages only: on Latin pages
    it moved a line that was right where it stood (fr-5100160 end to end 0.896 → 0.814).
    """
    if len(pieces) < 2:
        return pieces, flags
    sizes = np.array([len(p) for p in pieces])
    one = np.nonzero(sizes == 1)[0]
    scrap = one[[0 < _glyphs(texts[pieces[k][0]]) <= cfg.scrap_glyphs for k in one]]
    hosts = np.nonzero(sizes >= 2)[0]
    if not len(scrap) or not len(hosts):
        return pieces, flags
    hl = np.concatenate([pieces[k] for k in hosts])              # host lines
    hp = np.repeat(hosts, sizes[hosts])                          # their piece
    ext = np.array([[boxes[pieces[k], 0].min(), boxes[pieces[k], 2].max()] for k in hosts])
    ext = ext[np.searchsorted(hosts, hp)]                       # column extent per host line
    s = boxes[[pieces[k][0] for k in scrap]]                     # (S, 4)
    b = boxes[hl]                                                # (H, 4)
    hs = (s[:, 3] - s[:, 1])[:, None]
    hb = (b[:, 3] - b[:, 1])[None, :]
    ov = np.minimum(s[:, None, 3], b[None, :, 3]) - np.maximum(s[:, None, 1], b[None, :, 1])
    slack = 0.5 * hs
    ok = (ov >= cfg.scrap_row * np.minimum(hs, hb)) \
        & (np.minimum(hs, hb) >= cfg.min_height_ratio * np.maximum(hs, hb)) \
        & (s[:, None, 0] >= ext[None, :, 0] - slack) & (s[:, None, 2] <= ext[None, :, 1] + slack)
    score = np.where(ok, ov, -np.inf)
    best = score.argmax(axis=1)
    hit = np.isfinite(score[np.arange(len(scrap)), best])
    if not hit.any():
        return pieces, flags
    before: dict[int, list[int]] = {}
    after: dict[int, list[int]] = {}
    for r in np.nonzero(hit)[0][np.argsort(s[hit, 0], kind="stable")]:   # left to right
        line = int(hl[best[r]])
        # before the line when it lies left of the line's middle, after it otherwise
        side = before if s[r, 0] + s[r, 2] < boxes[line, 0] + boxes[line, 2] else after
        side.setdefault(line, []).append(int(pieces[scrap[r]][0]))
    merged = {int(k): [x for i in pieces[k] for x in (*before.get(int(i), ()), int(i), *after.get(int(i), ()))]
              for k in set(hp[best[hit]].tolist())}
    gone = set(scrap[hit].tolist())
    keep = [k for k in range(len(pieces)) if k not in gone]
    out = [np.array(merged[k]) if k in merged else pieces[k] for k in keep]
    return out, flags[keep]


def group_blocks(boxes: np.ndarray, texts: list[str], obstacles: np.ndarray,
                 cfg: BlockConfig | None = None, gray: np.ndarray | None = None) -> tuple[list[np.ndarray], list[int]]:
    """Lines → blocks (arrays of line indices, top to bottom), ordered by top then left.

    Also returns, per block, whether it is a one-line subhead cut out of running text:
    `SET_APART` (by its place), `BOLD_HEAD` (by its face alone: without it the line runs on
    in its paragraph's block), `BOLD_APART` (by both) or 0.
    ``gray``: the page image (2-D); on a Latin page the lines' x-heights and stroke weights
    are read from it.
    """
    blocks, flags, _ = group_blocks_runs(boxes, texts, obstacles, cfg, gray)
    return blocks, flags


def group_blocks_runs(boxes: np.ndarray, texts: list[str], obstacles: np.ndarray,
                      cfg: BlockConfig | None = None, gray: np.ndarray | None = None
                      ) -> tuple[list[np.ndarray], list[int], list[tuple[int, int]]]:
    """`group_blocks`, and the pairs of blocks (upper, lower) that a bold subhead's cut
    (`BOLD_HEAD`) parted: without the bold face the lower one runs on from the upper one in
    one block (the subhead and the paragraph under it; the paragraph's text above it and the
    subhead, where the cut fell inside a block). Empty unless ``cfg.bold_subheads``."""
    cfg = cfg or BlockConfig()
    cjk = mostly_cjk(texts)  # Han glyphs fill the em: their boxes need no allowance for ascenders
    xh, bold = None, None
    if not cjk and gray is not None:
        xh, weight = latin_faces(gray, boxes, texts)
        if cfg.bold_subheads:
            bold = bold_lines(xh, weight, cfg)
    nxt = link_lines(boxes, obstacles, cfg, _latin_sizes(boxes, texts), None if cjk else _ink_reach(texts), xh,
                     _han_sizes(boxes, texts) if cjk else None)
    pieces, flags, runs = split_chains(chains(nxt, boxes), boxes, texts, cfg, solid=cjk,
                                       heads_apart=xh is not None, bold=bold)
    pieces, flags, runs = split_grid_rows(pieces, flags, runs, boxes)
    if cjk:  # Latin lines of one or two letters are words ("of", "la"), not a grid line's cut-off end
        pieces, flags = absorb_scraps(pieces, flags, boxes, texts, cfg)
        runs = np.zeros(len(pieces), bool)   # no weights read: no bold cuts
    elif bold is not None:
        flags = bold_over_text(pieces, flags, boxes, texts, bold)
    if not pieces:
        return [], [], []
    tops = np.array([p[0] for p in pieces])
    order = np.lexsort((boxes[tops, 0], boxes[tops, 1]))
    rank = np.empty(len(order), np.int64)
    rank[order] = np.arange(len(order))
    joins = [(int(rank[p - 1]), int(rank[p])) for p in np.flatnonzero(runs).tolist()]
    return [pieces[i] for i in order], [int(flags[i]) for i in order], joins
