"""bench/model_in_loop.py: its gold store holds the pages' gold exactly, and a short run prints the comparison.

The run trains a few steps on the dev half and scores the dev half (never the
test half's pages here), checking the figures it prints against what it stored.
"""
from __future__ import annotations

import re

import pytest

from annotations.store import Store, document_id
from bench import model_in_loop
from bench.devcorpus import pages


def test_the_gold_store_holds_every_marked_dev_page_and_its_spans_done(tmp_path):
    db = tmp_path / "gold.db"
    articles, spans = model_in_loop.gold_store(db, "dev")
    marked = [page for page in pages("dev") if page.marked]
    assert articles == len(marked) + 1  # and seed 000
    with Store(db) as store:
        assert store.count_documents() == articles
        for page in marked:
            doc_id = document_id(page.body)
            assert store.get_document(doc_id).text == page.body
            stored = {(s.start, s.end, s.label) for s in store.spans(doc_id, model_in_loop.TRAINER)}
            assert stored == set(page.spans)
            assert store.progress(doc_id, model_in_loop.TRAINER).status == "done"
        assert sum(len(store.spans(d, model_in_loop.TRAINER)) for d in store.document_ids()) == spans


@pytest.mark.slow
def test_a_short_run_prints_rules_against_rules_plus_model_and_the_duplicates(capsys, tmp_path):
    code = model_in_loop.main(["--max-steps", "4", "--eval", "dev", "--keep", str(tmp_path / "m")])
    out = capsys.readouterr().out
    assert re.search(r"trained on the dev half \+ seed 000: \d+ articles, \d+ gold spans", out)
    # the rules first; the trained NER after them, or named as left out where it scored below the rules alone
    assert "entity_ruler" in out
    assert ("+ ner" in out) != ("left out: the model's entity component" in out)
    for heading in ("rules", "rules+model", "model alone", "entity F1", "trigger F1"):
        assert heading in out
    changes = [float(x) for x in re.findall(r"(?:entity|trigger) F1: rules \S+, rules\+model \S+ \((\S+)\)", out)]
    assert len(changes) == 2 and (code == 1) == any(c < 0 for c in changes) == ("WORSE" in out)
    before_twice, before, after_twice, after = (int(x) for x in re.search(
        r"(\d+) of (\d+) shown twice before merging, (\d+) of (\d+) after", out).groups())
    assert before_twice > 0 and after_twice == 0 and after == before - before_twice

    # the same model behind the rules again, without training: the same figures
    assert model_in_loop.main(["--eval", "dev", "--reuse", str(tmp_path / "m")]) == code
    again = capsys.readouterr().out
    assert f"the model in {tmp_path / 'm'} behind today's rules" in again
    assert again.split("scored on", 1)[1] == out.split("scored on", 1)[1]
