"""IOB tags (IOB2: B-, I-, O) on the store's tokens, two ways, in one directory:

- ``data.conll``: CoNLL columns, ``token<TAB>tag``, a blank line after each
  sentence and the document line ``-DOCSTART- -X- O O`` (then a blank line)
  before each article: the delimiter spaCy's ``convert -c ner`` splits
  documents on (one Doc per article), and a ``-DOCSTART-`` line as every
  CoNLL-2003 reader skips it;
- ``data.jsonl``: Hugging Face style, one sentence per line: ``id``,
  ``doc_id``, ``annotator``, ``tokens``, ``ner_tags`` (ints into the label list);
- ``README.md``: the dataset card whose YAML header tells Hugging Face
  ``datasets`` that ``data.jsonl`` is the one data file (``configs``) and that
  ``ner_tags`` is a sequence of ``ClassLabel`` with the label names
  (``dataset_info``), so ``load_dataset(folder)`` gives named tags;
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

from ..scheme import Scheme
from .common import StagedDir, TokenIndex, dumps, longest_first, sentence_ranges
from .report import Report
from .select import Record, Selection, report_link

DEFAULT_LAYERS = ("entity",)
OVERLAP = "overlapping span: IOB has one tag per token (the longest is kept)"
NO_LINKS = "link: IOB has no relations"
DOCSTART = "-DOCSTART- -X- O O"  # spaCy's convert -c ner splits documents on exactly this line
DATA_FILE = "data.jsonl"


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


def dataset_card(labels: list[str], layers: tuple[str, ...]) -> str:
    """README.md for Hugging Face ``datasets``: the data file and the features, ``ner_tags`` as ClassLabel names.

    Every string in the YAML is written as a JSON string, which YAML reads as the same string.
    """
    q = json.dumps
    names = "".join(f"          {q(str(i))}: {q(name)}\n" for i, name in enumerate(labels))
    return (
        "---\n"
        "configs:\n"
        "- config_name: default\n"
        "  data_files:\n"
        "  - split: train\n"
        f"    path: {q(DATA_FILE)}\n"
        "dataset_info:\n"
        "  features:\n"
        "  - name: id\n    dtype: string\n"
        "  - name: doc_id\n    dtype: string\n"
        "  - name: annotator\n    dtype: string\n"
        "  - name: tokens\n    sequence: string\n"
        "  - name: ner_tags\n    sequence:\n      class_label:\n        names:\n"
        f"{names}"
        "---\n\n"
        "# tandai IOB export\n\n"
        f"Token classification data written by `tandai export iob` (layers: {', '.join(layers)}).\n"
        f"`{DATA_FILE}` has one sentence per row: `tokens` and `ner_tags` (IOB2, names in the header above\n"
        "and in `labels.json`), with the article (`doc_id`) and the `annotator`. `data.conll` holds the same\n"
        "tags as CoNLL columns. Load it with `datasets.load_dataset(\"<this folder>\")`.\n"
    )


def export(records: Iterable[Record], stage: StagedDir, report: Report, selection: Selection,
           scheme: Scheme) -> None:
    report.links_unwritable = NO_LINKS
    labels = label_list(scheme, selection.layers)
    ids = {name: i for i, name in enumerate(labels)}
    out = stage.path
    with open(out / "data.conll", "w", encoding="utf-8", newline="\n") as conll, \
            open(out / DATA_FILE, "w", encoding="utf-8", newline="\n") as hf:
        for record in records:
            report.count(record)
            text, tokens = record.doc.text, record.doc.tokens
            ranges, tags = tag_record(record, report)
            for link in record.links:
                report_link(report, NO_LINKS, record, link)
            conll.write(f"{DOCSTART}\n\n")
            for n, (a, b) in enumerate(ranges):
                words = [text[s:e] for s, e in tokens[a:b]]
                conll.write("".join(f"{w}\t{t}\n" for w, t in zip(words, tags[a:b])))
                conll.write("\n")
                hf.write(dumps({"id": f"{record.doc.id}:{record.annotator}:{n}", "doc_id": record.doc.id,
                                "annotator": record.annotator, "tokens": words,
                                "ner_tags": [ids[t] for t in tags[a:b]]}))
                hf.write("\n")
    (out / "labels.json").write_text(json.dumps(labels, ensure_ascii=False) + "\n", encoding="utf-8", newline="\n")
    (out / "README.md").write_text(dataset_card(labels, selection.layers), encoding="utf-8", newline="\n")
    report.files += [str(stage.target / name) for name in ("data.conll", DATA_FILE, "labels.json", "README.md")]
