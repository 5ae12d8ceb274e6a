"""Exports: the annotations in the formats extraction models train on.

``export(store, fmt, out, ...)`` is the one entry point (the ``tandai export``
command is a thin layer over it)::

    from annotations.store import Store
    from annotations.export import export

    with Store("tandai.db") as store:
        report = export(store, "prodigy", "tasks.jsonl", annotator="ana")
    print(report.render())

Formats (one module each): ``spacy`` (DocBin + config.cfg), ``prodigy``
(JSONL), ``brat`` (.txt/.ann + annotation.conf), ``dygiepp`` (JSONL), ``iob``
(CoNLL + HF JSONL + label list), ``events-csv``. What is selected: one
annotator (or ``gold``) or every human annotator (``all_annotators``),
articles with the given progress status (``done`` by default; ``any``), and
the chosen layers. Output is deterministic: the same database gives
byte-identical files. Every export returns a ``Report`` listing what it
wrote and each span or link the format could not hold.

``tandai train`` is ``annotations.export.train.train``; imports of Prodigy and
brat files are ``annotations.importers.import_annotations``.

Large exports (prodigy, dygiepp, events-csv, spacy) are written by worker
processes, chunk by chunk, and put together in order (``parallel``): the
same bytes as in one process. Only the spaCy exporter imports spaCy.
"""
from __future__ import annotations

import contextlib
from collections.abc import Callable
from pathlib import Path
from typing import IO, TYPE_CHECKING

from ..errors import TandaiError

if TYPE_CHECKING:  # the command line imports this package for FORMATS: the rest loads when an export runs
    from ..store import Store
    from .report import Report

FORMATS = ("spacy", "prodigy", "brat", "dygiepp", "iob", "events-csv")
ONE_FILE = ("prodigy", "dygiepp", "events-csv")

__all__ = ["FORMATS", "export"]


def export(store: Store, fmt: str, out: str | Path | IO[str], *, annotator: str | None = None,
           all_annotators: bool = False, status: str = "done", layers: list[str] | tuple[str, ...] | None = None,
           split: float | None = None, seed: int = 0, force: bool = False,
           progress: Callable[[int, int], None] | None = None, parallel_from: int | None = None,
           **spacy_options) -> Report:
    """Write ``fmt`` to ``out`` (a path; ``-`` or a text stream for the one-file formats); returns the report.

    Large exports of prodigy, dygiepp, events-csv and spacy run in worker processes (from
    ``parallel_from`` records, default ``parallel.PARALLEL_FROM``); the output is the same.
    """
    if fmt not in FORMATS:
        raise TandaiError(f"unknown export format {fmt!r} (one of {', '.join(FORMATS)})")
    if not _is_stream(out):
        store.refuse_own_file(out, "an export's output")
    from .common import StagedDir, describe, gc_paused
    from .parallel import run_chunks, workers
    from .report import Report
    from .select import empty_hint, iter_records, select

    with gc_paused():  # millions of short-lived objects and no cycles: see gc_paused
        if split is not None and fmt != "spacy":
            raise TandaiError("--split is for the spacy export (train.spacy / dev.spacy)")
        default_layers = None
        if fmt == "iob":
            from .iob import DEFAULT_LAYERS

            default_layers = DEFAULT_LAYERS
        selection = select(store, annotator=annotator, all_annotators=all_annotators, status=status, layers=layers,
                           default_layers=default_layers)
        report = Report(fmt, list(selection.annotators), selection.status, selection.layers, multi=selection.multi)
        hint = empty_hint(store, selection)
        if hint:
            report.notes.append(hint)
        scheme = store.scheme
        n_workers = workers(store, selection, parallel_from)
        records = iter_records(store, selection, report, progress)  # a generator: read only if used

        spool = None if fmt not in ONE_FILE or _is_stream(out) else Path(out)
        stack = contextlib.ExitStack()

        def chunks(fn, **options):
            # closed on leaving ``stack``, so an error stops the workers at once
            return stack.enter_context(contextlib.closing(
                run_chunks(store, selection, report, fn, n_workers, progress, spool_beside=spool, **options)))

        with stack:
            if fmt == "prodigy":
                from . import prodigy

                prodigy.export(chunks(prodigy.write_chunk) if n_workers else prodigy.lines(records, report),
                               _one_file(out))
            elif fmt == "dygiepp":
                from . import dygiepp

                pieces = (chunks(dygiepp.write_chunk, multi=selection.multi) if n_workers
                          else dygiepp.lines(records, report, selection.multi))
                dygiepp.export(pieces, _one_file(out))
            elif fmt == "events-csv":
                from . import events_csv

                actors = events_csv.registry(store)
                pieces = (chunks(events_csv.write_chunk, scheme_text=scheme.source, actors=actors) if n_workers
                          else (events_csv.write_chunk(records, report, scheme.source, actors)  # written lazily
                                for _ in range(1)))
                events_csv.export(pieces, _one_file(out), report, scheme)
            else:
                with StagedDir(_dir_target(out, fmt), fmt) as stage:
                    if fmt == "iob":
                        from . import iob

                        iob.export(records, stage, report, selection, scheme)
                    elif fmt == "brat":
                        from . import brat

                        brat.export(records, stage, report, selection, scheme, {a.id: a for a in store.actors()},
                                    force=force)
                    else:
                        from . import spacy_docbin

                        spacy_docbin.export(records, stage, report, selection,
                                            split=0.8 if split is None else split, seed=seed,
                                            chunks=chunks if n_workers else None, **spacy_options)
        if fmt in ONE_FILE:
            report.files.append(describe(out))
        return report


def _is_stream(out: str | Path | IO[str]) -> bool:
    return hasattr(out, "write") or str(out) == "-"


def _one_file(out: str | Path | IO[str]) -> str | IO[str]:
    return out if hasattr(out, "write") else str(out)


def _dir_target(out: str | Path | IO[str], fmt: str) -> Path:
    """The folder a several-file format is written to."""
    if _is_stream(out):
        raise TandaiError(f"{fmt} writes several files: give a directory with -o, not standard output")
    return Path(out)
