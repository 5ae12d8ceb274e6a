"""Forked workers start with what this process built frozen for the garbage collector, so their
collections leave it alone (no page of it copied for a collection's writes), and this process's own
collector is given it back once they are started."""
from __future__ import annotations

import gc

from annotations.fork_pool import forked_map

_BUILT = [[n] for n in range(1000)]  # what a worker inherits (as the pipeline is)


def _frozen_in_worker(state, chunk):
    return gc.get_freeze_count(), gc.is_tracked(state[chunk])


def test_workers_inherit_what_was_built_frozen_and_this_process_gets_it_back():
    assert gc.get_freeze_count() == 0
    results = list(forked_map(_frozen_in_worker, _BUILT, [0, 500, 999], 2))
    assert all(count >= len(_BUILT) and tracked for count, tracked in results)
    assert gc.get_freeze_count() == 0
