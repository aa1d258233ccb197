#!/usr/bin/env python3
"""Same output check for speed work: a hash of the page JSON of every page, from its lines.

    python scripts/page_hashes.py OUT.json ROOT [ROOT ...] [--synth 1000,100000]
    python scripts/page_hashes.py OUT.json ROOT ... --compare REF.json   # exit 1 if any differs

Every ``lines.json`` under the roots is read as ``broadsheet read --lines LINES`` reads it
(default settings) and its page JSON hashed (SHA-256); ``--synth`` adds the synthetic inputs
of `bench_engine.synthetic` (the fixtures seed-strips and de-sample stacked to N lines). Keys
are the paths with ``--strip`` cut off their front. The page JSON names its source file, so
both runs must read the same files (e.g. one copy of the fixtures) for their hashes to agree.
Run it on the tree before a change and after it (``BS_TREE`` / ``PYTHONPATH`` naming the code):
a speed-up must leave every hash as it was.
"""
from __future__ import annotations

import argparse
import glob
import hashlib
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))


def page_hashes(roots: list[str], synth: list[int], strip: str) -> dict[str, str]:
    from bench_engine import synthetic

    from broadsheet import api
    from broadsheet.api import ReflowConfig
    from broadsheet.reflow.export import render
    out = {}
    for r in roots:
        for f in sorted(glob.glob(str(Path(r) / "**" / "lines.json"), recursive=True)):
            page = api.read_lines(f, reflow_config=ReflowConfig())
            key = f[len(strip):] if strip and f.startswith(strip) else f
            out[key] = hashlib.sha256(render(page, "json").encode()).hexdigest()
    for base in ("seed-strips", "de-sample"):
        for n in synth:
            page = api.read_lines(synthetic(n, ROOT / "fixtures" / "pages" / base / "lines.json"))
            out[f"synth/{base}/{n}"] = hashlib.sha256(render(page, "json").encode()).hexdigest()
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("roots", nargs="*")
    ap.add_argument("--synth", default="", help="comma-separated synthetic sizes")
    ap.add_argument("--strip", default="", help="prefix cut off the page paths in the keys")
    ap.add_argument("--compare", type=Path, help="earlier hashes: report pages that differ")
    a = ap.parse_args(argv)
    hashes = page_hashes(a.roots, [int(s) for s in a.synth.split(",") if s], a.strip)
    a.out.write_text(json.dumps(hashes, indent=0, sort_keys=True) + "\n")
    print(f"{len(hashes)} pages hashed")
    if a.compare:
        ref = json.loads(a.compare.read_text())
        common = sorted(set(ref) & set(hashes))
        differ = [k for k in common if ref[k] != hashes[k]]
        print(f"{len(common)} pages in both, {len(differ)} differ")
        for k in differ:
            print("  differs:", k)
        return 1 if differ else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
