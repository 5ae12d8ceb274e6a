"""events-csv in ACLED's shape, read back with ``csv`` against a table written out by hand.

The fixture article is built through the Store API: events with dates said
the ways Indonesian news says them, counts in digits and words, actors linked
to the registry and not, two claims about one event, and an article whose
title and sentences would run as spreadsheet formulas. The helpers that read
dates and counts are checked on their own below.
"""
from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest

from annotations.corpus import Article, import_articles
from annotations.errors import TandaiError
from annotations.export import export
from annotations.indonesian import count_value, resolve_date
from annotations.scheme import parse_scheme, default_scheme_text
from annotations.store import Store

from test_export_helpers import ACTORS, find

WHO = "ana"
TEXT = (
    "Kementerian Pertahanan Armenia mengatakan pasukan Azerbaijan menembaki tentara Armenia di Stepanakert"
    " pada Senin (26/10), menewaskan tiga tentara.\n"
    "Baku membantah dan menuduh pasukan Armenia menyerang Ganja, Azerbaijan, kemarin.\n"
    "Pertempuran pekan lalu menewaskan hampir 5.000 orang, kata Putin.\n"
    "Gencatan senjata disepakati pada 26 Oktober 2020 di Washington oleh Armenia dan Azerbaijan.\n"
    "Puluhan warga sipil tewas dalam serangan milisi Karabakh di Martuni.\n"
)
FORMULA_TEXT = "=1+1 kata blogger.\n- Tiga hari lalu, drone menyerang Lachin.\n"

# The hand-made expected table: one row per event and claim, in text order (publication 2020-10-28, a Wednesday).
COLUMNS = ["tandai_event_type", "trigger", "event_date", "time_precision", "event_type", "sub_event_type", "actor1",
           "assoc_actor_1", "inter1", "actor2", "inter2", "interaction", "iso", "country", "location", "fatalities",
           "count", "claim", "claimant", "claim_target", "claim_stance"]
CLAIM1 = "pasukan Azerbaijan menembaki tentara Armenia di Stepanakert"
EXPECTED = [
    ("ATTACK", "menembaki", "2020-10-26", "1", "Battles", "Armed clash", "Azerbaijani armed forces", "", "1",
     "Armenian armed forces", "1", "11", "", "", "Stepanakert", "3", "tiga tentara",
     CLAIM1, "Kementerian Pertahanan Armenia", "pasukan Azerbaijan", "affirm"),
    ("ATTACK", "menembaki", "2020-10-26", "1", "Battles", "Armed clash", "Azerbaijani armed forces", "", "1",
     "Armenian armed forces", "1", "11", "", "", "Stepanakert", "3", "tiga tentara",
     "membantah", "Baku", "", "refute"),
    ("ATTACK", "menyerang", "2020-10-27", "1", "Battles", "Armed clash", "Armenian armed forces", "", "1",
     "", "", "10", "31", "Azerbaijan", "Ganja", "", "", "", "", "", ""),
    ("ATTACK", "Pertempuran", "2020-10-21", "2", "Battles", "Armed clash", "", "", "", "", "", "", "", "", "", "5000",
     "hampir 5.000 orang", "", "", "", ""),
    ("CEASEFIRE", "Gencatan senjata", "2020-10-26", "1", "Strategic developments", "Agreement",
     "Armenian government", "Azerbaijani government", "1", "", "", "10", "", "", "Washington", "", "",
     "", "", "", ""),
    ("CASUALTIES", "tewas", "", "", "", "", "milisi Karabakh", "", "", "", "", "", "", "", "Martuni", "",
     "Puluhan warga sipil", "", "", "", ""),
]


def build_case(path: Path) -> Store:
    store = Store(path)
    store.add_actors(ACTORS)
    import_articles(store, [
        Article(text=TEXT, title="Serangan dan gencatan senjata", source="Kompas", url="https://example.id/a",
                published="2020-10-28"),
        Article(text=FORMULA_TEXT, title='=HYPERLINK("http://evil.example","klik")', source="@blog",
                url="-2+3", published="2020-10-28"),
    ])
    doc = store.find_document_by_text(TEXT)

    def span(layer, label, words, actor=None, nth=0, **attrs):
        return store.add_span(doc, WHO, layer, label, *find(TEXT, words, nth), actor_id=actor, attrs=attrs or None)

    def link(head, role, *tails):
        for tail in tails:
            store.add_link(head.id, tail.id, role, WHO)

    aze_forces = span("entity", "ORG", "pasukan Azerbaijan", "AZE_MIL")
    attack = span("event", "ATTACK", "menembaki", modality="claimed")
    link(attack, "AGENT", aze_forces)
    link(attack, "TARGET", span("entity", "ORG", "tentara Armenia", "ARM_MIL"))
    link(attack, "PLACE", span("entity", "GPE", "Stepanakert"))
    link(attack, "TIME", span("entity", "DATE", "Senin (26/10)"))
    link(attack, "COUNT", span("entity", "QUANTITY", "tiga tentara"))
    accusation = span("claim", "ACCUSATION", CLAIM1, stance="affirm")
    link(accusation, "CLAIMANT", span("entity", "ORG", "Kementerian Pertahanan Armenia", "ARM_MIL"))
    link(accusation, "TARGET", aze_forces)
    link(accusation, "ABOUT", attack)
    denial = span("claim", "DENIAL", "membantah", stance="refute")
    link(denial, "CLAIMANT", span("entity", "GPE", "Baku", "AZE_GOV"))
    link(denial, "ABOUT", attack)

    ganja = span("event", "ATTACK", "menyerang")
    link(ganja, "AGENT", span("entity", "ORG", "pasukan Armenia", "ARM_MIL"))
    link(ganja, "PLACE", span("entity", "GPE", "Ganja"), span("entity", "GPE", "Azerbaijan", "AZE_GOV", nth=1))
    link(ganja, "TIME", span("entity", "DATE", "kemarin"))

    battle = span("event", "ATTACK", "Pertempuran")
    link(battle, "TIME", span("entity", "DATE", "pekan lalu"))
    link(battle, "COUNT", span("entity", "QUANTITY", "hampir 5.000 orang"))

    truce = span("event", "CEASEFIRE", "Gencatan senjata")
    link(truce, "TIME", span("entity", "DATE", "26 Oktober 2020"))
    link(truce, "PLACE", span("entity", "GPE", "Washington"))
    link(truce, "AGENT", span("entity", "GPE", "Armenia", "ARM_GOV", nth=3),
         span("entity", "GPE", "Azerbaijan", "AZE_GOV", nth=2))

    dead = span("event", "CASUALTIES", "tewas")
    link(dead, "COUNT", span("entity", "QUANTITY", "Puluhan warga sipil"))
    link(dead, "AGENT", span("entity", "ORG", "milisi Karabakh"))
    link(dead, "PLACE", span("entity", "GPE", "Martuni"))
    store.set_status(doc, WHO, "done")

    other = store.find_document_by_text(FORMULA_TEXT)
    drone = store.add_span(other, WHO, "event", "ATTACK", *find(FORMULA_TEXT, "menyerang"))
    when = store.add_span(other, WHO, "entity", "DATE", *find(FORMULA_TEXT, "Tiga hari lalu"))
    store.add_link(drone.id, when.id, "TIME", WHO)
    store.set_status(other, WHO, "done")
    return store


@pytest.fixture(scope="module")
def table(tmp_path_factory) -> tuple[list[str], list[dict[str, str]]]:
    tmp = tmp_path_factory.mktemp("events")
    with build_case(tmp / "case.db") as store:
        export(store, "events-csv", str(tmp / "events.csv"), annotator=WHO)
    with open(tmp / "events.csv", newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        rows = list(reader)
        return list(reader.fieldnames or []), rows


def case_rows(rows: list[dict[str, str]]) -> list[dict[str, str]]:
    return [r for r in rows if r["title"] == "Serangan dan gencatan senjata"]


def test_acled_columns_come_first_with_acled_names(table):
    header, _ = table
    assert header[:19] == ["event_id", "event_date", "time_precision", "event_type", "sub_event_type", "actor1",
                           "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2", "interaction", "iso",
                           "country", "location", "fatalities", "source", "source_url", "notes"]
    assert {"tandai_event_type", "trigger", "start", "end", "modality", "claim", "claimant"} <= set(header[19:])


def test_rows_match_the_hand_made_table(table):
    _, rows = table
    got = [tuple(r[c] for c in COLUMNS) for r in case_rows(rows)]
    assert got == EXPECTED


def test_each_claim_keeps_its_own_claimant_target_and_stance(table):
    """Two claims about one event: each on its own row, never joined with the other's cells."""
    _, rows = table
    about_attack = [r for r in case_rows(rows) if r["trigger"] == "menembaki"]
    assert {(r["claim"], r["claim_type"], r["claimant"], r["claim_target"], r["claim_stance"])
            for r in about_attack} == {
        (CLAIM1, "ACCUSATION", "Kementerian Pertahanan Armenia", "pasukan Azerbaijan", "affirm"),
        ("membantah", "DENIAL", "Baku", "", "refute"),
    }


def test_event_id_source_and_notes(table):
    _, rows = table
    with_claims = [r for r in case_rows(rows) if r["trigger"] == "menembaki"]
    assert len({r["event_id"] for r in with_claims}) == 1 and with_claims[0]["event_id"].isdigit()
    assert len({r["event_id"] for r in case_rows(rows)}) == 5
    first = with_claims[0]
    assert (first["source"], first["source_url"], first["published"]) == ("Kompas", "https://example.id/a",
                                                                          "2020-10-28")
    assert first["notes"] == ("Kementerian Pertahanan Armenia mengatakan pasukan Azerbaijan menembaki tentara Armenia"
                              " di Stepanakert pada Senin (26/10), menewaskan tiga tentara.")
    assert first["claimant_actor_ids"] == "ARM_MIL" and first["modality"] == "claimed"
    truce = next(r for r in case_rows(rows) if r["tandai_event_type"] == "CEASEFIRE")
    assert truce["agent"] == "Armenia | Azerbaijan" and truce["agent_actor_ids"] == "ARM_GOV | AZE_GOV"


def test_cells_that_would_run_as_formulas_are_neutralised(table):
    _, rows = table
    (row,) = [r for r in rows if r["trigger"] == "menyerang" and r["source"] == "'@blog"]
    assert row["title"] == "'=HYPERLINK(\"http://evil.example\",\"klik\")"
    assert row["source"] == "'@blog"
    assert row["source_url"] == "'-2+3"  # a sum, not a plain number
    assert row["notes"] == "'- Tiga hari lalu, drone menyerang Lachin."
    assert (row["event_date"], row["time_precision"]) == ("2020-10-25", "1")


@pytest.mark.parametrize("cell, shown", [
    ("=1+1", "'=1+1"), ("+62 812", "'+62 812"), ("-2+3", "'-2+3"), ("@SUM(A1)", "'@SUM(A1)"), ("\tx", "'\tx"),
    ("\rx", "'\rx"), ("-3", "-3"), ("+5", "+5"), ("-1.500,5", "-1.500,5"), ("Stepanakert", "Stepanakert"),
    ("", ""), (None, ""), (-3, -3),
])
def test_safe_cell(cell, shown):
    from annotations.export.events_csv import safe_cell

    assert safe_cell(cell) == shown


# -- reading dates and counts ---------------------------------------------------------------------------


@pytest.mark.parametrize("text, published, expected", [
    ("Senin (26/10)", "2020-10-28", (date(2020, 10, 26), 1)),
    ("Senin (26/10/2020)", None, (date(2020, 10, 26), 1)),
    ("Senin (26/10)", None, None),  # no year and no publication date
    ("Selasa (29/12)", "2021-01-02", (date(2020, 12, 29), 1)),  # the nearest year
    ("kemarin", "2020-10-28T09:15:00+07:00", (date(2020, 10, 27), 1)),
    ("kemarin lusa", "2020-10-28", (date(2020, 10, 26), 1)),
    ("pekan lalu", "2020-10-28", (date(2020, 10, 21), 2)),
    ("dua minggu yang lalu", "2020-10-28", (date(2020, 10, 14), 2)),
    ("tiga hari lalu", "2020-10-28", (date(2020, 10, 25), 1)),
    ("hari ini", "2020-10-28", (date(2020, 10, 28), 1)),
    ("26 Oktober 2020", None, (date(2020, 10, 26), 1)),
    ("1 Agt", "2020-10-28", (date(2020, 8, 1), 1)),
    ("Minggu", "2020-10-28", (date(2020, 10, 25), 1)),
    ("Rabu", "2020-10-28", (date(2020, 10, 28), 1)),
    ("31/2", "2020-10-28", None),
    ("bulan depan", "2020-10-28", None),
    ("kemarin", None, None),
])
def test_resolve_date(text, published, expected):
    assert resolve_date(text, published) == expected


@pytest.mark.parametrize("text, expected", [
    ("hampir 5.000 orang", 5000), ("tiga tentara", 3), ("puluhan", None), ("Puluhan warga sipil", None),
    ("5 warga sipil", 5), ("sedikitnya 31 orang", 31), ("dua ratus lima puluh tiga", 253),
    ("seratus lima puluh", 150), ("dua belas", 12), ("sebelas orang", 11), ("lima ribu orang", 5000),
    ("1,5 juta", 1_500_000), ("satu juta lima ratus ribu", 1_500_000), ("3-5 orang", 3), ("1.000-an orang", None),
    ("ratusan ribu", None), ("beberapa tentara", None), ("korban", None), ("2,5 orang", None),
])
def test_count_value(text, expected):
    assert count_value(text) == expected


def test_scheme_refuses_an_acled_type_acled_does_not_have():
    text = default_scheme_text().replace('sub_event_type = "Agreement"', 'sub_event_type = "Handshake"')
    with pytest.raises(TandaiError, match="sub_event_type 'Handshake' is not one of Strategic developments"):
        parse_scheme(text, "my.toml")
    text = default_scheme_text().replace("IGO = 8", "IGO = 9")
    with pytest.raises(TandaiError, match="inter codes 1-8"):
        parse_scheme(text, "my.toml")
