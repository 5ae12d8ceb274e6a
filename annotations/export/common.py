"""Helpers the exporters share: token indices, overlaps, sentences, output streams."""
from __future__ import annotations

import codecs
import contextlib
import gc
import hashlib
import json
import shutil
import sys
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


@contextlib.contextmanager
def open_out(out: str | Path | IO[str], what: str) -> Iterator[IO[str]]:
    """A text stream for a one-file format: a path, ``-`` for standard output, or an open stream."""
    if hasattr(out, "write"):
        yield out  # type: ignore[misc]
        return
    if str(out) == "-":
        yield sys.stdout
        sys.stdout.flush()
        return
    path = Path(out)
    if path.is_dir():
        raise TandaiError(f"{path}: is a directory; {what} is one file (give a file name, or - for standard output)")
    if path.parent and not path.parent.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="\n") as fh:
        yield fh


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


def out_dir(out: str | Path | IO[str], fmt: str) -> Path:
    """The directory for a format that writes several files."""
    if hasattr(out, "write") or str(out) == "-":
        raise TandaiError(f"{fmt} writes several files: give a directory with -o, not standard output")
    path = Path(out)
    if path.exists() and not path.is_dir():
        raise TandaiError(f"{path}: exists and is not a directory ({fmt} writes a directory)")
    path.mkdir(parents=True, exist_ok=True)
    return path


def describe(out: str | Path | IO[str]) -> str:
    if hasattr(out, "write") or str(out) == "-":
        return "<stdout>"
    return str(out)
