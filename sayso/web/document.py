"""The document page: the text with every fact highlighted, each quote's speaker beside it, and
its quotes, counts and corrections listed (the place where a reviewer works through a document).
It shows the reviewed state: edits applied, added quotes in, rejected ones out (flagged instead
when the server takes review decisions)."""
from __future__ import annotations

from fastapi import HTTPException, Request
from fastapi.responses import HTMLResponse

from ..review import document_quotes
from .highlight import safe_url, segments


def install(app, reading, page) -> None:
    """Add the document page to `app`; `reading()` opens the store read-only for one request and
    `page(request, template, **context)` renders a template."""

    @app.get("/documents/{doc_id}/places.json", include_in_schema=False)
    def document_places(doc_id: str):
        with reading() as store:
            analysis = store.analysis(doc_id)
        if analysis is None:
            raise HTTPException(404, f"no document {doc_id!r}")
        return places_of(analysis)

    @app.get("/documents/{doc_id}", response_class=HTMLResponse)
    def document_page(request: Request, doc_id: str):
        write = getattr(request.app.state, "review_write", False)
        with reading() as store:
            document = store.document(doc_id)
            if document is None:
                raise HTTPException(404, f"no document {doc_id!r}")
            analysis = store.analysis(doc_id)
            pairs = document_quotes(store.conn, doc_id, include_rejected=write)
            registry = dict(store.conn.execute("SELECT id, registry_id FROM entities WHERE doc_id = ?"
                                               " AND registry_id IS NOT NULL", (doc_id,)).fetchall())
        analysis.quotes = [q for q, _ in pairs]
        reviews = {q.id: review for q, review in pairs}
        citations = {q.id: citation(document, q) for q in analysis.quotes}
        return page(request, "document.html", document=document, analysis=analysis, reviews=reviews,
                    mapped=bool(places_of(analysis)),
                    segments=segments(document["text"], analysis, reviews, registry), url=safe_url(document["url"]),
                    write=write, visible=sum(r["status"] != "rejected" for r in reviews.values()), citations=citations)


def places_of(analysis) -> list[dict]:
    """The document's resolved places, in the shape of /map.json (for its mini-map)."""
    rows = [{"name": p.name, "country": p.country, "lat": p.lat, "lon": p.lon, "geonames_id": p.geonames_id,
             "feature": p.feature, "mentions": len(p.mentions), "documents": 1}
            for p in analysis.places if p.lat is not None]
    return sorted(rows, key=lambda r: -r["mentions"])


def citation(document: dict, quote) -> str:
    """The quote's citation (sayso.cite, APA style) for the page's copy button."""
    from ..cite import format_citation

    return format_citation(document, {"speaker_name": quote.speaker.name, "speaker_mention": quote.speaker.mention,
                                      "kind": quote.kind, "text": quote.text, "page": quote.page,
                                      "start_s": quote.start_s, "end_s": quote.end_s}, "apa")
