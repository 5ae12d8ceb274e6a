"""Wrapping article text into screen lines: offsets are kept and lines break only at spaces."""
from __future__ import annotations

from hypothesis import given, strategies as st

from annotations.tokens import tokenize
from tui.widgets.layout import paragraph_bounds, text_width, wrap_paragraph


def lines_of(text: str, width: int, extra: dict[int, int] | None = None) -> list[str]:
    tokens = tokenize(text)
    out = []
    for start, end in zip(*paragraph_bounds(text)):
        out += [text[line.start:line.end] for line in wrap_paragraph(text, tokens, start, end, width, extra)]
    return out


def test_glued_tokens_stay_on_one_line():
    """A line never breaks inside "(26/10/2020)." or "Nagorno-Karabakh", only at spaces."""
    text = "yang mulai berlaku pada Senin (26/10/2020). Lalu Nagorno-Karabakh menolak."
    assert lines_of(text, 30) == ["yang mulai berlaku pada Senin", "(26/10/2020). Lalu", "Nagorno-Karabakh menolak."]


def test_a_run_wider_than_the_screen_is_cut():
    url = "https://example.com/" + "a" * 50
    lines = lines_of(f"lihat {url} sekarang", 20)
    assert "".join(lines).replace(" ", "") == f"lihat{url}sekarang"
    assert all(text_width(line) <= 20 for line in lines)


def test_label_tags_are_measured():
    text = "Armenia dan Azerbaijan"
    assert lines_of(text, 22) == [text]
    assert lines_of(text, 22, extra={7: 5}) == ["Armenia dan", "Azerbaijan"]


@given(st.text(alphabet=st.sampled_from(list("ab .,()-\n") + ["é", "👍", "中", "\u200b"]), max_size=120),
       st.integers(min_value=8, max_value=40))
def test_lines_cover_every_token_in_order(text, width):
    """Every non-space character is on exactly one line, in order, and lines never overlap."""
    tokens = tokenize(text)
    seen = []
    for start, end in zip(*paragraph_bounds(text)):
        lines = wrap_paragraph(text, tokens, start, end, width)
        assert lines[0].start == start and lines[-1].end == end
        for a, b in zip(lines, lines[1:]):
            assert a.end <= b.start
        seen += [i for line in lines for i in range(line.start, line.end) if not text[i].isspace()]
    assert seen == [i for i, ch in enumerate(text) if not ch.isspace()]


@given(st.text(alphabet=st.sampled_from(list("ab .,()-")), max_size=200), st.integers(min_value=8, max_value=40),
       st.dictionaries(st.integers(min_value=1, max_value=200), st.integers(min_value=1, max_value=12), max_size=8))
def test_plain_text_wraps_as_text_of_the_same_widths(text, width, extra):
    """ASCII text is measured by length (a 1 MB article wraps fast): it wraps exactly as the same text
    with an accented letter for each ``a`` (one cell too, but measured character by character)."""
    accented, tokens = text.replace("a", "á"), tokenize(text)  # the same tokens: only the measuring differs

    def offsets(t: str) -> list[tuple[int, int]]:
        return [(line.start, line.end) for line in wrap_paragraph(t, tokens, 0, len(t), width, extra)]

    assert offsets(text) == offsets(accented)


@given(st.lists(st.sampled_from([*"ab .,()-", "  ", "a" * 12]), max_size=80).map("".join),
       st.integers(min_value=8, max_value=40))
def test_untagged_plain_text_wraps_line_by_line_as_token_by_token(text, width):
    """Printable ASCII without tags is wrapped a line at a time (a 1 MB article opens fast): the lines
    are those of the token walk, as shown by the same text with accented letters, which takes it."""
    accented, tokens = text.replace("a", "á"), tokenize(text)
    for start, end in zip(*paragraph_bounds(text)):
        assert (wrap_paragraph(text, tokens, start, end, width)
                == wrap_paragraph(accented, tokens, start, end, width))
