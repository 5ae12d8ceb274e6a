"""Agreement beyond spans: link F1, attribute and actor-id agreement, each against a hand computation."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from sklearn.metrics import cohen_kappa_score

from annotations.actors import seed_actors
from annotations.agreement import agreement
from test_agreement import TEXT, add_article, tok
from tui.cli import main

# tokens: 0 Menlu 1 Armenia 2 Ararat 3 Mirzoyan 4 bertemu 5 Menlu 6 Azerbaijan 7 Jeyhun 8 Bayramov 9 di
# 10 Moskow 11 .


def span(store, doc, name, layer, label, first, last, **extra) -> int:
    return store.add_span(doc, name, layer, label, *tok(store, doc, first, last), **extra).id


@pytest.fixture
def talks(store):
    """Ana and Budi both mark the meeting; Budi's first participant starts a token early, and where
    Ana has Moskow as the PLACE, Budi has it as a MEDIATOR."""
    doc = add_article(store, TEXT)
    for name, first_per, place_role in (("ana", 2, "PLACE"), ("budi", 1, "MEDIATOR")):
        event = span(store, doc, name, "event", "TALKS", 4, 4)
        one = span(store, doc, name, "entity", "PER", first_per, 3)
        two = span(store, doc, name, "entity", "PER", 7, 8)
        city = span(store, doc, name, "entity", "GPE", 10, 10)
        store.add_link(event, one, "PARTICIPANT", name)
        store.add_link(event, two, "PARTICIPANT", name)
        store.add_link(event, city, place_role, name)
        store.set_status(doc, name, "done")
    return store, doc


def test_link_f1_exact_and_overlap(talks):
    store, _ = talks
    pair = agreement(store).layers["event"].pairs[("ana", "budi")]
    links = pair.relations.links
    # PARTICIPANT: 2 links each; exact: only the Jeyhun Bayramov link has both ends identical (1 match);
    # overlap: "Ararat Mirzoyan" and "Armenia Ararat Mirzoyan" are matched spans, so both links match.
    assert (links["PARTICIPANT"].spans_a, links["PARTICIPANT"].spans_b) == (2, 2)
    assert links["PARTICIPANT"].f1_exact == pytest.approx(2 * 1 / 4)
    assert links["PARTICIPANT"].f1_overlap == pytest.approx(2 * 2 / 4)
    # the same ends under another role match nothing
    assert (links["PLACE"].spans_a, links["PLACE"].spans_b, links["PLACE"].f1_overlap) == (1, 0, 0.0)
    assert (links["MEDIATOR"].spans_a, links["MEDIATOR"].spans_b, links["MEDIATOR"].f1_overlap) == (0, 1, 0.0)
    # pooled over roles: 6 links, 1 exact match, 2 overlap matches
    summary = agreement(store).pair_summaries()[0]
    assert summary.links.f1_exact == pytest.approx(2 / 6) and summary.links.f1_overlap == pytest.approx(4 / 6)
    # links live with their head's layer: no entity links
    assert agreement(store).layers["entity"].pairs[("ana", "budi")].relations.links == {}


def test_links_with_layer_filter_still_find_their_arguments(talks):
    store, _ = talks
    links = agreement(store, layer="event").layers["event"].pairs[("ana", "budi")].relations.links
    assert links["PARTICIPANT"].overlap == 2


def test_attribute_kappa_on_matched_spans(store):
    doc = add_article(store, TEXT)
    ana = ["asserted", "asserted", "claimed", "claimed", None]
    budi = ["asserted", "claimed", "claimed", None, None]
    for first, va, vb in zip((0, 2, 4, 6, 8), ana, budi):
        # Budi's fourth event is a token longer: matched by overlap all the same
        span(store, doc, "ana", "event", "ATTACK", first, first, attrs={"modality": va} if va else {})
        span(store, doc, "budi", "event", "ATTACK", first, first + (first == 6), attrs={"modality": vb} if vb else {})
    span(store, doc, "ana", "event", "ATTACK", 10, 10, attrs={"modality": "asserted"})  # Budi has none: unmatched
    for name in ("ana", "budi"):
        store.set_status(doc, name, "done")
    scores = agreement(store).layers["event"].pairs[("ana", "budi")].relations.attributes
    assert list(scores) == ["modality"]  # polarity: set by neither, so not counted
    modality = scores["modality"]
    # 4 pairs where either set it (the fifth: neither): (as,as) (as,cl) (cl,cl) (cl,-)
    # p_o = 2/4; p_e = (2*1 + 2*2 + 0*1) / 16 = 6/16; kappa = (0.5 - 0.375) / 0.625 = 0.2
    assert (modality.pairs, modality.same) == (4, 2)
    assert modality.agreement == pytest.approx(0.5)
    assert modality.kappa == pytest.approx(0.2)
    assert modality.kappa == pytest.approx(cohen_kappa_score(["as", "as", "cl", "cl"], ["as", "cl", "cl", "-"]))


def test_actor_id_agreement_per_label(store):
    seed_actors(store)
    doc = add_article(store, TEXT)
    for name, azerbaijan, jeyhun in (("ana", "AZE_GOV", "AZE_GOV"), ("budi", "AZE_MIL", None)):
        span(store, doc, name, "entity", "GPE", 1, 1, actor_id="ARM_GOV")
        span(store, doc, name, "entity", "GPE", 6, 6, actor_id=azerbaijan)
        span(store, doc, name, "entity", "GPE", 10, 10)  # neither linked an actor: not counted
        span(store, doc, name, "entity", "PER", 7, 8, actor_id=jeyhun)
        store.set_status(doc, name, "done")
    actors = agreement(store).layers["entity"].pairs[("ana", "budi")].relations.actors
    # GPE: (ARM_GOV, ARM_GOV), (AZE_GOV, AZE_MIL): same 1 of 2; p_e = 1*1/4; kappa = (0.5-0.25)/0.75 = 1/3
    assert (actors["GPE"].pairs, actors["GPE"].same) == (2, 1)
    assert actors["GPE"].kappa == pytest.approx(1 / 3)
    # PER: Ana linked an actor, Budi none: 1 pair, none alike, kappa 0
    assert (actors["PER"].pairs, actors["PER"].same, actors["PER"].agreement) == (1, 0, 0.0)
    assert actors["PER"].kappa == pytest.approx(0.0)


def test_cli_json_carries_every_figure_and_table_shows_them(talks, seeded_path):
    store, doc = talks
    store.close()
    runner = CliRunner()
    result = runner.invoke(main, ["--db", str(seeded_path), "agreement", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    event = data["layers"]["event"]
    assert event["links"]["PARTICIPANT"] == {"f1_exact": 0.5, "f1_overlap": 1.0, "links_a": 2, "links_b": 2,
                                             "exact_matches": 1, "overlap_matches": 2}
    assert event["pairs"][0]["links"]["MEDIATOR"]["links_b"] == 1
    assert data["pairs"][0]["links"]["f1_overlap"] == round(4 / 6, 4)
    assert set(data["pairs"][0]) >= {"spans", "links", "attributes", "actors"}
    text = runner.invoke(main, ["--db", str(seeded_path), "agreement"]).output
    words = next(line for line in text.splitlines() if line.split()[:1] == ["links"]).split()
    assert dict(zip(words[1::2], words[2::2])) == {"MEDIATOR": "0.000", "PARTICIPANT": "1.000", "PLACE": "0.000"}
    assert "event: modality" not in text and "actor ids" not in text  # none set: no line
    pair_row = next(line for line in text.splitlines() if line.startswith("ana/budi"))
    assert pair_row.split()[2] == f"{4 / 6:.3f}"
    detail = runner.invoke(main, ["--db", str(seeded_path), "agreement", "--by-pair"]).output
    assert any(line.split()[:4] == ["event", "link", "MEDIATOR", "ana/budi"] for line in detail.splitlines())
