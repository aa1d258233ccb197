#!/usr/bin/env python3
"""Speed of layout + reflow: against OCR on real pages, and scaling to 100,000 lines.

    python scripts/bench_engine.py                 # both parts, table on stdout
    python scripts/bench_engine.py --json out.json

Part 1 times, on each page folder with a page image (fixtures/pages/* by default), OCR of the
image and layout+reflow of the same page's lines, each as the median of --repeat runs in
this process, and reports their ratio (the target: layout+reflow ≤ 5 % of OCR).
Part 2 builds synthetic inputs of N lines by stacking copies of a fixture page's lines
(each copy a page-high band under the last) and runs layout+reflow on each in a fresh
subprocess, reporting seconds, CPU seconds and peak RSS (target at 100k lines: ≤ 5 s, ≤ 2 GB).
Speeds are medians on a shared machine: compare ratios from the same run.
"""
from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _median_time(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def bench_pages(folders: list[Path], repeat: int, engine: str) -> list[dict]:
    from broadsheet import api
    from broadsheet.ocr import get_engine, load_pages, run_ocr
    eng = get_engine(engine)
    rows = []
    for d in folders:
        img = d / "page.png"
        if not img.exists() or not (d / "lines.json").exists():
            continue
        doc = json.loads((d / "lines.json").read_text(encoding="utf-8"))
        arr = load_pages(img)[0].image
        t_ocr = _median_time(lambda: run_ocr(arr, engine=eng), repeat)
        t_lines = _median_time(lambda: api.read_lines(doc), repeat)
        t_img = _median_time(lambda: api.read_lines(doc, image=arr), repeat)
        rows.append({"page": d.name, "lines": len(doc["lines"]), "ocr_s": round(t_ocr, 3),
                     "layout_reflow_s": round(t_lines, 4), "layout_reflow_with_image_s": round(t_img, 4),
                     "ratio": round(t_lines / t_ocr, 4), "ratio_with_image": round(t_img / t_ocr, 4)})
    return rows


def synthetic(n_lines: int, base: Path) -> dict:
    """Copies of a page's lines stacked vertically until n_lines lines."""
    doc = json.loads(base.read_text(encoding="utf-8"))
    h = doc["height"]
    lines = []
    k = 0
    while len(lines) < n_lines:
        for ln in doc["lines"]:
            x0, y0, x1, y1 = ln["box"]
            lines.append({"box": [x0, y0 + k * h, x1, y1 + k * h], "text": ln["text"]})
            if len(lines) == n_lines:
                break
        k += 1
    return {"width": doc["width"], "height": h * k, "lines": lines}


def _peak_rss_mb() -> float:
    """This process's peak RSS (VmHWM). ru_maxrss is not used: Linux carries the parent's
    high-water mark across fork+exec, so a child would report the benchmark's own OCR peak."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _child(n: int, base: str) -> None:
    from broadsheet import api
    doc = synthetic(n, Path(base))
    c = time.process_time()
    t = time.perf_counter()
    page = api.read_lines(doc)
    dt = time.perf_counter() - t
    cpu = time.process_time() - c  # on a shared host the wall time mostly measures the others
    rss = _peak_rss_mb()
    print(json.dumps({"lines": n, "seconds": round(dt, 3), "cpu_s": round(cpu, 3), "peak_rss_mb": round(rss, 1),
                      "articles": len(page.articles), "blocks": len(page.blocks)}))


def bench_scaling(sizes: list[int], base: Path) -> list[dict]:
    rows = []
    for n in sizes:
        out = subprocess.run([sys.executable, __file__, "--child", str(n), "--base", str(base)],
                             capture_output=True, text=True, check=True)
        rows.append(json.loads(out.stdout.strip().splitlines()[-1]))
    return rows


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("pages", nargs="*", type=Path, help="page folders (default: fixtures/pages/*)")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--engine", default="rapidocr")
    ap.add_argument("--sizes", default="1000,10000,30000,100000")
    ap.add_argument("--base", type=Path, default=ROOT / "fixtures/pages/seed-strips/lines.json")
    ap.add_argument("--skip-ocr", action="store_true", help="only the scaling run")
    ap.add_argument("--json", type=Path)
    ap.add_argument("--child", type=int, help=argparse.SUPPRESS)
    a = ap.parse_args(argv)
    if a.child:
        _child(a.child, str(a.base))
        return 0
    result = {}
    if not a.skip_ocr:
        folders = a.pages or sorted((ROOT / "fixtures/pages").iterdir())
        rows = bench_pages(folders, a.repeat, a.engine)
        result["pages"] = rows
        print(f"{'page':16s} {'lines':>6s} {'OCR s':>8s} {'lay+ref s':>10s} {'+image s':>9s} {'ratio':>7s} {'ratio+img':>9s}")
        for r in rows:
            print(f"{r['page']:16s} {r['lines']:6d} {r['ocr_s']:8.2f} {r['layout_reflow_s']:10.3f} "
                  f"{r['layout_reflow_with_image_s']:9.3f} {r['ratio']:7.3f} {r['ratio_with_image']:9.3f}")
    rows = bench_scaling([int(s) for s in a.sizes.split(",")], a.base)
    result["scaling"] = rows
    print(f"\n{'lines':>8s} {'seconds':>8s} {'CPU s':>8s} {'peak MB':>8s} {'articles':>9s}")
    for r in rows:
        print(f"{r['lines']:8d} {r['seconds']:8.2f} {r['cpu_s']:8.2f} {r['peak_rss_mb']:8.0f} {r['articles']:9d}")
    if a.json:
        a.json.write_text(json.dumps(result, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
