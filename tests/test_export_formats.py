"""Every export format, read back the way its consumer reads it.

- prodigy: JSONL tasks whose tokens are the spaCy tokens of the text and whose
  spans and relations point at them;
- brat: parsed by a small independent brat reader (T/E/A/N/# grammar, offsets
  checked against the .txt, an E referred to only after its line) and checked
  against annotation.conf's types, roles, attribute values and ``<OVERLAP>``
  rules, and tools.conf's normalisation DB, as brat's server reads them;
- dygiepp: checked with DyGIE++'s own document rules (allowed fields, one
  entry per sentence, spans and triggers inside their sentence);
- iob: CoNLL columns and HF JSONL (one tag per token, tags from the label list, valid IOB2),
  loaded by Hugging Face ``datasets`` and converted by ``spacy convert -c ner``;
- events-csv: read with ``csv``;
- spacy: see test_export_spacy.py.

The issue's article (overlapping entities, an event with three arguments
across two sentences, a claim about the event) is checked in each.
"""
from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from annotations.export import FORMATS, export
from annotations.errors import TandaiError

from conftest import tandai_cmd
from test_export_helpers import db, store  # noqa: F401  (fixtures)
from test_export_helpers import ANNOTATOR, CASE_TEXT, build, find

ONE_FILE = {"prodigy": "out.jsonl", "dygiepp": "out.jsonl", "events-csv": "out.csv"}


def run(store, fmt, tmp_path, **kw):
    out = tmp_path / ONE_FILE.get(fmt, f"{fmt}_out")
    report = export(store, fmt, str(out), annotator=kw.pop("annotator", ANNOTATOR), **kw)
    return out, report


def case_id(store) -> str:
    return store.find_document_by_text(CASE_TEXT)


def tree_bytes(path: Path) -> dict[str, bytes]:
    if path.is_file():
        return {path.name: path.read_bytes()}
    return {str(p.relative_to(path)): p.read_bytes() for p in sorted(path.rglob("*")) if p.is_file()}


# -- prodigy ----------------------------------------------------------------------------------


def test_prodigy_tasks_point_at_their_tokens_and_spans(store, tmp_path):
    from annotations.pretag import make_doc
    from spacy.vocab import Vocab

    out, report = run(store, "prodigy", tmp_path)
    tasks = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(tasks) == 6 and report.problems == {}
    vocab = Vocab()
    for task in tasks:
        text = task["text"]
        doc = make_doc(vocab, text, store.get_document(task["meta"]["doc_id"]).tokens)
        assert [(t["start"], t["end"], t["ws"]) for t in task["tokens"]] == [
            (t.idx, t.idx + len(t), bool(t.whitespace_)) for t in doc]
        assert all(t["text"] == text[t["start"]:t["end"]] for t in task["tokens"])
        for span in task["spans"]:
            assert task["tokens"][span["token_start"]]["start"] == span["start"]
            assert task["tokens"][span["token_end"]]["end"] == span["end"]
            assert span["text"] == text[span["start"]:span["end"]]
        keys = ("start", "end", "token_start", "token_end", "label")
        for rel in task["relations"]:
            for side in ("head_span", "child_span"):
                assert set(rel[side]) == set(keys)
                assert any(all(s[k] == rel[side][k] for k in keys) for s in task["spans"])
            assert rel["head"] == rel["head_span"]["token_end"] and rel["child"] == rel["child_span"]["token_end"]
        assert task["answer"] == "accept" and task["_annotator_id"] == ANNOTATOR
        assert isinstance(task["_input_hash"], int) and isinstance(task["_task_hash"], int)
    case = next(t for t in tasks if t["text"] == CASE_TEXT)
    labels = {(s["text"], s["label"], s["actor_id"]) for s in case["spans"]}
    assert ("Kementerian Pertahanan Armenia", "ORG", "ARM_MIL") in labels and ("Armenia", "GPE", "ARM_GOV") in labels
    attack = [r for r in case["relations"] if r["head_span"]["label"] == "ATTACK"]
    assert sorted((r["label"], CASE_TEXT[r["child_span"]["start"]:r["child_span"]["end"]]) for r in attack) == [
        ("AGENT", "pasukan Azerbaijan"), ("PLACE", "Stepanakert"), ("TARGET", "5 warga sipil")]
    about = next(r for r in case["relations"] if r["label"] == "ABOUT")
    assert about["head_span"]["label"] == "ACCUSATION" and about["child_span"]["label"] == "ATTACK"
    assert case["meta"]["published"] == "2020-10-26"


# -- brat ---------------------------------------------------------------------------------------


def parse_conf(text: str) -> dict:
    """annotation.conf: sections, with macros expanded as brat expands them (per section)."""
    sections: dict[str, dict[str, list[str]]] = {}
    current = None
    macros: dict[str, str] = {}
    for line in text.split("\n"):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        m = re.match(r"^\s*\[(.*)\]\s*$", line)
        if m:
            current = m.group(1)
            assert current in ("entities", "relations", "events", "attributes"), current
            sections[current] = {}
            macros = {}
            continue
        assert current is not None, f"line outside a section: {line!r}"
        m = re.match(r"^<([a-zA-Z_-]+)>=\s*(.*?)\s*$", line)
        if m:
            macros[f"<{m.group(1)}>"] = m.group(2)
            continue
        for name, value in macros.items():
            line = line.replace(name, value)
        m = re.match(r"^(\s*)([^\t]+)(?:\t(.*))?$", line)
        assert m, line
        args = [a.strip() for a in (m.group(3) or "").split(",") if a.strip()]
        # brat stores a type under its "storage form" and renames any other (then the .ann types no longer match)
        assert m.group(2).strip() == "<OVERLAP>" or re.match(r"^[a-zA-Z0-9_-]+$", m.group(2).strip()), line
        for arg in args:
            assert re.match(r"^[^:]+:.+$", arg), f"bad argument {arg!r} in {line!r}"
        sections[current][m.group(2).strip()] = args
    assert set(sections) == {"entities", "relations", "events", "attributes"}
    return sections


def parse_ann(ann: str, txt: str) -> dict:
    """An independent brat .ann reader: every line must be T, E, A, N or #, offsets must match the .txt."""
    out = {"T": {}, "E": {}, "A": [], "N": [], "N_db": [], "#": []}
    for n, line in enumerate(ann.split("\n"), start=1):
        if line == "":
            continue
        ident, rest = line.split("\t", 1)
        kind = ident[0]
        if kind == "T":
            head, text = rest.split("\t", 1)
            label, offsets = head.split(" ", 1)
            frags = [tuple(map(int, part.split(" "))) for part in offsets.split(";")]
            assert " ".join(txt[s:e] for s, e in frags) == text, f"line {n}: {line!r}"
            assert all("\n" not in txt[s:e] for s, e in frags)
            out["T"][ident] = (label, frags[0][0], frags[-1][1])
        elif kind == "E":
            parts = rest.split(" ")
            etype, trigger = parts[0].split(":")
            args = [tuple(p.split(":")) for p in parts[1:]]
            for _, ref in args:  # readers that resolve ids line by line drop an event referring ahead
                assert not ref.startswith("E") or ref in out["E"], f"line {n}: {ref} used before its line"
            out["E"][ident] = (etype, trigger, args)
        elif kind == "A":
            parts = rest.split(" ")
            assert len(parts) in (2, 3), line
            out["A"].append(tuple(parts))
        elif kind == "N":
            head, name = rest.split("\t")
            ntype, target, ref = head.split(" ")
            assert ntype == "Reference" and ":" in ref
            out["N"].append((target, ref.split(":", 1)[1], name))
            out["N_db"].append(tuple(ref.split(":", 1)))
        elif kind == "#":
            head, note = rest.split("\t")
            assert head.startswith("AnnotatorNotes ")
            out["#"].append((head.split(" ")[1], note))
        else:
            raise AssertionError(f"line {n}: unexpected {line!r}")
    for eid, (etype, trigger, args) in out["E"].items():
        assert out["T"][trigger][0] == etype
        for role, ref in args:
            assert ref in out["T"] or ref in out["E"], (eid, role, ref)
    for attr in out["A"]:
        assert attr[1] in out["T"] or attr[1] in out["E"]
    for target, _, _ in out["N"]:
        assert target in out["T"]
    return out


def overlap_rules(conf: dict) -> list[tuple[set[str], set[str], set[str]]]:
    """annotation.conf's <OVERLAP> lines as (Arg1 types, Arg2 types, overlap kinds), as brat reads them."""
    rules = []
    for name, args in conf["relations"].items():
        if name != "<OVERLAP>":
            continue
        spec = dict(a.split(":", 1) for a in args)
        rules.append((set(spec["Arg1"].split("|")), set(spec["Arg2"].split("|")), set(spec["<OVL-TYPE>"].split("|"))))
    return rules


def overlap_allowed(rules, kind: str, a: str, b: str) -> bool:
    """brat's spans_can_be_equal / span_can_contain / spans_can_cross for types a and b."""
    for first, second, kinds in rules:
        for x, y in ((a, b), (b, a)):
            if (x in first or "<ANY>" in first) and (y in second or "<ANY>" in second) and (
                    kind in kinds or "<ANY>" in kinds):
                return True
    return False


def check_against_conf(parsed: dict, conf: dict) -> None:
    entities, events, attributes = conf["entities"], conf["events"], conf["attributes"]
    rules = overlap_rules(conf)
    spans = list(parsed["T"].values())
    for i, (l1, s1, e1) in enumerate(spans):
        for l2, s2, e2 in spans[i + 1:]:
            if s1 < e2 and s2 < e1:
                kind = "equal" if (s1, e1) == (s2, e2) else (
                    "contain" if (s1 <= s2 and e2 <= e1) or (s2 <= s1 and e1 <= e2) else "cross")
                assert overlap_allowed(rules, kind, l1, l2), (kind, l1, s1, e1, l2, s2, e2)

    def type_of(ref):
        return parsed["E"][ref][0] if ref in parsed["E"] else parsed["T"][ref][0]

    for tid, (label, _, _) in parsed["T"].items():
        assert label in entities or label in events, label
    for eid, (etype, _, args) in parsed["E"].items():
        allowed = {}
        for spec in events[etype]:
            role, types = spec.split(":", 1)
            allowed[role.rstrip("*+?")] = (role[-1:] in "*+", types.split("|"))
        seen = {}
        for role, ref in args:
            base = re.sub(r"\d+$", "", role)
            assert base in allowed, (etype, role)
            seen[base] = seen.get(base, 0) + 1
            assert seen[base] == 1 or allowed[base][0]
            assert type_of(ref) in allowed[base][1]
    for attr in parsed["A"]:
        name, ref = attr[0], attr[1]
        spec = dict(a.split(":", 1) for a in attributes[name])
        assert type_of(ref) in spec["Arg"].split("|")
        if len(attr) == 3:
            assert attr[2] in spec["Value"].split("|")


def test_brat_files_parse_and_agree_with_annotation_conf(store, tmp_path):
    out, report = run(store, "brat", tmp_path)
    conf = parse_conf((out / "annotation.conf").read_text(encoding="utf-8"))
    anns = sorted(out.glob("*.ann"))
    assert len(anns) == 6 and report.problems == {}
    for ann in anns:
        txt = ann.with_suffix(".txt").read_bytes().decode("utf-8")
        doc_id = ann.stem.split("_", 1)[1]
        assert txt == store.get_document(doc_id).text
        parsed = parse_ann(ann.read_bytes().decode("utf-8"), txt)
        check_against_conf(parsed, conf)
        n_spans = store.conn.execute("SELECT count(*) FROM spans WHERE doc_id = ? AND annotator = ?",
                                     (doc_id, ANNOTATOR)).fetchone()[0]
        assert len(parsed["T"]) == n_spans
    case = next(a for a in anns if case_id(store) in a.name)
    parsed = parse_ann(case.read_text(encoding="utf-8"), CASE_TEXT)
    by_text = {CASE_TEXT[s:e]: (tid, label) for tid, (label, s, e) in parsed["T"].items()}
    attack_e = next(e for e, (t, _, _) in parsed["E"].items() if t == "ATTACK")
    _, trigger, args = parsed["E"][attack_e]
    assert CASE_TEXT[parsed["T"][trigger][1]:parsed["T"][trigger][2]] == "menyerang"
    assert sorted(args) == sorted([("AGENT", by_text["pasukan Azerbaijan"][0]), ("PLACE", by_text["Stepanakert"][0]),
                                   ("TARGET", by_text["5 warga sipil"][0])])
    claim_e = next(e for e, (t, _, _) in parsed["E"].items() if t == "ACCUSATION")
    assert ("ABOUT", attack_e) in parsed["E"][claim_e][2]
    assert ("CLAIMANT", by_text["Kementerian Pertahanan Armenia"][0]) in parsed["E"][claim_e][2]
    assert ("stance", claim_e, "affirm") in parsed["A"] and ("modality", attack_e, "claimed") in parsed["A"]
    assert (by_text["Armenia"][0], "ARM_GOV", "Armenian government") in parsed["N"]
    assert (attack_e, "kata Yerevan") in parsed["#"]
    # both overlapping entities are there: brat holds overlaps, and annotation.conf allows them
    assert by_text["Armenia"][1] == "GPE" and by_text["Kementerian Pertahanan Armenia"][1] == "ORG"
    assert overlap_allowed(overlap_rules(conf), "contain", "GPE", "ORG")
    # the claim comes first in the text, but the event it is about is defined first
    assert int(attack_e[1:]) < int(claim_e[1:])
    check_normalization(out, [ref for ann in anns for ref in parse_ann(
        ann.read_text(encoding="utf-8"), ann.with_suffix(".txt").read_text(encoding="utf-8"))["N_db"]])


def check_normalization(out: Path, refs: list[tuple[str, str]]) -> None:
    """tools.conf names the DB that N lines use, with the <URL> brat requires; its source file has every id."""
    sections: dict[str, list[str]] = {}
    current = None
    for line in (out / "tools.conf").read_text(encoding="utf-8").split("\n"):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        m = re.match(r"^\s*\[(.*)\]\s*$", line)
        if m:
            current = sections.setdefault(m.group(1), [])
        else:
            assert current is not None, line
            current.append(line)
    assert set(sections) <= {"options", "search", "annotators", "disambiguators", "normalization"}
    (entry,) = sections["normalization"]
    name, args = re.match(r"^(\S+)\s+(.*)$", entry).groups()
    spec = dict(re.match(r"^(\S*?):(\S*)$", a.strip()).groups() for a in args.split(","))
    assert spec["DB"] == name and spec["<URL>"]
    source = {}
    for line in (out / spec["<URL>"]).read_text(encoding="utf-8").splitlines():
        ident, *triples = line.split("\t")
        assert triples and all(t.split(":", 2)[0] in ("name", "attr", "info") for t in triples)
        source[ident] = triples
    assert refs and {db for db, _ in refs} == {name} and {ident for _, ident in refs} == set(source)
    assert source["ARM_GOV"] == ["name:Name:Armenian government"]


def test_brat_span_across_a_line_break_becomes_fragments(tmp_path):
    from annotations.corpus import Article, import_articles
    from annotations.store import Store

    text = "Pasukan Armenia\nmenembak desa."
    with Store(tmp_path / "t.db") as st:
        import_articles(st, [Article(text=text, title="x")])
        doc_id = st.find_document_by_text(text)
        st.add_span(doc_id, "ana", "entity", "ORG", 0, 15)
        st.add_span(doc_id, "ana", "event", "ATTACK", *find(text, "Armenia\nmenembak"))
        st.set_status(doc_id, "ana", "done")
        out = tmp_path / "brat"
        export(st, "brat", str(out), annotator="ana")
    ann = next(out.glob("*.ann")).read_text(encoding="utf-8")
    assert "T2\tATTACK 8 15;16 24\tArmenia menembak" in ann
    parse_ann(ann, text)


def test_brat_refuses_a_foreign_non_empty_directory(store, tmp_path):
    out = tmp_path / "mine"
    out.mkdir()
    (out / "notes.txt").write_text("keep me")
    with pytest.raises(TandaiError, match="not empty"):
        export(store, "brat", str(out), annotator=ANNOTATOR)
    assert (out / "notes.txt").read_text() == "keep me"
    # an earlier tandai brat export is replaced, with no stale files
    again = tmp_path / "again"
    export(store, "brat", str(again), annotator=ANNOTATOR)
    first = tree_bytes(again)
    export(store, "brat", str(again), annotator=ANNOTATOR, layers=["entity"])
    export(store, "brat", str(again), annotator=ANNOTATOR)
    assert tree_bytes(again) == first


def rename_annotator(store, old: str, new: str) -> None:
    """A database from before names were checked where they enter: ``old``'s work under a name like ``..``."""
    conn = store.conn
    conn.execute("BEGIN IMMEDIATE")
    conn.execute("PRAGMA defer_foreign_keys = ON")
    for table, column in (("annotators", "name"), ("spans", "annotator"), ("links", "annotator"),
                          ("progress", "annotator")):
        conn.execute(f"UPDATE {table} SET {column} = ? WHERE {column} = ?", (new, old))
    conn.execute("COMMIT")


def test_brat_all_keeps_every_annotator_inside_the_output(tmp_path):
    names = ["..", "a/b", "a_b", ".hidden", "../../escape"]
    db = tmp_path / "t.db"
    store = build(db, case=False)
    try:
        doc_ids = store.document_ids()
        for n, name in enumerate(names):
            stand_in = f"stand-in-{n}"
            text = store.get_document(doc_ids[n]).text
            store.add_span(doc_ids[n], stand_in, "entity", "GPE", *find(text, "Armenia"))
            store.set_status(doc_ids[n], stand_in, "done")
            rename_annotator(store, stand_in, name)
        root = tmp_path / "deep" / "er"
        out = root / "brat"
        report = export(store, "brat", str(out), annotator=None, all_annotators=True)
    finally:
        store.close()
    assert sorted(p.name for p in root.iterdir()) == ["brat"]  # nothing beside or above the export
    assert sorted(p.name for p in (tmp_path / "deep").iterdir()) == ["er"]
    folders = sorted(p.name for p in out.iterdir() if p.is_dir())
    assert len(folders) == len(names) + 1 and "ana" in folders and "a_b" in folders  # one folder each
    assert not any(name.startswith(".") or "/" in name for name in folders)
    assert len(list(out.rglob("*.ann"))) == report.records
    manifest = json.loads((out / "tandai-export.json").read_text(encoding="utf-8"))
    assert sorted(str(p.relative_to(out)) for p in out.rglob("*") if p.is_file()) == manifest["files"]


def test_brat_force_and_re_export_touch_only_what_tandai_wrote(store, tmp_path):
    out = tmp_path / "collection"
    out.mkdir()
    theirs = {"0001_abcdef.txt": "their text", "0001_abcdef.ann": "T1\tGPE 0 5\ttheir\n",
              "sub/0002_beef.ann": "", "notes.md": "keep"}
    for name, content in theirs.items():
        (out / name).parent.mkdir(exist_ok=True)
        (out / name).write_text(content)
    with pytest.raises(TandaiError, match="not an earlier tandai brat export"):
        export(store, "brat", str(out), annotator=ANNOTATOR)
    export(store, "brat", str(out), annotator=ANNOTATOR, force=True)
    ours = json.loads((out / "tandai-export.json").read_text())["files"]
    assert len([f for f in ours if f.endswith(".ann")]) == 6
    assert all((out / name).read_text() == content for name, content in theirs.items())
    # a smaller export into the same folder removes the files it no longer writes, and only those
    bob_doc = store.document_ids()[0]
    store.add_span(bob_doc, "bob", "entity", "GPE", *find(store.get_document(bob_doc).text, "Armenia"))
    store.set_status(bob_doc, "bob", "done")
    try:
        export(store, "brat", str(out), annotator="bob")
    finally:
        store.conn.execute("DELETE FROM spans WHERE annotator = 'bob'")
        store.conn.execute("DELETE FROM progress WHERE annotator = 'bob'")
    now = json.loads((out / "tandai-export.json").read_text())["files"]
    assert len([f for f in now if f.endswith(".ann")]) == 1
    assert sorted(str(p.relative_to(out)) for p in out.rglob("*") if p.is_file()) == sorted([*now, *theirs])
    # a manifest that names files outside the folder, or files tandai did not write, deletes nothing of them
    outside = tmp_path / "outside.txt"
    outside.write_text("keep")
    manifest = json.loads((out / "tandai-export.json").read_text())
    manifest["files"] += ["../outside.txt", str(outside), "notes.md/../../outside.txt"]
    (out / "tandai-export.json").write_text(json.dumps(manifest))
    export(store, "brat", str(out), annotator=ANNOTATOR)
    assert outside.read_text() == "keep" and (out / "notes.md").read_text() == "keep"


def test_brat_force_never_replaces_a_file_it_did_not_write(store, tmp_path):
    out = tmp_path / "collection"
    out.mkdir()
    (out / "annotation.conf").write_text("[entities]\nMine\n")
    before = tree_bytes(out)
    with pytest.raises(TandaiError, match="annotation.conf: exists and was not written by tandai"):
        export(store, "brat", str(out), annotator=ANNOTATOR, force=True)
    assert tree_bytes(out) == before and sorted(p.name for p in tmp_path.iterdir()) == ["collection"]


def test_brat_names_the_types_brat_would_rename(tmp_path):
    from annotations.scheme import parse_scheme

    store = build(tmp_path / "t.db", case=False)
    try:
        report = export(store, "brat", str(tmp_path / "plain"), annotator=ANNOTATOR)
        assert not any("renamed" in note for note in report.notes)
        source = store.scheme.source.replace('{ name = "QUANTITY"', '{ name = "SENJATA.API" },\n  { name = "QUANTITY"', 1)
        store.set_scheme(parse_scheme(source))
        report = export(store, "brat", str(tmp_path / "brat"), annotator=ANNOTATOR)
        (note,) = [note for note in report.notes if "renamed" in note]
        assert note.endswith(": SENJATA.API") and note in report.render()
    finally:
        store.close()


# -- DyGIE++ -------------------------------------------------------------------------------


def check_dygiepp(doc: dict) -> None:
    """DyGIE++'s Document.from_json rules: allowed fields, per-sentence lists, spans inside their sentence."""
    allowed = re.compile(r"doc_key|dataset|sentences|weight|.*ner$|.*relations$|.*clusters$|.*events$|^_.*")
    assert all(allowed.match(k) for k in doc), doc.keys()
    per_sentence = [k for k in doc if k not in ("doc_key", "dataset", "clusters", "predicted_clusters", "weight",
                                                "event_clusters", "predicted_event_clusters")]
    lengths = {k: len(doc[k]) for k in per_sentence}
    assert len(set(lengths.values())) == 1, lengths
    start = 0
    for n, sentence in enumerate(doc["sentences"]):
        end = start + len(sentence) - 1
        assert sentence and all(isinstance(t, str) and t and not any(c.isspace() for c in t) for t in sentence)
        for s, e, label in doc["ner"][n]:
            assert start <= s <= e <= end and isinstance(label, str)
        for s1, e1, s2, e2, label in doc["relations"][n]:
            assert start <= s1 <= e1 <= end and start <= s2 <= e2 <= end
        for event in doc["events"][n]:
            (trigger, etype), *args = event
            assert start <= trigger <= end and isinstance(etype, str)
            for s, e, role in args:
                assert start <= s <= e <= end and isinstance(role, str)
        start = end + 1


def test_dygiepp_documents_follow_dygiepp_rules(store, tmp_path):
    out, report = run(store, "dygiepp", tmp_path)
    docs = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(docs) == 6
    for doc in docs:
        check_dygiepp(doc)
        assert doc["dataset"] == "tandai"
    case = next(d for d in docs if d["doc_key"] == case_id(store))
    words = [w for sentence in case["sentences"] for w in sentence]
    ner = {(" ".join(words[s:e + 1]), label) for sentence in case["ner"] for s, e, label in sentence}
    assert ("Kementerian Pertahanan Armenia", "ORG") in ner and ("Armenia", "GPE") in ner  # overlaps kept
    events = [ev for sentence in case["events"] for ev in sentence]
    attack = next(ev for ev in events if ev[0][1] == "ATTACK")
    assert words[attack[0][0]] == "menyerang"
    assert sorted((" ".join(words[s:e + 1]), role) for s, e, role in attack[1:]) == [
        ("Stepanakert", "PLACE"), ("pasukan Azerbaijan", "AGENT")]
    claim = next(ev for ev in events if ev[0][1] == "ACCUSATION")
    assert ("ABOUT", "menyerang") in {(role, " ".join(words[s:e + 1])) for s, e, role in claim[1:]}
    # the third argument, in the next sentence, is reported with its offsets
    cross = report.problems["event argument in another sentence than its trigger (DyGIE++ events are within a sentence)"]
    assert [(i.doc_id, i.start, i.end) for i in cross if i.doc_id == case_id(store)] == [
        (case_id(store), *find(CASE_TEXT, "5 warga sipil"))]
    long = report.problems["trigger longer than one token: written as its first token"]
    assert any(i.label == "ACCUSATION" and i.doc_id == case_id(store) for i in long)


# -- IOB -----------------------------------------------------------------------------------


def test_iob_conll_and_hf_jsonl(store, tmp_path):
    out, report = run(store, "iob", tmp_path)
    labels = json.loads((out / "labels.json").read_text(encoding="utf-8"))
    assert labels[0] == "O" and len(labels) == len(set(labels))
    rows = [json.loads(line) for line in (out / "data.jsonl").read_text(encoding="utf-8").splitlines()]
    for row in rows:
        assert len(row["tokens"]) == len(row["ner_tags"]) > 0
        assert all(0 <= t < len(labels) for t in row["ner_tags"])
        tags = [labels[t] for t in row["ner_tags"]]
        for prev, tag in zip(["O"] + tags, tags):
            if tag.startswith("I-"):
                assert prev in (f"B-{tag[2:]}", tag), (prev, tag)
    conll = (out / "data.conll").read_text(encoding="utf-8")
    assert conll.count("-DOCSTART- -X- O O\n\n") == 6 and conll.count("-DOCSTART-") == 6
    sentences = [b for b in conll.split("\n\n") if b and not b.startswith("-DOCSTART-")]
    assert len(sentences) == len(rows)
    for block, row in zip(sentences, rows):
        cols = [line.split("\t") for line in block.split("\n") if line]
        assert all(len(c) == 2 for c in cols)
        assert [c[0] for c in cols] == row["tokens"] and [labels.index(c[1]) for c in cols] == row["ner_tags"]
    case = [r for r in rows if r["doc_id"] == case_id(store)]
    first = case[0]
    tagged = list(zip(first["tokens"], (labels[t] for t in first["ner_tags"])))
    assert tagged[:3] == [("Kementerian", "B-ORG"), ("Pertahanan", "I-ORG"), ("Armenia", "I-ORG")]
    dropped = report.problems["overlapping span: IOB has one tag per token (the longest is kept)"]
    assert {(i.start, i.end, i.label) for i in dropped if i.doc_id == case_id(store)} == {
        (*find(CASE_TEXT, "Armenia"), "GPE"), (*find(CASE_TEXT, "Azerbaijan"), "GPE"),
        (*find(CASE_TEXT, "Yerevan", 1), "GPE")}
    assert "link: IOB has no relations" in report.problems
    assert set(report.layers) == {"entity"}


def test_iob_folder_loads_in_hugging_face_datasets_with_label_names(store, tmp_path, monkeypatch):
    import datasets
    monkeypatch.setenv("HF_DATASETS_CACHE", str(tmp_path / "hf-cache"))
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    out, _ = run(store, "iob", tmp_path)
    labels = json.loads((out / "labels.json").read_text(encoding="utf-8"))
    rows = [json.loads(line) for line in (out / "data.jsonl").read_text(encoding="utf-8").splitlines()]
    loaded = datasets.load_dataset(str(out), cache_dir=str(tmp_path / "hf-cache"))
    assert list(loaded) == ["train"]  # labels.json and data.conll are not read as data files
    train = loaded["train"]
    tags = train.features["ner_tags"]
    assert isinstance(tags.feature, datasets.ClassLabel) and tags.feature.names == labels
    assert isinstance(train.features["tokens"].feature, datasets.Value)
    assert train.num_rows == len(rows) and train[0]["tokens"] == rows[0]["tokens"]
    first = train.filter(lambda row: row["doc_id"] == case_id(store))[0]
    named = [tags.feature.int2str(t) for t in first["ner_tags"]]
    assert list(zip(first["tokens"], named))[:3] == [
        ("Kementerian", "B-ORG"), ("Pertahanan", "I-ORG"), ("Armenia", "I-ORG")]


def test_iob_conll_converts_to_one_spacy_doc_per_article(store, tmp_path):
    from spacy.tokens import DocBin
    from spacy.vocab import Vocab

    out, report = run(store, "iob", tmp_path)
    converted = tmp_path / "converted"
    converted.mkdir()
    proc = subprocess.run([sys.executable, "-m", "spacy", "convert", "-c", "ner", str(out / "data.conll"),
                           str(converted)], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr + proc.stdout
    docs = list(DocBin().from_disk(converted / "data.spacy").get_docs(Vocab()))
    assert len(docs) == len(report.articles) == 6
    by_words = {tuple(t.text for t in doc): doc for doc in docs}
    case = store.get_document(case_id(store))
    doc = by_words[tuple(case.text[s:e] for s, e in case.tokens)]
    assert (doc.ents[0].text, doc.ents[0].label_) == ("Kementerian Pertahanan Armenia", "ORG")
    assert all(t.text != "-DOCSTART-" for d in docs for t in d)


def test_iob_event_layer_when_asked(store, tmp_path):
    out, report = run(store, "iob", tmp_path, layers=["event"])
    labels = json.loads((out / "labels.json").read_text())
    assert "B-ATTACK" in labels and "B-ORG" not in labels
    assert sum(report.spans.values()) == sum(n for (layer, _), n in report.spans.items() if layer == "event")


# -- events CSV ----------------------------------------------------------------------------------


def test_events_csv_one_row_per_event_and_claim(store, tmp_path):
    out, report = run(store, "events-csv", tmp_path)
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    n_events = sum(n for (layer, _), n in report.spans.items() if layer == "event")
    assert len({r["event_id"] for r in rows}) == n_events
    # every claim about an event is a row of its own; an event no claim is about has one row
    pairs = {(r["event_id"], r["claim_id"]) for r in rows}
    assert len(pairs) == len(rows) and report.links["ABOUT"] == sum(1 for r in rows if r["claim_id"])
    attack = next(r for r in rows if r["article"] == case_id(store) and r["tandai_event_type"] == "ATTACK")
    assert attack["published"] == "2020-10-26" and attack["trigger"] == "menyerang"
    assert (attack["event_type"], attack["sub_event_type"]) == ("Battles", "Armed clash")
    assert (attack["actor1"], attack["inter1"]) == ("Azerbaijani armed forces", "1")
    assert (attack["agent"], attack["agent_actor_ids"]) == ("pasukan Azerbaijan", "AZE_MIL")
    assert attack["target"] == attack["actor2"] == "5 warga sipil" and attack["location"] == "Stepanakert"
    assert attack["claim"] == "pasukan Azerbaijan menyerang Stepanakert pada Senin (26/10/2020)"
    assert (attack["claim_type"], attack["claim_stance"]) == ("ACCUSATION", "affirm")
    assert (attack["claimant"], attack["claimant_actor_ids"]) == ("Kementerian Pertahanan Armenia", "ARM_MIL")
    assert attack["claim_target_actor_ids"] == "AZE_MIL" and attack["modality"] == "claimed"


# -- for every format -------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_summary_counts_and_lists_what_is_lost(store, tmp_path, fmt):
    out, report = run(store, fmt, tmp_path)
    text = report.render()
    assert "6 article(s)" in text and "spans: " in text and "links: " in text
    assert report.spans[("entity", "GPE")] > 0
    if fmt == "iob":  # entity layer only: every link is reported as not expressible
        n_links = store.conn.execute("SELECT count(*) FROM links WHERE annotator = ?", (ANNOTATOR,)).fetchone()[0]
        assert len(report.problems["link: IOB has no relations"]) == n_links
    else:
        assert report.links["ABOUT"] >= 1
    for reason, items in report.problems.items():
        assert f"{reason}: {len(items)}" in text
        for item in items[:20]:
            assert f"{item.doc_id} {item.start}-{item.end} {item.label}" in text
    if fmt in ("prodigy", "brat"):
        assert report.problems == {}
    if fmt == "spacy":
        assert len(report.problems["overlapping entity: not in doc.ents (kept in span group 'entity')"]) == 3


def test_selection_status_all_layer_and_gold(store, tmp_path):
    doc_ids = store.document_ids()
    # bob annotated two articles, finished one
    s, e = find(store.get_document(doc_ids[0]).text, "Armenia")
    store.add_span(doc_ids[0], "bob", "entity", "GPE", s, e)
    store.add_span(doc_ids[1], "bob", "entity", "GPE", *find(store.get_document(doc_ids[1]).text, "Armenia"))
    store.set_status(doc_ids[0], "bob", "done")
    store.add_span(doc_ids[2], "gold", "entity", "GPE", *find(store.get_document(doc_ids[2]).text, "Armenia"),
                   by="rev")
    store.set_status(doc_ids[2], "gold", "done", by="rev")
    try:
        _, report = run(store, "prodigy", tmp_path, annotator="bob")
        assert len(report.articles) == 1
        out, report = run(store, "prodigy", tmp_path, annotator="bob", status="any")
        assert len(report.articles) == 2
        out, report = run(store, "prodigy", tmp_path, annotator=None, all_annotators=True)
        names = [json.loads(line)["_annotator_id"] for line in out.read_text().splitlines()]
        assert sorted(set(names)) == ["ana", "bob"] and len(names) == 7
        out, report = run(store, "dygiepp", tmp_path, annotator=None, all_annotators=True)
        keys = [json.loads(line)["doc_key"] for line in out.read_text().splitlines()]
        assert f"{doc_ids[0]}:bob" in keys and f"{doc_ids[0]}:ana" in keys
        out, report = run(store, "brat", tmp_path, annotator=None, all_annotators=True)
        assert {p.name for p in out.iterdir() if p.is_dir()} == {"ana", "bob"}
        out, report = run(store, "prodigy", tmp_path, annotator="gold")
        (task,) = [json.loads(line) for line in out.read_text().splitlines()]
        assert task["_annotator_id"] == "gold" and [s["label"] for s in task["spans"]] == ["GPE"]
        out, report = run(store, "prodigy", tmp_path, layers=["claim"])
        spans = [s for line in out.read_text().splitlines() for s in json.loads(line)["spans"]]
        assert spans and {s["layer"] for s in spans} == {"claim"}
        assert report.problems  # links to entities and events are reported, not dropped silently
        with pytest.raises(TandaiError, match="no annotator 'nobody'"):
            run(store, "prodigy", tmp_path, annotator="nobody")
        with pytest.raises(TandaiError, match="--split is for the spacy"):
            run(store, "prodigy", tmp_path, split=0.5)
        _, report = run(store, "prodigy", tmp_path, annotator="bob", status="flagged")
        assert not report.articles
    finally:
        store.conn.execute("DELETE FROM links WHERE annotator IN ('bob', 'gold')")
        store.conn.execute("DELETE FROM spans WHERE annotator IN ('bob', 'gold')")
        store.conn.execute("DELETE FROM progress WHERE annotator IN ('bob', 'gold')")


def test_hint_when_nothing_is_done(tmp_path):
    store = build(tmp_path / "t.db", case=False)
    store.conn.execute("UPDATE progress SET status = 'doing'")
    _, report = run(store, "prodigy", tmp_path)
    assert not report.articles and "--status any" in report.render()


def test_other_exporters_do_not_import_spacy(db, tmp_path):
    code = (
        "import sys\n"
        "from annotations.store import Store\n"
        "from annotations.export import export\n"
        f"st = Store({str(db)!r})\n"
        f"for fmt, out in [('prodigy', {str(tmp_path / 'p.jsonl')!r}), ('brat', {str(tmp_path / 'b')!r}),"
        f" ('dygiepp', {str(tmp_path / 'd.jsonl')!r}), ('iob', {str(tmp_path / 'i')!r}),"
        f" ('events-csv', {str(tmp_path / 'e.csv')!r})]:\n"
        "    export(st, fmt, out, annotator='ana')\n"
        "assert 'spacy' not in sys.modules, 'an exporter imported spaCy'\n"
        "assert 'textual' not in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


# -- the command line, as a user runs it -----------------------------------------------------------


def test_cli_exports_are_byte_identical_run_to_run(db, tmp_path):
    for fmt in FORMATS:
        outs = []
        for n in (1, 2):
            out = tmp_path / f"{n}" / ONE_FILE.get(fmt, fmt)
            out.parent.mkdir(exist_ok=True)
            env = dict(os.environ, PYTHONHASHSEED=str(n * 17))
            proc = subprocess.run(tandai_cmd("--db", str(db), "--annotator", ANNOTATOR, "export", fmt, "-o", str(out)),
                                  capture_output=True, text=True, env=env)
            assert proc.returncode == 0, proc.stderr
            assert f"{fmt} export: 6 article(s)" in proc.stderr and proc.stdout == ""
            outs.append(tree_bytes(out))
        assert outs[0] == outs[1], fmt
        assert outs[0]


def test_cli_writes_jsonl_and_csv_to_stdout_with_the_summary_on_stderr(db):
    for fmt in ("prodigy", "dygiepp", "events-csv"):
        proc = subprocess.run(tandai_cmd("--db", str(db), "export", fmt, "--annotator", ANNOTATOR, "-o", "-"),
                              capture_output=True, text=True)
        assert proc.returncode == 0, proc.stderr
        if fmt == "events-csv":
            assert proc.stdout.startswith("event_id,event_date,time_precision,event_type,sub_event_type,actor1")
        else:
            assert len([json.loads(line) for line in proc.stdout.splitlines()]) == 6
        assert "wrote <stdout>" in proc.stderr


def test_cli_bad_input_is_one_line_and_exit_1(db, tmp_path):
    cases = [
        ("export", "prodigy", "--annotator", "nobody", "-o", "-"),
        ("export", "iob", "--annotator", ANNOTATOR, "-o", "-"),
        ("export", "spacy", "--annotator", ANNOTATOR, "--split", "0", "-o", str(tmp_path / "s")),
        ("export", "prodigy", "--annotator", ANNOTATOR, "--all", "-o", "-"),
    ]
    for args in cases:
        proc = subprocess.run(tandai_cmd("--db", str(db), *args), capture_output=True, text=True)
        assert proc.returncode != 0 and proc.stdout == ""
        assert "Traceback" not in proc.stderr and len(proc.stderr.strip().splitlines()) <= 3, proc.stderr


@pytest.mark.parametrize("fmt", ["prodigy", "dygiepp", "events-csv", "spacy"])
def test_worker_processes_write_the_same_bytes_and_report(store, tmp_path, fmt):
    from annotations.export import parallel
    from annotations.export.select import select

    if not parallel.workers(store, select(store, annotator=ANNOTATOR), minimum=1):
        pytest.skip("one CPU: exports stay in one process")
    one = tmp_path / "one" / ONE_FILE.get(fmt, fmt)
    many = tmp_path / "many" / ONE_FILE.get(fmt, fmt)
    seen = []
    r1 = export(store, fmt, str(one), annotator=ANNOTATOR)
    old = parallel.CHUNK
    parallel.CHUNK = 2  # six articles: three chunks, three workers' reports merged
    try:
        r2 = export(store, fmt, str(many), annotator=ANNOTATOR, parallel_from=1,
                    progress=lambda done, total: seen.append((done, total)))
    finally:
        parallel.CHUNK = old
    assert seen == [(2, 6), (4, 6), (6, 6)]
    assert tree_bytes(one) == tree_bytes(many)
    assert r1.render().replace(str(one), "X") == r2.render().replace(str(many), "X")
