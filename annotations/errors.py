"""Errors a user can act on: the CLI prints them as one line and exits non-zero."""
from __future__ import annotations

import sqlite3

from .display import clipped


def shown(text: str, limit: int = 40) -> str:
    """A piece of data quoted in a message: cut to ``limit`` and lone surrogates as ``\\udXXX`` escapes,
    so the message can always be encoded and printed."""
    return clipped(text, limit).encode("utf-8", "backslashreplace").decode("utf-8")


class TandaiError(Exception):
    """Bad input or a refused operation, with a message written for the user."""


class InputError(TandaiError):
    """A file or line that cannot be imported; nothing from the batch was stored."""

    def __init__(self, path: str, message: str, line: int | None = None):
        where = f"{path}:{line}" if line is not None else str(path)
        super().__init__(f"{where}: {message}")
        self.path = str(path)
        self.message = message
        self.line = line

    def __reduce__(self):
        # raised in import worker processes and re-raised in the parent
        return InputError, (self.path, self.message, self.line)


class SchemaTooNewError(TandaiError):
    """The database was written by a newer tandai; opening it could lose data."""


class PermissionDenied(TandaiError):
    """An annotator tried to change a layer that is not theirs."""


def error_line(exc: BaseException) -> str:
    """The one line a user sees for an error the commands expect (bad input, a refused write, a full disk)."""
    if isinstance(exc, sqlite3.Error):
        return f"database error: {exc}"
    if isinstance(exc, OSError):
        reason = exc.strerror or str(exc) or type(exc).__name__
        names = " -> ".join(str(name) for name in (exc.filename, exc.filename2) if name is not None)
        return f"{names}: {reason}" if names else reason
    return str(exc)
