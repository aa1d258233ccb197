"""Default engine: PP-OCR detection + recognition (PP-OCRv6 small) on the weights in the ``rapidocr`` wheel.

The ONNX weights ship inside the wheel (``rapidocr/models/``), so this runs offline on a fresh
machine; we refuse to start if the files are missing instead of letting anything be fetched.

We run the two onnxruntime sessions ourselves instead of going through ``rapidocr.RapidOCR``; the
steps are the same (rapidocr's DB post-processing is reused, so the boxes are the ones rapidocr
finds), but the cost is not. Measured with ``scripts/bench_ocr.py`` (see docs/ocr.md):

- The recogniser is ~85 % of the CPU time. On this hardware one onnxruntime thread per inference
  costs ~75 µs CPU per input pixel column, two threads on one inference ~120-140 µs (they wait on
  each other, and spin while waiting), so batches of lines run on ``threads`` worker threads, one
  onnxruntime thread each, with spinning off. Batches are formed as rapidocr forms them (lines
  sorted by aspect ratio, ``rec_batch`` at a time), so the CTC columns — and the character boxes
  the splitter relies on — are rapidocr's, and nothing depends on which worker ran which batch.
  The widest batches are handed out first, so the workers finish together.
- ``rec_squeeze`` (opt-in) scales recogniser inputs horizontally; by default only lines no wider
  than a column, since coarser CTC columns lose the gutter cuts of merged lines (docs/ocr.md).
- onnxruntime's memory arena is on (rapidocr turns it off): without it the recogniser's many
  differently sized runs fragment the heap and peak RSS grows page after page (see ``_session``).
- Memory is bounded per call and handed back per page: a batch wider than ``rec_call_cols``
  lines × columns runs in groups of two or more lines at the batch's padded width (bit-identical
  output, see :func:`call_groups`), and the detector's arena and, after each page, the
  recogniser's are shrunk (``_shrink_arena``): the densest pages peak at ≈ 0.65 GB, not 1.35 GB.
- Per-character boxes come straight from the CTC columns (vectorised), instead of rapidocr's
  per-point Python loop (≈ 1 s per page); they let :mod:`broadsheet.ocr.split` cut lines that
  run across a column gap.
- The page is *not* shrunk before recognition (rapidocr's default shrinks the whole image to a
  2000 px long side, which blurs body text); only the detector input is limited to
  ``det_long_side`` pixels.
- A gray page stays gray until the model inputs (3 identical channels), which saves the
  full-page colour copy and a third of the resizing.
- The text-direction classifier is off by default: on newspaper pages it flips more lines than it
  fixes.
- The recogniser is by default an int8 copy of the wheel's model, built on first use and cached
  (:mod:`broadsheet.ocr.quantize`); if that cannot be done the engine runs fp32 and warns once.
  Its session loads the cached file with each GELU made one node (:func:`~broadsheet.ocr.quantize.
  session_model`): the same output, ≈ 15 % less recogniser time.
- The int8 recogniser's session stops at its output layer's uint8 logits
  (:mod:`broadsheet.ocr.outlayer`): the best class per column is found on them, and the layer's
  DequantizeLinear → Add → 18,710-wide Softmax run, in a second small session, only on the columns
  that become characters: the same reads, ≈ 0.9 × the recogniser's CPU (less gain on Latin pages).
- The fp32 detector's session loads the model with its 255 958 subnormal weights flushed to zero
  (:mod:`broadsheet.ocr.denormals`): x86 multiplies subnormals through a microcode assist, and
  they sat in the two convolutions that took 54 % of the detector's time. The same probability
  map (bit-identical on the 31 pages measured), ≈ 0.44 × the detector's CPU time.
- ``det_precision="int8"`` (opt-in) runs an int8 copy of the detector built the same way (≈ 0.4 ×
  the CPU time of the fp32 detector *before* its subnormals were flushed, slightly different boxes: docs/ocr.md, "int8 detector").
"""
from __future__ import annotations

import logging
import math
import os
from concurrent.futures import ThreadPoolExecutor
from importlib import metadata
from pathlib import Path

import numpy as np

from broadsheet.errors import EngineUnavailable

from ..charclass import is_cjk
from ..outlayer import OutputLayer, best_classes, split_output_layer
from ..types import OcrLine

log = logging.getLogger("broadsheet.ocr")

DET_MODEL = "PP-OCRv6_det_small.onnx"
REC_MODEL = "PP-OCRv6_rec_small.onnx"
CLS_MODEL = "ch_ppocr_mobile_v2.0_cls_mobile.onnx"
HINT = "pip install 'broadsheet' (needs rapidocr>=3.4 and onnxruntime)"

REC_HEIGHT = 48
#: PaddleOCR/rapidocr pad every recognition batch to at least this width (48 × 320 input).
REC_MIN_WIDTH = 320
#: Columns further apart than this (in recogniser output steps) start a new "word" when the
#: typical character width is estimated (same rule as rapidocr's word boxes).
WORD_GAP_COLS = 5
CLS_SHAPE = (48, 192)
CLS_THRESH = 0.9
#: ``rec_precision`` values: the wheel's fp32 recogniser, or the int8 one derived from it once
#: and cached (:mod:`broadsheet.ocr.quantize`).
REC_PRECISIONS = ("fp32", "int8")
#: The default: int8 takes 0.6 × (AVX-512) to 0.85 × (AVX2 only) the CPU time of fp32, at ≈ +0.2 pp
#: CER on Chinese pages and the same end-to-end article similarity (docs/ocr.md, "Default decision").
#: When the int8 model cannot be had (no ``onnx``, cache not writable, build error) the engine
#: runs fp32 and says so once per process.
DEFAULT_REC_PRECISION = "int8"
#: ``det_precision`` values: the wheel's fp32 DB detector, or a static int8 copy derived from it
#: once and cached like the recogniser (:func:`broadsheet.ocr.quantize.build_det_int8_bytes`).
#: Opt-in: it finds slightly different boxes (docs/ocr.md, "int8 detector").
DET_PRECISIONS = ("fp32", "int8")
DEFAULT_DET_PRECISION = "fp32"
_FALLBACK_LOGGED: set[tuple[str, str]] = set()

#: Most lines × padded input columns per recogniser call (see :func:`call_groups`): six lines of
#: up to 400 columns run in one call, wider batches in groups of fewer lines (at least two).
REC_CALL_COLS = 2400

# uint8 → normalised float32, computed once: (v / 255 - 0.5) / 0.5 as PaddleOCR does it.
_NORM = ((np.arange(256, dtype=np.float64) / 255.0 - 0.5) / 0.5).astype(np.float32)


def _model_dir() -> Path:
    try:
        import rapidocr
    except ImportError as exc:
        raise EngineUnavailable(f"rapidocr engine: the rapidocr package is missing ({HINT})") from exc
    return Path(rapidocr.__file__).resolve().parent / "models"


def _shrink_arena():
    """Run options that hand the arena's free chunks back after the run (the detector's: its
    ≈ 0.37 GB working memory is needed once per page, and would otherwise stay allocated through
    recognition, which peaks at the same time in the recogniser's own arena)."""
    import onnxruntime as ort

    opts = ort.RunOptions()
    opts.add_run_config_entry("memory.enable_memory_arena_shrinkage", "cpu:0")
    return opts


def _session(path: Path | bytes, threads: int):
    """An onnxruntime CPU session with ``threads`` intra-op threads that do not spin when idle
    (spinning threads steal the core the other inference runs on).

    Memory, measured on a 3000 × 4600 page: without onnxruntime's arena every run's buffers go
    through malloc, and the recogniser's many differently sized runs fragment glibc's heap (peak
    RSS 1.1 → 1.5 → 2.1 GB over three pages); with the arena the recogniser stays at ~0.35 GB.
    The memory pattern planner (one block per input shape) is off: the detector then peaks at
    +0.38 GB instead of +0.64 GB (no arena) or +0.74 GB (arena and pattern), at the same speed.
    """
    import onnxruntime as ort

    opts = ort.SessionOptions()
    opts.intra_op_num_threads = max(1, threads)
    opts.inter_op_num_threads = 1
    opts.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    opts.enable_cpu_mem_arena = True
    opts.enable_mem_pattern = False
    opts.add_session_config_entry("session.intra_op.allow_spinning", "0")
    opts.log_severity_level = 3
    model = path if isinstance(path, bytes) else str(path)
    return ort.InferenceSession(model, sess_options=opts, providers=["CPUExecutionProvider"])


class RapidOcrEngine:
    """PP-OCR on onnxruntime, offline, on the weights bundled in the rapidocr wheel.

    Settings (keyword-only): ``det_long_side`` detector input long side in px; ``threads`` cores
    to use (0 = all): the detector runs with that many onnxruntime threads, recognition with that
    many single-threaded workers; ``box_thresh``, ``unclip_ratio`` and ``det_thresh`` of the DB
    detector post-processing; ``text_score`` minimum recognition confidence; ``use_cls``;
    ``rec_batch`` lines per recogniser call; ``char_boxes`` per-character boxes (needed to split
    lines at column gaps); ``rec_squeeze`` horizontal scale of the recogniser input (1 = off, the
    default) and ``rec_squeeze_lines`` which lines it applies to (``"column"``: lines no wider than
    a column, see :meth:`_squeeze`; ``"all"``); ``rec_precision`` ``"int8"`` (default): a static
    int8 copy of the recogniser, built from the wheel's model on first use and cached under
    ``int8_cache`` (default: the user cache, see :mod:`broadsheet.ocr.quantize`) — if that fails
    the engine runs fp32, logs one warning, and ``settings()["rec_precision"]`` says ``"fp32"``;
    or ``"fp32"``: the wheel's model as it is.
    """

    name = "rapidocr"

    def __init__(
        self,
        *,
        det_long_side: int = 2000,
        threads: int = 0,
        box_thresh: float = 0.5,
        unclip_ratio: float = 1.6,
        det_thresh: float = 0.3,
        text_score: float = 0.5,
        use_cls: bool = False,
        rec_batch: int = 6,
        rec_call_cols: int = REC_CALL_COLS,
        char_boxes: bool = True,
        rec_squeeze: float = 1.0,
        rec_squeeze_lines: str = "column",
        rec_precision: str = DEFAULT_REC_PRECISION,
        int8_cache: str | None = None,
        det_precision: str = DEFAULT_DET_PRECISION,
    ):
        self.check_available()
        if not 0.0 < float(rec_squeeze) <= 1.0 or rec_squeeze_lines not in ("all", "column"):
            raise ValueError(f"rapidocr engine: rec_squeeze must be in (0, 1] and rec_squeeze_lines "
                             f"'all' or 'column' (got {rec_squeeze!r}, {rec_squeeze_lines!r})")
        if rec_precision not in REC_PRECISIONS:
            raise ValueError(f"rapidocr engine: rec_precision must be one of {', '.join(map(repr, REC_PRECISIONS))} "
                             f"(got {rec_precision!r})")
        if det_precision not in DET_PRECISIONS:
            raise ValueError(f"rapidocr engine: det_precision must be one of {', '.join(map(repr, DET_PRECISIONS))} "
                             f"(got {det_precision!r})")
        from rapidocr.ch_ppocr_det import TextDetector
        from rapidocr.ch_ppocr_det.utils import DBPostProcess

        models = _model_dir()
        rec_path = models / REC_MODEL
        self._rec = None
        self._out = self._tail = None  # the int8 output layer read from its uint8 logits
        if rec_precision == "int8":
            try:
                from ..quantize import ensure_int8, session_model

                int8 = ensure_int8(rec_path, int8_cache)
                model = session_model(int8)
                self._out = _output_layer(model)
                self._rec = _session(self._out.body if self._out else model, 1)
                self._tail = _session(self._out.tail, 1) if self._out else None
                rec_path = int8
            except Exception as exc:  # noqa: BLE001 — any failure of the int8 route leaves fp32 working
                _log_fallback(exc)
                rec_precision = "fp32"
                self._rec = self._out = self._tail = None
        self._workers = int(threads) if threads > 0 else (os.cpu_count() or 1)
        det_path = models / DET_MODEL
        self._det = None
        if det_precision == "int8":
            try:
                from ..quantize import ensure_int8

                int8 = ensure_int8(det_path, int8_cache, detector=True)
                self._det = _session(int8, self._workers)
                det_path = int8
            except Exception as exc:  # noqa: BLE001 — as for the recogniser: fp32 keeps working
                _log_fallback(exc, "detector")
                det_precision = "fp32"
        self._settings = {
            "det_model": det_path.name,
            "det_precision": det_precision,
            "rec_model": rec_path.name,
            "rec_precision": rec_precision,
            "det_long_side": int(det_long_side),
            "threads": int(threads),
            "box_thresh": float(box_thresh),
            "unclip_ratio": float(unclip_ratio),
            "det_thresh": float(det_thresh),
            "text_score": float(text_score),
            "use_cls": bool(use_cls),
            "rec_batch": int(rec_batch),
            "char_boxes": bool(char_boxes),
            "rec_squeeze": float(rec_squeeze),
            "rec_squeeze_lines": str(rec_squeeze_lines),
        }
        # not among the settings: it bounds memory and does not change a single output bit
        self._call_cols = int(rec_call_cols)
        if self._det is None:  # fp32: its subnormal weights flushed, same output, ≈ 0.44 × the CPU
            from ..denormals import flushed_model as flushed

            self._det = _session(flushed(det_path), self._workers)
        self._rec = self._rec or _session(rec_path, 1)
        self._cls = _session(models / CLS_MODEL, 1) if use_cls else None
        chars = self._rec.get_modelmeta().custom_metadata_map["character"].splitlines()
        self._charset = np.array(["", *chars, " "], dtype=object)  # CTC blank first, space last
        self._db = DBPostProcess(thresh=float(det_thresh), box_thresh=float(box_thresh),
                                 max_candidates=1000, unclip_ratio=float(unclip_ratio),
                                 score_mode="fast", use_dilation=True)
        self._sort_boxes = TextDetector.sorted_boxes

    @staticmethod
    def check_available() -> None:
        """Raise EngineUnavailable unless rapidocr, onnxruntime and both model files are here."""
        models = _model_dir()
        try:
            import onnxruntime  # noqa: F401
        except ImportError as exc:
            raise EngineUnavailable(f"rapidocr engine: onnxruntime is missing ({HINT})") from exc
        missing = [m for m in (DET_MODEL, REC_MODEL) if not (models / m).is_file()]
        if missing:
            raise EngineUnavailable(
                f"rapidocr engine: model file(s) {', '.join(missing)} not found in {models} "
                f"(reinstall rapidocr>=3.4; Broadsheet never downloads models)"
            )

    def version(self) -> str:
        rec = " (int8 rec)" if self._settings["rec_precision"] == "int8" else ""
        return f"rapidocr {metadata.version('rapidocr')}, onnxruntime {metadata.version('onnxruntime')}, PP-OCRv6 small{rec}"

    def settings(self) -> dict:
        return dict(self._settings)

    # ------------------------------------------------------------------ pipeline

    def recognize(self, image: np.ndarray) -> list[OcrLine]:
        """OCR one page. ``image``: uint8 (H, W) or (H, W, 3) RGB. Lines in image pixels."""
        image = np.ascontiguousarray(image)
        boxes = self.detect(image)
        if len(boxes) == 0:
            return []
        crops = [_crop(image, box) for box in boxes]
        images = [c[0] for c in crops]
        if self._cls is not None:
            images = self._classify(images)
        reads = self._read_all(images)
        out: list[OcrLine] = []
        for box, (crop, to_page), (text, score, cols, step) in zip(boxes, crops, reads):
            if not text.strip() or score < self._settings["text_score"]:
                continue
            polygon = tuple((float(x), float(y)) for x, y in box)
            chars = None
            if self._settings["char_boxes"]:
                chars = _char_boxes(text, cols, step, crop.shape[1], crop.shape[0], to_page)
            out.append(OcrLine(polygon, text, score, chars))
        return out

    def detect(self, image: np.ndarray) -> np.ndarray:
        """Text line quadrilaterals ``(N, 4, 2)`` (clockwise from top left), in reading order."""
        h, w = image.shape[:2]
        x = det_input(image, self._settings["det_long_side"])
        if x is None:
            return np.zeros((0, 4, 2), np.float32)
        pred = self._det.run(None, {self._det.get_inputs()[0].name: x}, _shrink_arena())[0]
        boxes, _scores = self._db(pred, (h, w))
        if len(boxes) == 0:
            return np.zeros((0, 4, 2), np.float32)
        return self._sort_boxes(np.asarray(boxes, np.float32))

    def _read_all(self, crops: list[np.ndarray]) -> list[tuple[str, float, np.ndarray, float]]:
        """Recognise every crop: lines sorted by aspect ratio, cut into batches of ``rec_batch``,
        the batches spread over the worker threads; results in crop order."""
        scale = self._squeeze(crops)
        ratios = np.array([s * c.shape[1] / max(c.shape[0], 1) for s, c in zip(scale, crops)])
        order = np.argsort(ratios)  # rapidocr's order: same batches, same CTC columns
        size = max(1, self._settings["rec_batch"])
        batches = [order[i : i + size] for i in range(0, len(order), size)]
        jobs = [[(crops[j], float(scale[j])) for j in b] for b in batches]
        if self._workers > 1 and len(jobs) > 1:
            # Longest batches first (cost ~ lines x widest line): the workers then finish together
            # instead of one idling while the other runs the widest batch (which sorts last).
            cost = [len(b) * max(1.0, float(ratios[b].max()) / (REC_MIN_WIDTH / REC_HEIGHT)) for b in batches]
            first = sorted(range(len(jobs)), key=lambda i: (-cost[i], i))
            with ThreadPoolExecutor(max_workers=self._workers) as pool:
                done = list(pool.map(self._read_batch, [jobs[i] for i in first]))
            results: list = [None] * len(jobs)
            for i, res in zip(first, done):
                results[i] = res
        else:
            results = [self._read_batch(job) for job in jobs]
        if len(crops) > size:  # a page, not a single band: hand the arena's peak back (~3 ms)
            self._release_rec_arena()
        out: list = [None] * len(crops)
        for b, res in zip(batches, results):
            for j, r in zip(b, res):
                out[j] = r
        return out

    def _release_rec_arena(self) -> None:
        """One minimal recogniser run that shrinks the arena: the chunks the page's widest calls
        took (≈ 0.2 GB) go back before the rest of the page (split, layout) and the next page's
        detector run, instead of staying allocated for the life of the engine."""
        x = np.zeros((1, 3, REC_HEIGHT, REC_MIN_WIDTH), np.float32)
        self._rec.run(None, {self._rec.get_inputs()[0].name: x}, _shrink_arena())

    def _squeeze(self, crops: list[np.ndarray]) -> np.ndarray:
        """Horizontal scale of each crop's recogniser input (1 = aspect kept). ``rec_squeeze_lines``
        ``"all"``: every line gets ``rec_squeeze``; ``"column"``: only lines no wider than 1.05 × the
        page's most common body-line width (a full column line), so lines the detector merged across
        a gutter keep the full CTC resolution the splitter needs to cut them."""
        sq = self._settings["rec_squeeze"]
        scale = np.ones(len(crops))
        if sq == 1.0 or not crops:
            return scale
        if self._settings["rec_squeeze_lines"] == "all":
            return scale * sq
        h = np.array([c.shape[0] for c in crops], float)
        w = np.array([c.shape[1] for c in crops], float)
        hm = float(np.median(h))
        body = (h > 0.8 * hm) & (h < 1.25 * hm)
        if not body.any():
            return scale
        bins = np.round(np.log(w[body]) / 0.02).astype(int)
        vals, counts = np.unique(bins, return_counts=True)
        modal = math.exp(float(vals[np.argmax(counts)]) * 0.02)
        scale[w <= 1.05 * modal] = sq
        return scale

    def _read_batch(self, crops: list[tuple[np.ndarray, float]]) -> list[tuple[str, float, np.ndarray, float]]:
        """One batch of (crop, horizontal scale) pairs, run in one or more recogniser calls (see
        :func:`call_groups`). Per crop: text, mean confidence, the CTC output column of each
        character, and the crop pixels per output column."""
        batch, used = rec_input(crops)
        width = batch.shape[3]
        name = self._rec.get_inputs()[0].name
        best, conf = [], []
        for lo, hi in call_groups(len(crops), width, self._call_cols):
            if self._out is not None:
                idx, top = self._read_logits(self._rec.run(None, {name: batch[lo:hi]})[0])
                best.append(idx)
                conf.append(top)
                steps = idx.shape[1]
                continue
            probs = self._rec.run(None, {name: batch[lo:hi]})[0]
            idx = probs.argmax(axis=2)
            best.append(idx)
            conf.append(np.take_along_axis(probs, idx[:, :, None], axis=2)[:, :, 0])  # = probs.max(axis=2)
            steps = probs.shape[1]
            del probs  # (lines, columns, charset) float32: for 6 wide Chinese lines ~170 MB
        del batch
        best, conf = np.concatenate(best), np.concatenate(conf)
        step = width / steps  # input pixels per output column
        out = []
        for k, (crop, _s) in enumerate(crops):
            idx = best[k]
            cols = np.flatnonzero(char_starts(idx))
            text = "".join(self._charset[idx[cols]])
            score = round(float(np.mean(conf[k, cols])), 5) if len(cols) else 0.0
            out.append((text, score, cols, step * crop.shape[1] / used[k]))
        return out

    def _read_logits(self, q: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Best class and its probability per output column from the int8 recogniser's uint8
        logits ``q`` (lines, columns, charset): the probability only where a character starts
        (the columns :meth:`_read_batch` reads; elsewhere 0), from the output layer's own nodes
        run on those columns alone (:mod:`broadsheet.ocr.outlayer`)."""
        out = self._out
        idx, near = best_classes(q, out.levels, out.bias)
        if near.any():  # best two logits (almost) tied: the softmax row decides, as it did
            idx[near] = self._tail_probs(q[near]).argmax(axis=1)
        keep = char_starts(idx)
        top = np.zeros(idx.shape, np.float32)
        if keep.any():
            probs = self._tail_probs(q[keep])
            top[keep] = probs[np.arange(len(probs)), idx[keep]]
        return idx, top

    def _tail_probs(self, rows: np.ndarray) -> np.ndarray:
        """The output layer's probabilities (K, charset) of uint8 logit rows (K, charset)."""
        return self._tail.run(None, {self._tail.get_inputs()[0].name: rows[None]})[0][0]

    def _classify(self, crops: list[np.ndarray]) -> list[np.ndarray]:
        """Turn crops the direction classifier reads as upside down (score > 0.9) by 180°."""
        import cv2

        ch, cw = CLS_SHAPE
        out = list(crops)
        for start in range(0, len(crops), 6):
            part = crops[start : start + 6]
            batch = np.zeros((len(part), 3, ch, cw), np.float32)
            for k, crop in enumerate(part):
                rw = min(cw, int(math.ceil(ch * crop.shape[1] / crop.shape[0])))
                small = cv2.resize(crop, (rw, ch))
                batch[k, :, :, :rw] = _NORM[small] if small.ndim == 2 else _NORM[small[:, :, ::-1]].transpose(2, 0, 1)
            probs = self._cls.run(None, {self._cls.get_inputs()[0].name: batch})[0]
            for k in range(len(part)):
                if int(probs[k].argmax()) == 1 and probs[k, 1] > CLS_THRESH:
                    out[start + k] = np.ascontiguousarray(part[k][::-1, ::-1])
        return out


def _log_fallback(exc: BaseException, what: str = "recogniser") -> None:
    """One warning per process, model and cause (an engine is built per page by ``read_page``)."""
    cause = f"{type(exc).__name__}: {exc}" if not isinstance(exc, EngineUnavailable) else str(exc)
    if (what, cause) in _FALLBACK_LOGGED:
        return
    _FALLBACK_LOGGED.add((what, cause))
    flag = "rec" if what == "recogniser" else "det"
    log.warning("rapidocr: int8 %s not available (%s); using the slower fp32 %s "
                "(set BROADSHEET_CACHE to a writable folder and run 'broadsheet models build-int8', "
                "or pass %s_precision='fp32' / --%s-precision fp32 to choose it)", what, cause, what, flag, flag)


def char_starts(idx: np.ndarray) -> np.ndarray:
    """CTC decoding along the last axis of best classes ``idx``: True where a character starts
    (not the blank 0, not a repeat of the column before)."""
    keep = idx != 0
    keep[..., 1:] &= idx[..., 1:] != idx[..., :-1]
    return keep


def _output_layer(model: bytes | Path) -> OutputLayer | None:
    """The int8 recogniser split before its output layer (:mod:`broadsheet.ocr.outlayer`), or None
    (``onnx`` missing, a model of another shape): then the whole model runs as before."""
    try:
        import onnx
    except ImportError:
        return None
    return split_output_layer(onnx.load_model_from_string(model) if isinstance(model, bytes) else onnx.load(str(model)))


def det_input(image: np.ndarray, long_side: int) -> np.ndarray | None:
    """The detector input of a page: ``(1, 3, H, W)`` float32, the page resized so that its long
    side is at most ``long_side`` and both sides are multiples of 32 (None if that leaves
    nothing). Also builds the int8 detector's calibration inputs (:mod:`broadsheet.ocr.quantize`)."""
    import cv2

    h, w = image.shape[:2]
    ratio = long_side / max(h, w) if max(h, w) > long_side else 1.0
    rh = int(round(int(h * ratio) / 32) * 32)
    rw = int(round(int(w * ratio) / 32) * 32)
    if rh <= 0 or rw <= 0:
        return None
    small = cv2.resize(image, (rw, rh))
    if small.ndim == 2:
        x = np.broadcast_to(_NORM[small], (1, 3, rh, rw))
    else:
        x = _NORM[small[:, :, ::-1]].transpose(2, 0, 1)[None]  # the models were trained on BGR
    return np.ascontiguousarray(x)


def rec_input(crops: list[tuple[np.ndarray, float]]) -> tuple[np.ndarray, list[int]]:
    """The recogniser input of one batch of (crop, horizontal scale) pairs: ``(N, 3, 48, W)``
    float32, each crop resized to height 48 (width × scale), left-aligned and zero-padded to the
    widest one (at least 320 columns); and each crop's used width. Also builds the int8
    calibration batches (:mod:`broadsheet.ocr.quantize`), so both see the same inputs."""
    import cv2

    max_ratio = max([REC_MIN_WIDTH / REC_HEIGHT] + [s * c.shape[1] / c.shape[0] for c, s in crops])
    width = int(REC_HEIGHT * max_ratio)
    batch = np.zeros((len(crops), 3, REC_HEIGHT, width), np.float32)
    used = []
    for k, (crop, s) in enumerate(crops):
        rw = min(width, int(math.ceil(REC_HEIGHT * s * crop.shape[1] / crop.shape[0])))
        small = cv2.resize(crop, (rw, REC_HEIGHT))
        batch[k, :, :, :rw] = _NORM[small] if small.ndim == 2 else _NORM[small[:, :, ::-1]].transpose(2, 0, 1)
        used.append(rw)
    return batch, used


def call_groups(n: int, width: int, max_cols: int) -> list[tuple[int, int]]:
    """``(lo, hi)`` row ranges of a batch of ``n`` lines padded to ``width`` columns, one per
    recogniser call: whole when ``n × width <= max_cols``, else cut into even groups of at least
    two lines and about ``max_cols // width`` (``max_cols <= 0``: never cut).

    The recogniser's working memory grows with lines × columns per call (≈ 28 kB per column of
    each line, and the arena keeps the largest call's share), so one call of six merged
    3000-column lines takes ≈ 0.6 GB. Every line keeps the batch's padded width, so it sees the
    same input as in one call; groups of two or more lines give bit-identical outputs, while a
    call with a single line takes other kernels and differs in the last bits (measured on 71
    batches of a Chinese and a German page), so a line is never run alone unless its batch is.
    """
    if max_cols <= 0 or n * width <= max_cols or n < 4:
        return [(0, n)]
    groups = min(n // 2, -(-n // max(1, max_cols // max(width, 1))))
    bounds = [round(k * n / groups) for k in range(groups + 1)]
    return list(zip(bounds[:-1], bounds[1:]))


def _crop(image: np.ndarray, box: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Straighten the quadrilateral ``box`` into an upright line image (turned 90° if it is tall
    and narrow). Returns the crop and the 3×3 homography from crop pixels to page pixels."""
    import cv2

    pts = np.asarray(box, np.float32)
    w = int(max(np.linalg.norm(pts[0] - pts[1]), np.linalg.norm(pts[2] - pts[3])))
    h = int(max(np.linalg.norm(pts[0] - pts[3]), np.linalg.norm(pts[1] - pts[2])))
    w, h = max(w, 1), max(h, 1)
    dst = np.array([[0, 0], [w, 0], [w, h], [0, h]], np.float32)
    M = cv2.getPerspectiveTransform(pts, dst)
    crop = cv2.warpPerspective(image, M, (w, h), borderMode=cv2.BORDER_REPLICATE, flags=cv2.INTER_CUBIC)
    to_page = np.linalg.inv(M)
    if h / w >= 1.5:  # vertical line: read it turned counter-clockwise
        crop = np.rot90(crop)
        # rotated (x, y) came from unrotated (w - y, x)
        to_page = to_page @ np.array([[0.0, -1.0, w], [1.0, 0.0, 0.0], [0.0, 0.0, 1.0]])
    return np.ascontiguousarray(crop), to_page


def _char_boxes(text: str, cols: np.ndarray, step: float, crop_w: int, crop_h: int,
                to_page: np.ndarray) -> tuple | None:
    """One (x0, y0, x1, y1) page box per character of ``text`` from its CTC output columns.

    A character sits at the centre of its column; all get one width, the typical spacing of
    neighbouring characters inside a word (a run without spaces, script changes or gaps of more
    than ``WORD_GAP_COLS`` columns), so a column gap shows up as a wide gap between two boxes.
    A space gets the gap between its neighbours.
    """
    n = len(text)
    if n == 0 or len(cols) != n:
        return None
    centre = (cols + 0.5) * step
    spaces = np.array([c.isspace() for c in text])
    widths = []
    start = None
    for i in range(n + 1):
        breaks = i == n or spaces[i] or (
            start is not None and (cols[i] - cols[i - 1] > WORD_GAP_COLS or is_cjk(text[i]) != is_cjk(text[i - 1])))
        if breaks and start is not None:
            if i - 1 > start:
                widths.append((centre[i - 1] - centre[start]) / (i - 1 - start))
            start = None
        if i < n and not spaces[i] and start is None:
            start = i
    width = float(np.mean(widths)) if widths else crop_w / n
    x0 = np.clip(centre - width / 2, 0, crop_w)
    x1 = np.clip(centre + width / 2, 0, crop_w)
    solid = np.flatnonzero(~spaces)
    if len(solid) == 0:
        return None
    # neighbours that overlap share the overlap
    a, b = solid[:-1], solid[1:]
    over = np.maximum(x1[a] - x0[b], 0) / 2
    x1[a] -= over
    x0[b] += over
    for i in np.flatnonzero(spaces):  # a space spans the gap between its neighbours
        left = solid[solid < i]
        right = solid[solid > i]
        lo = x1[left[-1]] if len(left) else (x0[right[0]] if len(right) else 0.0)
        hi = x0[right[0]] if len(right) else lo
        x0[i], x1[i] = lo, max(lo, hi)
    corners = np.stack([np.stack([x0, np.zeros(n)], 1), np.stack([x1, np.zeros(n)], 1),
                        np.stack([x1, np.full(n, float(crop_h))], 1), np.stack([x0, np.full(n, float(crop_h))], 1)], 1)
    homog = np.concatenate([corners, np.ones((n, 4, 1))], 2) @ to_page.T  # n, 4, 3
    pts = homog[:, :, :2] / homog[:, :, 2:3]
    lo, hi = pts.min(1), pts.max(1)
    return tuple((float(p[0]), float(p[1]), float(q[0]), float(q[1])) for p, q in zip(lo, hi))
