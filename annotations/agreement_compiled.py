"""``tandai agreement``'s counting by the compiled module (``_agreement.c``): the articles' spans and links
read as numbers, counted in C, and the counts made into the ``PairCounts`` that the Python engine
(``agreement_pairs``, the reference, used where the module is not built) would give.

SQLite hands over each annotator's spans in an article as a few JSON arrays and one list of numbers (a
row per span costs Python several objects; the reading was a quarter of the command). Labels, layers,
attribute values, actor ids and roles are numbered here, as they come; the C code sees integers only.
"""
from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence

import numpy as np

from .agreement_measures import OUTSIDE, AlphaCounts
from .agreement_pairs import PairCounts
from .agreement_relations import UNSET
from .extensions import optional_extension
from .tokens import TokenOffsets

AGREEMENT_ABI = 1  # _agreement.c's ABI: raise both with any change of what it offers
_agreement = optional_extension("_agreement", AGREEMENT_ABI)
if _agreement is None:  # agreement.py counts with the Python engine
    raise ImportError("annotations._agreement is not built from this code")

LAYERS = ("entity", "event", "claim")  # the layers a span may have (the spans table's CHECK)

SPANS_SQL = ("SELECT annotator, json_group_array(layer), json_group_array(label),"
             " group_concat(id || ',' || start || ',' || end), json_group_array(nullif(attrs, '{}')),"
             " json_group_array(actor_id) FROM spans WHERE doc_id = ? GROUP BY annotator")
LINKS_SQL = ("SELECT annotator, json_group_array(role), group_concat(head || ',' || tail) FROM links"
             " WHERE doc_id = ? GROUP BY annotator")


class _Numbered(dict):
    """Things numbered in the order they are first asked for: ``numbers[thing]``; ``things[n]`` back."""

    def __init__(self, first: Sequence = ()):
        super().__init__()
        self.things: list = []
        for thing in first:
            self[thing]  # noqa: B018 (numbered by asking)

    def __missing__(self, thing) -> int:
        number = self[thing] = len(self.things)
        self.things.append(thing)
        self.added(thing)
        return number

    def added(self, thing) -> None:
        """What else a new thing needs (nothing here)."""


class _Slots(_Numbered):
    """(layer, label) numbered, with each one's layer number."""

    def __init__(self, layer_number: Mapping[str, int], first: Sequence):
        self.layer_number = layer_number
        self.layers: list[int] = []
        super().__init__(first)

    def added(self, thing) -> None:
        self.layers.append(self.layer_number[thing[0]])


class _AttributeRows(dict):
    """(layer, attributes as stored) -> the number of a row of value numbers (0: unset) in ``rows``; row 0
    (attributes not stored): none set."""

    def __init__(self, names: Mapping[str, Sequence[str]], values: _Numbered, width: int):
        super().__init__()
        self.names, self.values, self.width = names, values, width
        self.rows: list[list[int]] = [[0] * width]

    def __missing__(self, thing: tuple[str, str | None]) -> int:
        layer, stored = thing
        if stored is None:
            number = 0
        else:
            found = json.loads(stored)
            row = [0 if (value := found.get(name)) is None else self.values[str(value)] for name in self.names[layer]]
            number = len(self.rows)
            self.rows.append(row + [0] * (self.width - len(row)))
        self[thing] = number
        return number


class CompiledCounts:
    """Counts of every annotator pair over articles, made by the compiled module (see the module notes)."""

    chunk = 256  # articles counted in one call (tests make it 1 or 2 to count across calls)

    def __init__(self, names: Sequence[str], layers: Sequence[str], attributes: Mapping[str, Sequence[str]],
                 detail: bool):
        self.names = list(names)
        self.layers = list(layers)  # the layers counted
        self.detail = detail
        self.all_layers = list(dict.fromkeys([*layers, *attributes, *LAYERS]))
        self.layer_number = {name: k for k, name in enumerate(self.all_layers)}
        # slot k is layer k's outside label (_agreement.c paints uncovered tokens with it)
        self.slots = _Slots(self.layer_number, [(layer, OUTSIDE) for layer in self.all_layers])
        self.roles = _Numbered()
        self.actors = _Numbered([None])  # 0: no actor id
        self.values = _Numbered([None])  # 0: unset
        names_of = {layer: list(attributes.get(layer, ())) for layer in self.all_layers}
        self.width = max([1, *map(len, names_of.values())])
        self.attribute_rows = _AttributeRows(names_of, self.values, self.width)
        self.attr_n = np.array([len(names_of[layer]) for layer in self.all_layers], dtype=np.int64)
        self.attr_base = np.concatenate([[0], np.cumsum(self.attr_n)[:-1]]).astype(np.int64)
        self.attr_of = [(layer, name) for layer in self.all_layers for name in names_of[layer]]
        self.counted = np.array([layer in self.layers for layer in self.all_layers], dtype=np.int64)
        n, size = len(self.names), len(self.all_layers)
        self.index = {name: k for k, name in enumerate(self.names)}
        self.misc = np.zeros((2 + size, n, n), dtype=np.int64)
        self.label_cells = np.zeros((4, 0, n, n), dtype=np.int64)
        self.link_cells = np.zeros((3, size, 0, n, n), dtype=np.int64)
        self.alpha_values = np.zeros(0, dtype=np.int64)
        self.alpha = {layer: AlphaCounts() for layer in self.layers}
        self.table = _agreement.new_table()

    def add(self, conn, docs: Sequence[str], taking_part: Mapping[str, Sequence[str]]) -> None:
        """Count the articles ``docs`` (in this order), each for the annotators taking part there."""
        for first in range(0, len(docs), self.chunk):
            self._add_chunk(conn, docs[first:first + self.chunk], taking_part)

    def _add_chunk(self, conn, docs: Sequence[str], taking_part: Mapping[str, Sequence[str]]) -> None:
        art, people, starts, ends = [], [], [], []
        annotator, slot, numbers, attrs, actors = [], [], [], [], []
        link_annotator, roles, ends_of_links = [], [], []
        tokens_at = spans_at = links_at = 0
        slots, attribute_rows, actor_of, role_of = self.slots, self.attribute_rows, self.actors, self.roles
        for doc in docs:
            names = taking_part[doc]
            local = {name: i for i, name in enumerate(names)}
            (stored,) = conn.execute("SELECT tokens FROM documents WHERE id = ?", (doc,)).fetchone()
            offsets = TokenOffsets.from_json(stored, doc)
            starts.append(np.frombuffer(offsets.starts, dtype=np.int32))
            ends.append(np.frombuffer(offsets.ends, dtype=np.int32))
            spans_before, links_before = len(slot), len(roles)
            for name, layers, labels, found, stored_attrs, actor_ids in conn.execute(SPANS_SQL, (doc,)):
                i = local.get(name)
                if i is None:
                    continue
                layers = json.loads(layers)
                annotator += [i] * len(layers)
                slot += map(slots.__getitem__, zip(layers, json.loads(labels)))
                numbers.append(found)
                attrs += map(attribute_rows.__getitem__, zip(layers, json.loads(stored_attrs)))
                actors += map(actor_of.__getitem__, json.loads(actor_ids))
            for name, found_roles, found in conn.execute(LINKS_SQL, (doc,)):
                i = local.get(name)
                if i is None:
                    continue
                found_roles = json.loads(found_roles)
                link_annotator += [i] * len(found_roles)
                roles += map(role_of.__getitem__, found_roles)
                ends_of_links.append(found)
            art.append((len(people), len(names), tokens_at, len(offsets), spans_at, len(slot) - spans_before,
                        links_at, len(roles) - links_before))
            people += [self.index[name] for name in names]
            tokens_at += len(offsets)
            spans_at, links_at = len(slot), len(roles)
        spans = np.zeros((len(slot), 7), dtype=np.int64)
        spans[:, 0], spans[:, 1], spans[:, 5], spans[:, 6] = annotator, slot, attrs, actors
        if numbers:
            spans[:, [4, 2, 3]] = np.array(json.loads(f"[{','.join(numbers)}]"), dtype=np.int64).reshape(-1, 3)
        links = np.zeros((len(roles), 4), dtype=np.int64)
        links[:, 0], links[:, 3] = link_annotator, roles
        if ends_of_links:
            links[:, 1:3] = np.array(json.loads(f"[{','.join(ends_of_links)}]"), dtype=np.int64).reshape(-1, 2)
        self._grow()
        dis = np.zeros((len(docs), len(self.all_layers)), dtype=np.int64)
        size = len(self.names), len(self.all_layers), self.label_cells.shape[1], self.link_cells.shape[2], self.width
        _agreement.count(
            self.table, self.detail, size, np.array(art, dtype=np.int64).reshape(-1, 8),
            np.array(people, dtype=np.int64), _joined(starts), _joined(ends), spans, links,
            np.array(slots.layers, dtype=np.int64), _ranks(slots.things), self.attr_n, self.attr_base,
            np.array(attribute_rows.rows, dtype=np.int64), self.counted,
            self.misc, self.label_cells, self.link_cells, self.alpha_values, dis)
        for (_, count, _, tokens, *_), row in zip(art, dis.tolist()):  # alpha as the Python engine sums it
            for layer, found in self.alpha.items():
                found.units += tokens
                found.disagreement += float(row[self.layer_number[layer]]) / (count - 1)

    def _grow(self) -> None:
        """The count arrays made big enough for every label and role numbered so far (doubling)."""
        labels, roles = len(self.slots.things), len(self.roles.things)
        if labels > self.label_cells.shape[1]:
            grown = np.zeros((4, max(labels, 2 * self.label_cells.shape[1]), *self.misc.shape[1:]), dtype=np.int64)
            grown[:, :self.label_cells.shape[1]] = self.label_cells
            self.label_cells = grown
            values = np.zeros(grown.shape[1], dtype=np.int64)
            values[:len(self.alpha_values)] = self.alpha_values
            self.alpha_values = values
        if roles > self.link_cells.shape[2]:
            grown = np.zeros((3, len(self.all_layers), max(roles, 2 * self.link_cells.shape[2]), *self.misc.shape[1:]),
                             dtype=np.int64)
            grown[:, :, :self.link_cells.shape[2]] = self.link_cells
            self.link_cells = grown

    def pair_counts(self) -> PairCounts:
        """The counts as the Python engine's ``PairCounts`` holds them."""
        detail, counted = self.detail, set(self.layers)
        cells: dict[tuple, np.ndarray] = {("articles",): self.misc[0], ("tokens",): self.misc[1]}
        if detail:
            cells.update({("agree", layer): self.misc[2 + self.layer_number[layer]] for layer in self.layers})
        kinds = [(k, kind) for k, kind in enumerate(("margin", "spans", "exact", "overlap"))
                 if detail or kind in ("spans", "overlap")]
        for s, (layer, label) in enumerate(self.slots.things):
            if layer in counted:
                for k, kind in kinds:
                    _keep(cells, (kind, layer, label), self.label_cells[k, s])
        kinds = [(k, kind) for k, kind in enumerate(("links", "link_exact", "link_overlap"))
                 if detail or kind != "link_exact"]
        for layer in self.layers:
            for r, role in enumerate(self.roles.things):
                for k, kind in kinds:
                    _keep(cells, (kind, layer, role), self.link_cells[k, self.layer_number[layer], r])
        for key, cell in self._value_pairs():
            found = cells.get(key)
            cells[key] = cell if found is None else found + cell
        counts = PairCounts(self.names)
        counts.cells = cells
        values = self.alpha_values.tolist()
        for layer, found in self.alpha.items():
            found.values = Counter({label: values[s] for s, (at, label) in enumerate(self.slots.things)
                                    if at == layer and values[s]})
            counts.alpha[layer] = found
        return counts

    def _value_pairs(self) -> Iterable[tuple[tuple, np.ndarray]]:
        """The attribute and actor-id pairs of matched spans, from the compiled module's table: a count
        array per key (two numbers may give one key: a value "-" is also how an unset one is shown)."""
        items = np.frombuffer(_agreement.table_items(self.table), dtype=np.int64).reshape(-1, 3)
        if not len(items):
            return
        a, b = items[:, 0].view(np.uint64), items[:, 1].view(np.uint64)
        code = np.stack([(a >> np.uint64(32)).astype(np.int64), (b >> np.uint64(32)).astype(np.int64),
                         (b & np.uint64(0xFFFFFFFF)).astype(np.int64)], axis=1)  # kind and slot, value a, value b
        pair = (a & np.uint64(0xFFFFFFFF)).astype(np.int64)
        n = len(self.names)
        order = np.lexsort(code.T[::-1])
        code, pair, times = code[order], pair[order], items[order, 2]
        cuts = np.flatnonzero(np.any(code[1:] != code[:-1], axis=1)) + 1
        for lo, hi in zip([0, *cuts.tolist()], [*cuts.tolist(), len(code)]):
            which, value_a, value_b = code[lo].tolist()
            cell = np.zeros((n, n), dtype=np.int64)
            np.add.at(cell, (pair[lo:hi] // n, pair[lo:hi] % n), times[lo:hi])
            if which >> 31:  # an actor-id pair: which holds the label's slot
                layer, label = self.slots.things[which & 0x7FFFFFFF]
                yield ("actor", layer, label, self.actors.things[value_a] or UNSET,
                       self.actors.things[value_b] or UNSET), cell
            else:
                layer, name = self.attr_of[which]
                yield ("attr", layer, name, _shown(self.values.things[value_a]),
                       _shown(self.values.things[value_b])), cell


def _keep(cells: dict, key: tuple, cell: np.ndarray) -> None:
    if cell.any():
        cells[key] = cell


def _shown(value: str | None) -> str:
    return UNSET if value is None else value


def _joined(parts: list[np.ndarray]) -> np.ndarray:
    return np.concatenate(parts) if parts else np.zeros(0, dtype=np.int32)


def _ranks(things: Sequence[tuple[str, str]]) -> np.ndarray:
    """Each slot's label's place in the alphabetical order (ties in painting tokens go to the first)."""
    labels = sorted({label for _, label in things})
    place = {label: k for k, label in enumerate(labels)}
    return np.array([place[label] for _, label in things], dtype=np.int64)
