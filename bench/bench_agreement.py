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

from annotations.agreement import agreement  # noqa: E402
from annotations.agreement_table import format_report  # noqa: E402
from annotations.actors import seed_actors  # noqa: E402
from annotations.corpus import Article, bundled_seeds, import_articles  # noqa: E402
from annotations.review import review_list  # noqa: E402
from annotations.store import Store, now  # noqa: E402

LABELS = {
    "entity": ["PER", "ORG", "GPE", "LOC", "NORP", "DATE", "QUANTITY"],
    "event": ["ATTACK", "CEASEFIRE", "TALKS", "CASUALTIES"],
    "claim": ["ACCUSATION", "DENIAL", "STATEMENT"],
}
PER_LAYER = {"entity": (30, 3), "event": (6, 1), "claim": (3, 12)}  # spans per article, max tokens per span
ROLES = {"event": ["AGENT", "TARGET", "PLACE", "TIME"], "claim": ["CLAIMANT", "TARGET"]}
ATTRIBUTES = {"event": {"modality": ["asserted", "claimed", "hypothetical"], "polarity": ["positive", "negative"]},
              "claim": {"stance": ["affirm", "refute"]}}
ACTORS = ["ARM_GOV", "ARM_MIL", "AZE_GOV", "AZE_MIL"]


def build(path: Path, articles: int, annotators: int, seed: int = 1) -> None:
    rng = random.Random(seed)
    seeds = bundled_seeds()
    with Store(path) as store:
        batch = [Article(text=f"{seeds[i % len(seeds)].text}\n(salinan {i})", title=f"{seeds[i % len(seeds)].title} #{i}")
                 for i in range(articles)]
        import_articles(store, batch)
        seed_actors(store)
        names = [f"annotator{k}" for k in range(annotators)]
        for name in names:
            store.ensure_annotator(name)
        stamp = now()
        spans, links, progress = [], [], []
        span_id = 0
        for doc_id, text, tokens in store.conn.execute("SELECT id, text, tokens FROM documents").fetchall():
            tokens = json.loads(tokens)
            n = len(tokens)
            truth = []
            for layer, (count, width) in PER_LAYER.items():
                for _ in range(count):
                    first = rng.randrange(n - width)
                    attrs = {k: rng.choice(v) for k, v in ATTRIBUTES.get(layer, {}).items()}
                    actor = rng.choice(ACTORS) if layer == "entity" and rng.random() < 0.33 else None
                    truth.append((layer, rng.choice(LABELS[layer]), first, first + rng.randrange(width), attrs, actor))
            entities = [i for i, t in enumerate(truth) if t[0] == "entity"]
            arguments = [(i, rng.choice(ROLES[t[0]]), rng.choice(entities)) for i, t in enumerate(truth)
                         if t[0] in ROLES for _ in range(rng.randint(2, 3))]
            for name in names:
                ids = {}
                for i, (layer, label, first, last, attrs, actor) in enumerate(truth):
                    roll = rng.random()
                    if roll < 0.08:
                        continue  # missed
                    if roll < 0.16:
                        first = max(0, first - 1)  # boundary
                    elif roll < 0.22:
                        label = rng.choice(LABELS[layer])  # label
                    if attrs and rng.random() < 0.15:
                        key = rng.choice(list(attrs))
                        attrs = {**attrs, key: rng.choice(ATTRIBUTES[layer][key])}
                    if actor and rng.random() < 0.1:
                        actor = rng.choice(ACTORS)
                    span_id += 1
                    ids[i] = span_id
                    start, end = tokens[first][0], tokens[last][1]
                    spans.append((span_id, doc_id, name, layer, label, start, end, text[start:end], actor,
                                  json.dumps(attrs), stamp, stamp))
                for _ in range(2):
                    layer = rng.choice(list(LABELS))
                    first = rng.randrange(n - 2)
                    span_id += 1
                    start, end = tokens[first][0], tokens[first + rng.randrange(2)][1]
                    spans.append((span_id, doc_id, name, layer, rng.choice(LABELS[layer]), start, end,
                                  text[start:end], None, "{}", stamp, stamp))
                seen = set()
                for head, role, tail in arguments:
                    if head not in ids or tail not in ids or rng.random() < 0.1:
                        continue
                    if rng.random() < 0.1:
                        role = rng.choice(ROLES[truth[head][0]])  # role
                    if (head, role, tail) not in seen:
                        seen.add((head, role, tail))
                        links.append((doc_id, name, ids[head], ids[tail], role, stamp))
                progress.append((doc_id, name, "done", stamp))
        with store.transaction():
            store.conn.executemany(
                "INSERT INTO spans(id, doc_id, annotator, layer, label, start, end, text, actor_id, attrs,"
                " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", spans)
            store.conn.executemany("INSERT INTO links(doc_id, annotator, head, tail, role, created_at)"
                                   " VALUES (?, ?, ?, ?, ?, ?)", links)
            store.conn.executemany("INSERT INTO progress(doc_id, annotator, status, updated_at) VALUES (?, ?, ?, ?)",
                                   progress)
        print(f"fixture: {articles} articles, {annotators} annotators, {len(spans):,} spans, {len(links):,} links,"
              f" {sum(len(json.loads(t)) for (t,) in store.conn.execute('SELECT tokens FROM documents')):,} tokens")


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
        for summary in report.pair_summaries():
            print(f"  {'/'.join(summary.pair)}: links F1 overlap {summary.links.f1_overlap:.3f}"
                  f" ({summary.links.spans:,} links), attributes kappa {summary.attributes.kappa:.3f}"
                  f" ({summary.attributes.pairs:,} pairs), actors alike {summary.actors.agreement:.3f}"
                  f" ({summary.actors.pairs:,} pairs)")


if __name__ == "__main__":
    main()
