"""The gazetteer files (``data/gazetteer/*.tsv``), read without spaCy: the pre-tagger's rules match
their names, and cleaning asks them whether a word in a dateline is a place or an outlet."""
from __future__ import annotations

from functools import cache
from importlib import resources

from .errors import TandaiError

GAZETTEER_DIR = "gazetteer"
ENTITY_LABELS = ("PER", "ORG", "GPE", "LOC", "NORP", "FAC", "DATE", "QUANTITY")


def gazetteer_files() -> list[str]:
    folder = resources.files("annotations.data").joinpath(GAZETTEER_DIR)
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tsv"))


@cache
def read_gazetteer(name: str) -> tuple[tuple[str, str], ...]:
    """(label, phrase) pairs of one gazetteer file (read once: three of the pipeline's components and
    cleaning use them)."""
    rows = []
    text = resources.files("annotations.data").joinpath(GAZETTEER_DIR, name).read_text("utf-8")
    for n, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        label, _, phrase = line.partition("\t")
        if label not in ENTITY_LABELS or not phrase.strip():
            raise TandaiError(f"gazetteer {name}:{n}: expected LABEL<TAB>name with a label of {', '.join(ENTITY_LABELS)}")
        rows.append((label, phrase.strip()))
    return tuple(rows)


@cache
def place_names() -> frozenset[str]:
    """Every place the gazetteers name (countries, provinces, cities, regions), lowercased."""
    return frozenset(phrase.lower() for name in gazetteer_files() for label, phrase in read_gazetteer(name)
                     if label in ("GPE", "LOC"))
