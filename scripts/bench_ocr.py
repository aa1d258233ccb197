#!/usr/bin/env python
"""OCR benchmark: character error rate, seconds per page and peak memory, per engine.

Runs over page folders holding ``gt.json`` (format ``broadsheet.gt/1``) plus ``page.png`` (clean)
and, when present, ``scan.jpg`` (degraded; GT boxes are mapped into it with ``scan_transform``).
Each engine runs in its own subprocess so its peak RSS can be read from ``RUSAGE_CHILDREN``.

CER: recognised lines are matched to GT lines by box overlap (each OCR line goes to the GT line it
overlaps most; the texts of all OCR lines matched to one GT line are joined left to right), then
``sum(edit distance) / sum(len(GT text))`` over the page, whitespace removed. Unmatched OCR lines
count as insertions, GT lines with no OCR line as deletions. Word spaces, which CER ignores: space
recall / precision per line after aligning the non-space characters (``broadsheet.eval.metrics.
space_counts``, docs/metrics.md), summed over the page.

    .venv/bin/python scripts/bench_ocr.py fixtures/pages/*/ --engines rapidocr,tesseract \
        --runs 3 --json bench.json
    .venv/bin/python scripts/bench_ocr.py --make-pages /tmp/ocrpages   # synthetic pages with gt.json
    .venv/bin/python scripts/bench_ocr.py ../shared/realdata/nzz/gt/nzz_18640318_0_0_a1_p1_1.json \
        --engines tesseract --config '{"lang": "frk"}'                 # a real NZZ scan
    .venv/bin/python scripts/bench_ocr.py /tmp/ocrpages/bench-zh --ref HEAD~3 --rounds 3
        # the same engine with the OCR package of another commit, alternating, in the same run

The machine is shared, so absolute times drift with the load: compare code versions with
``--ref REV`` (the ``ocr/`` folder of that commit is exported with ``git archive`` into a temporary
folder and imported as ``broadsheet.ocr`` in the worker) and read the ratio table. ``--rounds N``
alternates current/ref worker processes N times per image, so both see the same load;
medians are taken over all runs of all rounds.
"""
from __future__ import annotations

import argparse
import importlib.abc
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from importlib.util import spec_from_file_location
from pathlib import Path

import numpy as np

FONT_DIR = Path("/usr/share/fonts/opentype/noto")
SERIF = FONT_DIR / "NotoSerifCJK-Regular.ttc"
SERIF_BOLD = FONT_DIR / "NotoSerifCJK-Bold.ttc"
SANS_BOLD = FONT_DIR / "NotoSansCJK-Bold.ttc"
LATIN = Path("/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf")
LATIN_BOLD = Path("/usr/share/fonts/truetype/dejavu/DejaVuSerif-Bold.ttf")
SEED_TEXT = Path("/work/shared/seed/page-text.txt")
NO_LINE_START = frozenset("，。、；：？！”’）》」』…")

DE_TEXT = (
    "Die Stadtverwaltung hat am Dienstag die Pläne für den Neubau der Rheinbrücke vorgestellt. "
    "Nach Angaben des Bauamtes sollen die Arbeiten im Frühjahr beginnen und etwa drei Jahre dauern. "
    "Während der Bauzeit wird der Verkehr über eine provisorische Brücke geführt, die nördlich der "
    "bestehenden Brücke errichtet wird. Die Kosten werden auf rund 84 Millionen Euro geschätzt; "
    "Bund und Land übernehmen zusammen etwa zwei Drittel. Anwohner äußerten in einer ersten "
    "Versammlung Bedenken wegen des Lärms, begrüßten aber die geplanten Radwege auf beiden Seiten. "
    "Der Bürgermeister sprach von einem „Jahrhundertprojekt“, das die Altstadt mit dem Hafenviertel "
    "besser verbinden werde. Über die Gestaltung der Brückenpfeiler soll ein Wettbewerb entscheiden. "
)


# ----------------------------------------------------------------------------- test pages


def _paragraphs(lang: str) -> list[str]:
    if lang == "zh" and SEED_TEXT.exists():
        paras = [p.strip() for p in SEED_TEXT.read_text(encoding="utf-8").split("\n")]
        return [p for p in paras if len(p) > 30]
    return [DE_TEXT] * 40


def _wrap(text: str, font, width: int, lang: str) -> list[str]:
    """Greedy line breaking: by character for Chinese, by word for Latin scripts."""
    units = list(text) if lang == "zh" else text.split(" ")
    sep = "" if lang == "zh" else " "
    lines, cur = [], ""
    for u in units:
        cand = (cur + sep + u) if cur else u
        if font.getlength(cand) <= width or not cur:
            cur = cand
        elif lang == "zh" and u in NO_LINE_START and len(cur) > 1:
            # kinsoku: closing punctuation never starts a line; carry the last character over with it
            lines.append(cur[:-1])
            cur = cur[-1] + u
        else:
            lines.append(cur)
            cur = u
    if cur:
        lines.append(cur)
    return lines


def make_page(out: Path, *, lang: str = "zh", width: int = 3000, height: int = 4600,
              columns: int = 6, gutter: int = 16, body_px: int = 34, seed: int = 0) -> dict:
    """Render a synthetic broadsheet page with GT: headline with quote marks, columns separated
    by narrow gutters (some with vertical rules), a photo, and body text; plus a degraded scan."""
    from PIL import Image, ImageDraw, ImageFilter, ImageFont

    rng = np.random.default_rng(seed)
    out.mkdir(parents=True, exist_ok=True)
    img = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(img)
    cjk = lang == "zh"
    body_font = ImageFont.truetype(str(SERIF if cjk else LATIN), body_px, index=2 if cjk else 0)
    head_font = ImageFont.truetype(str(SANS_BOLD if cjk else LATIN_BOLD), 150, index=2 if cjk else 0)
    sub_font = ImageFont.truetype(str(SERIF_BOLD if cjk else LATIN_BOLD), 64, index=2 if cjk else 0)
    lines: list[dict] = []

    def put(x: int, y: int, text: str, font, role: str) -> int:
        draw.text((x, y), text, font=font, fill=0)
        x0, y0, x1, y1 = draw.textbbox((x, y), text, font=font)
        lines.append({"id": len(lines), "box": [x0, y0, x1, y1], "text": text, "role": role,
                      "article": None, "frame": None, "block": None, "order": len(lines)})
        return y1

    margin = 110
    headline = "赣州经开区：招大引强交出“硬核”答卷" if cjk else "„Jahrhundertprojekt“ am Rhein"
    put(margin, 90, headline, head_font, "title")
    sub = "广东肇庆高新区构建“项目招商—要素保障—建设投产”闭环" if cjk else "Neubau der Rheinbrücke beginnt im Frühjahr"
    put(margin, 300, sub, sub_font, "subtitle")
    draw.rectangle([margin, 420, width - margin, 425], fill=0)
    col_w = (width - 2 * margin - (columns - 1) * gutter) // columns
    top = 460
    photo = (margin + 2 * (col_w + gutter), top, margin + 4 * (col_w + gutter) - gutter, top + 900)
    noise = rng.normal(128, 50, (photo[3] - photo[1], photo[2] - photo[0]))
    gx = np.linspace(0, 120, photo[2] - photo[0])[None, :]
    pic = Image.fromarray(np.clip(noise * 0.3 + gx + 60, 0, 255).astype(np.uint8)).filter(
        ImageFilter.GaussianBlur(3))
    img.paste(pic, photo[:2])
    text_iter = iter(_paragraphs(lang) * 4)
    pitch = int(body_px * 1.45)
    pending: list[str] = []
    for c in range(columns):
        x = margin + c * (col_w + gutter)
        y = photo[3] + 30 if 2 <= c < 4 else top
        if c in (1, 4):  # vertical rule inside the gutter left of this column
            gx0 = x - gutter // 2 - 1
            draw.rectangle([gx0, top, gx0 + 1, height - 120], fill=0)
        while y + pitch < height - 130:
            if not pending:
                para = next(text_iter)
                pending = _wrap(("　　" if cjk else "") + para, body_font, col_w, lang)
                if cjk:
                    pending[0] = pending[0].lstrip("　")
            y_next = put(x, y, pending.pop(0), body_font, "body")
            y += pitch
            del y_next
    img.save(out / "page.png", optimize=True)

    # Degraded scan: small rotation, blur, noise, uneven paper, JPEG.
    angle = float(rng.uniform(-1.2, 1.2))
    cx, cy = width / 2, height / 2
    import cv2

    M = cv2.getRotationMatrix2D((cx, cy), angle, 1.0)
    arr = np.asarray(img, np.float32)
    arr = cv2.warpAffine(arr, M, (width, height), flags=cv2.INTER_LINEAR, borderValue=255)
    arr = cv2.GaussianBlur(arr, (0, 0), 0.9)
    shade = np.linspace(0, 25, width, dtype=np.float32)[None, :]
    arr = arr * 0.85 + 30 - shade + rng.normal(0, 9, arr.shape).astype(np.float32)
    Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8)).save(out / "scan.jpg", quality=55)
    gt = {"schema": "broadsheet.gt/1", "name": out.name, "lang": lang, "width": width,
          "height": height, "image": "page.png", "scan": "scan.jpg",
          "scan_transform": M.tolist(), "lines": lines, "blocks": [], "articles": [],
          "frames": [], "joins": [], "figures": [{"id": 0, "bbox": list(photo), "kind": "photo",
                                                  "article": None}], "separators": []}
    (out / "gt.json").write_text(json.dumps(gt, ensure_ascii=False, indent=1), encoding="utf-8")
    return gt


# ----------------------------------------------------------------------------- scoring


def edit_distance(a: str, b: str) -> int:
    """Levenshtein distance, one NumPy row at a time (O(len(a)·len(b)) but vectorised per row)."""
    if not a:
        return len(b)
    if not b:
        return len(a)
    bb = np.frombuffer(b.encode("utf-32-le"), dtype=np.uint32)
    prev = np.arange(len(b) + 1, dtype=np.int64)
    aa = np.frombuffer(a.encode("utf-32-le"), dtype=np.uint32)
    for i in range(1, len(aa) + 1):
        sub = prev[:-1] + (bb != aa[i - 1])
        cur = np.empty_like(prev)
        cur[0] = i
        cur[1:] = np.minimum(sub, prev[1:] + 1)
        # insertions need a running minimum: cur[j] = min(cur[j], cur[j-1] + 1)
        cur = np.minimum.accumulate(cur - np.arange(len(cur))) + np.arange(len(cur))
        prev = cur
    return int(prev[-1])


def _norm(s: str) -> str:
    return "".join(s.split())


def score_page(gt_lines: list[dict], boxes: np.ndarray, ocr: list[dict]) -> dict:
    """CER of OCR lines against GT lines (boxes already in the same image space)."""
    from broadsheet.layout.geometry import intersection_area

    ob = np.array([o["bbox"] for o in ocr], float).reshape(-1, 4)
    if len(ob) and len(boxes):
        inter = intersection_area(ob, boxes)
        area = np.maximum((ob[:, 2] - ob[:, 0]) * (ob[:, 3] - ob[:, 1]), 1.0)
        best = inter.argmax(axis=1)
        ok = inter[np.arange(len(ob)), best] / area > 0.3
    else:
        best = np.zeros(len(ob), int)
        ok = np.zeros(len(ob), bool)
    from broadsheet.eval.metrics import space_counts

    errors = 0
    total = 0
    spaces = np.zeros(4, dtype=np.int64)
    per_gt: dict[int, list[int]] = {}
    for i in np.flatnonzero(ok):
        per_gt.setdefault(int(best[i]), []).append(int(i))
    for j, g in enumerate(gt_lines):
        ref = _norm(g["text"])
        pieces = [ocr[i]["text"] for i in sorted(per_gt.get(j, []), key=lambda i: ob[i, 0])]
        hyp = "".join(_norm(t) for t in pieces)
        errors += edit_distance(hyp, ref)
        spaces += space_counts(g["text"], " ".join(pieces))
        total += len(ref)
    inserted = sum(len(_norm(ocr[i]["text"])) for i in np.flatnonzero(~ok))
    errors += inserted
    return {"errors": errors, "chars": total, "cer": errors / max(total, 1),
            "unmatched_ocr_chars": inserted, "ocr_lines": len(ocr), "gt_lines": len(gt_lines),
            "space_recall": spaces[1] / spaces[0] if spaces[0] else None,
            "space_precision": spaces[3] / spaces[2] if spaces[2] else None}


def load_gt(page: Path) -> tuple[dict, dict[str, Path]]:
    """A benchmark page: a generator folder with gt.json, or an NZZ ``realdata`` GT json file
    (``…/nzz/gt/NAME.json`` with its scan in ``…/nzz/img/NAME.png``). Returns (gt, images)."""
    if page.is_dir():
        gt = json.loads((page / "gt.json").read_text(encoding="utf-8"))
        images = {"page": page / gt["image"]}
        if gt.get("scan"):
            images["scan"] = page / gt["scan"]
        return gt, images
    raw = json.loads(page.read_text(encoding="utf-8"))
    lines = []
    for region in raw["regions"]:
        for ln in region.get("lines", []):
            pts = np.asarray(ln["polygon"], float).reshape(-1, 2)
            if ln.get("text"):
                lines.append({"box": [*pts.min(0).tolist(), *pts.max(0).tolist()], "text": ln["text"]})
    img = page.parent.parent / "img" / (page.stem + ".png")
    gt = {"name": page.stem, "lang": "de", "lines": lines, "scan_transform": None}
    return gt, {"scan": img} if img.exists() else {}


def gt_boxes_for(gt: dict, which: str, deskew: float = 0.0, size: tuple[int, int] | None = None) -> np.ndarray:
    """GT line boxes in the coordinates of the OCR output: clean page → scan (``scan_transform``)
    → deskewed scan (the rotation ``run_ocr`` applied, about the centre of an image of ``size``)."""
    from broadsheet.ocr import rotation_matrix

    boxes = np.array([l["box"] for l in gt["lines"]], float).reshape(-1, 4)
    x0, y0, x1, y1 = boxes.T
    pts = np.stack([np.stack([x0, y0], 1), np.stack([x1, y0], 1),
                    np.stack([x1, y1], 1), np.stack([x0, y1], 1)], 1)  # N,4,2
    if which == "scan" and gt.get("scan_transform"):
        M = np.array(gt["scan_transform"], float)
        pts = pts @ M[:, :2].T + M[:, 2]
    if deskew and size:
        R = rotation_matrix(size[0], size[1], deskew)
        pts = pts @ R[:, :2].T + R[:, 2]
    return np.concatenate([pts.min(1), pts.max(1)], 1)


# ----------------------------------------------------------------------------- runner


class _OcrSourceFinder(importlib.abc.MetaPathFinder):
    """Resolves ``broadsheet.ocr`` and its submodules to another copy of the ``ocr/`` folder."""

    def __init__(self, root: Path):
        self.root = root

    def find_spec(self, fullname, path=None, target=None):
        if fullname != "broadsheet.ocr" and not fullname.startswith("broadsheet.ocr."):
            return None
        base = self.root.joinpath(*fullname.split(".")[2:])
        if (base / "__init__.py").is_file():
            return spec_from_file_location(fullname, base / "__init__.py", submodule_search_locations=[str(base)])
        if base.with_suffix(".py").is_file():
            return spec_from_file_location(fullname, base.with_suffix(".py"))
        return None


def export_ocr_source(rev: str, dest: Path) -> Path:
    """The ``ocr/`` folder of commit ``rev`` of this repository, written below ``dest``."""
    repo = Path(__file__).resolve().parent.parent
    archive = subprocess.run(["git", "-C", str(repo), "archive", rev, "ocr"], check=True,
                             capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(dest)], input=archive, check=True)
    return dest / "ocr"


def _worker(args: argparse.Namespace) -> None:
    """Child process: OCR each image ``runs`` times, print one JSON line per image."""
    if args.ocr_source:
        sys.meta_path.insert(0, _OcrSourceFinder(Path(args.ocr_source)))
    from broadsheet.ocr import OcrConfig, get_engine, load_image_array, run_ocr

    cfg_kw = json.loads(args.config or "{}")
    cfg = OcrConfig(**cfg_kw)
    settings = {**cfg.engine_settings(args.worker), **json.loads(args.engine_args or "{}")}
    engine = get_engine(args.worker, **settings)
    for img_path in args.images:
        image = load_image_array(img_path)
        times, cpu, result = [], [], None
        for _ in range(args.runs):
            t, c = time.perf_counter(), _cpu_seconds()
            result = run_ocr(image, engine=engine, config=cfg)
            times.append(time.perf_counter() - t)
            cpu.append(_cpu_seconds() - c)
        lines = [{"bbox": list(map(float, l.bbox)), "text": l.text} for l in result.lines]
        print(json.dumps({"image": img_path, "times": times, "cpu": cpu, "lines": lines,
                          "size": [result.width, result.height],
                          "deskew": result.deskew_angle, "engine_version": result.engine_version,
                          "settings": result.settings,
                          "maxrss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss},
                         ensure_ascii=False), flush=True)


def _cpu_seconds() -> float:
    """CPU time of this process and its children (tesseract runs as a child process)."""
    me = resource.getrusage(resource.RUSAGE_SELF)
    ch = resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + ch.ru_utime + ch.ru_stime


def run_engine(engine: str, images: list[str], runs: int, config: dict, threads: int,
               engine_args: dict | None = None, ocr_source: Path | None = None) -> tuple[list[dict], float]:
    env = dict(os.environ, OMP_NUM_THREADS=str(threads))
    cmd = [sys.executable, __file__, "--worker", engine, "--runs", str(runs),
           "--config", json.dumps(config), "--engine-args", json.dumps(engine_args or {})]
    if ocr_source is not None:
        cmd += ["--ocr-source", str(ocr_source)]
    cmd += images
    # os.wait4 gives this one child's rusage (RUSAGE_CHILDREN would be the max over all children).
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    stdout, stderr = proc.communicate()
    if proc.returncode != 0:
        raise SystemExit(f"{engine} failed:\n{stderr[-3000:]}")
    out = [json.loads(l) for l in stdout.splitlines() if l.startswith("{")]
    rss_kb = max((o.get("maxrss_kb", 0) for o in out), default=0)
    rss_kb = max(rss_kb, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss if not out else 0)
    return out, rss_kb / 1024.0


def _variants(args: argparse.Namespace, tmp: Path) -> list[tuple[str, str, Path | None, dict | None]]:
    """(label, engine name, ocr source or None, engine args) for every engine, current code and
    each ``--ref``, and every ``--variant`` of the current code."""
    refs = [r for r in (args.ref or "").split(",") if r]
    base_args = json.loads(args.engine_args)
    sources: list[tuple[str, Path | None, dict | None]] = [("", None, base_args)]
    for name, extra in _parse_variants(args.variant):
        sources.append((f"#{name}", None, {**base_args, **extra}))
    for k, rev in enumerate(refs):
        dest = tmp / f"ref{k}"
        dest.mkdir()
        sources.append((f"@{rev}", export_ocr_source(rev, dest), None))
    return [(engine + tag, engine, src, eargs) for engine in args.engines.split(",") for tag, src, eargs in sources]


def _parse_variants(specs: list[str] | None) -> list[tuple[str, dict]]:
    """``NAME=JSON`` → (NAME, engine args)."""
    out = []
    for spec in specs or []:
        name, sep, js = spec.partition("=")
        if not sep or not name:
            raise SystemExit(f"--variant wants NAME=JSON, got {spec!r}")
        out.append((name, json.loads(js)))
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("pages", nargs="*", help="page folders with gt.json")
    ap.add_argument("--engines", default="rapidocr")
    ap.add_argument("--runs", type=int, default=3, help="OCR runs per worker process")
    ap.add_argument("--rounds", type=int, default=1,
                    help="worker processes per engine and image, current and --ref alternating")
    ap.add_argument("--ref", help="comma-separated git revisions: also run their ocr/ package")
    ap.add_argument("--which", default="page,scan", help="page (clean), scan (degraded) or both")
    ap.add_argument("--config", default="{}", help='OcrConfig fields as JSON, e.g. {"det_long_side": 2400}')
    ap.add_argument("--engine-args", default="{}",
                    help='extra engine keyword settings as JSON (current code only), e.g. {"rec_batch": 12}')
    ap.add_argument("--variant", action="append", metavar="NAME=JSON",
                    help='also run the current code with these engine args on top of --engine-args, '
                         'alternating with the others in the same rounds (repeatable), e.g. '
                         '--variant \'int8={"rec_precision": "int8"}\'; a ratio table against the plain '
                         'engine closes the output')
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--json", help="write results here")
    ap.add_argument("--dump", metavar="DIR", help="also write each page's OCR lines as JSON into DIR")
    ap.add_argument("--make-pages", metavar="DIR", help="render synthetic test pages into DIR and exit")
    ap.add_argument("--worker", help=argparse.SUPPRESS)
    ap.add_argument("--ocr-source", help=argparse.SUPPRESS)
    ap.add_argument("images", nargs="*", help=argparse.SUPPRESS)
    args, rest = ap.parse_known_args(argv)
    if args.worker:
        args.images = args.pages + rest
        _worker(args)
        return 0
    if args.make_pages:
        root = Path(args.make_pages)
        make_page(root / "bench-zh", lang="zh", seed=1)
        make_page(root / "bench-de", lang="de", seed=2, body_px=30, columns=6)
        print(f"wrote {root}/bench-zh, {root}/bench-de")
        return 0
    config = json.loads(args.config)
    rows = []
    with tempfile.TemporaryDirectory(prefix="bench_ocr_ref_") as tmp:
        variants = _variants(args, Path(tmp))
        for page_dir in map(Path, args.pages):
            gt, images = load_gt(page_dir)
            for which in args.which.split(","):
                if which not in images or not images[which].exists():
                    continue
                got: dict[str, list[tuple[dict, float]]] = {label: [] for label, *_ in variants}
                for _round in range(args.rounds):
                    for label, engine, src, eargs in variants:
                        res, rss = run_engine(engine, [str(images[which])], args.runs, config, args.threads,
                                              eargs, src)
                        got[label].append((res[0], rss))
                for label, *_ in variants:
                    rows.append(_row(label, page_dir, which, gt, got[label], args.dump))
    if args.json:
        Path(args.json).write_text(json.dumps(rows, ensure_ascii=False, indent=1), encoding="utf-8")
    print("\n| engine | page | image | CER | SpR / SpP | s/page (median wall) | CPU s/page | peak RSS MB | lines OCR/GT |")
    print("|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        sp = "/".join("–" if v is None else f"{v:.3f}" for v in (r["space_recall"], r["space_precision"]))
        print(f"| {r['engine']} | {r['page']} | {r['image']} | {r['cer'] * 100:.2f} % | {sp} | "
              f"{r['sec_median']:.2f} | {r['cpu_sec_median']:.2f} | {r['peak_rss_mb']:.0f} | {r['ocr_lines']}/{r['gt_lines']} |")
    if args.ref or args.variant:
        _print_ratios(rows)
    return 0


def _row(label: str, page_dir: Path, which: str, gt: dict, runs: list[tuple[dict, float]], dump: str | None) -> dict:
    """One result row from the worker outputs of all rounds (CER from the last one)."""
    r = runs[-1][0]
    times = [t for o, _ in runs for t in o["times"]]
    cpu = [c for o, _ in runs for c in o["cpu"]]
    rss = max(m for _, m in runs)
    if dump:
        Path(dump).mkdir(parents=True, exist_ok=True)
        out = Path(dump) / f"{label.replace('@', '-at-')}-{page_dir.stem}-{which}.json"
        out.write_text(json.dumps(r["lines"], ensure_ascii=False), encoding="utf-8")
    sc = score_page(gt["lines"], gt_boxes_for(gt, which, r["deskew"], r["size"]), r["lines"])
    row = {"engine": label, "page": page_dir.stem, "image": which,
           "lang": gt.get("lang"), "cer": sc["cer"], "errors": sc["errors"],
           "chars": sc["chars"], "gt_lines": sc["gt_lines"],
           "space_recall": sc["space_recall"], "space_precision": sc["space_precision"],
           "ocr_lines": sc["ocr_lines"], "sec_median": statistics.median(times),
           "cpu_sec_median": statistics.median(cpu), "times": times, "cpu": cpu,
           "load_avg": os.getloadavg()[0],
           "runs": len(times), "peak_rss_mb": rss, "deskew": r["deskew"],
           "engine_version": r["engine_version"], "settings": r["settings"]}
    print(f"{label:16s} {page_dir.stem[:12]:12s} {which:5s} CER {row['cer'] * 100:6.2f}%  "
          f"{row['sec_median']:6.2f} s (cpu {row['cpu_sec_median']:6.2f} s, load {row['load_avg']:.1f})  "
          f"{rss:7.0f} MB  lines {row['ocr_lines']}/{row['gt_lines']}  deskew {row['deskew']:+.2f}°", flush=True)
    return row


def _print_ratios(rows: list[dict]) -> None:
    """Current code against each ``--ref`` (and each ``--variant`` against the plain engine) on the
    same page and image: median time ratios."""
    print("\n| engine | vs | page | image | wall ratio | CPU ratio | CER now / ref | RSS MB now / ref |")
    print("|---|---|---|---|---|---|---|---|")
    by_key = {(r["engine"], r["page"], r["image"]): r for r in rows}
    for r in rows:
        if "@" not in r["engine"] and "#" not in r["engine"]:
            continue
        base = by_key.get((r["engine"].split("@")[0].split("#")[0], r["page"], r["image"]))
        if base is None:
            continue
        if "#" in r["engine"]:  # a variant: variant / plain engine
            base, r = r, base
        print(f"| {base['engine']} | {r['engine']} | {r['page']} | {r['image']} | "
              f"{base['sec_median'] / r['sec_median']:.2f} | {base['cpu_sec_median'] / r['cpu_sec_median']:.2f} | "
              f"{base['cer'] * 100:.2f} % / {r['cer'] * 100:.2f} % | {base['peak_rss_mb']:.0f} / {r['peak_rss_mb']:.0f} |")


if __name__ == "__main__":
    sys.exit(main())
