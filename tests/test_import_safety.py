"""An import holds the write lock only while it writes, and a killed first import harms nothing.

``tandai import -`` reads all of its standard input before it takes the write
lock, so an annotator can keep saving while someone pipes a slow download in.
A first import killed with SIGKILL midway leaves either no database or one that
``tandai`` opens normally (with the bundled seeds, since it has no articles).
"""
from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import time
from pathlib import Path

import pytest

from conftest import tandai_cmd
from tui_fixtures import TANDAI, TMUX, Tmux, tandai_env


def _sqlite3_write(db: Path, timeout_ms: int) -> subprocess.CompletedProcess:
    """Another process writing, as a user's shell would (busy timeout ``timeout_ms``)."""
    return subprocess.run(["sqlite3", "-cmd", f".timeout {timeout_ms}", str(db),
                           "INSERT INTO meta(key, value) VALUES ('outside', 'wrote') ON CONFLICT(key) DO NOTHING"],
                          capture_output=True, text=True, timeout=30)


def _article(n: int) -> str:
    return json.dumps({"title": f"Artikel {n}", "text": f"Artikel nomor {n}. " + "Pasukan Armenia dan Azerbaijan"
                       f" kembali bertempur di Nagorno-Karabakh pada hari ke-{n}. " * 8})


def test_import_from_stdin_reads_everything_before_taking_the_write_lock(seeded_path: Path):
    proc = subprocess.Popen(tandai_cmd("--db", str(seeded_path), "import", "-"), stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        proc.stdin.write(_article(1) + "\n")
        proc.stdin.flush()
        time.sleep(2.0)  # the command is up and waiting for the rest of its input
        assert proc.poll() is None
        outside = _sqlite3_write(seeded_path, 1000)
        assert outside.returncode == 0, f"another process could not write while the import waited: {outside.stderr}"
        out, err = proc.communicate(_article(2) + "\n", timeout=60)
    finally:
        proc.kill()
        proc.wait()
    assert proc.returncode == 0, err
    assert out.startswith("2 article(s) added, 0 already there")
    conn = sqlite3.connect(seeded_path)
    try:
        assert conn.execute("SELECT value FROM meta WHERE key = 'outside'").fetchone() == ("wrote",)
        assert conn.execute("SELECT count(*) FROM documents").fetchone() == (7,)
    finally:
        conn.close()


def _wal_size(db: Path) -> int:
    try:
        return os.stat(f"{db}-wal").st_size  # stat only: no descriptor of the file is opened
    except FileNotFoundError:
        return 0


@pytest.mark.tmux
@pytest.mark.skipif(TMUX is None or TANDAI is None, reason="needs tmux and the installed tandai")
@pytest.mark.parametrize("when", ["as the file appears", "while writing articles"])
def test_first_import_killed_midway_leaves_a_database_tandai_opens(tmp_path: Path, when: str):
    big = tmp_path / "big.jsonl"
    big.write_text("".join(_article(n) + "\n" for n in range(12000)))
    db = tmp_path / "new.db"
    proc = subprocess.Popen(tandai_cmd("--db", str(db), "import", str(big)), stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        while not (_wal_size(db) > 2_000_000 if when == "while writing articles" else db.exists()) \
                and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.002)
        assert proc.poll() is None, "the import finished before it could be killed"
    finally:
        os.killpg(proc.pid, signal.SIGKILL)  # the command and its reading workers
        proc.wait()
    assert proc.returncode == -signal.SIGKILL
    if not db.exists():
        return
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        if conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'documents'").fetchone():  # else: no schema yet
            assert conn.execute("SELECT count(*) FROM documents").fetchone() == (0,)  # all or nothing
    finally:
        conn.close()
    term = Tmux(80, 24)
    try:
        term.start([TANDAI, "--db", str(db)], tandai_env(tmp_path), cwd=tmp_path)
        term.wait_for("0 of 5 done", timeout=30)  # the bundled seeds, as on a fresh install
    finally:
        term.kill()
