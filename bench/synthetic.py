"""Synthetic corpora for the benchmarks: copies of the five bundled seeds, each made unique, and
teams of annotators over them (``annotated_db``).

Each copy gets a numbered closing line, so its cleaned text (and so its
document id) differs from every other copy while its size and its furniture
stay those of a real seed page.
"""
from __future__ import annotations

import json
import random
from collections.abc import Callable, Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"


def raw_seeds() -> list[str]:
    return [p.read_text("utf-8") for p in sorted(SEEDS.glob("*.txt"))]


def synthetic_raw(n: int, start: int = 0) -> Iterator[str]:
    """``n`` raw seed-sized pages, all different."""
    seeds = raw_seeds()
    for i in range(start, start + n):
        yield seeds[i % len(seeds)].rstrip("\n") + f"\n\nCatatan redaksi: salinan sintetis nomor {i} untuk pengujian.\n"


def write_txt_corpus(folder: Path, n: int) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for i, raw in enumerate(synthetic_raw(n)):
        (folder / f"{i:06d}.txt").write_text(raw, "utf-8")
    return folder


def write_jsonl_corpus(path: Path, n: int) -> Path:
    """One JSONL file of ``n`` already-clean articles (text, title, source, url, published)."""
    from annotations.corpus import clean_page

    with open(path, "w", encoding="utf-8") as fh:
        for i, raw in enumerate(synthetic_raw(n)):
            art = clean_page(raw)
            record = {"text": art.text, "title": art.title, "source": art.source,
                      "url": f"https://example.com/{i}", "published": art.published}
            fh.write(json.dumps(record, ensure_ascii=False) + "\n")
    return path


# -- a team's annotations --------------------------------------------------------------------------

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


def annotated_db(path: Path, articles: int, annotators: int, seed: int = 1) -> Path:
    """A team's database: ``articles`` copies of the seeds, each annotated by ``annotators`` people.

    Each annotator's spans derive from one random "truth" per article (about 30 entities, 6 events,
    3 claims): each span is kept, moved by a token, relabelled or dropped at random, plus a few of
    their own. The truth also links each event and claim to two or three arguments (a role changed
    now and then), gives events and claims attributes and a third of the entities an actor id, which
    each annotator copies with some changes. Rows go in with plain SQL (executemany), a few hundred
    articles at a time, so building 10,000 x 3 (1.14M spans) holds little in memory.
    """
    from annotations.actors import seed_actors
    from annotations.corpus import Article, bundled_seeds, import_articles
    from annotations.store import Store, now

    rng = random.Random(seed)
    seeds = bundled_seeds()
    with Store(path) as store:
        for first in range(0, articles, 1000):
            import_articles(store, [Article(text=f"{seeds[i % len(seeds)].text}\n(salinan {i})",
                                            title=f"{seeds[i % len(seeds)].title} #{i}")
                                    for i in range(first, min(articles, first + 1000))])
        seed_actors(store)
        names = [f"annotator{k}" for k in range(annotators)]
        for name in names:
            store.ensure_annotator(name)
        stamp = now()
        span_id = store.conn.execute("SELECT coalesce(max(id), 0) FROM spans").fetchone()[0]
        totals = [0, 0]
        docs = [row[0] for row in store.conn.execute("SELECT id FROM documents ORDER BY seq")]
        for first in range(0, len(docs), 200):
            spans, links, progress = [], [], []
            for doc_id in docs[first:first + 200]:
                text, tokens = store.conn.execute("SELECT text, tokens FROM documents WHERE id = ?",
                                                  (doc_id,)).fetchone()
                tokens = json.loads(tokens)
                n = len(tokens)
                truth = []
                for layer, (count, width) in PER_LAYER.items():
                    for _ in range(count):
                        start = rng.randrange(n - width)
                        attrs = {k: rng.choice(v) for k, v in ATTRIBUTES.get(layer, {}).items()}
                        actor = rng.choice(ACTORS) if layer == "entity" and rng.random() < 0.33 else None
                        truth.append((layer, rng.choice(LABELS[layer]), start, start + rng.randrange(width), attrs,
                                      actor))
                entities = [i for i, t in enumerate(truth) if t[0] == "entity"]
                arguments = [(i, rng.choice(ROLES[t[0]]), rng.choice(entities)) for i, t in enumerate(truth)
                             if t[0] in ROLES for _ in range(rng.randint(2, 3))]
                for name in names:
                    ids = {}
                    for i, (layer, label, start, last, attrs, actor) in enumerate(truth):
                        roll = rng.random()
                        if roll < 0.08:
                            continue  # missed
                        if roll < 0.16:
                            start = max(0, start - 1)  # boundary
                        elif roll < 0.22:
                            label = rng.choice(LABELS[layer])  # label
                        if attrs and rng.random() < 0.15:
                            key = rng.choice(list(attrs))
                            attrs = {**attrs, key: rng.choice(ATTRIBUTES[layer][key])}
                        if actor and rng.random() < 0.1:
                            actor = rng.choice(ACTORS)
                        span_id += 1
                        ids[i] = span_id
                        begin, end = tokens[start][0], tokens[last][1]
                        spans.append((span_id, doc_id, name, layer, label, begin, end, text[begin:end], actor,
                                      json.dumps(attrs), stamp, stamp))
                    for _ in range(2):
                        layer = rng.choice(list(LABELS))
                        start = rng.randrange(n - 2)
                        span_id += 1
                        begin, end = tokens[start][0], tokens[start + rng.randrange(2)][1]
                        spans.append((span_id, doc_id, name, layer, rng.choice(LABELS[layer]), begin, end,
                                      text[begin:end], None, "{}", stamp, stamp))
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
                store.conn.executemany("INSERT INTO progress(doc_id, annotator, status, updated_at)"
                                       " VALUES (?, ?, ?, ?)", progress)
            totals[0] += len(spans)
            totals[1] += len(links)
        store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    print(f"fixture: {articles:,} articles, {annotators} annotators, {totals[0]:,} spans, {totals[1]:,} links",
          flush=True)
    return path


def cached_db(cache: Path, name: str, build: Callable[[Path], object]) -> Path:
    """``cache/name.db``, made by ``build(path)`` once (a marker file says it was finished) and reused."""
    cache.mkdir(parents=True, exist_ok=True)
    path = cache / f"{name}.db"
    done = cache / f"{name}.ok"
    if path.exists() and done.exists():
        return path
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    build(path)
    done.write_text("ok")
    return path


def cached_annotated_db(cache: Path, articles: int, annotators: int) -> Path:
    """``annotated_db`` built once into ``cache`` and reused."""
    return cached_db(cache, f"team-{articles}x{annotators}",
                     lambda path: annotated_db(path, articles, annotators))
