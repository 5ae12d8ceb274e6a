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
from bisect import bisect_right

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


def wrapped_lines(view) -> list[tuple[int, int]]:
    """Every screen line's (start, end) as wrapping each paragraph at once, with the tags of all its marks
    (read whole), lays it out."""
    from tui.widgets.layout import wrap_paragraph

    widths = view._tag_widths(view.marks)
    offsets = sorted(widths)
    lines = []
    for start, end in zip(view._para_starts, view._para_ends):
        tagged = offsets[bisect_right(offsets, start):bisect_right(offsets, end)]
        extra = {at: widths[at] for at in tagged} or None
        lines += [(line.start, line.end) for line in wrap_paragraph(view.text, view.tokens, start, end,
                                                                    view._width, extra)]
    return lines


def line_with_tags(view, index: int) -> str:
    """Screen line ``index`` as it should read: its characters, and after each offset the tags of the
    marks ending there (every mark's, with suggestion tags shown; no roles in view)."""
    from tui.widgets.layout import show_char

    start, end = view._line_starts[index], view._line_ends[index]
    tags: dict[int, list[str]] = {}
    for mark in view.marks:
        if start < mark.end <= end:
            tags.setdefault(mark.end, []).append(mark.tag)
    shown = []
    for at in range(start, end):
        shown += [show_char(view.text[at])[0], *tags.get(at + 1, ())]
    return "".join(shown)


def no_color(monkeypatch, on: bool) -> None:
    """NO_COLOR (suggestion tags drawn: the rest's tags wrap its paragraphs again), or a truecolor terminal
    (suggestions told by colour alone)."""
    if on:
        monkeypatch.setenv("NO_COLOR", "1")
    else:
        monkeypatch.setenv("TERM", "xterm-256color")
        monkeypatch.setenv("COLORTERM", "truecolor")
        monkeypatch.delenv("NO_COLOR", raising=False)


@pytest.mark.parametrize("tags_shown", [False, True], ids=["colours", "NO_COLOR"])
async def test_the_rest_is_wrapped_after_the_frame_as_wrapping_it_all_at_once_would(large_db, monkeypatch,
                                                                                    tags_shown):
    no_color(monkeypatch, tags_shown)
    app = make_app(large_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_large(pilot)
        view = document_view(app)
        assert view.show_suggestion_tags == tags_shown
        first_screen = [view._draw(y).text for y in range(20)]
        await wrapped_whole(app)
        assert [view._draw(y).text for y in range(20)] == first_screen
        lines = wrapped_lines(view)
        assert list(zip(view._line_starts, view._line_ends)) == lines
        assert view.line_count == len(lines) == view.virtual_size.height
        assert max(view._draw(y).cell_length for y in range(view.line_count)) <= view._width
        await press(pilot, "G")
        assert view.scroll_offset.y == len(lines) - view.scrollable_content_region.height


async def test_a_line_drawn_where_the_marks_not_read_yet_begin_is_drawn_as_they_wrap_it(large_db, monkeypatch):
    import tui.screens.annotate as annotate
    from tui.widgets.document import DocumentView

    no_color(monkeypatch, True)
    monkeypatch.setattr(DocumentView, "_later", lambda self: None)  # the rest is read only when a line needs it
    app = make_app(large_db)
    async with app.run_test(size=(80, 24)) as pilot:
        doc = await open_large(pilot)
        view = document_view(app)
        assert view.show_suggestion_tags and view._rest is not None
        lines = list(zip(view._line_starts, view._line_ends))  # with the tags of every mark before the split
        region = view.scrollable_content_region
        least = annotate.FIRST_SCREENS * region.width * region.height
        # the split moved to where a suggestion begins whose tag, once the rest is read, wraps its line again
        for (split,) in query(large_db, "SELECT start FROM suggestions WHERE doc_id = ? AND start > ? AND start < ?"
                                        " ORDER BY start", (doc, least, view._rest[0])):
            monkeypatch.setattr(annotate, "FIRST_MARKS", split)
            app.screen.reload()
            index = view.line_of(split)
            if (view._line_starts[index], view._line_ends[index]) != lines[index]:
                break
        else:
            pytest.fail("no suggestion's tag wraps its line again")
        assert view._rest[0] == split
        view.scroll_to(y=view.line_of(view._rest[0]) - 3, animate=False)  # the first lines past it in view
        view.repaint_all()
        await settle(app)
        assert view._rest is None  # read as the first line reaching past where it begins was drawn
        top, height = view.scroll_offset.y, view.scrollable_content_region.height
        on_screen = [view.render_line(y).text.rstrip() for y in range(height)]
        assert on_screen == [line_with_tags(view, top + y).rstrip() for y in range(height)]
        assert list(zip(view._line_starts, view._line_ends))[top:top + height] == wrapped_lines(view)[top:top + height]


async def test_a_write_by_another_program_before_the_rest_is_read_is_drawn_at_the_next_key(large_db, monkeypatch):
    from annotations.store import Store
    from tui.widgets.document import DocumentView

    monkeypatch.setattr(DocumentView, "_later", lambda self: None)  # the rest is read when G reaches it
    app = make_app(large_db)
    async with app.run_test(size=(80, 24)) as pilot:
        doc = await open_large(pilot)
        view = document_view(app)
        split = view._rest[0]
        drawn = {mark.id for mark in view._marks if mark.kind == "suggestion"}
        rows = query(large_db, "SELECT id, start FROM suggestions WHERE doc_id = ? ORDER BY start", (doc,))
        first = next(sid for sid, start in rows if sid in drawn)  # drawn before the rest is read
        last = rows[-1][0]  # in the rest, by the end G goes to
        assert rows[-1][1] > split
        with Store(large_db) as other:  # another program, between the first marks read and the rest
            other.reject_suggestion(first, ANNOTATOR)
            other.reject_suggestion(last, ANNOTATOR)
        await press(pilot, "G", "k", "1")  # to the end (the rest read), a line up, labelled PER
        after_the_key = list(view.marks)
        app.screen.reload()
        assert list(view.marks) == after_the_key
        assert not {first, last} & {mark.id for mark in after_the_key if mark.kind == "suggestion"}
    spans, _ = written(large_db)
    text_length = len(view.text)
    assert len(spans) == 1 and spans[0][:2] == ("entity", "PER") and spans[0][2] > text_length - 3000
    rejected = query(large_db, "SELECT suggestion_id FROM verdicts WHERE annotator = ? AND verdict = 'rejected'"
                               " ORDER BY suggestion_id", (ANNOTATOR,))
    assert rejected == [(first,), (last,)]
