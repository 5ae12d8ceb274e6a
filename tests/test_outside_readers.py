"""Work written through one Store survives a second Store in the same process and an outside reader.

A second connection in the same process (an export or review reading while the app writes, say)
must not drop the first connection's locks: if it did, the next outside reader
(``sqlite3 tandai.db "select ..."``) would take itself for the last user of the
file, delete the ``-wal`` under the open connection, and every later write would
go into a deleted file. The annotating process runs apart from the test, so it
can be killed with SIGKILL at the end, as a crash or a lost SSH session would.
"""
from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import SQLITE3, copy_database, sqlite3_cli

pytestmark = pytest.mark.skipif(SQLITE3 is None, reason="the sqlite3 shell is not installed")

# The annotating process: writes, a second Store opened and closed, then on a line from the test more writes.
ANNOTATOR = r"""
import sys, time
from annotations.store import Store

first = Store(sys.argv[1])
doc_id = first.document_ids()[0]
tokens = first.get_document(doc_id).tokens

def label(k):
    first.add_span(doc_id, "alice", "entity", "PER", *tokens[k])

for k in range(3):
    label(k)
Store(sys.argv[1]).close()
print("ready", flush=True)
sys.stdin.readline()
for k in range(3, 6):
    label(k)
print("written", flush=True)
time.sleep(120)
"""


def wal_inode(db: Path) -> int:
    return os.stat(f"{db}-wal").st_ino


def test_writes_survive_a_second_store_an_outside_reader_and_sigkill(seeded_path, tmp_path):
    db = copy_database(seeded_path, tmp_path / "tandai.db")
    proc = subprocess.Popen([sys.executable, "-c", ANNOTATOR, str(db)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            text=True)
    try:
        assert proc.stdout.readline().strip() == "ready"
        wal = wal_inode(db)
        assert sqlite3_cli(db, "SELECT count(*) FROM spans") == "3"  # the outside reader opens and closes
        assert wal_inode(db) == wal  # it left the WAL to the annotating process
        proc.stdin.write("\n")
        proc.stdin.flush()
        assert proc.stdout.readline().strip() == "written"
        assert sqlite3_cli(db, "SELECT count(*) FROM spans") == "6"  # visible to another process at once
        assert wal_inode(db) == wal
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
    assert proc.returncode == -signal.SIGKILL
    assert sqlite3_cli(db, "SELECT count(*) FROM spans WHERE annotator = 'alice'") == "6"
    assert sqlite3_cli(db, "SELECT count(*) FROM journal WHERE tbl = 'spans'") == "6"
    assert sqlite3_cli(db, "PRAGMA integrity_check") == "ok"
