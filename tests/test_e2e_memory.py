"""The annotator's resident memory as the system sees it, from outside: the installed ``tandai`` in an
80x24 tmux window with a 1 MB article open (its suggestions drawn, moved to its end and back), at the
most it ever held (VmHWM), is at most 1.5 times a minimal Textual app's (one Static) run the same way:
many annotators on one server each run one."""
from __future__ import annotations

import sys
import time
from pathlib import Path

import pytest

from bench.bench_tui import MINIMAL_APP, MINIMAL_MARK, many_suggestions_db
from tui_fixtures import TANDAI, TMUX, Tmux, tandai_env

pytestmark = [
    pytest.mark.tmux,
    pytest.mark.skipif(TMUX is None, reason="tmux is not installed"),
    pytest.mark.skipif(TANDAI is None, reason="the tandai console script is not installed"),
    pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="resident memory is read from /proc (Linux)"),
]


def most_resident(argv: list[str], shows: str, keys: list[tuple[str, object]], tmp_path: Path) -> int:
    """VmHWM in KiB of the program (the pane's process) once it ``shows`` and ``keys`` were typed, each
    awaited by what it shows (or given a second)."""
    term = Tmux()
    try:
        term.start(argv, tandai_env(tmp_path), tmp_path)
        term.wait_for(shows, timeout=60)
        for key, result in keys:
            term.keys(key)
            if result is None:
                time.sleep(1)
            else:
                term.wait_for(result, timeout=60)
        time.sleep(1)
        status = Path(f"/proc/{term.pid}/status").read_text()
    finally:
        term.kill()
    return int(next(line for line in status.splitlines() if line.startswith("VmHWM:")).split()[1])


def test_a_1_mb_article_open_takes_at_most_one_and_a_half_times_a_minimal_apps_memory(tmp_path: Path):
    db = tmp_path / "big.db"
    many_suggestions_db(db, 100, every=5)  # an article with 100 suggestions, then a 1 MB one with 30,000
    minimal = most_resident([sys.executable, "-c", MINIMAL_APP], MINIMAL_MARK.decode(), [], tmp_path)
    tandai = most_resident([TANDAI, "--db", str(db)], "showing: all",
                           [("j", None), ("Enter", lambda screen: "a:entity" in screen and "Artikel 1 MB" in screen),
                            ("G", None), ("g", None)], tmp_path)
    assert tandai <= 1.5 * minimal, (tandai, minimal)
