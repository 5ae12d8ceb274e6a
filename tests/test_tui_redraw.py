"""What the article view does again after a key: opening an article wraps each paragraph once (also on a
screen kept from the last article), and moving over a suggestion reads it from the store once, not on
every move. Counted, not timed."""
from __future__ import annotations

import pytest

from tui_fixtures import anyio_backend, isolated_config, quick_pilot, tui_db, tui_template  # noqa: F401  (fixtures)
from tui_fixtures import document_view, make_app, press, screen_text, status_line

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
