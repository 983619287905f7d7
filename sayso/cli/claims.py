"""Claims across the collection: repeated quotes (`sayso claims`) and counts (`sayso counts`)."""
from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path

import click

from .base import DB_OPTION, cli, fail, open_store

FORMAT_OPTION = click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table",
                             show_default=True)


@cli.command()
@DB_OPTION
@click.option("--altered", is_flag=True, help="Only clusters with an occurrence whose words were changed.")
@click.option("--conflicting", is_flag=True, help="Only clusters credited to different speakers.")
@click.option("--speaker", help="Only clusters with an occurrence whose speaker name contains this text.")
@click.option("--min-sources", type=click.IntRange(1), default=1, show_default=True,
              help="Only clusters found in at least this many outlets (documents.source).")
@click.option("--parquet", "parquet_dir", type=click.Path(exists=True, file_okay=False),
              help="Cluster the quotes of this Parquet folder (from `ingest --engine dask`) instead of a store.")
@FORMAT_OPTION
def claims(db, altered, conflicting, speaker, min_sources, parquet_dir, fmt):
    """Quotes followed across the collection: each cluster is one quote repeated in several
    documents (reprints, excerpts, variants), with its first appearance, every outlet and date,
    the occurrences whose words were altered and the speakers it is credited to. Quotes not yet
    clustered are clustered first when the store is writable."""
    from .. import claims as library

    filters = {"altered": altered, "conflicting": conflicting, "speaker": speaker, "min_sources": min_sources}
    if parquet_dir:
        from ..claims.parquet import clusters_of_parquet

        import duckdb

        try:
            _print_claims(clusters_of_parquet(Path(parquet_dir), **filters), fmt)
        except (OSError, ValueError, sqlite3.Error, duckdb.Error) as err:
            fail(f"{parquet_dir}: {err}")
        return
    writable = Path(db).is_file() and os.access(db, os.W_OK)
    with open_store(db, readonly=not writable) as store:
        if writable:
            library.update(store.conn)
        elif library.unclustered(store.conn):
            click.echo(f"sayso: {db} is read-only: quotes added since the last clustering are left out", err=True)
        _print_claims(library.clusters(store.conn, **filters), fmt)


def _print_claims(rows, fmt: str) -> None:
    from ..render import print_rows

    if fmt == "json":
        for row in rows:
            click.echo(json.dumps(row, ensure_ascii=False))
        return
    table = [{"id": r["id"], "occurrences": len(r["occurrences"]), "sources": len(r["sources"]),
              "first": f"{r['first']['date'] or ''} {r['first']['source'] or r['first']['doc']}".strip(),
              "speaker": r["speaker"] + (" (+%d)" % (len(r["speakers"]) - 1) if r["conflicting_speakers"] else "")
              if r["speaker"] else None,
              "altered": sum(o["altered"] for o in r["occurrences"]), "text": r["text"]} for r in rows]
    print_rows(table, ["id", "occurrences", "sources", "first", "speaker", "altered", "text"], "table", "Claims")


@cli.command()
@DB_OPTION
@click.option("--grouped", is_flag=True,
              help="Counts of the same thing (object and event, near in time) grouped across documents, "
                   "each figure with who gave it, disagreements flagged.")
@FORMAT_OPTION
def counts(db, grouped, fmt):
    """List stored counts (number, qualifier, what is counted, event, who claimed it), or with
    --grouped the same count as reported by several documents."""
    from ..claims.counts import count_groups, count_rows
    from ..render import print_rows

    with open_store(db, readonly=True) as store:
        if not grouped:
            print_rows(count_rows(store.conn), ["doc_id", "id", "number", "upper", "qualifier", "object", "event",
                                                "claimed_by", "text"], fmt, title="Counts")
            return
        groups = list(count_groups(store.conn))
    if fmt == "json":
        for group in groups:
            click.echo(json.dumps(group, ensure_ascii=False))
        return
    print_rows([{"object": g["object"], "event": g["event"], "dates": " to ".join(dict.fromkeys(g["dates"])),
                 "figures": "; ".join(f"{f['figure']} ({f['claimed_by']})" for f in g["figures"]),
                 "disagree": g["disagree"]} for g in groups],
               ["object", "event", "dates", "figures", "disagree"], "table", title="Counts grouped")
