"""Page JSON, Markdown and plain text: the formats people and extractors read directly.

JSON is ``Page.to_dict()`` verbatim (field order kept, UTF-8 not escaped, ``indent=1``), so the
same page always gives the same bytes. Markdown and text give one article after another, in
``page.articles`` order: kicker, title, subtitle, byline, body paragraphs (subheads as ``###`` in
Markdown), captions. Page furniture outside articles (folio lines, section banners, footers) is
left out: these formats are for reading the articles.
"""
from __future__ import annotations

import json
import re
from typing import Any

import numpy as np

from broadsheet.layout.model import Article, Page


def _jsonable(o: Any) -> Any:
    if isinstance(o, np.generic):
        return o.item()
    if isinstance(o, np.ndarray):
        return o.tolist()
    if isinstance(o, (set, frozenset, tuple)):
        return list(o)
    raise TypeError(f"page meta holds a {type(o).__name__}, which JSON cannot represent")


def render_json(page: Page) -> str:
    """The page JSON of DESIGN.md (``broadsheet.page/1``), byte-identical for the same page."""
    return json.dumps(page.to_dict(), ensure_ascii=False, indent=1, default=_jsonable) + "\n"


_MD_START = re.compile(r"^(\s*)([#>*+\-=|`~]|\d+[.)])")


def _md_escape(s: str) -> str:
    """Keep text literal in Markdown: escape characters that would start a block construct."""
    s = s.replace("\\", "\\\\").replace("*", "\\*").replace("_", "\\_").replace("<", "&lt;")
    return "\n".join(_MD_START.sub(lambda m: m.group(1) + "\\" + m.group(2), ln) for ln in s.split("\n"))


def _md_article(a: Article) -> str:
    out = [f"<!-- article {a.id} -->"]
    if a.kicker:
        out.append(f"*{_md_escape(a.kicker)}*")
    if a.title:
        out.append(f"# {_md_escape(a.title)}")
    if a.subtitle:
        out.append(f"## {_md_escape(a.subtitle)}")
    if a.byline:
        out.append(f"*{_md_escape(a.byline)}*")
    for p in a.paragraphs:
        out.append(f"### {_md_escape(p.text)}" if p.role == "subhead" else _md_escape(p.text))
    for c in a.captions:
        out.append(f"> {_md_escape(c)}")
    return "\n\n".join(out)


def render_md(page: Page) -> str:
    """Markdown: articles in order, separated by horizontal rules."""
    return "\n\n---\n\n".join(_md_article(a) for a in page.articles) + "\n"


def _txt_article(a: Article) -> str:
    head = [s for s in (a.kicker, a.title, a.subtitle, a.byline) if s]
    parts = ["\n".join(head)] if head else []
    parts += [p.text for p in a.paragraphs]
    parts += [f"[{c}]" for c in a.captions]
    return "\n\n".join(parts)


def render_txt(page: Page) -> str:
    """Plain text: per article the headline group, blank-line separated paragraphs, captions in
    brackets; articles separated by a line of ``=``."""
    return "\n\n==========\n\n".join(_txt_article(a) for a in page.articles) + "\n"
