"""Who may write gold, and who typed what: the reviewers list and the journal's OS account.

Through the installed ``tandai`` (``reviewers``, ``import --as gold``, ``merge``),
the review screen (Pilot) and the ``sqlite3`` command-line shell an auditor
would use on the journal.
"""
from __future__ import annotations

import getpass
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from annotations.store import Store
from conftest import copy_database, tandai_cmd
from review_fixtures import REVIEWER, review_db  # noqa: F401  (fixture)
from tui_fixtures import isolated_config, make_app, press, quick_pilot, settle, status_line, tui_db, tui_template  # noqa: F401
from tui_fixtures import listed as rows_in



@pytest.fixture
def prodigy_file(seeded_path: Path, tmp_path: Path) -> Path:
    """One Prodigy task: seed 000 with "Armenia" as GPE."""
    with Store(seeded_path) as store:
        text = store.get_document(store.document_ids()[0]).text
    start = text.index("Armenia")
    path = tmp_path / "task.jsonl"
    path.write_text(json.dumps({"text": text, "answer": "accept",
                                "spans": [{"start": start, "end": start + 7, "label": "GPE"}]}) + "\n")
    return path


def tandai(db: Path, *args: str, annotator: str = "rita", stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(tandai_cmd("--db", str(db), "--annotator", annotator, *args), input=stdin,
                          capture_output=True, text=True, timeout=120)


def sqlite3_cli(db: Path, sql: str) -> list[list[str]]:
    out = subprocess.run(["sqlite3", "-separator", "|", str(db), sql], capture_output=True, text=True, timeout=30,
                         check=True).stdout
    return [line.split("|") for line in out.splitlines()]


def refused(result: subprocess.CompletedProcess) -> str:
    assert result.returncode == 1, result
    assert result.stdout == ""
    (line,) = result.stderr.splitlines()
    assert "Traceback" not in line
    return line


def test_reviewers_add_list_remove_through_the_command(seeded_path: Path):
    assert tandai(seeded_path, "reviewers", "list").stdout == ""
    assert tandai(seeded_path, "reviewers", "add", "rita").stdout == "rita is a reviewer\n"
    assert tandai(seeded_path, "reviewers", "add", "sam").stdout == "sam is a reviewer\n"
    assert tandai(seeded_path, "reviewers", "add", "sam").stdout == "sam is a reviewer already\n"
    assert tandai(seeded_path, "reviewers", "list").stdout == "rita\nsam\n"
    # once listed, only a reviewer may change the list
    assert refused(tandai(seeded_path, "reviewers", "add", "mallory", annotator="mallory")) == (
        "Error: mallory is not on the reviewers list (rita, sam): only a reviewer may change it")
    assert refused(tandai(seeded_path, "reviewers", "remove", "nobody")) == (
        "Error: nobody is not on the reviewers list")
    assert tandai(seeded_path, "reviewers", "remove", "sam", annotator="sam").stdout == "sam is no longer a reviewer\n"
    assert sqlite3_cli(seeded_path, "SELECT name, added_by FROM reviewers") == [["rita", "rita"]]


def test_import_as_gold_needs_a_listed_reviewer(seeded_path: Path, prodigy_file: Path):
    tandai(seeded_path, "reviewers", "add", "rita")
    before = sqlite3_cli(seeded_path, "SELECT count(*) FROM spans")
    line = refused(tandai(seeded_path, "import", str(prodigy_file), "--format", "prodigy", "--as", "gold",
                          annotator="bob"))
    assert line == "Error: bob is not on the reviewers list (rita): only a reviewer may change the gold layer"
    assert sqlite3_cli(seeded_path, "SELECT count(*) FROM spans") == before
    ok = tandai(seeded_path, "import", str(prodigy_file), "--format", "prodigy", "--as", "gold", annotator="rita")
    assert ok.returncode == 0, ok.stderr
    assert int(sqlite3_cli(seeded_path, "SELECT count(*) FROM spans WHERE annotator = 'gold'")[0][0]) > 0


def test_merge_of_a_gold_layer_needs_a_listed_reviewer(seeded_path: Path, tmp_path: Path, prodigy_file: Path):
    theirs = tmp_path / "theirs.db"
    copy_database(seeded_path, theirs)
    assert tandai(theirs, "import", str(prodigy_file), "--format", "prodigy", "--as", "gold").returncode == 0
    tandai(seeded_path, "reviewers", "add", "rita")
    line = refused(tandai(seeded_path, "merge", str(theirs), annotator="bob"))
    assert line == (f"Error: {theirs} has a gold layer and bob is not on the reviewers list (rita):"
                    " only a reviewer may change the gold layer; nothing was merged")
    assert sqlite3_cli(seeded_path, "SELECT count(*) FROM spans") == [["0"]]
    assert tandai(seeded_path, "merge", str(theirs), annotator="rita").returncode == 0
    assert sqlite3_cli(seeded_path, "SELECT count(*) > 0 FROM spans WHERE annotator = 'gold'") == [["1"]]


@pytest.fixture
def anyio_backend():
    return "asyncio"


@pytest.mark.anyio
@pytest.mark.parametrize("listed", [False, True])
async def test_review_screen_refuses_gold_to_someone_off_the_list(review_db: Path, listed: bool):  # noqa: F811
    """rita opens the article and takes alice's version with 1: refused in one status line while only sam
    is listed, written once rita is listed too."""
    with Store(review_db) as store:
        store.add_reviewer("sam", by="sam")
        if listed:
            store.add_reviewer(REVIEWER, by="sam")
    app = make_app(review_db, REVIEWER, review=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await rows_in(app)
        await press(pilot, "enter", "1")
        gold = sqlite3_cli(review_db, "SELECT count(*) FROM spans WHERE annotator = 'gold'")
        if listed:
            assert gold != [["0"]]
            assert status_line(app) == "took alice's version into gold"
        else:
            assert gold == [["0"]]
            assert status_line(app) == ("✗ rita is not on the reviewers list (sam):"
                                        " only a reviewer may change the gold layer")


def test_journal_records_the_os_account_beside_the_annotator_name(seeded_path: Path, prodigy_file: Path):
    """bob's name is typed; the journal also says which login and uid typed it."""
    result = tandai(seeded_path, "import", str(prodigy_file), "--format", "prodigy", "--as", "bob", annotator="bob")
    assert result.returncode == 0, result.stderr
    rows = sqlite3_cli(seeded_path, "SELECT DISTINCT annotator, by, account, uid FROM journal"
                                    " WHERE action = 'import_prodigy'")
    assert rows == [["bob", "bob", getpass.getuser(), str(os.getuid())]]


def test_journal_account_is_the_process_user_not_the_annotator(seeded_path: Path, tmp_path: Path):
    """A process that claims to be someone else in its environment still shows its real uid."""
    env = {**os.environ, "USER": "carol", "LOGNAME": "carol", "LNAME": "carol", "USERNAME": "carol"}
    code = ("import sys; from annotations.store import Store\n"
            "with Store(sys.argv[1]) as s:\n"
            "    d = s.document_ids()[0]; t = s.get_document(d).tokens[0]\n"
            "    s.add_span(d, 'bob', 'entity', 'GPE', *t)\n")
    subprocess.run([shutil.which("python") or "python", "-c", code, str(seeded_path)], env=env, check=True, timeout=60)
    (row,) = sqlite3_cli(seeded_path, "SELECT annotator, account, uid, json_extract(after, '$.label') FROM journal"
                                      " WHERE tbl = 'spans'")
    assert row == ["bob", "carol", str(os.getuid()), "GPE"]
