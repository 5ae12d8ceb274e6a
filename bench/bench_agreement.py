"""Agreement over 1,000 articles with three annotators each (target: under 5 s).

The articles are the five bundled seeds, copied with a numbered line added so
each has its own text and id. Each annotator's spans derive from one random
"truth" per article (about 30 entities, 6 events, 3 claims): each span is kept,
moved by a token, relabelled or dropped at random, plus a few of their own.
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

from annotations.agreement import agreement, format_report  # noqa: E402
from annotations.corpus import Article, bundled_seeds, import_articles  # noqa: E402
from annotations.review import review_list  # noqa: E402
from annotations.store import Store, now  # noqa: E402

LABELS = {
    "entity": ["PER", "ORG", "GPE", "LOC", "NORP", "DATE", "QUANTITY"],
    "event": ["ATTACK", "CEASEFIRE", "TALKS", "CASUALTIES"],
    "claim": ["ACCUSATION", "DENIAL", "STATEMENT"],
}
PER_LAYER = {"entity": (30, 3), "event": (6, 1), "claim": (3, 12)}  # spans per article, max tokens per span


def build(path: Path, articles: int, annotators: int, seed: int = 1) -> None:
    rng = random.Random(seed)
    seeds = bundled_seeds()
    with Store(path) as store:
        batch = [Article(text=f"{seeds[i % len(seeds)].text}\n(salinan {i})", title=f"{seeds[i % len(seeds)].title} #{i}")
                 for i in range(articles)]
        import_articles(store, batch)
        names = [f"annotator{k}" for k in range(annotators)]
        for name in names:
            store.ensure_annotator(name)
        stamp = now()
        spans, progress = [], []
        for doc_id, text, tokens in store.conn.execute("SELECT id, text, tokens FROM documents").fetchall():
            tokens = json.loads(tokens)
            n = len(tokens)
            truth = []
            for layer, (count, width) in PER_LAYER.items():
                for _ in range(count):
                    first = rng.randrange(n - width)
                    truth.append((layer, rng.choice(LABELS[layer]), first, first + rng.randrange(width)))
            for name in names:
                mine = []
                for layer, label, first, last in truth:
                    roll = rng.random()
                    if roll < 0.08:
                        continue  # missed
                    if roll < 0.16:
                        first = max(0, first - 1)  # boundary
                    elif roll < 0.22:
                        label = rng.choice(LABELS[layer])  # label
                    mine.append((layer, label, first, last))
                for _ in range(2):
                    layer = rng.choice(list(LABELS))
                    first = rng.randrange(n - 2)
                    mine.append((layer, rng.choice(LABELS[layer]), first, first + rng.randrange(2)))
                for layer, label, first, last in mine:
                    start, end = tokens[first][0], tokens[last][1]
                    spans.append((doc_id, name, layer, label, start, end, text[start:end], stamp, stamp))
                progress.append((doc_id, name, "done", stamp))
        with store.transaction():
            store.conn.executemany(
                "INSERT INTO spans(doc_id, annotator, layer, label, start, end, text, created_at, updated_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", spans)
            store.conn.executemany("INSERT INTO progress(doc_id, annotator, status, updated_at) VALUES (?, ?, ?, ?)",
                                   progress)
        print(f"fixture: {articles} articles, {annotators} annotators, {len(spans):,} spans,"
              f" {sum(len(json.loads(t)) for (t,) in store.conn.execute('SELECT tokens FROM documents')):,} tokens")


def timed(label: str, fn, repeat: int = 3):
    best, result = None, None
    for _ in range(repeat):
        started = time.perf_counter()
        result = fn()
        elapsed = time.perf_counter() - started
        best = elapsed if best is None else min(best, elapsed)
    print(f"{label}: {best:.2f} s (best of {repeat})")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--annotators", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.db"
        started = time.perf_counter()
        build(path, args.articles, args.annotators)
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


if __name__ == "__main__":
    main()
