"""hOCR out (for ocrmypdf, hocr-tools and friends): XHTML with layout in ``title`` properties.

``ocr_page`` → one ``ocr_carea`` per block (in the export order, so document order is reading
order) → one ``ocr_par`` → ``ocr_line`` (``bbox``, ``x_wconf`` 0–100) → ``ocrx_word``. Words are
split on spaces; CJK text, which has no spaces, is one ``ocrx_word`` per run of CJK characters
(so that hOCR consumers that only read words still get the text). Each carea carries the
Broadsheet role and article in engine-specific properties (``x_role``, ``x_article``), and
``ocr_photo`` / ``ocr_separator`` mark figures and rules.
"""
from __future__ import annotations

import html

from broadsheet.layout.model import Box, Line, Page

from ._common import blocks_by_id, ibox, lines_by_id, orphan_lines, reading_units, software_version, tokens

XHTML_NS = "http://www.w3.org/1999/xhtml"
CAPABILITIES = "ocr_page ocr_carea ocr_par ocr_line ocrx_word ocr_photo ocr_separator"


def _bbox(b: Box) -> str:
    x0, y0, x1, y1 = ibox(b)
    return f"bbox {x0} {y0} {x1} {y1}"


def _a(s: str) -> str:
    return html.escape(str(s), quote=True)


def _prop_value(s: str) -> str:
    """hOCR property values end at ';' and split at spaces: keep ids to safe characters."""
    return "".join(c if c.isalnum() or c in "-_." else "_" for c in str(s))


def _line(ln: Line, indent: str) -> list[str]:
    wc = round(100 * min(max(float(ln.confidence), 0.0), 1.0))
    out = [f'{indent}<span class="ocr_line" id="line_{ln.id}" title="{_bbox(ln.bbox)}; x_wconf {wc}">']
    for k, t in enumerate(tokens(ln)):
        out.append(f'{indent} <span class="ocrx_word" id="word_{ln.id}_{k}" '
                   f'title="{_bbox(t.bbox)}; x_wconf {wc}">{html.escape(t.text, quote=False)}</span>')
    out.append(f"{indent}</span>")
    return out


def render_hocr(page: Page, *, image_filename: str | None = None, lang: str | None = None) -> str:
    """hOCR (XHTML 1.0 Transitional, UTF-8) for ``page``."""
    blocks, lines = blocks_by_id(page), lines_by_id(page)
    image = image_filename or page.source or "page.png"
    lang_attr = f' xml:lang="{_a(lang)}" lang="{_a(lang)}"' if lang else ""
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" '
        '"http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">',
        f'<html xmlns="{XHTML_NS}"{lang_attr}>',
        "<head>",
        f"<title>{html.escape(page.source or 'page', quote=False)}</title>",
        '<meta http-equiv="Content-Type" content="text/html;charset=utf-8"/>',
        f'<meta name="ocr-system" content="broadsheet {_a(software_version())}"/>',
        f'<meta name="ocr-capabilities" content="{CAPABILITIES}"/>',
        '<meta name="ocr-number-of-pages" content="1"/>',
        "</head>",
        "<body>",
        f'<div class="ocr_page" id="page_1" title="image &quot;{_a(image)}&quot;; '
        f'bbox 0 0 {int(page.width)} {int(page.height)}; ppageno 0">',
    ]

    def carea(cid: str, bbox: Box, role: str, article: str | None, line_list: list[Line]) -> None:
        props = f"{_bbox(bbox)}; x_role {_prop_value(role)}"
        if article is not None:
            props += f"; x_article {_prop_value(article)}"
        out.append(f' <div class="ocr_carea" id="block_{cid}" title="{props}">')
        out.append(f'  <p class="ocr_par" id="par_{cid}" title="{_bbox(bbox)}">')
        for ln in line_list:
            out.extend(_line(ln, "   "))
        out.append("  </p>")
        out.append(" </div>")

    for unit in reading_units(page):
        for b in unit.blocks:
            blk = blocks[b]
            carea(str(b), blk.bbox, blk.role, blk.article, [lines[i] for i in blk.lines if i in lines])
    for ln in orphan_lines(page):
        carea(f"l{ln.id}", ln.bbox, "other", None, [ln])
    for f in page.figures:
        out.append(f' <div class="ocr_photo" id="figure_{f.id}" title="{_bbox(f.bbox)}"></div>')
    for s in page.separators:
        out.append(f' <div class="ocr_separator" id="separator_{s.id}" title="{_bbox(s.bbox)}"></div>')
    out += ["</div>", "</body>", "</html>", ""]
    return "\n".join(out)
