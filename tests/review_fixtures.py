"""Three annotators on one seed article, for the review screen's Pilot and snapshot tests.

alice, bob and carol annotate the second paragraph of seed 000 ("AS umumkan
bahwa Armenia dan Azerbaijan sekali lagi telah sepakati gencatan senjata dalam
konflik Nagorno-Karabakh.") through the Store API and mark the article done:

=================  =====================  ==============  ==============  ===============
text               alice                  bob             carol           disagreement
=================  =====================  ==============  ==============  ===============
AS                 GPE                    GPE             ORG             label
Armenia            GPE                    GPE             GPE             none (agreed)
Azerbaijan         GPE @AZE_GOV           GPE             GPE             actor
sepakati           CEASEFIRE, 2 links     CEASEFIRE       CEASEFIRE       links
gencatan senjata   CEASEFIRE (2 tokens)   "gencatan"      —               boundary, missing
Nagorno-Karabakh   —                      —               LOC             missing
=================  =====================  ==============  ==============  ===============

alice's "sepakati" has PARTICIPANT links to her "Armenia" and "Azerbaijan".
Import what you need::

    from review_fixtures import REVIEWER, review_db, at, ...  # noqa: F401
"""
from __future__ import annotations

from pathlib import Path

import pytest

from tui_fixtures import doc_ids

ANNOTATORS = ("alice", "bob", "carol")
REVIEWER = "rita"
PARA = ("AS umumkan bahwa Armenia dan Azerbaijan sekali lagi telah sepakati gencatan senjata dalam konflik"
        " Nagorno-Karabakh.")


def at(db_path: Path | str, word: str) -> tuple[int, int]:
    """Offsets of ``word`` in the annotated paragraph of seed 000 (whole tokens)."""
    from annotations.store import Store

    with Store(db_path) as store:
        doc = store.get_document(doc_ids(db_path)[0])
    base = doc.text.index(PARA)
    start = base + PARA.index(word)
    end = start + len(word)
    assert start in {s for s, _ in doc.tokens} and end in {e for _, e in doc.tokens}, word
    return start, end


def annotate_three(db_path: Path | str) -> str:
    """Write the table above into the database; returns the article's id."""
    from annotations.store import Store

    doc = doc_ids(db_path)[0]
    made: dict[tuple[str, str], int] = {}
    with Store(db_path) as store:
        assert [a.id for a in store.actors("AZE_GOV")] == ["AZE_GOV"]  # from the bundled registry

        def add(name: str, layer: str, label: str, word: str, **kw) -> None:
            made[(name, word)] = store.add_span(doc, name, layer, label, *at(db_path, word), **kw).id

        for name in ANNOTATORS:
            add(name, "entity", "ORG" if name == "carol" else "GPE", "AS")
            add(name, "entity", "GPE", "Armenia")
            add(name, "entity", "GPE", "Azerbaijan", actor_id="AZE_GOV" if name == "alice" else None)
            add(name, "event", "CEASEFIRE", "sepakati")
        store.add_link(made[("alice", "sepakati")], made[("alice", "Armenia")], "PARTICIPANT", "alice")
        store.add_link(made[("alice", "sepakati")], made[("alice", "Azerbaijan")], "PARTICIPANT", "alice")
        add("alice", "event", "CEASEFIRE", "gencatan senjata")
        add("bob", "event", "CEASEFIRE", "gencatan")
        add("carol", "entity", "LOC", "Nagorno-Karabakh")
        for name in ANNOTATORS:
            store.set_status(doc, name, "done")
    return doc


@pytest.fixture
def review_db(tui_db: Path) -> Path:
    """A copy of the pre-tagged seeds where alice, bob and carol annotated seed 000 (see the module notes)."""
    annotate_three(tui_db)
    return tui_db
