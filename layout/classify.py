"""A role for every block, and headline groups (kicker/title/subtitle/byline stacks).

Roles come from geometry (type size relative to the body size, position, span, closeness to
photos) and text patterns (``patterns.py``). Sizes are measured in ``em``: the median
height of the page's lines, weighted by their length, i.e. the body type size.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from . import patterns as P
from . import roles as R
from .blocks import BOLD_APART, BOLD_HEAD
from .geometry import group_boxes, group_medians, group_mins, overlap_x


@dataclass(frozen=True, kw_only=True)
class RoleConfig:
    title_size: float = 1.2      # block type size (em) from which a block is a headline
    minor_size: float = 1.12     # kicker / subtitle / subhead size
    header_zone: float = 0.06    # top fraction of the page where folio lines live
    max_head_lines: int = 5      # most lines a headline block runs to
    stretch_height: float = 1.05  # a Han block of one or two lines under this height (em) ...
    stretch_cells: float = 2.5    # ... spanning at most this many cells beyond its text is body type
    label_height: float = 1.8     # tallest (em) a Han band label over a strip's first column is set


def body_em(boxes: np.ndarray, texts: list[str]) -> float:
    """The body type size: median line height weighted by characters."""
    return _weighted_median_height(boxes, _char_weights(texts))


def _char_weights(texts: list[str]) -> np.ndarray:
    return np.array([max(len(t.strip()), 1) for t in texts], float)


def _type_em(boxes: np.ndarray, sizes: np.ndarray, cw: np.ndarray) -> float:
    """The page's em by type size: the lines' `type_sizes` as heights, weighted by characters."""
    return _weighted_median_height(np.stack([boxes[:, 0], boxes[:, 1], boxes[:, 2], boxes[:, 1] + sizes], axis=1), cw)


def _weighted_median_height(boxes: np.ndarray, w: np.ndarray) -> float:
    if len(boxes) == 0:
        return 1.0
    h = boxes[:, 3] - boxes[:, 1]
    order = np.argsort(h)
    cw = np.cumsum(w[order])
    return float(h[order][np.searchsorted(cw, cw[-1] / 2)])


def type_sizes(boxes: np.ndarray, texts: list[str]) -> np.ndarray:
    """(N,) each line's type size in px, from its advance per character where it has text.

    Tight ink boxes make Latin line heights swing with ascenders and descenders ("neuve" is
    short, "Lyon" tall) — useless for telling a headline from body type. The horizontal
    advance is steadier: a Han character is about one em wide, a Latin letter about half,
    a space about a quarter. Lines with fewer than three characters keep their height.
    """
    h = boxes[:, 3] - boxes[:, 1]
    w = boxes[:, 2] - boxes[:, 0]
    ems, han = P.em_counts(texts)
    by_width = np.where(ems >= 3, w / np.maximum(ems, 1e-9), h)
    # for CJK the two agree, as Han characters are square: an advance well beyond the height
    # is letter-spacing ("州　经　开　区", "本 报 评 论 员"), not a bigger type; an advance well
    # under it is a box the detector drew tall ("续增长。”" at a column's foot boxed 52 px over
    # 26 px glyphs, a neighbour's strokes or the quote's ink taken in), not a smaller type — up
    # to a box three lines tall, beyond which the line may be set vertically (asked of a line
    # set in full cells, marks too: "长。”" is as square as its Han characters)
    hi = np.where(han >= 0.6, 1.5, 3.0) * h
    lens = np.fromiter((len(t.strip()) for t in texts), float, count=len(texts))
    lo = np.where(ems >= 0.9 * lens, 1.0 / 3.0, 0.5) * h
    return np.where((by_width > lo) & (by_width < hi), by_width, h)


def block_stats(blocks: list[np.ndarray], boxes: np.ndarray, texts: list[str]):
    """Per block: bbox (B,4), median line height, line count, text."""
    bb = group_boxes(boxes, blocks)
    hh = group_medians(boxes[:, 3] - boxes[:, 1], blocks)
    nl = np.array([len(b) for b in blocks])
    stripped = [t.strip() for t in texts]
    tx = ["".join([stripped[i] for i in b]) for b in (b.tolist() for b in blocks)]
    return bb, hh, nl, tx


@dataclass(frozen=True)
class PageMeasures:
    """What `classify` and `han_subheads_apart` (and `classify` again without the bold face)
    read of one page's lines and blocks alike: measured once by `page_measures` and handed to
    each (on a Han section a tenth of the layout's time was these, measured twice)."""

    cw: np.ndarray      # (N,) each line's characters (`_char_weights`)
    em: float           # the body's line height (`body_em`)
    em_type: float      # the body's type size (`_type_em`)
    block_boxes: np.ndarray  # `block_stats`: (B, 4)
    heights: np.ndarray      # (B,) median line height
    n_lines: np.ndarray      # (B,)
    block_texts: list[str]   # (B,) the lines' stripped texts run together
    cjk: bool                # `patterns.mostly_cjk` of the lines


def page_measures(blocks: list[np.ndarray], boxes: np.ndarray, texts: list[str], sizes: np.ndarray) -> PageMeasures:
    """`PageMeasures` of a page's lines (``sizes``: their `type_sizes`) and blocks."""
    cw = _char_weights(texts)
    bb, hh, nl, tx = block_stats(blocks, boxes, texts)
    return PageMeasures(cw, _weighted_median_height(boxes, cw), _type_em(boxes, sizes, cw), bb, hh, nl, tx,
                        P.mostly_cjk(texts))


def classify(blocks: list[np.ndarray], boxes: np.ndarray, texts: list[str], width: float,
             height: float, figures: np.ndarray, hseps: np.ndarray, subhead_hint: list[int],
             cfg: RoleConfig | None = None, *, sizes: np.ndarray | None = None,
             running: np.ndarray | None = None, flush_subheads: bool = True,
             measures: PageMeasures | None = None) -> tuple[list[str], list[list[int]], float]:
    """Return (role per block, headline groups as block-index lists, em). ``sizes``: the lines'
    `type_sizes`, when the caller has them already. ``subhead_hint``: per block 0, or how
    `blocks.group_blocks` cut it out as a one-line subhead (`SET_APART`, `BOLD_HEAD`, `BOLD_APART`).
    ``running``: per block, whether it is a piece of a column's running text that a bold
    subhead's cut parted from the lines around it (`blocks.group_blocks_runs`): body at the
    body's size, however short the piece (no headline, kicker or subhead of its own).
    ``flush_subheads``: whether a Latin one-line block filling most of a narrow column can be
    a subhead by its place (`_lone_subheads`); off for `analyze`'s reading without the bold face.
    ``measures``: `page_measures` of these lines, blocks and ``sizes``, when the caller has them."""
    cfg = cfg or RoleConfig()
    B = len(blocks)
    if B == 0:  # an empty page: nothing to classify (the arrays below would be typeless)
        em = _weighted_median_height(boxes, _char_weights(texts))
        return [], [], float(em) if np.isfinite(em) and em > 0 else 1.0
    ts = type_sizes(boxes, texts) if sizes is None else sizes
    m = page_measures(blocks, boxes, texts, ts) if measures is None else measures
    em, em_type, cjk = m.em, m.em_type, m.cjk
    bb, hh, nl, tx = m.block_boxes, m.heights, m.n_lines, m.block_texts
    nchars = np.array([len(t) for t in tx])
    roles = [R.BODY] * B
    # CJK: the narrowest line — justification only ever stretches a line (a column nine
    # characters wide sets "见面招商卓有成" across it when the next line may not open with
    # "效。”"), so of two lines or of three the one set at its own advance is the type's size
    # (Latin advances already absorb justification in their word spaces)
    size = (group_mins(ts, blocks) if cjk else group_medians(ts, blocks)) / em_type
    if cjk:
        size = _unstretched(size, hh / em, nl, boxes, texts, blocks, cfg)
    caps = np.array([nl[k] <= 2 and _caps_heading(tx[k]) for k in range(B)], bool)
    caps_page = not cjk and _headings_in_capitals(caps, size, nl, cfg)
    # a piece of running text a bold subhead was cut from keeps the body's role at the body's
    # size: alone, the one line left under a subhead at a column's foot reads as a headline by
    # its justified advance ("Ab nächstem Juni bietet die", 1.12 em) or as a kicker over the
    # next story's label ("The reopening of the west pier walkway" over "Business")
    run_on = (np.zeros(B, bool) if running is None else np.asarray(running, bool)) & (size < cfg.title_size)
    # length tests before the unanchored searches (JUMP, CREDIT), which would scan whole columns
    for k in range(B):
        t = tx[k]
        if P.matches(P.FOOTER, t) and nchars[k] < 60:
            roles[k] = R.FOOTER
        elif _speck(t, nl[k]):
            roles[k] = R.OTHER  # ",9": a smudge read as text; kept on the page, in no article
        elif nchars[k] < 40 and P.matches(P.JUMP, t):
            roles[k] = R.JUMP
        elif P.matches(P.CAPTION, t) and nl[k] <= 6:
            roles[k] = R.CAPTION  # "图为…。郭立杰摄": a caption that ends with its credit
        elif nchars[k] < 40 and nl[k] <= 2 and P.matches(P.CREDIT, t):
            roles[k] = R.CREDIT
        elif P.matches(P.BYLINE, t) and nchars[k] < 60 and nl[k] <= 2:
            roles[k] = R.BYLINE
        elif (nl[k] <= 2 and P.matches(P.WIRE, t)) or (caps[k] and P.matches(P.BRACKETED, t)):
            # "(PAR FIL SPÉCIAL)" — or in capitals and brackets however the OCR read it,
            # "(L»AR FIL SPÉCIAL)": heads a dispatch inside its story
            roles[k] = R.SUBHEAD
        elif run_on[k]:
            pass  # running text: the line left under "Kurse für Zugezogene" at a column's foot
        elif caps[k]:
            roles[k] = R.TITLE
        elif subhead_hint[k] in (BOLD_HEAD, BOLD_APART) and size[k] < cfg.title_size:
            # a bold line at the body's x-height in a column of regular text: a Latin subhead
            # set flush over its paragraph (`blocks.split_chains`)
            roles[k] = R.SUBHEAD
        elif subhead_hint[k] and size[k] < cfg.title_size:
            # CJK papers set 小标题 inside stories; Latin papers of this kind open a new story —
            # unless the paper sets its headlines in capitals: then a line in lower case is a
            # dispatch's own heading ("Condoléances Royales." under LES PERTES D'OSMAN-DIGMA)
            roles[k] = R.SUBHEAD if cjk or caps_page else R.TITLE
        elif (size[k] >= cfg.minor_size and not _scrap(t, [texts[i] for i in blocks[k]])
              and (cjk or nl[k] < 2 or not t.lstrip()[:1].islower())):
            # (a Latin block of two lines or more that opens in lower case runs a sentence on:
            # a column's tail set justified in a narrow measure, "das Museum zudem" stretched
            # to 449 px, reads large by advance)
            if size[k] >= cfg.title_size and nl[k] <= cfg.max_head_lines:
                # (a dozen lines in larger type are a lead paragraph or an editorial, not a headline)
                roles[k] = R.TITLE
            elif nl[k] <= 3 and nchars[k] <= 60:
                roles[k] = R.SUBTITLE  # provisional: minor headline, decided in grouping
    roles = _paragraph_tails(roles, bb, nl, tx, size, em)
    roles = _lone_subheads(roles, bb, nl, tx, size, em, cfg, cjk, flush_subheads)
    if cjk:
        roles = _centred_in_grid(roles, bb, nl, tx, size, em, cfg)
    roles = _captions_by_figures(roles, bb, size, nl, figures, em)
    roles = _captions_by_credits(roles, bb, nl, em)
    roles = _page_header(roles, bb, nl, tx, width, height, hseps, cfg, em)
    roles = _kickers(roles, bb, hh, nl, nchars, tx, em, blocks, boxes)
    roles = [R.BODY if run_on[k] and r in (R.TITLE, R.SUBTITLE, R.KICKER, R.SUBHEAD) else r
             for k, r in enumerate(roles)]
    groups = _headline_groups(roles, bb, hh, size, em, cfg)
    groups, roles = _split_section_banners(groups, roles, bb)
    roles = _name_group_members(roles, groups, bb, hh, size, cfg)
    roles = _minor_alone(roles, groups, bb, em)
    roles = _section_labels(roles, groups, bb, nl, tx, em, blocks, boxes, cjk, cfg)
    groups = [g for g in groups if any(roles[k] in (R.TITLE, R.KICKER, R.SUBTITLE) for k in g)]
    return roles, groups, em


def _spare_cells(boxes: np.ndarray, texts: list[str], blocks: list[np.ndarray]) -> np.ndarray:
    """(B,) per block, the most cells of its own height a line spans beyond its characters'."""
    if not blocks:
        return np.zeros(0)
    idx = np.concatenate(blocks)
    h = np.maximum(boxes[idx, 3] - boxes[idx, 1], 1e-9)
    spare = (boxes[idx, 2] - boxes[idx, 0]) / h - P.em_counts([texts[i] for i in idx])[0]
    own = np.split(np.arange(len(idx)), np.cumsum([len(b) for b in blocks])[:-1])
    return -group_mins(-spare, own)


def _unstretched(size: np.ndarray, height: np.ndarray, nl: np.ndarray, boxes: np.ndarray,
                 texts: list[str], blocks: list[np.ndarray], cfg: RoleConfig) -> np.ndarray:
    """Han blocks: a block of one or two lines, its boxes no taller than the body's, spanning
    at most a cell or two more than its characters fill, has the body's size. Justification
    spreads a line whose next character may not open a line ("“政务服务事项" across a column
    eight characters wide, the paragraph's first line alone at a column's foot): alone, it has
    no narrower line to measure by (`group_mins`), and its advance reads 1.2 em, a headline.
    Han glyphs are square, so bigger type is taller too: on the generated pages no headline or
    section label is under 1.33 em tall, and a kicker that reads large by advance is 1.07 em
    tall or more ("广东肇庆高新区构建…闭环——"); the stretched lines are 0.93–1.03 em. A long
    line set wider than its height by more than two cells is larger type, not a stretched one."""
    cand = np.flatnonzero((nl <= 2) & (height < cfg.stretch_height) & (size >= cfg.minor_size))
    stretched = cand[_spare_cells(boxes, texts, [blocks[k] for k in cand]) <= cfg.stretch_cells]
    out = size.copy()
    out[stretched] = np.minimum(size[stretched], height[stretched])
    return out


def _paragraph_tails(roles, bb, nl, tx, size, em):
    """A headline-sized line that opens in lower case right under a block of its own size
    runs that block's last sentence on ("…si bril-" | "lamment commencées."): a lead
    paragraph set large, cut where its short last line starts, is not a headline."""
    head = np.array([r in (R.TITLE, R.SUBTITLE) for r in roles], dtype=bool) & (nl <= 2)
    lower = np.array([bool(t) and t.lstrip()[:1].islower() for t in tx], dtype=bool)
    ks = np.nonzero(head & lower)[0]
    if len(ks) == 0:
        return roles
    ox = overlap_x(bb[ks], bb)
    gap = bb[ks, None, 1] - bb[None, :, 3]
    same = np.abs(size[None, :] - size[ks, None]) <= 0.1 * np.maximum(size[ks, None], 1e-9)
    above = (ox > 0) & (gap > -0.3 * em) & (gap < 0.6 * em) & same & (nl[None, :] >= 2)
    for k in ks[above.any(axis=1)].tolist():
        roles[k] = R.BODY
    return roles


def _column_hosts(bb: np.ndarray, ks: np.ndarray, body: np.ndarray, nl: np.ndarray, em: float
                  ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """One-line candidates ``ks`` (rows) against every block (columns): the blocks' widths, the
    gaps ``[k, j]`` up to block j above and down to block j below, and which body blocks of two
    lines or more run in the same column just above / below (within 2.5 em): the running text
    a subhead sits in."""
    w = bb[:, 2] - bb[:, 0]
    ox = overlap_x(bb[ks], bb)
    gap_dn = bb[None, :, 1] - bb[ks, None, 3]   # [k, j]: j below k
    gap_up = bb[ks, None, 1] - bb[None, :, 3]   # [k, j]: j above k
    near_col = (ox > 0.5 * w[ks, None]) & body[None, :] & (nl[None, :] >= 2)
    above = near_col & (gap_up > -0.3 * em) & (gap_up < 2.5 * em)
    below = near_col & (gap_dn > -0.3 * em) & (gap_dn < 2.5 * em)
    return w, gap_up, gap_dn, above, below


def _lone_subheads(roles, bb, nl, tx, size, em, cfg, cjk, flush=True):
    """A one-line, unterminated, clearly short block with running text right above or below
    it in the same column is a subhead (小标题), even at body size."""
    body = np.array([r == R.BODY for r in roles])
    if not body.any():
        return roles
    ks = np.array([k for k in np.nonzero(body & (nl == 1))[0].tolist()
                   if (t := tx[k].strip()) and t[-1] not in P.SENTENCE_END_OR_PAUSE
                   and size[k] < cfg.title_size], dtype=np.int64)
    if len(ks) == 0:
        return roles
    w, _gap_up, _gap_dn, above, below = _column_hosts(bb, ks, body, nl, em)
    host = below | above
    has = host.any(axis=1)
    ks, host, below, above = ks[has], host[has], below[has], above[has]
    col_w = np.where(host, w[None, :], -np.inf).max(axis=1)
    left = bb[ks, 0] - np.where(host, bb[None, :, 0], np.inf).min(axis=1)
    right = np.where(host, bb[None, :, 2], -np.inf).max(axis=1) - bb[ks, 2]
    centred = cjk & (np.abs(left - right) < em) & (left > 0.3 * em)
    edge = (left > 0.5 * em) | centred | ((not cjk) & below.any(axis=1))
    # a Han paragraph's lone first line at a column's foot ("今年3月，小鹏汽车收购了广东", its
    # text going on in the next column) is indented and runs out to the column's right edge,
    # as `_subheads_set_apart` says: no subhead
    para_start = cjk & (left > 0.8 * em) & (right < 0.3 * em)
    # a Latin subhead in a narrow column fills most of it ("Un appel aux bénévoles", 0.93 of
    # a column 15 em wide): flush left over its paragraph, opening in a capital, it stops short
    # of the right edge that every justified line of the column reaches (within 0.05 em) —
    # half an em short is no run-on line, whatever its share of the width
    opens_cap = np.array([tx[k].lstrip()[:1].isupper() for k in ks.tolist()], dtype=bool)
    short_flush = ((flush and not cjk) & below.any(axis=1) & opens_cap & (left < 0.5 * em)
                   & (right > 0.5 * em))
    sub = ((w[ks] < (0.92 if cjk else 0.8) * col_w) | short_flush) & edge & ~para_start
    if not cjk:
        # (read without the bold face too: a bold one set apart would otherwise ride as body for the
        # stitcher, `analyze`, and lose its paragraph at the next column's head just the same)
        sub |= _foot_subheads(ks, bb, tx, above, below, left, right, opens_cap, em)
    for k in ks[sub].tolist():
        roles[k] = R.SUBHEAD
    return roles


def _centred_in_grid(roles, bb, nl, tx, size, em, cfg):
    """A bare one-line Han block, no mark in it, centred in a column of the page's grid with
    white over and under it, is a subhead (小标题), even when no running text sits within
    2.5 em of it in its column (`_lone_subheads`): alone at a frame's head over a rule, its
    paragraph at the next column's head ("鱼价高了 海水清了" between a rule and a section
    label), or at a column's foot under a one-line paragraph tail ("和航道。"). The grid's
    columns are the page's running text blocks (three lines or more) that span the line. A
    paragraph's lone first or last line is flush with a column edge; a byline, credit or date
    line has its own role by then."""
    body = np.array([r == R.BODY for r in roles])
    ks = np.array([k for k in np.nonzero(body & (nl == 1))[0].tolist()
                   if (t := tx[k].strip()) and len(t) <= 16
                   and not any(c in P.SENTENCE_END_OR_PAUSE for c in t)
                   and size[k] < cfg.title_size], dtype=np.int64)
    if len(ks) == 0:
        return roles
    col = body & (nl >= 3)
    left = bb[ks, None, 0] - bb[None, :, 0]     # [k, j]: margins of k inside column j
    right = bb[None, :, 2] - bb[ks, None, 2]
    centred = (col[None, :] & (left > 1.5 * em) & (right > 1.5 * em)
               & (np.abs(left - right) < 0.5 * em)).any(axis=1)
    ox = overlap_x(bb[ks], bb) > 0
    ox[np.arange(len(ks)), ks] = False
    gap_up = bb[ks, None, 1] - bb[None, :, 3]
    gap_dn = bb[None, :, 1] - bb[ks, None, 3]
    near_up = np.where(ox & (gap_up > -0.3 * em), gap_up, np.inf).min(axis=1)
    near_dn = np.where(ox & (gap_dn > -0.3 * em), gap_dn, np.inf).min(axis=1)
    sub = centred & (near_up > 0.6 * em) & (near_dn > 0.6 * em)
    for k in ks[sub].tolist():
        roles[k] = R.SUBHEAD
    return roles


def _foot_subheads(ks, bb, tx, above, below, left, right, opens_cap, em) -> np.ndarray:
    """(K,) which Latin candidates ``ks`` are a subhead set at a column's foot, its paragraph
    going on at the head of the next column ("Des travaux sous la ville" under "…devant les
    élus."): flush left, short of the right edge, opening on a capital, under a closed
    sentence of its column with white between wider than the leading, and nothing under it in
    the column. `_lone_subheads` otherwise wants its paragraph below it, which here is elsewhere.
    A paragraph's first line at the foot runs to the right edge (justified) and has no white
    over it; a story's closing line stops on its full stop."""
    up = np.where(above, bb[None, :, 3], -np.inf)          # [k, j] the hosts' feet above k
    near = np.argmax(up, axis=1)                           # the host right above
    white = bb[ks, 1] - up[np.arange(len(ks)), near]
    closed = np.array([(t := tx[j].rstrip()) != "" and t[-1] in P.SENTENCE_END for j in near.tolist()], bool)
    ox = overlap_x(bb[ks], bb)
    gap_dn = bb[None, :, 1] - bb[ks, None, 3]
    under = ((ox > 0) & (gap_dn > -0.3 * em) & (gap_dn < 2.5 * em)).any(axis=1)
    return (above.any(axis=1) & ~below.any(axis=1) & ~under & opens_cap & closed
            & (white > 0.6 * em) & (left < 0.5 * em) & (right > 0.5 * em))


def han_subheads_apart(blocks: list[np.ndarray], boxes: np.ndarray, texts: list[str], roles: list[str],
                       sizes: np.ndarray, cfg: RoleConfig | None = None,
                       measures: PageMeasures | None = None) -> list[int]:
    """The body blocks of a Han page that are subheads by their place alone (`_subheads_set_apart`),
    asked after `classify` so that no other role moves. The stitcher reads them as body, as
    it did before they were found (`reflow.articles.ride_subheads`): measured, reading them
    as subheads there reshuffled chains far from them (docs/results.md, session 9).
    ``measures``: as for `classify`."""
    cfg = cfg or RoleConfig()
    if not len(blocks):
        return []
    m = page_measures(blocks, boxes, texts, sizes) if measures is None else measures
    if not m.cjk:
        return []
    em, em_type, bb, nl, tx = m.em, m.em_type, m.block_boxes, m.n_lines, m.block_texts
    size = group_mins(sizes, blocks) / em_type
    new = _subheads_set_apart(list(roles), bb, nl, tx, size, em, cfg, _leading(blocks, boxes),
                              boxes[[int(b[0]) for b in blocks], 0])
    return [k for k, (r0, r1) in enumerate(zip(roles, new)) if r0 != r1]


def _leading(blocks: list[np.ndarray], boxes: np.ndarray) -> np.ndarray:
    """(B,) each block's median white between its consecutive lines; NaN for one-line blocks."""
    multi = [b for b in blocks if len(b) >= 2]
    out = np.full(len(blocks), np.nan)
    if not multi:
        return out
    idx = np.concatenate(multi)
    sizes = np.array([len(b) for b in multi])
    gap = np.empty(len(idx))
    gap[1:] = boxes[idx[1:], 1] - boxes[idx[:-1], 3]
    head = np.cumsum(sizes) - sizes
    out[np.array([len(b) >= 2 for b in blocks])] = group_medians(
        gap, [np.arange(o + 1, o + n) for o, n in zip(head.tolist(), sizes.tolist())])
    return out


def _subheads_set_apart(roles, bb, nl, tx, size, em, cfg, lead, x0_first):
    """A bare one-line Han block set apart in its column — more white above and below than
    the column's own leading, after a closed sentence and over an indented paragraph start —
    is a subhead (小标题), however wide: nine characters centred in a column 9.7 em wide
    ("定制个性化招商方案") or filling it leave `_lone_subheads` no margin to see.

    Open text above counts only at the subhead's own spacing: under white clearly wider than
    the white below it, it is a frame's foot, and the line opens a new frame's column.

    A paragraph's short last line ends on its mark; a paragraph's lone first line is indented
    and runs to the column's right edge; a line carried over at a column's foot or head sits
    at the body's leading: none of them is taken. ``lead``: per block its line spacing
    (`_leading`); ``x0_first``: per block its first line's left edge."""
    body = np.array([r == R.BODY for r in roles])
    ks = np.array([k for k in np.nonzero(body & (nl == 1))[0].tolist()
                   if (t := tx[k].strip()) and not any(c in P.SENTENCE_END_OR_PAUSE for c in t)
                   and size[k] < cfg.title_size], dtype=np.int64)
    if len(ks) == 0:
        return roles
    w, gap_up, gap_dn, above, below = _column_hosts(bb, ks, body, nl, em)
    host = above | below
    has_up, has_dn = above.any(axis=1), below.any(axis=1)
    ga = np.where(above, gap_up, np.inf).min(axis=1)
    gb = np.where(below, gap_dn, np.inf).min(axis=1)
    up = np.where(above, gap_up, np.inf).argmin(axis=1)   # the nearest host above / below
    dn = np.where(below, gap_dn, np.inf).argmin(axis=1)
    lead_col = np.nanmax(np.where(host, lead[None, :], np.nan), axis=1, initial=0.0)
    wide = np.maximum(0.6 * em, 1.8 * np.maximum(np.nan_to_num(lead_col), 0.0))
    roomy = (has_up | has_dn) & (~has_up | (ga > wide)) & (~has_dn | (gb > wide))
    closed_up = np.array([bool(t := tx[j].strip()) and t[-1] in P.SENTENCE_END for j in up.tolist()])
    col_x0 = np.where(host, bb[None, :, 0], np.inf).min(axis=1)
    col_x1 = np.where(host, bb[None, :, 2], -np.inf).max(axis=1)
    indent_dn = x0_first[dn] - bb[dn, 0] > 0.8 * em
    # a paragraph's one-line opening piece: indented, out to the column's right edge
    para_start = (bb[ks, 0] - col_x0 > 0.8 * em) & (col_x1 - bb[ks, 2] < 0.3 * em)
    # open text above with much more white over the line than under it is the foot of the
    # story's earlier frame (or another story's), not the paragraph the subhead follows: the
    # subhead opens its column in a new frame, as a paragraph's first line would
    frame_foot = has_up & has_dn & (ga >= gb + 0.5 * em)
    sub = (roomy & (~has_up | closed_up | frame_foot) & (~has_dn | indent_dn) & (has_up | indent_dn)
           & ~para_start & (w[ks] < np.where(host, w[None, :], -np.inf).max(axis=1) + 0.3 * em))
    for k in ks[sub].tolist():
        roles[k] = R.SUBHEAD
    return roles


def _speck(text: str, n_lines: int) -> bool:
    """A one-line scrap of at most four characters with no letter or Han character in it
    (",9", "·", "'1"): dirt, a folio digit or a stray mark, never the text of an article. A line
    without text says nothing (boxes given without their text) and is left to geometry."""
    t = text.strip()
    if n_lines != 1 or not t:
        return False
    # a lone lower-case letter or two ("t") is a stray mark read as text, or a scrap of a word
    # the detector cut off: alone it belongs to no story
    return (len(t) <= 4 and not any(c.isalpha() for c in t)) or (len(t) <= 2 and t.isalpha() and t.islower())


def _fragment(text: str) -> bool:
    """Too little to be a headline: one or two characters, or a scrap that ends a CJK sentence
    ("个。") or opens with a quote ("“取消") — OCR pieces whose box came out tall."""
    t = text.strip()
    return len(t) <= 2 or (len(t) <= 4 and (t[-1] in "。，、；！？" or t[0] in "“‘「『"))


def _scrap(text: str, lines: list[str]) -> bool:
    """A block that cannot be a headline: its text is a fragment, or every line of it is
    ("“取消" over "“推进": a list of quoted items cut out of a column at the quote marks)."""
    return _fragment(text) or all(_fragment(t) for t in lines)


def _headings_in_capitals(caps: np.ndarray, size: np.ndarray, nl: np.ndarray, cfg: RoleConfig) -> bool:
    """The page sets its headlines in capitals: several short all-capitals blocks, at least
    twice as many as short headline-sized blocks in lower case."""
    n_caps = int(caps.sum())
    n_mixed = int((~caps & (size >= cfg.title_size) & (nl <= 2)).sum())
    return n_caps >= 3 and n_caps >= 2 * n_mixed


def _caps_heading(text: str) -> bool:
    """An all-capitals short line (LE PARLEMENT, SOCIÉTÉ D'ÉCONOMIE POPULAIRE): a Latin headline."""
    letters = [c for c in text if c.isalpha()]
    if len(letters) < 4 or len(text) > 80 or text.rstrip().endswith((",", ";", "-")):
        return False
    upper = sum(c.isupper() for c in letters)
    return upper >= 0.8 * len(letters)


def _kickers(roles, bb, hh, nl, nchars, tx, em, blocks, boxes):
    """A short block of one or two lines sitting right on top of a headline is its kicker
    (Dachzeile, 引题), whatever its type size — and not a folio line, however high it sits.
    It is no wider than the page's widest title, or it is set flush or centred with the title
    under it (a long kicker over a short title: "广东肇庆高新区构建“项目招商—要素保障—建设投产”闭环——"
    over "引资“一产一链”“一企一策”", in one line or two). A kicker set in two lines breaks
    where its words do, so its second line is the shorter one: two lines of one width are a
    piece of a justified column ("术支持，帮助企业招聘100多" / "名工人，并落实"). A kicker set
    centred in a narrow column may take three lines ("内蒙古乌兰察" / "布借“风”借" / "“凉”——"):
    lines of different widths on one axis, which a column's running text never is."""
    title = np.array([r == R.TITLE for r in roles])
    if not title.any():
        return roles
    t_idx = np.nonzero(title)[0]
    ox = overlap_x(bb, bb[t_idx])
    gap = bb[None, t_idx, 1] - bb[:, None, 3]
    tb = bb[t_idx]
    aligned = ((np.abs(bb[:, None, 0] - tb[None, :, 0]) <= 0.5 * em)
               | (np.abs((bb[:, None, 0] + bb[:, None, 2]) - (tb[None, :, 0] + tb[None, :, 2])) <= em))
    narrow = ((bb[:, 2] - bb[:, 0]) <= (tb[:, 2] - tb[:, 0]).max())[:, None]
    near = (ox > 0) & (gap > -0.2 * em) & (gap < 1.0 * hh[t_idx][None, :]) & (narrow | aligned)
    short = ((nl == 1) | ((nl == 2) & _second_line_shorter(blocks, boxes, em))
             | ((nl == 3) & _set_centred(blocks, boxes, em))) & (nchars <= 40)
    # not the last line of the story above: that one hugs its text and ends a sentence
    # (tested for the candidates only)
    cand = np.nonzero(near.any(axis=1) & short)[0]
    ox_all = overlap_x(bb[cand], bb)
    gap_up = bb[cand, None, 1] - bb[None, :, 3]
    hugged = ((ox_all > 0) & (gap_up > -0.2 * em) & (gap_up < 0.6 * em)).any(axis=1)
    for k in cand[~hugged]:
        t = tx[k].rstrip()
        if (roles[k] in (R.BODY, R.PAGE_HEADER, R.SUBHEAD) and t and t[-1] not in ".!?。！？,¬，"
                and not _hyphenated(t) and not t[0].islower()):
            roles[k] = R.KICKER
    return roles


def _hyphenated(text: str) -> bool:
    """Does ``text`` end in a hyphen that runs a word on? After a Han character a "-" is a
    dash the recogniser read short (a kicker's "闭环——" as "闭环-"), which ends no word."""
    if not text.endswith("-"):
        return False
    before = text.rstrip("-")[-1:]
    return not (before and "\u3400" <= before <= "\u9fff")


def _set_centred(blocks, boxes, em) -> np.ndarray:
    """(B,) bool: the block's lines are centred on one axis (centres within half an em) and
    differ in width by an em or more. A justified column's lines share their left edge, so a
    short last line moves its centre by half the difference; only lines set centred pass."""
    cx = (boxes[:, 0] + boxes[:, 2]) / 2
    w = boxes[:, 2] - boxes[:, 0]
    return np.array([len(b) >= 2 and bool(np.ptp(cx[b]) <= 0.5 * em and np.ptp(w[b]) >= em)
                     for b in blocks], bool)


def _second_line_shorter(blocks, boxes, em) -> np.ndarray:
    """(B,) bool: the block's second line is narrower than its first by half an em or more."""
    w = boxes[:, 2] - boxes[:, 0]
    return np.array([len(b) >= 2 and bool(w[b[1]] <= w[b[0]] - 0.5 * em) for b in blocks], bool)


def _captions_by_figures(roles, bb, size, nl, figures, em):
    """Short blocks hugging a photo's bottom or top edge within its span are captions —
    unless two or more such blocks stand side by side with their tops aligned: a story's
    columns that open under its photo (a strip of text across them), not a caption."""
    if len(figures) == 0:
        return roles
    ox = overlap_x(bb, figures)
    below = bb[:, None, 1] - figures[None, :, 3]
    above = figures[None, :, 1] - bb[:, None, 3]
    w = (bb[:, 2] - bb[:, 0])[:, None]
    near = (ox > 0.6 * w) & (((below > -0.3 * em) & (below < 1.5 * em)) |
                            ((above > -0.3 * em) & (above < 1.0 * em)))
    body = np.array([r in (R.BODY, R.SUBTITLE) for r in roles])
    cand = near & body[:, None]
    top_of = np.where(below > -0.3 * em, bb[:, None, 1], bb[:, None, 3])  # the edge that hugs the photo
    k_i, f_i = np.nonzero(cand)
    aligned = (f_i[:, None] == f_i[None, :]) & (np.abs(top_of[k_i, f_i][:, None] - top_of[k_i, f_i][None, :]) < 0.5 * em)
    row = aligned.sum(axis=1) >= 2
    near[k_i[row], f_i[row]] = False
    for k in np.nonzero(near.any(axis=1))[0]:
        if roles[k] in (R.BODY, R.SUBTITLE) and nl[k] <= 4 and size[k] < 1.3:
            roles[k] = R.CAPTION
    return roles


def _captions_by_credits(roles, bb, nl, em):
    """A short block right on top of a photo credit ("Bild: Seraina Caduff", "郭立杰摄") is the
    photo's caption, photo or no photo on the page (lines given without the image)."""
    cred = np.nonzero([r in (R.CREDIT, R.CAPTION) for r in roles])[0]
    cand = np.nonzero([r == R.BODY for r in roles] & (nl <= 4))[0]
    if len(cred) == 0 or len(cand) == 0:
        return roles
    ox = overlap_x(bb[cand], bb[cred])
    gap = bb[None, cred, 1] - bb[cand, None, 3]
    w = np.minimum((bb[cand, 2] - bb[cand, 0])[:, None], (bb[cred, 2] - bb[cred, 0])[None, :])
    close = (gap > -0.3 * em) & (gap < 1.0 * em)
    on_top = (ox > 0.5 * w) & close
    # ... or a one- or two-line block whose credit is set on the next line at the photo's right
    # edge ("The rebuilt harbour wall at Whitby." left, "Photograph: Daniel Crossley" right),
    # with nothing on those lines between the two: under a photo, not in a row of columns. A
    # long caption may reach past the credit's left end (en 150: "…off Eday." ends 34 px right
    # of where "Photograph: Ingrid Sclater" starts): the credit still starts in the caption's
    # right half and ends beyond it, which no column's line under or beside it does
    centre = (bb[cand, 0] + bb[cand, 2])[:, None] / 2
    right = (bb[None, cred, 0] >= bb[cand, None, 2]) | (
        (bb[None, cred, 0] > centre) & (bb[None, cred, 2] > bb[cand, None, 2]))
    k_i, c_i = np.nonzero(close & right & (nl[cand] <= 2)[:, None])
    if len(k_i):
        a, c = bb[cand[k_i]], bb[cred[c_i]]
        corridor = np.column_stack([a[:, 2], np.minimum(a[:, 1], c[:, 1]), c[:, 0], np.maximum(a[:, 3], c[:, 3])])
        inside = ((np.minimum(corridor[:, None, 2], bb[None, :, 2]) - np.maximum(corridor[:, None, 0], bb[None, :, 0]) > 0)
                  & (np.minimum(corridor[:, None, 3], bb[None, :, 3]) - np.maximum(corridor[:, None, 1], bb[None, :, 1]) > 0))
        free = ~inside.any(axis=1)
        on_top[k_i[free], c_i[free]] = True
    for k in cand[on_top.any(axis=1)].tolist():
        roles[k] = R.CAPTION
    return roles


def _page_header(roles, bb, nl, tx, width, height, hseps, cfg, em):
    """Folio lines: above a full-width rule near the top, or in the top band with a date."""
    limit = cfg.header_zone * height
    if len(hseps):
        wide = hseps[(hseps[:, 2] - hseps[:, 0] > 0.6 * width) & (hseps[:, 1] < 0.15 * height)]
        if len(wide):
            limit = max(limit, float(wide[:, 1].min()))
    # a headline with its story right under it is not a folio line, however high it sits
    # (tested for the blocks in the top zone only: B × B pairs on a long page are wasted)
    top = np.nonzero((bb[:, 3] <= limit + 2) & (nl <= 2))[0]
    ox = overlap_x(bb[top], bb)
    gap = bb[None, :, 1] - bb[top, None, 3]
    w = bb[top, 2] - bb[top, 0]
    heads_story = np.zeros(len(roles), bool)
    # (its text within a few lines, or its byline right under it; a folio stands alone)
    byline = np.array([roles[j] == R.BYLINE for j in range(len(roles))])
    heads_story[top] = (((ox > 0.5 * w[:, None]) & (gap > -2) & (gap < 2.0 * em) & (nl[None, :] >= 3))
                        | ((ox > 0) & (gap > -2) & (gap < 1.5 * em) & byline[None, :])).any(axis=1)
    # ... nor is a line beside the top of running text: a folio stands above the columns, a
    # column's first line ("ligt.", the end of a word from the page before) stands in them
    beside_text = ((bb[None, :, 1] < bb[top, None, 3]) & (bb[None, :, 3] > limit + 2)
                   & (nl[None, :] >= 3)).any(axis=1)
    # ... nor is a line in the row of the headlines that open stories there: a folio stands
    # above the page's headlines, a photo story's title (its text far below, under the photo
    # nobody sees from lines) stands beside them
    opens = heads_story[top]
    row = (bb[top, None, 1] < bb[None, top, 3]) & (bb[top, None, 3] > bb[None, top, 1]) & opens[None, :]
    np.fill_diagonal(row, False)
    beside_text |= row.any(axis=1)
    beside_text |= _column_head_run_on(bb, nl, tx, top, em)
    for k, beside in zip(top.tolist(), beside_text.tolist()):
        if roles[k] not in (R.BYLINE,):
            dated = P.matches(P.HEADER, tx[k])
            if dated or (not heads_story[k] and not beside
                         and (bb[k, 3] <= cfg.header_zone * height or len(hseps))):
                roles[k] = R.PAGE_HEADER
    return roles


def _column_head_run_on(bb, nl, tx, top, em) -> np.ndarray:
    """Per block of ``top``: is it a column's first lines, running a sentence on from the foot
    of the column before ("sent rapidement et les travaux…")? It opens in lower case and is set
    to the measure of a column of running text under it. Where the columns start high, inside
    the folio band, nothing stands beside such a block to say so; a folio line opens with a
    capital or a digit, or is a date (kept as a folio whatever its case).

    Han type has no case: there the sign is a sentence's end. A Han line that closes its
    sentence ("…改造成了创作和展示空间。") set flush left over a column of running text, inside
    its measure, is the end of a paragraph begun in the column before, however short; a Han
    folio line (paper, section, page number, date) ends on no stop (zh-26000781: the line
    read as a folio, the story lost it and its next column went to another story)."""
    out = np.zeros(len(top), bool)
    lower = np.array([_opens_lower(tx[k]) for k in top.tolist()], bool)
    han_stop = np.array([_han_sentence_end(tx[k]) for k in top.tolist()], bool)
    cand = lower | han_stop
    if not cand.any():
        return out
    ks = top[cand]
    w = bb[:, 2] - bb[:, 0]
    ox = overlap_x(bb[ks], bb)
    # a column of running text below it, of its width (within an em either side); a Han
    # sentence's last line flush left in it and no wider
    flush = np.abs(bb[ks, None, 0] - bb[None, :, 0]) <= em
    same_measure = (flush & (np.abs(bb[ks, None, 2] - bb[None, :, 2]) <= em)
                    & (ox > 0.8 * np.maximum(w[ks, None], w[None, :])))
    inside = flush & (bb[ks, None, 2] <= bb[None, :, 2] + em) & han_stop[cand][:, None]
    column = (same_measure | inside) & (bb[None, :, 1] > bb[ks, None, 3] - 2) & (nl[None, :] >= 3)
    out[cand] = column.any(axis=1)
    return out


def _han_sentence_end(text: str) -> bool:
    """Does a Han text close a sentence: a full-width stop (。！？), a closing quote after it
    allowed, with Han characters before it?"""
    t = text.rstrip().rstrip("”」』’")
    return len(t) >= 2 and t[-1] in "。！？" and "\u4e00" <= t[-2] <= "\u9fff"


def _opens_lower(text: str) -> bool:
    """Does the text open with a lower-case letter (after any quote or bracket)?"""
    t = text.lstrip(" \"'«“‘([-—")
    return bool(t) and t[0].isalpha() and t[0].islower()


def _headline_groups(roles, bb, hh, size, em, cfg) -> list[list[int]]:
    """Stacks of headline-like blocks (and bylines) that touch vertically and overlap in x."""
    cand = np.array([r in (R.TITLE, R.SUBTITLE, R.BYLINE, R.KICKER) for r in roles])
    idx = np.nonzero(cand)[0]
    if len(idx) == 0:
        return []
    b = bb[idx]
    ox = overlap_x(b, b)
    gap = np.maximum(b[None, :, 1] - b[:, None, 3], b[:, None, 1] - b[None, :, 3])
    hmax = np.maximum(hh[idx][:, None], hh[idx][None, :])
    link = (ox > 0) & (gap < 1.3 * hmax)
    np.fill_diagonal(link, False)
    k, lab = connected_components(coo_matrix(link), directed=False)
    groups = [sorted(idx[lab == c].tolist(), key=lambda q: (bb[q, 1], bb[q, 0])) for c in range(k)]
    groups.sort(key=lambda g: (bb[g[0], 1], bb[g[0], 0]))
    return groups


def _split_section_banners(groups, roles, bb):
    """The top block of a headline stack that stands clearly apart from the rest (a gap
    well over any gap inside the stack) is a section banner over the story, not its kicker."""
    out = []
    for g in groups:
        g = list(g)
        if len(g) >= 3:
            tops = bb[g, 1]
            order = np.argsort(tops, kind="stable")
            g = [g[i] for i in order]
            gaps = bb[g[1:], 1] - bb[g[:-1], 3]
            if gaps[0] > 1.4 * max(float(gaps[1:].max()), 1.0) and roles[g[0]] != R.BYLINE:
                roles[g[0]] = R.SECTION
                g = g[1:]
        out.append(g)
    return out, roles


def _name_group_members(roles, groups, bb, hh, size, cfg):
    """Largest type in a group is the title; above it kicker, below it subtitle/byline."""
    for g in groups:
        heads = [k for k in g if roles[k] in (R.TITLE, R.SUBTITLE, R.KICKER)]
        if not heads:
            continue
        t = max(heads, key=lambda q: (hh[q], -bb[q, 1]))
        if size[t] < cfg.title_size and len(heads) == 1 and not any(roles[k] == R.BYLINE for k in g):
            continue  # a lone minor block: decided by _minor_alone
        for k in heads:
            if k == t:
                roles[k] = R.TITLE
            elif bb[k, 3] <= bb[t, 1] + 0.3 * hh[t]:
                roles[k] = R.KICKER
            else:
                roles[k] = R.SUBTITLE
    return roles


def _section_labels(roles, groups, bb, nl, tx, em, blocks, boxes, cjk, cfg):
    """A lone one-line title of a few words ("Region", "Around the Region", "社会民生") whose nearest block below
    is another headline, not text, labels a section: it opens no article of its own. On a Han
    page, so does one whose nearest block below is running text that opens flush, without the
    paragraph indent every story's first line has there: a column continued from elsewhere
    under a band's label ("促进高质量发展" over "车整车项目落户肇庆高新区。…")."""
    heads = np.array([r in (R.KICKER, R.TITLE, R.SUBTITLE) for r in roles])
    body = np.array([r == R.BODY for r in roles])
    for g in groups:
        if len(g) != 1 or roles[g[0]] != R.TITLE or nl[g[0]] != 1:
            continue
        k = g[0]
        t = tx[k].strip()
        if not t or t[-1] in P.SENTENCE_END_OR_PAUSE or len(t.split()) > 4 or len(t) > 30:
            continue
        ox = np.minimum(bb[:, 2], bb[k, 2]) - np.maximum(bb[:, 0], bb[k, 0])
        gap = bb[:, 1] - bb[k, 3]
        below = (ox > 0) & (gap > -0.2 * em)
        below[k] = False
        if below.any():
            j = int(np.argmin(np.where(below, gap, np.inf)))
            # (the first column of its row: a column of a story's text set in a row is flush
            # with the one to its left, and a title is centred over the whole row)
            first = not ((np.abs(bb[:, 1] - bb[j, 1]) <= em) & (bb[j, 0] - bb[:, 2] >= 0)
                         & (bb[j, 0] - bb[:, 2] <= 3 * em) & body).any()
            if heads[j] or (cjk and roles[j] == R.BODY and first and _opens_flush(blocks[j], boxes, em)):
                roles[k] = R.SECTION
            elif cjk and _over_a_strips_first_column(bb, body, below & (gap <= gap[j] + em), ox, k, em, cfg):
                roles[k] = R.SECTION
            elif cjk and _beside_a_lower_headline(bb, heads, k, j, em, cfg):
                roles[k] = R.SECTION
            elif not cjk and not _caps_heading(t) and _alone_in_row(bb, k, em):
                roles[k] = R.SECTION
    return roles


def _over_a_strips_first_column(bb, body, under, ox, k, em, cfg: RoleConfig) -> bool:
    """Lone title k stands close over the first column of a strip (of the blocks ``under`` it,
    level with the nearest, the one it overlaps most), whose next column starts level with
    it, out of k's reach (k ends short of that column's first quarter) and with nothing over
    it in k's rows: a band's label over a story's columns continued from elsewhere
    ("促进高质量发展", 1.5 em, over "研发部经理田岭说。" and two columns beside it, open above;
    the label reaches 0.1–0.2 of a column past the first). A story's headline reaches over its
    columns, a story set beside another has that one's headline over it, and a photo story's
    title stands a photo's height above its text. A band's label is set smaller than a
    headline: no taller than ``cfg.label_height`` em (labels 1.33–1.77 em on the generated
    pages, Han headlines 1.81 em and up on the zh sets; a 2.3 em headline over a story's two
    columns, short of the second's first quarter, heads them). ``ox``: each block's overlap in
    x with k."""
    j = int(np.argmax(np.where(under, ox, -np.inf)))
    if (not (under[j] and body[j]) or bb[j, 1] - bb[k, 3] > 4 * em
            or bb[k, 3] - bb[k, 1] > cfg.label_height * em):
        return False
    row = body & (np.abs(bb[:, 1] - bb[j, 1]) <= em)
    if (row & (bb[j, 0] - bb[:, 2] >= 0) & (bb[j, 0] - bb[:, 2] <= 3 * em)).any():
        return False  # not the strip's first column
    nxt = row & (bb[:, 0] - bb[j, 2] >= 0) & (bb[:, 0] - bb[j, 2] <= 3 * em)
    if not nxt.any():
        return False
    n = int(np.argmin(np.where(nxt, bb[:, 0], np.inf)))
    if bb[k, 2] >= bb[n, 0] + 0.25 * (bb[n, 2] - bb[n, 0]):
        return False
    on_n = np.minimum(bb[:, 2], bb[n, 2]) - np.maximum(bb[:, 0], bb[n, 0]) > 0
    over = on_n & (bb[:, 3] > bb[k, 1] - 0.5 * em) & (bb[:, 1] < bb[n, 1] - 0.2 * em)
    over[k] = False
    return not over.any()


def _beside_a_lower_headline(bb, heads, k, j, em, cfg: RoleConfig) -> bool:
    """Lone title k, in a label's type (no taller than ``cfg.label_height`` em), stands far over
    the nearest block under it (j, over 4 em down), and another story's headline starts in
    that white just to its right (within 6 em): k labels the band whose stories open there, and
    opens none of its own (zh-1100038: "社会民生" over a row of kickers, the first story's text
    11 em down; seed-rand-200023: "促进高质量发展" beside a photo story's title). A story's
    own headline has no other headline between it and its text."""
    if bb[k, 3] - bb[k, 1] > cfg.label_height * em or bb[j, 1] - bb[k, 3] <= 4 * em:
        return False
    right = bb[:, 0] - bb[k, 2]
    lower = heads & (bb[:, 1] > bb[k, 3]) & (bb[:, 1] < bb[j, 1]) & (right >= 0) & (right <= 6 * em)
    lower[k] = False
    return bool(lower.any())


def _alone_in_row(bb, k, em) -> bool:
    """Nothing else on the page stands in the row of block k (its height plus half an em
    either side). A Latin section banner runs across the page with its label at the left and
    the stories' headlines and columns under it; a story's headline has the rest of its band
    beside it (other columns, other headlines), and a Han page's band labels sit over one
    column of a band (`_section_labels`)."""
    lo, hi = bb[k, 1] - 0.5 * em, bb[k, 3] + 0.5 * em
    row = (bb[:, 1] < hi) & (bb[:, 3] > lo)
    row[k] = False
    return not row.any()


def _opens_flush(block, boxes, em) -> bool:
    """A block of three lines or more whose first line starts at the column's left edge (within
    a quarter em of the median left edge of the others): no paragraph begins there."""
    if len(block) < 3:
        return False
    x0 = boxes[block, 0]
    return bool(abs(x0[0] - np.median(x0[1:])) <= 0.25 * em)


def _minor_alone(roles, groups, bb, em):
    """A lone minor-size block with running text of its column right above it is a subhead;
    otherwise it opens a story (a title)."""
    body = np.array([r == R.BODY for r in roles])
    for g in groups:
        if len(g) != 1 or roles[g[0]] != R.SUBTITLE:
            continue
        k = g[0]
        ox = overlap_x(bb[k:k + 1], bb)[0]
        above = (bb[:, 3] <= bb[k, 1] + 2) & (bb[k, 1] - bb[:, 3] < 2.5 * em)
        inside = body & (ox > 0.5 * (bb[k, 2] - bb[k, 0]))
        roles[k] = R.SUBHEAD if (inside & above).any() else R.TITLE
    return roles
