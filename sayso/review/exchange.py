"""Decisions travel between stores and team members as JSON Lines: one decision per line, with
its anchor (document text hash, span, kind), never a store's local ids. Import is idempotent."""
from __future__ import annotations

import json
from collections.abc import Iterable, Iterator

from .decisions import ENTITY_ACTIONS, KINDS, QUOTE_ACTIONS, ReviewError, apply_entity_decision, insert

FIELDS = ("uid", "fact_table", "text_sha256", "doc_id", "start", "end", "kind", "action", "value", "original",
          "reviewer", "reviewed_at", "note", "sayso_version", "model")


def export_records(conn) -> Iterator[dict]:
    """Every decision, oldest first; `doc_id` is this store's id of the document (informative)."""
    rows = conn.execute("SELECT x.*, d.id AS doc_id FROM decisions x LEFT JOIN documents d"
                        " ON d.text_sha256 = x.text_sha256 ORDER BY x.reviewed_at, x.id")
    for row in rows:
        record = {k: row[k] for k in FIELDS}
        record["value"], record["original"] = json.loads(record["value"]), json.loads(record["original"])
        yield record


def write_jsonl(conn, fh) -> int:
    n = 0
    for record in export_records(conn):
        fh.write(json.dumps(record, ensure_ascii=False, sort_keys=True) + "\n")
        n += 1
    return n


def _checked(record, where: str) -> dict:
    if not isinstance(record, dict):
        raise ReviewError(f"{where}: not a JSON object")
    missing = [k for k in ("fact_table", "action", "reviewer", "reviewed_at") if not record.get(k)]
    if missing:
        raise ReviewError(f"{where}: missing {', '.join(missing)}")
    if not isinstance(record.get("value", {}), dict) or not isinstance(record.get("original", {}), dict):
        raise ReviewError(f"{where}: value and original must be objects")
    if record["fact_table"] == "quotes":
        if record["action"] not in QUOTE_ACTIONS:
            raise ReviewError(f"{where}: unknown quote action {record['action']!r}")
        if not isinstance(record.get("text_sha256"), str) or record.get("kind") not in KINDS:
            raise ReviewError(f"{where}: a quote decision needs text_sha256 and a kind ({', '.join(KINDS)})")
        start, end = record.get("start"), record.get("end")
        if not (isinstance(start, int) and isinstance(end, int) and 0 <= start < end):
            raise ReviewError(f"{where}: a quote decision needs integer start < end")
    elif record["fact_table"] == "registry":
        if record["action"] not in ENTITY_ACTIONS:
            raise ReviewError(f"{where}: unknown entity action {record['action']!r}")
    else:
        raise ReviewError(f"{where}: fact_table must be quotes or registry")
    return record


def read_jsonl(lines: Iterable[str], name: str) -> list[dict]:
    """Parse and check every line first, so a bad file imports nothing."""
    records = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as err:
            raise ReviewError(f"{name}:{number}: not JSON ({err.msg})") from None
        records.append(_checked(record, f"{name}:{number}"))
    return records


def import_records(conn, records: list[dict]) -> dict:
    """Store the decisions not stored yet (all in one transaction) and carry out the new entity
    decisions on this registry. Returns counts: added, already (stored before), unapplied
    (entity decisions whose names are not in this registry; kept)."""
    added = []
    with conn:
        for record in records:
            if insert(conn, {**record, "uid": record.get("uid")}):
                added.append(record)
    unapplied = sum(1 for r in added if r["fact_table"] == "registry" and not apply_entity_decision(conn, r))
    return {"added": len(added), "already": len(records) - len(added), "unapplied": unapplied}
