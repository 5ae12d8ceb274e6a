"""Comparing annotators' spans in an article and settling them into the ``gold`` layer.

The review screen is a thin layer over this module:

- ``compare(store, doc_id)`` merges every human annotator's spans into *items*
  (one per distinct (layer, label, start, end), with each annotator's version of
  it: actor, attributes, links) and groups overlapping items of a layer into
  *clusters*. A cluster where the annotators differ is a *disagreement*; its
  ``kinds`` say how: ``boundary`` (overlapping spans with different extents),
  ``label`` (different labels on the same or overlapping text), ``missing`` (some
  annotators have no span there), ``actor``, ``attrs``, ``links`` (the same span
  with a different actor, attributes or outgoing links).
- ``pick`` / ``accept`` / ``reject`` / ``accept_agreed`` write the reviewer's
  decisions into gold, each as one journal batch (one undo step: ``undo``), and
  return a ``Decision``: the gold spans copied, the links of theirs that wait
  for their arguments, and the links that went (out of gold, or no longer on
  their way to it), so the screen never drops or holds back a link silently.
- ``settle`` marks the article's gold version done (or back): the ``gold``
  annotator's progress row, journaled like any other change, and what
  ``tandai export --from gold`` takes by default.

Provenance: every gold span copied here has ``origin`` = ``{"annotators": [who
had that span], "reviewer": name, "from": the annotator whose version was
copied}``. Links come with their spans: a copied head gets the source
annotator's outgoing links to every tail that has a gold copy, and gold heads
copied earlier gain their source's links to tails copied now. Until then such a
link *waits* (``waiting_links``): its argument is still open.

Item states: ``gold`` (gold has a span with the same layer, label and extent),
``rejected`` (the reviewer rejected it, and gold has no copy), ``superseded``
(gold settled that text another way: a gold span of the layer with the same
extent but another label, or an overlapping one that no annotator has, such
as one the reviewer made or reshaped with the annotate keys),
``open`` (not decided yet). A cluster is *settled* when none of its items is open.

Rejections are rows of the store's ``rejections`` table, written in the same
journal batch as the gold change they belong to, so undo and redo take them
back and forth like any other change.
"""
from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from itertools import combinations
from typing import Any, NamedTuple

from .taking_part import participants
from .errors import TandaiError
from .records import Link, Span
from .store import GOLD, Store



class SpanKey(NamedTuple):
    """What makes two annotators' spans "the same span"."""

    layer: str
    label: str
    start: int
    end: int

    @classmethod
    def of(cls, span: Span) -> "SpanKey":
        return cls(span.layer, span.label, span.start, span.end)


class LinkView(NamedTuple):
    """A link as the side panel shows it, from one span's point of view (a tuple: thousands are made
    for an article with a large team)."""

    role: str
    direction: str  # "out": this span is the head (event/claim); "in": it is the argument
    other: SpanKey
    other_text: str


@dataclass(slots=True)
class Version:
    """One annotator's version of a span: label, boundaries, actor, attributes, links."""

    annotator: str
    span: Span
    links: tuple[LinkView, ...] = ()
    # (actor, attributes as canonical JSON, outgoing links): equal when two versions agree. Made once
    # here: an article with 200 annotators compares thousands of versions, each more than once.
    details: tuple[Any, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        attrs = json.dumps(self.span.attrs, sort_keys=True) if self.span.attrs else "{}"
        links_out = frozenset((link.role, link.other) for link in self.links if link.direction == "out")
        self.details = (self.span.actor_id, attrs, links_out)

    @property
    def key(self) -> SpanKey:
        return SpanKey.of(self.span)

    @property
    def links_out(self) -> frozenset[tuple[str, SpanKey]]:
        return self.details[2]


@dataclass
class Item:
    """A distinct (layer, label, start, end) and every annotator's version of it."""

    key: SpanKey
    text: str
    versions: dict[str, Version]
    gold: Span | None = None
    state: str = "open"  # open | gold | rejected | superseded

    @property
    def annotators(self) -> list[str]:
        return sorted(self.versions)

    @property
    def identical(self) -> bool:
        """Every annotator who has it gave the same actor, attributes and outgoing links."""
        return len({v.details for v in self.versions.values()}) <= 1

    @property
    def decided(self) -> bool:
        return self.state != "open"


@dataclass
class Cluster:
    """Overlapping items of one layer: the unit the reviewer settles with a digit."""

    layer: str
    start: int
    end: int
    items: list[Item]
    annotators: tuple[str, ...]
    kinds: tuple[str, ...] = ()
    gold: list[Span] = field(default_factory=list)

    @property
    def is_disagreement(self) -> bool:
        return bool(self.kinds)

    @property
    def settled(self) -> bool:
        return all(item.decided for item in self.items)

    @property
    def versions(self) -> dict[str, list[Version]]:
        """Each annotator's spans here (an empty list: the annotator has none)."""
        out: dict[str, list[Version]] = {name: [] for name in self.annotators}
        for item in self.items:
            for name, version in item.versions.items():
                out[name].append(version)
        for versions in out.values():
            versions.sort(key=lambda v: (v.span.start, -v.span.end, v.span.label))
        return out

    def item(self, key: SpanKey) -> Item | None:
        return next((item for item in self.items if item.key == key), None)


@dataclass
class Comparison:
    """Every human annotator's spans in one article, merged."""

    doc_id: str
    annotators: tuple[str, ...]  # digit N picks annotators[N - 1]
    statuses: dict[str, str]
    clusters: list[Cluster]  # in text order
    gold: list[Span]
    rejected: frozenset[SpanKey] = frozenset()

    @property
    def items(self) -> list[Item]:
        return [item for cluster in self.clusters for item in cluster.items]

    def item(self, key: Iterable) -> Item | None:
        key = SpanKey(*key)
        for cluster in self.clusters:
            if cluster.layer == key.layer and cluster.start <= key.start and key.end <= cluster.end:
                found = cluster.item(key)
                if found:
                    return found
        return None

    def disagreements(self, *, open_only: bool = False) -> list[Cluster]:
        """Clusters where the annotators differ, in text order (``open_only``: not settled yet)."""
        return [c for c in self.clusters if c.is_disagreement and not (open_only and c.settled)]

    @property
    def agreed(self) -> list[Item]:
        """Items every annotator has with the same details (what ``accept_agreed`` takes)."""
        n = len(self.annotators)
        return [item for item in self.items if len(item.versions) == n and item.identical]

    def next_disagreement(self, pos: int, step: int = 1, *, open_only: bool = True,
                          wrap: bool = True) -> Cluster | None:
        """The disagreement after (step 1) or before (step -1) the one at ``pos`` (tab / shift+tab)."""
        found = self.disagreements(open_only=open_only)
        if not found:
            return None
        if step > 0:
            after = [c for c in found if c.start > pos]
            return after[0] if after else (found[0] if wrap else None)
        before = [c for c in found if c.start < pos]
        return before[-1] if before else (found[-1] if wrap else None)

    def clusters_at(self, pos: int, layer: str | None = None) -> list[Cluster]:
        """Clusters covering ``pos``, innermost (shortest) first."""
        found = [c for c in self.clusters if c.start <= pos < c.end and (layer is None or c.layer == layer)]
        return sorted(found, key=lambda c: (c.end - c.start, c.start))

    def item_at(self, pos: int, layer: str | None = None, annotator: str | None = None) -> Item | None:
        """The item under the cursor: the shortest covering ``pos`` (of ``annotator``'s, if given);
        ties go to the item more annotators have, then to the first label."""
        found = [item for c in self.clusters_at(pos, layer) for item in c.items
                 if item.key.start <= pos < item.key.end and (annotator is None or annotator in item.versions)]
        if not found:
            return None
        return min(found, key=lambda i: (i.key.end - i.key.start, -len(i.versions), i.key.label, i.key.start))

    def versions_at(self, pos: int, layer: str | None = None) -> dict[str, list[Version]]:
        """Each annotator's version of the span(s) at ``pos`` (the innermost cluster there)."""
        clusters = self.clusters_at(pos, layer)
        if not clusters:
            return {name: [] for name in self.annotators}
        return clusters[0].versions

    def score(self) -> float | None:
        """Exact span F1 over all layers, labels and annotator pairs (None with fewer than 2 annotators)."""
        if len(self.annotators) < 2:
            return None
        matches = spans = 0
        count = {name: 0 for name in self.annotators}
        for item in self.items:
            for name in item.versions:
                count[name] += 1
            k = len(item.versions)
            matches += k * (k - 1) // 2
        for a, b in combinations(self.annotators, 2):
            spans += count[a] + count[b]
        return 2 * matches / spans if spans else None


@dataclass(frozen=True)
class ArticleReview:
    """One line of the review list."""

    doc_id: str
    title: str
    statuses: dict[str, str]  # annotator -> progress status, for those who took part
    disagreements: int
    open: int  # disagreements not settled yet
    agreed: int  # items every annotator has identically
    gold_spans: int
    gold_status: str
    score: float | None  # Comparison.score()
    version: int | None = None  # the article's change number it reflects (None: not the list's own comparison)
    compared: bool = False  # compared just now, not read from the stored rows
    pending: bool = False  # who took part and gold's status only: the figures wait for ``compare_row``

    @property
    def settled(self) -> bool:
        """The reviewer marked the article's gold version done."""
        return self.gold_status == "done"

    def stored(self) -> tuple:
        """The row as ``Store.save_review_rows`` takes it."""
        return (self.doc_id, self.version, json.dumps(self.statuses), self.disagreements, self.open, self.agreed,
                self.gold_spans, self.gold_status, self.score)


@dataclass(frozen=True)
class LinkNote:
    """A link as a message names it: "ATTACK —AGENT→ Azerbaijan"."""

    head: SpanKey
    role: str
    tail: SpanKey
    tail_text: str

    def __str__(self) -> str:
        return f"{self.head.label} —{self.role}→ {self.tail_text}"


@dataclass(frozen=True)
class Decision:
    """What one review step did to gold, for the message that follows it."""

    spans: list[Span]  # gold spans copied
    waiting: list[LinkNote] = field(default_factory=list)  # the copied spans' links whose argument is still open
    went: list[LinkNote] = field(default_factory=list)  # links out of gold, or no longer on their way to it
    after: Comparison | None = None  # the article as the step left it (the screen redraws from it)


# -- building comparisons ---------------------------------------------------------------------------


def _cluster_layer(layer: str, items: list[Item], names: tuple[str, ...]) -> list[Cluster]:
    clusters: list[Cluster] = []
    for item in sorted(items, key=lambda i: (i.key.start, -i.key.end, i.key.label)):
        if clusters and item.key.start < clusters[-1].end:
            clusters[-1].items.append(item)
            clusters[-1].end = max(clusters[-1].end, item.key.end)
        else:
            clusters.append(Cluster(layer, item.key.start, item.key.end, [item], names))
    return clusters


_SHAPES = frozenset({"boundary", "label", "missing"})
_DETAILS = frozenset({"actor", "attrs", "links"})
_KINDS = ("boundary", "label", "missing", "actor", "attrs", "links")


def _kinds(cluster: Cluster, bit: dict[str, int]) -> tuple[str, ...]:
    """How the annotators differ in the cluster (see the module notes), for each item and each annotator
    without it: ``missing`` when they have no alternative there (a span over it that not all of its
    holders also have), ``label`` when an alternative has its extent, else ``boundary`` (and ``label``
    too when none of the alternatives has its label). Who holds an item is a bit mask over the
    annotators (``bit``: each one's), so a team of 200 costs a few integer operations per pair of
    items, not a loop."""
    names = cluster.annotators
    if len(names) < 2:
        return ()
    kinds: set[str] = set()
    for item in cluster.items:
        if len(item.versions) >= 2 and not kinds >= _DETAILS:
            actors, attrs, links = zip(*(v.details for v in item.versions.values()))
            for kind, values in (("actor", actors), ("attrs", attrs), ("links", links)):
                if len(set(values)) > 1:
                    kinds.add(kind)
    everyone = (1 << len(names)) - 1
    held = [(item.key, sum(bit[name] for name in item.versions)) for item in cluster.items]
    for key, holders in held:
        if holders == everyone:
            continue
        alternatives = same_extent = same_label = 0  # who has an alternative of each sort
        for other, theirs in held:
            if other.start < key.end and key.start < other.end and holders & ~theirs:
                alternatives |= theirs
                if (other.start, other.end) == (key.start, key.end):
                    same_extent |= theirs
                elif other.label == key.label:
                    same_label |= theirs
        lacking = everyone & ~holders
        if lacking & ~alternatives:
            kinds.add("missing")
        if lacking & same_extent:
            kinds.add("label")
        elsewhere = lacking & alternatives & ~same_extent  # their alternatives all have another extent
        if elsewhere:
            kinds.add("boundary")
            if elsewhere & ~same_label:
                kinds.add("label")
        if kinds >= _SHAPES:
            break
    return tuple(k for k in _KINDS if k in kinds)


def _state(item: Item, gold_same_key: Span | None, gold_layer: list[Span], rejected: frozenset[SpanKey],
           item_keys: set[SpanKey] | dict) -> str:
    if gold_same_key is not None:
        return "gold"
    if item.key in rejected:
        return "rejected"
    for g in gold_layer:
        if (g.start, g.end) == (item.key.start, item.key.end):
            return "superseded"  # the reviewer chose another label for this text
        if g.start < item.key.end and item.key.start < g.end and SpanKey.of(g) not in item_keys:
            return "superseded"  # the reviewer's own version, which no annotator had
    return "open"


def _build(doc_id: str, names: Sequence[str], statuses: dict[str, str], spans: list[Span], links: list[Link],
           gold: list[Span], rejected: frozenset[SpanKey]) -> Comparison:
    names = tuple(sorted(names))
    taking_part = set(names)
    keys = {s.id: SpanKey(s.layer, s.label, s.start, s.end) for s in spans}
    by_id = {s.id: s for s in spans}
    link_views: dict[int, list[LinkView]] = defaultdict(list)
    for link in links:
        head, tail = by_id.get(link.head), by_id.get(link.tail)
        if head is None or tail is None:
            continue
        link_views[head.id].append(LinkView(link.role, "out", keys[tail.id], tail.text))
        link_views[tail.id].append(LinkView(link.role, "in", keys[head.id], head.text))
    items: dict[SpanKey, Item] = {}
    for span in sorted(spans, key=lambda s: s.id):
        if span.annotator not in taking_part:
            continue
        key = keys[span.id]
        item = items.get(key)
        if item is None:
            item = items[key] = Item(key, span.text, {})
        if span.annotator not in item.versions:  # an annotator's duplicate of a span counts once
            views = link_views.get(span.id, ())
            if len(views) > 1:
                views = sorted(views, key=lambda v: (v.direction, v.role, v.other))
            item.versions[span.annotator] = Version(span.annotator, span, tuple(views))
    gold_by_key: dict[SpanKey, Span] = {}
    gold_by_layer: dict[str, list[Span]] = defaultdict(list)
    for g in sorted(gold, key=lambda s: s.id):
        gold_by_key.setdefault(SpanKey.of(g), g)
        gold_by_layer[g.layer].append(g)
    by_layer: dict[str, list[Item]] = defaultdict(list)
    for item in items.values():
        item.gold = gold_by_key.get(item.key)
        item.state = _state(item, item.gold, gold_by_layer[item.key.layer], rejected, items)
        by_layer[item.key.layer].append(item)
    clusters: list[Cluster] = []
    bit = {name: 1 << i for i, name in enumerate(names)}
    for layer, layer_items in by_layer.items():
        for cluster in _cluster_layer(layer, layer_items, names):
            cluster.kinds = _kinds(cluster, bit)
            cluster.gold = [g for g in gold_by_layer[layer] if g.start < cluster.end and cluster.start < g.end]
            clusters.append(cluster)
    clusters.sort(key=lambda c: (c.start, -c.end, c.layer))
    return Comparison(doc_id, names, {n: statuses.get(n, "todo") for n in names}, clusters,
                      sorted(gold, key=lambda s: (s.start, -s.end, s.id)), rejected)


def waiting_links(cmp: Comparison) -> list[LinkNote]:
    """Links of gold spans that wait for their argument: the gold span's source annotator linked it to
    a span that has no gold copy yet and is still open (taking that span into gold adds the link)."""
    gold_keys = {SpanKey.of(g) for g in cmp.gold}
    versions = {(name, item.key): v for item in cmp.items for name, v in item.versions.items()}
    out = []
    for g in cmp.gold:
        source = versions.get((g.origin.get("from"), SpanKey.of(g)))
        if source is None:  # made by hand in gold, or its source's span is gone
            continue
        for role, tail in sorted(source.links_out):
            item = cmp.item(tail)
            if tail not in gold_keys and item is not None and item.state == "open":
                out.append(LinkNote(SpanKey.of(g), role, tail, item.text))
    return out


def _gold_links(store: Store, cmp: Comparison) -> set[LinkNote]:
    by_id = {g.id: g for g in cmp.gold}
    return {LinkNote(SpanKey.of(by_id[link.head]), link.role, SpanKey.of(by_id[link.tail]), by_id[link.tail].text)
            for link in store.links(cmp.doc_id, GOLD) if link.head in by_id and link.tail in by_id}


def _decide(store: Store, doc_id: str, reviewer: str, action: str, write) -> Decision:
    """Run ``write(comparison)`` (it returns the gold spans it copied) as one journal batch, and say which
    of the copied spans' links wait and which links went: in gold or waiting before, neither after."""
    _check_reviewer(reviewer)
    with store.transaction():
        before = compare(store, doc_id)
        had = _gold_links(store, before) | set(waiting_links(before))
        with store.action(action, GOLD, doc_id, by=reviewer):
            copied = write(before)
        after = compare(store, doc_id)
        waiting = waiting_links(after)
        went = had - _gold_links(store, after) - set(waiting)
        _store_row(store, after)
    keys = {SpanKey.of(g) for g in copied}
    order = lambda note: (note.head.start, note.head.label, note.role, note.tail.start)  # noqa: E731
    return Decision(copied, sorted((w for w in waiting if w.head in keys), key=order), sorted(went, key=order),
                    after)


def rejected_spans(store: Store, doc_id: str) -> frozenset[SpanKey]:
    """Spans the reviewers rejected in this article."""
    return frozenset(SpanKey(*key) for key in store.rejections(doc_id))


_TITLES = {"review_pick": "pick version", "review_accept": "accept into gold",
           "review_reject": "reject", "review_agreed": "accept agreed spans",
           "status_done": "mark gold settled", "status_doing": "unsettle gold"}


def action_title(action: str | None) -> str | None:
    """A journal action name as a person reads it ("review_agreed" -> "accept agreed spans")."""
    if action is None:
        return None
    return _TITLES.get(action, action.replace("_", " "))


def _statuses(store: Store, doc_ids: Sequence[str]) -> dict[str, dict[str, str]]:
    out: dict[str, dict[str, str]] = defaultdict(dict)
    if not doc_ids:
        return out
    for i in range(0, len(doc_ids), 500):
        chunk = list(doc_ids[i:i + 500])
        for doc_id, annotator, status in store.conn.execute(
                f"SELECT doc_id, annotator, status FROM progress WHERE doc_id IN ({', '.join('?' for _ in chunk)})",
                chunk):
            out[doc_id][annotator] = status
    return out


def _comparison(store: Store, doc_id: str, names: Sequence[str], statuses: dict[str, str] | None = None
                ) -> Comparison:
    """The article's comparison among ``names``, read from the store (its spans, links, rejections and,
    unless given, everyone's progress ``statuses`` there)."""
    spans = store.spans(doc_id)
    taking_part = set(names)
    if statuses is None:
        statuses = _statuses(store, [doc_id]).get(doc_id, {})
    return _build(doc_id, names, statuses,
                  [s for s in spans if s.annotator in taking_part],
                  [link for link in store.links(doc_id) if link.annotator in taking_part],
                  [s for s in spans if s.annotator == GOLD], rejected_spans(store, doc_id))


def compare(store: Store, doc_id: str, *, status: str = "any", annotators: Sequence[str] | None = None) -> Comparison:
    """Every human annotator's spans in the article, merged and grouped (see the module notes).

    ``status``: who takes part, as in agreement ("any": anyone with a span there or
    who marked it done; "done": only those who marked it done). ``annotators``
    narrows the comparison to those names.
    """
    store.get_document(doc_id)  # a clear error for an unknown article
    names = participants(store, status, [doc_id]).get(doc_id, [])
    if annotators is not None:
        names = [n for n in names if n in set(annotators)]
    return _comparison(store, doc_id, names)


def _row(cmp: Comparison, title: str, gold_status: str, version: int | None) -> ArticleReview:
    found = cmp.disagreements()
    return ArticleReview(cmp.doc_id, title, dict(cmp.statuses), len(found),
                         sum(1 for c in found if not c.settled), len(cmp.agreed), len(cmp.gold), gold_status,
                         cmp.score(), version, compared=True)


def _stored_row(doc_id: str, title: str, version: int, row: tuple) -> ArticleReview:
    """A row as ``Store.review_rows`` gives it."""
    return ArticleReview(doc_id, title, json.loads(row[0]), *row[1:], version=version)


def _store_row(store: Store, cmp: Comparison) -> None:
    """Store the article's list row as a review step leaves it, in the step's transaction: the list
    then reads it on return instead of comparing every annotator's spans again."""
    version = store.review_rows([cmp.doc_id])[cmp.doc_id][0]
    store.save_review_rows([_row(cmp, "", store.progress(cmp.doc_id, GOLD).status, version).stored()])


def save_rows(store: Store, rows: Iterable[ArticleReview]) -> None:
    """Store the review-list rows just compared, so the list reads them next time while their articles
    stay unchanged (one transaction)."""
    fresh = [row.stored() for row in rows if row.compared and row.version is not None]
    if fresh:
        store.save_review_rows(fresh)


def listed_rows(store: Store, docs: Sequence[tuple[str, str, int]], *, status: str = "any"
                ) -> list[ArticleReview | str]:
    """The review-list rows of ``docs`` ((id, title, seq), as ``document_pages`` gives them), in order, from
    a few indexed reads and no comparison: with ``status`` "any" (the list's own), the row stored for an
    article unchanged since (``save_rows``); for the others a *pending* row (who took part, their
    statuses and gold's) whose figures ``compare_row`` gives. The id of each article nobody took part in."""
    stored = store.review_rows([doc_id for doc_id, _, _ in docs])  # read before what it vouches for
    own = status == "any"
    todo = [doc_id for doc_id, _, _ in docs if not (own and stored[doc_id][1])]
    taking_part = participants(store, status, todo) if todo else {}
    statuses = _statuses(store, todo)
    out: list[ArticleReview | str] = []
    for doc_id, title, _ in docs:
        version, row = stored.get(doc_id, (0, None))  # (gone meanwhile: nobody takes part now)
        names = taking_part.get(doc_id)
        if own and row is not None:
            out.append(_stored_row(doc_id, title, version, row))
        elif names:
            found = statuses.get(doc_id, {})
            out.append(ArticleReview(doc_id, title, {name: found.get(name, "todo") for name in names}, 0, 0, 0, 0,
                                     found.get(GOLD, "todo"), None, version if own else None, pending=True))
        else:
            out.append(doc_id)
    return out


def compare_row(store: Store, row: ArticleReview) -> ArticleReview:
    """A pending row's figures: its article compared among those who took part (spans read, compared and
    let go: memory holds one article whatever the corpus)."""
    cmp = _comparison(store, row.doc_id, list(row.statuses), row.statuses)
    return _row(cmp, row.title, row.gold_status, row.version)


def article_reviews(store: Store, docs: Sequence[tuple[str, str, int]], *, status: str = "any",
                    chunk: int = 200) -> Iterator[ArticleReview | str]:
    """``listed_rows`` of ``docs`` with every pending row compared, ``chunk`` articles at a time."""
    for first in range(0, len(docs), chunk):
        for row in listed_rows(store, docs[first:first + chunk], status=status):
            yield compare_row(store, row) if isinstance(row, ArticleReview) and row.pending else row


def document_pages(store: Store, size: int = 200, after: int = -1) -> Iterator[list[tuple[str, str, int]]]:
    """Every article's (id, title, seq) in import order (those after import position ``after``), ``size`` at
    a time (one short read each: no query stays open while the pages are worked on)."""
    seq = after
    while True:
        page = store.conn.execute("SELECT id, title, seq FROM documents WHERE seq > ? ORDER BY seq LIMIT ?",
                                  (seq, size)).fetchall()
        if not page:
            return
        seq = page[-1][2]
        yield page


def documents_by_id(store: Store, doc_ids: Sequence[str]) -> list[tuple[str, str, int]]:
    """(id, title, seq) of the articles ``doc_ids`` that exist, in import order."""
    found = []
    for i in range(0, len(doc_ids), 500):
        chunk = list(doc_ids[i:i + 500])
        found += store.conn.execute(
            f"SELECT id, title, seq FROM documents WHERE id IN ({', '.join('?' for _ in chunk)})", chunk).fetchall()
    return sorted(found, key=lambda row: row[2])


def review_list(store: Store, *, status: str = "any") -> list[ArticleReview]:
    """The review list: every article someone took part in, in import order."""
    return [row for page in document_pages(store) for row in article_reviews(store, page, status=status)
            if isinstance(row, ArticleReview)]


# -- settling into gold -----------------------------------------------------------------------------


def _check_reviewer(reviewer: str) -> None:
    if not reviewer or not reviewer.strip() or reviewer == GOLD:
        raise TandaiError("review needs the reviewer's name")


def _reject(store: Store, doc_id: str, keys: Iterable[SpanKey], reviewer: str) -> None:
    for key in keys:
        store.reject_for_gold(doc_id, *key, by=reviewer)


def _origin(item: Item, version: Version, reviewer: str) -> dict[str, Any]:
    return {"annotators": item.annotators, "reviewer": reviewer, "from": version.annotator}


def _copy(store: Store, cmp: Comparison, picks: Sequence[tuple[Item, Version]], reviewer: str,
          gold: Iterable[Span]) -> list[Span]:
    """Copy versions into gold (updating a gold span with the same key), with their links."""
    gold_by_key: dict[SpanKey, Span] = {}
    for g in sorted(gold, key=lambda s: s.id):
        gold_by_key.setdefault(SpanKey.of(g), g)
    copied: dict[SpanKey, tuple[Span, Version]] = {}
    for item, version in picks:
        span = version.span
        existing = gold_by_key.get(item.key)
        origin = _origin(item, version, reviewer)
        if existing is not None:
            g = store.update_span(existing.id, GOLD, by=reviewer, action="review_copy",
                                  actor_id=span.actor_id, attrs=span.attrs, origin=origin)
        else:
            g = store.add_span(cmp.doc_id, GOLD, span.layer, span.label, span.start, span.end,
                               actor_id=span.actor_id, attrs=span.attrs, origin=origin, by=reviewer)
        if item.key in cmp.rejected:
            store.unreject_for_gold(cmp.doc_id, *item.key, by=reviewer)  # taken after all
        gold_by_key[item.key] = g
        copied[item.key] = (g, version)
    current = {(link.head, link.tail, link.role): link.id for link in store.links(cmp.doc_id, GOLD)}
    # Copied heads get exactly their source's outgoing links (to tails that are in gold).
    for key, (g, version) in copied.items():
        desired = {(gold_by_key[tail].id, role) for role, tail in version.links_out if tail in gold_by_key}
        have = {(tail, role): link_id for (head, tail, role), link_id in current.items() if head == g.id}
        for tail_id, role in sorted(desired - set(have)):
            store.add_link(g.id, tail_id, role, GOLD, by=reviewer)
        for (tail_id, role), link_id in sorted(have.items()):
            if (tail_id, role) not in desired:
                store.delete_link(link_id, GOLD, by=reviewer)
    # Gold heads copied earlier gain their source's links to the tails copied now.
    versions = {(name, item.key): v for item in cmp.items for name, v in item.versions.items()}
    for key, g in gold_by_key.items():
        if key in copied:
            continue
        source = versions.get((g.origin.get("from"), key))
        if source is None:
            continue
        for role, tail in sorted(source.links_out):
            if tail in copied and (g.id, copied[tail][0].id, role) not in current:
                store.add_link(g.id, copied[tail][0].id, role, GOLD, by=reviewer)
    return [g for g, _ in copied.values()]


def _first_version(cmp: Comparison, item: Item, annotator: str | None) -> Version:
    if annotator is not None:
        if annotator not in item.versions:
            raise TandaiError(f"{annotator} has no {item.key.label} span at {item.key.start}-{item.key.end}")
        return item.versions[annotator]
    return item.versions[next(n for n in cmp.annotators if n in item.versions)]


def pick(store: Store, doc_id: str, annotator: str, reviewer: str, *, pos: int, layer: str | None = None) -> Decision:
    """Settle the disagreement at ``pos`` with ``annotator``'s version (digit N in the review screen).

    Gold's spans there become exactly the annotator's spans there (with their
    actor, attributes and links); every other version there is recorded as
    rejected. If the annotator has no span there, gold ends up with none.
    """
    def write(cmp: Comparison) -> list[Span]:
        if annotator not in cmp.annotators:
            raise TandaiError(f"{annotator} did not annotate this article"
                              + (f" (annotators: {', '.join(cmp.annotators)})" if cmp.annotators else ""))
        clusters = cmp.clusters_at(pos, layer)
        if not clusters:
            raise TandaiError(f"no annotator has a span at {pos}")
        cluster = clusters[0]
        mine = cluster.versions[annotator]
        mine_keys = {v.key for v in mine}
        keep = []
        for g in cluster.gold:
            if SpanKey.of(g) in mine_keys:
                keep.append(g)
            else:
                store.delete_span(g.id, GOLD, by=reviewer)
        others = [g for g in cmp.gold if g not in cluster.gold]
        copied = _copy(store, cmp, [(cluster.item(v.key), v) for v in mine], reviewer, [*others, *keep])
        _reject(store, doc_id, [item.key for item in cluster.items if item.key not in mine_keys], reviewer)
        return copied

    return _decide(store, doc_id, reviewer, "review_pick", write)


def accept(store: Store, doc_id: str, key: Iterable, reviewer: str, *, annotator: str | None = None) -> Decision:
    """Copy one span into gold (``y``): ``annotator``'s version, or the first annotator's who has it."""
    key = SpanKey(*key)

    def write(cmp: Comparison) -> list[Span]:
        item = cmp.item(key)
        if item is None:
            raise TandaiError(f"no annotator has a {key.label} span at {key.start}-{key.end}")
        return _copy(store, cmp, [(item, _first_version(cmp, item, annotator))], reviewer, cmp.gold)

    return _decide(store, doc_id, reviewer, "review_accept", write)


def reject(store: Store, doc_id: str, key: Iterable, reviewer: str) -> Decision:
    """Reject a span (``x``): gold loses its copy, if any (with its links), and the rejection is recorded."""
    key = SpanKey(*key)

    def write(cmp: Comparison) -> list[Span]:
        copies = [g for g in cmp.gold if SpanKey.of(g) == key]
        if cmp.item(key) is None and not copies:
            raise TandaiError(f"no {key.label} span at {key.start}-{key.end} to reject")
        for g in copies:
            store.delete_span(g.id, GOLD, by=reviewer)
        _reject(store, doc_id, [key], reviewer)
        return []

    return _decide(store, doc_id, reviewer, "review_reject", write)


def accept_agreed(store: Store, doc_id: str, reviewer: str) -> Decision:
    """Copy into gold every span all annotators have identically and that is not decided yet (``M``)."""
    def write(cmp: Comparison) -> list[Span]:
        todo = [item for item in cmp.agreed if item.state == "open"]
        return _copy(store, cmp, [(item, _first_version(cmp, item, None)) for item in todo], reviewer, cmp.gold)

    return _decide(store, doc_id, reviewer, "review_agreed", write)


def settle(store: Store, doc_id: str, reviewer: str) -> bool:
    """Mark the article's gold version done, or back to doing if it was (``d`` on the review screen);
    one journal batch, so ``undo`` takes it back. Returns whether it is settled now."""
    _check_reviewer(reviewer)
    with store.transaction():
        version, row = store.review_rows([doc_id])[doc_id]
        settled = store.progress(doc_id, GOLD).status != "done"
        store.set_status(doc_id, GOLD, "done" if settled else "doing", by=reviewer)
        if row is not None:  # the stored list row stays true but for gold's status: no need to compare again
            version = store.review_rows([doc_id])[doc_id][0]
            store.save_review_rows([replace(_stored_row(doc_id, "", version, row),
                                            gold_status="done" if settled else "doing").stored()])
    return settled


def undo(store: Store, doc_id: str, reviewer: str) -> str | None:
    """Undo the last change to gold in the article; returns what was undone, for a message."""
    _check_reviewer(reviewer)
    return action_title(store.undo(GOLD, doc_id, by=reviewer))


def redo(store: Store, doc_id: str, reviewer: str) -> str | None:
    _check_reviewer(reviewer)
    return action_title(store.redo(GOLD, doc_id, by=reviewer))
