"""brat standoff: a ``.txt`` and an ``.ann`` per article, and ``annotation.conf`` from the scheme.

- ``T`` lines for every span (offsets are code points, as brat's are; a span
  that crosses a line break is written as fragments ``0 5;6 12``, as brat
  itself writes it, with the fragments' text joined by a space);
- ``E`` lines for every event and claim span, with its links as role
  arguments (a second argument in the same role is ``ROLE2``, brat's
  convention); an argument that is itself an event or claim is referred to by
  its ``E`` id;
- ``A`` lines for attributes (``A1<TAB>modality E1 claimed``; ``true`` is a
  binary attribute);
- ``#`` AnnotatorNotes lines for a free-text ``note`` attribute;
- ``N`` lines for actor ids: ``N1<TAB>Reference T3 tandai_actors:ARM_GOV<TAB>name``.

Files are named ``NNNN_<doc id>`` in export order (so importing the directory
keeps the order); with ``--all`` each annotator gets a sub-directory.
``annotation.conf`` sits at the top, where brat finds it for every
sub-directory.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from ..errors import TandaiError
from ..scheme import Scheme
from .report import Report
from .select import Record, Selection

NORM_DB = "tandai_actors"
CONF_HEADER = "# brat annotation.conf written by tandai"
ARG_MACRO = "ARGUMENT"  # a brat macro (<NAME>=A|B|...), expanded inside its section
# Characters brat (and Python's line splitting) treat as line breaks: spans are cut into fragments there.
LINE_BREAKS = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
_BREAK_RUN = re.compile(f"[{LINE_BREAKS}]+")
_SIMPLE_VALUE = re.compile(r"^[^\s]+$")
_NAME_SAFE = re.compile(r"[^\w.-]+")


def fragments(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The span cut at line breaks (brat's discontinuous notation); pieces that are only breaks vanish."""
    piece = text[start:end]
    if not any(ch in LINE_BREAKS for ch in piece):
        return [(start, end)]
    out = []
    pos = start
    for m in _BREAK_RUN.finditer(piece):
        if start + m.start() > pos:
            out.append((pos, start + m.start()))
        pos = start + m.end()
    if end > pos:
        out.append((pos, end))
    return out


def clean_field(text: str) -> str:
    """A value for a tab-separated .ann field: no tabs or line breaks."""
    return re.sub(f"[\t{LINE_BREAKS}]", " ", text)


def ann_text(record: Record, actors: dict[str, str], report: Report) -> tuple[str, set[tuple[str, str, str]]]:
    """The .ann file of one record, and the (attribute, layer, value) triples it wrote."""
    text = record.doc.text
    lines: list[str] = []
    t_id: dict[int, str] = {}
    e_id: dict[int, str] = {}
    for n, span in enumerate(record.spans, start=1):
        t_id[span.id] = f"T{n}"
        frags = fragments(text, span.start, span.end)
        offsets = ";".join(f"{s} {e}" for s, e in frags)
        lines.append(f"T{n}\t{span.label} {offsets}\t{' '.join(text[s:e] for s, e in frags)}")
    n_e = 0
    for span in record.spans:
        if span.layer != "entity":
            n_e += 1
            e_id[span.id] = f"E{n_e}"
    args: dict[int, list[tuple[str, str]]] = {}
    for link in record.links:
        target = e_id.get(link.tail.id) or t_id[link.tail.id]
        args.setdefault(link.head.id, []).append((link.role, target))
    for span in record.spans:
        if span.id not in e_id:
            continue
        parts = [f"{span.label}:{t_id[span.id]}"]
        seen: dict[str, int] = {}
        for role, target in args.get(span.id, []):
            seen[role] = seen.get(role, 0) + 1
            parts.append(f"{role}{seen[role] if seen[role] > 1 else ''}:{target}")
        lines.append(f"{e_id[span.id]}\t{' '.join(parts)}")
    n_a = n_n = n_note = 0
    extra: set[tuple[str, str, str]] = set()
    for span in record.spans:
        ref = e_id.get(span.id) or t_id[span.id]
        for key in sorted(span.attrs):
            value = span.attrs[key]
            if key == "note" and isinstance(value, str):
                n_note += 1
                lines.append(f"#{n_note}\tAnnotatorNotes {ref}\t{clean_field(value)}")
            elif not _SIMPLE_VALUE.match(key):
                report.problem("attribute brat cannot hold (name with spaces)", record, span.start, span.end,
                               span.label, f"{key}={value!r}")
            elif value is True:
                n_a += 1
                lines.append(f"A{n_a}\t{key} {ref}")
                extra.add((key, span.layer, ""))
            elif isinstance(value, str) and _SIMPLE_VALUE.match(value):
                n_a += 1
                lines.append(f"A{n_a}\t{key} {ref} {value}")
                extra.add((key, span.layer, value))
            elif value is False or value is None:
                continue  # brat's default for a binary attribute; nothing to write
            else:
                report.problem("attribute brat cannot hold (value not one word)", record, span.start, span.end,
                               span.label, f"{key}={value!r}")
    for span in record.spans:
        if span.actor_id:
            n_n += 1
            name = clean_field(actors.get(span.actor_id, span.actor_id))
            lines.append(f"N{n_n}\tReference {t_id[span.id]} {NORM_DB}:{span.actor_id}\t{name}")
    return "".join(line + "\n" for line in lines), extra


def annotation_conf(scheme: Scheme, used_attrs: set[tuple[str, str, str]] = frozenset()) -> str:
    """annotation.conf: entity labels, event and claim labels as events with their roles, attributes."""
    entity = scheme.layers.get("entity")
    ent_labels = list(entity.label_names) if entity else []
    span_layers = [layer for name, layer in scheme.layers.items() if name != "entity"]
    event_labels = [label for layer in span_layers for label in layer.label_names]
    lines = [CONF_HEADER + f" from the scheme {scheme.name!r}.", "# Claims are events too: their roles are",
             "# CLAIMANT / TARGET / ABOUT. Actor ids are N lines (normalisation DB tandai_actors).", "",
             "[entities]"]
    lines += ent_labels
    lines += ["", "[relations]", "", "[events]",
              "# Any span can be an argument (an event or claim is referred to by its E id).",
              f"<{ARG_MACRO}>={'|'.join(ent_labels + event_labels)}"]
    for layer in span_layers:
        lines.append(f"# {layer.name} layer")
        roles = ", ".join(f"{role}*:<{ARG_MACRO}>" for role in layer.roles)
        for label in layer.label_names:
            lines.append(f"{label}\t{roles}" if roles else label)
    lines += ["", "[attributes]"]
    declared: dict[str, tuple[list[str], list[str]]] = {}  # name -> (types, values)
    for layer in scheme.layers.values():
        for attr in layer.attributes:
            types, values = declared.setdefault(attr.name, ([], []))
            types += [label for label in layer.label_names if label not in types]
            values += [v for v in attr.values if v not in values]
    # Attributes found in the data beyond the scheme are declared too, so brat accepts every A line.
    for name, layer_name, value in sorted(used_attrs):
        types, values = declared.setdefault(name, ([], []))
        types += [label for label in scheme.layer(layer_name).label_names if label not in types]
        if value and value not in values:
            values.append(value)
    for name in sorted(declared):
        types, values = declared[name]
        spec = f"Arg:{'|'.join(types)}"
        lines.append(f"{name}\t{spec}, Value:{'|'.join(values)}" if values else f"{name}\t{spec}")
    return "\n".join(lines) + "\n"


def _prepare(out: Path, force: bool) -> None:
    """An empty directory, or one holding an earlier tandai brat export (whose files are replaced)."""
    conf = out / "annotation.conf"
    entries = list(out.iterdir()) if out.exists() else []
    if not entries:
        return
    ours = conf.exists() and conf.read_text(encoding="utf-8", errors="replace").startswith(CONF_HEADER)
    if not ours and not force:
        raise TandaiError(f"{out}: directory is not empty and not an earlier tandai brat export;"
                          " give a new directory")
    for path in sorted(out.rglob("*")):
        if path.is_file() and path.suffix in (".txt", ".ann") and re.match(r"^\d+_[0-9a-f]+$", path.stem):
            path.unlink()


def export(records: Iterable[Record], out: Path, report: Report, selection: Selection, scheme: Scheme,
           actors: dict[str, str], *, force: bool = False) -> None:
    _prepare(out, force)
    width = max(4, len(str(len(selection.pairs))))
    extra: set[tuple[str, str, str]] = set()
    n = 0
    dirs: set[Path] = set()
    for record in records:
        report.count(record)
        n += 1
        folder = out / _NAME_SAFE.sub("_", record.annotator) if selection.multi else out
        if folder not in dirs:
            folder.mkdir(parents=True, exist_ok=True)
            dirs.add(folder)
        stem = f"{n:0{width}d}_{record.doc.id}"
        ann, used = ann_text(record, actors, report)
        extra |= used
        with open(folder / f"{stem}.txt", "w", encoding="utf-8", newline="") as fh:
            fh.write(record.doc.text)
        with open(folder / f"{stem}.ann", "w", encoding="utf-8", newline="") as fh:
            fh.write(ann)
    (out / "annotation.conf").write_bytes(annotation_conf(scheme, extra).encode("utf-8"))
    report.files.append(f"{out}/ ({n} .txt + .ann pair(s), annotation.conf)")

