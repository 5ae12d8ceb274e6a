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

``E`` lines are numbered and written so that an event is defined before any
claim (or event) that refers to it: readers that resolve ids line by line
keep every event.

Files are named ``NNNN_<doc id>`` in export order (so importing the directory
keeps the order); with ``--all`` each annotator gets a sub-directory, named
from the annotator but never a path outside the export (``..``, ``a/b`` and
names that had to be changed get a short hash of the name). At the top, where
brat finds them for every sub-directory:

- ``annotation.conf``: the scheme's types, roles and attributes, and an
  ``<OVERLAP>`` declaration: tandai lets spans nest, share an extent and cross;
- ``tools.conf``: a ``[normalization]`` entry for the ``tandai_actors``
  database that ``N`` lines name, made from ``tandai_actors.tsv`` (the actors
  they name, in the input format of brat's ``tools/norm_db_init.py``);
- ``tandai-export.json``: the manifest of every file this export wrote. A
  later export into the folder replaces those and removes the ones it no
  longer writes; ``--force`` (a folder tandai did not write) never deletes or
  replaces a file that is not in the manifest.
"""
from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable
from pathlib import Path, PurePosixPath

from ..errors import TandaiError
from ..records import Actor
from ..scheme import Scheme
from .common import StagedDir
from .report import Report
from .select import Record, Selection

NORM_DB = "tandai_actors"
CONF_HEADER = "# brat annotation.conf written by tandai"
ARG_MACRO = "ARGUMENT"  # a brat macro (<NAME>=A|B|...), expanded inside its section
SPAN_MACRO = "SPAN"
TOOLS_HEADER = "# brat tools.conf written by tandai"
NORM_SOURCE = f"{NORM_DB}.tsv"  # not .txt: brat lists every .txt file as a document
MANIFEST = "tandai-export.json"
MANIFEST_KIND = "tandai brat export"
# Characters brat (and Python's line splitting) treat as line breaks: spans are cut into fragments there.
LINE_BREAKS = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
_BREAK_RUN = re.compile(f"[{LINE_BREAKS}]+")
_SIMPLE_VALUE = re.compile(r"^[^\s]+$")
_NAME_SAFE = re.compile(r"[^\w.-]+")
_STORAGE_FORM = re.compile(r"^[a-zA-Z0-9_-]+$")  # brat's projectconfig.normalize_to_storage_form leaves these as they are


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


def event_order(record: Record) -> list:
    """The record's event and claim spans, each after every event or claim it has as an argument.

    Spans keep their text order where nothing forces another (the store refuses cycles; were there
    one, the span met first would simply come first).
    """
    heads = [span for span in record.spans if span.layer != "entity"]
    is_head = {span.id for span in heads}
    inner: dict[int, list] = {}
    for link in record.links:
        if link.tail.id in is_head:
            inner.setdefault(link.head.id, []).append(link.tail)
    order: list = []
    seen: set[int] = set()

    def visit(span) -> None:
        seen.add(span.id)
        for tail in inner.get(span.id, []):
            if tail.id not in seen:
                visit(tail)
        order.append(span)

    for span in heads:
        if span.id not in seen:
            visit(span)
    return order


def ann_text(record: Record, actors: dict[str, Actor], report: Report) -> tuple[str, set[tuple[str, str, str]]]:
    """The .ann file of one record, and the (attribute, layer, value) triples it wrote."""
    text = record.doc.text
    lines: list[str] = []
    t_id: dict[int, str] = {}
    for n, span in enumerate(record.spans, start=1):
        t_id[span.id] = f"T{n}"
        frags = fragments(text, span.start, span.end)
        offsets = ";".join(f"{s} {e}" for s, e in frags)
        lines.append(f"T{n}\t{span.label} {offsets}\t{' '.join(text[s:e] for s, e in frags)}")
    events = event_order(record)
    e_id = {span.id: f"E{n}" for n, span in enumerate(events, start=1)}
    args: dict[int, list[tuple[str, str]]] = {}
    for link in record.links:
        target = e_id.get(link.tail.id) or t_id[link.tail.id]
        args.setdefault(link.head.id, []).append((link.role, target))
    for span in events:
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
            actor = actors.get(span.actor_id)
            name = clean_field(actor.name if actor else span.actor_id)
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
    spans = ent_labels + event_labels
    lines += ["", "[relations]",
              "# tandai lets spans nest, share their extent and cross, within a layer and across layers.",
              f"<{SPAN_MACRO}>={'|'.join(spans)}",
              f"<OVERLAP>\tArg1:<{SPAN_MACRO}>, Arg2:<{SPAN_MACRO}>, <OVL-TYPE>:contain|equal|cross",
              "", "[events]",
              "# Each role takes the types the scheme lists for it (an event or claim is referred to by its E id);",
              "# a role the scheme leaves open takes any span.",
              f"<{ARG_MACRO}>={'|'.join(spans)}"]
    for layer in span_layers:
        lines.append(f"# {layer.name} layer")
        roles = ", ".join(f"{role}*:{_argument_types(scheme, layer.accepts(role))}" for role in layer.roles)
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


def _argument_types(scheme: Scheme, accepted: tuple[str, ...]) -> str:
    """brat's argument types for a role: the labels it accepts (a layer's name stands for its labels)."""
    if not accepted:
        return f"<{ARG_MACRO}>"
    types = [label for name in accepted
             for label in (scheme.layers[name].label_names if name in scheme.layers else (name,))]
    return "|".join(dict.fromkeys(types))


def tools_conf() -> str:
    """tools.conf: the normalisation DB that ``N`` lines name (brat needs a ``<URL>``: the DB's source file)."""
    return (f"{TOOLS_HEADER}: N lines name the actor registry, {NORM_DB}.\n"
            f"# Build the DB in brat with: python tools/norm_db_init.py {NORM_SOURCE}\n\n"
            "[normalization]\n"
            f"{NORM_DB}\tDB:{NORM_DB}, <URL>:{NORM_SOURCE}\n")


def norm_source(actors: dict[str, Actor], used: set[str]) -> str:
    """The actors that ``N`` lines name, as ``norm_db_init.py`` input: ``ID<TAB>name:Name:NAME`` per actor.

    Only what a brat import brings back (id and name), so an export, imported and exported again,
    gives the same bytes.
    """
    lines = []
    for actor_id in sorted(used):
        actor = actors.get(actor_id)
        lines.append(f"{clean_field(actor_id)}\tname:Name:{clean_field(actor.name if actor else actor_id)}")
    return "".join(line + "\n" for line in lines)


def folder_name(annotator: str) -> str:
    """A sub-folder name for an annotator: one path component inside the export, never ``.``/``..``/hidden.

    A name that had to be changed gets a short hash of the real name, so two annotators never share a folder.
    """
    safe = _NAME_SAFE.sub("_", annotator).strip(".")
    if safe == annotator and safe:
        return safe
    return f"{safe or 'annotator'}-{hashlib.sha1(annotator.encode('utf-8', 'surrogatepass')).hexdigest()[:8]}"


def _manifest(target: Path) -> set[str] | None:
    """The files an earlier tandai brat export wrote in ``target`` (None: no manifest of ours there).

    Only plain relative paths inside the folder are taken, whatever the file says.
    """
    try:
        data = json.loads((target / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("kind") != MANIFEST_KIND or not isinstance(data.get("files"), list):
        return None
    files = set()
    for name in data["files"]:
        if not isinstance(name, str) or "\\" in name or "\0" in name:
            continue
        path = PurePosixPath(name)
        if path.is_absolute() or not path.parts or any(part in ("", ".", "..") for part in path.parts):
            continue
        files.add(path.as_posix())
    return files


def _earlier(target: Path, force: bool) -> set[str]:
    """What an earlier export wrote in ``target``; refuses a non-empty folder tandai did not write unless ``force``."""
    if not target.is_dir() or not any(target.iterdir()):
        return set()
    earlier = _manifest(target)
    if earlier is None and not force:
        raise TandaiError(f"{target}: directory is not empty and not an earlier tandai brat export;"
                          " give a new directory (or --force to add the export beside what is there)")
    return earlier or set()


def export(records: Iterable[Record], stage: StagedDir, report: Report, selection: Selection, scheme: Scheme,
           actors: dict[str, Actor], *, force: bool = False) -> None:
    target, out = stage.target, stage.path
    earlier = _earlier(target, force)
    width = max(4, len(str(len(selection.pairs))))
    extra: set[tuple[str, str, str]] = set()
    n = 0
    written: list[str] = []
    folders: dict[str, str] = {}
    named: set[str] = set()
    for record in records:
        report.count(record)
        n += 1
        folder = ""
        if selection.multi:
            folder = folders.get(record.annotator, "")
            if not folder:
                folder = folders[record.annotator] = folder_name(record.annotator)
                (out / folder).mkdir(exist_ok=True)
        stem = f"{n:0{width}d}_{record.doc.id}"
        ann, used = ann_text(record, actors, report)
        extra |= used
        named.update(span.actor_id for span in record.spans if span.actor_id)
        for suffix, content in ((".txt", record.doc.text), (".ann", ann)):
            rel = f"{folder}/{stem}{suffix}" if folder else f"{stem}{suffix}"
            with open(out / rel, "w", encoding="utf-8", newline="") as fh:
                fh.write(content)
            written.append(rel)
    for name, content in (("annotation.conf", annotation_conf(scheme, extra)), ("tools.conf", tools_conf()),
                          (NORM_SOURCE, norm_source(actors, named))):
        (out / name).write_bytes(content.encode("utf-8"))
        written.append(name)
    written.append(MANIFEST)
    manifest = {"kind": MANIFEST_KIND, "files": sorted(written)}
    (out / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    theirs = sorted(rel for rel in written if rel not in earlier and (target / rel).exists())
    if theirs:
        raise TandaiError(f"{target / theirs[0]}: exists and was not written by tandai; move it or give a new"
                          " directory (nothing was written)")
    stage.stale = earlier - set(written)
    renamed = [name for layer in scheme.layers.values() for name in (*layer.label_names, *layer.roles)
               if not _STORAGE_FORM.match(name)]
    if renamed:
        report.notes.append("brat keeps only letters, digits, _ and - in type and role names; it will show these"
                            f" renamed and not match them to the .ann lines: {', '.join(sorted(set(renamed)))}")
    report.files.append(f"{target}/ ({n} .txt + .ann pair(s), annotation.conf, tools.conf, {NORM_SOURCE})")
