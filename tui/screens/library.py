"""The article list: what there is to annotate, and how far this annotator has got."""
from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import DataTable, Header, Input, Static

from annotations.display import safe_text
from annotations.records import STATUSES

from ..keymap import LIBRARY
from ..widgets.footer import KeyFooter
from ..widgets.layout import clipped_title

STATUS_FILTERS = (None, *STATUSES)
STATUS_MARKS = {"todo": "·", "doing": "…", "done": "✓", "skipped": "»", "flagged": "!"}
PAGE = 500  # at most this many rows listed (the filter finds the others)
# Rows read and added at a time: more than a screenful, and few enough that the first frame and a
# filter key do not wait for hundreds of rows to be laid out; the next chunk comes as the cursor nears the end.
CHUNK = 60


class LibraryScreen(Screen):
    BINDINGS = LIBRARY

    def __init__(self) -> None:
        super().__init__()
        self.status_filter: str | None = None
        self.query_text = ""
        self.tagging = ""

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="summary")
        yield DataTable(id="articles", cursor_type="row", zebra_stripes=True)
        yield KeyFooter()  # the filter box goes above it when first asked for (see action_filter)

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_column("", key="status", width=1)
        table.add_column("Title", key="title")
        table.add_column("Outlet", key="source", width=13)
        table.add_column("Date", key="date", width=10)
        table.add_column("Ann", key="spans", width=4)
        table.add_column("Sug", key="sugs", width=4)
        self.listed: list = []  # the rows in the table (DocumentSummary), read from the store in chunks
        self.complete = True  # whether those are all there are (up to PAGE)
        table.focus()

    def on_screen_resume(self) -> None:
        """Also when the screen is first shown: the list is read here, once, before the first frame."""
        self.app.sub_title = safe_text(self.app.annotator)  # an article's title was in the header
        self.refresh_list()

    def refresh_list(self) -> None:
        """Read the list again: as many rows as there were, and at least a chunk and the cursor's row (more come
        as it moves down). Rows just as they are shown are left alone: a filter key that keeps the matches
        redraws only the summary line."""
        table = self.query_one(DataTable)
        keep = table.cursor_row
        current = self.current_id()
        rows, complete = self.read_rows(max(len(self.listed), keep + 1, CHUNK), 0)
        if rows != self.listed:
            table.clear()
            self.listed = []
            self.add_rows(rows)
            if current is not None and current in {r.id for r in rows}:
                table.move_cursor(row=table.get_row_index(current))
            elif rows:
                table.move_cursor(row=min(keep, len(rows) - 1))
        self.complete = complete
        self.update_summary()

    def read_rows(self, wanted: int, offset: int) -> tuple[list, bool]:
        """Up to ``wanted`` rows from ``offset`` on (never past PAGE in all), and whether no more follow."""
        app = self.app
        wanted = min(wanted, PAGE - offset)
        rows = app.store.list_documents(app.annotator, status=self.status_filter, query=self.query_text or None,
                                        limit=wanted, offset=offset) if wanted > 0 else []
        return rows, len(rows) < wanted or offset + len(rows) >= PAGE

    def add_rows(self, rows: list) -> None:
        """Add ``rows`` below the others."""
        table = self.query_one(DataTable)
        self.listed += rows
        width = max(self.size.width - 45, 20)
        for row in rows:
            table.add_row(
                Text(STATUS_MARKS[row.status], style="bold" if row.status == "done" else ""),
                Text(clipped_title(row.title, width)),  # titles come from the web: no escape codes to the terminal
                Text(safe_text(row.source or "—"), style="dim" if not row.source else ""),
                Text(safe_text(row.published or "—"), style="dim" if not row.published else ""),
                Text(str(row.spans), justify="right"),
                Text(str(row.open_suggestions), justify="right"),
                key=row.id,
            )

    @on(DataTable.RowHighlighted)
    def _more_rows(self, event: DataTable.RowHighlighted) -> None:
        """The next chunk, once the cursor is within a screenful of the last row read."""
        if not self.complete and event.cursor_row >= len(self.listed) - max(self.size.height, 1):
            rows, self.complete = self.read_rows(CHUNK, len(self.listed))
            self.add_rows(rows)

    def update_summary(self) -> None:
        app = self.app
        counts = app.store.status_counts(app.annotator)
        total = sum(counts.values())
        parts = [f"{counts['done']} of {total} done"]
        queue = app.store.queue_counts(app.annotator)
        if queue is not None:
            parts.append(f"yours: {queue[0]} of {queue[1]} done")
        parts += [f"{counts[s]} {s}" for s in ("doing", "skipped", "flagged") if counts[s]]
        parts.append(f"showing: {self.status_filter or 'all'}")
        if self.query_text:
            parts.append(f"matching “{safe_text(self.query_text)}”")
        if self.tagging:
            parts.append(self.tagging)
        self.query_one("#summary", Static).update(Text("  ·  ".join(parts)))

    def current_id(self) -> str | None:
        table = self.query_one(DataTable)
        if not table.row_count:
            return None
        return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value

    # -- actions ------------------------------------------------------------------

    def action_cursor_down(self) -> None:
        self.query_one(DataTable).action_cursor_down()

    def action_cursor_up(self) -> None:
        self.query_one(DataTable).action_cursor_up()

    def action_open(self) -> None:
        doc_id = self.current_id()
        if doc_id:
            self.app.open_article(doc_id)

    @on(DataTable.RowSelected)
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        self.app.open_article(event.row_key.value)

    async def action_filter(self) -> None:
        if not self.query("#filter"):  # made on first use: the first frame does without its styles
            await self.mount(Input(placeholder="filter: words in the title or text (enter to keep, escape to clear)",
                                   id="filter"), before=self.query_one(KeyFooter))
        box = self.query_one("#filter", Input)
        box.display = True
        box.value = self.query_text
        box.focus()

    @on(Input.Changed, "#filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self.query_text = event.value.strip()
        self.refresh_list()

    @on(Input.Submitted, "#filter")
    def _filter_done(self) -> None:
        self.query_one("#filter").display = False
        self.query_one(DataTable).focus()

    def key_escape(self) -> None:
        box = self.query("#filter").first(Input) if self.query("#filter") else None
        if box is not None and box.display:
            box.value = ""
            box.display = False
            self.query_one(DataTable).focus()

    def action_cycle_status(self) -> None:
        i = STATUS_FILTERS.index(self.status_filter)
        self.status_filter = STATUS_FILTERS[(i + 1) % len(STATUS_FILTERS)]
        self.refresh_list()

    def action_next_todo(self) -> None:
        doc_id = self.app.store.next_todo(self.app.annotator)
        if doc_id is None:
            self.notify("Nothing left to do: every article is done, skipped or flagged.")
        else:
            self.app.open_article(doc_id)

    def action_review(self) -> None:
        self.app.open_review()

    def action_team_status(self) -> None:
        from .status import StatusScreen

        self.app.push_screen(StatusScreen())

    def action_quit(self) -> None:
        """q: the keymap's action runs on this screen, which has to pass it on to the app."""
        self.app.exit()

    def action_help(self) -> None:
        from .help import HelpScreen

        self.app.push_screen(HelpScreen(self))

    def on_tandai_app_tagging_progress(self, message) -> None:
        self.tagging = "" if message.finished else f"pre-tagging {message.done}/{message.total}"
        if message.finished:
            self.refresh_list()
        else:
            self.update_summary()
