"""Y on an article with 5,000 suggestions, then u and ctrl+r: every row in the database, each
journaled (so undo and redo work), written with a few batched statements instead of one per row."""
from __future__ import annotations

import pytest

from annotations.corpus import Article, import_articles
from annotations.store import Store
from tui_fixtures import ANNOTATOR, isolated_config, make_app, press, query, status_line  # noqa: F401

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


async def test_accept_all_then_undo_and_redo_5000(many_db):
    app = make_app(many_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, "enter")
        await press(pilot, "Y")
        assert f"accepted {MANY}" in status_line(app)
        assert counts(many_db) == (MANY, MANY)
        texts = query(many_db, "SELECT text, json_extract(origin, '$.model') FROM spans ORDER BY start LIMIT 2")
        assert texts == [("Kata0", "test-model"), ("Kata1", "test-model")]
        await press(pilot, "u")
        assert counts(many_db) == (0, 0)
        await press(pilot, "ctrl+r")
        assert counts(many_db) == (MANY, MANY)
        await press(pilot, "u")
        assert counts(many_db) == (0, 0)
    journal = dict(query(many_db, "SELECT op, count(*) FROM journal WHERE tbl IN ('spans', 'verdicts') GROUP BY op"))
    assert journal == {"do": 2 * MANY, "undo": 4 * MANY, "redo": 2 * MANY}  # each row, each way


def test_accept_is_a_few_statements_not_one_per_row(many_db):
    with Store(many_db) as store:
        (doc,) = store.document_ids()
        ids = [g.id for g in store.suggestions(doc)]
        statements = []
        store.conn.set_trace_callback(statements.append)
        store.accept_suggestions(ids, ANNOTATOR)
        store.undo(ANNOTATOR, doc)
        store.conn.set_trace_callback(None)
    # the trace shows each row of an executemany; reads are one statement each: none per row
    reads = [s for s in statements if s.lstrip().upper().startswith("SELECT")]
    assert len(reads) < 200, len(reads)  # a few hundred keys per read; one per row would be over 5,000
    assert len(statements) > 4 * MANY  # the writes themselves: a span and a verdict each way, and their journal
