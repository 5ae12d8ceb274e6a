"""The command line: ``tandai`` opens the annotator; subcommands import, tag, export, review.

A thin layer over ``annotations``: each command parses options, calls one
library function and prints a summary. Bad input is one line on stderr and
exit status 1, never a traceback.
"""
from __future__ import annotations

import contextlib
import os
import sqlite3
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import click

from annotations import __version__
from annotations.display import safe_text
from annotations.errors import TandaiError, error_line

from .start import checked_annotator, default_annotator
from .upgrade_line import open_upgrading


def say(message: str, err: bool = False) -> None:
    """Print a message that may quote data (names, titles, file names): never a control code raw."""
    click.echo(safe_text(message, newlines=True), err=err)


def _set_on_root(key: str, check: Callable[[str], str] = str):
    """A callback that stores an option given after the command where the group's own value is kept."""

    def callback(ctx: click.Context, param: click.Parameter, value: str | None) -> None:
        root = ctx.find_root().obj
        if value is not None and isinstance(root, dict):  # not while completing a command line
            root[key] = check(value)
    return callback


def _shared_options() -> list[click.Option]:
    """``--db`` and ``--annotator``, also accepted after the command name (``tandai export ... --db x.db``)."""
    return [click.Option(["--db"], type=click.Path(), metavar="PATH", expose_value=False,
                         callback=_set_on_root("db"), help="The database (as before the command)."),
            click.Option(["--annotator"], metavar="NAME", expose_value=False,
                         callback=_set_on_root("annotator", checked_annotator),
                         help="Your name (as before the command).")]


def _accept_shared_options(command: click.Command) -> None:
    taken = {opt for param in command.params for opt in param.opts}
    command.params.extend(option for option in _shared_options() if not taken & set(option.opts))
    if isinstance(command, click.Group):
        for sub in command.commands.values():
            _accept_shared_options(sub)


# The commands kept in modules of their own, by name: a command's module is imported when that command
# runs (or help lists them all), so ``tandai agreement`` does not import export, train or status.
LAZY_COMMANDS = {"export": "cli_export", "train": "cli_export", "agreement": "cli_review", "merge": "cli_review",
                 "reviewers": "cli_reviewers", "assign": "cli_team", "status": "cli_team"}


class TandaiGroup(click.Group):
    """Turns expected errors into one line and exit status 1, and Ctrl-C into a quiet exit 130; every error
    message, click's own (a bad option value, a missing file) too, is shown with ``safe_text``. The
    commands of ``LAZY_COMMANDS`` are added when first asked for."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *LAZY_COMMANDS})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in LAZY_COMMANDS and cmd_name not in self.commands:
            from importlib import import_module

            for command in import_module(f".{LAZY_COMMANDS[cmd_name]}", __package__).COMMANDS:
                self.add_command(command)
        command = super().get_command(ctx, cmd_name)
        if command is not None:  # here, not when added: a group's subcommands are all registered by now
            _accept_shared_options(command)
        return command

    def make_context(self, *args, **kwargs) -> click.Context:
        try:
            return super().make_context(*args, **kwargs)
        except click.ClickException as exc:
            exc.message = safe_text(exc.message)
            raise

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except click.ClickException as exc:
            exc.message = safe_text(exc.message)
            raise
        except KeyboardInterrupt:
            ctx.exit(130)  # the shell's code for "stopped by SIGINT"; what was written stays, nothing to add
        except BrokenPipeError:
            _drop_stdout()  # the reader went away (| head): stop quietly, as cat and grep do
            ctx.exit(141)
        except (TandaiError, sqlite3.Error, OSError) as exc:
            raise click.ClickException(safe_text(error_line(exc))) from None


def _drop_stdout() -> None:
    """Point standard output at /dev/null, so flushing it at exit cannot fail on the closed pipe again."""
    with contextlib.suppress(OSError, ValueError, AttributeError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)


@contextmanager
def progress_bar(label: str) -> Iterator[Callable[[int, int], None]]:
    """A progress callback: a bar on a terminal, silence in a pipe."""
    if not sys.stderr.isatty():
        yield lambda done, total: None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    with Progress(TextColumn(label), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                  transient=True, console=_stderr_console()) as bar:
        task = bar.add_task(label, total=None)
        yield lambda done, total: bar.update(task, completed=done, total=total)


def _stderr_console():
    from rich.console import Console

    return Console(stderr=True)


@contextmanager
def store_for_import(path: str):
    """The store an import writes to. If this command made the file and the import fails
    (a bad file found while reading), the file goes again: bad input leaves nothing behind."""
    existed = os.path.exists(path)
    store = open_upgrading(path)
    try:
        yield store
    except BaseException:
        try:
            empty = not existed and store.count_documents() == 0
        except sqlite3.Error:
            empty = False
        store.close()
        if empty:
            for suffix in ("", "-wal", "-shm"):
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(path + suffix)
        raise
    store.close()


@click.group(cls=TandaiGroup, invoke_without_command=True,
             context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--db", "db_path", envvar="TANDAI_DB", default="tandai.db", show_default=True, type=click.Path(),
              help="The database (made from the bundled seeds if absent).")
@click.option("--annotator", envvar="TANDAI_ANNOTATOR", default=default_annotator,
              help="Your name: every change is stored under it. [default: login name]")
@click.version_option(__version__, prog_name="tandai")
@click.pass_context
def main(ctx: click.Context, db_path: str, annotator: str) -> None:
    """tandai: annotate actors, events and claims in news, from the keyboard."""
    ctx.obj = {"db": db_path, "annotator": checked_annotator(annotator)}
    if ctx.invoked_subcommand is None:
        from .launch import open_annotator

        open_annotator(db_path, annotator)


@main.command("review")
@click.pass_context
def review_cmd(ctx: click.Context) -> None:
    """Open the review screen: compare annotators and settle a gold version (you are the reviewer)."""
    from .launch import open_annotator

    open_annotator(ctx.obj["db"], ctx.obj["annotator"], review=True)


@main.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(allow_dash=True))
@click.option("--format", "fmt", type=click.Choice(["txt", "jsonl", "prodigy", "brat"]),
              help="Input format (default: by file extension; - is JSONL if it starts with '{').")
@click.option("--encoding", default="utf-8", show_default=True,
              help="Encoding of the files (a byte-order mark decides when there is one; brat: UTF-8 only).")
@click.option("--scheme", "scheme_path", type=click.Path(),
              help="A label scheme TOML to use for this database.")
@click.option("--clean/--no-clean", default=None,
              help="Strip page furniture (default: on for .txt, off for JSONL).")
@click.option("--as", "as_name", metavar="NAME",
              help="prodigy/brat: store the annotations under this annotator name (gold: you are the"
                   " reviewer). [default: --annotator]")
@click.option("--skip-invalid", is_flag=True,
              help="prodigy/brat: import the valid articles and list the others, instead of refusing all.")
@click.pass_context
def import_cmd(ctx: click.Context, paths: tuple[str, ...], fmt: str | None, encoding: str,
               scheme_path: str | None, clean: bool | None, as_name: str | None, skip_invalid: bool) -> None:
    """Add articles from files, directories (*.txt, *.jsonl) or - (standard input)."""
    from annotations.actors import seed_actors
    from annotations.corpus import import_paths, spooled
    from annotations.scheme import load_scheme

    scheme = load_scheme(scheme_path) if scheme_path else None
    # All of standard input is read before the database is opened (a slow pipe must not hold the write
    # lock), into a temporary file: the import then streams it.
    stdin = spooled(sys.stdin.buffer) if "-" in paths else None
    if fmt in ("prodigy", "brat"):
        from annotations.importers import import_annotations

        with store_for_import(ctx.obj["db"]) as store, store.transaction():
            if scheme is not None:
                store.set_scheme(scheme)
            seed_actors(store)
            report = import_annotations(store, paths, fmt, as_name or ctx.obj["annotator"],
                                        skip_invalid=skip_invalid, by=ctx.obj["annotator"], stdin=stdin,
                                        encoding=encoding)
        say(report.render())
        return
    with store_for_import(ctx.obj["db"]) as store, progress_bar("importing") as progress, store.transaction():
        if scheme is not None:  # scheme, actors and articles: all or nothing
            store.set_scheme(scheme)
        seed_actors(store)
        added, seen = import_paths(store, paths, fmt=fmt, encoding=encoding, clean=clean, stdin=stdin,
                                   progress=progress)
    say(f"{added} article(s) added, {seen} already there: {ctx.obj['db']}")


@main.command("tag")
@click.option("--model", help="An installed spaCy pipeline (name or path) instead of the built-in rules.")
@click.option("--all", "retag", is_flag=True, help="Tag every article again, not only untagged ones.")
@click.option("--doc", "doc_ids", multiple=True, metavar="ID", help="Tag (again) only this article; repeatable.")
@click.option("--first", metavar="ID", help="Tag this article before the others.")
@click.option("--child-of", type=int, hidden=True,
              help="Run for the app whose process id this is: end with it, report progress as lines on stdout.")
@click.pass_context
def tag_cmd(ctx: click.Context, model: str | None, retag: bool, doc_ids: tuple[str, ...], first: str | None,
            child_of: int | None) -> None:
    """Pre-tag articles that have no suggestions yet."""
    if child_of is not None:
        from annotations.children import die_with_parent

        die_with_parent(child_of)
    with open_upgrading(ctx.obj["db"], create=False) as store, tag_progress(child_of is not None) as progress:
        from annotations.pretag import tag_documents  # spaCy: only once the database is known to be there

        from .tagging import BATCH

        ids = store.document_ids() if retag else list(doc_ids) or None
        batch = {"batch_size": BATCH} if child_of is not None else {}
        report = tag_documents(store, model, doc_ids=ids, first=first, progress=progress, **batch)
    say(f"{report['documents']} article(s) tagged by {report['model']}: "
               f"{report['suggestions']} new suggestion(s) in {report['seconds']:.1f}s")


@contextmanager
def tag_progress(for_app: bool) -> Iterator[Callable[[int, int], None]]:
    """Progress of ``tandai tag``: lines the app reads (``tui.tagging``), or the bar on a terminal."""
    if not for_app:
        with progress_bar("tagging") as progress:
            yield progress
        return
    from .tagging import progress_line

    def report(done: int, total: int) -> None:
        sys.stdout.write(progress_line(done, total))
        sys.stdout.flush()

    yield report
