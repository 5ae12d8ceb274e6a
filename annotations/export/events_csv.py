"""Events as a table for analysts (ACLED-like): one row per event.

Columns: ``article``, ``title``, ``published``, ``annotator``, ``event_type``,
``trigger``, ``start``, ``end``, one column per event attribute of the scheme
(``polarity``, ``modality``), then for each event role of the scheme its
argument text and (except for ``time`` and ``count``) the actor ids linked
to it (``agent``, ``agent_actor_ids``, ``target``, ``target_actor_ids``,
``participant`` ... ``place``, ``place_actor_ids``, ``time``, ``count`` ...), then the claims that report the event
(claims linked to it with ``ABOUT``): ``claim``, ``claim_type``,
``claim_stance``, ``claimant``, ``claimant_actor_ids``, ``claim_target``,
``claim_target_actor_ids``. Several values in one cell are joined with
`` | `` in text order. Claims about no event are not rows and are reported.
"""
from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import IO

from .select import XSpan
from ..scheme import Scheme, parse_scheme
from .common import open_out, write_pieces
from .report import Report
from .select import Record

SEP = " | "
TEXT_ONLY_ROLES = frozenset({"TIME", "COUNT"})  # arguments that are never actors: no actor-id column
NOT_ABOUT_EVENT = "claim about no event: events-csv has a row per event only"


def columns(scheme: Scheme) -> tuple[list[str], list[str], list[str]]:
    """(all columns, event roles, event attributes)."""
    event = scheme.layers.get("event")
    roles = list(event.roles) if event else []
    attrs = [a.name for a in event.attributes] if event else []
    cols = ["article", "title", "published", "annotator", "event_type", "trigger", "start", "end", *attrs]
    for role in roles:
        cols += [role.lower()] + ([] if role in TEXT_ONLY_ROLES else [f"{role.lower()}_actor_ids"])
    cols += ["claim", "claim_type", "claim_stance", "claimant", "claimant_actor_ids", "claim_target",
             "claim_target_actor_ids"]
    return cols, roles, attrs


def _join(values: Iterable[str | None]) -> str:
    return SEP.join(v for v in values if v)


def rows(record: Record, roles: list[str], attrs: list[str], report: Report) -> list[list[str]]:
    args: dict[int, list[tuple[str, XSpan]]] = {}
    about: dict[int, list[XSpan]] = {}
    for link in record.links:
        args.setdefault(link.head.id, []).append((link.role, link.tail))
        if link.head.layer == "claim" and link.role == "ABOUT":
            about.setdefault(link.tail.id, []).append(link.head)
    out = []
    reported: set[int] = set()
    for span in record.spans:
        if span.layer != "event":
            continue
        mine = sorted(args.get(span.id, []), key=lambda ra: (ra[1].start, ra[1].end))
        row = [record.doc.id, record.doc.title, record.doc.published or "", record.annotator, span.label,
               span.text, str(span.start), str(span.end)]
        row += [str(span.attrs.get(a, "")) for a in attrs]
        for role in roles:
            tails = [t for r, t in mine if r == role]
            row.append(_join(t.text for t in tails))
            if role not in TEXT_ONLY_ROLES:
                row.append(_join(t.actor_id for t in tails))
        claims = sorted(about.get(span.id, []), key=lambda c: (c.start, c.end))
        reported.update(c.id for c in claims)

        def claim_args(role: str, claim: XSpan) -> list[XSpan]:
            return sorted((t for r, t in args.get(claim.id, []) if r == role), key=lambda t: (t.start, t.end))

        row += [
            _join(c.text for c in claims),
            _join(c.label for c in claims),
            _join(str(c.attrs.get("stance", "")) for c in claims),
            _join(t.text for c in claims for t in claim_args("CLAIMANT", c)),
            _join(t.actor_id for c in claims for t in claim_args("CLAIMANT", c)),
            _join(t.text for c in claims for t in claim_args("TARGET", c)),
            _join(t.actor_id for c in claims for t in claim_args("TARGET", c)),
        ]
        out.append(row)
    for span in record.spans:
        if span.layer == "claim" and span.id not in reported:
            report.problem(NOT_ABOUT_EVENT, record, span.start, span.end, span.label)
    return out


def write_chunk(records: Iterable[Record], report: Report, scheme_text: str) -> str:
    """CSV rows (no header) of the records' events."""
    _, roles, attrs = columns(parse_scheme(scheme_text))
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    for record in records:
        report.count(record)
        for row in rows(record, roles, attrs, report):
            writer.writerow(row)
        tails = {link.tail.id for link in record.links}
        report.tallies["loose_entities"] += sum(1 for s in record.spans if s.layer == "entity" and s.id not in tails)
    return buf.getvalue()


def export(pieces: Iterable[str], out: str | IO[str], report: Report, scheme: Scheme) -> None:
    cols, _, _ = columns(scheme)
    with open_out(out, "events CSV") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(cols)
        write_pieces(fh, pieces)
    loose = report.tallies["loose_entities"]
    if loose:
        report.notes.append(f"{loose} entity span(s) are no event's or claim's argument:"
                            " events-csv shows entities only as arguments")
