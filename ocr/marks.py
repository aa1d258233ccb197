"""Chinese marks the recogniser read half width or never saw.

- :func:`full_width_marks`: Chinese text sets its colon, comma, semicolon, question and
  exclamation marks full width, one cell each ("：", "，", "；", "？", "！"); on degraded scans the
  PP-OCR recogniser reads the colon as the ASCII ":" now and then ("云南普洱:", "他笑着说:“这就是";
  43 times on 13 generated zh scans). A half-width mark between Han text and Han text, an
  opening or closing CJK mark, or the end of the line is the full-width one: text in Latin
  letters or digits ("CEO:", "10:30") keeps its mark. The text keeps its length, so the
  character boxes stay as they are.
- :func:`line_end_marks`: the detector ends a line's box at its last glyph and leaves a closing
  quote after "。" or a headline's trailing dash outside ("做云计算。" + "”", "世界提前开园" +
  "——"); they are read from the ink right of the box.
- :func:`dashes_read_as_one`: the recogniser reads a dash "—" between or after Han glyphs as
  the Han numeral "一" ("项目招商—要素保障" → "项目招商一要素保障"; 167 of 372 dashes read on
  48 seed and zh scans). The ideograph sits on the Han glyphs' middle; a dash with Latin
  metrics (as the generator's Noto faces set it) sits lower, near the x-height's middle. A
  "一" whose ink is a lone thin bar below the middle of the Han glyphs beside it is the dash.

See docs/ocr.md, "Chinese marks and word spaces on degraded scans".
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Sequence

import numpy as np

from .charclass import HAN_CHAR, HAN_CLASS, han_advance
from .types import OcrLine

FULL_WIDTH = {":": "：", ",": "，", ";": "；", "?": "？", "!": "！"}
#: a mark after a Han glyph (or a CJK closing mark) and before a Han glyph, a CJK mark or the end
_HALF = re.compile(f"(?<=[{HAN_CLASS}”’）》」』])[:,;?!](?=[{HAN_CLASS}“‘”’（《「『]|\\s*$)")


def full_width_marks(lines: Sequence[OcrLine]) -> list[OcrLine]:
    """``lines`` with half-width marks in Han text made full width (see the module doc); lines
    with nothing to change come back as the same objects."""
    out = []
    for ln in lines:
        text = _HALF.sub(lambda m: FULL_WIDTH[m.group(0)], ln.text)
        out.append(ln if text == ln.text else replace(ln, text=text))
    return out


# --------------------------------------------------------------------------- marks past the box

#: What a Han line may end in before a closing quote the detector left outside its box.
SENTENCE_END = frozenset("。！？…")
#: Dashes the recogniser reads for part of a "——" at a line's end.
_DASHES = frozenset("—-一－─")


@dataclass(frozen=True, kw_only=True)
class EndMarkConfig:
    """``reach``: the mark must start within this many advances past the last glyph's cell;
    ``clear``: paper (advances) after the mark, or the window's end; ``quote_top``: a closing
    quote's ink lies in this top share of the line's rows; ``quote_width``: and is at most this
    many advances wide; ``dash_rows``: a dash's ink is at most this share of the line's rows tall
    and ``dash_mid`` its middle lies within this distance of the rows' middle (shares)."""

    reach: float = 0.9
    clear: float = 0.5
    quote_top: float = 0.5
    quote_width: float = 0.6
    dash_rows: float = 0.2
    dash_mid: float = 0.2


def _glyph_rows(ink: np.ndarray, x0, y0, x1, y1) -> tuple[int, int] | None:
    """The rows a line's glyphs ink: the longest run of the box's rows inked over 1 % of its
    width (the detector's box also takes in the foot of the line above and the head of the one
    below)."""
    H, W = ink.shape
    r0, r1 = max(int(round(y0)), 0), min(int(round(y1)), H)
    c0, c1 = max(int(round(x0)), 0), min(int(round(x1)), W)
    if r1 - r0 < 2 or c1 - c0 < 2:
        return None
    on = np.concatenate([[0], (ink[r0:r1, c0:c1].sum(axis=1) > 0.01 * (c1 - c0)).astype(np.int8), [0]])
    d = np.diff(on)
    starts, ends = np.flatnonzero(d == 1), np.flatnonzero(d == -1)
    if len(starts) == 0:
        return None
    k = int(np.argmax(ends - starts))
    return r0 + int(starts[k]), r0 + int(ends[k])


def _end_mark(line: OcrLine, ink: np.ndarray, others: np.ndarray, cfg: EndMarkConfig) -> tuple[str, int, tuple] | None:
    """The mark the detector left past ``line``'s last glyph: ("”" or "——" / "—", how many
    trailing characters it replaces, its box), or None."""
    text, chars = line.text, line.chars
    if chars is None or len(chars) != len(text) or len(text) < 2 or not HAN_CHAR.search(text):
        return None
    x0, y0, x1, y1 = line.bbox
    h = y1 - y0
    if h <= 0 or x1 - x0 < h:
        return None
    # a dash read in part ("馆-", "园一", "园—") is measured again from the glyph before it
    drop = 1 if text[-1] in _DASHES and HAN_CHAR.match(text[-2]) else 0
    last = text[-1 - drop]
    if not (HAN_CHAR.match(last) or last in SENTENCE_END or last in "”’"):
        return None
    lc = chars[-1 - drop]
    centre = (lc[0] + lc[2]) / 2
    H, W = ink.shape
    rows = _glyph_rows(ink, x0, y0, x1, y1)
    if rows is None:
        return None
    g0, g1 = rows
    gh = g1 - g0
    # the line's advance; a line of one Han glyph and its marks ("入。") has its glyphs' height
    adv = han_advance(line.text, line.chars) or float(gh)
    r0, r1 = max(int(round(g0 - 0.15 * gh)), 0), min(int(round(g1)), H)
    # the window opens at the first paper column right of the last glyph's centre
    s0, s1 = max(int(round(centre)), 0), min(int(round(centre + adv)), W)
    if gh < 4 or s1 <= s0:
        return None
    paper = np.flatnonzero(~ink[r0:r1, s0:s1].any(axis=0))
    if len(paper) == 0:
        return None
    c0 = s0 + int(paper[0])
    c1 = min(int(round(centre + (0.5 + cfg.reach + 2.6) * adv)), W)
    if c1 - c0 < 2:
        return None
    win = ink[r0:r1, c0:c1]
    cols = np.flatnonzero(win.any(axis=0))
    if len(cols) == 0 or c0 + cols[0] > centre + (0.5 + cfg.reach) * adv:
        return None
    # the mark: ink columns from the first one on, until paper of clear·adv
    gaps = np.flatnonzero(np.diff(cols) > cfg.clear * adv)
    end = cols[gaps[0]] + 1 if len(gaps) else cols[-1] + 1
    if not len(gaps) and c1 - (c0 + end) < cfg.clear * adv and c1 < W:
        return None                                   # ink runs on to the window's end
    a, b = c0 + int(cols[0]), c0 + int(end)
    box = (float(a), float(g0), float(b), float(g1))
    # nobody else's line lies there
    if len(others) and np.any((others[:, 0] < b) & (others[:, 2] > a) & (others[:, 1] < g1 - gh / 4)
                              & (others[:, 3] > g0 + gh / 4)):
        return None
    inked = np.flatnonzero(ink[r0:r1, a:b].any(axis=1)) + r0
    top, bot = (inked[0] - g0) / gh, (inked[-1] + 1 - g0) / gh
    width = (b - a) / adv
    if (last in SENTENCE_END and not drop and bot <= cfg.quote_top and bot - top >= 0.15
            and 0.12 <= width <= cfg.quote_width):
        return "”", 0, box
    mid = (top + bot) / 2
    if (HAN_CHAR.match(last) or last in "”’") and bot - top <= cfg.dash_rows and abs(mid - 0.5) <= cfg.dash_mid:
        if width >= 1.5:
            return "——", drop, box
        if width >= 0.7 and not drop:
            return "—", 0, box
    return None


def line_end_marks(lines: Sequence[OcrLine], ink: np.ndarray, config: EndMarkConfig | None = None) -> list[OcrLine]:
    """Put back a closing quote or dash that the detector left outside a Han line's box ("做云计
    算。" + "”", "世界提前开园" + "——"; see docs/ocr.md): the ink right past the line's last glyph,
    within ``reach`` advances, followed by paper, covered by no other line, shaped as the mark —
    a quote small and high after a sentence's end, a dash a thin bar across the middle rows after
    a Han glyph (two advances long: "——"). The line's box grows over the mark."""
    cfg = config or EndMarkConfig()
    return _each_line(lines, lambda ln, others: _end_mark(ln, ink, others, cfg), _with_end_mark)


def _each_line(lines: Sequence[OcrLine], find, put) -> list[OcrLine]:
    """``put(line, found)`` for each line where ``find(line, the other lines' boxes)`` finds a
    mark; the other lines as they are."""
    lines = list(lines)
    boxes = np.array([ln.bbox for ln in lines], dtype=np.float64).reshape(-1, 4)
    out = []
    for k, ln in enumerate(lines):
        found = find(ln, np.delete(boxes, k, axis=0))
        out.append(ln if found is None else put(ln, found))
    return out


def _with_end_mark(ln: OcrLine, found: tuple) -> OcrLine:
    """``ln`` with a closing mark (`_end_mark`) in place of its last ``drop`` characters."""
    mark, drop, box = found
    keep = len(ln.text) - drop
    text = ln.text[:keep] + mark
    chars = list(ln.chars[:keep])
    w = (box[2] - box[0]) / len(mark)
    chars += [(box[0] + i * w, box[1], box[0] + (i + 1) * w, box[3]) for i in range(len(mark))]
    x0, y0, x1, y1 = ln.bbox
    poly = ((x0, y0), (max(x1, box[2]), y0), (max(x1, box[2]), y1), (x0, y1))
    return replace(ln, text=text, chars=tuple(chars), polygon=poly)


def _start_quote(line: OcrLine, ink: np.ndarray, others: np.ndarray, cfg: EndMarkConfig) -> tuple | None:
    """("“" or, at most a quarter advance wide, "‘"; its box) of an opening quote the detector
    left before ``line``'s first glyph, or None: the mirror of :func:`_end_mark`'s quote — ink within ``reach`` advances left of the first
    glyph's cell and outside the detector's box, paper of ``clear`` advances (or the window's
    start) before it, no other line's box over it, small and high as "“" is, and not running down
    from above the glyphs' rows as a frame's edge does."""
    text, chars = line.text, line.chars
    if chars is None or len(chars) != len(text) or len(text) < 2 or not HAN_CHAR.match(text[0]):
        return None
    x0, y0, x1, y1 = line.bbox
    if y1 - y0 <= 0 or x1 - x0 < y1 - y0:
        return None
    rows = _glyph_rows(ink, x0, y0, x1, y1)
    if rows is None:
        return None
    g0, g1 = rows
    gh = g1 - g0
    adv = han_advance(line.text, line.chars) or float(gh)
    H, W = ink.shape
    r0, r1 = max(int(round(g0 - 0.15 * gh)), 0), min(int(round(g1)), H)
    centre = (chars[0][0] + chars[0][2]) / 2
    # the window closes at the first paper column left of the first glyph's centre
    s0, s1 = max(int(round(centre - adv)), 0), max(int(round(centre)), 0)
    if gh < 4 or s1 <= s0:
        return None
    paper = np.flatnonzero(~ink[r0:r1, s0:s1].any(axis=0))
    if len(paper) == 0:
        return None
    c1 = s0 + int(paper[-1]) + 1
    c0 = max(int(round(centre - (0.5 + cfg.reach + 2.6) * adv)), 0)
    if c1 - c0 < 2:
        return None
    cols = np.flatnonzero(ink[r0:r1, c0:c1].any(axis=0))
    if len(cols) == 0 or c0 + cols[-1] + 1 < centre - (0.5 + cfg.reach) * adv:
        return None
    gaps = np.flatnonzero(np.diff(cols) > cfg.clear * adv)
    start = cols[gaps[-1] + 1] if len(gaps) else cols[0]
    if not len(gaps) and start < cfg.clear * adv and c0 > 0:
        return None                                   # ink runs on to the window's start
    a, b = c0 + int(start), c0 + int(cols[-1]) + 1
    if b > x0 + 0.1 * adv:
        return None                                   # inside the box: the glyph's own stroke (宁's 宀)
    if len(others) and np.any((others[:, 0] < b) & (others[:, 2] > a) & (others[:, 1] < g1 - gh / 4)
                              & (others[:, 3] > g0 + gh / 4)):
        return None
    inked = np.flatnonzero(ink[r0:r1, a:b].any(axis=1)) + r0
    top, bot = (inked[0] - g0) / gh, (inked[-1] + 1 - g0) / gh
    width = (b - a) / adv
    # a rule or stroke running down from above the glyphs' rows (a frame's edge) is no quote
    if top >= -0.05 and bot <= cfg.quote_top and bot - top >= 0.15 and 0.12 <= width <= cfg.quote_width:
        return ("‘" if width < 0.25 else "“"), (float(a), float(g0), float(b), float(g1))
    return None


def line_start_quotes(lines: Sequence[OcrLine], ink: np.ndarray, config: EndMarkConfig | None = None) -> list[OcrLine]:
    """Put back an opening quote the detector left outside a Han line's box at its start
    ("说：" / "“我们不会" read "我们不会"): without it a quotation's open end looks closed to the
    stitcher, which then takes any other story's start (24000721's scan). The line's box grows
    over the mark."""
    cfg = config or EndMarkConfig()
    return _each_line(lines, lambda ln, others: _start_quote(ln, ink, others, cfg), _with_start_quote)


def _with_start_quote(ln: OcrLine, found: tuple) -> OcrLine:
    """``ln`` with an opening quote (`_start_quote`) before its first character."""
    mark, box = found
    x0, y0, x1, y1 = ln.bbox
    poly = ((min(x0, box[0]), y0), (x1, y0), (x1, y1), (min(x0, box[0]), y1))
    return replace(ln, text=mark + ln.text, chars=(box, *ln.chars), polygon=poly)


def mid_line_quotes(lines: Sequence[OcrLine], ink: np.ndarray, config: EndMarkConfig | None = None) -> list[OcrLine]:
    """Put back a closing quote lost *inside* a Han line, between a sentence's end and the next
    glyph ("有成效。" + "”" + "赣州经开区"): the detector often boxes the two sides apart, leaves
    the "”" out of both, and :func:`~broadsheet.ocr.merge.join_row_pieces` joins them again
    before :func:`line_end_marks` can see the line's end. The part up to the "。" is judged as a
    line of its own, with the glyphs after the gap as another line's box (the mark must stand
    clear of them); only a quote is put back here, never a dash."""
    cfg = config or EndMarkConfig()
    lines = list(lines)
    boxes = np.array([ln.bbox for ln in lines], dtype=np.float64).reshape(-1, 4)
    out = []
    for k, ln in enumerate(lines):
        text, chars = ln.text, ln.chars
        if chars is None or len(chars) != len(text) or not HAN_CHAR.search(text):
            out.append(ln)
            continue
        others = None                                      # the other lines' boxes, once a gap asks
        x0, y0, x1, y1 = ln.bbox
        for i in range(len(text) - 2, 0, -1):             # right to left: inserting keeps i valid
            if text[i] not in SENTENCE_END or text[i + 1] in "”’" or chars[i + 1][0] - chars[i][2] <= 0:
                continue
            if others is None:
                others = np.delete(boxes, k, axis=0)
            head = OcrLine(((x0, y0), (chars[i][2], y0), (chars[i][2], y1), (x0, y1)), text[:i + 1], ln.confidence,
                           tuple(chars[:i + 1]))
            rest = np.array([[chars[i + 1][0], y0, x1, y1]])
            found = _end_mark(head, ink, np.vstack([others, rest]), cfg)
            if found is None or found[0] != "”":
                continue
            text = text[:i + 1] + "”" + text[i + 1:]
            chars = (*chars[:i + 1], found[2], *chars[i + 1:])
        out.append(ln if text == ln.text else replace(ln, text=text, chars=tuple(chars)))
    return out


#: What the recogniser reads a closing quote after a sentence's end as ("计算。，", "庄稼。'").
_QUOTE_AS = frozenset("，,'")


def quotes_read_as_commas(lines: Sequence[OcrLine], ink: np.ndarray, config: EndMarkConfig | None = None) -> list[OcrLine]:
    """A comma (or "'") read right after a sentence's end ("能做云计算。，") is the closing quote
    "”" when its cell's ink lies high, in the top ``quote_top`` of the line's glyph rows: Chinese
    never sets a comma after "。！？…", and a comma's ink sits low where the quote's sits high
    (7 of the 12 closing quotes missing on 64 seed and zh scans). Han lines only: Latin text
    may set "…," ("and so on…, then"). The text keeps its length."""
    cfg = config or EndMarkConfig()
    out = []
    for ln in lines:
        text, chars = ln.text, ln.chars
        hits = [i for i in range(1, len(text)) if text[i] in _QUOTE_AS and text[i - 1] in SENTENCE_END]
        if not hits or chars is None or len(chars) != len(text) or not HAN_CHAR.search(text):
            out.append(ln)
            continue
        rows = _glyph_rows(ink, *ln.bbox)
        if rows is None or rows[1] - rows[0] < 4:
            out.append(ln)
            continue
        g0, g1 = rows
        new = list(text)
        for i in hits:
            a, b = max(int(round(chars[i][0])), 0), min(int(round(chars[i][2])), ink.shape[1])
            inked = np.flatnonzero(ink[g0:g1, a:b].any(axis=1)) if b > a else np.array([], int)
            if len(inked) == 0:
                continue
            top, bot = inked[0] / (g1 - g0), (inked[-1] + 1) / (g1 - g0)
            if bot <= cfg.quote_top and bot - top >= 0.15:
                new[i] = "”"
        new_text = "".join(new)
        out.append(ln if new_text == text else replace(ln, text=new_text))
    return out


# --------------------------------------------------------------------------- a dash read "一"

@dataclass(frozen=True, kw_only=True)
class DashConfig:
    """Shares of the rows of the Han glyphs beside the "一" (:func:`_local_rows`) and advances.

    ``low``: the bar's middle lies at least this far down those rows (on 48 seed and zh scans
    the Han "一" lies at 0.39–0.52, 1,769 of them; the dash at 0.56–0.66, 372); ``floor``: and
    no lower than this (an underline or a rule); ``thin``: the bar is at most this share of the
    rows tall;
    ``min_width`` / ``max_width``: and this many advances wide (one dash, not a pair or a dot)."""

    low: float = 0.54
    floor: float = 0.8
    thin: float = 0.2
    min_width: float = 0.5
    max_width: float = 1.2


def _bar(ink: np.ndarray, box: tuple, rows: tuple[int, int], adv: float) -> tuple[int, int, int, int] | None:
    """The ink component that crosses the middle columns of the character cell ``box``, within
    the glyph rows (``rows``, widened by a tenth) and an advance either side: (x0, y0, x1, y1)
    in page pixels, or None."""
    import cv2

    H, W = ink.shape
    g0, g1 = rows
    pad = 0.1 * (g1 - g0)
    cx = (box[0] + box[2]) / 2
    r0, r1 = max(int(round(g0 - pad)), 0), min(int(round(g1 + pad)), H)
    c0, c1 = max(int(round(cx - adv)), 0), min(int(round(cx + adv)), W)
    if r1 - r0 < 2 or c1 - c0 < 4:
        return None
    n, lab, stats, _c = cv2.connectedComponentsWithStats(ink[r0:r1, c0:c1].astype(np.uint8), connectivity=8)
    m = int(round(cx)) - c0
    hit = np.unique(lab[:, max(m - 2, 0):m + 3])
    hit = hit[hit > 0]
    if len(hit) == 0:
        return None
    k = int(hit[np.argmax(stats[hit, cv2.CC_STAT_AREA])])
    x, y, w, h = (int(v) for v in stats[k, :4])
    return c0 + x, r0 + y, c0 + x + w, r0 + y + h


def _local_rows(ink: np.ndarray, text: str, chars: Sequence, i: int, rows: tuple[int, int]) -> tuple[int, int] | None:
    """The rows the Han glyphs next to character ``i`` (up to two a side) ink, within the
    line's glyph rows widened by a tenth: the middle a "一" there is measured against, free of
    the line's skew or a scan's warp along it."""
    H, W = ink.shape
    g0, g1 = rows
    pad = 0.1 * (g1 - g0)
    r0, r1 = max(int(round(g0 - pad)), 0), min(int(round(g1 + pad)), H)
    tops, bots = [], []
    for j in (i - 2, i - 1, i + 1, i + 2):
        if not (0 <= j < len(text)) or not HAN_CHAR.match(text[j]) or text[j] == "一":
            continue
        x0, _y0, x1, _y1 = chars[j]
        c0, c1 = max(int(round(x0 + 0.1 * (x1 - x0))), 0), min(int(round(x1 - 0.1 * (x1 - x0))), W)
        inked = np.flatnonzero(ink[r0:r1, c0:c1].any(axis=1)) if c1 > c0 else np.zeros(0, int)
        if len(inked):
            tops.append(r0 + int(inked[0]))
            bots.append(r0 + int(inked[-1]) + 1)
    if not tops:
        return None
    return min(tops), max(bots)


def _line_rows(ink: np.ndarray, line: OcrLine) -> tuple[float, tuple[int, int]] | None:
    """A Han line's advance and glyph rows, or None when it has no two Han glyphs side by side
    or its glyph rows are under 8 px."""
    if line.chars is None or len(line.chars) != len(line.text):
        return None
    adv = han_advance(line.text, line.chars)
    rows = _glyph_rows(ink, *line.bbox)
    if not adv or rows is None or rows[1] - rows[0] < 8:
        return None
    return adv, rows


def one_shape(ink: np.ndarray, line: OcrLine, i: int,
              metrics: tuple[float, tuple[int, int]] | None = None) -> tuple[float, float, float] | None:
    """The ink of character ``i`` of ``line`` (a "一" or a dash) as a bar: (its middle's place
    down the neighbouring Han glyphs' rows, its height as a share of those rows, its width in
    advances), or None when the line has no advance.
    ``metrics``: the line's :func:`_line_rows`, when the caller has them."""
    metrics = metrics or _line_rows(ink, line)
    if metrics is None:
        return None
    adv, rows = metrics
    bar = _bar(ink, line.chars[i], rows, adv)
    if bar is None:
        return None
    # the neighbours' rows, where they are the line's full height (a scan can thin a glyph's
    # long falling stroke out of the ink, "产": then the line's rows)
    local = _local_rows(ink, line.text, line.chars, i, rows)
    n0, n1 = local if local is not None and local[1] - local[0] >= 0.9 * (rows[1] - rows[0]) else rows
    x0, y0, x1, y1 = bar
    nh = n1 - n0
    return ((y0 + y1) / 2 - n0) / nh, (y1 - y0) / nh, (x1 - x0) / adv


def dashes_read_as_one(lines: Sequence[OcrLine], ink: np.ndarray, config: DashConfig | None = None) -> list[OcrLine]:
    """``lines`` with each "一" whose ink is a dash made "—" (see the module doc): in a Han line
    with character boxes, its ink a lone thin bar about an advance wide whose middle lies below
    the middle of the Han glyphs beside it. A "一" of a word (统一, 一个) sits on the middle and
    stays. Lines with nothing to change come back as the same objects; the text keeps its
    length, so the character boxes stay."""
    cfg = config or DashConfig()
    out = []
    for ln in lines:
        metrics = _line_rows(ink, ln) if "一" in ln.text else None
        if metrics is None:
            out.append(ln)
            continue
        new = list(ln.text)
        for i, ch in enumerate(ln.text):
            shape = one_shape(ink, ln, i, metrics) if ch == "一" else None
            if shape is None:
                continue
            mid, tall, width = shape
            if cfg.low <= mid <= cfg.floor and tall <= cfg.thin and cfg.min_width <= width <= cfg.max_width:
                new[i] = "—"
        text = "".join(new)
        out.append(ln if text == ln.text else replace(ln, text=text))
    return out
