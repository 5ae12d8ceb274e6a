"""The article view: a ScrollView drawing one screen line at a time (Line API).

Long articles stay fast and small because only visible lines are drawn, the
last few hundred drawn lines are cached, a cursor move redraws just the lines
it touches, and a label change re-wraps only its paragraph. Tokens, paragraphs
and screen lines are held as arrays of offsets (a 1 MB article has 150,000
tokens and 13,000 lines). Offsets on screen are the stored code points: the
cursor is a token index into the stored tokens.

Wrapping is lazy: before the first frame only the paragraphs up to a screen
past the cursor are wrapped; the rest are wrapped after it, a step at a time
between keys, and at once up to wherever a key or the scroll reaches first.
Lines are only ever added after the wrapped ones, so what is on screen never
moves while the rest is wrapped. Marks may come the same way (``set_marks``'s
``rest``): those of the article's start first, the rest read after the first
frame, or at once when anything asks for marks past the start.
"""
from __future__ import annotations

import asyncio
from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from rich.segment import Segment
from rich.style import Style
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.worker import Worker

from annotations.display import safe_text
from annotations.tokens import TokenOffsets

from .label_styles import LabelStyles
from .layout import ScreenLine, paragraph_bounds, show_char, wrap_paragraph
from .marks import Mark, Marks

ROLE_STYLE = Style(reverse=True, bold=True)  # role tags stand out from label tags without a colour of their own
CACHED_LINES = 256  # drawn lines kept: a few screens, however long the article
SPLICED_PARAGRAPHS = 64  # more paragraphs to wrap again than this (accepting every suggestion): wrap them all
WRAP_STEP = 32_768  # characters wrapped before the first frame at least, and in each step after it (a few ms)


class DocumentView(ScrollView, can_focus=True, inherit_bindings=False):
    """Shows one article with its marks, a token cursor and a selection.

    The arrow keys belong to the screen's keymap (cursor moves), so the
    ScrollView's own arrow/home/end scrolling bindings are not inherited.
    """

    BINDINGS = [
        Binding("pageup", "page_up", "Page up", show=False),
        Binding("pagedown", "page_down", "Page down", show=False),
    ]

    DEFAULT_CSS = """
    DocumentView { background: $surface; padding: 0 1; }
    """

    cursor: reactive[int] = reactive(0, layout=False, repaint=False)

    @dataclass
    class CursorMoved(Message):
        offset: int

    def __init__(self, *, id: str | None = None, classes: str | None = None):
        super().__init__(id=id, classes=classes)
        self.text = ""
        self.tokens = TokenOffsets.of(())
        self._marks = Marks()
        self._rest: tuple[int, Callable[[], Marks]] | None = None  # (from where, how) the marks not read yet
        self._after_frame = False  # work waits for the next frame drawn (the rest of the marks, of the wrapping)
        self.anchor: int | None = None
        self.show_suggestion_tags = False
        self.label_index: dict[str, int] = {}
        self._para_starts, self._para_ends = array("i"), array("i")
        self._line_starts, self._line_ends = array("i"), array("i")  # screen line n shows [starts[n], ends[n])
        self._wrapped = 0  # paragraphs [0, _wrapped) have their screen lines; the rest are not wrapped yet
        self._unwrapped_lines = 0  # about the fewest lines the paragraphs not wrapped yet take
        self._wrapping: Worker | None = None  # wrapping the rest, after the frame
        self.roles: dict[int, tuple[str, ...]] = {}  # span id -> the roles it fills for the head in view
        self._tag_cells: dict[int, int] = {}  # offset -> cells of the tags drawn after it
        self._tag_offsets: list[int] = []  # its keys, sorted: each paragraph takes its slice by bisection
        self._cache: dict[int, Strip] = {}  # drawn lines, oldest first
        self._width = 0
        self._styles: dict[tuple, Style] = {}
        self._looks: LabelStyles | None = None

    # -- content ------------------------------------------------------------------

    def load(self, text: str, tokens: Sequence[tuple[int, int]], cursor: int = 0) -> None:
        """Show another text; it is wrapped once, with its tags, by the ``set_marks`` that must follow
        (wrapping it here too would wrap a large article twice)."""
        self.text = text
        self.tokens = TokenOffsets.of(tokens)
        self._para_starts, self._para_ends = paragraph_bounds(text)
        self._line_starts, self._line_ends = array("i"), array("i")
        self._wrapped, self._unwrapped_lines = 0, 0
        self._width = 0  # not wrapped: the next _relayout wraps every paragraph
        self._marks, self._rest = Marks(), None
        self._tag_cells, self._tag_offsets = {}, []
        self.anchor = None
        self.set_reactive(DocumentView.cursor, min(cursor, max(len(self.tokens) - 1, 0)))
        self.scroll_to(y=0, animate=False)
        self.call_after_refresh(self.scroll_cursor_visible)

    @property
    def marks(self) -> Marks:
        """The marks drawn, every one (those not read yet are read first)."""
        self.read_rest()
        return self._marks

    def set_marks(self, marks: Iterable[Mark], rest: tuple[int, Callable[[], Marks]] | None = None) -> None:
        """Draw these marks (a ``Marks``, or any marks, put in text order here); after ``load``, wrap.
        ``rest``: (offset, read) when these are only the marks starting before the offset: ``read()``
        gives the others, called after the first frame or as soon as marks past the offset are asked for."""
        self._marks = marks if isinstance(marks, Marks) else Marks(marks)
        self._rest = rest
        self._after_frame = self._after_frame or rest is not None
        self._retag()

    def read_rest(self) -> None:
        """Read the marks not read yet, if any, and draw them among the others."""
        if self._rest is None:
            return
        read, self._rest = self._rest[1], None
        more = read()
        if more:
            self.change_marks(self._marks.merged(more), Marks(), more)

    def change_marks(self, marks: Marks, gone: Marks, new: Marks) -> None:
        """Draw ``marks``: those drawn, less ``gone``, plus ``new`` (a write's, a few or Y's thousands). Only
        the tags where those end are counted again, from their arrays, and only the paragraphs with a tag
        that changed are wrapped again."""
        self._marks = marks
        cells, changed = self._tag_cells, set()
        for sign, some in ((-1, gone), (1, new)):
            for at, width in self._tag_widths(some).items():
                cells[at] = cells.get(at, 0) + sign * width
                changed.add(at)
        for at in [at for at in changed if not cells[at]]:
            del cells[at]
        if len(changed) > SPLICED_PARAGRAPHS:
            self._tag_offsets = sorted(cells)
        else:
            offsets = self._tag_offsets
            for at in changed:
                there = bisect_left(offsets, at)
                listed = there < len(offsets) and offsets[there] == at
                if at in cells and not listed:
                    offsets.insert(there, at)
                elif at not in cells and listed:
                    del offsets[there]
        self._relayout(changed)

    def marks_over(self, start: int, end: int) -> list[Mark]:
        """The marks overlapping ``start``-``end``, in text order (read whole first if it reaches past
        those read)."""
        if self._rest is not None and end > self._rest[0]:
            self.read_rest()
        return self._marks.over(start, end)

    def set_roles(self, roles: dict[int, tuple[str, ...]]) -> None:
        """Mark the arguments of the event or claim in view with their roles (``{span id: roles}``)."""
        if roles != self.roles:
            self.roles = roles
            self._retag()

    def role_tag(self, mark: Mark) -> str:
        """``‹AGENT›`` after an argument of the head in view (drawn as a cell run, never as markup)."""
        roles = self.roles.get(mark.id) if mark.kind == "span" else None
        return safe_text(f"‹{','.join(roles)}›") if roles else ""

    def _tagged(self, mark: Mark) -> bool:
        """Whether the mark's tag is drawn after it: spans always, suggestions where colours are few."""
        return mark.kind == "span" or self.show_suggestion_tags

    def _tag_widths(self, marks: Marks) -> dict[int, int]:
        """Offset -> cells of the tags (label and role) drawn there after these marks."""
        cells = marks.tag_cells(("span", "suggestion") if self.show_suggestion_tags else ("span",))
        for mark in marks.having("span", self.roles) if self.roles else ():
            cells[mark.end] += len(self.role_tag(mark))
        return cells

    def _retag(self) -> None:
        cells = self._tag_widths(self._marks)  # those read: the rest's are counted when they come
        old = self._tag_cells
        changed = [off for off in cells.keys() | old.keys() if cells.get(off) != old.get(off)]
        self._tag_cells, self._tag_offsets = cells, sorted(cells)
        self._relayout(changed)

    @property
    def line_count(self) -> int:
        """Screen lines: those wrapped, and about the fewest the rest take (exact once all are wrapped)."""
        return len(self._line_starts) + self._unwrapped_lines

    def _relayout(self, changed: Iterable[int] | None = None) -> None:
        """Wrap the text again: every paragraph (``changed`` None, or a new width), else only those with
        a tag after an offset in ``changed``."""
        region = self.scrollable_content_region
        if not region.width:
            return  # not laid out yet: the first resize wraps the text once, at the width it will have
        # the width with no vertical scrollbar, and whether the lines will need one (which takes columns):
        # there are about as many lines as characters over the width, or more (a 1 MB article is wrapped once)
        bar = self.styles.scrollbar_size_vertical
        full = region.width + (bar if self.show_vertical_scrollbar else 0)
        narrow = max(full - bar, 20)
        scrolls = bool(bar) and self._lines_at_least(max(full, 20)) > region.height
        width = narrow if scrolls else max(full, 20)
        if changed is not None and self._width == narrow and self.line_count > region.height:
            width = narrow  # wrapped beside the bar last time, as the lines did not fit: they still do not
        if changed is None or width != self._width:
            self._wrap_all(width)
        else:
            self._rewrap(changed)
        if bar and self._width != narrow and self.line_count > region.height:  # taller than said: beside the bar
            self._wrap_all(narrow)
        self._cache.clear()
        self.virtual_size = Size(self._width, self.line_count)
        self.refresh()

    def _lines_at_least(self, width: int, first: int = 0) -> int:
        """About the fewest lines the paragraphs from ``first`` on take at ``width``: one each, and one per
        ``width`` characters of them (counted in constant time: a 1 MB article has 9,000 paragraphs)."""
        count = len(self._para_starts) - first
        if count <= 0:
            return 0
        chars = len(self.text) - self._para_starts[first] - (count - 1)  # less the newlines between them
        return max(count, -(-chars // width))

    def _paragraph_lines(self, start: int, end: int, width: int) -> list[ScreenLine]:
        """The screen lines of the paragraph ``start``-``end``, with the tags drawn in it (start < offset <= end)."""
        offsets = self._tag_offsets
        lo, hi = bisect_right(offsets, start), bisect_right(offsets, end)
        extra = {off: self._tag_cells[off] for off in offsets[lo:hi]} if lo < hi else None
        return wrap_paragraph(self.text, self.tokens, start, end, width, extra)

    def _wrap_all(self, width: int) -> None:
        """Wrap the text again at ``width``: now, up to a screen past the cursor (at least WRAP_STEP
        characters: a short article at once), the rest after the frame."""
        self._width = width
        self._line_starts, self._line_ends = array("i"), array("i")
        self._wrapped, self._unwrapped_lines = 0, self._lines_at_least(width)
        screen = max(self.scrollable_content_region.height, 1) * width
        self._wrap_through(max(self.cursor_offset + screen, WRAP_STEP))
        if self._wrapped < len(self._para_starts):
            self._after_frame = True

    def _wrap_paragraphs(self, upto: int) -> None:
        """Wrap the paragraphs after those wrapped, up to paragraph ``upto`` (excluded)."""
        starts, ends, width = self._line_starts, self._line_ends, self._width
        for start, end in zip(self._para_starts[self._wrapped:upto], self._para_ends[self._wrapped:upto]):
            for line in self._paragraph_lines(start, end, width):
                starts.append(line.start)
                ends.append(line.end)
        self._wrapped = max(self._wrapped, upto)
        self._unwrapped_lines = self._lines_at_least(width, self._wrapped)

    def _wrap_through(self, offset: int) -> None:
        """Wrap every paragraph that starts at or before ``offset`` (none before the text has a width)."""
        if not self._width:
            return
        upto = bisect_right(self._para_starts, offset)
        if upto > self._wrapped:
            self._wrap_paragraphs(upto)

    def _has_line(self, index: int) -> bool:
        """Whether screen line ``index`` is there, wrapping up to it if it is not wrapped yet."""
        while index >= len(self._line_starts) and self._width and self._wrapped < len(self._para_starts):
            self._wrap_through(self._para_starts[self._wrapped] + WRAP_STEP)
        return 0 <= index < len(self._line_starts)

    def _later(self) -> None:
        """After the frame: read the rest of the marks, then wrap the rest of the text, between keys."""
        self.read_rest()
        self._wrap_later()

    def _wrap_later(self) -> None:
        if self._wrapping is None and self._width and self._wrapped < len(self._para_starts):
            self._wrapping = self.run_worker(self._wrap_rest(), name="wrapping", group="wrapping")

    async def _wrap_rest(self) -> None:
        """Wrap the paragraphs not wrapped yet, WRAP_STEP characters at a time with the keys handled
        between; then the scroll height is the exact one. Another text or width is wrapped on from
        where it is; a view emptied (no width) stops it."""
        try:
            while True:
                await asyncio.sleep(0)
                if not (self._width and self._wrapped < len(self._para_starts)):
                    break
                self._wrap_through(self._para_starts[self._wrapped] + WRAP_STEP)
            if self._width:
                self._sized()
        finally:
            self._wrapping = None

    def _sized(self) -> None:
        """The scroll height as the lines wrapped so far say (a key that wrapped more may scroll there)."""
        if self.virtual_size.height != self.line_count:
            self.virtual_size = Size(self._width, self.line_count)

    def _rewrap(self, changed: Iterable[int]) -> None:
        """Wrap again only the paragraphs with a tag after one of these offsets, splicing their lines in
        (line starts rise strictly, so a paragraph's lines are found by bisection)."""
        found = set()
        for off in changed:
            n = bisect_left(self._para_ends, off)
            if n < self._wrapped and self._para_starts[n] < off:  # the others are wrapped with their tags later
                found.add(n)
        if len(found) > SPLICED_PARAGRAPHS:  # each splice moves every line after it: one pass is cheaper
            self._wrap_all(self._width)
            return
        for n in sorted(found, reverse=True):  # from the end: the lines before stay where they are
            start, end = self._para_starts[n], self._para_ends[n]
            first, last = bisect_left(self._line_starts, start), bisect_left(self._line_starts, end + 1)
            lines = self._paragraph_lines(start, end, self._width)
            self._line_starts[first:last] = array("i", (line.start for line in lines))
            self._line_ends[first:last] = array("i", (line.end for line in lines))

    def on_resize(self) -> None:
        if not self.text:
            return
        if self.scrollable_content_region.width != self._width:
            self._relayout()
        self.scroll_cursor_visible()  # also when only the height changed (a status line that grew)

    # -- cursor and selection -----------------------------------------------------

    @property
    def cursor_offset(self) -> int:
        return self.tokens.starts[self.cursor] if self.tokens else 0

    @property
    def selection(self) -> tuple[int, int] | None:
        """Token indices (first, last) of the selection, inclusive."""
        if self.anchor is None:
            return None
        return min(self.anchor, self.cursor), max(self.anchor, self.cursor)

    def selection_offsets(self) -> tuple[int, int]:
        """Character range of the selection, or of the cursor token when nothing is selected."""
        first, last = self.selection or (self.cursor, self.cursor)
        return self.tokens[first][0], self.tokens[last][1]

    def line_of(self, offset: int) -> int:
        self._wrap_through(offset)
        return max(bisect_right(self._line_starts, offset) - 1, 0)

    def _touched_lines(self) -> set[int]:
        first, last = self.selection or (self.cursor, self.cursor)
        if not self.tokens:
            return set()
        return set(range(self.line_of(self.tokens[first][0]), self.line_of(self.tokens[last][1] - 1) + 1))

    def move_to(self, token: int, *, select: bool | None = None) -> None:
        """Put the cursor on a token; ``select`` True extends (or starts) the selection, False clears it."""
        if not self.tokens:
            return
        token = max(0, min(token, len(self.tokens) - 1))
        before = self._touched_lines()
        if select is True and self.anchor is None:
            self.anchor = self.cursor
        elif select is False:
            self.anchor = None
        self.cursor = token
        self._repaint(before | self._touched_lines())
        self.scroll_cursor_visible()
        self.post_message(self.CursorMoved(self.cursor_offset))

    def clear_selection(self) -> bool:
        if self.anchor is None:
            return False
        before = self._touched_lines()
        self.anchor = None
        self._repaint(before)
        return True

    def start_selection(self) -> None:
        self.anchor = self.cursor
        self._repaint(self._touched_lines())

    def token_at(self, offset: int) -> int:
        """The token containing (or the first after) a character offset."""
        return self.tokens.index_at(offset)

    def line_move(self, step: int) -> int:
        """The token on the screen line ``step`` lines away, nearest the cursor's column."""
        if not self.tokens:
            return 0
        here = self.line_of(self.cursor_offset)
        target = here + step
        if not self._has_line(target):
            return self.cursor
        column = self._column(here, self.cursor_offset)
        line_starts, line_ends = self._line_starts, self._line_ends
        while line_starts[target] == line_ends[target] and 0 < target and self._has_line(target + 1):  # skip blank lines
            target += 1 if step > 0 else -1
        line_start, line_end = line_starts[target], line_ends[target]
        starts = self.tokens.starts
        best, best_distance = None, None
        i = bisect_left(starts, line_start)
        while i < len(starts) and starts[i] < max(line_end, line_start + 1):
            distance = abs(self._column(target, starts[i]) - column)
            if best_distance is None or distance < best_distance:
                best, best_distance = i, distance
            i += 1
        return self.cursor if best is None else best

    def _column(self, line_index: int, offset: int) -> int:
        return sum(show_char(ch)[1] for ch in self.text[self._line_starts[line_index]:offset])

    def scroll_cursor_visible(self) -> None:
        if not self.tokens or not self.line_count:
            return
        y = self.line_of(self.cursor_offset)
        self._sized()
        height = self.scrollable_content_region.height or 1
        top = self.scroll_offset.y
        if y < top:
            self.scroll_to(y=y, animate=False)
        elif y >= top + height:
            self.scroll_to(y=y - height + 1, animate=False)

    def _repaint(self, lines: set[int]) -> None:
        for y in lines:
            self._cache.pop(y, None)
            self.refresh_line(y)

    def repaint_all(self) -> None:
        self._cache.clear()
        self.refresh()

    # -- drawing ---------------------------------------------------------------------

    def on_mount(self) -> None:
        self.app.theme_changed_signal.subscribe(self, self._theme_changed)

    def _theme_changed(self, _theme) -> None:
        self._looks = None
        self.repaint_all()

    def _label_styles(self) -> LabelStyles:
        """Label looks for the current theme and terminal (see ``label_styles``), made once per theme."""
        if self._looks is None or self._looks.label_index is not self.label_index:
            self._looks = LabelStyles.for_app(self.app, self.label_index)
            self._styles.clear()  # every cached style was made from the old looks
        return self._looks

    def _style(self, key: tuple) -> Style:
        """Style for a combination of (layer, label, kind) marks plus cursor/selection/escape flags."""
        looks = self._label_styles()  # first: a new theme or scheme empties the cache
        style = self._styles.get(key)
        if style is not None:
            return style
        marks, cursor, selected, escaped = key
        style = looks.span(marks)
        if escaped:
            style += Style(dim=True, italic=True)
        if selected:
            style += Style(reverse=True)
        if cursor:
            style += Style(reverse=True, bold=True, underline=True)
        self._styles[key] = style
        return style

    def _tag_style(self, mark: Mark) -> Style:
        looks = self._label_styles()
        key = ("tag", mark.label, mark.kind)
        style = self._styles.get(key)
        if style is None:
            style = self._styles[key] = looks.tag(mark.label, mark.kind)
        return style

    def render_line(self, y: int) -> Strip:
        if self._after_frame:  # the frame that shows the article is being drawn: the rest comes after it
            self._after_frame = False
            self.call_after_refresh(self._later)
        index = y + self.scroll_offset.y
        if not self._has_line(index):
            return Strip.blank(self.size.width, self.rich_style)
        strip = self._cache.get(index)
        if strip is None:
            strip = self._draw(index)
            self._cache[index] = strip
            if len(self._cache) > CACHED_LINES:
                del self._cache[next(iter(self._cache))]
        return strip.crop_extend(self.scroll_offset.x, self.scroll_offset.x + self.size.width, self.rich_style)

    def _draw(self, index: int) -> Strip:
        self._has_line(index)
        if self._rest is not None and self._line_ends[index] > self._rest[0]:
            # the rest's tags may wrap this line's paragraph again: read them before taking its bounds
            self.read_rest()
            self._has_line(index)
        line_start, line_end = self._line_starts[index], self._line_ends[index]
        text = self.text
        here = self.marks_over(line_start, line_end)
        tags: dict[int, list[Mark]] = {}  # the tags drawn after each offset on the line
        for mark in here:
            if line_start < mark.end <= line_end and self._tagged(mark):
                tags.setdefault(mark.end, []).append(mark)
        cursor_start, cursor_end = (self.tokens[self.cursor] if self.tokens else (-1, -1))
        sel_start, sel_end = self.selection_offsets() if self.anchor is not None else (-1, -1)
        # what is drawn changes only at these offsets (the edges of marks, cursor and selection, and where
        # tags go): between two, every character has the same marks and the same cursor and selection
        edges = {line_start, line_end, cursor_start, cursor_end, sel_start, sel_end, *tags}
        for mark in here:
            edges.add(mark.start)
            edges.add(mark.end)
        edges = sorted(edge for edge in edges if line_start <= edge <= line_end)
        segments: list[Segment] = []
        run, run_key = [], None
        base = self.rich_style
        for start, end in zip(edges, edges[1:]):
            marks = tuple((m.layer, m.label, m.kind, m.agreed) for m in here if m.start <= start < m.end)
            cursor, selected = cursor_start <= start < cursor_end, sel_start <= start < sel_end
            piece = text[start:end]
            if piece.isascii() and piece.isprintable():  # shown as it is: one run
                shown_chars = ((piece, False),)
            else:
                shown_chars = ((shown, escaped) for shown, _, escaped in map(show_char, piece))
            for shown, escaped in shown_chars:
                key = (marks, cursor, selected, escaped)
                if key != run_key and run:
                    segments.append(Segment("".join(run), base + self._style(run_key)))
                    run = []
                run_key = key
                run.append(shown)
            for mark in tags.get(end, ()):
                if run:
                    segments.append(Segment("".join(run), base + self._style(run_key)))
                    run = []
                segments.append(Segment(mark.tag, base + self._tag_style(mark)))
                role = self.role_tag(mark)
                if role:
                    segments.append(Segment(role, base + self._tag_style(mark) + ROLE_STYLE))
        if run:
            segments.append(Segment("".join(run), base + self._style(run_key)))
        return Strip(segments)
