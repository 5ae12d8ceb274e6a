"""Event-trigger suggestions: the words of a lexicon, with their Indonesian affixes, as a spaCy component.

The lexicon (``data/triggers.toml``, or a file of the user's own given as the
component's ``lexicon``) lists, per label of the scheme's event layer, roots
and the affix patterns that keep the event's meaning; ``affixes.derive`` makes
the words (serang, "meN-" -> menyerang). ``TriggerTagger`` marks each such
word or fixed phrase in ``doc.spans["event"]``, which ``pretag.doc_suggestions``
stores as suggestions of the event layer.

Precision comes before recall: a trigger never overlaps an entity (the gold
conventions: "tiga korban" is a QUANTITY), a word with ``near`` words counts
only in a sentence holding one of them, and a ``not_before`` word right after
it vetoes it ("serangan jantung" is a heart attack).

This module imports spaCy: only the tag command loads it.
"""
from __future__ import annotations

import bisect
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

from spacy.attrs import ENT_IOB, IDX, LOWER
from spacy.language import Language
from spacy.tokens import Doc, Span

from .affixes import AffixError, derive
from .errors import TandaiError

CLITIC = "nya"  # "serangannya": the possessive clitic leaves the event word as it is
_IN_ENTITY = (1, 3)  # ENT_IOB values of a token inside (I) or at the start of (B) an entity


@dataclass(frozen=True)
class Rule:
    """What a matched phrase suggests, and when it does not count."""
    label: str
    root: str
    near: tuple[tuple[str, ...], ...] = ()  # lowercase phrases, one of which must be in the sentence
    not_before: tuple[tuple[str, ...], ...] = ()  # lowercase phrases that must not follow it


@dataclass(frozen=True)
class Lexicon:
    phrases: dict[tuple[str, ...], Rule]  # lowercase words -> rule

    @property
    def labels(self) -> frozenset[str]:
        return frozenset(rule.label for rule in self.phrases.values())


def _strings(entry: dict, key: str, where: str) -> list[str]:
    value = entry.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise TandaiError(f"{where}: {key} must be a list of non-empty strings")
    return [" ".join(v.split()) for v in value]


def parse_lexicon(text: str, origin: str = "trigger lexicon") -> Lexicon:
    """Read a lexicon (the format: ``data/triggers.toml``); every problem is a one-line TandaiError."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise TandaiError(f"{origin}: not valid TOML: {exc}") from None
    entries = data.get("trigger", [])
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        raise TandaiError(f"{origin}: expected [[trigger]] tables")
    phrases: dict[tuple[str, ...], Rule] = {}
    for n, entry in enumerate(entries, 1):
        where = f"{origin}: trigger {n}"
        label = entry.get("label")
        if not isinstance(label, str) or not label.strip():
            raise TandaiError(f"{where}: label must be a label of the event layer")
        unknown = set(entry) - {"label", "roots", "forms", "near", "not_before"}
        if unknown:
            raise TandaiError(f"{where}: unknown key {sorted(unknown)[0]!r}")
        near = tuple(tuple(p.lower().split()) for p in _strings(entry, "near", where))
        not_before = tuple(tuple(p.lower().split()) for p in _strings(entry, "not_before", where))
        forms = entry.get("forms", [""])
        if not isinstance(forms, list) or not all(isinstance(f, str) for f in forms):
            raise TandaiError(f"{where}: forms must be a list of affix patterns like \"meN-\" or \"peN--an\"")
        for root in _strings(entry, "roots", where):
            rule = Rule(label, root.lower(), near, not_before)
            for form in forms:
                try:
                    words = derive(root, form)
                except AffixError as exc:
                    raise TandaiError(f"{where}: {exc}") from None
                for word in words:
                    for phrase in (word, word + CLITIC):
                        key = tuple(phrase.split())
                        other = phrases.setdefault(key, rule)
                        if other.label != label:
                            raise TandaiError(f"{where}: {phrase!r} is both {other.label} and {label}")
    return Lexicon(phrases)


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


class TriggerTagger:
    """Adds the lexicon's triggers to ``doc.spans["event"]``: the longest phrase wins, entities are left alone."""

    def __init__(self, nlp: Language, lexicon: Lexicon):
        strings = nlp.vocab.strings
        # Phrases by the hash of their first word, longest first: a Doc is read as
        # one array of lowercase hashes, so a token costs one dict lookup.
        self.starts: dict[int, list[tuple[tuple[int, ...], Rule]]] = {}
        self.near: dict[Rule, tuple[tuple[int, ...], ...]] = {}
        self.not_before: dict[Rule, tuple[tuple[int, ...], ...]] = {}
        for words, rule in lexicon.phrases.items():
            ids = tuple(strings.add(w) for w in words)
            self.starts.setdefault(ids[0], []).append((ids, rule))
            self.near[rule] = tuple(tuple(strings.add(w) for w in p) for p in rule.near)
            self.not_before[rule] = tuple(tuple(strings.add(w) for w in p) for p in rule.not_before)
        for candidates in self.starts.values():
            candidates.sort(key=lambda c: -len(c[0]))
        self.single = {words[0]: rule for words, rule in lexicon.phrases.items() if len(words) == 1}

    def __call__(self, doc: Doc) -> Doc:
        if not len(doc):
            return doc
        cols = doc.to_array([LOWER, ENT_IOB])
        lower = cols[:, 0].tolist()
        in_entity = [iob in _IN_ENTITY for iob in cols[:, 1].tolist()]
        reduplicated = self._reduplicated(doc) if "-" in doc.text else {}
        found: list[Span] = []
        i, n = 0, len(lower)
        while i < n:
            matched = self._match(doc, lower, in_entity, i) if lower[i] in self.starts else None
            if matched is None and i in reduplicated and not in_entity[i]:
                matched = reduplicated[i], 1
            if matched is None:
                i += 1
                continue
            label, length = matched
            found.append(Span(doc, i, i + length, label=label))
            i += length
        if found:
            found = _join_imitative(doc, found)
            if "event" in doc.spans:
                doc.spans["event"].extend(found)
            else:
                doc.spans["event"] = found
        return doc

    def _match(self, doc: Doc, lower: list[int], in_entity: list[bool], i: int) -> tuple[str, int] | None:
        """The label and length of the longest phrase at token ``i`` that counts here, or None."""
        for ids, rule in self.starts[lower[i]]:
            end = i + len(ids)
            if tuple(lower[i:end]) != ids or any(in_entity[i:end]):
                continue
            if any(tuple(lower[end:end + len(p)]) == p for p in self.not_before[rule]):
                continue
            if self.near[rule] and not self._near(doc, lower, i, self.near[rule]):
                continue
            return rule.label, len(ids)
        return None

    @staticmethod
    def _near(doc: Doc, lower: list[int], i: int, phrases: tuple[tuple[int, ...], ...]) -> bool:
        sent = doc[i].sent
        words = lower[sent.start:sent.end]
        return any(tuple(words[k:k + len(p)]) == p for p in phrases for k in range(len(words) - len(p) + 1))

    def _reduplicated(self, doc: Doc) -> dict[int, str]:
        """Plural reduplication, which the tokenizer keeps as one token: "serangan-serangan" (token -> label)."""
        starts = doc.to_array(IDX).tolist()
        found: dict[int, str] = {}
        text = doc.text
        at = text.find("-")
        while at != -1:
            i = bisect.bisect_right(starts, at) - 1
            first, _, second = doc[i].lower_.partition("-")
            rule = self.single.get(second) if first == second else None
            if rule and not rule.near:
                found[i] = rule.label
            at = text.find("-", starts[i] + len(doc[i]))
        return found


def _join_imitative(doc: Doc, found: list[Span]) -> list[Span]:
    """"tembak-menembak" (the tokenizer's tembak, -, menembak) is one trigger, not two."""
    joined: list[Span] = []
    for span in found:
        last = joined[-1] if joined else None
        if (last is not None and last.label == span.label and span.start == last.end + 1
                and doc[last.end].text == "-" and not last[-1].whitespace_ and not doc[last.end].whitespace_):
            joined[-1] = Span(doc, last.start, span.end, label=span.label)
        else:
            joined.append(span)
    return joined
