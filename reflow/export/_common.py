"""What every exporter needs from a :class:`Page`: the export reading order, words with boxes,
integer coordinates and a reproducible timestamp.

Export order (one definition for PAGE, ALTO, METS, hOCR and the viewers): the page's articles in
``page.articles`` order, each as its ``blocks`` in article order, with blocks that belong to no
article (page furniture) slotted in where their first line falls in the page reading order
(``Line.order``). Lines that sit in no block come last, one pseudo-block each.
"""
from __future__ import annotations

import os
import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timezone

from broadsheet.layout.model import Article, Block, Box, Line, Page, Point, box_polygon


@dataclass(frozen=True)
class Unit:
    """One item of the export order: an article (its blocks in order) or a lone block."""

    blocks: tuple[int, ...]
    article: Article | None = None


@dataclass(frozen=True)
class Token:
    """A word (Latin) or a run of CJK characters, with its box and confidence."""

    text: str
    bbox: Box
    confidence: float


def blocks_by_id(page: Page) -> dict[int, Block]:
    return {b.id: b for b in page.blocks}


def lines_by_id(page: Page) -> dict[int, Line]:
    return {ln.id: ln for ln in page.lines}


def _first_order(block_ids, lines: dict[int, Line], blocks: dict[int, Block]) -> float:
    orders = [lines[i].order for b in block_ids if b in blocks for i in blocks[b].lines
              if i in lines and lines[i].order is not None]
    return float(min(orders)) if orders else float("inf")


def reading_units(page: Page) -> list[Unit]:
    """The export order (see module docstring). Deterministic for a given page."""
    blocks, lines = blocks_by_id(page), lines_by_id(page)
    in_article = {b for a in page.articles for b in a.blocks}
    keyed: list[tuple[float, int, int, Unit]] = []
    running = float("-inf")
    for i, art in enumerate(page.articles):
        # Articles keep their given order: a key never goes below the previous article's key.
        k = _first_order(art.blocks, lines, blocks)
        running = max(running, k) if k != float("inf") else running
        keyed.append((running, 0, i, Unit(tuple(b for b in art.blocks if b in blocks), art)))
    for j, b in enumerate(page.blocks):
        if b.id not in in_article:
            keyed.append((_first_order([b.id], lines, blocks), 1, j, Unit((b.id,))))
    keyed.sort(key=lambda t: (t[0], t[1], t[2]))
    return [u for *_, u in keyed]


def orphan_lines(page: Page) -> list[Line]:
    """Lines no block lists (kept so that no text is lost in block-based formats)."""
    listed = {i for b in page.blocks for i in b.lines}
    return [ln for ln in page.lines if ln.id not in listed]


def continued_blocks(page: Page) -> dict[int, int]:
    """``dst block → src block`` for every join on the page."""
    return {j.dst: j.src for a in page.articles for j in a.joins}


SENTENCE_END = set("。！？!?.…；;:：”」』)）\"'")


def join_kind(src_text: str) -> str:
    """PAGE relation type for a join: ``join`` when the text breaks mid-sentence, else ``link``.

    PAGE 2019 reserves ``join`` for fragments whose last word/sentence continues in the target and
    ``link`` for looser continuations.
    """
    t = src_text.rstrip()
    return "link" if (t and t[-1] in SENTENCE_END) else "join"


def block_text(block: Block, lines: dict[int, Line]) -> str:
    return "\n".join(lines[i].text for i in block.lines if i in lines)


def block_confidence(block: Block, lines: dict[int, Line]) -> float:
    c = [lines[i].confidence for i in block.lines if i in lines]
    return float(sum(c) / len(c)) if c else 1.0


def polygon_of(box: Box, polygon: tuple[Point, ...] | None) -> tuple[Point, ...]:
    return polygon if polygon else box_polygon(box)


def points(poly: tuple[Point, ...]) -> str:
    """PAGE ``points``: "x,y x,y …" in integer pixels."""
    return " ".join(f"{round(x)},{round(y)}" for x, y in poly)


def ibox(b: Box) -> tuple[int, int, int, int]:
    """Box rounded outward to integer pixels, never empty."""
    x0, y0, x1, y1 = (int(v) for v in (b[0] // 1, b[1] // 1, -(-b[2] // 1), -(-b[3] // 1)))
    return x0, y0, max(x1, x0 + 1), max(y1, y0 + 1)


def timestamp(page: Page) -> str:
    """Creation time for XML metadata: ``page.meta["created"]``, else ``SOURCE_DATE_EPOCH``
    (reproducible builds), else now — always UTC, ISO 8601, whole seconds."""
    if page.meta.get("created"):
        return str(page.meta["created"])
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    t = datetime.fromtimestamp(int(epoch), timezone.utc) if epoch else datetime.now(timezone.utc)
    return t.strftime("%Y-%m-%dT%H:%M:%S")


def software_version() -> str:
    from broadsheet._version import __version__
    return __version__


# --------------------------------------------------------------------------- words

_CJK_RANGES = (
    (0x1100, 0x11FF), (0x2E80, 0x2FDF), (0x3000, 0x30FF), (0x3100, 0x31FF), (0x3200, 0x9FFF),
    (0xA960, 0xA97F), (0xAC00, 0xD7FF), (0xF900, 0xFAFF), (0xFE30, 0xFE4F), (0xFF00, 0xFFEF),
    (0x20000, 0x3FFFF),
)


def is_cjk(ch: str) -> bool:
    """Han, kana, hangul, CJK and full-width punctuation: scripts written without spaces."""
    o = ord(ch)
    return any(lo <= o <= hi for lo, hi in _CJK_RANGES)


def _char_weight(ch: str) -> float:
    return 2.0 if is_cjk(ch) or unicodedata.east_asian_width(ch) in "WF" else 1.0


def _spans(text: str) -> list[tuple[int, int]]:
    """Token spans: runs of non-space characters. Space-separated scripts give words; CJK text,
    written without spaces, gives one token per run (usually the whole line)."""
    return [m.span() for m in re.finditer(r"\S+", text)]


def tokens(line: Line) -> list[Token]:
    """Split a line into words (by spaces; a CJK line without spaces is one token), each with a box.

    Boxes come from ``line.chars`` when it has one box per character; otherwise the line box is
    shared out along its long axis in proportion to character widths (CJK counts double).
    """
    text = line.text
    spans = _spans(text)
    if not spans:
        return []
    if line.chars is not None and len(line.chars) == len(text):
        out = []
        for s, e in spans:
            cb = line.chars[s:e]
            box = (min(b[0] for b in cb), min(b[1] for b in cb), max(b[2] for b in cb), max(b[3] for b in cb))
            out.append(Token(text[s:e], box, line.confidence))
        return out
    x0, y0, x1, y1 = line.bbox
    w = [_char_weight(c) for c in text]
    total = sum(w) or 1.0
    cum = [0.0]
    for v in w:
        cum.append(cum[-1] + v)
    vertical = (y1 - y0) > 1.5 * (x1 - x0) and len(text) > 1
    out = []
    for s, e in spans:
        a, b = cum[s] / total, cum[e] / total
        if vertical:
            box = (x0, y0 + a * (y1 - y0), x1, y0 + b * (y1 - y0))
        else:
            box = (x0 + a * (x1 - x0), y0, x0 + b * (x1 - x0), y1)
        out.append(Token(text[s:e], box, line.confidence))
    return out


def is_vertical(line: Line) -> bool:
    x0, y0, x1, y1 = line.bbox
    return (y1 - y0) > 1.5 * (x1 - x0) and len(line.text) > 1
