"""``tandai assign`` and ``tandai status``: a lead hands out articles and follows the team's progress."""
from __future__ import annotations

import sys

import click

from .upgrade_line import open_upgrading


@click.command("assign")
@click.argument("names", nargs=-1, required=True)
@click.option("--overlap", type=float, default=0.2, show_default=True,
              help="Share of the articles that go to two annotators (for agreement).")
@click.option("--seed", type=int, default=0, show_default=True, help="The same seed gives the same hand-out.")
@click.pass_context
def assign_cmd(ctx: click.Context, names: tuple[str, ...], overlap: float, seed: int) -> None:
    """Hand out every article to one of NAMES, and the --overlap share to two.

    Balanced and deterministic for a seed. Running it again replaces the hand-out, except that
    whoever has started or finished an article keeps it. Each annotator's list and n/d take their
    own articles first, then those assigned to nobody.
    """
    from collections import Counter

    from annotations.assignments import plan_assignments

    from .cli import say

    with open_upgrading(ctx.obj["db"], create=False) as store:
        plan = plan_assignments(store.document_ids(), names, overlap=overlap, seed=seed, kept=store.worked_on())
        store.set_assignments(plan, by=ctx.obj["annotator"])
    load = Counter(name for given in plan.values() for name in given)
    doubles = sum(1 for given in plan.values() if len(given) >= 2)
    say(f"assigned {len(plan)} articles, {doubles} of them to two or more annotators")
    for name, count in sorted(load.items()):
        say(f"{name}: {count}")


@click.command("status")
@click.option("--json", "as_json", is_flag=True, help="Print JSON (every figure) instead of tables.")
@click.pass_context
def status_cmd(ctx: click.Context, as_json: bool) -> None:
    """Progress per annotator (done, doing, skipped, flagged, time, median minutes per article done) and
    per article (assigned to, finished by, gold settled). Tab-separated in a pipe, a table on a terminal."""
    from annotations.team_status import format_plain, team_status

    from .cli import say

    with open_upgrading(ctx.obj["db"], create=False) as store:
        status = team_status(store)
    if as_json:
        say(status.to_json())
    elif sys.stdout.isatty():
        _print_tables(status)
    else:
        click.echo(format_plain(status))  # every cell is safe_text already; the tabs between them are ours


def _print_tables(status) -> None:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    from annotations.team_status import ANNOTATOR_HEADER, ARTICLE_HEADER, annotator_rows, article_rows

    console = Console()
    for title, header, rows in (("annotators", ANNOTATOR_HEADER, annotator_rows(status)),
                                ("articles", ARTICLE_HEADER, article_rows(status))):
        table = Table(title=title, title_justify="left")
        for i, name in enumerate(header):
            table.add_column(name, justify="left" if i < 2 or title == "articles" else "right")
        for row in rows:  # cells are safe_text already; Text keeps them from being read as markup
            table.add_row(*(Text(cell) for cell in row))
        console.print(table)


COMMANDS: list = [assign_cmd, status_cmd]
