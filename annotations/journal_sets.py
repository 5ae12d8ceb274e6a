"""The journal's two forms of a change, and reading either back one table row at a time.

A journal row changes one table row (``rows`` NULL): ``row_id`` is the row's key as a JSON array,
``before`` and ``after`` the whole row as a JSON object (NULL for an insert, for a delete).

Or it changes a set of rows of one table in one direction (``rows`` = how many, more than one):
accepting 5,000 suggestions inserts 5,000 spans, and one journal row holding them all costs
SQLite a third to a half of the CPU time of 5,000 rows of one object each, to write and to undo,
and writes a fraction of the pages. ``row_id`` is then a JSON array of
the rows' keys; ``before`` (a delete) or ``after`` (an insert) is
``{"columns": [names], "rows": [[values in that order], ...]}``, in the order of ``row_id``.

Readers that replay or audit the journal take ``changes(row)``: (before, after) per table row,
whichever form the row has.
"""
from __future__ import annotations

import json
from collections.abc import Iterator, Mapping, Sequence
from typing import Any


def set_sql(columns: Sequence[str], alias: str) -> str:
    """SQL aggregate: ``before`` or ``after`` of a set, over the rows of ``alias``."""
    names = ", ".join(f"'{name}'" for name in columns)
    values = ", ".join(f'{alias}."{name}"' for name in columns)
    return f"json_object('columns', json_array({names}), 'rows', json_group_array(json_array({values})))"


def row_sql(columns: Sequence[str], alias: str) -> str:
    """SQL: one row of ``alias`` as the classic form's JSON object."""
    return "json_object(" + ", ".join(f"'{name}', {alias}.\"{name}\"" for name in columns) + ")"


def key_sql(keys: Sequence[str], alias: str) -> str:
    """SQL: the key of one row of ``alias``, as ``row_id`` holds it."""
    return "json_array(" + ", ".join(f'{alias}."{k}"' for k in keys) + ")"


def one_or_set(columns: Sequence[str], keys: Sequence[str], alias: str, *, written: bool) -> tuple[str, str, str, str]:
    """SQL aggregates (row_id, before, after, rows) journaling every row of ``alias`` as one journal row:
    the classic form when there is one (SQLite takes a bare column in an aggregate from that row), the
    set form when there are more. ``written``: the rows are new (after), else they go (before)."""
    single = "count(*) = 1"
    row_id = f"CASE WHEN {single} THEN {key_sql(keys, alias)} ELSE json_group_array({key_sql(keys, alias)}) END"
    shown = f"CASE WHEN {single} THEN {row_sql(columns, alias)} ELSE {set_sql(columns, alias)} END"
    before, after = ("NULL", shown) if written else (shown, "NULL")
    return row_id, before, after, f"CASE WHEN {single} THEN NULL ELSE count(*) END"


def changes(row: Mapping[str, Any]) -> Iterator[tuple[dict | None, dict | None]]:
    """(before, after) of each table row a journal row changed, as dicts (None: not there)."""
    before = json.loads(row["before"]) if row["before"] is not None else None
    after = json.loads(row["after"]) if row["after"] is not None else None
    if not row.get("rows"):
        yield before, after
        return
    held = before if before is not None else after
    for values in held["rows"]:
        whole = dict(zip(held["columns"], values))
        yield (whole, None) if before is not None else (None, whole)
