"""End to end: the installed ``tandai`` in an 80x24 tmux window, on a fresh database, typed at like a user.

No database exists: tandai makes one from the bundled seeds and pre-tags it in
a worker; the test waits until the list shows suggestion counts, then opens an
article, accepts suggestions, labels an event with three arguments in one link
mode (fixing a wrong role with x) and a claim with its claimant and the event it
is about (from a token inside it, the entity layer active), presses escape
twice without leaving the article, undoes a mistake, marks the article done and quits, checking
the screen (capture-pane) along the way and the database rows at the end.
"""
from __future__ import annotations

import json
import re
import sqlite3
import time

import pytest

from tui_fixtures import TANDAI, TMUX, Tmux, list_suggestion_counts, spans_of, tandai_env

pytestmark = [
    pytest.mark.tmux,
    pytest.mark.skipif(TMUX is None, reason="tmux is not installed"),
    pytest.mark.skipif(TANDAI is None, reason="the tandai console script is not installed"),
]


def first_article_tokens(db):
    conn = sqlite3.connect(str(db))
    try:
        doc_id, text, tokens = conn.execute("SELECT id, text, tokens FROM documents ORDER BY seq LIMIT 1").fetchone()
    finally:
        conn.close()
    tokens = json.loads(tokens)

    def at(word: str, nth: int = 0) -> int:
        pos = -1
        for _ in range(nth + 1):
            pos = text.index(word, pos + 1)
        return next(i for i, (s, e) in enumerate(tokens) if s <= pos < e)

    return doc_id, at


def test_a_realistic_session(tmp_path):
    started = time.monotonic()
    db = tmp_path / "tandai.db"
    term = Tmux(80, 24)
    term.start([TANDAI], tandai_env(tmp_path), cwd=tmp_path)
    try:
        # a fresh database: the seeds are listed at once, pre-tagged by a worker meanwhile
        term.wait_for("0 of 5 done", timeout=15)
        screen = term.wait_for(lambda s: (c := list_suggestion_counts(s)) and len(c) == 5 and all(c), timeout=30)
        assert "tandai — alice" in screen
        doc_id, at = first_article_tokens(db)

        term.keys("Enter")
        term.wait_for("a:entity")
        # accept one suggestion with tab + y, then all the others with Y
        term.keys("Tab")
        term.wait_for("GPE? “Nagorno-Karabakh” suggested")
        term.keys("y")
        term.wait_for("accepted GPE")
        term.keys("Y")
        accepted_all = term.wait_for(re.compile(r"accepted (\d+) suggestion"))
        n_rest = int(re.search(r"accepted (\d+) suggestion", accepted_all).group(1))

        # an event with three arguments in one link mode: "pertempuran" ATTACK, AGENT Armenia, TARGET
        # Azerbaijan (first linked as AGENT by mistake, fixed with x), TIME "lima hari terakhir"
        term.keys("e")
        term.wait_for("1ATTACK")
        term.keys("/")
        term.wait_for("▔▔▔▔")
        term.type("pertempuran antara")
        term.keys("Enter")
        term.wait_for("found “pertempuran antara”")
        term.keys("Escape")
        term.wait_for(lambda s: "▔▔▔▔" not in s)
        pertempuran, lima = at("pertempuran antara"), at("lima hari terakhir")
        # o jumps from the argument back to the ATTACK, then h to the date
        event_keys = ["1", "r", "l", "l", "1", "l", "l", "2", "o", *["h"] * (pertempuran - lima), "6", "Escape"]
        fix_keys = ["x", "2"]
        term.keys("1", "r")
        linking = term.wait_for("link role")
        assert "1AGENT" in linking and "2TARGET" in linking and "link ATTACK “pertempuran”" in linking
        term.keys("l", "l", "1", "l", "l", "1")  # keys typed in a burst: Azerbaijan taken as AGENT, a slip
        term.wait_for("AGENT “Armenia”, AGENT “Azerbaijan”")
        term.keys(*fix_keys)  # x unlinks the argument under the cursor (the span stays); 2 links it as TARGET
        term.wait_for("AGENT “Armenia”, TARGET “Azerbaijan”")
        assert "Azerbaijan[GPE]‹TARGET›" in term.screen()  # the role is marked in the text at 80 columns
        term.keys(*event_keys[8:])
        term.wait_for("link mode ended")

        # a claim and its claimant: "Kami mendesak ... disepakati" DEMAND, CLAIMANT Suleymanov,
        # ABOUT the CEASEFIRE "gencatan senjata" inside it; linked from a token inside the claim
        # ("Armenia", an entity) with the entity layer active
        term.keys("c")
        term.wait_for("1ACCUSATION")
        term.keys("/")
        term.wait_for("▔▔▔▔")
        term.type("Kami mendesak")
        term.keys("Enter")
        term.wait_for("found “Kami mendesak”")
        term.keys("Escape")
        term.wait_for(lambda s: "▔▔▔▔" not in s)
        kami, end, suleymanov = at("Kami mendesak"), at("disepakati"), at("Suleymanov.")
        ceasefire, armenia = at("gencatan senjata dan menghentikan"), at("Armenia untuk")
        term.keys("v", *["l"] * (end - kami), "5")
        term.wait_for("DEMAND: Kami mendesak Armenia")
        # a ceasefire only asked for ("mendesak ... melaksanakan gencatan senjata") is no suggestion: labelled by hand
        term.keys("e", *["h"] * (end - ceasefire), "v", "l", "2")
        term.wait_for("senjata[CEASEFIRE]")
        term.keys("a", *["h"] * (ceasefire + 1 - armenia))  # from "senjata", where the selection ended
        term.wait_for("GPE “Armenia”")
        # o jumps from the claimant back to the claim's start, then l to the ceasefire
        claim_keys = ["r", *["l"] * (suleymanov - armenia), "1", "o", *["l"] * (ceasefire - kami), "3", "Escape"]
        term.keys(*claim_keys[:-1])
        linking = term.wait_for("CLAIMANT “Suleymanov”, ABOUT “gencatan")
        assert "link DEMAND “Kami mendesak" in linking and "senjata[CEASEFIRE]‹ABOUT›" in linking
        term.keys("Escape", "Escape")  # the last key of the task (ends link mode), then a habitual one (the focus o left)
        term.wait_for("CEASEFIRE “gencatan senjata” · 1 link(s)")  # still in the article, nothing linking
        assert "link role" not in term.screen()
        term.keys("Escape")
        term.wait_for("nothing to cancel · q goes back to the list")
        assert "a:entity" in term.screen()
        print(f"\nkeys per task (cursor on the trigger / on a token inside the claim): event with three arguments"
              f" {len(event_keys)} (+{len(fix_keys)} to fix a wrong role), claim with claimant and about"
              f" {len(claim_keys)}")

        # a slip, undone with u
        term.keys("a", "h", "1")
        term.wait_for("PER: melaksanakan")
        term.keys("u")
        term.wait_for("undid add_span")

        # done: the next article to do opens; back to the list; quit
        term.keys("d")
        term.wait_for("Akhiri Perang")
        term.keys("q")
        listing = term.wait_for("1 of 5 done")
        row = next(line for line in listing.splitlines() if "Konflik Nagorno" in line)
        assert row.split()[0] == "✓" and row.split()[-2:] == [str(len(spans_of(db, doc_id, "alice"))), "0"]
        term.keys("q")
        assert term.wait_dead() == 0
    finally:
        term.kill()

    conn = sqlite3.connect(str(db))
    try:
        layers = dict(conn.execute("SELECT layer, count(*) FROM spans WHERE doc_id = ? AND annotator = 'alice'"
                                   " GROUP BY layer", (doc_id,)).fetchall())
        # Y took the entity and event suggestions; the ATTACK typed by hand was among them, the CEASEFIRE is new
        assert sum(layers.values()) == n_rest + 3 and layers["claim"] == 1
        events = conn.execute("SELECT label, text FROM spans WHERE doc_id = ? AND layer = 'event'", (doc_id,)).fetchall()
        assert {("ATTACK", "pertempuran"), ("CEASEFIRE", "gencatan senjata")} <= set(events)
        open_suggestions = conn.execute(
            "SELECT count(*) FROM suggestions g WHERE g.doc_id = ? AND NOT EXISTS (SELECT 1 FROM verdicts v"
            " WHERE v.suggestion_id = g.id AND v.annotator = 'alice')", (doc_id,)).fetchone()[0]
        assert open_suggestions == 0
        links = conn.execute(
            "SELECT h.label, l.role, t.text FROM links l JOIN spans h ON h.id = l.head JOIN spans t ON t.id = l.tail"
            " WHERE l.doc_id = ? ORDER BY l.id", (doc_id,)).fetchall()
        assert links == [("ATTACK", "AGENT", "Armenia"), ("ATTACK", "TARGET", "Azerbaijan"),
                         ("ATTACK", "TIME", "lima hari terakhir"), ("DEMAND", "CLAIMANT", "Suleymanov"),
                         ("DEMAND", "ABOUT", "gencatan senjata")]
        assert conn.execute("SELECT text FROM spans WHERE layer = 'claim'").fetchone()[0].startswith(
            "Kami mendesak Armenia untuk melaksanakan gencatan senjata")
        assert conn.execute("SELECT count(*) FROM spans WHERE text = 'melaksanakan'").fetchone()[0] == 0
        assert conn.execute("SELECT status FROM progress WHERE doc_id = ? AND annotator = 'alice'",
                            (doc_id,)).fetchone() == ("done",)
        assert conn.execute("SELECT action FROM journal WHERE op = 'undo' AND annotator = 'alice'"
                            " GROUP BY batch").fetchall() == [("add_span",)]
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    finally:
        conn.close()
    assert time.monotonic() - started < 60
