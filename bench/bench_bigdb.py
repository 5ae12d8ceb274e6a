"""A 100,000-article database: build time, size on disk, and how fast the first page of the article list comes.

    python bench/bench_bigdb.py [--n 100000] [--db PATH] [--chunk 5000]

Articles are synthetic copies of the five seeds (each one unique), read
through the library's import path: annotations.corpus.parse_txt (cleaning and
metadata) and import_articles (tokens, one transaction per chunk).
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synthetic import synthetic_raw  # noqa: E402

from annotations.corpus import import_articles, parse_txt  # noqa: E402
from annotations.store import Store  # noqa: E402


def timed(fn, repeat: int = 21) -> tuple[float, object]:
    result = fn()  # warm the page cache and the statement cache once
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def disk_size(path: Path) -> int:
    return sum(os.path.getsize(f"{path}{s}") for s in ("", "-wal", "-shm") if os.path.exists(f"{path}{s}"))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--chunk", type=int, default=5_000)
    parser.add_argument("--db", type=Path, help="keep the database here (default: a temporary directory)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = args.db or Path(tmp) / "big.db"
        for s in ("", "-wal", "-shm"):
            Path(f"{path}{s}").unlink(missing_ok=True)
        started = time.perf_counter()
        with Store(path) as store:
            for first in range(0, args.n, args.chunk):
                size = min(args.chunk, args.n - first)
                articles = [parse_txt(raw, f"synthetic/{first + i}.txt")
                            for i, raw in enumerate(synthetic_raw(size, start=first))]
                added, _ = import_articles(store, articles)
                assert added == size, (added, size)
            built = time.perf_counter() - started
            store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            print(f"built {store.count_documents():,} articles in {built:.1f}s ({args.n / built:,.0f} articles/s)")
            print(f"size on disk: {disk_size(path) / 1e6:,.1f} MB ({disk_size(path) / args.n / 1024:.1f} KiB per article)")

            t, page = timed(lambda: store.list_documents("alice", limit=50))
            assert len(page) == 50
            print(f"list_documents first page (50 of {args.n:,}): {t * 1000:.2f} ms median")
            t, page = timed(lambda: store.list_documents("alice", limit=50, offset=args.n // 2))
            print(f"list_documents a page in the middle (offset {args.n // 2:,}): {t * 1000:.2f} ms median")
            t, page = timed(lambda: store.list_documents("alice", query="Pompeo", limit=50))
            print(f"list_documents FTS 'Pompeo' (in 2 of 5 articles), first page: {t * 1000:.2f} ms median "
                  f"({len(page)} rows)")
            rare = f"{args.n - 7}"
            t, page = timed(lambda: store.list_documents("alice", query=rare, limit=50))
            print(f"list_documents FTS '{rare}' (one article), first page: {t * 1000:.2f} ms median ({len(page)} rows)")
            t, page = timed(lambda: store.list_documents("alice", status="done", limit=50), repeat=5)
            print(f"list_documents status=done (none done: scans every article): {t * 1000:.2f} ms median "
                  f"({len(page)} rows)")
            t, _ = timed(lambda: store.next_todo("alice"))
            print(f"next_todo: {t * 1000:.2f} ms median")
            t, _ = timed(lambda: store.status_counts("alice"), repeat=5)
            print(f"status_counts: {t * 1000:.2f} ms median")


if __name__ == "__main__":
    main()
