"""Post-recognition fixes: cut lines that run across a column gap or rule; restore headline quotes.

A text detector working on a down-scaled page happily merges two lines that face each other
across a narrow gutter (a trial page with 16 px gutters merged 30 lines across columns). The
recogniser still reads both halves, and its per-character boxes show where the gutter is: the
gap between two characters is much wider than the line's usual spacing. Full-width punctuation
(，。) also leaves a wide gap after it, so when the page image is given a gap only counts if it
is clear ink-free paper in the lines above and below too — a gutter runs down the column, the
space after a comma does not. Vertical rules given as boxes always cut.

In CJK text with the image, a narrow gutter (0.45 line heights) barely shows in the character
boxes, so any gap a little wider than usual is a candidate and the clear band decides — not
beside full-width punctuation, whose blank half-cells line up on a type grid. A headline crossing
the gutter just above or below leaves the other side to decide; a hairline rule down the
gutter is part of the band, and a letter read onto it (or onto blank paper) is dropped.

In Latin text every word gap is a candidate, and a gutter shows in two ways: text lines
beside it within 2.5 line heights, or — for a column's first or last lines, next to a
headline, a rule or a paragraph end — a band that runs on down the page between column edges
that line up on both sides (words beside a chance river of word spaces do not line up).

Big headline quote marks (“ ” in a 150 px headline) are sometimes read as "66"/"99". In tall
lines, a 6/66/9/99 run next to CJK text whose ink sits in the upper half of the line is a quote.

Coordinates: absolute pixels, x right, y down, boxes ``(x0, y0, x1, y1)``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from .types import OcrLine


RULE_FILL = 0.3  # a hairline rule (dashed ones too) inks this share of a window's rows
# a quote mark's ink (:func:`_unread_quotes`): 0.17–0.20 of the line high, 0.13–0.18 of an advance
# wide on the generated scans; a speck of noise is under a tenth of the line
QUOTE_MIN_H, QUOTE_MAX_H, QUOTE_MAX_W = 0.1, 0.35, 0.35
MIN_ADVANCE_CHARS = 8  # a line's mean advance is read from this many characters or more
MIN_ADVANCE_LINES = 3  # ... and the page's usual one from this many such lines or more


@dataclass(frozen=True, kw_only=True)
class SplitConfig:
    """Thresholds for :func:`split_lines` (all relative to the line height ``h``).

    ``gap_rel``: a gap wider than ``typical gap + gap_rel·h`` is a split candidate
    (``gap_rel_verified`` for word gaps in Latin text, and for any gap in CJK text, when the
    image can confirm the gutter).
    ``min_clear_rel``: with an image, the candidate needs an ink-free vertical band at least this
    wide (×h) that stays clear ``context_rel``·h above and below the line (``context_rel_latin``
    for Latin text, where every word gap is a candidate).
    ``follow_rel``, ``follow_side``, ``follow_edges``, ``align_rel``: a Latin word gap that
    window rejects is still cut when its clear band, followed up to ``follow_rel``·h each way,
    has text lines whose edges line up (within ``align_rel``·h) beside it — at least
    ``follow_side`` lines ending on its left and as many starting on its right, and
    ``follow_edges`` edges in all (the line itself counts on both sides).
    ``grid_lines``: a band with ``follow_side`` lines on each side but fewer than
    ``follow_edges`` edges is still cut when at least this many other lines of the page begin
    between it and the line's right part and as many end between its left part and it (the
    page's grid of columns, :func:`_grid_edges`); for that test the lines beside the band need
    only line up within ``grid_align_rel``·h (ink ends after a full stop a few pixels short),
    and one side may hold only ``grid_side`` lines (the line itself: a column's one line under
    its subhead beside the next column's lines) while the other holds ``follow_side``.
    ``grid_lone_lines``: as ``grid_lines``, for a band with no other line than this one beside
    it on either side (a story's one-row strip under a rule: "…Versuch betei-" | "ligt.");
    the gutter of a page's grid has dozens of line edges at it, a word space none.
    ``ragged_starts``: a band with at least this many lines starting at one x on its right (the
    line itself counted) is a gutter when as many lines lie on its left, their ink ending before
    it (within ``follow_rel``·h): a column set ragged right ends its lines anywhere, so only
    the next column's starts show the gutter (measured on 90 generated de/fr/en pages, 30 of them
    scans: a river of word spaces had at most three aligned starts beside it).
    ``tall_rel``: a Latin line over this many times the page's median line height (a headline)
    is not cut at a followed band, only at a rule — unless its glyphs' advance stays within this
    many times the page's usual one (body type in a box run over columns on other baselines).
    ``grid_adv_rel``: two CJK ideographs whose boxes start under this many advances apart are
    neighbouring cells of one type grid, never cut. The advance is the line's, or where the
    ideograph steps on the two sides of the gap (``grid_side_pairs`` pairs or more each) differ
    by ``grid_stretch_rel`` or more, the smaller side's (:func:`_grid_cells`).
    ``pitch_rel``: a CJK line's height counts at most this many times its glyphs' advance (a box
    the detector ran over columns set on other baselines is up to twice the type's height).
    ``beside_rel``: in the CJK one-side fallback, the confirming line's text must lie within
    this many line heights of the band on both sides (a column's line beside a gutter has its
    text right at it; a comma's blank half-cell under a letter space leaves the glyph before
    it 0.5–0.7·h away).
    ``punct_gutter_rel``: a CJK gap beside one full-width punctuation mark with this many
    advances of paper in the line itself (a half-cell and a letter space leave less) is tested
    as any other gap.
    ``ink_gutter_rel``: a CJK gap whose boxes leave a band's width but sit off the ink is looked
    for over the line's own paper too where that paper is this many advances wide or more;
    ``ink_close_rel``: one whose boxes leave less than a band is a candidate where its own paper
    is this many advances wide (gutters of 29–38 px type leave 0.45–0.74, letter spaces and the
    paper beside a narrow digit 0.27–0.40).
    """

    gap_rel: float = 0.3
    gap_rel_verified: float = 0.1
    min_gap_px: float = 6.0
    min_clear_rel: float = 0.22
    context_rel: float = 1.2
    context_rel_latin: float = 2.5
    follow_rel: float = 6.0
    follow_side: int = 2
    follow_edges: int = 6
    align_rel: float = 0.05
    beside_rel: float = 0.5
    punct_gutter_rel: float = 1.25
    ink_gutter_rel: float = 0.45
    ink_close_rel: float = 0.6
    pitch_rel: float = 1.6
    grid_adv_rel: float = 1.15
    grid_side_pairs: int = 3
    grid_stretch_rel: float = 1.25
    tall_rel: float = 1.3
    grid_lines: int = 3
    grid_align_rel: float = 0.1
    grid_side: int = 1
    ragged_starts: int = 5
    grid_lone_lines: int = 6


def ink_mask(image: np.ndarray) -> np.ndarray:
    """Boolean (H, W) ink mask: Otsu threshold on the gray image (dark ink on light paper)."""
    import cv2

    gray = image if image.ndim == 2 else cv2.cvtColor(image, cv2.COLOR_RGB2GRAY)
    _t, binar = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    return binar > 0


def split_lines(
    lines: list[OcrLine] | tuple[OcrLine, ...],
    *,
    image: np.ndarray | None = None,
    rules: np.ndarray | None = None,
    config: SplitConfig | None = None,
    ink: np.ndarray | None = None,
) -> list[OcrLine]:
    """Split every line at column gaps (and at vertical ``rules``, an (K, 4) box array).

    Lines without per-character boxes pass through unchanged. Output keeps the input order, each
    split line replaced by its pieces left to right. ``ink``: the image's :func:`ink_mask`, when
    the caller has it already.
    """
    cfg = config or SplitConfig()
    if ink is None and image is not None:
        ink = ink_mask(image)
    rule_boxes = np.asarray(rules, float).reshape(-1, 4) if rules is not None else np.zeros((0, 4))
    boxes = np.array([ln.bbox for ln in lines], float).reshape(-1, 4)
    body_h = float(np.median(boxes[:, 3] - boxes[:, 1])) if len(boxes) else 0.0
    body_adv = body_advance(lines)
    if ink is not None:
        lines = [_drop_rule_bars(_drop_edge_phantoms(_drop_phantoms(line, ink, cfg.context_rel), ink), ink, cfg)
                 for line in lines]
    found = [_cuts(line, ink, rule_boxes, cfg, boxes, body_h, body_adv) for line in lines]
    pieces = [_apply_cuts(line, cuts) if len(cuts) else [line] for line, (cuts, _asks) in zip(lines, found)]
    if any(asks for _c, asks in found) and sum(map(len, pieces)) > len(lines):
        # The page's grid is read from its line boxes, but the detector runs many rows of a
        # page across the gutters (the rows this pass cut): their boxes begin and end at no
        # column edge. The gaps the grid test refused are asked again of the cut lines' boxes.
        grid = np.array([p.bbox for ps in pieces for p in ps], float).reshape(-1, 4)
        for n, (line, (cuts, asks)) in enumerate(zip(lines, found)):
            more = [i for i, ask in asks if _grid_edges(ink, grid, *ask)]
            if more:
                pieces[n] = _apply_cuts(line, np.union1d(cuts, more).astype(int))
    return [p for ps in pieces for p in ps]


def line_advance(line: OcrLine) -> float | None:
    """A line's mean advance per character (its glyph boxes' span over its length, spaces
    counted): the type size, whatever the box's height. None without per-character boxes or
    under ``MIN_ADVANCE_CHARS`` characters."""
    if not line.chars or len(line.chars) != len(line.text) or len(line.text) < MIN_ADVANCE_CHARS:
        return None
    b = np.asarray(line.chars, float)
    solid = np.array([not c.isspace() for c in line.text])
    if solid.sum() < 2:
        return None
    sb = b[solid]
    return float(sb[:, 2].max() - sb[:, 0].min()) / len(line.text.strip())


def body_advance(lines) -> float | None:
    """The page's usual advance per character: the median :func:`line_advance` of its lines
    (None under ``MIN_ADVANCE_LINES`` lines that have one: a line is no page's usual type)."""
    adv = [a for a in (line_advance(ln) for ln in lines) if a is not None]
    return float(np.median(adv)) if len(adv) >= MIN_ADVANCE_LINES else None


_RULE_READS = "|!！丨｜‖∥ⅰⅠ"  # what the recogniser reads a hairline rule as


def _drop_phantoms(line: OcrLine, ink: np.ndarray, context: float) -> OcrLine:
    """Drop Latin letters, digits and bars the recogniser read into blank paper in a CJK line.

    Reading across a gutter, the recogniser sometimes emits a letter for the white paper or a
    hairline rule there ("等9i订单", the "i" on the rule after "等9"; "孵化加ⅰ式", "形成全生‖期":
    a roman one or a double bar); with no gap left between the boxes the gutter could not be cut. A glyph whose box middle (half its width, the line's
    core rows) holds no ink at all, or only a rule's, is not there."""
    text = line.text
    if not line.chars or len(line.chars) != len(text):
        return line
    maybe = [i for i, c in enumerate(text) if (c.isascii() and c.isalnum()) or c in _RULE_READS]
    # the line is CJK by its other glyphs: a bar or mark read on a rule does not count
    # against it ("会！", a spread last line's piece with a dashed rule read after it);
    # letters and digits do ("美国ATI等140余" stays a mixed line, left alone)
    rest = "".join(c for c in text if c not in _RULE_READS)
    if not maybe or not rest.strip() or not _mostly_cjk(rest):
        return line
    H, W = ink.shape
    _x0, ly0, _x1, ly1 = line.bbox
    h = ly1 - ly0
    r0, r1 = int(max(0, ly0 + 0.15 * h)), int(min(H, np.ceil(ly1 - 0.15 * h)))
    t0, t1 = int(max(0, ly0 - context * h)), int(min(H, np.ceil(ly1 + context * h)))
    drop = set()
    for i in maybe:
        bx0, _by0, bx1, _by1 = line.chars[i]
        q = (bx1 - bx0) / 4
        c0, c1 = int(max(0, np.floor(bx0 + q))), int(min(W, np.ceil(bx1 - q)))
        if r1 <= r0 or c1 <= c0:
            continue
        # a hairline rule through the gutter ("i") is no glyph either: a few columns inked over
        # a third of the window and outside the line's rows (dashed rules too) are the rule's
        above, below = ink[t0:int(ly0), c0:c1], ink[int(np.ceil(ly1)):t1, c0:c1]
        rule = (ink[t0:t1, c0:c1].mean(axis=0) >= RULE_FILL) & (above.any(axis=0) | below.any(axis=0))
        if rule.sum() > rule_width(h):
            continue
        if not ink[r0:r1, c0:c1][:, ~rule].any():
            drop.add(i)
    if not drop:
        return line
    keep = [i for i in range(len(text)) if i not in drop]
    chars = tuple(line.chars[i] for i in keep)
    return OcrLine(line.polygon, "".join(text[i] for i in keep), line.confidence, chars)


def _drop_edge_phantoms(line: OcrLine, ink: np.ndarray) -> OcrLine:
    """Drop a Latin line's last glyph when the recogniser read it in the padding past its crop.

    A detector box that ends in a gutter makes the recogniser emit one more letter from the
    padding after the crop ("…nuisances ene", "maintenancee", "Confédéra-t"): its CTC column
    lies past the crop's edge, so its box is cut to nothing there, and the page shows paper at
    that edge. Cut off at the gutter, such a letter becomes a piece of its own, and the joiner
    bridges the gutter in two short steps through it. A real last glyph the box clips (a full
    stop, the second "l" of "Kirkwall") keeps part of its box's width: the character boxes
    at a line's end are rough, so its ink is not asked for. CJK lines: :func:`_drop_phantoms`."""
    text = line.text
    if not line.chars or len(line.chars) != len(text) or _mostly_cjk(text):
        return line
    solid = [i for i, c in enumerate(text) if not c.isspace()]
    if len(solid) < 2:
        return line
    H, W = ink.shape
    _lx0, ly0, lx1, ly1 = line.bbox
    hi = solid[-1]
    bx0, _by0, bx1, _by1 = line.chars[hi]
    if bx1 - bx0 >= 1.0 or bx0 < lx1 - 1.0:
        return line
    r0, r1 = int(max(0, np.floor(ly0))), int(min(H, np.ceil(ly1)))
    c0, c1 = int(max(0, np.floor(lx1) - 1)), int(min(W, np.ceil(lx1) + 2))
    if r1 <= r0 or c1 <= c0 or ink[r0:r1, c0:c1].any():
        return line
    b = solid[-2]
    chars = tuple(line.chars[:b + 1])
    # the box ends where the glyphs left do
    cx1 = max(c[2] for c in chars)
    polygon = tuple((min(px, cx1), py) for px, py in line.polygon)
    return OcrLine(polygon, text[:b + 1], line.confidence, chars)


#: what the recogniser reads for a column rule in a Latin line
_BARS = "|丨｜"


def _drop_rule_bars(line: OcrLine, ink: np.ndarray, cfg: SplitConfig) -> OcrLine:
    """Drop a bar a Latin line read for the column rule it crosses.

    The detector may run a row across a column rule, and the recogniser reads the rule as a
    word of its own ("aura lieu le dernier samedi | Arrivée il y a une dizaine"): the rule's
    ink is that glyph's, so no gap holds it and the line is not cut there. A bar between word
    spaces (or at the line's end) goes, with one space beside it, when the gap it leaves holds
    a rule running on ``context_rel_latin``·h above or below the line (:func:`_rule_in_gap`);
    the gap is then cut as any gap a rule runs through. A bar in the text with no rule under it
    stays."""
    text = line.text
    if not line.chars or len(line.chars) != len(text) or _mostly_cjk(text) or not any(c in _BARS for c in text):
        return line
    _lx0, ly0, _lx1, ly1 = line.bbox
    h = max(ly1 - ly0, 1.0)
    for i, c in enumerate(text):
        if c not in _BARS or not (0 < i < len(text) - 1 and text[i - 1].isspace() and text[i + 1].isspace()):
            continue
        # without the bar and the space after it, the space before spans the paper and the rule
        chars = list(line.chars)
        nxt = chars[i + 2] if i + 2 < len(chars) else chars[i]
        chars[i - 1] = (chars[i - 1][0], chars[i - 1][1], nxt[0], chars[i - 1][3])
        cand = OcrLine(line.polygon, text[:i] + text[i + 2:], line.confidence, tuple(chars[:i] + chars[i + 2:]))
        sb = np.asarray([b for b, t in zip(cand.chars, cand.text) if not t.isspace()], float)
        k = sum(1 for t in cand.text[:i] if not t.isspace()) - 1      # the gap after glyph k
        if 0 <= k < len(sb) - 1 and _rule_in_gap(ink, sb, np.array([k]), ly0, ly1, h, cfg.context_rel_latin)[0]:
            return _drop_rule_bars(cand, ink, cfg)
    return line


def _cut_positions(line: OcrLine, ink, rules: np.ndarray, cfg: SplitConfig,
                   page_boxes: np.ndarray | None = None, body_h: float | None = None,
                   body_adv: float | None = None) -> np.ndarray:
    """Indices i such that the line is cut between character i and i+1 (of ``line.text``).
    ``page_boxes``: every line box of the page (where the text lines beside a gap lie);
    ``body_h``: their median height (computed from them when not given); ``body_adv``: the
    page's usual advance per character (:func:`body_advance`; None: the box height alone
    tells a headline)."""
    return _cuts(line, ink, rules, cfg, page_boxes, body_h, body_adv)[0]


def _cuts(line: OcrLine, ink, rules: np.ndarray, cfg: SplitConfig,
          page_boxes: np.ndarray | None = None, body_h: float | None = None,
          body_adv: float | None = None) -> tuple[np.ndarray, list[tuple[int, tuple]]]:
    """:func:`_cut_positions`, and the gaps the page's grid (:func:`_grid_edges`) refused
    though columns stood beside them: ``(cut index, the grid test's arguments after the
    boxes)`` each, to ask again of better line boxes."""
    none: tuple[np.ndarray, list[tuple[int, tuple]]] = (np.zeros(0, int), [])
    if not line.chars or len(line.chars) != len(line.text) or len(line.text) < 2:
        return none
    boxes = np.asarray(line.chars, float)
    solid = np.flatnonzero(np.array([not c.isspace() for c in line.text]))
    if len(solid) < 2:
        return none
    sb = boxes[solid]
    lx0, ly0, lx1, ly1 = line.bbox
    h = max(ly1 - ly0, 1.0)
    gaps = sb[1:, 0] - sb[:-1, 2]  # gap after solid glyph k, before solid glyph k+1
    spaced = np.diff(solid) > 1  # a space character lies in this gap (a word gap)
    typical = float(np.median(np.clip(gaps[~spaced], 0, None))) if (~spaced).any() else 0.0
    # word gaps are compared with the usual word gap (or, with one or none, a generous estimate)
    # A lone space inside CJK text is itself a sign of a gap (CJK has no word spaces).
    cjk = _mostly_cjk(line.text)
    pitch = _cjk_pitch(line.text, solid, sb, h) if cjk else h  # the line's advance (its type size)
    if cjk:
        h = min(h, cfg.pitch_rel * pitch)
    if spaced.sum() >= 2 and not cjk:
        word = float(np.median(gaps[spaced]))
    else:
        word = typical if cjk else typical + 0.45 * h
    base = np.where(spaced, max(word, typical), typical)
    asks: list[tuple[int, tuple]] = []
    # With the image to confirm a gutter, a word gap only has to be a little wider than usual:
    # a 16 px gutter in 30 px Latin type is under twice a word space.
    rel = np.where(spaced & (ink is not None) & (not cjk), cfg.gap_rel_verified, cfg.gap_rel)
    cand = gaps > np.maximum(base + rel * h, cfg.min_gap_px)
    tight = np.zeros(len(gaps), bool)
    if ink is not None and not cjk:
        # Recognised character boxes in Latin text are too coarse to tell a 16–30 px gutter from a
        # word space, so every word gap is a candidate and the page image decides, over a taller
        # window (word spaces rarely line up over five lines; a gutter runs down the column).
        cand |= spaced & (gaps > cfg.min_gap_px)
        if page_boxes is not None:
            tight = _latin_tight_gaps(gaps, cand, spaced, h, cfg)
            cand |= tight
    loose = np.ones(len(gaps), bool)
    if ink is not None and cjk:
        # Gaps beside full-width punctuation: its blank half-cell lines up with the next lines'
        # on a CJK type grid ("行政审批、" over "方面着手，"), so only the strict tests cut there.
        chars = np.array(list(line.text))[solid]
        loose = ~np.isin(chars[:-1], list(_CJK_CLOSING)) & ~np.isin(chars[1:], list(_CJK_OPENING))
        # ... but one mark's half-cell and a letter space leave under 1.25 advances of paper in
        # the line itself; a gutter beside the mark leaves its half-cell and the gutter, and at
        # a column's last row over a kicker or headline crossing the gutter only one side can
        # show it ("列车领域展" | "‘联姻’，延伸产业链、" | "济产业园", one line across three
        # columns): such a gap is judged as any other. (Between two marks, "”|“", "。|“",
        # "’|‘", two half-cells leave as much paper as a gutter: those stay strict.)
        one_mark = np.isin(chars[:-1], list(_CJK_CLOSING)) != np.isin(chars[1:], list(_CJK_OPENING))
        # A quote mark the recogniser left out ("与我区" | "联姻’" read from "与我区‘联姻’") is
        # still ink between the two glyphs: its gap is a mark's half-cell like any other.
        # (Beside a closing mark it makes two marks, which stay strict.)
        unread = _unread_quotes(ink, sb, ly0, ly1, pitch) & loose
        loose &= ~unread
        one_mark |= unread & ~np.isin(chars[:-1], list(_CJK_CLOSING))
        if one_mark.any():
            loose |= one_mark & (_line_paper(ink, sb, ly0, ly1, h) >= cfg.punct_gutter_rel * pitch)
        # A narrow CJK gutter (0.45·h) shows as a gap barely wider than punctuation's once the
        # recogniser's boxes spread into it; any gap a little over the usual one whose window
        # (±2 px) can hold the clear band is a candidate, and the clear band decides.
        cand |= loose & (gaps > typical + cfg.gap_rel_verified * h) & (gaps + 4 >= clear_need(h, cfg))
        # The recogniser spaces the boxes of digits and Latin letters on the CJK grid, so they
        # may cover a gutter ("进行100" | "3月底", boxes 4 px apart over 21 px of paper): where
        # the line's own ink leaves the band's width of paper between two glyphs, the ink
        # shows the gap, and the boxes are moved to it.
        starts = sb[:, 0]
        sb, seen = _ink_gaps(ink, sb, "".join(np.array(list(line.text))[solid]), ly0, ly1, h, cfg,
                             widen=loose, pitch=pitch)
        cand |= loose & seen
        # Two ideographs one advance apart sit in neighbouring cells of one type grid: a gutter
        # between them would push the second on by its own width, at least a band (0.22·h). On
        # 53 seed / zh scans every cut between ideographs under 1.15 advances was inside a
        # column line ("“新渔排能抗十" | "二级台": the white beside "二" and a clear band through
        # a subhead's letter space above), every gutter 1.22 or more. (Digits and marks sit
        # off the grid; a pitch read from under four pairs is the box height, no advance.)
        han = np.array([bool(_CJK_CHAR.match(c)) for c in chars])
        pairs = han[1:] & han[:-1]
        if pairs.sum() >= 4:
            cand &= ~(pairs & (np.diff(starts) < cfg.grid_adv_rel * _grid_cells(starts, pairs, pitch, cfg)))
    if ink is not None and cand.any():
        idx = np.flatnonzero(cand)
        # CJK: the clear band alone decides (measured: asking for confirming lines as well lost
        # real gutters at paragraph ends); Latin: two confirming lines over a taller window.
        context, min_lines = (cfg.context_rel, 0) if cjk else (cfg.context_rel_latin, 2)
        words = (spaced | tight)[idx] if not cjk and page_boxes is not None else np.zeros(len(idx), bool)
        # Latin word spaces: the band followed up and down must run between column edges that
        # line up on both sides (below), or hold a vertical rule. Two confirming lines in the
        # fixed window are no proof there: in justified text a river of word spaces runs clear
        # over two or three lines (measured on 24 generated de/fr/en pages: that window alone
        # cut 370 word spaces, and 4 gutters that the followed band missed).
        cand[idx[~words]] = _clear_band(ink, sb, idx[~words], ly0, ly1, h, cfg, context, min_lines,
                                        loose[idx][~words])
        cand[idx[words]] = _rule_in_gap(ink, sb, idx[words], ly0, ly1, h, cfg.context_rel_latin)
        if cjk and body_adv and pitch > cfg.tall_rel * body_adv and cand[idx].any():
            # Headline type: its windows (scaled by its height) reach past a short kicker and
            # byline into blank paper, so a quote mark's half-cell ("交出|“硬核”答卷") or a
            # space between two phrases shows a clear band. Two headlines side by side sit
            # over their own columns: the gap between them runs on into the gutter below or
            # above, to a line with text on both sides; a gap inside one headline does not.
            sure = idx[cand[idx]]
            cand[sure] = _runs_on_to_columns(ink, sb, sure, ly0, ly1, h, cfg)
        if not cjk and page_boxes is not None and not cand[idx].all():
            # The band may run past the fixed window's lines or stop early at a headline: follow
            # it up and down and count the column lines it separates on both sides together.
            rest = idx[~cand[idx]]
            if body_h is None:
                body_h = float(np.median(page_boxes[:, 3] - page_boxes[:, 1])) if len(page_boxes) else h
            # Not in a headline (over tall_rel × the page's usual line height): a headline runs
            # across the columns of its story, and where a word space of it lies over their
            # gutter the band runs on down between aligned column edges (measured on 25
            # generated de/fr/en pages: 9 such cuts in headlines, none of them a gutter).
            # A box is also tall when the detector ran it over columns whose baselines differ
            # by a few pixels (one box over a row of six columns, twice the type's height): the
            # glyphs' advance tells body type from a headline's.
            adv = line_advance(line) if body_adv else None
            if h <= cfg.tall_rel * body_h or (adv is not None and adv <= cfg.tall_rel * body_adv):
                cand[rest], refused = _band_followed(ink, sb, rest, ly0, ly1, h, cfg, page_boxes)
                asks = [(int(solid[rest[n]]), ask) for n, ask in refused]
    # vertical rules: any rule box overlapping the line's middle whose centre lies between glyphs
    if len(rules):
        rc = (rules[:, 0] + rules[:, 2]) / 2
        ov = np.minimum(rules[:, 3], ly1) - np.maximum(rules[:, 1], ly0)
        rc = rc[(ov >= 0.5 * h) & (rc > sb[0, 2]) & (rc < sb[-1, 0])]
        if len(rc):
            centres = (sb[:, 0] + sb[:, 2]) / 2
            k = np.searchsorted(centres, rc) - 1  # last glyph left of each rule
            cand[np.clip(k, 0, len(cand) - 1)] = True
    # cut after the last char (spaces included) of the left glyph
    return np.unique(solid[:-1][cand]), asks


def _latin_tight_gaps(gaps: np.ndarray, cand: np.ndarray, spaced: np.ndarray, h: float,
                      cfg: SplitConfig) -> np.ndarray:
    """Latin gaps with no space character that the box test left out but whose boxes leave
    room for a gutter's clear band (± 2 px, as :func:`_gap_span` looks): a line read across a
    gutter after a hyphen ("Rettungseinsät-" | "zusätzliche", 16 px between the boxes in a
    55 px box: under ``typical + gap_rel·h``, which grows with the detector's outline, not with
    the type). Only the strict tests judge them — a vertical rule, or the band followed down
    the page between column edges that line up: a word space the recogniser dropped
    ("derAare") leaves as much room, and in justified text such spaces line up in rivers."""
    return ~spaced & ~cand & (gaps > cfg.min_gap_px) & (gaps + 4 >= clear_need(h, cfg))


def _rule_in_gap(ink: np.ndarray, sb: np.ndarray, idx: np.ndarray, ly0, ly1, h, context: float) -> np.ndarray:
    """For gaps ``idx``: does a vertical rule run down through the gap, over ``context``·h above or
    below the line (:func:`gap_columns`)?"""
    H, W = ink.shape
    out = np.zeros(len(idx), bool)
    for y0, y1 in ((int(max(0, ly0 - context * h)), int(min(H, np.ceil(ly1)))),
                   (int(max(0, ly0)), int(min(H, np.ceil(ly1 + context * h))))):
        for n, k in enumerate(idx):
            gx0, gx1 = _gap_span(sb, k, W)
            if not out[n] and gx1 - gx0 >= 2 and y1 > y0:
                out[n] = gap_columns(ink[y0:y1, gx0:gx1], h)[0]
    # a column rule that stops short of the window (it runs between two headlines set side by
    # side and ends at the rule over them, or at a byline): inked all through the line and
    # half a line height above and below it, thin, with paper on both sides in the gap
    y0, y1 = int(max(0, ly0 - 0.5 * h)), int(min(H, np.ceil(ly1 + 0.5 * h)))
    for n, k in enumerate(idx):
        gx0, gx1 = _gap_span(sb, k, W)
        if out[n] or gx1 - gx0 < 3 or y1 <= y0:
            continue
        col = ink[y0:y1, gx0:gx1].mean(axis=0)
        full = col >= 0.95
        for a, b in zip(*_runs(full)):
            if b - a <= rule_width(h) and a > 0 and b < len(col) and col[a - 1] < 0.5 and col[b] < 0.5:
                out[n] = True
    return out


def _cjk_pitch(text: str, solid: np.ndarray, sb: np.ndarray, h: float) -> float:
    """The usual advance from one CJK ideograph to the next in a line (its type size), or ``h``
    when fewer than four pairs are there to tell."""
    han = np.array([bool(_CJK_CHAR.match(text[i])) for i in solid])
    pairs = han[1:] & han[:-1]
    if pairs.sum() < 4:
        return h
    return float(np.median((sb[1:, 0] - sb[:-1, 0])[pairs]))


def _grid_cells(starts: np.ndarray, pairs: np.ndarray, pitch: float, cfg: SplitConfig) -> np.ndarray:
    """(len(starts) - 1,) the type grid's cell at each gap between glyphs starting at ``starts``:
    the line's ``pitch``, or where the median steps between ideograph ``pairs`` on the two sides
    of the gap (each from ``grid_side_pairs`` pairs or more) differ by ``grid_stretch_rel`` or
    more, the smaller one. Reading across a gutter the recogniser may spread the gutter's width
    over the boxes of the glyphs on one side ("都会持续增" | "强企业": their cells 1.09 of the
    line's median apart, the other side's 0.73), and the line's median hides the gutter; boxes
    on one grid jitter by a tenth or so (0.86–1.14 in a photo credit) on both sides alike."""
    step = np.diff(starts)
    out = np.full(len(step), float(pitch))
    j = np.arange(len(step))
    left = (j[None, :] < j[:, None]) & pairs[None, :]      # row k: the pairs left of gap k
    right = (j[None, :] > j[:, None]) & pairs[None, :]
    ok = (left.sum(axis=1) >= cfg.grid_side_pairs) & (right.sum(axis=1) >= cfg.grid_side_pairs)
    if not ok.any():
        return out
    lm = np.nanmedian(np.where(left[ok], step, np.nan), axis=1)
    rm = np.nanmedian(np.where(right[ok], step, np.nan), axis=1)
    lo, hi = np.minimum(lm, rm), np.maximum(lm, rm)
    out[ok] = np.where(hi >= cfg.grid_stretch_rel * lo, np.minimum(pitch, lo), pitch)
    return out


def _line_paper(ink: np.ndarray, sb: np.ndarray, ly0, ly1, h) -> np.ndarray:
    """(len(sb) - 1,) the widest run of paper, px, between the centres of consecutive glyphs
    ``sb`` over the line's rows (a tenth of ``h`` trimmed off top and bottom): the white a
    punctuation mark's blank half-cell and the space beside it leave."""
    H, W = ink.shape
    r0, r1 = int(max(0, ly0 + 0.1 * h)), int(min(H, np.ceil(ly1 - 0.1 * h)))
    x0, x1 = int(max(0, np.floor(sb[0, 0]))), int(min(W, np.ceil(sb[-1, 2])))
    out = np.zeros(len(sb) - 1)
    if r1 <= r0 or x1 <= x0:
        return out
    free = ~ink[r0:r1, x0:x1].any(axis=0)
    return widest_runs(free, *_between_centres(sb, x0))[:, 0].astype(float)


def _unread_quotes(ink: np.ndarray, sb: np.ndarray, ly0, ly1, pitch: float) -> np.ndarray:
    """(len(sb) - 1,) does a quote mark's ink lie between glyphs k and k+1 (``sb``) with no box
    of its own: a blob in the upper part of the line's box (``ly0``–``ly1``, height h), clear
    of both glyphs' ink, no taller than ``QUOTE_MAX_H``·h nor wider than ``QUOTE_MAX_W``
    advances (``pitch``), nor smaller than a speck (``QUOTE_MIN_H``·h)? On 32 seed / zh scans
    every such blob was an opening quote the recogniser dropped ("区" | "‘联姻’"); the inked
    runs a gap holds beside a gutter are rules, as tall as the line."""
    H, W = ink.shape
    h = max(ly1 - ly0, 1.0)
    out = np.zeros(len(sb) - 1, bool)
    r0, r1 = int(max(0, ly0 + 0.05 * h)), int(min(H, np.ceil(ly1 - 0.05 * h)))
    # a quarter advance into each glyph's box: a mark's ink may start inside the next box
    # ("区" | "‘联": the "‘" 3 px into the box of "联", paper between them)
    reach = 0.25 * pitch
    a = np.maximum(np.ceil(sb[:-1, 2] - reach), np.ceil((sb[:-1, 0] + sb[:-1, 2]) / 2)).astype(int)
    b = np.minimum(np.floor(sb[1:, 0] + reach), np.floor((sb[1:, 0] + sb[1:, 2]) / 2)).astype(int)
    gap = sb[1:, 0] - sb[:-1, 2]
    for k in np.flatnonzero((gap > 2) & (a >= 0) & (b <= W) & (b - a > 2)).tolist():
        win = ink[r0:r1, a[k] : b[k]]
        cols = win.any(axis=0)
        # inked runs touching either end are the glyphs' own ink reaching past their boxes
        i0 = int(np.argmin(cols)) if not cols.all() else len(cols)
        i1 = len(cols) - int(np.argmin(cols[::-1])) if not cols.all() else i0
        xs = np.flatnonzero(cols[i0:i1]) + i0
        if not len(xs):
            continue
        rows = np.flatnonzero(win[:, xs[0] : xs[-1] + 1].any(axis=1))
        bh, bw = rows[-1] - rows[0] + 1, xs[-1] - xs[0] + 1
        centre = (rows[0] + rows[-1]) / 2 + r0 - ly0
        out[k] = (QUOTE_MIN_H * h <= bh <= QUOTE_MAX_H * h and bw <= QUOTE_MAX_W * pitch
                  and centre < 0.45 * h)
    return out


def _ink_gaps(ink: np.ndarray, sb: np.ndarray, text: str, ly0, ly1, h,
              cfg: SplitConfig, widen: np.ndarray | None = None,
              pitch: float | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Paper between consecutive glyphs ``sb`` (of ``text``, spaces left out) in the line's own
    middle rows: ``(boxes, found)``, where ``found[k]`` says that beside a digit or Latin letter
    the run of ink-free columns between the centres of glyphs k and k+1 is at least
    :func:`clear_need` wide and well over the line's usual one while their boxes leave less,
    and ``boxes`` is ``sb`` with those two glyphs' facing edges moved back to the run's ends.
    ``widen``: gaps whose boxes may also be widened to take in the run of paper where their own
    gap is at least :func:`clear_need` wide, the run ``ink_gutter_rel`` of an advance (``pitch``,
    the line's) or more, and the run overlaps their gap but lies partly outside it. ``found``
    also holds the ``widen`` gaps whose boxes leave less than a band over paper ``ink_close_rel``
    of an advance wide (and ``gap_rel`` of one over the line's usual), boxes moved likewise."""
    H, W = ink.shape
    r0, r1 = int(max(0, ly0 + 0.25 * h)), int(min(H, np.ceil(ly1 - 0.25 * h)))
    x0, x1 = int(max(0, np.floor(sb[0, 0]))), int(min(W, np.ceil(sb[-1, 2])))
    found = np.zeros(len(sb) - 1, bool)
    if r1 <= r0 or x1 <= x0:
        return sb, found
    free = ~ink[r0:r1, x0:x1].any(axis=0)
    need = clear_need(h, cfg)
    runs = widest_runs(free, *_between_centres(sb, x0))  # widest paper between glyph centres: width, start, end
    # only where the boxes hide the gap beside a digit or letter, and the paper is much wider than
    # between the line's other glyphs (letter spaces on a type grid line up from line to line;
    # the white beside "了" or "上" in solid CJK is the glyph's own)
    usual = float(np.median(runs[:, 0]))
    latin = np.array([c.isascii() and c.isalnum() for c in text])
    found = ((sb[1:, 0] - sb[:-1, 2] < need) & (latin[1:] | latin[:-1])
             & (runs[:, 0] >= max(need, usual + cfg.gap_rel * h)))
    # The boxes may show a gutter only in part: they sit on the recogniser's CTC columns, not
    # on the ink, and one glyph's box can reach well into the gutter while the other stops
    # short of it ("…营收1000" | "区建立了…": 20 px of paper, the "0" box 10 px into it, 13 px
    # of box gap, 10 of them clear: under the 11 px band). Where the boxes' gap is a band's
    # width and the line's own paper between the two glyphs overlaps it and is as wide as a
    # gutter (0.45 of an advance: the 20 px gutters of 29-38 px type leave 0.45-0.62; letter
    # spaces and the paper beside a narrow digit 0.27-0.40), the band is looked for over both
    # together (the boxes' gap and that paper); the other lines decide as before. The width is
    # measured over the line's rows (:func:`_line_paper`), not only the middle ones: "厂" or
    # "了" leave their middle rows blank ("该区举行" | "了", 0.31 of an advance over all rows).
    # Boxes may also hide a gutter whole: two Han glyphs' boxes 6 px apart across 23 px of
    # paper ("发力" | "引，构建", one box over two columns). Where the line's own paper there is
    # ``ink_close_rel`` of an advance or more — a gutter's width, well past any letter space —
    # and ``gap_rel`` of one over the line's usual paper, the gap is a candidate all the same,
    # over that paper; the other lines decide as before.
    part = np.zeros(len(found), bool)
    close = np.zeros(len(found), bool)
    if widen is not None and pitch is not None:
        p0, p1 = x0 + runs[:, 1], x0 + runs[:, 2]
        box_gap = sb[1:, 0] - sb[:-1, 2]
        over = widen & ~found & (p0 < sb[1:, 0]) & (p1 > sb[:-1, 2])
        part = over & (box_gap >= need) & ((p0 < sb[:-1, 2]) | (p1 > sb[1:, 0]))
        close = over & (box_gap < need)
        if part.any() or close.any():  # the paper over all its rows: a loop over the glyphs, only where it may tell
            paper = _line_paper(ink, sb, ly0, ly1, h)
            part &= paper >= cfg.ink_gutter_rel * pitch
            # ... and well over the line's usual paper: a line letter-spaced over its column
            # ("等9个项目与赣", 49 px advance in 29 px type) leaves half an advance at every glyph
            close &= paper >= max(cfg.ink_close_rel * pitch, float(np.median(paper)) + cfg.gap_rel * pitch)
    if not found.any() and not part.any() and not close.any():
        return sb, found
    out = sb.copy()
    k = np.flatnonzero(found | part | close)
    out[k, 2] = np.minimum(out[k, 2], x0 + runs[k, 1])
    out[k + 1, 0] = np.maximum(out[k + 1, 0], x0 + runs[k, 2])
    return out, found | close


def _clear_band(ink: np.ndarray, sb: np.ndarray, idx: np.ndarray, ly0, ly1, h, cfg, context: float,
                min_lines: int, one_side: np.ndarray) -> np.ndarray:
    """For candidate gaps ``idx``: is there an ink-free (or rule) band wide enough, above and below?

    With ``min_lines`` > 0 (Latin text) the window above and the window below are tried separately
    (a caption or headline may cross the gutter on one side), each needing ``min_lines`` confirming
    text lines on that side; with 0 (CJK) one window spans both sides, and where that fails one
    side with one confirming line will do for the gaps marked ``one_side`` (not beside
    punctuation); a CJK gap not so marked must always run on past the window
    (:func:`_runs_on`), confirmed or not.
    """
    H = ink.shape[0]
    top = int(max(0, ly0 - context * h))
    bottom = int(min(H, ly1 + context * h))
    if min_lines == 0:
        windows = [(top, bottom)]
    else:
        windows = [(top, int(min(H, np.ceil(ly1)))), (int(max(0, ly0)), bottom)]
    ok = np.zeros(len(idx), bool)
    for y0, y1 in windows:
        rest = ~ok
        if rest.any():
            ok[rest] = _clear_band_in(ink, sb, idx[rest], y0, y1, ly0, ly1, h, cfg, min_lines,
                                      dashed=min_lines == 0)
    if min_lines == 0 and ok.any():
        # A band no line beside it confirms (no text just left and right of it above or below)
        # may be chance: the paper after a paragraph's short last line over a column's last
        # line ("了全要素保障。" over "其中，在空间|上，提供了"). A gutter runs on down its
        # columns: clear over the taller window on one side, with text lines beside it there.
        # Beside full-width punctuation a confirming line is no proof either: on a type grid
        # the next line's "，" often falls in the same cell, its blank half-cell over or under
        # this one's, and that line has text on both sides of it ("化、|落地有成效" under
        # "X，Y…" at a column's foot). Such a gap must run on as well (measured on 72 Chinese
        # generated pages: 38 cuts inside a column line dropped, no gutter lost).
        sure = np.flatnonzero(ok)
        unsure = sure[~_confirmed(ink, sb, idx[sure], top, bottom, ly0, ly1, h) | ~one_side[sure]]
        if len(unsure):
            ok[unsure] = _runs_on(ink, sb, idx[unsure], ly0, ly1, h, cfg)
    if min_lines == 0 and (one_side & ~ok).any():
        # A headline or caption may cross the gutter just above or below a CJK line: then one
        # side alone, clear and with a text line beside the gap on it, is enough. (One side with
        # no line to confirm is not: the last line of a block would be cut at every comma.)
        # (Asking this band to run on too lost the gutters of a strip between two dashed rules.)
        for y0, y1 in ((top, int(min(H, np.ceil(ly1)))), (int(max(0, ly0)), bottom)):
            rest = np.flatnonzero(one_side & ~ok)
            if len(rest):
                ok[rest] = _clear_band_in(ink, sb, idx[rest], y0, y1, ly0, ly1, h, cfg, 1, dashed=True,
                                          reach=cfg.beside_rel)
        # Beside a paragraph's short last line (or an indented first line) no line in the short
        # window has text on both sides of the gutter, and below a photo, a rule or a headline
        # crossing the gutter the other side is not clear: a band that runs on from the line
        # over the taller window on one side, past text beside it, to a line with text on both
        # sides, is the gutter ("…和韩" | "人核心…" over a kicker, under "人金哲说。").
        rest = np.flatnonzero(one_side & ~ok)
        if len(rest):
            ok[rest] = _runs_on_to_columns(ink, sb, idx[rest], ly0, ly1, h, cfg)
    return ok


def _confirmed(ink: np.ndarray, sb: np.ndarray, idx: np.ndarray, y0: int, y1: int, ly0, ly1, h, *,
               either: bool = False, reach: float = 1.0) -> np.ndarray:
    """For gaps ``idx``: has some other line in rows ``y0:y1`` text just left and right of it
    (``either``: left or right; ``reach``: within this many line heights)?"""
    out = np.zeros(len(idx), bool)
    for n, k in enumerate(idx.tolist()):
        gx0, gx1 = _gap_span(sb, k, ink.shape[1])
        out[n] = _text_on_both_sides(ink, y0, y1, ly0, ly1, gx0, gx1, h, 1, either=either, reach=reach)
    return out


def _gap_span(sb: np.ndarray, k: int, width: int) -> tuple[int, int]:
    """Image columns of the gap after solid glyph ``k``, with 2 px either side (the
    recogniser's boxes may reach into a gutter or stop short of it)."""
    return int(max(0, np.floor(sb[k, 2]) - 2)), int(min(width, np.ceil(sb[k + 1, 0]) + 2))


def _runs_on(ink: np.ndarray, sb: np.ndarray, idx: np.ndarray, ly0, ly1, h, cfg: SplitConfig) -> np.ndarray:
    """For gaps ``idx``: does the band stay clear over the taller (Latin) window on one side, above
    or below, with text lines beside it there — a gutter running down its columns, not a white
    patch over blank paper?"""
    H = ink.shape[0]
    reach = cfg.context_rel_latin * h
    out = np.zeros(len(idx), bool)
    for y0, y1 in ((int(max(0, ly0 - reach)), int(min(H, np.ceil(ly1)))),
                   (int(max(0, ly0)), int(min(H, ly1 + reach)))):
        rest = np.flatnonzero(~out)
        if not len(rest):
            break
        clear = _clear_band_in(ink, sb, idx[rest], y0, y1, ly0, ly1, h, cfg, 0, dashed=True)
        beside = _confirmed(ink, sb, idx[rest], y0, y1, ly0, ly1, h, either=True)
        out[rest] = clear & beside
    return out


def _runs_on_to_columns(ink: np.ndarray, sb: np.ndarray, idx: np.ndarray, ly0, ly1, h,
                        cfg: SplitConfig) -> np.ndarray:
    """For gaps ``idx``: on one side, above or below, is the band clear over the short window with
    text there (within 3·h of it: the next line of a column is close, though a paragraph's
    short last line may end well before the gutter), and clear on over the taller window to
    some line with text on both sides of it (two columns)? Blank paper between two strips, or
    a subhead ending beside a letter space, does not lead to one."""
    H = ink.shape[0]
    out = np.zeros(len(idx), bool)
    for near, far in ((ly0 - cfg.context_rel * h, ly0 - cfg.context_rel_latin * h),
                      (ly1 + cfg.context_rel * h, ly1 + cfg.context_rel_latin * h)):
        rest = np.flatnonzero(~out)
        if not len(rest):
            break
        ok = np.ones(len(rest), bool)
        for end, either, reach in ((near, True, 3.0), (far, False, 1.0)):
            y0, y1 = (int(max(0, end)), int(min(H, np.ceil(ly1)))) if end < ly0 else \
                     (int(max(0, ly0)), int(min(H, end)))
            sel = np.flatnonzero(ok)
            if not len(sel):
                break
            k = idx[rest[sel]]
            ok[sel] = (_clear_band_in(ink, sb, k, y0, y1, ly0, ly1, h, cfg, 0, dashed=True)
                       & _confirmed(ink, sb, k, y0, y1, ly0, ly1, h, either=either, reach=reach))
        out[rest] = ok
    return out


def _band_followed(ink: np.ndarray, sb: np.ndarray, idx: np.ndarray, ly0, ly1, h, cfg: SplitConfig,
                   page_boxes: np.ndarray) -> tuple[np.ndarray, list[tuple[int, tuple]]]:
    """Latin candidates the fixed windows rejected (a column's first line under a headline, a
    line beside paragraph ends: too few neighbours inside one 2.5·h window).

    The clear band through the gap is followed up and down (up to ``follow_rel``·h each way,
    until ink closes it), and the text lines beside it must look like two columns: lines that
    start at one x right of the band (within ``align_rel``·h) and lines that end at one x left
    of it, at least ``follow_side`` on each side and ``follow_edges`` in all, this line counted
    on both. A gutter has aligned column edges on both sides; a river of word spaces in
    justified text lines up by chance and the words beside it start and end anywhere.
    Returns that per gap, and the gaps the page's grid refused: ``(n, args)`` with the grid
    test's arguments after the page's boxes (:func:`split_lines` asks again of better boxes)."""
    H, W = ink.shape
    need = clear_need(h, cfg)
    reach = cfg.follow_rel * h
    top, bottom = int(max(0, ly0 - reach)), int(min(H, np.ceil(ly1 + reach)))
    r0, r1 = int(max(0, ly0)), int(min(H, np.ceil(ly1)))
    tol = max(2.0, cfg.align_rel * h)
    ok = np.zeros(len(idx), bool)
    refused: list[tuple[int, tuple]] = []
    for n, k in enumerate(idx):
        gx0, gx1 = _gap_span(sb, k, W)
        band = _follow_band(ink, gx0, gx1, r0, r1, top, bottom, need)
        if band is None:
            continue
        c0, c1, up, down = band
        span = int(max(4, h))
        ends = _ink_edges(ink, _line_cores(page_boxes, r0 - up, r1 + down, c0 - span, c0), max(0, c0 - span), c0, last=True)
        starts = _ink_edges(ink, _line_cores(page_boxes, r0 - up, r1 + down, c1, c1 + span), c1, min(W, c1 + span), last=False)
        ns, ne = _largest_cluster(starts, tol), _largest_cluster(ends, tol)
        ok[n] = min(ns, ne) >= cfg.follow_side and ns + ne >= cfg.follow_edges
        if not ok[n] and ns >= cfg.ragged_starts:
            ok[n] = _ragged_left(ink, page_boxes, c0, r0 - up, r1 + down, len(starts), cfg.follow_rel * h)
        # Two lines of a column's tail end a few pixels apart in ink though their boxes end
        # together ("months." and "Fahy" under a headline: the full stop's ink stops short),
        # so the grid's own test, which is stricter, is asked at a looser alignment.
        loose = max(tol, cfg.grid_align_rel * h)
        side = sorted((_largest_cluster(starts, loose), _largest_cluster(ends, loose)))
        if not ok[n] and side[0] >= cfg.grid_side:
            # two columns beside the band, but too few of their lines to count the edges (a
            # story's last two or three lines, a column's tail under a rule, a column's one
            # line under its subhead beside the next column's lines): the page's other
            # columns set on the same grid start and end at the same x as this line's two parts.
            # A line alone beside the band (a story's one-row strip under a rule, "…Versuch
            # betei-" | "ligt.") asks more of the grid (``grid_lone_lines``).
            many = cfg.grid_lines if side[1] >= cfg.follow_side else cfg.grid_lone_lines
            ok[n] = _grid_edges(ink, page_boxes, c0, c1, r0, r1, span, need, tol, cfg, lines=many)
            if not ok[n]:
                refused.append((n, (c0, c1, r0, r1, span, need, tol, cfg, many)))
    return ok, refused


def _ragged_left(ink: np.ndarray, page_boxes: np.ndarray, c0: int, y0: int, y1: int, n_right: int,
                 reach: float) -> bool:
    """Is the band's left a column set ragged right beside the ``n_right`` lines starting on its
    right: a text line (rows ``y0:y1``) for each of them whose ink ends before the band (column
    ``c0``), within ``reach`` px of it? Blank paper or a lone word beside aligned starts (a
    hanging indent, a label) is no column."""
    x0 = max(0, int(c0 - reach))
    rows = _line_cores(page_boxes, y0, y1, x0, c0)
    return len(_ink_edges(ink, rows, x0, c0, last=True)) >= n_right


def _grid_edges(ink: np.ndarray, page_boxes: np.ndarray, c0: int, c1: int, r0: int, r1: int,
                span: int, need: int, tol: float, cfg: SplitConfig, lines: int | None = None) -> bool:
    """Do ``lines`` (default ``cfg.grid_lines``) other text lines of the page end between this line's left part
    (its ink in rows ``r0:r1`` left of the band ``c0:c1``) and the band, and as many start
    between the band and its right part? Column edges repeat down the page's grid; the words
    beside a gap inside a justified line are no line's first or last."""
    H, W = ink.shape
    q = (r1 - r0) // 4
    own = ink[r0 + q:r1 - q]
    left = own[:, max(0, c0 - span):c0].any(axis=0)
    right = own[:, c1:min(W, c1 + span)].any(axis=0)
    if not left.any() or not right.any():
        return False
    xe = max(0, c0 - span) + int(np.flatnonzero(left)[-1])   # last inked column of the left part
    xs = c1 + int(np.flatnonzero(right)[0])                  # first inked column of the right part
    t = int(np.ceil(tol))
    pad = 0.5 * (r1 - r0)
    many = cfg.grid_lines if lines is None else lines
    return (_edge_count(ink, page_boxes, c1, xs + t, r0, r1, need, pad, start=True) >= many
            and _edge_count(ink, page_boxes, xe - t, c0, r0, r1, need, pad, start=False) >= many)


def _edge_count(ink: np.ndarray, page_boxes: np.ndarray, a: int, b: int, r0: int, r1: int,
                need: int, pad: float, *, start: bool) -> int:
    """Text lines of the page (outside rows ``r0:r1``) that begin in columns ``a..b`` — box
    (up to ``pad`` before it: the detector's margin) and ink, after ``need`` columns of clear
    paper — or (``start`` false) end there, with as much paper after them. The paper is
    counted from each line's own first (last) ink: a line that ends a few columns before ``b``
    needs ``need`` columns after its end, not after ``b`` (where a column of another story, set
    on a narrower gutter, may already begin — fr-4100129: "d'information" | "de Genève" stayed
    whole when the band's edge moved by 1 px)."""
    H, W = ink.shape
    lo, hi = (a - need, b + 1) if start else (a, b + need + 1)
    if lo < 0 or hi > W or b < a:
        return 0
    # lines whose box begins (ends) there: a column's lines, not words inside a wider line
    edge = page_boxes[:, 0] if start else page_boxes[:, 2]
    near = (edge >= a - pad) & (edge <= b) if start else (edge >= a) & (edge <= b + pad)
    rows = _line_cores(page_boxes[near], 0, H, a, b + 1)
    if len(rows) == 0:
        return 0
    rows = np.clip(rows[(rows[:, 1] <= r0) | (rows[:, 0] >= r1)], 0, H)
    if len(rows) == 0:
        return 0
    cs = np.concatenate([np.zeros((1, hi - lo), np.int32), np.cumsum(ink[:, lo:hi], axis=0, dtype=np.int32)])
    cols = (cs[rows[:, 1]] - cs[rows[:, 0]]) > 0
    # columns a..b of the window, and ink counted along each line's columns
    inner = cols[:, need:] if start else cols[:, :b - a + 1]
    inked = inner.any(axis=1)
    run = np.concatenate([np.zeros((len(cols), 1), np.int32), np.cumsum(cols, axis=1, dtype=np.int32)], axis=1)
    k = np.arange(len(cols))
    if start:  # first ink in a..b, none in the ``need`` columns before it
        first = need + inner.argmax(axis=1)
        return int((inked & (run[k, first] - run[k, first - need] == 0)).sum())
    last = b - a - inner[:, ::-1].argmax(axis=1)  # last ink in a..b, none in the ``need`` after it
    return int((inked & (run[k, last + 1 + need] - run[k, last + 1] == 0)).sum())


def _line_cores(boxes: np.ndarray, y0: float, y1: float, x0: float, x1: float) -> np.ndarray:
    """Row ranges ``(K, 2)`` of the text lines whose boxes reach into columns ``x0:x1`` and lie
    in rows ``y0:y1``: the middle half of each box (the x-height: accents and descenders of
    neighbouring lines touch, x-heights do not), pieces of one row merged. Asked for one side
    of a gap at a time, since the two columns' lines need not share baselines."""
    if len(boxes) == 0:
        return np.zeros((0, 2), int)
    yc = (boxes[:, 1] + boxes[:, 3]) / 2
    q = (boxes[:, 3] - boxes[:, 1]) / 4
    sel = (boxes[:, 0] < x1) & (boxes[:, 2] > x0) & (boxes[:, 1] >= y0 - 1) & (boxes[:, 3] <= y1 + 1)
    a, b = np.floor(yc[sel] - q[sel]), np.ceil(yc[sel] + q[sel])
    if len(a) == 0:
        return np.zeros((0, 2), int)
    order = np.argsort(a, kind="stable")
    a, b = a[order], b[order]
    reach = np.maximum.accumulate(b)
    new = np.concatenate([[True], a[1:] > reach[:-1]])  # starts a range of its own
    lo = a[new]
    hi = np.maximum.reduceat(b, np.flatnonzero(new))
    return np.stack([lo, hi], axis=1).astype(int)


def _ink_edges(ink: np.ndarray, rows: np.ndarray, x0: int, x1: int, *, last: bool) -> np.ndarray:
    """Per text line (row range in ``rows``) with ink in columns ``x0:x1``: how far its ink
    ends before ``x1`` (``last``: a line left of a gap) or starts after ``x0`` (right of it)."""
    H = ink.shape[0]
    rows = np.clip(rows, 0, H)
    if x1 <= x0 or len(rows) == 0:
        return np.zeros(0)
    y0, y1 = int(rows.min()), int(rows.max())
    # columns inked anywhere in each line's rows (row sums of the window, differenced)
    cs = np.concatenate([np.zeros((1, x1 - x0), np.int32), np.cumsum(ink[y0:y1, x0:x1], axis=0, dtype=np.int32)])
    cols = (cs[rows[:, 1] - y0] - cs[rows[:, 0] - y0]) > 0
    cols = cols[cols.any(axis=1)]
    return (cols[:, ::-1] if last else cols).argmax(axis=1).astype(float)


def _largest_cluster(values: np.ndarray, tol: float) -> int:
    """Most values that fit in one window of width ``tol``."""
    if len(values) == 0:
        return 0
    v = np.sort(values)
    return int((np.searchsorted(v, v + tol, side="right") - np.arange(len(v))).max())


def _follow_band(ink: np.ndarray, gx0: int, gx1: int, r0: int, r1: int, top: int, bottom: int,
                need: int) -> tuple[int, int, int, int] | None:
    """The ink-free band (``need`` columns or more) through rows ``r0:r1`` of columns
    ``gx0:gx1`` that runs furthest up (towards ``top``) and down (towards ``bottom``) together:
    ``(c0, c1, rows up, rows down)``, or None when no band crosses the line itself. Rows inked
    right across the gap (a rule, a photo edge) do not close it."""
    if gx1 - gx0 < need or r1 <= r0:
        return None
    win = ink[top:bottom, gx0:gx1]
    win = win & ~win.all(axis=1, keepdims=True)
    own = win[r0 - top : r1 - top]
    if own.all(axis=1).any():
        return None
    up_rows = np.concatenate([own, win[: r0 - top][::-1]])  # the line, then outward
    down_rows = np.concatenate([own[::-1], win[r1 - top :]])
    up = _depth(up_rows) - (r1 - r0)
    down = _depth(down_rows) - (r1 - r0)
    u = np.lib.stride_tricks.sliding_window_view(up, need).min(axis=1)
    d = np.lib.stride_tricks.sliding_window_view(down, need).min(axis=1)
    ok = (u >= 0) & (d >= 0)
    if not ok.any():
        return None
    best = int(np.argmax(np.where(ok, u + d, -1)))
    c0 = best
    c1 = best + need
    while c1 < len(up) and up[c1] >= u[best] and down[c1] >= d[best]:
        c1 += 1
    while c0 > 0 and up[c0 - 1] >= u[best] and down[c0 - 1] >= d[best]:
        c0 -= 1
    return gx0 + c0, gx0 + c1, int(u[best]), int(d[best])


def _depth(rows: np.ndarray) -> np.ndarray:
    """Per column, how many leading rows are ink-free."""
    inked = rows.any(axis=0)
    return np.where(inked, rows.argmax(axis=0), len(rows))


def clear_need(h: float, cfg: SplitConfig) -> int:
    """Pixels of ink-free band that make a gutter in a line of height ``h`` ("at least 0.22·h":
    16.5 px needs 17)."""
    return max(2, int(np.ceil(cfg.min_clear_rel * h - 1e-9)))


def gap_columns(win: np.ndarray, h: float) -> tuple[bool, np.ndarray]:
    """For the ink of the lines above and below a gap (rows × the gap's columns), in lines of
    height ``h``: does a vertical rule run through it, and which columns belong to the gutter —
    clear of ink, or a dashed hairline rule down it (:func:`_hairline`). Rows inked right across
    (a photo edge, a horizontal rule) say nothing. Shared by the splitter and the joiner
    (:mod:`broadsheet.ocr.merge`), which must agree on what a gutter is."""
    win = win[~win.all(axis=1)]
    col = win.sum(axis=0)
    height = max(len(win), 1)
    clear = col <= max(1, int(0.01 * height))
    return bool((col >= 0.85 * height).any()), clear | _hairline(col / height, clear, h)


def _clear_band_in(ink, sb, idx, y0: int, y1: int, ly0, ly1, h, cfg, min_lines: int, *,
                   dashed: bool = False, reach: float = 1.0) -> np.ndarray:
    """For gaps ``idx``: a clear band (or a rule) through rows ``y0:y1``, with ``min_lines``
    text lines beside it. ``dashed``: rows of a horizontal rule across the gap do not close the
    band (:func:`_across_rules`; CJK only: the Latin test counts two lines in its window, and
    past a rule a river of word spaces over two lines can pass it)."""
    W = ink.shape[1]
    need = clear_need(h, cfg)
    ok = np.zeros(len(idx), bool)
    for n, k in enumerate(idx):
        gx0, gx1 = _gap_span(sb, k, W)
        if gx1 - gx0 < 2 or y1 <= y0:
            continue
        win = ink[y0:y1, gx0:gx1]
        if dashed:
            win = win[~_across_rules(ink, y0, y1, gx0, gx1, h)]
        rule, clear = gap_columns(win, h)
        if rule:
            ok[n] = True
            continue
        ok[n] = _longest_run(clear) >= need and (
            min_lines == 0 or _text_on_both_sides(ink, y0, y1, ly0, ly1, gx0, gx1, h, min_lines, reach=reach))
    return ok


def _across_rules(ink: np.ndarray, y0: int, y1: int, gx0: int, gx1: int, h: float) -> np.ndarray:
    """Rows ``y0:y1`` that belong to a horizontal rule across a gap's columns ``gx0:gx1``, dashed
    ones too: runs of at most :func:`rule_width` rows inked over half of the columns 3·h either
    side of the gap, with paper right above and below them; a scan blurs a rule by a partly
    inked row on each side (5 rows, 0.32–0.73 at the edges, for a 4 px rule under 40 px type),
    which counts with it. A dashed rule under a column's last lines inks part of the gap (its
    dashes do not line up with the gutter), and is no text running through it ("…作为" |
    "任务的16%。" over a dashed rule)."""
    H, W = ink.shape
    out = np.zeros(max(y1 - y0, 0), bool)
    if y1 <= y0:
        return out
    reach = int(3 * h)
    a, b = max(0, y0 - 1), min(H, y1 + 1)
    fill = ink[a:b, max(0, gx0 - reach) : min(W, gx1 + reach)].mean(axis=1)
    # runs of rows with some ink, paper (under a tenth) right above and below each
    inked = np.concatenate([[False], fill >= 0.1, [False]])
    d = np.diff(inked.astype(np.int8))
    for s, e in zip(np.flatnonzero(d == 1), np.flatnonzero(d == -1)):  # rows s..e-1 of fill
        # a rule: a dense core, and no taller than a hairline and a row of blur either side
        if e - s > rule_width(h) + 2 or not (fill[s:e] >= 0.5).any():
            continue
        lo, hi = a + s - y0, a + e - y0
        out[max(0, lo) : max(0, hi)] = True
    return out


def _hairline(fill: np.ndarray, clear: np.ndarray, h: float) -> np.ndarray:
    """Columns of a dashed or broken hairline rule down a gutter: one run of inked columns
    (``fill``: share of the window's rows) over ``RULE_FILL``, at most :func:`rule_width` wide,
    with at most one column of blur either side and clear paper beyond. They cut the clear band
    in two but are part of the gutter. (A scan blurs a 3–4 px rule into a column at 0.01–0.3 on
    one or both sides, neither paper nor rule: asked for paper right beside the rule, a 20 px
    gutter's band fell to its two 7–9 px halves, under the 11 px a 48 px line needs, and 23
    rows of seed 240's 24000723 stayed read across such gutters. A glyph's strokes in the
    lines above and below fade over two columns or more.)"""
    out = np.zeros_like(clear)
    core = (fill >= RULE_FILL) & ~clear
    if not core.any():
        return out
    runs = []
    for a, b in zip(*_runs(~clear)):
        c = np.flatnonzero(core[a:b])
        if (a > 0 and b < len(clear) and len(c) and c[0] <= 1 and b - a - 1 - c[-1] <= 1
                and len(c) == c[-1] - c[0] + 1 and len(c) <= rule_width(h)):
            runs.append((a, b))
    if len(runs) == 1:           # one rule; several thin strokes are a headline's
        out[runs[0][0] : runs[0][1]] = True
    return out


def rule_width(h: float) -> float:
    """Widest hairline rule, in px, in lines of height ``h``."""
    return max(3.0, 0.12 * h)


def _text_on_both_sides(ink: np.ndarray, y0: int, y1: int, ly0, ly1, gx0: int, gx1: int, h,
                        min_lines: int, *, either: bool = False, reach: float = 1.0) -> bool:
    """A gutter separates *columns*: at least ``min_lines`` other text lines, above or below, must
    have ink just left and just right of it (``either``: left or right will do; ``reach``: within
    this many line heights of it).

    Without this an isolated line (a byline, a caption, a Latin line under Chinese text) would be
    cut at a word space that happens to be clear of the one line next to it.
    """
    W = ink.shape[1]
    reach = int(max(4, reach * h))
    min_run = max(3, int(0.3 * h))
    lines_seen = 0
    for a, b in ((y0, int(max(y0, ly0))), (int(min(y1, ly1)), y1)):
        if b <= a:
            continue
        left = ink[a:b, max(0, gx0 - reach) : gx0].any(axis=1)
        right = ink[a:b, gx1 : min(W, gx1 + reach)].any(axis=1)
        both = np.concatenate([[0], ((left | right) if either else (left & right)).astype(np.int8), [0]])
        d = np.diff(both)
        lengths = np.flatnonzero(d == -1) - np.flatnonzero(d == 1)
        lines_seen += int((lengths >= min_run).sum())
    return lines_seen >= min_lines


def _between_centres(sb: np.ndarray, x0: int) -> tuple[np.ndarray, np.ndarray]:
    """Columns ``[a, b)`` (relative to ``x0``) between the centres of consecutive glyphs ``sb``:
    from the first whole column right of one centre to the last left of the next."""
    centre = (sb[:, 0] + sb[:, 2]) / 2 - x0
    return np.maximum(0, np.ceil(centre[:-1])).astype(int), np.floor(centre[1:]).astype(int)


def widest_runs(mask: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """(K, 3) int: width, start and end (exclusive) of the widest run of True in each slice
    ``mask[a[k]:b[k]]`` of a 1-D boolean array, in ``mask``'s columns; the leftmost of equally
    wide ones; zeros where the slice holds none (or ``b[k] <= a[k]``).

    All slices at once, as a (K, runs) array of the mask's runs clipped to each slice, instead
    of finding runs slice by slice: a page's lines ask this for ≈ 16 000 glyph gaps.
    """
    a = np.asarray(a, int)
    b = np.minimum(np.asarray(b, int), len(mask))  # a slice stops at the array's end
    out = np.zeros((len(a), 3), int)
    starts, ends = _runs(mask)
    if not len(starts) or not len(a):
        return out
    s = np.maximum(starts[None, :], a[:, None])
    e = np.minimum(ends[None, :], b[:, None])
    best = np.argmax(e - s, axis=1)  # first of the widest: runs are in order
    rows = np.arange(len(a))
    s, e = s[rows, best], e[rows, best]
    hit = e > s
    out[hit] = np.stack([e - s, s, e], axis=1)[hit]
    return out


def longest_runs(mask: np.ndarray) -> np.ndarray:
    """(R,) int: the longest run of True in each row of an (R, C) boolean array (0 where none);
    all rows in one pass instead of one :func:`_runs` per row."""
    rows, cols = mask.shape
    out = np.zeros(rows, int)
    if rows == 0 or cols == 0:
        return out
    pad = np.zeros((rows, cols + 2), np.int8)
    pad[:, 1:-1] = mask
    d = np.diff(pad, axis=1)
    r, start = np.nonzero(d == 1)  # row-major: each row's starts and ends in the same order
    end = np.nonzero(d == -1)[1]
    np.maximum.at(out, r, end - start)
    return out


def _runs(mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(starts, ends) of the runs of True in a 1-D boolean array (ends exclusive)."""
    d = np.diff(np.concatenate([[0], mask.astype(np.int8), [0]]))
    return np.flatnonzero(d == 1), np.flatnonzero(d == -1)


def _longest_run(mask: np.ndarray) -> int:
    """Length of the longest run of True in a 1-D boolean array."""
    if not mask.any():
        return 0
    starts, ends = _runs(mask)
    return int((ends - starts).max())


def _apply_cuts(line: OcrLine, cuts: np.ndarray) -> list[OcrLine]:
    boxes = np.asarray(line.chars, float)
    bounds = np.concatenate([[0], cuts + 1, [len(line.text)]])
    pieces: list[OcrLine] = []
    for a, b in zip(bounds[:-1], bounds[1:]):
        text = line.text[a:b]
        lead = len(text) - len(text.lstrip())
        trail = len(text.rstrip())
        if trail <= lead:
            continue
        seg = boxes[a + lead : a + trail]
        x0, y0 = seg[:, 0].min(), seg[:, 1].min()
        x1, y1 = seg[:, 2].max(), seg[:, 3].max()
        poly = ((float(x0), float(y0)), (float(x1), float(y0)), (float(x1), float(y1)), (float(x0), float(y1)))
        pieces.append(OcrLine(poly, text[lead:trail], line.confidence, tuple(map(tuple, seg))))
    return pieces


# --------------------------------------------------------------------------- headline quotes

_CJK = r"\u3400-\u9fff\uf900-\ufaff"
_QUOTE_RUN = re.compile(r"(?<![0-9０-９.,%])(66|99|6|9)(?![0-9０-９.,%])")
_CJK_CHAR = re.compile(rf"[{_CJK}]")
def _mostly_cjk(text: str) -> bool:
    """More than half of the line's non-space characters are CJK ideographs."""
    return sum(bool(_CJK_CHAR.match(c)) for c in text) > 0.5 * sum(not c.isspace() for c in text)


_CJK_CLOSING = "，。、；：？！”’）》」』】…—·"
_CJK_OPENING = "“‘（《「『【"
# Measure words and units that follow a real number in Chinese ("66个", "99年", "66万元").
_MEASURE = frozenset("个年月日号时分秒万亿元家名人项岁天次位台辆件条只种倍米吨亩届期版")


def fix_quote_marks(
    lines: list[OcrLine], *, image: np.ndarray | None = None, tall_factor: float = 1.8,
    ink: np.ndarray | None = None,
) -> list[OcrLine]:
    """Turn "66"/"99" read in tall (headline) lines back into “ / ”.

    Only in lines at least ``tall_factor`` × the median line height, only for 6/66/9/99 runs not
    part of a number and next to CJK text; with an ``image`` and character boxes, only when the
    run's ink stays in the upper ~55 % of the line (quote marks hang high; digits fill the line).
    """
    if not lines:
        return list(lines)
    heights = np.array([l.bbox[3] - l.bbox[1] for l in lines])
    med = float(np.median(heights))
    lines = _absorb_stray_quotes(list(lines), tall_factor * med)
    heights = np.array([l.bbox[3] - l.bbox[1] for l in lines])
    if ink is None and image is not None:
        ink = ink_mask(image)
    out = []
    for line, h in zip(lines, heights):
        if h < tall_factor * med or not _QUOTE_RUN.search(line.text):
            out.append(line)
            continue
        out.append(_fix_line_quotes(line, ink))
    return out


_STRAY_QUOTE = {"6": "“", "66": "“", "“": "“", "9": "”", "99": "”", "”": "”"}


def _absorb_stray_quotes(lines: list[OcrLine], tall: float, *, cjk_only: bool = False) -> list[OcrLine]:
    """A big headline's opening quote is sometimes detected as a line of its own and read as
    "66" (or "99" for a closing one). Such a scrap, on the same row as a headline line and
    touching it, becomes that line's “ (before it) or ” (after it). ``cjk_only``: only into
    CJK headline lines, which keep their character boxes (the mark's box added) — the way
    :func:`~broadsheet.ocr.merge.join_row_pieces` calls it, so that a headline cut at the
    quote ("引资" | "66" | "一产") is joined at a quote mark."""
    boxes = np.array([l.bbox for l in lines], float)
    drop: set[int] = set()
    texts = [l.text for l in lines]
    grown = [l.bbox for l in lines]
    chars = [l.chars for l in lines]
    for i, line in enumerate(lines):
        mark = _STRAY_QUOTE.get(line.text.strip())
        x0, y0, x1, y1 = boxes[i]
        if mark is None or (x1 - x0) > 1.6 * (y1 - y0):
            continue
        yo = np.minimum(boxes[:, 3], y1) - np.maximum(boxes[:, 1], y0)
        h = boxes[:, 3] - boxes[:, 1]
        row = (yo > 0.5 * (y1 - y0)) & (h >= tall) & (np.arange(len(lines)) != i)
        if cjk_only:
            row &= np.array([_mostly_cjk(t) for t in texts])
        right = row & (boxes[:, 0] - x1 > -(x1 - x0)) & (boxes[:, 0] - x1 < 0.6 * h)
        left = row & (x0 - boxes[:, 2] > -(x1 - x0)) & (x0 - boxes[:, 2] < 0.6 * h)
        if mark == "“" and right.any():
            t = int(np.argmin(np.where(right, boxes[:, 0], np.inf)))
            texts[t] = mark + texts[t]
        elif mark == "”" and left.any():
            t = int(np.argmax(np.where(left, boxes[:, 2], -np.inf)))
            texts[t] = texts[t] + mark
        else:
            continue
        g = grown[t]
        grown[t] = (min(g[0], x0), min(g[1], y0), max(g[2], x1), max(g[3], y1))
        if cjk_only and chars[t] is not None and len(chars[t]) == len(texts[t]) - 1:
            mbox = (float(x0), float(y0), float(x1), float(y1))
            chars[t] = (mbox, *chars[t]) if mark == "“" else (*chars[t], mbox)
        else:
            chars[t] = None
        drop.add(i)
    if not drop:
        return lines
    out = []
    for i, line in enumerate(lines):
        if i in drop:
            continue
        if texts[i] != line.text:
            bx0, by0, bx1, by1 = grown[i]
            line = OcrLine(((bx0, by0), (bx1, by0), (bx1, by1), (bx0, by1)), texts[i], line.confidence, chars[i])
        out.append(line)
    return out


def _fix_line_quotes(line: OcrLine, ink) -> OcrLine:
    text = line.text
    chars = list(line.chars) if line.chars and len(line.chars) == len(text) else None
    new_text: list[str] = []
    new_chars: list = []
    pos = 0
    for m in _QUOTE_RUN.finditer(text):
        a, b = m.span()
        before = text[a - 1] if a > 0 else ""
        after = text[b] if b < len(text) else ""
        is_quote = bool(_CJK_CHAR.match(before) or _CJK_CHAR.match(after)) and after not in _MEASURE
        if is_quote and ink is not None and chars is not None:
            is_quote = _ink_hangs_high(ink, np.asarray(chars[a:b], float), line.bbox)
        new_text.append(text[pos:a])
        if chars:
            new_chars.extend(chars[pos:a])
        if is_quote:
            new_text.append("“" if m.group(1)[0] == "6" else "”")
            if chars:
                seg = np.asarray(chars[a:b], float)
                new_chars.append((seg[:, 0].min(), seg[:, 1].min(), seg[:, 2].max(), seg[:, 3].max()))
        else:
            new_text.append(m.group(1))
            if chars:
                new_chars.extend(chars[a:b])
        pos = b
    new_text.append(text[pos:])
    if chars:
        new_chars.extend(chars[pos:])
    fixed = "".join(new_text)
    if fixed == text:
        return line
    return OcrLine(line.polygon, fixed, line.confidence, tuple(new_chars) if chars else None)


def _ink_hangs_high(ink: np.ndarray, seg: np.ndarray, bbox) -> bool:
    x0, x1 = int(seg[:, 0].min()), int(np.ceil(seg[:, 2].max()))
    y0, y1 = int(bbox[1]), int(np.ceil(bbox[3]))
    rows = np.flatnonzero(ink[y0:y1, x0:x1].any(axis=1))
    if len(rows) == 0:
        return False
    return rows[-1] <= 0.55 * (y1 - y0)


# --------------------------------------------------------------------------- duplicated glyphs


def trim_overlaps(lines: list[OcrLine], *, min_y_overlap: float = 0.6) -> list[OcrLine]:
    """Drop characters read twice where two detector boxes of one text line overlap.

    A big headline is sometimes detected as two boxes that share a glyph ("…交出" + "出“硬核”…").
    For pairs of lines that overlap in x and share ≥ ``min_y_overlap`` of the smaller height
    (found as N×N masks), the right-hand line loses the characters whose centres fall inside the
    left-hand line. Lines without character boxes are left alone.
    """
    from broadsheet.layout.geometry import overlap_x, overlap_y

    if len(lines) < 2:
        return list(lines)
    b = np.array([l.bbox for l in lines], float)
    h = b[:, 3] - b[:, 1]
    oy = overlap_y(b, b) / np.maximum(np.minimum(h[:, None], h[None, :]), 1.0)
    ox = overlap_x(b, b)
    left_of = (b[:, None, 0] < b[None, :, 0]) & (b[:, None, 2] < b[None, :, 2])  # i starts left of j
    pair = (oy >= min_y_overlap) & (ox > 0) & left_of
    np.fill_diagonal(pair, False)
    if not pair.any():
        return list(lines)
    out = list(lines)
    for j in np.flatnonzero(pair.any(axis=0)):
        line = out[j]
        if not line.chars or len(line.chars) != len(line.text):
            continue
        cut = float(b[pair[:, j], 2].max())  # right edge of the overlapping left-hand line(s)
        cb = np.asarray(line.chars, float)
        keep = (cb[:, 0] + cb[:, 2]) / 2 > cut
        if keep.all() or not keep.any():
            continue
        first = int(np.argmax(keep))
        if not keep[first:].all():
            continue  # not a clean prefix overlap; leave it
        text = line.text[first:].lstrip()
        first += len(line.text[first:]) - len(text)
        seg = cb[first:]
        x0, y0, x1, y1 = seg[:, 0].min(), seg[:, 1].min(), seg[:, 2].max(), seg[:, 3].max()
        poly = ((float(x0), float(y0)), (float(x1), float(y0)), (float(x1), float(y1)), (float(x0), float(y1)))
        out[j] = OcrLine(poly, text, line.confidence, tuple(map(tuple, seg)))
    return out
