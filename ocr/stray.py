"""A Han glyph the recogniser read in a Latin word's padding, on a Latin page, dropped.

Where a justified line's word spaces are wide, the detector boxes a short word with a stretch
of paper beside it, and the recogniser, which reads Han as well as Latin, fills the paper with
an ideograph: "华im", "der海", "葉über" (12 such pieces on 376 German, French and English
pages, no other Han on them). The glyph makes the piece CJK to every later step: the joiner
will not join "arbeitet" | "华im" as words of one line, and "华im" | "zweiten" runs on with no
space ("华imzweiten"), so one body line becomes two blocks and a story is cut there.

A page is Latin when under ``max_share`` of its lines hold a CJK character; on a Chinese page
a Latin word beside one ideograph ("App里") is text.
"""
from __future__ import annotations

import re

from .charclass import CJK_CLASS, HAN_CLASS, has_cjk
from .types import OcrLine

# one Han glyph at either end of a piece otherwise of Latin letters (two or more) and marks
_LATIN_WORD = r"[^\s" + CJK_CLASS + r"]*[A-Za-z\u00c0-\u024f]{2,}[^\s" + CJK_CLASS + r"]*"
_LEAD = re.compile(rf"[{HAN_CLASS}](?={_LATIN_WORD}$)")
_TRAIL = re.compile(rf"(?<=\S)[{HAN_CLASS}]$")
_LATIN_ONLY = re.compile(rf"^{_LATIN_WORD}$")


def drop_stray_han(lines: list[OcrLine] | tuple[OcrLine, ...], *, max_share: float = 0.05) -> list[OcrLine]:
    """``lines`` with a lone Han glyph at the start or end of a one-word Latin piece removed
    (text and its character box), on a page where under ``max_share`` of the lines hold CJK.
    Other lines, and every line of a CJK page, come back as they are."""
    lines = list(lines)
    cjk = [has_cjk(ln.text) for ln in lines]
    if not any(cjk) or sum(cjk) > max_share * len(lines):
        return lines
    return [_without_stray(ln) if c else ln for ln, c in zip(lines, cjk)]


def _without_stray(line: OcrLine) -> OcrLine:
    text = line.text
    if _LEAD.match(text) and _LATIN_ONLY.match(text[1:]):
        k = 0
    elif _TRAIL.search(text) and _LATIN_ONLY.match(text[:-1]):
        k = len(text) - 1
    else:
        return line
    chars = line.chars
    if chars is not None and len(chars) == len(text):
        chars = chars[:k] + chars[k + 1:]
    return OcrLine(line.polygon, text[:k] + text[k + 1:], line.confidence, chars)
