"""The key footer on every screen: it shows the screen's live keys (remapped ones too), and moving the
cursor or the focus does not rebuild it (rebuilding made every key a new widget, most of an article's opening time)."""
from __future__ import annotations

import pytest

from tui.widgets.footer import KeyFooter
from tui.widgets.title_bar import TitleBar
from tui_fixtures import isolated_config, make_app, press, screen_text, tui_db, tui_template  # noqa: F401

pytestmark = pytest.mark.anyio


def footer_line(app) -> str:
    return screen_text(app).splitlines()[-1]


async def test_cursor_moves_keep_the_footer_and_screens_show_their_own_keys(tui_db, isolated_config):
    app = make_app(tui_db)
    async with app.run_test(size=(100, 24)) as pilot:
        await pilot.pause()
        footer = app.screen.query_one(KeyFooter)
        keys = list(footer.children)
        assert "Filter" in footer_line(app) and "Next to do" in footer_line(app)
        await press(pilot, "j", "j", "k")
        assert list(footer.children) == keys
        await press(pilot, "slash")  # in the filter box, letters are typed: only the filter's key is shown
        assert "Filter" in footer_line(app) and "Next to do" not in footer_line(app)
        await press(pilot, "escape")
        assert "Next to do" in footer_line(app)
        keys = list(footer.children)
        await press(pilot, "enter")
        assert "Accept" in footer_line(app) and "Filter" not in footer_line(app)
        await press(pilot, "q")  # back on the list: its keys again, the same widgets (not rebuilt on resuming)
        assert app.screen.query_one(KeyFooter) is footer and list(footer.children) == keys
        assert "Next to do" in footer_line(app)
        await press(pilot, "R")  # the review list and the team status: the same title bar and footer
        assert app.screen.query(TitleBar) and "review by" in screen_text(app).splitlines()[0]
        assert app.screen.query(KeyFooter)
        await press(pilot, "q", "S")
        assert app.screen.query(TitleBar) and "team status" in screen_text(app).splitlines()[0]
        assert app.screen.query(KeyFooter)


async def test_a_remapped_key_shows_in_the_footer(tui_db, isolated_config):
    isolated_config.write_text('[keys]\n"library.filter" = "f"\n', encoding="utf-8")
    app = make_app(tui_db)
    async with app.run_test(size=(100, 24)) as pilot:
        await pilot.pause()
        line = footer_line(app)
        assert " f Filter" in f" {line}" and "/ Filter" not in line
        await press(pilot, "f")
        assert app.screen.query_one("#filter").has_focus
