"""The actor registry that entity mentions link to (``spans.actor_id``)."""
from __future__ import annotations

import tomllib
from importlib import resources

from .records import Actor
from .store import Store


def bundled_actors() -> list[Actor]:
    """The registry seed for the bundled corpus (``data/actors.toml``)."""
    data = tomllib.loads(resources.files("annotations.data").joinpath("actors.toml").read_text("utf-8"))
    return [
        Actor(a["id"], a["name"], a.get("category") or None, a.get("country") or None, tuple(a.get("aliases", [])))
        for a in data.get("actor", [])
    ]


def seed_actors(store: Store) -> int:
    """Add the bundled actors that are not in the registry yet; returns how many were added."""
    return store.add_actors(bundled_actors())
