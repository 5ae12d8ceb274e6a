"""The article list: what there is to annotate, and how far this annotator has got."""
from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Input, Static

from annotations.display import safe_text
from annotations.records import STATUSES

from ..keymap import LIBRARY
from ..widgets.article_table import ArticleTable, Column
from ..widgets.footer import KeyFooter
from ..widgets.title_bar import TitleBar

STATUS_FILTERS = (None, *STATUSES)
STATUS_MARKS = {"todo": "·", "doing": "…", "done": "✓", "skipped": "»", "flagged": "!"}
PAGE = 500  # at most this many rows listed (the filter finds the others)
# Rows read and added at a time: more than a screenful, and few enough that the first frame and a
# filter key do not wait for hundreds of rows to be laid out; the next chunk comes as the cursor nears the end.
CHUNK = 60
COLUMNS = (Column("", 1), Column("Title", 0), Column("Outlet", 13), Column("Date", 10), Column("Ann", 4, "right"),
           Column("Sug", 4, "right"))


class LibraryScreen(Screen):
    BINDINGS = LIBRARY

    def __init__(self) -> None:
        super().__init__()
        self.status_filter: str | None = None
        self.query_text = ""
        self.tagging = ""

    def compose(self) -> ComposeResult:
        yield TitleBar()
        yield Static(id="summary")
        yield ArticleTable(COLUMNS, id="articles")
        yield KeyFooter()  # the filter box goes above it when first asked for (see action_filter)

    def on_mount(self) -> None:
        self.listed: list = []  # the rows in the table (DocumentSummary), read from the store in chunks
        self.complete = True  # whether those are all there are (up to PAGE)
        self.query_one(ArticleTable).focus()

    def on_screen_resume(self) -> None:
        """Also when the screen is first shown: the list is read here, once, before the first frame."""
        self.app.sub_title = safe_text(self.app.annotator)  # an article's title was in the header
        self.refresh_list()

    def refresh_list(self) -> None:
        """Read the list again: as many rows as there were, and at least a chunk and the cursor's row (more come
        as it moves down). Rows just as they are shown are left alone: a filter key that keeps the matches
        redraws only the summary line."""
        table = self.query_one(ArticleTable)
        current = table.cursor_key
        rows, complete = self.read_rows(max(len(self.listed), table.cursor_row + 1, CHUNK), 0)
        if rows != self.listed:
            self.listed = rows
            table.replace_rows([self.table_row(row) for row in rows])
            if current is not None and current in {r.id for r in rows}:
                table.move_cursor(table.get_row_index(current))
        self.complete = complete
        self.update_summary()

    def read_rows(self, wanted: int, offset: int) -> tuple[list, bool]:
        """Up to ``wanted`` rows from ``offset`` on (never past PAGE in all), and whether no more follow."""
        app = self.app
        wanted = min(wanted, PAGE - offset)
        rows = app.store.list_documents(app.annotator, status=self.status_filter, query=self.query_text or None,
                                        limit=wanted, offset=offset) if wanted > 0 else []
        return rows, len(rows) < wanted or offset + len(rows) >= PAGE

    @staticmethod
    def table_row(row) -> tuple[str, tuple[Text, ...]]:
        """An article's line: its key and cells (text from the web shown with ``safe_text``: no escape codes
        reach the terminal)."""
        return row.id, (Text(STATUS_MARKS[row.status], style="bold" if row.status == "done" else ""),
                        Text(safe_text(row.title)),
                        Text(safe_text(row.source or "—"), style="dim" if not row.source else ""),
                        Text(safe_text(row.published or "—"), style="dim" if not row.published else ""),
                        Text(str(row.spans)), Text(str(row.open_suggestions)))

    @on(ArticleTable.RowHighlighted)
    def _more_rows(self, event: ArticleTable.RowHighlighted) -> None:
        """The next chunk, once the cursor is within a screenful of the last row read."""
        if not self.complete and event.cursor_row >= len(self.listed) - max(self.size.height, 1):
            rows, self.complete = self.read_rows(CHUNK, len(self.listed))
            self.listed = self.listed + rows
            self.query_one(ArticleTable).add_rows([self.table_row(row) for row in rows])

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
        # one line, always: no layout pass over the screen for a new summary
        self.query_one("#summary", Static).update(Text("  ·  ".join(parts)), layout=False)

    # -- actions ------------------------------------------------------------------

    def action_cursor_down(self) -> None:
        self.query_one(ArticleTable).action_cursor_down()

    def action_cursor_up(self) -> None:
        self.query_one(ArticleTable).action_cursor_up()

    def action_open(self) -> None:
        doc_id = self.query_one(ArticleTable).cursor_key
        if doc_id:
            self.app.open_article(doc_id)

    @on(ArticleTable.RowSelected)
    def _row_selected(self, event: ArticleTable.RowSelected) -> None:
        self.app.open_article(event.row_key)

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
        self.query_one(ArticleTable).focus()

    def key_escape(self) -> None:
        box = self.query("#filter").first(Input) if self.query("#filter") else None
        if box is not None and box.display:
            box.value = ""
            box.display = False
            self.query_one(ArticleTable).focus()

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
