"""Who took part in an article: the human annotators that agreement and the review list compare.

Kept apart from ``agreement`` so that the review list, which needs only this, does not import the
counting (and numpy) before its first rows.
"""
from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from .errors import TandaiError

STATUS_CHOICES = ("done", "any")


def participants(store, status: str = "done", doc_ids: Sequence[str] | None = None) -> dict[str, list[str]]:
    """Article id -> the human annotators who took part in it, sorted: with ``status`` "done", those who
    marked it done; "any": those too, and anyone with a span there (work in progress). Read through the
    store's own connection (sqlite-utils, and the numpy it imports, stay out of the review screens)."""
    if status not in STATUS_CHOICES:
        raise TandaiError(f"status must be one of {', '.join(STATUS_CHOICES)}")
    found: dict[str, set[str]] = defaultdict(set)
    if doc_ids is None:  # every article: one pass over the progress rows and the spans
        done_sql = ("SELECT x.doc_id, x.annotator FROM progress x JOIN annotators a ON a.name = x.annotator"
                    " WHERE a.kind = 'human' AND x.status = 'done'")
        any_sql = ("SELECT DISTINCT x.doc_id, x.annotator FROM spans x JOIN annotators a ON a.name = x.annotator"
                   " WHERE a.kind = 'human'")
        params: list[Any] = []
    else:  # these articles: for each and each annotator one index look-up, not a pass over their spans
        if not doc_ids:
            return {}
        done_sql = ("SELECT x.doc_id, x.annotator FROM json_each(?) d JOIN progress x ON x.doc_id = d.value"
                    " JOIN annotators a ON a.name = x.annotator WHERE a.kind = 'human' AND x.status = 'done'")
        any_sql = ("SELECT d.value, a.name FROM json_each(?) d JOIN annotators a WHERE a.kind = 'human' AND EXISTS"
                   " (SELECT 1 FROM spans x WHERE x.doc_id = d.value AND x.annotator = a.name)")
        params = [json.dumps(list(doc_ids))]
    for doc_id, annotator in store.conn.execute(done_sql, params):
        found[doc_id].add(annotator)
    if status == "any":
        for doc_id, annotator in store.conn.execute(any_sql, params):
            found[doc_id].add(annotator)
    return {doc: sorted(names) for doc, names in found.items()}
