"""The scaling input of scripts/bench_engine.py: distinct pages stacked, not copies of one."""
from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PAGES = ROOT / "fixtures" / "pages"


def _load_script():
    spec = importlib.util.spec_from_file_location("bench_engine", ROOT / "scripts" / "bench_engine.py")
    mod = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("bench_engine", mod)  # dataclasses look their module up
    spec.loader.exec_module(mod)
    return mod


be = _load_script()


def _page(n: int, h: int, w: int = 100, tag: str = "p") -> dict:
    """A toy page of n lines, each 10 px high, spread over its height."""
    step = (h - 10) // max(n, 1)
    return {"width": w, "height": h,
            "lines": [{"box": [5, k * step, w - 5, k * step + 10], "text": f"{tag}{k}"} for k in range(n)]}


def _fonts(lang: str) -> None:
    from broadsheet.fixtures import fonts
    try:
        fonts.check(lang)
    except fonts.FontsMissing as e:
        pytest.skip(f"fonts missing, page generation not tested: {e}")


def test_distinct_pages_are_stacked_in_order_before_any_repeats():
    pages = [_page(3, 50, tag="a"), _page(4, 80, tag="b"), _page(2, 30, tag="c")]
    doc = be.stack_pages(pages, 9)
    assert [ln["text"] for ln in doc["lines"]] == ["a0", "a1", "a2", "b0", "b1", "b2", "b3", "c0", "c1"]
    assert doc["height"] == 50 + 80 + 30
    assert be.bands_used(pages, 9) == (3, 3)


def test_pages_cycle_only_when_they_run_out():
    pages = [_page(3, 50, tag="a"), _page(2, 40, tag="b")]
    doc = be.stack_pages(pages, 7)
    assert [ln["text"] for ln in doc["lines"]] == ["a0", "a1", "a2", "b0", "b1", "a0", "a1"]
    assert doc["lines"][5]["box"][1] == pages[0]["lines"][0]["box"][1] + 90
    assert be.bands_used(pages, 7) == (3, 2)


@pytest.mark.parametrize("n", [1, 5, 6, 11, 250])
def test_exact_line_count(n):
    doc = be.stack_pages([_page(5, 60), _page(1, 20)], n)
    assert len(doc["lines"]) == n


def test_bands_do_not_overlap_and_keep_x():
    pages = [be.read_bases([PAGES / "seed-strips"])[0], be.read_bases([PAGES / "sample"])[0]]
    n = len(pages[0]["lines"]) + len(pages[1]["lines"]) + 50
    doc = be.stack_pages(pages, n)
    spans, top, k = [], 0, 0
    for p in [pages[0], pages[1], pages[0]]:
        got = doc["lines"][k:k + len(p["lines"])]
        ys = [ln["box"][1] for ln in got] + [ln["box"][3] for ln in got]
        assert top <= min(ys) and max(ys) <= top + p["height"]
        assert [ln["box"][0] for ln in got] == [ln["box"][0] for ln in p["lines"][:len(got)]]
        spans.append((min(ys), max(ys)))
        top += p["height"]
        k += len(p["lines"])
    assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:]))
    assert doc["width"] == max(p["width"] for p in pages) and doc["height"] == top


def test_one_file_gives_the_old_copies():
    base = PAGES / "de-sample" / "lines.json"
    src = json.loads(base.read_text(encoding="utf-8"))
    n = 2 * len(src["lines"]) + 7
    doc = be.synthetic(n, base)
    m = len(src["lines"])
    for i in (0, m - 1, m, 2 * m + 6):
        x0, y0, x1, y1 = src["lines"][i % m]["box"]
        off = (i // m) * src["height"]
        assert doc["lines"][i] == {"box": [x0, y0 + off, x1, y1 + off], "text": src["lines"][i % m]["text"]}
    assert (doc["width"], doc["height"]) == (src["width"], 3 * src["height"])


def test_stacking_is_deterministic():
    pages = be.read_bases([PAGES])
    a = json.dumps(be.stack_pages(pages, 3000), sort_keys=True)
    assert a == json.dumps(be.stack_pages(be.read_bases([PAGES]), 3000), sort_keys=True)


def test_read_bases_takes_files_page_folders_and_set_folders_in_order():
    by_file = be.read_bases([PAGES / "sample" / "lines.json", PAGES / "de-sample"])
    assert [len(p["lines"]) for p in by_file] == [113, 287]
    by_set = be.read_bases([PAGES])
    names = sorted(d.name for d in PAGES.iterdir() if (d / "lines.json").is_file())
    assert len(by_set) == len(names)
    assert by_set[names.index("de-sample")] == by_file[1]


def test_read_bases_refuses_a_folder_without_pages(tmp_path):
    with pytest.raises(FileNotFoundError):
        be.read_bases([tmp_path])
    with pytest.raises(ValueError):
        be.stack_pages([{"width": 1, "height": 1, "lines": []}], 5)


def test_generated_pages_are_the_compose_set_pages_and_are_cached(tmp_path):
    _fonts("de")
    from broadsheet.fixtures import compose
    assert compose.main(["--set", "de", "--count", "2", "--seed", "7", "--out", str(tmp_path / "set")]) == 0
    written = be.read_bases([tmp_path / "set"])
    n = len(written[0]["lines"]) + 1          # needs a second page
    fresh = be.generated_pages("de", 7, n, tmp_path / "cache")
    assert fresh == written
    assert fresh[0]["lines"] != fresh[1]["lines"]
    # a second call reads the cache: a marked file there is what comes back
    folder = next((tmp_path / "cache").iterdir())
    f = folder / f"{7 * 100003}.json"
    marked = dict(fresh[0], lines=fresh[0]["lines"][:-1] + [{"box": [0, 0, 1, 1], "text": "cached"}])
    f.write_text(json.dumps(marked), encoding="utf-8")
    again = be.generated_pages("de", 7, n, tmp_path / "cache")
    assert again[0]["lines"][-1]["text"] == "cached" and again[1] == fresh[1]
    assert len(be.generated_pages("de", 7, 10 ** 6, tmp_path / "cache", max_pages=2)) == 2


def test_scaling_run_reports_the_distinct_pages(tmp_path):
    out = tmp_path / "r.json"
    assert be.main(["--skip-ocr", "--sizes", "150", "--base", str(PAGES / "sample"),
                    str(PAGES / "sample" / "lines.json"), "--json", str(out)]) == 0
    row = json.loads(out.read_text())["scaling"]["rows"][0]
    assert (row["lines"], row["pages"], row["distinct_pages"]) == (150, 2, 2)


def test_no_distinct_pages_is_refused():
    with pytest.raises(SystemExit):
        be.main(["--skip-ocr", "--distinct", "0"])
