"""The per-user cache folder, and arrays derived once from installed data and kept there.

    $BROADSHEET_CACHE/broadsheet/     (else $XDG_CACHE_HOME/broadsheet/, else ~/.cache/broadsheet/)
        models/                       the int8 recogniser (`broadsheet.ocr.quantize`)
        arrays/<name>/<array>.npy     arrays derived from a package's data (`cached_arrays`)

Deriving some arrays costs more than the work they serve: jieba's dictionary takes ≈ 1 s per
process to load and turn into lookup arrays, and a page needs a few milliseconds of lookups in
it. `cached_arrays` builds such arrays once, stores them as ``.npy`` files and memory-maps them
in every later process. A folder is written under a temporary name and renamed into place, so a
reader sees all of its files or none. A cache that cannot be read or written (read-only home)
costs the build in every process, and one log line — never an error.
"""
from __future__ import annotations

import logging
import os
import shutil
import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path

import numpy as np

log = logging.getLogger("broadsheet")


def cache_root() -> Path:
    """``$BROADSHEET_CACHE/broadsheet``, else ``$XDG_CACHE_HOME/broadsheet``, else
    ``~/.cache/broadsheet`` (the PaddleOCR model folders live here too)."""
    base = os.environ.get("BROADSHEET_CACHE") or os.environ.get("XDG_CACHE_HOME")
    return Path(base) / "broadsheet" if base else Path.home() / ".cache" / "broadsheet"


def cached_arrays(name: str, build: Callable[[], Mapping[str, np.ndarray]]) -> dict[str, np.ndarray]:
    """The arrays ``build()`` returns, read (memory-mapped, read-only) from the cache when stored.

    ``name`` names the folder and must change whenever ``build`` would return other arrays:
    callers put a hash of the source data and a recipe version in it, so a stale folder is never
    read. Array names must be usable as file names. Arrays are returned as plain ndarrays with
    the dtypes ``build`` gave (no object arrays).
    """
    folder = cache_root() / "arrays" / name
    damaged: Exception | None = None
    try:
        return _load(folder)
    except (FileNotFoundError, NotADirectoryError):
        pass
    except (OSError, ValueError) as exc:  # unreadable, or damaged (a truncated file): build again
        damaged = exc
    arrays = {k: np.asarray(v) for k, v in build().items()}
    try:
        if damaged is not None:
            shutil.rmtree(folder)
        _store(folder, arrays)
    except OSError as exc:
        log.info("cannot use the cache %s (%s); the arrays stay in memory", folder, damaged or exc)
    else:
        if damaged is not None:
            log.info("cache %s was damaged (%s) and is built again", folder, damaged)
    return arrays


def _load(folder: Path) -> dict[str, np.ndarray]:
    names = sorted(f for f in os.listdir(folder) if f.endswith(".npy"))
    if not names:
        raise ValueError("no arrays")
    # np.asarray: a plain ndarray view of the map (a memmap subclass would leak into results)
    return {f[:-4]: np.asarray(np.load(folder / f, mmap_mode="r", allow_pickle=False)) for f in names}


def _store(folder: Path, arrays: Mapping[str, np.ndarray]) -> None:
    """Write every array into a temporary sibling folder, fsynced, then rename it to ``folder``.
    If another process got there first, its folder (the same arrays) stays and ours goes."""
    folder.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(dir=folder.parent, prefix=f".{folder.name}.", suffix=".tmp"))
    try:
        os.chmod(tmp, 0o755)  # mkdtemp's 0700 would hide a shared cache from other users
        for key, arr in arrays.items():
            with open(tmp / f"{key}.npy", "wb") as fh:
                np.save(fh, arr, allow_pickle=False)
                fh.flush()
                os.fsync(fh.fileno())
        try:
            os.rename(tmp, folder)
        except OSError:
            if not folder.is_dir():
                raise
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
