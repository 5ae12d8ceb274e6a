"""Work on every core in worker processes forked from this one, so each starts with what this process has
built (a spaCy pipeline takes most of a second to build) instead of building it again.

Workers get the state by inheritance (``fork``), never through a pipe, and
exit when this process dies, even by ``kill -9`` (``die_with_parent``). What
they inherit is frozen for the garbage collector (``gc.freeze``): a collection
in a worker would otherwise write to every object it inherited (the pipeline's
too) and so copy each page that holds one. They only compute: this process
reads the chunks they are given and keeps whatever writes their results, so
only it ever opens the database (a forked worker never touches the connection
it inherited).
"""
from __future__ import annotations

import gc
import multiprocessing
import os
import signal
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from itertools import islice
from typing import Any

from .children import die_with_parent

_work: tuple[Callable[[Any, Any], Any], Any] | None = None  # (fn, state) the forked workers inherit


def cores() -> int:
    """How many cores this process may use."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def free_cores() -> int:
    """Cores the last minute's load average leaves free (at least one): on a machine other processes keep
    busy, workers only compete with them and with each other, and tagging gets slower, not faster."""
    return max(1, cores() - int(os.getloadavg()[0]))


@contextmanager
def gc_frozen() -> Iterator[None]:
    """Every object alive now is left out of the garbage collector's passes until the block ends (the
    outermost block of nested ones gives them back): a full collection walks every object, the
    hundred thousand and more of a built spaCy pipeline among them, about a fifth of a second each
    time, where what was built lives as long as the work does."""
    outermost = not gc.get_freeze_count()
    if outermost:
        gc.freeze()
    try:
        yield
    finally:
        if outermost:
            gc.unfreeze()


def _run(chunk: Any) -> Any:
    fn, state = _work
    return fn(state, chunk)


def forked_map(fn: Callable[[Any, Any], Any], state: Any, chunks: Iterable[Any], n_workers: int) -> Iterator[Any]:
    """``fn(state, chunk)`` for each chunk, in ``n_workers`` forked processes; results in the chunks' order.

    ``fn`` must be a module-level function; ``state`` is whatever this process
    built for it. At most two chunks per worker are read ahead of the results.
    """
    global _work
    if _work is not None:
        raise RuntimeError("forked_map is already running in this process")
    _work = (fn, state)
    pool = ProcessPoolExecutor(max_workers=n_workers, mp_context=multiprocessing.get_context("fork"),
                               initializer=die_with_parent, initargs=(os.getpid(),))
    chunks = iter(chunks)
    pending = deque()
    finished = False
    try:
        # Ctrl-C held back while the workers are forked (they start with it held, and ignore it before
        # letting it through); in this process it is raised as soon as they are started.
        held = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
        try:
            with gc_frozen():  # (the first submit forks every worker)
                pending.extend(pool.submit(_run, chunk) for chunk in islice(chunks, 2 * n_workers))
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, held)
        while pending:
            result = pending.popleft().result()
            pending.extend(pool.submit(_run, chunk) for chunk in islice(chunks, 1))
            yield result
        finished = True
    finally:  # an error, Ctrl-C or the consumer stopping: chunks not started yet are dropped
        pool.shutdown(wait=True, cancel_futures=not finished)
        _work = None
