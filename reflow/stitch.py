"""Continuation stitching: every text block gets the block its text goes on in, or none.

One assignment over the whole page (SciPy's linear_sum_assignment), not a greedy walk:
rows are headline groups and text blocks (as predecessors), columns are text blocks (as
successors). A pair's score adds geometric evidence (directly below, next in the page's
flow) and textual evidence (the left block stops mid-sentence and the right one starts
mid-sentence, the junction makes a word, the two share distinctive words). Every row may
instead end its article and every column may instead open a headless fragment, so a weak
pair loses to "no join": a wrong join is worse than a missing one.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.optimize import linear_sum_assignment

NEG = -1e6


@dataclass(frozen=True, kw_only=True)
class StitchConfig:
    w_below: float = 3.0        # directly below, nothing between
    w_flow: float = 2.0         # next text in the page's reading order
    w_flow_back: float = 1.0    # the same, when the next text lies back to the left
    w_column: float = 0.5       # same column further down
    w_head_first: float = 3.5   # the block a headline's article opens with
    w_beside: float = 2.0       # the next column of the same band, same top and width
    w_strip: float = 1.0        # end of a strip's last column → start of the next strip
    far_content: float = 0.5    # content weight where neither geometry nor a broken sentence links
    w_continue: float = 3.0     # open end meets open start
    w_break: float = 0.6        # closed end meets paragraph start
    w_mismatch: float = 3.5     # open end meets paragraph start, or the reverse
    w_junction: float = 2.0     # the junction forms a word (Latin: wordfreq, hyphenation)
    w_junction_cjk: float = 3.0  # ... on a Han page (jieba's dictionary: a word across the break)
    w_clash: float = 4.0        # penalty: a determiner at the end before a word that cannot follow one
    w_stop_lower: float = 2.0   # penalty: a sentence's end before a lower-case start (Latin)
    w_content: float = 1.5      # shared distinctive words, per unit of a candidate's spread
    content_spread_latin: float = 0.05  # ... that spread's least value on a Latin page (latin-words-2;
                                        # 0.01 on Han pages: `articles.content_score`)
    w_size: float = 2.5         # penalty: different type size
    w_apart: float = 8.0        # penalty: in different framed boxes (image only)
    dangling_end: float = 2.0   # cost of an open end that continues nowhere
    open_orphan: float = 1.5    # cost of an open start that follows nothing
    orphan: float = 0.3         # cost of any block that follows nothing
    empty_head: float = 1.5     # cost of a headline with no text
    regroup_min: float = 0.02   # fragments regrouped by whole-article content: least cosine
    regroup_min_placed: float = 0.04  # ... where the page's geometry placed the part (link ≥ w_flow)
    regroup_ratio: float = 1.5  # ... and how clearly the best article must beat the runner-up
    w_story: float = 1.5        # a candidate's fit to the row's provisional story over its best other one
    story_unit: float = 3.0     # ... the ratio of the two fits that gives it in full
    story_floor: float = 0.03   # ... added to both fits (short texts' cosines are small)
    story_run: int = 3          # ... a candidate read with up to this many blocks of its chain
    story_regrouped: bool = True  # ... stories as `regroup_fragments` makes them (a whole page)
    story_rounds: int = 2       # ... solved again at most this many times
    story_end_ratio: float = 1.5  # ... a row's story: the one its own run up the chain fits this
                                  # many times better than its provisional one (Han, open ends; 0: off)
    story_text_guard: float = 4.0  # ... no penalty where the pair's text score reaches it (a word across)
    story_closed_fit: bool = True  # ... a closed end takes a far block of another story only for its text
    story_latin: bool = True    # ... on Latin pages too (there as `articles.latin_story_contrast` says)
    w_story_latin: float = 1.0  # ... its weight there, only between an open end and an open start
                                # (0.75 on glued lines; 1.0 since they are read as words: latin-words-1)
    w_story_closed_latin: float = 1.0  # ... its penalty after a closed end tied by a jump of the page's geometry
    story_words_latin: int = 2  # ... only where its best story shares this many of its words (stems)
    name_min: float = 0.8       # a paragraph names a story's headline (`similarity.headline_names`)


@dataclass(frozen=True)
class Evidence:
    """Per-pair arrays over R predecessors (G heads then T blocks) × T successors."""

    geo: np.ndarray        # (R, T) geometric score
    text: np.ndarray       # (R, T) sentence-state + junction score
    content: np.ndarray    # (R, T) shared-words score
    style: np.ndarray      # (R, T) type-size penalty (≤ 0)
    end_open: np.ndarray   # (R,) 0..1
    start_open: np.ndarray  # (T,) 0..1
    content_gate: np.ndarray | None = None  # (R, T) weight of content per pair (default 1)
    dangle: np.ndarray | None = None  # (R,) 0..1 weight of the cost of ending there (default end_open)

    @property
    def total(self) -> np.ndarray:
        content = self.content if self.content_gate is None else self.content * self.content_gate
        return self.geo + self.text + content + self.style


def assign(ev: Evidence, n_heads: int, cfg: StitchConfig, max_rounds: int = 8) -> tuple[np.ndarray, np.ndarray]:
    """Solve the page's successor assignment, without cycles.

    Returns ``succ`` (R,) — the successor block index (0..T-1) of each predecessor row or -1 —
    and ``score`` (R,) — each chosen pair's margin over leaving both ends unjoined.

    Every row may end and every column may open instead, each at its own cost, so the problem
    is a maximum-weight matching on the margins ``S − (end + start)``: a pair with no positive
    margin is never worth taking. Solved on the (R, T) margins clipped at 0 — a quarter of the
    (R+T)² matrix with explicit end/open slots, and several times faster.

    A matching may close a loop (a band of one story's tail read 1 → 2 → 3 → 1: every block
    shares the story's words). Cutting the loop afterwards leaves its blocks cut off from the
    text that leads into them; instead the loop's weakest link is ruled out and the page solved
    again (subtour elimination), up to ``max_rounds`` times; what loops remain then are cut at
    their weakest link, so ``succ`` never holds a cycle.
    """
    margin = _margins(ev, n_heads, cfg)
    R_, T = margin.shape
    succ = np.full(R_, -1)
    score = np.zeros(R_)
    if R_ == 0 or T == 0:
        return succ, score
    for _ in range(max_rounds):
        succ, score = _match(margin)
        weakest = _cycle_weakest(succ, score, n_heads)
        if not weakest:
            return succ, score
        for q in weakest:
            margin[n_heads + q, succ[n_heads + q]] = NEG
    return break_cycles(succ, score, n_heads), score


def _margins(ev: Evidence, n_heads: int, cfg: StitchConfig) -> np.ndarray:
    """(R, T) gain of each pair over leaving its end dangling and its start orphaned."""
    S = ev.total.copy()
    R_, T = S.shape
    # a block cannot follow itself
    idx = np.arange(T)
    S[n_heads + idx, idx] = NEG
    dangle = ev.end_open if ev.dangle is None else ev.dangle
    end_cost = np.where(np.arange(R_) < n_heads, -cfg.empty_head, -cfg.dangling_end * dangle)
    start_cost = -(cfg.orphan + cfg.open_orphan * ev.start_open)
    return S - (end_cost[:, None] + start_cost[None, :])


def _match(margin: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    succ = np.full(margin.shape[0], -1)
    score = np.zeros(margin.shape[0])
    rows, cols = linear_sum_assignment(np.maximum(margin, 0.0), maximize=True)
    take = margin[rows, cols] > 0
    rows, cols = rows[take], cols[take]
    succ[rows] = cols
    score[rows] = margin[rows, cols]
    return succ, score


def _cycle_weakest(succ: np.ndarray, score: np.ndarray, n_heads: int) -> list[int]:
    """The weakest link (as its predecessor's text index) of each cycle among text blocks.
    The walk runs on Python lists: one step per block, where NumPy scalar reads cost more than
    the step."""
    nxt = succ[n_heads:].tolist()
    sc = score[n_heads:].tolist()
    T = len(nxt)
    state = bytearray(T)  # 0 new, 1 on path, 2 done
    out = []
    for start in range(T):
        path = []
        k = start
        while k >= 0 and state[k] == 0:
            state[k] = 1
            path.append(k)
            k = nxt[k]
        if k >= 0 and state[k] == 1:
            cyc = path[path.index(k):]
            out.append(min(cyc, key=sc.__getitem__))
        for q in path:
            state[q] = 2
    return out


def break_cycles(succ: np.ndarray, score: np.ndarray, n_heads: int) -> np.ndarray:
    """Cut each cycle among text blocks at its weakest link (heads cannot be in cycles)."""
    succ = succ.copy()
    for q in _cycle_weakest(succ, score, n_heads):
        succ[n_heads + q] = -1
    return succ


def chains(succ: np.ndarray, n_heads: int) -> tuple[list[list[int]], list[list[int]]]:
    """Follow successors: (block chains opened by each head, headless chains)."""
    T = len(succ) - n_heads
    has_pred = np.zeros(T, bool)
    has_pred[succ[succ >= 0]] = True
    def walk(first: int) -> list[int]:
        out = []
        k = first
        while k >= 0 and len(out) <= T:
            out.append(int(k))
            k = succ[n_heads + k]
        return out
    headed = [walk(int(succ[h])) if succ[h] >= 0 else [] for h in range(n_heads)]
    headed_first = set(int(s) for s in succ[:n_heads] if s >= 0)
    loose = [walk(k) for k in range(T) if not has_pred[k] and k not in headed_first]
    return headed, loose


def sigmoid(x: np.ndarray | float) -> np.ndarray | float:
    return 1.0 / (1.0 + np.exp(-np.asarray(x, float)))
