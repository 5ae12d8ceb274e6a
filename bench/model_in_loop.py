"""Does a trained model help the rules? Rules alone against rules + a model trained on the dev half.

    python bench/model_in_loop.py [--max-steps 600] [--eval test|dev] [--keep DIR | --reuse DIR]

The dev half's marked pages (their gold spans as one annotator's, every page
done) and seed 000 with its entity gold are stored in a scratch database and
``tandai train`` trains on them (``annotations.export.train``: the rules
followed by the trained model). The test half is then scored with
``bench/pretag_quality.py``'s scorer, exact match per label: the rules alone,
the rules with the model, and the model alone (``training/model-best``).
Last, the test pages are tagged into a store by the rules and by the
composed model, as ``tandai tag`` and ``tandai tag --model`` would, and the
suggestions shown twice are counted before merging (one per model's row)
and after (``Store.suggestions``, what the annotator sees).

``--reuse DIR`` takes the model a ``--keep DIR`` run trained and puts
today's rules in front of it again (the model does not depend on the rules:
it is trained alone), so a change to the rules is measured without training.

Only totals are printed for the test half: nobody tunes to its pages.
``--eval dev`` scores the training pages themselves (a check of the bench,
not of the model).
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.devcorpus import pages  # noqa: E402
from bench.pretag_quality import DEFAULT_GOLD, SetResult, Tagger, prf_rows, read_gold, run_half, seed_text  # noqa: E402

TRAINER = "bench"  # the annotator whose spans are the gold


def gold_store(path: Path, half: str, gold_path: Path = DEFAULT_GOLD) -> tuple[int, int]:
    """A database holding ``half``'s marked pages and seed 000 with their gold spans, all done:
    (articles, spans stored); a gold span off the stored tokens is moved onto them."""
    from annotations.corpus import Article, import_articles
    from annotations.store import Store, document_id

    header, rows = read_gold(gold_path)
    texts = [(seed_text(header), "seed 000", [(r["start"], r["end"], r["label"]) for r in rows])]
    texts += [(page.body, page.name, list(page.spans)) for page in pages(half) if page.marked]
    spans = 0
    with Store(path) as store:
        import_articles(store, [Article(text=text, title=title) for text, title, _ in texts])
        scheme = store.scheme
        layer_of = {label: layer.name for layer in scheme.layers.values() for label in layer.label_names}
        for text, _, gold in texts:
            doc_id = document_id(text)
            if store.get_document(doc_id).text != text:
                raise SystemExit(f"the store changed the text of {doc_id}: offsets would not match")
            for start, end, label in gold:
                start, end = store.aligned_span(doc_id, start, end, snap=True)
                store.add_span(doc_id, TRAINER, layer_of[label], label, start, end)
                spans += 1
            store.set_status(doc_id, TRAINER, "done")
    return len(texts), spans


def train_model(db: Path, out: Path, max_steps: int) -> dict:
    from annotations.export.train import train
    from annotations.store import Store

    with Store(db) as store:
        return train(store, out, annotator=TRAINER, max_steps=max_steps, eval_frequency=max(1, max_steps // 6))


def recompose(out: Path) -> dict:
    """The trained model in ``out`` (``training/model-best``) behind today's rules, written over ``out``."""
    import json

    from annotations.export.train import install_with_rules

    from annotations.scheme import load_scheme

    plain = out / "training" / "model-best"
    old = json.loads((out / "meta.json").read_text(encoding="utf-8"))
    labels = {label: layer.name for layer in load_scheme().layers.values() for label in layer.label_names}
    meta = install_with_rules(plain, out, name=old["name"], description=old.get("description", ""),
                              dev=out / "training" / "dev.spacy", labels=labels)
    return {"pipeline": meta["pipeline"], "plain": str(plain), "left_out": meta.get("tandai_left_out", {})}


def duplicates(half: str, model: str) -> dict[str, int]:
    """Tag ``half``'s pages with the rules and with ``model`` into a scratch store: suggestions shown
    without merging (one per row) and how many of them repeat a span and label, then the same after."""
    from annotations.corpus import Article, import_articles
    from annotations.pretag import tag_documents
    from annotations.store import Store

    with tempfile.TemporaryDirectory() as tmp, Store(Path(tmp) / "tagged.db") as store:
        import_articles(store, [Article(text=page.body, title=page.name) for page in pages(half)])
        tag_documents(store, None)
        tag_documents(store, model)
        rows = store.conn.execute("SELECT doc_id, layer, label, start, end FROM suggestions").fetchall()
        shown = [(doc_id, g.layer, g.label, g.start, g.end)
                 for doc_id in store.document_ids() for g in store.suggestions(doc_id)]
    repeats = lambda keys: sum(n - 1 for n in Counter(keys).values())  # noqa: E731
    return {"before": len(rows), "before_twice": repeats(rows), "after": len(shown), "after_twice": repeats(shown)}


def difference_rows(title: str, rules: SetResult, both: SetResult, labels: list[str], counts_of) -> list[str]:
    """F1 of the rules, of rules + model, and the change, per label and overall."""
    lines = [f"{title:<22}{'rules':>8}{'+model':>8}{'change':>8}"]
    for label in [*labels, None]:
        a, b = counts_of(rules).prf(label), counts_of(both).prf(label)
        if a is None and b is None:
            continue
        fa, fb = (a[2] if a else 0.0), (b[2] if b else 0.0)
        lines.append(f"{label or 'ALL':<22}{fa:8.3f}{fb:8.3f}{fb - fa:+8.3f}")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--max-steps", type=int, default=600, help="training steps at most")
    parser.add_argument("--eval", choices=("test", "dev"), default="test", help="the half scored")
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--keep", type=Path, help="train into this directory (kept) instead of a scratch one")
    where.add_argument("--reuse", type=Path, help="no training: the model a --keep run left there, behind today's rules")
    args = parser.parse_args(argv)
    from annotations.scheme import load_scheme

    scheme = load_scheme()
    entity_labels = list(scheme.layers["entity"].label_names)
    event_labels = list(scheme.layers["event"].label_names)
    with tempfile.TemporaryDirectory() as tmp:
        out = args.reuse or args.keep or Path(tmp) / "model"
        started = time.perf_counter()
        if args.reuse:
            result = recompose(out)
            print(f"the model in {out} behind today's rules: {' + '.join(result['pipeline'])}")
        else:
            articles, spans = gold_store(Path(tmp) / "gold.db", "dev")
            result = train_model(Path(tmp) / "gold.db", out, args.max_steps)
            print(f"trained on the dev half + seed 000: {articles} articles, {spans} gold spans, {args.max_steps}"
                  f" steps max, {time.perf_counter() - started:.0f}s: {' + '.join(result['pipeline'])}")
        for layer, f1 in result["left_out"].items():
            print(f"left out: the model's {layer} component (F1 on train's dev part: rules {f1['rules']:.3f},"
                  f" rules+model {f1['rules+model']:.3f})")
        results = {"rules": run_half(Tagger(None), args.eval),
                   "rules+model": run_half(Tagger(str(out)), args.eval),
                   "model alone": run_half(Tagger(result["plain"]), args.eval)}
        print(f"scored on the {args.eval} half ({results['rules'].pages} pages), exact match\n")
        print("\n".join(prf_rows("entities", results, lambda r: r.entity["all"], entity_labels)))
        for group, title in (("like seeds", "  pages like the seeds"), ("other", "  other conflicts")):
            print(f"{title:<22}" + "".join(_f1_cell(r.entity[group].prf()) for r in results.values()))
        print()
        print("\n".join(prf_rows("event triggers", results, lambda r: r.event, event_labels)))
        print()
        print("\n".join(difference_rows("entity F1", results["rules"], results["rules+model"], entity_labels,
                                        lambda r: r.entity["all"])))
        print()
        print("\n".join(difference_rows("trigger F1", results["rules"], results["rules+model"], event_labels,
                                        lambda r: r.event)))
        counts = duplicates(args.eval, str(out))
    print(f"\nsuggestions from the rules and rules+model on the {args.eval} half:"
          f" {counts['before_twice']} of {counts['before']} shown twice before merging,"
          f" {counts['after_twice']} of {counts['after']} after")
    worse = False
    for what, counts_of in (("entity", lambda r: r.entity["all"]), ("trigger", lambda r: r.event)):
        rules_f1, both_f1 = (counts_of(results[name]).prf() or (0.0, 0.0, 0.0, 0) for name in ("rules", "rules+model"))
        change = both_f1[2] - rules_f1[2]
        print(f"{what} F1: rules {rules_f1[2]:.3f}, rules+model {both_f1[2]:.3f} ({change:+.3f})"
              + (": WORSE than the rules" if change < 0 else ""))
        worse |= change < 0
    return 1 if worse else 0


def _f1_cell(values) -> str:
    return f"{'—':>23}" if values is None else f"{'':>12}{values[2]:6.3f}{values[3]:5d}"


if __name__ == "__main__":
    sys.exit(main())
