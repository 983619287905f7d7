"""The document page: the text with every fact highlighted and its quotes listed (the place where
a reviewer works through a document)."""
from __future__ import annotations

from fastapi import HTTPException, Request
from fastapi.responses import HTMLResponse

from .highlight import segments


def install(app, reading, page) -> None:
    """Add the document page to `app`; `reading()` opens the store read-only for one request and
    `page(request, template, **context)` renders a template."""

    @app.get("/documents/{doc_id}", response_class=HTMLResponse)
    def document_page(request: Request, doc_id: str):
        with reading() as store:
            document = store.document(doc_id)
            if document is None:
                raise HTTPException(404, f"no document {doc_id!r}")
            analysis = store.analysis(doc_id)
        return page(request, "document.html", document=document, analysis=analysis,
                    segments=segments(document["text"], analysis))
