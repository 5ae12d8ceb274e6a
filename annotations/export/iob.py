"""IOB tags (IOB2: B-, I-, O) on the store's tokens, two ways, in one directory:

- ``data.conll``: CoNLL columns, ``token<TAB>tag``, a blank line after each
  sentence and ``-DOCSTART-<TAB>O`` (then a blank line) before each article;
- ``data.jsonl``: Hugging Face style, one sentence per line: ``id``,
  ``doc_id``, ``annotator``, ``tokens``, ``ner_tags`` (ints into the label list);
- ``labels.json``: the label list (``O``, then ``B-X``, ``I-X`` for every
  label of the exported layers in scheme order), the ``ClassLabel`` names.

IOB gives each token one tag, so overlapping spans cannot all be written:
the longest is kept and every other one is reported. Only the entity layer
is tagged unless ``--layer`` says otherwise (several layers are tagged
together, overlaps resolved the same way). Two sentences are joined where a
kept span crosses the break, so no span is cut.
"""
from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

from ..scheme import Scheme
from .common import TokenIndex, dumps, longest_first, sentence_ranges
from .report import Report
from .select import Record, Selection, report_link

DEFAULT_LAYERS = ("entity",)
OVERLAP = "overlapping span: IOB has one tag per token (the longest is kept)"
NO_LINKS = "link: IOB has no relations"


def label_list(scheme: Scheme, layers: tuple[str, ...]) -> list[str]:
    names = ["O"]
    for layer in layers:
        for label in scheme.layer(layer).label_names:
            names += [f"B-{label}", f"I-{label}"]
    return names


def tag_record(record: Record, report: Report) -> tuple[list[tuple[int, int]], list[str]]:
    """(sentence token ranges, one tag per token)."""
    tokens = record.doc.tokens
    index = TokenIndex(tokens)
    kept, dropped = longest_first(record.spans)
    for span, winner in dropped:
        report.problem(OVERLAP, record, span.start, span.end, span.label,
                       f"overlaps {winner.label} {winner.start}-{winner.end}")
    tags = ["O"] * len(tokens)
    spans = []
    for span in kept:
        first, last = index.span(span.start, span.end)
        spans.append((first, last))
        tags[first] = f"B-{span.label}"
        for i in range(first + 1, last + 1):
            tags[i] = f"I-{span.label}"
    return sentence_ranges(record.doc.text, tokens, spans), tags


def export(records: Iterable[Record], out: Path, report: Report, selection: Selection, scheme: Scheme) -> None:
    report.links_unwritable = NO_LINKS
    labels = label_list(scheme, selection.layers)
    ids = {name: i for i, name in enumerate(labels)}
    with open(out / "data.conll", "w", encoding="utf-8", newline="\n") as conll, \
            open(out / "data.jsonl", "w", encoding="utf-8", newline="\n") as hf:
        for record in records:
            report.count(record)
            text, tokens = record.doc.text, record.doc.tokens
            ranges, tags = tag_record(record, report)
            for link in record.links:
                report_link(report, NO_LINKS, record, link)
            conll.write("-DOCSTART-\tO\n\n")
            for n, (a, b) in enumerate(ranges):
                words = [text[s:e] for s, e in tokens[a:b]]
                conll.write("".join(f"{w}\t{t}\n" for w, t in zip(words, tags[a:b])))
                conll.write("\n")
                hf.write(dumps({"id": f"{record.doc.id}:{record.annotator}:{n}", "doc_id": record.doc.id,
                                "annotator": record.annotator, "tokens": words,
                                "ner_tags": [ids[t] for t in tags[a:b]]}))
                hf.write("\n")
    (out / "labels.json").write_text(json.dumps(labels, ensure_ascii=False) + "\n", encoding="utf-8", newline="\n")
    report.files += [str(out / "data.conll"), str(out / "data.jsonl"), str(out / "labels.json")]
