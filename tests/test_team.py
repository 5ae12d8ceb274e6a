"""A lead's view: ``tandai assign`` (overlap, determinism, balance, nothing lost, work kept), each
annotator's queue in the list and n, ``tandai status`` (subprocess, JSON and pipe) and its screen (Pilot)."""
from __future__ import annotations

import json
from collections import Counter

import pytest

from annotations.assignments import plan_assignments
from annotations.corpus import Article, import_articles
from annotations.errors import TandaiError
from annotations.store import GOLD, Store
from conftest import run_tandai
from tui_fixtures import (  # noqa: F401  (fixtures are used by name)
    TANDAI,
    TMUX,
    Tmux,
    anyio_backend,
    doc_ids,
    isolated_config,
    make_app,
    press,
    query,
    screen_text,
    tandai_env,
    tui_db,
    tui_template,
)

NAMES = ["ana", "budi", "cici"]


def add_articles(path, n: int, start: int = 0) -> list[str]:
    with Store(path) as store:
        import_articles(store, [Article(text=f"Berita nomor {i} tentang Armenia dan Azerbaijan .", title=f"b{i}")
                                for i in range(start, start + n)])
        return store.document_ids()


def test_plan_overlap_balance_and_determinism():
    docs = [f"d{i}" for i in range(50)]
    plan = plan_assignments(docs, NAMES, overlap=0.2, seed=7)
    assert sorted(plan) == sorted(docs)  # no article lost
    sizes = Counter(len(names) for names in plan.values())
    assert sizes == {1: 40, 2: 10}  # 20% to two
    load = Counter(name for names in plan.values() for name in names)
    assert sum(load.values()) == 60 and max(load.values()) - min(load.values()) <= 1
    assert plan_assignments(docs, NAMES, overlap=0.2, seed=7) == plan
    assert plan_assignments(docs, NAMES, overlap=0.2, seed=8) != plan
    assert all(len(set(names)) == len(names) for names in plan.values())  # never twice to one person


def test_plan_keeps_work_and_refuses_bad_input():
    docs = [f"d{i}" for i in range(10)]
    plan = plan_assignments(docs, ["ana", "budi"], overlap=0.0, seed=1, kept={"d3": {"cici"}, "d4": {"ana", "budi"}})
    assert plan["d3"] == ["ana", "cici"] or plan["d3"] == ["budi", "cici"]  # cici keeps it, one of the named added
    assert plan["d4"] == ["ana", "budi"]  # both keep their work
    assert {n for names in plan.values() for n in names} >= {"ana", "budi", "cici"}
    for bad in (dict(names=[]), dict(names=["ana", "ana"]), dict(names=["a/b"]), dict(names=["ana"], overlap=1.5)):
        with pytest.raises(TandaiError):
            plan_assignments(docs, **{"overlap": 0.2, **bad})


def test_assign_command_rerun_keeps_done_work(seeded_path):
    docs = add_articles(seeded_path, 15)  # 20 articles
    assert len(docs) == 20
    with Store(seeded_path) as store:
        store.set_status(docs[0], "cici", "done")
        store.set_status(docs[1], "cici", "doing")
    code, out, err = run_tandai("subprocess", ["--db", str(seeded_path), "--annotator", "lead",
                                               "assign", *NAMES, "--overlap", "0.25", "--seed", "3"])
    assert code == 0, err
    assert "assigned 20 articles" in out
    with Store(seeded_path) as store:
        first = store.assignments()
        assert store.conn.execute("SELECT DISTINCT assigned_by FROM assignments").fetchall() == [("lead",)]
    assert sorted(first) == sorted(docs)
    assert Counter(len(v) for v in first.values())[2] >= 5  # a quarter to two (more where work was kept)
    assert "cici" in first[docs[0]] and "cici" in first[docs[1]]
    code, _, err = run_tandai("subprocess", ["--db", str(seeded_path), "assign", *NAMES, "--seed", "3",
                                             "--overlap", "0.25"])
    with Store(seeded_path) as store:
        assert store.assignments() == first  # the same seed: the same hand-out
    code, _, err = run_tandai("subprocess", ["--db", str(seeded_path), "assign", "ana", "budi", "--seed", "99"])
    assert code == 0, err
    with Store(seeded_path) as store:
        again = store.assignments()
    assert "cici" in again[docs[0]] and "cici" in again[docs[1]]  # cici's work stays cici's
    assert sorted(again) == sorted(docs)  # every article still handed out
    assert Counter(len(set(names) & {"ana", "budi"}) for names in again.values()) == {1: 16, 2: 4}  # 0.2 default
    for args, message in ((["assign", "ana", "--overlap", "2"], "--overlap must be between 0 and 1"),
                          (["assign", "an/a"], "annotator name")):
        code, out, err = run_tandai("subprocess", ["--db", str(seeded_path), *args])
        assert code == 1 and message in err and len(err.strip().splitlines()) == 1 and "Traceback" not in err
    with Store(seeded_path) as store:
        assert store.assignments() == again  # a refused run changes nothing


def test_queue_first_in_list_and_next_then_unassigned(seeded_path):
    docs = add_articles(seeded_path, 5)
    with Store(seeded_path) as store:
        plan = plan_assignments(docs, ["ana", "budi"], overlap=0.0, seed=2)
        store.set_assignments(plan, by="lead")
        mine = [d for d in docs if "budi" in plan[d]]
        listed = [row.id for row in store.list_documents("budi")]
        assert listed[:len(mine)] == mine and sorted(listed) == sorted(docs)  # own queue first, the rest reachable
        assert store.queue_counts("budi") == (0, len(mine))
        assert store.next_todo("budi") == mine[0]
        assert store.next_todo("budi", after=mine[0]) == mine[1]
        for doc in mine:
            store.set_status(doc, "budi", "done")
        assert store.queue_counts("budi") == (len(mine), len(mine))
        assert store.next_todo("budi") is None  # everything is someone's: budi's queue is empty
        extra = add_articles(seeded_path, 1, start=100)
        fresh = sorted(set(extra) - set(docs))
        assert store.next_todo("budi") == fresh[0]  # an article assigned to nobody
        assert store.next_todo("rita") == docs[0]  # no queue: any article, as before
        assert store.queue_counts("rita") is None


def _team(path):
    with Store(path) as store:
        docs = store.document_ids()
        store.set_status(docs[0], "ana", "done")
        store.save_position(docs[0], "ana", 0, seconds=120)
        store.set_status(docs[1], "ana", "done")
        store.save_position(docs[1], "ana", 0, seconds=600)
        store.set_status(docs[2], "ana", "done")
        store.save_position(docs[2], "ana", 0, seconds=300)
        store.set_status(docs[3], "ana", "skipped")
        store.set_status(docs[0], "budi", "done")
        store.save_position(docs[0], "budi", 0, seconds=60)
        store.set_status(docs[1], "budi", "flagged")
        store.set_status(docs[2], "budi", "doing")
        store.save_position(docs[2], "budi", 0, seconds=30)
        store.set_status(docs[0], GOLD, "done", by="rita")
        store.set_assignments({docs[0]: ["ana", "budi"], docs[1]: ["ana"]}, by="rita")
    return docs


def test_status_json_and_pipe(seeded_path):
    docs = _team(seeded_path)
    code, out, err = run_tandai("subprocess", ["--db", str(seeded_path), "status", "--json"])
    assert code == 0, err
    data = json.loads(out)
    people = {a["name"]: a for a in data["annotators"]}
    assert set(people) == {"ana", "budi"}  # humans only: no gold
    assert {k: people["ana"][k] for k in ("assigned", "done", "doing", "skipped", "flagged")} == \
        {"assigned": 2, "done": 3, "doing": 0, "skipped": 1, "flagged": 0}
    assert people["ana"]["seconds"] == 1020.0 and people["ana"]["median_minutes"] == 5.0  # median of 2, 10, 5
    assert {k: people["budi"][k] for k in ("done", "doing", "flagged", "seconds", "median_minutes")} == \
        {"done": 1, "doing": 1, "flagged": 1, "seconds": 90.0, "median_minutes": 1.0}
    articles = {a["doc_id"]: a for a in data["articles"]}
    assert len(articles) == 5
    assert articles[docs[0]]["finished"] == ["ana", "budi"] and articles[docs[0]]["settled"] is True
    assert articles[docs[0]]["assigned"] == ["ana", "budi"]
    assert articles[docs[1]]["finished"] == ["ana"] and articles[docs[1]]["settled"] is False
    assert articles[docs[4]]["finished"] == [] and articles[docs[4]]["assigned"] == []
    code, out, err = run_tandai("subprocess", ["--db", str(seeded_path), "status"])
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0].split("\t") == ["annotator", "assigned", "done", "doing", "skipped", "flagged", "time",
                                    "min/article"]
    assert lines[1].split("\t") == ["ana", "2", "3", "0", "1", "0", "17m", "5.0"]
    first = next(line.split("\t") for line in lines if line.startswith(docs[0]))
    assert first[2:] == ["ana, budi", "ana, budi", "settled"]


@pytest.mark.anyio
async def test_status_screen_from_the_list(tui_db):
    docs = _team(tui_db)
    app = make_app(tui_db, annotator="ana")
    async with app.run_test(size=(80, 24)) as pilot:
        await press(pilot, "q", "S")  # ana reopens where she was: back to the list, then the status key
        text = screen_text(app)
        assert "team status" in text and "5 articles, gold settled in 1" in text
        row = next(line for line in text.splitlines() if line.strip().startswith("ana"))
        assert row.split()[:6] == ["ana", "2", "3", "0", "1", "0"]
        assert any(line.strip().startswith(docs[0]) and "settled" in line for line in text.splitlines())
        await press(pilot, "q")
        assert "team status" not in screen_text(app)
        assert "yours: 2 of 2 done" in screen_text(app)  # the list's summary: ana's own queue
    assert query(tui_db, "SELECT count(*) FROM assignments")[0][0] == 3


def test_status_shows_titles_from_data_as_stand_ins(seeded_path):
    with Store(seeded_path) as store:
        import_articles(store, [Article(text="Teks biasa tentang Armenia .", title="\x1b]0;pwned\x07\x1b[31mmerah")])
    for args in (["status"], ["status", "--json"]):
        code, out, err = run_tandai("subprocess", ["--db", str(seeded_path), *args])
        assert code == 0, err
        assert "\x1b" not in out and "\x07" not in out
        assert "merah" in out


@pytest.mark.skipif(TMUX is None or TANDAI is None, reason="needs tmux and the installed tandai")
def test_status_is_a_table_on_a_terminal(seeded_path, tmp_path):
    _team(seeded_path)
    term = Tmux()
    try:
        term.start([TANDAI, "--db", str(seeded_path), "status"], tandai_env(tmp_path), tmp_path)
        assert term.wait_dead() == 0
        screen = term.screen()
    finally:
        term.kill()
    row = next(line for line in screen.splitlines() if "ana" in line and "│" in line)
    assert [cell.strip() for cell in row.strip("│ ").split("│")][:6] == ["ana", "2", "3", "0", "1", "0"]
    assert "\t" not in screen and "min/article" in screen


@pytest.mark.anyio
async def test_n_and_d_follow_the_annotators_own_queue(tui_db):
    docs = doc_ids(tui_db)
    with Store(tui_db) as store:  # alice has the 4th and 2nd articles, bob the rest; the 5th is nobody's
        store.set_assignments({docs[3]: ["alice"], docs[1]: ["alice"], docs[0]: ["bob"], docs[2]: ["bob"]}, by="lead")
    app = make_app(tui_db)
    async with app.run_test(size=(80, 24)) as pilot:
        assert "yours: 0 of 2 done" in screen_text(app)
        await press(pilot, "n")
        assert app.screen.doc_id == docs[1]  # her queue, in list order
        await press(pilot, "d")
        assert app.screen.doc_id == docs[3]
        await press(pilot, "d")
        assert app.screen.doc_id == docs[4]  # her queue is done: an article assigned to nobody
        await press(pilot, "q")
        assert "yours: 2 of 2 done" in screen_text(app)
    assert query(tui_db, "SELECT doc_id FROM progress WHERE annotator = 'alice' AND status = 'done' ORDER BY doc_id") \
        == sorted([(docs[1],), (docs[3],)])
