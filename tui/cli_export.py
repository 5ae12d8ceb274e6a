"""Commands that move labelled data out and back in: export, train.

Thin layers over ``annotations.export``: parse options, call one library
function, print its summary on standard error (so ``-o -`` output stays clean).
"""
from __future__ import annotations

import click

from annotations.errors import TandaiError
from annotations.export import FORMATS

STATUS_CHOICES = ["done", "any", "todo", "doing", "skipped", "flagged"]


def _selection_options(fn):
    for option in reversed([
        click.option("--from", "who", metavar="NAME|gold",
                     help="Whose annotations: a name, or gold for the reviewed layer. [default: you]"),
        # The option's first name, kept working; here it never meant anything but --from.
        click.option("--annotator", "who_as_annotator", metavar="NAME", hidden=True),
        click.option("--all", "all_annotators", is_flag=True,
                     help="Every human annotator, with the annotator's name in each record."),
        click.option("--status", type=click.Choice(STATUS_CHOICES), default="done", show_default=True,
                     help="Articles with this progress status for the annotator (any: every article they touched;"
                          " for gold, done is settled in review and any adds unsettled ones)."),
        click.option("--layer", "layers", multiple=True, type=click.Choice(["entity", "event", "claim"]),
                     help="Only these layers (repeatable). [default: all; iob: entity]"),
    ]):
        fn = option(fn)
    return fn


def _annotator(ctx: click.Context, who: str | None, who_as_annotator: str | None, all_annotators: bool) -> str | None:
    if who and who_as_annotator and who != who_as_annotator:
        raise TandaiError("give --from NAME once (--annotator after the command is its old name)")
    who = who or who_as_annotator
    if all_annotators and who:
        raise TandaiError("give --from NAME or --all, not both")
    return None if all_annotators else (who or ctx.obj["annotator"])


@click.command("export")
@click.argument("fmt", metavar="FORMAT", type=click.Choice(FORMATS))
@click.option("-o", "--output", "out", required=True, type=click.Path(allow_dash=True),
              help="Output file (prodigy, dygiepp, events-csv; - for standard output) or directory (spacy, brat, iob).")
@_selection_options
@click.option("--split", type=float, help="spacy: fraction of articles for train.spacy, the rest dev.spacy. [default: 0.8]")
@click.option("--seed", type=int, default=0, show_default=True, help="spacy: seed of the article split.")
@click.option("--report", "report_path", type=click.Path(),
              help="Also write the full summary, every item not written, as JSON.")
@click.option("--force", is_flag=True, help="brat: write into a non-empty folder tandai did not write"
              " (what is there is kept: no file is replaced or removed).")
@click.pass_context
def export_cmd(ctx: click.Context, fmt: str, out: str, who: str | None, who_as_annotator: str | None,
               all_annotators: bool, status: str, layers: tuple[str, ...], split: float | None, seed: int,
               report_path: str | None, force: bool) -> None:
    """Write annotations as FORMAT: spacy, prodigy, brat, dygiepp, iob or events-csv.

    A summary goes to standard error: articles, spans per layer and label,
    links, and every span or link the format cannot hold, by article and offset.
    """
    from annotations.export import export

    from .cli import progress_bar, say
    from .upgrade_line import open_upgrading

    annotator = _annotator(ctx, who, who_as_annotator, all_annotators)
    with open_upgrading(ctx.obj["db"], create=False) as store, progress_bar(f"exporting {fmt}") as progress:
        if report_path:
            store.refuse_own_file(report_path, "a report's output")
        report = export(store, fmt, out, annotator=annotator, all_annotators=all_annotators, status=status,
                        layers=list(layers) or None, split=split, seed=seed, force=force, progress=progress)
    if report_path:
        report.write_json(report_path)
    say(report.render(), err=True)


@click.command("train")
@click.option("-o", "--output", "out", required=True, type=click.Path(file_okay=False),
              help="Model directory (the trained pipeline; data and log under training/).")
@_selection_options
@click.option("--split", type=float, default=0.8, show_default=True, help="Fraction of articles to train on (rest: dev).")
@click.option("--seed", type=int, default=0, show_default=True, help="Seed of the split and of training.")
@click.option("--max-steps", type=int, default=2000, show_default=True, help="Training steps at most.")
@click.option("--eval-frequency", type=int, default=200, show_default=True, help="Evaluate on dev every N steps.")
@click.option("--gpu", type=int, default=-1, show_default=True, help="GPU id (-1: CPU).")
@click.pass_context
def train_cmd(ctx: click.Context, out: str, who: str | None, who_as_annotator: str | None,
              all_annotators: bool, status: str, layers: tuple[str, ...], split: float, seed: int, max_steps: int,
              eval_frequency: int, gpu: int) -> None:
    """Train a spaCy pipeline (NER + span categorisation) on the chosen annotations.

    OUTPUT holds the rules followed by the trained model, which adds to them (OUTPUT/training/model-best
    is the model alone). Then pre-tag with it: tandai tag --model OUTPUT
    """
    from annotations.export.train import train

    from .cli import progress_bar, say
    from .upgrade_line import open_upgrading

    annotator = _annotator(ctx, who, who_as_annotator, all_annotators)
    with open_upgrading(ctx.obj["db"], create=False) as store, progress_bar("training") as progress:
        result = train(store, out, annotator=annotator, all_annotators=all_annotators, status=status,
                       layers=list(layers) or None, split=split, seed=seed, max_steps=max_steps,
                       eval_frequency=eval_frequency, gpu=gpu, progress=progress)
    say(result["report"].render(), err=True)
    scores = ", ".join(f"{k} {v:.3f}" for k, v in sorted(result["scores"].items()) if k.endswith("_f"))
    say(f"model {result['name']} ({' + '.join(result['pipeline'])}) saved in {result['path']}"
               + (f": {scores}" if scores else "") + f"\n  log: {result['log']}"
               + f"\n  pre-tag with it: tandai tag --model {result['path']}"
               + "".join(f"\n  its {layer} component is left out: with it the rules' F1 on the dev part"
                         f" falls from {f1['rules']:.3f} to {f1['rules+model']:.3f}"
                         for layer, f1 in result["left_out"].items())
               + f"\n  (the trained model alone, without the rules: {result['plain']})")


COMMANDS: list = [export_cmd, train_cmd]
