"""Join the pieces of one text line that the detector cut at wide letter or word spaces.

A justified line with few characters is spread across its column: a CJK column's last line
before a break ("州　　经　　开　　区") or a Latin line with wide word spaces ("Die   Stadt   St.
Gallen"). The detector sees the white between the pieces as the end of a line and returns each
piece as a line of its own; downstream every piece becomes a block, and a story's break
("…与赣" | "州经开区签约") turns into four one-character scraps.

Two pieces are one line when they sit on the same row at the same size, a line of text size
just above or below runs the length of both (a line of the same column; across a gutter no
single line does), and the page image shows ink in the lines above and below all through the
gap: a column gap (gutter or rule) is a white band down the column, a letter space is not. That is the test :mod:`broadsheet.ocr.split` cuts lines
with, used the other way round and with the same width, so the two never undo each other.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from broadsheet.ink_reach import FALLS, INK, INK_REACH, OVER_CAPS, RISES, UNKNOWN, letters_kind

from .charclass import has_cjk
from .split import (SplitConfig, _absorb_stray_quotes, _cut_positions, _longest_run, _mostly_cjk, _runs, clear_need, gap_columns,
                    ink_mask, longest_runs)
from .types import OcrLine


@dataclass(frozen=True, kw_only=True)
class MergeConfig:
    """Thresholds, relative to the pieces' height ``h``.

    ``min_gap`` / ``max_gap`` (``max_gap_cjk`` between CJK pieces): narrowest / widest space
    between two pieces (the detector bridges ordinary letter and word spaces itself, so a
    narrower gap is a narrow gutter; a 4-character CJK line spread over a 12-character column
    leaves gaps of about 2.7 em, a 3-character one ("们　　不　　会") 4.5 em, two characters
    10 em: the bridging line, which runs the length of both pieces, keeps the join inside one
    column — past ``max_gap`` it may be at most ``column_tol`` × the page's usual line width,
    for a line read across two columns and left uncut bridges anything; a Latin line has more
    words to fill its column, and a wider gap in it is more often a word the detector missed).
    Pieces may overlap a little (a quote mark's box reaching into the word before it).
    ``row_tol``: largest offset of the vertical centres. ``size_tol``: largest relative height
    difference between the pieces (``size_tol_latin`` for Latin pieces, which are also of one
    size when their type heights by the letters' ink, :func:`_ink_type_height`, are within
    ``size_tol_ink``); ``bridge_size_tol`` between them and the bridging line,
    whose quote marks may stand taller. ``reach``: how far above and below the pieces the image
    must show ink across the gap (the bridging line may be up to 1.5 × as far, centre to
    centre); ``reach_latin``: as far for Latin pieces that a column's line (no wider than
    ``column_tol`` × the usual line) bridges, where the ink is not found within ``reach`` — a
    justified column's river of word spaces runs clear through a line or two above and
    below, a gutter through every line. ``quote_gap``, ``quote_tall``: headline pieces cut at a quote mark (see
    :func:`_quote_pairs`; their boxes may overlap by up to ``quote_overlap``·h; CJK ones
    up to ``lost_quote_gap``·h apart between ” and “, or with a quote mark's ink in the gap
    that neither piece read, ``quote_width``·h wide in the top ``quote_high`` of the row, or
    with overlapping boxes at any junction where no paper ``head_space``·h wide parts them;
    up to ``lost_pair_gap``·h apart where one piece's quote meets a mark nobody read, “ after
    ”, ” before “: the two marks' blank half-cells and the lost one's strokes), up to
    ``lost_pair_far``·h where the piece with the lost mark closes (opens) a quote unmatched
    ("企一策”": a thin glyph may be lost beside the mark; the mark then has ``pair_blank`` ×
    the type's ink height of paper on its read partner's side); pieces up to ``lost_pair_gap``·h
    apart with a read quote at the junction whose glyphs stand no more than ``quote_paper``
    (”|“: ``pair_paper``) × the type's ink height apart (the detector's padding of the boxes
    varies scan by scan, the mark's blank half-cells with the type);
    ``label_gap``: a byline's label and its names (:func:`_label_pairs`).
    ``gutter_max``: gaps narrower than this are put to the splitter's test too
    (:func:`_splitter_cuts`); across a wider one its clear band may be found among the letter
    spaces of the one line above, and no gutter is that wide.
    ``parted_blank``, ``parted_rule``: a pair's bridge parted from its row by a run of
    blank rows this many h tall, or — one wider than a column (over ``column_tol`` × the usual
    line) — by a row inked over this share of the pieces' span (a rule), bridges nothing
    (:func:`_parted`).
    ``cross_reach``, ``cross_margin``, ``cross_min_gap``: CJK pieces ``cross_min_gap``–``min_gap``·h
    apart (a letter space the splitter cut at) are one line when a line of their size within
    ``cross_reach``·h above or below runs the length of both and ``cross_margin``·h past the
    junction, and none there ends or starts at it (:func:`_crossed_pairs`).
    ``no_column``, ``no_column_pitch``, ``no_column_tol``: CJK pieces whose narrow side (under
    ``no_column``·h) would be a column too narrow for text, on two neighbouring rows with the
    same outer edges (:func:`_no_column_pairs`).
    ``margin_word``, ``margin_tol``: Latin pieces bridged by a column's line whose edge on one
    side is within ``margin_tol``·h of the pieces' outer edge there, the piece on that side no
    wider than ``margin_word``·h by its letters, are one line whatever the ink in their gap
    shows: a gutter there would leave a column one short word wide, and a justified column's
    short words at its margin line their word spaces up into a river.
    """

    min_gap: float = 0.5
    max_gap: float = 3.5
    max_gap_cjk: float = 10.0
    max_gap_latin: float = 10.0
    min_gap_latin: float = 0.0
    column_tol: float = 1.25
    row_tol: float = 0.3
    size_tol: float = 0.25
    size_tol_latin: float = 0.3
    size_tol_ink: float = 0.2
    overlap_latin: float = 1.0
    bridge_size_tol: float = 0.35
    reach: float = 1.8
    reach_latin: float = 3.0
    quote_gap: float = 0.35
    quote_tall: float = 1.8
    quote_overlap: float = 0.75
    lost_quote_gap: float = 0.8
    lost_pair_gap: float = 1.5
    lost_pair_far: float = 2.2
    quote_paper: float = 0.75
    pair_paper: float = 1.25
    pair_blank: float = 0.5
    quote_high: float = 0.4
    quote_width: float = 0.1
    head_space: float = 0.2
    label_gap: float = 1.0
    gutter_max: float = 2.0
    cross_reach: float = 2.6
    cross_min_gap: float = 0.1
    cross_margin: float = 0.5
    no_column: float = 3.0
    no_column_pitch: float = 1.8
    no_column_tol: float = 0.25
    parted_blank: float = 0.5
    parted_rule: float = 0.6
    margin_word: float = 3.0
    margin_tol: float = 0.5


def join_row_pieces(lines: list[OcrLine] | tuple[OcrLine, ...], image: np.ndarray, *,
                    config: MergeConfig | None = None, ink: np.ndarray | None = None) -> list[OcrLine]:
    """Merge left-to-right runs of same-row pieces whose gaps the neighbouring lines bridge.

    Repeated until nothing changes (at most a few rounds): a neighbour that was itself in
    pieces only bridges once it is whole. Order of the result: each merged line takes the
    place of its leftmost piece; other lines keep their order. ``ink``: the image's
    :func:`~broadsheet.ocr.split.ink_mask`, when the caller has it already.
    """
    cfg = config or MergeConfig()
    if ink is None:
        ink = ink_mask(image)
    lines = list(lines)
    if len(lines) >= 3:
        med = float(np.median([ln.bbox[3] - ln.bbox[1] for ln in lines]))
        lines = _absorb_stray_quotes(lines, cfg.quote_tall * med, cjk_only=True)
    for _ in range(4):
        n = len(lines)
        lines = _join_round(lines, ink, cfg)
        if len(lines) == n:
            break
    return lines


def _join_round(lines: list[OcrLine], ink: np.ndarray, cfg: MergeConfig) -> list[OcrLine]:
    n = len(lines)
    if n < 3:
        return lines
    b = np.array([ln.bbox for ln in lines], dtype=np.float64)
    h = b[:, 3] - b[:, 1]
    yc = (b[:, 1] + b[:, 3]) / 2
    hm = np.maximum(h[:, None], h[None, :])
    gap = b[None, :, 0] - b[:, None, 2]                    # [i, j]: j to the right of i
    cjk = np.array([has_cjk(ln.text) for ln in lines])
    # Latin pieces (no CJK, some letters): a justified line's word spaces
    latin1 = ~cjk & np.array([bool(_LETTER.search(ln.text)) for ln in lines])
    latin = latin1[:, None] & latin1[None, :]
    # a Latin word's box is as tall as its letters reach: "aus" (x-height only) 35 px beside
    # "Romanshorn" 47 px on one row of body type
    size_tol = np.where(latin, cfg.size_tol_latin, cfg.size_tol)
    same_size = np.abs(h[:, None] - h[None, :]) <= size_tol * hm
    level = np.abs(yc[:, None] - yc[None, :]) <= cfg.row_tol * hm
    max_gap = np.where(cjk[:, None] & cjk[None, :], cfg.max_gap_cjk,
                       np.where(latin, cfg.max_gap_latin, cfg.max_gap))
    # the detector may pad a word's box with the paper between the rows ("geprüft:" boxed
    # 62 px in a 44 px row of body type): Latin pieces whose boxes differ are still of one
    # size when their letters' ink says they are one type
    odd = latin & level & ~same_size & (gap < max_gap * hm)
    if odd.any():
        t = np.full(n, np.nan)
        for k in np.nonzero(odd.any(axis=0) | odd.any(axis=1))[0].tolist():
            t[k] = _ink_type_height(lines[k], ink)
        same_size |= odd & (np.abs(t[:, None] - t[None, :]) <= cfg.size_tol_ink * np.fmax(t[:, None], t[None, :]))
    row = same_size & level
    cand = row & (gap < max_gap * hm) & (b[None, :, 2] > b[:, None, 2])
    nearest = _nearest_right(cand, gap)
    # one column's line: no wider than the page's usual line (a line read across two columns
    # and left uncut bridges anything)
    w = b[:, 2] - b[:, 0]
    usual = float(np.median(w[np.abs(h - np.median(h)) <= cfg.size_tol * np.median(h)]))
    column_line = w <= cfg.column_tol * usual
    marks: dict[tuple[int, int], OcrLine] = {}
    quoted = (_quote_pairs(lines, nearest, gap, h, hm, cfg, ink, b, cjk, marks) | _label_pairs(lines, nearest, gap, hm, cfg)
              | _crossed_pairs(lines, nearest, gap, h, hm, b, yc, cjk, column_line, cfg)
              | _no_column_pairs(nearest, gap, h, hm, b, yc, cjk, cfg))
    min_gap = np.where(latin, cfg.min_gap_latin, cfg.min_gap)
    # Latin boxes may overlap by a height: the outline runs a word's box on over a wide word
    # space ("beherrsche," | "habe heute beste", 23 px at 46 px); the paper between their
    # glyphs is found below (:func:`_paper_between`)
    overlap = np.where(latin, cfg.overlap_latin, 0.5)
    cand &= (gap >= min_gap * hm) | ((gap < 0) & (-gap < overlap * hm))
    # each piece's nearest right neighbour on its row
    right = _nearest_right(cand, gap)
    i_idx = np.nonzero(right >= 0)[0]
    j_idx = right[i_idx]
    # a bridge: a line just above or below (not on the pieces' row) that runs the length of
    # both pieces — a line of the same column. Across a gutter no single line does.
    hp = np.maximum(h[i_idx], h[j_idx])[:, None]
    dy = np.abs(yc[None, :] - yc[i_idx, None])             # [pair, line]
    near = (dy > 0.6 * hp) & (dy < 1.5 * cfg.reach * hp)
    # Latin pieces are measured by their letters: the outline pads a short word's box into
    # the gutter ("das" boxed from 34 px left of its first letter, over the last letters of
    # the column before)
    outer = np.stack([b[i_idx, 0], b[j_idx, 2]], axis=1)
    for p in np.nonzero(latin[i_idx, j_idx])[0].tolist():
        outer[p] = _letters_extent(lines[i_idx[p]])[0], _letters_extent(lines[j_idx[p]])[1]
    spans = (b[None, :, 0] <= outer[:, 0][:, None] + 0.5 * hp) & (b[None, :, 2] >= outer[:, 1][:, None] - 0.5 * hp)
    # of text size: a headline running over two columns bridges nothing
    like = np.abs(h[None, :] - hp) <= cfg.bridge_size_tol * np.maximum(h[None, :], hp)
    # past the usual gap (CJK only) the bridge must be one column's line
    wide_gap = gap[i_idx, j_idx] >= cfg.max_gap * np.maximum(h[i_idx], h[j_idx])
    narrow = column_line[None, :]
    latin_pair = ~(cjk[i_idx] | cjk[j_idx])[:, None]
    bridges = near & spans & like
    # Latin pieces at a column's foot or a paragraph's end: the rows next to them are a short
    # last line, an indented first line or pieces themselves ("Überschüssiger Strom" /
    # "fliesst ins" | "Netz der" / "Gemeinde." | "Im Winter,"), so one column's line further
    # up or down, up to ``reach_latin``, bridges them — with no paper or rule between
    far = (latin_pair & narrow & spans & like & ~near & (dy > 0.6 * hp)
           & (dy < 1.5 * cfg.reach_latin * hp))
    for p, k in zip(*np.nonzero(far)):
        far[p, k] = not _parted(ink, b[i_idx[p]], b[j_idx[p]], b[k], hp[p, 0], cfg)
    bridges |= far
    # A bridge wider than a column beyond blank paper or a rule is another block's line (a
    # caption over the columns, the next story's headline under a rule), no witness of this
    # row's gutter — for CJK pieces too ("图为…生产线。" over a paragraph's first line | the
    # next column's short last line "显著。"); a column's line across a rule (a story's tail
    # strip under its column) still is. A short line beyond blank paper is no column's line
    # either where the row on the pieces' other side faces itself across their gap: a byline
    # centred over a story's two columns lies across their gutter ("Von Martina Eugster" over
    # "Noch nie haben so viele" | "liothek prüft deshalb Zeit-", with "…Saal" | "fenster…"
    # under them); a subhead's or a paragraph's line beyond paper still bridges
    for p, k in zip(*np.nonzero(bridges & ~narrow)):
        bridges[p, k] = not _parted(ink, b[i_idx[p]], b[j_idx[p]], b[k], hp[p, 0], cfg)
    for p, k in zip(*np.nonzero(bridges & latin_pair & narrow)):
        i, j = i_idx[p], j_idx[p]
        bridges[p, k] = not (_faces_across(b, yc, i, j, k, hp[p, 0])
                             and _parted(ink, b[i], b[j], b[k], hp[p, 0], cfg, rule=False))
    bridged = (bridges & (narrow | ~wide_gap[:, None])).any(axis=1)
    # Latin pieces bridged by one column's line: a river of word spaces may run clear through
    # the line or two above and below, so their ink is looked for further up and down
    river_ok = latin[i_idx, j_idx] & (bridges & narrow).any(axis=1)
    # ... or by another row cut the same way: a short column piece set justified has no whole
    # line to bridge it when every row is cut at its own wide word space
    inner = np.array([[_letters_extent(lines[i])[1], _letters_extent(lines[j])[0]]
                      for i, j in zip(i_idx.tolist(), j_idx.tolist())]).reshape(-1, 2)
    one_column = outer[:, 1] - outer[:, 0] <= cfg.column_tol * usual
    staggered = _staggered_rows(yc, h, i_idx, j_idx, outer, inner, latin[i_idx, j_idx] & one_column, cfg)
    bridged |= staggered
    river_ok |= staggered
    # a short word at a justified column's margin, cut off by a river of word spaces: the line
    # bridging it is a column's line whose edge on the word's side is the word's own edge, so a
    # gutter there would leave a column a word wide (de-28000843's scan: "an, in denen
    # Neuzuzüger" | "das" over "…lernen. Die" | "…jeweils am", a frame break above)
    hp1 = hp[:, 0]
    col_bridge = bridges & narrow
    at_right = col_bridge & (np.abs(b[None, :, 2] - outer[:, 1][:, None]) <= cfg.margin_tol * hp)
    at_left = col_bridge & (np.abs(b[None, :, 0] - outer[:, 0][:, None]) <= cfg.margin_tol * hp)
    margin = latin[i_idx, j_idx] & one_column & (
        ((outer[:, 1] - inner[:, 1] <= cfg.margin_word * hp1) & at_right.any(axis=1))
        | ((inner[:, 0] - outer[:, 0] <= cfg.margin_word * hp1) & at_left.any(axis=1)))
    i_idx, j_idx, river_ok, margin = i_idx[bridged], j_idx[bridged], river_ok[bridged], margin[bridged]
    # Latin pieces whose boxes touch or overlap: the paper between their own glyphs is the gap
    # (a box the detector ran on into a gutter reaches past the next column's first letters)
    gb = [_paper_between(ink, b[i], b[j], max(h[i], h[j])) if latin[i, j] else (b[i], b[j])
          for i, j in zip(i_idx.tolist(), j_idx.tolist())]
    inked = np.array([bool(m) or _inked_through(ink, a, c, max(h[i], h[j]), cfg)
                      or (bool(r) and _inked_through(ink, a, c, max(h[i], h[j]), cfg,
                                                     reach=cfg.reach_latin, widen=True))
                      for (a, c), i, j, r, m in zip(gb, i_idx.tolist(), j_idx.tolist(), river_ok.tolist(),
                                                    margin.tolist())],
                     dtype=bool).reshape(-1)
    i_idx, j_idx = i_idx[inked], j_idx[inked]
    # the splitter's own test has the last word: its one-side window sees a gutter that a
    # headline crossing just below hides from the joiner's view over both sides
    kept = np.array([gap[i, j] >= cfg.gutter_max * hm[i, j] or not _splitter_cuts(lines[i], lines[j], ink, b)
                     for i, j in zip(i_idx.tolist(), j_idx.tolist())], dtype=bool)
    i_idx, j_idx = i_idx[kept], j_idx[kept]
    qi, qj = np.nonzero(quoted)
    pairs = sorted(set(zip(i_idx.tolist(), j_idx.tolist())) | set(zip(qi.tolist(), qj.tolist())))
    if not pairs:
        return lines
    i_idx, j_idx = np.array([p[0] for p in pairs]), np.array([p[1] for p in pairs])
    # a piece keeps only its nearest left partner, so runs are simple chains
    nxt = np.full(n, -1)
    prev = np.full(n, -1)
    order = np.argsort(gap[i_idx, j_idx], kind="stable")
    for i, j in zip(i_idx[order].tolist(), j_idx[order].tolist()):
        if prev[j] < 0 and nxt[i] < 0:
            nxt[i], prev[j] = j, i
    merged: dict[int, OcrLine] = {}
    drop: set[int] = set()
    for s in np.nonzero((prev < 0) & (nxt >= 0))[0].tolist():
        chain = [s]
        while nxt[chain[-1]] >= 0:
            chain.append(int(nxt[chain[-1]]))
        pieces = [lines[chain[0]]]
        for a, c in zip(chain, chain[1:]):
            if (a, c) in marks:
                pieces.append(marks[a, c])
            pieces.append(lines[c])
        merged[s] = merge_pieces(pieces)
        drop.update(chain[1:])
    return [merged.get(k, ln) for k, ln in enumerate(lines) if k not in drop]


_LETTER = re.compile(r"[A-Za-z\u00c0-\u024f]")
_OPENING = "“‘「『《（(\""
_CLOSING = "”’」』》）)\""


def _staggered_rows(yc: np.ndarray, h: np.ndarray, i_idx: np.ndarray, j_idx: np.ndarray, outer: np.ndarray,
                    inner: np.ndarray, ok: np.ndarray, cfg: MergeConfig) -> np.ndarray:
    """(P,) bool: the pair of pieces i_idx[p] | j_idx[p] (``ok``: Latin, no wider together than
    one column's line) has, on another such row up to ``reach_latin`` away, a pair of the same
    outer edges (``outer``, (P, 2), by their letters) and type whose gap (``inner``, (P, 2): the
    left piece's last letter, the right one's first) lies wholly apart from its own, by more
    than a gutter's white (`split.clear_need`). A gutter runs straight down: every row across
    two columns is cut at it, and the cuts share its white. Rows of one measure cut at gaps
    apart are one column's justified lines, each cut at its own wide word space, with no
    whole line to bridge them (de-26000784's scan: a four-row column piece, "sicherer
    machen." | "Beim" over "werden" | "zusätzliche")."""
    P = len(i_idx)
    if P < 2 or ok.sum() < 2:
        return np.zeros(P, bool)
    hp = np.maximum(h[i_idx], h[j_idx])
    hq = np.maximum(hp[:, None], hp[None, :])
    dy = np.abs(yc[i_idx][:, None] - yc[i_idx][None, :])
    rows = (dy > 0.6 * hq) & (dy < 1.5 * cfg.reach_latin * hq)
    like = np.abs(hp[:, None] - hp[None, :]) <= cfg.bridge_size_tol * hq
    measure = ((np.abs(outer[:, None, 0] - outer[None, :, 0]) <= 0.5 * hq)
               & (np.abs(outer[:, None, 1] - outer[None, :, 1]) <= 0.5 * hq))
    g0, g1 = inner[:, 0], inner[:, 1]
    apart = np.maximum(g0[:, None], g0[None, :]) - np.minimum(g1[:, None], g1[None, :])
    need = np.maximum(2, np.ceil(SplitConfig().min_clear_rel * hq - 1e-9))  # `clear_need`, per pair
    return (ok[:, None] & ok[None, :] & rows & like & measure & (apart > need)).any(axis=1)


def _nearest_right(cand: np.ndarray, gap: np.ndarray) -> np.ndarray:
    """(N,) each piece's nearest right neighbour among its candidates ``cand`` (-1: none)."""
    dist = np.where(cand, np.abs(gap), np.inf)
    right = np.argmin(dist, axis=1)
    return np.where(np.isfinite(dist[np.arange(len(right)), right]), right, -1)


def _quote_pairs(lines: list[OcrLine], right: np.ndarray, gap: np.ndarray, h: np.ndarray,
                 hm: np.ndarray, cfg: MergeConfig, ink: np.ndarray, b: np.ndarray,
                 cjk: np.ndarray, marks: dict[tuple[int, int], OcrLine]) -> np.ndarray:
    """(N, N) bool: headline pieces the detector cut at a quote mark ("招大引强交出" |
    "“硬核”答卷"). A quote holds little ink, so in big type the detector often ends a line
    before it; the gap is a letter space (under ``quote_gap``·h), far narrower than a
    gutter between two headlines, and the pieces are headline type (``quote_tall`` × the
    page's median line height), where no bridging line of text size exists."""
    n = len(lines)
    out = np.zeros((n, n), bool)
    tall = h >= cfg.quote_tall * float(np.median(h))
    if tall.sum() < 2:
        return out
    opens = np.array([ln.text[:1] in _OPENING for ln in lines])
    closes = np.array([ln.text[-1:] in _CLOSING for ln in lines])
    # the outline grows a headline's box by about a quarter of its height on each side, so the
    # boxes of two touching pieces overlap by half a height, and more where the left one's box
    # runs on over the quote's little ink ("招大引强交出" reaching 61 px into "“硬核”答卷" at 108 px)
    heads = tall[:, None] & tall[None, :]
    near = (gap < cfg.quote_gap * hm) & (gap > -cfg.quote_overlap * hm) & heads
    # CJK headline pieces whose boxes overlap may be one line at any junction ("“一产" |
    # "一链”"), when the ink shows it (:func:`_set_close`)
    both_cjk = cjk[:, None] & cjk[None, :]
    overlap = near & (gap < 0) & both_cjk & ~(closes[:, None] | opens[None, :])
    near &= closes[:, None] | opens[None, :]
    # between a closing and an opening quote the white of two half-empty cells ("一链”" |
    # "“一企一策”", 0.6 h); and a quote mark neither piece read leaves its ink, high in the
    # row, in a gap where two headlines would leave white ("引资" | "一产一链”")
    wide = heads & both_cjk & (gap > -cfg.quote_overlap * hm) & (gap < cfg.lost_quote_gap * hm)
    # ... and where one piece's quote meets the other's lost mark ("引资“一产一链”" | "一企一策”"),
    # a whole cell and more: the found mark must be the one that pairs with it
    # (up to ``lost_pair_far``·h where the piece with the lost mark shows it — a quote it
    # closes or opens unmatched, "企一策”" — for a thin glyph beside the mark may be lost with
    # it: "“一" of "“一企一策”", 2.1 cells)
    unmatched = np.array([_unmatched_quote(ln.text) for ln in lines])
    far = (closes[:, None] & (unmatched[None, :] == 1)) | (opens[None, :] & (unmatched[:, None] == -1))
    pair = (heads & both_cjk & (gap >= cfg.lost_quote_gap * hm)
            & (gap < np.where(far, cfg.lost_pair_far, cfg.lost_pair_gap) * hm)
            & (closes[:, None] != opens[None, :]))
    rows = np.nonzero(right >= 0)[0]
    # a read quote beside its neighbour's glyph leaves the mark's blank half-cell and a letter
    # space, ”|“ two half-cells: measured by the paper between the glyphs against the type's
    # own height, as the detector pads a headline's box by 0.3–0.6 of it, scan by scan
    # ("引资" | "“一产一链”": 44 px of paper at 65 px type, 33 px of box gap at 92 px boxes)
    typed = heads & both_cjk & (gap >= cfg.quote_gap * hm) & (gap < cfg.lost_pair_gap * hm)
    for i in rows[typed[rows, right[rows]]].tolist():
        j = int(right[i])
        limit = (cfg.pair_paper if closes[i] and opens[j]
                 else cfg.quote_paper if closes[i] or opens[j] else 0.0)
        if limit > 0 and not near[i, j]:
            paper, t = _head_paper(ink, b[i], b[j])
            near[i, j] = 0 < t and paper <= limit * t
    for i in rows[pair[rows, right[rows]] & ~near[rows, right[rows]]].tolist():
        j = int(right[i])
        side = "right" if closes[i] else "left"
        mark = _quote_ink(ink, b[i], b[j], lines[i], lines[j], cfg, side=side)
        if mark is not None and (mark.text == "“") != bool(closes[i]):
            mark = None
        if mark is None and far[i, j]:
            # a glyph lost beside the mark ("“一" of "“一企一策”") leaves its ink in the gap
            # too, so where the mark sits in the gap says little of which mark it is: a “
            # after a ” has the two marks' blank half-cells of paper before it, a ” right
            # after its glyph a letter space (and the other way round). The gap is taken
            # between the boxes, as a character box may start inside the next glyph (企 of
            # "企一策”" 7 px before its box), whose top strokes then stand for the mark
            mark = _quote_ink(ink, b[i], b[j], lines[i], lines[j], cfg, side=side, bounds=(b[i, 2], b[j, 0]))
            if mark is not None and _paper_beside(ink, b[i], b[j], mark.bbox, side) >= cfg.pair_blank:
                mark = OcrLine(mark.polygon, "“" if closes[i] else "”", mark.confidence, mark.chars)
            else:
                mark = None
        if mark is None:
            continue
        near[i, j] = True
        marks[i, j] = mark
    for i in rows[overlap[rows, right[rows]]].tolist():
        near[i, right[i]] = _set_close(ink, b[i], b[int(right[i])], cfg)
    for i in rows[wide[rows, right[rows]] & ~near[rows, right[rows]]].tolist():
        j = int(right[i])
        if closes[i] and opens[j]:
            near[i, j] = True
            continue
        mark = _quote_ink(ink, b[i], b[j], lines[i], lines[j], cfg)
        if mark is not None:
            near[i, j] = True
            marks[i, j] = mark
    # only each piece's nearest right neighbour
    rows = rows[near[rows, right[rows]]]
    out[rows, right[rows]] = True
    return out


def _unmatched_quote(text: str) -> int:
    """1 when ``text`` closes a quote it never opened ("企一策”"), -1 when it opens one it never
    closes ("“一企一"), else 0 (first such mark wins)."""
    depth = 0
    for ch in text:
        if ch in "“‘":
            depth += 1
        elif ch in "”’":
            if depth == 0:
                return 1
            depth -= 1
    return -1 if depth > 0 else 0


def _glyph_rows(ink: np.ndarray, a: np.ndarray, c: np.ndarray) -> tuple[int, int] | None:
    """First and last row of the glyphs of pieces ``a`` and ``c`` (boxes, a on the left): the
    longest run of rows inked over 1 % of their width. The outline takes in the foot of the
    line above, which lies apart across paper, and the edges of the next column's lines, a
    few columns; None when no two rows are inked."""
    ry0, ry1 = int(max(0, min(a[1], c[1]))), int(np.ceil(max(a[3], c[3])))
    x0, x1 = int(max(0, min(a[0], c[0]))), int(np.ceil(max(a[2], c[2])))
    inked = ink[ry0:ry1, x0:x1].sum(axis=1) >= max(2.0, 0.01 * (x1 - x0))
    if inked.sum() < 2:
        return None
    starts, ends = _runs(inked)
    k = int(np.argmax(ends - starts))
    return ry0 + int(starts[k]), ry0 + int(ends[k]) - 1


def _head_paper(ink: np.ndarray, a: np.ndarray, c: np.ndarray) -> tuple[float, float]:
    """(widest run of paper columns in the glyphs' rows within half a box height of the
    junction of headline pieces ``a`` and ``c``, the type's height by those rows); (inf, 0)
    when the glyphs' rows are not found."""
    rows = _glyph_rows(ink, a, c)
    if rows is None:
        return float("inf"), 0.0
    h = max(a[3] - a[1], c[3] - c[1])
    x0 = int(max(0, np.floor(min(a[2], c[0]) - 0.5 * h)))
    x1 = int(np.ceil(max(a[2], c[0]) + 0.5 * h))
    paper = ~ink[rows[0]:rows[1] + 1, x0:x1].any(axis=0)
    return float(_longest_run(paper)), float(rows[1] - rows[0] + 1)


def _paper_beside(ink: np.ndarray, a: np.ndarray, c: np.ndarray, q: tuple[float, ...], side: str) -> float:
    """Paper columns in the glyphs' rows of pieces ``a``, ``c`` between the mark with box ``q``
    and the nearest ink on its left (``side`` "right": a “ found) or its right ("left": a
    ”), over the type's ink height (0 when the rows are not found)."""
    rows = _glyph_rows(ink, a, c)
    if rows is None:
        return 0.0
    x0, x1 = int(max(0, min(a[0], c[0]))), int(np.ceil(max(a[2], c[2])))
    cols = np.flatnonzero(ink[rows[0]:rows[1] + 1, x0:x1].any(axis=0)) + x0
    t = float(rows[1] - rows[0] + 1)
    if side == "right":
        before = cols[cols < int(q[0])]
        return (q[0] - (before[-1] + 1)) / t if len(before) else 0.0
    after = cols[cols >= int(np.ceil(q[2]))]
    return (after[0] - q[2]) / t if len(after) else 0.0


def _set_close(ink: np.ndarray, a: np.ndarray, c: np.ndarray, cfg: MergeConfig) -> bool:
    """Do the glyphs of headline pieces with boxes ``a`` and ``c`` (overlapping boxes, a on the
    left) stand a letter space apart where they meet — no run of paper down their row, within
    half a height of the junction, as wide as ``head_space``·h? The outline grows a headline's
    box past its ink, so the boxes of two headlines side by side overlap across a gutter too
    ("…答卷" | "定制服务…", 40 px of paper at 112 px type)."""
    h = max(a[3] - a[1], c[3] - c[1])
    x0 = int(max(0, np.floor(min(a[2], c[0]) - 0.5 * h)))
    x1 = int(np.ceil(max(a[2], c[0]) + 0.5 * h))
    y0, y1 = int(np.ceil(max(a[1], c[1]))), int(np.floor(min(a[3], c[3])))
    if y1 - y0 < 4:
        return False
    paper = ~ink[y0:y1, x0:x1].any(axis=0)
    return _longest_run(paper) < cfg.head_space * h


def _quote_ink(ink: np.ndarray, a: np.ndarray, c: np.ndarray, left: OcrLine, right: OcrLine,
               cfg: MergeConfig, side: str | None = None,
               bounds: tuple[float, float] | None = None) -> OcrLine | None:
    """Does the gap between headline pieces ``left`` and ``right`` (boxes ``a``, ``c``) hold a
    quote mark's strokes: at least ``quote_width``·h of columns, within 0.6 h and no low ink
    between them, whose ink all lies in the top ``quote_high`` of the pieces' ink — which no
    glyph ("一" sits at half height), rule or gutter leaves? The character boxes only bound
    the gap roughly: the ink of the glyphs beside it may reach in, and reaches low. Returns
    the mark as a piece of its own (“ when its ink sits in the right half of the gap, else
    ”), or None. ``side`` ("left" / "right"): the mark is looked for within 0.6 h of that end
    of the gap's high ink only — at the other end the ink of a quote one piece read may spill
    past its character box ("一链”" | "一企一策”": the ”'s strokes 8 px past its box).
    ``bounds``: the gap's ends, instead of the character boxes' (or the boxes') edges."""
    if bounds is not None:
        x0, x1 = float(bounds[0]), float(bounds[1])
    else:
        x0 = float(left.chars[-1][2]) if left.chars else float(a[2])
        x1 = float(right.chars[0][0]) if right.chars else float(c[0])
    h = max(a[3] - a[1], c[3] - c[1])
    gx0, gx1 = int(np.floor(min(x0, a[2]))), int(np.ceil(max(x1, c[0])))
    ry0, ry1 = int(max(0, min(a[1], c[1]))), int(np.ceil(max(a[3], c[3])))
    if gx1 - gx0 < cfg.quote_width * h:
        return None
    # the pieces' own glyphs: the longest run of rows inked over 1 % of their width (the foot
    # of a line above that the outline took in lies apart, across paper; the edge of the next
    # column's lines, inside the box's margin, is a few columns)
    inked = ink[ry0:ry1, int(a[0]):int(np.ceil(c[2]))].sum(axis=1) >= max(2.0, 0.01 * (c[2] - a[0]))
    if inked.sum() < 2:
        return None
    starts, ends = _runs(inked)
    k = int(np.argmax(ends - starts))
    top, bottom = int(starts[k]), int(ends[k]) - 1
    cut = ry0 + top + int(np.ceil(cfg.quote_high * (bottom - top)))
    band = ink[ry0 + top:ry0 + bottom + 1, gx0:gx1]
    low = ink[cut:ry0 + bottom + 1, gx0:gx1].any(axis=0)
    cols = np.flatnonzero(band.any(axis=0) & ~low)
    if side is not None and len(cols):
        cols = cols[cols >= cols[-1] - 0.6 * h] if side == "right" else cols[cols <= cols[0] + 0.6 * h]
    # the mark's two strokes, with paper between them but no low ink, at most half a cell wide
    if (len(cols) < cfg.quote_width * h or cols[-1] - cols[0] > 0.6 * h
            or low[cols[0]:cols[-1]].any()):
        return None
    # an opening quote sits at the right of its cell, by the glyph it opens; a closing one left
    cols = cols + gx0
    qx0, qx1 = float(cols[0]), float(cols[-1] + 1)
    text = "“" if qx0 + qx1 > x0 + x1 else "”"
    qy1 = float(cut)
    box = (qx0, float(ry0 + top), qx1, qy1)
    return OcrLine(((qx0, box[1]), (qx1, box[1]), (qx1, qy1), (qx0, qy1)), text, min(left.confidence, right.confidence), (box,))


# a byline's label, which the names always follow on its line ("本报记者" | "张建军 通讯员 方斌")
_LABEL = r"(本报|新华社|本报特约|特约|见习)?(记者|通讯员|实习生)"
_ENDS_WITH_LABEL = re.compile(rf"{_LABEL}$")
_OPENS_WITH_LABEL = re.compile(rf"^{_LABEL}")
_NAME = re.compile(r"[\u3400-\u9fff]{2,4}")  # a Chinese name: two to four ideographs


def _label_pairs(lines: list[OcrLine], right: np.ndarray, gap: np.ndarray, hm: np.ndarray,
                 cfg: MergeConfig) -> np.ndarray:
    """(N, N) bool: a byline's label and the names the detector (or a gutter the byline's word
    space lines up with) cut off after it, under ``label_gap``·h apart: "本报记者" | "张建军",
    "本报记者王金虎通讯员" | "绪言", and a byline's next label with its names, "本报记者张建军" |
    "通讯员方斌吴君". A byline stands alone between its headline and its story, so no line of
    its column bridges the gap."""
    n = len(lines)
    out = np.zeros((n, n), bool)
    texts = [ln.text.strip() for ln in lines]
    ends = np.array([bool(_ENDS_WITH_LABEL.search(t)) for t in texts])
    opens = np.array([bool(_OPENS_WITH_LABEL.match(t)) for t in texts])
    if not (ends | opens).any():
        return out
    # ... and a byline's last name, cut off at the word space before it ("本报记者 张建军
    # 通讯员 方斌" | "吴君"): a short run of ideographs alone, no line of a column
    names = np.array([bool(_NAME.fullmatch(t)) for t in texts])
    nxt = np.where(right >= 0, right, 0)
    label = ends | (opens & (opens[nxt] | names[nxt]))
    rows = np.nonzero(label & (right >= 0))[0]
    g = gap[rows, right[rows]]
    rows = rows[(g > -0.5 * hm[rows, right[rows]]) & (g < cfg.label_gap * hm[rows, right[rows]])]
    out[rows, right[rows]] = True
    return out


def _crossed_pairs(lines: list[OcrLine], right: np.ndarray, gap: np.ndarray, h: np.ndarray, hm: np.ndarray, b: np.ndarray,
                   yc: np.ndarray, cjk: np.ndarray, column_line: np.ndarray, cfg: MergeConfig) -> np.ndarray:
    """(N, N) bool: CJK pieces of one row ``cross_min_gap``–``min_gap``·h apart that the lines
    of their column run across. A justified line spreads its letter spaces unevenly (a digit
    or a "·" is narrower than a cell), and where a space of 0.2–0.35·h lies over the blank
    half-cell of a comma and a short last line's paper, the splitter sees a gutter ("的投资" |
    "直到2025年都会持续增", "运营总监马克" | "·罗林森"). A gutter's neighbours stop at it, all
    of them: the lines beside it on other rows are cut there too. So the pieces join when a
    line of their size (within ``bridge_size_tol``, no wider than ``column_tol`` × the page's
    usual line) within ``cross_reach``·h above or below runs the length of both and
    ``cross_margin``·h past the junction on both sides, with a glyph (or a gap narrower than
    the pieces') over it, and no line of their size there ends or starts at the junction.
    Measured on 16 generated seed-plain pages (final boxes): of 2 627 pairs of CJK lines side
    by side on a row under a line height apart, no pair across a gutter had a line crossing
    its junction that way without one ending there; 10 of the 19 pairs that were pieces of
    one line had."""
    n = len(right)
    out = np.zeros((n, n), bool)
    rows = np.nonzero((right >= 0) & cjk)[0]
    if not len(rows):
        return out
    cols = right[rows]
    # boxes that touch or overlap tell nothing of where the pieces meet (a box run on into the
    # gutter past the column's edge); a letter space the splitter cut at shows in the boxes
    g = gap[rows, cols] / hm[rows, cols]
    keep = cjk[cols] & (g > cfg.cross_min_gap) & (g < cfg.min_gap)
    rows, cols = rows[keep], cols[keep]
    if not len(rows):
        return out
    hp = hm[rows, cols][:, None]
    jx0, jx1 = b[rows, 2][:, None], b[cols, 0][:, None]          # the junction
    lo, hi = np.minimum(jx0, jx1), np.maximum(jx0, jx1)
    dy = np.abs(yc[None, :] - yc[rows, None])
    near = ((dy > 0.5 * hp) & (dy <= cfg.cross_reach * hp)
            & (np.abs(h[None, :] - hp) <= cfg.bridge_size_tol * np.maximum(h[None, :], hp))
            & (b[None, :, 2] >= lo - hp) & (b[None, :, 0] <= hi + hp))
    m = cfg.cross_margin * hp
    # ... and runs the length of both pieces, as the bridge above: a line of their column (a
    # box run on past the column's edge puts the junction inside the next column, whose lines
    # cross it there)
    cross = ((b[None, :, 0] <= lo - m) & (b[None, :, 2] >= hi + m) & column_line[None, :]
             & (b[None, :, 0] <= b[rows, 0][:, None] + m) & (b[None, :, 2] >= b[cols, 2][:, None] - m))
    ends = np.abs(b[None, :, 2] - (lo + hi) / 2) < (hi - lo) / 2 + m
    starts = np.abs(b[None, :, 0] - (lo + hi) / 2) < (hi - lo) / 2 + m
    edge = _gutter_edges(lines, b, yc, h, hp, ends & near, starts & near, b[rows, 0], b[cols, 2], cfg)
    # a crossing line must be set solid over the junction — a glyph's box there, not a gap as
    # wide as the pieces' own: a line the detector ran across the gutter and the splitter left
    # whole (random layouts, columns on other baselines) "crosses" every gutter it spans
    mid = ((lo + hi) / 2)[:, 0]
    for p, k in zip(*np.nonzero(near & cross)):
        cross[p, k] = _solid_at(lines[k], mid[p], 0.5 * max(hi[p, 0] - lo[p, 0], 0.0))
    ok = (near & cross).any(axis=1) & ~(near & edge & ~cross).any(axis=1)
    out[rows[ok], cols[ok]] = True
    return out


def _no_column_pairs(right: np.ndarray, gap: np.ndarray, h: np.ndarray, hm: np.ndarray, b: np.ndarray,
                     yc: np.ndarray, cjk: np.ndarray, cfg: MergeConfig) -> np.ndarray:
    """(N, N) bool: CJK pieces of one row whose narrow side leaves no room for a column. A
    block of a few rows with paper above and below has no line to bridge its gaps, and its
    rows may all break at one x: "资金178.92亿元。" | "“不", "见面招商卓有成效。" | "”赣" over
    "州经开" | "区" (the blank half-cells of "。“", "。”" and a spread last line's letter space
    line up into a white band, which the detector takes for a gutter). Across a real gutter the
    pieces on its far side are the next column's lines, justified to its full width: two rows
    in a column both under ``no_column``·h (about three cells) would make a column too narrow
    for text. So two such pairs on neighbouring rows (centres ``no_column_pitch``·h apart at
    most) with the same outer edges (within ``no_column_tol``·h) and the narrow piece on the
    same side, at its row's end, are each one line, as is such a pair beside one whole line
    with those edges."""
    n = len(right)
    out = np.zeros((n, n), bool)
    rows = np.flatnonzero(right >= 0)
    cols = right[rows]
    hp = hm[rows, cols]
    keep = (cjk[rows] & cjk[cols] & (gap[rows, cols] > -0.5 * hp) & (gap[rows, cols] < cfg.max_gap * hp))
    rows, cols, hp = rows[keep], cols[keep], hp[keep]
    if len(rows) < 2:
        return out
    # the narrow piece ends its row: one with more of the row beyond it ("制，" | "安排50名…")
    # may be the start of the next column's line, cut at its comma
    w = b[:, 2] - b[:, 0]
    has_left = np.zeros(n, bool)
    has_left[right[right >= 0]] = True
    side = (np.where((w[cols] <= cfg.no_column * hp) & (right[cols] < 0), 1, 0)
            - np.where((w[rows] <= cfg.no_column * hp) & ~has_left[rows], 1, 0))
    x0, x1, y = b[rows, 0], b[cols, 2], yc[rows]
    tol = cfg.no_column_tol * np.minimum(hp[:, None], hp[None, :])
    dy = np.abs(y[:, None] - y[None, :])
    near = (dy > 0.6 * hp[:, None]) & (dy <= cfg.no_column_pitch * hp[:, None])
    twin = ((side[:, None] == side[None, :]) & (side[:, None] != 0) & near
            & (np.abs(x0[:, None] - x0[None, :]) <= tol) & (np.abs(x1[:, None] - x1[None, :]) <= tol))
    # ... or one whole line of their size with those edges (the row beside, once joined)
    dk = np.abs(yc[None, :] - y[:, None])
    whole = ((side != 0)[:, None] & cjk[None, :]
             & (np.abs(h[None, :] - hp[:, None]) <= cfg.size_tol * np.maximum(h[None, :], hp[:, None]))
             & (dk > 0.6 * hp[:, None]) & (dk <= cfg.no_column_pitch * hp[:, None])
             & (np.abs(b[None, :, 0] - x0[:, None]) <= cfg.no_column_tol * hp[:, None])
             & (np.abs(b[None, :, 2] - x1[:, None]) <= cfg.no_column_tol * hp[:, None]))
    ok = twin.any(axis=1) | whole.any(axis=1)
    out[rows[ok], cols[ok]] = True
    return out


def _gutter_edges(lines: list[OcrLine], b: np.ndarray, yc: np.ndarray, h: np.ndarray, hp: np.ndarray,
                  ends: np.ndarray, starts: np.ndarray, x0: np.ndarray, x1: np.ndarray,
                  cfg: MergeConfig) -> np.ndarray:
    """(pairs, N) bool: of the lines ending (``ends``) or starting (``starts``) at a pair's
    junction, those that show a gutter there: a line set solid (:func:`_set_solid`) with text
    beside the junction on its own row, on the other side — a line ending at a gutter has the
    next column's line beside it, one starting there the previous column's (reaching into the
    pair's span ``x0``–``x1``). A paragraph's indented first line starts two cells in, over the
    junction after a column's two-cell "线，", with paper before it; a paragraph's short last
    line ends with paper after it; a line letter-spaced over its column ("州" | "经" | "开" |
    "区") ends and starts at every cell: none of them is a gutter's edge."""
    cand = np.flatnonzero((ends | starts).any(axis=0))
    out = np.zeros(ends.shape, bool)
    if not len(cand):
        return out
    solid = np.array([ln.chars is None or len(ln.chars) != len(ln.text) or _set_solid(ln)
                      for ln in (lines[k] for k in cand.tolist())], bool)
    cand = cand[solid]
    if not len(cand):
        return out
    # [k, l]: line l on line k's row (not k itself)
    same = (np.abs(yc[None, :] - yc[cand, None]) <= cfg.row_tol * np.maximum(h[None, :], h[cand, None]))
    same[np.arange(len(cand)), cand] = False
    tol = 0.5 * hp[:, :, None]                                            # [pair, 1, 1]
    # [pair, k, l]: l lies on the other side of k's edge, within the pair's span
    lx0, lx1 = b[None, None, :, 0], b[None, None, :, 2]
    before = same[None] & (lx1 <= b[cand, 0][None, :, None] + tol) & (lx1 > x0[:, None, None])
    after = same[None] & (lx0 >= b[cand, 2][None, :, None] - tol) & (lx0 < x1[:, None, None])
    out[:, cand] = (ends[:, cand] & after.any(axis=2)) | (starts[:, cand] & before.any(axis=2))
    return out


def _solid_at(line: OcrLine, x: float, gap: float) -> bool:
    """Does ``line`` have a glyph at ``x``, or a gap between two glyph boxes there narrower
    than ``gap`` (and a quarter of its height)? Lines without character boxes do not tell."""
    if line.chars is None or len(line.chars) != len(line.text):
        return False
    c = np.asarray([box for box, t in zip(line.chars, line.text) if not t.isspace()], float)
    if not len(c):
        return False
    if ((c[:, 0] <= x) & (c[:, 2] >= x)).any():
        return True
    left, right = c[c[:, 2] < x], c[c[:, 0] > x]
    if not len(left) or not len(right):
        return False
    width = right[:, 0].min() - left[:, 2].max()
    return bool(width < min(gap, 0.25 * (line.bbox[3] - line.bbox[1])))


def _splitter_cuts(left: OcrLine, right: OcrLine, ink: np.ndarray, boxes: np.ndarray) -> bool:
    """Would :func:`~broadsheet.ocr.split.split_lines` cut the two pieces joined into one line
    where they meet? Then the gap is a gutter and the joiner must not undo the cut: a bridging
    line and ink through the gap over both sides together prove nothing when a headline
    crosses the gutter just below (or above) the pieces while the column lines on the other
    side show the clear gutter ("…机械股份" | "墨森一扫…" over a kicker running across both
    columns). Pieces without character boxes cannot be judged so, nor Latin ones: every word
    gap is a candidate there, and over a few justified lines a river of word spaces passes the
    test ("zig Tonnen" | "gesunken. Vor"), where the bridging line is the better witness."""
    if not all(p.chars is not None and len(p.chars) == len(p.text) and _set_solid(p) for p in (left, right)):
        return False
    line = merge_pieces([left, right])
    if not _mostly_cjk(line.text):
        return False
    k = len(left.text.rstrip()) - 1
    cuts = _cut_positions(line, ink, np.zeros((0, 4)), SplitConfig(), boxes)
    return bool(k in cuts)


def _set_solid(piece: OcrLine) -> bool:
    """Two glyphs or more, set solid (their usual gap under a quarter of the height): a piece of
    a column's line. The pieces of a line letter-spaced over its column ("州" | "经　开" | "区")
    are the joiner's own case, and the splitter's one-side window is no judge of them."""
    b = np.asarray(piece.chars, float)
    if len(b) < 2:
        return False
    return float(np.median(b[1:, 0] - b[:-1, 2])) < 0.25 * (piece.bbox[3] - piece.bbox[1])


def _letters_extent(line: OcrLine) -> tuple[float, float]:
    """Left edge of ``line``'s first letter's box and right edge of its last, by the
    recogniser's character boxes; the line's box edges without them."""
    x0, _, x1, _ = line.bbox
    if line.chars is None or len(line.chars) != len(line.text):
        return float(x0), float(x1)
    c = [box for box, t in zip(line.chars, line.text) if not t.isspace()]
    if not c:
        return float(x0), float(x1)
    return float(max(x0, c[0][0])), float(min(x1, c[-1][2]))


def _letters_reach(text: str) -> float:
    """Share of its type's full height the letters of ``text`` reach (`INK_REACH`), or NaN
    where it is not known here: an accented capital's line is measured by boxes, not by its
    ink's run, and a character of another script has no such table."""
    kind = letters_kind(text)
    if not kind & INK or kind & (OVER_CAPS | UNKNOWN):
        return float("nan")
    return float(INK_REACH[kind & (RISES | FALLS)])


def _ink_type_height(line: OcrLine, ink: np.ndarray) -> float:
    """``line``'s type height by its letters' ink: the run of inked rows about the box's
    heaviest middle row (over its letters' extent, across gaps of a few rows), divided by the
    share of the type's height its letters reach (:func:`_letters_reach`). The detector's box
    may hold paper above and below the letters and the next rows' ascenders or descenders;
    the run stops at the paper. NaN where the letters or the ink say nothing."""
    reach = _letters_reach(line.text)
    x0, x1 = _letters_extent(line)
    _, y0, _, y1 = line.bbox
    H, W = ink.shape
    r0, r1 = int(max(0, np.floor(y0))), int(min(H, np.ceil(y1)))
    c0, c1 = int(max(0, np.floor(x0))), int(min(W, np.ceil(x1)))
    if not np.isfinite(reach) or r1 - r0 < 4 or c1 <= c0:
        return float("nan")
    prof = ink[r0:r1, c0:c1].sum(axis=1)
    q = (r1 - r0) // 4
    seed = q + int(np.argmax(prof[q:r1 - r0 - q]))
    if prof[seed] == 0:
        return float("nan")
    slack = max(1, int(round(0.05 * (r1 - r0))))
    inked = np.flatnonzero(prof > 0)
    # the run of inked rows through the seed, bridging gaps up to ``slack`` rows
    parts = np.split(inked, np.nonzero(np.diff(inked) > slack + 1)[0] + 1)
    run = next(p for p in parts if p[0] <= seed <= p[-1])
    return float(run[-1] - run[0] + 1) / reach


def _paper_between(ink: np.ndarray, a: np.ndarray, c: np.ndarray, h: float) -> tuple[np.ndarray, np.ndarray]:
    """Boxes ``a``, ``c`` (a left of c) with their facing edges moved to the paper between the
    pieces' own glyphs, where the boxes touch or overlap: the widest run of columns, within a
    gutter band's width of the junction, with no ink in the rows both pieces cover (their
    middle halves). The detector's outline may run a line's box on across a 30 px gutter into
    the next column's first letters ("…in der Aare" | "informieren neue…", boxes 20 px over
    each other); "touching" boxes then hide a gutter from the ink test. Boxes with a gap
    between them, or no such paper, come back unchanged."""
    if c[0] - a[2] >= 2:
        return a, c
    H, W = ink.shape
    need = clear_need(h, SplitConfig())
    ya = ((a[1] + a[3]) / 2 - (a[3] - a[1]) / 4, (a[1] + a[3]) / 2 + (a[3] - a[1]) / 4)
    yc = ((c[1] + c[3]) / 2 - (c[3] - c[1]) / 4, (c[1] + c[3]) / 2 + (c[3] - c[1]) / 4)
    y0, y1 = int(max(0, np.floor(min(ya[0], yc[0])))), int(min(H, np.ceil(max(ya[1], yc[1]))))
    x0 = int(max(0, np.floor(max(a[0], c[0] - need))))
    x1 = int(min(W, np.ceil(min(c[2], a[2] + need))))
    if y1 <= y0 or x1 - x0 < need:
        return a, c
    paper = ~ink[y0:y1, x0:x1].any(axis=0)
    starts, ends = _runs(paper)
    if not len(starts):
        return a, c
    k = int(np.argmax(ends - starts))
    if ends[k] - starts[k] < need:
        return a, c
    a2, c2 = a.copy(), c.copy()
    a2[2], c2[0] = x0 + starts[k], x0 + ends[k]
    return a2, c2


def _faces_across(b: np.ndarray, yc: np.ndarray, i: int, j: int, k: int, h: float) -> bool:
    """On the side of the pieces ``i`` | ``j`` away from line ``k`` (boxes ``b``, centres
    ``yc``), the next row's lines face each other across their gap: one ends within ``h`` of
    where ``i`` ends, another starts within ``h`` of where ``j`` starts, neither crossing the
    gap's middle — a gutter's two columns, not one line of the pieces' own block."""
    row = yc[k] - yc[i]
    dy = yc - yc[i]
    near = (np.abs(dy) > 0.6 * h) & (np.abs(dy) < 1.5 * h) & (np.sign(dy) != np.sign(row))
    mid = (b[i, 2] + b[j, 0]) / 2
    ends = near & (np.abs(b[:, 2] - b[i, 2]) <= h) & (b[:, 2] <= mid)
    starts = near & (np.abs(b[:, 0] - b[j, 0]) <= h) & (b[:, 0] >= mid)
    return bool(ends.any() and starts.any())


def _parted(ink: np.ndarray, a: np.ndarray, c: np.ndarray, k: np.ndarray, h: float, cfg: MergeConfig, *,
            rule: bool = True) -> bool:
    """Does blank paper or a rule part the row of pieces ``a`` and ``c`` (a left of c) from line
    box ``k`` above or below them? Over the pieces' span, the rows between the boxes hold a run
    of paper rows ``parted_blank``·h tall, or a row with one run of ink across ``parted_rule``
    of the span (a rule). The next line of a column lies on the pieces' row's box or a leading away; a caption
    over two columns beyond an empty line ("La station Croisettes, …" over "Le Conseil communal
    de" | "2032.", 61 px of paper at h 50) or a headline under a double rule does not.
    ``rule`` false: blank paper only (a column's own line may lie across a rule from its
    story's tail strip)."""
    H, W = ink.shape
    y0, y1 = min(a[1], c[1]), max(a[3], c[3])
    r0, r1 = (k[3], y0) if k[3] <= (y0 + y1) / 2 else (y1, k[1])
    r0, r1 = int(max(0, np.ceil(r0))), int(min(H, np.floor(r1)))
    if r1 - r0 < 2:
        return False
    x0, x1 = int(max(0, np.floor(a[0]))), int(min(W, np.ceil(c[2])))
    rows = ink[r0:r1, x0:x1]
    blank = ~rows.any(axis=1)
    # a rule is one run of ink; a row of text, however dense, has letter spaces in it
    return bool(_longest_run(blank) >= cfg.parted_blank * h
                or (rule and (longest_runs(rows) >= cfg.parted_rule * (x1 - x0)).any()))


def _inked_through(ink: np.ndarray, a: np.ndarray, c: np.ndarray, h: float, cfg: MergeConfig, *,
                   reach: float | None = None, widen: bool = False) -> bool:
    """Is the gap between boxes ``a`` and ``c`` (a left of c) covered by text in the lines
    above and below — no white band as wide as the one a gutter leaves, no rule?

    ``reach``: how far above and below to look (default ``cfg.reach``). ``widen``: a gap
    narrower than two gutter bands is judged on that width about its middle (two boxes 2 px
    apart leave two columns, one of them clear by chance in every line around); and where
    paper lies over (under) the pieces' whole span within ``reach``, the other side is looked
    at twice as far (a column's first or last row: a river can run through every line within
    reach on one side)."""
    H, W = ink.shape
    reach = cfg.reach if reach is None else reach
    need = clear_need(h, SplitConfig())
    gx0, gx1 = int(max(0, np.floor(a[2]))), int(min(W, np.ceil(c[0])))
    if widen and gx1 - gx0 < 2 * need:
        mid = (gx0 + gx1) // 2
        gx0, gx1 = max(0, mid - need), min(W, mid + need)
    if gx1 - gx0 < 2:
        return True  # the pieces touch or overlap: nothing can run between them
    y0, y1 = min(a[1], c[1]), max(a[3], c[3])
    up, down = reach, reach
    if widen:
        # a column's first or last row (paper over or under the pieces' whole span): a river
        # of word spaces may run clear through every line within reach on the other side,
        # which is looked at twice as far — a gutter runs on down the column
        x0, x1 = int(max(0, np.floor(a[0]))), int(min(W, np.ceil(c[2])))
        if not ink[int(max(0, y0 - reach * h)):int(max(0, y0 - 0.1 * h)), x0:x1].any():
            down = 2 * reach
        elif not ink[int(min(H, y1 + 0.1 * h)):int(min(H, y1 + reach * h)), x0:x1].any():
            up = 2 * reach
    rows = np.r_[int(max(0, y0 - up * h)):int(max(0, y0 - 0.1 * h)),
                 int(min(H, y1 + 0.1 * h)):int(min(H, y1 + down * h))]
    if len(rows) == 0:
        return False
    rule, clear = gap_columns(ink[rows, gx0:gx1], h)
    return not rule and clear.mean() < 0.5 and _longest_run(clear) < need


def merge_pieces(pieces: list[OcrLine]) -> OcrLine:
    """One line from left-to-right pieces: CJK pieces run on, Latin words get a space (whose
    character box is the gap, so character boxes stay one per character)."""
    keep_chars = all(p.chars is not None and len(p.chars) == len(p.text) for p in pieces)
    text = pieces[0].text
    chars = list(pieces[0].chars) if keep_chars else []
    for prev, p in zip(pieces, pieces[1:]):
        if not (has_cjk(text) or has_cjk(p.text)):
            pb, qb = prev.bbox, p.bbox
            text += " "
            chars.append((pb[2], min(pb[1], qb[1]), qb[0], max(pb[3], qb[3])))
        text += p.text
        if keep_chars:
            chars.extend(p.chars)
    b = np.array([p.bbox for p in pieces])
    x0, y0, x1, y1 = float(b[:, 0].min()), float(b[:, 1].min()), float(b[:, 2].max()), float(b[:, 3].max())
    conf = float(min(p.confidence for p in pieces))
    return OcrLine(((x0, y0), (x1, y0), (x1, y1), (x0, y1)), text, conf, tuple(chars) if keep_chars else None)
