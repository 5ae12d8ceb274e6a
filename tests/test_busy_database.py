"""The annotate screen when another process holds the database's write lock, or a write fails.

A second process takes the lock (``BEGIN IMMEDIATE``) and keeps it. Keys typed
meanwhile must neither freeze the screen silently nor crash it: the status line
says the write is waiting, and once the lock frees every key's change is in
the database, in the order typed. A write SQLite refuses is one status line.
"""
from __future__ import annotations

import asyncio
import subprocess
import sys
import time
from pathlib import Path

import pytest

from review_fixtures import REVIEWER, review_db  # noqa: F401  (fixture)
from test_sigkill import open_first_suggestion, start
from tui.writes import WAITING
from tui_fixtures import anyio_backend, isolated_config, quick_pilot, tui_db, tui_template  # noqa: F401  (fixtures)
from tui_fixtures import (
    TANDAI,
    TMUX,
    cursor_token,
    find_token,
    goto_token,
    make_app,
    press,
    query,
    screen_text,
    settle,
    status_line,
)

pytestmark = pytest.mark.anyio

HOLDER = """
import sqlite3, sys
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("BEGIN IMMEDIATE")
print("locked", flush=True)
sys.stdin.readline()
conn.execute("COMMIT")
"""


def hold_write_lock(db: Path) -> subprocess.Popen:
    """Another process holding the write lock until a line reaches its stdin."""
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(db)], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline() == "locked\n"
    return holder


def release(holder: subprocess.Popen) -> None:
    holder.communicate("\n", timeout=10)
    assert holder.returncode == 0


async def wait_for(condition, timeout: float = 10.0) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        assert loop.time() < deadline, "timed out"
        await asyncio.sleep(0.02)


def labelled(db: Path, doc: str) -> list[tuple[str, str]]:
    return [tuple(row) for row in query(db, "SELECT text, label FROM spans WHERE doc_id = ? AND annotator = 'alice'"
                                            " ORDER BY id", (doc,))]


async def open_at(pilot, app, word: str) -> str:
    await settle(app)
    await press(pilot, "enter")
    await goto_token(pilot, app, find_token(app, word))
    return app.screen.doc_id


async def test_keys_typed_while_another_process_writes_wait_and_land_in_order(tui_db: Path):
    app = make_app(tui_db)
    async with app.run_test(size=(80, 24)) as pilot:
        doc = await open_at(pilot, app, "umumkan")
        labels = app.store.scheme.layer("entity").label_names
        holder = hold_write_lock(tui_db)
        try:
            for key in ("1", "l", "2"):  # label "umumkan", move on to "bahwa", label it: typed without waiting
                app.simulate_key(key)
            await wait_for(lambda: status_line(app) == WAITING)
            await asyncio.sleep(0.5)  # still waiting, and still running: no crash, nothing half-written
            assert app.is_running and status_line(app) == WAITING
            assert labelled(tui_db, doc) == []
            assert cursor_token(app)[1] == "umumkan"  # the later keys wait their turn behind the write
        finally:
            release(holder)
        await wait_for(lambda: len(labelled(tui_db, doc)) == 2)
        await settle(app)
        assert labelled(tui_db, doc) == [("umumkan", labels[0]), ("bahwa", labels[1])]
        assert cursor_token(app)[1] == "bahwa"
        assert status_line(app) == f"{labels[1]}: bahwa"


async def test_undo_waits_for_the_lock_too(tui_db: Path):
    app = make_app(tui_db)
    async with app.run_test(size=(80, 24)) as pilot:
        doc = await open_at(pilot, app, "umumkan")
        await press(pilot, "1")
        assert len(labelled(tui_db, doc)) == 1
        holder = hold_write_lock(tui_db)
        try:
            app.simulate_key("u")
            await wait_for(lambda: status_line(app) == WAITING)
        finally:
            release(holder)
        await wait_for(lambda: labelled(tui_db, doc) == [])
        await settle(app)
        assert status_line(app) == "undid add_span"


async def test_a_key_behind_a_quiet_write_still_says_it_waits(tui_db: Path):
    """The cursor's position is saved half a second after it moves, quietly: if the database is busy
    then, a key's write queued behind that save says it waits, as it would at the head of the queue."""
    app = make_app(tui_db)
    async with app.run_test(size=(80, 24)) as pilot:
        doc = await open_at(pilot, app, "umumkan")
        holder = hold_write_lock(tui_db)
        try:
            await press(pilot, "l")  # moved: its save comes half a second later and waits for the lock
            await asyncio.sleep(1.0)
            assert status_line(app) != WAITING  # the quiet save waits without a word
            app.simulate_key("1")
            await wait_for(lambda: status_line(app) == WAITING)
        finally:
            release(holder)
        await wait_for(lambda: len(labelled(tui_db, doc)) == 1)
        await settle(app)
        assert labelled(tui_db, doc) == [("bahwa", app.store.scheme.layer("entity").label_names[0])]


async def test_the_quit_key_while_a_write_waits_quits_once_it_is_saved(tui_db: Path):
    """ctrl+q is not stuck behind the waiting write: the status line says at once that the app quits when
    the change is saved; it is saved and the app quits once the lock frees."""
    app = make_app(tui_db)
    async with app.run_test(size=(80, 24)) as pilot:
        doc = await open_at(pilot, app, "umumkan")
        first_label = app.store.scheme.layer("entity").label_names[0]
        holder = hold_write_lock(tui_db)
        try:
            app.simulate_key("1")
            await wait_for(lambda: status_line(app) == WAITING)
            app.simulate_key("ctrl+q")
            await wait_for(lambda: status_line(app).startswith("quitting once"))
            assert status_line(app) == "quitting once the waiting key(s) are saved; ctrl+q again quits without them"
            assert app.is_running and labelled(tui_db, doc) == []
        finally:
            release(holder)
        await wait_for(lambda: not app.is_running)
    assert labelled(tui_db, doc) == [("umumkan", first_label)]
    assert not app.quit_unsaved


async def test_the_quit_key_behind_a_quiet_save_alone_quits_at_once(tui_db: Path):
    """Only the cursor's position waits for the lock (no key's change): ctrl+q quits as ever, without
    saying it waits for keys."""
    app = make_app(tui_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_at(pilot, app, "umumkan")
        holder = hold_write_lock(tui_db)
        try:
            await press(pilot, "l")  # its quiet save, half a second later, waits for the lock
            await asyncio.sleep(1.0)
            app.simulate_key("ctrl+q")
            await wait_for(lambda: not app.is_running)
            assert not status_line(app).startswith("quitting once")
            assert not app.quit_unsaved
        finally:
            release(holder)


async def test_the_quit_key_twice_quits_without_the_waiting_changes(tui_db: Path):
    """Pressed again while the lock is still held, ctrl+q quits at once; the key whose change waits and the
    keys typed after it are not applied (the command then fails saying so: see the tmux test)."""
    app = make_app(tui_db)
    async with app.run_test(size=(80, 24)) as pilot:
        doc = await open_at(pilot, app, "umumkan")
        holder = hold_write_lock(tui_db)
        try:
            for key in ("1", "l", "2"):
                app.simulate_key(key)
            await wait_for(lambda: status_line(app) == WAITING)
            app.simulate_key("ctrl+q")
            await wait_for(lambda: status_line(app).startswith("quitting once"))
            app.simulate_key("ctrl+q")
            await wait_for(lambda: not app.is_running)
            assert app.quit_unsaved
        finally:
            release(holder)
    assert labelled(tui_db, doc) == []


async def test_the_review_screen_waits_too(review_db: Path):  # noqa: F811
    """rita takes alice's version (1) and accepts what all agree on (M) while the lock is held elsewhere."""
    app = make_app(review_db, REVIEWER, review=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(lambda: not app.screen.comparing)  # the list's rows are in
        await settle(app)
        await press(pilot, "enter")
        holder = hold_write_lock(review_db)
        try:
            app.simulate_key("1")
            app.simulate_key("M")
            await wait_for(lambda: status_line(app) == WAITING)
            assert query(review_db, "SELECT count(*) FROM spans WHERE annotator = 'gold'") == [(0,)]
        finally:
            release(holder)
        await wait_for(lambda: status_line(app).startswith("accepted "))
        assert status_line(app) == "accepted 1 span(s) all annotators agree on"
        gold = query(review_db, "SELECT text FROM spans WHERE annotator = 'gold' ORDER BY id")
        assert gold == [("AS",), ("Armenia",)]  # alice's AS first, then the agreed Armenia

async def test_a_write_the_database_refuses_is_one_status_line(tui_db: Path):
    """Something outside tandai makes the spans table refuse rows: the key says why, the app carries on."""
    app = make_app(tui_db)
    async with app.run_test(size=(80, 24)) as pilot:
        doc = await open_at(pilot, app, "umumkan")
        subprocess.run(["sqlite3", str(tui_db), "CREATE TRIGGER frozen BEFORE INSERT ON spans"
                        " BEGIN SELECT RAISE(ABORT, 'spans are frozen'); END"], check=True, timeout=30)
        await press(pilot, "1")
        assert status_line(app) == "✗ database error: spans are frozen"
        assert app.is_running and labelled(tui_db, doc) == []
        await press(pilot, "l")  # keys still work
        assert cursor_token(app)[1] == "bahwa"



async def test_a_database_error_after_a_write_is_a_notification_not_a_crash(tui_db: Path):
    """Another program drops the links table: the label is saved, the redraw that reads links fails,
    and the app says so in one line and keeps taking keys."""
    app = make_app(tui_db)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        doc = await open_at(pilot, app, "umumkan")
        subprocess.run(["sqlite3", str(tui_db), "DROP TABLE links"], check=True, timeout=30)
        await press(pilot, "1")
        assert app.is_running and len(labelled(tui_db, doc)) == 1
        shown = " ".join(screen_text(app).replace("▌", " ").split())  # the toast, its border taken off
        assert "✗ database error: no such table:" in shown  # the toast wraps "links" onto its next line
        await press(pilot, "l")
        assert cursor_token(app)[1] == "bahwa"

@pytest.mark.tmux
@pytest.mark.skipif(TMUX is None or TANDAI is None, reason="needs tmux and the installed tandai")
def test_the_installed_app_shows_the_wait_and_saves_every_key_after_it(tmp_path: Path, tui_db: Path):
    """In a real 80x24 terminal: the waiting message is painted while the lock is held, and the keys
    typed meanwhile (accept, move, reject) are all in the database, in order, once it frees."""
    term = start(tmp_path, tui_db)
    try:
        open_first_suggestion(term)
        holder = hold_write_lock(tui_db)
        try:
            term.keys("y", "l", "l", "l", "l", "x")
            term.wait_for("waiting for the database…")
            time.sleep(1.0)
            assert "waiting for the database…" in term.screen() and not term.dead
        finally:
            release(holder)
        term.wait_for("rejected GPE?")
        answered = query(tui_db, "SELECT g.text, v.verdict FROM verdicts v JOIN"
                                 " (SELECT s.id, substr(d.text, s.start + 1, s.end - s.start) AS text FROM suggestions s"
                                 "  JOIN documents d ON d.id = s.doc_id) g ON g.id = v.suggestion_id"
                                 " WHERE v.annotator = 'alice' ORDER BY v.rowid")
        assert answered == [("Nagorno-Karabakh", "accepted"), ("Armenia", "rejected")]
    finally:
        term.kill()


@pytest.mark.tmux
@pytest.mark.skipif(TMUX is None or TANDAI is None, reason="needs tmux and the installed tandai")
def test_the_installed_app_quits_while_another_program_holds_the_lock(tmp_path: Path, tui_db: Path):
    """In a real terminal, a user whose key waits for another program's lock can still leave: ctrl+q twice
    quits, and the command says on its last line that it quit without saving, with exit status 1."""
    term = start(tmp_path, tui_db)
    holder = None
    try:
        open_first_suggestion(term)
        holder = hold_write_lock(tui_db)
        term.keys("y")
        term.wait_for("waiting for the database…")
        term.keys("C-q")
        term.wait_for("ctrl+q again quits without them")
        term.keys("C-q")
        assert term.wait_dead(timeout=10) == 1
        assert "Error: quit without saving: another program held the database's write lock" in term.history()
        assert query(tui_db, "SELECT count(*) FROM verdicts") == [(0,)]
    finally:
        if holder is not None:
            release(holder)
        term.kill()
