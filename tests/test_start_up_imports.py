"""The bare ``tandai`` imports only what its first frame needs: the installed command, in an 80x24 tmux
window, under ``python -X importtime`` (which lists every module the process imports, on the terminal),
up to the article list's first frame. And the options it reads itself mean what click makes of them."""
from __future__ import annotations

import re
import shlex
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import run_tandai
from tui.start import bare_options
from tui_fixtures import TANDAI, TMUX, Tmux, tandai_env, tui_db, tui_template  # noqa: F401

# Not before the first frame: spaCy never in the app's process; the command line's click and subcommands,
# sqlite-utils (and the numpy it pulls in), the importer, exports, the scheme's TOML, the tokenizer (for an
# article) and hashlib (document ids) only when used.
NOT_AT_START = ("spacy", "click", "sqlite_utils", "numpy", "tui.cli", "annotations.corpus", "annotations.pretag",
                "annotations.export", "annotations.scheme", "tomllib", "annotations.tokens", "hashlib")


def imported_at_first_frame(db: Path, tmp_path: Path, *args: str, shows: str = "showing: all") -> set[str]:
    """Modules whose import the terminal shows before the first frame (of ``tandai --db DB ARGS``: the
    one that ``shows``); Textual draws on standard error, where ``-X importtime`` writes too: everything
    the program writes is logged, raw."""
    log = tmp_path / "terminal.log"
    term = Tmux()
    try:
        command = (f"exec {shlex.quote(sys.executable)} -X importtime {shlex.quote(TANDAI)} --db {shlex.quote(str(db))}"
                   + "".join(f" {shlex.quote(arg)}" for arg in args))
        term.start(["sh", "-c", f"read go; {command}"], tandai_env(tmp_path), tmp_path)
        term.log_output(log)  # before the program starts: it waits for the Enter below
        term.keys("Enter")
        term.wait_for(shows, timeout=60)
        deadline = time.monotonic() + 10
        while shows not in (output := log.read_bytes().decode("utf-8", "replace")):
            assert time.monotonic() < deadline, output[-2000:]  # the log trails the screen a little
            time.sleep(0.05)
    finally:
        term.kill()
    before_frame = output[:output.index(shows)]
    return set(re.findall(r"import time:\s+\d+ \|\s+\d+ \|\s*([\w.]+)", before_frame))


def dataclasses_in(modules: set[str]) -> list[str]:
    """The dataclasses (nested ones too) that tandai's own modules among ``modules`` define, imported in a
    fresh interpreter: a dataclass writes and compiles its methods when its module is imported."""
    ours = sorted(name for name in modules if name.split(".")[0] in ("tui", "annotations"))
    code = ("import dataclasses, importlib\n"
            f"for name in {ours!r}:\n"
            "    todo, seen = [importlib.import_module(name)], set()\n"
            "    while todo:\n"
            "        for value in vars(todo.pop()).values():\n"
            "            if isinstance(value, type) and value.__module__ == name and value not in seen:\n"
            "                seen.add(value)\n"
            "                todo.append(value)\n"
            "                if dataclasses.is_dataclass(value):\n"
            "                    print(f'{name}.{value.__qualname__}')\n")
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()


@pytest.mark.tmux
@pytest.mark.skipif(TMUX is None or TANDAI is None, reason="needs tmux and the installed tandai")
def test_the_first_frame_imports_nothing_it_does_not_draw(tui_db: Path, tmp_path: Path):
    """Nor does what it imports of tandai define a dataclass: six records' generated methods were a fifth
    of what tandai added to a minimal Textual app's first frame."""
    modules = imported_at_first_frame(tui_db, tmp_path)
    assert {"textual.app", "tui.app", "tui.screens.library", "annotations.store"} <= modules  # the log is read
    assert sorted(name for name in modules if name.split(".")[0] in NOT_AT_START or name in NOT_AT_START) == []
    assert {"annotations.records", "tui.widgets.article_table"} <= modules
    assert dataclasses_in(modules) == []


def test_dataclasses_are_found_where_there_are_some():
    """The look for dataclasses finds them (the annotate screen's modules, not on the first frame, have some)."""
    assert "tui.widgets.document.DocumentView.CursorMoved" in dataclasses_in({"tui.widgets.document"})


@pytest.mark.parametrize("args, expected", [
    ([], {}),
    (["--db", "a.db"], {"db": "a.db"}),
    (["--db=a.db", "--annotator", "bob", "--db", "b.db"], {"db": "b.db", "annotator": "bob"}),
    (["--annotator="], {"annotator": ""}),
    (["review"], {"command": "review"}),
    (["--db", "review", "review", "--annotator=bob"], {"db": "review", "command": "review", "annotator": "bob"}),
])
def test_the_bare_command_reads_its_two_options(args, expected):
    assert bare_options(args) == expected


@pytest.mark.parametrize("args", [["import", "x.txt"], ["--help"], ["--version"], ["--db"], ["--db", "--help"],
                                  ["--db", "a.db", "status"], ["--verbose"], ["-h"], ["review", "review"],
                                  ["review", "--help"], ["review", "--db"]])
def test_anything_else_is_for_the_command_line(args):
    assert bare_options(args) is None


def test_the_bare_command_says_what_click_said(tmp_path: Path):
    """A bad name from the option or the environment: the one line the command line gives, exit status 1."""
    for args in (["--annotator", "../x"], ["--annotator", "../x", "--db", str(tmp_path / "t.db")]):
        code, out, err = run_tandai("subprocess", args, cwd=tmp_path)
        assert (code, out) == (1, "") and err.startswith("Error: --annotator (or TANDAI_ANNOTATOR): ")
        assert len(err.splitlines()) == 1 and "path separator" in err, err
    assert not (tmp_path / "t.db").exists() and not (tmp_path / "tandai.db").exists()


@pytest.mark.tmux
@pytest.mark.skipif(TMUX is None or TANDAI is None, reason="needs tmux and the installed tandai")
def test_the_review_lists_first_row_imports_no_click_comparison_counting_nor_article_view(tmp_path: Path, tui_db: Path):
    """``tandai review`` shows its first row (who took part) without the command line's click, agreement's
    counting (and numpy), sqlite-utils, spaCy, or the article screen that opens from it."""
    from review_fixtures import annotate_three

    annotate_three(tui_db)
    modules = imported_at_first_frame(tui_db, tmp_path, "review", shows="carol✓")
    assert {"textual.app", "tui.screens.review_list", "annotations.review"} <= modules  # the log is read
    assert sorted(name for name in modules if name.split(".")[0] in ("spacy", "sqlite_utils", "numpy", "click")
                  or name in ("tui.cli", "annotations.agreement", "tui.screens.review", "tui.screens.article",
                              "tui.widgets.document", "annotations.tokens")) == []
