"""The embedded store (SQLite with FTS5): one place that writes, idempotent by content hash."""
from . import browse
from .db import Store, Stored, StoreError, fts_query
from .registry import RegistryError

__all__ = ["Store", "Stored", "StoreError", "RegistryError", "browse", "fts_query"]
