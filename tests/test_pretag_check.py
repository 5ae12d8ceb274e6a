"""Pre-tagging made faster suggests exactly what it did: every suggestion on the seeds and the dev pages,
through the store as `tandai tag` makes them, equals ``tests/data/pretag_expected.jsonl``.

After a change meant to alter what the rules tag, regenerate that file with
``python bench/pretag_check.py --sets seeds dev --save tests/data/pretag_expected.jsonl``
and read its diff.
"""
from __future__ import annotations

from bench import pretag_check


def test_suggestions_on_seeds_and_dev_pages_are_the_expected_ones():
    got = pretag_check.lines(pretag_check.suggestions(list(pretag_check.texts(["seeds", "dev"]))))
    want = pretag_check.EXPECTED.read_text("utf-8").splitlines()
    extra = sorted(set(got) - set(want))
    missing = sorted(set(want) - set(got))
    assert not extra and not missing, f"new: {extra[:5]} gone: {missing[:5]}"
    assert got == want  # the same suggestions, once each and in the same order
    assert {line.split('"text": "')[1].split("/")[0] for line in want} == {"seeds", "dev"}
