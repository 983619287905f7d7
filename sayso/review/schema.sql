-- Tables of sayso.review (created with the store; see sayso/store/db.py EXTRA_SCHEMAS). Run on
-- every writable open, so every statement is idempotent (views are re-created, so a store
-- always has the current definition).
--
-- A decision is anchored to what it is about, not to ordinal ids like q3: a quote decision to
-- the document's text hash and the machine quote's span and kind (for an added quote: the added
-- span and kind). Re-analysis replaces the fact rows; the decisions stay and re-attach to the
-- new quote with the same anchor, or are listed as orphaned. Nothing here is ever deleted.
CREATE TABLE IF NOT EXISTS decisions (
    id INTEGER PRIMARY KEY,
    uid TEXT NOT NULL UNIQUE,  -- content hash: the same decision imported twice is stored once
    fact_table TEXT NOT NULL CHECK (fact_table IN ('quotes', 'registry')),
    text_sha256 TEXT,  -- the document (quote decisions)
    start INTEGER, "end" INTEGER, kind TEXT,  -- the anchor: the fact's span and kind as the machine gave them
    action TEXT NOT NULL CHECK (action IN ('accept', 'reject', 'edit', 'add', 'merge', 'split', 'rename')),
    value TEXT NOT NULL DEFAULT '{}',  -- JSON: edited fields {speaker, kind, start, end}; add {speaker}; entity ops
    original TEXT NOT NULL DEFAULT '{}',  -- JSON: the machine values when the decision was made
    reviewer TEXT NOT NULL, reviewed_at TEXT NOT NULL, note TEXT,
    sayso_version TEXT, model TEXT  -- the run that produced the reviewed fact
);
CREATE INDEX IF NOT EXISTS decisions_anchor ON decisions(text_sha256, start, "end", kind);

-- One row per quote anchor that has decisions: the latest decision (its action, reviewer, time
-- and id, which is the anchor's version for optimistic concurrency) and, field by field, the
-- latest value any edit or add gave. A decision table is human-sized, so this is cheap to build.
DROP VIEW IF EXISTS quote_review;
CREATE VIEW quote_review AS
SELECT text_sha256, start, "end", kind,
       MAX(CASE WHEN latest = 1 THEN action END) AS last_action,
       MAX(CASE WHEN latest = 1 THEN reviewer END) AS reviewer,
       MAX(CASE WHEN latest = 1 THEN reviewed_at END) AS reviewed_at,
       MAX(CASE WHEN latest = 1 THEN id END) AS version,
       MAX(CASE WHEN speaker_latest = 1 AND new_speaker IS NOT NULL THEN new_speaker END) AS new_speaker,
       MAX(CASE WHEN kind_latest = 1 AND new_kind IS NOT NULL THEN new_kind END) AS new_kind,
       MAX(CASE WHEN span_latest = 1 AND new_start IS NOT NULL THEN new_start END) AS new_start,
       MAX(CASE WHEN span_latest = 1 AND new_start IS NOT NULL THEN new_end END) AS new_end,
       MAX(action = 'add') AS added
FROM (SELECT d.*,
             ROW_NUMBER() OVER (PARTITION BY text_sha256, start, "end", kind
                                ORDER BY reviewed_at DESC, id DESC) AS latest,
             ROW_NUMBER() OVER (PARTITION BY text_sha256, start, "end", kind, new_speaker IS NULL
                                ORDER BY reviewed_at DESC, id DESC) AS speaker_latest,
             ROW_NUMBER() OVER (PARTITION BY text_sha256, start, "end", kind, new_kind IS NULL
                                ORDER BY reviewed_at DESC, id DESC) AS kind_latest,
             ROW_NUMBER() OVER (PARTITION BY text_sha256, start, "end", kind, new_start IS NULL
                                ORDER BY reviewed_at DESC, id DESC) AS span_latest
      FROM (SELECT x.*,
                   CASE WHEN action IN ('edit', 'add') THEN json_extract(value, '$.speaker') END AS new_speaker,
                   CASE WHEN action = 'edit' THEN json_extract(value, '$.kind') END AS new_kind,
                   CASE WHEN action = 'edit' THEN json_extract(value, '$.start') END AS new_start,
                   CASE WHEN action = 'edit' THEN json_extract(value, '$.end') END AS new_end
            FROM decisions x WHERE fact_table = 'quotes') d)
GROUP BY text_sha256, start, "end", kind;

-- quote_review, kept as a table so that reading the reviewed view costs one index probe per quote
-- (the aggregate over decisions would otherwise be rebuilt by every query). sayso.review's one
-- writer of decisions refreshes the anchor it wrote, in the same transaction, and it is rebuilt
-- whole on each writable open. (Triggers here name tables only, never views.)
CREATE TABLE IF NOT EXISTS quote_state (
    doc_id TEXT,  -- this store's id of the document (NULL until the document is stored)
    text_sha256 TEXT NOT NULL, start INTEGER NOT NULL, "end" INTEGER NOT NULL, kind TEXT NOT NULL,
    last_action TEXT, reviewer TEXT, reviewed_at TEXT, version INTEGER,
    new_speaker TEXT, new_kind TEXT, new_start INTEGER, new_end INTEGER, added INTEGER,
    PRIMARY KEY (text_sha256, start, "end", kind)
);
CREATE INDEX IF NOT EXISTS quote_state_doc ON quote_state(doc_id, start, "end", kind);
DELETE FROM quote_state;
INSERT INTO quote_state SELECT (SELECT id FROM documents WHERE text_sha256 = r.text_sha256), r.* FROM quote_review r;

-- A quote a reviewer added is also a row of `quotes` (id 'r<start>-<end>' plus 'i' for indirect,
-- 'a' for according_to; machine ids are 'q<n>'), so that every reader, the full-text index and
-- the reviewed view below find it like any other quote. These rows are derived from the
-- decisions, never the other way round: they are written here, by sayso.review and by the
-- triggers below, and a machine quote found later at the same span and kind replaces its row.
INSERT OR IGNORE INTO quotes(doc_id, id, start, "end", text, kind, speaker_name, speaker_resolved_by)
SELECT d.id, 'r' || r.start || '-' || r."end" || CASE r.kind WHEN 'direct' THEN '' WHEN 'indirect' THEN 'i' ELSE 'a' END,
       r.start, r."end", substr(d.text, r.start + 1, r."end" - r.start), r.kind, r.new_speaker, 'reviewer'
FROM quote_state r JOIN documents d ON d.id = r.doc_id
WHERE r.added AND NOT EXISTS (SELECT 1 FROM quotes m WHERE m.doc_id = d.id AND m.start = r.start
                              AND m."end" = r."end" AND m.kind = r.kind);
DROP TRIGGER IF EXISTS documents_state;
CREATE TRIGGER documents_state AFTER INSERT ON documents BEGIN
    UPDATE quote_state SET doc_id = new.id WHERE text_sha256 = new.text_sha256;
    INSERT OR IGNORE INTO quotes(doc_id, id, start, "end", text, kind, speaker_name, speaker_resolved_by)
    SELECT new.id, 'r' || r.start || '-' || r."end" || CASE r.kind WHEN 'direct' THEN '' WHEN 'indirect' THEN 'i' ELSE 'a' END,
           r.start, r."end", substr(new.text, r.start + 1, r."end" - r.start), r.kind, r.new_speaker, 'reviewer'
    FROM quote_state r WHERE r.text_sha256 = new.text_sha256 AND r.added;
END;
DROP TRIGGER IF EXISTS quotes_found_by_machine;
CREATE TRIGGER quotes_found_by_machine AFTER INSERT ON quotes WHEN new.id NOT GLOB 'r[0-9]*' BEGIN
    DELETE FROM quotes WHERE doc_id = new.doc_id AND id GLOB 'r[0-9]*' AND start = new.start
                         AND "end" = new."end" AND kind = new.kind;
END;

-- THE reviewed view: every reader of quotes reads this. The columns of `quotes`, with edits
-- applied and added quotes included, plus review_status (unreviewed | accepted | rejected |
-- edited | added), reviewer, reviewed_at, review_version (for optimistic concurrency) and
-- quote_rowid (the row's rowid, which quotes_fts indexes). Rejected quotes are rows flagged
-- 'rejected': readers leave them out unless asked to keep them. One SELECT over `quotes` (no
-- UNION), so SQLite folds it into the reader's query and keeps its indexes.
DROP VIEW IF EXISTS reviewed_quotes;
CREATE VIEW reviewed_quotes AS
SELECT q.doc_id, q.id,
       COALESCE(r.new_start, q.start) AS start, COALESCE(r.new_end, q."end") AS "end",
       CASE WHEN r.new_start IS NULL THEN q.text
            ELSE (SELECT substr(d.text, r.new_start + 1, r.new_end - r.new_start) FROM documents d
                  WHERE d.id = q.doc_id) END AS text,
       COALESCE(r.new_kind, q.kind) AS kind, q.cue,
       COALESCE(r.new_speaker, q.speaker_name) AS speaker_name, q.speaker_mention,
       CASE WHEN r.new_speaker IS q.speaker_name OR r.new_speaker IS NULL THEN q.speaker_descriptor END AS speaker_descriptor,
       CASE WHEN r.new_speaker IS q.speaker_name OR r.new_speaker IS NULL THEN q.speaker_role END AS speaker_role,
       CASE WHEN r.new_speaker IS q.speaker_name OR r.new_speaker IS NULL THEN q.speaker_org END AS speaker_org,
       CASE WHEN r.new_speaker IS q.speaker_name OR r.new_speaker IS NULL THEN q.speaker_entity_id END AS speaker_entity_id,
       CASE WHEN (r.new_speaker IS q.speaker_name OR r.new_speaker IS NULL) AND q.speaker_registry_id IS NOT NULL
            THEN q.speaker_registry_id
            WHEN r.new_speaker IS NOT NULL
            THEN (SELECT n.registry_id FROM registry_names n WHERE n.key = lower(r.new_speaker)
                  ORDER BY n.label = 'PERSON' DESC LIMIT 1) END AS speaker_registry_id,
       q.nested_in, q.run_id, q.confidence,
       CASE WHEN r.new_speaker IS q.speaker_name OR r.new_speaker IS NULL THEN q.speaker_type END AS speaker_type,
       CASE WHEN r.new_speaker IS q.speaker_name OR r.new_speaker IS NULL THEN q.speaker_resolved_by
            ELSE 'reviewer' END AS speaker_resolved_by,
       q.page, q.start_s, q.end_s,
       CASE WHEN r.new_start IS NULL THEN q.parts END AS parts,
       CASE WHEN r.last_action IS NULL THEN 'unreviewed'
            WHEN r.last_action = 'reject' THEN 'rejected'
            WHEN q.id GLOB 'r[0-9]*' THEN 'added'
            WHEN r.new_speaker IS NOT q.speaker_name AND r.new_speaker IS NOT NULL THEN 'edited'
            WHEN r.new_kind IS NOT NULL AND r.new_kind <> q.kind THEN 'edited'
            WHEN r.new_start IS NOT NULL AND (r.new_start <> q.start OR r.new_end <> q."end") THEN 'edited'
            ELSE 'accepted' END AS review_status,
       r.reviewer, r.reviewed_at, COALESCE(r.version, 0) AS review_version, q.rowid AS quote_rowid
FROM quotes q
LEFT JOIN quote_state r ON r.doc_id = q.doc_id AND r.start = q.start AND r."end" = q."end" AND r.kind = q.kind;

-- Quote decisions that attach to nothing in this store: their fact is gone after re-analysis,
-- or their document is not here (decisions imported from another store). Kept, never dropped.
DROP VIEW IF EXISTS orphaned_decisions;
CREATE VIEW orphaned_decisions AS
SELECT x.*, d.id AS doc_id,
       CASE WHEN d.id IS NULL THEN 'document not in this store' ELSE 'quote no longer found' END AS reason
FROM decisions x LEFT JOIN documents d ON d.text_sha256 = x.text_sha256
WHERE x.fact_table = 'quotes'
  AND NOT EXISTS (SELECT 1 FROM quotes q WHERE q.doc_id = d.id AND q.start = x.start AND q."end" = x."end"
                  AND q.kind = x.kind)
  AND (d.id IS NULL OR NOT EXISTS (SELECT 1 FROM decisions a WHERE a.action = 'add' AND a.fact_table = 'quotes'
                  AND a.text_sha256 = x.text_sha256 AND a.start = x.start AND a."end" = x."end" AND a.kind = x.kind));
