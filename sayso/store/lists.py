"""The collection's lists (documents, quotes, speakers, entities, counts, corrections, places) as a
researcher browses them: their columns, filters, sorts and facets, read by sayso.store.listing."""
from __future__ import annotations

from collections.abc import Callable

from .db import fts_query, like
from .listing import (DECIDED, LIKE, NOT_REJECTED, PAGE_SIZES, Facet, Filter, Keyset, ListSpec,  # noqa: F401
                      clean, page, reviewable, rows, stream)


def _fts(value: str) -> list | None:
    match = fts_query(value)
    return None if match is None else [match]


def _like_args(n: int = 1):
    return lambda v: [like(v)] * n


def _inside(fact: str) -> str:
    return f"{fact}.start >= q.start AND {fact}.\"end\" <= q.\"end\""


# Theme evidence inside the quote, looked up by document and code; to gather all matches, the
# documents with the theme come first.
QUOTE_IN_THEME = ("EXISTS (SELECT 1 FROM theme_spans ts WHERE ts.doc_id = q.doc_id AND ts.code = ?"
                  " AND ts.start >= q.start AND ts.\"end\" <= q.\"end\")")
QUOTE_THEME = "q.doc_id IN (SELECT doc_id FROM themes WHERE code = ?) AND " + QUOTE_IN_THEME
# A place mentioned inside the quote; to gather all matches, the documents naming it come first.
QUOTE_IN_PLACE = ("EXISTS (SELECT 1 FROM places p JOIN mentions m ON m.doc_id = p.doc_id AND m.fact_table = 'places'"
                  " AND m.fact_id = p.id WHERE p.doc_id = q.doc_id AND p.name {test} AND " + _inside("m") + "{country})")
QUOTE_PLACE = "q.doc_id IN (SELECT p.doc_id FROM places p WHERE p.name {test}{country}) AND " + QUOTE_IN_PLACE


def _place_filter(outer: str) -> Callable[[str], str]:
    """The place filter's SQL: `Paris|FR` that country's Paris only, `Paris` any place so named."""
    return lambda v: outer.format(test="= ?", country=" AND COALESCE(p.country, '') = ?") if "|" in v else \
        outer.format(test=LIKE, country="")
_SPEAKER = "COALESCE(r.name, q.speaker_name)"
REVIEW_STATUSES = ("accepted", "edited", "rejected")
_SPEAKER_KEY = "COALESCE(q.speaker_registry_id, q.speaker_name)"


def _place_args(value: str) -> list:
    """`Paris` (any country) or `Paris|FR` (that country's Paris only)."""
    name, bar, country = value.partition("|")
    return [name, country] if bar else [like(name)]  # "Europe|": a place of no country (a continent)


QUOTES = ListSpec(
    name="quotes", noun="quotes",
    select=("q.doc_id, q.id, q.start, q.\"end\", q.text, q.kind, q.cue, q.speaker_name, q.speaker_mention,"
            " q.speaker_descriptor, q.speaker_role, q.speaker_org, q.speaker_registry_id, q.nested_in, q.parts,"
            f" {_SPEAKER} AS speaker, d.title AS doc_title, d.date AS doc_date, d.source AS outlet"),
    source="quotes q JOIN documents d ON d.id = q.doc_id LEFT JOIN registry r ON r.id = q.speaker_registry_id",
    documents_first=("documents d CROSS JOIN quotes q ON q.doc_id = d.id"
                     " LEFT JOIN registry r ON r.id = q.speaker_registry_id"),
    key="q.rowid",
    filters={
        "q": Filter("words", "q.rowid IN (SELECT rowid FROM quotes_fts WHERE quotes_fts MATCH ?)", _fts,
                    walk="EXISTS (SELECT 1 FROM quotes_fts f WHERE f.rowid = q.rowid AND quotes_fts MATCH ?)",
                    costly=True),
        "who": Filter("speaker", "(q.speaker_registry_id = ? OR (q.speaker_registry_id IS NULL"
                                 " AND q.speaker_name = ?))", lambda v: [v, v]),
        "speaker": Filter("speaker contains", f"({_SPEAKER}{LIKE} OR q.speaker_mention{LIKE})", _like_args(2)),
        "role": Filter("role", "q.speaker_role" + LIKE, _like_args()),
        "org": Filter("organisation", "q.speaker_org" + LIKE, _like_args()),
        "kind": Filter("kind", "q.kind = ?"),
        "outlet": Filter("outlet", "d.source = ?"),
        "theme": Filter("theme", QUOTE_THEME, lambda v: [v, v], walk=QUOTE_IN_THEME, walk_args=lambda v: [v]),
        "place": Filter("place", _place_filter(QUOTE_PLACE), lambda v: _place_args(v) * 2,
                        walk=_place_filter(QUOTE_IN_PLACE), walk_args=_place_args),
        "date_from": Filter("from", "substr(d.date, 1, 10) >= ?"),
        "date_to": Filter("to", "substr(d.date, 1, 10) <= ?"),
        "doc": Filter("document", "q.doc_id = ?"),
        "status": Filter("review", "q.rowid IN (SELECT quote_rowid FROM reviewed_quotes WHERE review_status = ?"
                                   f" AND quote_rowid IN ({DECIDED}))",
                         lambda v: [v] if v in REVIEW_STATUSES else None),
    },
    keyset=Keyset(("d.rowid", "q.start", "q.rowid"), "SELECT d.rowid, q.start, q.rowid FROM documents d JOIN quotes q"
                                                      " ON q.doc_id = d.id WHERE d.id = ? AND q.id = ?"),
    sorts={"document": ("d.rowid", "q.start", "q.rowid"), "date": ("d.date", "d.rowid", "q.start"),
           "speaker": (f"{_SPEAKER} COLLATE NOCASE"), "outlet": ("d.source", "d.rowid", "q.start"),
           "kind": ("q.kind", "d.rowid", "q.start")},
    default_sort="document",
    facets={
        "speaker": Facet("Speaker", f"SELECT {_SPEAKER_KEY} AS value, {_SPEAKER} AS label, COUNT(*) AS n FROM {{source}}"
                                    f" WHERE {{where}} AND q.speaker_name IS NOT NULL GROUP BY value ORDER BY n DESC, label",
                         lambda r: {"who": r["value"]},
                         matched="SELECT speaker_key AS value, speaker AS label, COUNT(*) AS n FROM m"
                                 " WHERE speaker_name IS NOT NULL GROUP BY value ORDER BY n DESC, label"),
        "kind": Facet("Kind", "SELECT q.kind AS value, q.kind AS label, COUNT(*) AS n FROM {source} WHERE {where}"
                              " GROUP BY q.kind ORDER BY n DESC, value", lambda r: {"kind": r["value"]},
                       matched="SELECT kind AS value, kind AS label, COUNT(*) AS n FROM m GROUP BY kind"
                               " ORDER BY n DESC, value"),
        "outlet": Facet("Outlet", "SELECT d.source AS value, d.source AS label, COUNT(*) AS n FROM {source}"
                                  " WHERE {where} AND d.source IS NOT NULL GROUP BY d.source ORDER BY n DESC, value",
                        lambda r: {"outlet": r["value"]},
                        matched="SELECT outlet AS value, outlet AS label, COUNT(*) AS n FROM m WHERE outlet IS NOT NULL"
                                " GROUP BY outlet ORDER BY n DESC, value"),
        "theme": Facet("Theme", "SELECT t.code AS value, t.code || ' ' || t.label AS label, COUNT(DISTINCT q.rowid) AS n"
                                " FROM {source} JOIN theme_spans ts ON ts.doc_id = q.doc_id JOIN themes t"
                                " ON t.doc_id = ts.doc_id AND t.id = ts.theme_id WHERE {where} AND " + _inside("ts") +
                                " GROUP BY t.code ORDER BY n DESC, value",
                       lambda r: {"theme": r["value"]},
                       matched="SELECT t.code AS value, t.code || ' ' || t.label AS label, COUNT(DISTINCT m.rowid) AS n"
                               " FROM m JOIN theme_spans ts ON ts.doc_id = m.doc_id AND ts.start >= m.start"
                               " AND ts.\"end\" <= m.\"end\" JOIN themes t ON t.doc_id = ts.doc_id AND t.id = ts.theme_id"
                               " GROUP BY t.code ORDER BY n DESC, value"),
        "place": Facet("Place", "SELECT p.name || '|' || COALESCE(p.country, '') AS value,"
                                " p.name || COALESCE(' (' || p.country || ')', '') AS label, COUNT(DISTINCT q.rowid) AS n"
                                " FROM {source} JOIN places p ON p.doc_id = q.doc_id JOIN mentions m"
                                " ON m.doc_id = p.doc_id AND m.fact_table = 'places' AND m.fact_id = p.id"
                                " WHERE {where} AND " + _inside("m") + " GROUP BY value ORDER BY n DESC, value",
                       lambda r: {"place": r["value"]},
                       matched="SELECT p.name || '|' || COALESCE(p.country, '') AS value,"
                               " p.name || COALESCE(' (' || p.country || ')', '') AS label, COUNT(DISTINCT m.rowid) AS n"
                               " FROM m JOIN places p ON p.doc_id = m.doc_id JOIN mentions pm ON pm.doc_id = p.doc_id"
                               " AND pm.fact_table = 'places' AND pm.fact_id = p.id WHERE pm.start >= m.start"
                               " AND pm.\"end\" <= m.\"end\" GROUP BY value ORDER BY n DESC, value"),
        "status": Facet("Review", "SELECT rq.review_status AS value, rq.review_status AS label, COUNT(*) AS n"
                                  f" FROM reviewed_quotes rq WHERE rq.quote_rowid IN ({DECIDED})"
                                  " AND rq.quote_rowid IN (SELECT q.rowid FROM {source} WHERE {where})"
                                  " GROUP BY 1 ORDER BY n DESC, value", lambda r: {"status": r["value"]},
                        matched="SELECT rq.review_status AS value, rq.review_status AS label, COUNT(*) AS n"
                                f" FROM reviewed_quotes rq WHERE rq.quote_rowid IN ({DECIDED})"
                                " AND rq.quote_rowid IN (SELECT rowid FROM m) GROUP BY 1 ORDER BY n DESC, value"),
        "month": Facet("Month", "SELECT substr(d.date, 1, 7) AS value, substr(d.date, 1, 7) AS label, COUNT(*) AS n"
                                " FROM {source} WHERE {where} AND d.date IS NOT NULL GROUP BY value ORDER BY value DESC",
                       lambda r: {"date_from": f"{r['value']}-01", "date_to": f"{r['value']}-31"},
                       matched="SELECT substr(date, 1, 7) AS value, substr(date, 1, 7) AS label, COUNT(*) AS n FROM m"
                               " WHERE date IS NOT NULL GROUP BY value ORDER BY value DESC"),
    },
    columns=["doc_id", "id", "speaker", "speaker_mention", "speaker_role", "speaker_org", "kind", "cue", "text",
             "start", "end", "doc_title", "doc_date", "outlet", "speaker_registry_id", "nested_in", "review_status"],
    reviewed=True, table="quotes",
    matched=("q.rowid AS rowid, q.doc_id AS doc_id, q.start AS start, q.\"end\" AS \"end\","
             f" {_SPEAKER_KEY} AS speaker_key, {_SPEAKER} AS speaker, q.speaker_name AS speaker_name,"
             " q.kind AS kind, d.source AS outlet, d.date AS date"),
)

SPEAKERS = ListSpec(
    name="speakers", noun="speakers",
    select=(f"{_SPEAKER} AS name, q.speaker_registry_id AS entity_id, COUNT(*) AS quotes,"
            " COUNT(DISTINCT q.doc_id) AS documents, GROUP_CONCAT(DISTINCT q.speaker_role) AS roles,"
            " GROUP_CONCAT(DISTINCT q.speaker_org) AS orgs, MIN(d.date) AS first, MAX(d.date) AS last"),
    source=QUOTES.source, key=_SPEAKER_KEY, group_by=f"{_SPEAKER_KEY}, q.speaker_registry_id IS NULL",
    base_where="q.speaker_name IS NOT NULL", reviewed=True,
    filters={k: QUOTES.filters[k] for k in ("speaker", "role", "org", "kind", "outlet", "theme", "date_from",
                                            "date_to", "q")},
    sorts={"quotes": ("quotes",), "documents": ("documents",), "name": ("name COLLATE NOCASE"), "last": ("last")},
    default_sort="quotes", descending=frozenset({"quotes", "documents", "last"}),
    facets={k: QUOTES.facets[k] for k in ("kind", "outlet")} | {
        "role": Facet("Role", "SELECT q.speaker_role AS value, q.speaker_role AS label, COUNT(*) AS n FROM {source}"
                              " WHERE {where} AND q.speaker_role IS NOT NULL GROUP BY value ORDER BY n DESC, value",
                      lambda r: {"role": r["value"]}),
        "org": Facet("Organisation", "SELECT q.speaker_org AS value, q.speaker_org AS label, COUNT(*) AS n FROM {source}"
                                     " WHERE {where} AND q.speaker_org IS NOT NULL GROUP BY value ORDER BY n DESC, value",
                     lambda r: {"org": r["value"]})},
    columns=["name", "entity_id", "quotes", "documents", "roles", "orgs", "first", "last"],
)

ENTITIES = ListSpec(
    name="entities", noun="entities",
    select=("r.id, r.name, r.label, (SELECT COUNT(DISTINCT e.doc_id) FROM entities e WHERE e.registry_id = r.id)"
            " AS documents, (SELECT GROUP_CONCAT(key, '; ') FROM registry_names n WHERE n.registry_id = r.id"
            " AND n.label <> 'SURNAME') AS names"),
    source="registry r", key="r.id",
    filters={"name": Filter("name", "(r.name" + LIKE + " OR r.id IN (SELECT registry_id FROM registry_names"
                                                       " WHERE key" + LIKE + "))", lambda v: [like(v), like(v.lower())]),
             "label": Filter("label", "r.label = ?")},
    sorts={"name": ("r.name COLLATE NOCASE"), "label": ("r.label", "r.name"), "id": ("r.rowid"), "documents": ("documents",)},
    default_sort="documents", descending=frozenset({"documents"}),
    facets={"label": Facet("Label", "SELECT r.label AS value, r.label AS label, COUNT(*) AS n FROM {source}"
                                    " WHERE {where} GROUP BY r.label ORDER BY n DESC, value", lambda r: {"label": r["value"]})},
    columns=["id", "name", "label", "documents", "names"],
)

COUNTS = ListSpec(
    name="counts", noun="counts",
    select=("k.doc_id, k.id, k.number, k.upper, k.qualifier, k.object, k.event, k.text, k.start, k.\"end\","
            " k.quote_id, k.claimed_by, d.title AS doc_title, d.date AS doc_date, d.source AS outlet"),
    source="counts k JOIN documents d ON d.id = k.doc_id", key="k.rowid", table="counts",
    documents_first="documents d CROSS JOIN counts k ON k.doc_id = d.id",
    filters={"object": Filter("what", "k.object" + LIKE, _like_args()), "event": Filter("event", "k.event = ?"),
             "claimed_by": Filter("claimed by", "k.claimed_by = ?"), "outlet": Filter("outlet", "d.source = ?"),
             "doc": Filter("document", "k.doc_id = ?"),
             "date_from": QUOTES.filters["date_from"], "date_to": QUOTES.filters["date_to"]},
    keyset=Keyset(("d.rowid", "k.start", "k.rowid"), "SELECT d.rowid, k.start, k.rowid FROM documents d JOIN counts k"
                                                      " ON k.doc_id = d.id WHERE d.id = ? AND k.id = ?"),
    sorts={"document": ("d.rowid", "k.start", "k.rowid"), "number": ("k.number"), "date": ("d.date", "d.rowid", "k.start"),
           "object": ("k.object COLLATE NOCASE")},
    default_sort="document", descending=frozenset({"number"}),
    facets={"object": Facet("What", "SELECT k.object AS value, k.object AS label, COUNT(*) AS n FROM {source}"
                                    " WHERE {where} GROUP BY k.object ORDER BY n DESC, value", lambda r: {"object": r["value"]}),
            "event": Facet("Event", "SELECT k.event AS value, k.event AS label, COUNT(*) AS n FROM {source}"
                                    " WHERE {where} AND k.event IS NOT NULL GROUP BY k.event ORDER BY n DESC, value",
                           lambda r: {"event": r["value"]}),
            "claimed_by": Facet("Claimed by", "SELECT k.claimed_by AS value, k.claimed_by AS label, COUNT(*) AS n"
                                              " FROM {source} WHERE {where} AND k.claimed_by IS NOT NULL"
                                              " GROUP BY k.claimed_by ORDER BY n DESC, value",
                                lambda r: {"claimed_by": r["value"]}),
            "outlet": Facet("Outlet", QUOTES.facets["outlet"].sql, QUOTES.facets["outlet"].params)},
    columns=["doc_id", "id", "number", "upper", "qualifier", "object", "event", "text", "start", "end", "quote_id",
             "claimed_by", "doc_title", "doc_date", "outlet"],
)

CORRECTIONS = ListSpec(
    name="corrections", noun="corrections",
    select=("c.doc_id, c.id, c.text, c.start, c.\"end\", c.wrong, c.\"right\", c.subject, c.claim_start, c.claim_end,"
            " c.claim_says, substr(d.text, c.claim_start + 1, c.claim_end - c.claim_start) AS claim_text,"
            " d.title AS doc_title, d.date AS doc_date, d.source AS outlet"),
    source="corrections c JOIN documents d ON d.id = c.doc_id", key="c.rowid",
    filters={"q": Filter("words", "(c.text" + LIKE + ")", _like_args()), "outlet": Filter("outlet", "d.source = ?"),
             "doc": Filter("document", "c.doc_id = ?")},
    sorts={"document": ("d.rowid", "c.start"), "date": ("d.date", "d.rowid")}, default_sort="document",
    facets={"outlet": Facet("Outlet", QUOTES.facets["outlet"].sql, QUOTES.facets["outlet"].params)},
    columns=["doc_id", "id", "wrong", "right", "subject", "text", "start", "end", "claim_says", "claim_text",
             "claim_start", "claim_end", "doc_title", "doc_date", "outlet"],
)

DOCUMENTS = ListSpec(
    name="documents", noun="documents",
    select=("d.id, d.title, d.date, d.source AS outlet, d.language, d.url,"
            f" (SELECT COUNT(*) FROM quotes q WHERE q.doc_id = d.id AND {NOT_REJECTED}) AS quotes"),
    source="documents d", key="d.rowid",
    filters={"q": Filter("title", "(d.title" + LIKE + " OR d.id" + LIKE + ")", _like_args(2)),
             "outlet": Filter("outlet", "d.source = ?"), "language": Filter("language", "d.language = ?"),
             "date_from": QUOTES.filters["date_from"], "date_to": QUOTES.filters["date_to"],
             "entity": Filter("naming", "d.id IN (SELECT doc_id FROM entities WHERE registry_id = ?)")},
    sorts={"document": ("d.rowid"), "date": ("d.date", "d.rowid"), "title": ("d.title COLLATE NOCASE"),
           "outlet": ("d.source COLLATE NOCASE", "d.date"), "quotes": ("quotes",)},
    default_sort="document", descending=frozenset({"quotes"}),
    facets={"outlet": Facet("Outlet", "SELECT d.source AS value, d.source AS label, COUNT(*) AS n FROM {source}"
                                      " WHERE {where} AND d.source IS NOT NULL GROUP BY d.source ORDER BY n DESC, value",
                            lambda r: {"outlet": r["value"]}),
            "language": Facet("Language", "SELECT d.language AS value, d.language AS label, COUNT(*) AS n"
                                          " FROM {source} WHERE {where} AND d.language IS NOT NULL"
                                          " GROUP BY d.language ORDER BY n DESC, value", lambda r: {"language": r["value"]})},
    columns=["id", "title", "date", "outlet", "language", "url", "quotes"],
)

# One row per place across the collection: a GeoNames place, or a name in a country where the
# gazetteer has none (so namesakes in different countries stay apart, and unresolved names show).
_PLACE_KEY = "COALESCE(p.geonames_id, p.name || '|' || COALESCE(p.country, ''))"
_PLACES_ONLY = "places p JOIN documents d ON d.id = p.doc_id"  # for counts that need no mentions


def _place_facet(label: str, column: str, param: str) -> Facet:
    """Places by one property, each place counted once."""
    return Facet(label, f"SELECT {column} AS value, {column} AS label, COUNT(DISTINCT {_PLACE_KEY}) AS n"
                        f" FROM {_PLACES_ONLY} WHERE {{where}} AND {column} IS NOT NULL GROUP BY {column}"
                        " ORDER BY n DESC, value", lambda r: {param: r["value"]})


PLACES = ListSpec(
    name="places", noun="places",
    select=("p.name, p.country, p.feature, p.geonames_id, p.lat, p.lon, COUNT(DISTINCT p.doc_id) AS documents,"
            " COUNT(m.start) AS mentions"),
    source=(_PLACES_ONLY + " LEFT JOIN mentions m ON m.doc_id = p.doc_id AND m.fact_table = 'places'"
            " AND m.fact_id = p.id"), key=_PLACE_KEY, group_by=_PLACE_KEY,
    count_source=_PLACES_ONLY,
    filters={"name": Filter("name", "p.name" + LIKE, _like_args()), "country": Filter("country", "p.country = ?"),
             "feature": Filter("kind", "p.feature = ?"), "outlet": Filter("outlet", "d.source = ?"),
             "resolved": Filter("resolved", lambda v: "p.lat IS NOT NULL" if v == "yes" else "p.lat IS NULL",
                                lambda v: [] if v in ("yes", "no") else None),
             "date_from": QUOTES.filters["date_from"], "date_to": QUOTES.filters["date_to"]},
    sorts={"mentions": ("mentions",), "documents": ("documents",), "name": ("p.name COLLATE NOCASE"),
           "country": ("p.country", "p.name COLLATE NOCASE")},
    default_sort="mentions", descending=frozenset({"mentions", "documents"}),
    facets={"country": _place_facet("Country", "p.country", "country"),
            "feature": _place_facet("Kind", "p.feature", "feature"),
            "outlet": _place_facet("Outlet", "d.source", "outlet")},
    columns=["name", "country", "feature", "geonames_id", "lat", "lon", "mentions", "documents"],
)

LISTS = {spec.name: spec for spec in (DOCUMENTS, QUOTES, SPEAKERS, ENTITIES, COUNTS, CORRECTIONS, PLACES)}
