"""The pre-tagger's EntityRuler, made cheap: token patterns tested in C, only where one can start.

spaCy's Matcher tries every token pattern at every token, calling Python for
each set (``IN``) and ``REGEX`` predicate: on news text that was nearly half of
pre-tagging. ``WindowedEntityRuler`` is spaCy's EntityRuler (its patterns,
serialisation, API and the way it resolves matches) with two changes to how
its Matcher runs, neither changing what it finds:

- a set or regex test of a word's text (ORTH, TEXT, LOWER) is a lexeme flag,
  computed once per word of the vocabulary (``Vocab.add_flag``), which the
  Matcher checks in C;
- dates and counts start at few words (a digit, a weekday, "pukul", a number
  word), so the Matcher runs over short windows only: from each token whose
  word can start a pattern, as far as the longest pattern reaches. Patterns a
  window cannot bound (an optional first token, ``+``, ``*``) make it match
  the whole Doc, as before.

Phrase patterns are found by their words' hashes (``phrase_index``), not by a
PhraseMatcher: no Doc and no lexeme is made for them (the EntityRuler runs each
through the pipeline, and the gazetteers' words were most of the build), and
they are matched on ORTH or LOWER only.

This module imports spaCy: only the pre-tagging pipeline loads it.
"""
from __future__ import annotations

import re
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
_ONE_TOKEN_OPS = (None, "1", "?", "!")  # ops under which a token spec covers at most one token
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


def _first_token_tests(pattern: list[dict]) -> tuple[WordTest, ...] | None:
    """Tests on a word's string that a token must pass for ``pattern`` to match from it (None: cannot tell)."""
    if not pattern or pattern[0].get("OP") not in (None, "1"):
        return None
    tests = tuple(WordTest.of(attr, value) for attr, value in pattern[0].items() if attr != "OP")
    return None if None in tests else tests


def _reach(pattern: list[dict]) -> int | None:
    """The most tokens ``pattern`` can cover (None: no bound)."""
    if any(spec.get("OP") not in _ONE_TOKEN_OPS for spec in pattern):
        return None
    return len(pattern)


@Language.factory("tandai_entity_ruler", default_config={
    "phrase_matcher_attr": "ORTH", "validate": False, "overwrite_ents": False, "ent_id_sep": "||"})
def make_windowed_ruler(nlp: Language, name: str, phrase_matcher_attr: str, validate: bool,
                        overwrite_ents: bool, ent_id_sep: str) -> "WindowedEntityRuler":
    return WindowedEntityRuler(nlp, name, phrase_matcher_attr=phrase_matcher_attr, validate=validate,
                               overwrite_ents=overwrite_ents, ent_id_sep=ent_id_sep)


class WindowedEntityRuler(EntityRuler):
    """spaCy's EntityRuler, its token patterns flagged and matched in windows from the tokens that can start one."""

    def __init__(self, nlp: Language, name: str = "entity_ruler", **config):
        self._starts: list[tuple[WordTest, ...]] | None = []  # per token pattern; None: match the whole Doc
        self._reach = 0
        self._can_start: dict[int, bool] = {}  # word (orth id) -> whether a pattern can start at it
        self._phrases: PhraseIndex | None = None  # the phrase patterns (``phrase_patterns`` holds their texts)
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
                self.matcher.add(label, [flagged(self.nlp.vocab, pattern)])
                self._learn_start(pattern)
            else:
                raise ValueError(f"an entity ruler pattern is a string or a list of token specs, not {pattern!r}")

    def _learn_start(self, pattern: list[dict]) -> None:
        tests, reach = _first_token_tests(pattern), _reach(pattern)
        if tests is None or reach is None or self._starts is None:
            self._starts = None
        else:
            self._starts.append(tests)
            self._reach = max(self._reach, reach)
        self._can_start.clear()

    def clear(self) -> None:
        super().clear()
        self._starts, self._reach = [], 0
        self._can_start.clear()
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
                self.matcher.remove(label)
            if self.phrase_patterns.pop(label, None) is not None:
                self._phrase_index().remove(self.nlp.vocab.strings[label])

    def _token_matches(self, doc: Doc) -> list[tuple[int, int, int]]:
        """What ``self.matcher(doc)`` finds, matching only the windows where a pattern can start."""
        if self._starts is None:
            return list(self.matcher(doc))
        if not self._starts or not len(doc):
            return []
        words, where = numpy.unique(column(doc, ORTH), return_inverse=True)
        strings, can, starts = doc.vocab.strings, self._can_start, self._starts
        for word in words.tolist():
            if word not in can:
                text = strings[word]
                can[word] = any(all(test(text) for test in tests) for tests in starts)
        first = numpy.flatnonzero(numpy.array([can[word] for word in words.tolist()], dtype=bool)[where])
        matches = []
        window_start, window_end = 0, -1
        for i in first.tolist():
            if i > window_end:  # a gap: match the window so far, start the next one here
                matches.extend(self._window_matches(doc, window_start, window_end))
                window_start = i
            window_end = min(len(doc), i + self._reach)
        matches.extend(self._window_matches(doc, window_start, window_end))
        return matches

    def _window_matches(self, doc: Doc, start: int, end: int) -> list[tuple[int, int, int]]:
        if end <= start:
            return []
        return [(key, start + s, start + e) for key, s, e in self.matcher(doc[start:end])]

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
