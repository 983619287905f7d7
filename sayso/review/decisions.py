"""Recording review decisions: accept, reject and edit a quote, add a missed one, and merge,
split or rename entities. Every decision is a new row (nothing is overwritten), anchored to the
document's text hash and the fact's machine span and kind, with who, when, the machine values
and the run that produced them."""
from __future__ import annotations

import getpass
import hashlib
import json
import re
import sqlite3
from datetime import datetime, timezone

from .. import __version__

KINDS = ("direct", "indirect", "according_to")
QUOTE_ACTIONS = ("accept", "reject", "edit", "add")
ENTITY_ACTIONS = ("merge", "split", "rename")
STATUSES = ("unreviewed", "accepted", "rejected", "edited", "added")


class ReviewError(ValueError):
    pass


class StaleError(ReviewError):
    """The fact changed since the reviewer saw it (another decision came first)."""


def default_reviewer() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="microseconds")


def clean_name(name: str | None) -> str | None:
    name = re.sub(r"\s+", " ", name or "").strip()
    return name or None


def decision_uid(record: dict) -> str:
    """A content hash of what makes a decision itself: importing it twice stores it once."""
    keys = ("fact_table", "text_sha256", "start", "end", "kind", "action", "value", "reviewer", "reviewed_at")
    payload = json.dumps([record.get(k) for k in keys], sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def insert(conn: sqlite3.Connection, record: dict) -> bool:
    """Store one decision (a dict with the columns of `decisions`, value/original as dicts).
    False if the same decision is stored already."""
    row = {**record, "value": json.dumps(record.get("value") or {}, sort_keys=True, ensure_ascii=False),
           "original": json.dumps(record.get("original") or {}, sort_keys=True, ensure_ascii=False)}
    row["uid"] = record.get("uid") or decision_uid(row)
    cur = conn.execute(
        'INSERT OR IGNORE INTO decisions(uid, fact_table, text_sha256, start, "end", kind, action, value, original,'
        " reviewer, reviewed_at, note, sayso_version, model) VALUES (:uid, :fact_table, :text_sha256, :start,"
        " :end, :kind, :action, :value, :original, :reviewer, :reviewed_at, :note, :sayso_version, :model)",
        {k: row.get(k) for k in ("uid", "fact_table", "text_sha256", "start", "end", "kind", "action", "value",
                                 "original", "reviewer", "reviewed_at", "note", "sayso_version", "model")})
    if cur.rowcount == 1 and row["fact_table"] == "quotes":
        refresh_state(conn, row)
    return cur.rowcount == 1


def refresh_state(conn, anchor: dict) -> None:
    """Recompute the stored review state of one quote anchor from its decisions (and give an
    added quote its row)."""
    key = (anchor["text_sha256"], anchor["start"], anchor["end"], anchor["kind"])
    conn.execute('DELETE FROM quote_state WHERE text_sha256 = ? AND start = ? AND "end" = ? AND kind = ?', key)
    conn.execute("INSERT INTO quote_state SELECT (SELECT id FROM documents WHERE text_sha256 = r.text_sha256), r.*"
                 ' FROM quote_review r WHERE r.text_sha256 = ? AND r.start = ? AND r."end" = ? AND r.kind = ?', key)
    sync_added(conn, "r.text_sha256 = ? AND r.start = ? AND r.\"end\" = ? AND r.kind = ?", key)


def sync_added(conn, where: str, args) -> None:
    """Rows in `quotes` for the added quotes of the state rows `where` picks, unless a machine
    quote has the same span and kind (see schema.sql)."""
    conn.execute(
        'INSERT OR IGNORE INTO quotes(doc_id, id, start, "end", text, kind, speaker_name, speaker_resolved_by)'
        " SELECT d.id, 'r' || r.start || '-' || r.\"end\" || CASE r.kind WHEN 'direct' THEN '' WHEN 'indirect'"
        " THEN 'i' ELSE 'a' END, r.start, r.\"end\", substr(d.text, r.start + 1, r.\"end\" - r.start), r.kind,"
        " r.new_speaker, 'reviewer' FROM quote_state r JOIN documents d ON d.id = r.doc_id"
        f" WHERE r.added AND {where} AND NOT EXISTS (SELECT 1 FROM quotes m WHERE m.doc_id = d.id"
        ' AND m.start = r.start AND m."end" = r."end" AND m.kind = r.kind)', args)


# quotes --------------------------------------------------------------------------------------

def _document(conn, doc_id: str) -> sqlite3.Row:
    row = conn.execute("SELECT id, text_sha256, length(text) AS length FROM documents WHERE id = ?",
                       (doc_id,)).fetchone()
    if row is None:
        raise ReviewError(f"no document {doc_id!r}")
    return row


def anchor_of(conn, doc_id: str, quote_id: str) -> dict:
    """The anchor of a quote as the reviewer sees it: a machine quote's span and kind, or the
    span and kind an added quote was added with; plus the machine values and their run."""
    doc = _document(conn, doc_id)
    machine = conn.execute(
        'SELECT q.start, q."end", q.kind, q.text, q.speaker_name, q.speaker_resolved_by, q.confidence,'
        " r.sayso_version, r.model FROM quotes q LEFT JOIN runs r ON r.id = q.run_id"
        " WHERE q.doc_id = ? AND q.id = ? AND q.id NOT GLOB 'r[0-9]*'", (doc_id, quote_id)).fetchone()
    if machine is not None:
        original = {k: machine[k] for k in ("start", "end", "kind", "text", "speaker_name", "speaker_resolved_by",
                                            "confidence")}
        return {"text_sha256": doc["text_sha256"], "start": machine["start"], "end": machine["end"],
                "kind": machine["kind"], "original": original, "sayso_version": machine["sayso_version"],
                "model": machine["model"]}
    added = re.fullmatch(r"r(\d+)-(\d+)(i|a)?", quote_id)
    if added:
        kind = {None: "direct", "i": "indirect", "a": "according_to"}[added.group(3)]
        start, end = int(added.group(1)), int(added.group(2))
        if conn.execute("SELECT 1 FROM decisions WHERE action = 'add' AND text_sha256 = ? AND start = ?"
                        ' AND "end" = ? AND kind = ?', (doc["text_sha256"], start, end, kind)).fetchone():
            return {"text_sha256": doc["text_sha256"], "start": start, "end": end, "kind": kind, "original": {},
                    "sayso_version": None, "model": None}
    raise ReviewError(f"no quote {quote_id!r} in document {doc_id!r}")


def version_of(conn, anchor: dict) -> int:
    """The anchor's version: the id of its latest decision, 0 if none."""
    row = conn.execute("SELECT MAX(id) FROM decisions WHERE fact_table = 'quotes' AND text_sha256 = ? AND start = ?"
                       ' AND "end" = ? AND kind = ?',
                       (anchor["text_sha256"], anchor["start"], anchor["end"], anchor["kind"])).fetchone()
    return row[0] or 0


def _check_span(conn, doc_id: str, start: int | None, end: int | None) -> None:
    if (start is None) != (end is None):
        raise ReviewError("a span needs both --start and --end")
    if start is None:
        return
    length = _document(conn, doc_id)["length"]
    if not 0 <= start < end <= length:
        raise ReviewError(f"span {start}-{end} is not inside document {doc_id!r} (0-{length})")


def _check_kind(kind: str | None) -> None:
    if kind is not None and kind not in KINDS:
        raise ReviewError(f"kind must be one of {', '.join(KINDS)}, not {kind!r}")


def decide(conn, doc_id: str, quote_id: str, action: str, reviewer: str | None = None, note: str | None = None,
           speaker: str | None = None, kind: str | None = None, start: int | None = None, end: int | None = None,
           expect_version: int | None = None) -> dict:
    """Accept, reject or edit a quote; returns the quote as the reviewed view now has it.
    `expect_version`: the version the reviewer saw; a different current one raises StaleError."""
    if action not in ("accept", "reject", "edit"):
        raise ReviewError(f"unknown action {action!r}")
    _check_kind(kind)
    _check_span(conn, doc_id, start, end)
    value = {k: v for k, v in (("speaker", clean_name(speaker)), ("kind", kind), ("start", start), ("end", end))
             if v is not None}
    if action == "edit" and not value:
        raise ReviewError("an edit needs a new speaker, kind or span")
    with conn:
        if not conn.in_transaction:
            conn.execute("BEGIN IMMEDIATE")  # the version check and the insert see the same state
        anchor = anchor_of(conn, doc_id, quote_id)
        current = version_of(conn, anchor)
        if expect_version is not None and expect_version != current:
            raise StaleError(f"quote {quote_id} of {doc_id} was changed by another decision since you saw it "
                             f"(version {current}, you saw {expect_version}); reload and review it again")
        insert(conn, {**anchor, "fact_table": "quotes", "action": action, "value": value if action == "edit" else {},
                      "reviewer": reviewer or default_reviewer(), "reviewed_at": now(), "note": note})
    return reviewed_quote(conn, doc_id, quote_id) or {}


def add(conn, doc_id: str, start: int, end: int, speaker: str, kind: str = "direct", reviewer: str | None = None,
        note: str | None = None) -> dict:
    """Add a quote the machine missed; returns it as the reviewed view has it."""
    _check_kind(kind)
    _check_span(conn, doc_id, start, end)
    if not clean_name(speaker):
        raise ReviewError("an added quote needs a speaker")
    doc = _document(conn, doc_id)
    with conn:
        insert(conn, {"fact_table": "quotes", "text_sha256": doc["text_sha256"], "start": start, "end": end,
                      "kind": kind, "action": "add", "value": {"speaker": clean_name(speaker)},
                      "original": {}, "reviewer": reviewer or default_reviewer(), "reviewed_at": now(),
                      "note": note, "sayso_version": __version__, "model": None})
    row = conn.execute("SELECT * FROM reviewed_quotes WHERE doc_id = ? AND start = ? AND \"end\" = ? AND kind = ?",
                       (doc_id, start, end, kind)).fetchone()
    return dict(row) if row else {}


def reviewed_quote(conn, doc_id: str, quote_id: str) -> dict | None:
    row = conn.execute("SELECT * FROM reviewed_quotes WHERE doc_id = ? AND id = ?", (doc_id, quote_id)).fetchone()
    return dict(row) if row else None


def history(conn, doc_id: str, quote_id: str) -> list[dict]:
    """Every decision on a quote, oldest first, with the machine values and run it was made on."""
    anchor = anchor_of(conn, doc_id, quote_id)
    rows = conn.execute("SELECT * FROM decisions WHERE fact_table = 'quotes' AND text_sha256 = ? AND start = ?"
                        ' AND "end" = ? AND kind = ? ORDER BY reviewed_at, id',
                        (anchor["text_sha256"], anchor["start"], anchor["end"], anchor["kind"]))
    return [as_record(r) for r in rows]


def as_record(row: sqlite3.Row) -> dict:
    record = dict(row)
    record["value"], record["original"] = json.loads(record["value"]), json.loads(record["original"])
    return record


# entities ------------------------------------------------------------------------------------

def merge_entities(conn, into: str, other: str, reviewer: str | None = None, note: str | None = None) -> tuple[str, str]:
    """Merge registry entity `other` into `into` (ids or names) with the registry's own merge,
    and record it as a decision (by names, so it travels to other stores)."""
    from ..store import registry

    who = reviewer or default_reviewer()
    into_id, other_id = registry.resolve(conn, into), registry.resolve(conn, other)
    names = {i: conn.execute("SELECT name FROM registry WHERE id = ?", (i,)).fetchone()[0] for i in (into_id, other_id)}
    registry.merge(conn, into_id, other_id, who)
    with conn:
        insert(conn, {"fact_table": "registry", "action": "merge", "reviewer": who, "reviewed_at": now(),
                      "note": note, "value": {"into": names[into_id], "other": names[other_id]},
                      "original": {"into_id": into_id, "other_id": other_id}, "sayso_version": __version__})
    return into_id, other_id


def split_entity(conn, entity: str, name: str, reviewer: str | None = None, note: str | None = None) -> str:
    from ..store import registry

    who = reviewer or default_reviewer()
    source = registry.resolve(conn, entity)
    source_name = conn.execute("SELECT name FROM registry WHERE id = ?", (source,)).fetchone()[0]
    new = registry.split(conn, source, name, who)
    with conn:
        insert(conn, {"fact_table": "registry", "action": "split", "reviewer": who, "reviewed_at": now(),
                      "note": note, "value": {"entity": source_name, "name": name},
                      "original": {"entity_id": source, "new_id": new}, "sayso_version": __version__})
    return new


def rename_entity(conn, entity: str, name: str, reviewer: str | None = None, note: str | None = None) -> str:
    """Give a registry entity a new display name; the old name stays one of its names."""
    from ..store import registry

    who = reviewer or default_reviewer()
    new_name = clean_name(name)
    if not new_name:
        raise ReviewError("a new name is needed")
    entity_id = registry.resolve(conn, entity)
    old, label = conn.execute("SELECT name, label FROM registry WHERE id = ?", (entity_id,)).fetchone()
    key, family = new_name.lower(), registry.family(label)
    taken = conn.execute("SELECT registry_id FROM registry_names WHERE key = ? AND label = ?", (key, family)).fetchone()
    if taken and taken[0] != entity_id:
        raise ReviewError(f"{new_name!r} already names {taken[0]}; merge the two instead")
    with conn:
        conn.execute("UPDATE registry SET name = ? WHERE id = ?", (new_name, entity_id))
        conn.execute("INSERT OR IGNORE INTO registry_names(key, label, registry_id) VALUES (?, ?, ?)",
                     (key, family, entity_id))
        insert(conn, {"fact_table": "registry", "action": "rename", "reviewer": who, "reviewed_at": now(),
                      "note": note, "value": {"from": old, "to": new_name}, "original": {"entity_id": entity_id},
                      "sayso_version": __version__})
    return entity_id


def apply_entity_decision(conn, record: dict) -> bool:
    """Carry out an imported entity decision on this store's registry by names; False when its
    names are not (or no longer) in the registry here, in which case the decision is kept anyway."""
    from ..store import registry

    value = record["value"]
    try:
        if record["action"] == "merge":
            into, other = registry.resolve(conn, value["into"]), registry.resolve(conn, value["other"])
            if into == other:
                return False
            registry.merge(conn, into, other, record["reviewer"])
        elif record["action"] == "split":
            registry.split(conn, value["entity"], value["name"], record["reviewer"])
        else:
            entity_id = registry.resolve(conn, value["from"])
            with conn:
                conn.execute("UPDATE registry SET name = ? WHERE id = ?", (value["to"], entity_id))
    except (registry.RegistryError, KeyError, TypeError):
        return False
    return True
