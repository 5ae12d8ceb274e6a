"""Wrapping article text into screen lines, and showing it safely.

Pure functions over the stored text and tokens (no widgets), so the document
view can re-wrap one paragraph at a time and tests can check offsets
directly. Every character keeps its code-point offset: a screen line is a
range of offsets, and the text is never parsed as markup. Control
characters, escape sequences and invisible format characters are shown as
visible stand-ins so text from the web cannot style or steer the terminal.
"""
from __future__ import annotations

from array import array
from bisect import bisect_left
from collections.abc import Sequence
from functools import lru_cache
from typing import NamedTuple

from rich.cells import cell_len

from annotations.display import clipped, safe_text, stand_in


class ScreenLine(NamedTuple):
    """Offsets [start, end) of the text shown on one screen line."""

    start: int
    end: int


@lru_cache(maxsize=4096)
def show_char(ch: str) -> tuple[str, int, bool]:
    """(what to draw, its width in cells, whether it is a stand-in) for one character of an article."""
    if ch == "\t":
        return " ", 1, False
    shown = stand_in(ch)
    if shown is not None:
        return shown, 1, True
    return ch, (1 if ch.isascii() else cell_len(ch)), False


def clipped_title(title: str, width: int) -> str:
    """A title for a table cell: visible, and cut with an ellipsis to ``width`` characters."""
    return clipped(safe_text(title), width)


def text_width(text: str) -> int:
    if text.isascii() and text.isprintable():
        return len(text)
    return sum(show_char(ch)[1] for ch in text)


def wrap_paragraph(text: str, tokens: Sequence[tuple[int, int]], start: int, end: int, width: int,
                   extra: dict[int, int] | None = None) -> list[ScreenLine]:
    """Screen lines for text[start:end] (one paragraph, no newline inside).

    Lines break at spaces: tokens with nothing between them ("(26/10/2020).")
    stay on one line, and only a run wider than the screen (a URL, text with
    no spaces) is cut. ``extra`` maps an offset to cells drawn after it (label
    tags), so they are measured too. Spaces where a line breaks are not shown.
    """
    width = max(width, 8)
    if start == end:
        return [ScreenLine(start, end)]
    extra = extra or {}
    part = text[start:end]
    plain = part.isascii() and part.isprintable()  # one cell a character: widths are lengths (a 1 MB article)
    if plain and not extra:
        lines = _wrap_at_spaces(text, start, end, width)
        if lines is not None:
            return lines
    from annotations.tokens import TokenOffsets  # here: the article list's first frame needs no tokenizer

    tokens = TokenOffsets.of(tokens)
    starts, ends = tokens.starts, tokens.ends
    lines = []
    line_start, x, prev_end = start, 0, start
    i, count = bisect_left(starts, start), len(starts)
    while i < count and starts[i] < end:
        run_start, run_end = starts[i], ends[i]
        run_w = run_end - run_start if plain else text_width(text[run_start:run_end])
        if extra:
            run_w += extra.get(run_end, 0)
        i += 1
        while i < count and starts[i] == run_end and run_end < end:  # glued: no space between
            glued, run_end = starts[i], ends[i]
            run_w += run_end - glued if plain else text_width(text[glued:run_end])
            if extra:
                run_w += extra.get(run_end, 0)
            i += 1
        gap = run_start - prev_end if plain else text_width(text[prev_end:run_start])
        if x and x + gap + run_w > width:
            lines.append(ScreenLine(line_start, prev_end))
            line_start, x, gap = run_start, 0, 0
        if run_w > width:  # cut a run too wide for the screen into pieces
            x += gap
            for pos in range(run_start, run_end):
                w = show_char(text[pos])[1]
                if x + w > width and x:
                    lines.append(ScreenLine(line_start, pos))
                    line_start, x = pos, 0
                x += w + extra.get(pos + 1, 0)
        else:
            x += gap + run_w
        prev_end = run_end
    lines.append(ScreenLine(line_start, end))
    return lines


def _wrap_at_spaces(text: str, start: int, end: int, width: int) -> list[ScreenLine] | None:
    """``wrap_paragraph`` for printable ASCII with no tags, a line at a time instead of a token at a
    time: there every character is a cell and runs of tokens are what lies between spaces, so a line
    ends at the last run ending within ``width`` of its start. None where a line's first run does not
    fit (a run to cut, spaces before the paragraph's first word): the token walk handles those."""
    lines = []
    line_start = start
    while end - line_start > width:
        space = text.rfind(" ", line_start, line_start + width + 1)
        line_end = space
        while line_end > line_start and text[line_end - 1] == " ":
            line_end -= 1
        if line_end <= line_start:
            return None
        following = space + 1
        while following < end and text[following] == " ":
            following += 1
        if following == end:  # only spaces after it: they stay on the last line
            break
        lines.append(ScreenLine(line_start, line_end))
        line_start = following
    lines.append(ScreenLine(line_start, end))
    return lines


def paragraph_bounds(text: str) -> tuple[array, array]:
    """(starts, ends) of each line of the text, split at newlines (which are not shown), as arrays."""
    starts, ends = array("i"), array("i")
    pos, find = 0, text.find
    while (newline := find("\n", pos)) >= 0:
        starts.append(pos)
        ends.append(newline)
        pos = newline + 1
    starts.append(pos)
    ends.append(len(text))
    return starts, ends
