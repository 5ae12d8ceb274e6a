"""The annotator as a user meets it: keys in through Pilot, database rows and screen text out.

One test per action of the annotate screen's and the article list's keymap
(DESIGN.md "Keys"), plus undo/redo chains, link flows, restoring the session,
remapped keys, the command palette, hostile article text and wide characters.
Every test runs on its own copy of the five pre-tagged seeds (no worker runs).
"""
from __future__ import annotations

import json

import pytest

from tui_fixtures import anyio_backend, isolated_config, quick_pilot, tui_db, tui_template  # noqa: F401  (fixtures)
from tui_fixtures import (
    ANNOTATOR,
    cursor_token,
    doc_ids,
    document_lines,
    document_view,
    find_token,
    goto_token,
    help_rows,
    help_text,
    make_app,
    press,
    query,
    render_frame,
    screen_text,
    select_tokens,
    spans_of,
    status_line,
    stray_escapes,
    type_text,
    wait_for_text,
)

pytestmark = pytest.mark.anyio
NEW_ACTOR = "\x00new"
SIZE = (80, 24)


async def open_row(pilot, app, row: int = 0) -> str:
    """From the article list: move down ``row`` rows and press enter; returns the opened article's id."""
    from tui.screens.annotate import AnnotateScreen

    for _ in range(row):
        await press(pilot, "j")
    await press(pilot, "enter")
    assert isinstance(app.screen, AnnotateScreen), type(app.screen)
    return app.screen.doc_id


def on_annotate(app) -> bool:
    from tui.screens.annotate import AnnotateScreen

    return isinstance(app.screen, AnnotateScreen)


def on_list(app) -> bool:
    from tui.screens.library import LibraryScreen

    return isinstance(app.screen, LibraryScreen)


def verdicts(db, doc_id):
    return query(db, "SELECT g.start, g.end, g.label, v.verdict, v.span_id FROM verdicts v"
                     " JOIN suggestions g ON g.id = v.suggestion_id WHERE g.doc_id = ? AND v.annotator = ?"
                     " ORDER BY g.start", (doc_id, ANNOTATOR))


def open_suggestions(db, doc_id) -> int:
    return query(db, "SELECT count(*) FROM suggestions g WHERE g.doc_id = ? AND NOT EXISTS"
                     " (SELECT 1 FROM verdicts v WHERE v.suggestion_id = g.id AND v.annotator = ?)",
                 (doc_id, ANNOTATOR))[0][0]


def links_of(db, doc_id):
    """(head label, head text, role, tail label, tail text) for each link, from the database."""
    return query(db, "SELECT h.label, h.text, l.role, t.label, t.text FROM links l"
                     " JOIN spans h ON h.id = l.head JOIN spans t ON t.id = l.tail"
                     " WHERE l.doc_id = ? AND l.annotator = ? ORDER BY l.id", (doc_id, ANNOTATOR))


def token_bounds(app) -> tuple[set[int], set[int]]:
    view = document_view(app)
    return {s for s, _ in view.tokens}, {e for _, e in view.tokens}


# -- movement ----------------------------------------------------------------------------------


async def test_token_moves_h_l_left_right_and_cursor_is_saved(tui_db):
    app = make_app(tui_db)
    async with app.run_test(size=SIZE) as pilot:
        doc = await open_row(pilot, app)
        assert cursor_token(app) == (0, "Konflik")
        await press(pilot, "l")
        assert cursor_token(app) == (1, "Nagorno")
        await press(pilot, "right", "right")
        assert cursor_token(app) == (3, "Karabakh")
        await press(pilot, "h")
        assert cursor_token(app) == (2, "-")
        await press(pilot, "left", "left", "left")  # stops at the first token
        assert cursor_token(app) == (0, "Konflik")
        for _ in range(5):
            await press(pilot, "l")
        assert cursor_token(app) == (5, "Armenia")
        offset = document_view(app).cursor_offset
        await press(pilot, "q")
        assert on_list(app)
    assert query(tui_db, "SELECT cursor FROM progress WHERE doc_id = ? AND annotator = ?",
                 (doc, ANNOTATOR)) == [(offset,)]


async def test_line_moves_j_k_skip_blank_lines(tui_db):
    app = make_app(tui_db)
    async with app.run_test(size=SIZE) as pilot:
        await open_row(pilot, app)
        view = document_view(app)
        assert view.line_of(view.cursor_offset) == 0
        await press(pilot, "j")  # the title wraps at 80 columns: its second screen line
        assert view.line_of(view.cursor_offset) == 1
        assert cursor_token(app)[1] == "Sepakati"
        await press(pilot, "j")  # the blank line between paragraphs is skipped
        assert view.line_of(view.cursor_offset) == 3
        assert cursor_token(app)[1] == "AS"
        await press(pilot, "down")
        assert view.line_of(view.cursor_offset) == 4
        await press(pilot, "k", "up")
        assert cursor_token(app)[1] == "Sepakati"


async def test_sentence_moves(tui_db):
    app = make_app(tui_db)
    async with app.run_test(size=SIZE) as pilot:
        await open_row(pilot, app)
        await press(pilot, "right_parenthesis")
        assert cursor_token(app) == (12, "AS")
        await press(pilot, "right_parenthesis")
        assert cursor_token(app)[1] == "Setidaknya"
        await press(pilot, "left_parenthesis")
        assert cursor_token(app) == (12, "AS")
        await press(pilot, "left_parenthesis")
        assert cursor_token(app) == (0, "Konflik")


async def test_start_and_end_of_article(tui_db):
    app = make_app(tui_db)
    async with app.run_test(size=SIZE) as pilot:
        await open_row(pilot, app)
        view = document_view(app)
        await press(pilot, "G")
        assert view.cursor == len(view.tokens) - 1
        assert "dan menuduh adanya" in screen_text(app)  # scrolled to the end (its last line but one)
        await press(pilot, "g")
        assert view.cursor == 0
        assert "Konflik Nagorno-Karabakh" in screen_text(app)


async def test_tab_reaches_an_entity_inside_a_claim_and_the_claim(tui_db):
    """Overlapping marks: tab and shift+tab stop on each; the key then acts on the one reached."""
    app = make_app(tui_db)
    async with app.run_test(size=SIZE) as pilot:
        doc = await open_row(pilot, app)
        # a claim over the sentence "AS umumkan ... Nagorno-Karabakh" (which holds the suggestion "AS")
        start, end = find_token(app, "AS umumkan"), find_token(app, "Karabakh.")
        await press(pilot, "c")
        await select_tokens(pilot, app, start, end)
        await press(pilot, "3")
        claim = [s for s in spans_of(tui_db, doc) if s["layer"] == "claim"]
        assert [(c["label"], c["text"]) for c in claim] == [
            ("STATEMENT", "AS umumkan bahwa Armenia dan Azerbaijan sekali lagi telah sepakati gencatan senjata"
                          " dalam konflik Nagorno-Karabakh")]
        # from "umumkan", shift+tab goes back to the last mark starting before it: the entity "AS"
        await goto_token(pilot, app, start + 1)
        await press(pilot, "shift+tab")
        assert "GPE? “AS”" in status_line(app)
        await press(pilot, "shift+tab")  # the claim that starts at the same place
        assert status_line(app).startswith("STATEMENT “AS umumkan")
        await press(pilot, "tab")  # and forward again to the entity inside it
        assert "GPE? “AS”" in status_line(app)
        await press(pilot, "y")  # accepts the entity although the claim layer is active
        assert [(s["layer"], s["label"], s["text"]) for s in spans_of(tui_db, doc)] == [
            ("claim", "STATEMENT", claim[0]["text"]), ("entity", "GPE", "AS")]
        await press(pilot, "shift+tab")
        assert status_line(app).startswith("STATEMENT")
        await press(pilot, "x")  # deletes the claim, not the entity
        assert [(s["layer"], s["text"]) for s in spans_of(tui_db, doc)] == [("entity", "AS")]


# -- selection ----------------------------------------------------------------------------------


async def test_v_then_movement_then_digit_makes_a_multi_token_span(tui_db):
    app = make_app(tui_db)
    async with app.run_test(size=SIZE) as pilot:
        doc = await open_row(pilot, app)
        first = find_token(app, "sepakati gencatan")
        await press(pilot, "e")
        await goto_token(pilot, app, first)
        await press(pilot, "v", "l", "l", "2")
        (span,) = spans_of(tui_db, doc)
        view = document_view(app)
        assert (span["layer"], span["label"], span["text"]) == ("event", "CEASEFIRE", "sepakati gencatan senjata")
        assert (span["start"], span["end"]) == (view.tokens[first][0], view.tokens[first + 2][1])
        assert view.selection is None  # labelling ends the selection
        assert any("senjata[CEASEFIRE]" in line for line in document_lines(app))


async def test_shift_arrows_and_H_L_grow_and_shrink_the_selection(tui_db):
    app = make_app(tui_db)
    async with app.run_test(size=SIZE) as pilot:
        doc = await open_row(pilot, app)
        await goto_token(pilot, app, find_token(app, "Departemen Luar"))
        await press(pilot, "shift+right", "shift+right", "shift+right", "shift+left", "2")
        await goto_token(pilot, app, find_token(app, "Karen"))
        await press(pilot, "L", "L", "H", "1")
        got = [(s["label"], s["text"]) for s in spans_of(tui_db, doc)]
        assert got == [("PER", "Karen Minasyan"), ("ORG", "Departemen Luar Negeri")]
        starts, ends = token_bounds(app)
        assert all(s["start"] in starts and s["end"] in ends for s in spans_of(tui_db, doc))


async def test_escape_clears_the_selection_and_never_leaves_the_article(tui_db):
    app = make_app(tui_db)
    async with app.run_test(size=SIZE) as pilot:
        await open_row(pilot, app)
        await press(pilot, "v", "l")
        assert document_view(app).selection == (0, 1)
        await press(pilot, "escape")
        assert on_annotate(app) and document_view(app).selection is None
        await press(pilot, "escape", "escape")
        assert on_annotate(app)
        assert "nothing to cancel · q goes back to the list" in status_line(app)
        await press(pilot, "q")
        assert on_list(app)


# -- layers and labels ---------------------------------------------------------------------------


async def test_layer_keys_choose_what_digits_label(tui_db):
    app = make_app(tui_db)
    async with app.run_test(size=SIZE) as pilot:
        doc = await open_row(pilot, app)
        await press(pilot, "e")
        assert "1ATTACK" in screen_text(app)
        await goto_token(pilot, app, find_token(app, "tewas dalam lima"))
        await press(pilot, "5")
        await press(pilot, "c")
        assert "1ACCUSATION" in screen_text(app)
        await goto_token(pilot, app, find_token(app, "umumkan"))
        await press(pilot, "3")
        await press(pilot, "a")
        assert "1PER" in screen_text(app)
        await goto_token(pilot, app, find_token(app, "pemimpin"))
        await press(pilot, "1")
        await press(pilot, "9")  # the entity layer has 8 labels: nothing is made
        got = sorted((s["layer"], s["label"], s["text"]) for s in spans_of(tui_db, doc))
        assert got == [("claim", "STATEMENT", "umumkan"), ("entity", "PER", "pemimpin"),
                       ("event", "CASUALTIES", "tewas")]
        assert "8 labels" in status_line(app)


async def test_digit_on_a_span_relabels_it(tui_db):
    app = make_app(tui_db)
    async with app.run_test(size=SIZE) as pilot:
        doc = await open_row(pilot, app)
        await goto_token(pilot, app, find_token(app, "pemimpin"))
        await press(pilot, "1")
        (before,) = spans_of(tui_db, doc)
        await press(pilot, "2")
        (after,) = spans_of(tui_db, doc)
        assert (before["id"], before["label"]) == (after["id"], "PER")
        assert after["label"] == "ORG"
        assert "pemimpin[ORG]" in "\n".join(document_lines(app))
    actions = [r[0] for r in query(tui_db, "SELECT DISTINCT action FROM journal WHERE doc_id = ? ORDER BY batch",
                                   (doc,))]
    assert actions == ["add_span", "set_label"]


async def test_digit_on_a_suggestion_with_another_label_rejects_it_and_makes_a_span(tui_db):
    app = make_app(tui_db)
    async with app.run_test(size=SIZE) as pilot:
        doc = await open_row(pilot, app)
        armenia = find_token(app, "Armenia")
        await goto_token(pilot, app, armenia)
        await press(pilot, "1")  # PER on a GPE suggestion
        await goto_token(pilot, app, find_token(app, "Azerbaijan"))
        await press(pilot, "3")  # GPE on a GPE suggestion: that is accepting it
        spans = spans_of(tui_db, doc)
        assert [(s["label"], s["text"]) for s in spans] == [("PER", "Armenia"), ("GPE", "Azerbaijan")]
        assert spans[0]["origin"]["relabelled"] == "GPE"
        assert [v[2:4] for v in verdicts(tui_db, doc)] == [("GPE", "rejected"), ("GPE", "accepted")]
        assert verdicts(tui_db, doc)[1][4] == spans[1]["id"]


async def test_y_and_enter_accept_the_suggestion_under_the_cursor(tui_db):
    app = make_app(tui_db)
    async with app.run_test(size=SIZE) as pilot:
        doc = await open_row(pilot, app)
        before = open_suggestions(tui_db, doc)
        await goto_token(pilot, app, find_token(app, "Armenia"))
        await press(pilot, "y")
        await press(pilot, "tab")  # the next suggestion: Azerbaijan
        await press(pilot, "enter")
        spans = spans_of(tui_db, doc)
        assert [(s["layer"], s["label"], s["text"]) for s in spans] == [("entity", "GPE", "Armenia"),
                                                                        ("entity", "GPE", "Azerbaijan")]
        assert all(s["origin"].get("suggestion") for s in spans)
        assert [(v[3], v[4]) for v in verdicts(tui_db, doc)] == [("accepted", s["id"]) for s in spans]
        assert open_suggestions(tui_db, doc) == before - 2
        assert "Armenia[GPE]" in screen_text(app)  # accepted: the tag has no "?"
        await press(pilot, "y")  # nothing to accept on an accepted span
        assert "no suggestion under the cursor" in status_line(app)
        assert len(spans_of(tui_db, doc)) == 2


async def test_Y_accepts_all_and_one_undo_takes_them_all_back(tui_db):
    app = make_app(tui_db)
    async with app.run_test(size=SIZE) as pilot:
        doc = await open_row(pilot, app)
        n = open_suggestions(tui_db, doc)
        assert n > 50
        await press(pilot, "Y")
        assert len(spans_of(tui_db, doc)) == n and open_suggestions(tui_db, doc) == 0
        assert f"accepted {n}" in status_line(app)
        await press(pilot, "u")
        assert spans_of(tui_db, doc) == [] and open_suggestions(tui_db, doc) == n
        await press(pilot, "ctrl+r")
        assert len(spans_of(tui_db, doc)) == n
    ops = query(tui_db, "SELECT op, count(DISTINCT batch) FROM journal WHERE doc_id = ? GROUP BY op ORDER BY op",
                (doc,))
    assert ops == [("do", 1), ("redo", 1), ("undo", 1)]


async def test_x_and_delete_remove_spans_and_reject_suggestions(tui_db):
    app = make_app(tui_db)
    async with app.run_test(size=SIZE) as pilot:
        doc = await open_row(pilot, app)
        await goto_token(pilot, app, find_token(app, "Armenia"))
        await press(pilot, "y", "x")  # accept, then delete the span: its suggestion counts as rejected
        assert spans_of(tui_db, doc) == []
        await goto_token(pilot, app, find_token(app, "Azerbaijan"))
        await press(pilot, "delete")  # a suggestion: rejected
        await goto_token(pilot, app, find_token(app, "pemimpin"))
        await press(pilot, "1")
        assert len(spans_of(tui_db, doc)) == 1
        await press(pilot, "x")
        assert spans_of(tui_db, doc) == []
        assert [(v[2], v[3], v[4]) for v in verdicts(tui_db, doc)] == [("GPE", "rejected", None)] * 2
        assert "Armenia[GPE?]" not in screen_text(app).split("\n")[1]  # no longer drawn as open


# -- links ----------------------------------------------------------------------------------------


async def label_attack(pilot, app) -> int:
    """An ATTACK on "pertempuran" (first article); the cursor stays on it. Returns its token."""
    event = find_token(app, "pertempuran antara")
    await press(pilot, "e")
    await goto_token(pilot, app, event)
    await press(pilot, "1")
    return event


async def test_link_mode_stays_on_the_event_for_three_arguments(tui_db):
    app = make_app(tui_db)
    async with app.run_test(size=SIZE) as pilot:
        doc = await open_row(pilot, app)
        await label_attack(pilot, app)
        await press(pilot, "r")
        assert "link role" in screen_text(app) and "1AGENT" in screen_text(app)
        assert status_line(app).startswith("link ATTACK “pertempuran” ← nothing yet")
        await press(pilot, "l", "l")  # Armenia: still a suggestion, accepted by linking to it
        assert cursor_token(app)[1] == "Armenia"
        await press(pilot, "1")
        assert "link role" in screen_text(app)  # still linking from the ATTACK
        await press(pilot, "l", "l", "2")  # Azerbaijan, TARGET
        await press(pilot, *["h"] * 6, "6")  # back to "lima hari terakhir", TIME
        assert links_of(tui_db, doc) == [("ATTACK", "pertempuran", "AGENT", "GPE", "Armenia"),
                                         ("ATTACK", "pertempuran", "TARGET", "GPE", "Azerbaijan"),
                                         ("ATTACK", "pertempuran", "TIME", "DATE", "lima hari terakhir")]
        assert "← AGENT “Armenia”, TARGET “Azerbaijan”, TIME “lima hari terak…”" in status_line(app)
        await press(pilot, "r")  # r ends it, as escape does
        assert "link role" not in screen_text(app) and "link mode ended" in status_line(app)
        await press(pilot, "l", "1")  # a label again, not a role
        assert len(links_of(tui_db, doc)) == 3


async def test_the_arguments_of_the_event_under_the_cursor_are_tagged_with_their_roles(tui_db):
    """At 80 columns (no side panel) the roles show in the text, after each argument, while on the event."""
    app = make_app(tui_db)
    async with app.run_test(size=SIZE) as pilot:
        await open_row(pilot, app)
        event = await label_attack(pilot, app)
        await press(pilot, "r", "l", "l", "1", "l", "l", "2", "escape")
        text = "\n".join(document_lines(app))
        assert "Armenia[GPE]‹AGENT›" not in text  # the cursor is on Azerbaijan: no head here
        await goto_token(pilot, app, event)
        text = "\n".join(document_lines(app))
        assert "Armenia[GPE]‹AGENT›" in text and "Azerbaijan[GPE]‹TARGET›" in text


async def test_a_role_digit_takes_only_what_the_role_accepts(tui_db):
    app = make_app(tui_db)
    async with app.run_test(size=SIZE) as pilot:
        doc = await open_row(pilot, app)
        await label_attack(pilot, app)
        await press(pilot, "r", "l", "l", "6")  # TIME on Armenia (a GPE)
        assert links_of(tui_db, doc) == []
        assert "TIME takes DATE: nothing of that under the cursor" in status_line(app)
        await press(pilot, "h", "h", "1")  # AGENT on the ATTACK itself: never the head
        assert links_of(tui_db, doc) == []
        assert "AGENT takes PER, ORG, GPE or NORP" in status_line(app)


async def test_x_in_link_mode_unlinks_the_argument_and_keeps_every_span(tui_db):
    app = make_app(tui_db)
    async with app.run_test(size=SIZE) as pilot:
        doc = await open_row(pilot, app)
        await label_attack(pilot, app)
        await press(pilot, "r", "l", "l", "2", "l", "l", "2")  # Armenia taken as TARGET by mistake, then Azerbaijan
        before = spans_of(tui_db, doc)
        await press(pilot, "h", "h", "x")  # fix it: unlink Armenia ...
        assert "unlinked TARGET “Armenia” (the spans stay" in status_line(app)
        await press(pilot, "1")  # ... and link it as AGENT, still in link mode
        assert spans_of(tui_db, doc) == before
        assert links_of(tui_db, doc) == [("ATTACK", "pertempuran", "TARGET", "GPE", "Azerbaijan"),
                                         ("ATTACK", "pertempuran", "AGENT", "GPE", "Armenia")]
        await press(pilot, "u")  # one undo step per key
        assert [link[2] for link in links_of(tui_db, doc)] == ["TARGET"]


async def test_X_removes_one_link_outside_link_mode_keeping_both_spans(tui_db):
    app = make_app(tui_db)
    async with app.run_test(size=SIZE) as pilot:
        doc = await open_row(pilot, app)
        await label_attack(pilot, app)
        await press(pilot, "r", "l", "l", "1", "l", "l", "2", "escape")
        n = len(spans_of(tui_db, doc))
        await press(pilot, "h", "h", "X")  # on Armenia, the argument: one key
        assert links_of(tui_db, doc) == [("ATTACK", "pertempuran", "TARGET", "GPE", "Azerbaijan")]
        assert "removed the link ATTACK —AGENT→ “Armenia” (the spans stay)" in status_line(app)
        await press(pilot, "h", "h", "X")  # on the ATTACK, the head: its latest link
        assert links_of(tui_db, doc) == [] and len(spans_of(tui_db, doc)) == n


async def test_deleting_a_span_says_how_many_links_went_and_relabelling_says_old_to_new(tui_db):
    app = make_app(tui_db)
    async with app.run_test(size=SIZE) as pilot:
        doc = await open_row(pilot, app)
        await label_attack(pilot, app)
        await press(pilot, "r", "l", "l", "1", "l", "l", "2", "escape", "h", "h", "h", "h")
        await press(pilot, "3")  # relabel the ATTACK as CEASEFIRE_VIOLATION
        assert status_line(app).startswith("ATTACK → CEASEFIRE_VIOLATION")
        await press(pilot, "x")
        assert status_line(app).startswith("deleted CEASEFIRE_VIOLATION and its 2 link(s)")
        assert links_of(tui_db, doc) == []


async def test_r_starts_from_the_claim_on_a_token_inside_it_with_the_entity_layer_active(tui_db):
    app = make_app(tui_db)
    async with app.run_test(size=SIZE) as pilot:
        doc = await open_row(pilot, app)
        first, last = find_token(app, "Kami mendesak"), find_token(app, "disepakati")
        await press(pilot, "c")
        await select_tokens(pilot, app, first, last)
        await press(pilot, "5")  # DEMAND
        ceasefire = find_token(app, "gencatan senjata dan menghentikan")
        await press(pilot, "e")
        await goto_token(pilot, app, ceasefire)
        await press(pilot, "v", "l", "2")  # CEASEFIRE, inside the claim
        await press(pilot, "a")
        await goto_token(pilot, app, find_token(app, "Armenia untuk"))
        await press(pilot, "y")  # an entity inside the claim
        await press(pilot, "r")  # the entity layer is active: r still starts from the claim
        assert "1CLAIMANT" in screen_text(app) and status_line(app).startswith("link DEMAND")
        await goto_token(pilot, app, find_token(app, "Suleymanov.", 0))  # "kata Suleymanov": a PER suggestion
        await press(pilot, "1")
        await goto_token(pilot, app, ceasefire)
        await press(pilot, "3")  # ABOUT: the event, the innermost span there; never the claim itself
        claim_text = "Kami mendesak Armenia untuk melaksanakan gencatan senjata dan menghentikan provokasi" \
                     " militernya seperti yang telah disepakati"
        assert links_of(tui_db, doc) == [("DEMAND", claim_text, "CLAIMANT", "PER", "Suleymanov"),
                                         ("DEMAND", claim_text, "ABOUT", "CEASEFIRE", "gencatan senjata")]
        await press(pilot, "escape")
        # tab focus picks among heads: on the CEASEFIRE (inside the claim) r starts from the event
        await press(pilot, "r")
        assert status_line(app).startswith("link CEASEFIRE")
        await press(pilot, "escape", "tab")
        while app.screen.focused_mark is None or app.screen.focused_mark.layer != "claim":
            await press(pilot, "tab")
        await press(pilot, "r")
        assert status_line(app).startswith("link DEMAND")


async def test_o_jumps_from_an_argument_to_its_head_and_back(tui_db):
    app = make_app(tui_db)
    async with app.run_test(size=SIZE) as pilot:
        await open_row(pilot, app)
        event = await label_attack(pilot, app)
        await press(pilot, "r", "l", "l", "1", "escape")
        armenia = document_view(app).cursor
        await press(pilot, "o")
        assert document_view(app).cursor == event and "ATTACK “pertempuran”" in status_line(app)
        await press(pilot, "o")
        assert document_view(app).cursor == armenia and "back at the argument" in status_line(app)


async def test_escape_ends_link_mode_and_never_leaves_the_article(tui_db):
    app = make_app(tui_db)
    async with app.run_test(size=SIZE) as pilot:
        doc = await open_row(pilot, app)
        await press(pilot, "e")
        await goto_token(pilot, app, find_token(app, "pertempuran"))
        await press(pilot, "1", "r", "escape")
        assert on_annotate(app) and "link role" not in screen_text(app)
        await press(pilot, "escape")
        assert on_annotate(app)
        await press(pilot, "l", "l", "1")  # a label again, not a role
        assert links_of(tui_db, doc) == []
        assert [(s["layer"], s["text"]) for s in spans_of(tui_db, doc)] == [("event", "pertempuran"),
                                                                             ("event", "Armenia")]


# -- actors and attributes ------------------------------------------------------------------------


async def pick_option(pilot, app, option_id: str) -> None:
    """Move the picker's highlight down to an option, as a user reading the list would."""
    from textual.widgets import OptionList

    options = app.screen.query_one(OptionList)
    for _ in range(options.option_count):
        if options.get_option_at_index(options.highlighted).id == option_id:
            return
        await press(pilot, "down")
    raise AssertionError(f"{option_id} is not in the picker")


async def test_actor_picker_links_a_registry_actor(tui_db):
    app = make_app(tui_db)
    async with app.run_test(size=SIZE) as pilot:
        doc = await open_row(pilot, app)
        await goto_token(pilot, app, find_token(app, "Armenia"))
        await press(pilot, "y", "at")
        assert "Actor for “Armenia”" in screen_text(app)
        assert "ARM_GOV" in screen_text(app)
        await pick_option(pilot, app, "ARM_GOV")
        await press(pilot, "enter")
        assert on_annotate(app)
        (span,) = spans_of(tui_db, doc)
        assert (span["text"], span["actor_id"]) == ("Armenia", "ARM_GOV")
        assert "Armenia[GPE@ARM_GOV]" in screen_text(app)


async def test_actor_picker_adds_a_new_actor(tui_db):
    app = make_app(tui_db)
    async with app.run_test(size=SIZE) as pilot:
        doc = await open_row(pilot, app)
        await goto_token(pilot, app, find_token(app, "Liputan6.com"))
        await press(pilot, "y", "at", "ctrl+u")
        await type_text(pilot, "Liputan6 Media")
        assert "+ new actor “Liputan6 Media”" in screen_text(app)
        await pick_option(pilot, app, NEW_ACTOR)  # below the actors that match one of the words
        await press(pilot, "enter")
        assert "New actor LIPUTAN6_MEDIA" in screen_text(app)  # asks for its category and country
        await pick_option(pilot, app, "MEDIA")
        await press(pilot, "enter")
        await type_text(pilot, "idn")
        await press(pilot, "enter")
        (span,) = spans_of(tui_db, doc)
        assert span["actor_id"] == "LIPUTAN6_MEDIA"
    assert query(tui_db, "SELECT id, name, category, country FROM actors WHERE id = 'LIPUTAN6_MEDIA'") == [
        ("LIPUTAN6_MEDIA", "Liputan6 Media", "MEDIA", "IDN")]


async def test_escape_in_the_actor_picker_changes_nothing(tui_db):
    app = make_app(tui_db)
    async with app.run_test(size=SIZE) as pilot:
        doc = await open_row(pilot, app)
        await goto_token(pilot, app, find_token(app, "Armenia"))
        await press(pilot, "y", "at", "escape")
        assert on_annotate(app)
        assert [s["actor_id"] for s in spans_of(tui_db, doc)] == [None]


async def test_i_edits_attributes_modality_claimed(tui_db):
    app = make_app(tui_db)
    async with app.run_test(size=SIZE) as pilot:
        doc = await open_row(pilot, app)
        await press(pilot, "e")
        await goto_token(pilot, app, find_token(app, "pertempuran"))
        await press(pilot, "1", "i")
        assert "modality" in screen_text(app) and "claimed" in screen_text(app)
        await press(pilot, "j", "l", "l", "enter")  # modality: — → asserted → claimed
        (span,) = spans_of(tui_db, doc)
        assert span["attrs"] == {"modality": "claimed"}
        await press(pilot, "l", "h")  # back on the event: the status line sums it up
        assert "modality=claimed" in status_line(app)
        await press(pilot, "i", "k", "l", "escape")  # escape: polarity is not saved
        assert spans_of(tui_db, doc)[0]["attrs"] == {"modality": "claimed"}


# -- history --------------------------------------------------------------------------------------


async def test_undo_redo_chain_survives_quitting_and_reopening(tui_db):
    def state(doc):
        return sorted((s["label"], s["text"]) for s in spans_of(tui_db, doc))

    app = make_app(tui_db)
    async with app.run_test(size=SIZE) as pilot:
        doc = await open_row(pilot, app)
        await goto_token(pilot, app, find_token(app, "pemimpin"))
        await press(pilot, "1")                                   # 1 label
        await goto_token(pilot, app, find_token(app, "Armenia"))
        await press(pilot, "y")                                   # 2 accept
        await goto_token(pilot, app, find_token(app, "pemimpin"))
        await press(pilot, "2")                                   # 3 relabel
        await goto_token(pilot, app, find_token(app, "Azerbaijan"))
        await press(pilot, "y")                                   # 4 accept
        assert state(doc) == [("GPE", "Armenia"), ("GPE", "Azerbaijan"), ("ORG", "pemimpin")]
        await press(pilot, "u", "u", "u")
        assert state(doc) == [("PER", "pemimpin")]
        assert "undid" in status_line(app)
        await press(pilot, "ctrl+r")
        assert state(doc) == [("GPE", "Armenia"), ("PER", "pemimpin")]
        await press(pilot, "ctrl+q")

    app = make_app(tui_db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert on_annotate(app) and app.screen.doc_id == doc  # reopened where we were
        await press(pilot, "ctrl+r")                              # redo 3 (the relabel)
        assert state(doc) == [("GPE", "Armenia"), ("ORG", "pemimpin")]
        await press(pilot, "ctrl+r")                              # redo 4
        assert state(doc) == [("GPE", "Armenia"), ("GPE", "Azerbaijan"), ("ORG", "pemimpin")]
        await press(pilot, "ctrl+r")
        assert "nothing to redo" in status_line(app)
        await press(pilot, "u", "u")                              # undo 4, 3
        assert state(doc) == [("GPE", "Armenia"), ("PER", "pemimpin")]
        assert "Azerbaijan[GPE?]" in "\n".join(document_lines(app))  # its suggestion is open again
        await press(pilot, "ctrl+r")
        assert state(doc) == [("GPE", "Armenia"), ("ORG", "pemimpin")]
    ops = [r[0] for r in query(tui_db, "SELECT op FROM journal WHERE doc_id = ? GROUP BY batch ORDER BY batch",
                               (doc,))]
    assert ops == ["do"] * 4 + ["undo"] * 3 + ["redo"] * 3 + ["undo"] * 2 + ["redo"]


async def test_redo_the_first_change_after_the_cursor_was_saved(tui_db):
    """Label, undo, go back to the list (the cursor is saved), reopen, redo: the label is back."""
    app = make_app(tui_db)
    async with app.run_test(size=SIZE) as pilot:
        doc = await open_row(pilot, app)
        await goto_token(pilot, app, find_token(app, "pemimpin"))
        await press(pilot, "1", "u", "q")
        await open_row(pilot, app)
        await press(pilot, "ctrl+r")
        assert on_annotate(app), "the app must survive a failed redo"
        assert [(s["label"], s["text"]) for s in spans_of(tui_db, doc)] == [("PER", "pemimpin")], status_line(app)


# -- article status and navigation ----------------------------------------------------------------


async def test_d_s_f_set_the_status_and_move_on(tui_db):
    ids = doc_ids(tui_db)
    app = make_app(tui_db)
    async with app.run_test(size=SIZE) as pilot:
        assert await open_row(pilot, app) == ids[0]
        await press(pilot, "d")
        assert app.screen.doc_id == ids[1]  # the next to do
        assert "Akhiri Perang" in screen_text(app)
        await press(pilot, "s")
        assert app.screen.doc_id == ids[2]
        await press(pilot, "f")
        assert app.screen.doc_id == ids[2]  # flagging stays
        assert "flagged" in status_line(app)
        await press(pilot, "q")
        text = screen_text(app)
        assert "1 of 5 done" in text and "1 skipped" in text and "1 flagged" in text
    assert dict(query(tui_db, "SELECT doc_id, status FROM progress WHERE annotator = ? AND status != 'todo'",
                      (ANNOTATOR,))) == {ids[0]: "done", ids[1]: "skipped", ids[2]: "flagged"}


async def test_d_on_the_last_article_to_do_returns_to_the_list(tui_db):
    ids = doc_ids(tui_db)
    app = make_app(tui_db)
    async with app.run_test(size=SIZE) as pilot:
        await open_row(pilot, app)
        for _ in ids:
            await press(pilot, "d")
        assert on_list(app)
        assert "5 of 5 done" in screen_text(app)


async def test_n_and_p_open_the_next_and_previous_article(tui_db):
    ids = doc_ids(tui_db)
    app = make_app(tui_db)
    async with app.run_test(size=SIZE) as pilot:
        await open_row(pilot, app)
        await press(pilot, "p")
        assert app.screen.doc_id == ids[0] and "no more articles" in status_line(app)
        await press(pilot, "n")
        assert app.screen.doc_id == ids[1]
        await press(pilot, "n")
        assert app.screen.doc_id == ids[2]
        await press(pilot, "p")
        assert app.screen.doc_id == ids[1]
        assert "Akhiri Perang" in screen_text(app)


async def test_slash_searches_in_the_article(tui_db):
    app = make_app(tui_db)
    async with app.run_test(size=SIZE) as pilot:
        await open_row(pilot, app)
        await press(pilot, "slash")
        await type_text(pilot, "putin")
        await press(pilot, "enter")
        assert cursor_token(app)[1] == "Putin"
        assert "Putin" in screen_text(app)
        await press(pilot, "escape")  # closes the search box, stays in the article
        assert on_annotate(app)
        await press(pilot, "l")  # keys move the cursor again
        assert cursor_token(app)[1] == "juga"
        await press(pilot, "slash", "ctrl+u")
        await type_text(pilot, "Armenia")
        await press(pilot, "enter")
        first = document_view(app).cursor_offset
        await press(pilot, "enter")  # enter again: the next match
        assert document_view(app).cursor_offset > first
        assert cursor_token(app)[1] == "Armenia"
        await press(pilot, "slash", "ctrl+u")
        await type_text(pilot, "tidak ada")
        await press(pilot, "enter")
        assert "is not in this article" in status_line(app)


async def test_q_goes_back_to_the_list_and_escape_does_not(tui_db):
    app = make_app(tui_db)
    async with app.run_test(size=SIZE) as pilot:
        await open_row(pilot, app)
        await press(pilot, "q")
        assert on_list(app)
        await open_row(pilot, app)
        await press(pilot, "escape")
        assert on_annotate(app)
        await press(pilot, "q", "q")  # q on the list quits
        assert app._exit and app.return_code == 0


# -- help, remapping, command palette -------------------------------------------------------------


async def test_help_lists_every_key_of_the_live_keymap(tui_db):
    from tui.keymap import ANNOTATE

    app = make_app(tui_db)
    async with app.run_test(size=SIZE) as pilot:
        await open_row(pilot, app)
        await press(pilot, "question_mark")
        text = help_text(app)
        assert "Keys" in screen_text(app)
        rows = [line.split("  ")[0].strip() for line in text.splitlines() if line.strip()]
        for binding in ANNOTATE:
            assert binding.description in text, binding.id
        keys = {key for keys in rows for key in keys.split()}
        for key in ("h", "l", "→", "←", "j", "k", "↓", "↑", "(", ")", "g", "G", "tab", "shift+tab", "shift+→", "L",
                    "H", "v", "a", "e", "c", "1", "9", "y", "⏎", "Y", "x", "del", "r", "@", "i", "u", "^r", "d", "s",
                    "f", "n", "p", "/", "?", "q", "esc", "^o"):
            assert key in keys, key
        await press(pilot, "escape")
        assert on_annotate(app)


async def test_help_and_the_palette_name_labels_and_roles(tui_db):
    from textual.command import CommandPalette

    app = make_app(tui_db)
    async with app.run_test(size=SIZE) as pilot:
        doc = await open_row(pilot, app)
        await press(pilot, "question_mark")
        rows = [" ".join(line.split()) for line in help_text(app).splitlines()]
        assert any(row.startswith("1 1 ATTACK: event label (e then 1)") for row in rows)
        assert any(row.startswith("3 Link role 3 ABOUT: in link mode from a claim: takes any event") for row in rows)
        assert any(row.startswith("X Unlink: Remove one link") for row in rows)
        await press(pilot, "escape")
        await goto_token(pilot, app, find_token(app, "pertempuran"))
        await press(pilot, "ctrl+p")
        assert isinstance(app.screen, CommandPalette)
        await type_text(pilot, "attack")
        await wait_for_text(pilot, "1 ATTACK")
        assert "1 ATTACK" in screen_text(app)
        await press(pilot, "enter")
        await pilot.pause()
        assert [(s["layer"], s["label"], s["text"]) for s in spans_of(tui_db, doc)] == [
            ("event", "ATTACK", "pertempuran")]
        await press(pilot, "ctrl+p")
        await type_text(pilot, "unlink")
        await wait_for_text(pilot, "Unlink (X)")
        assert "Unlink (X)" in screen_text(app)


async def test_the_footer_fits_80_columns_and_keeps_remapped_keys(tui_db, isolated_config):
    isolated_config.write_text('[keys]\nannotate.link = "w"\nannotate.delete = "z"\n', "utf-8")
    app = make_app(tui_db)
    async with app.run_test(size=SIZE) as pilot:
        await open_row(pilot, app)
        footer = screen_text(app).splitlines()[-1]
        for item in ("? Help", "w Link", "z Delete", "u Undo", "q Back"):
            assert item in footer, (item, footer)
        await press(pilot, "e", "1", "w")
        assert "z unlinks · w ends" in status_line(app)
        await press(pilot, "escape", "escape")
        assert "nothing to cancel · q goes back to the list" in status_line(app)


async def test_remapped_key_works_and_help_shows_it(tui_db, isolated_config):
    isolated_config.write_text('[keys]\n"annotate.accept" = "z"\n', "utf-8")
    app = make_app(tui_db)
    async with app.run_test(size=SIZE) as pilot:
        doc = await open_row(pilot, app)
        await goto_token(pilot, app, find_token(app, "Armenia"))
        assert "z accepts · x rejects" in status_line(app)  # hints name the keys as mapped
        await press(pilot, "y")  # no longer bound
        assert spans_of(tui_db, doc) == []
        await press(pilot, "z")
        assert [(s["label"], s["text"]) for s in spans_of(tui_db, doc)] == [("GPE", "Armenia")]
        await press(pilot, "question_mark")
        (accept,) = [line for line in help_text(app).splitlines() if "Accept the suggestion" in line]
        assert accept.split()[0] == "z" and " y " not in f" {accept} "


async def test_remap_with_the_documented_unquoted_dotted_key(tui_db, isolated_config):
    isolated_config.write_text('[keys]\nannotate.accept = "z"\n', "utf-8")
    app = make_app(tui_db)
    async with app.run_test(size=SIZE) as pilot:
        doc = await open_row(pilot, app)
        await goto_token(pilot, app, find_token(app, "Armenia"))
        await press(pilot, "z")
        assert [(s["label"], s["text"]) for s in spans_of(tui_db, doc)] == [("GPE", "Armenia")]


async def test_command_palette_runs_the_screen_actions(tui_db):
    from textual.command import CommandPalette

    app = make_app(tui_db)
    async with app.run_test(size=SIZE) as pilot:
        doc = await open_row(pilot, app)
        n = open_suggestions(tui_db, doc)
        await press(pilot, "ctrl+p")
        assert isinstance(app.screen, CommandPalette)
        await type_text(pilot, "Accept all")
        await wait_for_text(pilot, "Accept all (Y)")
        assert "Accept every open suggestion" in screen_text(app)
        await press(pilot, "enter")
        await pilot.pause()
        assert on_annotate(app)
        assert len(spans_of(tui_db, doc)) == n and open_suggestions(tui_db, doc) == 0


# -- the article list -----------------------------------------------------------------------------


async def test_list_help_shows_the_list_keys(tui_db):
    app = make_app(tui_db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await press(pilot, "question_mark")
        rows = help_rows(app)
        # enter, down and up are also the focused table's keys: help still lists them for the screen
        expected = {"Open": ["⏎"], "Next article": ["j", "↓"], "Previous article": ["k", "↑"], "Filter": ["/"],
                    "Status filter": ["t"], "Next to do": ["n"], "Help": ["?"], "Quit": ["q"]}
        for what, keys in expected.items():
            assert rows.get(what) == keys, (what, rows.get(what))
        await press(pilot, "escape")
        assert on_list(app)


async def test_list_shows_progress_summary_and_counts(tui_db):
    ids = doc_ids(tui_db)
    app = make_app(tui_db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        text = screen_text(app)
        assert "0 of 5 done" in text
        sugs = [open_suggestions(tui_db, d) for d in ids]
        rows = [line for line in text.splitlines() if line.startswith(" · ")]
        assert [line.split()[-1] for line in rows] == [str(n) for n in sugs]
        assert [line.split()[-2] for line in rows] == ["0"] * 5
        await open_row(pilot, app)
        await press(pilot, "Y", "d", "q")
        text = screen_text(app)
        assert "1 of 5 done" in text
        first = next(line for line in text.splitlines() if "Konflik Nagorno" in line)
        assert first.split()[0] == "✓" and first.split()[-2:] == [str(sugs[0]), "0"]


async def test_list_j_k_and_enter(tui_db):
    ids = doc_ids(tui_db)
    app = make_app(tui_db)
    async with app.run_test(size=SIZE) as pilot:
        assert await open_row(pilot, app, 2) == ids[2]
        await press(pilot, "q")
        await press(pilot, "k")
        assert await open_row(pilot, app) == ids[1]
        await press(pilot, "q", "down", "down", "up")
        assert await open_row(pilot, app) == ids[2]


async def test_list_slash_filters_by_text(tui_db):
    ids = doc_ids(tui_db)
    app = make_app(tui_db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await press(pilot, "slash")
        await type_text(pilot, "Lavrov")
        text = screen_text(app)
        assert "matching “Lavrov”" in text
        assert app.screen.query_one("ArticleTable").keys == [ids[2], ids[4]]
        assert "Konflik Nagorno" not in text and "Rusia Turun Tangan" in text
        await press(pilot, "enter")  # keeps the filter, back to the rows
        assert await open_row(pilot, app, 1) == ids[4]
        await press(pilot, "q", "slash", "ctrl+u", "escape")
        assert app.screen.query_one("ArticleTable").row_count == 5


async def test_list_t_cycles_the_status_filter(tui_db):
    ids = doc_ids(tui_db)
    app = make_app(tui_db)
    async with app.run_test(size=SIZE) as pilot:
        await open_row(pilot, app)
        await press(pilot, "d", "q")  # first done; the second was opened, nothing changed in it

        def shown():
            return app.screen.query_one("ArticleTable").keys

        await press(pilot, "t")
        assert "showing: todo" in screen_text(app) and shown() == ids[1:]
        await press(pilot, "t")
        assert "showing: doing" in screen_text(app) and shown() == []
        await press(pilot, "t")
        assert "showing: done" in screen_text(app) and shown() == ids[:1]
        await press(pilot, "t", "t", "t")
        assert "showing: all" in screen_text(app) and shown() == ids


async def test_list_n_opens_the_next_article_to_do(tui_db):
    ids = doc_ids(tui_db)
    app = make_app(tui_db)
    async with app.run_test(size=SIZE) as pilot:
        await open_row(pilot, app)
        await press(pilot, "d", "q", "n")
        assert on_annotate(app) and app.screen.doc_id == ids[1]


# -- restoring the session ------------------------------------------------------------------------


async def test_quitting_and_reopening_restores_the_article_and_cursor(tui_db):
    ids = doc_ids(tui_db)
    app = make_app(tui_db)
    async with app.run_test(size=SIZE) as pilot:
        await open_row(pilot, app, 2)
        for _ in range(7):
            await press(pilot, "l")
        await press(pilot, "j")
        where = cursor_token(app)
        await press(pilot, "ctrl+q")  # quit at once, from the article
    app = make_app(tui_db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert on_annotate(app) and app.screen.doc_id == ids[2]
        assert cursor_token(app) == where


async def test_reopening_an_article_from_the_list_restores_its_cursor(tui_db):
    app = make_app(tui_db)
    async with app.run_test(size=SIZE) as pilot:
        await open_row(pilot, app, 3)
        await press(pilot, "G", "k")
        where = cursor_token(app)
        await press(pilot, "q", "q")
    app = make_app(tui_db)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert on_list(app)  # we quit from the list
        await open_row(pilot, app, 3)
        assert cursor_token(app) == where
        assert document_view(app).scroll_offset.y > 0  # and the cursor is on screen


async def test_the_next_article_from_the_list_opens_on_the_kept_screen_as_on_a_new_one(tui_db):
    """The annotate screen is made once and kept for the next article opened from the list (making it
    was most of what opening cost); that article shows as on a new screen: its own text and title,
    the entity layer, no old status, search or selection."""
    from textual.widgets import Input

    app = make_app(tui_db)
    async with app.run_test(size=SIZE) as pilot:
        first = await open_row(pilot, app, 0)
        screen = app.screen
        await press(pilot, "e", "v", "l", "slash")
        assert screen.query_one("#search", Input).display
        await press(pilot, "escape", "q")
        assert on_list(app)
        second = await open_row(pilot, app, 2)
        assert app.screen is screen and second != first
        assert document_view(app).text == query(tui_db, "SELECT text FROM documents WHERE id = ?", (second,))[0][0]
        title = query(tui_db, "SELECT title FROM documents WHERE id = ?", (second,))[0][0]
        assert title in app.sub_title and screen.active_layer == "entity"
        assert not screen.query_one("#search", Input).display and document_view(app).selection is None
        assert "selecting" not in status_line(app)
        await press(pilot, "l", "q")
        assert on_list(app)


# -- what the article text may not do ---------------------------------------------------------------

HOSTILE = ("Judul [bold red]x[/] [link=http://x]y[/link] \x1b[2J \x1b]8;;http://evil\x1b\\click\x1b]8;;\x1b\\\n\n"
           "Armenia menulis [bold red]x[/] dan [link=http://x]y[/link] serta \x1b[2J lalu "
           "\x1b]8;;http://evil\x1b\\click\x1b]8;;\x1b\\ selesai. Baku menyerang Yerevan.")


def _import(db, articles):
    from annotations.corpus import import_articles
    from annotations.pretag import tag_documents
    from annotations.store import Store

    with Store(db) as store:
        import_articles(store, articles)
        tag_documents(store)  # so no worker runs in the test
        return store.document_ids()[-len(articles):]


async def test_markup_and_escape_codes_in_articles_are_shown_not_obeyed(tui_db):
    from annotations.corpus import jsonl_article

    article = jsonl_article(json.dumps({"text": HOSTILE}), "hostile.jsonl", 1)
    (doc,) = _import(tui_db, [article])
    app = make_app(tui_db)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert stray_escapes(render_frame(app)) == [], "the list lets escape codes through"
        assert "[bold red]x[/]" in screen_text(app)
        assert await open_row(pilot, app, 5) == doc
        shown = "".join("".join(document_lines(app)).split())
        for visible in ("[bold red]x[/]", "[link=http://x]y[/link]", "␛[2J", "␛]8;;http://evil␛\\click␛]8;;␛\\"):
            assert "".join(visible.split()) in shown, visible
        frame = render_frame(app)
        assert stray_escapes(frame) == [], "the article screen lets escape codes through"
        assert "[bold red]x[/]" in screen_text(app) and "␛[2J" in screen_text(app)
        # a span over the escape codes: the status line and the inspector show its text
        first = find_token(app, "\x1b]8;;http://evil", 1)
        last = find_token(app, "selesai") - 1
        await select_tokens(pilot, app, first, last)
        await press(pilot, "4")
        (span,) = [s for s in spans_of(tui_db, doc) if s["label"] == "LOC"]
        assert span["text"] == "\x1b]8;;http://evil\x1b\\click\x1b]8;;\x1b\\"
        assert stray_escapes(render_frame(app)) == []
        await press(pilot, "ctrl+o")  # the side panel (inspector) too
        assert "␛]8;;http" in screen_text(app)
        assert stray_escapes(render_frame(app)) == []
        await press(pilot, "at")  # and the actor picker's title and search box
        assert stray_escapes(render_frame(app)) == []


async def test_wide_and_combining_characters_keep_offsets(tui_db):
    from annotations.corpus import Article

    text = "Keluarga 👨‍👩‍👧 Armenia tiba di cafe\u0301 Baku. Pejabat 東京 Yerevan bertemu."
    (doc,) = _import(tui_db, [Article(text=text, title="Uji karakter")])
    app = make_app(tui_db)
    async with app.run_test(size=SIZE) as pilot:
        assert await open_row(pilot, app, 5) == doc
        view = document_view(app)
        for word in ("Armenia", "Baku", "Yerevan", "cafe\u0301", "東京"):
            await goto_token(pilot, app, find_token(app, word))
            # what the cursor highlights on screen is exactly the token
            cursor_cells = "".join(seg.text for seg in view._draw(view.line_of(view.cursor_offset))
                                   if seg.style and seg.style.reverse and seg.style.bold)
            assert cursor_cells == word
            await press(pilot, "3")
        spans = spans_of(tui_db, doc)
        assert [s["text"] for s in spans] == ["Armenia", "cafe\u0301", "Baku", "東京", "Yerevan"]
        for s in spans:
            assert (s["start"], s["end"]) in set(view.tokens)
            assert s["text"] == text[s["start"]:s["end"]]
        # each emoji as it is; the zero-width joiners between them as visible stand-ins (a terminal may or
        # may not join them into one glyph, so the view would not know the width drawn)
        assert "👨·👩·👧 Armenia[GPE]" in document_lines(app)[0]


# -- narrow and wide terminals --------------------------------------------------------------------


async def test_narrow_terminal_hides_the_panel_until_ctrl_o(tui_db):
    app = make_app(tui_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_row(pilot, app)
        panel = app.screen.query_one("#panel")
        assert not panel.display and "Nothing here" not in screen_text(app)
        await press(pilot, "ctrl+o")
        assert panel.display and "Nothing here" in screen_text(app)
        await press(pilot, "ctrl+o")
        assert not panel.display


async def test_wide_terminal_shows_the_panel(tui_db):
    app = make_app(tui_db)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_row(pilot, app)
        assert app.screen.query_one("#panel").display
        await goto_token(pilot, app, find_token(app, "Armenia"))
        await press(pilot, "y")
        text = screen_text(app)
        assert "GPE  entity" in text and "“Armenia”" in text


async def test_labelling_what_is_labelled_already_says_so_and_writes_nothing(tui_db):
    """A selection over an accepted span, given the same label again, would be the entity twice in every
    export (spaCy refuses such a Doc): the status line says so and the database keeps one span."""
    app = make_app(tui_db)
    async with app.run_test(size=SIZE) as pilot:
        doc = await open_row(pilot, app)
        armenia = find_token(app, "Armenia")
        await goto_token(pilot, app, armenia)
        await press(pilot, "y")
        await press(pilot, "v", "3")  # the same token, selected and labelled GPE by hand
        assert "GPE on “Armenia” is labelled already" in status_line(app)
        assert [(s["label"], s["text"]) for s in spans_of(tui_db, doc)] == [("GPE", "Armenia")]
        await press(pilot, "v", "1")  # another label on the same words is another span
        assert sorted((s["label"], s["text"]) for s in spans_of(tui_db, doc)) == [("GPE", "Armenia"),
                                                                                   ("PER", "Armenia")]
        while app.screen.item_at_cursor().label != "GPE":
            await press(pilot, "tab")
        await press(pilot, "1")  # relabelling the GPE span to PER would make the PER span twice
        assert "PER on “Armenia” is labelled already" in status_line(app)
        assert sorted(s["label"] for s in spans_of(tui_db, doc)) == ["GPE", "PER"]


async def test_Y_after_labelling_a_suggestion_by_hand_answers_it_with_that_span(tui_db):
    app = make_app(tui_db)
    async with app.run_test(size=SIZE) as pilot:
        doc = await open_row(pilot, app)
        n = open_suggestions(tui_db, doc)
        await goto_token(pilot, app, find_token(app, "Armenia"))
        await press(pilot, "v", "3")  # by hand, what the model suggests there too
        (hand,) = spans_of(tui_db, doc)
        await press(pilot, "Y")
        spans = spans_of(tui_db, doc)
        assert len(spans) == n and open_suggestions(tui_db, doc) == 0  # no span twice
        assert len({(s["layer"], s["label"], s["start"], s["end"]) for s in spans}) == n
        answered = [v for v in verdicts(tui_db, doc) if (v[0], v[1]) == (hand["start"], hand["end"])]
        assert [(v[3], v[4]) for v in answered] == [("accepted", hand["id"])]
        await press(pilot, "u")  # the accept goes; the hand span stays, its suggestion open again
        assert [s["id"] for s in spans_of(tui_db, doc)] == [hand["id"]] and open_suggestions(tui_db, doc) == n
