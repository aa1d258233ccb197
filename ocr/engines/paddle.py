"""PaddleOCR 3.x pipeline, offline, on the same PP-OCRv6 small weights the rapidocr wheel ships.

PaddleOCR loads a model from a local folder holding the weights plus an ``inference.yml`` that
describes pre- and post-processing. We build such folders once (in a cache directory) with a
link to rapidocr's recogniser, its detector with the subnormal weights flushed (the model the
rapidocr engine runs, :mod:`broadsheet.ocr.denormals`) and a generated ``inference.yml`` (the recogniser's character list
is read from the ONNX metadata), and run PaddleOCR with ``engine="onnxruntime"`` — so no
paddlepaddle and no download: model names *and* folders are given, and the model-source check
is switched off through PaddleX's environment variables before it is imported.

Install: ``pip install 'broadsheet[paddle]'`` (paddleocr>=3.7). Note that paddleocr pulls in
paddlex, opencv-contrib-python and pins numpy<2.4; keep it in its own environment if that
clashes with other packages.
"""
from __future__ import annotations

import json
import os
import tempfile
from importlib import metadata
from pathlib import Path

import numpy as np

from broadsheet.errors import EngineUnavailable

from ..types import OcrLine
from .rapid import DET_MODEL, REC_MODEL, RapidOcrEngine, _model_dir

HINT = "pip install 'broadsheet[paddle]'"
DET_NAME = "PP-OCRv6_small_det"
REC_NAME = "PP-OCRv6_small_rec"

# Set before paddlex is imported: never contact a model hoster.
OFFLINE_ENV = {
    "PADDLE_PDX_DISABLE_MODEL_SOURCE_CHECK": "True",
    "PADDLE_PDX_MODEL_SOURCE": "local",
    "HF_HUB_OFFLINE": "1",
    "PADDLE_PDX_ENABLE_TELEMETRY": "False",
}


def default_model_root() -> Path:
    from ..quantize import cache_root

    return cache_root() / "paddle-models"


def _det_yml(limit_side_len: int) -> dict:
    # Mirrors the rapidocr defaults for this detector, so the two engines see the same input.
    return {
        "Global": {"model_name": DET_NAME},
        "PreProcess": {"transform_ops": [
            {"DecodeImage": {"channel_first": False, "img_mode": "BGR"}},
            {"DetLabelEncode": None},
            {"DetResizeForTest": {"limit_side_len": limit_side_len, "limit_type": "max"}},
            {"NormalizeImage": {"mean": [0.5, 0.5, 0.5], "std": [0.5, 0.5, 0.5],
                                "scale": "1./255.", "order": "hwc"}},
            {"ToCHWImage": None},
            {"KeepKeys": {"keep_keys": ["image", "shape", "polys", "ignore_tags"]}},
        ]},
        "PostProcess": {"name": "DBPostProcess", "thresh": 0.3, "box_thresh": 0.5,
                        "max_candidates": 1000, "unclip_ratio": 1.6},
    }


def _rec_yml(characters: list[str]) -> dict:
    return {
        "Global": {"model_name": REC_NAME},
        "PreProcess": {"transform_ops": [
            {"DecodeImage": {"channel_first": False, "img_mode": "BGR"}},
            {"MultiLabelEncode": {"gtc_encode": "NRTRLabelEncode"}},
            {"RecResizeImg": {"image_shape": [3, 48, 320]}},
            {"KeepKeys": {"keep_keys": ["image", "label_ctc", "label_gtc", "length", "valid_ratio"]}},
        ]},
        "PostProcess": {"name": "CTCLabelDecode", "character_dict": characters},
    }


def prepare_model_dirs(root: Path | None = None, *, det_long_side: int = 2000) -> tuple[Path, Path]:
    """Create (idempotently) PaddleOCR model folders for the bundled PP-OCRv6 small det/rec."""
    import onnxruntime as ort

    src = _model_dir()
    root = Path(root) if root else default_model_root()
    det_dir, rec_dir = root / DET_NAME, root / REC_NAME
    sess = ort.InferenceSession(str(src / REC_MODEL), providers=["CPUExecutionProvider"])
    chars = sess.get_modelmeta().custom_metadata_map["character"].splitlines()
    del sess
    for d, onnx, yml in ((det_dir, DET_MODEL, _det_yml(det_long_side)), (rec_dir, REC_MODEL, _rec_yml(chars))):
        d.mkdir(parents=True, exist_ok=True)
        target = d / "inference.onnx"
        if onnx == DET_MODEL and _write_flushed_detector(src / onnx, target):
            pass
        elif not target.exists():
            try:
                target.symlink_to(src / onnx)
            except OSError:  # filesystems without symlinks
                import shutil

                shutil.copyfile(src / onnx, target)
        # JSON is valid YAML; written atomically so concurrent runs never read half a file.
        with tempfile.NamedTemporaryFile("w", dir=d, delete=False, suffix=".tmp", encoding="utf-8") as fh:
            json.dump(yml, fh, ensure_ascii=False)
        os.replace(fh.name, d / "inference.yml")
    return det_dir, rec_dir


def _write_flushed_detector(source: Path, target: Path) -> bool:
    """Put the detector at ``target`` with its subnormal weights flushed to zero, as the
    rapidocr engine loads it (:mod:`broadsheet.ocr.denormals`: the same probability map, ≈ 0.44 ×
    the detector's CPU time). A file, not a link to the wheel's model; rewritten (atomically)
    only when it is missing or differs, e.g. a folder prepared before this, holding the link.
    False when there is nothing to flush or no ``onnx`` to do it: the caller links the wheel's file."""
    from ..denormals import flushed_model
    from ..quantize import write_atomic

    data = flushed_model(source)
    if not isinstance(data, bytes):
        return False
    if target.is_symlink() or not target.is_file() or target.stat().st_size != len(data) \
            or target.read_bytes() != data:
        write_atomic(target, data)  # the rename replaces a link itself, not the file it points to
    return True


class PaddleOcrEngine:
    """PaddleOCR ``PaddleOCR`` pipeline (detection + recognition, no orientation models)."""

    name = "paddleocr"

    def __init__(self, *, det_long_side: int = 2000, threads: int = 0, box_thresh: float = 0.5,
                 unclip_ratio: float = 1.6, text_score: float = 0.5, model_root: str | None = None):
        self.check_available()
        os.environ.update(OFFLINE_ENV)
        det_dir, rec_dir = prepare_model_dirs(Path(model_root) if model_root else None,
                                              det_long_side=det_long_side)
        from paddleocr import PaddleOCR

        n_threads = threads if threads > 0 else (os.cpu_count() or 1)
        self._settings = {"det_model": DET_NAME, "rec_model": REC_NAME, "det_long_side": det_long_side,
                          "threads": threads, "box_thresh": box_thresh, "unclip_ratio": unclip_ratio,
                          "text_score": text_score, "inference_engine": "onnxruntime"}
        self._ocr = PaddleOCR(
            text_detection_model_name=DET_NAME, text_detection_model_dir=str(det_dir),
            text_recognition_model_name=REC_NAME, text_recognition_model_dir=str(rec_dir),
            use_doc_orientation_classify=False, use_doc_unwarping=False,
            use_textline_orientation=False,
            text_det_limit_side_len=int(det_long_side), text_det_limit_type="max",
            text_det_box_thresh=float(box_thresh), text_det_unclip_ratio=float(unclip_ratio),
            text_rec_score_thresh=float(text_score), return_word_box=True,
            engine="onnxruntime",
            engine_config={"intra_op_num_threads": n_threads, "inter_op_num_threads": 1},
        )

    @staticmethod
    def check_available() -> None:
        import importlib.util

        # find_spec, not import: importing paddleocr takes seconds and this check must be cheap.
        if importlib.util.find_spec("paddleocr") is None:
            raise EngineUnavailable(f"paddleocr engine: the paddleocr package is missing ({HINT})")
        RapidOcrEngine.check_available()  # the weights come from the rapidocr wheel

    def version(self) -> str:
        return f"paddleocr {metadata.version('paddleocr')}, paddlex {metadata.version('paddlex')}, onnxruntime, PP-OCRv6 small"

    def settings(self) -> dict:
        return dict(self._settings)

    def recognize(self, image: np.ndarray) -> list[OcrLine]:
        bgr = np.repeat(image[:, :, None], 3, axis=2) if image.ndim == 2 else np.ascontiguousarray(image[:, :, ::-1])
        out: list[OcrLine] = []
        for res in self._ocr.predict(bgr):
            r = res.json.get("res", res) if hasattr(res, "json") else res
            polys = r.get("rec_polys", r.get("dt_polys", []))
            texts, scores = r.get("rec_texts", []), r.get("rec_scores", [])
            words = r.get("text_word", None) or [None] * len(texts)
            word_boxes = r.get("text_word_boxes", None) or [None] * len(texts)
            for poly, text, score, ws, wb in zip(polys, texts, scores, words, word_boxes):
                if not str(text).strip():
                    continue
                polygon = tuple((float(x), float(y)) for x, y in np.asarray(poly, float).reshape(-1, 2))
                out.append(OcrLine(polygon, str(text), float(score), _chars_from_words(str(text), ws, wb)))
        return out


def _chars_from_words(text: str, words, boxes) -> tuple | None:
    """Per-character boxes from PaddleOCR's word boxes (a word's box shared evenly by its letters)."""
    if not words or boxes is None or len(words) != len(boxes):
        return None
    chars: list[tuple[float, float, float, float]] = []
    pieces: list[str] = []
    for w, b in zip(words, np.asarray(boxes, float).reshape(-1, 4)):
        w = str(w).replace(" ", "")
        if not w:  # PaddleOCR reports the space in "区改 北京" as a word of its own
            continue
        step = (b[2] - b[0]) / len(w)
        chars.extend((b[0] + k * step, b[1], b[0] + (k + 1) * step, b[3]) for k in range(len(w)))
        pieces.append(w)
    if "".join(pieces) != text.replace(" ", ""):
        return None
    out, k = [], 0
    for ch in text:
        if ch == " ":
            left = chars[k - 1] if k > 0 else chars[0]
            right = chars[k] if k < len(chars) else chars[-1]
            out.append((left[2], left[1], max(left[2], right[0]), left[3]))
        else:
            out.append(chars[k])
            k += 1
    return tuple(out)
