"""SIGKILL between keystrokes loses nothing that was done: every change seen on screen is in the database.

The installed ``tandai`` runs in tmux on a copy of the pre-tagged seeds. Each
change is typed, then the test waits until the screen shows it (so the key was
handled), and after the last one the process is killed with SIGKILL. A second
run kills the app while a burst of keys is still being handled: whatever got
in must be whole (an accept-all is all or nothing) and the file must be sound.
"""
from __future__ import annotations

import sqlite3
import time
from pathlib import Path

import pytest

from tui_fixtures import TANDAI, TMUX, Tmux, kill9, tandai_env
from tui_fixtures import tui_db, tui_template  # noqa: F401  (fixtures)

pytestmark = [
    pytest.mark.tmux,
    pytest.mark.skipif(TMUX is None, reason="tmux is not installed"),
    pytest.mark.skipif(TANDAI is None, reason="the tandai console script is not installed"),
]


def rows(db: Path, sql: str, params=()) -> list[tuple]:
    conn = sqlite3.connect(str(db))
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


def start(tmp_path: Path, db: Path) -> Tmux:
    term = Tmux(80, 24)
    term.start([TANDAI, "--db", str(db), "--annotator", "alice"], tandai_env(tmp_path), cwd=tmp_path)
    term.wait_for("0 of 5 done", timeout=15)
    return term


def open_first_suggestion(term: Tmux) -> None:
    """From the article list: open the first article and tab to its first suggestion."""
    term.keys("Enter")
    term.wait_for("a:entity")
    term.keys("Tab")
    term.wait_for("GPE? “Nagorno-Karabakh” suggested")


def test_every_change_shown_on_screen_survives_sigkill(tmp_path, tui_db):
    term = start(tmp_path, tui_db)
    try:
        open_first_suggestion(term)
        term.keys("y")                                   # 1 accept a suggestion
        term.wait_for("accepted GPE")
        term.keys("l", "l", "l", "l", "x")               # 2 reject the next one (Armenia)
        term.wait_for("rejected GPE?")
        term.keys("e", "l", "2")                         # 3 an event span on "dan", relabelled next
        term.wait_for("CEASEFIRE: dan")
        term.keys("3")                                   # 4 relabel it
        term.wait_for("CEASEFIRE → CEASEFIRE_VIOLATION")
        term.keys("f")                                   # 5 flag the article
        term.wait_for("flagged")
        kill9(term)
    finally:
        term.kill()

    spans = rows(tui_db, "SELECT layer, label, text FROM spans WHERE annotator = 'alice' ORDER BY start")
    assert spans == [("entity", "GPE", "Nagorno-Karabakh"), ("event", "CEASEFIRE_VIOLATION", "dan")]
    verdicts = rows(tui_db, "SELECT g.label, v.verdict FROM verdicts v JOIN suggestions g ON g.id = v.suggestion_id"
                            " WHERE v.annotator = 'alice' ORDER BY g.start")
    assert verdicts == [("GPE", "accepted"), ("GPE", "rejected")]
    assert rows(tui_db, "SELECT status FROM progress WHERE annotator = 'alice' AND status != 'todo'") == [("flagged",)]
    assert rows(tui_db, "PRAGMA integrity_check") == [("ok",)]
    from annotations.store import Store

    with Store(tui_db) as store:  # opens (and would recover the WAL) as usual
        assert len(store.spans(store.document_ids()[0], "alice")) == 2


def test_sigkill_in_a_burst_of_keys_leaves_whole_actions(tmp_path, tui_db):
    term = start(tmp_path, tui_db)
    try:
        term.keys("Enter")
        term.wait_for("a:entity")
        n = rows(tui_db, "SELECT count(*) FROM suggestions WHERE doc_id = (SELECT id FROM documents"
                         " ORDER BY seq LIMIT 1)")[0][0]
        # a burst: accept all, undo, redo, undo ... and the kill lands somewhere in it
        term.keys("Y", "u", "C-r", "u", "C-r", "u", "C-r", "u", "C-r")
        time.sleep(0.05)
        kill9(term)
    finally:
        term.kill()

    assert rows(tui_db, "PRAGMA integrity_check") == [("ok",)]
    spans = rows(tui_db, "SELECT count(*) FROM spans WHERE annotator = 'alice'")[0][0]
    accepted = rows(tui_db, "SELECT count(*) FROM verdicts WHERE annotator = 'alice' AND verdict = 'accepted'")[0][0]
    assert spans in (0, n) and accepted == spans  # never part of an accept-all
    # the journal replays to what is there: every batch complete
    done = rows(tui_db, "SELECT op, count(DISTINCT batch) FROM journal WHERE annotator = 'alice' GROUP BY op")
    ops = dict(done)
    assert ops.get("do", 0) in (0, 1)
    assert spans == (n if ops.get("do", 0) - ops.get("undo", 0) + ops.get("redo", 0) == 1 else 0)
