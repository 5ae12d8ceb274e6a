"""Pre-tagging: suggest entities with spaCy so annotators start from something.

No Indonesian NER model can be downloaded here, so the default pipeline is
``spacy.blank("id")`` with the project's own tokenizer (the one the store
uses, so suggestions always align), a line-aware sentence splitter, an
EntityRuler fed by the gazetteers in ``data/gazetteer/``, names with
designators ("Distrik Martuni"), Indonesian date and quantity patterns, then
gazetteer names printed in capitals, peoples ("warga Palestina") and names
after titles (Presiden, Menlu ...) with their surnames later in the article:
the rules are in ``entity_rules``. Any installed spaCy pipeline can be used
instead with ``--model``.

This module imports spaCy: only the tag command loads it (the app runs that command in a child).
"""
from __future__ import annotations

import bisect
import time
from contextlib import closing
from collections.abc import Callable, Iterable, Iterator, Sequence
from operator import itemgetter
from pathlib import Path

import numpy
import spacy
from spacy.attrs import IDX, IS_SPACE, LENGTH, ORTH, SENT_START, SPACY
from spacy.language import Language
from spacy.pipeline import SpanCategorizer
from spacy.tokens import Doc

from . import rule_spans  # noqa: F401  (registers the components composed pipelines use)
from .doc_arrays import entities
from .entity_rules import date_and_quantity_patterns, gazetteer_files, gazetteer_patterns
from .errors import TandaiError
from .fork_pool import forked_map, free_cores, gc_frozen
from .store import Store
from .tokens import sentence_starts, spacy_layout, tokenize
from .trigger_lexicon import bundled_text, default_lexicon, parse_lexicon
from .triggers import make_triggers  # noqa: F401  (registers the tandai_triggers component)
from .windowed_ruler import WindowedEntityRuler  # noqa: F401  (registers the tandai_entity_ruler component)

DEFAULT_MODEL = "tandai-rules"
# Labels other pipelines use, mapped onto the scheme's entity labels.
FOREIGN_LABELS = {
    "PERSON": "PER", "LOCATION": "LOC", "ORGANIZATION": "ORG", "ORGANISATION": "ORG",
    "TIME": "DATE", "CARDINAL": "QUANTITY", "MONEY": "QUANTITY", "PERCENT": "QUANTITY",
    "MISC": None, "EVENT": None,
}


# -- the tokenizer spaCy uses ------------------------------------------------------


def make_doc(vocab, text: str, tokens: Sequence[tuple[int, int]] | None = None, *, sentences: bool = False) -> Doc:
    """A spaCy Doc whose tokens are exactly the store's tokens (see ``tokens.spacy_layout``); with
    ``sentences``, its sentence starts set too (as ``tandai_sentences`` would set them), while the
    text and its tokens are at hand."""
    tokens = tokenize(text) if tokens is None else tokens
    starts, ends, spaces = spacy_layout(text, tokens)
    words = [text[s:e] for s, e in zip(starts, ends)]
    doc = Doc(vocab, words=words, spaces=spaces)
    if sentences and len(words) > 1:  # (one word is a sentence's start already)
        rows = [k for k, word in enumerate(words) if not word.isspace()]
        # tokens hold no whitespace: they are those words, unless a gap between them holds something else
        _set_sentences(doc, text, rows, tokens if len(rows) == len(tokens) else [(starts[k], ends[k]) for k in rows])
    return doc


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
    """Sentence starts from ``annotations.tokens`` (line breaks always end a sentence), unless the Doc
    has them already (``make_doc`` sets them on stored articles)."""
    if not len(doc) or (len(doc) > 1 and doc.has_annotation("SENT_START")):
        return doc
    # The Doc read as arrays: a Token object per word (as Doc.text makes) costs more than the rule.
    cols = doc.to_array([ORTH, SPACY, IDX, LENGTH, IS_SPACE])
    strings = doc.vocab.strings
    text = "".join([strings[orth] + " " if space else strings[orth] for orth, space in cols[:, :2].tolist()])
    rows = numpy.flatnonzero(cols[:, 4] == 0)
    starts = cols[rows, 2]
    _set_sentences(doc, text, rows, list(zip(starts.tolist(), (starts + cols[rows, 3]).tolist())))
    return doc


def _set_sentences(doc: Doc, text: str, rows: Sequence[int], words: Sequence[tuple[int, int]]) -> None:
    """Mark the sentence starts of ``doc``, whose words that are not whitespace are ``words`` (character
    offsets) at ``rows``, in one write: setting Token.is_sent_start a token at a time rescans the Doc
    on every call, quadratic in its length."""
    if not len(doc):
        return
    flags = numpy.full((len(doc), 1), -1, dtype="int64")  # -1: not a start
    flags[numpy.asarray(rows, dtype="int64")[sentence_starts(text, words)], 0] = 1
    flags[0, 0] = 1
    doc.from_array([SENT_START], flags.astype("uint64"))


def build_pipeline(gazetteers: Iterable[str] | None = None, triggers: str | None = None) -> Language:
    """The default pre-tagging pipeline (see the module docstring and ``entity_rules``), suggesting the
    events of the trigger lexicon ``triggers`` (a scheme's, as TOML text; "" none; None the bundled one).
    Whatever reuses a built pipeline must key on both arguments: databases' schemes differ."""
    nlp = spacy.blank("id", config={"nlp": {"tokenizer": {"@tokenizers": "tandai.Tokenizer.v1"}}})
    nlp.add_pipe("tandai_sentences")
    gazetteers = gazetteer_files() if gazetteers is None else list(gazetteers)
    ruler = nlp.add_pipe("tandai_entity_ruler", name="entity_ruler")
    ruler.add_patterns(date_and_quantity_patterns() + gazetteer_patterns(gazetteers))
    nlp.add_pipe("tandai_designators", config={"gazetteers": gazetteers})
    nlp.add_pipe("tandai_dates")
    nlp.add_pipe("tandai_capitals", config={"gazetteers": gazetteers})
    nlp.add_pipe("tandai_peoples")
    nlp.add_pipe("tandai_acronyms")
    nlp.add_pipe("tandai_titles")
    nlp.add_pipe("tandai_places")
    nlp.add_pipe("tandai_triggers")  # after the entities: a trigger never overlaps one
    if triggers is not None:
        use_triggers(nlp, triggers)
    nlp.meta["name"] = DEFAULT_MODEL
    return nlp


def use_triggers(nlp: Language, triggers: str) -> None:
    """Make ``nlp``'s trigger component (if it has one) suggest the lexicon ``triggers`` (TOML text)."""
    if "tandai_triggers" in nlp.pipe_names:
        bundled = triggers == bundled_text()  # the lexicon the tagger was made with, parsed once per process
        nlp.get_pipe("tandai_triggers").use(default_lexicon() if bundled else
                                            parse_lexicon(triggers, "the scheme's trigger lexicon"))


RULE_SPANS = ("tandai_rule_spans_aside", "tandai_rule_spans_back")  # around a trained spancat (``rule_spans``)


def compose_with_rules(trained: Language, leave_out: Iterable[str] = (), triggers: str | None = None, *,
                       onto: Language | None = None) -> Language:
    """The rules' pipeline with a trained one's components after them: the trained ``ner`` keeps the
    entities the rules set (spaCy's parser never overwrites preset entities) and fills the gaps
    around them; span groups the rules wrote are kept beside the trained spancats' (``rule_spans``).
    ``leave_out`` names layers (entity, event, claim) whose trained component stays out; the rules suggest
    the trigger lexicon ``triggers`` (as ``build_pipeline``). ``onto``: a pipeline this function composed
    from ``trained`` before, whose trained components are chosen again (its rules are not built again)."""
    if onto is None:
        nlp = build_pipeline(triggers=triggers)
    else:
        nlp = onto
        for name in trained_components(nlp, trained):
            nlp.remove_pipe(name)
    leave_out = set(leave_out)

    def layer(name: str) -> str | None:
        pipe = trained.get_pipe(name)
        return pipe.key if isinstance(pipe, SpanCategorizer) else "entity" if name == "ner" else None

    layers = {name: layer(name) for name in trained.pipe_names if name not in nlp.pipe_names}
    names = [name for name, of in layers.items() if of is not None and of not in leave_out]
    if names:  # what the kept components share (tok2vec) comes too, in its place
        names = [name for name in layers if name in names or layers[name] is None]
    keys = sorted({layers[name] for name in names if isinstance(trained.get_pipe(name), SpanCategorizer)})
    if keys:
        nlp.add_pipe(RULE_SPANS[0], config={"keys": keys})
    for name in names:
        nlp.add_pipe(name, source=trained)
    if keys:
        nlp.add_pipe(RULE_SPANS[1], config={"keys": keys})
    nlp.meta.update({k: v for k, v in trained.meta.items() if k not in ("pipeline", "components", "disabled")})
    return nlp


def trained_components(composed: Language, trained: Language) -> list[str]:
    """The components ``compose_with_rules`` put after the rules in ``composed``: without them it is the rules."""
    return [name for name in composed.pipe_names if name in trained.pipe_names or name in RULE_SPANS]


# -- tagging the store ---------------------------------------------------------------------


def load_model(name_or_path: str | None, triggers: str | None = None) -> tuple[str, Language]:
    """(model name, pipeline): the default rules, or an installed spaCy pipeline by name or path; a
    pipeline with tandai's trigger component suggests the lexicon ``triggers`` (as ``build_pipeline``)."""
    if not name_or_path:
        return DEFAULT_MODEL, build_pipeline(triggers=triggers)
    path = Path(name_or_path)
    if path.is_dir() and not (path / "config.cfg").exists() and (path / "model-best").is_dir():
        path = path / "model-best"  # the output folder of `python -m spacy train`
        name_or_path = str(path)
    try:
        nlp = spacy.load(name_or_path)
    except OSError as exc:
        raise TandaiError(f"cannot load spaCy pipeline {name_or_path!r}: {str(exc).splitlines()[0]}") from None
    if triggers is not None:
        use_triggers(nlp, triggers)
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
    found = [(ent.label_, ent.start_char, ent.end_char, None) for ent in entities(doc)]
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


PARALLEL_FROM = 100  # articles; fewer are tagged in this process (forking workers would cost more)


def _suggest(state: tuple[Language, dict[str, str]], chunk: list[tuple[str, str, list]]) -> dict[str, list[tuple]]:
    """Suggestions per article of a chunk of (doc_id, text, tokens), here or in a forked worker."""
    nlp, scheme_labels = state
    # The project's tokenizer gets the stored tokens instead of tokenizing again:
    # cheaper, and suggestions are made of exactly the tokens spans snap to.
    stored_tokens = isinstance(nlp.tokenizer, TandaiTokenizer)
    inputs = (make_doc(nlp.vocab, text, tokens, sentences=True) if stored_tokens else text
              for _, text, tokens in chunk)
    return {doc_id: doc_suggestions(doc, tokens, scheme_labels)
            for (doc_id, _, tokens), doc in zip(chunk, nlp.pipe(inputs))}


def tag_documents(store: Store, model: str | None = None, *, doc_ids: list[str] | None = None,
                  first: str | None = None, batch_size: int = 200, workers: int | None = None,
                  progress: Callable[[int, int], None] | None = None) -> dict[str, float]:
    """Pre-tag articles that have no suggestions from this model yet (or ``doc_ids``), ``first`` (the
    article the annotator has open) before the others, in a batch of its own (its suggestions are
    stored, and ``progress`` told, before the next batch is tagged); returns counts and timings.

    ``workers`` processes tag (forked once the pipeline is built, so they share it); by default one
    per free core (``fork_pool.free_cores``) from ``PARALLEL_FROM`` articles, else none: this
    process tags. Only this process reads and writes the store, a batch of at most ``batch_size``
    articles at a time, in order."""
    started = time.perf_counter()
    scheme = store.scheme  # its trigger lexicon, not the bundled one: the database's own events
    name, nlp = load_model(model, scheme.triggers)
    built = time.perf_counter() - started
    state = nlp, {label: layer.name for layer in scheme.layers.values() for label in layer.label_names}
    todo = store.untagged_documents(name) if doc_ids is None else doc_ids
    alone = first in todo
    if alone:
        todo = [first, *(doc_id for doc_id in todo if doc_id != first)]
    if workers is None:
        workers = free_cores() if len(todo) >= PARALLEL_FROM else 0
    if workers > 1:  # batches small enough for every worker to have several
        batch_size = max(1, min(batch_size, -(-len(todo) // (4 * workers))))
    batches = [todo[:1]] if alone else []  # the open article alone: its suggestions come first
    batches += [todo[at:at + batch_size] for at in range(len(batches), len(todo), batch_size)]
    chunks = (store.texts_and_tokens(batch) for batch in batches)
    results = forked_map(_suggest, state, chunks, workers) if workers > 1 else (_suggest(state, c) for c in chunks)
    if progress:
        progress(0, len(todo))
    suggested = done = 0
    # (what was built is left out of garbage collections while it tags: ``gc_frozen``)
    with gc_frozen(), closing(results):  # on an error here, the workers stop too
        for by_doc, batch in zip(results, batches):
            suggested += store.replace_suggestions(name, by_doc)
            done += len(batch)
            if progress:
                progress(done, len(todo))
    return {"model": name, "documents": len(todo), "suggestions": suggested, "build_seconds": built,
            "seconds": time.perf_counter() - started}
