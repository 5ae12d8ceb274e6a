"""Pre-tagger quality: exact-match precision, recall and F1 against the hand-annotated gold set.

    python bench/pretag_quality.py [--gold tests/data/gold_entities_000.jsonl] [--model NAME_OR_PATH]

The gold file's first line is a header naming the seed and the sha1 of its
cleaned text; the seed is cleaned and tokenized the way ``tandai import``
does it, tagged with the default pipeline (or ``--model``), and the
suggestions are compared span by span (same start, end and label).
"""
from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_GOLD = ROOT / "tests" / "data" / "gold_entities_000.jsonl"


def read_gold(path: Path) -> tuple[dict, list[dict]]:
    lines = [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]
    return lines[0], lines[1:]


def predict(text: str, model: str | None = None) -> set[tuple[int, int, str]]:
    """The pipeline's entity suggestions for one text, as tandai tag stores them."""
    from annotations.pretag import doc_suggestions, load_model
    from annotations.scheme import load_scheme
    from annotations.tokens import tokenize

    _, nlp = load_model(model)
    scheme = load_scheme()
    labels = {label: layer.name for layer in scheme.layers.values() for label in layer.label_names}
    rows = doc_suggestions(nlp(text), tokenize(text), labels)
    return {(start, end, label) for layer, label, start, end, _ in rows if layer == "entity"}


def score(gold: set[tuple[int, int, str]], pred: set[tuple[int, int, str]]) -> dict[str, dict[str, float]]:
    """Exact-match P/R/F1 per label and overall ("ALL")."""
    table = {}
    labels = sorted({g[2] for g in gold} | {p[2] for p in pred})
    for label in labels + ["ALL"]:
        g = {x for x in gold if label in ("ALL", x[2])}
        p = {x for x in pred if label in ("ALL", x[2])}
        tp = len(g & p)
        precision = tp / len(p) if p else 0.0
        recall = tp / len(g) if g else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        table[label] = {"gold": len(g), "pred": len(p), "tp": tp, "p": precision, "r": recall, "f1": f1}
    return table


def format_table(table: dict[str, dict[str, float]]) -> str:
    lines = [f"{'label':<10}{'gold':>6}{'pred':>6}{'tp':>6}{'P':>8}{'R':>8}{'F1':>8}"]
    for label, row in table.items():
        lines.append(f"{label:<10}{row['gold']:>6}{row['pred']:>6}{row['tp']:>6}"
                     f"{row['p']:>8.3f}{row['r']:>8.3f}{row['f1']:>8.3f}")
    return "\n".join(lines)


def seed_text(header: dict) -> str:
    from annotations.corpus import parse_txt

    path = ROOT / header["source"]
    article = parse_txt(path.read_text("utf-8"), header["source"])
    return article.text


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gold", type=Path, default=DEFAULT_GOLD)
    parser.add_argument("--model", default=None)
    parser.add_argument("--errors", action="store_true", help="also list missed and spurious spans")
    args = parser.parse_args(argv)
    header, rows = read_gold(args.gold)
    text = seed_text(header)
    if hashlib.sha1(text.encode("utf-8")).hexdigest() != header["sha1"]:
        print(f"gold set {args.gold} was made from another version of {header['source']}", file=sys.stderr)
        return 1
    gold = {(r["start"], r["end"], r["label"]) for r in rows}
    pred = predict(text, args.model)
    print(f"gold: {args.gold.name} ({len(gold)} spans, {header['source']})")
    print(format_table(score(gold, pred)))
    if args.errors:
        for name, found in (("missed", gold - pred), ("spurious", pred - gold)):
            for start, end, label in sorted(found):
                print(f"{name}\t{label}\t{text[start:end]!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
