"""Accuracy and speed of rule and photo detection on ground-truth pages.

    .venv/bin/python scripts/bench_separators.py [PAGE_DIR ...] [--repeat 3]
    .venv/bin/python scripts/bench_separators.py --pagexml ../shared/realdata/nzz/pagexml --images ../shared/realdata/nzz/img
    .venv/bin/python scripts/bench_separators.py --speed   # CPU time on a 3000×4600 page

PAGE_DIR holds page.png, scan.jpg (optional) and gt.json (broadsheet.gt/1); default: every
fixtures/pages/*/. For each image and for "with text boxes" (the ground-truth line boxes, as
the engine passes OCR lines) and "without", prints separator recall / precision / style
accuracy and figure recall / precision at IoU ≥ 0.5 (and mean IoU), and the median time.
Scan boxes are mapped through gt.json's ``scan_transform``.
"""
from __future__ import annotations

import argparse
import glob
import json
import os
import statistics
import time

import cv2
import numpy as np

from broadsheet.layout.figures import detect_figures
from broadsheet.layout.geometry import iou
from broadsheet.layout.separators import detect_separators


def warp(box, M) -> np.ndarray:
    b = np.asarray(box, float)
    if M is None:
        return b
    x0, y0, x1, y1 = b
    p = np.array([[x0, y0, 1], [x1, y0, 1], [x1, y1, 1], [x0, y1, 1]], float) @ np.asarray(M, float).T
    return np.array([p[:, 0].min(), p[:, 1].min(), p[:, 0].max(), p[:, 1].max()])


def rule_match(found: np.ndarray, truth: np.ndarray, orient_f, orient_t, tol: float = 14.0) -> np.ndarray:
    """(F, T) bool: same orientation, same band (± tol + thickness), ≥ 70 % of the shorter length shared."""
    F, T = len(found), len(truth)
    if F == 0 or T == 0:
        return np.zeros((F, T), bool)
    same = np.asarray(orient_f)[:, None] == np.asarray(orient_t)[None, :]
    h = np.asarray(orient_t)[None, :] == "h"
    ax0 = np.where(h, 0, 1)
    fa0 = np.where(h, found[:, None, 0], found[:, None, 1])
    fa1 = np.where(h, found[:, None, 2], found[:, None, 3])
    ta0 = np.where(h, truth[None, :, 0], truth[None, :, 1])
    ta1 = np.where(h, truth[None, :, 2], truth[None, :, 3])
    fc = np.where(h, (found[:, None, 1] + found[:, None, 3]) / 2, (found[:, None, 0] + found[:, None, 2]) / 2)
    tc = np.where(h, (truth[None, :, 1] + truth[None, :, 3]) / 2, (truth[None, :, 0] + truth[None, :, 2]) / 2)
    tt = np.where(h, truth[None, :, 3] - truth[None, :, 1], truth[None, :, 2] - truth[None, :, 0])
    ov = np.minimum(fa1, ta1) - np.maximum(fa0, ta0)
    shorter = np.minimum(fa1 - fa0, ta1 - ta0)
    del ax0
    return same & (ov >= 0.7 * shorter) & (np.abs(fc - tc) <= tol + tt)


def one_to_one(ok: np.ndarray, cost: np.ndarray) -> list[tuple[int, int]]:
    from scipy.optimize import linear_sum_assignment
    if ok.size == 0:
        return []
    c = np.where(ok, cost, 1e6)
    r, k = linear_sum_assignment(c)
    return [(i, j) for i, j in zip(r, k) if ok[i, j]]


def eval_page(gt: dict, img: np.ndarray, M, use_text: bool, repeat: int) -> dict:
    tb = np.array([warp(ln["box"], M) for ln in gt["lines"]], float).reshape(-1, 4) if use_text else None
    ts, tf = [], []
    for _ in range(repeat):
        t0 = time.perf_counter()
        seps = detect_separators(img, text_boxes=tb)
        t1 = time.perf_counter()
        figs = detect_figures(img, text_boxes=tb, separators=seps)
        t2 = time.perf_counter()
        ts.append(t1 - t0)
        tf.append(t2 - t1)
    gs = gt.get("separators", [])
    tbx = np.array([warp(s["bbox"], M) for s in gs], float).reshape(-1, 4)
    fbx = np.array([s.bbox for s in seps], float).reshape(-1, 4)
    ok = rule_match(fbx, tbx, [s.orientation for s in seps], [s["orientation"] for s in gs])
    cent = lambda b: np.stack([(b[:, 0] + b[:, 2]) / 2, (b[:, 1] + b[:, 3]) / 2], 1)
    cost = np.abs(cent(fbx)[:, None, :] - cent(tbx)[None, :, :]).sum(-1) if len(fbx) and len(tbx) else np.zeros(ok.shape)
    pairs = one_to_one(ok, cost)
    # a found double rule may cover two single truths and vice versa: count coverage, not pairs
    rec = float(ok.any(axis=0).mean()) if len(tbx) else 1.0
    prec = float(ok.any(axis=1).mean()) if len(fbx) else 1.0
    style = float(np.mean([seps[i].style == gs[j]["style"] for i, j in pairs])) if pairs else float("nan")
    gf = gt.get("figures", [])
    gfb = np.array([warp(f["bbox"], M) for f in gf], float).reshape(-1, 4)
    ffb = np.array([f.bbox for f in figs], float).reshape(-1, 4)
    fi = iou(ffb, gfb) if len(ffb) and len(gfb) else np.zeros((len(ffb), len(gfb)))
    fpairs = one_to_one(fi >= 0.5, -fi)
    return {
        "sep_gt": len(gs), "sep_found": len(seps), "sep_recall": rec, "sep_precision": prec, "style_acc": style,
        "fig_gt": len(gf), "fig_found": len(figs),
        "fig_recall": len(fpairs) / len(gf) if gf else 1.0,
        "fig_precision": len(fpairs) / len(figs) if figs else 1.0,
        "fig_iou": float(np.mean([fi[i, j] for i, j in fpairs])) if fpairs else float("nan"),
        "t_sep": statistics.median(ts), "t_fig": statistics.median(tf),
        "misses": [gs[j] for j in np.flatnonzero(~ok.any(axis=0))] if len(tbx) else [],
        "extras": [seps[i] for i in np.flatnonzero(~ok.any(axis=1))] if len(fbx) else [],
    }


def gt_from_pagexml(path: str) -> dict:
    """PAGE XML (2013) → the parts of broadsheet.gt/1 used here: lines, separators, figures."""
    from lxml import etree
    root = etree.parse(path).getroot()
    ns = {"p": root.nsmap.get(None, "")}

    def box(el):
        pts = el.find("p:Coords", ns).get("points").split()
        xy = np.array([[float(v) for v in p.split(",")] for p in pts])
        return [xy[:, 0].min(), xy[:, 1].min(), xy[:, 0].max(), xy[:, 1].max()]

    lines = [{"box": box(e)} for e in root.iterfind(".//p:TextLine", ns)]
    W, H = (float(root.find(".//p:Page", ns).get(k)) for k in ("imageWidth", "imageHeight"))
    m = 0.005 * min(W, H)
    seps = []
    for e in root.iterfind(".//p:SeparatorRegion", ns):
        b = box(e)
        cx, cy = (b[0] + b[2]) / 2, (b[1] + b[3]) / 2
        if min(cx, cy, W - cx, H - cy) < m:
            continue  # scan borders annotated as separators: out of scope (see _off_border)
        seps.append({"bbox": b, "orientation": "h" if b[2] - b[0] >= b[3] - b[1] else "v", "style": "single"})
    figs = [{"bbox": box(e), "kind": "photo"} for tag in ("GraphicRegion", "ImageRegion")
            for e in root.iterfind(f".//p:{tag}", ns)]
    return {"lines": lines, "separators": seps, "figures": figs}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    here = os.path.dirname(os.path.abspath(__file__))
    ap.add_argument("pages", nargs="*", default=sorted(glob.glob(os.path.join(here, "..", "fixtures", "pages", "*"))))
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("-v", "--verbose", action="store_true")
    ap.add_argument("--pagexml", help="folder of PAGE XML ground truth (e.g. realdata/nzz/pagexml)")
    ap.add_argument("--images", help="folder of the matching page images (same stem, .png)")
    ap.add_argument("--speed", action="store_true",
                    help="median single-thread CPU seconds on a page resized to 3000×4600 (load-independent)")
    a = ap.parse_args()
    if a.speed:
        speed(a.pages, a.repeat)
        return
    rows = []
    if a.pagexml:
        for xp in sorted(glob.glob(os.path.join(a.pagexml, "*.xml"))):
            stem = os.path.splitext(os.path.basename(xp))[0]
            ip = os.path.join(a.images or a.pagexml, stem + ".png")
            if not os.path.exists(ip):
                continue
            gt = gt_from_pagexml(xp)
            img = cv2.imread(ip, cv2.IMREAD_GRAYSCALE)
            for use_text in (True, False):
                r = eval_page(gt, img, None, use_text, a.repeat)
                r["style_acc"] = float("nan")  # PAGE separators carry no style
                rows.append(r)
                _print(stem[:22], "scan", use_text, img, r, a.verbose)
        a.pages = []
    for d in a.pages:
        gp = os.path.join(d, "gt.json")
        if not os.path.exists(gp):
            continue
        gt = json.load(open(gp))
        for name, M in (("page.png", None), (gt.get("scan") or "scan.jpg", gt.get("scan_transform"))):
            p = os.path.join(d, name)
            if not os.path.exists(p):
                continue
            img = cv2.imread(p, cv2.IMREAD_GRAYSCALE)
            for use_text in (True, False):
                r = eval_page(gt, img, M, use_text, a.repeat)
                rows.append(r)
                _print(os.path.basename(os.path.normpath(d)), name, use_text, img, r, a.verbose)
    if rows:
        k = lambda key: np.nanmean([r[key] for r in rows])
        print(f"MEAN rules R={k('sep_recall'):.3f} P={k('sep_precision'):.3f} style={k('style_acc'):.3f}  "
              f"figs R={k('fig_recall'):.3f} P={k('fig_precision'):.3f} IoU={k('fig_iou'):.3f}  "
              f"median t_sep={np.median([r['t_sep'] for r in rows]):.3f}s t_fig={np.median([r['t_fig'] for r in rows]):.3f}s")


def speed(pages: list[str], repeat: int) -> None:
    """CPU time with OpenCV on one thread: on a shared machine wall time measures the others."""
    cv2.setNumThreads(1)
    for d in pages[:1] or []:
        gt = json.load(open(os.path.join(d, "gt.json")))
        img = cv2.imread(os.path.join(d, "page.png"), cv2.IMREAD_GRAYSCALE)
        sy, sx = 4600 / img.shape[0], 3000 / img.shape[1]
        img = cv2.resize(img, (3000, 4600), interpolation=cv2.INTER_AREA)
        tb = np.array([ln["box"] for ln in gt["lines"]], float) * [sx, sy, sx, sy]
        detect_separators(img[:800, :800])
        ts, tf, ws = [], [], []
        for _ in range(max(repeat, 5)):
            w0, t0 = time.perf_counter(), time.process_time()
            seps = detect_separators(img, text_boxes=tb)
            t1 = time.process_time()
            detect_figures(img, text_boxes=tb, separators=seps)
            t2 = time.process_time()
            ts.append(t1 - t0)
            tf.append(t2 - t1)
            ws.append(time.perf_counter() - w0)
        print(f"3000x4600 page ({os.path.basename(os.path.normpath(d))}), {len(seps)} rules: "
              f"detect_separators {statistics.median(ts):.3f}s CPU, detect_figures {statistics.median(tf):.3f}s CPU "
              f"(1 thread; wall for both {statistics.median(ws):.3f}s, load average {os.getloadavg()[0]:.1f})")


def _print(name: str, image: str, use_text: bool, img: np.ndarray, r: dict, verbose: bool) -> None:
    print(f"{name:14s} {image:9s} {'lines' if use_text else 'image':5s} "
          f"{img.shape[1]}x{img.shape[0]}  rules R={r['sep_recall']:.2f} P={r['sep_precision']:.2f} "
          f"style={r['style_acc']:.2f} ({r['sep_found']}/{r['sep_gt']})  "
          f"figs R={r['fig_recall']:.2f} P={r['fig_precision']:.2f} IoU={r['fig_iou']:.2f} "
          f"({r['fig_found']}/{r['fig_gt']})  t_sep={r['t_sep']:.3f}s t_fig={r['t_fig']:.3f}s")
    if verbose:
        for m in r["misses"]:
            print("    miss ", m)
        for e in r["extras"]:
            print("    extra", e)


if __name__ == "__main__":
    main()
