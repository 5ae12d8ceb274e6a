"""The review list: every article someone annotated, its agreement and how much is left to settle.

Apart from the article's review screen (``review``) so that the list's first frame imports neither
the article view nor anything it draws with.
"""
from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Iterator, Sequence
from itertools import islice

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Static
from textual.worker import get_current_worker

from annotations import review
from annotations.display import safe_text
from annotations.store import Store

from ..keymap import REVIEW_LIST
from ..widgets.article_table import ArticleTable, Column
from ..widgets.footer import KeyFooter
from ..widgets.layout import clipped_title
from ..widgets.title_bar import TitleBar

PENDING = "…"  # a figure still being compared


class Listed(Message):
    """Rows found by the first pass ((row, import position) each), stored or pending (who took part, the
    figures to come), and how far it looked (articles, of how many)."""

    def __init__(self, rows: list[tuple[review.ArticleReview, int]], looked: tuple[int, int]) -> None:
        super().__init__()
        self.rows, self.looked = rows, looked


class Compared(Message):
    """Pending rows with their figures; ``seen`` (the change count the comparing started from) once the
    worker that compared them is done."""

    def __init__(self, rows: list[review.ArticleReview], seen: int | None = None, done: bool = False) -> None:
        super().__init__()
        self.rows, self.seen, self.done = rows, seen, done


class Recompared(Message):
    """The articles changed since the list last looked, listed again (an id: nobody takes part now; a
    pending row: compared next)."""

    def __init__(self, found: list[review.ArticleReview | str], seqs: dict[str, int], seen: int) -> None:
        super().__init__()
        self.found, self.seqs, self.seen = found, seqs, seen


class ReviewListScreen(Screen):
    """Articles with at least one annotator, their agreement and how much is left to settle.

    The list opens at once and names come before figures: each article is listed from indexed reads
    (the row stored for an article unchanged since it was compared; for the others who took part, the
    figures shown as "…"), the first as the screen mounts, the others by a worker thread on a read-only
    connection of its own, a page at a time. The worker compares the pending ones one at a time, the
    rows in view first, handing the figures over in batches while the summary line counts how far it
    got. The app's connection stores the rows compared, every few seconds and at the end. Afterwards only articles changed since (the store's
    change count) are looked at again: on returning from an article, that article alone, unless others
    changed meanwhile, read at once when the review steps there stored its row as they left it.
    """

    BINDINGS = REVIEW_LIST
    BATCH_S = 0.1  # while comparing, figures reach the table at most this often
    SAVE_S = 3.0  # rows compared are stored at most this often (and when the comparing is over)
    WHO_WIDTH = 22  # the annotators column
    AT_ONCE = 50  # changed articles listed on the event loop, not by a worker

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[review.ArticleReview] = []  # in import order
        self.comparisons = 0  # articles compared (not read from stored rows) since the list opened
        self._at: dict[str, int] = {}  # each listed article's place in ``rows``
        self._seq: dict[str, int] = {}  # import order of the articles listed
        self._seen: int | None = None  # the change count the rows reflect (None: the first pass is running)
        self._looked = (0, 0)  # while listing: articles looked at, of how many
        self._pending = 0  # rows listed whose figures are still to come
        self._in_view: Sequence[str] | None = None  # the articles on screen (None: not laid out yet)
        self._unsaved: list[review.ArticleReview] = []
        self._saved_at = time.monotonic()
        self._reader: Store | None = None
        self._reading = threading.Lock()  # one worker at a time on the reader
        self._comparing = 0  # workers whose rows are not all in yet

    def compose(self) -> ComposeResult:
        yield TitleBar()
        yield Static(id="summary")
        yield ArticleTable([Column("Title", 0), Column("Annotators", self.WHO_WIDTH), Column("Open", 7, "right"),
                            Column("F1", 5, "right"), Column("Gold", 7)],  # gold: "settled" once marked done
                           id="reviews")
        yield KeyFooter()

    def on_mount(self) -> None:
        table = self.query_one(ArticleTable)
        self.app.sub_title = safe_text(f"review by {self.app.annotator}")
        table.focus()
        self.watch(table, "scroll_y", self._note_view, init=False)
        # The first article is listed here, so that the first frame shows its row (a few indexed reads);
        # the worker lists the others once that frame is drawn, not competing with it.
        store = self.app.store
        seen = store.change_count()  # changes from here on are looked at again once this pass ends
        first = next(review.document_pages(store, size=1), [])
        found = [row for row in review.listed_rows(store, first) if not isinstance(row, str)]
        self.on_listed(Listed([(row, first[0][2]) for row in found], (len(first), store.count_documents())))
        after = first[0][2] if first else -1
        self._comparing += 1
        self.call_after_refresh(self.run_worker, lambda: self._first_pass(seen, found, after), thread=True,
                                group="review-list", name="comparing annotators", exit_on_error=False)

    def on_unmount(self) -> None:
        if self._reader is not None:
            self._reader.close()

    def on_resize(self) -> None:
        self.call_after_refresh(self._note_view)  # more or fewer rows in view

    def on_screen_suspend(self) -> None:
        self._save(now=True)  # an article opens: what was compared so far is kept, whatever comes next

    def on_screen_resume(self) -> None:
        self.app.sub_title = safe_text(f"review by {self.app.annotator}")  # not the last article's title
        if self._seen is not None:  # while the first pass runs, its end looks for changes instead
            self._compare_changes()

    @property
    def comparing(self) -> bool:
        """Whether comparisons are under way whose rows the list does not show yet."""
        return self._comparing > 0

    def _compare_changes(self) -> None:
        """Bring the rows of articles changed since the list last looked up to date: listed at once when
        they are few (a row stored as it is now is read, the review steps store theirs), the pending ones
        then compared by a worker; many are listed by a worker too."""
        store = self.app.store
        if not self._comparing:  # (a worker's rows, still to come, would land after these)
            seen = store.change_count()
            changed = store.changed_since(self._seen)
            if len(changed) <= self.AT_ONCE:
                docs = review.documents_by_id(store, changed)
                self._comparing += 1
                self.on_recompared(Recompared(review.listed_rows(store, docs),
                                              {doc_id: seq for doc_id, _, seq in docs}, seen))
                return
        self._comparing += 1
        self.run_worker(self._list_changed, thread=True, group="review-list", name="comparing annotators",
                        exit_on_error=False)

    @property
    def reader(self) -> Store:
        """The workers' own read-only connection (the app's stays with the event loop)."""
        if self._reader is None:
            self._reader = Store(self.app.store.path, readonly=True)
        return self._reader

    # -- in the worker thread ------------------------------------------------------

    def _first_pass(self, seen: int, first: list[review.ArticleReview], after: int) -> None:
        """List and compare every article (``first``, listed already, then those after import position
        ``after``); ``seen``: the change count before any was listed."""
        with self._reading:
            store = self.reader
            self._compare(store, self._list_pages(store, first, after), seen)

    def _list_pages(self, store: Store, first: list[review.ArticleReview], after: int
                    ) -> Iterator[list[review.ArticleReview]]:
        """Yield the pending rows of ``first``, then list the articles after it a page at a time: post
        their rows, yield the pending ones."""
        yield [row for row in first if row.pending]
        looked, total = self._looked
        for page in review.document_pages(store, after=after):
            seqs = {doc_id: seq for doc_id, _, seq in page}
            found = [row for row in review.listed_rows(store, page) if not isinstance(row, str)]
            looked += len(page)
            self.post_message(Listed([(row, seqs[row.doc_id]) for row in found], (looked, total)))
            yield [row for row in found if row.pending]

    def _compare(self, store: Store, listing: Iterator[list[review.ArticleReview]], seen: int | None) -> None:
        """Compare the pending rows as ``listing`` yields them, those in view first: once a screenful is
        listed, after each article a pending one in view goes next, else the next part is listed, else
        the first pending one. Figures go to the table in batches, the first at once."""
        worker = get_current_worker()
        pending: dict[str, review.ArticleReview] = {}
        order: deque[str] = deque()
        batch: list[review.ArticleReview] = []
        sent = time.monotonic() - self.BATCH_S

        def list_more() -> bool:
            more = next(listing, None)
            if more is not None:
                pending.update((row.doc_id, row) for row in more)
                order.extend(row.doc_id for row in more)
            return more is not None

        while len(pending) < self.app.size.height and list_more():  # names on the whole screen first
            pass
        while True:
            if worker.is_cancelled:
                return
            row = self._next_in_view(pending, order)
            if row is None and list_more():
                continue
            while row is None and order:
                row = pending.pop(order.popleft(), None)
            if row is None:
                break
            batch.append(review.compare_row(store, row))
            if time.monotonic() - sent >= self.BATCH_S:
                self.post_message(Compared(batch))
                batch, sent = [], time.monotonic()
        self.post_message(Compared(batch, seen, done=True))

    def _next_in_view(self, pending: dict[str, review.ArticleReview], order: deque[str]
                      ) -> review.ArticleReview | None:
        """The first pending row on screen, taken out of ``pending`` (before the table is laid out: the
        first rows listed, as many as the screen has lines)."""
        in_view = self._in_view
        shown = in_view if in_view is not None else islice(order, self.app.size.height)
        return next((pending.pop(doc_id) for doc_id in shown if doc_id in pending), None)

    def _list_changed(self) -> None:
        with self._reading:
            store = self.reader
            seen = store.change_count()
            docs = review.documents_by_id(store, store.changed_since(self._seen))
            found = [row for first in range(0, len(docs), 200)
                     for row in review.listed_rows(store, docs[first:first + 200])]
        self.post_message(Recompared(found, {doc_id: seq for doc_id, _, seq in docs}, seen))

    def _compare_rows(self, rows: list[review.ArticleReview]) -> None:
        with self._reading:
            self._compare(self.reader, iter([rows]), None)

    # -- on the event loop ---------------------------------------------------------

    def _cells(self, row: review.ArticleReview) -> tuple[Text, ...]:
        who = " ".join(f"{name}{'✓' if status == 'done' else ''}" for name, status in sorted(row.statuses.items()))
        # the title is cut to its column at each paint; the names here: 200 annotators' names would be
        # measured whole at every paint, to show 22 columns
        return (Text(safe_text(row.title)), Text(clipped_title(who, self.WHO_WIDTH)), *self._figures(row))

    @staticmethod
    def _figures(row: review.ArticleReview) -> tuple[Text, ...]:
        """The open, F1 and gold cells."""
        if row.pending:
            open_, score = PENDING, PENDING
        else:
            open_, score = f"{row.open}/{row.disagreements}", "—" if row.score is None else f"{row.score:.2f}"
        return (Text(open_), Text(score), Text("settled" if row.settled else "—"))

    def _note_view(self) -> None:
        """Tell the workers which articles are on screen: their figures come first."""
        table = self.query_one(ArticleTable)
        first = int(table.scroll_y)
        self._in_view = [row.doc_id for row in self.rows[first:first + max(table.size.height, 1)]]

    def _save(self, rows: Sequence[review.ArticleReview] = (), now: bool = False) -> None:
        """Keep the rows just compared (on the app's connection, when the database is free): every
        ``SAVE_S`` seconds, or ``now``, not at every batch."""
        fresh = [row for row in rows if row.compared]
        self.comparisons += len(fresh)
        self._unsaved += fresh
        if self._unsaved and (now or time.monotonic() - self._saved_at >= self.SAVE_S):
            store, unsaved = self.app.store, self._unsaved
            self.app.writer.soon(lambda: review.save_rows(store, unsaved))
            self._unsaved, self._saved_at = [], time.monotonic()

    def _place(self, rows: list[review.ArticleReview]) -> None:
        """Put the whole list in the table again (after articles came or went)."""
        self.rows = rows
        self._at = {row.doc_id: i for i, row in enumerate(rows)}
        self.query_one(ArticleTable).replace_rows([(row.doc_id, self._cells(row)) for row in rows])
        self.call_after_refresh(self._note_view)

    def on_listed(self, message: Listed) -> None:
        table = self.query_one(ArticleTable)
        for row, seq in message.rows:
            self._at[row.doc_id] = len(self.rows)
            self.rows.append(row)
            self._seq[row.doc_id] = seq
            self._pending += row.pending
        table.add_rows([(row.doc_id, self._cells(row)) for row, _ in message.rows])
        self._looked = message.looked
        if self._in_view is None or len(self._in_view) < table.size.height:
            self.call_after_refresh(self._note_view)
        self.show_summary()

    def on_compared(self, message: Compared) -> None:
        table = self.query_one(ArticleTable)
        for row in message.rows:
            at = self._at.get(row.doc_id)
            if at is None or not self.rows[at].pending or self.rows[at].version != row.version:
                continue  # listed again meanwhile: its own comparison comes later
            self.rows[at] = row
            self._pending -= 1
            table.update_row(row.doc_id, self._cells(row))
        self._save(message.rows, now=message.done)
        if message.done:
            self._comparing -= 1
            if message.seen is not None:  # the first pass is over
                self._seen = message.seen
                self._compare_changes()  # what changed while it ran
        self.show_summary()

    def on_recompared(self, message: Recompared) -> None:
        """Put the rows listed again in place: update those listed, add new ones, drop those nobody has
        now; the pending ones go to a worker."""
        found, seqs = message.found, message.seqs
        table = self.query_one(ArticleTable)
        rows = {row.doc_id: row for row in self.rows}
        reorder = False
        for item in found:
            if isinstance(item, str):  # nobody takes part in it now
                reorder |= rows.pop(item, None) is not None
                continue
            if item.doc_id in rows:
                self._pending += item.pending - rows[item.doc_id].pending
                table.update_row(item.doc_id, self._cells(item))
            else:
                self._seq[item.doc_id] = seqs[item.doc_id]
                self._pending += item.pending
                reorder = True
            rows[item.doc_id] = item
        if reorder:
            self._place(sorted(rows.values(), key=lambda row: self._seq[row.doc_id]))
        else:
            self.rows = list(rows.values())
        self._seen = message.seen
        waiting = [item for item in found if not isinstance(item, str) and item.pending]
        if waiting:
            self.run_worker(lambda: self._compare_rows(waiting), thread=True, group="review-list",
                            name="comparing annotators", exit_on_error=False)
        else:
            self._comparing -= 1
        self.show_summary()

    def show_summary(self, note: str = "") -> None:
        """The line above the table: who reviews and how much is left, or ``note`` in its place."""
        rows = self.rows
        if note:
            line = note
        elif self._seen is None or self._pending:
            looked, total = self._looked
            done = [f"{len(rows) - self._pending:,}/{len(rows):,} compared"] if rows else []
            if looked < total:
                done.append(f"{looked:,}/{total:,} articles looked at")
            line = f"comparing annotators: {', '.join(done)}…"
        elif not rows:
            line = "Nobody has annotated an article yet: there is nothing to review."
        else:
            line = (f"reviewer {safe_text(self.app.annotator)} · {len(rows)} article(s) annotated"
                    f" · {sum(r.settled for r in rows)} settled · {sum(r.open for r in rows)} open disagreement(s)")
        self.query_one("#summary", Static).update(Text(line))

    def action_cursor_down(self) -> None:
        self.query_one(ArticleTable).action_cursor_down()

    def action_cursor_up(self) -> None:
        self.query_one(ArticleTable).action_cursor_up()

    def _open(self, doc_id: str) -> None:
        from .review import ReviewScreen  # the article view: not before the list's first frame

        self.app.push_screen(ReviewScreen(doc_id))

    def action_open(self) -> None:
        key = self.query_one(ArticleTable).cursor_key
        if key is not None:
            self._open(key)

    def action_next_unsettled(self) -> None:
        """Open the first article after the cursor (then from the top) whose gold is not settled."""
        table = self.query_one(ArticleTable)
        order = self.rows[table.cursor_row + 1:] + self.rows[:table.cursor_row + 1]
        row = next((r for r in order if not r.settled), None)
        if row is None:
            self.show_summary("every article's gold is settled: n has nothing to open" if self.rows else "")
            return
        table.move_cursor(self._at[row.doc_id])
        self._open(row.doc_id)

    @on(ArticleTable.RowSelected)
    def _selected(self, event: ArticleTable.RowSelected) -> None:
        self._open(event.row_key)

    def action_help(self) -> None:
        from .help import HelpScreen

        self.app.push_screen(HelpScreen(self))

    def action_back(self) -> None:
        self._save(now=True)
        if not self.app.start_in_review:  # over the article list; from `tandai review`, q quits
            self.app.sub_title = safe_text(self.app.annotator)
            self.app.pop_screen()
        else:
            self.app.exit()
