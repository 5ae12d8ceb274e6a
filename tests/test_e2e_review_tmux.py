"""End to end review: the installed ``tandai`` in an 80x24 tmux window, three sessions on one fresh database.

ann1 and ann2 each open the first seed article and label the same token
("Armenia", the first in the title) with a different label from the keyboard,
agree on "Azerbaijan", and ann2 alone labels "Nagorno-Karabakh"; both mark
the article done. Then rita runs ``tandai review``: the cursor opens on the
first disagreement (ann2's lone span), tab goes on to "Armenia", 1 takes ann1's
version, M accepts the agreed "Azerbaijan". ``tandai export prodigy
--annotator gold`` then shows exactly the settled spans, with ann1's label.
"""
from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import time

import pytest

from tui_fixtures import TANDAI, TMUX, Tmux, list_suggestion_counts, tandai_env

pytestmark = [
    pytest.mark.tmux,
    pytest.mark.skipif(TMUX is None, reason="tmux is not installed"),
    pytest.mark.skipif(TANDAI is None, reason="the tandai console script is not installed"),
]


def session(db, tmp_path, *args: str) -> Tmux:
    term = Tmux(80, 24)
    term.start([TANDAI, "--db", str(db), *args], tandai_env(tmp_path), cwd=tmp_path)
    return term


def annotate_first_article(term: Tmux, steps: list[tuple[list[str], str]]) -> None:
    """From the article list: open the first article, run (keys, what the screen then shows) steps, mark it
    done and quit."""
    term.wait_for(lambda s: (c := list_suggestion_counts(s)) and len(c) == 5 and all(c), timeout=30)
    term.keys("Enter")
    term.wait_for("a:entity")
    for keys, shows in steps:
        term.keys(*keys)
        term.wait_for(shows)
    term.keys("d")
    term.wait_for("marked done; opened the next article to do")
    term.keys("q")
    term.wait_for("1 of 5 done")
    term.keys("q")
    assert term.wait_dead() == 0


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
        listing = term.wait_for("2 open disagreement(s)")
        row = next(line for line in listing.splitlines() if "Konflik Nagorno" in line)
        assert "ann1✓ ann2✓" in row and " 2/2 " in row
        term.keys("Enter")
        term.wait_for("open disagreements: 2/2")
        term.wait_for("missing: 1:— 2:GPE · open")  # the cursor opens on the first: ann2's lone span
        term.keys("Tab")
        term.wait_for("label: 1:GPE 2:ORG · open")
        term.keys("1")
        screen = term.wait_for("took ann1's version into gold")
        assert "open disagreements: 1/2" in screen
        term.keys("M")
        screen = term.wait_for("accepted 1 span(s) all annotators agree on")
        assert "Armenia[GPE 1✓][ORG 2✗]" in screen and "Azerbaijan[GPE 1,2✓]" in screen
        term.keys("q")
        listing = term.wait_for("1 open disagreement(s)")
        assert " 1/2 " in next(line for line in listing.splitlines() if "Konflik Nagorno" in line)
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
