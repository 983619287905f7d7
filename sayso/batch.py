"""Build a collection: read documents from paths, analyse them in a stream, store each one.

Memory stays flat: documents are read lazily, analysed in `nlp.pipe` batches and written one
transaction per document. Texts already in the store are skipped before any parsing, so a run
that was interrupted resumes where it stopped."""
from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from .analyze import analyze_pairs
from .ingest import IngestError, iter_documents
from .model import Document
from .pipeline import MODEL
from .store import Store


@dataclass
class IngestReport:
    added: int = 0
    skipped: int = 0  # already stored
    errors: list[IngestError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def ingest(paths: Iterable[str], store: Store, batch_size: int = 16,
           on_progress: Callable[[str, Document | IngestError], None] | None = None,
           workers: int = 1, commit_every: int = 16, **settings) -> IngestReport:
    """Read, analyse and store every document under `paths`. `on_progress(event, item)` is called
    with event 'added', 'skipped' or 'error' for each document read. With `workers` > 1 the
    analysis runs in that many processes while this one reads and writes. Documents are
    committed `commit_every` at a time: an interruption loses at most that many, never part of
    one, and the next run redoes them."""
    report = IngestReport()
    notify = on_progress or (lambda event, item: None)
    run: list[int] = []  # the run id, recorded when the first new document arrives

    def new_documents() -> Iterator[Document]:
        seen: set[str] = set()
        for item in iter_documents(paths):
            if isinstance(item, IngestError):
                report.errors.append(item)
                notify("error", item)
            elif item.text_sha256 in seen or store.has_text(item.text_sha256):
                report.skipped += 1
                notify("skipped", item)
            else:
                seen.add(item.text_sha256)
                if not run:
                    run.append(store.start_run(settings.get("model") or MODEL,
                                               {k: v for k, v in settings.items() if v is not None}))
                report.warnings += [f"{item.path}: {w}" for w in item.warnings]
                yield item

    analysed = (analyze_in_workers(new_documents(), workers, batch_size, settings) if workers > 1
                else analyze_pairs(new_documents(), batch_size=batch_size, **settings))
    with contextlib.ExitStack() as stack:
        stack.enter_context(store.batch())
        for document, analysis in analysed:
            store.add(document, analysis, run[0])
            report.added += 1
            notify("added", document)
            if report.added % commit_every == 0:  # commit, then open the next batch
                stack.close()
                stack.enter_context(store.batch())
    return report


def _init_worker(settings: dict) -> None:
    from .pipeline import get_nlp

    get_nlp(**settings)


def _analyse_batch(batch: list[Document], settings: dict) -> list[tuple[Document, object]]:
    return list(analyze_pairs(batch, batch_size=len(batch), **settings))


def analyze_in_workers(documents: Iterator[Document], workers: int, batch_size: int,
                       settings: dict) -> Iterator[tuple[Document, object]]:
    """Analyse in `workers` processes, each loading the model once. At most two batches per
    worker are in flight, so memory stays flat however many documents come."""
    import multiprocessing
    from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
    from itertools import islice

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
                    yield from future.result()
        for future in pending:
            yield from future.result()
