"""The database as other SQLite tools see it: the search index sqlite-utils and Datasette detect, and the views.

Each check runs the outside tool itself (the ``sqlite-utils`` and ``sqlite3``
command lines, as subprocesses) on a database tandai wrote, and a database in
the first schema's form is migrated with its data kept and its index rebuilt.
"""
from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest

from annotations.schema import MIGRATIONS, SCHEMA_VERSION
from annotations.store import Store

from test_export_helpers import ANNOTATOR, CASE_TEXT, build

needs_sqlite3 = pytest.mark.skipif(shutil.which("sqlite3") is None, reason="the sqlite3 command line is not installed")


def search_cli(db: Path, word: str) -> list[dict]:
    out = subprocess.run(["sqlite-utils", "search", str(db), "documents", word, "-c", "title"],
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


def sqlite3_json(db: Path, sql: str) -> list[dict]:
    out = subprocess.run(["sqlite3", "-json", str(db), sql], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout or "[]")


def titles_with(store: Store, word: str) -> set[str]:
    return {d.title for d in store.list_documents("alice", query=word)}


# -- the search index --------------------------------------------------------------------------------------


def test_sqlite_utils_detects_and_searches_the_index(store, seeded_path):
    import sqlite_utils

    assert sqlite_utils.Database(store.conn)["documents"].detect_fts() == "documents_fts"
    expected = titles_with(store, "Pompeo")
    assert len(expected) == 2
    store.close()
    assert {row["title"] for row in search_cli(seeded_path, "Pompeo")} == expected
    assert search_cli(seeded_path, "tidakadadimanapun") == []


def test_articles_imported_later_and_deleted_are_searched_right(store, seeded_path):
    from annotations.corpus import parse_txt, import_articles

    import_articles(store, [parse_txt("Judul Kupang\n\nBerita dari Kupangtengah tentang gencatan senjata.", "k.txt")])
    assert [d.title for d in store.list_documents("alice", query="Kupangtengah")] == ["Judul Kupang"]
    store.close()
    assert [row["title"] for row in search_cli(seeded_path, "Kupangtengah")] == ["Judul Kupang"]
    conn = sqlite3.connect(seeded_path)  # another tool deletes the article: the trigger keeps the index right
    with conn:
        conn.execute("DELETE FROM documents WHERE title = 'Judul Kupang'")
    conn.close()
    assert search_cli(seeded_path, "Kupangtengah") == []


def _as_first_schema(src: Path, dst: Path) -> None:
    """A database in schema 1's form (its search index declared content='documents') holding ``src``'s rows."""
    conn = sqlite3.connect(dst)
    conn.executescript(MIGRATIONS[0])
    conn.execute("ATTACH DATABASE ? AS src", (str(src),))
    with conn:
        for table in ("meta", "documents", "annotators", "actors", "spans", "links", "progress"):
            cols = ", ".join(f'"{row[1]}"' for row in conn.execute(f"PRAGMA main.table_info({table})"))
            conn.execute(f"INSERT INTO {table}({cols}) SELECT {cols} FROM src.{table}")
        conn.execute("INSERT INTO documents_fts(rowid, title, text) SELECT rowid, title, text FROM documents")
        conn.execute("UPDATE meta SET value = '1' WHERE key = 'schema_version'")
    conn.execute("DETACH DATABASE src")
    conn.close()


def test_a_first_schema_database_is_migrated_with_its_data(tmp_path):
    import sqlite_utils

    build(tmp_path / "new.db", seeds=True, case=False).close()
    old = tmp_path / "old.db"
    _as_first_schema(tmp_path / "new.db", old)
    before = sqlite3_json(old, "SELECT id, label, start, end, text FROM spans ORDER BY id")
    assert sqlite_utils.Database(old)["documents"].detect_fts() is None  # the form the tools missed
    with Store(old) as store:
        assert store.schema_version == SCHEMA_VERSION == len(MIGRATIONS)
        assert store.rows("SELECT id, label, start, end, text FROM spans ORDER BY id") == before
        assert len(titles_with(store, "Pompeo")) == 2 and len(titles_with(store, "lavr")) == 2
        assert store.db["documents"].detect_fts() == "documents_fts"
    assert len(search_cli(old, "Pompeo")) == 2


# -- views -------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def case_db(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("views") / "case.db"
    build(path, seeds=False).close()
    return path


@needs_sqlite3
def test_span_view_has_titles_labels_and_actor_names(case_db):
    rows = sqlite3_json(case_db, "SELECT article_title, annotator, layer, label, text, actor_id, actor_name"
                                 " FROM span_details WHERE layer != 'entity' OR actor_id = 'ARM_MIL' ORDER BY start")
    title = "Serangan ke Stepanakert"
    assert rows == [
        {"article_title": title, "annotator": ANNOTATOR, "layer": "entity", "label": "ORG",
         "text": "Kementerian Pertahanan Armenia", "actor_id": "ARM_MIL", "actor_name": "Armenian armed forces"},
        {"article_title": title, "annotator": ANNOTATOR, "layer": "claim", "label": "ACCUSATION",
         "text": "pasukan Azerbaijan menyerang Stepanakert pada Senin (26/10/2020)", "actor_id": None,
         "actor_name": None},
        {"article_title": title, "annotator": ANNOTATOR, "layer": "event", "label": "ATTACK", "text": "menyerang",
         "actor_id": None, "actor_name": None},
        {"article_title": title, "annotator": ANNOTATOR, "layer": "event", "label": "TERRITORY", "text": "mengungsi",
         "actor_id": None, "actor_name": None},
    ]


@needs_sqlite3
def test_link_view_has_both_ends(case_db):
    rows = sqlite3_json(case_db, "SELECT head_label, head_text, role, argument_label, argument_text,"
                                 " argument_actor_id FROM link_details WHERE head_layer = 'claim' ORDER BY role")
    claim = "pasukan Azerbaijan menyerang Stepanakert pada Senin (26/10/2020)"
    assert [tuple(r.values()) for r in rows] == [
        ("ACCUSATION", claim, "ABOUT", "ATTACK", "menyerang", None),
        ("ACCUSATION", claim, "CLAIMANT", "ORG", "Kementerian Pertahanan Armenia", "ARM_MIL"),
        ("ACCUSATION", claim, "TARGET", "ORG", "pasukan Azerbaijan", "AZE_MIL"),
    ]


@needs_sqlite3
def test_event_view_lists_each_event_with_its_arguments(case_db):
    rows = sqlite3_json(case_db, "SELECT event_type, trigger, role, argument_label, argument_text, argument_actor_id"
                                 " FROM event_arguments ORDER BY start, role")
    assert [tuple(r.values()) for r in rows] == [
        ("ATTACK", "menyerang", "AGENT", "ORG", "pasukan Azerbaijan", "AZE_MIL"),
        ("ATTACK", "menyerang", "PLACE", "GPE", "Stepanakert", None),
        ("ATTACK", "menyerang", "TARGET", "QUANTITY", "5 warga sipil", None),
        ("TERRITORY", "mengungsi", "PLACE", "GPE", "Goris", None),
    ]
    # an event without arguments is still listed, once
    with Store(case_db) as store:
        doc_id = store.find_document_by_text(CASE_TEXT)
        start = CASE_TEXT.index("ditutup")
        span = store.add_span(doc_id, "bob", "event", "THREAT", start, start + len("ditutup"))
    rows = sqlite3_json(case_db, "SELECT event_id, role, argument_id FROM event_arguments WHERE annotator = 'bob'")
    assert rows == [{"event_id": span.id, "role": None, "argument_id": None}]
