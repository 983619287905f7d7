"""How the collection's lists are read (the lists themselves are in sayso.store.lists): filtered,
sorted, paged, with the total and facet counts, and the whole result streamed for downloads.
Filters come from user input and are only ever bound as SQL values.

Totals and facets of a filtered list are counted under a time budget (as Datasette does): a
count that would take longer is reported as not counted rather than holding the server. A page
in document order is found by sorting the few matches or walking the documents until the page
is full (see `first_rows`), and paged on from where the last page ended (`Keyset`)."""
from __future__ import annotations

import re
import sqlite3
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace

PAGE_SIZES = (25, 50, 100, 200)
BUDGET_S = 0.03  # for all the counts (total, facets) of one page of a filtered list
SORT_FIRST_S = 0.01  # for gathering and sorting a page's rows before walking the documents in order
WALK_S = 0.04  # for looking for a page's rows by walking the documents in order
WALL_CAP = 20  # a budget's ceiling on the clock, in multiples of its CPU time (see Budget)
PROGRESS_STEP = 20_000  # SQLite instructions between two looks at a budget (about 0.2 ms: reading the
# CPU clock is a system call)
FACET_SIZE = 10  # values shown of a facet
FACET_MORE = 100  # ... of the one facet a user asked to see more of (?more=name)
ONE_PASS = 2000  # matching rows up to which a list's facets are counted in one statement (Facet)
PAGING = frozenset({"offset", "size", "sort", "dir", "after", "before"})  # what the counts do not depend on


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
    costly: bool = False  # its row-by-row test costs most (a word search's index): tested last

    def condition(self, value: str, walking: bool = False) -> str:
        sql = self.walk if walking and self.walk else self.sql
        return sql(value) if callable(sql) else sql


@dataclass
class Facet:
    """Counts of the list's rows by one property: `sql` selects value, label, n from the filtered
    rows (`{source}` and `{where}`), `params` maps a value to the query parameters it sets.

    A list that names the columns of its matching rows (`ListSpec.matched`) counts its facets in
    one statement when at most ONE_PASS rows match: the matching rows are read once into
    `m`, and each facet counts them by its `matched` SQL, which must give what `sql` gives."""
    label: str
    sql: str
    params: Callable[[sqlite3.Row], dict]
    matched: str | None = None  # the same counts over `m`, the matching rows (ListSpec.matched)


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
    decided: bool = True  # ... and the store may hold some (as_reviewed says when it holds none)
    count_source: str | None = None  # a lighter source that gives the same rows to count
    keyset: Keyset | None = None  # for paging in document order from where the last page ended
    matched: str | None = None  # columns of the matching rows, for counting in one statement (Facet)
    table: str | None = None  # the table of its rows, whose size weighs a walk in document order

    def where(self, params: dict, walking: bool = False) -> tuple[str, list, list[tuple[str, str, str]]] | None:
        """The WHERE clause, its arguments and the active filters (param, label, value); None
        when a filter can match nothing. Lists of quotes leave out the quotes a reviewer
        rejected, unless the review status filter asks for them. `walking`: for a walk through
        the documents in order, where the costlier row-at-a-time tests come last."""
        first, last, active = [(self.base_where, [])], [], []  # (condition, its values)
        if self.reviewed and self.decided and params.get("status") != "rejected":
            first.append((NOT_REJECTED, []))
        for param, flt in sorted(self.filters.items(), key=lambda item: walking and item[1].costly):
            value = params.get(param)
            if not value:
                continue
            walks = walking and flt.walk
            values = (flt.walk_args or flt.args)(value) if walks else flt.args(value)
            if values is None:
                return None
            (last if walks else first).append((flt.condition(value, walking), values))
            active.append((param, flt.label, value))
        conditions = first + last
        return " AND ".join(c for c, _ in conditions), [v for _, values in conditions for v in values], active

    @property
    def per_quote(self) -> bool:
        """One row per quote: rows carry their review status."""
        return self.reviewed and self.group_by is None

    def keyed(self, params: dict) -> bool:
        """Whether pages follow one another by where they end or begin (`?after=`, `?before=`): in
        the default document order, ascending."""
        return self.keyset is not None and params["sort"] == self.default_sort and params["dir"] == "asc"

    def walks(self, params: dict) -> bool:
        """Whether the list is read by walking the documents in order (a page then reads only
        its own rows, and a download needs no sorting)."""
        return bool(self.documents_first) and params.get("sort") == "document"

    def from_where(self, where: str, walking: bool = False) -> str:
        """FROM ... WHERE ... (GROUP BY ...), from the documents first when `walking`."""
        group = f" GROUP BY {self.group_by}" if self.group_by else ""
        return f"FROM {self.documents_first if walking else self.source} WHERE {where}{group}"


class Budget:
    """Runs queries until `seconds` of this thread's CPU time have passed in all (then each gives
    up: None), through SQLite's progress handler; one budget serves all the counts of a page.

    CPU time, not the clock: with several requests at once, the clock also runs while the other
    requests' threads work, and a clock budget then ran out before the counts were done, in every
    request (and what was left uncounted was counted again by the next one). WALL_CAP times
    `seconds` of the clock is a ceiling all the same, for a query that waits on the disk."""

    def __init__(self, conn, seconds: float = BUDGET_S):
        self.conn = conn
        self.deadline = time.thread_time() + seconds
        self.wall_deadline = time.perf_counter() + WALL_CAP * seconds

    def spent(self) -> bool:
        return time.thread_time() > self.deadline or time.perf_counter() > self.wall_deadline

    def __call__(self, sql: str, args=()) -> list | None:
        if self.spent():
            return None
        self.conn.set_progress_handler(self.spent, PROGRESS_STEP)
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
    if spec.keyed(out):
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


# The quotes whose latest review decision is a rejection (sayso.review's quote_review view: its
# anchors are text hash, span and kind); a small set, read once per query.
DECIDED = ("SELECT q2.rowid FROM quote_review rv JOIN documents d2 ON d2.text_sha256 = rv.text_sha256"
            " JOIN quotes q2 ON q2.doc_id = d2.id AND q2.start = rv.start AND q2.\"end\" = rv.\"end\""
            " AND q2.kind = rv.kind")
NOT_REJECTED = f"q.rowid NOT IN ({DECIDED} WHERE rv.last_action = 'reject')"

# The quotes as reviewed, under the name and rowid the lists' SQL uses for the quotes table.
REVIEWED_QUOTES = "(SELECT *, quote_rowid AS rowid FROM reviewed_quotes) q"


def as_reviewed(conn, spec: ListSpec) -> ListSpec:
    """The list over the reviewed quotes (edits applied to what is shown, filtered, grouped and
    counted) once the store holds decisions; over the quotes table, and its indexes, before."""
    if not spec.reviewed:
        return spec
    if not _has_decisions(conn):
        return replace(spec, decided=False)  # no rejected quote to leave out: no need to look for one
    swap = lambda sql: sql and re.sub(r"\bquotes q\b", REVIEWED_QUOTES, sql, count=1)
    return replace(spec, source=swap(spec.source), documents_first=swap(spec.documents_first))


def page(conn, spec: ListSpec, params: dict, summary=None, counted: dict | None = None) -> dict:
    """One page of the list: rows, total (None when not counted in time), facets, the active
    filters, and for an empty result the filters that emptied it. `counted`: totals and facets
    already counted for other pages of the same filters (kept by a caller for as long as the
    store does not change); this page's are added to it."""
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
    key = (spec.name, tuple(sorted((k, v) for k, v in params.items() if k not in PAGING)))
    if counted is not None and key in counted:
        result.update(counted[key])
    else:  # counted before the rows: how many match decides how the rows are found
        result.update(_counts(conn, Budget(conn), spec, where, args, fast, shown))
        if counted is not None and result["total"] is not None and None not in result["facets"].values():
            counted[key] = {k: result[k] for k in ("total", "facets", "facets_cut")}
    rows = fast["rows"](conn, params) if fast is not None and fast.get("rows") is not None else None
    if rows is None:
        rows = first_rows(conn, spec, params, where, args, params["size"] + 1, matching=result["total"])
    if params.get("before"):  # the page before one: the rows nearest it, and that page comes next
        result["more"], result["rows"] = True, rows[-params["size"]:]
    else:
        result["more"], result["rows"] = len(rows) > params["size"], rows[:params["size"]]
    if spec.keyed(params) and result["rows"]:
        result["next_after"] = spec.keyset.of(conn, result["rows"][-1]) if result["more"] else None
        result["prev_before"] = spec.keyset.of(conn, result["rows"][0]) if params["offset"] > params["size"] else None
    if spec.per_quote:
        result["rows"] = with_status(result["rows"], review_statuses(conn))
    if not result["rows"] and params["offset"] == 0 and active:  # an empty page counted nothing else: its own time
        result["emptied_by"] = emptied_by(Budget(conn), spec, params, active)
    return result


def _counts(conn, budget, spec: ListSpec, where: str, args, fast, shown: dict) -> dict:
    """The total and facets of a list's filters, from the figures (`fast`) or counted under the
    budget: in one statement when the list allows (`_in_one_statement`), else each by its own
    query."""
    known = dict(fast["facets"]) if fast is not None else {}
    if spec.reviewed and "status" in spec.facets and not _has_decisions(conn):
        known["status"] = []  # nothing reviewed yet: no need to read the reviewed view
    total = fast["total"] if fast is not None else count(budget, spec, where, args)
    if fast is None and spec.matched and total is not None and total <= ONE_PASS:
        _in_one_statement(budget, spec, where, args, known, shown)
    facets = {name: known[name] if name in known else facet_counts(budget, spec, name, where, args, shown[name] + 1)
              for name in spec.facets}
    return {"total": total, "facets_cut": [name for name, values in facets.items() if values and len(values) > shown[name]],
            "facets": {name: values and values[:shown[name]] for name, values in facets.items()}}


_MATERIALIZED = "MATERIALIZED " if sqlite3.sqlite_version_info >= (3, 35) else ""


def _in_one_statement(budget, spec: ListSpec, where: str, args, known: dict, shown: dict) -> None:
    """Count the facets not `known` in one statement, which reads the matching rows once (`m`),
    and add them to `known` (nothing when the budget runs out). Counted each by its own query,
    the filters and joins (a word search's index, the documents) were evaluated again for each,
    which took most of the time. It is all or nothing, so it is used for a few rows only
    (ONE_PASS); for more, each facet's own query has its chance within the budget."""
    todo = [name for name, facet in spec.facets.items() if name not in known and facet.matched]
    if not todo:
        return
    counts = " UNION ALL ".join(f"SELECT * FROM (SELECT '{name}', value, label, n FROM"
                                f" ({spec.facets[name].matched}) LIMIT {shown[name] + 1})" for name in todo)
    found = budget(f"WITH m AS {_MATERIALIZED}(SELECT {spec.matched} {spec.from_where(where)}) {counts}", args)
    if found is None:
        return
    facets: dict[str, list] = {name: [] for name in todo}
    for name, value, label, n in found:
        if value is not None:
            facets[name].append({"value": value, "label": label, "n": n,
                                 "params": spec.facets[name].params({"value": value, "label": label, "n": n})})
    known.update(facets)


def first_rows(conn, spec: ListSpec, params: dict, where: str, args: list, limit: int,
               matching: int | None = None) -> list[dict]:
    """`limit` rows from the page's offset, or after or before a key (`?after=`, `?before=`). In
    document order there are two ways: gather the matching rows and sort them, which costs in
    proportion to how many match, or walk the documents in order until the page is full, which
    costs in proportion to the rows walked past (`_walk_first` weighs them when `matching`, the
    number of matching rows, is known). Unknown, the sort is tried for SORT_FIRST_S, then the walk
    for WALK_S; and when the walk takes longer (a middling share matches), the sort is run however
    long it takes."""
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
    if spec.walks(params):
        walk_where, walk_args, _ = spec.where(params, walking=True)
        walk = (f"SELECT {spec.select} {spec.from_where(walk_where + past, walking=True)} ORDER BY {order}"
                " LIMIT ? OFFSET ?")
        walk_first = None if matching is None else _walk_first(conn, spec, params, matching, sum(limit))
        if walk_first is None:
            found = Budget(conn, SORT_FIRST_S)(sql, [*args, *marks, *limit])
        if found is None and walk_first is not False:
            found = Budget(conn, WALK_S)(walk, [*walk_args, *marks, *limit])
    if found is None:
        found = conn.execute(sql, [*args, *marks, *limit]).fetchall()
    return [dict(r) for r in (reversed(found) if before else found)]


# What reading one row costs, in relative units: gathered for a sort, walked past with the
# filters tested on it, and walked past with a costly filter (a word search: a lookup in its
# index per row). Measured on the quotes list (bench/serve.py's store): 1-1.5, 6 and 50 us.
SORT_ROW, WALK_ROW, WALK_COSTLY_ROW = 1.5, 6, 50


def _walk_first(conn, spec: ListSpec, params: dict, matching: int, needed: int) -> bool:
    """Whether walking the documents to find `needed` rows (the page and those before it) costs
    less than sorting the `matching` rows, when the matches are spread evenly over the list."""
    if not spec.table:
        return False
    size = conn.execute(f"SELECT MAX(rowid) FROM {spec.table}").fetchone()[0] or 0
    walked = min(size, needed * size / max(matching, 1))
    costly = any(flt.costly for name, flt in spec.filters.items() if params.get(name))
    return walked * (WALK_COSTLY_ROW if costly else WALK_ROW) < matching * SORT_ROW


def rows(conn, spec: ListSpec, params: dict, limit: int, offset: int = 0) -> list[dict]:
    """`limit` rows of the list from `offset`, in its default order (the JSON API's paging)."""
    reviewable(conn)
    spec = as_reviewed(conn, spec)
    params = {**clean(spec, params), "offset": offset}
    built = spec.where(params)
    if built is None:
        return []
    found = first_rows(conn, spec, params, built[0], built[1], limit)
    return with_status(found, review_statuses(conn)) if spec.per_quote else found


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
    statuses = review_statuses(conn) if spec.per_quote else None
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
    sql = f"SELECT doc_id, id, review_status FROM reviewed_quotes WHERE quote_rowid IN ({DECIDED})"
    return {(d, i): status for d, i, status in conn.execute(sql)}


def with_status(rows: list[dict], statuses: dict[tuple[str, str], str]) -> list[dict]:
    """Rows of a quote list with their review status (their values are the reviewed ones already:
    see `as_reviewed`)."""
    for row in rows:
        row["review_status"] = statuses.get((row.get("doc_id"), row.get("id")), "unreviewed")
    return rows
