"""Reading order of boxes: Breuel's partial order solved by topological sort.

a comes before b if (1) they overlap in x and a is above b, or (2) a is entirely left of b
and no box c lies vertically between them while overlapping both in x (a spanning headline,
rule or photo ends a column band). The page is first cut into horizontal bands wherever no
box crosses a horizontal line, so the cubic "between" test stays local.
"""
from __future__ import annotations

import heapq
from dataclasses import dataclass

import numpy as np
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from broadsheet.layout.geometry import overlap_x, overlap_y

_DENSE_LIMIT = 400  # above this many boxes in one band, only wide boxes can separate
_BATCH_MAX = 32  # bands of up to this many boxes are ordered together with the others of their size


def bands(boxes: np.ndarray, min_gap: float = 0.0) -> list[np.ndarray]:
    """Split box indices into horizontal bands separated by clean full-width cuts.

    A cut needs ``min_gap`` of white space: lines of neighbouring columns often end at the
    same height, and a hairline cut there would split the columns row by row.
    """
    if len(boxes) == 0:
        return []
    order = np.argsort(boxes[:, 1], kind="stable")
    bottoms = np.maximum.accumulate(boxes[order, 3])
    cut = boxes[order[1:], 1] >= bottoms[:-1] + min_gap
    return np.split(order, np.nonzero(cut)[0] + 1)


def precedence(boxes: np.ndarray, *, parts: bool = False):
    """(N, N) bool: entry [a, b] says a is read before b (Breuel's two rules). With ``parts``,
    also the "above in the same column" relation (rule 1) alone, as a second array."""
    before, rule1 = precedences(np.asarray(boxes)[None])
    return (before[0], rule1[0]) if parts else before[0]


def precedences(boxes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """`precedence` of B bands of N boxes each at once: boxes (B, N, 4) → (B, N, N) ``before``
    and (B, N, N) rule 1 alone. A long page has hundreds of small bands; one call for all of
    a size costs the ~40 NumPy calls of one band instead of ~40 per band. Each band's
    entries are the same float comparisons as for the band alone: no box sees another band."""
    B, n = boxes.shape[:2]
    w = boxes[:, :, 2] - boxes[:, :, 0]
    ox = np.minimum(boxes[:, :, None, 2], boxes[:, None, :, 2]) - np.maximum(boxes[:, :, None, 0], boxes[:, None, :, 0])
    yc = (boxes[:, :, 1] + boxes[:, :, 3]) / 2
    tol = 0.15 * np.minimum(w[:, :, None], w[:, None, :])
    rule1 = (ox > tol) & (yc[:, :, None] < yc[:, None, :])
    left = boxes[:, :, None, 2] <= boxes[:, None, :, 0] + tol
    left &= ox <= tol
    if n > _DENSE_LIMIT:  # only the widest boxes can separate
        cand = np.argsort(-w, axis=1, kind="stable")[:, : max(_DENSE_LIMIT // 4, 1)]
    else:
        cand = np.broadcast_to(np.arange(n), (B, n))
    blocked = np.zeros((B, n, n), bool)
    gi, ai, bi = np.nonzero(left)
    if len(ai) and n > 2:  # (two boxes have no third between them; most bands hold two or three)
        c_all = np.take_along_axis(boxes, cand[:, :, None], axis=1)  # (B, C, 4)
        ov_all = np.take_along_axis(ox, cand[:, None, :], axis=2) > 0  # (B, n, C) once; each pair reads its two rows
        for s in range(0, len(ai), 20000):
            g, a, b = gi[s:s + 20000], ai[s:s + 20000], bi[s:s + 20000]
            ba, bb = boxes[g, a], boxes[g, b]
            # one band: its candidates broadcast over the pairs, as they always did (no copy per pair)
            c, cg = (c_all[:1], cand[:1]) if B == 1 else (c_all[g], cand[g])
            up = ba[:, 3:4] <= bb[:, 3:4]
            lo_edge = np.where(up, bb[:, 1:2], ba[:, 1:2])
            hi_edge = np.where(up, ba[:, 3:4], bb[:, 3:4])
            between = (c[:, :, 1] >= hi_edge - 2) & (c[:, :, 3] <= lo_edge + 2)
            notab = (cg != a[:, None]) & (cg != b[:, None])
            blocked[g, a, b] = (ov_all[g, a] & ov_all[g, b] & between & notab).any(axis=1)
    before = rule1 | (left & ~blocked)
    diag = np.arange(n)
    before[:, diag, diag] = False
    rule1[:, diag, diag] = False
    return before, rule1


def topological(before: np.ndarray, boxes: np.ndarray, strong: np.ndarray | None = None) -> np.ndarray:
    """A linear extension of ``before``; ties go to the topmost, then leftmost box.

    Cycles (overlapping boxes; "left of" relations reaching far down a page without rules)
    are broken at a remaining box none of whose unread predecessors is ``strong`` (above it in
    its own column) and that has the fewest unread predecessors, topmost first among equals;
    without ``strong``, at the topmost remaining box.
    The graph walk runs on Python lists (successors read off ``before`` in one pass): most
    bands hold a dozen boxes, where per-step NumPy calls cost more than the work.
    """
    n = len(boxes)
    s_indeg = strong.sum(axis=0).tolist() if strong is not None else [0] * n
    s_succ = _successors(strong) if strong is not None else [[] for _ in range(n)]
    return np.array(_walk(before.sum(axis=0).tolist(), _successors(before), s_indeg, s_succ,
                          boxes[:, 1].tolist(), boxes[:, 0].tolist(), strong is not None), dtype=np.int64)


def _walk(indeg: list[int], succ_of: list[list[int]], s_indeg: list[int], s_succ: list[list[int]],
          ys: list[float], xs: list[float], has_strong: bool) -> list[int]:
    """`topological`'s walk on plain lists (in-degrees, successor lists, tops and lefts)."""
    n = len(ys)
    key = [(ys[k], xs[k], k) for k in range(n)]
    heap = [key[k] for k in range(n) if indeg[k] == 0]
    heapq.heapify(heap)
    done = [False] * n
    out: list[int] = []
    while len(out) < n:
        if not heap:
            rest = [k for k in range(n) if not done[k]]
            if has_strong:
                free = [k for k in rest if s_indeg[k] == 0] or rest
                k = min(free, key=lambda k: (indeg[k], ys[k], xs[k], k))
            else:
                k = min(rest, key=lambda k: (ys[k], xs[k], k))
            indeg[k] = 0
            heap.append(key[k])
        _, _, k = heapq.heappop(heap)
        if done[k]:
            continue
        done[k] = True
        out.append(k)
        for s in succ_of[k]:
            if not done[s]:
                indeg[s] -= 1
                if indeg[s] == 0:
                    heapq.heappush(heap, key[s])
        for s in s_succ[k]:
            s_indeg[s] -= 1
    return out


def _successors(rel: np.ndarray) -> list[list[int]]:
    """Per box, the boxes it comes before, ascending (read off the relation row-major)."""
    rows, cols = np.nonzero(rel)
    ends = np.bincount(rows, minlength=len(rel)).cumsum().tolist()
    cols = cols.tolist()
    return [cols[a:b] for a, b in zip([0] + ends[:-1], ends)]


def _order_band(sub: np.ndarray) -> np.ndarray:
    """Permutation of one band's boxes (Breuel's precedence, then a topological sort)."""
    return _order_bands(sub[None])[0]


def _order_bands(subs: np.ndarray) -> list[np.ndarray]:
    """`_order_band` of B bands of N boxes each, subs (B, N, 4): `precedences` in one call,
    the in-degrees and successor lists of all bands read off in one pass each, then each
    band's walk."""
    B, n = subs.shape[:2]
    before, strong = precedences(subs)
    indeg = before.sum(axis=1).tolist()
    s_indeg = strong.sum(axis=1).tolist()
    succ = _successors(before.reshape(B * n, n))
    s_succ = _successors(strong.reshape(B * n, n))
    ys, xs = subs[:, :, 1].tolist(), subs[:, :, 0].tolist()
    return [np.array(_walk(indeg[g], succ[g * n:(g + 1) * n], s_indeg[g], s_succ[g * n:(g + 1) * n],
                           ys[g], xs[g], True), dtype=np.int64) for g in range(B)]


def _order_by_size(boxes: np.ndarray, todo: list[np.ndarray]) -> list[np.ndarray]:
    """``band[_order_band(boxes[band])]`` for each band of ``todo`` (two boxes or more), the
    bands of one size ordered together (`_order_bands`)."""
    out: list[np.ndarray | None] = [None] * len(todo)
    by_size: dict[int, list[int]] = {}
    for k, band in enumerate(todo):
        by_size.setdefault(len(band), []).append(k)
    for size, ks in by_size.items():
        groups = [ks] if size <= _BATCH_MAX else [[k] for k in ks]
        for group in groups:
            idx = np.stack([todo[k] for k in group])
            for k, perm in zip(group, _order_bands(boxes[idx])):
                out[k] = todo[k][perm]
    return out


def reading_order(boxes: np.ndarray, min_gap: float = 0.0) -> np.ndarray:
    """Permutation of box indices in reading order (bands top to bottom, Breuel inside)."""
    out = bands(boxes, min_gap)
    multi = [k for k, band in enumerate(out) if len(band) > 1]  # most bands of a long page hold one box
    for k, got in zip(multi, _order_by_size(boxes, [out[k] for k in multi])):
        out[k] = got
    return np.concatenate(out) if out else np.zeros(0, np.int64)


def reading_order_again(boxes: np.ndarray, old_boxes: np.ndarray, old_order: np.ndarray) -> np.ndarray:
    """``reading_order(boxes)`` where ``old_order = reading_order(old_boxes)`` is known and
    the boxes differ only in x (channels widened): the bands, which depend on y alone, are the
    same, and only the bands holding a changed box are ordered again."""
    if boxes.shape != old_boxes.shape or not np.array_equal(boxes[:, [1, 3]], old_boxes[:, [1, 3]]):
        return reading_order(boxes)
    changed = (boxes != old_boxes).any(axis=1)
    out = []
    again = []  # places in ``out`` of the bands ordered again
    start = 0
    for band in bands(boxes):
        old = old_order[start:start + len(band)]
        start += len(band)
        if len(band) > 1 and changed[band].any():
            again.append(len(out))
            out.append(band)
        else:
            out.append(old)
    for k, got in zip(again, _order_by_size(boxes, [out[k] for k in again])):
        out[k] = got
    return np.concatenate(out) if out else np.zeros(0, np.int64)


def head_cut(boxes: np.ndarray, text: np.ndarray, rows: np.ndarray, em: float, *, tol: float = 0.5,
             reach: float = 2.0, wide: float = 0.6, top_share: float = 0.3,
             column_rows: int = 8) -> float | None:
    """Where a page head ends and the body's columns begin, when no clean band cut marks it.

    A masthead's ears (price tables, addresses) often end a few pixels below the top of a body
    column beside them, so no full-width cut exists and Breuel's "left of" reads a column
    before the head's right half. The head ends at the lowest near-cut (no block crosses it
    by more than ``tol`` em) in the top ``top_share`` of the page that lies under a block
    ``wide`` of the page's width (the nameplate) and over the tops of two columns or more
    (blocks of running text of ``column_rows`` lines or more, their tops within ``reach`` em
    below it: an ear's price table of five lines is no column), and that parts no column from
    its own first line or heading (a block that reaches below the cut to less than an em above
    a column it overlaps in x stays with it). None where the page has no such head, or a clean cut marks it already.

    boxes: (B, 4) block boxes; text: (B,) bool, running text; rows: (B,) lines per block.
    Returns the cut's y.
    """
    columns = np.asarray(text, bool) & (np.asarray(rows) >= column_rows)
    n = len(boxes)
    if n < 3 or int(columns.sum()) < 2:
        return None
    order = np.argsort(boxes[:, 1], kind="stable")
    tops = boxes[order, 1]
    bottoms = np.maximum.accumulate(boxes[order, 3])
    x0, x1 = float(boxes[:, 0].min()), float(boxes[:, 2].max())
    widest = np.maximum.accumulate(boxes[order, 2] - boxes[order, 0])
    over = bottoms[:-1] - tops[1:]  # > 0: the blocks above reach below the next top
    y = (bottoms[:-1] + tops[1:]) / 2
    ok = (over > 0) & (over <= tol * em) & (y <= top_share * float(boxes[:, 3].max()))
    ok &= widest[:-1] >= wide * (x1 - x0)
    if not ok.any():
        return None
    col_tops = boxes[columns, 1]
    starts = ((col_tops[None, :] >= y[:, None] - tol * em) & (col_tops[None, :] <= y[:, None] + reach * em)).sum(axis=1)
    ok &= starts >= 2
    w = boxes[:, 2] - boxes[:, 0]
    centre = (boxes[:, 1] + boxes[:, 3]) / 2
    for k in np.nonzero(ok)[0][::-1].tolist():  # the lowest first; a page has one or two
        up = centre < y[k]
        down = columns & ~up
        # a block reaching down past the cut onto a column's top is that column's own first
        # line or heading, not the head's edge
        cross = up & (boxes[:, 3] > y[k])
        ox = overlap_x(boxes[cross], boxes[down]) >= 0.5 * np.minimum(w[cross][:, None], w[down][None, :])
        gap = boxes[down, 1][None, :] - boxes[cross, 3][:, None]
        if not (ox & (gap < em)).any():
            return float(y[k])
    return None


def split_at(order: np.ndarray, boxes: np.ndarray, y: float | None) -> np.ndarray:
    """``order`` with every box whose centre lies above ``y`` moved before the rest (each part
    keeps its relative order): the page head read whole before the body."""
    if y is None or len(order) == 0:
        return order
    above = (boxes[order, 1] + boxes[order, 3]) / 2 < y
    return np.concatenate([order[above], order[~above]])


def _channel_runs(idx: np.ndarray, lo: np.ndarray, hi: np.ndarray, x0: np.ndarray, x1: np.ndarray,
                  em: float, flows: np.ndarray, *, steps: bool = False) -> list[list[float]]:
    """Channels from one group of linked gaps, read left to right: a run goes on while the
    gaps still share a white band a quarter em tall. (A tall gap beside two columns links
    gaps at different heights — the end of one story's strip and of another's column — that
    share no band as a whole; each run that does is a channel.) A run is a channel when text
    runs on across it in two columns or more (``flows``: the gap has running text below);
    gaps that end at a heading only widen such a channel. Each channel comes as 12 numbers:
    its box, the box over its text gaps alone (the fallback where the wide one hits ink), and
    a step (below; zeros where none).

    With ``steps``, a lone text gap at a channel's end whose column is set a hair lower or
    higher is the same strip edge, stepped: it misses the channel's band by under a quarter
    em, lies within the gap beside it (give or take a quarter em, sharing a quarter em with
    it), and that gap is under 2 em tall. A second box at the step's height then reaches
    across the channel and the step's column (``_with_steps``); the step's part in its own
    column must stay clear of ink."""
    runs: list[tuple[list[int], float, float]] = []
    run = [int(idx[0])]
    top, bot = float(lo[idx[0]]), float(hi[idx[0]])
    for j in idx[1:].tolist():
        t, b = max(top, float(lo[j])), min(bot, float(hi[j]))
        if b - t >= 0.25 * em and float(x0[j]) - max(float(x1[q]) for q in run) < 2.5 * em:
            run.append(j)
            top, bot = t, b
            continue
        runs.append((run, top, bot))
        run, top, bot = [j], float(lo[j]), float(hi[j])
    runs.append((run, top, bot))

    def channel(members: list[int]) -> bool:
        return len(members) >= 2 and sum(bool(flows[q]) for q in members) >= 2

    step_of: dict[int, list[float]] = {}
    if steps:
        for r, (members, top, bot) in enumerate(runs):
            if len(members) != 1 or not flows[members[0]]:
                continue
            j = members[0]
            for nb, q in ((r - 1, -1), (r + 1, 0)):  # the channel left of it, then right
                if not (0 <= nb < len(runs)) or not channel(runs[nb][0]) or nb in step_of:
                    continue
                m, t_nb, b_nb = runs[nb]
                k = m[q]
                near = max(float(x0[j]), float(x0[k])) - min(float(x1[j]), float(x1[k])) < 2.5 * em
                shared = min(float(hi[j]), float(hi[k])) - max(float(lo[j]), float(lo[k]))
                miss = max(t_nb, float(lo[j])) - min(b_nb, float(hi[j]))
                # the step's white lies within its neighbour's (the same white line, set off
                # a hair), not a taller gap beside it (a story ending there), and the
                # neighbour's is a thin line too, not a tall space the step merely falls into
                nested = float(lo[j]) >= float(lo[k]) - 0.25 * em and float(hi[j]) <= float(hi[k]) + 0.25 * em
                thin = float(hi[k]) - float(lo[k]) < 2.0 * em
                if near and nested and thin and shared >= 0.25 * em and miss <= 0.25 * em:
                    c = (max(float(lo[j]), float(lo[k])) + min(float(hi[j]), float(hi[k]))) / 2
                    step_of[nb] = [float(x0[j]), c - 1, float(x1[j]), c + 1]
                    break

    out: list[list[float]] = []
    for r, (members, top, bot) in enumerate(runs):
        core = [q for q in members if flows[q]]
        if not channel(members):
            continue
        y0, y1 = (top + bot) / 2 - 1, (top + bot) / 2 + 1
        wide = [float(x0[members].min()), y0, float(x1[members].max()), y1]
        narrow = [float(x0[core].min()), y0, float(x1[core].max()), y1]
        out.append(wide + narrow + step_of.get(r, [0.0] * 4))
    return out


def _with_steps(chans: np.ndarray, step: np.ndarray) -> np.ndarray:
    """The channels, then one box per step: at the step's height, across the channel and the
    step's column. (One box over both heights would start above the last line of a column
    the channel passes, and no longer lie between that column and the text under it.)"""
    has = step[:, 2] > step[:, 0]
    across = np.stack([np.minimum(chans[has, 0], step[has, 0]), step[has, 1],
                       np.maximum(chans[has, 2], step[has, 2]), step[has, 3]], axis=1)
    return np.concatenate([chans, across.reshape(-1, 4)])


@dataclass(frozen=True)
class ColumnGaps:
    """The white gap under each text block of a page, down to the next block of its column.

    ``below[k]``: the block that ends block k's gap; ``flows[k]``: k's gap ends at running
    text (within reach); ``to_head[k]``: no text follows within reach and the gap ends at a
    heading. Blocks with neither have no gap."""

    boxes: np.ndarray
    em: float
    below: np.ndarray
    flows: np.ndarray
    to_head: np.ndarray


def column_gaps(boxes: np.ndarray, em: float, *, text: np.ndarray | None = None,
                min_gap: float = 0.5, max_gap: float = 4.0) -> ColumnGaps:
    """Each text block's gap to the next text block of its column (``min_gap``..``max_gap``
    em), or, where there is none within reach, to a heading below it.

    boxes: (B, 4) block boxes; text: (B,) bool, the blocks of running text (default: all).
    Pairs are measured text × text, then only the text blocks left without a gap × headings."""
    n = len(boxes)
    text = np.ones(n, bool) if text is None else np.asarray(text, bool)
    below = np.zeros(n, np.int64)
    flows = np.zeros(n, bool)
    to_head = np.zeros(n, bool)
    if int(text.sum()) < 4:
        return ColumnGaps(boxes, em, below, flows, to_head)

    def nearest(up: np.ndarray, down: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Per block of ``up``: the nearest block of ``down`` below it in its column, and the gap."""
        a, b = boxes[up], boxes[down]
        w_a, w_b = a[:, 2] - a[:, 0], b[:, 2] - b[:, 0]
        col = overlap_x(a, b) >= 0.5 * np.minimum(w_a[:, None], w_b[None, :])
        gap = b[None, :, 1] - a[:, None, 3]
        gd = np.where(col & (gap > -0.2 * em), gap, np.inf)
        k = np.argmin(gd, axis=1)
        return down[k], gd[np.arange(len(up)), k]

    def reach(g: np.ndarray) -> np.ndarray:
        return np.isfinite(g) & (g >= min_gap * em) & (g <= max_gap * em)

    t = np.nonzero(text)[0]
    bt, gt = nearest(t, t)
    below[t], flows[t] = bt, reach(gt)
    left, heads = ~flows[t], np.nonzero(~text)[0]
    if left.any() and len(heads):
        rest = t[left]
        bh, gh = nearest(rest, heads)
        # a heading ends the gap only if it comes before any text below (ties: lower index)
        first = (gh < gt[left]) | ((gh == gt[left]) & (bh < bt[left]))
        ok = reach(gh) & first
        below[rest[ok]], to_head[rest[ok]] = bh[ok], True
    return ColumnGaps(boxes, em, below, flows, to_head)


def channels_from_gaps(g: ColumnGaps, *, ink: np.ndarray | None = None, headings: bool = True,
                       steps: bool = False) -> np.ndarray:
    """Virtual horizontal rules where the gaps of ``column_gaps`` line up across neighbouring
    columns; with ``headings`` False, from the gaps that end at running text alone; with
    ``steps``, one more box per channel that reaches across a column whose gap is set a hair
    off the others' band (``_channel_runs``). Returns (C, 4) channel boxes."""
    em, boxes, below, flows = g.em, g.boxes, g.below, g.flows
    src = np.nonzero(flows | g.to_head)[0] if headings else np.nonzero(flows)[0]
    if int(flows.sum()) < 2:
        return np.zeros((0, 4))
    lo = boxes[src, 3]
    hi = boxes[below[src], 1]
    x0 = np.minimum(boxes[src, 0], boxes[below[src], 0])
    x1 = np.maximum(boxes[src, 2], boxes[below[src], 2])
    # two gaps align when they overlap vertically and their columns are side by side
    yo = np.minimum(hi[:, None], hi[None, :]) - np.maximum(lo[:, None], lo[None, :])
    xgap = np.maximum(x0[None, :] - x1[:, None], x0[:, None] - x1[None, :])
    link = (yo >= 0.25 * em) & (xgap > -0.2 * em) & (xgap < 2.5 * em)
    np.fill_diagonal(link, False)
    k, lab = connected_components(coo_matrix(link), directed=False)
    out = []
    for c in range(k):
        members = np.nonzero(lab == c)[0]
        if len(members) < 2:
            continue
        out.extend(_channel_runs(members[np.argsort(x0[members], kind="stable")], lo, hi, x0, x1, em,
                                 flows[src], steps=steps))
    rows = np.array(out).reshape(-1, 12)
    chans, core, step = rows[:, :4], rows[:, 4:8], rows[:, 8:]
    if ink is not None and len(chans) and len(ink):
        def clear(c: np.ndarray) -> np.ndarray:
            return ~((overlap_x(c, ink) > 0) & (overlap_y(c, ink) > 0)).any(axis=1)
        wide_ok = clear(chans)
        keep = wide_ok | clear(core)
        chans = np.where(wide_ok[:, None], chans, core)[keep]
        step = np.where((step[:, 2] > step[:, 0])[:, None] & clear(step)[:, None], step, 0.0)[keep]
    return _with_steps(chans, step)


def whitespace_channels(boxes: np.ndarray, em: float, *, ink: np.ndarray | None = None,
                        min_gap: float = 0.5, max_gap: float = 4.0,
                        text: np.ndarray | None = None) -> np.ndarray:
    """Virtual horizontal rules where white gaps line up across neighbouring columns.

    Newspapers set one story in several strips (each strip read across its columns before
    the next) and mark the strips only by white space: the gaps between blocks in adjacent
    columns fall at the same height. Each such aligned gap spanning two or more columns
    becomes a thin box that the reading order treats like a printed rule.

    boxes: (B, 4) block boxes; ink: (N, 4) every line box on the page (a channel must
    stay clear of all of them, headings in the gap included); text: (B,) bool, the blocks of
    running text (default: all). A gap runs from a text block to the next text block of its
    column; where that is none within ``max_gap``, to a heading below it. A channel needs text
    running on across it in two columns (a strip edge); a column whose gap ends at a heading
    beside them is cut too (a Feuilleton under the line opens with its heading in one column
    and runs on in the others). Returns (C, 4) channel boxes.
    """
    g = column_gaps(boxes, em, text=text, min_gap=min_gap, max_gap=max_gap)
    return channels_from_gaps(g, ink=ink)
