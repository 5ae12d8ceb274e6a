"""Every suggestion the default pre-tagger makes on the seeds and the development corpus, to check that a
change meant to make pre-tagging faster changes none of them.

    python bench/pretag_check.py --save before.jsonl              # seeds, dev and test pages
    python bench/pretag_check.py --against before.jsonl           # the same, compared: exit 1 on a difference
    python bench/pretag_check.py --sets seeds dev --save tests/data/pretag_expected.jsonl

The last command regenerates the file ``tests/test_pretag_check.py`` pins
(run it after a change to what the rules tag, and read the diff). Texts are
tagged through a fresh store with ``pretag.tag_documents``, as ``tandai tag``
does: each seed's raw page, and each corpus page both raw and as its gold's
kept lines (raw pages, not cleaned ones, so a change to the cleaner changes
nothing here). One JSON line per suggestion: text, start, end, layer, label,
model. Differences on the test half are counted, never shown.
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.devcorpus import HALVES, pages  # noqa: E402

SETS = ("seeds", *HALVES)
EXPECTED = ROOT / "tests" / "data" / "pretag_expected.jsonl"


def texts(sets: Iterable[str]) -> Iterator[tuple[str, str]]:
    """(name, text) of every text the check tags: "seeds/000_….txt", "dev/01_…:raw", "dev/01_…:gold"."""
    for name in sets:
        if name == "seeds":
            for path in sorted((ROOT / "seeds").glob("*.txt")):
                yield f"seeds/{path.name}", path.read_text("utf-8")
        else:
            for page in pages(name):
                yield f"{name}/{page.name}:raw", page.raw
                yield f"{name}/{page.name}:gold", page.body


def suggestions(named: list[tuple[str, str]], **tag_options) -> list[dict]:
    """Every suggestion ``tag_documents`` stores for ``named`` texts, in a stable order."""
    from annotations.corpus import Article, import_articles
    from annotations.pretag import tag_documents
    from annotations.store import Store, document_id

    by_id = {document_id(text): name for name, text in named}
    with tempfile.TemporaryDirectory() as tmp, Store(Path(tmp) / "check.db") as store:
        import_articles(store, [Article(text=text, title=name) for name, text in named])
        tag_documents(store, **tag_options)
        rows = store.rows("SELECT doc_id, start, end, layer, label, model FROM suggestions")
    found = [{"text": by_id[row.pop("doc_id")], **row} for row in rows]
    return sorted(found, key=lambda r: (r["text"], r["start"], r["end"], r["layer"], r["label"], r["model"]))


def lines(rows: list[dict]) -> list[str]:
    return [json.dumps(row, ensure_ascii=False, sort_keys=True) for row in rows]


def compare(got: list[str], want: list[str]) -> dict[str, tuple[int, int]]:
    """Per set, (suggestions only in ``got``, suggestions only in ``want``)."""
    extra, missing = set(got) - set(want), set(want) - set(got)
    counts: dict[str, tuple[int, int]] = {}
    for name in SETS:
        of = lambda found: sum(json.loads(line)["text"].startswith(name + "/") for line in found)  # noqa: E731
        counts[name] = (of(extra), of(missing))
    return counts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", nargs="+", choices=SETS, default=list(SETS))
    parser.add_argument("--save", type=Path, help="write the suggestions to this file")
    parser.add_argument("--against", type=Path, help="compare with a file --save wrote (same --sets)")
    args = parser.parse_args(argv)
    got = lines(suggestions(list(texts(args.sets))))
    print(f"{len(got)} suggestions on {', '.join(args.sets)}")
    if args.save:
        args.save.write_text("".join(line + "\n" for line in got), "utf-8")
    if args.against:
        want = args.against.read_text("utf-8").splitlines()
        counts = compare(got, want)
        for name in args.sets:
            print(f"{name}: {counts[name][0]} new, {counts[name][1]} gone")
        if got != want:
            print("DIFFERENT from", args.against)
            return 1
        print("identical to", args.against)
    return 0


if __name__ == "__main__":
    sys.exit(main())
