"""Finding a Doc's tokens by their words in its arrays (``Doc.to_array``), for the rule components.

A rule looks at the few tokens whose word is one of its own (a designator, a
surname, a trigger's first word); a Token object per word of the article, or
``numpy.isin`` (which sorts both arrays on every call), costs more than the
rule. The words' hashes are sorted once and each Doc is searched in them.

This module needs no spaCy: it works on the hashes the rules get from it.
"""
from __future__ import annotations

from collections.abc import Iterable

import numpy


def word_ids(hashes: Iterable[int]) -> numpy.ndarray:
    """Words' hashes (a Doc's ORTH or LOWER values), sorted and each once, as ``positions`` takes them."""
    return numpy.array(sorted(set(hashes)), dtype="uint64")


def positions(column: numpy.ndarray, ids: numpy.ndarray) -> numpy.ndarray:
    """The indices, in order, of the values of ``column`` (a Doc's ORTH or LOWER array) found in ``ids``
    (from ``word_ids``): what ``numpy.flatnonzero(numpy.isin(column, ids))`` gives."""
    if not len(ids) or not len(column):
        return numpy.empty(0, dtype=numpy.intp)
    at = numpy.searchsorted(ids, column)
    at[at == len(ids)] = 0
    return numpy.flatnonzero(ids[at] == column)
