"""Event-trigger suggestions: the words of a lexicon, with their Indonesian affixes, as a spaCy component.

The lexicon (``data/triggers.toml``, or a file of the user's own given as the
component's ``lexicon``) lists, per label of the scheme's event layer, roots
and the affix patterns that keep the event's meaning; ``affixes.derive`` makes
the words (serang, "meN-" -> menyerang). ``TriggerTagger`` marks each such
word or fixed phrase in ``doc.spans["event"]``, which ``pretag.doc_suggestions``
stores as suggestions of the event layer.

Precision comes before recall: a trigger never overlaps an entity (the gold
conventions: "tiga korban" is a QUANTITY), a word with ``near`` words counts
only in a sentence holding one of them, a ``not_before`` word right after it
vetoes it ("serangan jantung" is a heart attack), and the lexicon's contexts
drop an event that is negated, conditional or generic ("tidak menyerang",
"jika serangan berlanjut") and make an attack announced with "akan" a THREAT.

This module imports spaCy: only the tag command loads it.
"""
from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

import numpy
from spacy.attrs import ENT_IOB, IS_PUNCT, LOWER, SENT_START
from spacy.language import Language
from spacy.tokens import Doc, Span

from .affixes import AffixError, derive
from .doc_words import positions, word_ids
from .errors import TandaiError

CLITIC = "nya"  # "serangannya": the possessive clitic leaves the event word as it is
_ENT_I, _ENT_B = 1, 3  # ENT_IOB values of a token inside an entity and at its start
_REDUPLICATED = "{0}-{0}"
# Forms that make verbs (the root alone is a headline's verb: "Milisi Serang Pos Polisi"); nouns
# ("serangan", "pembebasan") may be part of a name: "Tentara Pembebasan Nasional".
_VERB_PREFIXES = ("meN", "di", "ber", "ter")  # plural reduplication, one token to the tokenizer: serangan-serangan


@dataclass(frozen=True)
class Rule:
    """What a matched phrase suggests, and when it does not count."""
    label: str
    near: tuple[tuple[str, ...], ...] = ()  # lowercase phrases, one of which must be in the sentence
    not_before: tuple[tuple[str, ...], ...] = ()  # lowercase phrases that must not follow it
    after: frozenset[str] = frozenset()  # if given, the word right before it must be one of these
    near_earlier: bool = False  # the near words count anywhere earlier in the article too ("Pertukaran ini")


@dataclass(frozen=True)
class Context:
    """Words near a trigger that drop it (``becomes`` empty) or relabel it: negation, a condition, "akan"."""
    after: frozenset[str]  # any of these among the ``window`` words before the trigger
    before: frozenset[str]  # or among the ``window`` words after it, within its sentence
    window: int
    becomes: str
    labels: frozenset[str] = frozenset()  # the labels it applies to (empty: all)


@dataclass(frozen=True)
class Lexicon:
    phrases: dict[tuple[str, ...], Rule]  # lowercase words -> rule
    contexts: tuple[Context, ...] = ()  # the first that applies to a trigger decides
    verbs: frozenset[str] = frozenset()  # one-word verb forms ("serang", "menyerang", "diserang"): never a name's

    @property
    def labels(self) -> frozenset[str]:
        return frozenset(rule.label for rule in self.phrases.values()) | {
            c.becomes for c in self.contexts if c.becomes} | {label for c in self.contexts for label in c.labels}


def _strings(entry: dict, key: str, where: str) -> list[str]:
    value = entry.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise TandaiError(f"{where}: {key} must be a list of non-empty strings")
    return [" ".join(v.lower().split()) for v in value]


def _tables(data: dict, key: str, origin: str) -> list[dict]:
    tables = data.get(key, [])
    if not isinstance(tables, list) or not all(isinstance(t, dict) for t in tables):
        raise TandaiError(f"{origin}: expected [[{key}]] tables")
    return tables


def _check_keys(entry: dict, known: set[str], where: str) -> None:
    unknown = set(entry) - known
    if unknown:
        raise TandaiError(f"{where}: unknown key {sorted(unknown)[0]!r}")


def _rule(entry: dict, where: str) -> Rule:
    _check_keys(entry, {"label", "roots", "forms", "near", "not_before", "after", "near_earlier"}, where)
    label = entry.get("label")
    if not isinstance(label, str) or not label.strip():
        raise TandaiError(f"{where}: label must be a label of the event layer")
    near_earlier = entry.get("near_earlier", False)
    if not isinstance(near_earlier, bool):
        raise TandaiError(f"{where}: near_earlier must be true or false")
    return Rule(label, tuple(tuple(p.split()) for p in _strings(entry, "near", where)),
                tuple(tuple(p.split()) for p in _strings(entry, "not_before", where)),
                frozenset(_strings(entry, "after", where)), near_earlier)


def _context(entry: dict, where: str) -> Context:
    _check_keys(entry, {"after", "before", "window", "becomes", "labels"}, where)
    window, becomes = entry.get("window", 1), entry.get("becomes", "")
    if not isinstance(window, int) or isinstance(window, bool) or not 1 <= window <= 10:
        raise TandaiError(f"{where}: window must be a number of words from 1 to 10")
    if not isinstance(becomes, str):
        raise TandaiError(f"{where}: becomes must be a label, or \"\" to drop the trigger")
    return Context(frozenset(_strings(entry, "after", where)), frozenset(_strings(entry, "before", where)),
                   window, becomes, frozenset(label.upper() for label in _strings(entry, "labels", where)))


def parse_lexicon(text: str, origin: str = "trigger lexicon") -> Lexicon:
    """Read a lexicon (the format: ``data/triggers.toml``); every problem is a one-line TandaiError."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise TandaiError(f"{origin}: not valid TOML: {exc}") from None
    phrases: dict[tuple[str, ...], Rule] = {}
    verbs: set[str] = set()
    for n, entry in enumerate(_tables(data, "trigger", origin), 1):
        where = f"{origin}: trigger {n}"
        rule = _rule(entry, where)
        forms = entry.get("forms", [""])
        if not isinstance(forms, list) or not all(isinstance(f, str) for f in forms):
            raise TandaiError(f"{where}: forms must be a list of affix patterns like \"meN-\" or \"peN--an\"")
        verbal = any(form.split("-")[0] in _VERB_PREFIXES for form in forms if form)  # a verb's root
        for root in _strings(entry, "roots", where):
            for form in forms:
                try:
                    words = derive(root, form)
                except AffixError as exc:
                    raise TandaiError(f"{where}: {exc}") from None
                if " " not in root and (form.split("-")[0] in _VERB_PREFIXES or (form == "" and verbal)):
                    verbs.update(words)
                for word in words:
                    spellings = (word, _REDUPLICATED.format(word)) if " " not in word else (word,)
                    for phrase in (spelling + clitic for spelling in spellings for clitic in ("", CLITIC)):
                        other = phrases.setdefault(tuple(phrase.split()), rule)
                        if other.label != rule.label:
                            raise TandaiError(f"{where}: {phrase!r} is both {other.label} and {rule.label}")
    contexts = tuple(_context(entry, f"{origin}: context {n}")
                     for n, entry in enumerate(_tables(data, "context", origin), 1))
    return Lexicon(phrases, contexts, frozenset(verbs))


@cache
def default_lexicon() -> Lexicon:
    text = resources.files("annotations.data").joinpath("triggers.toml").read_text("utf-8")
    return parse_lexicon(text, "default trigger lexicon")


def load_lexicon(path: str | Path | None = None) -> Lexicon:
    """The lexicon in ``path``, or the default one."""
    if not path:
        return default_lexicon()
    try:
        text = Path(path).read_text("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise TandaiError(f"{path}: cannot read the trigger lexicon: {getattr(exc, 'strerror', None) or exc}") from None
    return parse_lexicon(text, str(path))


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


class TriggerTagger:
    """Adds the lexicon's triggers to ``doc.spans["event"]``: the longest phrase wins, entities are left alone."""

    def __init__(self, nlp: Language, lexicon: Lexicon):
        strings = nlp.vocab.strings

        def hashes(phrases: tuple[tuple[str, ...], ...]) -> tuple[tuple[int, ...], ...]:
            return tuple(tuple(strings.add(w) for w in p) for p in phrases)

        # Phrases by the hash of their first word, longest first: a Doc is read as
        # one array of lowercase hashes, and only the tokens that start a phrase are looked at.
        self.starts: dict[int, list[_Pattern]] = {}
        for words, rule in lexicon.phrases.items():
            pattern = _Pattern(hashes((words,))[0], rule.label, hashes(rule.near), hashes(rule.not_before),
                               frozenset(strings.add(w) for w in rule.after), rule.near_earlier)
            self.starts.setdefault(pattern.ids[0], []).append(pattern)
        self.contexts = [(frozenset(strings.add(w) for w in c.after), frozenset(strings.add(w) for w in c.before),
                          c.window, c.becomes, c.labels) for c in lexicon.contexts]
        for candidates in self.starts.values():
            candidates.sort(key=lambda p: -len(p.ids))
        self.start_ids = word_ids(self.starts)

    def __call__(self, doc: Doc) -> Doc:
        if not len(doc):
            return doc
        cols = doc.to_array([LOWER, ENT_IOB, SENT_START, IS_PUNCT])
        hits = positions(cols[:, 0], self.start_ids).tolist()
        if not hits:
            return doc
        lower = cols[:, 0].tolist()
        entity = set(numpy.flatnonzero((cols[:, 1] == _ENT_I) | (cols[:, 1] == _ENT_B)).tolist())
        found: list[tuple[int, int, str]] = []
        for i in hits:
            if found and i < found[-1][1]:
                continue  # inside the trigger found last
            pattern = self._match(doc, lower, entity, i)
            if pattern:
                found.append((i, i + len(pattern.ids), pattern.label))
        # a context's window ends with its sentence and at punctuation (a clause's end)
        bounds = (cols[:, 2] == 1).tolist(), (cols[:, 3] == 1).tolist()
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
            if tuple(lower[i:end]) != pattern.ids or not entity.isdisjoint(range(i, end)):
                continue
            if any(tuple(lower[end:end + len(p)]) == p for p in pattern.not_before):
                continue
            if pattern.after and (i == 0 or lower[i - 1] not in pattern.after):
                continue
            if pattern.near and not (_in_sentence(doc, lower, i, pattern.near) or (
                    pattern.near_earlier and _has_phrase(lower[:i], pattern.near))):
                continue
            return pattern
        return None

    def _in_context(self, lower: list[int], bounds: tuple[list[bool], list[bool]], start: int, end: int,
                    label: str) -> str:
        """The trigger's label after the first context that applies ("" drops it)."""
        sentence_start, punct = bounds
        for after, before, window, becomes, labels in self.contexts:
            if labels and label not in labels:
                continue
            first = start  # back to the window's first word, not past its sentence's start or punctuation
            while first > 0 and start - first < window and not sentence_start[first] and not punct[first - 1]:
                first -= 1
            last = end
            while last < len(lower) and last - end < window and not sentence_start[last] and not punct[last]:
                last += 1
            if not after.isdisjoint(lower[first:start]) or not before.isdisjoint(lower[end:last]):
                return becomes
        return label


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
