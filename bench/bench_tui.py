"""The annotator's speed and memory: first frame, keystroke to repainted screen, annotation writes.

    python bench/bench_tui.py [--runs 5] [--keys 500] [--writes 1000] [--cache /tmp/tandai-bench]
                              [--only first-frame|keys|writes|accept] [--with-spacy] [--suggestions 5000]

(a) First frame. A child process runs the installed app (tui.app.TandaiApp,
    as ``tandai`` starts it) on a pseudo-terminal of 80x24 against a
    100,000-article database (synthetic copies of the seeds, imported through
    annotations.corpus.import_articles; built once and cached). The figure is
    wall time from just before the parent starts the child (so interpreter
    start-up and every import count) to the moment the app hands its first
    frame of the article list to the terminal driver (App._display with the
    list screen). Also: the child's peak resident memory (ru_maxrss), whether
    spaCy was in sys.modules at that moment, and the same start-up measure for
    ``python -c "import sqlite3"`` and a minimal Textual app (one Static, timed
    the same way) as baselines, with each variant's ratio to the minimal app.
    Variants: tagging on with the articles untagged (the app starts its
    tagging child after the frame), tagging on with every article marked
    tagged, and tagging off.

(b) Keystroke to repainted screen, in-process (App.run_test, 80x24) on a
    50,000-character article (seed text repeated; imported and pre-tagged in
    a child process, so spaCy is not loaded here unless --with-spacy). Each
    sample is one key: the Key event is posted to the app, and
    - key->frame stops at the end of the first compositor refresh
      (Screen._compositor_refresh, wrapped) after the app and every widget
      have handled everything the key caused: dispatch, the action (for
      labels the SQLite write and the re-wrap), layout and line rendering.
      It includes Textual's frame pacing: a refresh is drawn on the screen's
      next update tick, at most 1/120 s after it was asked for (TEXTUAL_FPS,
      set by the command line as `tandai` runs the app).
      It excludes the terminal's own drawing and Pilot's idle sleeps.
    - handled stops when no message is left to handle (the work alone);
    - render is the compositor refresh alone.
    Cursor moves: l and j. Labelling: a digit on the next token (a new span
    written to the store) alternating with u (undo it); the l between them is
    not counted. BENCH_GC_FREEZE=1 calls gc.freeze() once the article is open
    (what the p99 would be if the app did so after start-up).

(c) Each annotation write through Store.add_span (one transaction, journaled,
    WAL), median over N writes, beside a raw sqlite3 INSERT + COMMIT of the
    same row into a copy of the spans table in the same database.

No assertions on time: this prints figures.
"""
from __future__ import annotations

import argparse
import asyncio
import fcntl
import json
import os
import pty
import select
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT))

N_ARTICLES = 100_000


def ms(seconds: float, digits: int = 1) -> str:
    return f"{seconds * 1000:.{digits}f} ms"


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    k = min(len(values) - 1, max(0, round(p / 100 * (len(values) - 1))))
    return values[k]


# -- (a) first frame ------------------------------------------------------------------------------


def big_db(cache: Path, n: int = N_ARTICLES) -> Path:
    """The cached n-article database (built on first use: a couple of minutes for 100,000)."""
    from annotations.corpus import import_articles, parse_txt
    from annotations.store import Store
    from synthetic import synthetic_raw

    cache.mkdir(parents=True, exist_ok=True)
    path = cache / f"tui-{n}.db"
    done = cache / f"tui-{n}.ok"
    if path.exists() and done.exists():
        return path
    for s in ("", "-wal", "-shm"):
        Path(f"{path}{s}").unlink(missing_ok=True)
    started = time.perf_counter()
    print(f"building a {n:,}-article database in {path} (once) ...", flush=True)
    with Store(path) as store:
        from annotations.actors import seed_actors

        seed_actors(store)
        chunk = 5_000
        for first in range(0, n, chunk):
            size = min(chunk, n - first)
            articles = [parse_txt(raw, f"synthetic/{first + i}.txt")
                        for i, raw in enumerate(synthetic_raw(size, start=first))]
            import_articles(store, articles)
        assert store.count_documents() == n
        store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    done.write_text("ok")
    print(f"  built in {time.perf_counter() - started:.0f}s", flush=True)
    return path


CHILD = r"""
import json, os, resource, sys, time
T0 = float(os.environ["BENCH_T0"])
out = os.environ["BENCH_OUT"]
from tui.app import TandaiApp
from tui.screens.library import LibraryScreen
import tui.keymap

class Bench(TandaiApp):
    CSS_PATH = os.path.join(os.path.dirname(sys.modules[TandaiApp.__module__].__file__), TandaiApp.CSS_PATH)
    _seen = False

    def _display(self, screen, renderable):
        super()._display(screen, renderable)
        if not self._seen and isinstance(screen, LibraryScreen) and renderable is not None:
            self._seen = True
            elapsed = time.time() - T0
            rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
            with open(out, "w") as fh:
                json.dump({"first_frame": elapsed, "rss": rss, "spacy": "spacy" in sys.modules,
                           "rows": screen.query_one("DataTable").row_count}, fh)
            self.exit()

Bench(os.environ["BENCH_DB"], "bench", tag_on_start=os.environ["BENCH_TAG"] == "1").run()
"""

# The baseline: the smallest Textual app there is (one Static), timed the same way.
CHILD_MINIMAL = r"""
import json, os, resource, sys, time
T0 = float(os.environ["BENCH_T0"])
out = os.environ["BENCH_OUT"]
from textual.app import App
from textual.widgets import Static

class Minimal(App):
    _seen = False

    def compose(self):
        yield Static("tandai")

    def _display(self, screen, renderable):
        super()._display(screen, renderable)
        if not self._seen and renderable is not None:
            self._seen = True
            rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
            with open(out, "w") as fh:
                json.dump({"first_frame": time.time() - T0, "rss": rss, "spacy": "spacy" in sys.modules,
                           "rows": 0}, fh)
            self.exit()

Minimal().run()
"""


def run_in_pty(argv: list[str], env: dict[str, str], timeout: float = 60, until: Path | None = None) -> bytes:
    """Run a child on an 80x24 pseudo-terminal, draining its output, until it exits (or ``until`` exists)."""
    output = bytearray()
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    proc = subprocess.Popen(argv, stdin=slave, stdout=slave, stderr=slave, env=env, close_fds=True,
                            start_new_session=True)
    os.close(slave)
    deadline = time.monotonic() + timeout
    try:
        while proc.poll() is None and time.monotonic() < deadline:
            if until is not None and until.exists() and until.stat().st_size:
                time.sleep(0.05)  # let the child finish writing the file
                break
            ready, _, _ = select.select([master], [], [], 0.05)
            if ready:
                try:
                    output += os.read(master, 65536)
                except OSError:
                    break
        if until is None:
            proc.wait(timeout=max(0.1, deadline - time.monotonic()))
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        os.close(master)
    return bytes(output)


def first_frame(db: Path | None, runs: int, tag: bool, child: str = CHILD) -> list[dict]:
    """Runs on the cached database itself (copying 1.3 GB per run would measure the disk): the app only
    adds its annotator row and session state; the child is killed once it has reported its first frame,
    so the pre-tagging process it starts after that frame dies with it. ``db`` None: the minimal app."""
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(runs):
            out = Path(tmp) / f"out{i}.json"
            env = {**os.environ, "BENCH_DB": str(db or ""), "BENCH_OUT": str(out), "BENCH_TAG": "1" if tag else "0",
                   "TERM": "xterm-256color", "COLORTERM": "truecolor", "TANDAI_CONFIG": str(Path(tmp) / "none.toml")}
            env["BENCH_T0"] = repr(time.time())
            output = run_in_pty([sys.executable, "-c", child], env, until=out)
            if not out.exists():
                raise RuntimeError("the app did not report a first frame:\n" + output.decode(errors="replace")[-3000:])
            results.append(json.loads(out.read_text()))
    return results


def python_baseline(runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        t0 = time.time()
        out = subprocess.run([sys.executable, "-c", "import sqlite3, time, sys; print(time.time())"],
                             capture_output=True, text=True, check=True).stdout
        times.append(float(out) - t0)
    return times


def bench_first_frame(cache: Path, runs: int) -> None:
    import sqlite3

    db = big_db(cache)
    size = os.path.getsize(db)
    print(f"\n(a) first frame of the article list, {N_ARTICLES:,} articles ({size / 1e6:,.0f} MB), 80x24 pty,"
          f" median of {runs} runs")
    base = python_baseline(runs)
    print(f"  python -c 'import sqlite3' process start                  {ms(statistics.median(base))}")
    minimal_runs = first_frame(None, runs, False, CHILD_MINIMAL)
    minimal = [r["first_frame"] for r in minimal_runs]
    print(f"  baseline: minimal Textual app (one Static)              first frame {ms(statistics.median(minimal))},"
          f" peak RSS {statistics.median(r['rss'] for r in minimal_runs) / 2**20:.0f} MiB")

    def mark_all_tagged(tagged: bool) -> None:
        """The database as after tagging everything (the article list reads no suggestions before its
        first page): the start-up question then has to answer no."""
        conn = sqlite3.connect(str(db))
        with conn:
            conn.execute("UPDATE documents SET tagged = ?", (1 if tagged else None,))
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # the app reads the file, not 1 GB of WAL
        conn.close()

    variants = (("untagged, tagging on (a child starts)", True, False), ("all tagged, tagging on", True, True),
                ("tagging off", False, False))
    for name, tag, tagged in variants:
        mark_all_tagged(tagged)
        try:
            res = first_frame(db, runs, tag)
        finally:
            mark_all_tagged(False)
        frames = [r["first_frame"] for r in res]
        rss = statistics.median(r["rss"] for r in res)
        spacy = sorted({r["spacy"] for r in res})
        print(f"  {name:<38} first frame {ms(statistics.median(frames))} (min {ms(min(frames))},"
              f" max {ms(max(frames))}; {statistics.median(frames) / statistics.median(minimal):.2f}x the minimal"
              f" app), peak RSS {rss / 2**20:.0f} MiB, rows shown {res[0]['rows']}, spacy in sys.modules: {spacy}")


# -- (b) keystrokes -------------------------------------------------------------------------------


def long_article_db(path: Path, chars: int = 50_000) -> str:
    from annotations.corpus import Article, bundled_seeds, import_articles, import_seeds
    from annotations.pretag import tag_documents
    from annotations.store import Store

    seeds = bundled_seeds()
    parts, total, i = [], 0, 0
    while total < chars:
        text = seeds[i % len(seeds)].text
        parts.append(text)
        total += len(text) + 2
        i += 1
    text = "\n\n".join(parts)[:chars]
    text = text[: text.rfind(" ")] + "."
    with Store(path) as store:
        import_seeds(store)
        import_articles(store, [Article(text=text, title="Artikel panjang (50.000 karakter)")])
        doc_id = store.find_document_by_text(text)
        tag_documents(store)
        assert store.suggestions(doc_id)
    return doc_id


async def key_latencies(db: Path, doc_id: str, keys: list[str]) -> tuple[list[tuple[float, float, float]], int]:
    """(key to frame, key handled, frame render) seconds for each key."""
    import tui.screens.annotate  # noqa: F401
    from textual import events
    from textual.screen import Screen

    from tui.app import TandaiApp

    app = TandaiApp(db, "bench", tag_on_start=False)
    frames: list[tuple[float, float]] = []
    original = Screen._compositor_refresh

    def spy(self):
        began = time.perf_counter()
        original(self)
        frames.append((began, time.perf_counter()))

    def idle() -> bool:
        return all(node._message_queue.empty() for node in (app, app.screen, *app.screen.walk_children()))

    Screen._compositor_refresh = spy
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            app.open_article(doc_id)
            await pilot.pause()
            await pilot.pause()
            if os.environ.get("BENCH_GC_FREEZE"):
                import gc

                gc.freeze()
            samples = []
            for key in keys:
                frames.clear()
                started = time.perf_counter()
                app.post_message(events.Key(key, key if len(key) == 1 else None))
                handled = None
                while True:
                    await asyncio.sleep(0)
                    if handled is None and idle():
                        handled = time.perf_counter()
                    if frames and handled is not None and idle():
                        began, ended = frames[-1]
                        samples.append((ended - started, handled - started, ended - began))
                        break
                    if time.perf_counter() - started > 5:
                        raise RuntimeError(f"no frame for key {key!r}")
                await asyncio.sleep(0)
            spans = len(app.store.spans(doc_id, "bench"))
    finally:
        Screen._compositor_refresh = original
    return samples, spans


def bench_keys(n: int, with_spacy: bool = False) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "long.db"
        # built in a child process: pre-tagging imports spaCy, whose million objects would then make the
        # garbage collector's full passes here ~100 ms (see --with-spacy); the app shows a tagged article
        # without spaCy in the process
        doc_id = subprocess.run([sys.executable, __file__, "--make-long", str(db)], capture_output=True, text=True,
                                check=True).stdout.strip()
        import tui.cli  # noqa: F401  (before Textual: its TEXTUAL_FPS=120 is what `tandai` runs the app with)

        if with_spacy:
            import spacy  # noqa: F401
            from annotations.pretag import load_model

            load_model(None)  # as when the app tagged in its own process (before the tagging child)
        from annotations.store import Store

        with Store(db) as store:
            doc = store.get_document(doc_id)
            print(f"\n(b) keystroke to repainted screen, in-process, 80x24, article of {len(doc.text):,} characters,"
                  f" {len(doc.tokens):,} tokens, {len(store.suggestions(doc_id)):,} suggestions")
        moves = (["l"] * 9 + ["j"]) * (n // 10)
        labels = []  # n writing keys: a digit on the next token, then u, ... (an l moves between them)
        for i in range(n):
            labels += ["l", str(1 + (i // 2) % 8)] if i % 2 == 0 else ["u"]
        print("  key->frame: from posting the Key event to the end of the compositor render that shows it;"
              f" it includes Textual's\n  frame pacing at TEXTUAL_FPS={os.environ.get('TEXTUAL_FPS', '60')} (a refresh is drawn on the next screen update tick)."
              " handled: until the app and every\n  widget have no message left (action, store write, re-wrap);"
              " render: the compositor refresh alone.")
        runs = [("cursor moves (l, j)", moves, lambda k: True)]
        runs.append(("labelling keys (digit and u together)", labels, lambda k: k != "l"))
        results = {}
        for name, keys, keep in runs:
            samples, _ = asyncio.run(key_latencies(db, doc_id, keys))
            results[name] = [(s, k) for s, k in zip(samples, keys) if keep(k)]
        results = {
            "cursor moves (l, j)": results["cursor moves (l, j)"],
            "labelling: digit + u (all)": results["labelling keys (digit and u together)"],
            "  of which digit on the next token": [x for x in results["labelling keys (digit and u together)"]
                                                   if x[1].isdigit()],
            "  of which u (undo that label)": [x for x in results["labelling keys (digit and u together)"]
                                               if x[1] == "u"],
        }
        for name, pairs in results.items():
            samples = [p[0] for p in pairs]
            frame, handled, render = ([s[i] for s in samples] for i in range(3))
            print(f"  {name:<36} n={len(samples):<4} key->frame median {ms(statistics.median(frame))}"
                  f" p99 {ms(pct(frame, 99))} | handled median {ms(statistics.median(handled))}"
                  f" p99 {ms(pct(handled, 99))} | render median {ms(statistics.median(render))}")


# -- (c) writes -----------------------------------------------------------------------------------


def bench_writes(n: int) -> None:
    import sqlite3

    from annotations.corpus import import_seeds
    from annotations.store import Store

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "w.db"
        with Store(path) as store:
            import_seeds(store)
            doc_id = store.document_ids()[0]
            doc = store.get_document(doc_id)
            tokens = doc.tokens
            store.ensure_annotator("bench")
            times = []
            for i in range(n):
                start, end = tokens[i % len(tokens)]
                t = time.perf_counter()
                store.add_span(doc_id, "bench", "entity", "PER", start, end)
                times.append(time.perf_counter() - t)
        conn = sqlite3.connect(str(path), isolation_level=None)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
        conn.execute("PRAGMA foreign_keys = ON")  # as the store has it
        # the spans table's own definition, keys and index included: the same row costs the same to store
        for (sql,) in conn.execute("SELECT sql FROM sqlite_master WHERE tbl_name = 'spans' AND sql IS NOT NULL"
                                   " ORDER BY type DESC").fetchall():  # the table before its index
            conn.execute(sql.replace("spans", "raw_spans", 1 if sql.startswith("CREATE TABLE") else 2))
        raw = []
        for i in range(n):
            start, end = tokens[i % len(tokens)]
            t = time.perf_counter()
            conn.execute("BEGIN IMMEDIATE")
            conn.execute("INSERT INTO raw_spans(doc_id, annotator, layer, label, start, end, text, attrs, origin,"
                         " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, '{}', '{}', ?, ?)",
                         (doc_id, "bench", "entity", "PER", start, end, doc.text[start:end], "now", "now"))
            conn.execute("COMMIT")
            raw.append(time.perf_counter() - t)
        conn.close()
    print(f"\n(c) annotation writes, {n:,} each, WAL + synchronous=NORMAL")
    print(f"  Store.add_span (transaction + journal)   median {ms(statistics.median(times), 3)}"
          f"  p99 {ms(pct(times, 99), 3)}")
    print(f"  raw sqlite3 INSERT + COMMIT (baseline)   median {ms(statistics.median(raw), 3)}"
          f"  p99 {ms(pct(raw, 99), 3)}")


# -- (d) accepting every suggestion, and undoing it -----------------------------------------------


def many_suggestions_db(path: Path, n: int) -> None:
    """One article of n + 1,000 words with a suggestion on each of its first n words."""
    from annotations.corpus import Article, import_articles
    from annotations.store import Store

    words = [f"Kata{i}" for i in range(n + 1000)]
    with Store(path) as store:
        import_articles(store, [Article(text=" ".join(words), title="Banyak saran")])
        (doc,) = store.document_ids()
        rows, start = [], 0
        for word in words[:n]:
            rows.append(("entity", "PER", start, start + len(word), None))
            start += len(word) + 1
        store.replace_suggestions("bench-model", {doc: rows})


async def accept_undo_times(db: Path, rounds: int) -> tuple[list[float], list[float]]:
    """Seconds from the Y (or u) key to the app being idle again, the article redrawn."""
    from tui.app import TandaiApp

    app = TandaiApp(db, "bench", tag_on_start=False)
    accept, undo = [], []
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        for _ in range(rounds):
            for key, times in (("Y", accept), ("u", undo)):
                started = time.perf_counter()
                await pilot.press(key)
                await pilot.pause()
                times.append(time.perf_counter() - started)
    return accept, undo


def bench_accept(n: int, rounds: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "many.db"
        many_suggestions_db(db, n)
        accept, undo = asyncio.run(accept_undo_times(db, rounds))
    print(f"\n(d) Y then u on an article with {n:,} suggestions, in-process (App.run_test, 80x24),"
          f" key to idle, {rounds} rounds")
    print(f"  Y (accept all)   median {ms(statistics.median(accept))}  max {ms(max(accept))}")
    print(f"  u (undo them)    median {ms(statistics.median(undo))}  max {ms(max(undo))}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--keys", type=int, default=500)
    parser.add_argument("--writes", type=int, default=1000)
    parser.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "tandai-bench")
    parser.add_argument("--only", choices=["first-frame", "keys", "writes", "accept"])
    parser.add_argument("--suggestions", type=int, default=5000, help="(d) suggestions in the article")
    parser.add_argument("--build-only", action="store_true", help="just build the cached 100,000-article database")
    parser.add_argument("--with-spacy", action="store_true",
                        help="(b) with spaCy and the rules pipeline loaded in the process, as after pre-tagging")
    parser.add_argument("--make-long", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.make_long:
        print(long_article_db(args.make_long))
        return
    if args.build_only:
        big_db(args.cache)
        return
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f}")
    if args.only in (None, "first-frame"):
        bench_first_frame(args.cache, args.runs)
    if args.only in (None, "keys"):
        bench_keys(args.keys, args.with_spacy)
    if args.only in (None, "writes"):
        bench_writes(args.writes)
    if args.only in (None, "accept"):
        bench_accept(args.suggestions, args.runs)


if __name__ == "__main__":
    main()
