"""Collection-wide figures (the overview, the theme x speaker matrix, the places of the map) kept
in memory and brought up to date from the documents added since they were last counted, so that
no request of a running server does full-table work, even while an ingest writes.

Documents are only appended (rowid grows), so the figures of new documents add to the old ones.
A merge or split in the entity registry or a deleted document makes the next call count afresh."""
from __future__ import annotations

import threading
import time
from collections import Counter, defaultdict
from typing import Literal

from .tallies import PlaceTally, SpeakerTally, ascii_lower

# The documents counted in one step: `doc_id IN (...)` of rowids (lo, hi].
_NEW_DOCS = "SELECT id FROM documents WHERE rowid > ? AND rowid <= ?"
# ... less the wire copies (sayso.claims.wire): a story printed by several outlets counts once.
_NEW_STORIES = _NEW_DOCS + " AND id NOT IN (SELECT doc_id FROM wire_groups WHERE wire_group <> doc_id)"
_SPEAKER_KEY = "COALESCE(q.speaker_registry_id, q.speaker_name), q.speaker_registry_id IS NULL"
MATRIX_SQL = (
    "SELECT q.speaker_registry_id AS rid, q.speaker_name AS name, t.code, t.label,"
    " COUNT(DISTINCT t.rowid || ':' || q.{rowid}) AS n"
    " FROM themes t JOIN theme_spans ts ON ts.doc_id = t.doc_id AND ts.theme_id = t.id JOIN {quotes} q"
    " ON q.doc_id = t.doc_id AND q.start <= ts.start AND ts.\"end\" <= q.\"end\""
    " WHERE q.speaker_name IS NOT NULL AND t.doc_id IN ({docs}){reviewed}{where}"
    f" GROUP BY {_SPEAKER_KEY}, t.code")


# Theme evidence inside quotes: (theme row, code, quote row, document, speaker) of the new documents.
QUOTE_CODES = ("SELECT t.rowid, t.code, q.{rowid}, q.doc_id, q.speaker_registry_id, q.speaker_name"
               " FROM themes t JOIN theme_spans ts ON ts.doc_id = t.doc_id AND ts.theme_id = t.id JOIN {quotes} q"
               " ON q.doc_id = t.doc_id AND q.start <= ts.start AND ts.\"end\" <= q.\"end\""
               " WHERE t.doc_id IN ({docs}){reviewed}")
# Where the quotes are read from: the table while nobody has reviewed any, else the reviewed view
# (edits applied, added quotes in, rejected ones out).
MACHINE = {"quotes": "quotes", "rowid": "rowid", "reviewed": ""}
REVIEWED = {"quotes": "reviewed_quotes", "rowid": "quote_rowid", "reviewed": " AND q.review_status <> 'rejected'"}
STEP = 20_000  # documents counted at a time
RECOUNT_S = 10  # how often the documents are counted to notice a deletion
BIG = 50_000  # quotes from which some unfiltered facets are left to filtered lists


def decisions(conn) -> int:
    """The last review decision's rowid (0: none, or a store from before review)."""
    try:
        return conn.execute("SELECT COALESCE(MAX(rowid), 0) FROM decisions").fetchone()[0]
    except Exception:  # noqa: BLE001 - no decisions table
        return 0


Copies = Literal["once", "all"]  # how the overview, theme matrix and map count wire copies


class Figures:
    """A store's figures counted two ways: every document (lists, timeline) and each wire story
    once (`copies="once"`, the default of the overview, the theme matrix and the map)."""

    def __init__(self, opener=None):
        self.every, self.stories = Summary(opener=opener), Summary(once=True, opener=opener)

    def of(self, copies: str | None = "once") -> Summary:
        return self.every if copies == "all" else self.stories

    def refresh(self, conn) -> None:
        self.every.refresh(conn)
        self.stories.refresh(conn)

    def take_in(self, conn, at_most: int = 200) -> None:
        """Count the documents stored since the last count now if they are few (an ingest's
        batch): a response cache that calls this when the store changes then sees the commit and
        the figures' change as one new version, not as two. More are left to the pages (a first
        count can take minutes)."""
        top = conn.execute("SELECT COALESCE(MAX(rowid), 0) FROM documents").fetchone()[0]
        counted = min(self.every.counted_to, self.stories.counted_to)
        if 0 < counted < top <= counted + at_most:
            self.refresh(conn)

    @property
    def generation(self) -> tuple[int, int]:
        """Changes whenever either set of figures does."""
        return self.every.generation, self.stories.generation


def wire_copies(conn) -> int:
    """How many documents are wire copies of another (0 for a store without wire groups)."""
    try:
        return conn.execute("SELECT COUNT(*) FROM wire_groups WHERE wire_group <> doc_id").fetchone()[0]
    except Exception:  # noqa: BLE001 - a store from before claims
        return -1


def week_of(date: str | None) -> str | None:
    """The Monday of the week of an ISO date ('2026-05-14...' -> '2026-05-11'), None if none."""
    from datetime import date as Date, timedelta

    try:
        day = Date.fromisoformat((date or "")[:10])
    except ValueError:
        return None
    return (day - timedelta(days=day.weekday())).isoformat()


def speaker_key(registry_id: str | None, name: str) -> tuple[str, str]:
    """A speaker across documents: its registry entity where it resolved to one, else its name."""
    return ("entity", registry_id) if registry_id else ("name", name)


def place_key(geonames_id, name: str, country: str | None):
    """Places with the same name in different countries are different places."""
    return ("geonames", geonames_id) if geonames_id else ("name", name, country or "")


_OWN = {"once", "opener", "_lock", "_recounting", "_recounted_at", "generation"}  # what a recount does not replace


class Summary:
    """The figures of one store; `refresh(conn)` before reading them (thread-safe). With `once`,
    a wire copy of a story already counted (another outlet's print of it) is left out, so top
    speakers, themes and places count each story once."""

    def __init__(self, once: bool = False, opener=None):
        """`opener`: opens the store read-only for a thread of its own (`with opener() as store`),
        so that a recount runs beside the requests, which read the figures counted before until
        it is done; without one, the request that notices the change waits for the recount."""
        self.once = once
        self.opener = opener
        self._lock = threading.Lock()
        self._recounting: threading.Thread | None = None
        self._recounted_at = 0.0
        self.generation = 0  # grows whenever the figures change (a response cache keys on it)
        self._reset()

    def _reset(self) -> None:
        self.generation += 1
        self.counted_to = 0  # highest documents.rowid whose figures are in
        self._memo: dict = {}
        self._checked = 0.0
        self.registry_changes = 0
        self.decisions = 0
        self.copies = -1  # wire copies left out (with `once`); -1: not counted yet
        self.read = 0  # documents read, copies included (to notice a deleted one)
        self.documents = self.quotes = 0
        self.speakers = SpeakerTally()
        self.role_speakers: dict[str, SpeakerTally] = defaultdict(SpeakerTally)  # by the role quotes give
        self.names: dict[tuple, str] = {}
        self.theme_documents: Counter = Counter()
        self.labels: dict[str, str] = {}
        self.cells: dict[tuple, Counter] = defaultdict(Counter)
        self.place_tally = PlaceTally()  # every place name, resolved or not
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
            deleted = reviewed = False
            if time.monotonic() - self._checked > RECOUNT_S:  # a deleted document: rare, costs a count
                self._checked = time.monotonic()
                total = conn.execute("SELECT COUNT(*) FROM documents").fetchone()[0]
                new = conn.execute("SELECT COUNT(*) FROM documents WHERE rowid > ?", (self.counted_to,)).fetchone()[0]
                deleted = total - new != self.read
                # new review decisions or wire copies: counted afresh at most once per RECOUNT_S,
                # so a reviewer at work does not make every page recount
                reviewed = decisions(conn) != self.decisions or self.once and wire_copies(conn) != self.copies
            if changes != self.registry_changes or deleted or reviewed or top < self.counted_to:
                if self.counted_to and self.opener is not None and top >= self.counted_to:
                    self._recount_beside()
                else:
                    self._reset()
                    self.registry_changes = changes
                    self.decisions = decisions(conn)
                    self.copies = wire_copies(conn) if self.once else -1
            while top > self.counted_to:  # in steps, so a first count of a big store reads it in slices
                step = conn.execute("SELECT rowid FROM documents WHERE rowid > ? ORDER BY rowid LIMIT 1 OFFSET ?",
                                    (self.counted_to, STEP - 1)).fetchone()
                hi = min(top, step[0]) if step else top
                self._add(conn, self.counted_to, hi)
                self.counted_to = hi
                self.generation += 1
        return self

    def _recount_beside(self) -> None:
        """Count afresh in a thread of its own (one at a time, at most once per RECOUNT_S while an
        ingest keeps merging names), then put the new figures in place of these at once."""
        busy = self._recounting is not None and self._recounting.is_alive()
        if busy or time.monotonic() - self._recounted_at < RECOUNT_S:
            return
        self._recounting = threading.Thread(target=self._recount, daemon=True)
        self._recounting.start()

    def _recount(self) -> None:
        fresh = Summary(self.once)
        with self.opener() as store:
            fresh.refresh(store.conn)
        with self._lock:
            self.__dict__.update({k: v for k, v in vars(fresh).items() if k not in _OWN})
            self._recounted_at = time.monotonic()
            self.generation += 1

    @property
    def _quotes(self) -> dict:
        """Where quotes are read from: the reviewed view once anyone has reviewed any."""
        return REVIEWED if self.decisions else MACHINE

    def _add(self, conn, lo: int, hi: int) -> None:
        """Add the figures of the documents with rowid in (lo, hi]: one read of their quotes,
        one of their theme evidence, one of their places, counted in Python."""
        new_docs = _NEW_STORIES if self.once and self.copies >= 0 else _NEW_DOCS
        self.read += conn.execute("SELECT COUNT(*) FROM documents WHERE rowid > ? AND rowid <= ?", (lo, hi)).fetchone()[0]
        docs = {r[0]: (r[1], r[2]) for r in conn.execute(
            f"SELECT id, source, date FROM documents WHERE id IN ({new_docs})", (lo, hi))}
        self.documents += len(docs)
        weeks = {d: (source, (date or "")[:7] or None, week_of(date)) for d, (source, date) in docs.items()}
        entities, seen = set(), set()
        for doc_id, kind, rid, name, role, org in conn.execute(
                "SELECT doc_id, kind, speaker_registry_id, speaker_name, speaker_role, speaker_org"
                " FROM {quotes} q WHERE doc_id IN ({docs}){reviewed}".format(docs=new_docs, **self._quotes), (lo, hi)):
            outlet, month, week = weeks[doc_id]
            self.quotes += 1
            self.kinds[kind] += 1
            if outlet:
                self.outlets[outlet] += 1
            if month:
                self.months[month] += 1
            if week:
                self.weeks["all"][week] += 1
                if outlet:
                    self.weeks["outlet"][(week, outlet)] += 1
            if name is None:
                continue
            key = speaker_key(rid, name)
            date = (docs[doc_id][1] or "")[:10]
            self.speakers.add(key, (key, doc_id) not in seen, date, role, org)
            seen.add((key, doc_id))
            if role:
                self.role_speakers[role].add(key, (key, role, doc_id) not in seen, date, role, org)
                seen.add((key, role, doc_id))
            self.names.setdefault(key, name)
            if rid:
                entities.add(rid)
            if week:
                self.weeks["speaker"][(week, key)] += 1
        self._add_themes(conn, new_docs, lo, hi, weeks)
        self._add_places(conn, new_docs, lo, hi)
        self._name_entities(conn, sorted(entities))

    def _add_themes(self, conn, docs: str, lo: int, hi: int, weeks: dict) -> None:
        theme_docs, pairs = set(), set()
        for code, label, doc_id in conn.execute(f"SELECT code, label, doc_id FROM themes WHERE doc_id IN ({docs})",
                                                (lo, hi)):
            self.labels[code] = label
            if (code, doc_id) not in theme_docs:
                theme_docs.add((code, doc_id))
                self.theme_documents[code] += 1
        for trow, code, qrow, doc_id, rid, name in conn.execute(QUOTE_CODES.format(docs=docs, **self._quotes), (lo, hi)):
            if (trow, qrow) in pairs:
                continue
            pairs.add((trow, qrow))
            if name is not None:
                self.cells[speaker_key(rid, name)][code] += 1
            if (code, qrow) in pairs:
                continue
            pairs.add((code, qrow))
            self.theme_quotes[code] += 1
            week = weeks[doc_id][2]
            if week:
                self.weeks["theme"][(week, code)] += 1

    def _add_places(self, conn, docs: str, lo: int, hi: int) -> None:
        for r in conn.execute(
                "SELECT p.name, p.country, p.lat, p.lon, p.geonames_id, p.feature, d.source, COUNT(m.start) AS mentions,"
                " COUNT(DISTINCT p.doc_id) AS documents FROM places p JOIN documents d ON d.id = p.doc_id"
                " LEFT JOIN mentions m ON m.doc_id = p.doc_id AND m.fact_table = 'places' AND m.fact_id = p.id"
                f" WHERE p.doc_id IN ({docs})"
                " GROUP BY COALESCE(p.geonames_id, p.name || '|' || COALESCE(p.country, '')), d.source", (lo, hi)):
            self.place_tally.add(place_key(r["geonames_id"], r["name"], r["country"]), r, r["source"], r["mentions"],
                                 r["documents"])

        for name, country, n in conn.execute(
                "SELECT p.name, COALESCE(p.country, ''), COUNT(DISTINCT q.rowid) FROM places p JOIN mentions m"
                " ON m.doc_id = p.doc_id AND m.fact_table = 'places' AND m.fact_id = p.id JOIN quotes q"
                " ON q.doc_id = p.doc_id AND m.start >= q.start AND m.\"end\" <= q.\"end\""
                f" WHERE p.doc_id IN ({docs}) GROUP BY 1, 2", (lo, hi)):
            self.place_quotes[(name, country)] += n

    def _name_entities(self, conn, ids: list[str]) -> None:
        for n in range(0, len(ids), 500):
            chunk = ids[n:n + 500]
            marks = ",".join("?" * len(chunk))
            for r in conn.execute(f"SELECT id, name FROM registry WHERE id IN ({marks})", chunk):
                self.names[("entity", r["id"])] = r["name"]

    # reading ---------------------------------------------------------------------------------

    def top_speakers(self, n: int) -> list[dict]:
        keys = sorted(self.speakers.quotes, key=lambda k: (-self.speakers.quotes[k], self.names[k]))
        return [self.speakers.row(k, self.names) for k in keys[:n]]

    def role_figures(self, value: str) -> dict | None:
        """Total and rows of the speaker list filtered by role (roles containing `value`, case
        ignored as SQL's LIKE ignores it), from the figures; None when a speaker gives two such
        roles, whose documents could then be counted twice."""
        wanted = ascii_lower(value)
        tallies = [tally for role, tally in self.role_speakers.items() if wanted in ascii_lower(role)]
        if sum(len(t.quotes) for t in tallies) != len({k for t in tallies for k in t.quotes}):
            return None
        union = SpeakerTally.union(tallies)
        return {"total": len(union.quotes), "rows": lambda conn, params: union.rows(self.names, params), "facets": {}}

    def places(self, n: int | None = None) -> list[dict]:
        """The resolved places (the map's), the most mentioned first."""
        return self.place_tally.top(n)

    def place_count(self) -> int:
        """How many resolved places the collection names."""
        return len(self.place_tally.resolved)

    def themes(self) -> list[dict]:
        return [{"code": c, "label": self.labels[c], "documents": d}
                for c, d in sorted(self.theme_documents.items(), key=lambda cd: (-cd[1], cd[0]))]

    def _memoized(self, name: str, compute):
        key = (name, self.counted_to)
        if key not in self._memo:
            if len(self._memo) > 20:
                self._memo.clear()
            self._memo[key] = compute()
        return self._memo[key]

    def overview(self) -> dict:
        return self._memoized("overview", self._overview)

    def _overview(self) -> dict:
        return {"documents": self.documents, "quotes": self.quotes, "speakers": len(self.speakers.quotes),
                "wire_copies_left_out": max(self.copies, 0) if self.once else 0,
                "places": self.place_count(), "top_speakers": self.top_speakers(10),
                "top_places": self.places(10), "themes": self.themes()}

    def figures_for(self, name: str, active: list[tuple[str, str, str]], size: int = 10) -> dict | None:
        """Total, facets (their `size` most frequent values) and rows of a list with the `active`
        filters (param, label, value) when the figures hold them, else None (counted in SQL)."""
        if name == "places" and {param for param, _, _ in active} <= PlaceTally.FILTERS:
            chosen = {param: value for param, _, value in active}
            return self._memoized(("places", tuple(sorted(chosen.items())), size),
                                  lambda: self.place_tally.figures(chosen, size))
        if not active:
            return self.list_figures(name, size)
        if name == "speakers" and [param for param, _, _ in active] == ["role"]:
            return self._memoized(("role", active[0][2]), lambda: self.role_figures(active[0][2]))
        return None

    def list_figures(self, name: str, size: int = 10) -> dict | None:
        """Total and facets (their `size` most frequent values) of an unfiltered list
        (sayso.store.lists), and for speakers its rows, or None to count them."""
        return self._memoized(("list", name, size), lambda: self._list_figures(name, size))

    def _list_figures(self, name: str, size: int) -> dict | None:
        if name == "speakers":
            facets = {k: v for k, v in self._list_figures("quotes", size)["facets"].items() if k in ("kind", "outlet")}
            if self.quotes > BIG:  # roles and organisations of a big collection: counted once filtered
                facets.update(role=None, org=None)
            return {"total": len(self.speakers.quotes), "facets": facets,
                    "rows": lambda conn, params: self.speakers.rows(self.names, params)}
        if name != "quotes":
            return None
        top = lambda counter: counter.most_common(size)
        speakers = [{"value": k[1], "label": self.names[k], "n": n, "params": {"who": k[1]}}
                    for k, n in sorted(self.speakers.quotes.items(), key=lambda kn: (-kn[1], self.names[kn[0]]))[:size]]
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
                      for m in sorted(self.months, reverse=True)[:size]]}}

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
        return self._memoized("matrix", self._matrix)

    def _matrix(self) -> dict:
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
