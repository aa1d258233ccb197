"""Page loading: every accepted format becomes uint8 pages; bad input raises InputError naming the file."""
from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from broadsheet.errors import InputError
from broadsheet.ocr.image import PageImage, load_image_array, load_pages


def _page(mode: str = "L", size=(120, 80)) -> Image.Image:
    """A white page with a black bar (the 'ink') so content can be checked after conversion."""
    im = Image.new("L", size, 255)
    im.paste(0, (10, 20, 60, 40))
    return im.convert(mode)


def _assert_ink(arr: np.ndarray) -> None:
    assert arr.dtype == np.uint8
    assert arr.shape[:2] == (80, 120)
    gray = arr if arr.ndim == 2 else arr.mean(axis=2)
    assert gray[30, 30] < 40 and gray[70, 100] > 215


@pytest.mark.parametrize("mode", ["L", "RGB", "P", "1", "CMYK"])
def test_png_and_other_modes_load_as_uint8(tmp_path, mode):
    im = _page(mode)
    path = tmp_path / ("p.tif" if mode == "CMYK" else "p.png")
    im.save(path)
    pages = load_pages(path)
    assert len(pages) == 1 and isinstance(pages[0], PageImage)
    assert pages[0].source == str(path) and pages[0].index == 0
    _assert_ink(pages[0].image)


def test_rgba_is_composited_on_white(tmp_path):
    im = _page("RGBA")
    alpha = Image.new("L", im.size, 255)
    alpha.paste(0, (80, 0, 120, 80))  # right part fully transparent, black underneath
    im.putalpha(alpha)
    px = np.asarray(im).copy()
    px[:, 80:, :3] = 0
    Image.fromarray(px, "RGBA").save(tmp_path / "a.png")
    arr = load_image_array(tmp_path / "a.png")
    _assert_ink(arr)
    assert arr[:, 80:].min() == 255  # transparent black became white paper


def test_jpeg_records_dpi(tmp_path):
    _page("RGB").save(tmp_path / "p.jpg", quality=95, dpi=(300, 300))
    page = load_pages(tmp_path / "p.jpg")[0]
    _assert_ink(page.image)
    assert page.dpi == pytest.approx(300)


def test_16bit_tiff_is_scaled_to_8bit(tmp_path):
    arr16 = np.full((80, 120), 65535, np.uint16)
    arr16[20:40, 10:60] = 0
    arr16[0, 0] = 32768
    Image.fromarray(arr16).save(tmp_path / "p16.tif")
    arr = load_image_array(tmp_path / "p16.tif")
    _assert_ink(arr)
    assert arr[0, 0] == 128


def test_multipage_tiff_gives_one_page_per_frame(tmp_path):
    frames = [_page("L"), _page("RGB"), _page("1")]
    frames[0].save(tmp_path / "m.tif", save_all=True, append_images=frames[1:])
    pages = load_pages(tmp_path / "m.tif")
    assert [p.index for p in pages] == [0, 1, 2]
    for p in pages:
        _assert_ink(p.image)


def test_jpeg2000_loads(tmp_path):
    _page("RGB").save(tmp_path / "p.jp2")
    _assert_ink(load_image_array(tmp_path / "p.jp2"))


def test_pdf_pages_render_at_requested_dpi(tmp_path):
    a, b = _page("RGB"), _page("RGB")
    a.save(tmp_path / "d.pdf", save_all=True, append_images=[b], resolution=72)
    pages = load_pages(tmp_path / "d.pdf", dpi=144)
    assert len(pages) == 2 and pages[1].index == 1 and pages[0].dpi == 144
    img = pages[0].image
    assert img.shape[:2] == (160, 240)
    gray = img if img.ndim == 2 else img.mean(axis=2)
    assert gray[60, 60] < 60 and gray[140, 200] > 200


# ------------------------------------------------------------------ bad input


def _raises_naming(path, fragment: str, **kw) -> InputError:
    with pytest.raises(InputError) as info:
        load_pages(path, **kw)
    err = info.value
    assert str(path) in str(err)
    assert fragment in err.cause
    assert "\n" not in str(err)
    return err


def test_missing_file_is_an_input_error(tmp_path):
    _raises_naming(tmp_path / "nope.png", "not found")


def test_zero_byte_file_is_an_input_error(tmp_path):
    (tmp_path / "e.png").write_bytes(b"")
    _raises_naming(tmp_path / "e.png", "empty file")


def test_text_file_named_png_is_not_an_image(tmp_path):
    (tmp_path / "t.png").write_text("hello, I am not a picture\n")
    _raises_naming(tmp_path / "t.png", "not an image")


def test_truncated_png_is_an_input_error(tmp_path):
    rng = np.random.default_rng(0)
    Image.fromarray(rng.integers(0, 255, (200, 200), dtype=np.uint8)).save(tmp_path / "full.png")
    data = (tmp_path / "full.png").read_bytes()
    (tmp_path / "cut.png").write_bytes(data[: len(data) // 2])
    _raises_naming(tmp_path / "cut.png", "truncated")


def test_truncated_pdf_is_an_input_error(tmp_path):
    (tmp_path / "cut.pdf").write_bytes(b"%PDF-1.4\n1 0 obj\n<<")
    _raises_naming(tmp_path / "cut.pdf", "PDF")


def test_page_over_pixel_limit_is_refused_before_decoding(tmp_path):
    _page("L", size=(1000, 1000)).save(tmp_path / "big.png")
    _raises_naming(tmp_path / "big.png", "too large", max_pixels=500_000)
    assert load_pages(tmp_path / "big.png", max_pixels=1_000_000)[0].width == 1000


def _png_header_only(path, width: int, height: int) -> None:
    """A tiny PNG that declares width×height pixels (the pixel data is never reached)."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    ihdr = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\0"))
                     + chunk(b"IEND", b""))


def test_bomb_png_is_refused_by_our_limit_not_pillows(tmp_path):
    # 190 MP declared in a ~60-byte file: Pillow alone would raise its own error above 179 MP;
    # we refuse with one message under our limit, before any decoding.
    _png_header_only(tmp_path / "bomb.png", 19000, 10000)
    err = _raises_naming(tmp_path / "bomb.png", "too large", max_pixels=100_000_000)
    assert "190,000,000 pixels" in err.cause and "limit 100,000,000" in err.cause
    # Under the default 200 MP limit the same header passes the size check (Pillow's own 179 MP
    # bomb error is not what decides) and decoding then finds the data missing.
    _raises_naming(tmp_path / "bomb.png", "truncated")


def test_pdf_over_pixel_limit_is_refused(tmp_path):
    _page("RGB").save(tmp_path / "d.pdf", resolution=72)
    _raises_naming(tmp_path / "d.pdf", "too large", dpi=7200, max_pixels=1_000_000)


def test_unsupported_format_is_refused(tmp_path):
    _page("RGB").save(tmp_path / "p.ico")
    _raises_naming(tmp_path / "p.ico", "unsupported image format")


def test_directory_is_an_input_error(tmp_path):
    _raises_naming(tmp_path, "directory")


def test_zero_height_page_is_an_input_error(tmp_path):
    _png_header_only(tmp_path / "zero.png", 100, 0)
    with pytest.raises(InputError) as info:
        load_pages(tmp_path / "zero.png")
    assert str(tmp_path / "zero.png") in str(info.value)


def test_blank_page_without_ink_loads(tmp_path):
    Image.new("L", (60, 50), 255).save(tmp_path / "blank.png")
    arr = load_image_array(tmp_path / "blank.png")
    assert arr.shape == (50, 60) and arr.min() == 255
