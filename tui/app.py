"""The Textual app: opens the store, applies the user's keymap, wires the screens.

spaCy is never imported here: pre-tagging runs in a child process (see
``tagging``), started after the first frame, and only when there is something to tag.
"""
from __future__ import annotations

import asyncio
import gc
import os
import sqlite3
import subprocess
from pathlib import Path

from textual import events
from textual.app import App
from textual.command import Hit, Hits, Provider
from textual.message import Message
from textual.screen import Screen
from textual.worker import Worker, WorkerState

from annotations.display import safe_text
from annotations.store import Store

from .actor_registry import ActorRegistryCommands
from .keymap import load_keymap
from .tagging import TaggingFailed, run_tagger, tag_command
from .writes import BUSY_POLL_S, WriteAbandoned, Writer, failure


class KeymapCommands(Provider):
    """Every binding of the current screen as a command palette entry (the same actions as the keys), and
    the screen's labels and roles by name."""

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        screen = self.screen
        seen = set()
        for key, active in screen.active_bindings.items():
            binding = active.binding
            if not binding.description or binding.action in seen:
                continue
            seen.add(binding.action)
            text = f"{binding.description} ({self.app.get_key_display(binding)})"
            score = matcher.match(text)
            if score > 0:
                yield Hit(score, matcher.highlight(text), _runner(screen, binding.action),
                          help=binding.tooltip or None)
        for key, name, action, what in getattr(screen, "named_keys", list)():  # "1 ATTACK", "Link role 3 ABOUT"
            score = matcher.match(f"{name} {what}")
            if score > 0:
                yield Hit(score, matcher.highlight(name), _runner(screen, action), help=what)


def _runner(screen: Screen, action: str):
    async def run() -> None:
        await screen.run_action(action)

    return run


def collect_garbage_from_now() -> None:
    """After the first frame: the objects made so far live for the session, kept out of the garbage
    collector's passes from now on, which start again (``tandai`` holds them off until the first frame)."""
    gc.freeze()
    gc.enable()


# Database pages the app keeps in memory: a quarter of SQLite's default. Opening a 1 MB article filled
# the default's 2 MB with its pages, read once (1.2 MiB more resident); the store's reads for a filter key
# on 100,000 articles take as long (median 0.65 ms against 0.53, 90th percentile 7.4 against 8.6).
PAGE_CACHE_KIB = 512
QUIT_KEY = "ctrl+q"  # Textual's own binding, not remapped by the keymap


class TandaiApp(App[None]):
    """tandai: annotate actors, events and claims in news articles."""

    CSS_PATH = "tandai.tcss"
    TITLE = "tandai"
    COMMANDS = App.COMMANDS | {KeymapCommands, ActorRegistryCommands}

    class TaggingProgress(Message, bubble=False):
        """Pre-tagging progress, relayed by the app to every screen (so it must not bubble back up). Not a
        dataclass: those compile their methods when the module is imported, before the first frame."""

        def __init__(self, done: int, total: int, finished: bool = False) -> None:
            super().__init__()
            self.done, self.total, self.finished = done, total, finished

    def __init__(self, db_path: str | Path, annotator: str, *, restore: bool = True, tag_on_start: bool = True,
                 review: bool = False, store: Store | None = None):
        """``store``: the database at ``db_path`` opened already (the app closes it when it ends)."""
        super().__init__()
        self.db_path = str(db_path)
        self.annotator = annotator
        self.store = store if store is not None else Store(self.db_path)
        self.store.ensure_annotator(annotator)
        self.store.set_busy_timeout(BUSY_POLL_S)  # from here on every write goes through self.writer
        self.store.set_page_cache(PAGE_CACHE_KIB)
        self.writer = Writer(self.show_waiting, lambda message: self.notify(message, severity="error", timeout=10))
        self.restore = restore
        self.tag_on_start = tag_on_start
        self.start_in_review = review
        self.sub_title = safe_text(annotator)
        self.taggers: set[subprocess.Popen] = set()  # running children, ended with the app
        self.tagging_first: str | None = None  # the article the start-up tagger does first, until it ends
        self.ending = False
        self.quit_asked = False  # the quit key was pressed while a write waited for the lock
        self.quit_unsaved = False  # quit twice while a write waited: the command says so and fails
        self.set_keymap(load_keymap())

    def get_default_screen(self) -> Screen:
        """The article list, or with `tandai review` the review list, is the first screen (q there quits),
        not pushed over a blank one that is composed and drawn first."""
        if self.start_in_review:
            from .screens.review_list import ReviewListScreen

            return ReviewListScreen()
        from .screens.library import LibraryScreen

        return LibraryScreen()

    def on_mount(self) -> None:
        self._event_loop = asyncio.get_running_loop()
        self.call_after_refresh(collect_garbage_from_now)
        if self.start_in_review:
            return
        last = self.store.last_doc(self.annotator) if self.restore else None
        if self.tag_on_start and self.store.has_untagged_documents():
            self.tagging_first = last
            # after the first frame: starting a process must not delay it
            self.call_after_refresh(self._start_tagger, tag_command(self.db_path, os.getpid(), first=last), True)
        if last:
            self.open_article(last)

    def notify(self, message: str, *, title: str = "", markup: bool = False, **kwargs) -> None:
        """Every notification (screens' and widgets' come here too) may quote data: shown with
        ``safe_text``, never read as markup."""
        super().notify(safe_text(message), title=safe_text(title), markup=False, **kwargs)

    async def run_action(self, action, default_namespace=None, namespaces=None) -> bool:
        """Every key's action: a database error it meets (a read after a write, say) is one
        notification, and the app carries on, instead of a traceback."""
        try:
            return await super().run_action(action, default_namespace, namespaces)
        except sqlite3.Error as exc:
            self.notify(failure(exc), severity="error", timeout=10)
            self.bell()
            return True
        except WriteAbandoned:  # quitting without it
            return True

    def post_message(self, message: Message) -> bool:
        """A key's action awaits its write, and quitting waits for the screens' actions to end, so the quit
        key would wait out another program's lock: while a write waits it is seen at once (from the driver's
        thread too). Once, it says the app quits when the changes are saved; again, the app quits without them."""
        if isinstance(message, events.Key) and message.key == QUIT_KEY and self.writer.blocked:
            if self.quit_asked:
                self._event_loop.call_soon_threadsafe(self._quit_without_waiting_writes)
                return True
            self.quit_asked = True
            self._event_loop.call_soon_threadsafe(
                self.show_waiting, f"quitting once the waiting key(s) are saved; {QUIT_KEY} again quits without them")
        return super().post_message(message)

    def _quit_without_waiting_writes(self) -> None:
        """Quit now: the key whose write waits and the keys typed after it are not applied."""
        self.quit_unsaved = True
        self.writer.abandon()
        self.exit()

    def show_waiting(self, message: str) -> None:
        """Say on the screen's status line (or in a notification) that a write is waiting."""
        set_status = getattr(self.screen, "set_status", None)
        if set_status is not None:
            set_status(message)
        else:
            self.notify(message, timeout=3)

    def open_article(self, doc_id: str) -> None:
        """Show the article on the annotate screen: made once, then kept (installed) for the next."""
        from .screens.annotate import AnnotateScreen

        if isinstance(self.screen, AnnotateScreen):
            self.screen.show_article(doc_id)
        elif not self.is_screen_installed("annotate"):
            self.install_screen(AnnotateScreen(doc_id), "annotate")
            self.push_screen("annotate")
        elif self.get_screen("annotate").reopen(doc_id):
            self.push_screen("annotate")

    def open_review(self) -> None:
        from .screens.review_list import ReviewListScreen

        self.push_screen(ReviewListScreen())

    def _start_tagger(self, argv: list[str], startup: bool = False) -> None:
        self.run_worker(lambda: self._tag(argv, startup), thread=True, group="pretag", name="pre-tagging", exit_on_error=False)

    def _tag(self, argv: list[str], startup: bool) -> None:
        """Run one tagging child to its end (in a worker thread); progress goes to every screen."""
        seen = [0, 0]

        def progress(done: int, total: int) -> None:
            seen[:] = done, total
            self.post_message(self.TaggingProgress(done, total))

        try:
            run_tagger(argv, progress, started=self.taggers.add)
        except TaggingFailed:
            if not self.ending:  # killed by on_unmount: not a failure to report
                raise
        finally:
            self.taggers.difference_update([p for p in self.taggers if p.poll() is not None])
            if startup:
                self.tagging_first = None
            self.post_message(self.TaggingProgress(*seen, finished=True))

    def tag_now(self, doc_ids: list[str]) -> None:
        """Tag these articles again (the annotate screen's article with no suggestions)."""
        if doc_ids == [self.tagging_first]:
            return  # the start-up tagger is doing this one first
        self._start_tagger(tag_command(self.db_path, os.getpid(), doc_ids=doc_ids))

    def on_tandai_app_tagging_progress(self, message: TaggingProgress) -> None:
        for screen in self.screen_stack:
            screen.post_message(TandaiApp.TaggingProgress(message.done, message.total, message.finished))

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """Worker failures are reported in one place, as one line, instead of crashing the app."""
        if event.state == WorkerState.ERROR:
            error = event.worker.error
            self.notify(f"{event.worker.name} failed: {error}", severity="error", timeout=10)

    def on_unmount(self) -> None:
        self.ending = True
        for proc in list(self.taggers):
            proc.kill()  # its thread sees the end of its output and finishes
        self.store.close()
