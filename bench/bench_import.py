"""Import speed: seed-sized raw pages read, cleaned, tokenized and stored, against a plain sqlite3 executemany.

    python bench/bench_import.py [--n 10000] [--runs 3]
    python bench/bench_import.py --jsonl-memory 20000,100000

The second form prints the peak resident memory of ``tandai import FILE.jsonl``
(the largest process of the command, measured from outside) for each size.

Each run uses a fresh database. Figures are medians over the runs. The
command-line figure runs the installed ``tandai import DIR`` as a user would,
interpreter start included.
"""
from __future__ import annotations

import argparse
import json
import multiprocessing
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synthetic import write_jsonl_corpus, write_txt_corpus  # noqa: E402

from annotations.corpus import decode, document_row, import_paths, parse_txt  # noqa: E402
from annotations.store import Store  # noqa: E402
from annotations.tokens import compiled  # noqa: E402

COLUMNS = ("id", "title", "text", "raw", "source", "url", "published", "lang", "meta", "tokens", "seq", "added_at")


def fresh_db(folder: Path, name: str) -> Path:
    path = folder / name
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    return path


def library_import(path: Path, db: Path, n: int) -> float:
    """Seconds for read + clean + tokenize + store through the library, exactly as `tandai import PATH` does."""
    started = time.perf_counter()
    with Store(db) as store:
        added, _ = import_paths(store, [str(path)])
    assert added == n, added
    return time.perf_counter() - started


def command_line(folder: Path, db: Path, n: int) -> float:
    """Seconds for the installed ``tandai import DIR`` into a fresh database, start-up included."""
    started = time.perf_counter()
    # The script beside this interpreter: a version manager's shim (pyenv) would add its own start-up.
    script = Path(sys.executable).with_name("tandai")
    out = subprocess.run([str(script) if script.exists() else shutil.which("tandai") or "tandai",
                          "--db", str(db), "import", str(folder)],
                         check=True, capture_output=True, text=True).stdout
    assert out.startswith(f"{n} article(s) added"), out
    return time.perf_counter() - started


def plain_executemany(rows: list[tuple], db: Path, fts: bool) -> float:
    """The same prepared rows through sqlite3 executemany, into the store's own tables (or a bare copy)."""
    if fts:
        Store(db).close()  # the identical schema
    conn = sqlite3.connect(str(db), isolation_level=None)
    if not fts:
        conn.execute("PRAGMA journal_mode = wal")
        conn.execute(
            "CREATE TABLE documents (id TEXT PRIMARY KEY, title TEXT NOT NULL, text TEXT NOT NULL, raw TEXT,"
            " source TEXT, url TEXT, published TEXT, lang TEXT NOT NULL DEFAULT 'id', meta TEXT NOT NULL DEFAULT '{}',"
            " tokens TEXT NOT NULL, seq INTEGER NOT NULL, added_at TEXT NOT NULL)")
    conn.execute("PRAGMA synchronous = NORMAL")
    started = time.perf_counter()
    conn.execute("BEGIN IMMEDIATE")
    conn.executemany(f"INSERT OR IGNORE INTO documents ({', '.join(COLUMNS)}) VALUES ({', '.join('?' * len(COLUMNS))})",
                     rows)
    if fts:  # the search index, built the way the store builds it
        conn.execute("INSERT INTO documents_fts(rowid, title, text) SELECT rowid, title, text FROM documents")
    conn.execute("COMMIT")
    elapsed = time.perf_counter() - started
    conn.close()
    return elapsed


def store_only(dict_rows: list[dict], db: Path) -> float:
    """Prepared rows (already cleaned and tokenized) through Store.add_documents."""
    with Store(db) as store:
        started = time.perf_counter()
        store.add_documents(iter(dict_rows))
        return time.perf_counter() - started


PEAK = r"""
import resource, subprocess, sys
with open(sys.argv[1], "rb") as stdin:
    subprocess.run(sys.argv[2:], stdin=stdin, check=True, capture_output=True)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024)
"""


def as_prodigy(source: Path, target: Path) -> Path:
    """The JSONL corpus as accepted Prodigy tasks, each with a span on its first word."""
    with open(source, encoding="utf-8") as src, open(target, "w", encoding="utf-8") as out:
        for line in src:
            record = json.loads(line)
            first = record["text"].split(" ", 1)[0]
            record.update(answer="accept", spans=[{"start": 0, "end": len(first), "label": "GPE"}])
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    return target


MEMORY_KINDS = ("file", "stdin", "prodigy")


def import_memory(sizes: list[int], kinds: tuple[str, ...] = MEMORY_KINDS) -> None:
    """Peak RSS of the installed ``tandai import`` of each size: a JSONL file, the same on standard input,
    and as Prodigy tasks (a fresh watcher and database each)."""
    script = Path(sys.executable).with_name("tandai")
    tandai = str(script) if script.exists() else shutil.which("tandai") or "tandai"
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        for n in sizes:
            source = write_jsonl_corpus(tmp / f"{n}.jsonl", n)
            prodigy = as_prodigy(source, tmp / f"{n}.prodigy.jsonl") if "prodigy" in kinds else source
            runs = {"file": ("JSONL file", "/dev/null", ["import", str(source)]),
                    "stdin": ("JSONL on stdin", str(source), ["import", "-"]),
                    "prodigy": ("Prodigy file", "/dev/null", ["import", "--format", "prodigy", "--as", "bench",
                                                              str(prodigy)])}
            for what, stdin, args in (runs[kind] for kind in kinds):
                started = time.perf_counter()
                db = fresh_db(tmp, f"{n}-{len(what)}.db")
                peak = subprocess.run([sys.executable, "-c", PEAK, stdin, tandai, "--db", str(db), *args],
                                      check=True, capture_output=True, text=True).stdout
                print(f"tandai import, {n:,} articles, {what} ({source.stat().st_size / 1e6:.0f} MB):"
                      f" peak RSS {int(peak)} MiB, {time.perf_counter() - started:.0f}s", flush=True)
                fresh_db(tmp, db.name)
            source.unlink()
            prodigy.unlink(missing_ok=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--memory", "--jsonl-memory", metavar="N,N,...",
                        help="peak memory of JSONL (file, stdin) and Prodigy imports of these sizes")
    parser.add_argument("--memory-of", default=",".join(MEMORY_KINDS),
                        help=f"with --memory: which imports ({', '.join(MEMORY_KINDS)})")
    args = parser.parse_args()
    if args.memory:
        import_memory([int(n) for n in args.memory.split(",")], tuple(args.memory_of.split(",")))
        return
    n = args.n
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        files = sorted(write_txt_corpus(tmp / "txt", n).glob("*.txt"))
        size = sum(p.stat().st_size for p in files)
        print(f"articles: {n} raw seed-sized pages, {size / n / 1024:.1f} KiB each on average")
        print(f"tokenizer: {'compiled (annotations/_tokens.c)' if compiled else 'regular expression (not compiled)'}")

        # The library and the command alternate, so a machine slowing down hurts both alike.
        (tmp / "one").mkdir()
        shutil.copy(files[0], tmp / "one")
        lib_runs, cli_runs, start_runs = [], [], []
        for _ in range(args.runs):
            lib_runs.append(library_import(tmp / "txt", fresh_db(tmp, "lib.db"), n))
            cli_runs.append(command_line(tmp / "txt", fresh_db(tmp, "cli.db"), n))
            start_runs.append(command_line(tmp / "one", fresh_db(tmp, "one.db"), 1))
        total, cli, start_up = (statistics.median(r) for r in (lib_runs, cli_runs, start_runs))
        print(f"library txt import, as `tandai import DIR` (read+clean+tokenize+store, on every core): "
              f"{n / total:,.0f} articles/s (median {total:.2f}s of {args.runs})")
        print(f"command line `tandai import DIR` (interpreter start included): {n / cli:,.0f} articles/s "
              f"(median {cli:.2f}s; the same command on a folder of one article takes {start_up:.2f}s)")
        if compiled and multiprocessing.get_start_method() == "fork":
            import annotations.tokens as tokens  # workers are forked, so they see the switch too

            tokens.compiled = None
            slow = statistics.median(library_import(tmp / "txt", fresh_db(tmp, "re.db"), n) for _ in range(args.runs))
            tokens.compiled = compiled
            print(f"the same with the regular-expression tokenizer (an install without a C compiler): "
                  f"{n / slow:,.0f} articles/s (median {slow:.2f}s); compiled is {slow / total:.2f}x faster")

        articles = [parse_txt(decode(p.read_bytes(), str(p)), str(p)) for p in files]
        dict_rows = [document_row(a) for a in articles]
        stamp = "2020-01-01T00:00:00.000+00:00"
        rows = [tuple(r[c] for c in COLUMNS[:10]) + (i + 1, stamp) for i, r in enumerate(dict_rows)]
        lib_store = statistics.median(store_only(dict_rows, fresh_db(tmp, "s.db")) for _ in range(args.runs))
        plain_fts = statistics.median(plain_executemany(rows, fresh_db(tmp, "p.db"), True) for _ in range(args.runs))
        plain_bare = statistics.median(plain_executemany(rows, fresh_db(tmp, "b.db"), False) for _ in range(args.runs))
        print(f"plain sqlite3 executemany, same rows, store's schema and search index: {n / plain_fts:,.0f} articles/s "
              f"({plain_fts:.2f}s)")
        print(f"plain sqlite3 executemany, same rows, bare table (no FTS): {n / plain_bare:,.0f} articles/s "
              f"({plain_bare:.2f}s)")
        print(f"Store.add_documents, same prepared rows: {n / lib_store:,.0f} articles/s ({lib_store:.2f}s)")
        print(f"ratio store-only / executemany (same schema): {lib_store / plain_fts:.2f}x")
        print(f"ratio full library import / executemany (same schema): {total / plain_fts:.2f}x")

        jsonl = write_jsonl_corpus(tmp / "corpus.jsonl", n)
        times = [library_import(jsonl, fresh_db(tmp, "j.db"), n) for _ in range(args.runs)]
        jt = statistics.median(times)
        print(f"library JSONL import (read+parse+tokenize+store, no cleaning): {n / jt:,.0f} articles/s "
              f"(median {jt:.2f}s; {jsonl.stat().st_size / 1e6:.1f} MB file)")


if __name__ == "__main__":
    main()
