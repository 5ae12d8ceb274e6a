"""Throughput of concurrent annotators on one database: operations per second with 1 and with 4 processes.

Each process is the worker of tests/test_concurrency.py (add, delete and link spans
as one annotator, as fast as it can, no pacing). Throughput = all operations of all
processes / the time from the common start to the last one finishing.

    python bench/bench_concurrency.py [--ops 300] [--runs 3]
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from conftest import copy_database  # noqa: E402
from test_concurrency import run_workers  # noqa: E402

from annotations.corpus import bundled_seeds, import_articles  # noqa: E402
from annotations.store import Store  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ops", type=int, default=300, help="operations per process")
    parser.add_argument("--runs", type=int, default=3, help="runs per setting (the best is reported)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        template = tmp / "template.db"
        with Store(template) as store:
            import_articles(store, bundled_seeds())
        print(f"{args.ops} operations per process (about 55% add_span, 30% delete_span, 15% add_link)")
        for procs in (1, 4):
            best = None
            for run in range(args.runs):
                db = tmp / f"run-{procs}-{run}.db"
                copy_database(template, db)
                work = tmp / f"work-{procs}-{run}"
                work.mkdir()
                names = [f"annotator{i}" for i in range(procs)]
                results = run_workers(db, names, args.ops, work)
                errors = [r["error"] for r in results if r["error"]]
                if errors:
                    raise SystemExit(f"worker failed: {errors[0]}")
                ops = sum(len(r["done"]) for r in results)
                seconds = max(r["seconds"] for r in results)
                rate = ops / seconds
                best = rate if best is None else max(best, rate)
                per_op = 1000 * seconds / (ops / procs)
                print(f"  {procs} process{'es' if procs > 1 else ''}, run {run + 1}: {ops} ops in {seconds:.2f}s"
                      f" = {rate:,.0f} ops/s ({per_op:.2f} ms per op as seen by one annotator)")
            print(f"{procs} process{'es' if procs > 1 else ''}: {best:,.0f} operations/second (best of {args.runs})")


if __name__ == "__main__":
    main()
