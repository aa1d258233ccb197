"""Command line: ``broadsheet read``, ``broadsheet eval``, ``broadsheet engines``,
``broadsheet models build-int8``.

A thin shell over ``broadsheet.api``: arguments in, page outputs out. Logging goes to
stderr, page JSON to stdout. Errors are one line naming the file and the cause, with a
non-zero exit; ``--debug`` shows the traceback.
"""
from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from ._version import __version__
from .errors import BroadsheetError

log = logging.getLogger("broadsheet")

DEFAULT_FORMATS = "json"
EXTENSIONS = {"json": ".json", "md": ".md", "txt": ".txt", "page": ".page.xml", "alto": ".alto.xml",
              "hocr": ".hocr", "png": ".overlay.png", "overlay": ".overlay.png", "html": ".html"}


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="broadsheet",
        description="Rebuild the articles of scanned newspaper pages: OCR, page layout, reading "
                    "order, article segmentation and stitching of continued text.",
        epilog="Examples:\n"
               "  broadsheet read scan.png                  # page JSON to stdout\n"
               "  broadsheet read scan.png --format md      # the articles as Markdown\n"
               "  broadsheet read scans/ -o out --format json,page,alto\n"
               "  broadsheet read --lines lines.json --image scan.png\n"
               "  broadsheet eval fixtures                  # measure on the test pages",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--version", action="version", version=f"broadsheet {__version__}")
    p.add_argument("--debug", action="store_true", help="show tracebacks and debug logging")
    p.add_argument("-q", "--quiet", action="store_true", help="only errors on stderr")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")

    r = sub.add_parser("read", help="read page images (or given lines) and write their articles",
                       description="Read newspaper pages and write each page's articles and structure.")
    r.add_argument("pages", nargs="*", metavar="PAGE",
                   help="page images (PNG, JPEG, TIFF, JPEG 2000, PDF), folders or globs")
    r.add_argument("-o", "--output", metavar="OUTDIR",
                   help="write <page>.<format> files here (needed for several pages)")
    r.add_argument("--format", default=DEFAULT_FORMATS, metavar="LIST",
                   help="comma-separated: json, md, txt, page, alto, hocr, png, html (default: json)")
    r.add_argument("--engine", default="rapidocr", help="OCR engine: rapidocr (default), paddleocr, tesseract")
    r.add_argument("--lines", metavar="LINES", help="skip OCR: lay out and reflow these lines "
                   "(lines JSON or PAGE XML)")
    r.add_argument("--image", metavar="PAGE", help="with --lines: the page image, to see rules and photos")
    r.add_argument("--rec-precision", choices=("fp32", "int8"), default=None,
                   help="rapidocr recogniser: int8 (default; built once from the wheel's fp32 model "
                        "and cached; 0.6-1.0x fp32's CPU time, depending on the CPU) or fp32 (the wheel's "
                        "model; CER about 0.1-0.2 points lower)")
    r.add_argument("--det-precision", choices=("fp32", "int8"), default=None,
                   help="rapidocr text detector: fp32 (default; the wheel's model) or int8 (opt-in; built "
                        "once from the wheel's model and cached; about a third of the detector's CPU time, "
                        "slightly different line boxes)")
    r.add_argument("--lang", default=None, help="OCR language hint for tesseract (e.g. deu, frk, fra, chi_sim)")
    r.add_argument("--dpi", type=int, default=300, help="PDF rendering resolution (default 300)")
    r.add_argument("--max-pixels", type=int, default=None,
                   help="refuse images larger than this many pixels (default 200 million)")
    r.add_argument("--page-order", choices=("geometric", "articles"), default="geometric",
                   help="what line `order` follows: the geometric reading order (default) or the "
                        "articles, each read whole where it opens")
    r.add_argument("--workers", type=int, default=None,
                   help="worker processes for many pages, or for the sections of a giant --lines input "
                        "(default: cores)")

    e = sub.add_parser("eval", help="measure the engine on test pages with ground truth", add_help=False)
    e.add_argument("rest", nargs=argparse.REMAINDER)
    sub.add_parser("engines", help="list the OCR engines and whether they are installed")
    m = sub.add_parser("models", help="build derived models ahead of time (models build-int8)", add_help=False)
    m.add_argument("rest", nargs=argparse.REMAINDER)
    return p


def _formats(spec: str) -> list[str]:
    fmts = [f.strip().lower() for f in spec.split(",") if f.strip()]
    bad = [f for f in fmts if f not in EXTENSIONS]
    if bad or not fmts:
        raise BroadsheetError(f"unknown format {', '.join(bad) or spec!r}; choose from {', '.join(EXTENSIONS)}")
    return fmts


def _read(args) -> int:
    from . import api
    from .api import ReflowConfig
    fmts = _formats(args.format)
    rcfg = ReflowConfig(page_order=args.page_order)
    if args.lines:
        if args.pages:
            raise BroadsheetError("give either page images or --lines, not both")
        page = api.read_lines(args.lines, image=args.image, max_pixels=args.max_pixels, reflow_config=rcfg,
                              workers=None if args.workers is None else max(1, args.workers))  # 0: here, as a batch
        return _emit([page], Path(args.lines).name.split(".")[0], args, fmts)
    if args.image:
        raise BroadsheetError("--image goes with --lines")
    if not args.pages:
        raise BroadsheetError("no page given: broadsheet read PAGE [PAGE ...] (see broadsheet read --help)")
    opts = dict(engine=args.engine, lang=args.lang, dpi=args.dpi, max_pixels=args.max_pixels,
                rec_precision=args.rec_precision, det_precision=args.det_precision, reflow_config=rcfg)
    single = len(args.pages) == 1 and not Path(args.pages[0]).is_dir() and not any(c in args.pages[0] for c in "*?[")
    if single:  # one file: errors are one line, outputs go to stdout or straight to -o
        reader = api.PageReader(**opts)
        return _emit(reader(args.pages[0]), Path(args.pages[0]).stem, args, fmts)
    if not args.output:
        raise BroadsheetError("several pages or a folder need an output folder: add -o OUTDIR")
    import os

    from .batch import run_batch
    workers = args.workers or os.cpu_count() or 1
    # each worker's OCR gets its share of the cores, so workers do not fight over them
    reader = api.PageReader(threads=max(1, (os.cpu_count() or 1) // max(workers, 1)), **opts)
    summary = run_batch(args.pages, args.output, formats=tuple(fmts), workers=workers,
                        process_page=reader, progress=not args.quiet)
    print(summary.line(), file=sys.stderr)
    return summary.exit_code


def _page_image(page, image_arg):
    """The picture to draw the png/html views on: the --image given, else the page's source
    image (the right page of a PDF or TIFF); None draws on white."""
    from broadsheet.ocr import load_pages
    src = image_arg or (page.source if page.meta.get("input") == "image" else None)
    if not src:
        return None
    pages = load_pages(src)
    return pages[min(int(page.meta.get("page_index", 0)), len(pages) - 1)].image


def _emit(pages, stem: str, args, fmts: list[str]) -> int:
    from broadsheet.reflow.export import render, write
    pictures = {"png", "overlay", "html"}
    if args.output:
        out = Path(args.output)
        out.mkdir(parents=True, exist_ok=True)
        for n, page in enumerate(pages):
            name = stem if len(pages) == 1 else f"{stem}-p{n + 1:03d}"
            image = _page_image(page, getattr(args, "image", None)) if pictures & set(fmts) else None
            for f in fmts:
                target = out / f"{name}{EXTENSIONS[f]}"
                opts = {"image": image} if f in pictures else {}
                for written in write(page, f, target, **opts):
                    log.info("wrote %s", written)
        return 0
    if len(fmts) > 1:
        raise BroadsheetError("several formats need an output folder: add -o OUTDIR")
    f = fmts[0]
    if f in pictures:
        raise BroadsheetError(f"format {f} needs an output folder: add -o OUTDIR")
    for page in pages:
        data = render(page, f)
        if isinstance(data, bytes):
            data = data.decode("utf-8")
        sys.stdout.write(data if data.endswith("\n") else data + "\n")
    return 0


def _engines() -> int:
    from broadsheet.ocr import available_engines
    for name, status in available_engines().items():
        print(f"{name:12s} {'installed' if status == 'ok' else status}")
    if available_engines().get("rapidocr") == "ok":
        from broadsheet.ocr.engines.rapid import DET_MODEL, REC_MODEL, _model_dir
        from broadsheet.ocr.quantize import DET_RECIPE_VERSION, int8_path
        path = int8_path(_model_dir() / REC_MODEL)
        print(f"{'':12s} int8 recogniser (default): "
              f"{path if path.is_file() else 'not built yet (built on first use, or: broadsheet models build-int8)'}")
        path = int8_path(_model_dir() / DET_MODEL, recipe=DET_RECIPE_VERSION)
        print(f"{'':12s} int8 detector (opt-in, --det-precision int8): "
              f"{path if path.is_file() else 'not built yet (built on first use, or: broadsheet models build-int8 --detector)'}")
    return 0


def _models(rest: list[str]) -> int:
    if rest[:1] != ["build-int8"]:
        print("usage: broadsheet models build-int8 [--force] [--cache-dir DIR] [--detector]\n"
              "  build the default int8 recogniser (--detector: the opt-in int8 text detector) from the "
              "rapidocr wheel's model and cache it (else it is built on first use; nothing is downloaded)",
              file=sys.stderr)
        return 0 if rest[:1] in (["-h"], ["--help"]) else 2
    from broadsheet.ocr.quantize import main as quantize_main
    return quantize_main(rest[1:])


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["eval"]:  # the evaluator has its own options and --help
        from .eval import main as eval_main
        return eval_main(argv[1:])
    if argv[:1] == ["models"]:  # own options and --help
        return _models(argv[1:])
    parser = _parser()
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.DEBUG if args.debug else logging.ERROR if args.quiet else logging.INFO,
                        format="broadsheet: %(message)s", stream=sys.stderr)
    try:
        if args.command == "read":
            return _read(args)
        if args.command == "eval":
            from .eval import main as eval_main
            return eval_main(args.rest)
        if args.command == "engines":
            return _engines()
        parser.print_help(sys.stderr)
        return 2
    except BroadsheetError as err:
        if args.debug:
            raise
        print(f"broadsheet: error: {err}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("broadsheet: interrupted", file=sys.stderr)
        return 130
    except Exception as err:  # noqa: BLE001 — the last line of defence for a user-facing tool
        if args.debug:
            raise
        print(f"broadsheet: internal error: {type(err).__name__}: {err} (run with --debug for details)",
              file=sys.stderr)
        return 3


if __name__ == "__main__":
    sys.exit(main())
