"""A scheme carries its own trigger lexicon: `tandai import --scheme` stores it with the scheme, and
`tandai tag` (the app's tagging child runs the same command) suggests that lexicon's events, never the
bundled one's; a scheme that names none suggests no events. Bad lexicons: tests/test_faults_input.py."""
from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from annotations.store import Store
from conftest import run_tandai
from tui_fixtures import anyio_backend, isolated_config  # noqa: F401  (fixtures)
from tui_fixtures import make_app, query

# Invented sentences: a protest and a strike (the custom scheme's events), an attack (the default's),
# and a protest the context drops ("tidak berdemo").
ARTICLE = ("Ribuan buruh berdemo di depan gedung DPR pada hari Senin. Para pekerja pabrik itu mogok sejak pagi."
           " Sementara itu pasukan menyerang pos polisi di perbatasan. Besoknya mereka tidak berdemo lagi.")

LEXICON = """\
[[trigger]]
label = "PROTEST"
roots = ["demo", "unjuk rasa"]
forms = ["", "ber-"]

[[trigger]]
label = "STRIKE"
roots = ["mogok"]
forms = ["", "-an"]

[[context]]
after = ["tidak"]
becomes = ""
"""

ENTITIES = '[layers.entity]\nlabels = ["PER", "ORG", "GPE", "LOC", "DATE", "QUANTITY"]\n'
# ATTACK is a label here too, so the bundled lexicon's "menyerang" would show if it were used
LABOUR = ENTITIES + '[layers.event]\nlabels = ["PROTEST", "STRIKE", "ATTACK"]\nroles = ["AGENT", "PLACE"]\n'


def _events(db: Path) -> list[tuple[str, str]]:
    """(text, label) of the event suggestions stored, read as any SQLite reader would."""
    with closing(sqlite3.connect(db)) as conn:
        rows = conn.execute("SELECT d.text, s.start, s.end, s.label FROM suggestions s JOIN documents d"
                            " ON d.id = s.doc_id WHERE s.layer = 'event' ORDER BY s.start").fetchall()
    return [(text[start:end], label) for text, start, end, label in rows]


def _import_and_tag(tmp_path: Path, db: Path, *scheme_args: str) -> None:
    (tmp_path / "news.jsonl").write_text(json.dumps({"text": ARTICLE, "title": "Demo buruh"}) + "\n", "utf-8")
    code, _, err = run_tandai("subprocess", ["--db", str(db), "import", *scheme_args, str(tmp_path / "news.jsonl")])
    assert code == 0, err
    code, out, err = run_tandai("subprocess", ["--db", str(db), "tag"])
    assert code == 0, err
    assert "1 article(s) tagged" in out


def test_a_schemes_own_lexicon_is_what_tag_suggests(tmp_path: Path):
    (tmp_path / "labour.toml").write_text(LABOUR + 'triggers = "labour-triggers.toml"\n', "utf-8")
    (tmp_path / "labour-triggers.toml").write_text(LEXICON, "utf-8")
    db = tmp_path / "labour.db"
    code, _, err = run_tandai("subprocess", ["--db", str(db), "import", "--scheme", str(tmp_path / "labour.toml"),
                                             "--format", "jsonl", "-"],
                              stdin=(json.dumps({"text": ARTICLE}) + "\n").encode())
    assert code == 0, err
    (tmp_path / "labour-triggers.toml").unlink()  # the database carries the lexicon: the file is not needed
    code, _, err = run_tandai("subprocess", ["--db", str(db), "tag"])
    assert code == 0, err
    assert _events(db) == [("berdemo", "PROTEST"), ("mogok", "STRIKE")]  # no ATTACK; "tidak berdemo" dropped
    with Store(db) as store:
        assert store.scheme.triggers == LEXICON


def test_the_default_scheme_keeps_the_bundled_lexicon(tmp_path: Path):
    db = tmp_path / "default.db"
    _import_and_tag(tmp_path, db)
    assert _events(db) == [("menyerang", "ATTACK")]  # and no PROTEST or STRIKE


def test_a_database_on_the_bundled_lexicon_follows_tandais_current_one(tmp_path: Path, monkeypatch, request):
    """The bundled lexicon is not copied into the database (a later tandai's better lexicon reaches it), while
    a scheme's own lexicon is: the database keeps it when its file is gone."""
    from annotations import trigger_lexicon
    from annotations.corpus import Article, import_articles
    from annotations.pretag import tag_documents
    from annotations.scheme import load_scheme

    db = tmp_path / "default.db"
    with Store(db) as store:
        import_articles(store, [Article(text=ARTICLE, title="Demo buruh")])
        store.set_scheme(load_scheme())  # the default scheme chosen again, explicitly: still not copied
    assert query(db, "SELECT count(*) FROM meta WHERE key = 'scheme_triggers'") == [(0,)]
    newer = trigger_lexicon.bundled_text() + '\n[[trigger]]\nlabel = "APPEAL"\nroots = ["mogok"]\n'
    monkeypatch.setattr(trigger_lexicon, "bundled_text", lambda: newer)  # as a later tandai would ship it
    trigger_lexicon.default_lexicon.cache_clear()  # parsed from the newer text here, from the real one after
    request.addfinalizer(trigger_lexicon.default_lexicon.cache_clear)
    with Store(db) as store:
        tag_documents(store)
    assert ("mogok", "APPEAL") in _events(db)


def test_a_scheme_without_a_lexicon_suggests_no_events(tmp_path: Path):
    (tmp_path / "plain.toml").write_text(LABOUR, "utf-8")
    db = tmp_path / "plain.db"
    _import_and_tag(tmp_path, db, "--scheme", str(tmp_path / "plain.toml"))
    assert _events(db) == []
    with closing(sqlite3.connect(db)) as conn:  # entities are suggested as before
        assert conn.execute("SELECT count(*) FROM suggestions WHERE layer = 'entity'").fetchone()[0] > 0


@pytest.mark.anyio
async def test_the_apps_tagging_child_suggests_the_databases_triggers(tmp_path: Path):
    from annotations.corpus import Article, import_articles
    from annotations.scheme import load_scheme

    (tmp_path / "labour.toml").write_text(LABOUR + 'triggers = "t.toml"\n', "utf-8")
    (tmp_path / "t.toml").write_text(LEXICON, "utf-8")
    db = tmp_path / "app.db"
    with Store(db) as store:
        store.set_scheme(load_scheme(tmp_path / "labour.toml"))
        import_articles(store, [Article(text=ARTICLE, title="Demo buruh")])
    app = make_app(db, tag_on_start=True)  # runs `tandai tag --child-of` once its first frame is drawn
    async with app.run_test(size=(80, 24)) as pilot:
        for _ in range(600):
            if query(db, "SELECT count(*) FROM documents WHERE tagged IS NULL") == [(0,)]:
                break
            await pilot.pause(0.05)
    assert _events(db) == [("berdemo", "PROTEST"), ("mogok", "STRIKE")]


def test_two_databases_tagged_in_one_process_each_get_their_schemes_triggers(tmp_path: Path):
    from annotations.corpus import Article, import_articles
    from annotations.pretag import tag_documents
    from annotations.scheme import parse_scheme, with_lexicon

    labour = with_lexicon(parse_scheme(LABOUR + 'triggers = "t.toml"\n', "labour.toml"), LEXICON)
    found = {}
    for name, scheme in (("labour", labour), ("default", None), ("labour-again", labour)):
        with Store(tmp_path / f"{name}.db") as store:
            if scheme is not None:
                store.set_scheme(scheme)
            import_articles(store, [Article(text=ARTICLE, title=name)])
            tag_documents(store)
        found[name] = _events(tmp_path / f"{name}.db")
    assert found == {"labour": [("berdemo", "PROTEST"), ("mogok", "STRIKE")], "default": [("menyerang", "ATTACK")],
                     "labour-again": [("berdemo", "PROTEST"), ("mogok", "STRIKE")]}


def test_a_database_from_before_schemes_carried_a_lexicon_tags_with_the_bundled_one(tmp_path: Path):
    from annotations.corpus import Article, import_articles
    from annotations.pretag import tag_documents

    db = tmp_path / "old.db"
    with Store(db) as store:
        import_articles(store, [Article(text=ARTICLE, title="lama")])
        with store.transaction():  # meta as tandai wrote it before
            store.conn.execute("DELETE FROM meta WHERE key = 'scheme_triggers'")
        tag_documents(store)
    assert _events(db) == [("menyerang", "ATTACK")]


@pytest.mark.parametrize("lexicon, words", [
    ('[[trigger]]\nlabel = "RIOT"\nroots = ["rusuh"]\n',
     ("labour.toml: t.toml: trigger 1 (rusuh): label 'RIOT' is not a label of the scheme's event layer",)),
    ('[[trigger]]\nlabel = "STRIKE"\nroots = ["mogok"]\nforms = ["meN-kan"]\n', ("trigger 1 (mogok)", "'meN-kan'")),
    ('[[trigger]]\nlabel = "STRIKE"\nroots = "mogok"\n', ("t.toml: trigger 1", "roots must be a list")),
])
def test_a_bad_lexicon_is_refused_when_the_scheme_is_loaded(lexicon: str, words: tuple[str, ...], tmp_path: Path):
    from annotations.errors import TandaiError
    from annotations.scheme import load_scheme

    (tmp_path / "labour.toml").write_text(LABOUR + 'triggers = "t.toml"\n', "utf-8")
    (tmp_path / "t.toml").write_text(lexicon, "utf-8")
    with pytest.raises(TandaiError) as info:
        load_scheme(tmp_path / "labour.toml")
    message = str(info.value)
    assert "\n" not in message and all(word in message for word in words), message
