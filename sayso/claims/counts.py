"""Counts as claims: the same count found in several documents is one group, with every
figure, who gave it (the speaker of the quote it is said in, else the outlet, whose reporter
states it) and whether the figures disagree ("more than 100" beside "120"). The same count is
the same counted thing (head noun, singular) and event (a count tied to no event describes, it
does not claim, and is left out), reported within WINDOW of the group's first report, with a
figure within a factor RATIO of the first (2 candidates and 14 candidates are not one count),
and not placed in other countries (the places named within NEAR characters of each count: "12
killed" in Brazil and "15 killed" in Japan are two counts)."""
from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import date, timedelta

WINDOW = timedelta(days=7)  # counts of one thing reported further apart are different counts
RATIO = 2.0
NEAR = 300  # characters around a count in which the places named are its places
IRREGULAR = {"people": "person", "men": "man", "women": "woman", "children": "child", "police": "police"}


def count_rows(conn: sqlite3.Connection) -> list[dict]:
    rows = conn.execute('SELECT c.doc_id, c.id, c.number, c.upper, c.qualifier, c.object, c.event, c.claimed_by,'
                        ' c.implied, c.text, c.start, c."end" FROM counts c JOIN documents d ON d.id = c.doc_id'
                        " ORDER BY d.rowid, c.start").fetchall()
    return [{**dict(r), "number": _plain(r["number"]), "upper": _plain(r["upper"]), "implied": bool(r["implied"])}
            for r in rows]


def _plain(value):
    return int(value) if value is not None and value == int(value) else value


def lemma(noun: str | None) -> str:
    """The counted thing's head word, singular: "civilians" -> "civilian", "people" -> "person"."""
    word = (noun or "").split()[-1].lower() if noun else ""
    if word in IRREGULAR:
        return IRREGULAR[word]
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("ches", "shes", "sses", "xes")):
        return word[:-2]
    if word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def figure(number, upper, qualifier) -> str:
    text = f"{_plain(number)}" + (f" to {_plain(upper)}" if upper is not None else "")
    return f"{qualifier} {text}" if qualifier and not qualifier.endswith(" of") else (
        qualifier.removesuffix(" of") if qualifier else text)


def _day(value: str | None) -> date | None:
    try:
        return date.fromisoformat((value or "")[:10])
    except ValueError:
        return None


def count_groups(conn: sqlite3.Connection, min_documents: int = 2) -> Iterator[dict]:
    """Groups of counts of the same thing from at least min_documents documents (wire copies of
    one story are one document), by object."""
    rows = conn.execute('SELECT c.doc_id, c.id, c.number, c.upper, c.qualifier, c.object, c.event, c.claimed_by,'
                        " c.text, d.date, d.source, d.rowid AS ingest, COALESCE(w.wire_group, d.id) AS story"
                        " FROM counts c JOIN documents d ON d.id = c.doc_id LEFT JOIN wire_groups w ON w.doc_id = d.id"
                        " WHERE c.event IS NOT NULL ORDER BY d.rowid, c.start").fetchall()
    countries = _countries_near(conn)
    by_thing: dict[tuple, list] = {}
    for row in rows:
        row = {**dict(row), "countries": countries.get((row["doc_id"], row["id"]), set())}
        by_thing.setdefault((lemma(row["object"]), row["event"]), []).append(row)
    for (thing, event), found in sorted(by_thing.items()):
        for group in _same_count(found):
            if len({r["story"] for r in group}) >= min_documents:  # a wire story reprinted counts once
                yield _describe(thing, event, group)


def _same_count(rows: list) -> list[list]:
    """Counts of one thing split into reports of one count: near in time, similar figures."""
    ordered = sorted(rows, key=lambda r: (_day(r["date"]) or date.max, r["ingest"]))
    groups: list[list] = []
    for row in ordered:
        day = _day(row["date"])
        home = next((g for g in groups if _near(g[0], row, day)), None)
        if home is None:
            groups.append([row])
        else:
            home.append(row)
    return groups


def _countries_near(conn: sqlite3.Connection) -> dict[tuple[str, str], set[str]]:
    """The countries of the places named near each count with an event, by (doc_id, count id)."""
    found: dict[tuple[str, str], set[str]] = {}
    for doc_id, count_id, country in conn.execute(
            "SELECT DISTINCT c.doc_id, c.id, p.country FROM counts c JOIN mentions m ON m.doc_id = c.doc_id"
            " AND m.fact_table = 'places' AND m.start >= c.start - ? AND m.start <= c.\"end\" + ?"
            " JOIN places p ON p.doc_id = m.doc_id AND p.id = m.fact_id"
            " WHERE c.event IS NOT NULL AND p.country IS NOT NULL", (NEAR, NEAR)):
        found.setdefault((doc_id, count_id), set()).add(country)
    return found


def _near(first, row, day) -> bool:
    if first["countries"] and row["countries"] and not first["countries"] & row["countries"]:
        return False  # placed in different countries
    start = _day(first["date"])
    if (start is None) != (day is None) or start is not None and day - start > WINDOW:
        return False
    low, high = sorted((abs(first["number"]) or 1, abs(row["number"]) or 1))
    return high / low <= RATIO


def _describe(thing: str, event: str, rows: list) -> dict:
    figures = [{"doc": r["doc_id"], "count_id": r["id"], "date": r["date"], "source": r["source"],
                "figure": figure(r["number"], r["upper"], r["qualifier"]), "number": _plain(r["number"]),
                "upper": _plain(r["upper"]), "qualifier": r["qualifier"],
                "claimed_by": r["claimed_by"] or r["source"] or r["doc_id"], "text": r["text"]} for r in rows]
    values = {(f["number"], f["upper"]) for f in figures}
    return {"object": thing, "event": event or None, "dates": [r["date"] for r in rows],
            "documents": len({r["doc_id"] for r in rows}), "figures": figures, "disagree": len(values) > 1}
