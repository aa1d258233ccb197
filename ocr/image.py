"""Page images in: every accepted file format becomes 8-bit grayscale or RGB NumPy pages.

Archives deliver PNG, JPEG, TIFF (often multi-page or 16-bit), JPEG 2000 and PDF. All of them are
normalised here so that the rest of Broadsheet sees one thing: a ``(H, W)`` or ``(H, W, 3)``
``uint8`` array per page, ink dark on light paper, transparency composited on white.

Bad input never gets past this module: a missing, empty, truncated, non-image, unsupported or
oversized file raises :class:`broadsheet.errors.InputError` naming the file and the cause.

Pixel limit: pages above ``max_pixels`` (default :data:`DEFAULT_MAX_PIXELS`, 200 megapixels, about
a 1.2 m × 1.7 m sheet at 300 dpi) are refused before they are decoded, so a decompression bomb
cannot exhaust memory. Pillow's own bomb check is made to agree with that limit.
"""
from __future__ import annotations

import threading
import warnings
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import numpy as np
from PIL import Image, ImageOps, ImageSequence

from broadsheet.errors import InputError

#: Largest page accepted, in pixels (width × height). 200 MP ≈ 1.2 × 1.7 m at 300 dpi.
DEFAULT_MAX_PIXELS = 200_000_000

#: Pillow format names accepted (others, e.g. PSD or ICO, are refused as unsupported).
ACCEPTED_FORMATS = frozenset(
    {"PNG", "JPEG", "MPO", "TIFF", "JPEG2000", "BMP", "GIF", "WEBP", "PPM", "PCX"}
)

# Pillow keeps its bomb limit in a module global. While we open a file we switch it off (under a lock,
# restored afterwards) because our own check, made on the header size before any decoding, is the one
# that applies: a single limit, ``max_pixels``, with one message.
_PIL_LIMIT_LOCK = threading.Lock()


@dataclass(frozen=True)
class PageImage:
    """One page of an input file, ready for OCR.

    ``image`` is ``uint8``, ``(H, W)`` grayscale or ``(H, W, 3)`` RGB; ``index`` is the page's
    0-based position in ``source``; ``dpi`` is the resolution (file metadata or the PDF render
    resolution), ``None`` when unknown.
    """

    image: np.ndarray
    source: str
    index: int = 0
    dpi: float | None = None

    @property
    def width(self) -> int:
        return int(self.image.shape[1])

    @property
    def height(self) -> int:
        return int(self.image.shape[0])


def load_pages(
    path: str | Path, *, dpi: int = 300, max_pixels: int = DEFAULT_MAX_PIXELS
) -> list[PageImage]:
    """Read every page of an image or PDF file as :class:`PageImage` objects.

    ``dpi`` is the render resolution for PDF pages (ignored for raster files). Pages larger than
    ``max_pixels`` are refused. Raises :class:`InputError` for anything that is not a readable page.
    """
    path = Path(path)
    if not path.exists():
        raise InputError(path, "file not found")
    if path.is_dir():
        raise InputError(path, "is a directory, not an image file")
    try:
        with path.open("rb") as fh:
            head = fh.read(8)
    except OSError as exc:
        raise InputError(path, f"cannot read file ({exc.strerror or exc})") from exc
    if not head:
        raise InputError(path, "empty file (0 bytes)")
    if head.startswith(b"%PDF"):
        return _load_pdf(path, dpi=dpi, max_pixels=max_pixels)
    return _load_raster(path, max_pixels=max_pixels)


def load_image_array(path: str | Path, *, max_pixels: int = DEFAULT_MAX_PIXELS) -> np.ndarray:
    """The first page of ``path`` as a ``uint8`` array (convenience for single images)."""
    return load_pages(path, max_pixels=max_pixels)[0].image


# --------------------------------------------------------------------------- raster files


@contextmanager
def _pillow_limit() -> Iterator[None]:
    """Hand the bomb check from Pillow to ``_check_size`` (which runs before any pixel is decoded)."""
    with _PIL_LIMIT_LOCK:
        old = Image.MAX_IMAGE_PIXELS
        Image.MAX_IMAGE_PIXELS = None  # our _check_size applies max_pixels instead
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", Image.DecompressionBombWarning)
                yield
        finally:
            Image.MAX_IMAGE_PIXELS = old


def _check_size(path: Path, width: int, height: int, max_pixels: int, page: int | None) -> None:
    where = f"page {page + 1}: " if page is not None else ""
    if width <= 0 or height <= 0:
        raise InputError(path, f"{where}empty page ({width}×{height} pixels)")
    if width * height > max_pixels:
        raise InputError(
            path,
            f"{where}image too large ({width}×{height} = {width * height:,} pixels; limit {max_pixels:,}, "
            f"raise it with --max-pixels) — possible decompression bomb",
        )


def _load_raster(path: Path, *, max_pixels: int) -> list[PageImage]:
    pages: list[PageImage] = []
    try:
        with _pillow_limit():
            with Image.open(path) as im:
                fmt = im.format or "unknown"
                if fmt not in ACCEPTED_FORMATS:
                    raise InputError(path, f"unsupported image format {fmt}")
                n = getattr(im, "n_frames", 1)
                multi = n > 1
                for i, frame in enumerate(ImageSequence.Iterator(im)):
                    _check_size(path, frame.width, frame.height, max_pixels, i if multi else None)
                    frame.load()
                    if fmt in ("JPEG", "MPO", "TIFF", "PNG", "WEBP") and not multi:
                        frame = ImageOps.exif_transpose(frame)
                    arr = to_uint8(frame)
                    dpi = _dpi_of(frame)
                    pages.append(PageImage(arr, str(path), i, dpi))
                    if fmt in ("GIF", "MPO"):  # animation frames / stereo pairs: one page only
                        break
    except InputError:
        raise
    except Image.DecompressionBombError as exc:
        raise InputError(path, f"image too large — possible decompression bomb ({exc})") from exc
    except Image.UnidentifiedImageError as exc:
        raise InputError(path, "not an image (unrecognised or unsupported file format)") from exc
    except (OSError, SyntaxError, ValueError, EOFError) as exc:
        raise InputError(path, f"truncated or corrupt image ({exc})") from exc
    except MemoryError as exc:
        raise InputError(path, "image too large to decode in memory") from exc
    if not pages:
        raise InputError(path, "no pages in file")
    return pages


def _dpi_of(im: Image.Image) -> float | None:
    dpi = im.info.get("dpi")
    if dpi and dpi[0]:
        try:
            return float(dpi[0])
        except (TypeError, ValueError):
            return None
    return None


def to_uint8(im: Image.Image) -> np.ndarray:
    """Any Pillow mode → ``uint8`` gray ``(H, W)`` or RGB ``(H, W, 3)``; alpha composited on white."""
    mode = im.mode
    if mode == "1":
        return np.asarray(im.convert("L"))
    if mode == "L":
        return np.asarray(im)
    if mode in ("I;16", "I;16B", "I;16L", "I;16N", "I", "F"):
        arr = np.asarray(im)
        if mode.startswith("I;16"):
            scaled = arr.astype(np.float32) * (255.0 / 65535.0)
        else:  # 32-bit int / float: stretch what is there
            arr = arr.astype(np.float64)
            lo, hi = float(arr.min()), float(arr.max())
            scaled = (arr - lo) * (255.0 / (hi - lo)) if hi > lo else np.full_like(arr, 255.0)
        return np.clip(np.rint(scaled), 0, 255).astype(np.uint8)
    if mode == "P":
        im = im.convert("RGBA") if "transparency" in im.info else im.convert("RGB")
        mode = im.mode
    if mode in ("LA", "La", "PA", "RGBA", "RGBa"):
        rgba = im.convert("RGBA")
        white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        flat = Image.alpha_composite(white, rgba).convert("RGB")
        return np.asarray(flat.convert("L") if mode in ("LA", "La") else flat)
    if mode != "RGB":
        im = im.convert("RGB")
    return np.asarray(im)


# --------------------------------------------------------------------------- PDF


def _load_pdf(path: Path, *, dpi: int, max_pixels: int) -> list[PageImage]:
    import pypdfium2 as pdfium

    scale = dpi / 72.0
    try:
        doc = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as exc:
        raise InputError(path, f"truncated or corrupt PDF ({exc})") from exc
    pages: list[PageImage] = []
    try:
        if len(doc) == 0:
            raise InputError(path, "PDF has no pages")
        for i in range(len(doc)):
            page = doc[i]
            try:
                w_pt, h_pt = page.get_size()
                w, h = round(w_pt * scale), round(h_pt * scale)
                _check_size(path, w, h, max_pixels, i)
                bitmap = page.render(scale=scale, grayscale=False)
                try:
                    pil = bitmap.to_pil()
                finally:
                    bitmap.close()
            finally:
                page.close()
            pages.append(PageImage(to_uint8(pil), str(path), i, float(dpi)))
    except pdfium.PdfiumError as exc:
        raise InputError(path, f"cannot render PDF ({exc})") from exc
    finally:
        doc.close()
    return pages
