"""Every output format, written from the page tree (:class:`broadsheet.layout.model.Page`).

``render(page, fmt, **options)`` returns the output (``str`` for text formats, ``bytes`` for XML
and PNG); ``write(page, fmt, path_or_stream, **options)`` writes it — to a path atomically (and,
for ``alto``, the METS sidecar beside it). ``FORMATS`` names each format, its module (imported
only when used), file extension and options. Unknown names raise ValueError listing the choices.

Options: ``image`` (array or path; ``png``/``html``), ``image_filename`` (``page``/``alto``/
``hocr``: the scan's name written into the file), ``alto_href``/``image_href`` (``mets``),
``lang`` (``hocr``).
"""
from __future__ import annotations

import importlib
import io
import os
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import IO, Any, Callable

from broadsheet.layout.model import Page

from .atomic import write_atomic


@dataclass(frozen=True)
class Format:
    """An output format: ``module:function`` of its renderer (imported lazily) and its suffix."""

    name: str
    target: str
    extension: str
    binary: bool
    description: str

    @property
    def renderer(self) -> Callable[..., str | bytes]:
        mod, func = self.target.split(":")
        return getattr(importlib.import_module(f"{__name__}.{mod}"), func)


FORMATS: MappingProxyType[str, Format] = MappingProxyType({
    f.name: f for f in (
        Format("json", "text:render_json", ".json", False, "page JSON (broadsheet.page/1)"),
        Format("md", "text:render_md", ".md", False, "Markdown, one article after another"),
        Format("txt", "text:render_txt", ".txt", False, "plain text, one article after another"),
        Format("page", "pagexml:render_page_xml", ".page.xml", True, "PAGE XML 2019-07-15"),
        Format("alto", "alto:render_alto", ".alto.xml", True, "ALTO v4 (+ METS sidecar when written to a file)"),
        Format("mets", "alto:render_mets", ".mets.xml", True, "METS structMap: articles → ALTO blocks"),
        Format("hocr", "hocr:render_hocr", ".hocr", False, "hOCR (XHTML)"),
        Format("png", "overlay:render_png", ".png", True, "overlay picture: blocks by article, order, joins"),
        Format("html", "viewer:render_html", ".html", False, "self-contained HTML viewer"),
    )
})
ALIASES = MappingProxyType({"overlay": "png", "pagexml": "page", "xml": "page", "markdown": "md", "text": "txt"})


def get_format(fmt: str) -> Format:
    """The :class:`Format` called ``fmt`` (or an alias such as ``overlay``); ValueError if unknown."""
    name = ALIASES.get(fmt.strip().lower(), fmt.strip().lower())
    if name not in FORMATS:
        raise ValueError(f"unknown output format {fmt!r}; expected one of {', '.join(FORMATS)}"
                         f" (aliases: {', '.join(ALIASES)})")
    return FORMATS[name]


def parse_formats(spec: str | list[str] | tuple[str, ...]) -> tuple[str, ...]:
    """``"json,md"`` or ``["json", "md"]`` → canonical names, duplicates dropped; ValueError if unknown."""
    items = spec.split(",") if isinstance(spec, str) else list(spec)
    out: list[str] = []
    for it in items:
        if it.strip():
            n = get_format(it).name
            if n not in out:
                out.append(n)
    if not out:
        raise ValueError(f"no output format given; expected one or more of {', '.join(FORMATS)}")
    return tuple(out)


def render(page: Page, fmt: str, **options: Any) -> str | bytes:
    """``page`` in format ``fmt`` (see :data:`FORMATS`); options as in the module docstring."""
    return get_format(fmt).renderer(page, **options)


def mets_path_for(alto_path: str | os.PathLike) -> Path:
    """Where the METS sidecar of an ALTO file goes: ``x.alto.xml`` → ``x.mets.xml``."""
    p = Path(alto_path)
    stem = p.name[: -len(".alto.xml")] if p.name.endswith(".alto.xml") else p.stem
    return p.with_name(stem + ".mets.xml")


def write(page: Page, fmt: str, path_or_stream: str | os.PathLike | IO, **options: Any) -> list[Path]:
    """Write ``page`` as ``fmt``; returns the files written (empty for a stream).

    Paths are written atomically (:func:`write_atomic`). Writing ``alto`` to a path also writes the
    METS sidecar (:func:`mets_path_for`) that maps articles to ALTO blocks.
    """
    f = get_format(fmt)
    data = render(page, f.name, **options)
    if isinstance(path_or_stream, (str, os.PathLike)):
        path = Path(path_or_stream)
        written = [write_atomic(path, data)]
        if f.name == "alto":
            mets = render(page, "mets", alto_href=path.name,
                          image_href=options.get("image_filename"))
            written.append(write_atomic(mets_path_for(path), mets))
        return written
    stream = path_or_stream
    if isinstance(stream, io.TextIOBase):
        if isinstance(data, bytes):
            if f.binary and f.name == "png":
                buf = getattr(stream, "buffer", None)
                if buf is None:
                    raise ValueError("png is a binary format: write it to a file or a binary stream")
                stream.flush()
                buf.write(data)
                buf.flush()
                return []
            data = data.decode("utf-8")
        stream.write(data)
    else:
        stream.write(data.encode("utf-8") if isinstance(data, str) else data)
    return []


__all__ = ["FORMATS", "Format", "get_format", "parse_formats", "render", "write", "write_atomic",
           "mets_path_for"]
