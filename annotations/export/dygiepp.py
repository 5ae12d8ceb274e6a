"""DyGIE++ JSONL: one document per line, token indices document-level, one sublist per sentence.

- ``sentences``: the store's tokens, split with ``annotations.tokens.sentences``
  (two sentences are joined where an entity crosses the break, so no
  entity is cut);
- ``ner``: entity spans ``[first, last, label]`` (inclusive; nested and
  overlapping entities are kept: DyGIE++ is span-based);
- ``events``: each event *and* claim is ``[[trigger token, label],
  [first, last, role], ...]``. DyGIE++ triggers are one token: a longer span
  is written as its first token (reported). Arguments must be in the
  trigger's sentence: others are left out and reported;
- ``relations``: empty (tandai's links are event and claim arguments).

``doc_key`` is the article id (``<id>:<annotator>`` with ``--all``; DyGIE++
refuses extra top-level fields), ``dataset`` is ``tandai``.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import IO

from .common import TokenIndex, dumps, open_out, sentence_of, sentence_ranges, write_pieces
from .report import Report
from .select import Record

DATASET = "tandai"
CROSS = "event argument in another sentence than its trigger (DyGIE++ events are within a sentence)"
LONG_TRIGGER = "trigger longer than one token: written as its first token"
SAME_TRIGGER = "second event or claim on the same trigger token: left out"
SAME_NER = "entity on the same tokens as another: DyGIE++ keeps one label per span"


def document(record: Record, report: Report, multi: bool) -> dict:
    doc = record.doc
    text = doc.text
    index = TokenIndex(doc.tokens)
    where = {span.id: index.span(span.start, span.end) for span in record.spans}
    entities = [s for s in record.spans if s.layer == "entity"]
    ranges = sentence_ranges(text, doc.tokens, (where[s.id] for s in entities))
    sent = sentence_of(ranges)
    n = len(ranges)
    sentences = [[text[s:e] for s, e in doc.tokens[a:b]] for a, b in ranges]
    ner: list[list] = [[] for _ in range(n)]
    seen_ner: set[tuple[int, int]] = set()
    for span in entities:
        first, last = where[span.id]
        if (first, last) in seen_ner:
            report.problem(SAME_NER, record, span.start, span.end, span.label)
            continue
        seen_ner.add((first, last))
        ner[sent[first]].append([first, last, span.label])
    args: dict[int, list] = {}
    for link in record.links:
        args.setdefault(link.head.id, []).append(link)
    events: list[list] = [[] for _ in range(n)]
    triggers: set[int] = set()
    for span in record.spans:
        if span.layer == "entity":
            continue
        first, last = where[span.id]
        if first in triggers:
            report.problem(SAME_TRIGGER, record, span.start, span.end, span.label)
            continue
        triggers.add(first)
        if last > first:
            report.problem(LONG_TRIGGER, record, span.start, span.end, span.label,
                           f"trigger {doc.tokens[first][0]}-{doc.tokens[first][1]}")
        s = sent[first]
        event: list[list] = [[first, span.label]]
        for link in args.get(span.id, []):
            a_first, a_last = where[link.tail.id]
            if sent[a_first] != s or sent[a_last] != s:
                report.problem(CROSS, record, link.tail.start, link.tail.end, f"{span.label}.{link.role}",
                               f"trigger {span.start}-{span.end} {span.text!r}")
                continue
            event.append([a_first, a_last, link.role])
        events[s].append(event)
    key = f"{doc.id}:{record.annotator}" if multi else doc.id
    return {"doc_key": key, "dataset": DATASET, "sentences": sentences, "ner": ner,
            "relations": [[] for _ in range(n)], "events": events}


def lines(records: Iterable[Record], report: Report, multi: bool) -> Iterator[str]:
    for record in records:
        report.count(record)
        if not record.doc.tokens:  # pragma: no cover - articles have text
            continue
        yield dumps(document(record, report, multi)) + "\n"


def write_chunk(records: Iterable[Record], report: Report, multi: bool) -> str:
    return "".join(lines(records, report, multi))


def export(pieces: Iterable[str], out: str | IO[str]) -> None:
    with open_out(out, "DyGIE++ JSONL") as fh:
        write_pieces(fh, pieces)
