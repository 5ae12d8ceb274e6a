"""The spaCy export read back by spaCy, trained on by ``python -m spacy train``, and the model put to work.

The training runs are tiny (a few steps on the seeds, CPU) but real: the
exported config runs as is, prints no W030 misalignment warning, and the
trained pipeline loads, tokenizes like the store and tags a seed article;
``tandai train`` and ``tandai tag --model`` close the loop.
"""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from annotations.export import export
from annotations.store import Store

from conftest import copy_database, tandai_cmd
from test_export_helpers import ANNOTATOR, CASE_TEXT, build


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("spacy") / "annotated.db"
    build(path).close()
    return path


@pytest.fixture(scope="module")
def exported(db, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("spacy_out") / "out"
    proc = subprocess.run(tandai_cmd("--db", str(db), "--annotator", ANNOTATOR, "export", "spacy", "-o", str(out),
                                     "--split", "0.8"), capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert sorted(p.name for p in out.iterdir()) == ["config.cfg", "dev.spacy", "train.spacy"]
    return out


def load(path: Path):
    from spacy.tokens import DocBin
    from spacy.vocab import Vocab

    return list(DocBin().from_disk(path).get_docs(Vocab()))


def test_docbin_loads_and_every_span_matches_the_store(db, exported):
    docs = load(exported / "train.spacy") + load(exported / "dev.spacy")
    with Store(db) as store:
        assert len(docs) == 6
        for doc in docs:
            doc_id = doc.user_data["doc_id"]
            assert doc.user_data["annotator"] == ANNOTATOR
            stored = store.get_document(doc_id)
            assert doc.text == stored.text
            assert [(t.idx, t.idx + len(t)) for t in doc if not t.text.isspace()] == stored.tokens
            spans = store.spans(doc_id, ANNOTATOR)
            for layer in ("entity", "event", "claim"):
                got = sorted((s.start_char, s.end_char, s.label_, s.kb_id_, s.text) for s in doc.spans[layer])
                want = sorted((s.start, s.end, s.label, s.actor_id or "", s.text) for s in spans if s.layer == layer)
                assert got == want
            ents = list(doc.ents)
            assert all(a.end <= b.start for a, b in zip(ents, ents[1:]))
            assert {(e.start_char, e.end_char, e.label_, e.kb_id_) for e in ents} <= {
                (s.start, s.end, s.label, s.actor_id or "") for s in spans if s.layer == "entity"}
            links = store.links(doc_id, ANNOTATOR)
            assert len(doc.user_data["links"]) == len(links)
            if doc.text == CASE_TEXT:
                texts = {e.text for e in doc.ents}
                assert "Kementerian Pertahanan Armenia" in texts and "Armenia" not in texts
                assert {s.text for s in doc.spans["entity"]} >= {"Kementerian Pertahanan Armenia", "Armenia"}
                about = next(lk for lk in doc.user_data["links"] if lk["role"] == "ABOUT")
                assert doc.char_span(*about["tail"]).text == "menyerang"
                assert {(a["label"], a["attrs"].get("stance")) for a in doc.user_data["attrs"]} >= {
                    ("ACCUSATION", "affirm")}


def test_split_is_by_article_seeded_and_repeatable(db, tmp_path):
    with Store(db) as store:
        def split(seed):
            out = tmp_path / f"s{seed}"
            export(store, "spacy", str(out), annotator=ANNOTATOR, split=0.5, seed=seed)
            train = [d.user_data["doc_id"] for d in load(out / "train.spacy")]
            dev = [d.user_data["doc_id"] for d in load(out / "dev.spacy")]
            assert not set(train) & set(dev) and len(train) == 3 and len(dev) == 3
            return train, dev, (out / "train.spacy").read_bytes(), (out / "dev.spacy").read_bytes()

        first = split(0)
        assert split(0) == first
        assert any(split(seed)[0] != first[0] for seed in (1, 2, 3))


def _assert_no_w030(output: str) -> None:
    assert "W030" not in output, output[-3000:]
    assert "could not be aligned" not in output


@pytest.mark.slow
def test_spacy_trains_on_the_export_as_is_and_the_model_tags_a_seed(db, exported, tmp_path):
    model = tmp_path / "model"
    proc = subprocess.run(
        [sys.executable, "-m", "spacy", "train", str(exported / "config.cfg"),
         "--paths.train", str(exported / "train.spacy"), "--paths.dev", str(exported / "dev.spacy"),
         "--output", str(model), "--training.max_steps", "12", "--training.eval_frequency", "6"],
        capture_output=True, text=True, cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    _assert_no_w030(proc.stdout + proc.stderr)
    import spacy

    nlp = spacy.load(model / "model-best")
    assert nlp.pipe_names == ["tok2vec", "ner", "spancat_event", "spancat_claim"]
    with Store(db) as store:
        seed = store.get_document(store.document_ids()[0])
    doc = nlp(seed.text)
    assert [(t.idx, t.idx + len(t)) for t in doc if not t.text.isspace()] == seed.tokens
    assert "event" in doc.spans and "claim" in doc.spans
    assert set(nlp.get_pipe("ner").labels) <= {"PER", "ORG", "GPE", "LOC", "NORP", "FAC", "DATE", "QUANTITY"}


@pytest.mark.slow
def test_tandai_train_then_tag_with_the_model(db, tmp_path):
    path = tmp_path / "t.db"
    copy_database(db, path)
    model = tmp_path / "model"
    proc = subprocess.run(tandai_cmd("--db", str(path), "--annotator", ANNOTATOR, "train", "-o", str(model),
                                     "--max-steps", "8", "--eval-frequency", "4"), capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "spacy export: 6 article(s)" in proc.stderr and "tandai tag --model" in proc.stdout
    _assert_no_w030((model / "training" / "train.log").read_text())
    assert (model / "meta.json").exists() and (model / "training" / "config.cfg").exists()
    proc = subprocess.run(tandai_cmd("--db", str(path), "tag", "--model", str(model)), capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "id_tandai_ana-" in proc.stdout
    with Store(path) as store:
        models = {r[0] for r in store.conn.execute("SELECT DISTINCT model FROM suggestions")}
        assert any(m.startswith("id_tandai_ana-") for m in models), models
    # a second training replaces the model directory, never a foreign one
    other = tmp_path / "foreign"
    other.mkdir()
    (other / "keep.txt").write_text("x")
    proc = subprocess.run(tandai_cmd("--db", str(path), "--annotator", ANNOTATOR, "train", "-o", str(other)),
                          capture_output=True, text=True)
    assert proc.returncode == 1 and "not a tandai model" in proc.stderr and (other / "keep.txt").exists()


def test_train_needs_two_articles(tmp_path):
    store = build(tmp_path / "t.db", seeds=False)
    from annotations.errors import TandaiError
    from annotations.export.train import train

    with pytest.raises(TandaiError, match="at least 2 articles"):
        train(store, tmp_path / "m", annotator=ANNOTATOR, max_steps=1)


def test_fast_docbin_add_writes_what_docbin_add_writes(db):
    """add_to_docbin and doc_words are speed-ups: the same words as make_doc, the same bytes as DocBin.add."""
    from spacy.tokens import DocBin, Doc
    from spacy.vocab import Vocab

    from annotations.export.report import Report
    from annotations.export.select import iter_records, select
    from annotations.export.spacy_docbin import (DOCBIN_ATTRS, add_to_docbin, annotate_doc, build_doc, doc_words,
                                                 encoders_looked_up_once)
    from annotations.pretag import make_doc

    with Store(db) as store:
        selection = select(store, annotator=ANNOTATOR)
        records = list(iter_records(store, selection))
    slow = DocBin(attrs=DOCBIN_ATTRS, store_user_data=True)
    fast = DocBin(attrs=DOCBIN_ATTRS, store_user_data=True)
    vocab_a, vocab_b = Vocab(), Vocab()
    for record in records:
        doc, _ = build_doc(vocab_a, record, selection.layers, Report("spacy"))
        slow.add(doc)
        words, spaces = doc_words(record.doc.text, record.doc.tokens)
        reference = make_doc(Vocab(), record.doc.text, record.doc.tokens)
        assert words == [t.text for t in reference] and spaces == [bool(t.whitespace_) for t in reference]
        doc = Doc(vocab_b, words=words, spaces=spaces)
        _, ents = annotate_doc(doc, record, selection.layers, Report("spacy"))
        with encoders_looked_up_once():
            add_to_docbin(fast, doc, words + [e.label_ for e in ents] + [e.kb_id_ for e in ents])
    assert fast.strings == slow.strings
    assert fast.to_bytes() == slow.to_bytes()
