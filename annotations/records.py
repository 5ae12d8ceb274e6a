"""Plain records the store hands out: rows of its tables as named tuples.

Named tuples, not frozen dataclasses: a dataclass writes and compiles its methods when its module is
imported (six classes: 35 million instructions, an eighth of what the app adds to a minimal Textual
app's first frame), and a frozen one sets each field through ``object.__setattr__`` on every row read.
A record is read-only either way; its dict fields (``meta``, ``attrs``, ``origin``) default to one
shared empty dict, which nothing may change (the store gives each stored row its own).
"""
from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any, NamedTuple

_NONE: dict[str, Any] = {}  # the default of a record's dict field: read, never written

STATUSES = ("todo", "doing", "done", "skipped", "flagged")


class Document(NamedTuple):
    id: str
    title: str
    text: str
    tokens: Sequence[tuple[int, int]]  # (start, end) pairs; ``Store.get_document`` gives compact TokenOffsets
    source: str | None = None
    url: str | None = None
    published: str | None = None
    lang: str = "id"
    meta: dict[str, Any] = _NONE


class DocumentSummary(NamedTuple):
    """One line of the article list, as seen by one annotator."""

    id: str
    title: str
    source: str | None
    published: str | None
    status: str
    spans: int
    open_suggestions: int


class Span(NamedTuple):
    id: int
    doc_id: str
    annotator: str
    layer: str
    label: str
    start: int
    end: int
    text: str
    actor_id: str | None = None
    attrs: dict[str, Any] = _NONE
    origin: dict[str, Any] = _NONE

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> "Span":
        return cls(
            id=row["id"],
            doc_id=row["doc_id"],
            annotator=row["annotator"],
            layer=row["layer"],
            label=row["label"],
            start=row["start"],
            end=row["end"],
            text=row["text"],
            actor_id=row["actor_id"],
            attrs=json.loads(row["attrs"] or "{}"),
            origin=json.loads(row["origin"] or "{}"),
        )


class Link(NamedTuple):
    id: int
    doc_id: str
    annotator: str
    head: int
    tail: int
    role: str


class Suggestion(NamedTuple):
    """One span and label suggested by one or more models (the store merges their rows: ``ids``, ``models``);
    ``id`` is the first of them, and answering it answers them all."""

    id: int
    doc_id: str
    model: str
    layer: str
    label: str
    start: int
    end: int
    score: float | None = None
    verdict: str | None = None  # this annotator's answer, if any
    ids: tuple[int, ...] = ()  # every model's row for this span and label, ``id`` first
    models: tuple[str, ...] = ()  # the models that proposed it, in the order of ``ids``


class Actor(NamedTuple):
    id: str
    name: str
    category: str | None = None
    country: str | None = None
    aliases: tuple[str, ...] = ()


class Progress(NamedTuple):
    doc_id: str
    annotator: str
    status: str = "todo"
    seconds: float = 0.0
    cursor: int = 0
