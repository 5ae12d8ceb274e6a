"""ACLED's vocabulary and the scheme's mapping onto it, so an events table joins with ACLED's data.

The scheme maps each event label to an ACLED event type and sub-event type
(``acled = { event_type = "...", sub_event_type = "..." }`` on the label) and
each actor category to an ACLED inter code (``acled_inter`` under
``[actors]``); see ``data/scheme.toml``. The names and codes are those of the
ACLED Codebook (Armed Conflict Location & Event Data Project, January 2021):
"Definitions of ACLED Event and Sub-Event Types" and "Actor Names, Types and
Inter Codes".
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .errors import TandaiError

# ACLED event types and their sub-event types (Codebook 2021, "Definitions of ACLED Event and Sub-Event Types").
EVENT_TYPES: dict[str, tuple[str, ...]] = {
    "Battles": ("Armed clash", "Non-state actor overtakes territory", "Government regains territory"),
    "Explosions/Remote violence": ("Chemical weapon", "Air/drone strike", "Suicide bomb",
                                   "Shelling/artillery/missile attack", "Remote explosive/landmine/IED", "Grenade"),
    "Violence against civilians": ("Sexual violence", "Attack", "Abduction/forced disappearance"),
    "Protests": ("Peaceful protest", "Protest with intervention", "Excessive force against protesters"),
    "Riots": ("Violent demonstration", "Mob violence"),
    "Strategic developments": ("Agreement", "Arrests", "Change to group/activity", "Disrupted weapons use",
                               "Headquarters or base established", "Looting/property destruction",
                               "Non-violent transfer of territory", "Other"),
}

# ACLED inter codes (Codebook 2021, "Actor Names, Types and Inter Codes", Inter Code 1 to 8).
INTER_CODES = {1: "State forces", 2: "Rebel groups", 3: "Political militias", 4: "Identity militias",
               5: "Rioters", 6: "Protesters", 7: "Civilians", 8: "External/Other forces"}


@dataclass(frozen=True)
class AcledMapping:
    event_types: dict[str, tuple[str, str]]  # tandai event label -> (ACLED event type, sub-event type or "")
    inter: dict[str, int]  # actor category -> ACLED inter code

    def interaction(self, inter1: int | None, inter2: int | None) -> int | None:
        """ACLED's interaction code: the two inter codes as two digits, lower first; an actor alone, its code and 0."""
        if inter1 is None:
            return None
        if inter2 is None:
            return inter1 * 10
        low, high = sorted((inter1, inter2))
        return low * 10 + high


def read_mapping(data: dict[str, Any], origin: str) -> AcledMapping:
    """The ACLED mapping in a parsed scheme; a mapping ACLED does not have is a one-line TandaiError.

    An ``acled`` value that is a plain string (the form of schemes before the
    mapping had sub-event types) maps to nothing rather than to a guess.
    """
    event_types: dict[str, tuple[str, str]] = {}
    event = ((data.get("layers") or {}).get("event") or {})
    for raw in event.get("labels", []) if isinstance(event, dict) else []:
        if not isinstance(raw, dict) or not isinstance(raw.get("acled"), dict):
            continue
        name, acled = raw.get("name"), raw["acled"]
        kind, sub = acled.get("event_type"), acled.get("sub_event_type", "")
        if not isinstance(kind, str) or kind not in EVENT_TYPES:
            raise TandaiError(f"{origin}: label {name}: ACLED event_type {kind!r} is not one of"
                              f" {', '.join(EVENT_TYPES)}")
        if sub and sub not in EVENT_TYPES[kind]:
            raise TandaiError(f"{origin}: label {name}: ACLED sub_event_type {sub!r} is not one of {kind}"
                              f" ({', '.join(EVENT_TYPES[kind])})")
        event_types[str(name)] = (kind, sub)
    actors = data.get("actors") or {}
    inter = actors.get("acled_inter", {}) if isinstance(actors, dict) else {}
    if not isinstance(inter, dict) or not all(type(v) is int and v in INTER_CODES for v in inter.values()):
        raise TandaiError(f"{origin}: [actors] acled_inter must map categories to ACLED inter codes 1-8")
    return AcledMapping(event_types, dict(inter))

