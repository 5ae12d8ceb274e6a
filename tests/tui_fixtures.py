"""Fixtures and helpers for the TUI tests (Pilot, snapshots, tmux, SIGKILL).

The five bundled seeds are imported and pre-tagged once per session; each test
gets its own copy of that database file, so no pre-tagging child runs
in a test and every test starts from the same state. Import what you need::

    from tui_fixtures import tui_db, doc_ids, make_app, screen_text, ...  # noqa: F401

(``tui_db`` and ``isolated_config`` are fixtures: importing them into a test
module makes them available there; ``isolated_config`` is autouse, so a
user's own ~/.config/tandai/config.toml never changes a test's keys.)
"""
from __future__ import annotations

import io
import json
import os
import re
import shlex
import signal
import shutil
import sqlite3
import subprocess
import time
import uuid
from pathlib import Path

import pytest

from conftest import copy_database

ANNOTATOR = "alice"

# Only SGR (colours, bold ...) and cursor positioning may reach the terminal from a frame.
_ALLOWED_ESCAPES = re.compile(r"\x1b\[[0-9;]*[mH]")


def build_pretagged(path: Path) -> Path:
    """A database holding the five bundled seeds and the rules' suggestions for them."""
    from annotations.corpus import import_seeds
    from annotations.pretag import tag_documents
    from annotations.store import Store

    with Store(path) as store:
        added, _ = import_seeds(store)
        assert added == 5
        report = tag_documents(store)
        assert report["suggestions"] > 0
    return path


@pytest.fixture(scope="session")
def tui_template(tmp_path_factory) -> Path:
    return build_pretagged(tmp_path_factory.mktemp("tui-template") / "tandai.db")


@pytest.fixture
def tui_db(tui_template: Path, tmp_path: Path) -> Path:
    """A fresh copy of the pre-tagged seed database for this test."""
    return copy_database(tui_template, tmp_path / "tandai.db")


@pytest.fixture
def anyio_backend() -> str:
    """Pilot tests (``pytest.mark.anyio``) run on asyncio only."""
    return "asyncio"


@pytest.fixture(autouse=True)
def isolated_config(tmp_path: Path, monkeypatch) -> Path:
    """No user config file: TANDAI_CONFIG points at a file that does not exist yet (tests may write it)."""
    path = tmp_path / "config" / "tandai.toml"
    path.parent.mkdir(parents=True, exist_ok=True)
    monkeypatch.setenv("TANDAI_CONFIG", str(path))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    return path


def make_app(db_path: Path | str, annotator: str = ANNOTATOR, **kwargs):
    from tui.app import TandaiApp

    kwargs.setdefault("tag_on_start", False)
    return TandaiApp(db_path, annotator, **kwargs)


def doc_ids(db_path: Path | str) -> list[str]:
    """Article ids in list order (seeds 000..004)."""
    conn = sqlite3.connect(str(db_path))
    try:
        return [r[0] for r in conn.execute("SELECT id FROM documents ORDER BY seq")]
    finally:
        conn.close()


def query(db_path: Path | str, sql: str, params=()) -> list[tuple]:
    """Rows read with plain sqlite3 (a second connection: what another process would see)."""
    conn = sqlite3.connect(str(db_path))
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


def render_frame(app) -> str:
    """The current screen as the terminal would receive it (escape codes included)."""
    from rich.console import Console

    width, height = app.size
    console = Console(width=width, height=height, file=io.StringIO(), force_terminal=True,
                      color_system="truecolor", record=True, legacy_windows=False, safe_box=False)
    console.print(app.screen._compositor.render_update(full=True, screen_stack=app._background_screens))
    return console.file.getvalue()


def screen_text(app) -> str:
    """The current screen as plain text, one line per terminal row."""
    from rich.console import Console

    width, height = app.size
    console = Console(width=width, height=height, file=io.StringIO(), force_terminal=True,
                      color_system="truecolor", record=True, legacy_windows=False, safe_box=False)
    console.print(app.screen._compositor.render_update(full=True, screen_stack=app._background_screens))
    return console.export_text()


def stray_escapes(frame: str) -> list[str]:
    """Escape sequences in a rendered frame other than SGR and cursor moves (should be none)."""
    rest = _ALLOWED_ESCAPES.sub("", frame)
    return [rest[i:i + 12] for i in range(len(rest)) if rest[i] == "\x1b"]


def document_view(app):
    from tui.widgets.document import DocumentView

    return app.screen.query_one(DocumentView)


def document_lines(app) -> list[str]:
    """Every screen line of the article as the document view draws it (Line API strips)."""
    view = document_view(app)
    return [view._draw(i).text for i in range(view.line_count)]


def cursor_token(app) -> tuple[int, str]:
    """(token index, token text) under the cursor."""
    view = document_view(app)
    start, end = view.tokens[view.cursor]
    return view.cursor, view.text[start:end]


def status_line(app) -> str:
    from textual.widgets import Static

    content = app.screen.query_one("#status", Static).content
    return getattr(content, "plain", str(content))


@pytest.fixture(autouse=True)
def quick_pilot(monkeypatch):
    """Pilot waits for the app to go idle after each key by sleeping in 20 ms slices; 5 ms slices
    make the keystroke-heavy tests four times faster (``press`` also waits for empty queues)."""
    import textual._wait

    monkeypatch.setattr(textual._wait, "SLEEP_GRANULARITY", 0.005)


async def settle(app, timeout: float = 2.0) -> None:
    """Wait until the app, its screen and every widget on it have no messages left to handle."""
    import asyncio
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        nodes = [app, app.screen, *app.screen.walk_children()]
        if all(node._message_queue.empty() for node in nodes):
            app.screen._on_timer_update()  # lay out and paint now, as Pilot.pause does
            return
        await asyncio.sleep(0.002)


async def listed(app, timeout: float = 10.0) -> None:
    """Wait until the review list shows every comparison it started (its worker threads are done)."""
    import asyncio
    import time

    from tui.screens.review_list import ReviewListScreen

    deadline = time.monotonic() + timeout
    while not (isinstance(app.screen, ReviewListScreen) and not app.screen.comparing):
        assert time.monotonic() < deadline, "the review list is still comparing"
        await asyncio.sleep(0.01)
    await settle(app)


async def press(pilot, *keys: str) -> None:
    """Press keys one at a time, letting the app handle each before the next (as a typist would)."""
    for key in keys:
        await pilot.press(key)
        await settle(pilot.app)


async def type_text(pilot, text: str) -> None:
    """Type characters into a focused input."""
    for ch in text:
        await pilot.press(_key_name(ch))
    await settle(pilot.app)


async def wait_for_text(pilot, text: str, tries: int = 20) -> None:
    """Wait up to ``tries`` x 50 ms for ``text`` on the screen: the command palette searches asynchronously.
    Callers assert what they expect afterwards."""
    for _ in range(tries):
        if text in screen_text(pilot.app):
            return
        await pilot.pause(0.05)


def _key_name(ch: str) -> str:
    from textual.keys import _character_to_key

    return _character_to_key(ch) if not ch.isalnum() else ch


async def goto_token(pilot, app, index: int) -> None:
    """Move the cursor to a token with the movement keys: j/k to its line, then h/l."""
    view = document_view(app)
    target_line = view.line_of(view.tokens[index][0])
    while view.line_of(view.cursor_offset) != target_line:
        before = view.cursor
        await press(pilot, "j" if view.line_of(view.cursor_offset) < target_line else "k")
        if view.cursor == before:
            break
    while view.cursor > index:
        await press(pilot, "h")
    while view.cursor < index:
        await press(pilot, "l")
    assert view.cursor == index


async def select_tokens(pilot, app, first: int, last: int) -> None:
    """Select tokens first..last as a user does: go to the first, v, then l until the last."""
    await goto_token(pilot, app, first)
    await press(pilot, "v")
    for _ in range(last - first):
        await press(pilot, "l")


def token_index(app, offset: int) -> int:
    view = document_view(app)
    return next(i for i, (s, e) in enumerate(view.tokens) if s <= offset < e)


def find_token(app, word: str, nth: int = 0) -> int:
    """Index of the token starting the ``nth`` occurrence of ``word`` in the open article."""
    view = document_view(app)
    pos = -1
    for _ in range(nth + 1):
        pos = view.text.index(word, pos + 1)
    return token_index(app, pos)


def spans_of(db_path, doc_id: str, annotator: str = ANNOTATOR) -> list[dict]:
    conn = sqlite3.connect(str(db_path))
    conn.row_factory = sqlite3.Row
    try:
        rows = conn.execute("SELECT * FROM spans WHERE doc_id = ? AND annotator = ? ORDER BY start, id",
                            (doc_id, annotator)).fetchall()
        out = []
        for r in rows:
            d = dict(r)
            d["attrs"] = json.loads(d["attrs"] or "{}")
            d["origin"] = json.loads(d["origin"] or "{}") if "origin" in d else {}
            out.append(d)
        return out
    finally:
        conn.close()


# -- the installed tandai in a real terminal (tmux): end-to-end and SIGKILL tests -------------------

TANDAI = shutil.which("tandai")
TMUX = shutil.which("tmux")


class Tmux:
    """One tmux server (own socket) with one 80x24 window running a command."""

    def __init__(self, width: int = 80, height: int = 24):
        self.socket = f"tandai-test-{os.getpid()}-{uuid.uuid4().hex[:8]}"
        self.width, self.height = width, height
        self.target = "t"

    def _tmux(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        return subprocess.run([TMUX, "-L", self.socket, *args], capture_output=True, text=True, check=check,
                              timeout=10)

    def start(self, argv: list[str], env: dict[str, str], cwd: Path) -> None:
        command = " ".join(shlex.quote(a) for a in ["env", "-u", "TANDAI_DB", *(f"{k}={v}" for k, v in env.items()),
                                                    *argv])
        self._tmux("-f", "/dev/null", "new-session", "-d", "-s", self.target, "-x", str(self.width),
                   "-y", str(self.height), "-c", str(cwd), command)
        self._tmux("set-option", "-t", self.target, "remain-on-exit", "on")

    def keys(self, *keys: str) -> None:
        """tmux key names (Enter, Tab, Escape, C-r ...) or single characters, sent in order."""
        self._tmux("send-keys", "-t", self.target, *keys)

    def type(self, text: str) -> None:
        self._tmux("send-keys", "-t", self.target, "-l", text)

    def screen(self) -> str:
        return self._tmux("capture-pane", "-p", "-t", self.target).stdout

    def history(self) -> str:
        """The screen and every line scrolled off it: what a program printed after leaving the screen."""
        return self._tmux("capture-pane", "-p", "-S", "-", "-t", self.target).stdout

    def log_output(self, path: Path) -> None:
        """Append everything the program writes to the terminal, raw bytes and all, to ``path`` (pipe-pane)."""
        self._tmux("pipe-pane", "-o", "-t", self.target, f"cat >> {shlex.quote(str(path))}")

    def pane(self, fmt: str) -> str:
        return self._tmux("display-message", "-p", "-t", self.target, fmt).stdout.strip()

    @property
    def pid(self) -> int:
        return int(self.pane("#{pane_pid}"))

    @property
    def dead(self) -> bool:
        return self.pane("#{pane_dead}") == "1"

    def wait_for(self, what, timeout: float = 10.0, interval: float = 0.03) -> str:
        """Poll the screen until ``what`` (text, compiled regex, or predicate on the text) shows; returns the screen."""
        deadline = time.monotonic() + timeout
        screen = ""
        while time.monotonic() < deadline:
            screen = self.screen()
            if isinstance(what, str):
                ok = what in screen
            elif isinstance(what, re.Pattern):
                ok = what.search(screen) is not None
            else:
                ok = what(screen)
            if ok:
                return screen
            time.sleep(interval)
        raise AssertionError(f"timed out after {timeout}s waiting for {what!r}; the screen:\n{screen}")

    def wait_dead(self, timeout: float = 10.0) -> int:
        """The exit status of the pane's program once it has ended. tmux marks a pane dead when its
        terminal closes and learns the status only when it reaps the process, which tmux 3.3 at times
        leaves undone for many seconds (the status reads empty, which is no 0): the ended process's
        status is then read from the kernel (``/proc/PID/stat``'s exit_code, kept for a zombie)."""
        deadline = time.monotonic() + timeout
        pid = self.pid
        while time.monotonic() < deadline:
            if self.dead:
                status, signal = self.pane("#{pane_dead_status}"), self.pane("#{pane_dead_signal}")
                code = int(status) if status else None if signal else _zombie_status(pid)
                if signal or (code is not None and code < 0):
                    raise AssertionError(f"tandai died of signal {signal or -code}; the screen:\n{self.screen()}")
                if code is not None:
                    return code
            time.sleep(0.05)
        raise AssertionError(f"tandai did not exit; the screen:\n{self.screen()}")

    def kill(self) -> None:
        self._tmux("kill-server", check=False)


def _zombie_status(pid: int) -> int | None:
    """The exit status of an ended process its parent has not reaped yet (minus the signal that ended
    it); None while it runs or once it is gone."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = stat[stat.rindex(")") + 2:].split()  # from field 3, the state; field 52 is exit_code
    if fields[0] != "Z" or len(fields) < 50:
        return None
    code = int(fields[49])
    return -(code & 0x7F) if code & 0x7F else code >> 8


def tandai_pid(term: Tmux) -> int:
    """The pane runs env -> the tandai script (exec all the way): that pid is the Python process."""
    pid = term.pid
    cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    assert "tandai" in cmdline and "python" in cmdline.lower(), cmdline
    return pid


def kill9(term: Tmux) -> None:
    pid = tandai_pid(term)
    # os.kill succeeding means the app was still running, and SIGKILL cannot be caught: it died of it.
    # (tmux's pane_dead_signal is not checked: here it is sometimes left empty for a killed pane.)
    os.kill(pid, signal.SIGKILL)
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and not term.dead:
        time.sleep(0.02)
    assert term.dead


def tandai_env(tmp: Path) -> dict[str, str]:
    """Variables set for tandai on top of the test's own environment (no user config, a fixed name)."""
    return {
        "TERM": "xterm-256color",
        "COLORTERM": "truecolor",
        "LANG": "C.UTF-8",
        "LC_ALL": "C.UTF-8",
        "TANDAI_CONFIG": str(tmp / "no-config.toml"),
        "XDG_CONFIG_HOME": str(tmp / "config"),
        "TANDAI_ANNOTATOR": "alice",
        "TEXTUAL_ANIMATIONS": "none",
    }


def list_suggestion_counts(screen: str) -> list[int]:
    """The Sug column of each article row on the list screen."""
    counts = []
    for line in screen.splitlines():
        parts = line.split()
        if len(parts) > 3 and parts[0] in "·…✓»!" and parts[-1].isdigit():
            counts.append(int(parts[-1]))
    return counts


def help_text(app) -> str:
    """The help screen's table, rendered wide enough that nothing is cut."""
    import io

    from rich.console import Console
    from textual.widgets import Static

    console = Console(width=200, file=io.StringIO(), color_system=None)
    for static in app.screen.query(Static):
        console.print(static.content)
    return console.file.getvalue()


def help_rows(app) -> dict[str, list[str]]:
    """The help screen's table: description (without its tooltip) -> keys."""
    rows = {}
    for line in help_text(app).splitlines():
        if "  " in line.strip():
            keys, does = line.strip().split("  ", 1)
            rows[does.strip().split(":")[0]] = keys.split()
    return rows
