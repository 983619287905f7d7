"""The collection-wide entity registry: links each document's entities to one entity per
person, organisation or place, by name and alias, and lets users merge and split them."""
from __future__ import annotations

import getpass
import re
import sqlite3
from datetime import datetime, timezone

from ..model import Entity

REGISTERED = ("PERSON", "ORG", "GPE", "LOC", "NORP", "FAC")
# Labels the model confuses with each other share one namespace of names.
FAMILY = {"GPE": "PLACE", "LOC": "PLACE", "FAC": "PLACE"}


def family(label: str) -> str:
    return FAMILY.get(label, label)


def _key(name: str) -> str:
    return re.sub(r"\s+", " ", name.strip().lower())


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def register(conn: sqlite3.Connection, entities: list[Entity]) -> dict[str, str]:
    """Registry ids for a document's entities (doc-local id -> registry id), creating entries
    for names never seen. Runs inside the caller's transaction."""
    ids = {}
    for entity in entities:
        if entity.label not in REGISTERED:
            continue
        names = [entity.name, *entity.aliases]
        fam = family(entity.label)
        found = None
        for name in names:
            row = conn.execute("SELECT registry_id FROM registry_names WHERE key = ? AND label = ?",
                               (_key(name), fam)).fetchone()
            if row:
                found = row[0]
                break
        if found is None:
            found = _new_id(conn)
            conn.execute("INSERT INTO registry(id, name, label, created_at) VALUES (?, ?, ?, ?)",
                         (found, entity.name, entity.label, _now()))
        conn.executemany("INSERT OR IGNORE INTO registry_names(key, label, registry_id) VALUES (?, ?, ?)",
                         [(_key(n), fam, found) for n in names])
        ids[entity.id] = found
    return ids


def _new_id(conn) -> str:
    row = conn.execute("SELECT COUNT(*) FROM registry").fetchone()
    n = row[0] + 1
    while conn.execute("SELECT 1 FROM registry WHERE id = ?", (f"E{n}",)).fetchone():
        n += 1
    return f"E{n}"


class RegistryError(ValueError):
    pass


def resolve(conn, ref: str) -> str:
    """A registry id from an id ("E12") or a name or alias (must be unambiguous)."""
    if conn.execute("SELECT 1 FROM registry WHERE id = ?", (ref,)).fetchone():
        return ref
    rows = conn.execute("SELECT DISTINCT registry_id FROM registry_names WHERE key = ?", (_key(ref),)).fetchall()
    if not rows:
        raise RegistryError(f"no entity with id or name {ref!r}")
    if len(rows) > 1:
        raise RegistryError(f"{ref!r} names several entities ({', '.join(r[0] for r in rows)}); use an id")
    return rows[0][0]


def merge(conn, into_ref: str, from_ref: str, who: str | None = None) -> tuple[str, str]:
    """Merge entity `from_ref` into `into_ref`: its names, document entities and quotes move."""
    into, other = resolve(conn, into_ref), resolve(conn, from_ref)
    if into == other:
        raise RegistryError(f"{into_ref!r} and {from_ref!r} are the same entity ({into})")
    with conn:
        conn.execute("UPDATE OR IGNORE registry_names SET registry_id = ? WHERE registry_id = ?", (into, other))
        conn.execute("DELETE FROM registry_names WHERE registry_id = ?", (other,))
        conn.execute("UPDATE entities SET registry_id = ? WHERE registry_id = ?", (into, other))
        conn.execute("UPDATE quotes SET speaker_registry_id = ? WHERE speaker_registry_id = ?", (into, other))
        conn.execute("DELETE FROM registry WHERE id = ?", (other,))
        conn.execute("INSERT INTO registry_changes(action, from_id, into_id, changed_by, changed_at)"
                     " VALUES ('merge', ?, ?, ?, ?)", (other, into, who or getpass.getuser(), _now()))
    return into, other


def split(conn, ref: str, name: str, who: str | None = None) -> str:
    """Give the name `name` of entity `ref` an entity of its own; documents that call it so follow."""
    source = resolve(conn, ref)
    label_row = conn.execute("SELECT label FROM registry WHERE id = ?", (source,)).fetchone()
    fam = family(label_row[0])
    if not conn.execute("SELECT 1 FROM registry_names WHERE key = ? AND label = ? AND registry_id = ?",
                        (_key(name), fam, source)).fetchone():
        raise RegistryError(f"{source} has no name {name!r}")
    with conn:
        new = _new_id(conn)
        conn.execute("INSERT INTO registry(id, name, label, created_at) VALUES (?, ?, ?, ?)",
                     (new, name, label_row[0], _now()))
        conn.execute("UPDATE registry_names SET registry_id = ? WHERE key = ? AND label = ?", (new, _key(name), fam))
        moved = [r[0] for r in conn.execute(
            "SELECT rowid FROM entities WHERE registry_id = ? AND lower(name) = ?", (source, _key(name)))]
        conn.executemany("UPDATE entities SET registry_id = ? WHERE rowid = ?", [(new, r) for r in moved])
        conn.execute("UPDATE quotes SET speaker_registry_id = ? WHERE speaker_registry_id = ? AND lower(speaker_name) = ?",
                     (new, source, _key(name)))
        conn.execute("INSERT INTO registry_changes(action, from_id, into_id, name, changed_by, changed_at)"
                     " VALUES ('split', ?, ?, ?, ?, ?)", (source, new, name, who or getpass.getuser(), _now()))
    return new


def listing(conn, label: str | None = None) -> list[dict]:
    sql = ("SELECT r.id, r.name, r.label,"
           " (SELECT COUNT(DISTINCT e.doc_id) FROM entities e WHERE e.registry_id = r.id) AS documents,"
           " (SELECT COUNT(*) FROM quotes q WHERE q.speaker_registry_id = r.id) AS quotes,"
           " (SELECT GROUP_CONCAT(key, ', ') FROM registry_names n WHERE n.registry_id = r.id) AS names"
           " FROM registry r")
    args = []
    if label:
        sql += " WHERE r.label = ?"
        args.append(label)
    sql += " ORDER BY documents DESC, quotes DESC, r.name"
    return [dict(row) for row in conn.execute(sql, args)]
