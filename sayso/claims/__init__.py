"""Claims followed across a collection: the same quote in several documents (reprints,
excerpts, altered versions, other speakers credited), wire copies of one story, and counts of
the same thing grouped with every figure and who gave it."""
from __future__ import annotations

import sqlite3

from . import wire
from .index import Clusterer, cluster, unclustered, update_quotes
from .report import Descriptions, claim_ids, clusters, count, describe, find_claim, speaker_groups


def update(conn: sqlite3.Connection) -> int:
    """Bring the claims tables up to date after an ingest: cluster the quotes not yet in a
    claim and group the documents not yet in a wire group. Returns how many quotes it clustered."""
    clustered = update_quotes(conn)
    wire.update(conn)
    return clustered


__all__ = ["Clusterer", "Descriptions", "claim_ids", "cluster", "clusters", "count", "describe", "find_claim", "speaker_groups", "unclustered", "update", "update_quotes", "wire"]
