"""Opening a database of an older schema: the upgrade says how far it has got (one line on standard error,
before the annotator takes the screen), and Ctrl+C stops it with the database left as it was."""
from __future__ import annotations

import io
import shlex
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

import annotations.store
from annotations.schema import SCHEMA_VERSION
from annotations.store import Store
from conftest import db_state
from test_export_helpers import build
from test_sqlite_tools import _as_first_schema
from tui.upgrade_line import UpgradeLine
from tui_fixtures import TANDAI, TMUX, Tmux, tandai_env


def first_schema_db(tmp_path: Path, copies: int = 0) -> Path:
    """The five seeds in schema 1's form; with ``copies``, that many more copies of each (other ids and texts),
    so that upgrading takes a few seconds."""
    build(tmp_path / "new.db", seeds=True, case=False).close()
    old = tmp_path / "old.db"
    _as_first_schema(tmp_path / "new.db", old)
    if copies:
        conn = sqlite3.connect(old)
        with conn:
            conn.execute(
                "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?)"
                " INSERT INTO documents(id, title, text, raw, source, url, published, lang, meta, tokens, seq, added_at)"
                " SELECT d.id || '-' || n.i, d.title, d.text || ' Salinan ' || n.i || '.', d.raw, d.source, d.url,"
                " d.published, d.lang, d.meta, d.tokens, d.seq + 10 * n.i, d.added_at FROM documents d, n", (copies,))
        conn.close()
    return old


def test_the_upgrade_tells_its_steps_and_each_article_indexed_once(tmp_path: Path):
    old = first_schema_db(tmp_path)
    heard: list[tuple[int, int, str]] = []
    with Store(old, upgrade_progress=lambda *told: heard.append(told)) as store:
        assert store.schema_version == SCHEMA_VERSION
        assert [d.title for d in store.list_documents("alice", query="Pompeo")]  # the index is filled
    steps = [told for told in heard if told[2] == "steps"]
    total = steps[0][1]
    assert steps[0] == (0, total, "steps") and steps[-1] == (total, total, "steps") == heard[-1]
    assert [done for done, _, _ in steps] == sorted(done for done, _, _ in steps)
    # schema 2 and schema 9 both rebuild the index: only the last one, which stays, is filled
    indexed = [told for told in heard if told[2] == "articles indexed"]
    assert indexed[0] == (0, 5, "articles indexed") and indexed.count((5, 5, "articles indexed")) == 1
    with Store(old, upgrade_progress=lambda *told: heard.append(("again", *told))):
        pass
    assert not [told for told in heard if told[0] == "again"]  # nothing to upgrade, nothing told


def test_ctrl_c_inside_a_statement_leaves_the_database_as_it_was(tmp_path: Path, monkeypatch):
    """Ctrl+C arrives while SQLite runs a statement: the progress handler's Python raises it there, SQLite
    stops the statement, the one transaction is rolled back."""
    old = first_schema_db(tmp_path)
    before = db_state(old)
    monkeypatch.setattr(annotations.store, "_UPGRADE_TICK", 50)
    heard: list[tuple] = []

    def interrupt(*told) -> None:
        if heard and heard[-1] == told and told[2] == "articles indexed":  # told again: inside a statement
            raise KeyboardInterrupt
        heard.append(told)

    with pytest.raises(KeyboardInterrupt):
        Store(old, upgrade_progress=interrupt)
    assert heard[-1][2] == "articles indexed"
    assert db_state(old) == before  # schema_version (in meta) included
    with Store(old) as store:  # and it upgrades the next time
        assert store.schema_version == SCHEMA_VERSION


def test_the_line_on_a_terminal_and_in_a_log():
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    term, log = Terminal(), io.StringIO()
    for out in (UpgradeLine("old.db", term), UpgradeLine("old.db", log)):
        out(0, 12, "steps")
        out(0, 40_000, "articles indexed")
        time.sleep(0.15)
        out(10_000, 40_000, "articles indexed")
        out(12, 12, "steps")
    assert log.getvalue().splitlines()[0] == (f"Upgrading old.db to schema {SCHEMA_VERSION}: 0% (0 of 12 steps), 0 s;"
                                              " Ctrl+C leaves it as it was")
    assert len(log.getvalue().splitlines()) == 2 and log.getvalue().splitlines()[1].startswith(
        f"Upgraded old.db to schema {SCHEMA_VERSION} in ")
    drawn = term.getvalue().split("\r")
    assert "25% (10,000 of 40,000 articles indexed)" in drawn[-2] and drawn[-1].endswith(" s\x1b[K\n")


@pytest.mark.skipif(TANDAI is None, reason="needs the installed tandai")
@pytest.mark.parametrize("command", [["reviewers", "list"], ["status"], ["agreement"], ["assign", "alice", "bob"],
                                     ["export", "prodigy", "--all", "-o", "-"], ["merge", "other.db"],
                                     ["tag", "--help"]])
def test_every_command_that_opens_an_old_database_says_it_upgrades(tmp_path: Path, command: list[str]):
    """Not only the annotator: each command that opens the store upgrades it in view (one line on standard
    error), and leaves it at the current schema. (``tag --help`` opens nothing: no line.)"""
    old = first_schema_db(tmp_path)
    build(tmp_path / "other.db", seeds=True, case=False).close()  # what merge brings in
    done = subprocess.run([TANDAI, "--db", str(old), *command], capture_output=True, text=True, timeout=120,
                          cwd=tmp_path)
    upgraded = f"old.db to schema {SCHEMA_VERSION} in "  # "Upgraded <the path given> to schema ..."
    assert done.returncode == 0, done.stderr
    if "--help" in command:
        assert "Usage:" in done.stdout and upgraded not in done.stderr
        return
    assert done.stderr.startswith("Upgrading ") and f"Upgraded {old}" in done.stderr and upgraded in done.stderr
    with Store(old) as store:
        assert store.schema_version == SCHEMA_VERSION


# -- the installed tandai in an 80x24 terminal ---------------------------------------------------------

needs_tmux = pytest.mark.skipif(TMUX is None or TANDAI is None, reason="needs tmux and the installed tandai")


def start(term: Tmux, old: Path, tmp_path: Path) -> Path:
    """Run tandai on ``old`` in ``term``, everything it writes to the terminal logged."""
    log = tmp_path / "terminal.log"
    command = f"exec {shlex.quote(TANDAI)} --db {shlex.quote(old.name)}"
    term.start(["sh", "-c", f"read go; {command}"], tandai_env(tmp_path), old.parent)
    term.log_output(log)
    term.keys("Enter")
    return log


@pytest.mark.tmux
@needs_tmux
def test_opening_an_old_database_shows_the_upgrade_then_the_list(tmp_path: Path):
    old = first_schema_db(tmp_path)
    term = Tmux()
    try:
        log = start(term, old, tmp_path)
        term.wait_for("showing: all", timeout=60)
        term.keys("q")
        assert term.wait_dead() == 0
        screen = term.screen()  # the list is gone, the line stays
    finally:
        term.kill()
    written = log.read_bytes().decode("utf-8", "replace")
    assert written.index("Upgrading old.db to schema") < written.index("showing: all")
    assert f"Upgraded old.db to schema {SCHEMA_VERSION} in " in screen
    with Store(old) as store:
        assert store.schema_version == SCHEMA_VERSION


@pytest.mark.tmux
@needs_tmux
def test_ctrl_c_during_the_upgrade_exits_130_and_changes_nothing(tmp_path: Path):
    old = first_schema_db(tmp_path, copies=600)  # 3,005 articles: seconds of indexing
    before = db_state(old)
    term = Tmux()
    try:
        start(term, old, tmp_path)
        term.wait_for("Upgrading old.db", timeout=30)
        term.keys("C-c")
        status = term.wait_dead(timeout=30)
        screen = term.screen()
    finally:
        term.kill()
    assert status == 130, screen
    assert "Stopped: old.db is as it was, not upgraded" in screen
    assert db_state(old) == before
