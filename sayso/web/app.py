"""The sayso web app: JSON API under /api, pages for people, and nothing that writes unless the
server was started with --allow-write and the request carries the token."""
from __future__ import annotations

import contextlib
import sqlite3
import threading
from collections.abc import Iterable
from pathlib import Path

from fastapi import FastAPI, HTTPException, Request
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from fastapi_offline import FastAPIOffline

from .. import __version__
from ..extract.corrections import CLAIM_SAYS
from ..store import Store, browse
from ..store.summary import Copies, Figures
from . import api, claims, document, pages, review
from .cache import ResponseCache, StoreVersion
from .highlight import marked_html, spoken, urlencode
from .security import LOCAL_HOSTS, Guard, install_headers
from .worldmap import HEIGHT, WIDTH, project, world_geojson, world_path

TAGS = [{"name": n, "description": d} for n, d in (
    ("collection", "The collection as a whole."),
    ("documents", "Stored documents, and adding one (with --allow-write and the token)."),
    ("quotes", "Quotes with their speakers, filtered and paged."),
    ("speakers", "Speakers across documents."),
    ("entities", "The entity registry: people, organisations, places."),
    ("places", "Places resolved to coordinates."),
    ("counts", "Counts: number, what is counted, qualifier, event."),
    ("themes", "Codebook codes found in quotes and paragraphs."),
    ("corrections", "Correction notices as structured facts."),
    ("search", "Full-text search."),
    ("analysis", "Analyse a text without storing it."))]

HERE = Path(__file__).parent


def create_app(db: str | Path, allow_write: bool = False, reviewers: str | Path | None = None,
               allowed_hosts: Iterable[str] | None = None) -> FastAPI:
    """The web app over the store `db`. `allowed_hosts`: the Host names it answers (others get a
    400, against DNS rebinding); None means the local names and the test client's 'testserver'
    (`sayso serve` passes the local names, its --host and each --allowed-host)."""
    db = Path(db)
    Store(db, readonly=True).close()  # fails now, clearly, if there is no store
    app = FastAPIOffline(title="sayso", version=__version__, docs_url=None, redoc_url=None,
                         openapi_tags=TAGS,
                         description="Who said what, where and how many: quotes, speakers, places, counts, themes "
                                     "and corrections extracted from news reports and interview transcripts. "
                                     "Read-only unless the server runs with --allow-write.")
    hosts = list(allowed_hosts) if allowed_hosts is not None else [*LOCAL_HOSTS, "testserver"]
    figures = Figures(opener=lambda: Store(db, readonly=True))  # every document, and each wire story once
    app.add_middleware(ResponseCache, version=StoreVersion(db, figures))  # inside the Guard: added first
    app.add_middleware(Guard, allowed_hosts=hosts)
    templates = Jinja2Templates(directory=HERE / "templates")  # autoescaping is on for .html
    templates.env.globals["claim_says"] = CLAIM_SAYS
    templates.env.globals["spoken"] = spoken
    templates.env.filters["urlencode"] = urlencode
    templates.env.auto_reload = False  # the templates are the package's: no need to stat them for every page
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    app.state.warmed = threading.Event()  # set once the figures are first counted
    threading.Thread(target=_warm, args=(db, figures, app.state.warmed), daemon=True).start()

    local = threading.local()

    def reading() -> Store:
        """The read-only store of this thread (SQLite connections are not shared between threads),
        opened once per worker thread: opening one costs more than most requests."""
        store = getattr(local, "store", None)
        if store is None:
            store = local.store = _Kept(db, readonly=True)
        return store

    reading.fresh = lambda: Store(db, readonly=True)  # for a response streamed across threads

    def page(request: Request, name: str, **context) -> HTMLResponse:
        marked = lambda text: marked_html(text, request.query_params.get("q"))
        return templates.TemplateResponse(request, name, {"version": __version__, "marked": marked, **context})

    install_headers(app)
    api.install(app, db, allow_write, reading, figures)

    @app.get("/docs", include_in_schema=False)
    def docs_page(request: Request):
        return page(request, "docs.html")

    # ---- pages -----------------------------------------------------------------------------------

    @app.get("/", response_class=HTMLResponse)
    def overview_page(request: Request, copies: Copies = "once"):
        with reading() as store:
            data = browse.overview(store.conn, figures.of(copies))
            docs = browse.documents(store.conn, limit=100)
            codebooks = browse.codebooks(store.conn)
        top = max((t["documents"] for t in data["themes"]), default=1)
        return page(request, "overview.html", data=data, documents=docs, top_theme=top, codebooks=codebooks,
                    copies=copies)

    document.install(app, reading, page)
    review.install(app, db, allow_write, reading, page, reviewers=reviewers)
    claims.install(app, reading, page)
    pages.install(app, reading, page, figures)

    @app.get("/speakers/{name:path}", response_class=HTMLResponse)
    def speaker_page(request: Request, name: str):
        with reading() as store:
            found = browse.speaker(store.conn, name)
        if found is None:
            raise HTTPException(404, f"no speaker {name!r}")
        return page(request, "speaker.html", speaker=found)

    @app.get("/map", response_class=HTMLResponse)
    def map_page(request: Request, copies: Copies = "once"):
        with reading() as store:
            rows = browse.places(store.conn, summary=figures.of(copies))
            total = figures.of(copies).place_count()
        top = max((p["mentions"] for p in rows), default=1)
        points = [{**p, "x": project(p["lon"], p["lat"])[0], "y": project(p["lon"], p["lat"])[1],
                   "r": 3 + 9 * (p["mentions"] / top) ** 0.5} for p in rows]
        return page(request, "map.html", points=points, total=total, outline=world_path(), width=WIDTH, height=HEIGHT,
                    copies=copies, left_out=figures.of(copies).overview()["wire_copies_left_out"])

    @app.get("/world.geojson", include_in_schema=False)
    def world_outlines():
        from fastapi.responses import JSONResponse

        return JSONResponse(world_geojson(), headers={"Cache-Control": "max-age=86400"})

    app.openapi = lambda: _api_only(app)

    @app.exception_handler(sqlite3.Error)
    async def database_error(request: Request, exc: sqlite3.Error):
        from fastapi.responses import JSONResponse

        return JSONResponse({"detail": "the query could not be run"}, status_code=400)

    return app


class _Kept(Store):
    """A store that stays open after `with` (each thread keeps its own read-only connection)."""

    def __exit__(self, *exc):
        if self.conn.in_transaction:
            self.conn.rollback()


def _api_only(app) -> dict:
    """The OpenAPI schema of the JSON API alone (pages are for people, not for /docs)."""
    if app.openapi_schema is None:
        from fastapi.openapi.utils import get_openapi

        routes = [r for r in app.routes if getattr(r, "path", "").startswith("/api/")]
        for route in routes:  # grouped by resource: a route without a tag gets its path's resource
            if not getattr(route, "tags", None):
                route.tags = [route.path.split("/")[2]]
        app.openapi_schema = get_openapi(title=app.title, version=app.version, description=app.description,
                                         routes=routes, tags=app.openapi_tags)
    return app.openapi_schema


def _warm(db: Path, figures: Figures, done: threading.Event) -> None:
    """Count the collection's figures once at start, and load the claims code (half a second of
    imports), so the first pages do not wait for either."""
    with contextlib.suppress(Exception), Store(db, readonly=True) as store:
        figures.refresh(store.conn)
    with contextlib.suppress(Exception):
        import sayso.claims.counts  # noqa: F401
    done.set()
