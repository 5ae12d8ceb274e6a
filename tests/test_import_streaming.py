"""Imports stream: peak memory does not grow with the input, for a JSONL file, JSONL on standard input and
a Prodigy file, and a bad line near the end still stores nothing (one transaction), named by its line,
through the installed tandai."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from conftest import SEEDS_DIR, run_tandai, table_dump, tandai_cmd

MEASURE = r"""
import resource, sys
from annotations.corpus import import_paths
from annotations.store import Store
with Store(sys.argv[2]) as store, store.transaction():
    added, _ = import_paths(store, [sys.argv[1]])
print(added, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024)
"""


def write_jsonl(path: Path, n: int, bad_at: int | None = None) -> Path:
    words = " ".join(f"kata{i}" for i in range(150))  # about 1 KB of text per article
    with open(path, "w", encoding="utf-8") as fh:
        for i in range(1, n + 1):
            if i == bad_at:
                fh.write('{"text": "tidak ditutup\n')
            else:
                fh.write(json.dumps({"text": f"Artikel {i}. {words}", "title": f"Artikel {i}"}) + "\n")
    return path


def peak_mib(tmp_path: Path, n: int) -> int:
    source = write_jsonl(tmp_path / f"{n}.jsonl", n)
    out = subprocess.run([sys.executable, "-c", MEASURE, str(source), str(tmp_path / f"{n}.db")],
                         capture_output=True, text=True, timeout=600, check=True).stdout.split()
    assert int(out[0]) == n
    return int(out[1])


def test_peak_memory_does_not_grow_with_the_file(tmp_path):
    small, large = peak_mib(tmp_path, 4_000), peak_mib(tmp_path, 20_000)
    # the whole-file reader held the file, its text, every article and every row: +100 MiB here
    assert large - small < 25, (small, large)


def test_a_bad_line_at_the_end_of_a_streamed_file_stores_nothing(tmp_path):
    source = write_jsonl(tmp_path / "bad.jsonl", 9_000, bad_at=8_999)
    db = tmp_path / "t.db"
    code, out, err = run_tandai("subprocess", ["--db", str(db), "import", str(source)])
    assert code == 1 and err.count("\n") == 1 and "bad.jsonl:8999: not JSON" in err, err
    assert not db.exists()  # the import made the file, and took it away again


# The installed tandai's peak resident memory (the largest child waited for), its input on standard input.
CHILD_PEAK = r"""
import resource, subprocess, sys
with open(sys.argv[1], "rb") as stdin:
    done = subprocess.run(sys.argv[2:], stdin=stdin, capture_output=True)
assert done.returncode == 0, done.stderr.decode()
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024)
"""


def child_peak_mib(source: Path, *args: str) -> int:
    out = subprocess.run([sys.executable, "-c", CHILD_PEAK, str(source), *tandai_cmd(*args)],
                         capture_output=True, text=True, timeout=600)
    assert out.returncode == 0, out.stderr
    return int(out.stdout)


def test_jsonl_on_standard_input_streams(tmp_path):
    peaks = []
    for n in (4_000, 20_000):
        source = write_jsonl(tmp_path / f"{n}.jsonl", n)
        db = tmp_path / f"stdin{n}.db"
        peaks.append(child_peak_mib(source, "--db", str(db), "import", "-"))
        assert table_dump(db, "counts") and len(table_dump(db, "documents", "seq")) == n
    assert peaks[1] - peaks[0] < 25, peaks


def write_prodigy(path: Path, n: int) -> Path:
    words = " ".join(f"kata{i}" for i in range(150))
    with open(path, "w", encoding="utf-8") as fh:
        for i in range(1, n + 1):
            text = f"Armenia {i}. {words}"
            spans = [{"start": 0, "end": 7, "label": "GPE"}, {"start": 10, "end": 15, "label": "ATTACK"}]
            fh.write(json.dumps({"text": text, "spans": spans, "answer": "accept"}) + "\n")
    return path


def test_prodigy_import_streams(tmp_path):
    peaks = []
    for n in (3_000, 15_000):
        source = write_prodigy(tmp_path / f"{n}.jsonl", n)
        db = tmp_path / f"prodigy{n}.db"
        peaks.append(child_peak_mib(source, "--db", str(db), "import", "--format", "prodigy", "--as", "ann", "-"))
        spans = table_dump(db, "spans")
        assert len(spans) == 2 * n
    # reading every task into memory first cost +90 MiB here
    assert peaks[1] - peaks[0] < 25, peaks


def test_a_bad_prodigy_task_after_many_batches_stores_nothing(tmp_path):
    """The tasks are stored in batches; one bad task past several batches still refuses the whole file."""
    source = write_prodigy(tmp_path / "tasks.jsonl", 5_000)
    lines = source.read_text("utf-8").splitlines(keepends=True)
    lines[4_998] = '{"text": "Armenia diserang.", "spans": [{"start": 0, "end": 99, "label": "GPE"}]}\n'
    source.write_text("".join(lines), "utf-8")
    db = tmp_path / "t.db"
    code, _, err = run_tandai("subprocess", ["--db", str(db), "import", str(SEEDS_DIR)])
    assert code == 0, err
    before = table_dump(db, "documents", "seq"), table_dump(db, "journal")
    code, _, err = run_tandai("subprocess", ["--db", str(db), "import", "--format", "prodigy", "--as", "ann",
                                             str(source)])
    assert code == 1 and err.count("\n") == 1 and "tasks.jsonl:4999" in err and "outside the text" in err, err
    assert (table_dump(db, "documents", "seq"), table_dump(db, "journal")) == before
    assert table_dump(db, "spans") == []
