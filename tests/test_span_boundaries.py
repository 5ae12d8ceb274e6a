"""Spans always sit on the article's stored token boundaries.

``add_span`` and ``update_span`` refuse offsets inside a token with one line;
``merge`` snaps another database's spans onto this one's tokens and says so.
Hypothesis writes articles with emoji (ZWJ sequences, flags, skin tones),
combining marks, CRLF line ends and zero-width characters, and tries every
kind of offset against them.
"""
from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotations.corpus import Article, import_articles
from annotations.errors import TandaiError
from annotations.merge import merge
from annotations.store import Store
from conftest import copy_database

PIECES = ["Armenia", "Azerbaijan", "café", "cafe\u0301", "e\u0301\u0301", "👩\u200d👩\u200d👧", "🇦🇲", "👍🏽",
          "\u200b", "\u200c", "\ufeff", "\u2060", "\r\n", "\n", " ", "  ", "5.000", "26/10/2020", "Nagorno-Karabakh",
          "O'Brien", ".", ",", "(", ")", "ي\u064e", "ꦲ\ua9c0ꦏ", "x"]
texts = st.lists(st.sampled_from(PIECES), min_size=1, max_size=30).map("".join).filter(lambda t: t.strip())


@pytest.fixture(scope="module")
def hostile_store(tmp_path_factory):
    """One store reused by every example (each example adds its own article)."""
    with Store(tmp_path_factory.mktemp("boundaries") / "b.db") as store:
        yield store


def _article(store: Store, text: str):
    """Import ``text`` as an article without spans; its id and its stored document."""
    import_articles(store, [Article(text=text, title="t")])
    doc_id = store.find_document_by_text(text)
    assert doc_id is not None
    for span in store.spans(doc_id):  # hypothesis may give the same text again: start without its spans
        store.delete_span(span.id, span.annotator)
    return doc_id, store.get_document(doc_id)


def examples(n: int):
    """Hypothesis settings for ``n`` examples sharing the module's store."""
    return settings(max_examples=n, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def one_line(exc: BaseException) -> str:
    message = str(exc)
    assert message and "\n" not in message and "Traceback" not in message
    return message


@examples(150)
@given(text=texts, data=st.data())
def test_add_span_stores_only_token_aligned_spans(hostile_store, text, data):
    store = hostile_store
    doc_id, doc = _article(store, text)
    starts, ends = {s for s, _ in doc.tokens}, {e for _, e in doc.tokens}
    start = data.draw(st.integers(-1, len(doc.text)), label="start")
    end = data.draw(st.integers(start + 1, len(doc.text) + 1), label="end")
    before = len(store.spans(doc_id))
    try:
        span = store.add_span(doc_id, "ana", "entity", "GPE", start, end)
    except TandaiError as exc:
        one_line(exc)
        assert len(store.spans(doc_id)) == before, "a refused span must store nothing"
        assert not (start in starts and end in ends and start < end), "an aligned span was refused"
        return
    assert (span.start, span.end) == (start, end)
    assert span.start in starts and span.end in ends
    assert span.text == doc.text[start:end]


@examples(150)
@given(text=texts, data=st.data())
def test_snapping_covers_what_was_asked_with_whole_tokens(hostile_store, text, data):
    store = hostile_store
    doc_id, doc = _article(store, text)
    start = data.draw(st.integers(0, len(doc.text) - 1), label="start")
    end = data.draw(st.integers(start + 1, len(doc.text)), label="end")
    touched = [(s, e) for s, e in doc.tokens if s < end and e > start]
    try:
        snapped = store.aligned_span(doc_id, start, end, snap=True)
    except TandaiError as exc:
        assert "covers no token" in one_line(exc)
        assert not touched
        return
    assert snapped == (touched[0][0], touched[-1][1])
    # what snapping gives, add_span takes as it is
    span = store.add_span(doc_id, "ana", "entity", "GPE", *snapped)
    assert (span.start, span.end) == snapped


@examples(60)
@given(text=texts, data=st.data())
def test_update_span_refuses_new_offsets_inside_a_token(hostile_store, text, data):
    store = hostile_store
    doc_id, doc = _article(store, text)
    first = doc.tokens[0]
    span = store.add_span(doc_id, "ana", "entity", "GPE", *first)
    starts, ends = {s for s, _ in doc.tokens}, {e for _, e in doc.tokens}
    end = data.draw(st.integers(first[0] + 1, len(doc.text)), label="end")
    try:
        moved = store.update_span(span.id, "ana", end=end)
    except TandaiError as exc:
        one_line(exc)
        assert end not in ends
        assert store.get_span(span.id) == span
        return
    assert end in ends and moved.end == end and moved.start in starts


@examples(100)
@given(text=texts, data=st.data())
def test_accepting_suggestions_stores_only_token_aligned_spans(hostile_store, text, data):
    """Accepting many suggestions checks each against the token edges at once (Boundaries.aligns):
    the same spans pass as add_span takes, and one that does not refuses the lot in one line."""
    store = hostile_store
    doc_id, doc = _article(store, text)
    offsets = st.integers(0, len(doc.text))
    pairs = data.draw(st.lists(st.tuples(offsets, offsets).filter(lambda p: p[0] < p[1]), min_size=1, max_size=4,
                               unique=True), label="suggestions")
    store.replace_suggestions("hostile-model", {doc_id: [("entity", "GPE", a, b, None) for a, b in pairs]})
    ids = [g.id for g in store.suggestions(doc_id, "ana", open_only=True)]
    starts, ends = {s for s, _ in doc.tokens}, {e for _, e in doc.tokens}
    try:
        made = store.accept_many(ids, "ana")
    except TandaiError as exc:
        assert "does not sit on token boundaries" in one_line(exc) or "covers no token" in one_line(exc)
        assert not all(a in starts and b in ends for a, b in pairs) and store.spans(doc_id, "ana") == []
        return
    assert len(made) == len(pairs) and all(a in starts and b in ends for a, b in pairs)
    store.undo("ana", doc_id)  # the next example may draw this text again


def test_a_span_inside_a_word_is_refused_in_one_line(store, seed_ids):
    doc = seed_ids["000"]
    text = store.get_document(doc).text
    start = text.index("Armenia")
    with pytest.raises(TandaiError) as caught:
        store.add_span(doc, "ana", "entity", "GPE", start, start + 4)
    assert one_line(caught.value) == (f"span {start}-{start + 4} does not sit on token boundaries"
                                      f" (the tokens it touches are {start}-{start + 7})")
    assert store.spans(doc) == []


def test_update_span_checks_the_label_against_a_new_layer(store, seed_ids):
    doc = seed_ids["000"]
    text = store.get_document(doc).text
    start = text.index("Armenia")
    span = store.add_span(doc, "ana", "entity", "GPE", start, start + 7)
    with pytest.raises(TandaiError, match="unknown label 'GPE' in layer 'event'"):
        store.update_span(span.id, "ana", layer="event")
    assert store.get_span(span.id).layer == "entity"
    moved = store.update_span(span.id, "ana", layer="event", label="ATTACK")
    assert (moved.layer, moved.label) == ("event", "ATTACK")


def test_merge_snaps_spans_from_another_database_and_reports_them(seeded_path: Path, tmp_path: Path, seed_ids):
    """A copy made by a tandai without the check holds a span inside a word: the merge moves it onto
    whole tokens here and says so; a span over whitespace alone is left out, with its links."""
    theirs = tmp_path / "old.db"
    copy_database(seeded_path, theirs)
    doc = seed_ids["000"]
    with Store(theirs) as other:
        text = other.get_document(doc).text
        other.ensure_annotator("dewi")
    start = text.index("Armenia")
    gap = text.index(" ", start)
    conn = sqlite3.connect(theirs)  # as an older tandai wrote it: straight into the table
    with conn:
        for s, e in ((start + 1, start + 5), (gap, gap + 1)):
            conn.execute("INSERT INTO spans(doc_id, annotator, layer, label, start, end, text, created_at,"
                         " updated_at) VALUES (?, 'dewi', 'entity', 'GPE', ?, ?, ?, 'x', 'x')",
                         (doc, s, e, text[s:e]))
    conn.close()
    with Store(seeded_path) as ours:
        report = merge(ours, theirs, by="rita")
        (span,) = ours.spans(doc, "dewi")
        assert (span.start, span.end, span.text) == (start, start + 7, "Armenia")
    lines = report.lines()
    assert "snapped to token boundaries: 1 span(s)" in lines
    assert f"  {doc} dewi entity GPE {start + 1}-{start + 5} -> {start}-{start + 7}" in lines
    assert "not merged, they cover no token here: 1 span(s) and their links" in lines
