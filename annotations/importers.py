"""Bringing annotations made elsewhere in: Prodigy JSONL and brat standoff.

``import_annotations(store, paths, fmt, annotator)`` reads every file first
and checks everything against the article text and the database's label
scheme: span offsets inside the text and matching any span text given (a
Prodigy span's ``text``, a brat T line's text against the ``.txt``), labels
known to the scheme, relations and event arguments pointing at spans that
exist, roles allowed for the head's layer. Each problem is reported as
``file:line: message``. If any is found the import is refused as a whole
(nothing is written) unless ``skip_invalid`` is given, in which case the
articles with problems are left out and listed, and the rest come in.

Spans are then aligned with the store's tokens: a span that starts or ends
inside a token is widened to the whole token (and one that starts or ends on
whitespace narrowed to the tokens it covers). Each such span is listed in the
report (``file:line``, old and new offsets), so nothing changes silently; a
span that covers only whitespace is a problem. (tandai's own exports always
align, so a round trip never snaps.)

Everything is written through the store's journaled methods (one undo step
per article, under ``annotator``), in one transaction: article text first
(articles already in the database are reused: ids are text hashes), actors
missing from the registry, then spans, links and the article's status,
``done``. An article that already has annotations by ``annotator`` is left
alone and reported, so importing the same file twice adds nothing.

Prodigy: one task per line with ``text``, ``spans`` (start, end, label;
``layer``, ``actor_id``, ``attrs``, ``text`` are read when present),
``relations`` (``head_span`` / ``child_span`` matched to the task's spans by
offsets and label; ``label`` is the role), ``meta`` (title, source, url,
published). Tasks whose ``answer`` is not ``accept`` are skipped and counted.

brat: ``.ann`` files (in directories, recursively) beside their ``.txt``.
``T`` (fragments separated only by line breaks or spaces are one span), ``E``
(the trigger's links; ``ROLE2`` is ``ROLE``; an ``E`` argument means its
trigger span), ``R`` (``Arg1`` is the head), ``A``/``M`` (attributes; a
binary one is ``true``), ``N`` (``Reference T1 db:ID``: the actor id) and
``#`` AnnotatorNotes (the ``note`` attribute).
"""
from __future__ import annotations

import re
import sqlite3
from collections import Counter
from collections.abc import Iterable, Iterator
from itertools import islice
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from .corpus import Article, JsonlFile, check_named_file, files_under, import_articles, make_title, path_label
from .display import quoted
from .errors import InputError, TandaiError
from .identifiers import check_identifier, identifier_problem
from .jsonl import load_line
from .records import Actor
from .scheme import Scheme
from .store import GOLD, Store, document_id
from .tokens import Boundaries, tokenize

FORMATS = ("prodigy", "brat")


@dataclass
class ISpan:
    key: str
    layer: str
    label: str
    start: int
    end: int
    where: str  # file:line
    actor_id: str | None = None
    attrs: dict[str, Any] = field(default_factory=dict)


@dataclass
class ILink:
    head: str
    tail: str
    role: str
    where: str


@dataclass
class IDoc:
    where: str  # file:line of the task, or the .ann file
    text: str
    title: str | None = None
    source: str | None = None
    url: str | None = None
    published: str | None = None
    spans: list[ISpan] = field(default_factory=list)
    links: list[ILink] = field(default_factory=list)
    actors: dict[str, str] = field(default_factory=dict)  # id -> name
    problems: list[str] = field(default_factory=list)


class ImportRefused(TandaiError):
    """Bad input: nothing was imported. ``problems`` lists every one as ``file:line: message``."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        shown = "; ".join(problems[:3]) + (" ..." if len(problems) > 3 else "")
        super().__init__(f"{shown} ({len(problems)} problem(s); nothing imported,"
                         " --skip-invalid imports the articles without problems)")


@dataclass
class ImportReport:
    fmt: str
    annotator: str
    files: int = 0
    articles_new: int = 0
    articles_existing: int = 0
    annotated: int = 0
    spans: Counter = field(default_factory=Counter)  # layer -> n
    links: int = 0
    actors_added: list[str] = field(default_factory=list)
    snapped: list[str] = field(default_factory=list)
    twice: list[str] = field(default_factory=list)  # spans given again, stored once
    skipped: list[str] = field(default_factory=list)  # problems of articles left out (--skip-invalid)
    skipped_articles: int = 0
    already: list[str] = field(default_factory=list)  # articles with this annotator's spans already
    not_accepted: int = 0

    def render(self, limit: int = 20) -> str:
        spans = sum(self.spans.values())
        per = ", ".join(f"{layer} {n}" for layer, n in sorted(self.spans.items()))
        lines = [f"{self.fmt} import as {self.annotator}: {self.annotated} annotated article(s) from {self.files}"
                 f" file(s) ({self.articles_new} new article(s), {self.articles_existing} already in the database)",
                 f"  spans: {spans}" + (f" ({per})" if per else "") + f" | links: {self.links}"]
        if self.actors_added:
            lines.append(f"  actors added to the registry: {', '.join(self.actors_added)}")
        if self.skipped:
            lines.append(f"  articles left out (--skip-invalid): {self.skipped_articles}")
        for title, items in (("snapped to token boundaries", self.snapped),
                             ("given twice, stored once", self.twice),
                             ("problems in the articles left out", self.skipped),
                             (f"not imported: already annotated by {self.annotator}", self.already)):
            if items:
                lines.append(f"  {title}: {len(items)}")
                lines += [f"    {item}" for item in items[:limit]]
                if len(items) > limit:
                    lines.append(f"    ... and {len(items) - limit} more")
        if self.not_accepted:
            lines.append(f"  tasks not accepted (answer reject/ignore), skipped: {self.not_accepted}")
        return "\n".join(lines)


# -- reading files -------------------------------------------------------------------------


def _read_bytes(path: Path, origin: str) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise InputError(origin, exc.strerror or str(exc)) from None


def _read_text(path: Path, origin: str) -> str:
    """A brat file as UTF-8, a byte-order mark kept: brat's offsets count it."""
    data = _read_bytes(path, origin)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise InputError(origin, f"not valid UTF-8 at byte {exc.start}", line) from None


def _files(paths: Iterable[str], suffix: str) -> list[str]:
    found: list[str] = []
    for name in paths:
        if name == "-":
            found.append(name)
            continue
        path = Path(name)
        if path.is_dir():
            inside = files_under(name, (suffix,))
            if not inside:
                raise InputError(name, f"directory has no {suffix} files")
            found += inside
        else:
            check_named_file(name)
            found.append(name)
    return found


def _int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def read_prodigy(inputs: list[JsonlFile], scheme: Scheme, report: ImportReport) -> Iterator[IDoc]:
    """The accepted tasks of Prodigy JSONL inputs, a line at a time (read once to check, once to store)."""
    for source in inputs:
        for n, line in source.lines():
            if line.strip():
                doc = _prodigy_task(line, source.origin, n, scheme, report)
                if doc is not None:
                    yield doc


def _prodigy_task(line: str, origin: str, n: int, scheme: Scheme, report: ImportReport) -> IDoc | None:
    where = f"{origin}:{n}"
    try:
        task = load_line(line, origin, n)
    except InputError as exc:
        return IDoc(where, "", problems=[str(exc)])
    if not isinstance(task, dict):
        return IDoc(where, "", problems=[f"{where}: a task must be a JSON object"])
    answer = task.get("answer", "accept")
    if answer != "accept":
        report.not_accepted += 1
        return None
    text = task.get("text")
    if not isinstance(text, str) or not text.strip():
        return IDoc(where, "", problems=[f"{where}: the task has no \"text\" (a non-empty string)"])
    meta = task.get("meta") if isinstance(task.get("meta"), dict) else {}
    doc = IDoc(where, text, *(meta.get(k) if isinstance(meta.get(k), str) else None
                              for k in ("title", "source", "url", "published")))
    problems = doc.problems
    raw_spans = task.get("spans") or []
    if not isinstance(raw_spans, list):
        problems.append(f"{where}: \"spans\" must be a list")
        raw_spans = []
    keys: list[tuple[int, int, str | None, str, dict]] = []  # (start, end, label, key, raw) for relations
    for i, raw in enumerate(raw_spans):
        what = f"span {i + 1}"
        if not isinstance(raw, dict) or not _int(raw.get("start")) or not _int(raw.get("end")):
            problems.append(f"{where}: {what} needs integer \"start\" and \"end\"")
            continue
        start, end, label = raw["start"], raw["end"], raw.get("label")
        what = f"span {start}-{end}"
        if not (0 <= start < end <= len(text)):
            problems.append(f"{where}: {what} is outside the text (0-{len(text)})")
            continue
        if "text" in raw and raw["text"] != text[start:end]:
            problems.append(f"{where}: {what} text {quoted(str(raw['text']), 30)} does not match the article"
                            f" text there ({quoted(text[start:end], 30)})")
            continue
        layer = _layer(scheme, label, raw.get("layer"), f"{where}: {what}", problems)
        if layer is None:
            continue
        actor = raw.get("actor_id")
        problem = identifier_problem(actor, "\"actor_id\"") if actor is not None else None
        if problem is not None:
            problems.append(f"{where}: {what} {problem}")
            continue
        attrs = raw.get("attrs") or {}
        if not isinstance(attrs, dict):
            problems.append(f"{where}: {what} \"attrs\" must be an object")
            continue
        key = f"s{i}"
        doc.spans.append(ISpan(key, layer, label, start, end, where, actor, attrs))
        keys.append((start, end, label, key, raw))
        if actor and actor not in doc.actors:
            doc.actors[actor] = text[start:end]
    raw_links = task.get("relations") or []
    if not isinstance(raw_links, list):
        problems.append(f"{where}: \"relations\" must be a list")
        raw_links = []
    for raw in raw_links:
        if not isinstance(raw, dict):
            problems.append(f"{where}: a relation must be an object")
            continue
        role = raw.get("label")
        ends = []
        for side in ("head_span", "child_span"):
            ref = raw.get(side)
            found = None
            if isinstance(ref, dict):  # the very span dict first, then the span at those offsets with that label
                found = next((k for *_, k, raw in keys if raw == ref), None) or next(
                    (k for s, e, lab, k, _ in keys if s == ref.get("start") and e == ref.get("end")
                     and (ref.get("label") is None or lab == ref.get("label"))), None)
            ends.append(found)
            if found is None:
                desc = f"{ref.get('start')}-{ref.get('end')} {ref.get('label')}" if isinstance(ref, dict) else "none"
                problems.append(f"{where}: relation {role!r} {side} ({desc}) is not one of the task's spans")
        if None in ends:
            continue
        doc.links.append(ILink(ends[0], ends[1], str(role), where))
    return doc


def _layer(scheme: Scheme, label: Any, layer: Any, what: str, problems: list[str]) -> str | None:
    if not isinstance(label, str) or not label:
        problems.append(f"{what} has no label")
        return None
    found = scheme.layer_of(label)
    if found is None:
        known = ", ".join(lab for lay in scheme.layers.values() for lab in lay.label_names)
        problems.append(f"{what}: unknown label {label!r} (the scheme has {known})")
        return None
    if layer is not None and layer != found:
        problems.append(f"{what}: label {label!r} is in the {found} layer, not {layer!r}")
        return None
    return found


_T = re.compile(r"^(T\S*)\t(\S+) (\d+ \d+(?:;\d+ \d+)*)\t(.*)$")
_E = re.compile(r"^(E\S*)\t(\S+):(\S+)((?: \S+:\S+)*) *$")
_R = re.compile(r"^(R\S*)\t(\S+) Arg1:(\S+) Arg2:(\S+) *$")
_A = re.compile(r"^([AM]\S*)\t(\S+) (\S+)(?: (\S+))? *$")
_N = re.compile(r"^(N\S*)\t(\S+) (\S+) ([^\s:]+):(\S+)(?:\t(.*))?$")
_NOTE = re.compile(r"^(#\S*)\t(\S+) (\S+)\t(.*)$")


def read_brat(paths: Iterable[str], scheme: Scheme, report: ImportReport) -> list[IDoc]:
    docs: list[IDoc] = []
    for name in _files(paths, ".ann"):
        if name == "-":
            raise InputError("-", "brat reads .ann/.txt files, not standard input")
        ann_path = Path(name)
        if ann_path.suffix != ".ann":
            if ann_path.suffix == ".txt" and ann_path.with_suffix(".ann").exists():
                ann_path = ann_path.with_suffix(".ann")
            else:
                raise InputError(name, "brat import reads .ann files (with their .txt beside them) or directories")
        report.files += 1
        txt_path = ann_path.with_suffix(".txt")
        if not txt_path.exists():
            raise InputError(path_label(str(ann_path)), f"no {path_label(txt_path.name)} beside it")
        text = _read_text(txt_path, path_label(str(txt_path)))
        ann = _read_text(ann_path, path_label(str(ann_path)))
        docs.append(_brat_doc(path_label(str(ann_path)), text, ann, scheme))
    return docs


def _brat_doc(origin: str, text: str, ann: str, scheme: Scheme) -> IDoc:
    doc = IDoc(origin, text)
    problems = doc.problems
    if not text.strip():
        problems.append(f"{origin}: the .txt is empty")
        return doc
    spans: dict[str, ISpan] = {}
    events: dict[str, tuple[str, str]] = {}  # E id -> (trigger T id, where)
    pending_events: list[tuple[str, str, str, str, str]] = []  # (E id, type, trigger, args, where)
    pending_args: list[tuple[str, str, str, str, str]] = []  # (E id, role, ref, where, raw)
    pending_rel: list[tuple[str, str, str, str]] = []  # (role, arg1, arg2, where)
    pending_attr: list[tuple[str, str, Any, str]] = []  # (target, name, value, where)
    pending_norm: list[tuple[str, str, str, str]] = []  # (target, id, name, where)
    for n, line in enumerate(ann.split("\n"), start=1):
        line = line.rstrip("\r")
        where = f"{origin}:{n}"
        if not line.strip():
            continue
        kind = line[0]
        if kind == "T":
            m = _T.match(line)
            if not m:
                problems.append(f"{where}: not a T line (T1<TAB>LABEL start end<TAB>text)")
                continue
            tid, label, offsets, given = m.groups()
            frags = [tuple(int(x) for x in part.split()) for part in offsets.split(";")]
            if any(not (0 <= s <= e <= len(text)) for s, e in frags) or any(s >= e for s, e in frags):
                problems.append(f"{where}: {tid} offsets {offsets} are outside the text (0-{len(text)})"
                                " or empty")
                continue
            if any(b[0] < a[1] for a, b in zip(frags, frags[1:])):
                problems.append(f"{where}: {tid} fragments {offsets} are out of order")
                continue
            actual = " ".join(text[s:e] for s, e in frags)
            if given != actual:
                problems.append(f"{where}: {tid} text {quoted(given, 30)} differs from the .txt at {offsets}"
                                f" ({quoted(actual, 30)})")
                continue
            if any(text[a[1]:b[0]].strip() for a, b in zip(frags, frags[1:])):
                problems.append(f"{where}: {tid} is discontinuous ({offsets}); tandai spans are one piece")
                continue
            layer = _layer(scheme, label, None, f"{where}: {tid}", problems)
            if layer is None:
                continue
            if tid in spans:
                problems.append(f"{where}: {tid} is defined twice")
                continue
            spans[tid] = ISpan(tid, layer, label, frags[0][0], frags[-1][1], where)
        elif kind == "E":
            m = _E.match(line)
            if not m:
                problems.append(f"{where}: not an E line (E1<TAB>TYPE:T1 ROLE:T2 ...)")
                continue
            eid, etype, trigger, rest = m.groups()
            if eid in events:
                problems.append(f"{where}: {eid} is defined twice")
                continue
            events[eid] = (trigger, where)
            pending_events.append((eid, etype, trigger, rest, where))
        elif kind == "R":
            m = _R.match(line)
            if not m:
                problems.append(f"{where}: not an R line (R1<TAB>ROLE Arg1:E1 Arg2:T2)")
                continue
            pending_rel.append((m.group(2), m.group(3), m.group(4), where))
        elif kind in "AM":
            m = _A.match(line)
            if not m:
                problems.append(f"{where}: not an A line (A1<TAB>NAME E1 [VALUE])")
                continue
            pending_attr.append((m.group(3), m.group(2), True if m.group(4) is None else m.group(4), where))
        elif kind == "N":
            m = _N.match(line)
            if not m:
                problems.append(f"{where}: not an N line (N1<TAB>Reference T1 db:ID<TAB>name)")
                continue
            pending_norm.append((m.group(3), m.group(5), m.group(6) or m.group(5), where))
        elif kind == "#":
            m = _NOTE.match(line)
            if m and m.group(2) == "AnnotatorNotes":
                pending_attr.append((m.group(3), "note", m.group(4), where))
            elif not m:
                problems.append(f"{where}: not a note line (#1<TAB>AnnotatorNotes T1<TAB>text)")
        else:
            problems.append(f"{where}: unsupported line (tandai reads T, E, R, A, M, N and # lines)")

    def resolve(ref: str) -> ISpan | None:
        if ref in spans:
            return spans[ref]
        if ref in events:
            return spans.get(events[ref][0])
        return None

    for eid, etype, trigger, rest, where in pending_events:
        trig = spans.get(trigger)
        if trig is None:
            problems.append(f"{where}: {eid} trigger {trigger} is not a T line of this file")
            continue
        if trig.label != etype:
            problems.append(f"{where}: {eid} type {etype} differs from its trigger {trigger}'s label {trig.label}")
            continue
        for arg in rest.split():
            role, ref = arg.split(":", 1)
            pending_args.append((eid, role, ref, where, arg))
    for eid, role, ref, where, raw in pending_args:
        head = resolve(eid)
        tail = resolve(ref)
        if head is None:
            continue  # the E line itself was reported
        if tail is None:
            problems.append(f"{where}: {eid} argument {raw} points to a missing span ({ref})")
            continue
        roles = scheme.layer(head.layer).roles
        if role not in roles and re.sub(r"\d+$", "", role) in roles:
            role = re.sub(r"\d+$", "", role)
        doc.links.append(ILink(head.key, tail.key, role, where))
    for role, arg1, arg2, where in pending_rel:
        head, tail = resolve(arg1), resolve(arg2)
        if head is None or tail is None:
            problems.append(f"{where}: relation {role} points to a missing span ({arg1 if head is None else arg2})")
            continue
        doc.links.append(ILink(head.key, tail.key, role, where))
    for target, name, value, where in pending_attr:
        span = resolve(target)
        if span is None:
            problems.append(f"{where}: attribute {name} of a missing annotation ({target})")
            continue
        span.attrs[name] = value
    for target, actor, actor_name, where in pending_norm:
        span = resolve(target)
        if span is None:
            problems.append(f"{where}: normalisation of a missing annotation ({target})")
            continue
        problem = identifier_problem(actor, "actor id")
        if problem is not None:
            problems.append(f"{where}: {problem}")
            continue
        span.actor_id = actor
        doc.actors.setdefault(actor, actor_name)
    doc.spans = list(spans.values())
    return doc


# -- checking and writing --------------------------------------------------------------------


def _check_links(doc: IDoc, scheme: Scheme) -> None:
    by_key = {s.key: s for s in doc.spans}
    for link in doc.links:
        head, tail = by_key.get(link.head), by_key.get(link.tail)
        if head is None or tail is None:
            doc.problems.append(f"{link.where}: relation {link.role!r} to a missing span")
            continue
        problem = scheme.link_problem(head.layer, link.role, tail.layer, tail.label)
        if problem is not None:
            doc.problems.append(f"{link.where}: {problem}")
        elif head.key == tail.key:
            doc.problems.append(f"{link.where}: a span cannot be linked to itself")


def _snap(doc: IDoc, tokens: list[tuple[int, int]], report: ImportReport) -> None:
    boundaries = Boundaries(tokens)
    for span in doc.spans:
        snapped = boundaries.snap(span.start, span.end)
        if snapped is None:
            doc.problems.append(f"{span.where}: span {span.start}-{span.end}"
                                f" {quoted(doc.text[span.start:span.end], 30)} covers no token (only whitespace)")
            continue
        start, end = snapped
        if (start, end) != (span.start, span.end):
            report.snapped.append(f"{span.where}: {span.label} {span.start}-{span.end}"
                                  f" {quoted(doc.text[span.start:span.end], 30)} -> {start}-{end}"
                                  f" {quoted(doc.text[start:end], 30)}")
            span.start, span.end = start, end
    _one_of_each(doc, report)


def _one_of_each(doc: IDoc, report: ImportReport) -> None:
    """A span given twice (or two that snap onto the same tokens) is stored once, its links moved to
    the first copy: the store keeps one span per offsets, layer and label."""
    first: dict[tuple, ISpan] = {}
    moved: dict[str, str] = {}
    for span in doc.spans:
        same = first.setdefault((span.layer, span.label, span.start, span.end), span)
        if same is not span:
            moved[span.key] = same.key
            report.twice.append(f"{span.where}: {span.label} {span.start}-{span.end}"
                                f" {quoted(doc.text[span.start:span.end], 30)} (as at {same.where})")
    if not moved:
        return
    doc.spans = list(first.values())
    links: dict[tuple, ILink] = {}
    for link in doc.links:
        link.head, link.tail = moved.get(link.head, link.head), moved.get(link.tail, link.tail)
        if link.head != link.tail:
            links.setdefault((link.head, link.tail, link.role), link)
    doc.links = list(links.values())


class _FirstSeen:
    """Where each article of an import was first seen, to refuse the same article twice in one import.

    Kept in a private temporary SQLite database, not in a dict: an import of a
    million tasks would otherwise hold every article's id in memory.
    """

    def __init__(self) -> None:
        self.conn = sqlite3.connect("")  # "": a temporary database of this connection's own, on disk
        self.conn.execute("CREATE TABLE seen (id TEXT PRIMARY KEY, at TEXT NOT NULL) WITHOUT ROWID")

    def first(self, doc_id: str, where: str) -> str | None:
        """Where ``doc_id`` was seen before (None the first time, which is then remembered)."""
        row = self.conn.execute("SELECT at FROM seen WHERE id = ?", (doc_id,)).fetchone()
        if row is None:
            self.conn.execute("INSERT INTO seen VALUES (?, ?)", (doc_id, where))
        return row[0] if row else None

    def close(self) -> None:
        self.conn.close()


def _check(docs: Iterable[IDoc], scheme: Scheme, report: ImportReport) -> tuple[list[str], set[str]]:
    """Every problem, and the tasks that have one (by ``where``), snapping spans to tokens as it goes."""
    problems: list[str] = []
    bad: set[str] = set()
    seen = _FirstSeen()
    try:
        for doc in docs:
            if not doc.problems:
                _check_links(doc, scheme)
            if not doc.problems:
                earlier = seen.first(document_id(doc.text), doc.where)
                if earlier is not None:
                    doc.problems.append(f"{doc.where}: the same article is already in this import ({earlier});"
                                        " import each annotator's file separately")
                else:
                    _snap(doc, tokenize(doc.text), report)
            if doc.problems:
                problems.extend(doc.problems)
                bad.add(doc.where)
    finally:
        seen.close()
    return problems, bad


# Articles stored at once by an import of annotations: what it holds in memory besides the report.
_IMPORT_BATCH = 2000


def import_annotations(store: Store, paths: Iterable[str], fmt: str, annotator: str, skip_invalid: bool = False,
                       *, by: str | None = None, stdin: BinaryIO | None = None,
                       encoding: str = "utf-8") -> ImportReport:
    """Import Prodigy JSONL or brat files as ``annotator``'s annotations; see the module docstring.

    Prodigy files are read twice, a line at a time: once to check every task
    (nothing is written if one is bad), once to store them in batches, all in
    one transaction; memory does not grow with the file.
    """
    if fmt not in FORMATS:
        raise TandaiError(f"unknown annotation format {fmt!r} (one of {', '.join(FORMATS)})")
    check_identifier(annotator, "the annotator name of imported annotations (--as NAME)")
    if annotator == GOLD and (not by or by == GOLD):
        raise TandaiError("importing into gold needs the reviewer's name (give --annotator NAME)")
    by = by if annotator == GOLD else None  # a reviewer writes gold; anyone else writes their own layer
    scheme = store.scheme
    report = ImportReport(fmt, annotator)
    paths = list(paths)
    for name in paths:
        store.refuse_own_file(name, "a file to import")
    if fmt == "prodigy":
        inputs = [JsonlFile.open(name, encoding, stdin) for name in _files(paths, ".jsonl")]
        report.files = len(inputs)
        problems, bad = _check(read_prodigy(inputs, scheme, report), scheme, report)

        def good() -> Iterator[IDoc]:  # read again; counts and snaps were reported by the first reading
            again = ImportReport(fmt, annotator)
            for doc in read_prodigy(inputs, scheme, again):
                if doc.where not in bad:
                    _snap(doc, tokenize(doc.text), again)
                    yield doc
    else:
        docs = read_brat(paths, scheme, report)
        problems, bad = _check(docs, scheme, report)

        def good() -> Iterator[IDoc]:
            return (doc for doc in docs if doc.where not in bad)
    if problems and not skip_invalid:
        raise ImportRefused(problems)
    report.skipped = problems
    report.skipped_articles = len(bad)
    with store.transaction():
        known = {a.id for a in store.actors()}
        docs_left = good()
        while batch := list(islice(docs_left, _IMPORT_BATCH)):
            _store_batch(store, batch, fmt, annotator, by, known, report)
    return report


def _store_batch(store: Store, docs: list[IDoc], fmt: str, annotator: str, by: str | None,
                 known: set[str], report: ImportReport) -> None:
    """Articles, new actors, then each article's spans, links and status as one undo step."""
    fresh = {}
    for doc in docs:
        for actor_id, name in doc.actors.items():
            if actor_id not in known and actor_id not in fresh:
                fresh[actor_id] = Actor(actor_id, name or actor_id)
    if fresh:
        store.add_actors(fresh[k] for k in sorted(fresh))
        known.update(fresh)
        report.actors_added.extend(sorted(fresh))
    articles = [Article(text=doc.text, title=doc.title or make_title(doc.text), source=doc.source,
                        url=doc.url, published=doc.published, meta={"path": doc.where, "imported_as": fmt})
                for doc in docs]
    new, existing = import_articles(store, articles)
    report.articles_new += new
    report.articles_existing += existing
    ids = [document_id(doc.text) for doc in docs]
    annotated = {row[0] for row in store.conn.execute(
        f"SELECT DISTINCT doc_id FROM spans WHERE annotator = ? AND doc_id IN ({','.join('?' * len(ids))})",
        (annotator, *ids))}
    for doc, doc_id in zip(docs, ids):
        if doc_id in annotated:
            report.already.append(f"{doc.where}: article {doc_id}")
            continue
        with store.action(f"import_{fmt}", annotator, doc_id, by=by):
            made: dict[str, int] = {}
            for span in doc.spans:
                row = store.add_span(doc_id, annotator, span.layer, span.label, span.start, span.end,
                                     actor_id=span.actor_id, attrs=span.attrs,
                                     origin={"import": fmt, "from": span.where}, by=by)
                made[span.key] = row.id
                report.spans[span.layer] += 1
            for link in doc.links:
                store.add_link(made[link.head], made[link.tail], link.role, annotator, by=by)
                report.links += 1
            store.set_status(doc_id, annotator, "done", by=by)
        report.annotated += 1
