"""The evaluation harness: run systems on evaluation pages, score them, print a table, write JSON.

Systems per page (rows of the table):

- ``broadsheet``        — ``read_lines(lines_doc, image=None)``: layout + reflow from GT lines;
- ``broadsheet+image``  — ``read_lines(lines_doc, image=<clean image>)`` where a clean image exists;
- ``broadsheet-e2e``    — ``read_page(<scan or image>)``: OCR + layout + reflow (``--mode image``);
- ``row-major``, ``xy-cut`` — the baselines of :mod:`broadsheet.eval.baselines` (lines mode).

The engine is injected (:class:`Engine`), so tests run the harness with a fake engine and the
CLI with ``broadsheet.api``. A page that fails is recorded with its error; the run goes on.
"""
from __future__ import annotations

import json
import math
import time
import tracemalloc
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import numpy as np

from . import metrics as M
from .baselines import XYCutConfig, row_major_order, xy_cut_leaves, xy_cut_order
from .datasets import EvalPage, EvalSet, article_text

SCHEMA_EVAL = "broadsheet.eval/1"

#: XY-cut settings for the baseline's *articles*: leaves separated by at least a line height
#: of white space vertically or a third of one horizontally (its reading order uses the
#: classic zero-threshold cut).
XY_BLOCKS = XYCutConfig(min_gap_y=1.0, min_gap_x=0.3, widest_only=False)

METRIC_COLUMNS = (
    ("art_sim", "ArtSim"), ("join_recall", "JoinR"), ("join_precision", "JoinP"),
    ("contamination", "Contam"), ("tau", "Tau"), ("line_ned", "LineNED"),
    ("region_ned", "RegNED"), ("bleu4", "BLEU4"), ("pair_f1", "PairF1"), ("cer", "CER"),
    ("space_recall", "SpR"), ("space_precision", "SpP"),
)
SYSTEMS_LINES = ("broadsheet", "broadsheet+image", "row-major", "xy-cut")
SYSTEM_E2E = "broadsheet-e2e"


@dataclass(frozen=True)
class Engine:
    """The engine under test: ``read_lines(doc, image=path|None)`` and ``read_page(path)``.

    Each returns a ``Page`` (anything with ``to_dict()``) or a page-JSON dict.
    """

    name: str
    read_lines: Callable[..., Any] | None = None
    read_page: Callable[..., Any] | None = None


def default_engine(ocr_engine: str | None = None, *, page_order: str = "geometric") -> Engine:
    """``broadsheet.api`` bound to an OCR engine name and a page order
    (``ReflowConfig.page_order``); raises ImportError if the API is missing."""
    from broadsheet import api  # late: the harness and its baselines work without the engine

    cfg = api.ReflowConfig(page_order=page_order)

    def read_lines(doc, **kw):
        return api.read_lines(doc, reflow_config=cfg, **kw)

    def read_page(path):
        kw = {"engine": ocr_engine} if ocr_engine else {}
        return api.read_page(path, reflow_config=cfg, **kw)

    return Engine("broadsheet", read_lines=read_lines, read_page=read_page)


# --------------------------------------------------------------------------- predictions

@dataclass(frozen=True)
class Prediction:
    """A system's output expressed over GT lines.

    ``order``: GT line indices in the system's reading order (matched lines only, no repeats);
    ``line_article``: predicted article label per GT line (None: no article / unmatched);
    ``article_texts`` / ``article_lines``: per output article, scoring text and GT lines in it;
    ``joins``: (from-block GT lines, to-block GT lines) per output join;
    ``ocr``: (texts, boxes) of the output lines when the text came from OCR, else None;
    ``gt_boxes``: the GT boxes in the output's coordinates used for matching (image mode).
    """

    order: np.ndarray
    line_article: list
    article_texts: list[str]
    article_lines: list[np.ndarray]
    joins: list[tuple[np.ndarray, np.ndarray]] = field(default_factory=list)
    ocr: tuple[list[str], np.ndarray] | None = None
    gt_boxes: np.ndarray | None = None


def _unique_keep_first(seq: np.ndarray) -> np.ndarray:
    seq = np.asarray(seq, dtype=np.int64)
    seq = seq[seq >= 0]
    _, first = np.unique(seq, return_index=True)
    return seq[np.sort(first)]


#: A page-JSON article is scored exactly like a GT article.
output_article_text = article_text


def _page_dict(out: Any) -> dict:
    if isinstance(out, dict):
        return out
    if hasattr(out, "to_dict"):
        return out.to_dict()
    raise TypeError(f"engine returned {type(out).__name__}, not a Page or page dict")


def deskew_angle(meta: Any) -> float:
    """The deskew rotation an engine recorded in ``meta`` (degrees, counter-clockwise, about the
    image centre, as ``broadsheet.ocr.deskew.rotate``): key ``deskew_angle`` at the top level or
    one level down (e.g. ``meta["ocr"]["deskew_angle"]``); 0 when absent."""
    if not isinstance(meta, dict):
        return 0.0
    cands = [meta.get("deskew_angle")] + [v.get("deskew_angle") for v in meta.values() if isinstance(v, dict)]
    for c in cands:
        if isinstance(c, (int, float)) and not isinstance(c, bool) and math.isfinite(c):
            return float(c)
    return 0.0


def rotate_boxes(boxes: np.ndarray, angle: float, width: float, height: float) -> np.ndarray:
    """Boxes after rotating the page ``angle`` degrees counter-clockwise about its centre
    (same matrix as ``cv2.getRotationMatrix2D``): bounding boxes of the 4 rotated corners."""
    b = np.asarray(boxes, dtype=np.float64).reshape(-1, 4)
    if angle == 0.0 or b.size == 0:
        return b
    a = math.radians(angle)
    c, s_ = math.cos(a), math.sin(a)
    cx, cy = width / 2.0, height / 2.0
    xs, ys = b[:, [0, 2, 2, 0]], b[:, [1, 1, 3, 3]]
    rx = c * xs + s_ * ys + (1 - c) * cx - s_ * cy
    ry = -s_ * xs + c * ys + s_ * cx + (1 - c) * cy
    return np.stack([rx.min(1), ry.min(1), rx.max(1), ry.max(1)], axis=1)


def prediction_from_page(out: Any, gt: EvalPage, *, from_image: bool, gt_boxes: np.ndarray | None = None) -> Prediction:
    """Turn an engine's page JSON into a :class:`Prediction` over GT lines.

    From GT lines, output line ``id`` is the GT line index. From an image, output lines are
    matched to GT lines by box overlap (``gt_boxes``: GT boxes in the image's coordinates; if
    the engine deskewed the image and says so in ``meta``, they are rotated the same way).
    """
    page = _page_dict(out)
    lines = page.get("lines") or []
    n = len(gt.lines)
    ids = [ln.get("id") for ln in lines]
    boxes = np.asarray([ln.get("bbox") or [0, 0, 0, 0] for ln in lines], dtype=np.float64).reshape(-1, 4)
    if from_image:
        gt_boxes = gt.boxes() if gt_boxes is None else gt_boxes
        angle = deskew_angle(page.get("meta"))
        if angle:
            gt_boxes = rotate_boxes(gt_boxes, angle, float(page.get("width") or gt.width),
                                    float(page.get("height") or gt.height))
        gmap = M.match_lines_by_overlap(gt_boxes, boxes)
    else:
        gmap = np.array([i if isinstance(i, (int, np.integer)) and 0 <= i < n else -1 for i in ids],
                        dtype=np.int64)
    pos = {ln_id: k for k, ln_id in enumerate(ids)}

    def to_gt(line_ids) -> np.ndarray:
        return _unique_keep_first(np.array([gmap[pos[i]] for i in line_ids if i in pos], dtype=np.int64))

    keyed = sorted(range(len(lines)), key=lambda k: (lines[k].get("order") is None,
                                                     lines[k].get("order") or 0, k))
    order = _unique_keep_first(gmap[keyed]) if keyed else np.zeros(0, dtype=np.int64)
    line_article: list = [None] * n
    for k in keyed:
        g = gmap[k]
        if g >= 0 and line_article[g] is None:
            line_article[g] = lines[k].get("article")
    block_lines = {b.get("id"): list(b.get("lines") or []) for b in page.get("blocks") or []}
    art_texts, art_lines, joins = [], [], []
    for a in page.get("articles") or []:
        ids_in = [i for b in a.get("blocks") or [] for i in block_lines.get(b, [])]
        ids_in += [ln.get("id") for ln in lines if a.get("id") is not None and ln.get("article") == a.get("id")]
        art_texts.append(output_article_text(a))
        art_lines.append(to_gt(ids_in))
        for j in a.get("joins") or []:
            joins.append((to_gt(block_lines.get(j.get("from"), [])), to_gt(block_lines.get(j.get("to"), []))))
    ocr = ([ln.get("text") or "" for ln in lines], boxes) if from_image else None
    return Prediction(order, line_article, art_texts, art_lines, joins, ocr,
                      gt_boxes if from_image else None)


def baseline_prediction(gt: EvalPage, kind: str) -> Prediction:
    """Row-major (one article: the page) or XY-cut (XY_BLOCKS leaves as articles) on GT lines."""
    b = gt.boxes()
    texts = [ln.text for ln in gt.lines]
    if kind == "row-major":
        order = row_major_order(b)
        groups = [order]
    elif kind == "xy-cut":
        order = xy_cut_order(b)
        rank = np.empty(len(order), dtype=np.int64)
        rank[order] = np.arange(len(order))
        groups = [g[np.argsort(rank[g], kind="stable")] for g in xy_cut_leaves(b, XY_BLOCKS)]
    else:
        raise ValueError(f"unknown baseline {kind!r} (row-major, xy-cut)")
    label: list = [None] * len(texts)
    for k, g in enumerate(groups):
        for i in g:
            label[int(i)] = f"b{k}"
    return Prediction(order=np.asarray(order, dtype=np.int64), line_article=label,
                      article_texts=["\n".join(texts[i] for i in g) for g in groups],
                      article_lines=[np.asarray(g, dtype=np.int64) for g in groups])


# --------------------------------------------------------------------------- scoring

def score_page(gt: EvalPage, pred: Prediction) -> dict[str, float | None]:
    """All metrics of one system on one page (None where a metric does not apply)."""
    gt_order = gt.gt_order()
    labels = gt.line_articles()
    res: dict[str, float | None] = {}

    gt_ids = [a.id for a in gt.articles]
    am = M.article_similarity([a.text for a in gt.articles], pred.article_texts)
    res["art_sim"] = am.mean
    index = {a: i for i, a in enumerate(gt_ids)}
    required = [(index[j.article], j.text) for j in gt.joins if j.article in index and j.text.strip()]
    res["join_recall"] = M.join_recall(required, pred.article_texts, am.match) if am.mean is not None else None
    sp = M.space_scores([a.text for a in gt.articles], pred.article_texts, am.match) if am.mean is not None else None
    res["space_recall"] = None if sp is None else sp["recall"]
    res["space_precision"] = None if sp is None else sp["precision"]
    res["join_precision"] = M.join_precision(pred.joins, labels) if any(x is not None for x in labels) else None
    if am.mean is not None and any(x is not None for x in labels):
        chars = np.array([len(M.squash(ln.text)) for ln in gt.lines], dtype=np.int64)
        res["contamination"] = M.contamination(pred.article_lines, am.match, gt_ids, labels, chars)
    else:
        res["contamination"] = None

    res["tau"] = M.kendall_tau(gt_order, pred.order)
    res["line_ned"] = M.order_edit_distance(gt_order, pred.order)
    line_region = [ln.region for ln in gt.lines]
    if gt.regions and len(pred.order):
        seq = M.region_sequence(pred.order, line_region, gt.regions)
        res["region_ned"] = M.normalized_edit_distance(list(gt.regions), seq)
        res["bleu4"] = M.bleu(list(gt.regions), seq)
    else:
        res["region_ned"] = res["bleu4"] = None
    pf = M.pairwise_f1(list(labels), pred.line_article)
    res["pair_f1"] = None if pf is None else pf["f1"]
    res["pair_precision"] = None if pf is None else pf["precision"]
    res["pair_recall"] = None if pf is None else pf["recall"]
    if pred.ocr is not None:
        c = M.cer([ln.text for ln in gt.lines], gt.boxes() if pred.gt_boxes is None else pred.gt_boxes,
                  pred.ocr[0], pred.ocr[1])
        res["cer"] = None if c is None else c["cer"]
    else:
        res["cer"] = None
    return res


# --------------------------------------------------------------------------- measuring

def _rss_kb(key: str) -> int | None:
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith(key):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


def _reset_peak_rss() -> bool:
    """Reset the kernel's peak-RSS mark for this process (Linux ≥ 4.0); False if not possible."""
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
        return True
    except OSError:
        return False


def measure(fn: Callable[[], Any], memory: str = "rss") -> tuple[Any, float, float | None]:
    """Run ``fn``; return (result, seconds, peak extra memory in MB or None).

    ``memory="rss"``: peak resident set size during the call above the size before it (counts
    native allocations such as ONNX Runtime's); falls back to ``tracemalloc`` (Python and NumPy
    heaps only) where the peak mark cannot be reset; ``"off"``: no memory measurement.
    """
    if memory == "rss" and _reset_peak_rss():
        before = _rss_kb("VmRSS:")
        t0 = time.perf_counter()
        out = fn()
        dt = time.perf_counter() - t0
        peak = _rss_kb("VmHWM:")
        mb = None if before is None or peak is None else max(peak - before, 0) / 1024
        return out, dt, mb
    if memory == "off":
        t0 = time.perf_counter()
        out = fn()
        return out, time.perf_counter() - t0, None
    started = not tracemalloc.is_tracing()
    if started:
        tracemalloc.start()
    tracemalloc.reset_peak()
    t0 = time.perf_counter()
    try:
        out = fn()
        dt = time.perf_counter() - t0
        peak = tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        if started:
            tracemalloc.stop()
    return out, dt, peak


# --------------------------------------------------------------------------- running

@dataclass(frozen=True)
class RunConfig:
    mode: str = "lines"            # "lines" | "image" | "both"
    memory: str = "rss"            # "rss" | "tracemalloc" | "off"
    baselines: bool = True
    image_source: str = "scan"     # image mode reads the degraded scan (if any) or the clean render


def _systems_for(page: EvalPage, engine: Engine | None, cfg: RunConfig) -> list[tuple[str, Callable[[], Prediction]]]:
    out = []
    if cfg.mode in ("lines", "both"):
        if engine is not None and engine.read_lines is not None:
            doc = page.lines_doc()
            out.append(("broadsheet", lambda: prediction_from_page(
                engine.read_lines(doc, image=None), page, from_image=False)))
            if page.image:
                out.append(("broadsheet+image", lambda: prediction_from_page(
                    engine.read_lines(doc, image=page.image), page, from_image=False)))
        if cfg.baselines:
            out.append(("row-major", lambda: baseline_prediction(page, "row-major")))
            out.append(("xy-cut", lambda: baseline_prediction(page, "xy-cut")))
    if cfg.mode in ("image", "both") and engine is not None and engine.read_page is not None:
        src = (page.scan or page.image) if cfg.image_source == "scan" else (page.image or page.scan)
        if src:
            gb = page.scan_boxes() if page.scan and src == page.scan else page.boxes()
            out.append((SYSTEM_E2E, lambda: prediction_from_page(
                engine.read_page(src), page, from_image=True, gt_boxes=gb)))
    return out


def evaluate_page(name: str, load: Callable[[], EvalPage], engine: Engine | None, cfg: RunConfig) -> dict:
    """Scores, seconds and memory of every system on one page; errors recorded, not raised."""
    try:
        page = load()
    except Exception as e:  # noqa: BLE001 — a broken page is a table entry, not a crash
        return {"error": f"{type(e).__name__}: {e}", "systems": {}}
    systems: dict[str, dict] = {}
    for sys_name, run in _systems_for(page, engine, cfg):
        try:
            pred, sec, mb = measure(run, cfg.memory)
            row: dict[str, Any] = {"metrics": score_page(page, pred), "seconds": sec,
                                   "peak_mb": mb}
        except Exception as e:  # noqa: BLE001
            row = {"error": f"{type(e).__name__}: {e}"}
        systems[sys_name] = row
    return {"lines": len(page.lines), "articles": len(page.articles), "regions": len(page.regions),
            "systems": systems}


def _mean(vals: list[float | None]) -> float | None:
    v = [x for x in vals if x is not None and not (isinstance(x, float) and math.isnan(x))]
    return float(np.mean(v)) if v else None


def summarise(pages: dict[str, dict]) -> dict[str, dict]:
    """Per system: mean of each metric over the pages where it applies, median seconds,
    max peak MB, page and error counts."""
    names: list[str] = []
    for p in pages.values():
        for s in p["systems"]:
            if s not in names:
                names.append(s)
    out = {}
    keys = [k for k, _ in METRIC_COLUMNS] + ["pair_precision", "pair_recall"]
    for s in names:
        rows = [p["systems"][s] for p in pages.values() if s in p["systems"]]
        ok = [r for r in rows if "error" not in r]
        secs = [r["seconds"] for r in ok]
        mbs = [r["peak_mb"] for r in ok if r.get("peak_mb") is not None]
        out[s] = {
            "metrics": {k: _mean([r["metrics"].get(k) for r in ok]) for k in keys},
            "pages": len(ok), "errors": len(rows) - len(ok),
            "seconds_median": float(np.median(secs)) if secs else None,
            "peak_mb_max": max(mbs) if mbs else None,
        }
    return out


def evaluate_set(evalset: EvalSet, engine: Engine | None, cfg: RunConfig,
                 progress: Callable[[str], None] | None = None) -> dict:
    pages = {}
    for name, load in evalset.pages:
        if progress:
            progress(f"{evalset.name}/{name}")
        pages[name] = evaluate_page(name, load, engine, cfg)
    return {"pages": pages, "summary": summarise(pages)}


# --------------------------------------------------------------------------- output

def _fmt(v: float | None, width: int = 7) -> str:
    return f"{'–':>{width}}" if v is None else f"{v:>{width}.3f}"


def format_table(set_name: str, result: dict) -> str:
    """A fixed-width table: one row per system, '–' where a metric does not apply."""
    head = f"{'system':<17}" + "".join(f"{h:>8}" for _, h in METRIC_COLUMNS) + f"{'s/page':>8}{'MB':>7}{'pages':>6}{'err':>4}"
    lines = [f"== {set_name} ({len(result['pages'])} pages)", head, "-" * len(head)]
    order = [s for s in ("broadsheet", "broadsheet+image", SYSTEM_E2E, "row-major", "xy-cut")
             if s in result["summary"]]
    order += [s for s in result["summary"] if s not in order]
    for s in order:
        r = result["summary"][s]
        m = r["metrics"]
        mb = r["peak_mb_max"]
        lines.append(f"{s:<17}" + "".join(" " + _fmt(m[k]) for k, _ in METRIC_COLUMNS)
                     + " " + _fmt(r["seconds_median"]) + (f"{'–':>7}" if mb is None else f"{mb:>7.0f}")
                     + f"{r['pages']:>6}{r['errors']:>4}")
    for name, p in result["pages"].items():
        if "error" in p:
            lines.append(f"  ! {name}: {p['error']}")
        for s, r in p["systems"].items():
            if "error" in r:
                lines.append(f"  ! {name} [{s}]: {r['error']}")
    return "\n".join(lines)


def format_pages(set_name: str, result: dict) -> str:
    """One row per page and system (same columns as the summary), to find which page moved."""
    head = f"{'page':<32}{'system':<17}" + "".join(f"{h:>8}" for _, h in METRIC_COLUMNS) + f"{'s':>8}"
    lines = [f"== {set_name}: per page", head, "-" * len(head)]
    for name, p in result["pages"].items():
        if "error" in p:
            lines.append(f"{name[:31]:<32}{'(page)':<17} ! {p['error']}")
        for s, r in p["systems"].items():
            if "error" in r:
                lines.append(f"{name[:31]:<32}{s:<17} ! {r['error']}")
                continue
            m = r["metrics"]
            lines.append(f"{name[:31]:<32}{s:<17}" + "".join(" " + _fmt(m.get(k)) for k, _ in METRIC_COLUMNS)
                         + " " + _fmt(r["seconds"]))
    return "\n".join(lines)


#: metrics where lower is better (deltas are shown so that "+" always means better)
LOWER_IS_BETTER = frozenset({"contamination", "line_ned", "region_ned", "cer"})


def format_compare(set_name: str, new: dict, old: dict) -> str:
    """Change of each summary metric against an earlier run's JSON summary of the same set.

    Shown as ``new - old`` for higher-is-better metrics and ``old - new`` for the others, so a
    positive number is always an improvement; "–" where either run lacks the value.
    """
    head = f"{'system':<17}" + "".join(f"{h:>8}" for _, h in METRIC_COLUMNS)
    lines = [f"== {set_name}: change vs. baseline run (+ = better)", head, "-" * len(head)]
    for s, r in new["summary"].items():
        o = old.get("summary", {}).get(s)
        if o is None:
            continue
        cells = []
        for k, _ in METRIC_COLUMNS:
            a, b = r["metrics"].get(k), o.get("metrics", {}).get(k)
            if a is None or b is None:
                cells.append(f"{'–':>8}")
            else:
                d = round((b - a) if k in LOWER_IS_BETTER else (a - b), 3) + 0.0   # no "-0.000"
                cells.append(f"{d:>+8.3f}")
        lines.append(f"{s:<17}" + "".join(cells))
    return "\n".join(lines)


def _round(obj: Any, nd: int = 4) -> Any:
    if isinstance(obj, float):
        return None if math.isnan(obj) else round(obj, nd)
    if isinstance(obj, (np.floating, np.integer)):
        return _round(obj.item(), nd)
    if isinstance(obj, dict):
        return {str(k): _round(v, nd) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_round(v, nd) for v in obj]
    return obj


def _strip_perf(obj: Any) -> Any:
    if isinstance(obj, dict):
        return {k: _strip_perf(v) for k, v in obj.items()
                if k not in ("seconds", "peak_mb", "seconds_median", "peak_mb_max")}
    return obj


def to_json(results: dict[str, dict], *, engine: str | None, mode: str, perf: bool = True) -> str:
    """Deterministic JSON (sorted keys, floats rounded to 4 places); ``perf=False`` drops timings."""
    from .._version import __version__
    doc = {"schema": SCHEMA_EVAL, "broadsheet": __version__, "engine": engine, "mode": mode,
           "sets": results}
    if not perf:
        doc = _strip_perf(doc)
    return json.dumps(_round(doc), sort_keys=True, ensure_ascii=False, indent=1) + "\n"


def write_json_atomic(path: str | Path, text: str) -> None:
    """Write through a temporary file so a failed run never leaves a half-written result."""
    path = Path(path)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)
