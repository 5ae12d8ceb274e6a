"""Prodigy JSONL: one task per article and annotator.

Fields: ``text``; ``tokens`` (text, start, end, id, ws) laid out as spaCy lays
out the store's tokens (see ``pretag.make_doc``: gaps other than one space are
whitespace tokens), so token indices match a spaCy Doc of the text; ``spans``
(start, end, token_start, token_end inclusive, label, plus ``layer``,
``actor_id``, ``text`` and ``attrs`` when set); ``relations`` (head and child
token, head_span, child_span, label = the role); ``answer`` "accept";
``_annotator_id``; ``meta`` (doc_id, title, source, url, published); and
stable ``_input_hash`` / ``_task_hash``. Everything tandai stores fits, so
this export drops nothing, and ``importers.import_annotations`` reads it back.
"""
from __future__ import annotations

from collections.abc import Iterable
from typing import IO

from ..records import Span
from .common import dumps, open_out, stable_int
from .report import Report
from .select import Record


def spacy_words(text: str, tokens: Iterable[tuple[int, int]]) -> list[tuple[int, int, bool]]:
    """(start, end, trailing space) of each token of ``pretag.make_doc(text, tokens)``, without spaCy."""
    words: list[list] = []
    pos = 0
    for start, end in tokens:
        if start > pos:
            gap_start = pos
            if words and text[pos] == " ":
                words[-1][2] = True
                gap_start += 1
            if start > gap_start:
                words.append([gap_start, start, False])
        words.append([start, end, False])
        pos = end
    if pos < len(text):
        gap_start = pos
        if words and text[pos] == " ":
            words[-1][2] = True
            gap_start += 1
        if len(text) > gap_start:
            words.append([gap_start, len(text), False])
    return [tuple(w) for w in words]  # type: ignore[misc]


def task(record: Record) -> dict:
    doc = record.doc
    text = doc.text
    words = spacy_words(text, doc.tokens)
    start_at = {w[0]: i for i, w in enumerate(words)}
    end_at = {w[1]: i for i, w in enumerate(words)}
    tokens = [{"text": text[s:e], "start": s, "end": e, "id": i, "ws": ws} for i, (s, e, ws) in enumerate(words)]

    def span_dict(span: Span) -> dict:
        out = {"start": span.start, "end": span.end, "token_start": start_at[span.start],
               "token_end": end_at[span.end], "label": span.label, "layer": span.layer,
               "actor_id": span.actor_id, "text": span.text}
        if span.attrs:
            out["attrs"] = span.attrs
        return out

    spans = [span_dict(s) for s in record.spans]
    relations = []
    for link in record.links:
        head, child = span_dict(link.head), span_dict(link.tail)
        relations.append({"head": head["token_end"], "child": child["token_end"], "head_span": head,
                          "child_span": child, "label": link.role})
    input_hash = stable_int(text)
    return {
        "text": text,
        "tokens": tokens,
        "spans": spans,
        "relations": relations,
        "answer": "accept",
        "_annotator_id": record.annotator,
        "_input_hash": input_hash,
        "_task_hash": stable_int(dumps([input_hash, spans, relations])),
        "meta": {"doc_id": doc.id, "title": doc.title, "source": doc.source, "url": doc.url,
                 "published": doc.published},
    }


def export(records: Iterable[Record], out: str | IO[str], report: Report) -> None:
    with open_out(out, "prodigy JSONL") as fh:
        for record in records:
            report.count(record)
            fh.write(dumps(task(record)))
            fh.write("\n")
