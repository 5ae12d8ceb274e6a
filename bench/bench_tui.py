"""The annotator's speed and memory: first frame, keystroke to repainted screen, annotation writes.

    python bench/bench_tui.py [--runs 5] [--frame-rounds 15] [--checkout DIR]... [--keys 500] [--writes 1000] [--cache /tmp/tandai-bench]
                              [--only first-frame|memory|list-keys|keys|writes|accept|open] [--with-spacy]
                              [--suggestions 5000]

(a) First frame, from outside: the installed ``tandai --db DB`` runs on a
    pseudo-terminal of 80x24, and the figure is wall time from just before
    the parent starts it (so interpreter start-up and every import count) to
    the moment the article list's summary line reaches the terminal. The
    baseline is a minimal Textual app (one Static) started and timed the same
    way. Databases: the five seeds, tagged, and 100,000 articles (synthetic
    copies of the seeds, built once and cached), untagged (the app starts its
    tagging child after the frame) and all tagged. tandai's modules are
    byte-compiled first, as pip install leaves them.
    The machine is shared, so wall time swings with other programs' load:
    one untimed round first (page cache, byte-code), then rounds of one run of
    each program in a shuffled order; each run's ratio is taken against the
    minimal app's run of the same round (a change in load hits both), and the
    figure is the median of those ratios, with the middle half of them (25th
    to 75th percentile) as its spread. Beside wall time, the CPU time the
    program used up to that frame (every thread's, from /proc/PID/task/*/
    schedstat, read with the program stopped the moment its frame is seen):
    what it costs, whatever else runs. ``--checkout DIR`` times the tandai of
    another checkout too (``python -m tui`` run in DIR, e.g. an export of main
    before a change with its compiled tokenizer copied in; give this checkout
    as well to compare the two started alike), in the same rounds.

(e) Memory, from outside: VmRSS and VmHWM (/proc/PID/status) of the
    installed tandai 10 s after it started, on the 100,000-article database
    (untagged: its tagging child runs meanwhile; and all tagged) and with a
    1 MB article open (moved to its end and back), against the minimal app
    (and ``--checkout DIR``'s tandai, as in (a)).

(f) Keys on the 100,000-article list, from outside: a filter key (/ then a
    word typed a letter at a time, until the list shows its matches), enter
    (until the article's header is drawn) and q (until the list is back).
    The words (FILTER_WORDS) come from the corpus's titles and text, and most
    of their keys change the list's first rows: each key is counted as one
    that changes them or keeps them (asked of the store, as the list asks),
    and each group's median, 90th percentile and maximum are printed.

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

(d) Y, u and opening big articles, from outside (--only accept or open): the
    installed tandai on an 80x24 pty, on an article with 5,000 suggestions
    (--suggestions) and a 1 MB article; each key timed from writing it to the
    terminal until its result (the article's legend, the status message)
    reaches the terminal, beside the minimal app's first frame and, as the
    floor of a key's round trip in the same app and session, e and a (they
    only make another layer active: the legend line is drawn again); and for
    each key the CPU time the app used from the key to its result (as in (a):
    what the key costs, however loaded the machine). ``--checkout DIR``'s
    tandai runs its own session beside it, on its own copy of the database,
    the rounds interleaved. Not
    escape: a terminal sends it as the first byte of other keys, so Textual
    waits ~0.1 s for more before taking it as escape.

No assertions on time: this prints figures.
"""
from __future__ import annotations

import argparse
import asyncio
import contextlib
import fcntl
import os
import pty
import random
import select
import shutil
import signal
import sqlite3
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

from synthetic import cached_db, synthetic_raw  # noqa: E402

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
    return cached_db(cache, f"tui-{n}", lambda path: _build_big_db(path, n))


def _build_big_db(path: Path, n: int) -> None:
    from annotations.actors import seed_actors
    from annotations.corpus import import_articles, parse_txt
    from annotations.store import Store

    started = time.perf_counter()
    print(f"building a {n:,}-article database in {path} (once) ...", flush=True)
    with Store(path) as store:
        seed_actors(store)
        chunk = 5_000
        for first in range(0, n, chunk):
            size = min(chunk, n - first)
            articles = [parse_txt(raw, f"synthetic/{first + i}.txt")
                        for i, raw in enumerate(synthetic_raw(size, start=first))]
            import_articles(store, articles)
        assert store.count_documents() == n
        store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    print(f"  built in {time.perf_counter() - started:.0f}s", flush=True)


# The baseline: the smallest Textual app there is (one Static), started as a Python script the way the
# ``tandai`` console script starts.
MINIMAL_APP = r"""
from textual.app import App
from textual.widgets import Static

class Minimal(App):
    def compose(self):
        yield Static("minimal app ready")

Minimal().run()
"""
MINIMAL_MARK = b"minimal app ready"
LIST_MARK = b"showing: all"  # the article list's summary line


class PtyApp:
    """A program on an 80x24 pseudo-terminal, watched only from outside: when text reaches the terminal
    (key to frame), and its resident memory from /proc. Ends its whole process group (the app's
    tagging child too) on close."""

    def __init__(self, argv: list[str], env: dict[str, str], cwd: Path | None = None):
        self.master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
        self.output = bytearray()
        self.started = time.perf_counter()
        self.proc = subprocess.Popen(argv, stdin=slave, stdout=slave, stderr=slave, env=env, close_fds=True,
                                     start_new_session=True, cwd=cwd)
        os.close(slave)

    def _read(self, wait: float) -> None:
        ready, _, _ = select.select([self.master], [], [], wait)
        if ready:
            try:
                self.output += os.read(self.master, 1 << 20)
            except OSError:  # the child is gone
                raise RuntimeError("the app ended:\n" + self.output.decode(errors="replace")[-2000:]) from None

    def wait_for(self, mark: bytes, since: int = 0, timeout: float = 60) -> float:
        """perf_counter time at which ``mark`` had reached the terminal (after output position ``since``)."""
        deadline = time.perf_counter() + timeout
        while self.output.find(mark, since) < 0:
            if time.perf_counter() > deadline:
                raise RuntimeError(f"{mark!r} never shown:\n" + self.output.decode(errors="replace")[-2000:])
            self._read(0.05)
        return time.perf_counter()

    def cpu_seconds(self) -> float:
        """CPU time the program has used so far, every live thread's (schedstat: nanoseconds on a CPU)."""
        total = 0
        for task in Path(f"/proc/{self.proc.pid}/task").iterdir():
            with contextlib.suppress(FileNotFoundError):  # a thread that ended meanwhile
                total += int((task / "schedstat").read_text().split()[0])
        return total / 1e9

    def stop(self) -> None:
        """Stop the program where it is (its CPU time then stays as it was when this was called)."""
        os.killpg(self.proc.pid, signal.SIGSTOP)

    def drain(self, seconds: float) -> None:
        """Read what the app draws for ``seconds`` (a terminal that stops reading would block it)."""
        end = time.perf_counter() + seconds
        while (left := end - time.perf_counter()) > 0:
            self._read(min(left, 0.05))

    def key_to_frame(self, key: bytes, mark: bytes, settle: float = 0.3) -> float:
        """Seconds from writing ``key`` to the terminal until ``mark`` is drawn; then the app settles."""
        since = len(self.output)
        sent = time.perf_counter()
        os.write(self.master, key)
        shown = self.wait_for(mark, since)
        self.drain(settle)
        return shown - sent

    def key_cost(self, key: bytes, mark: bytes, settle: float = 0.3) -> tuple[float, float]:
        """``key_to_frame``'s seconds, and the CPU seconds the program used meanwhile (every thread's, read
        the moment ``mark`` is seen): what the key costs, whatever else runs on the machine."""
        before = self.cpu_seconds()
        since = len(self.output)
        sent = time.perf_counter()
        os.write(self.master, key)
        shown = self.wait_for(mark, since)
        used = self.cpu_seconds() - before
        self.drain(settle)
        return shown - sent, used

    def press(self, key: bytes, settle: float = 0.3) -> None:
        os.write(self.master, key)
        self.drain(settle)

    def memory(self) -> tuple[int, int]:
        """(VmRSS, VmHWM) in bytes: resident now, and at most so far."""
        fields = dict(line.split(":", 1) for line in Path(f"/proc/{self.proc.pid}/status").read_text().splitlines())
        return tuple(int(fields[name].split()[0]) * 1024 for name in ("VmRSS", "VmHWM"))

    def close(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait()
        os.close(self.master)


def app_env(tmp: str) -> dict[str, str]:
    return {**os.environ, "TERM": "xterm-256color", "COLORTERM": "truecolor", "TANDAI_ANNOTATOR": "bench",
            "TANDAI_CONFIG": str(Path(tmp) / "none.toml")}


def tandai_argv(db: Path) -> list[str]:
    """The installed ``tandai`` command, as a user runs it."""
    return [shutil.which("tandai") or "tandai", "--db", str(db)]


MINIMAL_ARGV = [sys.executable, "-c", MINIMAL_APP]


def up_to_date(path: Path) -> Path:
    """``path`` opened once by this build's Store: a cached database from an older schema is migrated
    here, not in a timed run."""
    from annotations.store import Store

    Store(path).close()
    return path


def compile_tandai(*checkouts: Path) -> None:
    """Byte-compile tandai's modules (this checkout's and ``checkouts``'), as ``pip install`` does (textual's
    are, in site-packages): with PYTHONDONTWRITEBYTECODE set, an editable install would otherwise compile
    them on every start."""
    folders = [folder / package for folder in (ROOT, *checkouts) for package in ("annotations", "tui")]
    subprocess.run([sys.executable, "-m", "compileall", "-q", *map(str, folders)], check=True)


def checkout_argv(db: Path) -> list[str]:
    """The tandai of another checkout (``--checkout DIR``): ``python -m tui`` run in DIR (e.g. an export of
    main before a change, with its compiled tokenizer copied in), timed in the same run as this one."""
    return [sys.executable, "-m", "tui", "--db", str(db)]


def first_frames(argv: list[str], mark: bytes, runs: int) -> list[float]:
    """Seconds from starting the program to ``mark`` on its terminal (interpreter start-up and every
    import count), one per run."""
    return [first_frame(argv, mark)[0] for _ in range(runs)]


def first_frame(argv: list[str], mark: bytes, cwd: Path | None = None) -> tuple[float, float]:
    """(wall seconds from starting the program to ``mark`` on its terminal, CPU seconds it used until then)."""
    with tempfile.TemporaryDirectory() as tmp:
        app = PtyApp(argv, app_env(tmp), cwd)
        try:
            shown = app.wait_for(mark) - app.started
            app.stop()
            return shown, app.cpu_seconds()
        finally:
            app.close()


SUGGESTED = 1_000  # articles of the tagged copy with suggestions: the list's first rows, and more


def tagged_copy(cache: Path, db: Path) -> Path:
    """A copy of ``db`` with every article marked tagged (as after ``tandai tag``) and the first SUGGESTED
    (in list order) with a suggestion on every 5th token, about as many as the rules find on the seeds:
    the list counts its rows' open suggestions. (A copy marked tagged alone, as before, had none to
    count, and ``db`` itself gets some for its first rows from the tagging child of (e) and (f).)
    Made once: marking 100,000 rows rewrites the whole table, too slow to do between runs."""
    from annotations.store import Store

    path = cache / f"{db.stem}-tagged-{SUGGESTED}.db"
    done = cache / f"{db.stem}-tagged-{SUGGESTED}.ok"
    if not (path.exists() and done.exists()):
        with contextlib.closing(sqlite3.connect(str(db))) as src, contextlib.closing(sqlite3.connect(str(path))) as dst:
            src.backup(dst)
        with Store(path) as store:
            with store.transaction():
                store.conn.execute("DELETE FROM verdicts")
                store.conn.execute("DELETE FROM suggestions")
            first = [row[0] for row in store.conn.execute("SELECT id FROM documents ORDER BY seq LIMIT ?",
                                                          (SUGGESTED,))]
            store.replace_suggestions("bench-model", {doc_id: [("entity", "PER", start, end, None) for start, end
                                                               in store.get_document(doc_id).tokens[::5]]
                                                      for doc_id in first})
            with store.transaction():
                store.conn.execute("UPDATE documents SET tagged = 1")
            store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # the app reads the file, not 1 GB of WAL
        done.write_text("ok")
    return path


def seeds_db(cache: Path) -> Path:
    """The five bundled seeds, pre-tagged (what a fresh ``tandai`` makes and then tags)."""
    path = cache / "seeds.db"
    done = cache / "seeds.ok"
    if not (path.exists() and done.exists()):
        subprocess.run([sys.executable, "-c", "from annotations.corpus import import_seeds;"
                        " from annotations.pretag import tag_documents; from annotations.store import Store;"
                        f" s = Store({str(path)!r}); import_seeds(s); tag_documents(s); s.close()"],
                       check=True, cwd=ROOT)
        done.write_text("ok")
    return path


def quartiles(values: list[float]) -> tuple[float, float, float]:
    """(25th percentile, median, 75th percentile)."""
    q1, q2, q3 = statistics.quantiles(values, n=4, method="inclusive")
    return q1, q2, q3


def bench_first_frame(cache: Path, runs: int, checkouts: list[Path] = ()) -> None:
    compile_tandai(*checkouts)
    db = up_to_date(big_db(cache))
    untagged_again(db)  # (a) stops its programs at their first frame, before a tagging child stores anything
    seeds = up_to_date(seeds_db(cache))
    tagged = up_to_date(tagged_copy(cache, db))
    minimal = "minimal Textual app (one Static)"
    variants = {minimal: (MINIMAL_ARGV, MINIMAL_MARK, None)}
    for who, argv, cwd in [("tandai", tandai_argv, None),
                           *((f"{folder.name}/", checkout_argv, folder.resolve()) for folder in checkouts)]:
        variants[f"{who}, the five seeds (tagged)"] = (argv(seeds), LIST_MARK, cwd)
        variants[f"{who}, {N_ARTICLES // 1000}k articles untagged (tagger starts)"] = (argv(db), LIST_MARK, cwd)
        variants[f"{who}, {N_ARTICLES // 1000}k articles all tagged"] = (argv(tagged), LIST_MARK, cwd)
    print(f"\n(a) first frame, from starting the program to its first frame on an 80x24 pty: the installed"
          f" `tandai --db DB`\n  against a minimal Textual app (one Static); {runs} rounds after an untimed one,"
          f" each round one run of each in a shuffled order.\n  ratio: each run against the minimal app's in the"
          f" same round, median [25th-75th percentile]; load average {os.getloadavg()[0]:.2f}")
    for variant in variants.values():  # untimed: page cache, byte-code, the first fork of a big binary
        first_frame(*variant)
    order = random.Random(14)
    wall: dict[str, list[float]] = {name: [] for name in variants}
    cpu: dict[str, list[float]] = {name: [] for name in variants}
    for _ in range(runs):
        names = list(variants)
        order.shuffle(names)
        for name in names:
            shown, used = first_frame(*variants[name])
            wall[name].append(shown)
            cpu[name].append(used)
    width = max(map(len, variants))
    print(f"  {'':<{width}} {'wall: median [IQR]':>24} {'ratio [IQR]':>19} | {'CPU: median':>12} {'ratio [IQR]':>19}")
    for name in variants:
        ratios = [w / b for w, b in zip(wall[name], wall[minimal])]
        cpu_ratios = [c / b for c, b in zip(cpu[name], cpu[minimal])]
        w1, w2, w3 = quartiles(wall[name])
        r1, r2, r3 = quartiles(ratios)
        c1, c2, c3 = quartiles(cpu_ratios)
        print(f"  {name:<{width}} {w2 * 1000:8.0f} ms [{w1 * 1000:4.0f}-{w3 * 1000:4.0f}]"
              f"  {r2:5.2f}x [{r1:.2f}-{r3:.2f}] | {statistics.median(cpu[name]) * 1000:9.0f} ms"
              f"  {c2:5.2f}x [{c1:.2f}-{c3:.2f}]")
    print(f"  load average at the end {os.getloadavg()[0]:.2f}")


# -- (e) memory, (f) list keys: from outside -----------------------------------------------------

ARTICLE_MARK = b"bench \xc2\xb7 "  # the header's "annotator · status · title": an article is open
FILTER_MARK = b"filter: words"  # the filter box's placeholder


def megabyte_db(cache: Path, chars: int = 1_000_000) -> Path:
    """A 1 MB article (the seeds' text repeated), first in the list, then the seeds; all pre-tagged
    (in a child process: spaCy stays out of this one). Built once."""
    path = cache / "megabyte.db"
    done = cache / "megabyte.ok"
    if not (path.exists() and done.exists()):
        subprocess.run([sys.executable, "-c", f"""
from annotations.corpus import Article, bundled_seeds, import_articles, import_seeds
from annotations.pretag import tag_documents
from annotations.store import Store
seeds = [s.text for s in bundled_seeds()]
text = ""
while len(text) < {chars}:
    text += seeds[len(text) % len(seeds)] + "\\n\\n"
text = text[:{chars}]
text = text[: text.rfind(" ")] + "."
with Store({str(path)!r}) as store:
    import_articles(store, [Article(text=text, title="Artikel satu megabita")])
    import_seeds(store)
    tag_documents(store)
"""], check=True, cwd=ROOT)
        done.write_text("ok")
    return path


def sample_memory(app: PtyApp, until: float) -> tuple[int, int]:
    """(VmRSS at ``until``, the most resident it ever was), reading /proc every 0.2 s meanwhile."""
    while time.perf_counter() < until:
        app.drain(min(0.2, max(0.0, until - time.perf_counter())))
    return app.memory()


def from_the_list(db: Path) -> None:
    """The bench annotator starts on the list (a run killed in an article would reopen it next time)."""
    with contextlib.closing(sqlite3.connect(str(db))) as conn, conn:
        conn.execute("UPDATE annotators SET last_doc = NULL WHERE name = 'bench'")


def untagged_again(db: Path) -> None:
    """The untagged database as built: what a run's tagging child stored is taken out again (run after
    run, the list would otherwise count suggestions on more and more of its first rows)."""
    with contextlib.closing(sqlite3.connect(str(db))) as conn, conn:
        conn.execute("UPDATE documents SET tagged = NULL WHERE id IN (SELECT DISTINCT doc_id FROM suggestions)")
        conn.execute("DELETE FROM suggestions")


def memory_after(argv: list[str], mark: bytes, keys: list[tuple[bytes, bytes | None]] = (),
                 seconds: float = 10, cwd: Path | None = None) -> tuple[int, int]:
    """Resident memory ``seconds`` after the program started (after ``keys``, each awaited by its mark,
    or given a moment)."""
    if argv is not MINIMAL_ARGV:
        from_the_list(Path(argv[-1]))
    with tempfile.TemporaryDirectory() as tmp:
        app = PtyApp(argv, app_env(tmp), cwd)
        try:
            app.wait_for(mark)
            for key, shown in keys:
                if shown:
                    app.key_to_frame(key, shown)
                else:
                    app.press(key, settle=1)
            return sample_memory(app, app.started + seconds)
        finally:
            app.close()


def bench_memory(cache: Path, runs: int, checkouts: list[Path] = ()) -> None:
    compile_tandai(*checkouts)
    db, big_article = up_to_date(big_db(cache)), up_to_date(megabyte_db(cache))
    untagged_again(db)
    print(f"\n(e) resident memory of the process 10 s after it started (VmRSS, and VmHWM: the most it ever was),"
          f" from /proc, 80x24 pty, median of {runs}, runs interleaved")
    open_and_move = [(b"\r", ARTICLE_MARK), (b"G", None), (b"g", None)]
    tagged = up_to_date(tagged_copy(cache, db))
    minimal = "minimal Textual app (one Static)"
    variants = {minimal: (MINIMAL_ARGV, MINIMAL_MARK, [], None)}
    for who, argv, cwd in [("tandai", tandai_argv, None),
                           *((f"{folder.name}/", checkout_argv, folder.resolve()) for folder in checkouts)]:
        variants[f"{who}, {N_ARTICLES // 1000}k articles untagged (tagger child runs)"] = (argv(db), LIST_MARK, [], cwd)
        variants[f"{who}, {N_ARTICLES // 1000}k articles all tagged"] = (argv(tagged), LIST_MARK, [], cwd)
        variants[f"{who}, a 1 MB article open (to its end and back)"] = (argv(big_article), LIST_MARK, open_and_move,
                                                                         cwd)
    found: dict[str, list[tuple[int, int]]] = {name: [] for name in variants}
    for _ in range(runs):
        for name, (argv, mark, keys, cwd) in variants.items():
            found[name].append(memory_after(argv, mark, keys, cwd=cwd))
            untagged_again(db)
    base_rss = statistics.median(r for r, _ in found[minimal])
    base_hwm = statistics.median(h for _, h in found[minimal])
    width = max(map(len, variants))
    for name, values in found.items():
        rss, hwm = statistics.median(r for r, _ in values), statistics.median(h for _, h in values)
        print(f"  {name:<{width}} VmRSS {rss / 2**20:5.1f} MiB ({rss / base_rss:.2f}x), VmHWM {hwm / 2**20:5.1f} MiB"
              f" ({hwm / base_hwm:.2f}x the minimal app)")


# Words of the synthetic corpus's titles and text, and numbers of its copies (their closing line): typed a letter
# at a time, 20 of their 32 keys change the list's first rows. (The copies of five seeds share most words, so
# most letters of a word keep the matches its first letters found; a number narrows them at every key.)
FILTER_WORDS = ("turun", "ganja", "4242", "sepakati", "31337", "makin")


def first_rows_change(db: Path, words: tuple[str, ...]) -> list[bool]:
    """For each key typed (each word from an empty filter), whether the list's first rows (a chunk, as the
    article list reads them) differ from those before the key."""
    from annotations.store import Store
    from tui.screens.library import CHUNK

    with Store(db, readonly=True) as store:
        def first(words: str) -> list[str]:
            return [row.id for row in store.list_documents("bench", query=words or None, limit=CHUNK)]

        changes = []
        for word in words:
            for n in range(1, len(word) + 1):
                changes.append(first(word[:n]) != first(word[:n - 1]))
    return changes


def spread(values: list[float]) -> str:
    if not values:
        return "n=0"
    return (f"n={len(values):<3} median {ms(statistics.median(values))}  p90 {ms(pct(values, 90))}"
            f"  max {ms(max(values))}")


def bench_list_keys(cache: Path, runs: int) -> None:
    """Key to frame from outside: a filter key (the list shows the matches) and enter (the article is
    shown), on the 100,000-article database, beside the minimal app's first frame for scale."""
    compile_tandai()
    db = up_to_date(tagged_copy(cache, big_db(cache)))
    words = FILTER_WORDS
    changes = first_rows_change(db, words)
    filter_keys, opens, backs = [], [], []
    with tempfile.TemporaryDirectory() as tmp:
        for _ in range(runs):
            app = PtyApp(tandai_argv(db), app_env(tmp))
            try:
                app.wait_for(LIST_MARK)
                app.drain(1)
                for word in words:
                    app.key_to_frame(b"/", FILTER_MARK)
                    for n in range(1, len(word) + 1):
                        filter_keys.append(app.key_to_frame(word[n - 1].encode(),
                                                            f"matching \u201c{word[:n]}\u201d".encode()))
                    app.key_to_frame(b"\x1b", LIST_MARK)
                    app.drain(0.5)
                for _ in range(3):
                    opens.append(app.key_to_frame(b"\r", ARTICLE_MARK, settle=0.5))
                    backs.append(app.key_to_frame(b"q", LIST_MARK, settle=0.5))
                    app.press(b"j")  # the next article
            finally:
                app.close()
    print(f"\n(f) keys on the article list of {N_ARTICLES:,} articles (all tagged), from outside: key written to the"
          f" pty until its frame is drawn, {runs} session(s); filter words {', '.join(words)}, of whose keys"
          f" {sum(changes)} of {len(changes)} change the first rows")
    changed = [t for i, t in enumerate(filter_keys) if changes[i % len(changes)]]
    kept = [t for i, t in enumerate(filter_keys) if not changes[i % len(changes)]]
    for name, values in (("filter key, every one", filter_keys), ("filter key that changes the first rows", changed),
                         ("filter key that keeps them", kept),
                         ("enter: the article shown", opens), ("q: back to the list", backs)):
        print(f"  {name:<40} {spread(values)}")


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


# -- (d) accepting every suggestion and undoing it, opening a large article: from outside ------


def many_suggestions_db(path: Path, n: int, every: int = 25) -> None:
    """One article of n + 1,000 words with a suggestion on each of its first n words; then a 1 MB article
    (the seeds' text repeated) with a suggestion on every ``every``th token (5: about as many as the
    rules find on it, 30,000)."""
    from annotations.corpus import Article, bundled_seeds, import_articles
    from annotations.store import Store

    words = [f"Kata{i}" for i in range(n + 1000)]
    seeds = [seed.text for seed in bundled_seeds()]
    long_text = "\n\n".join(seeds * (1_000_000 // sum(len(t) + 2 for t in seeds) + 1))[:1_000_000]
    with Store(path) as store:
        import_articles(store, [Article(text=" ".join(words), title="Banyak saran")])
        import_articles(store, [Article(text=long_text[: long_text.rfind(" ")], title="Artikel 1 MB")])
        many, long = store.document_ids()
        rows, start = [], 0
        for word in words[:n]:
            rows.append(("entity", "PER", start, start + len(word), None))
            start += len(word) + 1
        tokens = store.get_document(long).tokens
        store.replace_suggestions("bench-model", {many: rows, long: [("entity", "PER", a, b, None)
                                                                     for a, b in tokens[::every]]})


def bench_accept_open(n: int, rounds: int, checkouts: list[Path] = ()) -> None:
    """The installed tandai (and ``--checkout DIR``'s, each on its own copy of the database, its rounds
    interleaved with the others') on an 80x24 pty: each key timed from writing it to the terminal until
    what it did is drawn (the article's legend, the status line's message), beside the minimal app."""
    from annotations.store import Store

    compile_tandai(*checkouts)
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "many.db"
        many_suggestions_db(db, n)
        with Store(db) as store:
            sizes = [(len(d.text), len(d.tokens), len(store.suggestions(d.id)))
                     for d in map(store.get_document, store.document_ids())]
        minimal = first_frames(MINIMAL_ARGV, MINIMAL_MARK, rounds)
        programs = {"tandai": (tandai_argv, None), **{f"{folder.name}/": (checkout_argv, folder.resolve())
                                                      for folder in checkouts}}
        apps: dict[str, PtyApp] = {}
        keys = ("open many", "Y", "u", "e, a", "open long")
        costs = {name: {key: [] for key in keys} for name in programs}  # (wall, CPU) seconds of each key
        try:
            for i, (name, (argv, cwd)) in enumerate(programs.items()):
                copy = Path(tmp) / f"copy{i}.db"
                with contextlib.closing(sqlite3.connect(str(db))) as source, \
                        contextlib.closing(sqlite3.connect(str(copy))) as target:
                    source.backup(target)  # SQLite copies it: nothing else opens the database files
                apps[name] = PtyApp(argv(copy), app_env(tmp), cwd)
            for app in apps.values():
                app.wait_for(LIST_MARK)
                app.drain(0.5)
            order = random.Random(14)
            for _ in range(rounds):
                names = list(apps)
                order.shuffle(names)
                for name in names:
                    app, cost = apps[name], costs[name]
                    cost["open many"].append(app.key_cost(b"\r", b"a:entity"))
                    cost["Y"].append(app.key_cost(b"Y", f"accepted {n} suggestion".encode()))
                    cost["u"].append(app.key_cost(b"u", b"undid accept_all"))
                    cost["e, a"].append(app.key_cost(b"e", b"ATTACK"))  # the event layer's labels in the legend
                    cost["e, a"].append(app.key_cost(b"a", b"GPE"))  # and the entity layer's again
                    app.key_to_frame(b"q", LIST_MARK)
                    app.key_to_frame(b"j", b"Artikel 1 MB")
                    cost["open long"].append(app.key_cost(b"\r", b"a:entity"))
                    app.key_to_frame(b"q", LIST_MARK)
                    app.key_to_frame(b"k", b"Banyak saran")
        finally:
            for app in apps.values():
                app.close()
    base = statistics.median(minimal)
    print(f"\n(d) from outside: the installed tandai on an 80x24 pty, key written to its result on the terminal,"
          f" median of {rounds}, rounds interleaved; load average {os.getloadavg()[0]:.2f}")
    print(f"  baseline: minimal Textual app's first frame        {ms(base)}")
    (_, _, many_sugs), (long_chars, long_tokens, long_sugs) = sizes
    names = {"open many": f"enter: open the article with {many_sugs:,} suggestions",
             "Y": f"Y: accept all {many_sugs:,}", "u": "u: undo that",
             "e, a": "e, a: another layer's legend, a key's round trip (the floor)",
             "open long": f"enter: open a {long_chars / 1e6:.1f} MB article ({long_tokens:,} tokens,"
                          f" {long_sugs:,} suggestions)"}
    for program, cost in costs.items():
        print(f"  {program}")
        for key, name in names.items():
            wall, cpu = [w for w, _ in cost[key]], [c for _, c in cost[key]]
            print(f"    {name:<70} median {ms(statistics.median(wall))}  max {ms(max(wall))}"
                  f"  ({statistics.median(wall) / base:.2f}x the baseline)  CPU {ms(statistics.median(cpu))}")
    if len(costs) > 1:
        first, *others = costs
        for other in others:
            ratios = ", ".join(f"{key} {statistics.median(w for w, _ in costs[first][key]) / statistics.median(w for w, _ in costs[other][key]):.2f}x"
                               f" (CPU {statistics.median(c for _, c in costs[first][key]) / statistics.median(c for _, c in costs[other][key]):.2f}x)"
                               for key in keys)
            print(f"  {first} against {other}, wall medians: {ratios}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--checkout", type=Path, action="append", default=[],
                        help="(a), (e), (d): also the tandai of this checkout (python -m tui there); repeatable")
    parser.add_argument("--frame-rounds", type=int, default=15,
                        help="(a) rounds of first frames (one run of each program a round)")
    parser.add_argument("--keys", type=int, default=500)
    parser.add_argument("--writes", type=int, default=1000)
    parser.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "tandai-bench",
                        help="where the built databases are kept between runs")
    parser.add_argument("--only", choices=["first-frame", "memory", "list-keys", "keys", "writes", "accept", "open"],
                        help="accept and open: Y, u and opening large articles, from outside (one session)")
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
        bench_first_frame(args.cache, args.frame_rounds, args.checkout)
    if args.only in (None, "memory"):
        bench_memory(args.cache, args.runs, args.checkout)
    if args.only in (None, "list-keys"):
        bench_list_keys(args.cache, max(1, args.runs // 2))
    if args.only in (None, "keys"):
        bench_keys(args.keys, args.with_spacy)
    if args.only in (None, "writes"):
        bench_writes(args.writes)
    if args.only in (None, "accept", "open"):
        bench_accept_open(args.suggestions, args.runs, args.checkout)


if __name__ == "__main__":
    main()
