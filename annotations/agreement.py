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
"""
from __future__ import annotations

import json
from bisect import bisect_left, bisect_right
from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from itertools import combinations
from typing import Any

from .display import safe_text
from .errors import TandaiError
from .tokens import tokens_from_json

OUTSIDE = "O"
STATUS_CHOICES = ("done", "any")

# -- the measures, on plain data --------------------------------------------------------------


def kappa_from_confusion(confusion: Counter) -> float | None:
    """Cohen's kappa from counts of (label_a, label_b) pairs."""
    n = sum(confusion.values())
    if n == 0:
        return None
    agree = 0
    rows: Counter = Counter()
    cols: Counter = Counter()
    for (a, b), count in confusion.items():
        if a == b:
            agree += count
        rows[a] += count
        cols[b] += count
    p_o = agree / n
    p_e = sum(rows[k] * cols.get(k, 0) for k in rows) / (n * n)
    if p_e >= 1.0:
        return None
    return (p_o - p_e) / (1.0 - p_e)


def cohen_kappa(a: Sequence[Hashable], b: Sequence[Hashable]) -> float | None:
    """Cohen's kappa of two equally long label sequences."""
    if len(a) != len(b):
        raise ValueError("kappa needs two sequences of the same length")
    return kappa_from_confusion(Counter(zip(a, b)))


@dataclass
class AlphaCounts:
    """What Krippendorff's alpha (nominal) needs, summable over articles."""

    units: int = 0  # units with at least two values (pairable)
    disagreement: float = 0.0  # sum over units of (m_u^2 - sum_c n_uc^2) / (m_u - 1)
    values: Counter = field(default_factory=Counter)  # n_c over pairable units

    def add_unit(self, unit: Iterable[Hashable | None], times: int = 1) -> None:
        counts = Counter(v for v in unit if v is not None)
        m = sum(counts.values())
        if m < 2:
            return
        self.units += times
        self.disagreement += times * (m * m - sum(c * c for c in counts.values())) / (m - 1)
        for value, c in counts.items():
            self.values[value] += times * c

    def __iadd__(self, other: "AlphaCounts") -> "AlphaCounts":
        self.units += other.units
        self.disagreement += other.disagreement
        self.values.update(other.values)
        return self

    @property
    def pairable(self) -> int:
        return sum(self.values.values())

    @property
    def alpha(self) -> float | None:
        n = self.pairable
        expected = n * n - sum(c * c for c in self.values.values())
        if n < 2 or expected == 0:
            return None
        return 1.0 - (n - 1) * self.disagreement / expected


def krippendorff_alpha(units: Iterable[Sequence[Hashable | None]]) -> float | None:
    """Krippendorff's alpha (nominal); each unit lists every coder's value, ``None`` where missing."""
    counts = AlphaCounts()
    for unit in units:
        counts.add_unit(unit)
    return counts.alpha


SpanTriple = tuple[str, int, int]  # (label, start, end)


def overlap_matches(a: Iterable[SpanTriple], b: Iterable[SpanTriple]) -> list[tuple[SpanTriple, SpanTriple]]:
    """One-to-one matching of same-label spans that share a character, greedy by the largest overlap."""
    by_label: dict[str, list[SpanTriple]] = defaultdict(list)
    for span in sorted(set(b), key=lambda s: (s[1], s[2], s[0])):
        by_label[span[0]].append(span)
    candidates = []
    for sa in sorted(set(a), key=lambda s: (s[1], s[2], s[0])):
        for sb in by_label.get(sa[0], ()):
            if sb[1] >= sa[2]:
                break
            common = min(sa[2], sb[2]) - max(sa[1], sb[1])
            if common > 0:
                candidates.append((-common, sa[1], sa[2], sb[1], sb[2], sa, sb))
    candidates.sort(key=lambda c: c[:5])
    used_a: set = set()
    used_b: set = set()
    pairs = []
    for *_, sa, sb in candidates:
        if sa in used_a or sb in used_b:
            continue
        used_a.add(sa)
        used_b.add(sb)
        pairs.append((sa, sb))
    return pairs


@dataclass
class SpanScore:
    """Span counts behind an F1 figure."""

    spans_a: int = 0
    spans_b: int = 0
    exact: int = 0  # matched pairs, exact boundaries
    overlap: int = 0  # matched pairs, overlap matching

    @property
    def spans(self) -> int:
        return self.spans_a + self.spans_b

    @property
    def f1_exact(self) -> float | None:
        return 2 * self.exact / self.spans if self.spans else None

    @property
    def f1_overlap(self) -> float | None:
        return 2 * self.overlap / self.spans if self.spans else None

    def __iadd__(self, other: "SpanScore") -> "SpanScore":
        self.spans_a += other.spans_a
        self.spans_b += other.spans_b
        self.exact += other.exact
        self.overlap += other.overlap
        return self

    def to_dict(self) -> dict[str, Any]:
        return {"f1_exact": _round(self.f1_exact), "f1_overlap": _round(self.f1_overlap),
                "spans_a": self.spans_a, "spans_b": self.spans_b,
                "exact_matches": self.exact, "overlap_matches": self.overlap}


def span_scores(a: Iterable[SpanTriple], b: Iterable[SpanTriple]) -> dict[str, SpanScore]:
    """Per label: exact and overlap matches of two annotators' spans (one layer, one article)."""
    sa, sb = set(a), set(b)
    scores: dict[str, SpanScore] = defaultdict(SpanScore)
    for label, _, _ in sa:
        scores[label].spans_a += 1
    for label, _, _ in sb:
        scores[label].spans_b += 1
    for label, _, _ in sa & sb:
        scores[label].exact += 1
    for (label, _, _), _ in overlap_matches(sa, sb):
        scores[label].overlap += 1
    return dict(scores)


def token_labels(tokens: Sequence[tuple[int, int]], spans: Iterable[SpanTriple],
                 _starts: list[int] | None = None, _ends: list[int] | None = None) -> list[str]:
    """The label of each token in one layer: the covering span's, or ``O`` (see the module notes)."""
    labels = [OUTSIDE] * len(tokens)
    if not tokens:
        return labels
    starts = _starts if _starts is not None else [s for s, _ in tokens]
    ends = _ends if _ends is not None else [e for _, e in tokens]
    # Paint the winners last: shortest first, then later starts, then later labels (two stable sorts).
    by_label = sorted(set(spans), key=lambda s: s[0], reverse=True)
    for label, start, end in sorted(by_label, key=lambda s: (s[2] - s[1], -s[1])):
        i = bisect_right(ends, start)
        j = bisect_left(starts, end)
        if i < j:
            labels[i:j] = [label] * (j - i)
    return labels


# -- per article, and summed -----------------------------------------------------------------


@dataclass
class PairLayer:
    """One annotator pair in one layer."""

    articles: int = 0
    confusion: Counter = field(default_factory=Counter)
    labels: dict[str, SpanScore] = field(default_factory=dict)

    @property
    def tokens(self) -> int:
        return sum(self.confusion.values())

    @property
    def kappa(self) -> float | None:
        return kappa_from_confusion(self.confusion)

    @property
    def total(self) -> SpanScore:
        total = SpanScore()
        for score in self.labels.values():
            total += score
        return total

    def __iadd__(self, other: "PairLayer") -> "PairLayer":
        self.articles += other.articles
        self.confusion.update(other.confusion)
        for label, score in other.labels.items():
            mine = self.labels.setdefault(label, SpanScore())
            mine += score
        return self


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

    def to_dict(self) -> dict[str, Any]:
        return {
            "layer": self.layer,
            "articles": self.articles,
            "alpha": _round(self.alpha),
            "alpha_units": self.alpha_counts.units,
            "alpha_values": self.alpha_counts.pairable,
            **{k: v for k, v in self.total.to_dict().items() if k.startswith("f1")},
            "spans": self.total.spans,
            "labels": {label: {k: v for k, v in self.label_total(label).to_dict().items()} for label in self.labels},
            "pairs": [
                {
                    "a": a, "b": b, "articles": pair.articles, "tokens": pair.tokens,
                    "kappa": _round(pair.kappa), **pair.total.to_dict(),
                    "labels": {label: score.to_dict() for label, score in sorted(pair.labels.items())},
                }
                for (a, b), pair in sorted(self.pairs.items())
            ],
        }


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
    layers: dict[str, LayerAgreement]
    annotators: tuple[str, ...] = ()
    compared: int = 0  # articles with >= 2 annotators
    single: int = 0  # articles with one annotator: left out
    unannotated: int = 0  # articles nobody took part in
    articles: list[ArticleAgreement] = field(default_factory=list)  # filled with by_article=True

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "status": self.status,
            "annotators": list(self.annotators),
            "articles": {"compared": self.compared, "single_annotator": self.single, "unannotated": self.unannotated},
            "layers": {name: layer.to_dict() for name, layer in self.layers.items()},
        }
        if self.articles:
            out["by_article"] = [a.to_dict() for a in self.articles]
        return out

    def to_json(self) -> str:
        """JSON in ASCII: names and titles from data reach a terminal as \\u escapes, never as control codes."""
        return json.dumps(self.to_dict(), indent=2)


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def article_agreement(tokens: Sequence[tuple[int, int]], spans: dict[str, dict[str, set[SpanTriple]]],
                      layers: Sequence[str]) -> dict[str, LayerAgreement]:
    """Agreement in one article. ``spans``: annotator -> layer -> {(label, start, end)}; every
    annotator in it took part (an empty dict is an annotator who annotated nothing)."""
    names = sorted(spans)
    starts = [s for s, _ in tokens]
    ends = [e for _, e in tokens]
    out: dict[str, LayerAgreement] = {}
    for layer in layers:
        result = LayerAgreement(layer, articles=1)
        labels = {name: token_labels(tokens, spans[name].get(layer, ()), starts, ends) for name in names}
        for a, b in combinations(names, 2):
            pair = PairLayer(articles=1, confusion=Counter(zip(labels[a], labels[b])),
                             labels=span_scores(spans[a].get(layer, ()), spans[b].get(layer, ())))
            result.pairs[(a, b)] = pair
        if len(names) >= 2:
            for unit, times in Counter(zip(*(labels[name] for name in names))).items():
                result.alpha_counts.add_unit(unit, times)
        out[layer] = result
    return out


# -- from the store -------------------------------------------------------------------------------


def participants(db, status: str = "done", doc_ids: Sequence[str] | None = None) -> dict[str, list[str]]:
    """Article id -> the human annotators who took part in it (see the module notes), sorted."""
    if status not in STATUS_CHOICES:
        raise TandaiError(f"status must be one of {', '.join(STATUS_CHOICES)}")
    found: dict[str, set[str]] = defaultdict(set)
    where = ""
    params: list[Any] = []
    if doc_ids is not None:
        if not doc_ids:
            return {}
        where = f" AND x.doc_id IN ({', '.join('?' for _ in doc_ids)})"
        params = list(doc_ids)
    for row in db.query(
        "SELECT x.doc_id, x.annotator FROM progress x JOIN annotators a ON a.name = x.annotator"
        f" WHERE a.kind = 'human' AND x.status = 'done'{where}", params
    ):
        found[row["doc_id"]].add(row["annotator"])
    if status == "any":
        for row in db.query(
            "SELECT DISTINCT x.doc_id, x.annotator FROM spans x JOIN annotators a ON a.name = x.annotator"
            f" WHERE a.kind = 'human'{where}", params
        ):
            found[row["doc_id"]].add(row["annotator"])
    return {doc: sorted(names) for doc, names in found.items()}


def _chunks(items: Sequence[str], size: int = 500) -> Iterable[Sequence[str]]:
    for i in range(0, len(items), size):
        yield items[i:i + size]


def agreement(store, *, status: str = "done", layer: str | None = None, by_article: bool = False,
              doc_ids: Sequence[str] | None = None) -> AgreementReport:
    """Agreement over the database (or the articles ``doc_ids``); see the module notes."""
    scheme = store.scheme
    if layer is not None:
        scheme.layer(layer)  # unknown layer: a one-line error
        layers = [layer]
    else:
        layers = list(scheme.layers)
    db = store.db
    taking_part = participants(db, status, doc_ids)
    total_docs = len(doc_ids) if doc_ids is not None else store.count_documents()
    compared = {doc: names for doc, names in taking_part.items() if len(names) >= 2}
    report = AgreementReport(
        status=status,
        layers={name: LayerAgreement(name) for name in layers},
        annotators=tuple(sorted({n for names in compared.values() for n in names})),
        compared=len(compared),
        single=sum(1 for names in taking_part.values() if len(names) == 1),
    )
    report.unannotated = total_docs - report.compared - report.single
    if not compared:
        return report

    ordered = [row["id"] for row in db.query("SELECT id FROM documents ORDER BY seq") if row["id"] in compared]
    spans: dict[str, dict[str, dict[str, set[SpanTriple]]]] = {
        doc: {name: {} for name in names} for doc, names in compared.items()
    }
    layer_filter = "" if layer is None else " AND s.layer = ?"
    for chunk in _chunks(ordered):
        marks = ", ".join("?" for _ in chunk)
        params: list[Any] = list(chunk) + ([layer] if layer is not None else [])
        for doc_id, name, lay, label, start, end in db.execute(
            "SELECT s.doc_id, s.annotator, s.layer, s.label, s.start, s.end FROM spans s"
            f" WHERE s.doc_id IN ({marks}){layer_filter}", params
        ).fetchall():
            per = spans[doc_id].get(name)
            if per is not None:
                per.setdefault(lay, set()).add((label, start, end))
        for doc_id, title, tokens in db.execute(
            f"SELECT id, title, tokens FROM documents WHERE id IN ({marks})", list(chunk)
        ).fetchall():
            result = article_agreement(tokens_from_json(tokens, doc_id), spans[doc_id], layers)
            for name in layers:
                report.layers[name] += result[name]
            if by_article:
                report.articles.append(ArticleAgreement(doc_id, title, tuple(compared[doc_id]), result))
    if by_article:
        order = {doc: i for i, doc in enumerate(ordered)}
        report.articles.sort(key=lambda a: order[a.doc_id])
    return report


# -- the table ---------------------------------------------------------------------------------------


def _fmt(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def _table(header: Sequence[str], rows: Sequence[Sequence[str]], right: set[int]) -> list[str]:
    rows = [[safe_text(c) for c in row] for row in rows]  # names and titles from data, aligned as shown
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    lines = []
    for row in [header, *rows]:
        cells = [str(c).rjust(w) if i in right else str(c).ljust(w) for i, (c, w) in enumerate(zip(row, widths))]
        lines.append("  ".join(cells).rstrip())
    return lines


def format_report(report: AgreementReport) -> str:
    """The plain-text tables ``tandai agreement`` prints."""
    lines = [
        f"articles: {report.compared} compared (2 or more annotators, status {report.status}),"
        f" {report.single} left out with one annotator, {report.unannotated} with none",
    ]
    if report.annotators:
        lines.append(f"annotators: {', '.join(report.annotators)}")
    if not report.compared:
        lines.append("nothing to compare: agreement needs articles that two or more annotators"
                     + (" marked done" if report.status == "done" else " annotated")
                     + (" (try --status any)" if report.status == "done" else ""))
        return "\n".join(lines)

    rows = []
    for name, layer in report.layers.items():
        for label in layer.labels:
            for (a, b), pair in sorted(layer.pairs.items()):
                score = pair.labels.get(label)
                if score is None or not score.spans:
                    continue
                rows.append((name, label, f"{a}/{b}", _fmt(score.f1_exact), _fmt(score.f1_overlap), str(score.spans)))
            if len(layer.pairs) > 1:
                score = layer.label_total(label)
                rows.append((name, label, "all pairs", _fmt(score.f1_exact), _fmt(score.f1_overlap), str(score.spans)))
        for (a, b), pair in sorted(layer.pairs.items()):
            score = pair.total
            rows.append((name, "all labels", f"{a}/{b}", _fmt(score.f1_exact), _fmt(score.f1_overlap), str(score.spans)))
        if len(layer.pairs) > 1:
            score = layer.total
            rows.append((name, "all labels", "all pairs", _fmt(score.f1_exact), _fmt(score.f1_overlap), str(score.spans)))
    lines += ["", "span F1 per label and annotator pair (spans: both annotators' spans behind the figure)"]
    lines += _table(("layer", "label", "pair", "F1 exact", "F1 overlap", "spans"), rows, {3, 4, 5})

    rows = []
    for name, layer in report.layers.items():
        for (a, b), pair in sorted(layer.pairs.items()):
            rows.append((name, "kappa", f"{a}/{b}", _fmt(pair.kappa), str(pair.tokens), str(pair.articles)))
        rows.append((name, "alpha", "all annotators", _fmt(layer.alpha), str(layer.alpha_counts.units),
                     str(layer.articles)))
    lines += ["", "token agreement per layer (Cohen's kappa per pair, Krippendorff's alpha across annotators)"]
    lines += _table(("layer", "measure", "annotators", "value", "tokens", "articles"), rows, {3, 4, 5})

    if report.articles:
        rows = []
        for art in report.articles:
            title = art.title if len(art.title) <= 16 else art.title[:15] + "…"  # the table fits 80 columns
            for name, layer in art.layers.items():
                total = layer.total
                rows.append((art.doc_id, title, name, _fmt(total.f1_exact), _fmt(total.f1_overlap),
                             _fmt(layer.alpha), str(layer.alpha_counts.units)))
        lines += ["", "per article (F1 over all labels and pairs; --json gives annotators and every figure)"]
        lines += _table(("article", "title", "layer", "F1 exact", "F1 overlap", "alpha", "tokens"),
                        rows, {3, 4, 5, 6})
    return "\n".join(lines)
