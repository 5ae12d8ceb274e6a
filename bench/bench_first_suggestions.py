"""How soon the app shows suggestions: CPU seconds from a fresh process's start to the open article's
suggestions in the store, tagging as the app's tagging child does, for one checkout or several in turn.

    python bench/bench_first_suggestions.py CHECKOUT... [--n 200] [--runs 3]

Each checkout imports the same N seed-sized raw pages (``synthetic``) with its
own ``python -m tui import``; then, per run and checkout in turn, a fresh
process imports what the tagging child imports, builds the pipeline and tags
with ``first`` the middle article in batches of ``tui.tagging.BATCH`` (in this
process: the load average decides whether the child forks, and a fork's CPU
is not the article's). It stops at the first progress line past 0, when the
open article's suggestions are stored. CPU time, not wall time: on a shared
machine other processes stretch the wall clock much more.
"""
from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synthetic import synthetic_raw  # noqa: E402

CHILD = r"""
import json, sys, time
sys.path.insert(0, ".")
import annotations
assert annotations.__file__.startswith(sys.argv[2]), annotations.__file__
from annotations.pretag import tag_documents
from annotations.store import Store
from tui.tagging import BATCH

def stored(done, total):
    if done:  # the first batch, the open article's, is in the store
        print(json.dumps({"cpu": time.process_time()}), flush=True)
        raise SystemExit(0)

with Store(sys.argv[1]) as store:
    ids = store.document_ids()
    tag_documents(store, first=ids[len(ids) // 2], batch_size=BATCH, workers=0, progress=stored)
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("checkouts", type=Path, nargs="+")
    parser.add_argument("--n", type=int, default=200)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    roots = [root.resolve() for root in args.checkouts]
    with tempfile.TemporaryDirectory() as tmp:
        pages = Path(tmp) / "pages"
        pages.mkdir()
        for i, raw in enumerate(synthetic_raw(args.n)):
            (pages / f"{i:04d}.txt").write_text(raw, "utf-8")
        dbs = {root: Path(tmp) / f"{n}.db" for n, root in enumerate(roots)}
        for root, db in dbs.items():
            subprocess.run([sys.executable, "-m", "tui", "--db", str(db), "import", str(pages)], cwd=root,
                           check=True, capture_output=True)
        cpu: dict[Path, list[float]] = {root: [] for root in roots}
        for _ in range(args.runs):
            for root, db in dbs.items():  # in turn, so a busy machine slows each alike
                done = subprocess.run([sys.executable, "-c", CHILD, str(db), str(root)], cwd=root,
                                      capture_output=True, text=True, check=True)
                cpu[root].append(json.loads(done.stdout.strip().splitlines()[-1])["cpu"])
    for root, found in cpu.items():
        print(f"{root}: the open article's suggestions stored {statistics.median(found):.2f}s CPU after the process "
              f"started (median of {args.runs}: {', '.join(f'{c:.2f}' for c in found)})")


if __name__ == "__main__":
    main()
