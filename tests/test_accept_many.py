"""Y on an article with 5,000 suggestions, then u and ctrl+r: every row in the database, each
journaled (so undo and redo work), written with a few statements whatever the number of rows."""
from __future__ import annotations

import json
import sqlite3

import pytest

from annotations.corpus import Article, import_articles
from annotations.errors import TandaiError
from annotations.journal_sets import changes
from annotations.schema import SCHEMA_VERSION
from annotations.store import Store
from test_store import KEYS, replay
from test_tui_redraw import drawn, held
from tui_fixtures import (ANNOTATOR, document_lines, isolated_config, make_app, press, query,  # noqa: F401
                         screen_text, status_line)

pytestmark = pytest.mark.anyio
MANY = 5000


@pytest.fixture
def many_db(tmp_path):
    """One article of 6,000 words, with a suggestion on each of its first 5,000 words."""
    path = tmp_path / "many.db"
    words = [f"Kata{n}" for n in range(6000)]
    with Store(path) as store:
        import_articles(store, [Article(text=" ".join(words), title="Banyak saran")])
        (doc,) = store.document_ids()
        rows, start = [], 0
        for word in words[:MANY]:
            rows.append(("entity", "PER", start, start + len(word), None))
            start += len(word) + 1
        store.replace_suggestions("test-model", {doc: rows})
    return path


def counts(db) -> tuple[int, int]:
    return (query(db, "SELECT count(*) FROM spans WHERE annotator = ?", (ANNOTATOR,))[0][0],
            query(db, "SELECT count(*) FROM verdicts WHERE annotator = ? AND verdict = 'accepted'", (ANNOTATOR,))[0][0])


def tags_drawn(app) -> int:
    """How many ``[PER]`` tags the article view draws over all its lines (accepted spans carry one)."""
    return sum(line.count("[PER]") for line in document_lines(app))


async def test_accept_all_then_undo_and_redo_5000(many_db, monkeypatch):
    app = make_app(many_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, "enter")
        assert tags_drawn(app) == 0  # open suggestions are drawn without a tag in full colour
        reads: list[str] = []
        for name in ("span_outlines", "open_suggestion_outlines"):
            monkeypatch.setattr(app.store, name, lambda *args, _name=name, _real=getattr(app.store, name), **part:
                                reads.append(_name) or _real(*args, **part))
        opened = drawn(app)
        await press(pilot, "Y")
        assert f"accepted {MANY}" in status_line(app)
        assert reads == []  # drawn from what the write returned: the marks are not read again
        shown, kept = drawn(app), held(app)
        app.screen.reload()
        assert drawn(app) == shown  # as a full read draws them
        held(app, kept)
        reads.clear()  # the check's own
        await press(pilot, "u")  # right after Y: what was drawn before it is drawn again, read from nowhere
        assert reads == [] and drawn(app) == opened and "undid accept_all" in status_line(app)
        assert counts(many_db) == (0, 0)
        app.screen.reload()
        assert drawn(app) == opened
        await press(pilot, "ctrl+r")
        assert counts(many_db) == (MANY, MANY)
        texts = query(many_db, "SELECT text, json_extract(origin, '$.model') FROM spans ORDER BY start LIMIT 2")
        assert texts == [("Kata0", "test-model"), ("Kata1", "test-model")]
        # each span is its suggestion's text, and each verdict points at the span made from its suggestion
        assert query(many_db, "SELECT count(*) FROM spans s JOIN documents d ON d.id = s.doc_id JOIN verdicts v"
                              " ON v.span_id = s.id JOIN suggestions g ON g.id = v.suggestion_id"
                              " WHERE s.text = substr(d.text, s.start + 1, s.end - s.start) AND g.start = s.start"
                              " AND g.end = s.end AND json_extract(s.origin, '$.suggestion') = g.id")[0][0] == MANY
        assert "Kata0[PER]" in screen_text(app) and tags_drawn(app) == MANY  # every accepted span, drawn
        await press(pilot, "u")
        assert counts(many_db) == (0, 0)
        assert tags_drawn(app) == 0 and query(many_db, "SELECT count(*) FROM suggestions g WHERE NOT EXISTS"
                                              " (SELECT 1 FROM verdicts v WHERE v.suggestion_id = g.id)")[0][0] == MANY
        await press(pilot, "ctrl+r")
        assert counts(many_db) == (MANY, MANY)
        assert tags_drawn(app) == MANY
        await press(pilot, "u")
        assert counts(many_db) == (0, 0)
    # every row, each way: each step journals its spans and its verdicts as one set of MANY rows each
    journal = query(many_db, "SELECT op, tbl, count(*), sum(rows) FROM journal WHERE tbl IN ('spans', 'verdicts')"
                             " GROUP BY op, tbl ORDER BY op, tbl")
    assert journal == [("do", "spans", 1, MANY), ("do", "verdicts", 1, MANY), ("redo", "spans", 2, 2 * MANY),
                       ("redo", "verdicts", 2, 2 * MANY), ("undo", "spans", 3, 3 * MANY),
                       ("undo", "verdicts", 3, 3 * MANY)]
    # the journal holds each row as it was: what the first Y wrote is what the first u took away
    (do_batch, undo_batch) = [b for (b,) in query(many_db, "SELECT DISTINCT batch FROM journal WHERE tbl = 'spans'"
                                                            " ORDER BY batch LIMIT 2")]
    written, taken = ([change for row in journal_rows(many_db, batch, "spans") for change in changes(row)]
                      for batch in (do_batch, undo_batch))
    assert len(written) == MANY and sorted(after["id"] for _, after in written) == sorted(
        before["id"] for before, _ in taken)
    assert sorted(written, key=lambda c: c[1]["id"]) == sorted(((None, b) for b, _ in taken), key=lambda c: c[1]["id"])
    # undone, the spans' ids went back to no one; redone, the same rows (ids too) are back
    ((redo_batch,),) = query(many_db, "SELECT min(batch) FROM journal WHERE tbl = 'spans' AND op = 'redo'")
    assert sorted(a["id"] for row in journal_rows(many_db, redo_batch, "spans") for _, a in changes(row)) == sorted(
        after["id"] for _, after in written)


def journal_rows(db, batch: int, tbl: str) -> list[dict]:
    cols = ("id", "tbl", "row_id", "before", "after", "rows")
    return [dict(zip(cols, row)) for row in query(db, f"SELECT {', '.join(cols)} FROM journal WHERE batch = ? AND"
                                                      " tbl = ? ORDER BY id", (batch, tbl))]


def test_accepting_into_gold_names_the_reviewer_and_every_model(many_db):
    """The batched accept writes the origin the one-by-one path wrote: the first model's row and model,
    every model when several proposed the span, and the reviewer on a gold span."""
    with Store(many_db) as store:
        (doc,) = store.document_ids()
        first, second = store.suggestions(doc)[:2]
        store.replace_suggestions("other-model", {doc: [("entity", "PER", second.start, second.end, None)]})
        spans = store.accept_suggestions([second.id, first.id], "gold", by="rita")
        assert [(s.text, s.origin) for s in spans] == [
            ("Kata1", {"suggestion": second.id, "model": "test-model", "models": ["test-model", "other-model"],
                       "reviewer": "rita"}),
            ("Kata0", {"suggestion": first.id, "model": "test-model", "reviewer": "rita"}),
        ]
        assert {g.id: g.verdict for g in store.suggestions(doc, "gold")[:2]} == {first.id: "accepted",
                                                                                 second.id: "accepted"}
        assert len(query(many_db, "SELECT * FROM verdicts WHERE annotator = 'gold'")) == 3  # both models' rows


def test_accept_is_a_few_statements_not_one_per_row(many_db):
    with Store(many_db) as store:
        (doc,) = store.document_ids()
        # 500: enough to tell a statement per row, few enough for the trace (Python's sqlite3 expands the
        # whole statement, its JSON parameter too, for every row a trigger or a foreign key acts on)
        ids = [g.id for g in store.suggestions(doc)][:500]
        statements = []
        store.conn.set_trace_callback(statements.append)
        assert len(store.accept_suggestions(ids, ANNOTATOR)) == 500
        assert counts(many_db) == (500, 500)
        store.undo(ANNOTATOR, doc)
        store.conn.set_trace_callback(None)
        assert counts(many_db) == (0, 0)
    # the store sends a few statements whatever the number of rows (SQLite traces a DELETE again for each
    # row its foreign keys cascade to, so distinct statements are counted)
    assert len(set(statements)) < 40, len(set(statements))
    assert len([s for s in statements if s.lstrip().upper().startswith(("SELECT", "WITH"))]) < 20


def test_accepting_what_is_labelled_already_gives_that_span(many_db):
    """A suggestion the annotator labelled by hand: accepting it answers it with the hand-made span, and
    that span is what accepting returns (linking from a suggestion takes it), not nothing."""
    with Store(many_db) as store:
        (doc,) = store.document_ids()
        first, second = store.suggestions(doc)[:2]
        hand = store.add_span(doc, ANNOTATOR, "entity", "PER", first.start, first.end)
        spans = store.accept_suggestions([first.id, second.id], ANNOTATOR)
        assert [s.id for s in spans][0] == hand.id and [s.text for s in spans] == ["Kata0", "Kata1"]
        assert len(store.accept_many([store.suggestions(doc)[2].id], ANNOTATOR)) == 1
    assert counts(many_db) == (3, 3)


def as_before_sets(db) -> None:
    """Rewrite the database as schema 10 left it: each set in the journal as one classic row per table
    row (its key, its JSON object), in the same order, and no ``rows`` column."""
    keys = {"spans": ("id",), "verdicts": ("suggestion_id", "annotator")}
    head = "batch, op, ref, action, annotator, by, doc_id, tbl, at, account, uid"
    conn = sqlite3.connect(str(db))
    try:
        with conn:
            sets = [dict(zip(("id", "before", "after", "rows", "tbl"), row)) for row in conn.execute(
                "SELECT id, before, after, rows, tbl FROM journal WHERE rows IS NOT NULL ORDER BY id")]
            for found in sets:
                for before, after in changes(found):
                    whole = before or after
                    conn.execute(f"INSERT INTO journal({head}, row_id, before, after) SELECT {head}, ?, ?, ?"
                                 " FROM journal WHERE id = ?",
                                 (json.dumps([whole[k] for k in keys[found["tbl"]]]),
                                  before and json.dumps(before, ensure_ascii=False),
                                  after and json.dumps(after, ensure_ascii=False), found["id"]))
                conn.execute("DELETE FROM journal WHERE id = ?", (found["id"],))
            conn.execute("ALTER TABLE journal DROP COLUMN rows")
            conn.execute("DROP TABLE outlets")  # schema 12's
            conn.execute("UPDATE meta SET value = '10' WHERE key = 'schema_version'")
    finally:
        conn.close()


def test_a_journal_from_before_sets_still_undoes(many_db):
    """Y journaled a row at a time by an older tandai: the database is upgraded, and u and ctrl+r take
    the 5,000 spans back and bring them again; the journal still replays to the tables."""
    with Store(many_db) as store:
        (doc,) = store.document_ids()
        assert len(store.accept_many([g.id for g in store.suggestions(doc)], ANNOTATOR)) == MANY
    as_before_sets(many_db)
    assert query(many_db, "SELECT count(*) FROM journal WHERE tbl = 'spans'") == [(MANY,)]
    with Store(many_db) as store:
        assert store.schema_version == SCHEMA_VERSION
        assert store.undo(ANNOTATOR, doc) == "accept_all"
        assert counts(many_db) == (0, 0) and len(store.suggestions(doc, ANNOTATOR, open_only=True)) == MANY
        assert store.redo(ANNOTATOR, doc) == "accept_all"
        assert counts(many_db) == (MANY, MANY)
        replayed = replay(store)
        for table, key in KEYS.items():
            assert replayed[table] == store.conn.execute(f"SELECT * FROM {table} ORDER BY {', '.join(key)}").fetchall()
    # the undo and redo wrote sets: one journal row per table each
    assert query(many_db, "SELECT op, count(*) FROM journal WHERE tbl = 'spans' GROUP BY op ORDER BY op") == [
        ("do", MANY), ("redo", 1), ("undo", 1)]


def table_rows(store: Store, table: str) -> list[dict]:
    return store.rows(f"SELECT * FROM {table} WHERE annotator = ? ORDER BY {', '.join(KEYS[table])}", (ANNOTATOR,))


def made_again(statements: list[str]) -> list[str]:
    """Which of spans and verdicts a journal set was made from (JSON made in SQLite), in these statements."""
    return [table for table in ("spans", "verdicts") for s in statements
            if "json_group_array" in s and f"FROM {table} t " in s]


def undone_rows(store: Store) -> dict[str, list[dict]]:
    """Each table's rows as the last batch (an undo) journaled them going, in key order."""
    taken: dict[str, list[dict]] = {}
    for row in store.rows("SELECT tbl, before, after, rows FROM journal WHERE batch = ? ORDER BY id", (store.last_batch,)):
        taken.setdefault(row["tbl"], []).extend(before for before, _ in changes(row))
    return {table: sorted(rows, key=lambda r: [r[k] for k in KEYS[table]]) for table, rows in taken.items()}


def test_undo_journals_the_rows_it_takes_back_as_they_were(many_db):
    """u after Y copies the sets Y journaled (it makes no JSON of 5,000 rows again), and what it journals
    is every row it deleted, as the table held it."""
    with Store(many_db) as store:
        (doc,) = store.document_ids()
        store.accept_many([g.id for g in store.suggestions(doc)], ANNOTATOR)
        held = {table: table_rows(store, table) for table in ("spans", "verdicts")}
        statements: list[str] = []
        store.conn.set_trace_callback(statements.append)
        assert store.undo(ANNOTATOR, doc) == "accept_all"
        store.conn.set_trace_callback(None)
        assert not made_again(statements)
        taken = undone_rows(store)
        assert taken["spans"] == held["spans"] and taken["verdicts"] == held["verdicts"]
        assert len(held["spans"]) == len(held["verdicts"]) == MANY
        assert (table_rows(store, "spans"), table_rows(store, "verdicts")) == ([], [])
        replayed = replay(store)
        for table, key in KEYS.items():
            assert replayed[table] == store.conn.execute(f"SELECT * FROM {table} ORDER BY {', '.join(key)}").fetchall()


def test_undo_after_re_tagging_journals_the_verdicts_that_are_left(many_db):
    """Re-tagging without one suggestion deletes its verdict (outside the journal): undoing Y then journals
    the 4,999 verdicts there, made from the table, and redo brings back those."""
    with Store(many_db) as store:
        (doc,) = store.document_ids()
        suggested = store.suggestions(doc)
        store.accept_many([g.id for g in suggested], ANNOTATOR)
        store.replace_suggestions("test-model", {doc: [(g.layer, g.label, g.start, g.end, g.score)
                                                       for g in suggested[1:]]})
        held = {table: table_rows(store, table) for table in ("spans", "verdicts")}
        assert len(held["verdicts"]) == MANY - 1
        statements: list[str] = []
        store.conn.set_trace_callback(statements.append)
        store.undo(ANNOTATOR, doc)
        store.conn.set_trace_callback(None)
        assert made_again(statements) == ["verdicts"]  # their set made from the rows there
        taken = undone_rows(store)
        assert taken["spans"] == held["spans"] and taken["verdicts"] == held["verdicts"]
        assert store.redo(ANNOTATOR, doc) == "accept_all"
        assert (table_rows(store, "spans"), table_rows(store, "verdicts")) == (held["spans"], held["verdicts"])


def test_redo_refuses_a_row_that_is_there_again(many_db):
    """A span another program wrote back after u: ctrl+r says which row is there again and writes nothing."""
    with Store(many_db) as store:
        (doc,) = store.document_ids()
        store.accept_many([g.id for g in store.suggestions(doc)], ANNOTATOR)
        store.undo(ANNOTATOR, doc)
        first = undone_rows(store)["spans"][0]
        journaled = query(many_db, "SELECT count(*) FROM journal")
        conn = sqlite3.connect(str(many_db))
        try:
            with conn:
                conn.execute(f"INSERT INTO spans ({', '.join(first)}) VALUES ({', '.join('?' * len(first))})",
                             list(first.values()))
        finally:
            conn.close()
        with pytest.raises(TandaiError, match=f"^spans row {first['id']} is there again"):
            store.redo(ANNOTATOR, doc)
    assert counts(many_db) == (1, 0) and query(many_db, "SELECT count(*) FROM journal") == journaled


@pytest.mark.parametrize("model", ['say "hi"', "back\\slash", "line\nbreak\ttab", "bell\x07", "Ünïcode 模型",
                                   "line\u2028separator", "del\x7f"])
def test_an_accepted_span_names_its_model_as_one_accepted_alone_would(tmp_path, model):
    """The origin SQL writes for thousands at once is the JSON one span's origin has, whatever the model's name."""
    path = tmp_path / "model.db"
    with Store(path) as store:
        import_articles(store, [Article(text="Kata0 Kata1 Kata2 Kata3", title="Nama model")])
        (doc,) = store.document_ids()
        store.replace_suggestions(model, {doc: [("entity", "PER", 6 * n, 6 * n + 5, None) for n in range(3)]})
        ids = [g.id for g in store.suggestions(doc)]
        assert list(store.accept_many(ids, ANNOTATOR)) == ids
        origins = [row[0] for row in store.conn.execute("SELECT origin FROM spans ORDER BY id")]
    assert origins == [json.dumps({"model": model, "suggestion": sid}, ensure_ascii=False, sort_keys=True)
                       for sid in ids]
