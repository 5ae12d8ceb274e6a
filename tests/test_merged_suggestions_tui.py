"""Two models' suggestions on the same spans, as the annotator meets them: once on screen, named, answered once.

Pilot on a copy of the pre-tagged seeds with a second model's rows added for
the first article; then the installed ``tandai``: ``tandai tag`` with the rules
and again with another pipeline (``--model DIR``), and the app in tmux at 80x24.
"""
from __future__ import annotations

import os
import re
import subprocess

import pytest

from annotations.store import Store

from tui_fixtures import anyio_backend, isolated_config, tui_db, tui_template  # noqa: F401  (fixtures)
from tui_fixtures import (
    ANNOTATOR,
    TANDAI,
    TMUX,
    Tmux,
    document_view,
    find_token,
    goto_token,
    list_suggestion_counts,
    make_app,
    press,
    query,
    render_frame,
    screen_text,
    spans_of,
    status_line,
    tandai_env,
)

OTHER = "id_other-1"


def add_second_model(db) -> tuple[str, int]:
    """OTHER suggests exactly what the rules suggested in the first article: (its id, how many)."""
    with Store(db) as store:
        doc = store.document_ids()[0]
        rows = [(g.layer, g.label, g.start, g.end, 0.5) for g in store.suggestions(doc)]
        assert store.replace_suggestions(OTHER, {doc: rows}) == len(rows) > 10
    return doc, len(rows)


def answers(db, doc: str) -> list[tuple]:
    """(model, text, verdict, span id) of every verdict in the article."""
    return query(db, "SELECT g.model, substr(d.text, g.start + 1, g.end - g.start), v.verdict, v.span_id"
                     " FROM verdicts v JOIN suggestions g ON g.id = v.suggestion_id JOIN documents d ON d.id = g.doc_id"
                     " WHERE g.doc_id = ? AND v.annotator = ? ORDER BY g.start, g.model", (doc, ANNOTATOR))


@pytest.mark.anyio
async def test_two_models_on_a_span_show_once_and_y_answers_both(tui_db):
    doc, n = add_second_model(tui_db)
    app = make_app(tui_db)
    async with app.run_test(size=(80, 24)) as pilot:
        assert list_suggestion_counts(screen_text(app))[0] == n  # the list counts each suggestion once
        await press(pilot, "enter")
        marks = [m for m in document_view(app).marks if m.kind == "suggestion"]
        assert len(marks) == n == len({(m.start, m.end, m.label) for m in marks})
        await goto_token(pilot, app, find_token(app, "Armenia"))
        assert "GPE? “Armenia” suggested by tandai-rules + id_other-1" in status_line(app)
        await press(pilot, "y")
        (span,) = spans_of(tui_db, doc)
        assert answers(tui_db, doc) == [(OTHER, "Armenia", "accepted", span["id"]),
                                        ("tandai-rules", "Armenia", "accepted", span["id"])]
        assert span["origin"]["models"] == ["tandai-rules", OTHER]
        assert len([m for m in document_view(app).marks if m.kind == "suggestion"]) == n - 1
        await press(pilot, "u")
        assert answers(tui_db, doc) == [] and spans_of(tui_db, doc) == []
        await press(pilot, "x")  # reject: both rows
        assert [a[2] for a in answers(tui_db, doc)] == ["rejected", "rejected"]
        await press(pilot, "u", "Y")
        assert f"accepted {n} suggestion(s)" in status_line(app)
        assert len(spans_of(tui_db, doc)) == n and len(answers(tui_db, doc)) == 2 * n
        await press(pilot, "u")
        assert spans_of(tui_db, doc) == [] and answers(tui_db, doc) == []


@pytest.mark.anyio
async def test_the_inspector_panel_names_every_model(tui_db):
    add_second_model(tui_db)
    app = make_app(tui_db)
    async with app.run_test(size=(130, 30)) as pilot:
        await press(pilot, "enter")
        await goto_token(pilot, app, find_token(app, "Armenia"))
        frame = render_frame(app)
        assert "by tandai-rules" in frame and "id_other-1" in frame


def save_other_model(path) -> None:
    """Another spaCy pipeline on disk: the rules saved under another name (``tandai tag --model`` loads it)."""
    from annotations.pretag import build_pipeline

    nlp = build_pipeline()
    nlp.meta["name"] = "other"
    nlp.to_disk(path)


@pytest.mark.tmux
@pytest.mark.skipif(TMUX is None, reason="tmux is not installed")
@pytest.mark.skipif(TANDAI is None, reason="the tandai console script is not installed")
def test_tag_with_two_models_then_the_app_shows_each_suggestion_once(tmp_path):
    from conftest import SEEDS_DIR

    db, model = tmp_path / "tandai.db", tmp_path / "other-model"
    save_other_model(model)
    env = tandai_env(tmp_path)

    def tandai(*args: str) -> str:
        proc = subprocess.run([TANDAI, "--db", str(db), *args], capture_output=True, text=True, timeout=120,
                              env={**os.environ, **env}, cwd=tmp_path)
        assert proc.returncode == 0, proc.stderr
        return proc.stdout

    tandai("import", str(SEEDS_DIR))
    rules = tandai("tag")
    n = int(re.search(r"(\d+) new suggestion", rules).group(1))
    other = tandai("tag", "--model", str(model))
    assert "tagged by id_other-0.0.0" in other and f"{n} new suggestion" in other  # the same spans again
    assert query(db, "SELECT count(*) FROM suggestions")[0][0] == 2 * n
    per_article = [r[0] for r in query(db, "SELECT count(*) FROM suggestions g JOIN documents d ON d.id = g.doc_id"
                                           " GROUP BY d.id ORDER BY d.seq")]

    term = Tmux(80, 24)
    term.start([TANDAI, "--db", str(db)], env, cwd=tmp_path)
    try:
        screen = term.wait_for(lambda s: len(list_suggestion_counts(s)) == 5, timeout=20)
        assert list_suggestion_counts(screen) == [c // 2 for c in per_article]
        term.keys("Enter")
        term.wait_for("a:entity")
        term.keys("Tab")
        term.wait_for("GPE? “Nagorno-Karabakh” suggested by tandai-rules + id_other-0.0.0")
        term.keys("y")
        term.wait_for("accepted GPE")
        doc = query(db, "SELECT id FROM documents ORDER BY seq LIMIT 1")[0][0]
        got = query(db, "SELECT g.model, v.verdict, v.span_id IS NOT NULL FROM verdicts v"
                        " JOIN suggestions g ON g.id = v.suggestion_id WHERE g.doc_id = ? ORDER BY g.model", (doc,))
        assert got == [("id_other-0.0.0", "accepted", 1), ("tandai-rules", "accepted", 1)]
        assert query(db, "SELECT count(*) FROM spans")[0][0] == 1
        term.keys("q")  # back in the list: one suggestion fewer to answer
        term.wait_for(lambda s: list_suggestion_counts(s)[:1] == [per_article[0] // 2 - 1])
        term.keys("q")
        assert term.wait_dead() == 0
    finally:
        term.kill()
