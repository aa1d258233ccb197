"""Giant inputs in sections: forked workers give the serial page byte for byte; errors reach
the caller; renumbering a section equals numbering it from the start."""
import json
import os
import time
from pathlib import Path

import numpy as np
import pytest

from broadsheet import api
from broadsheet.reflow import Numbering, reflow, renumbered
from broadsheet.reflow.export import render
from broadsheet.sections import SectionJob, Shipped, check_workers, sections, solve_forked, solve_in_turn

PAGES = Path(__file__).resolve().parents[1] / "fixtures" / "pages"


def _stack(names: list[str]) -> dict:
    """Fixture pages' lines stacked into one tall input, each page a band under the last."""
    lines, y, width = [], 0, 0
    for name in names:
        doc = json.loads((PAGES / name / "lines.json").read_text(encoding="utf-8"))
        for ln in doc["lines"]:
            x0, y0, x1, y1 = ln["box"]
            lines.append({"box": [x0, y0 + y, x1, y1 + y], "text": ln["text"]})
        y += doc["height"]
        width = max(width, doc["width"])
    return {"width": width, "height": y, "lines": lines}


@pytest.fixture(scope="module")
def stacked():
    return api.lines_from_doc(_stack(["seed-strips", "de-sample", "seed-tail", "de-sample"]))


def test_forked_sections_give_the_serial_page_byte_for_byte(stacked):
    serial = api.analyze_lines(*stacked, section_lines=300, workers=1)
    assert serial.meta["sections"] >= 4
    want = render(serial, "json")
    for workers in (2, 3):
        page = api.analyze_lines(*stacked, section_lines=300, workers=workers)
        assert render(page, "json") == want
    # one section: the workers are not used, the page is the unsectioned one
    whole = api.analyze_lines(*stacked, section_lines=10**6, workers=2)
    assert "sections" not in whole.meta
    assert render(whole, "json") != want


def _job(lines, width, height, limit=300) -> SectionJob:
    boxes = np.array([ln.bbox for ln in lines], float)
    return SectionJob(lines, boxes, tuple(sections(boxes, limit)), width, height, (), (), None, None, None, None)


def test_renumbered_section_equals_one_numbered_from_its_start():
    lines, w, h = api.lines_from_doc(json.loads((PAGES / "seed-strips" / "lines.json").read_text(encoding="utf-8")))
    from broadsheet.layout.analyze import analyze
    lay = analyze(lines, w, h)
    zero = reflow(lay)
    assert any(a.joins for a in zero.articles)  # the shift is tested on joins too
    start = Numbering(block=17, article=5, line=1234)
    assert render(renumbered(zero, start), "json") == render(reflow(lay, numbering=start), "json")
    assert renumbered(zero, Numbering()) is zero


def test_a_shipped_section_placed_by_the_caller_equals_it_renumbered():
    """A worker sends its pages numbered from zero; the caller counts and places them: the
    page `renumbered` from any start gives, and the counts `Numbering.after` of the whole page."""
    lines, w, h = api.lines_from_doc(json.loads((PAGES / "seed-strips" / "lines.json").read_text(encoding="utf-8")))
    from broadsheet.layout.analyze import analyze
    zero = reflow(analyze(lines, w, h))
    shipped = Shipped.pack(zero)
    assert shipped.page.lines == ()
    assert shipped.counts() == Numbering().after(zero)
    part = np.array([ln.id for ln in zero.lines])
    for start in (Numbering(), Numbering(block=17, article=5, line=1234), Numbering(block=3)):
        got = shipped.unpack(lines, part, start)
        assert render(got, "json") == render(renumbered(zero, start), "json")
    # a start that shifts: not the page numbered from zero (the check above can fail)
    assert render(shipped.unpack(lines, part, Numbering(article=2)), "json") != render(zero, "json")


def test_solve_forked_equals_solve_in_turn_for_every_worker_count(stacked):
    job = _job(*stacked)
    want = [render(p, "json") for p in solve_in_turn(job)]
    for workers in (2, len(job.parts) + 2):
        assert [render(p, "json") for p in solve_forked(job, workers)] == want


class _FailsInWorker(SectionJob):
    """A job whose sections fail in any process but the one that made it."""

    def solve(self, i, numbering):
        if os.getpid() == self.meta["parent"]:
            time.sleep(0.3)  # leave sections for the worker to claim
            return super().solve(i, numbering)
        raise ValueError(f"section {i} cannot be read")


class _DiesInWorker(SectionJob):
    def solve(self, i, numbering):
        if os.getpid() == self.meta["parent"]:
            time.sleep(0.3)
            return super().solve(i, numbering)
        os._exit(3)


def _failing(cls, lines, width, height):
    job = _job(lines, width, height)
    return cls(job.lines, job.boxes, job.parts, width, height, (), (), None, {"parent": os.getpid()}, None, None)


def test_an_error_in_a_worker_is_raised_in_the_caller(stacked):
    with pytest.raises(ValueError, match="cannot be read") as err:
        solve_forked(_failing(_FailsInWorker, *stacked), 2)
    assert any("section worker process" in note for note in err.value.__notes__)


def test_a_worker_that_dies_is_a_clear_error(stacked):
    with pytest.raises(RuntimeError, match="ended without an answer.*exit code 3"):
        solve_forked(_failing(_DiesInWorker, *stacked), 2)


@pytest.mark.parametrize("bad", [0, -2, 1.5, "2", True])
def test_workers_below_one_or_not_a_count_are_refused(bad):
    with pytest.raises(ValueError, match="workers"):
        check_workers(bad)


def test_workers_default_to_the_usable_cores_whatever_the_load(monkeypatch):
    """A fixed count, as for a batch: a run does the same work on a busy host as on an idle one."""
    from broadsheet.sections import usable_cores
    monkeypatch.setattr(os, "getloadavg", lambda: (50.0, 50.0, 50.0))
    assert check_workers(None) == usable_cores()
    assert check_workers(3) == 3
