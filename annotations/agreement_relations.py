"""Agreement beyond spans: links, attributes and actor ids, between two annotators' matched spans.

``tandai agreement`` adds these to the span figures of ``annotations.agreement``
(its tests check each against a hand computation):

Matched spans
    In each layer, two annotators' spans (deduplicated on (label, start, end)) are
    paired by ``overlap_matches``: same label, sharing a character, one-to-one by the
    largest overlap. *Exact* pairing pairs identical spans only.

Link F1, per head layer and role
    A link is (head span, role, argument span), deduplicated on those. Counted the way
    INCEpTION's agreement counts relation layers (a relation is placed by the positions
    of its source and target spans, then its label is compared: INCEpTION User Guide,
    "Agreement", https://inception-project.github.io/releases/35.0/docs/user-guide.html)
    and the relation-extraction literature's strict evaluation (a relation is right when
    its type and both arguments' boundaries and types are: Taillé et al. 2020, "Let's
    Stop Incorrect Comparisons in End-to-end Relation Extraction!", EMNLP): a link of A
    matches one of B with the same role whose ends match, *exact* (both ends the same
    label, start and end) or *overlap* (both ends matched spans, above). Each link
    matches at most once, since span pairing is one-to-one.
    ``F1 = 2 * matches / (links_A + links_B)``, pooled over articles.

Attribute agreement, per attribute (stance, modality, polarity ...)
    Over matched spans of the layers whose scheme has the attribute, where at least one
    of the two set it (a value left unset counts as the value ``-``): the share of pairs
    with the same value and Cohen's kappa of the values.

Actor-id agreement, per label
    Over matched spans where at least one of the two linked an actor (none is ``-``):
    the share with the same actor id, and Cohen's kappa of the ids.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from .agreement_measures import SpanScore, SpanTriple, kappa_from_confusion, rounded

UNSET = "-"

LinkKey = tuple[str, SpanTriple, str, str, SpanTriple]  # (head layer, head, role, argument layer, argument)
SpanKey = tuple[str, SpanTriple]  # (layer, (label, start, end))


@dataclass
class Marks:
    """What one annotator did in one article beyond the spans: attributes, actor ids, links."""

    attrs: dict[SpanKey, dict[str, Any]] = field(default_factory=dict)
    actors: dict[SpanKey, str] = field(default_factory=dict)
    links: set[LinkKey] = field(default_factory=set)


class LinkScore(SpanScore):
    """Link counts behind a link F1 figure (the same arithmetic as spans)."""

    def to_dict(self) -> dict[str, Any]:
        return {"f1_exact": rounded(self.f1_exact), "f1_overlap": rounded(self.f1_overlap),
                "links_a": self.spans_a, "links_b": self.spans_b,
                "exact_matches": self.exact, "overlap_matches": self.overlap}


@dataclass
class ValueScore:
    """Pairs of values two annotators gave matched spans: share alike and Cohen's kappa."""

    confusion: Counter = field(default_factory=Counter)

    @property
    def pairs(self) -> int:
        return sum(self.confusion.values())

    @property
    def same(self) -> int:
        return sum(n for (a, b), n in self.confusion.items() if a == b)

    @property
    def agreement(self) -> float | None:
        return self.same / self.pairs if self.pairs else None

    @property
    def kappa(self) -> float | None:
        return kappa_from_confusion(self.confusion)

    def __iadd__(self, other: "ValueScore") -> "ValueScore":
        self.confusion.update(other.confusion)
        return self

    def to_dict(self) -> dict[str, Any]:
        return {"pairs": self.pairs, "same": self.same, "agreement": rounded(self.agreement),
                "kappa": rounded(self.kappa)}


def add_scores(into: dict, other: Mapping, kind: type) -> None:
    """Sum ``other``'s scores (name -> score) into ``into``."""
    for name, score in other.items():
        mine = into.setdefault(name, kind())
        mine += score


def pooled(scores: Iterable, kind: type):
    total = kind()
    for score in scores:
        total += score
    return total


@dataclass
class PairRelations:
    """Link, attribute and actor figures of one annotator pair in one layer."""

    links: dict[str, LinkScore] = field(default_factory=dict)  # role -> score (links headed in this layer)
    attributes: dict[str, ValueScore] = field(default_factory=dict)  # attribute -> score
    actors: dict[str, ValueScore] = field(default_factory=dict)  # label -> score


def pair_relations(matched: Mapping[str, list[tuple[SpanTriple, SpanTriple]]], marks_a: Marks, marks_b: Marks,
                   layers: Sequence[str], attributes: Mapping[str, Sequence[str]]) -> dict[str, PairRelations]:
    """Figures for annotators A and B in one article, per layer in ``layers`` (see the module notes).
    ``matched``: layer -> their span pairs from ``overlap_matches``; ``attributes``: layer -> the
    attribute names its scheme defines."""
    to_b: dict[SpanKey, SpanTriple] = {(layer, sa): sb for layer, pairs in matched.items() for sa, sb in pairs}
    out = {layer: PairRelations() for layer in layers}
    for head_layer, head, role, arg_layer, arg in marks_a.links:
        result = out.get(head_layer)
        if result is None:
            continue
        score = result.links.setdefault(role, LinkScore())
        score.spans_a += 1
        if (head_layer, head, role, arg_layer, arg) in marks_b.links:
            score.exact += 1
        head_b, arg_b = to_b.get((head_layer, head)), to_b.get((arg_layer, arg))
        if head_b is not None and arg_b is not None and (head_layer, head_b, role, arg_layer, arg_b) in marks_b.links:
            score.overlap += 1
    for head_layer, _, role, _, _ in marks_b.links:
        if head_layer in out:
            out[head_layer].links.setdefault(role, LinkScore()).spans_b += 1
    for layer in layers:
        result = out[layer]
        for sa, sb in matched.get(layer, ()):
            key_a, key_b = (layer, sa), (layer, sb)
            for name in attributes.get(layer, ()):
                va, vb = marks_a.attrs.get(key_a, {}).get(name), marks_b.attrs.get(key_b, {}).get(name)
                if va is not None or vb is not None:
                    value = (UNSET if va is None else str(va), UNSET if vb is None else str(vb))
                    result.attributes.setdefault(name, ValueScore()).confusion[value] += 1
            actor_a, actor_b = marks_a.actors.get(key_a), marks_b.actors.get(key_b)
            if actor_a is not None or actor_b is not None:
                result.actors.setdefault(sa[0], ValueScore()).confusion[(actor_a or UNSET, actor_b or UNSET)] += 1
    return out


def relation_tables(pairs: Mapping[tuple[str, str], Any]) -> dict[str, dict[str, Any]]:
    """Pooled over pairs: role -> LinkScore, attribute -> ValueScore, label -> ValueScore."""
    links: dict[str, LinkScore] = {}
    attributes: dict[str, ValueScore] = {}
    actors: dict[str, ValueScore] = defaultdict(ValueScore)
    for pair in pairs.values():
        add_scores(links, pair.relations.links, LinkScore)
        add_scores(attributes, pair.relations.attributes, ValueScore)
        add_scores(actors, pair.relations.actors, ValueScore)
    return {"links": links, "attributes": attributes, "actors": dict(actors)}
