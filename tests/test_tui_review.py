"""The review screens as a reviewer meets them: keys in through Pilot, the gold layer and its provenance out.

alice, bob and carol annotated seed 000 with one agreed span and a
disagreement of each kind (review_fixtures.py has the table); rita reviews.
Each test starts the app on the review list (``tandai review``), opens the
article with enter and checks what each review key writes into gold (spans,
``origin`` provenance, actor, links, rejections, the journal) and what the
screen says about it, at 80x24 (status line) and 120x40 (side panel).
"""
from __future__ import annotations

import asyncio
import re

import pytest

from review_fixtures import ANNOTATORS, REVIEWER, at, review_db  # noqa: F401  (fixtures are used by name)
from tui_fixtures import anyio_backend, isolated_config, quick_pilot, tui_db, tui_template  # noqa: F401  (fixtures)
from tui_fixtures import (
    cursor_token,
    listed,
    doc_ids,
    document_view,
    find_token,
    goto_token,
    help_rows,
    make_app,
    press,
    query,
    screen_text,
    settle,
    spans_of,
    status_line,
    type_text,
    wait_for_text,
)

pytestmark = pytest.mark.anyio
SIZE = (80, 24)
WIDE = (120, 40)
ALL = list(ANNOTATORS)


def disagree_on_armenia(review_db, *docs: str) -> None:
    """In each of ``docs``, alice labels the first "Armenia" GPE and bob labels it ORG."""
    from annotations.store import Store

    with Store(review_db) as store:
        for doc in docs:
            start = store.get_document(doc).text.index("Armenia")
            for name, label in (("alice", "GPE"), ("bob", "ORG")):
                store.add_span(doc, name, "entity", label, start, start + len("Armenia"))


def reviewing(db):
    """The app as ``tandai --annotator rita review`` starts it."""
    return make_app(db, REVIEWER, review=True)


async def open_article(pilot) -> str:
    """From the review list: enter opens the article under the cursor; returns its id."""
    from tui.screens.review import ReviewScreen
    from tui.screens.review_list import ReviewListScreen

    app = pilot.app
    await listed(app)
    assert isinstance(app.screen, ReviewListScreen), type(app.screen)
    await press(pilot, "enter")
    assert isinstance(app.screen, ReviewScreen), type(app.screen)
    assert sum(isinstance(s, ReviewScreen) for s in app.screen_stack) == 1
    return app.screen.doc_id


def on_review(app) -> bool:
    from tui.screens.review import ReviewScreen

    return isinstance(app.screen, ReviewScreen)


def on_review_list(app) -> bool:
    from tui.screens.review_list import ReviewListScreen

    return isinstance(app.screen, ReviewListScreen)


def plain(app, selector: str) -> str:
    from textual.widgets import Static

    content = app.screen.query_one(selector, Static).content
    return getattr(content, "plain", str(content))


def legend(app) -> str:
    return plain(app, "#legend")


def cursor_at(app, db, word: str) -> bool:
    return document_view(app).cursor_offset == at(db, word)[0]


def gold(db, doc) -> list[tuple]:
    """(layer, label, text, actor, origin) of each gold span, in text order."""
    return [(s["layer"], s["label"], s["text"], s["actor_id"], s["origin"]) for s in spans_of(db, doc, "gold")]


def gold_links(db, doc) -> set[tuple[str, str, str]]:
    return set(query(db, "SELECT h.text, l.role, t.text FROM links l JOIN spans h ON h.id = l.head"
                         " JOIN spans t ON t.id = l.tail WHERE l.doc_id = ? AND l.annotator = 'gold'", (doc,)))


def rejections(db, doc) -> list[tuple]:
    return query(db, "SELECT layer, label, start, end, reviewer FROM rejections WHERE doc_id = ? ORDER BY start, label",
                 (doc,))


def human_spans(db) -> list[tuple]:
    return query(db, "SELECT id, annotator, layer, label, start, end, actor_id, attrs FROM spans"
                     " WHERE annotator != 'gold' ORDER BY id")


def origin(*annotators: str, source: str) -> dict:
    return {"annotators": list(annotators), "reviewer": REVIEWER, "from": source}


# -- the review list ----------------------------------------------------------------------------


async def test_list_shows_annotators_and_open_over_total_disagreements(review_db):
    first = doc_ids(review_db)[0]
    app = reviewing(review_db)
    async with app.run_test(size=SIZE) as pilot:
        await listed(app)
        assert on_review_list(app)
        text = screen_text(app)
        assert "reviewer rita · 1 article(s) annotated · 0 settled · 5 open disagreement(s)" in text
        (row,) = [line for line in text.splitlines() if "Konflik Nagorno" in line]
        # alice, bob and carol each have 5 distinct spans; the pairs share 3 + 3 + 3 + 1 of them (AS-GPE
        # only alice and bob): exact span F1 = 2 * 10 / (3 * 10) = 0.67
        assert row.split()[-6:] == ["alice✓", "bob✓", "carol✓", "5/5", "0.67", "—"]  # gold: not settled
        assert sum("Konflik" in line or "Akhiri" in line for line in text.splitlines()) == 1  # nobody did the others
        assert app.sub_title == f"review by {REVIEWER}"
        doc = await open_article(pilot)
        assert doc == first
        assert legend(app).startswith("1alice✓ 2bob✓ 3carol✓") and "open disagreements: 5/5" in legend(app)
        assert app.sub_title.startswith(f"review by {REVIEWER} · Konflik Nagorno")
        # settle one, back to the list: it counts one open disagreement less
        await press(pilot, "shift+tab", "x", "q")
        await listed(app)
        text = screen_text(app)
        assert "4 open disagreement(s)" in text
        (row,) = [line for line in text.splitlines() if "Konflik Nagorno" in line]
        assert row.split()[-6:-1] == ["alice✓", "bob✓", "carol✓", "4/5", "0.67"]
        assert app.sub_title == f"review by {REVIEWER}"
        await pilot.press("q")  # `tandai review` started on this list: q there quits
        await pilot.pause()
        assert app.return_code == 0 and not app.is_running


async def test_list_with_nobody_annotating_says_so(tui_db):
    app = reviewing(tui_db)
    async with app.run_test(size=SIZE) as pilot:
        await listed(app)
        assert "Nobody has annotated an article yet" in screen_text(app)
        await press(pilot, "enter")
        assert on_review_list(app)


def held_comparisons(monkeypatch, *, first_only: bool = False):
    """Every comparison of the review list's workers (or only the first) waits until the test sets the
    returned gate; the second value lists the articles compared, in the order their comparisons began."""
    import threading

    from annotations import review

    gate, began = threading.Event(), []
    compare_row = review.compare_row

    def held(store, row):
        began.append(row.doc_id)
        if len(began) == 1 or not first_only:
            assert gate.wait(10), "the test never let the comparisons go"
        return compare_row(store, row)

    monkeypatch.setattr(review, "compare_row", held)
    return gate, began


async def until(app, ready) -> None:
    """Wait (10 s at most) until ``ready()``: a worker's rows come in a message, its comparisons in a thread."""
    import time

    deadline = time.monotonic() + 10
    while not ready():
        assert time.monotonic() < deadline, screen_text(app)
        await asyncio.sleep(0.01)
        await settle(app)


async def until_shown(app, *words: str) -> str:
    """The screen's text once every one of ``words`` is on it."""
    await until(app, lambda: all(word in screen_text(app) for word in words))
    return screen_text(app)


async def test_list_shows_who_took_part_before_any_comparison_and_then_the_figures(review_db, monkeypatch):
    """The row comes with its annotators (and gold's status) while its comparison is still under way; the
    figures follow, and keys work meanwhile."""
    gate, began = held_comparisons(monkeypatch)
    app = reviewing(review_db)
    async with app.run_test(size=SIZE) as pilot:
        await until_shown(app, "alice✓")
        await until(app, lambda: began)  # its comparison begins, and does not end
        text = screen_text(app)
        assert began == [doc_ids(review_db)[0]]
        assert [line.split()[-6:] for line in text.splitlines() if "alice" in line] == [
            ["alice✓", "bob✓", "carol✓", "…", "…", "—"]]
        assert "comparing annotators: 0/1 compared…" in text
        assert app.screen.comparing and app.screen.comparisons == 0
        await press(pilot, "question_mark")  # the screen answers keys meanwhile
        assert "Next unsettled" in screen_text(app)
        await press(pilot, "escape")
        gate.set()
        await listed(app)
        text = screen_text(app)
        assert "reviewer rita · 1 article(s) annotated · 0 settled · 5 open disagreement(s)" in text
        assert [line.split()[-3:] for line in text.splitlines() if "alice" in line] == [["5/5", "0.67", "—"]]
        assert app.screen.comparisons == 1


@pytest.fixture
def many_db(review_db):
    """``review_db`` and 40 more articles ("Artikel 0" ...), in each of which alice and bob disagree on a label."""
    from annotations.corpus import Article, import_articles
    from annotations.store import Store

    with Store(review_db) as store:
        import_articles(store, [Article(text=f"Armenia dan Azerbaijan, laporan {i}.", title=f"Artikel {i}")
                                for i in range(40)])
    disagree_on_armenia(review_db, *doc_ids(review_db)[5:])
    return review_db


async def test_the_rows_on_screen_are_compared_first(many_db, monkeypatch):
    """While the first article is compared the reviewer scrolls to the end of the list: the rows then on
    screen are compared next, before those between."""
    gate, began = held_comparisons(monkeypatch, first_only=True)
    ids = doc_ids(many_db)
    titles = dict(query(many_db, "SELECT title, id FROM documents"))
    app = reviewing(many_db)
    async with app.run_test(size=SIZE) as pilot:
        await until_shown(app, "Artikel 10")
        assert began == [ids[0]]
        await press(pilot, "ctrl+end")
        shown = [titles[title] for title in re.findall(r"Artikel \d+", screen_text(app))]
        assert "Artikel 39" in screen_text(app) and ids[5] not in shown  # "Artikel 0" scrolled away
        gate.set()
        await listed(app)
        assert sorted(began) == sorted([ids[0], *ids[5:]])  # each annotated article compared once
        assert set(began[1:1 + len(shown)]) == set(shown)
        assert "…" not in screen_text(app) and app.screen.comparisons == 41


async def test_rows_compared_are_stored_once_a_pass_not_every_batch(many_db, monkeypatch):
    from annotations import review
    from tui.screens.review_list import ReviewListScreen

    saves = []
    save_rows = review.save_rows
    monkeypatch.setattr(review, "save_rows", lambda store, rows: saves.append(len(rows)) or save_rows(store, rows))
    monkeypatch.setattr(ReviewListScreen, "BATCH_S", 0)  # each article's figures in a batch of their own
    monkeypatch.setattr(ReviewListScreen, "SAVE_S", 3600)
    app = reviewing(many_db)
    async with app.run_test(size=SIZE):
        await listed(app)
        assert app.screen.comparisons == 41
    assert saves == [41]
    assert query(many_db, "SELECT count(*) FROM review_rows") == [(41,)]


async def test_returning_to_the_list_compares_only_the_articles_that_changed(review_db):
    from annotations.store import Store

    first, second = doc_ids(review_db)[:2]
    disagree_on_armenia(review_db, second)
    app = reviewing(review_db)
    async with app.run_test(size=SIZE) as pilot:
        await listed(app)
        screen = app.screen

        def rows() -> list[list[str]]:
            return [line.split()[-5:] for line in screen_text(app).splitlines() if "alice" in line]

        assert screen.comparisons == 2
        assert rows() == [["bob✓", "carol✓", "5/5", "0.67", "—"], ["alice", "bob", "1/1", "0.00", "—"]]
        assert await open_article(pilot) == first
        await press(pilot, "shift+tab", "x", "q")  # one disagreement settled in the first article
        await listed(app)
        assert screen.comparisons == 2  # x stored the article's row as it left it: read, not compared
        assert rows() == [["bob✓", "carol✓", "4/5", "0.67", "—"], ["alice", "bob", "1/1", "0.00", "—"]]
        await press(pilot, "enter", "d", "q")  # gold settled: the stored row is kept, with gold's status
        await listed(app)
        assert screen.comparisons == 2
        assert rows() == [["bob✓", "carol✓", "4/5", "0.67", "settled"], ["alice", "bob", "1/1", "0.00", "—"]]
        await press(pilot, "enter", "q")  # looked at, nothing changed: nothing is compared
        await listed(app)
        assert screen.comparisons == 2
        with Store(review_db) as store:  # meanwhile another tandai marks alice done in the second article
            store.set_status(second, "alice", "done")
        await press(pilot, "enter", "q")
        await listed(app)
        assert screen.comparisons == 3  # that article, changed elsewhere, and still not the first
        assert rows() == [["bob✓", "carol✓", "4/5", "0.67", "settled"], ["alice✓", "bob", "1/1", "0.00", "—"]]


async def test_returning_reads_the_changed_articles_stored_row_once(review_db):
    """x stores the article's row as it leaves it: back on the list, that row is read (one read of the
    stored rows), not compared."""
    app = reviewing(review_db)
    async with app.run_test(size=SIZE) as pilot:
        await listed(app)
        await open_article(pilot)
        await press(pilot, "shift+tab", "x")
        statements = []
        app.store.conn.set_trace_callback(statements.append)
        try:
            await press(pilot, "q")
            await listed(app)
        finally:
            app.store.conn.set_trace_callback(None)
        assert [line.split()[-3:] for line in screen_text(app).splitlines() if "alice" in line] == [
            ["4/5", "0.67", "—"]]
        assert sum("JOIN review_rows" in sql for sql in statements) == 1 and app.screen.comparisons == 1


async def test_q_on_the_review_list_opened_from_the_article_list_goes_back_to_it(review_db):
    app = make_app(review_db, REVIEWER)
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "R")
        await listed(app)
        await press(pilot, "q")
        assert app.is_running and type(app.screen).__name__ == "LibraryScreen"
        assert app.sub_title == REVIEWER


async def test_opening_the_list_again_reads_the_rows_it_stored_and_compares_only_changed_articles(review_db):
    from annotations.store import Store

    first, second = doc_ids(review_db)[:2]
    disagree_on_armenia(review_db, second)

    async def listing() -> tuple[list[list[str]], int]:
        """Open the list in a new app: its rows (from alice's on) and how many articles it compared."""
        app = reviewing(review_db)
        async with app.run_test(size=SIZE):
            await listed(app)
            return ([line.split()[-5:] for line in screen_text(app).splitlines() if "alice" in line],
                    app.screen.comparisons)

    both = [["bob✓", "carol✓", "5/5", "0.67", "—"], ["alice", "bob", "1/1", "0.00", "—"]]
    assert await listing() == (both, 2)  # never compared: both articles
    assert await listing() == (both, 0)  # unchanged: both rows read as stored
    with Store(review_db) as store:  # another tandai: carol stops taking part in the first, bob settles one
        for span in store.spans(first, "carol"):
            store.delete_span(span.id, "carol")
        store.set_status(first, "carol", "todo")
        start = store.get_document(second).text.index("Armenia")
        store.update_span(next(s.id for s in store.spans(second, "bob") if s.start == start), "bob", label="GPE")
    changed = [["alice✓", "bob✓", "3/3", "0.80", "—"], ["alice", "bob", "0/0", "1.00", "—"]]
    assert await listing() == (changed, 2)  # 4 of alice's 5 spans are bob's: F1 8/10
    with Store(review_db) as store:
        store.set_status(second, "bob", "done")
    changed[1][1] = "bob✓"
    assert await listing() == (changed, 1)


# -- moving between disagreements ---------------------------------------------------------------


TAB_ORDER = [
    ("AS", "label: 1: GPE · 2: GPE · 3: ORG · open"),
    ("Azerbaijan", "actor: 1: GPE @AZE_GOV · 2: GPE · 3: GPE · open"),
    ("sepakati", "links: 1: CEASEFIRE —PARTICIPANT→ Armenia, —PARTICIPANT→ Azerbaijan · 2: CEASEFIRE · 3: CEASEFIRE"
                 " · open"),
    ("gencatan senjata", "boundary, missing: 1: CEASEFIRE “gencatan senjata” · 2: CEASEFIRE “gencatan” · 3: — · open"),
    ("Nagorno-Karabakh", "missing: 1: — · 2: — · 3: LOC · open"),
]


async def test_tab_and_shift_tab_visit_each_disagreement_in_order(review_db):
    """Opening puts the cursor on the first disagreement; tab and shift+tab go round them all (the agreed
    "Armenia" is skipped); at 80 columns the status line summarises each annotator's version there."""
    app = reviewing(review_db)
    async with app.run_test(size=SIZE) as pilot:
        await open_article(pilot)
        assert not app.screen.query_one("#panel").display
        assert cursor_at(app, review_db, "AS") and status_line(app) == TAB_ORDER[0][1]
        for word, summary in [*TAB_ORDER[1:], TAB_ORDER[0]]:  # and round to the first again
            await press(pilot, "tab")
            assert cursor_at(app, review_db, word), (word, cursor_token(app))
            assert status_line(app) == summary
        for word, summary in reversed(TAB_ORDER):  # shift+tab from the first wraps to the last
            await press(pilot, "shift+tab")
            assert cursor_at(app, review_db, word), (word, cursor_token(app))
            assert status_line(app) == summary
        # off the spans: nobody has one there
        await goto_token(pilot, app, find_token(app, "umumkan"))
        assert status_line(app) == "no annotator has a span here"
        await press(pilot, "l", "l")  # onto the agreed span
        assert cursor_at(app, review_db, "Armenia") and status_line(app) == "1: GPE · 2: GPE · 3: GPE · open"


async def test_tab_with_every_disagreement_settled_says_so(review_db):
    app = reviewing(review_db)
    async with app.run_test(size=SIZE) as pilot:
        doc = await open_article(pilot)
        for _ in TAB_ORDER:
            await press(pilot, "1", "tab")  # alice's version everywhere (at Nagorno-Karabakh: none)
        assert "open disagreements: 0/5" in legend(app)
        before = document_view(app).cursor_offset
        await press(pilot, "tab")
        assert status_line(app) == "no open disagreements: M accepts what everyone agrees on"
        assert document_view(app).cursor_offset == before
        assert [g[:3] for g in gold(review_db, doc)] == [
            ("entity", "GPE", "AS"), ("entity", "GPE", "Azerbaijan"), ("event", "CEASEFIRE", "sepakati"),
            ("event", "CEASEFIRE", "gencatan senjata")]


# -- settling into gold -------------------------------------------------------------------------


async def test_digit_takes_that_annotators_version_with_provenance_actor_and_links(review_db):
    app = reviewing(review_db)
    async with app.run_test(size=SIZE) as pilot:
        doc = await open_article(pilot)
        before = human_spans(review_db)
        start, end = at(review_db, "AS")
        await press(pilot, "3")  # carol's ORG over alice's and bob's GPE
        assert status_line(app) == "took carol's version into gold"
        assert gold(review_db, doc) == [("entity", "ORG", "AS", None, origin("carol", source="carol"))]
        assert rejections(review_db, doc) == [("entity", "GPE", start, end, REVIEWER)]
        assert "open disagreements: 4/5" in legend(app)
        assert "AS[GPE 1,2✗][ORG 3✓]" in screen_text(app)
        await press(pilot, "2")  # changed mind: bob's GPE (alice had it too)
        assert gold(review_db, doc) == [("entity", "GPE", "AS", None, origin("alice", "bob", source="bob"))]
        assert ("entity", "ORG", start, end, REVIEWER) in rejections(review_db, doc)
        assert "AS[GPE 1,2✓][ORG 3✗]" in screen_text(app)
        await press(pilot, "4")  # three annotators: no fourth
        assert status_line(app) == "3 annotator(s) here"
        assert len(gold(review_db, doc)) == 1

        # alice's version of "Azerbaijan" brings her actor; "Armenia" comes in with M
        await press(pilot, "tab")
        assert cursor_at(app, review_db, "Azerbaijan")
        await press(pilot, "1", "M")
        # then her "sepakati" brings its links to both arguments, which are in gold now
        await press(pilot, "tab")
        assert cursor_at(app, review_db, "sepakati")
        await press(pilot, "1")
        assert gold(review_db, doc) == [
            ("entity", "GPE", "AS", None, origin("alice", "bob", source="bob")),
            ("entity", "GPE", "Armenia", None, origin(*ALL, source="alice")),
            ("entity", "GPE", "Azerbaijan", "AZE_GOV", origin(*ALL, source="alice")),
            ("event", "CEASEFIRE", "sepakati", None, origin(*ALL, source="alice")),
        ]
        assert gold_links(review_db, doc) == {("sepakati", "PARTICIPANT", "Armenia"),
                                              ("sepakati", "PARTICIPANT", "Azerbaijan")}
        assert "open disagreements: 2/5" in legend(app)
    # every gold change is journaled as the reviewer's; nobody's own layer changed
    assert query(review_db, "SELECT DISTINCT annotator, by FROM journal WHERE action LIKE 'review%'") == [
        ("gold", REVIEWER)]
    assert human_spans(review_db) == before


async def test_a_link_follows_when_its_argument_reaches_gold_later(review_db):
    app = reviewing(review_db)
    async with app.run_test(size=SIZE) as pilot:
        doc = await open_article(pilot)
        await press(pilot, "tab", "tab", "1")  # alice's "sepakati": neither argument is in gold yet
        assert [g[2] for g in gold(review_db, doc)] == ["sepakati"] and gold_links(review_db, doc) == set()
        assert status_line(app) == ("took alice's version into gold; 2 links wait for their arguments:"
                                    " CEASEFIRE —PARTICIPANT→ Armenia, CEASEFIRE —PARTICIPANT→ Azerbaijan")
        assert "2 links waiting" in legend(app)
        # at 80 columns the legend wraps rather than cut what it says
        assert shown(app, "#legend") == ("1alice✓ 2bob✓ 3carol✓  open disagreements: 4/5 · 2 links waiting"
                                         " · gold not settled")
        await press(pilot, "M")  # "Armenia"
        assert gold_links(review_db, doc) == {("sepakati", "PARTICIPANT", "Armenia")}
        assert "1 link waiting" in legend(app)
        await press(pilot, "shift+tab", "2")  # bob's "Azerbaijan" (no actor): alice's link still follows it
        assert cursor_at(app, review_db, "Azerbaijan")
        assert gold(review_db, doc)[1] == ("entity", "GPE", "Azerbaijan", None, origin(*ALL, source="bob"))
        assert gold_links(review_db, doc) == {("sepakati", "PARTICIPANT", "Armenia"),
                                              ("sepakati", "PARTICIPANT", "Azerbaijan")}
        assert "waiting" not in legend(app)
        # rejecting an argument says which link went with it
        await press(pilot, "x")
        assert status_line(app) == "rejected GPE; 1 link went with it: CEASEFIRE —PARTICIPANT→ Azerbaijan"
        assert gold_links(review_db, doc) == {("sepakati", "PARTICIPANT", "Armenia")}


async def test_y_accepts_the_span_under_the_cursor(review_db):
    app = reviewing(review_db)
    async with app.run_test(size=SIZE) as pilot:
        doc = await open_article(pilot)
        await press(pilot, "y")  # at "AS": the GPE two of three have (alice's version: the first who has it)
        assert status_line(app) == "accepted GPE into gold"
        assert gold(review_db, doc) == [("entity", "GPE", "AS", None, origin("alice", "bob", source="alice"))]
        assert "open disagreements: 4/5" in legend(app)  # carol's ORG there is superseded
        assert "AS[GPE 1,2✓][ORG 3~]" in screen_text(app)
        # inside "gencatan senjata", on "gencatan": bob's one-token span is the one under the cursor
        await press(pilot, "tab", "tab", "tab")
        assert cursor_at(app, review_db, "gencatan senjata")
        await press(pilot, "y")
        assert gold(review_db, doc)[-1] == ("event", "CEASEFIRE", "gencatan", None, origin("bob", source="bob"))
        await press(pilot, "l", "y")  # on "senjata": alice's two-token span
        assert gold(review_db, doc)[-1] == ("event", "CEASEFIRE", "gencatan senjata", None,
                                            origin("alice", source="alice"))
        assert "open disagreements: 3/5" in legend(app)
        await goto_token(pilot, app, find_token(app, "umumkan"))
        await press(pilot, "y")
        assert status_line(app) == "no span under the cursor" and len(gold(review_db, doc)) == 3


async def test_x_rejects_the_span_under_the_cursor(review_db):
    app = reviewing(review_db)
    async with app.run_test(size=SIZE) as pilot:
        doc = await open_article(pilot)
        await press(pilot, "shift+tab")  # wraps to the last disagreement: carol's lone LOC
        assert cursor_at(app, review_db, "Nagorno-Karabakh")
        await press(pilot, "x")
        assert status_line(app) == "rejected LOC"
        assert rejections(review_db, doc) == [("entity", "LOC", *at(review_db, "Nagorno-Karabakh"), REVIEWER)]
        assert gold(review_db, doc) == []
        assert "open disagreements: 4/5" in legend(app)  # settled: it no longer counts as open
        assert "Karabakh[LOC 3✗]" in screen_text(app)
        await press(pilot, "tab")
        assert cursor_at(app, review_db, "AS")  # tab skips it now
        # at "AS" x rejects only the GPE under the cursor: carol's ORG is still open there
        await press(pilot, "x")
        assert rejections(review_db, doc)[0] == ("entity", "GPE", *at(review_db, "AS"), REVIEWER)
        assert "open disagreements: 4/5" in legend(app)
        assert status_line(app) == "rejected GPE"
    from annotations import review
    from annotations.store import Store

    with Store(review_db) as store:
        assert review.review_list(store)[0].open == 4


async def test_M_accepts_every_agreed_span_once(review_db):
    app = reviewing(review_db)
    async with app.run_test(size=SIZE) as pilot:
        doc = await open_article(pilot)
        await press(pilot, "M")
        assert status_line(app) == "accepted 1 span(s) all annotators agree on"
        assert gold(review_db, doc) == [("entity", "GPE", "Armenia", None, origin(*ALL, source="alice"))]
        assert "Armenia[GPE 1,2,3✓]" in screen_text(app)
        assert "open disagreements: 5/5" in legend(app)  # agreement is not a disagreement
        await press(pilot, "M")
        assert status_line(app) == "no agreed span left to accept"
        assert len(gold(review_db, doc)) == 1


async def test_u_undoes_the_last_review_step_and_ctrl_r_redoes_it(review_db):
    app = reviewing(review_db)
    async with app.run_test(size=SIZE) as pilot:
        doc = await open_article(pilot)
        await press(pilot, "M", "3")
        after_pick = gold(review_db, doc)
        assert [g[1:3] for g in after_pick] == [("ORG", "AS"), ("GPE", "Armenia")]
        assert len(rejections(review_db, doc)) == 1
        await press(pilot, "u")
        assert status_line(app) == "undid pick version"
        assert gold(review_db, doc) == [("entity", "GPE", "Armenia", None, origin(*ALL, source="alice"))]
        assert rejections(review_db, doc) == []  # the pick's rejection went with it
        assert "open disagreements: 5/5" in legend(app) and "AS[GPE 1,2][ORG 3]" in screen_text(app)
        await press(pilot, "u")
        assert status_line(app) == "undid accept agreed spans" and gold(review_db, doc) == []
        await press(pilot, "u")
        assert status_line(app) == "nothing to undo"
        await press(pilot, "ctrl+r", "ctrl+r")
        assert status_line(app) == "redid pick version"
        assert gold(review_db, doc) == after_pick and len(rejections(review_db, doc)) == 1


# -- editing gold with the annotate keys ----------------------------------------------------------


async def test_E_edits_gold_with_the_annotate_keys_as_the_reviewer(review_db):
    from tui.screens.annotate import AnnotateScreen

    app = reviewing(review_db)
    async with app.run_test(size=SIZE) as pilot:
        doc = await open_article(pilot)
        tewas = find_token(app, "tewas")
        await goto_token(pilot, app, tewas)
        await press(pilot, "E")
        assert isinstance(app.screen, AnnotateScreen) and app.screen.annotator == "gold"
        assert cursor_token(app) == (tewas, "tewas")  # it opens where the reviewer was
        await press(pilot, "e", "5")  # CASUALTIES, in gold
        assert [g[:3] for g in gold(review_db, doc)] == [("event", "CASUALTIES", "tewas")]
        # labelling what the pre-tagger suggested there accepts the suggestion (credited to its model)
        start = document_view(app).tokens[tewas][0]
        suggested = query(review_db, "SELECT count(*) FROM suggestions WHERE doc_id = ? AND label = 'CASUALTIES'"
                          " AND start = ?", (doc, start))[0][0]
        assert query(review_db, "SELECT action, by FROM journal WHERE annotator = 'gold' AND tbl = 'spans'") == [
            ("accept" if suggested else "add_span", REVIEWER)]
        await press(pilot, "q")
        assert on_review(app)
        assert app.sub_title.startswith(f"review by {REVIEWER} · ")  # not the gold editor's
        assert cursor_token(app) == (tewas, "tewas")
        assert "tewas[CASUALTIES gold]" in screen_text(app)

        # a gold span the reviewer makes over a disagreement settles it
        await goto_token(pilot, app, find_token(app, "AS umumkan"))
        await press(pilot, "E", "a", "4", "q")  # LOC over "AS", which alice, bob and carol have as GPE/ORG
        assert on_review(app)
        assert "open disagreements: 4/5" in legend(app)
        assert "AS[GPE 1,2~][ORG 3~][LOC gold]" in screen_text(app)
        # u in the review screen undoes gold changes, the editor's included
        await press(pilot, "u")
        assert "open disagreements: 5/5" in legend(app)
        assert [g[:3] for g in gold(review_db, doc)] == [("event", "CASUALTIES", "tewas")]
    assert query(review_db, "SELECT DISTINCT by FROM journal WHERE annotator = 'gold'") == [(REVIEWER,)]


# -- help, command palette, search -----------------------------------------------------------------


async def test_help_lists_the_review_keys_from_the_live_keymap(review_db):
    from tui.keymap import REVIEW

    app = reviewing(review_db)
    async with app.run_test(size=SIZE) as pilot:
        await open_article(pilot)
        await press(pilot, "question_mark")
        rows = help_rows(app)
        for binding in REVIEW:
            assert binding.description in rows, binding.id
        expected = {"Next disagreement": ["tab"], "Previous disagreement": ["shift+tab"],
                    "Take annotator 1's version": ["1"], "Take annotator 9's version": ["9"], "Accept": ["y"],
                    "Reject": ["x"], "Accept agreed": ["M"], "Edit gold": ["E"], "Settled": ["d"], "Undo": ["u"],
                    "Redo": ["^r"],
                    "Back": ["q", "esc"], "Next token": ["→", "l"], "Panel": ["^o"]}
        for what, keys in expected.items():
            assert rows.get(what) == keys, (what, rows.get(what))
        await press(pilot, "escape")
        assert on_review(app)


async def test_remapped_review_key_works_and_help_shows_it(review_db, isolated_config):
    isolated_config.write_text('[keys]\nreview.accept_agreed = "A"\n', "utf-8")
    app = reviewing(review_db)
    async with app.run_test(size=SIZE) as pilot:
        doc = await open_article(pilot)
        await press(pilot, "question_mark")
        assert help_rows(app)["Accept agreed"] == ["A"]
        await press(pilot, "escape", "M")
        assert gold(review_db, doc) == []
        await press(pilot, "A")
        assert [g[2] for g in gold(review_db, doc)] == ["Armenia"]


async def test_list_help_shows_the_list_keys(review_db):
    app = reviewing(review_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app)
        await press(pilot, "question_mark")
        rows = help_rows(app)
        for what, keys in {"Open": ["⏎"], "Next article": ["j", "↓"], "Previous article": ["k", "↑"],
                           "Next unsettled": ["n"], "Help": ["?"], "Back": ["q", "esc"]}.items():
            assert rows.get(what) == keys, (what, rows.get(what))
        await press(pilot, "escape")
        assert on_review_list(app)


async def test_command_palette_lists_and_runs_accept_agreed(review_db):
    from textual.command import CommandPalette

    app = reviewing(review_db)
    async with app.run_test(size=SIZE) as pilot:
        doc = await open_article(pilot)
        await press(pilot, "ctrl+p")
        assert isinstance(app.screen, CommandPalette)
        await type_text(pilot, "Accept agreed")
        await wait_for_text(pilot, "Accept agreed (M)", tries=40)
        text = screen_text(app)
        assert "Accept agreed (M)" in text and "Accept every span all annotators agree on" in text
        await press(pilot, "enter")
        await pilot.pause()
        assert on_review(app)
        assert gold(review_db, doc) == [("entity", "GPE", "Armenia", None, origin(*ALL, source="alice"))]
        assert status_line(app) == "accepted 1 span(s) all annotators agree on"


async def test_search_then_escape_closes_the_search_not_the_article(review_db):
    app = reviewing(review_db)
    async with app.run_test(size=SIZE) as pilot:
        await open_article(pilot)
        await press(pilot, "slash")
        await type_text(pilot, "tewas")
        await press(pilot, "enter")
        assert cursor_token(app)[1] == "tewas"
        assert status_line(app) == "found “tewas” (enter: next)"  # not overwritten by the summary
        await press(pilot, "escape")
        assert on_review(app) and not app.screen.query_one("#search").display
        await press(pilot, "escape")
        assert on_review_list(app)


# -- narrow and wide terminals ----------------------------------------------------------------------


async def test_side_panel_at_120_columns_lists_each_annotators_version(review_db):
    app = reviewing(review_db)
    async with app.run_test(size=WIDE) as pilot:
        await open_article(pilot)
        assert app.screen.query_one("#panel").display
        s, e = at(review_db, "AS")
        assert plain(app, "#versions") == (f"1 alice\n   GPE “AS” {s}–{e}\n2 bob\n   GPE “AS” {s}–{e}\n"
                                           f"3 carol\n   ORG “AS” {s}–{e}\n\nhere: GPE — open\n")
        await press(pilot, "tab")
        assert status_line(app) == "entity actor · digits pick a version, y accept, x reject"
        s, e = at(review_db, "Azerbaijan")
        assert plain(app, "#versions") == (
            f"1 alice\n   GPE “Azerbaijan” {s}–{e}\n   @AZE_GOV\n   ← PARTICIPANT “sepakati”\n"
            f"2 bob\n   GPE “Azerbaijan” {s}–{e}\n3 carol\n   GPE “Azerbaijan” {s}–{e}\n\nhere: GPE — open\n")
        await press(pilot, "tab")
        panel = plain(app, "#versions")
        alice, rest = panel.split("2 bob")
        assert "→ PARTICIPANT “Armenia”" in alice and "→ PARTICIPANT “Azerbaijan”" in alice
        assert "PARTICIPANT" not in rest
        await press(pilot, "tab")
        g, sj = at(review_db, "gencatan"), at(review_db, "gencatan senjata")
        assert plain(app, "#versions") == (
            f"1 alice\n   CEASEFIRE “gencatan senjata” {sj[0]}–{sj[1]}\n2 bob\n   CEASEFIRE “gencatan” {g[0]}–{g[1]}\n"
            "3 carol\n   (no span here)\n\nhere: CEASEFIRE — open\n")
        await press(pilot, "2")
        text = screen_text(app)
        assert "here: CEASEFIRE — gold" in text and "took bob's version into gold" in text
        assert "gencatan[CEASEFIRE 2✓]" in text and "senjata[CEASEFIRE 1✗]" in text


async def test_80_columns_hide_the_panel_until_ctrl_o(review_db):
    app = reviewing(review_db)
    async with app.run_test(size=SIZE) as pilot:
        await open_article(pilot)
        panel = app.screen.query_one("#panel")
        assert not panel.display and "1 alice" not in screen_text(app)
        assert status_line(app) == "label: 1: GPE · 2: GPE · 3: ORG · open"
        await press(pilot, "ctrl+o")
        assert panel.display and "1 alice" in screen_text(app) and "3 carol" in screen_text(app)
        await press(pilot, "ctrl+o")
        assert not panel.display


async def test_80_columns_show_a_role_disagreement_and_both_extents_whole(tui_db):
    """Without the panel the status line wraps: each annotator's link with its role and argument, and both
    extents of a boundary disagreement whole, however long."""
    from annotations.store import Store
    from review_fixtures import PARA

    doc = doc_ids(tui_db)[0]
    claim = PARA[:-1]  # the sentence without its full stop
    with Store(tui_db) as store:
        for name, role in (("alice", "PARTICIPANT"), ("bob", "MEDIATOR")):
            argument = store.add_span(doc, name, "entity", "GPE", *at(tui_db, "Armenia"))
            event = store.add_span(doc, name, "event", "CEASEFIRE", *at(tui_db, "sepakati"))
            store.add_link(event.id, argument.id, role, name)
        store.add_span(doc, "alice", "claim", "STATEMENT", *at(tui_db, claim))
        store.add_span(doc, "bob", "claim", "STATEMENT", *at(tui_db, "Armenia dan Azerbaijan sekali lagi"))
    app = reviewing(tui_db)
    async with app.run_test(size=SIZE) as pilot:
        await open_article(pilot)
        assert not app.screen.query_one("#panel").display
        boundary = (f"boundary: 1: STATEMENT “{claim}” · 2: STATEMENT “Armenia dan Azerbaijan sekali lagi”"
                    " · open")
        assert cursor_at(app, tui_db, "AS") and status_line(app) == boundary
        assert boundary in shown(app)  # wrapped over lines, nothing cut
        await press(pilot, "tab")
        assert cursor_at(app, tui_db, "sepakati")
        roles = "links: 1: CEASEFIRE —PARTICIPANT→ Armenia · 2: CEASEFIRE —MEDIATOR→ Armenia · open"
        assert status_line(app) == roles and roles in shown(app)
        await press(pilot, "shift+tab", "ctrl+o")  # the side panel, shown on demand, holds whole texts too
        assert f"1 alice\n   STATEMENT “{claim}”" in plain(app, "#versions")
        await press(pilot, "ctrl+o", "tab")
        await press(pilot, "2")  # bob's role
        assert gold_links(tui_db, doc) == set()  # "Armenia" is not in gold yet: the link waits, and says so
        assert status_line(app) == ("took bob's version into gold; 1 link waits for its argument:"
                                    " CEASEFIRE —MEDIATOR→ Armenia")
        await press(pilot, "M")  # the agreed "Armenia" brings it
        assert gold_links(tui_db, doc) == {("sepakati", "MEDIATOR", "Armenia")}


def shown(app, selector: str = "#status") -> str:
    """A widget as the terminal shows it: its rows joined, so a wrapped line reads whole."""
    widget = app.screen.query_one(selector)
    rows = screen_text(app).splitlines()[widget.region.y:widget.region.bottom]
    return " ".join(row.strip() for row in rows)


# -- finishing a review: settling gold, the list's counts, n --------------------------------------------


async def test_d_settles_the_articles_gold_and_back_undoable_and_the_list_shows_it(review_db):
    app = reviewing(review_db)
    async with app.run_test(size=SIZE) as pilot:
        doc = await open_article(pilot)
        assert "gold not settled" in legend(app)
        await press(pilot, "M", "d")
        assert status_line(app) == ("gold settled: export --from gold writes it; 5 disagreement(s) left open"
                                    " (not in gold)")
        assert query(review_db, "SELECT status FROM progress WHERE doc_id = ? AND annotator = 'gold'", (doc,)) == [
            ("done",)]
        assert "gold settled" in legend(app) and "not settled" not in legend(app)
        await press(pilot, "q")
        await listed(app)
        text = screen_text(app)
        assert "1 article(s) annotated · 1 settled · 5 open disagreement(s)" in text
        (row,) = [line for line in text.splitlines() if "Konflik Nagorno" in line]
        assert row.split()[-3:] == ["5/5", "0.67", "settled"]
        await press(pilot, "enter", "d")  # back: no longer settled
        assert status_line(app) == "gold no longer settled: export --from gold leaves it out"
        assert query(review_db, "SELECT status FROM progress WHERE doc_id = ? AND annotator = 'gold'", (doc,)) == [
            ("doing",)]
        await press(pilot, "u")
        assert status_line(app) == "undid unsettle gold" and "gold settled" in legend(app)
        await press(pilot, "u")
        assert status_line(app) == "undid mark gold settled" and "gold not settled" in legend(app)
        assert [g[2] for g in gold(review_db, doc)] == ["Armenia"]  # the M before it stays
        assert query(review_db, "SELECT DISTINCT by FROM journal WHERE annotator = 'gold'") == [(REVIEWER,)]


async def test_settling_says_which_links_still_wait(review_db):
    app = reviewing(review_db)
    async with app.run_test(size=SIZE) as pilot:
        await open_article(pilot)
        await press(pilot, "tab", "tab", "1", "d")  # alice's "sepakati", its arguments not in gold
        assert status_line(app) == ("gold settled: export --from gold writes it; 4 disagreement(s) left open"
                                    " (not in gold); 2 links still waiting for their arguments, not exported")


async def test_list_counts_each_articles_open_disagreements_and_n_opens_the_next_unsettled(review_db):
    first, second, third = doc_ids(review_db)[:3]
    disagree_on_armenia(review_db, second, third)
    app = reviewing(review_db)
    async with app.run_test(size=SIZE) as pilot:
        await listed(app)

        def rows() -> list[list[str]]:
            return [line.split()[-3:] for line in screen_text(app).splitlines()
                    if any(m in line for m in ("alice", "bob"))]

        assert rows() == [["5/5", "0.67", "—"], ["1/1", "0.00", "—"], ["1/1", "0.00", "—"]]
        assert "3 article(s) annotated · 0 settled · 7 open disagreement(s)" in screen_text(app)
        # on the first row, n opens the next unsettled one: the second article; settle it there
        await press(pilot, "n")
        assert on_review(app) and app.screen.doc_id == second
        await press(pilot, "1", "d", "q")
        await listed(app)
        assert rows() == [["5/5", "0.67", "—"], ["0/1", "0.00", "settled"], ["1/1", "0.00", "—"]]
        await press(pilot, "n")  # from the second: the third
        assert app.screen.doc_id == third
        await press(pilot, "d", "q")
        await listed(app)
        await press(pilot, "n")  # then round to the first
        assert app.screen.doc_id == first
        await press(pilot, "d", "q")
        await listed(app)
        assert "3 article(s) annotated · 3 settled · 6 open disagreement(s)" in screen_text(app)
        await press(pilot, "n")
        assert on_review_list(app) and "every article's gold is settled" in screen_text(app)
    assert query(review_db, "SELECT doc_id FROM progress WHERE annotator = 'gold' AND status = 'done'"
                            " ORDER BY doc_id") == sorted([(first,), (second,), (third,)])
