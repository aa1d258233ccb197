"""The command line as a user meets it: outputs, options and one-line errors."""
import json
import subprocess
import sys
from pathlib import Path

import pytest

from broadsheet.cli import main

ROOT = Path(__file__).resolve().parents[2]
LINES = ROOT / "fixtures" / "pages" / "seed-strips" / "lines.json"


def run(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "broadsheet", *args], capture_output=True, text=True,
                          cwd=cwd, timeout=300)


def test_version_and_help():
    r = run("--version")
    assert r.returncode == 0 and r.stdout.startswith("broadsheet ")
    r = run("read", "--help")
    assert r.returncode == 0 and "--lines" in r.stdout and "--format" in r.stdout


def test_eval_help_reaches_the_evaluator():
    r = run("eval", "--help")
    assert r.returncode == 0 and "--mode" in r.stdout


def test_lines_to_json_on_stdout(capsys):
    assert main(["read", "--lines", str(LINES)]) == 0
    page = json.loads(capsys.readouterr().out)
    assert page["schema"] == "broadsheet.page/1"
    assert len(page["articles"]) >= 5
    n = len(json.loads(LINES.read_text())["lines"])
    assert sorted(ln["id"] for ln in page["lines"]) == list(range(n))


def test_same_input_gives_byte_identical_json(capsys):
    main(["read", "--lines", str(LINES)])
    first = capsys.readouterr().out
    main(["read", "--lines", str(LINES)])
    assert capsys.readouterr().out == first


def test_several_formats_to_a_folder(tmp_path):
    assert main(["-q", "read", "--lines", str(LINES), "-o", str(tmp_path), "--format", "json,md,txt,page"]) == 0
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == ["lines.json", "lines.md", "lines.page.xml", "lines.txt"]
    assert "9个项目与赣州经开区签约" in (tmp_path / "lines.txt").read_text(encoding="utf-8")


@pytest.mark.parametrize("content, cause", [
    ("{not json", "not valid JSON"),
    ('{"width": 10, "height": 10, "lines": [{"text": "x"}]}', "needs a 'box' or a 'polygon'"),
    ('{"width": 0, "height": 10, "lines": []}', "positive numbers"),
    ('[1, 2, 3]', "expected a JSON object"),
])
def test_bad_lines_file_is_one_line_error_naming_the_file(tmp_path, content, cause):
    f = tmp_path / "bad.json"
    f.write_text(content)
    out = tmp_path / "out"
    r = run("read", "--lines", str(f), "-o", str(out))
    assert r.returncode == 2
    assert r.stderr.count("\n") == 1 and str(f) in r.stderr and cause in r.stderr
    assert not out.exists() or not any(out.iterdir())


def test_missing_page_image_is_an_error(tmp_path):
    r = run("read", str(tmp_path / "nope.png"))
    assert r.returncode != 0 and "nope.png" in r.stderr and "Traceback" not in r.stderr


def test_unknown_format_is_refused():
    r = run("read", "--lines", str(LINES), "--format", "docx")
    assert r.returncode == 2 and "docx" in r.stderr and "json" in r.stderr


def test_alto_comes_with_its_mets_and_pictures_use_the_image(tmp_path):
    image = LINES.parent / "page.png"
    assert main(["-q", "read", "--lines", str(LINES), "--image", str(image), "-o", str(tmp_path),
                 "--format", "alto,png"]) == 0
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == ["lines.alto.xml", "lines.mets.xml", "lines.overlay.png"]
    from PIL import Image
    with Image.open(tmp_path / "lines.overlay.png") as im:
        assert im.size == Image.open(image).size
        # drawn on the scan, not on white: the page has dark ink
        assert min(im.convert("L").getextrema()) < 60


def test_engines_lists_what_is_missing_and_why(capsys):
    assert main(["engines"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("rapidocr     installed")
    for line in out.splitlines():
        if line.strip().startswith(("int8 recogniser (default):", "int8 detector (opt-in")):  # cached file or "not built yet"
            assert line.rstrip().endswith(".onnx") or "not built yet" in line
            continue
        assert line.endswith("installed") or "pip install" in line or "not" in line


def test_page_order_articles_reads_each_article_whole(capsys):
    assert main(["read", "--lines", str(LINES), "--page-order", "articles"]) == 0
    page = json.loads(capsys.readouterr().out)
    order = {ln["id"]: ln["order"] for ln in page["lines"]}
    block = {b["id"]: b for b in page["blocks"]}
    for art in page["articles"]:  # an article's lines are one run of the page order
        places = sorted(order[i] for b in art["blocks"] for i in block[b]["lines"])
        assert places == list(range(places[0], places[0] + len(places)))
    assert main(["read", "--lines", str(LINES)]) == 0  # the default is the geometric order
    geo = json.loads(capsys.readouterr().out)
    assert [a["paragraphs"] for a in geo["articles"]] == [a["paragraphs"] for a in page["articles"]]


def test_lines_workers_give_the_same_json_for_a_giant_input(tmp_path, capsys):
    doc = json.loads(LINES.read_text(encoding="utf-8"))
    lines, y = [], 0
    for _ in range(9):  # 4,491 lines: two sections, so --workers 2 forks
        lines += [{"box": [ln["box"][0], ln["box"][1] + y, ln["box"][2], ln["box"][3] + y], "text": ln["text"]}
                  for ln in doc["lines"]]
        y += doc["height"]
    big = tmp_path / "big.json"
    big.write_text(json.dumps({"width": doc["width"], "height": y, "lines": lines}), encoding="utf-8")
    outs = []
    for workers in ("1", "2", "0"):
        assert main(["read", "--lines", str(big), "--workers", workers]) == 0
        outs.append(capsys.readouterr().out)
    assert json.loads(outs[0])["meta"]["sections"] == 2
    assert outs[1] == outs[0] and outs[2] == outs[0]
