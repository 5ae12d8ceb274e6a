"""Fault suite: every class of hostile input a user can hand the command line, through the installed ``tandai``.

Each case in ``CASES`` runs ``tandai`` as a subprocess against a database
that already holds an annotator's spans and links, and must end with exit
status 1, exactly one line on standard error naming what was wrong, no
traceback, and every table as it was. The classes (``CLASSES``) are those of
issue 9 section 5 and issue 13's command-line manners; the last test checks
each one is tried. Cases that need more than one command (Ctrl-C, a pseudo
terminal, an unreadable folder) are separate tests below.
"""
from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from annotations.importers import import_annotations
from annotations.scheme import default_scheme_text
from annotations.trigger_lexicon import bundled_text
from annotations.store import Store
from conftest import db_state, run_tandai, tandai_cmd

TEXT = "Pasukan Armenia menyerang kota Ganja pada hari Senin."
SURROGATE = "\\ud800"  # as a JSON file spells it: half of a UTF-16 pair, alone
GOOD_PAGE = "Perundingan di Moskow\n\nPara menteri luar negeri bertemu di Moskow pada hari Jumat.\n"


def prodigy_task(**changes) -> dict:
    task = {
        "text": TEXT,
        "spans": [{"start": 8, "end": 15, "label": "GPE", "text": "Armenia"},
                  {"start": 16, "end": 25, "label": "ATTACK"},
                  {"start": 31, "end": 36, "label": "GPE"}],
        "relations": [{"head_span": {"start": 16, "end": 25, "label": "ATTACK"},
                       "child_span": {"start": 8, "end": 15, "label": "GPE"}, "label": "AGENT"}],
        "meta": {"title": "Serangan"},
    }
    task.update(changes)
    return task


def with_surrogate(record: dict) -> str:
    """``record`` as a JSON line, the string "@S@" in it replaced by a lone surrogate escape."""
    return json.dumps(record).replace("@S@", SURROGATE) + "\n"


@pytest.fixture
def annotated(seeded_path: Path) -> Path:
    """The five seeds plus ana's three spans and one link on a sixth article."""
    path = seeded_path.parent / "prodigy.jsonl"
    path.write_text(json.dumps(prodigy_task()) + "\n", "utf-8")
    with Store(seeded_path) as store:
        report = import_annotations(store, [str(path)], "prodigy", "ana")
    assert (report.annotated, report.links) == (1, 1)
    path.unlink()
    return seeded_path


@dataclass
class Case:
    id: str
    cls: str  # one of CLASSES
    args: list[str]  # after --db; file names are relative to the folder the command runs in
    files: dict[str, str | bytes] = field(default_factory=dict)
    words: tuple[str, ...] = ()  # each must be in the error line
    stdin: bytes | None = None


CLASSES = ("surrogate", "deep JSON", "huge number", "malformed JSONL", "empty file", "binary file",
           "bad encoding", "bad scheme", "scheme drops labels in use", "OSError", "no terminal")


def _default_without(line: str) -> str:
    text = default_scheme_text()
    assert line in text
    return text.replace(line, "")


def jsonl_cases() -> list[Case]:
    cases = []
    for name in ("text", "title", "source", "url", "published", "lang", "author"):
        line = with_surrogate({"text": "Berita @S@ hari ini." if name == "text" else "Berita hari ini.",
                               **({} if name == "text" else {name: "x@S@"})})
        cases.append(Case(f"jsonl-surrogate-{name}", "surrogate", ["import", "in.jsonl"], {"in.jsonl": line},
                          ("in.jsonl:1", "surrogate", f'"{name}"')))
    cases += [
        Case("jsonl-surrogate-meta-value", "surrogate", ["import", "in.jsonl"],
             {"in.jsonl": with_surrogate({"text": "Berita.", "meta": {"penulis": "@S@"}})}, ("in.jsonl:1", '"meta"')),
        Case("jsonl-surrogate-meta-key", "surrogate", ["import", "in.jsonl"],
             {"in.jsonl": with_surrogate({"text": "Berita.", "meta": {"k@S@": 1}})}, ("in.jsonl:1", "surrogate")),
        Case("jsonl-surrogate-second-line", "surrogate", ["import", "in.jsonl"],
             {"in.jsonl": '{"text": "Baris baik."}\n' + with_surrogate({"text": "@S@"})}, ("in.jsonl:2",)),
        Case("stdin-surrogate", "surrogate", ["import", "-"], {}, ("<stdin>:1", "surrogate"),
             stdin=with_surrogate({"text": "Berita @S@."}).encode()),
        Case("jsonl-nested-100000", "deep JSON", ["import", "in.jsonl"],
             {"in.jsonl": '{"text": "Berita.", "meta": {"a": ' + "[" * 100_000 + "]" * 100_000 + "}}\n"},
             ("in.jsonl:1", "nested")),
        Case("jsonl-nested-150", "deep JSON", ["import", "in.jsonl"],
             {"in.jsonl": '{"text": "Berita.", "meta": {"a": ' + "[" * 150 + "]" * 150 + "}}\n"},
             ("in.jsonl:1", "nested more than 100")),
        Case("jsonl-5000-digits", "huge number", ["import", "in.jsonl"],
             {"in.jsonl": '{"text": "Berita.", "meta": {"n": ' + "7" * 5000 + "}}\n"}, ("in.jsonl:1", "5000 digits")),
        Case("jsonl-1e999", "huge number", ["import", "in.jsonl"],
             {"in.jsonl": '{"text": "Berita.", "n": 1e999}\n'}, ("in.jsonl:1", "out of range")),
        Case("jsonl-nan", "huge number", ["import", "in.jsonl"],
             {"in.jsonl": '{"text": "Berita.", "n": NaN}\n'}, ("in.jsonl:1", "NaN")),
        Case("jsonl-truncated", "malformed JSONL", ["import", "in.jsonl"],
             {"in.jsonl": '{"text": "Baris baik."}\n{"text": "rusak"\n'}, ("in.jsonl:2", "not JSON")),
        Case("jsonl-trailing", "malformed JSONL", ["import", "in.jsonl"],
             {"in.jsonl": '{"text": "Berita."} {"text": "lagi"}\n'}, ("in.jsonl:1", "not JSON")),
        Case("jsonl-single-quotes", "malformed JSONL", ["import", "in.jsonl"],
             {"in.jsonl": "{'text': 'Berita.'}\n"}, ("in.jsonl:1", "not JSON")),
        Case("jsonl-array", "malformed JSONL", ["import", "in.jsonl"], {"in.jsonl": "[1, 2]\n"},
             ("in.jsonl:1", "object")),
        Case("jsonl-text-number", "malformed JSONL", ["import", "in.jsonl"], {"in.jsonl": '{"text": 5}\n'},
             ("in.jsonl:1", "text")),
        Case("jsonl-empty", "empty file", ["import", "in.jsonl"], {"in.jsonl": b""}, ("in.jsonl", "empty")),
        Case("jsonl-blank-lines", "empty file", ["import", "in.jsonl"], {"in.jsonl": "\n \n\t\n"},
             ("in.jsonl", "empty")),
        Case("txt-empty", "empty file", ["import", "in.txt"], {"in.txt": b""}, ("in.txt", "empty")),
        Case("utf16-bom-only", "empty file", ["import", "in.txt"], {"in.txt": b"\xff\xfe"}, ("in.txt", "empty")),
        Case("stdin-empty", "empty file", ["import", "-"], {}, ("<stdin>", "empty"), stdin=b""),
        Case("txt-png", "binary file", ["import", "in.txt"],
             {"in.txt": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4}, ("in.txt", "binary")),
        Case("jsonl-gzip", "binary file", ["import", "in.jsonl"],
             {"in.jsonl": b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03" + bytes(200)}, ("in.jsonl", "binary")),
        Case("txt-latin1", "bad encoding", ["import", "in.txt"], {"in.txt": "Berita dari Yerevan é.\n".encode("latin-1")},
             ("in.txt", "utf-8", "--encoding")),
        Case("utf16-odd-bytes", "bad encoding", ["import", "in.txt"],
             {"in.txt": "Berita.".encode("utf-16") + b"\x00"}, ("in.txt", "utf-16")),
        Case("utf16-lone-surrogate", "surrogate", ["import", "in.txt"],
             {"in.txt": b"\xff\xfeB\x00\x00\xd8e\x00"}, ("in.txt", "utf-16")),
    ]
    return cases


def prodigy_cases() -> list[Case]:
    def case(id_: str, cls: str, line: str, *words: str) -> Case:
        return Case(f"prodigy-{id_}", cls, ["import", "--format", "prodigy", "--as", "bob", "p.jsonl"],
                    {"p.jsonl": line}, ("p.jsonl:1", *words))

    task = prodigy_task()
    span = dict(task["spans"][0])
    relation = dict(task["relations"][0])
    return [
        case("surrogate-text", "surrogate", with_surrogate(prodigy_task(text=TEXT + "@S@")), "surrogate", '"text"'),
        case("surrogate-label", "surrogate", with_surrogate(prodigy_task(spans=[{**span, "label": "G@S@"}])),
             "surrogate", '"spans"'),
        case("surrogate-span-text", "surrogate", with_surrogate(prodigy_task(spans=[{**span, "text": "@S@"}])),
             "surrogate"),
        case("surrogate-actor", "surrogate", with_surrogate(prodigy_task(spans=[{**span, "actor_id": "A@S@"}])),
             "surrogate"),
        case("surrogate-attrs", "surrogate",
             with_surrogate(prodigy_task(spans=[{**span, "attrs": {"note": "@S@"}}])), "surrogate"),
        case("surrogate-relation", "surrogate",
             with_surrogate(prodigy_task(relations=[{**relation, "label": "AG@S@"}])), "surrogate", '"relations"'),
        case("surrogate-meta", "surrogate", with_surrogate(prodigy_task(meta={"title": "@S@"})), "surrogate", '"meta"'),
        case("surrogate-extra-field", "surrogate", with_surrogate(prodigy_task(_session_id="s@S@")), "surrogate"),
        case("nested-100000", "deep JSON",
             json.dumps(prodigy_task())[:-1] + ', "x": ' + "[" * 100_000 + "]" * 100_000 + "}\n", "nested"),
        case("start-5000-digits", "huge number",
             json.dumps(prodigy_task(spans=[{**span, "start": 10**4 - 1}])).replace("9999", "9" * 5000) + "\n",
             "5000 digits"),
        case("truncated", "malformed JSONL", json.dumps(prodigy_task())[:-2] + "\n", "not JSON"),
        case("array", "malformed JSONL", "[]\n", "object"),
        Case("prodigy-empty", "empty file", ["import", "--format", "prodigy", "p.jsonl"], {"p.jsonl": b""},
             ("p.jsonl", "empty")),
        Case("prodigy-binary", "binary file", ["import", "--format", "prodigy", "p.jsonl"],
             {"p.jsonl": bytes(range(32)) * 20}, ("p.jsonl", "binary")),
    ]


def scheme_cases() -> list[Case]:
    def case(id_: str, text: str | bytes, *words: str, cls: str = "bad scheme", lexicon: str = bundled_text()) -> Case:
        return Case(f"scheme-{id_}", cls, ["import", "--scheme", "s.toml", "page.txt"],
                    {"s.toml": text, "triggers.toml": lexicon, "page.txt": GOOD_PAGE}, ("s.toml", *words))

    entity = '[layers.entity]\nlabels = ["PER", "ORG"]\n'
    events = entity + '[layers.event]\nlabels = ["PROTEST"]\ntriggers = "triggers.toml"\n'
    return [
        case("not-toml", "layers = [", "not valid TOML"),
        case("binary", b"\x00\xff\xfe\x00" * 10, "not UTF-8"),
        case("layers-string", 'layers = "x"\n', "layers must be a table"),
        case("layer-string", '[layers]\nentity = "PER"\n', "[layers.entity] must be a table"),
        case("unknown-layer", '[layers.entiti]\nlabels = ["PER"]\n', "'entiti'"),
        case("roles-string", entity + '[layers.event]\nlabels = ["ATTACK"]\nroles = "AGENT"\n',
             "[layers.event].roles must be a list"),
        case("labels-string", '[layers.entity]\nlabels = "PER"\n', "labels must be a list"),
        case("label-number", '[layers.entity]\nlabels = [1, 2]\n', "must be a string, not a int"),
        case("label-name-number", '[layers.entity]\nlabels = [{ name = 5 }]\n', "label name", "not a int"),
        case("label-with-space", '[layers.entity]\nlabels = ["BAD LABEL"]\n', "'BAD LABEL'", "one word"),
        case("label-twice", '[layers.entity]\nlabels = ["PER", "PER"]\n', "'PER' appears twice"),
        case("label-in-two-layers", entity + '[layers.event]\nlabels = ["PER"]\n', "'PER' appears twice"),
        case("duplicate-toml-key", '[layers.entity]\nlabels = ["PER"]\nlabels = ["ORG"]\n', "not valid TOML"),
        case("duplicate-layer-key", '[layers.entity]\nkey = "x"\nlabels = ["PER"]\n'
             '[layers.event]\nkey = "x"\nlabels = ["ATTACK"]\n', "both have the key 'x'"),
        case("layer-key-digit", '[layers.entity]\nkey = "1"\nlabels = ["PER"]\n', "digits choose labels"),
        case("role-twice", entity + '[layers.event]\nlabels = ["ATTACK"]\nroles = ["AGENT", "AGENT"]\n',
             "AGENT twice"),
        case("attributes-string", entity + '[layers.event]\nlabels = ["ATTACK"]\nattributes = "x"\n',
             "attributes must be a list"),
        case("attribute-values-string", '[layers.entity]\nlabels = ["PER"]\n'
             'attributes = [{ name = "stance", values = "affirm" }]\n', "values", "must be a list"),
        case("ten-labels", '[layers.entity]\nlabels = ["A", "B", "C", "D", "E", "F", "G", "H", "I", "J"]\n',
             "at most 9"),
        case("no-entity-layer", '[layers.event]\nlabels = ["ATTACK"]\n', "entity layer"),
        case("acled-type-list", entity + '[layers.event]\nlabels = [{ name = "ATTACK", acled = { event_type = ["x"] } }]\n',
             "ACLED event_type ['x']"),
        case("acled-inter-true", entity + '[actors]\nacled_inter = { STATE = true }\n', "inter codes 1-8"),
        case("categories-string", entity + '[actors]\ncategories = "STATE"\n', "categories must be a list"),
        # the trigger lexicon the event layer names (triggers.toml beside s.toml)
        case("trigger-label-not-in-scheme", events, "triggers.toml: trigger 1 (serang)", "'ATTACK' is not a label"),
        case("trigger-unknown-form", events, "trigger 1 (demo)", "'meN-an'",
             lexicon='[[trigger]]\nlabel = "PROTEST"\nroots = ["demo"]\nforms = ["meN-an"]\n'),
        case("trigger-roots-string", events, "trigger 1", "roots must be a list",
             lexicon='[[trigger]]\nlabel = "PROTEST"\nroots = "demo"\n'),
        case("trigger-unknown-key", events, "trigger 1 (demo)", "unknown key 'root'",
             lexicon='[[trigger]]\nlabel = "PROTEST"\nroots = ["demo"]\nroot = ["unjuk"]\n'),
        case("trigger-file-missing", events.replace('"triggers.toml"', '"missing.toml"'),
             "[layers.event].triggers", "missing.toml", "cannot read the trigger lexicon"),
        case("triggers-not-a-string", entity + '[layers.event]\nlabels = ["PROTEST"]\ntriggers = 3\n',
             "[layers.event].triggers must be a string"),
        case("triggers-on-entity-layer", '[layers.entity]\nlabels = ["PER"]\ntriggers = "triggers.toml"\n',
             "only the event layer has a trigger lexicon"),
        # GPE goes from the labels and from what roles accept, so the only fault left is the spans using it
        case("drops-labels-in-use", _default_without('  { name = "GPE", description = "a country, city or region'
                                                     ' with a government", ace = "GPE" },\n').replace('"GPE", ', ''),
             "entity GPE (2 span(s))", cls="scheme drops labels in use"),
        case("drops-roles-in-use", _default_without('  { name = "AGENT", accepts = ["PER", "ORG", "GPE", "NORP"] },\n'),
             "event role AGENT (1 link(s))", cls="scheme drops labels in use"),
    ]


def os_error_cases() -> list[Case]:
    export = ["export", "prodigy", "--from", "ana"]
    return [
        Case("export-to-dev-full", "OSError", [*export, "-o", "/dev/full"], {}, ("No space left on device",)),
        Case("export-under-a-file", "OSError", [*export, "-o", "plain.txt/out.jsonl"], {"plain.txt": "x"},
             ("plain.txt/out.jsonl",)),
        Case("export-folder-under-a-file", "OSError", ["export", "brat", "--from", "ana", "-o", "plain.txt/brat"],
             {"plain.txt": "x"}, ("plain.txt/brat",)),
        Case("report-under-a-file", "OSError", [*export, "-o", os.devnull, "--report", "plain.txt/r.json"],
             {"plain.txt": "x"}, ("plain.txt/r.json",)),
        Case("import-dev-zero", "OSError", ["import", "/dev/zero"], {}, ("/dev/zero", "not a file")),
        Case("prodigy-dev-zero", "OSError", ["import", "--format", "prodigy", "/dev/zero"], {},
             ("/dev/zero", "not a file")),
        Case("import-unreadable-file", "OSError", ["import", "/proc/self/mem"], {}, ("/proc/self/mem", "error")),
        Case("scheme-is-a-folder", "OSError", ["import", "--scheme", ".", "page.txt"], {"page.txt": GOOD_PAGE},
             ("cannot read the scheme", "Is a directory")),
        Case("no-terminal", "no terminal", [], {}, ("terminal",), stdin=b""),
        Case("no-terminal-review", "no terminal", ["review"], {}, ("terminal",), stdin=b""),
    ]


CASES = jsonl_cases() + prodigy_cases() + scheme_cases() + os_error_cases()


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_hostile_input_is_one_line_and_changes_nothing(case: Case, annotated: Path, tmp_path: Path):
    work = tmp_path / "work"
    work.mkdir()
    for name, content in case.files.items():
        (work / name).write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    before = db_state(annotated)
    proc = subprocess.run(tandai_cmd("--db", str(annotated), *case.args), input=case.stdin or b"",
                          capture_output=True, timeout=120, cwd=work)
    err = proc.stderr.decode("utf-8")  # strict: an unencodable error message is a failure too
    assert proc.returncode == 1, (proc.returncode, err)
    lines = err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), err
    for word in case.words:
        assert word in lines[0], (word, lines[0])
    assert proc.stdout == b""
    assert db_state(annotated) == before
    assert sorted(p.name for p in work.iterdir()) == sorted(case.files)  # no output left behind either


def test_every_class_is_tried():
    tried = {case.cls for case in CASES}
    assert tried == set(CLASSES)
    assert len({case.id for case in CASES}) == len(CASES)


# -- encodings that are not refused ---------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-32", "utf-8-sig"])
def test_text_with_a_byte_order_mark_is_read_in_its_encoding(encoding: str, db_path: Path, tmp_path: Path):
    data = GOOD_PAGE.encode(encoding)
    if encoding == "utf-16-be":
        data = b"\xfe\xff" + data
    (tmp_path / "page.txt").write_bytes(data)
    (tmp_path / "page.jsonl").write_bytes(json.dumps({"text": "Kabar dari Stepanakert 😀."},
                                                     ensure_ascii=False).encode(encoding.replace("-be", "")))
    code, out, err = run_tandai("subprocess", ["--db", str(db_path), "import", "page.txt", "page.jsonl"], cwd=tmp_path)
    assert code == 0, err
    assert out.startswith("2 article(s) added")
    with Store(db_path) as store:
        texts = sorted(store.get_document(doc_id).text for doc_id in store.document_ids())
    assert texts == ["Kabar dari Stepanakert 😀.", GOOD_PAGE.strip()]


def test_prodigy_reads_the_encoding_it_is_given(db_path: Path, tmp_path: Path):
    task = prodigy_task(text=TEXT + " Café.")
    (tmp_path / "p.jsonl").write_bytes((json.dumps(task, ensure_ascii=False) + "\n").encode("latin-1"))
    code, _, err = run_tandai("subprocess", ["--db", str(db_path), "import", "--format", "prodigy", "p.jsonl"],
                              cwd=tmp_path)
    assert code == 1 and err.splitlines() == [err.strip()] and "--encoding" in err
    code, _, err = run_tandai("subprocess", ["--db", str(db_path), "import", "--format", "prodigy", "--encoding",
                                             "latin-1", "p.jsonl"], cwd=tmp_path)
    assert code == 0, err
    with Store(db_path) as store:
        assert [store.get_document(i).text for i in store.document_ids()] == [TEXT + " Café."]


def test_a_surrogate_pair_is_a_character_not_an_error(db_path: Path, tmp_path: Path):
    (tmp_path / "in.jsonl").write_text('{"text": "Senyum \\ud83d\\ude00", "title": "\\u00e9"}\n', "utf-8")
    code, _, err = run_tandai("subprocess", ["--db", str(db_path), "import", "in.jsonl"], cwd=tmp_path)
    assert code == 0, err
    with Store(db_path) as store:
        (doc_id,) = store.document_ids()
        assert store.get_document(doc_id).text == "Senyum 😀"


# -- an unreadable folder inside a directory import -------------------------------------------------


def _folder_with_a_subfolder(tmp_path: Path) -> tuple[Path, Path]:
    top = tmp_path / "pages"
    (top / "b-locked").mkdir(parents=True)
    (top / "a.txt").write_text(GOOD_PAGE, "utf-8")
    (top / "b-locked" / "c.txt").write_text(GOOD_PAGE.replace("Jumat", "Sabtu"), "utf-8")
    return top, top / "b-locked"


@pytest.mark.parametrize("fmt", ["txt", "prodigy"])
def test_unreadable_subfolder_is_named(fmt: str, annotated: Path, tmp_path: Path, monkeypatch):
    """Root reads every folder, so the refusal is simulated where the walk lists one (in-process CLI)."""
    top, locked = _folder_with_a_subfolder(tmp_path)
    if fmt == "prodigy":
        (locked / "c.jsonl").write_text(json.dumps(prodigy_task()) + "\n", "utf-8")
    real_scandir = os.scandir

    def scandir(path):
        if Path(path) == locked:
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    before = db_state(annotated)
    args = ["--db", str(annotated), "import", str(top)] + (["--format", "prodigy"] if fmt == "prodigy" else [])
    code, out, err = run_tandai("runner", args)
    assert code == 1
    assert err.splitlines() == [f"Error: {locked}: cannot read the directory: Permission denied"]
    assert db_state(annotated) == before


def test_subfolder_without_permission(annotated: Path, tmp_path: Path):
    top, locked = _folder_with_a_subfolder(tmp_path)
    locked.chmod(0)
    try:
        try:
            os.listdir(locked)
            pytest.skip("this user reads folders without permission (root)")
        except PermissionError:
            pass
        before = db_state(annotated)
        code, _, err = run_tandai("subprocess", ["--db", str(annotated), "import", str(top)])
        assert code == 1 and err.splitlines() == [f"Error: {locked}: cannot read the directory: Permission denied"]
        assert db_state(annotated) == before
    finally:
        locked.chmod(0o755)


def test_subfolder_beyond_the_path_limit(annotated: Path, tmp_path: Path):
    """A folder the system cannot open by name even for root: its path is longer than PATH_MAX."""
    top = tmp_path / "pages"
    top.mkdir()
    (top / "a.txt").write_text(GOOD_PAGE, "utf-8")
    fd = os.open(top, os.O_RDONLY)
    try:
        for _ in range(25):  # 25 x 201 bytes: past Linux's 4096
            os.mkdir("d" * 200, dir_fd=fd)
            deeper = os.open("d" * 200, os.O_RDONLY, dir_fd=fd)
            os.close(fd)
            fd = deeper
    finally:
        os.close(fd)
    before = db_state(annotated)
    code, _, err = run_tandai("subprocess", ["--db", str(annotated), "import", str(top)])
    assert code == 1
    (line,) = err.splitlines()
    assert line.startswith(f"Error: {top}/ddd") and line.endswith("cannot read the directory: File name too long")
    assert db_state(annotated) == before
    shutil.rmtree(top)


# -- Ctrl-C and terminals ------------------------------------------------------------------------


def test_ctrl_c_exits_130_quietly_and_stores_nothing(annotated: Path):
    before = db_state(annotated)
    proc = subprocess.Popen(tandai_cmd("--db", str(annotated), "import", "-"), stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        proc.stdin.write(b'{"text": "Separuh masukan sudah dibaca."}\n')
        proc.stdin.flush()
        time.sleep(2)  # the import is waiting for the rest of standard input
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=30)
    finally:
        proc.kill()
    assert proc.returncode == 130
    assert (out, err) == (b"", b"")
    assert db_state(annotated) == before


def test_annotator_refuses_a_pipe_even_from_a_terminal(tmp_path: Path):
    """``tandai | cat`` typed in a terminal: standard input is one, standard output is not."""
    controller, terminal = os.openpty()
    try:
        proc = subprocess.run(tandai_cmd("--db", str(tmp_path / "x.db")), stdin=terminal, capture_output=True,
                              timeout=60)
    finally:
        os.close(controller)
        os.close(terminal)
    assert proc.returncode == 1 and proc.stdout == b""
    assert proc.stderr.decode().splitlines() == ["Error: the annotator draws on a terminal and standard input or"
                                                 " output is not one; in scripts use a command (tandai --help)"]
    assert not list(tmp_path.iterdir())


def test_a_reader_that_goes_away_ends_the_command_quietly(annotated: Path):
    """``tandai agreement --json | head -0``: the pipe closes before the first write; no traceback, no message."""
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        proc = subprocess.run(tandai_cmd("--db", str(annotated), "agreement", "--json", "--status", "any"),
                              stdout=write_end, stderr=subprocess.PIPE, timeout=60)
    finally:
        os.close(write_end)
    assert proc.returncode == 141  # as if SIGPIPE had ended it, the way cat and grep end
    assert proc.stderr == b""


@pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="large imports use worker processes only with two cores")
def test_ctrl_c_during_a_large_import_is_quiet_in_every_process(tmp_path: Path):
    """Ctrl-C reaches the whole process group, worker processes too: one exit 130, no traceback, no database."""
    from annotations.corpus import _PARALLEL_FROM

    pages = tmp_path / "pages"
    pages.mkdir()
    for i in range(3 * _PARALLEL_FROM):
        (pages / f"{i:05d}.txt").write_text(f"Berita nomor {i} tentang perundingan di Moskow.\n" * 20, "utf-8")
    db = tmp_path / "new.db"
    proc = subprocess.Popen(tandai_cmd("--db", str(db), "import", str(pages)), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, start_new_session=True)  # its own group, as a terminal's job
    try:
        children = Path(f"/proc/{proc.pid}/task/{proc.pid}/children")
        deadline = time.monotonic() + 60
        while not children.read_text().split() and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.01)
        assert proc.poll() is None, "the import ended before its workers were seen"
        os.killpg(proc.pid, signal.SIGINT)
        out, err = proc.communicate(timeout=60)
    finally:
        proc.kill()
    assert proc.returncode == 130
    assert (out, err) == (b"", b"")
    assert not list(tmp_path.glob("new.db*"))


def _running(pid: int) -> bool:
    """Whether the process is there and not a zombie waiting for its reaper."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except (FileNotFoundError, ProcessLookupError):
        return False


def test_kill_9_of_a_large_import_takes_its_workers_with_it(tmp_path: Path):
    """Workers left behind would hold a core each for nothing; they get SIGKILL when the import dies."""
    from annotations.corpus import _PARALLEL_FROM

    pages = tmp_path / "pages"
    pages.mkdir()
    for i in range(3 * _PARALLEL_FROM):
        (pages / f"{i:05d}.txt").write_text(f"Berita nomor {i} tentang perundingan di Moskow.\n" * 20, "utf-8")
    proc = subprocess.Popen(tandai_cmd("--db", str(tmp_path / "new.db"), "import", str(pages)),
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        children = Path(f"/proc/{proc.pid}/task/{proc.pid}/children")
        deadline = time.monotonic() + 60
        while not children.read_text().split() and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.01)
        workers = [int(pid) for pid in children.read_text().split()]
        assert workers and proc.poll() is None, "the import ended before its workers were seen"
        proc.kill()
        proc.wait(timeout=10)
    finally:
        proc.kill()
    deadline = time.monotonic() + 10
    while (alive := [pid for pid in workers if _running(pid)]) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not alive, f"workers {alive} outlived the import"


@pytest.mark.parametrize("fmt", ["txt", "brat"])
def test_a_file_name_that_is_not_utf8_is_imported_and_named_with_escapes(fmt: str, db_path: Path, tmp_path: Path):
    """Linux file names are bytes; one that is not UTF-8 reaches Python with lone surrogates in it."""
    folder = os.fsencode(tmp_path / "pages")
    os.mkdir(folder)
    if fmt == "txt":
        Path(os.fsdecode(folder + b"/caf\xe9.txt")).write_text(GOOD_PAGE, "utf-8")
    else:
        Path(os.fsdecode(folder + b"/caf\xe9.txt")).write_text("Yerevan hari ini.\n", "utf-8")
        Path(os.fsdecode(folder + b"/caf\xe9.ann")).write_text("T1\tGPE 0 7\tYerevan\n", "utf-8")
    args = ["--db", str(db_path), "import", "pages"] + (["--format", "brat", "--as", "ana"] if fmt == "brat" else [])
    code, out, err = run_tandai("subprocess", args, cwd=tmp_path)
    assert code == 0, err
    with contextlib.closing(sqlite3.connect(str(db_path))) as conn:
        (meta,) = [json.loads(row[0]) for row in conn.execute("SELECT meta FROM documents")]
    assert meta["path"] == ("pages/caf\\xe9.txt" if fmt == "txt" else "pages/caf\\xe9.ann")
