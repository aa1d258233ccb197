"""Atomic file output: a reader (or a resumed batch) never sees a half-written file.

The data goes to a temporary file in the destination's own directory (same file system, so the
final ``os.replace`` is an atomic rename), is flushed and fsync'ed, then renamed over the target.
A crash leaves at most a stray ``.broadsheet-tmp-*`` file, never a truncated output;
:func:`remove_stale_temps` clears those when a batch resumes.
"""
from __future__ import annotations

import os
import secrets
from pathlib import Path

TEMP_PREFIX = ".broadsheet-tmp-"


def write_atomic(path: str | os.PathLike, data: bytes | str, *, fsync: bool = True) -> Path:
    """Write ``data`` (str is UTF-8 encoded) to ``path`` atomically; returns the final path.

    Permissions follow the process umask like an ordinary ``open(path, "w")``. Parent directories
    are created. On any error the temporary file is removed and the target is left untouched.
    """
    path = Path(path)
    if isinstance(data, str):
        payload = data.encode("utf-8")
    elif isinstance(data, (bytes, bytearray, memoryview)):
        payload = bytes(data)
    else:
        raise TypeError(f"write_atomic({path}): data must be bytes or str, not {type(data).__name__}")
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.parent / f"{TEMP_PREFIX}{secrets.token_hex(6)}-{path.name}"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(payload)
            fh.flush()
            if fsync:
                os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            tmp.unlink()
        except FileNotFoundError:
            pass
        raise
    return path


def remove_stale_temps(directory: str | os.PathLike) -> int:
    """Delete temporary files a killed writer left under ``directory`` (recursively); returns count."""
    n = 0
    root = Path(directory)
    if not root.is_dir():
        return 0
    for p in root.rglob(f"{TEMP_PREFIX}*"):
        if p.is_file():
            p.unlink(missing_ok=True)
            n += 1
    return n
