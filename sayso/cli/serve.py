"""The web workbench: sayso serve."""
from __future__ import annotations


import click

from .base import DB_OPTION, cli, fail


@cli.command()
@DB_OPTION
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option("--allow-write", is_flag=True,
              help="Accept writes (POST /api/documents, review decisions) from holders of the SAYSO_TOKEN "
                   "environment variable's token or of a reviewer's token (--reviewers).")
@click.option("--allowed-host", "allowed_hosts", multiple=True, metavar="NAME",
              help="Also answer requests for this host name (repeatable). By default only localhost, "
                   "127.0.0.1, [::1] and the --host address are answered; others get 400 (DNS rebinding).")
@click.option("--reviewers", type=click.Path(dir_okay=False), default=None,
              help="File of reviewers (names and hashed tokens) who may record review decisions.")
def serve(db, host, port, allow_write, allowed_hosts, reviewers):
    """Browse the collection in a web browser, with a JSON API (OpenAPI at /openapi.json, docs at /docs).
    The store is opened read-only unless --allow-write is given."""
    import os
    import threading

    import uvicorn

    from ..store import StoreError
    from ..web import create_app
    from ..web.security import LOCAL_HOSTS

    if allow_write and not (os.environ.get("SAYSO_TOKEN") or reviewers):
        fail("--allow-write needs a reviewers file (--reviewers) or a token in the SAYSO_TOKEN environment variable")
    try:
        app = create_app(db, allow_write=allow_write, reviewers=reviewers,
                         allowed_hosts=[*LOCAL_HOSTS, host, *allowed_hosts])
    except StoreError as err:
        fail(str(err))
    threading.Thread(target=_freeze_when_warm, args=(app.state.warmed,), daemon=True).start()
    click.echo(f"sayso: serving {db} at http://{host}:{port}/ (Ctrl-C to stop)", err=True)
    uvicorn.run(app, host=host, port=port, log_level="warning", limit_concurrency=64)


def _freeze_when_warm(warmed) -> None:
    """Once the server has loaded its code and counted the figures, leave what is then alive to
    reference counting alone (gc.freeze): Python's full collections, which hold every request,
    took 60-90 ms walking it; they then walk only what was made since."""
    import gc

    warmed.wait()
    gc.freeze()
