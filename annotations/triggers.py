"""Event-trigger suggestions: the words of a lexicon, with their Indonesian affixes, as a spaCy component.

The lexicon (``trigger_lexicon``: the database's scheme's, which ``pretag``
hands the component; the bundled ``data/triggers.toml`` by default) lists, per
label of the scheme's event layer, roots and the affix patterns that keep the
event's meaning. ``TriggerTagger`` marks each word or fixed phrase they make in
``doc.spans["event"]``, which ``pretag.doc_suggestions`` stores as suggestions
of the event layer.

Precision comes before recall: a trigger never overlaps an entity (the gold
conventions: "tiga korban" is a QUANTITY), save that a phrase of several words
wins over a one-word entity that is its first word, which it then replaces (a
headline's "Baku Tembak" is the clash, not the city Baku), a word with ``near`` words counts
only in a sentence holding one of them, one with ``beside`` labels only next
to such an entity ("penyerahan Kalbajar"), a ``not_before`` word right after
it or a ``not_after`` word right before it vetoes it ("serangan jantung" is a
heart attack, "yang mereka kuasai" a state), so does a ``not_later`` word
further on in its clause, past the object ("membebaskan desa itu dari pajak"),
a word whose rule does not count
may have another that does ("dibebaskan": hostages, or towns), and the
lexicon's contexts drop an event that is negated, conditional or generic
("tidak menyerang", "jika serangan berlanjut") and make an attack announced
with "akan" a THREAT.

This module imports spaCy: only the tag command loads it.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy
from spacy.attrs import ENT_IOB, IS_PUNCT, LOWER, SENT_START
from spacy.language import Language
from spacy.tokens import Doc, Span

from .doc_arrays import column, entities, set_entities
from .doc_words import positions, word_ids
from .trigger_lexicon import Lexicon, load_lexicon

_ENT_I, _ENT_B = 1, 3  # ENT_IOB values of a token inside an entity and at its start
_LATER = 5  # how many words after a trigger a ``not_later`` word may come
_COMPARATIVES = ("lebih", "kurang")  # "membebaskan lebih dari 300 desa": more than, not freed from


@Language.factory("tandai_triggers", default_config={"lexicon": ""})
def make_triggers(nlp: Language, name: str, lexicon: str) -> "TriggerTagger":
    return TriggerTagger(nlp, load_lexicon(lexicon))


@dataclass(frozen=True, slots=True)
class _Pattern:
    """One phrase of the lexicon as the tagger compares it: string hashes instead of words."""
    ids: tuple[int, ...]
    label: str
    near: tuple[tuple[int, ...], ...]
    not_before: tuple[tuple[int, ...], ...]
    after: frozenset[int]
    near_earlier: bool
    not_after: tuple[tuple[int, ...], ...]
    beside: frozenset[str]
    passive: bool
    not_later: tuple[tuple[int, ...], ...]


class TriggerTagger:
    """Adds the lexicon's triggers to ``doc.spans["event"]``: the longest phrase wins, entities are left alone
    but a one-word one that a phrase of several words starts with ("Baku Tembak")."""

    def __init__(self, nlp: Language, lexicon: Lexicon):
        self.strings = nlp.vocab.strings
        self.comparatives = frozenset(self.strings.add(word) for word in _COMPARATIVES)
        self.use(lexicon)

    def use(self, lexicon: Lexicon) -> None:
        """Match ``lexicon`` from now on (``pretag`` gives the tagger the database's scheme's)."""
        if getattr(self, "lexicon", None) is lexicon:
            return
        self.lexicon = lexicon
        strings = self.strings

        def hashes(phrases: tuple[tuple[str, ...], ...]) -> tuple[tuple[int, ...], ...]:
            return tuple(tuple(strings.add(w) for w in p) for p in phrases)

        # Phrases by the hash of their first word, longest first: a Doc is read as
        # one array of lowercase hashes, and only the tokens that start a phrase are looked at.
        self.starts: dict[int, list[_Pattern]] = {}
        for words, rules in lexicon.phrases.items():
            for rule in rules:
                pattern = _Pattern(hashes((words,))[0], rule.label, hashes(rule.near), hashes(rule.not_before),
                                   frozenset(strings.add(w) for w in rule.after), rule.near_earlier,
                                   hashes(rule.not_after), rule.beside, rule.passive, hashes(rule.not_later))
                self.starts.setdefault(pattern.ids[0], []).append(pattern)
        self.contexts = [(frozenset(strings.add(w) for w in c.after), frozenset(strings.add(w) for w in c.before),
                          c.window, c.becomes, c.labels, frozenset(strings.add(w) for w in c.through))
                         for c in lexicon.contexts]
        self.widest = max((c.window for c in lexicon.contexts), default=0)
        for candidates in self.starts.values():
            candidates.sort(key=lambda p: -len(p.ids))  # stable: a phrase's rules stay in the lexicon's order
        self.start_ids = word_ids(self.starts)

    def __call__(self, doc: Doc) -> Doc:
        if not len(doc):
            return doc
        lowers = column(doc, LOWER)
        hits = positions(lowers, self.start_ids).tolist()
        if not hits:
            return doc
        lower = lowers.tolist()
        cols = doc.to_array([ENT_IOB, SENT_START])
        entity = set(numpy.flatnonzero((cols[:, 0] == _ENT_I) | (cols[:, 0] == _ENT_B)).tolist())
        found: list[tuple[int, int, str]] = []
        for i in hits:
            if found and i < found[-1][1]:
                continue  # inside the trigger found last
            pattern = self._match(doc, lower, entity, i)
            if pattern:
                found.append((i, i + len(pattern.ids), pattern.label))
        replaced = {start for start, _, _ in found if start in entity}  # one-word entities a phrase starts with
        if replaced:
            set_entities(doc, [ent for ent in entities(doc) if ent.start not in replaced])
        # a context's window ends with its sentence and at punctuation (a clause's end)
        bounds = (cols[:, 1] == 1).tolist(), (column(doc, IS_PUNCT) == 1).tolist()
        spans = []
        for start, end, label in _join_imitative(doc, found):
            label = self._in_context(lower, bounds, start, end, label)
            if label:
                spans.append(Span(doc, start, end, label=label))
        if "event" in doc.spans:
            doc.spans["event"].extend(spans)
        elif spans:
            doc.spans["event"] = spans
        return doc

    def _match(self, doc: Doc, lower: list[int], entity: set[int], i: int) -> _Pattern | None:
        """The longest phrase at token ``i`` that counts here, or None."""
        for pattern in self.starts[lower[i]]:
            end = i + len(pattern.ids)
            if tuple(lower[i:end]) != pattern.ids or not entity.isdisjoint(range(i + 1, end)) or (
                    i in entity and (end - i == 1 or doc[i].ent_iob != _ENT_B)):
                continue  # an entity in it, save a one-word one it starts with (replaced: "Baku Tembak")
            if any(tuple(lower[end:end + len(p)]) == p for p in pattern.not_before):
                continue
            if pattern.after and (i == 0 or lower[i - 1] not in pattern.after):
                continue
            if any(i >= len(p) and tuple(lower[i - len(p):i]) == p for p in pattern.not_after):
                continue
            if pattern.not_later and self._later(doc, lower, end, pattern.not_later):
                continue
            if pattern.beside and not _beside(doc, i, end, pattern.beside, pattern.passive):
                continue
            if pattern.near and not (_in_sentence(doc, lower, i, pattern.near) or (
                    pattern.near_earlier and _has_phrase(lower[:i], pattern.near))):
                continue
            return pattern
        return None

    def _later(self, doc: Doc, lower: list[int], end: int, phrases: tuple[tuple[int, ...], ...]) -> bool:
        """Whether one of ``phrases`` follows token ``end`` in its clause, a comparative's "dari" aside."""
        words = lower[end:_clause_end(doc, end)]
        return any(tuple(words[k:k + len(p)]) == p and not (k and words[k - 1] in self.comparatives)
                   for p in phrases for k in range(len(words) - len(p) + 1))

    def _in_context(self, lower: list[int], bounds: tuple[list[bool], list[bool]], start: int, end: int,
                    label: str) -> str:
        """The trigger's label after the first context that applies ("" drops it)."""
        sentence_start, punct = bounds
        # the widest window's ends, found once: a narrower window ends where the widest does or sooner
        first = start  # back to the window's first word, not past its sentence's start or punctuation
        while first > 0 and start - first < self.widest and not sentence_start[first] and not punct[first - 1]:
            first -= 1
        last = end
        while last < len(lower) and last - end < self.widest and not sentence_start[last] and not punct[last]:
            last += 1
        for after, before, window, becomes, labels, through in self.contexts:
            if labels and label not in labels:
                continue
            words_before = lower[max(first, start - window):start]
            words_after = lower[end:min(last, end + window)]
            if through:  # only the words ``through`` may stand between the context's word and the trigger
                words_before = _reached(words_before[::-1], through)
                words_after = _reached(words_after, through)
            if not after.isdisjoint(words_before) or not before.isdisjoint(words_after):
                return becomes
        return label


def _reached(words: list[int], through: frozenset[int]) -> list[int]:
    """``words`` (nearest the trigger first) up to and including the first that is not in ``through``."""
    for k, word in enumerate(words):
        if word not in through:
            return words[:k + 1]
    return words


def _beside(doc: Doc, start: int, end: int, labels: frozenset[str], passive: bool) -> bool:
    """Whether an entity of ``labels`` starts right after tokens ``start:end`` ("penyerahan Kalbajar") or, for
    a passive, ends just before them, one word between at most ("Kalbajar resmi diserahkan")."""
    if end < len(doc) and doc[end].ent_iob_ == "B" and doc[end].ent_type_ in labels:
        return True
    for k in range(start - 1, max(start - 3, -1) if passive else start, -1):
        if doc[k].ent_type_ in labels:
            return True
        if doc[k].is_punct or doc[k].ent_type_:
            return False
    return False


def _clause_end(doc: Doc, start: int) -> int:
    """Where the clause that goes on at token ``start`` ends: punctuation, the sentence's end, or
    ``_LATER`` words on, which is as far as an object reaches ("membebaskan warga desa itu dari")."""
    end = start
    while end < len(doc) and end - start < _LATER and not doc[end].is_punct and not (
            end > start and doc[end].is_sent_start):
        end += 1
    return end


def _in_sentence(doc: Doc, lower: list[int], i: int, phrases: tuple[tuple[int, ...], ...]) -> bool:
    """Whether one of ``phrases`` is in the sentence of token ``i``."""
    sent = doc[i].sent
    return _has_phrase(lower[sent.start:sent.end], phrases)


def _has_phrase(words: list[int], phrases: tuple[tuple[int, ...], ...]) -> bool:
    return any(tuple(words[k:k + len(p)]) == p for p in phrases for k in range(len(words) - len(p) + 1))


def _join_imitative(doc: Doc, found: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """"tembak-menembak" (the tokenizer's tembak, -, menembak) is one trigger, not two."""
    joined: list[tuple[int, int, str]] = []
    for start, end, label in found:
        if joined and joined[-1][1] + 1 == start and joined[-1][2] == label:
            hyphen = doc[start - 1]
            if hyphen.text == "-" and not hyphen.whitespace_ and not doc[start - 2].whitespace_:
                joined[-1] = (joined[-1][0], end, label)
                continue
        joined.append((start, end, label))
    return joined
