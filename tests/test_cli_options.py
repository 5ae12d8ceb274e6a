"""Command-line options where users put them: ``--db`` and ``--annotator`` after the command, ``export --from``
(and its old spelling), and shell completion as the README shows it. All through the installed ``tandai``."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import run_tandai, table_dump, tandai_cmd

TASK = {"text": "Pasukan Armenia menyerang kota Ganja pada hari Senin.",
        "spans": [{"start": 8, "end": 15, "label": "GPE"}, {"start": 31, "end": 36, "label": "GPE"}]}


@pytest.fixture
def with_spans(tmp_path: Path) -> Path:
    """A database where bob has imported one annotated article (his name given after the command)."""
    (tmp_path / "task.jsonl").write_text(json.dumps(TASK) + "\n", "utf-8")
    db = tmp_path / "t.db"
    code, out, err = run_tandai("subprocess", ["import", "--format", "prodigy", "task.jsonl", "--db", str(db),
                                               "--annotator", "bob"], cwd=tmp_path)
    assert code == 0, err
    return db


def test_db_and_annotator_after_the_command(with_spans: Path, tmp_path: Path):
    assert not (tmp_path / "tandai.db").exists()
    assert [(row[2], row[4]) for row in table_dump(with_spans, "spans")] == [("bob", "GPE"), ("bob", "GPE")]
    assert [row[1] for row in table_dump(with_spans, "progress")] == ["bob"]


def test_annotator_after_the_command_is_checked_like_before_it(tmp_path: Path):
    (tmp_path / "page.txt").write_text("Berita dari Yerevan hari ini.\n", "utf-8")
    for args in (["--annotator", "../x", "import", "page.txt"], ["import", "page.txt", "--annotator", "../x"]):
        code, _, err = run_tandai("subprocess", ["--db", str(tmp_path / "t.db"), *args], cwd=tmp_path)
        assert code == 1 and len(err.splitlines()) == 1 and "path separator" in err, err
    assert not (tmp_path / "t.db").exists()


def _exported(tmp_path: Path, *args: str) -> list[dict]:
    out = tmp_path / "out.jsonl"
    code, _, err = run_tandai("subprocess", [*args, "-o", str(out)], cwd=tmp_path)
    assert code == 0, err
    records = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
    out.unlink()
    return records


def test_export_from_names_whose_annotations(with_spans: Path, tmp_path: Path):
    db = str(with_spans)
    spans = [(s["start"], s["end"], s["label"]) for s in TASK["spans"]]
    for args in (["export", "prodigy", "--from", "bob", "--db", db],
                 ["--db", db, "export", "prodigy", "--annotator", "bob"],  # the old spelling still works
                 ["--db", db, "--annotator", "bob", "export", "prodigy"]):
        (record,) = _exported(tmp_path, *args)
        assert [(s["start"], s["end"], s["label"]) for s in record["spans"]] == spans, args
    code, _, err = run_tandai("subprocess", ["--db", db, "export", "prodigy", "-o", "-", "--from", "bob",
                                             "--annotator", "ann"])
    assert code == 1 and err.splitlines() == ["Error: give --from NAME once (--annotator after the command is its"
                                              " old name)"]
    code, help_text, _ = run_tandai("subprocess", ["export", "--help"])
    assert "--from NAME|gold" in help_text and "--annotator" not in help_text and "--db PATH" in help_text


def test_other_commands_take_db_after_them(with_spans: Path, tmp_path: Path):
    code, out, err = run_tandai("subprocess", ["agreement", "--json", "--status", "any", "--db", str(with_spans)],
                                cwd=tmp_path)
    assert code == 0, err
    assert isinstance(json.loads(out), dict)
    for args in (["tag"], ["reviewers", "list"]):
        code, _, err = run_tandai("subprocess", [*args, "--db", str(tmp_path / "absent.db")], cwd=tmp_path)
        assert code == 1 and "absent.db" in err and len(err.splitlines()) == 1, (args, err)


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
@pytest.mark.parametrize("words, expected", [
    ("tandai exp", ["export"]),
    ("tandai export spacy --fr", ["--from"]),
    ("tandai import --d", ["--db"]),
])
def test_bash_completion_as_the_readme_says(words: str, expected: list[str], tmp_path: Path):
    tandai = tandai_cmd()[0]
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text("utf-8")
    assert 'eval "$(_TANDAI_COMPLETE=bash_source tandai)"' in readme
    script = (f'eval "$(_TANDAI_COMPLETE=bash_source {tandai})"\n'
              f"COMP_WORDS=({words}); COMP_CWORD={len(words.split()) - 1}\n"
              f"_tandai_completion {tandai}\n"
              'printf "%s\\n" "${COMPREPLY[@]}"\n')
    proc = subprocess.run(["bash", "--norc", "-c", script], capture_output=True, text=True, timeout=60, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == expected


def test_output_paths_complete_as_files():
    for words in ("tandai export spacy -o ", "tandai import ", "tandai import --scheme "):
        proc = subprocess.run(tandai_cmd(), capture_output=True, text=True, timeout=60,
                              env={**os.environ, "_TANDAI_COMPLETE": "bash_complete",
                                   "COMP_WORDS": words, "COMP_CWORD": str(len(words.split()))})
        assert proc.stdout.splitlines() == ["file,"], (words, proc.stdout)


def test_every_command_kept_in_a_module_of_its_own_is_listed_by_name():
    """``tandai --help`` lists the lazily added commands by LAZY_COMMANDS' names: each module's commands are
    all there, under their own names, and no name points at a module without that command."""
    from importlib import import_module

    from tui.cli import LAZY_COMMANDS

    for module in set(LAZY_COMMANDS.values()):
        names = {command.name for command in import_module(f"tui.{module}").COMMANDS}
        assert names == {name for name, of in LAZY_COMMANDS.items() if of == module}, module
