"""The int8 recogniser: built once from the wheel's fp32 model, cached, never downloaded.

``get_engine("rapidocr", rec_precision="int8")`` runs a static int8 (QDQ, per-channel weights)
copy of ``PP-OCRv6_rec_small.onnx`` — the default recogniser. It is *derived* on this machine from
the fp32 file that ships in the ``rapidocr`` wheel, with ``onnx`` + ``onnxruntime.quantization``
(both dependencies), on first use, and cached:

    $BROADSHEET_CACHE/broadsheet/models/      (else $XDG_CACHE_HOME/broadsheet/models/,
                                               else ~/.cache/broadsheet/models/)
        PP-OCRv6_rec_small.int8-<key>.onnx

``<key>`` hashes the source model's sha256, the onnxruntime version and :data:`RECIPE_VERSION`,
so a new rapidocr model, a new onnxruntime or a changed recipe builds a new file (old ones stay
until deleted). The file is written to a temporary name in the same folder and renamed into
place, so an interrupted build never leaves a partial model; two builds of one key give the same
bytes. Prebuild it (e.g. before going air-gapped, or in a container image) with

    broadsheet models build-int8          # or: python -m broadsheet.ocr.quantize

Calibration (activation ranges) uses rendered text lines, not crops of any page the OCR
benchmark scores: the fixture pages (``fixtures/pages/*``) *are* benchmark pages, so the lines
are typeset here from corpus articles that appear on none of them (:data:`CALIB_ARTICLES`), in the
fixtures' fonts, half of them degraded like a scan; then batched and normalised exactly as the
engine does it (:func:`broadsheet.ocr.engines.rapid.rec_input`). The calibration session runs
those inputs one line at a time (same padding): per-channel min/max over lines is the same
statistic, and the unoptimised calibration graph's activations for six 1600-column lines at once
were what took the build to 1.9 GB of memory (one line: ≈ 0.8 GB).

Two processes that need the model at once (batch workers, parallel tests) do not both build it:
the build holds an exclusive lock on ``.<file>.lock`` next to the model, and whoever waited finds
the finished file.

The opt-in int8 *detector* (``det_precision="int8"``, ``broadsheet models build-int8 --detector``)
goes through the same cache, lock and fallback (``ensure_int8(..., detector=True)``, key with
:data:`DET_RECIPE_VERSION`): :func:`build_det_int8_bytes`, calibrated on pages the fixtures'
compositor typesets (:func:`det_calibration_pages`). It is not the default: it runs some lines
together across narrow gutters (docs/ocr.md, "int8 detector").
"""
from __future__ import annotations

import hashlib
import json
import logging
import os
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import metadata
from pathlib import Path

import numpy as np

from broadsheet.cache import cache_root
from broadsheet.errors import EngineUnavailable

log = logging.getLogger("broadsheet.ocr")

#: Bump when anything that changes the built model's bytes changes (calibration lines, their
#: rendering or batching, quantisation options). 2: calibration run one line at a time (18 of 671
#: activation scales moved by a float rounding step; the build's peak memory 1.9 → 0.8 GB).
RECIPE_VERSION = 2
INSTALL_HINT = "onnx is a dependency of broadsheet: reinstall it, or pip install 'onnx>=1.23'"

#: Corpus articles the calibration lines are typeset from: none of them is on a benchmark page
#: (fixture pages: qingdao-rice, aksu-apples, wenchang-launch on "sample", the seed-zh articles on
#: the seed-* pages, de-sample's seven German articles; bench-zh/bench-de use other texts).
CALIB_ARTICLES = {
    "zh": ("harbin-ice", "puer-coffee", "helan-wine", "jingdezhen-potters", "ulanqab-data",
           "ningde-croaker", "xian-rubbings", "pingtang-fast", "chongqing-monorail"),
    "en": ("en-whitby-harbour", "en-galway-oysters", "en-dunedin-library", "en-cardiff-cycle"),
    "fr": ("fr-lausanne-metro", "fr-jura-horlogerie"),
    "de": ("de-emmental-kaese",),
}
#: (language, face, size range px, count): body lines, headlines and long (merged) lines.
CALIB_PLAN = (
    ("zh", "cjk_serif", (26, 40), 26),
    ("zh", "cjk_sans_bold", (56, 110), 6),
    ("zh", "cjk_serif", (30, 36), 6),   # long: two columns merged across a gutter
    ("en", "latin_serif", (24, 34), 8),
    ("fr", "latin_serif", (24, 34), 5),
    ("de", "latin_serif", (24, 34), 5),
    ("en", "latin_serif_bold", (50, 90), 4),
)
CALIB_SEED = 20261125
CALIB_BATCH = 6
#: Lines per calibration inference (the batches above are split, padding kept): memory, not ranges.
CALIB_RUN = 1

#: The int8 detector's recipe (:func:`build_det_int8_bytes`); bump when its bytes would change.
DET_RECIPE_VERSION = 1
#: Detector calibration pages, typeset by the package's own compositor (``broadsheet.fixtures``,
#: random layouts of corpus articles at a seed no eval set uses; no benchmark page, nothing
#: downloaded): (set, degraded like a scan).
DET_CALIB_PAGES = (("zh", False), ("zh", True), ("de", True), ("en", False))
DET_CALIB_SEED = 202612060
#: The calibration pages' detector inputs run in tiles of this many pixels square: per-channel
#: min/max over the tiles covers the page, and the unoptimised calibration graph on a whole
#: 2000 px page input took the build to 4.6 GB (tiles: 1.0 GB).
DET_CALIB_TILE = 640


# ----------------------------------------------------------------------------- cache


def file_sha256(path: str | os.PathLike) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def cache_key(source_sha256: str, ort_version: str | None = None, recipe: int = RECIPE_VERSION) -> str:
    """16 hex digits naming the int8 model built from a source model with that sha256, by this
    onnxruntime version and recipe."""
    ort_version = ort_version or metadata.version("onnxruntime")
    text = f"{source_sha256}|onnxruntime {ort_version}|recipe {recipe}"
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def int8_path(source: str | os.PathLike, cache_dir: str | os.PathLike | None = None, *,
              recipe: int = RECIPE_VERSION) -> Path:
    """Where the int8 model derived from ``source`` with ``recipe`` is (or will be) cached
    (:data:`RECIPE_VERSION` for the recogniser, :data:`DET_RECIPE_VERSION` for the detector)."""
    source = Path(source)
    folder = Path(cache_dir) if cache_dir is not None else cache_root() / "models"
    stem = source.name.removesuffix(".onnx")
    return folder / f"{stem}.int8-{cache_key(file_sha256(source), recipe=recipe)}.onnx"


def write_atomic(target: Path, data: bytes) -> None:
    """Write ``data`` to ``target`` via a temporary file in the same folder, fsynced and renamed
    into place: readers see the old file or the complete new one, never a partial one."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        os.fchmod(fd, 0o644)  # mkstemp's 0600 would hide a shared cache from other users
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


def ensure_int8(source: str | os.PathLike, cache_dir: str | os.PathLike | None = None, *,
                calibration: list[np.ndarray] | None = None, force: bool = False,
                detector: bool = False) -> Path:
    """The cached int8 model for ``source``, built first if it is not there.

    Raises :class:`EngineUnavailable` naming the ``onnx`` package when a build is needed and
    ``onnx`` is not installed, and ``OSError`` when the cache folder cannot be written.
    ``calibration``: recogniser input batches (default: the rendered lines of
    :func:`calibration_batches`). Concurrent callers are serialised by :func:`_build_lock`, so
    the model is built once even when several processes start on an empty cache.
    ``detector``: ``source`` is the DB text detector; it is built by :func:`build_det_int8_bytes`
    (calibration: detector inputs, default :func:`det_calibration_inputs`) under
    :data:`DET_RECIPE_VERSION`.
    """
    what = "detector" if detector else "recogniser"
    target = int8_path(source, cache_dir, recipe=DET_RECIPE_VERSION if detector else RECIPE_VERSION)
    if target.is_file() and not force:
        return target
    try:
        import onnx  # noqa: F401
        import onnxruntime.quantization  # noqa: F401
    except ImportError as exc:
        raise EngineUnavailable(
            f"the int8 {what} is not built yet ({target}) and building it needs the 'onnx' "
            f"package ({INSTALL_HINT}; or build it on another machine with "
            f"'broadsheet models build-int8' and copy the file)"
        ) from exc
    with _build_lock(target):
        if target.is_file() and not force:  # another process built it while we waited
            return target
        t0 = time.perf_counter()
        log.info("building the int8 %s once (about a minute): %s", what, target)
        data = (build_det_int8_bytes if detector else build_int8_bytes)(source, calibration)
        write_atomic(target, data)
        log.info("int8 %s built in %.1f s", what, time.perf_counter() - t0)
    return target


def session_model(path: str | os.PathLike) -> bytes | Path:
    """What the engine's session loads for the cached int8 recogniser at ``path``: the model with
    each erf GELU made one ``Gelu`` node (:func:`fuse_gelu`), as bytes; ``path`` itself when
    ``onnx`` is not installed (a cached model still runs, only slower).

    Why at load time and not in the recipe: the GELUs fused *after* quantising read the same
    DequantizeLinear output as before and keep every quantised tensor, scale and rounding step of
    recipe 2, so the recogniser's output stays recipe 2's: each GELU reads a DequantizeLinear of
    uint8 and feeds one QuantizeLinear, and its uint8 → uint8 map is the same fused and unfused
    for all 256 inputs (tests/ocr/test_quantize.py; docs/ocr.md "Speed work, part 4"). The
    cache key and file stay, and nothing is rebuilt. onnxruntime's own GELU fusion does not fire on the QDQ model (its optimised graph
    keeps all 13 Div → Erf → Add → Mul → Mul chains: five fp32 passes per GELU, ≈ 15 % of the
    recogniser's time). Fusing *before* quantising (recipe 3) moves the calibration and the
    output. Costs ≈ 0.03 CPU-s per engine.
    """
    try:
        import onnx
    except ImportError:
        return Path(path)
    model = onnx.load(str(path))
    fuse_gelu(model)
    return model.SerializeToString()


@contextmanager
def _build_lock(target: Path) -> Iterator[None]:
    """Hold an exclusive ``flock`` on ``.<target name>.lock`` in the target's folder for the
    duration of a build. The lock file stays (removing it would race with a waiting process); the
    kernel drops the lock when its holder exits, so a killed build never blocks the next one.
    Where ``fcntl`` does not exist the build runs unlocked (the atomic rename still keeps readers
    safe; two builders then just both build)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not POSIX
        yield
        return
    fd = os.open(target.parent / f".{target.name}.lock", os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the lock


# ----------------------------------------------------------------------------- build


def build_int8_bytes(source: str | os.PathLike, calibration: list[np.ndarray] | None = None) -> bytes:
    """Quantise ``source`` (an fp32 ONNX model with one float input ``(N, C, H, W)``) and return
    the serialised int8 model: opset raised to 13 (per-channel QDQ needs it), onnxruntime's
    pre-processing (shape inference, constant folding, fusions), then static QDQ quantisation of
    Conv and MatMul — weights int8 per channel, activations uint8 with MinMax ranges from the
    calibration batches, run :data:`CALIB_RUN` line(s) at a time. The source's metadata (the
    recogniser's character list) is kept, and the recipe is recorded in it."""
    if calibration is None:
        calibration = calibration_batches()
    calib_sha = hashlib.sha256()
    for b in calibration:
        calib_sha.update(np.ascontiguousarray(b, np.float32).tobytes())
    runs = [b[i : i + CALIB_RUN] for b in calibration for i in range(0, len(b), CALIB_RUN)]
    return _quantize_bytes(source, runs, ["Conv", "MatMul"], recipe=str(RECIPE_VERSION),
                           calibration=f"{len(calibration)} batches sha256:{calib_sha.hexdigest()}")


def build_det_int8_bytes(source: str | os.PathLike, calibration: list[np.ndarray] | None = None) -> bytes:
    """Quantise the DB text detector ``source`` and return the serialised int8 model: opset 13,
    the erf GELUs fused into one ``Gelu`` node each (:func:`fuse_gelu`), onnxruntime's
    pre-processing, then static QDQ quantisation of the convolutions — weights int8 per channel,
    activations uint8, MinMax ranges over ``calibration`` (detector inputs, default
    :func:`det_calibration_inputs`) run in :data:`DET_CALIB_TILE` px tiles. Two convolutions stay
    fp32: the first (reads the page pixels) and the last (the probability head's, before the two
    fp32 transposed convolutions): they cost little and the head's output is what the box
    thresholds read."""
    if calibration is None:
        calibration = det_calibration_inputs()
    tiles = [np.ascontiguousarray(x[:, :, y0 : y0 + DET_CALIB_TILE, x0 : x0 + DET_CALIB_TILE], np.float32)
             for x in calibration
             for y0 in range(0, x.shape[2], DET_CALIB_TILE) for x0 in range(0, x.shape[3], DET_CALIB_TILE)]
    calib_sha = hashlib.sha256()
    for t in tiles:
        calib_sha.update(t.tobytes())

    def first_and_last_conv(pre) -> list[str]:
        convs = [n for n in pre.graph.node if n.op_type == "Conv"]
        inputs = {i.name for i in pre.graph.input}
        return [n.name for n in convs if n.input[0] in inputs] + [convs[-1].name]

    return _quantize_bytes(source, tiles, ["Conv"], recipe=f"detector {DET_RECIPE_VERSION}",
                           calibration=f"{len(tiles)} tiles sha256:{calib_sha.hexdigest()}",
                           fuse=True, fp32_nodes=first_and_last_conv)


def _quantize_bytes(source: str | os.PathLike, feeds: list[np.ndarray], op_types: list[str], *,
                    recipe: str, calibration: str, fuse: bool = False, fp32_nodes=None) -> bytes:
    """The recipe both int8 builds share: load ``source``, raise its opset to 13, optionally
    fuse its GELUs (:func:`fuse_gelu`), onnxruntime's pre-processing, static QDQ quantisation of
    ``op_types`` (weights int8 per channel, activations uint8, MinMax ranges over ``feeds``, one
    inference each) leaving out the nodes ``fp32_nodes(pre_processed_model)`` names, and the
    source's metadata kept with the recipe (``recipe``, ``calibration``) recorded in it."""
    import onnx
    from onnx import version_converter
    from onnxruntime.quantization import CalibrationDataReader, QuantFormat, QuantType, quantize_static
    from onnxruntime.quantization.shape_inference import quant_pre_process

    source = Path(source)
    src_sha = file_sha256(source)
    model = onnx.load(str(source))
    meta = {p.key: p.value for p in model.metadata_props}
    opset = next((o.version for o in model.opset_import if o.domain in ("", "ai.onnx")), 13)
    if opset < 13:
        model = version_converter.convert_version(model, 13)
    if fuse:
        fuse_gelu(model)
    input_name = model.graph.input[0].name

    class Reader(CalibrationDataReader):
        def __init__(self):
            self._it = iter(feeds)

        def get_next(self):
            x = next(self._it, None)
            return None if x is None else {input_name: x}

    keep: list[str] = []
    with tempfile.TemporaryDirectory(prefix="broadsheet-int8-") as tmp:
        tmp = Path(tmp)
        onnx.save(model, str(tmp / "fp32.onnx"))
        del model
        quant_pre_process(str(tmp / "fp32.onnx"), str(tmp / "pre.onnx"), skip_symbolic_shape=True)
        if fp32_nodes is not None:
            keep = fp32_nodes(onnx.load(str(tmp / "pre.onnx")))
        quantize_static(str(tmp / "pre.onnx"), str(tmp / "int8.onnx"), Reader(),
                        quant_format=QuantFormat.QDQ, per_channel=True,
                        activation_type=QuantType.QUInt8, weight_type=QuantType.QInt8,
                        op_types_to_quantize=op_types, nodes_to_exclude=keep or None)
        out = onnx.load(str(tmp / "int8.onnx"))
    meta.update({
        "broadsheet_int8_recipe": recipe,
        "broadsheet_int8_source": f"{source.name} sha256:{src_sha}",
        "broadsheet_int8_onnxruntime": metadata.version("onnxruntime"),
        "broadsheet_int8_calibration": calibration,
    })
    if fp32_nodes is not None:
        meta["broadsheet_int8_fp32_nodes"] = ",".join(keep)
    del out.metadata_props[:]
    for k in sorted(meta):
        out.metadata_props.add(key=k, value=meta[k])
    return out.SerializeToString(deterministic=True)


def fuse_gelu(model) -> int:
    """Replace every erf GELU ``Mul(Mul(x, Add(Erf(Div(x, √2)), 1)), 0.5)`` of ``model`` (an
    ``onnx.ModelProto``, changed in place) by one ``com.microsoft`` ``Gelu`` node (the same
    function: onnxruntime's own fusion turns the fp32 model's GELUs into exactly this node).
    Returns how many were fused.

    Why before quantising: in the QDQ model the GELU's input ``x`` is a DequantizeLinear output
    that feeds two nodes (the Div and the Mul), and the quantiser gives each consumer its own copy
    of the DequantizeLinear; the pattern then no longer reads one ``x``, onnxruntime's fusion skips
    it, and every GELU runs as five fp32 element-wise ops over the full activation (docs/ocr.md,
    "Speed work, part 3"; taken from the recogniser's recipe 3, commit 2af45ed).
    """
    from onnx import helper, numpy_helper

    graph = model.graph
    scalars = {i.name: float(numpy_helper.to_array(i).ravel()[0]) for i in graph.initializer
               if int(np.prod(i.dims)) == 1}
    producer = {o: n for n in graph.node for o in n.output}
    consumers: dict[str, list] = {}
    for n in graph.node:
        for i in n.input:
            consumers.setdefault(i, []).append(n)

    def only_consumer(node, op_type):
        c = consumers.get(node.output[0], [])
        return c[0] if len(c) == 1 and c[0].op_type == op_type else None

    def has_const(node, value):
        return any(abs(scalars.get(i, np.nan) - value) < 1e-6 for i in node.input)

    fused: dict[int, object] = {}
    dropped: set[int] = set()
    outputs = {o.name for o in graph.output}
    for erf in [n for n in graph.node if n.op_type == "Erf"]:
        div = producer.get(erf.input[0])
        if div is None or div.op_type != "Div" or abs(scalars.get(div.input[1], np.nan) - 2 ** 0.5) > 1e-6:
            continue
        x = div.input[0]
        add = only_consumer(erf, "Add")
        mul = add and has_const(add, 1.0) and only_consumer(add, "Mul")
        half = mul and x in mul.input and only_consumer(mul, "Mul")
        if not half or not has_const(half, 0.5) or any(n.output[0] in outputs for n in (div, erf, add, mul)):
            continue
        dropped |= {id(div), id(erf), id(add), id(mul)}
        fused[id(half)] = helper.make_node("Gelu", [x], [half.output[0]], name=f"{half.name}_gelu",
                                           domain="com.microsoft")
    if not fused:
        return 0
    nodes = [fused.get(id(n), n) for n in graph.node if id(n) not in dropped]
    del graph.node[:]
    graph.node.extend(nodes)
    used = {i for n in graph.node for i in n.input}
    keep = [i for i in graph.initializer if i.name in used]
    del graph.initializer[:]
    graph.initializer.extend(keep)
    if not any(o.domain == "com.microsoft" for o in model.opset_import):
        model.opset_import.append(helper.make_opsetid("com.microsoft", 1))
    return len(fused)


# ----------------------------------------------------------------------------- calibration


def det_calibration_pages(seed: int = DET_CALIB_SEED) -> list[np.ndarray]:
    """The detector's calibration pages (gray uint8), typeset by ``broadsheet.fixtures`` — random
    layouts of :data:`DET_CALIB_PAGES`, the degraded ones through the fixtures' scan model and
    JPEG — in a fixed order."""
    import io

    from PIL import Image

    from broadsheet.fixtures.degrade import degrade
    from broadsheet.fixtures.layouts import SETS

    pages = []
    for k, (name, scan) in enumerate(DET_CALIB_PAGES):
        s = seed + k
        comp = SETS[name](seed=s, text="corpus")
        img = comp.img
        if scan:
            img, _m, quality = degrade(img, seed=s, key=comp.name)
            buf = io.BytesIO()
            img.save(buf, format="JPEG", quality=quality)
            img = Image.open(io.BytesIO(buf.getvalue()))
        pages.append(np.asarray(img.convert("L")))
    return pages


def det_calibration_inputs(seed: int = DET_CALIB_SEED, long_side: int = 2000) -> list[np.ndarray]:
    """Detector inputs of the calibration pages, formed as the engine forms them
    (:func:`broadsheet.ocr.engines.rapid.det_input` at the default ``det_long_side``)."""
    from .engines.rapid import det_input

    return [det_input(p, long_side) for p in det_calibration_pages(seed)]


def _snippets(lang: str, rng: np.random.Generator, count: int, long: bool = False) -> list[str]:
    """``count`` text pieces of a line's length from the calibration articles of ``lang``."""
    from broadsheet.fixtures.corpus import load_corpus

    wanted = CALIB_ARTICLES[lang]
    paras = [p if isinstance(p, str) else p["subhead"]
             for a in load_corpus(lang) if a["id"] in wanted for p in a["paragraphs"]]
    paras = [p for p in paras if len(p) > 60]
    out = []
    for _ in range(count):
        p = paras[int(rng.integers(len(paras)))]
        if lang == "zh":
            n = int(rng.integers(34, 48)) if long else int(rng.integers(8, 24))
            start = int(rng.integers(0, max(1, len(p) - n)))
            out.append(p[start : start + n])
        else:
            words = p.split()
            n = int(rng.integers(5, 10))
            start = int(rng.integers(0, max(1, len(words) - n)))
            out.append(" ".join(words[start : start + n]))
    return out


def _render_line(text: str, face: str, size: int, rng: np.random.Generator, degrade: bool) -> np.ndarray:
    """A text line as the detector would crop it: gray uint8, some paper around the ink."""
    import cv2
    from PIL import Image, ImageDraw

    from broadsheet.fixtures.fonts import load

    font = load(face, size)
    x0, y0, x1, y1 = font.getbbox(text)
    pad_x, pad_y = int(round(size * rng.uniform(0.1, 0.35))), int(round(size * rng.uniform(0.15, 0.35)))
    w, h = x1 - x0 + 2 * pad_x, y1 - y0 + 2 * pad_y
    img = Image.new("L", (w, h), 255)
    ImageDraw.Draw(img).text((pad_x - x0, pad_y - y0), text, font=font, fill=0)
    a = np.asarray(img, np.float32)
    if degrade:
        paper = rng.uniform(225, 245)
        a = paper - (255.0 - a) * (paper - rng.uniform(20, 60)) / 255.0
        a = cv2.GaussianBlur(a, (0, 0), rng.uniform(0.5, 1.1))
        a = a + rng.normal(0, rng.uniform(3, 9), a.shape)
        ok, jpg = cv2.imencode(".jpg", np.clip(a, 0, 255).astype(np.uint8),
                               [cv2.IMWRITE_JPEG_QUALITY, int(rng.integers(50, 72))])
        return cv2.imdecode(jpg, cv2.IMREAD_GRAYSCALE)
    return np.clip(a, 0, 255).astype(np.uint8)


def calibration_lines(seed: int = CALIB_SEED) -> list[np.ndarray]:
    """The rendered calibration lines (60 with the default plan), in a fixed order."""
    rng = np.random.default_rng(seed)
    crops = []
    for k, (lang, face, (lo, hi), count) in enumerate(CALIB_PLAN):
        long = k == 2
        for i, text in enumerate(_snippets(lang, rng, count, long)):
            crops.append(_render_line(text, face, int(rng.integers(lo, hi + 1)), rng, degrade=i % 2 == 1))
    return crops


def calibration_batches(seed: int = CALIB_SEED) -> list[np.ndarray]:
    """Recogniser input batches of the calibration lines, formed as the engine forms them
    (sorted by aspect ratio, :data:`CALIB_BATCH` at a time, padded to the widest)."""
    from .engines.rapid import rec_input

    crops = calibration_lines(seed)
    order = np.argsort([c.shape[1] / c.shape[0] for c in crops], kind="stable")
    return [rec_input([(crops[j], 1.0) for j in order[i : i + CALIB_BATCH]])[0]
            for i in range(0, len(order), CALIB_BATCH)]


# ----------------------------------------------------------------------------- command line


def main(argv: list[str] | None = None) -> int:
    """``python -m broadsheet.ocr.quantize [--force] [--cache-dir DIR] [--detector]``: build (or
    find) the int8 recogniser (``--detector``: the opt-in int8 detector) and print its path."""
    import argparse

    from .engines.rapid import DET_MODEL, REC_MODEL, _model_dir

    ap = argparse.ArgumentParser(prog="broadsheet models build-int8",
                                 description="Build the int8 recogniser from the rapidocr wheel's fp32 model "
                                             "and cache it (nothing is downloaded).")
    ap.add_argument("--force", action="store_true", help="rebuild even if the cached model exists")
    ap.add_argument("--cache-dir", metavar="DIR", help="folder for the model (default: the user cache)")
    ap.add_argument("--detector", action="store_true",
                    help="build the int8 text detector instead (opt-in: det_precision='int8')")
    ap.add_argument("--source", metavar="ONNX", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="broadsheet: %(message)s", stream=sys.stderr)
    source = Path(args.source) if args.source else _model_dir() / (DET_MODEL if args.detector else REC_MODEL)
    try:
        t0 = time.perf_counter()
        path = ensure_int8(source, args.cache_dir, force=args.force, detector=args.detector)
    except EngineUnavailable as err:
        print(f"broadsheet: error: {err}", file=sys.stderr)
        return 2
    print(json.dumps({"model": str(path), "bytes": path.stat().st_size, "sha256": file_sha256(path),
                      "seconds": round(time.perf_counter() - t0, 1)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
