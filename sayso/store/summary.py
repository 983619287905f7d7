"""Collection-wide figures (the overview, the theme x speaker matrix, the places of the map) kept
in memory and brought up to date from the documents added since they were last counted, so that
no request of a running server does full-table work, even while an ingest writes.

Documents are only appended (rowid grows), so the figures of new documents add to the old ones.
A merge or split in the entity registry or a deleted document makes the next call count afresh."""
from __future__ import annotations

import threading
from collections import Counter, defaultdict

# The documents counted in one step: `doc_id IN (...)` of rowids (lo, hi].
_NEW_DOCS = "SELECT id FROM documents WHERE rowid > ? AND rowid <= ?"
_SPEAKER_KEY = "COALESCE(q.speaker_registry_id, q.speaker_name), q.speaker_registry_id IS NULL"
MATRIX_SQL = (
    "SELECT q.speaker_registry_id AS rid, q.speaker_name AS name, t.code, t.label,"
    " COUNT(DISTINCT t.rowid || ':' || q.rowid) AS n"
    " FROM themes t JOIN json_each(t.evidence) e JOIN quotes q ON q.doc_id = t.doc_id"
    " AND q.start <= json_extract(e.value, '$.start') AND json_extract(e.value, '$.end') <= q.\"end\""
    " WHERE q.speaker_name IS NOT NULL AND t.doc_id IN ({docs}){where}"
    f" GROUP BY {_SPEAKER_KEY}, t.code")


def speaker_key(registry_id: str | None, name: str) -> tuple[str, str]:
    """A speaker across documents: its registry entity where it resolved to one, else its name."""
    return ("entity", registry_id) if registry_id else ("name", name)


def place_key(geonames_id, name: str, country: str | None):
    """Places with the same name in different countries are different places."""
    return ("geonames", geonames_id) if geonames_id else ("name", name, country or "")


class Summary:
    """The figures of one store; `refresh(conn)` before reading them (thread-safe)."""

    def __init__(self):
        self._lock = threading.Lock()
        self._reset()

    def _reset(self) -> None:
        self.counted_to = 0  # highest documents.rowid whose figures are in
        self.registry_changes = 0
        self.documents = self.quotes = 0
        self.speaker_quotes: Counter = Counter()
        self.speaker_documents: Counter = Counter()
        self.names: dict[tuple, str] = {}
        self.theme_documents: Counter = Counter()
        self.labels: dict[str, str] = {}
        self.cells: dict[tuple, Counter] = defaultdict(Counter)
        self.place_mentions: Counter = Counter()
        self.place_documents: Counter = Counter()
        self.place_rows: dict[tuple, dict] = {}
        self.kinds: Counter = Counter()
        self.outlets: Counter = Counter()  # quotes by documents.source
        self.months: Counter = Counter()  # quotes by YYYY-MM of the document's date
        self.theme_quotes: Counter = Counter()
        self.place_quotes: Counter = Counter()  # by (name, country): quotes that mention the place
        self.weeks: dict[str, Counter] = {"outlet": Counter(), "theme": Counter(), "speaker": Counter(), "all": Counter()}

    def refresh(self, conn) -> "Summary":
        with self._lock:
            top = conn.execute("SELECT COALESCE(MAX(rowid), 0) FROM documents").fetchone()[0]
            changes = conn.execute("SELECT COALESCE(MAX(id), 0) FROM registry_changes").fetchone()[0]
            kept = conn.execute("SELECT COUNT(*) FROM documents WHERE rowid <= ?", (self.counted_to,)).fetchone()[0]
            if changes != self.registry_changes or kept != self.documents or top < self.counted_to:
                self._reset()
                self.registry_changes = changes
            if top > self.counted_to:
                self._add(conn, self.counted_to, top)
                self.counted_to = top
        return self

    def _add(self, conn, lo: int, hi: int) -> None:
        docs = _NEW_DOCS
        one = lambda sql: conn.execute(sql.format(docs=docs), (lo, hi)).fetchone()[0]
        self.documents += one("SELECT COUNT(*) FROM documents WHERE rowid > ? AND rowid <= ?")
        self.quotes += one("SELECT COUNT(*) FROM quotes WHERE doc_id IN ({docs})")
        entities = set()
        for r in conn.execute(
                "SELECT q.speaker_registry_id AS rid, q.speaker_name AS name, COUNT(*) AS n,"
                f" COUNT(DISTINCT q.doc_id) AS d FROM quotes q WHERE q.speaker_name IS NOT NULL"
                f" AND q.doc_id IN ({docs}) GROUP BY {_SPEAKER_KEY}", (lo, hi)):
            key = speaker_key(r["rid"], r["name"])
            self.speaker_quotes[key] += r["n"]
            self.speaker_documents[key] += r["d"]
            self.names.setdefault(key, r["name"])
            if r["rid"]:
                entities.add(r["rid"])
        for r in conn.execute(f"SELECT code, label, COUNT(DISTINCT doc_id) AS d FROM themes WHERE doc_id IN ({docs})"
                              " GROUP BY code", (lo, hi)):
            self.theme_documents[r["code"]] += r["d"]
            self.labels[r["code"]] = r["label"]
        for r in conn.execute(MATRIX_SQL.format(docs=docs, where=""), (lo, hi)):
            self.cells[speaker_key(r["rid"], r["name"])][r["code"]] += r["n"]
        self._add_places(conn, docs, lo, hi)
        self._add_facets(conn, docs, lo, hi)
        self._name_entities(conn, sorted(entities))

    def _add_facets(self, conn, docs: str, lo: int, hi: int) -> None:
        rows = lambda sql: conn.execute(sql.format(docs=docs), (lo, hi))
        for r in rows("SELECT kind, COUNT(*) FROM quotes WHERE doc_id IN ({docs}) GROUP BY kind"):
            self.kinds[r[0]] += r[1]
        week = "date(d.date, '-6 days', 'weekday 1')"
        for r in rows(f"SELECT d.source, substr(d.date, 1, 7), {week}, COUNT(*) FROM quotes q JOIN documents d"
                      " ON d.id = q.doc_id WHERE d.rowid > ? AND d.rowid <= ? GROUP BY 1, 2, 3"):
            if r[0]:
                self.outlets[r[0]] += r[3]
            if r[1]:
                self.months[r[1]] += r[3]
            if r[2]:
                self.weeks["all"][r[2]] += r[3]
                if r[0]:
                    self.weeks["outlet"][(r[2], r[0])] += r[3]
        for r in rows(f"SELECT {week}, q.speaker_registry_id, q.speaker_name, COUNT(*) FROM quotes q"
                      " JOIN documents d ON d.id = q.doc_id WHERE d.rowid > ? AND d.rowid <= ?"
                      f" AND q.speaker_name IS NOT NULL AND d.date IS NOT NULL GROUP BY 1, {_SPEAKER_KEY}"):
            if r[0]:
                self.weeks["speaker"][(r[0], speaker_key(r[1], r[2]))] += r[3]
        for r in rows(f"SELECT t.code, {week}, COUNT(DISTINCT q.rowid) FROM themes t JOIN json_each(t.evidence) e"
                      " JOIN quotes q ON q.doc_id = t.doc_id AND q.start <= json_extract(e.value, '$.start')"
                      " AND json_extract(e.value, '$.end') <= q.\"end\" JOIN documents d ON d.id = t.doc_id"
                      " WHERE t.doc_id IN ({docs}) GROUP BY 1, 2"):
            self.theme_quotes[r[0]] += r[2]
            if r[1]:
                self.weeks["theme"][(r[1], r[0])] += r[2]
        for r in rows("SELECT p.name, COALESCE(p.country, ''), COUNT(DISTINCT q.rowid) FROM places p JOIN mentions m"
                      " ON m.doc_id = p.doc_id AND m.fact_table = 'places' AND m.fact_id = p.id JOIN quotes q"
                      " ON q.doc_id = p.doc_id AND m.start >= q.start AND m.\"end\" <= q.\"end\""
                      " WHERE p.doc_id IN ({docs}) GROUP BY 1, 2"):
            self.place_quotes[(r[0], r[1])] += r[2]

    def _add_places(self, conn, docs: str, lo: int, hi: int) -> None:
        for r in conn.execute(
                "SELECT p.name, p.country, p.lat, p.lon, p.geonames_id, p.feature, COUNT(m.start) AS mentions,"
                " COUNT(DISTINCT p.doc_id) AS documents FROM places p LEFT JOIN mentions m ON m.doc_id = p.doc_id"
                " AND m.fact_table = 'places' AND m.fact_id = p.id"
                f" WHERE p.lat IS NOT NULL AND p.doc_id IN ({docs})"
                " GROUP BY COALESCE(p.geonames_id, p.name || '|' || COALESCE(p.country, ''))", (lo, hi)):
            key = place_key(r["geonames_id"], r["name"], r["country"])
            self.place_mentions[key] += r["mentions"]
            self.place_documents[key] += r["documents"]
            self.place_rows.setdefault(key, {k: r[k] for k in ("name", "country", "lat", "lon", "geonames_id",
                                                               "feature")})

    def _name_entities(self, conn, ids: list[str]) -> None:
        for n in range(0, len(ids), 500):
            chunk = ids[n:n + 500]
            marks = ",".join("?" * len(chunk))
            for r in conn.execute(f"SELECT id, name FROM registry WHERE id IN ({marks})", chunk):
                self.names[("entity", r["id"])] = r["name"]

    # reading ---------------------------------------------------------------------------------

    def speaker_row(self, key) -> dict:
        return {"name": self.names[key], "entity_id": key[1] if key[0] == "entity" else None,
                "quotes": self.speaker_quotes[key], "documents": self.speaker_documents[key]}

    def top_speakers(self, n: int) -> list[dict]:
        keys = sorted(self.speaker_quotes, key=lambda k: (-self.speaker_quotes[k], self.names[k]))
        return [self.speaker_row(k) for k in keys[:n]]

    def places(self, n: int | None = None) -> list[dict]:
        keys = sorted(self.place_mentions, key=lambda k: (-self.place_mentions[k], self.place_rows[k]["name"]))
        return [{**self.place_rows[k], "mentions": self.place_mentions[k], "documents": self.place_documents[k]}
                for k in keys[:n]]

    def themes(self) -> list[dict]:
        return [{"code": c, "label": self.labels[c], "documents": d}
                for c, d in sorted(self.theme_documents.items(), key=lambda cd: (-cd[1], cd[0]))]

    def overview(self) -> dict:
        return {"documents": self.documents, "quotes": self.quotes, "speakers": len(self.speaker_quotes),
                "places": len(self.place_mentions), "top_speakers": self.top_speakers(10),
                "top_places": self.places(10), "themes": self.themes()}

    def list_figures(self, name: str) -> dict | None:
        """Total and facets of an unfiltered list (sayso.store.lists), or None to count them."""
        if name != "quotes":
            return None
        top = lambda counter, n=10: counter.most_common(n)
        speakers = [{"value": k[1], "label": self.names[k], "n": n, "params": {"who": k[1]}}
                    for k, n in sorted(self.speaker_quotes.items(), key=lambda kn: (-kn[1], self.names[kn[0]]))[:10]]
        return {"total": self.quotes, "facets": {
            "speaker": speakers,
            "kind": [{"value": k, "label": k, "n": n, "params": {"kind": k}} for k, n in top(self.kinds)],
            "outlet": [{"value": k, "label": k, "n": n, "params": {"outlet": k}} for k, n in top(self.outlets)],
            "theme": [{"value": c, "label": f"{c} {self.labels.get(c, '')}", "n": n, "params": {"theme": c}}
                      for c, n in top(self.theme_quotes)],
            "place": [{"value": f"{k[0]}|{k[1]}", "label": f"{k[0]} ({k[1]})" if k[1] else k[0], "n": n,
                       "params": {"place": f"{k[0]}|{k[1]}"}} for k, n in top(self.place_quotes)],
            "month": [{"value": m, "label": m, "n": self.months[m],
                       "params": {"date_from": f"{m}-01", "date_to": f"{m}-31"}}
                      for m in sorted(self.months, reverse=True)[:10]]}}

    def timeline(self, by: str, series: int = 6) -> dict:
        """Quotes per week (Monday) overall and for the top `series` outlets, themes or speakers."""
        counts = self.weeks[by] if by in ("outlet", "theme", "speaker") else Counter()
        totals: Counter = Counter()
        for (week, key), n in counts.items():
            totals[key] += n
        keys = [k for k, _ in totals.most_common(series)]
        label = (lambda k: self.names.get(k, k[1])) if by == "speaker" else \
            (lambda k: f"{k} {self.labels.get(k, '')}".strip()) if by == "theme" else str
        return {"weeks": sorted(self.weeks["all"]), "all": dict(self.weeks["all"]),
                "series": [{"key": k[1] if by == "speaker" else k, "label": label(k),
                            "counts": {w: n for (w, kk), n in counts.items() if kk == k}} for k in keys]}

    def matrix(self) -> dict:
        """The theme x speaker matrix: codes (columns, by code), rows sorted by their total
        (then by name, case-insensitively), each row with its entity id for links."""
        codes = sorted({c for row in self.cells.values() for c in row})
        rows = [{"speaker": self.names[k], "entity_id": k[1] if k[0] == "entity" else None,
                 "cells": dict(cells), "total": sum(cells.values())} for k, cells in self.cells.items() if cells]
        rows.sort(key=lambda r: (-r["total"], r["speaker"].casefold()))
        totals = Counter()
        for row in rows:
            totals.update(row["cells"])
        return {"codes": [{"code": c, "label": self.labels.get(c, c), "total": totals[c]} for c in codes],
                "rows": rows, "total": sum(totals.values())}
