"""Cleaning and pre-tagging quality on the seeds and both halves of the development corpus, side by side.

    python bench/pretag_quality.py [--only seeds|dev|test] [--model NAME_OR_PATH] [--errors]

Entities and event triggers: exact-match precision, recall and F1 (same
start, end and label) of what the pre-tagger suggests on the gold text: seed
000 as ``tandai import`` cleans it (``tests/data/gold_entities_000.jsonl``),
and each marked corpus page's kept lines (``bench/data/``). Pages on the
seeds' war and pages on other conflicts are also scored apart.

Cleaning: how many pages get the right title, date and outlet from
``clean_page``, how many prose lines it loses (gold lines missing from the
cleaned text) and how much furniture it keeps (cleaned lines not in the gold).

``--errors`` lists missed and spurious spans and wrong metadata for the seeds
and the dev half; the test half is reported in totals only, so nobody tunes
rules to it.
"""
from __future__ import annotations

import argparse
import csv
import hashlib
import json
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.devcorpus import DATA, HALVES, Page, pages, same_outlet  # noqa: E402

# Metadata scored. An outlet is right when it is the same outlet however spelled (by its stem: case,
# spaces, "www." and a web address's ending aside), as gold writers spell an outlet the list does not
# hold in different ways (bench/data/README.md); it is also counted spelled letter for letter as the gold.
SPELLED = "outlet spelled as gold"
METADATA = ("title", "date", "outlet", SPELLED)
ROWS = {"title": "title right", "date": "date right", "outlet": "outlet right", SPELLED: SPELLED}
DEFAULT_GOLD = ROOT / "tests" / "data" / "gold_entities_000.jsonl"
SEEDS_META = DATA / "seeds.tsv"
SETS = ("seeds", *HALVES)
Span = tuple[int, int, str]


def read_gold(path: Path) -> tuple[dict, list[dict]]:
    lines = [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]
    return lines[0], lines[1:]


class Tagger:
    """The pre-tagging pipeline, loaded once, giving suggestions as ``tandai tag`` stores them."""

    def __init__(self, model: str | None = None):
        from annotations.pretag import load_model
        from annotations.scheme import load_scheme

        _, self.nlp = load_model(model)
        scheme = load_scheme()
        self.labels = {label: layer.name for layer in scheme.layers.values() for label in layer.label_names}

    def __call__(self, text: str) -> dict[str, set[Span]]:
        """Suggestions by layer: {"entity": {(start, end, label)}, "event": {...}}."""
        from annotations.pretag import doc_suggestions
        from annotations.tokens import tokenize

        found: dict[str, set[Span]] = {"entity": set(), "event": set()}
        for layer, label, start, end, _ in doc_suggestions(self.nlp(text), tokenize(text), self.labels):
            found.setdefault(layer, set()).add((start, end, label))
        return found


@dataclass
class Counts:
    """True positives, gold and predicted spans per label, summed over texts."""

    by_label: dict[str, list[int]] = field(default_factory=dict)  # label -> [tp, gold, pred]

    def add(self, gold: set[Span], pred: set[Span]) -> None:
        for label in {s[2] for s in gold | pred}:
            g = {s for s in gold if s[2] == label}
            p = {s for s in pred if s[2] == label}
            row = self.by_label.setdefault(label, [0, 0, 0])
            row[0] += len(g & p)
            row[1] += len(g)
            row[2] += len(p)

    def prf(self, label: str | None = None) -> tuple[float, float, float, int] | None:
        """(P, R, F1, gold) for one label or all; None when there is neither gold nor prediction."""
        rows = self.by_label.values() if label is None else [self.by_label.get(label, [0, 0, 0])]
        tp, gold, pred = (sum(col) for col in zip(*rows)) if rows else (0, 0, 0)
        if not gold and not pred:
            return None
        p = tp / pred if pred else 0.0
        r = tp / gold if gold else 0.0
        return p, r, (2 * p * r / (p + r) if p + r else 0.0), gold


def score(gold: set[Span], pred: set[Span]) -> Counts:
    """Exact-match counts for one text (``Counts.prf`` gives P/R/F1 per label or overall)."""
    counts = Counts()
    counts.add(gold, pred)
    return counts


def seed_text(header: dict) -> str:
    from annotations.corpus import parse_txt

    path = ROOT / header["source"]
    return parse_txt(path.read_text("utf-8"), header["source"]).text


# -- cleaning ------------------------------------------------------------------------------------


@dataclass
class Cleaning:
    """Metadata right / pages with that gold, and prose lost / furniture kept, summed over pages."""

    right: dict[str, list[int]] = field(default_factory=lambda: {k: [0, 0] for k in METADATA})
    lines: int = 0
    lost: int = 0
    furniture: int = 0
    wrong: list[str] = field(default_factory=list)  # what --errors prints

    def check(self, name: str, key: str, want: str | None, got: str | None) -> None:
        if want == "-":  # no gold for this field (a page without a headline line)
            return
        exact = (want or None) == (got or None)
        right = same_outlet(want, got) if key == "outlet" else exact
        self.right[key][1] += 1
        self.right[key][0] += right
        if key == "outlet":
            self.right[SPELLED][1] += 1
            self.right[SPELLED][0] += exact
        if not exact:
            self.wrong.append(f"{name}\t{key if not right else 'spelling'}\twant {want!r}\tgot {got!r}")


def clean_lines(text: str) -> list[str]:
    return [line for line in text.split("\n") if line.strip()]


def check_page(result: Cleaning, page: Page) -> None:
    from annotations.cleaning import normalise_spaces
    from annotations.corpus import clean_page

    article = clean_page(page.raw)
    result.check(page.name, "title", normalise_spaces(page.title), article.title)
    result.check(page.name, "date", page.date, article.published)
    result.check(page.name, "outlet", page.outlet, article.source)
    kept = clean_lines(article.text)
    wanted = set(page.lines)
    result.lines += len(page.lines)
    lost = [line for line in page.lines if line not in set(kept)]
    result.lost += len(lost)
    extra = [line for line in kept if line not in wanted]
    result.furniture += len(extra)
    result.wrong.extend(f"{page.name}\tlost\t{line!r}" for line in lost)
    result.wrong.extend(f"{page.name}\tkept\t{line!r}" for line in extra)


def seeds_cleaning() -> Cleaning:
    from annotations.corpus import clean_page

    result = Cleaning()
    with SEEDS_META.open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f, delimiter="\t"):
            article = clean_page((ROOT / "seeds" / row["file"]).read_text("utf-8"))
            none = lambda value: None if value == "none" else value  # noqa: E731
            result.check(row["file"], "title", row["title"], article.title)
            result.check(row["file"], "date", none(row["date"]), article.published)
            result.check(row["file"], "outlet", none(row["outlet"]), article.source)
    return result


# -- one set -------------------------------------------------------------------------------------


@dataclass
class SetResult:
    pages: int = 0
    entity: dict[str, Counts] = field(default_factory=lambda: {"all": Counts(), "like seeds": Counts(),
                                                               "other": Counts()})
    event: Counts = field(default_factory=Counts)
    cleaning: Cleaning = field(default_factory=Cleaning)
    errors: list[str] = field(default_factory=list)


def _errors(name: str, text: str, gold: set[Span], pred: set[Span]) -> Iterable[str]:
    for kind, found in (("missed", gold - pred), ("spurious", pred - gold)):
        for start, end, label in sorted(found):
            yield f"{name}\t{kind}\t{label}\t{text[start:end]!r}"


def run_seeds(tagger: Tagger, gold_path: Path) -> SetResult:
    header, rows = read_gold(gold_path)
    text = seed_text(header)
    if hashlib.sha1(text.encode("utf-8")).hexdigest() != header["sha1"]:
        raise SystemExit(f"gold set {gold_path} was made from another version of {header['source']}")
    gold = {(r["start"], r["end"], r["label"]) for r in rows}
    pred = tagger(text)["entity"]
    result = SetResult(pages=5, cleaning=seeds_cleaning())
    result.entity["all"].add(gold, pred)
    result.entity["like seeds"].add(gold, pred)
    result.errors.extend(_errors(Path(header["source"]).name, text, gold, pred))
    return result


def run_half(tagger: Tagger, half: str) -> SetResult:
    from annotations.scheme import load_scheme

    events = set(load_scheme().layers["event"].label_names)
    result = SetResult()
    for page in pages(half):
        result.pages += 1
        check_page(result.cleaning, page)
        if not page.marked:
            continue
        found = tagger(page.body)
        gold_entities = {s for s in page.spans if s[2] not in events}
        gold_events = {s for s in page.spans if s[2] in events}
        for group in ("all", "like seeds" if page.like_seeds else "other"):
            result.entity[group].add(gold_entities, found["entity"])
        result.event.add(gold_events, found.get("event", set()))
        result.errors.extend(_errors(page.name, page.body, gold_entities, found["entity"]))
        result.errors.extend(_errors(page.name, page.body, gold_events, found.get("event", set())))
    result.errors.extend(result.cleaning.wrong)
    return result


# -- printing ------------------------------------------------------------------------------------


def _cell(values: tuple[float, float, float, int] | None) -> str:
    return f"{'—':>23}" if values is None else f"{values[0]:6.3f}{values[1]:6.3f}{values[2]:6.3f}{values[3]:5d}"


def prf_rows(title: str, results: dict[str, SetResult], counts_of, labels: list[str]) -> list[str]:
    lines = [f"{title:<22}" + "".join(f"{name:>23}" for name in results),
             f"{'':<22}" + f"{'P':>6}{'R':>6}{'F1':>6}{'gold':>5}" * len(results)]
    for label in [*labels, None]:
        lines.append(f"{label or 'ALL':<22}" + "".join(_cell(counts_of(r).prf(label)) for r in results.values()))
    return lines


def report(results: dict[str, SetResult], entity_labels: list[str], event_labels: list[str]) -> str:
    lines = ["pages: " + ", ".join(f"{name} {r.pages}" for name, r in results.items()), ""]
    lines += prf_rows("entities", results, lambda r: r.entity["all"], entity_labels)
    for group, title in (("like seeds", "  pages like the seeds"), ("other", "  other conflicts")):
        lines.append(f"{title:<22}" + "".join(_cell(r.entity[group].prf()) for r in results.values()))
    lines.append("")
    lines += prf_rows("event triggers", results, lambda r: r.event, event_labels)
    lines += ["", f"{'cleaning':<22}" + "".join(f"{name:>23}" for name in results)]
    for key in METADATA:
        cells = []
        for r in results.values():
            right, total = r.cleaning.right[key]
            cells.append(f"{right:>10}/{total:<4}{right / total:>8.0%} " if total else f"{'—':>23}")
        lines.append(f"{ROWS[key]:<22}" + "".join(cells))
    lines.append(f"{'prose lines lost':<22}" + "".join(
        f"{r.cleaning.lost:>10}/{r.cleaning.lines:<12} " if r.cleaning.lines else f"{'—':>23}"
        for r in results.values()))
    lines.append(f"{'furniture lines kept':<22}" + "".join(
        f"{r.cleaning.furniture:>23}" if r.cleaning.lines else f"{'—':>23}" for r in results.values()))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=SETS, action="append", help="score this set (repeatable); default all")
    parser.add_argument("--gold", type=Path, default=DEFAULT_GOLD, help="the seed's entity gold")
    parser.add_argument("--model", default=None)
    parser.add_argument("--errors", action="store_true",
                        help="also list missed and spurious spans and wrong metadata (seeds and dev only)")
    args = parser.parse_args(argv)
    from annotations.scheme import load_scheme

    scheme = load_scheme()
    tagger = Tagger(args.model)
    results: dict[str, SetResult] = {}
    for name in args.only or SETS:
        results[name] = run_seeds(tagger, args.gold) if name == "seeds" else run_half(tagger, name)
    print(report(results, list(scheme.layers["entity"].label_names), list(scheme.layers["event"].label_names)))
    if args.errors:
        for name, result in results.items():
            if name == "test":
                continue
            print(f"\n{name}: errors")
            print("\n".join(result.errors))
    return 0


if __name__ == "__main__":
    sys.exit(main())
