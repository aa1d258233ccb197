"""Small-skew estimation and correction (±5°) before OCR.

Method: projection-profile sharpness on a reduced page. Text lines make the row profile of ink
spiky when the page is straight; sheared by the wrong angle the spikes smear. Instead of rotating
the image per trial angle we shear the ink *pixel coordinates* (``y - x·tanθ``) and histogram them,
a coarse sweep then a fine one around the best angle — tens of milliseconds.

Robust to photos and rules: only connected components of text-line height take part (photos,
vertical rules and big blobs are dropped), so a tilted photo edge cannot win.

Angles are in degrees, positive = content rotated counter-clockwise on screen (OpenCV's
convention); :func:`deskew` rotates the image by the opposite amount about its centre and keeps
its size.
"""
from __future__ import annotations

import numpy as np

WORK_LONG_SIDE = 1600  # px; enough to resolve 0.05° over a page width, small enough to be fast
MAX_ANGLE = 5.0
MIN_CORRECTION = 0.05  # below this the page is left untouched (resampling costs more than it fixes)


def _gray(image: np.ndarray) -> np.ndarray:
    import cv2

    return image if image.ndim == 2 else cv2.cvtColor(image, cv2.COLOR_RGB2GRAY)


def _text_ink_points(image: np.ndarray) -> tuple[np.ndarray, np.ndarray, float]:
    """(x, y) of ink pixels that belong to text-sized components, on a reduced copy; and its scale."""
    import cv2

    gray = _gray(image)
    h, w = gray.shape
    scale = min(1.0, WORK_LONG_SIDE / max(h, w))
    small = cv2.resize(gray, (max(1, round(w * scale)), max(1, round(h * scale))),
                       interpolation=cv2.INTER_AREA) if scale < 1 else gray
    _t, binar = cv2.threshold(small, 0, 255, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    n, labels, stats, _c = cv2.connectedComponentsWithStats(binar, connectivity=8)
    sh = small.shape[0]
    comp_h = stats[:, cv2.CC_STAT_HEIGHT]
    comp_area = stats[:, cv2.CC_STAT_AREA]
    keep = (comp_h <= max(4, 0.04 * sh)) & (comp_area >= 2)
    keep[0] = False  # background
    ys, xs = np.nonzero(keep[labels])
    return xs.astype(np.float64), ys.astype(np.float64), scale


def _sharpness(xs: np.ndarray, ys: np.ndarray, angles_deg: np.ndarray, height: int) -> np.ndarray:
    """Sum of squared row counts of the sheared points, one value per trial angle."""
    t = np.tan(np.deg2rad(angles_deg))
    xc = xs - xs.mean()
    out = np.empty(len(angles_deg))
    for i, ti in enumerate(t):  # one bincount per angle; each is vectorised over all ink pixels
        rows = np.rint(ys - xc * ti).astype(np.int64)
        rows -= rows.min()
        counts = np.bincount(rows)
        out[i] = float(np.dot(counts, counts))
    return out


def estimate_skew(image: np.ndarray, *, max_angle: float = MAX_ANGLE) -> float:
    """Skew of the page content in degrees (positive = counter-clockwise), 0.0 if undecidable."""
    xs, ys, _scale = _text_ink_points(image)
    if len(xs) < 200:
        return 0.0
    h = int(ys.max()) + 1
    coarse = np.arange(-max_angle, max_angle + 1e-9, 0.25)
    best = coarse[int(np.argmax(_sharpness(xs, ys, coarse, h)))]
    fine = np.arange(best - 0.3, best + 0.3 + 1e-9, 0.02)
    s = _sharpness(xs, ys, fine, h)
    k = int(np.argmax(s))
    angle = float(fine[k])
    if 0 < k < len(fine) - 1:  # parabolic refinement between fine steps
        denom = s[k - 1] - 2 * s[k] + s[k + 1]
        if denom < 0:
            angle += 0.02 * 0.5 * (s[k - 1] - s[k + 1]) / denom
    # shearing by +t straightens lines that fall to the right (y grows with x) = clockwise on screen
    return float(np.clip(-angle, -max_angle, max_angle))


def rotation_matrix(width: int, height: int, angle: float) -> np.ndarray:
    """The 2×3 affine that :func:`rotate` (and so :func:`deskew`) applies to (x, y) points:
    use it to map boxes between the input image and the deskewed one."""
    import cv2

    return cv2.getRotationMatrix2D((width / 2.0, height / 2.0), angle, 1.0)


def rotate(image: np.ndarray, angle: float) -> np.ndarray:
    """Rotate ``image`` by ``angle`` degrees (counter-clockwise) about its centre, same size, white fill."""
    import cv2

    if angle == 0.0:
        return image
    h, w = image.shape[:2]
    M = rotation_matrix(w, h, angle)
    fill = 255 if image.ndim == 2 else (255,) * image.shape[2]
    return cv2.warpAffine(image, M, (w, h), flags=cv2.INTER_LINEAR,
                          borderMode=cv2.BORDER_CONSTANT, borderValue=fill)


def deskew(image: np.ndarray, *, max_angle: float = MAX_ANGLE) -> tuple[np.ndarray, float]:
    """Straighten a page. Returns ``(image, angle)`` where ``angle`` is the rotation applied in
    degrees (counter-clockwise positive; 0.0 and the same array when the page is already straight)."""
    skew = estimate_skew(image, max_angle=max_angle)
    if abs(skew) < MIN_CORRECTION:
        return image, 0.0
    applied = -skew
    return rotate(image, applied), round(applied, 3)
