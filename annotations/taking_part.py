"""Who took part in an article: the human annotators that agreement and the review list compare.

Kept apart from ``agreement`` so that the review list, which needs only this, does not import the
counting (and numpy) before its first rows.
"""
from __future__ import annotations

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
    where = ""
    params: list[Any] = []
    if doc_ids is not None:
        if not doc_ids:
            return {}
        where = f" AND x.doc_id IN ({', '.join('?' for _ in doc_ids)})"
        params = list(doc_ids)
    for row in store.rows(
        "SELECT x.doc_id, x.annotator FROM progress x JOIN annotators a ON a.name = x.annotator"
        f" WHERE a.kind = 'human' AND x.status = 'done'{where}", params
    ):
        found[row["doc_id"]].add(row["annotator"])
    if status == "any":
        for row in store.rows(
            "SELECT DISTINCT x.doc_id, x.annotator FROM spans x JOIN annotators a ON a.name = x.annotator"
            f" WHERE a.kind = 'human'{where}", params
        ):
            found[row["doc_id"]].add(row["annotator"])
    return {doc: sorted(names) for doc, names in found.items()}
