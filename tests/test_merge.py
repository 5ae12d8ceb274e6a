"""tandai merge: bringing another database's work in, matched by text, idempotent, clashes left alone."""
from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from annotations.corpus import Article, document_row, import_articles
from annotations.errors import TandaiError
from annotations.merge import merge
from annotations.records import Actor
from annotations.store import GOLD, Store
from tui.cli import main

from conftest import copy_database, table_dump

ONLY_THERE = "Menlu Armenia Ararat Mirzoyan bertemu Menlu Azerbaijan Jeyhun Bayramov di Moskow ."


def word(store: Store, doc: str, text: str, nth: int = 0) -> tuple[int, int]:
    body = store.get_document(doc).text
    start = -1
    for _ in range(nth + 1):
        start = body.index(text, start + 1)
    return start, start + len(text)


def dump(path: Path) -> dict[str, list]:
    return {t: table_dump(path, t) for t in ("documents", "annotators", "actors", "spans", "links", "verdicts",
                                             "progress", "journal")}


def spans_of(store: Store, doc: str, name: str) -> list[tuple]:
    return [(s.layer, s.label, s.text, s.actor_id, s.attrs) for s in store.spans(doc, name)]


@pytest.fixture
def pair(seeded_path: Path, tmp_path: Path, seed_ids):
    """Two copies of the seeded database: ours (the shared one) and theirs (an offline copy)."""
    theirs = tmp_path / "offline.db"
    copy_database(seeded_path, theirs)
    return seeded_path, theirs, seed_ids


def offline_work(theirs: Path, ids: dict[str, str]) -> str:
    """dewi works offline: seed 000 with a link and an actor, and an article only the copy has."""
    with Store(theirs) as st:
        st.add_actors([Actor("ARM_GOV", "Pemerintah Armenia", "STATE_GOV", "ARM")])
        d0 = ids["000"]
        ev = st.add_span(d0, "dewi", "event", "CEASEFIRE", *word(st, d0, "gencatan senjata"),
                         attrs={"modality": "asserted"})
        arm = st.add_span(d0, "dewi", "entity", "GPE", *word(st, d0, "Armenia"), actor_id="ARM_GOV")
        st.add_link(ev.id, arm.id, "PARTICIPANT", "dewi")
        st.set_status(d0, "dewi", "done")
        import_articles(st, [Article(text=ONLY_THERE, title="hanya di sana")])
        new = st.find_document_by_text(ONLY_THERE)
        st.add_span(new, "dewi", "entity", "PER", *word(st, new, "Ararat Mirzoyan"))
        return new


def test_merge_brings_annotators_articles_actors_spans_links_progress(pair):
    ours, theirs, ids = pair
    new = offline_work(theirs, ids)
    with Store(ours) as st:
        report = merge(st, theirs, by="rita")
        assert report.annotators_added == ["dewi"]
        assert (report.documents_added, report.documents_matched) == (1, 5)
        assert report.actors_added == 1
        assert (report.pairs_added, report.spans_added, report.links_added) == (2, 3, 1)
        assert report.clashes == []
        d0 = ids["000"]
        assert spans_of(st, d0, "dewi") == [("entity", "GPE", "Armenia", "ARM_GOV", {}),
                                            ("event", "CEASEFIRE", "gencatan senjata", None, {"modality": "asserted"})]
        (link,) = st.links(d0, "dewi")
        assert (st.get_span(link.head).text, link.role, st.get_span(link.tail).text) == \
            ("gencatan senjata", "PARTICIPANT", "Armenia")
        assert st.progress(d0, "dewi").status == "done"
        assert st.get_document(new).title == "hanya di sana"
        assert spans_of(st, new, "dewi") == [("entity", "PER", "Ararat Mirzoyan", None, {})]
        assert st.progress(new, "dewi").status == "doing"
        assert [a.id for a in st.actors()] == ["ARM_GOV"]
        # one journal batch per article and annotator, in dewi's name: dewi's undo takes it back
        batches = st.db.query("SELECT DISTINCT batch, action, annotator, by FROM journal WHERE action = 'merge'")
        assert [(r["annotator"], r["by"]) for r in batches] == [("dewi", "dewi"), ("dewi", "dewi")]
        assert st.undo("dewi", d0) == "merge"
        assert st.spans(d0, "dewi") == []


def test_a_span_twice_in_their_older_database_comes_once(pair):
    """A database written before the store refused copies may hold one span twice: merged, it is one
    span, and the link to the second copy leads to the first."""
    import sqlite3

    ours, theirs, ids = pair
    offline_work(theirs, ids)
    conn = sqlite3.connect(theirs)  # as an older tandai left it: a copy of Armenia, linked
    with conn:
        (copy,) = conn.execute("INSERT INTO spans (doc_id, annotator, layer, label, start, end, text, actor_id, attrs,"
                               " origin, created_at, updated_at) SELECT doc_id, annotator, layer, label, start, end,"
                               " text, actor_id, attrs, origin, created_at, updated_at FROM spans"
                               " WHERE text = 'Armenia' AND annotator = 'dewi' RETURNING id").fetchall()
        conn.execute("UPDATE links SET tail = ? WHERE annotator = 'dewi'", copy)
    conn.close()
    with Store(ours) as st:
        report = merge(st, theirs, by="rita")
        d0 = ids["000"]
        assert [(s.label, s.text) for s in st.spans(d0, "dewi")] == [("GPE", "Armenia"), ("CEASEFIRE", "gencatan senjata")]
        (link,) = st.links(d0, "dewi")
        assert st.get_span(link.tail).text == "Armenia" and report.links_added == 1


def test_merging_twice_changes_nothing(pair):
    ours, theirs, ids = pair
    offline_work(theirs, ids)
    with Store(ours) as st:
        merge(st, theirs, by="rita")
    before = dump(ours)
    with Store(ours) as st:
        report = merge(st, theirs, by="rita")
    assert not report.changed
    assert (report.pairs_added, report.pairs_same, report.documents_added) == (0, 2, 0)
    assert dump(ours) == before


def test_a_clash_is_reported_and_left_untouched(pair):
    ours, theirs, ids = pair
    d1 = ids["001"]
    with Store(ours) as st:
        st.add_span(d1, "ana", "entity", "GPE", *word(st, d1, "Armenia"))
        st.set_status(d1, "ana", "done")
        mine = spans_of(st, d1, "ana")
    with Store(theirs) as st:
        st.add_span(d1, "ana", "entity", "LOC", *word(st, d1, "Armenia"))
        st.add_span(d1, "ana", "entity", "GPE", *word(st, d1, "Azerbaijan"))
        st.set_status(d1, "ana", "flagged")
        # and some work that merges cleanly in another article
        st.add_span(ids["002"], "ana", "entity", "GPE", *word(st, ids["002"], "Armenia"))
    before = dump(ours)
    with Store(ours) as st:
        report = merge(st, theirs, by="rita")
        assert [(c.doc_id, c.annotator, c.ours, c.theirs) for c in report.clashes] == [(d1, "ana", 1, 2)]
        assert spans_of(st, d1, "ana") == mine
        assert st.progress(d1, "ana").status == "done"
        assert report.pairs_added == 1 and spans_of(st, ids["002"], "ana")[0][2] == "Armenia"
    after = dump(ours)
    assert [r for r in after["spans"] if r[1] == d1] == [r for r in before["spans"] if r[1] == d1]
    # the command says so, and exits 0: the merge did what it could
    result = CliRunner().invoke(main, ["--db", str(ours), "--annotator", "rita", "merge", str(theirs)])
    assert result.exit_code == 0, result.output
    assert "clashes: 1 (left untouched" in result.output
    assert f"{d1} ana: 1 span(s) here, 2 there" in result.output


def test_articles_are_matched_by_text_not_id(pair):
    ours, theirs, ids = pair
    with Store(ours) as st:
        text = st.get_document(ids["003"]).text
    theirs.unlink()
    with Store(theirs) as st:  # a database whose copy of the article has another id
        row = document_row(Article(text=text, title="judul lain"))
        row["id"] = "another-id"
        st.add_documents([row])
        st.add_span("another-id", "dewi", "entity", "PER", *word(st, "another-id", "Mike Pompeo"))
    with Store(ours) as st:
        report = merge(st, theirs, by="rita")
        assert (report.documents_added, report.documents_matched) == (0, 1)
        assert spans_of(st, ids["003"], "dewi") == [("entity", "PER", "Mike Pompeo", None, {})]
        assert st.count_documents() == 5


def test_an_article_only_here_is_left_alone(pair):
    ours, theirs, ids = pair
    with Store(ours) as st:
        import_articles(st, [Article(text=ONLY_THERE, title="hanya di sini")])
        here = st.find_document_by_text(ONLY_THERE)
        st.add_span(here, "ana", "entity", "PER", *word(st, here, "Jeyhun Bayramov"))
    offline = dump(theirs)
    with Store(ours) as st:
        report = merge(st, theirs, by="rita")
        assert (report.documents_added, report.documents_matched, report.pairs_added) == (0, 5, 0)
        assert spans_of(st, here, "ana") == [("entity", "PER", "Jeyhun Bayramov", None, {})]
    # the other database is read, not changed
    assert {k: v for k, v in dump(theirs).items()} == offline


def test_same_work_moves_status_forward_only(pair):
    ours, theirs, ids = pair
    d4 = ids["004"]
    for path, status in ((ours, None), (theirs, "done")):
        with Store(path) as st:
            st.add_span(d4, "ana", "entity", "GPE", *word(st, d4, "Armenia"))
            if status:
                st.set_status(d4, "ana", status)
    with Store(ours) as st:
        report = merge(st, theirs, by="rita")
        assert (report.pairs_same, report.statuses_updated, report.pairs_added) == (1, 1, 0)
        assert st.progress(d4, "ana").status == "done"
    # the other way round: done here is not moved back to doing
    with Store(ours) as st:
        st.set_status(d4, "ana", "flagged")
    with Store(ours) as st:
        report = merge(st, theirs, by="rita")
        assert st.progress(d4, "ana").status == "flagged"
        assert report.status_differences == [(d4, "ana", "flagged", "done")]


def test_verdicts_and_gold_come_along(pair):
    ours, theirs, ids = pair
    d0 = ids["000"]
    for path in (ours, theirs):
        with Store(path) as st:
            arm, aze = word(st, d0, "Armenia"), word(st, d0, "Azerbaijan")
            st.replace_suggestions("rules", {d0: [("entity", "GPE", *arm, 0.9), ("entity", "GPE", *aze, 0.9)]})
    with Store(theirs) as st:
        sugs = st.suggestions(d0, "dewi")
        st.accept_suggestions([sugs[0].id], "dewi")
        st.reject_suggestion(sugs[1].id, "dewi")
        st.add_span(d0, GOLD, "entity", "GPE", *arm, origin={"annotators": ["dewi"], "reviewer": "rita",
                                                           "from": "dewi"}, by="rita")
    with Store(ours) as st:
        report = merge(st, theirs, by="sari")
        assert report.verdicts_added == 2
        verdicts = {(s.start, s.verdict) for s in st.suggestions(d0, "dewi")}
        assert verdicts == {(arm[0], "accepted"), (aze[0], "rejected")}
        assert [s.origin["model"] for s in st.spans(d0, "dewi")] == ["rules"]
        (g,) = st.spans(d0, GOLD)
        assert g.origin == {"annotators": ["dewi"], "reviewer": "rita", "from": "dewi"}
        rows = st.db.query("SELECT DISTINCT annotator, by FROM journal WHERE action = 'merge' ORDER BY annotator")
        assert [(r["annotator"], r["by"]) for r in rows] == [("dewi", "dewi"), (GOLD, "sari")]
    before = dump(ours)
    with Store(ours) as st:
        assert not merge(st, theirs, by="sari").changed
    assert dump(ours) == before


def test_refusals_are_one_line_and_write_nothing(pair, tmp_path):
    ours, theirs, ids = pair
    runner = CliRunner()
    result = runner.invoke(main, ["--db", str(ours), "--annotator", "rita", "merge", str(ours)])
    assert result.exit_code == 1 and "that is this database" in result.output
    result = runner.invoke(main, ["--db", str(ours), "--annotator", "rita", "merge", str(tmp_path / "none.db")])
    assert result.exit_code == 1 and "no such database" in result.output
    (tmp_path / "junk.db").write_text("not a database")
    result = runner.invoke(main, ["--db", str(ours), "--annotator", "rita", "merge", str(tmp_path / "junk.db")])
    assert result.exit_code == 1 and "not a tandai database" in result.output
    # a label this database's scheme does not have: refused before anything is written
    with Store(theirs) as st:
        st.set_scheme(_scheme_with_extra_label(st))
        st.add_span(ids["000"], "dewi", "entity", "WEAPON", *word(st, ids["000"], "senjata"))
        st.add_span(ids["001"], "dewi", "entity", "GPE", *word(st, ids["001"], "Armenia"))
    before = dump(ours)
    result = runner.invoke(main, ["--db", str(ours), "--annotator", "rita", "merge", str(theirs)])
    assert result.exit_code == 1
    assert "entity label WEAPON (1 spans)" in result.output and "nothing was merged" in result.output
    assert "Traceback" not in result.output
    assert dump(ours) == before


def test_same_id_with_other_text_is_refused_before_writing(pair):
    ours, theirs, ids = pair
    with Store(theirs) as st:
        st.add_actors([Actor("NEW", "Aktor baru")])
        row = document_row(Article(text="Teks yang lain sama sekali.", title="lain"))
        row["id"] = ids["000"]  # an id this database gives to another text
        st.conn.execute("DELETE FROM documents WHERE id = ?", (ids["000"],))
        st.add_documents([row])
    before = dump(ours)
    with Store(ours) as st, pytest.raises(TandaiError, match="different text"):
        merge(st, theirs, by="rita")
    assert dump(ours) == before


def _scheme_with_extra_label(st: Store):
    from annotations.scheme import parse_scheme

    source = st.scheme.source.replace('{ name = "QUANTITY"', '{ name = "WEAPON" },\n  { name = "QUANTITY"', 1)
    scheme = parse_scheme(source)
    assert "WEAPON" in scheme.layers["entity"].label_names
    return scheme


def test_cli_summary(pair):
    ours, theirs, ids = pair
    offline_work(theirs, ids)
    runner = CliRunner()
    result = runner.invoke(main, ["--db", str(ours), "--annotator", "rita", "merge", str(theirs)])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == f"merged {theirs} into {ours}"
    assert "articles: 1 added, 5 matched by text" in lines
    assert "annotators: 1 added (dewi)" in lines
    assert "annotations: 2 article/annotator pair(s) brought in (3 spans, 1 links, 0 verdicts), 0 already the same" in lines
    assert "clashes: none" in lines
    result = runner.invoke(main, ["--db", str(ours), "--annotator", "rita", "merge", str(theirs)])
    assert result.exit_code == 0
    assert "annotations: 0 article/annotator pair(s) brought in (0 spans, 0 links, 0 verdicts), 2 already the same" \
        in result.output
    assert "nothing new" in result.output
