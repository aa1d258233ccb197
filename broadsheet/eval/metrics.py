"""Evaluation metrics: pure functions over texts, orders and labels (no I/O, no engine).

Conventions: a *reading order* is an integer array of GT line indices in the order a system
reads them (a permutation, or a subset when some lines were not matched). Texts are compared
with all whitespace removed (``squash``), as the ground-truth contract says. A metric that does
not apply (no articles, no joins, fewer than two lines) returns ``None``, never a fake 0 or 1.

Edit distances come from RapidFuzz (C++, uniform costs) when it is installed; ``levenshtein_numpy``
is a small reference implementation, used in the tests to check it and as the fallback.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Hashable, Sequence

import numpy as np
from scipy.optimize import linear_sum_assignment
from scipy.stats import kendalltau

try:  # C++ edit distances; the NumPy reference below is the (slower) stand-in without it
    from rapidfuzz.distance import Levenshtein as _RF
    from rapidfuzz.process import cdist as _rf_cdist
except ImportError:  # pragma: no cover - exercised only where rapidfuzz is not installed
    _RF = None
    _rf_cdist = None

_WS = re.compile(r"\s+")


def squash(text: str | None) -> str:
    """Remove all whitespace: the form in which article texts are compared."""
    return _WS.sub("", text or "")


def levenshtein(a: Sequence[Hashable] | str, b: Sequence[Hashable] | str) -> int:
    """Edit distance (insert, delete, substitute all cost 1) of two strings or sequences."""
    if _RF is None:
        return levenshtein_numpy(a, b)
    return int(_RF.distance(a, b))


def levenshtein_numpy(a: Sequence, b: Sequence) -> int:
    """Reference edit distance, one NumPy row per element of ``a``.

    The in-row insertion chain ``cur[j] = min(cur[j], cur[j-1] + 1)`` is resolved with a
    running minimum of ``cur - j`` so each row is a few vector operations.
    """
    b_arr = np.asarray([hash(x) for x in b], dtype=np.int64)
    m = len(b_arr)
    prev = np.arange(m + 1, dtype=np.int64)
    idx = np.arange(m + 1, dtype=np.int64)
    for i, x in enumerate(a, 1):
        cost = (b_arr != hash(x)).astype(np.int64)
        cur = np.empty(m + 1, dtype=np.int64)
        cur[0] = i
        cur[1:] = np.minimum(prev[1:] + 1, prev[:-1] + cost)
        cur = np.minimum.accumulate(cur - idx) + idx
        prev = cur
    return int(prev[-1])


def normalized_edit_distance(a: Sequence | str, b: Sequence | str) -> float:
    """Edit distance divided by the longer length (0 = identical, 1 = nothing shared); 0 for two empties."""
    n = max(len(a), len(b))
    return 0.0 if n == 0 else levenshtein(a, b) / n


# --------------------------------------------------------------------------- articles

@dataclass(frozen=True)
class ArticleMatch:
    """One-to-one matching of GT articles to output articles.

    ``scores[i]``: similarity of GT article i to its match (0 when unmatched);
    ``match[i]``: index of the matched output article or -1; ``mean``: mean of ``scores``.
    """

    scores: np.ndarray
    match: np.ndarray
    mean: float | None


def similarity_matrix(gt_texts: Sequence[str], out_texts: Sequence[str]) -> np.ndarray:
    """(G, O) matrix of ``1 - lev(g, o) / max(len g, len o)`` on whitespace-free texts."""
    g = [squash(t) for t in gt_texts]
    o = [squash(t) for t in out_texts]
    if not g or not o:
        return np.zeros((len(g), len(o)))
    if _rf_cdist is None:
        return np.array([[1.0 - normalized_edit_distance(x, y) for y in o] for x in g])
    return np.asarray(_rf_cdist(g, o, scorer=_RF.normalized_similarity, dtype=np.float64, workers=1),
                      dtype=np.float64)


def article_similarity(gt_texts: Sequence[str], out_texts: Sequence[str]) -> ArticleMatch:
    """Per GT article, 1 − normalised edit distance to its output article under the best
    one-to-one matching (Hungarian algorithm on the similarity matrix); unmatched GT → 0.

    ``mean`` is None when there are no GT articles with text.
    """
    G = len(gt_texts)
    scores = np.zeros(G)
    match = np.full(G, -1, dtype=np.int64)
    if G == 0 or not any(squash(t) for t in gt_texts):
        return ArticleMatch(scores, match, None)
    S = similarity_matrix(gt_texts, out_texts)
    if S.size:
        rows, cols = linear_sum_assignment(S, maximize=True)
        keep = S[rows, cols] > 0
        scores[rows[keep]] = S[rows[keep], cols[keep]]
        match[rows[keep]] = cols[keep]
    return ArticleMatch(scores, match, float(scores.mean()))


def _space_marks(text: str) -> tuple[str, np.ndarray]:
    """Whitespace-free ``text`` and, per character of it, whether whitespace follows it before
    the next non-space character (False after the last)."""
    ws = np.array([c.isspace() for c in text], dtype=bool)
    solid = np.flatnonzero(~ws)
    if solid.size == 0:
        return "", np.zeros(0, dtype=bool)
    runs = np.concatenate([[0], np.cumsum(ws)])  # whitespace characters before position p
    after = np.zeros(solid.size, dtype=bool)
    after[:-1] = runs[solid[1:]] - runs[solid[:-1] + 1] > 0
    return "".join(text[i] for i in solid), after


def _aligned(a: str, b: str) -> np.ndarray:
    """Per character of ``a``, the index of the equal character of ``b`` it is aligned with by a
    minimal edit script (RapidFuzz opcodes, ``equal`` runs only), or -1."""
    m = np.full(len(a), -1, dtype=np.int64)
    if _RF is None or not a or not b:
        if a == b:
            m[:] = np.arange(len(a))
        return m
    for op in _RF.opcodes(a, b):
        if op.tag == "equal":
            m[op.src_start:op.src_end] = np.arange(op.dest_start, op.dest_end)
    return m


def space_counts(gt_text: str, out_text: str) -> np.ndarray:
    """Word-space agreement of two texts after aligning their non-space characters.

    A GT space (any whitespace run) between non-space characters ``x`` and ``y`` is *checked*
    when ``x`` and ``y`` are aligned with two adjacent characters of the output, and *found*
    when the output has whitespace between those two; an output space is checked and *correct*
    the same way against the GT. Spaces next to misread characters are not checked, so the
    counts see only spaces, not character errors (CER / ArtSim see those).
    Returns ``[gt_checked, gt_found, out_checked, out_correct]``.
    """
    g, g_sp = _space_marks(gt_text)
    o, o_sp = _space_marks(out_text)
    res = np.zeros(4, dtype=np.int64)
    if len(g) < 2 or len(o) < 2:
        return res
    m = _aligned(g, o)
    pair = (m[:-1] >= 0) & (m[1:] == m[:-1] + 1)  # boundary k..k+1 of g sits on one of o
    k = np.flatnonzero(pair)
    res[0] = int(g_sp[k].sum())
    res[1] = int((g_sp[k] & o_sp[m[k]]).sum())
    res[2] = int(o_sp[m[k]].sum())
    res[3] = res[1]
    return res


def space_scores(gt_texts: Sequence[str], out_texts: Sequence[str], match: np.ndarray) -> dict | None:
    """Space recall and precision over matched article pairs (``match`` from
    :func:`article_similarity`), counts summed over the page (see :func:`space_counts`).

    ``recall`` = GT spaces found / GT spaces checked, ``precision`` = output spaces correct /
    output spaces checked; each None when nothing was checked; None when no article is matched.
    """
    tot = np.zeros(4, dtype=np.int64)
    any_match = False
    for gi, j in enumerate(match):
        if 0 <= j < len(out_texts):
            any_match = True
            tot += space_counts(gt_texts[gi], out_texts[j])
    if not any_match:
        return None
    return {"recall": tot[1] / tot[0] if tot[0] else None,
            "precision": tot[3] / tot[2] if tot[2] else None,
            "gt_spaces": int(tot[0]), "found": int(tot[1]), "out_spaces": int(tot[2])}


def join_recall(required: Sequence[tuple[int, str]], out_texts: Sequence[str],
                match: np.ndarray) -> float | None:
    """Fraction of required strings that read contiguously in the matched output article.

    ``required``: ``(gt_article_index, string)`` pairs — GT joins (``left + right``) and
    ``must_read`` strings; ``match`` from :func:`article_similarity`. Whitespace is ignored.
    None when nothing is required.
    """
    if not required:
        return None
    outs = [squash(t) for t in out_texts]
    hits = 0
    for gi, s in required:
        j = int(match[gi]) if 0 <= gi < len(match) else -1
        hits += j >= 0 and squash(s) in outs[j]
    return hits / len(required)


def majority_labels(groups: Sequence[np.ndarray], labels: np.ndarray) -> list[Hashable | None]:
    """For each group of GT line indices, the most frequent label (ties: first seen); None if empty."""
    out = []
    for g in groups:
        g = np.asarray(g, dtype=np.int64)
        vals = [labels[i] for i in g if 0 <= i < len(labels)]
        out.append(Counter(vals).most_common(1)[0][0] if vals else None)
    return out


def join_precision(joins: Sequence[tuple[np.ndarray, np.ndarray]], gt_article: np.ndarray) -> float | None:
    """Fraction of output joins whose two blocks belong (by line majority) to the same GT article.

    ``joins``: (from-block GT line indices, to-block GT line indices); ``gt_article``: GT article
    label per GT line (None for page furniture). A join touching furniture counts as wrong.
    None when the output has no joins.
    """
    if not joins:
        return None
    a = majority_labels([j[0] for j in joins], gt_article)
    b = majority_labels([j[1] for j in joins], gt_article)
    ok = sum(1 for x, y in zip(a, b) if x is not None and x == y)
    return ok / len(joins)


def contamination(out_lines: Sequence[np.ndarray], match: np.ndarray, gt_ids: Sequence[Hashable],
                  gt_article: np.ndarray, line_chars: np.ndarray) -> float | None:
    """Share of characters in matched output articles that come from lines of another GT article.

    ``out_lines[j]``: GT line indices inside output article j; ``match``/``gt_ids``: GT article
    i (id ``gt_ids[i]``) is matched to output ``match[i]``; ``line_chars``: whitespace-free
    length per GT line. Lines of page furniture inside an article count as foreign.
    None when no output article is matched.
    """
    total = foreign = 0
    for gi, j in enumerate(match):
        if j < 0 or j >= len(out_lines):
            continue
        idx = np.asarray(out_lines[j], dtype=np.int64)
        if idx.size == 0:
            continue
        ch = line_chars[idx]
        lab = np.asarray(gt_article, dtype=object)[idx] == gt_ids[gi]
        total += int(ch.sum())
        foreign += int(ch[~lab].sum())
    if total == 0:
        return None
    return foreign / total


def pairwise_f1(gt_labels: Sequence[Hashable | None], pred_labels: Sequence[Hashable | None]) -> dict | None:
    """Pairwise "same article" precision / recall / F1 over GT lines that carry an article id.

    Counted from the contingency table (pairs = C(n, 2) per cell), so it is O(N), not O(N²).
    A line without a predicted label is its own singleton. None when fewer than two lines
    have a GT article.
    """
    keep = [i for i, g in enumerate(gt_labels) if g is not None]
    if len(keep) < 2:
        return None
    g = np.unique(np.array([str(gt_labels[i]) for i in keep]), return_inverse=True)[1]
    p_raw = [pred_labels[i] for i in keep]
    p_str = np.array([f"p:{v}" if v is not None else f"s:{k}" for k, v in enumerate(p_raw)])
    p = np.unique(p_str, return_inverse=True)[1]

    def pairs(counts: np.ndarray) -> float:
        c = counts.astype(np.float64)
        return float((c * (c - 1) / 2).sum())

    tp = pairs(np.unique(g * (p.max() + 1) + p, return_counts=True)[1])
    gt_pairs = pairs(np.bincount(g))
    pr_pairs = pairs(np.bincount(p))
    precision = tp / pr_pairs if pr_pairs else (1.0 if gt_pairs == 0 else 0.0)
    recall = tp / gt_pairs if gt_pairs else 1.0
    f1 = 0.0 if precision + recall == 0 else 2 * precision * recall / (precision + recall)
    return {"precision": precision, "recall": recall, "f1": f1}


# --------------------------------------------------------------------------- reading order

def _ranks(order: np.ndarray, n: int) -> np.ndarray:
    """Position of each GT line in ``order`` (-1 when absent); first occurrence wins."""
    order = np.asarray(order, dtype=np.int64)
    rank = np.full(n, -1, dtype=np.int64)
    ok = (order >= 0) & (order < n)
    order = order[ok]
    _, first = np.unique(order, return_index=True)
    first.sort()
    kept = order[first]
    rank[kept] = np.arange(kept.size)
    return rank


def kendall_tau(gt_order: np.ndarray, pred_order: np.ndarray) -> float | None:
    """Kendall's tau (tau-b, scipy) between GT and predicted positions of the lines in both orders.

    Both arguments are sequences of GT line indices; lines missing from either are dropped.
    1 = same order, −1 = reversed. None with fewer than two common lines.
    """
    n = int(max(np.max(gt_order, initial=-1), np.max(pred_order, initial=-1))) + 1
    rg, rp = _ranks(gt_order, n), _ranks(pred_order, n)
    both = (rg >= 0) & (rp >= 0)
    if both.sum() < 2:
        return None
    tau = kendalltau(rg[both], rp[both]).statistic
    return None if np.isnan(tau) else float(tau)


def order_edit_distance(gt_order: Sequence[int], pred_order: Sequence[int]) -> float | None:
    """Normalised edit distance between the GT and predicted sequences of line indices."""
    if len(gt_order) == 0:
        return None
    return normalized_edit_distance(list(map(int, gt_order)), list(map(int, pred_order)))


def region_sequence(pred_order: np.ndarray, line_region: Sequence[Hashable], regions: Sequence[Hashable]) -> list:
    """GT regions sorted by the mean predicted position of their lines.

    ``line_region[i]``: GT region of GT line i; ``regions``: GT regions in GT order. Regions
    with no line in ``pred_order`` go last, in GT order.
    """
    n = len(line_region)
    rank = _ranks(np.asarray(pred_order, dtype=np.int64), n).astype(np.float64)
    code = {r: k for k, r in enumerate(regions)}
    lr = np.array([code.get(r, -1) for r in line_region], dtype=np.int64)
    ok = (lr >= 0) & (rank >= 0)
    R = len(regions)
    s = np.bincount(lr[ok], weights=rank[ok], minlength=R)
    c = np.bincount(lr[ok], minlength=R)
    mean = np.where(c > 0, s / np.maximum(c, 1), np.inf)
    seq = np.lexsort((np.arange(R), mean))
    return [regions[k] for k in seq]


def bleu(reference: Sequence[Hashable], hypothesis: Sequence[Hashable], max_n: int = 4) -> float | None:
    """Sentence BLEU (Papineni et al. 2002) of two token sequences: geometric mean of clipped
    n-gram precisions, n = 1..min(max_n, len(reference)), uniform weights, times the brevity
    penalty; no smoothing. Used on sequences of block ids, as XY-Cut++ / DocBench-100 score
    block reading order. None when the reference is empty.
    """
    ref, hyp = list(reference), list(hypothesis)
    if not ref:
        return None
    if not hyp:
        return 0.0
    N = max(1, min(max_n, len(ref)))
    logp = 0.0
    for n in range(1, N + 1):
        rc = Counter(tuple(ref[i:i + n]) for i in range(len(ref) - n + 1))
        hc = Counter(tuple(hyp[i:i + n]) for i in range(len(hyp) - n + 1))
        total = sum(hc.values())
        clipped = sum(min(c, rc[g]) for g, c in hc.items())
        if total == 0 or clipped == 0:
            return 0.0
        logp += np.log(clipped / total) / N
    bp = 1.0 if len(hyp) > len(ref) else float(np.exp(1 - len(ref) / len(hyp)))
    return float(bp * np.exp(logp))


# --------------------------------------------------------------------------- OCR

def _clean_line(t: str) -> str:
    return _WS.sub(" ", t or "").strip()


def match_lines_by_overlap(gt_boxes: np.ndarray, pred_boxes: np.ndarray, min_overlap: float = 0.5) -> np.ndarray:
    """Assign each predicted line to the GT line that covers most of it.

    Returns, per predicted line, a GT index or -1: the GT box with the largest intersection,
    kept when the intersection is at least ``min_overlap`` of the smaller of the two boxes.
    Several predicted pieces may go to one GT line (a line split by OCR).
    """
    P = len(pred_boxes)
    if P == 0 or len(gt_boxes) == 0:
        return np.full(P, -1, dtype=np.int64)
    g = np.asarray(gt_boxes, dtype=np.float64).reshape(-1, 4)
    p = np.asarray(pred_boxes, dtype=np.float64).reshape(-1, 4)
    ix = np.minimum(p[:, None, 2], g[None, :, 2]) - np.maximum(p[:, None, 0], g[None, :, 0])
    iy = np.minimum(p[:, None, 3], g[None, :, 3]) - np.maximum(p[:, None, 1], g[None, :, 1])
    inter = np.clip(ix, 0, None) * np.clip(iy, 0, None)
    area_p = ((p[:, 2] - p[:, 0]) * (p[:, 3] - p[:, 1]))[:, None]
    area_g = ((g[:, 2] - g[:, 0]) * (g[:, 3] - g[:, 1]))[None, :]
    frac = inter / np.maximum(np.minimum(area_p, area_g), 1e-9)
    best = inter.argmax(axis=1)
    ok = frac[np.arange(P), best] >= min_overlap
    return np.where(ok, best, -1)


def cer(gt_texts: Sequence[str], gt_boxes: np.ndarray, pred_texts: Sequence[str], pred_boxes: np.ndarray,
        assign: np.ndarray | None = None) -> dict | None:
    """Character error rate of OCR lines against GT lines matched by box overlap.

    Predicted pieces assigned to one GT line are joined left to right with a space;
    unmatched GT lines count as deletions of all their characters, unmatched predictions as
    insertions. Whitespace runs collapse to one space. ``cer = edits / GT characters``.
    None when the GT has no text.
    """
    gts = [_clean_line(t) for t in gt_texts]
    n_chars = sum(len(t) for t in gts)
    if n_chars == 0:
        return None
    pred_boxes = np.asarray(pred_boxes, dtype=np.float64).reshape(-1, 4)
    if assign is None:
        assign = match_lines_by_overlap(gt_boxes, pred_boxes)
    edits = 0
    for k, t in enumerate(pred_texts):
        if assign[k] < 0:
            edits += len(_clean_line(t))
    for gi, gt in enumerate(gts):
        pieces = np.flatnonzero(assign == gi)
        pieces = pieces[np.argsort(pred_boxes[pieces, 0], kind="stable")]
        hyp = " ".join(_clean_line(pred_texts[k]) for k in pieces)
        edits += levenshtein(gt, hyp)
    return {"cer": edits / n_chars, "edits": edits, "chars": n_chars}
