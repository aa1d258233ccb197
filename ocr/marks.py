"""Half-width marks the recogniser read in Chinese text ("云南普洱:", "他笑着说:“这就是").

Chinese text sets its colon, comma, semicolon, question and exclamation marks full width, one
cell each ("：", "，", "；", "？", "！"); on degraded scans the PP-OCR recogniser reads the colon as
the ASCII ":" about one time in three (docs/ocr.md, "Full-width marks in Han text"), the others
now and then. A half-width mark between Han text and Han text, an opening or closing CJK mark, or
the end of the line is the full-width one: text in Latin letters or digits ("CEO:", "10:30")
keeps its mark. The text keeps its length, so the character boxes stay as they are.
"""
from __future__ import annotations

import re
from dataclasses import replace
from typing import Sequence

from .types import OcrLine

FULL_WIDTH = {":": "：", ",": "，", ";": "；", "?": "？", "!": "！"}
_HAN = "\u3400-\u9fff\uf900-\ufaff"
#: a mark after a Han glyph (or a CJK closing mark) and before a Han glyph, a CJK mark or the end
_HALF = re.compile(f"(?<=[{_HAN}”’）》」』])[:,;?!](?=[{_HAN}“‘”’（《「『]|\\s*$)")


def full_width_marks(lines: Sequence[OcrLine]) -> list[OcrLine]:
    """``lines`` with half-width marks in Han text made full width (see the module doc); lines
    with nothing to change come back as the same objects."""
    out = []
    for ln in lines:
        text = _HALF.sub(lambda m: FULL_WIDTH[m.group(0)], ln.text)
        out.append(ln if text == ln.text else replace(ln, text=text))
    return out
