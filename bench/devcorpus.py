"""Read the development corpus in ``bench/data/`` (its format: ``bench/data/README.md``).

Each page is a raw ``.txt`` and a ``.gold`` file: metadata lines, ``---``, then
the lines the cleaned article must keep, with entities and event triggers
marked inline as ``[text]{LABEL}``. Spans are code-point offsets into
``Page.body``, the kept lines joined by blank lines, the way the cleaner
joins paragraphs.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"
HALVES = ("dev", "test")
FIELDS = ("title", "date", "outlet", "topic", "entities")
LIKE_SEEDS = "nagorno-karabakh"  # the topic of the bundled seeds

_MARK = re.compile(r"\\([\[\]{}])|\[((?:[^\[\]\\]|\\.)+)\]\{([A-Z_]+)\}|([\[\]{}])")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


class GoldError(ValueError):
    """A gold file that does not follow the format (the message names the file and line)."""


@dataclass(frozen=True)
class Page:
    name: str  # the file stem, e.g. "03_kompas_gaza"
    half: str  # "dev" or "test"
    raw: str  # the raw page text
    title: str
    date: str | None  # ISO date, None where the page shows none
    outlet: str
    topic: str
    marked: bool  # the body marks every entity and trigger
    lines: tuple[str, ...]  # the kept lines, markup removed
    body: str  # the kept lines joined with blank lines
    spans: tuple[tuple[int, int, str], ...] = field(default=())  # (start, end, label) into body

    @property
    def like_seeds(self) -> bool:
        return self.topic == LIKE_SEEDS


def unmark(line: str, where: str = "") -> tuple[str, list[tuple[int, int, str]]]:
    """A marked line's plain text and its spans (offsets into that line)."""
    out: list[str] = []
    spans: list[tuple[int, int, str]] = []
    at = 0
    pos = 0
    for m in _MARK.finditer(line):
        out.append(line[pos:m.start()])
        at += m.start() - pos
        pos = m.end()
        escaped, inner, label, stray = m.groups()
        if stray:
            raise GoldError(f"{where}: unescaped {stray!r} at column {m.start() + 1}")
        if escaped:
            out.append(escaped)
            at += 1
            continue
        text = re.sub(r"\\(.)", r"\1", inner)
        if text != text.strip():
            raise GoldError(f"{where}: span {inner!r} starts or ends with a space")
        spans.append((at, at + len(text), label))
        out.append(text)
        at += len(text)
    out.append(line[pos:])
    return "".join(out), spans


def read_gold(path: Path, raw: str, half: str) -> Page:
    head, sep, rest = path.read_text("utf-8").partition("\n---\n")
    if not sep:
        raise GoldError(f"{path}: no '---' line between the metadata and the body")
    meta: dict[str, str] = {}
    for n, line in enumerate(head.splitlines(), 1):
        key, colon, value = line.partition(":")
        if not colon or key.strip() not in FIELDS:
            raise GoldError(f"{path}:{n}: expected one of {', '.join(FIELDS)} then ':'")
        meta[key.strip()] = value.strip()
    missing = [name for name in FIELDS if not meta.get(name)]
    if missing:
        raise GoldError(f"{path}: missing {', '.join(missing)}")
    if meta["date"] != "none" and not _ISO_DATE.fullmatch(meta["date"]):
        raise GoldError(f"{path}: date {meta['date']!r} is not YYYY-MM-DD or none")
    if meta["entities"] not in ("yes", "no"):
        raise GoldError(f"{path}: entities must be yes or no")
    lines: list[str] = []
    spans: list[tuple[int, int, str]] = []
    offset = 0
    first_line = head.count("\n") + 3
    for n, line in enumerate(rest.splitlines(), first_line):
        if not line.strip():
            continue
        text, found = unmark(line.strip(), f"{path}:{n}")
        if found and meta["entities"] == "no":
            raise GoldError(f"{path}:{n}: spans marked but 'entities: no'")
        spans.extend((offset + s, offset + e, label) for s, e, label in found)
        lines.append(text)
        offset += len(text) + 2
    if not lines:
        raise GoldError(f"{path}: the body is empty")
    return Page(name=path.stem, half=half, raw=raw, title=meta["title"],
                date=None if meta["date"] == "none" else meta["date"], outlet=meta["outlet"],
                topic=meta["topic"], marked=meta["entities"] == "yes", lines=tuple(lines),
                body="\n\n".join(lines), spans=tuple(spans))


def same_outlet(want: str | None, got: str | None) -> bool:
    """The same outlet however spelled ("Jurnas" / "Jurnas.com", "Kaltim Post" / "Kaltimpost.id"):
    gold writers spell an outlet the list does not hold as they read it."""
    from annotations.cleaning import outlet_key

    return outlet_key(want or "") == outlet_key(got or "")


def pages(half: str, root: Path = DATA) -> list[Page]:
    """Every page of one half, in file-name order."""
    if half not in HALVES:
        raise ValueError(f"half must be one of {HALVES}")
    found = []
    for raw_path in sorted((root / half).glob("*.txt")):
        gold = raw_path.with_suffix(".gold")
        if not gold.exists():
            raise GoldError(f"{raw_path}: no {gold.name} beside it")
        found.append(read_gold(gold, raw_path.read_text("utf-8"), half))
    return found
