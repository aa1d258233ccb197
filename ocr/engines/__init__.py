"""OCR engines behind one small interface, found by name and imported late.

An engine is any object with

- ``name: str``
- ``version() -> str``                      library/model version, recorded in the output
- ``settings() -> dict``                    the settings it runs with (optional; recorded)
- ``recognize(image: np.ndarray) -> list[OcrLine]``   ``uint8`` gray ``(H, W)`` or RGB ``(H, W, 3)``
  in, lines in absolute pixels of that image out

Engines are listed in :data:`ENGINES` as ``name -> "module:Class"`` strings and imported only when
asked for, so a missing optional library costs nothing until that engine is chosen, and then gives
:class:`~broadsheet.errors.EngineUnavailable` with a one-line install hint.
"""
from __future__ import annotations

import importlib
from typing import Protocol, runtime_checkable

import numpy as np

from broadsheet.errors import EngineUnavailable

from ..types import OcrLine

#: Engine name → "module:Class" (module relative to this package). Read-only by convention.
ENGINES: dict[str, str] = {
    "rapidocr": ".rapid:RapidOcrEngine",
    "paddleocr": ".paddle:PaddleOcrEngine",
    "tesseract": ".tesseract:TesseractEngine",
}

DEFAULT_ENGINE = "rapidocr"


@runtime_checkable
class Engine(Protocol):
    """What :func:`broadsheet.ocr.run_ocr` needs from an engine."""

    name: str

    def version(self) -> str: ...

    def recognize(self, image: np.ndarray) -> list[OcrLine]: ...


def _resolve(name: str) -> type:
    try:
        target = ENGINES[name]
    except KeyError:
        raise EngineUnavailable(
            f"unknown OCR engine {name!r}; choose one of: {', '.join(sorted(ENGINES))}"
        ) from None
    module_name, _, cls_name = target.partition(":")
    module = importlib.import_module(module_name, __name__)
    return getattr(module, cls_name)


def get_engine(name: str = DEFAULT_ENGINE, **settings) -> Engine:
    """Build the engine called ``name`` with its keyword ``settings``.

    Raises :class:`EngineUnavailable` (one line, with an install hint) when the engine's library,
    binary or model files are missing, and for unknown names.
    """
    return _resolve(name)(**settings)


def available_engines() -> dict[str, str]:
    """Every known engine name → ``"ok"`` or the reason it cannot run here (cheap checks only)."""
    status: dict[str, str] = {}
    for name in ENGINES:
        try:
            cls = _resolve(name)
            check = getattr(cls, "check_available", None)
            if check is not None:
                check()
            status[name] = "ok"
        except EngineUnavailable as exc:
            status[name] = str(exc)
        except ImportError as exc:  # pragma: no cover - defensive
            status[name] = f"cannot import: {exc}"
    return status
