"""Several models suggesting the same span and label: one suggestion, answered once for all of them.

Store level here (what ``suggestions`` hands out, verdicts on every model's row,
undo, the article list's count, exports, merge); the annotator in Pilot and the
installed ``tandai`` in tmux are in ``test_merged_suggestions_tui.py``.
"""
from __future__ import annotations

import json

from annotations.export import export
from annotations.merge import merge
from annotations.store import Store

from conftest import copy_database
from test_store import find

RULES, OTHER, THIRD = "tandai-rules", "id_other-1", "id_third-2"


def tag_twice(store: Store, doc: str) -> None:
    """Both models find Armenia (GPE) and Azerbaijan (GPE); only OTHER finds Putin, and calls Azerbaijan a LOC too."""
    armenia, azerbaijan, putin = (find(store, doc, w) for w in ("Armenia", "Azerbaijan", "Vladimir Putin"))
    store.replace_suggestions(RULES, {doc: [("entity", "GPE", *armenia, None), ("entity", "GPE", *azerbaijan, None)]})
    store.replace_suggestions(OTHER, {doc: [("entity", "GPE", *armenia, 0.8), ("entity", "GPE", *azerbaijan, 0.6),
                                            ("entity", "LOC", *azerbaijan, 0.4), ("entity", "PER", *putin, 0.9)]})


def verdicts(store: Store) -> list[tuple]:
    return store.conn.execute(
        "SELECT g.model, g.label, substr(d.text, g.start + 1, g.end - g.start), v.verdict, v.span_id"
        " FROM verdicts v JOIN suggestions g ON g.id = v.suggestion_id JOIN documents d ON d.id = g.doc_id"
        " ORDER BY g.start, g.label, g.model").fetchall()


def test_one_suggestion_per_span_and_label_naming_every_model(store, seed_ids):
    doc = seed_ids["000"]
    tag_twice(store, doc)
    assert store.conn.execute("SELECT count(*) FROM suggestions").fetchone()[0] == 6
    found = store.suggestions(doc, "alice")
    text = store.get_document(doc).text
    assert [(text[g.start:g.end], g.label, g.models) for g in found] == [
        ("Armenia", "GPE", (RULES, OTHER)),
        ("Azerbaijan", "GPE", (RULES, OTHER)),
        ("Azerbaijan", "LOC", (OTHER,)),  # another label on the same span is another suggestion
        ("Vladimir Putin", "PER", (OTHER,)),
    ]
    armenia = found[0]
    assert armenia.model == RULES and armenia.score == 0.8 and len(armenia.ids) == 2 and armenia.id == armenia.ids[0]
    (row,) = store.list_documents("alice", limit=1)
    assert row.id == doc and row.open_suggestions == 4


def test_accepting_answers_every_models_row_with_one_span_and_undo_takes_all_back(store, seed_ids):
    doc = seed_ids["000"]
    tag_twice(store, doc)
    armenia = store.suggestions(doc, "alice")[0]
    (span,) = store.accept_suggestions([armenia.ids[1]], "alice")  # either row's id answers the suggestion
    assert span.text == "Armenia" and span.origin == {"suggestion": armenia.id, "model": RULES, "models": [RULES, OTHER]}
    assert verdicts(store) == [(OTHER, "GPE", "Armenia", "accepted", span.id), (RULES, "GPE", "Armenia", "accepted", span.id)]
    assert [len(g.ids) for g in store.suggestions(doc, "alice", open_only=True)] == [2, 1, 1]
    assert store.list_documents("alice", limit=1)[0].open_suggestions == 3
    assert store.undo("alice", doc) == "accept"
    assert verdicts(store) == [] and store.spans(doc) == []
    assert store.redo("alice", doc) == "accept"
    assert [v[3] for v in verdicts(store)] == ["accepted", "accepted"] and len(store.spans(doc)) == 1
    # deleting the span rejects it for both models
    store.delete_span(store.spans(doc)[0].id, "alice")
    assert [v[3:] for v in verdicts(store)] == [("rejected", None), ("rejected", None)]


def test_accept_all_makes_one_span_per_suggestion_and_reject_answers_both(store, seed_ids):
    doc = seed_ids["000"]
    tag_twice(store, doc)
    azerbaijan_gpe = store.suggestions(doc, "alice")[1]
    store.reject_suggestion(azerbaijan_gpe.id, "alice")
    assert [v[:4] for v in verdicts(store)] == [(OTHER, "GPE", "Azerbaijan", "rejected"),
                                                (RULES, "GPE", "Azerbaijan", "rejected")]
    open_ids = [g.id for g in store.suggestions(doc, "alice", open_only=True)]
    every_row = [i for g in store.suggestions(doc, "alice", open_only=True) for i in g.ids]
    spans = store.accept_suggestions(open_ids + every_row, "alice")  # asking twice for one still makes one span
    assert sorted((s.text, s.label) for s in spans) == [("Armenia", "GPE"), ("Azerbaijan", "LOC"),
                                                         ("Vladimir Putin", "PER")]
    assert len(store.spans(doc, "alice")) == 3
    assert store.conn.execute("SELECT count(*) FROM verdicts WHERE verdict = 'accepted'").fetchone()[0] == 4
    assert store.suggestions(doc, "alice", open_only=True) == []
    assert store.list_documents("alice", limit=1)[0].open_suggestions == 0
    assert store.undo("alice", doc) == "accept_all"
    assert [v[3] for v in verdicts(store)] == ["rejected", "rejected"] and store.spans(doc) == []
    assert store.undo("alice", doc) == "reject"
    assert verdicts(store) == []


def test_a_model_that_proposes_an_answered_span_later_does_not_open_it_again(store, seed_ids):
    doc = seed_ids["000"]
    tag_twice(store, doc)
    armenia = store.suggestions(doc, "alice")[0]
    (span,) = store.accept_suggestions([armenia.id], "alice")
    store.replace_suggestions(THIRD, {doc: [("entity", "GPE", armenia.start, armenia.end, None)]})
    merged = store.suggestions(doc, "alice")[0]
    assert merged.models == (RULES, OTHER, THIRD) and merged.verdict == "accepted"
    assert armenia.start not in [g.start for g in store.suggestions(doc, "alice", open_only=True)]
    assert store.list_documents("alice", limit=1)[0].open_suggestions == 3
    assert len(store.suggestions(doc, "bob", open_only=True)) == 4  # bob answered nothing


def test_exports_hold_a_merged_suggestion_once(store, seed_ids, tmp_path):
    doc = seed_ids["000"]
    tag_twice(store, doc)
    store.accept_suggestions([g.id for g in store.suggestions(doc, "alice")], "alice")
    out = tmp_path / "tasks.jsonl"
    export(store, "prodigy", out, annotator="alice", status="any")
    (task,) = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
    assert sorted((task["text"][s["start"]:s["end"]], s["label"]) for s in task["spans"]) == [
        ("Armenia", "GPE"), ("Azerbaijan", "GPE"), ("Azerbaijan", "LOC"), ("Vladimir Putin", "PER")]


def test_merging_a_database_brings_one_span_for_a_merged_suggestion(seeded_path, tmp_path):
    with Store(seeded_path) as ours:
        doc = ours.document_ids()[0]
        tag_twice(ours, doc)
    theirs = copy_database(seeded_path, tmp_path / "theirs.db")
    with Store(theirs) as other:
        found = other.suggestions(doc, "bob")
        other.accept_suggestions([found[0].id], "bob")
        other.reject_suggestion(found[1].id, "bob")
    with Store(seeded_path) as ours:
        merge(ours, theirs, by="alice")
        assert [(s.text, s.label) for s in ours.spans(doc, "bob")] == [("Armenia", "GPE")]
        assert sorted(g.verdict or "" for g in ours.suggestions(doc, "bob")) == ["", "", "accepted", "rejected"]
        assert ours.conn.execute("SELECT count(*) FROM verdicts WHERE annotator = 'bob'").fetchone()[0] == 4


def test_the_article_lists_count_reads_suggestions_from_their_index_alone(store, seed_ids):
    from test_start_up_queries import plan

    tag_twice(store, seed_ids["000"])
    asked: list[str] = []
    store.conn.set_trace_callback(asked.append)
    store.list_documents("alice")
    store.conn.set_trace_callback(None)
    (sql,) = [s for s in asked if "FROM suggestions" in s]
    reads = [line for line in plan(store, sql) if " g " in f" {line} "]
    assert len(reads) == 2 and all("COVERING INDEX suggestions_span" in line for line in reads), reads
