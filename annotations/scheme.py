"""The label scheme: layers, their labels, link roles, attributes and keys.

Loaded from TOML (the default is ``data/scheme.toml``), validated once, and
stored in ``meta`` so a database always carries the scheme it was made with.
"""
from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from .acled import AcledMapping, read_mapping
from .errors import TandaiError
from .identifiers import identifier_problem

LAYERS = ("entity", "event", "claim")


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

    @property
    def label_names(self) -> tuple[str, ...]:
        return tuple(label.name for label in self.labels)


@dataclass(frozen=True)
class Scheme:
    name: str
    layers: dict[str, Layer]
    actor_categories: tuple[str, ...] = ()
    source: str = field(default="", repr=False)
    acled: AcledMapping = field(default_factory=lambda: AcledMapping({}, {}), repr=False)  # for events-csv

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

    @property
    def roles(self) -> tuple[str, ...]:
        seen: dict[str, None] = {}
        for layer in self.layers.values():
            seen.update(dict.fromkeys(layer.roles))
        return tuple(seen)


def parse_scheme(text: str, origin: str = "scheme") -> Scheme:
    """Parse and validate a scheme; every problem is a one-line TandaiError."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise TandaiError(f"{origin}: not valid TOML: {exc}") from None
    layers: dict[str, Layer] = {}
    seen_labels: set[str] = set()
    for name, spec in (data.get("layers") or {}).items():
        if name not in LAYERS:
            raise TandaiError(f"{origin}: layer {name!r} is not one of {', '.join(LAYERS)}")
        labels = []
        for raw in spec.get("labels", []):
            label = Label(raw["name"], raw.get("description", "")) if isinstance(raw, dict) else Label(str(raw))
            _check_name(label.name, "label", origin)
            if label.name in seen_labels:
                raise TandaiError(f"{origin}: label {label.name!r} appears twice")
            seen_labels.add(label.name)
            labels.append(label)
        if not labels:
            raise TandaiError(f"{origin}: layer {name!r} has no labels")
        if len(labels) > 9:
            raise TandaiError(f"{origin}: layer {name!r} has {len(labels)} labels; digits 1-9 reach at most 9")
        attributes = tuple(Attribute(a["name"], tuple(a["values"])) for a in spec.get("attributes", []))
        for role in spec.get("roles", []):
            _check_name(role, "role", origin)
        layers[name] = Layer(
            name=name,
            key=spec.get("key", name[0]),
            labels=tuple(labels),
            roles=tuple(spec.get("roles", [])),
            attributes=attributes,
            description=spec.get("description", ""),
        )
    if "entity" not in layers:
        raise TandaiError(f"{origin}: the scheme needs an entity layer")
    categories = tuple((data.get("actors") or {}).get("categories", []))
    acled = read_mapping(data, origin)  # an ACLED type or inter code ACLED does not have is refused on load
    return Scheme(name=data.get("name", "custom"), layers=layers, actor_categories=categories, source=text,
                  acled=acled)


def _check_name(name: object, what: str, origin: str) -> None:
    problem = identifier_problem(name, what)
    if problem is not None:
        raise TandaiError(f"{origin}: {problem}")


def default_scheme_text() -> str:
    return resources.files("annotations.data").joinpath("scheme.toml").read_text(encoding="utf-8")


def load_scheme(path: str | Path | None = None) -> Scheme:
    """The scheme in ``path``, or the default one."""
    if path is None:
        return parse_scheme(default_scheme_text(), "default scheme")
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise TandaiError(f"{path}: cannot read scheme: {exc}") from None
    return parse_scheme(text, str(path))
