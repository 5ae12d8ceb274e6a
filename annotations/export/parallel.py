"""Large exports on every core: the selection is cut into chunks, each written by a worker process.

Each worker opens the database itself (read only), writes its chunk the way
the one-process export would, and returns the bytes and its part of the
report; the parent puts them together in selection order, so the output is
byte-identical to a one-process export (a test checks it). Small exports,
in-memory databases and one-core machines stay in one process.

Workers exit when the exporting process dies, even by ``kill -9``
(``die_with_parent``), and their spool files sit beside the output under its
temporary name, never in ``/tmp``: a killed export leaves no process running
and nothing that looks like an output.
"""
from __future__ import annotations

import dataclasses
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

from ..children import die_with_parent
from ..fork_pool import cores
from ..store import Store
from .common import beside, gc_paused, temp_prefix
from .report import Report
from .select import Selection, iter_records

PARALLEL_FROM = 2000  # records; below this, starting workers costs more than it saves
CHUNK = 500


def workers(store: Store, selection: Selection, minimum: int | None = None) -> int:
    """How many worker processes to use (0: stay in this process)."""
    cpus = cores()
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
               progress: Callable[[int, int], None] | None = None, spool_beside: Path | None = None,
               **options) -> Iterator[Any]:
    """``fn(records, report, **options)`` over chunks of the selection in ``n_workers`` processes.

    Yields each chunk's result in selection order and merges each chunk's report into ``report``.
    With ``spool_beside`` (the output's path), a text result comes as the ``Path`` of a file
    holding it (see ``common.write_pieces``), in a folder beside the output named as its temporary
    (``.NAME.tandai-tmp-PID@HOST-XXXX-parts``), gone once the next result is asked for; without, text comes
    through the pipe. ``fn`` must be a module-level function (sent by name).
    """
    pairs = selection.pairs
    chunks = [dataclasses.replace(selection, pairs=pairs[i:i + CHUNK]) for i in range(0, len(pairs), CHUNK)]
    done = 0
    spool = (tempfile.mkdtemp(prefix=temp_prefix(spool_beside), suffix="-parts", dir=beside(spool_beside))
             if spool_beside is not None else None)
    pool = ProcessPoolExecutor(max_workers=n_workers, initializer=die_with_parent, initargs=(os.getpid(),))
    finished = False
    try:
        jobs = [(str(store.path), chunk, report.empty_copy(), fn, options,
                 os.path.join(spool, f"{n}.part") if spool else None)
                for n, chunk in enumerate(chunks)]
        for chunk, (payload, part) in zip(chunks, pool.map(_work, jobs)):
            report.merge(part)
            done += len(chunk.pairs)
            if progress:
                progress(done, len(pairs))
            yield payload
            if isinstance(payload, Path):
                payload.unlink()
        finished = True
    finally:
        # On an error (or the consumer stopping), queued chunks are dropped rather than written.
        pool.shutdown(wait=True, cancel_futures=not finished)
        if spool:
            shutil.rmtree(spool, ignore_errors=True)
