"""Importing Prodigy and brat annotations: round trips, bad input by file and line, token alignment.

Round trip: export -> import into a fresh database -> export again gives
byte-identical output, for the seeds and the issue's article and, with
hypothesis, for random texts (emoji, flags, skin tones, ZWJ sequences,
combining marks, line breaks) with random spans, links, attributes and actors.
"""
from __future__ import annotations

import io
import json
import subprocess
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotations.corpus import Article, import_articles
from annotations.errors import TandaiError
from annotations.export import export
from annotations.importers import ImportRefused, import_annotations
from annotations.scheme import load_scheme
from annotations.store import Store
from annotations.tokens import tokenize

from conftest import tandai_cmd
from test_export_helpers import ACTORS, ANNOTATOR, CASE_TEXT, build


def tree(path: Path) -> dict[str, bytes]:
    if path.is_file():
        return {"": path.read_bytes()}
    return {str(p.relative_to(path)): p.read_bytes() for p in sorted(path.rglob("*")) if p.is_file()}


def roundtrip(store: Store, fmt: str, work: Path, annotator: str = ANNOTATOR) -> tuple[dict, dict, object]:
    first = work / ("a.jsonl" if fmt == "prodigy" else "a")
    second = work / ("b.jsonl" if fmt == "prodigy" else "b")
    export(store, fmt, str(first), annotator=annotator)
    with Store(work / "fresh.db") as fresh:
        fresh.set_scheme(store.scheme)  # as `tandai import --scheme` would: the case's TARGET takes a QUANTITY
        report = import_annotations(fresh, [str(first)], fmt, annotator)
        export(fresh, fmt, str(second), annotator=annotator)
    return tree(first), tree(second), report


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("imports") / "annotated.db"
    build(path).close()
    return path


@pytest.mark.parametrize("fmt", ["prodigy", "brat"])
def test_roundtrip_of_the_annotated_seeds(db, tmp_path, fmt):
    with Store(db) as store:
        a, b, report = roundtrip(store, fmt, tmp_path)
    assert a == b and a
    assert report.annotated == 6 and not report.snapped and not report.skipped
    assert report.spans["claim"] > 0 and report.links > 0
    with Store(tmp_path / "fresh.db") as fresh:
        case = fresh.find_document_by_text(CASE_TEXT)
        actors = {s.text: s.actor_id for s in fresh.spans(case, ANNOTATOR) if s.actor_id}
        assert actors["Kementerian Pertahanan Armenia"] == "ARM_MIL"
        attrs = {s.label: s.attrs for s in fresh.spans(case, ANNOTATOR) if s.attrs}
        assert attrs["ATTACK"] == {"modality": "claimed", "polarity": "positive", "note": "kata Yerevan"}
        assert fresh.progress(case, ANNOTATOR).status == "done"
        if fmt == "brat":
            assert {a.id: a.name for a in fresh.actors()}["ARM_MIL"] == "Armenian armed forces"
        else:
            assert fresh.get_document(case).published == "2020-10-26"
        # one journal batch (one undo step) per imported article
        batches = fresh.conn.execute(
            "SELECT count(DISTINCT batch) FROM journal WHERE doc_id = ? AND annotator = ?", (case, ANNOTATOR)
        ).fetchone()[0]
        assert batches == 1


def test_importing_twice_adds_nothing(db, tmp_path):
    with Store(db) as store:
        export(store, "prodigy", str(tmp_path / "t.jsonl"), annotator=ANNOTATOR)
        scheme = store.scheme
    with Store(tmp_path / "fresh.db") as fresh:
        fresh.set_scheme(scheme)
        import_annotations(fresh, [str(tmp_path / "t.jsonl")], "prodigy", "ana")
        n = fresh.conn.execute("SELECT count(*) FROM spans").fetchone()[0]
        report = import_annotations(fresh, [str(tmp_path / "t.jsonl")], "prodigy", "ana")
        assert fresh.conn.execute("SELECT count(*) FROM spans").fetchone()[0] == n
        assert report.annotated == 0 and len(report.already) == 6 and report.articles_existing == 6
        # under another name the same file is another annotator's layer
        report = import_annotations(fresh, [str(tmp_path / "t.jsonl")], "prodigy", "budi")
        assert report.annotated == 6 and fresh.conn.execute("SELECT count(*) FROM spans").fetchone()[0] == 2 * n


# -- hypothesis: random texts and annotations ------------------------------------------------------

PIECES = ["a", "b", "kata", "Armenia", "Baku", " ", " ", " ", "\n", ".", ",", "-", "'", "1", "9",
          "e\u0301", "\u0308", "Á", "ı", "ß", "😢", "🇦🇲", "👍🏽", "👨\u200d👩\u200d👧", "\t", "(", ")", "“"]
SCHEME = load_scheme()
LABELS = {name: layer.label_names for name, layer in SCHEME.layers.items()}
ROLES = {name: layer.roles for name, layer in SCHEME.layers.items()}
ATTRS = {name: layer.attributes for name, layer in SCHEME.layers.items()}
ACTOR_IDS = [a.id for a in ACTORS]


@st.composite
def annotated_texts(draw):
    text = draw(st.lists(st.sampled_from(PIECES), min_size=1, max_size=40).map("".join)
                .filter(lambda t: t.strip() and tokenize(t)))
    tokens = tokenize(text)
    spans = []
    seen = set()
    for _ in range(draw(st.integers(0, 8))):
        i = draw(st.integers(0, len(tokens) - 1))
        j = draw(st.integers(i, min(len(tokens) - 1, i + 4)))
        layer = draw(st.sampled_from(["entity", "entity", "event", "claim"]))
        label = draw(st.sampled_from(LABELS[layer]))
        key = (tokens[i][0], tokens[j][1], label)
        if key in seen:
            continue
        seen.add(key)
        attrs = {}
        for attr in ATTRS[layer]:
            if draw(st.booleans()):
                attrs[attr.name] = draw(st.sampled_from(attr.values))
        if draw(st.integers(0, 4)) == 0:
            attrs["note"] = draw(st.text(alphabet="abc xyzé😢", min_size=1, max_size=8).filter(lambda s: s.strip()))
        actor = draw(st.sampled_from([None, None, *ACTOR_IDS])) if layer == "entity" else None
        spans.append((layer, label, *key[:2], actor, attrs))
    links = set()
    for h, head in enumerate(spans):
        if head[0] == "entity" or len(spans) < 2:
            continue
        for _ in range(draw(st.integers(0, 3))):
            t = draw(st.integers(0, len(spans) - 1))
            fitting = [r for r in ROLES[head[0]] if SCHEME.fits(head[0], r, spans[t][0], spans[t][1])]
            if t != h and fitting:  # only links the scheme accepts (with it, no cycles either)
                links.add((h, t, draw(st.sampled_from(fitting))))
    return text, spans, sorted(links)


def store_of(path: Path, texts) -> Store:
    store = Store(path)
    store.add_actors(ACTORS)
    for text, spans, links in texts:
        import_articles(store, [Article(text=text, title="t")])
        doc_id = store.find_document_by_text(text)
        made = [store.add_span(doc_id, ANNOTATOR, layer, label, s, e, actor_id=actor, attrs=attrs)
                for layer, label, s, e, actor, attrs in spans]
        for h, t, role in links:
            store.add_link(made[h].id, made[t].id, role, ANNOTATOR)
        store.set_status(doc_id, ANNOTATOR, "done")
    return store


@pytest.mark.parametrize("fmt", ["prodigy", "brat"])
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(docs=st.lists(annotated_texts(), min_size=1, max_size=3, unique_by=lambda d: d[0]))
def test_roundtrip_property(fmt, docs):
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        with store_of(work / "orig.db", docs) as store:
            a, b, report = roundtrip(store, fmt, work)
        assert a == b
        assert not report.snapped and not report.skipped
        with Store(work / "fresh.db") as fresh:
            n = fresh.conn.execute("SELECT count(*) FROM spans").fetchone()[0]
            assert n == sum(len(spans) for _, spans, _ in docs)


# -- bad input ----------------------------------------------------------------------------------------


def write_jsonl(path: Path, tasks) -> str:
    path.write_text("".join(json.dumps(t, ensure_ascii=False) + "\n" for t in tasks), encoding="utf-8")
    return str(path)


TEXT = "Pasukan Armenia menembak Baku pada Senin."


def good_task():
    return {"text": TEXT, "spans": [{"start": 8, "end": 15, "label": "GPE"}, {"start": 16, "end": 24, "label": "ATTACK"},
                                    {"start": 25, "end": 29, "label": "GPE", "text": "Baku"}],
            "relations": [{"head_span": {"start": 16, "end": 24, "label": "ATTACK"},
                           "child_span": {"start": 25, "end": 29, "label": "GPE"}, "label": "TARGET"}]}


@pytest.mark.parametrize("mutate, message", [
    (lambda t: t["spans"][2].update(text="Bak"), "span 25-29 text 'Bak' does not match the article text there ('Baku')"),
    (lambda t: t["spans"][0].update(end=999), "span 8-999 is outside the text"),
    (lambda t: t["spans"][0].update(label="WEAPON"), "unknown label 'WEAPON'"),
    (lambda t: t["relations"][0]["child_span"].update(start=0, end=7), "is not one of the task's spans"),
    (lambda t: t["relations"][0].update(label="CLAIMANT"), "'CLAIMANT' is not a role of the event layer"),
    (lambda t: t.pop("text"), "the task has no \"text\""),
])
def test_bad_prodigy_lines_are_reported_by_file_and_line_and_nothing_is_imported(seeded_path, tmp_path,
                                                                               mutate, message):
    bad = good_task()
    mutate(bad)
    other = dict(good_task(), text=TEXT + " Lagi.")
    path = write_jsonl(tmp_path / "tasks.jsonl", [other, bad])
    with Store(seeded_path) as store:
        before = store.count_documents()
        with pytest.raises(ImportRefused) as err:
            import_annotations(store, [path], "prodigy", "ana")
        assert f"tasks.jsonl:2: " in str(err.value) and message in str(err.value)
        assert store.count_documents() == before
        assert store.conn.execute("SELECT count(*) FROM spans").fetchone()[0] == 0
        # --skip-invalid brings in the good task and lists the bad one
        report = import_annotations(store, [path], "prodigy", "ana", skip_invalid=True)
        assert report.annotated == 1 and len(report.skipped) >= 1 and "tasks.jsonl:2" in report.skipped[0]
        assert store.conn.execute("SELECT count(*) FROM spans").fetchone()[0] == 3


def test_prodigy_not_json_and_rejected_answers(tmp_path):
    path = tmp_path / "t.jsonl"
    path.write_text(json.dumps(good_task()) + "\n{oops\n" + json.dumps(dict(good_task(), answer="reject")) + "\n")
    with Store(tmp_path / "t.db") as store:
        with pytest.raises(ImportRefused, match=r"t.jsonl:2: not JSON"):
            import_annotations(store, [str(path)], "prodigy", "ana")
        report = import_annotations(store, [str(path)], "prodigy", "ana", skip_invalid=True)
        assert report.annotated == 1 and report.not_accepted == 1


def brat_dir(tmp_path: Path, ann: str, text: str = TEXT) -> str:
    folder = tmp_path / "brat"
    folder.mkdir(exist_ok=True)
    (folder / "doc.txt").write_text(text, encoding="utf-8")
    (folder / "doc.ann").write_text(ann, encoding="utf-8")
    return str(folder)


@pytest.mark.parametrize("ann, message", [
    ("T1\tGPE 8 15\tArmenia\nT2\tGPE 25 29\tBaky\n", "doc.ann:2: T2 text 'Baky' differs from the .txt at 25 29 ('Baku')"),
    ("T1\tWEAPON 8 15\tArmenia\n", "doc.ann:1: T1: unknown label 'WEAPON'"),
    ("T1\tATTACK 16 24\tmenembak\nE1\tATTACK:T1 TARGET:T9\n", "doc.ann:2: E1 argument TARGET:T9 points to a missing span"),
    ("T1\tGPE 8 15\tArmenia\nR1\tAGENT Arg1:T1 Arg2:T7\n", "doc.ann:2: relation AGENT points to a missing span"),
    ("T1\tGPE 8 15\tArmenia\nA1\tstance T5 affirm\n", "doc.ann:2: attribute stance of a missing annotation"),
    ("T1\tGPE 8 15;25 29\tArmenia Baku\n", "discontinuous"),
    ("T1\tATTACK 16 24\tmenembak\nE1\tATTACK:T1 CLAIMANT:T1\n", "'CLAIMANT' is not a role of the event layer"),
    ("X1\tsomething\n", "doc.ann:1: unsupported line"),
])
def test_bad_brat_is_reported_by_file_and_line(tmp_path, ann, message):
    folder = brat_dir(tmp_path, ann)
    with Store(tmp_path / "t.db") as store:
        with pytest.raises(ImportRefused) as err:
            import_annotations(store, [folder], "brat", "ana")
        assert message in str(err.value)
        assert store.count_documents() == 0


def test_brat_written_elsewhere_comes_in(tmp_path):
    """Lines in any order, R and M lines, numbered roles, binary attributes, notes, CRLF line ends."""
    ann = ("E1\tATTACK:T2 AGENT:T1 TARGET:T3 TIME2:T4\r\n"
           "T2\tATTACK 16 24\tmenembak\r\nT1\tORG 0 15\tPasukan Armenia\r\nT3\tGPE 25 29\tBaku\r\n"
           "T4\tDATE 35 40\tSenin\r\nM1\tmodality E1 asserted\r\nA2\tNegated T3\r\n"
           "N1\tReference T1 Wikidata:Q1\tArmenian Armed Forces\r\n#1\tAnnotatorNotes E1\tcek lagi\r\n")
    folder = brat_dir(tmp_path, ann)
    with Store(tmp_path / "t.db") as store:
        report = import_annotations(store, [folder], "brat", "ana")
        assert report.annotated == 1 and report.links == 3 and report.actors_added == ["Q1"]
        doc_id = store.find_document_by_text(TEXT)
        spans = {s.text: s for s in store.spans(doc_id, "ana")}
        assert spans["menembak"].attrs == {"modality": "asserted", "note": "cek lagi"}
        assert spans["Baku"].attrs == {"Negated": True}
        assert spans["Pasukan Armenia"].actor_id == "Q1"
        roles = sorted(link.role for link in store.links(doc_id, "ana"))
        assert roles == ["AGENT", "TARGET", "TIME"]


def test_spans_off_token_boundaries_are_widened_and_reported(tmp_path):
    ann = "T1\tGPE 9 15\trmenia\nT2\tGPE 24 29\t Baku\n"
    folder = brat_dir(tmp_path, ann)
    with Store(tmp_path / "t.db") as store:
        report = import_annotations(store, [folder], "brat", "ana")
        doc_id = store.find_document_by_text(TEXT)
        assert sorted((s.start, s.end, s.text) for s in store.spans(doc_id, "ana")) == [
            (8, 15, "Armenia"), (25, 29, "Baku")]
        assert len(report.snapped) == 2 and "doc.ann:1: GPE 9-15 'rmenia' -> 8-15 'Armenia'" in report.snapped[0]
        assert "snapped to token boundaries: 2" in report.render()
    # a span of whitespace only cannot be aligned: a problem
    folder = brat_dir(tmp_path, "T1\tGPE 15 16\t \n")
    with Store(tmp_path / "u.db") as store, pytest.raises(ImportRefused, match="covers no token"):
        import_annotations(store, [folder], "brat", "ana")


def test_a_span_given_twice_is_stored_once_with_its_links(tmp_path):
    """brat: two T lines on Baku (the second off its boundaries, snapped onto the first), each an argument
    of the attack; Prodigy: the same span twice. One span each, the link kept once, the report says so."""
    ann = ("T1\tATTACK 16 24\tmenembak\nT2\tGPE 25 29\tBaku\nT3\tGPE 26 29\taku\n"
           "R1\tTARGET Arg1:T1 Arg2:T2\nR2\tTARGET Arg1:T1 Arg2:T3\n")
    task = good_task()
    task["spans"].append(dict(task["spans"][0]))
    for fmt, where in (("brat", brat_dir(tmp_path, ann)), ("prodigy", write_jsonl(tmp_path / "t.jsonl", [task]))):
        with Store(tmp_path / f"{fmt}.db") as store:
            report = import_annotations(store, [where], fmt, "ana")
            doc_id = store.find_document_by_text(TEXT)
            spans = sorted((s.label, s.text) for s in store.spans(doc_id, "ana"))
            assert spans == sorted([("ATTACK", "menembak"), ("GPE", "Baku")] + [("GPE", "Armenia")] * (fmt == "prodigy"))
            assert [(link.role) for link in store.links(doc_id, "ana")] == ["TARGET"]
            assert len(report.twice) == 1 and "given twice, stored once: 1" in report.render()


def test_gold_import_needs_a_reviewer(tmp_path):
    path = write_jsonl(tmp_path / "t.jsonl", [good_task()])
    with Store(tmp_path / "t.db") as store:
        with pytest.raises(TandaiError, match="reviewer"):
            import_annotations(store, [path], "prodigy", "gold")
        report = import_annotations(store, [path], "prodigy", "gold", by="rev")
        assert report.annotated == 1
        row = store.conn.execute("SELECT DISTINCT annotator, by FROM journal WHERE tbl = 'spans'").fetchall()
        assert row == [("gold", "rev")]


def test_prodigy_from_other_tools_without_tandai_fields(tmp_path):
    """A plain Prodigy ner/rel task: tokens from spaCy, no layer or text on spans, head_span matched by offsets."""
    task = good_task()
    task["tokens"] = [{"text": w, "start": 0, "end": 0, "id": i, "ws": True} for i, w in enumerate(TEXT.split())]
    task["relations"][0]["head_span"].pop("label")
    task["_annotator_id"] = "prodigy-ana"
    path = write_jsonl(tmp_path / "t.jsonl", [task])
    with Store(tmp_path / "t.db") as store:
        report = import_annotations(store, [path], "prodigy", "ana")
        assert report.annotated == 1 and report.links == 1
        out = io.StringIO()
        export(store, "prodigy", out, annotator="ana")
        back = json.loads(out.getvalue())
        assert [(s["start"], s["end"], s["label"], s["layer"]) for s in back["spans"]] == [
            (8, 15, "GPE", "entity"), (16, 24, "ATTACK", "event"), (25, 29, "GPE", "entity")]


def test_cli_import(db, tmp_path):
    help_text = subprocess.run(tandai_cmd("import", "--help"), capture_output=True, text=True).stdout
    if "--skip-invalid" not in help_text:
        pytest.skip("tandai import --format prodigy|brat is not wired into tui/cli.py yet")
    with Store(db) as store:
        export(store, "brat", str(tmp_path / "brat"), annotator=ANNOTATOR)
        (tmp_path / "scheme.toml").write_text(store.scheme.source, "utf-8")  # the case's TARGET takes a QUANTITY
        (tmp_path / store.scheme.lexicon_file).write_text(store.scheme.triggers, "utf-8")  # the file it names
    fresh = tmp_path / "fresh.db"
    proc = subprocess.run(tandai_cmd("--db", str(fresh), "--annotator", "rev", "import", "--format", "brat",
                                     "--as", "ana", "--scheme", str(tmp_path / "scheme.toml"), str(tmp_path / "brat")),
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    with Store(fresh) as store:
        assert store.status_counts("ana")["done"] == 6
    bad = write_jsonl(tmp_path / "bad.jsonl", [dict(good_task(), spans=[{"start": 0, "end": 3, "label": "NOPE"}])])
    proc = subprocess.run(tandai_cmd("--db", str(fresh), "import", "--format", "prodigy", "--as", "ana", bad),
                          capture_output=True, text=True)
    assert proc.returncode == 1 and "bad.jsonl:1:" in proc.stderr and "Traceback" not in proc.stderr


def test_prodigy_from_standard_input(tmp_path):
    data = (json.dumps(good_task()) + "\n").encode("utf-8")
    with Store(tmp_path / "t.db") as store:
        report = import_annotations(store, ["-"], "prodigy", "ana", stdin=io.BytesIO(data))
        assert report.annotated == 1 and report.spans["entity"] == 2


def test_an_all_annotators_brat_export_is_imported_one_annotator_at_a_time(db, tmp_path):
    with Store(db) as store:
        doc_id = store.document_ids()[0]
        s, e = (lambda t: (t.index("Armenia"), t.index("Armenia") + 7))(store.get_document(doc_id).text)
        store.add_span(doc_id, "bob", "entity", "GPE", s, e)
        store.set_status(doc_id, "bob", "done")
        try:
            export(store, "brat", str(tmp_path / "all"), all_annotators=True)
        finally:
            store.conn.execute("DELETE FROM spans WHERE annotator = 'bob'")
            store.conn.execute("DELETE FROM progress WHERE annotator = 'bob'")
        scheme = store.scheme
    with Store(tmp_path / "fresh.db") as fresh:
        fresh.set_scheme(scheme)
        with pytest.raises(ImportRefused, match="import each annotator's file separately"):
            import_annotations(fresh, [str(tmp_path / "all")], "brat", "ana")
        assert import_annotations(fresh, [str(tmp_path / "all" / "bob")], "brat", "bob").annotated == 1
        assert import_annotations(fresh, [str(tmp_path / "all" / "ana")], "brat", "ana").annotated == 6
