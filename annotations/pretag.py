"""Pre-tagging: suggest entities with spaCy so annotators start from something.

No Indonesian NER model can be downloaded here, so the default pipeline is
``spacy.blank("id")`` with the project's own tokenizer (the one the store
uses, so suggestions always align), a line-aware sentence splitter, an
EntityRuler fed by the gazetteers in ``data/gazetteer/``, Indonesian date and
quantity patterns, and a component that marks names after titles (Presiden,
Menlu ...) as PER and finds their surnames again later in the article. Any
installed spaCy pipeline can be used instead with ``--model``.

This module imports spaCy: only the tag command loads it (the app runs that command in a child).
"""
from __future__ import annotations

import bisect
import time
import tomllib
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from operator import itemgetter
from pathlib import Path

import numpy
import spacy
from spacy.attrs import IDX, IS_SPACE, LENGTH, SENT_START
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.pipeline import SpanCategorizer
from spacy.tokens import Doc, Span as SpacySpan
from spacy.util import filter_spans

from . import rule_spans  # noqa: F401  (registers the components composed pipelines use)
from .errors import TandaiError
from .indonesian import MONTHS, WEEKDAYS
from .store import Store
from .tokens import sentence_starts, spacy_layout, tokenize
from .triggers import make_triggers  # noqa: F401  (registers the tandai_triggers component)

DEFAULT_MODEL = "tandai-rules"
GAZETTEER_DIR = "gazetteer"
ENTITY_LABELS = ("PER", "ORG", "GPE", "LOC", "NORP", "FAC", "DATE", "QUANTITY")
# Labels other pipelines use, mapped onto the scheme's entity labels.
FOREIGN_LABELS = {
    "PERSON": "PER", "LOCATION": "LOC", "ORGANIZATION": "ORG", "ORGANISATION": "ORG",
    "TIME": "DATE", "CARDINAL": "QUANTITY", "MONEY": "QUANTITY", "PERCENT": "QUANTITY",
    "MISC": None, "EVENT": None,
}


# -- the tokenizer spaCy uses ------------------------------------------------------


def make_doc(vocab, text: str, tokens: Sequence[tuple[int, int]] | None = None) -> Doc:
    """A spaCy Doc whose tokens are exactly the store's tokens (see ``tokens.spacy_layout``)."""
    starts, ends, spaces = spacy_layout(text, tokenize(text) if tokens is None else tokens)
    return Doc(vocab, words=[text[s:e] for s, e in zip(starts, ends)], spaces=spaces)


class TandaiTokenizer:
    """spaCy tokenizer wrapper around ``annotations.tokens.tokenize`` (it has no state to save)."""

    def __init__(self, vocab):
        self.vocab = vocab

    def __call__(self, text: str) -> Doc:
        return make_doc(self.vocab, text)

    def pipe(self, texts: Iterable[str], batch_size: int = 1000) -> Iterator[Doc]:
        for text in texts:
            yield self(text)

    def to_bytes(self, **kwargs) -> bytes:
        return b""

    def from_bytes(self, data: bytes, **kwargs) -> "TandaiTokenizer":
        return self

    def to_disk(self, path, **kwargs) -> None:
        Path(path).mkdir(parents=True, exist_ok=True)

    def from_disk(self, path, **kwargs) -> "TandaiTokenizer":
        return self


def create_tokenizer() -> Callable[[Language], TandaiTokenizer]:
    """Registered as ``tandai.Tokenizer.v1`` (also through the package's entry point)."""

    def make(nlp: Language) -> TandaiTokenizer:
        return TandaiTokenizer(nlp.vocab)

    return make


spacy.registry.tokenizers.register("tandai.Tokenizer.v1", func=create_tokenizer)


# -- components --------------------------------------------------------------------


@Language.component("tandai_sentences")
def tandai_sentences(doc: Doc) -> Doc:
    """Sentence starts from ``annotations.tokens`` (line breaks always end a sentence)."""
    if not len(doc):
        return doc
    # Read and write the whole Doc as arrays: setting Token.is_sent_start one
    # token at a time rescans the Doc on every call, quadratic in its length.
    cols = doc.to_array([IDX, LENGTH, IS_SPACE])
    word_rows = numpy.flatnonzero(cols[:, 2] == 0)
    starts = cols[word_rows, 0]
    words = list(zip(starts.tolist(), (starts + cols[word_rows, 1]).tolist()))
    flags = numpy.full((len(doc), 1), -1, dtype="int64")  # -1: not a start
    flags[word_rows[sentence_starts(doc.text, words)], 0] = 1
    flags[0, 0] = 1
    return doc.from_array([SENT_START], flags.astype("uint64"))


@dataclass(frozen=True)
class TitleRules:
    titles: tuple[str, ...]
    descriptor_titles: frozenset[str]


@cache
def _title_rules() -> TitleRules:
    data = tomllib.loads(_data_text("titles.toml"))
    return TitleRules(tuple(data["titles"]), frozenset(data.get("descriptor_titles", [])))


@Language.factory("tandai_titles", default_config={"max_descriptor": 4, "max_name": 4})
def make_titles(nlp: Language, name: str, max_descriptor: int, max_name: int) -> "TitleTagger":
    return TitleTagger(nlp, max_descriptor, max_name)


class TitleTagger:
    """Capitalised words after a title (Presiden, Menlu, PM ...) are a person; so is their surname later."""

    def __init__(self, nlp: Language, max_descriptor: int, max_name: int):
        rules = _title_rules()
        self.matcher = PhraseMatcher(nlp.vocab, attr="ORTH")
        self.matcher.add("TITLE", [nlp.make_doc(t) for t in rules.titles])
        self.descriptor_titles = rules.descriptor_titles
        self.max_descriptor = max_descriptor
        self.max_name = max_name

    def __call__(self, doc: Doc) -> Doc:
        ents = list(doc.ents)
        taken = {i for ent in ents for i in range(ent.start, ent.end)}
        place_like = {i for ent in ents if ent.label_ in ("GPE", "NORP", "ORG", "LOC") for i in range(ent.start, ent.end)}
        found: list[SpacySpan] = []
        matches = filter_spans([doc[s:e] for _, s, e in self.matcher(doc)])
        for title in matches:
            i = title.end
            lowercase_left = self.max_descriptor if title.text in self.descriptor_titles else 0
            while i < len(doc):
                tok = doc[i]
                if tok.is_space and "\n" in tok.text:
                    break  # a name never continues past a line break
                if i in place_like or tok.text == "," or tok.is_space:
                    i += 1
                elif tok.is_lower and lowercase_left:
                    lowercase_left -= 1
                    i += 1
                else:
                    break
            j = i
            while j < len(doc) and j - i < self.max_name and _is_name_token(doc[j]) and j not in place_like:
                j += 1
            if j > i and not any(k in taken for k in range(i, j)):
                found.append(SpacySpan(doc, i, j, label="PER"))
                taken.update(range(i, j))
        surnames = {span[-1].text for span in found} | {
            ent[-1].text for ent in ents if ent.label_ == "PER" and len(ent) > 1
        }
        for token in doc:
            if token.text in surnames and token.i not in taken:
                found.append(SpacySpan(doc, token.i, token.i + 1, label="PER"))
                taken.add(token.i)
        doc.ents = filter_spans(ents + found)
        return doc


def _is_name_token(token) -> bool:
    text = token.text
    return text[:1].isupper() and not token.is_punct and not text.isupper() or text in ("O'Brien",)


# -- gazetteers and patterns ------------------------------------------------------------


def _data_text(name: str) -> str:
    return resources.files("annotations.data").joinpath(name).read_text("utf-8")


def gazetteer_files() -> list[str]:
    folder = resources.files("annotations.data").joinpath(GAZETTEER_DIR)
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tsv"))


def read_gazetteer(name: str) -> list[tuple[str, str]]:
    """(label, phrase) pairs of one gazetteer file."""
    rows = []
    text = resources.files("annotations.data").joinpath(GAZETTEER_DIR, name).read_text("utf-8")
    for n, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        label, _, phrase = line.partition("\t")
        if label not in ENTITY_LABELS or not phrase.strip():
            raise TandaiError(f"gazetteer {name}:{n}: expected LABEL<TAB>name with a label of {', '.join(ENTITY_LABELS)}")
        rows.append((label, phrase.strip()))
    return rows


_DAYS = list(WEEKDAYS)
_MONTHS = list(MONTHS)
_UNITS = ["orang", "tentara", "prajurit", "personel", "warga", "korban", "jiwa", "desa", "tank", "drone",
          "rudal", "pesawat", "jenazah", "tahanan", "pengungsi", "anak", "rumah", "tentaranya"]
_DURATIONS = ["hari", "jam", "pekan", "minggu", "bulan", "tahun", "menit"]
_NUMBER_WORDS = ["satu", "dua", "tiga", "empat", "lima", "enam", "tujuh", "delapan", "sembilan", "sepuluh",
                 "puluhan", "ratusan", "ribuan", "belasan", "beberapa", "sebelas", "seratus", "seribu"]
_NUM = {"TEXT": {"REGEX": r"^\d+([.,]\d+)*$"}}
_NUMERIC = [{"LOWER": {"IN": _NUMBER_WORDS}}, _NUM]
_DAY_NUM = {"TEXT": {"REGEX": r"^\d{1,2}$"}}
_YEAR = {"TEXT": {"REGEX": r"^(1[89]|20)\d\d$"}}
_SLASH_DATE = {"TEXT": {"REGEX": r"^\d{1,2}/\d{1,2}(/\d{2,4})?$"}}


def date_and_quantity_patterns() -> list[dict]:
    """Token patterns for Indonesian dates ("Senin (26/10/2020)", "Rabu, 1 Juli 2020") and counts ("5.000 orang")."""
    day = {"ORTH": {"IN": _DAYS}}
    month = {"ORTH": {"IN": _MONTHS}}
    optional_year = dict(_YEAR, OP="?")
    dates = [
        [day, {"ORTH": "("}, _SLASH_DATE, {"ORTH": ")"}],
        [day, {"ORTH": ",", "OP": "?"}, _DAY_NUM, month, optional_year],
        [_DAY_NUM, month, optional_year],
        [month, _YEAR],
        [{"LOWER": "tahun"}, _YEAR, {"ORTH": "-", "OP": "?"}, {"LOWER": "an", "OP": "?"}],
        [_YEAR, {"ORTH": "-"}, {"LOWER": "an"}],
        [{"LOWER": {"IN": ["hari", "pekan", "minggu", "bulan", "tahun"]}}, {"LOWER": {"IN": ["ini", "lalu", "depan"]}}],
        [{"LOWER": {"IN": ["beberapa", "lima", "tiga", "dua", "empat", "enam"]}}, {"LOWER": {"IN": _DURATIONS}},
         {"LOWER": "terakhir", "OP": "?"}],
        [_NUM, {"LOWER": {"IN": _DURATIONS}}],
        [day],
    ]
    quantities = []
    for number in _NUMERIC:
        quantities.append([number, {"LOWER": {"IN": ["ribu", "juta"]}, "OP": "?"},
                           {"LOWER": {"IN": _UNITS}}, {"LOWER": "sipil", "OP": "?"}])
    return [{"label": "DATE", "pattern": p} for p in dates] + [
        {"label": "QUANTITY", "pattern": p} for p in quantities
    ]


def build_pipeline(gazetteers: Iterable[str] | None = None) -> Language:
    """The default pre-tagging pipeline (see the module docstring)."""
    nlp = spacy.blank("id", config={"nlp": {"tokenizer": {"@tokenizers": "tandai.Tokenizer.v1"}}})
    nlp.add_pipe("tandai_sentences")
    ruler = nlp.add_pipe("entity_ruler", config={"phrase_matcher_attr": "ORTH", "validate": False})
    patterns: list[dict] = date_and_quantity_patterns()
    for name in gazetteer_files() if gazetteers is None else gazetteers:
        patterns.extend({"label": label, "pattern": phrase} for label, phrase in read_gazetteer(name))
    ruler.add_patterns(patterns)
    nlp.add_pipe("tandai_titles")
    nlp.add_pipe("tandai_triggers")  # after the entities: a trigger never overlaps one
    nlp.meta["name"] = DEFAULT_MODEL
    return nlp


def compose_with_rules(trained: Language) -> Language:
    """The rules' pipeline with a trained one's components after them: the trained ``ner`` keeps the
    entities the rules set (spaCy's parser never overwrites preset entities) and fills the gaps
    around them; span groups the rules wrote are kept beside the trained spancats' (``rule_spans``)."""
    nlp = build_pipeline()
    names = [name for name in trained.pipe_names if name not in nlp.pipe_names]
    keys = sorted({pipe.key for name in names if isinstance(pipe := trained.get_pipe(name), SpanCategorizer)})
    if keys:
        nlp.add_pipe("tandai_rule_spans_aside", config={"keys": keys})
    for name in names:
        nlp.add_pipe(name, source=trained)
    if keys:
        nlp.add_pipe("tandai_rule_spans_back", config={"keys": keys})
    nlp.meta.update({k: v for k, v in trained.meta.items() if k not in ("pipeline", "components", "disabled")})
    return nlp


# -- tagging the store ---------------------------------------------------------------------


def load_model(name_or_path: str | None) -> tuple[str, Language]:
    """(model name, pipeline): the default rules, or an installed spaCy pipeline by name or path."""
    if not name_or_path:
        return DEFAULT_MODEL, build_pipeline()
    path = Path(name_or_path)
    if path.is_dir() and not (path / "config.cfg").exists() and (path / "model-best").is_dir():
        path = path / "model-best"  # the output folder of `python -m spacy train`
        name_or_path = str(path)
    try:
        nlp = spacy.load(name_or_path)
    except OSError as exc:
        raise TandaiError(f"cannot load spaCy pipeline {name_or_path!r}: {str(exc).splitlines()[0]}") from None
    name = f"{nlp.meta.get('lang', 'xx')}_{nlp.meta.get('name', Path(name_or_path).name)}-{nlp.meta.get('version', '0')}"
    return name, nlp


def _snap(tokens: list[tuple[int, int]], start: int, end: int,
          starts: Sequence[int] | None = None, ends: Sequence[int] | None = None) -> tuple[int, int] | None:
    """Widen a character span to the store's token boundaries (None if it covers no token).

    Tokens are sorted and do not overlap, so the first and last token touched
    are found by bisection (pass ``starts``/``ends`` to reuse them across spans).
    """
    starts = [t[0] for t in tokens] if starts is None else starts
    ends = [t[1] for t in tokens] if ends is None else ends
    first = bisect.bisect_right(ends, start)  # the first token ending after start
    last = bisect.bisect_left(starts, end) - 1  # the last token starting before end
    if first > last:
        return None
    return tokens[first][0], tokens[last][1]


SPAN_THRESHOLD = 0.5  # a span categoriser scores every candidate; below this it is noise, not a suggestion


def doc_suggestions(doc: Doc, tokens: list[tuple[int, int]], scheme_labels: dict[str, str],
                    threshold: float = SPAN_THRESHOLD) -> list[tuple]:
    """(layer, label, start, end, score) rows from a processed Doc: its ents and tandai span groups."""
    rows = {}
    found = [(ent.label_, ent.start_char, ent.end_char, None) for ent in doc.ents]
    for group in ("entity", "event", "claim"):
        if group in doc.spans:
            spans = doc.spans[group]
            scores = spans.attrs.get("scores")
            for n, span in enumerate(spans):
                score = float(scores[n]) if scores is not None else None
                if score is not None and numpy.isnan(score):
                    score = None  # a rule's span among a trained model's (``rule_spans``)
                if score is None or score >= threshold:
                    found.append((span.label_, span.start_char, span.end_char, score))
    starts, ends = zip(*tokens) if tokens else ((), ())
    for label, start, end, score in found:
        label = FOREIGN_LABELS.get(label, label)
        layer = scheme_labels.get(label or "")
        snapped = _snap(tokens, start, end, starts, ends) if layer else None
        if snapped:
            key = (layer, label, snapped[0], snapped[1])
            if key not in rows or (score or 0) > (rows[key] or 0):
                rows[key] = score
    return sorted(((*key, score) for key, score in rows.items()), key=itemgetter(2, 3, 1))


def tag_documents(store: Store, model: str | None = None, *, doc_ids: list[str] | None = None,
                  first: str | None = None, batch_size: int = 200,
                  progress: Callable[[int, int], None] | None = None) -> dict[str, float]:
    """Pre-tag articles that have no suggestions from this model yet (or ``doc_ids``), ``first`` (the
    article the annotator has open) before the others; returns counts and timings."""
    started = time.perf_counter()
    name, nlp = load_model(model)
    built = time.perf_counter() - started
    scheme = store.scheme
    scheme_labels = {label: layer.name for layer in scheme.layers.values() for label in layer.label_names}
    todo = store.untagged_documents(name) if doc_ids is None else doc_ids
    if first in todo:
        todo = [first, *(doc_id for doc_id in todo if doc_id != first)]
    if progress:
        progress(0, len(todo))
    suggested = 0
    # The project's tokenizer gets the stored tokens instead of tokenizing again:
    # cheaper, and suggestions are made of exactly the tokens spans snap to.
    stored_tokens = isinstance(nlp.tokenizer, TandaiTokenizer)
    for first in range(0, len(todo), batch_size):
        chunk = store.texts_and_tokens(todo[first:first + batch_size])
        results = {}
        inputs = (make_doc(nlp.vocab, text, tokens) if stored_tokens else text for _, text, tokens in chunk)
        for (doc_id, _, tokens), doc in zip(chunk, nlp.pipe(inputs)):
            results[doc_id] = doc_suggestions(doc, tokens, scheme_labels)
        suggested += store.replace_suggestions(name, results)
        if progress:
            progress(min(first + batch_size, len(todo)), len(todo))
    return {"model": name, "documents": len(todo), "suggestions": suggested,
            "build_seconds": built, "seconds": time.perf_counter() - started}
