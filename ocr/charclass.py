"""Which characters are set solid (CJK) and which are words separated by spaces.

One definition for the OCR layer: where two recognised pieces meet, a space goes between them
unless a CJK character stands on either side; a recogniser's "word" ends where the text
passes between CJK and other characters. Han ideographs (with extension A and the
compatibility block), kana, hangul, CJK punctuation and full-width forms count as CJK.
"""
from __future__ import annotations

import re

CJK_CLASS = r"\u3000-\u30ff\u3400-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef"
_CJK = re.compile(rf"[{CJK_CLASS}]")


def is_cjk(ch: str) -> bool:
    """Is the single character ``ch`` set solid (no spaces around it)?"""
    return bool(ch) and _CJK.match(ch) is not None


def has_cjk(text: str) -> bool:
    """Does ``text`` hold any character set solid?"""
    return _CJK.search(text) is not None
