"""From text to `Analysis`: the one function every entry point (API, CLI, store, web) calls."""
from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Iterator

from .ingest.readers import make_document
from .model import Analysis, Document
from .pipeline import get_nlp


def analysis_of(doc, document: Document) -> Analysis:
    """Collect the facts the sayso components left on a parsed `Doc`."""
    analysis = Analysis(doc=document.id, path=document.path, title=document.title,
                        text_sha256=document.text_sha256, quotes=doc._.quotes or [],
                        entities=doc._.entities or [], places=doc._.places or [],
                        counts=doc._.counts or [], themes=doc._.themes or [],
                        corrections=doc._.corrections or [], language=document.language)
    locate_quotes(analysis.quotes, document)
    return analysis


def locate_quotes(quotes, document: Document) -> None:
    """Give each quote the page (paged sources) and timecodes (transcribed speech) it starts in."""
    if document.page_starts:
        for q in quotes:
            q.page = bisect_right(document.page_starts, q.start) or 1
    for q in quotes:
        spoken = [t for t in document.timecodes if t[0] < q.end and q.start < t[1]]
        if spoken:
            q.start_s, q.end_s = min(t[2] for t in spoken), max(t[3] for t in spoken)


def analyze(text: str, doc_id: str = "text", **settings) -> Analysis:
    """Analyse one text. `settings` are passed to `pipeline.get_nlp` (model, aliases, cues)."""
    document = make_document(doc_id, text)
    return next(analyze_documents([document], **settings))


def analyze_documents(documents: Iterable[Document], batch_size: int = 16,
                      **settings) -> Iterator[Analysis]:
    """Analyse documents in a stream with `nlp.pipe`; yields one `Analysis` per document."""
    for _, analysis in analyze_pairs(documents, batch_size, **settings):
        yield analysis


def analyze_pairs(documents: Iterable[Document], batch_size: int = 16,
                  **settings) -> Iterator[tuple[Document, Analysis]]:
    """Like `analyze_documents`, yielding each document with its analysis."""
    nlp = get_nlp(**settings)
    pairs = ((d.text, d) for d in documents)
    for doc, document in nlp.pipe(pairs, as_tuples=True, batch_size=batch_size):
        yield document, analysis_of(doc, document)
