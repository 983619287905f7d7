"""The list pages (quotes, speakers, entities, counts, corrections), their downloads (.csv and
.json twins holding the whole result, streamed), the theme matrix, the timeline and the places."""
from __future__ import annotations

import csv
import functools
import io
import json
from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse, StreamingResponse

from ..export.tabular import safe_row
from ..store.lists import LISTS, PAGE_SIZES, clean, page as list_page, stream
from ..store.summary import Copies
from .cache import PerVersion
from .timeline import timeline_svg

DEFAULTS = {"offset": 0, "size": 50}


def link(path: str, params: dict, _defaults: dict | None = None, **changes) -> str:
    """`path?query` with `params` changed by `changes` (None removes one), leaving out values that
    are the defaults; paging restarts unless the offset (and where the last page ended) is among
    the changes."""
    merged = {**params, **changes}
    if "offset" not in changes:
        merged.pop("offset", None)
    for mark in ("after", "before"):
        if mark not in changes:
            merged.pop(mark, None)
    defaults = {**DEFAULTS, **(_defaults or {})}
    query = [_pair(k, v) for k, v in merged.items() if v not in (None, "") and defaults.get(k) != v]
    return path + ("?" + "&".join(query) if query else "")


@functools.lru_cache(maxsize=4096)
def _pair(key: str, value) -> str:
    """`key=value` encoded (a list page makes some eighty links, mostly of the same pairs)."""
    return urlencode({key: value})


def install(app, reading, page, figures) -> None:
    """Add the list pages, downloads, matrix, timeline and places routes to `app`; `figures`
    counts every document (lists, timeline) and each wire story once (matrix, places)."""
    summary = figures.every
    for name in LISTS:
        _list_routes(app, name, reading, page, summary)

    @app.get("/themes", response_class=HTMLResponse, include_in_schema=False)
    def themes_page(request: Request, limit: int = 50, copies: Copies = "once"):
        with reading() as store:
            counted = figures.of(copies).refresh(store.conn)
            matrix = counted.matrix()
        top = max((n for row in matrix["rows"] for n in row["cells"].values()), default=1)
        return page(request, "themes.html", matrix=matrix, rows=matrix["rows"][:max(1, min(limit, 5000))],
                    top=top, limit=limit, copies=copies, left_out=counted.overview()["wire_copies_left_out"])

    @app.get("/themes.json", include_in_schema=False)
    def themes_json(copies: Copies = "once"):
        with reading() as store:
            return figures.of(copies).refresh(store.conn).matrix()

    @app.get("/themes.csv", include_in_schema=False)
    def themes_csv(copies: Copies = "once"):
        with reading() as store:
            matrix = figures.of(copies).refresh(store.conn).matrix()
        codes = [c["code"] for c in matrix["codes"]]
        header = ["speaker", "entity_id", *[f"{c['code']} {c['label']}" for c in matrix["codes"]], "total"]
        rows = ([r["speaker"], r["entity_id"], *[r["cells"].get(c, 0) for c in codes], r["total"]]
                for r in matrix["rows"])
        return csv_response("themes", header, rows)

    def timeline(by: str, date_from: str | None, date_to: str | None) -> dict:
        """Quotes per week by outlet, theme or speaker, the weeks from date_from to date_to."""
        with reading() as store:
            data = summary.refresh(store.conn).timeline(by if by in ("outlet", "theme", "speaker") else "outlet")
        return between(data, date_from, date_to)

    @app.get("/timeline", response_class=HTMLResponse, include_in_schema=False)
    def timeline_page(request: Request, by: str = "outlet", date_from: str | None = None, date_to: str | None = None):
        by = by if by in ("outlet", "theme", "speaker") else "outlet"
        data = timeline(by, date_from, date_to)
        return page(request, "timeline.html", data=data, by=by, svg=timeline_svg(data, by),
                    span=urlencode({k: v for k, v in (("date_from", date_from), ("date_to", date_to)) if v}),
                    date_from=date_from or "", date_to=date_to or "")

    @app.get("/timeline.csv", include_in_schema=False)
    def timeline_csv(by: str = "outlet", date_from: str | None = None, date_to: str | None = None):
        """One row per week: all quotes, then each of the top series (outlets, themes or speakers)."""
        data = timeline(by, date_from, date_to)
        header = ["week", "all", *[s["label"] for s in data["series"]]]
        return csv_response("timeline", header, ([w, data["all"].get(w, 0), *[s["counts"].get(w, 0)
                                                                              for s in data["series"]]]
                                                 for w in data["weeks"]))

    @app.get("/timeline.json", include_in_schema=False)
    def timeline_json(by: str = "outlet", date_from: str | None = None, date_to: str | None = None):
        return timeline(by, date_from, date_to)

    @app.get("/map.json", include_in_schema=False)
    def map_json(copies: Copies = "once"):
        """The resolved places of the map, most mentioned first, each wire story once by default
        (the whole list of places, filtered, is /places.json)."""
        with reading() as store:
            return figures.of(copies).refresh(store.conn).places()


def _list_routes(app, name: str, reading, page, summary) -> None:
    spec = LISTS[name]
    counted = PerVersion()  # totals and facets, shared by the pages of the same filters

    def html(request: Request):
        params = dict(request.query_params)
        with reading() as store:
            result = list_page(store.conn, spec, params, summary.refresh(store.conn), counted.of(request))
            themes = sorted(summary.labels.items())  # the codes found, for the theme menu
        shown = result["params"]
        defaults = clean(spec, {})
        here = lambda path, params, **changes: link(path, params, {"sort": defaults["sort"], "dir": (
            "desc" if params["sort"] in spec.descending else "asc")}, **changes)
        if not result["rows"] and shown["offset"] and (result["total"] or 0) > 0:  # past the end
            last = (result["total"] - 1) // shown["size"] * shown["size"]
            return RedirectResponse(here(f"/{name}", shown, offset=last), status_code=303)
        return page(request, f"list_{name}.html", result=result, spec=spec, p=shown, link=here, path=f"/{name}",
                    sizes=PAGE_SIZES, filters=shown, query=_query(shown, defaults), themes=themes)

    def as_json(request: Request):
        params = clean(spec, dict(request.query_params))

        def rows():
            with reading.fresh() as store:
                yield from stream(store.conn, spec, params)

        return json_response(rows())

    def as_csv(request: Request):
        params = clean(spec, dict(request.query_params))

        def rows():
            with reading.fresh() as store:
                for row in stream(store.conn, spec, params):
                    yield [row.get(c) for c in spec.columns]

        return csv_response(name, spec.columns, rows())

    app.add_api_route(f"/{name}", html, methods=["GET"], response_class=HTMLResponse, include_in_schema=False,
                      name=f"{name}_page")
    app.add_api_route(f"/{name}.json", as_json, methods=["GET"], include_in_schema=False, name=f"{name}_json")
    app.add_api_route(f"/{name}.csv", as_csv, methods=["GET"], include_in_schema=False, name=f"{name}_csv")


def between(data: dict, date_from: str | None, date_to: str | None) -> dict:
    """A timeline cut to the weeks that overlap date_from..date_to (ISO dates; either may be left
    out): a week is kept when it ends on or after date_from and starts on or before date_to."""
    from datetime import date, timedelta

    def day(value):
        try:
            return date.fromisoformat((value or "")[:10])
        except ValueError:
            return None

    low, high = day(date_from), day(date_to)
    keep = [w for w in data["weeks"] if (low is None or day(w) + timedelta(days=6) >= low)
            and (high is None or day(w) <= high)]
    kept = set(keep)
    return {"weeks": keep, "all": {w: n for w, n in data["all"].items() if w in kept},
            "series": [{**s, "counts": {w: n for w, n in s["counts"].items() if w in kept}} for s in data["series"]]}


def _query(params: dict, defaults: dict) -> str:
    """The query string of a list's filters and sort, for its download links."""
    return urlencode({k: v for k, v in params.items()
                      if k not in ("offset", "size") and v not in (None, "") and defaults.get(k) != v})


def json_response(items) -> StreamingResponse:
    """A JSON array streamed item by item, so a whole list never sits in memory."""

    def body():
        yield "["
        for n, item in enumerate(items):
            yield ("," if n else "") + json.dumps(item, ensure_ascii=False)
        yield "]\n"

    return StreamingResponse(body(), media_type="application/json")


def csv_response(name: str, header: list[str], rows) -> StreamingResponse:
    """CSV streamed row by row; cells a spreadsheet would run as formulas are made text."""

    def body():
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(header)
        for n, row in enumerate(rows, start=1):
            writer.writerow(safe_row(row))
            if n % 500 == 0:
                yield buffer.getvalue()
                buffer.seek(0)
                buffer.truncate()
        yield buffer.getvalue()

    return StreamingResponse(body(), media_type="text/csv; charset=utf-8",
                             headers={"Content-Disposition": f'attachment; filename="{name}.csv"'})

