"""``tandai train``: export the chosen annotations as spaCy data and train a pipeline on them.

The model directory gets the data and the log under ``training/`` (config.cfg,
train.spacy, dev.spacy, train.log, spaCy's model-best and model-last), and at
its top a pipeline in which the trained model adds to the rules: the rules'
components first, then the trained ``tok2vec``, ``ner`` and spancats
(``pretag.compose_with_rules``), so the model's entities fill the gaps around
rule matches and never replace them; a layer whose trained component lowers
the rules' F1 on the held-out ``dev.spacy`` is left out (``install_with_rules``).
``spacy.load(model_dir)`` and ``tandai tag
--model model_dir`` use it directly; ``training/model-best`` is the trained
model alone. Its meta names it ``tandai_<annotator>`` with a version stamped at
training time, so each trained model's suggestions are told apart from the
previous one's (and merged with the rules' where they agree).

spaCy runs as ``python -m spacy train`` in a child process (its output goes to
``training/train.log``; the steps drive the progress callback).
"""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from ..errors import TandaiError
from ..store import Store
from . import export

_ROW = re.compile(r"^\s*(\d+)\s+(\d+)\s+[\d.]+")
MARKER = "training"


def _prepare(out: Path) -> None:
    if out.exists() and not out.is_dir():
        raise TandaiError(f"{out}: exists and is not a directory")
    if out.exists() and any(out.iterdir()):
        if not (out / MARKER).is_dir():
            raise TandaiError(f"{out}: directory is not empty and not a tandai model; give a new directory")
        for path in out.iterdir():  # an earlier tandai model: replace it
            shutil.rmtree(path) if path.is_dir() else path.unlink()
    out.mkdir(parents=True, exist_ok=True)


def _safe(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_]+", "_", name).strip("_") or "annotator"


def train(store: Store, out: str | Path, *, annotator: str | None = None, all_annotators: bool = False,
          status: str = "done", layers: list[str] | None = None, split: float = 0.8, seed: int = 0,
          max_steps: int = 2000, eval_frequency: int = 200, gpu: int = -1,
          progress: Callable[[int, int], None] | None = None) -> dict[str, Any]:
    """Export, train, install the best pipeline at ``out``; returns name, path, scores, export report."""
    if max_steps < 1:
        raise TandaiError("--max-steps must be at least 1")
    if not 0 < split < 1:
        raise TandaiError("training needs a dev part: --split must be between 0 and 1 (e.g. 0.8)")
    out = Path(out)
    _prepare(out)
    data = out / MARKER
    report = export(store, "spacy", data, annotator=annotator, all_annotators=all_annotators, status=status,
                    layers=layers, split=split, seed=seed, max_steps=max_steps,
                    eval_frequency=max(1, min(eval_frequency, max_steps)))
    if len(report.articles) < 2:
        raise TandaiError(f"training needs at least 2 articles (one for dev); {len(report.articles)} selected"
                          + (f" ({report.notes[0]})" if report.notes and "status" in report.notes[0] else ""))
    config = (data / "config.cfg").read_text(encoding="utf-8")
    if '"ner"' not in config and '"spancat_' not in config:
        raise TandaiError("the training part has no spans: nothing to train")
    log_path = data / "train.log"
    cmd = [sys.executable, "-m", "spacy", "train", str(data / "config.cfg"), "--output", str(data),
           "--paths.train", str(data / "train.spacy"), "--paths.dev", str(data / "dev.spacy"),
           "--gpu-id", str(gpu)]
    env = dict(os.environ, PYTHONUNBUFFERED="1", PYTHONIOENCODING="utf-8", ANSI_COLORS_DISABLED="1")
    lines: list[str] = []
    with open(log_path, "w", encoding="utf-8") as log:
        log.write("$ " + " ".join(cmd) + "\n")
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                encoding="utf-8", errors="replace", env=env)
        assert proc.stdout is not None
        for line in proc.stdout:
            log.write(line)
            lines.append(line.rstrip("\n"))
            m = _ROW.match(line)
            if m and progress:
                progress(min(int(m.group(2)), max_steps), max_steps)
        code = proc.wait()
    if code != 0:
        last = next((line.strip() for line in reversed(lines) if line.strip()), "no output")
        raise TandaiError(f"spaCy training failed: {last} (full log: {log_path})")
    best = data / "model-best"
    if not (best / "config.cfg").exists():
        best = data / "model-last"
    who = "all" if all_annotators else (annotator or "annotator")
    labels = {label: layer.name for layer in store.scheme.layers.values() for label in layer.label_names}
    meta = install_with_rules(best, out, dev=data / "dev.spacy", labels=labels, triggers=store.scheme.triggers,
                              name=f"tandai_{_safe(who)}",
                              description=f"the rules, then a model trained by tandai on {len(report.articles)}"
                                          f" article(s) annotated by {who} (status {status}, split {split}, seed"
                                          f" {seed}, {max_steps} steps max; the model alone: {best.relative_to(out)})")
    if progress:
        progress(max_steps, max_steps)
    warnings = sorted({m.group(0) for line in lines for m in [re.search(r"\bW\d{3}\b", line)] if m})
    return {
        "path": str(out),
        "name": f"{meta.get('lang', 'id')}_{meta['name']}-{meta['version']}",
        "scores": {k: v for k, v in (meta.get("performance") or {}).items()
                   if isinstance(v, (int, float)) and not k.startswith("spans_sc_")},
        "report": report,
        "log": str(log_path),
        "warnings": warnings,
        "pipeline": meta.get("pipeline", []),
        "plain": str(best),
        "left_out": meta.get("tandai_left_out", {}),
    }


def install_with_rules(trained: Path, out: Path, *, name: str, description: str, dev: Path | None = None,
                       labels: dict[str, str] | None = None, triggers: str | None = None) -> dict[str, Any]:
    """Write the rules followed by the trained pipeline at ``trained`` (``pretag.compose_with_rules``) to
    ``out``, named ``name`` with a version stamped now; returns its meta.

    With ``dev`` (a DocBin the model was not trained on) and the scheme's ``labels`` (label -> layer),
    a layer whose trained component makes the rules' suggestions worse there (exact-match F1) is left
    out, so the composed pipeline is never worse than the rules on held-out data; the meta's
    ``tandai_left_out`` lists those layers with both figures. The rules suggest the trigger lexicon
    ``triggers`` (the database's scheme's; None the bundled one), compared and composed alike."""
    import spacy

    from ..pretag import compose_with_rules, trained_components

    model = spacy.load(trained)
    nlp = compose_with_rules(model, triggers=triggers)  # the rules are built once: they run alone below
    left_out: dict[str, dict[str, float]] = {}
    if dev is not None and labels is not None:
        from spacy.tokens import DocBin

        docs = list(DocBin().from_disk(dev).get_docs(nlp.vocab))
        both = layer_f1(nlp, docs, labels)
        with nlp.select_pipes(disable=trained_components(nlp, model)):
            rules = layer_f1(nlp, docs, labels)
        left_out = {layer: {"rules": rules[layer], "rules+model": both[layer]}
                    for layer in both if both[layer] < rules.get(layer, 0.0)}
        if left_out:
            nlp = compose_with_rules(model, leave_out=left_out, triggers=triggers, onto=nlp)
    nlp.meta.update(name=name, version=datetime.now(timezone.utc).strftime("%Y%m%d.%H%M%S"),
                    description=description, tandai_left_out=left_out)
    nlp.to_disk(out)
    return json.loads((out / "meta.json").read_text(encoding="utf-8"))


def layer_f1(nlp, docs, labels: dict[str, str]) -> dict[str, float]:
    """Exact-match F1 per layer of ``nlp``'s suggestions (as ``tandai tag`` stores them) against the
    span groups ``entity``, ``event`` and ``claim`` of the gold ``docs`` (a spaCy export's)."""
    from ..pretag import TandaiTokenizer, doc_suggestions, make_doc
    from ..tokens import tokenize

    counts: dict[str, list[int]] = {}
    for gold in docs:
        tokens = tokenize(gold.text)  # once: the pipeline's tokenizer takes them as the store's are taken
        stored = isinstance(nlp.tokenizer, TandaiTokenizer)
        found = doc_suggestions(nlp(make_doc(nlp.vocab, gold.text, tokens, sentences=True) if stored else gold.text),
                                tokens, labels)
        for layer in ("entity", "event", "claim"):
            want = {(s.start_char, s.end_char, s.label_) for s in gold.spans[layer]} if layer in gold.spans else set()
            got = {(start, end, label) for of, label, start, end, _ in found if of == layer}
            row = counts.setdefault(layer, [0, 0])
            row[0] += 2 * len(want & got)
            row[1] += len(want) + len(got)
    return {layer: (tp2 / total if total else 0.0) for layer, (tp2, total) in counts.items()}
