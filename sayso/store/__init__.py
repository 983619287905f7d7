"""The embedded store (SQLite with FTS5): one place that writes, idempotent by content hash."""
from .db import Store, StoreError, fts_query

__all__ = ["Store", "StoreError", "fts_query"]
