"""The default ``tandai agreement`` summary fits an 80x24 terminal whatever the scheme's names (long, wide
characters, combining marks), the annotators' names and the figures (negative, over 1, huge counts)."""
from __future__ import annotations

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rich.cells import cell_len

from annotations.agreement import AgreementReport
from annotations.agreement_measures import AlphaCounts
from annotations.agreement_pairs import PairCounts
from annotations.agreement_table import format_report

# what a name from a scheme or the command line may hold: no control, format or separator characters
NAME = st.text(st.characters(blacklist_categories=("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"),
                             blacklist_characters="/\\"), min_size=1, max_size=40).filter(str.strip)
COUNT = st.integers(-3, 10**7)


@st.composite
def reports(draw) -> AgreementReport:
    names = sorted(draw(st.lists(NAME, min_size=2, max_size=7, unique=True)))
    layers = draw(st.lists(NAME, min_size=1, max_size=5, unique=True))
    counts = PairCounts(names)
    size = len(names)

    def cells(counts=COUNT) -> np.ndarray:
        return np.array(draw(st.lists(st.lists(counts, min_size=size, max_size=size), min_size=size, max_size=size)),
                        dtype=np.int64)

    found = {("articles",): np.ones((size, size), dtype=np.int64), ("tokens",): cells(st.integers(1, 10**7))}
    for layer in layers:
        for label in draw(st.lists(NAME, max_size=25, unique=True)):
            found[("spans", layer, label)] = cells(st.integers(1, 10**7))  # matches come with spans
            for kind in ("exact", "overlap"):
                found[(kind, layer, label)] = cells()
        for role in draw(st.lists(NAME, max_size=8, unique=True)):
            found[("links", layer, role)] = cells(st.integers(1, 10**7))
            for kind in ("link_exact", "link_overlap"):
                found[(kind, layer, role)] = cells()
        for attribute in draw(st.lists(NAME, max_size=3, unique=True)):
            found[("attr", layer, attribute, draw(NAME), draw(NAME))] = cells()
        if draw(st.booleans()):
            found[("actor", layer, draw(NAME), draw(NAME), draw(NAME))] = cells()
        counts.alpha[layer] = AlphaCounts(units=draw(COUNT), disagreement=draw(st.floats(-1e6, 1e6)))
        counts.alpha[layer].values.update({draw(NAME): draw(COUNT) for _ in range(draw(st.integers(0, 3)))})
    counts.cells = found
    return AgreementReport(draw(st.sampled_from(["done", "any"])), layers, tuple(names),
                           compared=draw(st.integers(1, 10**7)), single=draw(st.integers(0, 10**7)),
                           unannotated=draw(st.integers(0, 10**7)), counts=counts)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(reports())
def test_default_summary_fits_80_by_24(report):
    lines = format_report(report).splitlines()
    assert len(lines) <= 24
    assert max(cell_len(line) for line in lines) <= 80, "\n".join(lines)


def test_cells_left_out_are_counted():
    names = ["ana", "budi"]
    counts = PairCounts(names)
    labels = [f"LABEL_{k:02d}_OF_A_LONG_SCHEME" for k in range(60)]
    found = {("articles",): np.ones((2, 2), dtype=np.int64), ("tokens",): np.full((2, 2), 10, dtype=np.int64)}
    for label in labels:
        found[("spans", "entity", label)] = np.array([[0, 2], [2, 0]])
        found[("overlap", "entity", label)] = np.array([[0, 1], [1, 0]])
    counts.cells = found
    lines = format_report(AgreementReport("done", ["entity"], tuple(names), compared=1, counts=counts)).splitlines()
    assert len(lines) <= 24 and max(cell_len(line) for line in lines) <= 80
    grid = lines[lines.index("F1 overlap per label and link role, all pairs pooled") + 1:]
    shown = sum(line.count("0.500") for line in grid)
    more = next(line for line in grid if line.startswith("… "))
    assert 0 < shown < 60 and more == f"… {60 - shown} more labels and roles: --by-pair"
    assert "LABEL_00" in grid[0]  # labels are cut to fit more of them, from the end
