"""The ``config.cfg`` written beside a spaCy export, generated for the data it was written with.

The pipeline is ``tok2vec`` (shared, small CNN) + ``ner`` trained on
``doc.ents`` (the entity layer, overlaps resolved longest-first) + one
``spancat`` per span layer that holds data among ``event`` and ``claim``,
each with ``spans_key`` equal to the layer, so a trained pipeline writes
``doc.spans["event"]`` and ``doc.spans["claim"]`` and ``tandai tag --model``
turns them into suggestions. (Entities are left to NER: the ``entity`` span
group in the DocBin keeps overlapping entities for other uses.) Each
spancat's n-gram suggester covers 1 token up to the longest span of its layer
in the data (at most ``MAX_SUGGEST``), so every annotated span can be
proposed. The tokenizer is ``tandai.Tokenizer.v1``: the model tokenizes as
the store does, so training never misaligns (no W030).

No spaCy import here: writing the config needs none.
"""
from __future__ import annotations

MAX_SUGGEST = 40
SPANCAT_LAYERS = ("event", "claim")

_HEADER = """\
# spaCy training config written by tandai ({what}).
# Train with:
#   python -m spacy train config.cfg --paths.train train.spacy --paths.dev dev.spacy --output model/
# or `tandai train -o model/`, which exports and trains in one step.
# Pipeline: {pipeline}.
# ner learns doc.ents (the entity layer); spancat_<layer> learns doc.spans[<layer>].
"""

_BASE = """\
[paths]
train = null
dev = null
vectors = null
init_tok2vec = null

[system]
gpu_allocator = null
seed = {seed}

[nlp]
lang = "id"
pipeline = [{pipeline_list}]
batch_size = 256
disabled = []
before_creation = null
after_creation = null
after_pipeline_creation = null

[nlp.tokenizer]
@tokenizers = "tandai.Tokenizer.v1"

[components]

[components.tok2vec]
factory = "tok2vec"

[components.tok2vec.model]
@architectures = "spacy.Tok2Vec.v2"

[components.tok2vec.model.embed]
@architectures = "spacy.MultiHashEmbed.v2"
width = ${{components.tok2vec.model.encode.width}}
attrs = ["NORM","PREFIX","SUFFIX","SHAPE"]
rows = [5000,1000,2500,2500]
include_static_vectors = false

[components.tok2vec.model.encode]
@architectures = "spacy.MaxoutWindowEncoder.v2"
width = 96
depth = 4
window_size = 1
maxout_pieces = 3
"""

_NER = """
[components.ner]
factory = "ner"
incorrect_spans_key = null
moves = null
scorer = {{"@scorers":"spacy.ner_scorer.v1"}}
update_with_oracle_cut_size = 100

[components.ner.model]
@architectures = "spacy.TransitionBasedParser.v2"
state_type = "ner"
extra_state_tokens = false
hidden_width = 64
maxout_pieces = 2
use_upper = true
nO = null

[components.ner.model.tok2vec]
@architectures = "spacy.Tok2VecListener.v1"
width = ${{components.tok2vec.model.encode.width}}
upstream = "*"
"""

_SPANCAT = """
[components.spancat_{layer}]
factory = "spancat"
spans_key = "{layer}"
threshold = 0.5
max_positive = null
scorer = {{"@scorers":"spacy.spancat_scorer.v1"}}

[components.spancat_{layer}.model]
@architectures = "spacy.SpanCategorizer.v1"

[components.spancat_{layer}.model.reducer]
@layers = "spacy.mean_max_reducer.v1"
hidden_size = 128

[components.spancat_{layer}.model.scorer]
@layers = "spacy.LinearLogistic.v1"
nO = null
nI = null

[components.spancat_{layer}.model.tok2vec]
@architectures = "spacy.Tok2VecListener.v1"
width = ${{components.tok2vec.model.encode.width}}
upstream = "*"

[components.spancat_{layer}.suggester]
@misc = "spacy.ngram_range_suggester.v1"
min_size = 1
max_size = {max_size}
"""

_TRAINING = """
[corpora]

[corpora.dev]
@readers = "spacy.Corpus.v1"
path = ${{paths.dev}}
max_length = 0
gold_preproc = false
limit = 0
augmenter = null

[corpora.train]
@readers = "spacy.Corpus.v1"
path = ${{paths.train}}
max_length = 0
gold_preproc = false
limit = 0
augmenter = null

[training]
dev_corpus = "corpora.dev"
train_corpus = "corpora.train"
seed = ${{system.seed}}
gpu_allocator = ${{system.gpu_allocator}}
dropout = 0.1
accumulate_gradient = 1
patience = 1600
max_epochs = 0
max_steps = {max_steps}
eval_frequency = {eval_frequency}
frozen_components = []
annotating_components = []
before_to_disk = null
before_update = null

[training.batcher]
@batchers = "spacy.batch_by_words.v1"
discard_oversize = false
tolerance = 0.2
get_length = null

[training.batcher.size]
@schedules = "compounding.v1"
start = 100
stop = 1000
compound = 1.001
t = 0.0

[training.logger]
@loggers = "spacy.ConsoleLogger.v1"
progress_bar = false

[training.optimizer]
@optimizers = "Adam.v1"
beta1 = 0.9
beta2 = 0.999
L2_is_weight_decay = true
L2 = 0.01
grad_clip = 1.0
use_averages = false
eps = 0.00000001
learn_rate = 0.001

[training.score_weights]
{score_weights}

[pretraining]

[initialize]
vectors = ${{paths.vectors}}
init_tok2vec = ${{paths.init_tok2vec}}
vocab_data = null
lookups = null
before_init = null
after_init = null

[initialize.components]

[initialize.tokenizer]
"""


def pipeline_for(ner: bool, spancat_sizes: dict[str, int]) -> list[str]:
    names = ["tok2vec"]
    if ner:
        names.append("ner")
    names.extend(f"spancat_{layer}" for layer in SPANCAT_LAYERS if layer in spancat_sizes)
    return names


def training_config(*, ner: bool, spancat_sizes: dict[str, int], what: str = "tandai export spacy",
                    seed: int = 0, max_steps: int = 20000, eval_frequency: int = 200) -> str:
    """The config text: ``ner`` if entities are in the training data, a spancat per layer in ``spancat_sizes``
    (layer -> longest span in tokens, capped at MAX_SUGGEST)."""
    pipeline = pipeline_for(ner, spancat_sizes)
    parts = [
        _HEADER.format(what=what, pipeline=" + ".join(pipeline)),
        _BASE.format(seed=seed, pipeline_list=",".join(f'"{p}"' for p in pipeline)),
    ]
    weights: list[str] = []
    scored = (["ents"] if ner else []) + [f"spans_{layer}" for layer in SPANCAT_LAYERS if layer in spancat_sizes]
    if ner:
        parts.append(_NER.format())
    for layer in SPANCAT_LAYERS:
        if layer in spancat_sizes:
            parts.append(_SPANCAT.format(layer=layer, max_size=max(1, min(MAX_SUGGEST, spancat_sizes[layer]))))
    share = round(1.0 / len(scored), 4) if scored else 1.0
    for key in scored:
        weights += [f"{key}_f = {share}", f"{key}_p = 0.0", f"{key}_r = 0.0"]
    if ner:
        weights.append("ents_per_type = null")
    # spancat's defaults score the key "sc", which this pipeline does not use.
    if spancat_sizes:
        weights += ["spans_sc_f = null", "spans_sc_p = null", "spans_sc_r = null"]
    parts.append(_TRAINING.format(max_steps=max_steps, eval_frequency=eval_frequency,
                                  score_weights="\n".join(weights)))
    return "".join(parts)
