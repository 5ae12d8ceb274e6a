"""Pre-tagging speed: building the default pipeline, and tagging a store against a bare nlp.pipe.

    python bench/bench_pretag.py [--n 2000] [--builds 5] [--runs 5]

Build times are medians over fresh subprocesses (nothing cached in memory),
given without and with `import spacy`; spacy.blank("id") is built the same way
for comparison. Throughput tags N seed-sized articles in a fresh database with
annotations.pretag.tag_documents (read from the store, pipeline, suggestions
written back) and runs nlp.pipe with the same pipeline over the same texts;
tag_documents runs twice: in one process (workers=0) and in forked workers,
one per core; ``tandai tag`` uses workers from ``pretag.PARALLEL_FROM``
articles when the load average leaves cores free (``fork_pool.free_cores``),
and the last lines say which it would use here and now.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from pretag_versions import cpu_seconds  # noqa: E402
from synthetic import synthetic_raw  # noqa: E402

BUILD_DEFAULT = """
import json, time
t0 = time.perf_counter()
import spacy
t1 = time.perf_counter()
import annotations.pretag as pretag
t2, c2 = time.perf_counter(), time.process_time()
nlp = pretag.build_pipeline()
nlp("Presiden Rusia Vladimir Putin tiba di Moskow.")
t3, c3 = time.perf_counter(), time.process_time()
print(json.dumps({"import_spacy": t1 - t0, "import_pretag": t2 - t1, "build": t3 - t2, "build_cpu": c3 - c2}))
"""

BUILD_BLANK = """
import json, time
import spacy
t1 = time.perf_counter()
nlp = spacy.blank("id")
nlp("Presiden Rusia Vladimir Putin tiba di Moskow.")
print(json.dumps({"build": time.perf_counter() - t1}))
"""


def in_subprocess(code: str) -> dict:
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=2000)
    parser.add_argument("--builds", type=int, default=5)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    runs = [in_subprocess(BUILD_DEFAULT) for _ in range(args.builds)]
    blank = [in_subprocess(BUILD_BLANK)["build"] for _ in range(args.builds)]
    med = {k: statistics.median(r[k] for r in runs) for k in runs[0]}
    print(f"import spacy: {med['import_spacy']:.3f}s (median of {args.builds} fresh processes)")
    print(f"default pipeline build, excluding import spacy (import annotations.pretag + build_pipeline + first call): "
          f"{statistics.median(r['import_pretag'] + r['build'] for r in runs):.3f}s "
          f"(build_pipeline alone {med['build']:.3f}s, {med['build_cpu']:.3f}s of CPU)")
    print(f"default pipeline build, including import spacy: "
          f"{statistics.median(r['import_spacy'] + r['import_pretag'] + r['build'] for r in runs):.3f}s")
    print(f"spacy.blank('id') build + first call, excluding import spacy: {statistics.median(blank):.3f}s")

    from annotations.corpus import import_articles, parse_txt
    from annotations.fork_pool import cores, free_cores
    from annotations.pretag import build_pipeline, tag_documents
    from annotations.store import Store

    articles = [parse_txt(raw, f"synthetic/{i}.txt") for i, raw in enumerate(synthetic_raw(args.n))]
    texts = [a.text for a in articles]
    chars = sum(map(len, texts))
    print(f"articles: {args.n} seed-sized ({chars / args.n:,.0f} characters each on average)")

    nlp = build_pipeline()
    nlp("pemanasan")
    bare_runs, one_runs, tag_runs, cpu_runs = [], [], [], {0: [], cores(): []}

    def tag(path: Path, workers: int | None) -> float:
        with Store(path) as store:
            import_articles(store, articles)
            cpu = cpu_seconds()
            report = tag_documents(store, workers=workers)
            cpu_runs[workers].append(cpu_seconds() - cpu)
            return report["seconds"] - report["build_seconds"]

    with tempfile.TemporaryDirectory() as tmp:
        for run in range(args.runs):  # alternate them, so a busy machine hurts all alike
            started = time.perf_counter()
            ents = sum(len(doc.ents) for doc in nlp.pipe(texts, batch_size=200))
            bare_runs.append(time.perf_counter() - started)
            one_runs.append(tag(Path(tmp) / f"one{run}.db", 0))
            tag_runs.append(tag(Path(tmp) / f"tag{run}.db", cores()))
            with Store(Path(tmp) / f"tag{run}.db") as store:
                stored = store.conn.execute("SELECT count(*) FROM suggestions").fetchone()[0]
    bare, one, tagging = (statistics.median(runs) for runs in (bare_runs, one_runs, tag_runs))
    print(f"bare nlp.pipe, default pipeline, one process: {args.n / bare:,.0f} articles/s "
          f"(median {bare:.2f}s of {args.runs}; {ents} entities)")
    print(f"tag_documents in one process (store read + pipeline + suggestions written): {args.n / one:,.0f} "
          f"articles/s (median {one:.2f}s of {args.runs}, without the build)")
    print(f"tag_documents in {cores()} forked workers, one per core: {args.n / tagging:,.0f} "
          f"articles/s (median {tagging:.2f}s of {args.runs}, without the build; {stored} suggestions)")
    print(f"one-process store overhead over bare nlp.pipe: {100 * (one - bare) / bare:+.1f}% (of the medians); "
          f"{100 * (statistics.median(t / b for t, b in zip(one_runs, bare_runs)) - 1):+.1f}% "
          f"(median of each run's pair, which a machine slowing down between runs disturbs less)")
    print(f"forked workers against bare nlp.pipe: {bare / tagging:.2f}x its throughput; `tandai tag` here and now "
          f"would use {'one process' if free_cores() < 2 else f'{free_cores()} workers'} (load average "
          f"{os.getloadavg()[0]:.1f} on {cores()} cores)")
    # Other processes on a shared machine slow every figure above; CPU time much less so.
    print(f"articles per CPU second (this process and its workers; median): "
          f"one process {args.n / statistics.median(cpu_runs[0]):,.0f}, "
          f"forked workers {args.n / statistics.median(cpu_runs[cores()]):,.0f}")


if __name__ == "__main__":
    main()
