"""``tandai reviewers``: who may write the gold layer.

The list lives in the database. While it is empty anyone may review; once it
names someone, only listed names may write gold (the review screen, ``import
--as gold``, ``merge``) or change the list.
"""
from __future__ import annotations

import click

from .upgrade_line import open_upgrading


@click.group("reviewers")
def reviewers_cmd() -> None:
    """Who may write the gold layer (optional: while the list is empty, anyone may)."""


@reviewers_cmd.command("list")
@click.pass_context
def list_cmd(ctx: click.Context) -> None:
    """Print the reviewers, one a line."""
    from .cli import say

    with open_upgrading(ctx.obj["db"], create=False) as store:
        names = store.reviewers()
    for name in names:
        say(name)
    if not names:
        say("no reviewers listed: anyone may write the gold layer", err=True)


@reviewers_cmd.command("add")
@click.argument("name")
@click.pass_context
def add_cmd(ctx: click.Context, name: str) -> None:
    """List NAME as a reviewer (once the list is set, only a reviewer may add one)."""
    from .cli import say

    with open_upgrading(ctx.obj["db"], create=False) as store:
        added = store.add_reviewer(name, by=ctx.obj["annotator"])
    say(f"{name} is a reviewer" + ("" if added else " already"))


@reviewers_cmd.command("remove")
@click.argument("name")
@click.pass_context
def remove_cmd(ctx: click.Context, name: str) -> None:
    """Take NAME off the reviewers list."""
    from .cli import say

    with open_upgrading(ctx.obj["db"], create=False) as store:
        if not store.remove_reviewer(name, by=ctx.obj["annotator"]):
            raise click.ClickException(f"{name} is not on the reviewers list")
    say(f"{name} is no longer a reviewer")


COMMANDS: list = [reviewers_cmd]
