"""The measures behind ``tandai agreement``, on plain data: Cohen's kappa, Krippendorff's alpha
(nominal), span matching and span F1 (definitions in ``annotations.agreement``)."""
from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

OUTSIDE = "O"


def rounded(value: float | None) -> float | None:
    """A figure as JSON carries it: four decimals, None where undefined."""
    return None if value is None else round(value, 4)


# -- the measures, on plain data --------------------------------------------------------------


def kappa_from_confusion(confusion: Counter) -> float | None:
    """Cohen's kappa from counts of (label_a, label_b) pairs."""
    counts = TokenCounts()
    for (a, b), count in confusion.items():
        counts.tokens += count
        counts.alike += count if a == b else 0
        counts.a[a] += count
        counts.b[b] += count
    return counts.kappa


@dataclass
class TokenCounts:
    """What Cohen's kappa of two annotators' labels needs, summable over articles: how many items, how
    many they labelled alike, and how often each gave each label."""

    tokens: int = 0
    alike: int = 0
    a: Counter = field(default_factory=Counter)
    b: Counter = field(default_factory=Counter)

    @property
    def kappa(self) -> float | None:
        n = self.tokens
        if n == 0:
            return None
        p_o = self.alike / n
        p_e = sum(count * self.b.get(label, 0) for label, count in self.a.items()) / (n * n)
        if p_e >= 1.0:
            return None
        return (p_o - p_e) / (1.0 - p_e)

    def __iadd__(self, other: "TokenCounts") -> "TokenCounts":
        self.tokens += other.tokens
        self.alike += other.alike
        self.a.update(other.a)
        self.b.update(other.b)
        return self


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
        return {"f1_exact": rounded(self.f1_exact), "f1_overlap": rounded(self.f1_overlap),
                "spans_a": self.spans_a, "spans_b": self.spans_b,
                "exact_matches": self.exact, "overlap_matches": self.overlap}


def span_scores(a: Iterable[SpanTriple], b: Iterable[SpanTriple],
                matches: list[tuple[SpanTriple, SpanTriple]] | None = None) -> dict[str, SpanScore]:
    """Per label: exact and overlap matches of two annotators' spans (one layer, one article);
    ``matches``: their ``overlap_matches`` if already known."""
    sa, sb = set(a), set(b)
    scores: dict[str, SpanScore] = defaultdict(SpanScore)
    for label, _, _ in sa:
        scores[label].spans_a += 1
    for label, _, _ in sb:
        scores[label].spans_b += 1
    for label, _, _ in sa & sb:
        scores[label].exact += 1
    for (label, _, _), _ in (overlap_matches(sa, sb) if matches is None else matches):
        scores[label].overlap += 1
    return dict(scores)


def covered_labels(spans: Iterable[SpanTriple], starts: list[int], ends: list[int]) -> dict[int, str]:
    """Index -> label of the tokens the spans cover in one layer (the others are ``O``): where spans overlap on
    a token, the longest wins, then the one starting first, then the alphabetically first label."""
    labels: dict[int, str] = {}
    # Paint the winners last: shortest first, then later starts, then later labels (two stable sorts; the
    # first compares the triples themselves, label first).
    by_label = sorted(set(spans), reverse=True)
    for label, start, end in sorted(by_label, key=lambda s: (s[2] - s[1], -s[1])):
        for t in range(bisect_right(ends, start), bisect_left(starts, end)):
            labels[t] = label
    return labels


def token_labels(tokens: Sequence[tuple[int, int]], spans: Iterable[SpanTriple],
                 _starts: list[int] | None = None, _ends: list[int] | None = None) -> list[str]:
    """The label of each token in one layer: the covering span's, or ``O`` (see the module notes)."""
    labels = [OUTSIDE] * len(tokens)
    if not tokens:
        return labels
    starts = _starts if _starts is not None else [s for s, _ in tokens]
    ends = _ends if _ends is not None else [e for _, e in tokens]
    for t, label in covered_labels(spans, starts, ends).items():
        labels[t] = label
    return labels
