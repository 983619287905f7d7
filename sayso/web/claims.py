"""Claims across the collection in the browser: clusters of repeated quotes (a timeline per
cluster with the altered words marked), counts of the same thing grouped across documents, and
their JSON twins under /api. The server reads the claims tables as `sayso claims` (or an
ingest) last left them; it never writes."""
from __future__ import annotations

import sqlite3
import time
from itertools import islice
from urllib.parse import urlencode

from fastapi import HTTPException, Query, Request
from fastapi.responses import HTMLResponse

from ..claims.report import SUMMARY_COLUMNS, claim_summary
from ..store.listing import BUDGET_S
from .api import as_json
from .pages import csv_response, json_response

PAGE = 50
COUNT_S = BUDGET_S  # how long the claims after a page are counted for its total, as a list's
WAITING_SHOWN = 10_000  # quotes not yet clustered are counted up to this


def _page(conn, offset: int, memo, **filters) -> tuple[list[dict], int | None]:
    """One page of claims and their total (None when counting them would take over COUNT_S)."""
    from ..claims import clusters, count

    try:
        found = clusters(conn, memo=memo, **filters)
        rows = list(islice(found, offset, offset + PAGE))
        if not (filters["altered"] or filters["conflicting"]):
            total = count(conn, filters["min_sources"], filters["speaker"])
            if total is not None:
                return rows, total
        total, deadline = offset + len(rows), time.perf_counter() + COUNT_S
        for _ in found:
            total += 1
            if time.perf_counter() > deadline:
                return rows, None
        return rows, total
    except sqlite3.OperationalError:
        return [], 0  # a store made before claims existed: no claims tables until it is opened for writing


def _row(claim: dict) -> list:
    """A claim as one CSV row: its summary, lists joined with '; '."""
    return ["; ".join(v or "" for v in value) if isinstance(value, list) else value
            for value in claim_summary(claim).values()]


def _clusters(conn, limit: int, offset: int, memo, **filters) -> list[dict]:
    from ..claims import clusters

    try:
        return list(islice(clusters(conn, memo=memo, **filters), offset, offset + limit))
    except sqlite3.OperationalError:
        return []  # a store made before claims existed: no claims tables until it is opened for writing


def _unclustered(conn) -> str | None:
    """How many quotes are in no claim yet, for people: "1,234", "over 10,000" or None."""
    from ..claims import unclustered

    try:
        n = unclustered(conn, up_to=WAITING_SHOWN)
    except sqlite3.OperationalError:  # a store from before claims
        n = conn.execute("SELECT COUNT(*) FROM (SELECT 1 FROM quotes LIMIT ?)", (WAITING_SHOWN + 1,)).fetchone()[0]
    return None if n == 0 else f"over {WAITING_SHOWN:,}" if n > WAITING_SHOWN else f"{n:,}"


def _timeline(claim: dict) -> list[dict]:
    """Each occurrence with its words as pieces to mark (see claims.text.diff_segments)."""
    from ..claims.text import diff_segments, words

    reference = words(claim["text"])
    return [{**o, "pieces": diff_segments(words(o["text"]), reference) if o["altered"] else None}
            for o in claim["occurrences"]]


def install(app, reading, page) -> None:
    """Add the claims pages and API to `app`."""
    from ..claims import Descriptions

    memo = Descriptions()  # claims described, kept until they change

    def filters(altered: bool, conflicting: bool, speaker: str | None, min_sources: int) -> dict:
        return {"altered": altered, "conflicting": conflicting, "speaker": speaker or None,
                "min_sources": min_sources}

    @app.get("/api/claims", tags=["claims"], summary="List claims")
    def api_claims(altered: bool = False, conflicting: bool = False, speaker: str | None = Query(None, max_length=200),
                   min_sources: int = Query(1, ge=1), limit: int = Query(PAGE, ge=1, le=500),
                   offset: int = Query(0, ge=0)):
        """Claim clusters (the `sayso claims --format json` objects), in id order.
        Example: `GET /api/claims?min_sources=2&altered=true`."""
        with reading() as store:
            return as_json(_clusters(store.conn, limit, offset, memo,
                                     **filters(altered, conflicting, speaker, min_sources)))

    @app.get("/api/claims/{claim_id}", tags=["claims"], summary="One claim")
    def api_claim(claim_id: str):
        """One claim by its id: its canonical text, speakers, first appearance and every
        occurrence with its outlet, date and word changes.
        Example: `GET /api/claims/C12`."""
        from ..claims import find_claim

        with reading() as store:
            try:
                found = find_claim(store.conn, claim_id, memo)
            except sqlite3.OperationalError:
                found = None
        if found is None:
            raise HTTPException(404, f"no claim {claim_id!r}")
        return found

    @app.get("/api/counts/grouped", tags=["counts"], summary="Counts reported by several documents")
    def api_count_groups():
        """Counts of the same thing reported by several documents, each figure with who gave it.
        Example: `GET /api/counts/grouped`."""
        from ..claims.counts import count_groups

        with reading() as store:
            try:
                return list(count_groups(store.conn))
            except sqlite3.OperationalError:
                return []

    @app.get("/claims", response_class=HTMLResponse)
    def claims_page(request: Request, altered: bool = False, conflicting: bool = False,
                    speaker: str | None = Query(None, max_length=200), min_sources: int = Query(2, ge=1),
                    offset: int = Query(0, ge=0)):
        chosen = filters(altered, conflicting, speaker, min_sources)
        with reading() as store:
            rows, total = _page(store.conn, offset, memo, **chosen)
            waiting = _unclustered(store.conn)
        query = urlencode({k: ("true" if v is True else v) for k, v in chosen.items() if v})
        return page(request, "claims.html", rows=rows, total=total, chosen=chosen, offset=offset, page_size=PAGE,
                    waiting=waiting, query=query)

    def whole(altered: bool, conflicting: bool, speaker: str | None, min_sources: int):
        """Every claim of the filters, read as it is sent (the downloads of /claims)."""
        from ..claims import clusters

        with reading.fresh() as store:
            try:
                yield from clusters(store.conn, **filters(altered, conflicting, speaker, min_sources))
            except sqlite3.OperationalError:
                return

    @app.get("/claims.json", include_in_schema=False)
    def claims_json(altered: bool = False, conflicting: bool = False, speaker: str | None = Query(None, max_length=200),
                    min_sources: int = Query(2, ge=1)):
        return json_response(whole(altered, conflicting, speaker, min_sources))

    @app.get("/claims.csv", include_in_schema=False)
    def claims_csv(altered: bool = False, conflicting: bool = False, speaker: str | None = Query(None, max_length=200),
                   min_sources: int = Query(2, ge=1)):
        return csv_response("claims", SUMMARY_COLUMNS, map(_row, whole(altered, conflicting, speaker, min_sources)))

    @app.get("/claims/{claim_id}", response_class=HTMLResponse)
    def claim_page(request: Request, claim_id: str):
        claim = api_claim(claim_id)
        return page(request, "claims_one.html", claim=claim, timeline=_timeline(claim))

    @app.get("/counts/grouped", response_class=HTMLResponse)
    def count_groups_page(request: Request):
        return page(request, "counts_grouped.html", groups=api_count_groups())
