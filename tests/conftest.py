"""Shared fixtures: a temporary database path, and a store holding the five bundled seeds.

The seeded database is built once per session and copied for each test that
asks for it, so every test gets its own file and the suite stays fast.
"""
from __future__ import annotations

import contextlib
import importlib
import shutil
import sqlite3
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS_DIR = ROOT / "seeds"
DATA_DIR = Path(__file__).resolve().parent / "data"
SEED_NAMES = ("000", "001", "002", "003", "004")


def seed_file(prefix: str) -> Path:
    (path,) = SEEDS_DIR.glob(f"{prefix}_*.txt")
    return path


def tandai_cmd(*args: str) -> list[str]:
    """The installed console script, run the way a user runs it."""
    exe = shutil.which("tandai")
    if exe is None:  # pragma: no cover - the package is installed for the tests
        return [sys.executable, "-m", "tui", *args]
    return [exe, *args]


def table_dump(db_path: Path | str, table: str, order: str = "rowid") -> list[tuple]:
    """Every row of a table, read with the plain sqlite3 module."""
    conn = sqlite3.connect(str(db_path))
    try:
        return conn.execute(f"SELECT * FROM {table} ORDER BY {order}").fetchall()
    finally:
        conn.close()


def copy_database(source: Path | str, target: Path | str) -> Path:
    """A copy of a database made by SQLite's backup API. Never shutil.copyfile: a Python open()/close()
    of a database file drops every SQLite lock this process holds on it (the WAL then goes missing)."""
    with contextlib.closing(sqlite3.connect(str(source))) as src, contextlib.closing(sqlite3.connect(str(target))) as dst:
        src.backup(dst)
    return Path(target)


def file_digest(path: Path | str) -> str:
    """sha256 of a file, read by another process (sha256sum), so no descriptor of it opens or closes here."""
    return subprocess.run(["sha256sum", str(path)], capture_output=True, text=True, check=True,
                          timeout=60).stdout.split()[0]


SQLITE3 = shutil.which("sqlite3")


def sqlite3_cli(db: Path | str, sql: str) -> str:
    """What the sqlite3 command-line shell prints for ``sql``: another process reading the database,
    as the README invites (it opens, reads and closes, as any outside reader does)."""
    proc = subprocess.run([SQLITE3, str(db), sql], capture_output=True, text=True, timeout=30)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout.strip()


def db_state(path: Path | str) -> tuple:
    """Every row a user's work lives in, to compare before and after a command that must change nothing."""
    conn = sqlite3.connect(str(path))
    try:
        return tuple(conn.execute(f"SELECT * FROM {t} ORDER BY rowid").fetchall()
                     for t in ("documents", "actors", "journal", "annotators", "meta", "spans", "links", "progress"))
    finally:
        conn.close()


def run_tandai(mode: str, args: list[str], stdin: bytes | None = None, cwd: Path | None = None,
               ) -> tuple[int, str, str]:
    """(exit code, stdout, stderr) of the tandai command, in-process (``runner``) or as a real ``subprocess``."""
    if mode == "runner":
        from click.testing import CliRunner

        from tui.cli import main

        result = CliRunner().invoke(main, args, input=stdin)
        return result.exit_code, result.stdout, result.stderr
    proc = subprocess.run(tandai_cmd(*args), input=stdin, capture_output=True, timeout=120, cwd=cwd)
    return proc.returncode, proc.stdout.decode("utf-8", "replace"), proc.stderr.decode("utf-8", "replace")


def is_mark(ch: str) -> bool:
    return unicodedata.category(ch).startswith("M")


def check_tokens(text: str, tokens: list[tuple[int, int]]) -> None:
    owner = [0] * len(text)
    previous_end = 0
    for start, end in tokens:
        assert 0 <= start < end <= len(text), (start, end)
        assert start >= previous_end, f"tokens overlap or are out of order at {start}"
        previous_end = end
        piece = text[start:end]
        assert not any(ch.isspace() for ch in piece), f"whitespace inside token {piece!r}"
        for i in range(start, end):
            owner[i] += 1
        if is_mark(text[start]):
            assert start == 0 or text[start - 1].isspace(), (
                f"token {piece!r} at {start} starts with a combining mark cut from {text[start - 1]!r}"
            )
    for i, ch in enumerate(text):
        expected = 0 if ch.isspace() else 1
        assert owner[i] == expected, f"char {i} {ch!r} is in {owner[i]} tokens"


def assert_extension_built(name: str, abi: int) -> None:
    """setup.py marks the compiled modules optional, so a build that fails says nothing: where a C compiler
    is found, this is what notices; and that ``annotations.<name>`` is built from this code (its ``ABI``),
    since a stale build goes unused."""
    if not (shutil.which("cc") or shutil.which("gcc")):
        pytest.skip("no C compiler here: the code without C serves alone")
    module = importlib.import_module(f"annotations.{name}")
    assert getattr(module, "ABI", None) == abi, f"annotations/{name} is built from older code: pip install -e ."


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "tandai.db"


@pytest.fixture(scope="session")
def _seeded_template(tmp_path_factory) -> Path:
    from annotations.corpus import import_articles, read_articles
    from annotations.store import Store

    path = tmp_path_factory.mktemp("template") / "seeded.db"
    with Store(path) as store:
        added, seen = import_articles(store, read_articles([str(SEEDS_DIR)]))
    assert (added, seen) == (5, 0)
    # Closing the last connection checkpoints the WAL into the main file.
    assert not Path(f"{path}-wal").exists() or Path(f"{path}-wal").stat().st_size == 0
    return path


@pytest.fixture
def seeded_path(_seeded_template: Path, tmp_path: Path) -> Path:
    """A fresh copy of a database holding the five seeds (no suggestions, no spans)."""
    return copy_database(_seeded_template, tmp_path / "seeded.db")


@pytest.fixture
def store(seeded_path: Path):
    from annotations.store import Store

    with Store(seeded_path) as st:
        yield st


@pytest.fixture
def seed_ids(store) -> dict[str, str]:
    """Seed prefix ("000" ...) -> document id."""
    ids = {}
    for doc_id in store.document_ids():
        path = store.get_document(doc_id).meta["path"]
        ids[Path(path).name[:3]] = doc_id
    assert sorted(ids) == list(SEED_NAMES)
    return ids
