"""Roles are checked against the scheme: what each role accepts, self-links and cycles, in the store,
in a user's scheme, on import and merge, and in brat's annotation.conf."""
from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from annotations.errors import TandaiError
from annotations.export.brat import annotation_conf
from annotations.scheme import load_scheme, parse_scheme
from annotations.store import Store
from tui.cli import main

from conftest import copy_database
from test_merge import dump, word

DEFAULT = load_scheme()


def loosened(source: str, role_line: str, new_line: str) -> str:
    assert role_line in source, role_line
    return source.replace(role_line, new_line, 1)


def test_the_default_scheme_lists_what_each_role_accepts():
    expected = {("event", "AGENT"): "PER, ORG, GPE or NORP", ("event", "PLACE"): "GPE, LOC or FAC",
                ("event", "TIME"): "DATE", ("event", "COUNT"): "QUANTITY", ("event", "INSTRUMENT"): "any entity",
                ("claim", "CLAIMANT"): "PER, ORG, GPE or NORP", ("claim", "ABOUT"): "any event"}
    for (layer, role), text in expected.items():
        assert DEFAULT.accepts_text(layer, role) == text
    assert DEFAULT.fits("claim", "ABOUT", "event", "ATTACK") and not DEFAULT.fits("claim", "ABOUT", "claim", "DENIAL")
    assert DEFAULT.fits("event", "INSTRUMENT", "entity", "FAC") and not DEFAULT.fits("event", "TIME", "entity", "GPE")


@pytest.mark.parametrize("change, message", [
    (('accepts = ["DATE"]', 'accepts = ["DATUM"]'), "role TIME accepts 'DATUM', which is neither a layer nor a label"),
    (('accepts = ["DATE"]', 'accepts = "DATE"'), "role TIME accepts must be a list of names"),
    (('accepts = ["DATE"]', 'accepts = ["DATE", "DATE"]'), "role TIME accepts lists DATE twice"),
    (('{ name = "TIME", accepts', '{ name = "AGENT", accepts'), "roles lists AGENT twice"),
    (('{ name = "TIME", accepts = ["DATE"] }', '{ accepts = ["DATE"] }'), "a role name in [layers.event]"),
])
def test_a_scheme_with_a_bad_role_is_refused_in_one_line(change, message):
    with pytest.raises(TandaiError) as info:
        parse_scheme(loosened(DEFAULT.source, *change), "my.toml")
    assert str(info.value).startswith("my.toml: ") and message in str(info.value) and "\n" not in str(info.value)


def test_a_bare_role_name_accepts_any_span():
    scheme = parse_scheme(loosened(DEFAULT.source, '{ name = "TIME", accepts = ["DATE"] }', '"TIME"'))
    assert scheme.fits("event", "TIME", "entity", "GPE") and scheme.accepts_text("event", "TIME") == "any span"


@pytest.fixture
def case(store, seed_ids):
    d0 = seed_ids["000"]
    spans = {
        "attack": store.add_span(d0, "alice", "event", "ATTACK", *word(store, d0, "pertempuran")),
        "armenia": store.add_span(d0, "alice", "entity", "GPE", *word(store, d0, "Armenia")),
        "days": store.add_span(d0, "alice", "entity", "DATE", *word(store, d0, "lima hari terakhir")),
        "claim": store.add_span(d0, "alice", "claim", "STATEMENT", *word(store, d0, "sekali lagi telah sepakati")),
        "claim2": store.add_span(d0, "alice", "claim", "DENIAL", *word(store, d0, "gencatan senjata", 1)),
    }
    return store, spans


def test_the_store_refuses_a_link_the_role_does_not_accept(case):
    store, s = case
    with pytest.raises(TandaiError, match="^TIME takes DATE, not GPE$"):
        store.add_link(s["attack"].id, s["armenia"].id, "TIME", "alice")
    with pytest.raises(TandaiError, match="^ABOUT takes any event, not DENIAL$"):
        store.add_link(s["claim"].id, s["claim2"].id, "ABOUT", "alice")
    with pytest.raises(TandaiError, match="linked to itself"):
        store.add_link(s["attack"].id, s["attack"].id, "AGENT", "alice")
    store.add_link(s["attack"].id, s["days"].id, "TIME", "alice")
    store.add_link(s["attack"].id, s["armenia"].id, "AGENT", "alice")
    assert [(link.role, link.tail) for link in store.links(s["attack"].doc_id, "alice")] == [
        ("TIME", s["days"].id), ("AGENT", s["armenia"].id)]


def test_the_store_refuses_a_cycle(case):
    store, s = case
    # a scheme where a claim may be about a claim: then one about the other and back would be a cycle
    store.set_scheme(parse_scheme(loosened(store.scheme.source, 'accepts = ["event"]', 'accepts = ["event", "claim"]')))
    store.add_link(s["claim"].id, s["claim2"].id, "ABOUT", "alice")
    with pytest.raises(TandaiError, match="would close a cycle"):
        store.add_link(s["claim2"].id, s["claim"].id, "ABOUT", "alice")
    assert len(store.links(s["claim"].doc_id, "alice")) == 1


def test_unlink_removes_the_links_between_two_spans_in_one_undo_step(case):
    store, s = case
    store.add_link(s["attack"].id, s["armenia"].id, "AGENT", "alice")
    store.add_link(s["attack"].id, s["armenia"].id, "TARGET", "alice")
    assert store.unlink(s["attack"].id, s["armenia"].id, "alice") == ["AGENT", "TARGET"]
    assert store.links(s["attack"].doc_id, "alice") == [] and store.spans(s["attack"].doc_id, "alice")
    store.undo("alice", s["attack"].doc_id)
    assert len(store.links(s["attack"].doc_id, "alice")) == 2
    assert store.delete_span(s["armenia"].id, "alice") == 2


def test_old_links_that_break_the_rules_stay_and_open(seeded_path, seed_ids, tmp_path):
    """A database made before the roles were checked (a link row written as any SQLite tool would) opens,
    keeps the row, and still takes new links."""
    d0 = seed_ids["000"]
    with Store(seeded_path) as store:
        attack = store.add_span(d0, "alice", "event", "ATTACK", *word(store, d0, "pertempuran"))
        armenia = store.add_span(d0, "alice", "entity", "GPE", *word(store, d0, "Armenia"))
        days = store.add_span(d0, "alice", "entity", "DATE", *word(store, d0, "lima hari terakhir"))
    conn = sqlite3.connect(seeded_path)
    with conn:
        conn.execute("INSERT INTO links (doc_id, annotator, head, tail, role, created_at) VALUES (?, 'alice', ?, ?,"
                     " 'TIME', '2020-01-01')", (d0, attack.id, armenia.id))
    conn.close()
    with Store(seeded_path) as store:
        assert [link.role for link in store.links(d0, "alice")] == ["TIME"]
        store.add_link(attack.id, days.id, "TIME", "alice")
        assert len(store.links(d0, "alice")) == 2


def test_merge_refuses_links_the_roles_do_not_accept_in_one_line(seeded_path, seed_ids, tmp_path):
    theirs = tmp_path / "offline.db"
    copy_database(seeded_path, theirs)
    d0 = seed_ids["000"]
    with Store(theirs) as st:
        attack = st.add_span(d0, "dewi", "event", "ATTACK", *word(st, d0, "pertempuran"))
        armenia = st.add_span(d0, "dewi", "entity", "GPE", *word(st, d0, "Armenia"))
        st.conn.execute("INSERT INTO links (doc_id, annotator, head, tail, role, created_at) VALUES (?, 'dewi', ?, ?,"
                        " 'TIME', '2020-01-01')", (d0, attack.id, armenia.id))
        st.conn.commit()
    before = dump(seeded_path)
    result = CliRunner().invoke(main, ["--db", str(seeded_path), "--annotator", "rita", "merge", str(theirs)])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "event TIME takes DATE, not GPE (1 links)" in result.output and "nothing was merged" in result.output
    assert len(result.output.strip().splitlines()) == 1
    assert dump(seeded_path) == before


def test_import_refuses_a_relation_the_role_does_not_accept_in_one_line(tmp_path):
    text = "Pasukan Armenia menyerang Stepanakert pada Senin."
    attack, armenia = {"start": 16, "end": 25, "label": "ATTACK"}, {"start": 8, "end": 15, "label": "GPE"}
    task = {"text": text, "spans": [attack, armenia], "answer": "accept",
            "relations": [{"head_span": attack, "child_span": armenia, "label": "TIME"}]}
    path = tmp_path / "t.jsonl"
    path.write_text(json.dumps(task) + "\n", "utf-8")
    db = tmp_path / "t.db"
    result = CliRunner().invoke(main, ["--db", str(db), "--annotator", "ana", "import", str(path),
                                       "--format", "prodigy"])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "t.jsonl:1: TIME takes DATE, not GPE" in result.output
    with Store(db) as store:
        assert store.conn.execute("SELECT count(*) FROM spans").fetchone()[0] == 0


def test_brat_conf_lists_each_role_with_the_types_it_accepts():
    events = {}
    for line in annotation_conf(DEFAULT).split("[events]")[1].split("[attributes]")[0].splitlines():
        if "\t" in line:
            label, args = line.split("\t")
            events[label] = dict(arg.strip().split(":") for arg in args.split(","))
    assert events["ATTACK"]["AGENT*"] == "PER|ORG|GPE|NORP" and events["ATTACK"]["TIME*"] == "DATE"
    assert events["ATTACK"]["INSTRUMENT*"] == "|".join(DEFAULT.layer("entity").label_names)
    assert events["DEMAND"]["ABOUT*"] == "|".join(DEFAULT.layer("event").label_names)
    assert events["DEMAND"]["CLAIMANT*"] == "PER|ORG|GPE|NORP"


def test_relabelling_an_argument_to_what_its_role_refuses_is_refused(case):
    store, s = case
    store.add_link(s["attack"].id, s["armenia"].id, "AGENT", "alice")
    store.update_span(s["armenia"].id, "alice", label="ORG")  # AGENT takes an ORG too
    with pytest.raises(TandaiError, match=r"^ORG → DATE would break the link ATTACK —AGENT→ “Armenia” \(AGENT takes"
                                          r" PER, ORG, GPE or NORP, not DATE\); unlink it first$"):
        store.update_span(s["armenia"].id, "alice", label="DATE")
    assert {sp.label for sp in store.spans(s["armenia"].doc_id, "alice") if sp.id == s["armenia"].id} == {"ORG"}
