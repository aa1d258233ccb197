"""From stitched chains to the page tree: articles with headline fields, paragraphs,
captions and joins; blocks and lines with their article and reading-order place.
"""
from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from broadsheet.layout import roles as R
from broadsheet.layout.analyze import Layout
from broadsheet.layout.geometry import overlap_x
from broadsheet.layout.model import Article, Block, Figure, Join, Page, Paragraph, with_fields

from .articles import Stitched, Units
from .text import end_openness, join_lines, paragraph_starts, start_openness


def _block_text(lay: Layout, k: int, script: str) -> str:
    return join_lines([lay.lines[i].text for i in lay.blocks[k]], script)


def _names_text(lay: Layout, k: int) -> str:
    """A byline's or a photo credit's text: names are separated by spaces even in CJK text
    ("本报记者 古丽娜尔摄"), where running text joins without them."""
    return " ".join(" ".join(lay.lines[i].text.split()) for i in lay.blocks[k])


def _attach_extras(lay: Layout, owner: dict[int, int], script: str = "cjk",
                   ) -> tuple[dict[int, int], dict[int, int]]:
    """Captions, credits and figures go to the article whose text is nearest in their column
    — unless the caption names another story clearly more (a photo of Zhaoqing set beside
    Ganzhou's column: "图为广东肇庆高新区…"), when caption, credit and photo go to that story.

    Returns (block → article index for captions/credits, figure index → article index).
    """
    bb = lay.block_boxes
    owned = np.array(sorted(owner))
    extra_blocks = [k for k, r in enumerate(lay.roles) if r in (R.CAPTION, R.CREDIT) and k not in owner]
    figs = np.array([f.bbox for f in lay.figures]).reshape(-1, 4)
    cap_owner: dict[int, int] = {}
    fig_owner: dict[int, int] = {}
    if len(owned) == 0:
        return cap_owner, fig_owner

    def nearest(box: np.ndarray) -> int:
        ob = bb[owned]
        ox = overlap_x(box[None], ob)[0]
        dy = np.maximum(np.maximum(ob[:, 1] - box[3], box[1] - ob[:, 3]), 0)
        dx = np.maximum(np.maximum(ob[:, 0] - box[2], box[0] - ob[:, 2]), 0)
        d = dy + dx + np.where(ox > 0, 0, lay.em * 3)
        return owner[int(owned[int(np.argmin(d))])]

    for i, fb in enumerate(figs):
        fig_owner[i] = nearest(fb)
    for k in extra_blocks:
        box = bb[k]
        if len(figs):
            ox = overlap_x(box[None], figs)[0]
            dy = np.maximum(np.maximum(figs[:, 1] - box[3], box[1] - figs[:, 3]), 0)
            close = (ox > 0.3 * (box[2] - box[0])) & (dy < 2.5 * lay.em)
            if close.any():
                cap_owner[k] = fig_owner[int(np.argmin(np.where(close, dy, np.inf)))]
                continue
        row = _text_under_credit(box, bb[owned], lay.em) if lay.roles[k] == R.CREDIT else -1
        cap_owner[k] = owner[int(owned[row])] if row >= 0 else nearest(box)
    return _by_caption_content(lay, owner, cap_owner, fig_owner, figs, script)


def _text_under_credit(box: np.ndarray, ob: np.ndarray, em: float, reach: float = 2.0) -> int:
    """The text a photo credit belongs to when no photo is known: the nearest block (by the
    gap across) whose top stands within ``reach`` em under the credit and which starts left of
    its right end — the story set under the photo, the credit at the photo's foot right above
    it. A credit sits flush right under its photo, so that story's last column often stops
    short of the credit's x, and the nearest text (a column beside, or the next story far
    under it) belongs elsewhere: 13 of the 288 credits on the seen sets' GT blocks went there.

    box: (4,) the credit; ob: (N, 4) owned text blocks. Returns a row of ``ob`` or -1.
    """
    top = ob[:, 1] - box[3]
    under = (top > -0.3 * em) & (top < reach * em) & (ob[:, 0] < box[2])
    if not under.any():
        return -1
    dx = np.maximum(np.maximum(ob[:, 0] - box[2], box[0] - ob[:, 2]), 0)
    return int(np.argmin(np.where(under, dx, np.inf)))


def _by_caption_content(lay, owner, cap_owner, fig_owner, figs, script,
                        ratio: float = 1.5, least: float = 0.05):
    """Move captions (with the photo they hug and the credits beside it) to the article their
    words name at least ``ratio`` times as much as the one geometry gave them."""
    caps = [k for k, a in cap_owner.items() if lay.roles[k] == R.CAPTION]
    n_art = max(owner.values()) + 1 if owner else 0
    if not caps or n_art < 2:
        return cap_owner, fig_owner
    from .similarity import similarity_matrix
    bt = lay.block_texts
    def text_of(ks):
        return "".join([bt[k] for k in ks])
    members: list[list[int]] = [[] for _ in range(n_art)]
    for k, a in owner.items():
        members[a].append(k)
    art_texts = [text_of(sorted(m)) for m in members]
    sim = similarity_matrix([text_of([k]) for k in caps], art_texts, script)
    bb = lay.block_boxes
    for row, k in enumerate(caps):
        cur = cap_owner[k]
        best = int(np.argmax(sim[row]))
        if best == cur or sim[row, best] < least or sim[row, best] < ratio * sim[row, cur]:
            continue
        cap_owner[k] = best
        box = bb[k]
        if len(figs):  # the photo it hugs, and that photo's other captions and credits
            ox = overlap_x(box[None], figs)[0]
            dy = np.maximum(np.maximum(figs[:, 1] - box[3], box[1] - figs[:, 3]), 0)
            close = (ox > 0.3 * (box[2] - box[0])) & (dy < 2.5 * lay.em)
            if close.any():
                f = int(np.argmin(np.where(close, dy, np.inf)))
                fig_owner[f] = best
        for j in list(cap_owner):
            if j != k and cap_owner[j] == cur and lay.roles[j] == R.CREDIT:
                gap = max(bb[j, 1] - bb[k, 3], bb[k, 1] - bb[j, 3])
                if gap < 2.0 * lay.em and overlap_x(bb[j][None], bb[k][None])[0, 0] > 0:
                    cap_owner[j] = best
    return cap_owner, fig_owner


@dataclass(frozen=True)
class Numbering:
    """First block id, article number and line order to hand out: nonzero for a section of a
    larger page (`broadsheet.api`), so the sections' pages join without renumbering."""

    block: int = 0
    article: int = 0
    line: int = 0

    def after(self, page: Page) -> Numbering:
        """Where the section after ``page`` (numbered from here) starts."""
        return Numbering(self.block + len(page.blocks), self.article + len(page.articles),
                         self.line + len(page.lines))


def renumbered(page: Page, start: Numbering) -> Page:
    """``page``, built from ``Numbering()``, as `build_page` builds it from ``start``: block
    ids, article numbers and line places shifted (ids are handed out in turn from the start,
    so nothing else changes). A section solved in a worker process before the sections
    above it were counted (`broadsheet.sections`) takes its place this way."""
    if start == Numbering():
        return page
    db = start.block
    art = article_ids_from(page, start)
    block, article, order = places_from([ln.block for ln in page.lines], [ln.article for ln in page.lines],
                                        [ln.order for ln in page.lines], art, start)
    lines = tuple([ln.placed(b, a, o) for ln, b, a, o in zip(page.lines, block, article, order)])
    blocks = tuple([with_fields(b, id=b.id + db, article=None if b.article is None else art[b.article])
                    for b in page.blocks])
    articles = tuple([with_fields(a, id=art[a.id], blocks=tuple([k + db for k in a.blocks]),
                                  joins=tuple([Join(j.src + db, j.dst + db, j.score) for j in a.joins]))
                      for a in page.articles])
    figures = tuple([f if f.article is None else replace(f, article=art[f.article]) for f in page.figures])
    return replace(page, lines=lines, blocks=blocks, articles=articles, figures=figures)


def article_ids_from(page: Page, start: Numbering) -> dict[str, str]:
    """Each article id of ``page`` (built from ``Numbering()``) as numbered from ``start``."""
    return {a.id: f"a{int(a.id[1:]) + start.article}" for a in page.articles}


def places_from(block: list[int | None], article: list[str | None], order: list[int | None],
                art: dict[str, str], start: Numbering) -> tuple[list, list, list]:
    """Lines' block, article and reading place (built from ``Numbering()``) as numbered from
    ``start`` (``art``: `article_ids_from`): the line part of `renumbered`, on plain lists, so a
    section sent back without its lines (`broadsheet.sections.Shipped`) is placed in one pass."""
    db, dl = start.block, start.line
    return ([None if b is None else b + db for b in block], [None if a is None else art[a] for a in article],
            [None if o is None else o + dl for o in order])


def build_page(lay: Layout, u: Units, st: Stitched, script: str, *, source: str | None,
               meta: dict, page_order: str = "geometric", numbering: Numbering = Numbering()) -> Page:
    """The page tree. ``page_order`` (see ``ReflowConfig``): "geometric" — blocks and lines in
    the geometric reading order; "articles" — each article read whole where it opens
    (``article_sequence``)."""
    bb = lay.block_boxes
    B = len(lay.blocks)
    lid = [ln.id for ln in lay.lines]  # block entries index lay.lines; outputs name line ids
    members_of = [b.tolist() for b in lay.blocks]  # plain ints: NumPy scalars are slow dict keys
    # articles: headed chains (heads with no text and no caption become section banners)
    arts: list[dict] = []
    for g, chain in zip(u.heads, st.headed):
        arts.append({"head": list(g), "chain": chain})
    for chain in st.loose:
        arts.append({"head": [], "chain": chain})
    owner: dict[int, int] = {}
    for a, art in enumerate(arts):
        for k in art["head"] + art["chain"]:
            owner[k] = a
    cap_owner, fig_owner = _attach_extras(lay, owner, script)
    for k, a in cap_owner.items():
        arts[a].setdefault("extras", []).append(k)
    roles = list(lay.roles)
    keep = []
    for a, art in enumerate(arts):
        if art["chain"] or art.get("extras") or any(fig_owner.get(i) == a for i in fig_owner):
            keep.append(a)
        else:
            for k in art["head"]:
                roles[k] = R.SECTION
    # each article's blocks in its own reading order; the page order (see above) from them
    member: dict[int, int] = {}
    art_blocks: dict[int, list[int]] = {}
    for a in keep:
        art = arts[a]
        art_blocks[a] = (sorted(art["head"], key=lambda q: (bb[q, 1], bb[q, 0])) + art["chain"]
                         + sorted(art.get("extras", []), key=lambda q: u.rank[q]))
        for k in art_blocks[a]:
            member[k] = a
    place = np.empty(len(u.order_nodes), np.int64)
    place[u.order_nodes] = np.arange(len(u.order_nodes))
    if page_order == "articles":
        block_seq, opens = article_sequence(place[:B], [art_blocks[a] for a in keep])
        art_order = [keep[i] for i in np.argsort(opens, kind="stable").tolist()]
    else:  # the geometric order; articles numbered by where they first appear in it
        block_seq = [int(k) for k in u.order_nodes if k < B]
        first_rank = {a: min(u.rank[k] for k in art_blocks[a]) for a in keep}
        art_order = sorted(keep, key=lambda a: first_rank[a])
    art_id = {a: f"a{n + 1}" for n, a in enumerate(art_order, start=numbering.article)}
    block_id = {k: n for n, k in enumerate(block_seq, start=numbering.block)}
    # lines in page order; per line (by its place in lay.lines) its block id and order
    line_order: list[int] = []
    for k in block_seq:
        line_order.extend([lid[i] for i in members_of[k]])
    n_lines = len(lay.lines)
    line_block: list[int | None] = [None] * n_lines
    line_place: list[int | None] = [None] * n_lines
    place = numbering.line
    for k in block_seq:
        b = block_id[k]
        for i in members_of[k]:
            line_block[i] = b
            line_place[i] = place
            place += 1

    flags = paragraph_flags(lay, script)
    articles = []
    for a in art_order:
        art = arts[a]
        aid = art_id[a]
        fields: dict[str, list[str]] = {R.KICKER: [], R.TITLE: [], R.SUBTITLE: [], R.BYLINE: []}
        for k in sorted(art["head"], key=lambda q: (bb[q, 1], bb[q, 0])):
            role = roles[k] if roles[k] in fields else R.SUBTITLE
            if role == R.BYLINE:
                fields[role].append(_names_text(lay, k))
            else:
                fields[role].append(_block_text(lay, k, script))
        paragraphs = _paragraphs(lay, art["chain"], script, fields, flags)
        extras = sorted(art.get("extras", []), key=lambda q: (roles[q] == R.CREDIT, u.rank[q]))
        captions = tuple(_names_text(lay, k) if roles[k] == R.CREDIT else _block_text(lay, k, script)
                         for k in extras)
        joins = tuple(Join(block_id[x], block_id[y], st.links[(x, y)])
                      for x, y in zip(art["chain"][:-1], art["chain"][1:])
                      if (x, y) in st.links and (x, y) not in st.adjacent)
        box = bb[art_blocks[a]]
        sep = " " if script == "latin" else ""
        articles.append(Article(
            id=aid,
            blocks=tuple(block_id[k] for k in art_blocks[a]),
            bbox=(float(box[:, 0].min()), float(box[:, 1].min()), float(box[:, 2].max()), float(box[:, 3].max())),
            kicker=sep.join(fields[R.KICKER]) or None,
            title=sep.join(fields[R.TITLE]) or None,
            subtitle=sep.join(fields[R.SUBTITLE]) or None,
            byline=" ".join(fields[R.BYLINE]) or None,
            paragraphs=paragraphs, captions=captions, joins=joins,
        ))
    bb_l = bb.tolist()
    blocks = tuple(
        Block(id=block_id[k], role=roles[k], bbox=tuple(bb_l[k]),
              lines=tuple([lid[i] for i in members_of[k]]),
              article=art_id.get(member[k]) if k in member else None)
        for k in block_seq)
    line_art: list[str | None] = [None] * n_lines
    for k, a in member.items():
        for i in members_of[k]:
            line_art[i] = art_id[a]
    lines = tuple([ln.placed(b, a, o) for ln, b, a, o in zip(lay.lines, line_block, line_art, line_place)])
    figures = tuple(Figure(id=f.id, bbox=f.bbox, kind=f.kind,
                           article=art_id.get(fig_owner[i]) if fig_owner.get(i) in art_id else None)
                    for i, f in enumerate(lay.figures))
    orders = {"reading": np.array(line_order, dtype=np.int64)}
    return Page(width=lay.width, height=lay.height, lines=lines, blocks=blocks,
                articles=tuple(articles), figures=figures, separators=lay.separators,
                source=source, orders=orders, meta=meta)


def article_sequence(place: np.ndarray, articles: list[list[int]]) -> tuple[list[int], np.ndarray]:
    """Blocks in article-major page order, and where each article opens in it.

    ``place``: (B,) each block's place in the geometric page order; ``articles``: each
    article's blocks in its own reading order (headline group, text, captions and credits).
    An article is read whole, at the place of its first block in the geometric order, the way
    a reader follows a story to wherever its tail was printed; blocks in no article (page
    header, folio, section labels, footer) keep their geometric place. One sort over keys.
    Returns (block indices in page order, (A,) each article's opening place)."""
    key = np.asarray(place, np.int64).copy()
    sub = np.zeros(len(key), np.int64)
    sizes = np.array([len(ks) for ks in articles], np.int64)
    opens = np.zeros(len(articles), np.int64)
    if sizes.sum():
        flat = np.concatenate([np.asarray(ks, np.int64) for ks in articles])
        starts = np.concatenate([[0], np.cumsum(sizes)[:-1]])
        nonempty = sizes > 0
        opens[nonempty] = np.minimum.reduceat(key[flat], starts[nonempty])
        art_of = np.repeat(np.arange(len(articles)), sizes)
        key[flat] = opens[art_of]
        sub[flat] = np.arange(len(flat)) - starts[art_of] + 1
    return np.lexsort((sub, key)).tolist(), opens


def paragraph_flags(lay: Layout, script: str) -> np.ndarray:
    """(N,) bool per line id: does the line open a paragraph? One vectorised pass over the
    page, each line measured against its own block's edges."""
    n = len(lay.lines)
    flags = np.zeros(n, bool)
    if not lay.blocks:
        return flags
    ids = np.concatenate(lay.blocks)
    sizes = np.array([len(b) for b in lay.blocks])
    x0 = np.repeat(lay.block_boxes[:, 0], sizes)
    x1 = np.repeat(lay.block_boxes[:, 2], sizes)
    texts = [lay.texts[i] for i in ids.tolist()]  # plain ints: NumPy scalars are slow indices
    flags[ids] = np.asarray(paragraph_starts(lay.boxes[ids], texts, script, column_x0=x0, column_x1=x1,
                                             em=lay.em), bool)
    # a block's first line opens a paragraph only if it is indented (decided per chain below)
    firsts = np.array([b[0] for b in lay.blocks])
    flags[firsts] = (lay.boxes[firsts, 0] - lay.block_boxes[:, 0]) > 0.6 * lay.em
    return flags


def _paragraphs(lay: Layout, chain: list[int], script: str, fields, flags: np.ndarray) -> tuple[Paragraph, ...]:
    """Body paragraphs in chain order; a block that starts mid-sentence extends the last one."""
    paras: list[list[str]] = []
    proles: list[str] = []
    for k in chain:
        role = lay.roles[k]
        ids = lay.blocks[k]
        texts = [lay.lines[i].text for i in ids.tolist()]
        if role == R.BYLINE:
            fields[R.BYLINE].append(join_lines(texts, script))
            continue
        if role == R.SUBHEAD:
            paras.append(texts)
            proles.append("subhead")
            continue
        starts = flags[ids].tolist()
        indented = bool(starts[0]) if len(texts) > 1 else None
        # a block goes on with the last paragraph when that one stopped mid-sentence (and this
        # block is not indented), or when this block plainly starts mid-sentence
        cont = bool(paras) and proles[-1] == "body" and not indented and (
            end_openness(paras[-1][-1], script) > 0.5
            or start_openness(texts[0], script, indented=indented) > 0.5)
        for n, t in enumerate(texts):
            if n == 0 and cont:
                paras[-1].append(t)
            elif n == 0 or starts[n]:
                paras.append([t])
                proles.append("body")
            else:
                paras[-1].append(t)
    return tuple(Paragraph(join_lines(p, script), r) for p, r in zip(paras, proles))
