"""The article list reads its rows a chunk at a time: the first frame and each filter key lay out a
screenful and a little more, and moving down brings the rest, up to the list's 500, with the
cursor kept on its article when the list is read again."""
from __future__ import annotations

from pathlib import Path

import pytest

from annotations.corpus import Article, document_row
from annotations.store import Store
from tui.screens.library import CHUNK, PAGE
from tui_fixtures import ANNOTATOR, isolated_config, make_app, press, screen_text, type_text  # noqa: F401

pytestmark = pytest.mark.anyio


def many_articles(path: Path, n: int) -> list[str]:
    with Store(path) as store:
        store.add_documents(document_row(Article(text=f"Artikel {i} tentang {'Armenia' if i % 2 else 'Baku'}.",
                                                 title=f"Artikel {i}")) for i in range(n))
        return store.document_ids()


def table(app):
    from tui.widgets.article_table import ArticleTable

    return app.screen.query_one(ArticleTable)


def row_ids(app) -> list[str]:
    return list(table(app).keys)


async def test_rows_come_as_the_cursor_moves_down(tmp_path: Path):
    ids = many_articles(tmp_path / "t.db", PAGE + 40)
    app = make_app(tmp_path / "t.db")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert row_ids(app) == ids[:CHUNK]
        await press(pilot, *["j"] * (CHUNK - 10))
        assert len(row_ids(app)) == 2 * CHUNK and row_ids(app) == ids[:2 * CHUNK]
        await press(pilot, "ctrl+end")  # the table's own key: to the last row read, and the next chunk comes
        assert len(row_ids(app)) == 3 * CHUNK
        for _ in range(PAGE // 10):
            await press(pilot, "ctrl+end")
        assert row_ids(app) == ids[:PAGE]  # the list stops at PAGE, as it always has
        await press(pilot, "enter")
        assert app.screen.doc_id == ids[PAGE - 1]
        await press(pilot, "q")
        await pilot.pause()
        # read again on return: every row up to the cursor's, and the cursor on the same article
        assert row_ids(app)[table(app).cursor_row] == ids[PAGE - 1]


async def test_a_filter_key_reads_one_chunk(tmp_path: Path):
    ids = many_articles(tmp_path / "t.db", 3 * CHUNK)
    app = make_app(tmp_path / "t.db")
    read: list[str] = []
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.store.conn.set_trace_callback(read.append)
        await press(pilot, "slash")
        await type_text(pilot, "armen")
        await pilot.pause()
        app.store.conn.set_trace_callback(None)
        armenia = [doc for i, doc in enumerate(ids) if i % 2]
        assert row_ids(app) == armenia[:CHUNK]
        lists = [sql for sql in read if "documents_fts MATCH" in sql]
        assert len(lists) == len("armen") and all(sql.rstrip().endswith(f"LIMIT {CHUNK} OFFSET 0") for sql in lists)
        await press(pilot, "enter")  # keeps the filter, back to the table
        await press(pilot, *["j"] * (CHUNK - 5))
        assert row_ids(app) == armenia[:len(armenia)]  # the rest of the matches, and no more


async def test_the_first_frame_reads_the_list_once(tmp_path: Path):
    many_articles(tmp_path / "t.db", 3 * CHUNK)
    app = make_app(tmp_path / "t.db", restore=False)
    read: list[str] = []
    app.store.conn.set_trace_callback(read.append)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.store.conn.set_trace_callback(None)
        assert sum("ORDER BY d.seq LIMIT" in sql for sql in read) == 1
        assert len(row_ids(app)) == CHUNK


async def test_a_filter_key_draws_only_the_rows_it_changes(tmp_path: Path):
    """'arm' and 'armen' find the same articles: the second key changes the summary line and draws no row
    again (the cursor stays where the user put it); 'ar' then 'ar b' keep the first match ('Artikel 0
    tentang Baku') and the key draws the rows from the second on."""
    ids = many_articles(tmp_path / "t.db", 3 * CHUNK)
    app = make_app(tmp_path / "t.db")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        drawn: list[int] = []  # rows whose line was drawn (-1: the headings)
        original = table(app).render_line
        table(app).render_line = lambda y: drawn.append(table(app).scroll_offset.y + y - 1) or original(y)
        await press(pilot, "slash")
        await type_text(pilot, "arm")
        await press(pilot, "down", "down")  # the list's cursor moves while the filter box has the keys
        armenia = [doc for i, doc in enumerate(ids) if i % 2]
        assert table(app).cursor_row == 2 and row_ids(app) == armenia[:CHUNK] and 5 in drawn
        drawn.clear()
        await type_text(pilot, "en")
        assert "matching “armen”" in screen_text(app) and [row for row in drawn if row >= 0] == []
        assert table(app).cursor_row == 2 and row_ids(app) == armenia[:CHUNK]
        await press(pilot, "ctrl+u")
        await type_text(pilot, "ar")
        assert row_ids(app) == ids[:CHUNK]
        drawn.clear()
        await type_text(pilot, " b")
        assert row_ids(app) == [doc for i, doc in enumerate(ids) if i % 2 == 0][:CHUNK]
        assert 0 not in drawn and set(range(1, 15)) <= set(drawn), drawn  # (the filter box hides the last few)


async def test_page_keys_keep_the_cursor_in_view_under_the_headings(tmp_path: Path):
    """pagedown moves a screenful of rows, scrolling the rows (the headings stay on top) to keep the cursor's
    row in view; end goes to the last row read (and the next chunk comes), home back to the first; a click
    on a row opens that article."""
    ids = many_articles(tmp_path / "t.db", 3 * CHUNK)
    app = make_app(tmp_path / "t.db")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        shown = table(app).scrollable_content_region.height - 1  # rows under the headings
        await press(pilot, "pagedown")
        assert table(app).cursor_row == shown and table(app).scroll_offset.y == 1
        lines = screen_text(app).splitlines()
        assert lines[2].split()[:5] == ["Title", "Outlet", "Date", "Ann", "Sug"]
        assert lines[3].split()[2] == "1" and lines[-2].split()[2] == str(shown)  # 'Artikel N': rows 1 to shown
        await press(pilot, "end")
        assert table(app).cursor_key == ids[CHUNK - 1] and len(row_ids(app)) == 2 * CHUNK
        await press(pilot, "home")
        assert table(app).cursor_row == 0 and table(app).scroll_offset.y == 0
        await pilot.click(table(app).__class__, offset=(5, 3))  # the third row (under the headings)
        await pilot.pause()
        assert app.screen.doc_id == ids[2]


async def test_the_title_line_follows_the_sub_title_and_its_icon_opens_the_palette(tmp_path: Path):
    """The list's top line (one widget, drawn as Textual's Header draws it): 'tandai — <annotator>' centred,
    an article's title while one is open, the annotator again back on the list; a click on the icon opens
    the command palette."""
    from textual.command import CommandPalette

    many_articles(tmp_path / "t.db", 3)
    app = make_app(tmp_path / "t.db")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        top = screen_text(app).splitlines()[0]
        assert top.startswith(" ⭘ ") and top.strip(" ⭘") == f"tandai — {ANNOTATOR}"
        assert top.index("tandai") == (80 - 8 - 10 - len(f"tandai — {ANNOTATOR}")) // 2 + 8
        await press(pilot, "enter")
        assert "Artikel 0" in screen_text(app).splitlines()[0]
        await press(pilot, "q")
        assert screen_text(app).splitlines()[0].strip(" ⭘") == f"tandai — {ANNOTATOR}"
        await pilot.click("TitleBar", offset=(2, 0))
        await pilot.pause()
        assert isinstance(app.screen, CommandPalette)
