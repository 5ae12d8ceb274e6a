"""Handing out articles (``tandai assign``): every article to one annotator, a share of them to two.

The articles given to two are the overlap that ``tandai agreement`` measures.
Which articles overlap, and who gets what, is drawn from a random generator
seeded with ``seed``: the same articles, names, overlap and seed give the same
plan. Loads are balanced: each article goes to whoever has fewest so far (ties
in an order drawn once from the seed). Work is never taken away: an annotator
who has started or finished an article (status doing or done, or spans there)
keeps it, and counts towards its one or two annotators.
"""
from __future__ import annotations

import random
from collections.abc import Mapping, Sequence

from .errors import TandaiError
from .identifiers import check_identifier


def plan_assignments(doc_ids: Sequence[str], names: Sequence[str], *, overlap: float = 0.2, seed: int = 0,
                     kept: Mapping[str, set[str]] | None = None) -> dict[str, list[str]]:
    """Article id -> the annotators it goes to, sorted. ``kept``: article -> annotators who keep it."""
    for name in names:
        check_identifier(name, "annotator name")
    if not names:
        raise TandaiError("name at least one annotator to assign articles to")
    if len(set(names)) != len(names):
        raise TandaiError("each annotator may be named once")
    if not 0.0 <= overlap <= 1.0:
        raise TandaiError(f"--overlap must be between 0 and 1, not {overlap}")
    kept = kept or {}
    rng = random.Random(seed)
    order = list(doc_ids)
    rng.shuffle(order)
    doubles = round(overlap * len(order)) if len(names) >= 2 else 0
    rank = {name: i for i, name in enumerate(rng.sample(list(names), len(names)))}
    load = dict.fromkeys(names, 0)
    plan: dict[str, list[str]] = {}
    # Articles someone keeps go first, so the others balance around them.
    for doc_id in order:
        for name in kept.get(doc_id, ()):
            if name in load:
                load[name] += 1
    for i, doc_id in enumerate(order):
        given = set(kept.get(doc_id, ()))
        wanted = 2 if i < doubles else 1
        for _ in range(wanted - len(given & set(names))):
            free = [name for name in names if name not in given]
            if not free:
                break
            pick = min(free, key=lambda name: (load[name], rank[name]))
            given.add(pick)
            load[pick] += 1
        plan[doc_id] = sorted(given)
    return plan
