"""spaCy DocBin: ``train.spacy`` and ``dev.spacy`` (split by article, seeded) and a ``config.cfg``.

Each Doc is built on the store's own tokens (``pretag.make_doc``), so every
span is a ``char_span`` and training never misaligns. A Doc holds:

- ``doc.ents``: the entity layer without overlaps (the longest span wins;
  each one left out is reported), ``kb_id`` = actor id;
- span groups ``entity``, ``event``, ``claim`` (every span, overlaps kept,
  ``kb_id`` = actor id);
- ``doc.user_data``: ``doc_id``, ``annotator``, ``title``, ``links`` (a list of
  ``{"head": [start, end], "head_label", "tail": [start, end], "tail_label",
  "role"}`` in character offsets) and ``attrs`` (``{"start", "end", "label",
  "attrs"}`` for spans that have attributes).

This is the only exporter that imports spaCy.
"""
from __future__ import annotations

import random
from collections.abc import Iterable
from pathlib import Path

from spacy.tokens import Doc, DocBin
from spacy.vocab import Vocab

from ..errors import TandaiError
from ..pretag import make_doc
from .common import longest_first
from .report import Report
from .select import Record, Selection
from .spacy_config import MAX_SUGGEST, SPANCAT_LAYERS, training_config

DOCBIN_ATTRS = ["ORTH", "ENT_IOB", "ENT_TYPE", "ENT_KB_ID"]
OVERLAP = "overlapping entity: not in doc.ents (kept in span group 'entity')"


def split_ids(doc_ids: list[str], split: float, seed: int) -> tuple[set[str], set[str]]:
    """(train, dev) article ids: a seeded shuffle of the ids in import order, so the split repeats."""
    if not 0 < split <= 1:
        raise TandaiError("--split must be a fraction above 0 and at most 1 (e.g. 0.8)")
    ids = list(doc_ids)
    random.Random(seed).shuffle(ids)
    if split >= 1:
        return set(ids), set()
    n_train = round(len(ids) * split)
    if len(ids) >= 2:
        n_train = min(max(n_train, 1), len(ids) - 1)
    return set(ids[:n_train]), set(ids[n_train:])


def build_doc(vocab: Vocab, record: Record, layers: tuple[str, ...], report: Report) -> tuple[Doc, dict[str, int]]:
    """The Doc for one record, and the longest span (in tokens) per layer."""
    doc = make_doc(vocab, record.doc.text, record.doc.tokens)
    longest: dict[str, int] = {}
    groups: dict[str, list] = {layer: [] for layer in layers}
    made = {}
    for span in record.spans:
        sp = doc.char_span(span.start, span.end, label=span.label, kb_id=span.actor_id or "")
        if sp is None:  # pragma: no cover - stored spans align with stored tokens
            report.problem("span not on token boundaries", record, span.start, span.end, span.label)
            continue
        made[span.id] = sp
        groups[span.layer].append(sp)
        longest[span.layer] = max(longest.get(span.layer, 0), len(sp))
    for layer, spans in groups.items():
        doc.spans[layer] = spans
    if "entity" in layers:
        kept, dropped = longest_first(s for s in record.spans if s.layer == "entity" and s.id in made)
        doc.ents = [made[s.id] for s in kept]
        for span, winner in dropped:
            report.problem(OVERLAP, record, span.start, span.end, span.label,
                           f"overlaps {winner.label} {winner.start}-{winner.end}")
    doc.user_data["doc_id"] = record.doc.id
    doc.user_data["annotator"] = record.annotator
    doc.user_data["title"] = record.doc.title
    doc.user_data["links"] = [
        {"head": [link.head.start, link.head.end], "head_label": link.head.label,
         "tail": [link.tail.start, link.tail.end], "tail_label": link.tail.label, "role": link.role}
        for link in record.links
    ]
    doc.user_data["attrs"] = [
        {"start": s.start, "end": s.end, "label": s.label, "attrs": s.attrs} for s in record.spans if s.attrs
    ]
    return doc, longest


def export(records: Iterable[Record], out: Path, report: Report, selection: Selection, *,
           split: float = 0.8, seed: int = 0, max_steps: int = 20000, eval_frequency: int = 200) -> dict:
    """Write train.spacy, dev.spacy (unless ``split`` is 1) and config.cfg into ``out``; returns the layout."""
    train_ids, dev_ids = split_ids(selection.doc_ids, split, seed)
    vocab = Vocab()
    train, dev = DocBin(attrs=DOCBIN_ATTRS, store_user_data=True), DocBin(attrs=DOCBIN_ATTRS, store_user_data=True)
    longest: dict[str, int] = {}
    has_entities = False
    train_layers: set[str] = set()
    n_train = n_dev = 0
    for record in records:
        report.count(record)
        doc, sizes = build_doc(vocab, record, selection.layers, report)
        for layer, n in sizes.items():
            longest[layer] = max(longest.get(layer, 0), n)
        if record.doc.id in train_ids:
            train.add(doc)
            n_train += 1
            train_layers.update(sizes)
            has_entities = has_entities or bool(doc.ents)
        else:
            dev.add(doc)
            n_dev += 1
    out.mkdir(parents=True, exist_ok=True)
    train.to_disk(out / "train.spacy")
    report.files.append(str(out / "train.spacy"))
    if split < 1:
        dev.to_disk(out / "dev.spacy")
        report.files.append(str(out / "dev.spacy"))
    sizes = {layer: longest[layer] for layer in SPANCAT_LAYERS if layer in train_layers}
    for layer, n in sizes.items():
        if n > MAX_SUGGEST:
            report.notes.append(f"the longest {layer} span is {n} tokens; spancat_{layer} proposes spans of at most"
                                f" {MAX_SUGGEST} tokens, so longer ones cannot be learned")
    what = f"tandai export spacy: {n_train} train / {n_dev} dev article record(s), seed {seed}, split {split}"
    config = training_config(ner=has_entities, spancat_sizes=sizes, what=what, seed=seed,
                             max_steps=max_steps, eval_frequency=eval_frequency)
    (out / "config.cfg").write_text(config, encoding="utf-8", newline="\n")
    report.files.append(str(out / "config.cfg"))
    report.notes.append(f"split by article (seed {seed}): {len(train_ids)} train, {len(dev_ids)} dev")
    if not has_entities and not sizes:
        report.notes.append("the training part has no spans: config.cfg has no component to train")
    if split >= 1:
        report.notes.append("--split 1: no dev.spacy; give spaCy a dev set with --paths.dev")
    return {"train": n_train, "dev": n_dev, "ner": has_entities, "spancat": sizes}
