"""What an export wrote, and everything it could not write.

Every exporter fills one ``Report``: the articles and records written, spans
per layer and label, links per role, and each item the format cannot hold
(an overlapping entity in IOB, a cross-sentence argument in DyGIE++ ...)
with its article and offsets. ``render()`` is the summary the command line
prints on standard error; ``to_dict()`` is the full list, for ``--report``.
"""
from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from ..display import quoted


@dataclass(frozen=True)
class Item:
    """One span or link that was not written (or not written as it is)."""

    doc_id: str
    annotator: str
    start: int
    end: int
    label: str
    text: str
    detail: str = ""

    def line(self, with_annotator: bool) -> str:
        who = f" [{self.annotator}]" if with_annotator else ""
        detail = f" ({self.detail})" if self.detail else ""
        return f"{self.doc_id}{who} {self.start}-{self.end} {self.label} {quoted(self.text)}{detail}"


@dataclass
class Report:
    fmt: str
    annotators: list[str] = field(default_factory=list)
    status: str = "done"
    layers: tuple[str, ...] = ()
    articles: set[str] = field(default_factory=set)
    records: int = 0
    spans: Counter = field(default_factory=Counter)  # (layer, label) -> n
    links: Counter = field(default_factory=Counter)  # role -> n
    problems: dict[str, list[Item]] = field(default_factory=dict)
    files: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    multi: bool = False  # several annotators: name them in listings
    # Set by formats that hold no links at all: every link is reported under this reason.
    links_unwritable: str | None = None
    tallies: Counter = field(default_factory=Counter)  # format-specific counts (summed across workers)

    def empty_copy(self) -> "Report":
        """A report with this one's settings and no counts (for a worker's part of an export)."""
        return Report(self.fmt, list(self.annotators), self.status, self.layers, multi=self.multi,
                      links_unwritable=self.links_unwritable)

    def merge(self, other: "Report") -> None:
        """Add a worker's part (parts are merged in selection order, so listings keep that order)."""
        self.articles |= other.articles
        self.records += other.records
        self.spans.update(other.spans)
        self.links.update(other.links)
        self.tallies.update(other.tallies)
        for reason, items in other.problems.items():
            self.problems.setdefault(reason, []).extend(items)

    def count(self, record) -> None:
        """Count a record's article, spans and links (the ones selected for this export)."""
        self.articles.add(record.doc.id)
        self.records += 1
        self.spans.update([(span.layer, span.label) for span in record.spans])
        self.links.update([link.role for link in record.links])

    def problem(self, reason: str, record, start: int, end: int, label: str, detail: str = "") -> None:
        text = record.doc.text[start:end]
        self.problems.setdefault(reason, []).append(
            Item(record.doc.id, record.annotator, start, end, label, text, detail))

    @property
    def dropped(self) -> int:
        return sum(len(items) for items in self.problems.values())

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": self.fmt,
            "annotators": self.annotators,
            "status": self.status,
            "layers": list(self.layers),
            "articles": len(self.articles),
            "records": self.records,
            "spans": {f"{layer}/{label}": n for (layer, label), n in sorted(self.spans.items())},
            "links": dict(sorted(self.links.items())),
            "not_written": {
                reason: [item.__dict__ for item in items] for reason, items in self.problems.items()
            },
            "files": self.files,
            "notes": self.notes,
        }

    def write_json(self, path: str) -> None:
        from .common import open_out  # common imports this module

        with open_out(path, "the report") as fh:
            json.dump(self.to_dict(), fh, ensure_ascii=False, indent=1, sort_keys=True)
            fh.write("\n")

    def render(self, limit: int = 20) -> str:
        """The summary: counts, then every kind of item not written, listed (up to ``limit`` each)."""
        who = ", ".join(self.annotators) if self.annotators else "-"
        lines = [
            f"{self.fmt} export: {len(self.articles)} article(s)"
            + (f", {self.records} record(s)" if self.records != len(self.articles) else "")
            + f" | annotator: {who} | status: {self.status} | layers: {', '.join(self.layers)}"
        ]
        total = sum(self.spans.values())
        lines.append(f"  spans: {total}")
        for layer in self.layers:
            per = sorted((label, n) for (lay, label), n in self.spans.items() if lay == layer)
            if per:
                lines.append(f"    {layer} {sum(n for _, n in per)}: " + ", ".join(f"{label} {n}" for label, n in per))
        links = sum(self.links.values())
        lines.append(f"  links: {links}" + (
            " (" + ", ".join(f"{role} {n}" for role, n in sorted(self.links.items())) + ")" if links else ""))
        if not self.problems:
            lines.append(f"  not written: nothing (everything selected is in the {self.fmt} files)")
        else:
            lines.append(f"  not written as annotated: {self.dropped} item(s)")
            for reason, items in self.problems.items():
                lines.append(f"    {reason}: {len(items)}")
                for item in items[:limit]:
                    lines.append(f"      {item.line(self.multi)}")
                if len(items) > limit:
                    lines.append(f"      ... and {len(items) - limit} more (--report FILE lists them all)")
        for note in self.notes:
            lines.append(f"  note: {note}")
        for path in self.files:
            lines.append(f"  wrote {path}")
        return "\n".join(lines)
