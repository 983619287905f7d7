"""The web workbench: sayso serve."""
from __future__ import annotations


import click

from .base import DB_OPTION, cli, fail


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

    from ..web import create_app

    if allow_write and not os.environ.get("SAYSO_TOKEN"):
        fail("--allow-write needs a token in the SAYSO_TOKEN environment variable")
    try:
        app = create_app(db, allow_write=allow_write)
    except StoreError as err:
        fail(str(err))
    click.echo(f"sayso: serving {db} at http://{host}:{port}/ (Ctrl-C to stop)", err=True)
    uvicorn.run(app, host=host, port=port, log_level="warning", limit_concurrency=64)

