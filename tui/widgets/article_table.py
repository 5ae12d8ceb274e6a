"""The article list's table: a heading line, then one line per article, drawn a line at a time.

Textual's DataTable draws each visible cell through Rich's padding and styling
(six columns: 126 cells for a screenful) and draws them all again whenever a
row is added; that was most of the article list's first frame and of a filter
key's redraw. The list needs less: columns of fixed width (one takes what the
others leave), one line per row, a row cursor. So a line is put together from
its cells and drawn as one strip, and only the lines on screen are drawn.
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.binding import Binding
from textual.events import Click
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip


class Column(NamedTuple):
    heading: str
    width: int  # in cells; 0 for the column that takes what the others leave
    justify: str = "left"  # or "right"


PADDING = 1  # cells on each side of a cell
MIN_FLEX = 8  # the flexible column's least width


def laid_out(cells: Sequence[Text], widths: Sequence[int], columns: Sequence[Column]) -> Text:
    """One line: each cell cut (with an ellipsis) or padded to its column's width, a space either side."""
    line = Text(no_wrap=True, end="")
    pad = " " * PADDING
    for cell, width, column in zip(cells, widths, columns):
        cell = cell.copy()
        if cell.cell_len > width:
            cell.truncate(width, overflow="ellipsis")
        gap = " " * (width - cell.cell_len)
        line.append(pad)
        if column.justify == "right":
            line.append(gap)
            line.append_text(cell)
        else:
            line.append_text(cell)
            line.append(gap)
        line.append(pad)
    return line


def _same_cells(a: Sequence[Text], b: Sequence[Text]) -> bool:
    """Whether two rows look the same (Text's own == leaves out its style)."""
    return len(a) == len(b) and all(x.plain == y.plain and x.style == y.style and x.spans == y.spans
                                    for x, y in zip(a, b))


class ArticleTable(ScrollView, can_focus=True):
    """Rows of cells under a heading line that stays put, a row cursor, zebra stripes. Rows are keyed
    (an article id); enter or a click on a row posts ``RowSelected``, a cursor move ``RowHighlighted``."""

    BINDINGS = [
        Binding("enter", "select_cursor", "Select", show=False),
        Binding("up", "cursor_up", "Cursor up", show=False),
        Binding("down", "cursor_down", "Cursor down", show=False),
        Binding("pageup", "page_up", "Page up", show=False),
        Binding("pagedown", "page_down", "Page down", show=False),
        Binding("ctrl+home,home", "first", "First row", show=False),
        Binding("ctrl+end,end", "last", "Last row", show=False),
    ]
    COMPONENT_CLASSES = {"article-table--header", "article-table--even-row", "article-table--cursor"}
    # The looks of Textual's DataTable, in the theme's colours.
    DEFAULT_CSS = """
    ArticleTable {
        background: $surface;
        color: $foreground;
        &:focus {
            background-tint: $foreground 5%;
            & > .article-table--cursor {
                background: $block-cursor-background;
                color: $block-cursor-foreground;
                text-style: $block-cursor-text-style;
            }
            & > .article-table--header { background-tint: $foreground 5%; }
        }
        &:dark > .article-table--even-row { background: $surface-darken-1 40%; }
        & > .article-table--header { text-style: bold; background: $panel; color: $foreground; }
        & > .article-table--even-row { background: $surface-lighten-1 50%; }
        & > .article-table--cursor {
            background: $block-cursor-blurred-background;
            color: $block-cursor-blurred-foreground;
            text-style: $block-cursor-blurred-text-style;
        }
    }
    """

    # Messages with an __init__ of their own, not dataclasses: those compile their methods at import,
    # before the first frame.
    class RowHighlighted(Message):
        """The cursor is on another row."""

        def __init__(self, table: ArticleTable, cursor_row: int, row_key: str) -> None:
            super().__init__()
            self.table, self.cursor_row, self.row_key = table, cursor_row, row_key

    class RowSelected(Message):
        """Enter, or a click, on a row."""

        def __init__(self, table: ArticleTable, cursor_row: int, row_key: str) -> None:
            super().__init__()
            self.table, self.cursor_row, self.row_key = table, cursor_row, row_key

    def __init__(self, columns: Sequence[Column], *, id: str | None = None):
        super().__init__(id=id)
        self.columns = tuple(columns)
        self.keys: list[str] = []
        self.cells: list[Sequence[Text]] = []
        self._index: dict[str, int] = {}
        self.cursor_row = 0

    # -- rows -----------------------------------------------------------------------

    @property
    def row_count(self) -> int:
        return len(self.keys)

    @property
    def cursor_key(self) -> str | None:
        return self.keys[self.cursor_row] if self.keys else None

    def get_row_index(self, key: str) -> int:
        return self._index[key]

    def add_rows(self, rows: Sequence[tuple[str, Sequence[Text]]]) -> None:
        """Add (key, cells) rows below the others; only the lines they show are drawn."""
        had = len(self.keys)
        self._append(rows)
        if not had and self.keys:
            self._highlighted()

    def update_row(self, key: str, cells: Sequence[Text]) -> None:
        """Show ``cells`` in the row ``key`` (its line drawn again if in view)."""
        row = self._index[key]
        self.cells[row] = cells
        self._refresh_rows(row, row + 1)

    def replace_rows(self, rows: Sequence[tuple[str, Sequence[Text]]]) -> None:
        """Show ``rows`` instead: rows the same as before, from the top, stay as they are (not drawn again).
        The cursor keeps its line (or the last row) and is kept in view."""
        before = self.cursor_key
        same = 0
        for (key, cells), old_key, old_cells in zip(rows, self.keys, self.cells):
            if key != old_key or not _same_cells(cells, old_cells):
                break
            same += 1
        gone = len(self.keys)
        for key in self.keys[same:]:
            del self._index[key]
        del self.keys[same:], self.cells[same:]
        self._append(rows[same:])
        self._refresh_rows(same, gone)  # lines left blank by fewer rows
        self.cursor_row = max(min(self.cursor_row, len(self.keys) - 1), 0)
        self.move_cursor(self.cursor_row)
        if self.keys and self.cursor_key != before:
            self._highlighted()

    def _append(self, rows: Sequence[tuple[str, Sequence[Text]]]) -> None:
        first = len(self.keys)
        for key, cells in rows:
            self._index[key] = len(self.keys)
            self.keys.append(key)
            self.cells.append(cells)
        self._resized()
        self._refresh_rows(first, len(self.keys))

    def _resized(self) -> None:
        self.virtual_size = Size(0, len(self.keys) + 1)  # the heading line, then the rows

    def _refresh_rows(self, first: int, end: int) -> None:
        """Draw again the lines of rows ``first`` to ``end`` (row r is line r + 1, under the heading);
        those out of view are not drawn."""
        if end > first:
            self.refresh_lines(first + 1, end - first)

    def _shown(self) -> int:
        """How many rows fit under the heading."""
        return max(self.scrollable_content_region.height - 1, 1)

    # -- the cursor -----------------------------------------------------------------

    def move_cursor(self, row: int) -> None:
        """Put the cursor on ``row`` (kept within the rows) and in view."""
        if not self.keys:
            return
        row = max(0, min(row, len(self.keys) - 1))
        before, self.cursor_row = self.cursor_row, row
        top, shown = int(self.scroll_offset.y), self._shown()
        if row < top:
            self.scroll_to(y=row, animate=False, immediate=True)
        elif row >= top + shown:
            self.scroll_to(y=row - shown + 1, animate=False, immediate=True)
        self._refresh_rows(before, before + 1)
        self._refresh_rows(row, row + 1)
        if row != before:
            self._highlighted()

    def _highlighted(self) -> None:
        self.post_message(self.RowHighlighted(self, self.cursor_row, self.keys[self.cursor_row]))

    def action_cursor_down(self) -> None:
        self.move_cursor(self.cursor_row + 1)

    def action_cursor_up(self) -> None:
        self.move_cursor(self.cursor_row - 1)

    def action_page_down(self) -> None:
        self.move_cursor(self.cursor_row + self._shown())

    def action_page_up(self) -> None:
        self.move_cursor(self.cursor_row - self._shown())

    def action_first(self) -> None:
        self.move_cursor(0)

    def action_last(self) -> None:
        self.move_cursor(len(self.keys) - 1)

    def action_select_cursor(self) -> None:
        if self.keys:
            self.post_message(self.RowSelected(self, self.cursor_row, self.keys[self.cursor_row]))

    def on_click(self, event: Click) -> None:
        """A click on a row puts the cursor there and selects it (as DataTable does)."""
        row = int(self.scroll_offset.y) + event.y - 1
        if event.y >= 1 and 0 <= row < len(self.keys):
            self.move_cursor(row)
            self.action_select_cursor()

    # -- drawing --------------------------------------------------------------------

    def widths(self, width: int) -> list[int]:
        """Each column's width in cells on a line of ``width``."""
        fixed = sum(c.width for c in self.columns) + 2 * PADDING * len(self.columns)
        return [c.width or max(width - fixed, MIN_FLEX) for c in self.columns]

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        base = self.rich_style
        if y == 0:
            cells: Sequence[Text] = [Text(c.heading) for c in self.columns]
            style, post = base + self.get_component_rich_style("article-table--header"), None
        else:
            row = int(self.scroll_offset.y) + y - 1
            if row >= len(self.keys):
                return Strip.blank(width, base)
            cells = self.cells[row]
            style = base + self.get_component_rich_style("article-table--even-row") if row % 2 == 0 else base
            post = None
            if row == self.cursor_row:
                cursor = self.get_component_rich_style("article-table--cursor")
                style += cursor
                post = Style(color=cursor.color, bgcolor=cursor.bgcolor)
        line = laid_out(cells, self.widths(width), self.columns)
        segments = Segment.apply_style(line.render(self.app.console), style, post)
        return Strip(segments).adjust_cell_length(width, style)
