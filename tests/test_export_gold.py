"""``tandai export --from gold``: settled articles by default, and a one-line refusal when none is.

ana labels "Armenia" in two seed articles; rita takes both into gold and marks
only the first settled (``review.settle``, the review screen's ``d``). The
command runs as a user runs it (click, in-process) and the Prodigy JSONL it
writes is read back.
"""
from __future__ import annotations

import json

from annotations import review
from annotations.store import GOLD
from conftest import run_tandai


def armenia(store, doc_id: str) -> tuple[str, str, int, int]:
    start = store.get_document(doc_id).text.index("Armenia")
    return ("entity", "GPE", start, start + len("Armenia"))


def export(db, out, *extra: str) -> tuple[int, str, str]:
    return run_tandai("runner", ["--db", str(db), "export", "prodigy", "-o", str(out), *extra])


def test_gold_exports_settled_articles_and_refuses_when_none_is(store, seed_ids, seeded_path, tmp_path):
    first, second = seed_ids["000"], seed_ids["001"]
    for doc in (first, second):
        store.add_span(doc, "ana", *armenia(store, doc))
        review.accept(store, doc, armenia(store, doc), "rita")
    out = tmp_path / "gold.jsonl"

    # nothing settled: one line naming the way out, exit 1, no file
    code, stdout, stderr = export(seeded_path, out, "--from", "gold")
    assert code == 1 and stdout == ""
    assert stderr.strip().splitlines() == [
        "Error: no article's gold version is settled yet: mark it with d on the review screen (tandai review),"
        " or add --status any to export unsettled gold"]
    assert not out.exists()
    assert export(seeded_path, out, "--annotator", "gold")[0] == 1 and not out.exists()

    # --status any takes unsettled gold too
    code, _, stderr = export(seeded_path, out, "--from", "gold", "--status", "any")
    assert code == 0, stderr
    assert [json.loads(line)["text"] for line in out.read_text("utf-8").splitlines()] == [
        store.get_document(doc).text for doc in (first, second)]

    # settled: the default export holds that article alone, exactly gold's spans; --annotator is the same
    assert review.settle(store, first, "rita") is True
    code, _, stderr = export(seeded_path, out, "--from", "gold")
    assert code == 0, stderr
    lines = out.read_text("utf-8").splitlines()
    (task,) = [json.loads(line) for line in lines]
    assert task["text"] == store.get_document(first).text and task["_annotator_id"] == GOLD
    assert [(s["start"], s["end"], s["label"]) for s in task["spans"]] == [
        (g.start, g.end, g.label) for g in store.spans(first, GOLD)] == [armenia(store, first)[2:] + ("GPE",)]
    code, stdout, _ = run_tandai("runner", ["--db", str(seeded_path), "export", "prodigy", "--annotator", "gold",
                                            "-o", "-"])
    assert code == 0 and stdout.splitlines() == lines

    # unsettled again (d once more): refused again
    assert review.settle(store, first, "rita") is False
    assert export(seeded_path, tmp_path / "again.jsonl", "--from", "gold")[0] == 1
    assert not (tmp_path / "again.jsonl").exists()
