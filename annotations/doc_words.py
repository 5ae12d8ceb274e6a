"""Finding a Doc's tokens by their words in its arrays (``Doc.to_array``), for the rule components.

A rule looks at the few tokens whose word is one of its own (a designator, a
surname, a trigger's first word); a Token object per word of the article, or
``numpy.isin`` (which sorts both arrays on every call), costs more than the
rule. The words' hashes are put in a hash table once (``_words.c``, built on
install where there is a C compiler) and each token of a Doc is looked up in
it; without the extension they are sorted once and each Doc is searched in
them (``numpy.searchsorted``: a binary search and five passes over the Doc,
where the gazetteer's ten thousand first words made it a tenth of tagging).

This module needs no spaCy: it works on the hashes the rules get from it.
"""
from __future__ import annotations

from collections.abc import Iterable

import numpy

from .extensions import optional_extension

WORDS_ABI = 1  # _words.c's ABI: raise both with any change of what it offers
compiled = optional_extension("_words", WORDS_ABI)  # None: numpy does the work


class WordIds:
    """Words' hashes (a Doc's ORTH or LOWER values), each once, made ready for ``positions``; sorted
    as an array (``numpy.asarray(ids)``)."""

    __slots__ = ("ids", "table")

    def __init__(self, hashes: Iterable[int]):
        self.ids = numpy.array(sorted(set(hashes)), dtype="uint64")
        self.table = compiled.table(self.ids) if compiled else None

    def __len__(self) -> int:
        return len(self.ids)

    def __array__(self, dtype=None, copy=None) -> numpy.ndarray:
        return self.ids if dtype is None else self.ids.astype(dtype)


def word_ids(hashes: Iterable[int]) -> WordIds:
    """Words' hashes, as ``positions`` takes them."""
    return WordIds(hashes)


def positions(column: numpy.ndarray, ids: WordIds) -> numpy.ndarray:
    """The indices, in order, of the values of ``column`` (a Doc's ORTH or LOWER array) found in ``ids``
    (from ``word_ids``): what ``numpy.flatnonzero(numpy.isin(column, ids))`` gives."""
    if not len(ids) or not len(column):
        return numpy.empty(0, dtype=numpy.intp)
    if ids.table is not None:
        out = numpy.empty(len(column), dtype=numpy.intp)
        return out[:compiled.find(ids.table, numpy.ascontiguousarray(column, dtype="uint64"), out)]
    at = numpy.searchsorted(ids.ids, column)
    at[at == len(ids)] = 0
    return numpy.flatnonzero(ids.ids[at] == column)
