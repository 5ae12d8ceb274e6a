"""The SQLite schema, one migration per version.

Plain tables any SQLite tool can read (``sqlite3``, ``sqlite-utils``,
Datasette). JSON columns hold lists and objects; offsets are code points into
``documents.text``, end exclusive. ``meta.schema_version`` says which
migrations have run; a database from a newer tandai is refused, not touched.
"""
from __future__ import annotations

SCHEMA_VERSION = 12

_V1 = """
CREATE TABLE meta (
    key TEXT PRIMARY KEY,
    value TEXT
);
CREATE TABLE documents (
    id TEXT PRIMARY KEY,            -- hash of text: the same article twice is one row
    title TEXT NOT NULL,
    text TEXT NOT NULL,             -- cleaned text; never changes once stored
    raw TEXT,                       -- as read, for audit
    source TEXT,                    -- the outlet
    url TEXT,
    published TEXT,                 -- ISO date (or date and time) or NULL
    lang TEXT NOT NULL DEFAULT 'id',
    meta TEXT NOT NULL DEFAULT '{}',   -- JSON: path, cleaning report, user fields
    tokens TEXT NOT NULL,           -- JSON list of [start, end] from annotations.tokens
    seq INTEGER NOT NULL,           -- import order, for a stable article list
    added_at TEXT NOT NULL
);
CREATE INDEX documents_seq ON documents(seq);
CREATE TABLE annotators (
    name TEXT PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('human', 'model', 'gold')),
    last_doc TEXT,                  -- where this annotator was, to reopen there
    added_at TEXT NOT NULL
);
CREATE TABLE actors (
    id TEXT PRIMARY KEY,            -- e.g. ARM_GOV
    name TEXT NOT NULL,
    category TEXT,
    country TEXT,                   -- ISO 3166-1 alpha-3
    aliases TEXT NOT NULL DEFAULT '[]'  -- JSON list of names that refer to the actor
);
CREATE TABLE spans (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    annotator TEXT NOT NULL REFERENCES annotators(name),
    layer TEXT NOT NULL CHECK (layer IN ('entity', 'event', 'claim')),
    label TEXT NOT NULL,
    start INTEGER NOT NULL,
    end INTEGER NOT NULL,
    text TEXT NOT NULL,             -- copy of documents.text[start:end], checked on write
    actor_id TEXT REFERENCES actors(id),
    attrs TEXT NOT NULL DEFAULT '{}',  -- JSON: stance, modality, polarity, note ...
    origin TEXT NOT NULL DEFAULT '{}', -- JSON: {"suggestion": id} or review provenance
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    CHECK (0 <= start AND start < end)
);
CREATE INDEX spans_doc ON spans(doc_id, annotator, start);
CREATE TABLE links (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    annotator TEXT NOT NULL REFERENCES annotators(name),
    head INTEGER NOT NULL REFERENCES spans(id) ON DELETE CASCADE,  -- the event or claim
    tail INTEGER NOT NULL REFERENCES spans(id) ON DELETE CASCADE,  -- the argument
    role TEXT NOT NULL,
    created_at TEXT NOT NULL,
    UNIQUE (head, tail, role)
);
CREATE INDEX links_doc ON links(doc_id, annotator);
CREATE TABLE suggestions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    model TEXT NOT NULL,            -- the pipeline that made it
    layer TEXT NOT NULL,
    label TEXT NOT NULL,
    start INTEGER NOT NULL,
    end INTEGER NOT NULL,
    score REAL,
    created_at TEXT NOT NULL
);
CREATE INDEX suggestions_doc ON suggestions(doc_id, start);
CREATE TABLE verdicts (             -- an annotator's answer to a suggestion
    suggestion_id INTEGER NOT NULL REFERENCES suggestions(id) ON DELETE CASCADE,
    annotator TEXT NOT NULL REFERENCES annotators(name),
    verdict TEXT NOT NULL CHECK (verdict IN ('accepted', 'rejected')),
    span_id INTEGER REFERENCES spans(id) ON DELETE SET NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (suggestion_id, annotator)
);
CREATE TABLE progress (
    doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    annotator TEXT NOT NULL REFERENCES annotators(name),
    status TEXT NOT NULL CHECK (status IN ('todo', 'doing', 'done', 'skipped', 'flagged')),
    seconds REAL NOT NULL DEFAULT 0,
    cursor INTEGER NOT NULL DEFAULT 0,  -- code point offset of the cursor
    updated_at TEXT NOT NULL,
    PRIMARY KEY (doc_id, annotator)
);
CREATE TABLE rejections (          -- review decisions: spans a reviewer kept out of gold
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    layer TEXT NOT NULL,
    label TEXT NOT NULL,
    start INTEGER NOT NULL,
    end INTEGER NOT NULL,
    reviewer TEXT NOT NULL,
    created_at TEXT NOT NULL,
    UNIQUE (doc_id, layer, label, start, end)
);
CREATE TABLE journal (              -- append-only: every change, for undo, audit and replay
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    batch INTEGER NOT NULL,         -- one user action (e.g. accept all) is one batch
    op TEXT NOT NULL CHECK (op IN ('do', 'undo', 'redo')),
    ref INTEGER,                    -- for undo/redo: the batch undone or redone
    action TEXT NOT NULL,           -- add_span, delete_span, set_label, link, status ...
    annotator TEXT NOT NULL,        -- whose layer changed
    by TEXT NOT NULL,               -- who changed it (a reviewer, for gold)
    doc_id TEXT,
    tbl TEXT NOT NULL,
    row_id TEXT,
    before TEXT,                    -- JSON row before (NULL for an insert)
    after TEXT,                     -- JSON row after (NULL for a delete)
    at TEXT NOT NULL
);
CREATE INDEX journal_history ON journal(annotator, doc_id, batch);
CREATE INDEX journal_batch ON journal(batch);  -- the next batch number, and undo's rows
-- detail=none: the list's filter asks for words and prefixes only, and an
-- index without positions makes import about a quarter faster. New documents
-- are indexed by Store.add_documents with one INSERT ... SELECT per thousand
-- (three times faster than a trigger per row); deletes go through the trigger.
CREATE VIRTUAL TABLE documents_fts USING fts5(
    title, text, content='documents', tokenize='unicode61 remove_diacritics 2',
    detail=none, columnsize=0
);
CREATE TRIGGER documents_ad AFTER DELETE ON documents BEGIN
    INSERT INTO documents_fts(documents_fts, rowid, title, text)
    VALUES ('delete', old.rowid, old.title, old.text);
END;
"""

# Version 2: the search index in the form sqlite-utils' ``enable_fts`` writes
# (``content="documents"``, quoted names), because Datasette and
# ``sqlite-utils search`` find a table's index by that text and did not
# recognise ``content='documents'``; the same columns, tokenizer and
# space-saving options, rebuilt from the documents. Plus views for people who
# open the database in Datasette or ``sqlite3``.
_V2 = """
DROP TRIGGER documents_ad;
DROP TABLE documents_fts;
CREATE VIRTUAL TABLE "documents_fts" USING FTS5 (
    "title", "text",
    tokenize='unicode61 remove_diacritics 2',
    content="documents",
    detail=none, columnsize=0
);
INSERT INTO documents_fts(documents_fts) VALUES ('rebuild');
CREATE TRIGGER "documents_ad" AFTER DELETE ON "documents" BEGIN
    INSERT INTO "documents_fts" ("documents_fts", rowid, "title", "text")
    VALUES ('delete', old.rowid, old."title", old."text");
END;
-- tandai never changes a stored article; this keeps the index right if another tool does.
CREATE TRIGGER "documents_au" AFTER UPDATE OF "title", "text" ON "documents" BEGIN
    INSERT INTO "documents_fts" ("documents_fts", rowid, "title", "text")
    VALUES ('delete', old.rowid, old."title", old."text");
    INSERT INTO "documents_fts" (rowid, "title", "text") VALUES (new.rowid, new."title", new."text");
END;
-- Every span with its article's title and, for an actor mention, the actor's name.
CREATE VIEW span_details AS
SELECT s.id, s.doc_id, d.title AS article_title, s.annotator, s.layer, s.label, s.start, s."end", s.text,
       s.actor_id, a.name AS actor_name, s.attrs
FROM spans s
JOIN documents d ON d.id = s.doc_id
LEFT JOIN actors a ON a.id = s.actor_id;
-- Every link with both ends' labels and texts: head (event or claim) -role-> argument.
CREATE VIEW link_details AS
SELECT l.id, l.doc_id, d.title AS article_title, l.annotator,
       l.head AS head_id, h.layer AS head_layer, h.label AS head_label, h.text AS head_text,
       l.role,
       l.tail AS argument_id, t.layer AS argument_layer, t.label AS argument_label, t.text AS argument_text,
       t.actor_id AS argument_actor_id
FROM links l
JOIN documents d ON d.id = l.doc_id
JOIN spans h ON h.id = l.head
JOIN spans t ON t.id = l.tail;
-- Every event with its arguments, one row per argument (an event with none has one row of NULLs).
CREATE VIEW event_arguments AS
SELECT e.id AS event_id, e.doc_id, d.title AS article_title, e.annotator, e.label AS event_type,
       e.text AS trigger, e.start, e."end", e.attrs,
       l.role, t.id AS argument_id, t.label AS argument_label, t.text AS argument_text,
       t.actor_id AS argument_actor_id
FROM spans e
JOIN documents d ON d.id = e.doc_id
LEFT JOIN links l ON l.head = e.id
LEFT JOIN spans t ON t.id = l.tail
WHERE e.layer = 'event';
"""

# Who made a change, as the operating system knows them (``--annotator`` is only what they typed),
# and who may write the gold layer once anyone is listed.
_V3 = """
ALTER TABLE journal ADD COLUMN account TEXT;   -- the OS login name (getpass.getuser()) of the process
ALTER TABLE journal ADD COLUMN uid INTEGER;    -- and its numeric user id, which the environment cannot fake
CREATE TABLE reviewers (            -- empty: anyone may review; otherwise only these names write gold
    name TEXT PRIMARY KEY,
    added_by TEXT NOT NULL,
    account TEXT,
    added_at TEXT NOT NULL
);
"""

# What the app asks before its first frame, answered without reading the whole corpus: whether any
# article still needs pre-tagging (a partial index holds only those), how many articles there are
# (a count kept by triggers, so tools that add or delete rows keep it right), and an annotator's
# status counts (an index on progress by annotator).
_V4 = """
ALTER TABLE documents ADD COLUMN tagged INTEGER;  -- 1 once pre-tagged by some model, whatever it found
UPDATE documents SET tagged = 1 WHERE id IN (SELECT doc_id FROM suggestions);
CREATE INDEX documents_untagged ON documents(tagged) WHERE tagged IS NULL;
CREATE INDEX progress_annotator ON progress(annotator, status);
CREATE TABLE counts (               -- rows kept counted, read instead of count(*)
    name TEXT PRIMARY KEY,
    n INTEGER NOT NULL
);
INSERT INTO counts(name, n) SELECT 'documents', count(*) FROM documents;
CREATE TRIGGER documents_counted_ai AFTER INSERT ON documents BEGIN
    UPDATE counts SET n = n + 1 WHERE name = 'documents';
END;
CREATE TRIGGER documents_counted_ad AFTER DELETE ON documents BEGIN
    UPDATE counts SET n = n - 1 WHERE name = 'documents';
END;
"""

# Who is to annotate which article (``tandai assign``): each annotator's queue comes first in their list.
_V5 = """
CREATE TABLE assignments (
    doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    annotator TEXT NOT NULL REFERENCES annotators(name),
    assigned_by TEXT NOT NULL,      -- who ran tandai assign
    assigned_at TEXT NOT NULL,
    PRIMARY KEY (annotator, doc_id)
);
CREATE INDEX assignments_doc ON assignments(doc_id);
"""

# Which articles changed since a given moment, as an indexed query: every change to an article's spans,
# links, progress status or review rejections (by tandai or any other tool) gives the article the next
# change number. The review list recomputes only the articles numbered above the one it last saw.
_V6_TABLE = """
CREATE TABLE article_changes (
    doc_id TEXT PRIMARY KEY,
    version INTEGER NOT NULL        -- the database's change count when the article last changed
);
CREATE INDEX article_changes_version ON article_changes(version);
"""
# (table, trigger suffix, event) of each change the review list must see.
_CHANGES = [("spans", "ai", "INSERT"), ("spans", "au", "UPDATE"), ("spans", "ad", "DELETE"),
            ("links", "ai", "INSERT"), ("links", "au", "UPDATE"), ("links", "ad", "DELETE"),
            ("progress", "ai", "INSERT"), ("progress", "au", "UPDATE OF status"), ("progress", "ad", "DELETE"),
            ("rejections", "ai", "INSERT"), ("rejections", "ad", "DELETE")]
_V6 = _V6_TABLE + "".join(f"""CREATE TRIGGER {table}_changed_{suffix} AFTER {event} ON {table} BEGIN
    INSERT INTO article_changes(doc_id, version)
    VALUES ({"old" if event == "DELETE" else "new"}.doc_id, (SELECT coalesce(max(version), 0) + 1 FROM article_changes))
    ON CONFLICT(doc_id) DO UPDATE SET version = excluded.version;
END;
""" for table, suffix, event in _CHANGES)

# Several models' suggestions of one span and label are read as one (``Store.suggestions``, and the
# article list's count of open ones): an index in that order answers from the index alone.
_V7 = """
DROP INDEX IF EXISTS suggestions_doc;
CREATE INDEX IF NOT EXISTS suggestions_span ON suggestions(doc_id, start, end, layer, label);
"""

# Deleting a span makes SQLite look for the rows that point at it (verdicts.span_id, links.tail):
# without these indexes each span deleted (undoing Y deletes thousands) scans those whole tables.
_V8 = """
CREATE INDEX verdicts_span ON verdicts(span_id);
CREATE INDEX links_tail ON links(tail);
"""

# The list's filter matches every typed word as a prefix, so its first keys ask for "a"*, then "ar"*:
# without a prefix index FTS5 merges the rows of every word that starts so (a quarter of a second
# for "a" in 100,000 articles, for each key); with one for 1 to 3 characters those are one look-up.
# Rebuilt from the documents, in the form sqlite-utils and Datasette recognise (as version 2).
_V9 = """
DROP TABLE documents_fts;
CREATE VIRTUAL TABLE "documents_fts" USING FTS5 (
    "title", "text",
    tokenize='unicode61 remove_diacritics 2',
    content="documents",
    detail=none, columnsize=0, prefix='1 2 3'
);
INSERT INTO documents_fts(documents_fts) VALUES ('rebuild');
"""

# The review list's row of each article, as last compared: valid while the article's change number
# (article_changes.version, 0 if it never changed) is the one stored, so the list reads unchanged
# articles at once instead of comparing every annotator's spans again. A cache: a later tandai whose
# comparison counts differently empties it in its migration.
_V10 = """
CREATE TABLE review_rows (
    doc_id TEXT PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
    version INTEGER NOT NULL,       -- article_changes.version the row reflects
    statuses TEXT NOT NULL,         -- JSON: annotator -> progress status, for those who take part
    disagreements INTEGER NOT NULL,
    open INTEGER NOT NULL,          -- disagreements not settled yet
    agreed INTEGER NOT NULL,        -- spans every annotator has identically
    gold_spans INTEGER NOT NULL,
    gold_status TEXT NOT NULL,
    score REAL                      -- exact span F1 over annotator pairs
);
"""

# A journal row may stand for a set of rows of one table (annotations/journal_sets.py): accepting 5,000
# suggestions journals its spans in one row, not 5,000. Rows journaled before keep their form, and undo
# reads both.
_V11 = """
ALTER TABLE journal ADD COLUMN rows INTEGER;  -- NULL: one row (before/after its JSON object); N: a set of N
"""

# One spelling per outlet: an article is stored under the spelling its outlet already has in the database
# (Store.add_documents), found by the outlet's key ("Radar Malang", "RADARMALANG.ID" and "radarmalang.id"
# are one: annotations.cleaning.outlet_key, which the upgrade calls as the SQL function outlet_key). Filled
# from the articles stored before, the earliest article's spelling first; their own spellings stay as stored.
_V12 = """
CREATE TABLE outlets (
    key TEXT PRIMARY KEY,           -- outlet_key of the name: case, spaces, punctuation, "www." and .com etc. aside
    name TEXT NOT NULL              -- the spelling this database's articles of the outlet are stored under
) WITHOUT ROWID;
INSERT OR IGNORE INTO outlets(key, name)
    SELECT outlet_key(source), source FROM (
        SELECT source, min(seq) AS first FROM documents WHERE source IS NOT NULL GROUP BY source
    ) WHERE outlet_key(source) != '' ORDER BY first;
"""

# Each entry upgrades the schema from version i to i + 1.
MIGRATIONS: list[str] = [_V1, _V2, _V3, _V4, _V5, _V6, _V7, _V8, _V9, _V10, _V11, _V12]
