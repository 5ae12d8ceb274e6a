"""Review: see where annotators differ and settle each difference into gold.

A thin layer over ``annotations.review``: the list shows per-article
agreement, the article screen draws every annotator's spans merged (agreed
plain, disagreements overlined, each tagged with the digits of who made it)
and each key is one call into the library, one undo step for gold.
"""
from __future__ import annotations

import sqlite3
import threading
import time

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static
from textual.worker import get_current_worker

from annotations import review
from annotations.display import safe_text
from annotations.errors import TandaiError
from annotations.review import Cluster, Comparison, Item, SpanKey
from annotations.store import GOLD, Store

from ..keymap import REVIEW, REVIEW_LIST
from ..widgets.document import Mark
from ..widgets.layout import clipped_title
from ..writes import failure
from .article import ArticleScreen

STATE_MARKS = {"gold": "✓", "rejected": "✗", "superseded": "~", "open": ""}


def _links(n: int) -> str:
    return f"{n} link" + ("" if n == 1 else "s")


def _said(decision: review.Decision, went: str = "") -> str:
    """What a review step did to links, for its message: those of the copied spans that wait for their
    arguments, and those that went (out of gold, or no longer on their way to it)."""
    said = ""
    if decision.waiting:
        said += (f"; {_links(len(decision.waiting))} wait{'s' if len(decision.waiting) == 1 else ''} for"
                 f" {'its argument' if len(decision.waiting) == 1 else 'their arguments'}: "
                 + ", ".join(str(note) for note in decision.waiting))
    if decision.went:
        said += f"; {_links(len(decision.went))} went{went}: " + ", ".join(str(note) for note in decision.went)
    return said


class Compared(Message):
    """Rows of the review list's first pass ((row, import position) each), and how far it got;
    ``seen`` (the change count it started from) once it is over."""

    def __init__(self, rows: list[tuple[review.ArticleReview, int]], looked: tuple[int, int],
                 seen: int | None = None) -> None:
        super().__init__()
        self.rows, self.looked, self.seen = rows, looked, seen


class Recompared(Message):
    """The articles changed since the list last looked, compared again (an id: nobody takes part now)."""

    def __init__(self, found: list[review.ArticleReview | str], seqs: dict[str, int], seen: int) -> None:
        super().__init__()
        self.found, self.seqs, self.seen = found, seqs, seen


class ReviewListScreen(Screen):
    """Articles with at least one annotator, their agreement and how much is left to settle.

    The list opens at once: a worker thread, on a read-only connection of its own, reads the rows
    stored for articles unchanged since they were last compared and compares the others one at a
    time, handing the rows over in batches while the summary line counts how far it got; the app's
    connection stores the rows it compared. Afterwards only articles changed since (the store's
    change count) are looked at again: on returning from an article, that article alone, unless
    others changed meanwhile, and it is read, not compared, when the review steps there stored its
    row as they left it.
    """

    BINDINGS = REVIEW_LIST
    BATCH_S = 0.1  # while comparing, rows reach the table at most this often
    WHO_WIDTH = 22  # the annotators column
    AT_ONCE = 50  # changed articles whose stored rows are read on the event loop, not by a worker

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[review.ArticleReview] = []  # in import order
        self.comparisons = 0  # articles compared (not read from stored rows) since the list opened
        self._seq: dict[str, int] = {}  # import order of the articles listed
        self._seen: int | None = None  # the change count the rows reflect (None: the first pass is running)
        self._looked = (0, 0)  # while comparing: articles looked at, of how many
        self._reader: Store | None = None
        self._reading = threading.Lock()  # one worker at a time on the reader
        self._comparing = 0  # comparison workers whose rows are not in yet

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="summary")
        yield DataTable(id="reviews", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_column("Title", key="title")
        table.add_column("Annotators", key="who", width=self.WHO_WIDTH)
        table.add_column("Open", key="open", width=7)
        table.add_column("F1", key="score", width=5)
        table.add_column("Gold", key="gold", width=7)  # "settled" once the reviewer marked it done
        self.app.sub_title = safe_text(f"review by {self.app.annotator}")
        self._looked = (0, self.app.store.count_documents())
        self.show_summary()
        table.focus()
        self._comparing += 1
        self.run_worker(self._compare_all, thread=True, group="review-list", name="comparing annotators",
                        exit_on_error=False)

    def on_unmount(self) -> None:
        if self._reader is not None:
            self._reader.close()

    def on_screen_resume(self) -> None:
        self.app.sub_title = safe_text(f"review by {self.app.annotator}")  # not the last article's title
        if self._seen is not None:  # while the first pass runs, its end looks for changes instead
            self._compare_changes()

    @property
    def comparing(self) -> bool:
        """Whether comparisons are under way whose rows the list does not show yet."""
        return self._comparing > 0

    def _compare_changes(self) -> None:
        """Bring the rows of articles changed since the list last looked up to date: read at once when
        each has its row stored as it is now (the review steps store theirs), else compared by a worker."""
        store = self.app.store
        if not self._comparing:  # (a worker's rows, still to come, would land after these)
            seen = store.change_count()
            changed = store.changed_since(self._seen)
            if len(changed) <= self.AT_ONCE and all(row for _, row in store.review_rows(changed).values()):
                docs = review.documents_by_id(store, changed)
                self._comparing += 1
                self.on_recompared(Recompared(list(review.article_reviews(store, docs)),
                                              {doc_id: seq for doc_id, _, seq in docs}, seen))
                return
        self._comparing += 1
        self.run_worker(self._compare_changed, thread=True, group="review-list", name="comparing annotators",
                        exit_on_error=False)

    @property
    def reader(self) -> Store:
        """The workers' own read-only connection (the app's stays with the event loop)."""
        if self._reader is None:
            self._reader = Store(self.app.store.path, readonly=True)
        return self._reader

    # -- in the worker thread ------------------------------------------------------

    def _compare_all(self) -> None:
        with self._reading:
            self._compare_pages(self.reader, get_current_worker())

    def _compare_pages(self, store: Store, worker) -> None:
        seen = store.change_count()  # changes from here on are looked at again once this pass ends
        total, looked = store.count_documents(), 0
        batch: list[tuple[review.ArticleReview, int]] = []
        sent = time.monotonic() - self.BATCH_S  # the first row goes at once
        for page in review.document_pages(store):
            seqs = {doc_id: seq for doc_id, _, seq in page}
            for found in review.article_reviews(store, page):
                if worker.is_cancelled:
                    return
                looked += 1
                if isinstance(found, review.ArticleReview):
                    batch.append((found, seqs[found.doc_id]))
                if batch and time.monotonic() - sent >= self.BATCH_S:
                    self.post_message(Compared(batch, (looked, total)))
                    batch, sent = [], time.monotonic()
            self.post_message(Compared(batch, (looked, total)))
            batch, sent = [], time.monotonic()
        self.post_message(Compared([], (looked, total), seen))

    def _compare_changed(self) -> None:
        with self._reading:
            store = self.reader
            seen = store.change_count()
            docs = review.documents_by_id(store, store.changed_since(self._seen))
            found = list(review.article_reviews(store, docs))
        self.post_message(Recompared(found, {doc_id: seq for doc_id, _, seq in docs}, seen))

    # -- on the event loop ---------------------------------------------------------

    def _cells(self, row: review.ArticleReview) -> tuple[Text, ...]:
        width = max(self.app.size.width - 50, 16)
        who = " ".join(f"{name}{'✓' if status == 'done' else ''}" for name, status in sorted(row.statuses.items()))
        # cut here: 200 annotators' names would be measured whole at every paint, to show 22 columns
        return (Text(clipped_title(row.title, width)), Text(clipped_title(who, self.WHO_WIDTH), overflow="ellipsis"),
                Text(f"{row.open}/{row.disagreements}", justify="right"),
                Text("—" if row.score is None else f"{row.score:.2f}", justify="right"),
                Text("settled" if row.settled else "—"))

    def _store(self, rows: list[review.ArticleReview]) -> None:
        """Keep the rows just compared (on the app's connection, when the database is free)."""
        fresh = [row for row in rows if row.compared]
        self.comparisons += len(fresh)
        if fresh:
            store = self.app.store
            self.app.writer.soon(lambda: review.save_rows(store, fresh))

    def on_compared(self, message: "Compared") -> None:
        table = self.query_one(DataTable)
        for row, seq in message.rows:
            self.rows.append(row)
            self._seq[row.doc_id] = seq
            table.add_row(*self._cells(row), key=row.doc_id)
        self._store([row for row, _ in message.rows])
        self._looked = message.looked
        if message.seen is not None:  # the first pass is over
            self._seen = message.seen
            self._comparing -= 1
            self._compare_changes()  # what changed while it ran
        self.show_summary()

    def on_recompared(self, message: "Recompared") -> None:
        """Put the recomputed rows in place: update those listed, add new ones, drop those nobody has now."""
        found, seqs = message.found, message.seqs
        table = self.query_one(DataTable)
        rows = {row.doc_id: row for row in self.rows}
        columns = [column.key for column in table.ordered_columns]
        reorder = False
        for item in found:
            if isinstance(item, str):  # nobody takes part in it now
                reorder |= rows.pop(item, None) is not None
                continue
            if item.doc_id in rows:
                for column, cell in zip(columns, self._cells(item)):
                    table.update_cell(item.doc_id, column, cell)
            else:
                self._seq[item.doc_id] = seqs[item.doc_id]
                reorder = True
            rows[item.doc_id] = item
        self.rows = list(rows.values())
        self._store([item for item in found if not isinstance(item, str)])
        if reorder:
            keep = table.cursor_row
            self.rows.sort(key=lambda row: self._seq[row.doc_id])
            table.clear()
            for row in self.rows:
                table.add_row(*self._cells(row), key=row.doc_id)
            if self.rows:
                table.move_cursor(row=min(keep, len(self.rows) - 1))
        self._seen = message.seen
        self._comparing -= 1
        self.show_summary()

    def show_summary(self, note: str = "") -> None:
        """The line above the table: who reviews and how much is left, or ``note`` in its place."""
        rows = self.rows
        if note:
            line = note
        elif self._seen is None:
            looked, total = self._looked
            line = f"comparing annotators: {looked:,}/{total:,} articles looked at, {len(rows):,} annotated…"
        elif not rows:
            line = "Nobody has annotated an article yet: there is nothing to review."
        else:
            line = (f"reviewer {safe_text(self.app.annotator)} · {len(rows)} article(s) annotated"
                    f" · {sum(r.settled for r in rows)} settled · {sum(r.open for r in rows)} open disagreement(s)")
        self.query_one("#summary", Static).update(Text(line))

    def action_cursor_down(self) -> None:
        self.query_one(DataTable).action_cursor_down()

    def action_cursor_up(self) -> None:
        self.query_one(DataTable).action_cursor_up()

    def action_open(self) -> None:
        table = self.query_one(DataTable)
        if table.row_count:
            self.app.push_screen(ReviewScreen(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value))

    def action_next_unsettled(self) -> None:
        """Open the first article after the cursor (then from the top) whose gold is not settled."""
        table = self.query_one(DataTable)
        order = self.rows[table.cursor_row + 1:] + self.rows[:table.cursor_row + 1]
        row = next((r for r in order if not r.settled), None)
        if row is None:
            self.show_summary("every article's gold is settled: n has nothing to open" if self.rows else "")
            return
        table.move_cursor(row=self.rows.index(row))
        self.app.push_screen(ReviewScreen(row.doc_id))

    @on(DataTable.RowSelected)
    def _selected(self, event: DataTable.RowSelected) -> None:
        self.app.push_screen(ReviewScreen(event.row_key.value))

    def action_help(self) -> None:
        from .help import HelpScreen

        self.app.push_screen(HelpScreen(self))

    def action_back(self) -> None:
        if not self.app.start_in_review:  # over the article list; from `tandai review`, q quits
            self.app.sub_title = safe_text(self.app.annotator)
            self.app.pop_screen()
        else:
            self.app.exit()


class ReviewScreen(ArticleScreen):
    """One article, every annotator's spans merged; digits pick a version into gold."""

    BINDINGS = REVIEW
    STATUS_WRAPS = True  # at 80 columns the status line stands in for the panel: whole versions, wrapped

    _gold_edited = False  # back from the gold editor: read the article again on resume

    def compose_panel(self) -> ComposeResult:
        yield Static(id="versions")

    @property
    def reviewer(self) -> str:
        return self.app.annotator

    def show_article(self, doc_id: str) -> bool:
        document = self.read_article(doc_id)
        if document is None:
            return False
        self.doc_id = doc_id
        self.document = document
        self.view.load(self.document.text, self.document.tokens)
        self._place_panel()  # before reload: at 80 columns the status line stands in for the hidden panel
        self.reload()
        first = self.cmp.next_disagreement(-1, 1)
        if first is not None:
            self.view.move_to(self.view.token_at(first.start), select=False)
        return True

    def on_screen_resume(self) -> None:
        if self._gold_edited:
            self._gold_edited = False
            self.reload()

    def reload(self, cmp: Comparison | None = None) -> None:
        """Read the article's comparison again (or take ``cmp``, one a review step just made) and redraw."""
        # set here, not once: editing gold (E) replaces the sub-title, and resuming must put it back
        self.app.sub_title = safe_text(f"review by {self.reviewer} · {self.document.title}")
        self.cmp: Comparison = cmp if cmp is not None else review.compare(self.app.store, self.doc_id)
        self.waiting = review.waiting_links(self.cmp)
        self.settled = self.app.store.progress(self.doc_id, GOLD).status == "done"
        number = {name: str(n) for n, name in enumerate(self.cmp.annotators, 1)}
        marks = []
        keys = set()
        for cluster in self.cmp.clusters:
            for item in cluster.items:
                keys.add(item.key)
                mark = Mark(item.key.start, item.key.end, "span", item.key.layer, item.key.label, len(marks),
                            agreed=not cluster.is_disagreement,
                            owner=",".join(number[n] for n in item.annotators) + STATE_MARKS[item.state])
                marks.append(mark)
        for span in self.cmp.gold:
            if SpanKey.of(span) not in keys:
                marks.append(Mark(span.start, span.end, "span", span.layer, span.label, len(marks), span.actor_id,
                                  owner="gold"))
        self.view.set_marks(marks)
        self._show_legend()
        self.refresh_panel()

    def cursor_moved(self, offset: int, keep_status: bool) -> None:
        self.refresh_panel(status=not keep_status)

    def item_at_cursor(self) -> Item | None:
        return self.cmp.item_at(self.view.cursor_offset)

    def _show_legend(self) -> None:
        """Who is who, and how much is left to settle (it changes with the article, not the cursor)."""
        cmp = self.cmp
        legend = Text(overflow="ellipsis")  # wraps onto a second row (#legend holds two) before it cuts
        for n, name in enumerate(cmp.annotators, 1):
            legend.append(f"{n}", style="bold reverse")
            legend.append(f"{safe_text(name)}{'✓' if cmp.statuses.get(name) == 'done' else ''} ")
        legend.append(f" open disagreements: {len(cmp.disagreements(open_only=True))}"
                      f"/{len(cmp.disagreements())}", style="bold")
        if self.waiting:
            legend.append(f" · {_links(len(self.waiting))} waiting")
        legend.append(" · gold settled" if self.settled else " · gold not settled", style="bold" if self.settled else "")
        self.query_one("#legend", Static).update(legend)

    def refresh_panel(self, status: bool = True) -> None:
        cmp = self.cmp
        versions = cmp.versions_at(self.view.cursor_offset)
        text = Text()
        for n, name in enumerate(cmp.annotators, 1):
            mine = versions.get(name, [])
            text.append(f"{n} {safe_text(name)}\n", style="bold")
            if not mine:
                text.append("   (no span here)\n", style="dim")
            for version in mine:
                span = version.span
                text.append(safe_text(f"   {span.label} “{span.text}” {span.start}–{span.end}") + "\n")
                if span.actor_id:
                    text.append(safe_text(f"   @{span.actor_id}") + "\n")
                for key, value in sorted(span.attrs.items()):
                    text.append(safe_text(f"   {key}={value}") + "\n", style="dim")
                for link in version.links:
                    arrow = "→" if link.direction == "out" else "←"
                    text.append(safe_text(f"   {arrow} {link.role} “{link.other_text}”") + "\n", style="dim")
        item = self.item_at_cursor()
        if item is not None:
            text.append(safe_text(f"\nhere: {item.key.label} — {item.state}", newlines=True) + "\n", style="italic")
        self.query_one("#versions", Static).update(text)
        if status and not self.query_one("#panel").display:
            super().set_status(self.summary())

    def _cluster_at_cursor(self) -> Cluster | None:
        clusters = self.cmp.clusters_at(self.view.cursor_offset)
        return clusters[0] if clusters else None

    def summary(self) -> str:
        """The side panel in one line, wrapped (the status line at 80 columns): how the annotators differ
        here and each one's version: label, its whole text when the extents differ, @actor, attributes when
        they differ, and each outgoing link as —ROLE→ argument."""
        cluster = self._cluster_at_cursor()
        if cluster is None:
            return "no annotator has a span here"
        extents = {(item.key.start, item.key.end) for item in cluster.items}
        parts = []
        for n, name in enumerate(self.cmp.annotators, 1):
            mine = cluster.versions.get(name, [])
            if not mine:
                parts.append(f"{n}: —")
            for version in mine:
                span = version.span
                part = f"{n}: {span.label}"
                if len(extents) > 1:
                    part += f" “{span.text}”"
                if span.actor_id:
                    part += f" @{span.actor_id}"
                if "attrs" in cluster.kinds and span.attrs:
                    part += " " + ",".join(f"{key}={value}" for key, value in sorted(span.attrs.items()))
                part += ",".join(f" —{link.role}→ {link.other_text}" for link in version.links
                                 if link.direction == "out")
                parts.append(part)
        item = self.item_at_cursor()
        kinds = f"{', '.join(cluster.kinds)}: " if cluster.kinds else ""
        return kinds + " · ".join(parts) + (f" · {item.state}" if item is not None else "")

    async def _do(self, write, message) -> None:
        """One review step, when the database is free; ``message`` is a string or makes one from what
        the step returned."""
        try:
            result = await self.app.writer.run(write)
        except (TandaiError, sqlite3.Error) as exc:
            self.set_status(failure(exc))
            self.app.bell()
            return
        self.reload(result.after if isinstance(result, review.Decision) else None)
        self.set_status(message(result) if callable(message) else message)

    # -- keys ------------------------------------------------------------------------

    def action_next_disagreement(self, step: int) -> None:
        cluster = self.cmp.next_disagreement(self.view.cursor_offset, step)
        if cluster is None:
            self.set_status("no open disagreements: M accepts what everyone agrees on")
            return
        self.view.move_to(self.view.token_at(cluster.start), select=False)
        if self.query_one("#panel").display:
            self.set_status(f"{cluster.layer} {', '.join(cluster.kinds)} · digits pick a version, y accept, x reject")
        else:  # no panel: the status line is where the versions show
            self.set_status(self.summary())

    async def action_pick(self, n: int) -> None:
        if n > len(self.cmp.annotators):
            self.set_status(f"{len(self.cmp.annotators)} annotator(s) here")
            return
        name = self.cmp.annotators[n - 1]
        pos = self.view.cursor_offset
        await self._do(lambda: review.pick(self.app.store, self.doc_id, name, self.reviewer, pos=pos),
                       lambda decision: f"took {name}'s version into gold" + _said(decision))

    async def action_accept(self) -> None:
        await self._decide(review.accept, "accepted {} into gold")

    async def action_reject(self) -> None:
        await self._decide(review.reject, "rejected {}")

    async def _decide(self, decide, message: str) -> None:
        """Accept or reject the span under the cursor (``message`` takes its label)."""
        item = self.item_at_cursor()
        if item is None:
            self.set_status("no span under the cursor")
            return
        await self._do(lambda: decide(self.app.store, self.doc_id, item.key, self.reviewer),
                       lambda decision: message.format(item.key.label) + _said(decision, " with it"))

    async def action_accept_agreed(self) -> None:
        await self._do(lambda: review.accept_agreed(self.app.store, self.doc_id, self.reviewer),
                       lambda decision: f"accepted {len(decision.spans)} span(s) all annotators agree on"
                       + _said(decision) if decision.spans else "no agreed span left to accept")

    async def action_settle(self) -> None:
        await self._do(lambda: review.settle(self.app.store, self.doc_id, self.reviewer),
                       lambda settled: self._settled_message() if settled
                       else "gold no longer settled: export --from gold leaves it out")

    def _settled_message(self) -> str:
        """After d: settled, and what of the article gold does not hold (reload has read it again)."""
        left = len(self.cmp.disagreements(open_only=True))
        message = "gold settled: export --from gold writes it"
        if left:
            message += f"; {left} disagreement(s) left open (not in gold)"
        if self.waiting:
            message += f"; {_links(len(self.waiting))} still waiting for their arguments, not exported"
        return message

    async def action_undo(self) -> None:
        await self.history_step("undo", lambda: review.undo(self.app.store, self.doc_id, self.reviewer))

    async def action_redo(self) -> None:
        await self.history_step("redo", lambda: review.redo(self.app.store, self.doc_id, self.reviewer))

    def action_edit_gold(self) -> None:
        from .annotate import AnnotateScreen

        # the gold editor opens where gold's cursor was saved: make that the place under review
        doc_id, offset, store = self.doc_id, self.view.cursor_offset, self.app.store
        self.app.writer.soon(lambda: store.save_position(doc_id, GOLD, offset))
        self._gold_edited = True
        self.app.push_screen(AnnotateScreen(self.doc_id, annotator="gold", by=self.reviewer))

    def action_back(self) -> None:
        if not self.close_search():  # escape in the search box closes it, as on the annotate screen
            self.app.pop_screen()
