"""Commands for comparing annotators: agreement, merge (the review screen opens from cli.review)."""
from __future__ import annotations

import click

from .upgrade_line import open_reading, open_upgrading


@click.command("agreement")
@click.option("--by-article", is_flag=True, help="Also give figures for each article.")
@click.option("--by-pair", is_flag=True, help="Also give every figure for each annotator pair.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON (every figure and count) instead of tables.")
@click.option("--layer", help="Only this layer (entity, event or claim).")
@click.option("--status", type=click.Choice(["done", "any"]), default="done", show_default=True,
              help="Which articles count for an annotator: those they marked done, or also any they have spans in.")
@click.pass_context
def agreement_cmd(ctx: click.Context, by_article: bool, by_pair: bool, as_json: bool, layer: str | None,
                  status: str) -> None:
    """Agreement per label and annotator pair: span and link F1 (exact, overlap), attribute and actor-id
    agreement on matched spans, Cohen's kappa, Krippendorff's alpha.

    Human annotators only; articles with fewer than two annotators are left out and counted.
    """
    from annotations.agreement import agreement
    from annotations.agreement_table import format_report

    from .cli import say

    with open_reading(ctx.obj["db"]) as store:
        report = agreement(store, status=status, layer=layer, by_article=by_article,
                           detail=as_json or by_pair or by_article)
    say(report.to_json() if as_json else format_report(report, by_pair=by_pair))


@click.command("merge")
@click.argument("other", type=click.Path())
@click.pass_context
def merge_cmd(ctx: click.Context, other: str) -> None:
    """Bring in another database's annotators, articles, annotations, links, actors and progress.

    Articles are matched by their text; running it twice changes nothing. A clash (the same
    annotator with different annotations for one article in both) is reported and left as it is here.
    """
    from annotations.merge import merge

    from .cli import say

    with open_upgrading(ctx.obj["db"], create=False) as store:
        report = merge(store, other, by=ctx.obj["annotator"])
    say(f"merged {other} into {ctx.obj['db']}")
    for line in report.lines():
        say(line)


COMMANDS: list = [agreement_cmd, merge_cmd]
