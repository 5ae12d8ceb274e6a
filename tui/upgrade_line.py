"""One line on standard error while an older database is upgraded: rebuilding the search index of a large
corpus takes minutes, and a user who opened it must see what is happening (and that Ctrl+C is safe)."""
from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from typing import TextIO

from annotations.display import safe_text
from annotations.schema import SCHEMA_VERSION

REDRAW_S = 0.1  # on a terminal the line is redrawn in place, at most this often


class UpgradeLine:
    """An ``UpgradeProgress`` for ``Store``: on a terminal one line redrawn in place, elsewhere (a log) the
    first and the last line; the last says how long it took."""

    def __init__(self, path: str | Path, stream: TextIO | None = None):
        self.stream = stream if stream is not None else sys.stderr
        self.live = self.stream.isatty()
        self.name = safe_text(str(path))
        self.what = f"{self.name} to schema {SCHEMA_VERSION}"
        self.started: float | None = None
        self.drawn = 0.0

    def __call__(self, done: int, total: int, what: str) -> None:
        now = time.monotonic()
        first = self.started is None
        if first:
            self.started = now
        seconds = now - self.started
        if what == "steps" and done == total:
            self._write(f"Upgraded {self.what} in {seconds:.1f} s", end=True)
        elif first or self.live and now - self.drawn >= REDRAW_S:
            self.drawn = now
            share = f"{100 * done // total}% " if total else ""
            self._write(f"Upgrading {self.what}: {share}({done:,} of {total:,} {what}), {seconds:.0f} s;"
                        " Ctrl+C leaves it as it was", end=not self.live)

    def stopped(self) -> None:
        """After Ctrl+C or any failure: the upgrade was rolled back (say so, if one had started)."""
        if self.started is not None:
            self._write(f"Stopped: {self.name} is as it was, not upgraded", end=True)

    def _write(self, line: str, end: bool) -> None:
        """On a terminal, over the line drawn before, cut to its width (a wrapped line could not be redrawn)."""
        if self.live:
            try:
                width = os.get_terminal_size(self.stream.fileno()).columns
            except (OSError, ValueError):
                width = 80
            line = "\r" + line[:max(width - 1, 1)] + "\x1b[K"
        self.stream.write(line + ("\n" if end else ""))
        self.stream.flush()


def open_upgrading(path: str | Path, **options):
    """``Store(path)``, an older schema upgraded with its progress on one line, which a failure or Ctrl+C
    ends by saying the database is as it was (the upgrade is one transaction)."""
    from annotations.store import Store

    line = UpgradeLine(path)
    try:
        return Store(path, upgrade_progress=line, **options)
    except BaseException:
        line.stopped()
        raise


def open_reading(path: str | Path):
    """The store of a command that only reads (``tandai agreement``): a read-only connection, which sets
    nothing up for writing and takes no write lock, when the schema is current; an older schema is first
    upgraded in the file as ``open_upgrading`` does (once: the runs after it read the file as it is)."""
    from annotations.store import Store, stored_schema_version

    if stored_schema_version(path) == SCHEMA_VERSION:
        return Store(path, readonly=True)
    return open_upgrading(path, create=False)
