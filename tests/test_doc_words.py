"""doc_words.positions finds what numpy.isin finds, whatever the words (hashes span all 64 bits, 0 too),
with the compiled hash table and with numpy alone."""
from __future__ import annotations

import numpy
import pytest
from hypothesis import given
from hypothesis import strategies as st

from annotations import doc_words
from annotations.doc_words import positions, word_ids
from conftest import assert_extension_built

hashes = st.integers(min_value=0, max_value=2**64 - 1) | st.sampled_from([0, 1, 2**63, 2**64 - 1])


@given(st.lists(hashes, max_size=40), st.lists(hashes, max_size=30), st.data())
def test_positions_are_those_isin_finds(column, wanted, data):
    column = column + data.draw(st.lists(st.sampled_from(wanted), max_size=10)) if wanted else column
    column = numpy.array(data.draw(st.permutations(column)), dtype="uint64")
    ids = word_ids(wanted)
    expected = numpy.flatnonzero(numpy.isin(column, numpy.asarray(ids))).tolist()
    assert positions(column, ids).tolist() == expected
    assert positions(column[1:], ids).tolist() == [i - 1 for i in expected if i]  # a Doc's column sliced
    ids.table = None  # as without the extension: numpy searches the sorted hashes
    assert positions(column, ids).tolist() == expected


def test_the_install_built_the_compiled_word_table():
    """Without it tagging would run slower."""
    assert_extension_built("_words", doc_words.WORDS_ABI)
    assert doc_words.compiled is not None
    assert word_ids([5, 3, 5]).table is not None


@pytest.mark.skipif(doc_words.compiled is None, reason="the compiled word table is not built")
@pytest.mark.parametrize("cut", [8, 16, 24])
def test_a_table_cut_short_is_refused(cut):
    """find probes the slots its header's mask says there are: a table shorter than that is refused,
    not read past its end."""
    table = word_ids(range(1, 100)).table
    column = numpy.arange(200, dtype="uint64")
    out = numpy.empty(len(column), dtype=numpy.intp)
    assert doc_words.compiled.find(table, column, out) == 99
    with pytest.raises(ValueError, match="not a table made by table"):
        doc_words.compiled.find(table[:-cut], column, out)
