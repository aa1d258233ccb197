"""Errors a user can act on. The command line prints ``str(err)`` as one line and exits non-zero."""
from __future__ import annotations


class BroadsheetError(Exception):
    """Base class: a clear, one-line, user-facing problem."""


class InputError(BroadsheetError):
    """An input file is missing, unreadable, empty, too large or malformed.

    The message names the file and the cause: ``"page.png: not an image (truncated PNG)"``.
    """

    def __init__(self, path, cause: str):
        self.path = str(path)
        self.cause = cause
        super().__init__(f"{self.path}: {cause}")


class EngineUnavailable(BroadsheetError):
    """An OCR engine's library or binary is missing; the message says what to install."""
