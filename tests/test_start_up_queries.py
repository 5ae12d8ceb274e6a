"""Nothing before the app's first frame reads the whole corpus: the same work on 600 articles as
on 3,000, tagged or not, and the start-up questions are index look-ups (EXPLAIN QUERY PLAN)."""
from __future__ import annotations

from pathlib import Path

import pytest

from annotations.corpus import Article, document_row
from annotations.store import Store
from tui_fixtures import ANNOTATOR, isolated_config, make_app  # noqa: F401

CORPUS_TABLES = ("documents", "suggestions", "progress", "spans", "verdicts")


def build(path: Path, n: int, tagged: bool) -> Path:
    """``n`` short articles, each (with ``tagged``) with one suggestion; the annotator has done one."""
    with Store(path) as store:
        store.add_documents(document_row(Article(text=f"Artikel {i} tentang Armenia.", title=f"Artikel {i}"))
                            for i in range(n))
        ids = store.document_ids()
        if tagged:
            start = len("Artikel 0 tentang ")
            store.replace_suggestions("rules", {doc: [("entity", "GPE", start + len(str(i)) - 1,
                                                       start + len(str(i)) - 1 + len("Armenia"), None)]
                                                for i, doc in enumerate(ids)})
        store.ensure_annotator(ANNOTATOR)
        store.set_status(ids[0], ANNOTATOR, "done")
    return path


def first_frame_work(path: Path) -> tuple[int, list[str]]:
    """(SQLite VM steps / 100, statements) from the app's opening until its first frame is drawn."""
    steps = [0]
    statements: list[str] = []

    def step() -> int:
        steps[0] += 1
        return 0

    async def run() -> None:
        app = make_app(path, tag_on_start=True, restore=False)
        app._start_tagger = lambda *args: statements.append("tagger started")  # no spaCy run in this test
        app.store.conn.set_progress_handler(step, 100)
        app.store.conn.set_trace_callback(statements.append)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            app.store.conn.set_progress_handler(None, 100)
            app.store.conn.set_trace_callback(None)

    import asyncio

    asyncio.run(run())
    return steps[0], statements


@pytest.mark.parametrize("tagged", [True, False], ids=["tagged", "untagged"])
def test_first_frame_does_the_same_work_on_a_larger_corpus(tmp_path, tagged):
    small, small_sql = first_frame_work(build(tmp_path / "small.db", 600, tagged))
    large, large_sql = first_frame_work(build(tmp_path / "large.db", 3000, tagged))
    assert ("tagger started" in small_sql) == ("tagger started" in large_sql) == (not tagged)
    assert large <= small * 1.1 + 20, (small, large)


def plan(store: Store, sql: str, params=()) -> list[str]:
    return [row[3] for row in store.conn.execute(f"EXPLAIN QUERY PLAN {sql}", params)]


def test_start_up_questions_are_index_look_ups(tmp_path):
    path = build(tmp_path / "t.db", 50, tagged=False)
    with Store(path) as store:
        asked: list[str] = []
        store.conn.set_trace_callback(asked.append)
        assert store.has_untagged_documents()
        assert store.count_documents() == 50
        assert store.status_counts(ANNOTATOR)["done"] == 1
        store.conn.set_trace_callback(None)
        selects = [sql for sql in asked if sql.lstrip().upper().startswith("SELECT")]
        assert len(selects) >= 3
        for sql in selects:
            for line in plan(store, sql):
                assert not line.startswith("SCAN"), (sql, line)


def test_the_untagged_marker_follows_tagging_and_counts_follow_other_tools(tmp_path):
    path = build(tmp_path / "t.db", 3, tagged=False)
    with Store(path) as store:
        ids = store.document_ids()
        store.replace_suggestions("rules", {doc: [] for doc in ids[:2]})  # tagged, even finding nothing
        assert store.has_untagged_documents()
        store.replace_suggestions("rules", {ids[2]: []})
        assert not store.has_untagged_documents()
        with store.transaction():
            store.conn.execute("DELETE FROM documents WHERE id = ?", (ids[0],))  # as another tool would
        assert store.count_documents() == 2 == store.conn.execute("SELECT count(*) FROM documents").fetchone()[0]
        store.add_documents([document_row(Article(text="Artikel baru.", title="Baru"))])
        assert store.count_documents() == 3 and store.has_untagged_documents()


def test_the_annotator_opens_the_database_once_and_writes_nothing_before_its_first_frame(tmp_path, monkeypatch):
    """``tandai`` (open_annotator, its app run headless): SQLite connects twice, a read-only look at the
    file and the one connection the app keeps; a known annotator on a tagged corpus takes no write lock."""
    import asyncio
    import sqlite3
    import types

    from tui import launch
    from tui.app import TandaiApp

    path = build(tmp_path / "t.db", 50, tagged=True)
    opened: list[str] = []
    statements: list[str] = []
    connect = sqlite3.connect

    def counted(database, *args, **kwargs):
        conn = connect(database, *args, **kwargs)
        opened.append(str(database))
        conn.set_trace_callback(statements.append)
        return conn

    at_frame: list[list[str]] = []

    def run_headless(app: TandaiApp) -> None:
        async def run() -> None:
            async with app.run_test(size=(80, 24)) as pilot:
                await pilot.pause()
                at_frame.append(list(statements))
                assert "showing: all" in str(app.screen.query_one("#summary").render())

        asyncio.run(run())

    terminal = types.SimpleNamespace(isatty=lambda: True)
    monkeypatch.setattr(launch, "sys", types.SimpleNamespace(stdin=terminal, stdout=terminal))
    monkeypatch.setattr(sqlite3, "connect", counted)
    monkeypatch.setattr(TandaiApp, "run", run_headless)
    launch.open_annotator(str(path), ANNOTATOR)
    assert len(opened) == 2 and "mode=ro" in opened[0], opened
    (before_frame,) = at_frame
    assert not [sql for sql in before_frame if sql.startswith("BEGIN")], before_frame
