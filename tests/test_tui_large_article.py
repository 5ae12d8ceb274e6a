"""Opening a large article prepares only what its first screen needs; keys reach the rest at once.

The article view wraps the paragraphs up to a screen past the cursor, and the
screen reads the suggestions of the article's start, before the first frame;
the rest after it. Keys pressed before that reach the part not yet prepared. They must do there what they do once everything is prepared:
the same keys, on a copy where the whole article was prepared first, must
leave the same rows in the database.
"""
from __future__ import annotations

import asyncio
import time

import pytest

from conftest import copy_database
from tui_fixtures import anyio_backend, isolated_config, quick_pilot, tui_db, tui_template  # noqa: F401  (fixtures)
from tui_fixtures import ANNOTATOR, document_view, make_app, press, query, settle

pytestmark = pytest.mark.anyio
CHARS = 200_000  # several steps of wrapping (WRAP_STEP characters each) after the first frame
EVERY = 7  # a suggestion on every 7th token


@pytest.fixture
def large_db(tui_db):
    """The seeds and, last in the list, an article of CHARS characters (the seeds' text repeated) with a
    suggestion on every EVERY-th token."""
    from annotations.corpus import Article, bundled_seeds, import_articles
    from annotations.store import Store

    seeds = [seed.text for seed in bundled_seeds()]
    text = ""
    while len(text) < CHARS:
        text += seeds[len(text) % len(seeds)] + "\n\n"
    text = text[:CHARS]
    text = text[: text.rfind(" ")] + "."
    with Store(tui_db) as store:
        import_articles(store, [Article(text=text, title="Artikel panjang")])
        doc = store.document_ids()[-1]
        tokens = store.get_document(doc).tokens
        store.replace_suggestions("test-model", {doc: [("entity", "PER", a, b, None) for a, b in tokens[::EVERY]]})
    return tui_db


async def open_large(pilot) -> str:
    await press(pilot, *["j"] * 5, "enter")
    return pilot.app.screen.doc_id


async def wrapped_whole(app, timeout: float = 20.0) -> None:
    view = document_view(app)
    deadline = time.monotonic() + timeout
    while view._wrapped < len(view._para_starts) or view._wrapping is not None:
        assert time.monotonic() < deadline, "the article was never wrapped whole"
        await asyncio.sleep(0.01)
    await settle(app)


# from the end of the article: a line up, a selection of two tokens labelled PER, then back to the
# suggestion before it (the span made is the first one back), accepted, and the one before that rejected
KEYS_AT_THE_END = ["G", "k", "k", "l", "v", "l", "1", "shift+tab", "shift+tab", "y", "shift+tab", "shift+tab", "x"]


def written(db) -> tuple[list[tuple], list[tuple]]:
    """The annotator's spans (layer, label, start, end, text) and verdicts (start, end, verdict)."""
    spans = query(db, "SELECT layer, label, start, end, text FROM spans WHERE annotator = ? ORDER BY start", (ANNOTATOR,))
    verdicts = query(db, "SELECT g.start, g.end, v.verdict FROM verdicts v JOIN suggestions g ON g.id = v.suggestion_id"
                         " WHERE v.annotator = ? ORDER BY g.start", (ANNOTATOR,))
    return spans, verdicts


async def test_keys_at_the_end_of_an_article_not_yet_wrapped_do_what_they_do_once_it_is(large_db, tmp_path,
                                                                                        monkeypatch):
    from tui.widgets.document import DocumentView

    prepared_db = copy_database(large_db, tmp_path / "prepared.db")
    app = make_app(prepared_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_large(pilot)
        await wrapped_whole(app)
        await press(pilot, *KEYS_AT_THE_END)
    expected = written(prepared_db)
    text_length = len(query(prepared_db, "SELECT text FROM documents ORDER BY seq DESC LIMIT 1")[0][0])
    spans, verdicts = expected
    assert len(spans) == len(verdicts) == 2, expected
    assert all(row[2] > text_length - 3000 for row in spans) and all(row[0] > text_length - 3000 for row in verdicts)

    monkeypatch.setattr(DocumentView, "_later", lambda self: None)  # nothing read or wrapped after the frame
    app = make_app(large_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_large(pilot)
        view = document_view(app)
        assert view._wrapped < len(view._para_starts) / 4  # the article's start only
        assert view._rest is not None and view._marks[-1].start < view._rest[0] < len(view.text) / 4
        assert "Artikel panjang" in app.sub_title
        await press(pilot, *KEYS_AT_THE_END)
        assert view.line_of(view.cursor_offset) < view.line_count <= view.virtual_size.height
    assert written(large_db) == expected


async def test_the_rest_is_wrapped_after_the_frame_as_wrapping_it_all_at_once_would(large_db):
    app = make_app(large_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_large(pilot)
        view = document_view(app)
        first_screen = [view._draw(y).text for y in range(20)]
        await wrapped_whole(app)
        assert [view._draw(y).text for y in range(20)] == first_screen
        lines = []
        for start, end in zip(view._para_starts, view._para_ends):
            lines += view._paragraph_lines(start, end, view._width)  # with the tags drawn in it
        assert list(zip(view._line_starts, view._line_ends)) == lines
        assert view.line_count == len(lines) == view.virtual_size.height
        await press(pilot, "G")
        assert view.scroll_offset.y == len(lines) - view.scrollable_content_region.height
