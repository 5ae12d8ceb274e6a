"""Small modal screens: pick an actor, fill in an actor's registry entry, edit a span's attributes."""
from __future__ import annotations

import re

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from annotations.display import safe_text
from annotations.records import Actor, Span
from annotations.scheme import Attribute

NEW = "\x00new"
NONE = "\x00none"


class ActorPicker(ModalScreen[tuple[str | None, Actor | None] | None]):
    """Search the registry by id, name or alias; or add a new actor named by what was typed."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="picker.cancel"),
                Binding("down", "down", "Next", show=False, id="picker.down"),
                Binding("up", "up", "Previous", show=False, id="picker.up")]

    def __init__(self, store, mention: str, current: str | None, title: str = ""):
        super().__init__()
        self.store = store
        self.mention = safe_text(" ".join(mention.split()))  # the article's text: shown, never obeyed
        self.current = current
        self.heading = title or f"Actor for “{self.mention[:40]}”"

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Text(f"{self.heading} (type to search, enter picks)"))
            yield Input(value=self.mention, id="actor-search")
            yield OptionList(id="actors")

    def on_mount(self) -> None:
        self._fill(self.mention)

    @on(Input.Changed)
    def _changed(self, event: Input.Changed) -> None:
        self._fill(event.value)

    def _fill(self, query: str) -> None:
        options = self.query_one(OptionList)
        options.clear_options()
        found = self.store.actors(query.strip())
        if not found and query.strip():  # search by any word of the mention
            seen = set()
            for word in query.split():
                for actor in self.store.actors(word):
                    if actor.id not in seen:
                        seen.add(actor.id)
                        found.append(actor)
        for actor in found[:50]:
            options.add_option(Option(Text(safe_text(f"{actor.id:<12} {actor.name} ({actor.category or '?'})")),
                                      id=actor.id))
        if query.strip():
            options.add_option(Option(Text(f"+ new actor “{safe_text(query.strip())}”"), id=NEW))
        if self.current:
            options.add_option(Option(Text(f"− remove the link to {safe_text(self.current)}"), id=NONE))
        if options.option_count:
            options.highlighted = 0

    def action_down(self) -> None:
        self.query_one(OptionList).action_cursor_down()

    def action_up(self) -> None:
        self.query_one(OptionList).action_cursor_up()

    @on(Input.Submitted)
    def _submitted(self) -> None:
        options = self.query_one(OptionList)
        if options.highlighted is not None:
            self._pick(options.get_option_at_index(options.highlighted).id)

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self._pick(event.option.id)

    def _pick(self, option_id: str | None) -> None:
        if option_id == NONE:
            self.dismiss((None, None))
        elif option_id == NEW:
            name = self.query_one(Input).value.strip()
            actor_id = re.sub(r"[^A-Z0-9]+", "_", name.upper()).strip("_")[:24] or "ACTOR"
            self.dismiss((actor_id, Actor(actor_id, name)))
        elif option_id:
            self.dismiss((option_id, None))

    def action_cancel(self) -> None:
        self.dismiss(None)


class CategoryList(OptionList):
    """The scheme's actor categories: a digit picks category N at once (as enter does on it)."""

    BINDINGS = [Binding(str(n), f"pick({n})", show=False) for n in range(1, 10)]

    def action_pick(self, n: int) -> None:
        if n <= self.option_count - 1:  # the last option is "no category"
            self.highlighted = n - 1
            self.action_select()


class ActorForm(ModalScreen[Actor | None]):
    """An actor's registry entry: name, category (the scheme's), country and aliases.

    The category list has the focus first (a new actor's name is already typed): its digit,
    or up/down and enter, picks one and moves on to the country; enter in a text field saves,
    escape cancels.
    """

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="actor_form.cancel")]

    def __init__(self, actor: Actor, categories: tuple[str, ...], heading: str):
        super().__init__()
        self.actor = actor
        self.categories = categories
        self.heading = heading

    def compose(self) -> ComposeResult:
        actor = self.actor
        with Vertical(classes="dialog actor-form"):
            yield Static(Text(safe_text(f"{self.heading} {actor.id}: category (digit), country, enter saves")))
            yield Input(value=actor.name, placeholder="name", id="actor-name")
            yield CategoryList(*[Option(Text(safe_text(f"{n} {c}" if n < 10 else f"  {c}")), id=c)
                                 for n, c in enumerate(self.categories, 1)],
                               Option(Text("  — no category"), id=NONE), id="actor-category")
            yield Input(value=actor.country or "", placeholder="country: ISO code such as ARM, blank for none",
                        id="actor-country")
            yield Input(value=", ".join(actor.aliases), placeholder="aliases, separated by commas",
                        id="actor-aliases", select_on_focus=False)  # typing adds to the list

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        ids = [*self.categories, NONE]
        options.highlighted = ids.index(self.actor.category) if self.actor.category in ids else 0
        options.focus()

    @on(OptionList.OptionSelected)
    def _category_picked(self) -> None:
        self.query_one("#actor-country", Input).focus()

    @on(Input.Submitted)
    def _save(self) -> None:
        options = self.query_one(OptionList)
        category = options.get_option_at_index(options.highlighted).id if options.highlighted is not None else NONE
        aliases = tuple(a.strip() for a in self.query_one("#actor-aliases", Input).value.split(",") if a.strip())
        country = self.query_one("#actor-country", Input).value.strip().upper()
        self.dismiss(Actor(self.actor.id, self.query_one("#actor-name", Input).value.strip(),
                           None if category == NONE else category, country or None, aliases))

    def action_cancel(self) -> None:
        self.dismiss(None)


class AttributeEditor(ModalScreen[dict | None]):
    """Up/down picks an attribute, left/right cycles its value, enter saves, escape cancels."""

    BINDINGS = [
        Binding("up,k", "row(-1)", "Previous", id="attrs.up"),
        Binding("down,j", "row(1)", "Next", id="attrs.down"),
        Binding("left,h", "value(-1)", "Value", id="attrs.left"),
        Binding("right,l,space", "value(1)", "Value", id="attrs.right"),
        Binding("enter", "save", "Save", id="attrs.save"),
        Binding("escape", "cancel", "Cancel", id="attrs.cancel"),
    ]

    def __init__(self, span: Span, attributes: tuple[Attribute, ...]):
        super().__init__()
        self.span = span
        self.attributes = attributes
        self.values = dict(span.attrs)
        self.row = 0

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(id="attrs")

    def on_mount(self) -> None:
        self._draw()

    def _draw(self) -> None:
        text = Text(safe_text(f"Attributes of {self.span.label} “{self.span.text[:40]}”") + "\n\n")
        if not self.attributes:
            text.append("This layer has no attributes in the scheme.", style="dim")
        for n, attribute in enumerate(self.attributes):
            current = self.values.get(attribute.name)
            text.append("▶ " if n == self.row else "  ", style="bold")
            text.append(safe_text(f"{attribute.name:<10}"), style="bold" if n == self.row else "")
            for value in (None, *attribute.values):
                shown = safe_text(value or "—")
                text.append(f" {shown} ", style="reverse" if value == current else "dim")
            text.append("\n")
        text.append("\n↑↓ attribute · ←→ value · enter save · escape cancel", style="dim")
        self.query_one("#attrs", Static).update(text)

    def action_row(self, step: int) -> None:
        if self.attributes:
            self.row = (self.row + step) % len(self.attributes)
            self._draw()

    def action_value(self, step: int) -> None:
        if not self.attributes:
            return
        attribute = self.attributes[self.row]
        choices = (None, *attribute.values)
        i = (choices.index(self.values.get(attribute.name)) + step) % len(choices)
        if choices[i] is None:
            self.values.pop(attribute.name, None)
        else:
            self.values[attribute.name] = choices[i]
        self._draw()

    def action_save(self) -> None:
        self.dismiss(self.values)

    def action_cancel(self) -> None:
        self.dismiss(None)
