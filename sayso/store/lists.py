"""The collection's lists (quotes, speakers, entities, counts, corrections) as a researcher
browses them: filtered, sorted, paged, with the total and facet counts, and the whole result
streamed for downloads. Filters come from user input and are only ever bound as SQL values.

Totals and facets of a filtered list are counted under a time budget (as Datasette does): a
count that would take longer is reported as not counted rather than holding the server."""
from __future__ import annotations

import re
import sqlite3
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace

from .db import fts_query

PAGE_SIZES = (25, 50, 100, 200)
BUDGET_S = 0.03  # for all the counts (total, facets) of one page of a filtered list
SORT_FIRST_S = 0.01  # for gathering and sorting a page's rows before walking the documents in order
WALK_S = 0.04  # for looking for a page's rows by walking the documents in order
FACET_SIZE = 10  # values shown of a facet
FACET_MORE = 100  # ... of the one facet a user asked to see more of (?more=name)


def like(text: str) -> str:
    return "%" + re.sub(r"([%_\\])", r"\\\1", text) + "%"


LIKE = " LIKE ? ESCAPE '\\'"


@dataclass
class Filter:
    """A query parameter: `sql` a condition with ? for the value(s) `args(value)` gives (None: the
    filter matches nothing, e.g. a search with no word in it); `label` names it for people."""
    label: str
    sql: str | Callable[[str], str]
    args: Callable[[str], list | None] = lambda v: [v]
    walk: str | Callable[[str], str] | None = None  # the same test row by row, to walk documents in order
    walk_args: Callable[[str], list | None] | None = None  # its values, when not those of `sql`

    def condition(self, value: str, walking: bool = False) -> str:
        sql = self.walk if walking and self.walk else self.sql
        return sql(value) if callable(sql) else sql


@dataclass
class Facet:
    """Counts of the list's rows by one property: `sql` selects value, label, n from the filtered
    rows (`{source}` and `{where}`), `params` maps a value to the query parameters it sets."""
    label: str
    sql: str
    params: Callable[[sqlite3.Row], dict]


@dataclass
class Keyset:
    """Where a page in document order ends, so that its next page starts there (`?after=`): a
    walk through the documents then reads only the rows after it, however deep the page.
    `columns` are the document order's (document rowid, start, row id), `lookup` reads them for
    a row's (doc_id, id)."""
    columns: tuple[str, str, str]
    lookup: str

    def of(self, conn, row: dict) -> str | None:
        found = conn.execute(self.lookup, (row["doc_id"], row["id"])).fetchone()
        return ":".join(str(v) for v in found) if found else None


def _after(value: str | None) -> list[int] | None:
    """`?after=` as (document rowid, start, row id), or None when absent or malformed."""
    parts = (value or "").split(":")
    return [int(v) for v in parts] if len(parts) == 3 and all(re.fullmatch(r"-?\d{1,18}", v) for v in parts) else None


@dataclass
class ListSpec:
    name: str
    noun: str
    select: str  # the columns, over `source`
    source: str  # FROM ... (joins)
    key: str  # what one row is: an expression unique per row, for grouping lists the group
    filters: dict[str, Filter]
    sorts: dict[str, str | tuple[str, ...]]  # ?sort= value -> ORDER BY expression(s), ascending
    default_sort: str
    facets: dict[str, Facet] = field(default_factory=dict)
    group_by: str | None = None
    base_where: str = "1 = 1"
    columns: list[str] = field(default_factory=list)  # of a download, in order
    descending: frozenset = frozenset()  # sorts whose natural order is largest first
    documents_first: str | None = None  # the source with documents as the outer loop
    reviewed: bool = False  # rows are quotes: review decisions apply (sayso.review)
    count_source: str | None = None  # a lighter source that gives the same rows to count
    keyset: Keyset | None = None  # for paging in document order from where the last page ended

    def where(self, params: dict, walking: bool = False) -> tuple[str, list, list[tuple[str, str, str]]] | None:
        """The WHERE clause, its arguments and the active filters (param, label, value); None
        when a filter can match nothing. Lists of quotes leave out the quotes a reviewer
        rejected, unless the review status filter asks for them. `walking`: for a walk through
        the documents in order, where the costlier row-at-a-time tests come last."""
        first, last, active = [(self.base_where, [])], [], []  # (condition, its values)
        if self.reviewed and params.get("status") != "rejected":
            first.append((NOT_REJECTED, []))
        for param, flt in self.filters.items():
            value = params.get(param)
            if not value:
                continue
            walks = walking and flt.walk
            values = (flt.walk_args or flt.args)(value) if walks else flt.args(value)
            if values is None:
                return None
            (last if walks else first).append((flt.condition(value, walking), values))
            active.append((param, flt.label, value))
        last.sort(key=lambda c: "quotes_fts" in c[0])  # a word search's index costs most per row: last
        conditions = first + last
        return " AND ".join(c for c, _ in conditions), [v for _, values in conditions for v in values], active

    def walks(self, params: dict) -> bool:
        """Whether the list is read by walking the documents in order (a page then reads only
        its own rows, and a download needs no sorting)."""
        return bool(self.documents_first) and params.get("sort") == "document"

    def from_where(self, where: str, walking: bool = False) -> str:
        """FROM ... WHERE ... (GROUP BY ...), from the documents first when `walking`."""
        group = f" GROUP BY {self.group_by}" if self.group_by else ""
        return f"FROM {self.documents_first if walking else self.source} WHERE {where}{group}"


class Budget:
    """Runs queries until `seconds` have passed in all (then each gives up: None), through
    SQLite's progress handler; one budget serves all the counts of a page."""

    def __init__(self, conn, seconds: float = BUDGET_S):
        self.conn = conn
        self.deadline = time.perf_counter() + seconds

    def __call__(self, sql: str, args=()) -> list | None:
        deadline = self.deadline
        if time.perf_counter() > deadline:
            return None
        self.conn.set_progress_handler(lambda: int(time.perf_counter() > deadline), 2000)
        try:
            return self.conn.execute(sql, args).fetchall()
        except sqlite3.OperationalError as err:
            if "interrupt" in str(err):
                return None
            raise
        finally:
            self.conn.set_progress_handler(None, 0)


def clean(spec: ListSpec, params: dict) -> dict:
    """The parameters this list knows, with sort, direction, page size and offset made valid (and
    `after` or `before`, where the page next to this one in document order ended or began, kept
    only when well formed)."""
    out = {k: str(v).strip() for k, v in params.items() if k in spec.filters and v is not None and str(v).strip()}
    sort = params.get("sort") if params.get("sort") in spec.sorts else spec.default_sort
    out["sort"] = sort
    default_dir = "desc" if sort in spec.descending else "asc"
    out["dir"] = params.get("dir") if params.get("dir") in ("asc", "desc") else default_dir
    if params.get("more") in spec.facets:
        out["more"] = params["more"]
    if spec.keyset and sort == spec.default_sort and out["dir"] == "asc":
        mark = next((m for m in ("after", "before") if _after(params.get(m))), None)
        if mark:
            out[mark] = params[mark]
    try:
        size = int(params.get("size") or 50)
    except ValueError:
        size = 50
    out["size"] = size if size in PAGE_SIZES else 50
    try:
        out["offset"] = max(0, int(params.get("offset") or 0))
    except ValueError:
        out["offset"] = 0
    return out


def _order(spec: ListSpec, params: dict) -> str:
    direction = "DESC" if params["dir"] == "desc" else "ASC"
    parts = spec.sorts[params["sort"]]
    return ", ".join(f"{part} {direction}" for part in ((parts,) if isinstance(parts, str) else parts))


def reviewable(conn) -> None:
    """Make the review views readable on this connection (temporary ones on a store that has
    never been opened for writing since review arrived)."""
    try:
        from ..review.view import ensure_view
    except ImportError:
        return
    ensure_view(conn)


def _has_decisions(conn) -> bool:
    try:
        return conn.execute("SELECT EXISTS (SELECT 1 FROM decisions WHERE fact_table = 'quotes')").fetchone()[0] == 1
    except sqlite3.OperationalError:
        return False


# The quotes as reviewed, under the name and rowid the lists' SQL uses for the quotes table.
REVIEWED_QUOTES = "(SELECT *, quote_rowid AS rowid FROM reviewed_quotes) q"


def as_reviewed(conn, spec: ListSpec) -> ListSpec:
    """The list over the reviewed quotes (edits applied to what is shown, filtered, grouped and
    counted) once the store holds decisions; over the quotes table, and its indexes, before."""
    if not spec.reviewed or not _has_decisions(conn):
        return spec
    swap = lambda sql: sql and re.sub(r"\bquotes q\b", REVIEWED_QUOTES, sql, count=1)
    return replace(spec, source=swap(spec.source), documents_first=swap(spec.documents_first))


def page(conn, spec: ListSpec, params: dict, summary=None) -> dict:
    """One page of the list: rows, total (None when not counted in time), facets, the active
    filters, and for an empty result the filters that emptied it."""
    reviewable(conn)
    spec = as_reviewed(conn, spec)
    params = clean(spec, params)
    built = spec.where(params)
    result = {"list": spec.name, "noun": spec.noun, "params": params, "rows": [], "total": 0, "facets": {}, "facets_cut": [],
              "filters": [], "emptied_by": []}
    if built is None:
        result["filters"] = [(p, spec.filters[p].label, params[p]) for p in spec.filters if p in params]
        result["emptied_by"] = [(f[0], None) for f in result["filters"] if spec.filters[f[0]].args(f[2]) is None]
        return result
    where, args, active = built
    result["filters"] = active
    shown = {name: FACET_MORE if name == params.get("more") else FACET_SIZE for name in spec.facets}
    fast = summary.figures_for(spec.name, active, max(shown.values(), default=0) + 1) if summary is not None else None
    rows = fast["rows"](conn, params) if fast is not None and fast.get("rows") is not None else None
    if rows is None:
        rows = first_rows(conn, spec, params, where, args, params["size"] + 1)
    if params.get("before"):  # the page before one: the rows nearest it, and that page comes next
        result["more"], result["rows"] = True, rows[-params["size"]:]
    else:
        result["more"], result["rows"] = len(rows) > params["size"], rows[:params["size"]]
    if spec.keyset and params["sort"] == spec.default_sort and params["dir"] == "asc" and result["rows"]:
        result["next_after"] = spec.keyset.of(conn, result["rows"][-1]) if result["more"] else None
        result["prev_before"] = spec.keyset.of(conn, result["rows"][0]) if params["offset"] > params["size"] else None
    if spec.reviewed and spec.group_by is None:
        result["rows"] = with_status(result["rows"], review_statuses(conn))
    budget = Budget(conn)
    known = dict(fast["facets"]) if fast is not None else {}
    if spec.reviewed and "status" in spec.facets and not _has_decisions(conn):
        known["status"] = []  # nothing reviewed yet: no need to read the reviewed view
    result["total"] = fast["total"] if fast is not None else count(budget, spec, where, args)
    facets = {name: known[name] if name in known else facet_counts(budget, spec, name, where, args, shown[name] + 1)
              for name in spec.facets}
    result["facets_cut"] = [name for name, values in facets.items() if values and len(values) > shown[name]]
    result["facets"] = {name: values and values[:shown[name]] for name, values in facets.items()}
    if not result["rows"] and params["offset"] == 0 and active:
        result["emptied_by"] = emptied_by(budget, spec, params, active)
    return result


def first_rows(conn, spec: ListSpec, params: dict, where: str, args: list, limit: int) -> list[dict]:
    """`limit` rows from the page's offset, or after or before a key (`?after=`, `?before=`). In
    document order, the matching rows are gathered and sorted, which is fast when few match; when
    that takes over SORT_FIRST_S, they are looked for by walking the documents in order, which
    stops at the page and is fast when many match; when that takes over WALK_S too (a middling
    share matches), they are gathered and sorted however long it takes."""
    order, limit = _order(spec, params), [limit, params["offset"]]
    past, marks = "", []
    after, before = _after(params.get("after")), _after(params.get("before"))
    if after or before:  # the rows after (before) a key; the first condition lets a walk start at its document
        key = ", ".join(spec.keyset.columns)
        past = f" AND d.rowid >= ? AND ({key}) > (?, ?, ?)" if after else f" AND d.rowid <= ? AND ({key}) < (?, ?, ?)"
        marks, limit = (after or before)[:1] + (after or before), [limit[0], 0]
        if before:
            order = _order(spec, {**params, "dir": "desc"})
    sql = f"SELECT {spec.select} {spec.from_where(where + past)} ORDER BY {order} LIMIT ? OFFSET ?"
    found = None
    if spec.walks(params):  # few matches sort at once; many are found sooner by the walk
        found = Budget(conn, SORT_FIRST_S)(sql, [*args, *marks, *limit])
        if found is None:
            walk_where, walk_args, _ = spec.where(params, walking=True)
            walk = (f"SELECT {spec.select} {spec.from_where(walk_where + past, walking=True)} ORDER BY {order}"
                    " LIMIT ? OFFSET ?")
            found = Budget(conn, WALK_S)(walk, [*walk_args, *marks, *limit])
    if found is None:
        found = conn.execute(sql, [*args, *marks, *limit]).fetchall()
    return [dict(r) for r in (reversed(found) if before else found)]


def rows(conn, spec: ListSpec, params: dict, limit: int, offset: int = 0) -> list[dict]:
    """`limit` rows of the list from `offset`, in its default order (the JSON API's paging)."""
    reviewable(conn)
    spec = as_reviewed(conn, spec)
    params = {**clean(spec, params), "offset": offset}
    built = spec.where(params)
    if built is None:
        return []
    found = first_rows(conn, spec, params, built[0], built[1], limit)
    return with_status(found, review_statuses(conn)) if spec.reviewed and spec.group_by is None else found


def count(budget, spec: ListSpec, where: str, args) -> int | None:
    counted = replace(spec, source=spec.count_source) if spec.count_source else spec
    rows = budget(f"SELECT COUNT(*) FROM (SELECT 1 {counted.from_where(where)})", args)
    return rows[0][0] if rows is not None else None


def facet_counts(budget, spec: ListSpec, name: str, where: str, args, size: int = FACET_SIZE) -> list[dict] | None:
    """The `size` most frequent values of a facet, with their counts; None when not counted in time."""
    facet = spec.facets[name]
    rows = budget(facet.sql.format(source=spec.source, where=where) + f" LIMIT {int(size)}", args)
    if rows is None:
        return None
    return [{"value": r["value"], "label": r["label"], "n": r["n"], "params": facet.params(r)}
            for r in rows if r["value"] is not None]


def emptied_by(budget, spec: ListSpec, params: dict, active) -> list[tuple[str, int]]:
    """The filters without which the list would not be empty, with the rows it would then have."""
    out = []
    for param, _, _ in active:
        others = {k: v for k, v in params.items() if k != param}
        built = spec.where(others)
        if built is None:
            continue
        n = count(budget, spec, built[0], built[1])
        if n:
            out.append((param, n))
    return out


def stream(conn, spec: ListSpec, params: dict, batch: int = 2000) -> Iterator[dict]:
    """Every row of the list (all pages), read in batches: memory stays flat however long it is."""
    reviewable(conn)
    spec = as_reviewed(conn, spec)
    params = clean(spec, params)
    built = spec.where(params)
    if built is None:
        return
    where, args, _ = built
    statuses = review_statuses(conn) if spec.reviewed and spec.group_by is None else None
    walking = spec.walks(params) and not any(spec.filters[p].walk for p in spec.filters if params.get(p))
    cursor = conn.execute(f"SELECT {spec.select} {spec.from_where(where, walking)} ORDER BY {_order(spec, params)}",
                          args)
    while rows := cursor.fetchmany(batch):
        rows = [dict(r) for r in rows]
        yield from with_status(rows, statuses) if statuses is not None else rows


def review_statuses(conn) -> dict[tuple[str, str], str]:
    """The review status of the quotes that have a decision, by (doc_id, id): a small set (the
    decisions people made), read once per page or download."""
    if not _has_decisions(conn):
        return {}
    sql = f"SELECT doc_id, id, review_status FROM reviewed_quotes WHERE quote_rowid IN ({_DECIDED})"
    return {(d, i): status for d, i, status in conn.execute(sql)}


def with_status(rows: list[dict], statuses: dict[tuple[str, str], str]) -> list[dict]:
    """Rows of a quote list with their review status (their values are the reviewed ones already:
    see `as_reviewed`)."""
    for row in rows:
        row["review_status"] = statuses.get((row.get("doc_id"), row.get("id")), "unreviewed")
    return rows


# ---- the lists ---------------------------------------------------------------------------------------

def _fts(value: str) -> list | None:
    match = fts_query(value)
    return None if match is None else [match]


def _like_args(n: int = 1):
    return lambda v: [like(v)] * n


def _inside(fact: str) -> str:
    return f"{fact}.start >= q.start AND {fact}.\"end\" <= q.\"end\""


# Theme evidence inside the quote, looked up by document (`+t.code` keeps SQLite from reading
# the code's index instead); to gather all matches, the documents with the theme come first.
QUOTE_IN_THEME = ("EXISTS (SELECT 1 FROM themes t, json_each(t.evidence) e WHERE t.doc_id = q.doc_id AND +t.code = ?"
                  " AND json_extract(e.value, '$.start') >= q.start AND json_extract(e.value, '$.end') <= q.\"end\")")
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
# The quotes whose latest review decision is a rejection (sayso.review's quote_review view: its
# anchors are text hash, span and kind); a small set, read once per query.
_DECIDED = ("SELECT q2.rowid FROM quote_review rv JOIN documents d2 ON d2.text_sha256 = rv.text_sha256"
            " JOIN quotes q2 ON q2.doc_id = d2.id AND q2.start = rv.start AND q2.\"end\" = rv.\"end\""
            " AND q2.kind = rv.kind")
NOT_REJECTED = f"q.rowid NOT IN ({_DECIDED} WHERE rv.last_action = 'reject')"
REVIEW_STATUSES = ("accepted", "edited", "rejected")
_SPEAKER_KEY = "COALESCE(q.speaker_registry_id, q.speaker_name)"


def _place_args(value: str) -> list:
    """`Paris` (any country) or `Paris|FR` (that country's Paris only)."""
    name, bar, country = value.partition("|")
    return [name, country] if bar else [like(name)]  # "Europe|": a place of no country (a continent)


QUOTES = ListSpec(
    name="quotes", noun="quotes",
    select=("q.doc_id, q.id, q.start, q.\"end\", q.text, q.kind, q.cue, q.speaker_name, q.speaker_mention,"
            " q.speaker_descriptor, q.speaker_role, q.speaker_org, q.speaker_registry_id, q.nested_in,"
            f" {_SPEAKER} AS speaker, d.title AS doc_title, d.date AS doc_date, d.source AS outlet"),
    source="quotes q JOIN documents d ON d.id = q.doc_id LEFT JOIN registry r ON r.id = q.speaker_registry_id",
    documents_first=("documents d CROSS JOIN quotes q ON q.doc_id = d.id"
                     " LEFT JOIN registry r ON r.id = q.speaker_registry_id"),
    key="q.rowid",
    filters={
        "q": Filter("words", "q.rowid IN (SELECT rowid FROM quotes_fts WHERE quotes_fts MATCH ?)", _fts,
                    walk="EXISTS (SELECT 1 FROM quotes_fts f WHERE f.rowid = q.rowid AND quotes_fts MATCH ?)"),
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
                                   f" AND quote_rowid IN ({_DECIDED}))",
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
                         lambda r: {"who": r["value"]}),
        "kind": Facet("Kind", "SELECT q.kind AS value, q.kind AS label, COUNT(*) AS n FROM {source} WHERE {where}"
                              " GROUP BY q.kind ORDER BY n DESC", lambda r: {"kind": r["value"]}),
        "outlet": Facet("Outlet", "SELECT d.source AS value, d.source AS label, COUNT(*) AS n FROM {source}"
                                  " WHERE {where} AND d.source IS NOT NULL GROUP BY d.source ORDER BY n DESC",
                        lambda r: {"outlet": r["value"]}),
        "theme": Facet("Theme", "SELECT t.code AS value, t.code || ' ' || t.label AS label, COUNT(DISTINCT q.rowid) AS n"
                                " FROM {source} JOIN themes t ON t.doc_id = q.doc_id JOIN json_each(t.evidence) e"
                                " WHERE {where} AND json_extract(e.value, '$.start') >= q.start"
                                " AND json_extract(e.value, '$.end') <= q.\"end\" GROUP BY t.code ORDER BY n DESC",
                       lambda r: {"theme": r["value"]}),
        "place": Facet("Place", "SELECT p.name || '|' || COALESCE(p.country, '') AS value,"
                                " p.name || COALESCE(' (' || p.country || ')', '') AS label, COUNT(DISTINCT q.rowid) AS n"
                                " FROM {source} JOIN places p ON p.doc_id = q.doc_id JOIN mentions m"
                                " ON m.doc_id = p.doc_id AND m.fact_table = 'places' AND m.fact_id = p.id"
                                " WHERE {where} AND " + _inside("m") + " GROUP BY value ORDER BY n DESC",
                       lambda r: {"place": r["value"]}),
        "status": Facet("Review", "SELECT rq.review_status AS value, rq.review_status AS label, COUNT(*) AS n"
                                  f" FROM reviewed_quotes rq WHERE rq.quote_rowid IN ({_DECIDED})"
                                  " AND rq.quote_rowid IN (SELECT q.rowid FROM {source} WHERE {where})"
                                  " GROUP BY 1 ORDER BY n DESC", lambda r: {"status": r["value"]}),
        "month": Facet("Month", "SELECT substr(d.date, 1, 7) AS value, substr(d.date, 1, 7) AS label, COUNT(*) AS n"
                                " FROM {source} WHERE {where} AND d.date IS NOT NULL GROUP BY value ORDER BY value DESC",
                       lambda r: {"date_from": f"{r['value']}-01", "date_to": f"{r['value']}-31"}),
    },
    columns=["doc_id", "id", "speaker", "speaker_mention", "speaker_role", "speaker_org", "kind", "cue", "text",
             "start", "end", "doc_title", "doc_date", "outlet", "speaker_registry_id", "nested_in", "review_status"],
    reviewed=True,
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
                              " WHERE {where} AND q.speaker_role IS NOT NULL GROUP BY value ORDER BY n DESC",
                      lambda r: {"role": r["value"]}),
        "org": Facet("Organisation", "SELECT q.speaker_org AS value, q.speaker_org AS label, COUNT(*) AS n FROM {source}"
                                     " WHERE {where} AND q.speaker_org IS NOT NULL GROUP BY value ORDER BY n DESC",
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
                                    " WHERE {where} GROUP BY r.label ORDER BY n DESC", lambda r: {"label": r["value"]})},
    columns=["id", "name", "label", "documents", "names"],
)

COUNTS = ListSpec(
    name="counts", noun="counts",
    select=("k.doc_id, k.id, k.number, k.upper, k.qualifier, k.object, k.event, k.text, k.start, k.\"end\","
            " k.quote_id, k.claimed_by, d.title AS doc_title, d.date AS doc_date, d.source AS outlet"),
    source="counts k JOIN documents d ON d.id = k.doc_id", key="k.rowid",
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
                                    " WHERE {where} GROUP BY k.object ORDER BY n DESC", lambda r: {"object": r["value"]}),
            "event": Facet("Event", "SELECT k.event AS value, k.event AS label, COUNT(*) AS n FROM {source}"
                                    " WHERE {where} AND k.event IS NOT NULL GROUP BY k.event ORDER BY n DESC",
                           lambda r: {"event": r["value"]}),
            "claimed_by": Facet("Claimed by", "SELECT k.claimed_by AS value, k.claimed_by AS label, COUNT(*) AS n"
                                              " FROM {source} WHERE {where} AND k.claimed_by IS NOT NULL"
                                              " GROUP BY k.claimed_by ORDER BY n DESC",
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
                                      " WHERE {where} AND d.source IS NOT NULL GROUP BY d.source ORDER BY n DESC",
                            lambda r: {"outlet": r["value"]}),
            "language": Facet("Language", "SELECT d.language AS value, d.language AS label, COUNT(*) AS n"
                                          " FROM {source} WHERE {where} AND d.language IS NOT NULL"
                                          " GROUP BY d.language ORDER BY n DESC", lambda r: {"language": r["value"]})},
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
                        " ORDER BY n DESC", lambda r: {param: r["value"]})


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
