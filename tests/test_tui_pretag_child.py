"""Pre-tagging runs in a child process (``tandai tag --child-of``), never in the app's process.

In-process (Pilot): the list shows the child's progress, suggestions arrive, the
annotate screen's "tag this article now" uses a child too, a failing child is one
notification, and with nothing to tag no child starts. Through the installed
tandai in tmux: the app's process never maps spaCy, and the child dies with the
app when the app is killed with ``kill -9``.
"""
from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from annotations.corpus import import_seeds
from annotations.store import Store
from tui_fixtures import (  # noqa: F401  (fixtures are used by name)
    TANDAI,
    TMUX,
    Tmux,
    isolated_config,
    list_suggestion_counts,
    make_app,
    press,
    query,
    screen_text,
    status_line,
    tandai_env,
    tandai_pid,
    tui_db,
    tui_template,
)

SIZE = (80, 24)


@pytest.fixture
def untagged_db(tmp_path: Path) -> Path:
    path = tmp_path / "untagged.db"
    with Store(path) as store:
        import_seeds(store)
    return path


def children(pid: int) -> list[int]:
    """Process ids of ``pid``'s children, as the kernel lists them."""
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        found += [int(child) for child in (task / "children").read_text().split()]
    return found


def cmdline(pid: int) -> str:
    return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()


async def wait_until(pilot, check, timeout: float = 30.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        await pilot.pause(0.05)
    raise AssertionError(f"timed out waiting for {check.__name__}; the screen:\n{screen_text(pilot.app)}")


def suggestion_count(db: Path) -> int:
    return query(db, "SELECT count(*) FROM suggestions")[0][0]


@pytest.mark.anyio
async def test_start_up_tagging_shows_progress_and_runs_in_a_child(untagged_db):
    app = make_app(untagged_db, tag_on_start=True)
    async with app.run_test(size=SIZE) as pilot:
        def progress_shown():
            return "pre-tagging 0/5" in screen_text(app)

        def tagger():
            return [pid for pid in children(os.getpid()) if "--child-of" in cmdline(pid)]

        await wait_until(pilot, progress_shown)
        (child,) = await wait_until(pilot, tagger)
        assert f"tag --child-of {os.getpid()}" in cmdline(child)

        def tagged():
            return suggestion_count(untagged_db) and "pre-tagging" not in screen_text(app)

        await wait_until(pilot, tagged)
        await pilot.pause(0.2)
        counts = list_suggestion_counts(screen_text(app))
        assert len(counts) == 5 and all(counts), screen_text(app)  # the list shows the new suggestions
        assert sum(counts) == suggestion_count(untagged_db)
        assert not tagger() and not app.taggers


@pytest.mark.anyio
async def test_an_article_with_no_suggestions_is_tagged_in_a_child_when_opened(untagged_db):
    app = make_app(untagged_db)  # no start-up tagging: opening the article asks for it
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "enter")
        doc = app.screen.doc_id
        assert "pre-tagging this article" in status_line(app)

        def ready():
            return "suggestion(s) ready" in status_line(app)

        await wait_until(pilot, ready)
        tagged = query(untagged_db, "SELECT DISTINCT doc_id FROM suggestions")
        assert tagged == [(doc,)]  # that article only
        n = query(untagged_db, "SELECT count(*) FROM suggestions")[0][0]
        assert n > 0 and f"{n} suggestion(s) ready" in status_line(app)


@pytest.mark.anyio
async def test_nothing_to_tag_starts_no_child(tui_db):
    app = make_app(tui_db, tag_on_start=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause(1.0)
        assert children(os.getpid()) == [] and not app.taggers
        assert "pre-tagging" not in screen_text(app)


@pytest.mark.anyio
async def test_an_article_tagged_with_nothing_found_starts_no_child_when_opened(untagged_db):
    """As after ``tandai tag`` found nothing in it: opening it shows it as it is, no child tags it again."""
    import contextlib
    import sqlite3

    with contextlib.closing(sqlite3.connect(untagged_db)) as conn, conn:
        conn.execute("UPDATE documents SET tagged = 1")
    app = make_app(untagged_db)
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "enter")
        await pilot.pause(0.5)
        assert children(os.getpid()) == [] and not app.taggers
        assert "pre-tagging" not in status_line(app) and suggestion_count(untagged_db) == 0


@pytest.mark.anyio
async def test_a_failing_child_is_one_notification(untagged_db):
    app = make_app(untagged_db)
    async with app.run_test(size=SIZE) as pilot:
        # a model that is not there: the child says so and exits 1
        app._start_tagger(app_tag_command(app, "--model", "/no/such/model"))

        def notified():
            return [n for n in app._notifications if "pre-tagging failed" in n.message]

        (note,) = await wait_until(pilot, notified)
        assert "cannot load spaCy pipeline" in note.message and "\n" not in note.message
        assert note.severity == "error"
        assert suggestion_count(untagged_db) == 0


def app_tag_command(app, *extra: str) -> list[str]:
    from tui.tagging import tag_command

    return [*tag_command(app.db_path, os.getpid()), *extra]


# -- the installed tandai in tmux ---------------------------------------------------------------

needs_tmux = pytest.mark.skipif(TMUX is None or TANDAI is None, reason="tmux or the tandai script is not installed")


def wait(check, timeout: float = 30.0, what: str = ""):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        time.sleep(0.03)
    raise AssertionError(f"timed out waiting for {what or check}")


def start_fresh(tmp_path: Path) -> tuple[Tmux, int]:
    """tandai on a database that does not exist yet: the seeds are imported, then tagged by a child."""
    term = Tmux(80, 24)
    term.start([TANDAI, "--db", str(tmp_path / "tandai.db")], tandai_env(tmp_path), cwd=tmp_path)
    term.wait_for("of 5 done", timeout=20)
    return term, tandai_pid(term)


def tagger_of(app: int) -> list[int]:
    return [pid for pid in children(app) if "--child-of" in cmdline(pid)]


def maps_spacy(pid: int) -> bool:
    return "/spacy/" in Path(f"/proc/{pid}/maps").read_text()


@pytest.mark.tmux
@needs_tmux
def test_the_app_never_loads_spacy_and_its_child_tags(tmp_path):
    term, app = start_fresh(tmp_path)
    try:
        (child,) = wait(lambda: tagger_of(app), what="the tagging child")
        wait(lambda: maps_spacy(child), what="spaCy in the child")  # the check below can see spaCy
        screen = term.wait_for(lambda s: len(list_suggestion_counts(s)) == 5 and all(list_suggestion_counts(s))
                               and "pre-tagging" not in s, timeout=60)
        assert "0 of 5 done" in screen
        assert not maps_spacy(app)
        assert wait(lambda: not tagger_of(app), what="the child to end")
    finally:
        term.kill()


@pytest.mark.tmux
@needs_tmux
def test_the_child_dies_with_the_app(tmp_path):
    term, app = start_fresh(tmp_path)
    try:
        (child,) = wait(lambda: tagger_of(app), what="the tagging child")
        os.kill(app, 9)
        wait(lambda: not Path(f"/proc/{child}").exists() or "Z" in Path(f"/proc/{child}/stat").read_text().split()[2],
             timeout=10, what="the child to die")
    finally:
        term.kill()
