"""An article's marks held as arrays read as the sorted list of Mark tuples they replace."""
from __future__ import annotations

import tracemalloc

from hypothesis import given, settings, strategies as st

from tui.widgets.marks import Mark, Marks, text_order

LAYERS = {"entity": ["PER", "GPE"], "event": ["ATTACK"]}
marks_strategy = st.lists(
    st.builds(lambda start, length, kind, layer, n, ident, actor: Mark(
        start, start + length, kind, layer, LAYERS[layer][n % len(LAYERS[layer])], ident,
        actor if kind == "span" else None),
        st.integers(0, 60), st.integers(1, 12), st.sampled_from(["span", "suggestion"]), st.sampled_from(list(LAYERS)),
        st.integers(0, 3), st.integers(1, 10**6), st.sampled_from([None, "ARM_GOV"])),
    max_size=40, unique_by=lambda mark: mark.id)  # ids are rowids


@settings(max_examples=200, deadline=None)
@given(marks_strategy)
def test_marks_read_as_the_sorted_tuples(marks):
    expected = sorted(marks, key=text_order)
    held = Marks(reversed(marks))
    assert list(held) == expected and len(held) == len(expected)
    assert [held[i] for i in range(len(held))] == expected and held[1:4] == expected[1:4]
    for mark in expected:
        assert mark in held and held[held.index(mark)] == mark
    assert Mark(999, 1000, "span", "entity", "PER", 1) not in held
    for start in range(0, 75, 3):
        for end in range(start + 1, start + 20, 4):
            assert held.over(start, end) == [m for m in expected if m.start < end and m.end > start]


@settings(max_examples=200, deadline=None)
@given(marks_strategy)
def test_store_rows_of_spans_and_suggestions_merge_in_text_order(marks):
    """Rows as the store gives them (in text order, one kind each) make the same marks, merged."""
    spans = sorted((m for m in marks if m.kind == "span"), key=text_order)
    suggestions = sorted((m for m in marks if m.kind == "suggestion"), key=text_order)
    span_rows = [(m.id, m.layer, m.label, m.start, m.end, m.actor_id) for m in spans]
    suggestion_rows = [(m.id, m.layer, m.label, m.start, m.end) for m in suggestions]
    merged = Marks.outlines("span", span_rows).merged(Marks.outlines("suggestion", suggestion_rows))
    assert list(merged) == sorted(marks, key=text_order)
    assert list(Marks.outlines("span", span_rows)) == spans and not Marks.outlines("span", [])


@settings(max_examples=200, deadline=None)
@given(marks_strategy)
def test_tags_and_ids_are_read_from_the_arrays(marks):
    """What the view asks of thousands of marks without making each: the cells of the tags drawn after
    each offset, and the marks of a kind with given ids."""
    held, expected = Marks(marks), sorted(marks, key=text_order)
    for kinds in (("span",), ("span", "suggestion")):
        cells: dict[int, int] = {}
        for mark in expected:
            if mark.kind in kinds:
                cells[mark.end] = cells.get(mark.end, 0) + len(mark.tag)
        assert held.tag_cells(kinds) == cells
    some = {mark.id for mark in marks[::2]}
    assert list(held.having("span", some)) == [m for m in expected if m.kind == "span" and m.id in some]


def test_outline_rows_are_read_a_batch_at_a_time():
    """A 1 MB article's 28,000 suggestions, read from the store's cursor a batch of rows at a time: never
    all its rows at once (as rows and then as columns of Python ints and strings they took 10 MiB at
    their peak, over the 0.6 MiB their arrays keep); a look first met in a later batch is held once."""
    labels = ("PER", "GPE", "ORG", "LOC")

    def rows():  # made as they are read, as SQLite's cursor makes them: new ints and strings for each
        for i in range(28_000):
            label = labels[i // 7_000]
            start = 10 * i + 100_000
            yield i + 100_000, "entity", label[:1] + label[1:], start, start + 7

    tracemalloc.start()
    try:
        marks = Marks.outlines("suggestion", rows())
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert len(marks) == 28_000 and len(marks._looks) == 4
    assert marks[0] == Mark(100_000, 100_007, "suggestion", "entity", "PER", 100_000)
    assert marks[27_999] == Mark(379_990, 379_997, "suggestion", "entity", "LOC", 127_999)
    assert [m.label for m in marks[6_999:7_001]] == ["PER", "GPE"]
    assert peak < 3 * 2**20, peak
