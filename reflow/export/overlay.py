"""A picture to check a page at a glance: blocks filled by article colour, numbered in reading
order, roles labelled, joins drawn as arrows, figures and rules outlined.

Drawn with Pillow on the page image (greyed a little so colours stand out) or, without an image,
on a white canvas of the page size. Colours come from a fixed palette in article order, so the
same page always gives the same picture.
"""
from __future__ import annotations

import io
import math
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from broadsheet.layout.model import Box, Page

from ._common import blocks_by_id, reading_units

#: Article colours (RGB), a colour-blind-friendly qualitative set; article i gets PALETTE[i % n].
PALETTE = (
    (31, 119, 180), (255, 127, 14), (44, 160, 44), (214, 39, 40), (148, 103, 189),
    (140, 86, 75), (227, 119, 194), (23, 190, 207), (188, 189, 34), (0, 92, 49),
    (153, 0, 51), (94, 60, 153),
)
NO_ARTICLE = (128, 128, 128)
FIGURE = (60, 60, 60)
SEPARATOR = (230, 0, 160)


def article_colours(page: Page) -> dict[str, tuple[int, int, int]]:
    """Article id → colour, by position in ``page.articles`` (shared with the HTML viewer)."""
    return {a.id: PALETTE[i % len(PALETTE)] for i, a in enumerate(page.articles)}


def page_canvas(page: Page, image=None) -> Image.Image:
    """The page image as RGB at page size (array, path, PIL image), or a white canvas."""
    w, h = int(page.width), int(page.height)
    if image is None:
        return Image.new("RGB", (w, h), "white")
    if isinstance(image, (str, Path)):
        from broadsheet.ocr.image import load_image_array
        image = load_image_array(image)
    im = image if isinstance(image, Image.Image) else Image.fromarray(np.asarray(image))
    im = im.convert("RGB")
    if im.size != (w, h):
        im = im.resize((w, h), Image.Resampling.BILINEAR)
    return im


def _font(size: int) -> ImageFont.ImageFont:
    try:
        return ImageFont.load_default(size=size)
    except TypeError:  # Pillow without FreeType: fixed bitmap font
        return ImageFont.load_default()


def _arrow(draw: ImageDraw.ImageDraw, p: tuple[float, float], q: tuple[float, float],
           colour, width: int) -> None:
    draw.line([p, q], fill=colour, width=width)
    ang = math.atan2(q[1] - p[1], q[0] - p[0])
    L = 5 * width + 6
    left = (q[0] - L * math.cos(ang - 0.4), q[1] - L * math.sin(ang - 0.4))
    right = (q[0] - L * math.cos(ang + 0.4), q[1] - L * math.sin(ang + 0.4))
    draw.polygon([q, left, right], fill=colour)


def _edge_points(a: Box, b: Box) -> tuple[tuple[float, float], tuple[float, float]]:
    """Arrow from the end of block ``a`` (bottom centre) to the start of block ``b`` (top centre)."""
    return ((a[0] + a[2]) / 2, a[3]), ((b[0] + b[2]) / 2, b[1])


def render_overlay_image(page: Page, *, image=None) -> Image.Image:
    """The overlay as a PIL RGB image of the page size."""
    base = page_canvas(page, image)
    if image is not None:  # wash the scan out a little so the colours read
        base = Image.blend(base, Image.new("RGB", base.size, "white"), 0.25)
    w, h = base.size
    scale = max(w, h) / 1000.0
    lw = max(2, round(2 * scale))
    font = _font(max(12, round(14 * scale)))
    small = _font(max(10, round(11 * scale)))
    colours = article_colours(page)
    blocks = blocks_by_id(page)

    layer = Image.new("RGBA", base.size, (0, 0, 0, 0))
    d = ImageDraw.Draw(layer)
    for f in page.figures:
        c = colours.get(f.article, FIGURE)
        d.rectangle(f.bbox, fill=c + (25,), outline=c + (255,), width=lw)
        d.line([(f.bbox[0], f.bbox[1]), (f.bbox[2], f.bbox[3])], fill=c + (120,), width=max(1, lw // 2))
        d.line([(f.bbox[0], f.bbox[3]), (f.bbox[2], f.bbox[1])], fill=c + (120,), width=max(1, lw // 2))
        d.text((f.bbox[0] + lw + 2, f.bbox[3] - lw - 2), f.kind, fill=c + (255,), font=small, anchor="ld")
    for s in page.separators:
        d.rectangle(s.bbox, outline=SEPARATOR + (255,), width=max(1, lw // 2))
    for b in page.blocks:
        c = colours.get(b.article, NO_ARTICLE)
        poly = list(b.polygon) if b.polygon else None
        if poly:
            d.polygon(poly, fill=c + (70,), outline=c + (255,), width=lw)
        else:
            d.rectangle(b.bbox, fill=c + (70,), outline=c + (255,), width=lw)
    for a in page.articles:
        c = colours[a.id]
        for j in a.joins:
            if j.src in blocks and j.dst in blocks:
                p, q = _edge_points(blocks[j.src].bbox, blocks[j.dst].bbox)
                _arrow(d, p, q, (0, 0, 0, 200), lw + 2)
                _arrow(d, p, q, c + (255,), lw)
    base = Image.alpha_composite(base.convert("RGBA"), layer)

    d = ImageDraw.Draw(base)
    n = 0
    for unit in reading_units(page):
        for bid in unit.blocks:
            b = blocks[bid]
            n += 1
            c = colours.get(b.article, NO_ARTICLE)
            x, y = b.bbox[0] + lw, b.bbox[1] + lw
            label = str(n)
            tb = d.textbbox((x, y), label, font=font)
            pad = max(2, lw)
            d.rectangle((tb[0] - pad, tb[1] - pad, tb[2] + pad, tb[3] + pad), fill=c + (255,))
            d.text((x, y), label, fill=(255, 255, 255, 255), font=font)
            role = b.role + (f" · {b.article}" if b.article else "")
            d.text((tb[2] + 2 * pad, y), role, fill=(0, 0, 0, 255), font=small,
                   stroke_width=max(1, lw // 2), stroke_fill=(255, 255, 255, 255))
    return base.convert("RGB")


def render_png(page: Page, *, image=None) -> bytes:
    """The overlay as PNG bytes (page size)."""
    buf = io.BytesIO()
    render_overlay_image(page, image=image).save(buf, format="PNG", optimize=False)
    return buf.getvalue()
