"""Articles from a laid-out page: evidence for every (predecessor, successor) pair of text
blocks, the page's successor assignment, then articles assembled as headline + chain.

Arrays throughout: R predecessors (G headline groups, then T text blocks) × T successors.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

import numpy as np
import scipy.sparse as sparse

from broadsheet.layout import roles as R
from broadsheet.layout.analyze import Layout
from broadsheet.layout.geometry import group_medians, group_mins, overlap_x
from broadsheet.layout.separators import frame_boxes

from .order import bands, channels_from_gaps, column_gaps, head_cut, reading_order, reading_order_again, split_at
from .stitch import Evidence, StitchConfig, assign, chains, sigmoid

_UNIT_CONTENT = StitchConfig(w_content=1.0)  # content scores before their weight
from .lexicon import (CJK_FRAGMENT_DROP, NAME_CASE_LANGS, NAME_SHIFT, NOUN_WANTED, capital_word_start, cjk_fragment_tails,
                      firm_noun_ends, junction_clash, junction_matrix, name_runs_on, noun_wanted)
from .script import page_language
from .text import LOWER_START, end_openness, indent_openness, start_openness
from .similarity import STEM, PartReads, concat_similarity_matrix, headline_names, read_parts, similarity_matrix
from .stories import story_contrast, story_fit

FLOW_ROLES = (R.BODY, R.SUBHEAD)
#: blocks that may end a white gap under a column's text in the page order (a heading where no
#: text follows within reach: ``order.column_gaps``)
CHANNEL_ROLES = (R.BODY, R.SUBHEAD, R.KICKER, R.TITLE, R.SUBTITLE, R.SECTION, R.BYLINE)
SUFFIX_BLOCKS = 3  # a candidate is judged with up to this many blocks of its own chain
FEW_LINES = 2  # a Latin block this short tells its type size from above only (justified spaces)
#: white (em) between two blocks of one column over which the lower is no longer "directly
#: below" the upper on a Latin page: another frame stacked under it (`stacked_apart`) ...
STACKED_WHITE = 1.2
STACKED_PIECE = 3  # ... where the upper is a column piece of this many lines or more (or stops mid-sentence)
#: a strip's white (`strip_foot_down`, `strip_climb`), in em of the column's type: more than
#: this between a column's last line and the first line under it, centre to centre less an em
STRIP_WHITE = 1.2
CHUNK = 400  # text blocks per assignment problem on very large inputs
PAGE_ORDERS = ("geometric", "articles")  # ReflowConfig.page_order


@dataclass(frozen=True, kw_only=True)
class ReflowConfig:
    """``page_order``: what ``Line.order`` (and the block ids) follow.

    - ``"geometric"`` (default): the page's geometric reading order, column by column, as
      archives' ground truth has it (NZZ, NewsEye); each article's own order is in
      ``Article.blocks``.
    - ``"articles"``: each article read whole (headline group, text in its stitched order,
      captions and credits) at the place where it opens in the geometric order; page header,
      folio, section labels and footer in their geometric places. Right where the articles
      are: a story's tail printed under another story is read right after its head. Wrong
      articles move whole stories (see docs/results.md, session 3)."""

    stitch: StitchConfig = field(default_factory=StitchConfig)
    page_order: str = "geometric"

    def __post_init__(self) -> None:
        if self.page_order not in PAGE_ORDERS:
            raise ValueError(f"page_order must be one of {PAGE_ORDERS}, not {self.page_order!r}")


@dataclass(frozen=True)
class Units:
    """The page's text blocks and headline groups, with their node ranks in reading order."""

    text: np.ndarray        # (T,) block indices of flowing text
    heads: list[tuple[int, ...]]  # (G,) headline groups (block indices)
    head_boxes: np.ndarray  # (G, 4)
    rank: np.ndarray        # (B,) each block's place in the geometric reading order
    node_boxes: np.ndarray  # (K, 4) all blocks, figures and horizontal rules
    order_nodes: np.ndarray  # reading order of the page (indices < B are blocks; see collect_units)
    channels: np.ndarray = field(default_factory=lambda: np.zeros((0, 4)))  # (C, 4) strip breaks
    banners: np.ndarray = field(default_factory=lambda: np.zeros((0, 4)))  # (S, 4) section banners


def _unit_content(cfg: StitchConfig) -> StitchConfig:
    """`_UNIT_CONTENT` with the page's own spread floor (`content_score`)."""
    return replace(_UNIT_CONTENT, content_spread_latin=cfg.content_spread_latin)


def _union(bb: np.ndarray, idx) -> list[float]:
    s = bb[list(idx)]
    return [s[:, 0].min(), s[:, 1].min(), s[:, 2].max(), s[:, 3].max()]


def _role_indices(lay: Layout) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """What `collect_units` reads of the blocks' roles: the flowing text blocks, the body
    blocks of two lines or more, the blocks that may end a column's gap, the section banners."""
    B = len(lay.blocks)
    grouped = {k for g in lay.groups for k in g}
    text = np.array([k for k in range(B) if (lay.roles[k] in FLOW_ROLES or
                     (lay.roles[k] == R.BYLINE and k not in grouped))], dtype=np.int64)
    flow_blocks = np.array([k for k in range(B) if lay.roles[k] == R.BODY and len(lay.blocks[k]) >= 2],
                           dtype=np.int64)
    gap_blocks = np.array([k for k in range(B) if lay.roles[k] in CHANNEL_ROLES], dtype=np.int64)
    banners = np.array([k for k in range(B) if lay.roles[k] == R.SECTION], dtype=np.int64)
    return text, flow_blocks, gap_blocks, banners


def units_again(lay: Layout, units: Units, other: Layout) -> Units:
    """`collect_units(other)` for ``other`` = ``lay`` with some roles changed (`ride_subheads`
    on a Han page: its subheads found by their place read as body): ``units`` itself when no
    changed role reaches what `collect_units` reads (`_role_indices`), as for a one-line
    subhead read as body (both flowing text, both ending a gap, neither a column's body of
    two lines or more); the reading order, the costliest part, is then not found twice."""
    shared = ("lines", "boxes", "blocks", "block_boxes", "groups", "separators", "figures")
    if (all(getattr(other, f) is getattr(lay, f) for f in shared) and other.em == lay.em
            and all(np.array_equal(a, b) for a, b in zip(_role_indices(lay), _role_indices(other)))):
        return units
    return collect_units(other)


def collect_units(lay: Layout) -> Units:
    B = len(lay.blocks)
    bb = lay.block_boxes
    text, flow_blocks, gap_blocks, banner_blocks = _role_indices(lay)
    heads = [tuple(g) for g in lay.groups]
    hb = np.array([_union(bb, g) for g in heads]).reshape(-1, 4)
    figs = np.array([f.bbox for f in lay.figures]).reshape(-1, 4)
    hseps = np.array([s.bbox for s in lay.separators if s.orientation == "h"]).reshape(-1, 4)
    gaps = column_gaps(bb[gap_blocks], lay.em, text=np.isin(gap_blocks, flow_blocks), max_gap=5.0)
    chans = channels_from_gaps(gaps, ink=lay.boxes, headings=False)
    nodes = np.concatenate([bb, figs, hseps, chans]) if B else np.zeros((0, 4))
    order = reading_order(nodes)
    rank = np.empty(len(nodes), np.int64)
    rank[order] = np.arange(len(nodes))
    # the page's own order also cuts a column whose text stops over a heading beside a strip
    # edge (the Feuilleton under the line) or whose gap is set a hair off the strip edge's
    # band (a step); the stitching evidence keeps the text-only, straight channels
    page_chans = channels_from_gaps(gaps, ink=lay.boxes, steps=True)
    page_nodes = nodes
    if not np.array_equal(page_chans, chans):
        page_nodes = np.concatenate([bb, figs, hseps, page_chans])
        order = reading_order_again(page_nodes, nodes, order)
    # and reads a masthead whole before the columns whose tops reach up beside its ears
    cut = head_cut(bb, np.isin(np.arange(B), flow_blocks), np.array([len(b) for b in lay.blocks]), lay.em)
    order = split_at(order, page_nodes, cut)
    banners = bb[banner_blocks].reshape(-1, 4)
    return Units(text=text, heads=heads, head_boxes=hb, rank=rank[:B], node_boxes=nodes,
                 order_nodes=order, channels=chans, banners=banners)


def _indented(lay: Layout, ks: np.ndarray) -> list[bool | None]:
    """Per block k: is its first line indented against the median left edge of the others?
    (None for one-line blocks.) One sort for all blocks."""
    out: list[bool | None] = [None] * len(ks)
    multi = [n for n, k in enumerate(ks) if len(lay.blocks[k]) >= 2]
    if not multi:
        return out
    rest = [lay.blocks[ks[n]][1:] for n in multi]
    first = np.array([lay.blocks[ks[n]][0] for n in multi])
    med = group_medians(lay.boxes[:, 0], rest)
    ind = (lay.boxes[first, 0] - med > 0.8 * lay.em).tolist()
    for n, v in zip(multi, ind):
        out[n] = v
    return out


def _nothing_between(P: np.ndarray, Q: np.ndarray, rows: np.ndarray, cols: np.ndarray,
                     nodes: np.ndarray) -> np.ndarray:
    """(len(rows),) bool: no node lies in the vertical gap between P[rows] (above) and Q[cols]
    (below), within their common x-range. Only the candidate pairs are tested, and each only
    against the nodes whose centre lies in its gap (a sorted sweep: the nodes sorted by centre,
    each gap's run found by binary search), not against every node: most gaps hold none."""
    out = np.ones(len(rows), bool)
    if len(rows) == 0 or len(nodes) == 0:
        return out
    x0 = np.maximum(P[rows, 0], Q[cols, 0])
    x1 = np.minimum(P[rows, 2], Q[cols, 2])
    cy = (nodes[:, 1] + nodes[:, 3]) / 2
    by_cy = np.argsort(cy, kind="stable")
    cy_s, nx0, nx1 = cy[by_cy], nodes[by_cy, 0], nodes[by_cy, 2]
    # the run of nodes with top + 1 < cy < bot - 1 (a NaN centre sorts last, in no run)
    lo = np.searchsorted(cy_s, P[rows, 3] + 1, side="right")
    hi = np.searchsorted(cy_s, Q[cols, 1] - 1, side="left")
    n = np.maximum(hi - lo, 0)
    ends = np.cumsum(n)
    for s, e in _runs_in_chunks(ends, 1 << 20):
        k = n[s:e]
        start = ends[s:e] - k - (ends[s] - n[s])  # each run's first place in this chunk
        pair = np.repeat(np.arange(s, e), k)
        node = np.repeat(lo[s:e] - start, k) + np.arange(int(k.sum()))
        hit = (np.minimum(x1[pair], nx1[node]) - np.maximum(x0[pair], nx0[node])) > 0
        out[pair[hit]] = False
    return out


def _runs_in_chunks(ends: np.ndarray, size: int) -> list[tuple[int, int]]:
    """[s, e) slices of the runs whose lengths end at ``ends`` (cumulative), each slice about
    ``size`` elements at most (one run may exceed it alone): bounded memory for the sweep."""
    out, s = [], 0
    while s < len(ends):
        base = int(ends[s - 1]) if s else 0
        e = max(int(np.searchsorted(ends, base + size, side="right")), s + 1)
        out.append((s, e))
        s = e
    return out


#: StitchConfig fields that weigh a piece of evidence (``evidence_from_features``); the rest
#: of the config are the costs of leaving an end or a start unjoined.
WEIGHT_NAMES = ("w_below", "w_flow", "w_flow_back", "w_column", "w_head_first", "w_beside", "w_strip",
                "far_content", "w_continue", "w_break", "w_mismatch", "w_junction", "w_junction_cjk", "w_clash",
                "w_stop_lower", "w_content", "w_size", "w_apart", "dangling_end", "open_orphan", "orphan", "empty_head")


def evidence(lay: Layout, u: Units, text_idx: np.ndarray, head_idx: np.ndarray,
             cfg: StitchConfig, script: str) -> Evidence:
    """Scores for heads[head_idx] + text[text_idx] (rows) × text[text_idx] (columns)."""
    feats, eo, so = evidence_features(lay, u, text_idx, head_idx, script, _unit_content(cfg))
    return evidence_from_features(feats, eo, so, cfg, len(head_idx))


def evidence_from_features(feats: dict[str, np.ndarray], eo: np.ndarray, so: np.ndarray,
                           cfg: StitchConfig, n_heads: int) -> Evidence:
    """The weighted sum of the named pieces of evidence (``evidence_features``)."""
    f = feats
    G = n_heads
    geo = (cfg.w_below * f["below"] + cfg.w_flow * f["flow"] + cfg.w_flow_back * f["flow_back"]
           + cfg.w_column * f["column"] + cfg.w_beside * f["beside"] + cfg.w_strip * f["strip"])
    if G:
        geo[:G] = np.maximum(geo[:G], cfg.w_head_first * f["head_first"][:G])
    text = (cfg.w_continue * f["cont"] + cfg.w_junction * f["junction"] + cfg.w_junction_cjk * f["junction_cjk"]
            + cfg.w_break * f["brk"] - cfg.w_mismatch * f["mis"]
            - cfg.w_clash * f["clash"] - cfg.w_stop_lower * f["stop_lower"])
    content = cfg.w_content * f["content"]
    style = -cfg.w_size * f["size"] - cfg.w_apart * f["apart"]
    gate = np.where(f["linked"] > 0, 1.0, cfg.far_content)
    dangle = np.maximum(eo, f["goes_on"]) if "goes_on" in f else None
    return Evidence(geo=geo, text=text, content=content, style=style, end_open=eo, start_open=so,
                    content_gate=gate, dangle=dangle)


def subhead_shaped(texts: list[list[str]]) -> np.ndarray:
    """(T,) bool: one line opening on a capital and stopping on a letter or digit, with no
    punctuation after it: a subhead's shape ("Tourists return to the pier"), read as body when
    layout missed its role (a spilled column line "…many of them" opens lower-case, or ends on a
    comma or a hyphen)."""
    return np.array([len(t) == 1 and t[0].strip()[:1].isupper() and t[0].strip()[-1:].isalnum()
                     for t in texts], dtype=bool)


def evidence_features(lay: Layout, u: Units, text_idx: np.ndarray, head_idx: np.ndarray,
                      script: str, unit: StitchConfig = _UNIT_CONTENT) -> tuple[dict[str, np.ndarray], np.ndarray, np.ndarray]:
    """Every piece of pair evidence on its own, unweighted: (R, T) arrays by name, and the
    end (R,) and start (T,) openness. Rows are heads[head_idx] + text[text_idx], columns
    text[text_idx]. Geometry: ``below`` (directly below, nothing between), ``flow`` /
    ``flow_back`` (next text in the page's reading order, forward / back to the left),
    ``column`` (same column further down), ``beside`` (next column of the band), ``strip``
    (next strip across a white channel), ``head_first`` (the block a headline opens with);
    text: ``cont`` / ``brk`` / ``mis`` (both sides open / both closed / one of each),
    ``junction`` / ``junction_cjk`` (the junction makes a word, −1..1, on open ends; the
    second on Han pages, the first elsewhere); ``clash`` (Latin: a determiner at the end before
    a word that cannot follow one, `lexicon.junction_clash`, on open ends); ``stop_lower``
    (Latin: a sentence's end before a lower-case start); ``content`` (shared
    distinctive words, a candidate's clipped z-score); ``size`` (different type size; a
    Latin candidate of one or two lines not where it reads bigger);
    ``linked`` (geometry or a broken sentence links the pair: content counts in full)."""
    bb = lay.block_boxes
    em = lay.em
    tb = u.text[text_idx]
    Q = bb[tb]
    P = np.concatenate([u.head_boxes[head_idx], Q])
    G = len(head_idx)
    T = len(tb)
    wq = Q[:, 2] - Q[:, 0]
    wp = P[:, 2] - P[:, 0]
    ox = overlap_x(P, Q)
    gap = Q[None, :, 1] - P[:, None, 3]
    minw = np.minimum(wp[:, None], wq[None, :])
    minw[:G] = wq[None, :]
    col = ox >= 0.5 * minw
    below = col & (gap > -0.5 * em) & (gap < 3.0 * em)
    r_idx, c_idx = np.nonzero(below)
    below[r_idx, c_idx] = _nothing_between(P, Q, r_idx, c_idx, u.node_boxes)
    # flow: next text block after the predecessor in the page's reading order
    rank_q = u.rank[tb]
    rank_p = np.concatenate([[min(u.rank[k] for k in u.heads[h]) for h in head_idx], rank_q]).astype(float)
    later = rank_q[None, :] > rank_p[:, None]
    dist = np.where(later, rank_q[None, :] - rank_p[:, None], np.inf)
    nxt = np.argmin(dist, axis=1)
    flow = np.zeros((G + T, T), bool)
    has = np.isfinite(dist[np.arange(G + T), nxt])
    flow[np.nonzero(has)[0], nxt[has]] = True
    # a story does not run on down its column past a section banner: the page's order passes
    # there, the text does not (a headline would be the same, were every headline-sized line
    # one: NewsEye's "(PAR FIL SPÉCIAL)" datelines sit inside their stories)
    r_idx, c_idx = np.nonzero(flow)
    down = Q[c_idx, 1] >= P[r_idx, 3] - 0.5 * em
    r_idx, c_idx = r_idx[down], c_idx[down]
    flow[r_idx, c_idx] = _nothing_between(P, Q, r_idx, c_idx, u.banners)
    roles = [lay.roles[k] for k in tb]
    line_text = lay.texts
    texts = [[line_text[i] for i in lay.blocks[k].tolist()] for k in tb]
    n_lines = np.array([len(t) for t in texts], dtype=np.int64)
    glue = "" if script == "cjk" else " "
    # a Han subhead found by its place reads as body here (`_apart_as_body`), but no sentence
    # runs into it: it opens as a subhead does (closed). Its bare end stays read as body's
    # (read closed too, the first pass's chains shift and 200008 falls 0.930 -> 0.792)
    titled = [r == R.SUBHEAD or k in lay.han_apart for r, k in zip(roles, tb.tolist())]
    eo_t = np.array([0.0 if r == R.SUBHEAD else end_openness(glue.join(t[-2:]), script)
                     for r, t in zip(roles, texts)])
    if script != "cjk":
        # a frame's foot over the head of another frame stacked under it is not one text
        # running on down its column: "directly below" says nothing there (`stacked_apart`)
        sub = np.array([r == R.SUBHEAD for r in roles], dtype=bool)
        # a column piece, or any block that stops mid-sentence (no story leaves white there)
        piece = (n_lines >= STACKED_PIECE) | (eo_t > 0.5)
        foot = np.concatenate([np.zeros(G, bool), piece & ~sub])
        head = (n_lines >= 2) & ~sub
        below &= ~stacked_apart(gap, em, foot, head)
    same_col = col & (gap > -0.5 * em)
    column = same_col & ~below
    beside = next_column(P, Q, em, G)
    if script == "cjk":
        # a column stopping at a strip's foot reads across, not down past the white
        white = strip_white(lay, tb)
        across = strip_foot_down(P, Q, beside, below, white, em, G)
        below &= ~across
        flow &= ~across
    if script == "cjk":
        # a column's foot going on in its tail strip, set beside it or under it (`tail_strip`)
        body = np.array([r == R.BODY for r in roles], dtype=bool)
        tall = np.concatenate([np.zeros(G, bool), body & (n_lines >= 3)])
        tails, down_last = tail_strip(P, Q, body & (n_lines <= 2), tall, em, G)
        below &= ~down_last
        flow &= ~down_last
    else:
        tails = np.zeros((G + T, T), bool)
    # a carriage return (the next text lies back to the left, in a lower band) is only as
    # strong as the page's order there, which puts one arbitrary story's end before it
    back = Q[None, :, 2] <= P[:, None, 0] + 0.5 * em
    feats: dict[str, np.ndarray] = {
        "below": below.astype(float), "flow": (flow & ~back).astype(float),
        "flow_back": ((flow & back) | tails).astype(float), "column": column.astype(float),
        "beside": beside.astype(float),
        "strip": (next_strip(P, Q, u.channels, em, G) | tails).astype(float),
        "head_first": np.zeros((G + T, T)),
    }
    if G:
        subheads = np.array([lay.roles[k] == R.SUBHEAD for k in tb.tolist()], dtype=bool)
        flush_left = set_flush_left(lay, [u.heads[h] for h in head_idx.tolist()])
        feats["head_first"][:G] = head_first(lay, u.head_boxes[head_idx], Q, u.node_boxes, subheads, flush_left)
    opens = feats["head_first"][:G].any(axis=0)  # blocks that open a headline's story
    # ... and a rule between such a block and the text to its left says the same: across the
    # rule, the next column and the page's order lead into another story's start
    vs = np.array([sp.bbox for sp in lay.separators if sp.orientation == "v"]).reshape(-1, 4)
    if len(vs) and opens.any():
        across = np.zeros((G + T, T), bool)
        for k in ("flow", "flow_back", "beside", "strip"):
            across |= feats[k] > 0
        across[:G] = False
        across[:, ~opens] = False
        r_i, c_i = np.nonzero(across)
        ruled = _rule_between(P[r_i], Q[c_i], vs)
        for k in ("flow", "flow_back", "beside", "strip"):
            feats[k][r_i[ruled], c_i[ruled]] = 0.0

    first = [glue.join(t[:3]) if script == "cjk" else (t[0] if t else "") for t in texts]
    last = [glue.join(t[-2:]) if script == "cjk" else (t[-1] if t else "") for t in texts]
    # the first paragraph under a headline is set without indent, so for headline rows the
    # missing indent says nothing: judge the start by its words alone (so_head)
    fixed = [r in (R.SUBHEAD, R.BYLINE) or ti for r, ti in zip(roles, titled)]
    so_head = np.array([0.0 if fx else start_openness(f, script, indented=None)
                        for fx, f in zip(fixed, first)])
    # ... and a story's first block is set flush under its headline, so that missing indent
    # says "continued" to no other predecessor either
    # (an indent there still says "a paragraph starts")
    # ... and in English and French, where only names and sentences' first words are capitalised,
    # a function word's capital set flush at a column's or a frame's head ("The council…", "Le
    # projet…") opens a sentence as it does under a headline: no indent is kept there (ground
    # truth of s11 / 130 en and fr: 1 of 596 lines opening so follows an open end)
    lang = "" if script == "cjk" else page_language(line_text)
    capital = (np.array([lang in NAME_CASE_LANGS and f.lstrip()[:1].isupper() for f in first], dtype=bool)
               & ~capital_word_start(first, lang))
    # ... but not directly under a one-line text block that stops on a word with no stop after
    # a capital ("Tourists return to the pier" + "The reopening…"): a subhead read as body as
    # often as a spilled line, and then the start is its paragraph, set flush under it. Read as
    # a new sentence it turns that true link into a mismatch (end to end from the scan, the start
    # then went to a stray headline: en-24000724); its flush keeps its usual reading there.
    shaped = subhead_shaped(texts) if script != "cjk" else np.zeros(len(texts), bool)
    if capital.any():
        under = ((feats["below"][G:] > 0) | (feats["column"][G:] > 0)) & (shaped & (eo_t > 0.5))[:, None]
        capital &= ~under.any(axis=0)
    indents = [None if fx or ((op or cap) and ind is False) else ind
               for fx, op, cap, ind in zip(fixed, opens, capital, _indented(lay, tb))]
    so = np.array([indent_openness(sh, script, ind) for sh, ind in zip(so_head, indents)])
    eo = np.concatenate([np.zeros(G), eo_t])
    j = np.full((G + T, T), 0.5)
    # the junction only matters where a text stops mid-sentence and another starts mid-sentence.
    # Where the start is in doubt (a one-line block has no indent to tell), only a word made
    # across the break counts ("…卖到一" + "百二十元。"); an ordinary word boundary says nothing.
    ends = np.nonzero(eo_t > 0.5)[0]
    starts = np.nonzero(so > 0.3)[0]
    full = [lay.block_texts[k] for k in tb.tolist()]
    if len(ends) and len(starts):
        jm = junction_matrix(
            [last[k] for k in ends], [first[k] for k in starts], script,
            quote_context=([full[k] for k in ends], [full[k] for k in starts]))
        doubt = np.maximum(jm, 0.5)
        if script == "cjk":
            # ... but half a word left at the end ("…打造了航") that this start does not complete
            # stays unrepaired however the start opens: the end looks for the start that makes
            # its word, so a one-line start cannot take it for free (zh-15000454: "…订了三" +
            # "天科普中心" took the 航天 start, "…打造了航" the one-line "晚的民宿")
            frag = cjk_fragment_tails([last[k] for k in ends])
            doubt = np.where(jm > 0.5, jm, 0.5 - CJK_FRAGMENT_DROP * frag[:, None])
        j[np.ix_(G + ends, starts)] = np.where(so[starts] > 0.5, jm, doubt)
    so_rows = np.concatenate([np.broadcast_to(so_head, (G, T)), np.broadcast_to(so, (T, T))]) if T else np.zeros((G, 0))
    # ... but a German end that wants its noun ("…will bis" + "Ende Jahr") is read against the
    # flush starts under a headline as well (no indent judges them: 0.3 by the capital alone).
    # Read only against starts judged open, the rule lifts another story's noun over the true
    # one ("Stadt zudem…", de-12400377). For such a pair the capital is the noun wanted, not a
    # sentence's start: the start counts as a flush capital start does (`indent_openness`).
    # Not at a one-line block elsewhere (often a column's spilled last line: the lift there
    # cost two s41 / fresh pages more than it mended) nor at an indented start (a paragraph's).
    # A one-line block elsewhere is read by the rule's firmer half only: an end on a number
    # ("…Bestände in drei" + "Jahren erholt haben, weiss nie-", de-1100036) goes on in the noun
    # it counts, where an article or a preposition may stand before an adjective first.
    # A one-line block that closes its own sentence ("Ausstieg vorher zu kennen.") is a
    # column's spilled last line, the tail of some text: every firm end (an article, an
    # adjective after one, a number: `lexicon.firm_noun_ends`) reads it. Seen German pages: of
    # the one-line capital blocks a firm end wants, the true ones close their sentence 12 times
    # in 13, the false ones 37 times in 255 (mostly one-line openings, "Kurse für Zugezogene").
    bare = (so <= 0.3) & np.array([ind is None and not fx for ind, fx in zip(indents, fixed)], dtype=bool)
    one_line = np.array([len(t) == 1 for t in texts], dtype=bool)
    unjudged = np.nonzero(bare & (opens | one_line))[0]
    e_txt = [last[k] for k in ends]
    firm = firm_noun_ends(e_txt, lang)
    if len(ends) and len(unjudged):
        u_txt = [first[k] for k in unjudged]
        tail = (one_line & (eo_t <= 0.5) & ~opens)[unjudged]
        nw = noun_wanted(e_txt, u_txt, lang, counted=~opens[unjudged] & ~tail)
        nw &= firm[:, None] | ~tail[None, :]
        cell = np.ix_(G + ends, unjudged)
        j[cell] = np.where(nw, NOUN_WANTED, j[cell])
        flush = np.array([indent_openness(so_head[k], script, False) for k in unjudged])
        so_rows[cell] = np.where(nw, np.maximum(so_rows[cell], flush[None, :]), so_rows[cell])
    if len(ends) and len(starts):
        # a German capital the end wants as its noun ("…aus der" + "Umgebung.") starts no
        # sentence: it is as open as a lower-case start set the same way (`indent_openness`),
        # or the lower-case start of another story ("stark an, …") outscores it
        nw = noun_wanted(e_txt, [first[k] for k in starts], lang) & firm[:, None]
        cell = np.ix_(G + ends, starts)
        low = np.array([indent_openness(LOWER_START, script, indents[k]) for k in starts])
        nw &= np.array([indents[k] is not True for k in starts], bool)[None, :]  # a paragraph's
        so_rows[cell] = np.where(nw, np.maximum(so_rows[cell], low[None, :]), so_rows[cell])
    # ... and in a language that capitalises only names (`lexicon.NAME_CASE_LANGS`), an end on a
    # name's word ("…Senior conservator Harriet") may go on in a capital ("Pennock said…"): for
    # such a pair the capital speaks that much less for a new sentence (`NAME_SHIFT` in log-odds).
    # A fixed start (subhead, byline) keeps its role's value.
    if lang in NAME_CASE_LANGS and len(ends) and T:
        named = name_runs_on([last[k] for k in ends], first, lang) & ~np.array(fixed, dtype=bool)[None, :]
        cell = np.ix_(G + ends, np.arange(T))
        p = np.clip(so_rows[cell], 1e-4, 1 - 1e-4)
        lifted = 1.0 / (1.0 + (1 - p) / p * np.exp(-NAME_SHIFT))
        so_rows[cell] = np.where(named, lifted, so_rows[cell])
    feats["cont"] = eo[:, None] * so_rows
    feats["brk"] = (1 - eo)[:, None] * (1 - so_rows)
    feats["mis"] = eo[:, None] * (1 - so_rows) + (1 - eo)[:, None] * so_rows
    # the block right under a headline is its story's start however it opens (a dateline
    # heading runs on into it: "NEW-YORK, LE Nürnberg est" / "arrivé.")
    feats["mis"][:G] *= 1.0 - feats["head_first"][:G]
    # the two lexicons weigh differently: a Han word across the break (赣+州, a posterior from
    # jieba's dictionary, `lexicon._cjk_junction`) is stronger evidence than a Latin word
    # rebuilt across a line end (fitted on the training sets: NLL of the true links lowest
    # at 3.0 on seedrand-2 / s11-zh / seedplain-8, at 2.0 on s11 de / fr / en)
    junction = (2 * j - 1) * eo[:, None]
    han = script == "cjk"
    if han:
        # ... and from the next strip the page's order climbs back to that column's top: it
        # continues the block beside it, not the text under the white — unless the text
        # says otherwise on both sides: that block is no continuation of the column
        # (`text_apart`), and the text under the white stops mid-sentence (read here, after
        # the openness of both ends)
        climb = strip_climb(P, Q, beside, bb, u.head_boxes, white, em, G,
                            apart=text_apart(eo_t, so), reads_on=eo > 0.5)
        feats["flow"][climb] = 0.0
        feats["flow_back"][climb] = 0.0
    feats["junction"] = np.zeros_like(junction) if han else junction
    feats["junction_cjk"] = junction if han else np.zeros_like(junction)
    # a determiner at the end before a word that cannot follow one ("par le" + "de limiter"),
    # or a lower-case stem's hyphen before a capital ("mis en ser-" + "Thonon."): two texts
    # whose words make no phrase or no word (`lexicon.junction_clash`, Latin pages)
    feats["clash"] = np.zeros((G + T, T))
    if not han and len(ends) and T:
        feats["clash"][G + ends] = junction_clash([last[k] for k in ends], first, lang) * eo_t[ends, None]
    # a Latin lower-case start goes on a sentence: after a full stop it is another text's (none
    # of 2,705 sentence ends in the s11/s41 ground truth and 75 more generated pages is
    # followed by one; an abbreviation's stop is no end: `end_openness` 0.45). Not after a
    # subhead, which ends no sentence and is scored closed by its role.
    feats["stop_lower"] = np.zeros((G + T, T))
    if not han and T:
        lower = np.array([f.lstrip()[:1].isalpha() and f.lstrip()[:1].islower() for f in first])
        stop = (eo_t <= 0.1) & ~np.array([r == R.SUBHEAD for r in roles])
        feats["stop_lower"][G:] = stop[:, None] & lower[None, :]

    parts = content_texts(lay, script)
    head_texts = ["".join([parts[k] for k in u.heads[h]]) for h in head_idx]
    body = [parts[k] for k in tb.tolist()]
    sim = similarity_matrix(head_texts + body, body, script) if T else np.zeros((G + T, 0))
    if T:
        sim[G:][np.arange(T), np.arange(T)] = 0.0
    content = content_score(sim, unit, script)
    content[:G] *= 0.5
    feats["content"] = content

    # Latin: type size by advance, not ink height — a one-line "are now on canvas." has no
    # ascender and stands 0.75 em tall. Han glyphs fill the em, and justification stretches their advances.
    sizes = lay.boxes[:, 3] - lay.boxes[:, 1] if script == "cjk" else lay.line_sizes
    hq = group_medians(sizes, [lay.blocks[k] for k in tb])
    ratio = hq[None, :] / np.maximum(hq[:, None], 1e-9)
    size = np.zeros((G + T, T))
    if T:
        # a Latin line's advance counts its justified spaces at their set width, so it reads the
        # type too big wherever a line is stretched to its column ("rechnet   dennoch   mit").
        # Three lines or more outvote one such line; a block of one or two set to the same
        # measure as the text it would continue (a strip's column piece, a tail) bounds its
        # size from above only: as that candidate it may read bigger without being so
        # (de-11400344's tail strip cut into its columns). Not beside another measure (a word
        # spilled alone, "ein", a ragged line: their advance says little), nor the other way: a
        # one-line end read big over a short start read small ("nent.") is as often a wrong
        # pair (fr-4100126 lost two joins).
        few = np.zeros(T, bool) if script == "cjk" else np.array(
            [len(lay.blocks[k]) <= FEW_LINES for k in tb.tolist()], dtype=bool)
        measure = wq[None, :] / np.maximum(wq[:, None], 1e-9)
        bound = few[None, :] & (measure >= 0.9) & (measure <= 1.1)
        size[G:] = (ratio < 0.85) | ((ratio > 1.18) & ~bound)
        # a subhead is set in its own type by design ("(PAR FIL SPÉCIAL)", bold 小标题):
        # its size says nothing about the text before or after it
        sub = np.array([r == R.SUBHEAD for r in roles])
        size[G:][sub, :] = 0.0
        size[:, sub] = 0.0
    feats["size"] = size
    # a framed box holds its story whole: nothing runs into it or out of it
    feats["apart"] = boxed_apart(lay, np.concatenate([u.head_boxes[head_idx], Q]), Q)
    # shared words alone are weak evidence: stories on one page share their topic. Where
    # nothing places b after a and no sentence runs across, they count for less.
    mid = (eo[:, None] > 0.5) & (so[None, :] > 0.5)
    geo_any = np.zeros((G + T, T), bool)
    for k in ("below", "flow", "flow_back", "column", "beside", "strip", "head_first"):
        geo_any |= feats[k] > 0
    feats["linked"] = (geo_any | mid).astype(float)
    if not han:
        # (R,), not a pair's: a Latin subhead at a column's foot (no text block directly below
        # it) heads a paragraph that stands at the head of another column, with no geometry to
        # it ("Des travaux sous la ville" | "Le tunnel sera creusé…"). Its end reads closed (a
        # paragraph opens after it) but costs what an open end costs to leave: closed, it was
        # free to stay last while another story took that paragraph (fr-26000781). Only one of
        # a subhead's shape (`subhead_shaped`): on NewsEye, a line read as a subhead at a
        # column's foot ("J 7, Faubourg-Saint-Honore>", an advertisement's address) then took
        # another story's block (bnf_18840315_1-0002 0.926 -> 0.913); with every subhead, text
        # under it or not, 0.889
        foot = np.array([r == R.SUBHEAD for r in roles], bool) & shaped & ~below[G:].any(axis=1)
        feats["goes_on"] = np.concatenate([np.zeros(G), foot.astype(float)])
    return feats, eo, so


def boxed_apart(lay: Layout, P: np.ndarray, Q: np.ndarray) -> np.ndarray:
    """(R, T) float: P[r] and Q[t] stand in different framed boxes (one of them may be in none).

    A boxed story (a photo-news item, a notice, a sidebar) is printed whole inside its frame:
    a block inside a box never continues outside it, and no text outside continues into it.
    Frames are closed rectangles of rules found in the image (`separators.frame_boxes` over the
    sides styled ``frame``); each box is in the innermost frame holding it, with a tolerance of
    half an em. Without an image there are none.
    """
    out = np.zeros((len(P), len(Q)))
    sides = tuple(s for s in lay.separators if s.style == "frame")
    if not sides:
        return out
    em = lay.em
    fb = np.array([f.bbox for f in frame_boxes(sides, tol=em, min_side=4 * em)], dtype=float).reshape(-1, 4)
    if len(fb) == 0:
        return out
    area = (fb[:, 2] - fb[:, 0]) * (fb[:, 3] - fb[:, 1])
    def frame_of(B: np.ndarray) -> np.ndarray:
        inside = ((B[:, None, 0] >= fb[None, :, 0] - 0.5 * em) & (B[:, None, 1] >= fb[None, :, 1] - 0.5 * em)
                  & (B[:, None, 2] <= fb[None, :, 2] + 0.5 * em) & (B[:, None, 3] <= fb[None, :, 3] + 0.5 * em))
        return np.where(inside.any(axis=1), np.argmin(np.where(inside, area[None, :], np.inf), axis=1), -1)
    fp, fq = frame_of(P), frame_of(Q)
    return (fp[:, None] != fq[None, :]).astype(float)


def _rule_between(A: np.ndarray, B: np.ndarray, vs: np.ndarray) -> np.ndarray:
    """(P,) bool: a vertical rule stands between box A[p] and box B[p] (left/right either way),
    overlapping both of them in height."""
    if len(A) == 0:
        return np.zeros(0, bool)
    x0 = np.minimum(A[:, 2], B[:, 2])[:, None]
    x1 = np.maximum(A[:, 0], B[:, 0])[:, None]
    cx = (vs[None, :, 0] + vs[None, :, 2]) / 2
    inside = (cx > x0) & (cx < x1)
    ov_a = np.minimum(A[:, None, 3], vs[None, :, 3]) - np.maximum(A[:, None, 1], vs[None, :, 1])
    ov_b = np.minimum(B[:, None, 3], vs[None, :, 3]) - np.maximum(B[:, None, 1], vs[None, :, 1])
    return (inside & (ov_a > 0) & (ov_b > 0)).any(axis=1)


def stacked_apart(gap: np.ndarray, em: float, foot: np.ndarray, head: np.ndarray,
                  white: float = STACKED_WHITE) -> np.ndarray:
    """(R, T) bool: more white (``gap``: Q's top under P's foot) than one story leaves between
    the blocks of its column, from a frame's foot (``foot``, (R,)) to a frame's head (``head``,
    (T,)) — on a Latin page another frame set under the upper one, no rule between (a
    continuation of some other story). Blocks of one story's column lie ≤ 1.2 em apart in the
    generated fr / en sets, stacked frames 1.27 em or more (docs/results.md, session 13).
    A foot is a column piece of three lines or more, or a block that stops mid-sentence; a head
    two lines or more; neither a headline nor a subhead: a one-line block set apart by white is
    often a subhead read as body, and a paragraph on a real page may close in a short piece
    over white of its own (NewsEye)."""
    return (gap > white * em) & foot[:, None] & head[None, :]


def next_column(P: np.ndarray, Q: np.ndarray, em: float, n_heads: int) -> np.ndarray:
    """(R, T) bool: Q[t] is the next column of text block P[r] in the same band — same top,
    same width, just to its right with no block in the gutter. The commonest continuation
    of all (a story set in several columns under one headline, a tail set as a row of
    short columns), and one that reading order alone can miss when a gap below makes the
    page read down instead of across."""
    R_, T = len(P), len(Q)
    out = np.zeros((R_, T), bool)
    if T < 2:
        return out
    A = P[n_heads:]
    wa = A[:, 2] - A[:, 0]
    wq = Q[:, 2] - Q[:, 0]
    gutter = Q[None, :, 0] - A[:, None, 2]
    # a one-line block is as wide as its text: the short last line of a story ("微型挖掘机产品。")
    # set alone at the top of its column is narrower than the column, never wider
    short = (Q[:, 3] - Q[:, 1]) < 1.8 * em
    ok = ((np.abs(Q[None, :, 1] - A[:, None, 1]) <= em) & (gutter > -0.5 * em) & (gutter < 3.0 * em)
          & ((wq[None, :] >= 0.8 * wa[:, None]) | short[None, :]) & (wq[None, :] <= 1.25 * wa[:, None]))
    # the nearest such block only: nothing starts in the gutter between them
    dist = np.where(ok, gutter, np.inf)
    best = dist.min(axis=1, keepdims=True)
    out[n_heads:] = ok & (dist <= best)
    return out


def strip_white(lay: Layout, tb: np.ndarray) -> np.ndarray:
    """(T, T) bool: text block tb[b] starts under tb[a] across a strip's white — its first line's
    centre stands more than 1 + `STRIP_WHITE` em under the centre of a's last line, the em being
    a's type size by its advance (`Layout.line_sizes`). Measured on centres and advances, not on
    the boxes' white over their heights: a recogniser that draws every box a pixel or two taller
    (feet jittered ±2 px) shrinks the white and grows the height-based em from the same pixels
    (seed-rand-22000664: 35 px of white over a 27 px em, 1.30 em, read 33 over 29, 1.14 em);
    the centres and the advance stay put. On true boxes of Han type (square) it is the same test."""
    bx = lay.boxes
    cy = (bx[:, 1] + bx[:, 3]) / 2
    blocks = [lay.blocks[k] for k in tb.tolist()]
    first, last = group_mins(cy, blocks), -group_mins(-cy, blocks)
    size = group_medians(lay.line_sizes, blocks)
    return first[None, :] - last[:, None] > (1.0 + STRIP_WHITE) * size[:, None]


def text_apart(end_open: np.ndarray, start_open: np.ndarray) -> np.ndarray:
    """(T, T) bool: block a's text closes its sentence (`end_openness` ≤ 0.5) and block b's
    opens mid-sentence (`start_openness` > 0.5): b goes on from some other text, not from a.
    Where the page set b as a's next column, that placement is no evidence against the text
    that does read on into b (seed-rand-15000451: "…40家中国500强企业直接" under the strip's
    white goes on in "投资。为支持…", set beside another story's closed "…亿元以上。")."""
    return (end_open[:, None] <= 0.5) & (start_open[None, :] > 0.5)


def strip_foot_down(P: np.ndarray, Q: np.ndarray, beside: np.ndarray, below: np.ndarray, white: np.ndarray,
                    em: float, n_heads: int) -> np.ndarray:
    """(R, T) bool: Q[t] lies below text block P[r] across a strip's white (``white``, (T, T)
    `strip_white`: wider than any line spacing) while P's next column (`next_column`) stops at
    P's foot too: P ends a column of a strip, and its text reads on across to that column, not down into the
    next strip (whose subhead, as wide as its column, no subhead rule takes after an open end).
    A column with no such neighbour — a story set in one column, a strip's last column, or a
    neighbour running on past P's foot — is left to read down."""
    R_, T = len(P), len(Q)
    out = np.zeros((R_, T), bool)
    if T < 2:
        return out
    foot = np.zeros(R_, bool)
    foot[n_heads:] = (beside[n_heads:] & (np.abs(Q[None, :, 3] - P[n_heads:, None, 3]) <= 0.5 * em)).any(axis=1)
    out[n_heads:] = below[n_heads:] & foot[n_heads:, None] & white
    return out


def strip_climb(P: np.ndarray, Q: np.ndarray, beside: np.ndarray, blocks: np.ndarray, heads: np.ndarray,
                white: np.ndarray, em: float, n_heads: int, apart: np.ndarray | None = None,
                reads_on: np.ndarray | None = None) -> np.ndarray:
    """(R, T) bool: text block Q[t] is the next column (`beside`) of a block A, and P[r] lies
    under A past the foot of A's strip — across a strip's white (``white``, (T, T)
    `strip_white`; no block between) or under a headline set between the two — and under all of Q too: the page's
    order reads A's column down into the next strip (P) and only then climbs back to Q. Q goes
    on from A, not from the other strip (zh-22000663: "夜游项目带旺消费" and its column,
    beside their story's first column, were read after another story's tail set under that
    column). A subhead alone between A and P keeps them one column of one story, read down
    and then across. Across a strip's white (no headline between), an A whose text parts from
    Q's (``apart`` (T, T), `text_apart`) sends no climb from a P that stops mid-sentence
    (``reads_on`` (R,)): Q goes on from some other text, and P's may be it (seed-rand-15000451:
    "…中国500强企业直接" under another story's closed last column, on in "投资。为支持…").

    P (R, 4) rows (heads first), Q (T, 4) text blocks, blocks (B, 4) all
    the page's blocks, heads (H, 4) its headline groups."""
    R_, T = len(P), len(Q)
    out = np.zeros((R_, T), bool)
    if T < 2 or not beside.any():
        return out
    A = P[n_heads:]
    wa = A[:, 2] - A[:, 0]
    ox = overlap_x(A, P)
    # over[a, r]: A[a] stands in P[r]'s column, its foot over P[r]'s top
    gap = P[None, :, 1] - A[:, 3, None]
    # ... and under the foot of some next column of A (else it climbs back to none: `out` below)
    next_foot = np.where(beside[n_heads:], Q[None, :, 3], np.inf).min(axis=1)
    over = ((ox >= 0.5 * np.minimum(wa[:, None], (P[:, 2] - P[:, 0])[None, :])) & (gap > 0.5 * em)
            & (P[None, :, 1] > next_foot[:, None]))
    over[:, :n_heads] = False
    a_i, r_i = np.nonzero(over)
    # a headline between (few nodes) first; the page's blocks only where that does not decide
    headed = ~_nothing_between(A, P, a_i, r_i, heads)
    ask = ~headed & white[a_i, r_i - n_heads]
    keep = headed.copy()
    keep[ask] = _nothing_between(A, P, a_i[ask], r_i[ask], blocks)
    over[a_i, r_i] = keep
    # out[r, t]: some A over P[r] has Q[t] for its next column (sparse: few A have one) ...
    nxt = beside[n_heads:]
    if apart is not None:
        # ... across a strip's white from a P that stops mid-sentence, only where A's text and
        # Q's do not part (`text_apart`)
        firm = np.zeros_like(over)
        firm[a_i, r_i] = headed
        firm |= over & ~reads_on[None, :]
        nxt = nxt & ~apart
        out = (sparse.csr_matrix(firm.T.astype(np.int32))
               @ sparse.csr_matrix(beside[n_heads:].astype(np.int32))).toarray() > 0
    out |= (sparse.csr_matrix(over.T.astype(np.int32)) @ sparse.csr_matrix(nxt.astype(np.int32))).toarray() > 0
    out &= Q[None, :, 3] < P[:, None, 1]
    return out


def next_strip(P: np.ndarray, Q: np.ndarray, channels: np.ndarray, em: float, n_heads: int) -> np.ndarray:
    """(R, T) bool: Q[t] opens the strip below a white channel whose strip above P[r] ends.

    A story set in strips is read across each strip, then from the end of its last column
    back to the first column of the next strip: the block just above the channel's right
    end continues in the block just below its left end.
    """
    R_, T = len(P), len(Q)
    out = np.zeros((R_, T), bool)
    if T < 2 or len(channels) == 0:
        return out
    A = P[n_heads:]
    cy = (channels[:, 1] + channels[:, 3]) / 2
    ends = ((np.abs(A[:, None, 2] - channels[None, :, 2]) <= em)
            & (cy[None, :] - A[:, None, 3] > -0.5 * em) & (cy[None, :] - A[:, None, 3] < 5 * em))
    opens = ((np.abs(Q[:, None, 0] - channels[None, :, 0]) <= em)
             & (Q[:, None, 1] - cy[None, :] > -0.5 * em) & (Q[:, None, 1] - cy[None, :] < 3 * em))
    # pairs that share a channel, channel by channel (each has few ends and opens): an int64
    # matrix product has no fast path in NumPy, and a float one goes to BLAS threads, which
    # stall when the machine is busy (30x slower measured on a loaded 2-core box)
    for c in np.nonzero(ends.any(axis=0) & opens.any(axis=0))[0]:
        out[np.ix_(n_heads + np.nonzero(ends[:, c])[0], np.nonzero(opens[:, c])[0])] = True
    return out


def tail_strip(P: np.ndarray, Q: np.ndarray, short: np.ndarray, tall: np.ndarray, em: float,
               n_heads: int, steps: int = 8) -> tuple[np.ndarray, np.ndarray]:
    """((R, T) bool, (R, T) bool): Q[t] opens a tail strip that text block P[r] runs on into — a row of short
    pieces (``short``, (T,): a line or two each), the same top, each the next column of the
    one before, set beside a column (``tall``, (R,)) whose foot stands level with the row's
    foot just right of it, or under such a column standing over the row's right end. A
    story's last column that does not fit its frame goes on in a strip of the frame's width
    set under a rule, read from its left end ("…在家只" → "在视频里见过，…" under the rule
    two columns to the left): reading order and `next_column` lead from the column's foot
    down or to the right, never back to the row's first piece, and a one-line piece has no
    indent to say it goes on. Second: the row's last piece under such a column, which it
    does not read down into (the row's left neighbour goes on there)."""
    R_, T = len(P), len(Q)
    out = np.zeros((R_, T), bool)
    down = np.zeros((R_, T), bool)
    if T < 3 or short.sum() < 2:
        return out, down
    gutter = Q[None, :, 0] - Q[:, None, 2]
    row = (short[:, None] & short[None, :] & (np.abs(Q[None, :, 1] - Q[:, None, 1]) <= 0.5 * em)
           & (gutter > -0.5 * em) & (gutter < 3.0 * em))
    first = np.nonzero(~row.any(axis=0) & row.any(axis=1))[0]
    if not len(first):
        return out, down
    # each row's right end and foot: walked piece by piece to the right (rows are short)
    cur, x1, foot = first.copy(), Q[first, 2].copy(), Q[first, 3].copy()
    for _ in range(steps):
        step = np.where(row[cur], gutter[cur], np.inf)
        nxt = step.argmin(axis=1)
        go = np.isfinite(step[np.arange(len(cur)), nxt])
        if not go.any():
            break
        cur = np.where(go, nxt, cur)
        x1, foot = np.maximum(x1, Q[cur, 2]), np.maximum(foot, Q[cur, 3])
    x0, top, last_x0 = Q[first, 0], Q[first, 1], Q[cur, 0]
    A = P[n_heads:]
    ok_a = tall[n_heads:, None] & (A[:, None, 1] < top[None, :] - 3.0 * em)
    # beside: the column just right of the row, its foot level with the row's foot
    side = ((A[:, None, 0] - x1[None, :] > -0.5 * em) & (A[:, None, 0] - x1[None, :] < 3.0 * em)
            & (np.abs(A[:, None, 3] - foot[None, :]) <= em))
    # over: the column standing on the row's last piece, its foot just over the row's top
    over = ((top[None, :] - A[:, None, 3] > -0.5 * em) & (top[None, :] - A[:, None, 3] < 3.0 * em)
            & (np.abs(A[:, None, 0] - last_x0[None, :]) <= em) & (A[:, None, 0] > x0[None, :] + em))
    out[n_heads:, first] = ok_a & (side | over)
    a_i, f_i = np.nonzero(ok_a & over)
    down[n_heads + a_i, cur[f_i]] = True
    return out, down


def head_reach(lay: Layout, heads: np.ndarray) -> np.ndarray:
    """(G, 2) the x-range a headline governs: widened left and right until the nearest
    text or rule that stands beside it, so a centred title covers the columns under it."""
    out = np.empty((len(heads), 2))
    boxes = lay.boxes
    vs = np.array([s.bbox for s in lay.separators if s.orientation == "v"]).reshape(-1, 4)
    obst = np.concatenate([boxes, vs])
    for g, h in enumerate(heads):
        beside = (obst[:, 3] > h[1] + 1) & (obst[:, 1] < h[3] - 1)
        left = obst[beside & (obst[:, 2] <= h[0] + 1), 2]
        right = obst[beside & (obst[:, 0] >= h[2] - 1), 0]
        out[g] = (left.max() if len(left) else 0.0, right.min() if len(right) else float(lay.width))
    return out


def set_flush_left(lay: Layout, groups: list[tuple[int, ...]]) -> np.ndarray:
    """(G,) bool: the headline group's lines (kicker, title, byline) start at one left edge
    (within half an em) though their widths differ by 2 em or more — a group set flush left,
    which no centring explains, whatever the columns under it."""
    out = np.zeros(len(groups), bool)
    for g, blocks in enumerate(groups):
        lines = np.concatenate([lay.blocks[k] for k in blocks]) if blocks else np.zeros(0, int)
        if len(lines) < 2:
            continue
        b = lay.boxes[lines]
        w = b[:, 2] - b[:, 0]
        out[g] = np.ptp(b[:, 0]) <= 0.5 * lay.em and np.ptp(w) >= 2.0 * lay.em
    return out


def head_first(lay: Layout, heads: np.ndarray, Q: np.ndarray, nodes: np.ndarray,
               subheads: np.ndarray | None = None, flush_left: np.ndarray | None = None) -> np.ndarray:
    """(G, T) bool: the text block that opens each headline's article — the topmost block
    that starts below the headline within its reach (among near-ties the one flush with the
    headline's left edge, else the leftmost), photos between them allowed, other headlines
    and rules not. ``subheads`` (T,) bool: blocks that are subheads, centred in their own
    column, so their edges are no column's and they do not judge a headline centred.
    ``flush_left`` (G,) bool: groups set flush left (`set_flush_left`), never centred."""
    G, T = len(heads), len(Q)
    out = np.zeros((G, T), bool)
    if G == 0 or T == 0:
        return out
    reach = head_reach(lay, heads)
    em = lay.em
    inside = ((Q[None, :, 0] >= reach[:, None, 0] - 0.5 * em) & (Q[None, :, 2] <= reach[:, None, 1] + 0.5 * em)
              & (Q[None, :, 1] >= heads[:, None, 3] - 0.5 * em))
    # a headline set flush with the first block of a column under it (however far down, past
    # a photo) starts its story in that column and runs right from there: the columns to its
    # left that the widened reach takes in are another story's, whose headline is shorter
    # than its text (a title over two of four columns)
    # (a headline centred over the columns under it is flush with nothing: a column edge under
    # it is chance) — centred over the reach's topmost tier of text, or over the row of
    # columns right under the headline itself: a photo story's title over three columns
    # below its photo, whose reach the unseen photo leaves open to the page's edge
    # (columns only: a subhead is centred in its column, and a flush headline beside one —
    # the next story's subhead in its second column — would read as centred over the pair)
    cols = inside if subheads is None else inside & ~subheads[None, :]
    top0 = np.where(cols, Q[None, :, 1], np.inf)
    tier = cols & (top0 <= top0.min(axis=1, keepdims=True) + em)
    over = (np.minimum(Q[None, :, 2], heads[:, None, 2]) - np.maximum(Q[None, :, 0], heads[:, None, 0])) > 0
    top_under = np.where(cols & over, Q[None, :, 1], np.inf).min(axis=1, keepdims=True)
    row = cols & (np.abs(top0 - np.where(np.isfinite(top_under), top_under, 0.0)) <= em) & np.isfinite(top_under)
    # a photo credit set just over that row marks the photo's right (or left) edge: the
    # title is centred over the photo, whose last column of text may stop short of it
    cred = lay.block_boxes[np.array([r == R.CREDIT for r in lay.roles], bool)].reshape(-1, 4)
    at_row = ((cred[None, :, 3] <= top_under + 0.5 * em) & (cred[None, :, 3] >= top_under - 2.0 * em)
              & (cred[None, :, 0] >= reach[:, None, 0] - 0.5 * em) & (cred[None, :, 2] <= reach[:, None, 1] + 0.5 * em))
    centred = (_centred_over(heads, Q, tier, em)
               | _centred_over(heads, np.concatenate([Q, cred]), np.concatenate([row, at_row], axis=1), em))
    if flush_left is not None:
        # a kicker, title and byline of different widths on one left edge are set flush left:
        # a row of columns that happens to centre on them (the next story's second column
        # inside the widened reach) does not make them centred
        centred &= ~flush_left
    flush = inside & (np.abs(Q[None, :, 0] - heads[:, None, 0]) <= em) & ~centred[:, None]
    flush_first = _first_in_column(Q, inside, flush)
    inside &= ~(flush_first.any(axis=1)[:, None] & (Q[None, :, 0] < heads[:, None, 0] - em))
    top = np.where(inside, Q[None, :, 1], np.inf)
    # the story starts at the height of the topmost block under the headline itself: text
    # higher up that the widened reach takes in beside it (the next columns of the story to
    # its left, beside a boxed story's headline over its photo) is not its start
    top_over = np.where(inside & over, Q[None, :, 1], np.inf).min(axis=1)
    best = np.where(np.isfinite(top_over), top_over, top.min(axis=1))
    # (a headline with nothing inside its reach has no start: inf there, kept out of the sum)
    near = inside & (np.abs(top - np.where(np.isfinite(best), best, 0.0)[:, None]) <= em)
    # a headline set flush with a column opens its story there; a centred one (over a photo,
    # across its columns) opens it in the leftmost column it reaches
    flush = near & (np.abs(Q[None, :, 0] - heads[:, None, 0]) <= em) & ~centred[:, None]
    near = np.where(flush.any(axis=1)[:, None], flush, near)
    left = np.where(near, Q[None, :, 0], np.inf)
    pick = np.argmin(left, axis=1)
    ok = np.isfinite(best)
    out[np.nonzero(ok)[0], pick[ok]] = True
    return out


def _centred_over(heads: np.ndarray, Q: np.ndarray, sel: np.ndarray, em: float) -> np.ndarray:
    """(G,) bool: headline g is centred over the blocks sel[g] (within 2 em) and narrower than
    their span by 2 em or more."""
    t0 = np.where(sel, Q[None, :, 0], np.inf).min(axis=1)
    t1 = np.where(sel, Q[None, :, 2], -np.inf).max(axis=1)
    some = sel.any(axis=1)
    t0, t1 = np.where(some, t0, 0.0), np.where(some, t1, 0.0)
    return ((np.abs((heads[:, 0] + heads[:, 2]) - (t0 + t1)) / 2 < 2.0 * em)
            & (heads[:, 2] - heads[:, 0] < t1 - t0 - 2.0 * em))


def _first_in_column(Q: np.ndarray, cand: np.ndarray, test: np.ndarray) -> np.ndarray:
    """(G, T) bool, for the (g, t) pairs in ``test``: no other candidate of row g starts higher
    up in Q[t]'s column (x-overlap of half the narrower width). Only tested pairs are computed."""
    out = np.zeros(cand.shape, bool)
    g, t = np.nonzero(test)
    if len(g) == 0:
        return out
    w = Q[:, 2] - Q[:, 0]
    ox = np.minimum(Q[t, None, 2], Q[None, :, 2]) - np.maximum(Q[t, None, 0], Q[None, :, 0])
    same = ox >= 0.5 * np.minimum(w[t][:, None], w[None, :])
    higher = Q[None, :, 1] < Q[t, None, 1] - 1
    out[g, t] = ~(same & higher & cand[g]).any(axis=1)
    return out


def _chunks(lay: Layout, u: Units) -> list[tuple[np.ndarray, np.ndarray]]:
    """Independent assignment problems: the whole page, or runs of bands on huge inputs."""
    T = len(u.text)
    if T <= CHUNK:
        return [(np.arange(T), np.arange(len(u.heads)))]
    bb = lay.block_boxes
    parts: list[tuple[np.ndarray, np.ndarray]] = []
    ty = bb[u.text, 1]
    hy = u.head_boxes[:, 1] if len(u.heads) else np.zeros(0)
    count = 0
    edges = []
    for band in bands(bb[u.text]):
        count += len(band)
        if count >= CHUNK:
            edges.append(float(bb[u.text[band], 3].max()))
            count = 0
    edges = [-np.inf] + edges + [np.inf]
    for lo, hi in zip(edges[:-1], edges[1:]):
        t = np.nonzero((ty > lo) & (ty <= hi))[0]
        h = np.nonzero((hy > lo) & (hy <= hi))[0]
        if len(t) or len(h):
            parts.append((t, h))
    return parts


def _chunk_texts(lay: Layout, u: Units, tb: np.ndarray, h_idx: np.ndarray, script: str) -> list[str]:
    """A chunk's texts: each headline group's (``h_idx``), then each text block's (``tb``), as
    `content_texts` reads them."""
    bt = content_texts(lay, script)
    own = ["".join([bt[k] for k in u.heads[h]]) for h in h_idx]
    return own + [bt[k] for k in tb.tolist()]


def content_texts(lay: Layout, script: str) -> tuple[str, ...]:
    """Per block, the text the content scores read. Han lines run together. Latin blocks are
    read as words (`Layout.block_prose`, each followed by a space): glued, the last word of
    every line and the first of the next make one ("Der" + "Morteratschgletscher" → "dermor"),
    and a headline shares no word with its story's first paragraph."""
    return lay.block_texts if script == "cjk" else lay.block_prose


def prefix_content(lay: Layout, u: Units, t_idx: np.ndarray, h_idx: np.ndarray, succ: np.ndarray,
                   script: str, cfg: StitchConfig, reads: PartReads | None = None) -> np.ndarray:
    """(G+T, T) content score against each row's provisional article *read so far*.

    Row a is compared with everything its article printed up to and including a (headline
    included), so the words of a story's own later blocks — which a wrong first guess may
    have mixed in — cannot vote. Candidate b brings the text that follows it in its own
    provisional chain (a lone subhead says little; the paragraphs under it say more). Scores
    are centred per candidate (column). A candidate already in a's prefix gets no vote either
    way: the first pass may have read the story's blocks out of order (its third part before
    its second), and a penalty there would forbid the right link; loops are cut afterwards.
    ``reads``: `similarity.read_parts` of the chunk's texts (`_chunk_texts`), where the caller
    has it already (the same scores without it).
    """
    G = len(h_idx)
    tb = u.text[t_idx]
    T = len(tb)
    own = list(reads.texts) if reads is not None else _chunk_texts(lay, u, tb, h_idx, script)
    # texts as runs of `own` entries: the prefixes share their blocks' n-grams
    ctx: list[tuple[int, ...]] = [(i,) for i in range(G + T)]
    tail: list[tuple[int, ...]] = [(G + k,) for k in range(T)]
    inprefix = np.zeros((G + T, T), bool)
    hd, ls = chains(succ, G)
    for g, chain in [(g, c) for g, c in enumerate(hd)] + [(None, c) for c in ls]:
        acc: tuple[int, ...] = (g,) if g is not None else ()
        seen: list[int] = []
        for n, k in enumerate(chain):
            acc += (G + k,)
            seen.append(k)
            ctx[G + k] = acc
            inprefix[G + k, seen] = True
            tail[k] = tuple(G + q for q in chain[n:n + SUFFIX_BLOCKS])
    sim = concat_similarity_matrix(own, ctx, tail, script, reads) if T else np.zeros((G + T, 0))
    sim[inprefix] = 0.0
    out = content_score(sim, cfg, script)
    out[inprefix] = 0.0
    return out


def content_score(sim: np.ndarray, cfg: StitchConfig, script: str) -> np.ndarray:
    """Similarities → scores, per candidate column: 0 at the column's median row, w_content at
    its 90th percentile. Raw cosines of short texts are small and vary by text; what counts is
    which predecessors a candidate resembles *more than the others*.

    The spread (90th percentile − median) counts at least 0.01 on a Han page and
    ``cfg.content_spread_latin`` on a Latin one: read as words, a Latin candidate shares no
    word with most rows (median and 90th percentile near 0), and one word shared by chance
    (a verb's stem, "unters…" in "unterstützt" and "unterschätzten") would score as much as a
    story's names (de-sample: "…Kathedrale besuchen." took the aare story's next paragraph)."""
    if sim.size == 0:
        return np.zeros_like(sim)
    cols = np.ascontiguousarray(sim.T)  # one candidate per row: contiguous partitions, same values
    med, hi = _median_p90(cols)
    floor = 0.01 if script == "cjk" else cfg.content_spread_latin
    z = (sim - med[None, :]) / np.maximum(hi - med, floor)[None, :]
    return cfg.w_content * np.clip(z, -1.0, 2.0)


def _median_p90(cols: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per row: ``np.median`` and ``np.percentile(…, 90)`` (linear), from one sort.

    The two NumPy calls each copy and partition the whole array, most of `content_score`'s
    time; one row-wise sort (vectorised in NumPy, faster here than either partition) gives
    the same order statistics, combined with NumPy's own arithmetic (the mean of the middle
    one or two; ``_lerp``'s two-sided interpolation), so the results are the same floats.
    No NaN handling: cosines have none.
    """
    n = cols.shape[1]
    srt = np.sort(cols, axis=1)
    mid = n // 2
    med = srt[:, mid] if n % 2 else (srt[:, mid - 1] + srt[:, mid]) / 2
    v = (n - 1) * 0.9
    lo = int(np.floor(v))
    g = v - lo
    a, b = srt[:, lo], srt[:, min(lo + 1, n - 1)]
    d = b - a
    p90 = b - d * (1 - g) if g >= 0.5 else a + d * g
    return med, p90


@dataclass(frozen=True)
class Stitched:
    """Result of the assignment, in block indices."""

    headed: list[list[int]]          # per head: its text blocks in order
    loose: list[list[int]]           # headless chains
    links: dict[tuple[int, int], float]  # (block, next block) → join score 0..1
    adjacent: set[tuple[int, int]]   # links that are plain "directly below" continuations
    midsentence: set[tuple[int, int]] = field(default_factory=set)  # links that break a sentence
    beside: set[tuple[int, int]] = field(default_factory=set)  # links to the next column of a band
    placed: set[tuple[int, int]] = field(default_factory=set)  # links the page's geometry makes (≥ w_flow)


def regroup_fragments(lay: Layout, u: Units, st: Stitched, script: str, cfg: StitchConfig) -> Stitched:
    """Give headless fragments to the story whose words they share, by whole articles.

    The pairwise assignment sees a fragment that starts a paragraph (no sentence broken
    across, no geometry: a tail set far away, "重点项目复工开工是…") only through the words it
    shares with one predecessor block, and the page's order easily outbids that. Here every
    such fragment — a headless chain, or each run of a headed chain that follows a link
    neither geometry nor a broken sentence made — is compared with each headed article's whole text.
    It goes to the article it resembles clearly more than any other (``regroup_ratio`` times
    the runner-up), appended after that article's last block; else it stays in its story. A
    part the page's geometry set after text that stays needs a clearer cosine (`_leaves`).
    Either way the parts after the story's first run are read in page order: content alone
    placed them, and a story's far parts are set in the order they are read.

    Stories on one page share their topic, and what tells them apart is the name each
    headline carries: a paragraph that names another story's headline and not its own is cut
    off even where it stands directly below (a far tail set under the end of another story),
    and any fragment that does so goes to that story when it also resembles it most.
    """
    G = len(u.heads)
    if G < 2:
        return st
    headed = [list(c) for c in st.headed]
    loose = [list(c) for c in st.loose]
    # weak links: not directly below, not a broken sentence, not the next column of a band
    frags: list[tuple[list[int], int | None]] = [(c, None) for c in loose if c]
    placed = [False] * len(frags)   # per fragment: the link into it is one the page's geometry made
    after = [-1] * len(frags)       # ... the fragment it follows in its chain (-1: the story's first run)
    strong = st.adjacent | st.midsentence | st.beside
    if script != "cjk":
        # a Latin subhead heads the paragraph it was linked to, wherever that stands (at a
        # column's foot, its paragraph heads the next column: no geometry joins them): the two
        # are one fragment, moved or kept together
        strong = strong | {(a, b) for a, b in st.links if lay.roles[a] == R.SUBHEAD}
    # each run of strong links after a weak one is a fragment of its own: a wrong link
    # rarely comes alone (one story's chain runs on through the parts of two others)
    block_text = lay.block_texts
    def text_of(blocks):
        return "".join([block_text[k] for k in blocks])
    # names are whole words: Latin lines are joined with a space ("soll" + "endie" is no "sollen")
    if script == "cjk":
        words_of = text_of
    else:
        block_words = lay.block_words
        def words_of(blocks):
            return " ".join([block_words[k] for k in blocks if len(lay.blocks[k])])
    head_texts = [words_of(u.heads[g]) for g in range(G)]
    weak = [[n for n in range(1, len(chain)) if (chain[n - 1], chain[n]) not in strong] for chain in headed]
    foreign = _foreign_paragraphs(headed, weak, head_texts, words_of, st, script, cfg)
    # a story whose headline opened a subhead: its first run yields to one of its own paragraphs
    yields: dict[int, list[int]] = {}
    for g, chain in enumerate(headed):
        cuts = sorted(weak[g] + foreign[g])
        if not cuts:
            continue
        headed[g] = chain[:cuts[0]]
        for n, (a, b) in enumerate(zip(cuts, cuts[1:] + [len(chain)])):
            frags.append((chain[a:b], g))
            placed.append((chain[a - 1], chain[a]) in st.placed)
            after.append(len(frags) - 2 if n else -1)
        if script == "cjk" and lay.roles[chain[0]] == R.SUBHEAD:
            yields[g] = headed[g]
    if not frags:
        headed, loose = _subheads_over_their_text(lay, headed, loose)
        return replace(st, headed=headed, loose=loose)
    art_texts = [text_of(list(u.heads[g]) + headed[g]) for g in range(G)]
    frag_texts = [text_of(f) for f, _ in frags]
    sim = similarity_matrix(frag_texts, art_texts, script)   # (F, G)
    order = np.argsort(-sim, axis=1)
    best = order[:, 0]
    first = sim[np.arange(len(frags)), best]
    second = sim[np.arange(len(frags)), order[:, 1]]
    clear = first >= cfg.regroup_ratio * second
    # ... or it names that story's headline, and not its own, and resembles it most
    named = _named_head(head_texts, [words_of(f) for f, _ in frags], [h for _, h in frags], script, cfg)
    homes = np.array([-1 if h is None else h for _, h in frags])
    sure = _leaves(clear & (first >= cfg.regroup_min), clear & (first >= cfg.regroup_min_placed),
                   (named == best) & (first >= cfg.regroup_min), best != homes, np.array(placed, bool),
                   np.array(after, np.int64))
    links = dict(st.links)
    new_loose: list[list[int]] = []
    adds: dict[int, list[tuple[int, list[int]]]] = {}
    for f, ((blocks, home), ok, g) in enumerate(zip(frags, sure, best)):
        g = int(g)
        # a regrouped join's score: how clearly the article won (ratio 1.5 -> 0.5, 3 -> 0.75)
        score = float(np.clip(1.0 - 0.75 / max(first[f] / max(second[f], 1e-9), 1e-9), 0.0, 0.95))
        if ok and g != home:
            adds.setdefault(g, []).append((int(u.rank[blocks[0]]), blocks, score, False))
        elif home is not None:
            adds.setdefault(home, []).append((int(u.rank[blocks[0]]), blocks, 0.0, True))  # back, in page order
        else:
            new_loose.append(blocks)
    for g, parts in adds.items():
        parts.sort(key=lambda p: p[0])
        if g in yields:
            parts, headed[g] = _story_opener(lay, u, yields[g], parts)
        for _, blocks, score, _ in parts:
            if headed[g]:
                links.setdefault((headed[g][-1], blocks[0]), score)
            headed[g] = headed[g] + blocks
    headed, new_loose = _subheads_over_their_text(lay, headed, new_loose)
    return replace(st, headed=headed, loose=new_loose, links=links)


def _leaves(sure: np.ndarray, sure_placed: np.ndarray, named: np.ndarray, elsewhere: np.ndarray,
            placed: np.ndarray, after: np.ndarray) -> np.ndarray:
    """(F,) which fragments `regroup_fragments` is sure of giving to their best story: by its
    cosine (``sure``) or a name (``named``). A fragment the page's geometry put after a part
    that stays (``placed``: next in reading order, below, beside; ``after``: the fragment it
    follows in its chain, -1 the story's first run) leaves for the words it shares only by a
    clearer cosine (``sure_placed``): a few words shared with another story on a page whose
    stories share their topic do not outweigh where the page set it (seed random 2 page
    200014, "夯实城市发展软硬件…" set under its story's text, cosine 0.021 against 0.006).
    Where the part before it leaves, the page's placement says nothing. One pass in chain
    order: each fragment follows an earlier one."""
    out = sure | named
    for f in np.flatnonzero(placed):
        a = after[f]
        if a < 0 or not (out[a] and elsewhere[a]):
            out[f] = sure_placed[f] | named[f]
    return out


def _story_opener(lay: Layout, u: Units, lead: list[int], parts: list[tuple[int, list[int], float, bool]]
                  ) -> tuple[list[tuple[int, list[int], float, bool]], list[int]]:
    """A Han story opens with a paragraph, never a subhead (every story with subheads in the
    generated ground truth, 406 of 406). Where the headline's own run (``lead``) opens with
    a subhead and one of the story's own later runs (``parts``, in page order; own: flag set)
    opens with a paragraph, the first such run opens the story and the subhead's run joins the
    rest in page order. Returns (parts to append, the story's new first run). Not on Latin
    pages: a real Latin story opens with its dateline subhead ("(PAR FIL SPÉCIAL)", NewsEye)."""
    first = next((n for n, p in enumerate(parts) if p[3] and lay.roles[p[1][0]] != R.SUBHEAD), None)
    if first is None:
        return parts, lead
    rest = parts[:first] + parts[first + 1:] + [(int(u.rank[lead[0]]), lead, 0.0, True)]
    rest.sort(key=lambda p: p[0])
    return rest, parts[first][1]


def han_subheads_over_their_text(lay: Layout, st: Stitched, script: str) -> Stitched:
    """On a Han page every subhead of ``lay`` (those found by their place too, which the
    stitcher read as body: `ride_subheads`) stands right over the text set directly below it
    in its column: read as an open line of body, the stitcher can chain it on to the next
    column's continuation ahead of the paragraph it heads. Latin pages as they are."""
    if script != "cjk" or R.SUBHEAD not in lay.roles:
        return st
    headed, loose = _subheads_over_their_text(lay, st.headed, st.loose, script)
    return replace(st, headed=headed, loose=loose)


def _subheads_over_their_text(lay: Layout, headed: list[list[int]], loose: list[list[int]],
                              script: str = "latin") -> tuple[list[list[int]], list[list[int]]]:
    """A subhead left at the end of a story (or alone) goes back over the text set directly
    below it, in whichever story that text ended up: a subhead names nothing, so the content
    that takes its paragraph to the right story leaves it behind, and a subhead closes no story.
    On a Han page so does a subhead anywhere in a story: the stitcher reads a Han subhead as
    an open line of body (`ride_subheads`), so it can chain it on to the next column's
    continuation ahead of the paragraph it heads, or open a story's frame with it."""
    bb = lay.block_boxes
    em = lay.em
    if script == "cjk":
        ends = [(g, k) for g, ch in enumerate(headed) for k in ch if lay.roles[k] == R.SUBHEAD]
    else:
        ends = [(g, ch[-1]) for g, ch in enumerate(headed) if ch and lay.roles[ch[-1]] == R.SUBHEAD]
    ends += [(-1 - j, ch[0]) for j, ch in enumerate(loose) if len(ch) == 1 and lay.roles[ch[0]] == R.SUBHEAD]
    if not ends:
        return headed, loose
    headed = [list(c) for c in headed]
    gone: set[int] = set()
    for src, k in ends:
        where = {b: g for g, ch in enumerate(headed) for b in ch}
        cand = np.array([b for b in where if b != k], dtype=np.int64)
        if len(cand) == 0:
            continue
        s, q = bb[k], bb[cand]
        ox = np.minimum(s[2], q[:, 2]) - np.maximum(s[0], q[:, 0])
        gap = q[:, 1] - s[3]
        ok = (ox >= 0.5 * np.minimum(s[2] - s[0], q[:, 2] - q[:, 0])) & (gap > -0.5 * em) & (gap < 2.0 * em)
        if script == "cjk" and not ok.any():
            # a Han subhead alone in its column (a rule or the next story under it) heads the
            # text set beside it at the next column's head, level with it ("鱼价高了 海水清了"
            # beside "“新渔排能抗十二级台风…")
            ok = (q[:, 0] > s[2]) & (q[:, 0] - s[2] < 6.0 * em) & (np.abs(q[:, 1] - s[1]) < 1.5 * em)
            gap = q[:, 0] - s[2]
        if not ok.any():
            continue
        below = int(cand[np.argmin(np.where(ok, gap, np.inf))])
        g = where[below]
        n = headed[g].index(below)
        if n > 0 and headed[g][n - 1] == k:
            continue
        if src >= 0:
            headed[src].remove(k)
        else:
            gone.add(-1 - src)
        n = headed[g].index(below)
        headed[g].insert(n, k)
    return headed, [c for j, c in enumerate(loose) if j not in gone]


def _apart_as_body(lay: Layout) -> Layout:
    """``lay`` with its bold subheads set apart by space that read as body without their face
    (`Layout.bold_apart`) as body, where no subhead rides with a paragraph (`ride_subheads`);
    so too the Han subheads found by their place alone (`Layout.han_apart`, kept: their starts
    are still read closed, `evidence_features`)."""
    if not lay.bold_apart and not lay.han_apart:
        return lay
    roles = tuple(R.BODY if k in lay.bold_apart or k in lay.han_apart else r for k, r in enumerate(lay.roles))
    return replace(lay, roles=roles, bold_heads=frozenset(), bold_apart=frozenset())


def ride_subheads(lay: Layout, script: str) -> tuple[Layout, list[list[int]]]:
    """The page as the stitcher sees it: each bold Latin subhead as the column read without its face.

    A subhead cut out by its bold face alone (`Layout.bold_heads`: bold lines at body size,
    ``BlockConfig.bold_subheads``) rides with the running text it was cut from as the one
    body block the column had without the cut (`Layout.bold_runs`): with the paragraph under
    it, and with the text over it where the cut fell inside a block ("…he recalled." /
    "Tourists return to the pier" / "The reopening of the west pier walkway"), so that
    cutting it out does not change how the column's text links up (standing apart,
    en-1100034's "Tourists return to the pier" let the story above it take another story's
    continuation; riding with its paragraph alone, the text over it on en-9900300 was a block
    of its own, and another story took the paragraph). A piece that is neither body nor such
    a subhead stays as it is. A bold subhead set apart by space too that the page reads as
    body without its face (`Layout.bold_apart`) is body here, as it was; every other block
    as it is. Returns that layout and, per block of it, the blocks of ``lay`` it stands for,
    top to bottom (``lay`` itself where nothing changes; Han pages read no weights)."""
    B = len(lay.blocks)
    ident = [[k] for k in range(B)]
    if script == "cjk" or B < 2:
        return _apart_as_body(lay), ident
    rides = [k in lay.bold_heads or r == R.BODY for k, r in enumerate(lay.roles)]
    nxt = {a: b for a, b in sorted(lay.bold_runs) if rides[a] and rides[b]}
    if not nxt:
        return _apart_as_body(lay), ident
    inner = set(nxt.values())
    parts: list[list[int]] = []
    for k in range(B):
        if k in inner:
            continue
        p = [k]
        while p[-1] in nxt:
            p.append(nxt[p[-1]])
        parts.append(p)
    new_of = {old: n for n, p in enumerate(parts) for old in p}
    bb = lay.block_boxes
    blocks = tuple(np.concatenate([lay.blocks[k] for k in p]) for p in parts)
    boxes = np.array([_union(bb, p) for p in parts], dtype=bb.dtype).reshape(-1, 4)
    roles = tuple(R.BODY if len(p) > 1 or p[0] in lay.bold_apart else lay.roles[p[0]] for p in parts)
    groups = tuple(tuple(new_of[k] for k in g) for g in lay.groups)
    return replace(lay, blocks=blocks, block_boxes=boxes, roles=roles, groups=groups, bold_heads=frozenset(),
                   bold_apart=frozenset(), bold_runs=frozenset()), parts


def unride(st: Stitched, parts: list[list[int]]) -> Stitched:
    """`Stitched` of the ridden layout (`ride_subheads`) in the original layout's blocks: each
    unit back to its pieces (text, subhead, paragraph), each linked to the next as a plain
    continuation."""
    def exp(chain: list[int]) -> list[int]:
        return [k for n in chain for k in parts[n]]
    inner = {(a, b) for p in parts for a, b in zip(p, p[1:])}
    links = {(parts[a][-1], parts[b][0]): v for (a, b), v in st.links.items()}
    links.update({pair: 1.0 for pair in inner})
    def pairs(s: set[tuple[int, int]]) -> set[tuple[int, int]]:
        return {(parts[a][-1], parts[b][0]) for a, b in s}
    return Stitched(headed=[exp(c) for c in st.headed], loose=[exp(c) for c in st.loose], links=links,
                    adjacent=pairs(st.adjacent) | inner, midsentence=pairs(st.midsentence),
                    beside=pairs(st.beside), placed=pairs(st.placed))


def _named_head(head_texts: list[str], texts: list[str], homes: list[int | None], script: str,
                cfg: StitchConfig) -> np.ndarray:
    """(F,) the headline each text clearly names (`headline_names` ≥ ``name_min`` and twice any
    other headline's) when it does not name its home headline at all; else -1."""
    if not texts:
        return np.zeros(0, np.int64)
    return _clear_names(headline_names(head_texts, texts, script), homes, cfg)


def _clear_names(names: np.ndarray, homes: list[int | None], cfg: StitchConfig) -> np.ndarray:
    """`_named_head` from the (F, G) `headline_names` of the texts."""
    rows = np.arange(len(names))
    home = np.array([-1 if h is None else h for h in homes])
    own = np.where(home >= 0, names[rows, np.maximum(home, 0)], 0.0)
    srt = np.sort(names, axis=1)
    top = np.argmax(names, axis=1)
    clear = (srt[:, -1] >= cfg.name_min) & (srt[:, -1] >= 2.0 * srt[:, -2]) & (own == 0.0) & (top != home)
    return np.where(clear, top, -1)


def _foreign_paragraphs(headed: list[list[int]], weak: list[list[int]], head_texts: list[str], words_of,
                        st: Stitched, script: str, cfg: StitchConfig) -> list[list[int]]:
    """Per headed chain, the places where a paragraph follows with no sentence broken across
    and names another story's headline clearly, and not its own: a far tail set under the
    end of another story ("…签约金额106.51亿元。" over "3月份以来，济宁高新区…"). Such a run is
    cut off for regrouping like a weakly linked one. So is a paragraph that names one story's
    headline clearly after a run (the text since the last such place) that names another's:
    the chain has carried one story's part into another's (a far tail with its own story's
    name, "3月份以来，济宁高新区…", set beside a part of 肇庆's that the chain took to 济宁's
    story: its home names 济宁, and the first rule lets it stay). One `headline_names` call
    for the page."""
    where: list[tuple[int, int]] = []
    runs: list[list[int]] = []
    prevs: list[list[int]] = []
    for g, (chain, cuts) in enumerate(zip(headed, weak)):
        cand = [n for n in range(1, len(chain))
                if n not in cuts and (chain[n - 1], chain[n]) not in st.midsentence]
        ends = np.array(sorted(set(cand) | set(cuts)) + [len(chain)])
        for n in cand:
            where.append((g, n))
            at = int(np.searchsorted(ends, n, side="right"))
            runs.append(chain[n:int(ends[at])])
            prevs.append(chain[int(ends[at - 2]) if at >= 2 else 0:n])
    out: list[list[int]] = [[] for _ in headed]
    if not runs:
        return out
    names = headline_names(head_texts, [words_of(r) for r in runs + prevs], script)
    W = len(runs)
    named = _clear_names(names[:W], [g for g, _ in where], cfg)
    # each side's clear name, whatever its home
    run_names = _clear_names(names[:W], [None] * W, cfg)
    prev_names = _clear_names(names[W:], [None] * W, cfg)
    switch = (run_names >= 0) & (prev_names >= 0) & (run_names != prev_names)
    for (g, n), t, sw in zip(where, named, switch):
        if t >= 0 or sw:
            out[g].append(n)
    return out


def _by_whole_stories(lay: Layout, u: Units, t_idx: np.ndarray, h_idx: np.ndarray, ev: Evidence,
                      succ: np.ndarray, score: np.ndarray, feats_beside: np.ndarray, script: str,
                      cfg: StitchConfig, reads: PartReads | None = None,
                      jump: np.ndarray | None = None) -> tuple[Evidence, np.ndarray, np.ndarray]:
    """Solve the page again with each candidate's fit to the story of the end it would join
    against its best other story (`stories.story_contrast`), from the stories of the last
    solution (regrouped, where the chunk is the whole page), until they stop changing
    (``story_rounds`` at most). ``reads``: as for `prefix_content`; ``jump``: as for
    `latin_story_contrast`."""
    G = len(h_idx)
    tb = u.text[t_idx]
    T = len(tb)
    own = list(reads.texts) if reads is not None else _chunk_texts(lay, u, tb, h_idx, script)
    reads = read_parts(own, script) if reads is None else reads
    whole_page = G == len(u.heads) and T == len(u.text)
    local = {int(b): k for k, b in enumerate(tb)}
    base = ev
    stems = None if script == "cjk" else stem_matrix(own)
    for _ in range(cfg.story_rounds):
        hd, ls = chains(succ, G)
        tails: list[tuple[int, ...]] = [(G + k,) for k in range(T)]
        backs: list[tuple[int, ...]] = [(G + k,) for k in range(T)]
        for chain in hd + ls:
            for n, k in enumerate(chain):
                tails[k] = tuple(G + q for q in chain[n:n + cfg.story_run])
                backs[k] = tuple(G + q for q in chain[max(0, n + 1 - cfg.story_run):n + 1])
        if cfg.story_regrouped and whole_page:
            st = regroup_fragments(lay, u, _chunk_stitched(ev, succ, score, G, tb, h_idx, feats_beside, cfg,
                                                           len(u.heads)), script, cfg)
            hd = [[local[b] for b in st.headed[h] if b in local] for h in h_idx]
        fit, story = story_fit(own, hd, tails, script, reads)
        if script == "cjk":
            if cfg.story_end_ratio > 0:
                story = end_story(story_fit(own, hd, backs, script, reads)[0], story, base.end_open[G:], cfg)
            # a sentence running on into a word across the break outweighs provisional stories
            contrast = story_contrast(fit, story, G, cfg.story_unit, cfg.story_floor,
                                      keep=base.text >= cfg.story_text_guard)
            content = closed_end_content(base, contrast) if cfg.story_closed_fit else base.content
            ev = replace(base, content=content + cfg.w_story * contrast)
        else:
            told = story_told(own, hd, tails, fit, cfg.story_words_latin, stems)
            contrast = latin_story_contrast(base, fit, story, cfg, told, jump)
            ev = replace(base, content=base.content + cfg.w_story_latin * contrast)
        new, score = assign(ev, G, cfg)
        if np.array_equal(new, succ):
            break
        succ = new
    return ev, succ, score


def end_story(back_fit: np.ndarray, story: np.ndarray, end_open: np.ndarray, cfg: StitchConfig) -> np.ndarray:
    """(T,) the story each block ends, for the story contrast of its row: its provisional story,
    or, for a block that stops mid-sentence (``end_open`` > 0.5), the story its own run up its
    chain (``back_fit``, (T, G): the block and up to ``story_run`` − 1 before it, against each
    story without them) fits ``story_end_ratio`` times better. A far link the page order made
    ("…2017年5月，小鹏" → 北京's "区域协同发展") puts a whole run of one story into another's;
    the run's open end then judged its candidates by the wrong story and kept the wrong link.
    Not for closed ends: their run's fit moved rows of short stories (a photo's text, a
    story split over two headline groups) to their neighbours (seed random 1, 100017).
    Blocks of no story: as they are (-1)."""
    T = len(story)
    if T == 0 or back_fit.shape[1] < 2:
        return story
    rows = np.arange(T)
    best = np.argmax(back_fit, axis=1)
    cur = back_fit[rows, np.maximum(story, 0)]
    clear = (back_fit[rows, best] + cfg.story_floor) >= cfg.story_end_ratio * (cur + cfg.story_floor)
    return np.where((story >= 0) & (best != story) & clear & (end_open > 0.5), best, story)


def latin_story_contrast(ev: Evidence, fit: np.ndarray, story: np.ndarray, cfg: StitchConfig,
                         told: np.ndarray, jump: np.ndarray | None = None) -> np.ndarray:
    """(R, T) the story contrast on a Latin page: only where the end and the start both stop
    mid-sentence (an open end before an open start, where the two words at the break rarely
    decide) and for candidates whose best story rests on words of their own (``told``);
    elsewhere 0. Never negative where the pair's text makes a word across the break.
    ``jump`` (R, T; `geometry_jump`): also a closed end's pairs tied by a jump of the page's
    geometry alone, and there only as a penalty (latin-en-4: s41 en-4100123 "…the city
    said." took Galway's "Oyster farmers…" beside it, flow + beside 4.0)."""
    G = fit.shape[1]
    # a sentence running on into a word across the break ("Am meis-" + "ten gefalle ihr")
    # outweighs provisional stories, as on Han pages
    contrast = story_contrast(fit, story, G, cfg.story_unit, cfg.story_floor, keep=ev.text >= cfg.story_text_guard)
    mid = (ev.end_open[:, None] > 0.5) & (ev.start_open[None, :] > 0.5) & told[None, :]
    out = np.where(mid, contrast, 0.0)
    if jump is not None and cfg.w_story_closed_latin > 0:
        # a closed end (its sentence complete) whose only tie to a candidate is the page's
        # geometry jumping away from it (next in the page order, the next column, a strip
        # away; not the text right under it) takes a candidate that tells another story
        # only against that story: its penalty, never a gain
        closed = (ev.end_open[:, None] < 0.5) & jump & told[None, :]
        out = np.where(closed, cfg.w_story_closed_latin * np.minimum(contrast, 0.0), out)
    return out


def geometry_jump(feats: dict[str, np.ndarray], n_heads: int) -> np.ndarray:
    """(R, T) pairs of a text row that only the page's geometry jumping away from the end
    ties: next in the page order (forward or back), the next column of the band, the next
    strip; not the text right under the end nor further down its own column, and never a
    headline's row. Where a closed end meets such a candidate, the two words at the break
    say nothing and the geometry is all a wrong join needs (`latin_story_contrast`)."""
    jump = ((feats["flow"] + feats["flow_back"] + feats["beside"] + feats["strip"]) > 0) \
        & (feats["below"] <= 0) & (feats["column"] <= 0)
    jump[:n_heads] = False
    return jump


_STEM_WORD = re.compile(r"[^\W\d_]{4,}")


def stem_matrix(own: list[str]) -> sparse.csr_matrix:
    """(N, V) 0/1: the word stems (`story_told`) each text of ``own`` holds, the vocabulary
    sorted. The texts are a chunk's, fixed over the story pass's rounds: made once."""
    stems = [{w[:STEM] for w in _STEM_WORD.findall(t.lower())} for t in own]
    vocab = {w: i for i, w in enumerate(sorted(set().union(*stems)))}
    return _rows([[vocab[w] for w in ws] for ws in stems], len(vocab))


def _rows(sets: list[list[int]], n_cols: int) -> sparse.csr_matrix:
    """0/1 sparse matrix with row i set at the columns ``sets[i]``."""
    r = np.repeat(np.arange(len(sets)), [len(x) for x in sets])
    c = np.fromiter((j for x in sets for j in x), np.int64, len(r))
    return sparse.csr_matrix((np.ones(len(r)), (r, c)), shape=(len(sets), n_cols))


def story_told(own: list[str], hd: list[list[int]], tails: list[tuple[int, ...]], fit: np.ndarray,
               least: int, stems: sparse.csr_matrix | None = None) -> np.ndarray:
    """(T,) whether each candidate's best-fitting story (``fit``) shares at least ``least``
    word stems with its run (``tails``, into ``own``: G headline texts, then T block texts;
    lower-cased words of four or more letters cut to `similarity.STEM` letters, as it reads them), not
    counting stems that half the page's stories or more use. A cosine that rests on one shared
    word ("supplémentaires" in a story on vines and in one on baths) tells no story.
    ``stems``: `stem_matrix(own)`, where the caller has it already."""
    G, T, N = len(hd), len(tails), len(own)
    if T == 0 or G == 0:
        return np.zeros(T, bool)
    X = stem_matrix(own) if stems is None else stems  # (N, V) word stems per text
    member = _rows([[g] + [G + k for k in ch] for g, ch in enumerate(hd)], N)  # (G, N) headline + chain
    run = _rows([list(tl) for tl in tails], N)  # (T, N) each candidate's run
    counts = (member @ X).toarray()  # (G, V) texts of each story with the stem
    common = (counts > 0).sum(axis=0) * 2 >= G
    cand = (run @ X).toarray() > 0  # (T, V)
    best = np.argmax(fit, axis=1)
    # the best story without the candidate's own run
    rest = counts[best] - (run.multiply(member[best]) @ X).toarray() > 0
    return (cand & rest & ~common[None, :]).sum(axis=1) >= least


def closed_end_content(ev: Evidence, contrast: np.ndarray) -> np.ndarray:
    """(R, T) content scores where a closed end (a sentence complete) may take a candidate
    set nowhere near it (no geometry) only for the words they share when the candidate fits
    the end's provisional story at least as well as any other (``contrast`` ≥ 0): stories on
    one page share their words, so without geometry shared words alone are no evidence that a
    block of another story goes on here (seed random 2 page 200008: "莱尼是一家德国独资企业…"
    after "…微型挖掘机产品。"). Positive scores of such pairs drop to 0; the story contrast
    still speaks."""
    foreign = (contrast < 0) & (ev.end_open[:, None] < 0.5) & (ev.geo <= 0)
    return np.where(foreign, np.minimum(ev.content, 0.0), ev.content)


def _chunk_stitched(ev: Evidence, succ: np.ndarray, score: np.ndarray, G: int, tb: np.ndarray,
                    h_idx: np.ndarray, feats_beside: np.ndarray, cfg: StitchConfig, n_heads: int) -> Stitched:
    """One chunk's solution as block chains and links (heads outside the chunk: empty)."""
    headed: list[list[int]] = [[] for _ in range(n_heads)]
    links: dict[tuple[int, int], float] = {}
    adjacent: set[tuple[int, int]] = set()
    midsentence: set[tuple[int, int]] = set()
    beside: set[tuple[int, int]] = set()
    placed: set[tuple[int, int]] = set()
    hd, ls = chains(succ, G)
    for g, ch in zip(h_idx, hd):
        headed[g] = [int(tb[k]) for k in ch]
    loose = [[int(tb[k]) for k in ch] for ch in ls]
    for r in range(G, len(succ)):
        if succ[r] >= 0:
            a, b = int(tb[r - G]), int(tb[succ[r]])
            links[(a, b)] = float(sigmoid(score[r]))
            if ev.geo[r, succ[r]] >= cfg.w_below:
                adjacent.add((a, b))
            if ev.end_open[r] > 0.5 and ev.start_open[succ[r]] > 0.5:
                midsentence.add((a, b))
            if ev.geo[r, succ[r]] >= cfg.w_beside and feats_beside[r, succ[r]]:
                beside.add((a, b))
            if ev.geo[r, succ[r]] >= cfg.w_flow:
                placed.add((a, b))
    return Stitched(headed=headed, loose=loose, links=links, adjacent=adjacent, midsentence=midsentence,
                    beside=beside, placed=placed)


def stitch(lay: Layout, u: Units, cfg: StitchConfig, script: str) -> Stitched:
    headed: list[list[int]] = [[] for _ in u.heads]
    loose: list[list[int]] = []
    links: dict[tuple[int, int], float] = {}
    adjacent: set[tuple[int, int]] = set()
    midsentence: set[tuple[int, int]] = set()
    beside: set[tuple[int, int]] = set()
    placed: set[tuple[int, int]] = set()
    for t_idx, h_idx in _chunks(lay, u):
        G = len(h_idx)
        if len(t_idx) == 0:  # headlines alone (or nothing): no text to stitch
            continue
        feats, eo, so = evidence_features(lay, u, t_idx, h_idx, script, _unit_content(cfg))
        ev = evidence_from_features(feats, eo, so, cfg, G)
        feats_beside = feats["beside"] > 0
        succ, _ = assign(ev, G, cfg)
        # second pass: candidates are compared with whole provisional articles; the chunk's
        # texts are read once for this pass and the story pass's rounds
        reads = read_parts(_chunk_texts(lay, u, u.text[t_idx], h_idx, script), script)
        ev = replace(ev, content=prefix_content(lay, u, t_idx, h_idx, succ, script, cfg, reads))
        succ, score = assign(ev, G, cfg)
        if cfg.w_story > 0 and G >= 2 and (script == "cjk" or cfg.story_latin):
            jump = None if script == "cjk" else geometry_jump(feats, G)
            ev, succ, score = _by_whole_stories(lay, u, t_idx, h_idx, ev, succ, score, feats_beside, script, cfg,
                                                reads, jump)
        part = _chunk_stitched(ev, succ, score, G, u.text[t_idx], h_idx, feats_beside, cfg, len(u.heads))
        for g in h_idx:
            headed[g] = part.headed[g]
        loose.extend(part.loose)
        links.update(part.links)
        adjacent |= part.adjacent
        midsentence |= part.midsentence
        beside |= part.beside
        placed |= part.placed
    return Stitched(headed=headed, loose=loose, links=links, adjacent=adjacent, midsentence=midsentence,
                    beside=beside, placed=placed)
