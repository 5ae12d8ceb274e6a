"""Large exports on every core: the selection is cut into chunks, each written by a worker process.

Each worker opens the database itself (read only), writes its chunk the way
the one-process export would, and returns the bytes and its part of the
report; the parent puts them together in selection order, so the output is
byte-identical to a one-process export (a test checks it). Small exports,
in-memory databases and one-core machines stay in one process.
"""
from __future__ import annotations

import dataclasses
import os
import tempfile
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

from ..store import Store
from .common import gc_paused
from .report import Report
from .select import Selection, iter_records

PARALLEL_FROM = 2000  # records; below this, starting workers costs more than it saves
CHUNK = 500


def workers(store: Store, selection: Selection, minimum: int | None = None) -> int:
    """How many worker processes to use (0: stay in this process)."""
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    if store.path is None or cpus < 2 or len(selection.pairs) < (PARALLEL_FROM if minimum is None else minimum):
        return 0
    return min(cpus, 8)


def _work(args: tuple) -> tuple[Any, Report]:
    db_path, selection, report, fn, options, spool = args
    with Store(db_path, create=False) as store, gc_paused():
        payload = fn(iter_records(store, selection, report), report, **options)
    if spool is not None and isinstance(payload, str):
        # Text goes back through a file: cheaper than pickling megabytes through the pipe.
        with open(spool, "w", encoding="utf-8", newline="") as fh:
            fh.write(payload)
        payload = Path(spool)
    return payload, report


def run_chunks(store: Store, selection: Selection, report: Report, fn: Callable[..., Any], n_workers: int,
               progress: Callable[[int, int], None] | None = None, **options) -> Iterator[Any]:
    """``fn(records, report, **options)`` over chunks of the selection in ``n_workers`` processes.

    Yields each chunk's result in selection order and merges each chunk's report into ``report``;
    a text result comes as the ``Path`` of a file holding it (see ``common.write_pieces``), gone
    once the next result is asked for. ``fn`` must be a module-level function (sent by name).
    """
    pairs = selection.pairs
    chunks = [dataclasses.replace(selection, pairs=pairs[i:i + CHUNK]) for i in range(0, len(pairs), CHUNK)]
    done = 0
    with tempfile.TemporaryDirectory(prefix="tandai-export-") as tmp, \
            ProcessPoolExecutor(max_workers=n_workers) as pool:
        jobs = [(str(store.path), chunk, report.empty_copy(), fn, options, os.path.join(tmp, f"{n}.part"))
                for n, chunk in enumerate(chunks)]
        for chunk, (payload, part) in zip(chunks, pool.map(_work, jobs)):
            report.merge(part)
            done += len(chunk.pairs)
            if progress:
                progress(done, len(pairs))
            yield payload
            if isinstance(payload, Path):
                payload.unlink()
