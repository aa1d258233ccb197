"""A hand-made page for the export tests, and a fake page reader for the batch tests.

Kept in an importable module (not conftest) so batch worker processes can unpickle the fake.
"""
from __future__ import annotations

import numpy as np

from broadsheet.layout.model import Article, Block, Figure, Join, Line, Page, Paragraph, Separator
from broadsheet.ocr.image import load_pages

_LINES = [  # id: (box, text, block, article)
    ((20, 10, 600, 40), "经济日报 2020年6月1日 第5版", 0, None),
    ((20, 60, 400, 90), "营造良好营商环境", 1, "a1"),
    ((20, 100, 600, 150), "江西赣州经开区：招大引强交出“硬核”答卷", 2, "a1"),
    ((20, 170, 300, 200), "今年以来，赣州经开区共有", 3, "a1"),
    ((20, 205, 300, 235), "等9个项目与赣", 3, "a1"),
    ((320, 170, 600, 200), "州经开区签约。", 4, "a1"),
    ((320, 205, 600, 235), "投资总额超过100亿元。", 4, "a1"),
    ((20, 560, 300, 590), "图为赣州经开区一景。", 5, "a1"),
    ((660, 60, 980, 110), "Die Zeitung von morgen", 6, "a2"),
    ((660, 120, 980, 150), "Der Verlag kündigte am Montag an,", 7, "a2"),
    ((660, 155, 980, 185), "dass die Druckerei schließt.", 7, "a2"),
]
_BLOCKS = [  # id: (role, line ids, article)
    ("page_header", (0,), None), ("kicker", (1,), "a1"), ("title", (2,), "a1"),
    ("body", (3, 4), "a1"), ("body", (5, 6), "a1"), ("caption", (7,), "a1"),
    ("title", (8,), "a2"), ("body", (9, 10), "a2"),
]


def _union(boxes):
    a = np.asarray(boxes, dtype=float)
    return (a[:, 0].min(), a[:, 1].min(), a[:, 2].max(), a[:, 3].max())


def make_page(source: str | None = "page.png", width: int = 1000, height: int = 800) -> Page:
    """Two articles (Chinese with a join across columns, a figure and a caption; German), a page
    header outside any article and a vertical rule."""
    lines = tuple(
        Line(i, box, text, confidence=0.9 + 0.005 * i, block=b, article=a, order=i)
        for i, (box, text, b, a) in enumerate(_LINES)
    )
    blocks = tuple(
        Block(i, role, _union([_LINES[k][0] for k in ids]), ids, article=a)
        for i, (role, ids, a) in enumerate(_BLOCKS)
    )
    a1 = Article(
        "a1", (1, 2, 3, 4, 5), _union([b.bbox for b in blocks[1:6]]),
        kicker="营造良好营商环境", title="江西赣州经开区：招大引强交出“硬核”答卷",
        paragraphs=(Paragraph("今年以来，赣州经开区共有等9个项目与赣州经开区签约。投资总额超过100亿元。"),),
        captions=("图为赣州经开区一景。",), joins=(Join(3, 4, 0.93),),
    )
    a2 = Article(
        "a2", (6, 7), _union([b.bbox for b in blocks[6:8]]), title="Die Zeitung von morgen",
        byline="Von Anna Muster",
        paragraphs=(Paragraph("Neue Pläne", "subhead"),
                    Paragraph("Der Verlag kündigte am Montag an, dass die Druckerei schließt.")),
    )
    return Page(
        width, height, lines, blocks, (a1, a2),
        figures=(Figure(0, (20, 250, 300, 550), "photo", "a1"),),
        separators=(Separator(0, (640, 60, 644, 780), "v"),),
        source=source, orders={"reading": np.arange(len(lines))},
        meta={"engine": "hand-made", "version": "0"},
    )


def fake_read_pages(path: str) -> list[Page]:
    """Stands in for ``broadsheet.api.read_pages``: one hand-made page per image page."""
    return [make_page(source=str(path), width=p.width, height=p.height) for p in load_pages(path)]


def crashing_read_pages(path: str) -> list[Page]:
    """Like :func:`fake_read_pages`, but the worker process dies on files named ``crash*``."""
    import os
    from pathlib import Path

    if Path(path).name.startswith("crash"):
        os._exit(3)
    return fake_read_pages(path)
