"""The development corpus in bench/data/ is well formed: its gold parses and matches its raw pages."""
from __future__ import annotations

import pytest

from annotations.cleaning import normalise_spaces
from annotations.scheme import load_scheme
from bench.devcorpus import HALVES, GoldError, pages, read_gold, unmark


def test_markup_gives_code_point_offsets():
    text, spans = unmark("[Ереван]{GPE} 👍🏽 diserang [ke\u0301 \\[2\\]]{LOC} \\{x\\}")
    assert text == "Ереван 👍🏽 diserang ke\u0301 [2] {x}"
    assert [(text[s:e], label) for s, e, label in spans] == [("Ереван", "GPE"), ("ke\u0301 [2]", "LOC")]


@pytest.mark.parametrize("line", ["a [b c", "a ]b", "[ b]{PER}", "x {y}"])
def test_bad_markup_is_refused(line):
    with pytest.raises(GoldError):
        unmark(line, "x.gold:1")


def test_gold_file_format(tmp_path):
    gold = tmp_path / "01_x.gold"
    gold.write_text("title: T\ndate: 2020-10-26\noutlet: X\ntopic: t\nentities: yes\n---\n"
                    "T\n\n[Baku]{GPE} diserang.\n", "utf-8")
    page = read_gold(gold, "raw", "dev")
    assert page.lines == ("T", "Baku diserang.")
    assert page.body == "T\n\nBaku diserang."
    assert [page.body[s:e] for s, e, _ in page.spans] == ["Baku"]
    gold.write_text("title: T\ndate: 26/10/2020\noutlet: X\ntopic: t\nentities: no\n---\nT\n", "utf-8")
    with pytest.raises(GoldError, match="YYYY-MM-DD"):
        read_gold(gold, "raw", "dev")


@pytest.mark.parametrize("half", HALVES)
def test_every_kept_line_is_on_its_raw_page(half):
    for page in pages(half):
        raw_lines = {normalise_spaces(line).strip() for line in page.raw.splitlines()}
        missing = [line for line in page.lines if line not in raw_lines]
        assert not missing, f"{page.name}: gold lines not on the raw page: {missing[:3]}"
        assert page.title in raw_lines or any(page.title in line for line in raw_lines), page.name


@pytest.mark.parametrize("half", HALVES)
def test_marked_spans_are_entity_or_event_labels_and_flat(half):
    """Gold spans use the default scheme's entity and event labels; none overlaps another
    (names are flat, a trigger never overlaps an entity)."""
    scheme = load_scheme()
    for page in pages(half):
        for start, end, label in page.spans:
            assert scheme.layer_of(label) in ("entity", "event"), f"{page.name}: {label} {page.body[start:end]!r}"
        ordered = sorted(page.spans)
        for (_, end, label), (start, _, other) in zip(ordered, ordered[1:]):
            assert end <= start, f"{page.name}: {label} and {other} overlap at {start}"


def test_dev_half_is_large_enough_to_write_rules_against():
    """Issue 12: at least 15 dev pages, at least 9 of them with full marks, 4 of those like the seeds."""
    dev = pages("dev")
    marked = [page for page in dev if page.marked]
    assert len(dev) >= 15
    assert len(marked) >= 9
    assert sum(page.like_seeds for page in marked) >= 4


def test_both_halves_cover_enough_outlets_topics_and_marked_pages():
    """Issue 12: the corpus spans at least 12 outlets and 5 topics, and marks at least 15 pages."""
    both = pages("dev") + pages("test")
    assert len({page.outlet for page in both}) >= 12
    assert len({page.topic for page in both}) >= 5
    assert sum(page.marked for page in both) >= 15


def test_the_bench_counts_an_outlet_right_by_its_stem_and_also_as_spelled():
    from bench.pretag_quality import SPELLED, Cleaning, SetResult, report

    result = Cleaning()
    for want, got in [("Jurnas", "Jurnas.com"), ("Kaltim Post", "Kaltimpost"), ("RMOL", "RMOL"),
                      ("Kaltim Post", "Kaltim Pos"), ("Jubi", None), (None, None)]:
        result.check("page", "outlet", want, got)
    assert result.right["outlet"] == [4, 6]  # the same outlet however spelled; "Kaltim Pos" is another outlet
    assert result.right[SPELLED] == [2, 6]  # "RMOL" and a page naming none
    assert [line.split("\t")[1] for line in result.wrong] == ["spelling", "spelling", "outlet", "outlet"]
    printed = report({"dev": SetResult(pages=6, cleaning=result)}, [], [])
    rows = {line[:22].strip(): line[22:].split() for line in printed.splitlines()}
    assert rows["outlet right"][0] == "4/6" and rows[SPELLED][0] == "2/6"
