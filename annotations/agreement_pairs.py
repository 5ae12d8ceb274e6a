"""Agreement counted once per article and spread to every annotator pair (``tandai agreement``'s engine).

The figures of ``annotations.agreement`` are sums over annotator pairs and articles. Counting
them pair by pair costs the square of the team in Python work per article; here each article is
worked on once:

- Token figures come from one matrix of label codes per layer (annotators x tokens that someone
  labelled): kappa needs, per pair, the tokens they label alike and each one's label counts; alpha
  needs, per token, how many annotators gave each label.
- Span figures are counted per *unit*: a cluster of overlapping spans of one label (overlap
  matching never pairs spans of different clusters, so a pair's matching is the union of its
  matchings per cluster). Annotators who made the same choices in a unit (the same spans, with the
  same attributes and actor ids) are one *variant* of it; exact and overlap matches, attribute and
  actor-id pairs are worked out once per pair of variants and added to every annotator pair
  holding them. Links are counted the same way, per (head cluster, role, argument cluster).

Counts are kept in arrays indexed by annotator (``PairCounts``), so spreading a unit's figures to
200 annotators' 19,900 pairs is one array operation, not 19,900 Python steps.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from typing import Any, NamedTuple

import numpy as np

from .agreement_measures import (
    OUTSIDE,
    AlphaCounts,
    SpanTriple,
    covered_tokens,
    overlap_matches,
    span_scores,
    token_labels,
)
from .agreement_relations import Marks, pair_relations

SMALL = 8  # up to this many annotators in a unit: its figures are spread pair by pair in Python

Key = tuple  # what a count is of, e.g. ("exact", "entity", "PER"); see ``PairCounts``


class PairCounts:
    """Counts per ordered annotator pair: ``cells[key][i, j]`` is the count ``key`` of annotator ``i``
    (as A) against annotator ``j`` (as B), summed over the articles both took part in.

    Keys: ``("articles",)``, ``("tokens",)``; per layer ``("agree", layer)`` (tokens labelled alike),
    ``("margin", layer, label)`` (A's tokens with that label, ``O`` included), ``("spans", layer,
    label)`` (A's spans), ``("exact"|"overlap", layer, label)`` (matched span pairs),
    ``("attr", layer, name, value_a, value_b)``, ``("actor", layer, label, actor_a, actor_b)``,
    ``("links", layer, role)`` (A's links headed in the layer), ``("link_exact"|"link_overlap",
    layer, role)``. Alpha needs no pairs: ``alpha`` holds it per layer.
    """

    def __init__(self, names: Sequence[str]):
        self.names = list(names)
        self.index = {name: i for i, name in enumerate(self.names)}
        self.cells: dict[Key, np.ndarray] = {}
        self.alpha: dict[str, AlphaCounts] = defaultdict(AlphaCounts)

    def add(self, names: Sequence[str], local: Mapping[Key, np.ndarray], alpha: Mapping[str, AlphaCounts]) -> None:
        """Add one article's counts (``local``: key -> len(names) x len(names)) for its annotators."""
        rows = np.array([self.index[name] for name in names])
        where = np.ix_(rows, rows)
        size = len(self.names)
        for key, counts in local.items():
            mine = self.cells.get(key)
            if mine is None:
                mine = self.cells[key] = np.zeros((size, size), dtype=np.int64)
            mine[where] += counts
        for layer, counts in alpha.items():
            self.alpha[layer] += counts

    def pooled(self) -> "PairCounts":
        """All pairs as one: "A" holds every pair's first annotator's counts, "B" the second's."""
        upper = np.triu(np.ones((len(self.names),) * 2, dtype=bool), 1)
        out = PairCounts(["A", "B"])
        for key, cells in self.cells.items():
            out.cells[key] = np.array([[0, cells[upper].sum()], [cells.T[upper].sum(), 0]], dtype=np.int64)
        out.alpha = self.alpha
        return out

    def restricted(self, rows: Sequence[int]) -> "PairCounts":
        """The counts of the annotators ``rows`` among themselves."""
        out = PairCounts([self.names[i] for i in rows])
        where = np.ix_(rows, rows)
        out.cells = {key: cells[where] for key, cells in self.cells.items()}
        return out

    def ranking(self, layers: Sequence[str]) -> list[tuple[int, int]]:
        """Pairs (i < j) that shared an article, by span F1 (overlap) over ``layers`` then link F1, best first."""
        def f1(kind: str, total: str) -> np.ndarray:
            matched = sum((self.cells[k] for k in self.cells if k[0] == kind and k[1] in layers), np.zeros(1))
            made = sum((self.cells[k] + self.cells[k].T for k in self.cells if k[0] == total and k[1] in layers),
                       np.zeros(1))
            return np.divide(2 * matched, made, out=np.zeros(np.broadcast(matched, made).shape), where=made > 0)

        size = len(self.names)
        rows, columns = np.nonzero(np.triu(self.cells.get(("articles",), np.zeros((size, size))), 1))
        spans = np.broadcast_to(f1("overlap", "spans"), (size, size))[rows, columns]
        links = np.broadcast_to(f1("link_overlap", "links"), (size, size))[rows, columns]
        order = np.lexsort((columns, rows, -links, -spans))
        return [(int(rows[k]), int(columns[k])) for k in order]

    def keys(self, kind: str, layer: str | None = None) -> list[Key]:
        return sorted(key for key in self.cells if key[0] == kind and (layer is None or key[1] == layer))

    def get(self, key: Key, i: int, j: int) -> int:
        counts = self.cells.get(key)
        return 0 if counts is None else int(counts[i, j])


class _Local:
    """One article's counts while they are made: key -> n x n array."""

    def __init__(self, n: int):
        self.n = n
        self.cells: dict[Key, np.ndarray] = {}

    def array(self, key: Key) -> np.ndarray:
        found = self.cells.get(key)
        if found is None:
            found = self.cells[key] = np.zeros((self.n, self.n), dtype=np.int64)
        return found

    def per_annotator(self, key: Key, values: np.ndarray) -> None:
        """A count of each annotator's own (A's side of every pair it is in)."""
        self.array(key)[:] += values[:, None]

    def spread(self, variant: np.ndarray, table: Mapping[tuple[int, int], Mapping[Key, int]]) -> None:
        """Add each variant pair's counts (``table[(v, w)]``) to the annotator pairs (i, j) where ``i``
        holds variant ``v`` and ``j`` variant ``w`` (``variant``: -1 for none)."""
        if not table:
            return
        holders = np.flatnonzero(variant >= 0)
        if len(holders) <= SMALL:  # a few annotators here: pair by pair
            held = variant[holders].tolist()
            for i, v in zip(holders.tolist(), held):
                for j, w in zip(holders.tolist(), held):
                    if i != j:
                        for key, count in table.get((v, w), {}).items():
                            self.array(key)[i, j] += count
            return
        keys = sorted({key for counts in table.values() for key in counts})
        column = {key: k for k, key in enumerate(keys)}
        size = int(variant.max()) + 1
        grid = np.zeros((size, size, len(keys)), dtype=np.int64)
        for (v, w), counts in table.items():
            for key, count in counts.items():
                grid[v, w, column[key]] = count
        if len(holders) * 2 > self.n:  # most annotators are here: gather for all, the rest from a zero row
            grid = np.pad(grid, ((0, 1), (0, 1), (0, 0)))
            place = np.where(variant < 0, size, variant)
            spread = grid[place[:, None], place[None, :]]
            for key, k in column.items():
                self.array(key)[:] += spread[:, :, k]
            return
        place = variant[holders]
        where = np.ix_(holders, holders)
        spread = grid[place[:, None], place[None, :]]  # holders x holders x keys
        for key, k in column.items():
            self.array(key)[where] += spread[:, :, k]


class _Unit(NamedTuple):
    """A cluster of spans: its number, each annotator's variant there (-1: none), and the overlap matching
    of each pair of variants ({(v, w): {span of v: its match in w}})."""

    number: int
    variant: np.ndarray
    matched: dict[tuple[int, int], dict[SpanTriple, SpanTriple]]


def _clusters(triples: set[SpanTriple]) -> list[list[SpanTriple]]:
    """Spans of one layer grouped into clusters of one label linked by overlaps, in text order."""
    clusters: list[list[SpanTriple]] = []
    ends: list[int] = []
    label = None
    for triple in sorted(triples):  # by label, then start
        if clusters and triple[0] == label and triple[1] < ends[-1]:
            clusters[-1].append(triple)
            ends[-1] = max(ends[-1], triple[2])
        else:
            clusters.append([triple])
            ends.append(triple[2])
            label = triple[0]
    return clusters


def article_counts(tokens: Sequence[tuple[int, int]], spans: Mapping[str, Mapping[str, set[SpanTriple]]],
                   layers: Sequence[str], marks: Mapping[str, Marks],
                   attributes: Mapping[str, Sequence[str]]) -> tuple[dict[Key, np.ndarray], dict[str, AlphaCounts]]:
    """One article's counts (see ``PairCounts``) for the annotators in ``spans`` (annotator -> layer ->
    {(label, start, end)}; every one took part), in sorted name order; and its alpha counts per layer."""
    names = sorted(spans)
    n = len(names)
    local = _Local(n)
    local.array(("articles",))[:] += 1
    local.array(("tokens",))[:] += len(tokens)
    alpha = {layer: _token_counts(local, tokens, [spans[name].get(layer, set()) for name in names], layer)
             for layer in layers}
    empty = Marks()
    mine = [marks.get(name, empty) for name in names]
    matchings = _span_units(local, [spans[name] for name in names], mine, layers, attributes)
    _link_units(local, mine, layers, matchings)
    return local.cells, alpha


def _token_counts(local: _Local, tokens: Sequence[tuple[int, int]], spans: list[set[SpanTriple]],
                  layer: str) -> AlphaCounts:
    """Kappa's counts (tokens alike per pair, each annotator's label counts) and alpha's, in one layer."""
    n = local.n
    starts = [s for s, _ in tokens]
    ends = [e for _, e in tokens]
    covered = sorted(set().union(*(covered_tokens(mine, starts, ends) for mine in spans)))
    codes = {OUTSIDE: 0}
    matrix = np.zeros((n, len(covered)), dtype=np.int64)
    for i, mine in enumerate(spans):
        if mine:
            labels = token_labels(tokens, mine, starts, ends)
            matrix[i] = [codes.setdefault(labels[t], len(codes)) for t in covered]
    outside = len(tokens) - len(covered)  # O for everyone
    local.array(("agree", layer))[:] += (matrix[:, None, :] == matrix[None, :, :]).sum(axis=2) + outside
    counts = np.stack([(matrix == code).sum(axis=0) for code in range(len(codes))])  # code x token
    alpha = AlphaCounts()
    for label, code in codes.items():
        per_annotator = (matrix == code).sum(axis=1) + (outside if code == 0 else 0)
        local.per_annotator(("margin", layer, label), per_annotator)
        if n >= 2:
            alpha.values[label] += int(per_annotator.sum())
    if n >= 2:
        alpha.units = len(tokens)
        alpha.disagreement = float((n * n - (counts * counts).sum(axis=0)).sum()) / (n - 1)
        alpha.values = +alpha.values  # labels nobody gave are not values
    return alpha


def _variants(holders: Mapping[int, Any], n: int) -> tuple[np.ndarray, list[Any]]:
    """Each of the ``n`` annotators' variant number (-1 for those not in ``holders``: annotator -> what
    they hold) and the distinct variants."""
    seen: dict[Any, int] = {}
    numbers = np.full(n, -1, dtype=np.int64)
    for i, held in holders.items():
        numbers[i] = seen.setdefault(held, len(seen))
    return numbers, list(seen)


def _span_units(local: _Local, spans: list[Mapping[str, set[SpanTriple]]], marks: list[Marks],
                layers: Sequence[str], attributes: Mapping[str, Sequence[str]]) -> dict:
    """Span counts per cluster and variant pair; returns the cluster of each (layer, span), with its
    matchings, for the links."""
    n = len(spans)
    where: dict[tuple[str, SpanTriple], _Unit] = {}
    units: list[_Unit] = []
    for layer in sorted({layer for mine in spans for layer in mine}):
        counted = layer in layers
        names = attributes.get(layer, ())
        if counted:
            per_label: dict[str, np.ndarray] = defaultdict(lambda: np.zeros(n, dtype=np.int64))
            for i, mine in enumerate(spans):
                for label, _, _ in mine.get(layer, ()):
                    per_label[label][i] += 1
            for label, counts in per_label.items():
                local.per_annotator(("spans", layer, label), counts)
        clusters = _clusters(set().union(*(mine.get(layer, set()) for mine in spans)))
        cluster_of = {triple: c for c, cluster in enumerate(clusters) for triple in cluster}
        held_by: list[dict[int, list[SpanTriple]]] = [{} for _ in clusters]
        for i, mine in enumerate(spans):
            for triple in mine.get(layer, ()):
                held_by[cluster_of[triple]].setdefault(i, []).append(triple)
        for cluster, held in zip(clusters, held_by):
            holders: dict[int, Any] = {}
            for i, triples in held.items():
                attrs, actors = marks[i].attrs, marks[i].actors
                triples.sort()
                holders[i] = (tuple(triples), tuple((tuple(str(attrs.get((layer, t), {}).get(a)) for a in names),
                                                     actors.get((layer, t))) for t in triples))
            variant, kinds = _variants(holders, n)
            table: dict[tuple[int, int], dict[Key, int]] = {}
            matched: dict[tuple[int, int], dict[SpanTriple, SpanTriple]] = {}
            for v, (held_v, _) in enumerate(kinds if len(holders) > 1 else ()):  # one holder: no pair here
                marks_v = _unit_marks(layer, held_v, marks[int(np.argmax(variant == v))])
                for w, (held_w, _) in enumerate(kinds):
                    pairs = _matches(held_v, held_w)
                    matched[(v, w)] = dict(pairs)
                    if not counted:
                        continue
                    counts: dict[Key, int] = {}
                    for label, score in span_scores(held_v, held_w, pairs).items():
                        if score.exact:
                            counts[("exact", layer, label)] = score.exact
                        if score.overlap:
                            counts[("overlap", layer, label)] = score.overlap
                    marks_w = _unit_marks(layer, held_w, marks[int(np.argmax(variant == w))])
                    found = pair_relations({layer: pairs}, marks_v, marks_w, [layer], attributes)[layer]
                    for name, value in found.attributes.items():
                        for (va, vb), k in value.confusion.items():
                            counts[("attr", layer, name, va, vb)] = k
                    for label, value in found.actors.items():
                        for (xa, xb), k in value.confusion.items():
                            counts[("actor", layer, label, xa, xb)] = k
                    if counts:
                        table[(v, w)] = counts
            local.spread(variant, table)
            unit = _Unit(len(units), variant, matched)
            units.append(unit)
            for triple in cluster:
                where[(layer, triple)] = unit
    return where


def _matches(a: tuple[SpanTriple, ...], b: tuple[SpanTriple, ...]) -> list[tuple[SpanTriple, SpanTriple]]:
    """Overlap matching within one cluster (one span on each side: matched when they overlap)."""
    if len(a) == 1 and len(b) == 1:
        (sa,), (sb,) = a, b
        return [(sa, sb)] if sa[1] < sb[2] and sb[1] < sa[2] else []
    return overlap_matches(a, b)


def _unit_marks(layer: str, held: tuple[SpanTriple, ...], marks: Marks) -> Marks:
    """An annotator's attributes and actor ids on the spans of one cluster."""
    keys = [(layer, t) for t in held]
    return Marks({k: marks.attrs[k] for k in keys if k in marks.attrs},
                 {k: marks.actors[k] for k in keys if k in marks.actors})


def _link_units(local: _Local, marks: list[Marks], layers: Sequence[str], where: dict) -> None:
    """Link counts per (head cluster, role, argument cluster) and variant pair."""
    n = len(marks)
    per_role: dict[tuple[str, str], np.ndarray] = defaultdict(lambda: np.zeros(n, dtype=np.int64))
    buckets: dict[tuple, dict[int, set]] = defaultdict(lambda: defaultdict(set))
    units: dict[int, _Unit] = {}
    for i, mine in enumerate(marks):
        for head_layer, head, role, arg_layer, arg in mine.links:
            if head_layer not in layers:
                continue
            per_role[(head_layer, role)][i] += 1
            head_unit, arg_unit = where[(head_layer, head)], where[(arg_layer, arg)]
            units[head_unit.number], units[arg_unit.number] = head_unit, arg_unit
            buckets[(head_layer, role, head_unit.number, arg_unit.number)][i].add((head, arg))
    for (head_layer, role), counts in per_role.items():
        local.per_annotator(("links", head_layer, role), counts)
    for (head_layer, role, head_number, arg_number), held in buckets.items():
        (_, head_variant, head_matched), (_, arg_variant, arg_matched) = units[head_number], units[arg_number]
        holders = {i: (int(head_variant[i]), int(arg_variant[i]), frozenset(links)) for i, links in held.items()}
        if len(holders) < 2:
            continue
        variant, kinds = _variants(holders, n)
        table: dict[tuple[int, int], dict[Key, int]] = {}
        for v, (head_v, arg_v, links_v) in enumerate(kinds):
            for w, (head_w, arg_w, links_w) in enumerate(kinds):
                to_head = head_matched.get((head_v, head_w), {})
                to_arg = arg_matched.get((arg_v, arg_w), {})
                counts: dict[Key, int] = {}
                exact = len(links_v & links_w)
                if exact:
                    counts[("link_exact", head_layer, role)] = exact
                overlap = sum(1 for h, t in links_v if (to_head.get(h), to_arg.get(t)) in links_w)
                if overlap:
                    counts[("link_overlap", head_layer, role)] = overlap
                if counts:
                    table[(v, w)] = counts
        local.spread(variant, table)
