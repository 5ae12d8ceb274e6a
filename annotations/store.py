"""The SQLite store: every read and write of tandai's data goes through here.

One ``Store`` is one connection. Writes run in ``BEGIN IMMEDIATE``
transactions (so concurrent annotators queue on the busy timeout instead of
failing with "database is locked"), in WAL mode, with foreign keys on. Each
change to annotations appends the row before and after to ``journal`` (a set
of rows changed together, as one journal row: ``journal_sets``); undo and redo
are new journal entries that apply the inverse of an earlier batch, so the
journal alone replays to the current state.
"""
from __future__ import annotations

import contextlib
import functools
import getpass
import json
import operator
import os
import re
import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import replace
from datetime import datetime, timezone
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import __version__
from .errors import PermissionDenied, SchemaTooNewError, TandaiError, shown
from .identifiers import check_identifier
from .journal_sets import one_or_set
from .records import (
    STATUSES,
    Actor,
    Document,
    DocumentSummary,
    Link,
    Progress,
    Span,
    Suggestion,
)
from .schema import MIGRATIONS, SCHEMA_VERSION

# Imported where they are used: the app's first frame (the article list) needs neither, and they cost it
# ~10 ms: .tokens (its patterns and the C tokenizer's tables) and hashlib (document ids).
if TYPE_CHECKING:
    import sqlite_utils

    from .scheme import Scheme
    from .tokens import Boundaries

GOLD = "gold"
# An actor's country: ISO 3166-1 alpha-3, as the registry seed and ACLED's exports use.
_COUNTRY = re.compile(r"[A-Z]{3}")
BUSY_TIMEOUT_S = 30.0
# An article's row is about 12 KB (text, raw page, tokens). With 8 KiB pages an
# import writes half as many pages, each a system call that costs ~15 µs on
# a virtual machine: 10,000 articles spend 0.41 s in the kernel, not 0.66 s.
PAGE_SIZE = 8192
# New documents between two fills of the search index during an import.
_INDEX_EVERY = 1000
# The search index holds prefixes of 1 to 3 characters (schema 9); a longer word of the list's filter is asked
# for as the whole words that start so, when there are at most _MOST_WORDS of them.
_PREFIX_INDEXED = 3
_MOST_WORDS = 50
# An upgrade's progress, told as it goes: (done, total, what), ``what`` being "steps" or "articles indexed";
# told again (the same figures) every _UPGRADE_TICK SQLite instructions in a long statement, so a display can
# show that it is alive. Rebuilding the search index of 100,000 articles takes minutes.
UpgradeProgress = Callable[[int, int, str], None]
_UPGRADE_TICK = 200_000
# The search index's 'rebuild' in a migration: run as chunked inserts (``Store._fill_search_index``), which
# can tell how far they have got; and skipped when a later step of the same upgrade drops the index again.
_REBUILD_SEARCH = "INSERT INTO documents_fts(documents_fts) VALUES ('rebuild');"
_DROP_SEARCH = "DROP TABLE documents_fts;"

# Primary key columns of the journaled tables, for undo and replay.
_KEYS: dict[str, tuple[str, ...]] = {
    "spans": ("id",),
    "links": ("id",),
    "verdicts": ("suggestion_id", "annotator"),
    "progress": ("doc_id", "annotator"),
    "actors": ("id",),
    "rejections": ("id",),
}


# attrs and origin as stored; one encoder for every span (json.dumps with options builds one per call)
_sorted_json = json.JSONEncoder(ensure_ascii=False, sort_keys=True).encode
_JOURNAL_COLUMNS = "batch, op, ref, action, annotator, by, doc_id, tbl, row_id, before, after, at, account, uid"
# Span's fields in order, as spans() reads them.
_SPAN_COLUMNS = "id, doc_id, annotator, layer, label, start, end, text, actor_id, attrs, origin"
# A suggestion (alias g) and its verdict (v), as Suggestion takes them, and when the verdict was given.
_SUGGESTION_COLUMNS = ("g.id, g.doc_id, g.model, g.layer, g.label, g.start, g.end, g.score, v.verdict,"
                       " coalesce(v.created_at, '')")
# Two rows (aliases {0}, {1}) over the same span of the same article with the same label.
_SAME_SPAN = ("{0}.doc_id = {1}.doc_id AND {0}.start = {1}.start AND {0}.end = {1}.end AND {0}.layer = {1}.layer"
              " AND {0}.label = {1}.label")
# No model's row for suggestion g's span and label has a verdict from the annotator (the parameter).
_UNANSWERED = ("NOT EXISTS (SELECT 1 FROM suggestions m JOIN verdicts w ON w.suggestion_id = m.id AND w.annotator = ?"
               f" WHERE {_SAME_SPAN.format('m', 'g')})")


def document_id(text: str) -> str:
    """Documents are named by their text, so the same article imported twice is one row."""
    import hashlib

    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:16]


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds")


@functools.cache
def os_account() -> tuple[str | None, int | None]:
    """(login name, uid) of this process, journaled beside the annotator name: anyone can type
    ``--as bob``, but an audit can see which account did."""
    try:
        name = getpass.getuser()
    except (KeyError, OSError):
        name = None
    return name, os.getuid() if hasattr(os, "getuid") else None


def stored_schema_version(path: str | Path) -> int:
    """The schema version of the tandai database at ``path`` (0: none there yet), read without writing;
    another program's file, a newer tandai's or a damaged one is refused in one line (see ``_inspect``)."""
    return _inspect(Path(path))


def _uri(path: Path, mode: str) -> str:
    """An SQLite URI for ``path`` (percent-encoded, so any file name works) opened in ``mode``."""
    return f"{path.absolute().as_uri()}?mode={mode}"


def _parse_version(path: Path | None, value: Any) -> int:
    """``meta.schema_version`` as a number, or a one-line error naming what is stored instead."""
    if isinstance(value, str) and value.isascii() and value.isdigit() and int(value) > 0:
        return int(value)
    raise TandaiError(f"{path}: damaged database: meta.schema_version is {value!r}, not a version number")


def _inspect(path: Path) -> int:
    """Decide, before anything is written, whether ``path`` is a database this build may open.

    Only SQLite touches the file, through a read-only connection closed before the caller
    opens its own (a Python open()/close() of the file would drop every SQLite lock this
    process holds on it, and another process would then delete the WAL under them).
    Returns tandai's schema version, or 0 for a new database: absent, empty, or SQLite
    without a table. Another program's database, a newer tandai's and a damaged one are
    refused, and stay as they are byte for byte.
    """
    if path.is_dir():
        raise TandaiError(f"{path}: is a directory, not a database file")
    if not path.exists():
        return 0
    try:
        conn = sqlite3.connect(_uri(path, "ro"), uri=True)
    except sqlite3.Error as exc:
        raise TandaiError(f"{path}: cannot open database: {exc}") from None
    try:
        tables = [row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        if not tables:
            return 0
        if "meta" not in tables:
            raise TandaiError(f"{path}: not a tandai database (an SQLite database with {len(tables)} other "
                              "table(s) and no tandai meta table); left untouched")
        row = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    except sqlite3.DatabaseError as exc:
        if "not a database" in str(exc):
            raise TandaiError(f"{path}: not a tandai database (not an SQLite file)") from None
        if "no such column" in str(exc):
            raise TandaiError(f"{path}: not a tandai database (its meta table is another program's); "
                              "left untouched") from None
        raise TandaiError(f"{path}: cannot read database: {exc}") from None
    finally:
        conn.close()
    if row is None:
        raise TandaiError(f"{path}: not a tandai database (meta has no schema_version); left untouched")
    version = _parse_version(path, row[0])
    if version > SCHEMA_VERSION:
        raise SchemaTooNewError(
            f"{path}: made by a newer tandai (schema {version}, this one knows {SCHEMA_VERSION}); "
            "upgrade tandai to open it"
        )
    return version


class Store:
    """A tandai database. ``Store(path)`` creates and migrates it if needed.

    ``readonly=True`` opens it without ever writing to the file (the source of a merge):
    an older schema is then upgraded in a copy held in memory, never in the file.
    ``upgrade_progress`` hears how an upgrade of an older schema goes (see ``UpgradeProgress``);
    the upgrade is one transaction, and Ctrl+C stops it within a moment, leaving the file as it was.
    """

    def __init__(self, path: str | Path = "tandai.db", *, create: bool = True, readonly: bool = False,
                 timeout: float = BUSY_TIMEOUT_S, upgrade_progress: UpgradeProgress | None = None):
        self.path = Path(path) if str(path) != ":memory:" else None
        version = 0
        if self.path is not None:
            version = _inspect(self.path)
            if version == 0 and (readonly or not create):
                raise TandaiError(f"{self.path}: no such database" if not self.path.exists()
                                  else f"{self.path}: empty, not a tandai database yet")
        try:
            if readonly:
                conn = sqlite3.connect(_uri(self.path, "ro"), uri=True, timeout=timeout, isolation_level=None,
                                       check_same_thread=False)
                if version < SCHEMA_VERSION:
                    disk, conn = conn, sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
                    disk.backup(conn)
                    disk.close()
            else:
                conn = sqlite3.connect(str(path), timeout=timeout, isolation_level=None, check_same_thread=False)
        except sqlite3.Error as exc:
            raise TandaiError(f"{path}: cannot open database: {exc}") from None
        self.conn = conn
        self._lock = threading.RLock()
        # (batch, op, action, annotator, by, doc_id, ref) of the action being written
        self._batch: tuple | None = None
        self.last_batch: int | None = None  # the journal batch of the last action written on this connection
        self._scheme: Scheme | None = None
        self._stored_scheme: Scheme | None = None  # self.stored_scheme, kept while meta's scheme is its source
        self._stored_triggers: str | None = None  # meta's scheme_triggers that self._scheme was made with
        self._boundaries: dict[str, tuple[str, Boundaries]] = {}  # doc_id -> (text, its token boundaries)
        self._column_names: dict[str, list[str]] = {}
        try:
            self.set_busy_timeout(timeout)
            conn.execute("PRAGMA foreign_keys = ON")
            if not readonly and self.path is not None and conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                # Once, when the file is new: page size and WAL mode are stored in the file.
                conn.execute(f"PRAGMA page_size = {PAGE_SIZE}")
                conn.execute("PRAGMA journal_mode = wal")
            if not readonly:
                conn.execute("PRAGMA synchronous = NORMAL")
            if not readonly or version < SCHEMA_VERSION:
                self._migrate(upgrade_progress if version else None)
        except sqlite3.DatabaseError as exc:
            conn.close()
            raise TandaiError(f"{path}: cannot open database: {exc}") from None
        except TandaiError:
            conn.close()
            raise

    # -- connection and schema -------------------------------------------

    @cached_property
    def db(self) -> "sqlite_utils.Database":
        """The same connection as a sqlite-utils Database, for ad-hoc reads (imported on first use:
        it pulls in numpy, which the TUI's first frame should not wait for)."""
        import sqlite_utils

        return sqlite_utils.Database(self.conn, execute_plugins=False)

    def rows(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        """Rows of a read query as dicts."""
        cur = self.conn.execute(sql, tuple(params))
        names = [c[0] for c in cur.description]
        return [dict(zip(names, row)) for row in cur.fetchall()]

    def refuse_own_file(self, path: str | Path, use: str) -> None:
        """Refuse ``path`` when it is this database or its -wal/-shm: reading it outside SQLite drops
        the process's locks, and writing over it destroys the database (``os.path.samefile`` only stats)."""
        if self.path is None or str(path) == "-":
            return
        for suffix in ("", "-wal", "-shm"):
            with contextlib.suppress(OSError):
                if os.path.samefile(path, f"{self.path}{suffix}"):
                    raise TandaiError(f"{path}: is the database {self.path}{suffix} itself, not {use}")

    def close(self) -> None:
        self.conn.close()

    def set_busy_timeout(self, seconds: float) -> None:
        """How long a statement waits for another connection's lock before failing with SQLITE_BUSY
        (the TUI waits in short steps of its own, so its screen never freezes)."""
        self.conn.execute(f"PRAGMA busy_timeout = {int(seconds * 1000)}")

    def set_page_cache(self, kib: int) -> None:
        """At most ``kib`` KiB of database pages kept in memory by this connection (SQLite's default is
        2,000): the TUI keeps less, its list's queries and an article's reads go through indexes and
        read a large article's pages once."""
        self.conn.execute(f"PRAGMA cache_size = {-int(kib)}")

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def schema_version(self) -> int:
        if not self.conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'").fetchone():
            return 0
        row = self.conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        return _parse_version(self.path, row[0]) if row else 0

    def _migrate(self, progress: UpgradeProgress | None = None) -> None:
        version = self.schema_version
        if version > SCHEMA_VERSION:
            raise SchemaTooNewError(
                f"{self.path}: made by a newer tandai (schema {version}, this one knows {SCHEMA_VERSION}); "
                "upgrade tandai to open it"
            )
        if version == SCHEMA_VERSION:
            return
        told = [0, 0, "steps"]

        def tell(done: int, total: int, what: str) -> None:
            told[:] = done, total, what
            if progress is not None:
                progress(done, total, what)

        # Called by SQLite inside long statements: Python runs here, so Ctrl+C raises here and SQLite
        # stops the statement ("interrupted"), instead of Ctrl+C waiting for its end.
        self.conn.set_progress_handler(lambda: tell(*told), _UPGRADE_TICK)
        self.conn.create_function("outlet_key", 1, _outlet_key, deterministic=True)  # schema 12 fills outlets
        try:
            with self.transaction():
                version = self.schema_version  # another process may have migrated meanwhile
                statements = [statement for script in MIGRATIONS[version:] for statement in _split_sql(script)]
                for i, statement in enumerate(statements):
                    tell(i, len(statements), "steps")
                    if statement != _REBUILD_SEARCH:
                        self.conn.execute(statement)
                    elif _DROP_SEARCH not in statements[i + 1:]:
                        self._fill_search_index(tell)
                self._set_meta("schema_version", str(SCHEMA_VERSION))
                self._set_meta("tool_version", __version__)
                if self.get_meta("scheme") is None:
                    from .scheme import load_scheme

                    self._store_scheme(load_scheme())
                self._ensure_annotator(GOLD)
                tell(len(statements), len(statements), "steps")
        except sqlite3.OperationalError as exc:
            if str(exc) == "interrupted":  # Ctrl+C inside a statement; the transaction is rolled back
                raise KeyboardInterrupt from None
            raise
        finally:
            self.conn.set_progress_handler(None, 0)

    def _fill_search_index(self, tell: UpgradeProgress) -> None:
        """What the search index's 'rebuild' command does (empty it, then index every article), a chunk of
        articles at a time in rowid order, telling how many are done."""
        total = self.conn.execute("SELECT count(*) FROM documents").fetchone()[0]
        self.conn.execute("INSERT INTO documents_fts(documents_fts) VALUES ('delete-all')")
        done = last = 0
        while True:
            tell(done, total, "articles indexed")
            upto, n = self.conn.execute("SELECT max(rowid), count(*) FROM (SELECT rowid FROM documents"
                                        " WHERE rowid > ? ORDER BY rowid LIMIT ?)", (last, _INDEX_EVERY)).fetchone()
            if not n:
                return
            self.conn.execute("INSERT INTO documents_fts(rowid, title, text)"
                              " SELECT rowid, title, text FROM documents WHERE rowid > ? AND rowid <= ?", (last, upto))
            done, last = done + n, upto

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        """A write transaction; nested calls join the outer one."""
        with self._lock:
            if self.conn.in_transaction:
                yield
                return
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                yield
                self.conn.execute("COMMIT")
            except BaseException:
                # a failed COMMIT leaves the transaction open: end it, or every later write would join it
                if self.conn.in_transaction:
                    self.conn.execute("ROLLBACK")
                raise

    def _set_meta(self, key: str, value: str) -> None:
        self.conn.execute(
            "INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            (key, value),
        )

    def get_meta(self, key: str) -> str | None:
        row = self.conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    @property
    def scheme(self) -> Scheme:
        """The label scheme stored in the database, with its trigger lexicon (parsed once per text; another
        process may change it). No ``scheme_triggers`` in meta (the default scheme, or a database stored
        before schemes carried a lexicon): it tags with the bundled lexicon."""
        stored = dict(self.conn.execute("SELECT key, value FROM meta WHERE key IN ('scheme', 'scheme_triggers')"))
        source, triggers = stored.get("scheme") or "", stored.get("scheme_triggers")
        if self._scheme is None or (self._scheme.source, self._stored_triggers) != (source, triggers):
            from .trigger_lexicon import bundled_text

            self._scheme = replace(self._parsed_scheme(source), triggers=bundled_text() if triggers is None else triggers)
            self._stored_triggers = triggers
        return self._scheme

    @property
    def stored_scheme(self) -> Scheme:
        """The label scheme as the database stores it, without a trigger lexicon: its layers, labels and
        roles, all that reading annotations needs (``tandai agreement`` reads no bundled lexicon)."""
        return self._parsed_scheme(self.get_meta("scheme") or "")

    def _parsed_scheme(self, source: str) -> Scheme:
        """The scheme ``source`` (meta's text), parsed once per text."""
        if self._stored_scheme is None or self._stored_scheme.source != source:
            from .scheme import parse_scheme  # TOML and the ACLED mapping: not before the first frame

            self._stored_scheme = parse_scheme(source, "the database's scheme")
        return self._stored_scheme

    def set_scheme(self, scheme: Scheme) -> None:
        """Use ``scheme`` from now on; refused, naming them, if it leaves out labels or roles that stored
        spans and links use (they would no longer show, export or validate)."""
        with self.transaction():
            lost = [f"{layer} {label} ({n} span(s))" for layer, label, n in self.conn.execute(
                        "SELECT layer, label, count(*) FROM spans GROUP BY layer, label ORDER BY layer, label")
                    if layer not in scheme.layers or label not in scheme.layers[layer].label_names]
            lost += [f"{layer} role {role} ({n} link(s))" for layer, role, n in self.conn.execute(
                         "SELECT s.layer, l.role, count(*) FROM links l JOIN spans s ON s.id = l.head"
                         " GROUP BY s.layer, l.role ORDER BY s.layer, l.role")
                     if layer in scheme.layers and role not in scheme.layers[layer].roles]
            if lost:
                raise TandaiError(f"{scheme.origin}: leaves out what stored annotations use: {', '.join(lost)};"
                                  " keep those in the scheme, or relabel or delete the spans first")
            self._store_scheme(scheme)

    def _store_scheme(self, scheme: Scheme) -> None:
        """The scheme's text and its trigger lexicon's, which ``tandai tag`` uses ("": it suggests no events).
        The bundled lexicon is not copied: a database that uses it tags with tandai's current one, so a
        better lexicon in a later tandai reaches it (as the entity rules do)."""
        from .trigger_lexicon import bundled_text

        self._set_meta("scheme", scheme.source)
        if scheme.triggers == bundled_text():
            self.conn.execute("DELETE FROM meta WHERE key = 'scheme_triggers'")
        else:
            self._set_meta("scheme_triggers", scheme.triggers)

    # -- journal and batches ------------------------------------------------

    @contextlib.contextmanager
    def action(self, name: str, annotator: str, doc_id: str | None = None, *, by: str | None = None,
               op: str = "do", ref: int | None = None) -> Iterator[int]:
        """Group the writes inside into one journal batch: one user action, one undo step."""
        if self._batch is not None:
            if self._batch[3] != annotator:
                raise PermissionDenied(f"one action cannot change both {self._batch[3]}'s and {annotator}'s layers")
            yield self._batch[0]
            return
        by = by or annotator
        self._check_writer(annotator, by)
        with self.transaction():
            batch = self.conn.execute("SELECT coalesce(max(batch), 0) + 1 FROM journal").fetchone()[0]
            self._batch = (batch, op, name, annotator, by, doc_id, ref)
            try:
                yield batch
            finally:
                self._batch = None
            self.last_batch = batch

    def _check_writer(self, annotator: str, by: str) -> None:
        if annotator == GOLD and by == GOLD:
            raise PermissionDenied("only review writes to the gold layer (give the reviewer's name)")
        if annotator == GOLD:
            self.check_reviewer(by)
        if annotator != GOLD and by != annotator:
            raise PermissionDenied(f"{by} cannot change {annotator}'s annotations")

    def check_reviewer(self, name: str) -> None:
        """Refuse ``name`` as a writer of gold when the reviewers list is set and lacks it."""
        listed = self.reviewers()
        if listed and name not in listed:
            raise PermissionDenied(f"{name} is not on the reviewers list ({', '.join(listed)}):"
                                   " only a reviewer may change the gold layer")

    def _journal(self, tbl: str, row_id: Any, before: dict | None, after: dict | None) -> None:
        assert self._batch is not None, "journaled writes run inside Store.action()"
        self.conn.execute(
            f"INSERT INTO journal({_JOURNAL_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (*self._journal_head(tbl), json.dumps(row_id),
             None if before is None else json.dumps(before, ensure_ascii=False),
             None if after is None else json.dumps(after, ensure_ascii=False), now(), *os_account()),
        )

    def _journal_head(self, tbl: str) -> tuple:
        batch, op, name, annotator, by, doc_id, ref = self._batch  # type: ignore[misc]
        return batch, op, ref, name, annotator, by, doc_id, tbl

    def _journal_rows(self, tbl: str, source: str, params: Sequence[Any], *, written: bool) -> bool:
        """Journal every row of ``source`` (``FROM ... WHERE ...``, the rows of ``tbl`` as ``t``), just
        written (``written``) or about to go, as one journal row: a set of them when there are several
        (``journal_sets``), so thousands of rows cost one row of JSON made in SQLite; none when none
        (returns whether there were any)."""
        assert self._batch is not None, "journaled writes run inside Store.action()"
        row_id, before, after, rows = one_or_set(self._columns(tbl), _KEYS[tbl], "t", written=written)
        return 0 < self.conn.execute(
            f"INSERT INTO journal({_JOURNAL_COLUMNS}, rows) SELECT ?, ?, ?, ?, ?, ?, ?, ?, k, b, a, ?, ?, ?, r"
            f" FROM (SELECT {row_id} AS k, {before} AS b, {after} AS a, {rows} AS r, count(*) AS n {source})"
            " WHERE n > 0", (*self._journal_head(tbl), now(), *os_account(), *params)).rowcount

    def _journal_back(self, tbl: str, journal_id: int, *, deleted: bool = False) -> None:
        """Journal as written again the set of rows that journal row ``journal_id`` holds as deleted (or,
        ``deleted``, as deleted again the rows it holds as written): its JSON copied, not made again."""
        held = "j.after, NULL" if deleted else "NULL, j.before"
        self.conn.execute(
            f"INSERT INTO journal({_JOURNAL_COLUMNS}, rows) SELECT ?, ?, ?, ?, ?, ?, ?, ?, j.row_id, {held},"
            " ?, ?, ?, j.rows FROM journal j WHERE j.id = ?", (*self._journal_head(tbl), now(), *os_account(), journal_id))

    def _journal_each(self, tbl: str, source: str, params: Sequence[Any], *, row_id: str, after: str) -> None:
        """Journal one insert per row of ``source``, its row id and row made by SQL expressions (undoing
        a journal written before the set form: rows re-inserted from their classic entries)."""
        assert self._batch is not None, "journaled writes run inside Store.action()"
        self.conn.execute(
            f"INSERT INTO journal({_JOURNAL_COLUMNS}) SELECT ?, ?, ?, ?, ?, ?, ?, ?, {row_id}, NULL, {after},"
            f" ?, ?, ? {source}", (*self._journal_head(tbl), now(), *os_account(), *params))

    def _columns(self, tbl: str) -> list[str]:
        names = self._column_names.get(tbl)
        if names is None:
            names = self._column_names[tbl] = [row[1] for row in self.conn.execute(f"PRAGMA table_info({tbl})")]
        return names

    def _key_chunks(self, tbl: str, keys: Sequence[tuple]) -> Iterator[tuple[str, list[Any]]]:
        """(condition on ``t``, parameters) choosing the rows with these keys, a few hundred at a time."""
        cols = _KEYS[tbl]
        names = ", ".join(f't."{c}"' for c in cols)
        one = "(" + ", ".join("?" * len(cols)) + ")"
        step = 500 // len(cols)
        for first in range(0, len(keys), step):
            part = keys[first:first + step]
            yield f"({names}) IN (VALUES {', '.join([one] * len(part))})", [v for key in part for v in key]

    def _get(self, tbl: str, key: dict[str, Any]) -> dict[str, Any] | None:
        where = " AND ".join(f'"{k}" = ?' for k in key)
        cur = self.conn.execute(f"SELECT * FROM {tbl} WHERE {where}", tuple(key.values()))
        row = cur.fetchone()
        if row is None:
            return None
        return dict(zip([c[0] for c in cur.description], row))

    def _key(self, tbl: str, row: dict[str, Any]) -> dict[str, Any]:
        return {k: row[k] for k in _KEYS[tbl]}

    def _insert(self, tbl: str, values: dict[str, Any]) -> dict[str, Any]:
        cols = ", ".join(f'"{c}"' for c in values)
        marks = ", ".join("?" for _ in values)
        cur = self.conn.execute(f"INSERT INTO {tbl} ({cols}) VALUES ({marks})", tuple(values.values()))
        key = {"id": cur.lastrowid} if _KEYS[tbl] == ("id",) and "id" not in values else self._key(tbl, values)
        row = self._get(tbl, key)
        assert row is not None
        self._journal(tbl, list(key.values()), None, row)
        return row

    def _update(self, tbl: str, key: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
        before = self._get(tbl, key)
        if before is None:
            raise TandaiError(f"no {tbl} row {list(key.values())}")
        sets = ", ".join(f'"{c}" = ?' for c in changes)
        where = " AND ".join(f'"{k}" = ?' for k in key)
        self.conn.execute(f"UPDATE {tbl} SET {sets} WHERE {where}", (*changes.values(), *key.values()))
        after = self._get(tbl, key)
        self._journal(tbl, list(key.values()), before, after)
        return after  # type: ignore[return-value]

    def _delete(self, tbl: str, key: dict[str, Any]) -> dict[str, Any] | None:
        before = self._get(tbl, key)
        if before is None:
            return None
        where = " AND ".join(f'"{k}" = ?' for k in key)
        self.conn.execute(f"DELETE FROM {tbl} WHERE {where}", tuple(key.values()))
        self._journal(tbl, list(key.values()), before, None)
        return before

    def _insert_many(self, tbl: str, rows: Sequence[dict[str, Any]]) -> list[int]:
        """``_insert`` for many rows of the same columns: one INSERT, one journal statement. Returns the
        new rows' ids, in order, when the table gives them (spans), else nothing."""
        if not rows:
            return []
        cols = list(rows[0])
        names = ", ".join(f'"{c}"' for c in cols)
        new_ids = _KEYS[tbl] == ("id",) and "id" not in rows[0]
        if new_ids:  # inside the write transaction, every id above today's largest is one of these rows
            last = self.conn.execute(f"SELECT coalesce(max(id), 0) FROM {tbl}").fetchone()[0]
        values = operator.itemgetter(*cols)
        self.conn.executemany(f"INSERT INTO {tbl} ({names}) VALUES ({', '.join('?' * len(cols))})",
                              [values(row) for row in rows])
        if not new_ids:
            for where, params in self._key_chunks(tbl, [tuple(row[k] for k in _KEYS[tbl]) for row in rows]):
                self._journal_rows(tbl, f"FROM {tbl} t WHERE {where}", params, written=True)
            return []
        self._journal_rows(tbl, f"FROM {tbl} t WHERE t.id > ?", (last,), written=True)
        return [row[0] for row in self.conn.execute(f"SELECT id FROM {tbl} WHERE id > ? ORDER BY id", (last,))]

    def _delete_many(self, tbl: str, keys: Sequence[tuple]) -> None:
        """``_delete`` for many keys (``_KEYS`` order): rows not there are left out, as there."""
        for where, params in self._key_chunks(tbl, keys):
            self._journal_rows(tbl, f"FROM {tbl} t WHERE {where}", params, written=False)
            self.conn.execute(f"DELETE FROM {tbl} AS t WHERE {where}", params)

    def _apply_inverse(self, batch: int) -> None:
        """Write the inverse of a batch, latest change first. A set (``journal_sets``: accepting 5,000
        suggestions, say) is undone by a few statements; a run of classic inserts or deletes in one
        table (a journal from before sets) by a few statements that read the journal's JSON in SQLite;
        updates, few in any batch, one by one."""
        runs: list[list] = []  # [table, kind, first journal id, last journal id, a set], latest first
        for jid, tbl, many, inserted, deleted in self.conn.execute(
                "SELECT id, tbl, rows, before IS NULL, after IS NULL FROM journal WHERE batch = ? ORDER BY id DESC",
                (batch,)):
            kind = "insert" if inserted else "delete" if deleted else "update"
            if runs and runs[-1][0] == tbl and runs[-1][1] == kind and not runs[-1][4] and not many:
                runs[-1][2] = jid
            else:
                runs.append([tbl, kind, jid, jid, many])
        for tbl, kind, first, last, many in runs:
            keys = _KEYS[tbl]
            if many:
                self._undo_set(tbl, kind, first, many)
                continue
            run = "FROM journal j WHERE j.batch = ? AND j.id BETWEEN ? AND ?"
            params = (batch, first, last)
            if kind == "insert":
                key_names = ", ".join(f't."{k}"' for k in keys)
                # the key from row_id (a short JSON array), not from the whole row in ``after``
                chosen = (f"({key_names}) IN (SELECT "
                          + ", ".join(f"json_extract(j.row_id, '$[{n}]')" for n in range(len(keys))) + f" {run})")
                self._journal_rows(tbl, f"FROM {tbl} t WHERE {chosen}", params, written=False)
                self.conn.execute(f"DELETE FROM {tbl} AS t WHERE {chosen}", params)
            elif kind == "delete":
                # the row may exist again meanwhile: saving the cursor re-creates a progress row
                same = " AND ".join(f"t.\"{k}\" = json_extract(j.before, '$.{k}')" for k in keys)
                there = f"EXISTS (SELECT 1 FROM {tbl} t WHERE {same})"
                back = [json.loads(before) for (before,) in
                        self.conn.execute(f"SELECT j.before {run} AND {there} ORDER BY j.id DESC", params)]
                self._journal_each(tbl, f"{run} AND NOT {there} ORDER BY j.id DESC", params, row_id="j.row_id",
                                   after="j.before")
                cols = self._columns(tbl)
                names = ", ".join(f'"{c}"' for c in cols)
                self.conn.execute(
                    f"INSERT INTO {tbl} ({names}) SELECT "
                    + ", ".join(f"json_extract(j.before, '$.{c}')" for c in cols)
                    + f" {run} AND NOT {there} ORDER BY j.id DESC", params)
                for before in back:
                    self._update(tbl, self._key(tbl, before), {k: v for k, v in before.items() if k not in keys})
            else:
                for before, after in self.conn.execute(f"SELECT j.before, j.after {run} ORDER BY j.id DESC",
                                                       params).fetchall():
                    before, after = json.loads(before), json.loads(after)
                    self._update(tbl, self._key(tbl, after), {k: v for k, v in before.items() if k not in keys})

    def _undo_set(self, tbl: str, kind: str, journal_id: int, size: int) -> None:
        """Undo one set (of ``size`` rows): of inserted rows (delete them) or of deleted rows (insert them
        again). Sets hold spans, links, verdicts: rows nothing re-creates outside the journal (unlike a
        progress row, which saving the cursor does), so a row of the set that is there again (another
        program wrote it) fails the step as a whole, with one line naming it."""
        chosen, params = self._set_keys(tbl, journal_id)
        if kind == "insert":
            self._delete_set(tbl, journal_id, size, chosen, params)
            return
        there = self.conn.execute(f"SELECT {', '.join(f't.{k}' for k in _KEYS[tbl])} FROM {tbl} t WHERE {chosen}"
                                  " LIMIT 1", params).fetchone()
        if there is not None:
            raise TandaiError(f"{tbl} row {', '.join(map(str, there))} is there again: it cannot be brought back"
                              " a second time")
        (before,) = self.conn.execute("SELECT before FROM journal WHERE id = ?", (journal_id,)).fetchone()
        held = json.loads(before)  # in Python: SQLite would parse each row's JSON again for each column
        names = ", ".join(f'"{c}"' for c in held["columns"])
        self.conn.executemany(f"INSERT INTO {tbl} ({names}) VALUES ({', '.join('?' * len(held['columns']))})",
                              held["rows"])
        self._journal_back(tbl, journal_id)

    def _set_keys(self, tbl: str, journal_id: int) -> tuple[str, tuple]:
        """(condition on ``t``, parameters) choosing the rows of ``tbl`` with the keys set ``journal_id`` holds:
        the keys' first column as json_tree's leaves (no JSON parsed again for each row), the others (a
        verdict's annotator) as the one value each holds in every key; else each key read whole."""
        keys = _KEYS[tbl]
        leaves = "FROM journal j, json_tree(j.row_id) k WHERE j.id = ? AND k.path != '$'"
        same = [value for _, value, n in self.conn.execute(
            f"SELECT k.key, min(k.value), count(DISTINCT k.value) {leaves} AND k.key > 0 GROUP BY k.key ORDER BY k.key",
            (journal_id,)) if n == 1] if len(keys) > 1 else []
        if len(same) == len(keys) - 1:
            return " AND ".join([f't."{keys[0]}" IN (SELECT k.value {leaves} AND k.key = 0)',
                                 *(f't."{name}" = ?' for name in keys[1:])]), (journal_id, *same)
        key_names = ", ".join(f't."{k}"' for k in keys)
        listed = ", ".join(f"json_extract(k.value, '$[{n}]')" for n in range(len(keys)))
        return f"({key_names}) IN (SELECT {listed} FROM journal j, json_each(j.row_id) k WHERE j.id = ?)", (journal_id,)

    def _delete_set(self, tbl: str, journal_id: int, size: int, chosen: str, params: tuple) -> None:
        """Delete the ``size`` rows (``chosen``) that set ``journal_id`` inserted, journaled as a set of deleted rows.

        The rows are those the set holds: every later change to them is journaled in the same article
        and undone before this one, so the set's JSON is copied, not made again from the rows (a third of
        the time of undoing 5,000 spans). Unless fewer are there than it holds (re-tagging deletes the
        verdicts on suggestions a model no longer makes, unjournaled): then what is there is journaled.
        Only the count is checked: a row changed outside the journal (an UPDATE by hand) is journaled as
        the set holds it, so a redo brings back the set's version of it.
        """
        self.conn.execute("SAVEPOINT delete_set")
        try:
            if self.conn.execute(f"DELETE FROM {tbl} AS t WHERE {chosen}", params).rowcount == size:
                self._journal_back(tbl, journal_id, deleted=True)
                return
            self.conn.execute("ROLLBACK TO delete_set")
            self._journal_rows(tbl, f"FROM {tbl} t WHERE {chosen}", params, written=False)
            self.conn.execute(f"DELETE FROM {tbl} AS t WHERE {chosen}", params)
        finally:
            self.conn.execute("RELEASE delete_set")

    def batch_keys(self, batch: int, tables: Sequence[str], *, most: int) -> list[tuple[str, str, list[list]]] | None:
        """(table, change, keys) of each journal row of these tables in batch ``batch``, in order: the change
        ``insert``, ``delete`` or ``update``, and the key of each row it changed (a set's, all of them), as
        lists: what a write changed, read without its rows' JSON. None when that is more than ``most`` rows
        (Y's 5,000 spans: reading all of an article's marks again is then as quick as reading those)."""
        marks = ", ".join("?" * len(tables))
        (count,) = self.conn.execute(f"SELECT coalesce(sum(coalesce(rows, 1)), 0) FROM journal WHERE batch = ?"
                                     f" AND tbl IN ({marks})", (batch, *tables)).fetchone()
        if count > most:
            return None
        return [(tbl, "insert" if inserted else "delete" if deleted else "update",
                 json.loads(row_id) if many else [json.loads(row_id)])
                for tbl, row_id, many, inserted, deleted in self.conn.execute(
                    "SELECT tbl, row_id, rows, before IS NULL, after IS NULL FROM journal WHERE batch = ?"
                    f" AND tbl IN ({marks}) ORDER BY id", (batch, *tables))]

    def history(self, annotator: str, doc_id: str) -> tuple[list[int], list[int]]:
        """(undoable batches, redoable batches), most recent last, for one annotator's article."""
        done: list[int] = []
        undone: list[int] = []
        # one index step per batch, not one row per change (accepting 5,000 suggestions journals 10,000)
        for batch, op in self.conn.execute(
            "WITH RECURSIVE steps(batch) AS (SELECT min(batch) FROM journal WHERE annotator = ?1 AND doc_id = ?2"
            " UNION ALL SELECT (SELECT min(batch) FROM journal WHERE annotator = ?1 AND doc_id = ?2"
            " AND batch > steps.batch) FROM steps WHERE steps.batch IS NOT NULL)"
            " SELECT batch, (SELECT op FROM journal j WHERE j.batch = steps.batch LIMIT 1) FROM steps"
            " WHERE batch IS NOT NULL",
            (annotator, doc_id),
        ):
            if op == "do":
                done.append(batch)
                undone.clear()
            elif op == "undo" and done:
                done.pop()
                undone.append(batch)
            elif op == "redo" and undone:
                undone.pop()
                done.append(batch)
        return done, undone

    def data_version(self) -> int:
        """A number that changes when another connection commits (SQLite's ``PRAGMA data_version``; this
        connection's own writes leave it): what is drawn from this connection's writes alone is still
        the database only while it holds."""
        return self.conn.execute("PRAGMA data_version").fetchone()[0]

    def undid(self, batch: int) -> int | None:
        """The batch that journal batch ``batch`` undid; None when it is no undo."""
        row = self.conn.execute("SELECT ref FROM journal WHERE batch = ? AND op = 'undo' LIMIT 1", (batch,)).fetchone()
        return row[0] if row else None

    def undo(self, annotator: str, doc_id: str, *, by: str | None = None) -> str | None:
        """Undo the annotator's last action in the article; returns its name, or None."""
        return self._step(annotator, doc_id, by, "undo")

    def redo(self, annotator: str, doc_id: str, *, by: str | None = None) -> str | None:
        return self._step(annotator, doc_id, by, "redo")

    def _step(self, annotator: str, doc_id: str, by: str | None, op: str) -> str | None:
        with self.transaction():
            done, undone = self.history(annotator, doc_id)
            stack = done if op == "undo" else undone
            if not stack:
                return None
            target = stack[-1]
            name = self.conn.execute("SELECT action FROM journal WHERE batch = ? LIMIT 1", (target,)).fetchone()[0]
            with self.action(name, annotator, doc_id, by=by, op=op, ref=target):
                self._apply_inverse(target)
            return name

    def journal(self, doc_id: str | None = None) -> list[dict[str, Any]]:
        sql = "SELECT * FROM journal" + (" WHERE doc_id = ?" if doc_id else "") + " ORDER BY id"
        return self.rows(sql, [doc_id] if doc_id else [])

    # -- annotators -----------------------------------------------------------

    def _ensure_annotator(self, name: str, kind: str = "human") -> None:
        """Register ``name`` if new; the gold layer is always of kind gold. A person's name is checked
        (models are named by their pipeline, which may be a path)."""
        if kind != "model":
            check_identifier(name, "annotator name")
        self.conn.execute(
            "INSERT OR IGNORE INTO annotators(name, kind, added_at) VALUES (?, ?, ?)",
            (name, "gold" if name == GOLD else kind, now()),
        )

    def ensure_annotator(self, name: str, kind: str = "human") -> None:
        check_identifier(name, "annotator name")
        if name == GOLD and kind != "gold":
            raise PermissionDenied("'gold' is the reviewed layer, not an annotator's name")
        if self.conn.execute("SELECT 1 FROM annotators WHERE name = ?", (name,)).fetchone():
            return  # known: no write lock to wait for (the app's start, while a tagging child writes)
        with self.transaction():
            self._ensure_annotator(name, kind)

    def annotators(self, kind: str | None = None) -> list[str]:
        sql = "SELECT name FROM annotators" + (" WHERE kind = ?" if kind else "") + " ORDER BY name"
        return [r[0] for r in self.conn.execute(sql, (kind,) if kind else ())]

    def set_last_doc(self, annotator: str, doc_id: str) -> None:
        """Remember where the annotator is, to reopen there (session state, not journaled)."""
        with self.transaction():
            self.conn.execute("UPDATE annotators SET last_doc = ? WHERE name = ?", (doc_id, annotator))

    def last_doc(self, annotator: str) -> str | None:
        row = self.conn.execute("SELECT last_doc FROM annotators WHERE name = ?", (annotator,)).fetchone()
        return row[0] if row else None

    # -- reviewers ----------------------------------------------------------------

    def reviewers(self) -> list[str]:
        """Who may write the gold layer; empty means anyone may."""
        return [r[0] for r in self.conn.execute("SELECT name FROM reviewers ORDER BY name")]

    def add_reviewer(self, name: str, *, by: str) -> bool:
        """List ``name`` as a reviewer (once the list is set, only a listed reviewer may change it);
        False if it was listed already."""
        check_identifier(name, "reviewer name")
        if name == GOLD:
            raise TandaiError(f"{name!r} cannot be a reviewer's name")
        with self.transaction():
            self._check_list_keeper(by)
            cur = self.conn.execute("INSERT OR IGNORE INTO reviewers(name, added_by, account, added_at)"
                                    " VALUES (?, ?, ?, ?)", (name, by, os_account()[0], now()))
            return bool(cur.rowcount)

    def remove_reviewer(self, name: str, *, by: str) -> bool:
        """Take ``name`` off the list; False if it was not on it."""
        with self.transaction():
            self._check_list_keeper(by)
            return bool(self.conn.execute("DELETE FROM reviewers WHERE name = ?", (name,)).rowcount)

    def _check_list_keeper(self, by: str) -> None:
        listed = self.reviewers()
        if listed and by not in listed:
            raise PermissionDenied(f"{by} is not on the reviewers list ({', '.join(listed)}):"
                                   " only a reviewer may change it")

    # -- documents --------------------------------------------------------------

    def add_documents(self, rows: Iterable[dict[str, Any]]) -> tuple[int, int]:
        """Insert prepared document rows (see ``corpus.document_row``); returns (added, already there).

        All rows go in one transaction: an error part-way stores none of them.
        An article whose outlet the database holds under another spelling is
        stored under that one (``_OutletSpellings``).
        The search index is filled every ``_INDEX_EVERY`` new rows by one
        statement, so it keeps pace with workers still preparing rows instead
        of all waiting for the end.
        """
        added = seen = 0
        with self.transaction():
            seq = self.conn.execute("SELECT coalesce(max(seq), 0) FROM documents").fetchone()[0]
            indexed = self.conn.execute("SELECT coalesce(max(rowid), 0) FROM documents").fetchone()[0]
            cur = self.conn.cursor()
            stamp = now()
            outlets = _OutletSpellings(self.conn)
            for row in rows:
                row = outlets.respelled(row)
                cur.execute(
                    "INSERT OR IGNORE INTO documents"
                    "(id, title, text, raw, source, url, published, lang, meta, tokens, seq, added_at)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (row["id"], row["title"], row["text"], row["raw"], row["source"], row["url"],
                     row["published"], row["lang"], row["meta"], row["tokens"], seq + 1, stamp),
                )
                if not cur.rowcount:
                    seen += 1
                    continue
                outlets.stored(row["source"])
                seq += 1
                added += 1
                if added % _INDEX_EVERY == 0:
                    indexed = self._index_documents_after(indexed)
            self._index_documents_after(indexed)
        return added, seen

    def _index_documents_after(self, rowid: int) -> int:
        """Add documents past ``rowid`` to the search index; returns the last rowid indexed."""
        self.conn.execute("INSERT INTO documents_fts(rowid, title, text)"
                          " SELECT rowid, title, text FROM documents WHERE rowid > ?", (rowid,))
        return self.conn.execute("SELECT coalesce(max(rowid), 0) FROM documents").fetchone()[0]

    def count_documents(self) -> int:
        """The number of articles, from the count triggers keep (no pass over the corpus)."""
        return self.conn.execute("SELECT n FROM counts WHERE name = 'documents'").fetchone()[0]

    def document_ids(self) -> list[str]:
        return [r[0] for r in self.conn.execute("SELECT id FROM documents ORDER BY seq")]

    def get_document(self, doc_id: str) -> Document:
        from .tokens import TokenOffsets

        # The tokens are read (and made arrays) on their own, then the text: a 1 MB article's stored tokens
        # are 2.3 MB of JSON, and read in one row with its text both were held twice (SQLite's copy and
        # Python's) at the peak.
        stored = self.conn.execute("SELECT tokens FROM documents WHERE id = ?", (doc_id,)).fetchone()
        if stored is None:
            raise TandaiError(f"no article {doc_id!r}")
        tokens = TokenOffsets.from_json(stored[0], doc_id)
        del stored
        row = self.conn.execute("SELECT title, text, source, url, published, lang, meta FROM documents WHERE id = ?",
                                (doc_id,)).fetchone()
        return Document(id=doc_id, title=row[0], text=row[1], tokens=tokens, source=row[2], url=row[3],
                        published=row[4], lang=row[5], meta=json.loads(row[6]))

    def _where_in(self, sql: str, values: Sequence[Any], *params: Any) -> Iterator[tuple]:
        """Rows of ``sql``, whose ``IN ({})`` takes ``values``: 500 at a time, under SQLite's limit on parameters."""
        for first in range(0, len(values), 500):
            part = values[first:first + 500]
            yield from self.conn.execute(sql.format(", ".join("?" * len(part))), (*params, *part))

    def texts_and_tokens(self, doc_ids: Sequence[str]) -> list[tuple[str, str, list[tuple[int, int]]]]:
        """(id, text, tokens) of each article, in the order asked, read with one query (for pre-tagging)."""
        from .tokens import tokens_from_json

        found = {row[0]: row for row in self._where_in("SELECT id, text, tokens FROM documents WHERE id IN ({})",
                                                        doc_ids)}
        missing = [doc_id for doc_id in doc_ids if doc_id not in found]
        if missing:
            raise TandaiError(f"no article {missing[0]!r}")
        return [(doc_id, found[doc_id][1], tokens_from_json(found[doc_id][2], doc_id)) for doc_id in doc_ids]

    def find_document_by_text(self, text: str) -> str | None:
        row = self.conn.execute("SELECT id FROM documents WHERE id = ? AND text = ?",
                                (document_id(text), text)).fetchone()
        return row[0] if row else None

    def list_documents(self, annotator: str, *, status: str | None = None, query: str | None = None,
                       limit: int = 500, offset: int = 0) -> list[DocumentSummary]:
        """The article list for one annotator, in import order, filtered by status and full-text query;
        with a queue (``tandai assign``) their own articles come first, then the others.

        A page is found in index order and only its rows are counted up: with a query the search
        index drives (it yields matches in rowid order, which is import order, so a page stops
        early instead of sorting every match); the queue is read from its own index, the other
        articles in ``seq`` order; a status other than todo starts from the annotator's progress rows.
        """
        if query:
            tiers = [("documents_fts f JOIN documents d ON d.rowid = f.rowid", "documents_fts MATCH ?",
                      [self._match_expression(query)], "f.rowid")]
        elif self.has_assignments(annotator):
            tiers = [("assignments q JOIN documents d ON d.id = q.doc_id", "q.annotator = ?", [annotator], "d.seq"),
                     ("documents d", "NOT EXISTS (SELECT 1 FROM assignments q WHERE q.annotator = ? AND q.doc_id = d.id)",
                      [annotator], "d.seq")]
        else:
            tiers = [("documents d", "", [], "d.seq")]
        rowids: list[int] = []
        for i, (source, where, params, order) in enumerate(tiers):
            sql, args = self._list_part(annotator, status, source, where, params)
            page = [row[0] for row in self.conn.execute(f"SELECT d.rowid{sql} ORDER BY {order} LIMIT ? OFFSET ?",
                                                         (*args, limit - len(rowids), offset))]
            rowids += page
            if len(rowids) >= limit or i == len(tiers) - 1:
                break
            # the next part starts where this one ends: past it by what is left of the offset
            offset = 0 if page else offset - self.conn.execute("SELECT count(*)" + sql, args).fetchone()[0]
        return self._summaries(annotator, rowids)

    def _match_expression(self, text: str) -> str:
        """A user's words as an FTS5 query: every word (split as FTS splits them) a prefix, all required.

        A word longer than the index's prefixes (1 to 3 characters) is asked for as the index's own words
        that start so, an OR of whole words: for a prefix it has no index of, FTS5 merges the rows of every
        word that starts so before it yields the first (a tenth of a second for a word in each of 100,000
        articles), while an OR of words streams in rowid order and a page stops early. The words are read
        from the index's list of words (fts5vocab, in this connection's temp schema: nothing is stored).
        """
        terms = []
        for word in re.findall(r"[^\W_]+", text):
            found = None
            if len(word) > _PREFIX_INDEXED and word.isascii():  # folded as the tokenizer folds ASCII
                word = word.lower()
                self.conn.execute("CREATE VIRTUAL TABLE IF NOT EXISTS temp.documents_words"
                                  " USING fts5vocab(main, documents_fts, row)")
                found = [row[0] for row in self.conn.execute(
                    "SELECT term FROM temp.documents_words WHERE term >= ? AND term < ? LIMIT ?",
                    (word, word[:-1] + chr(ord(word[-1]) + 1), _MOST_WORDS + 1))]
            if found is None or len(found) > _MOST_WORDS:
                terms.append(f'"{word}"*')
            else:  # no such word: '""' matches nothing, as the prefix would not
                terms.append("(" + " OR ".join(f'"{term}"' for term in found) + ")" if found else '""')
        return " AND ".join(terms) or '""'

    @staticmethod
    def _list_part(annotator: str, status: str | None, source: str, where: str, params: list) -> tuple[str, list]:
        """FROM and WHERE of one part of the list (its queue, the rest, or matches), status filter
        included, and their parameters."""
        conditions, args = ([where], list(params)) if where else ([], [])
        if status:
            source += " LEFT JOIN progress p ON p.doc_id = d.id AND p.annotator = ?"
            args.insert(0, annotator)  # the join's parameter comes before the conditions'
            conditions.append("coalesce(p.status, 'todo') = ?" if status == "todo" else "p.status = ?")
            args.append(status)
        return f" FROM {source}" + (" WHERE " + " AND ".join(conditions) if conditions else ""), args

    def _summaries(self, annotator: str, rowids: Sequence[int]) -> list[DocumentSummary]:
        """The list's lines for these articles, in this order: status, spans and open suggestions counted
        for them alone."""
        found = {row[0]: DocumentSummary(*row[1:]) for row in self._where_in(
            "SELECT d.rowid, d.id, d.title, d.source, d.published, coalesce(p.status, 'todo'),"
            " (SELECT count(*) FROM spans s WHERE s.doc_id = d.id AND s.annotator = ?),"
            # open suggestions, one per span and label (as ``suggestions`` merges models' rows): all of
            # them less the answered ones, each read from the index suggestions_span
            " (SELECT count(*) FROM (SELECT DISTINCT g.start, g.end, g.layer, g.label FROM suggestions g"
            "   WHERE g.doc_id = d.id))"
            " - (SELECT count(*) FROM (SELECT DISTINCT g.start, g.end, g.layer, g.label FROM suggestions g"
            "   JOIN verdicts v ON v.suggestion_id = g.id AND v.annotator = ? WHERE g.doc_id = d.id))"
            " FROM documents d LEFT JOIN progress p ON p.doc_id = d.id AND p.annotator = ?"
            " WHERE d.rowid IN ({})", rowids, annotator, annotator, annotator)}
        return [found[rowid] for rowid in rowids if rowid in found]

    def status_counts(self, annotator: str) -> dict[str, int]:
        counts = dict.fromkeys(STATUSES, 0)
        total = self.count_documents()
        for status, n in self.conn.execute(
            "SELECT status, count(*) FROM progress WHERE annotator = ? GROUP BY status", (annotator,)
        ):
            counts[status] = n
        counts["todo"] = total - sum(n for s, n in counts.items() if s != "todo")
        return counts

    def next_todo(self, annotator: str, after: str | None = None) -> str | None:
        """The next article (after ``after`` in list order, wrapping) the annotator has not finished:
        from their own queue (``tandai assign``) first, then from articles assigned to nobody; one who
        has no queue takes any article."""
        pending = "coalesce(p.status, 'todo') IN ('todo', 'doing')"
        base = ("SELECT d.id FROM documents d LEFT JOIN progress p ON p.doc_id = d.id AND p.annotator = ?"
                f" WHERE {pending}")
        tiers: list[tuple[str, tuple]] = [("", ())]
        if self.has_assignments(annotator):
            tiers = [(" AND EXISTS (SELECT 1 FROM assignments a WHERE a.doc_id = d.id AND a.annotator = ?)",
                      (annotator,)),
                     (" AND NOT EXISTS (SELECT 1 FROM assignments a WHERE a.doc_id = d.id)", ())]
        for tier, extra in tiers:
            if after is not None:
                row = self.conn.execute(
                    base + tier + " AND d.seq > (SELECT seq FROM documents WHERE id = ?) ORDER BY d.seq LIMIT 1",
                    (annotator, *extra, after),
                ).fetchone()
                if row:
                    return row[0]
            row = self.conn.execute(base + tier + " AND d.id IS NOT ? ORDER BY d.seq LIMIT 1",
                                    (annotator, *extra, after)).fetchone()
            if row:
                return row[0]
        return None

    def neighbour(self, doc_id: str, step: int) -> str | None:
        """The article before (step -1) or after (step +1) this one in the list."""
        op, order = (">", "ASC") if step > 0 else ("<", "DESC")
        row = self.conn.execute(
            f"SELECT id FROM documents WHERE seq {op} (SELECT seq FROM documents WHERE id = ?) ORDER BY seq {order} LIMIT 1",
            (doc_id,),
        ).fetchone()
        return row[0] if row else None

    # -- actors -------------------------------------------------------------------

    def add_actors(self, actors: Iterable[Actor]) -> int:
        """Add registry entries that are not there yet (not journaled: the registry is shared data)."""
        actors = list(actors)
        for actor in actors:
            check_identifier(actor.id, "actor id")
        with self.transaction():
            before = self.conn.total_changes
            self.conn.executemany(
                "INSERT OR IGNORE INTO actors(id, name, category, country, aliases) VALUES (?, ?, ?, ?, ?)",
                [(a.id, a.name, a.category, a.country, json.dumps(list(a.aliases), ensure_ascii=False))
                 for a in actors],
            )
            return self.conn.total_changes - before

    def _check_actor(self, actor: Actor) -> None:
        """One line for an actor the registry cannot take: no name, a category the scheme lacks, a bad country."""
        if not actor.id or not actor.name.strip():
            raise TandaiError("an actor needs an id and a name")
        check_identifier(actor.id, "actor id")
        categories = self.scheme.actor_categories
        if actor.category is not None and categories and actor.category not in categories:
            raise TandaiError(f"actor category {shown(actor.category)!r} is not one of the scheme's:"
                              f" {', '.join(categories)}")
        if actor.country is not None and not _COUNTRY.fullmatch(actor.country):
            raise TandaiError(f"country {shown(actor.country)!r} is not an ISO 3166 code of three capital letters"
                              " (ARM, AZE ...); leave it blank for none")

    def add_actor(self, actor: Actor, annotator: str, doc_id: str | None = None, *, by: str | None = None) -> Actor:
        """A new actor made by an annotator while annotating: journaled in the article's batch (when
        called inside that action), so undo takes it back in order with the link to the mention."""
        self._check_actor(actor)
        with self.action("add_actor", annotator, doc_id, by=by):
            if self._get("actors", {"id": actor.id}) is not None:
                raise TandaiError(f"actor {actor.id} exists already")
            self._insert("actors", {"id": actor.id, "name": actor.name, "category": actor.category,
                                    "country": actor.country,
                                    "aliases": json.dumps(list(actor.aliases), ensure_ascii=False)})
        return actor

    def update_actor(self, actor: Actor, annotator: str, *, by: str | None = None) -> Actor:
        """Edit a registry entry (name, category, country, aliases), journaled under ``annotator``."""
        self._check_actor(actor)
        with self.action("edit_actor", annotator, by=by):
            self._update("actors", {"id": actor.id}, {
                "name": actor.name, "category": actor.category, "country": actor.country,
                "aliases": json.dumps(list(actor.aliases), ensure_ascii=False)})
        return actor

    def actor(self, actor_id: str) -> Actor | None:
        row = self._get("actors", {"id": actor_id})
        if row is None:
            return None
        return Actor(row["id"], row["name"], row["category"], row["country"], tuple(json.loads(row["aliases"])))

    def actors(self, search: str = "") -> list[Actor]:
        rows = self.conn.execute("SELECT id, name, category, country, aliases FROM actors ORDER BY id").fetchall()
        found = [Actor(r[0], r[1], r[2], r[3], tuple(json.loads(r[4]))) for r in rows]
        if search:
            needle = search.casefold()
            found = [a for a in found if needle in a.id.casefold() or needle in a.name.casefold()
                     or any(needle in alias.casefold() for alias in a.aliases)]
        return found

    # -- spans ----------------------------------------------------------------------

    def _doc_text(self, doc_id: str) -> str:
        row = self.conn.execute("SELECT text FROM documents WHERE id = ?", (doc_id,)).fetchone()
        if row is None:
            raise TandaiError(f"no article {doc_id!r}")
        return row[0]

    def _check_span(self, layer: str, label: str) -> None:
        self.scheme.check_label(layer, label)

    def _text_and_boundaries(self, doc_id: str) -> tuple[str, Boundaries]:
        """The article's text and stored token boundaries (kept for a few articles: text and
        tokens never change once stored, and accepting every suggestion asks once per span)."""
        found = self._boundaries.get(doc_id)
        if found is None:
            from .tokens import Boundaries, TokenOffsets

            row = self.conn.execute("SELECT text, tokens FROM documents WHERE id = ?", (doc_id,)).fetchone()
            if row is None:
                raise TandaiError(f"no article {doc_id!r}")
            if len(self._boundaries) >= 8:
                self._boundaries.pop(next(iter(self._boundaries)))
            found = self._boundaries[doc_id] = (row[0], Boundaries(TokenOffsets.from_json(row[1], doc_id)))
        return found

    def aligned_span(self, doc_id: str, start: int, end: int, *, snap: bool = False) -> tuple[int, int]:
        """``start``-``end`` if it begins and ends on the article's stored token boundaries; with ``snap``,
        the whole tokens it touches; otherwise a one-line TandaiError."""
        text, boundaries = self._text_and_boundaries(doc_id)
        if not (0 <= start < end <= len(text)):
            raise TandaiError(f"span {start}-{end} is outside the article (0-{len(text)})")
        snapped = boundaries.snap(start, end)
        if snapped is None:
            raise TandaiError(f"span {start}-{end} covers no token (only whitespace)")
        if snapped != (start, end) and not snap:
            raise TandaiError(f"span {start}-{end} does not sit on token boundaries"
                              f" (the tokens it touches are {snapped[0]}-{snapped[1]})")
        return snapped

    def add_span(self, doc_id: str, annotator: str, layer: str, label: str, start: int, end: int, *,
                 actor_id: str | None = None, attrs: dict | None = None, origin: dict | None = None,
                 by: str | None = None) -> Span:
        """A new span of the annotator's; its offsets must sit on the article's token boundaries
        (``aligned_span(..., snap=True)`` makes them so)."""
        with self.action("add_span", annotator, doc_id, by=by):
            return self._add_spans(annotator, [(doc_id, layer, label, start, end, actor_id, attrs, origin)], by)[0]

    def _add_spans(self, annotator: str, items: Sequence[tuple], by: str | None) -> list[Span]:
        """New spans, (doc_id, layer, label, start, end, actor_id, attrs, origin) each, checked as
        ``add_span`` says and written with one statement (inside an action)."""
        stamp = now()
        rows, made = [], []
        labels_checked = set()
        keys = []
        for doc_id, layer, label, start, end, actor_id, attrs, origin in items:
            start, end = self.aligned_span(doc_id, start, end)
            text = self._text_and_boundaries(doc_id)[0]
            keys.append((doc_id, layer, label, start, end))
            if (layer, label) not in labels_checked:
                self._check_span(layer, label)
                labels_checked.add((layer, label))
            if actor_id is not None:
                check_identifier(actor_id, "actor id")
            if annotator == GOLD and by:
                origin = {"reviewer": by, **(origin or {})}  # every gold span says who reviewed it
            rows.append({
                "doc_id": doc_id, "annotator": annotator, "layer": layer, "label": label,
                "start": start, "end": end, "text": text[start:end], "actor_id": actor_id,
                "attrs": _sorted_json(attrs) if attrs else "{}",
                "origin": _sorted_json(origin) if origin else "{}",
                "created_at": stamp, "updated_at": stamp,
            })
            made.append((doc_id, annotator, layer, label, start, end, text[start:end], actor_id,
                         json.loads(rows[-1]["attrs"]) if attrs else {}, dict(origin or {})))
        for key in keys:
            self._refuse_copy(annotator, key)
        self._ensure_annotator(annotator)
        for doc_id in dict.fromkeys(row["doc_id"] for row in rows):
            self._mark_doing(doc_id, annotator)
        ids = self._insert_many("spans", rows)
        return [Span(span_id, *fields) for span_id, fields in zip(ids, made)]

    def _refuse_copy(self, annotator: str, key: tuple, span_id: int | None = None) -> None:
        """Two spans of one annotator with the same offsets, layer and label would be one entity twice in
        every export (spaCy refuses such a Doc): refuse the write that makes the second."""
        other = self._own_spans_among(annotator, [key]).get(tuple(key))
        if other is not None and other != span_id:
            doc_id, _, label, start, end = key
            raise TandaiError(f"{label} on “{self._text_and_boundaries(doc_id)[0][start:end][:40]}” is labelled already")

    def get_span(self, span_id: int) -> Span:
        row = self._get("spans", {"id": span_id})
        if row is None:
            raise TandaiError(f"no span {span_id}")
        return Span.from_row(row)

    def _own_span(self, span_id: int, annotator: str) -> Span:
        span = self.get_span(span_id)
        if span.annotator != annotator:
            raise PermissionDenied(f"span {span_id} belongs to {span.annotator}, not {annotator}")
        return span

    def update_span(self, span_id: int, annotator: str, *, by: str | None = None, action: str = "edit_span",
                    **changes: Any) -> Span:
        """Change label, boundaries, actor or attributes of one of the annotator's spans."""
        span = self._own_span(span_id, annotator)
        values: dict[str, Any] = {}
        if "label" in changes or "layer" in changes:  # a new layer must have the (old or new) label
            self._check_span(changes.get("layer", span.layer), changes.get("label", span.label))
            self._check_roles_kept(span, changes.get("layer", span.layer), changes.get("label", span.label))
        if "label" in changes:
            values["label"] = changes["label"]
        if "layer" in changes:
            values["layer"] = changes["layer"]
        if "start" in changes or "end" in changes:
            start, end = self.aligned_span(span.doc_id, changes.get("start", span.start), changes.get("end", span.end))
            values.update(start=start, end=end, text=self._text_and_boundaries(span.doc_id)[0][start:end])
        if "actor_id" in changes:
            if changes["actor_id"] is not None:
                check_identifier(changes["actor_id"], "actor id")
            values["actor_id"] = changes["actor_id"]
        if "attrs" in changes:
            values["attrs"] = json.dumps(changes["attrs"] or {}, ensure_ascii=False, sort_keys=True)
        if "origin" in changes:
            values["origin"] = json.dumps(changes["origin"] or {}, ensure_ascii=False, sort_keys=True)
        if not values:
            return span
        values["updated_at"] = now()
        with self.action(action, annotator, span.doc_id, by=by):
            self._refuse_copy(annotator, (span.doc_id, values.get("layer", span.layer), values.get("label", span.label),
                                          values.get("start", span.start), values.get("end", span.end)), span.id)
            row = self._update("spans", {"id": span_id}, values)
        return Span.from_row(row)

    def _check_roles_kept(self, span: Span, layer: str, label: str) -> None:
        """Refuse relabelling an argument to something one of its roles does not accept."""
        if (layer, label) == (span.layer, span.label):
            return
        for head_layer, head_label, role in self.conn.execute(
                "SELECT h.layer, h.label, l.role FROM links l JOIN spans h ON h.id = l.head WHERE l.tail = ?",
                (span.id,)).fetchall():
            problem = self.scheme.link_problem(head_layer, role, layer, label)
            if problem:
                raise TandaiError(f"{span.label} → {label} would break the link {head_label} —{role}→ “{span.text[:30]}”"
                                  f" ({problem}); unlink it first")

    def delete_span(self, span_id: int, annotator: str, *, by: str | None = None) -> int:
        """Delete a span with its links (returns how many links went with it); a span taken from a
        suggestion turns its verdict to rejected."""
        span = self._own_span(span_id, annotator)
        with self.action("delete_span", annotator, span.doc_id, by=by):
            link_ids = self.conn.execute(
                "SELECT id FROM links WHERE head = ? OR tail = ? ORDER BY id", (span_id, span_id)
            ).fetchall()
            for (link_id,) in link_ids:
                self._delete("links", {"id": link_id})
            for (sid,) in self.conn.execute(
                "SELECT suggestion_id FROM verdicts WHERE span_id = ?", (span_id,)
            ).fetchall():
                self._update("verdicts", {"suggestion_id": sid, "annotator": annotator},
                             {"verdict": "rejected", "span_id": None})
            self._delete("spans", {"id": span_id})
        return len(link_ids)

    def spans(self, doc_id: str, annotator: str | None = None, layer: str | None = None) -> list[Span]:
        sql, params = f"SELECT {_SPAN_COLUMNS} FROM spans WHERE doc_id = ?", [doc_id]
        if annotator is not None:
            sql += " AND annotator = ?"
            params.append(annotator)
        if layer is not None:
            sql += " AND layer = ?"
            params.append(layer)
        sql += " ORDER BY start, end DESC, id"
        # built from tuples, JSON parsed only where there is some: an article may hold thousands of spans
        return [Span(*row, _parse_json_object(attrs), _parse_json_object(origin))
                for *row, attrs, origin in self.conn.execute(sql, params)]

    def span_outlines(self, doc_id: str, annotator: str, among: Sequence[int] | None = None
                      ) -> Iterator[tuple[int, str, str, int, int, str | None]]:
        """(id, layer, label, start, end, actor_id) of the annotator's spans, in text order (by start, the
        longer first, then layer and id): what the article view draws, row by row, without making a
        ``Span`` of each of thousands; ``among``: only those of these ids (what a write changed)."""
        chosen = "" if among is None else " AND id IN (SELECT value FROM json_each(?))"
        return self.conn.execute(f"SELECT id, layer, label, start, end, actor_id FROM spans WHERE doc_id = ?"
                                 f" AND annotator = ?{chosen} ORDER BY start, end DESC, layer, id",
                                 (doc_id, annotator, *(() if among is None else (json.dumps(list(among)),))))

    # -- links ----------------------------------------------------------------------

    def add_link(self, head: int, tail: int, role: str, annotator: str, *, by: str | None = None) -> Link:
        head_span = self._own_span(head, annotator)
        tail_span = self._own_span(tail, annotator)
        if head == tail:
            raise TandaiError("a span cannot be linked to itself")
        if head_span.doc_id != tail_span.doc_id:
            raise TandaiError("linked spans must be in the same article")
        problem = self.scheme.link_problem(head_span.layer, role, tail_span.layer, tail_span.label)
        if problem is not None:
            raise TandaiError(problem)
        with self.action("add_link", annotator, head_span.doc_id, by=by):
            existing = self.conn.execute(
                "SELECT id FROM links WHERE head = ? AND tail = ? AND role = ?", (head, tail, role)
            ).fetchone()
            if existing:
                return self._link(existing[0])
            if self._reaches(tail, head):
                raise TandaiError(f"{tail_span.label} “{tail_span.text[:30]}” already leads to {head_span.label}"
                                  f" “{head_span.text[:30]}” through its links: a {role} link would close a cycle")
            row = self._insert("links", {"doc_id": head_span.doc_id, "annotator": annotator, "head": head,
                                         "tail": tail, "role": role, "created_at": now()})
        return Link(row["id"], row["doc_id"], row["annotator"], row["head"], row["tail"], row["role"])

    def _reaches(self, start: int, goal: int) -> bool:
        """Whether following links from span ``start`` (head to tail) reaches span ``goal``."""
        return self.conn.execute(
            "WITH RECURSIVE reach(id) AS (SELECT ? UNION SELECT l.tail FROM links l JOIN reach r ON l.head = r.id)"
            " SELECT 1 FROM reach WHERE id = ? LIMIT 1", (start, goal)).fetchone() is not None

    def _link(self, link_id: int) -> Link:
        row = self._get("links", {"id": link_id})
        if row is None:
            raise TandaiError(f"no link {link_id}")
        return Link(row["id"], row["doc_id"], row["annotator"], row["head"], row["tail"], row["role"])

    def delete_link(self, link_id: int, annotator: str, *, by: str | None = None) -> None:
        link = self._link(link_id)
        if link.annotator != annotator:
            raise PermissionDenied(f"link {link_id} belongs to {link.annotator}")
        with self.action("delete_link", annotator, link.doc_id, by=by):
            self._delete("links", {"id": link_id})

    def unlink(self, head: int, tail: int, annotator: str, *, by: str | None = None) -> list[str]:
        """Remove every link from ``head`` to ``tail`` (one undo step), keeping both spans; the roles removed."""
        head_span = self._own_span(head, annotator)
        with self.action("delete_link", annotator, head_span.doc_id, by=by):
            rows = self.conn.execute("SELECT id, role FROM links WHERE head = ? AND tail = ? ORDER BY id",
                                     (head, tail)).fetchall()
            for link_id, _ in rows:
                self._delete("links", {"id": link_id})
        return [role for _, role in rows]

    def links(self, doc_id: str, annotator: str | None = None) -> list[Link]:
        sql, params = "SELECT id, doc_id, annotator, head, tail, role FROM links WHERE doc_id = ?", [doc_id]
        if annotator is not None:
            sql += " AND annotator = ?"
            params.append(annotator)
        return [Link(*row) for row in self.conn.execute(sql + " ORDER BY id", params)]

    # -- suggestions ------------------------------------------------------------------

    def replace_suggestions(self, model: str, by_doc: dict[str, Sequence[tuple[str, str, int, int, float | None]]]) -> int:
        """Store a model's suggestions ((layer, label, start, end, score) per article), replacing its earlier ones.

        Suggestions already answered by someone keep their verdicts when the model suggests the same span again.
        """
        stamp = now()
        with self.transaction():
            self._ensure_annotator(model, "model")
            old = {  # (doc_id, layer, label, start, end) -> suggestion id
                tuple(key): sid for sid, *key in self._where_in(
                    "SELECT id, doc_id, layer, label, start, end FROM suggestions WHERE model = ? AND doc_id IN ({})",
                    list(by_doc), model)
            }
            keep = set()
            fresh = []
            for doc_id, rows in by_doc.items():
                for layer, label, start, end, score in rows:
                    sid = old.get((doc_id, layer, label, start, end))
                    if sid is None:
                        fresh.append((doc_id, model, layer, label, start, end, score, stamp))
                    else:
                        keep.add(sid)
            self.conn.executemany("DELETE FROM suggestions WHERE id = ?",
                                  [(sid,) for sid in old.values() if sid not in keep])
            self.conn.executemany(
                "INSERT INTO suggestions(doc_id, model, layer, label, start, end, score, created_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                fresh,
            )
            self.conn.executemany("UPDATE documents SET tagged = 1 WHERE id = ? AND tagged IS NULL",
                                  [(doc_id,) for doc_id in by_doc])
            added = len(fresh)
            self.conn.execute(
                "INSERT INTO journal(batch, op, action, annotator, by, doc_id, tbl, row_id, after, at, account, uid)"
                " SELECT coalesce(max(batch), 0) + 1, 'do', 'tag', ?, ?, NULL, 'suggestions', NULL, ?, ?, ?, ?"
                " FROM journal",
                (model, model, json.dumps({"documents": len(by_doc), "added": added}), stamp, *os_account()),
            )
        return added

    def untagged_documents(self, model: str | None = None, *, limit: int = -1) -> list[str]:
        """Articles with no suggestions (from ``model``, or from any model), in import order."""
        cond = "AND g.model = ?" if model else ""
        params = (model,) if model else ()
        return [r[0] for r in self.conn.execute(
            f"SELECT d.id FROM documents d WHERE NOT EXISTS (SELECT 1 FROM suggestions g WHERE g.doc_id = d.id {cond})"
            " ORDER BY d.seq LIMIT ?", (*params, limit))]

    def needs_tagging(self, doc_id: str) -> bool:
        """Whether the article was never pre-tagged and has no suggestions (an article tagged with
        nothing found is not tagged again each time it is opened: the rules would find nothing again)."""
        row = self.conn.execute("SELECT tagged IS NULL AND NOT EXISTS (SELECT 1 FROM suggestions WHERE doc_id = ?)"
                                " FROM documents WHERE id = ?", (doc_id, doc_id)).fetchone()
        return bool(row and row[0])

    def has_untagged_documents(self) -> bool:
        """Whether any article was never pre-tagged (one look in an index that holds only those)."""
        return self.conn.execute("SELECT 1 FROM documents WHERE tagged IS NULL LIMIT 1").fetchone() is not None

    def suggestions(self, doc_id: str, annotator: str | None = None, *, open_only: bool = False) -> list[Suggestion]:
        """The article's suggestions, one per span and label however many models proposed it (their rows
        in ``ids`` and ``models``), with ``annotator``'s verdict on it: the latest given to any of its rows,
        so a model that proposes an answered span later does not open it again. ``open_only``: those
        with no verdict on any of their rows."""
        rows = self.conn.execute(
            f"SELECT {_SUGGESTION_COLUMNS} FROM suggestions g LEFT JOIN verdicts v ON v.suggestion_id = g.id"
            f" AND v.annotator = ? WHERE g.doc_id = ?{' AND ' + _UNANSWERED if open_only else ''}"
            " ORDER BY g.start, g.end DESC, g.id", (annotator, doc_id, *((annotator,) if open_only else ()))).fetchall()
        groups: dict[tuple, list[tuple]] = {}
        for row in rows:
            groups.setdefault(row[3:7], []).append(row)
        return [Suggestion(*members[0][:9], (members[0][0],), (members[0][2],)) if len(members) == 1
                else _merged([(Suggestion(*row[:9]), row[9]) for row in members]) for members in groups.values()]

    def open_suggestion_outlines(self, doc_id: str, annotator: str, among: Sequence[int] | None = None,
                                 starting: tuple[int, int | None] | None = None
                                 ) -> Iterator[tuple[int, str, str, int, int]]:
        """(id, layer, label, start, end) of the suggestions ``annotator`` has not answered, row by row in
        text order (as ``span_outlines``), one per span and label as ``suggestions`` gives them (``id``
        the first model's row); ``among``: only those with one of these rows (what a write reopened);
        ``starting`` (first, stop): only those starting at ``first`` or after, before ``stop`` unless
        None (an article's first screen, then the rest)."""
        chosen = ("" if among is None else " AND (g.start, g.end, g.layer, g.label) IN (SELECT f.start, f.end,"
                  " f.layer, f.label FROM json_each(?) a JOIN suggestions f ON f.id = a.value)")
        if starting is not None:
            chosen += " AND g.start >= ?" + ("" if starting[1] is None else " AND g.start < ?")
        # a group is every model's row of one span and label: it is open when none of them has a verdict
        # (one look-up a row, where asking of each row whether its group has one takes two)
        return self.conn.execute(
            "SELECT min(g.id), g.layer, g.label, g.start, g.end FROM suggestions g LEFT JOIN verdicts v"
            f" ON v.suggestion_id = g.id AND v.annotator = ? WHERE g.doc_id = ?{chosen}"
            " GROUP BY g.start, g.end, g.layer, g.label HAVING count(v.suggestion_id) = 0"
            " ORDER BY g.start, g.end DESC, g.layer, min(g.id)",
            (annotator, doc_id, *(() if among is None else (json.dumps(list(among)),)),
             *(() if starting is None else (value for value in starting if value is not None))))

    def suggestion(self, suggestion_id: int, annotator: str | None = None) -> Suggestion | None:
        """One suggestion as ``suggestions`` gives it (every model's row for its span and label)."""
        rows = self.conn.execute(
            f"SELECT {_SUGGESTION_COLUMNS} FROM suggestions f JOIN suggestions g ON {_SAME_SPAN.format('g', 'f')}"
            " LEFT JOIN verdicts v ON v.suggestion_id = g.id AND v.annotator = ? WHERE f.id = ? ORDER BY g.id",
            (annotator, suggestion_id)).fetchall()
        return _merged([(Suggestion(*row[:9]), row[9]) for row in rows]) if rows else None

    def _answered_together(self, suggestion_ids: Sequence[int]) -> list[list[Suggestion]]:
        """For each suggestion asked (once per span and label, in the order asked), every model's row
        for the same article, span and label: what one answer answers."""
        groups: dict[int, list[Suggestion]] = {}
        for asked, *row in self._where_in(
            "SELECT g.id, m.id, m.doc_id, m.model, m.layer, m.label, m.start, m.end, m.score"
            " FROM suggestions g JOIN suggestions m ON m.doc_id = g.doc_id AND m.start = g.start"
            " AND m.end = g.end AND m.layer = g.layer AND m.label = g.label WHERE g.id IN ({}) ORDER BY m.id",
            list(suggestion_ids)):
            groups.setdefault(asked, []).append(Suggestion(*row))
        missing = [sid for sid in suggestion_ids if sid not in groups]
        if missing:
            raise TandaiError(f"no suggestion {missing[0]}")
        chosen: dict[tuple, list[Suggestion]] = {}
        for sid in suggestion_ids:
            first = groups[sid][0]
            chosen.setdefault((first.doc_id, first.layer, first.label, first.start, first.end), groups[sid])
        return list(chosen.values())

    def _own_spans_among(self, annotator: str, keys: Sequence[tuple]) -> dict[tuple, int]:
        """Which of these (doc_id, layer, label, start, end) the annotator has a span on already, and its
        id: one indexed look-up each (spans_doc), however many spans the article has."""
        found: dict[tuple, int] = {}
        fields = ", ".join(f"json_extract(k.value, '$[{n}]')" for n in range(5))
        for span_id, *key in self.conn.execute(
                f"SELECT s.id, {fields} FROM json_each(?) k JOIN spans s ON s.doc_id = json_extract(k.value, '$[0]')"
                " AND s.annotator = ? AND s.start = json_extract(k.value, '$[3]') AND s.end = json_extract(k.value, '$[4]')"
                " AND s.layer = json_extract(k.value, '$[1]') AND s.label = json_extract(k.value, '$[2]') ORDER BY s.id",
                (json.dumps(list(keys)), annotator)):
            found.setdefault(tuple(key), span_id)
        return found

    def _has_spans_in(self, annotator: str, doc_ids: Sequence[str]) -> bool:
        """Whether the annotator has any span in these articles (one index step each)."""
        return any(self.conn.execute("SELECT 1 FROM spans WHERE doc_id = ? AND annotator = ? LIMIT 1",
                                     (doc_id, annotator)).fetchone() for doc_id in doc_ids)

    def _quotes_alike(self, known: dict[str, bool], model: str) -> bool:
        """Whether SQLite's json_quote() writes the model's name as ``_sorted_json`` does (asked once per name
        in ``known``): then SQL can write an accepted span's origin."""
        alike = known.get(model)
        if alike is None:
            alike = known[model] = self.conn.execute("SELECT json_quote(?)", (model,)).fetchone()[0] == json.dumps(
                model, ensure_ascii=False)
        return alike

    def accept_suggestions(self, suggestion_ids: Sequence[int], annotator: str, *, by: str | None = None) -> list[Span]:
        """Turn suggestions into the annotator's spans, one per span and label even where several models
        proposed it, with a verdict on each model's row (one undo step for all of them)."""
        last, _, had, _ = self._accept(suggestion_ids, annotator, by)
        return [Span.from_row(row) for row in self.rows(
            f"SELECT * FROM spans WHERE (id > ? AND annotator = ?) OR id IN ({', '.join('?' * len(had))}) ORDER BY id",
            (last, annotator, *had))] if last >= 0 else []

    def accept_many(self, suggestion_ids: Sequence[int], annotator: str, *, by: str | None = None) -> dict[int, int]:
        """``accept_suggestions`` for thousands (``Y``): returns the id of the span that answers each span and
        label, by its first row's id (the suggestion as ``suggestions`` gives it), not the spans: nothing
        else is turned into Python objects per row. The spans made have ids rising in the order asked."""
        return self._accept(suggestion_ids, annotator, by)[3]

    def _accept(self, suggestion_ids: Sequence[int], annotator: str, by: str | None
                ) -> tuple[int, int, list[int], dict[int, int]]:
        """Accept in a few statements however many suggestions there are: one read of the suggestions,
        then the spans, the verdicts and their journal rows each one INSERT ... SELECT (the asked ids,
        and the new spans, go in as one JSON parameter). Returns the largest span id from before (-1 when
        nothing was asked), how many spans it made, the ids of the annotator's spans that answered
        suggestions they had labelled already, and the span answering each span and label by its first row."""
        if not suggestion_ids:
            return -1, 0, [], {}
        # every model's row of each asked suggestion's span and label, in the order asked, then by id
        members = self.conn.execute(
            "SELECT a.key, m.id, m.model, m.doc_id, m.layer, m.label, m.start, m.end"
            " FROM json_each(?) a LEFT JOIN suggestions g ON g.id = a.value"
            f" LEFT JOIN suggestions m ON {_SAME_SPAN.format('m', 'g')} ORDER BY a.key, m.id",
            (json.dumps(list(suggestion_ids)),)).fetchall()
        # span and label -> (asked at, first row, models, every model's row id)
        groups: dict[tuple, tuple[int, int, list[str], list[int]]] = {}
        for row in members:
            position, first, model = row[:3]
            if first is None:  # no such suggestion: no row of it either
                raise TandaiError(f"no suggestion {suggestion_ids[position]}")
            group = groups.setdefault(row[3:], (position, first, [], []))
            if group[0] == position:  # asked again later (another model's row): answered already
                group[2].append(model)
                group[3].append(first)
        for layer, label in {key[1:3] for key in groups}:
            self._check_span(layer, label)
        docs = list(dict.fromkeys(key[0] for key in groups))
        with self.action("accept" if len(groups) == 1 else "accept_all", annotator, docs[0], by=by):
            # a suggestion the annotator has labelled already is answered by that span, not by a copy of it
            # (read inside the write transaction: another process cannot add the copy meanwhile); looked up
            # only where they have spans (Y on an article not yet labelled: none)
            had = self._own_spans_among(annotator, list(groups)) if self._has_spans_in(annotator, docs) else {}
            # first row's id -> the span's text, cut here (SQLite's substr() walks a long article from its
            # start for each span), or [text, origin] where the origin is not the one SQL makes (see below)
            texts: dict[str, Any] = {}
            quoted: dict[str, bool] = {}  # model -> whether SQLite's json_quote() writes it as json.dumps does
            cut = {doc_id: self._text_and_boundaries(doc_id) for doc_id in docs}
            reviewed = annotator == GOLD and by
            for key, (_, first, models, _) in groups.items():
                if key in had:
                    continue
                doc_id, _, _, start, end = key
                text, boundaries = cut[doc_id]
                if not (0 <= start < end <= len(text) and boundaries.aligns(start, end)):
                    self.aligned_span(doc_id, start, end)  # says how it does not align
                if len(models) == 1 and not reviewed and self._quotes_alike(quoted, models[0]):
                    texts[str(first)] = text[start:end]
                    continue
                found: dict[str, Any] = {"suggestion": first, "model": models[0]}
                if len(models) > 1:
                    found["models"] = models
                if reviewed:
                    found["reviewer"] = by  # every gold span says who reviewed it
                texts[str(first)] = [text[start:end], _sorted_json(found)]
            self._ensure_annotator(annotator)
            for doc_id in docs:
                self._mark_doing(doc_id, annotator)
            last = self.conn.execute("SELECT coalesce(max(id), 0) FROM spans").fetchone()[0]
            stamp = now()
            # one row per first row's id, the rest read from its suggestion: a JSON object's members come
            # out of json_each as key and value without parsing each row's JSON again (json_extract does),
            # in the object's order (CROSS JOIN: json_each drives), which gives the new spans' ids. The
            # common origin, {"model": ..., "suggestion": id}, is what _sorted_json writes for it.
            self.conn.execute(
                "INSERT INTO spans (doc_id, layer, label, start, end, text, origin, annotator, actor_id, attrs,"
                " created_at, updated_at) SELECT g.doc_id, g.layer, g.label, g.start, g.end,"
                " CASE a.type WHEN 'text' THEN a.value ELSE json_extract(a.value, '$[0]') END,"
                " CASE a.type WHEN 'text' THEN '{\"model\": ' || json_quote(g.model) || ', \"suggestion\": ' || g.id"
                " || '}' ELSE json_extract(a.value, '$[1]') END, ?, NULL, '{}', ?, ?"
                " FROM json_each(?) a CROSS JOIN suggestions g ON g.id = CAST(a.key AS INTEGER)",
                (annotator, stamp, stamp, json.dumps(texts, ensure_ascii=False)))
            self._journal_rows("spans", "FROM spans t WHERE t.id > ?", (last,), written=True)
            made = iter(row[0] for row in self.conn.execute("SELECT id FROM spans WHERE id > ? ORDER BY id", (last,)))
            # every model's row of each span and label -> the span that answers it (new, or the one labelled)
            answering = {first: had[key] if key in had else next(made) for key, (_, first, _, _) in groups.items()}
            answers = json.dumps({str(member): answering[first] for _, first, _, rows in groups.values()
                                  for member in rows})
            chosen = ("FROM json_each(?) a CROSS JOIN verdicts t ON t.suggestion_id = CAST(a.key AS INTEGER)"
                      " AND t.annotator = ?")
            # an earlier verdict goes (a rejected suggestion accepted after all), an accepted one takes its place
            if self._journal_rows("verdicts", chosen, (answers, annotator), written=False):
                self.conn.execute("DELETE FROM verdicts AS t WHERE t.annotator = ? AND t.suggestion_id IN"
                                  " (SELECT CAST(key AS INTEGER) FROM json_each(?))", (annotator, answers))
            self.conn.execute("INSERT INTO verdicts (suggestion_id, annotator, verdict, span_id, created_at)"
                              " SELECT CAST(a.key AS INTEGER), ?, 'accepted', a.value, ? FROM json_each(?) a",
                              (annotator, stamp, answers))
            self._journal_rows("verdicts", chosen, (answers, annotator), written=True)
        return last, len(texts), list(had.values()), answering

    def reject_suggestion(self, suggestion_id: int, annotator: str, *, by: str | None = None) -> None:
        """Reject a suggestion: a verdict on each model's row for its span and label."""
        (group,) = self._answered_together([suggestion_id])
        with self.action("reject", annotator, group[0].doc_id, by=by):
            self._ensure_annotator(annotator)
            self._delete_many("verdicts", [(sug.id, annotator) for sug in group])
            stamp = now()
            self._insert_many("verdicts", [{"suggestion_id": sug.id, "annotator": annotator, "verdict": "rejected",
                                            "span_id": None, "created_at": stamp} for sug in group])

    # -- review decisions ---------------------------------------------------------------

    def _rejection_id(self, doc_id: str, layer: str, label: str, start: int, end: int) -> int | None:
        row = self.conn.execute(
            "SELECT id FROM rejections WHERE doc_id = ? AND layer = ? AND label = ? AND start = ? AND end = ?",
            (doc_id, layer, label, start, end),
        ).fetchone()
        return row[0] if row else None

    def reject_for_gold(self, doc_id: str, layer: str, label: str, start: int, end: int, *, by: str) -> None:
        """Record that reviewer ``by`` keeps this span out of gold (journaled on gold: undo takes it back)."""
        with self.action("review_reject", GOLD, doc_id, by=by):
            self._mark_doing(doc_id, GOLD)
            if self._rejection_id(doc_id, layer, label, start, end) is None:
                self._insert("rejections", {"doc_id": doc_id, "layer": layer, "label": label, "start": start,
                                            "end": end, "reviewer": by, "created_at": now()})

    def unreject_for_gold(self, doc_id: str, layer: str, label: str, start: int, end: int, *, by: str) -> None:
        """Take back a rejection (the reviewer copied the span into gold after all)."""
        rejection = self._rejection_id(doc_id, layer, label, start, end)
        if rejection is not None:
            with self.action("review_accept", GOLD, doc_id, by=by):
                self._delete("rejections", {"id": rejection})

    def rejections(self, doc_id: str) -> list[tuple[str, str, int, int]]:
        """(layer, label, start, end) of every span kept out of gold in the article."""
        return [tuple(row) for row in self.conn.execute(
            "SELECT layer, label, start, end FROM rejections WHERE doc_id = ? ORDER BY start, end, layer, label",
            (doc_id,))]

    # -- progress --------------------------------------------------------------------

    def _mark_doing(self, doc_id: str, annotator: str) -> None:
        """The first change to an article moves it from todo to doing."""
        key = {"doc_id": doc_id, "annotator": annotator}
        row = self._get("progress", key)
        if row is None:
            self._insert("progress", {**key, "status": "doing", "updated_at": now()})
        elif row["status"] == "todo":
            self._update("progress", key, {"status": "doing", "updated_at": now()})

    def set_status(self, doc_id: str, annotator: str, status: str, *, by: str | None = None) -> None:
        if status not in STATUSES:
            raise TandaiError(f"status must be one of {', '.join(STATUSES)}")
        self._doc_text(doc_id)
        with self.action(f"status_{status}", annotator, doc_id, by=by):
            self._ensure_annotator(annotator)
            key = {"doc_id": doc_id, "annotator": annotator}
            if self._get("progress", key) is None:
                self._insert("progress", {**key, "status": status, "updated_at": now()})
            else:
                self._update("progress", key, {"status": status, "updated_at": now()})

    # -- changes (what the review list recomputes) ---------------------------------

    def change_count(self) -> int:
        """How many article changes the database has counted (schema version 6's triggers)."""
        return self.conn.execute("SELECT coalesce(max(version), 0) FROM article_changes").fetchone()[0]

    def changed_since(self, count: int) -> list[str]:
        """Ids of the articles changed after the database's change count was ``count``."""
        return [row[0] for row in self.conn.execute(
            "SELECT doc_id FROM article_changes WHERE version > ? ORDER BY version", (count,))]

    def review_rows(self, doc_ids: Sequence[str]) -> dict[str, tuple[int, tuple | None]]:
        """Each article's change number (0: never changed) and its stored review-list row (statuses JSON,
        disagreements, open, agreed, gold_spans, gold_status, score) if stored at that number, else None.
        One read for both: a row is only trusted against the number read with it."""
        return {doc_id: (version, row if stored == version else None)
                for doc_id, version, stored, *row in self._where_in(
                    "SELECT d.id, coalesce(c.version, 0), r.version, r.statuses, r.disagreements, r.open,"
                    " r.agreed, r.gold_spans, r.gold_status, r.score FROM documents d"
                    " LEFT JOIN article_changes c ON c.doc_id = d.id LEFT JOIN review_rows r ON r.doc_id = d.id"
                    " WHERE d.id IN ({})", doc_ids)}

    def save_review_rows(self, rows: Iterable[tuple]) -> None:
        """Store review-list rows ((doc_id, change number, then the columns ``review_rows`` gives)); a row
        older than the one stored is left out (a slow comparison finishing after a quicker, later one)."""
        with self.transaction():
            self.conn.executemany(
                "INSERT INTO review_rows(doc_id, version, statuses, disagreements, open, agreed, gold_spans,"
                " gold_status, score) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(doc_id) DO UPDATE SET"
                " version = excluded.version, statuses = excluded.statuses,"
                " disagreements = excluded.disagreements, open = excluded.open, agreed = excluded.agreed,"
                " gold_spans = excluded.gold_spans, gold_status = excluded.gold_status, score = excluded.score"
                " WHERE excluded.version >= review_rows.version", rows)

    # -- assignments (tandai assign) ------------------------------------------------

    def has_assignments(self, annotator: str) -> bool:
        return self.conn.execute("SELECT 1 FROM assignments WHERE annotator = ? LIMIT 1",
                                 (annotator,)).fetchone() is not None

    def queue_counts(self, annotator: str) -> tuple[int, int] | None:
        """(done, assigned) of the annotator's own queue; None when nothing is assigned to them."""
        done, assigned = self.conn.execute(
            "SELECT count(p.doc_id), count(*) FROM assignments a LEFT JOIN progress p"
            " ON p.doc_id = a.doc_id AND p.annotator = a.annotator AND p.status = 'done' WHERE a.annotator = ?",
            (annotator,)).fetchone()
        return (done, assigned) if assigned else None

    def assignments(self) -> dict[str, list[str]]:
        """Article id -> the annotators it is assigned to, sorted."""
        found: dict[str, list[str]] = {}
        for doc_id, name in self.conn.execute("SELECT doc_id, annotator FROM assignments ORDER BY doc_id, annotator"):
            found.setdefault(doc_id, []).append(name)
        return found

    def worked_on(self) -> dict[str, set[str]]:
        """Article id -> the human annotators who have started, finished or flagged it, or have spans there:
        work that a new assignment must not take from them."""
        found: dict[str, set[str]] = {}
        for doc_id, name in self.conn.execute(
            "SELECT p.doc_id, p.annotator FROM progress p JOIN annotators a ON a.name = p.annotator"
            " WHERE a.kind = 'human' AND p.status IN ('doing', 'done', 'flagged')"
            " UNION SELECT DISTINCT s.doc_id, s.annotator FROM spans s JOIN annotators a ON a.name = s.annotator"
            " WHERE a.kind = 'human'"
        ):
            found.setdefault(doc_id, set()).add(name)
        return found

    def settled_documents(self) -> set[str]:
        """Articles whose gold version the review marked settled (gold's progress status ``done``)."""
        return {r[0] for r in self.conn.execute("SELECT doc_id FROM progress WHERE annotator = ? AND status = 'done'",
                                                (GOLD,))}

    def set_assignments(self, plan: Mapping[str, Sequence[str]], *, by: str) -> None:
        """Replace every assignment with ``plan`` (article id -> annotators), in one transaction."""
        stamp = now()
        with self.transaction():
            for name in sorted({name for names in plan.values() for name in names}):
                self._ensure_annotator(name)
            self.conn.execute("DELETE FROM assignments")
            self.conn.executemany(
                "INSERT INTO assignments(doc_id, annotator, assigned_by, assigned_at) VALUES (?, ?, ?, ?)",
                [(doc_id, name, by, stamp) for doc_id, names in plan.items() for name in names])

    def progress(self, doc_id: str, annotator: str) -> Progress:
        row = self._get("progress", {"doc_id": doc_id, "annotator": annotator})
        if row is None:
            return Progress(doc_id, annotator)
        return Progress(doc_id, annotator, row["status"], row["seconds"], row["cursor"])

    def save_position(self, doc_id: str, annotator: str, cursor: int, seconds: float = 0.0) -> None:
        """Cursor and time spent: session state, saved but not journaled (not an annotation change)."""
        with self.transaction():
            self._ensure_annotator(annotator)
            self.conn.execute(
                "INSERT INTO progress(doc_id, annotator, status, seconds, cursor, updated_at)"
                " VALUES (?, ?, 'todo', ?, ?, ?) ON CONFLICT(doc_id, annotator) DO UPDATE SET"
                " cursor = excluded.cursor, seconds = progress.seconds + excluded.seconds",
                (doc_id, annotator, seconds, cursor, now()),
            )
            self.conn.execute("UPDATE annotators SET last_doc = ? WHERE name = ?", (doc_id, annotator))


def _merged(answered: Sequence[tuple[Suggestion, str]]) -> Suggestion:
    """One suggestion for the rows several models made for the same span and label ((row, when its
    verdict was given) in id order): the best score, the latest verdict."""
    rows = [row for row, _ in answered]
    first = rows[0]
    scores = [r.score for r in rows if r.score is not None]
    verdict = max(((at, r.verdict) for r, at in answered if r.verdict is not None), default=(None, None))[1]
    return Suggestion(first.id, first.doc_id, first.model, first.layer, first.label, first.start, first.end,
                      max(scores) if scores else None, verdict, tuple(r.id for r in rows),
                      tuple(r.model for r in rows))


def _parse_json_object(text: str | None) -> dict[str, Any]:
    return json.loads(text) if text and text != "{}" else {}


def _outlet_key(name: object) -> str:
    """``cleaning.outlet_key`` as an SQL function (the upgrade to schema 12): '' for no name."""
    from .cleaning import outlet_key

    return outlet_key(name) if isinstance(name, str) else ""


class _OutletSpellings:
    """One spelling per outlet in a database, for one import's transaction: an article's outlet is
    stored under the spelling the ``outlets`` table gives its key ("RADARMALANG.ID" under "Radar
    Malang" when that came first), the spelling read kept in its meta (``outlet_as_read``); a new
    outlet's spelling is entered there once an article of it is stored. Each spelling read is looked
    up once (by the table's key), however many articles carry it."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        from .cleaning import outlet_key

        self.conn, self.key_of = conn, outlet_key
        self.spellings: dict[str, str] = {}  # as read -> as stored
        self.new: dict[str, str] = {}  # key -> spelling, of an outlet the table does not hold yet

    def respelled(self, row: dict[str, Any]) -> dict[str, Any]:
        """The row, its outlet spelled as the database spells that outlet."""
        source = row["source"]
        if not source or not isinstance(source, str):
            return row
        spelled = self.spellings.get(source)
        if spelled is None:
            spelled = self.spellings[source] = self._look_up(source)
        if spelled == source:
            return row
        meta = json.loads(row["meta"] or "{}")
        meta.setdefault("outlet_as_read", source)
        return {**row, "source": spelled, "meta": json.dumps(meta, ensure_ascii=False, sort_keys=True)}

    def stored(self, source: str | None) -> None:
        """An article of this outlet is stored: a new outlet's spelling is the one it is stored under."""
        if source and self.new and source in self.new.values():
            key = self.key_of(source)
            del self.new[key]
            self.conn.execute("INSERT INTO outlets(key, name) VALUES (?, ?)", (key, source))

    def _look_up(self, source: str) -> str:
        key = self.key_of(source)
        if not key:
            return source
        found = self.conn.execute("SELECT name FROM outlets WHERE key = ?", (key,)).fetchone()
        if found:
            return found[0]
        return self.new.setdefault(key, source)  # the first spelling this import brings of a new outlet


def _split_sql(script: str) -> list[str]:
    """Statements of a migration script (trigger bodies keep their inner semicolons)."""
    statements, buf = [], ""
    for line in script.splitlines(keepends=True):
        buf += line
        if sqlite3.complete_statement(buf):
            statements.append(buf.strip())
            buf = ""
    if buf.strip():
        statements.append(buf.strip())
    return statements
