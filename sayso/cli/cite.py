"""`sayso cite`: the citation of one stored quote, ready to paste into a paper."""
from __future__ import annotations

import click

from .base import DB_OPTION, cli, fail, open_store


@cli.command()
@click.argument("doc_id")
@click.argument("quote_id")
@DB_OPTION
@click.option("--style", type=click.Choice(["apa", "chicago", "plain"]), default="apa", show_default=True,
              help="Citation style.")
def cite(doc_id, quote_id, db, style):
    """Cite quote QUOTE_ID of document DOC_ID: speaker, outlet, date, title, page or timecode, URL
    and the exact words (ids as `sayso quotes` shows them)."""
    from ..cite import CitationError
    from ..cite import cite as make_citation

    with open_store(db, readonly=True) as store:
        try:
            click.echo(make_citation(store, doc_id, quote_id, style))
        except CitationError as err:
            fail(str(err))
