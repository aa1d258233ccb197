"""Reflow: reading order, articles, continuation stitching and clean text.

Public surface: ``reflow(layout) -> Page`` and its settings ``ReflowConfig``.
"""
from __future__ import annotations

from broadsheet.layout.analyze import Layout
from broadsheet.layout.model import Page

from .articles import (ReflowConfig, collect_units, han_subheads_over_their_text, regroup_fragments, ride_subheads,
                       stitch, unride, units_again)
from .assemble import Numbering, build_page, renumbered
from .script import page_script


def reflow(layout: Layout, *, config: ReflowConfig | None = None, source: str | None = None,
           meta: dict | None = None, numbering: Numbering = Numbering()) -> Page:
    """Order the page, decide its articles, stitch continuations and rebuild the text.

    ``numbering``: where block ids, article numbers and line orders start (for a section of
    a larger page)."""
    cfg = config or ReflowConfig()
    script = page_script(layout.texts)
    units = collect_units(layout)
    # the stitcher reads each bold Latin subhead's column as it was without the bold face
    ridden, parts = ride_subheads(layout, script)
    ru = units if ridden is layout else units_again(layout, units, ridden)
    st = stitch(ridden, ru, cfg.stitch, script)
    st = regroup_fragments(ridden, ru, st, script, cfg.stitch)
    if ridden is not layout:
        st = unride(st, parts)
    st = han_subheads_over_their_text(layout, st, script)
    return build_page(layout, units, st, script, source=source, meta=dict(meta or {}, script=script),
                      page_order=cfg.page_order, numbering=numbering)


__all__ = ["Numbering", "ReflowConfig", "reflow", "renumbered"]
