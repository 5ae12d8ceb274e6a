"""Label text is readable in every terminal, measured on what the article view draws.

One article holds every label alone and every pair of labels of two layers,
one nested in the other (a claim over an entity, an event over an entity, a
claim over an event, and the other way round), one pair per line, as spans,
plus every label as a suggestion. The tests open it in the app, take the
Strips the view draws for each line (after the app's theme and its line
filters), and measure each segment's text against its background with the
WCAG 2 formula, as truecolor and as the 256 colours Rich falls back to.
"""
from __future__ import annotations

import itertools
import json

import pytest
from rich.color import ColorSystem

from tui_fixtures import ANNOTATOR, isolated_config, make_app  # noqa: F401  (fixtures are used by name)

pytestmark = pytest.mark.anyio
AA = 4.5


@pytest.fixture
def anyio_backend():
    return "asyncio"


def linear(channel: int) -> float:
    c = channel / 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def ratio(fg, bg) -> float:
    """WCAG 2 contrast of two Rich colours (as the terminal's truecolor triplets)."""
    lum = [0.2126 * linear(t.red) + 0.7152 * linear(t.green) + 0.0722 * linear(t.blue)
           for t in (fg.get_truecolor(), bg.get_truecolor())]
    high, low = max(lum), min(lum)
    return (high + 0.05) / (low + 0.05)


def lines_and_pairs(scheme):
    """(cases, labels): each label alone, then each ordered pair of labels of two layers (the first over
    the line, the second nested over its first word); and every (layer, label), for the suggestion lines."""
    labels = [(layer.name, label) for layer in scheme.layers.values() for label in layer.label_names]
    cases = [((layer, label),) for layer, label in labels]
    for (a, b) in itertools.permutations(labels, 2):
        if a[0] != b[0]:
            cases.append((a, b))  # a over both words, b nested over the first
    return cases, labels


@pytest.fixture
def contrast_db(tmp_path):
    from annotations.corpus import import_articles, read_articles
    from annotations.store import Store

    path = tmp_path / "tandai.db"
    with Store(path) as store:
        cases, labels = lines_and_pairs(store.scheme)
        # a first line without labels holds the cursor; then one line per case, then one per suggestion
        rows = ["awal"] + [f"kata{n} lain{n}" for n in range(len(cases) + len(labels))]
        text = "\n".join(rows)
        source = tmp_path / "pairs.jsonl"
        source.write_text(json.dumps({"title": "pairs", "text": text}) + "\n", encoding="utf-8")
        import_articles(store, read_articles([str(source)]))
        (doc,) = store.document_ids()
        assert store.get_document(doc).text == text
        offsets = [0]
        for row in rows[1:]:
            offsets.append(offsets[-1] + len(row) + 1)
        offsets = [o + len(rows[0]) + 1 for o in offsets]
        for n, case in enumerate(cases):
            line_start, line_end = offsets[n], offsets[n + 1] - 1
            first_end = text.index(" ", line_start)
            outer, *inner = case
            store.add_span(doc, ANNOTATOR, outer[0], outer[1], line_start, line_end)
            for layer, label in inner:
                store.add_span(doc, ANNOTATOR, layer, label, line_start, first_end)
        suggestions = []
        for k, (layer, label) in enumerate(labels):
            n = len(cases) + k
            suggestions.append((layer, label, offsets[n], offsets[n + 1] - 1, 0.9))
        store.replace_suggestions("rules", {doc: suggestions})
    return path, cases, labels


async def drawn_lines(app, pilot, theme: str):
    """The segments of every line of the open article, after the theme and the app's line filters."""
    from tui.widgets.document import DocumentView

    app.theme = theme
    await pilot.pause()
    view = app.screen.query_one(DocumentView)
    background = view.background_colors[1]
    lines = []
    for index in range(view.line_count):
        segments = list(view._draw(index))
        for line_filter in app._filters:
            segments = line_filter.apply(segments, background)
        lines.append([s for s in segments if s.text.strip()])
    assert [s.text for s in lines[0]] == ["awal"]  # the cursor's line
    return lines[1:]


async def open_pairs(app, pilot):
    await pilot.pause()
    await pilot.press("enter")
    await pilot.pause()


def describe(case) -> str:
    return " in ".join(label for _, label in reversed(case))


@pytest.mark.parametrize("theme", ["textual-dark", "textual-light"])
async def test_every_label_and_nested_pair_reads_at_4_5_to_1(contrast_db, theme, monkeypatch, capsys):
    path, cases, labels = contrast_db
    monkeypatch.setenv("TERM", "xterm-256color")
    monkeypatch.setenv("COLORTERM", "truecolor")
    monkeypatch.delenv("NO_COLOR", raising=False)
    app = make_app(path)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_pairs(app, pilot)
        assert app.console.color_system == "truecolor"
        lines = await drawn_lines(app, pilot, theme)
        assert app.current_theme.name == theme
    names = [describe(case) for case in cases] + [f"{label}?" for _, label in labels]
    table = []
    for name, segments in zip(names, lines, strict=True):
        worst = min(min(ratio(s.style.color, s.style.bgcolor),
                        ratio(s.style.color.downgrade(ColorSystem.EIGHT_BIT),
                              s.style.bgcolor.downgrade(ColorSystem.EIGHT_BIT))) for s in segments)
        table.append((worst, name, [s.text for s in segments]))
    table.sort()
    with capsys.disabled():
        print(f"\n{theme}: worst pairs " + "; ".join(f"{name} {worst:.2f}:1" for worst, name, _ in table[:3]))
    worst, name, texts = table[0]
    assert worst >= AA, f"{name} ({texts}) at {worst:.2f}:1 in {theme}"
    # the lines are the pairs: each shows its labels' tags
    for (worst, name, texts) in table:
        if not name.endswith("?"):  # suggestions have tags only where colour cannot tell them apart
            assert all(f"[{label}]" in "".join(texts) for label in name.split(" in ")), (name, texts)


async def test_sixteen_colours_give_each_label_of_a_layer_its_own_colours(contrast_db, monkeypatch):
    path, cases, labels = contrast_db
    monkeypatch.setenv("TERM", "xterm")
    monkeypatch.delenv("COLORTERM", raising=False)
    monkeypatch.delenv("NO_COLOR", raising=False)
    app = make_app(path)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_pairs(app, pilot)
        assert app.console.color_system == "standard"
        lines = await drawn_lines(app, pilot, "textual-dark")
    looks: dict[str, dict[tuple, str]] = {}
    for case, segments in zip(cases, lines):
        if len(case) != 1:
            continue
        (layer, label), = case
        word = segments[0]  # "kata0 lain0", drawn in the label's look
        assert word.text.startswith("kata")
        shown = (word.style.bgcolor.downgrade(ColorSystem.STANDARD).number,
                 word.style.color.downgrade(ColorSystem.STANDARD).number)
        assert shown not in looks.setdefault(layer, {}), (label, looks[layer][shown])
        looks[layer][shown] = label
    assert {layer: len(seen) for layer, seen in looks.items()} == {"entity": 8, "event": 9, "claim": 6}


async def test_no_color_tells_labels_apart_by_tag_and_attribute(contrast_db, monkeypatch):
    path, cases, labels = contrast_db
    monkeypatch.setenv("NO_COLOR", "1")
    app = make_app(path)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_pairs(app, pilot)
        assert app.no_color
        lines = await drawn_lines(app, pilot, "textual-dark")
    cue = {"entity": "underline", "event": "bold", "claim": "italic"}
    word_looks: dict[str, set] = {}
    for case, segments in zip(cases, lines):
        if len(case) != 1:
            continue
        (layer, label), = case
        word, tag = segments
        assert tag.text == f"[{label}]"
        assert getattr(word.style, cue[layer]), (label, word.style)
        for segment in segments:  # no colour left: greys only, and the tag reads at 4.5:1
            for colour in (segment.style.color, segment.style.bgcolor):
                t = colour.get_truecolor()
                assert t.red == t.green == t.blue, (label, segment)
        assert ratio(tag.style.color, tag.style.bgcolor) >= AA, label
        word_looks.setdefault(layer, set()).add((word.style.color, word.style.bgcolor, word.style.bold,
                                                 word.style.italic, word.style.underline))
    # the words of one layer look the same: the tag alone names the label
    assert {layer: len(seen) for layer, seen in word_looks.items()} == {"entity": 1, "event": 1, "claim": 1}
