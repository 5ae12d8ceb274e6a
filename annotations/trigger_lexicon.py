"""The trigger lexicon of a scheme's event layer: its TOML read and checked into phrases and rules.

A lexicon (the bundled one is ``data/triggers.toml``, which the default scheme
names; its header documents the format) lists, per label of the event layer,
roots and the affix patterns that keep the event's meaning; ``affixes.derive``
makes the words (serang, "meN-" -> menyerang). Reading it needs no spaCy, so
``scheme.load_scheme`` checks a scheme's lexicon against its event labels
without it (``tandai import --scheme``); ``triggers.TriggerTagger`` matches it.
"""
from __future__ import annotations

import tomllib
from collections.abc import Collection
from dataclasses import dataclass, replace
from functools import cache
from importlib import resources
from pathlib import Path

from .affixes import AffixError, derive
from .errors import TandaiError, shown

CLITIC = "nya"  # "serangannya": the possessive clitic leaves the event word as it is
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
    not_after: tuple[tuple[str, ...], ...] = ()  # lowercase phrases that must not come right before it
    beside: frozenset[str] = frozenset()  # if given, an entity of one of these labels must follow it
    passive: bool = False  # a di- form: its subject, before it, is what it acts on (beside counts there too)
    not_later: tuple[tuple[str, ...], ...] = ()  # lowercase phrases that must not follow it in its clause

    @property
    def conditional(self) -> bool:
        """Whether it counts only in some contexts (a later rule for the same words may then apply instead)."""
        return bool(self.near or self.after or self.beside or self.not_before or self.not_after or self.not_later)


@dataclass(frozen=True)
class Context:
    """Words near a trigger that drop it (``becomes`` empty) or relabel it: negation, a condition, "akan"."""
    after: frozenset[str]  # any of these among the ``window`` words before the trigger
    before: frozenset[str]  # or among the ``window`` words after it, within its sentence
    window: int
    becomes: str
    labels: frozenset[str] = frozenset()  # the labels it applies to (empty: all)
    through: frozenset[str] = frozenset()  # if given, the only words that may stand between its word and the trigger


@dataclass(frozen=True)
class Lexicon:
    phrases: dict[tuple[str, ...], tuple[Rule, ...]]  # lowercase words -> rules, the first that counts decides
    contexts: tuple[Context, ...] = ()  # the first that applies to a trigger decides
    verbs: frozenset[str] = frozenset()  # one-word verb forms ("serang", "menyerang", "diserang"): never a name's

    @property
    def labels(self) -> frozenset[str]:
        return frozenset(rule.label for rules in self.phrases.values() for rule in rules) | {
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


def _entry(entry: dict, kind: str, n: int, origin: str) -> str:
    """How errors name an entry: its place, and its first root or word ("trigger 3 (serang)")."""
    words = entry.get("roots") or entry.get("after") or entry.get("before")
    first = words[0] if isinstance(words, list) and words and isinstance(words[0], str) else ""
    return f"{origin}: {kind} {n}" + (f" ({shown(first)})" if first else "")


def _check_label(label: str, labels: Collection[str] | None, where: str, key: str) -> None:
    if labels is not None and label not in labels:
        raise TandaiError(f"{where}: {key} {shown(label)!r} is not a label of the scheme's event layer"
                          f" ({', '.join(labels) or 'it has none'})")


def _rule(entry: dict, where: str, labels: Collection[str] | None) -> Rule:
    _check_keys(entry, {"label", "roots", "forms", "near", "not_before", "after", "near_earlier", "not_after",
                        "beside", "not_later"}, where)
    label = entry.get("label")
    if not isinstance(label, str) or not label.strip():
        raise TandaiError(f"{where}: label must be a label of the event layer")
    _check_label(label, labels, where, "label")
    near_earlier = entry.get("near_earlier", False)
    if not isinstance(near_earlier, bool):
        raise TandaiError(f"{where}: near_earlier must be true or false")
    return Rule(label, tuple(tuple(p.split()) for p in _strings(entry, "near", where)),
                tuple(tuple(p.split()) for p in _strings(entry, "not_before", where)),
                frozenset(_strings(entry, "after", where)), near_earlier,
                tuple(tuple(p.split()) for p in _strings(entry, "not_after", where)),
                frozenset(name.upper() for name in _strings(entry, "beside", where)),  # entity labels
                not_later=tuple(tuple(p.split()) for p in _strings(entry, "not_later", where)))


def _context(entry: dict, where: str, labels: Collection[str] | None) -> Context:
    _check_keys(entry, {"after", "before", "window", "becomes", "labels", "through"}, where)
    window, becomes = entry.get("window", 1), entry.get("becomes", "")
    if not isinstance(window, int) or isinstance(window, bool) or not 1 <= window <= 10:
        raise TandaiError(f"{where}: window must be a number of words from 1 to 10")
    if not isinstance(becomes, str):
        raise TandaiError(f"{where}: becomes must be a label, or \"\" to drop the trigger")
    if becomes:
        _check_label(becomes, labels, where, "becomes")
    applies = frozenset(label.upper() for label in _strings(entry, "labels", where))
    for label in sorted(applies):
        _check_label(label, labels, where, "labels")
    return Context(frozenset(_strings(entry, "after", where)), frozenset(_strings(entry, "before", where)),
                   window, becomes, applies, frozenset(_strings(entry, "through", where)))


def _add(phrases: dict[tuple[str, ...], tuple[Rule, ...]], words: tuple[str, ...], rule: Rule, where: str) -> None:
    """Give ``words`` one rule more: a word that is an event only in some contexts may have a rule for each
    ("dibebaskan": hostages set free, or towns taken), tried in the lexicon's order; a rule after one that
    always counts would never apply."""
    rules = phrases.get(words, ())
    always = next((other for other in rules if not other.conditional), None)
    if always is not None:
        if always.label != rule.label:
            raise TandaiError(f"{where}: {' '.join(words)!r} is both {always.label} and {rule.label}")
        return
    if rule not in rules:
        phrases[words] = (*rules, rule)


def parse_lexicon(text: str, origin: str = "trigger lexicon", labels: Collection[str] | None = None) -> Lexicon:
    """Read a lexicon (the format: ``data/triggers.toml``); every problem is a one-line TandaiError.

    With ``labels`` (the scheme's event labels) a label the scheme lacks is refused too."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise TandaiError(f"{origin}: not valid TOML: {exc}") from None
    _check_keys(data, {"trigger", "context"}, origin)
    phrases: dict[tuple[str, ...], tuple[Rule, ...]] = {}
    verbs: set[str] = set()
    for n, entry in enumerate(_tables(data, "trigger", origin), 1):
        where = _entry(entry, "trigger", n, origin)
        rule = _rule(entry, where, labels)
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
                form_rule = replace(rule, passive=True) if rule.beside and form.startswith("di") else rule
                for word in words:
                    spellings = (word, _REDUPLICATED.format(word)) if " " not in word else (word,)
                    clitics = ("",) if word.endswith(CLITIC) else ("", CLITIC)  # "kembalinya" has its clitic
                    for phrase in (spelling + clitic for spelling in spellings for clitic in clitics):
                        _add(phrases, tuple(phrase.split()), form_rule, where)
    contexts = tuple(_context(entry, _entry(entry, "context", n, origin), labels)
                     for n, entry in enumerate(_tables(data, "context", origin), 1))
    return Lexicon(phrases, contexts, frozenset(verbs))


BUNDLED = "triggers.toml"  # in annotations/data: the lexicon the default scheme names


def bundled_text() -> str:
    return resources.files("annotations.data").joinpath(BUNDLED).read_text("utf-8")


@cache
def default_lexicon() -> Lexicon:
    """The bundled lexicon (its verbs also keep headline verbs out of names: ``entity_rules``)."""
    return parse_lexicon(bundled_text(), "default trigger lexicon")


def load_lexicon(path: str | Path | None = None) -> Lexicon:
    """The lexicon in ``path``, or the default one."""
    if not path:
        return default_lexicon()
    try:
        text = Path(path).read_text("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise TandaiError(f"{path}: cannot read the trigger lexicon: {getattr(exc, 'strerror', None) or exc}") from None
    return parse_lexicon(text, str(path))
