"""Export speed: 10,000 annotated synthetic articles, prodigy and spacy (and the other formats for reference).

Prints articles per second for each export, and for spaCy the ratio to spaCy
alone building and serialising the same Docs (``Doc(words, spaces)``, span
groups, ents, user_data, ``DocBin.add`` and ``to_bytes``), so the cost of
tandai's own work (reading the store, checks, the report) is visible.
Figures only, no asserts.

    python bench/bench_export.py [--articles 10000] [--db PATH] [--keep]
"""
from __future__ import annotations

import argparse
import io
import random
import sys
import tempfile
import time
from pathlib import Path

from annotations.corpus import Article, import_articles
from annotations.export import export
from annotations.records import Actor
from annotations.store import Store

PEOPLE = ["Vladimir Putin", "Ilham Aliyev", "Nikol Pashinyan", "Sergei Lavrov", "Mike Pompeo", "Jeyhun Bayramov"]
PLACES = ["Stepanakert", "Baku", "Yerevan", "Ganja", "Moskow", "Shusha", "Goris", "Jenewa"]
FORCES = [("pasukan Azerbaijan", "AZE_MIL"), ("pasukan Armenia", "ARM_MIL"), ("tentara separatis", "NKR_MIL")]
FILLER = ("Menurut laporan kantor berita setempat , situasi di wilayah itu masih tegang dan warga memilih "
          "bertahan di tempat perlindungan sementara para diplomat terus berupaya meredakan konflik .").split()
ACTORS = [Actor("AZE_MIL", "Azerbaijani armed forces"), Actor("ARM_MIL", "Armenian armed forces"),
          Actor("NKR_MIL", "Artsakh defence army"), Actor("ARM_GOV", "Armenian government")]


def synthetic(n: int, seed: int = 0):
    """(text, spans, links): ~12 sentences, ~25 spans and ~10 links per article, with offsets."""
    rng = random.Random(seed)
    for i in range(n):
        parts: list[str] = []
        spans: list[tuple] = []  # (layer, label, start, end, actor, attrs)
        links: list[tuple[int, int, str]] = []
        pos = 0

        def add(text: str, span: tuple | None = None) -> int | None:
            nonlocal pos
            if parts:
                parts.append(" ")
                pos += 1
            parts.append(text)
            index = None
            if span is not None:
                layer, label, actor, attrs = span
                spans.append((layer, label, pos, pos + len(text), actor, attrs))
                index = len(spans) - 1
            pos += len(text)
            return index

        add(f"Laporan {i}")
        for _ in range(12):
            kind = rng.random()
            if kind < 0.45:
                force, actor = rng.choice(FORCES)
                a = add(force, ("entity", "ORG", actor, {}))
                e = add("menyerang", ("event", "ATTACK", None, {"modality": "asserted"}))
                p = add(rng.choice(PLACES), ("entity", "GPE", None, {}))
                add("pada")
                d = add(f"Senin ({rng.randint(1, 28)}/10/2020)", ("entity", "DATE", None, {}))
                add(".")
                links += [(e, a, "AGENT"), (e, p, "PLACE"), (e, d, "TIME")]
            elif kind < 0.7:
                s = add(rng.choice(PEOPLE), ("entity", "PER", None, {}))
                add("mengatakan")
                c0 = pos + 1
                q = add(f"{rng.randint(2, 900)} warga sipil", ("entity", "QUANTITY", None, {}))
                ev = add("tewas", ("event", "CASUALTIES", None, {}))
                add("di")
                g = add(rng.choice(PLACES), ("entity", "GPE", None, {}))
                spans.append(("claim", "CASUALTY_REPORT", c0, pos, None, {"stance": "affirm"}))
                c = len(spans) - 1
                add(".")
                links += [(ev, q, "COUNT"), (ev, g, "PLACE"), (c, s, "CLAIMANT"), (c, ev, "ABOUT")]
            else:
                start = rng.randrange(0, len(FILLER) - 12)
                add(" ".join(FILLER[start:start + rng.randint(8, 12)]))
                add(".")
            if rng.random() < 0.2:
                parts.append("\n\n")
                pos += 2
        yield "".join(parts), spans, links


def build(path: Path, n: int) -> float:
    started = time.perf_counter()
    store = Store(path)
    store.add_actors(ACTORS)
    data = list(synthetic(n))
    import_articles(store, [Article(text=t, title=t.split(" ", 2)[1]) for t, _, _ in data])
    with store.transaction():
        for text, spans, links in data:
            doc_id = store.find_document_by_text(text)
            with store.action("bench", "ana", doc_id):
                made = [store.add_span(doc_id, "ana", layer, label, s, e, actor_id=actor, attrs=attrs)
                        for layer, label, s, e, actor, attrs in spans]
                for h, t, role in links:
                    store.add_link(made[h].id, made[t].id, role, "ana")
                store.set_status(doc_id, "ana", "done")
    store.close()
    return time.perf_counter() - started


def spacy_alone(store: Store) -> tuple[float, int]:
    """spaCy building and serialising the same Docs, from prepared words, spaces and token offsets."""
    from spacy.tokens import Doc, DocBin, Span
    from spacy.vocab import Vocab

    from annotations.export.common import longest_first
    from annotations.export.prodigy import spacy_words
    from annotations.export.select import iter_records, select

    prepared = []
    for rec in iter_records(store, select(store, annotator="ana")):
        words = spacy_words(rec.doc.text, rec.doc.tokens)
        start_at = {w[0]: i for i, w in enumerate(words)}
        end_at = {w[1]: i + 1 for i, w in enumerate(words)}
        spans = [(s.layer, start_at[s.start], end_at[s.end], s.label, s.actor_id or "") for s in rec.spans]
        ents = {s.id for s in longest_first(x for x in rec.spans if x.layer == "entity")[0]}
        links = [{"head": [lk.head.start, lk.head.end], "tail": [lk.tail.start, lk.tail.end], "role": lk.role}
                 for lk in rec.links]
        prepared.append(([rec.doc.text[s:e] for s, e, _ in words], [ws for _, _, ws in words], spans,
                         [i for i, s in enumerate(rec.spans) if s.id in ents], links))
    vocab = Vocab()
    started = time.perf_counter()
    docbin = DocBin(attrs=["ORTH", "ENT_IOB", "ENT_TYPE", "ENT_KB_ID"], store_user_data=True)
    for words, spaces, spans, ents, links in prepared:
        doc = Doc(vocab, words=words, spaces=spaces)
        made = [Span(doc, s, e, label=label, kb_id=kb) for _, s, e, label, kb in spans]
        for layer in ("entity", "event", "claim"):
            doc.spans[layer] = [m for m, sp in zip(made, spans) if sp[0] == layer]
        doc.ents = [made[i] for i in ents]
        doc.user_data["links"] = links
        docbin.add(doc)
    data = docbin.to_bytes()
    return time.perf_counter() - started, len(data)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--db", help="Use (or make) this database instead of a temporary one.")
    parser.add_argument("--keep", action="store_true", help="Keep the temporary directory.")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="tandai-bench-"))
    db = Path(args.db) if args.db else tmp / "bench.db"
    if not db.exists():
        seconds = build(db, args.articles)
        print(f"built {args.articles} annotated articles in {seconds:.1f}s ({db})")
    with Store(db) as store:
        n = store.count_documents()
        spans = store.conn.execute("SELECT count(*) FROM spans").fetchone()[0]
        links = store.conn.execute("SELECT count(*) FROM links").fetchone()[0]
        tokens = store.conn.execute("SELECT sum(json_array_length(tokens)) FROM documents").fetchone()[0]
        print(f"{n} articles, {spans} spans, {links} links, {tokens / n:.0f} tokens per article")
        results = {}
        for fmt in ("prodigy", "spacy", "dygiepp", "iob", "brat", "events-csv"):
            out = tmp / {"prodigy": "p.jsonl", "dygiepp": "d.jsonl", "events-csv": "e.csv"}.get(fmt, fmt)
            started = time.perf_counter()
            report = export(store, fmt, str(out), annotator="ana")
            seconds = time.perf_counter() - started
            results[fmt] = seconds
            print(f"{fmt:>10}: {len(report.articles) / seconds:8.0f} articles/s  ({seconds:.2f}s)")
        alone, size = spacy_alone(store)
        print(f"spaCy alone (Doc + spans + ents + DocBin.to_bytes, {size / 1e6:.1f} MB): "
              f"{n / alone:.0f} articles/s ({alone:.2f}s)")
        print(f"spacy export / spaCy alone: {results['spacy'] / alone:.2f}x the time")
    if not args.keep and not args.db:
        import shutil

        shutil.rmtree(tmp, ignore_errors=True)
    sys.stdout.flush()


if __name__ == "__main__":
    main()
