"""Exports write all or nothing, only where asked, and leave no process or spool file behind.

Failures are the operating system's own where it can give them: ``/dev/full``,
a file where a folder should be, a file-size limit (``RLIMIT_FSIZE``) that
stops writes midway, ``kill -9``. A full disk inside the folder formats is
mocked (an ``ENOSPC`` raised while the third article is written), and a
read-only folder is not tried: the tests run as root, which ignores
permission bits.

After every failure: the error is one line, the target is as it was (absent,
or the earlier export byte for byte), and what is left beside it is at most a
``.NAME.tandai-tmp-PID@HOST-XXXX`` file or folder (only after ``kill -9``, until the next export).
"""
from __future__ import annotations

import errno
import os
import resource
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from annotations.errors import TandaiError
from annotations.export import FORMATS, export
from annotations.export.report import Report

from conftest import tandai_cmd
from test_export_helpers import db, store  # noqa: F401  (fixtures)
from test_export_helpers import ANNOTATOR

TARGET = {"prodigy": "out.jsonl", "dygiepp": "out.jsonl", "events-csv": "out.csv"}


def tree(path: Path) -> dict[str, bytes]:
    """Every file under ``path`` (or the file itself) with its bytes; {} when absent."""
    if path.is_file():
        return {path.name: path.read_bytes()}
    if not path.exists():
        return {}
    return {str(p.relative_to(path)): p.read_bytes() for p in sorted(path.rglob("*")) if p.is_file()}


def leftovers(folder: Path, target: str) -> list[str]:
    """Names in ``folder`` other than ``target`` and the test's own files."""
    return sorted(p.name for p in folder.iterdir() if p.name != target and not p.name.startswith("keep"))


def one_line_error(proc: subprocess.CompletedProcess, *words: str) -> str:
    assert proc.returncode == 1, (proc.returncode, proc.stderr)
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in proc.stderr, proc.stderr
    for word in words:
        assert word in lines[0], lines[0]
    return lines[0]


# -- the library: a disk that fills while the third article is written ---------------------------------


@pytest.mark.parametrize("earlier", [False, True], ids=["fresh", "over-an-earlier-export"])
@pytest.mark.parametrize("fmt", FORMATS)
def test_full_disk_midway_leaves_the_target_as_it_was(store, tmp_path, monkeypatch, fmt, earlier):
    out = tmp_path / TARGET.get(fmt, fmt)
    if earlier:
        export(store, fmt, str(out), annotator=ANNOTATOR)
    before = tree(out)
    assert bool(before) == earlier
    real_count = Report.count

    def count(self, record):
        if self.records == 2:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        real_count(self, record)

    monkeypatch.setattr(Report, "count", count)
    with pytest.raises(TandaiError) as caught:
        export(store, fmt, str(out), annotator=ANNOTATOR)
    message = str(caught.value)
    assert message == f"cannot write {out}: No space left on device" and "\n" not in message
    assert tree(out) == before
    assert leftovers(tmp_path, out.name) == []


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_file_where_a_folder_should_be(store, tmp_path, fmt):
    blocker = tmp_path / "keep-me"
    blocker.write_text("not a folder")
    out = blocker / "sub" / TARGET.get(fmt, fmt)
    with pytest.raises(TandaiError, match=f"cannot write {out}: {blocker} is a file, not a folder"):
        export(store, fmt, str(out), annotator=ANNOTATOR)
    assert blocker.read_text() == "not a folder" and leftovers(tmp_path, "") == []


def test_outputs_get_the_usual_permissions(store, tmp_path):
    old = os.umask(0o022)
    try:
        export(store, "prodigy", str(tmp_path / "p.jsonl"), annotator=ANNOTATOR)
        export(store, "iob", str(tmp_path / "iob"), annotator=ANNOTATOR)
    finally:
        os.umask(old)
    assert (tmp_path / "p.jsonl").stat().st_mode & 0o777 == 0o644
    assert (tmp_path / "iob").stat().st_mode & 0o777 == 0o755
    assert (tmp_path / "iob" / "data.jsonl").stat().st_mode & 0o777 == 0o644
    (tmp_path / "p.jsonl").chmod(0o600)  # a file the user keeps private stays private when replaced
    export(store, "prodigy", str(tmp_path / "p.jsonl"), annotator=ANNOTATOR)
    assert (tmp_path / "p.jsonl").stat().st_mode & 0o777 == 0o600


def test_report_json_is_written_all_or_nothing(store, tmp_path):
    report = export(store, "prodigy", str(tmp_path / "p.jsonl"), annotator=ANNOTATOR)
    with pytest.raises(TandaiError, match="is a file, not a folder"):
        report.write_json(str(tmp_path / "p.jsonl" / "report.json"))
    report.write_json(str(tmp_path / "report.json"))
    assert (tmp_path / "report.json").read_text().startswith("{")
    assert leftovers(tmp_path, "report.json") == ["p.jsonl"]


# -- the command line, as a user meets these failures ---------------------------------------------------


def test_cli_export_to_dev_full_is_one_line(db):
    proc = subprocess.run(tandai_cmd("--db", str(db), "export", "prodigy", "--annotator", ANNOTATOR,
                                     "-o", "/dev/full"), capture_output=True, text=True)
    one_line_error(proc, "/dev/full", "No space left on device")


def test_cli_standard_output_on_a_full_disk_is_one_line(db, tmp_path):
    with open("/dev/full", "w") as full:
        proc = subprocess.run(tandai_cmd("--db", str(db), "export", "dygiepp", "--annotator", ANNOTATOR, "-o", "-"),
                              stdout=full, stderr=subprocess.PIPE, text=True)
    one_line_error(proc, "standard output", "No space left on device")


def _file_size_limit(limit: int):
    def apply() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit then fails with EFBIG
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    return apply


@pytest.mark.parametrize("fmt", ["prodigy", "iob"])
def test_cli_writes_stopped_midway_by_the_system_leave_the_earlier_export(db, tmp_path, fmt):
    # 33,000 bytes: above SQLite's 32 KiB shared-memory file, below prodigy's JSONL and iob's data.jsonl
    out = tmp_path / TARGET.get(fmt, fmt)
    base = tandai_cmd("--db", str(db), "export", fmt, "--annotator", ANNOTATOR, "-o", str(out))
    fresh = subprocess.run(base, capture_output=True, text=True, preexec_fn=_file_size_limit(33_000))
    one_line_error(fresh, str(out), "File too large")
    assert not out.exists() and leftovers(tmp_path, out.name) == []
    assert subprocess.run(base, capture_output=True, text=True).returncode == 0
    before = tree(out)
    again = subprocess.run(base, capture_output=True, text=True, preexec_fn=_file_size_limit(33_000))
    one_line_error(again, "File too large")
    assert tree(out) == before and leftovers(tmp_path, out.name) == []


# -- kill -9 in the middle of an export ------------------------------------------------------------------


KILLER = textwrap.dedent("""
    import multiprocessing, os, signal, sys
    from annotations.store import Store
    from annotations.export import export, parallel

    db, fmt, out, pids, at = sys.argv[1:6]
    parallel.CHUNK = 2

    def progress(done, total):
        if done >= int(at):
            with open(pids, "w") as fh:
                fh.write(" ".join(str(p.pid) for p in multiprocessing.active_children()))
            os.kill(os.getpid(), signal.SIGKILL)

    with Store(db) as store:
        export(store, fmt, out, annotator="ana", parallel_from=1 if fmt != "brat" else None, progress=progress)
""")


def alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


@pytest.mark.parametrize("fmt", ["prodigy", "spacy", "brat"])
def test_kill_9_leaves_no_worker_no_spool_in_tmp_and_nothing_that_looks_complete(db, tmp_path, fmt):
    from annotations.export import parallel
    from annotations.export.select import select
    from annotations.store import Store

    with Store(db) as st:
        if fmt != "brat" and not parallel.workers(st, select(st, annotator=ANNOTATOR), minimum=1):
            pytest.skip("one CPU: exports stay in one process")
    spool = tmp_path / "tmpdir"
    spool.mkdir()
    where = tmp_path / "exports"
    where.mkdir()
    out = where / TARGET.get(fmt, fmt)
    pids = tmp_path / "pids"
    env = dict(os.environ, TMPDIR=str(spool))
    errors = tmp_path / "stderr"
    with open(errors, "w") as err:  # a file, not a pipe: workers that outlive the export must not hang the test
        proc = subprocess.run([sys.executable, "-c", KILLER, str(db), fmt, str(out), str(pids),
                               "2" if fmt != "brat" else "3"],
                              env=env, stdout=subprocess.DEVNULL, stderr=err, timeout=120)
    assert proc.returncode == -signal.SIGKILL, errors.read_text()
    workers = [int(p) for p in pids.read_text().split()]
    try:
        assert (len(workers) >= 2) == (fmt != "brat"), workers
        deadline = time.monotonic() + 15
        while any(alive(pid) for pid in workers) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not [pid for pid in workers if alive(pid)], "worker processes outlived the killed export"
    finally:
        for pid in workers:  # only if the test failed: this test's own workers, by id
            if alive(pid):
                os.kill(pid, signal.SIGKILL)
    assert list(spool.iterdir()) == []
    left = sorted(p.name for p in where.iterdir())
    assert left and all(name.startswith(f".{out.name}.tandai-tmp-") for name in left), left
    (where / f".{out.name}.tandai-tmp-4194305-older").write_text("")  # a killed export's, before names had hosts
    # the next export is not confused by what the killed one left, and clears it away
    running = where / f".{out.name}.tandai-tmp-{os.getpid()}@{os.uname().nodename}-running"  # a live export's
    elsewhere = where / f".{out.name}.tandai-tmp-4194305@another-host-x"  # not running here: elsewhere
    for kept in (running, elsewhere):
        kept.write_text("")
    with Store(db) as st:
        export(st, fmt, str(out), annotator=ANNOTATOR)
    assert sorted(p.name for p in where.iterdir()) == sorted([out.name, running.name, elsewhere.name])


INTERRUPTED = textwrap.dedent("""
    import os, signal, sys
    from annotations.store import Store
    from annotations.export import export, parallel

    db, out = sys.argv[1:3]
    parallel.CHUNK = 2

    def progress(done, total):
        os.killpg(0, signal.SIGINT)  # Ctrl-C in a terminal: the whole process group gets it

    try:
        with Store(db) as store:
            export(store, "prodigy", out, annotator="ana", parallel_from=1, progress=progress)
    except KeyboardInterrupt:
        sys.exit(130)
""")


def test_ctrl_c_stops_workers_quietly_and_leaves_nothing(db, tmp_path):
    from annotations.export import parallel
    from annotations.export.select import select
    from annotations.store import Store

    with Store(db) as st:
        if not parallel.workers(st, select(st, annotator=ANNOTATOR), minimum=1):
            pytest.skip("one CPU: exports stay in one process")
    where = tmp_path / "exports"
    where.mkdir()
    proc = subprocess.run([sys.executable, "-c", INTERRUPTED, str(db), str(where / "out.jsonl")],
                          capture_output=True, text=True, timeout=120, start_new_session=True)
    assert proc.returncode == 130 and proc.stderr == "", proc.stderr  # no worker's KeyboardInterrupt traceback
    assert list(where.iterdir()) == []


def test_a_folder_output_given_as_a_symlink_stays_a_symlink(store, tmp_path):
    real = tmp_path / "real"
    real.mkdir()
    link = tmp_path / "link"
    link.symlink_to(real)
    export(store, "iob", str(link), annotator=ANNOTATOR)
    assert link.is_symlink() and (real / "data.jsonl").is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link", "real"]


def test_an_export_into_the_current_folder(store, tmp_path, monkeypatch):
    here = tmp_path / "here"
    here.mkdir()
    monkeypatch.chdir(here)
    export(store, "iob", ".", annotator=ANNOTATOR)
    assert os.path.samefile(os.getcwd(), here)  # the folder we stand in was filled, not replaced
    assert sorted(p.name for p in here.iterdir()) == ["README.md", "data.conll", "data.jsonl", "labels.json"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["here"]


def test_stale_files_are_never_removed_through_a_symlink(tmp_path):
    from annotations.export.common import StagedDir

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "0001_ab.ann").write_text("keep")
    target = tmp_path / "export"
    target.mkdir()
    (target / "old.ann").write_text("stale")
    (target / "sub").symlink_to(elsewhere)
    with StagedDir(target, "brat") as stage:
        (stage.path / "new.ann").write_text("new")
        stage.stale = {"old.ann", "sub/0001_ab.ann"}
    assert sorted(p.name for p in target.iterdir()) == ["new.ann", "sub"]
    assert (elsewhere / "0001_ab.ann").read_text() == "keep"
