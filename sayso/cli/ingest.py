"""Building a collection: analyse, ingest, and the Parquet side (load, query)."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from .base import ALIASES_OPTION, BELIEF_OPTION, CODEBOOK_OPTION, CUES_OPTION, DB_OPTION, SCORER_OPTION, _settings, cli, fail, open_store


URLS_OPTION = click.option("--urls", "urls_file", type=click.Path(exists=True, dir_okay=False),
                           help="File of URLs or feed URLs, one per line, to read as well as PATHS.")


def _need_input(paths, urls_file) -> None:
    if not paths and not urls_file:
        raise click.UsageError("give PATHS (files, directories, globs) or --urls FILE")


@cli.command()
@click.argument("paths", nargs=-1)
@URLS_OPTION
@click.option("--format", "fmt", type=click.Choice(["json", "table"]), default="table", show_default=True,
              help="json: one JSON object per document (JSON Lines); table: readable tables.")
@ALIASES_OPTION
@CUES_OPTION
@BELIEF_OPTION
@CODEBOOK_OPTION
@SCORER_OPTION
def analyze(paths, urls_file, fmt, aliases, cues, belief, codebook, theme_scorer):
    """Analyse FILES (or directories, globs) and print what was found, without storing it.

    Supported inputs: .txt .md .html .jsonl, and transcripts (.txt with `NAME: text` turns,
    .vtt, .srt). A document whose analysis fails is reported on one line and skipped.
    """
    from ..analyze import analyze_pairs, english, not_english_warning
    from ..batch import analysis_error, read_documents
    from ..ingest import IngestError
    from ..render import print_analysis

    _need_input(paths, urls_file)
    errors = 0

    def failed(error) -> None:
        nonlocal errors
        errors += 1
        click.echo(f"sayso: error: {analysis_error(error) if not isinstance(error, IngestError) else error}", err=True)

    def readable():
        for item in read_documents(paths, urls_file):
            if isinstance(item, IngestError):
                failed(item)
                continue
            for warning in item.warnings:
                click.echo(f"sayso: warning: {item.path or item.id}: {warning}", err=True)
            yield item

    settings = _settings(aliases, cues, belief, codebook, theme_scorer)
    for document, analysis in analyze_pairs(readable(), on_error=failed, **settings):
        if not english(analysis.language):
            click.echo(f"sayso: warning: {document.path or document.id}: "
                       f"{not_english_warning(analysis.language, False)}", err=True)
        if fmt == "json":
            click.echo(json.dumps(analysis.to_dict(), ensure_ascii=False))
        else:
            print_analysis(document, analysis)
    if errors:
        sys.exit(1)


@cli.command()
@click.argument("paths", nargs=-1)
@URLS_OPTION
@DB_OPTION
@click.option("--batch-size", default=16, show_default=True, type=click.IntRange(1, 10_000),
              help="Documents parsed together by spaCy.")
@click.option("--workers", default=1, show_default=True, type=click.IntRange(1, 256),
              help="Processes that analyse documents in parallel (each loads the model once); "
                   "this process reads and writes the store. With --engine dask: workers of the local cluster.")
@click.option("--engine", type=click.Choice(["local", "dask"]), default="local", show_default=True,
              help="local: analyse here and store in --db; dask: analyse on a Dask cluster into partitioned "
                   "Parquet under --out (then `sayso load` or `sayso query`).")
@click.option("--scheduler", metavar="ADDRESS", help="Dask scheduler to use (default: a local cluster).")
@click.option("--out", "out_dir", default="sayso-parquet", show_default=True, type=click.Path(file_okay=False),
              help="With --engine dask: the folder for the Parquet tables, errors.jsonl and progress markers.")
@click.option("--partition-size", default=200, show_default=True, type=click.IntRange(1, 1_000_000),
              help="With --engine dask: documents per partition.")
@ALIASES_OPTION
@CUES_OPTION
@BELIEF_OPTION
@CODEBOOK_OPTION
@SCORER_OPTION
def ingest(paths, urls_file, db, batch_size, workers, engine, scheduler, out_dir, partition_size, aliases, cues, belief,
           codebook, theme_scorer):
    """Read PATHS (files, directories, globs), analyse every document and store it in --db.

    Texts already stored are skipped, so re-running is safe; documents are committed a few at a
    time, each whole or not at all, so an interrupted run keeps what it committed and the next
    run resumes. With --engine dask
    the partitions already written are skipped instead.
    """
    _need_input(paths, urls_file)
    settings = _settings(aliases, cues, belief, codebook, theme_scorer)
    if engine == "dask":
        return _ingest_dask(paths, urls_file, scheduler, out_dir, partition_size, workers, settings)
    from ..batch import IngestReport, ingest as run_ingest
    from ..render import ingest_progress
    from ..store import Store, StoreError

    created = not Path(db).exists()
    try:
        store = Store(db)
    except StoreError as err:  # a store it could not finish creating (disk full) is not left behind
        if created:
            remove_store(db)
        fail(str(err))
    report, problem = IngestReport(), None
    with store, ingest_progress() as progress:
        try:
            run_ingest(paths, store, batch_size=batch_size, on_progress=progress, workers=workers,
                       urls_file=urls_file, report=report, **settings)
        except StoreError as err:  # disk full, read-only, locked: what was committed stays
            problem = str(err)
        empty = created and _empty(store)
    if empty:
        remove_store(db)
    for warning in report.warnings:
        click.echo(f"sayso: warning: {warning}", err=True)
    for error in report.errors:
        click.echo(f"sayso: error: {error}", err=True)
    if problem:
        fail(problem)
    where = f"{db} (not created: nothing was stored)" if empty else db
    click.echo(f"{report.added} added, {report.skipped} already stored, {len(report.errors)} failed -> {where}")
    if report.errors:
        sys.exit(1)


def _empty(store) -> bool:
    try:
        return store.stats()["documents"] == 0
    except Exception:  # a store that cannot even be read is not ours to delete
        return False


def remove_store(db: str) -> None:
    """Delete a store file this run created and left empty, with its WAL side files."""
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(db + suffix).unlink(missing_ok=True)


def _ingest_dask(paths, urls_file, scheduler, out_dir, partition_size, workers, settings) -> None:
    from ..render import partition_progress
    from ..scale.dask_runner import run

    with partition_progress() as progress:
        report = run(paths, out_dir, scheduler=scheduler, partition_size=partition_size, workers=workers,
                     on_partition=progress, urls_file=urls_file, **settings)
    for error in report.read_errors:
        click.echo(f"sayso: error: {error}", err=True)
    for failed in report.failed:
        click.echo(f"sayso: error: {failed['doc']}: {failed['reason']}", err=True)
    click.echo(f"{report.documents} documents analysed in {report.partitions - report.skipped} partitions "
               f"({report.skipped} already written), {len(report.failed) + len(report.read_errors)} failed -> {out_dir}")
    if report.failed or report.read_errors:
        sys.exit(1)


@cli.command()
@click.argument("parquet_dir", type=click.Path(exists=True, file_okay=False))
@DB_OPTION
def load(parquet_dir, db):
    """Bulk-load the Parquet tables written by `ingest --engine dask` into the SQLite store
    (documents already stored are skipped)."""
    from ..scale.dask_runner import load as run_load
    from ..store import StoreError

    created = not Path(db).exists()
    problem = None
    with open_store(db, readonly=False) as store:
        try:
            added, skipped = run_load(parquet_dir, store)
        except (FileNotFoundError, StoreError) as err:
            problem = str(err)
        empty = created and _empty(store)
    if empty:
        remove_store(db)
    if problem:
        fail(problem)
    click.echo(f"{added} added, {skipped} already stored -> {db}")


@cli.command()
@click.argument("sql")
@click.option("--parquet", "parquet_dir", required=True, type=click.Path(exists=True, file_okay=False),
              help="Folder written by `ingest --engine dask`; its tables are views: documents, quotes, ...")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
def query(sql, parquet_dir, fmt):
    """Run SQL over the Parquet tables with DuckDB, without loading them."""
    import duckdb

    from ..render import print_rows
    from ..scale.dask_runner import query as run_query

    try:
        columns, rows = run_query(parquet_dir, sql)
    except duckdb.Error as err:
        fail(str(err).splitlines()[0])
    print_rows([dict(zip(columns, r)) for r in rows], columns, fmt, title="Result")

