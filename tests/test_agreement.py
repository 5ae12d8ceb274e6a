"""Agreement figures: hand-computed cases, scikit-learn and krippendorff on the same data, and the CLI."""
from __future__ import annotations

import json
import random
from itertools import combinations

import krippendorff
import numpy as np
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sklearn.metrics import cohen_kappa_score

from annotations.agreement import (
    AlphaCounts,
    agreement,
    cohen_kappa,
    krippendorff_alpha,
    overlap_matches,
    span_scores,
    token_labels,
)
from annotations.corpus import Article, import_articles
from annotations.store import Store
from tui.cli import main

# 12 tokens: Menlu Armenia Ararat Mirzoyan bertemu Menlu Azerbaijan Jeyhun Bayramov di Moskow .
TEXT = "Menlu Armenia Ararat Mirzoyan bertemu Menlu Azerbaijan Jeyhun Bayramov di Moskow ."


def add_article(store: Store, text: str = TEXT, title: str = "uji") -> str:
    import_articles(store, [Article(text=text, title=title)])
    return store.find_document_by_text(text)


def tok(store: Store, doc_id: str, first: int, last: int) -> tuple[int, int]:
    """Offsets of tokens first..last (inclusive)."""
    tokens = store.get_document(doc_id).tokens
    return tokens[first][0], tokens[last][1]


def annotate(store: Store, doc_id: str, name: str, spans: list[tuple[str, int, int]], layer: str = "entity",
             done: bool = True) -> None:
    for label, first, last in spans:
        store.add_span(doc_id, name, layer, label, *tok(store, doc_id, first, last))
    if done:
        store.set_status(doc_id, name, "done")


@pytest.fixture
def tiny(store):
    doc = add_article(store)
    assert len(store.get_document(doc).tokens) == 12
    return store, doc


def entity(report):
    return report.layers["entity"]


def labels_of(store, doc, name, layer="entity"):
    spans = [(s.label, s.start, s.end) for s in store.spans(doc, name, layer)]
    return token_labels(store.get_document(doc).tokens, spans)


def reliability(store, doc, names, layer="entity"):
    """The krippendorff package's input: one row per annotator, label codes, nan where missing."""
    rows = [labels_of(store, doc, n, layer) for n in names]
    codes = {v: i for i, v in enumerate(sorted({v for r in rows for v in r}))}
    return np.array([[codes[v] for v in r] for r in rows], dtype=float)


# -- hand-computed cases ---------------------------------------------------------------------------


def test_perfect_agreement(tiny):
    store, doc = tiny
    for name in ("ana", "budi"):
        annotate(store, doc, name, [("PER", 2, 3), ("PER", 7, 8), ("GPE", 10, 10)])
    layer = entity(agreement(store))
    pair = layer.pairs[("ana", "budi")]
    assert pair.total.f1_exact == 1.0 and pair.total.f1_overlap == 1.0
    assert pair.labels["PER"].spans == 4 and pair.labels["GPE"].spans == 2
    assert pair.kappa == 1.0 and pair.tokens == 12
    assert layer.alpha == 1.0 and layer.alpha_counts.units == 12


def test_no_agreement(tiny):
    store, doc = tiny
    annotate(store, doc, "ana", [("PER", 2, 3)])
    annotate(store, doc, "budi", [("GPE", 10, 10)])
    layer = entity(agreement(store))
    pair = layer.pairs[("ana", "budi")]
    assert pair.labels["PER"].f1_exact == 0.0 and pair.labels["GPE"].f1_overlap == 0.0
    assert pair.total.exact == pair.total.overlap == 0
    # tokens: ana O*10 PER*2, budi O*11 GPE*1; both O on 9 of 12
    assert pair.kappa == pytest.approx((9 / 12 - 110 / 144) / (1 - 110 / 144))  # -2/34
    assert pair.kappa == pytest.approx(-2 / 34)
    # n = 24: O 21, PER 2, GPE 1; three units disagree (2 each)
    assert layer.alpha == pytest.approx(1 - 23 * 6 / (24 * 24 - 21 * 21 - 4 - 1))  # -0.0615
    assert layer.alpha == pytest.approx(kripp(store, doc, ["ana", "budi"]))
    assert pair.kappa == pytest.approx(cohen_kappa_score(labels_of(store, doc, "ana"), labels_of(store, doc, "budi")))


def test_boundary_disagreement(tiny):
    store, doc = tiny
    annotate(store, doc, "ana", [("PER", 2, 3), ("PER", 7, 8), ("GPE", 10, 10)])
    annotate(store, doc, "budi", [("PER", 1, 3), ("PER", 7, 8), ("GPE", 10, 10)])  # "Armenia Ararat Mirzoyan"
    layer = entity(agreement(store))
    pair = layer.pairs[("ana", "budi")]
    per = pair.labels["PER"]
    assert (per.spans_a, per.spans_b, per.exact, per.overlap) == (2, 2, 1, 2)
    assert per.f1_exact == 0.5 and per.f1_overlap == 1.0
    assert pair.total.f1_exact == pytest.approx(4 / 6) and pair.total.f1_overlap == 1.0
    assert pair.kappa == pytest.approx(69 / 81)  # p_o 11/12, p_e 63/144
    assert layer.alpha == pytest.approx(6 / 7)  # 1 - 23 * 2 / 322
    assert pair.kappa == pytest.approx(cohen_kappa_score(labels_of(store, doc, "ana"), labels_of(store, doc, "budi")))
    assert layer.alpha == pytest.approx(kripp(store, doc, ["ana", "budi"]))


def test_labels_from_only_one_side(tiny):
    store, doc = tiny
    annotate(store, doc, "ana", [("PER", 2, 3), ("GPE", 10, 10)])
    annotate(store, doc, "budi", [("PER", 2, 3)])
    layer = entity(agreement(store))
    pair = layer.pairs[("ana", "budi")]
    assert pair.labels["GPE"].f1_exact == 0.0 and pair.labels["GPE"].spans == 1
    assert pair.labels["PER"].f1_exact == 1.0
    assert pair.kappa == pytest.approx(38 / 50)  # p_o 11/12, p_e 94/144
    assert layer.alpha == pytest.approx(1 - 46 / 198)
    assert pair.kappa == pytest.approx(cohen_kappa_score(labels_of(store, doc, "ana"), labels_of(store, doc, "budi")))
    assert layer.alpha == pytest.approx(kripp(store, doc, ["ana", "budi"]))


def kripp(store, doc, names, layer="entity"):
    return krippendorff.alpha(reliability_data=reliability(store, doc, names, layer), level_of_measurement="nominal")


def test_overlap_matching_is_one_to_one_by_largest_overlap():
    a = [("PER", 0, 10)]
    b = [("PER", 0, 3), ("PER", 2, 10)]
    assert overlap_matches(a, b) == [(("PER", 0, 10), ("PER", 2, 10))]
    score = span_scores(a, b)["PER"]
    assert (score.spans_a, score.spans_b, score.exact, score.overlap) == (1, 2, 0, 1)
    assert score.f1_overlap == pytest.approx(2 / 3)
    # the B span goes to the A span it overlaps most; the other A span stays unmatched
    a = [("PER", 0, 5), ("PER", 4, 10)]
    b = [("PER", 3, 8)]
    assert overlap_matches(a, b) == [(("PER", 4, 10), ("PER", 3, 8))]
    # different labels never match; touching spans (end exclusive) do not overlap
    assert overlap_matches([("PER", 0, 5)], [("ORG", 0, 5), ("PER", 5, 9)]) == []
    # duplicates count once
    assert span_scores([("PER", 0, 5), ("PER", 0, 5)], [("PER", 0, 5)])["PER"].f1_exact == 1.0


def test_token_labels_longest_span_wins():
    tokens = [(0, 5), (6, 13), (14, 20)]
    # an ORG over two tokens with a GPE nested in its second token: the longer ORG wins there
    assert token_labels(tokens, [("GPE", 6, 13), ("ORG", 0, 13)]) == ["ORG", "ORG", "O"]
    # equal length: the earlier start wins, then the alphabetically first label
    same = [(0, 5), (6, 11), (12, 17)]
    assert token_labels(same, [("PER", 6, 17), ("ORG", 0, 11)]) == ["ORG", "ORG", "PER"]
    assert token_labels(tokens, [("PER", 0, 5), ("GPE", 0, 5)]) == ["GPE", "O", "O"]
    # a span covering part of a token labels the token
    assert token_labels(tokens, [("LOC", 8, 10)]) == ["O", "LOC", "O"]


def test_undefined_figures_are_none():
    assert cohen_kappa(["O", "O"], ["O", "O"]) is None
    assert krippendorff_alpha([["O", "O"], ["O", "O"]]) is None
    assert krippendorff_alpha([["O", None], [None, "O"]]) is None  # no unit with two values
    counts = AlphaCounts()
    counts.add_unit(["A", "B"])
    counts.add_unit(["A", "A"])
    assert counts.alpha == pytest.approx(krippendorff.alpha(np.array([[0, 0], [1, 0]], dtype=float),
                                                            level_of_measurement="nominal"))


# -- against the established implementations, on random data ---------------------------------------------


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_kappa_and_alpha_match_sklearn_and_krippendorff(data):
    n_units = data.draw(st.integers(2, 40))
    coders = data.draw(st.integers(2, 4))
    labels = ["O", "PER", "GPE", "ORG"]
    rows = [[data.draw(st.sampled_from(labels + [None])) for _ in range(n_units)] for _ in range(coders)]
    a = [v or "O" for v in rows[0]]
    b = [v or "O" for v in rows[1]]
    mine = cohen_kappa(a, b)
    theirs = cohen_kappa_score(a, b) if len(set(a) | set(b)) > 1 else float("nan")
    if mine is None:
        assert np.isnan(theirs) or len(set(a) | set(b)) == 1
    else:
        assert mine == pytest.approx(theirs, abs=1e-9)
    codes = {v: i for i, v in enumerate(labels)}
    matrix = np.array([[np.nan if v is None else codes[v] for v in r] for r in rows], dtype=float)
    units = list(zip(*rows))
    mine = krippendorff_alpha(units)
    pairable = [u for u in units if sum(v is not None for v in u) >= 2]
    values = {v for u in pairable for v in u if v is not None}
    if mine is None:
        assert len(values) <= 1
    else:
        assert mine == pytest.approx(krippendorff.alpha(reliability_data=matrix, level_of_measurement="nominal"),
                                     abs=1e-9)


def test_store_figures_match_established_implementations(store):
    """Three annotators, random overlapping spans, two articles, one annotator missing from one."""
    rng = random.Random(7)
    docs = [add_article(store, TEXT + f" Hari {i}.", f"uji {i}") for i in range(2)]
    names = ["ana", "budi", "citra"]
    for d, doc in enumerate(docs):
        n = len(store.get_document(doc).tokens)
        for name in names:
            if d == 1 and name == "citra":
                continue  # citra did not annotate the second article: missing in alpha
            made: set[tuple] = set()  # four different spans (the store refuses one twice)
            while len(made) < 4:
                first = rng.randrange(n - 1)
                last = min(n - 1, first + rng.randrange(3))
                key = (rng.choice(["PER", "GPE", "ORG"]), first, last)
                if key not in made:
                    made.add(key)
                    store.add_span(doc, name, "entity", key[0], *tok(store, doc, first, last))
            store.set_status(doc, name, "done")
    report = agreement(store)
    layer = report.layers["entity"]
    assert report.compared == 2 and report.annotators == ("ana", "budi", "citra")
    for a, b in combinations(names, 2):
        shared = [doc for doc in docs if not (doc == docs[1] and "citra" in (a, b))]
        la = [x for doc in shared for x in labels_of(store, doc, a)]
        lb = [x for doc in shared for x in labels_of(store, doc, b)]
        assert layer.pairs[(a, b)].kappa == pytest.approx(cohen_kappa_score(la, lb))
        assert layer.pairs[(a, b)].tokens == len(la)
        assert layer.pairs[(a, b)].articles == len(shared)
    columns = []
    for doc in docs:
        rows = [labels_of(store, doc, n) if not (doc == docs[1] and n == "citra") else None for n in names]
        width = len(store.get_document(doc).tokens)
        columns.append([r if r is not None else [None] * width for r in rows])
    matrix_rows = [sum((c[i] for c in columns), []) for i in range(3)]
    codes = {v: i for i, v in enumerate(sorted({v for r in matrix_rows for v in r if v}))}
    matrix = np.array([[np.nan if v is None else codes[v] for v in r] for r in matrix_rows], dtype=float)
    assert layer.alpha == pytest.approx(krippendorff.alpha(reliability_data=matrix, level_of_measurement="nominal"))
    assert layer.alpha_counts.units == sum(len(store.get_document(d).tokens) for d in docs)


# -- who and what counts ----------------------------------------------------------------------------------


def test_single_annotator_articles_are_left_out_and_counted(tiny):
    store, doc = tiny
    other = add_article(store, "Rusia dan Turki berbicara di Moskow .", "lain")
    annotate(store, doc, "ana", [("PER", 2, 3)])
    annotate(store, doc, "budi", [("PER", 2, 3)])
    annotate(store, other, "ana", [("GPE", 0, 0)])  # only ana: left out
    report = agreement(store)
    assert (report.compared, report.single, report.unannotated) == (1, 1, 5)
    assert entity(report).pairs[("ana", "budi")].articles == 1
    assert entity(report).pairs[("ana", "budi")].tokens == 12


def test_status_done_or_any(tiny):
    store, doc = tiny
    annotate(store, doc, "ana", [("PER", 2, 3)])
    annotate(store, doc, "budi", [("PER", 2, 3)], done=False)  # still doing
    assert agreement(store).compared == 0
    assert agreement(store).single == 1
    report = agreement(store, status="any")
    assert report.compared == 1 and entity(report).pairs[("ana", "budi")].total.f1_exact == 1.0
    # done with no spans counts: "nothing to mark here" is an answer
    store.set_status(doc, "citra", "done")
    report = agreement(store)
    assert report.annotators == ("ana", "citra")
    assert entity(report).pairs[("ana", "citra")].labels["PER"].f1_exact == 0.0


def test_models_and_gold_do_not_count(tiny):
    store, doc = tiny
    annotate(store, doc, "ana", [("PER", 2, 3)])
    store.add_span(doc, "gold", "entity", "GPE", *tok(store, doc, 10, 10), by="rita")
    store.set_status(doc, "gold", "done", by="rita")
    store.replace_suggestions("rules", {doc: [("entity", "GPE", *tok(store, doc, 1, 1), 1.0)]})
    report = agreement(store)
    assert report.compared == 0 and report.single == 1 and report.annotators == ()


def test_layer_filter_and_unknown_layer(tiny):
    store, doc = tiny
    annotate(store, doc, "ana", [("PER", 2, 3)])
    annotate(store, doc, "budi", [("ATTACK", 4, 4)], layer="event")
    report = agreement(store, layer="event")
    assert list(report.layers) == ["event"]
    assert report.layers["event"].pairs[("ana", "budi")].labels["ATTACK"].spans == 1
    from annotations.errors import TandaiError

    with pytest.raises(TandaiError, match="unknown layer"):
        agreement(store, layer="relation")


@pytest.mark.parametrize("engine", ["compiled", "python"])
def test_cycle_collector_is_off_while_counting_only(tiny, monkeypatch, engine):
    """agreement() turns Python's cycle collector off while it counts (many small objects, no cycles) and
    back on after, an error too; left off by the caller, it stays off. Either engine counts so."""
    import gc

    from annotations import agreement as module
    from annotations.errors import TandaiError

    store, doc = tiny
    annotate(store, doc, "ana", [("PER", 2, 3)])
    annotate(store, doc, "budi", [("PER", 2, 3)])
    seen = []
    if engine == "python":
        monkeypatch.setattr(module, "CompiledCounts", None)
        counts = module.article_counts
        monkeypatch.setattr(module, "article_counts", lambda *args: seen.append(gc.isenabled()) or counts(*args))
    else:
        if module.CompiledCounts is None:
            pytest.skip("the compiled agreement module is not built")
        add = module.CompiledCounts.add
        monkeypatch.setattr(module.CompiledCounts, "add",
                            lambda self, *args: seen.append(gc.isenabled()) or add(self, *args))
    assert gc.isenabled()
    assert agreement(store).layers["entity"].total.f1_exact == 1.0
    assert seen == [False] and gc.isenabled()
    with pytest.raises(TandaiError, match="unknown layer"):
        agreement(store, layer="relation")
    assert gc.isenabled()
    gc.disable()
    try:
        agreement(store)
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_by_article(tiny):
    store, doc = tiny
    other = add_article(store, "Rusia dan Turki berbicara di Moskow .", "lain")
    annotate(store, doc, "ana", [("PER", 2, 3)])
    annotate(store, doc, "budi", [("PER", 2, 3)])
    annotate(store, other, "ana", [("GPE", 0, 0)])
    annotate(store, other, "budi", [("GPE", 2, 2)])
    report = agreement(store, by_article=True)
    assert [a.doc_id for a in report.articles] == [doc, other]
    assert report.articles[0].layers["entity"].total.f1_exact == 1.0
    assert report.articles[1].layers["entity"].total.f1_exact == 0.0
    assert report.layers["entity"].total.f1_exact == pytest.approx(0.5)


# -- the command ---------------------------------------------------------------------------------------------


def run(path, *args):
    result = CliRunner().invoke(main, ["--db", str(path), "--annotator", "rita", *args])
    return result


def test_cli_table(tiny, seeded_path):
    store, doc = tiny
    annotate(store, doc, "ana", [("PER", 2, 3), ("PER", 7, 8), ("GPE", 10, 10)])
    annotate(store, doc, "budi", [("PER", 1, 3), ("PER", 7, 8), ("GPE", 10, 10)])
    other = add_article(store, "Rusia dan Turki berbicara di Moskow .", "lain")
    annotate(store, other, "ana", [("GPE", 0, 0)])
    store.close()
    short = run(seeded_path, "agreement")
    assert short.exit_code == 0, short.output
    lines = short.output.splitlines()
    # the default: pairs ranked, then one row per label pooled over pairs; it fits a screen
    assert len(lines) <= 24
    assert next(line for line in lines if line.startswith("ana/budi")).split()[1:3] == ["1.000", "-"]  # no links
    words = next(line for line in lines if line.startswith("entity ")).split()
    assert dict(zip(words[1::2], words[2::2])) == {"GPE": "1.000", "PER": "1.000"}  # F1 overlap per label
    assert max(len(line) for line in lines[1:]) <= 80
    assert not any(line.split()[:2] == ["entity", "kappa"] for line in lines)
    result = run(seeded_path, "agreement", "--by-pair")
    assert result.exit_code == 0, result.output
    out = result.output
    assert "1 compared" in out and "1 with one annotator" in out and "5 with none" in out
    lines = out.splitlines()
    per = next(line for line in lines if line.split()[:3] == ["entity", "PER", "ana/budi"])
    assert per.split()[3:] == ["0.500", "1.000", "4"]
    kappa = next(line for line in lines if line.split()[:3] == ["entity", "kappa", "ana/budi"])
    assert kappa.split()[3:] == [f"{69 / 81:.3f}", "12", "1"]
    alpha = next(line for line in lines if line.split()[:2] == ["entity", "alpha"])
    assert alpha.split()[-3:] == [f"{6 / 7:.3f}", "12", "1"]
    # aligned columns: every row of a table has its numbers right-aligned to the header's end
    header = next(i for i, line in enumerate(lines) if line.startswith("layer") and "F1 exact" in line)
    block = []
    for line in lines[header:]:
        if not line.strip():
            break
        block.append(line)
    assert len({len(line) for line in block}) == 1


def test_cli_json_and_by_article(tiny, seeded_path):
    store, doc = tiny
    annotate(store, doc, "ana", [("PER", 2, 3)])
    annotate(store, doc, "budi", [("PER", 2, 3), ("GPE", 10, 10)])
    store.close()
    result = run(seeded_path, "agreement", "--json", "--by-article", "--layer", "entity")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["articles"] == {"compared": 1, "single_annotator": 0, "unannotated": 5}
    assert list(data["layers"]) == ["entity"]
    pair = data["layers"]["entity"]["pairs"][0]
    assert (pair["a"], pair["b"], pair["tokens"]) == ("ana", "budi", 12)
    assert pair["labels"]["PER"]["f1_exact"] == 1.0 and pair["labels"]["GPE"]["f1_exact"] == 0.0
    assert pair["kappa"] == pytest.approx(cohen_kappa_score(*[["O", "O", "PER", "PER"] + ["O"] * 6 + [x, "O"]
                                                              for x in ("O", "GPE")]), abs=1e-4)
    assert data["by_article"][0]["doc_id"] == doc


def test_cli_errors_are_one_line(tiny, seeded_path, tmp_path):
    store, _ = tiny
    store.close()
    result = run(seeded_path, "agreement", "--layer", "relation")
    assert result.exit_code == 1
    assert "unknown layer" in result.output and "Traceback" not in result.output
    result = run(tmp_path / "absent.db", "agreement")
    assert result.exit_code == 1 and "no such database" in result.output
    assert not (tmp_path / "absent.db").exists()


def test_cli_nothing_to_compare(seeded_path):
    result = run(seeded_path, "agreement")
    assert result.exit_code == 0
    assert "0 compared" in result.output and "nothing to compare" in result.output


def test_cli_status_any_counts_work_in_progress(tiny, seeded_path):
    store, doc = tiny
    annotate(store, doc, "ana", [("PER", 2, 3)], done=False)
    annotate(store, doc, "budi", [("PER", 2, 3)])
    store.close()
    assert "0 compared (status done), 1 with one annotator" in run(seeded_path, "agreement").output
    result = run(seeded_path, "agreement", "--status", "any", "--json")
    assert result.exit_code == 0
    data = json.loads(result.output)
    assert data["status"] == "any" and data["articles"]["compared"] == 1
    assert data["layers"]["entity"]["pairs"][0]["f1_exact"] == 1.0
    result = run(seeded_path, "agreement", "--status", "some")
    assert result.exit_code == 2 and "Invalid value" in result.output
