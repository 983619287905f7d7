"""Exports, and research codebooks in and out."""
from __future__ import annotations

import sys

import click

from .base import CODEBOOK_OPTION, DB_OPTION, cli, fail, open_store


@cli.command()
@DB_OPTION
@click.option("--format", "fmt", type=click.Choice(["jsonl", "csv", "parquet", "geojson", "qdpx"]), required=True,
              help="jsonl: one document with its text and facts per line; csv: one quote per row; "
                   "parquet: a folder with one file per table; geojson: one feature per place; "
                   "qdpx: a REFI-QDA project for NVivo, ATLAS.ti, MAXQDA, QualCoder.")
@click.option("--out", required=True, type=click.Path(writable=True), help="File (folder for parquet) to write.")
@CODEBOOK_OPTION
@click.option("--include-rejected", is_flag=True,
              help="Also quotes a reviewer rejected (jsonl, csv, parquet: each quote carries its review status).")
def export(db, fmt, out, codebook, include_rejected):
    """Export the collection (written whole or not at all); quotes as reviewed."""
    from ..codebook import CodebookError, load
    from ..export import ExportError
    from ..export import export as run_export

    try:
        book = load(codebook) if fmt == "qdpx" else None
    except CodebookError as err:
        fail(str(err).replace("\n", "\nsayso: error: "))
    with open_store(db, readonly=True) as store:
        try:
            n = run_export(store, fmt, out, codebook=book, include_rejected=include_rejected)
        except ExportError as err:
            fail(str(err))
        except OSError as err:
            fail(f"{out}: {err.strerror or err}")
    click.echo(f"{n} records -> {out}")



@cli.command("import-codebook")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--out", required=True, type=click.Path(dir_okay=False, writable=True),
              help="YAML codebook to write (a new file: an existing codebook is never overwritten).")
def import_codebook(file, out):
    """Turn a REFI-QDA codebook (.qdc) or a project's codebook (.qdpx) from NVivo, ATLAS.ti,
    MAXQDA or QualCoder into a sayso codebook YAML, to add cues to."""
    from ..codebook import CodebookError
    from ..export import atomic_output
    from pathlib import Path

    from ..export.qdpx import codebook_yaml, read_codebook

    if Path(out).exists():
        fail(f"{out}: exists; import-codebook writes a new file and never replaces one (choose another --out)")
    try:
        book = read_codebook(file)
    except CodebookError as err:
        fail(str(err))
    try:
        with atomic_output(out, encoding="utf-8") as fh:
            fh.write(codebook_yaml(book))
    except OSError as err:
        fail(f"{out}: {err.strerror or err}")
    click.echo(f"{len(book.codes)} codes -> {out}")


@cli.group()
def codebook():
    """Research codebooks: check one, or list its codes."""


@codebook.command("validate")
@click.argument("file", type=click.Path(dir_okay=False))
def codebook_validate(file):
    """Check a codebook YAML file; every problem is reported with its line."""
    from pathlib import Path

    from ..codebook import validate

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
    from ..codebook import CodebookError, load
    from ..render import print_rows

    try:
        book = load(codebook)
    except CodebookError as err:
        fail(str(err).replace("\n", "\nsayso: error: "))
    rows = [{"id": c.id, "group": c.group, "label": c.label, "definition": c.definition,
             "cues": len(c.include)} for c in book.codes]
    print_rows(rows, ["id", "group", "label", "cues", "definition"], fmt, title=book.name)

