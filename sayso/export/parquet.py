"""Parquet: one file per table, written in batches straight from the store (pyarrow). The
columns are those `ingest --engine dask` writes (sayso.scale.rows), plus the registry ids that
only a store has, and a speakers table."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

_MENTIONS = ("(SELECT json_group_array(json_object('start', m.start, 'end', m.\"end\")) FROM mentions m"
             " WHERE m.doc_id = e.doc_id AND m.fact_table = '{t}' AND m.fact_id = e.id) AS mentions")
# The PDF page a fact starts on, from its document's layout (page starts): NULL without pages.
_PAGE = ("(SELECT NULLIF(COUNT(*), 0) FROM documents d, json_each(d.layout, '$.page_starts') p"
         " WHERE d.id = {t}.doc_id AND p.value <= {t}.start) AS page")
TABLES = {
    "documents": "SELECT id, text_sha256, path, title, url, date, source, text, language, layout FROM documents",
    "quotes": 'SELECT doc_id, id, start, "end", text, kind, cue, speaker_name, speaker_mention, speaker_descriptor,'
              " speaker_role, speaker_org, speaker_entity_id, speaker_registry_id, nested_in, confidence, speaker_type,"
              " speaker_resolved_by, page, start_s, end_s, parts, (SELECT 'C' || m.claim_id FROM claim_members m"
              " WHERE m.doc_id = q.doc_id AND m.quote_id = q.id) AS claim_id, review_status, reviewer, reviewed_at"
              " FROM reviewed_quotes q WHERE {rejected}",
    "speakers": "SELECT COALESCE(r.name, q.speaker_name) AS name, q.speaker_registry_id AS entity_id,"
                " COUNT(*) AS quotes, COUNT(DISTINCT q.doc_id) AS documents"
                " FROM reviewed_quotes q LEFT JOIN registry r ON r.id = q.speaker_registry_id"
                " WHERE q.speaker_name IS NOT NULL AND {rejected} GROUP BY COALESCE(q.speaker_registry_id, q.speaker_name)",
    "entities": "SELECT doc_id, id, name, label, aliases, country, registry_id, " + _MENTIONS.format(t="entities")
                + " FROM entities e",
    "places": "SELECT doc_id, id, name, lat, lon, country, geonames_id, feature, " + _MENTIONS.format(t="places")
              + " FROM places e",
    "counts": 'SELECT doc_id, id, number, qualifier, object, text, start, "end", event, upper, quote_id, claimed_by,'
              " implied, " + _PAGE.format(t="e") + " FROM counts e",
    "themes": "SELECT doc_id, id, code, label, score, evidence FROM themes",
    "corrections": 'SELECT doc_id, id, text, start, "end", wrong, "right", subject, claim_start, claim_end,'
                   " claim_says, " + _PAGE.format(t="e") + " FROM corrections e",
}
BATCH = 10_000
FILES = {f"{table}.parquet" for table in TABLES}


MARK = {b"sayso_export": b"1"}  # in every file's schema metadata: what tells sayso's files from others


def is_previous_export(folder: Path) -> bool:
    """True for an empty folder or one holding nothing but files a parquet export wrote (by name
    and by the mark in their metadata: a user's own documents.parquet is not sayso's)."""
    return all(p.name in FILES and p.is_file() and not p.is_symlink() and _marked(p) for p in folder.iterdir())


def _marked(path: Path) -> bool:
    import pyarrow.parquet as pq

    try:
        metadata = pq.read_schema(path).metadata or {}
    except Exception:  # noqa: BLE001 - not a parquet file at all
        return False
    return metadata.get(b"sayso_export") == MARK[b"sayso_export"]


def _remove_export(folder: Path) -> None:
    """Delete a previous export: its own files only, then the folder if that left it empty."""
    for name in FILES:
        (folder / name).unlink(missing_ok=True)
    try:
        folder.rmdir()
    except OSError:  # something appeared that sayso did not write: leave it (and the folder)
        pass


def write_parquet(store, out: str | Path, include_rejected: bool = False) -> int:
    """Write OUT/<table>.parquet for every table; OUT is replaced only when all are written,
    and only if it is new, empty or a previous export (see sayso.export.check_target)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    out = Path(out)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent if str(out.parent) else "."))
    rows = 0
    try:
        rejected = "1 = 1" if include_rejected else "review_status <> 'rejected'"
        for table, sql in TABLES.items():
            cursor = store.conn.execute(sql.replace("{rejected}", rejected))
            names = [d[0] for d in cursor.description]
            writer = None
            while batch := cursor.fetchmany(BATCH):
                columns = {n: [row[i] for row in batch] for i, n in enumerate(names)}
                arrow = pa.table(columns).replace_schema_metadata(MARK)
                if writer is None:
                    writer = pq.ParquetWriter(tmp / f"{table}.parquet", arrow.schema)
                writer.write_table(arrow.cast(writer.schema))
                rows += len(batch)
            if writer is None:  # an empty table still gets its file and columns
                pq.write_table(pa.table({n: pa.array([], pa.string()) for n in names}).replace_schema_metadata(MARK),
                               tmp / f"{table}.parquet")
            else:
                writer.close()
        old = None
        if out.exists():
            if not is_previous_export(out):
                raise FileExistsError(f"{out}: not a sayso parquet export")
            old = Path(tempfile.mkdtemp(prefix=f".{out.name}.old.", dir=out.parent if str(out.parent) else "."))
            os.rename(out, old / "export")
        os.rename(tmp, out)
        if old is not None:
            _remove_export(old / "export")
            _remove_export(old)
    except BaseException:
        _remove_export(tmp)
        raise
    return rows
