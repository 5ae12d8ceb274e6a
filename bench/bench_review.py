"""The review list at team scale, timed from outside the app: first rows, return from an article, memory.

    python bench/bench_review.py [--runs 3] [--cache /tmp/tandai-bench] [--only 10000x3|50x200]

Two databases built once by script (bench/synthetic.py, ``annotated_db``) and cached: 10,000
articles x 3 annotators (1.14M spans) and 50 articles x 200 annotators. Each run starts the
installed ``tandai --db DB review`` on an 80x24 pseudo-terminal and watches it only from outside
(bench/bench_tui.py's PtyApp), driving it with keys as a reviewer would:

- first rows: from starting the program (interpreter start-up and every import count) until the
  first row (its annotators' names) reaches the terminal;
- return: once every article is compared (the summary line names the reviewer), enter opens the
  first article, d settles its gold (a change the list shows), then q; from writing q until the
  list's summary says "1 settled": that article compared again;
- peak resident memory of the app process over the run (VmHWM from /proc).

The minimal Textual app (one Static) is started and timed the same way in the same run as the
baseline. Figures are medians over the runs. Targets: first rows within 1 s,
return within 0.2 s, memory at most 200 MiB.
"""
from __future__ import annotations

import argparse
import os
import sqlite3
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT))

from bench_tui import (  # noqa: E402
    MINIMAL_ARGV, MINIMAL_MARK, PtyApp, app_env, compile_tandai, ms, tandai_argv, up_to_date,
)
from synthetic import cached_annotated_db  # noqa: E402

TEAMS = {"10000x3": (10_000, 3), "50x200": (50, 200)}


def review_run(db: Path, timeout: float) -> dict[str, float]:
    """One run of ``tandai review`` on ``db`` (see the module notes); the database is a copy, since d writes."""
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "review.db"
        with sqlite3.connect(str(db)) as source, sqlite3.connect(str(copy)) as target:
            source.backup(target)  # SQLite copies it: nothing else opens the database files
        app = PtyApp([*tandai_argv(copy), "review"], app_env(tmp))
        try:
            first = app.wait_for(b"annotator0", timeout=timeout) - app.started
            app.wait_for(b"reviewer bench", timeout=timeout)
            app.drain(0.3)
            app.key_to_frame(b"\r", "review by bench · ".encode())  # the article's title in the header
            app.key_to_frame(b"d", b"gold settled: export")
            back = app.key_to_frame(b"q", b"1 settled")
            peak = app.memory()[1]
        finally:
            app.close()
    return {"first_rows": first, "return": back, "rss": peak}


def minimal_run() -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        app = PtyApp(MINIMAL_ARGV, app_env(tmp))
        try:
            first = app.wait_for(MINIMAL_MARK) - app.started
            app.drain(0.3)
            return {"first_frame": first, "rss": app.memory()[1]}
        finally:
            app.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "tandai-bench")
    parser.add_argument("--only", choices=list(TEAMS))
    parser.add_argument("--timeout", type=float, default=900, help="seconds to wait for the list to be compared")
    args = parser.parse_args()
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f}")
    compile_tandai()  # as pip install does: the first rows should not wait for tandai's modules to compile
    minimal = [minimal_run() for _ in range(args.runs)]
    base = statistics.median(r["first_frame"] for r in minimal)
    base_rss = statistics.median(r["rss"] for r in minimal)
    print(f"baseline: minimal Textual app (one Static), first frame {ms(base)}, peak RSS {base_rss / 2**20:.0f} MiB"
          f" (median of {args.runs})")
    for name, (articles, annotators) in TEAMS.items():
        if args.only and name != args.only:
            continue
        db = up_to_date(cached_annotated_db(args.cache, articles, annotators))  # no upgrade in a timed run
        runs = [review_run(db, args.timeout) for _ in range(args.runs)]
        first = statistics.median(r["first_rows"] for r in runs)
        back = statistics.median(r["return"] for r in runs)
        rss = statistics.median(r["rss"] for r in runs)
        print(f"review list, {articles:,} articles x {annotators} annotators (median of {args.runs}):"
              f" first rows {ms(first)} ({first / base:.2f}x the minimal app's first frame; target 1 s),"
              f" return from an article {ms(back)} (target 200 ms), peak RSS {rss / 2**20:.0f} MiB"
              f" ({rss / base_rss:.2f}x the minimal app's; target 200 MiB)")


if __name__ == "__main__":
    main()
