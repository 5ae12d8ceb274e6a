"""Choosing what an export holds, and reading it from the store in a stable order.

A *record* is one article as one annotator left it: the article, that
annotator's spans (of the chosen layers) and the links between them. Records
come in import order (``documents.seq``), then by annotator name; spans by
start, end, label and id, so the same database always gives the same files.

This module only reads (through ``store.conn``); nothing here writes.
"""
from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from ..errors import TandaiError
from ..records import STATUSES, Document
from ..store import GOLD, Store
from ..tokens import tokens_from_json
from .report import Report

BATCH = 500


class XSpan(NamedTuple):
    """A span as exports read it: the fields of ``records.Span`` but ``origin``, as a named tuple
    because an export makes them by the hundred thousand (a quarter of a frozen dataclass's cost)."""

    id: int
    doc_id: str
    annotator: str
    layer: str
    label: str
    start: int
    end: int
    text: str
    actor_id: str | None
    attrs: dict[str, Any]



@dataclass(frozen=True)
class ExportLink:
    head: XSpan
    tail: XSpan
    role: str


@dataclass
class Record:
    doc: Document
    seq: int
    annotator: str
    status: str
    spans: list[XSpan] = field(default_factory=list)
    links: list[ExportLink] = field(default_factory=list)

    def layer(self, name: str) -> list[XSpan]:
        return [s for s in self.spans if s.layer == name]


@dataclass(frozen=True)
class Selection:
    annotators: tuple[str, ...]
    status: str  # a progress status, or "any"
    layers: tuple[str, ...]
    multi: bool  # several annotators (--all): name the annotator in each record
    pairs: tuple[tuple[str, int, str, str], ...]  # (doc_id, seq, annotator, status)

    @property
    def doc_ids(self) -> list[str]:
        return list(dict.fromkeys(p[0] for p in self.pairs))


def select(store: Store, *, annotator: str | None = None, all_annotators: bool = False, status: str = "done",
           layers: tuple[str, ...] | list[str] | None = None, default_layers: tuple[str, ...] | None = None) -> Selection:
    """What to export: ``annotator`` (a name or ``gold``) or every human annotator, by progress status and layer.

    Gold's status ``done`` means settled on the review screen: with nothing settled that selection
    is refused (one line naming ``--status any``) rather than written as an empty export.
    """
    known = set(store.annotators())
    if all_annotators:
        names = tuple(store.annotators("human"))
        if not names:
            raise TandaiError("--all: the database has no human annotators yet")
    else:
        if not annotator:
            raise TandaiError("give --from NAME, --from gold, or --all")
        if annotator not in known:
            humans = ", ".join(store.annotators("human")) or "none yet"
            raise TandaiError(f"no annotator {annotator!r} in this database (annotators: {humans}; or gold)")
        names = (annotator,)
    if status != "any" and status not in STATUSES:
        raise TandaiError(f"--status must be one of {', '.join(STATUSES)} or any")
    scheme = store.scheme
    if layers:
        for name in layers:
            scheme.layer(name)  # raises for an unknown layer
        chosen = tuple(name for name in scheme.layers if name in set(layers))
    else:
        chosen = tuple(name for name in (default_layers or tuple(scheme.layers)) if name in scheme.layers)
    marks = ",".join("?" for _ in names)
    if status == "any":
        sql = (
            "SELECT d.id, d.seq, a.annotator, coalesce(p.status, 'todo') FROM"
            f" (SELECT doc_id, annotator FROM progress WHERE annotator IN ({marks})"
            f"  UNION SELECT DISTINCT doc_id, annotator FROM spans WHERE annotator IN ({marks})) a"
            " JOIN documents d ON d.id = a.doc_id"
            " LEFT JOIN progress p ON p.doc_id = a.doc_id AND p.annotator = a.annotator"
            " ORDER BY d.seq, a.annotator"
        )
        params: list = [*names, *names]
    else:
        sql = (
            "SELECT d.id, d.seq, p.annotator, p.status FROM progress p JOIN documents d ON d.id = p.doc_id"
            f" WHERE p.annotator IN ({marks}) AND p.status = ? ORDER BY d.seq, p.annotator"
        )
        params = [*names, status]
    pairs = tuple(tuple(row) for row in store.conn.execute(sql, params))
    if names == (GOLD,) and status == "done" and not pairs:  # gold's "done" is the reviewer's "settled"
        raise TandaiError("no article's gold version is settled yet: mark it with d on the review screen"
                          " (tandai review), or add --status any to export unsettled gold")
    return Selection(names, status, chosen, all_annotators, pairs)  # type: ignore[arg-type]


def empty_hint(store: Store, selection: Selection) -> str | None:
    """Why nothing was selected, when the user probably expected something."""
    if selection.pairs or selection.status == "any":
        return None
    marks = ",".join("?" for _ in selection.annotators)
    n = store.conn.execute(
        f"SELECT count(DISTINCT doc_id) FROM spans WHERE annotator IN ({marks})", selection.annotators
    ).fetchone()[0]
    who = ", ".join(selection.annotators)
    if n:
        return (f"no article is marked {selection.status} by {who}, though {n} article(s) have their spans;"
                " --status any exports them")
    return f"{who} has no annotations in this database"


def iter_records(store: Store, selection: Selection, report: Report | None = None,
                 progress: Callable[[int, int], None] | None = None) -> Iterator[Record]:
    """The selected records in export order (read in batches, so 10,000 articles stream)."""
    pairs = selection.pairs
    layer_marks = ",".join("?" for _ in selection.layers)
    total = len(pairs)
    attr_cache: dict[str, dict] = {}  # the same attributes JSON, parsed once (exports never change them)
    for first in range(0, total, BATCH):
        chunk = pairs[first:first + BATCH]
        doc_ids = list(dict.fromkeys(p[0] for p in chunk))
        names = sorted({p[2] for p in chunk})
        dmarks = ",".join("?" for _ in doc_ids)
        amarks = ",".join("?" for _ in names)
        docs: dict[str, Document] = {}
        for row in store.conn.execute(
            "SELECT id, title, text, tokens, source, url, published, lang FROM documents"
            f" WHERE id IN ({dmarks})", doc_ids,
        ):  # meta is left out: no export writes it
            docs[row[0]] = Document(
                id=row[0], title=row[1], text=row[2], tokens=tokens_from_json(row[3], row[0]),
                source=row[4], url=row[5], published=row[6], lang=row[7],
            )
        spans: dict[tuple[str, str], list[XSpan]] = {}
        by_id: dict[int, XSpan] = {}
        if selection.layers:
            for row in store.conn.execute(
                "SELECT id, doc_id, annotator, layer, label, start, end, text, actor_id, attrs FROM spans"
                f" WHERE doc_id IN ({dmarks}) AND annotator IN ({amarks}) AND layer IN ({layer_marks})"
                " ORDER BY start, end, label, id",
                [*doc_ids, *names, *selection.layers],
            ):
                attrs = row[9]
                if not attrs or attrs == "{}":
                    parsed = {}
                else:
                    parsed = attr_cache.get(attrs)
                    if parsed is None:
                        parsed = json.loads(attrs)
                        if len(attr_cache) < 10_000:
                            attr_cache[attrs] = parsed
                span = XSpan(*row[:9], parsed)
                key = (span.doc_id, span.annotator)
                found = spans.get(key)
                if found is None:
                    spans[key] = [span]
                else:
                    found.append(span)
                by_id[span.id] = span
        links: dict[tuple[str, str], list[tuple[int, int, str]]] = {}
        for doc_id, annotator, head, tail, role in store.conn.execute(
            "SELECT doc_id, annotator, head, tail, role FROM links"
            f" WHERE doc_id IN ({dmarks}) AND annotator IN ({amarks}) ORDER BY id",
            [*doc_ids, *names],
        ):
            links.setdefault((doc_id, annotator), []).append((head, tail, role))
        for n, (doc_id, seq, annotator, status) in enumerate(chunk, start=first + 1):
            record = Record(docs[doc_id], seq, annotator, status, spans.get((doc_id, annotator), []))
            order = {span.id: i for i, span in enumerate(record.spans)}
            resolved = []
            for head, tail, role in links.get((doc_id, annotator), []):
                if head in order and tail in order:
                    resolved.append(ExportLink(by_id[head], by_id[tail], role))
                elif report is not None:
                    _report_unselected_link(store, report, record, head, tail, role, selection.layers)
            resolved.sort(key=lambda link: (order[link.head.id], order[link.tail.id], link.role))
            record.links = resolved
            yield record
            if progress:
                progress(n, total)


def _report_unselected_link(store: Store, report: Report, record: Record, head: int, tail: int, role: str,
                            layers: tuple[str, ...]) -> None:
    rows = {r[0]: r[1:] for r in store.conn.execute(
        "SELECT id, layer, label, start, end FROM spans WHERE id IN (?, ?)", (head, tail))}
    h, t = rows.get(head), rows.get(tail)
    if h is None or t is None:  # pragma: no cover - foreign keys keep links to existing spans
        return
    reason = report.links_unwritable or f"link to a span of a layer not exported (--layer {','.join(layers)})"
    report.problem(reason, record, h[2], h[3], f"{h[1]}-{role}->{t[1]}", f"{t[0]} {t[1]} {t[2]}-{t[3]}")


def report_link(report: Report, reason: str, record: Record, link: ExportLink) -> None:
    report.problem(reason, record, link.head.start, link.head.end, f"{link.head.label}-{link.role}->{link.tail.label}",
                   f"{link.tail.layer} {link.tail.label} {link.tail.start}-{link.tail.end}")

