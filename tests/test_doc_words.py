"""doc_words.positions finds what numpy.isin finds, whatever the words (hashes span all 64 bits)."""
from __future__ import annotations

import numpy
from hypothesis import given
from hypothesis import strategies as st

from annotations.doc_words import positions, word_ids

hashes = st.integers(min_value=0, max_value=2**64 - 1)


@given(st.lists(hashes, max_size=40), st.lists(hashes, max_size=10), st.data())
def test_positions_are_those_isin_finds(column, wanted, data):
    column = column + data.draw(st.lists(st.sampled_from(wanted), max_size=10)) if wanted else column
    column = numpy.array(data.draw(st.permutations(column)), dtype="uint64")
    ids = word_ids(wanted)
    assert positions(column, ids).tolist() == numpy.flatnonzero(numpy.isin(column, ids)).tolist()
