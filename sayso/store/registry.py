"""The collection-wide entity registry: links each document's entities to one entity per
person, organisation or place, by name and alias, and lets users merge and split them."""
from __future__ import annotations

import getpass
import re
import sqlite3
from datetime import datetime, timezone

from ..model import Entity, Quote

REGISTERED = ("PERSON", "ORG", "GPE", "LOC", "NORP", "FAC")
# Labels the model confuses with each other share one namespace of names.
FAMILY = {"GPE": "PLACE", "LOC": "PLACE", "FAC": "PLACE"}
# registry_names rows of this label index full-name PERSON entries by surname: key "surname<SEP>id"
SURNAME = "SURNAME"
SEP = "\x1f"
# A one-word name stands for the collection's full name with that surname only when that person
# holds at least this share of the documents that name anyone of that surname.
DOMINANT_SHARE = 0.9
COLLECTION_FACTOR = 0.9
_TITLES = {"mr", "mrs", "ms", "dr", "sen", "rep", "gov", "president", "senator", "secretary", "judge", "mayor"}


def family(label: str) -> str:
    return FAMILY.get(label, label)


def _key(name: str) -> str:
    return re.sub(r"\s+", " ", name.strip().lower())


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def register(conn: sqlite3.Connection, entities: list[Entity], quotes: list[Quote] | None = None) -> dict[str, str]:
    """Registry ids for a document's entities (doc-local id -> registry id), creating entries
    for names never seen. Runs inside the caller's transaction.

    A person the document names only by surname ("Obama", no "Barack Obama" in it) joins the one
    full-name person of that surname who dominates the collection; the document's `quotes` of
    that speaker then show the full name, with `resolved_by` "collection" (undo: `--split`).
    Ambiguous surnames stay as they are."""
    ids = {}
    for entity in entities:
        if entity.label not in REGISTERED:
            continue
        if entity.label == "PERSON":
            found = _register_person(conn, entity)
        else:
            found = _register_other(conn, entity)
        ids[entity.id] = found
    if quotes:
        _name_speakers(conn, entities, quotes, ids)
    return ids


def _register_other(conn, entity: Entity) -> str:
    names = [entity.name, *entity.aliases]
    fam = family(entity.label)
    found = None
    for name in names:
        row = conn.execute("SELECT registry_id FROM registry_names WHERE key = ? AND label = ?",
                           (_key(name), fam)).fetchone()
        if row:
            found = row[0]
            break
    if found is None and entity.label == "ORG":
        found = _known_person(conn, names)
    if found is None:
        found = _create(conn, entity.name, entity.label)
    conn.executemany("INSERT OR IGNORE INTO registry_names(key, label, registry_id) VALUES (?, ?, ?)",
                     [(_key(n), fam, found) for n in names])
    return found


def _register_person(conn, entity: Entity) -> str:
    """A full name is found by its full names only (never by a bare surname it shares with a
    relative); a bare surname by the dominant full name of the collection, else by itself."""
    full = [n for n in [entity.name, *entity.aliases] if _is_full(n)]
    single = [n for n in [entity.name, *entity.aliases] if not _is_full(n)]
    found = None
    for name in full or single:
        row = conn.execute("SELECT registry_id FROM registry_names WHERE key = ? AND label = 'PERSON'",
                           (_key(name),)).fetchone()
        if row:
            found = row[0]
            break
    if found is None and full:
        found = _same_but_initials(conn, full)
    if found is None and not full and single:
        found = dominant_person(conn, _surname(single[0]))
    if found is None:
        found = _create(conn, entity.name, entity.label)
    keys = [_key(n) for n in (full or single)] + [_without_initials(n) for n in full]
    conn.executemany("INSERT OR IGNORE INTO registry_names(key, label, registry_id) VALUES (?, 'PERSON', ?)",
                     [(k, found) for k in dict.fromkeys(keys)])
    if full:
        surname = _surname(full[0])
        conn.execute("INSERT OR IGNORE INTO registry_names(key, label, registry_id) VALUES (?, ?, ?)",
                     (f"{surname}{SEP}{found}", SURNAME, found))
        _absorb_bare_surname(conn, surname, found)
        for name in full:
            _absorb_as_person(conn, name, found)
    return found


def _without_initials(name: str) -> str:
    """The key of a full name without its middle initials: "Donald J. Trump" -> "donald trump"."""
    words = name.split()
    return _key(" ".join([words[0], *[w for w in words[1:-1] if not _INITIAL.fullmatch(w)], words[-1]]))


_INITIAL = re.compile(r"[A-Z]\.?")


def _initials(name: str) -> set[str]:
    return {w.rstrip(".") for w in name.split()[1:-1] if _INITIAL.fullmatch(w)}


def _same_but_initials(conn, full: list[str]) -> str | None:
    """The person a full name differs from only by a middle initial the other leaves out
    ("Donald J. Trump" and "Donald Trump"); two different initials ("John A. Smith", "John B.
    Smith") are two people."""
    for name in full:
        row = conn.execute("SELECT n.registry_id, r.name FROM registry_names n JOIN registry r ON r.id = n.registry_id"
                           " WHERE n.key = ? AND n.label = 'PERSON'", (_without_initials(name),)).fetchone()
        if row and (not _initials(row[1]) or not _initials(name) or _initials(row[1]) == _initials(name)):
            return row[0]
    return None


def _known_person(conn, names: list[str]) -> str | None:
    """The registered person whose full name an entity the model tagged as an organisation has
    ("Donald Trump" tagged ORG in one article): a person's full name is that person."""
    for name in names:
        if _is_full(name):
            row = conn.execute("SELECT registry_id FROM registry_names WHERE key = ? AND label = 'PERSON'",
                               (_key(name),)).fetchone()
            if row:
                return row[0]
    return None


def _absorb_as_person(conn, name: str, person_id: str) -> None:
    """An organisation entry made earlier under this person's full name (the model tagged the
    person ORG in an earlier article) joins the person, recorded as a merge by the collection."""
    row = conn.execute("SELECT registry_id FROM registry_names WHERE key = ? AND label = 'ORG'",
                       (_key(name),)).fetchone()
    if row is None or row[0] == person_id:
        return
    _move(conn, row[0], person_id)
    conn.execute("UPDATE quotes SET speaker_type = 'person' WHERE speaker_registry_id = ? AND speaker_type = 'organisation'",
                 (person_id,))
    conn.execute("INSERT INTO registry_changes(action, from_id, into_id, name, changed_by, changed_at)"
                 " VALUES ('merge', ?, ?, ?, 'sayso (collection)', ?)", (row[0], person_id, name, _now()))


def _move(conn, source: str, into: str) -> None:
    """Every name, document entity and quote of registry entry `source` goes to `into`."""
    conn.execute("UPDATE OR IGNORE registry_names SET registry_id = ? WHERE registry_id = ?", (into, source))
    conn.execute("DELETE FROM registry_names WHERE registry_id = ?", (source,))
    conn.execute("UPDATE entities SET registry_id = ? WHERE registry_id = ?", (into, source))
    conn.execute("UPDATE quotes SET speaker_registry_id = ? WHERE speaker_registry_id = ?", (into, source))
    conn.execute("DELETE FROM registry WHERE id = ?", (source,))


def _is_full(name: str) -> bool:
    """A person's full name: two or more capitalised words besides titles, and nothing a name
    never holds (a handle, a hashtag, a digit, a slash: "@handle Twitter" is no full name)."""
    if re.search(r"[@#/\d]", name):
        return False
    words = [w for w in name.split() if w.lower().rstrip(".") not in _TITLES]
    return len(words) >= 2 and all(w[:1].isupper() or not w[:1].isalpha() for w in words)


def _surname(name: str) -> str:
    return _key(name.split()[-1]).strip(".,")


def dominant_person(conn, surname: str) -> str | None:
    """The registry id of the full-name person who holds at least DOMINANT_SHARE of the
    documents naming anyone of this surname, if there is one."""
    rows = conn.execute("SELECT registry_id FROM registry_names WHERE label = ? AND key >= ? AND key < ?",
                        (SURNAME, surname + SEP, surname + chr(ord(SEP) + 1))).fetchall()
    ids = {r[0] for r in rows}
    if not ids:
        return None
    docs = {i: conn.execute("SELECT COUNT(DISTINCT doc_id) FROM entities WHERE registry_id = ?", (i,)).fetchone()[0]
            for i in ids}
    best = max(docs, key=docs.get)
    total = sum(docs.values())
    return best if len(ids) == 1 or total and docs[best] / total >= DOMINANT_SHARE else None


def _absorb_bare_surname(conn, surname: str, full_id: str) -> None:
    """An entry made earlier for a bare surname ("Obama") joins the full name now that one
    dominates; its stored quotes show the full name, marked as found from the collection."""
    row = conn.execute("SELECT n.registry_id, r.name FROM registry_names n JOIN registry r ON r.id = n.registry_id"
                       " WHERE n.key = ? AND n.label = 'PERSON'", (surname,)).fetchone()
    if row is None or row[0] == full_id or _is_full(row[1]) or dominant_person(conn, surname) != full_id:
        return
    bare = row[0]
    full_name = conn.execute("SELECT name FROM registry WHERE id = ?", (full_id,)).fetchone()[0]
    conn.execute("UPDATE quotes SET speaker_name = ?, speaker_resolved_by = 'collection' WHERE speaker_registry_id = ?",
                 (full_name, bare))
    _move(conn, bare, full_id)
    conn.execute("INSERT INTO registry_changes(action, from_id, into_id, name, changed_by, changed_at)"
                 " VALUES ('merge', ?, ?, ?, 'sayso (collection)', ?)", (bare, full_id, row[1], _now()))


def _name_speakers(conn, entities: list[Entity], quotes: list[Quote], ids: dict[str, str]) -> None:
    """Quotes whose speaker is a bare surname linked to a full-name entry show that full name."""
    by_id = {e.id: e for e in entities}
    for quote in quotes:
        speaker = quote.speaker
        entity = by_id.get(speaker.entity_id) if speaker.entity_id else None
        if entity is None or entity.label != "PERSON" or not speaker.name or _is_full(speaker.name):
            continue
        row = conn.execute("SELECT name FROM registry WHERE id = ?", (ids.get(entity.id),)).fetchone()
        if row and _is_full(row[0]) and _surname(row[0]) == _surname(speaker.name):
            speaker.name = row[0]
            speaker.resolved_by = "collection"
            if quote.confidence is not None:  # a name inferred from other documents is less sure
                quote.confidence = round(quote.confidence * COLLECTION_FACTOR, 2)


def _create(conn, name: str, label: str) -> str:
    found = _new_id(conn)
    conn.execute("INSERT INTO registry(id, name, label, created_at) VALUES (?, ?, ?, ?)", (found, name, label, _now()))
    return found


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
        _move(conn, other, into)
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
        # quotes that showed the full name only because the collection supplied it go back
        conn.execute("UPDATE quotes SET speaker_registry_id = ?, speaker_name = ?, speaker_resolved_by = 'split'"
                     " WHERE speaker_registry_id = ? AND speaker_resolved_by = 'collection' AND EXISTS (SELECT 1"
                     " FROM entities e WHERE e.doc_id = quotes.doc_id AND e.id = quotes.speaker_entity_id"
                     " AND e.registry_id = ?)", (new, name, source, new))
        conn.execute("INSERT INTO registry_changes(action, from_id, into_id, name, changed_by, changed_at)"
                     " VALUES ('split', ?, ?, ?, ?, ?)", (source, new, name, who or getpass.getuser(), _now()))
    return new


def listing(conn, label: str | None = None) -> list[dict]:
    """Every registry entity with its documents and its quotes (those a reviewer rejected left out)."""
    from .lists import NOT_REJECTED, reviewable

    reviewable(conn)
    sql = ("SELECT r.id, r.name, r.label,"
           " (SELECT COUNT(DISTINCT e.doc_id) FROM entities e WHERE e.registry_id = r.id) AS documents,"
           f" (SELECT COUNT(*) FROM quotes q WHERE q.speaker_registry_id = r.id AND {NOT_REJECTED}) AS quotes,"
           " (SELECT GROUP_CONCAT(key, ', ') FROM registry_names n WHERE n.registry_id = r.id AND n.label != 'SURNAME') AS names"
           " FROM registry r")
    args = []
    if label:
        sql += " WHERE r.label = ?"
        args.append(label)
    sql += " ORDER BY documents DESC, quotes DESC, r.name"
    return [dict(row) for row in conn.execute(sql, args)]
