"""The command palette's way into the actor registry: find an actor (or name a new one), then
edit its name, category, country and aliases. Every change goes through the store, journaled
under the app's annotator (the registry is shared, so it belongs to no article's undo)."""
from __future__ import annotations

import sqlite3

from textual.command import DiscoveryHit, Hit, Hits, Provider

from annotations.errors import TandaiError
from annotations.records import Actor

from .writes import failure

COMMAND = "Edit actor registry"
HELP = "Change an actor's name, category, country or aliases, or add an actor"


def edit_registry(app) -> None:
    """Open the actor search; the actor picked (or named) opens in the actor form, saved on enter."""
    from .screens.pickers import ActorForm, ActorPicker

    store = app.store

    async def save(actor: Actor | None, new: bool) -> None:
        if actor is None:
            return
        write = (lambda: store.add_actor(actor, app.annotator)) if new else \
            (lambda: store.update_actor(actor, app.annotator))
        try:
            await app.writer.run(write)
        except (TandaiError, sqlite3.Error) as exc:
            app.notify(failure(exc), severity="error", timeout=10)
            app.bell()
            return
        app.notify(f"actor {actor.id} saved")

    def chosen(result) -> None:
        if result is None:
            return
        actor_id, new_actor = result
        actor = new_actor or store.actor(actor_id)
        if actor is None:
            return
        heading = "New actor" if new_actor else "Actor"
        app.push_screen(ActorForm(actor, store.scheme.actor_categories, heading),
                        lambda filled: save(filled, new_actor is not None))

    app.push_screen(ActorPicker(store, "", None, title="Edit the actor registry"), chosen)


class ActorRegistryCommands(Provider):
    """"Edit actor registry" in the command palette, on every screen."""

    async def discover(self) -> Hits:
        yield DiscoveryHit(COMMAND, lambda: edit_registry(self.app), help=HELP)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        score = matcher.match(COMMAND)
        if score > 0:
            yield Hit(score, matcher.highlight(COMMAND), lambda: edit_registry(self.app), help=HELP)
