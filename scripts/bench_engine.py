#!/usr/bin/env python3
"""Speed of layout + reflow: against OCR on real pages, and scaling to 100,000 lines.

    python scripts/bench_engine.py                 # both parts, table on stdout
    python scripts/bench_engine.py --json out.json
    python scripts/bench_engine.py --skip-ocr --generate de --seed 0 --rounds 3
    python scripts/bench_engine.py --skip-ocr --base fixtures/pages/seed-strips/lines.json  # old input

Part 1 times, on each page folder with a page image (fixtures/pages/* by default), OCR of the
image and layout+reflow of the same page's lines, each as the median of --repeat runs in
this process, and reports their ratio (the target: layout+reflow ≤ 5 % of OCR).
Part 2 builds inputs of N lines by stacking pages' lines, each page a band of its own height
under the last, and runs layout+reflow on each in a fresh subprocess, reporting seconds, CPU
seconds (the section workers' included; ``reader_cpu_s`` this process's alone, the wall time
on an idle host when the workers keep pace) and peak RSS, its own and its largest worker's
(target at 100k lines: ≤ 5 s, ≤ 2 GB). ``--workers`` is `read_lines`'s (default: the usable cores;
1 = the whole input in one process). By default the pages are distinct
generated Chinese pages (``compose --set zh --seed 0``, page k from seed 100003·0 + k), typeset
in this process on the first run (minutes for 100k lines) and cached; a 100k input holds ≈ 490
of them. ``--base`` stacks given pages instead, in the order given, cycling only when they run
out: one lines.json is the input of sessions 1–9 (copies of one page, every stitch solve a
repeat). Speeds are medians on a shared machine: compare ratios from the same run.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import resource
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
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
    """Copies of one page's lines stacked vertically until n_lines lines (the old input:
    every band the same page, so every stitch solve repeats; kept for comparisons)."""
    return stack_pages([json.loads(base.read_text(encoding="utf-8"))], n_lines)


def stack_pages(pages: list[dict], n_lines: int) -> dict:
    """``n_lines`` lines from ``pages`` in the given order, each page a band of its own height
    under the last (x kept, y shifted), cycling through the pages only when they run out.

    One page gives exactly `synthetic`'s copies. The result's width is the widest page's.
    """
    if not pages or not any(p["lines"] for p in pages):
        raise ValueError("no lines to stack")
    lines: list[dict] = []
    y = 0
    width = 0
    k = 0
    while len(lines) < n_lines:
        doc = pages[k % len(pages)]
        for ln in doc["lines"]:
            x0, y0, x1, y1 = ln["box"]
            lines.append({"box": [x0, y0 + y, x1, y1 + y], "text": ln["text"]})
            if len(lines) == n_lines:
                break
        y += doc["height"]
        width = max(width, doc["width"])
        k += 1
    return {"width": width, "height": y, "lines": lines}


def bands_used(pages: list[dict], n_lines: int) -> tuple[int, int]:
    """(bands, distinct pages) that `stack_pages` (pages, n_lines) stacks."""
    total, k = 0, 0
    while total < n_lines:
        total += len(pages[k % len(pages)]["lines"])
        k += 1
    return k, min(k, len(pages))


def read_bases(paths: list[Path]) -> list[dict]:
    """The pages named by ``paths`` in a fixed order: a lines.json file, a page folder holding
    one, or a set folder (its page folders' lines.json, sorted by name)."""
    files: list[Path] = []
    for p in paths:
        if p.is_file():
            files.append(p)
        elif (p / "lines.json").is_file():
            files.append(p / "lines.json")
        else:
            found = sorted(p.glob("*/lines.json"))
            if not found:
                raise FileNotFoundError(f"{p}: no lines.json (file, page folder or set folder)")
            files.extend(found)
    return [json.loads(f.read_text(encoding="utf-8")) for f in files]


def generator_version() -> str:
    """A hash of the page generator's source and text corpus: generated pages cached under
    another version are never read."""
    from broadsheet import fixtures
    root = Path(fixtures.__file__).parent
    h = hashlib.sha256()
    for f in sorted([*root.glob("*.py"), *(root / "text").glob("*.json")]):
        h.update(f.name.encode() + b"\0" + f.read_bytes())
    return h.hexdigest()[:12]


def generated_pages(lang: str, seed: int, n_lines: int, cache: Path | None,
                    max_pages: int | None = None) -> list[dict]:
    """Distinct generated pages of ``lang`` holding at least ``n_lines`` lines together: page k
    is ``compose --set LANG --seed SEED``'s k-th page (seed * 100003 + k), its lines.json as
    compose writes it. Each page is kept in ``cache`` (one JSON file) once made: a 100k-line
    input is ≈ 490 pages and takes minutes to typeset (≈ 1 s a page), reading it back well
    under a second. ``max_pages`` stops at that many pages (the stack then cycles through them)."""
    from broadsheet.fixtures import layouts
    from broadsheet.reflow.export.atomic import write_atomic
    folder = cache / f"{lang}-{seed}-{generator_version()}" if cache else None
    pages: list[dict] = []
    total = 0
    k = 0
    while total < n_lines and (max_pages is None or k < max_pages):
        s = seed * 100003 + k
        f = folder / f"{s}.json" if folder else None
        if f is not None and f.is_file():
            doc = json.loads(f.read_text(encoding="utf-8"))
        else:
            doc = layouts.SETS[lang](seed=s).ground_truth(s)[1]
            if f is not None:  # atomic: a run stopped mid-write leaves no half page in the cache
                write_atomic(f, json.dumps(doc, ensure_ascii=False), fsync=False)
        pages.append(doc)
        total += len(doc["lines"])
        k += 1
    return pages


@dataclass(frozen=True)
class ScalingInput:
    """Where part 2's pages come from: ``base`` files / folders, else ``generate`` pages of a
    compose set (``zh``, ``de``, …) from ``seed``, cached in ``cache``."""

    base: tuple[Path, ...] = ()
    generate: str = "zh"
    seed: int = 0
    cache: Path | None = None
    distinct: int | None = None

    def pages(self, n_lines: int) -> list[dict]:
        if self.base:
            return read_bases(list(self.base))
        return generated_pages(self.generate, self.seed, n_lines, self.cache, self.distinct)

    def argv(self) -> list[str]:
        """The options that name this input again (for the child process)."""
        if self.base:
            return ["--base", *map(str, self.base)]
        cache = ["--cache", str(self.cache)] if self.cache else ["--no-cache"]
        cap = ["--distinct", str(self.distinct)] if self.distinct else []
        return ["--generate", self.generate, "--seed", str(self.seed), *cache, *cap]

    def describe(self) -> str:
        if self.base:
            return "base " + " ".join(map(str, self.base))
        cap = f", at most {self.distinct} distinct" if self.distinct else ""
        return (f"generated {self.generate} pages, seed {self.seed} "
                f"(compose --set {self.generate} --seed {self.seed}){cap}")


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


def _children_cpu_s() -> float:
    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    return ru.ru_utime + ru.ru_stime


def _child(n: int, source: ScalingInput, workers: int | None = None) -> None:
    from broadsheet import api
    pages = source.pages(n)
    doc = stack_pages(pages, n)
    bands, distinct = bands_used(pages, n)
    del pages  # the stacked input only, as before: peak RSS comparable with one base file
    c, cc = time.process_time(), _children_cpu_s()
    t = time.perf_counter()
    page = api.read_lines(doc, workers=workers)
    dt = time.perf_counter() - t
    # on a shared host the wall time mostly measures the others; CPU counts the section
    # workers too (forked, joined before read_lines returns)
    own = time.process_time() - c
    cpu = own + _children_cpu_s() - cc
    rss = _peak_rss_mb()
    # the largest worker's peak (Linux counts in it the pages it shares with this process)
    wrss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(json.dumps({"lines": n, "seconds": round(dt, 3), "cpu_s": round(cpu, 3), "reader_cpu_s": round(own, 3),
                      "peak_rss_mb": round(rss, 1), "worker_peak_rss_mb": round(wrss, 1),
                      "sections": page.meta.get("sections", 1),
                      "articles": len(page.articles), "blocks": len(page.blocks),
                      "pages": bands, "distinct_pages": distinct}))


def bench_scaling(sizes: list[int], source: ScalingInput, rounds: int = 1, workers: int | None = None) -> list[dict]:
    """Each size ``rounds`` times in a fresh process; medians of seconds, CPU s and peak RSS.
    ``workers``: `api.read_lines`'s (None: its default)."""
    source.pages(max(sizes))  # generate (and cache) the pages once, before any timing
    wargs = [] if workers is None else ["--workers", str(workers)]
    rows = []
    for n in sizes:
        runs = []
        for _ in range(rounds):
            out = subprocess.run([sys.executable, __file__, "--child", str(n), *source.argv(), *wargs],
                                 capture_output=True, text=True, check=True)
            runs.append(json.loads(out.stdout.strip().splitlines()[-1]))
        row = dict(runs[0])
        for k in ("seconds", "cpu_s", "peak_rss_mb", "worker_peak_rss_mb"):
            row[k] = statistics.median(r[k] for r in runs)
        row["runs"] = len(runs)
        rows.append(row)
    return rows


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("pages", nargs="*", type=Path, help="page folders (default: fixtures/pages/*)")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--engine", default="rapidocr")
    ap.add_argument("--sizes", default="1000,10000,30000,100000")
    src = ap.add_mutually_exclusive_group()
    src.add_argument("--base", type=Path, nargs="+", default=(),
                     help="scaling input from these lines.json files, page folders or set folders "
                          "(in this order; one file = copies of one page, the input before session 10)")
    src.add_argument("--generate", default="zh", choices=("zh", "de", "fr", "en", "seed", "seed-plain"),
                     help="scaling input of distinct generated pages of this compose set (default zh)")
    ap.add_argument("--seed", type=int, default=0, help="seed of the generated pages")
    ap.add_argument("--cache", type=Path, default=None,
                    help="folder for generated pages (default: the user cache, broadsheet/bench-pages)")
    ap.add_argument("--no-cache", action="store_true", help="typeset generated pages in every process")
    ap.add_argument("--distinct", type=int, default=None,
                    help="at most this many generated pages, cycled (a quicker first run)")
    ap.add_argument("--rounds", type=int, default=1, help="runs per size (medians reported)")
    ap.add_argument("--workers", type=int, default=None,
                    help="processes for a scaling input's sections (default: read_lines's, the usable cores; "
                         "1 = in the one process)")
    ap.add_argument("--skip-ocr", action="store_true", help="only the scaling run")
    ap.add_argument("--json", type=Path)
    ap.add_argument("--child", type=int, help=argparse.SUPPRESS)
    a = ap.parse_args(argv)
    if a.distinct is not None and a.distinct < 1:
        ap.error("--distinct needs at least one page")
    if a.no_cache:
        cache = None
    else:
        from broadsheet.cache import cache_root
        cache = a.cache or cache_root() / "bench-pages"
    source = ScalingInput(tuple(a.base), a.generate, a.seed, cache, a.distinct)
    if a.child:
        _child(a.child, source, a.workers)
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
    print(f"\nscaling input: {source.describe()}", flush=True)
    rows = bench_scaling([int(s) for s in a.sizes.split(",")], source, a.rounds, a.workers)
    result["scaling"] = {"input": source.describe(), "rows": rows}
    print(f"{'lines':>8s} {'seconds':>8s} {'CPU s':>8s} {'peak MB':>8s} {'worker MB':>9s} {'articles':>9s} "
          f"{'pages':>6s} {'distinct':>8s}")
    for r in rows:
        print(f"{r['lines']:8d} {r['seconds']:8.2f} {r['cpu_s']:8.2f} {r['peak_rss_mb']:8.0f} "
              f"{r['worker_peak_rss_mb']:9.0f} {r['articles']:9d} {r['pages']:6d} {r['distinct_pages']:8d}")
    if a.json:
        a.json.write_text(json.dumps(result, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
