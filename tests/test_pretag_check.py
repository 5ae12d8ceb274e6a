"""Pre-tagging made faster suggests exactly what it did: every suggestion on the seeds and the dev pages,
through the store as `tandai tag` makes them, equals ``tests/data/pretag_expected.jsonl``, in one
process and in forked workers alike.

After a change meant to alter what the rules tag, regenerate that file with
``python bench/pretag_check.py --sets seeds dev --save tests/data/pretag_expected.jsonl``
and read its diff.
"""
from __future__ import annotations

import multiprocessing

import pytest

from annotations import fork_pool
from bench import pretag_check


@pytest.mark.parametrize("workers", [0, 2])
def test_suggestions_on_seeds_and_dev_pages_are_the_expected_ones(workers):
    seen = []
    rows = pretag_check.suggestions(list(pretag_check.texts(["seeds", "dev"])), workers=workers,
                                    batch_size=7, progress=lambda done, total: seen.append((done, total)))
    got = pretag_check.lines(rows)
    want = pretag_check.EXPECTED.read_text("utf-8").splitlines()
    extra = sorted(set(got) - set(want))
    missing = sorted(set(want) - set(got))
    assert not extra and not missing, f"new: {extra[:5]} gone: {missing[:5]}"
    assert got == want  # the same suggestions, once each and in the same order
    assert {line.split('"text": "')[1].split("/")[0] for line in want} == {"seeds", "dev"}
    total = seen[-1][1]
    assert seen[0] == (0, total) and seen[-1] == (total, total) and total > 40
    assert [done for done, _ in seen] == sorted(done for done, _ in seen)
    assert len(seen) == 1 + -(-total // 7)  # a progress line per batch of at most 7 articles


def test_forked_workers_are_gone_when_tagging_ends():
    pretag_check.suggestions(list(pretag_check.texts(["seeds"])), workers=2)
    assert multiprocessing.active_children() == []


@pytest.mark.parametrize("load, free", [(0.3, 2), (1.2, 1), (9.5, 1)])
def test_workers_only_on_cores_the_load_average_leaves_free(monkeypatch, load, free):
    monkeypatch.setattr(fork_pool, "cores", lambda: 2)
    monkeypatch.setattr(fork_pool.os, "getloadavg", lambda: (load, load, load))
    assert fork_pool.free_cores() == free
