"""Printed rules from the page image: long horizontal and vertical lines, double and dashed
rules, and box frames.

How: a rule is a long thin run of ink in one direction, so an opening with a line kernel keeps
it and erases text, whose strokes are short. Each surviving piece is then judged as a whole on
a min-pooled copy of the page (long side ≈ ``max_side``; min-pooling keeps 1-px hairlines):

- its centre line is fitted (pixel moments, then a trimmed per-column refit), so residual skew
  of a couple of degrees and slightly bowed rules are fine;
- its cross-section profile gives the true thickness and the style: one dark core = single,
  two or three cores with paper between = double (thin-thick-thin counts as double), also when
  blur has merged them in the ink mask but not in the grey levels;
- it must be long (≥ ``min_length_frac`` of the page and ``min_length_em`` line heights), thin,
  evenly dark along its length on the area-pooled grey image (a word smeared into a bar by blur
  is not), with paper just above and below and, when short, a free end;
- without OCR line boxes, short candidates that are strokes of big characters (一 二 十 工 in a
  headline: their own component is glyph-shaped, or a glyph-sized component is in line with or
  beside them) are dropped; with line boxes, candidates lying inside a line box are dropped;
- dashed/dotted rules come from a second pass with the gaps closed, and must show a regular
  on/off pattern of dashes along the band.

Styles: ``single``, ``double``, ``dashed``, ``frame``. A box frame (a closed rectangle of rules)
is reported as its four Separators with style ``frame`` (orientation ``h``/``v``; the sides keep
their own bbox) and, by :func:`detect_boxes` / :func:`frame_boxes`, as one :class:`FrameBox` per
rectangle naming its four sides — what the reflow needs to say "this box encloses these lines".
Rules hugging the image edge (scanner borders) are not reported.

Coordinates are absolute scan pixels, x right, y down, boxes ``(x0, y0, x1, y1)``; ids are
numbered top to bottom, then left to right.
"""
from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from .image_regions import (
    as_gray, estimate_text_height, prepare, sort_boxes, text_height,
)
from .model import Separator

Box = tuple[int, int, int, int]


@dataclass(frozen=True, kw_only=True)
class SeparatorConfig:
    """Settings for rule detection. Lengths are fractions of the page's shorter side or
    multiples of the median text height (em), so they hold at any scan resolution."""

    max_side: int = 2000             # work copy's long side (≈150 dpi for a broadsheet at 300 dpi)
    ink_threshold: float = 0.72      # ink = darker than this fraction of the local paper brightness
    seed_length: int = 30            # work px: opening kernel; ≤ run length of a 1-px rule at 1.5° skew
    bridge_gap: int = 1              # work px: breaks (noise, JPEG) closed before solid detection
    dash_length_factor: float = 2.0  # dashed rules are ≥ this × the minimum length (not "——", "……")
    dash_gap: int = 6                # work px: gaps closed to find dashed/dotted rules
    min_length_frac: float = 0.025   # rule length ≥ this × shorter page side …
    min_length_em: float = 1.8       # … and ≥ this × median line height (from the given line boxes)
    min_length_em_image: float = 2.5  # … or × the estimated one when no line boxes are given
    long_length_frac: float = 0.15   # rules this long are trusted even next to busy surroundings
    max_thickness_frac: float = 0.012  # of the shorter side (3000 px page → 36 px)
    max_dash_thickness_frac: float = 0.003
    min_aspect: float = 12.0         # length / thickness
    max_tone_cv: float = 0.25        # CV of darkness along a solid rule (words smeared into bars vary)
    join_gap: int = 4                # work px: collinear pieces this close are one rule (not a word space)
    double_gap_frac: float = 0.0033  # two parallel rules closer than this are a double rule …
    pair_gap_frac: float = 0.004    # … or this, when both run the same length
    clear_max: float = 0.2           # a side is "clear" with at most this ink fraction
    text_overlap: float = 0.6        # drop a candidate this much inside one text line box
    border_frac: float = 0.005       # rules this close to the image edge are scan borders
    frame_tol_frac: float = 0.006    # corner tolerance for box frames
    min_frame_frac: float = 0.03     # a frame's sides are at least this long


@dataclass(frozen=True)
class FrameBox:
    """A rectangle closed by four rules; ``sides`` are Separator ids (top, bottom, left, right)."""

    id: int
    bbox: Box
    sides: tuple[int, int, int, int]

    def to_dict(self) -> dict:
        return {"id": self.id, "bbox": list(self.bbox), "sides": list(self.sides)}


@dataclass(frozen=True)
class _Cand:
    """A rule candidate in work pixels of the *horizontal* frame (vertical ones are transposed)."""

    box: np.ndarray        # (4,) x0, y0, x1, y1 (x1, y1 exclusive)
    thickness: float
    style: str


# --------------------------------------------------------------------------- candidates


@dataclass(frozen=True)
class _Runs:
    """Pieces of long horizontal runs, one row per piece/rule (work pixels).

    Moments let a rule be modelled as a straight band ``y = a + b·x`` (skew-safe), and the
    per-column pixel counts tell an even rule (constant thickness) from a smeared text line.
    """

    box: np.ndarray      # (K, 4) x0, y0, x1, y1 (exclusive ends)
    n: np.ndarray        # pixels
    sx: np.ndarray
    sy: np.ndarray
    sxx: np.ndarray
    sxy: np.ndarray
    ncols: np.ndarray    # columns holding at least one pixel

    def __len__(self) -> int:
        return len(self.box)

    def take(self, idx) -> "_Runs":
        return _Runs(*(getattr(self, k)[idx] for k in _Runs.__dataclass_fields__))

    def group(self, lab: np.ndarray) -> "_Runs":
        """Merge rows with the same label (sums of moments, union of boxes)."""
        m = int(lab.max()) + 1 if len(lab) else 0
        box = np.zeros((m, 4))
        box[:, :2] = np.inf
        box[:, 2:] = -np.inf
        for c, fn in ((0, np.minimum), (1, np.minimum), (2, np.maximum), (3, np.maximum)):
            fn.at(box[:, c], lab, self.box[:, c])
        sums = [np.bincount(lab, weights=getattr(self, k), minlength=m)
                for k in ("n", "sx", "sy", "sxx", "sxy", "ncols")]
        return _Runs(box, *sums)

    @property
    def length(self) -> np.ndarray:
        return self.box[:, 2] - self.box[:, 0]

    @property
    def thickness(self) -> np.ndarray:
        return self.n / np.maximum(self.ncols, 1)

    @property
    def slope(self) -> np.ndarray:
        n = np.maximum(self.n, 1)
        vx = self.sxx / n - (self.sx / n) ** 2
        cxy = self.sxy / n - (self.sx / n) * (self.sy / n)
        return np.where(vx > 1e-6, cxy / np.maximum(vx, 1e-6), 0.0)

    def center_y(self, x: np.ndarray) -> np.ndarray:
        """Centre line height at x (one x per row, or (K, M) for M xs per row)."""
        n = np.maximum(self.n, 1)
        mx, my, b = self.sx / n, self.sy / n, self.slope
        if x.ndim == 2:
            return my[:, None] + b[:, None] * (x - mx[:, None])
        return my + b * (x - mx)


def _hkernel(length: int) -> np.ndarray:
    """A 1×L line kernel of odd length: OpenCV anchors even kernels off-centre, which would
    shift every rule end by a pixel per operation."""
    return np.ones((1, length | 1), np.uint8)


def _pieces(ink: np.ndarray, *, close: int, seed: int, max_t: float, join: int) -> _Runs:
    """Horizontal runs ≥ ``seed`` px after closing gaps ≤ ``close``, as connected pieces no
    thicker than ``max_t`` (text blobs and photos are dropped before any pairwise work).

    Runs whose ends are ≤ ``join`` px apart in the same row are one piece (a rule broken by
    noise); a skewed rule's staircase of runs is one 8-connected piece.
    """
    m = ink.astype(np.uint8)
    if close > 0:
        m = cv2.morphologyEx(m, cv2.MORPH_CLOSE, _hkernel(close + 1))
    m = cv2.morphologyEx(m, cv2.MORPH_OPEN, _hkernel(seed))
    # cut away solid areas taller than a rule (photos, banners, scan borders) so a rule that
    # runs into one is still a thin piece of its own
    tall = int(np.ceil(max_t)) + 1
    m &= ~cv2.morphologyEx(m, cv2.MORPH_OPEN, np.ones((tall | 1, 1), np.uint8)) & 1
    if join > 0:
        m = cv2.morphologyEx(m, cv2.MORPH_CLOSE, _hkernel(join + 1))
    n, labels, st, _ = cv2.connectedComponentsWithStats(m, connectivity=8)
    st = st[1:]
    keep = st[:, 4] <= max_t * st[:, 2]
    remap = np.full(n, -1, np.int64)
    remap[1:][keep] = np.arange(int(keep.sum()))
    st = st[keep]
    k = len(st)
    ys, xs = np.nonzero(m)
    lab = remap[labels[ys, xs]]
    ok = lab >= 0
    ys, xs, lab = ys[ok], xs[ok], lab[ok]
    xs_f, ys_f = xs.astype(np.float64), ys.astype(np.float64)
    st = st.astype(np.float64)
    box = np.stack([st[:, 0], st[:, 1], st[:, 0] + st[:, 2], st[:, 1] + st[:, 3]], axis=1).reshape(-1, 4)
    ncols = st[:, 2].copy()  # a piece is made of runs ≥ seed: its columns are contiguous
    return _Runs(
        box=box,
        n=np.bincount(lab, minlength=k).astype(np.float64),
        sx=np.bincount(lab, weights=xs_f, minlength=k),
        sy=np.bincount(lab, weights=ys_f, minlength=k),
        sxx=np.bincount(lab, weights=xs_f * xs_f, minlength=k),
        sxy=np.bincount(lab, weights=xs_f * ys_f, minlength=k),
        ncols=ncols,
    )


@dataclass(frozen=True)
class _Band:
    """A candidate rule as a straight band: rows ``floor(a + b·x + 0.5) + lo … + hi`` for x in
    [x0, x1). ``cores`` is 1 for a single rule, 2 for a double rule (two dark cores, paper between)."""

    x0: int
    x1: int
    a: float
    b: float
    lo: int
    hi: int
    cores: int

    @property
    def thickness(self) -> int:
        return self.hi - self.lo + 1

    @property
    def length(self) -> int:
        return self.x1 - self.x0

    def rows(self, xs: np.ndarray, offs: np.ndarray) -> np.ndarray:
        """(len(xs), len(offs)) row indices at the given offsets from the centre line."""
        return np.floor(self.a + self.b * xs + 0.5).astype(np.int64)[:, None] + offs.astype(np.int64)[None, :]

    def box(self) -> np.ndarray:
        ys = self.rows(np.array([self.x0, self.x1 - 1], float), np.array([self.lo, self.hi]))
        return np.array([self.x0, ys.min(), self.x1, ys.max() + 1], float)


def _sample(img: np.ndarray, band: _Band, offs: np.ndarray, *, max_cols: int = 0) -> np.ndarray:
    """Values of img along the band at the given offsets: (columns, offsets); outside → NaN-free 0."""
    n = band.length
    xs = np.arange(band.x0, band.x1, dtype=np.float64)
    if max_cols and n > max_cols:
        xs = np.linspace(band.x0, band.x1 - 1, max_cols)
    ys = band.rows(xs, offs)
    h = img.shape[0]
    valid = (ys >= 0) & (ys < h)
    xx = np.broadcast_to(xs.astype(np.int64)[:, None], ys.shape)
    out = np.zeros(ys.shape, dtype=np.float64)
    out[valid] = img[ys[valid], xx[valid]]
    return out


def _two_cores(dark: np.ndarray) -> bool:
    """A darkness cross-profile with two peaks and a clear dip between (a double rule whose gap
    blur has filled in the ink mask but not in the grey levels)."""
    if len(dark) < 3:
        return False
    inner = np.flatnonzero((dark[1:-1] >= dark[:-2]) & (dark[1:-1] >= dark[2:])) + 1
    peaks = [p for p in inner]
    if dark[0] > dark[1]:
        peaks.insert(0, 0)
    if dark[-1] > dark[-2]:
        peaks.append(len(dark) - 1)
    if len(peaks) < 2:
        return False
    peaks = sorted(sorted(peaks, key=lambda p: -dark[p])[:2])
    p, q = peaks
    if q - p < 2:
        return False
    dip = dark[p:q + 1].min()
    return bool(dip < 0.6 * min(dark[p], dark[q]))


def _refit(ink: np.ndarray, band: _Band, half: int, rounds: int = 2) -> tuple[float, float]:
    """Re-fit the centre line to the ink near it, column by column, with outliers trimmed.

    Pixel moments are pulled off by anything attached to the rule (a letter touching it, the
    rounded end of a neighbour); the ink within ±half of the line, column by column, is not.
    """
    a, b = band.a, band.b
    offs = np.arange(-half, half + 1, dtype=np.float64)
    n = band.length
    xs = np.arange(band.x0, band.x1, dtype=np.float64)
    if n > 600:
        xs = np.linspace(band.x0, band.x1 - 1, 600)
    for _ in range(rounds):
        cur = _Band(band.x0, band.x1, a, b, 0, 0, 1)
        v = _sample_at(ink, cur, xs, offs)
        wsum = v.sum(axis=1)
        ok = wsum > 0
        if ok.sum() < 8:
            break
        yc = np.floor(a + b * xs[ok] + 0.5) + (v[ok] * offs[None, :]).sum(axis=1) / wsum[ok]
        bb, aa = np.polyfit(xs[ok], yc, 1)
        res = np.abs(yc - (aa + bb * xs[ok]))
        keep = res <= max(1.5, 2 * np.median(res))
        if keep.sum() >= 8:
            bb, aa = np.polyfit(xs[ok][keep], yc[keep], 1)
        a, b = float(aa), float(bb)
    return a, b


def _sample_at(img: np.ndarray, band: _Band, xs: np.ndarray, offs: np.ndarray) -> np.ndarray:
    """Values of img at the given columns and offsets from the band's centre line (0 outside)."""
    ys = band.rows(xs, offs)
    h, w = img.shape
    valid = (ys >= 0) & (ys < h)
    xx = np.broadcast_to(np.clip(xs.astype(np.int64), 0, w - 1)[:, None], ys.shape)
    out = np.zeros(ys.shape, dtype=np.float64)
    out[valid] = img[ys[valid], xx[valid]]
    return out


def _band_of(ink: np.ndarray, r: _Runs, i: int, reach: int, dbl_gap: float,
             tone: np.ndarray | None = None, paired: bool = False) -> _Band | None:
    """Measure the rule's real cross-section from the ink around its fitted centre line.

    The fit comes from the pixel moments of its pieces (so skew is handled); the cross profile
    tells the true thickness and whether there are two cores with paper between (double rule).
    """
    n = max(r.n[i], 1.0)
    b = float(r.slope[i])
    a = float(r.sy[i] / n - b * r.sx[i] / n)
    x0, x1 = int(r.box[i, 0]), int(r.box[i, 2])
    a, b = _refit(ink, _Band(x0, x1, a, b, 0, 0, 1), int(np.ceil(r.thickness[i] / 2)) + 2)
    probe = _Band(x0, x1, a, b, 0, 0, 1)
    offs = np.arange(-reach, reach + 1)
    prof = _sample(ink, probe, offs, max_cols=600).mean(axis=0)
    core = prof >= 0.5
    if not core.any():
        return None
    # the core nearest the centre line
    idx = np.flatnonzero(core)
    c = idx[np.argmin(np.abs(idx - reach))]
    lo = hi = c
    while lo - 1 >= 0 and core[lo - 1]:
        lo -= 1
    while hi + 1 < len(core) and core[hi + 1]:
        hi += 1
    # shoulders: rows partly inked along the length (slight bow, ragged edges) belong to the rule
    while lo - 1 >= 0 and prof[lo - 1] >= 0.25:
        lo -= 1
    while hi + 1 < len(prof) and prof[hi + 1] >= 0.25:
        hi += 1
    cores = 1
    # further cores on either side, each separated by a clear valley no wider than dbl_gap
    # (double rules; a thin-thick-thin triple rule counts as "double" too)
    grown = True
    while grown and cores < 3:
        grown = False
        for direction in (-1, 1):
            edge = lo if direction < 0 else hi
            j = edge + direction
            while 0 <= j < len(core) and not core[j] and abs(j - edge) <= dbl_gap:
                j += direction
            # a partner found by pairing may be bowed (smeared profile); an unpaired one must
            # run the full length (a shorter rule beside this one is not its partner)
            if 0 <= j < len(core) and prof[j] >= (0.5 if paired else 0.75) and 1 < abs(j - edge) <= dbl_gap:
                valley = prof[min(edge, j) + 1: max(edge, j)]
                if len(valley) and valley.min() <= 0.25:
                    k = j
                    while 0 <= k + direction < len(core) and core[k + direction]:
                        k += direction
                    lo, hi = (k, hi) if direction < 0 else (lo, k)
                    cores += 1
                    grown = True
                    break
    if cores == 1 and tone is not None and hi - lo >= 2:
        dark = 1.0 - _sample(tone, probe, offs[lo: hi + 1], max_cols=600).mean(axis=0)
        if _two_cores(dark):
            cores = 2
    return _Band(x0, x1, a, b, int(lo - reach), int(hi - reach), min(cores, 2))


def _side_ink(ink: np.ndarray, band: _Band, reach: int = 3) -> tuple[float, float]:
    """Ink fraction in the ``reach`` rows above and below the band (one halo row skipped)."""
    above = _sample(ink, band, np.arange(band.lo - 1 - reach, band.lo - 1))
    below = _sample(ink, band, np.arange(band.hi + 2, band.hi + 2 + reach))
    return float(above.mean()), float(below.mean())


def _end_ink(ink: np.ndarray, box: np.ndarray, reach: int) -> tuple[float, float]:
    """Ink fraction just beyond each end of the rule, in a window ±reach around its band."""
    h, w = ink.shape
    x0, y0, x1, y1 = (int(v) for v in box)
    ya, yb = max(0, y0 - reach), min(h, y1 + reach)
    left = ink[ya:yb, max(0, x0 - 2 - reach): max(0, x0 - 2)]
    right = ink[ya:yb, min(w, x1 + 2): min(w, x1 + 2 + reach)]
    return (float(left.mean()) if left.size else 0.0, float(right.mean()) if right.size else 0.0)


def _regular_pattern(prof: np.ndarray) -> bool:
    """A 0/1 profile along a band that alternates regularly (≥ 5 dashes of similar length and
    gaps of similar length, neither mostly ink nor mostly paper)."""
    if prof.size < 8:
        return False
    fill = prof.mean()
    if fill > 0.93 or fill < 0.12:
        return False
    d = np.diff(np.concatenate([[0], prof, [0]]))
    starts, ends = np.flatnonzero(d == 1), np.flatnonzero(d == -1)
    if len(starts) < 5:
        return False
    on = (ends - starts)[1:-1]
    off = starts[1:] - ends[:-1]
    cv_on = on.std() / max(on.mean(), 1e-9)
    cv_off = off.std() / max(off.mean(), 1e-9)
    return bool(cv_on <= 0.5 and cv_off <= 0.5)


def _dash_regular(ink: np.ndarray, tone: np.ndarray, band: _Band) -> bool:
    """True when the ink along the band is a regular on/off pattern (dashes or dots) — in the
    ink mask, or, when blur has bridged the gaps there, in the grey levels."""
    prof = (_sample(ink, band, np.arange(band.lo, band.hi + 1)) > 0).any(axis=1).astype(np.int8)
    if _regular_pattern(prof):
        return True
    if prof.size < 8 or prof.mean() <= 0.93:
        return False
    dark = 1.0 - _sample(tone, band, np.arange(band.lo - 1, band.hi + 2)).mean(axis=1)
    lo, hi = np.percentile(dark, [10, 90])
    if hi - lo < 0.15 * max(hi, 1e-6):
        return False  # evenly dark: a solid rule, not dashes
    return _regular_pattern((dark > (lo + hi) / 2).astype(np.int8))


def _tone_unevenness(tone: np.ndarray, band: _Band) -> float:
    """CV of the rule's darkness along its length on the area-pooled image.

    A printed rule is evenly dark; a word or text line smeared into a bar by blur and pooling
    is not (stems are dark, counters and letter gaps lighter). The whole cross-section plus a
    row each side is summed, so the sub-pixel phase of a skewed rule does not matter.
    """
    d = 1.0 - _sample(tone, band, np.arange(band.lo - 1, band.hi + 2), max_cols=1200)
    p = d.mean(axis=1)
    return float(p.std() / max(p.mean(), 1e-6))


def _quick_busy(ink: np.ndarray, r: _Runs, clear_max: float, long_len: float,
                samples: int = 48) -> np.ndarray:
    """Vectorised pre-check for all candidates at once, mirroring :func:`_accept` loosely: ink
    on either side of a short candidate (a stroke inside a text line) → True. Saves the exact
    per-candidate checks for the few plausible ones."""
    k = len(r)
    if k == 0:
        return np.zeros(0, bool)
    h, w = ink.shape
    t = np.arange(samples) / max(samples - 1, 1)
    xs = r.box[:, :1] + t[None, :] * np.maximum(r.box[:, 2:3] - r.box[:, :1] - 1, 0)  # (k, S)
    yc = r.center_y(xs)
    half = (r.thickness / 2)[:, None]
    xi = np.clip(np.round(xs).astype(np.int64), 0, w - 1)
    frac = []
    for sign in (-1, 1):
        vals = []
        for off in (2, 3):
            yy = np.clip(np.floor(yc + sign * (half + off) + 0.5).astype(np.int64), 0, h - 1)
            vals.append(ink[yy, xi])
        frac.append(np.mean(vals, axis=(0, 2)))
    busy_a = (frac[0] > clear_max + 0.1) & (frac[0] < 0.8)
    busy_b = (frac[1] > clear_max + 0.1) & (frac[1] < 0.8)
    # long candidates are few and may be bowed or thick: leave them to the exact checks
    return np.where(r.length >= long_len, False, busy_a | busy_b)


def _pair_doubles(r: _Runs, gap: float) -> np.ndarray:
    """Labels grouping parallel rules a small clear gap apart (double rules); singletons alone."""
    k = len(r)
    if k <= 1:
        return np.arange(k)
    b = r.box
    ox = np.minimum(b[:, None, 2], b[None, :, 2]) - np.maximum(b[:, None, 0], b[None, :, 0])
    xm = (np.maximum(b[:, None, 0], b[None, :, 0]) + np.minimum(b[:, None, 2], b[None, :, 2])) / 2
    d = np.abs(r.center_y(xm) - r.center_y(xm.T).T)
    t = r.thickness
    g = d - (t[:, None] + t[None, :]) / 2
    # the two rules of a double rule are printed together: both ends line up (a column rule
    # beside a box frame does not)
    long_ = np.maximum(r.length[:, None], r.length[None, :])
    tol = np.maximum(3 * gap, 0.02 * long_)
    ends = (np.abs(b[:, None, 0] - b[None, :, 0]) <= tol) & (np.abs(b[:, None, 2] - b[None, :, 2]) <= tol)
    pair = (ox >= 0.8 * long_) & ends & (g >= 0.5) & (g < gap)
    np.fill_diagonal(pair, False)
    from scipy.sparse.csgraph import connected_components
    _, lab = connected_components(pair, directed=False)
    return lab


@dataclass(frozen=True)
class _Glyphs:
    """Connected components of the ink (work pixels, in the frame of the pass): label image
    and (n, 4) boxes x, y, w, h. Used without OCR boxes to tell a stroke of a big character
    (一 二 十 工 in a headline) from a short rule."""

    labels: np.ndarray
    stats: np.ndarray

    @staticmethod
    def of(ink: np.ndarray) -> "_Glyphs":
        _, labels, st, _ = cv2.connectedComponentsWithStats(ink.astype(np.uint8), connectivity=8)
        return _Glyphs(labels, st[:, :4].astype(np.float64))

    def transposed(self) -> "_Glyphs":
        return _Glyphs(self.labels.T, self.stats[:, [1, 0, 3, 2]])


def _character_stroke(g: _Glyphs, band: _Band) -> bool:
    """True when a short candidate is a stroke of a character: its own component is about as
    tall as it is long (十 工 正 扌), or a glyph-sized component — both sides at least half the
    candidate's length — lies within half its length (the neighbours of 一 in a headline, the
    letters beside a stem). Body-text words are smaller than that and do not count."""
    L = float(band.length)
    xs = np.linspace(band.x0, band.x1 - 1, 32)
    ys = np.clip(band.rows(xs, np.zeros(1))[:, 0], 0, g.labels.shape[0] - 1)
    own = g.labels[ys, np.clip(xs.astype(np.int64), 0, g.labels.shape[1] - 1)]
    own = own[own > 0]
    lab = int(np.bincount(own).argmax()) if len(own) else -1
    st = g.stats
    if lab > 0 and st[lab, 3] >= 0.35 * L and st[lab, 2] <= 1.5 * L:
        return True
    x, y, w, h = st[:, 0], st[:, 1], st[:, 2], st[:, 3]
    bx = band.box()
    yc = (bx[1] + bx[3]) / 2
    gap_x = np.maximum(np.maximum(bx[0] - (x + w), x - bx[2]), 0)
    gap_y = np.maximum(np.maximum(bx[1] - (y + h), y - bx[3]), 0)
    overlap_x = np.minimum(x + w, bx[2]) - np.maximum(x, bx[0])
    glyph = (w >= 0.5 * L) & (h >= 0.5 * L) & (w <= 2.5 * L) & (h <= 2.5 * L)
    glyph[0] = False
    if lab > 0:
        glyph[lab] = False
    # in line with it (一 between two characters) …
    inline = (y <= yc) & (y + h >= yc) & (gap_x <= 0.5 * L)
    # … or right beside it along most of its length (the other half of a character beside a stem)
    beside = (gap_y <= 0.25 * L) & (overlap_x >= 0.7 * L)
    return bool((glyph & (inline | beside)).any())


def _detect_h(ink: np.ndarray, tone: np.ndarray, cfg: SeparatorConfig, *, short_side: float,
              min_len: float, f: int, glyphs: _Glyphs | None = None) -> list[_Cand]:
    """Horizontal rules in a work-pixel ink mask (call on transposed masks for vertical ones).

    ``glyphs`` (given when there are no OCR line boxes) rejects short candidates that are
    strokes of big characters.
    """
    seed = int(max(8, min(cfg.seed_length, min_len)))
    max_t = max(2.0, cfg.max_thickness_frac * short_side / f)
    max_dash_t = max(2.0, cfg.max_dash_thickness_frac * short_side / f)
    long_len = cfg.long_length_frac * short_side / f
    dbl_gap = max(2.0, cfg.double_gap_frac * short_side / f)
    pair_gap = max(dbl_gap, cfg.pair_gap_frac * short_side / f)
    reach = int(np.ceil(max_t + pair_gap)) + 2

    # --- solid rules (single, double)
    r = _pieces(ink, close=cfg.bridge_gap, seed=seed, max_t=max_t, join=cfg.join_gap)
    r = r.take((r.length >= min_len) & (r.thickness <= max_t) & (r.length >= cfg.min_aspect * r.thickness))
    r = r.take(~_quick_busy(ink, r, cfg.clear_max, long_len))
    lab = _pair_doubles(r, pair_gap)
    members = np.bincount(lab) if len(lab) else np.zeros(0, np.int64)
    r = r.group(lab)
    out: list[_Cand] = []
    for i in range(len(r)):
        paired = bool(members[i] > 1)
        band = _band_of(ink, r, i, reach, pair_gap if paired else dbl_gap, tone, paired=paired)
        t_ok = band is not None and band.thickness <= (1.3 * max_t if band.cores == 1 else 2.5 * max_t)
        if not t_ok or band.length < cfg.min_aspect * band.thickness:
            continue
        if _tone_unevenness(tone, band) > cfg.max_tone_cv:
            continue
        if glyphs is not None and band.length < long_len and _character_stroke(glyphs, band):
            continue
        if _accept(ink, band, long_len, cfg.clear_max, tone):
            out.append(_Cand(band.box(), float(band.thickness), "double" if band.cores == 2 else "single"))

    # --- dashed / dotted rules: close the gaps, then demand a regular on/off pattern
    d = _pieces(ink, close=cfg.dash_gap, seed=seed, max_t=max_dash_t, join=cfg.join_gap)
    d = d.take((d.length >= cfg.dash_length_factor * min_len) & (d.thickness <= max_dash_t) & (d.length >= cfg.min_aspect * d.thickness))
    d = d.take(~_quick_busy(ink, d, cfg.clear_max, long_len))
    solid = np.array([c.box for c in out]).reshape(-1, 4)
    for i in range(len(d)):
        b = d.box[i]
        if len(solid):
            ox = np.minimum(solid[:, 2], b[2]) - np.maximum(solid[:, 0], b[0])
            oy = np.minimum(solid[:, 3], b[3] + 1) - np.maximum(solid[:, 1], b[1] - 1)
            if ((ox > 0.5 * (b[2] - b[0])) & (oy > 0)).any():
                continue
        band = _band_of(ink, d, i, reach, 0)
        if band is None:
            # dots cover < half of each column: fall back to the fitted line ± half thickness
            n = max(d.n[i], 1.0)
            bb = float(d.slope[i])
            h2 = max(0, int(round(d.thickness[i] / 2)))
            band = _Band(int(b[0]), int(b[2]), float(d.sy[i] / n - bb * d.sx[i] / n), bb, -h2, h2, 1)
        if band.thickness > max_dash_t + 1:
            continue
        if _dash_regular(ink, tone, band) and _accept(ink, band, long_len, cfg.clear_max, tone):
            out.append(_Cand(band.box(), float(band.thickness), "dashed"))
    return out


def _accept(ink: np.ndarray, band: _Band, long_len: float, clear_max: float,
            tone: np.ndarray | None = None) -> bool:
    """Is this band a printed rule rather than a stroke in text or a photo?

    Judged by its surroundings: paper just above and below (a long rule may have text or a dark
    ground on one side, if it is much darker than that side), and, when it is short, a free end.
    """
    fa, fb = _side_ink(ink, band)
    dirty = [f > clear_max for f in (fa, fb)]
    busy = [clear_max < f < 0.8 for f in (fa, fb)]
    if all(dirty if band.length >= long_len else busy) or (band.length < long_len and any(busy)):
        return False
    if tone is not None:
        # a rule is much darker than what is next to it (paper, text, a tinted ground); the
        # straight, slightly darker edge of a photo is not
        rule = 1.0 - _sample(tone, band, np.arange(band.lo, band.hi + 1), max_cols=600).mean()
        for side, d in zip((np.arange(band.lo - 4, band.lo - 1), np.arange(band.hi + 2, band.hi + 5)), dirty):
            if rule < 1.0 - _sample(tone, band, side, max_cols=600).mean() + (0.3 if d else 0.2):
                return False
    if band.length >= long_len:
        return True
    el, er = _end_ink(ink, band.box(), int(max(4, 2 * band.thickness + 2)))
    return min(el, er) <= clear_max


# --------------------------------------------------------------------------- public API


def _min_length(shape: tuple[int, int], em: float | None, factor: float, cfg: SeparatorConfig) -> float:
    m = cfg.min_length_frac * min(shape)
    if em:
        m = max(m, factor * em)
    return m


def detect_separators(gray: np.ndarray, *, text_boxes: np.ndarray | None = None,
                      config: SeparatorConfig | None = None) -> tuple[Separator, ...]:
    """Find printed rules in a page image.

    gray: H×W (or H×W×3/4) page array. text_boxes: optional (N, 4) OCR line boxes; candidates
    lying inside one are dropped, and their median height sets the minimum rule length.
    Returns Separators with ids in reading-friendly order (top, then left), integer bboxes.
    """
    cfg = config or SeparatorConfig()
    g = as_gray(gray)
    work = prepare(g, max_side=cfg.max_side, ink_threshold=cfg.ink_threshold, pool="min")
    f = work.scale
    em = text_height(text_boxes)
    factor = cfg.min_length_em
    if em is None:
        est = estimate_text_height(work.ink)
        em = est * f * 1.3 if est else None  # character height → line height
        factor = cfg.min_length_em_image
    short_side = float(min(g.shape))
    min_len = _min_length(g.shape, em, factor, cfg) / f

    found: list[tuple[np.ndarray, str, str]] = []
    glyphs = _Glyphs.of(work.ink) if text_boxes is None else None
    for c in _detect_h(work.ink, work.tone, cfg, short_side=short_side, min_len=min_len, f=f, glyphs=glyphs):
        found.append((c.box, "h", c.style))
    inkT = np.ascontiguousarray(work.ink.T)
    toneT = np.ascontiguousarray(work.tone.T)
    for c in _detect_h(inkT, toneT, cfg, short_side=short_side, min_len=min_len, f=f,
                       glyphs=glyphs.transposed() if glyphs is not None else None):
        x0, y0, x1, y1 = c.box
        found.append((np.array([y0, x0, y1, x1]), "v", c.style))
    if not found:
        return ()

    boxes = np.array([b for b, _, _ in found], dtype=np.float64) * f
    h, w = g.shape
    boxes[:, [0, 2]] = np.clip(boxes[:, [0, 2]], 0, w)
    boxes[:, [1, 3]] = np.clip(boxes[:, [1, 3]], 0, h)
    orient = np.array([o for _, o, _ in found])
    style = np.array([s for _, _, s in found], dtype=object)

    keep = _outside_text(boxes, text_boxes, cfg.text_overlap) & _off_border(boxes, orient, g.shape, cfg)
    boxes, orient, style = boxes[keep], orient[keep], style[keep]
    keep = _unique(boxes, orient)
    boxes, orient, style = boxes[keep], orient[keep], style[keep]

    boxes = np.round(boxes).astype(np.int64)
    frames = _frame_sides(boxes, orient, cfg.frame_tol_frac * short_side, cfg.min_frame_frac * short_side,
                          style=style)
    style = np.where(frames >= 0, "frame", style)
    order = sort_boxes(boxes.astype(np.float64))
    return tuple(
        Separator(id=i, bbox=tuple(int(v) for v in boxes[k]), orientation=str(orient[k]), style=str(style[k]))
        for i, k in enumerate(order)
    )


def _unique(boxes: np.ndarray, orient: np.ndarray) -> np.ndarray:
    """Mask keeping one of two same-orientation rules that are the same rule found twice
    (IoU ≥ 0.6, e.g. by the solid and the dashed pass): the larger one wins."""
    from .geometry import iou
    n = len(boxes)
    if n <= 1:
        return np.ones(n, bool)
    area = (boxes[:, 2] - boxes[:, 0]) * (boxes[:, 3] - boxes[:, 1])
    same = (orient[:, None] == orient[None, :]) & (iou(boxes, boxes) >= 0.6)
    idx = np.arange(n)
    bigger = (area[None, :] > area[:, None]) | ((area[None, :] == area[:, None]) & (idx[None, :] < idx[:, None]))
    dup = same & bigger
    np.fill_diagonal(dup, False)
    return ~dup.any(axis=1)


def _off_border(boxes: np.ndarray, orient: np.ndarray, shape: tuple[int, int], cfg: SeparatorConfig) -> np.ndarray:
    """Mask of rules NOT hugging the image edge (scanner borders and page edges, not print)."""
    h, w = shape
    m = cfg.border_frac * min(shape)
    cy = (boxes[:, 1] + boxes[:, 3]) / 2
    cx = (boxes[:, 0] + boxes[:, 2]) / 2
    edge_h = (cy < m) | (cy > h - m)
    edge_v = (cx < m) | (cx > w - m)
    return ~np.where(orient == "h", edge_h, edge_v)


def _outside_text(boxes: np.ndarray, text_boxes: np.ndarray | None, frac: float) -> np.ndarray:
    """Mask of candidates NOT lying mostly inside a single text line box."""
    if text_boxes is None:
        return np.ones(len(boxes), bool)
    tb = np.asarray(text_boxes, dtype=np.float64).reshape(-1, 4)
    if len(tb) == 0 or len(boxes) == 0:
        return np.ones(len(boxes), bool)
    from .geometry import intersection_area
    # a 1-px rule has almost no area: measure with a slightly thickened box
    b = boxes.astype(np.float64).copy()
    b[:, :2] -= 1
    b[:, 2:] += 1
    inter = intersection_area(b, tb)
    area = (b[:, 2] - b[:, 0]) * (b[:, 3] - b[:, 1])
    return (inter / np.maximum(area, 1e-9)[:, None]).max(axis=1) < frac


def _frame_sides(boxes: np.ndarray, orient: np.ndarray, tol: float, min_side: float,
                 style: np.ndarray | None = None) -> np.ndarray:
    """For each separator, the index of a closed rectangle it belongs to (or -1).

    A rectangle: two horizontal rules with matching ends, and two vertical rules whose ends meet
    them at both corners (within ``tol``). Vectorised over all (top, bottom, left, right) sets.
    ``style`` (per separator): a frame is drawn with one pen, so its four sides are of one
    style — two single rules across a strip between the page's double column rules close a
    rectangle that is no box (seed-rand-22000661: a story's strip, read as a box, held its
    text from running on outside it).
    """
    frame_of = np.full(len(boxes), -1)
    rects = _rectangles(boxes, orient, tol, min_side)
    if style is not None:
        rects = [r for r in rects if len({str(style[k]) for k in r}) == 1]
    for r, sides in enumerate(rects):
        for s in sides:
            if frame_of[s] < 0:
                frame_of[s] = r
    return frame_of


def _rectangles(boxes: np.ndarray, orient: np.ndarray, tol: float, min_side: float) -> list[tuple[int, int, int, int]]:
    hi = np.flatnonzero(orient == "h")
    vi = np.flatnonzero(orient == "v")
    if len(hi) < 2 or len(vi) < 2:
        return []
    H = boxes[hi].astype(np.float64)
    V = boxes[vi].astype(np.float64)
    hy = (H[:, 1] + H[:, 3]) / 2
    vx = (V[:, 0] + V[:, 2]) / 2
    # top/bottom pairs with the same left and right ends
    # ends of top and bottom rules line up, up to a residual skew of ~1.7° over their distance
    dy = hy[None, :] - hy[:, None]
    tol_x = tol + 0.03 * np.abs(dy)
    pair = (dy >= min_side) & (np.abs(H[:, None, 0] - H[None, :, 0]) <= tol_x) \
        & (np.abs(H[:, None, 2] - H[None, :, 2]) <= tol_x) & ((H[:, 2] - H[:, 0]) >= min_side)[:, None]
    out = []
    for i, j in zip(*np.nonzero(pair)):
        x0 = (H[i, 0] + H[j, 0]) / 2
        x1 = (H[i, 2] + H[j, 2]) / 2
        spans = (np.abs(V[:, 1] - H[i, 1]) <= tol + (H[i, 3] - H[i, 1])) & \
                (np.abs(V[:, 3] - H[j, 3]) <= tol + (H[j, 3] - H[j, 1]))
        left = np.flatnonzero(spans & (np.abs(vx - x0) <= tol + (V[:, 2] - V[:, 0])))
        right = np.flatnonzero(spans & (np.abs(vx - x1) <= tol + (V[:, 2] - V[:, 0])))
        if len(left) and len(right):
            out.append((int(hi[i]), int(hi[j]), int(vi[left[0]]), int(vi[right[0]])))
    return out


def frame_boxes(separators: tuple[Separator, ...], *, tol: float = 12.0,
                min_side: float = 60.0) -> tuple[FrameBox, ...]:
    """Closed rectangles formed by the given separators (any style), as FrameBoxes."""
    if not separators:
        return ()
    boxes = np.array([s.bbox for s in separators], dtype=np.float64)
    orient = np.array([s.orientation for s in separators])
    rects = _rectangles(boxes, orient, tol, min_side)
    ids = [s.id for s in separators]
    out = []
    for t, b, l, r in rects:
        bb = (int(boxes[l, 0]), int(boxes[t, 1]), int(boxes[r, 2]), int(boxes[b, 3]))
        out.append((bb, (ids[t], ids[b], ids[l], ids[r])))
    out.sort(key=lambda x: (x[0][1], x[0][0], x[0][3], x[0][2]))
    return tuple(FrameBox(id=i, bbox=bb, sides=sides) for i, (bb, sides) in enumerate(out))


def detect_boxes(gray: np.ndarray, *, text_boxes: np.ndarray | None = None,
                 separators: tuple[Separator, ...] | None = None,
                 config: SeparatorConfig | None = None) -> tuple[FrameBox, ...]:
    """Framed rectangles on the page (a box around a story, a notice, a table of figures).

    Uses ``separators`` when given (e.g. from :func:`detect_separators`), else detects them.
    A line is enclosed by a box when its bbox lies inside ``FrameBox.bbox``.
    """
    cfg = config or SeparatorConfig()
    g = as_gray(gray)
    seps = separators if separators is not None else detect_separators(g, text_boxes=text_boxes, config=cfg)
    short_side = float(min(g.shape))
    return frame_boxes(tuple(seps), tol=cfg.frame_tol_frac * short_side,
                       min_side=cfg.min_frame_frac * short_side)


__all__ = ["FrameBox", "SeparatorConfig", "detect_boxes", "detect_separators", "frame_boxes"]
