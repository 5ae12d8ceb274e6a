"""Checking names that tandai stores and shows: annotators, actor ids, labels, roles.

They come from the command line, the environment, imported files, schemes and
other databases, and they end up on screen, in file names (brat exports) and
in other tools' data, so each is checked where it enters: not blank, not ``.``
or ``..``, no path separator, and no control or invisible character.
"""
from __future__ import annotations

from .display import safe_text
from .errors import TandaiError


def identifier_problem(value: object, what: str) -> str | None:
    """Why ``value`` cannot be used as ``what`` (e.g. "annotator name"), or None if it can."""
    if not isinstance(value, str) or not value.strip():
        return f"{what} must be a non-blank string"
    shown = safe_text(value)
    if value in (".", ".."):
        return f"{what} {shown!r} is not a name"
    if "/" in value or "\\" in value:
        return f"{what} {shown!r} has a path separator (/ or \\)"
    if shown != value:
        return f"{what} {shown!r} has control or invisible characters (shown as ␛, �, ·)"
    return None


def check_identifier(value: object, what: str) -> str:
    """``value`` if it can be used as ``what``; otherwise a one-line TandaiError saying why."""
    problem = identifier_problem(value, what)
    if problem is not None:
        raise TandaiError(problem)
    return value  # type: ignore[return-value]
