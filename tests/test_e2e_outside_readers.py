"""End to end: what an annotator saves stays saved while other processes read the database.

The installed ``tandai`` runs in tmux (80x24) on a fresh database: it imports
the seeds and pre-tags them in a worker that opens a second connection. Meanwhile
the ``sqlite3`` shell reads the file from outside, as the README invites. Then
keys label the first article; after each one another process sees the change at
once, the ``-wal`` file is still the one the app writes to (same inode), and after
``kill -9`` everything is there and ``PRAGMA integrity_check`` says ok. The second
test does the same with a second annotator's app in another window and
``tandai agreement`` and ``tandai export`` running in between.
"""
from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from conftest import SQLITE3, sqlite3_cli, tandai_cmd
from tui_fixtures import TANDAI, TMUX, Tmux, kill9, list_suggestion_counts, tandai_env

pytestmark = [
    pytest.mark.tmux,
    pytest.mark.skipif(TMUX is None, reason="tmux is not installed"),
    pytest.mark.skipif(TANDAI is None, reason="the tandai console script is not installed"),
    pytest.mark.skipif(SQLITE3 is None, reason="the sqlite3 shell is not installed"),
]

# Keys that change the first seed article, each with what the screen says once it is saved and
# how many spans the annotator then has.
LABELLING = [
    (("Tab",), "GPE? “Nagorno-Karabakh” suggested", 0),
    (("y",), "accepted GPE", 1),
    (("l", "l", "l", "l", "x"), "rejected GPE?", 1),
    (("e", "l", "2"), "CEASEFIRE: dan", 2),
    (("3",), "CEASEFIRE → CEASEFIRE_VIOLATION", 2),
    (("f",), "flagged", 2),
]


def wal_inode(db: Path) -> int:
    return os.stat(f"{db}-wal").st_ino


def spans_of(db: Path, annotator: str) -> int:
    return int(sqlite3_cli(db, f"SELECT count(*) FROM spans WHERE annotator = '{annotator}'"))


def start(tmp_path: Path, db: Path, annotator: str) -> Tmux:
    term = Tmux(80, 24)
    term.start([TANDAI, "--db", str(db), "--annotator", annotator], tandai_env(tmp_path), cwd=tmp_path)
    return term


def pretagged(screen: str) -> bool:
    counts = list_suggestion_counts(screen)
    return len(counts) == 5 and all(counts)


def start_reading_while_it_pretags(tmp_path: Path, db: Path) -> Tmux:
    """alice's app on a fresh database; the sqlite3 shell reads it until the list shows the pre-tags."""
    term = start(tmp_path, db, "alice")
    term.wait_for("0 of 5 done", timeout=20)
    reads = 0
    while not pretagged(term.screen()):
        assert sqlite3_cli(db, "SELECT count(*) FROM spans") == "0"
        reads += 1
        assert reads < 2000, term.screen()
    assert reads > 0 and int(sqlite3_cli(db, "SELECT count(*) FROM suggestions")) > 0
    return term


def label(term: Tmux, db: Path, annotator: str, wal: int, between=lambda: None) -> None:
    """Open the first article and label it; after each key another process sees the change."""
    term.keys("Enter")
    term.wait_for("a:entity")
    for keys, shown, spans in LABELLING:
        term.keys(*keys)
        term.wait_for(shown)
        assert spans_of(db, annotator) == spans
        assert wal_inode(db) == wal  # the outside reads never took the WAL from under the app
        between()
    assert sqlite3_cli(db, f"SELECT status FROM progress WHERE annotator = '{annotator}' AND status != 'todo'") == \
        "flagged"


def assert_all_kept(db: Path, annotator: str) -> None:
    rows = sqlite3_cli(db, f"SELECT layer, label, text FROM spans WHERE annotator = '{annotator}' ORDER BY start")
    assert rows.splitlines() == ["entity|GPE|Nagorno-Karabakh", "event|CEASEFIRE_VIOLATION|dan"]
    verdicts = sqlite3_cli(db, "SELECT g.label, v.verdict FROM verdicts v JOIN suggestions g ON g.id = v.suggestion_id"
                               f" WHERE v.annotator = '{annotator}' ORDER BY g.start")
    assert verdicts.splitlines() == ["GPE|accepted", "GPE|rejected"]
    assert sqlite3_cli(db, f"SELECT status FROM progress WHERE annotator = '{annotator}' AND status != 'todo'") == \
        "flagged"


def test_labels_survive_outside_reads_during_pretagging_and_kill_9(tmp_path):
    db = tmp_path / "tandai.db"
    term = start_reading_while_it_pretags(tmp_path, db)
    try:
        label(term, db, "alice", wal_inode(db))
        kill9(term)
    finally:
        term.kill()
    assert_all_kept(db, "alice")
    assert sqlite3_cli(db, "PRAGMA integrity_check") == "ok"


def test_two_annotators_agreement_and_export_meanwhile_then_kill_9(tmp_path):
    db = tmp_path / "tandai.db"
    alice = start_reading_while_it_pretags(tmp_path, db)
    bob = start(tmp_path, db, "bob")
    commands = []

    def other_commands() -> None:
        """tandai agreement or tandai export (in turn) runs to completion between two of the annotators' keys."""
        out = tmp_path / f"export-{len(commands)}.jsonl"
        args = (("agreement", "--status", "any") if len(commands) % 2 == 0 else
                ("export", "prodigy", "--annotator", "alice", "--status", "any", "-o", str(out)))
        proc = subprocess.run(tandai_cmd("--db", str(db), *args), capture_output=True, text=True, timeout=60,
                              stdin=subprocess.DEVNULL)
        assert proc.returncode == 0, proc.stderr
        commands.append(args[0])
        if args[0] == "export":  # read back: alice's spans as saved so far
            tasks = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
            assert sum(len(task["spans"]) for task in tasks) == spans_of(db, "alice")

    try:
        bob.wait_for(pretagged, timeout=20)
        wal = wal_inode(db)
        label(alice, db, "alice", wal, between=other_commands)
        label(bob, db, "bob", wal, between=other_commands)
        kill9(alice)
        assert_all_kept(db, "alice")  # bob's app still has the file open
        kill9(bob)
    finally:
        alice.kill()
        bob.kill()
    assert commands.count("export") == commands.count("agreement") == len(LABELLING)
    assert_all_kept(db, "alice")
    assert_all_kept(db, "bob")
    assert sqlite3_cli(db, "PRAGMA integrity_check") == "ok"
