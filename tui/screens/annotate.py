"""The annotate screen: read one article and label it with the keyboard.

Every key that changes an annotation calls the store at once (one
transaction, one journal batch), then redraws from what the store says, so
what is on screen is what is saved.
"""
from __future__ import annotations

import sqlite3
import time
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from typing import Any

from textual.app import ComposeResult
from textual.widgets import Static

from annotations.display import clipped, safe_text
from annotations.errors import TandaiError
from annotations.records import Span, Suggestion

from ..keymap import ANNOTATE
from ..widgets.document import DocumentView
from ..widgets.inspector import Inspector, Legend
from ..widgets.marks import Mark, Marks
from ..writes import failure
from .article import ArticleScreen

# Rows of spans and verdicts a write may change for its marks to be changed in place among the others;
# more (Y, its undo) and the article's marks are all read again: reading the 5,000 spans a write made
# costs what reading the article's do.
CHANGED_IN_PLACE = 200
# The suggestions read before an article's first frame: those starting up to FIRST_SCREENS screens (or at
# least FIRST_MARKS characters) past the cursor; the rest are read after it (a 1 MB article has 30,000).
FIRST_SCREENS, FIRST_MARKS = 4, 8192


class SpansById(Mapping[int, Span]):
    """The article's spans by id, each read from the store the first time it is asked for: the view
    draws thousands from plain rows, and only those under the cursor or at the ends of its links are
    needed whole."""

    def __init__(self, store, ids: set[int]):
        self._store, self._ids, self._read = store, ids, {}

    def __getitem__(self, span_id: int) -> Span:
        if span_id not in self._ids:
            raise KeyError(span_id)
        span = self._read.get(span_id)
        if span is None:
            try:
                span = self._read[span_id] = self._store.get_span(span_id)
            except TandaiError:  # deleted since the screen was drawn (another tandai of the same annotator)
                raise KeyError(span_id) from None
        return span

    def __contains__(self, span_id: object) -> bool:
        return span_id in self._ids  # without reading the span (Mapping's asks for it)

    def __iter__(self) -> Iterator[int]:
        return iter(self._ids)

    def change(self, ids: Collection[int], there: Iterable[int]) -> None:
        """Spans ``ids`` were written: those in ``there`` are the article's now (read again when asked),
        the others are gone."""
        self._ids.difference_update(ids)
        for span_id in [span_id for span_id in self._read if span_id in ids]:
            del self._read[span_id]
        self._ids.update(there)

    def __len__(self) -> int:
        return len(self._ids)


class AnnotateScreen(ArticleScreen):
    BINDINGS = ANNOTATE

    def __init__(self, doc_id: str, *, annotator: str | None = None, by: str | None = None):
        """Annotate as ``annotator`` (default: the app's); a reviewer edits gold with ``annotator="gold", by=name``."""
        super().__init__(doc_id)
        self._annotator = annotator
        self.by = by
        self.active_layer = "entity"
        self.linking: Span | None = None  # the head while in link mode
        self.focused_mark: Mark | None = None
        self._jump: tuple[int, list[int], int] | None = None  # head jumps: (argument's token, head tokens, which)
        self._suggestions_read: dict[int, Suggestion | None] = {}  # by mark id, until the next reload
        self.opened_at = time.monotonic()
        self._save_timer = None
        self._left = True  # nothing to save on leaving until an article is shown
        # (Y's batch, the marks drawn, open suggestions and span ids before it): u right after Y draws them again
        self._before_accepting: tuple[int, Marks, Marks, set[int]] | None = None
        self._version: int | None = None  # the store's data_version when the marks were last read whole

    @property
    def annotator(self) -> str:
        return self._annotator or self.app.annotator

    def compose_panel(self) -> ComposeResult:
        yield Inspector(id="inspector")

    def compose_legend(self) -> ComposeResult:
        yield Legend(id="legend")

    # -- loading -----------------------------------------------------------------

    def reopen(self, doc_id: str) -> bool:
        """Show an article opened from the list on this screen, kept from the last one (composing a
        screen is most of what opening costs): as a new screen would, on the entity layer, the panel
        as the width has it, no search box, an empty status line."""
        self.active_layer = "entity"
        self.panel_forced = None
        self.close_search()
        self.query_one("#status", Static).update("")
        self._status_offset = None
        return self.show_article(doc_id)

    def show_article(self, doc_id: str) -> bool:
        store, annotator = self.app.store, self.annotator
        document = self.read_article(doc_id)
        if document is None:
            return False
        if getattr(self, "document", None) is not None and not self._left:
            self._leave()
        self.doc_id = doc_id
        self.document = document
        self.linking = None
        self.focused_mark = None
        self._jump = None
        self.opened_at = time.monotonic()
        self._left = False
        progress = store.progress(doc_id, annotator)
        view = self.query_one(DocumentView)
        view.load(self.document.text, self.document.tokens)
        view.move_to(view.token_at(progress.cursor), select=False)
        self._offset = view.cursor_offset
        self.app.writer.soon(lambda: store.set_last_doc(annotator, doc_id))
        self.reload()
        self._place_panel()
        # never pre-tagged: tag it now, in a child; an article with open suggestions (just read by
        # reload, on its first screens) needs no second query, one tagged before keeps what was found, even nothing
        if not self._suggestion_marks and store.needs_tagging(doc_id):
            self.set_status("pre-tagging this article…")
            self.app.tag_now([doc_id])
        return True

    @property
    def suggestion_marks(self) -> Marks:
        """The article's open suggestions, every one (those not read yet are read first)."""
        self.query_one(DocumentView).read_rest()
        return self._suggestion_marks

    @suggestion_marks.setter
    def suggestion_marks(self, marks: Marks) -> None:
        self._suggestion_marks = marks

    def reload(self) -> None:
        """Redraw marks from the store: the spans, and the suggestions up to FIRST_MARKS characters past
        the cursor (the rest after the first frame, or as soon as anything asks for them)."""
        store, annotator, doc_id = self.app.store, self.annotator, self.doc_id
        self._before_accepting = None
        self._version = store.data_version()  # before reading: a write by another program then is seen next time
        # what is drawn comes as plain rows, in text order; a whole Span or Suggestion is read when the
        # cursor needs it
        spans = Marks.outlines("span", store.span_outlines(doc_id, annotator))
        self._spans_by_id = SpansById(store, set(spans.ids))
        self._suggestions_read = {}
        view = self.query_one(DocumentView)
        region = view.scrollable_content_region
        split = view.cursor_offset + max(FIRST_SCREENS * region.width * region.height, FIRST_MARKS)
        whole = split >= len(view.text)
        self._suggestion_marks = Marks.outlines("suggestion", store.open_suggestion_outlines(
            doc_id, annotator, starting=None if whole else (0, split)))
        rest = None if whole else (split, lambda: self._suggestions_from(split))
        view.set_marks(spans.merged(self._suggestion_marks), rest)
        self._marks_changed()

    def _suggestions_from(self, split: int) -> Marks:
        """The open suggestions starting at ``split`` or after, added to those read before it."""
        # another program's write since the first were read leaves data_version changed: the next write reads all
        rest = Marks.outlines("suggestion", self.app.store.open_suggestion_outlines(self.doc_id, self.annotator,
                                                                                    starting=(split, None)))
        self._suggestion_marks = self._suggestion_marks.merged(rest)
        return rest

    def after_write(self, batch: int | None) -> None:
        """Redraw what journal batch ``batch`` (the write just made; None: it wrote nothing) changed, known
        from the keys it journaled: its spans (read again by id), and the suggestions it answered or opened
        again, each changed in place among the article's thousands of marks. A write of more than
        CHANGED_IN_PLACE rows (Y, its undo) is redrawn by ``reload``, as quick then; so is any write once
        another program has written since the marks were read (what this one changed is then not all)."""
        store, annotator, doc_id = self.app.store, self.annotator, self.doc_id
        if batch is None:
            self._marks_changed()
            return
        if store.data_version() != self._version:  # another program wrote since (re-tagged, say): read it all
            self.reload()
            return
        if self._before_accepting is not None and store.undid(batch) == self._before_accepting[0]:
            self._undid_accepting()
            return
        self._before_accepting = None
        changed = store.batch_keys(batch, ("spans", "verdicts"), most=CHANGED_IN_PLACE)
        if changed is None:
            self.reload()
            return
        spans: set[int] = set()  # ids of the spans it wrote
        had: dict[int, bool] = {}  # suggestion row -> whether it had a verdict before the write
        has: dict[int, bool] = {}  # and whether it has one now
        for table, change, keys in changed:
            if table == "spans":
                spans.update(key[0] for key in keys)
                continue
            ids = [suggestion_id for suggestion_id, who in keys if who == annotator]
            had = dict.fromkeys(ids, change != "insert") | had  # as it was before the batch's first change
            has.update(dict.fromkeys(ids, change != "delete"))
        now = Marks.outlines("span", store.span_outlines(doc_id, annotator, among=spans) if spans else ())
        self._spans_by_id.change(spans, now.ids)
        self._suggestions_read = {}
        taken = {sid for sid, answered in has.items() if answered}
        reopened = [sid for sid, answered in has.items() if had[sid] and not answered]
        opened = Marks.outlines("suggestion", store.open_suggestion_outlines(doc_id, annotator, among=reopened)) \
            if reopened else Marks()
        self.suggestion_marks = self.suggestion_marks.without({"suggestion": taken})[0].merged(opened)
        new = now.merged(opened)
        view = self.query_one(DocumentView)
        marks, gone = view.marks.without({"span": spans, "suggestion": taken})
        view.change_marks(marks.merged(new), gone, new)
        self._marks_changed()

    def _marks_changed(self) -> None:
        """What follows new marks: the article's links, the tab focus, the header, the panel."""
        store, annotator = self.app.store, self.annotator
        self.links = store.links(self.doc_id, annotator)
        view = self.query_one(DocumentView)
        if self.focused_mark and self.focused_mark not in view.marks:
            # an accepted suggestion becomes a span over the same text: keep the tab focus on it
            old = self.focused_mark
            self.focused_mark = next((m for m in view.marks_over(old.start, old.end)
                                      if (m.start, m.end, m.layer) == (old.start, old.end, old.layer)), None)
        title = self.document.title
        status = store.progress(self.doc_id, annotator).status
        self.app.sub_title = safe_text(f"{annotator} · {status} · {title}")
        self.refresh_panel()

    def refresh_panel(self, status: bool = True) -> None:
        view = self.query_one(DocumentView)
        # while linking, the digits pick roles of the linked-from span's layer (not the active layer's)
        roles = self.scheme.layer(self.linking.layer).roles if self.linking else None
        self.query_one(Legend).show(self.scheme, self.active_layer, roles)
        item = self.item_at_cursor()
        span = self._span(item) if item and item.kind == "span" else None
        suggestion = self._suggestion(item) if item and item.kind == "suggestion" else None
        self.query_one(Inspector).show(item, span, self._spans_by_id, self.links, self.app.store, view.text,
                                         self.key, suggestion)
        self._show_roles()
        if not status:
            return
        if self.linking is not None:
            self.set_status(self._link_status())
        elif not self.query_one("#panel").display:
            self.set_status(self.query_one(Inspector).summary)

    def cursor_moved(self, offset: int, keep_status: bool) -> None:
        self._offset = offset
        if self.focused_mark and not (self.focused_mark.start <= offset < self.focused_mark.end):
            self.focused_mark = None
        self.refresh_panel(status=not keep_status)
        self._schedule_save()

    def _schedule_save(self) -> None:
        """Save the cursor a moment after the last move (session state, not an annotation change)."""
        if self._save_timer is not None:
            self._save_timer.stop()
        self._save_timer = self.set_timer(0.5, self._save_position)

    def _save_position(self) -> None:
        doc_id, annotator, offset = self.doc_id, self.annotator, self.query_one(DocumentView).cursor_offset
        self.app.writer.soon(lambda: self.app.store.save_position(doc_id, annotator, offset))

    def _leave(self, offset: int | None = None) -> None:
        if self._save_timer is not None:
            self._save_timer.stop()
        seconds = time.monotonic() - self.opened_at
        if offset is None:
            offset = self.query_one(DocumentView).cursor_offset
        doc_id, annotator, store = self.doc_id, self.annotator, self.app.store
        self.app.writer.soon(lambda: store.save_position(doc_id, annotator, offset, seconds))
        self._left = True

    def on_unmount(self) -> None:
        """Quitting the app from the article (ctrl+q) saves the cursor and time, as going back does."""
        if not self._left:  # the widgets are gone by now: use the last cursor position seen
            self._leave(self._offset)

    def on_tandai_app_tagging_progress(self, message) -> None:
        if message.finished:
            self.reload()
            self.set_status(f"{len(self.suggestion_marks)} suggestion(s) ready: {self.key('annotate.accept')} accepts,"
                            f" {self.key('annotate.delete')} rejects, {self.key('annotate.accept_all')} accepts all")

    # -- what is under the cursor ----------------------------------------------

    def items_at_cursor(self) -> list[Mark]:
        view = self.query_one(DocumentView)
        start, end = view.tokens[view.cursor] if view.tokens else (0, 0)
        return view.marks_over(start, end)

    def item_at_cursor(self) -> Mark | None:
        """The tab-focused mark, else the innermost span of the active layer, else the innermost anything."""
        items = self.items_at_cursor()
        if self.focused_mark in items:
            return self.focused_mark
        if not items:
            return None

        def rank(m: Mark):
            return (m.layer != self.active_layer, m.kind != "span", m.end - m.start)

        return min(items, key=rank)

    def _span(self, mark: Mark) -> Span | None:
        return self._spans_by_id.get(mark.id)

    def _suggestion(self, mark: Mark) -> Suggestion | None:
        """The suggestion as the store has it (its models, its score), read once until the next write:
        the panel asks on every cursor move over it."""
        if mark.id not in self._suggestions_read:
            self._suggestions_read[mark.id] = self.app.store.suggestion(mark.id, self.annotator)
        return self._suggestions_read[mark.id]

    async def _do(self, write, message: str = "", *, drawn: Callable[[Any], None] | None = None) -> bool:
        """Run one write against the store (waiting its turn, see ``tui.writes``), then redraw what it
        changed (``drawn``: from what the write returned); False if it failed (said on the status line)."""
        store = self.app.store
        self.query_one(DocumentView).read_rest()  # a write's marks are changed among all of the article's
        before = store.last_batch
        try:
            result = await self.app.writer.run(write)
        except (TandaiError, sqlite3.Error) as exc:
            self.set_status(failure(exc))
            self.app.bell()
            return False
        view = self.query_one(DocumentView)
        view.clear_selection()
        batch = store.last_batch if store.last_batch != before else None
        if drawn is not None and batch is not None and store.data_version() == self._version:
            drawn(result)
        else:
            self.after_write(batch)
        if message:
            self.set_status(message)
        return True

    # -- movement -----------------------------------------------------------------

    def action_next_mark(self, step: int) -> None:
        """Tab through spans and suggestions in text order; overlapping ones are each reached."""
        view = self.query_one(DocumentView)
        marks = view.marks
        if not marks:
            return
        if self.focused_mark in marks:
            i = marks.index(self.focused_mark) + step
        else:  # the first starting after the cursor, or the last starting before it
            here = view.cursor_offset
            i = bisect_right(marks.starts, here) if step > 0 else bisect_left(marks.starts, here) - 1
        mark = marks[i % len(marks)]
        self.focused_mark = mark
        view.move_to(view.token_at(mark.start), select=False)
        self.refresh_panel()

    def action_layer(self, layer: str) -> None:
        if layer not in self.scheme.layers:
            self.set_status(f"the scheme has no {layer} layer")
            return
        self.active_layer = layer
        self.refresh_panel()

    # -- labelling ------------------------------------------------------------------

    async def action_label_as(self, layer: str, n: int) -> None:
        """Label N of a layer, from the command palette ("1 ATTACK"): makes that layer active first."""
        if self.linking is not None:
            self._end_linking("link mode ended")
        self.action_layer(layer)
        await self.action_label(n)

    async def action_role(self, layer: str, n: int) -> None:
        """Role N of an event's or claim's links, from the command palette ("Link role 3 ABOUT")."""
        if self.linking is None or self.linking.layer != layer:
            self.set_status(f"press {self.key('annotate.link')} on {'an' if layer[0] in 'aeiou' else 'a'} {layer}"
                            " first, then move to the argument")
            return
        await self._link_to(n)

    def named_keys(self) -> list[tuple[str, str, str, str]]:
        """Labels and roles by name, for help and the command palette: (key, name, action, what it does)."""
        rows = []
        for layer in self.scheme.layers.values():
            for n, label in enumerate(layer.labels, 1):
                rows.append((str(n), f"{n} {label.name}", f"label_as({layer.name!r}, {n})",
                             f"{layer.name} label ({layer.key} then {n}){': ' + label.description if label.description else ''}"))
        for layer in self.scheme.layers.values():
            for n, role in enumerate(layer.roles, 1):
                rows.append((str(n), f"Link role {n} {role}", f"role({layer.name!r}, {n})",
                             f"in link mode from {'an' if layer.name[0] in 'aeiou' else 'a'} {layer.name}: takes"
                             f" {self.scheme.accepts_text(layer.name, role)}"))
        return rows

    async def action_label(self, n: int) -> None:
        if self.linking is not None:
            await self._link_to(n)
            return
        labels = self.scheme.layer(self.active_layer).label_names
        if n > len(labels):
            self.set_status(f"the {self.active_layer} layer has {len(labels)} labels")
            return
        label = labels[n - 1]
        store, annotator = self.app.store, self.annotator
        view = self.query_one(DocumentView)
        item = self.item_at_cursor()
        if view.selection is None and item is not None and item.layer == self.active_layer:
            if item.kind == "span":
                await self._do(lambda: store.update_span(item.id, annotator, label=label, action="set_label",
                                                         by=self.by), f"{item.label} → {label}")
                return
            sug = self._suggestion(item)
            if sug is not None:
                if sug.label == label:
                    await self._do(lambda: store.accept_suggestions([sug.id], annotator, by=self.by),
                                   f"accepted {label}")
                else:
                    def relabel():
                        with store.action("relabel_suggestion", annotator, self.doc_id, by=self.by):
                            store.reject_suggestion(sug.id, annotator, by=self.by)
                            store.add_span(self.doc_id, annotator, self.active_layer, label, sug.start, sug.end,
                                           origin={"suggestion": sug.id, "model": sug.model, "relabelled": sug.label},
                                           by=self.by)
                    await self._do(relabel, f"{sug.label} → {label}")
                return
        start, end = view.selection_offsets()
        doc_id, layer = self.doc_id, self.active_layer
        await self._do(lambda: store.add_span(doc_id, annotator, layer, label, start, end, by=self.by),
                       f"{label}: {view.text[start:end][:40]}")

    async def action_accept(self) -> None:
        item = self.item_at_cursor()
        if item is None or item.kind != "suggestion":
            self.set_status(f"no suggestion under the cursor ({self.key('annotate.next_span')} moves to the next one)")
            return
        await self._do(lambda: self.app.store.accept_suggestions([item.id], self.annotator, by=self.by),
                       f"accepted {item.label}")

    async def action_accept_all(self) -> None:
        ids = list(self.suggestion_marks.ids)
        if not ids:
            self.set_status("no open suggestions in this article")
            return
        await self._do(lambda: self.app.store.accept_many(ids, self.annotator, by=self.by),
                       f"accepted {len(ids)} suggestion(s) ({self.key('annotate.undo')} undoes them all)",
                       drawn=self._accepted)

    def _accepted(self, answered: Mapping[int, int]) -> None:
        """Y's redraw, from what it returned (suggestion -> the span answering it), reading nothing: each
        suggestion answered goes, and a span made of it is drawn in its place (the store makes them with
        ids rising in the order asked, the suggestions' text order)."""
        view = self.query_one(DocumentView)
        before = (view.marks, self.suggestion_marks, set(self._spans_by_id))
        kept, taken = self.suggestion_marks.without({"suggestion": answered.keys()})
        new = taken.relabelled("span", map(answered.__getitem__, taken.ids))
        labelled = [span_id for span_id in new.ids if span_id in self._spans_by_id]  # drawn already
        if labelled:
            new = new.without({"span": labelled})[0]
        self.suggestion_marks = kept
        self._spans_by_id.change((), new.ids)
        self._suggestions_read = {}
        marks, gone = view.marks.without({"suggestion": answered.keys()})
        view.change_marks(marks.merged(new), gone, new)
        self._marks_changed()
        self._before_accepting = (self.app.store.last_batch, *before)

    def _undid_accepting(self) -> None:
        """u right after Y, nothing drawn between: the store is as it was before Y (its spans gone, its
        verdicts gone or as they were), so the marks drawn then are drawn again, reading nothing."""
        _, marks, suggestions, spans = self._before_accepting
        self._before_accepting = None
        self.suggestion_marks = suggestions
        self._spans_by_id = SpansById(self.app.store, spans)
        self._suggestions_read = {}
        self.query_one(DocumentView).set_marks(marks)
        self._marks_changed()

    async def action_delete(self) -> None:
        if self.linking is not None:
            await self._unlink_here()
            return
        item = self.item_at_cursor()
        store, annotator = self.app.store, self.annotator
        if item is None:
            self.set_status("nothing under the cursor to delete")
        elif item.kind == "span":
            n = sum(1 for link in self.links if item.id in (link.head, link.tail))
            went = f" and its {n} link(s)" if n else ""
            await self._do(lambda: store.delete_span(item.id, annotator, by=self.by), f"deleted {item.label}{went}")
        else:
            await self._do(lambda: store.reject_suggestion(item.id, annotator, by=self.by), f"rejected {item.label}?")

    # -- links, actors, attributes ------------------------------------------------

    def heads_at_cursor(self) -> list[Span]:
        """The spans under the cursor that can have roles (events, claims), innermost first."""
        spans = (self._spans_by_id.get(m.id) for m in self.items_at_cursor() if m.kind == "span")
        return sorted((s for s in spans if s is not None and self.scheme.layer(s.layer).roles),
                      key=lambda s: s.end - s.start)

    def head_at_cursor(self) -> Span | None:
        """The span ``r`` links from: the tab-focused one if it can have roles, else the innermost that can."""
        heads = self.heads_at_cursor()
        focused = self.focused_mark
        if focused is not None and focused.kind == "span":
            heads.sort(key=lambda s: s.id != focused.id)
        return heads[0] if heads else None

    def action_link(self) -> None:
        """Start link mode on the event or claim under the cursor; pressed in link mode, end it."""
        if self.linking is not None:
            self._end_linking("link mode ended")
            return
        head = self.head_at_cursor()
        if head is None:
            self.set_status(f"put the cursor on an event or claim and press {self.key('annotate.link')};"
                            " then move to each argument and press its role's digit")
            return
        self.linking = head
        self.refresh_panel()

    def _end_linking(self, message: str) -> None:
        self.linking = None
        self.refresh_panel()
        self.set_status(message)

    def _link_status(self) -> str:
        head = self.linking
        by_id = self._spans_by_id
        linked = [f"{link.role} {_quote(by_id[link.tail].text, 16)}" for link in self.links
                  if link.head == head.id and link.tail in by_id]
        roles = self.scheme.layer(head.layer).roles
        digits = " ".join(f"{n} {role}" for n, role in enumerate(roles, 1))
        return (f"link {head.label} {_quote(head.text, 16)} ← {', '.join(linked) or 'nothing yet'} · "
                f"{self.key('annotate.delete')} unlinks · {self.key('annotate.link')} ends · {digits}")

    async def _link_to(self, n: int) -> None:
        """Link the head to the innermost span under the cursor that role ``n`` accepts (never the head)."""
        head = self.linking
        roles = self.scheme.layer(head.layer).roles
        if n > len(roles):
            self.set_status(f"{head.layer} roles: " + ", ".join(f"{i} {r}" for i, r in enumerate(roles, 1)))
            return
        role = roles[n - 1]
        fitting = [m for m in self.items_at_cursor() if not (m.kind == "span" and m.id == head.id)
                   and self.scheme.fits(head.layer, role, m.layer, m.label)]
        item = min(fitting, key=lambda m: (m.kind != "span", m.end - m.start), default=None)
        if item is None:
            self.set_status(f"{role} takes {self.scheme.accepts_text(head.layer, role)}: nothing of that under the"
                            " cursor (label the argument first, or move onto one)")
            return
        store, annotator = self.app.store, self.annotator

        def link():
            with store.action("add_link", annotator, self.doc_id, by=self.by):
                tail = item.id
                if item.kind == "suggestion":
                    tail = store.accept_suggestions([item.id], annotator, by=self.by)[0].id
                store.add_link(head.id, tail, role, annotator, by=self.by)

        await self._do(link)

    async def _unlink_here(self) -> None:
        """In link mode: remove the head's link(s) to the argument under the cursor; no span is deleted."""
        head = self.linking
        tails = {link.tail for link in self.links if link.head == head.id}
        here = [m for m in self.items_at_cursor() if m.kind == "span" and m.id in tails]
        if not here:
            self.set_status(f"no argument of {head.label} under the cursor (in link mode"
                            f" {self.key('annotate.delete')} removes links, never spans)")
            return
        arg = min(here, key=lambda m: m.end - m.start)
        roles = [link.role for link in self.links if link.head == head.id and link.tail == arg.id]
        text = _quote(self.document.text[arg.start:arg.end], 20)
        await self._do(lambda: self.app.store.unlink(head.id, arg.id, self.annotator, by=self.by),
                       f"unlinked {', '.join(roles)} {text} (the spans stay; {self.key('annotate.undo')} undoes)")

    async def action_unlink(self) -> None:
        """Remove one link of the span under the cursor, keeping both spans: the latest link into it (it as
        an argument), else the latest out of it."""
        if self.linking is not None:
            await self._unlink_here()
            return
        item = self.item_at_cursor()
        span = self._span(item) if item and item.kind == "span" else None
        links = [link for link in self.links if span and link.tail == span.id] or \
                [link for link in self.links if span and link.head == span.id]
        if not links:
            self.set_status("no link here: put the cursor on an argument or on an event or claim with arguments")
            return
        link = links[-1]
        by_id = self._spans_by_id
        head, tail = by_id.get(link.head), by_id.get(link.tail)
        what = f"{head.label if head else '?'} —{link.role}→ {_quote(tail.text, 20) if tail else '?'}"
        more = f"; {self.key('annotate.unlink')} again removes the next" if len(links) > 1 else ""
        await self._do(lambda: self.app.store.delete_link(link.id, self.annotator, by=self.by),
                       f"removed the link {what} (the spans stay{more})")

    def action_jump_link(self) -> None:
        """On an argument: go to its head; again: its next head, then back to the argument."""
        view = self.query_one(DocumentView)
        if self._jump is not None:
            origin, targets, i = self._jump
            if view.cursor == targets[i]:
                if i + 1 < len(targets):
                    self._jump = (origin, targets, i + 1)
                    view.move_to(targets[i + 1], select=False)
                    self.set_status(f"head {i + 2} of {len(targets)} ({self.key('annotate.jump_link')}: next)")
                else:
                    self._jump = None
                    view.move_to(origin, select=False)
                    self.set_status("back at the argument")
                return
        ids = {m.id for m in self.items_at_cursor() if m.kind == "span"}
        by_id = self._spans_by_id
        heads = sorted({link.head: by_id[link.head] for link in self.links
                        if link.tail in ids and link.head in by_id}.values(), key=lambda s: (s.start, s.end))
        if not heads:
            self.set_status("not an argument: no event or claim links to the span under the cursor")
            return
        targets = [view.token_at(h.start) for h in heads]
        self._jump = (view.cursor, targets, 0)
        self.focused_mark = next((m for m in view.marks if m.kind == "span" and m.id == heads[0].id), None)
        view.move_to(targets[0], select=False)
        key = self.key("annotate.jump_link")
        self.set_status(f"{heads[0].label} {_quote(heads[0].text, 20)} ({key}: "
                        + ("next head" if len(heads) > 1 else "back to the argument") + ")")

    def _show_roles(self) -> None:
        """Tag the arguments of the event or claim being linked (or under the cursor) with their roles."""
        head = self.linking or self.head_at_cursor()
        roles: dict[int, tuple[str, ...]] = {}
        if head is not None:
            for link in self.links:
                if link.head == head.id:
                    roles[link.tail] = (*roles.get(link.tail, ()), link.role)
        self.query_one(DocumentView).set_roles(roles)

    def _entity_at_cursor(self) -> Mark | None:
        """The entity span ``@`` links: the tab-focused one, else the innermost (whatever the active layer)."""
        entities = [m for m in self.items_at_cursor() if m.kind == "span" and m.layer == "entity"]
        if self.focused_mark in entities:
            return self.focused_mark
        return min(entities, key=lambda m: m.end - m.start, default=None)

    def action_actor(self) -> None:
        from .pickers import ActorForm, ActorPicker

        item = self._entity_at_cursor()
        if item is None:
            other = self.item_at_cursor()
            if other is not None and other.kind == "span":
                self.set_status(f"{other.label} is {'an event trigger' if other.layer == 'event' else 'a claim'},"
                                " not an actor: @ links entity spans only")
            else:
                self.set_status("put the cursor on an entity span (accept the suggestion first) to link it to an actor")
            return
        span = self._span(item)
        store, annotator, doc_id = self.app.store, self.annotator, self.doc_id

        async def link(actor_id: str | None, new_actor=None) -> None:
            def write():
                # one journal batch in this article: u takes back the new actor with its link
                with store.action("set_actor", annotator, doc_id, by=self.by):
                    if new_actor is not None:
                        store.add_actor(new_actor, annotator, doc_id, by=self.by)
                    store.update_span(span.id, annotator, actor_id=actor_id, action="set_actor", by=self.by)
            await self._do(write, f"{span.text[:30]} → {actor_id}" if actor_id else "actor link removed")

        async def filled(actor) -> None:
            if actor is not None:
                await link(actor.id, actor)

        async def chosen(result) -> None:
            if result is None:
                return
            actor_id, new_actor = result
            if new_actor is None:
                await link(actor_id)
            else:
                self.app.push_screen(ActorForm(new_actor, self.scheme.actor_categories, "New actor"), filled)

        self.app.push_screen(ActorPicker(store, span.text, span.actor_id), chosen)

    def action_attributes(self) -> None:
        from .pickers import AttributeEditor

        item = self.item_at_cursor()
        if item is None or item.kind != "span":
            self.set_status("put the cursor on a span to edit its attributes")
            return
        span = self._span(item)
        attributes = self.scheme.layer(span.layer).attributes

        async def chosen(attrs) -> None:
            if attrs is not None and attrs != span.attrs:
                await self._do(lambda: self.app.store.update_span(span.id, self.annotator, attrs=attrs,
                                                                  action="set_attrs", by=self.by),
                               "attributes saved")

        self.app.push_screen(AttributeEditor(span, attributes), chosen)

    # -- history and status -----------------------------------------------------------

    async def action_undo(self) -> None:
        self.query_one(DocumentView).read_rest()  # as before a write
        await self.history_step("undo", lambda: self.app.store.undo(self.annotator, self.doc_id, by=self.by))

    async def action_redo(self) -> None:
        self.query_one(DocumentView).read_rest()
        await self.history_step("redo", lambda: self.app.store.redo(self.annotator, self.doc_id, by=self.by))

    def after_history(self, name: str | None) -> None:
        self.linking = None
        self.after_write(self.app.store.last_batch if name else None)

    async def action_status(self, status: str) -> None:
        store, annotator, doc_id = self.app.store, self.annotator, self.doc_id
        if not await self._do(lambda: store.set_status(doc_id, annotator, status, by=self.by)):
            return
        if status == "flagged":
            self.set_status("flagged: it shows with ! in the list")
            return
        following = store.next_todo(annotator, after=self.doc_id)
        if following is None:
            self._close()
            self.app.notify("Every article is done, skipped or flagged.")
        elif self.show_article(following):
            self.set_status(f"marked {status}; opened the next article to do")

    def action_article(self, step: int) -> None:
        other = self.app.store.neighbour(self.doc_id, step)
        if other is None:
            self.set_status("no more articles that way")
        else:
            self.show_article(other)

    def action_escape(self) -> None:
        """Cancel one thing (search, link mode, selection, tab focus); never leaves the article."""
        if self.close_search():
            self.set_status("search closed")
        elif self.linking is not None:
            self._end_linking("link mode ended")
        elif self.query_one(DocumentView).clear_selection():
            self.set_status("selection cleared")
        elif self.focused_mark is not None:
            self.focused_mark = None
            self.refresh_panel()
        else:
            self.set_status(f"nothing to cancel · {self.key('annotate.back')} goes back to the list")

    def action_back(self) -> None:
        self._close()

    def _close(self) -> None:
        """Back to the list: save where the cursor was, and let go of the article (the screen is kept
        for the next one, without a 1 MB article's text, tokens and marks)."""
        self._leave()
        store, annotator = self.app.store, self.annotator
        self.app.writer.soon(lambda: store.set_last_doc(annotator, None))
        self.document = None
        self.linking = self.focused_mark = self._jump = self._sentences = None
        self.links, self.suggestion_marks = [], Marks()
        self._before_accepting = None
        self._spans_by_id = SpansById(store, set())
        self.query_one(DocumentView).load("", ())
        self.app.pop_screen()


def _quote(text: str, n: int) -> str:
    """Article text for a status line: one line, at most ``n`` characters, in quotes."""
    return f"“{clipped(' '.join(text.split()), n)}”"
