"""SVG snapshots (pytest-textual-snapshot) of the article list, the annotate screen and help.

Baselines live in tests/snapshots/; after a deliberate change of the look, run
``pytest tests/test_tui_snapshots.py --snapshot-update`` and read the new SVGs
before keeping them. Deterministic: fixed annotator, a copy of the pre-tagged
seeds, no clock in the header, no worker.
"""
from __future__ import annotations

import pytest

from tui_fixtures import (  # noqa: F401  (fixtures are used by name)
    find_token,
    goto_token,
    isolated_config,
    listed,
    make_app,
    press,
    quick_pilot,
    select_tokens,
    tui_db,
    tui_template,
)


@pytest.fixture(autouse=True)
def truecolor_terminal(monkeypatch):
    """The looks depend on the terminal's colours (16, 256, truecolor, NO_COLOR): snapshots are of a
    truecolor terminal wherever the tests run."""
    monkeypatch.setenv("TERM", "xterm-256color")
    monkeypatch.setenv("COLORTERM", "truecolor")
    monkeypatch.delenv("NO_COLOR", raising=False)


def test_list_80x24(snap_compare, tui_db):
    assert snap_compare(make_app(tui_db), terminal_size=(80, 24))


def test_list_120x40(snap_compare, tui_db):
    assert snap_compare(make_app(tui_db), terminal_size=(120, 40), press=["j"])


def test_annotate_80x24(snap_compare, tui_db):
    assert snap_compare(make_app(tui_db), terminal_size=(80, 24), press=["enter"])


def test_annotate_120x40(snap_compare, tui_db):
    async def run_before(pilot):
        await press(pilot, "enter")
        await goto_token(pilot, pilot.app, find_token(pilot.app, "Armenia"))

    assert snap_compare(make_app(tui_db), terminal_size=(120, 40), run_before=run_before)


async def _span_selection_link(pilot) -> None:
    """An accepted suggestion, an event span, link mode from the event, and a selection."""
    app = pilot.app
    await press(pilot, "enter")
    await goto_token(pilot, app, find_token(app, "Armenia"))
    await press(pilot, "y", "e")
    await goto_token(pilot, app, find_token(app, "Sepakati"))
    await press(pilot, "2", "r")
    await goto_token(pilot, app, find_token(app, "AS umumkan"))
    await press(pilot, "v", "l", "l")


def test_annotate_span_selection_link_80x24(snap_compare, tui_db):
    assert snap_compare(make_app(tui_db), terminal_size=(80, 24), run_before=_span_selection_link)


def test_annotate_span_selection_link_120x40(snap_compare, tui_db):
    assert snap_compare(make_app(tui_db), terminal_size=(120, 40), run_before=_span_selection_link)


async def _nested_claim_entity(pilot) -> None:
    """A claim over a sentence holding two accepted entities and an event, the cursor on the next line."""
    app = pilot.app
    await press(pilot, "enter")
    for word in ("Armenia", "Azerbaijan"):
        await goto_token(pilot, app, find_token(app, word, 1))
        await press(pilot, "y")
    await goto_token(pilot, app, find_token(app, "sepakati"))
    await press(pilot, "e", "2")
    await select_tokens(pilot, app, find_token(app, "AS umumkan"), find_token(app, "sepakati"))
    await press(pilot, "c", "3")
    await goto_token(pilot, app, find_token(app, "Setidaknya"))


def test_annotate_nested_claim_entity_80x24(snap_compare, tui_db):
    assert snap_compare(make_app(tui_db), terminal_size=(80, 24), run_before=_nested_claim_entity)


def test_annotate_nested_claim_entity_120x40(snap_compare, tui_db):
    assert snap_compare(make_app(tui_db), terminal_size=(120, 40), run_before=_nested_claim_entity)


def test_help_80x24(snap_compare, tui_db):
    assert snap_compare(make_app(tui_db), terminal_size=(80, 24), press=["enter", "question_mark"])


# -- the review screen: alice, bob and carol on seed 000 (tests/review_fixtures.py), reviewed by rita ----------

from review_fixtures import REVIEWER, review_db  # noqa: E402,F401  (a fixture, used by name)


async def _review_settle_one(pilot) -> None:
    """Open the article from the review list, take carol's version of "AS", tab on to "Azerbaijan"."""
    await listed(pilot.app)
    await press(pilot, "enter", "3", "tab")


async def _review_links(pilot) -> None:
    """Open the article, accept the agreed "Armenia", tab on to "sepakati" (alice's version has links)."""
    await listed(pilot.app)
    await press(pilot, "enter", "M", "tab", "tab")


def test_review_three_annotators_80x24(snap_compare, review_db):
    assert snap_compare(make_app(review_db, REVIEWER, review=True), terminal_size=(80, 24),
                        run_before=_review_settle_one)


def test_review_three_annotators_120x40(snap_compare, review_db):
    assert snap_compare(make_app(review_db, REVIEWER, review=True), terminal_size=(120, 40),
                        run_before=_review_links)


async def _link_roles(pilot) -> None:
    """Link mode from a CEASEFIRE with two PARTICIPANTs: each argument is tagged with its role in the text."""
    app = pilot.app
    await press(pilot, "enter", "e")
    await goto_token(pilot, app, find_token(app, "Sepakati"))
    await press(pilot, "2", "r")
    await goto_token(pilot, app, find_token(app, "Armenia"))
    await press(pilot, "3", "l", "l", "3")


def test_annotate_link_roles_80x24(snap_compare, tui_db):
    assert snap_compare(make_app(tui_db), terminal_size=(80, 24), run_before=_link_roles)


def test_annotate_link_roles_120x40(snap_compare, tui_db):
    assert snap_compare(make_app(tui_db), terminal_size=(120, 40), run_before=_link_roles)
