"""Opening the annotator: make the database from the bundled seeds if it is absent, then run the app."""
from __future__ import annotations

from pathlib import Path

from annotations.corpus import import_seeds
from annotations.store import Store


def open_annotator(db_path: str, annotator: str, *, review: bool = False) -> None:
    if not Path(db_path).exists():
        with Store(db_path) as store:
            import_seeds(store)  # pre-tagging follows in the app's worker, after the first frame
    from .app import TandaiApp

    TandaiApp(db_path, annotator, review=review).run()
