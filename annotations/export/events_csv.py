"""Events as a table analysts join with ACLED: ACLED's columns first, then tandai's own.

One row per event and claim about it (a claim linked to the event with
``ABOUT``), so each claim's claimant, target and stance stay on one row; an
event no claim is about has one row with empty claim columns. ``event_id``
(the event span's id, as in the database's views) therefore repeats when
several claims report one event.

ACLED's columns, where tandai holds the same meaning:

- ``event_date`` (ISO) and ``time_precision`` (1 day, 2 week) from the first
  TIME argument that resolves against the article's publication date
  ("Senin (26/10)", "kemarin", "pekan lalu", "26 Oktober 2020"); empty when
  none does (an event without a TIME argument included);
- ``event_type``, ``sub_event_type``: the scheme's ACLED mapping of the
  label (``tandai_event_type`` keeps tandai's own); empty where ACLED has none;
- ``actor1``/``assoc_actor_1`` the AGENT arguments, ``actor2``/``assoc_actor_2``
  the TARGET ones, in text order: the registry name of a linked actor, else
  the mention's text (further actors joined with ``; `` as ACLED does);
  ``inter1``/``inter2`` the ACLED inter codes of actor1's and actor2's
  registry categories, ``interaction`` their ACLED combination;
- ``iso`` (ISO 3166 numeric, ACLED's join key) and ``country`` (the ISO name,
  which can differ from ACLED's spelling) of the first PLACE argument linked
  to an actor with a country; ``location`` the first PLACE argument's text;
- ``fatalities``: the sum of the COUNT arguments when each gives a number
  ("hampir 5.000 orang" -> 5000, "tiga tentara" -> 3); empty when any does not
  ("puluhan"), the text staying in ``count``;
- ``source``, ``source_url``: the article's outlet and address; ``notes``:
  the trigger's sentence.

Then tandai's columns: ``tandai_event_type``, ``article``, ``title``,
``published``, ``annotator``, ``trigger``, ``start``, ``end``, the event
attributes of the scheme (``polarity``, ``modality``), each event role's
argument texts and (but for ``time`` and ``count``) their actor ids, and the
claim: ``claim_id``, ``claim``, ``claim_type``, ``claim_stance``,
``claimant``, ``claimant_actor_ids``, ``claim_target``, ``claim_target_actor_ids``.
Several values in one of these cells are joined with `` | `` in text order.

Spreadsheets run a cell starting with ``=``, ``+``, ``-``, ``@``, tab or
carriage return as a formula, so such text cells get a leading ``'``
(OWASP's CSV-injection rule). A text cell that is a plain number ("-3") is
left as it is: it can hold no formula and reads as the number it is. The
numeric columns (ids, offsets, codes, fatalities) are written by tandai and
never start with those characters.
"""
from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from functools import cache
from typing import IO

from ..acled import AcledMapping
from ..indonesian import count_value, resolve_date
from ..scheme import Scheme, parse_scheme
from ..store import Store
from .common import TokenIndex, open_out, sentence_of, sentence_ranges, write_pieces
from .report import Report
from .select import Record, XSpan

SEP = " | "
TEXT_ONLY_ROLES = frozenset({"TIME", "COUNT"})  # arguments that are never actors: no actor-id column
NOT_ABOUT_EVENT = "claim about no event: events-csv has a row per event only"
ACLED_COLUMNS = ["event_id", "event_date", "time_precision", "event_type", "sub_event_type", "actor1", "assoc_actor_1",
                 "inter1", "actor2", "assoc_actor_2", "inter2", "interaction", "iso", "country", "location",
                 "fatalities", "source", "source_url", "notes"]
CLAIM_COLUMNS = ["claim_id", "claim", "claim_type", "claim_stance", "claimant", "claimant_actor_ids", "claim_target",
                 "claim_target_actor_ids"]
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[-+]?\d+(?:[.,]\d+)*")

# Actor id -> (name, category, country ISO 3166 alpha-3): the registry rows the export needs.
Actors = dict[str, tuple[str, str | None, str | None]]


def columns(scheme: Scheme) -> tuple[list[str], list[str], list[str]]:
    """(all columns, event roles, event attributes)."""
    event = scheme.layers.get("event")
    roles = list(event.roles) if event else []
    attrs = [a.name for a in event.attributes] if event else []
    cols = [*ACLED_COLUMNS, "tandai_event_type", "article", "title", "published", "annotator", "trigger", "start",
            "end", *attrs]
    for role in roles:
        cols += [role.lower()] + ([] if role in TEXT_ONLY_ROLES else [f"{role.lower()}_actor_ids"])
    return cols + CLAIM_COLUMNS, roles, attrs


def safe_cell(value: str | int | None) -> str | int:
    """A cell a spreadsheet shows as text, never runs as a formula (see the module docstring)."""
    if value is None:
        return ""
    if isinstance(value, int) or not value.startswith(FORMULA_START) or _PLAIN_NUMBER.fullmatch(value):
        return value
    return "'" + value


def _join(values: Iterable[str | None]) -> str:
    return SEP.join(v for v in values if v)


@cache
def _country(iso3: str | None) -> tuple[int | None, str]:
    """(ISO 3166 numeric code, name) of an alpha-3 code; (None, "") when unknown."""
    import pycountry

    found = pycountry.countries.get(alpha_3=iso3) if iso3 else None
    if found is None:
        return None, ""
    return int(found.numeric), getattr(found, "common_name", None) or found.name


class _Acled:
    """The ACLED cells of one event, from its arguments, the registry and the scheme's mapping."""

    def __init__(self, mapping: AcledMapping, actors: Actors):
        self.mapping = mapping
        self.actors = actors

    def name(self, span: XSpan) -> str:
        known = self.actors.get(span.actor_id) if span.actor_id else None
        return known[0] if known else span.text

    def inter(self, span: XSpan | None) -> int | None:
        known = self.actors.get(span.actor_id) if span and span.actor_id else None
        return self.mapping.inter.get(known[1]) if known and known[1] else None

    def cells(self, record: Record, event: XSpan, args: dict[str, list[XSpan]], notes: str) -> list:
        kind, sub = self.mapping.event_types.get(event.label, ("", ""))
        agents, targets, places = args.get("AGENT", []), args.get("TARGET", []), args.get("PLACE", [])
        date = next(filter(None, (resolve_date(t.text, record.doc.published) for t in args.get("TIME", []))), None)
        counts = [count_value(t.text) for t in args.get("COUNT", [])]
        fatalities = sum(counts) if counts and None not in counts else None  # type: ignore[arg-type]
        inter1 = self.inter(agents[0] if agents else None)
        inter2 = self.inter(targets[0] if targets else None)
        # ACLED's interaction needs both codes, or actor1's alone when there is no actor2.
        interaction = self.mapping.interaction(inter1, inter2) if inter2 is not None or not targets else None
        countries = (self.actors[p.actor_id][2] for p in places if p.actor_id in self.actors)
        iso, country = _country(next(filter(None, countries), None))
        return [
            event.id, date[0].isoformat() if date else "", date[1] if date else None, kind, sub,
            self.name(agents[0]) if agents else "", "; ".join(self.name(a) for a in agents[1:]), inter1,
            self.name(targets[0]) if targets else "", "; ".join(self.name(t) for t in targets[1:]), inter2,
            interaction, iso, country, places[0].text if places else "", fatalities,
            record.doc.source, record.doc.url, notes,
        ]


def rows(record: Record, roles: list[str], attrs: list[str], acled: _Acled, report: Report) -> list[list]:
    args: dict[int, dict[str, list[XSpan]]] = {}
    about: dict[int, list[XSpan]] = {}
    for link in record.links:  # links come in head, then tail text order
        args.setdefault(link.head.id, {}).setdefault(link.role, []).append(link.tail)
        if link.head.layer == "claim" and link.role == "ABOUT":
            about.setdefault(link.tail.id, []).append(link.head)
    events = [s for s in record.spans if s.layer == "event"]
    out = []
    reported: set[int] = set()
    doc = record.doc
    if events:
        index = TokenIndex(doc.tokens)
        ranges = sentence_ranges(doc.text, doc.tokens)
        sentence = sentence_of(ranges)
    for span in events:
        mine = args.get(span.id, {})
        first, end = ranges[sentence[index.first(span.start)]]
        notes = " ".join(doc.text[doc.tokens[first][0]:doc.tokens[end - 1][1]].split())
        event_cells = acled.cells(record, span, mine, notes)
        event_cells += [span.label, doc.id, doc.title, doc.published, record.annotator, span.text, span.start,
                        span.end]
        event_cells += [str(span.attrs.get(a, "")) for a in attrs]
        for role in roles:
            tails = mine.get(role, [])
            event_cells.append(_join(t.text for t in tails))
            if role not in TEXT_ONLY_ROLES:
                event_cells.append(_join(t.actor_id for t in tails))
        claims = about.get(span.id, [])
        reported.update(c.id for c in claims)
        for claim in claims or [None]:
            if claim is None:
                out.append(event_cells + [""] * len(CLAIM_COLUMNS))
                continue
            claim_args = args.get(claim.id, {})
            claimants, targets = claim_args.get("CLAIMANT", []), claim_args.get("TARGET", [])
            out.append(event_cells + [
                claim.id, claim.text, claim.label, str(claim.attrs.get("stance", "")),
                _join(t.text for t in claimants), _join(t.actor_id for t in claimants),
                _join(t.text for t in targets), _join(t.actor_id for t in targets),
            ])
    for span in record.spans:
        if span.layer == "claim" and span.id not in reported:
            report.problem(NOT_ABOUT_EVENT, record, span.start, span.end, span.label)
    return out


def registry(store: Store) -> Actors:
    return {row[0]: tuple(row[1:]) for row in store.conn.execute("SELECT id, name, category, country FROM actors")}


def write_chunk(records: Iterable[Record], report: Report, scheme_text: str, actors: Actors) -> str:
    """CSV rows (no header) of the records' events."""
    scheme = parse_scheme(scheme_text)
    _, roles, attrs = columns(scheme)
    acled = _Acled(scheme.acled, actors)
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    for record in records:
        report.count(record)
        for row in rows(record, roles, attrs, acled, report):
            writer.writerow([safe_cell(cell) for cell in row])
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
