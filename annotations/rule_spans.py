"""Keep the rules' span groups when a trained span categoriser runs after them in one pipeline.

A spancat writes ``doc.spans[key]`` whole, so in a pipeline of rules then a
trained model (``pretag.compose_with_rules``) it would drop what rule
components put under the same key (event triggers, say). ``tandai_rule_spans_aside``
moves those groups aside before the model's components and
``tandai_rule_spans_back`` puts them back beside the model's spans after them.
As the trained ``ner`` keeps the rules' entities, the model's spans fill the
gaps around the rules' spans: one that overlaps a rule's span is dropped
(unless it is the same span and label). A rule's span has no score: its entry
in the group's ``scores`` is NaN, which ``pretag.doc_suggestions`` reads as none.

This module imports spaCy: the pre-tagging pipeline loads it, never the app.
"""
from __future__ import annotations

import numpy
from spacy.language import Language
from spacy.tokens import Doc, SpanGroup

ASIDE = "tandai_rules:"  # prefix of the keys the rules' groups wait under


@Language.factory("tandai_rule_spans_aside", default_config={"keys": []})
def make_aside(nlp: Language, name: str, keys: list[str]):
    def aside(doc: Doc) -> Doc:
        for key in keys:
            if key in doc.spans:
                doc.spans[ASIDE + key] = doc.spans.pop(key)
        return doc

    return aside


@Language.factory("tandai_rule_spans_back", default_config={"keys": []})
def make_back(nlp: Language, name: str, keys: list[str]):
    def back(doc: Doc) -> Doc:
        for key in keys:
            rules = doc.spans.pop(ASIDE + key, None)
            if not rules:
                continue
            model = doc.spans.get(key)
            if model is None or not len(model):
                doc.spans[key] = rules
                continue
            ruled = {(s.start, s.end, s.label) for s in rules}
            covered = {i for s in rules for i in range(s.start, s.end)}
            keep = [n for n, s in enumerate(model)
                    if (s.start, s.end, s.label) in ruled or covered.isdisjoint(range(s.start, s.end))]
            kept = {(model[n].start, model[n].end, model[n].label) for n in keep}
            extra = [s for s in rules if (s.start, s.end, s.label) not in kept]
            scores = model.attrs.get("scores")
            group = SpanGroup(doc, name=key, spans=[model[n] for n in keep] + extra)
            if scores is not None:
                group.attrs["scores"] = numpy.concatenate([numpy.asarray(scores, dtype="float32")[keep],
                                                           numpy.full(len(extra), numpy.nan, dtype="float32")])
            doc.spans[key] = group
        return doc

    return back
