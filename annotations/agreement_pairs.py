"""Agreement counted once per article and spread to every annotator pair: ``tandai agreement``'s engine in
Python, the reference of the compiled one (``agreement_compiled``), and what counts where that is not
built and for ``--by-article``.

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
from collections.abc import Hashable, Mapping, Sequence
from functools import lru_cache
from itertools import repeat
from operator import eq
from typing import Any, NamedTuple

import numpy as np

from .agreement_measures import OUTSIDE, AlphaCounts, SpanTriple, covered_labels, overlap_matches, span_scores
from .agreement_relations import UNSET, Marks, pair_relations
from .tokens import TokenOffsets

SMALL = 8  # up to this many annotators share a figure: it is counted pair by pair in Python, not with arrays
PENDING = 200_000  # pair-by-pair counts kept in a dict before they are added to the arrays

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

    Articles of a few annotators add their counts to a dict and a list (one array operation per
    count would cost more than the count); they join the arrays when these are read, or when the list
    is long.
    """

    def __init__(self, names: Sequence[str]):
        self.names = list(names)
        self.index = {name: i for i, name in enumerate(self.names)}
        self._cells: dict[Key, np.ndarray] = {}
        self._pending: dict[tuple, int] = {}  # (key, i, j) -> count, not yet in ``_cells``
        self._ones: list[tuple] = []  # (key, i, j) once for each 1 to add, not yet in ``_cells``
        # the annotators of some articles -> key -> each one's own count there (``_Local.own``), summed over them
        self._own: dict[tuple[int, ...], dict[Key, list[int]]] = {}
        # the annotators of some articles -> a cluster held alike (``_Local.alike``) -> how many times
        self._alike: dict[tuple[int, ...], dict[tuple, int]] = {}
        self.alpha: dict[str, AlphaCounts] = defaultdict(AlphaCounts)

    @property
    def cells(self) -> dict[Key, np.ndarray]:
        if self._pending or self._ones or self._own or self._alike:
            self._flush()
        return self._cells

    @cells.setter
    def cells(self, cells: dict[Key, np.ndarray]) -> None:
        self._pending.clear()
        self._ones.clear()
        self._own.clear()
        self._alike.clear()
        self._cells = cells

    def _array(self, key: Key) -> np.ndarray:
        found = self._cells.get(key)
        if found is None:
            size = len(self.names)
            found = self._cells[key] = np.zeros((size, size), dtype=np.int64)
        return found

    def _flush(self) -> None:
        pending = self._pending
        get = pending.get
        for rows, owned in self._own.items():  # each one's own count, against each of the others
            if len(rows) > SMALL:
                where, others = np.ix_(rows, rows), ~np.eye(len(rows), dtype=bool)
                for key, values in owned.items():
                    self._array(key)[where] += np.asarray(values, dtype=np.int64)[:, None] * others
                continue
            for key, values in owned.items():
                for i, value in zip(rows, values):
                    if value:
                        for j in rows:
                            if j != i:
                                place = (key, i, j)
                                pending[place] = get(place, 0) + value
        self._own.clear()
        for rows, alike in self._alike.items():
            for found, times in alike.items():
                for key, a, b in _alike_counts(found):
                    place = (key, rows[a], rows[b])
                    pending[place] = get(place, 0) + times
        self._alike.clear()
        by_key: dict[Key, list[tuple[int, int, int]]] = defaultdict(list)
        for counts in (self._pending, Counter(self._ones)):
            for (key, i, j), count in counts.items():
                by_key[key].append((i, j, count))
        self._pending.clear()
        self._ones.clear()
        for key, found in by_key.items():
            rows, columns, counts = np.array(found, dtype=np.int64).T
            np.add.at(self._array(key), (rows, columns), counts)

    def add(self, names: Sequence[str], local: "_Local", alpha: Mapping[str, AlphaCounts]) -> None:
        """Add one article's counts (``local``, from ``article_counts``) for its annotators ``names``."""
        rows = [self.index[name] for name in names]
        owned = self._own.setdefault(tuple(rows), {})
        for key, values in local.own.items():
            found = owned.get(key)
            owned[key] = values if found is None else [a + b for a, b in zip(found, values)]
        if local.alike:
            alike = self._alike.setdefault(tuple(rows), {})
            for found, times in local.alike.items():
                alike[found] = alike.get(found, 0) + times
        pending = self._pending
        get = pending.get
        first = rows == list(range(len(rows)))
        if first:  # the first annotators (the whole team, often): the same numbers
            for place, count in local.counts.items():
                pending[place] = get(place, 0) + count
            self._ones += local.ones
        else:
            for (key, i, j), count in local.counts.items():
                place = (key, rows[i], rows[j])
                pending[place] = get(place, 0) + count
            self._ones += [(key, rows[i], rows[j]) for key, i, j in local.ones]
        if local.slots:
            if first and len(rows) == len(self.names):  # the whole team, in order
                for key, k in local.slots.items():
                    self._array(key)[:] += local.stack[k]
            else:
                where = np.ix_(rows, rows)
                for key, k in local.slots.items():
                    self._array(key)[where] += local.stack[k]
        if len(pending) + len(self._ones) > PENDING:
            self._flush()
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

    def keys(self, kind: str, layer: str) -> list[Key]:
        return sorted(key for key in self.cells if key[0] == kind and key[1] == layer)


class _Local:
    """One article's counts while they are made: ``own`` key -> each annotator's own count (A's side of
    every pair it is in, spread to the pairs once for all the articles of the same annotators); for
    figures that few annotators share ``counts`` (key, i, j) -> count and ``ones`` ((key, i, j) for each
    count of 1: a list grows faster than a dict is updated), for those that many do an n x n array per key
    (``slots``, ``stack``); ``alike`` counts the clusters that a few annotators hold alike (see ``_alike_counts``), each
    kind once. Pair figures are counted for i < j only (A is the first of the pair: the tables read no other).
    Without ``detail``, what only ``--json`` and ``--by-pair`` print is not counted: exact matches of
    spans and links, and the tokens each pair labels alike and each one's label counts (for kappa)."""

    def __init__(self, n: int, detail: bool = True, spent: "_Local | None" = None):
        self.n = n
        self.detail = detail
        self.own: dict[Key, list[int]] = {}
        self.alike: dict[tuple, int] = {}
        self.values: dict[tuple[int, str], tuple] = {}  # see ``_values``
        self.counts: dict[tuple, int] = {}
        self.ones: list[tuple] = []
        self.slots: dict[Key, int] = {}  # key -> its n x n array in ``stack``
        self.stack = np.zeros((0, n, n), dtype=np.int64) if n > SMALL else None  # grown as keys come
        if self.stack is not None and spent is not None and spent.stack is not None and spent.n == n:
            self.stack = spent.stack  # its arrays again, cleared where written: fresh memory is zeroed page by page
            self.stack[:len(spent.slots)] = 0

    def slot(self, key: Key) -> int:
        """The place of ``key``'s array in ``stack`` (one array for all keys: a unit's counts of every key
        are added in one step)."""
        k = self.slots.get(key)
        if k is None:
            k = self.slots[key] = len(self.slots)
            if k == len(self.stack):
                grown = np.zeros((k + max(8, k // 2), self.n, self.n), dtype=np.int64)
                grown[:k] = self.stack
                self.stack = grown
        return k

    def array(self, key: Key) -> np.ndarray:
        k = self.slot(key)  # first: it may grow the stack
        return self.stack[k]

    def per_annotator(self, key: Key, values: Sequence[int]) -> None:
        """A count of each annotator's own (A's side of every pair it is in)."""
        found = self.own.get(key)
        self.own[key] = list(values) if found is None else [a + b for a, b in zip(found, values)]

    def spread(self, variant: Mapping[int, int], table: Mapping[tuple[int, int], Mapping[Key, int]]) -> None:
        """Add each variant pair's counts (``table[(v, w)]``) to the annotator pairs (i, j) where ``i``
        holds variant ``v`` and ``j`` variant ``w`` (``variant``: annotator -> its variant, for those who
        hold one)."""
        if not table:
            return
        if len(variant) <= SMALL:  # a few annotators here: pair by pair
            counts, ones = self.counts, self.ones
            get = counts.get
            held = sorted(variant.items())
            for k, (i, v) in enumerate(held):
                for j, w in held[k + 1:]:
                    found = table.get((v, w))
                    if found:
                        for key, count in found.items():
                            if count == 1:
                                ones.append((key, i, j))
                            else:
                                place = (key, i, j)
                                counts[place] = get(place, 0) + count
            return
        column: dict[Key, int] = {}  # key -> its place in ``grid`` (and so in ``slots``)
        entries = []
        for (v, w), counts in table.items():
            for key, count in counts.items():
                entries.append((column.setdefault(key, len(column)), v, w, count))
        size = max(variant.values()) + 1
        grid = np.zeros((len(column), size + 1, size + 1), dtype=np.int64)  # the last row and column: zeros
        keys, rows, columns, counts = zip(*entries)
        grid[keys, rows, columns] = counts
        slots = [self.slot(key) for key in column]
        holders = np.fromiter(variant, dtype=np.int64, count=len(variant))
        place = np.fromiter(variant.values(), dtype=np.int64, count=len(variant))
        if len(holders) * 2 > self.n:  # most annotators are here: gather for all, the rest from the zero row
            every = np.full(self.n, size, dtype=np.int64)
            every[holders] = place
            self.stack[slots] += grid[:, every[:, None], every[None, :]]
            return
        self.stack[np.ix_(slots, holders, holders)] += grid[:, place[:, None], place[None, :]]


class _Unit(NamedTuple):
    """A cluster of spans: its number, each holder's variant there (annotator -> variant), and the overlap
    matching of each pair of variants ({(v, w): {span of v: its match in w}}); ``alike``: one span, which
    every holder holds (variant 0 for all: signatures are counted apart, see ``_alike_counts``)."""

    number: int
    variant: dict[int, int]
    matched: dict[tuple[int, int], dict[SpanTriple, SpanTriple]]
    alike: bool = False


def _alike_counts(found: tuple) -> list[tuple[Key, int, int]]:
    """The counts, each of 1, that a cluster held alike adds, as (key, i, j) for i < j of its holders:
    ``("span", layer, label, names, detail, holders, signs)`` (one span held by each of ``holders``, with
    their ``signs`` from ``_signature``) or ``("link", layer, role, detail, holders)`` (a link from a span
    held alike to another, made by each of ``holders``)."""
    out: list[tuple[Key, int, int]] = []
    if found[0] == "link":
        _, layer, role, detail, holders = found
        kinds = [("link_exact", layer, role), ("link_overlap", layer, role)] if detail else [("link_overlap", layer, role)]
        for a, i in enumerate(holders):
            for j in holders[a + 1:]:
                out += [(key, i, j) for key in kinds]
        return out
    _, layer, label, names, detail, holders, signs = found
    for a, i in enumerate(holders):
        for b in range(a + 1, len(holders)):
            j = holders[b]
            if detail:
                out.append((("exact", layer, label), i, j))
            out.append((("overlap", layer, label), i, j))
            out += [(key, i, j) for key in _sign_keys(layer, label, names, signs[a], signs[b])]
    return out


def _sign_keys(layer: str, label: str, names: Sequence[str], sign_a: tuple, sign_b: tuple) -> list[Key]:
    """The attribute and actor-id counts of two matched spans (values, actor id): a value counts where
    either set it, an unset one as ``UNSET`` (as ``agreement_relations.pair_relations`` compares them)."""
    (values_a, actor_a), (values_b, actor_b) = sign_a, sign_b
    keys: list[Key] = [("attr", layer, name, UNSET if value_a is None else value_a,
                        UNSET if value_b is None else value_b)
                       for name, value_a, value_b in zip(names, values_a, values_b)
                       if value_a is not None or value_b is not None]
    if actor_a is not None or actor_b is not None:
        keys.append(("actor", layer, label, actor_a or UNSET, actor_b or UNSET))
    return keys


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
                   attributes: Mapping[str, Sequence[str]], detail: bool = True, spent: _Local | None = None
                   ) -> tuple[_Local, dict[str, AlphaCounts]]:
    """One article's counts (see ``PairCounts``; ``PairCounts.add`` takes them) for the annotators in
    ``spans`` (annotator -> layer -> {(label, start, end)}; every one took part), in sorted name order;
    and its alpha counts per layer. ``tokens``: (start, end) pairs or ``TokenOffsets``; ``detail``: see
    ``_Local``; ``spent``: the counts of an article already added, whose arrays are used again (a big
    team's arrays, made anew for each article, cost seconds of the kernel's zeroing)."""
    names = sorted(spans)
    n = len(names)
    local = _Local(n, detail, spent)
    offsets = TokenOffsets.of(tokens)
    starts, ends = offsets.starts.tolist(), offsets.ends.tolist()
    local.per_annotator(("articles",), [1] * n)
    local.per_annotator(("tokens",), [len(starts)] * n)
    alpha = {layer: _token_counts(local, len(starts), starts, ends,
                                  [spans[name].get(layer, ()) for name in names], layer)
             for layer in layers}
    empty = Marks()
    mine = [marks.get(name, empty) for name in names]
    units = _span_units(local, [spans[name] for name in names], mine, layers, attributes)
    _link_units(local, mine, layers, units)
    return local, alpha


def _token_counts(local: _Local, size: int, starts: list[int], ends: list[int], spans: list[set[SpanTriple]],
                  layer: str) -> AlphaCounts:
    """Kappa's counts (tokens alike per pair, each annotator's label counts) and alpha's, in one layer: on
    the tokens someone labelled (the others are O for everyone)."""
    n = local.n
    painted = [covered_labels(mine, starts, ends) if mine else {} for mine in spans]
    covered = list(set().union(*painted))  # in any order: every row in the same
    outside = size - len(covered)  # O for everyone
    rows = [list(map(row.get, covered, repeat(OUTSIDE))) for row in painted]
    alpha = AlphaCounts()
    if n > SMALL:
        disagreement, given = _token_arrays(local, rows, outside, layer)
    else:  # a few annotators: Python's counting beats an array's set-up
        disagreement = 0
        for column, times in Counter(zip(*rows)).items():
            disagreement += times * _unlike(column)
        if local.detail:
            for i, row in enumerate(rows):
                for j in range(i + 1, n):
                    alike = sum(map(eq, row, rows[j])) + outside
                    if alike:
                        local.counts[(("agree", layer), i, j)] = alike
        per_annotator = [Counter(row) for row in rows]
        given = {}
        for i, counts in enumerate(per_annotator):
            counts[OUTSIDE] += outside
            for label in counts:
                given.setdefault(label, [0] * n)[i] = counts[label]
    for label, counts in given.items():
        if local.detail:
            local.per_annotator(("margin", layer, label), counts)
        if n >= 2:
            alpha.values[label] += sum(counts)
    if n >= 2:
        alpha.units = size
        alpha.disagreement = float(disagreement) / (n - 1)
        alpha.values = +alpha.values  # labels nobody gave are not values
    return alpha


@lru_cache(maxsize=1 << 16)
def _unlike(column: tuple[str, ...]) -> int:
    """Alpha's disagreement of one token's labels before its division: the ordered pairs of annotators
    whose labels differ (a team's columns repeat: worked out once each)."""
    return len(column) ** 2 - sum(k * k for k in Counter(column).values())


def _token_arrays(local: _Local, rows: list[list[str]], outside: int, layer: str) -> tuple[int, dict[str, list[int]]]:
    """``_token_counts`` for many annotators, with arrays: the tokens alike of every pair (added to
    ``local``, with ``detail``), alpha's disagreement sum, and each label's count per annotator."""
    n = len(rows)
    codes = {OUTSIDE: 0}
    matrix = np.array([[codes.setdefault(label, len(codes)) for label in row] for row in rows],
                      dtype=np.int64).reshape(n, len(rows[0]))
    if local.detail:
        local.array(("agree", layer))[:] += (matrix[:, None, :] == matrix[None, :, :]).sum(axis=2) + outside
    given = matrix[:, :, None] == np.arange(len(codes))  # annotator x token x code
    per_annotator = given.sum(axis=1)
    per_annotator[:, 0] += outside
    per_token = given.sum(axis=0)  # token x code
    disagreement = int((n * n - (per_token * per_token).sum(axis=1)).sum())
    return disagreement, {label: per_annotator[:, code].tolist() for label, code in codes.items()}


def _variants(holders: Mapping[int, Hashable]) -> tuple[dict[int, int], list[Any], list[int], list[int]]:
    """Each holder's variant number (``holders``: annotator -> what they hold), the distinct variants, the
    first holder of each and how many hold each."""
    seen: dict[Any, int] = {}
    variant: dict[int, int] = {}
    first: list[int] = []
    sizes: list[int] = []
    for i, held in holders.items():
        v = variant[i] = seen.setdefault(held, len(seen))
        if v == len(first):
            first.append(i)
            sizes.append(1)
        else:
            sizes[v] += 1
    return variant, list(seen), first, sizes


def _span_units(local: _Local, spans: list[Mapping[str, set[SpanTriple]]], marks: list[Marks],
                layers: Sequence[str], attributes: Mapping[str, Sequence[str]]) -> dict[tuple[str, SpanTriple], _Unit]:
    """Span counts per cluster and variant pair; returns the cluster of each (layer, span), with its
    matchings, for the links."""
    n = len(spans)
    where: dict[tuple[str, SpanTriple], _Unit] = {}
    number = 0
    for layer in sorted({layer for mine in spans for layer in mine}):
        counted = layer in layers
        names = tuple(attributes.get(layer, ()))
        by_annotator = [mine.get(layer, ()) for mine in spans]
        if counted:
            per_label: dict[str, list[int]] = defaultdict(lambda: [0] * n)
            for i, mine in enumerate(by_annotator):
                for label, _, _ in mine:
                    per_label[label][i] += 1
            for label, counts in per_label.items():
                local.per_annotator(("spans", layer, label), counts)
        clusters = _clusters(set().union(*by_annotator))
        cluster_of = {triple: c for c, cluster in enumerate(clusters) for triple in cluster}
        held_by: list[dict[int, list[SpanTriple]]] = [{} for _ in clusters]
        for i, mine in enumerate(by_annotator):
            for triple in mine:
                held_by[cluster_of[triple]].setdefault(i, []).append(triple)
        for cluster, held in zip(clusters, held_by):
            if len(cluster) == 1 and 1 < len(held) <= SMALL:  # one span, held by a few: counted by kind
                triple = cluster[0]
                holders = tuple(held)
                if counted:
                    key = (layer, triple)
                    signs = tuple([(_values(local, marks[i].attrs.get(key), layer, names), marks[i].actors.get(key))
                                   for i in holders])
                    found = ("span", layer, triple[0], names, local.detail, holders, signs)
                    local.alike[found] = local.alike.get(found, 0) + 1
                where[(layer, triple)] = _Unit(number, dict.fromkeys(holders, 0), {(0, 0): {triple: triple}}, True)
            else:
                unit = _span_unit(local, number, layer, counted, names, held, marks)
                for triple in cluster:
                    where[(layer, triple)] = unit
            number += 1
    return where


def _span_unit(local: _Local, number: int, layer: str, counted: bool, names: tuple[str, ...],
               held: dict[int, list[SpanTriple]], marks: list[Marks]) -> _Unit:
    """One cluster's span counts (when its layer is ``counted``), spread to the annotator pairs."""
    if len(held) == 1:  # one holder: no pair here
        return _Unit(number, dict.fromkeys(held, 0), {})
    holders: dict[int, tuple] = {}
    for i, triples in held.items():
        triples.sort()
        holders[i] = (tuple(triples), _signature(local, marks[i], layer, triples, names))
    variant, kinds, first, sizes = _variants(holders)
    table: dict[tuple[int, int], dict[Key, int]] = {}
    matched: dict[tuple[int, int], dict[SpanTriple, SpanTriple]] = {}
    for v, (held_v, signs_v) in enumerate(kinds):
        for w, (held_w, signs_w) in enumerate(kinds):
            if v == w and sizes[v] < 2:
                continue  # no two annotators hold this variant
            if len(held_v) == 1 and len(held_w) == 1:
                counts, overlapping = _single_pair(layer, counted, local.detail, names, held_v[0], held_w[0],
                                                   signs_v[0], signs_w[0])
                if overlapping:
                    matched[(v, w)] = {held_v[0]: held_w[0]}
            else:
                pairs = overlap_matches(held_v, held_w)
                matched[(v, w)] = dict(pairs)
                counts = _pair_counts(layer, local.detail, held_v, held_w, pairs, marks[first[v]],
                                      marks[first[w]], names) if counted else {}
            if counts:
                table[(v, w)] = counts
    local.spread(variant, table)
    return _Unit(number, variant, matched)


def _signature(local: _Local, marks: Marks, layer: str, triples: list[SpanTriple], names: tuple[str, ...]) -> tuple:
    """An annotator's attribute values (None: unset) and actor id on each of ``triples``."""
    attrs, actors = marks.attrs, marks.actors
    return tuple((_values(local, attrs.get(key), layer, names), actors.get(key))
                 for key in [(layer, triple) for triple in triples])


def _values(local: _Local, found: dict[str, Any] | None, layer: str, names: tuple[str, ...]) -> tuple:
    """The values of the attributes ``names`` in ``found`` (None: unset), worked out once per article for
    each attributes object (a team's spans share the few their database holds)."""
    if found is None:
        return (None,) * len(names)
    place = (id(found), layer)
    known = local.values.get(place)
    if known is None or known[0] is not found:
        known = local.values[place] = (found, tuple(
            None if (value := found.get(name)) is None else str(value) for name in names))
    return known[1]


def _single_pair(layer: str, counted: bool, detail: bool, names: tuple[str, ...], sa: SpanTriple,
                 sb: SpanTriple, sign_a: tuple, sign_b: tuple) -> tuple[dict[Key, int], bool]:
    """The counts of one span against one of the same label (as ``_pair_counts`` gives them), and whether
    they overlap (are matched)."""
    overlapping = sa[1] < sb[2] and sb[1] < sa[2]
    counts: dict[Key, int] = {}
    if not counted:
        return counts, overlapping
    label = sa[0]
    if detail and sa == sb:
        counts[("exact", layer, label)] = 1
    if overlapping:
        counts[("overlap", layer, label)] = 1
        counts.update(dict.fromkeys(_sign_keys(layer, label, names, sign_a, sign_b), 1))
    return counts, overlapping


def _pair_counts(layer: str, detail: bool, held_a: tuple[SpanTriple, ...], held_b: tuple[SpanTriple, ...],
                 pairs: list[tuple[SpanTriple, SpanTriple]], marks_a: Marks, marks_b: Marks,
                 names: tuple[str, ...]) -> dict[Key, int]:
    """Exact (with ``detail``) and overlap matches, attribute and actor-id pairs of two annotators' spans in
    one cluster (``pairs``: their overlap matching)."""
    counts: dict[Key, int] = {}
    for label, score in span_scores(held_a, held_b, pairs).items():
        if detail and score.exact:
            counts[("exact", layer, label)] = score.exact
        if score.overlap:
            counts[("overlap", layer, label)] = score.overlap
    found = pair_relations({layer: pairs}, _unit_marks(layer, held_a, marks_a), _unit_marks(layer, held_b, marks_b),
                           [layer], {layer: names})[layer]
    for name, value in found.attributes.items():
        for (value_a, value_b), k in value.confusion.items():
            counts[("attr", layer, name, value_a, value_b)] = k
    for label, value in found.actors.items():
        for (actor_a, actor_b), k in value.confusion.items():
            counts[("actor", layer, label, actor_a, actor_b)] = k
    return counts


def _unit_marks(layer: str, held: tuple[SpanTriple, ...], marks: Marks) -> Marks:
    """An annotator's attributes and actor ids on the spans of one cluster."""
    keys = [(layer, t) for t in held]
    return Marks({k: marks.attrs[k] for k in keys if k in marks.attrs},
                 {k: marks.actors[k] for k in keys if k in marks.actors})


def _link_units(local: _Local, marks: list[Marks], layers: Sequence[str],
                where: dict[tuple[str, SpanTriple], _Unit]) -> None:
    """Link counts per (head cluster, role, argument cluster) and variant pair."""
    n = len(marks)
    per_role: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0] * n)
    buckets: dict[tuple, dict[int, set]] = defaultdict(dict)
    units: dict[int, _Unit] = {}
    for i, mine in enumerate(marks):
        for head_layer, head, role, arg_layer, arg in mine.links:
            if head_layer not in layers:
                continue
            per_role[(head_layer, role)][i] += 1
            head_unit, arg_unit = where[(head_layer, head)], where[(arg_layer, arg)]
            units[head_unit.number], units[arg_unit.number] = head_unit, arg_unit
            buckets[(head_layer, role, head_unit.number, arg_unit.number)].setdefault(i, set()).add((head, arg))
    for (head_layer, role), counts in per_role.items():
        local.per_annotator(("links", head_layer, role), counts)
    for (head_layer, role, head_number, arg_number), held in buckets.items():
        if len(held) < 2:
            continue
        (_, head_variant, head_matched, head_alike), (_, arg_variant, arg_matched, arg_alike) = (
            units[head_number], units[arg_number])
        if head_alike and arg_alike and len(held) <= SMALL and all(
                i in head_variant and i in arg_variant for i in held):  # each made the one link: counted by kind
            found = ("link", head_layer, role, local.detail, tuple(sorted(held)))
            local.alike[found] = local.alike.get(found, 0) + 1
            continue
        holders = {i: (head_variant.get(i, -1), arg_variant.get(i, -1), frozenset(links)) for i, links in held.items()}
        variant, kinds, _, sizes = _variants(holders)
        table: dict[tuple[int, int], dict[Key, int]] = {}
        for v, (head_v, arg_v, links_v) in enumerate(kinds):
            for w, (head_w, arg_w, links_w) in enumerate(kinds):
                if v == w and sizes[v] < 2:
                    continue
                to_head = head_matched.get((head_v, head_w), {})
                to_arg = arg_matched.get((arg_v, arg_w), {})
                counts: dict[Key, int] = {}
                exact = len(links_v & links_w) if local.detail else 0
                if exact:
                    counts[("link_exact", head_layer, role)] = exact
                overlap = sum(1 for h, t in links_v if (to_head.get(h), to_arg.get(t)) in links_w)
                if overlap:
                    counts[("link_overlap", head_layer, role)] = overlap
                if counts:
                    table[(v, w)] = counts
        local.spread(variant, table)
