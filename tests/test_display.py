"""Strings from data made safe for a terminal (annotations.display) and names checked where they enter
(annotations.identifiers): properties over any text, then each way a name comes in, refused with one line."""
from __future__ import annotations

import json
import subprocess
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from annotations.display import quoted, safe_text
from annotations.errors import TandaiError
from annotations.identifiers import check_identifier
from conftest import table_dump, tandai_cmd
from hostile_fixture import HOSTILE, HOSTILE_WORD, OSC52, leaks, prodigy_task

# Every code point the brief names: C0, DEL, C1 (U+009B among them), bidi marks, overrides and
# isolates, zero-width characters.
NAMED = [*map(chr, range(0x20)), "\x7f", *map(chr, range(0x80, 0xA0)), *map(chr, range(0x202A, 0x202F)),
         *map(chr, range(0x2066, 0x206A)), "\u200e", "\u200f", "\u061c", "\u200b", "\u200c", "\u200d",
         "\u2060", "\ufeff"]
UNSAFE = st.sampled_from(NAMED)
ANY_TEXT = st.lists(st.one_of(UNSAFE, st.text(max_size=4), st.sampled_from([OSC52, HOSTILE, "\n"])),
                    max_size=30).map("".join)


def _hidden(ch: str) -> bool:
    return ch in NAMED or unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp", "Co", "Cs", "Cn")


@given(ANY_TEXT)
def test_safe_text_never_contains_a_control_or_invisible_character(text):
    shown = safe_text(text)
    assert not [ch for ch in shown if _hidden(ch)]
    assert len(shown) == len(text)  # one stand-in per character: nothing dropped, nothing merged
    assert safe_text(shown) == shown  # safe twice is the same


@given(ANY_TEXT)
def test_newlines_kept_only_when_asked(text):
    lines = safe_text(text, newlines=True)
    assert lines.split("\n") == [safe_text(line) for line in text.split("\n")]
    assert "\n" not in safe_text(text)


@given(st.text(st.characters(exclude_categories=("Cc", "Cf", "Zl", "Zp", "Co", "Cs", "Cn"))))
def test_ordinary_text_is_unchanged(text):
    assert safe_text(text) == text


@pytest.mark.parametrize("text", [
    "Menlu Armenia Zohrab Mnatsakanyan, Senin (26/10/2020).", "Nagorno-Karabakh «Artsakh» — 5 km²",
    "😀 🇦🇲 e\u0301 ñ ü", "[bold red]x[/] [link=http://x]y[/link]", "日本語 한국어 العربية", "\u00a0nbsp",
])
def test_news_text_emoji_and_markup_shown_as_they_are(text):
    assert safe_text(text) == text


def test_escape_sequences_become_visible_stand_ins():
    assert safe_text(OSC52) == "␛]52;c;" + OSC52[7:-1] + "␇"
    assert safe_text("a\x9b31mb") == "a�31mb"
    assert safe_text("\u202eexe.txt\u200b") == "·exe.txt·"
    assert quoted("x\x1b[2Jy" * 20, limit=8) == "'x␛[2Jyx…'"


BAD_NAMES = ["", "  ", ".", "..", "a/b", "a\\b", "ali\x1bce", "bob\x9b", "eve\u202e", "zw\u200b", "tab\tbed", "x\n"]


@pytest.mark.parametrize("name", BAD_NAMES)
def test_bad_names_are_refused_with_one_safe_line(name):
    with pytest.raises(TandaiError) as info:
        check_identifier(name, "annotator name")
    message = str(info.value)
    assert message.startswith("annotator name") and safe_text(message) == message


@pytest.mark.parametrize("name", ["alice", "ARM_GOV", "Siti Nurhaliza", "ÖZTÜRK", "gold", "a.b", "x-1"])
def test_ordinary_names_pass(name):
    assert check_identifier(name, "annotator name") == name


# -- where names enter: each refused with one line, a non-zero exit and nothing stored ----------------


def _run(db, *args, env=None):
    result = subprocess.run(tandai_cmd("--db", str(db), *args), capture_output=True, timeout=120, env=env)
    out, err = result.stdout.decode("utf-8"), result.stderr.decode("utf-8")
    assert leaks(result.stdout + result.stderr) == [], (out, err)
    return result.returncode, out, err


def _one_line_refusal(code, err, *words):
    assert code == 1
    assert err.startswith("Error: ") and err.count("\n") == 1, err
    for word in words:
        assert word in err


def test_annotator_name_from_option_and_environment_refused(tmp_path):
    articles = tmp_path / "a.jsonl"
    articles.write_text(json.dumps({"text": "Armenia dan Azerbaijan."}) + "\n", encoding="utf-8")
    db = tmp_path / "t.db"
    for name in (f"ali{OSC52}ce", "..", "a/b"):
        _one_line_refusal(*_run(db, "--annotator", name, "import", str(articles))[::2], "--annotator")
        env = {**_clean_env(), "TANDAI_ANNOTATOR": name}
        _one_line_refusal(*_run(db, "import", str(articles), env=env)[::2], "TANDAI_ANNOTATOR")
    assert not db.exists()


def _clean_env():
    import os

    return {k: v for k, v in os.environ.items() if k not in ("TANDAI_DB", "TANDAI_ANNOTATOR")}


def test_import_as_a_bad_name_refused(tmp_path):
    tasks = tmp_path / "t.jsonl"
    tasks.write_text(json.dumps(prodigy_task()) + "\n", encoding="utf-8")
    db = tmp_path / "t.db"
    _one_line_refusal(*_run(db, "import", "--format", "prodigy", "--as", f"bob{OSC52}", str(tasks))[::2],
                      "annotator name")
    _one_line_refusal(*_run(db, "import", "--format", "prodigy", "--as", "..", str(tasks))[::2], "annotator name")
    assert not db.exists()


def test_prodigy_actor_id_with_escape_codes_refused(tmp_path):
    tasks = tmp_path / "t.jsonl"
    tasks.write_text(json.dumps(prodigy_task(actor_id=f"ARM{OSC52}")) + "\n", encoding="utf-8")
    db = tmp_path / "t.db"
    _one_line_refusal(*_run(db, "--annotator", "alice", "import", "--format", "prodigy", str(tasks))[::2],
                      "t.jsonl:1", "actor_id")
    assert not db.exists()


def test_brat_actor_id_with_escape_codes_refused(tmp_path):
    from hostile_fixture import brat_files

    folder = brat_files(tmp_path / "brat", actor_id=HOSTILE_WORD)
    db = tmp_path / "t.db"
    _one_line_refusal(*_run(db, "--annotator", "alice", "import", "--format", "brat", str(folder))[::2],
                      "doc.ann:6", "actor id")
    assert not db.exists()


def test_scheme_label_with_escape_codes_refused(tmp_path):
    scheme = tmp_path / "s.toml"
    scheme.write_text('[layers.entity]\nlabels = ["PER", "X\\u001b[2J"]\nroles = []\n', encoding="utf-8")
    articles = tmp_path / "a.jsonl"
    articles.write_text(json.dumps({"text": "Armenia dan Azerbaijan."}) + "\n", encoding="utf-8")
    db = tmp_path / "t.db"
    _one_line_refusal(*_run(db, "import", "--scheme", str(scheme), str(articles))[::2], "s.toml", "label")
    scheme.write_text('[layers.entity]\nlabels = ["PER"]\n[layers.event]\nlabels = ["ATTACK"]\n'
                      'roles = ["AGENT", "../x"]\n', encoding="utf-8")
    _one_line_refusal(*_run(db, "import", "--scheme", str(scheme), str(articles))[::2], "s.toml", "role")
    assert not db.exists()


def test_store_refuses_bad_names(store, seed_ids):
    from annotations.records import Actor

    doc = seed_ids["000"]
    start, end = store.get_document(doc).tokens[0]
    for what, call in (("annotator name", lambda: store.ensure_annotator("a/b")),
                       ("annotator name", lambda: store.add_span(doc, "eve\u202e", "entity", "GPE", start, end)),
                       ("actor id", lambda: store.add_span(doc, "alice", "entity", "GPE", start, end,
                                                          actor_id="X\x1b[2J")),
                       ("actor id", lambda: store.add_actors([Actor("..", "dots")])),
                       ("actor id", lambda: store.add_actor(Actor("A\u200bB", "zw"), "alice")),
                       ("reviewer name", lambda: store.add_reviewer("rev\x9b", by="alice"))):
        with pytest.raises(TandaiError, match=what):
            call()
    span = store.add_span(doc, "alice", "entity", "GPE", start, end)
    with pytest.raises(TandaiError, match="actor id"):
        store.update_span(span.id, "alice", actor_id="\x9bX")
    assert set(store.annotators()) <= {"alice", "gold"} and store.get_span(span.id).actor_id is None
    assert store.reviewers() == [] and not [a for a in store.actors() if a.id in ("..", "A\u200bB")]


def test_merge_refuses_a_database_with_bad_names(tmp_path, seeded_path):
    from hostile_fixture import merge_source_db, rename_annotator

    other = merge_source_db(tmp_path / "other.db")
    rename_annotator(other, "carol", f"carol{OSC52}")
    before = table_dump(seeded_path, "documents")
    _one_line_refusal(*_run(seeded_path, "--annotator", "alice", "merge", str(other))[::2], "other.db",
                      "annotator name", "nothing was merged")
    assert table_dump(seeded_path, "documents") == before
    assert not [row for row in table_dump(seeded_path, "annotators") if row[0].startswith("carol")]


def test_click_errors_quoting_the_command_line_are_safe(tmp_path):
    folder = tmp_path / f"d{OSC52}"
    folder.mkdir()
    db = tmp_path / "t.db"
    for args in ([f"x{OSC52}"], [f"--x{OSC52}"], ["export", f"{OSC52}", "-o", "x"],
                 ["export", "prodigy", "-o", "x", f"--y{HOSTILE_WORD}"], ["import", "--scheme", str(folder), "x"]):
        code, _, err = _run(db, *args)
        assert code in (1, 2) and err.rstrip("\n").splitlines()[-1].startswith("Error: "), err
    assert not db.exists()

