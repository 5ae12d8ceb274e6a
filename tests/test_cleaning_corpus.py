"""Over the whole development corpus (both halves), cleaning loses no line of prose; on the dev half
the title and date are right on every page and the outlet on nine in ten.

Every line a page's gold keeps must be a line of ``clean_page``'s text. The
failure message names pages and counts only: the test half's lines are not
for reading.
"""
from __future__ import annotations

import pytest

from annotations.corpus import clean_page
from bench.devcorpus import HALVES, pages, same_outlet


def lost_lines(half: str) -> dict[str, int]:
    """Page name -> how many of its gold lines the cleaned text lacks."""
    lost = {}
    for page in pages(half):
        kept = {line.strip() for line in clean_page(page.raw).text.split("\n")}
        missing = sum(1 for line in page.lines if line not in kept)
        if missing:
            lost[page.name] = missing
    return lost


@pytest.mark.parametrize("half", HALVES)
def test_no_prose_line_is_lost(half):
    if not pages(half):
        pytest.skip(f"no pages in the {half} half yet")
    lost = lost_lines(half)
    assert not lost, f"{sum(lost.values())} prose line(s) lost in the {half} half: " + ", ".join(
        f"{name} ({count})" for name, count in sorted(lost.items()))


def test_title_and_date_right_on_every_dev_page_and_the_outlet_on_nine_in_ten():
    from annotations.cleaning import normalise_spaces

    wrong: dict[str, list[str]] = {"title": [], "date": [], "outlet": []}
    dev = pages("dev")
    for page in dev:
        cleaned = clean_page(page.raw)
        if page.title != "-" and cleaned.title != normalise_spaces(page.title):
            wrong["title"].append(page.name)
        if cleaned.published != page.date:
            wrong["date"].append(page.name)
        if not same_outlet(page.outlet, cleaned.source):
            wrong["outlet"].append(page.name)
    assert not wrong["title"] and not wrong["date"], wrong
    assert len(wrong["outlet"]) <= len(dev) // 10, wrong["outlet"]
