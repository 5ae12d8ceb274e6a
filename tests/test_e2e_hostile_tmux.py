"""End to end: hostile data (escape sequences, C1, bidi, zero-width) imported every way a user can,
shown on every screen of the installed ``tandai`` in an 80x24 tmux window, with the raw terminal
output logged (``tmux pipe-pane``); the command line's reports and errors on the same data.

Nothing of the fixture's sequences may reach the terminal: no OSC 52 (clipboard), no OSC 8 (links),
no screen clear, no C1 CSI, no bidi or zero-width character. Names that cannot be valid (an actor id
or annotator name with escape codes) are refused where they come in, with one clean line; the same
names already in a database (written before the check) are still shown safely.
"""
from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from conftest import tandai_cmd
from hostile_fixture import HOSTILE_WORD, OSC52, leaks, rename_annotator, set_actor_id, write_inputs
from tui_fixtures import TANDAI, TMUX, Tmux, tandai_env

pytestmark = [
    pytest.mark.tmux,
    pytest.mark.skipif(TMUX is None, reason="tmux is not installed"),
    pytest.mark.skipif(TANDAI is None, reason="the tandai console script is not installed"),
]


def _cli(tmp_path: Path, db: Path):
    env = {k: v for k, v in os.environ.items() if k != "TANDAI_DB"}
    env.update(tandai_env(tmp_path))

    def run(*args: str, ok: bool = True) -> str:
        result = subprocess.run(tandai_cmd("--db", str(db), *args), capture_output=True, env=env, timeout=120,
                                cwd=tmp_path)
        out = (result.stdout + result.stderr).decode("utf-8")
        assert leaks(result.stdout + result.stderr) == [], f"tandai {' '.join(args)} printed:\n{out!r}"
        if ok:
            assert result.returncode == 0, out
        else:  # refused: one line, non-zero exit
            assert result.returncode == 1 and result.stdout == b"" and out.count("\n") == 1, out
        return out

    return run


def test_hostile_data_never_reaches_the_terminal(tmp_path):
    inputs = write_inputs(tmp_path / "in")
    db = tmp_path / "tandai.db"
    run = _cli(tmp_path, db)

    # names that cannot be valid are refused where they enter, and nothing is stored
    run("import", "--format", "prodigy", str(inputs.bad_prodigy_actor), ok=False)
    run("import", "--format", "brat", "--as", "bob", str(inputs.bad_brat_actor), ok=False)
    run("import", "--scheme", str(inputs.bad_scheme), str(inputs.articles), ok=False)
    run("--annotator", HOSTILE_WORD, "import", str(inputs.articles), ok=False)
    run("import", "--format", "prodigy", "--as", f"bob{OSC52}", str(inputs.prodigy), ok=False)
    assert not db.exists()

    # everything else comes in: articles, alice's Prodigy tasks, bob's brat files, carol's database
    run("import", str(inputs.articles))
    assert "actors added to the registry: EVIL_PRODIGY" in run("import", "--format", "prodigy", str(inputs.prodigy))
    run("import", "--format", "brat", "--as", "bob", str(inputs.brat))
    assert "annotators: 1 added (carol)" in run("merge", str(inputs.merge_source))
    run("merge", str(inputs.bad_merge_source), ok=False)
    run("tag")  # suggestions now, so the app starts no pre-tagging child
    # what a database written before names were checked may hold: shown safely all the same
    set_actor_id(db, "EVIL_PRODIGY", HOSTILE_WORD)
    rename_annotator(db, "bob", f"bob{OSC52}")
    for args in (["agreement", "--status", "any"], ["agreement", "--status", "any", "--by-article"],
                 ["agreement", "--status", "any", "--json"],
                 ["export", "prodigy", "-o", str(tmp_path / "out.jsonl"), "--all", "--status", "any"],
                 ["export", "events-csv", "-o", str(tmp_path / "events.csv"), "--status", "any"]):
        run(*args)
    assert "␛]52;c;" in run("agreement", "--status", "any", "--by-article")  # the name is there, as stand-ins

    log = tmp_path / "terminal.log"
    term = Tmux(80, 24)
    # a moment's wait before tandai starts, so the log has its very first frame too
    term.start(["sh", "-c", 'sleep 0.5; exec "$@"', "sh", TANDAI, "--db", str(db)], tandai_env(tmp_path),
               cwd=tmp_path)
    try:
        term.log_output(log)
        screen = term.wait_for("Gencatan", timeout=20)  # the list: hostile titles and outlets
        assert "␛]52;c;" in screen
        term.keys("j", "Enter")  # alice's article, from Prodigy; the cursor starts on her GPE span
        term.wait_for("a:entity")
        term.wait_for("GPE “Armenia”")  # the status line stands in for the inspector at 80 columns
        term.keys("C-o")  # the inspector: actor id, attribute values, links
        term.wait_for("AGENT of ATTACK")
        term.keys("@")  # the actor picker: ids and names from brat's N line and the Prodigy task
        term.wait_for("Actor for")
        term.keys("Escape")
        term.wait_for(lambda s: "Actor for" not in s)
        term.keys("e", "/")
        term.wait_for("▔▔▔▔")
        term.type("bertempur")
        term.keys("Enter")
        term.wait_for("found “bertempur”")
        term.keys("Escape")
        term.wait_for(lambda s: "▔▔▔▔" not in s)
        term.keys("i")  # the attribute editor
        term.wait_for("Attributes of ATTACK")
        term.keys("Escape")
        term.wait_for(lambda s: "Attributes of" not in s)
        term.keys("?")  # help
        term.wait_for("Keys (remap")
        term.keys("Escape")
        term.wait_for(lambda s: "Keys (remap" not in s)
        term.keys("q")
        term.wait_for("Gencatan")
        term.keys("R")  # review: annotator names in the list, the legend, the versions
        term.wait_for("alice✓")  # the rows come in as the list's worker compares the articles
        term.keys("Enter")
        term.wait_for("open disagreements")
        term.keys("Tab")
        term.wait_for(lambda s: "1:" in s or "here:" in s)
        term.keys("q")
        term.wait_for("Annotators")
        term.keys("q")
        term.wait_for("Gencatan")
        term.keys("q")
        term.wait_dead()
    finally:
        term.kill()
    output = log.read_bytes()
    assert len(output) > 10_000  # the screens were logged
    assert leaks(output) == []
