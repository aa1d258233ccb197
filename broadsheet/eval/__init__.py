"""``broadsheet eval``: score the engine and the baselines on pages with ground truth.

    python -m broadsheet.eval [SET ...] [--mode lines|image|both] [--json OUT.json] [--engine NAME]

SET is ``fixtures``, ``nzz``, ``newseye``, ``realdata`` (both), a generator page folder or a
folder of them. See ``docs/metrics.md`` for what each number means.
"""
from __future__ import annotations

import argparse
import json
import sys
from typing import Sequence

from ..errors import BroadsheetError
from .datasets import EvalSet, resolve_sets
from .run import (Engine, RunConfig, default_engine, evaluate_set, format_compare, format_pages, format_table,
                  to_json, write_json_atomic)

__all__ = ["main", "run", "Engine", "RunConfig"]


def run(specs: Sequence[str], engine: Engine | None, cfg: RunConfig, *, progress=None,
        only: Sequence[str] = (), limit: int | None = None) -> dict[str, dict]:
    """Evaluate every set named in ``specs``; returns ``{set name: {"pages", "summary"}}``.

    ``only``: keep pages whose name contains one of these strings; ``limit``: first n pages per set.
    """
    results: dict[str, dict] = {}
    for spec in specs:
        for s in resolve_sets(spec):
            pages = tuple(p for p in s.pages if not only or any(o in p[0] for o in only))
            s = EvalSet(s.name, pages[:limit] if limit else pages)
            results[s.name] = evaluate_set(s, engine, cfg, progress)
    return results


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="broadsheet eval",
                                description="Score the engine and the baselines on pages with ground truth "
                                            "(metrics: docs/metrics.md).")
    p.add_argument("sets", nargs="*", default=["fixtures"], metavar="SET",
                   help="fixtures | nzz | newseye | realdata | PAGE_DIR | DIR_OF_PAGES (default: fixtures)")
    p.add_argument("--mode", choices=("lines", "image", "both"), default="lines",
                   help="lines: from GT lines (+ baselines); image: end to end from the scan; both")
    p.add_argument("--image", dest="image_source", choices=("scan", "clean"), default="scan",
                   help="image mode on a generator page: its degraded scan.jpg (default) or page.png")
    p.add_argument("--json", metavar="OUT.json", help="also write the results as JSON")
    p.add_argument("--compare", metavar="OLD.json",
                   help="also print each metric's change against an earlier --json result")
    p.add_argument("--engine", metavar="NAME", default=None, help="OCR engine for image mode (read_page)")
    p.add_argument("--page-order", choices=("geometric", "articles"), default="geometric",
                   help="the engine's page order (ReflowConfig.page_order; default geometric)")
    p.add_argument("--no-engine", action="store_true", help="baselines only")
    p.add_argument("--no-baselines", action="store_true", help="engine only")
    p.add_argument("--memory", choices=("rss", "tracemalloc", "off"), default="rss",
                   help="how peak memory per page is measured (default: rss)")
    p.add_argument("--no-perf", action="store_true",
                   help="leave seconds and memory out of the JSON (byte-identical reruns)")
    p.add_argument("--only", action="append", default=[], metavar="TEXT",
                   help="only pages whose name contains TEXT (repeatable)")
    p.add_argument("--limit", type=int, default=None, metavar="N", help="first N pages of each set")
    p.add_argument("--per-page", action="store_true", help="also print one row per page and system")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress on stderr")
    return p


def main(argv: list[str] | None = None, *, engine: Engine | None = None) -> int:
    """Command-line entry (``broadsheet eval``). ``engine`` overrides ``broadsheet.api`` (tests)."""
    args = build_parser().parse_args(argv)
    old = None
    if args.compare:
        try:
            with open(args.compare, encoding="utf-8") as f:
                old = json.load(f).get("sets", {})
        except (OSError, ValueError, AttributeError) as e:
            print(f"broadsheet eval: {args.compare}: cannot read an earlier result ({e})", file=sys.stderr)
            return 2
    if engine is None and not args.no_engine:
        try:
            engine = default_engine(args.engine, page_order=args.page_order)
        except (ImportError, AttributeError) as e:
            print(f"broadsheet eval: engine not available ({e}); scoring baselines only", file=sys.stderr)
    if args.no_engine:
        engine = None
    cfg = RunConfig(mode=args.mode, memory=args.memory, baselines=not args.no_baselines,
                    image_source=args.image_source)
    progress = None if args.quiet else (lambda s: print(f"  {s}", file=sys.stderr, flush=True))
    try:
        results = run(args.sets, engine, cfg, progress=progress, only=args.only, limit=args.limit)
    except BroadsheetError as e:
        print(f"broadsheet eval: {e}", file=sys.stderr)
        return 2
    for name, res in results.items():
        if args.per_page:
            print(format_pages(name, res))
            print()
        print(format_table(name, res))
        print()
        if old is not None and name in old:
            print(format_compare(name, res, old[name]))
            print()
    if args.json:
        write_json_atomic(args.json, to_json(results, engine=None if engine is None else engine.name,
                                             mode=args.mode, perf=not args.no_perf))
    return 0
