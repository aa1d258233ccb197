"""A self-contained HTML view of a page: the scan with its blocks beside the articles' text.

One file, no external requests: the scan is embedded as a base64 JPEG (longest side at most
``max_side`` pixels), the overlay is inline SVG in page coordinates, CSS and JS are inline.
Hovering an article's text lights up its blocks on the scan, and hovering a block lights up its
article; clicking a block scrolls to the article. Colours match the PNG overlay.
"""
from __future__ import annotations

import base64
import html
import io

from PIL import Image

from broadsheet.layout.model import Article, Page

from ._common import blocks_by_id, reading_units
from .overlay import NO_ARTICLE, article_colours, page_canvas

CSS = """
*{box-sizing:border-box}
body{margin:0;font:15px/1.5 system-ui,-apple-system,"Segoe UI","Noto Sans","Noto Sans CJK SC","PingFang SC","Microsoft YaHei",sans-serif;color:#222;background:#f4f4f2}
header{padding:6px 14px;background:#222;color:#eee;font-size:13px;display:flex;gap:18px;align-items:baseline}
header b{font-size:15px;color:#fff}
main{display:flex;height:calc(100vh - 34px)}
#scan{flex:1 1 58%;overflow:auto;background:#ddd;padding:8px}
#scan svg{width:100%;height:auto;max-height:calc(100vh - 52px);display:block;margin:auto;background:#fff;box-shadow:0 1px 4px #0004}
#text{flex:1 1 42%;overflow:auto;padding:10px 16px}
.art{background:#fff;border-left:6px solid var(--c);margin:0 0 12px;padding:8px 12px;border-radius:3px;box-shadow:0 1px 2px #0002;cursor:default;transition:box-shadow .1s}
.art.hl{box-shadow:0 0 0 3px var(--c)}
.art .id{float:right;font-size:12px;color:#888}
.art .kicker{color:#555;font-size:13px}
.art h2{margin:2px 0 4px;font-size:19px;line-height:1.3}
.art h3{margin:0 0 4px;font-size:15px;color:#444}
.art h4{margin:10px 0 2px;font-size:15px}
.art .byline{font-style:italic;color:#555;font-size:13px}
.art p{margin:6px 0}
.art .cap{font-size:13px;color:#555;border-top:1px dashed #ccc;padding-top:4px}
.blk{fill:var(--c);fill-opacity:.22;stroke:var(--c);stroke-width:var(--sw);cursor:pointer;transition:fill-opacity .1s}
svg.focus .blk{fill-opacity:.06;stroke-opacity:.35}
svg.focus .blk.hl{fill-opacity:.45;stroke-opacity:1}
.fig{fill:none;stroke:var(--c);stroke-width:var(--sw);stroke-dasharray:calc(var(--sw)*4) calc(var(--sw)*2)}
.fig.hl{stroke-width:calc(var(--sw)*2.5)}
.sep{fill:#e600a0;fill-opacity:.6}
.num{pointer-events:none}
.num circle{fill:var(--c);stroke:#fff;stroke-width:calc(var(--sw)*.8)}
.num text{font:bold var(--fs) sans-serif;fill:#fff;text-anchor:middle;dominant-baseline:central}
.join{stroke:var(--c);stroke-width:calc(var(--sw)*1.5);fill:none;pointer-events:none}
.none{color:#888;font-style:italic}
.meta{font-size:12px;color:#999;margin-top:4px}
"""

JS = """
(function(){
 var svg=document.querySelector('#scan svg');
 function mark(id,on){
  document.querySelectorAll('[data-article="'+id+'"]').forEach(function(e){e.classList.toggle('hl',on);});
  svg.classList.toggle('focus',on);
 }
 document.querySelectorAll('[data-article]').forEach(function(e){
  var id=e.getAttribute('data-article');
  e.addEventListener('mouseenter',function(){mark(id,true);});
  e.addEventListener('mouseleave',function(){mark(id,false);});
  if(e.classList.contains('blk')){e.addEventListener('click',function(){
   var c=document.getElementById('art-'+id); if(c){c.scrollIntoView({behavior:'smooth',block:'nearest'});}
  });}
 });
 // A link to "viewer.html#art-ID" opens with that article lit up.
 var m=/^#art-(.+)$/.exec(location.hash); if(m){mark(decodeURIComponent(m[1]),true);}
 document.body.setAttribute('data-ready','1');
})();
"""


def _e(s) -> str:
    return html.escape(str(s), quote=True)


def _rgb(c) -> str:
    return "#%02x%02x%02x" % tuple(c)


def _image_data_uri(page: Page, image, max_side: int) -> str | None:
    if image is None:
        return None
    im = page_canvas(page, image)
    s = max(im.size) / max_side
    if s > 1:
        im = im.resize((round(im.width / s), round(im.height / s)), Image.Resampling.LANCZOS)
    buf = io.BytesIO()
    im.save(buf, format="JPEG", quality=80, optimize=True)
    return "data:image/jpeg;base64," + base64.b64encode(buf.getvalue()).decode("ascii")


def _article_html(a: Article, colour) -> str:
    out = [f'<section class="art" id="art-{_e(a.id)}" data-article="{_e(a.id)}" style="--c:{_rgb(colour)}">',
           f'<span class="id">{_e(a.id)}</span>']
    if a.kicker:
        out.append(f'<div class="kicker">{_e(a.kicker)}</div>')
    out.append(f"<h2>{_e(a.title)}</h2>" if a.title else '<h2 class="none">(no title)</h2>')
    if a.subtitle:
        out.append(f"<h3>{_e(a.subtitle)}</h3>")
    if a.byline:
        out.append(f'<div class="byline">{_e(a.byline)}</div>')
    for p in a.paragraphs:
        out.append(f"<h4>{_e(p.text)}</h4>" if p.role == "subhead" else f"<p>{_e(p.text)}</p>")
    for c in a.captions:
        out.append(f'<p class="cap">{_e(c)}</p>')
    joins = f" · {len(a.joins)} join{'s' * (len(a.joins) != 1)}" if a.joins else ""
    out.append(f'<div class="meta">{len(a.blocks)} block{"s" * (len(a.blocks) != 1)}{joins}</div>')
    out.append("</section>")
    return "\n".join(out)


def render_html(page: Page, *, image=None, max_side: int = 2000, title: str | None = None) -> str:
    """The viewer as one HTML string (see module docstring)."""
    w, h = int(page.width), int(page.height)
    colours = article_colours(page)
    blocks = blocks_by_id(page)
    sw = max(1.5, max(w, h) / 600)
    fs = max(12.0, max(w, h) / 55)
    svg = [f'<svg viewBox="0 0 {w} {h}" xmlns="http://www.w3.org/2000/svg" '
           f'style="--sw:{sw:.1f}px;--fs:{fs:.0f}px" role="img" aria-label="page overlay">',
           '<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="5" markerHeight="5" '
           'orient="auto-start-reverse"><path d="M0,0L10,5L0,10z" fill="context-stroke"/></marker></defs>']
    uri = _image_data_uri(page, image, max_side)
    if uri:
        svg.append(f'<image href="{uri}" x="0" y="0" width="{w}" height="{h}" preserveAspectRatio="none"/>')
    for s in page.separators:
        x0, y0, x1, y1 = s.bbox
        svg.append(f'<rect class="sep" x="{x0}" y="{y0}" width="{x1 - x0}" height="{y1 - y0}"/>')
    for f in page.figures:
        x0, y0, x1, y1 = f.bbox
        c = colours.get(f.article, NO_ARTICLE)
        art = f' data-article="{_e(f.article)}"' if f.article in colours else ""
        svg.append(f'<rect class="fig"{art} style="--c:{_rgb(c)}" x="{x0}" y="{y0}" width="{x1 - x0}" '
                   f'height="{y1 - y0}"><title>{_e(f.kind)}</title></rect>')
    n = 0
    nums = []
    for unit in reading_units(page):
        for bid in unit.blocks:
            b = blocks[bid]
            n += 1
            c = _rgb(colours.get(b.article, NO_ARTICLE))
            pts = " ".join(f"{x:g},{y:g}" for x, y in (b.polygon or (
                (b.bbox[0], b.bbox[1]), (b.bbox[2], b.bbox[1]), (b.bbox[2], b.bbox[3]), (b.bbox[0], b.bbox[3]))))
            art = f' data-article="{_e(b.article)}"' if b.article in colours else ""
            tip = f"{n}. {b.role}" + (f" · {b.article}" if b.article else "")
            svg.append(f'<polygon class="blk"{art} style="--c:{c}" points="{pts}"><title>{_e(tip)}</title></polygon>')
            cx, cy, r = b.bbox[0] + 0.7 * fs, b.bbox[1] + 0.7 * fs, 0.65 * fs
            nums.append(f'<g class="num" style="--c:{c}"><circle cx="{cx:g}" cy="{cy:g}" r="{r:g}"/>'
                        f'<text x="{cx:g}" y="{cy:g}">{n}</text></g>')
    for a in page.articles:
        c = _rgb(colours[a.id])
        for j in a.joins:
            if j.src in blocks and j.dst in blocks:
                s, d = blocks[j.src].bbox, blocks[j.dst].bbox
                x0, y0, x1, y1 = (s[0] + s[2]) / 2, s[3], (d[0] + d[2]) / 2, d[1]
                svg.append(f'<path class="join" style="--c:{c}" marker-end="url(#arrow)" '
                           f'd="M{x0:g},{y0:g} C{x0:g},{y0 + 2 * fs:g} {x1:g},{y1 - 2 * fs:g} {x1:g},{y1:g}">'
                           f'<title>join {j.src}→{j.dst} ({j.score:.2f})</title></path>')
    svg += nums + ["</svg>"]

    arts = [_article_html(a, colours[a.id]) for a in page.articles] or ['<p class="none">No articles.</p>']
    name = title or page.source or "page"
    head = (f"<b>{_e(name)}</b><span>{w}×{h}px</span><span>{len(page.articles)} articles</span>"
            f"<span>{len(page.blocks)} blocks</span><span>{len(page.lines)} lines</span>")
    return "\n".join([
        "<!DOCTYPE html>", '<html lang="und">', "<head>", '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_e(name)} — Broadsheet</title>", f"<style>{CSS}</style>", "</head>", "<body>",
        f"<header>{head}</header>", "<main>", '<div id="scan">', *svg, "</div>",
        '<div id="text">', *arts, "</div>", "</main>", f"<script>{JS}</script>", "</body>", "</html>", "",
    ])
