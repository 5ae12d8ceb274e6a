"""Reading articles in: text files, directories, JSONL and standard input.

Raw scraped pages are cleaned (``cleaning.py``: page furniture out, the
article's own sentences kept, the raw page stored beside the clean text) and
their headline, publication date and outlet are read off the page. Every
input is checked before anything is stored, so a bad file refuses the whole
import with one line naming the file (and line).
"""
from __future__ import annotations

import codecs
import json
import os
import shutil
import signal
import stat
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import nullcontext
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, BinaryIO

from .children import die_with_parent
from .cleaning import clean, make_title
from .errors import InputError
from .jsonl import load_line
from .store import Store, document_id
from .tokens import tokenize_json

FORMATS = ("txt", "jsonl")
# C0 control bytes other than tab, newline, form feed, CR and ESC: many of them mean a binary file.
_CONTROL_BYTES = bytes(sorted(set(range(0x00, 0x20)) - {0x09, 0x0A, 0x0C, 0x0D, 0x1B}))
_JSONL_FIELDS = ("text", "title", "source", "url", "published", "meta", "lang")


@dataclass
class Article:
    """One article ready to store: clean text plus what was found about it."""

    text: str
    title: str
    raw: str | None = None
    source: str | None = None
    url: str | None = None
    published: str | None = None
    lang: str = "id"
    meta: dict[str, Any] = field(default_factory=dict)


def document_row(article: Article) -> dict[str, Any]:
    """The ``documents`` row for an article, tokens included."""
    return {
        "id": document_id(article.text),
        "title": article.title,
        "text": article.text,
        "raw": article.raw,
        "source": article.source,
        "url": article.url,
        "published": article.published,
        "lang": article.lang,
        "meta": json.dumps(article.meta, ensure_ascii=False, sort_keys=True),
        "tokens": tokenize_json(article.text),
    }


def clean_page(raw: str) -> Article:
    """Clean a raw scraped page into an article with title, date and outlet (rules: ``cleaning.py``)."""
    page = clean(raw)
    return Article(text=page.text, title=page.title, raw=raw, source=page.source, published=page.published,
                   meta=page.meta)


# -- reading files ------------------------------------------------------------------


# A byte-order mark names the encoding: Windows tools save "Unicode" text as UTF-16 with one.
# UTF-32's marks first: UTF-32-LE's begins with UTF-16-LE's.
_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF8, "utf-8-sig"),
         (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


def _encoding_of(head: bytes, origin: str, encoding: str) -> str:
    """The codec to read a file with, from its first 8 KiB: with the default UTF-8, a byte-order mark
    decides; a file that looks binary is refused."""
    if encoding.lower().replace("_", "-") in ("utf-8", "utf8", "utf-8-sig"):
        encoding = next((name for bom, name in _BOMS if head.startswith(bom)), "")
        if not encoding:
            controls = len(head) - len(head.translate(None, _CONTROL_BYTES))
            if controls > max(2, len(head) // 20):
                raise InputError(origin, "binary file, not text")
            encoding = "utf-8-sig"
    return encoding


def decode(data: bytes, origin: str, encoding: str = "utf-8") -> str:
    """Bytes to text, refusing binary and empty files and naming where decoding failed.

    With the default UTF-8, a byte-order mark decides instead (UTF-16 and UTF-32 are read as such).
    """
    encoding = _encoding_of(data[:8192], origin, encoding)
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise InputError(origin, f"not valid {exc.encoding} at byte {exc.start} (line {line});"
                                 " give --encoding if the file uses another encoding") from None
    except LookupError:
        raise InputError(origin, f"unknown encoding {encoding!r}") from None
    if not text.strip():
        raise InputError(origin, "empty file")
    return text


def parse_txt(text: str, origin: str, *, clean: bool = True) -> Article:
    article = clean_page(text) if clean else Article(text=text, title=make_title(text), raw=text)
    if not article.text.strip():
        raise InputError(origin, "no article text left after cleaning")
    article.meta["path"] = origin
    return article


def jsonl_article(line: str, origin: str, n: int, *, clean: bool = False) -> Article | None:
    """The article on line ``n`` of a JSONL input (None for a blank line)."""
    if not line.strip():
        return None
    record = load_line(line, origin, n)
    if not isinstance(record, dict):
        raise InputError(origin, "each line must be a JSON object", n)
    body = record.get("text")
    if not isinstance(body, str) or not body.strip():
        raise InputError(origin, "the object has no \"text\" (a non-empty string)", n)
    for key in ("title", "source", "url", "published", "lang"):
        if record.get(key) is not None and not isinstance(record[key], str):
            raise InputError(origin, f'"{key}" must be a string', n)
    if record.get("meta") is not None and not isinstance(record["meta"], dict):
        raise InputError(origin, '"meta" must be an object', n)
    article = clean_page(body) if clean else Article(text=body, title=make_title(body), raw=None)
    article.title = record.get("title") or article.title
    article.source = record.get("source") or article.source
    article.url = record.get("url")
    article.published = record.get("published") or article.published
    article.lang = record.get("lang") or "id"
    article.meta = {**article.meta, **(record.get("meta") or {}), "path": f"{origin}:{n}"}
    for key in record:
        if key not in _JSONL_FIELDS:
            article.meta.setdefault(key, record[key])
    return article


# Pipes and standard input are copied to a temporary file this many bytes at a time: a JSONL input is
# read twice by some imports (checked, then stored), and a pipe cannot be read twice.
_SPOOL_CHUNK = 1 << 20


def spooled(source: BinaryIO) -> BinaryIO:
    """A copy of a pipe or of standard input in an unnamed temporary file, which can be read again."""
    copy = tempfile.TemporaryFile(prefix="tandai-input-")
    shutil.copyfileobj(source, copy, _SPOOL_CHUNK)
    copy.seek(0)
    return copy


@dataclass(frozen=True)
class JsonlFile:
    """A JSONL input read a line at a time as it is stored, so an import's memory does not grow with it.

    A pipe or standard input is first copied to an unnamed temporary file
    (``spool``), which can be read again and whose copy does not hold the
    database's lock while a slow writer fills the pipe. UTF-8 is streamed;
    another encoding (a UTF-16 file with its byte-order mark) is decoded whole.
    """

    path: str  # the name given ("-": standard input)
    origin: str  # how messages name it
    codec: str  # what _encoding_of chose: "utf-8-sig" streams
    encoding: str
    spool: BinaryIO | None = field(default=None, compare=False)

    @classmethod
    def open(cls, name: str, encoding: str = "utf-8", stdin: BinaryIO | None = None) -> JsonlFile:
        """Look at an input's first 8 KiB (spooling a pipe or standard input first); refuses binary files."""
        origin = "<stdin>" if name == "-" else path_label(name)
        spool = None
        try:
            if name == "-":
                given = stdin or sys.stdin.buffer
                spool = given if given.seekable() else spooled(given)
            elif not stat.S_ISREG(os.stat(name).st_mode):
                with open(name, "rb") as pipe:
                    spool = spooled(pipe)
            if spool is not None:
                spool.seek(0)
                head = spool.read(8192)
            else:
                with open(name, "rb") as fh:
                    head = fh.read(8192)
        except OSError as exc:
            raise InputError(origin, exc.strerror or str(exc)) from None
        return cls(name, origin, _encoding_of(head, origin, encoding), encoding, spool)

    @property
    def looks_like_jsonl(self) -> bool:
        """Whether the input starts with ``{`` (how standard input is told from a raw page)."""
        head = self._read_all()[:8192] if self.codec != "utf-8-sig" else self._head()
        return head.lstrip().startswith("{" if isinstance(head, str) else b"{")

    def _head(self) -> bytes:
        with self._binary() as fh:
            return fh.read(8192).removeprefix(codecs.BOM_UTF8)

    def _binary(self):
        if self.spool is not None:
            self.spool.seek(0)
            return nullcontext(self.spool)
        try:
            return open(self.path, "rb")
        except OSError as exc:
            raise InputError(self.origin, exc.strerror or str(exc)) from None

    def _read_all(self) -> str:
        with self._binary() as fh:
            return decode(fh.read(), self.origin, self.encoding)

    def text(self) -> str:
        """The whole input decoded (a raw page given on standard input)."""
        return self._read_all()

    def lines(self) -> Iterator[tuple[int, str]]:
        """(line number, line) of every line. Only "\\n" ends a JSON line: str.splitlines() would also split
        inside strings at U+2028, U+0085 and other characters JSON writers leave unescaped."""
        if self.codec != "utf-8-sig":
            yield from enumerate(self._read_all().split("\n"), start=1)
            return
        blank = True
        with self._binary() as fh:
            offset = 0
            for n, raw in enumerate(fh, start=1):
                if n == 1 and raw.startswith(codecs.BOM_UTF8):
                    raw = raw[len(codecs.BOM_UTF8):]  # offsets count from after the mark, as decode's
                try:
                    line = raw.decode("utf-8")
                except UnicodeDecodeError as exc:
                    raise InputError(self.origin, f"not valid utf-8 at byte {offset + exc.start} (line {n});"
                                                  " give --encoding if the file uses another encoding") from None
                offset += len(raw)
                blank = blank and not line.strip()
                yield n, line.removesuffix("\n")
        if blank:
            raise InputError(self.origin, "empty file")

    def articles(self, clean: bool) -> Iterator[Article]:
        found = False
        for n, line in self.lines():
            article = jsonl_article(line, self.origin, n, clean=clean)
            if article is not None:
                found = True
                yield article
        if not found:
            raise InputError(self.origin, "empty file (no JSON lines)")


def files_under(folder: str, suffixes: tuple[str, ...] = (".txt", ".jsonl")) -> list[str]:
    """Files ending in ``suffixes`` below ``folder``, sorted by path parts (links to directories not followed).

    A subfolder that cannot be read refuses the import, naming it, rather than leaving its files out unsaid.
    """
    return sorted(_walk(folder, suffixes), key=lambda path: path.split(os.sep))


def _walk(folder: str, suffixes: tuple[str, ...]) -> Iterator[str]:
    try:
        with os.scandir(folder) as entries:
            listed = list(entries)
    except OSError as exc:
        raise InputError(folder, f"cannot read the directory: {exc.strerror or exc}") from None
    for entry in listed:
        if entry.is_dir(follow_symlinks=False):
            yield from _walk(entry.path, suffixes)
        elif entry.name.lower().endswith(suffixes) and entry.is_file():
            yield entry.path


def expand_paths(paths: Iterable[str]) -> Iterator[str]:
    """Files named, and ``*.txt`` / ``*.jsonl`` under directories (recursively, sorted by path parts)."""
    for name in paths:
        if name == "-":
            yield name
        elif os.path.isdir(name):
            found = files_under(str(Path(name)))
            if not found:
                raise InputError(name, "directory has no .txt or .jsonl files")
            yield from found
        else:
            check_named_file(name)
            yield name


def check_named_file(name: str) -> None:
    """A file named to import must be there and be a file or a pipe: a device (``/dev/zero``) would be
    read without end."""
    try:
        mode = os.stat(name).st_mode
    except FileNotFoundError:
        raise InputError(path_label(name), "no such file or directory") from None
    except OSError as exc:
        raise InputError(path_label(name), exc.strerror or str(exc)) from None
    if not (stat.S_ISREG(mode) or stat.S_ISFIFO(mode)):
        raise InputError(path_label(name), "not a file (a device or a socket); give files, folders or -")


@dataclass(frozen=True)
class PageFile:
    """A raw page (txt) on disk, read, checked and cleaned by whichever worker gets it."""

    path: str
    encoding: str

    def article(self, clean: bool | None) -> Article:
        origin = path_label(self.path)
        try:
            with open(self.path, "rb") as fh:
                data = fh.read()
        except OSError as exc:
            raise InputError(self.path, exc.strerror or str(exc)) from None
        return parse_txt(decode(data, origin, self.encoding), origin, clean=clean is not False)


def path_label(name: str) -> str:
    """A file name as it is stored and shown: bytes that are not UTF-8 (kept by the file system as
    lone surrogates in ``str``, which SQLite cannot store) as ``\\xNN`` escapes."""
    return os.fsencode(name).decode("utf-8", "backslashreplace")


def _kind(name: str, fmt: str | None) -> str:
    """txt or jsonl: ``fmt`` if given, else the extension."""
    if fmt:
        return fmt
    return "jsonl" if name.lower().endswith(".jsonl") else "txt"


def read_articles(paths: Iterable[str], *, fmt: str | None = None, encoding: str = "utf-8",
                  clean: bool | None = None, stdin: BinaryIO | None = None) -> list[Article]:
    """Every article in ``paths`` as a list (``import_paths`` streams them instead); raises InputError on
    the first bad input."""
    articles: list[Article] = []
    for item in collect_items(paths, fmt=fmt, encoding=encoding, clean=clean, stdin=stdin):
        if isinstance(item, JsonlFile):
            articles.extend(item.articles(bool(clean)))
        else:
            articles.append(item.article(clean) if isinstance(item, PageFile) else item)
    return articles


def bundled_seeds() -> list[Article]:
    """The bundled corpus (package data, so a non-editable install finds it too)."""
    folder = resources.files("annotations.seeds")
    found = sorted((p for p in folder.iterdir() if p.name.endswith(".txt")), key=lambda p: p.name)
    return [parse_txt(decode(p.read_bytes(), f"seeds/{p.name}"), f"seeds/{p.name}") for p in found]


Item = Article | PageFile | JsonlFile  # prepare_rows takes the first two: JSONL files are streamed to it
# A streamed JSONL file's articles are prepared this many at a time: what an import holds at once.
_STREAM_BATCH = 4000

# Below this many articles, preparing rows in worker processes costs more than it saves.
_PARALLEL_FROM = 2000


def _prepare(items: list[Item], clean: bool | None) -> list[dict[str, Any]]:
    """Document rows for parsed articles and for raw pages still to read and clean (runs in a worker)."""
    return [document_row(item.article(clean) if isinstance(item, PageFile) else item) for item in items]


def prepare_rows(items: list[Item], clean: bool | None = None) -> Iterator[dict[str, Any]]:
    """Document rows, reading, cleaning and tokenizing (the costly parts) on every core for large imports.

    Rows come in the order of ``items``. An error in any item (an InputError
    naming its file) reaches the caller before the import's transaction
    commits, so a bad file stores nothing.
    """
    workers = os.cpu_count() or 1
    if len(items) < _PARALLEL_FROM or workers < 2:
        yield from _prepare(items, clean)
        return
    from concurrent.futures import ProcessPoolExecutor  # only large imports pay for loading it

    size = max(100, len(items) // (workers * 8))
    chunks = [items[i:i + size] for i in range(0, len(items), size)]
    pool = ProcessPoolExecutor(max_workers=workers, initializer=die_with_parent, initargs=(os.getpid(),))
    try:
        # Ctrl-C held back while the workers are forked (they start with it held, and ignore it before
        # letting it through); in this process it is raised as soon as they are started.
        held = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
        try:
            results = pool.map(_prepare, chunks, [clean] * len(chunks))
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, held)
        for rows in results:
            yield from rows
    finally:  # a bad page or Ctrl-C: the chunks not started yet are dropped, not prepared for nothing
        pool.shutdown(wait=True, cancel_futures=True)


def import_articles(store: Store, articles: list[Article]) -> tuple[int, int]:
    """Store articles in one transaction; returns (added, already there)."""
    return store.add_documents(prepare_rows(articles))


def collect_items(paths: Iterable[str], *, fmt: str | None = None, encoding: str = "utf-8",
                  clean: bool | None = None, stdin: BinaryIO | None = None) -> list[Item]:
    """What an import will store, in order: JSONL inputs (standard input too, when it starts with
    ``{``) as ``JsonlFile``s streamed as they are stored, raw page files left on disk as
    ``PageFile``s for ``prepare_rows`` to read and clean on every core."""
    items: list[Item] = []
    for name in expand_paths(paths):
        if name != "-" and _kind(name, fmt) == "txt":
            items.append(PageFile(name, encoding))
            continue
        source = JsonlFile.open(name, encoding, stdin)
        if name == "-" and fmt != "jsonl" and (fmt == "txt" or not source.looks_like_jsonl):
            items.append(parse_txt(source.text(), source.origin, clean=clean is not False))
        else:
            items.append(source)
    return items


def _reporting(rows: Iterable[dict[str, Any]], total: int | None,
               progress: Callable[[int, int], None]) -> Iterator[dict[str, Any]]:
    """``rows`` unchanged, telling ``progress`` (done, total) every 500 rows and at the end."""
    done = 0
    for done, row in enumerate(rows, start=1):
        if done % 500 == 0:
            progress(done, total)
        yield row
    progress(done, total)


def import_paths(store: Store, paths: Iterable[str], *, fmt: str | None = None, encoding: str = "utf-8",
                 clean: bool | None = None, stdin: BinaryIO | None = None,
                 progress: Callable[[int, int], None] | None = None) -> tuple[int, int]:
    """``tandai import``: read, clean, tokenize and store every input, all or nothing."""
    paths = list(paths)
    for name in paths:
        store.refuse_own_file(name, "a file to import")
    items = collect_items(paths, fmt=fmt, encoding=encoding, clean=clean, stdin=stdin)
    streamed = any(isinstance(item, JsonlFile) for item in items)
    rows = _streamed_rows(items, clean) if streamed else prepare_rows(items, clean)
    total = None if streamed else len(items)  # a streamed file's length is known when it is stored
    return store.add_documents(_reporting(rows, total, progress) if progress else rows)


def _streamed_rows(items: list[Item], clean: bool | None) -> Iterator[dict[str, Any]]:
    """Document rows of items some of which are streamed JSONL files, ``_STREAM_BATCH`` at a time."""
    def articles() -> Iterator[Item]:
        for item in items:
            yield from item.articles(bool(clean)) if isinstance(item, JsonlFile) else (item,)

    batch: list[Item] = []
    for item in articles():
        batch.append(item)
        if len(batch) == _STREAM_BATCH:
            yield from prepare_rows(batch, clean)
            batch = []
    yield from prepare_rows(batch, clean)


def import_seeds(store: Store) -> tuple[int, int]:
    """Fill a new database with the bundled corpus and the actor registry."""
    from .actors import seed_actors

    seed_actors(store)
    return import_articles(store, bundled_seeds())
