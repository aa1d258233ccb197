"""Many pages in, one set of output files per page out: worker processes, resume, atomic outputs.

``run_batch(inputs, outdir, formats=..., process_page=...)`` expands directories (recursively)
and globs to page files, runs ``process_page(path) -> list[Page]`` on each in worker processes
and writes every requested format per page (``name.json``; a multi-page TIFF/PDF gives
``name-p001.json``, ``name-p002.json`` …). Files found under a directory keep their sub-folders
in ``outdir``.

Resume: a file is done when all its outputs exist — ``name.<ext>`` or ``name-p001.<ext>`` for
every format. Pages are written last page first, so ``-p001`` outputs exist only when the whole
file was finished; every file is written atomically (temp + rename), and temp files a kill left
are removed at start. A bad page is reported and the batch goes on; a worker that dies (crash,
out of memory) is replaced, and the page that killed it is retried alone before being failed.
``summary.json`` (done, skipped, failed with reasons, seconds per page) is written at the end;
``BatchSummary.exit_code`` is 1 when anything failed.
"""
from __future__ import annotations

import glob
import importlib
import json
import multiprocessing
import os
import statistics
import sys
import time
from collections import Counter, deque
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, TextIO

from broadsheet.errors import BroadsheetError

PAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".tif", ".tiff", ".jp2", ".pdf")
DEFAULT_PROCESS = "broadsheet.api:read_pages"
SUMMARY_NAME = "summary.json"

ProcessFn = Callable[[str], list]


@dataclass(frozen=True)
class Task:
    """One input file and its output name (relative to the output directory, no extension)."""

    source: str
    name: str


@dataclass(frozen=True)
class FileResult:
    """What happened to one input file."""

    source: str
    status: str  # "done" | "skipped" | "failed"
    pages: int = 0
    seconds: float = 0.0
    reason: str | None = None
    outputs: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"input": self.source, "status": self.status}
        if self.status == "done":
            d.update(pages=self.pages, seconds=round(self.seconds, 3))
        if self.reason:
            d["reason"] = self.reason
        return d


@dataclass(frozen=True)
class BatchSummary:
    """The batch's outcome; ``to_dict()`` is ``summary.json``."""

    results: tuple[FileResult, ...]
    wall_seconds: float
    workers: int
    formats: tuple[str, ...]
    summary_path: str | None = None

    def _by(self, status: str) -> list[FileResult]:
        return [r for r in self.results if r.status == status]

    @property
    def done(self) -> list[FileResult]:
        return self._by("done")

    @property
    def skipped(self) -> list[FileResult]:
        return self._by("skipped")

    @property
    def failed(self) -> list[FileResult]:
        return self._by("failed")

    @property
    def pages(self) -> int:
        return sum(r.pages for r in self.done)

    @property
    def seconds_per_page(self) -> float | None:
        """Median processing time per page (worker time, not wall time)."""
        per = [r.seconds / r.pages for r in self.done if r.pages]
        return statistics.median(per) if per else None

    @property
    def pages_per_hour(self) -> float | None:
        """Throughput of this run: pages done / wall time."""
        return 3600.0 * self.pages / self.wall_seconds if self.pages and self.wall_seconds > 0 else None

    @property
    def exit_code(self) -> int:
        return 1 if self.failed else 0

    def to_dict(self) -> dict[str, Any]:
        spp = self.seconds_per_page
        pph = self.pages_per_hour
        return {
            "done": len(self.done), "pages": self.pages, "skipped": len(self.skipped),
            "failed": [{"input": r.source, "reason": r.reason} for r in self.failed],
            "seconds_per_page": None if spp is None else round(spp, 3),
            "pages_per_hour": None if pph is None else round(pph, 1),
            "wall_seconds": round(self.wall_seconds, 3), "workers": self.workers,
            "formats": list(self.formats), "items": [r.to_dict() for r in self.results],
        }

    def line(self) -> str:
        """One line for a terminal: counts, speed and where the summary is."""
        spp = self.seconds_per_page
        s = (f"{len(self.done)} done ({self.pages} pages), {len(self.skipped)} skipped, "
             f"{len(self.failed)} failed")
        if spp is not None:
            s += f"; {spp:.2f} s/page"
        if self.summary_path:
            s += f"; summary: {self.summary_path}"
        return s


# --------------------------------------------------------------------------- inputs


def _is_page_file(p: Path) -> bool:
    return p.is_file() and p.suffix.lower() in PAGE_SUFFIXES and not p.name.startswith(".")


def expand_inputs(inputs: list[str]) -> tuple[list[Task], list[FileResult]]:
    """Files, directories (recursive, page files only, sorted) and globs → tasks.

    Inputs that match nothing come back as failed results. Two inputs that would write the
    same output name raise ValueError naming both (before any work is done).
    """
    tasks: list[Task] = []
    missing: list[FileResult] = []
    seen: set[str] = set()

    def add(path: Path, name: str) -> None:
        key = str(path.resolve())
        if key not in seen:
            seen.add(key)
            tasks.append(Task(str(path), name))

    for item in inputs:
        p = Path(item)
        if p.is_dir():
            for f in sorted(q for q in p.rglob("*") if _is_page_file(q)):
                rel = f.relative_to(p)
                add(f, str(rel.with_suffix("")))
        elif p.is_file():
            add(p, p.stem)
        else:
            matches = sorted(glob.glob(item, recursive=True))
            files = [Path(m) for m in matches if _is_page_file(Path(m))]
            dirs = [Path(m) for m in matches if Path(m).is_dir()]
            for f in files:
                add(f, f.stem)
            for d in dirs:
                for f in sorted(q for q in d.rglob("*") if _is_page_file(q)):
                    add(f, str(Path(d.name) / f.relative_to(d).with_suffix("")))
            if not files and not dirs:
                missing.append(FileResult(item, "failed", reason="no such file, directory or matching page files"))
    names = Counter(t.name for t in tasks)
    clash = [n for n, c in names.items() if c > 1]
    if clash:
        srcs = [t.source for t in tasks if t.name == clash[0]]
        raise ValueError(f"inputs {', '.join(srcs)} would all be written as {clash[0]!r} in the output "
                         "directory; process them in separate runs or pass their parent directory")
    return tasks, missing


def page_name(name: str, index: int, count: int) -> str:
    """Output name of page ``index`` (0-based) of a file with ``count`` pages."""
    return name if count == 1 else f"{name}-p{index + 1:03d}"


def outputs_for(outdir: Path, base: str, formats: tuple[str, ...]) -> list[Path]:
    """Every file written for one page (``alto`` brings its ``.mets.xml`` sidecar)."""
    from broadsheet.reflow.export import get_format, mets_path_for

    out = []
    for fmt in formats:
        p = outdir / (base + get_format(fmt).extension)
        out.append(p)
        if fmt == "alto":
            out.append(mets_path_for(p))
    return out


def is_done(task: Task, outdir: Path, formats: tuple[str, ...]) -> bool:
    """All outputs of the task exist (single page, or page 1 of a multi-page file — written last)."""
    return any(all(p.exists() for p in outputs_for(outdir, base, formats))
               for base in (task.name, page_name(task.name, 0, 2)))


# --------------------------------------------------------------------------- work


def resolve_process(process_page: ProcessFn | str | None) -> ProcessFn:
    """A callable, or ``"module:function"`` imported here (default ``broadsheet.api:read_pages``)."""
    if process_page is None:
        process_page = DEFAULT_PROCESS
    if isinstance(process_page, str):
        mod, _, func = process_page.partition(":")
        if not func:
            raise ValueError(f"process function {process_page!r}: expected 'module:function'")
        return getattr(importlib.import_module(mod), func)
    return process_page


def _reason(exc: BaseException) -> str:
    if isinstance(exc, BroadsheetError):
        return str(exc)
    return f"{type(exc).__name__}: {exc}"


def process_file(task: Task, outdir: str, formats: tuple[str, ...],
                 process_page: ProcessFn | str | None) -> FileResult:
    """Run one input file and write its outputs (in a worker). Never raises for a bad page."""
    from broadsheet.reflow.export import get_format, write

    t0 = time.perf_counter()
    written: list[str] = []
    try:
        fn = resolve_process(process_page)
        pages = list(fn(task.source))
        if not pages:
            raise BroadsheetError(f"{task.source}: no pages were read")
        images = None
        if any(f in ("png", "html") for f in formats):
            from broadsheet.ocr.image import load_pages
            images = [p.image for p in load_pages(task.source)]
        n = len(pages)
        for i in reversed(range(n)):  # page 1 last: its outputs mark the file as finished
            base = page_name(task.name, i, n)
            for fmt in formats:
                path = Path(outdir) / (base + get_format(fmt).extension)
                opts: dict[str, Any] = {}
                if fmt in ("png", "html"):
                    opts["image"] = images[i] if images is not None and i < len(images) else None
                written += [str(p) for p in write(pages[i], fmt, path, **opts)]
        return FileResult(task.source, "done", pages=n, seconds=time.perf_counter() - t0,
                          outputs=tuple(written))
    except Exception as exc:  # one bad page must not stop the batch
        return FileResult(task.source, "failed", seconds=time.perf_counter() - t0, reason=_reason(exc),
                          outputs=tuple(written))


# --------------------------------------------------------------------------- progress


@dataclass
class Progress:
    """A one-line progress display on stderr (rewritten in place on a terminal)."""

    total: int
    stream: TextIO | None = None
    enabled: bool = True
    start: float = field(default_factory=time.perf_counter)
    counts: Counter = field(default_factory=Counter)
    pages: int = 0
    _last: float = 0.0

    def update(self, r: FileResult) -> None:
        self.counts[r.status] += 1
        self.pages += r.pages
        if not self.enabled:
            return
        stream = self.stream or sys.stderr
        n = sum(self.counts.values())
        tty = getattr(stream, "isatty", lambda: False)()
        now = time.perf_counter()
        if not tty and n != self.total and now - self._last < 10.0:
            return
        self._last = now
        el = now - self.start
        worked = self.counts["done"] + self.counts["failed"]
        eta = (self.total - n) * el / worked if worked else 0.0
        width = 24
        fill = int(width * n / max(self.total, 1))
        msg = (f"[{'#' * fill}{'.' * (width - fill)}] {n}/{self.total} files "
               f"done {self.counts['done']} skipped {self.counts['skipped']} failed {self.counts['failed']} "
               f"| {self.pages} pages {el:.0f}s eta {eta:.0f}s")
        stream.write(("\r" + msg + "\x1b[K") if tty else msg + "\n")
        if tty and n == self.total:
            stream.write("\n")
        stream.flush()


# --------------------------------------------------------------------------- the batch


def _pool(workers: int, max_tasks_per_child: int | None) -> ProcessPoolExecutor:
    return ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"),
                               max_tasks_per_child=max_tasks_per_child)


def run_batch(
    inputs: list[str],
    outdir: str | os.PathLike,
    *,
    formats: tuple[str, ...] | list[str] | str = ("json",),
    workers: int | None = None,
    process_page: ProcessFn | str | None = None,
    resume: bool = True,
    progress: bool = True,
    max_tasks_per_child: int | None = 50,
    progress_stream: TextIO | None = None,
) -> BatchSummary:
    """Process every page file in ``inputs`` into ``outdir``; returns the summary (also written
    to ``outdir/summary.json``).

    ``process_page`` is a picklable callable ``path -> list[Page]`` or ``"module:function"``
    (default ``broadsheet.api:read_pages``). ``workers`` defaults to ``os.cpu_count()``;
    ``workers=0`` runs in this process (debugging). Worker processes are restarted after
    ``max_tasks_per_child`` files so memory stays bounded.
    """
    from broadsheet.reflow.export import parse_formats
    from broadsheet.reflow.export.atomic import remove_stale_temps, write_atomic

    fmts = parse_formats(formats)
    out = Path(outdir)
    out.mkdir(parents=True, exist_ok=True)
    remove_stale_temps(out)
    if process_page is None or isinstance(process_page, str):
        resolve_process(process_page)  # fail fast on a misspelt or missing import path
    tasks, results = expand_inputs(list(inputs))
    n_workers = (os.cpu_count() or 1) if workers is None else max(0, int(workers))
    t0 = time.perf_counter()
    prog = Progress(len(tasks) + len(results), progress_stream, progress)
    for r in results:
        prog.update(r)

    todo: list[Task] = []
    for t in tasks:
        if resume and is_done(t, out, fmts):
            r = FileResult(t.source, "skipped", reason="outputs exist")
            results.append(r)
            prog.update(r)
        else:
            todo.append(t)

    def record(r: FileResult) -> None:
        results.append(r)
        prog.update(r)

    if n_workers == 0:
        for t in todo:
            record(process_file(t, str(out), fmts, process_page))
    else:
        _run_pool(todo, str(out), fmts, process_page, n_workers, max_tasks_per_child, record)

    order = {t.source: i for i, t in enumerate(tasks)}
    results.sort(key=lambda r: (order.get(r.source, -1), r.source))
    summary_path = out / SUMMARY_NAME
    summary = BatchSummary(tuple(results), time.perf_counter() - t0, n_workers, fmts, str(summary_path))
    write_atomic(summary_path, json.dumps(summary.to_dict(), ensure_ascii=False, indent=1) + "\n")
    return summary


def _run_pool(todo, outdir, fmts, process_page, workers, max_tasks, record) -> None:
    """Feed tasks to a process pool (bounded in flight); survive workers that die."""
    pending: deque[Task] = deque(todo)
    crashes: Counter = Counter()
    window = max(2, 4 * workers)
    while pending:
        pool = _pool(workers, max_tasks)
        inflight: dict[Future, Task] = {}
        broken = False
        try:
            while (pending or inflight) and not broken:
                while pending and len(inflight) < window:
                    t = pending.popleft()
                    if crashes[t] >= 2:
                        record(_run_alone(t, outdir, fmts, process_page))
                        continue
                    inflight[pool.submit(process_file, t, outdir, fmts, process_page)] = t
                if not inflight:
                    continue
                done, _ = wait(inflight, return_when=FIRST_COMPLETED)
                for f in done:
                    t = inflight.pop(f)
                    try:
                        record(f.result())
                    except BrokenProcessPool:
                        crashes[t] += 1
                        pending.appendleft(t)
                        broken = True
                    except Exception as exc:  # e.g. an unpicklable process function
                        record(FileResult(t.source, "failed", reason=_reason(exc)))
            for f, t in inflight.items():  # pool broke: everything in flight goes round again
                crashes[t] += 1
                pending.appendleft(t)
        finally:
            pool.shutdown(wait=not broken, cancel_futures=True)


def _run_alone(task: Task, outdir, fmts, process_page) -> FileResult:
    """Run a task that was in flight when workers died twice in its own process."""
    pool = _pool(1, 1)
    try:
        return pool.submit(process_file, task, outdir, fmts, process_page).result()
    except BrokenProcessPool:
        return FileResult(task.source, "failed",
                          reason="worker process died while reading this file (crash or out of memory)")
    finally:
        pool.shutdown(wait=False, cancel_futures=True)
