"""Default engine: PP-OCR detection + recognition (PP-OCRv6 small) from the ``rapidocr`` wheel.

The ONNX weights ship inside the wheel (``rapidocr/models/``), so this runs offline on a fresh
machine: we pass explicit model paths, which makes rapidocr skip its download logic entirely, and we
refuse to start if the files are missing instead of letting it fetch anything.

Choices, measured with ``scripts/bench_ocr.py`` (see docs/ocr.md):

- The page is *not* shrunk before recognition (rapidocr's default shrinks the whole image to a
  2000 px long side, which blurs body text); only the detector input is limited to
  ``det_long_side`` pixels. Full-resolution detection splits big headline glyphs and doubles memory.
- The text-direction classifier is off: on newspaper pages it flips more lines than it fixes.
- Per-character boxes come from the recogniser's CTC columns (``return_single_char_box``); they
  let :mod:`broadsheet.ocr.split` cut lines that run across a column gap.
"""
from __future__ import annotations

import os
from importlib import metadata
from pathlib import Path

import numpy as np

from broadsheet.errors import EngineUnavailable

from ..types import OcrLine

DET_MODEL = "PP-OCRv6_det_small.onnx"
REC_MODEL = "PP-OCRv6_rec_small.onnx"
HINT = "pip install 'broadsheet' (needs rapidocr>=3.4 and onnxruntime)"


def _model_dir() -> Path:
    try:
        import rapidocr
    except ImportError as exc:
        raise EngineUnavailable(f"rapidocr engine: the rapidocr package is missing ({HINT})") from exc
    return Path(rapidocr.__file__).resolve().parent / "models"


class RapidOcrEngine:
    """PP-OCR via rapidocr + onnxruntime, offline, on the weights bundled in the wheel.

    Settings (keyword-only): ``det_long_side`` detector input long side in px; ``threads``
    onnxruntime intra-op threads (0 = one per core); ``box_thresh`` and ``unclip_ratio`` of the DB
    detector post-processing; ``text_score`` minimum recognition confidence; ``use_cls``.
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
    ):
        self.check_available()
        models = _model_dir()
        self._settings = {
            "det_model": DET_MODEL,
            "rec_model": REC_MODEL,
            "det_long_side": int(det_long_side),
            "threads": int(threads),
            "box_thresh": float(box_thresh),
            "unclip_ratio": float(unclip_ratio),
            "det_thresh": float(det_thresh),
            "text_score": float(text_score),
            "use_cls": bool(use_cls),
            "rec_batch": int(rec_batch),
        }
        from rapidocr import RapidOCR

        n_threads = int(threads) if threads > 0 else (os.cpu_count() or 1)
        params = {
            "Global.use_cls": bool(use_cls),
            "Global.text_score": float(text_score),
            "Global.max_side_len": 1_000_000,  # never shrink the page before recognition
            "Global.log_level": "error",
            "Global.model_root_dir": str(models),
            "Det.model_path": str(models / DET_MODEL),
            "Det.limit_type": "max",
            "Det.limit_side_len": int(det_long_side),
            "Det.box_thresh": float(box_thresh),
            "Det.unclip_ratio": float(unclip_ratio),
            "Det.thresh": float(det_thresh),
            "Rec.model_path": str(models / REC_MODEL),
            "Rec.rec_batch_num": int(rec_batch),
            "EngineConfig.onnxruntime.intra_op_num_threads": n_threads,
            "EngineConfig.onnxruntime.inter_op_num_threads": 1,
        }
        if use_cls:
            params["Cls.model_path"] = str(models / "ch_ppocr_mobile_v2.0_cls_mobile.onnx")
        self._ocr = RapidOCR(params=params)

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
        return f"rapidocr {metadata.version('rapidocr')}, onnxruntime {metadata.version('onnxruntime')}, PP-OCRv6 small"

    def settings(self) -> dict:
        return dict(self._settings)

    def recognize(self, image: np.ndarray) -> list[OcrLine]:
        """OCR one page. ``image``: uint8 (H, W) or (H, W, 3) RGB. Lines in image pixels."""
        if image.ndim == 2:
            bgr = np.repeat(image[:, :, None], 3, axis=2)
        else:
            bgr = np.ascontiguousarray(image[:, :, ::-1])  # rapidocr wants OpenCV's BGR order
        res = self._ocr(bgr, return_word_box=True, return_single_char_box=True)
        boxes = getattr(res, "boxes", None)
        txts = getattr(res, "txts", None)
        if boxes is None or txts is None or len(txts) == 0:
            return []
        scores = res.scores
        words = res.word_results if res.word_results is not None else ()
        aligned = len(words) == len(txts)
        out: list[OcrLine] = []
        for i, (quad, text, score) in enumerate(zip(boxes, txts, scores)):
            polygon = tuple((float(x), float(y)) for x, y in np.asarray(quad).reshape(-1, 2))
            chars = _char_boxes(text, words[i]) if aligned else None
            out.append(OcrLine(polygon, text, float(score), chars))
        return out


def _char_boxes(text: str, word_items) -> tuple | None:
    """One (x0, y0, x1, y1) box per character of ``text`` from rapidocr's per-char items.

    rapidocr gives no box for spaces; a space gets the gap between its neighbours. Returns None
    when the items do not spell ``text`` (then the line cannot be split by characters).
    """
    items = [(c, np.asarray(b, float).reshape(-1, 2)) for c, _s, b in word_items]
    if "".join(c for c, _ in items) != text.replace(" ", ""):
        return None
    if not items:
        return None
    solid = np.array([[q[:, 0].min(), q[:, 1].min(), q[:, 0].max(), q[:, 1].max()] for _, q in items])
    boxes: list[tuple[float, float, float, float]] = []
    k = 0
    for ch in text:
        if ch == " ":
            left = solid[k - 1] if k > 0 else solid[0]
            right = solid[k] if k < len(solid) else solid[-1]
            x0 = float(left[2]) if k > 0 else float(right[0])
            x1 = float(right[0]) if k < len(solid) else float(left[2])
            boxes.append((x0, float(left[1]), max(x0, x1), float(left[3])))
        else:
            boxes.append(tuple(float(v) for v in solid[k]))
            k += 1
    return tuple(boxes)
