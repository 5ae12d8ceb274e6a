"""Plain records the store hands out: rows of its tables as small dataclasses."""
from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

STATUSES = ("todo", "doing", "done", "skipped", "flagged")


@dataclass(frozen=True)
class Document:
    id: str
    title: str
    text: str
    tokens: Sequence[tuple[int, int]]  # (start, end) pairs; ``Store.get_document`` gives compact TokenOffsets
    source: str | None = None
    url: str | None = None
    published: str | None = None
    lang: str = "id"
    meta: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class DocumentSummary:
    """One line of the article list, as seen by one annotator."""

    id: str
    title: str
    source: str | None
    published: str | None
    status: str
    spans: int
    open_suggestions: int


@dataclass(frozen=True)
class Span:
    id: int
    doc_id: str
    annotator: str
    layer: str
    label: str
    start: int
    end: int
    text: str
    actor_id: str | None = None
    attrs: dict[str, Any] = field(default_factory=dict)
    origin: dict[str, Any] = field(default_factory=dict)

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


@dataclass(frozen=True)
class Link:
    id: int
    doc_id: str
    annotator: str
    head: int
    tail: int
    role: str


@dataclass(frozen=True)
class Suggestion:
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


@dataclass(frozen=True)
class Actor:
    id: str
    name: str
    category: str | None = None
    country: str | None = None
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Progress:
    doc_id: str
    annotator: str
    status: str = "todo"
    seconds: float = 0.0
    cursor: int = 0
