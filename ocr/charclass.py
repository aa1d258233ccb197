"""Which characters are set solid (CJK) and which are words separated by spaces.

One definition for the OCR layer: where two recognised pieces meet, a space goes between them
unless a CJK character stands on either side; a recogniser's "word" ends where the text
passes between CJK and other characters. Han ideographs (with extension A and the
compatibility block), kana, hangul, CJK punctuation and full-width forms count as CJK.
"""
from __future__ import annotations

import re
from typing import Sequence

import numpy as np

CJK_CLASS = r"\u3000-\u30ff\u3400-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef"
_CJK = re.compile(rf"[{CJK_CLASS}]")


def is_cjk(ch: str) -> bool:
    """Is the single character ``ch`` set solid (no spaces around it)?"""
    return bool(ch) and _CJK.match(ch) is not None


def has_cjk(text: str) -> bool:
    """Does ``text`` hold any character set solid?"""
    return _CJK.search(text) is not None


#: Han ideographs (extension A and the compatibility block): a regex class, and one character.
HAN_CLASS = "\u3400-\u9fff\uf900-\ufaff"
HAN_CHAR = re.compile(f"[{HAN_CLASS}]")


def han_advance(text: str, chars: Sequence[Sequence[float]]) -> float:
    """Median distance between the centres of neighbouring Han glyphs (``chars``: one box per
    character of ``text``): the line's character advance, 0 when it has no two Han glyphs side
    by side."""
    han = np.array([HAN_CHAR.match(c) is not None for c in text], dtype=bool)
    pairs = np.flatnonzero(han[:-1] & han[1:])
    if len(pairs) == 0:
        return 0.0
    cx = np.array([(c[0] + c[2]) / 2 for c in chars])
    return float(np.median(cx[pairs + 1] - cx[pairs]))
