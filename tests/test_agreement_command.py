"""``tandai agreement`` does only the work its output needs: the command imports no other command's modules
(nor Textual, sqlite-utils or the exporters), reads the database through a read-only connection, and reads
each compared article with the same few indexed queries, whatever the team."""
from __future__ import annotations

import random
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from annotations.agreement import agreement
from annotations.store import SCHEMA_VERSION, Store
from tui.upgrade_line import open_reading

TEAM = ("ana", "budi", "cici")


def annotate_seeds(store: Store, seed: int = 7) -> list[str]:
    """Each seed article annotated by the three of ``TEAM`` (entities with actor ids, events with attributes
    and links, most spans shared, some not) and marked done; returns the articles' ids."""
    rng = random.Random(seed)
    docs = store.document_ids()
    for doc_id in docs:
        tokens = store.get_document(doc_id).tokens
        truth = [(rng.choice(["entity", "event"]), rng.randrange(len(tokens) - 2)) for _ in range(12)]
        for name in TEAM:
            made: dict[str, list[int]] = {"entity": [], "event": []}
            for layer, first in truth:
                if rng.random() < 0.2:
                    continue
                start, end = tokens[first][0], tokens[first + rng.randrange(2)][1]
                label = rng.choice(["PER", "GPE"] if layer == "entity" else ["ATTACK", "TALKS"])
                extra = ({"actor_id": rng.choice([None, "ARM_GOV", "AZE_GOV"])} if layer == "entity"
                         else {"attrs": {"modality": rng.choice(["asserted", "claimed"])}})
                try:
                    made[layer].append(store.add_span(doc_id, name, layer, label, start, end, **extra).id)
                except Exception:  # the same span twice in one annotator's layer: one is enough
                    continue
            for head in made["event"]:
                if made["entity"]:
                    store.add_link(head, rng.choice(made["entity"]), "AGENT", name)
            store.set_status(doc_id, name, "done")
    return docs


@pytest.fixture
def team_db(store: Store, seeded_path: Path) -> tuple[Path, list[str]]:
    docs = annotate_seeds(store)
    store.close()
    return seeded_path, docs


# The command as its console script runs it, then the modules it imported, on standard error.
IMPORTED = """
import sys
from tui.start import main
try:
    main(sys.argv[1:])
finally:
    print(*sorted(sys.modules), file=sys.stderr)
"""


def imported_modules(*args: str) -> set[str]:
    """Every module the command imports when run with ``args`` (in a process of its own)."""
    done = subprocess.run([sys.executable, "-c", IMPORTED, *args], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    return set(done.stderr.split())


# Nothing the agreement summary does not draw on: other commands' modules, the annotator's UI, sqlite-utils
# (and pandas where installed), the importer, the exporters, the tagger and its trigger lexicon.
NOT_FOR_AGREEMENT = ("textual", "tui.app", "tui.launch", "tui.cli_export", "tui.cli_team", "tui.cli_reviewers",
                     "sqlite_utils", "pandas", "annotations.export", "annotations.corpus", "annotations.pretag",
                     "annotations.trigger_lexicon", "spacy", "rich.console", "rich.progress")


def test_the_command_imports_only_what_its_output_needs(team_db):
    db, _ = team_db
    modules = imported_modules("--db", str(db), "agreement")
    assert {"annotations.agreement", "annotations.agreement_table", "tui.cli_review"} <= modules  # the log is read
    unwanted = sorted(name for name in modules
                      if any(name == bad or name.startswith(bad + ".") for bad in NOT_FOR_AGREEMENT))
    assert unwanted == []


def test_the_command_reads_through_a_read_only_connection(team_db):
    """``open_reading``: on a current schema, a connection that cannot write (no write lock, no WAL set-up)."""
    db, _ = team_db
    with open_reading(db) as store:
        assert store.schema_version == SCHEMA_VERSION
        with pytest.raises(sqlite3.OperationalError, match="readonly"):
            store.conn.execute("CREATE TABLE scratch (x)")
        assert agreement(store).compared == 5


def statements_of(store: Store, **options) -> list[str]:
    """The SQL statements ``agreement`` sends, with their values, in order."""
    sent: list[str] = []
    store.conn.set_trace_callback(sent.append)
    try:
        agreement(store, **options)
    finally:
        store.conn.set_trace_callback(None)
    return sent


@pytest.mark.parametrize("options", [{"detail": False}, {"detail": True}, {"by_article": True}],
                         ids=["summary", "detail", "by-article"])
def test_each_article_is_read_with_three_indexed_queries(team_db, options):
    """Per compared article: its spans, its links and its tokens, one query each, every one through an index
    (no pass over a table); the rest is a fixed few (scheme, who took part, the article order), and nothing
    is written. With ``by_article``, each article's title too."""
    db, docs = team_db
    with Store(db, readonly=True) as store:
        sent = statements_of(store, **options)
        assert all(s.lstrip().upper().startswith("SELECT") for s in sent), sent
        for doc_id in docs:
            about = [s for s in sent if f"'{doc_id}'" in s]
            assert len(about) == 3 + bool(options.get("by_article")), about
            for statement in about:
                plan = " ".join(row[-1] for row in store.conn.execute(f"EXPLAIN QUERY PLAN {statement}"))
                assert "USING INDEX" in plan or "USING PRIMARY KEY" in plan, (statement, plan)
                assert not re.search(r"\bSCAN (spans|links|documents)\b", plan), (statement, plan)
        assert len(sent) - sum(f"'{doc_id}'" in s for s in sent for doc_id in docs) <= 5, sent
