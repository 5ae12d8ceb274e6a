"""A Doc's word columns and entities read once, not once per rule component.

Each rule component reads the Doc as arrays (``Doc.to_array``, a C loop
that still costs a tenth of a microsecond per token and attribute) and its
entities (``Doc.ents``: a Span per entity, three Token objects per Span):
read again by every component, those reads were about 13% of pre-tagging. A
word's attributes (ORTH, LOWER, IS_TITLE ...) never change, so each column
is read once per Doc; the entities are kept with the Doc's entity marks
(``ENT_IOB`` and ``ENT_TYPE``) and given again while those are the same,
whoever changed them (a trained ``ner`` too); ``set_entities`` keeps what it
writes, and writes nothing where it would write again what it wrote last and
the marks are still those (a rule that changed nothing: about one write in
four, each a tenth of a millisecond). (Kb and span ids are not compared: only
the ruler sets them, first.)
"""
from __future__ import annotations

from collections.abc import Iterable
from operator import attrgetter, itemgetter
from weakref import WeakKeyDictionary

import numpy
from spacy.attrs import ENT_IOB, ENT_TYPE, IS_ALPHA, IS_PUNCT, IS_SPACE, IS_TITLE, LIKE_URL, LOWER, ORTH, SHAPE
from spacy.tokens import Doc, Span

WORD_ATTRS = frozenset({ORTH, LOWER, SHAPE, IS_TITLE, IS_ALPHA, IS_PUNCT, IS_SPACE, LIKE_URL})  # a word's own
_MARKS = [ENT_IOB, ENT_TYPE]
_columns: WeakKeyDictionary[Doc, dict[int, numpy.ndarray]] = WeakKeyDictionary()
# a Doc's marks and entities as last read or written, and whether ``set_entities`` wrote them
_read: WeakKeyDictionary[Doc, tuple[numpy.ndarray, tuple[Span, ...], bool]] = WeakKeyDictionary()


def column(doc: Doc, attr: int) -> numpy.ndarray:
    """``doc.to_array(attr)`` for an attribute of ``WORD_ATTRS``, read once per Doc (read-only: shared)."""
    if attr not in WORD_ATTRS:
        raise ValueError(f"{attr} is not an attribute of a word alone")
    found = _columns.get(doc)
    if found is None or (found and len(next(iter(found.values()))) != len(doc)):  # (new, or retokenized)
        found = _columns[doc] = {}
    array = found.get(attr)
    if array is None:
        array = found[attr] = doc.to_array(attr)
        array.flags.writeable = False
    return array


def entities(doc: Doc) -> list[Span]:
    """``list(doc.ents)``: the same Spans, made again only when the Doc's entities changed since."""
    marks = doc.to_array(_MARKS)
    known = _read.get(doc)
    if known is None or not numpy.array_equal(known[0], marks):
        known = _read[doc] = marks, doc.ents, False
    return list(known[1])


def set_entities(doc: Doc, spans: Iterable[Span]) -> None:
    """``doc.set_ents(spans, default="outside")``, keeping ``spans`` as what ``entities`` gives next
    (``Doc.ents`` gives them in the Doc's order, without those that have no label)."""
    spans = list(spans)
    kept = tuple(sorted((span for span in spans if span.label), key=_START))
    known = _read.get(doc)
    if known is not None and known[2] and _same_spans(known[1], kept) and numpy.array_equal(
            known[0], doc.to_array(_MARKS)):
        return  # set_ents wrote these, and would write the same again
    doc.set_ents(spans, default="outside")
    _read[doc] = doc.to_array(_MARKS), kept, True


def _same_spans(these: tuple[Span, ...], those: tuple[Span, ...]) -> bool:
    """Whether both are the same entities, as ``set_ents`` writes them (ids too)."""
    return len(these) == len(those) and all(
        a.start == b.start and a.end == b.end and a.label == b.label and a.kb_id == b.kb_id and a.id == b.id
        for a, b in zip(these, those))


def filter_spans(spans: Iterable[Span]) -> list[Span]:
    """``spacy.util.filter_spans``: of overlapping spans the longest (the first of as long ones), in the
    Doc's order; each span's bounds read once (spaCy's reads them up to seven times, and the rules filter
    every entity of an article several times)."""
    found = [(span.start, span.end, span) for span in spans]
    found.sort(key=_LONGEST, reverse=True)  # (stable, as spaCy's sorted)
    seen: set[int] = set()
    kept = []
    for start, end, span in found:
        if start not in seen and end - 1 not in seen:
            kept.append((start, span))
            seen.update(range(start, end))
    kept.sort(key=itemgetter(0))
    return [span for _, span in kept]


def _LONGEST(found: tuple[int, int, Span]) -> tuple[int, int]:
    return found[1] - found[0], -found[0]


_START = attrgetter("start")
