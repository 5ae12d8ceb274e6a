"""The article list's pages with a queue (``tandai assign``) and a status filter: the same articles in
the same order as the rule says, page by page, found in index order (EXPLAIN QUERY PLAN) and not by
sorting every article."""
from __future__ import annotations

from pathlib import Path

import pytest

from annotations.corpus import Article, document_row
from annotations.store import Store

N = 40
QUEUE = (3, 8, 21, 22, 35)  # budi's assigned articles, by position in import order
DONE = (0, 8, 22, 30)  # the ones budi has finished


@pytest.fixture
def store(tmp_path: Path):
    with Store(tmp_path / "t.db") as store:
        store.add_documents(document_row(Article(text=f"Artikel {i} tentang {'Armenia' if i % 3 else 'Baku'}.",
                                                 title=f"Artikel {i}")) for i in range(N))
        ids = store.document_ids()
        plan = {ids[i]: ["cici"] for i in (1, 2, 3)}  # one of them shared with budi
        for i in QUEUE:
            plan.setdefault(ids[i], []).append("budi")
        store.set_assignments(plan, by="ana")
        for i in DONE:
            store.set_status(ids[i], "budi", "done")
        yield store


def expected(ids: list[str], status: str | None, words: str | None) -> list[str]:
    """The rule: budi's own articles first, then every other, each part in import order; a status and the
    words keep only those that have them (a query lists in import order alone)."""
    keep = [i for i in range(N) if (status is None or ("done" if i in DONE else "todo") == status)
            and (words is None or (words == "armen") == bool(i % 3))]
    order = keep if words else [i for i in keep if i in QUEUE] + [i for i in keep if i not in QUEUE]
    return [ids[i] for i in order]


@pytest.mark.parametrize("status", [None, "todo", "done"])
@pytest.mark.parametrize("words", [None, "armen"])
def test_pages_follow_the_queue_then_import_order(store: Store, status, words):
    ids = store.document_ids()
    want = expected(ids, status, words)
    assert [row.id for row in store.list_documents("budi", status=status, query=words)] == want
    for size in (1, 3, 4, 7):
        pages = []
        for offset in range(0, len(want) + size, size):
            pages += [row.id for row in store.list_documents("budi", status=status, query=words, limit=size,
                                                             offset=offset)]
        assert pages == want, size
    rows = {row.id: row for row in store.list_documents("budi", status=status, query=words)}
    assert {row.status for row in rows.values()} <= {"todo", "done"}
    assert all(row.status == ("done" if ids.index(doc) in DONE else "todo") for doc, row in rows.items())


def plans(store: Store, statements: list[str]) -> list[list[str]]:
    return [[row[3] for row in store.conn.execute(f"EXPLAIN QUERY PLAN {sql}")] for sql in statements]


@pytest.mark.parametrize("status", [None, "todo", "done"])
def test_a_page_is_found_in_index_order(store: Store, status):
    read: list[str] = []
    store.conn.set_trace_callback(read.append)
    for annotator in ("budi", "ana"):  # with a queue and without one
        store.list_documents(annotator, status=status, limit=10, offset=2)
        store.list_documents(annotator, status=status, limit=10, offset=12)  # past budi's queue
    store.conn.set_trace_callback(None)
    selects = [sql for sql in read if sql.lstrip().upper().startswith("SELECT")]
    assert len(selects) >= 6
    for sql, lines in zip(selects, plans(store, selects)):
        for line in lines:
            # a scan only along the import order's index, which a LIMIT stops early (or of the rows a
            # sub-select found for one article)
            assert not line.startswith("SCAN") or line.startswith("SCAN (subquery-") or line in (
                "SCAN d USING INDEX documents_seq", "SCAN d USING COVERING INDEX documents_seq"), (sql, line)
        if "USE TEMP B-TREE FOR ORDER BY" in lines:
            # a sort only of the rows an index found first: budi's queue, or budi's articles of a status
            assert lines[0].startswith("SEARCH q USING COVERING INDEX sqlite_autoindex_assignments_1 (annotator=?)") \
                or lines[0].startswith("SEARCH p USING INDEX progress_annotator (annotator=? AND status=?)"), (sql, lines)


@pytest.mark.parametrize("words", ["a", "b", "ar", "ba", "art", "armenia", "bak"])
def test_the_first_letters_of_a_filter_find_every_word_they_start(store: Store, words):
    """What the filter's first keys ask for, answered from the index's prefixes (declared for 1 to 3
    letters: one look-up instead of merging every word that starts so), the same as a reading of the text."""
    ids = store.document_ids()
    texts = dict(store.conn.execute("SELECT id, title || ' ' || text FROM documents"))
    want = [doc for doc in ids if any(w.lower().startswith(words) for w in texts[doc].replace(".", " ").split())]
    assert [row.id for row in store.list_documents("ana", query=words, limit=N)] == want
    (sql,) = store.conn.execute("SELECT sql FROM sqlite_master WHERE name = 'documents_fts'").fetchone()
    assert "prefix='1 2 3'" in sql


@pytest.mark.parametrize("words", ["arti", "artikel", "armeni", "tentang armen", "armenia bak", "armeniax", "baku"])
def test_a_word_longer_than_the_prefixes_is_asked_for_as_the_words_it_starts(store: Store, words):
    """Beyond the index's 3-letter prefixes a word is looked up among the index's words and asked for as
    those whole words (streamed in import order, not merged first): the same articles as a reading of the text."""
    ids = store.document_ids()
    texts = dict(store.conn.execute("SELECT id, lower(title || ' ' || text) FROM documents"))
    want = [doc for doc in ids
            if all(any(w.startswith(part) for w in texts[doc].replace(".", " ").split()) for part in words.split())]
    assert [row.id for row in store.list_documents("ana", query=words, limit=N)] == want
    matched = store._match_expression(words)
    for part in words.split():  # the index's prefixes answer up to 3 letters; longer words, whole words
        assert (f'"{part}"*' in matched) == (len(part) <= 3), matched
