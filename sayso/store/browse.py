"""Read queries for browsing a collection (the web pages and the REST API): filtered, paged,
and safe with any user input."""
from __future__ import annotations

import json
import re
import sqlite3

from .db import fts_query
from .summary import MACHINE, MATRIX_SQL, REVIEWED, Summary, decisions, speaker_key

MAX_PAGE = 200


def _like(text: str) -> str:
    return "%" + re.sub(r"([%_\\])", r"\\\1", text) + "%"


def overview(conn: sqlite3.Connection, summary: Summary | None = None) -> dict:
    """Totals, top speakers and places, and themes by documents (from `summary`, kept up to date)."""
    return (summary or Summary()).refresh(conn).overview()


def codebooks(conn) -> list[dict]:
    """The codebooks the collection's runs coded themes with: name and scope, newest first."""
    return [dict(r) for r in conn.execute(
        "SELECT json_extract(settings, '$.codebook_name') AS name, json_extract(settings, '$.codebook_scope') AS scope"
        " FROM runs WHERE json_extract(settings, '$.codebook_name') IS NOT NULL"
        " GROUP BY name, scope ORDER BY MAX(id) DESC")]


def documents(conn, limit: int = 50, offset: int = 0) -> list[dict]:
    return [dict(r) for r in conn.execute(
        "SELECT d.id, d.title, d.date, d.source, (SELECT COUNT(*) FROM reviewed_quotes q WHERE q.doc_id = d.id AND q.review_status <> 'rejected') AS quotes"
        " FROM documents d ORDER BY d.rowid LIMIT ? OFFSET ?", (min(limit, MAX_PAGE), offset))]


def quotes(conn, speaker=None, role=None, org=None, kind=None, theme=None, place=None, date_from=None,
           date_to=None, q=None, doc=None, limit: int = 50, offset: int = 0) -> list[dict]:
    """Quotes matching every filter given; `q` is full text (never FTS syntax)."""
    sql = ["SELECT q.doc_id, q.id, q.start, q.\"end\", q.text, q.kind, q.cue, q.speaker_name, q.speaker_mention,"
           " q.speaker_descriptor, q.speaker_role, q.speaker_org, q.speaker_registry_id, q.nested_in,"
           " d.title AS doc_title, d.date AS doc_date FROM reviewed_quotes q JOIN documents d ON d.id = q.doc_id"
           " WHERE q.review_status <> 'rejected'"]
    like = " LIKE ? ESCAPE '\\'"
    filters = [  # (condition, value): a condition is added when its value is given
        (" AND q.speaker_name" + like, speaker and _like(speaker)),
        (" AND q.speaker_role" + like, role and _like(role)),
        (" AND q.speaker_org" + like, org and _like(org)),
        (" AND q.kind = ?", kind), (" AND q.doc_id = ?", doc),
        (" AND d.date >= ?", date_from), (" AND d.date <= ?", date_to),
        (" AND EXISTS (SELECT 1 FROM places p JOIN mentions m ON m.doc_id = p.doc_id AND m.fact_table = 'places'"
         " AND m.fact_id = p.id WHERE p.doc_id = q.doc_id AND p.name" + like +
         " AND m.start >= q.start AND m.\"end\" <= q.\"end\")", place and _like(place)),
        (" AND EXISTS (SELECT 1 FROM themes t, json_each(t.evidence) e WHERE t.doc_id = q.doc_id"
         " AND t.code = ? AND json_extract(e.value, '$.start') >= q.start"
         " AND json_extract(e.value, '$.end') <= q.\"end\")", theme),
    ]
    sql += [condition for condition, value in filters if value]
    args: list = [value for _, value in filters if value]
    if q:
        match = fts_query(q)
        if match is None:
            return []
        sql.append(" AND q.quote_rowid IN (SELECT rowid FROM quotes_fts WHERE quotes_fts MATCH ?)")
        args.append(match)
    sql.append(" ORDER BY d.rowid, q.start LIMIT ? OFFSET ?")
    args += [min(max(limit, 1), MAX_PAGE), max(offset, 0)]
    return [dict(r) for r in conn.execute("".join(sql), args)]


def speaker(conn, name: str, limit: int = 200) -> dict | None:
    """A speaker by registry id or name: the quotes across documents, roles, organisations."""
    entity = conn.execute("SELECT id, name, label FROM registry WHERE id = ?", (name,)).fetchone()
    if entity is not None:
        where, arg, display = "q.speaker_registry_id = ?", entity["id"], entity["name"]
    else:
        where, arg, display = "q.speaker_name = ?", name, name
    rows = [dict(r) for r in conn.execute(
        "SELECT q.doc_id, q.id, q.start, q.\"end\", q.text, q.kind, q.cue, q.speaker_mention, q.speaker_role,"
        " q.speaker_org, q.speaker_descriptor, d.title AS doc_title FROM reviewed_quotes q JOIN documents d ON d.id = q.doc_id"
        f" WHERE {where} AND q.review_status <> 'rejected' ORDER BY d.rowid, q.start LIMIT ?", (arg, min(limit, MAX_PAGE)))]
    if not rows and entity is None:
        return None
    total = conn.execute("SELECT COUNT(*), COUNT(DISTINCT q.doc_id) FROM reviewed_quotes q"
                         f" WHERE {where} AND q.review_status <> 'rejected'", (arg,)).fetchone()
    themes: dict[str, dict] = {}
    for r in rows:
        r["themes"] = []
    by_quote = {(r["doc_id"], r["id"]): r for r in rows}
    docs = sorted({r["doc_id"] for r in rows})
    marks = ",".join("?" * len(docs))
    for t in conn.execute(
            "SELECT DISTINCT q.doc_id, q.id, t.code, t.label FROM themes t JOIN json_each(t.evidence) e"
            " JOIN reviewed_quotes q ON q.doc_id = t.doc_id AND q.review_status <> 'rejected' AND q.start <= json_extract(e.value, '$.start')"
            f" AND json_extract(e.value, '$.end') <= q.\"end\" WHERE t.doc_id IN ({marks}) ORDER BY t.rowid", docs):
        row = by_quote.get((t["doc_id"], t["id"]))
        if row is not None and t["code"] not in row["themes"]:
            row["themes"].append(t["code"])
            themes.setdefault(t["code"], {"code": t["code"], "label": t["label"], "quotes": 0})["quotes"] += 1
    return {"name": display, "entity_id": entity["id"] if entity else None,
            "roles": _most_said(conn, "speaker_role", where, arg, display, total[0]),
            "orgs": _most_said(conn, "speaker_org", where, arg, display, total[0]),
            "documents": len({r["doc_id"] for r in rows}), "quotes": rows,
            "total_quotes": total[0], "total_documents": total[1],
            "named_in": conn.execute("SELECT COUNT(DISTINCT doc_id) FROM entities WHERE registry_id = ?",
                                     (entity["id"],)).fetchone()[0] if entity else None,
            "themes": sorted(themes.values(), key=lambda t: -t["quotes"])}


def _most_said(conn, column: str, where: str, arg, name: str, quotes: int, top: int = 5) -> list[str]:
    """A speaker's roles (or organisations) over all their quotes, the most frequent first: those
    at least one in twenty of their quotes give (a role one article gave a much-quoted speaker is
    that article's, not theirs), and no word of their own name ("trump" of "the Trump campaign")."""
    own = {w.lower() for w in name.split()}
    enough = max(1, quotes / 20)
    rows = conn.execute(f"SELECT q.{column}, COUNT(*) AS n FROM reviewed_quotes q WHERE {where}"
                        f" AND q.review_status <> 'rejected' AND q.{column} IS NOT NULL"
                        f" GROUP BY q.{column} ORDER BY n DESC, q.{column}", (arg,)).fetchall()
    return [value for value, n in rows if value.lower() not in own and n >= enough][:top]


def places(conn, limit: int = 500, summary: Summary | None = None) -> list[dict]:
    """Resolved places by mentions; one row per GeoNames place (or per name and country)."""
    return (summary or Summary()).refresh(conn).places(min(limit, 5000))


def table(conn, name: str, limit: int = 50, offset: int = 0) -> list[dict]:
    """Rows of one fact table (entities, counts, themes, corrections) for the API."""
    sql = {"entities": "SELECT id, name, label, (SELECT COUNT(DISTINCT doc_id) FROM entities e WHERE e.registry_id = r.id)"
                       " AS documents FROM registry r ORDER BY documents DESC, name",
           "counts": "SELECT doc_id, id, number, qualifier, object, text, start, \"end\", event, upper, quote_id, claimed_by FROM counts ORDER BY rowid",
           "themes": "SELECT doc_id, id, code, label, score, evidence FROM themes ORDER BY rowid",
           "corrections": "SELECT doc_id, id, text, start, \"end\", wrong, \"right\", subject, claim_start, claim_end,"
                          " claim_says FROM corrections ORDER BY rowid"}[name]
    rows = [dict(r) for r in conn.execute(f"{sql} LIMIT ? OFFSET ?", (min(limit, MAX_PAGE), max(offset, 0)))]
    for r in rows:
        if "evidence" in r:
            r["evidence"] = json.loads(r["evidence"])
    return rows


def theme_matrix(conn, codes=(), speaker: str | None = None) -> dict:
    """Speakers x codes: how many of each speaker's quotes carry each code (a code whose evidence
    lies inside the quote). Speakers are named by the entity registry, so merged names share a row;
    `codes` keeps those columns only, `speaker` the speakers whose name or mention contains it.
    Rows come sorted by name (the web's matrix, sorted by total, is `Summary.matrix`)."""
    where, args = "", []
    if speaker:
        where = (" AND (COALESCE((SELECT name FROM registry r WHERE r.id = q.speaker_registry_id), q.speaker_name)"
                 " LIKE ? ESCAPE '\\' OR q.speaker_mention LIKE ? ESCAPE '\\')")
        args = [_like(speaker), _like(speaker)]
    if codes:
        where += f" AND t.code IN ({','.join('?' * len(codes))})"
        args += list(codes)
    summary = Summary()
    source = REVIEWED if decisions(conn) else MACHINE
    for r in conn.execute(MATRIX_SQL.format(docs="SELECT id FROM documents", where=where, **source), args):
        key = speaker_key(r["rid"], r["name"])
        summary.names.setdefault(key, r["name"])
        summary.cells[key][r["code"]] += r["n"]
        summary.labels[r["code"]] = r["label"]
    summary._name_entities(conn, sorted(k[1] for k in summary.cells if k[0] == "entity"))
    cells: dict[str, dict[str, int]] = {}
    for key, row in summary.cells.items():
        merged = cells.setdefault(summary.names[key], {})
        for code, n in row.items():
            merged[code] = merged.get(code, 0) + n
    return {"codes": [{"code": c, "label": summary.labels[c]} for c in sorted(summary.labels)],
            "rows": [{"speaker": s, "cells": cells[s]} for s in sorted(cells)]}
