"""Review: see where annotators differ in an article and settle each difference into gold.

A thin layer over ``annotations.review``: the article screen draws every
annotator's spans merged (agreed plain, disagreements overlined, each tagged
with the digits of who made it) and each key is one call into the library,
one undo step for gold. The list of articles is ``review_list``.
"""
from __future__ import annotations

import sqlite3

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Static

from annotations import review
from annotations.display import safe_text
from annotations.errors import TandaiError
from annotations.review import Cluster, Comparison, Item, SpanKey
from annotations.store import GOLD

from ..keymap import REVIEW
from ..widgets.document import Mark
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
