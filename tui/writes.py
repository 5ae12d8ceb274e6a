"""How the TUI writes: one write at a time, in the order keys asked, waiting out a busy database.

SQLite lets one process write at a time. Left to itself, the store's connection
would wait for another process's write lock inside SQLite for up to 30 s with
the event loop stuck: a frozen screen and no word why. The app's connection
gives up after ``BUSY_POLL_S`` instead, and ``Writer.run`` tries again from the
event loop, saying on the status line that it is waiting while the screen keeps
painting. Key actions await their write, so keys typed meanwhile wait their turn
in Textual's queue and run, in the order typed, once the write is in.

The quit key is the one key that does not wait its turn (``TandaiApp.post_message``): pressed while a write
waits it says the app quits once they are saved; pressed again it ``abandon``s them and the app quits.
"""
from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Callable
from typing import Any

from annotations.errors import TandaiError

BUSY_POLL_S = 0.05  # the longest one attempt holds the event loop
WAITING = "waiting for the database… (another program is writing to it)"


class WriteAbandoned(Exception):
    """The user quit while this write waited for the database: it was never made."""


def is_busy(exc: BaseException) -> bool:
    """Another connection holds the lock: worth trying again, unlike any other error."""
    code = getattr(exc, "sqlite_errorcode", None)
    return isinstance(exc, sqlite3.OperationalError) and code is not None and \
        code & 0xFF in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)


def failure(exc: TandaiError | sqlite3.Error) -> str:
    """A failed write as one status line."""
    return f"✗ {exc}" if isinstance(exc, TandaiError) else f"✗ database error: {exc}"


class Writer:
    """Runs the app's writes in turn; ``waiting`` shows a message, ``report`` a failure nobody awaits."""

    def __init__(self, waiting: Callable[[str], None], report: Callable[[str], None]):
        self._waiting = waiting
        self._report = report
        self._turn = asyncio.Lock()  # first come, first written
        self._pending: set[asyncio.Task] = set()
        self._asked = 0  # writes a key asked for, waiting their turn or being written
        self.blocked = False  # another connection holds the lock and a key's write waits for it
        self._abandoned = False

    def abandon(self) -> None:
        """Give up every waiting and later write (the app is quitting without them)."""
        self._abandoned = True

    async def run(self, write: Callable[[], Any], *, announce: bool = True) -> Any:
        """``write()`` once every earlier write is in and the database is free; its errors propagate.

        The wait is said on the status line while a key's write waits, also when the write ahead of it
        is a quiet one (the cursor's position, saved half a second after it moved)."""
        self._asked += announce
        try:
            async with self._turn:
                announced = False
                try:
                    while not self._abandoned:
                        try:
                            return write()
                        except sqlite3.OperationalError as exc:
                            if not is_busy(exc):
                                raise
                        self.blocked = self._asked > 0  # a quiet save alone keeps nobody from quitting
                        if not announced and self._asked:
                            self._waiting(WAITING)
                            announced = True
                        await asyncio.sleep(BUSY_POLL_S)
                    raise WriteAbandoned
                finally:
                    self.blocked = False
        finally:
            self._asked -= announce

    def soon(self, write: Callable[[], Any]) -> None:
        """Session state (cursor, last article) from code that cannot wait: written now when nothing is
        queued and the database is free, otherwise quietly once it is."""
        if self._abandoned:
            return
        if not self._turn.locked():
            try:
                write()
                return
            except sqlite3.Error as exc:
                if not is_busy(exc):
                    self._report(failure(exc))
                    return
        task = asyncio.get_running_loop().create_task(self._later(write))
        self._pending.add(task)
        task.add_done_callback(self._pending.discard)

    async def _later(self, write: Callable[[], Any]) -> None:
        try:
            await self.run(write, announce=False)
        except WriteAbandoned:
            pass
        except (TandaiError, sqlite3.Error) as exc:
            self._report(failure(exc))
