"""Read queries for browsing a collection (the web pages and the REST API): filtered, paged,
and safe with any user input."""
from __future__ import annotations

import json
import sqlite3

from ..model import parts_from_json
from . import lists
from .summary import MACHINE, MATRIX_SQL, REVIEWED, Summary, decisions, speaker_key

MAX_PAGE = 200


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
           date_to=None, q=None, doc=None, limit: int = 50, offset: int = 0, after: str | None = None) -> list[dict]:
    """Quotes matching every filter given, in document order, as the quote list reads them
    (sayso.store.lists); `q` is full text (never FTS syntax); `after` where the page before
    ended (`quote_after`)."""
    given = dict(speaker=speaker, role=role, org=org, kind=kind, theme=theme, place=place, date_from=date_from,
                 date_to=date_to, q=q, doc=doc, after=after)
    return _with_parts(lists.rows(conn, lists.QUOTES, {k: v for k, v in given.items() if v},
                                  min(max(limit, 1), MAX_PAGE), max(offset, 0)))


def _with_parts(rows: list[dict]) -> list[dict]:
    """Quote rows with their `parts` as a list of [start, end] pairs, not the stored JSON."""
    for row in rows:
        if "parts" in row:
            row["parts"] = parts_from_json(row["parts"])
    return rows


def quote_after(conn, row: dict) -> str | None:
    """Where a page of quotes ending with `row` ends, for the next page's `after`."""
    return lists.QUOTES.keyset.of(conn, row)


def speaker(conn, name: str, limit: int = 200) -> dict | None:
    """A speaker by registry id or name: the quotes across documents, roles, organisations."""
    entity = conn.execute("SELECT id, name, label FROM registry WHERE id = ?", (name,)).fetchone()
    column, arg, display = ("speaker_registry_id", entity["id"], entity["name"]) if entity is not None else \
        ("speaker_name", name, name)
    # the reviewed speaker, among the quotes the machine gave them (by index) and those reviewed
    where = f"q.{column} = ? AND q.quote_rowid IN (SELECT rowid FROM quotes WHERE {column} = ? UNION {lists.DECIDED})"
    arg = (arg, arg)
    rows = [dict(r) for r in conn.execute(
        "SELECT q.doc_id, q.id, q.start, q.\"end\", q.text, q.parts, q.kind, q.cue, q.speaker_mention, q.speaker_role,"
        " q.speaker_org, q.speaker_descriptor, d.title AS doc_title FROM reviewed_quotes q JOIN documents d ON d.id = q.doc_id"
        f" WHERE {where} AND q.review_status <> 'rejected' ORDER BY d.rowid, q.start LIMIT ?", (*arg, min(limit, MAX_PAGE)))]
    if not rows and entity is None:
        return None
    total = conn.execute("SELECT COUNT(*), COUNT(DISTINCT q.doc_id) FROM reviewed_quotes q"
                         f" WHERE {where} AND q.review_status <> 'rejected'", arg).fetchone()
    themes = _quote_themes(conn, rows)
    return {"name": display, "entity_id": entity["id"] if entity else None,
            "roles": _most_said(conn, "speaker_role", where, arg, display, total[0]),
            "orgs": _most_said(conn, "speaker_org", where, arg, display, total[0]),
            "documents": len({r["doc_id"] for r in rows}), "quotes": _with_parts(rows),
            "total_quotes": total[0], "total_documents": total[1],
            "named_in": conn.execute("SELECT COUNT(DISTINCT doc_id) FROM entities WHERE registry_id = ?",
                                     (entity["id"],)).fetchone()[0] if entity else None,
            "themes": themes}


def _quote_themes(conn, rows: list[dict]) -> list[dict]:
    """Set each quote row's `themes` (the codes with evidence inside it); the codes with their
    quotes, the most frequent first."""
    by_document: dict[str, list[dict]] = {}
    for r in rows:
        r["themes"] = []
        by_document.setdefault(r["doc_id"], []).append(r)
    themes: dict[str, dict] = {}
    documents = sorted(by_document)
    for t in conn.execute(f"SELECT doc_id, code, label, evidence FROM themes WHERE doc_id IN ({','.join('?' * len(documents))})"
                          " ORDER BY rowid", documents):
        spans = [(e["start"], e["end"]) for e in json.loads(t["evidence"])]
        for r in by_document[t["doc_id"]]:
            if t["code"] not in r["themes"] and any(r["start"] <= a and b <= r["end"] for a, b in spans):
                r["themes"].append(t["code"])
                themes.setdefault(t["code"], {"code": t["code"], "label": t["label"], "quotes": 0})["quotes"] += 1
    return sorted(themes.values(), key=lambda t: -t["quotes"])


def _most_said(conn, column: str, where: str, args: tuple, name: str, quotes: int, top: int = 5) -> list[str]:
    """A speaker's roles (or organisations) over all their quotes, the most frequent first: those
    at least one in twenty of their quotes give (a role one article gave a much-quoted speaker is
    that article's, not theirs), and no word of their own name ("trump" of "the Trump campaign")."""
    own = {w.lower() for w in name.split()}
    enough = max(1, quotes / 20)
    rows = conn.execute(f"SELECT q.{column}, COUNT(*) AS n FROM reviewed_quotes q WHERE {where}"
                        f" AND q.review_status <> 'rejected' AND q.{column} IS NOT NULL"
                        f" GROUP BY q.{column} ORDER BY n DESC, q.{column}", args).fetchall()
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
        args = [lists.like(speaker), lists.like(speaker)]
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
