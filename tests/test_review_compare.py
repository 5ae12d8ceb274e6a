"""The comparison's disagreement kinds and list rows, on random teams, against a plain reading of their
definition (one annotator and one item at a time, as review.py computed them before it used bit masks)."""
from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotations import review
from annotations.records import Link, Span


def plain_kinds(cluster: review.Cluster) -> tuple[str, ...]:
    """For every item and every annotator without it: their alternatives are their spans over it that not
    all of its holders also have; none is ``missing``, one with its extent ``label``, else ``boundary``
    (and ``label`` when none has its label). Same-span versions differing in actor, attributes or
    outgoing links give ``actor``, ``attrs``, ``links``."""
    names = cluster.annotators
    if len(names) < 2:
        return ()
    kinds = set()
    for item in cluster.items:
        versions = list(item.versions.values())
        for kind, part in (("actor", lambda v: v.span.actor_id), ("attrs", lambda v: sorted(v.span.attrs.items())),
                           ("links", lambda v: sorted(v.links_out))):
            if any(part(v) != part(versions[0]) for v in versions):
                kinds.add(kind)
        holders = set(item.versions)
        for name in names:
            if name in holders:
                continue
            alternatives = [other for other in cluster.items if name in other.versions
                            and not holders <= set(other.versions)
                            and other.key.start < item.key.end and item.key.start < other.key.end]
            if not alternatives:
                kinds.add("missing")
            elif any((o.key.start, o.key.end) == (item.key.start, item.key.end) for o in alternatives):
                kinds.add("label")
            else:
                kinds.add("boundary")
                if all(o.key.label != item.key.label for o in alternatives):
                    kinds.add("label")
    return tuple(k for k in ("boundary", "label", "missing", "actor", "attrs", "links") if k in kinds)


@st.composite
def teams(draw):
    """An article's spans from 2 to 7 annotators over 40 code points, few labels, so they collide often;
    links among each annotator's spans, some gold spans, some rejections."""
    names = [f"a{i}" for i in range(draw(st.integers(2, 7)))]
    spans: list[Span] = []
    links: list[Link] = []
    for name in names:
        mine = []
        for _ in range(draw(st.integers(0, 8))):
            start = draw(st.integers(0, 38))
            end = draw(st.integers(start + 1, min(40, start + 6)))
            layer, label = draw(st.sampled_from(["entity", "event"])), draw(st.sampled_from(["A", "B"]))
            span = Span(len(spans) + 1, "d", name, layer, label, start, end, "x" * (end - start),
                        draw(st.sampled_from([None, "ARM"])), draw(st.sampled_from([{}, {"m": "asserted"}, {"m": 1}])))
            spans.append(span)
            mine.append(span)
        for head, tail in draw(st.lists(st.tuples(st.sampled_from(mine), st.sampled_from(mine)), max_size=3)
                               if mine else st.just([])):
            links.append(Link(len(links) + 1, "d", name, head.id, tail.id, draw(st.sampled_from(["R", "S"]))))
    gold = [Span(1000 + i, "d", "gold", s.layer, draw(st.sampled_from(["A", "B"])), s.start, s.end, s.text)
            for i, s in enumerate(draw(st.lists(st.sampled_from(spans), max_size=3)) if spans else [])]
    rejected = frozenset(review.SpanKey.of(s) for s in (draw(st.lists(st.sampled_from(spans), max_size=2))
                                                       if spans else []))
    return names, spans, links, gold, rejected


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(teams())
def test_kinds_and_rows_match_the_plain_definition(team):
    names, spans, links, gold, rejected = team
    cmp = review._build("d", names, {}, spans, links, gold, rejected)
    assert [c.kinds for c in cmp.clusters] == [plain_kinds(c) for c in cmp.clusters]
    identical = [len({(v.span.actor_id, tuple(sorted(v.span.attrs.items())), v.links_out)
                      for v in item.versions.values()}) <= 1 for item in cmp.items]
    assert cmp.agreed == [item for item, same in zip(cmp.items, identical)
                          if same and len(item.versions) == len(cmp.annotators)]
    row = review._row(cmp, "t", "todo", 3)
    found = [c for c in cmp.clusters if plain_kinds(c)]
    assert (row.disagreements, row.open) == (len(found), sum(not c.settled for c in found))
