"""Fit the stitcher's evidence weights on generated pages with ground truth.

The page-wide assignment (``reflow/stitch.py``) adds up named pieces of evidence for every
(predecessor, successor) pair of blocks. Their weights were first set by hand; this script
fits them instead: for every page it computes each piece of evidence on its own (the
features of ``reflow.articles.evidence_features``), finds from the ground truth which block
really follows which (``true_links``), and minimises the negative log-likelihood of the true
successor of every row and the true predecessor of every column (each a softmax over the
candidates and "none", as in the assignment), with a small L2 pull towards the current
weights. It prints the fitted ``StitchConfig`` and the held-out scores.

    python scripts/fit_stitch.py TRAIN_DIR... [--hold HOLD_DIR...] [--out weights.json]

Each DIR is a folder of generated page folders (``python -m broadsheet.fixtures.compose``).
"""
from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict, fields, replace
from pathlib import Path

import numpy as np
from scipy.optimize import minimize

from broadsheet import api
from broadsheet.eval.datasets import load_generator_page
from broadsheet.layout.analyze import analyze
from broadsheet.reflow import articles as A
from broadsheet.reflow.script import page_script
from broadsheet.reflow.stitch import StitchConfig, assign


def true_links(page, lay, u) -> tuple[np.ndarray, np.ndarray]:
    """(R,) true successor column of each row (-1: none) and (T,) true predecessor row of each
    column (-1: none), from the GT article and reading order of the blocks' lines."""
    G, T = len(u.heads), len(u.text)
    art = np.array([ln.article or "" for ln in page.lines], dtype=object)
    order = np.array([ln.order for ln in page.lines])
    col_of = {int(b): k for k, b in enumerate(u.text)}
    line_block = np.full(len(page.lines), -1)
    for k, b in enumerate(u.text):
        line_block[lay.blocks[int(b)]] = k
    succ = np.full(G + T, -1)
    pred = np.full(T, -1)

    def maj(idx):
        vals, cnt = np.unique(art[idx], return_counts=True)
        return vals[np.argmax(cnt)]

    # per article, text-unit lines in GT order
    for a in set(art.tolist()) - {""}:
        ls = np.nonzero((art == a) & (line_block >= 0))[0]
        ls = ls[np.argsort(order[ls], kind="stable")]
        seq = []
        for li in ls:
            k = int(line_block[li])
            if maj(lay.blocks[int(u.text[k])]) != a:
                continue
            if not seq or seq[-1] != k:
                seq.append(k)
        # a block read twice (lines interleaved) keeps its first place
        seen, chain = set(), []
        for k in seq:
            if k not in seen:
                seen.add(k)
                chain.append(k)
        for x, y in zip(chain, chain[1:]):
            succ[G + x] = y
            pred[y] = G + x
        heads = [g for g, h in enumerate(u.heads) if maj(np.concatenate([lay.blocks[k] for k in h])) == a]
        if heads and chain:
            g = min(heads, key=lambda g: min(lay.block_boxes[k][1] for k in u.heads[g]))
            succ[g] = chain[0]
            if pred[chain[0]] < 0:
                pred[chain[0]] = g
    return succ, pred


def pair_nll(d: dict, cfg: StitchConfig) -> float:
    """−log-likelihood of the true successor of every row and the true predecessor of every
    column, each a softmax over the pair margins of the assignment and 0 ("none")."""
    ev = A.evidence_from_features(d["feats"], d["eo"], d["so"], cfg, d["G"])
    S = ev.total.copy()
    G = d["G"]
    R_, T = S.shape
    S[G + np.arange(T), np.arange(T)] = -np.inf
    end = np.where(np.arange(R_) < G, -cfg.empty_head, -cfg.dangling_end * ev.end_open)
    start = -(cfg.orphan + cfg.open_orphan * ev.start_open)
    m = S - end[:, None] - start[None, :]
    def lse(a, axis):
        top = np.maximum(np.max(a, axis=axis), 0.0)
        return top + np.log(np.exp(-top) + np.exp(a - np.expand_dims(top, axis)).sum(axis=axis))
    succ, pred = d["succ"], d["pred"]
    row = lse(m, 1) - np.where(succ >= 0, m[np.arange(R_), np.maximum(succ, 0)], 0.0)
    col = lse(m, 0) - np.where(pred >= 0, m[np.maximum(pred, 0), np.arange(T)], 0.0)
    return float(row.sum() + col.sum())


def page_data(folder: Path, cfg: StitchConfig):
    page = load_generator_page(folder)
    lines, w, h = api.lines_from_doc(page.lines_doc())
    lay = analyze(lines, w, h)
    u = A.collect_units(lay)
    if len(u.text) == 0 or len(u.text) > A.CHUNK:
        return None
    script = page_script(lay.texts)
    t_idx, h_idx = np.arange(len(u.text)), np.arange(len(u.heads))
    feats, eo, so = A.evidence_features(lay, u, t_idx, h_idx, script)
    ev = A.evidence_from_features(feats, eo, so, cfg, len(h_idx))
    first, _ = assign(ev, len(h_idx), cfg)
    feats["content"] = A.prefix_content(lay, u, t_idx, h_idx, first, script, replace(cfg, w_content=1.0))
    succ, pred = true_links(page, lay, u)
    return dict(feats=feats, eo=eo, so=so, G=len(h_idx), succ=succ, pred=pred, name=folder.name)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("train", nargs="+")
    ap.add_argument("--hold", nargs="*", default=[])
    ap.add_argument("--out")
    ap.add_argument("--l2", type=float, default=0.05)
    args = ap.parse_args(argv)
    base = StitchConfig()
    names = A.WEIGHT_NAMES
    def load(dirs):
        out = []
        for d in dirs:
            for f in sorted(Path(d).iterdir()):
                if (f / "gt.json").exists():
                    x = page_data(f, base)
                    if x is not None:
                        out.append(x)
        return out
    train = load(args.train)
    print(f"{len(train)} training pages", file=sys.stderr)
    x0 = np.array([getattr(base, n) for n in names], float)

    def fun(x):
        v = sum(pair_nll(d, replace(base, **dict(zip(names, x.tolist())))) for d in train)
        return v + args.l2 * float(((x - x0) ** 2).sum())

    res = minimize(fun, x0, method="Powell", options={"maxiter": 4000, "xtol": 1e-2, "ftol": 1e-4})
    fitted = dict(zip(names, [round(float(v), 3) for v in res.x]))
    print(json.dumps(fitted, indent=1))
    print(f"train nll {fun(x0):.1f} -> {res.fun:.1f}", file=sys.stderr)
    if args.hold:
        hold = load(args.hold)
        b = sum(pair_nll(d, base) for d in hold)
        f = sum(pair_nll(d, replace(base, **fitted)) for d in hold)
        print(f"held-out nll {b:.1f} -> {f:.1f} ({len(hold)} pages)", file=sys.stderr)
    if args.out:
        Path(args.out).write_text(json.dumps(fitted, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
