"""Shared helpers for reflow tests: hand-made CJK pages given as lines."""
from __future__ import annotations


def cjk_column(x0, y0, texts, *, h=30, pitch=45, indent_first=True):
    """CJK lines set in ``h`` px square type: a line is as wide as its characters; the first
    line indented two characters unless ``indent_first`` is False."""
    out = []
    for k, t in enumerate(texts):
        dx = 60 if (k == 0 and indent_first) else 0
        out.append({"box": [x0 + dx, y0 + k * pitch, x0 + dx + h * len(t), y0 + k * pitch + h], "text": t})
    return out


def cjk_headline(x0, y0, text, h=70):
    """One headline line of ``h`` px square type."""
    return [{"box": [x0, y0, x0 + h * len(text), y0 + h], "text": text}]
