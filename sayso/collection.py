"""A store as pandas DataFrames, for notebooks: one call per kind of fact.

    import sayso
    c = sayso.Collection("sayso.db")
    c.quotes().groupby("speaker").size().sort_values(ascending=False).head()
    c.arrow("quotes", kind="direct")  # the same as an Arrow table

Quotes are the reviewed ones (a reviewer's rejections left out, edits applied) where the store
has review decisions; every frame reads the store read-only."""
from __future__ import annotations

import sqlite3

from pathlib import Path

from .store import Store
from .store.lists import LISTS, stream

TABLES = ("documents", "quotes", "speakers", "entities", "counts", "corrections", "places", "themes", "claims",
          "claim_members")
# Arrow types by column name, every other column being text (dates too, ISO strings as stored): a
# column's type must not depend on the rows, else a column that is all null in one store (no URLs,
# no upper bounds) or an integer column with nulls (pandas makes it float) is typed differently.
_INTEGERS = frozenset(("quotes", "documents", "mentions", "start", "end", "occurrences", "altered", "geonames_id",
                       "claim_start", "claim_end"))
_FLOATS = frozenset(("number", "upper", "lat", "lon"))
_LISTS = frozenset(("speakers", "sources"))


class Collection:
    def __init__(self, path: str | Path = "sayso.db"):
        self.path = Path(path)
        Store(self.path, readonly=True).close()  # fails now, clearly, if it is not a store

    def _store(self) -> Store:
        return Store(self.path, readonly=True)

    def _frame(self, sql: str, args=()) :
        import pandas as pd

        with self._store() as store:
            return pd.read_sql_query(sql, store.conn, params=list(args))

    def _list(self, name: str, **filters):
        import pandas as pd

        spec = LISTS[name]
        with self._store() as store:
            return pd.DataFrame(list(stream(store.conn, spec, filters)), columns=spec.columns)

    def documents(self):
        """One row per document: id, title, url, date, outlet (source), language, quotes."""
        return self._frame("SELECT d.id, d.title, d.url, d.date, d.source AS outlet, d.language,"
                           " (SELECT COUNT(*) FROM reviewed_quotes q WHERE q.doc_id = d.id AND q.review_status <> 'rejected') AS quotes FROM documents d"
                           " ORDER BY d.rowid")

    def quotes(self, **filters):
        """One row per quote as reviewed (a reviewer's edits applied, rejected quotes left out)
        with its speaker, kind, text, offsets, document and review status; `filters` are those
        of the web's quote list (speaker=, who=, kind=, outlet=, theme=, place=, q=, status=, ...)."""
        return self._list("quotes", **filters)

    def speakers(self, **filters):
        """One row per speaker (a registry entity across documents, else a name): quotes,
        documents, roles, organisations, first and last date quoted."""
        return self._list("speakers", **filters)

    def entities(self, **filters):
        """The entity registry: id, name, label, documents, the names it goes by."""
        return self._list("entities", **filters)

    def counts(self, **filters):
        """One row per count: number, upper bound, qualifier, what, event, who claimed it."""
        return self._list("counts", **filters)

    def corrections(self, **filters):
        return self._list("corrections", **filters)

    def places(self):
        """One row per place mention group: name, country, coordinates, GeoNames id, mentions,
        documents (places of the same name in different countries are separate rows)."""
        return self._frame(
            "SELECT p.name, p.country, p.lat, p.lon, p.geonames_id, p.feature, COUNT(m.start) AS mentions,"
            " COUNT(DISTINCT p.doc_id) AS documents FROM places p LEFT JOIN mentions m ON m.doc_id = p.doc_id"
            " AND m.fact_table = 'places' AND m.fact_id = p.id"
            " GROUP BY COALESCE(p.geonames_id, p.name || '|' || COALESCE(p.country, ''))"
            " ORDER BY mentions DESC, p.name")

    def themes(self):
        """One row per quote and code whose evidence lies inside it: doc_id, quote id, speaker,
        code, label (pivot it for the theme x speaker matrix)."""
        return self._frame(
            "SELECT DISTINCT q.doc_id, q.id AS quote_id, COALESCE(r.name, q.speaker_name) AS speaker, t.code, t.label"
            " FROM themes t JOIN theme_spans ts ON ts.doc_id = t.doc_id AND ts.theme_id = t.id"
            " JOIN reviewed_quotes q ON q.doc_id = t.doc_id AND q.review_status <> 'rejected'"
            " AND q.start <= ts.start AND ts.\"end\" <= q.\"end\""
            " LEFT JOIN registry r ON r.id = q.speaker_registry_id ORDER BY q.doc_id, q.start, t.code")

    def claims(self, **filters):
        """One row per claim (a quote repeated across documents): id, canonical text, speaker,
        speakers, conflicting_speakers, the outlets, the first appearance and how many
        occurrences there are and how many altered the words; `filters` are those of
        `sayso claims` (min_sources=, altered=, conflicting=, speaker=). Empty for a store that
        has no claims yet."""
        import pandas as pd

        from .claims import clusters
        from .claims.report import SUMMARY_COLUMNS, claim_summary

        rows = []
        with self._store() as store:
            try:
                rows = [claim_summary(c) for c in clusters(store.conn, **filters)]
            except sqlite3.OperationalError:  # a store from before claims: no claims tables
                pass
        return pd.DataFrame(rows, columns=SUMMARY_COLUMNS)

    def claim_members(self):
        """Which claim each quote belongs to: doc_id, quote_id, claim_id (C12)."""
        import pandas as pd

        with self._store() as store:
            from .claims import claim_ids

            ids = claim_ids(store.conn)
        return pd.DataFrame([{"doc_id": d, "quote_id": q, "claim_id": c} for (d, q), c in ids.items()],
                            columns=["doc_id", "quote_id", "claim_id"])

    def arrow(self, name: str, **filters):
        """The DataFrame `name` (one of TABLES, with the same `filters`) as a pyarrow Table whose
        column types are fixed, whatever rows the store holds."""
        import pyarrow as pa

        if name not in TABLES:
            raise ValueError(f"no table {name!r}: one of {', '.join(TABLES)}")
        table = pa.Table.from_pandas(getattr(self, name)(**filters), preserve_index=False)
        return table.cast(pa.schema([(column, _arrow_type(column)) for column in table.column_names]))

    def __repr__(self) -> str:
        with self._store() as store:
            stats = store.stats()
        return f"Collection({str(self.path)!r}: {stats['documents']} documents, {stats['quotes']} quotes)"


def _arrow_type(column: str):
    import pyarrow as pa

    if column in _INTEGERS:
        return pa.int64()
    if column in _FLOATS:
        return pa.float64()
    if column in _LISTS:
        return pa.list_(pa.string())
    return pa.bool_() if column == "conflicting_speakers" else pa.string()
