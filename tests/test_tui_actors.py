"""Linking mentions to actors and editing the registry, as a user does it: keys in through Pilot,
rows of ``actors``, ``spans`` and ``journal`` out."""
from __future__ import annotations

import pytest

from test_tui_annotate import NEW_ACTOR, on_annotate, open_row, pick_option
from tui_fixtures import anyio_backend, isolated_config, quick_pilot, tui_db, tui_template  # noqa: F401  (fixtures)
from tui_fixtures import (
    find_token,
    goto_token,
    make_app,
    press,
    query,
    screen_text,
    spans_of,
    status_line,
    type_text,
    wait_for_text,
)

pytestmark = pytest.mark.anyio
SIZE = (80, 24)


def actor_row(db, actor_id):
    return query(db, "SELECT id, name, category, country, aliases FROM actors WHERE id = ?", (actor_id,))


async def add_new_actor(pilot, app, name: str, category: str, country: str) -> None:
    """@ on the entity under the cursor, name a new actor, pick its category by its digit, type its country."""
    await press(pilot, "at", "ctrl+u")
    await type_text(pilot, name)
    await pick_option(pilot, app, NEW_ACTOR)
    await press(pilot, "enter")
    digit = app.store.scheme.actor_categories.index(category) + 1
    assert f"{digit} {category}" in screen_text(app)
    await press(pilot, str(digit))  # picks it and moves on to the country
    await type_text(pilot, country)
    await press(pilot, "enter")


async def test_new_actor_and_its_link_are_one_undo_step_in_the_article(tui_db):
    app = make_app(tui_db)
    async with app.run_test(size=SIZE) as pilot:
        doc = await open_row(pilot, app)
        await goto_token(pilot, app, find_token(app, "Liputan6.com"))
        await press(pilot, "y")  # accept the ORG suggestion: the step before
        await add_new_actor(pilot, app, "Liputan6 Media", "MEDIA", "IDN")
        assert on_annotate(app)
        assert [s["actor_id"] for s in spans_of(tui_db, doc)] == ["LIPUTAN6_MEDIA"]
        assert actor_row(tui_db, "LIPUTAN6_MEDIA") == [("LIPUTAN6_MEDIA", "Liputan6 Media", "MEDIA", "IDN", "[]")]
        # both rows written in one batch of this article's journal
        assert query(tui_db, "SELECT count(DISTINCT batch), min(doc_id), group_concat(DISTINCT tbl)"
                             " FROM journal WHERE action = 'set_actor'") == [(1, doc, "actors,spans")]
        await press(pilot, "u")  # the actor goes with its link, and nothing older
        assert actor_row(tui_db, "LIPUTAN6_MEDIA") == []
        assert [(s["text"], s["actor_id"]) for s in spans_of(tui_db, doc)] == [("Liputan6.com", None)]
        await press(pilot, "u")  # then the accepted suggestion
        assert spans_of(tui_db, doc) == []
        await press(pilot, "ctrl+r", "ctrl+r")
        assert [s["actor_id"] for s in spans_of(tui_db, doc)] == ["LIPUTAN6_MEDIA"]
        assert actor_row(tui_db, "LIPUTAN6_MEDIA")[0][2:4] == ("MEDIA", "IDN")


async def test_at_on_an_event_trigger_says_it_is_not_an_actor(tui_db):
    from tui.screens.annotate import AnnotateScreen

    app = make_app(tui_db)
    async with app.run_test(size=SIZE) as pilot:
        doc = await open_row(pilot, app)
        await press(pilot, "e")
        await goto_token(pilot, app, find_token(app, "pertempuran"))
        await press(pilot, "1", "at")
        assert isinstance(app.screen, AnnotateScreen)  # no picker
        assert "ATTACK is an event trigger, not an actor: @ links entity spans only" in status_line(app)
        assert [(s["layer"], s["actor_id"]) for s in spans_of(tui_db, doc)] == [("event", None)]


async def test_at_picks_the_entity_under_the_cursor_whatever_the_active_layer(tui_db):
    app = make_app(tui_db)
    async with app.run_test(size=SIZE) as pilot:
        doc = await open_row(pilot, app)
        await goto_token(pilot, app, find_token(app, "Armenia"))
        await press(pilot, "y", "e", "1")  # GPE accepted, then an ATTACK over the same word
        await press(pilot, "at")
        assert "Actor for “Armenia”" in screen_text(app)
        await pick_option(pilot, app, "ARM_GOV")
        await press(pilot, "enter")
        assert sorted((s["layer"], s["actor_id"]) for s in spans_of(tui_db, doc)) == [
            ("entity", "ARM_GOV"), ("event", None)]


async def test_a_new_actor_with_a_bad_country_is_refused_and_nothing_is_stored(tui_db):
    app = make_app(tui_db)
    async with app.run_test(size=SIZE) as pilot:
        doc = await open_row(pilot, app)
        await goto_token(pilot, app, find_token(app, "Liputan6.com"))
        await press(pilot, "y")
        await add_new_actor(pilot, app, "Liputan6 Media", "MEDIA", "Indonesia")
        assert on_annotate(app)
        assert "not an ISO 3166 code" in status_line(app)
        assert [s["actor_id"] for s in spans_of(tui_db, doc)] == [None]
        assert actor_row(tui_db, "LIPUTAN6_MEDIA") == []


async def open_registry(pilot, app) -> None:
    """Once the app has started: open the actor registry from the command palette."""
    await pilot.pause()
    await press(pilot, "ctrl+p")
    await type_text(pilot, "actor registry")
    await wait_for_text(pilot, "Edit actor registry")
    await press(pilot, "enter")
    assert "Edit the actor registry" in screen_text(app)


async def test_palette_command_edits_an_actor_in_the_registry(tui_db):
    app = make_app(tui_db)
    async with app.run_test(size=SIZE) as pilot:
        await open_registry(pilot, app)
        await type_text(pilot, "ARM_MIL")
        await press(pilot, "enter")
        assert "Actor ARM_MIL" in screen_text(app)
        await pick_option(pilot, app, "DEFACTO_MIL")
        await press(pilot, "tab", "tab")  # past the country, to the aliases
        await type_text(pilot, ", Tentara Armenia")
        await press(pilot, "enter")
        await pilot.pause()
    (row,) = actor_row(tui_db, "ARM_MIL")
    assert row[1:4] == ("Armed Forces of Armenia", "DEFACTO_MIL", "ARM")
    assert row[4].endswith('"Artsrun Hovhannisyan", "Tentara Armenia"]')
    assert query(tui_db, "SELECT action, annotator, tbl, json_extract(after, '$.category') FROM journal"
                         " WHERE row_id = '[\"ARM_MIL\"]'") == [("edit_actor", "alice", "actors", "DEFACTO_MIL")]


async def test_palette_command_adds_an_actor_with_category_and_country(tui_db):
    app = make_app(tui_db)
    async with app.run_test(size=SIZE) as pilot:
        await open_registry(pilot, app)
        await type_text(pilot, "Wagner Group")
        await pick_option(pilot, app, NEW_ACTOR)
        await press(pilot, "enter")
        await pick_option(pilot, app, "OTHER_ARMED")
        await press(pilot, "enter")
        await type_text(pilot, "rus")
        await press(pilot, "enter")
        await pilot.pause()
    assert actor_row(tui_db, "WAGNER_GROUP") == [("WAGNER_GROUP", "Wagner Group", "OTHER_ARMED", "RUS", "[]")]
