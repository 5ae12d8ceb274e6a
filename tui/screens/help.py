"""Help: every key of the screen below, read from its live (possibly remapped) bindings."""
from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from annotations.display import safe_text


def binding_rows(screen: Screen) -> list[tuple[str, str, str]]:
    """(keys, description, tooltip) for each action bound on ``screen``, keys as the user has them.

    Read from the screen's own bindings with the user's keymap applied, not from ``active_bindings``:
    there a focused widget's binding for the same key (the article list's enter, up, down) hides the
    screen's, and the key would be missing from help although it works.
    """
    bindings = screen._bindings.copy()
    if screen.app._keymap:
        bindings.apply_keymap(screen.app._keymap)
    by_action: dict[str, tuple[list[str], Binding]] = {}
    for key, key_bindings in bindings.key_to_bindings.items():
        for binding in key_bindings:
            if not binding.description:
                continue
            keys, _ = by_action.setdefault(binding.action, ([], binding))
            display = screen.app.get_key_display(Binding(key, binding.action))
            if display not in keys:
                keys.append(display)
    return [(" ".join(keys), b.description, b.tooltip) for keys, b in by_action.values()]


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,q,question_mark", "dismiss", "Close", id="help.close")]

    def __init__(self, target: Screen):
        super().__init__()
        self.target = target

    def compose(self) -> ComposeResult:
        table = Table(box=None, show_header=True, header_style="bold", expand=True, pad_edge=False)
        table.add_column("keys", no_wrap=True, style="bold")
        table.add_column("does")
        for keys, description, tooltip in binding_rows(self.target):
            table.add_row(Text(safe_text(keys)), Text(safe_text(f"{description}" + (f": {tooltip}" if tooltip else ""))))
        for key, name, _, what in getattr(self.target, "named_keys", list)():  # labels and roles by name
            table.add_row(Text(safe_text(key)), Text(safe_text(f"{name}: {what}")))
        with VerticalScroll(classes="dialog help"):
            yield Static(Text("Keys (remap them by id in ~/.config/tandai/config.toml)", style="bold"))
            yield Static(table)

    def action_dismiss(self) -> None:
        self.dismiss(None)
