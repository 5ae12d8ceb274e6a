"""A trained model that adds to the rules: the rules' components first, the trained ``ner`` after them.

A tiny NER trained here on invented sentences shows the composition keeping
every rule match and adding the model's entities in the gaps; the span-group
guard is checked on its own; and ``tandai train`` (a few steps, CPU) writes the
composed pipeline, which ``tag_documents`` uses, its suggestions merging with
the rules' where they agree.
"""
from __future__ import annotations

import random

import numpy
import pytest
import spacy
from spacy.language import Language
from spacy.tokens import Span, SpanGroup
from spacy.training import Example

from annotations.pretag import DEFAULT_MODEL, build_pipeline, compose_with_rules, doc_suggestions, load_model
from annotations.rule_spans import ASIDE
from annotations.store import Store
from annotations.tokens import tokenize

from test_export_helpers import ANNOTATOR, build

NAME = "Zorblat Quenn"  # an invented person no gazetteer or title rule knows
TRAINING = [
    f"Kemarin {NAME} berbicara kepada wartawan.",
    f"{NAME} menolak memberi keterangan lebih lanjut.",
    f"Menurut {NAME}, situasi di perbatasan tenang.",
    f"Wartawan bertanya kepada {NAME} soal bantuan.",
    f"Pernyataan {NAME} dikutip banyak media.",
    "Kemarin hujan turun di kota itu.",
]
TEXT = f"Kemarin {NAME} bertemu Presiden Armenia Nikol Pashinyan di Yerevan pada Senin (26/10/2020)."


def tandai_blank() -> Language:
    return spacy.blank("id", config={"nlp": {"tokenizer": {"@tokenizers": "tandai.Tokenizer.v1"}}})


@pytest.fixture(scope="module")
def tiny_ner() -> Language:
    """An NER that learned one invented name as PER, and nothing else."""
    nlp = tandai_blank()
    nlp.add_pipe("ner")
    examples = []
    for text in TRAINING:
        start = text.find(NAME)
        ents = [(start, start + len(NAME), "PER")] if start >= 0 else []
        examples.append(Example.from_dict(nlp.make_doc(text), {"entities": ents}))
    optimizer = nlp.initialize(lambda: examples)
    rng = random.Random(0)
    for _ in range(40):
        rng.shuffle(examples)
        nlp.update(examples, sgd=optimizer, drop=0.1)
    return nlp


def ents(doc) -> set[tuple[str, str]]:
    return {(e.text, e.label_) for e in doc.ents}


def test_the_trained_ner_fills_gaps_around_rule_matches_and_never_replaces_them(tiny_ner, tmp_path):
    rules = ents(build_pipeline()(TEXT))
    assert {("Armenia", "GPE"), ("Nikol Pashinyan", "PER"), ("Yerevan", "GPE")} <= rules
    assert (NAME, "PER") not in rules and (NAME, "PER") in ents(tiny_ner(TEXT))
    composed = compose_with_rules(tiny_ner)
    assert composed.pipe_names == [*build_pipeline().pipe_names, "ner"]
    assert composed.pipe_names.index("entity_ruler") < composed.pipe_names.index("ner")
    found = ents(composed(TEXT))
    assert rules <= found and (NAME, "PER") in found
    # on disk and back, as `tandai tag --model` loads it
    composed.meta.update(name="tandai_test", version="1")
    composed.to_disk(tmp_path / "model")
    name, loaded = load_model(str(tmp_path / "model"))
    assert name == "id_tandai_test-1" and ents(loaded(TEXT)) == found


def test_a_text_without_rule_matches_gets_the_model_alone(tiny_ner):
    text = f"Pernyataan {NAME} dikutip wartawan."
    assert ents(build_pipeline()(text)) == set()
    assert ents(compose_with_rules(tiny_ner)(text)) == {(NAME, "PER")}


@Language.component("test_rule_events")
def _rule_events(doc):
    doc.spans["event"] = [Span(doc, 1, 2, label="ATTACK")]  # a rule's trigger: "menyerang"
    return doc


@Language.component("test_model_events")
def _model_events(doc):
    """Writes its group whole, with scores, as a trained spancat does: "Pasukan" ATTACK, "menyerang desa"
    ATTACK (over the rule's trigger), "tewas" CASUALTIES."""
    group = SpanGroup(doc, name="event", spans=[Span(doc, 0, 1, label="ATTACK"), Span(doc, 1, 3, label="ATTACK"),
                                                Span(doc, 4, 5, label="CASUALTIES")])
    group.attrs["scores"] = numpy.array([0.9, 0.8, 0.7], dtype="float32")
    doc.spans["event"] = group
    return doc


def test_rule_span_groups_stay_and_a_span_categoriser_fills_the_gaps_around_them():
    nlp = tandai_blank()
    nlp.add_pipe("test_rule_events")
    nlp.add_pipe("tandai_rule_spans_aside", config={"keys": ["event"]})
    nlp.add_pipe("test_model_events")
    nlp.add_pipe("tandai_rule_spans_back", config={"keys": ["event"]})
    text = "Pasukan menyerang desa; tewas lima."
    doc = nlp(text)
    assert [(s.text, s.label_) for s in doc.spans["event"]] == [
        ("Pasukan", "ATTACK"), ("tewas", "CASUALTIES"), ("menyerang", "ATTACK")]
    assert not any(key.startswith(ASIDE) for key in doc.spans)
    rows = doc_suggestions(doc, tokenize(text), {"ATTACK": "event", "CASUALTIES": "event"})
    assert [(text[s:e], label, score) for _, label, s, e, score in rows] == [
        ("Pasukan", "ATTACK", pytest.approx(0.9)), ("menyerang", "ATTACK", None),
        ("tewas", "CASUALTIES", pytest.approx(0.7))]
    # the model's "menyerang desa" overlapped the rule's trigger: dropped, as the ner never overrides a rule's
    # entity; without the guard the model's group replaces the rule's trigger
    nlp.remove_pipe("tandai_rule_spans_aside")
    nlp.remove_pipe("tandai_rule_spans_back")
    unguarded = nlp(text)
    assert "menyerang" not in [s.text for s in unguarded.spans["event"]]


@pytest.mark.slow
def test_tandai_train_writes_the_rules_then_the_model_and_tagging_keeps_every_rule_suggestion(tmp_path):
    from annotations.export.train import train
    from annotations.pretag import tag_documents

    store = build(tmp_path / "t.db")
    try:
        result = train(store, tmp_path / "model", annotator=ANNOTATOR, max_steps=8, eval_frequency=4)
        rules = build_pipeline().pipe_names
        kept = [name for name, layer in (("ner", "entity"), ("spancat_event", "event"), ("spancat_claim", "claim"))
                if layer not in result["left_out"]]  # a few steps' model may well make the rules worse
        spancats = [name for name in kept if name.startswith("spancat")]
        assert result["pipeline"] == [*rules, *(["tandai_rule_spans_aside"] if spancats else []),
                                      *(["tok2vec"] if kept else []), *kept,
                                      *(["tandai_rule_spans_back"] if spancats else [])]
        name, composed = load_model(str(tmp_path / "model"))
        assert composed.pipe_names == result["pipeline"] and name == result["name"]
        assert "the rules, then a model" in composed.meta["description"]
        assert spacy.load(result["plain"]).pipe_names == ["tok2vec", "ner", "spancat_event", "spancat_claim"]

        tag_documents(store, None)
        tag_documents(store, str(tmp_path / "model"))
        for doc_id in store.document_ids():
            for sug in store.suggestions(doc_id):
                if DEFAULT_MODEL in sug.models:  # the composed model kept every rule entity and trigger
                    assert sug.models == (DEFAULT_MODEL, name), sug
    finally:
        store.close()


def test_a_layer_the_model_makes_worse_on_held_out_gold_is_left_out(tiny_ner, tmp_path):
    from spacy.tokens import DocBin

    from annotations.export.train import install_with_rules

    tiny_ner.to_disk(tmp_path / "trained")
    labels = {"PER": "entity", "GPE": "entity", "DATE": "entity"}

    def held_out(name_is_a_person: bool):
        doc = tandai_blank()(TEXT)
        gold = [(e.start_char, e.end_char, e.label_) for e in build_pipeline()(TEXT).ents]
        if name_is_a_person:
            gold.append((TEXT.index(NAME), TEXT.index(NAME) + len(NAME), "PER"))
        doc.spans["entity"] = [doc.char_span(s, e, label=label) for s, e, label in gold]
        path = tmp_path / f"dev-{name_is_a_person}.spacy"
        DocBin(docs=[doc]).to_disk(path)
        return path

    helps = install_with_rules(tmp_path / "trained", tmp_path / "helps", name="t", description="",
                               dev=held_out(True), labels=labels)
    assert helps["pipeline"][-1] == "ner" and helps["tandai_left_out"] == {}
    hurts = install_with_rules(tmp_path / "trained", tmp_path / "hurts", name="t", description="",
                               dev=held_out(False), labels=labels)
    assert hurts["pipeline"] == build_pipeline().pipe_names
    (figures,) = hurts["tandai_left_out"].values()
    assert list(hurts["tandai_left_out"]) == ["entity"] and figures["rules"] == 1.0 > figures["rules+model"]
