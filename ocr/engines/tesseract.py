"""Tesseract engine (Latin and Fraktur scripts; chi_sim works but PP-OCR is better for Chinese).

Runs the ``tesseract`` binary on the page (PNG through stdin, TSV on stdout) — no Python wrapper
needed. Word boxes from the TSV become per-character boxes (each word's box shared evenly by its
letters, spaces get the gap between words), so the same column-gap splitting applies.

Languages: whatever ``tesseract --list-langs`` shows; Debian packages tesseract-ocr-eng, -deu, -fra,
-chi-sim and -frk (Fraktur: ``frk``, or ``script/Fraktur`` where installed). Combine with ``+``.
"""
from __future__ import annotations

import os
import shutil
import subprocess
from functools import lru_cache

import numpy as np

from broadsheet.errors import EngineUnavailable

from ..charclass import is_cjk
from ..types import OcrLine

HINT = "install the tesseract binary and language data, e.g. apt-get install tesseract-ocr tesseract-ocr-deu"


def _binary() -> str:
    exe = shutil.which("tesseract")
    if exe is None:
        raise EngineUnavailable(f"tesseract engine: the tesseract binary is not on PATH ({HINT})")
    return exe


@lru_cache(maxsize=4)
def _langs(exe: str) -> frozenset[str]:
    out = subprocess.run([exe, "--list-langs"], capture_output=True, text=True, timeout=60)
    lines = (out.stdout or out.stderr).splitlines()
    return frozenset(l.strip() for l in lines[1:] if l.strip())


class TesseractEngine:
    """Tesseract 4/5 LSTM via the command line. Settings: ``lang`` (``"deu"``, ``"deu+frk"``,
    ``"chi_sim"`` …), ``psm`` page segmentation mode (3 = automatic), ``threads`` (0 = default)."""

    name = "tesseract"

    def __init__(self, *, lang: str = "eng", psm: int = 3, threads: int = 0, timeout: float = 600):
        self._exe = _binary()
        have = _langs(self._exe)
        missing = [l for l in lang.split("+") if l not in have]
        if missing:
            raise EngineUnavailable(
                f"tesseract engine: language data {', '.join(missing)} not installed "
                f"(have: {', '.join(sorted(have)) or 'none'}; e.g. apt-get install tesseract-ocr-{missing[0].replace('_', '-').lower()})"
            )
        self.lang, self.psm, self.threads, self.timeout = lang, int(psm), int(threads), timeout

    @staticmethod
    def check_available() -> None:
        _binary()

    def version(self) -> str:
        out = subprocess.run([self._exe, "--version"], capture_output=True, text=True, timeout=60)
        first = (out.stdout or out.stderr).splitlines()[0] if (out.stdout or out.stderr) else "tesseract"
        return first.strip()

    def settings(self) -> dict:
        return {"lang": self.lang, "psm": self.psm, "threads": self.threads}

    def recognize(self, image: np.ndarray) -> list[OcrLine]:
        import cv2

        arr = image if image.ndim == 2 else cv2.cvtColor(image, cv2.COLOR_RGB2BGR)
        ok, png = cv2.imencode(".png", arr)
        if not ok:  # pragma: no cover
            raise RuntimeError("could not encode page for tesseract")
        env = dict(os.environ)
        if self.threads > 0:
            env["OMP_THREAD_LIMIT"] = str(self.threads)
        cmd = [self._exe, "stdin", "stdout", "-l", self.lang, "--psm", str(self.psm), "tsv"]
        proc = subprocess.run(cmd, input=png.tobytes(), capture_output=True, timeout=self.timeout, env=env)
        if proc.returncode != 0:
            raise RuntimeError(f"tesseract failed: {proc.stderr.decode(errors='replace').strip()[-300:]}")
        return parse_tsv(proc.stdout.decode("utf-8", errors="replace"))


def parse_tsv(tsv: str) -> list[OcrLine]:
    """Tesseract TSV (level 5 = words) → one OcrLine per (block, paragraph, line)."""
    rows = [r.split("\t") for r in tsv.splitlines()[1:]]
    words: dict[tuple[int, int, int], list[tuple[float, float, float, float, float, str]]] = {}
    for r in rows:
        if len(r) < 12 or r[0] != "5":
            continue
        text = r[11].strip()
        if not text:
            continue
        key = (int(r[2]), int(r[3]), int(r[4]))
        x, y, w, h, conf = int(r[6]), int(r[7]), int(r[8]), int(r[9]), float(r[10])
        words.setdefault(key, []).append((x, y, x + w, y + h, conf, text))
    out: list[OcrLine] = []
    for key in sorted(words, key=lambda k: (min(w[1] for w in words[k]), k)):
        ws = sorted(words[key], key=lambda w: w[0])
        text_parts: list[str] = []
        chars: list[tuple[float, float, float, float]] = []
        y0 = min(w[1] for w in ws)
        y1 = max(w[3] for w in ws)
        for i, (wx0, _wy0, wx1, _wy1, _c, wt) in enumerate(ws):
            if i > 0:
                prev = ws[i - 1]
                if not (is_cjk(prev[5][-1]) and is_cjk(wt[0])):
                    text_parts.append(" ")
                    chars.append((prev[2], y0, max(prev[2], wx0), y1))
            step = (wx1 - wx0) / len(wt)
            chars.extend((wx0 + k * step, y0, wx0 + (k + 1) * step, y1) for k in range(len(wt)))
            text_parts.append(wt)
        text = "".join(text_parts)
        x0, x1 = ws[0][0], max(w[2] for w in ws)
        conf = float(np.mean([max(w[4], 0.0) for w in ws])) / 100.0
        poly = ((float(x0), float(y0)), (float(x1), float(y0)), (float(x1), float(y1)), (float(x0), float(y1)))
        out.append(OcrLine(poly, text, conf, tuple(tuple(map(float, c)) for c in chars)))
    return out
