"""The pre-tagger's entity ruler finds exactly what spaCy's EntityRuler finds with the same patterns."""
from __future__ import annotations

from functools import cache

import pytest
import spacy
from spacy.matcher import Matcher
from hypothesis import given, settings
from hypothesis import strategies as st

from annotations.entity_rules import date_and_quantity_patterns, gazetteer_files, gazetteer_patterns
from annotations.pretag import build_pipeline
from annotations.windowed_ruler import WindowedEntityRuler
from bench import pretag_check

TEXTS = [text for _, text in pretag_check.texts(["seeds", "dev"])]
TANDAI_TOKENIZER = {"nlp": {"tokenizer": {"@tokenizers": "tandai.Tokenizer.v1"}}}


def rulers(patterns: list[dict]) -> tuple[spacy.Language, spacy.Language]:
    """(spaCy's EntityRuler, the windowed one), each alone in a pipeline with the project's tokenizer."""
    plain = spacy.blank("id", config=TANDAI_TOKENIZER)
    plain.add_pipe("entity_ruler", config={"phrase_matcher_attr": "ORTH"}).add_patterns(patterns)
    windowed = spacy.blank("id", config=TANDAI_TOKENIZER)
    windowed.add_pipe("tandai_entity_ruler", name="entity_ruler").add_patterns(patterns)
    return plain, windowed


def ents(nlp: spacy.Language, text: str) -> list[tuple[int, int, str]]:
    return [(e.start_char, e.end_char, e.label_) for e in nlp(text).ents]


def test_the_default_patterns_find_the_same_entities_on_seeds_and_dev_pages():
    patterns = date_and_quantity_patterns() + gazetteer_patterns(gazetteer_files())
    plain, windowed = rulers(patterns)
    found = 0
    for text in TEXTS:
        want = ents(plain, text)
        assert ents(windowed, text) == want
        found += len(want)
    assert found > 1000
    ruler = windowed.get_pipe("entity_ruler")
    assert ruler._walks is not None and len(ruler._walks) > 10  # the default patterns are walked, none by the Matcher


PATTERNS = [
    {"label": "QUANTITY", "pattern": [{"TEXT": {"REGEX": r"^\d+$"}}, {"LOWER": {"IN": ["orang", "tentara"]}}]},
    {"label": "DATE", "pattern": [{"LOWER": "pukul"}, {"TEXT": {"REGEX": r"^\d\d[.:]\d\d$"}},
                                  {"ORTH": {"IN": ["WIB", "WITA"]}, "OP": "?"}]},
    {"label": "DATE", "pattern": [{"ORTH": {"IN": ["Senin", "Selasa"]}}, {"LOWER": {"NOT_IN": ["depan"]}, "OP": "?"},
                                  {"LOWER": "malam"}]},
    {"label": "ORG", "pattern": "Palang Merah", "id": "icrc"},
    {"label": "GPE", "pattern": "Armenia"},
]
TEXT = ("Pada Senin malam pukul 21.30 WIB, 16 tentara dan 300 Orang dari Palang Merah tiba di Armenia. "
        "Selasa depan malam 5 orang pergi; pukul 08.00 mereka kembali.")


OPTIONAL = [
    [{"label": "DATE", "pattern": [{"LOWER": "hari", "OP": "?"}, {"ORTH": "ini", "OP": "?"},
                                   {"TEXT": {"REGEX": r"^\d+$"}, "OP": "?"}]}],  # nothing but optional tokens
    [{"label": "DATE", "pattern": [{"ORTH": "12"}, {"LOWER": {"NOT_IN": ["orang"]}, "OP": "?"},
                                   {"LOWER": {"IN": ["13", "orang"]}, "OP": "?"}, {"LOWER": "orang"}]}],
]


@pytest.mark.parametrize("extra", [
    [],
    *OPTIONAL,
    [{"label": "ORG", "pattern": [{"LOWER": "kelompok", "OP": "?"}, {"LOWER": "hamas"}]}],  # an optional start
    [{"label": "QUANTITY", "pattern": [{"IS_DIGIT": True, "OP": "+"}, {"LOWER": "orang"}]}],  # no bound
    [{"label": "DATE", "pattern": [{"LOWER": {"REGEX": f"^x{n}$"}}]} for n in range(60)],  # more tests than flags
])
def test_any_token_patterns_find_the_same_entities(extra):
    plain, windowed = rulers(PATTERNS + extra)
    text = TEXT + " Kelompok Hamas dan 12 13 orang."
    want = ents(plain, text)
    assert ("16 tentara", "QUANTITY") in [(text[s:e], label) for s, e, label in want]
    assert ents(windowed, text) == want
    assert [e.ent_id_ for e in windowed(text).ents if e.text == "Palang Merah"] == ["icrc"]


@cache
def walked() -> WindowedEntityRuler:
    return rulers(PATTERNS + [entry for extra in OPTIONAL for entry in extra])[1].get_pipe("entity_ruler")


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["Senin", "Selasa", "depan", "malam", "pukul", "21.30", "WIB", "WITA", "16", "12",
                                 "13", "tentara", "Orang", "orang", "hari", "ini", ",", "\n"]), max_size=25))
def test_walked_patterns_match_every_way_the_matcher_does(words):
    """Every (pattern, start, end) the Matcher finds, with optional tokens taken and left out alike."""
    ruler = walked()
    doc = ruler.nlp.make_doc(" ".join(words))
    assert set(ruler._token_matches(doc)) == set(walked_reference()(doc))


@cache
def walked_reference() -> Matcher:
    """spaCy's own Matcher holding the walked ruler's token patterns as written (the ruler's Matcher is
    left empty while every pattern is walked)."""
    ruler = walked()
    assert len(ruler.matcher) == 0
    matcher = Matcher(ruler.nlp.vocab)
    for label, patterns in ruler.token_patterns.items():
        matcher.add(label, patterns)
    return matcher


def test_saved_and_loaded_it_keeps_the_patterns_as_written_and_finds_the_same(tmp_path):
    nlp = build_pipeline()
    ruler = nlp.get_pipe("entity_ruler")
    assert isinstance(ruler, WindowedEntityRuler)
    assert not any(key.startswith("FLAG") for p in ruler.patterns if isinstance(p["pattern"], list)
                   for spec in p["pattern"] for key in spec)
    nlp.to_disk(tmp_path / "model")
    loaded = spacy.load(tmp_path / "model")
    assert [p for p in loaded.get_pipe("entity_ruler").patterns] == ruler.patterns
    for text in TEXTS[:8]:
        assert ents(loaded, text) == ents(nlp, text)


def test_removed_by_id_its_patterns_find_nothing_more():
    # (spaCy's own EntityRuler leaves the token pattern of an id that has a phrase pattern too)
    _, windowed = rulers(PATTERNS + [{"label": "ORG", "pattern": [{"LOWER": "icrc"}], "id": "icrc"}])
    text = "Palang Merah (ICRC) tiba di Armenia."
    assert [label for _, _, label in ents(windowed, text)] == ["ORG", "ORG", "GPE"]
    windowed.get_pipe("entity_ruler").remove("icrc")
    assert ents(windowed, text) == [(text.index("Armenia"), len(text) - 1, "GPE")]
    assert {p["label"] for p in windowed.get_pipe("entity_ruler").patterns} == {"QUANTITY", "DATE", "GPE"}
    with pytest.raises(ValueError):
        windowed.get_pipe("entity_ruler").remove("icrc")


def test_building_makes_no_lexeme_per_gazetteer_word():
    """The gazetteers' words were most of the build: a lexeme each, every attribute getter run on it."""
    words = {w for p in gazetteer_patterns(gazetteer_files()) for w in p["pattern"].split()}
    nlp = build_pipeline()
    assert len(words) > 10_000 and len(nlp.vocab) < 1_000
    assert [(e.text, e.label_) for e in nlp("STEPANAKERT - Ulaanbaatar, Republik Armenia.").ents] == [
        ("STEPANAKERT", "GPE"), ("Ulaanbaatar", "GPE"), ("Republik Armenia", "GPE")]
