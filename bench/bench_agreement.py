"""Agreement over 1,000 articles with three annotators each (target: under 5 s).

The articles are the five bundled seeds, copied with a numbered line added so
each has its own text and id. Each annotator's spans derive from one random
"truth" per article (about 30 entities, 6 events, 3 claims): each span is kept,
moved by a token, relabelled or dropped at random, plus a few of their own.
The truth also links each event and claim to two or three arguments (a role
changed now and then), gives events and claims attributes and a third of the
entities an actor id, which each annotator copies with some changes.
The fixture rows go in with plain SQL (executemany) to keep setup short; the
timed part is the library call ``tandai agreement`` makes.

    python bench/bench_agreement.py [--articles 1000] [--annotators 3]
"""
from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from annotations.agreement import agreement  # noqa: E402
from annotations.agreement_table import format_report  # noqa: E402
from annotations.review import review_list  # noqa: E402
from annotations.store import Store  # noqa: E402
from synthetic import annotated_db  # noqa: E402

def timed(label: str, fn, repeat: int = 3):
    """Best wall-clock time of ``repeat`` runs, and that run's CPU time (which other processes on a
    busy machine inflate much less)."""
    best, cpu, result = None, None, None
    for _ in range(repeat):
        started, started_cpu = time.perf_counter(), time.process_time()
        result = fn()
        elapsed = time.perf_counter() - started
        if best is None or elapsed < best:
            best, cpu = elapsed, time.process_time() - started_cpu
    print(f"{label}: {best:.2f} s (best of {repeat}; CPU {cpu:.2f} s)")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--annotators", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.db"
        started = time.perf_counter()
        annotated_db(path, args.articles, args.annotators)
        print(f"setup: {time.perf_counter() - started:.1f} s (not part of the figures)")
        with Store(path) as store:
            report = timed("agreement (all layers)", lambda: agreement(store))
            timed("agreement --by-article", lambda: agreement(store, by_article=True))
            timed("agreement --layer entity", lambda: agreement(store, layer="entity"))
            timed("agreement table + JSON", lambda: (format_report(report), report.to_json()))
            rows = timed("review list (compare every article)", lambda: review_list(store), repeat=1)
        print(f"review list: {len(rows)} articles, {sum(r.disagreements for r in rows):,} disagreements")
        for name, layer in report.layers.items():
            total = layer.total
            print(f"  {name}: F1 exact {total.f1_exact:.3f}, overlap {total.f1_overlap:.3f},"
                  f" alpha {layer.alpha:.3f} over {layer.alpha_counts.units:,} tokens")
        for summary in report.pair_summaries():
            print(f"  {'/'.join(summary.pair)}: links F1 overlap {summary.links.f1_overlap:.3f}"
                  f" ({summary.links.spans:,} links), attributes kappa {summary.attributes.kappa:.3f}"
                  f" ({summary.attributes.pairs:,} pairs), actors alike {summary.actors.agreement:.3f}"
                  f" ({summary.actors.pairs:,} pairs)")


if __name__ == "__main__":
    main()
