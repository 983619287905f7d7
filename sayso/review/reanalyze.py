"""Run the current sayso again on stored documents, in place. Each document's fact rows are
replaced in one transaction; decisions are not touched: they re-attach by anchor to the new
facts, or are listed as orphaned."""
from __future__ import annotations

import json
from dataclasses import dataclass, field

from ..model import Document
from .decisions import sync_added
from .view import ensure_view, orphaned

FACT_TABLES = ("quotes", "entities", "places", "mentions", "counts", "themes", "corrections")


@dataclass
class ReanalyzeReport:
    run_id: int | None = None
    documents: int = 0
    quotes_before: int = 0
    quotes_after: int = 0
    decisions: int = 0  # quote decisions on the documents re-analysed
    orphaned: list[dict] = field(default_factory=list)  # of those, the ones attaching to nothing now

    @property
    def attached(self) -> int:
        return self.decisions - len(self.orphaned)


def document_of(row: dict) -> Document:
    """A stored document as the `Document` it was analysed from (text, metadata, layout)."""
    layout = json.loads(row["layout"]) if row.get("layout") else {}
    return Document(id=row["id"], text=row["text"], path=row["path"], title=row["title"], url=row["url"],
                    date=row["date"], source=row["source"], text_sha256=row["text_sha256"],
                    language=row["language"], page_starts=layout.get("page_starts") or [],
                    timecodes=[tuple(t) for t in layout.get("timecodes") or []])


def reanalyze(store, doc_ids: list[str] | None = None, batch_size: int = 16, **settings) -> ReanalyzeReport:
    """Re-analyse `doc_ids` (all documents when None) with the pipeline `settings` (as for
    ingest) and record the run."""
    from ..analyze import analyze_pairs
    from ..pipeline import MODEL

    conn = store.conn
    ids = doc_ids if doc_ids is not None else store.document_ids()
    missing = [d for d in ids if store.document(d) is None]
    if missing:
        raise KeyError(f"no document {missing[0]!r}")
    report = ReanalyzeReport()
    report.run_id = store.start_run(settings.get("model") or MODEL,
                                    {"reanalyze": True, **{k: v for k, v in settings.items() if v is not None}})
    documents = (document_of(store.document(d)) for d in ids)
    for document, analysis in analyze_pairs(documents, batch_size=batch_size, **settings):
        report.quotes_before += conn.execute("SELECT COUNT(*) FROM quotes WHERE doc_id = ?",
                                             (document.id,)).fetchone()[0]
        with conn:
            for table in FACT_TABLES:
                conn.execute(f"DELETE FROM {table} WHERE doc_id = ?", (document.id,))
            store._insert_facts(document.id, analysis, report.run_id)
            sync_added(conn, "r.doc_id = ?", (document.id,))  # quotes reviewers added, where still missed
            conn.execute("UPDATE documents SET run_id = ? WHERE id = ?", (report.run_id, document.id))
        report.documents += 1
        report.quotes_after += len(analysis.quotes)
    ensure_view(conn)
    hashes = [store.document(d)["text_sha256"] for d in ids]
    report.decisions = sum(conn.execute("SELECT COUNT(*) FROM decisions WHERE fact_table = 'quotes'"
                                        " AND text_sha256 = ?", (h,)).fetchone()[0] for h in hashes)
    wanted = set(ids)
    report.orphaned = [o for o in orphaned(conn) if o["doc_id"] in wanted]
    return report
