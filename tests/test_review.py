"""Comparing annotators and settling gold, at the library level (the screen's Pilot tests build on these)."""
from __future__ import annotations

import json
import sqlite3

import pytest

from annotations import review
from annotations.errors import PermissionDenied, TandaiError
from annotations.records import Actor
from annotations.review import SpanKey
from annotations.store import GOLD, Store

PARA = "AS umumkan bahwa Armenia dan Azerbaijan sekali lagi telah sepakati gencatan senjata dalam konflik Nagorno-Karabakh."


def at(store: Store, doc_id: str, word: str) -> tuple[int, int]:
    """Offsets of ``word`` in the article's second paragraph, checked to be whole tokens."""
    doc = store.get_document(doc_id)
    base = doc.text.index(PARA)
    start = base + PARA.index(word)
    end = start + len(word)
    assert start in {s for s, _ in doc.tokens} and end in {e for _, e in doc.tokens}, word
    return start, end


@pytest.fixture
def three(store, seed_ids):
    """Three annotators on seed 000 with one agreed span and one disagreement of each kind."""
    doc = seed_ids["000"]
    store.add_actors([Actor("ARM_GOV", "Pemerintah Armenia"), Actor("AZE_GOV", "Pemerintah Azerbaijan")])
    made: dict[tuple[str, str], int] = {}

    def add(name, layer, label, word, **kw):
        span = store.add_span(doc, name, layer, label, *at(store, doc, word), **kw)
        made[(name, word)] = span.id
        return span

    for name in ("ana", "budi", "citra"):
        add(name, "entity", "GPE" if name != "budi" else "ORG", "AS")
        add(name, "entity", "GPE", "Armenia", actor_id="ARM_GOV")
        add(name, "entity", "GPE", "Azerbaijan", actor_id=None if name == "citra" else "AZE_GOV")
        add(name, "event", "CEASEFIRE", "sepakati", attrs={"modality": "asserted"})
        store.add_link(made[(name, "sepakati")], made[(name, "Armenia")], "PARTICIPANT", name)
        if name != "citra":
            store.add_link(made[(name, "sepakati")], made[(name, "Azerbaijan")], "PARTICIPANT", name)
    add("ana", "event", "CEASEFIRE", "gencatan senjata")
    add("budi", "event", "CEASEFIRE", "gencatan")
    add("ana", "entity", "LOC", "Nagorno-Karabakh")
    for name in ("ana", "budi", "citra"):
        store.set_status(doc, name, "done")
    return store, doc, made


def human_rows(store: Store) -> list[tuple]:
    return store.conn.execute(
        "SELECT id, annotator, layer, label, start, end, actor_id, attrs, origin FROM spans"
        " WHERE annotator != 'gold' ORDER BY id").fetchall()


def gold(store: Store, doc: str) -> dict[tuple, dict]:
    """Gold spans as the database has them: (layer, label, text) -> origin."""
    return {(s.layer, s.label, s.text): s.origin for s in store.spans(doc, GOLD)}


def gold_links(store: Store, doc: str) -> set[tuple[str, str, str]]:
    spans = {s.id: s.text for s in store.spans(doc, GOLD)}
    return {(spans[link.head], link.role, spans[link.tail]) for link in store.links(doc, GOLD)}


# -- comparison ------------------------------------------------------------------------------------


def test_compare_finds_each_kind_of_disagreement_in_text_order(three):
    store, doc, _ = three
    cmp = review.compare(store, doc)
    assert cmp.annotators == ("ana", "budi", "citra")
    assert cmp.statuses == {"ana": "done", "budi": "done", "citra": "done"}
    found = [(c.layer, store.get_document(doc).text[c.start:c.end], c.kinds) for c in cmp.disagreements()]
    assert found == [
        ("entity", "AS", ("label",)),
        ("entity", "Azerbaijan", ("actor",)),
        ("event", "sepakati", ("links",)),
        ("event", "gencatan senjata", ("boundary", "missing")),
        ("entity", "Nagorno-Karabakh", ("missing",)),
    ]
    agreed = [item.text for item in cmp.agreed]
    assert agreed == ["Armenia"]
    armenia = cmp.item(SpanKey("entity", "GPE", *at(store, doc, "Armenia")))
    assert armenia.annotators == ["ana", "budi", "citra"] and armenia.identical and armenia.state == "open"
    # score: ana has 6 distinct spans, budi 5, citra 4; exact matches: the spans each pair shares
    counts = {"ana": 6, "budi": 5, "citra": 4}
    shared = {("ana", "budi"): 3, ("ana", "citra"): 4, ("budi", "citra"): 3}
    expected = 2 * sum(shared.values()) / sum(counts[a] + counts[b] for a, b in shared)
    assert cmp.score() == pytest.approx(expected)


def test_versions_at_a_position_and_navigation(three):
    store, doc, made = three
    cmp = review.compare(store, doc)
    start, end = at(store, doc, "gencatan senjata")
    versions = cmp.versions_at(start + 2)
    assert [v.span.text for v in versions["ana"]] == ["gencatan senjata"]
    assert [v.span.text for v in versions["budi"]] == ["gencatan"]
    assert versions["citra"] == []
    sepakati = cmp.versions_at(at(store, doc, "sepakati")[0])
    links = {name: sorted((l.role, l.direction, l.other_text) for l in vs[0].links) for name, vs in sepakati.items()}
    assert links["ana"] == [("PARTICIPANT", "out", "Armenia"), ("PARTICIPANT", "out", "Azerbaijan")]
    assert links["citra"] == [("PARTICIPANT", "out", "Armenia")]
    assert sepakati["ana"][0].span.attrs == {"modality": "asserted"}
    azer = cmp.versions_at(at(store, doc, "Azerbaijan")[0])
    assert [v.span.actor_id for v in azer["ana"] + azer["citra"]] == ["AZE_GOV", None]
    assert [link.direction for link in azer["ana"][0].links] == ["in"]
    # tab and shift+tab: between disagreements, wrapping; agreed spans are skipped
    texts = []
    pos = -1
    for _ in range(6):
        cluster = cmp.next_disagreement(pos)
        texts.append(store.get_document(doc).text[cluster.start:cluster.end])
        pos = cluster.start
    assert texts == ["AS", "Azerbaijan", "sepakati", "gencatan senjata", "Nagorno-Karabakh", "AS"]
    back = cmp.next_disagreement(at(store, doc, "Azerbaijan")[0], -1)
    assert back.start == at(store, doc, "AS")[0]
    assert cmp.next_disagreement(at(store, doc, "AS")[0], -1).start == at(store, doc, "Nagorno-Karabakh")[0]
    # the item under the cursor
    assert cmp.item_at(at(store, doc, "Armenia")[0]).text == "Armenia"
    assert cmp.item_at(start + 2, annotator="budi").text == "gencatan"
    assert cmp.item_at(at(store, doc, "bahwa")[0]) is None


def test_nested_spans_are_missing_not_boundary(store, seed_ids):
    doc = seed_ids["000"]
    for name in ("ana", "budi"):
        store.add_span(doc, name, "entity", "GPE", *at(store, doc, "Armenia"))
    start = at(store, doc, "Armenia")[0]
    store.add_span(doc, "ana", "entity", "ORG", start, at(store, doc, "Azerbaijan")[1])  # "Armenia dan Azerbaijan"
    (cluster,) = review.compare(store, doc).disagreements()
    assert cluster.kinds == ("missing",)
    assert [v.span.text for v in cluster.versions["budi"]] == ["Armenia"]


def test_only_human_annotators_are_compared(three):
    store, doc, _ = three
    store.replace_suggestions("rules", {doc: [("entity", "PER", *at(store, doc, "umumkan"), 0.5)]})
    review.accept(store, doc, ("entity", "GPE", *at(store, doc, "Armenia")), "rita")
    cmp = review.compare(store, doc)
    assert cmp.annotators == ("ana", "budi", "citra")
    assert all(v.annotator != GOLD for item in cmp.items for v in item.versions.values())
    # status="done" leaves out someone still working
    store.set_status(doc, "citra", "doing")
    assert review.compare(store, doc, status="done").annotators == ("ana", "budi")


# -- settling into gold ---------------------------------------------------------------------------------


def test_pick_copies_a_version_with_provenance_and_rejects_the_rest(three):
    store, doc, _ = three
    before = human_rows(store)
    pos = at(store, doc, "AS")[0]
    copied = review.pick(store, doc, "budi", "rita", pos=pos).spans
    assert [(s.annotator, s.label, s.text) for s in copied] == [(GOLD, "ORG", "AS")]
    assert gold(store, doc) == {("entity", "ORG", "AS"): {"annotators": ["budi"], "reviewer": "rita", "from": "budi"}}
    cmp = review.compare(store, doc)
    (cluster,) = cmp.clusters_at(pos)
    assert cluster.settled
    assert {i.key.label: i.state for i in cluster.items} == {"ORG": "gold", "GPE": "rejected"}
    assert len(cmp.disagreements(open_only=True)) == 4 and len(cmp.disagreements()) == 5
    # picking another annotator replaces gold there
    review.pick(store, doc, "ana", "rita", pos=pos)
    assert gold(store, doc) == {("entity", "GPE", "AS"): {"annotators": ["ana", "citra"], "reviewer": "rita",
                                                          "from": "ana"}}
    # the journal names the reviewer; annotators' own layers never changed
    rows = store.db.query("SELECT DISTINCT annotator, by FROM journal WHERE action LIKE 'review%'")
    assert [(r["annotator"], r["by"]) for r in rows] == [(GOLD, "rita")]
    assert human_rows(store) == before


def test_undo_and_redo_a_pick(three):
    store, doc, _ = three
    review.accept_agreed(store, doc, "rita")  # an earlier gold action that stays done
    armenia = ("entity", "GPE", "Armenia")
    pos = at(store, doc, "gencatan senjata")[0]
    review.pick(store, doc, "budi", "rita", pos=pos)
    assert set(gold(store, doc)) == {armenia, ("event", "CEASEFIRE", "gencatan")}
    assert review.compare(store, doc).clusters_at(pos)[0].settled
    assert review.undo(store, doc, "rita") == "pick version"
    assert set(gold(store, doc)) == {armenia}
    cluster = review.compare(store, doc).clusters_at(pos)[0]
    assert not cluster.settled and all(i.state == "open" for i in cluster.items)
    assert review.redo(store, doc, "rita") == "pick version"
    assert set(gold(store, doc)) == {armenia, ("event", "CEASEFIRE", "gencatan")}
    assert review.compare(store, doc).clusters_at(pos)[0].settled
    # the store's own undo does the same
    assert store.undo(GOLD, doc, by="rita").startswith("review_pick")
    assert set(gold(store, doc)) == {armenia}
    assert not review.compare(store, doc).clusters_at(pos)[0].settled


def test_pick_someone_with_nothing_there_empties_gold_there(three):
    store, doc, _ = three
    pos = at(store, doc, "gencatan senjata")[0]
    review.accept(store, doc, ("event", "CEASEFIRE", *at(store, doc, "gencatan senjata")), "rita")
    assert set(gold(store, doc)) == {("event", "CEASEFIRE", "gencatan senjata")}
    assert review.pick(store, doc, "citra", "rita", pos=pos).spans == []
    assert gold(store, doc) == {}
    cluster = review.compare(store, doc).clusters_at(pos)[0]
    assert cluster.settled and {i.state for i in cluster.items} == {"rejected"}


def test_links_come_with_their_spans_in_either_order(three):
    store, doc, _ = three
    sepakati = ("event", "CEASEFIRE", *at(store, doc, "sepakati"))
    armenia = ("entity", "GPE", *at(store, doc, "Armenia"))
    azer = ("entity", "GPE", *at(store, doc, "Azerbaijan"))
    # the event first: its tails are not in gold yet, so its links wait for them
    taken = review.accept(store, doc, sepakati, "rita", annotator="ana")
    (event,) = taken.spans
    assert [str(note) for note in taken.waiting] == ["CEASEFIRE —PARTICIPANT→ Armenia",
                                                     "CEASEFIRE —PARTICIPANT→ Azerbaijan"]
    assert taken.went == []
    assert event.origin == {"annotators": ["ana", "budi", "citra"], "reviewer": "rita", "from": "ana"}
    assert event.attrs == {"modality": "asserted"}
    assert gold_links(store, doc) == set()
    # each tail brings the link ana's event has to it
    assert review.accept(store, doc, armenia, "rita").waiting == []  # Armenia itself links nowhere
    assert gold_links(store, doc) == {("sepakati", "PARTICIPANT", "Armenia")}
    assert [str(n) for n in review.waiting_links(review.compare(store, doc))] == ["CEASEFIRE —PARTICIPANT→ Azerbaijan"]
    review.pick(store, doc, "ana", "rita", pos=azer[2])
    assert gold_links(store, doc) == {("sepakati", "PARTICIPANT", "Armenia"),
                                      ("sepakati", "PARTICIPANT", "Azerbaijan")}
    assert store.spans(doc, GOLD, "entity")[-1].actor_id == "AZE_GOV"
    # re-accepting the event from citra gives gold citra's links (and provenance): ana's second link goes
    taken = review.accept(store, doc, sepakati, "rita", annotator="citra")
    assert taken.spans[0].origin["from"] == "citra"
    assert [str(note) for note in taken.went] == ["CEASEFIRE —PARTICIPANT→ Azerbaijan"] and taken.waiting == []
    assert gold_links(store, doc) == {("sepakati", "PARTICIPANT", "Armenia")}
    # picking citra's Azerbaijan: no actor
    review.pick(store, doc, "citra", "rita", pos=azer[2])
    assert [s.actor_id for s in store.spans(doc, GOLD, "entity") if s.text == "Azerbaijan"] == [None]
    # undo steps back one review action at a time
    review.undo(store, doc, "rita")
    assert [s.actor_id for s in store.spans(doc, GOLD, "entity") if s.text == "Azerbaijan"] == ["AZE_GOV"]
    review.undo(store, doc, "rita")
    assert gold_links(store, doc) == {("sepakati", "PARTICIPANT", "Armenia"),
                                      ("sepakati", "PARTICIPANT", "Azerbaijan")}


def test_reject_records_the_decision_and_undo_takes_it_back(three):
    store, doc, _ = three
    key = SpanKey("entity", "LOC", *at(store, doc, "Nagorno-Karabakh"))
    review.accept(store, doc, key, "rita")
    assert ("entity", "LOC", "Nagorno-Karabakh") in gold(store, doc)
    review.reject(store, doc, key, "rita")
    assert ("entity", "LOC", "Nagorno-Karabakh") not in gold(store, doc)
    cmp = review.compare(store, doc)
    assert cmp.item(key).state == "rejected"
    assert key in cmp.rejected
    assert [store.get_document(doc).text[c.start:c.end] for c in cmp.disagreements(open_only=True)] == \
        ["AS", "Azerbaijan", "sepakati", "gencatan senjata"]
    assert review.undo(store, doc, "rita") == "reject"
    assert review.compare(store, doc).item(key).state == "gold"
    review.undo(store, doc, "rita")
    assert review.compare(store, doc).item(key).state == "open"
    # the decision survives reopening the database
    review.reject(store, doc, key, "rita")
    path = store.path
    store.close()
    with Store(path) as again:
        assert review.compare(again, doc).item(key).state == "rejected"
        assert review.review_list(again)[0].open == 4


def test_accept_agreed_takes_only_identical_spans(three):
    store, doc, _ = three
    made = review.accept_agreed(store, doc, "rita").spans
    assert [(s.label, s.text, s.actor_id) for s in made] == [("GPE", "Armenia", "ARM_GOV")]
    assert made[0].origin == {"annotators": ["ana", "budi", "citra"], "reviewer": "rita", "from": "ana"}
    assert review.accept_agreed(store, doc, "rita").spans == []  # nothing left: already in gold
    assert review.undo(store, doc, "rita") == "accept agreed spans"
    assert gold(store, doc) == {}


def test_accept_agreed_copies_links_between_agreed_spans(store, seed_ids):
    doc = seed_ids["000"]
    for name in ("ana", "budi"):
        ev = store.add_span(doc, name, "event", "CEASEFIRE", *at(store, doc, "sepakati"))
        arm = store.add_span(doc, name, "entity", "GPE", *at(store, doc, "Armenia"))
        store.add_link(ev.id, arm.id, "PARTICIPANT", name)
    store.add_span(doc, "ana", "entity", "GPE", *at(store, doc, "AS"))
    made = review.accept_agreed(store, doc, "rita")
    assert sorted(s.text for s in made.spans) == ["Armenia", "sepakati"] and made.waiting == made.went == []
    assert gold_links(store, doc) == {("sepakati", "PARTICIPANT", "Armenia")}


def test_a_hand_made_gold_span_settles_what_it_overlaps(three):
    store, doc, _ = three
    start, end = at(store, doc, "gencatan senjata")
    # a gold span equal to ana's version settles ana's version only (budi's "gencatan" is still open)
    same = store.add_span(doc, GOLD, "event", "CEASEFIRE", start, end, by="rita")
    cluster = review.compare(store, doc).clusters_at(start)[0]
    assert {i.key.end - i.key.start: i.state for i in cluster.items} == {len("gencatan senjata"): "gold",
                                                                          len("gencatan"): "open"}
    assert not cluster.settled
    # the reviewer's own span, which no annotator has, settles the text it overlaps
    store.delete_span(same.id, GOLD, by="rita")
    store.add_span(doc, GOLD, "event", "CEASEFIRE", start, end + len(" dalam"), by="rita")  # "gencatan senjata dalam"
    cluster = review.compare(store, doc).clusters_at(start)[0]
    assert {i.state for i in cluster.items} == {"superseded"}
    assert cluster.settled


def test_review_needs_a_reviewer_and_known_spans(three):
    store, doc, _ = three
    key = ("entity", "GPE", *at(store, doc, "Armenia"))
    for name in ("", "gold"):
        with pytest.raises(TandaiError):
            review.accept(store, doc, key, name)
    with pytest.raises(TandaiError, match="no annotator has"):
        review.accept(store, doc, ("entity", "PER", 0, 3), "rita")
    with pytest.raises(TandaiError, match="did not annotate"):
        review.pick(store, doc, "dewi", "rita", pos=key[2])
    with pytest.raises(TandaiError, match="no annotator has a span"):
        review.pick(store, doc, "ana", "rita", pos=at(store, doc, "bahwa")[0])
    with pytest.raises(TandaiError, match="no article"):
        review.compare(store, "nope")
    # gold copies are gold's: an annotator cannot change them
    (span,) = review.accept(store, doc, key, "rita").spans
    with pytest.raises(PermissionDenied):
        store.delete_span(span.id, "ana")
    assert gold(store, doc)


def test_pick_rolls_back_as_a_whole(three, monkeypatch):
    store, doc, _ = three
    review.accept(store, doc, ("entity", "GPE", *at(store, doc, "Armenia")), "rita")
    review.accept(store, doc, ("entity", "GPE", *at(store, doc, "Azerbaijan")), "rita", annotator="ana")
    before = (store.conn.execute("SELECT count(*) FROM journal").fetchone()[0], gold(store, doc))

    def boom(*args, **kwargs):
        raise TandaiError("disk on fire")

    monkeypatch.setattr(store, "add_link", boom)
    with pytest.raises(TandaiError, match="disk on fire"):
        review.pick(store, doc, "ana", "rita", pos=at(store, doc, "sepakati")[0])
    monkeypatch.undo()
    assert (store.conn.execute("SELECT count(*) FROM journal").fetchone()[0], gold(store, doc)) == before


def test_review_list(three, seed_ids):
    store, doc, _ = three
    other = seed_ids["001"]
    text = store.get_document(other).text
    i = text.index("Armenia")
    store.add_span(other, "ana", "entity", "GPE", i, i + len("Armenia"))
    rows = review.review_list(store)
    assert [r.doc_id for r in rows] == [doc, other]
    first = rows[0]
    assert first.statuses == {"ana": "done", "budi": "done", "citra": "done"}
    assert (first.disagreements, first.open, first.agreed, first.gold_spans, first.gold_status) == (5, 5, 1, 0, "todo")
    assert first.score == pytest.approx(review.compare(store, doc).score())
    assert rows[1].statuses == {"ana": "doing"} and rows[1].score is None and rows[1].disagreements == 0
    review.pick(store, doc, "ana", "rita", pos=at(store, doc, "AS")[0])
    first = review.review_list(store)[0]
    assert (first.open, first.gold_spans, first.gold_status) == (4, 1, "doing")
    assert [r.doc_id for r in review.review_list(store, status="done")] == [doc]
    assert not first.settled
    assert review.settle(store, doc, "rita") is True
    assert [(r.settled, r.gold_status) for r in review.review_list(store)] == [(True, "done"), (False, "todo")]


def test_changes_are_counted_per_article_whoever_makes_them(three, seed_ids):
    """What the review list compares again: articles whose spans, links, progress status or rejections
    changed since a change count, whether tandai or another SQLite client changed them."""
    store, doc, made = three
    other = seed_ids["001"]
    seen = store.change_count()
    assert store.changed_since(seen) == []
    review.reject(store, doc, SpanKey("entity", "ORG", *at(store, doc, "AS")), "rita")
    assert store.changed_since(seen) == [doc]
    seen = store.change_count()
    store.save_position(doc, "ana", 10)  # where the cursor was: nothing the review list shows
    assert store.changed_since(seen) == []
    conn = sqlite3.connect(str(store.path))  # another program adds a span to the other article
    with conn:
        conn.execute("INSERT INTO spans(doc_id, annotator, layer, label, start, end, text, created_at, updated_at)"
                     " SELECT id, 'ana', 'entity', 'GPE', 0, 1, substr(text, 1, 1), 'now', 'now' FROM documents"
                     " WHERE id = ?", (other,))
    conn.close()
    assert store.changed_since(seen) == [other]
    store.delete_link(store.links(doc, "ana")[0].id, "ana")
    assert store.changed_since(seen) == [other, doc]  # in the order they changed
    seen = store.change_count()
    store.set_status(other, "budi", "flagged")
    store.delete_span(made[("citra", "AS")], "citra")
    assert store.changed_since(seen) == [other, doc]


def test_settle_toggles_gold_done_journaled_and_undoable(three):
    store, doc, _ = three
    assert review.settle(store, doc, "rita") is True
    assert store.progress(doc, GOLD).status == "done"
    assert review.settle(store, doc, "rita") is False
    assert store.progress(doc, GOLD).status == "doing"
    assert review.undo(store, doc, "rita") == "unsettle gold"
    assert store.progress(doc, GOLD).status == "done"
    assert review.undo(store, doc, "rita") == "mark gold settled"
    assert store.progress(doc, GOLD).status == "todo"
    rows = store.db.query("SELECT DISTINCT action, by FROM journal WHERE annotator = 'gold' ORDER BY id")
    assert [(r["action"], r["by"]) for r in rows] == [("status_done", "rita"), ("status_doing", "rita")]
    store.add_reviewer("rita", by="rita")
    with pytest.raises(PermissionDenied):
        review.settle(store, doc, "ana")
    assert store.progress(doc, GOLD).status == "todo"


def test_rejecting_an_argument_says_which_links_went_with_it(three):
    store, doc, _ = three
    sepakati = ("event", "CEASEFIRE", *at(store, doc, "sepakati"))
    armenia = ("entity", "GPE", *at(store, doc, "Armenia"))
    azer = ("entity", "GPE", *at(store, doc, "Azerbaijan"))
    review.accept(store, doc, armenia, "rita")
    assert [str(n) for n in review.accept(store, doc, sepakati, "rita", annotator="ana").waiting] == [
        "CEASEFIRE —PARTICIPANT→ Azerbaijan"]  # the link to Armenia came at once
    # Azerbaijan has no gold copy: rejecting it ends the link that waited for it
    assert [str(n) for n in review.reject(store, doc, azer, "rita").went] == ["CEASEFIRE —PARTICIPANT→ Azerbaijan"]
    assert review.waiting_links(review.compare(store, doc)) == []
    # Armenia's gold copy takes its gold link with it
    gone = review.reject(store, doc, armenia, "rita")
    assert [str(n) for n in gone.went] == ["CEASEFIRE —PARTICIPANT→ Armenia"] and gone.spans == []
    assert gold_links(store, doc) == set()
    # rejecting the event takes nothing more (its links are gone), rejecting "AS" touches no link at all
    assert review.reject(store, doc, sepakati, "rita").went == []
    assert review.reject(store, doc, ("entity", "GPE", *at(store, doc, "AS")), "rita").went == []


def test_gold_provenance_is_plain_json_in_the_database(three, seeded_path):
    store, doc, _ = three
    review.pick(store, doc, "budi", "rita", pos=at(store, doc, "gencatan senjata")[0])
    store.close()
    conn = sqlite3.connect(str(seeded_path))
    (origin,) = conn.execute("SELECT origin FROM spans WHERE annotator = 'gold'").fetchone()
    conn.close()
    assert json.loads(origin) == {"annotators": ["budi"], "from": "budi", "reviewer": "rita"}


def test_picking_another_version_takes_back_the_earlier_rejection(three):
    """ORG (budi) then GPE (ana) at "AS": gold holds GPE, and only ORG stays rejected."""
    store, doc, _ = three
    pos = at(store, doc, "AS")[0]
    review.pick(store, doc, "budi", "rita", pos=pos)
    assert set(store.rejections(doc)) == {("entity", "GPE", *at(store, doc, "AS"))}
    review.pick(store, doc, "ana", "rita", pos=pos)
    gold = [(s.label, s.start) for s in store.spans(doc, GOLD)]
    assert ("GPE", pos) in gold and ("ORG", pos) not in gold
    assert set(store.rejections(doc)) == {("entity", "ORG", *at(store, doc, "AS"))}
    review.undo(store, doc, "rita")
    assert set(store.rejections(doc)) == {("entity", "GPE", *at(store, doc, "AS"))}


def test_gold_spans_made_by_hand_name_their_reviewer_and_a_rejection_starts_the_article(three):
    store, doc, _ = three
    span = store.add_span(doc, GOLD, "entity", "LOC", *at(store, doc, "Nagorno-Karabakh"), by="rita")
    assert span.origin == {"reviewer": "rita"}
    other = store.document_ids()[1]
    first = store.get_document(other).tokens[0]
    store.reject_for_gold(other, "entity", "PER", *first, by="rita")
    assert store.progress(other, GOLD).status == "doing"


def test_review_steps_store_the_list_row_they_leave(three):
    """Each step stores the article's list row in its own transaction (settling keeps the stored row, with
    gold's status): the row the list then reads is the one a fresh comparison gives."""
    store, doc, _ = three
    docs = review.documents_by_id(store, [doc])

    def listed_row() -> review.ArticleReview:
        row = next(review.article_reviews(store, docs))
        assert not row.compared  # read, as stored
        return row

    def fresh_row() -> review.ArticleReview:
        with store.transaction():
            store.conn.execute("DELETE FROM review_rows")  # forgotten: the next read compares
        row = next(review.article_reviews(store, docs))
        assert row.compared
        review.save_rows(store, [row])
        return row

    fields = lambda row: (row.statuses, row.disagreements, row.open, row.agreed, row.gold_spans,  # noqa: E731
                          row.gold_status, row.score, row.version)
    fresh_row()
    steps = [lambda: review.accept(store, doc, ("entity", "GPE", *at(store, doc, "Armenia")), "rita"),
             lambda: review.settle(store, doc, "rita"),
             lambda: review.reject(store, doc, ("event", "CEASEFIRE", *at(store, doc, "gencatan")), "rita"),
             lambda: review.settle(store, doc, "rita"),
             lambda: review.pick(store, doc, "budi", "rita", pos=at(store, doc, "AS")[0]),
             lambda: review.undo(store, doc, "rita")]
    for step in steps[:-1]:
        before = listed_row()
        step()
        after = listed_row()
        assert after.version > before.version
        assert fields(after) == fields(fresh_row())
    steps[-1]()  # undo stores nothing: the list compares the article again
    assert store.review_rows([doc])[doc][1] is None
    assert fresh_row().open == 5  # the pick on AS undone: that label disagreement is open again
