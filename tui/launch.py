"""Opening the annotator: fill a new database with the bundled seeds, then run the app."""
from __future__ import annotations

import sys
from pathlib import Path

from annotations.errors import TandaiError
from annotations.store import Store

from .upgrade_line import open_upgrading


def open_annotator(db_path: str, annotator: str, *, review: bool = False) -> None:
    if not (sys.stdin.isatty() and sys.stdout.isatty()):  # before anything is made: a pipe gets no database either
        path = Path(db_path)
        if path.is_dir() or (path.exists() and path.stat().st_size):
            Store(path, readonly=True).close()  # a file that is not fit to open: that is the thing to fix first
        raise TandaiError("the annotator draws on a terminal and standard input or output is not one;"
                          " in scripts use a command (tandai --help)")
    # The Store decides through SQLite whether the file is new, tandai's, or to be refused;
    # a database with no articles (absent, empty, or an import that stopped early) gets the seeds.
    # An older schema is upgraded here, its progress on one line, before the screen is taken over.
    # The app goes on with this connection: opening another (and checking the file again) costs its first frame.
    with open_upgrading(db_path) as store:
        if not store.count_documents():
            from annotations.corpus import import_seeds  # the importer: only for a database with no articles

            import_seeds(store)  # pre-tagging follows in the app's worker, after the first frame
        from .app import TandaiApp

        app = TandaiApp(db_path, annotator, review=review, store=store)
        app.run()
    if app.quit_unsaved:
        raise TandaiError("quit without saving: another program held the database's write lock")
