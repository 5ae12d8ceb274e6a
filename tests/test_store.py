"""The SQLite store: schema, pragmas, versioning, journal, undo/redo, permissions, concurrency, listing."""
from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from annotations.corpus import import_articles, read_articles
from annotations.errors import PermissionDenied, SchemaTooNewError, TandaiError
from annotations.journal_sets import changes
from annotations.schema import SCHEMA_VERSION
from annotations.store import Store

from conftest import SEEDS_DIR, file_digest

TABLES = ["meta", "documents", "annotators", "actors", "spans", "links", "suggestions", "verdicts",
          "progress", "journal", "documents_fts"]
# Journaled tables and their primary keys.
KEYS = {"spans": ("id",), "links": ("id",), "verdicts": ("suggestion_id", "annotator"),
        "progress": ("doc_id", "annotator")}


def find(store: Store, doc_id: str, word: str, nth: int = 0) -> tuple[int, int]:
    """Offsets of the nth occurrence of ``word`` in the document, checked to be whole tokens."""
    doc = store.get_document(doc_id)
    start = -1
    for _ in range(nth + 1):
        start = doc.text.index(word, start + 1)
    end = start + len(word)
    starts = {s for s, _ in doc.tokens}
    ends = {e for _, e in doc.tokens}
    assert start in starts and end in ends, f"{word!r} is not token-aligned"
    return start, end


def span_rows(path: Path) -> list[tuple]:
    conn = sqlite3.connect(str(path))
    try:
        return conn.execute("SELECT annotator, layer, label, start, end, text FROM spans ORDER BY id").fetchall()
    finally:
        conn.close()


# -- schema, pragmas, versions ----------------------------------------------------------------------


def test_tables_are_plain_and_readable_with_sqlite3(store, seeded_path):
    store.close()
    conn = sqlite3.connect(str(seeded_path))
    names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'view')")}
    assert set(TABLES) <= names
    for table in TABLES:
        conn.execute(f"SELECT * FROM {table} LIMIT 1").fetchall()
    rows = conn.execute("SELECT title, source, published, length(text), tokens FROM documents ORDER BY seq").fetchall()
    conn.close()
    assert [r[1] for r in rows] == ["Liputan6.com", "SINDOnews", "TRIBUNnews", "LancangKuning", None]
    assert all(r[3] > 1000 for r in rows)
    assert all(isinstance(json.loads(r[4])[0], list) for r in rows)


def test_sqlite_utils_cli_counts(store, seeded_path):
    names = store.annotators()
    store.close()
    out = subprocess.run(["sqlite-utils", "tables", str(seeded_path), "--counts"],
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    counts = {row["table"]: row["count"] for row in json.loads(out.stdout)}
    assert counts["documents"] == 5
    assert "gold" in names and counts["annotators"] == len(names)
    assert counts["spans"] == 0
    assert set(TABLES) <= set(counts)


def test_pragmas(store, seeded_path):
    assert store.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert store.conn.execute("PRAGMA busy_timeout").fetchone()[0] >= 5000
    # WAL is a property of the file: a plain connection sees it too.
    conn = sqlite3.connect(str(seeded_path))
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    conn.close()


def test_foreign_keys_are_enforced(store):
    with pytest.raises(sqlite3.IntegrityError):
        with store.transaction():
            store.conn.execute(
                "INSERT INTO spans(doc_id, annotator, layer, label, start, end, text, created_at, updated_at)"
                " VALUES ('nope', 'gold', 'entity', 'PER', 0, 1, 'x', 'now', 'now')")
    assert store.conn.execute("SELECT count(*) FROM spans").fetchone()[0] == 0


def test_schema_version_in_meta(store, seeded_path):
    store.close()
    conn = sqlite3.connect(str(seeded_path))
    meta = dict(conn.execute("SELECT key, value FROM meta"))
    conn.close()
    assert meta["schema_version"] == str(SCHEMA_VERSION)
    assert "tool_version" in meta
    assert "[layers.entity]" in meta["scheme"]


def test_newer_schema_is_refused_and_file_untouched(store, seeded_path):
    store.close()
    conn = sqlite3.connect(str(seeded_path))
    conn.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    conn.commit()
    conn.close()
    before = file_digest(seeded_path)
    with pytest.raises(SchemaTooNewError) as err:
        Store(seeded_path)
    assert "99" in str(err.value)
    assert isinstance(err.value, TandaiError)
    assert file_digest(seeded_path) == before


def test_newer_schema_via_cli_is_one_line(store, seeded_path):
    from click.testing import CliRunner

    from tui.cli import main

    store.close()
    conn = sqlite3.connect(str(seeded_path))
    conn.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    conn.commit()
    conn.close()
    before = file_digest(seeded_path)
    result = CliRunner().invoke(main, ["--db", str(seeded_path), "import", str(SEEDS_DIR)])
    assert result.exit_code == 1
    assert "newer" in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert file_digest(seeded_path) == before


def test_not_a_database_is_a_clear_error(tmp_path):
    path = tmp_path / "notes.db"
    path.write_text("these are my notes, not a database\n" * 10)
    before = file_digest(path)
    with pytest.raises(TandaiError, match="not a tandai database"):
        Store(path)
    assert file_digest(path) == before


def test_fresh_store_has_gold_annotator(db_path):
    with Store(db_path) as st:
        assert st.annotators() == ["gold"]
        assert st.schema_version == SCHEMA_VERSION
    with Store(db_path) as st:  # reopening does not migrate again
        assert st.annotators() == ["gold"]


# -- spans and the journal --------------------------------------------------------------------------


def journal_rows(store: Store, tbl: str = "spans") -> list[dict]:
    return [r for r in store.journal() if r["tbl"] == tbl]


def test_add_update_delete_span_journal(store, seed_ids):
    doc = seed_ids["000"]
    s, e = find(store, doc, "Vladimir Putin")
    span = store.add_span(doc, "alice", "entity", "PER", s, e)
    assert span.text == "Vladimir Putin"
    (row,) = journal_rows(store)
    assert row["before"] is None and row["op"] == "do" and row["action"] == "add_span"
    assert row["annotator"] == "alice" and row["by"] == "alice" and row["doc_id"] == doc
    after = json.loads(row["after"])
    assert (after["id"], after["label"], after["start"], after["end"]) == (span.id, "PER", s, e)
    # the first change moves the article to "doing" in the same batch
    (prog,) = journal_rows(store, "progress")
    assert prog["batch"] == row["batch"] and json.loads(prog["after"])["status"] == "doing"

    store.update_span(span.id, "alice", label="ORG", attrs={"note": "cek"})
    row = journal_rows(store)[-1]
    assert json.loads(row["before"])["label"] == "PER"
    assert json.loads(row["after"])["label"] == "ORG"
    assert json.loads(json.loads(row["after"])["attrs"]) == {"note": "cek"}
    assert store.get_span(span.id).label == "ORG"

    s2, e2 = find(store, doc, "Putin")
    store.update_span(span.id, "alice", start=s2, end=e2)
    assert store.get_span(span.id).text == "Putin"

    store.delete_span(span.id, "alice")
    row = journal_rows(store)[-1]
    assert row["after"] is None and json.loads(row["before"])["id"] == span.id
    assert store.spans(doc) == []
    assert len({r["batch"] for r in store.journal()}) == 4


def test_span_checks(store, seed_ids):
    doc = seed_ids["000"]
    n = len(store.get_document(doc).text)
    with pytest.raises(TandaiError):
        store.add_span(doc, "alice", "entity", "PER", 5, n + 1)
    with pytest.raises(TandaiError):
        store.add_span(doc, "alice", "entity", "PER", 5, 5)
    with pytest.raises(TandaiError, match="unknown label"):
        store.add_span(doc, "alice", "entity", "ATTACK", 0, 7)
    with pytest.raises(TandaiError, match="no article"):
        store.add_span("nope", "alice", "entity", "PER", 0, 7)
    assert store.conn.execute("SELECT count(*) FROM spans").fetchone()[0] == 0
    assert store.journal() == []


def test_undo_redo_chain(store, seed_ids):
    doc = seed_ids["000"]
    a = store.add_span(doc, "alice", "entity", "GPE", *find(store, doc, "Armenia"))
    b = store.add_span(doc, "alice", "entity", "GPE", *find(store, doc, "Azerbaijan"))
    c = store.add_span(doc, "alice", "entity", "PER", *find(store, doc, "Vladimir Putin"))
    store.update_span(c.id, "alice", label="ORG")
    labels = lambda: [(s.text, s.label) for s in store.spans(doc, "alice")]  # noqa: E731
    assert store.undo("alice", doc) == "edit_span"
    assert ("Vladimir Putin", "PER") in labels()
    assert store.undo("alice", doc) == "add_span"
    assert store.undo("alice", doc) == "add_span"
    assert labels() == [("Armenia", "GPE")]
    assert store.redo("alice", doc) == "add_span"
    assert sorted(labels()) == [("Armenia", "GPE"), ("Azerbaijan", "GPE")]
    # a new action clears what could be redone
    store.add_span(doc, "alice", "entity", "GPE", *find(store, doc, "AS"))
    assert store.redo("alice", doc) is None
    assert sorted(labels()) == [("AS", "GPE"), ("Armenia", "GPE"), ("Azerbaijan", "GPE")]
    # undo everything, then nothing more to undo; the ids come back on redo
    for _ in range(3):
        assert store.undo("alice", doc)
    assert store.undo("alice", doc) is None
    assert labels() == []
    assert store.redo("alice", doc) == "add_span"
    assert [s.id for s in store.spans(doc, "alice")] == [a.id]
    assert b.id != a.id


def test_undo_is_per_annotator(store, seed_ids):
    doc = seed_ids["000"]
    store.add_span(doc, "alice", "entity", "GPE", *find(store, doc, "Armenia"))
    store.add_span(doc, "bob", "entity", "GPE", *find(store, doc, "Azerbaijan"))
    assert store.undo("alice", doc) == "add_span"
    assert [s.text for s in store.spans(doc)] == ["Azerbaijan"]
    assert store.undo("alice", doc) is None


def test_undo_after_reopening(seeded_path):
    with Store(seeded_path) as st:
        doc = st.document_ids()[0]
        st.add_span(doc, "alice", "entity", "GPE", *find(st, doc, "Armenia"))
        st.add_span(doc, "alice", "entity", "GPE", *find(st, doc, "Azerbaijan"))
    with Store(seeded_path) as st:
        assert st.undo("alice", doc) == "add_span"
    assert [r[5] for r in span_rows(seeded_path)] == ["Armenia"]
    with Store(seeded_path) as st:
        assert st.redo("alice", doc) == "add_span"
    assert [r[5] for r in span_rows(seeded_path)] == ["Armenia", "Azerbaijan"]


# -- permissions -------------------------------------------------------------------------------------


def test_other_annotator_cannot_change_a_span(store, seed_ids):
    doc = seed_ids["000"]
    span = store.add_span(doc, "alice", "entity", "GPE", *find(store, doc, "Armenia"))
    with pytest.raises(PermissionDenied):
        store.update_span(span.id, "bob", label="ORG")
    with pytest.raises(PermissionDenied):
        store.update_span(span.id, "alice", by="bob", label="ORG")
    with pytest.raises(PermissionDenied):
        store.delete_span(span.id, "bob")
    with pytest.raises(PermissionDenied):
        store.delete_span(span.id, "alice", by="bob")
    with pytest.raises(PermissionDenied):
        store.add_span(doc, "alice", "entity", "GPE", *find(store, doc, "Azerbaijan"), by="bob")
    with pytest.raises(PermissionDenied):
        store.undo("alice", doc, by="bob")
    assert [(s.annotator, s.label) for s in store.spans(doc)] == [("alice", "GPE")]
    assert len(store.journal()) == 2  # the span and alice's progress row, nothing more


def test_gold_needs_a_reviewer(store, seed_ids):
    doc = seed_ids["000"]
    s, e = find(store, doc, "Armenia")
    with pytest.raises(PermissionDenied):
        store.add_span(doc, "gold", "entity", "GPE", s, e)
    with pytest.raises(PermissionDenied):
        store.add_span(doc, "gold", "entity", "GPE", s, e, by="gold")
    with pytest.raises(PermissionDenied):
        store.ensure_annotator("gold", "human")
    assert store.spans(doc) == []
    span = store.add_span(doc, "gold", "entity", "GPE", s, e, by="rita")
    assert span.annotator == "gold"
    assert store.journal()[-1]["by"] == "rita"
    with pytest.raises(PermissionDenied):
        store.delete_span(span.id, "gold")
    store.delete_span(span.id, "gold", by="rita")
    assert store.spans(doc) == []


# -- suggestions and verdicts ------------------------------------------------------------------------


def add_suggestions(store: Store, doc: str) -> list[int]:
    rows = [("entity", "GPE", *find(store, doc, "Armenia"), None),
            ("entity", "GPE", *find(store, doc, "Azerbaijan"), None),
            ("entity", "PER", *find(store, doc, "Vladimir Putin"), 0.9)]
    assert store.replace_suggestions("tandai-rules", {doc: rows}) == 3
    return [g.id for g in store.suggestions(doc)]


def test_accept_and_reject_suggestions(store, seed_ids):
    doc = seed_ids["000"]
    a, b, c = add_suggestions(store, doc)
    spans = store.accept_suggestions([a, c], "alice")
    assert [s.text for s in spans] == ["Armenia", "Vladimir Putin"]
    assert spans[0].origin == {"suggestion": a, "model": "tandai-rules"}
    store.reject_suggestion(b, "alice")
    verdicts = store.conn.execute(
        "SELECT suggestion_id, annotator, verdict, span_id FROM verdicts ORDER BY suggestion_id").fetchall()
    assert verdicts == [(a, "alice", "accepted", spans[0].id), (b, "alice", "rejected", None),
                        (c, "alice", "accepted", spans[1].id)]
    assert {g.id: g.verdict for g in store.suggestions(doc, "alice")} == {a: "accepted", b: "rejected", c: "accepted"}
    assert store.suggestions(doc, "alice", open_only=True) == []
    assert len(store.suggestions(doc, "bob", open_only=True)) == 3  # bob has not answered
    # suggestions never become anyone's spans by themselves
    assert store.spans(doc, "tandai-rules") == []
    # accepting two is one undo step
    journal = store.journal()
    accept_batch = {r["batch"] for r in journal if r["action"] == "accept_all"}
    assert len(accept_batch) == 1
    assert store.undo("alice", doc) == "reject"
    assert store.undo("alice", doc) == "accept_all"
    assert store.spans(doc) == []
    assert store.conn.execute("SELECT count(*) FROM verdicts").fetchone()[0] == 0


def test_deleting_an_accepted_suggestion_rejects_it(store, seed_ids):
    doc = seed_ids["000"]
    a, _, _ = add_suggestions(store, doc)
    (span,) = store.accept_suggestions([a], "alice")
    store.delete_span(span.id, "alice")
    row = store.conn.execute("SELECT verdict, span_id FROM verdicts WHERE suggestion_id = ?", (a,)).fetchone()
    assert row == ("rejected", None)
    assert store.undo("alice", doc) == "delete_span"
    row = store.conn.execute("SELECT verdict, span_id FROM verdicts WHERE suggestion_id = ?", (a,)).fetchone()
    assert row == ("accepted", span.id)


def test_retagging_keeps_answered_suggestions(store, seed_ids):
    doc = seed_ids["000"]
    a, b, c = add_suggestions(store, doc)
    store.reject_suggestion(b, "alice")
    # the model now suggests only Azerbaijan and something new
    rows = [("entity", "GPE", *find(store, doc, "Azerbaijan"), None), ("entity", "GPE", *find(store, doc, "AS"), None)]
    assert store.replace_suggestions("tandai-rules", {doc: rows}) == 1
    ids = [g.id for g in store.suggestions(doc, "alice")]
    assert b in ids and a not in ids and c not in ids
    assert {g.id: g.verdict for g in store.suggestions(doc, "alice")}[b] == "rejected"


# -- journal replay ----------------------------------------------------------------------------------


def replay(store: Store) -> dict[str, list[tuple]]:
    """Apply every journal row, in order, to empty copies of the journaled tables."""
    mem = sqlite3.connect(":memory:")
    for table in KEYS:
        (sql,) = store.conn.execute("SELECT sql FROM sqlite_master WHERE name = ?", (table,)).fetchone()
        mem.execute(sql)  # foreign keys are off on this connection: only the rows matter
    for row in store.journal():
        if row["tbl"] not in KEYS:
            continue
        table, key = row["tbl"], KEYS[row["tbl"]]
        for before, after in changes(row):  # one table row's change, or each of a set's
            if before is not None:
                where = " AND ".join(f'"{k}" = ?' for k in key)
                cur = mem.execute(f"DELETE FROM {table} WHERE {where}", [before[k] for k in key])
                assert cur.rowcount == 1, f"journal row {row['id']}: the row it changes is not there"
            if after is not None:
                cols = ", ".join(f'"{c}"' for c in after)
                mem.execute(f"INSERT INTO {table} ({cols}) VALUES ({', '.join('?' for _ in after)})",
                            list(after.values()))
    return {t: mem.execute(f"SELECT * FROM {t} ORDER BY {', '.join(KEYS[t])}").fetchall() for t in KEYS}


def test_journal_replays_to_the_live_tables(store, seed_ids):
    d0, d3 = seed_ids["000"], seed_ids["003"]
    sug = add_suggestions(store, d0)
    event = store.add_span(d0, "alice", "event", "CEASEFIRE", *find(store, d0, "gencatan senjata"))
    arm = store.add_span(d0, "alice", "entity", "GPE", *find(store, d0, "Armenia"))
    aze = store.add_span(d0, "alice", "entity", "GPE", *find(store, d0, "Azerbaijan"))
    store.add_link(event.id, arm.id, "PARTICIPANT", "alice")
    store.add_link(event.id, aze.id, "PARTICIPANT", "alice")
    store.update_span(aze.id, "alice", attrs={"note": "x"}, label="NORP")
    store.delete_span(arm.id, "alice")  # takes its link with it
    store.accept_suggestions(sug[1:], "alice")
    store.reject_suggestion(sug[0], "bob")
    store.accept_suggestions([sug[0]], "carol")
    store.delete_span(store.spans(d0, "carol")[0].id, "carol")
    store.add_span(d3, "bob", "claim", "DEMAND", *find(store, d3, "mendesak"))
    store.add_span(d3, "gold", "entity", "PER", *find(store, d3, "Mike Pompeo"), by="rita")
    store.set_status(d0, "alice", "done")
    store.set_status(d3, "bob", "flagged")
    store.undo("alice", d0)
    store.undo("alice", d0)
    store.redo("alice", d0)
    store.undo("bob", d3)
    store.undo("bob", d3)
    store.redo("bob", d3)
    store.add_span(d0, "alice", "entity", "PER", *find(store, d0, "Suleymanov"))

    replayed = replay(store)
    for table, key in KEYS.items():
        live = store.conn.execute(f"SELECT * FROM {table} ORDER BY {', '.join(key)}").fetchall()
        assert replayed[table] == live, table
    assert replayed["links"] and replayed["verdicts"] and replayed["spans"] and replayed["progress"]


# -- two processes at once -----------------------------------------------------------------------------

WRITER = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    from annotations.store import Store
    db, name, go, n = sys.argv[1], sys.argv[2], Path(sys.argv[3]), int(sys.argv[4])
    store = Store(db)
    doc = store.document_ids()[0]
    ends = [e for _, e in store.get_document(doc).tokens]
    (go.parent / f"ready-{name}").touch()
    while not go.exists():
        time.sleep(0.002)
    for i in range(n):
        store.add_span(doc, name, "entity", ("GPE", "PER", "ORG", "LOC")[i // 50 % 4], 0, ends[i % 50], attrs={"i": i})
    store.close()
    print("ok", name)
""")


def test_two_processes_write_at_once(store, seeded_path, tmp_path):
    store.close()
    go = tmp_path / "go"
    procs = [
        subprocess.Popen([sys.executable, "-c", WRITER, str(seeded_path), name, str(go), "200"],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for name in ("alice", "bob")
    ]
    deadline = time.monotonic() + 60
    while not all((tmp_path / f"ready-{n}").exists() for n in ("alice", "bob")):  # both opened the database
        assert time.monotonic() < deadline and all(p.poll() is None for p in procs), "a writer did not start"
        time.sleep(0.01)
    go.touch()
    results = [p.communicate(timeout=120) for p in procs]
    for p, (out, err) in zip(procs, results):
        assert p.returncode == 0, err
        assert "locked" not in err
        assert out.startswith("ok")
    conn = sqlite3.connect(str(seeded_path))
    counts = dict(conn.execute("SELECT annotator, count(*) FROM spans GROUP BY annotator"))
    attrs = {(a, json.loads(x)["i"]) for a, x in conn.execute("SELECT annotator, attrs FROM spans")}
    batches = conn.execute("SELECT count(DISTINCT batch) FROM journal").fetchone()[0]
    conn.close()
    assert counts == {"alice": 200, "bob": 200}
    assert len(attrs) == 400
    assert batches == 400  # every action got its own batch number, none shared across processes


# -- documents -------------------------------------------------------------------------------------------


def test_importing_twice_adds_nothing(store):
    before = store.conn.execute("SELECT id, seq FROM documents ORDER BY seq").fetchall()
    assert import_articles(store, read_articles([str(SEEDS_DIR)])) == (0, 5)
    assert store.conn.execute("SELECT id, seq FROM documents ORDER BY seq").fetchall() == before
    max_seq = before[-1][1]
    # a new article after a re-import continues the order without gaps
    from annotations.corpus import parse_txt

    assert import_articles(store, [parse_txt("Artikel baru tentang Armenia.", "x.txt")]) == (1, 0)
    assert store.conn.execute("SELECT max(seq) FROM documents").fetchone()[0] == max_seq + 1


def test_list_documents_fts_and_status(store, seed_ids):
    order = [seed_ids[k] for k in ("000", "001", "002", "003", "004")]
    assert [d.id for d in store.list_documents("alice")] == order
    assert [d.id for d in store.list_documents("alice", limit=2, offset=1)] == order[1:3]
    assert {d.id for d in store.list_documents("alice", query="Pompeo")} == {seed_ids["000"], seed_ids["003"]}
    assert {d.id for d in store.list_documents("alice", query="Lavrov")} == {seed_ids["002"], seed_ids["004"]}
    assert {d.id for d in store.list_documents("alice", query="pomp")} == {seed_ids["000"], seed_ids["003"]}
    assert {d.id for d in store.list_documents("alice", query="Lancangkuning")} == {seed_ids["003"]}
    assert store.list_documents("alice", query="tidakadadimanapun") == []
    # punctuation in a query is not FTS syntax
    assert store.list_documents("alice", query='"Armenia.(Baca" AND* -') is not None
    # an underscore splits words for the index too: "Pompeo_Lavrov" is two words, both required
    both = ({d.id for d in store.list_documents("alice", query="Pompeo")}
            & {d.id for d in store.list_documents("alice", query="Lavrov")})
    assert {d.id for d in store.list_documents("alice", query="Pompeo_Lavrov")} == both
    # titles are searched too
    assert [d.id for d in store.list_documents("alice", query="Sepakati Gencatan")] == [seed_ids["000"]]

    store.set_status(seed_ids["001"], "alice", "done")
    store.set_status(seed_ids["003"], "alice", "flagged")
    store.add_span(seed_ids["004"], "alice", "entity", "GPE", *find(store, seed_ids["004"], "Armenia"))
    assert [d.id for d in store.list_documents("alice", status="done")] == [seed_ids["001"]]
    assert [d.id for d in store.list_documents("alice", status="flagged")] == [seed_ids["003"]]
    assert [d.id for d in store.list_documents("alice", status="todo")] == [seed_ids[k] for k in ("000", "002")]
    rows = {d.id: d for d in store.list_documents("alice")}
    assert rows[seed_ids["004"]].status == "doing" and rows[seed_ids["004"]].spans == 1
    assert [d.status for d in store.list_documents("bob")] == ["todo"] * 5
    assert [d.id for d in store.list_documents("alice", status="done", query="Moskow")] == [seed_ids["001"]]
    assert store.status_counts("alice") == {"todo": 2, "doing": 1, "done": 1, "skipped": 0, "flagged": 1}
    summary = rows[seed_ids["000"]]
    assert summary.title.startswith("Konflik Nagorno-Karabakh") and summary.published == "2020-10-26"


def test_next_todo(store, seed_ids):
    ids = [seed_ids[k] for k in ("000", "001", "002", "003", "004")]
    assert store.next_todo("alice") == ids[0]
    store.set_status(ids[0], "alice", "done")
    assert store.next_todo("alice") == ids[1]
    assert store.next_todo("alice", after=ids[1]) == ids[2]
    store.set_status(ids[2], "alice", "skipped")
    assert store.next_todo("alice", after=ids[1]) == ids[3]
    # "doing" is still to do; after the last article it wraps round
    store.add_span(ids[1], "alice", "entity", "GPE", *find(store, ids[1], "Armenia"))
    assert store.next_todo("alice", after=ids[4]) == ids[1]
    for doc in ids:
        store.set_status(doc, "alice", "done")
    assert store.next_todo("alice") is None
    assert store.next_todo("alice", after=ids[2]) is None
    assert store.next_todo("bob") == ids[0]


def test_a_commit_that_fails_leaves_no_transaction_open(store, seed_ids):
    """SQLite keeps a transaction open when its COMMIT fails (here a foreign key checked at commit):
    the store ends it, so the next write is a transaction of its own, not part of a broken one."""
    doc = seed_ids["000"]
    with pytest.raises(sqlite3.IntegrityError):
        with store.transaction():
            store.conn.execute("PRAGMA defer_foreign_keys = ON")
            store.conn.execute("INSERT INTO progress(doc_id, annotator, status, updated_at)"
                               " VALUES ('no such article', 'alice', 'todo', 'now')")
    assert not store.conn.in_transaction
    store.add_span(doc, "alice", "entity", "GPE", *find(store, doc, "Armenia"))
    with Store(store.path) as other:  # committed: another connection sees it
        assert [s.text for s in other.spans(doc, "alice")] == ["Armenia"]


def test_actor_registry_entries_are_checked_against_the_scheme(store):
    from annotations.records import Actor

    with pytest.raises(TandaiError, match="not one of the scheme's: STATE_GOV"):
        store.add_actor(Actor("X_GOV", "X", category="GOVERNMENT"), "alice")
    with pytest.raises(TandaiError, match="ISO 3166"):
        store.add_actor(Actor("X_GOV", "X", category="STATE_GOV", country="arm"), "alice")
    store.add_actor(Actor("X_GOV", "X", category="STATE_GOV", country="ARM"), "alice")
    with pytest.raises(TandaiError, match="needs an id and a name"):
        store.update_actor(Actor("X_GOV", "  "), "alice")
    store.update_actor(Actor("X_GOV", "Government of X", "STATE_GOV", None, ("X",)), "alice")
    assert store.actor("X_GOV") == Actor("X_GOV", "Government of X", "STATE_GOV", None, ("X",))
    assert [r["action"] for r in store.journal() if r["tbl"] == "actors"] == ["add_actor", "edit_actor"]
