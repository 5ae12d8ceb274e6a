"""Forked workers start with what this process built frozen for the garbage collector, so their
collections leave it alone (no page of it copied for a collection's writes), and this process's own
collector is given it back once they are started."""
from __future__ import annotations

import gc

import pytest

from annotations.fork_pool import forked_map

_BUILT = [[n] for n in range(1000)]  # what a worker inherits (as the pipeline is)


def _frozen_in_worker(state, chunk):
    return gc.get_freeze_count(), gc.is_tracked(state[chunk])


@pytest.fixture(autouse=True)
def unfrozen():
    """No objects frozen when a test starts: an app run in this process by an earlier test froze its own
    after its first frame (``tui.app.collect_garbage_from_now``), as the real app does for its session."""
    gc.unfreeze()


def test_workers_inherit_what_was_built_frozen_and_this_process_gets_it_back():
    assert gc.get_freeze_count() == 0
    results = list(forked_map(_frozen_in_worker, _BUILT, [0, 500, 999], 2))
    assert all(count >= len(_BUILT) and tracked for count, tracked in results)
    assert gc.get_freeze_count() == 0


def test_tagging_leaves_what_it_built_out_of_collections_while_it_tags(store):
    """The pipeline tag_documents builds is frozen while articles are tagged (a full collection walked
    all of it) and given back to the collector when tagging ends."""
    from annotations.pretag import tag_documents

    frozen = []
    tag_documents(store, workers=0, batch_size=2, progress=lambda done, total: frozen.append(gc.get_freeze_count()))
    assert len(frozen) > 2 and min(frozen[1:]) > 100_000  # a built pipeline's objects, after every batch
    assert gc.get_freeze_count() == 0
