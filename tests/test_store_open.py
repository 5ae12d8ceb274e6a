"""Opening a database: files that are not tandai's, or are newer, stay as they were, byte for byte.

The installed ``tandai`` is run on each kind of file a user might point it at.
Whether a file changed is judged by its sha256, read by another process
(``file_digest``) once this process holds no connection to it, and by whether
``-wal``/``-shm`` files appeared beside a rollback-journal database.
"""
from __future__ import annotations

import contextlib
import sqlite3
import subprocess
from pathlib import Path

import pytest

from annotations.errors import SchemaTooNewError, TandaiError
from annotations.merge import merge
from annotations.store import Store
from conftest import SEEDS_DIR, copy_database, file_digest, seed_file, sqlite3_cli, table_dump, tandai_cmd
from tui_fixtures import doc_ids, make_app, press, screen_text, status_line
from tui_fixtures import anyio_backend, tui_db, tui_template  # noqa: F401  (fixtures)


def tandai(db: Path, *args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(tandai_cmd("--db", str(db), "--annotator", "rita", *args), capture_output=True, text=True,
                          timeout=120, cwd=cwd, stdin=subprocess.DEVNULL)


def assert_one_line_error(proc: subprocess.CompletedProcess, *words: str) -> None:
    assert proc.returncode != 0, proc.stdout
    assert "Traceback" not in proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    for word in words:
        assert word in lines[0], lines[0]


def sql(db: Path, *statements: str) -> None:
    """Change a database as another program would (plain sqlite3, then closed)."""
    with contextlib.closing(sqlite3.connect(str(db), isolation_level=None)) as conn:
        for statement in statements:
            conn.execute(statement)


def journal_mode(db: Path) -> str:
    with contextlib.closing(sqlite3.connect(str(db))) as conn:
        return conn.execute("PRAGMA journal_mode").fetchone()[0]


def no_wal_files(db: Path) -> bool:
    return not Path(f"{db}-wal").exists() and not Path(f"{db}-shm").exists()


def rollback_journal_copy(source: Path, target: Path) -> Path:
    """A copy of a tandai database switched to rollback-journal mode (as some backup tools leave it)."""
    copy_database(source, target)
    sql(target, "PRAGMA journal_mode = delete")
    assert journal_mode(target) == "delete" and no_wal_files(target)
    return target


# The commands that open a database: the annotator itself (it fails before any screen is drawn),
# an import, a reading command and an export.
OPENING = [(), ("import", str(seed_file("000"))), ("agreement",), ("export", "prodigy", "-o", "out.jsonl")]


@pytest.mark.parametrize("args", OPENING, ids=lambda a: a[0] if a else "annotator")
def test_another_programs_database_is_refused_untouched(tmp_path, args):
    db = tmp_path / "notes.db"
    sql(db, "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)", "INSERT INTO notes(body) VALUES ('mine')")
    before = file_digest(db)
    assert_one_line_error(tandai(db, *args, cwd=tmp_path), "notes.db", "not a tandai database", "untouched")
    assert file_digest(db) == before
    assert no_wal_files(db) and journal_mode(db) == "delete"
    assert not (tmp_path / "out.jsonl").exists()


def test_another_programs_table_named_meta_is_refused(tmp_path):
    db = tmp_path / "other.db"
    sql(db, "CREATE TABLE meta (name TEXT, size INTEGER)")
    before = file_digest(db)
    with pytest.raises(TandaiError, match="not a tandai database"):
        Store(db)
    assert file_digest(db) == before and no_wal_files(db)


@pytest.mark.parametrize("mode", ["wal", "delete"])
def test_newer_schema_is_refused_before_any_write(seeded_path, tmp_path, mode):
    db = tmp_path / "newer.db"
    copy_database(seeded_path, db)
    sql(db, "UPDATE meta SET value = '99' WHERE key = 'schema_version'", f"PRAGMA journal_mode = {mode}")
    assert journal_mode(db) == mode
    before = file_digest(db)
    for args in OPENING:
        assert_one_line_error(tandai(db, *args, cwd=tmp_path), "newer tandai", "schema 99")
    with pytest.raises(SchemaTooNewError):
        Store(db)
    with pytest.raises(SchemaTooNewError):
        Store(db, readonly=True)
    assert file_digest(db) == before
    if mode == "delete":  # not switched to WAL on the way to the refusal
        assert no_wal_files(db) and journal_mode(db) == "delete"


@pytest.mark.parametrize("mode", ["wal", "delete"])
def test_merge_never_changes_its_source(seeded_path, seed_ids, store, tmp_path, mode):
    theirs = tmp_path / "offline.db"
    copy_database(seeded_path, theirs)
    with Store(theirs) as other:
        other.add_span(seed_ids["000"], "dewi", "entity", "GPE", *_first_token(other, seed_ids["000"]))
        other.set_status(seed_ids["000"], "dewi", "done")
    if mode == "delete":
        sql(theirs, "PRAGMA journal_mode = delete")
    assert journal_mode(theirs) == mode
    store.close()
    before = file_digest(theirs)
    proc = tandai(seeded_path, "merge", str(theirs))
    assert proc.returncode == 0, proc.stderr
    assert "1 article/annotator pair(s) brought in" in proc.stdout
    assert file_digest(theirs) == before
    if mode == "delete":
        assert no_wal_files(theirs) and journal_mode(theirs) == "delete"
    with Store(seeded_path) as ours:
        assert [s.label for s in ours.spans(seed_ids["000"], "dewi")] == ["GPE"]


def test_merge_from_an_older_schema_upgrades_a_copy_in_memory(seeded_path, seed_ids, store, tmp_path):
    theirs = tmp_path / "older.db"
    copy_database(seeded_path, theirs)
    with Store(theirs) as other:
        other.add_span(seed_ids["000"], "dewi", "entity", "GPE", *_first_token(other, seed_ids["000"]))
    # back to schema 2 (before the outlets' spellings, the journal's sets of rows, the review list's stored rows, the indexes for deleting spans, the merged suggestions' index, the change count, assignments, the start-up
    # counts, the reviewers list and the journal's account), in rollback-journal mode
    with contextlib.closing(sqlite3.connect(str(theirs))) as conn:
        counting = [row[0] for row in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND sql LIKE '%article_changes%'")]
    sql(theirs, *(f"DROP TRIGGER {name}" for name in counting), "DROP TABLE article_changes", "DROP TABLE assignments", "DROP TRIGGER documents_counted_ai", "DROP TRIGGER documents_counted_ad",
        "DROP TABLE counts", "DROP INDEX documents_untagged", "DROP INDEX progress_annotator", "ALTER TABLE documents DROP COLUMN tagged",
        "DROP TABLE reviewers", "ALTER TABLE journal DROP COLUMN account", "ALTER TABLE journal DROP COLUMN uid", "ALTER TABLE journal DROP COLUMN rows",
        "DROP INDEX suggestions_span", "CREATE INDEX suggestions_doc ON suggestions(doc_id, start)",
        "DROP INDEX verdicts_span", "DROP INDEX links_tail", "DROP TABLE review_rows", "DROP TABLE outlets",
        "UPDATE meta SET value = '2' WHERE key = 'schema_version'", "PRAGMA journal_mode = delete")
    store.close()
    before = file_digest(theirs)
    proc = tandai(seeded_path, "merge", str(theirs))
    assert proc.returncode == 0, proc.stderr
    assert file_digest(theirs) == before and no_wal_files(theirs)
    with contextlib.closing(sqlite3.connect(str(theirs))) as conn:
        assert conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone() == ("2",)
    with Store(seeded_path) as ours:
        assert [s.label for s in ours.spans(seed_ids["000"], "dewi")] == ["GPE"]


def _first_token(store: Store, doc_id: str) -> tuple[int, int]:
    return store.get_document(doc_id).tokens[0]


def test_merge_from_another_programs_database_is_refused(store, seeded_path, tmp_path):
    other = tmp_path / "notes.db"
    sql(other, "CREATE TABLE notes (body TEXT)")
    with pytest.raises(TandaiError, match="not a tandai database"):
        merge(store, other, by="rita")
    store.close()
    assert no_wal_files(other) and journal_mode(other) == "delete"


def test_read_only_store_writes_nothing(seeded_path, store, tmp_path):
    copy = rollback_journal_copy(seeded_path, tmp_path / "copy.db")
    store.close()
    before = file_digest(copy)
    with Store(copy, readonly=True) as ro:
        assert ro.count_documents() == 5
        doc_id = ro.document_ids()[0]
        with pytest.raises(sqlite3.OperationalError, match="readonly"):
            ro.add_span(doc_id, "rita", "entity", "GPE", *_first_token(ro, doc_id))
    assert file_digest(copy) == before and no_wal_files(copy)


def test_file_names_with_uri_characters_open_read_only_and_read_write(seeded_path, store, tmp_path):
    """The read-only look opens the file by URI: '#', '?', '%' and spaces in its name are the file's own."""
    odd = copy_database(seeded_path, tmp_path / "data #1 ?x%20 y.db")
    store.close()
    with Store(odd, readonly=True) as ro:
        assert ro.count_documents() == 5
    with Store(odd) as rw:
        assert rw.count_documents() == 5
    assert not (tmp_path / "data ").exists() and sorted(p.name for p in tmp_path.iterdir() if p.suffix == ".db") == [
        "data #1 ?x%20 y.db", "seeded.db"]


def test_a_directory_is_one_line(tmp_path):
    folder = tmp_path / "folder.db"
    folder.mkdir()
    for args in OPENING:
        assert_one_line_error(tandai(folder, *args, cwd=tmp_path), "folder.db", "is a directory")
    assert list(folder.iterdir()) == []


def test_a_file_that_is_not_sqlite_is_one_line(tmp_path):
    db = tmp_path / "notes.db"
    db.write_text("my notes, not a database\n" * 100)
    before = file_digest(db)
    for args in OPENING:
        assert_one_line_error(tandai(db, *args, cwd=tmp_path), "not a tandai database", "not an SQLite file")
    assert file_digest(db) == before and no_wal_files(db)


@pytest.mark.parametrize("value", ["abc", "", "-1", "1.5"])
def test_a_damaged_schema_version_is_one_line(seeded_path, store, value):
    store.close()
    sql(seeded_path, f"UPDATE meta SET value = '{value}' WHERE key = 'schema_version'")
    before = file_digest(seeded_path)
    for args in OPENING[1:]:
        assert_one_line_error(tandai(seeded_path, *args, cwd=seeded_path.parent), "damaged database",
                              f"schema_version is '{value}'")
    assert file_digest(seeded_path) == before


def test_an_empty_file_is_a_new_database(tmp_path):
    db = tmp_path / "empty.db"
    db.touch()
    proc = tandai(db, "import", str(SEEDS_DIR))
    assert proc.returncode == 0, proc.stderr
    assert "5 article(s) added" in proc.stdout
    assert journal_mode(db) == "wal"


@pytest.mark.parametrize("args", [("tag",), ("agreement",), ("export", "prodigy", "-o", "out.jsonl")])
def test_reading_commands_do_not_make_a_database(tmp_path, args):
    for name in ("absent.db", "empty.db"):
        db = tmp_path / name
        if name == "empty.db":
            db.touch()
        assert_one_line_error(tandai(db, *args, cwd=tmp_path), name)
        assert not Path(f"{db}-wal").exists()
    assert not (tmp_path / "absent.db").exists() and (tmp_path / "empty.db").stat().st_size == 0


def damage_tokens(db: Path, doc_id: str, value: str = "not json [") -> None:
    sql(db, f"UPDATE documents SET tokens = '{value}' WHERE id = '{doc_id}'")


@pytest.mark.parametrize("value", ["not json [", '{"a": 1}', "[[1, 2], [3]]", '[["1", 2]]', "7"])
def test_tokens_that_are_not_a_list_of_pairs_are_one_line(seeded_path, store, seed_ids, tmp_path, value):
    doc_id = seed_ids["001"]
    start, end = _first_token(store, doc_id)
    for name in ("ana", "budi"):
        store.add_span(doc_id, name, "entity", "GPE", start, end)
        store.set_status(doc_id, name, "done")
    store.close()
    damage_tokens(seeded_path, doc_id, value)
    for args in (("export", "prodigy", "--annotator", "ana", "-o", "out.jsonl"), ("agreement",)):
        assert_one_line_error(tandai(seeded_path, *args, cwd=tmp_path), f"article {doc_id}",
                              "stored tokens are not a JSON list")
    assert not (tmp_path / "out.jsonl").exists()  # nothing that looks like a complete export
    with Store(seeded_path) as st, pytest.raises(TandaiError, match=f"article {doc_id}: its stored tokens"):
        st.get_document(doc_id)


@pytest.mark.anyio
async def test_an_article_with_damaged_tokens_is_refused_in_the_app(tui_db):
    first, second = doc_ids(tui_db)[:2]
    damage_tokens(tui_db, second)
    app = make_app(tui_db)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await press(pilot, "j", "enter")  # the damaged article, from the list: the list stays
        assert type(app.screen).__name__ == "LibraryScreen"
        shown = " ".join(screen_text(app).replace("▌", " ").split())  # the toast, its border taken off
        assert f"cannot open the article: article {second}: its stored tokens are not a JSON list" in shown
        await press(pilot, "k", "enter")  # the first article opens; n (next) to the damaged one keeps it open
        assert app.screen.doc_id == first
        await press(pilot, "n")
        assert type(app.screen).__name__ == "AnnotateScreen" and app.screen.doc_id == first
        assert "cannot open the article" in status_line(app)
        await press(pilot, "q")
        assert type(app.screen).__name__ == "LibraryScreen"


# The database (or its -wal/-shm) named as something to read or write outside SQLite: an import would
# open() and close() it (the locks go), an export would rename a file over it (the work goes).
OWN_FILE = [("import", "--format", "jsonl", "{db}"), ("import", "--format", "prodigy", "{db}-wal"),
            ("export", "prodigy", "-o", "{db}"), ("export", "spacy", "-o", "{db}"),
            ("export", "prodigy", "-o", "out.jsonl", "--report", "{db}-shm")]


@pytest.mark.parametrize("args", OWN_FILE, ids=lambda a: "-".join(a[:2]) + ("-report" if "--report" in a else ""))
def test_the_database_itself_is_never_an_input_or_output(seeded_path, tmp_path, args):
    with Store(seeded_path):  # holds the -wal and -shm open, as a running annotator does
        before = table_dump(seeded_path, "spans")
        proc = tandai(seeded_path, *(a.format(db=seeded_path) for a in args), cwd=tmp_path)
        assert_one_line_error(proc, "is the database", "itself")
        assert table_dump(seeded_path, "spans") == before
        assert sqlite3_cli(seeded_path, "PRAGMA integrity_check").strip() == "ok"
    assert not (tmp_path / "out.jsonl").exists()
