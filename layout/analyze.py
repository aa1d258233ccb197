"""Page analysis: lines (+ image) → the page's structure, as arrays for the reflow core."""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import numpy as np

from . import roles as R
from .blocks import BOLD_APART, BOLD_HEAD, BlockConfig, group_blocks_runs
from .classify import RoleConfig, classify, han_subheads_apart, page_measures, type_sizes
from .geometry import group_boxes
from .model import Figure, Line, Separator, boxes_array


@dataclass(frozen=True, kw_only=True)
class LayoutConfig:
    blocks: BlockConfig = field(default_factory=BlockConfig)
    roles: RoleConfig = field(default_factory=RoleConfig)
    detect_separators: bool = True
    detect_figures: bool = True


@dataclass(frozen=True)
class Layout:
    """Structure of one page. Arrays indexed by line id / block index.

    blocks[k] holds line ids top to bottom; groups are headline stacks (block indices).
    """

    width: int
    height: int
    lines: tuple[Line, ...]
    boxes: np.ndarray            # (N, 4) line boxes
    blocks: tuple[np.ndarray, ...]
    block_boxes: np.ndarray      # (B, 4)
    roles: tuple[str, ...]
    groups: tuple[tuple[int, ...], ...]
    em: float
    line_sizes: np.ndarray       # (N,) each line's type size by its advance (`classify.type_sizes`)
    separators: tuple[Separator, ...] = ()
    figures: tuple[Figure, ...] = ()
    #: subheads cut out of their paragraph's block by their bold face alone (`blocks.BOLD_HEAD`)
    bold_heads: frozenset[int] = frozenset()
    #: subheads set apart by space that the page reads as body without their bold face (`blocks.BOLD_APART`)
    bold_apart: frozenset[int] = frozenset()
    #: pairs of blocks (upper, lower) parted only by a bold subhead's cut: one block without
    #: the bold face (`blocks.group_blocks_runs`)
    bold_runs: frozenset[tuple[int, int]] = frozenset()
    #: Han subheads found by their place alone (`classify.han_subheads_apart`), which the
    #: stitcher reads as body (`reflow.articles.ride_subheads`)
    han_apart: frozenset[int] = frozenset()

    @cached_property
    def texts(self) -> tuple[str, ...]:
        """Line texts, indexed like ``lines`` (built once: reflow reads them per chunk)."""
        return tuple(ln.text for ln in self.lines)

    @cached_property
    def block_texts(self) -> tuple[str, ...]:
        """Each block's line texts run together (no glue), indexed like ``blocks``: reflow
        reads a block's text in every content comparison, several per page."""
        t = self.texts
        return tuple("".join([t[i] for i in b.tolist()]) for b in self.blocks)

    @cached_property
    def block_words(self) -> tuple[str, ...]:
        """Each block's line texts joined by a space (whole words on Latin pages), like ``blocks``."""
        t = self.texts
        return tuple(" ".join([t[i] for i in b.tolist()]) for b in self.blocks)

    @cached_property
    def block_prose(self) -> tuple[str, ...]:
        """Each block's lines read as running words, like ``blocks``: joined by a space, and a
        word divided at a line end made whole ("Gletscher-" + "zunge" → "Gletscherzunge"; before
        a capital the hyphen stays: "Nord-" + "Süd" → "Nord-Süd"), and a space after a block
        with text, so that blocks read one after another keep their words apart too. For Latin
        content scores, which read words: glued, every line end runs two words into one. Built
        once: reflow reads it per chunk."""
        t = self.texts
        prose = (prose_of([t[i] for i in b.tolist()]) for b in self.blocks)
        return tuple(p + " " if p else p for p in prose)


def prose_of(lines: list[str]) -> str:
    """Lines as running text: a space between them, none after a letter's hyphen before a
    letter (the hyphen dropped before a lower-case letter, kept before a capital)."""
    out: list[str] = []
    for ln in lines:
        s = ln.strip()
        if not s:
            continue
        if out and len(out[-1]) >= 2 and out[-1][-1] in "-\u00ad" and out[-1][-2].isalpha() and s[0].isalpha():
            out[-1] = out[-1][:-1] + s if s[0].islower() or out[-1][-1] == "\u00ad" else out[-1] + s
        else:
            out.append(s)
    return " ".join(out)


def image_structure(image: np.ndarray | None, boxes: np.ndarray, cfg: LayoutConfig):
    """Rules and photos from the page image ((), () without one)."""
    if image is None:
        return (), ()
    gray = image if image.ndim == 2 else _to_gray(image)
    seps: tuple[Separator, ...] = ()
    figs: tuple[Figure, ...] = ()
    if cfg.detect_separators:
        from .separators import detect_separators
        seps = tuple(detect_separators(gray, text_boxes=boxes))
    if cfg.detect_figures:
        from .figures import detect_figures
        figs = tuple(detect_figures(gray, text_boxes=boxes, separators=seps))
    return seps, figs


def _to_gray(image: np.ndarray) -> np.ndarray:
    import cv2
    if image.shape[2] == 4:
        return cv2.cvtColor(image, cv2.COLOR_RGBA2GRAY)
    return cv2.cvtColor(image, cv2.COLOR_RGB2GRAY)


def analyze(lines: tuple[Line, ...], width: int, height: int, *, image: np.ndarray | None = None,
            separators: tuple[Separator, ...] | None = None, figures: tuple[Figure, ...] | None = None,
            config: LayoutConfig | None = None) -> Layout:
    """Find rules and photos (from the image, if any), group lines into blocks, give roles."""
    cfg = config or LayoutConfig()
    boxes = boxes_array(ln.bbox for ln in lines)
    texts = [ln.text for ln in lines]
    gray = None if image is None else (image if image.ndim == 2 else _to_gray(image))
    if separators is None or figures is None:
        s, f = image_structure(gray, boxes, cfg)
        separators = s if separators is None else separators
        figures = f if figures is None else figures
    horiz = boxes_array(s.bbox for s in separators if s.orientation == "h")
    fig_boxes = boxes_array(f.bbox for f in figures)
    obstacles = np.concatenate([horiz, fig_boxes]) if len(fig_boxes) else horiz
    blocks, sub, runs = group_blocks_runs(boxes, texts, obstacles, cfg.blocks, gray)
    # built once, for the roles and for reflow's size test: one pass over a 100k-line page's text takes 0.2 s
    sizes = type_sizes(boxes, texts)
    running = np.zeros(len(blocks), bool)
    for a, b in runs:
        running[a] |= sub[a] == 0
        running[b] |= sub[b] == 0
    # the lines' and blocks' measures every reading of the roles below shares
    measures = page_measures(blocks, boxes, texts, sizes) if len(blocks) else None
    roles, groups, em = classify(blocks, boxes, texts, width, height, fig_boxes, horiz, sub, cfg.roles,
                                 sizes=sizes, running=running, measures=measures)
    bb = group_boxes(boxes, blocks) if measures is None else measures.block_boxes
    # the lone bold subheads the page would read as body without their face (for the stitcher:
    # `reflow.articles.ride_subheads`). Read without the one-line subhead that fills most of a
    # narrow column too (`classify._lone_subheads`' flush rule): the stitcher was measured
    # reading those bold ones as body, and en s41 4100127 end to end lost a story's second
    # part ("Concerns about parking", its column's head) to the story above when it did not
    apart = [k for k, r in enumerate(roles) if r == R.SUBHEAD and sub[k] == BOLD_APART]
    if apart:
        plain = classify(blocks, boxes, texts, width, height, fig_boxes, horiz,
                         [0 if f == BOLD_APART else f for f in sub], cfg.roles, sizes=sizes, running=running,
                         flush_subheads=False, measures=measures)[0]
        apart = [k for k in apart if plain[k] == R.BODY]
    han_apart = han_subheads_apart(blocks, boxes, texts, roles, sizes, cfg.roles, measures)
    roles = [R.SUBHEAD if k in han_apart else r for k, r in enumerate(roles)]
    return Layout(
        width=int(width), height=int(height), lines=tuple(lines), boxes=boxes,
        blocks=tuple(blocks), block_boxes=bb, roles=tuple(roles),
        groups=tuple(tuple(g) for g in groups), em=em, line_sizes=sizes,
        separators=tuple(separators), figures=tuple(figures),
        bold_heads=frozenset(k for k, r in enumerate(roles) if r == R.SUBHEAD and sub[k] == BOLD_HEAD),
        bold_apart=frozenset(apart),
        bold_runs=frozenset(runs), han_apart=frozenset(han_apart),
    )


__all__ = ["Layout", "LayoutConfig", "analyze"]
