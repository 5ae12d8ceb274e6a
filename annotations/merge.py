"""Bringing another tandai database's work into this one (``tandai merge OTHER.db``).

For annotators who worked offline on a copy: their annotators, the articles this
database lacks, actors, spans with their attributes and links, progress, and
their verdicts on suggestions both databases have. Articles are matched by their
text. Each (article, annotator) pair is brought as a whole or not at all:

- the other database has nothing for the pair (no span, no link, status todo or
  doing): nothing to do;
- this database has nothing for it (no span, no link, and not marked done,
  skipped or flagged): the pair is brought in, as one journal batch ``merge``
  under the annotator's name (so the annotator's ``u`` in that article undoes it);
- both have the same spans (layer, label, boundaries, actor, attributes) and
  links: only the status may move forward (todo < doing < done/skipped/flagged);
- otherwise it is a clash: reported, and this database's version is left alone.

Running a merge twice changes nothing the second time. Gold is merged like an
annotator, written ``by`` the person running the merge (the gold spans keep
their review provenance in ``origin``). Not merged: models' suggestions (run
``tandai tag``), time spent and cursor positions, and gold rejections (they live
in the other database's journal).
"""
from __future__ import annotations

import json
import os
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .display import clipped
from .errors import TandaiError
from .identifiers import identifier_problem
from .store import GOLD, Store

_RANK = {"todo": 0, "doing": 1, "done": 2, "skipped": 2, "flagged": 2}

Sig = tuple[tuple, tuple]  # (sorted span signatures, sorted link signatures)


@dataclass
class Clash:
    doc_id: str
    title: str
    annotator: str
    ours: int  # spans here
    theirs: int  # spans in the other database


@dataclass
class MergeReport:
    source: str
    documents_added: int = 0
    documents_matched: int = 0
    annotators_added: list[str] = field(default_factory=list)
    actors_added: int = 0
    actors_differing: list[str] = field(default_factory=list)  # same id, other details: ours kept
    pairs_added: int = 0
    spans_added: int = 0
    links_added: int = 0
    verdicts_added: int = 0
    pairs_same: int = 0
    statuses_updated: int = 0
    status_differences: list[tuple[str, str, str, str]] = field(default_factory=list)  # doc, annotator, ours, theirs
    clashes: list[Clash] = field(default_factory=list)
    skipped_annotators: list[str] = field(default_factory=list)
    snapped: list[str] = field(default_factory=list)  # spans moved onto this database's token boundaries
    unplaced: list[str] = field(default_factory=list)  # spans (and their links) that cover no token here

    @property
    def changed(self) -> bool:
        return bool(self.documents_added or self.annotators_added or self.actors_added or self.pairs_added
                    or self.statuses_updated)

    def lines(self) -> list[str]:
        out = [
            f"articles: {self.documents_added} added, {self.documents_matched} matched by text",
            f"annotators: {len(self.annotators_added)} added"
            + (f" ({', '.join(self.annotators_added)})" if self.annotators_added else ""),
            f"actors: {self.actors_added} added"
            + (f", {len(self.actors_differing)} differ and were kept as they are here"
               f" ({', '.join(self.actors_differing)})" if self.actors_differing else ""),
            f"annotations: {self.pairs_added} article/annotator pair(s) brought in"
            f" ({self.spans_added} spans, {self.links_added} links, {self.verdicts_added} verdicts),"
            f" {self.pairs_same} already the same",
            f"progress: {self.statuses_updated} status(es) updated",
        ]
        for doc_id, annotator, ours, theirs in self.status_differences:
            out.append(f"  status differs, kept ours: {doc_id} {annotator}: {ours} here, {theirs} there")
        for name in self.skipped_annotators:
            out.append(f"  not merged: {name} is not a human annotator here")
        if self.snapped:
            out.append(f"snapped to token boundaries: {len(self.snapped)} span(s)")
            out.extend(f"  {line}" for line in self.snapped)
        if self.unplaced:
            out.append(f"not merged, they cover no token here: {len(self.unplaced)} span(s) and their links")
            out.extend(f"  {line}" for line in self.unplaced)
        if self.clashes:
            out.append(f"clashes: {len(self.clashes)} (left untouched: this database's version is kept)")
            for c in self.clashes:
                out.append(f"  {c.doc_id} {c.annotator}: {c.ours} span(s) here, {c.theirs} there"
                           f"  ({clipped(c.title, 50)})")
        else:
            out.append("clashes: none")
        if not self.changed:
            out.append("nothing new: this database already has everything from " + self.source)
        return out


def _span_sig(row: dict[str, Any]) -> tuple:
    attrs = json.dumps(json.loads(row["attrs"] or "{}"), sort_keys=True, ensure_ascii=False)
    return (row["layer"], row["label"], row["start"], row["end"], row["actor_id"], attrs)


def _key(row: dict[str, Any]) -> tuple:
    return (row["layer"], row["label"], row["start"], row["end"])


class _Side:
    """One database's annotations, grouped by (document, annotator)."""

    def __init__(self, store: Store, pair: tuple[str, str] | None = None):
        """Everything in the database, or one (document, annotator) pair of it."""
        self.spans: dict[tuple[str, str], list[dict]] = defaultdict(list)
        self.links: dict[tuple[str, str], list[dict]] = defaultdict(list)
        self.status: dict[tuple[str, str], str] = {}
        self.verdicts: dict[tuple[str, str], list[dict]] = defaultdict(list)
        where, params = "", []
        if pair is not None:
            where, params = " WHERE doc_id = ? AND annotator = ?", list(pair)
        by_id = {}
        for row in store.db.query("SELECT * FROM spans" + where + " ORDER BY id", params):
            self.spans[(row["doc_id"], row["annotator"])].append(row)
            by_id[row["id"]] = row
        for row in store.db.query("SELECT * FROM links" + where + " ORDER BY id", params):
            head, tail = by_id.get(row["head"]), by_id.get(row["tail"])
            if head is not None and tail is not None:
                self.links[(row["doc_id"], row["annotator"])].append(
                    {"head": _key(head), "tail": _key(tail), "role": row["role"]})
        for row in store.db.query("SELECT doc_id, annotator, status FROM progress" + where, params):
            self.status[(row["doc_id"], row["annotator"])] = row["status"]
        vwhere = where.replace("doc_id", "g.doc_id").replace("annotator", "v.annotator")
        for row in store.db.query(
            "SELECT g.doc_id, v.annotator, v.verdict, g.model, g.layer, g.label, g.start, g.end"
            " FROM verdicts v JOIN suggestions g ON g.id = v.suggestion_id" + vwhere, params
        ):
            self.verdicts[(row["doc_id"], row["annotator"])].append(row)

    def sig(self, pair: tuple[str, str]) -> Sig:
        spans = tuple(sorted(_span_sig(r) for r in self.spans.get(pair, ())))
        links = tuple(sorted((tuple(l["head"]), tuple(l["tail"]), l["role"]) for l in self.links.get(pair, ())))
        return spans, links

    def active(self, pair: tuple[str, str]) -> bool:
        """Has annotations, or was finished (done, skipped, flagged) with none."""
        return bool(self.spans.get(pair) or self.links.get(pair)) or _RANK.get(self.status.get(pair, "todo"), 0) >= 2


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.exists() and b.exists() and os.path.samefile(a, b)
    except OSError:
        return False


def merge(store: Store, other_path: str | Path, *, by: str) -> MergeReport:
    """Bring ``other_path``'s work into ``store`` (see the module notes); returns what happened."""
    other_path = Path(other_path)
    if store.path is not None and _same_file(store.path, other_path):
        raise TandaiError(f"{other_path}: that is this database; merge needs another one")
    if not by or by == GOLD:
        raise TandaiError("merge needs your name (--annotator) to write the gold layer")
    report = MergeReport(source=str(other_path))
    with Store(other_path, readonly=True) as other:  # the other file is only read, never changed
        _check_scheme(store, other, other_path)
        kinds = {r["name"]: r["kind"] for r in other.db.query("SELECT name, kind FROM annotators")}
        ours_kinds = {r["name"]: r["kind"] for r in store.db.query("SELECT name, kind FROM annotators")}
        names = []
        for name, kind in sorted(kinds.items()):
            if kind not in ("human", "gold"):
                continue
            if name in ours_kinds and ours_kinds[name] != kind:
                report.skipped_annotators.append(name)
                continue
            names.append(name)
        _check_names(other, names, other_path)
        if GOLD in names and other.conn.execute("SELECT 1 FROM spans WHERE annotator = ? LIMIT 1", (GOLD,)).fetchone():
            try:
                store.check_reviewer(by)
            except TandaiError as exc:
                raise TandaiError(f"{other_path} has a gold layer and {exc}; nothing was merged") from None
        doc_map = _merge_documents(store, other, report)
        _merge_actors(store, other, report)
        theirs = _Side(other)
        titles = {r["id"]: r["title"] for r in store.db.query("SELECT id, title FROM documents")}
        for name in names:
            if kinds[name] == "human" and name not in ours_kinds:
                store.ensure_annotator(name, "human")
                report.annotators_added.append(name)
        order = {r["id"]: r["seq"] for r in other.db.query("SELECT id, seq FROM documents")}
        for other_doc, name in sorted({*theirs.spans, *theirs.links, *theirs.status},
                                      key=lambda p: (order.get(p[0], 0), p[1])):
            if name not in names or other_doc not in doc_map:
                continue
            doc_id = doc_map[other_doc]
            mine = (doc_id, name)
            there = (other_doc, name)
            if not theirs.active(there):
                continue
            # Decide and write in one transaction, so an annotator working meanwhile is never overwritten.
            with store.transaction():
                ours = _Side(store, mine)
                if not ours.active(mine):
                    _bring(store, theirs, there, doc_id, name, by, report)
                elif ours.sig(mine) == theirs.sig(there):
                    report.pairs_same += 1
                    _forward_status(store, doc_id, name, by, ours.status.get(mine, "todo"),
                                    theirs.status.get(there, "todo"), report)
                else:
                    report.clashes.append(Clash(doc_id, titles.get(doc_id, ""), name,
                                                len(ours.spans.get(mine, ())), len(theirs.spans.get(there, ()))))
    return report


def _check_scheme(store: Store, other: Store, other_path: Path) -> None:
    """Refuse before writing anything if the other database uses labels or roles this one lacks."""
    scheme = store.scheme
    problems = []
    for row in other.db.query(
        "SELECT s.layer, s.label, count(*) AS n FROM spans s JOIN annotators a ON a.name = s.annotator"
        " WHERE a.kind IN ('human', 'gold') GROUP BY s.layer, s.label"
    ):
        if row["layer"] not in scheme.layers or row["label"] not in scheme.layers[row["layer"]].label_names:
            problems.append(f"{row['layer']} label {row['label']} ({row['n']} spans)")
    for row in other.db.query(
        "SELECT h.layer, l.role, count(*) AS n FROM links l JOIN spans h ON h.id = l.head GROUP BY h.layer, l.role"
    ):
        if row["layer"] not in scheme.layers or row["role"] not in scheme.layers[row["layer"]].roles:
            problems.append(f"{row['layer']} role {row['role']} ({row['n']} links)")
    for row in other.db.query(
        "SELECT h.layer, l.role, t.layer AS tail_layer, t.label, count(*) AS n FROM links l"
        " JOIN spans h ON h.id = l.head JOIN spans t ON t.id = l.tail"
        " JOIN annotators a ON a.name = l.annotator WHERE a.kind IN ('human', 'gold')"
        " GROUP BY h.layer, l.role, t.layer, t.label"
    ):
        if row["layer"] in scheme.layers and row["role"] in scheme.layers[row["layer"]].roles:
            problem = scheme.link_problem(row["layer"], row["role"], row["tail_layer"], row["label"])
            if problem is not None:
                problems.append(f"{row['layer']} {problem} ({row['n']} links)")
    if problems:
        raise TandaiError(f"{other_path}: uses what this database's scheme lacks: {'; '.join(problems)};"
                          " nothing was merged")


def _check_names(other: Store, names: list[str], other_path: Path) -> None:
    """Refuse before writing anything if an annotator name or actor id there is not a valid name."""
    actor_ids = {a.id for a in other.actors()}
    actor_ids.update(r[0] for r in other.conn.execute("SELECT DISTINCT actor_id FROM spans WHERE actor_id IS NOT NULL"))
    found = [identifier_problem(name, "annotator name") for name in names]
    found += [identifier_problem(actor_id, "actor id") for actor_id in sorted(actor_ids)]
    problems = [p for p in found if p is not None]
    if problems:
        raise TandaiError(f"{other_path}: {'; '.join(problems[:3])}{' ...' if len(problems) > 3 else ''};"
                          " nothing was merged")


def _merge_actors(store: Store, other: Store, report: MergeReport) -> None:
    ours = {a.id: a for a in store.actors()}
    new = []
    for actor in other.actors():
        mine = ours.get(actor.id)
        if mine is None:
            new.append(actor)
        elif mine != actor:
            report.actors_differing.append(actor.id)
    report.actors_added = store.add_actors(new) if new else 0


def _merge_documents(store: Store, other: Store, report: MergeReport) -> dict[str, str]:
    """Other document id -> ours, adding the articles this database lacks (in the other's order)."""
    by_text = {row["text"]: row["id"] for row in store.db.query("SELECT id, text FROM documents")}
    ids = set(by_text.values())
    doc_map: dict[str, str] = {}
    rows = []
    for row in other.db.query("SELECT * FROM documents ORDER BY seq"):
        mine = by_text.get(row["text"])
        if mine is not None:
            doc_map[row["id"]] = mine
            report.documents_matched += 1
        elif row["id"] in ids:
            raise TandaiError(f"article {row['id']} has different text in the two databases; nothing was merged")
        else:
            rows.append(row)
            doc_map[row["id"]] = row["id"]
            by_text[row["text"]] = row["id"]
            ids.add(row["id"])
    if rows:
        added, _ = store.add_documents(rows)
        report.documents_added = added
    return doc_map


def _forward_status(store: Store, doc_id: str, name: str, by: str, ours: str, theirs: str,
                    report: MergeReport) -> None:
    if _RANK.get(theirs, 0) > _RANK.get(ours, 0):
        store.set_status(doc_id, name, theirs, by=by if name == GOLD else None)
        report.statuses_updated += 1
    elif theirs != ours and _RANK.get(theirs, 0) == _RANK.get(ours, 0) >= 2:
        report.status_differences.append((doc_id, name, ours, theirs))


def _bring(store: Store, theirs: _Side, pair: tuple[str, str], doc_id: str, name: str, by: str,
           report: MergeReport) -> None:
    writer = by if name == GOLD else None
    suggestions = {(model, g.layer, g.label, g.start, g.end): g
                   for g in store.suggestions(doc_id, name) for model in g.models}
    accepted = {(v["model"], v["layer"], v["label"], v["start"], v["end"])
                for v in theirs.verdicts.get(pair, ()) if v["verdict"] == "accepted"}
    with store.action("merge", name, doc_id, by=writer):
        made: dict[tuple, int] = {}  # their span's key -> our span
        placed: dict[tuple, int] = {}  # our span's key -> our span
        for row in theirs.spans.get(pair, ()):
            origin = json.loads(row["origin"] or "{}")
            attrs = json.loads(row["attrs"] or "{}")
            where = f"{doc_id} {name} {row['layer']} {row['label']} {row['start']}-{row['end']}"
            try:
                start, end = store.aligned_span(doc_id, row["start"], row["end"], snap=True)
            except TandaiError:
                report.unplaced.append(where)
                continue
            if (start, end) != (row["start"], row["end"]):
                report.snapped.append(f"{where} -> {start}-{end}")
            here = (row["layer"], row["label"], start, end)
            if here in placed:  # their copy of a span they have already (or two that snap together): one span
                made.setdefault(_key(row), placed[here])
                continue
            sug_key = (origin.get("model"), *_key(row))
            sug = suggestions.get(sug_key) if name != GOLD and "suggestion" in origin else None
            if sug is not None and sug_key in accepted and sug.verdict is None:
                (span,) = store.accept_suggestions([sug.id], name)
                if row["actor_id"] or attrs:
                    span = store.update_span(span.id, name, actor_id=row["actor_id"], attrs=attrs)
                report.verdicts_added += 1
            else:
                origin.pop("suggestion", None)  # an id in the other database
                span = store.add_span(doc_id, name, row["layer"], row["label"], start, end,
                                      actor_id=row["actor_id"], attrs=attrs, origin=origin, by=writer)
            made.setdefault(_key(row), span.id)
            placed[here] = span.id
            report.spans_added += 1
        for link in theirs.links.get(pair, ()):
            head, tail = made.get(tuple(link["head"])), made.get(tuple(link["tail"]))
            if head is not None and tail is not None:
                store.add_link(head, tail, link["role"], name, by=writer)
                report.links_added += 1
        if name != GOLD:
            rejected = set()  # one rejection answers every model's row of a suggestion
            for v in theirs.verdicts.get(pair, ()):
                sug = suggestions.get((v["model"], v["layer"], v["label"], v["start"], v["end"]))
                if v["verdict"] == "rejected" and sug is not None and sug.verdict is None and sug.id not in rejected:
                    store.reject_suggestion(sug.id, name)
                    rejected.add(sug.id)
                    report.verdicts_added += 1
        current = store.progress(doc_id, name).status
        _forward_status(store, doc_id, name, by, current, theirs.status.get(pair, "todo"), report)
    report.pairs_added += 1
