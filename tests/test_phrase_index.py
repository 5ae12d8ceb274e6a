"""phrase_index finds every occurrence spaCy's PhraseMatcher finds, overlapping ones too, on ORTH and LOWER."""
from __future__ import annotations

import pytest
import spacy
from spacy.matcher import PhraseMatcher

from annotations.gazetteer import gazetteer_files, read_gazetteer
from annotations.phrase_index import PhraseIndex, phrase_words
from bench import pretag_check

PHRASES = sorted({phrase for name in gazetteer_files() for _, phrase in read_gazetteer(name)}) + [
    "Dewan", "Dewan Keamanan", "Dewan Keamanan PBB", "Keamanan PBB", "PBB"]  # nested, overlapping
TEXTS = [text for _, text in pretag_check.texts(["seeds", "dev"])] + [
    "Dewan Keamanan PBB bersidang.", "... di depan Dewan Keamanan", "DEWAN KEAMANAN PBB", "Dewan"]


@pytest.mark.parametrize("attr", ["ORTH", "LOWER"])
def test_it_finds_what_the_phrase_matcher_finds(attr):
    nlp = spacy.blank("id", config={"nlp": {"tokenizer": {"@tokenizers": "tandai.Tokenizer.v1"}}})
    matcher, index = PhraseMatcher(nlp.vocab, attr=attr), PhraseIndex(attr)
    for phrase in PHRASES:
        matcher.add(phrase, [nlp.make_doc(phrase)])
        index.add(nlp.vocab.strings[phrase], phrase_words(phrase))
    found = 0
    for text in TEXTS:
        doc = nlp.make_doc(text)
        want = sorted(matcher(doc), key=lambda m: (m[1], m[2], m[0]))
        assert sorted(index(doc), key=lambda m: (m[1], m[2], m[0])) == want
        found += len(want)
    assert found > 1000


def test_a_removed_key_is_found_no_more_and_its_words_still_are_under_another():
    nlp = spacy.blank("id", config={"nlp": {"tokenizer": {"@tokenizers": "tandai.Tokenizer.v1"}}})
    index = PhraseIndex()
    index.add("body", phrase_words("Dewan Keamanan"))
    index.add("council", phrase_words("Dewan Keamanan"))
    index.add("body", phrase_words("Dewan Keamanan PBB"))
    doc = nlp.make_doc("Dewan Keamanan PBB")
    assert index(doc) == [("body", 0, 2), ("council", 0, 2), ("body", 0, 3)]
    index.remove("body")
    assert index(doc) == [("council", 0, 2)]
    with pytest.raises(ValueError):
        PhraseIndex("SHAPE")
