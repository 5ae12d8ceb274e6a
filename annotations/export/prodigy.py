"""Prodigy JSONL: one task per article and annotator.

Fields: ``text``; ``tokens`` (text, start, end, id, ws) laid out as spaCy lays
out the store's tokens (see ``pretag.make_doc``: gaps other than one space are
whitespace tokens), so token indices match a spaCy Doc of the text; ``spans``
(start, end, token_start, token_end inclusive, label, plus ``layer``,
``actor_id``, ``text`` and ``attrs`` when set); ``relations`` (head and child
token = the last token of each span, ``head_span`` / ``child_span`` with start, end,
token_start, token_end and label, as Prodigy writes them; ``label`` = the role); ``answer`` "accept";
``_annotator_id``; ``meta`` (doc_id, title, source, url, published); and
stable ``_input_hash`` / ``_task_hash``. Everything tandai stores fits, so
this export drops nothing, and ``importers.import_annotations`` reads it back.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from json.encoder import encode_basestring  # type: ignore[attr-defined]
from typing import IO

from ..tokens import spacy_layout
from .common import dumps, open_out, stable_int, write_pieces
from .report import Report
from .select import Record, XSpan


def spacy_words(text: str, tokens: Iterable[tuple[int, int]]) -> list[tuple[int, int, bool]]:
    """(start, end, trailing space) of each token of ``pretag.make_doc(text, tokens)``, without spaCy."""
    return list(zip(*spacy_layout(text, tokens)))


def task_line(record: Record) -> str:
    """The task as one JSON line (keys sorted, compact): ``json.loads`` of it is the task."""
    doc = record.doc
    text = doc.text
    starts, ends, spaces = spacy_layout(text, doc.tokens)
    start_at = {s: i for i, s in enumerate(starts)}
    end_at = {e: i for i, e in enumerate(ends)}

    def span_dict(span: XSpan) -> dict:
        out = {"start": span.start, "end": span.end, "token_start": start_at[span.start],
               "token_end": end_at[span.end], "label": span.label, "layer": span.layer,
               "actor_id": span.actor_id, "text": span.text}
        if span.attrs:
            out["attrs"] = span.attrs
        return out

    spans = [span_dict(s) for s in record.spans]
    relations = []
    for link in record.links:
        head, child = link.head, link.tail
        head_end, child_end = end_at[head.end], end_at[child.end]
        relations.append({
            "head": head_end, "child": child_end, "label": link.role,
            "head_span": {"start": head.start, "end": head.end, "token_start": start_at[head.start],
                          "token_end": head_end, "label": head.label},
            "child_span": {"start": child.start, "end": child.end, "token_start": start_at[child.start],
                           "token_end": child_end, "label": child.label},
        })
    input_hash = stable_int(text)
    # The task hash covers what was annotated: spans (with actor ids and attributes) and relations.
    content = [(s.start, s.end, s.label, s.actor_id, sorted(s.attrs.items()) if s.attrs else None)
               for s in record.spans]
    content += [(link.head.start, link.head.end, link.head.label, link.tail.start, link.tail.end, link.tail.label,
                 link.role) for link in record.links]
    meta = {"doc_id": doc.id, "title": doc.title, "source": doc.source, "url": doc.url, "published": doc.published}
    # Tokens are most of the line: written directly (byte for byte what json.dumps would write, much faster).
    tokens = ",".join([
        f'{{"end":{e},"id":{i},"start":{s},"text":{encode_basestring(text[s:e])},"ws":{"true" if ws else "false"}}}'
        for i, s, e, ws in zip(range(len(starts)), starts, ends, spaces)
    ])
    return (
        f'{{"_annotator_id":{encode_basestring(record.annotator)},"_input_hash":{input_hash},'
        f'"_task_hash":{stable_int(f"{input_hash}{content!r}")},"answer":"accept","meta":{dumps(meta)},'
        f'"relations":{dumps(relations)},"spans":{dumps(spans)},"text":{encode_basestring(text)},'
        f'"tokens":[{tokens}]}}'
    )


def lines(records: Iterable[Record], report: Report) -> Iterator[str]:
    for record in records:
        report.count(record)
        yield task_line(record) + "\n"


def write_chunk(records: Iterable[Record], report: Report) -> str:
    return "".join(lines(records, report))


def export(pieces: Iterable[str], out: str | IO[str]) -> None:
    """Write the lines (or chunks of lines) to ``out``."""
    with open_out(out, "prodigy JSONL") as fh:
        write_pieces(fh, pieces)
