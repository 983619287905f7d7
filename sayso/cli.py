"""The `sayso` command line. It only parses arguments, calls the library and prints."""
from __future__ import annotations

import json
import sys

import click

from . import __version__
from .store import StoreError

DB_OPTION = click.option("--db", default="sayso.db", show_default=True, envvar="SAYSO_DB",
                         type=click.Path(dir_okay=False), help="SQLite database file (env SAYSO_DB).")
ALIASES_OPTION = click.option("--aliases", type=click.Path(exists=True, dir_okay=False),
                              help="YAML file of known name equivalences (IS = ISIS = Daesh ...).")
CUES_OPTION = click.option("--cues", type=click.Path(exists=True, dir_okay=False),
                           help="YAML cue lexicon replacing the shipped verbs and nouns of saying.")


CODEBOOK_OPTION = click.option("--codebook", type=click.Path(exists=True, dir_okay=False),
                               help="Research codebook YAML (default: the shipped joining/leaving codebook).")
SCORER_OPTION = click.option("--theme-scorer", type=click.Choice(["cues", "embeddings", "combined"]),
                             default="cues", show_default=True,
                             help="How codebook themes are found: cue words (default), sentence embeddings, or "
                                  "both; the last two need the extra: pip install 'sayso[embeddings]'.")
BELIEF_OPTION = click.option("--belief", is_flag=True,
                             help="Also attribute thoughts and beliefs (believe, think, fear ...), off by default.")


def fail(message: str) -> None:
    click.echo(f"sayso: error: {message}", err=True)
    sys.exit(1)


def open_store(db: str, readonly: bool):
    from .store import Store

    try:
        return Store(db, readonly=readonly)
    except StoreError as err:
        fail(str(err))


def _settings(aliases, cues, belief=False, codebook=None, theme_scorer="cues") -> dict:
    if theme_scorer != "cues":
        from .extract.semantic import available

        if not available():
            fail(f"--theme-scorer {theme_scorer} needs the embeddings extra: pip install 'sayso[embeddings]'")
    if codebook:
        from .codebook import CodebookError, load

        try:
            load(codebook)
        except CodebookError as err:
            fail(str(err).replace("\n", "\nsayso: error: "))
    if theme_scorer == "cues":
        from .extract.semantic import available

        hint = "" if available() else " (embeddings extra not installed)"
        click.echo(f"sayso: themes scored by cues{hint}", err=True)
    else:
        click.echo(f"sayso: themes scored by {theme_scorer}", err=True)
    settings = {"aliases": aliases, "cues": cues, "include_belief": belief, "codebook": codebook,
                "theme_scorer": theme_scorer if theme_scorer != "cues" else None}
    return {k: v for k, v in settings.items() if v}


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="sayso")
def cli():
    """sayso: who said what, where and how many, in news reports and interview transcripts.

    Analyse files directly with `sayso analyze`, or build a searchable collection with
    `sayso ingest` and query it with `quotes`, `speakers`, `search`, `show` and `export`.
    Every fact carries character offsets into the stored document text.
    """


@cli.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--format", "fmt", type=click.Choice(["json", "table"]), default="table", show_default=True,
              help="json: one JSON object per document (JSON Lines); table: readable tables.")
@ALIASES_OPTION
@CUES_OPTION
@BELIEF_OPTION
@CODEBOOK_OPTION
@SCORER_OPTION
def analyze(paths, fmt, aliases, cues, belief, codebook, theme_scorer):
    """Analyse FILES (or directories, globs) and print what was found, without storing it.

    Supported inputs: .txt .md .html .jsonl, and transcripts (.txt with `NAME: text` turns,
    .vtt, .srt).
    """
    from .analyze import analyze_pairs
    from .ingest import IngestError, iter_documents
    from .render import print_analysis

    errors = 0

    def readable():
        nonlocal errors
        for item in iter_documents(paths):
            if isinstance(item, IngestError):
                errors += 1
                click.echo(f"sayso: error: {item}", err=True)
                continue
            for warning in item.warnings:
                click.echo(f"sayso: warning: {item.path}: {warning}", err=True)
            yield item

    for document, analysis in analyze_pairs(readable(), **_settings(aliases, cues, belief, codebook, theme_scorer)):
        if fmt == "json":
            click.echo(json.dumps(analysis.to_dict(), ensure_ascii=False))
        else:
            print_analysis(document, analysis)
    if errors:
        sys.exit(1)


@cli.command()
@click.argument("paths", nargs=-1, required=True)
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
def ingest(paths, db, batch_size, workers, engine, scheduler, out_dir, partition_size, aliases, cues, belief,
           codebook, theme_scorer):
    """Read PATHS (files, directories, globs), analyse every document and store it in --db.

    Texts already stored are skipped, so re-running is safe; documents are committed a few at a
    time, each whole or not at all, so an interrupted run keeps what it committed and the next
    run resumes. With --engine dask
    the partitions already written are skipped instead.
    """
    settings = _settings(aliases, cues, belief, codebook, theme_scorer)
    if engine == "dask":
        return _ingest_dask(paths, scheduler, out_dir, partition_size, workers, settings)
    from .batch import ingest as run_ingest
    from .render import ingest_progress

    store = open_store(db, readonly=False)
    with store, ingest_progress() as progress:
        report = run_ingest(paths, store, batch_size=batch_size, on_progress=progress, workers=workers,
                            **settings)
    for warning in report.warnings:
        click.echo(f"sayso: warning: {warning}", err=True)
    for error in report.errors:
        click.echo(f"sayso: error: {error}", err=True)
    click.echo(f"{report.added} added, {report.skipped} already stored, {len(report.errors)} failed -> {db}")
    if report.errors:
        sys.exit(1)


def _ingest_dask(paths, scheduler, out_dir, partition_size, workers, settings) -> None:
    from .render import partition_progress
    from .scale.dask_runner import run

    with partition_progress() as progress:
        report = run(paths, out_dir, scheduler=scheduler, partition_size=partition_size, workers=workers,
                     on_partition=progress, **settings)
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
    from .scale.dask_runner import load as run_load

    with open_store(db, readonly=False) as store:
        try:
            added, skipped = run_load(parquet_dir, store)
        except FileNotFoundError as err:
            fail(str(err))
    click.echo(f"{added} added, {skipped} already stored -> {db}")


@cli.command()
@click.argument("sql")
@click.option("--parquet", "parquet_dir", required=True, type=click.Path(exists=True, file_okay=False),
              help="Folder written by `ingest --engine dask`; its tables are views: documents, quotes, ...")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
def query(sql, parquet_dir, fmt):
    """Run SQL over the Parquet tables with DuckDB, without loading them."""
    import duckdb

    from .render import print_rows
    from .scale.dask_runner import query as run_query

    try:
        columns, rows = run_query(parquet_dir, sql)
    except duckdb.Error as err:
        fail(str(err).splitlines()[0])
    print_rows([dict(zip(columns, r)) for r in rows], columns, fmt, title="Result")


@cli.command()
@DB_OPTION
@click.option("--speaker", help="Only quotes whose speaker name or mention contains this text.")
@click.option("--doc", "doc_id", help="Only quotes from this document id.")
@click.option("--kind", type=click.Choice(["direct", "indirect", "according_to"]), help="Only this kind of quote.")
@click.option("--limit", type=click.IntRange(1), help="At most this many quotes.")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
def quotes(db, speaker, doc_id, kind, limit, fmt):
    """List stored quotes, with speaker, kind and cue."""
    from .render import print_rows

    with open_store(db, readonly=True) as store:
        rows = store.quotes(speaker=speaker, doc=doc_id, kind=kind, limit=limit)
    print_rows(rows, ["doc_id", "id", "kind", "speaker_name", "cue", "text"], fmt, title="Quotes")


@cli.command()
@DB_OPTION
@click.option("--label", type=click.Choice(["PERSON", "ORG", "GPE", "LOC", "NORP", "FAC"]),
              help="Only entities with this label.")
@click.option("--merge", nargs=2, metavar="INTO OTHER",
              help="Merge entity OTHER into INTO (ids like E12, or unambiguous names); kept for later ingests.")
@click.option("--split", nargs=2, metavar="ENTITY NAME",
              help="Give NAME, one of ENTITY's names, an entity of its own.")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
def entities(db, label, merge, split, fmt):
    """List the collection's people, organisations and places, each with a stable id, the names
    it goes by and how many documents and quotes link to it; merge or split them."""
    from .render import print_rows
    from .store import RegistryError

    with open_store(db, readonly=not (merge or split)) as store:
        try:
            if merge:
                into, other = store.merge_entities(*merge)
                click.echo(f"merged {other} into {into}")
            if split:
                new = store.split_entity(*split)
                click.echo(f"{split[1]!r} is now {new}")
        except RegistryError as err:
            fail(str(err))
        if merge or split:
            return
        rows = store.entities(label)
    print_rows(rows, ["id", "name", "label", "documents", "quotes", "names"], fmt, title="Entities")


@cli.command()
@DB_OPTION
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
def speakers(db, fmt):
    """List speakers with their number of quotes and documents."""
    from .render import print_rows

    with open_store(db, readonly=True) as store:
        rows = store.speakers()
    print_rows(rows, ["name", "quotes", "documents", "roles", "orgs"], fmt, title="Speakers")


@cli.command()
@click.argument("query")
@DB_OPTION
@click.option("--limit", default=20, show_default=True, type=click.IntRange(1, 1000))
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
def search(query, db, limit, fmt):
    """Full-text search over document texts and quotes. Words are all required; put a phrase
    in double quotes. No search syntax is interpreted, so any text is a safe query."""
    from .render import print_rows

    with open_store(db, readonly=True) as store:
        hits = store.search(query, limit=limit)
    if fmt == "json":
        click.echo(json.dumps(hits, ensure_ascii=False, indent=2))
        return
    print_rows(hits["documents"], ["id", "title", "snippet"], fmt, title="Documents")
    print_rows(hits["quotes"], ["doc_id", "id", "speaker_name", "text"], fmt, title="Quotes")


@cli.command()
@click.argument("doc_id")
@DB_OPTION
@click.option("--format", "fmt", type=click.Choice(["table", "json", "text"]), default="table", show_default=True,
              help="table: facts as tables; json: the `analyze` JSON; text: the stored text itself.")
def show(doc_id, db, fmt):
    """Show one stored document with its facts."""
    from .render import print_analysis

    with open_store(db, readonly=True) as store:
        document = store.document(doc_id)
        analysis = store.analysis(doc_id) if document else None
    if document is None:
        fail(f"no document with id {doc_id!r} in {db}")
    if fmt == "json":
        click.echo(json.dumps(analysis.to_dict(), ensure_ascii=False))
    elif fmt == "text":
        click.echo(document["text"])
    else:
        print_analysis(document, analysis)


@cli.command()
@DB_OPTION
@click.option("--format", "fmt", type=click.Choice(["jsonl", "csv", "parquet", "geojson", "qdpx"]), required=True,
              help="jsonl: one document with its text and facts per line; csv: one quote per row; "
                   "parquet: a folder with one file per table; geojson: one feature per place; "
                   "qdpx: a REFI-QDA project for NVivo, ATLAS.ti, MAXQDA, QualCoder.")
@click.option("--out", required=True, type=click.Path(writable=True), help="File (folder for parquet) to write.")
@CODEBOOK_OPTION
def export(db, fmt, out, codebook):
    """Export the collection (written whole or not at all)."""
    from .codebook import CodebookError, load
    from .export import export as run_export

    try:
        book = load(codebook) if fmt == "qdpx" else None
    except CodebookError as err:
        fail(str(err).replace("\n", "\nsayso: error: "))
    with open_store(db, readonly=True) as store:
        try:
            n = run_export(store, fmt, out, codebook=book)
        except OSError as err:
            fail(f"{out}: {err.strerror or err}")
    click.echo(f"{n} records -> {out}")


@cli.command()
@DB_OPTION
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option("--allow-write", is_flag=True,
              help="Accept POST /api/documents (ingest), with the token in the SAYSO_TOKEN environment variable.")
def serve(db, host, port, allow_write):
    """Browse the collection in a web browser, with a JSON API (OpenAPI at /openapi.json, docs at /docs).
    The store is opened read-only unless --allow-write is given."""
    import os

    import uvicorn

    from .web import create_app

    if allow_write and not os.environ.get("SAYSO_TOKEN"):
        fail("--allow-write needs a token in the SAYSO_TOKEN environment variable")
    try:
        app = create_app(db, allow_write=allow_write)
    except StoreError as err:
        fail(str(err))
    click.echo(f"sayso: serving {db} at http://{host}:{port}/ (Ctrl-C to stop)", err=True)
    uvicorn.run(app, host=host, port=port, log_level="warning", limit_concurrency=64)


@cli.command("import-codebook")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--out", required=True, type=click.Path(dir_okay=False, writable=True),
              help="YAML codebook to write.")
def import_codebook(file, out):
    """Turn a REFI-QDA codebook (.qdc) or a project's codebook (.qdpx) from NVivo, ATLAS.ti,
    MAXQDA or QualCoder into a sayso codebook YAML, to add cues to."""
    from .codebook import CodebookError
    from .export import atomic_output
    from .export.qdpx import codebook_yaml, read_codebook

    try:
        book = read_codebook(file)
    except CodebookError as err:
        fail(str(err))
    with atomic_output(out, encoding="utf-8") as fh:
        fh.write(codebook_yaml(book))
    click.echo(f"{len(book.codes)} codes -> {out}")


@cli.group()
def codebook():
    """Research codebooks: check one, or list its codes."""


@codebook.command("validate")
@click.argument("file", type=click.Path(dir_okay=False))
def codebook_validate(file):
    """Check a codebook YAML file; every problem is reported with its line."""
    from pathlib import Path

    from .codebook import validate

    try:
        text = Path(file).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        fail(f"{file}: cannot read: {getattr(err, 'strerror', None) or err}")
    problems = validate(text, file)
    for problem in problems:
        click.echo(f"sayso: error: {problem}", err=True)
    if problems:
        sys.exit(1)
    click.echo(f"{file}: ok")


@codebook.command("show")
@CODEBOOK_OPTION
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
def codebook_show(codebook, fmt):
    """List the codes of a codebook (the shipped one unless --codebook is given)."""
    from .codebook import CodebookError, load
    from .render import print_rows

    try:
        book = load(codebook)
    except CodebookError as err:
        fail(str(err).replace("\n", "\nsayso: error: "))
    rows = [{"id": c.id, "group": c.group, "label": c.label, "definition": c.definition,
             "cues": len(c.include)} for c in book.codes]
    print_rows(rows, ["id", "group", "label", "cues", "definition"], fmt, title=book.name)


@cli.command()
@DB_OPTION
@click.option("--code", "codes", multiple=True, help="Only passages coded with this code (repeatable).")
@click.option("--speaker", help="Only quotes whose speaker name or mention contains this text.")
@click.option("--matrix", is_flag=True, help="Speakers by codes: how many of each speaker's quotes carry each code (quotes with a known speaker; merged entities share a row).")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
def themes(db, codes, speaker, matrix, fmt):
    """Coded quotes from the store: the codebook's codes found in each quote, with the speaker."""
    from .render import print_rows

    with open_store(db, readonly=True) as store:
        known = store.theme_codes()
        unknown = [c for c in codes if c not in known]
        if unknown:
            fail(f"unknown code(s) {', '.join(unknown)}; codes in {db}: {', '.join(sorted(known)) or 'none'}")
        if matrix:
            table = store.theme_matrix(codes=codes, speaker=speaker)
            columns = [c["code"] for c in table["codes"]]
            rows = [{"speaker": r["speaker"], **{c: r["cells"].get(c, 0) for c in columns}} for r in table["rows"]]
            print_rows(rows, ["speaker", *columns], fmt, title="Quotes per speaker and code")
            return
        rows = store.coded_quotes(codes=codes, speaker=speaker)
    print_rows(rows, ["doc_id", "id", "speaker_name", "codes", "text"], fmt, title="Coded quotes")


def main():
    cli(prog_name="sayso")


if __name__ == "__main__":
    main()
