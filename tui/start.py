"""The ``tandai`` command's entry point.

The bare ``tandai [--db PATH] [--annotator NAME]`` opens the annotator without
importing click and the subcommands (they cost the first frame a tenth of its
time), and so does ``tandai review`` (the review list) with those options;
anything else (another subcommand, ``--help``, shell completion, an option
this does not know) goes to the click group in ``tui.cli``, which answers the
same for these too.
"""
from __future__ import annotations

import gc
import getpass
import os
import sqlite3
import sys
from collections.abc import Sequence

# Textual draws at most 60 frames a second by default, so no key can show in under 16.7 ms;
# a terminal app that mostly idles can afford 120.
os.environ.setdefault("TEXTUAL_FPS", "120")

from annotations.display import safe_text  # noqa: E402
from annotations.errors import TandaiError, error_line  # noqa: E402
from annotations.identifiers import identifier_problem  # noqa: E402

_BARE_OPTIONS = ("--db", "--annotator")
_BARE_COMMANDS = ("review",)  # opened as the bare command is, on their own first screen


def default_annotator() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "annotator"


def checked_annotator(name: str) -> str:
    problem = identifier_problem(name, "annotator name")
    if problem is not None:
        raise TandaiError(f"--annotator (or TANDAI_ANNOTATOR): {problem}")
    return name


def bare_options(args: Sequence[str]) -> dict[str, str] | None:
    """``--db`` and ``--annotator`` (the last of each wins, as in click), and ``command`` ("review") if one is
    given, when ``args`` holds nothing else; None for anything the click group should read (another command,
    ``--help``, a value that looks like an option)."""
    found: dict[str, str] = {}
    rest = list(args)
    while rest:
        arg = rest.pop(0)
        if arg in _BARE_COMMANDS and "command" not in found:
            found["command"] = arg
            continue
        name, equals, value = arg.partition("=")
        if name not in _BARE_OPTIONS:
            return None
        if not equals:
            if not rest:
                return None
            value = rest.pop(0)
        if value.startswith("-"):
            return None
        found[name[2:]] = value
    return found


def main(args: Sequence[str] | None = None, prog_name: str = "tandai") -> None:
    args = sys.argv[1:] if args is None else list(args)
    options = bare_options(args)
    if options is None or "_TANDAI_COMPLETE" in os.environ:
        from .cli import main as cli

        cli(args, prog_name=prog_name)
        return
    # as click resolves them: the option, else a non-empty environment variable, else the default
    db_path = options["db"] if "db" in options else os.environ.get("TANDAI_DB") or "tandai.db"
    # No garbage collection until the app's first frame (it starts it again): what start-up makes lives
    # for the session, and the collector's passes over it were ~4% of the first frame's work.
    gc.disable()
    try:
        annotator = checked_annotator(options["annotator"] if "annotator" in options
                                      else os.environ.get("TANDAI_ANNOTATOR") or default_annotator())
        from .launch import open_annotator

        open_annotator(db_path, annotator, review=options.get("command") == "review")
    except KeyboardInterrupt:
        sys.exit(130)  # the shell's code for "stopped by SIGINT", as the commands exit
    except (TandaiError, sqlite3.Error, OSError) as exc:
        sys.stderr.write(f"Error: {safe_text(error_line(exc))}\n")  # what click prints for the same error
        sys.exit(1)
