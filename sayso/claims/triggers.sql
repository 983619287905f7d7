-- Triggers of sayso.claims on a store's own tables (see sayso/store/db.py EXTRA_SCHEMAS; schema.sql
-- also serves databases without them, such as a Parquet folder's claims.db).
-- A member quote re-analysed (deleted and stored anew) or renamed by the entity registry changes
-- what its claim says.
CREATE TRIGGER IF NOT EXISTS claim_quote_deleted AFTER DELETE ON quotes BEGIN
    UPDATE claim_stats SET version = version + 1
    WHERE claim_id = (SELECT claim_id FROM claim_members WHERE doc_id = old.doc_id AND quote_id = old.id);
END;
CREATE TRIGGER IF NOT EXISTS claim_quote_changed AFTER UPDATE OF text, speaker_name ON quotes BEGIN
    UPDATE claim_stats SET version = version + 1
    WHERE claim_id = (SELECT claim_id FROM claim_members WHERE doc_id = old.doc_id AND quote_id = old.id);
END;
