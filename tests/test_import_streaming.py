"""A JSONL import streams: its peak memory does not grow with the file, and a bad line near the end
still stores nothing (one transaction), named by its line, through the installed tandai."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from conftest import run_tandai

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
