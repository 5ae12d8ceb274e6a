"""Export speed: 10,000 annotated synthetic articles, prodigy and spacy (and the other formats for reference).

Prints articles per second for each export (in one process, and with worker
processes where the export uses them), the CPU time per article, and for
spaCy the ratio to spaCy alone building and serialising the same Docs
(``Doc(words, spaces)``, span groups, ents, user_data, ``DocBin.add`` and
``to_bytes``), so the cost of tandai's own work (reading the store, checks,
the report) is visible. Also the load average: on a shared machine the wall
times move with it. Figures only, no asserts.

    python bench/bench_export.py [--articles 10000] [--db PATH] [--keep]
"""
from __future__ import annotations

import argparse
import contextlib
import os
import random
import sys
import tempfile
import time
from pathlib import Path

from annotations.corpus import Article, import_articles
from annotations.export import export, parallel
from annotations.export.select import select
from annotations.records import Actor
from annotations.store import Store, document_id

PARALLEL = ("prodigy", "spacy", "dygiepp", "events-csv")

PEOPLE = ["Vladimir Putin", "Ilham Aliyev", "Nikol Pashinyan", "Sergei Lavrov", "Mike Pompeo", "Jeyhun Bayramov"]
PLACES = ["Stepanakert", "Baku", "Yerevan", "Ganja", "Moskow", "Shusha", "Goris", "Jenewa"]
FORCES = [("pasukan Azerbaijan", "AZE_MIL"), ("pasukan Armenia", "ARM_MIL"), ("tentara separatis", "NKR_MIL")]
FILLER = ("menurut laporan kantor berita setempat , situasi di wilayah itu masih tegang dan warga memilih "
          "bertahan di tempat perlindungan sementara para diplomat terus berupaya meredakan konflik yang telah "
          "berlangsung selama beberapa pekan terakhir dengan korban di kedua belah pihak dan kerusakan berat pada "
          "rumah , sekolah serta jalan di sekitar garis depan").split()
ACTORS = [Actor("AZE_MIL", "Azerbaijani armed forces"), Actor("ARM_MIL", "Armenian armed forces"),
          Actor("NKR_MIL", "Artsakh defence army"), Actor("ARM_GOV", "Armenian government")]


def synthetic(n: int, seed: int = 0):
    """(text, spans, links) shaped like an annotated news article: ~25 sentences, ~450 tokens,
    ~30 spans (entities, a few events and claims) and ~12 links, some paragraphs."""
    rng = random.Random(seed)
    for i in range(n):
        parts: list[str] = []
        spans: list[tuple] = []  # (layer, label, start, end, actor, attrs)
        links: list[tuple[int, int, str]] = []
        pos = 0

        def add(text: str, span: tuple | None = None) -> int | None:
            nonlocal pos
            if parts and not parts[-1].endswith("\n"):
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

        def filler(k: int) -> None:
            start = rng.randrange(0, len(FILLER) - k)
            add(" ".join(FILLER[start:start + k]))

        add(f"Laporan {i} dari {rng.choice(PLACES)}")
        parts.append("\n\n")
        pos += 2
        for _ in range(25):
            kind = rng.random()
            if kind < 0.08:
                force, actor = rng.choice(FORCES)
                a = add(force, ("entity", "ORG", actor, {}))
                e = add("menyerang", ("event", "ATTACK", None, {"modality": "asserted"}))
                p = add(rng.choice(PLACES), ("entity", "GPE", None, {}))
                add("pada")
                d = add(f"Senin ({rng.randint(1, 28)}/10/2020)", ("entity", "DATE", None, {}))
                filler(rng.randint(4, 8))
                links += [(e, a, "AGENT"), (e, p, "PLACE"), (e, d, "TIME")]
            elif kind < 0.14:
                s = add(rng.choice(PEOPLE), ("entity", "PER", None, {}))
                add("mengatakan")
                c0 = pos + 1
                q = add(f"{rng.randint(2, 900)} warga sipil", ("entity", "QUANTITY", None, {}))
                ev = add("tewas", ("event", "CASUALTIES", None, {}))
                add("di")
                g = add(rng.choice(PLACES), ("entity", "GPE", None, {}))
                spans.append(("claim", "CASUALTY_REPORT", c0, pos, None, {"stance": "affirm"}))
                c = len(spans) - 1
                filler(rng.randint(3, 6))
                links += [(ev, q, "COUNT"), (ev, g, "PLACE"), (c, s, "CLAIMANT"), (c, ev, "ABOUT")]
            elif kind < 0.45:
                filler(rng.randint(5, 9))
                add(rng.choice(PLACES), ("entity", "GPE", None, {}))
                filler(rng.randint(4, 8))
            else:
                filler(rng.randint(12, 18))
            add(".")
            if rng.random() < 0.25:
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
            doc_id = document_id(text)
            with store.action("bench", "ana", doc_id):
                made = [store.add_span(doc_id, "ana", layer, label, s, e, actor_id=actor, attrs=attrs)
                        for layer, label, s, e, actor, attrs in spans]
                for h, t, role in links:
                    store.add_link(made[h].id, made[t].id, role, "ana")
                store.set_status(doc_id, "ana", "done")
    store.close()
    return time.perf_counter() - started


def spacy_alone(store: Store, cached: bool) -> tuple[float, int]:
    """spaCy building and serialising the same Docs, from prepared words, spaces and token offsets."""
    from spacy.tokens import DocBin
    from spacy.vocab import Vocab

    from annotations.export.common import gc_paused, longest_first
    from annotations.export.spacy_docbin import encoders_looked_up_once
    from annotations.export.prodigy import spacy_words
    from annotations.export.select import iter_records

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
    with contextlib.ExitStack() as stack:
        if cached:
            stack.enter_context(encoders_looked_up_once())
            stack.enter_context(gc_paused())
        data = _spacy_alone(vocab, docbin, prepared)
    return time.perf_counter() - started, len(data)


def _spacy_alone(vocab, docbin, prepared) -> bytes:
    from spacy.tokens import Doc, Span

    for words, spaces, spans, ents, links in prepared:
        doc = Doc(vocab, words=words, spaces=spaces)
        made = [Span(doc, s, e, label=label, kb_id=kb) for _, s, e, label, kb in spans]
        for layer in ("entity", "event", "claim"):
            doc.spans[layer] = [m for m, sp in zip(made, spans) if sp[0] == layer]
        doc.ents = [made[i] for i in ents]
        doc.user_data["links"] = links
        docbin.add(doc)
    return docbin.to_bytes()


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
        print(f"load average before: {', '.join(f'{x:.1f}' for x in os.getloadavg())} on {os.cpu_count()} CPU(s)")
        import spacy  # noqa: F401  (imported once, outside the timings)

        results = {}
        for fmt in ("prodigy", "spacy", "dygiepp", "iob", "brat", "events-csv"):
            out = tmp / {"prodigy": "p.jsonl", "dygiepp": "d.jsonl", "events-csv": "e.csv"}.get(fmt, fmt)
            n_workers = parallel.workers(store, select(store, annotator="ana"), None)
            modes = ([("one process", 10**12), (f"{n_workers} workers" if n_workers else "one process: too few"
                                                  " articles or CPUs for workers", None)]
                     if fmt in PARALLEL else [("one process", None)])
            for mode, parallel_from in modes:
                wall, cpu = time.perf_counter(), time.process_time()
                report = export(store, fmt, str(out), annotator="ana", parallel_from=parallel_from)
                wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
                results[(fmt, mode)] = wall
                cpu_note = f", {cpu / n * 1000:.2f} ms CPU per article" if mode == "one process" else ""
                print(f"{fmt:>10} ({mode}): {len(report.articles) / wall:6.0f} articles/s"
                      f"  ({wall:.2f}s{cpu_note})")
        alone, size = spacy_alone(store, cached=False)
        print(f"spaCy alone, as shipped (Doc + span groups + ents + user_data, DocBin.add + to_bytes,"
              f" {size / 1e6:.1f} MB): {n / alone:.0f} articles/s ({alone:.2f}s)")
        alone_cached, _ = spacy_alone(store, cached=True)
        print(f"spaCy alone, with tandai's two runtime settings (msgpack encoders looked up once, no cyclic GC):"
              f" {n / alone_cached:.0f} articles/s ({alone_cached:.2f}s)")
        one = results[("spacy", "one process")]
        print(f"spacy export (one process) / spaCy alone: {one / alone:.2f}x the time as shipped,"
              f" {one / alone_cached:.2f}x with the same settings (tandai's own share: reading the store,"
              f" checks, the report, and the train/dev split and files that spaCy alone does not write)")
        print(f"load average after: {', '.join(f'{x:.1f}' for x in os.getloadavg())}")
    if not args.keep and not args.db:
        import shutil

        shutil.rmtree(tmp, ignore_errors=True)
    sys.stdout.flush()


if __name__ == "__main__":
    main()
