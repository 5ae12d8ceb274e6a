"""Pre-tagging speed of two checkouts of tandai compared in one run, so a busy machine slows both alike.

    git worktree add --detach /tmp/old <commit>    # (copy annotations/_tokens*.so into it if built)
    python bench/pretag_versions.py /tmp/old . [--n 500] [--runs 3]

Each run measures each checkout in a fresh process, one after the other, on
the same N seed-sized articles (this checkout's ``synthetic``): the default
pipeline's first build in the process (spaCy's registries filled then too),
raw spaCy (the blank Indonesian pipeline's own tokenizer alone) and a bare
``nlp.pipe`` over the texts, ``pretag.tag_documents`` in one process
(store read, pipeline, suggestions written) and in two forked workers, each
without its build; wall time and CPU time (the process's and its ended
workers'). It prints the medians per checkout, each one's ratio to its bare
``nlp.pipe`` and to raw spaCy, and new/old speed ratios as the median of the
runs' pairs. CPU figures matter on a shared machine: other processes stretch
wall time, much less CPU time.
"""
from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

FIGURES = ("build", "raw", "bare", "one", "forked")


def cpu_seconds() -> float:
    """User and system time of this process and of its children that have ended (forked workers)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def measure(root: Path, n: int) -> dict[str, float]:
    """Wall and CPU seconds of each figure with the code in ``root`` (run in a fresh process); the articles
    are this checkout's ``synthetic`` ones, whichever code tags them."""
    from synthetic import synthetic_raw

    sys.path.insert(0, str(root))
    import annotations

    if Path(annotations.__file__).resolve().parent.parent != root:
        sys.exit(f"{root} holds no tandai checkout (annotations came from {annotations.__file__})")
    from annotations.corpus import import_articles, parse_txt
    from annotations.pretag import build_pipeline, tag_documents
    from annotations.store import Store

    articles = [parse_txt(raw, f"synthetic/{i}.txt") for i, raw in enumerate(synthetic_raw(n))]
    texts = [a.text for a in articles]
    out = {}
    started, cpu = time.perf_counter(), cpu_seconds()
    nlp = build_pipeline()
    nlp("pemanasan")
    out["build"], out["build_cpu"] = time.perf_counter() - started, cpu_seconds() - cpu
    import spacy

    raw = spacy.blank("id")
    raw("pemanasan")
    started, cpu = time.perf_counter(), cpu_seconds()
    for _ in raw.tokenizer.pipe(texts, batch_size=200):
        pass
    out["raw"], out["raw_cpu"] = time.perf_counter() - started, cpu_seconds() - cpu
    cpu = cpu_seconds()
    build_pipeline()  # as tag_documents builds it, spaCy's registries filled already
    rebuild_cpu = cpu_seconds() - cpu
    started, cpu = time.perf_counter(), cpu_seconds()
    for _ in nlp.pipe(texts, batch_size=200):
        pass
    out["bare"], out["bare_cpu"] = time.perf_counter() - started, cpu_seconds() - cpu
    with tempfile.TemporaryDirectory() as tmp:
        for figure, workers in (("one", 0), ("forked", 2)):
            with Store(Path(tmp) / f"{figure}.db") as store:
                import_articles(store, articles)
                cpu = cpu_seconds()
                report = tag_documents(store, workers=workers)
                # without the build (tag_documents builds its own pipeline; its CPU time as the second build's)
                out[figure] = report["seconds"] - report["build_seconds"]
                out[f"{figure}_cpu"] = cpu_seconds() - cpu - rebuild_cpu
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("old", type=Path, nargs="?")
    parser.add_argument("new", type=Path, nargs="?")
    parser.add_argument("--n", type=int, default=500)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)  # measure this checkout alone, print JSON
    args = parser.parse_args()
    if args.child:
        print(json.dumps(measure(args.child.resolve(), args.n)))
        return
    if not (args.old and args.new):
        parser.error("give the old and the new checkout")
    runs: dict[str, list[dict[str, float]]] = {"old": [], "new": []}
    for _ in range(args.runs):
        for name in runs:
            done = subprocess.run([sys.executable, __file__, "--child", str(getattr(args, name)), "--n", str(args.n)],
                                  capture_output=True, text=True)
            if done.returncode:
                sys.exit(f"{getattr(args, name)}: {(done.stderr.strip().splitlines() or ['failed'])[-1]}")
            runs[name].append(json.loads(done.stdout.strip().splitlines()[-1]))
    print(f"{args.n} seed-sized articles, {args.runs} runs; articles/s (articles per CPU second)")
    for name, found in runs.items():
        med = {key: statistics.median(run[key] for run in found) for key in found[0]}
        print(f"{name} ({getattr(args, name)}): build {med['build']:.2f}s ({med['build_cpu']:.2f}s CPU); "
              + "; ".join(f"{figure} {args.n / med[figure]:,.0f}/s ({args.n / med[figure + '_cpu']:,.0f})"
                          for figure in FIGURES[1:])
              + "".join(f"; to {to}: one process {med[of] / med['one']:.2f}, forked {med[of] / med['forked']:.2f}"
                        f" (CPU {med[of + '_cpu'] / med['one_cpu']:.2f}, {med[of + '_cpu'] / med['forked_cpu']:.2f})"
                        for to, of in (("bare nlp.pipe", "bare"), ("raw spaCy", "raw"))))
    for figure in FIGURES:
        ratios = [[old[key] / new[key] for old, new in zip(runs["old"], runs["new"])] for key in (figure, f"{figure}_cpu")]
        print(f"new/old speed, {figure}: {statistics.median(ratios[0]):.2f}x wall, {statistics.median(ratios[1]):.2f}x CPU")


if __name__ == "__main__":
    main()
