"""What the annotate and review screens share: one article, a token cursor, moving and searching.

Subclasses supply the side panel and legend (``compose_panel``,
``compose_legend``), draw marks in ``reload`` and say what is under the
cursor in ``refresh_panel``.
"""
from __future__ import annotations

import sqlite3
from collections.abc import Callable

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Header, Input, Static

from annotations.display import safe_text
from annotations.errors import TandaiError
from annotations.records import Document
from annotations.tokens import sentence_starts

from ..widgets.document import DocumentView
from ..widgets.footer import KeyFooter


WIDE = 100  # below this width the side panel hides behind ctrl+o


class ArticleScreen(Screen):
    STATUS_WRAPS = False  # the status line is one line; a screen whose messages need more wraps them

    def __init__(self, doc_id: str):
        super().__init__()
        self.doc_id = doc_id
        self.panel_forced: bool | None = None
        self._sentences: tuple[str, list[int]] | None = None
        self._status_offset: int | None = None  # where an action last set the status line (kept there)

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="main"):
            yield DocumentView(id="document")
            with Vertical(id="panel"):
                yield from self.compose_panel()
        yield from self.compose_legend()
        yield Static(id="status")
        yield Input(placeholder="search in the article (enter: next match, escape: close)", id="search")
        yield KeyFooter()

    def compose_panel(self) -> ComposeResult:
        yield from ()

    def compose_legend(self) -> ComposeResult:
        yield Static(id="legend")

    def on_mount(self) -> None:
        self.query_one("#search").display = False
        self.scheme = self.app.store.scheme
        view = self.query_one(DocumentView)
        view.label_index = {label: n for layer in self.scheme.layers.values()
                            for n, label in enumerate(layer.label_names)}
        console = self.app.console
        view.show_suggestion_tags = bool(self.app.no_color or console.color_system in (None, "standard"))
        if self.show_article(self.doc_id):
            view.focus()

    def show_article(self, doc_id: str) -> bool:
        """Show the article; False if it could not be read (see ``read_article``)."""
        raise NotImplementedError

    def read_article(self, doc_id: str) -> Document | None:
        """The article from the store, or None once the user is told why it cannot be shown (a row
        changed outside tandai): opened from the list, the list stays (the screen closes if it was
        shown); a later one leaves the current article on screen."""
        try:
            return self.app.store.get_document(doc_id)
        except (TandaiError, sqlite3.Error) as exc:
            message = f"✗ cannot open the article: {exc}"
            if self.is_current and getattr(self, "document", None) is not None:
                self.set_status(message)
                self.app.bell()
            else:
                if self.is_current:
                    self.app.pop_screen()
                self.app.notify(message, severity="error", timeout=10)
            return None

    def reload(self) -> None:
        """Read the article's annotations again and redraw them."""
        raise NotImplementedError

    def refresh_panel(self, status: bool = True) -> None:
        raise NotImplementedError

    def cursor_moved(self, offset: int, keep_status: bool) -> None:
        """Called after every cursor move; the subclass updates what depends on the cursor."""

    def on_document_view_cursor_moved(self, event: DocumentView.CursorMoved) -> None:
        # Moves are reported by message, so with keys typed fast they arrive after later keys were handled:
        # skip the ones a later move has overtaken, and keep the status an action set at this very place.
        if event.offset != self.view.cursor_offset:
            return
        keep = self._status_offset == event.offset
        self._status_offset = None
        self.cursor_moved(event.offset, keep_status=keep)

    @property
    def view(self) -> DocumentView:
        return self.query_one(DocumentView)

    def on_resize(self) -> None:
        self._place_panel()

    def _place_panel(self) -> None:
        wide = self.size.width >= WIDE
        self.query_one("#panel").display = wide if self.panel_forced is None else self.panel_forced

    def key(self, binding_id: str) -> str:
        """The first key of ``binding_id`` as the user has mapped it, for messages that name keys."""
        keys = self.app._keymap.get(binding_id) or next((b.key for b in self.BINDINGS if b.id == binding_id), "")
        return self.app.get_key_display(Binding(keys.split(",")[0].strip(), "")) if keys else binding_id

    def set_status(self, message: str) -> None:
        """One line under the article (wrapped, with ``STATUS_WRAPS``); messages quote article text, so it
        is shown escaped. It stays until the cursor leaves the place it was set at."""
        self.query_one("#status", Static).update(Text(safe_text(message), no_wrap=not self.STATUS_WRAPS,
                                                      overflow="fold" if self.STATUS_WRAPS else "ellipsis"))
        self._status_offset = self.view.cursor_offset

    async def history_step(self, op: str, step: Callable[[], str | None]) -> None:
        """Undo or redo one step (``op`` names it) when the database is free; a step the store cannot
        apply is one status line, not a crash."""
        try:
            name = await self.app.writer.run(step)
        except (TandaiError, sqlite3.Error) as exc:
            self.set_status(f"✗ cannot {op}: {exc}")
            self.app.bell()
            return
        self.after_history(name)
        done = {"undo": "undid", "redo": "redid"}[op]
        self.set_status(f"{done} {name}" if name else f"nothing to {op}")

    def after_history(self, name: str | None) -> None:
        """Redraw after an undo or redo of the action ``name``."""
        self.reload()

    # -- moving ---------------------------------------------------------------------

    def action_move(self, step: int) -> None:
        self.view.move_to(self.view.cursor + step)

    def action_line(self, step: int) -> None:
        self.view.move_to(self.view.line_move(step))

    def action_sentence(self, step: int) -> None:
        view = self.view
        if self._sentences is None or self._sentences[0] != self.doc_id:
            self._sentences = (self.doc_id, sentence_starts(view.text, view.tokens))
        starts = self._sentences[1]
        if step > 0:
            target = next((s for s in starts if s > view.cursor), len(view.tokens) - 1)
        else:
            target = next((s for s in reversed(starts) if s < view.cursor), 0)
        view.move_to(target)

    def action_edge(self, step: int) -> None:
        self.view.move_to(0 if step < 0 else len(self.view.tokens) - 1)

    def action_extend(self, step: int) -> None:
        self.view.move_to(self.view.cursor + step, select=True)

    def action_select(self) -> None:
        self.view.start_selection()
        self.set_status(f"selecting: move to extend, a digit labels it, {self.key('annotate.escape')} clears")

    # -- searching, panel, help ------------------------------------------------------------

    def action_search(self) -> None:
        box = self.query_one("#search", Input)
        box.display = True
        box.focus()

    @on(Input.Submitted, "#search")
    def _search(self, event: Input.Submitted) -> None:
        needle = event.value.casefold()
        view = self.view
        if not needle:
            return
        haystack = view.text.casefold()
        found = haystack.find(needle, view.tokens[view.cursor][1] if view.tokens else 0)
        if found < 0:
            found = haystack.find(needle)
        if found < 0:
            self.set_status(f"“{event.value}” is not in this article")
            return
        view.move_to(view.token_at(found), select=False)
        self.set_status(f"found “{event.value}” (enter: next)")

    def close_search(self) -> bool:
        box = self.query_one("#search", Input)
        if not box.display:
            return False
        box.display = False
        self.view.focus()
        return True

    def action_toggle_panel(self) -> None:
        self.panel_forced = not self.query_one("#panel").display
        self._place_panel()

    def action_help(self) -> None:
        from .help import HelpScreen

        self.app.push_screen(HelpScreen(self))
