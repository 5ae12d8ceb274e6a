"""Shared builders for the export and import tests (and a few checks of the builders themselves).

Databases are built through the real Store API: the bundled seeds, spans added
as an annotator, links, attributes, actor ids, and the article marked done.
``add_case`` adds the article the issue asks for: overlapping entities, an
event with three arguments across two sentences, and a claim about that event.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from annotations.corpus import Article, bundled_seeds, import_articles
from annotations.records import Actor
from annotations.scheme import parse_scheme
from annotations.store import Store

ANNOTATOR = "ana"
ACTORS = [
    Actor("ARM_GOV", "Armenian government", "STATE_GOV", "ARM"),
    Actor("ARM_MIL", "Armenian armed forces", "STATE_MIL", "ARM"),
    Actor("AZE_GOV", "Azerbaijani government", "STATE_GOV", "AZE"),
    Actor("AZE_MIL", "Azerbaijani armed forces", "STATE_MIL", "AZE"),
    Actor("RUS_GOV", "Russian government", "STATE_GOV", "RUS"),
]

CASE_TEXT = (
    "Kementerian Pertahanan Armenia mengatakan pasukan Azerbaijan menyerang Stepanakert pada Senin (26/10/2020).\n"
    "Serangan itu menewaskan 5 warga sipil, kata Yerevan.\n\n"
    "Warga Stepanakert 😢 mengungsi ke Goris; Cafe\u0301 Yerevan ditutup 🇦🇲."
)

ENTITY_WORDS = [
    ("Vladimir Putin", "PER", "RUS_GOV"), ("Sergei Lavrov", "PER", "RUS_GOV"), ("Amerika Serikat", "GPE", None),
    ("Armenia", "GPE", "ARM_GOV"), ("Azerbaijan", "GPE", "AZE_GOV"), ("Rusia", "GPE", "RUS_GOV"),
    ("Moskow", "GPE", None), ("Prancis", "GPE", None), ("Nagorno-Karabakh", "LOC", None), ("Putin", "PER", "RUS_GOV"),
]
EVENT_WORDS = [("gencatan senjata", "CEASEFIRE"), ("pertempuran", "ATTACK"), ("tewas", "CASUALTIES"),
               ("pembicaraan", "TALKS"), ("bertemu", "TALKS")]
CLAIM_RE = re.compile(r"mengatakan (?:bahwa )?([^.\n\"]{10,160})")


def find(text: str, word: str, nth: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(nth + 1):
        start = text.index(word, start + 1)
    return start, start + len(word)


def aligned(tokens, start: int, end: int) -> bool:
    return any(s == start for s, _ in tokens) and any(e == end for _, e in tokens)


def occurrences(text: str, tokens, word: str) -> list[tuple[int, int]]:
    found = []
    for m in re.finditer(re.escape(word), text):
        if aligned(tokens, m.start(), m.end()):
            found.append((m.start(), m.end()))
    return found


def seed_store(path: Path | str) -> Store:
    store = Store(path)
    store.add_actors(ACTORS)
    import_articles(store, bundled_seeds())
    return store


def annotate_seeds(store: Store, annotator: str = ANNOTATOR, done: bool = True) -> None:
    """Entities, events with arguments and claims with claimants on every seed article."""
    for doc_id in store.document_ids():
        doc = store.get_document(doc_id)
        text, tokens = doc.text, doc.tokens
        taken: list[tuple[int, int]] = []
        entities = []
        for word, label, actor in ENTITY_WORDS:
            for s, e in occurrences(text, tokens, word):
                if any(a < e and s < b for a, b in taken):
                    continue
                taken.append((s, e))
                entities.append(store.add_span(doc_id, annotator, "entity", label, s, e, actor_id=actor))
        events = []
        for word, label in EVENT_WORDS:
            for s, e in occurrences(text, tokens, word)[:4]:
                events.append(store.add_span(doc_id, annotator, "event", label, s, e,
                                             attrs={"modality": "asserted"}))
        fits = store.scheme.fits  # only links the scheme's roles accept (AGENT: PER, ORG, GPE, NORP ...)
        for ev in events:
            role = "PARTICIPANT" if ev.label == "TALKS" else "AGENT"
            near = [x for x in entities if 0 < ev.start - x.end < 60 and "\n" not in text[x.end:ev.start]
                    and fits("event", role, x.layer, x.label)]
            if near:
                store.add_link(ev.id, near[-1].id, role, annotator)
        for m in list(CLAIM_RE.finditer(text))[:3]:
            s, e = m.span(1)
            inside = [t for t in tokens if t[0] >= s and t[1] <= e]
            if len(inside) < 2:
                continue
            s, e = inside[0][0], inside[-1][1]
            claim = store.add_span(doc_id, annotator, "claim", "STATEMENT", s, e, attrs={"stance": "affirm"})
            speakers = [x for x in entities if 0 < m.start() - x.end < 80 and fits("claim", "CLAIMANT", x.layer, x.label)]
            if speakers:
                store.add_link(claim.id, speakers[-1].id, "CLAIMANT", annotator)
            about = [x for x in events if s <= x.start and x.end <= e]
            if about:
                store.add_link(claim.id, about[0].id, "ABOUT", annotator)
        if done:
            store.set_status(doc_id, annotator, "done")


def add_case(store: Store, annotator: str = ANNOTATOR) -> dict:
    """The issue's article: overlapping entities, an event with 3 arguments over 2 sentences, a claim about it."""
    import_articles(store, [Article(text=CASE_TEXT, title="Serangan ke Stepanakert", source="test",
                                    published="2020-10-26")])
    doc_id = store.find_document_by_text(CASE_TEXT)
    t = CASE_TEXT

    def ent(word, label, actor=None, nth=0):
        return store.add_span(doc_id, annotator, "entity", label, *find(t, word, nth), actor_id=actor)

    spans = {
        "ministry": ent("Kementerian Pertahanan Armenia", "ORG", "ARM_MIL"),
        "armenia": ent("Armenia", "GPE", "ARM_GOV"),  # inside the ministry: overlapping entities
        "forces": ent("pasukan Azerbaijan", "ORG", "AZE_MIL"),
        "azerbaijan": ent("Azerbaijan", "GPE", "AZE_GOV"),  # inside the forces
        "stepanakert": ent("Stepanakert", "GPE"),
        "date": ent("Senin (26/10/2020)", "DATE"),
        "civilians": ent("5 warga sipil", "QUANTITY"),
        "yerevan": ent("Yerevan", "GPE", "ARM_GOV"),
        "cafe": ent("Cafe\u0301 Yerevan", "FAC"),  # combining mark inside
        "yerevan2": ent("Yerevan", "GPE", "ARM_GOV", nth=1),  # nested in the cafe
        "goris": ent("Goris", "GPE"),
    }
    spans["attack"] = store.add_span(doc_id, annotator, "event", "ATTACK", *find(t, "menyerang"),
                                     attrs={"modality": "claimed", "polarity": "positive", "note": "kata Yerevan"})
    spans["flee"] = store.add_span(doc_id, annotator, "event", "TERRITORY", *find(t, "mengungsi"),
                                   attrs={"modality": "asserted"})
    # "5 warga sipil" is both the count and the target: this project's scheme loosens the default TARGET to take it
    loosened = store.scheme.source.replace('{ name = "TARGET", accepts = ["PER"', '{ name = "TARGET", accepts = ["QUANTITY", "PER"', 1)
    store.set_scheme(parse_scheme(loosened, "the case's scheme"))
    # three arguments: two in the trigger's sentence, one in the next sentence
    store.add_link(spans["attack"].id, spans["forces"].id, "AGENT", annotator)
    store.add_link(spans["attack"].id, spans["stepanakert"].id, "PLACE", annotator)
    store.add_link(spans["attack"].id, spans["civilians"].id, "TARGET", annotator)
    store.add_link(spans["flee"].id, spans["goris"].id, "PLACE", annotator)
    spans["claim"] = store.add_span(doc_id, annotator, "claim", "ACCUSATION",
                                    *find(t, "pasukan Azerbaijan menyerang Stepanakert pada Senin (26/10/2020)"),
                                    attrs={"stance": "affirm"})
    store.add_link(spans["claim"].id, spans["ministry"].id, "CLAIMANT", annotator)
    store.add_link(spans["claim"].id, spans["attack"].id, "ABOUT", annotator)
    store.add_link(spans["claim"].id, spans["forces"].id, "TARGET", annotator)
    store.set_status(doc_id, annotator, "done")
    return {"doc_id": doc_id, **spans}


def build(path: Path | str, *, seeds: bool = True, case: bool = True) -> Store:
    store = seed_store(path)
    if seeds:
        annotate_seeds(store)
    if case:
        add_case(store)
    return store


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> Path:
    """The exports' database, built once per test module: the annotated seeds and the issue's case."""
    path = tmp_path_factory.mktemp("exports") / "annotated.db"
    build(path).close()
    return path


@pytest.fixture
def store(db):
    """The exports' database, opened through the store for one test."""
    with Store(db) as st:
        yield st


# -- checks of the builders ---------------------------------------------------------------


def test_case_article_is_as_the_issue_describes(tmp_path):
    from annotations.tokens import sentences

    store = build(tmp_path / "t.db", seeds=False)
    doc_id = store.find_document_by_text(CASE_TEXT)
    doc = store.get_document(doc_id)
    sents = sentences(doc.text, doc.tokens)
    spans = {s.id: s for s in store.spans(doc_id, ANNOTATOR)}

    def sentence_of(span):
        first = next(i for i, (s, _) in enumerate(doc.tokens) if s == span.start)
        return next(n for n, (a, b) in enumerate(sents) if a <= first < b)

    attack = next(s for s in spans.values() if s.label == "ATTACK")
    args = [spans[link.tail] for link in store.links(doc_id, ANNOTATOR) if link.head == attack.id]
    assert len(args) == 3 and len({sentence_of(a) for a in args}) == 2
    ents = [s for s in spans.values() if s.layer == "entity"]
    assert any(a.start < b.end and b.start < a.end for a in ents for b in ents if a.id != b.id)
    claim = next(s for s in spans.values() if s.layer == "claim")
    assert any(link.head == claim.id and link.tail == attack.id and link.role == "ABOUT"
               for link in store.links(doc_id, ANNOTATOR))


def test_seed_annotation_covers_every_layer(tmp_path):
    store = build(tmp_path / "t.db", case=False)
    layers = {r[0]: r[1] for r in store.conn.execute("SELECT layer, count(*) FROM spans GROUP BY layer")}
    assert layers.get("entity", 0) > 50 and layers.get("event", 0) > 10 and layers.get("claim", 0) >= 3
    assert store.conn.execute("SELECT count(*) FROM links").fetchone()[0] > 5
    assert store.status_counts(ANNOTATOR)["done"] == 5


def test_worker_output_goes_through_the_streams_own_encoding(tmp_path):
    """Pieces from worker processes are UTF-8 files: a stream in another encoding gets characters, not bytes."""
    import io

    from annotations.export.common import write_pieces

    piece = tmp_path / "part.jsonl"
    piece.write_text("Stepanakert é\n", encoding="utf-8")
    for encoding in ("utf-8", "latin-1"):
        raw = io.BytesIO()
        fh = io.TextIOWrapper(raw, encoding=encoding)
        write_pieces(fh, ["Baku é\n", piece])
        fh.flush()
        assert raw.getvalue() == "Baku é\nStepanakert é\n".encode(encoding)
