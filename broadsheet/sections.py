"""Giant inputs (stacked pages, a stitched-together giant) in independent horizontal sections,
laid out and reflowed one after another or in forked worker processes.

A section ends where white space crosses the whole page (`sections`), and no block, reading
order or continuation crosses that cut, so each section is a page of its own. In turn, each is
numbered where the last ended (`reflow.Numbering`). With ``workers`` > 1 the processes (this
one and ``workers`` − 1 forked ones) claim sections one at a time, biggest first, and solve
each numbered from zero (this one solves the smallest before forking, loading what the page's
language needs once for all); each worker sends its pages back as soon as it has no section left
to claim (numbered from zero, `Shipped`), and once every section's counts are known this one
shifts each page to its place (`reflow.renumbered`): the same page as in turn, byte for byte,
whoever solved what. Forking shares the input with the workers for free; a platform
without ``fork`` (or a daemonic process, which may have no children) reads in turn.
"""
from __future__ import annotations

import contextlib
import multiprocessing
import os
import traceback
from dataclasses import dataclass, replace
from multiprocessing.connection import Connection
from typing import Any

import numpy as np

from broadsheet.layout.analyze import LayoutConfig, analyze, image_structure
from broadsheet.layout.model import Figure, Line, Page, Separator
from broadsheet.reflow import Numbering, ReflowConfig, reflow, renumbered
from broadsheet.reflow.assemble import article_ids_from, places_from

SECTION_LINES = 4000  # above this many lines, a page is laid out in independent sections


def sections(boxes: np.ndarray, limit: int = SECTION_LINES) -> list[np.ndarray]:
    """Line indices in horizontal sections of at most about ``limit`` lines, cut only where
    white space crosses the whole page (two line heights at least). One section for any
    ordinary page; a synthetic or stitched-together giant is processed piece by piece."""
    n = len(boxes)
    if n <= limit:
        return [np.arange(n)]
    h = float(np.median(boxes[:, 3] - boxes[:, 1]))
    order = np.argsort(boxes[:, 1], kind="stable")
    bottoms = np.maximum.accumulate(boxes[order, 3])
    cuts = np.nonzero(boxes[order[1:], 1] >= bottoms[:-1] + 2 * h)[0] + 1
    out, start, last_cut = [], 0, 0
    for c in list(cuts) + [n]:
        if c - start > limit and last_cut > start:
            out.append(order[start:last_cut])
            start = last_cut
        last_cut = c
    out.append(order[start:])
    return [np.sort(s) for s in out if len(s)]


def usable_cores() -> int:
    """The cores this process may run on (its affinity mask where the OS has one)."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return os.cpu_count() or 1


def default_workers() -> int:
    """Workers when none are asked for: the usable cores, as for a batch. A fixed count, not
    one read off the host's load, so a run does the same work wherever it runs; on a host
    another job saturates, ``workers=1`` is faster (Linux shares the CPU between sessions, not
    processes: docs/results.md, session 11)."""
    return usable_cores()


def check_workers(workers: int | None) -> int:
    """``workers`` as a count: None → `default_workers`; below 1 is refused."""
    if workers is None:
        return default_workers()
    if isinstance(workers, bool) or not isinstance(workers, int) or workers < 1:
        raise ValueError(f"workers must be a whole number ≥ 1 (1 = in this process), got {workers!r}")
    return workers


def can_fork() -> bool:
    """Can this process fork workers? (No on Windows, nor in a daemonic process.)"""
    return "fork" in multiprocessing.get_all_start_methods() and not multiprocessing.current_process().daemon


@dataclass(frozen=True)
class SectionJob:
    """One giant input cut into sections: what every section's solve reads (a forked worker
    inherits it as it is, nothing is copied or pickled)."""

    lines: tuple[Line, ...]
    boxes: np.ndarray  # (N, 4) the lines' boxes
    parts: tuple[np.ndarray, ...]  # line indices of each section, top to bottom
    width: int
    height: int
    separators: tuple[Separator, ...]
    figures: tuple[Figure, ...]
    source: str | None
    meta: dict | None
    layout_config: LayoutConfig | None
    reflow_config: ReflowConfig | None

    def solve(self, i: int, numbering: Numbering) -> Page:
        """Section ``i`` laid out and reflowed, numbered from ``numbering``."""
        idx = self.parts[i]
        sub = tuple([self.lines[j] for j in idx.tolist()])
        y0, y1 = self.boxes[idx, 1].min(), self.boxes[idx, 3].max()
        inside = lambda b: y0 <= (b[1] + b[3]) / 2 <= y1  # noqa: E731
        lay = analyze(sub, self.width, self.height, separators=tuple(s for s in self.separators if inside(s.bbox)),
                      figures=tuple(f for f in self.figures if inside(f.bbox)), config=self.layout_config)
        return reflow(lay, config=self.reflow_config, source=self.source, meta=self.meta, numbering=numbering)


def analyze_sections(lines: tuple[Line, ...], boxes: np.ndarray, parts: list[np.ndarray], width: int,
                     height: int, *, image: np.ndarray | None, source: str | None, meta: dict | None,
                     layout_config: LayoutConfig | None, reflow_config: ReflowConfig | None,
                     workers: int = 1) -> Page:
    """Large inputs: rules and photos found once on the whole image, then each section laid
    out and reflowed on its own (no continuation crosses a section cut), by ``workers``
    processes when there is more than one section."""
    seps, figs = image_structure(image, boxes, layout_config or LayoutConfig())
    job = SectionJob(tuple(lines), boxes, tuple(parts), width, height, seps, figs, source, meta,
                     layout_config, reflow_config)
    n_workers = min(workers, len(parts))
    if n_workers > 1 and can_fork():
        pages = solve_forked(job, n_workers)
    else:
        pages = solve_in_turn(job)
    merged = _merge(pages, width, height, lines, source, meta)
    page_meta = pages[0].meta if pages else {}
    merged.meta.update({k: v for k, v in page_meta.items() if k not in merged.meta})
    merged.meta["sections"] = len(parts)
    return merged


def solve_in_turn(job: SectionJob) -> list[Page]:
    """Every section in this process, top to bottom, each numbered where the last ended."""
    pages = []
    numbering = Numbering()
    for i in range(len(job.parts)):
        page = job.solve(i, numbering)
        pages.append(page)
        numbering = numbering.after(page)
    return pages


def solve_forked(job: SectionJob, workers: int) -> list[Page]:
    """Every section by this process and ``workers`` − 1 forked ones; the pages as
    `solve_in_turn` makes them. A worker's error is raised here (its traceback in a note)."""
    ctx = multiprocessing.get_context("fork")
    sizes = np.array([len(p) for p in job.parts])
    # the smallest section first, here, before forking: it loads what the page's language
    # needs (word frequencies, lazy imports; 0.5 s for German) once for every process
    first = int(np.argmin(sizes))
    claims = np.array([i for i in np.argsort(-sizes, kind="stable").tolist() if i != first])  # biggest first
    counter = ctx.Value("q", 0)  # the next claim's place in ``claims`` (shared, locked)
    links: list[Connection] = []
    procs = []
    warm = job.solve(first, Numbering())
    try:
        for _ in range(workers - 1):
            here, there = ctx.Pipe()
            proc = ctx.Process(target=_worker, args=(job, claims, counter, there), daemon=True)
            proc.start()
            there.close()
            links.append(here)
            procs.append(proc)
        mine = {first: warm, **_claim_all(job, claims, counter)}
        theirs = [_answer(link, proc) for link, proc in zip(links, procs)]
        counts = {i: Numbering().after(page) for i, page in mine.items()}
        for got in theirs:
            counts.update({i: shipped.counts() for i, shipped in got.items()})
        starts = _starts([counts[i] for i in range(len(job.parts))])
        pages = {i: renumbered(page, starts[i]) for i, page in mine.items()}
        for got in theirs:
            pages.update({i: shipped.unpack(job.lines, job.parts[i], starts[i]) for i, shipped in got.items()})
        for proc in procs:
            proc.join()
        return [pages[i] for i in range(len(job.parts))]
    finally:
        for proc in procs:
            if proc.is_alive():
                proc.terminate()
                proc.join()
        for link in links:
            link.close()


@dataclass(frozen=True)
class Shipped:
    """A section's page as a worker sends it back, numbered from zero: the page without its
    lines, and per line (in the section's order, which `build_page` keeps) its block, article
    and place. The caller has the lines already; sent whole, every text would be pickled once
    more and unpickled in the caller, which waits for it. Sent unnumbered, the pages go back
    in one message as soon as the worker is done (no round trip for the other sections'
    counts while a core idles), and each line is placed once, by the caller."""

    page: Page  # lines=()
    block: list[int | None]
    article: list[str | None]
    order: list[int | None]

    @staticmethod
    def pack(page: Page) -> Shipped:
        return Shipped(replace(page, lines=()), [ln.block for ln in page.lines],
                       [ln.article for ln in page.lines], [ln.order for ln in page.lines])

    def counts(self) -> Numbering:
        """Where the section after this one starts, as `Numbering.after` of the whole page."""
        return Numbering(len(self.page.blocks), len(self.page.articles), len(self.block))

    def unpack(self, lines: tuple[Line, ...], part: np.ndarray, start: Numbering = Numbering()) -> Page:
        """The page again, from ``lines[part]`` (the section's input lines), numbered from
        ``start``: `renumbered` of the whole page."""
        block, article, order = places_from(self.block, self.article, self.order,
                                            article_ids_from(self.page, start), start)
        got = [lines[j].placed(b, a, o) for j, b, a, o in zip(part.tolist(), block, article, order)]
        return replace(renumbered(self.page, start), lines=tuple(got))


def _starts(counts: list[Numbering]) -> list[Numbering]:
    """Each section's first numbers, from every section's counts (blocks, articles, lines)."""
    out = [Numbering()]
    for c in counts[:-1]:
        p = out[-1]
        out.append(Numbering(p.block + c.block, p.article + c.article, p.line + c.line))
    return out


def _claim_all(job: SectionJob, claims: np.ndarray, counter: Any) -> dict[int, Page]:
    """Sections claimed one at a time until none is left, each solved numbered from zero."""
    out: dict[int, Page] = {}
    while True:
        with counter.get_lock():
            k = counter.value
            counter.value = k + 1
        if k >= len(claims):
            return out
        i = int(claims[k])
        out[i] = job.solve(i, Numbering())


def _worker(job: SectionJob, claims: np.ndarray, counter: Any, link: Connection) -> None:
    """A forked worker: claim and solve sections, send their pages (numbered from zero, the
    parent places them). Any error goes back instead (the parent raises it)."""
    try:
        mine = _claim_all(job, claims, counter)
        link.send(("pages", {i: Shipped.pack(page) for i, page in mine.items()}))
    except BaseException as e:  # noqa: BLE001 — every failure is reported to the parent
        e.add_note(f"in a section worker process (pid {os.getpid()}):\n{traceback.format_exc()}")
        with contextlib.suppress(Exception):
            try:
                link.send(("error", e))
            except Exception:  # an exception that does not pickle: its text
                link.send(("error", RuntimeError(f"{type(e).__name__}: {e}\n{traceback.format_exc()}")))
    finally:
        link.close()


def _answer(link: Connection, proc: Any) -> Any:
    """A worker's next message; its error raised here; a worker gone without one, a clear error."""
    try:
        kind, payload = link.recv()
    except EOFError:
        proc.join()
        raise RuntimeError(f"a section worker process (pid {proc.pid}) ended without an answer "
                           f"(exit code {proc.exitcode}); out of memory?") from None
    if kind == "error":
        raise payload
    return payload


def _merge(parts: list[Page], width: int, height: int, lines: tuple[Line, ...], source, meta) -> Page:
    """Pages of sections (numbered in turn, see `reflow.Numbering`) → one page."""
    out_lines = {ln.id: ln for part in parts for ln in part.lines}
    figures, seps = {}, {}
    for part in parts:
        for f in part.figures:
            figures[f.id] = f
        for s_ in part.separators:
            seps[s_.id] = s_
    blocks = tuple(b for part in parts for b in part.blocks)
    articles = tuple(a for part in parts for a in part.articles)
    order = [part.orders["reading"] for part in parts]
    return Page(width=width, height=height, lines=tuple(out_lines[ln.id] for ln in lines),
                blocks=blocks, articles=articles,
                figures=tuple(figures[k] for k in sorted(figures)), separators=tuple(seps[k] for k in sorted(seps)),
                source=source, orders={"reading": np.concatenate(order)}, meta=dict(meta or {}))
