"""The compiled agreement engine (annotations/_agreement.c) gives every figure the Python engine gives,
on generated teams stored in a database: overlapping spans and ties in painting tokens, the same span
stored twice with different attributes or actor ids, links (also to spans of another layer), attribute
values that are not strings or look like the unset mark, text whose offsets pass astral characters and
combining marks; every layer or one, status done or any, the summary, --by-pair and --json."""
from __future__ import annotations

import itertools
import json
from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from annotations import agreement as module
from annotations.actors import seed_actors
from annotations.agreement import agreement
from annotations.agreement_table import format_report
from annotations.corpus import Article, import_articles
from annotations.store import Store, now
from conftest import assert_extension_built

needs_compiled = pytest.mark.skipif(module.CompiledCounts is None, reason="the compiled agreement module is not built")

# astral characters and combining marks before and between the words: offsets are code points
TEXT = "𝔸rmenia dan Azerbaijan̈ 😀 bertemu di Moskow; Menlu Ararat Mirzoyan 𝔸 menyerang perbatasan ."
LABELS = {"entity": ["PER", "GPE", "LOC"], "event": ["ATTACK", "TALKS"], "claim": ["STATEMENT", "DENIAL"]}
VALUES = {"modality": ["asserted", "claimed", "-", "", True, 1, None], "polarity": ["positive", "negative"],
          "stance": ["affirm", "refute", None]}
ATTRIBUTES = {"entity": [], "event": ["modality", "polarity"], "claim": ["stance"]}
ROLES = {"event": ["AGENT", "PLACE"], "claim": ["CLAIMANT", "TARGET"]}
made = itertools.count()


def store_team(store: Store, data, team: tuple[int, int], articles: int) -> list[str]:
    """Up to ``articles`` articles, each annotated by some of a team of ``team`` (fewest, most) annotators,
    written as rows (as a merge or another program may have written them: the same span twice,
    attributes of any JSON value, an actor id that is empty)."""
    seed_actors(store)
    actors = [row[0] for row in store.conn.execute("SELECT id FROM actors ORDER BY id LIMIT 3")] + [""]
    with store.transaction():
        store.conn.execute("INSERT OR IGNORE INTO actors (id, name) VALUES ('', 'nobody')")
    names = [f"coder{next(made)}" for _ in range(data.draw(st.integers(*team), label="annotators"))]
    for name in names:
        store.ensure_annotator(name)
    docs = []
    for _ in range(data.draw(st.integers(1, articles), label="articles")):
        text = f"{TEXT} ({next(made)})"
        import_articles(store, [Article(text=text, title="uji")])
        doc = store.find_document_by_text(text)
        docs.append(doc)
        tokens = store.get_document(doc).tokens
        stamp = now()
        with store.transaction():
            for name in names:
                status = data.draw(st.sampled_from(["done", "done", "doing", None]), label="status")
                if status:
                    store.conn.execute("INSERT INTO progress (doc_id, annotator, status, updated_at)"
                                       " VALUES (?, ?, ?, ?)", (doc, name, status, stamp))
                ids: dict[str, list[int]] = {layer: [] for layer in LABELS}
                for layer, labels in LABELS.items():
                    for _ in range(data.draw(st.integers(0, 6), label=f"{layer} spans")):
                        first = data.draw(st.integers(0, len(tokens) - 1))
                        last = min(len(tokens) - 1, first + data.draw(st.integers(0, 3)))
                        start, end = tokens[first][0], tokens[last][1]
                        attrs = {key: data.draw(st.sampled_from(VALUES[key])) for key in ATTRIBUTES[layer]
                                 if data.draw(st.booleans())}
                        actor = data.draw(st.sampled_from([None, *actors])) if layer == "entity" else None
                        label = data.draw(st.sampled_from(labels))
                        for _ in range(data.draw(st.sampled_from([1, 1, 1, 2]))):  # now and then stored twice
                            ids[layer].append(store.conn.execute(
                                "INSERT INTO spans (doc_id, annotator, layer, label, start, end, text, actor_id,"
                                " attrs, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                                (doc, name, layer, label, start, end, text[start:end], actor,
                                 json.dumps(attrs), stamp, stamp)).lastrowid)
                            attrs = {} if data.draw(st.booleans()) else {**attrs, "note": "again"}
                            actor = data.draw(st.sampled_from([None, *actors])) if actor else actor
                for head_layer, roles in ROLES.items():
                    for head in ids[head_layer]:
                        for _ in range(data.draw(st.integers(0, 2))):
                            arg_layer = data.draw(st.sampled_from(["entity", "entity", "event"]))
                            if ids[arg_layer]:
                                tail = data.draw(st.sampled_from(ids[arg_layer]))
                                store.conn.execute(
                                    "INSERT OR IGNORE INTO links (doc_id, annotator, head, tail, role, created_at)"
                                    " VALUES (?, ?, ?, ?, ?, ?)",
                                    (doc, name, head, tail, data.draw(st.sampled_from(roles)), stamp))
    return docs


def printed(store: Store, docs: list[str], status: str, layer: str | None) -> tuple[str, str, str]:
    """What ``tandai agreement`` prints: the summary, --by-pair and --json."""
    short = agreement(store, status=status, layer=layer, doc_ids=docs, detail=False)
    full = agreement(store, status=status, layer=layer, doc_ids=docs)
    return format_report(short), format_report(full, by_pair=True), full.to_json()


def same_figures(store: Store, data, docs: list[str], monkeypatch) -> None:
    """The compiled engine's figures, counting one, two or all articles per call (what is kept between
    calls: the count arrays grown for labels and roles first seen later, the table of value pairs), are
    the Python engine's."""
    status = data.draw(st.sampled_from(["done", "any"]), label="status")
    layer = data.draw(st.sampled_from([None, "entity", "event", "claim"]), label="layer")
    with monkeypatch.context() as patch:
        patch.setattr(module.CompiledCounts, "chunk", data.draw(st.sampled_from([1, 2, 256]), label="chunk"))
        compiled = printed(store, docs, status, layer)
    with monkeypatch.context() as patch:
        patch.setattr(module, "CompiledCounts", None)
        assert printed(store, docs, status, layer) == compiled


# no shrinking: a failing example takes minutes to shrink (each is a database's worth of rows)
HYPOTHESIS = settings(deadline=None, phases=[Phase.explicit, Phase.reuse, Phase.generate],
                      suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


def test_the_install_built_the_compiled_agreement_engine():
    """Without it ``tandai agreement`` would count in Python, several times slower."""
    from annotations import agreement_compiled

    assert_extension_built("_agreement", agreement_compiled.AGREEMENT_ABI)
    assert module.CompiledCounts is not None


@needs_compiled
@settings(HYPOTHESIS, max_examples=60)
@given(data=st.data())
def test_small_teams(store, data, monkeypatch):
    same_figures(store, data, store_team(store, data, (2, 4), 3), monkeypatch)


@needs_compiled
@settings(HYPOTHESIS, max_examples=8)
@given(data=st.data())
def test_big_teams(store, data, monkeypatch):
    """More than 8 annotators: the Python engine spreads their figures with arrays."""
    same_figures(store, data, store_team(store, data, (9, 12), 2), monkeypatch)


@needs_compiled
@pytest.mark.parametrize("status", ["done", "any"])
def test_equally_good_matches_are_chosen_as_the_python_engine_chooses(store, monkeypatch, status):
    """Two candidates overlap a span by as much: which is matched is the tie-break order's choice (text order,
    the earlier start first), and the values on the matched spans show it. Once on each side of the pair."""
    text = "aa bb cc dd ee"  # tokens at 0, 3, 6, 9, 12
    import_articles(store, [Article(text=text, title="uji seri")])
    doc = store.find_document_by_text(text)
    stamp = now()
    rows = [  # (annotator, layer, label, start, end, attributes): "bb cc dd" shares 2 characters with each
        ("ani", "event", "ATTACK", 0, 5, {"modality": "asserted"}),
        ("ani", "event", "ATTACK", 9, 14, {"modality": "claimed"}),
        ("budi", "event", "ATTACK", 3, 11, {"modality": "claimed"}),
        ("ani", "claim", "STATEMENT", 3, 11, {"stance": "affirm"}),
        ("budi", "claim", "STATEMENT", 0, 5, {"stance": "refute"}),
        ("budi", "claim", "STATEMENT", 9, 14, {"stance": "affirm"}),
    ]
    with store.transaction():
        for name in ("ani", "budi"):
            store.ensure_annotator(name)
            store.conn.execute("INSERT INTO progress (doc_id, annotator, status, updated_at) VALUES (?, ?, 'done', ?)",
                               (doc, name, stamp))
        for name, layer, label, start, end, attrs in rows:
            store.conn.execute(
                "INSERT INTO spans (doc_id, annotator, layer, label, start, end, text, attrs, created_at, updated_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (doc, name, layer, label, start, end, text[start:end], json.dumps(attrs), stamp, stamp))
    compiled = printed(store, [doc], status, None)
    values = list(_value_scores(json.loads(compiled[2])))  # the earlier spans were matched: values differ
    assert values and all(score["same"] == 0 for score in values) and any(score["pairs"] for score in values)
    with monkeypatch.context() as patch:
        patch.setattr(module, "CompiledCounts", None)
        assert printed(store, [doc], status, None) == compiled


def _value_scores(report) -> Iterator[dict]:
    """Every attribute or actor-id score (pairs, same, ...) anywhere in a --json report."""
    if isinstance(report, dict):
        if "same" in report:
            yield report
        for value in report.values():
            yield from _value_scores(value)
    elif isinstance(report, list):
        for value in report:
            yield from _value_scores(value)
