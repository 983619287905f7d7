"""The sayso web app: JSON API under /api, pages for people, and nothing that writes unless the
server was started with --allow-write and the request carries the token."""
from __future__ import annotations

import hmac
import os
import sqlite3
from pathlib import Path

from fastapi import Depends, Header, HTTPException, Query, Request
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from fastapi_offline import FastAPIOffline
from pydantic import BaseModel, Field

from .. import __version__
from ..store import Store, browse
from . import claims, document, review
from .worldmap import HEIGHT, WIDTH, project, world_path

HERE = Path(__file__).parent
MAX_TEXT = 1_000_000  # characters accepted by POST /api/analyze and /api/documents
TOKEN_ENV = "SAYSO_TOKEN"


class TextIn(BaseModel):
    text: str = Field(max_length=MAX_TEXT)
    id: str = Field("text", max_length=200)
    title: str | None = Field(None, max_length=1000)


def create_app(db: str | Path, allow_write: bool = False) -> FastAPIOffline:
    db = Path(db)
    Store(db, readonly=True).close()  # fails now, clearly, if there is no store
    app = FastAPIOffline(title="sayso", version=__version__,
                  description="Who said what, where and how many: quotes, speakers, places, counts, themes "
                              "and corrections extracted from news reports and interview transcripts.")
    templates = Jinja2Templates(directory=HERE / "templates")  # autoescaping is on for .html
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")

    def reading() -> Store:
        """A read-only store for one request (SQLite connections are not shared between threads)."""
        return Store(db, readonly=True)

    def page(request: Request, name: str, **context) -> HTMLResponse:
        return templates.TemplateResponse(request, name, {"version": __version__, **context})

    @app.middleware("http")
    async def security_headers(request: Request, call_next):
        response = await call_next(request)
        if request.url.path.startswith(("/docs", "/redoc")):
            return response  # the vendored API docs start themselves with an inline script
        response.headers["Content-Security-Policy"] = ("default-src 'self'; style-src 'self'; script-src 'self'; "
                                                       "img-src 'self' data:; object-src 'none'; base-uri 'none'")
        response.headers["X-Content-Type-Options"] = "nosniff"
        return response

    # ---- JSON API ------------------------------------------------------------------------------

    @app.get("/api/overview")
    def api_overview():
        with reading() as store:
            return browse.overview(store.conn)

    @app.get("/api/documents")
    def api_documents(limit: int = Query(50, ge=1, le=browse.MAX_PAGE), offset: int = Query(0, ge=0)):
        with reading() as store:
            return browse.documents(store.conn, limit, offset)

    @app.get("/api/documents/{doc_id}")
    def api_document(doc_id: str):
        with reading() as store:
            document = store.document(doc_id)
            if document is None:
                raise HTTPException(404, f"no document {doc_id!r}")
            return {"document": document, "analysis": store.analysis(doc_id).to_dict()}

    @app.get("/api/quotes")
    def api_quotes(speaker: str | None = None, role: str | None = None, org: str | None = None,
                   kind: str | None = Query(None, pattern="^(direct|indirect|according_to)$"),
                   theme: str | None = None, place: str | None = None, date_from: str | None = None,
                   date_to: str | None = None, q: str | None = Query(None, max_length=500), doc: str | None = None,
                   limit: int = Query(50, ge=1, le=browse.MAX_PAGE), offset: int = Query(0, ge=0)):
        with reading() as store:
            return browse.quotes(store.conn, speaker, role, org, kind, theme, place, date_from, date_to, q, doc,
                                 limit, offset)

    @app.get("/api/speakers")
    def api_speakers():
        with reading() as store:
            return store.speakers()

    @app.get("/api/speakers/{name:path}")
    def api_speaker(name: str):
        with reading() as store:
            found = browse.speaker(store.conn, name)
        if found is None:
            raise HTTPException(404, f"no speaker {name!r}")
        return found

    @app.get("/api/places")
    def api_places():
        with reading() as store:
            return browse.places(store.conn)

    for table in ("entities", "counts", "themes", "corrections"):
        def handler(limit: int = Query(50, ge=1, le=browse.MAX_PAGE), offset: int = Query(0, ge=0), _t=table):
            with reading() as store:
                return browse.table(store.conn, _t, limit, offset)
        app.add_api_route(f"/api/{table}", handler, methods=["GET"], name=f"api_{table}")

    @app.get("/api/search")
    def api_search(q: str = Query(..., max_length=500), limit: int = Query(20, ge=1, le=browse.MAX_PAGE)):
        with reading() as store:
            return store.search(q, limit)

    @app.post("/api/analyze")
    def api_analyze(body: TextIn):
        """The same JSON as `sayso analyze --format json`, for a text sent in the request."""
        from ..analyze import analyze

        if not body.text.strip():
            raise HTTPException(422, "empty text")
        return analyze(body.text, body.id).to_dict()

    def require_token(authorization: str = Header("")):
        if not allow_write:
            raise HTTPException(403, "this server is read-only (start it with --allow-write)")
        token = os.environ.get(TOKEN_ENV, "")
        if not token or not hmac.compare_digest(authorization, f"Bearer {token}"):
            raise HTTPException(401, f"a valid 'Authorization: Bearer <{TOKEN_ENV}>' header is required")

    @app.post("/api/documents", dependencies=[Depends(require_token)])
    def api_add_document(body: TextIn):
        from ..analyze import analyze_pairs
        from ..ingest.readers import ReadError, make_document

        try:
            document = make_document(body.id, body.text, title=body.title)
        except ReadError as err:
            raise HTTPException(422, err.message) from None
        with Store(db) as store:
            if store.has_text(document.text_sha256):
                return {"added": False, "id": document.id}
            (_, analysis), = list(analyze_pairs([document]))
            doc_id = store.free_id(document)
            store.add(document, analysis)
            return {"added": True, "id": doc_id}

    # ---- pages -----------------------------------------------------------------------------------

    @app.get("/", response_class=HTMLResponse)
    def overview_page(request: Request):
        with reading() as store:
            data = browse.overview(store.conn)
            docs = browse.documents(store.conn, limit=100)
        top = max((t["documents"] for t in data["themes"]), default=1)
        return page(request, "overview.html", data=data, documents=docs, top_theme=top)

    document.install(app, reading, page)
    review.install(app, db, allow_write, reading, page, reviewers=None)
    claims.install(app, reading, page)

    @app.get("/speakers/{name:path}", response_class=HTMLResponse)
    def speaker_page(request: Request, name: str):
        with reading() as store:
            found = browse.speaker(store.conn, name)
        if found is None:
            raise HTTPException(404, f"no speaker {name!r}")
        return page(request, "speaker.html", speaker=found)

    @app.get("/quotes", response_class=HTMLResponse)
    def quotes_page(request: Request, speaker: str | None = None, role: str | None = None, org: str | None = None,
                    kind: str | None = Query(None, pattern="^(direct|indirect|according_to|)$"),
                    theme: str | None = None, place: str | None = None, q: str | None = Query(None, max_length=500),
                    offset: int = Query(0, ge=0)):
        filters = {"speaker": speaker, "role": role, "org": org, "kind": kind or None, "theme": theme,
                   "place": place, "q": q}
        with reading() as store:
            rows = browse.quotes(store.conn, **filters, limit=50, offset=offset)
        from .highlight import mark_terms

        return page(request, "quotes.html", rows=rows, filters=filters, offset=offset,
                    marked=[mark_terms(r["text"], q) for r in rows])

    @app.get("/map", response_class=HTMLResponse)
    def map_page(request: Request):
        with reading() as store:
            rows = browse.places(store.conn)
        top = max((p["mentions"] for p in rows), default=1)
        points = [{**p, "x": project(p["lon"], p["lat"])[0], "y": project(p["lon"], p["lat"])[1],
                   "r": 3 + 9 * (p["mentions"] / top) ** 0.5} for p in rows]
        return page(request, "map.html", points=points, outline=world_path(), width=WIDTH, height=HEIGHT)

    @app.get("/themes", response_class=HTMLResponse)
    def themes_page(request: Request):
        with reading() as store:
            matrix = browse.theme_matrix(store.conn)
        return page(request, "themes.html", matrix=matrix)

    @app.exception_handler(sqlite3.Error)
    async def database_error(request: Request, exc: sqlite3.Error):
        from fastapi.responses import JSONResponse

        return JSONResponse({"detail": "the query could not be run"}, status_code=400)

    return app
