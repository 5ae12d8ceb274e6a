"""Every screen of the app on hostile data (tests/hostile_fixture.py), in-process with Pilot: each frame
sent to the terminal holds none of the fixture's sequences, and the data is there as visible stand-ins.
(tests/test_e2e_hostile_tmux.py does the same with the installed tandai in a real terminal.)"""
from __future__ import annotations

import pytest

from annotations.display import safe_text
from hostile_fixture import HOSTILE_WORD, OSC52, leaks
from tui_fixtures import (  # noqa: F401  (fixtures are used by name)
    isolated_config,
    make_app,
    press,
    quick_pilot,
    render_frame,
    screen_text,
    stray_escapes,
    type_text,
)

pytestmark = pytest.mark.anyio


@pytest.fixture
def anyio_backend():
    return "asyncio"


def _hostile_db(tmp_path):
    """The hostile fixture imported as the tmux test does, with the old-database names set afterwards."""
    from annotations.corpus import import_paths
    from annotations.importers import import_annotations
    from annotations.merge import merge
    from annotations.store import Store
    from hostile_fixture import rename_annotator, set_actor_id, write_inputs

    inputs = write_inputs(tmp_path / "in")
    db = tmp_path / "tandai.db"
    with Store(db) as store:
        import_paths(store, [str(inputs.articles)])
        import_annotations(store, [str(inputs.prodigy)], "prodigy", "alice")
        import_annotations(store, [str(inputs.brat)], "brat", "bob")
        merge(store, inputs.merge_source, by="alice")
    set_actor_id(db, "EVIL_PRODIGY", HOSTILE_WORD)
    rename_annotator(db, "bob", f"bob{OSC52}")
    return db


async def test_every_screen_shows_hostile_data_as_stand_ins(tmp_path):
    app = make_app(_hostile_db(tmp_path))
    frames = {}
    async with app.run_test(size=(120, 40)) as pilot:
        async def look(name, *keys):
            await press(pilot, *keys)
            await pilot.pause(0.1)  # a modal screen paints after the key's messages are handled
            frames[name] = (render_frame(app), screen_text(app))

        await look("list")
        await look("article", "j", "enter")
        await look("actor picker", "at")
        await press(pilot, "escape", "e", "slash")
        await type_text(pilot, "bertempur")
        await look("attributes", "enter", "escape", "i")
        await look("help", "escape", "question_mark")
        await look("review list", "escape", "q", "R")
        await look("review", "enter", "tab")
        await look("team status", "q", "q", "S")
    for name, (frame, text) in frames.items():
        assert leaks(frame) == [] and stray_escapes(frame) == [], name
    assert "␛]52;c;" in frames["list"][1]  # hostile titles are there, as stand-ins
    assert f"GPE@{safe_text(HOSTILE_WORD)}"[:20] in frames["article"][1]  # the tag with the actor id
    assert "Actor for “Armenia”" in frames["actor picker"][1] and "− remove the link to" in frames["actor picker"][1]
    assert "Attributes of ATTACK" in frames["attributes"][1]
    assert "bob␛]52" in frames["review list"][1] and "bob␛]52" in frames["review"][1]
    assert "team status" in frames["team status"][1] and "bob␛]52" in frames["team status"][1]
