"""The pre-tagger's EntityRuler, made cheap: token patterns walked from the words that can start one.

spaCy's Matcher tries every token pattern at every token, calling Python for
each set (``IN``) and ``REGEX`` predicate: on news text that was nearly half of
pre-tagging, and even matching in C from the few tokens where a pattern can
start, each token cost its Matcher some microseconds. ``WindowedEntityRuler``
is spaCy's EntityRuler (its patterns, serialisation, API and the way it
resolves matches) with two changes to how token patterns are matched, neither
changing what it finds:

- each test of a word's text (ORTH, TEXT, LOWER: equal, ``IN``, ``NOT_IN``,
  ``REGEX``) is run once per word of the vocabulary, and a word is known by
  the tests it passes (bits) and the patterns that can start at it;
- patterns of such tests, each token spec once or optional (dates and counts:
  a digit, a weekday, "pukul", a number word first), are walked from the
  tokens that can start one, every way an optional token allows, so each
  match the Matcher would find is found, and no other. Any other pattern
  (``+``, ``*``, ``!``, another attribute) makes the Matcher match the whole
  Doc, as spaCy's EntityRuler does; its tests are lexeme flags
  (``Vocab.add_flag``) that the Matcher checks in C.

Phrase patterns are found by their words' hashes (``phrase_index``), not by a
PhraseMatcher: no Doc and no lexeme is made for them (the EntityRuler runs each
through the pipeline, and the gazetteers' words were most of the build), and
they are matched on ORTH or LOWER only.

This module imports spaCy: only the pre-tagging pipeline loads it.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy
from spacy.attrs import ENT_TYPE, IDS, ORTH
from spacy.language import Language
from spacy.pipeline import EntityRuler
from spacy.tokens import Doc, Span
from spacy.vocab import Vocab

from .doc_arrays import column, entities, set_entities
from .phrase_index import PhraseIndex, phrase_words

_TEXT_ATTRS = ("ORTH", "TEXT", "LOWER")  # what a word's string tells, exactly
_FLAGS = range(IDS["FLAG19"], IDS["FLAG63"] + 1)  # the lexeme flags spaCy leaves to users


@dataclass(frozen=True)
class WordTest:
    """The Matcher's test of one attribute of a word, on the word's string (picklable: a vocab's flag getter)."""
    attr: str  # ORTH, TEXT or LOWER
    op: str  # "==", IN, NOT_IN or REGEX
    value: str | frozenset[str]
    search: object = field(default=None, compare=False, repr=False)

    @classmethod
    def of(cls, attr: str, value) -> "WordTest | None":
        """The test ``{attr: value}`` is in a token pattern, or None if a word's string does not tell."""
        attr = attr.upper()
        if attr not in _TEXT_ATTRS:
            return None
        if isinstance(value, str):
            return cls(attr, "==", value)
        if not isinstance(value, dict) or len(value) != 1:
            return None
        (op, arg), = value.items()
        if op in ("IN", "NOT_IN") and isinstance(arg, list) and all(isinstance(v, str) for v in arg):
            return cls(attr, op, frozenset(arg))
        if op == "REGEX" and isinstance(arg, str):
            return cls(attr, op, arg, re.compile(arg).search)
        return None

    def __call__(self, word: str) -> bool:
        text = word.lower() if self.attr == "LOWER" else word  # as spaCy's LOWER getter computes it
        if self.op == "==":
            return text == self.value
        if self.op == "REGEX":
            return bool(self.search(text))
        return (text in self.value) == (self.op == "IN")


def _flag(vocab: Vocab, test: WordTest) -> int | None:
    """The lexeme flag holding ``test`` on ``vocab`` (added if needed; None when all flags are taken)."""
    getters = vocab.lex_attr_getters
    for flag in _FLAGS:
        if getters.get(flag) == test:
            return flag
    free = next((flag for flag in _FLAGS if flag not in getters), None)
    if free is not None:
        vocab.add_flag(test, free)
    return free


def flagged(vocab: Vocab, pattern: list[dict]) -> list[dict]:
    """``pattern`` with each set or regex test of a word's text replaced by a lexeme flag (same matches)."""
    out = []
    for spec in pattern:
        compiled = {}
        for attr, value in spec.items():
            test = WordTest.of(attr, value) if isinstance(value, dict) else None
            flag = _flag(vocab, test) if test else None
            if flag is None:
                compiled[attr] = value
            else:
                compiled[f"FLAG{flag}"] = True
        out.append(compiled)
    return out


@dataclass(frozen=True)
class Walk:
    """A token pattern of word tests only, each token spec once (need) or optional, walked from a token."""
    key: int  # the Matcher's key of its label
    specs: tuple[tuple[int, bool], ...]  # (the bits of the tests a word must pass, optional) per token spec
    firsts: tuple[int, ...]  # the bits of the specs a match can start with (those up to the first not optional)

    def ends(self, words: list[int], bits: dict[int, int], start: int) -> set[int]:
        """Where matches starting at ``start`` end, for the words' test bits (``bits[words[i]]``)."""
        found: set[int] = set()
        self._walk(0, start, words, bits, found)
        return found

    def _walk(self, k: int, i: int, words: list[int], bits: dict[int, int], found: set[int]) -> None:
        specs = self.specs
        while k < len(specs):
            need, optional = specs[k]
            if optional:
                self._walk(k + 1, i, words, bits, found)  # without it
            if i >= len(words) or bits[words[i]] & need != need:
                return
            k, i = k + 1, i + 1
        found.add(i)


def _specs(pattern: list[dict], bit: Callable[[WordTest], int]) -> tuple[tuple[int, bool], ...] | None:
    """``pattern``'s token specs as (the tests' bits, optional), or None where it is no walk."""
    specs = []
    for spec in pattern:
        op = spec.get("OP")
        if op not in (None, "1", "?"):
            return None
        need = 0
        for attr, value in spec.items():
            if attr != "OP":
                test = WordTest.of(attr, value)
                if test is None:
                    return None
                need |= bit(test)
        specs.append((need, op == "?"))
    return tuple(specs)


@Language.factory("tandai_entity_ruler", default_config={
    "phrase_matcher_attr": "ORTH", "validate": False, "overwrite_ents": False, "ent_id_sep": "||"})
def make_windowed_ruler(nlp: Language, name: str, phrase_matcher_attr: str, validate: bool,
                        overwrite_ents: bool, ent_id_sep: str) -> "WindowedEntityRuler":
    return WindowedEntityRuler(nlp, name, phrase_matcher_attr=phrase_matcher_attr, validate=validate,
                               overwrite_ents=overwrite_ents, ent_id_sep=ent_id_sep)


class WindowedEntityRuler(EntityRuler):
    """spaCy's EntityRuler, its token patterns walked from the words that can start one (else flagged and
    matched by its Matcher, which holds them only then)."""

    def __init__(self, nlp: Language, name: str = "entity_ruler", **config):
        self._tests: dict[WordTest, int] = {}  # every walk's tests of a word, each with its bit
        self._walks: list[Walk] | None = []  # the token patterns; None: the Matcher matches the whole Doc
        self._bits: dict[int, int] = {}  # word (orth id) -> the bits of the tests it passes
        self._walks_from: dict[int, int] = {}  # word that can start a walk -> the bits of those walks
        self._phrases: PhraseIndex | None = None  # the phrase patterns (``phrase_patterns`` holds their texts)
        self._in_matcher: dict[str, int] = {}  # label -> how many of its token patterns the Matcher holds
        super().__init__(nlp, name, **config)

    def _phrase_index(self) -> PhraseIndex:
        """The phrase patterns' index, on the attribute the ruler matches them on now (loading a saved
        ruler sets it after making the ruler, as ``EntityRuler.from_disk`` does)."""
        attr = self.phrase_matcher_attr or "ORTH"
        if self._phrases is None or self._phrases.attr != str(attr).upper():
            self._phrases = PhraseIndex(attr)
            for label, texts in self.phrase_patterns.items():
                for text in texts:
                    self._phrases.add(self.nlp.vocab.strings[label], phrase_words(text))
        return self._phrases

    def add_patterns(self, patterns: list[dict]) -> None:
        """What ``EntityRuler.add_patterns`` does, with phrases indexed by their words and token patterns flagged."""
        for entry in patterns:
            label, pattern = entry["label"], entry["pattern"]
            if "id" in entry:
                ent_label, label = label, self._create_label(label, entry["id"])
                self._ent_ids[self.matcher._normalize_key(label)] = (ent_label, entry["id"])
            if isinstance(pattern, str):
                self.phrase_patterns[label].append(pattern)
                self._phrase_index().add(self.nlp.vocab.strings.add(label), phrase_words(pattern))
            elif isinstance(pattern, list):
                self.token_patterns[label].append(pattern)
                self._learn_walk(self.nlp.vocab.strings.add(label), pattern)
                self._fill_matcher()
            else:
                raise ValueError(f"an entity ruler pattern is a string or a list of token specs, not {pattern!r}")

    def _learn_walk(self, key: int, pattern: list[dict]) -> None:
        specs = _specs(pattern, self._bit) if self._walks is not None else None
        if specs is None:
            self._walks = None
        else:
            firsts = []
            for need, optional in specs:
                firsts.append(need)
                if not optional:
                    break
            self._walks.append(Walk(key, specs, tuple(firsts)))
        self._bits.clear()
        self._walks_from.clear()

    def _fill_matcher(self) -> None:
        """Once a token pattern cannot be walked, the Matcher matches them all: it is given those it lacks
        (flagged only then: a lexeme flag's test runs on every new word of the vocabulary)."""
        if self._walks is not None:
            return
        for label, patterns in self.token_patterns.items():
            held = self._in_matcher.get(label, 0)
            if held < len(patterns):
                self.matcher.add(label, [flagged(self.nlp.vocab, p) for p in patterns[held:]])
                self._in_matcher[label] = len(patterns)

    def _bit(self, test: WordTest) -> int:
        return self._tests.setdefault(test, 1 << len(self._tests))

    def _relearn(self) -> None:
        """The walks again, from the token patterns as they are now."""
        self._tests, self._walks = {}, []
        for label, patterns in self.token_patterns.items():
            for pattern in patterns:
                self._learn_walk(self.nlp.vocab.strings.add(label), pattern)
        self._bits.clear()
        self._walks_from.clear()
        self._fill_matcher()

    def clear(self) -> None:
        super().clear()  # a new, empty Matcher
        self._in_matcher = {}
        self._relearn()
        self._phrases = None

    @property
    def patterns(self) -> list[dict]:
        """``EntityRuler.patterns``: every pattern as it was added, token patterns first."""
        found = []
        for of in (self.token_patterns, self.phrase_patterns):
            for label, patterns in of.items():
                ent_label, ent_id = self._split_label(label)
                found += [{"label": ent_label, "pattern": p, **({"id": ent_id} if ent_id else {})} for p in patterns]
        return found

    def remove(self, ent_id: str) -> None:
        """``EntityRuler.remove``: the patterns added with the id ``ent_id`` go."""
        keys = [key for key, (_, eid) in self._ent_ids.items() if eid == ent_id]
        if not keys:
            raise ValueError(f"{self.name} has no pattern with the id {ent_id!r}")
        labels = {self._create_label(self._ent_ids.pop(key)[0], ent_id) for key in keys}
        for label in labels:
            if self.token_patterns.pop(label, None) is not None:
                if self._in_matcher.pop(label, None):
                    self.matcher.remove(label)
                self._relearn()
            if self.phrase_patterns.pop(label, None) is not None:
                self._phrase_index().remove(self.nlp.vocab.strings[label])

    def _learn_word(self, word: int) -> None:
        """The tests ``word`` passes and the walks that can start at it."""
        text = self.nlp.vocab.strings[word]
        bits = self._bits[word] = sum(bit for test, bit in self._tests.items() if test(text))
        walks = sum(1 << n for n, walk in enumerate(self._walks) if any(bits & need == need for need in walk.firsts))
        if walks:
            self._walks_from[word] = walks

    def _token_matches(self, doc: Doc) -> list[tuple[int, int, int]]:
        """What ``self.matcher(doc)`` finds, walking the patterns from the tokens where one can start."""
        if self._walks is None:
            return list(self.matcher(doc))
        if not self._walks or not len(doc):
            return []
        words = column(doc, ORTH).tolist()
        bits, walks_from = self._bits, self._walks_from
        for word in set(words).difference(bits):
            self._learn_word(word)
        matches = []
        for i in [i for i, word in enumerate(words) if word in walks_from]:
            walks, n = walks_from[words[i]], 0
            while walks:
                if walks & 1:
                    walk = self._walks[n]
                    matches += [(walk.key, i, end) for end in walk.ends(words, bits, i) if end > i]
                walks >>= 1
                n += 1
        return matches

    def match(self, doc: Doc):
        """``EntityRuler.match``, its token matches from ``_token_matches``."""
        self._require_patterns()
        matches = self._token_matches(doc) + self._phrase_index()(doc)
        final_matches = {(m_id, start, end) for m_id, start, end in matches if start != end}
        return sorted(final_matches, key=lambda m: (m[2] - m[1], -m[1]), reverse=True)

    def set_annotations(self, doc: Doc, matches) -> None:
        """``EntityRuler.set_annotations`` without a Token object per matched token: when entities are not
        overwritten, a match over a token that has one is dropped, so no entity is ever replaced."""
        if self.overwrite:
            super().set_annotations(doc, matches)
            return
        with_entity = set(numpy.flatnonzero(doc.to_array(ENT_TYPE)).tolist())  # (often none: the first ruler)
        new_entities = []
        seen_tokens: set[int] = set()
        for match_id, start, end in matches:
            if with_entity and not with_entity.isdisjoint(range(start, end)):
                continue
            # check for end - 1 here because boundaries are inclusive (as EntityRuler does)
            if start not in seen_tokens and end - 1 not in seen_tokens:
                if match_id in self._ent_ids:
                    label, ent_id = self._ent_ids[match_id]
                    new_entities.append(Span(doc, start, end, label=label, span_id=ent_id))
                else:
                    new_entities.append(Span(doc, start, end, label=match_id))
                seen_tokens.update(range(start, end))
        # always, as EntityRuler does (other tokens become "O"); set_ents takes the Spans as they are, where
        # the ents setter would make each again
        set_entities(doc, (entities(doc) if with_entity else []) + new_entities)
