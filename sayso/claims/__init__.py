"""Claims followed across a collection: the same quote in several documents (reprints,
excerpts, altered versions, other speakers credited), wire copies of one story, and counts of
the same thing grouped with every figure and who gave it."""
from __future__ import annotations

from .index import Clusterer, cluster, unclustered, update
from .report import claim_ids, clusters, describe, find_claim, speaker_groups

__all__ = ["Clusterer", "claim_ids", "cluster", "clusters", "describe", "find_claim", "speaker_groups", "unclustered", "update"]
