"""Four annotators, four processes, one database: no lost change, no "database is locked",
and the journal replays to the live tables.

Run as a script, this file is the worker (bench/bench_concurrency.py uses it too):
    python tests/test_concurrency.py DB NAME OPS SEED GO_FILE OUT_FILE
"""
from __future__ import annotations

import json
import random
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from annotations.journal_sets import changes

HERE = Path(__file__).resolve()
# Journaled tables and their primary keys.
KEYS = {"spans": ("id",), "links": ("id",), "verdicts": ("suggestion_id", "annotator"),
        "progress": ("doc_id", "annotator")}


def worker(db: str, name: str, ops: int, seed: int, go: Path, out: Path) -> int:
    """Add, delete and link spans as ``name`` as fast as possible; record what reported success."""
    from annotations.store import Store

    rng = random.Random(seed)
    done: list[dict] = []
    error = None
    store = Store(db)
    try:
        docs = store.document_ids()[:2]
        tokens = {d: store.get_document(d).tokens for d in docs}
        live: dict[int, tuple[str, str]] = {}  # span id -> (doc, layer)
        labels: dict[int, str] = {}  # span id -> label, for the roles that accept it
        Path(f"{out}.ready").touch()
        while not go.exists():
            time.sleep(0.002)
        started = time.perf_counter()
        for i in range(ops):
            roll = rng.random()
            pairs = [(h, t) for h, (dh, lh) in live.items() if lh == "event"
                     for t, (dt, lt) in live.items() if lt == "entity" and dt == dh]
            if live and roll < 0.3:
                span_id = rng.choice(sorted(live))
                store.delete_span(span_id, name)
                del live[span_id]
                done.append({"op": "delete", "id": span_id})
            elif pairs and roll < 0.45:
                head, tail = rng.choice(pairs)
                roles = ["AGENT", "TARGET", "PLACE"] if labels[tail] == "GPE" else ["AGENT", "TARGET"]  # PLACE takes no PER
                link = store.add_link(head, tail, rng.choice(roles), name)
                done.append({"op": "link", "id": link.id, "head": head, "tail": tail, "role": link.role})
            else:
                doc = rng.choice(docs)
                first = rng.randrange(len(tokens[doc]) - 3)
                last = first + rng.randrange(3)
                layer, label = rng.choice([("entity", "GPE"), ("entity", "PER"), ("event", "ATTACK")])
                span = store.add_span(doc, name, layer, label, tokens[doc][first][0], tokens[doc][last][1],
                                      attrs={"i": i})
                live[span.id] = (doc, layer)
                labels[span.id] = label
                done.append({"op": "add", "id": span.id, "doc": doc, "layer": layer, "label": label,
                             "start": span.start, "end": span.end})
        elapsed = time.perf_counter() - started
    except Exception as exc:  # recorded for the test to show
        error = f"{type(exc).__name__}: {exc}"
        elapsed = 0.0
    finally:
        store.close()
    out.write_text(json.dumps({"name": name, "done": done, "error": error, "seconds": elapsed}))
    return 1 if error else 0


def run_workers(db: Path, names: list[str], ops: int, tmp: Path, timeout: float = 300) -> list[dict]:
    """Start one process per annotator, release them together, and collect what each did."""
    go = tmp / "go"
    go.unlink(missing_ok=True)
    outs = [tmp / f"{name}.json" for name in names]
    procs = [
        subprocess.Popen([sys.executable, str(HERE), str(db), name, str(ops), str(i), str(go), str(out)],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for i, (name, out) in enumerate(zip(names, outs))
    ]
    deadline = time.monotonic() + 60
    while not all(Path(f"{o}.ready").exists() for o in outs):
        if time.monotonic() > deadline or any(p.poll() is not None for p in procs):
            break
        time.sleep(0.01)
    go.touch()
    results = []
    for proc, out in zip(procs, outs):
        stdout, stderr = proc.communicate(timeout=timeout)
        data = json.loads(out.read_text()) if out.exists() else {"error": "no output", "done": []}
        data.update(returncode=proc.returncode, stderr=stderr)
        results.append(data)
    return results


def replay(db: Path) -> dict[str, dict[tuple, dict]]:
    """Apply every journal row's after (or delete) in id order to empty tables."""
    conn = sqlite3.connect(str(db))
    conn.row_factory = sqlite3.Row
    state: dict[str, dict[tuple, dict]] = {t: {} for t in KEYS}
    for row in conn.execute("SELECT tbl, before, after, rows FROM journal ORDER BY id"):
        if row["tbl"] not in KEYS:
            continue
        for before, after in changes(dict(row)):  # one table row's change, or each of a set's
            key = tuple((after or before)[k] for k in KEYS[row["tbl"]])
            if after is None:
                state[row["tbl"]].pop(key, None)
            else:
                state[row["tbl"]][key] = after
    conn.close()
    return state


def live_tables(db: Path) -> dict[str, dict[tuple, dict]]:
    conn = sqlite3.connect(str(db))
    conn.row_factory = sqlite3.Row
    out = {t: {tuple(r[k] for k in keys): dict(r) for r in conn.execute(f"SELECT * FROM {t}")}
           for t, keys in KEYS.items()}
    conn.close()
    return out


# -- the test ---------------------------------------------------------------------------------------------

NAMES = ["ana", "budi", "citra", "dewi"]
OPS = 150


def test_four_annotators_at_once(seeded_path, tmp_path):
    results = run_workers(seeded_path, NAMES, OPS, tmp_path)
    for res in results:
        assert res["returncode"] == 0 and res["error"] is None, (res.get("name"), res["error"], res["stderr"][-2000:])
        assert "locked" not in res["stderr"]
        assert len(res["done"]) == OPS

    conn = sqlite3.connect(str(seeded_path))
    for res in results:
        name = res["name"]
        added = {d["id"]: d for d in res["done"] if d["op"] == "add"}
        deleted = {d["id"] for d in res["done"] if d["op"] == "delete"}
        expected = {(i, d["doc"], d["layer"], d["label"], d["start"], d["end"])
                    for i, d in added.items() if i not in deleted}
        rows = set(conn.execute("SELECT id, doc_id, layer, label, start, end FROM spans WHERE annotator = ?", (name,)))
        assert rows == expected, name
        links = {(d["id"], d["head"], d["tail"], d["role"]) for d in res["done"]
                 if d["op"] == "link" and d["head"] not in deleted and d["tail"] not in deleted}
        assert set(conn.execute("SELECT id, head, tail, role FROM links WHERE annotator = ?", (name,))) == links, name
        assert any(d["op"] == "delete" for d in res["done"]) and any(d["op"] == "link" for d in res["done"])
    # every successful operation is its own journal batch, never shared between processes
    batches = conn.execute("SELECT count(DISTINCT batch) FROM journal").fetchone()[0]
    owners = conn.execute("SELECT count(*) FROM (SELECT batch FROM journal GROUP BY batch"
                          " HAVING count(DISTINCT annotator) > 1)").fetchone()[0]
    conn.close()
    # (adding a link that exists already is a successful no-op: it writes nothing)
    writes = sum(len([d for d in r["done"] if d["op"] != "link"]) + len({d["id"] for d in r["done"] if d["op"] == "link"})
                 for r in results)
    assert batches == writes
    assert owners == 0
    assert replay(seeded_path) == live_tables(seeded_path)


def test_replay_notices_a_change_behind_the_journals_back(store, seeded_path, seed_ids):
    """The replay check can fail: a write that bypasses the journal shows up."""
    doc = seed_ids["000"]
    span = store.add_span(doc, "ana", "entity", "GPE", 0, 7)
    assert replay(seeded_path) == live_tables(seeded_path)
    store.conn.execute("UPDATE spans SET label = 'LOC' WHERE id = ?", (span.id,))
    assert replay(seeded_path) != live_tables(seeded_path)


if __name__ == "__main__":
    db, name, ops, seed, go, out = sys.argv[1:7]
    sys.exit(worker(db, name, int(ops), int(seed), Path(go), Path(out)))
