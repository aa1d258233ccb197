"""Batch runs: numbered multi-page outputs, resume, bad pages reported, atomic outputs."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from PIL import Image

from broadsheet.batch import expand_inputs, run_batch
from broadsheet.reflow.export.atomic import TEMP_PREFIX, write_atomic
from export_fakes import crashing_read_pages, fake_read_pages


@pytest.fixture
def pages_dir(tmp_path: Path) -> Path:
    d = tmp_path / "in"
    (d / "sub").mkdir(parents=True)
    Image.new("L", (200, 100), 255).save(d / "a.png")
    Image.new("RGB", (120, 90), "white").save(d / "sub" / "b.jpg")
    frames = [Image.new("L", (80, 60), 255), Image.new("L", (80, 60), 200)]
    frames[0].save(d / "multi.tif", save_all=True, append_images=frames[1:])
    (d / "bad.png").write_bytes(b"\x89PNG\r\n\x1a\n garbage")
    (d / "notes.txt").write_text("not a page")
    return d


def _temps(root: Path) -> list[Path]:
    return [p for p in root.rglob(f"{TEMP_PREFIX}*")]


def test_batch_writes_numbered_pages_and_reports_a_bad_page(pages_dir, tmp_path):
    out = tmp_path / "out"
    s = run_batch([str(pages_dir)], out, formats=("json", "md"), workers=0,
                  process_page=fake_read_pages, progress=False)
    assert {r.source.split("/")[-1] for r in s.done} == {"a.png", "b.jpg", "multi.tif"}
    assert s.pages == 4 and s.exit_code == 1
    for name in ("a.json", "a.md", "sub/b.json", "multi-p001.json", "multi-p002.json", "multi-p002.md"):
        assert (out / name).is_file(), name
    assert json.loads((out / "a.json").read_text())["width"] == 200
    summary = json.loads((out / "summary.json").read_text())
    assert summary["done"] == 3 and summary["skipped"] == 0 and summary["pages"] == 4
    assert len(summary["failed"]) == 1 and "bad.png" in summary["failed"][0]["reason"]
    assert summary["seconds_per_page"] is not None
    assert not _temps(out)


def test_resume_skips_finished_files_and_redoes_missing_outputs(pages_dir, tmp_path):
    out = tmp_path / "out"
    run_batch([str(pages_dir)], out, formats="json,alto", workers=0, process_page=fake_read_pages, progress=False)
    (out / "a.mets.xml").unlink()          # an output lost (e.g. killed mid-file)
    (out / "multi-p001.json").unlink()     # page 1 is written last: missing → file not finished
    (out / f"{TEMP_PREFIX}dead-x.json").write_text("{")  # left by a kill
    s = run_batch([str(pages_dir)], out, formats="json,alto", workers=0, process_page=fake_read_pages,
                  progress=False)
    assert sorted(Path(r.source).name for r in s.done) == ["a.png", "multi.tif"]
    assert [Path(r.source).name for r in s.skipped] == ["b.jpg"]
    assert (out / "a.mets.xml").exists() and (out / "multi-p001.json").exists()
    assert not _temps(out) and s.exit_code == 1


def test_worker_processes_run_the_batch_and_exit_code_is_zero_when_all_pass(pages_dir, tmp_path):
    (pages_dir / "bad.png").unlink()
    out = tmp_path / "out"
    s = run_batch([str(pages_dir / "*.png"), str(pages_dir / "multi.tif")], out, formats=("json", "hocr"),
                  workers=2, process_page="export_fakes:fake_read_pages", progress=False)
    assert s.exit_code == 0 and len(s.done) == 2 and s.pages == 3 and s.workers == 2
    assert (out / "a.hocr").exists() and (out / "multi-p002.hocr").exists()


def test_a_dying_worker_fails_only_its_own_page(pages_dir, tmp_path):
    (pages_dir / "bad.png").unlink()
    Image.new("L", (50, 50), 255).save(pages_dir / "crash.png")
    out = tmp_path / "out"
    s = run_batch([str(pages_dir / "a.png"), str(pages_dir / "crash.png")], out, workers=2,
                  process_page=crashing_read_pages, progress=False, max_tasks_per_child=None)
    assert [Path(r.source).name for r in s.done] == ["a.png"]
    assert [Path(r.source).name for r in s.failed] == ["crash.png"]
    assert "worker process died" in s.failed[0].reason


def test_missing_input_is_reported_and_output_name_clash_is_refused(tmp_path):
    tasks, missing = expand_inputs([str(tmp_path / "nothing-*.png")])
    assert not tasks and missing[0].status == "failed"
    for d in ("x", "y"):
        (tmp_path / d).mkdir()
        Image.new("L", (10, 10)).save(tmp_path / d / "p.png")
    with pytest.raises(ValueError, match="p"):
        expand_inputs([str(tmp_path / "x" / "p.png"), str(tmp_path / "y" / "p.png")])


def test_progress_line_goes_to_the_given_stream(pages_dir, tmp_path):
    import io
    buf = io.StringIO()
    run_batch([str(pages_dir / "a.png")], tmp_path / "out", workers=0, process_page=fake_read_pages,
              progress_stream=buf)
    assert "1/1 files" in buf.getvalue() and "done 1" in buf.getvalue()


def test_write_atomic_leaves_no_temp_file_and_keeps_old_content_on_error(tmp_path, monkeypatch):
    p = tmp_path / "d" / "x.txt"
    write_atomic(p, "old")
    with pytest.raises(TypeError):
        write_atomic(p, 12345)  # not bytes/str
    import os

    def fail(*_):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(OSError, match="disk full"):
        write_atomic(p, "new")
    monkeypatch.undo()
    assert p.read_text() == "old" and not _temps(tmp_path)
    write_atomic(p, "新".encode())
    assert p.read_text(encoding="utf-8") == "新"


def test_a_misspelt_process_function_fails_before_any_work(pages_dir, tmp_path):
    with pytest.raises((ImportError, AttributeError)):
        run_batch([str(pages_dir)], tmp_path / "out", process_page="export_fakes:no_such_reader",
                  workers=0, progress=False)
    with pytest.raises(ValueError, match="module:function"):
        run_batch([str(pages_dir)], tmp_path / "out", process_page="export_fakes", workers=0, progress=False)
