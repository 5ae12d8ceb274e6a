"""Pre-tagging for the app, in a child process, so the app never imports spaCy.

Many annotators on one server each run the app: spaCy's memory and a second
database connection belong in a process that ends when the tagging does. The
app runs ``tandai tag --child-of PID`` (this module's ``tag_command``), which
prints a progress line per batch on its standard output (``progress_line``);
a thread of the app reads them (``run_tagger``). The child dies with the app
(``annotations.children.die_with_parent``), even after ``kill -9``.
"""
from __future__ import annotations

import subprocess
import sys
import tempfile
from collections.abc import Callable, Sequence

PROGRESS = "tagged"
BATCH = 25  # articles per progress line: the opened article's suggestions come after the first batch


class TaggingFailed(Exception):
    """The child ended with an error; the message is its one-line error."""


def progress_line(done: int, total: int) -> str:
    return f"{PROGRESS} {done} {total}\n"


def parse_progress(line: str) -> tuple[int, int] | None:
    """(done, total) from a progress line; None for any other output of the child."""
    word, *numbers = line.split()
    if word != PROGRESS or len(numbers) != 2 or not all(n.isdigit() for n in numbers):
        return None
    return int(numbers[0]), int(numbers[1])


def tag_command(db_path: str, parent: int, *, doc_ids: Sequence[str] = (), first: str | None = None) -> list[str]:
    """The child's command line: untagged articles (``first`` first), or exactly ``doc_ids``."""
    argv = [sys.executable, "-m", "tui", "--db", db_path, "tag", "--child-of", str(parent)]
    for doc_id in doc_ids:
        argv += ["--doc", doc_id]
    if first is not None:
        argv += ["--first", first]
    return argv


def run_tagger(argv: list[str], progress: Callable[[int, int], None],
               started: Callable[[subprocess.Popen], None] = lambda proc: None) -> None:
    """Run the child to its end in this thread, passing on its progress; ``TaggingFailed`` if it fails.

    Its errors go to a temporary file, not a pipe: a child writing much there could
    otherwise block while this thread waits on its progress lines.
    """
    with tempfile.TemporaryFile("w+", encoding="utf-8", errors="replace") as errors:
        with subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=errors,
                              text=True, encoding="utf-8", errors="replace") as proc:
            started(proc)
            for line in proc.stdout:
                counts = parse_progress(line) if line.strip() else None
                if counts is not None:
                    progress(*counts)
        if proc.returncode:
            errors.seek(0)
            lines = [line.strip() for line in errors if line.strip()]
            reason = lines[-1].removeprefix("Error: ") if lines else f"exit status {proc.returncode}"
            raise TaggingFailed(reason)
