"""``tandai agreement`` at 3, 20 and 200 annotators against a plain pairwise F1, both timed from outside.

    python bench/bench_agreement.py [--runs 3] [--cache /tmp/tandai-bench] [--checkout DIR]...

The teams are built once by script (bench/synthetic.py, ``annotated_db``: each annotator's spans,
links, attributes and actor ids derive from one random truth per article, changed at random) and
cached: 1,000 articles x 3 annotators, 100 x 20 and 50 x 200. Each run starts the installed
``tandai --db DB agreement`` (the default summary) and, as the baseline, a plain pairwise F1 in
Python written here: spans read grouped by article and annotator, and for every pair of annotators
in every article the exact matches counted by a set intersection. Figures: median wall-clock time
and CPU time (of the child process: a busy machine inflates it much less) over the runs, and their
ratios to the baseline (target: at most 3x). ``--checkout DIR`` also times the tandai of another checkout
(``python -m tui`` run in DIR, e.g. an export of main before a change, with its compiled modules copied
in), in the same run: old and new code meet the same load.

Both children run with Python's bytecode cache on (kept under the cache folder), after one untimed run
of each on the first team: with PYTHONDONTWRITEBYTECODE set, as on some machines, tandai compiled its own modules from source
on every run (about 0.07 s of CPU that no installed copy spends) while the baseline compiles one
short script.

The comparison favours the baseline: it reads the same database through sqlite3, the same human
annotators' spans, and does less (exact matches only: no overlap matching, tokens, links, attributes or
actor ids, no check of who marked an article done).

Where tandai's CPU goes (in-process timers and cProfile, 1,000 x 3): starting (Python, click, numpy, the
store) about 0.25 s; then reading each annotator's spans of an article as a few aggregated columns (SQLite
builds them, the Python side numbers labels and values) about half of the counting's time, the counting
itself in C (annotations/_agreement.c) about an eighth, turning the counts into the tables the rest. At
200 annotators the C pair loop is most of it: every pair of an article is counted directly.
"""
from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synthetic import cached_annotated_db  # noqa: E402

TEAMS = [(1000, 3), (100, 20), (50, 200)]

BASELINE = r"""
import sqlite3, sys
from collections import defaultdict
from itertools import combinations

conn = sqlite3.connect(f"file:{sys.argv[1]}?mode=ro", uri=True)
spans = defaultdict(lambda: defaultdict(set))
for doc, name, layer, label, start, end in conn.execute(
        "SELECT s.doc_id, s.annotator, s.layer, s.label, s.start, s.end FROM spans s"
        " JOIN annotators a ON a.name = s.annotator WHERE a.kind = 'human'"):
    spans[doc][name].add((layer, label, start, end))
matches, made = defaultdict(int), defaultdict(int)
for by_name in spans.values():
    for a, b in combinations(sorted(by_name), 2):
        mine, theirs = by_name[a], by_name[b]
        matches[(a, b)] += len(mine & theirs)
        made[(a, b)] += len(mine) + len(theirs)
f1 = {pair: 2 * matches[pair] / made[pair] for pair in made if made[pair]}
print(f"{len(f1)} pairs, mean F1 {sum(f1.values()) / len(f1):.3f}")
"""


def timed(argv: list[str], env: dict[str, str], cwd: Path | None = None) -> tuple[float, float, str]:
    """Wall-clock and CPU seconds of one run of ``argv`` (a child process, in ``cwd``), and what it printed."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(argv, capture_output=True, text=True, check=True, env=env, cwd=cwd)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), done.stdout


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "tandai-bench")
    parser.add_argument("--annotators", type=int, nargs="*", help="only the teams of these sizes")
    parser.add_argument("--checkout", type=Path, action="append", default=[],
                        help="also time the tandai of this checkout (python -m tui there); repeatable")
    args = parser.parse_args()
    tandai = shutil.which("tandai") or "tandai"
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = str(args.cache / "pycache")
    warmed = False
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f}")
    for articles, annotators in TEAMS:
        if args.annotators and annotators not in args.annotators:
            continue
        db = cached_annotated_db(args.cache, articles, annotators)
        # (name, argv, folder to run in); the baseline last
        programs = [("tandai", [tandai, "--db", str(db), "agreement"], None)]
        programs += [(str(folder), [sys.executable, "-m", "tui", "--db", str(db), "agreement"], folder.resolve())
                     for folder in args.checkout]
        programs.append(("plain pairwise F1", [sys.executable, "-c", BASELINE, str(db)], None))
        for _, argv, folder in programs if not warmed else ():  # untimed, once: the bytecode cache filled
            timed(argv, env, folder)
        warmed = True
        runs: list[list[tuple[float, float, str]]] = [[] for _ in programs]
        for _ in range(args.runs):  # in turn, so that a change of load meets every program alike
            for found, (_, argv, folder) in zip(runs, programs):
                found.append(timed(argv, env, folder))
        base_wall, base_cpu = (statistics.median(r[i] for r in runs[-1]) for i in (0, 1))
        print(f"{annotators:>3} annotators x {articles:,} articles: plain pairwise F1 {base_wall:.1f} s"
              f" (CPU {base_cpu:.2f} s); median of {args.runs}, target 3x")
        for (name, _, _), found in zip(programs[:-1], runs):
            wall, cpu = (statistics.median(r[i] for r in found) for i in (0, 1))
            print(f"    {name}: {wall:.1f} s (CPU {cpu:.2f} s, {len(found[0][2].splitlines())} lines):"
                  f" {wall / base_wall:.2f}x wall, {cpu / base_cpu:.2f}x CPU")

if __name__ == "__main__":
    main()
