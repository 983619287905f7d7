"""The same clustering over the Parquet of `sayso ingest --engine dask`, for collections that
are never loaded into one store: DuckDB streams the documents (id, date, source) and quotes
tables in partition order into a small SQLite file beside them, DIR/claims.db, holding only
those columns and the claims tables. A later run clusters only the quotes of new partitions."""
from __future__ import annotations

import os
import sqlite3
import tempfile
from collections.abc import Iterator
from importlib import resources
from pathlib import Path

from .index import update_quotes
from .report import clusters

BATCH = 20_000
_TABLES = """
CREATE TABLE IF NOT EXISTS documents (id TEXT PRIMARY KEY, date TEXT, source TEXT);
CREATE TABLE IF NOT EXISTS quotes (doc_id TEXT NOT NULL, id TEXT NOT NULL, text TEXT NOT NULL, speaker_name TEXT,
                                   start INTEGER, "end" INTEGER, parts TEXT, PRIMARY KEY (doc_id, id));
"""


def _work_db(root: Path) -> Path:
    if os.access(root, os.W_OK):
        return root / "claims.db"
    return Path(tempfile.mkdtemp(prefix="sayso-claims-")) / "claims.db"


def _parts(root: Path, table: str) -> str:
    folder = root / table
    if not folder.is_dir() or not any(folder.glob("*.parquet")):
        raise ValueError(f"no {table} Parquet files (is this the --out folder of `sayso ingest --engine dask`?)")
    return f"read_parquet('{folder.as_posix()}/*.parquet', filename = true, file_row_number = true)"


def load(root: Path, conn: sqlite3.Connection) -> None:
    """Copy the columns clustering needs from the Parquet into conn, in ingest order."""
    import duckdb

    con = duckdb.connect()
    documents, quotes = _parts(root, "documents"), _parts(root, "quotes")
    columns = {row[0] for row in con.execute(f"DESCRIBE SELECT * FROM {quotes}").fetchall()}
    parts = "parts" if "parts" in columns else "NULL"  # Parquet written before quotes had parts
    steps = [("INSERT OR IGNORE INTO documents(id, date, source) VALUES (?, ?, ?)",
              f"SELECT id, CAST(date AS VARCHAR), source FROM {documents}"
              " ORDER BY filename, file_row_number"),
             ('INSERT OR IGNORE INTO quotes(doc_id, id, text, speaker_name, start, "end", parts)'
              " VALUES (?, ?, ?, ?, ?, ?, ?)",
              f'SELECT doc_id, id, text, speaker_name, start, "end", {parts} FROM {quotes}'
              " ORDER BY filename, file_row_number")]
    for insert, select in steps:
        result = con.execute(select)
        while rows := result.fetchmany(BATCH):
            conn.executemany(insert, rows)
        conn.commit()


def clusters_of_parquet(root: Path, **filters) -> Iterator[dict]:
    """Cluster the quotes of a Parquet folder and describe the clusters (as claims.clusters)."""
    conn = sqlite3.connect(_work_db(root))
    conn.row_factory = sqlite3.Row
    try:
        conn.executescript(_TABLES + resources.files("sayso.claims").joinpath("schema.sql").read_text("utf-8"))
        if "parts" not in {row[1] for row in conn.execute("PRAGMA table_info(quotes)")}:  # claims.db of an older sayso
            conn.execute("ALTER TABLE quotes ADD COLUMN parts TEXT")
        load(root, conn)
        update_quotes(conn)
        yield from clusters(conn, **filters)
    finally:
        conn.close()
