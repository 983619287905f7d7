-- Tables of sayso.claims (created with the store; see sayso/store/db.py EXTRA_SCHEMAS).
-- A claim is a cluster of quotes that are the same words: reprints, excerpts and variants.
CREATE TABLE IF NOT EXISTS claims (
    id INTEGER PRIMARY KEY,
    form TEXT NOT NULL  -- normalised words of the longest form, what a new quote is aligned with
);
CREATE TABLE IF NOT EXISTS claim_members (
    doc_id TEXT NOT NULL, quote_id TEXT NOT NULL,
    claim_id INTEGER NOT NULL REFERENCES claims(id),
    start INTEGER, "end" INTEGER,
    PRIMARY KEY (doc_id, quote_id)
);
CREATE INDEX IF NOT EXISTS claim_members_claim ON claim_members(claim_id);
-- What the claims list reads of each claim instead of its occurrences, kept as members join it
-- (sayso/claims/index.py): its occurrences, its outlets (a document without one counts as its
-- own) and a version that grows whenever its occurrences change, so that a reader may keep a
-- claim's description until then. A reviewer's rejection is not in these counts; readers
-- apply review decisions. (Stores clustered before it had claim_sources, outlets only.)
CREATE TABLE IF NOT EXISTS claim_stats (
    claim_id INTEGER PRIMARY KEY, members INTEGER NOT NULL, sources INTEGER NOT NULL, version INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS claim_stats_sources ON claim_stats(sources);
-- How far clustering has read: the last quotes.rowid and documents.rowid it saw.
CREATE TABLE IF NOT EXISTS claims_state (key TEXT PRIMARY KEY, value INTEGER NOT NULL);
-- The candidate index: exact-text keys, MinHash LSH band keys and winnowed shingle
-- fingerprints of every claim's forms (see sayso/claims/index.py). It lives on disk, so
-- clustering never holds the collection in memory and a new quote joins without a rebuild.
CREATE TABLE IF NOT EXISTS claim_keys (
    key INTEGER NOT NULL, claim_id INTEGER NOT NULL,
    PRIMARY KEY (key, claim_id)
) WITHOUT ROWID;

-- Wire copies: documents that are the same story (see sayso/claims/wire.py). wire_group is
-- the id of the group's first document; a document alone is its own group.
CREATE TABLE IF NOT EXISTS wire_keys (  -- MinHash LSH band keys of each document
    key INTEGER NOT NULL, doc_id TEXT NOT NULL,
    PRIMARY KEY (key, doc_id)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS wire_groups (
    doc_id TEXT PRIMARY KEY, wire_group TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS wire_groups_group ON wire_groups(wire_group);
