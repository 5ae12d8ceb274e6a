"""Key bindings: every one has an id, so users can remap keys in a config file.

The defaults are the keymap contract of DESIGN.md. A user file
(``$TANDAI_CONFIG`` or ``~/.config/tandai/config.toml``) may hold::

    [keys]
    annotate.accept = "y,enter,space"
    library.open = "enter,o"

Values are Textual key names, comma-separated; Textual applies them by
binding id (``App.set_keymap``).
"""
from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

from textual.binding import Binding

from annotations.errors import TandaiError


def _b(id: str, keys: str, action: str, description: str, tooltip: str = "", show: bool = True,
       key_display: str | None = None, priority: bool = False) -> Binding:
    return Binding(keys, action, description, show=show, key_display=key_display, priority=priority,
                   tooltip=tooltip, id=id)


LIBRARY = [
    _b("library.down", "j,down", "cursor_down", "Next article", show=False),
    _b("library.up", "k,up", "cursor_up", "Previous article", show=False),
    _b("library.open", "enter", "open", "Open", "Open the article under the cursor"),
    _b("library.filter", "slash", "filter", "Filter", "Filter by words in the title or text"),
    _b("library.status", "t", "cycle_status", "Status filter", "Cycle: all, todo, doing, done, skipped, flagged"),
    _b("library.next", "n", "next_todo", "Next to do", "Open the next article you have not finished"),
    _b("library.review", "R", "review", "Review", "Compare annotators and settle a gold version"),
    _b("library.team", "S", "team_status", "Team status", "Progress of every annotator and article", show=False),
    _b("library.help", "question_mark", "help", "Help", "Every key, from the live keymap"),
    _b("library.quit", "q", "quit", "Quit"),
]

# Moving through an article: shared by the annotate and review screens (same ids, so one remap serves both).
NAVIGATION = [
    _b("annotate.right", "right,l", "move(1)", "Next token", show=False),
    _b("annotate.left", "left,h", "move(-1)", "Previous token", show=False),
    _b("annotate.down", "down,j", "line(1)", "Next line", show=False),
    _b("annotate.up", "up,k", "line(-1)", "Previous line", show=False),
    _b("annotate.next_sentence", "right_parenthesis", "sentence(1)", "Next sentence", show=False),
    _b("annotate.prev_sentence", "left_parenthesis", "sentence(-1)", "Previous sentence", show=False),
    _b("annotate.home", "g", "edge(-1)", "Start of article", show=False),
    _b("annotate.end", "G", "edge(1)", "End of article", show=False),
    _b("annotate.grow", "shift+right,L", "extend(1)", "Grow selection", show=False),
    _b("annotate.shrink", "shift+left,H", "extend(-1)", "Shrink selection", show=False),
    _b("annotate.search", "slash", "search", "Search", "Find words in the article", show=False),
    _b("annotate.panel", "ctrl+o", "toggle_panel", "Panel", "Show or hide the side panel"),
    _b("annotate.help", "question_mark", "help", "Help"),
]

ANNOTATE = [
    # the annotate footer has more to show at 80 columns: the panel key is in help and the palette
    *(replace(b, show=False) if b.id == "annotate.panel" else b for b in NAVIGATION),
    _b("annotate.next_span", "tab", "next_mark(1)", "Next span", "Next span or suggestion", show=False, priority=True),
    _b("annotate.prev_span", "shift+tab", "next_mark(-1)", "Previous span", show=False, priority=True),
    _b("annotate.select", "v", "select", "Select", "Start a selection at the cursor; movement extends it",
       show=False),
    _b("annotate.layer_entity", "a", "layer('entity')", "Entity layer", show=False),
    _b("annotate.layer_event", "e", "layer('event')", "Event layer", show=False),
    _b("annotate.layer_claim", "c", "layer('claim')", "Claim layer", show=False),
    *[_b(f"annotate.label_{n}", str(n), f"label({n})", f"Label {n}", show=False) for n in range(1, 10)],
    _b("annotate.accept", "y,enter", "accept", "Accept", "Accept the suggestion under the cursor"),
    _b("annotate.accept_all", "Y", "accept_all", "Accept all", "Accept every open suggestion", show=False),
    _b("annotate.delete", "x,delete", "delete", "Delete",
       "Delete the span, or reject the suggestion; in link mode: unlink the argument, keep the span"),
    _b("annotate.link", "r", "link", "Link",
       "Link mode on the event/claim here: move to each argument, press its role's digit; r or escape ends"),
    _b("annotate.unlink", "X", "unlink", "Unlink",
       "Remove one link of the span here (latest first), keeping both spans", show=False),
    _b("annotate.jump_link", "o", "jump_link", "Go to head",
       "On an argument: jump to its event/claim; again: the next one, then back", show=False),
    _b("annotate.actor", "at", "actor", "Actor", "Link the span to an actor in the registry", show=False),
    _b("annotate.attrs", "i", "attributes", "Attributes", "Edit stance, modality, polarity, note", show=False),
    _b("annotate.undo", "u", "undo", "Undo"),
    _b("annotate.redo", "ctrl+r", "redo", "Redo", show=False),
    _b("annotate.done", "d", "status('done')", "Done", "Mark done and open the next article to do", show=False),
    _b("annotate.skip", "s", "status('skipped')", "Skip", "Skip this article and open the next", show=False),
    _b("annotate.flag", "f", "status('flagged')", "Flag", "Flag this article for attention", show=False),
    _b("annotate.next_article", "n", "article(1)", "Next article", show=False),
    _b("annotate.prev_article", "p", "article(-1)", "Previous article", show=False),
    _b("annotate.back", "q", "back", "Back", "Back to the article list"),
    _b("annotate.escape", "escape", "escape", "Cancel",
       "Cancel the search, link mode, selection or tab focus; never leaves the article", show=False),
]

REVIEW = [
    *NAVIGATION,
    _b("review.next", "tab", "next_disagreement(1)", "Next disagreement", priority=True),
    _b("review.prev", "shift+tab", "next_disagreement(-1)", "Previous disagreement", show=False, priority=True),
    *[_b(f"review.pick_{n}", str(n), f"pick({n})", f"Take annotator {n}'s version", show=False)
      for n in range(1, 10)],
    _b("review.accept", "y", "accept", "Accept", "Accept the span under the cursor into gold"),
    _b("review.reject", "x", "reject", "Reject", "Reject the span under the cursor"),
    _b("review.accept_agreed", "M", "accept_agreed", "Accept agreed", "Accept every span all annotators agree on"),
    _b("review.edit", "E", "edit_gold", "Edit gold", "Edit the gold layer with the annotate keys"),
    _b("review.settle", "d", "settle", "Settled", "Mark the article's gold version settled (done), or back"),
    _b("review.undo", "u", "undo", "Undo"),
    _b("review.redo", "ctrl+r", "redo", "Redo", show=False),
    _b("review.back", "q,escape", "back", "Back"),
]

REVIEW_LIST = [
    _b("review_list.down", "j,down", "cursor_down", "Next article", show=False),
    _b("review_list.up", "k,up", "cursor_up", "Previous article", show=False),
    _b("review_list.open", "enter", "open", "Open"),
    _b("review_list.next", "n", "next_unsettled", "Next unsettled", "Open the next article whose gold is not settled"),
    _b("review_list.help", "question_mark", "help", "Help"),
    _b("review_list.back", "q,escape", "back", "Back"),
]

STATUS = [
    _b("status.back", "q,escape", "back", "Back"),
]


def config_path() -> Path:
    if os.environ.get("TANDAI_CONFIG"):
        return Path(os.environ["TANDAI_CONFIG"])
    base = Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config")
    return base / "tandai" / "config.toml"


def known_ids() -> set[str]:
    return {b.id for b in (*LIBRARY, *ANNOTATE, *REVIEW, *REVIEW_LIST, *STATUS) if b.id}


def _flatten(table: dict, prefix: str = "") -> dict:
    """TOML reads annotate.accept = "z" as {"annotate": {"accept": "z"}}: turn it back into binding ids."""
    flat = {}
    for key, value in table.items():
        if isinstance(value, dict):
            flat.update(_flatten(value, f"{prefix}{key}."))
        else:
            flat[f"{prefix}{key}"] = value
    return flat


def load_keymap(path: Path | None = None) -> dict[str, str]:
    """The user's remapped keys by binding id (empty when there is no config file)."""
    path = path or config_path()
    if not path.exists():
        return {}
    import tomllib  # only with a config file to read

    try:
        data = tomllib.loads(path.read_text("utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise TandaiError(f"{path}: cannot read config: {exc}") from None
    keys = _flatten(data.get("keys", {}))
    unknown = sorted(set(keys) - known_ids())
    if unknown:
        raise TandaiError(f"{path}: unknown binding id(s) in [keys]: {', '.join(unknown)}")
    bad = [k for k, v in keys.items() if not isinstance(v, str) or not v.strip()]
    if bad:
        raise TandaiError(f"{path}: [keys] values must be key names, e.g. \"y,enter\" ({', '.join(bad)})")
    return dict(keys)
