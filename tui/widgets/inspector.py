"""The legend (active layer and its digit keys) and the inspector (what is under the cursor)."""
from __future__ import annotations

from collections.abc import Callable, Mapping

from rich.style import Style
from rich.text import Text
from textual.widgets import Static

from annotations.display import clipped, safe_text
from annotations.records import Link, Span, Suggestion
from annotations.scheme import Scheme

from .marks import Mark
from .label_styles import LabelStyles


class Legend(Static):
    """One line: the layers (a/e/c), the active one's labels with digits, or the roles while linking."""

    _shown: tuple | None = None

    def show(self, scheme: Scheme, active: str, roles: tuple[str, ...] | None = None) -> None:
        shown = (scheme.source, active, roles, self.app.theme)
        if shown == self._shown:  # asked on every cursor move: redraw only when it changes
            return
        self._shown = shown
        text = Text()
        for layer in scheme.layers.values():
            on = layer.name == active
            text.append(safe_text(f" {layer.key}:{layer.name} "), style="reverse bold" if on else "dim")
        text.append(" ")
        if roles is not None:
            text.append("link role ", style="bold")
            for n, role in enumerate(roles, 1):
                text.append(f"{n}", style="bold reverse")
                text.append(f"{safe_text(role)} ")
        else:
            labels = scheme.layer(active).label_names
            looks = LabelStyles.for_app(self.app, {label: n for n, label in enumerate(labels)})
            for n, label in enumerate(labels, 1):
                text.append(f"{n}", style="bold reverse")
                text.append(f"{safe_text(label)} ", style=Style(color=looks.tag(label, "span").color))
        self.update(text)


class Inspector(Static):
    """Details of the span or suggestion under the cursor: label, text, actor, links, attributes."""

    summary = ""

    def show(self, item: Mark | None, span: Span | None, spans: Mapping[int, Span], links: list[Link], store,
             document_text: str, key: Callable[[str], str], suggestion: Suggestion | None = None) -> None:
        """``spans`` by id (the ends of links are looked up there); ``key`` gives a binding's key as the user
        mapped it (the hints name those); ``suggestion`` is the one under the cursor, whose models are
        named (several models' rows are one suggestion)."""
        text = Text()
        accept, delete, tab = key("annotate.accept"), key("annotate.delete"), key("annotate.next_span")
        if item is None:
            self.summary = f"no span here · digits label the token or selection · {tab}: next span"
            text.append("Nothing here\n", style="bold")
            text.append(f"1-9 labels the token\nor selection.\n{tab} jumps to the next\nspan or suggestion.", style="dim")
            self.update(text)
            return
        if item.kind == "suggestion":
            mention = _short(document_text[item.start:item.end], 24)
            label = safe_text(item.label)
            models = suggestion.models if suggestion is not None else ()
            # several models' rows are one suggestion: the status line names them (the panel always does)
            by = f" by {_short(' + '.join(models), 32)}" if len(models) > 1 else ""
            self.summary = f"{label}? “{mention}” suggested{by} · {accept} accepts · {delete} rejects · a digit relabels"
            text.append(f"{label}?", style="bold underline")
            text.append(f"  suggestion ({item.layer})\n")
            text.append(f"“{_short(document_text[item.start:item.end], 60)}”\n")
            if models:
                text.append("by " + "\n   ".join(_short(model, 40) for model in models) + "\n", style="italic")
            text.append(f"{accept} accept · {delete} reject\ndigit: accept as that label\n", style="dim")
            self.update(text)
            return
        assert span is not None
        by_id = spans
        out = [link for link in links if link.head == span.id]
        into = [link for link in links if link.tail == span.id]
        label, actor_id = safe_text(span.label), safe_text(span.actor_id or "")
        parts = [f"{label} “{_short(span.text, 24)}”"]
        if actor_id:
            parts.append(f"@{actor_id}")
        if out or into:
            parts.append(f"{len(out) + len(into)} link(s)")
        if span.attrs:
            parts.append(safe_text(", ".join(f"{k}={v}" for k, v in sorted(span.attrs.items()))))
        self.summary = " · ".join(parts)
        text.append(label, style="bold reverse")
        text.append(f"  {span.layer}\n")
        text.append(f"“{_short(span.text, 60)}”\n")
        text.append(f"{span.start}–{span.end}\n", style="dim")
        if span.actor_id:
            actor = next((a for a in store.actors(span.actor_id) if a.id == span.actor_id), None)
            text.append(f"actor {actor_id}", style="bold")
            text.append(f" {safe_text(actor.name)}\n" if actor else "\n")
        for key, value in sorted(span.attrs.items()):
            text.append(safe_text(f"{key}: {value}") + "\n")
        for link in out:
            tail = by_id.get(link.tail)
            text.append(f"→ {safe_text(link.role)} ", style="bold")
            text.append(f"{safe_text(tail.label)} “{_short(tail.text, 20)}”\n" if tail else "?\n")
        for link in into:
            head = by_id.get(link.head)
            text.append(f"← {safe_text(link.role)} of ", style="bold")
            text.append(f"{safe_text(head.label)} “{_short(head.text, 20)}”\n" if head else "?\n")
        self.update(text)


def _short(text: str, n: int) -> str:
    return clipped(safe_text(" ".join(text.split())), n)
