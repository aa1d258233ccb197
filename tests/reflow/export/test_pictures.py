"""The PNG overlay and the HTML viewer: right size, coloured by article, rendered by a browser."""
from __future__ import annotations

import io
import shutil
import subprocess
import tempfile

import numpy as np
import pytest
from PIL import Image

from broadsheet.reflow.export import render, write
from broadsheet.reflow.export.overlay import PALETTE
from export_fakes import make_page

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROME_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run"]


def _scan(w: int = 1000, h: int = 800) -> np.ndarray:
    a = np.full((h, w), 245, np.uint8)
    a[170:235:8, 25:295] = 40  # some "text" strokes
    return a


def test_png_overlay_has_page_size_and_article_colours():
    page = make_page()
    im = Image.open(io.BytesIO(render(page, "png"))).convert("RGB")
    assert im.size == (page.width, page.height)
    px = np.asarray(im)
    blue, orange = np.array(PALETTE[0]), np.array(PALETTE[1])
    assert (np.abs(px - blue).sum(axis=2) < 10).sum() > 100     # article a1 outlines/badges
    assert (np.abs(px - orange).sum(axis=2) < 10).sum() > 100   # article a2


def test_png_overlay_draws_on_the_scan_and_resizes_it_to_the_page(tmp_path):
    page = make_page()
    small = Image.fromarray(_scan()).resize((500, 400))
    out = write(page, "overlay", tmp_path / "p.png", image=np.asarray(small))[0]
    im = Image.open(out)
    assert im.size == (1000, 800)
    assert render(page, "png", image=_scan()) == render(page, "png", image=_scan())  # deterministic


def test_html_viewer_is_self_contained():
    doc = render(make_page(), "html", image=_scan())
    assert "data:image/jpeg;base64," in doc
    low = doc.lower()
    assert "http://" not in low.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert "https://" not in low and "<link" not in low and "src=" not in low
    assert doc.count('class="blk"') == len(make_page().blocks)
    assert "江西赣州经开区" in doc and 'data-article="a2"' in doc


def _chromium(args: list[str], timeout: int = 90) -> subprocess.CompletedProcess:
    with tempfile.TemporaryDirectory() as profile:
        return subprocess.run([CHROMIUM, *CHROME_FLAGS, f"--user-data-dir={profile}", *args],
                              capture_output=True, text=True, timeout=timeout)


@pytest.mark.skipif(CHROMIUM is None, reason="chromium not installed (Debian: apt-get install -y chromium)")
def test_html_viewer_screenshot_in_headless_chromium_is_not_blank(tmp_path):
    html_path = tmp_path / "view.html"
    write(make_page(), "html", html_path, image=_scan())
    shot = tmp_path / "shot.png"
    _chromium([f"--screenshot={shot}", "--window-size=1400,1000", html_path.as_uri()])
    assert shot.exists(), "chromium wrote no screenshot"
    px = np.asarray(Image.open(shot).convert("RGB")).astype(int)
    assert px.shape[:2] == (1000, 1400)
    assert px.std() > 20                                   # not a blank page
    blue = np.abs(px - np.array(PALETTE[0])).sum(axis=2) < 60
    assert blue.sum() > 500                                # article colour is on screen


@pytest.mark.skipif(CHROMIUM is None, reason="chromium not installed (Debian: apt-get install -y chromium)")
def test_html_viewer_lights_up_the_linked_article_blocks(tmp_path):
    html_path = tmp_path / "view.html"
    write(make_page(), "html", html_path)
    dom = _chromium(["--dump-dom", html_path.as_uri() + "#art-a1"]).stdout
    assert 'data-ready="1"' in dom                         # the script ran without error
    assert dom.count('class="blk hl"') == 5                # a1's five blocks
    assert dom.count('class="art hl"') == 1
