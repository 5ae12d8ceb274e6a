"""Gazetteer names found in a Doc by their words' hashes, as spaCy's PhraseMatcher finds them, without
a lexeme per word.

A PhraseMatcher takes each phrase as a Doc, and a Doc makes a lexeme for each
word it has not seen, running every lexeme attribute getter on it (the windowed
ruler's flags among them): for the world gazetteer's 13,000 names that was
27,000 lexemes and most of the pipeline's build. A word's hash needs no
lexeme: here a phrase is the hashes of its words (a Doc's ORTH or LOWER
values), and a Doc is searched only from the tokens whose word starts one.
Every occurrence is found, overlapping ones too, as the PhraseMatcher finds
them.
"""
from __future__ import annotations

import bisect
from collections.abc import Hashable, Sequence
from functools import cache

from spacy.attrs import LOWER, ORTH
from spacy.strings import hash_string
from spacy.tokens import Doc

from .doc_arrays import column
from .doc_words import WordIds, positions, word_ids
from .tokens import spacy_layout, tokenize

ATTRS = {"ORTH": ORTH, "LOWER": LOWER}  # what a word's string alone gives (LOWER: as spaCy lowercases it)


@cache
def phrase_words(text: str) -> tuple[str, ...]:
    """The words of ``pretag.make_doc(text)``, split by the project's tokenizer (every tandai pipeline's);
    kept, as a name is matched by the ruler and again, ignoring case, by ``tandai_capitals``."""
    starts, ends, _ = spacy_layout(text, tokenize(text))
    return tuple(text[s:e] for s, e in zip(starts, ends))


class PhraseIndex:
    """Phrases, each under a key, matched on one attribute of a word (ORTH or LOWER)."""

    def __init__(self, attr: str = "ORTH"):
        if attr.upper() not in ATTRS:
            raise ValueError(f"phrases are matched on ORTH or LOWER, not {attr!r}")
        self.attr = attr.upper()
        self._keys: dict[tuple[int, ...], list[Hashable]] = {}  # words' hashes -> the keys of that phrase
        self._lengths: dict[int, list[int]] = {}  # a first word's hash -> the lengths of its phrases, ascending
        self._firsts: WordIds | None = None  # those first words' hashes (``doc_words.word_ids``)

    def add(self, key: Hashable, words: Sequence[str]) -> None:
        """Find the phrase of ``words`` (``phrase_words``) under ``key``; nothing for no words."""
        if not words:
            return
        hashes = tuple(hash_string(word.lower() if self.attr == "LOWER" else word) for word in words)
        keys = self._keys.setdefault(hashes, [])
        if key not in keys:
            keys.append(key)
        self._add_length(hashes)

    def _add_length(self, hashes: tuple[int, ...]) -> None:
        lengths = self._lengths.setdefault(hashes[0], [])
        if len(hashes) not in lengths:
            bisect.insort(lengths, len(hashes))
            self._firsts = None

    def remove(self, key: Hashable) -> None:
        """Find the phrases of ``key`` no longer."""
        for hashes in [h for h, keys in self._keys.items() if key in keys]:
            self._keys[hashes].remove(key)
            if not self._keys[hashes]:
                del self._keys[hashes]
        self._lengths = {}
        for hashes in self._keys:
            self._add_length(hashes)
        self._firsts = None

    def __call__(self, doc: Doc) -> list[tuple[Hashable, int, int]]:
        """(key, start, end) of every occurrence of a phrase in ``doc``, by start then end."""
        if self._firsts is None:
            self._firsts = word_ids(self._lengths)
        words = column(doc, ATTRS[self.attr])
        values = words.tolist()
        found = []
        for i in positions(words, self._firsts).tolist():
            for length in self._lengths[values[i]]:
                if i + length > len(values):
                    break
                for key in self._keys.get(tuple(values[i:i + length]), ()):
                    found.append((key, i, i + length))
        return found
