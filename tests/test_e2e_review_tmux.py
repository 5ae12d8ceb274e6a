"""End to end review: the installed ``tandai`` in an 80x24 tmux window, three sessions on one fresh database.

ann1 and ann2 each open the first seed article and label the same token
("Armenia", the first in the title) with a different label from the keyboard,
agree on "Azerbaijan", and ann2 alone labels "Nagorno-Karabakh"; both mark
the article done. Then rita runs ``tandai review``: the cursor opens on the
first disagreement (ann2's lone span), tab goes on to "Armenia", 1 takes ann1's
version, M accepts the agreed "Azerbaijan". ``tandai export prodigy
--annotator gold`` then shows exactly the settled spans, with ann1's label.

A link's role: ann1 and ann2 both make "Sepakati" (in the title) a CEASEFIRE
linked to "Armenia", as PARTICIPANT and as MEDIATOR. rita sees the two roles
side by side on the status line, takes ann1's event before its argument (the
status line says the link waits), accepts the agreed "Armenia" (the link
follows), marks the article settled with d, and ``tandai export prodigy
--from gold`` writes exactly that version; before d it refused, on one line.
"""
from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import time

import pytest

from tui_fixtures import TANDAI, TMUX, Tmux, list_suggestion_counts, query, tandai_env

pytestmark = [
    pytest.mark.tmux,
    pytest.mark.skipif(TMUX is None, reason="tmux is not installed"),
    pytest.mark.skipif(TANDAI is None, reason="the tandai console script is not installed"),
]


def session(db, tmp_path, *args: str) -> Tmux:
    term = Tmux(80, 24)
    term.start([TANDAI, "--db", str(db), *args], tandai_env(tmp_path), cwd=tmp_path)
    return term


def list_row(term: Tmux, summary: str) -> str:
    """The review list's row of the seed article, once the summary line says ``summary`` (the table may
    paint its rows a frame after the summary)."""
    screen = term.wait_for(lambda s: summary in s and "Konflik Nagorno" in s)
    return next(line for line in screen.splitlines() if "Konflik Nagorno" in line)


def open_first_article(term: Tmux) -> None:
    """From the article list, once every article is pre-tagged: open the first one."""
    term.wait_for(lambda s: (c := list_suggestion_counts(s)) and len(c) == 5 and all(c), timeout=30)
    term.keys("Enter")
    term.wait_for("a:entity")


def mark_done_and_quit(term: Tmux) -> None:
    """Mark the open article done, go back to the list and quit."""
    term.keys("d")
    term.wait_for("marked done; opened the next article to do")
    term.keys("q")
    term.wait_for("1 of 5 done")
    term.keys("q")
    assert term.wait_dead() == 0


def annotate_first_article(term: Tmux, steps: list[tuple[list[str], str]]) -> None:
    """From the article list: open the first article, run (keys, what the screen then shows) steps, mark it
    done and quit."""
    open_first_article(term)
    for keys, shows in steps:
        term.keys(*keys)
        term.wait_for(shows)
    mark_done_and_quit(term)


def test_two_annotators_then_a_reviewer_settle_gold(tmp_path):
    started = time.monotonic()
    db = tmp_path / "tandai.db"

    # ann1: a fresh database, made from the seeds and pre-tagged by a worker; entity digits: 1 PER 2 ORG 3 GPE
    term = session(db, tmp_path, "--annotator", "ann1")
    try:
        term.wait_for("0 of 5 done", timeout=15)
        annotate_first_article(term, [
            (["l"] * 5, "GPE? “Armenia” suggested"),
            (["3"], "accepted GPE"),
            (["l", "l"], "GPE? “Azerbaijan” suggested"),
            (["3"], "accepted GPE"),
        ])
    finally:
        term.kill()

    # ann2: ORG for "Armenia", the same GPE for "Azerbaijan", and "Nagorno-Karabakh" that ann1 left out
    term = session(db, tmp_path, "--annotator", "ann2")
    try:
        annotate_first_article(term, [
            (["l"], "GPE? “Nagorno-Karabakh” suggested"),
            (["3"], "accepted GPE"),
            (["l"] * 4, "GPE? “Armenia” suggested"),
            (["2"], "GPE → ORG"),
            (["l", "l"], "GPE? “Azerbaijan” suggested"),
            (["3"], "accepted GPE"),
        ])
    finally:
        term.kill()

    # rita reviews
    term = session(db, tmp_path, "--annotator", "rita", "review")
    try:
        row = list_row(term, "2 open disagreement(s)")
        assert "ann1✓ ann2✓" in row and " 2/2 " in row
        term.keys("Enter")
        term.wait_for("open disagreements: 2/2")
        term.wait_for("missing: 1: — · 2: GPE · open")  # the cursor opens on the first: ann2's lone span
        term.keys("Tab")
        term.wait_for("label: 1: GPE · 2: ORG · open")
        term.keys("1")
        screen = term.wait_for("took ann1's version into gold")
        assert "open disagreements: 1/2" in screen
        term.keys("M")
        screen = term.wait_for("accepted 1 span(s) all annotators agree on")
        assert "Armenia[GPE 1✓][ORG 2✗]" in screen and "Azerbaijan[GPE 1,2✓]" in screen
        term.keys("q")
        assert " 1/2 " in list_row(term, "1 open disagreement(s)")
        term.keys("q")  # `tandai review` started on the review list: q there quits
        assert term.wait_dead() == 0
    finally:
        term.kill()

    env = {**os.environ, **tandai_env(tmp_path)}
    env.pop("TANDAI_DB", None)
    out = subprocess.run([TANDAI, "--db", str(db), "export", "prodigy", "--annotator", "gold", "--status", "any",
                          "-o", "-"], capture_output=True, text=True, env=env, cwd=tmp_path, timeout=60)
    assert out.returncode == 0, out.stderr
    (task,) = [json.loads(line) for line in out.stdout.splitlines() if line.strip()]
    text = task["text"]
    assert task["_annotator_id"] == "gold" and text.startswith("Konflik Nagorno-Karabakh, Armenia dan Azerbaijan")
    armenia, azerbaijan = text.index("Armenia"), text.index("Azerbaijan")
    assert [(s["start"], s["end"], s["label"]) for s in task["spans"]] == [
        (armenia, armenia + len("Armenia"), "GPE"), (azerbaijan, azerbaijan + len("Azerbaijan"), "GPE")]

    conn = sqlite3.connect(str(db))
    try:
        origins = conn.execute("SELECT text, label, origin FROM spans WHERE annotator = 'gold' ORDER BY start").fetchall()
        assert [(t, label, json.loads(o)) for t, label, o in origins] == [
            ("Armenia", "GPE", {"annotators": ["ann1"], "reviewer": "rita", "from": "ann1"}),
            ("Azerbaijan", "GPE", {"annotators": ["ann1", "ann2"], "reviewer": "rita", "from": "ann1"}),
        ]
        assert conn.execute("SELECT layer, label, substr(d.text, r.start + 1, r.end - r.start), reviewer"
                            " FROM rejections r JOIN documents d ON d.id = r.doc_id").fetchall() == [
            ("entity", "ORG", "Armenia", "rita")]
        assert conn.execute("SELECT annotator, label FROM spans WHERE annotator != 'gold' AND text = 'Armenia'"
                            " ORDER BY annotator").fetchall() == [("ann1", "GPE"), ("ann2", "ORG")]
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    finally:
        conn.close()
    assert time.monotonic() - started < 60


def flat(screen: str) -> str:
    """The screen's rows joined, so a message wrapped over the status line's rows reads whole."""
    return " ".join(line.strip() for line in screen.splitlines())


def link_event_to_armenia(term: Tmux, db, name: str, role_digit: str, role: str) -> None:
    """In the first article: accept "Armenia" as GPE, make "Sepakati" a CEASEFIRE and link it to "Armenia"
    with the role's digit; each step waited for in the database, as another reader sees it."""
    mine = "SELECT s.label, s.text FROM spans s WHERE s.annotator = ? ORDER BY s.start"
    term.keys(*["l"] * 5)
    term.wait_for("GPE? “Armenia” suggested")
    term.keys("3")
    term.wait_for(lambda _: query(db, mine, (name,)) == [("GPE", "Armenia")])
    term.keys(*["l"] * 4, "e", "2")  # on "Sepakati": the event layer's label 2, CEASEFIRE
    term.wait_for(lambda _: query(db, mine, (name,)) == [("GPE", "Armenia"), ("CEASEFIRE", "Sepakati")])
    term.keys("r", *["h"] * 4, role_digit)  # link mode from the event, onto "Armenia", the role's digit
    linked = ("SELECT h.text, l.role, t.text FROM links l JOIN spans h ON h.id = l.head JOIN spans t ON t.id = l.tail"
              " WHERE l.annotator = ?")
    term.wait_for(lambda _: query(db, linked, (name,)) == [("Sepakati", role, "Armenia")])
    term.keys("r")  # ends link mode (Escape with a key right after it would read as alt+key)


def test_a_role_disagreement_settled_marked_done_and_exported_from_gold(tmp_path):
    started = time.monotonic()
    db = tmp_path / "tandai.db"
    for name, digit, role in (("ann1", "3", "PARTICIPANT"), ("ann2", "4", "MEDIATOR")):
        term = session(db, tmp_path, "--annotator", name)
        try:
            open_first_article(term)
            link_event_to_armenia(term, db, name, digit, role)
            mark_done_and_quit(term)
        finally:
            term.kill()

    env = {**os.environ, **tandai_env(tmp_path)}
    env.pop("TANDAI_DB", None)
    out = tmp_path / "gold.jsonl"

    def export(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([TANDAI, "--db", str(db), "export", "prodigy", *args], capture_output=True,
                              text=True, env=env, cwd=tmp_path, timeout=60)

    term = session(db, tmp_path, "--annotator", "rita", "review")
    try:
        row = list_row(term, "1 open disagreement(s)")
        assert "ann1✓ ann2✓" in row and row.split()[-3:] == ["1/1", "1.00", "—"]  # the spans agree, a role does not
        term.keys("Enter")
        # the cursor opens on the disagreement; at 80 columns both roles are on the status line, whole
        term.wait_for(lambda s: "links: 1: CEASEFIRE —PARTICIPANT→ Armenia · 2: CEASEFIRE —MEDIATOR→ Armenia · open"
                      in flat(s))
        term.keys("1")
        term.wait_for(lambda s: "took ann1's version into gold; 1 link waits for its argument:"
                      " CEASEFIRE —PARTICIPANT→ Armenia" in flat(s))
        term.keys("M")
        screen = term.wait_for("accepted 1 span(s) all annotators agree on")
        assert "open disagreements: 0/1" in screen and "waiting" not in screen
        # nothing settled yet: the export refuses on one line and writes nothing
        refused = export("--from", "gold", "-o", str(out))
        assert refused.returncode == 1 and len(refused.stderr.strip().splitlines()) == 1
        assert "no article's gold version is settled yet" in refused.stderr and not out.exists()
        term.keys("d")
        screen = term.wait_for("gold settled: export --from gold writes it")
        assert "· gold settled" in screen  # the legend
        term.keys("q")
        listing = term.wait_for("1 settled")
        row = next(line for line in listing.splitlines() if "Konflik Nagorno" in line)
        assert row.split()[-3:] == ["0/1", "1.00", "settled"]
        term.keys("q")
        assert term.wait_dead() == 0
    finally:
        term.kill()

    done = export("--from", "gold", "-o", str(out))
    assert done.returncode == 0, done.stderr
    (task,) = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
    text = task["text"]
    armenia, sepakati = text.index("Armenia"), text.index("Sepakati")
    assert task["_annotator_id"] == "gold" and text.startswith("Konflik Nagorno-Karabakh, Armenia dan Azerbaijan")
    assert [(s["start"], s["end"], s["label"]) for s in task["spans"]] == [
        (armenia, armenia + len("Armenia"), "GPE"), (sepakati, sepakati + len("Sepakati"), "CEASEFIRE")]
    assert [(r["head_span"]["start"], r["child_span"]["start"], r["label"]) for r in task["relations"]] == [
        (sepakati, armenia, "PARTICIPANT")]
    # the export is the gold layer as stored, and the old spelling of the option writes the same
    assert query(db, "SELECT start, end, label FROM spans WHERE annotator = 'gold' ORDER BY start") == [
        (armenia, armenia + len("Armenia"), "GPE"), (sepakati, sepakati + len("Sepakati"), "CEASEFIRE")]
    again = export("--annotator", "gold", "-o", "-")
    assert again.returncode == 0 and again.stdout == out.read_text("utf-8")
    assert time.monotonic() - started < 90
