"""What the article view does again after a key: opening an article wraps each paragraph once (also on a
screen kept from the last article), and moving over a suggestion reads it from the store once, not on
every move. Counted, not timed."""
from __future__ import annotations

import subprocess
import sys

import pytest

from tui_fixtures import anyio_backend, isolated_config, quick_pilot, tui_db, tui_template  # noqa: F401  (fixtures)
from tui_fixtures import ANNOTATOR, document_view, goto_token, make_app, press, query, screen_text, status_line

pytestmark = pytest.mark.anyio


@pytest.fixture
def wraps(monkeypatch) -> list[tuple[int, int]]:
    """(start, end) of every paragraph the article view wraps, as it wraps them."""
    import tui.widgets.document as document

    wrapped: list[tuple[int, int]] = []
    real = document.wrap_paragraph

    def counted(text, tokens, start, end, width, extra=None):
        wrapped.append((start, end))
        return real(text, tokens, start, end, width, extra)

    monkeypatch.setattr(document, "wrap_paragraph", counted)
    return wrapped


async def test_opening_an_article_wraps_each_paragraph_once_also_on_the_kept_screen(tui_db, wraps):
    app = make_app(tui_db)
    async with app.run_test(size=(80, 24)) as pilot:
        for row in range(2):  # the second article is shown on the screen kept from the first
            wraps.clear()
            await press(pilot, *["j"] * row, "enter")
            view = document_view(app)
            paragraphs = list(zip(view._para_starts, view._para_ends))
            assert len(paragraphs) > 3 and sorted(wraps) == paragraphs, row
            assert app.screen.document.title[:20] in screen_text(app)
            await press(pilot, "q")


async def test_moving_over_a_suggestion_reads_it_once_until_a_write(tui_db, monkeypatch):
    app = make_app(tui_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, "enter")
        read: list[int] = []
        real = app.store.suggestion

        def counted(suggestion_id, annotator=None):
            read.append(suggestion_id)
            return real(suggestion_id, annotator)

        monkeypatch.setattr(app.store, "suggestion", counted)
        await press(pilot, "tab")  # the first suggestion
        first = app.screen.item_at_cursor()
        assert first.kind == "suggestion" and "suggested" in status_line(app)
        await press(pilot, "escape", "l", "h", "l", "h")  # off it and back, twice
        assert app.screen.item_at_cursor() == first and "suggested" in status_line(app)
        assert read.count(first.id) == 1
        await press(pilot, "x")  # rejected: a write, after which the store is asked again
        await press(pilot, "u")
        assert app.screen.item_at_cursor().id == first.id and read.count(first.id) == 2


def drawn(app) -> tuple:
    """What the article view draws from: its marks, the tags' cells, its screen lines, the open suggestions
    and the spans the screen knows."""
    view = document_view(app)
    return (list(view.marks), dict(view._tag_cells), list(view._tag_offsets), list(view._line_starts),
            list(view._line_ends), list(app.screen.suggestion_marks), set(app.screen._spans_by_id))


IN_PLACE = ((False, ("_marks", "_tag_cells", "_tag_offsets", "_line_starts", "_line_ends")),
            (True, ("suggestion_marks", "_spans_by_id", "_before_accepting")))


def held(app, kept: list | None = None) -> list:
    """The objects ``drawn`` reads (the view's, then the screen's); given them, puts them back."""
    owners = {False: document_view(app), True: app.screen}
    if kept is not None:
        for (owner, name), value in zip(((o, n) for o, names in IN_PLACE for n in names), kept):
            setattr(owners[owner], name, value)
    return [getattr(owners[owner], name) for owner, names in IN_PLACE for name in names]


async def test_a_write_changes_its_marks_in_place_as_reading_them_all_again_would(tui_db, monkeypatch):
    """Accept, reject, relabel, label, delete, link, undo and redo, and u with nothing left to undo: after
    each, the marks changed in place are those a full read gives, and no key but the article's opening
    reads them all."""
    app = make_app(tui_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, "enter")
        screen = app.screen
        read_all: list[str] = []
        for name in ("span_outlines", "open_suggestion_outlines"):
            real = getattr(app.store, name)

            def counted(doc_id, annotator, among=None, _real=real, _name=name, **part):
                if among is None:
                    read_all.append(_name)
                return _real(doc_id, annotator, **part) if among is None else _real(doc_id, annotator, among, **part)

            monkeypatch.setattr(app.store, name, counted)
        keys = ["tab", "y",  # accept the first suggestion
                "tab", "x",  # reject the next
                "tab", "2",  # relabel a suggestion: rejected, and a span of another label
                "l", "l", "e", "1",  # an event on a token
                "r", "h", "h", "1", "escape",  # link it (link mode, a role, out)
                "a", "tab", "tab", "x",  # delete a span
                "u", "u", "ctrl+r", "u", "u", "u", "ctrl+r", "ctrl+r",
                *["u"] * 9, "u", "x"]  # all undone, then nothing left to undo: no write, nothing redrawn twice
        for key in keys:
            await press(pilot, key)
            if key in ("y", "x", "1", "2", "u", "ctrl+r"):
                shown, kept = drawn(app), held(app)
                screen.reload()
                assert drawn(app) == shown, (key, status_line(app))
                held(app, kept)  # the next key goes on from the marks changed in place, not from the full read
        assert read_all == ["span_outlines", "open_suggestion_outlines"] * sum(
            key in ("y", "x", "1", "2", "u", "ctrl+r") for key in keys)  # only the checks' own reads
    # what was drawn is what is stored: the accepted suggestion is a span, the relabelled one another
    assert query(tui_db, "SELECT count(*) FROM spans WHERE annotator = ?", (ANNOTATOR,)) == [(len(
        [m for m in shown[0] if m.kind == "span"]),)]


@pytest.fixture
def ninety_db(tmp_path):
    """One article of 120 words, a suggestion on each of its first 90: Y writes 180 rows, few enough to be
    redrawn in place, many enough to take marks out in one pass."""
    from annotations.corpus import Article, import_articles
    from annotations.store import Store

    path = tmp_path / "ninety.db"
    words = [f"Kata{n}" for n in range(120)]
    with Store(path) as store:
        import_articles(store, [Article(text=" ".join(words), title="Sembilan puluh saran")])
        (doc,) = store.document_ids()
        starts = [sum(len(w) + 1 for w in words[:n]) for n in range(90)]
        store.replace_suggestions("test-model", {doc: [("entity", "PER", s, s + len(w), None)
                                                       for s, w in zip(starts, words)]})
    return path


async def test_accepting_ninety_and_undoing_changes_the_marks_in_place(ninety_db, monkeypatch):
    """Two spans labelled (one where a suggestion is, by another program) and a rejected suggestion, then Y
    on the other 89 (one answered by the span there), u, ctrl+r and u: each redrawn from what its write
    returned or journaled, as a full read draws it, with no full read; the database holds what is drawn."""
    from annotations.store import Store

    with Store(ninety_db) as store:
        (doc,) = store.document_ids()
        store.add_span(doc, ANNOTATOR, "entity", "PER", 30, 35)  # Kata5, its suggestion left open
    app = make_app(ninety_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, "enter")
        await goto_token(pilot, app, 119)
        await press(pilot, "1")  # Kata119 labelled by hand
        await goto_token(pilot, app, 0)
        await press(pilot, "x")  # Kata0's suggestion rejected
        screen = app.screen
        read_all: list[str] = []
        real = app.store.span_outlines

        def counted(doc_id, annotator, among=None):
            if among is None:
                read_all.append("span_outlines")
            return real(doc_id, annotator, among)

        monkeypatch.setattr(app.store, "span_outlines", counted)
        for key, spans, open_ in (("Y", 90, 0), ("u", 2, 89), ("ctrl+r", 90, 0), ("u", 2, 89)):
            await press(pilot, key)
            shown, kept = drawn(app), held(app)
            assert sum(m.kind == "span" for m in shown[0]) == spans and len(shown[5]) == open_, key
            assert query(ninety_db, "SELECT count(*) FROM spans WHERE annotator = ?", (ANNOTATOR,)) == [(spans,)]
            lines = "".join(line.replace(" ", "") for line in screen_text(app).splitlines())
            assert "Kata119[PER]" in lines and "Kata5[PER]" in lines and "Kata0[PER]" not in lines
            assert ("Kata1[PER]" in lines) == (spans == 90), key
            screen.reload()
            assert drawn(app) == shown, key
            held(app, kept)
        assert read_all == ["span_outlines"] * 4  # the checks' own reads alone


RETAG = """
import sys
from annotations.store import Store
with Store(sys.argv[1]) as store:
    (doc,) = store.document_ids()
    store.replace_suggestions("test-model", {doc: [("entity", "GPE", 6 * n, 6 * n + 5, None) for n in range(10)]})
"""


async def test_a_write_after_another_program_wrote_reads_the_article_again(ninety_db):
    """Y, then another program re-tags the article, then u: what is drawn is what the database holds, not
    the marks kept from before Y, and Y again accepts the suggestions the database now has."""
    app = make_app(ninety_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, "enter", "Y")
        assert len(app.screen.suggestion_marks) == 0
        # another process: ten suggestions of another label on Kata0..Kata9 replace the ninety
        subprocess.run([sys.executable, "-c", RETAG, str(ninety_db)], check=True, timeout=60)
        await press(pilot, "u")
        shown = drawn(app)
        assert len(shown[5]) == 10 and not any(m.kind == "span" for m in shown[0])
        app.screen.reload()
        assert drawn(app) == shown
        await press(pilot, "Y")
        assert "✗" not in status_line(app)
        assert query(ninety_db, "SELECT count(*) FROM spans WHERE annotator = ? AND label = 'GPE'",
                     (ANNOTATOR,)) == [(10,)]
