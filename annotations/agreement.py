"""Inter-annotator agreement: span F1, Cohen's kappa and Krippendorff's alpha.

These are the definitions behind ``tandai agreement`` (its tests check them by
hand and against scikit-learn and the ``krippendorff`` package):

Who and what counts
    Only human annotators (``annotators.kind = 'human'``); models and gold never
    count. An annotator *took part* in an article when
    ``status="done"`` (the default): their progress status there is ``done``;
    ``status="any"``: that, or they have at least one span there (work in progress).
    Taking part does not depend on ``layer``: someone who marked an article done
    with no claim spans said "no claims here". Articles where fewer than two
    annotators took part are left out and counted (``single``: one, ``unannotated``: none).

Span F1, per layer, label and annotator pair (A, B)
    ``F1 = 2 * matches / (spans_A + spans_B)`` (the harmonic mean of precision and
    recall, whichever side is the reference); undefined when neither has a span.
    An annotator's spans are deduplicated on (label, start, end) first.
    *exact*: a match is a span of A and one of B with the same start, end and label.
    *overlap*: spans of the same label that share at least one character are
    matched one-to-one, greedily by the largest overlap in characters (ties: the
    earlier span of A, then the earlier span of B); each span is matched at most once.
    Figures are pooled (micro) over articles; "all labels" and "all pairs" rows
    pool the counts of the rows they sum up.

Tokens, for kappa and alpha
    The stored tokens (``documents.tokens``). In a layer, a token gets the label of
    the span covering it (sharing at least one character with it) or ``O``. Where
    spans of one annotator in one layer overlap on a token, the longest span wins;
    ties: the one starting first, then the alphabetically first label.

Cohen's kappa, per layer and pair
    Over the tokens of every article both took part in, pooled:
    ``(p_o - p_e) / (1 - p_e)``; undefined (``None``) when ``p_e = 1`` (both gave
    every token the same single label).

Krippendorff's alpha, per layer, nominal
    Units are the tokens of every compared article; each annotator who took part
    gives a value, the others are missing. ``alpha = 1 - (n - 1) * D_o / D_e`` with the
    coincidence matrix; undefined when the data hold only one value.

Links, attributes and actor ids
    On matched spans, per pair: see ``annotations.agreement_relations``. The measures
    themselves are in ``annotations.agreement_measures``; the tables in ``agreement_table``.
"""
from __future__ import annotations

import gc
import json
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import groupby, repeat
from operator import itemgetter
from typing import Any

import numpy as np

from .agreement_measures import (  # noqa: F401  (the measures are part of this module's interface)
    OUTSIDE,
    AlphaCounts,
    SpanScore,
    SpanTriple,
    TokenCounts,
    cohen_kappa,
    covered_labels,
    kappa_from_confusion,
    krippendorff_alpha,
    overlap_matches,
    rounded,
    span_scores,
    token_labels,
)
from .agreement_pairs import PairCounts, article_counts
from .agreement_relations import (
    LinkScore,
    Marks,
    PairRelations,
    ValueScore,
    add_scores,
    pooled,
    relation_tables,
)
from .taking_part import participants
from .tokens import TokenOffsets

try:
    from .agreement_compiled import CompiledCounts
except ImportError:  # the compiled module is not built: the Python engine counts everything
    CompiledCounts = None

# -- per article, and summed -----------------------------------------------------------------


@dataclass
class PairLayer:
    """One annotator pair in one layer."""

    articles: int = 0
    token_counts: TokenCounts = field(default_factory=TokenCounts)
    labels: dict[str, SpanScore] = field(default_factory=dict)
    relations: PairRelations = field(default_factory=PairRelations)

    @property
    def tokens(self) -> int:
        return self.token_counts.tokens

    @property
    def kappa(self) -> float | None:
        return self.token_counts.kappa

    @property
    def total(self) -> SpanScore:
        total = SpanScore()
        for score in self.labels.values():
            total += score
        return total

    def __iadd__(self, other: "PairLayer") -> "PairLayer":
        self.articles += other.articles
        self.token_counts += other.token_counts
        for label, score in other.labels.items():
            mine = self.labels.setdefault(label, SpanScore())
            mine += score
        add_scores(self.relations.links, other.relations.links, LinkScore)
        add_scores(self.relations.attributes, other.relations.attributes, ValueScore)
        add_scores(self.relations.actors, other.relations.actors, ValueScore)
        return self

    def relations_dict(self) -> dict[str, Any]:
        return {"links": {role: s.to_dict() for role, s in sorted(self.relations.links.items())},
                "attributes": {name: s.to_dict() for name, s in sorted(self.relations.attributes.items())},
                "actors": {label: s.to_dict() for label, s in sorted(self.relations.actors.items())}}


@dataclass
class LayerAgreement:
    """Agreement in one layer: every pair, and alpha across all annotators."""

    layer: str
    pairs: dict[tuple[str, str], PairLayer] = field(default_factory=dict)
    alpha_counts: AlphaCounts = field(default_factory=AlphaCounts)
    articles: int = 0

    @property
    def alpha(self) -> float | None:
        return self.alpha_counts.alpha

    @property
    def labels(self) -> list[str]:
        return sorted({label for pair in self.pairs.values() for label in pair.labels})

    def label_total(self, label: str) -> SpanScore:
        total = SpanScore()
        for pair in self.pairs.values():
            if label in pair.labels:
                total += pair.labels[label]
        return total

    @property
    def total(self) -> SpanScore:
        total = SpanScore()
        for pair in self.pairs.values():
            total += pair.total
        return total

    def __iadd__(self, other: "LayerAgreement") -> "LayerAgreement":
        self.articles += other.articles
        self.alpha_counts += other.alpha_counts
        for key, pair in other.pairs.items():
            mine = self.pairs.setdefault(key, PairLayer())
            mine += pair
        return self

    def relation_totals(self) -> dict[str, dict[str, Any]]:
        """Pooled over pairs: ``links`` role -> LinkScore, ``attributes`` name -> ValueScore,
        ``actors`` label -> ValueScore."""
        return relation_tables(self.pairs)

    def to_dict(self) -> dict[str, Any]:
        totals = self.relation_totals()
        return {
            "layer": self.layer,
            "articles": self.articles,
            "alpha": rounded(self.alpha),
            "alpha_units": self.alpha_counts.units,
            "alpha_values": self.alpha_counts.pairable,
            **{k: v for k, v in self.total.to_dict().items() if k.startswith("f1")},
            "spans": self.total.spans,
            "labels": {label: {k: v for k, v in self.label_total(label).to_dict().items()} for label in self.labels},
            **{kind: {name: score.to_dict() for name, score in sorted(scores.items())}
               for kind, scores in totals.items()},
            "pairs": [
                {
                    "a": a, "b": b, "articles": pair.articles, "tokens": pair.tokens,
                    "kappa": rounded(pair.kappa), **pair.total.to_dict(),
                    "labels": {label: score.to_dict() for label, score in sorted(pair.labels.items())},
                    **pair.relations_dict(),
                }
                for (a, b), pair in sorted(self.pairs.items())
            ],
        }


def _rank(summary: "PairSummary") -> tuple:
    return (-(summary.spans.f1_overlap or 0.0), -(summary.links.f1_overlap or 0.0), summary.pair)


@dataclass
class PairSummary:
    """One annotator pair pooled over layers: spans, links, attributes and actor ids."""

    pair: tuple[str, str]
    articles: int
    spans: SpanScore
    links: LinkScore
    attributes: ValueScore
    actors: ValueScore

    def to_dict(self) -> dict[str, Any]:
        return {"a": self.pair[0], "b": self.pair[1], "articles": self.articles, "spans": self.spans.to_dict(),
                "links": self.links.to_dict(), "attributes": self.attributes.to_dict(),
                "actors": self.actors.to_dict()}


@dataclass
class ArticleAgreement:
    doc_id: str
    title: str
    annotators: tuple[str, ...]
    layers: dict[str, LayerAgreement]

    def to_dict(self) -> dict[str, Any]:
        return {"doc_id": self.doc_id, "title": self.title, "annotators": list(self.annotators),
                "layers": {name: layer.to_dict() for name, layer in self.layers.items()}}


@dataclass
class AgreementReport:
    status: str
    layer_names: list[str]
    annotators: tuple[str, ...] = ()
    compared: int = 0  # articles with >= 2 annotators
    single: int = 0  # articles with one annotator: left out
    unannotated: int = 0  # articles nobody took part in
    articles: list[ArticleAgreement] = field(default_factory=list)  # filled with by_article=True
    counts: PairCounts | None = None  # every pair's counts, summed over the articles
    detail: bool = True  # False: only what the short summary prints was counted (see ``agreement``)
    _layers: dict[str, LayerAgreement] | None = field(default=None, init=False, repr=False, compare=False)

    @property
    def layers(self) -> dict[str, LayerAgreement]:
        """Every pair's figures per layer (made when first asked for: the short summary does without)."""
        if self._layers is None:
            self._layers = (layers_from_counts(self.counts, self.layer_names, self.compared) if self.counts
                            else {name: LayerAgreement(name) for name in self.layer_names})
        return self._layers

    def totals(self) -> dict[str, LayerAgreement]:
        """Per layer, the figures of all pairs pooled, as one pair's (labels, links, attributes, actor ids)."""
        if self.counts is None:
            return {name: LayerAgreement(name) for name in self.layer_names}
        return layers_from_counts(self.counts.pooled(), self.layer_names, self.compared)

    def pair_summaries(self) -> list["PairSummary"]:
        """Each annotator pair over every layer, best span agreement (F1 overlap) first."""
        keys = sorted({key for layer in self.layers.values() for key in layer.pairs})
        return sorted((self._summary(key, self.layers) for key in keys), key=_rank)

    def ranked_pairs(self, few: int) -> tuple[list["PairSummary"], list["PairSummary"], int]:
        """The ``few`` pairs that agree most and the ``few`` that agree least (in the order of
        ``pair_summaries``, ranked from the summed counts without making every pair's figures), and how
        many pairs there are; with 2 * ``few`` pairs or fewer, all of them first."""
        if self.counts is None:
            return [], [], 0
        order = self.counts.ranking(self.layer_names)
        chosen = order if len(order) <= 2 * few else order[:few] + order[-few:]
        summaries = []
        for i, j in chosen:
            names = (self.counts.names[i], self.counts.names[j])
            summaries.append(self._summary(names, layers_from_counts(self.counts.restricted([i, j]),
                                                                     self.layer_names, self.compared)))
        if len(order) <= 2 * few:
            return summaries, [], len(order)
        return summaries[:few], summaries[few:], len(order)

    @staticmethod
    def _summary(key: tuple[str, str], layers: dict[str, LayerAgreement]) -> "PairSummary":
        parts = [layer.pairs[key] for layer in layers.values() if key in layer.pairs]
        return PairSummary(
            key, max(p.articles for p in parts), pooled((p.total for p in parts), SpanScore),
            pooled((s for p in parts for s in p.relations.links.values()), LinkScore),
            pooled((s for p in parts for s in p.relations.attributes.values()), ValueScore),
            pooled((s for p in parts for s in p.relations.actors.values()), ValueScore))

    def to_dict(self) -> dict[str, Any]:
        if not self.detail:
            raise ValueError("every figure needs agreement(..., detail=True)")
        out: dict[str, Any] = {
            "status": self.status,
            "annotators": list(self.annotators),
            "articles": {"compared": self.compared, "single_annotator": self.single, "unannotated": self.unannotated},
            "pairs": [summary.to_dict() for summary in self.pair_summaries()],
            "layers": {name: layer.to_dict() for name, layer in self.layers.items()},
        }
        if self.articles:
            out["by_article"] = [a.to_dict() for a in self.articles]
        return out

    def to_json(self) -> str:
        """JSON in ASCII: names and titles from data reach a terminal as \\u escapes, never as control codes."""
        with _without_cycle_collection():  # every pair's figures: many small objects (see there)
            return json.dumps(self.to_dict(), indent=2)


def _pair_cells(counts: PairCounts, key: tuple) -> list[tuple[int, int, int, int]]:
    """(i, j, count of i against j, count of j against i) for each pair i < j where either is not 0."""
    cells = counts.cells.get(key)
    if cells is None:
        return []
    upper = np.triu((cells != 0) | (cells.T != 0), 1)
    rows, columns = np.nonzero(upper)
    return list(zip(rows.tolist(), columns.tolist(), cells[rows, columns].tolist(), cells[columns, rows].tolist()))


def layers_from_counts(counts: PairCounts, layers: Sequence[str], articles: int) -> dict[str, LayerAgreement]:
    """The per-layer, per-pair figures of ``counts`` (see ``annotations.agreement_pairs``); every pair that
    shared an article is there, in every layer."""
    names = counts.names
    shared = _pair_cells(counts, ("articles",))
    tokens = {(i, j): n for i, j, n, _ in _pair_cells(counts, ("tokens",))}
    out: dict[str, LayerAgreement] = {}
    for layer in layers:
        result = LayerAgreement(layer, articles=articles)
        result.alpha_counts += counts.alpha.get(layer, AlphaCounts())
        pairs: dict[tuple[int, int], PairLayer] = {}
        for i, j, n, _ in shared:
            pairs[(i, j)] = PairLayer(articles=n, token_counts=TokenCounts(tokens=tokens[(i, j)]))
        for i, j, n, _ in _pair_cells(counts, ("agree", layer)):
            pairs[(i, j)].token_counts.alike = n
        for key in counts.keys("margin", layer):
            for i, j, a, b in _pair_cells(counts, key):
                found = pairs[(i, j)].token_counts
                found.a[key[2]], found.b[key[2]] = a, b
        for key in counts.keys("spans", layer):
            label = key[2]
            for i, j, a, b in _pair_cells(counts, key):
                pairs[(i, j)].labels[label] = SpanScore(a, b)
            for kind in ("exact", "overlap"):
                for i, j, n, _ in _pair_cells(counts, (kind, layer, label)):
                    setattr(pairs[(i, j)].labels[label], kind, n)
        for key in counts.keys("links", layer):
            role = key[2]
            for i, j, a, b in _pair_cells(counts, key):
                pairs[(i, j)].relations.links[role] = LinkScore(a, b)
            for kind, field_name in (("link_exact", "exact"), ("link_overlap", "overlap")):
                for i, j, n, _ in _pair_cells(counts, (kind, layer, role)):
                    setattr(pairs[(i, j)].relations.links[role], field_name, n)
        for kind in ("attr", "actor"):
            for key in counts.keys(kind, layer):
                _, _, what, value_a, value_b = key
                for i, j, n, _ in _pair_cells(counts, key):
                    if n:
                        found = pairs[(i, j)].relations
                        scores = found.attributes if kind == "attr" else found.actors
                        scores.setdefault(what, ValueScore()).confusion[(value_a, value_b)] = n
        result.pairs = {(names[i], names[j]): pair for (i, j), pair in sorted(pairs.items())}
        out[layer] = result
    return out


# -- from the store -------------------------------------------------------------------------------


@contextmanager
def _without_cycle_collection() -> Iterator[None]:
    """Python's cycle collector off: counting makes millions of small tuples, sets and dicts (none in a
    cycle), and the collector, run every few hundred of them, walks everything alive each time (a third
    of the command's time on a 1,000-article team). Reference counting still frees them."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


def agreement(store, *, status: str = "done", layer: str | None = None, by_article: bool = False,
              doc_ids: Sequence[str] | None = None, detail: bool = True) -> AgreementReport:
    """Agreement over the database (or the articles ``doc_ids``); see the module notes. Without ``detail``
    only what the short summary prints is counted (no exact matches, no per-pair kappa)."""
    if by_article and not detail:
        raise ValueError("figures by article need detail=True")
    with _without_cycle_collection():
        return _agreement(store, status, layer, by_article, doc_ids, detail)


def _agreement(store, status: str, layer: str | None, by_article: bool,
               doc_ids: Sequence[str] | None, detail: bool) -> AgreementReport:
    scheme = store.stored_scheme
    if layer is not None:
        scheme.layer(layer)  # unknown layer: a one-line error
        layers = [layer]
    else:
        layers = list(scheme.layers)
    conn = store.conn  # plain sqlite3: sqlite_utils imports numpy's dependants (pandas, where installed: a second)
    taking_part = participants(store, status, doc_ids)
    total_docs = len(doc_ids) if doc_ids is not None else store.count_documents()
    compared = {doc: names for doc, names in taking_part.items() if len(names) >= 2}
    report = AgreementReport(
        status=status,
        layer_names=layers,
        annotators=tuple(sorted({n for names in compared.values() for n in names})),
        compared=len(compared),
        single=sum(1 for names in taking_part.values() if len(names) == 1),
        detail=detail,
    )
    report.unannotated = total_docs - report.compared - report.single
    if not compared:
        return report

    ordered = [doc for (doc,) in conn.execute("SELECT id FROM documents ORDER BY seq") if doc in compared]
    attributes = {name: [a.name for a in spec.attributes] for name, spec in scheme.layers.items()}
    if CompiledCounts is not None and not by_article:
        compiled = CompiledCounts(report.annotators, layers, attributes, detail)
        compiled.add(conn, ordered, compared)
        report.counts = compiled.pair_counts()
        return report
    counts = PairCounts(report.annotators)
    parsed: dict[str, dict[str, Any]] = {}  # attributes as stored -> as read (a team repeats a few)
    spent = None  # the last article's counts, added: their arrays serve the next
    for doc_id in ordered:
        names = compared[doc_id]
        spans, marks = _read_article(conn, doc_id, names, parsed)
        (tokens,) = conn.execute("SELECT tokens FROM documents WHERE id = ?", (doc_id,)).fetchone()
        local, alpha = article_counts(TokenOffsets.from_json(tokens, doc_id), spans, layers, marks, attributes,
                                      detail, spent)
        counts.add(names, local, alpha)
        if by_article:
            one = PairCounts(names)
            one.add(names, local, alpha)
            (title,) = conn.execute("SELECT title FROM documents WHERE id = ?", (doc_id,)).fetchone()
            report.articles.append(ArticleAgreement(doc_id, title, tuple(names), layers_from_counts(one, layers, 1)))
        spent = local
    report.counts = counts
    return report


def _read_article(conn, doc_id: str, names: Sequence[str], parsed: dict[str, dict[str, Any]]
                  ) -> tuple[dict[str, dict[str, set[SpanTriple]]], dict[str, Marks]]:
    """The spans (annotator -> layer -> {(label, start, end)}) and marks of the annotators ``names`` in one
    article, every layer's (a link's argument may lie in a layer left out). Two indexed queries, of the
    columns they need: spans grouped by annotator and layer (made into sets, and looked up by id for the
    links, without a step per span; the first of a span's copies gives its attributes and actor id), then
    the links."""
    spans: dict[str, dict[str, set[SpanTriple]]] = {name: {} for name in names}
    marks = {name: Marks() for name in names}
    where: dict[int, tuple[str, SpanTriple]] = {}  # span id -> (layer, span), of these annotators
    for (name, lay), group in groupby(conn.execute(
            "SELECT annotator, layer, id, label, start, end, nullif(attrs, '{}'), actor_id FROM spans"
            " WHERE doc_id = ? ORDER BY annotator, layer, id", (doc_id,)), key=_ANNOTATOR_LAYER):
        mine = marks.get(name)
        if mine is None:
            continue
        rows = list(group)
        triples = list(map(_TRIPLE, rows))
        spans[name][lay] = set(triples)
        where.update(zip(map(_ID, rows), zip(repeat(lay), triples)))
        for _, _, _, label, start, end, attrs, actor_id in rows:
            if attrs:
                found = parsed.get(attrs)
                if found is None:
                    found = parsed[attrs] = json.loads(attrs)
                mine.attrs.setdefault((lay, (label, start, end)), found)
            if actor_id is not None:
                mine.actors.setdefault((lay, (label, start, end)), actor_id)
    for name, head, tail, role in conn.execute("SELECT annotator, head, tail, role FROM links WHERE doc_id = ?",
                                               (doc_id,)):
        if head in where and tail in where and name in marks:
            (head_layer, head_span), (arg_layer, arg_span) = where[head], where[tail]
            marks[name].links.add((head_layer, head_span, role, arg_layer, arg_span))
    return spans, marks


_ANNOTATOR_LAYER = itemgetter(0, 1)
_ID = itemgetter(2)
_TRIPLE = itemgetter(3, 4, 5)


