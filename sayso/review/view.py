"""Reading the reviewed state: the `reviewed_quotes` view (sayso/review/schema.sql) is the one
place where decisions are applied; these helpers filter and page it, and turn its rows into the
model's quotes."""
from __future__ import annotations

import json
import re
import sqlite3
from importlib import resources

from ..model import Quote, Speaker, parts_from_json
from ..store.db import like

VISIBLE = "review_status <> 'rejected'"


def ensure_view(conn: sqlite3.Connection) -> None:
    """Make `reviewed_quotes` readable on a store that has never been opened for writing since
    review arrived (read-only connections cannot create it): temporary, empty decision tables and the
    views over them, for this connection only."""
    if conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'reviewed_quotes'").fetchone():
        return
    if conn.execute("SELECT 1 FROM sqlite_temp_master WHERE name = 'reviewed_quotes'").fetchone():
        return
    script = resources.files("sayso.review").joinpath("schema.sql").read_text("utf-8")
    script = re.sub(r"CREATE TABLE IF NOT EXISTS", "CREATE TEMP TABLE IF NOT EXISTS", script)
    script = re.sub(r"CREATE INDEX IF NOT EXISTS (\w+)", r"CREATE INDEX IF NOT EXISTS temp.\1", script)
    script = re.sub(r"DROP TRIGGER IF EXISTS \w+;\nCREATE TRIGGER .*?\nEND;", "", script, flags=re.S)
    script = re.sub(r"INSERT OR IGNORE INTO quotes.*?;\n", "", script, flags=re.S)  # no rows to add here
    script = re.sub(r"DROP VIEW IF EXISTS \w+;\nCREATE VIEW", "CREATE TEMP VIEW", script)
    conn.executescript(script)


def _filtered(doc=None, status=None, reviewer=None, speaker=None, kind=None,
              include_rejected: bool = False) -> tuple[str, list]:
    sql = [" FROM reviewed_quotes q JOIN documents d ON d.id = q.doc_id WHERE 1 = 1"]
    filters = [(" AND q.doc_id = ?", doc), (" AND q.review_status = ?", status), (" AND q.reviewer = ?", reviewer),
               (" AND q.kind = ?", kind),
               (" AND (q.speaker_name LIKE ? ESCAPE '\\' OR q.speaker_mention LIKE ? ESCAPE '\\')",
                speaker and like(speaker))]
    args: list = []
    for condition, value in filters:
        if value:
            sql.append(condition)
            args += [value] * condition.count("?")
    if not include_rejected and status != "rejected":
        sql.append(" AND q." + VISIBLE)
    return "".join(sql), args


def quotes(conn, doc: str | None = None, status: str | None = None, reviewer: str | None = None,
           speaker: str | None = None, kind: str | None = None, include_rejected: bool = False,
           by_confidence: bool = False, limit: int | None = None, offset: int = 0) -> list[dict]:
    """Reviewed quotes matching every filter given, in document order (or lowest confidence
    first, unknown confidence after the known). Rejected quotes only with `include_rejected` or
    `status='rejected'`."""
    ensure_view(conn)
    where, args = _filtered(doc, status, reviewer, speaker, kind, include_rejected)
    order = "q.confidence IS NULL, q.confidence, d.rowid, q.start" if by_confidence else "d.rowid, q.start, q.id"
    sql = f"SELECT q.*, d.title AS doc_title, d.source AS doc_source{where} ORDER BY {order}"
    if limit:
        sql += " LIMIT ? OFFSET ?"
        args += [limit, offset]
    return [dict(r) for r in conn.execute(sql, args)]


def count(conn, doc=None, status=None, reviewer=None, speaker=None, kind=None, include_rejected=False) -> int:
    """How many reviewed quotes match the filters of `quotes`."""
    ensure_view(conn)
    where, args = _filtered(doc, status, reviewer, speaker, kind, include_rejected)
    return conn.execute(f"SELECT COUNT(*){where}", args).fetchone()[0]


def orphaned(conn, doc: str | None = None) -> list[dict]:
    """Quote decisions that attach to no quote in this store (kept, listed here)."""
    ensure_view(conn)
    sql = "SELECT * FROM orphaned_decisions"
    args = []
    if doc:
        sql += " WHERE doc_id = ?"
        args.append(doc)
    rows = []
    for r in conn.execute(sql + " ORDER BY reviewed_at, id", args):
        row = dict(r)
        row["value"], row["original"] = json.loads(row["value"]), json.loads(row["original"])
        rows.append(row)
    return rows


def review_of(row: dict) -> dict:
    """The `review` object each quote carries in JSON."""
    return {"status": row["review_status"], "reviewer": row["reviewer"], "reviewed_at": row["reviewed_at"],
            "version": row["review_version"]}


def quote_from_row(row) -> Quote:
    return Quote(row["id"], row["text"], row["start"], row["end"], row["kind"], row["cue"],
                 Speaker(row["speaker_name"], row["speaker_mention"], row["speaker_descriptor"], row["speaker_role"],
                         row["speaker_org"], row["speaker_entity_id"], row["speaker_type"], row["speaker_resolved_by"]),
                 row["nested_in"], row["confidence"], row["page"], row["start_s"], row["end_s"], parts=parts_from_json(row["parts"]))


def document_quotes(conn, doc_id: str, include_rejected: bool = False) -> list[tuple[Quote, dict]]:
    """A document's reviewed quotes in text order, each with its review object."""
    ensure_view(conn)
    sql = "SELECT * FROM reviewed_quotes WHERE doc_id = ?"
    if not include_rejected:
        sql += " AND " + VISIBLE
    return [(quote_from_row(r), review_of(dict(r))) for r in conn.execute(sql + " ORDER BY start, id", (doc_id,))]


def reviewed_analysis(store, doc_id: str, include_rejected: bool = False):
    """`store.analysis(doc_id)` with the reviewed quotes in place of the machine's."""
    analysis = store.analysis(doc_id)
    if analysis is None:
        return None
    pairs = document_quotes(store.conn, doc_id, include_rejected)
    analysis.quotes = [q for q, _ in pairs]
    for quote, review in pairs:
        quote.review = review  # read by exports; the dataclass field arrives with the model change
    return analysis


def speaker_names(conn, prefix: str = "", limit: int = 20) -> list[dict]:
    """Names to offer while a reviewer types a speaker: registry entities (people first) and
    speaker names of the reviewed quotes, the most quoted first."""
    ensure_view(conn)
    pattern = like(prefix.strip()) if prefix.strip() else "%"
    rows = conn.execute(
        "SELECT name, MAX(entity_id) AS entity_id, MAX(label) AS label, SUM(quotes) AS quotes FROM ("
        " SELECT r.name, r.id AS entity_id, r.label,"
        "  (SELECT COUNT(*) FROM quotes q WHERE q.speaker_registry_id = r.id) AS quotes"
        "  FROM registry r WHERE r.label IN ('PERSON', 'ORG', 'NORP') AND r.name LIKE ? ESCAPE '\\'"
        " UNION ALL"
        " SELECT speaker_name, NULL, NULL, COUNT(*) FROM reviewed_quotes"
        "  WHERE speaker_name LIKE ? ESCAPE '\\' AND " + VISIBLE + " GROUP BY speaker_name)"
        " GROUP BY lower(name) ORDER BY lower(name) LIKE lower(?) DESC, quotes DESC, name LIMIT ?",
        (pattern, pattern, prefix.strip() + "%", limit))
    return [{"name": r["name"], "entity_id": r["entity_id"], "label": r["label"], "quotes": r["quotes"]}
            for r in rows]
