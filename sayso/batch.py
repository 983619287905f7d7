"""Build a collection: read documents from paths, analyse them in a stream, store each one.

Memory stays flat: documents are read lazily, analysed in `nlp.pipe` batches and written a few
at a time. Texts already in the store are skipped before any parsing, so a run that was
interrupted resumes where it stopped. A document whose analysis fails is reported and skipped;
the others are stored. Write transactions hold only the inserts (the analysis is done before
they open), so readers of the store, such as the web server, never wait behind an ingest."""
from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from .analyze import AnalysisError, analyze_pairs, english, not_english_warning
from .ingest import IngestError, iter_documents
from .model import Analysis, Document
from .pipeline import MODEL
from .store import Store


@dataclass
class IngestReport:
    added: int = 0
    skipped: int = 0  # already stored
    errors: list[IngestError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def read_documents(paths: Iterable[str], urls_file: str | None = None) -> Iterator[Document | IngestError]:
    """`sayso.ingest.iter_documents`, with the URLs file only when one is given."""
    if urls_file:
        return iter_documents(paths, urls_file=urls_file)
    return iter_documents(paths)


def analysis_error(error: AnalysisError) -> IngestError:
    """An analysis failure as an ingest error: the file, the document and the failing stage."""
    if error.path and error.path != error.doc_id:
        return IngestError(error.path, f"{error.doc_id}: analysis failed in {error.stage}: {error.reason}")
    return IngestError(error.doc_id, f"analysis failed in {error.stage}: {error.reason}")


def ingest(paths: Iterable[str], store: Store, batch_size: int = 16,
           on_progress: Callable[[str, Document | IngestError], None] | None = None,
           workers: int = 1, commit_every: int = 16, urls_file: str | None = None,
           report: IngestReport | None = None, **settings) -> IngestReport:
    """Read, analyse and store every document under `paths` (and the URLs listed in
    `urls_file`). `on_progress(event, item)` is called with event 'added', 'skipped' or 'error'
    for each document read. With `workers` > 1 the analysis runs in that many processes while
    this one reads and writes. Documents are committed `commit_every` at a time: an interruption
    loses at most that many, never part of one, and the next run redoes them. A document whose
    analysis raises is reported in `errors` (naming it and the failing stage) and not stored.
    Pass a `report` to keep what was done when the store fails (`StoreError`: disk full, ...)."""
    report = report if report is not None else IngestReport()
    notify = on_progress or (lambda event, item: None)
    run: list[int] = []  # the run id, recorded when the first new document arrives

    def failed(error: AnalysisError | IngestError) -> None:
        item = analysis_error(error) if isinstance(error, AnalysisError) else error
        report.errors.append(item)
        notify("error", item)

    def new_documents() -> Iterator[Document]:
        seen: set[str] = set()
        for item in read_documents(paths, urls_file):
            if isinstance(item, IngestError):
                failed(item)
            elif item.text_sha256 in seen or store.has_text(item.text_sha256):
                report.skipped += 1
                notify("skipped", item)
            else:
                seen.add(item.text_sha256)
                if not run:
                    run.append(store.start_run(settings.get("model") or MODEL, run_settings(settings)))
                report.warnings += [f"{item.path or item.id}: {w}" for w in item.warnings]
                yield item

    analysed = (analyze_in_workers(new_documents(), workers, batch_size, settings, failed) if workers > 1
                else analyze_pairs(new_documents(), batch_size=batch_size, on_error=failed, **settings))
    pending: list[tuple[Document, Analysis]] = []
    for document, analysis in analysed:
        if not english(analysis.language):
            report.warnings.append(f"{document.path or document.id}: {not_english_warning(analysis.language, True)}")
        pending.append((document, analysis))
        if len(pending) >= commit_every:
            _store(store, pending, run[0], report, notify)
    _store(store, pending, run[0] if run else None, report, notify)
    return report


def _store(store: Store, pending: list[tuple[Document, Analysis]], run_id: int | None, report: IngestReport,
           notify) -> None:
    """Write analysed documents in one short transaction; a text another process stored in the
    meantime counts as already stored."""
    with store.batch():
        results = []
        for document, analysis in pending:
            results.append(store.add(document, analysis, run_id))
            # inside the transaction: a callback that interrupts the run takes the batch with it
            notify("added" if results[-1].added else "skipped", document)
    report.added += sum(stored.added for stored in results)
    report.skipped += sum(not stored.added for stored in results)
    pending.clear()
    if any(stored.added for stored in results):
        _update_claims(store, report)


def _update_claims(store: Store, report: IngestReport) -> None:
    """New quotes join the collection's claim clusters (and documents its wire groups) as they are
    stored. The documents are committed already: a failure here is a warning, and `sayso claims`
    catches up later."""
    from . import claims

    try:
        claims.update(store.conn)
    except Exception as err:  # noqa: BLE001 - never lose an ingest to the claims index
        store.conn.rollback()
        report.warnings.append(f"claims not updated ({err}); `sayso claims` will update them")


def run_settings(settings: dict) -> dict:
    """What a run records: the settings given, and the codebook in use by name and scope (the
    overview says which codebook coded the collection)."""
    from .codebook import load

    book = load(settings.get("codebook"))
    return {**{k: v for k, v in settings.items() if v is not None}, "codebook_name": book.name,
            "codebook_scope": book.scope.domain if book.scope else None}


def _init_worker(settings: dict) -> None:
    from .pipeline import get_nlp

    get_nlp(**settings)


def _analyse_batch(batch: list[Document], settings: dict) -> list:
    """(document, analysis) pairs, and an `AnalysisError` in place of each document that failed."""
    out: list = []
    for pair in analyze_pairs(batch, batch_size=len(batch), on_error=out.append, **settings):
        out.append(pair)
    return out


def analyze_in_workers(documents: Iterator[Document], workers: int, batch_size: int, settings: dict,
                       on_error: Callable[[AnalysisError], None] | None = None) -> Iterator[tuple[Document, object]]:
    """Analyse in `workers` processes, each loading the model once. At most two batches per
    worker are in flight, so memory stays flat however many documents come."""
    import multiprocessing
    from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
    from itertools import islice

    def results(future):
        for item in future.result():
            if isinstance(item, AnalysisError):
                if on_error is None:
                    raise item
                on_error(item)
            else:
                yield item

    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(workers, mp_context=context, initializer=_init_worker,
                             initargs=(settings,)) as pool:
        pending = set()
        batches = iter(lambda: list(islice(documents, batch_size)), [])
        for batch in batches:
            pending.add(pool.submit(_analyse_batch, batch, settings))
            if len(pending) >= 2 * workers:
                done, pending = wait(pending, return_when=FIRST_COMPLETED)
                for future in done:
                    yield from results(future)
        for future in pending:
            yield from results(future)
