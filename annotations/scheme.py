"""The label scheme: layers, their labels, link roles, attributes and keys.

Loaded from TOML (the default is ``data/scheme.toml``), validated once, and
stored in ``meta`` so a database always carries the scheme it was made with.
"""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, NoReturn

from .acled import AcledMapping, read_mapping
from .errors import TandaiError, shown
from .identifiers import identifier_problem

LAYERS = ("entity", "event", "claim")
_KEYS = {"entity": "a", "event": "e", "claim": "c"}  # the keys that pick each layer in the annotate screen


@dataclass(frozen=True)
class Label:
    name: str
    description: str = ""


@dataclass(frozen=True)
class Attribute:
    name: str
    values: tuple[str, ...]


@dataclass(frozen=True)
class Layer:
    name: str
    key: str
    labels: tuple[Label, ...]
    roles: tuple[str, ...] = ()
    attributes: tuple[Attribute, ...] = ()
    description: str = ""
    fillers: tuple[tuple[str, ...], ...] = ()  # per role (same order): layers and labels it accepts; () = any span

    @property
    def label_names(self) -> tuple[str, ...]:
        return tuple(label.name for label in self.labels)

    def accepts(self, role: str) -> tuple[str, ...]:
        """The layers and labels that may fill ``role`` (empty: any span)."""
        i = self.roles.index(role)
        return self.fillers[i] if i < len(self.fillers) else ()


@dataclass(frozen=True)
class Scheme:
    name: str
    layers: dict[str, Layer]
    actor_categories: tuple[str, ...] = ()
    source: str = field(default="", repr=False)
    acled: AcledMapping = field(default_factory=lambda: AcledMapping({}, {}), repr=False)  # for events-csv
    origin: str = field(default="scheme", repr=False, compare=False)  # where it was read: errors name it
    lexicon_file: str = field(default="", repr=False)  # the trigger lexicon the event layer names ("": none)
    triggers: str = field(default="", repr=False)  # that lexicon's TOML text, what tagging uses ("": no triggers)

    def layer(self, name: str) -> Layer:
        try:
            return self.layers[name]
        except KeyError:
            raise TandaiError(f"unknown layer {name!r} (scheme has {', '.join(self.layers)})") from None

    def check_label(self, layer: str, label: str) -> None:
        if label not in self.layer(layer).label_names:
            raise TandaiError(f"unknown label {label!r} in layer {layer!r}")

    def layer_of(self, label: str) -> str | None:
        """The layer a label belongs to (labels are unique across layers)."""
        for layer in self.layers.values():
            if label in layer.label_names:
                return layer.name
        return None

    def fits(self, head_layer: str, role: str, layer: str, label: str) -> bool:
        """Whether a span of ``layer``/``label`` may fill ``role`` of a ``head_layer`` span."""
        accepted = self.layer(head_layer).accepts(role)
        return not accepted or layer in accepted or label in accepted

    def accepts_text(self, head_layer: str, role: str) -> str:
        """What ``role`` takes, for messages: "PER, ORG, GPE or NORP", "any event", "any span"."""
        accepted = [f"any {name}" if name in LAYERS else name for name in self.layer(head_layer).accepts(role)]
        if not accepted:
            return "any span"
        return accepted[0] if len(accepted) == 1 else f"{', '.join(accepted[:-1])} or {accepted[-1]}"

    def link_problem(self, head_layer: str, role: str, layer: str, label: str) -> str | None:
        """Why a ``layer``/``label`` span cannot be the ``role`` of a ``head_layer`` span, or None if it can."""
        roles = self.layer(head_layer).roles
        if role not in roles:
            return f"{role!r} is not a role of the {head_layer} layer ({', '.join(roles) or 'it has none'})"
        if not self.fits(head_layer, role, layer, label):
            return f"{role} takes {self.accepts_text(head_layer, role)}, not {label}"
        return None

    @property
    def roles(self) -> tuple[str, ...]:
        seen: dict[str, None] = {}
        for layer in self.layers.values():
            seen.update(dict.fromkeys(layer.roles))
        return tuple(seen)


# Labels, roles and attribute values travel into brat lines, IOB tags and CSV headers: one word each.
_NAME = re.compile(r"\w[\w.-]{0,39}")


class _Checker:
    """Type checks for one scheme file, each failure a one-line TandaiError naming the file and the place."""

    def __init__(self, origin: str):
        self.origin = origin

    def fail(self, message: str) -> NoReturn:
        raise TandaiError(f"{self.origin}: {message}")

    def table(self, value: Any, where: str) -> dict[str, Any]:
        if not isinstance(value, dict):
            self.fail(f"{where} must be a table, not {_kind(value)}")
        return value

    def text(self, value: Any, where: str) -> str:
        if not isinstance(value, str):
            self.fail(f"{where} must be a string, not {_kind(value)}")
        return value

    def name(self, value: Any, where: str) -> str:
        name = self.text(value, where)
        problem = identifier_problem(name, where)  # blank, control or invisible characters, path separators
        if problem is not None:
            self.fail(problem)
        if not _NAME.fullmatch(name):
            self.fail(f"{where} {shown(name)!r} must be one word of letters, digits, _ . or - (at most 40)")
        return name

    def names(self, value: Any, where: str) -> tuple[str, ...]:
        """A list of distinct names (a bare string is refused, not read as a list of its letters)."""
        if not isinstance(value, list):
            self.fail(f"{where} must be a list of names, like [\"A\", \"B\"], not {_kind(value)}")
        names = tuple(self.name(item, f"each of {where}") for item in value)
        twice = sorted({n for n in names if names.count(n) > 1})
        if twice:
            self.fail(f"{where} lists {', '.join(twice)} twice")
        return names


def _kind(value: Any) -> str:
    return {str: "a string", list: "a list", dict: "a table", bool: "true/false"}.get(
        type(value), f"a {type(value).__name__}")


def _labels(check: _Checker, spec: dict[str, Any], where: str) -> list[Label]:
    raw_labels = spec.get("labels", [])
    if not isinstance(raw_labels, list):
        check.fail(f"{where}.labels must be a list of names or {{ name = ... }} tables, not {_kind(raw_labels)}")
    labels = []
    for raw in raw_labels:
        if isinstance(raw, dict):
            labels.append(Label(check.name(raw.get("name"), f"a label name in {where}"),
                                check.text(raw.get("description", ""), f"a label description in {where}")))
        else:
            labels.append(Label(check.name(raw, f"a label in {where}")))
    return labels


def _attributes(check: _Checker, spec: dict[str, Any], where: str) -> tuple[Attribute, ...]:
    raw = spec.get("attributes", [])
    if not isinstance(raw, list):
        check.fail(f"{where}.attributes must be a list of {{ name = ..., values = [...] }} tables")
    attributes = tuple(Attribute(check.name(item.get("name"), f"an attribute name in {where}"),
                                 check.names(item.get("values"), f"the values of an attribute in {where}"))
                       for item in (check.table(a, f"each of {where}.attributes") for a in raw))
    check.names([a.name for a in attributes], f"{where}.attributes")
    return attributes


def _roles(check: _Checker, spec: dict[str, Any], where: str) -> tuple[tuple[str, ...], tuple[tuple[str, ...], ...]]:
    """A layer's roles: names, or { name = ..., accepts = [layers or labels] } tables (a bare name accepts any span)."""
    raw = spec.get("roles", [])
    if not isinstance(raw, list):
        check.fail(f"{where}.roles must be a list of names or {{ name = ..., accepts = [...] }} tables, not {_kind(raw)}")
    names, fillers = [], []
    for item in raw:
        if isinstance(item, dict):
            name = check.name(item.get("name"), f"a role name in {where}")
            names.append(name)
            fillers.append(check.names(item.get("accepts", []), f"{where} role {name} accepts"))
        else:
            names.append(check.name(item, f"a role in {where}"))
            fillers.append(())
    check.names(names, f"{where}.roles")
    return tuple(names), tuple(fillers)


def _check_fillers(check: _Checker, layers: dict[str, Layer], labels: dict[str, str]) -> None:
    for layer in layers.values():
        for role, accepted in zip(layer.roles, layer.fillers):
            for name in accepted:
                if name not in layers and name not in labels:
                    check.fail(f"[layers.{layer.name}] role {role} accepts {name!r}, which is neither a layer"
                               f" nor a label of the scheme")


def parse_scheme(text: str, origin: str = "scheme") -> Scheme:
    """Parse and validate a scheme; every problem is a one-line TandaiError."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise TandaiError(f"{origin}: not valid TOML: {exc}") from None
    check = _Checker(origin)
    layers: dict[str, Layer] = {}
    seen_labels: dict[str, str] = {}
    keys: dict[str, str] = {}
    lexicon_file = ""  # the event layer's trigger lexicon, if it names one
    for name, spec in check.table(data.get("layers", {}), "layers").items():
        where = f"[layers.{shown(name)}]"
        if name not in LAYERS:
            check.fail(f"layer {shown(name)!r} is not one of {', '.join(LAYERS)}")
        spec = check.table(spec, where)
        labels = _labels(check, spec, where)
        for label in labels:
            if label.name in seen_labels:
                check.fail(f"label {label.name!r} appears twice ({seen_labels[label.name]} and {name})")
            seen_labels[label.name] = name
        if not labels:
            check.fail(f"layer {name!r} has no labels")
        if len(labels) > 9:
            check.fail(f"layer {name!r} has {len(labels)} labels; digits 1-9 reach at most 9")
        key = check.text(spec.get("key", _KEYS[name]), f"{where}.key")
        if len(key) != 1 or not key.isprintable() or key.isspace() or key.isdigit():
            check.fail(f"{where}.key must be one letter or sign (digits choose labels), not {shown(key)!r}")
        if key in keys:
            check.fail(f"layers {keys[key]} and {name} both have the key {key!r}")
        keys[key] = name
        roles, fillers = _roles(check, spec, where)
        if "triggers" in spec:
            if name != "event":
                check.fail(f"{where}.triggers: only the event layer has a trigger lexicon")
            lexicon_file = check.text(spec["triggers"], f"{where}.triggers")
            if not lexicon_file.strip():
                check.fail(f"{where}.triggers must name a trigger lexicon file, or be left out for none")
        layers[name] = Layer(
            name=name,
            key=key,
            labels=tuple(labels),
            roles=roles,
            fillers=fillers,
            attributes=_attributes(check, spec, where),
            description=check.text(spec.get("description", ""), f"{where}.description"),
        )
    if "entity" not in layers:
        check.fail("the scheme needs an entity layer")
    _check_fillers(check, layers, seen_labels)
    actors = check.table(data.get("actors", {}), "[actors]")
    categories = check.names(actors.get("categories", []), "[actors].categories")
    acled = read_mapping(data, origin)  # an ACLED type or inter code ACLED does not have is refused on load
    return Scheme(name=check.text(data.get("name", "custom"), "name"), layers=layers,
                  actor_categories=categories, source=text, acled=acled, origin=origin,
                  lexicon_file=lexicon_file)


def with_lexicon(scheme: Scheme, text: str) -> Scheme:
    """``scheme`` carrying the trigger lexicon ``text`` (the file it names, as read), checked against its
    event labels: a label the scheme lacks, an unknown form or key, a bad type is one line naming the entry."""
    from .trigger_lexicon import parse_lexicon

    labels = scheme.layers["event"].label_names if "event" in scheme.layers else ()
    parse_lexicon(text, f"{scheme.origin}: {shown(scheme.lexicon_file)}", labels)
    return replace(scheme, triggers=text)


def _bundled(name: str) -> str:
    """A file of ``annotations/data`` (importlib.resources, and the zipfile and tempfile it brings, imported
    only here: reading a database's stored scheme needs none of them)."""
    from importlib import resources

    return resources.files("annotations.data").joinpath(name).read_text(encoding="utf-8")


def default_scheme_text() -> str:
    return _bundled("scheme.toml")


def _read(path: Path, what: str, named_by: str = "") -> str:
    try:
        return path.read_text(encoding="utf-8")
    except OSError as exc:
        raise TandaiError(f"{named_by}{path}: cannot read the {what}: {exc.strerror or exc}") from None
    except UnicodeDecodeError as exc:
        raise TandaiError(f"{named_by}{path}: the {what} is not UTF-8 text (byte {exc.start})") from None


def load_scheme(path: str | Path | None = None) -> Scheme:
    """The scheme in ``path``, or the default one, with the trigger lexicon its event layer names (a path
    relative to the scheme file; the default's is ``data/triggers.toml``)."""
    if path is None:
        scheme = parse_scheme(default_scheme_text(), "default scheme")
        return with_lexicon(scheme, _bundled(scheme.lexicon_file))
    scheme = parse_scheme(_read(Path(path), "scheme"), str(path))
    if not scheme.lexicon_file:
        return scheme
    named_by = f"{path}: [layers.event].triggers: "
    return with_lexicon(scheme, _read(Path(path).parent / scheme.lexicon_file, "trigger lexicon", named_by))
