"""``tandai agreement`` counts each article once and spreads the figures to annotator pairs; on random
articles its every figure equals the plain computation pair by pair (each pair's spans matched, its
tokens compared, its links, attributes and actor ids counted on its own), whichever way the figures
are spread (pair by pair in Python, or with arrays)."""
from __future__ import annotations

from collections import Counter
from itertools import combinations

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from annotations import agreement_pairs
from annotations.agreement import LayerAgreement, PairLayer, layers_from_counts
from annotations.agreement_measures import AlphaCounts, TokenCounts, overlap_matches, span_scores, token_labels
from annotations.agreement_pairs import PairCounts, article_counts
from annotations.agreement_relations import Marks, pair_relations

LAYERS = ("entity", "event", "claim")
LABELS = {"entity": ["PER", "GPE"], "event": ["ATTACK", "TALKS"], "claim": ["STATEMENT"]}
ATTRIBUTES = {"event": ["modality"], "claim": ["stance"], "entity": []}
VALUES = {"modality": ["asserted", "claimed"], "stance": ["affirm", "refute"]}
ROLES = {"event": ["AGENT", "PLACE"], "claim": ["CLAIMANT", "ABOUT"]}
TOKENS = [(i * 4, i * 4 + 3) for i in range(14)]


@st.composite
def annotator(draw):
    """One annotator's spans in one article (annotator -> layer -> {(label, start, end)}) and marks."""
    spans: dict[str, set] = {}
    marks = Marks()
    for layer in LAYERS:
        mine = set()
        for _ in range(draw(st.integers(0, 5))):
            first = draw(st.integers(0, len(TOKENS) - 1))
            last = min(len(TOKENS) - 1, first + draw(st.integers(0, 2)))
            mine.add((draw(st.sampled_from(LABELS[layer])), TOKENS[first][0], TOKENS[last][1]))
        if mine:
            spans[layer] = mine
        for triple in sorted(mine):
            attrs = {name: draw(st.sampled_from(VALUES[name])) for name in ATTRIBUTES[layer] if draw(st.booleans())}
            if attrs:
                marks.attrs[(layer, triple)] = attrs
            if layer == "entity" and draw(st.booleans()):
                marks.actors[(layer, triple)] = draw(st.sampled_from(["ARM_GOV", "AZE_GOV"]))
    for head_layer in ("event", "claim"):
        for head in sorted(spans.get(head_layer, ())):
            for _ in range(draw(st.integers(0, 2))):
                arg_layer = "event" if head_layer == "claim" and draw(st.booleans()) else "entity"
                if spans.get(arg_layer):
                    arg = draw(st.sampled_from(sorted(spans[arg_layer])))
                    marks.links.add((head_layer, head, draw(st.sampled_from(ROLES[head_layer])), arg_layer, arg))
    return spans, marks


def per_pair(articles, layers) -> dict[str, LayerAgreement]:
    """The plain computation: each article, each pair of its annotators, on its own."""
    out = {layer: LayerAgreement(layer) for layer in layers}
    for people in articles:
        names = sorted(people)
        for layer in layers:
            result = LayerAgreement(layer, articles=1)
            labels = {name: token_labels(TOKENS, people[name][0].get(layer, ())) for name in names}
            for unit in zip(*(labels[name] for name in names)):
                result.alpha_counts.add_unit(unit)
            for a, b in combinations(names, 2):
                (spans_a, marks_a), (spans_b, marks_b) = people[a], people[b]
                matched = {lay: overlap_matches(spans_a.get(lay, ()), spans_b.get(lay, ())) for lay in LAYERS}
                counts = TokenCounts(tokens=len(TOKENS), alike=sum(x == y for x, y in zip(labels[a], labels[b])),
                                     a=Counter(labels[a]), b=Counter(labels[b]))
                pair = PairLayer(1, counts, span_scores(spans_a.get(layer, ()), spans_b.get(layer, ()),
                                                        matched[layer]))
                pair.relations = pair_relations(matched, marks_a, marks_b, [layer], ATTRIBUTES)[layer]
                result.pairs[(a, b)] = pair
            out[layer] += result
    return out


def engine_counts(articles, layers, detail: bool = True) -> PairCounts:
    counts = PairCounts(sorted({name for people in articles for name in people}))
    local = None
    for people in articles:
        names = sorted(people)
        local, alpha = article_counts(TOKENS, {n: people[n][0] for n in names}, layers,
                                      {n: people[n][1] for n in names}, ATTRIBUTES, detail, spent=local)
        counts.add(names, local, alpha)
    return counts


def engine(articles, layers) -> dict[str, LayerAgreement]:
    return layers_from_counts(engine_counts(articles, layers), layers, len(articles))


def figures(layer: LayerAgreement) -> dict:
    found = layer.to_dict()
    found.pop("alpha")
    for pair in found["pairs"]:
        pair["kappa_exact"] = layer.pairs[(pair["a"], pair["b"])].kappa  # unrounded: the counts behind it agree
    return found


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.data())
def test_figures_equal_the_per_pair_computation(data):
    team = [f"a{k}" for k in range(data.draw(st.integers(2, 5)))]
    articles = []
    for _ in range(data.draw(st.integers(1, 3))):
        people = data.draw(st.lists(st.sampled_from(team), min_size=2, max_size=len(team), unique=True))
        articles.append({name: data.draw(annotator()) for name in people})
    layers = data.draw(st.sampled_from([LAYERS, ("event",)]))
    small = data.draw(st.sampled_from([agreement_pairs.SMALL, 1]))  # 1: every unit spread with arrays
    pending = data.draw(st.sampled_from([agreement_pairs.PENDING, 0]))  # 0: pair counts flushed after each article
    saved = agreement_pairs.SMALL, agreement_pairs.PENDING
    agreement_pairs.SMALL, agreement_pairs.PENDING = small, pending
    try:
        mine = engine(articles, layers)
    finally:
        agreement_pairs.SMALL, agreement_pairs.PENDING = saved
    theirs = per_pair(articles, layers)
    for layer in layers:
        assert figures(mine[layer]) == figures(theirs[layer])
        assert mine[layer].alpha == pytest.approx(theirs[layer].alpha, abs=1e-9)
        assert mine[layer].alpha_counts.units == theirs[layer].alpha_counts.units


@settings(max_examples=15, deadline=None, phases=[Phase.generate], suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.data())
def test_summary_ranks_every_pair_and_shows_the_best_and_worst_few(data):
    from annotations.agreement import AgreementReport
    from annotations.agreement_table import format_report

    team = [f"annotator{k}" for k in range(7)]
    articles = [{name: data.draw(annotator()) for name in team} for _ in range(2)]
    counts = PairCounts(team)
    for people in articles:
        local, alpha = article_counts(TOKENS, {n: people[n][0] for n in team}, LAYERS,
                                      {n: people[n][1] for n in team}, ATTRIBUTES)
        counts.add(team, local, alpha)
    report = AgreementReport("done", list(LAYERS), tuple(team), compared=2, counts=counts)
    every = report.pair_summaries()  # every pair's figures, made and sorted one by one
    best, worst, total = report.ranked_pairs(2)
    assert total == len(every) == 21
    assert [s.to_dict() for s in best + worst] == [s.to_dict() for s in every[:2] + every[-2:]]
    totals = report.totals()
    for name, layer in report.layers.items():
        assert [(label, totals[name].label_total(label).to_dict()) for label in totals[name].labels] == [
            (label, layer.label_total(label).to_dict()) for label in layer.labels if layer.label_total(label).spans]
        assert {kind: {k: v.to_dict() for k, v in scores.items()} for kind, scores in
                totals[name].relation_totals().items()} == {
            kind: {k: v.to_dict() for k, v in scores.items()} for kind, scores in layer.relation_totals().items()}
    lines = format_report(report).splitlines()
    assert len(lines) <= 24  # an 80x24 screen; the pairs' block fits 80 columns
    first = next(i for i, line in enumerate(lines) if line.startswith("21 pairs"))
    assert max(len(line) for line in lines[1:first + 7]) <= 80
    assert "21 pairs, the 2 best and the 2 worst (--by-pair, --json: all)" in lines
    shown = [line.split()[0] for line in lines if line.startswith("…") or "/" in line.split(" ")[0]]
    assert shown == [*("/".join(s.pair) for s in every[:2]), "…", *("/".join(s.pair) for s in every[-2:])]
    assert "… 17 more" in lines[lines.index(next(line for line in lines if line.startswith("…")))]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.data())
def test_summary_counted_without_detail_is_the_same(data):
    """The default summary is counted without what only --json and --by-pair print (exact matches,
    per-pair kappa): it reads the same as from every figure, and the figures it lacks are refused."""
    from annotations.agreement import AgreementReport
    from annotations.agreement_table import format_report

    team = [f"a{k}" for k in range(data.draw(st.integers(2, 6)))]
    articles = []
    for _ in range(data.draw(st.integers(1, 3))):
        people = data.draw(st.lists(st.sampled_from(team), min_size=2, max_size=len(team), unique=True))
        articles.append({name: data.draw(annotator()) for name in people})
    layers = list(data.draw(st.sampled_from([LAYERS, ("event",)])))
    small = data.draw(st.sampled_from([agreement_pairs.SMALL, 1]))
    saved, agreement_pairs.SMALL = agreement_pairs.SMALL, small
    try:
        reports = [AgreementReport("done", layers, tuple(sorted({n for people in articles for n in people})),
                                   compared=len(articles), counts=engine_counts(articles, layers, detail),
                                   detail=detail) for detail in (True, False)]
    finally:
        agreement_pairs.SMALL = saved
    full, short = reports
    assert format_report(short) == format_report(full)
    with pytest.raises(ValueError):
        short.to_dict()
    with pytest.raises(ValueError):
        format_report(short, by_pair=True)
