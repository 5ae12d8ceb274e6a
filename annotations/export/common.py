"""Helpers the exporters share: token indices, overlaps, sentences, and writing outputs all or nothing."""
from __future__ import annotations

import codecs
import contextlib
import gc
import glob
import hashlib
import json
import os
import shutil
import sys
import tempfile
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import IO, Any

from ..errors import TandaiError
from .select import XSpan
from ..tokens import sentences


_ENCODER = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":"), check_circular=False)


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """No cyclic garbage collection while exporting.

    An export makes millions of small objects that live until their article is
    written and form no cycles; the collector walking them again and again
    costs about a fifth of the time. Reference counting still frees everything.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def dumps(obj: Any) -> str:
    """Compact JSON, keys sorted, UTF-8 text as is: the same data gives the same bytes, run to run."""
    return _ENCODER.encode(obj)


def stable_int(text: str) -> int:
    """A signed 32-bit int from text (Prodigy's hashes are ints of this size)."""
    value = int.from_bytes(hashlib.sha1(text.encode("utf-8")).digest()[:4], "big")
    return value - (1 << 32) if value >= (1 << 31) else value


class TokenIndex:
    """Character offsets to stored token indices (spans always start and end on token edges)."""

    def __init__(self, tokens: Sequence[tuple[int, int]]):
        self.tokens = tokens
        self.starts = [s for s, _ in tokens]
        self.ends = [e for _, e in tokens]

    def first(self, start: int) -> int:
        """Index of the first token overlapping ``start``."""
        return bisect_right(self.ends, start)

    def last(self, end: int) -> int:
        """Index of the last token overlapping a span ending at ``end`` (inclusive index)."""
        return bisect_left(self.starts, end) - 1

    def span(self, start: int, end: int) -> tuple[int, int]:
        """(first token, last token) inclusive."""
        return self.first(start), self.last(end)


def longest_first(spans: Iterable[XSpan]) -> tuple[list[XSpan], list[tuple[XSpan, XSpan]]]:
    """Non-overlapping spans, longest kept first (then earlier, then label); the rest with what they overlap."""
    kept: list[XSpan] = []
    dropped: list[tuple[XSpan, XSpan]] = []
    for span in sorted(spans, key=lambda s: (s.start - s.end, s.start, s.label, s.id)):
        clash = next((k for k in kept if k.start < span.end and span.start < k.end), None)
        if clash is None:
            kept.append(span)
        else:
            dropped.append((span, clash))
    kept.sort(key=lambda s: (s.start, s.end, s.label, s.id))
    dropped.sort(key=lambda pair: (pair[0].start, pair[0].end, pair[0].label, pair[0].id))
    return kept, dropped


def sentence_ranges(text: str, tokens: Sequence[tuple[int, int]],
                    keep_whole: Iterable[tuple[int, int]] = ()) -> list[tuple[int, int]]:
    """Sentences as (first token, end token exclusive), merged where a span in ``keep_whole`` crosses a boundary.

    ``keep_whole`` holds (first token, last token) pairs: a span is never cut by a sentence break.
    """
    ranges = sentences(text, tokens)
    if not ranges:
        return ranges
    breaks = {start for start, _ in ranges[1:]}
    for first, last in keep_whole:
        for b in list(breaks):
            if first < b <= last:
                breaks.discard(b)
    cuts = [0, *sorted(breaks), len(tokens)]
    return [(a, b) for a, b in zip(cuts, cuts[1:]) if b > a]


def sentence_of(ranges: list[tuple[int, int]]) -> list[int]:
    """Token index -> sentence index."""
    out = []
    for n, (a, b) in enumerate(ranges):
        out.extend([n] * (b - a))
    return out


TMP_MARK = ".tandai-tmp-"  # in the name of every file or folder an export writes before it is complete


def temp_prefix(target: Path) -> str:
    """The name a target's unfinished output starts with: hidden, beside it, plainly not the output,
    and naming the process writing it and its machine (``.NAME.tandai-tmp-PID@HOST-``), so a later
    export can tell what a killed one left from what a running one, here or on another machine sharing
    the folder, is writing."""
    return f".{Path(os.path.abspath(target)).name}{TMP_MARK}{os.getpid()}@{os.uname().nodename}-"


def _writer_here(tail: str) -> int | None:
    """The process id in what follows ``TMP_MARK`` (``PID@HOST-XXXX``) when it names this machine; an
    export from before names carried the machine (``PID-XXXX``) is taken as this machine's."""
    pid, at, rest = tail.partition("@")
    if not at:
        pid = tail.partition("-")[0]
    elif not rest.startswith(f"{os.uname().nodename}-"):
        return None
    return int(pid) if pid.isdigit() else None


def clear_unfinished(target: Path) -> None:
    """Remove what exports killed on this machine while writing ``target`` left beside it (their process
    is gone); another user's, another machine's or a running export's files stay."""
    prefix = f".{Path(os.path.abspath(target)).name}{TMP_MARK}"
    with contextlib.suppress(OSError):
        for left in beside(target).glob(glob.escape(prefix) + "*"):
            pid = _writer_here(left.name[len(prefix):])
            if pid is not None and not _running(pid):
                if left.is_dir() and not left.is_symlink():
                    shutil.rmtree(left, ignore_errors=True)
                else:
                    with contextlib.suppress(OSError):
                        left.unlink()


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        pass
    return True


def beside(target: Path) -> Path:
    """The folder that holds ``target`` (``-o .`` is held by the folder above, not by itself)."""
    return Path(os.path.abspath(target)).parent


def write_error(target: str | Path, exc: OSError) -> TandaiError:
    """An ``OSError`` met while writing an output, as the one line the user sees."""
    return TandaiError(f"cannot write {target}: {exc.strerror or exc}")


def _mode(default: int) -> int:
    """``default`` less the process umask (``mkstemp`` and ``mkdtemp`` make owner-only files and folders)."""
    mask = os.umask(0)
    os.umask(mask)
    return default & ~mask


def _kept_mode(path: Path) -> int:
    """The permissions of the file being replaced, or the usual ones for a new file."""
    try:
        return path.stat().st_mode & 0o7777
    except OSError:
        return _mode(0o666)


def _parent(target: Path) -> Path:
    """``target``'s folder, made if missing; a file where a folder should be is named in the error."""
    parent = beside(target)
    for folder in (parent, *parent.parents):
        if folder.exists() or folder.is_symlink():
            if not folder.is_dir():
                raise TandaiError(f"cannot write {target}: {folder} is a file, not a folder")
            break
    try:
        parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise write_error(target, exc) from None
    return parent


@contextlib.contextmanager
def open_out(out: str | Path | IO[str], what: str) -> Iterator[IO[str]]:
    """A text stream for a one-file format: a path, ``-`` for standard output, or an open stream.

    A path is written all or nothing: into a temporary file beside it (``.NAME.tandai-tmp-PID@HOST-XXXX``)
    renamed over it once complete, so a failed or killed export never leaves a file that looks
    finished. A path that is a device or a pipe (``/dev/stdout``, ``/dev/full``) is written in place.
    Every ``OSError`` becomes a one-line ``TandaiError``.
    """
    if hasattr(out, "write"):
        yield out  # type: ignore[misc]
        return
    if str(out) == "-":
        with _stdout_errors():
            yield sys.stdout
            sys.stdout.flush()
        return
    path = Path(out)
    if path.is_dir():
        raise TandaiError(f"{path}: is a directory; {what} is one file (give a file name, or - for standard output)")
    if path.exists() and not path.is_file():  # a device or a FIFO: cannot be renamed over
        try:
            with open(path, "w", encoding="utf-8", newline="\n") as fh:
                yield fh
        except OSError as exc:
            raise write_error(path, exc) from None
        return
    clear_unfinished(path)
    try:
        fd, tmp = tempfile.mkstemp(prefix=temp_prefix(path), dir=_parent(path))
    except OSError as exc:
        raise write_error(path, exc) from None
    try:
        os.fchmod(fd, _kept_mode(path))
        with open(fd, "w", encoding="utf-8", newline="\n") as fh:
            yield fh
        os.replace(tmp, path)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(exc, OSError):
            raise write_error(path, exc) from None
        raise


@contextlib.contextmanager
def _stdout_errors() -> Iterator[None]:
    """Standard output that cannot take the export (a full disk, a closed pipe): one line, and no second
    error when Python flushes what is left at exit (standard output is pointed at /dev/null)."""
    try:
        yield
    except OSError as exc:
        with contextlib.suppress(OSError, ValueError):
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            os.close(devnull)
        raise TandaiError(f"cannot write standard output: {exc.strerror or exc}") from None


class StagedDir:
    """A folder written beside ``target`` (``.NAME.tandai-tmp-PID@HOST-XXXX``) and moved into place when complete.

    On success the folder becomes ``target`` (one rename when ``target`` is absent or empty; else each
    file is renamed into ``target``, which keeps files the export does not write, and the relative paths
    in ``stale`` are removed). On any error, or a ``kill -9``, ``target`` is as it was: the staging
    folder is removed, or left under its plainly temporary name. Every ``OSError`` becomes one line.
    """

    def __init__(self, target: Path, fmt: str):
        if target.exists() and not target.is_dir():
            raise TandaiError(f"{target}: exists and is not a directory ({fmt} writes a directory)")
        self.target = target
        self.stale: set[str] = set()
        clear_unfinished(target)
        try:
            self.path = Path(tempfile.mkdtemp(prefix=temp_prefix(target), dir=_parent(target)))
            os.chmod(self.path, _mode(0o777))
        except OSError as exc:
            raise write_error(target, exc) from None

    def __enter__(self) -> StagedDir:
        return self

    def __exit__(self, kind, exc, tb) -> None:
        try:
            if kind is None:
                self._commit()
        except OSError as error:
            raise write_error(self.target, error) from None
        finally:
            shutil.rmtree(self.path, ignore_errors=True)
        if isinstance(exc, OSError):
            raise write_error(self.target, exc) from None

    def _commit(self) -> None:
        target = self.target
        if not os.path.lexists(target) or (not target.is_symlink() and not any(target.iterdir())
                                           and not os.path.samefile(target, os.getcwd())):
            os.replace(self.path, target)  # one rename: the whole export appears at once
            return
        for src in sorted(self.path.rglob("*")):
            rel = src.relative_to(self.path)
            dest = target / rel
            if src.is_dir():
                if dest.is_symlink() or (dest.exists() and not dest.is_dir()):
                    raise TandaiError(f"{dest}: is in the way of a folder of the export (not a folder)")
                dest.mkdir(exist_ok=True)
            else:
                os.replace(src, dest)
        inside = target.resolve()
        for rel in sorted(self.stale):
            stale = target / rel
            if stale.parent.resolve().is_relative_to(inside):  # never through a symlink to elsewhere
                with contextlib.suppress(FileNotFoundError):
                    stale.unlink()


def write_pieces(fh: IO[str], pieces: Iterable[str | Path]) -> None:
    """Write text pieces, or files holding text (from worker processes), to ``fh`` in order
    (the files byte for byte when ``fh`` writes UTF-8, else through its own encoding)."""
    for piece in pieces:
        if isinstance(piece, Path):
            raw = getattr(fh, "buffer", None)
            if raw is not None and codecs.lookup(getattr(fh, "encoding", None) or "ascii").name == "utf-8":
                fh.flush()
                with open(piece, "rb") as src:
                    shutil.copyfileobj(src, raw, 1 << 20)
                raw.flush()
            else:
                fh.write(piece.read_text(encoding="utf-8"))
        else:
            fh.write(piece)


def describe(out: str | Path | IO[str]) -> str:
    if hasattr(out, "write") or str(out) == "-":
        return "<stdout>"
    return str(out)
