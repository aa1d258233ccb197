#!/usr/bin/env python
"""Pages per hour: a batch on N worker processes vs one page at a time (median of repeats).

    .venv/bin/python scripts/bench_batch.py PAGES... [--process module:function] [--workers 2]
                                            [--repeat 3] [--formats json] [--threads-per-worker 1]

``--process`` is the page reader, ``path -> list[Page]``, given by import path (default
``broadsheet.api:read_pages`` when it exists, else this script's ``ocr_pages``: load → RapidOCR →
layout + reflow). "One page at a time" is ``run_batch(workers=0)``: pages read in this process,
one after another, with the engine using every core. The batch run uses ``--workers`` processes
(each engine limited to ``--threads-per-worker`` threads through ``BROADSHEET_THREADS``), and its
wall time includes starting the workers and loading models in each. Prints one JSON object.
"""
from __future__ import annotations

import argparse
import importlib
import json
import os
import statistics
import sys
import tempfile
import time
from functools import lru_cache
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # so workers can import this module


@lru_cache(maxsize=1)
def _engine(threads: int):
    from broadsheet.ocr import OcrConfig, get_engine

    cfg = OcrConfig(threads=threads)
    return cfg, get_engine("rapidocr", **cfg.engine_settings("rapidocr"))


def ocr_pages(path: str) -> list:
    """Fallback page reader: every page of ``path`` through RapidOCR, layout and reflow."""
    from broadsheet.api import analyze_lines
    from broadsheet.layout.model import Line
    from broadsheet.ocr import load_pages, run_ocr

    cfg, eng = _engine(int(os.environ.get("BROADSHEET_THREADS", "0")))
    out = []
    for pg in load_pages(path):
        res = run_ocr(pg.image, engine=eng, config=cfg)
        lines = tuple(Line(i, ln.bbox, ln.text, confidence=ln.confidence) for i, ln in enumerate(res.lines))
        out.append(analyze_lines(lines, res.width, res.height, source=path,
                                 meta={"engine": res.engine, "deskew": res.deskew_angle}))
    return out


def _default_process() -> str:
    try:
        api = importlib.import_module("broadsheet.api")
        if hasattr(api, "read_pages"):
            return "broadsheet.api:read_pages"
    except ImportError:
        pass
    return "bench_batch:ocr_pages"


def _run(inputs, workers: int, process: str, formats, threads: int | None) -> dict:
    from broadsheet.batch import run_batch

    if threads is not None:
        os.environ["BROADSHEET_THREADS"] = str(threads)
    else:
        os.environ.pop("BROADSHEET_THREADS", None)
    with tempfile.TemporaryDirectory() as out:
        t0 = time.perf_counter()
        s = run_batch(inputs, out, formats=formats, workers=workers, process_page=process,
                      resume=False, progress=False)
        wall = time.perf_counter() - t0
    if s.failed:
        raise SystemExit(f"pages failed: {[(r.source, r.reason) for r in s.failed]}")
    return {"pages": s.pages, "wall_s": wall, "pages_per_hour": 3600 * s.pages / wall,
            "median_s_per_page": s.seconds_per_page}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("inputs", nargs="+", help="page files, directories or globs")
    ap.add_argument("--process", default=None, help="module:function reading a path into Pages")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--threads-per-worker", type=int, default=1)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--formats", default="json")
    a = ap.parse_args(argv)
    process = a.process or _default_process()
    seq, par = [], []
    for _ in range(a.repeat):
        seq.append(_run(a.inputs, 0, process, a.formats, None))
        par.append(_run(a.inputs, a.workers, process, a.formats, a.threads_per_worker))
    one = statistics.median(r["pages_per_hour"] for r in seq)
    many = statistics.median(r["pages_per_hour"] for r in par)
    print(json.dumps({
        "process": process, "pages": seq[0]["pages"], "repeats": a.repeat, "cpu_count": os.cpu_count(),
        "one_at_a_time_pages_per_hour": round(one, 1),
        f"batch_{a.workers}_workers_pages_per_hour": round(many, 1),
        "ratio": round(many / one, 3),
        "one_at_a_time_median_s_per_page": round(statistics.median(r["median_s_per_page"] for r in seq), 3),
        "batch_median_s_per_page": round(statistics.median(r["median_s_per_page"] for r in par), 3),
    }, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
