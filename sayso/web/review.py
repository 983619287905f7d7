"""Review in the browser: the JSON API that records decisions (only on a server started with
--allow-write, and only for an authorised reviewer), the type-ahead over the registry, the review
queue page and the entities page. Every decision goes through the same library calls as
`sayso review`."""
from __future__ import annotations

import hashlib
import hmac
import os
from pathlib import Path
from typing import Literal

from fastapi import Depends, Header, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, PlainTextResponse
from pydantic import BaseModel, Field

from .. import review as lib
from ..review import reviewers as team
from ..store import Store

TOKEN_ENV = "SAYSO_TOKEN"
PAGE = 50
ENTITY_PAGE = 500


class DecisionIn(BaseModel):
    action: Literal["accept", "reject", "edit"]
    speaker: str | None = Field(None, max_length=300)
    kind: Literal["direct", "indirect", "according_to"] | None = None
    start: int | None = Field(None, ge=0)
    end: int | None = Field(None, ge=1)
    note: str | None = Field(None, max_length=2000)
    version: int | None = Field(None, ge=0, description="The review_version the reviewer saw; 409 if it changed.")


class AddIn(BaseModel):
    start: int = Field(ge=0)
    end: int = Field(ge=1)
    speaker: str = Field(min_length=1, max_length=300)
    kind: Literal["direct", "indirect", "according_to"] = "direct"
    note: str | None = Field(None, max_length=2000)


class EntityIn(BaseModel):
    action: Literal["merge", "split", "rename"]
    entity: str = Field(min_length=1, max_length=300, description="merge: the entity kept; split, rename: the entity")
    other: str | None = Field(None, max_length=300, description="merge: the entity merged into `entity`")
    name: str | None = Field(None, max_length=300, description="split: the name to split off; rename: the new name")
    note: str | None = Field(None, max_length=2000)


class Reviewers:
    """Who a bearer token belongs to: a reviewer of the reviewers file (tokens stored hashed;
    the file is re-read when it changes), or, without a file, the holder of SAYSO_TOKEN."""

    def __init__(self, path: str | Path | None):
        self.path = Path(path) if path else None
        self._entries: list[dict] = []
        self._stamp = None
        self._known: dict[str, str] = {}  # sha256 of a token already checked -> name

    def entries(self) -> list[dict]:
        if self.path is None:
            return []
        stamp = self.path.stat().st_mtime_ns if self.path.exists() else None
        if stamp != self._stamp:
            self._entries, self._stamp, self._known = team.load(self.path), stamp, {}
        return self._entries

    def who(self, token: str, claimed: str | None) -> str | None:
        if self.path is None:  # one shared token: the reviewer names themself
            shared = os.environ.get(TOKEN_ENV, "")
            if shared and hmac.compare_digest(token, shared):
                return (claimed or "").strip()[:100] or "reviewer"
            return None
        digest = hashlib.sha256(token.encode("utf-8")).hexdigest()
        entries = self.entries()  # a team: only its own tokens, so every decision says who made it
        if digest not in self._known:
            name = team.who(entries, token)
            if name is None:
                return None
            self._known[digest] = name
        return self._known[digest]


def install(app, db, allow_write: bool, reading, page, reviewers: str | None = None) -> None:
    """Add the review routes to `app`. `reviewers`: path of the reviewers file (names and hashed
    tokens), or None (then the SAYSO_TOKEN is the one token, and reviewers name themselves)."""
    app.state.review_write = allow_write
    team_of = Reviewers(reviewers)

    def reviewer(authorization: str = Header(""), x_sayso_reviewer: str | None = Header(None)) -> str:
        if not allow_write:
            raise HTTPException(403, "this server is read-only (start it with --allow-write to review)")
        token = authorization[7:] if authorization.startswith("Bearer ") else ""
        name = team_of.who(token, x_sayso_reviewer) if token else None
        if name is None:
            raise HTTPException(401, "a reviewer's token is required ('Authorization: Bearer <token>')")
        return name

    def writing() -> Store:
        return Store(db)

    def failed(err: Exception):
        if isinstance(err, lib.StaleError):
            raise HTTPException(409, str(err))
        if str(err).startswith(("no quote", "no document")):
            raise HTTPException(404, str(err))
        raise HTTPException(422, str(err))

    def shown(row: dict) -> dict:
        return {**{k: v for k, v in row.items() if k != "quote_rowid"}, "review": lib.review_of(row)}

    # ---- API ------------------------------------------------------------------------------------

    @app.get("/api/review/me", tags=["review"], summary="Who the token is")
    def api_me(name: str = Depends(reviewer)):
        """Who the token belongs to (200 only for an authorised reviewer on a writable server).
        Example: `GET /api/review/me` with `Authorization: Bearer TOKEN`."""
        return {"reviewer": name}

    @app.get("/api/review/speakers", tags=["review"], summary="Speaker type-ahead")
    def api_speaker_names(q: str = Query("", max_length=200), limit: int = Query(12, ge=1, le=50)):
        """Type-ahead for the speaker of a quote: registry people and organisations, and the
        speakers of reviewed quotes, whose name contains `q` (those starting with it first).
        Example: `GET /api/review/speakers?q=Had`."""
        with reading() as store:
            return lib.speaker_names(store.conn, q, limit)

    @app.get("/api/review/queue", tags=["review"], summary="Review queue")
    def api_queue(doc: str | None = None, speaker: str | None = Query(None, max_length=200),
                  kind: Literal["direct", "indirect", "according_to"] | None = None,
                  status: Literal["unreviewed", "accepted", "rejected", "edited", "added"] = "unreviewed",
                  limit: int = Query(PAGE, ge=1, le=500), offset: int = Query(0, ge=0)):
        """Quotes to review across the collection, lowest confidence first (unknown confidence
        after known), then in document order; `total` counts all that match.
        Example: `GET /api/review/queue?status=unreviewed&kind=direct&limit=20`."""
        with reading() as store:
            filters = {"doc": doc, "speaker": speaker, "kind": kind, "status": status}
            rows = lib.quotes(store.conn, **filters, by_confidence=True, limit=limit, offset=offset)
            total = lib.count(store.conn, **filters)
        return {"total": total, "offset": offset, "quotes": [shown(r) for r in rows]}

    @app.get("/api/review/quotes/{doc_id}/{quote_id}", tags=["review"], summary="One quote and its decisions")
    def api_quote(doc_id: str, quote_id: str):
        """One quote as reviewed, with every decision on it (machine values and run included).
        Example: `GET /api/review/quotes/market/q2`."""
        with reading() as store:
            lib.ensure_view(store.conn)
            row = lib.decisions.reviewed_quote(store.conn, doc_id, quote_id)
            if row is None:
                raise HTTPException(404, f"no quote {quote_id!r} in document {doc_id!r}")
            return {**shown(row), "history": lib.history(store.conn, doc_id, quote_id)}

    @app.post("/api/review/quotes/{doc_id}/{quote_id}", tags=["review"], summary="Decide on a quote")
    def api_decide(doc_id: str, quote_id: str, body: DecisionIn, name: str = Depends(reviewer)):
        """Accept, reject or edit (speaker, kind, span) a quote. Send the `version` you saw:
        if another decision came first the answer is 409 and nothing is stored.
        Example: `POST /api/review/quotes/market/q2` with `{"action": "edit", "speaker": "Yusuf Bakr", "version": 0}`."""
        with writing() as store:
            try:
                row = lib.decide(store.conn, doc_id, quote_id, body.action, reviewer=name, note=body.note,
                                 speaker=body.speaker, kind=body.kind, start=body.start, end=body.end,
                                 expect_version=body.version)
            except lib.ReviewError as err:
                failed(err)
        return shown(row)

    @app.post("/api/review/documents/{doc_id}/quotes", tags=["review"], summary="Add a missed quote")
    def api_add(doc_id: str, body: AddIn, name: str = Depends(reviewer)):
        """Add a quote the machine missed (offsets into the stored text).
        Example: `POST /api/review/documents/market/quotes` with `{"start": 120, "end": 168, "speaker": "Hana Saleh", "kind": "direct"}`."""
        with writing() as store:
            try:
                row = lib.add(store.conn, doc_id, body.start, body.end, body.speaker, body.kind, name, body.note)
            except lib.ReviewError as err:
                failed(err)
        return shown(row)

    @app.post("/api/review/entities", tags=["review"], summary="Merge, split or rename an entity")
    def api_entities(body: EntityIn, name: str = Depends(reviewer)):
        """Merge `other` into `entity`, split `name` off `entity`, or rename `entity` to `name`.
        Example: `POST /api/review/entities` with `{"action": "merge", "entity": "E3", "other": "E17"}`."""
        from ..store import RegistryError

        if (body.action == "merge" and not body.other) or (body.action != "merge" and not body.name):
            raise HTTPException(422, "merge needs `other`; split and rename need `name`")
        with writing() as store:
            try:
                if body.action == "merge":
                    into, other = lib.merge_entities(store.conn, body.entity, body.other, name, body.note)
                    return {"action": "merge", "into": into, "merged": other}
                if body.action == "split":
                    return {"action": "split", "new": lib.split_entity(store.conn, body.entity, body.name, name,
                                                                      body.note)}
                return {"action": "rename", "entity": lib.rename_entity(store.conn, body.entity, body.name, name,
                                                                       body.note)}
            except (lib.ReviewError, RegistryError) as err:
                raise HTTPException(422, str(err)) from None

    @app.get("/api/review/decisions.jsonl", tags=["review"], response_class=PlainTextResponse, summary="Export the decisions")
    def api_decisions():
        """Every decision as JSON Lines (the format of `sayso review export`).
        Example: `GET /api/review/decisions.jsonl`."""
        import io

        from ..review.exchange import write_jsonl

        buffer = io.StringIO()
        with reading() as store:
            lib.ensure_view(store.conn)
            write_jsonl(store.conn, buffer)
        return PlainTextResponse(buffer.getvalue(), media_type="application/x-ndjson")

    @app.get("/api/review/orphaned", tags=["review"], summary="Orphaned decisions")
    def api_orphaned():
        """Decisions that attach to no quote here (their quote changed on re-analysis, or their
        document is in another store); kept, never dropped.
        Example: `GET /api/review/orphaned`."""
        with reading() as store:
            return lib.orphaned(store.conn)

    # ---- pages ----------------------------------------------------------------------------------

    @app.get("/review", response_class=HTMLResponse)
    def queue_page(request: Request, doc: str | None = None, speaker: str | None = Query(None, max_length=200),
                   kind: Literal["direct", "indirect", "according_to", ""] | None = None,
                   status: Literal["unreviewed", "accepted", "rejected", "edited", "added", ""] | None = None,
                   offset: int = Query(0, ge=0)):
        filters = {"doc": doc or None, "speaker": speaker or None, "kind": kind or None,
                   "status": status or "unreviewed"}
        with reading() as store:
            rows = lib.quotes(store.conn, **filters, by_confidence=True, limit=PAGE, offset=offset)
            total = lib.count(store.conn, **filters)
            docs = [dict(r) for r in store.conn.execute("SELECT id, title FROM documents ORDER BY rowid")]
        return page(request, "review.html", rows=rows, total=total, offset=offset,
                    page_size=PAGE, filters=filters, documents=docs, write=allow_write)

    @app.get("/review/entities", response_class=HTMLResponse)
    def entities_page(request: Request, label: str | None = Query(None, max_length=10),
                      q: str | None = Query(None, max_length=200)):
        with reading() as store:
            rows = store.entities(label or None)
        if q:
            rows = [r for r in rows if q.lower() in f"{r['name']} {r['names'] or ''}".lower()]
        return page(request, "review_entities.html", rows=rows[:ENTITY_PAGE], total=len(rows), label=label,
                    q=q or "", write=allow_write)
