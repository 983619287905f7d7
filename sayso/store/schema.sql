-- sayso store (its schema version: SCHEMA_VERSION in db.py). One row per fact, every fact keyed by (doc_id, id) with
-- character offsets into documents.text. Facts are written only by sayso runs; human review
-- lives in its own table and is never overwritten by a re-run.
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
-- One more for every row written to a table of facts (sayso/store/db.py FACT_TABLES).
CREATE TABLE IF NOT EXISTS facts_version (id INTEGER PRIMARY KEY CHECK (id = 1), n INTEGER NOT NULL);
INSERT OR IGNORE INTO facts_version(id, n) VALUES (1, 0);

CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY,
    started_at TEXT NOT NULL,
    sayso_version TEXT NOT NULL,
    model TEXT NOT NULL,
    settings TEXT NOT NULL DEFAULT '{}'
);

CREATE TABLE IF NOT EXISTS documents (
    id TEXT PRIMARY KEY,
    text_sha256 TEXT NOT NULL UNIQUE,
    path TEXT, title TEXT, url TEXT, date TEXT, source TEXT,
    text TEXT NOT NULL,
    run_id INTEGER REFERENCES runs(id),
    ingested_at TEXT NOT NULL,
    language TEXT,  -- ISO 639-1
    layout TEXT  -- JSON {"page_starts": [...], "timecodes": [[start, end, start_s, end_s], ...]} or NULL
);

CREATE INDEX IF NOT EXISTS documents_date ON documents(date);
CREATE INDEX IF NOT EXISTS documents_source ON documents(source);

CREATE TABLE IF NOT EXISTS quotes (
    doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    id TEXT NOT NULL,
    start INTEGER NOT NULL, "end" INTEGER NOT NULL,
    text TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('direct', 'indirect', 'according_to')),
    cue TEXT,
    speaker_name TEXT, speaker_mention TEXT, speaker_descriptor TEXT,
    speaker_role TEXT, speaker_org TEXT, speaker_entity_id TEXT,
    speaker_registry_id TEXT REFERENCES registry(id),
    nested_in TEXT,
    run_id INTEGER REFERENCES runs(id),
    confidence REAL, speaker_type TEXT, speaker_resolved_by TEXT,
    page INTEGER, start_s REAL, end_s REAL,
    parts TEXT,  -- JSON [[start, end], ...]: the quoted passages of a quote its attribution interrupts
    PRIMARY KEY (doc_id, id)
);
CREATE INDEX IF NOT EXISTS quotes_speaker ON quotes(speaker_name);
CREATE INDEX IF NOT EXISTS quotes_registry ON quotes(speaker_registry_id);
CREATE INDEX IF NOT EXISTS quotes_role ON quotes(speaker_role);

-- The collection's entities: one row per person, organisation or place across all documents.
-- Every name it goes by is a row of registry_names; a user's merge moves names between entities
-- and is recorded in registry_changes, so it holds for documents ingested later too.
CREATE TABLE IF NOT EXISTS registry (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL, label TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS registry_names (
    key TEXT NOT NULL, label TEXT NOT NULL,  -- lower-cased name, and its label family
    registry_id TEXT NOT NULL REFERENCES registry(id),
    PRIMARY KEY (key, label)
);
CREATE INDEX IF NOT EXISTS registry_names_entity ON registry_names(registry_id);
CREATE TABLE IF NOT EXISTS registry_changes (
    id INTEGER PRIMARY KEY,
    action TEXT NOT NULL CHECK (action IN ('merge', 'split')),
    from_id TEXT NOT NULL, into_id TEXT NOT NULL, name TEXT,
    changed_by TEXT NOT NULL, changed_at TEXT NOT NULL
);

CREATE TABLE IF NOT EXISTS entities (
    doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    id TEXT NOT NULL,
    name TEXT NOT NULL, label TEXT NOT NULL,
    aliases TEXT NOT NULL DEFAULT '[]',  -- JSON list
    country TEXT,  -- ISO alpha-2 of a demonym's country (NORP)
    registry_id TEXT REFERENCES registry(id),
    PRIMARY KEY (doc_id, id)
);
CREATE INDEX IF NOT EXISTS entities_registry ON entities(registry_id);
CREATE INDEX IF NOT EXISTS entities_name ON entities(name);

CREATE TABLE IF NOT EXISTS places (
    doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    id TEXT NOT NULL,
    name TEXT NOT NULL, lat REAL, lon REAL, country TEXT, geonames_id INTEGER, feature TEXT,
    PRIMARY KEY (doc_id, id)
);
CREATE INDEX IF NOT EXISTS places_name ON places(name, country);  -- the quote list's place filter

-- Where entities and places are mentioned: fact_table is 'entities' or 'places'.
CREATE TABLE IF NOT EXISTS mentions (
    doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    fact_table TEXT NOT NULL, fact_id TEXT NOT NULL,
    start INTEGER NOT NULL, "end" INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS mentions_fact ON mentions(doc_id, fact_table, fact_id);

CREATE TABLE IF NOT EXISTS counts (
    doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    id TEXT NOT NULL,
    number REAL NOT NULL, qualifier TEXT, object TEXT NOT NULL, text TEXT NOT NULL,
    start INTEGER NOT NULL, "end" INTEGER NOT NULL,
    event TEXT,  -- lemma(s) of the verb the count belongs to: "flee", "help flee"
    upper REAL,  -- upper bound of a range
    quote_id TEXT, claimed_by TEXT,  -- the quote the count is said in, and its speaker
    implied INTEGER NOT NULL DEFAULT 0,  -- the counted noun is left out in the text
    PRIMARY KEY (doc_id, id)
);

CREATE TABLE IF NOT EXISTS themes (
    doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    id TEXT NOT NULL,
    code TEXT NOT NULL, label TEXT NOT NULL, score REAL NOT NULL,
    evidence TEXT NOT NULL DEFAULT '[]',  -- JSON list of {start, end}
    PRIMARY KEY (doc_id, id)
);
CREATE INDEX IF NOT EXISTS themes_code ON themes(code);
-- Each theme's evidence spans as rows, kept by the triggers below: the lists and figures find the
-- codes inside a quote through the index instead of parsing every theme's JSON for every quote.
CREATE TABLE IF NOT EXISTS theme_spans (
    doc_id TEXT NOT NULL, theme_id TEXT NOT NULL, code TEXT NOT NULL,
    start INTEGER NOT NULL, "end" INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS theme_spans_doc ON theme_spans(doc_id, code, start);
CREATE TRIGGER IF NOT EXISTS themes_spans_ai AFTER INSERT ON themes BEGIN
    INSERT INTO theme_spans(doc_id, theme_id, code, start, "end") SELECT new.doc_id, new.id, new.code,
        json_extract(e.value, '$.start'), json_extract(e.value, '$.end') FROM json_each(new.evidence) e;
END;
CREATE TRIGGER IF NOT EXISTS themes_spans_ad AFTER DELETE ON themes BEGIN
    DELETE FROM theme_spans WHERE doc_id = old.doc_id AND theme_id = old.id;
END;
CREATE TRIGGER IF NOT EXISTS themes_spans_au AFTER UPDATE ON themes BEGIN
    DELETE FROM theme_spans WHERE doc_id = old.doc_id AND theme_id = old.id;
    INSERT INTO theme_spans(doc_id, theme_id, code, start, "end") SELECT new.doc_id, new.id, new.code,
        json_extract(e.value, '$.start'), json_extract(e.value, '$.end') FROM json_each(new.evidence) e;
END;

CREATE TABLE IF NOT EXISTS corrections (
    doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    id TEXT NOT NULL,
    text TEXT NOT NULL, start INTEGER NOT NULL, "end" INTEGER NOT NULL,
    wrong TEXT, "right" TEXT, subject TEXT,
    -- the sentence of the body the notice is about: 'right' (states the corrected fact) or
    -- 'wrong' (still states the superseded one); NULL when none matches distinctively
    claim_start INTEGER, claim_end INTEGER, claim_says TEXT,
    PRIMARY KEY (doc_id, id)
);

-- Human review of any extracted fact: accept / reject / edit / merge, with who and when and the
-- run (sayso version, model) that produced the reviewed fact. Re-runs never touch this table.
CREATE TABLE IF NOT EXISTS reviews (
    id INTEGER PRIMARY KEY,
    fact_table TEXT NOT NULL, doc_id TEXT NOT NULL, fact_id TEXT NOT NULL,
    action TEXT NOT NULL CHECK (action IN ('accept', 'reject', 'edit', 'merge')),
    value TEXT,  -- JSON: the edited fields, or the id merged into
    reviewer TEXT NOT NULL, reviewed_at TEXT NOT NULL,
    run_id INTEGER REFERENCES runs(id)
);

CREATE VIRTUAL TABLE IF NOT EXISTS documents_fts USING fts5(
    title, text, content='documents', content_rowid='rowid', tokenize='unicode61 remove_diacritics 2');
CREATE TRIGGER IF NOT EXISTS documents_ai AFTER INSERT ON documents BEGIN
    INSERT INTO documents_fts(rowid, title, text) VALUES (new.rowid, new.title, new.text);
END;
CREATE TRIGGER IF NOT EXISTS documents_ad AFTER DELETE ON documents BEGIN
    INSERT INTO documents_fts(documents_fts, rowid, title, text) VALUES ('delete', old.rowid, old.title, old.text);
END;

CREATE VIRTUAL TABLE IF NOT EXISTS quotes_fts USING fts5(
    text, speaker_name, content='quotes', content_rowid='rowid', tokenize='unicode61 remove_diacritics 2');
CREATE TRIGGER IF NOT EXISTS quotes_ai AFTER INSERT ON quotes BEGIN
    INSERT INTO quotes_fts(rowid, text, speaker_name) VALUES (new.rowid, new.text, new.speaker_name);
END;
CREATE TRIGGER IF NOT EXISTS quotes_ad AFTER DELETE ON quotes BEGIN
    INSERT INTO quotes_fts(quotes_fts, rowid, text, speaker_name) VALUES ('delete', old.rowid, old.text, old.speaker_name);
END;
