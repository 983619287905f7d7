"""The JSON API under /api: every route a plain function of its query parameters (nothing internal
reachable from outside), grouped by resource for /docs."""
from __future__ import annotations

import sqlite3
import threading

from fastapi import Depends, Header, HTTPException, Query, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from ..store import Store, browse
from ..store.summary import Copies
from .security import TOKEN_ENV, AnalysisGate, has_token

MAX_TEXT = 1_000_000  # characters of one text, for a caller with the token
ANONYMOUS_TEXT = 100_000  # characters POST /api/analyze accepts without the token
LIMIT = Query(50, ge=1, le=browse.MAX_PAGE, description="Rows per page.")
OFFSET = Query(0, ge=0, description="Rows to skip.")


class TextIn(BaseModel):
    text: str = Field(max_length=MAX_TEXT, description="The text to analyse.",
                      examples=["\u201cWe left at night,\u201d said Hana Saleh in Mosul."])
    id: str = Field("text", max_length=200, description="Document id to use.")
    title: str | None = Field(None, max_length=1000)


def install(app, db, allow_write: bool, reading, figures) -> None:
    """Add the /api routes; `reading()` opens the store read-only for one request, `figures` holds
    the collection's figures (sayso.store.summary.Figures)."""
    gate = AnalysisGate(ANONYMOUS_TEXT)
    write_lock = threading.Lock()  # one writer in this process: check-then-add is not raced

    @app.get("/api/overview", tags=["collection"], summary="Collection overview")
    def api_overview(copies: Copies = Query("once", description="once: a wire story printed by several outlets "
                                                                "counts once (its copies are left out); all: every copy")):
        """Totals (documents, quotes, speakers, places), the top speakers and places, and the
        codebook's themes by the number of documents they occur in; `wire_copies_left_out` says
        how many documents were left out as copies of a story already counted.
        Example: `GET /api/overview?copies=all`."""
        with reading() as store:
            return as_json(browse.overview(store.conn, figures.of(copies)))

    @app.get("/api/documents", tags=["documents"], summary="List documents")
    def api_documents(limit: int = LIMIT, offset: int = OFFSET):
        """Stored documents in the order they were added: id, title, date, outlet (source), quotes.
        Example: `GET /api/documents?limit=20&offset=40`."""
        with reading() as store:
            return as_json(browse.documents(store.conn, limit, offset))

    @app.get("/api/documents/{doc_id}", tags=["documents"], summary="One document with its facts")
    def api_document(doc_id: str):
        """One document (its text and metadata) and every fact found in it (the `sayso analyze` JSON).
        Example: `GET /api/documents/camp-water-corrected`."""
        with reading() as store:
            document = store.document(doc_id)
            if document is None:
                raise HTTPException(404, f"no document {doc_id!r}")
            return {"document": document, "analysis": store.analysis(doc_id).to_dict()}

    @app.get("/api/quotes", tags=["quotes"], summary="List quotes")
    def api_quotes(request: Request,
                   speaker: str | None = Query(None, description="Part of the speaker's name."),
                   role: str | None = None, org: str | None = None,
                   kind: str | None = Query(None, pattern="^(direct|indirect|according_to)$"),
                   theme: str | None = Query(None, description="A codebook code, e.g. J1."),
                   place: str | None = None, date_from: str | None = None, date_to: str | None = None,
                   q: str | None = Query(None, max_length=500, description="Full-text search in the quotes."),
                   doc: str | None = None, limit: int = LIMIT, offset: int = OFFSET,
                   after: str | None = Query(None, max_length=60, description=(
                       "Where the page before ended, from the `Link: rel=\"next\"` header of the answer: the next "
                       "page is read on from there, as fast however deep (`offset` is then only counted on)."))):
        """Quotes matching every filter given, in document order, with speaker and document; a full
        page's answer links to the next one (`Link` header).
        Example: `GET /api/quotes?speaker=Haddad&kind=direct&date_from=2024-01-01`."""
        with reading() as store:
            found = browse.quotes(store.conn, speaker, role, org, kind, theme, place, date_from, date_to, q, doc,
                                  limit, offset, after)
            mark = browse.quote_after(store.conn, found[-1]) if found and len(found) >= limit else None
        link = f'<{request.url.include_query_params(after=mark, offset=offset + len(found))}>; rel="next"' if mark else None
        return as_json(found, {"Link": link} if link else None)

    @app.get("/api/speakers", tags=["speakers"], summary="List speakers")
    def api_speakers():
        """Every speaker with the number of quotes and documents, roles and organisations; a
        speaker resolved to a registry entity is one row across documents.
        Example: `GET /api/speakers`."""
        with reading() as store:
            return as_json(store.speakers())

    @app.get("/api/speakers/{name:path}", tags=["speakers"], summary="One speaker")
    def api_speaker(name: str):
        """One speaker by registry id (`E12`) or name: quotes across documents, roles,
        organisations and the themes of the quotes.
        Example: `GET /api/speakers/E12` or `GET /api/speakers/Amal%20Haddad`."""
        with reading() as store:
            found = browse.speaker(store.conn, name)
        if found is None:
            raise HTTPException(404, f"no speaker {name!r}")
        return as_json(found)

    @app.get("/api/places", tags=["places"], summary="List places")
    def api_places(copies: Copies = "once"):
        """Resolved places with coordinates, country, GeoNames id and mentions; places of the same
        name in different countries are separate rows; a wire story counts once unless
        `copies=all`.
        Example: `GET /api/places?copies=once`."""
        with reading() as store:
            return as_json(browse.places(store.conn, summary=figures.of(copies)))

    @app.get("/api/entities", tags=["entities"], summary="List entities")
    def api_entities(limit: int = LIMIT, offset: int = OFFSET):
        """The entity registry: people, organisations and places with their stable id and the
        number of documents they occur in.
        Example: `GET /api/entities?limit=100`."""
        with reading() as store:
            return as_json(browse.table(store.conn, "entities", limit, offset))

    @app.get("/api/counts", tags=["counts"], summary="List counts")
    def api_counts(limit: int = LIMIT, offset: int = OFFSET):
        """Counts: number, qualifier, what is counted, the event, the range's upper bound and,
        for a count said in a quote, the quote and its speaker.
        Example: `GET /api/counts?limit=50`."""
        with reading() as store:
            return as_json(browse.table(store.conn, "counts", limit, offset))

    @app.get("/api/themes", tags=["themes"], summary="List theme hits")
    def api_themes(limit: int = LIMIT, offset: int = OFFSET):
        """Codebook codes found in documents, each with its score and evidence spans.
        Example: `GET /api/themes`."""
        with reading() as store:
            return as_json(browse.table(store.conn, "themes", limit, offset))

    @app.get("/api/corrections", tags=["corrections"], summary="List corrections")
    def api_corrections(limit: int = LIMIT, offset: int = OFFSET):
        """Correction notices: what was wrong, what is right, the span of the notice, and the
        span of the body's sentence it is about (`claim_start`, `claim_end`; `claim_says` "right"
        where that sentence states the corrected fact, "wrong" where it still states the old one,
        "about" where the notice only names what was misstated).
        Example: `GET /api/corrections`."""
        with reading() as store:
            return as_json(browse.table(store.conn, "corrections", limit, offset))

    @app.get("/api/search", tags=["search"], summary="Search")
    def api_search(q: str = Query(..., max_length=500, description="Words (all required) or a \"quoted phrase\"."),
                   limit: int = Query(20, ge=1, le=browse.MAX_PAGE)):
        """Full-text search over document text and quotes; no search syntax is interpreted.
        Example: `GET /api/search?q=%22water%20truck%22&limit=10`."""
        with reading() as store:
            return as_json(store.search(q, limit))

    @app.post("/api/analyze", tags=["analysis"], summary="Analyse a text")
    def api_analyze(body: TextIn, authorization: str = Header("", include_in_schema=False)):
        """The `sayso analyze --format json` output for a text sent in the request, not stored.
        Without the token a text may have 100,000 characters and one analysis runs at a time
        (503 while one runs); with `Authorization: Bearer <SAYSO_TOKEN>` up to 1,000,000.
        Example: `POST /api/analyze` with `{"text": "\u201cWe left at night,\u201d said Amal Haddad."}`."""
        from ..analyze import AnalysisError, analyze

        trusted = has_token(authorization)
        if not body.text.strip():
            raise HTTPException(422, "empty text")
        gate.check_size(body.text, trusted)
        with gate.turn(trusted):
            try:
                return analyze(body.text, body.id).to_dict()
            except AnalysisError as err:
                raise HTTPException(422, str(err)) from None

    def require_token(authorization: str = Header("", include_in_schema=False)):
        if not allow_write:
            raise HTTPException(403, "this server is read-only (start it with --allow-write)")
        if not has_token(authorization):
            raise HTTPException(401, f"a valid 'Authorization: Bearer <{TOKEN_ENV}>' header is required")

    @app.post("/api/documents", dependencies=[Depends(require_token)], tags=["documents"], summary="Add a document")
    def api_add_document(body: TextIn):
        """Analyse a text and store it (server started with --allow-write, token required).
        The answer names the document as stored: `added` is false when the text was there already,
        and `id` is then the id it is stored under.
        Example: `POST /api/documents` with `{"id": "memo-4", "title": "Field memo", "text": "..."}`."""
        from ..analyze import AnalysisError, analyze_pairs
        from ..ingest.readers import ReadError, make_document

        try:
            document = make_document(body.id, body.text, title=body.title)
        except ReadError as err:
            raise HTTPException(422, err.message) from None
        with reading() as store:
            stored = stored_id(store, document.text_sha256)
        if stored is not None:
            return {"added": False, "id": stored}
        with gate.turn(True):
            try:
                (_, analysis), = list(analyze_pairs([document]))
            except AnalysisError as err:
                raise HTTPException(422, str(err)) from None
        with write_lock, Store(db) as store:
            if stored_id(store, document.text_sha256) is not None:
                added = False
            else:
                try:
                    added = bool(store.add(document, analysis))  # a Stored is true only when added
                except sqlite3.IntegrityError:  # another process stored the same text meanwhile
                    added = False
            return {"added": added, "id": stored_id(store, document.text_sha256)}


def as_json(data, headers: dict | None = None) -> JSONResponse:
    """Plain data (dicts, lists, strings, numbers, None) as JSON, without FastAPI's
    jsonable_encoder: it walks every value again, and took most of the time of a page of quotes."""
    return JSONResponse(data, headers=headers)


def stored_id(store, text_sha256: str) -> str | None:
    row = store.conn.execute("SELECT id FROM documents WHERE text_sha256 = ?", (text_sha256,)).fetchone()
    return row[0] if row else None
