"""Shared helpers for OCR tests: small synthetic pages drawn with PIL."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

DATA = Path(__file__).parent / "data"
LATIN_FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf"


def text_page(width: int = 1400, height: int = 1000, *, photo: bool = False) -> np.ndarray:
    """A gray page with two columns of Latin text lines (and optionally a photo block and rules)."""
    img = Image.new("L", (width, height), 255)
    d = ImageDraw.Draw(img)
    try:
        font = ImageFont.truetype(LATIN_FONT, 26)
    except OSError:  # pragma: no cover - font package missing
        font = ImageFont.load_default()
    words = "the quick brown fox jumps over lazy dogs while newspapers print many columns".split()
    rng = np.random.default_rng(3)
    col_w = (width - 160) // 2
    for c in range(2):
        x = 60 + c * (col_w + 40)
        for i in range(22):
            y = 60 + i * 40
            if photo and c == 1 and i < 10:
                continue
            line = " ".join(rng.choice(words, 6))
            d.text((x, y), line[: int(col_w / 14)], font=font, fill=0)
    if photo:
        x0 = 60 + col_w + 40
        noise = rng.normal(110, 40, (380, col_w)).clip(0, 255).astype(np.uint8)
        img.paste(Image.fromarray(noise), (x0, 50))
        d.rectangle([60 + col_w + 18, 40, 60 + col_w + 20, height - 40], fill=0)  # vertical rule
        d.rectangle([60, 30, width - 60, 33], fill=0)  # horizontal rule
    return np.asarray(img)


class FixedEngine:
    """An engine that reads every image as the same given lines (a pipeline step tested alone)."""

    name = "fake"

    def __init__(self, lines):
        self._lines = lines

    def version(self):
        return "0"

    def recognize(self, image):
        return list(self._lines)


@pytest.fixture
def small_zh() -> np.ndarray:
    from broadsheet.ocr import load_image_array

    return load_image_array(DATA / "small_zh.png")
