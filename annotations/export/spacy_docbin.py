"""spaCy DocBin: ``train.spacy`` and ``dev.spacy`` (split by article, seeded) and a ``config.cfg``.

Each Doc is built on the store's own tokens (the words of ``pretag.make_doc``,
which the ``tandai.Tokenizer.v1`` tokenizer of a trained model makes too), so
every span is a ``char_span`` and training never misaligns. A Doc holds:

- ``doc.ents``: the entity layer without overlaps (the longest span wins;
  each one left out is reported), ``kb_id`` = actor id;
- span groups ``entity``, ``event``, ``claim`` (every span, overlaps kept,
  ``kb_id`` = actor id);
- ``doc.user_data``: ``doc_id``, ``annotator``, ``title``, ``links`` (a list of
  ``{"head": [start, end], "head_label", "tail": [start, end], "tail_label",
  "role"}`` in character offsets) and ``attrs`` (``{"start", "end", "label",
  "attrs"}`` for spans that have attributes).

This is the only exporter that imports spaCy. Docs go into the DocBin through
``add_to_docbin`` (``DocBin.add`` without its per-token Python loop; same
bytes) while srsly's msgpack encoders are looked up once, not per Doc: the
two costs that made spaCy's own serialisation slower than all of tandai's work.
"""
from __future__ import annotations

import contextlib
import random
from collections.abc import Callable, Iterable, Iterator

import numpy
import srsly
from spacy.attrs import SPACY
from spacy.tokens import Doc, DocBin
from spacy.vocab import Vocab

from ..errors import TandaiError
from ..pretag import make_doc
from ..tokens import spacy_layout
from .common import StagedDir, longest_first
from .report import Report
from .select import Record, Selection
from .spacy_config import MAX_SUGGEST, SPANCAT_LAYERS, training_config

DOCBIN_ATTRS = ["ORTH", "ENT_IOB", "ENT_TYPE", "ENT_KB_ID"]
OVERLAP = "overlapping entity: not in doc.ents (kept in span group 'entity')"


@contextlib.contextmanager
def encoders_looked_up_once() -> Iterator[None]:
    """Let srsly look its msgpack encoders up once for the whole export.

    srsly finds them through the installed packages' entry points each time it
    makes a msgpack Packer, and ``DocBin.add`` makes several per Doc (user
    data, each span group): that search costs more than building the Doc. The
    encoders cannot change during an export, so the first answer is reused
    (the registry's own lookup is back as soon as the export ends).
    """
    try:
        from srsly.msgpack import msgpack_encoders
    except ImportError:  # pragma: no cover - srsly always comes with spaCy
        yield
        return
    found = msgpack_encoders.get_all()
    msgpack_encoders.get_all = lambda: found  # type: ignore[method-assign]
    try:
        yield
    finally:
        del msgpack_encoders.get_all


def doc_words(text: str, tokens) -> tuple[list[str], list[bool]]:
    """The words and spaces of ``pretag.make_doc(text, tokens)``."""
    starts, ends, spaces = spacy_layout(text, tokens)
    return [text[s:e] for s, e in zip(starts, ends)], spaces


def add_to_docbin(docbin: DocBin, doc: Doc, strings: Iterable[str]) -> None:
    """``docbin.add(doc)`` for the Docs this module builds, without walking the tokens in Python.

    ``DocBin.add`` collects nine strings per token through Python attribute
    access, which is most of an export's time. Here the tokens carry only
    text, entity type and entity kb id (no tags, lemmas, norms in a bare
    Vocab, morphs or dependencies), so those strings are exactly the words,
    the labels and kb ids of ``doc.ents`` and ``""``, which the caller passes
    as ``strings``. Everything else is done as ``DocBin.add`` does it, and a
    test checks the bytes are the same as with ``DocBin.add``.
    """
    array = doc.to_array(docbin.attrs)
    if len(array.shape) == 1:
        array = array.reshape((array.shape[0], 1))
    docbin.tokens.append(array)
    spaces = doc.to_array(SPACY)
    docbin.spaces.append(numpy.asarray(spaces.reshape((spaces.shape[0], 1)), dtype=bool))
    docbin.flags.append({"has_unknown_spaces": doc.has_unknown_spaces})
    docbin.strings.update(strings)
    docbin.strings.add("")
    docbin.cats.append(doc.cats)
    if docbin.store_user_data:
        docbin.user_data.append(srsly.msgpack_dumps(doc.user_data))
    docbin.span_groups.append(doc.spans.to_bytes())
    for group in doc.spans.values():
        for span in group:
            docbin.strings.add(span.label_)
            if span.kb_id in doc.vocab.strings:
                docbin.strings.add(span.kb_id_)
            if span.id in doc.vocab.strings:
                docbin.strings.add(span.id_)


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
    return doc, annotate_doc(doc, record, layers, report)[0]


def annotate_doc(doc: Doc, record: Record, layers: tuple[str, ...], report: Report) -> tuple[dict[str, int], list]:
    """Span groups, ents and user data on a Doc of the record's text.

    Returns the longest span (in tokens) per layer and the entities set as ``doc.ents``.
    """
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
    ents: list = []
    if "entity" in layers:
        kept, dropped = longest_first(s for s in record.spans if s.layer == "entity" and s.id in made)
        ents = [made[s.id] for s in kept]
        doc.ents = ents
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
    return longest, ents


def new_docbin() -> DocBin:
    return DocBin(attrs=DOCBIN_ATTRS, store_user_data=True)


def write_chunk(records: Iterable[Record], report: Report, *, layers: tuple[str, ...],
                train_ids: set[str]) -> tuple[dict, dict, dict]:
    """(train DocBin fields, dev DocBin fields, stats) of some records (a worker's part of an export).

    The DocBins travel back as their fields (arrays and lists), not as
    ``to_bytes`` (which is also how spaCy pickles a DocBin): that would compress
    them here and make the parent decompress them again before merging and
    compressing the whole once more.
    """
    train, dev = new_docbin(), new_docbin()
    with encoders_looked_up_once():
        stats = _fill(records, train, dev, train_ids, Vocab(), layers, report)
    return vars(train), vars(dev), stats


def _docbin_from_fields(fields: dict) -> DocBin:
    docbin = new_docbin()
    docbin.__dict__.update(fields)
    return docbin


def export(records: Iterable[Record], stage: StagedDir, report: Report, selection: Selection, *,
           split: float = 0.8, seed: int = 0, max_steps: int = 20000, eval_frequency: int = 200,
           chunks: Callable[..., Iterable[tuple[dict, dict, dict]]] | None = None) -> dict:
    """Write train.spacy, dev.spacy (unless ``split`` is 1) and config.cfg into ``stage``; returns the layout.

    ``chunks``, if given, runs ``write_chunk`` in worker processes (see ``parallel.run_chunks``);
    otherwise ``records`` are written here.
    """
    train_ids, dev_ids = split_ids(selection.doc_ids, split, seed)
    train, dev = new_docbin(), new_docbin()
    with encoders_looked_up_once():
        if chunks is None:
            stats = _fill(records, train, dev, train_ids, Vocab(), selection.layers, report)
        else:
            stats = {"train": 0, "dev": 0, "longest": {}, "ents": False, "train_layers": set()}
            for train_part, dev_part, part in chunks(write_chunk, layers=selection.layers, train_ids=train_ids):
                train.merge(_docbin_from_fields(train_part))
                dev.merge(_docbin_from_fields(dev_part))
                stats["train"] += part["train"]
                stats["dev"] += part["dev"]
                for layer, n in part["longest"].items():
                    stats["longest"][layer] = max(stats["longest"].get(layer, 0), n)
                stats["ents"] = stats["ents"] or part["ents"]
                stats["train_layers"] |= part["train_layers"]
        train.to_disk(stage.path / "train.spacy")
        if split < 1:
            dev.to_disk(stage.path / "dev.spacy")
    report.files.append(str(stage.target / "train.spacy"))
    if split < 1:
        report.files.append(str(stage.target / "dev.spacy"))
    return _write_config(stage, report, stats["train"], stats["dev"], stats["longest"], stats["ents"],
                         stats["train_layers"], train_ids, dev_ids, split=split, seed=seed, max_steps=max_steps,
                         eval_frequency=eval_frequency)


def _fill(records: Iterable[Record], train: DocBin, dev: DocBin, train_ids: set[str], vocab: Vocab,
          layers: tuple[str, ...], report: Report) -> dict:
    longest: dict[str, int] = {}
    has_entities = False
    train_layers: set[str] = set()
    n_train = n_dev = 0
    for record in records:
        report.count(record)
        text = record.doc.text
        words, spaces = doc_words(text, record.doc.tokens)
        doc = Doc(vocab, words=words, spaces=spaces)
        sizes, ents = annotate_doc(doc, record, layers, report)
        for layer, n in sizes.items():
            longest[layer] = max(longest.get(layer, 0), n)
        strings = words + [e.label_ for e in ents] + [e.kb_id_ for e in ents]
        if record.doc.id in train_ids:
            add_to_docbin(train, doc, strings)
            n_train += 1
            train_layers.update(sizes)
            has_entities = has_entities or bool(ents)
        else:
            add_to_docbin(dev, doc, strings)
            n_dev += 1
    return {"train": n_train, "dev": n_dev, "longest": longest, "ents": has_entities, "train_layers": train_layers}


def _write_config(stage: StagedDir, report: Report, n_train: int, n_dev: int, longest: dict[str, int], has_entities: bool,
                  train_layers: set[str], train_ids: set[str], dev_ids: set[str], *, split: float, seed: int,
                  max_steps: int, eval_frequency: int) -> dict:
    sizes = {layer: longest[layer] for layer in SPANCAT_LAYERS if layer in train_layers}
    for layer, n in sizes.items():
        if n > MAX_SUGGEST:
            report.notes.append(f"the longest {layer} span is {n} tokens; spancat_{layer} proposes spans of at most"
                                f" {MAX_SUGGEST} tokens, so longer ones cannot be learned")
    what = f"tandai export spacy: {n_train} train / {n_dev} dev article record(s), seed {seed}, split {split}"
    config = training_config(ner=has_entities, spancat_sizes=sizes, what=what, seed=seed,
                             max_steps=max_steps, eval_frequency=eval_frequency)
    (stage.path / "config.cfg").write_text(config, encoding="utf-8", newline="\n")
    report.files.append(str(stage.target / "config.cfg"))
    report.notes.append(f"split by article (seed {seed}): {len(train_ids)} train, {len(dev_ids)} dev")
    if not has_entities and not sizes:
        report.notes.append("the training part has no spans: config.cfg has no component to train")
    if split >= 1:
        report.notes.append("--split 1: no dev.spacy; give spaCy a dev set with --paths.dev")
    return {"train": n_train, "dev": n_dev, "ner": has_entities, "spancat": sizes}
