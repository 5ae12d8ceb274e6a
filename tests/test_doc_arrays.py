"""doc_arrays gives what Doc.to_array and Doc.ents give, however the entities were changed in between."""
from __future__ import annotations

import numpy
import pytest
import spacy
from hypothesis import given, settings
from hypothesis import strategies as st
from spacy.attrs import ENT_IOB, ENT_KB_ID, ENT_TYPE, IS_TITLE, LOWER, ORTH
from spacy.tokens import Span
from spacy.util import filter_spans as spacy_filter_spans

from annotations.doc_arrays import column, entities, filter_spans, set_entities

TEXT = "Presiden Rusia Vladimir Putin tiba di Moskow pada Senin, kata Kremlin."


def spans(doc) -> list[tuple[int, int, str]]:
    return [(e.start, e.end, e.label_) for e in entities(doc)]


def test_entities_follow_every_change_whoever_makes_it():
    doc = spacy.blank("id")(TEXT)
    assert entities(doc) == [] and spans(doc) == []
    set_entities(doc, [Span(doc, 6, 7, label="GPE"), Span(doc, 1, 2, label="GPE")])  # in any order
    assert spans(doc) == [(1, 2, "GPE"), (6, 7, "GPE")] == [(e.start, e.end, e.label_) for e in doc.ents]
    doc.ents = [Span(doc, 1, 2, label="NORP"), Span(doc, 6, 7, label="GPE")]  # a label changed elsewhere
    assert spans(doc) == [(1, 2, "NORP"), (6, 7, "GPE")]
    doc.set_ents([Span(doc, 2, 3, label="PER"), Span(doc, 3, 4, label="PER")], default="unmodified")
    assert spans(doc) == [(1, 2, "NORP"), (2, 3, "PER"), (3, 4, "PER"), (6, 7, "GPE")]  # two spans, then one:
    doc.set_ents([Span(doc, 2, 4, label="PER")], default="unmodified")
    assert spans(doc) == [(1, 2, "NORP"), (2, 4, "PER"), (6, 7, "GPE")]
    kept = entities(doc)
    kept.pop()  # a copy: what the next reader gets stays whole
    assert len(entities(doc)) == 3


def test_word_columns_are_the_docs_read_once_and_read_only():
    nlp = spacy.blank("id")
    doc = nlp(TEXT)
    for attr in (ORTH, LOWER, IS_TITLE):
        assert numpy.array_equal(column(doc, attr), doc.to_array(attr))
    assert column(doc, ORTH) is column(doc, ORTH)
    with pytest.raises(ValueError):
        column(doc, ORTH)[0] = 0
    with pytest.raises(ValueError):
        column(doc, ENT_IOB)  # not a word's own: it changes
    with doc.retokenize() as retokenizer:
        retokenizer.merge(doc[2:4])
    assert numpy.array_equal(column(doc, ORTH), doc.to_array(ORTH))
    assert column(nlp(TEXT), ORTH) is not column(doc, ORTH)


def test_writing_again_what_was_written_leaves_the_doc_as_set_ents_would():
    """set_entities writes nothing where set_ents would write what is there; wherever the Doc changed
    since, or was never written by it, it writes."""
    doc = spacy.blank("id")(TEXT)
    entities(doc)  # read, not written: its tokens are not marked yet
    set_entities(doc, [])
    assert {t.ent_iob_ for t in doc} == {"O"}
    these = [Span(doc, 1, 2, label="GPE"), Span(doc, 6, 7, label="GPE")]
    set_entities(doc, these)
    doc.set_ents([Span(doc, 1, 2, label="NORP")], default="unmodified")  # changed elsewhere
    set_entities(doc, these)
    assert spans(doc) == [(1, 2, "GPE"), (6, 7, "GPE")] == [(e.start, e.end, e.label_) for e in doc.ents]
    set_entities(doc, [Span(doc, 1, 2, label="GPE", kb_id="Q7"), these[1]])  # the same span with a kb id
    assert doc[1].ent_kb_id_ == "Q7"
    set_entities(doc, these)
    assert doc[1].ent_kb_id_ == ""
    before = doc.to_array([ENT_IOB, ENT_TYPE, ENT_KB_ID])
    set_entities(doc, reversed(these))  # the same again, in another order
    assert numpy.array_equal(doc.to_array([ENT_IOB, ENT_TYPE, ENT_KB_ID]), before)
    assert spans(doc) == [(1, 2, "GPE"), (6, 7, "GPE")]


DOC = spacy.blank("id")(TEXT)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 11), st.integers(1, 4), st.sampled_from(["GPE", "PER"])), max_size=12))
def test_filter_spans_keeps_what_spacys_keeps_in_its_order(bounds):
    doc = DOC
    these = [Span(doc, start, min(start + width, len(doc)), label=label) for start, width, label in bounds]
    assert [id(span) for span in filter_spans(these)] == [id(span) for span in spacy_filter_spans(these)]
