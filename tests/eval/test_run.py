"""The harness with injected fake engines: perfect scores, errors kept per page, deterministic JSON."""
import json

import pytest

from broadsheet.eval import Engine, RunConfig, main, run
from broadsheet.eval.datasets import load_generator_page, realdata_root
from broadsheet.eval.run import baseline_prediction, prediction_from_page, score_page


def perfect_page_json(gt_dir):
    """What an ideal engine returns for the tiny page (line ids = lines.json indices)."""
    gt = json.loads((gt_dir / "gt.json").read_text(encoding="utf-8"))
    lines = [{"id": d["id"], "bbox": d["box"], "text": d["text"], "order": d["order"],
              "article": d["article"], "block": d["block"]} for d in gt["lines"]]
    blocks = {}
    for d in sorted(gt["lines"], key=lambda d: d["order"]):
        blocks.setdefault(d["block"], []).append(d["id"])
    arts = []
    for a in gt["articles"]:
        bl = sorted({d["block"] for d in gt["lines"] if d["article"] == a["id"]})
        joins = [{"from": 1, "to": 2, "score": 0.9}] if a["id"] == "a" else []
        arts.append({**a, "blocks": bl, "joins": joins})
    return {"width": 400, "height": 120, "lines": lines, "articles": arts,
            "blocks": [{"id": b, "lines": ids} for b, ids in blocks.items()]}


def test_perfect_engine_scores_one_everywhere(gt_page_dir):
    page = load_generator_page(gt_page_dir)
    pred = prediction_from_page(perfect_page_json(gt_page_dir), page, from_image=False)
    m = score_page(page, pred)
    for k in ("art_sim", "join_recall", "join_precision", "tau", "bleu4", "pair_f1", "space_recall",
              "space_precision"):
        assert m[k] == pytest.approx(1.0), k
    for k in ("line_ned", "region_ned", "contamination"):
        assert m[k] == pytest.approx(0.0), k
    assert m["cer"] is None                      # no OCR in lines mode


def test_image_mode_matches_lines_by_box_and_scores_cer(gt_page_dir):
    page = load_generator_page(gt_page_dir)
    out = perfect_page_json(gt_page_dir)
    for ln in out["lines"]:
        ln["id"] += 100                          # OCR ids mean nothing: matching is by box
        ln["text"] = ln["text"][:-1] + "X"
    for b in out["blocks"]:
        b["lines"] = [i + 100 for i in b["lines"]]
    m = score_page(page, prediction_from_page(out, page, from_image=True))
    assert m["tau"] == pytest.approx(1.0)
    n_chars = sum(len(ln.text) for ln in page.lines)
    assert m["cer"] == pytest.approx(len(page.lines) / n_chars)


def test_baselines_on_tiny_page(gt_page_dir):
    page = load_generator_page(gt_page_dir)
    xy = score_page(page, baseline_prediction(page, "xy-cut"))
    rm = score_page(page, baseline_prediction(page, "row-major"))
    assert xy["tau"] == pytest.approx(1.0)
    assert rm["tau"] < xy["tau"]
    assert rm["join_precision"] is None          # baselines make no joins


def fake_engine(gt_dir, fail_on_image=False):
    def read_lines(doc, image=None):
        assert len(doc["lines"]) == 7
        if image is not None and fail_on_image:
            raise RuntimeError("no image support")
        return perfect_page_json(gt_dir)
    return Engine("fake", read_lines=read_lines, read_page=lambda path: perfect_page_json(gt_dir))


def test_run_reports_engine_error_without_stopping(gt_page_dir):
    (gt_page_dir / "page.png").write_bytes(b"not really a png")   # enables the +image system
    res = run([str(gt_page_dir.parent)], fake_engine(gt_page_dir, fail_on_image=True),
              RunConfig(memory="off"))
    systems = res["pages"]["pages"]["tiny"]["systems"]
    assert "no image support" in systems["broadsheet+image"]["error"]
    assert systems["broadsheet"]["metrics"]["tau"] == pytest.approx(1.0)
    assert res["pages"]["summary"]["broadsheet+image"]["errors"] == 1
    assert set(systems) == {"broadsheet", "broadsheet+image", "row-major", "xy-cut"}


def test_broken_page_is_a_table_row_not_a_crash(gt_page_dir, capsys):
    bad = gt_page_dir.parent / "broken"
    bad.mkdir()
    (bad / "gt.json").write_text("{not json", encoding="utf-8")
    assert main([str(gt_page_dir.parent), "-q", "--memory", "off"], engine=fake_engine(gt_page_dir)) == 0
    out = capsys.readouterr().out
    assert "broken: InputError" in out and "malformed JSON" in out
    assert "row-major" in out and "xy-cut" in out and "–" in out     # CER does not apply


def test_json_output_is_deterministic(gt_page_dir, tmp_path):
    (gt_page_dir / "page.png").write_bytes(b"fake")      # the fake engine never opens it
    outs = []
    for k in range(2):
        p = tmp_path / f"r{k}.json"
        assert main([str(gt_page_dir), "-q", "--json", str(p), "--no-perf", "--mode", "both"],
                    engine=fake_engine(gt_page_dir)) == 0
        outs.append(p.read_text(encoding="utf-8"))
    assert outs[0] == outs[1]
    doc = json.loads(outs[0])
    assert doc["schema"] == "broadsheet.eval/1"
    summary = doc["sets"]["tiny"]["summary"]
    assert summary["broadsheet-e2e"]["metrics"]["cer"] == 0.0
    assert "seconds_median" not in summary["broadsheet"]


def test_unknown_set_exits_with_code_2(capsys):
    assert main(["no-such-set", "-q", "--no-engine"]) == 2
    assert "no-such-set" in capsys.readouterr().err


def test_compare_prints_improvement_as_positive(gt_page_dir, tmp_path, capsys):
    old = tmp_path / "old.json"
    assert main([str(gt_page_dir), "-q", "--no-engine", "--json", str(old)]) == 0
    doc = json.loads(old.read_text(encoding="utf-8"))
    summ = doc["sets"]["tiny"]["summary"]["xy-cut"]["metrics"]
    summ["tau"] -= 0.5            # the earlier run was worse in tau ...
    summ["line_ned"] += 0.25      # ... and in line NED (lower is better)
    old.write_text(json.dumps(doc), encoding="utf-8")
    capsys.readouterr()
    assert main([str(gt_page_dir), "-q", "--no-engine", "--compare", str(old)]) == 0
    out = capsys.readouterr().out
    row = [ln for ln in out.splitlines() if ln.startswith("xy-cut")][-1]
    assert "+0.500" in row and "+0.250" in row


@pytest.mark.skipif(not (realdata_root() / "nzz" / "gt").is_dir(), reason="../shared/realdata absent")
def test_xy_cut_reproduces_nzz_reference_tau():
    res = run(["nzz"], None, RunConfig(memory="off"))
    tau = res["nzz"]["summary"]["xy-cut"]["metrics"]["tau"]
    assert 0.88 <= tau <= 0.93
    assert res["nzz"]["summary"]["row-major"]["metrics"]["tau"] < tau


def test_rotate_boxes_matches_opencv_rotation_matrix():
    import cv2
    import numpy as np

    from broadsheet.eval.run import rotate_boxes
    b = np.array([[10.0, 20.0, 110.0, 40.0]])
    Mcv = cv2.getRotationMatrix2D((200.0, 150.0), 3.0, 1.0)
    corners = np.array([[10, 20, 1], [110, 20, 1], [110, 40, 1], [10, 40, 1]], float) @ Mcv.T
    expect = [corners[:, 0].min(), corners[:, 1].min(), corners[:, 0].max(), corners[:, 1].max()]
    assert rotate_boxes(b, 3.0, 400, 300)[0] == pytest.approx(expect)


def test_image_mode_follows_the_engines_deskew_angle(gt_page_dir):
    from broadsheet.eval.run import rotate_boxes
    page = load_generator_page(gt_page_dir)
    out = perfect_page_json(gt_page_dir)
    out["meta"] = {"ocr": {"deskew_angle": 4.0}}
    rot = rotate_boxes(page.boxes(), 4.0, 400, 120)
    for ln in out["lines"]:
        ln["bbox"] = list(rot[ln["id"]])
    m = score_page(page, prediction_from_page(out, page, from_image=True))
    assert m["cer"] == 0.0 and m["tau"] == pytest.approx(1.0)


def test_per_page_table_lists_every_page_and_system(gt_page_dir, capsys):
    assert main([str(gt_page_dir), "-q", "--no-engine", "--per-page"]) == 0
    out = capsys.readouterr().out
    rows = [ln for ln in out.splitlines() if ln.startswith("tiny ")]
    assert [r.split()[1] for r in rows] == ["row-major", "xy-cut"]


def test_image_mode_reads_the_scan_or_the_clean_render(gt_page_dir):
    (gt_page_dir / "page.png").write_bytes(b"fake")
    (gt_page_dir / "scan.jpg").write_bytes(b"fake")
    gt = json.loads((gt_page_dir / "gt.json").read_text(encoding="utf-8"))
    gt["scan"] = "scan.jpg"
    (gt_page_dir / "gt.json").write_text(json.dumps(gt), encoding="utf-8")
    seen = []

    def read_page(path):
        seen.append(path.rsplit("/", 1)[-1])
        return perfect_page_json(gt_page_dir)

    eng = Engine("fake", read_page=read_page)
    run([str(gt_page_dir)], eng, RunConfig(mode="image", memory="off"))
    run([str(gt_page_dir)], eng, RunConfig(mode="image", memory="off", image_source="clean"))
    assert seen == ["scan.jpg", "page.png"]
